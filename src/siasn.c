/* siasn.c: see siasn.h.
 *
 * The run is one loop over a multi handle. Open employees (jobs) hold the
 * answers gathered so far; their calls wait in a queue until a handle is
 * free, the rate allows a start, their own retry time has come and no
 * throttle pause holds every call back. A job opens with data-utama
 * alone; its answer opens the seven others. A 401 renews the APIM token
 * once for every call in flight: a call refused with a token older than
 * the current one only goes round again. */
#include "autoconfig.h"

#include "siasn.h"

#include "file.h"
#include "mem.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#define POLL_MS          100   /* the longest the loop sleeps: abort and progress */
#define RECHECK_MS       1000  /* how often the SSO token and cookie files are looked at */
#define SUSPENDED_MIN_MS 30000 /* WSO2 suspends a backend for 30 s */
#define BODY_INITIAL     4096
#define WHY_MAX          256

struct job {
    char nip[19];
    size_t index;
    int pending; /* calls queued or in flight */
    bool failed, unknown;
    char why[WHY_MAX];
    char *body[SIASN_CALLS];
    size_t len[SIASN_CALLS];
    enum siasn_answer answer[SIASN_CALLS];
};

/* A call queued, or in flight on a slot. */
struct call {
    struct job *job;
    enum siasn_call which;
    int attempts;       /* sent so far */
    bool refused;       /* a 401 already renewed the token for it */
    uint64_t token;     /* the generation of the APIM token it went with */
    uint64_t sso;       /* and of the SSO token */
    int64_t not_before; /* monotonic ms */
};

struct slot {
    CURL *h;
    bool busy;
    struct call call;
    struct curl_slist *headers; /* holds secrets: wiped when freed */
    char *body;
    size_t len, cap, max; /* max: source.max_page_bytes */
    bool too_big;
    char retry_after[64];
    char errbuf[CURL_ERROR_SIZE];
};

/* A secret file re-read when it changes. */
struct watched {
    const char *path; /* NULL: none */
    char *value;
    uint64_t generation; /* values read so far */
    struct stat st;
    int64_t checked_ms;
};

struct siasn_client {
    struct http_client *http;
    struct http_hooks hooks;
    char *base;
    CURLM *multi;
    struct slot *slots;
    int parallel, retries;
    int64_t backoff_max_ms;
    size_t max_bytes;

    const char *token; /* APIM, borrowed from http */
    uint64_t token_gen;
    struct watched sso, cookie;

    /* source.rate_limit as a sliding window: at most n_window starts in
     * any window_ms, the last ones in a ring, and no two closer than
     * min_gap_ms. */
    int64_t *starts;
    size_t n_window, pos;
    double window_ms, min_gap_ms;
    int64_t last_start;
    int64_t pause_until;

    struct call *queue;
    size_t n_queue, cap_queue;
    struct job **jobs;
    size_t n_jobs, max_jobs;

    struct siasn_counts counts;
    int in_flight;
};

/* ---- small things --------------------------------------------------------- */

static double random_unit(void)
{
    uint64_t x;

    if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x))
        x = (uint64_t)now_monotonic_ms() * 0x9e3779b97f4a7c15ULL;
    return (double)(x >> 11) / 9007199254740992.0; /* 2^53 */
}

static bool aborted(const struct siasn_client *c)
{
    return c->hooks.abort_flag && atomic_load(c->hooks.abort_flag);
}

static void scrub(const struct siasn_client *c, char *s)
{
    http_scrub(c->http, s);
    text_redact(s, c->sso.value);
    text_redact(s, c->cookie.value);
}

static void emit(struct siasn_client *c, enum http_event_kind kind, const struct call *k,
                 long status, int64_t wait_ms, const char *reason)
{
    struct http_event ev = {0};
    char url[300], r[WHY_MAX];

    if (!c->hooks.event)
        return;
    snprintf(url, sizeof(url), "%s/pns/%s/%s", c->base, siasn_call_names[k->which], k->job->nip);
    text_strip(r, sizeof(r), reason ? reason : "");
    scrub(c, url);
    scrub(c, r);
    ev.kind = kind;
    ev.url = url;
    ev.status = status;
    ev.attempt = k->attempts;
    ev.wait_ms = wait_ms;
    ev.expires_in = -1;
    ev.reason = r;
    c->hooks.event(c->hooks.ud, &ev);
}

