#include "autoconfig.h"

#include "sync.h"

#include "mem.h"

#include "http.h"
#include "log.h"
#include "quality.h"
#include "score.h"
#include "simpeg.h"
#include "store.h"
#include "util.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Issue lines past log.max_issue_lines are counted by code instead. */
struct tally {
    char code[40];
    int opened, resolved, quarantined;
};

struct sync_ctx {
    const struct config *cfg;
    volatile sig_atomic_t *stop;
    volatile sig_atomic_t cancel_fetch; /* the fetch ahead is no longer wanted */
    PGcancel *_Atomic cancel;           /* cancels the statement under way */
    struct sync_hooks hooks;
    struct store *store;
    char *store_conninfo;
    struct http_client *http;
    bool http_stale; /* the config changed: build a new client */
    bool migrated;
    bool locked;
    /* per cycle */
    int issue_lines;
    struct tally tallies[48];
    size_t n_tallies;
    int suppressed;
};

/* ---- small things ------------------------------------------------------ */

static void status(struct sync_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void status(struct sync_ctx *ctx, const char *fmt, ...)
{
    char line[256];
    va_list ap;

    if (!ctx->hooks.status)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    ctx->hooks.status(ctx->hooks.ud, line);
}

static void progress(struct sync_ctx *ctx)
{
    if (ctx->hooks.progress)
        ctx->hooks.progress(ctx->hooks.ud);
}

static bool stopping(const struct sync_ctx *ctx)
{
    return ctx->stop && *ctx->stop;
}

/* Sleeps up to ms, waking early when asked to stop. */
static void nap(struct sync_ctx *ctx, int64_t ms)
{
    int64_t until = now_monotonic_ms() + ms, last_ping = 0;

    while (!stopping(ctx)) {
        int64_t now = now_monotonic_ms(), left = until - now;
        struct timespec ts;

        if (left <= 0)
            break;
        if (now - last_ping >= 1000) {
            progress(ctx);
            last_ping = now;
        }
        if (left > 100)
            left = 100;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)left * 1000000L;
        nanosleep(&ts, NULL);
    }
}

static struct tally *tally_of(struct sync_ctx *ctx, const char *code)
{
    for (size_t i = 0; i < ctx->n_tallies; i++)
        if (strcmp(ctx->tallies[i].code, code) == 0)
            return &ctx->tallies[i];
    if (ctx->n_tallies == ARRAY_SIZE(ctx->tallies))
        return &ctx->tallies[ARRAY_SIZE(ctx->tallies) - 1];
    snprintf(ctx->tallies[ctx->n_tallies].code, sizeof(ctx->tallies[0].code), "%s", code);
    return &ctx->tallies[ctx->n_tallies++];
}

/* Whether one more issue line fits in this cycle's budget. */
static bool issue_line_allowed(struct sync_ctx *ctx)
{
    if (ctx->issue_lines < ctx->cfg->log.max_issue_lines) {
        ctx->issue_lines++;
        return true;
    }
    ctx->suppressed++;
    return false;
}

/* ---- connections -------------------------------------------------------- */

static void on_http_event(void *ud, const struct http_event *ev)
{
    char status_s[16], wait_s[24], attempt_s[16];

    snprintf(status_s, sizeof(status_s), "%ld", ev->status);
    snprintf(wait_s, sizeof(wait_s), "%" PRId64, ev->wait_ms);
    snprintf(attempt_s, sizeof(attempt_s), "%d", ev->attempt);
    switch (ev->kind) {
    case HTTP_EVENT_RETRY:
        if (ev->status == 429 || ev->status == 503)
            log_event(LOG_WARNING, "rate_limited",
                      LOG_FIELDS({"URL", ev->url}, {"HTTP_STATUS", status_s}, {"WAIT_MS", wait_s}),
                      "SIMPEG asked to slow down (%s); waiting %.1f s before attempt %d",
                      ev->reason, (double)ev->wait_ms / 1000, ev->attempt + 1);
        else
            log_event(LOG_WARNING, "http_retry",
                      LOG_FIELDS({"URL", ev->url}, {"HTTP_STATUS", ev->status ? status_s : NULL},
                                 {"ATTEMPT", attempt_s}, {"WAIT_MS", wait_s}),
                      "request to %s failed (%s); retrying in %.1f s", ev->url, ev->reason,
                      (double)ev->wait_ms / 1000);
        break;
    case HTTP_EVENT_TOKEN:
        log_debug("obtained an access token from the token endpoint");
        break;
    case HTTP_EVENT_REFRESH:
        log_event(LOG_NOTICE, "token_refreshed",
                  LOG_FIELDS({"URL", ev->url}, {"HTTP_STATUS", status_s}),
                  "SIMPEG answered 401 to %s; refreshing the access token once", ev->url);
        break;
    case HTTP_EVENT_REQUEST:
        log_debug("GET %s: %s, %zu bytes in %" PRId64 " ms", ev->url, ev->reason, ev->bytes,
                  ev->elapsed_ms);
        break;
    }
}

static void on_http_progress(void *ud)
{
    progress(ud);
}

static int ensure_http(struct sync_ctx *ctx, struct error *err)
{
    struct http_hooks hooks = {.abort_flag = ctx->stop,
                               .cancel_flag = &ctx->cancel_fetch,
                               .progress = on_http_progress,
                               .event = on_http_event,
                               .ud = ctx};

    if (ctx->http && !ctx->http_stale)
        return 0;
    http_client_free(ctx->http);
    ctx->http = http_client_new(&ctx->cfg->source, &hooks, err);
    ctx->http_stale = false;
    return ctx->http ? 0 : -1;
}

/* Signals that stop a sync: held back while the cancel handle is swapped
 * (and in the helper threads, see thread_start), so that the handler runs
 * on the thread that owns the connection and never sees a freed handle. */
static void stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

/* Keeps the cancel handle of the current connection for sync_interrupt. */
static void set_cancel(struct sync_ctx *ctx)
{
    PGcancel *c = store_connected(ctx->store) ? PQgetCancel(store_conn(ctx->store)) : NULL;
    sigset_t block, old;
    PGcancel *prev;

    stop_signals(&block);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    prev = atomic_exchange(&ctx->cancel, c);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    PQfreeCancel(prev);
}

