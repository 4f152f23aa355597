/* One sync cycle: the only module that wires the others. It takes the
 * source's lock, fetches pages, scores and checks every record, writes each
 * page in one transaction, refreshes the aggregates, and decides what to
 * log. Also recompute, migrate and the dry run. Owns the PostgreSQL
 * connection and the HTTP client across cycles. */
#ifndef IPASND_SYNC_H
#define IPASND_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct sync_options {
    bool full;       /* a full listing whatever the schedule */
    const char *nip; /* refresh this one employee only */
    bool dry_run;    /* fetch, decode, check and score; write nothing */
    bool no_migrate; /* do not apply pending schema migrations */
};

/* What a cycle did, for STATUS= lines and exit codes. */
struct sync_summary {
    int exit_code; /* 0, 65 bad page, 69 endpoint, 75 try again, 70 internal */
    bool skipped;  /* another ipasnd held the lock */
    char mode[16];
    int pages, records, inserted, updated, unchanged, deactivated, quarantined;
    int issues_opened, issues_resolved;
    int64_t started_at, finished_at; /* Unix seconds */
    int64_t duration_ms;
    long http_status; /* of the failing request, 0 when none */
    char error[256];  /* why it failed, "" on success */
    char note[128];   /* what the source adds to STATUS= ("" for none) */
};

/* Progress hooks for the daemon: a status line a person reads (STATUS=),
 * and proof of progress (the watchdog). Either may be NULL. */
struct sync_hooks {
    void (*status)(void *ud, const char *line);
    void (*progress)(void *ud);
    void *ud;
};

struct sync_ctx;

/* A context for cfg (borrowed: it must outlive the context, or be replaced
 * with sync_set_config). stop is raised by a signal handler: a transfer or
 * wait in progress ends promptly and the open page is rolled back. */
struct sync_ctx *sync_new(const struct config *cfg, atomic_int *stop,
                          const struct sync_hooks *hooks);
void sync_free(struct sync_ctx *ctx); /* NULL is a no-op */

/* Cancels the database statement under way, from a signal handler
 * (async-signal-safe): a stop then waits for no slow statement. The page
 * being written rolls back. */
void sync_interrupt(struct sync_ctx *ctx);

/* Uses cfg from the next cycle on; the connections follow it. */
void sync_set_config(struct sync_ctx *ctx, const struct config *cfg);

/* Applies pending migrations; returns an exit code. */
int sync_migrate(struct sync_ctx *ctx);

/* One cycle; returns its exit code (also in out->exit_code). */
int sync_cycle(struct sync_ctx *ctx, const struct sync_options *opts, struct sync_summary *out);

/* Recomputes every score and aggregate of period (0 = the configured one)
 * from the database; returns an exit code. */
int sync_recompute(struct sync_ctx *ctx, int period, struct sync_summary *out);

#endif
