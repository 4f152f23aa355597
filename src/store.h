/* PostgreSQL: the schema and its migrations, the sync state and runs
 * (store.c), the one transaction per page that writes employees,
 * histories, scores, issues, quarantined records and the next cursor
 * together (store_page.c), and the OPD and instansi aggregates
 * (store_aggregate.c). Knows libpq, not HTTP. Never builds SQL from data:
 * COPY and parameters only. Never logs. */
#ifndef IPASND_STORE_H
#define IPASND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "aggregate.h"
#include "config.h"
#include "model.h"
#include "quality.h"
#include "score.h"
#include "util.h"

/* What a store call came to. */
enum store_result {
    STORE_OK = 0,
    STORE_ERR = -1,        /* the statement failed; the connection is fine */
    STORE_ERR_CONN = -2,   /* the connection is gone: reconnect and retry */
    STORE_ERR_SCHEMA = -3, /* the schema is not what this binary needs */
    STORE_ERR_DENIED = -4, /* the role lacks a privilege: a person must grant it */
};

/* The sysexits code a command exits with on a store code: 78 for what a
 * person must fix (the schema, a privilege), 75 for what may pass. */
int store_exit_code(int rc);

struct migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct migration store_migrations[];
extern const size_t store_n_migrations;

struct store;
struct store_cancel;

/* Connects; NULL with err on failure (the message names no password). */
struct store *store_open(const char *conninfo, struct error *err);
void store_close(struct store *st); /* NULL is a no-op */
/* Drops the connection and connects again; the advisory lock, if it was
 * held, is taken again (STORE_ERR when another ipasnd took it meanwhile). */
int store_reconnect(struct store *st, struct error *err);
bool store_connected(const struct store *st);

/* Applies pending migrations in one transaction under an advisory lock.
 * *applied is how many were applied (0 when up to date). A schema newer
 * than this binary knows is STORE_ERR_SCHEMA, left as it is. */
int store_migrate(struct store *st, int *applied, struct error *err);
/* Brings the schema up to date, lets the reader role (when not NULL or "")
 * read the public views, once the schema is checked to be what this
 * binary needs: store_migrate, store_check_schema, store_grant_reader. */
int store_prepare(struct store *st, const char *reader_role, int *applied, struct error *err);

/* STORE_ERR_SCHEMA with a message when the schema is newer than this
 * binary knows, older than it needs, or lacks a table, column or public
 * view it reads or writes. */
int store_check_schema(struct store *st, struct error *err);

/* Lets role (an existing role, e.g. NOLOGIN, its members the analysts)
 * read the public views and nothing else of the schema. */
int store_grant_reader(struct store *st, const char *role, struct error *err);

/* The schema version the database holds (0 for none). */
int store_schema_version(struct store *st, int *version, struct error *err);

/* The session advisory lock of one source (instansi + URL): *got is false
 * when another session holds it. */
int store_lock(struct store *st, const char *instansi_id, const char *source, bool *got,
               struct error *err);

/* Where the sync of a source stands. Times are Unix seconds, 0 = none. */
struct sync_state {
    int64_t watermark;
    int64_t listing_id;          /* the listing under way, or the last one */
    char listing_mode[16];       /* "full" or "incremental" while under way, "" otherwise */
    int64_t listing_since;       /* updated_since the listing started with */
    int64_t listing_server_time; /* server_time of its first page */
    char *cursor;                /* NULL when no listing is under way */
    int pages;                   /* pages written in the listing under way */
    bool listing_fresh;          /* it began with no employee stored: a first load */
    int64_t last_full_at;
    int period; /* the period and rules the scores hold */
    uint64_t rules_hash;
    bool known; /* a row exists */
};

int store_load_state(struct store *st, const char *instansi_id, const char *source,
                     struct sync_state *out, struct error *err);
void sync_state_clear(struct sync_state *s);

/* Starts a listing: a new listing_id, its mode and updated_since; the
 * cursor stays empty until the first page is written. */
int store_begin_listing(struct store *st, const char *instansi_id, const char *source, bool full,
                        int64_t since, struct sync_state *state, struct error *err);

/* What a page write did, and what is worth logging after the commit. */
struct issue_event {
    char nip[24];
    char opd_id[64];
    char code[40];
    char field[96];
    char severity[12];
    char detail[200];
};

struct page_result {
    int inserted, updated, unchanged, deactivated, quarantined;
    int issues_opened, issues_resolved, duplicates;
    bool listing_done;                     /* this page ended the listing */
    bool deactivation_refused;             /* a full listing too small to trust */
    int listing_records, active_before;    /* for the message when refused */
    struct issue_event *opened, *resolved; /* heap; page_result_free */
    size_t n_opened, n_resolved;
};
void page_result_free(struct page_result *r);