void sync_interrupt(struct sync_ctx *ctx)
{
    PGcancel *c = ctx ? atomic_load(&ctx->cancel) : NULL;
    char buf[64];

    if (c)
        PQcancel(c, buf, sizeof(buf));
}

/* Connects, or reconnects after a lost connection (at once when force:
 * libpq may still believe in a connection the server closed), with backoff
 * within the source's retry budget. */
static int connect_store(struct sync_ctx *ctx, bool force, struct error *err)
{
    int attempts = ctx->cfg->source.retries + 1;

    if (ctx->store && strcmp(ctx->store_conninfo, ctx->cfg->database.conninfo) != 0) {
        store_close(ctx->store);
        ctx->store = NULL;
        ctx->locked = false;
        set_cancel(ctx);
    }
    if (!force && store_connected(ctx->store))
        return 0;
    for (int i = 0; i < attempts && !stopping(ctx); i++) {
        int64_t wait;

        if (!ctx->store) {
            ctx->store = store_open(ctx->cfg->database.conninfo, err);
            if (ctx->store) {
                free(ctx->store_conninfo);
                ctx->store_conninfo = xstrdup(ctx->cfg->database.conninfo);
                set_cancel(ctx);
                return 0;
            }
        } else {
            int rc = store_reconnect(ctx->store, err);

            if (rc == 0) {
                log_event(LOG_INFO, "db_reconnect", NULL, "reconnected to PostgreSQL");
                set_cancel(ctx);
                return 0;
            }
            if (rc == STORE_ERR) {
                ctx->locked = false;
                return -1;
            }
        }
        if (i + 1 == attempts)
            break;
        wait = 1000LL << (i < 16 ? i : 16);
        if (wait > ctx->cfg->source.backoff_max * 1000)
            wait = ctx->cfg->source.backoff_max * 1000;
        log_event(LOG_WARNING, "db_reconnect", NULL, "%s; trying again in %.0f s", err->msg,
                  (double)wait / 1000);
        nap(ctx, wait);
    }
    return -1;
}

static int ensure_store(struct sync_ctx *ctx, struct error *err)
{
    return connect_store(ctx, false, err);
}

struct sync_ctx *sync_new(const struct config *cfg, volatile sig_atomic_t *stop,
                          const struct sync_hooks *hooks)
{
    struct sync_ctx *ctx = xcalloc(1, sizeof(*ctx));

    ctx->cfg = cfg;
    ctx->stop = stop;
    if (hooks)
        ctx->hooks = *hooks;
    return ctx;
}

void sync_set_config(struct sync_ctx *ctx, const struct config *cfg)
{
    ctx->cfg = cfg;
    ctx->http_stale = true;
}

void sync_free(struct sync_ctx *ctx)
{
    if (!ctx)
        return;
    http_client_free(ctx->http);
    store_close(ctx->store);
    ctx->store = NULL;
    set_cancel(ctx);
    free(ctx->store_conninfo);
    free(ctx);
}

static const char *instansi(const struct sync_ctx *ctx)
{
    return ctx->cfg->source.instansi_id;
}

static const char *source_key(const struct sync_ctx *ctx)
{
    return ctx->cfg->source.url;
}

int sync_migrate(struct sync_ctx *ctx)
{
    struct error err = {{0}};
    int applied = 0, version = 0;

    if (ensure_store(ctx, &err) < 0) {
        log_err("cannot migrate: %s", err.msg);
        return EXIT_TEMPFAIL;
    }
    if (store_migrate(ctx->store, &applied, &err) < 0) {
        log_err("schema migration failed, nothing was changed: %s", err.msg);
        return EXIT_TEMPFAIL;
    }
    store_schema_version(ctx->store, &version, &err);
    if (applied)
        log_info("applied %d schema migration%s; the schema is at version %d", applied,
                 applied == 1 ? "" : "s", version);
    else
        log_debug("the schema is up to date at version %d", version);
    ctx->migrated = true;
    return 0;
}

/* The source's lock, taken once per connection. */
static int lock_source(struct sync_ctx *ctx, struct sync_summary *sum, struct error *err)
{
    bool got = false;

    if (ctx->locked && store_connected(ctx->store))
        return 0;
    if (store_lock(ctx->store, instansi(ctx), source_key(ctx), &got, err) < 0)
        return -1;
    if (!got) {
        sum->skipped = true;
        log_event(LOG_WARNING, "sync_skipped", LOG_FIELDS({"URL", source_key(ctx)}),
                  "another ipasnd is syncing this source; skipping this cycle");
        return -1;
    }
    ctx->locked = true;
    return 0;
}

/* ---- pages ------------------------------------------------------------------ */

static void log_page_events(struct sync_ctx *ctx, const struct page *pg,
                            const struct page_result *res)
{
    for (size_t i = 0; i < res->n_opened; i++) {
        const struct issue_event *ev = &res->opened[i];
        int prio = strcmp(ev->severity, "info") == 0 ? LOG_INFO : LOG_WARNING;

        if (!issue_line_allowed(ctx)) {
            tally_of(ctx, ev->code)->opened++;
            continue;
        }
        log_event(prio, "dq_issue",
                  LOG_FIELDS({"NIP", ev->nip}, {"OPD_ID", *ev->opd_id ? ev->opd_id : NULL},
                             {"DQ_CODE", ev->code}, {"DQ_FIELD", *ev->field ? ev->field : NULL},
                             {"SEVERITY", ev->severity}),
                  "data-quality issue %s for NIP %s%s%s: %s", ev->code, ev->nip,
                  *ev->field ? " in " : "", ev->field, ev->detail);
    }
    for (size_t i = 0; i < res->n_resolved; i++) {
        const struct issue_event *ev = &res->resolved[i];

        if (!issue_line_allowed(ctx)) {
            tally_of(ctx, ev->code)->resolved++;
            continue;
        }
        log_event(LOG_INFO, "dq_resolved",
                  LOG_FIELDS({"NIP", ev->nip}, {"OPD_ID", *ev->opd_id ? ev->opd_id : NULL},
                             {"DQ_CODE", ev->code}, {"DQ_FIELD", *ev->field ? ev->field : NULL},
                             {"SEVERITY", ev->severity}),
                  "data-quality issue %s for NIP %s%s%s resolved", ev->code, ev->nip,
                  *ev->field ? " in " : "", ev->field);
    }
    for (size_t i = 0; i < pg->n_rejected; i++) {
        const struct rejected_record *q = &pg->rejected[i];
        char nip[64];

        if (!issue_line_allowed(ctx)) {
            tally_of(ctx, q->code)->quarantined++;
            continue;
        }
        text_quote(nip, sizeof(nip), q->nip ? q->nip : "");
        log_event(LOG_WARNING, "record_quarantined",
                  LOG_FIELDS({"NIP", q->nip}, {"DQ_CODE", q->code}, {"REASON", q->reason}),
                  "record %zu of the page%s%s quarantined (%s): %s", q->index,
                  q->nip ? " with NIP " : "", q->nip ? nip : "", q->code, q->reason);
    }
}

