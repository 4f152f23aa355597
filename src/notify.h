/* The service manager's notification protocol (sd_notify): readiness,
 * status lines, reload and stop, and the watchdog. A no-op when ipasnd is
 * not started by systemd, or was built without systemd support. */
#ifndef IPASND_NOTIFY_H
#define IPASND_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

/* Says, once at start, that NOTIFY_SOCKET is set but support was not built. */
void notify_check_support(void);

/* Sends a raw state string such as "READY=1"; ignored outside systemd. */
void notify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The watchdog interval systemd asked for, in microseconds; 0 when none. */
uint64_t notify_watchdog_usec(void);

#endif