enum write_mode {
    WRITE_SYNC,      /* a listing page: everything, and the cursor */
    WRITE_SINGLE,    /* one record by NIP: everything but the cursor */
    WRITE_RECOMPUTE, /* scores and issues only, employees untouched */
};

struct page_write {
    enum write_mode mode;
    const char *instansi_id;
    const char *source;   /* the source key: source.url */
    const char *page_url; /* where the page came from, for quarantine */
    const struct page *page;
    const struct score *scores;      /* one per page->employees[i] */
    const struct issue_list *issues; /* one per page->employees[i] */
    int64_t run_id;                  /* the sync_run row to add counts to */
    bool scores_only;                /* WRITE_RECOMPUTE of another period: scores, no issues */
    int agg_period;                  /* keep the running sums of this period; 0: rebuilt later */
    /* WRITE_SYNC: the listing and where it goes next */
    const struct sync_state *state;
    const char *next_cursor; /* NULL: this page ends the listing */
    int64_t server_time;     /* of this page */
    int64_t overlap;         /* sync.overlap, for the watermark */
    /* More statements of the caller's in the page's transaction, run last
     * before the commit (the WS SIASN roster's fetch times); NULL: none. */
    int (*in_transaction)(struct store *st, void *ud, struct error *err);
    void *in_transaction_ud;
};

/* Writes one page in one transaction; on any failure nothing of it stays.
 * Within the page the later of two records with one NIP wins; a NIP seen
 * before in the same listing, or twice in the page, gets a duplicate_record
 * issue. Unchanged employees (same content hash) keep their rows; their
 * issues are still checked. The page that ends a listing also ends it in
 * the same transaction: the watermark becomes the first page's server_time
 * minus the overlap, the cursor is cleared, and a full listing marks the
 * active employees it did not contain inactive and resolves their issues
 * (unless it saw fewer than half of them: then nobody is marked and
 * res->deactivation_refused says so). Fills *res (caller frees with
 * page_result_free). */
int store_write_page(struct store *st, const struct page_write *w, struct page_result *res,
                     struct error *err);

/* ---- the WS SIASN roster (store_siasn.c) ---------------------------------- */

struct roster_change {
    int added, left, deactivated;
};

/* Makes the roster table the n NIPs given (lines[i]: where the file has
 * nips[i]), in one transaction: new NIPs added, returning ones back in
 * scope, NIPs absent from it left (their employees inactive, their open
 * issues resolved; nothing deleted). */
int store_roster_update(struct store *st, const char *instansi_id, const char *const *nips,
                        const size_t *lines, size_t n, struct roster_change *out,
                        struct error *err);

/* At most limit NIPs due, appended to out: in the roster, not tried since
 * started_at (Unix seconds), and never fetched or fetched refresh_every
 * seconds ago or more (every one with all); never fetched first, then
 * the stalest. */
int store_roster_due(struct store *st, const char *instansi_id, int64_t refresh_every,
                     int64_t started_at, bool all, size_t limit, struct strlist *out,
                     struct error *err);

struct roster_counts {
    long long in_roster, due, never, failing, not_found;
};
int store_roster_counts(struct store *st, const char *instansi_id, int64_t refresh_every,
                        struct roster_counts *out, struct error *err);

/* Inside a page's transaction (page_write.in_transaction): the n NIPs
 * were fetched whole now; not_found[i] when SIASN did not know nips[i]. */
int store_roster_mark(struct store *st, const char *instansi_id, const char *const *nips,
                      const bool *not_found, size_t n, struct error *err);

/* The n NIPs were tried now and failed; they wait for the next cycle. */
int store_roster_failed(struct store *st, const char *instansi_id, const char *const *nips,
                        size_t n, struct error *err);

/* Refreshes the OPD and instansi aggregates of a period: from its running
 * sums, or (full, or when there are none yet) from every score. idx is the
 * configured index: its rules, target and previous value. */
int store_refresh_aggregates(struct store *st, const char *instansi_id,
                             const struct config_index *idx, int period, bool full,
                             struct error *err);

/* Keeps the period's aggregates as they stand as the snapshot of day (a
 * date_t): the instansi's and every OPD's value, dimensions, employees,
 * coverage and open issues, replacing whatever that day held. */
int store_keep_day(struct store *st, const char *instansi_id, int period, date_t day,
                   struct error *err);

/* Whether the stored aggregates of period are still right: made with idx's
 * target and previous value, and no run since wrote a score (the scores
 * themselves follow the rules hash). */
int store_aggregates_current(struct store *st, const char *instansi_id,
                             const struct config_index *idx, int period, bool *current,
                             struct error *err);

/* What ipasnd computed as the instansi value of period, in hundredths, or
 * -1 when it holds none. */
int store_instansi_total(struct store *st, const char *instansi_id, int period, int *total,
                         struct error *err);