static void log_tallies(struct sync_ctx *ctx)
{
    struct strbuf b = {0};
    char n[16];

    if (!ctx->suppressed)
        return;
    for (size_t i = 0; i < ctx->n_tallies; i++) {
        const struct tally *t = &ctx->tallies[i];

        strbuf_append(&b, "%s%s", b.len ? ", " : "", t->code);
        if (t->opened)
            strbuf_append(&b, " +%d", t->opened);
        if (t->resolved)
            strbuf_append(&b, " -%d", t->resolved);
        if (t->quarantined)
            strbuf_append(&b, " quarantined %d", t->quarantined);
    }
    snprintf(n, sizeof(n), "%d", ctx->suppressed);
    log_event(LOG_WARNING, "dq_summary", LOG_FIELDS({"SUPPRESSED", n}),
              "%d more issue lines than log.max_issue_lines (%d) this cycle: %s", ctx->suppressed,
              ctx->cfg->log.max_issue_lines, b.s ? b.s : "");
    strbuf_free(&b);
}

struct checked {
    struct score *scores; /* a block (block_take) of scores_cap bytes */
    struct issue_list *issues;
    size_t n, scores_cap;
};

static void checked_free(struct checked *c)
{
    for (size_t i = 0; i < c->n; i++)
        issue_list_free(&c->issues[i]);
    block_give(c->scores, c->scores_cap); /* for the next page's */
    free(c->issues);
    memset(c, 0, sizeof(*c));
}

/* Scores and checks every employee of the page under idx. */
static void check_page(const struct sync_ctx *ctx, const struct page *pg,
                       const struct config_index *idx, struct checked *out)
{
    struct quality_ctx q = {
        .index = idx, .quality = &ctx->cfg->quality, .today = date_today_utc(), .now = time(NULL)};

    out->n = pg->n_employees;
    /* score_employee fills each score whole */
    out->scores = block_take((out->n ? out->n : 1) * sizeof(*out->scores), &out->scores_cap);
    out->issues = xcalloc(out->n ? out->n : 1, sizeof(*out->issues));
    for (size_t i = 0; i < out->n; i++) {
        score_employee(&pg->employees[i], idx, &out->scores[i]);
        quality_check(&pg->employees[i], &out->scores[i], &q, &out->issues[i]);
    }
}

/* Writes a page, reconnecting and writing it again when the connection
 * breaks; the page stays in memory until it is committed. */
static int write_page(struct sync_ctx *ctx, struct page_write *w, struct page_result *res,
                      struct error *err)
{
    for (int attempt = 0;; attempt++) {
        int rc = store_write_page(ctx->store, w, res, err);

        if (rc != STORE_ERR_CONN)
            return rc;
        log_event(LOG_WARNING, "db_reconnect", NULL,
                  "PostgreSQL connection lost while writing a page (%s); the page was rolled "
                  "back and will be written again",
                  err->msg);
        if (attempt >= ctx->cfg->source.retries || connect_store(ctx, true, err) < 0)
            return STORE_ERR_CONN;
    }
}

static void add_result(struct sync_summary *sum, const struct page *pg,
                       const struct page_result *res)
{
    sum->pages++;
    sum->records += (int)(pg->n_employees + pg->n_rejected);
    sum->inserted += res->inserted;
    sum->updated += res->updated;
    sum->unchanged += res->unchanged;
    sum->deactivated += res->deactivated;
    sum->quarantined += res->quarantined;
    sum->issues_opened += res->issues_opened;
    sum->issues_resolved += res->issues_resolved;
}

/* ---- recompute -------------------------------------------------------------- */

/* A recompute reads stored records a batch at a time. Two threads decode,
 * score and check batches while this one writes the batch before them in
 * order and reads the batch after: decoding is the longer part, and it
 * never waits for a write. */
struct job {
    char *buf;                /* the batch's NIPs and records, one after the other */
    const char **nip, **text; /* each in buf */
    size_t *len, count;
    struct page *page; /* NULL when it did not decode: err says why */
    struct checked checked;
    struct error err;
    bool done;
};

#define WORKERS 2
#define JOBS    (WORKERS + 1)

struct recompute {
    struct sync_ctx *ctx;
    const struct config_index *idx;
    bool scores_only;
    int64_t run_id;
    struct sync_summary *sum;
    struct error *err;
    pthread_t thread[WORKERS];
    size_t threads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* Batch n is in job[n % JOBS]: queued by this thread, claimed by a
     * worker, then taken back here when done, each count ahead of the
     * next; busy counts the workers decoding. */
    struct job job[JOBS];
    unsigned queued, claimed, taken, busy;
    bool quit;
};

static void *recompute_worker(void *arg)
{
    struct recompute *rc = arg;

    pthread_mutex_lock(&rc->mu);
    for (;;) {
        struct simpeg_limits lim = simpeg_limits_for(1000);
        struct job *j;

        while (rc->claimed == rc->queued && !rc->quit)
            pthread_cond_wait(&rc->cv, &rc->mu);
        if (rc->quit)
            break;
        j = &rc->job[rc->claimed++ % JOBS];
        rc->busy++;
        pthread_mutex_unlock(&rc->mu);
        lim.max_records = j->count;
        lim.keep_raw = false; /* stored records are not written back */
        j->page = simpeg_decode_records(j->text, j->len, j->nip, j->count, &lim, &j->err);
        if (j->page)
            check_page(rc->ctx, j->page, rc->idx, &j->checked);
        pthread_mutex_lock(&rc->mu);
        j->done = true;
        rc->busy--;
        pthread_cond_broadcast(&rc->cv);
    }
    pthread_mutex_unlock(&rc->mu);
    return NULL;
}