static void fail(const struct siasn_client *c, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(const struct siasn_client *c, struct error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vset(err, fmt, ap);
    va_end(ap);
    scrub(c, err->msg);
}

char *siasn_url(const char *base, enum siasn_call call, const char *nip, struct error *err)
{
    struct strbuf b = {0};
    size_t n = strlen(base);

    if (strlen(nip) != 18 || strspn(nip, "0123456789") != 18) {
        error_set(err, "a NIP must be 18 digits");
        return NULL;
    }
    while (n && base[n - 1] == '/')
        n--;
    strbuf_addn(&b, base, n);
    strbuf_append(&b, "/pns/%s/%s", siasn_call_names[call], nip);
    return b.s;
}

double siasn_refresh_seconds(long long due, double rate)
{
    return rate > 0 ? (double)due * SIASN_CALLS / rate / SIASN_BUDGET_SHARE : 0;
}

int siasn_run_exit_code(enum siasn_run_result r)
{
    switch (r) {
    case SIASN_RUN_OK:
        return 0;
    case SIASN_RUN_UNAVAILABLE:
    case SIASN_RUN_ABORTED:
    case SIASN_RUN_CALLER:
        return EXIT_TEMPFAIL;
    default:
        return EXIT_UNAVAILABLE;
    }
}

void siasn_counts(const struct siasn_client *c, struct siasn_counts *out)
{
    *out = c->counts;
}

/* ---- secrets that change under a running daemon ----------------------------- */

static void watched_free(struct watched *w)
{
    if (w->value) {
        explicit_bzero(w->value, strlen(w->value));
        free(w->value);
    }
    w->value = NULL;
}

/* Reads the file again when its inode, size or time moved; a file that
 * cannot be read keeps the value in force (the next call's refusal says
 * what is wrong). True when the value changed. */
static bool watched_check(struct watched *w, bool force)
{
    struct stat st;
    char why[512];
    char *v;
    int64_t now = now_monotonic_ms();

    if (!w->path || (!force && now - w->checked_ms < RECHECK_MS))
        return false;
    w->checked_ms = now;
    if (stat(w->path, &st) != 0)
        return false;
    if (w->value && st.st_ino == w->st.st_ino && st.st_size == w->st.st_size &&
        st.st_mtim.tv_sec == w->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == w->st.st_mtim.tv_nsec)
        return false;
    if (!(v = file_read_secret(w->path, &st, why, sizeof(why))))
        return false;
    w->st = st;
    if (w->value && strcmp(v, w->value) == 0) {
        explicit_bzero(v, strlen(v));
        free(v);
        return false;
    }
    watched_free(w);
    w->value = v;
    w->generation++;
    return true;
}

static void watched_init(struct watched *w, const char *path, const char *value)
{
    memset(w, 0, sizeof(*w));
    if (!path || !*path)
        return;
    w->path = path;
    w->value = xstrdup(value ? value : "");
    if (stat(path, &w->st) != 0)
        memset(&w->st, 0, sizeof(w->st));
    w->checked_ms = now_monotonic_ms();
}

/* ---- pacing -------------------------------------------------------------------- */

/* The earliest a request may start under source.rate_limit. A window
 * rather than an even spacing: no second ever holds more than the rate,
 * and a moment the loop lost (a slow wake-up) is made up within the
 * window instead of lost for good. */
static int64_t rate_next(const struct siasn_client *c)
{
    int64_t a = c->starts[c->pos] + (int64_t)(c->window_ms + 0.999);
    int64_t b = c->last_start + (int64_t)c->min_gap_ms;

    return a > b ? a : b;
}

static void rate_record(struct siasn_client *c, int64_t now)
{
    c->starts[c->pos] = now;
    c->pos = (c->pos + 1) % c->n_window;
    c->last_start = now;
}

/* Whether a request may start now; takes the slot when it may. */
static bool rate_take(struct siasn_client *c, int64_t now)
{
    if (now < rate_next(c))
        return false;
    rate_record(c, now);
    return true;
}

/* Sleeps until a request may start (for the token requests, which run
 * outside the loop); -1 when aborted. */
static int rate_wait(struct siasn_client *c)
{
    for (;;) {
        int64_t now = now_monotonic_ms();

        if (aborted(c))
            return -1;
        if (rate_take(c, now))
            return 0;
        if (c->hooks.progress)
            c->hooks.progress(c->hooks.ud);
        curl_multi_poll(c->multi, NULL, 0, (int)(rate_next(c) - now), NULL);
    }
}

/* ---- the APIM token ---------------------------------------------------------------- */

/* The token in force; renew replaces it. Token requests count against the
 * rate: one known to be needed waits for its slot, one the cache asks
 * for by itself (expiry near) is counted after. */
static enum siasn_run_result token_get(struct siasn_client *c, bool renew, struct error *err)
{
    uint64_t before = c->token_gen;
    enum http_result r;

    if ((renew || !c->token) && rate_wait(c) < 0)
        return SIASN_RUN_ABORTED;
    r = http_access_token(c->http, renew, &c->token, &c->token_gen, err);
    if (r == HTTP_OK) {
        if (c->token_gen != before) {
            c->counts.tokens++;
            if (!renew && before)
                rate_record(c, now_monotonic_ms());
        }
        return SIASN_RUN_OK;
    }
    c->token = NULL;
    switch (r) {
    case HTTP_ABORTED:
        return SIASN_RUN_ABORTED;
    case HTTP_UNAVAILABLE:
        return SIASN_RUN_UNAVAILABLE;
    case HTTP_AUTH:
        return SIASN_RUN_APIM;
    default:
        return SIASN_RUN_FAILED;
    }
}

/* ---- the queue and the jobs ----------------------------------------------------- */

static void enqueue(struct siasn_client *c, const struct call *k)
{
    if (c->n_queue == c->cap_queue) {
        c->cap_queue = c->cap_queue ? c->cap_queue * 2 : 64;
        c->queue = xrealloc(c->queue, c->cap_queue * sizeof(*c->queue));
    }
    c->queue[c->n_queue++] = *k;
    k->job->pending++;
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    for (int i = 0; i < SIASN_CALLS; i++)
        free(j->body[i]);
    free(j);
}

static void job_open(struct siasn_client *c, const char *nip, size_t index)
{
    struct job *j = xcalloc(1, sizeof(*j));
    struct call k = {.job = j, .which = SIASN_DATA_UTAMA};

    snprintf(j->nip, sizeof(j->nip), "%s", nip);
    j->index = index;
    c->jobs[c->n_jobs++] = j;
    enqueue(c, &k);
}

/* A job whose calls are all back goes to the caller, and away. */
static int job_finish(struct siasn_client *c, struct job *j, siasn_done_fn done, void *ud)
{
    struct siasn_employee e = {.nip = j->nip, .index = j->index};
    int rc;

    e.outcome = j->failed ? SIASN_FAILED : j->unknown ? SIASN_UNKNOWN : SIASN_FETCHED;
    e.why = j->why;
    for (int i = 0; i < SIASN_CALLS; i++) {
        e.answers.body[i] = j->body[i] ? j->body[i] : "";
        e.answers.len[i] = j->len[i];
        e.answers.answer[i] = j->answer[i];
    }
    rc = done(ud, &e);
    for (size_t i = 0; i < c->n_jobs; i++) {
        if (c->jobs[i] == j) {
            c->jobs[i] = c->jobs[--c->n_jobs];
            break;
        }
    }
    job_free(j);
    return rc;
}

/* The job fails: its queued calls are dropped, those in flight finish
 * unread. */
static void job_fail(struct siasn_client *c, struct job *j, const char *why)
{
    size_t k = 0;

    if (!j->failed) {
        j->failed = true;
        snprintf(j->why, sizeof(j->why), "%s", why);
        scrub(c, j->why);
    }
    for (size_t i = 0; i < c->n_queue; i++) {
        if (c->queue[i].job == j)
            j->pending--;
        else
            c->queue[k++] = c->queue[i];
    }
    c->n_queue = k;
}

/* ---- one transfer ---------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct slot *s = ud;
    size_t n = size * nmemb;

    if (n > s->max - s->len) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (n > s->cap - s->len - 1) {
        size_t cap = s->cap;

        while (cap - s->len - 1 < n)
            cap *= 2;
        s->body = xrealloc(s->body, cap);
        s->cap = cap;
    }
    memcpy(s->body + s->len, data, n);
    s->len += n;
    s->body[s->len] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct slot *s = ud;

    http_header_line(data, size * nmemb, s->retry_after, sizeof(s->retry_after));
    return size * nmemb;
}

static void slot_headers_free(struct slot *s)
{
    for (struct curl_slist *l = s->headers; l; l = l->next)
        explicit_bzero(l->data, strlen(l->data));
    curl_slist_free_all(s->headers);
    s->headers = NULL;
}

/* Both tokens, as every data call carries them (§2), and the cookie. */
static int slot_headers(struct siasn_client *c, struct slot *s)
{
    struct strbuf b = {0};
    struct curl_slist *l = curl_slist_append(NULL, "Accept: application/json");
    int rc = -1;

    s->headers = l;
    strbuf_append(&b, "Authorization: Bearer %s", c->token);
    if (!l || !(l = curl_slist_append(s->headers, b.s)))
        goto out;
    explicit_bzero(b.s, b.len);
    b.len = 0;
    strbuf_append(&b, "Auth: bearer %s", c->sso.value);
    if (!(l = curl_slist_append(s->headers, b.s)))
        goto out;
    if (c->cookie.value && *c->cookie.value) {
        explicit_bzero(b.s, b.len);
        b.len = 0;
        strbuf_append(&b, "Cookie: %s", c->cookie.value);
        if (!(l = curl_slist_append(s->headers, b.s)))
            goto out;
    }
    rc = 0;
out:
    if (b.s)
        explicit_bzero(b.s, b.len);
    strbuf_free(&b);
    return rc;
}

static int slot_start(struct siasn_client *c, struct slot *s, const struct call *k,
                      struct error *err)
{
    char *url = siasn_url(c->base, k->which, k->job->nip, err);
    CURLcode rc = CURLE_OK;

    if (!url)
        return -1;
    s->call = *k;
    s->call.attempts++;
    s->call.token = c->token_gen;
    s->call.sso = c->sso.generation;
    s->len = 0;
    s->body[0] = '\0';
    s->too_big = false;
    s->retry_after[0] = '\0';
    s->errbuf[0] = '\0';
    if (slot_headers(c, s) < 0) {
        free(url);
        fail(c, err, "cannot set up a WS SIASN call: out of memory");
        return -1;
    }
    rc = curl_easy_setopt(s->h, CURLOPT_URL, url);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->headers);
    free(url);
    if (rc != CURLE_OK || curl_multi_add_handle(c->multi, s->h) != CURLM_OK) {
        fail(c, err, "cannot start a WS SIASN call: out of memory");
        return -1;
    }
    s->busy = true;
    c->counts.requests++;
    if (++c->in_flight > c->counts.max_in_flight)
        c->counts.max_in_flight = c->in_flight;
    return 0;
}