/* Records the period and rules the stored scores follow. */
int store_set_rules(struct store *st, const char *instansi_id, const char *source, int period,
                    uint64_t rules_hash, struct error *err);

/* sync_run rows. Page writes add their counts to the run's row in their
 * own transaction, so the row is exact even after a crash. Starting a run
 * marks the source's previous run "interrupted" if it never finished (the
 * process died); call it holding the source's lock. */
int store_run_start(struct store *st, const char *instansi_id, const char *source, const char *mode,
                    int64_t *run_id, struct error *err);
int store_run_finish(struct store *st, int64_t run_id, const char *status, const char *error,
                     struct error *err);

/* Retention: what is older than its keep (seconds; 0 keeps it) goes, at
 * most batch rows of each kind per call, the oldest first: quarantine
 * rows unseen for quarantine_keep, sync_run rows started runs_keep ago,
 * and the record (raw text, birth date) and histories of employees
 * inactive for departed_keep; their rows, past scores and BKN's values
 * stay. */
struct store_keep {
    int64_t quarantine, runs, departed;
};
struct store_retained {
    int quarantine, runs, departed;
};
int store_retain(struct store *st, const char *instansi_id, const struct store_keep *keep,
                 int batch, struct store_retained *out, struct error *err);

/* Recompute: calls fn with batches of active employees' NIPs and stored raw
 * JSON, count texts of len bytes each, in NIP order (they last until fn
 * returns); stops on a non-zero return. */
typedef int (*store_raw_fn)(void *ctx, const char *const *nip, const char *const *text,
                            const size_t *len, size_t count);
int store_scan_raw(struct store *st, const char *instansi_id, size_t batch, store_raw_fn fn,
                   void *ctx, struct error *err);

/* ---- stopping a statement from a signal handler ------------------------ */

/* A handle that cancels the statement under way on st's connection as it
 * is now (NULL when there is none); a reconnect makes a new connection
 * that needs a new handle. */
struct store_cancel *store_cancel_new(struct store *st);
void store_cancel_free(struct store_cancel *c); /* NULL is a no-op */
/* Asks the server to cancel; async-signal-safe. */
void store_cancel_send(struct store_cancel *c);

/* ---- BKN's official values (store_official.c) ------------------------------ */

struct official_file;
struct official_import {
    size_t inserted, updated; /* rows new, rows whose values changed */
    size_t matched;           /* NIPs of active employees ipasnd holds */
};
/* Writes every row of f under source 'import' in one transaction; a row
 * already stored with the same values is not touched. 0 or a store code. */
int store_import_official(struct store *st, const char *instansi_id, const struct official_file *f,
                          struct official_import *res, struct error *err);

/* Where an employee has official values from several sources for one
 * period, the one that counts: an imported file first (the BKD chose to
 * load it), then SIASN's, then the listing's. An SQL ORDER BY term over a
 * column named source. */
#define STORE_OFFICIAL_SOURCE_RANK "CASE source WHEN 'import' THEN 0 WHEN 'siasn' THEN 1 ELSE 2 END"

/* One employee's official value for a period, hundredths: the four
 * dimensions in the regulation's order, then the total. */
struct official_value {
    char nip[19];
    int points[5];
};
/* Every official value of period (one per NIP, by the rank above), in
 * NIP order. Caller frees *out. 0 or a store code. */
int store_official_values(struct store *st, const char *instansi_id, int period,
                          struct official_value **out, size_t *n, struct error *err);

/* The schema version BKN's official values per source need. */
#define STORE_OFFICIAL_SCHEMA_VERSION 7

/* ---- queries, for the report and the status ------------------------------ */

/* One statement with text parameters (n of them): its rows, or NULL with
 * err and *rc a store code. Caller frees the result with PQclear. */
PGresult *store_query(struct store *st, const char *sql, int n, const char *const *params, int *rc,
                      struct error *err);
/* A statement whose result does not matter; 0 or a store code. */
int store_exec(struct store *st, const char *sql, int n, const char *const *params,
               struct error *err);
/* An integer column; 0 for NULL and for what is not one. */
long long store_col_int(const PGresult *r, int row, int col);
/* A text column as a heap string; NULL for NULL. */
char *store_col_dup(const PGresult *r, int row, int col);
/* A text column copied into dst; "" for NULL. */
void store_col_copy(char *dst, size_t size, const PGresult *r, int row, int col);
bool store_col_true(const PGresult *r, int row, int col);

/* A read-only snapshot: every query until store_snapshot_end sees the
 * database as it was at the first. */
int store_snapshot_begin(struct store *st, struct error *err);
void store_snapshot_end(struct store *st);

/* STORE_ERR_SCHEMA, with a message saying to migrate, when the schema the
 * database holds is older than want. */
int store_require_schema(struct store *st, int want, struct error *err);

#endif
