/* sync_siasn.c: a sync cycle of source.type "siasn" (siasn-api.md). The
 * roster file says who is in scope; the roster table says who is due.
 * The due employees are fetched through siasn.c, each assembled into the
 * listing's record shape (siasn_decode.c) and handed to the same page
 * write as the listing: quality, scoring and the store do not know where
 * a record came from. Employees are written in batches, each batch with
 * its fetch times in the same transaction; one whose calls failed keeps
 * its stored version and stays due for the next cycle. */
#include "autoconfig.h"

#include "sync_int.h"

#include "log.h"
#include "mem.h"
#include "siasn_roster.h"
#include "simpeg.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH_MAX          100   /* employees a page transaction holds at most */
#define BATCH_AGE_MS       60000 /* nor does a fetched employee wait longer than this */
#define SIASN_BUDGET_SHARE 0.8   /* of sync.interval: what a cycle may spend fetching */
#define CALLS_PER_NIP      SIASN_CALLS

/* The roster in memory, as last read, and its file's identity. */
struct roster_cache {
    struct siasn_roster *r;
    const struct siasn_roster_entry **by_nip; /* sorted by NIP, for bsearch */
    struct stat st;
    char *path;
};

/* The employees of one page transaction. */
struct batch {
    char *text[BATCH_MAX + 1];
    size_t len[BATCH_MAX + 1];
    const char *nip[BATCH_MAX + 1]; /* the due list's strings */
    bool not_found[BATCH_MAX + 1];
    size_t n, n_text;
    const char *failed[BATCH_MAX + 1]; /* tried and failed: their failure counted */
    size_t n_failed;
    int64_t first_ms;
    const char *instansi_id;
};

/* The run: the fetch on the caller's thread, the writes on a thread of
 * their own, so that the calls keep their pace while a batch commits.
 * One batch fills while the other is written; the fetch waits for the
 * writer only when both are full. The writer alone uses the database
 * from the first hand-over to the join. */
struct run {
    struct sync_ctx *ctx;
    struct sync_summary *sum; /* the writer's until the join */
    int64_t run_id;
    struct strlist due;
    size_t next;
    int64_t deadline_ms; /* 0: none */
    struct batch b[2];
    int filling;        /* the batch done_fn adds to */
    pthread_mutex_t mu; /* guards what follows */
    pthread_cond_t cv;
    bool handed, quit, writer;
    pthread_t thread;
    atomic_int rc;     /* the cycle's exit code once a batch failed to be written */
    struct error werr; /* the writer's */
    /* what the cycle did (the fetch's) */
    int fetched, unknown, failed;
    struct error err;
};