static void job_free(struct job *j)
{
    checked_free(&j->checked);
    page_free(j->page);
    free(j->buf);
    free(j->nip);
    free(j->text);
    free(j->len);
    memset(j, 0, sizeof(*j));
}

/* Waits for the oldest batch in flight to be decoded and writes it. */
static int recompute_write_oldest(struct recompute *rc)
{
    struct job j;
    struct page_result res;
    struct page_write w;
    int r;

    pthread_mutex_lock(&rc->mu);
    while (!rc->job[rc->taken % JOBS].done)
        pthread_cond_wait(&rc->cv, &rc->mu);
    j = rc->job[rc->taken % JOBS];
    memset(&rc->job[rc->taken % JOBS], 0, sizeof(j));
    rc->taken++;
    pthread_mutex_unlock(&rc->mu);
    if (!j.page) {
        *rc->err = j.err;
        job_free(&j);
        return -1;
    }
    w = (struct page_write){.mode = WRITE_RECOMPUTE,
                            .instansi_id = instansi(rc->ctx),
                            .source = source_key(rc->ctx),
                            .page = j.page,
                            .scores = j.checked.scores,
                            .issues = j.checked.issues,
                            .scores_only = rc->scores_only,
                            .run_id = rc->run_id};
    r = write_page(rc->ctx, &w, &res, rc->err);
    if (r == 0) {
        add_result(rc->sum, j.page, &res);
        log_page_events(rc->ctx, j.page, &res);
        status(rc->ctx, "recomputing: %d employees", rc->sum->records);
        progress(rc->ctx);
    }
    page_result_free(&res);
    job_free(&j);
    return r < 0 ? -1 : 0;
}

/* A batch from the store: queued for the workers; when every slot is in
 * flight, the oldest batch is written while the others are decoded. */
static int recompute_batch(void *ud, const char *const *nip, const char *const *text,
                           const size_t *len, size_t count)
{
    struct recompute *rc = ud;
    struct job *j;
    size_t size = 0;
    char *buf, *at;
    const char **nips = xmalloc(count * sizeof(*nips)), **texts = xmalloc(count * sizeof(*texts));
    size_t *lens = xmalloc(count * sizeof(*lens));

    for (size_t i = 0; i < count; i++)
        size += strlen(nip[i]) + 1 + len[i] + 1;
    at = buf = xmalloc(size);
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(nip[i]) + 1;

        nips[i] = memcpy(at, nip[i], n);
        at += n;
        texts[i] = memcpy(at, text[i], len[i]);
        at[len[i]] = '\0';
        at += len[i] + 1;
        lens[i] = len[i];
    }
    pthread_mutex_lock(&rc->mu); /* a slot is free: JOBS - 1 batches are left in flight */
    j = &rc->job[rc->queued % JOBS];
    j->buf = buf;
    j->nip = nips;
    j->text = texts;
    j->len = lens;
    j->count = count;
    rc->queued++;
    pthread_cond_broadcast(&rc->cv);
    pthread_mutex_unlock(&rc->mu);
    if (rc->queued - rc->taken == JOBS && recompute_write_oldest(rc) < 0)
        return -1;
    if (stopping(rc->ctx)) {
        error_set(rc->err, "stopped by a signal");
        return -1;
    }
    return 0;
}

/* Recomputes period under the lock already held. */
static int recompute_locked(struct sync_ctx *ctx, int period, int64_t run_id,
                            struct sync_summary *sum, struct error *err)
{
    struct config_index idx = ctx->cfg->index;
    int configured = config_period(&ctx->cfg->index);
    struct recompute rc = {.ctx = ctx, .idx = &idx, .run_id = run_id, .sum = sum, .err = err};
    int r;

    if (period && period != configured) {
        /* Another period's scores; the open issues keep following the
         * configured period. */
        idx.period = period;
        idx.as_of = DATE_NONE;
        rc.scores_only = true;
    } else {
        period = configured;
    }
    pthread_mutex_init(&rc.mu, NULL);
    pthread_cond_init(&rc.cv, NULL);
    r = 0;
    while (rc.threads < WORKERS && r == 0)
        if (thread_start(&rc.thread[rc.threads], recompute_worker, &rc) == 0) {
            rc.threads++;
        } else {
            error_set(err, "cannot start the recompute threads");
            r = -1;
        }
    if (r == 0)
        r = store_scan_raw(ctx->store, instansi(ctx), 1000, recompute_batch, &rc, err);
    while (r == 0 && rc.taken != rc.queued)
        r = recompute_write_oldest(&rc);
    pthread_mutex_lock(&rc.mu);
    while (rc.threads && (rc.claimed != rc.queued || rc.busy))
        pthread_cond_wait(&rc.cv, &rc.mu);
    rc.quit = true;
    pthread_cond_broadcast(&rc.cv);
    pthread_mutex_unlock(&rc.mu);
    for (size_t i = 0; i < rc.threads; i++)
        pthread_join(rc.thread[i], NULL);
    for (size_t i = 0; i < JOBS; i++)
        job_free(&rc.job[i]);
    pthread_cond_destroy(&rc.cv);
    pthread_mutex_destroy(&rc.mu);
    if (r != 0)
        return -1;
    if (store_refresh_aggregates(ctx->store, instansi(ctx), &idx, period, true, err) < 0)
        return -1;
    if (!rc.scores_only && store_set_rules(ctx->store, instansi(ctx), source_key(ctx), period,
                                           config_rules_hash(&ctx->cfg->index), err) < 0)
        return -1;
    return 0;
}

/* ---- the cycle ------------------------------------------------------------- */

static void summary_start(struct sync_ctx *ctx, struct sync_summary *sum, const char *mode)
{
    memset(sum, 0, sizeof(*sum));
    snprintf(sum->mode, sizeof(sum->mode), "%s", mode);
    sum->started_at = time(NULL);
    sum->duration_ms = now_monotonic_ms();
    ctx->issue_lines = 0;
    ctx->n_tallies = 0;
    ctx->suppressed = 0;
}