/* ---- what an answer leads to ------------------------------------------------------- */

/* Sends k round again after a wait; the job fails once it has had its
 * attempts. 0, or a run result when the wait asked is beyond the cap. */
static int retry_later(struct siasn_client *c, struct call *k, long status, int64_t floor_ms,
                       bool pause_all, const char *why, struct error *err)
{
    int64_t wait, now = now_monotonic_ms();

    if (k->attempts > c->retries) {
        char w[WHY_MAX];

        snprintf(w, sizeof(w), "%s still failing after %d attempts: %s", siasn_call_names[k->which],
                 k->attempts, why);
        job_fail(c, k->job, w);
        return 0;
    }
    if (floor_ms > c->backoff_max_ms && status == 429) {
        fail(c, err,
             "WS SIASN asks to wait %lld s (Retry-After), more than source.backoff_max (%lld s)",
             (long long)(floor_ms / 1000), (long long)(c->backoff_max_ms / 1000));
        return SIASN_RUN_UNAVAILABLE;
    }
    wait = backoff_ms(k->attempts - 1, c->backoff_max_ms, random_unit());
    if (wait < floor_ms)
        wait = floor_ms;
    k->not_before = now + wait;
    if (pause_all && c->pause_until < k->not_before)
        c->pause_until = k->not_before;
    c->counts.retries++;
    emit(c, HTTP_EVENT_RETRY, k, status, wait, why);
    enqueue(c, k);
    return 0;
}

