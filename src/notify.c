#include "autoconfig.h"

#include "notify.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

void notify_check_support(void)
{
#ifndef HAVE_SYSTEMD
    if (getenv("NOTIFY_SOCKET"))
        log_warning("NOTIFY_SOCKET is set but ipasnd was built --without-systemd: systemd will "
                    "never hear READY=1 and a Type=notify unit will time out; rebuild with "
                    "libsystemd or use Type=simple");
#endif
}

void notify_send(const char *fmt, ...)
{
#ifdef HAVE_SYSTEMD
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    sd_notify(0, buf);
#else
    (void)fmt;
#endif
}

uint64_t notify_watchdog_usec(void)
{
#ifdef HAVE_SYSTEMD
    uint64_t usec = 0;

    if (sd_watchdog_enabled(0, &usec) > 0)
        return usec;
#endif
    return 0;
}