static void summary_end(struct sync_summary *sum)
{
    sum->finished_at = time(NULL);
    sum->duration_ms = now_monotonic_ms() - sum->duration_ms;
}

static void log_finished(struct sync_ctx *ctx, const struct sync_summary *s)
{
    char f[10][24], n[8][32];

    snprintf(f[0], sizeof(f[0]), "%d", s->records);
    snprintf(f[1], sizeof(f[1]), "%d", s->inserted);
    snprintf(f[2], sizeof(f[2]), "%d", s->updated);
    snprintf(f[3], sizeof(f[3]), "%d", s->unchanged);
    snprintf(f[4], sizeof(f[4]), "%d", s->deactivated);
    snprintf(f[5], sizeof(f[5]), "%d", s->quarantined);
    snprintf(f[6], sizeof(f[6]), "%d", s->issues_opened);
    snprintf(f[7], sizeof(f[7]), "%d", s->issues_resolved);
    snprintf(f[8], sizeof(f[8]), "%" PRId64, s->duration_ms);
    snprintf(f[9], sizeof(f[9]), "%d", s->pages);
    log_event(LOG_INFO, "sync_finished",
              LOG_FIELDS({"MODE", s->mode}, {"PAGES", f[9]}, {"RECORDS", f[0]}, {"INSERTED", f[1]},
                         {"UPDATED", f[2]}, {"UNCHANGED", f[3]}, {"DEACTIVATED", f[4]},
                         {"QUARANTINED", f[5]}, {"ISSUES_OPENED", f[6]}, {"ISSUES_RESOLVED", f[7]},
                         {"DURATION_MS", f[8]}),
              "%s sync finished: %s records (%s new, %s updated, %s unchanged, %s deactivated, "
              "%s quarantined); issues %s opened, %s resolved; %.1f s",
              s->mode, fmt_thousands(n[0], sizeof(n[0]), s->records),
              fmt_thousands(n[1], sizeof(n[1]), s->inserted),
              fmt_thousands(n[2], sizeof(n[2]), s->updated),
              fmt_thousands(n[3], sizeof(n[3]), s->unchanged),
              fmt_thousands(n[4], sizeof(n[4]), s->deactivated),
              fmt_thousands(n[5], sizeof(n[5]), s->quarantined),
              fmt_thousands(n[6], sizeof(n[6]), s->issues_opened),
              fmt_thousands(n[7], sizeof(n[7]), s->issues_resolved), (double)s->duration_ms / 1000);
}

static void log_failed(const struct sync_summary *s, const char *url)
{
    char st[16];

    snprintf(st, sizeof(st), "%ld", s->http_status);
    log_event(LOG_ERR, "sync_failed",
              LOG_FIELDS({"MODE", s->mode}, {"HTTP_STATUS", s->http_status ? st : NULL},
                         {"URL", url && *url ? url : NULL}),
              "%s sync failed: %s", s->mode, s->error);
}

/* Which listing this cycle runs. */
static bool want_full(const struct sync_ctx *ctx, const struct sync_options *o,
                      const struct sync_state *st)
{
    int64_t now = time(NULL);

    return o->full || !st->watermark || !st->last_full_at ||
           now - st->last_full_at >= ctx->cfg->sync.full_every;
}

/* Fetches one employee by NIP and writes it. */
static int sync_one(struct sync_ctx *ctx, const char *nip, int64_t run_id, struct sync_summary *sum,
                    struct error *err, long *http_status)
{
    struct http_response resp = {0};
    struct simpeg_limits lim = simpeg_limits_for(1);
    struct page *pg = NULL;
    struct checked c = {0};
    struct page_result res = {0};
    struct page_write w;
    enum http_result hr = http_get_employee(ctx->http, nip, &resp, err);
    int rc = -1;

    *http_status = resp.status;
    if (hr != HTTP_OK) {
        rc = http_result_exit_code(hr);
        goto out;
    }
    if (!(pg = simpeg_decode_single(resp.body, resp.len, &lim, err))) {
        rc = EXIT_DATAERR;
        goto out;
    }
    check_page(ctx, pg, &ctx->cfg->index, &c);
    w = (struct page_write){.mode = WRITE_SINGLE,
                            .agg_period = config_period(&ctx->cfg->index),
                            .instansi_id = instansi(ctx),
                            .source = source_key(ctx),
                            .page_url = resp.url,
                            .page = pg,
                            .scores = c.scores,
                            .issues = c.issues,
                            .run_id = run_id};
    if (write_page(ctx, &w, &res, err) < 0) {
        rc = EXIT_TEMPFAIL;
        goto out;
    }
    add_result(sum, pg, &res);
    log_page_events(ctx, pg, &res);
    rc = store_refresh_aggregates(ctx->store, instansi(ctx), &ctx->cfg->index,
                                  config_period(&ctx->cfg->index), false, err) < 0
             ? EXIT_TEMPFAIL
             : 0;
out:
    page_result_free(&res);
    checked_free(&c);
    page_free(pg);
    http_response_free(&resp);
    return rc;
}

/* ---- fetching ahead --------------------------------------------------------- */

/* While one page is written, the next is fetched, decoded, scored and
 * checked on a second thread (and the one after is asked, see
 * simpeg_next_page): the listing goes as fast as the slowest of the
 * endpoint, the decoder and the database, not their sum. One page waits
 * at most, and a fetched page decodes only once the slot is free, so
 * memory stays bounded by two pages and two bodies. The fetching thread
 * touches the HTTP client only; the database stays on the calling thread. */

struct fetched {
    struct page *page;
    struct checked checked;
    int rc; /* 0, SIMPEG_MALFORMED or an enum http_result */
    struct error err;
    char url[512];
    long status;
    bool last; /* the listing ends with this page */
};

struct fetcher {
    struct sync_ctx *ctx;
    struct simpeg_listing listing;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct fetched slot;
    bool full, quit, started;
};

static void fetched_free(struct fetched *f)
{
    checked_free(&f->checked);
    page_free(f->page);
    f->page = NULL;
}