/* A refused APIM token: renewed once for all the calls it was refused
 * to; a call refused again after that is not the APIM token's fault. */
static int apim_refused(struct siasn_client *c, struct call *k, const char *why, struct error *err)
{
    int rc;

    if (k->refused) {
        if (strstr(why, "Invalid Credentials"))
            fail(c, err,
                 "WS SIASN refused the APIM credentials (source.auth client_id and "
                 "client_secret_file: the consumer key and secret) also with a new token");
        else
            fail(c, err,
                 "WS SIASN still answers 401 with a new APIM token: the SSO token in "
                 "source.siasn.sso_token_file was refused and must be renewed");
        return strstr(why, "Invalid Credentials") ? SIASN_RUN_APIM : SIASN_RUN_SSO;
    }
    k->refused = true;
    if (k->token == c->token_gen) {
        c->counts.refreshes++;
        emit(c, HTTP_EVENT_REFRESH, k, 401, 0, "HTTP 401: renewing the APIM token once");
        if ((rc = token_get(c, true, err)) != SIASN_RUN_OK)
            return rc;
    }
    k->not_before = 0;
    enqueue(c, k);
    return 0;
}

/* A call came back: its answer taken, or the call sent again. 0, or the
 * run's end. */
static int call_done(struct siasn_client *c, struct slot *s, CURLcode cr, struct error *err)
{
    struct call k = s->call;
    struct job *j = k.job;
    struct error why = {{0}};
    enum siasn_answer a;
    long status = 0;
    int64_t ra = -1;

    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
    j->pending--;
    if (j->failed)
        return 0;
    if (cr != CURLE_OK) {
        const char *t = s->errbuf[0] ? s->errbuf : curl_easy_strerror(cr);

        if (s->too_big || cr == CURLE_FILESIZE_EXCEEDED) {
            snprintf(why.msg, sizeof(why.msg),
                     "%s: the answer is larger than source.max_page_bytes",
                     siasn_call_names[k.which]);
            job_fail(c, j, why.msg);
            return 0;
        }
        if (!http_curl_transient((int)cr)) {
            fail(c, err, "WS SIASN call %s failed: %s%s", siasn_call_names[k.which], t,
                 cr == CURLE_PEER_FAILED_VERIFICATION || cr == CURLE_SSL_CACERT_BADFILE
                     ? " (see source.ca_file and source.tls_verify)"
                     : "");
            return SIASN_RUN_FAILED;
        }
        return retry_later(c, &k, 0, 0, false, t, err);
    }
    a = siasn_classify(k.which, status, s->body, s->len, &why);
    if (s->retry_after[0] && http_retry_after_parse(s->retry_after, time(NULL), &ra) < 0)
        ra = -1;
    switch (a) {
    case SIASN_OK:
    case SIASN_EMPTY:
        j->answer[k.which] = a;
        j->body[k.which] = xstrdup(s->body);
        j->len[k.which] = s->len;
        if (k.which == SIASN_DATA_UTAMA && a == SIASN_EMPTY) {
            j->unknown = true;
        } else if (k.which == SIASN_DATA_UTAMA) {
            for (int i = SIASN_DATA_UTAMA + 1; i < SIASN_CALLS; i++) {
                struct call n = {.job = j, .which = (enum siasn_call)i};

                enqueue(c, &n);
            }
        }
        return 0;
    case SIASN_APIM_REFUSED:
        return apim_refused(c, &k, why.msg, err);
    case SIASN_SSO_REFUSED:
        /* A token pasted meanwhile gets its chance before the cycle fails,
         * with every call that went with the old one. */
        if (k.sso != c->sso.generation || watched_check(&c->sso, true)) {
            k.not_before = 0;
            enqueue(c, &k);
            return 0;
        }
        fail(c, err, "WS SIASN refused the SSO token (%s): renew it in source.siasn.sso_token_file",
             why.msg);
        return SIASN_RUN_SSO;
    case SIASN_THROTTLED:
        c->counts.throttled++;
        return retry_later(c, &k, status, ra > 0 ? ra * 1000 : 0, true, why.msg, err);
    case SIASN_SUSPENDED:
        c->counts.throttled++;
        return retry_later(c, &k, status,
                           c->backoff_max_ms < SUSPENDED_MIN_MS ? c->backoff_max_ms
                                                                : SUSPENDED_MIN_MS,
                           true, why.msg, err);
    case SIASN_TRANSIENT:
        return retry_later(c, &k, status, ra > 0 ? ra * 1000 : 0, false, why.msg, err);
    case SIASN_WRONG_PATH:
        fail(c, err, "WS SIASN answered 404 of the gateway's own to %s: check source.url (%s)",
             siasn_call_names[k.which], why.msg);
        return SIASN_RUN_PATH;
    case SIASN_MALFORMED:
        job_fail(c, j, why.msg);
        return 0;
    }
    assert_not_reached();
}

