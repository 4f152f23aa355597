#include "autoconfig.h"

#include "sync.h"

#include "assess.h"
#include "http.h"
#include "log.h"
#include "mem.h"
#include "pipeline.h"
#include "quality.h"
#include "recompute.h"
#include "simpeg.h"
#include "store.h"
#include "sync_int.h"
#include "util.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    return ctx->stop && atomic_load(ctx->stop);
}

static bool stop_napping(void *ud)
{
    return stopping(ud);
}

static void nap_tick(void *ud)
{
    progress(ud); /* the daemon's watchdog keeps its own pace */
}

/* Why the cycle failed, for its summary, the journal and sync_run;
 * returns rc. */
static int cycle_fail(struct sync_summary *sum, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int cycle_fail(struct sync_summary *sum, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sum->error, sizeof(sum->error), fmt, ap);
    va_end(ap);
    return rc;
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

static const char *instansi(const struct sync_ctx *ctx)
{
    return ctx->cfg->source.instansi_id;
}

static const char *source_key(const struct sync_ctx *ctx)
{
    return ctx->cfg->source.url;
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
    siasn_client_free(ctx->siasn);
    ctx->siasn = NULL;
    http_client_free(ctx->http);
    ctx->http = http_client_new(&ctx->cfg->source, &hooks, err);
    ctx->http_stale = false;
    if (ctx->http && ctx->cfg->source.type == SOURCE_SIASN &&
        !(ctx->siasn = siasn_client_new(&ctx->cfg->source, ctx->http, &hooks, err))) {
        http_client_free(ctx->http);
        ctx->http = NULL;
    }
    return ctx->http ? 0 : -1;
}

/* Keeps the cancel handle of the current connection for sync_interrupt.
 * The signals that stop a sync are held back while the handle is swapped
 * (and in the helper threads, see thread_start), so that the handler runs
 * on the thread that owns the connection and never sees a freed handle. */
static void set_cancel(struct sync_ctx *ctx)
{
    struct store_cancel *c = store_cancel_new(ctx->store), *prev;
    sigset_t block, old;

    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    prev = atomic_exchange(&ctx->cancel, c);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    store_cancel_free(prev);
}

void sync_interrupt(struct sync_ctx *ctx)
{
    if (ctx)
        store_cancel_send(atomic_load(&ctx->cancel));
}

/* One attempt to connect, or to reconnect: 0, or -1 with more worth trying
 * (*final false) or not. */
static int connect_once(struct sync_ctx *ctx, bool *final, struct error *err)
{
    int rc;

    *final = false;
    if (!ctx->store) {
        if (!(ctx->store = store_open(ctx->cfg->database.conninfo, err)))
            return -1;
        free(ctx->store_conninfo);
        ctx->store_conninfo = xstrdup(ctx->cfg->database.conninfo);
        set_cancel(ctx);
        return 0;
    }
    if ((rc = store_reconnect(ctx->store, err)) == 0) {
        log_event(LOG_INFO, "db_reconnect", NULL, "reconnected to PostgreSQL");
        set_cancel(ctx);
        return 0;
    }
    if (rc == STORE_ERR) { /* another ipasnd took the source's lock */
        ctx->locked = false;
        *final = true;
    }
    return -1;
}

/* Connects, or reconnects after a lost connection (at once when force:
 * libpq may still believe in a connection the server closed), with backoff
 * within the source's retry budget. */
static int connect_store(struct sync_ctx *ctx, bool force, struct error *err)
{
    struct sleep_hooks nap = {stop_napping, nap_tick, ctx};
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
        bool final;

        if (connect_once(ctx, &final, err) == 0)
            return 0;
        if (final || i + 1 == attempts)
            break;
        wait = backoff_ms(i, ctx->cfg->source.backoff_max * 1000, 1.0);
        log_event(LOG_WARNING, "db_reconnect", NULL, "%s; trying again in %.0f s", err->msg,
                  (double)wait / 1000);
        (void)sleep_abortable(wait, &nap); /* a stop is seen by the loop */
    }
    return -1;
}

static int ensure_store(struct sync_ctx *ctx, struct error *err)
{
    return connect_store(ctx, false, err);
}

struct sync_ctx *sync_new(const struct config *cfg, atomic_int *stop,
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
    siasn_client_free(ctx->siasn);
    sync_siasn_free(ctx);
    http_client_free(ctx->http);
    store_close(ctx->store);
    ctx->store = NULL;
    set_cancel(ctx);
    free(ctx->store_conninfo);
    free(ctx);
}

