/* sync_int.h: what sync.c shares with the sources beside the listing
 * (sync_siasn.c) and nobody else may use: the cycle's context and the
 * steps of writing a page and saying what it did. */
#ifndef IPASND_SYNC_INT_H
#define IPASND_SYNC_INT_H

#include <stdatomic.h>
#include <stdbool.h>

#include "assess.h"
#include "config.h"
#include "http.h"
#include "siasn.h"
#include "store.h"
#include "sync.h"

struct roster_cache;

/* Issue lines past log.max_issue_lines are counted by code instead. */
struct tally {
    char code[40];
    int opened, resolved, quarantined;
};

struct sync_ctx {
    const struct config *cfg;
    atomic_int *stop;
    atomic_int cancel_fetch;             /* the pipeline's transfer is no longer wanted */
    struct store_cancel *_Atomic cancel; /* cancels the statement under way */
    struct sync_hooks hooks;
    struct store *store;
    char *store_conninfo;
    struct http_client *http;
    struct siasn_client *siasn;  /* source.type siasn: the WS SIASN calls */
    struct roster_cache *roster; /* its roster as last read (sync_siasn.c) */
    bool http_stale;             /* the config changed: build new clients */
    bool migrated;
    bool locked;
    /* per cycle */
    struct config_index idx; /* cfg->index with its period and as-of date resolved */
    struct quality_ctx assess;
    int issue_lines;
    struct tally tallies[48];
    size_t n_tallies;
    int suppressed;
};

/* The status line (STATUS=) and the proof of progress (the watchdog). */
void sync_status(struct sync_ctx *ctx, const char *line);
void sync_progress(struct sync_ctx *ctx);
bool sync_stopping(const struct sync_ctx *ctx);

/* Writes a page in one transaction, reconnecting and writing it again
 * when the connection breaks. */
int sync_write_page(struct sync_ctx *ctx, struct page_write *w, struct page_result *res,
                    struct error *err);

/* A page written: its counts into sum, its issues and quarantined records
 * logged within the cycle's budget of lines. */
void sync_page_written(struct sync_ctx *ctx, struct sync_summary *sum, const struct page *pg,
                       const struct page_result *res);

/* The OPD and instansi scores refreshed: from every score with full, else
 * from the running sums; a failure is the cycle's. */
int sync_aggregates(struct sync_ctx *ctx, bool full, struct sync_summary *sum);

/* sync_siasn.c: a cycle of source.type "siasn" under the lock, the run
 * started; returns its exit code. */
int sync_siasn(struct sync_ctx *ctx, const struct sync_options *opts, int64_t run_id,
               struct sync_summary *sum);
void sync_siasn_free(struct sync_ctx *ctx); /* the roster it keeps; NULL is a no-op */

#endif