/* ---- the loop ------------------------------------------------------------------------ */

/* The first queued call that may go now, or -1; *wake is when the next
 * one may. */
static ssize_t queue_ready(const struct siasn_client *c, int64_t now, int64_t *wake)
{
    for (size_t i = 0; i < c->n_queue; i++) {
        if (c->queue[i].not_before <= now)
            return (ssize_t)i;
        if (c->queue[i].not_before < *wake)
            *wake = c->queue[i].not_before;
    }
    return -1;
}

/* Starts what may start; *wake is when to look again. */
static int start_calls(struct siasn_client *c, int64_t *wake, struct error *err)
{
    int rc;

    for (int i = 0; i < c->parallel && c->n_queue; i++) {
        struct slot *s = &c->slots[i];
        int64_t now = now_monotonic_ms();
        ssize_t q;
        struct call k;

        if (s->busy)
            continue;
        if (now < c->pause_until) {
            *wake = c->pause_until;
            return 0;
        }
        if ((q = queue_ready(c, now, wake)) < 0)
            return 0;
        if (!rate_take(c, now)) {
            if (rate_next(c) < *wake)
                *wake = rate_next(c); /* > now: rate_take said so */
            return 0;
        }
        watched_check(&c->sso, false);
        watched_check(&c->cookie, false);
        if ((rc = token_get(c, false, err)) != SIASN_RUN_OK)
            return rc;
        k = c->queue[q];
        memmove(&c->queue[q], &c->queue[q + 1], (c->n_queue - (size_t)q - 1) * sizeof(k));
        c->n_queue--;
        if (slot_start(c, s, &k, err) < 0)
            return SIASN_RUN_FAILED;
    }
    return 0;
}