int sync_migrate(struct sync_ctx *ctx)
{
    struct error err = {{0}};
    int applied = 0, version = 0, rc;

    if (ensure_store(ctx, &err) < 0) {
        log_err("cannot migrate: %s", err.msg);
        return EXIT_TEMPFAIL;
    }
    if ((rc = store_prepare(ctx->store, ctx->cfg->database.reader_role, &applied, &err)) < 0) {
        log_err("%s: %s", applied ? "the migrated schema is not ready" : "schema migration failed",
                err.msg);
        return store_exit_code(rc);
    }
    (void)store_schema_version(ctx->store, &version, &err); /* only for the message */
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

/* In the journal instead of a detail that holds a birth date. */
#define PERSONAL_DETAIL "the detail holds a birth date; see ipasn.v_open_issue"

/* An issue that opened, or resolved, within the cycle's budget of lines. */
static void log_issue(struct sync_ctx *ctx, const struct issue_event *ev, bool opened)
{
    int prio = opened && strcmp(ev->severity, "info") != 0 ? LOG_WARNING : LOG_INFO;

    if (!issue_line_allowed(ctx)) {
        if (opened)
            tally_of(ctx, ev->code)->opened++;
        else
            tally_of(ctx, ev->code)->resolved++;
        return;
    }
    log_event(prio, opened ? "dq_issue" : "dq_resolved",
              LOG_FIELDS({"NIP", ev->nip}, {"OPD_ID", *ev->opd_id ? ev->opd_id : NULL},
                         {"DQ_CODE", ev->code}, {"DQ_FIELD", *ev->field ? ev->field : NULL},
                         {"SEVERITY", ev->severity}),
              "data-quality issue %s for NIP %s%s%s%s%s", ev->code, ev->nip,
              *ev->field ? " in " : "", ev->field, opened ? ": " : " resolved",
              !opened                                        ? ""
              : quality_detail_personal(ev->code, ev->field) ? PERSONAL_DETAIL
                                                             : ev->detail);
}

static void log_page_events(struct sync_ctx *ctx, const struct page *pg,
                            const struct page_result *res)
{
    for (size_t i = 0; i < res->n_opened; i++)
        log_issue(ctx, &res->opened[i], true);
    for (size_t i = 0; i < res->n_resolved; i++)
        log_issue(ctx, &res->resolved[i], false);
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

struct recompute_write {
    struct sync_ctx *ctx;
    bool scores_only;
    int64_t run_id;
    struct sync_summary *sum;
};

static int write_batch(void *ud, const struct page *pg, const struct assessed *a, struct error *err)
{
    struct recompute_write *rw = ud;
    struct sync_ctx *ctx = rw->ctx;
    struct page_result res;
    struct page_write w = {.mode = WRITE_RECOMPUTE,
                           .instansi_id = instansi(ctx),
                           .source = source_key(ctx),
                           .page = pg,
                           .scores = a->scores,
                           .issues = a->issues,
                           .scores_only = rw->scores_only,
                           .run_id = rw->run_id};
    int r = write_page(ctx, &w, &res, err);

    if (r == 0) {
        add_result(rw->sum, pg, &res);
        log_page_events(ctx, pg, &res);
        status(ctx, "recomputing: %d employees", rw->sum->records);
        progress(ctx);
    }
    page_result_free(&res);
    return r;
}

/* Recomputes period (0: the configured one) under the lock already held;
 * 0 or a negative store code. */
static int recompute_locked(struct sync_ctx *ctx, int period, int64_t run_id,
                            struct sync_summary *sum, struct error *err)
{
    struct config_index idx = ctx->idx;
    struct quality_ctx q = ctx->assess;
    struct recompute_write rw = {.ctx = ctx, .run_id = run_id, .sum = sum};
    int rc;
    struct recompute_options o = {.store = ctx->store,
                                  .instansi_id = instansi(ctx),
                                  .assess = &q,
                                  .write = write_batch,
                                  .ud = &rw,
                                  .stop = ctx->stop};

    if (period && period != ctx->idx.period) {
        /* Another period's scores; the open issues keep following the
         * configured period. */
        struct config_index other = ctx->cfg->index;

        other.period = period;
        other.as_of = DATE_NONE;
        config_resolve_index(&other, ctx->assess.today, &idx);
        rw.scores_only = true;
    } else {
        period = ctx->idx.period;
    }
    q.index = &idx;
    if ((rc = recompute_run(&o, err)) < 0 ||
        (rc = store_refresh_aggregates(ctx->store, instansi(ctx), &ctx->idx, period, true, err)) <
            0)
        return rc;
    if (!rw.scores_only)
        rc = store_set_rules(ctx->store, instansi(ctx), source_key(ctx), period,
                             config_rules_hash(&ctx->cfg->index), err);
    return rc;
}

/* ---- the cycle ------------------------------------------------------------- */

/* A cycle starts: its summary, its log budget, and the day, period and
 * as-of date every page of it is scored and checked for. */
static void cycle_start(struct sync_ctx *ctx, struct sync_summary *sum, const char *mode)
{
    memset(sum, 0, sizeof(*sum));
    snprintf(sum->mode, sizeof(sum->mode), "%s", mode);
    sum->started_at = time(NULL);
    sum->duration_ms = now_monotonic_ms();
    ctx->issue_lines = 0;
    ctx->n_tallies = 0;
    ctx->suppressed = 0;
    ctx->assess = (struct quality_ctx){.index = &ctx->idx,
                                       .quality = &ctx->cfg->quality,
                                       .today = date_today_utc(),
                                       .now = sum->started_at};
    config_resolve_index(&ctx->cfg->index, ctx->assess.today, &ctx->idx);
}

static void cycle_end(struct sync_summary *sum)
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

/* The NIP an answer for one employee holds when it is not the one asked
 * for (an endpoint that answers with another employee would have it
 * written in the place of the one asked), else NULL. */
static const char *answered_for(const struct page *pg, const char *nip)
{
    for (size_t i = 0; i < pg->n_employees; i++)
        if (strcmp(pg->employees[i].nip, nip) != 0)
            return pg->employees[i].nip;
    for (size_t i = 0; i < pg->n_rejected; i++)
        if (pg->rejected[i].nip && strcmp(pg->rejected[i].nip, nip) != 0)
            return pg->rejected[i].nip;
    return NULL;
}

/* Fetches one employee by NIP and writes it. */
static int sync_one(struct sync_ctx *ctx, const char *nip, int64_t run_id, struct sync_summary *sum)
{
    struct http_response resp = {0};
    struct simpeg_limits lim = simpeg_limits_for(1);
    struct error err = {{0}};
    struct page *pg = NULL;
    struct assessed a = {0};
    struct page_result res = {0};
    struct page_write w;
    enum http_result hr = http_get_employee(ctx->http, nip, &resp, &err);
    const char *other;
    int rc;

    sum->http_status = resp.status;
    if (hr != HTTP_OK) {
        rc = cycle_fail(sum, http_result_exit_code(hr), "%s", err.msg);
        goto out;
    }
    if (!(pg = simpeg_decode_single(resp.body, resp.len, &lim, &err))) {
        rc = cycle_fail(sum, EXIT_DATAERR, "%s", err.msg);
        goto out;
    }
    if ((other = answered_for(pg, nip))) {
        char q[48];

        text_quote(q, sizeof(q), other);
        rc = cycle_fail(sum, EXIT_DATAERR,
                        "%s answered for NIP %s when asked for %s; nothing was written", resp.url,
                        q, nip);
        goto out;
    }
    assess_page(pg, &ctx->assess, &a);
    w = (struct page_write){.mode = WRITE_SINGLE,
                            .agg_period = ctx->idx.period,
                            .instansi_id = instansi(ctx),
                            .source = source_key(ctx),
                            .page_url = resp.url,
                            .page = pg,
                            .scores = a.scores,
                            .issues = a.issues,
                            .run_id = run_id};
    if (write_page(ctx, &w, &res, &err) < 0) {
        rc = cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
        goto out;
    }
    add_result(sum, pg, &res);
    log_page_events(ctx, pg, &res);
    rc = 0;
    if (store_refresh_aggregates(ctx->store, instansi(ctx), &ctx->idx, ctx->idx.period, false,
                                 &err) < 0)
        rc = cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
out:
    page_result_free(&res);
    assessed_free(&a);
    page_free(pg);
    http_response_free(&resp);
    return rc;
}

/* ---- the listing -------------------------------------------------------------- */

static struct pipeline *start_listing(struct sync_ctx *ctx, const struct sync_state *st,
                                      const char *cursor)
{
    struct pipeline_options o = {.http = ctx->http,
                                 .cancel = &ctx->cancel_fetch,
                                 .page_size = ctx->cfg->source.page_size,
                                 .since = st->listing_since,
                                 .cursor = cursor,
                                 .assess = &ctx->assess};

    return pipeline_start(&o);
}

static int stopped(struct sync_summary *sum)
{
    sum->http_status = 0; /* the status of an interrupted answer says nothing */
    return cycle_fail(sum, EXIT_TEMPFAIL,
                      "stopped by a signal after %d pages; the next cycle resumes there",
                      sum->pages);
}

/* A step of the listing that is not a page: why the listing ended. */
static int fetch_failure(struct sync_summary *sum, const struct fetched *f)
{
    switch (f->result) {
    case FETCH_PAGE:
    case FETCH_LOOP: /* listing_loop */
        break;
    case FETCH_MALFORMED:
        return cycle_fail(sum, EXIT_DATAERR,
                          "malformed page from %s (HTTP %ld): %.150s; nothing of it was written "
                          "and the cursor did not move",
                          f->url, f->status, f->err.msg);
    case FETCH_HTTP:
        if (f->http == HTTP_ABORTED)
            return stopped(sum);
        return cycle_fail(sum, http_result_exit_code(f->http), "%s", f->err.msg);
    }
    assert_not_reached();
}

/* The page written: its counts, its events, where the listing stands. */
static void page_written(struct sync_ctx *ctx, struct sync_state *st, struct sync_summary *sum,
                         const struct page *pg, const struct page_result *res)
{
    char nrec[16];

    add_result(sum, pg, res);
    log_page_events(ctx, pg, res);
    snprintf(nrec, sizeof(nrec), "%zu", pg->n_employees + pg->n_rejected);
    log_event(LOG_DEBUG, "page_written", LOG_FIELDS({"RECORDS", nrec}),
              "page %d written: %zu records, %d new, %d updated, %d unchanged", sum->pages,
              pg->n_employees + pg->n_rejected, res->inserted, res->updated, res->unchanged);
    if (!st->listing_server_time)
        st->listing_server_time = pg->server_time;
    free(st->cursor);
    st->cursor = pg->next_cursor ? xstrdup(pg->next_cursor) : NULL;
    if (res->deactivation_refused)
        log_err("the full listing held %d employees, fewer than half of the %d active "
                "ones: nobody was marked inactive; check the SIMPEG endpoint",
                res->listing_records, res->active_before);
}

/* The server time a page gives the listing: its own, unless it lies
 * further ahead of the local clock than sync.max_clock_skew allows; then
 * the local clock (minus the overlap, as any server time), said once per
 * listing, at its first page, whose time is the one kept. */
static int64_t listing_time(const struct sync_ctx *ctx, const struct sync_state *st,
                            const struct fetched *f)
{
    int64_t now = (int64_t)time(NULL), t = f->page->server_time;
    char ahead[32];

    if (t <= now + ctx->cfg->sync.max_clock_skew)
        return t;
    if (!st->listing_server_time) {
        fmt_span(ahead, sizeof(ahead), t - now);
        log_event(LOG_WARNING, "clock_skew",
                  LOG_FIELDS({"URL", f->url}, {"SERVER_TIME", f->page->server_time_text}),
                  "the server_time %s of %s is %s ahead of this machine's clock, more than "
                  "sync.max_clock_skew: the local clock is used for the watermark instead",
                  f->page->server_time_text, f->url, ahead);
    }
    return now;
}

static int write_listing_page(struct sync_ctx *ctx, struct sync_state *st, int64_t run_id,
                              struct sync_summary *sum, const struct fetched *f)
{
    bool full = strcmp(st->listing_mode, "full") == 0;
    struct error err = {{0}};
    struct page_result res;
    /* A full listing rebuilds the aggregates at its end; an incremental
     * one keeps their running sums as it goes. */
    struct page_write w = {.mode = WRITE_SYNC,
                           .agg_period = full ? 0 : ctx->idx.period,
                           .instansi_id = instansi(ctx),
                           .source = source_key(ctx),
                           .page_url = f->url,
                           .page = f->page,
                           .scores = f->assessed.scores,
                           .issues = f->assessed.issues,
                           .run_id = run_id,
                           .state = st,
                           .next_cursor = f->page->next_cursor,
                           .server_time = listing_time(ctx, st, f),
                           .overlap = ctx->cfg->sync.overlap};
    int r = write_page(ctx, &w, &res, &err);

    if (r == 0)
        page_written(ctx, st, sum, f->page, &res);
    page_result_free(&res);
    if (r < 0)
        return stopping(ctx) ? stopped(sum) : cycle_fail(sum, store_exit_code(r), "%s", err.msg);
    return 0;
}

/* After a 410, the listing starts again from its first page. */
static int restart_listing(struct sync_ctx *ctx, struct sync_state *st, struct pipeline **p,
                           const struct fetched *f, struct sync_summary *sum)
{
    bool full = strcmp(st->listing_mode, "full") == 0;
    struct error err = {{0}};

    pipeline_stop(*p);
    *p = NULL;
    log_event(LOG_WARNING, "listing_restarted",
              LOG_FIELDS({"MODE", full ? "full" : "incremental"}, {"URL", f->url},
                         {"HTTP_STATUS", "410"}),
              "the listing cursor expired (HTTP 410); restarting the %s listing",
              full ? "full" : "incremental");
    if (store_begin_listing(ctx->store, instansi(ctx), source_key(ctx), full, st->listing_since, st,
                            &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
    if (!(*p = start_listing(ctx, st, NULL)))
        return cycle_fail(sum, EXIT_SOFTWARE, "cannot start the listing threads");
    return 0;
}

/* A listing that goes round in circles: the cycle fails, and the next one
 * starts the listing again from the watermark, not from where it looped. */
static int listing_loop(struct sync_ctx *ctx, struct sync_state *st, const struct fetched *f,
                        struct sync_summary *sum)
{
    bool full = strcmp(st->listing_mode, "full") == 0;
    struct error err = {{0}};
    char pages[16];

    snprintf(pages, sizeof(pages), "%d", sum->pages);
    log_event(LOG_ERR, "listing_loop", LOG_FIELDS({"URL", f->url}, {"PAGES", pages}),
              "the listing goes round in circles after %d pages: %s; the next cycle starts it "
              "again from the watermark",
              sum->pages, f->err.msg);
    if (store_begin_listing(ctx->store, instansi(ctx), source_key(ctx), full, st->listing_since, st,
                            &err) < 0)
        log_warning("%s", err.msg);
    return cycle_fail(sum, EXIT_DATAERR, "the listing goes round in circles: %s", f->err.msg);
}

/* Runs the listing to its end. Returns 0 or an exit code; *url names the
 * failing request. */
static int run_listing(struct sync_ctx *ctx, struct sync_state *st, int64_t run_id,
                       struct sync_summary *sum, char *url, size_t url_size)
{
    struct pipeline *p = start_listing(ctx, st, st->cursor);
    int restarts = 0, rc = 0;

    if (!p)
        return cycle_fail(sum, EXIT_SOFTWARE, "cannot start the listing threads");
    while (rc == 0) {
        struct fetched f;
        char n1[32];

        status(ctx, "syncing page %d (%s records)", sum->pages + 1,
               fmt_thousands(n1, sizeof(n1), sum->records));
        pipeline_next(p, &f);
        snprintf(url, url_size, "%s", f.url);
        sum->http_status = f.status;
        if (f.result == FETCH_HTTP && f.http == HTTP_GONE && restarts < 3) {
            restarts++;
            rc = restart_listing(ctx, st, &p, &f, sum);
        } else if (f.result == FETCH_LOOP) {
            rc = listing_loop(ctx, st, &f, sum);
        } else if (f.result != FETCH_PAGE) {
            rc = fetch_failure(sum, &f);
        } else {
            sum->http_status = 0;
            rc = write_listing_page(ctx, st, run_id, sum, &f);
            if (rc == 0)
                progress(ctx); /* the watchdog is fed by pages written */
            if (rc == 0 && f.last) {
                fetched_free(&f);
                break;
            }
            if (rc == 0 && stopping(ctx))
                rc = stopped(sum);
        }
        fetched_free(&f);
    }
    pipeline_stop(p);
    return rc;
}

/* ---- the dry run ----------------------------------------------------------------- */

struct dry_counts {
    struct tally codes[48];
    size_t n_codes;
};

/* Counts the issues of a page by code; returns how many it holds. */
static size_t count_issues(struct dry_counts *dc, const struct assessed *a)
{
    size_t issues = 0;

    for (size_t i = 0; i < a->n; i++) {
        issues += a->issues[i].n;
        for (size_t k = 0; k < a->issues[i].n; k++) {
            const char *code = a->issues[i].v[k].code;
            size_t j = 0;

            while (j < dc->n_codes && strcmp(dc->codes[j].code, code) != 0)
                j++;
            if (j == dc->n_codes && dc->n_codes < ARRAY_SIZE(dc->codes))
                snprintf(dc->codes[dc->n_codes++].code, sizeof(dc->codes[0].code), "%s", code);
            if (j < dc->n_codes)
                dc->codes[j].opened++;
        }
    }
    return issues;
}

static void dry_page(struct dry_counts *dc, struct sync_summary *sum, const struct fetched *f)
{
    const struct page *pg = f->page;
    size_t issues = count_issues(dc, &f->assessed);

    sum->pages++;
    sum->records += (int)(pg->n_employees + pg->n_rejected);
    sum->quarantined += (int)pg->n_rejected;
    sum->issues_opened += (int)issues;
    printf("page %d: %zu records, %zu would be quarantined, %zu issues found\n", sum->pages,
           pg->n_employees + pg->n_rejected, pg->n_rejected, issues);
    for (size_t i = 0; i < pg->n_rejected; i++)
        printf("  quarantine record %zu (%s): %s\n", pg->rejected[i].index, pg->rejected[i].code,
               pg->rejected[i].reason);
}

/* The watermark a dry run lists from: none without a database, or when a
 * full listing is due. */
static int64_t dry_since(struct sync_ctx *ctx)
{
    struct sync_state st = {0};
    struct error err = {{0}};
    int64_t since = 0;

    /* One attempt: a dry run without a database lists everything. */
    if (!ctx->store) {
        ctx->store = store_open(ctx->cfg->database.conninfo, &err);
        set_cancel(ctx);
    }
    if (ctx->store && !ctx->store_conninfo)
        ctx->store_conninfo = xstrdup(ctx->cfg->database.conninfo);
    if (store_connected(ctx->store) &&
        store_load_state(ctx->store, instansi(ctx), source_key(ctx), &st, &err) == 0 &&
        st.watermark && !want_full(ctx, &(struct sync_options){0}, &st))
        since = st.watermark;
    sync_state_clear(&st);
    return since;
}

/* The dry run: the listing this cycle would run, decoded, checked and
 * scored, with what would be written printed on stdout. Nothing is
 * written and no lock is taken. */
static int dry_run(struct sync_ctx *ctx, struct sync_summary *sum)
{
    struct dry_counts dc;
    struct error err = {{0}};
    struct sync_state st = {0};
    struct pipeline *p;
    int rc = 0;

    memset(&dc, 0, sizeof(dc));
    if (ensure_http(ctx, &err) < 0)
        return cycle_fail(sum, EXIT_UNAVAILABLE, "%s", err.msg);
    st.listing_since = dry_since(ctx);
    snprintf(sum->mode, sizeof(sum->mode), "%s", st.listing_since ? "incremental" : "full");
    printf("dry run: %s %s listing of %s%s\n", st.listing_since ? "an" : "a", sum->mode,
           ctx->cfg->source.url, st.listing_since ? " (records changed since the watermark)" : "");
    if (!(p = start_listing(ctx, &st, NULL)))
        return cycle_fail(sum, EXIT_SOFTWARE, "cannot start the listing threads");
    for (;;) {
        struct fetched f;
        bool last;

        pipeline_next(p, &f);
        sum->http_status = f.status;
        if (f.result != FETCH_PAGE) {
            rc = fetch_failure(sum, &f);
            fetched_free(&f);
            break;
        }
        dry_page(&dc, sum, &f);
        last = f.last;
        fetched_free(&f);
        if (last)
            break;
        if (stopping(ctx)) {
            rc = cycle_fail(sum, EXIT_TEMPFAIL, "stopped by a signal");
            break;
        }
    }
    pipeline_stop(p);
    printf("would write %d records from %d pages; %d would be quarantined; %d issues found\n",
           sum->records, sum->pages, sum->quarantined, sum->issues_opened);
    for (size_t j = 0; j < dc.n_codes; j++)
        printf("  %-24s %d\n", dc.codes[j].code, dc.codes[j].opened);
    printf("nothing was written\n");
    return rc;
}

/* ---- the cycle --------------------------------------------------------------------- */

/* The database ready, the source locked, the client built, the state read
 * and the run started. */
static int cycle_open(struct sync_ctx *ctx, const struct sync_options *opts, struct sync_state *st,
                      int64_t *run_id, struct sync_summary *sum)
{
    struct error err = {{0}};
    int rc;

    if (ensure_store(ctx, &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "PostgreSQL unavailable: %s", err.msg);
    if (!opts->no_migrate && !ctx->migrated && (rc = sync_migrate(ctx)) != 0)
        return cycle_fail(sum, rc, "the schema could not be migrated");
    if (lock_source(ctx, sum, &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "%s",
                          sum->skipped ? "another ipasnd holds the source's lock" : err.msg);
    if (ensure_http(ctx, &err) < 0)
        return cycle_fail(sum, EXIT_UNAVAILABLE, "%s", err.msg);
    if (store_load_state(ctx->store, instansi(ctx), source_key(ctx), st, &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
    if (opts->nip)
        snprintf(sum->mode, sizeof(sum->mode), "nip");
    else if (ctx->cfg->source.type == SOURCE_SIASN)
        snprintf(sum->mode, sizeof(sum->mode), "%s", opts->full ? "full" : "refresh");
    else if (st->listing_mode[0])
        snprintf(sum->mode, sizeof(sum->mode), "%s", st->listing_mode);
    else
        snprintf(sum->mode, sizeof(sum->mode), "%s",
                 want_full(ctx, opts, st) ? "full" : "incremental");
    if (store_run_start(ctx->store, instansi(ctx), source_key(ctx), sum->mode, run_id, &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
    return 0;
}

/* Scores follow the period and the rules: when either changed, every
 * stored score is recomputed before new records arrive. */
static int recompute_if_stale(struct sync_ctx *ctx, const struct sync_state *st, bool *recomputed,
                              struct sync_summary *sum)
{
    struct error err = {{0}};
    struct sync_summary rs;
    int rc;

    *recomputed = false;
    if (st->period == ctx->idx.period && st->rules_hash == config_rules_hash(&ctx->cfg->index))
        return 0;
    if (st->known && st->period)
        log_notice("the %s changed since the scores were computed: recomputing every score",
                   st->period != ctx->idx.period ? "period" : "ruleset or its rules");
    memset(&rs, 0, sizeof(rs));
    status(ctx, "recomputing every score for %d", ctx->idx.period);
    if ((rc = recompute_locked(ctx, 0, 0, &rs, &err)) < 0)
        return cycle_fail(sum, store_exit_code(rc), "recompute: %s", err.msg);
    *recomputed = true;
    return 0;
}

/* A listing resumed where the last cycle stopped, or a new one. */
static int listing_begin(struct sync_ctx *ctx, struct sync_state *st, struct sync_summary *sum)
{
    struct error err = {{0}};
    char since_s[32];
    bool full;
    int64_t since;

    if (st->listing_mode[0] && (st->cursor || st->pages)) {
        log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", sum->mode}, {"RESUMED", "1"}),
                  "resuming the interrupted %s listing after %d pages%s%s", sum->mode, st->pages,
                  st->listing_since ? " of records changed since " : "",
                  st->listing_since ? timestamp_format(st->listing_since, since_s, sizeof(since_s))
                                    : "");
        return 0;
    }
    full = strcmp(sum->mode, "full") == 0;
    since = full ? 0 : st->watermark;
    if (store_begin_listing(ctx->store, instansi(ctx), source_key(ctx), full, since, st, &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
    log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", sum->mode}), "%s sync started%s%s",
              sum->mode, since ? ": records changed since " : "",
              since ? timestamp_format(since, since_s, sizeof(since_s)) : "");
    return 0;
}

/* The aggregates move only when scores did, or the target did. After a
 * full listing or a recompute they are made from every score; after an
 * incremental listing, from the running sums its pages kept. */
static int listing_end(struct sync_ctx *ctx, bool recomputed, struct sync_summary *sum)
{
    struct error err = {{0}};
    bool current = false;

    if (!recomputed &&
        store_aggregates_current(ctx->store, instansi(ctx), &ctx->idx, ctx->idx.period, &current,
                                 &err) == 0 &&
        current)
        return 0;
    status(ctx, "refreshing the OPD and instansi scores");
    if (store_refresh_aggregates(ctx->store, instansi(ctx), &ctx->idx, ctx->idx.period,
                                 recomputed || strcmp(sum->mode, "full") == 0, &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "refreshing the aggregates: %s", err.msg);
    return 0;
}

/* The day's snapshot of the aggregates, for the trend. */
static int keep_day(struct sync_ctx *ctx, int period, struct sync_summary *sum)
{
    struct error err = {{0}};

    if (store_keep_day(ctx->store, instansi(ctx), period, date_today_local(), &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "keeping the day's scores: %s", err.msg);
    return 0;
}

/* Retention, a bounded batch per cycle: a store that has kept too much
 * catches up over a few cycles without holding one up. */
#define RETAIN_BATCH 5000

static void retain(struct sync_ctx *ctx)
{
    const struct config_store *c = &ctx->cfg->store;
    struct store_keep keep = {c->quarantine_keep, c->runs_keep, c->departed_keep};
    struct store_retained got;
    struct error err = {{0}};

    if (store_retain(ctx->store, instansi(ctx), &keep, RETAIN_BATCH, &got, &err) < 0) {
        log_warning("retention: %s", err.msg);
        return;
    }
    if (got.quarantine || got.runs || got.departed)
        log_info("retention: %d quarantined records, %d runs and the records of %d departed "
                 "employees deleted (store.*_keep)",
                 got.quarantine, got.runs, got.departed);
}

/* The run recorded, the summary logged; url names the failing request of
 * a sync, NULL for a recompute. */
static void cycle_close(struct sync_ctx *ctx, int64_t run_id, int rc, struct sync_summary *sum,
                        const char *url)
{
    bool recompute = strcmp(sum->mode, "recompute") == 0;

    cycle_end(sum);
    sum->exit_code = rc;
    log_tallies(ctx);
    if (run_id && store_connected(ctx->store)) {
        struct error e2 = {{0}};

        /* a run left "running" is marked interrupted by the next one */
        (void)store_run_finish(ctx->store, run_id, rc ? "failed" : "ok", rc ? sum->error : NULL,
                               &e2);
        if (rc == 0)
            retain(ctx);
    }
    if (rc == 0 && recompute)
        log_info("recompute finished: %d employees scored in %.1f s", sum->records,
                 (double)sum->duration_ms / 1000);
    else if (rc == 0)
        log_finished(ctx, sum);
    else if (sum->skipped)
        return;
    else if (recompute)
        log_err("recompute failed: %s", sum->error);
    else
        log_failed(sum, url);
}

static int run_one(struct sync_ctx *ctx, const char *nip, int64_t run_id, struct sync_summary *sum)
{
    char q[64];

    text_quote(q, sizeof(q), nip);
    log_event(LOG_INFO, "sync_started", LOG_FIELDS({"MODE", "nip"}, {"NIP", nip}),
              "refreshing NIP %s", q);
    return sync_one(ctx, nip, run_id, sum);
}

int sync_cycle(struct sync_ctx *ctx, const struct sync_options *opts, struct sync_summary *sum)
{
    struct sync_state st = {0};
    int64_t run_id = 0;
    char url[512] = "";
    bool recomputed = false;
    int rc;

    cycle_start(ctx, sum, opts->nip ? "nip" : opts->full ? "full" : "incremental");
    if (opts->dry_run && ctx->cfg->source.type == SOURCE_SIASN) {
        /* The dry run walks the listing; WS SIASN has none to walk. */
        rc = cycle_fail(sum, EXIT_USAGE,
                        "sync --dry-run reads a listing: not with source.type \"siasn\"");
        cycle_end(sum);
        sum->exit_code = rc;
        log_failed(sum, "");
        return rc;
    }
    if (opts->dry_run) {
        rc = dry_run(ctx, sum);
        cycle_end(sum);
        sum->exit_code = rc;
        if (rc)
            log_failed(sum, "");
        return rc;
    }
    if ((rc = cycle_open(ctx, opts, &st, &run_id, sum)) == 0 &&
        (rc = recompute_if_stale(ctx, &st, &recomputed, sum)) == 0) {
        if (ctx->cfg->source.type == SOURCE_SIASN)
            rc = sync_siasn(ctx, opts, run_id, sum);
        else if (opts->nip)
            rc = run_one(ctx, opts->nip, run_id, sum);
        else if ((rc = listing_begin(ctx, &st, sum)) == 0 &&
                 (rc = run_listing(ctx, &st, run_id, sum, url, sizeof(url))) == 0 &&
                 (rc = listing_end(ctx, recomputed, sum)) == 0)
            rc = keep_day(ctx, ctx->idx.period, sum);
    }
    cycle_close(ctx, run_id, rc, sum, url);
    sync_state_clear(&st);
    return rc;
}

int sync_recompute(struct sync_ctx *ctx, int period, struct sync_summary *sum)
{
    struct error err = {{0}};
    int64_t run_id = 0;
    int rc = 0;

    cycle_start(ctx, sum, "recompute");
    if (ensure_store(ctx, &err) < 0)
        rc = cycle_fail(sum, EXIT_TEMPFAIL, "PostgreSQL unavailable: %s", err.msg);
    else if (!ctx->migrated && (rc = sync_migrate(ctx)) != 0)
        (void)cycle_fail(sum, rc, "the schema could not be migrated");
    else if (lock_source(ctx, sum, &err) < 0)
        rc = cycle_fail(sum, EXIT_TEMPFAIL, "%s",
                        sum->skipped ? "another ipasnd holds the source's lock" : err.msg);
    else if (store_run_start(ctx->store, instansi(ctx), source_key(ctx), "recompute", &run_id,
                             &err) < 0)
        rc = cycle_fail(sum, EXIT_TEMPFAIL, "%s", err.msg);
    else if ((rc = recompute_locked(ctx, period, run_id, sum, &err)) < 0)
        rc = cycle_fail(sum, store_exit_code(rc), "%s", err.msg);
    else if (!period || period == ctx->idx.period)
        rc = keep_day(ctx, ctx->idx.period, sum);
    cycle_close(ctx, run_id, rc, sum, NULL);
    return rc;
}

/* ---- for the sources beside the listing (sync_int.h) ---------------------------- */

void sync_status(struct sync_ctx *ctx, const char *line)
{
    status(ctx, "%s", line);
}

void sync_progress(struct sync_ctx *ctx)
{
    progress(ctx);
}

bool sync_stopping(const struct sync_ctx *ctx)
{
    return stopping(ctx);
}

int sync_write_page(struct sync_ctx *ctx, struct page_write *w, struct page_result *res,
                    struct error *err)
{
    return write_page(ctx, w, res, err);
}

void sync_page_written(struct sync_ctx *ctx, struct sync_summary *sum, const struct page *pg,
                       const struct page_result *res)
{
    add_result(sum, pg, res);
    log_page_events(ctx, pg, res);
}

int sync_aggregates(struct sync_ctx *ctx, bool full, struct sync_summary *sum)
{
    struct error err = {{0}};

    status(ctx, "refreshing the OPD and instansi scores");
    if (store_refresh_aggregates(ctx->store, instansi(ctx), &ctx->idx, ctx->idx.period, full,
                                 &err) < 0)
        return cycle_fail(sum, EXIT_TEMPFAIL, "refreshing the aggregates: %s", err.msg);
    return 0;
}