static int run_fail(struct sync_summary *sum, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int run_fail(struct sync_summary *sum, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sum->error, sizeof(sum->error), fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- the roster ----------------------------------------------------------- */

static struct roster_cache *cache_of(struct sync_ctx *ctx)
{
    if (!ctx->roster)
        ctx->roster = xcalloc(1, sizeof(struct roster_cache));
    return ctx->roster;
}

static void cache_clear(struct roster_cache *rc)
{
    siasn_roster_free(rc->r);
    free(rc->by_nip);
    free(rc->path);
    memset(rc, 0, sizeof(*rc));
}

void sync_siasn_free(struct sync_ctx *ctx)
{
    if (!ctx || !ctx->roster)
        return;
    cache_clear(ctx->roster);
    free(ctx->roster);
    ctx->roster = NULL;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct siasn_roster_entry *x = *(const struct siasn_roster_entry *const *)a,
                                    *y = *(const struct siasn_roster_entry *const *)b;

    return strcmp(x->nip, y->nip);
}

static const struct siasn_roster_entry *roster_entry(const struct roster_cache *rc, const char *nip)
{
    struct siasn_roster_entry key, *kp = &key;
    const struct siasn_roster_entry **hit;

    snprintf(key.nip, sizeof(key.nip), "%s", nip);
    hit = bsearch(&kp, rc->by_nip, rc->r->n, sizeof(*rc->by_nip), entry_cmp);
    return hit ? *hit : NULL;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void log_roster(struct sync_ctx *ctx, const struct siasn_roster *r,
                       const struct roster_change *ch)
{
    char n[4][16];

    snprintf(n[0], sizeof(n[0]), "%zu", r->n);
    snprintf(n[1], sizeof(n[1]), "%d", ch->added);
    snprintf(n[2], sizeof(n[2]), "%d", ch->left);
    snprintf(n[3], sizeof(n[3]), "%zu", r->n_bad);
    log_event(LOG_INFO, "siasn_roster",
              LOG_FIELDS({"IN_ROSTER", n[0]}, {"ADDED", n[1]}, {"LEFT", n[2]}, {"SET_ASIDE", n[3]}),
              "roster read: %zu NIPs (%d new, %d left the roster, %d of them deactivated), %zu "
              "rows set aside",
              r->n, ch->added, ch->left, ch->deactivated, r->n_bad);
    for (size_t i = 0; i < r->n_bad && i < (size_t)ctx->cfg->log.max_issue_lines; i++) {
        char line[16], q[64];

        snprintf(line, sizeof(line), "%zu", r->bad[i].line);
        text_quote(q, sizeof(q), r->bad[i].nip);
        log_event(LOG_WARNING, "dq_issue", LOG_FIELDS({"DQ_CODE", "nip_invalid"}, {"LINE", line}),
                  "roster line %zu: NIP %s %s; it is not fetched", r->bad[i].line, q,
                  r->bad[i].why);
    }
}

/* Reads the roster file when it changed (or was never read by this
 * process) and makes the roster table follow it. */
static int roster_refresh(struct sync_ctx *ctx, bool *deactivated, struct sync_summary *sum)
{
    const struct config_siasn *cfg = &ctx->cfg->source.siasn;
    struct roster_cache *rc = cache_of(ctx);
    struct siasn_roster *r = NULL;
    struct roster_change ch;
    struct error err = {{0}};
    struct stat st;
    const char **nips;
    int ret;

    *deactivated = false;
    if (stat(cfg->roster_path, &st) != 0) {
        if (rc->r)
            return 0; /* the last good copy stays in force */
        return run_fail(sum, EXIT_CONFIG, "source.siasn.roster_file %s cannot be read",
                        cfg->roster_path);
    }
    if (rc->r && rc->path && strcmp(rc->path, cfg->roster_path) == 0 && same_file(&st, &rc->st))
        return 0;
    if (siasn_roster_read(cfg->roster_path, (size_t)ctx->cfg->source.max_page_bytes, &r, &err) <
        0) {
        if (rc->r) {
            log_warning("source.siasn.roster_file: %s; the roster read before stays in force",
                        err.msg);
            return 0;
        }
        return run_fail(sum, EXIT_CONFIG, "source.siasn.roster_file: %s", err.msg);
    }
    nips = xcalloc(r->n ? r->n : 1, sizeof(*nips));
    for (size_t i = 0; i < r->n; i++)
        nips[i] = r->entries[i].nip;
    ret = store_roster_update(ctx->store, ctx->cfg->source.instansi_id, nips, r->line, r->n, &ch,
                              &err);
    free(nips);
    if (ret < 0) {
        siasn_roster_free(r);
        return run_fail(sum, store_exit_code(ret), "the roster table: %s", err.msg);
    }
    cache_clear(rc);
    rc->r = r;
    rc->st = st;
    rc->path = xstrdup(cfg->roster_path);
    rc->by_nip = xcalloc(r->n ? r->n : 1, sizeof(*rc->by_nip));
    for (size_t i = 0; i < r->n; i++)
        rc->by_nip[i] = &r->entries[i];
    qsort(rc->by_nip, r->n, sizeof(*rc->by_nip), entry_cmp);
    log_roster(ctx, r, &ch);
    sum->deactivated += ch.deactivated;
    *deactivated = ch.left > 0;
    return 0;
}

/* ---- a batch ----------------------------------------------------------------- */

/* The NIPs SIASN does not know, as rejected records of the page: they are
 * quarantined as siasn_not_found, never scored. */
static void add_not_found(struct page *pg, const struct batch *b)
{
    size_t k = 0, unknown = b->n - b->n_text;
    struct rejected_record *v;

    if (!unknown)
        return;
    v = arena_alloc(pg->arena, (pg->n_rejected + unknown) * sizeof(*v));
    memcpy(v, pg->rejected, pg->n_rejected * sizeof(*v));
    for (size_t i = 0; i < b->n; i++) {
        struct rejected_record *q;
        char raw[64];

        if (!b->not_found[i])
            continue;
        q = &v[pg->n_rejected + k++];
        snprintf(raw, sizeof(raw), "{\"nipBaru\":\"%s\"}", b->nip[i]);
        q->nip = arena_strdup(pg->arena, b->nip[i]);
        q->code = "siasn_not_found";
        q->reason = "WS SIASN does not know this NIP (data-utama: Data tidak ditemukan)";
        q->raw = arena_strdup(pg->arena, raw);
        q->index = i;
    }
    pg->rejected = v;
    pg->n_rejected += unknown;
}

static int mark_fetched(struct store *st, void *ud, struct error *err)
{
    struct batch *b = ud;

    return store_roster_mark(st, b->instansi_id, b->nip, b->not_found, b->n, err);
}

static void batch_clear(struct batch *b)
{
    for (size_t i = 0; i < b->n_text; i++)
        free(b->text[i]);
    b->n = b->n_text = b->n_failed = 0;
}

/* Writes the batch in one transaction with its fetch times; its failures
 * after. On the writer's thread. */
static int batch_write(struct run *r, struct batch *b)
{
    struct sync_ctx *ctx = r->ctx;
    struct simpeg_limits lim = simpeg_limits_for(BATCH_MAX);
    const char *names[BATCH_MAX + 1];
    struct page *pg = NULL;
    struct assessed a = {0};
    struct page_result res = {0};
    struct page_write w;
    size_t k = 0;
    int rc = 0;

    if (b->n_failed &&
        store_roster_failed(ctx->store, b->instansi_id, b->failed, b->n_failed, &r->werr) < 0)
        log_warning("the roster table: %s", r->werr.msg);
    if (b->n == 0)
        goto out;
    for (size_t i = 0; i < b->n; i++)
        if (!b->not_found[i])
            names[k++] = b->nip[i];
    if (!(pg = simpeg_decode_records((const char *const *)b->text, b->len, names, b->n_text, &lim,
                                     &r->werr))) {
        rc = run_fail(r->sum, EXIT_SOFTWARE, "an assembled WS SIASN record: %s", r->werr.msg);
        goto out;
    }
    /* An official value assembled from nilaiipasn is SIASN's. */
    for (size_t i = 0; i < pg->n_employees; i++)
        if (pg->employees[i].ipasn.present)
            pg->employees[i].ipasn.source = "siasn";
    add_not_found(pg, b);
    assess_page(pg, &ctx->assess, &a);
    w = (struct page_write){.mode = WRITE_SINGLE,
                            .agg_period = ctx->idx.period,
                            .instansi_id = b->instansi_id,
                            .source = ctx->cfg->source.url,
                            .page_url = ctx->cfg->source.url,
                            .page = pg,
                            .scores = a.scores,
                            .issues = a.issues,
                            .run_id = r->run_id,
                            .in_transaction = mark_fetched,
                            .in_transaction_ud = b};
    if ((rc = sync_write_page(ctx, &w, &res, &r->werr)) < 0) {
        rc = run_fail(r->sum, store_exit_code(rc), "%s", r->werr.msg);
        goto out;
    }
    sync_page_written(ctx, r->sum, pg, &res);
    sync_progress(ctx); /* the watchdog is fed by batches written */
out:
    page_result_free(&res);
    assessed_free(&a);
    page_free(pg);
    batch_clear(b);
    return rc;
}

static void *writer_main(void *arg)
{
    struct run *r = arg;

    pthread_mutex_lock(&r->mu);
    for (;;) {
        struct batch *b;
        int rc;

        while (!r->handed && !r->quit)
            pthread_cond_wait(&r->cv, &r->mu);
        if (!r->handed)
            break;
        b = &r->b[!r->filling];
        pthread_mutex_unlock(&r->mu);
        rc = atomic_load(&r->rc) ? 0 : batch_write(r, b);
        if (rc)
            atomic_store(&r->rc, rc);
        if (atomic_load(&r->rc))
            batch_clear(b); /* after a failed write nothing more is written */
        pthread_mutex_lock(&r->mu);
        r->handed = false;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Hands the filled batch to the writer, once it is done with the other. */
static void batch_hand(struct run *r)
{
    struct batch *b = &r->b[r->filling];

    if (b->n == 0 && b->n_failed == 0)
        return;
    pthread_mutex_lock(&r->mu);
    while (r->handed)
        pthread_cond_wait(&r->cv, &r->mu);
    r->handed = true;
    r->filling = !r->filling;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* The last batch handed over and written; the writer gone. */
static void writer_end(struct run *r)
{
    if (!r->writer)
        return;
    batch_hand(r);
    pthread_mutex_lock(&r->mu);
    r->quit = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    r->writer = false;
}

/* ---- the fetch --------------------------------------------------------------- */

static const char *next_nip(void *ud, size_t *index)
{
    struct run *r = ud;

    if (atomic_load(&r->rc) || r->next >= r->due.n || sync_stopping(r->ctx))
        return NULL;
    if (r->deadline_ms && now_monotonic_ms() >= r->deadline_ms)
        return NULL;
    *index = r->next;
    return r->due.v[r->next++];
}

static void employee_failed(struct run *r, const struct siasn_employee *e)
{
    struct batch *b = &r->b[r->filling];
    char q[300];

    r->failed++;
    text_quote(q, sizeof(q), e->why);
    log_event(LOG_WARNING, "siasn_employee_failed", LOG_FIELDS({"NIP", e->nip}),
              "NIP %s not refreshed: %s; its stored version stays and it is tried again next "
              "cycle",
              e->nip, q);
    b->failed[b->n_failed++] = r->due.v[e->index];
    if (b->n_failed > BATCH_MAX - 1)
        batch_hand(r);
}

static int employee_done(void *ud, const struct siasn_employee *e)
{
    struct run *r = ud;
    struct batch *b = &r->b[r->filling];
    const struct siasn_roster_entry *entry = roster_entry(r->ctx->roster, e->nip);
    struct siasn_roster_entry none = {0};
    char now[40];
    char *text = NULL;
    size_t len = 0;
    enum siasn_assembled got;

    if (e->outcome == SIASN_FAILED) {
        employee_failed(r, e);
        return atomic_load(&r->rc) ? -1 : 0;
    }
    got = e->outcome == SIASN_UNKNOWN ? SIASN_NOT_FOUND : SIASN_ASSEMBLED;
    if (e->outcome == SIASN_FETCHED) {
        if (!entry) {
            snprintf(none.nip, sizeof(none.nip), "%s", e->nip);
            entry = &none;
        }
        timestamp_format(time(NULL), now, sizeof(now));
        got = siasn_assemble(&e->answers, entry, &r->ctx->cfg->source.siasn, now, &text, &len,
                             &r->err);
        if (got == SIASN_BAD) {
            struct siasn_employee bad = *e;

            bad.why = r->err.msg;
            employee_failed(r, &bad);
            return atomic_load(&r->rc) ? -1 : 0;
        }
    }
    if (b->n == 0)
        b->first_ms = now_monotonic_ms();
    b->nip[b->n] = r->due.v[e->index];
    b->not_found[b->n] = got == SIASN_NOT_FOUND;
    if (got == SIASN_ASSEMBLED) {
        b->text[b->n_text] = text;
        b->len[b->n_text++] = len;
        r->fetched++;
    } else {
        r->unknown++;
    }
    b->n++;
    if (b->n >= BATCH_MAX || b->n >= (size_t)r->ctx->cfg->source.page_size ||
        now_monotonic_ms() - b->first_ms >= BATCH_AGE_MS)
        batch_hand(r);
    return atomic_load(&r->rc) ? -1 : 0;
}

/* Which NIPs this cycle fetches: --nip's one, every one with --full,
 * else those due, as many as the budget can fetch at the rate. */
static int choose(struct sync_ctx *ctx, const struct sync_options *opts, struct run *r)
{
    const struct config_source *src = &ctx->cfg->source;
    double budget_s = (double)ctx->cfg->sync.interval * SIASN_BUDGET_SHARE;
    size_t limit =
        (size_t)(budget_s * src->rate_limit / CALLS_PER_NIP) + (size_t)src->siasn.parallel;
    int rc;

    if (opts->nip) {
        if (!roster_entry(ctx->roster, opts->nip))
            return run_fail(r->sum, EXIT_USAGE, "NIP %.18s is not in source.siasn.roster_file",
                            opts->nip);
        strlist_add(&r->due, opts->nip);
        return 0;
    }
    if (opts->full)
        limit = ctx->roster->r->n;
    else
        r->deadline_ms = now_monotonic_ms() + (int64_t)(budget_s * 1000);
    if ((rc = store_roster_due(ctx->store, src->instansi_id, src->siasn.refresh_every,
                               r->sum->started_at, opts->full, limit, &r->due, &r->err)) < 0)
        return run_fail(r->sum, store_exit_code(rc), "the roster table: %s", r->err.msg);
    return 0;
}

/* How the roster stands, for STATUS= and the journal. */
static void say_due(struct sync_ctx *ctx, const struct siasn_counts *sc, struct sync_summary *sum)
{
    const struct config_source *src = &ctx->cfg->source;
    struct roster_counts n;
    struct error err = {{0}};
    double rate = src->rate_limit, hours;
    char line[256], due[24], total[24], eta[24], n1[32], n2[32];

    if (store_roster_counts(ctx->store, src->instansi_id, src->siasn.refresh_every, &n, &err) < 0)
        return;
    if (sc->requests > 100 && sc->elapsed_ms > 0)
        rate = (double)sc->requests * 1000 / (double)sc->elapsed_ms;
    hours = siasn_refresh_seconds(n.due, rate) / 3600;
    snprintf(due, sizeof(due), "%lld", n.due);
    snprintf(total, sizeof(total), "%lld", n.in_roster);
    snprintf(eta, sizeof(eta), "%.0f", hours * 3600);
    snprintf(line, sizeof(line),
             "WS SIASN: %lld of %lld roster NIPs due; all refreshed in about %.1f h at %.1f "
             "requests/s",
             n.due, n.in_roster, hours, rate);
    sync_status(ctx, line);
    snprintf(sum->note, sizeof(sum->note), "WS SIASN: %s of %s due, all refreshed in about %.1f h",
             fmt_thousands(n1, sizeof(n1), n.due), fmt_thousands(n2, sizeof(n2), n.in_roster),
             hours);
    log_event(LOG_INFO, "siasn_due",
              LOG_FIELDS({"DUE", due}, {"IN_ROSTER", total}, {"REFRESHED_IN_S", eta}), "%s", line);
}

static int run_end(struct sync_ctx *ctx, enum siasn_run_result rr, struct run *r)
{
    if (rr == SIASN_RUN_CALLER)
        return atomic_load(&r->rc);
    if (rr == SIASN_RUN_SSO)
        log_event(LOG_ERR, "siasn_sso_refused",
                  LOG_FIELDS({"SETTING", "source.siasn.sso_token_file"}),
                  "WS SIASN refused the SSO token: it must be renewed in "
                  "source.siasn.sso_token_file (log in to SIASN and paste a new token there)");
    if (rr == SIASN_RUN_ABORTED)
        return run_fail(r->sum, EXIT_TEMPFAIL,
                        "stopped by a signal after %d employees; the rest stay due", r->fetched);
    return run_fail(r->sum, siasn_run_exit_code(rr), "%s", r->err.msg);
}

int sync_siasn(struct sync_ctx *ctx, const struct sync_options *opts, int64_t run_id,
               struct sync_summary *sum)
{
    struct run *r = xcalloc(1, sizeof(*r));
    struct siasn_counts sc = {0};
    enum siasn_run_result rr;
    bool left = false;
    int rc;

    r->ctx = ctx;
    r->sum = sum;
    r->run_id = run_id;
    r->b[0].instansi_id = r->b[1].instansi_id = ctx->cfg->source.instansi_id;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if ((rc = roster_refresh(ctx, &left, sum)) != 0 || (rc = choose(ctx, opts, r)) != 0)
        goto out;
    if (thread_start(&r->thread, writer_main, r) != 0) {
        rc = run_fail(sum, EXIT_SOFTWARE, "cannot start the thread that writes the batches");
        goto out;
    }
    r->writer = true;
    log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", sum->mode}),
              "WS SIASN sync started: %zu employees to fetch", r->due.n);
    rr = siasn_run(ctx->siasn, next_nip, employee_done, r, &r->err);
    siasn_counts(ctx->siasn, &sc);
    /* The employees fetched whole before an end of any kind are kept. */
    writer_end(r);
    rc = rr != SIASN_RUN_OK ? run_end(ctx, rr, r) : atomic_load(&r->rc);
    if (rc == 0 && r->failed && !r->fetched && !r->unknown)
        rc = run_fail(sum, EXIT_TEMPFAIL, "no employee could be refreshed: %d failed", r->failed);
    else if (rc == 0 && (sum->pages || left))
        rc = sync_aggregates(ctx, left, sum);
out:
    writer_end(r);
    if (ctx->store && store_connected(ctx->store))
        say_due(ctx, &sc, sum);
    if (rc == 0 && r->failed)
        log_warning("%d employees could not be refreshed and stay due", r->failed);
    batch_clear(&r->b[0]);
    batch_clear(&r->b[1]);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    strlist_free(&r->due);
    free(r);
    return rc;
}