/* Reads the finished transfers. */
static int read_done(struct siasn_client *c, struct error *err)
{
    CURLMsg *m;
    int queued, rc = 0;

    while ((m = curl_multi_info_read(c->multi, &queued))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        for (int i = 0; i < c->parallel; i++) {
            struct slot *s = &c->slots[i];
            CURLcode cr = m->data.result;

            if (!s->busy || s->h != m->easy_handle)
                continue;
            curl_multi_remove_handle(c->multi, s->h);
            s->busy = false;
            c->in_flight--;
            slot_headers_free(s);
            if (rc == 0)
                rc = call_done(c, s, cr, err);
            else
                s->call.job->pending--;
            break;
        }
    }
    return rc;
}

/* Hands over every job with nothing left in flight or queued. */
static int finish_jobs(struct siasn_client *c, siasn_done_fn done, void *ud)
{
    for (size_t i = 0; i < c->n_jobs;) {
        struct job *j = c->jobs[i];

        if (j->pending > 0) {
            i++;
            continue;
        }
        if (job_finish(c, j, done, ud) < 0)
            return SIASN_RUN_CALLER;
    }
    return 0;
}

/* Ends every transfer and drops every job not handed over. */
static void run_clear(struct siasn_client *c)
{
    for (int i = 0; i < c->parallel; i++) {
        struct slot *s = &c->slots[i];

        if (s->busy) {
            curl_multi_remove_handle(c->multi, s->h);
            s->busy = false;
        }
        slot_headers_free(s);
    }
    c->in_flight = 0;
    for (size_t i = 0; i < c->n_jobs; i++)
        job_free(c->jobs[i]);
    c->n_jobs = 0;
    c->n_queue = 0;
}