/* A fetched page decodes once the slot is free: the listing holds at most
 * the page being written, the page in the slot and one body. */
static void wait_for_slot(void *ud)
{
    struct fetcher *f = ud;

    pthread_mutex_lock(&f->mu);
    while (f->full && !f->quit)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
}

static void *fetch_main(void *arg)
{
    struct fetcher *f = arg;

    for (;;) {
        struct fetched item;

        memset(&item, 0, sizeof(item));
        item.rc = simpeg_next_page(&f->listing, &item.page, &item.err);
        item.status = f->listing.last_status;
        snprintf(item.url, sizeof(item.url), "%s", f->listing.last_url);
        if (item.rc == 0) {
            check_page(f->ctx, item.page, &f->ctx->cfg->index, &item.checked);
            item.last = f->listing.done;
        }
        pthread_mutex_lock(&f->mu);
        while (f->full && !f->quit)
            pthread_cond_wait(&f->cv, &f->mu);
        if (f->quit) {
            pthread_mutex_unlock(&f->mu);
            fetched_free(&item);
            break;
        }
        f->slot = item;
        f->full = true;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        if (item.rc != 0 || item.last)
            break;
    }
    return NULL;
}

static int fetcher_start(struct fetcher *f, struct sync_ctx *ctx, int64_t since, const char *cursor)
{
    memset(f, 0, sizeof(*f));
    f->ctx = ctx;
    ctx->cancel_fetch = 0;
    simpeg_listing_init(&f->listing, ctx->http, ctx->cfg->source.page_size, since, cursor);
    f->listing.before_decode = wait_for_slot;
    f->listing.ud = f;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (thread_start(&f->thread, fetch_main, f) != 0) {
        simpeg_listing_free(&f->listing);
        return -1;
    }
    f->started = true;
    return 0;
}

