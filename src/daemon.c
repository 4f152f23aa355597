#include "autoconfig.h"

#include "daemon.h"

#include "log.h"
#include "mem.h"
#include "notify.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Set by the signal handlers, acted on by the loop; the stop is read by
 * the sync's threads too. */
static atomic_int stop_requested;
static volatile sig_atomic_t reload_requested, sync_requested;
/* The sync a stop interrupts: its statement under way is cancelled. */
static struct sync_ctx *volatile running;

static void on_signal(int sig)
{
    switch (sig) {
    case SIGTERM:
    case SIGINT:
        atomic_store(&stop_requested, 1);
        sync_interrupt(running);
        break;
    case SIGHUP:
        reload_requested = 1;
        break;
    case SIGUSR1:
        sync_requested = 1;
        break;
    }
}

struct daemon {
    const char *config_path;
    struct config *cfg;
    struct sync_ctx *sync;
    uint64_t watchdog_usec;
    _Atomic int64_t last_ping_ms; /* pinged from the fetching thread too */
    /* what STATUS= says between cycles */
    struct sync_summary last;
    bool have_last;
    int64_t failing_since; /* Unix seconds of the first failure in a row, 0 when fine */
    int64_t next_at;       /* Unix seconds */
};

static void ping_watchdog(struct daemon *d, bool force)
{
    int64_t now = now_monotonic_ms();

    if (!d->watchdog_usec)
        return;
    /* At half the watchdog interval, at most once a second. */
    if (!force && now - d->last_ping_ms < 1000 &&
        now - d->last_ping_ms < (int64_t)(d->watchdog_usec / 2000))
        return;
    notify_send("WATCHDOG=1");
    d->last_ping_ms = now;
}

static void on_sync_status(void *ud, const char *line)
{
    struct daemon *d = ud;

    notify_send("STATUS=%s", line);
    ping_watchdog(d, false);
}

static void on_sync_progress(void *ud)
{
    ping_watchdog(ud, false);
}

static const char *hhmm(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    strftime(buf, size, "%H:%M", localtime_r(&tt, &tm));
    return buf;
}

/* The STATUS= line between cycles. */
static void idle_status(struct daemon *d)
{
    const struct sync_summary *s = &d->last;
    char at[8], next[8], since[8], n[32];

    hhmm(d->next_at, next, sizeof(next));
    if (!d->have_last) {
        notify_send("STATUS=idle; first sync at %s", next);
        return;
    }
    hhmm(s->finished_at, at, sizeof(at));
    if (s->skipped) {
        notify_send("STATUS=idle; %s: another ipasnd was syncing this source; next %s", at, next);
    } else if (s->exit_code == 0) {
        notify_send("STATUS=idle; last sync %s OK: %s records, %d new issue%s; next %s%s%s", at,
                    fmt_thousands(n, sizeof(n), s->records), s->issues_opened,
                    s->issues_opened == 1 ? "" : "s", next, *s->note ? "; " : "", s->note);
    } else if (s->http_status || s->exit_code == EXIT_UNAVAILABLE) {
        char st[24] = "";

        if (s->http_status)
            snprintf(st, sizeof(st), ": HTTP %ld", s->http_status);
        notify_send("STATUS=endpoint unavailable since %s%s; retrying at %s",
                    hhmm(d->failing_since, since, sizeof(since)), st, next);
    } else {
        notify_send("STATUS=last sync %s FAILED (failing since %s): %.150s; retrying at %s", at,
                    hhmm(d->failing_since, since, sizeof(since)), s->error, next);
    }
}

/* The next start: interval with a random spread of +- jitter. */
static int64_t next_start(const struct config *cfg)
{
    double u = (double)random() / ((double)RAND_MAX + 1.0) * 2.0 - 1.0;
    double secs = (double)cfg->sync.interval * (1.0 + cfg->sync.jitter * u);

    return (int64_t)time(NULL) + (int64_t)(secs < 1 ? 1 : secs);
}