enum siasn_run_result siasn_run(struct siasn_client *c, siasn_next_fn next, siasn_done_fn done,
                                void *ud, struct error *err)
{
    int64_t t0 = now_monotonic_ms();
    bool more = true;
    int rc = 0;

    memset(&c->counts, 0, sizeof(c->counts));
    for (size_t i = 0; i < c->n_window; i++)
        c->starts[i] = t0 - (int64_t)c->window_ms - 1;
    c->last_start = t0 - (int64_t)c->min_gap_ms - 1;
    c->pause_until = 0;
    while (rc == 0) {
        int64_t wake = now_monotonic_ms() + POLL_MS, now;
        int running;

        while (more && c->n_jobs < c->max_jobs) {
            size_t index = 0;
            const char *nip = next(ud, &index);

            if (!nip)
                more = false;
            else
                job_open(c, nip, index);
        }
        if (!more && c->n_jobs == 0)
            break;
        if (aborted(c)) {
            fail(c, err, "WS SIASN fetch aborted");
            rc = SIASN_RUN_ABORTED;
            break;
        }
        if ((rc = start_calls(c, &wake, err)) != 0)
            break;
        if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
            fail(c, err, "WS SIASN transfers: out of memory");
            rc = SIASN_RUN_FAILED;
            break;
        }
        if ((rc = read_done(c, err)) != 0 || (rc = finish_jobs(c, done, ud)) != 0)
            break;
        if (c->hooks.progress)
            c->hooks.progress(c->hooks.ud);
        now = now_monotonic_ms();
        if (wake > now)
            curl_multi_poll(c->multi, NULL, 0, (int)(wake - now < POLL_MS ? wake - now : POLL_MS),
                            NULL);
    }
    if (rc == SIASN_RUN_CALLER && !err->msg[0])
        error_set(err, "stopped");
    run_clear(c);
    c->counts.elapsed_ms = now_monotonic_ms() - t0;
    return (enum siasn_run_result)rc;
}

/* ---- setup ------------------------------------------------------------------------------ */

struct siasn_client *siasn_client_new(const struct config_source *src, struct http_client *http,
                                      const struct http_hooks *hooks, struct error *err)
{
    struct siasn_client *c = xcalloc(1, sizeof(*c));

    if (hooks)
        c->hooks = *hooks;
    c->http = http;
    c->base = xstrdup(src->url);
    c->parallel = src->siasn.parallel;
    c->retries = src->retries;
    c->backoff_max_ms = src->backoff_max * 1000;
    c->max_bytes = (size_t)src->max_page_bytes;
    /* A window of about a second (of 1,024 starts at most), and starts
     * at least a quarter of the even spacing apart, so that making up
     * for a lost moment is no burst. */
    c->n_window = src->rate_limit >= 1 ? (size_t)(src->rate_limit + 0.5) : 1;
    if (c->n_window > 1024)
        c->n_window = 1024;
    c->window_ms = src->rate_limit > 0 ? (double)c->n_window * 1000.0 / src->rate_limit : 0;
    c->min_gap_ms = src->rate_limit > 0 ? 250.0 / src->rate_limit : 0;
    c->starts = xcalloc(c->n_window, sizeof(*c->starts));
    c->max_jobs = (size_t)c->parallel + 4;
    c->jobs = xcalloc(c->max_jobs, sizeof(*c->jobs));
    watched_init(&c->sso, src->siasn.sso_token_path, src->siasn.sso_token);
    watched_init(&c->cookie, src->siasn.cookie_path, src->siasn.cookie);
    if (!c->sso.value) {
        error_set(err, "source.siasn.sso_token_file: no SSO token was read");
        goto fail;
    }
    if (!(c->multi = curl_multi_init()))
        goto oom;
    c->slots = xcalloc((size_t)c->parallel, sizeof(*c->slots));
    for (int i = 0; i < c->parallel; i++) {
        struct slot *s = &c->slots[i];
        CURLcode rc = CURLE_OK;

        if (!(s->h = curl_easy_init()) || http_easy_options(s->h, src, c->max_bytes) < 0)
            goto oom;
        s->body = xmalloc(BODY_INITIAL);
        s->cap = BODY_INITIAL;
        s->max = c->max_bytes;
        rc = curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_body);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(s->h, CURLOPT_WRITEDATA, s);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(s->h, CURLOPT_HEADERFUNCTION, on_header);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(s->h, CURLOPT_HEADERDATA, s);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(s->h, CURLOPT_ERRORBUFFER, s->errbuf);
        if (rc != CURLE_OK)
            goto oom;
    }
    return c;
oom:
    error_set(err, "cannot set up the WS SIASN client: out of memory");
fail:
    siasn_client_free(c);
    return NULL;
}

void siasn_client_free(struct siasn_client *c)
{
    if (!c)
        return;
    run_clear(c);
    for (int i = 0; c->slots && i < c->parallel; i++) {
        if (c->slots[i].h)
            curl_easy_cleanup(c->slots[i].h);
        free(c->slots[i].body);
    }
    free(c->slots);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    watched_free(&c->sso);
    watched_free(&c->cookie);
    free(c->queue);
    free(c->starts);
    free(c->jobs);
    free(c->base);
    free(c);
}