/* The next page, or the error that ended the listing; caller frees. */
static void fetcher_next(struct fetcher *f, struct fetched *out)
{
    pthread_mutex_lock(&f->mu);
    while (!f->full)
        pthread_cond_wait(&f->cv, &f->mu);
    *out = f->slot;
    f->full = false;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

/* Stops the thread; a fetch under way finishes (or aborts on a signal). */
static void fetcher_stop(struct fetcher *f)
{
    if (!f->started)
        return;
    pthread_mutex_lock(&f->mu);
    f->quit = true;
    f->ctx->cancel_fetch = 1; /* a transfer under way ends now */
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    if (f->full)
        fetched_free(&f->slot);
    simpeg_listing_free(&f->listing); /* a request ahead ends too */
    f->ctx->cancel_fetch = 0;
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    f->started = false;
}

/* Runs the listing to its end. Returns 0 or an exit code; *url names the
 * failing request. */
static int run_listing(struct sync_ctx *ctx, struct sync_state *st, int64_t run_id,
                       struct sync_summary *sum, struct error *err, char *url, size_t url_size)
{
    struct fetcher f;
    int restarts = 0, rc = 0;
    bool full = strcmp(st->listing_mode, "full") == 0;

    if (fetcher_start(&f, ctx, st->listing_since, st->cursor) < 0) {
        error_set(err, "cannot start the fetching thread");
        return EXIT_SOFTWARE;
    }
    for (;;) {
        struct fetched item;
        struct page_result res;
        struct page_write w;
        char n1[32];
        int r;

        status(ctx, "syncing page %d (%s records)", sum->pages + 1,
               fmt_thousands(n1, sizeof(n1), sum->records));
        progress(ctx);
        fetcher_next(&f, &item);
        snprintf(url, url_size, "%s", item.url);
        sum->http_status = item.status;
        if (item.rc == HTTP_GONE && restarts < 3) {
            restarts++;
            fetched_free(&item);
            fetcher_stop(&f);
            log_event(LOG_WARNING, "listing_restarted",
                      LOG_FIELDS({"MODE", full ? "full" : "incremental"}, {"URL", item.url},
                                 {"HTTP_STATUS", "410"}),
                      "the listing cursor expired (HTTP 410); restarting the %s listing",
                      full ? "full" : "incremental");
            if (store_begin_listing(ctx->store, instansi(ctx), source_key(ctx), full,
                                    st->listing_since, st, err) < 0) {
                rc = EXIT_TEMPFAIL;
                break;
            }
            if (fetcher_start(&f, ctx, st->listing_since, NULL) < 0) {
                error_set(err, "cannot start the fetching thread");
                rc = EXIT_SOFTWARE;
                break;
            }
            continue;
        }
        if (item.rc == SIMPEG_MALFORMED) {
            error_set(err,
                      "malformed page from %s (HTTP %ld): %.150s; nothing of it was written "
                      "and the cursor did not move",
                      item.url, item.status, item.err.msg);
            rc = EXIT_DATAERR;
        } else if (item.rc == HTTP_ABORTED) {
            /* A stop, not an endpoint failure: the status of the
             * interrupted answer says nothing. */
            error_set(err, "stopped by a signal after %d pages; the next cycle resumes there",
                      sum->pages);
            sum->http_status = 0;
            rc = EXIT_TEMPFAIL;
        } else if (item.rc != 0) {
            *err = item.err;
            rc = http_result_exit_code((enum http_result)item.rc);
            if (!rc)
                rc = EXIT_TEMPFAIL;
        }
        if (rc) {
            fetched_free(&item);
            break;
        }
        sum->http_status = 0;
        /* A full listing rebuilds the aggregates at its end; an
         * incremental one keeps their running sums as it goes. */
        w = (struct page_write){.mode = WRITE_SYNC,
                                .agg_period = full ? 0 : config_period(&ctx->cfg->index),
                                .instansi_id = instansi(ctx),
                                .source = source_key(ctx),
                                .page_url = item.url,
                                .page = item.page,
                                .scores = item.checked.scores,
                                .issues = item.checked.issues,
                                .run_id = run_id,
                                .state = st,
                                .next_cursor = item.page->next_cursor,
                                .server_time = item.page->server_time,
                                .overlap = ctx->cfg->sync.overlap};
        r = write_page(ctx, &w, &res, err);
        if (r == 0) {
            const struct page *pg = item.page;
            char nrec[16];

            add_result(sum, pg, &res);
            log_page_events(ctx, pg, &res);
            snprintf(nrec, sizeof(nrec), "%zu", pg->n_employees + pg->n_rejected);
            log_event(LOG_DEBUG, "page_written", LOG_FIELDS({"RECORDS", nrec}),
                      "page %d written: %zu records, %d new, %d updated, %d unchanged", sum->pages,
                      pg->n_employees + pg->n_rejected, res.inserted, res.updated, res.unchanged);
            if (!st->listing_server_time)
                st->listing_server_time = pg->server_time;
            free(st->cursor);
            st->cursor = pg->next_cursor ? xstrdup(pg->next_cursor) : NULL;
            if (res.deactivation_refused)
                log_err("the full listing held %d employees, fewer than half of the %d active "
                        "ones: nobody was marked inactive; check the SIMPEG endpoint",
                        res.listing_records, res.active_before);
        }
        page_result_free(&res);
        fetched_free(&item);
        if (r < 0) {
            if (stopping(ctx))
                error_set(err, "stopped by a signal after %d pages; the next cycle resumes there",
                          sum->pages);
            rc = EXIT_TEMPFAIL;
            break;
        }
        if (item.last)
            break;
        if (stopping(ctx)) {
            error_set(err, "stopped by a signal after %d pages; the next cycle resumes there",
                      sum->pages);
            rc = EXIT_TEMPFAIL;
            break;
        }
    }
    fetcher_stop(&f);
    return rc;
}

/* The dry run: the listing this cycle would run, decoded, checked and
 * scored, with what would be written printed on stdout. Nothing is
 * written and no lock is taken; without a database it lists everything. */
static int dry_run(struct sync_ctx *ctx, struct sync_summary *sum, struct error *err)
{
    struct sync_state st = {0};
    struct simpeg_listing l;
    struct tally codes[48];
    size_t n_codes = 0;
    int rc = 0;
    int64_t since = 0;

    memset(codes, 0, sizeof(codes));
    if (ensure_http(ctx, err) < 0)
        return EXIT_UNAVAILABLE;
    /* One attempt: a dry run without a database lists everything. */
    if (!ctx->store) {
        ctx->store = store_open(ctx->cfg->database.conninfo, err);
        set_cancel(ctx);
    }
    if (ctx->store && !ctx->store_conninfo)
        ctx->store_conninfo = xstrdup(ctx->cfg->database.conninfo);
    if (store_connected(ctx->store) &&
        store_load_state(ctx->store, instansi(ctx), source_key(ctx), &st, err) == 0 &&
        st.watermark && !want_full(ctx, &(struct sync_options){0}, &st))
        since = st.watermark;
    snprintf(sum->mode, sizeof(sum->mode), "%s", since ? "incremental" : "full");
    printf("dry run: a %s listing of %s%s\n", sum->mode, ctx->cfg->source.url,
           since ? " (records changed since the watermark)" : "");
    simpeg_listing_init(&l, ctx->http, ctx->cfg->source.page_size, since, NULL);
    while (!l.done) {
        struct page *pg = NULL;
        struct checked c;
        size_t issues = 0;
        int r = simpeg_next_page(&l, &pg, err);

        sum->http_status = l.last_status;
        if (r != 0) {
            rc = r == SIMPEG_MALFORMED ? EXIT_DATAERR : http_result_exit_code((enum http_result)r);
            if (!rc)
                rc = EXIT_TEMPFAIL;
            break;
        }
        check_page(ctx, pg, &ctx->cfg->index, &c);
        for (size_t i = 0; i < c.n; i++) {
            issues += c.issues[i].n;
            for (size_t k = 0; k < c.issues[i].n; k++) {
                size_t j = 0;

                while (j < n_codes && strcmp(codes[j].code, c.issues[i].v[k].code) != 0)
                    j++;
                if (j == n_codes && n_codes < ARRAY_SIZE(codes))
                    snprintf(codes[n_codes++].code, sizeof(codes[0].code), "%s",
                             c.issues[i].v[k].code);
                if (j < n_codes)
                    codes[j].opened++;
            }
        }
        sum->pages++;
        sum->records += (int)(pg->n_employees + pg->n_rejected);
        sum->quarantined += (int)pg->n_rejected;
        sum->issues_opened += (int)issues;
        printf("page %d: %zu records, %zu would be quarantined, %zu issues found\n", sum->pages,
               pg->n_employees + pg->n_rejected, pg->n_rejected, issues);
        for (size_t i = 0; i < pg->n_rejected; i++)
            printf("  quarantine record %zu (%s): %s\n", pg->rejected[i].index,
                   pg->rejected[i].code, pg->rejected[i].reason);
        checked_free(&c);
        page_free(pg);
        if (stopping(ctx)) {
            rc = EXIT_TEMPFAIL;
            error_set(err, "stopped by a signal");
            break;
        }
    }
    simpeg_listing_free(&l);
    printf("would write %d records from %d pages; %d would be quarantined; %d issues found\n",
           sum->records, sum->pages, sum->quarantined, sum->issues_opened);
    for (size_t j = 0; j < n_codes; j++)
        printf("  %-24s %d\n", codes[j].code, codes[j].opened);
    printf("nothing was written\n");
    sync_state_clear(&st);
    return rc;
}

int sync_cycle(struct sync_ctx *ctx, const struct sync_options *opts, struct sync_summary *sum)
{
    struct error err = {{0}};
    struct sync_state st = {0};
    int64_t run_id = 0;
    char url[512] = "";
    int rc = 0, period;
    uint64_t hash;
    const char *mode;
    bool recomputed = false;

    summary_start(ctx, sum, opts->nip ? "nip" : opts->full ? "full" : "incremental");
    if (opts->dry_run) {
        rc = dry_run(ctx, sum, &err);
        if (rc)
            snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        summary_end(sum);
        sum->exit_code = rc;
        if (rc)
            log_failed(sum, "");
        return rc;
    }
    if (ensure_store(ctx, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "PostgreSQL unavailable: %s", err.msg);
        rc = EXIT_TEMPFAIL;
        goto done;
    }
    if (!opts->no_migrate && !ctx->migrated && (rc = sync_migrate(ctx)) != 0) {
        snprintf(sum->error, sizeof(sum->error), "the schema could not be migrated");
        goto done;
    }
    if (lock_source(ctx, sum, &err) < 0) {
        if (!sum->skipped)
            snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        else
            snprintf(sum->error, sizeof(sum->error), "another ipasnd holds the source's lock");
        rc = EXIT_TEMPFAIL;
        goto done;
    }
    if (ensure_http(ctx, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        rc = EXIT_UNAVAILABLE;
        goto done;
    }
    if (store_load_state(ctx->store, instansi(ctx), source_key(ctx), &st, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        rc = EXIT_TEMPFAIL;
        goto done;
    }
    if (opts->nip)
        mode = "nip";
    else if (st.listing_mode[0])
        mode = st.listing_mode;
    else
        mode = want_full(ctx, opts, &st) ? "full" : "incremental";
    snprintf(sum->mode, sizeof(sum->mode), "%s", mode);
    if (store_run_start(ctx->store, instansi(ctx), source_key(ctx), mode, &run_id, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        rc = EXIT_TEMPFAIL;
        goto done;
    }

    /* Scores follow the period and the rules: when either changed, every
     * stored score is recomputed before new records arrive. */
    period = config_period(&ctx->cfg->index);
    hash = config_rules_hash(&ctx->cfg->index);
    if (st.period != period || st.rules_hash != hash) {
        struct sync_summary rs;

        if (st.known && st.period)
            log_notice("the %s changed since the scores were computed: recomputing every score",
                       st.period != period ? "period" : "ruleset or its rules");
        memset(&rs, 0, sizeof(rs));
        status(ctx, "recomputing every score for %d", period);
        if (recompute_locked(ctx, 0, 0, &rs, &err) < 0) {
            snprintf(sum->error, sizeof(sum->error), "recompute: %s", err.msg);
            rc = EXIT_TEMPFAIL;
            goto done;
        }
        recomputed = true;
    }

    if (opts->nip) {
        char nip[64];

        text_quote(nip, sizeof(nip), opts->nip);
        log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", "nip"}, {"NIP", opts->nip}),
                  "refreshing NIP %s", nip);
        rc = sync_one(ctx, opts->nip, run_id, sum, &err, &sum->http_status);
        if (rc)
            snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        goto done;
    }

    if (st.listing_mode[0] && (st.cursor || st.pages)) {
        char since[32];

        log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", mode}, {"RESUMED", "1"}),
                  "resuming the interrupted %s listing after %d pages%s%s", mode, st.pages,
                  st.listing_since ? " of records changed since " : "",
                  st.listing_since ? timestamp_format(st.listing_since, since, sizeof(since)) : "");
    } else {
        bool full = strcmp(mode, "full") == 0;
        int64_t since = full ? 0 : st.watermark;
        char since_s[32];

        if (store_begin_listing(ctx->store, instansi(ctx), source_key(ctx), full, since, &st,
                                &err) < 0) {
            snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
            rc = EXIT_TEMPFAIL;
            goto done;
        }
        log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", mode}), "%s sync started%s%s", mode,
                  since ? ": records changed since " : "",
                  since ? timestamp_format(since, since_s, sizeof(since_s)) : "");
    }
    rc = run_listing(ctx, &st, run_id, sum, &err, url, sizeof(url));
    if (rc) {
        snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        goto done;
    }
    /* The aggregates move only when scores did, or the target did. */
    {
        bool current = false;

        if (!recomputed &&
            store_aggregates_current(ctx->store, instansi(ctx), &ctx->cfg->index, period, &current,
                                     &err) == 0 &&
            current)
            goto done;
    }
    status(ctx, "refreshing the OPD and instansi scores");
    /* After a full listing or a recompute, from every score; after an
     * incremental one, from the running sums its pages kept. */
    if (store_refresh_aggregates(ctx->store, instansi(ctx), &ctx->cfg->index, period,
                                 recomputed || strcmp(sum->mode, "full") == 0, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "refreshing the aggregates: %s", err.msg);
        rc = EXIT_TEMPFAIL;
    }
done:
    summary_end(sum);
    sum->exit_code = rc;
    log_tallies(ctx);
    if (run_id && store_connected(ctx->store)) {
        struct error e2 = {{0}};

        store_run_finish(ctx->store, run_id, rc ? "failed" : "ok", rc ? sum->error : NULL, &e2);
    }
    if (rc == 0)
        log_finished(ctx, sum);
    else if (!sum->skipped)
        log_failed(sum, url);
    sync_state_clear(&st);
    return rc;
}

int sync_recompute(struct sync_ctx *ctx, int period, struct sync_summary *sum)
{
    struct error err = {{0}};
    int64_t run_id = 0;
    int rc = 0;

    summary_start(ctx, sum, "recompute");
    if (ensure_store(ctx, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "PostgreSQL unavailable: %s", err.msg);
        rc = EXIT_TEMPFAIL;
        goto done;
    }
    if (!ctx->migrated && (rc = sync_migrate(ctx)) != 0)
        goto done;
    if (lock_source(ctx, sum, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "%s",
                 sum->skipped ? "another ipasnd holds the source's lock" : err.msg);
        rc = EXIT_TEMPFAIL;
        goto done;
    }
    if (store_run_start(ctx->store, instansi(ctx), source_key(ctx), "recompute", &run_id, &err) <
        0) {
        snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        rc = EXIT_TEMPFAIL;
        goto done;
    }
    if (recompute_locked(ctx, period, run_id, sum, &err) < 0) {
        snprintf(sum->error, sizeof(sum->error), "%s", err.msg);
        rc = EXIT_TEMPFAIL;
    }
done:
    summary_end(sum);
    sum->exit_code = rc;
    log_tallies(ctx);
    if (run_id && store_connected(ctx->store)) {
        struct error e2 = {{0}};

        store_run_finish(ctx->store, run_id, rc ? "failed" : "ok", rc ? sum->error : NULL, &e2);
    }
    if (rc == 0)
        log_info("recompute finished: %d employees scored in %.1f s", sum->records,
                 (double)sum->duration_ms / 1000);
    else if (!sum->skipped)
        log_err("recompute failed: %s", sum->error);
    return rc;
}