static void reload(struct daemon *d)
{
    struct strlist errors = {0};
    struct config *cfg;
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    notify_send("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading the configuration",
                (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
    cfg = config_load(d->config_path, &errors);
    if (!cfg) {
        for (size_t i = 0; i < errors.n; i++)
            log_event(LOG_ERR, "config_rejected", LOG_FIELDS({"CONFIG_FILE", d->config_path}), "%s",
                      errors.v[i]);
        log_event(LOG_ERR, "config_rejected", LOG_FIELDS({"CONFIG_FILE", d->config_path}),
                  "the new configuration has %zu error%s; keeping the running one", errors.n,
                  errors.n == 1 ? "" : "s");
        strlist_free(&errors);
    } else {
        struct config *old = d->cfg;

        d->cfg = cfg;
        sync_set_config(d->sync, cfg);
        config_free(old);
        log_open(cfg->log.target, cfg->log.level);
        for (size_t i = 0; i < cfg->warnings.n; i++)
            log_warning("%s", cfg->warnings.v[i]);
        log_event(LOG_INFO, "config_reloaded", LOG_FIELDS({"CONFIG_FILE", d->config_path}),
                  "configuration reloaded from %s", d->config_path);
    }
    notify_send("READY=1");
    idle_status(d);
}

static void run_cycle(struct daemon *d)
{
    struct sync_options opts = {0};
    struct sync_summary sum;

    notify_send("STATUS=starting a sync cycle");
    ping_watchdog(d, true);
    sync_cycle(d->sync, &opts, &sum);
    mem_trim(); /* between cycles the memory goes back */
    if (stop_requested)
        return;
    if (sum.exit_code == 0 || sum.skipped)
        d->failing_since = 0;
    else if (!d->failing_since)
        d->failing_since = sum.started_at;
    d->last = sum;
    d->have_last = true;
    d->next_at = next_start(d->cfg);
    idle_status(d);
}

/* Waits until the next start, a signal, or the next watchdog ping. Signals
 * are blocked except inside ppoll, so none is lost between the check and
 * the wait. */
static void wait_idle(struct daemon *d, const sigset_t *unblocked)
{
    for (;;) {
        int64_t now = time(NULL), left_ms;
        struct timespec ts;

        if (stop_requested || reload_requested || sync_requested || now >= d->next_at)
            return;
        left_ms = (d->next_at - now) * 1000;
        if (d->watchdog_usec && left_ms > (int64_t)(d->watchdog_usec / 2000))
            left_ms = (int64_t)(d->watchdog_usec / 2000);
        if (left_ms > 1000 * 60)
            left_ms = 1000 * 60;
        ts.tv_sec = left_ms / 1000;
        ts.tv_nsec = (left_ms % 1000) * 1000000L;
        if (ppoll(NULL, 0, &ts, unblocked) < 0 && errno != EINTR)
            return;
        ping_watchdog(d, false);
    }
}

int daemon_run(const char *config_path, struct config *cfg)
{
    struct daemon d = {.config_path = config_path, .cfg = cfg};
    struct sync_hooks hooks = {on_sync_status, on_sync_progress, &d};
    struct sigaction sa;
    sigset_t blocked, unblocked;
    int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&blocked);
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&blocked, sigs[i]);
    }
    signal(SIGPIPE, SIG_IGN);
    srandom((unsigned)(time(NULL) ^ getpid()));
    d.watchdog_usec = notify_watchdog_usec();
    d.sync = sync_new(cfg, &stop_requested, &hooks);
    running = d.sync;

    log_event(LOG_INFO, "daemon_started", NULL, "ipasnd %s started: syncing %s every %lld s",
              PACKAGE_VERSION, cfg->source.url, (long long)cfg->sync.interval);
    /* A schema this binary cannot use needs a person: exit 78, which the
     * unit does not restart. Any other failure the first cycle retries. */
    if (sync_migrate(d.sync) == EXIT_CONFIG) {
        running = NULL;
        sync_free(d.sync);
        config_free(d.cfg);
        return EXIT_CONFIG;
    }
    d.next_at = time(NULL);
    notify_send("READY=1\nSTATUS=started; first sync now");

    while (!stop_requested) {
        sigprocmask(SIG_BLOCK, &blocked, &unblocked);
        wait_idle(&d, &unblocked);
        sigprocmask(SIG_SETMASK, &unblocked, NULL);
        if (stop_requested)
            break;
        if (reload_requested) {
            reload_requested = 0;
            reload(&d);
            continue;
        }
        if (sync_requested) {
            sync_requested = 0;
            log_info("SIGUSR1: syncing now");
            d.next_at = time(NULL);
        }
        if (time(NULL) >= d.next_at)
            run_cycle(&d);
    }

    notify_send("STOPPING=1\nSTATUS=stopping");
    log_event(LOG_INFO, "daemon_stopping", NULL, "ipasnd stopping");
    running = NULL;
    sync_free(d.sync);
    config_free(d.cfg);
    return 0;
}
