#include "autoconfig.h"

#include "http.h"

#include "mem.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#define POLL_MS          100           /* how often a transfer or wait checks the abort flag */
#define TICK_MS          1000          /* how often the progress hook runs at most */
#define TOKEN_BODY_MAX   (64 * 1024)   /* a token endpoint's answer */
#define ACCESS_TOKEN_MAX (16 * 1024)   /* bytes of an access token */
#define EXPIRES_IN_MAX   (366 * 86400) /* longer lifetimes are not believed */
#define REASON_MAX       120           /* bytes of a server's reason in a message */
#define BODY_INITIAL     (64 * 1024)

/* The state of the one transfer in progress; libcurl's callbacks see it. */
struct transfer {
    struct http_response *resp; /* receives the body */
    size_t max;                 /* body cap */
    bool too_big;
    char retry_after[64]; /* the Retry-After header of the last response */
};

struct http_client {
    CURLM *multi; /* holds the connection cache both handles share */
    CURL *data;   /* {url}/v1/asn..., reused: keep-alive, TLS sessions */
    CURL *token;  /* the OAuth2 token endpoint */
    struct curl_slist *data_headers, *token_headers;
    char errbuf[CURL_ERROR_SIZE];
    struct transfer xfer;

    char *url;
    enum auth_type auth;
    char *token_url, *client_id, *token_path; /* for requests and messages */
    char *client_secret, *bearer;             /* secrets */
    char **header_values;                     /* secrets too */
    size_t n_headers;

    char *access_token; /* OAuth2: the cached token, NULL when none */
    char *old_token;    /* the one it replaced, still kept out of messages */
    int64_t token_obtained_ms;
    int64_t token_expires_in;
    uint64_t token_generation; /* http_access_token: tokens handed out so far */

    int retries;
    int64_t backoff_max_ms;
    int64_t spacing_ms; /* minimum time between request starts */
    size_t max_bytes;
    bool started;
    int64_t last_start_ms;
    int64_t last_tick_ms;
    struct http_hooks hooks;
};

/* ---- names ---------------------------------------------------------------- */

const char *http_result_name(enum http_result r)
{
    switch (r) {
    case HTTP_OK:
        return "ok";
    case HTTP_UNAVAILABLE:
        return "unavailable";
    case HTTP_REFUSED:
        return "refused";
    case HTTP_NOT_FOUND:
        return "not_found";
    case HTTP_AUTH:
        return "auth";
    case HTTP_GONE:
        return "gone";
    case HTTP_TOO_BIG:
        return "too_big";
    case HTTP_ABORTED:
        return "aborted";
    case HTTP_FAILED:
        return "failed";
    }
    return "unknown";
}

int http_result_exit_code(enum http_result r)
{
    switch (r) {
    case HTTP_OK:
        return 0;
    case HTTP_UNAVAILABLE:
    case HTTP_GONE:
    case HTTP_ABORTED:
        return EXIT_TEMPFAIL;
    default:
        return EXIT_UNAVAILABLE;
    }
}

void http_response_free(struct http_response *resp)
{
    if (!resp)
        return;
    block_give(resp->body, resp->cap); /* for the next page's body */
    free(resp->url);
    memset(resp, 0, sizeof(*resp));
    resp->retry_after = -1;
}

/* ---- the pure parts ------------------------------------------------------- */

int http_retry_after_parse(const char *value, time_t now, int64_t *seconds)
{
    char v[64];
    size_t n;
    time_t t;

    if (!value)
        return -1;
    while (*value == ' ' || *value == '\t')
        value++;
    n = strlen(value);
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t' || value[n - 1] == '\r' ||
                 value[n - 1] == '\n'))
        n--;
    if (n == 0 || n >= sizeof(v))
        return -1;
    memcpy(v, value, n);
    v[n] = '\0';
    if (v[0] >= '0' && v[0] <= '9') {
        /* Seconds too many to count are a wait longer than any cap. */
        if (strspn(v, "0123456789") == n && parse_int64(v, 0, INT32_MAX, seconds) < 0)
            *seconds = INT64_MAX;
        else if (parse_int64(v, 0, INT32_MAX, seconds) < 0)
            return -1;
        return 0;
    }
    /* Every HTTP-date form starts with the name of a day. */
    if (!((v[0] >= 'A' && v[0] <= 'Z') || (v[0] >= 'a' && v[0] <= 'z')))
        return -1;
    t = curl_getdate(v, NULL);
    if (t == (time_t)-1)
        return -1;
    *seconds = t > now ? (int64_t)(t - now) : 0;
    return 0;
}

/* A CURLU for base with suffix appended to its path; NULL with err set. */
static CURLU *url_with_path(const char *base, const char *suffix, struct error *err)
{
    CURLU *u = curl_url();
    char *path = NULL;
    struct strbuf p = {0};
    size_t n;

    if (!u) {
        error_set(err, "out of memory");
        return NULL;
    }
    if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        error_set(err, "source.url is not a usable URL");
        goto fail;
    }
    n = strlen(path);
    while (n && path[n - 1] == '/')
        n--;
    strbuf_addn(&p, path, n);
    strbuf_append(&p, "%s", suffix);
    if (curl_url_set(u, CURLUPART_PATH, p.s, 0) != CURLUE_OK) {
        error_set(err, "source.url is not a usable URL");
        goto fail;
    }
    curl_free(path);
    strbuf_free(&p);
    return u;
fail:
    curl_free(path);
    strbuf_free(&p);
    curl_url_cleanup(u);
    return NULL;
}

/* The URL of u as a heap string the caller frees with free. */
static char *url_string(CURLU *u, struct error *err)
{
    char *s = NULL, *out;

    if (curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK) {
        error_set(err, "source.url is not a usable URL");
        return NULL;
    }
    out = xstrdup(s);
    curl_free(s);
    return out;
}

static int append_query(CURLU *u, const char *name, const char *value)
{
    struct strbuf q = {0};
    int rc;

    strbuf_append(&q, "%s=%s", name, value);
    rc = curl_url_set(u, CURLUPART_QUERY, q.s, CURLU_APPENDQUERY | CURLU_URLENCODE) == CURLUE_OK
             ? 0
             : -1;
    strbuf_free(&q);
    return rc;
}

char *http_url_list(const char *base, const char *updated_since, const char *cursor, int limit,
                    struct error *err)
{
    CURLU *u;
    char lim[16];
    char *out = NULL;

    if (limit < 1 || limit > 1000) {
        error_set(err, "limit %d is outside 1..1000", limit);
        return NULL;
    }
    u = url_with_path(base, "/v1/asn", err);
    if (!u)
        return NULL;
    snprintf(lim, sizeof(lim), "%d", limit);
    if ((updated_since && append_query(u, "updated_since", updated_since) < 0) ||
        (cursor && append_query(u, "cursor", cursor) < 0) || append_query(u, "limit", lim) < 0) {
        error_set(err, "cannot build the listing URL");
        goto out;
    }
    out = url_string(u, err);
out:
    curl_url_cleanup(u);
    return out;
}

char *http_url_employee(const char *base, const char *nip, struct error *err)
{
    struct strbuf p = {0};
    char *esc;
    CURLU *u;
    char *out = NULL;

    if (!nip || !*nip || strlen(nip) > 64) {
        error_set(err, "a NIP must hold 1 to 64 characters");
        return NULL;
    }
    /* One path segment: '/' and '.' sequences cannot leave it. */
    esc = curl_easy_escape(NULL, nip, 0);
    if (!esc) {
        error_set(err, "out of memory");
        return NULL;
    }
    strbuf_append(&p, "/v1/asn/%s", esc);
    curl_free(esc);
    if (strcmp(nip, ".") == 0 || strcmp(nip, "..") == 0) {
        error_set(err, "\"%s\" is not a NIP", nip);
        strbuf_free(&p);
        return NULL;
    }
    u = url_with_path(base, p.s, err);
    strbuf_free(&p);
    if (!u)
        return NULL;
    out = url_string(u, err);
    curl_url_cleanup(u);
    return out;
}

bool http_token_usable(int64_t now_ms, int64_t obtained_ms, int64_t expires_in)
{
    int64_t margin_ms;

    if (expires_in < 0)
        return true;
    margin_ms = expires_in < 120 ? expires_in * 500 : 60000;
    return now_ms < obtained_ms + expires_in * 1000 - margin_ms;
}

/* A JSON string member, or NULL. */
static const char *member_string(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

void http_error_reason(const char *body, size_t len, char *out, size_t size)
{
    json_t *root = NULL, *e;
    const char *code = NULL, *msg = NULL;
    struct strbuf b = {0};

    if (size == 0)
        return;
    out[0] = '\0';
    if (!body || len == 0)
        return;
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(root))
        goto out;
    e = json_object_get(root, "error");
    if (json_is_object(e)) {
        code = member_string(e, "code");
        msg = member_string(e, "message");
    } else if (json_is_string(e)) {
        code = json_string_value(e);
        msg = member_string(root, "error_description");
    } else {
        msg = member_string(root, "data");
        if (!msg)
            msg = member_string(root, "message");
    }
    if (code && *code && msg && *msg)
        strbuf_append(&b, "%s: %s", code, msg);
    else if (msg && *msg)
        strbuf_append(&b, "%s", msg);
    else if (code && *code)
        strbuf_append(&b, "%s", code);
    if (b.s)
        text_strip(out, size, b.s);
out:
    json_decref(root);
    strbuf_free(&b);
}

/* scheme://host/path of url, without the query. */
static void url_where(const char *url, char *out, size_t size)
{
    size_t n = strcspn(url, "?#");
    char tmp[512];

    if (n >= sizeof(tmp))
        n = sizeof(tmp) - 1;
    memcpy(tmp, url, n);
    tmp[n] = '\0';
    text_strip(out, size, tmp);
}

/* ---- secrets never leave ------------------------------------------------------ */

/* Redacts a header value, and each long word of it: "bearer <token>" may
 * come back as the token alone. */
static void redact_words(char *s, const char *value)
{
    char word[256];

    text_redact(s, value);
    while (*value) {
        size_t n = strcspn(value, " \t");

        if (n >= 8 && n < sizeof(word)) {
            memcpy(word, value, n);
            word[n] = '\0';
            text_redact(s, word);
        }
        value += n;
        value += strspn(value, " \t");
    }
    explicit_bzero(word, sizeof(word));
}

/* The last line of defence: a server may echo a credential back. */
static void scrub(const struct http_client *c, char *s)
{
    http_scrub(c, s);
}

void http_scrub(const struct http_client *c, char *s)
{
    text_redact(s, c->client_secret);
    text_redact(s, c->bearer);
    text_redact(s, c->access_token);
    text_redact(s, c->old_token);
    for (size_t i = 0; i < c->n_headers; i++)
        redact_words(s, c->header_values[i]);
}

static void fail(const struct http_client *c, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(const struct http_client *c, struct error *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    error_vset(err, fmt, ap);
    va_end(ap);
    scrub(c, err->msg);
}

/* ---- waiting, pacing, progress ---------------------------------------------- */

static bool aborted(const struct http_client *c)
{
    return (c->hooks.abort_flag && atomic_load(c->hooks.abort_flag)) ||
           (c->hooks.cancel_flag && atomic_load(c->hooks.cancel_flag));
}

/* Runs the progress hook, at most once per TICK_MS unless forced. */
static void tick(struct http_client *c, bool force)
{
    int64_t now;

    if (!c->hooks.progress)
        return;
    now = now_monotonic_ms();
    if (force || now - c->last_tick_ms >= TICK_MS) {
        c->last_tick_ms = now;
        c->hooks.progress(c->hooks.ud);
    }
}

static bool stop_waiting(void *ud)
{
    return aborted(ud);
}

static void tick_waiting(void *ud)
{
    tick(ud, false);
}

/* Sleeps ms, waking to check the abort flag; -1 when aborted. */
static int sleep_ms(struct http_client *c, int64_t ms)
{
    struct sleep_hooks h = {stop_waiting, tick_waiting, c};

    return sleep_abortable(ms, &h);
}

/* Waits until the next request may start under source.rate_limit. */
static int pace(struct http_client *c)
{
    int64_t now = now_monotonic_ms();

    if (c->started && now < c->last_start_ms + c->spacing_ms)
        return sleep_ms(c, c->last_start_ms + c->spacing_ms - now);
    return aborted(c) ? -1 : 0;
}

static double random_unit(void)
{
    uint64_t x;

    if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x))
        x = (uint64_t)now_monotonic_ms() * 0x9e3779b97f4a7c15ULL;
    return (double)(x >> 11) / 9007199254740992.0; /* 2^53 */
}

static void emit(struct http_client *c, struct http_event *ev, const char *url)
{
    char u[512], reason[256];

    if (!c->hooks.event)
        return;
    url_where(url, u, sizeof(u));
    text_strip(reason, sizeof(reason), ev->reason ? ev->reason : "");
    scrub(c, u);
    scrub(c, reason);
    ev->url = u;
    ev->reason = reason;
    c->hooks.event(c->hooks.ud, ev);
}

/* ---- libcurl callbacks -------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct transfer *x = ud;
    struct http_response *r = x->resp;
    size_t n = size * nmemb;

    if (n > x->max - r->len) {
        x->too_big = true;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    if (!r->body)
        r->body = block_take(BODY_INITIAL, &r->cap);
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap;

        while (cap < r->len + n + 1)
            cap *= 2;
        if (cap > x->max + 1)
            cap = x->max + 1;
        r->body = xrealloc(r->body, cap);
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

void http_header_line(const char *data, size_t n, char *retry_after, size_t size)
{
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        retry_after[0] = '\0'; /* a new response begins */
    } else if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
        size_t len = n - 12;

        if (len >= size)
            len = size - 1;
        memcpy(retry_after, data + 12, len);
        retry_after[len] = '\0';
    }
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct transfer *x = ud;
    size_t n = size * nmemb;

    http_header_line(data, n, x->retry_after, sizeof(x->retry_after));
    return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct http_client *c = ud;

    if (aborted(c))
        return 1; /* CURLE_ABORTED_BY_CALLBACK */
    tick(c, false);
    return 0;
}

/* ---- one transfer ------------------------------------------------------------- */

/* Runs the prepared handle h to completion through the multi handle, waking at
 * least every POLL_MS to check the abort flag. */
static CURLcode transfer(struct http_client *c, CURL *h, size_t max, struct http_response *resp,
                         long *status)
{
    CURLcode rc = CURLE_OK;
    bool done = false;

    /* Each attempt starts a new body: nothing of a failed one is kept. */
    resp->len = 0;
    if (resp->body)
        resp->body[0] = '\0';
    c->xfer.resp = resp;
    c->xfer.max = max;
    c->xfer.too_big = false;
    c->xfer.retry_after[0] = '\0';
    c->errbuf[0] = '\0';
    *status = 0;
    c->started = true;
    c->last_start_ms = now_monotonic_ms();

    if (curl_multi_add_handle(c->multi, h) != CURLM_OK)
        return CURLE_OUT_OF_MEMORY;
    while (!done) {
        int running, queued;
        CURLMsg *m;

        if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
            rc = CURLE_OUT_OF_MEMORY;
            break;
        }
        while ((m = curl_multi_info_read(c->multi, &queued))) {
            if (m->msg == CURLMSG_DONE && m->easy_handle == h) {
                rc = m->data.result;
                done = true;
            }
        }
        if (done)
            break;
        if (aborted(c)) {
            rc = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (curl_multi_poll(c->multi, NULL, 0, POLL_MS, NULL) != CURLM_OK) {
            rc = CURLE_OUT_OF_MEMORY;
            break;
        }
    }
    curl_multi_remove_handle(c->multi, h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return rc;
}

/* Transport failures a later attempt may not meet. */
static bool transient_error(CURLcode rc)
{
    return http_curl_transient((int)rc);
}

bool http_curl_transient(int code)
{
    switch ((CURLcode)code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_AGAIN:
        return true;
    default:
        return false;
    }
}

static bool transient_status(long status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

/* The libcurl error text of the last transfer. */
static const char *curl_text(const struct http_client *c, CURLcode rc)
{
    return c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc);
}

/* A failed attempt's verdict: the call's result, or -1 when a later
 * attempt may succeed (reason then says why this one failed). */
static int verdict(struct http_client *c, CURL *h, CURLcode rc, long status, bool is_token,
                   struct http_response *resp, const char *where, char *reason, size_t reason_size,
                   struct error *err)
{
    char why[REASON_MAX + 1];

    if (c->xfer.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        fail(c, err, "the answer from %s is larger than %s (%zu bytes)", where,
             is_token ? "a token answer may be" : "source.max_page_bytes",
             is_token ? (size_t)TOKEN_BODY_MAX : c->max_bytes);
        return HTTP_TOO_BIG;
    }
    /* libcurl refuses a header longer than it buffers with "out of
     * memory"; with a status line already read, that is what it was. */
    if (rc == CURLE_OUT_OF_MEMORY && status > 0 && !c->errbuf[0]) {
        fail(c, err, "the answer from %s has a header longer than libcurl accepts (%d bytes)",
             where, CURL_MAX_HTTP_HEADER);
        return HTTP_TOO_BIG;
    }
    if (rc != CURLE_OK) {
        if (transient_error(rc))
            return -1;
        fail(c, err, "request to %s failed: %s%s", where, curl_text(c, rc),
             rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE
                 ? " (see source.ca_file and source.tls_verify)"
                 : "");
        return HTTP_FAILED;
    }
    if (status >= 200 && status < 300)
        return HTTP_OK;
    http_error_reason(resp->body, resp->len, why, sizeof(why));
    if (status == 401)
        return HTTP_AUTH;
    if (status == 410) {
        fail(c, err, "HTTP 410 from %s: the listing cursor expired%s%s", where, *why ? ": " : "",
             why);
        return HTTP_GONE;
    }
    if (status == 404) {
        fail(c, err, "HTTP 404 from %s: %s", where, *why ? why : "not found");
        return HTTP_NOT_FOUND;
    }
    if (status >= 300 && status < 400) {
        char *loc = NULL;
        char to[300];

        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
        url_where(loc ? loc : "", to, sizeof(to));
        fail(c, err,
             "HTTP %ld from %s: redirects are not followed; it points to %s "
             "(set source.url to the final address)",
             status, where, *to ? to : "nowhere");
        return HTTP_REFUSED;
    }
    if (!transient_status(status)) {
        fail(c, err, "HTTP %ld from %s: %s", status, where,
             *why ? why : "the server gave no reason");
        return HTTP_REFUSED;
    }
    snprintf(reason, reason_size, "HTTP %ld%s%s", status, *why ? ": " : "", why);
    return -1;
}

/* One attempt: the transfer, its Retry-After, and the event that says
 * how it went. */
static CURLcode attempt(struct http_client *c, CURL *h, const char *url, bool is_token,
                        int attempt_no, struct http_response *resp, char *reason,
                        size_t reason_size)
{
    struct http_event ev = {0};
    int64_t t0 = now_monotonic_ms();
    long status;
    CURLcode rc;

    if (!is_token)
        resp->attempts++;
    rc = transfer(c, h, is_token ? TOKEN_BODY_MAX : c->max_bytes, resp, &status);
    resp->status = status;
    resp->retry_after = -1;
    if (c->xfer.retry_after[0] &&
        http_retry_after_parse(c->xfer.retry_after, time(NULL), &resp->retry_after) < 0)
        resp->retry_after = -1;
    if (rc != CURLE_OK)
        snprintf(reason, reason_size, "%s", curl_text(c, rc));
    else
        snprintf(reason, reason_size, "HTTP %ld", status);
    ev.kind = HTTP_EVENT_REQUEST;
    ev.status = status;
    ev.attempt = attempt_no;
    ev.elapsed_ms = now_monotonic_ms() - t0;
    ev.bytes = resp->len;
    ev.expires_in = -1;
    ev.reason = reason;
    emit(c, &ev, url);
    return rc;
}

/* The wait before the next attempt, or -1 when the server asks for longer
 * than source.backoff_max (err then says so). */
static int64_t retry_wait(struct http_client *c, int retry, const struct http_response *resp,
                          const char *where, struct error *err)
{
    int64_t wait;

    if (resp->retry_after > c->backoff_max_ms / 1000) {
        fail(c, err,
             "HTTP %ld from %s: the server asks to wait %lld s (Retry-After), more than "
             "source.backoff_max (%lld s)",
             resp->status, where, (long long)resp->retry_after,
             (long long)(c->backoff_max_ms / 1000));
        return -1;
    }
    wait = backoff_ms(retry, c->backoff_max_ms, random_unit());
    if (resp->retry_after >= 0 && wait < resp->retry_after * 1000)
        wait = resp->retry_after * 1000;
    return wait;
}

/* One request to url through handle h, retried on transient failures.
 * HTTP_OK on a 2xx. On a 401 returns HTTP_AUTH with err untouched: the caller
 * knows which credentials were refused. Other results come with err set. */
static enum http_result run(struct http_client *c, CURL *h, const char *url, bool is_token,
                            struct http_response *resp, struct error *err)
{
    char where[300], reason[CURL_ERROR_SIZE + 40];

    url_where(url, where, sizeof(where));
    if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK) {
        fail(c, err, "cannot request %s: out of memory", where);
        return HTTP_FAILED;
    }
    for (int retry = 0;; retry++) {
        struct http_event ev = {0};
        CURLcode rc;
        int64_t wait;
        int r;

        if (pace(c) < 0)
            break;
        rc = attempt(c, h, url, is_token, retry + 1, resp, reason, sizeof(reason));
        if (aborted(c) || rc == CURLE_ABORTED_BY_CALLBACK)
            break;
        r = verdict(c, h, rc, resp->status, is_token, resp, where, reason, sizeof(reason), err);
        if (r != -1)
            return (enum http_result)r;
        if (retry >= c->retries) {
            fail(c, err, "%s still failing after %d attempt%s: %s", where, retry + 1,
                 retry ? "s" : "", reason);
            return HTTP_UNAVAILABLE;
        }
        if ((wait = retry_wait(c, retry, resp, where, err)) < 0)
            return HTTP_UNAVAILABLE;
        ev.kind = HTTP_EVENT_RETRY;
        ev.status = resp->status;
        ev.attempt = retry + 1;
        ev.wait_ms = wait;
        ev.expires_in = -1;
        ev.reason = reason;
        emit(c, &ev, url);
        tick(c, true);
        if (sleep_ms(c, wait) < 0)
            break;
    }
    fail(c, err, "request to %s aborted", where);
    return HTTP_ABORTED;
}

/* ---- authentication ------------------------------------------------------------- */

/* What source.auth holds, for messages: never a secret. */
static void auth_setting(const struct http_client *c, char *out, size_t size)
{
    switch (c->auth) {
    case AUTH_NONE:
        snprintf(out, size, "type none");
        break;
    case AUTH_BEARER:
        snprintf(out, size, "type bearer, token_file %s", c->token_path ? c->token_path : "");
        break;
    case AUTH_OAUTH2:
        snprintf(out, size, "type oauth2, client_id %s", c->client_id);
        break;
    }
}

static void wipe(char **secret)
{
    if (*secret) {
        explicit_bzero(*secret, strlen(*secret));
        free(*secret);
        *secret = NULL;
    }
}

static void drop_token(struct http_client *c)
{
    if (c->access_token) {
        wipe(&c->old_token);
        c->old_token = c->access_token;
        c->access_token = NULL;
    }
    curl_easy_setopt(c->data, CURLOPT_XOAUTH2_BEARER, NULL);
}

/* Reads {"access_token", "token_type", "expires_in"}; 0, or -1 with why set. */
static int token_parse(struct http_client *c, const char *body, size_t len, char *why, size_t size)
{
    json_error_t je;
    json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &je);
    json_t *exp;
    const char *tok, *type;
    int64_t expires_in = -1;
    int rc = -1;

    if (!json_is_object(root)) {
        snprintf(why, size, "the answer is not a JSON object");
        goto out;
    }
    tok = member_string(root, "access_token");
    if (!tok || !*tok || strlen(tok) > ACCESS_TOKEN_MAX) {
        snprintf(why, size, "no usable access_token in the answer");
        goto out;
    }
    for (const char *p = tok; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f) {
            snprintf(why, size, "the access_token holds characters a header cannot carry");
            goto out;
        }
    }
    type = member_string(root, "token_type");
    if (json_object_get(root, "token_type") && (!type || strcasecmp(type, "bearer") != 0)) {
        snprintf(why, size, "token_type is not Bearer");
        goto out;
    }
    exp = json_object_get(root, "expires_in");
    if (json_is_integer(exp)) {
        expires_in = json_integer_value(exp);
    } else if (json_is_real(exp)) {
        expires_in = (int64_t)json_real_value(exp);
    } else if (json_is_string(exp)) {
        if (parse_int64(json_string_value(exp), 0, EXPIRES_IN_MAX, &expires_in) < 0)
            expires_in = 0;
    } else if (exp && !json_is_null(exp)) {
        expires_in = 0;
    }
    if (exp && !json_is_null(exp) && (expires_in < 1 || expires_in > EXPIRES_IN_MAX)) {
        snprintf(why, size, "expires_in is not a number of seconds from 1 to %d", EXPIRES_IN_MAX);
        goto out;
    }
    wipe(&c->access_token);
    c->access_token = xstrdup(tok);
    c->token_expires_in = expires_in;
    rc = 0;
out:
    json_decref(root);
    return rc;
}

/* Makes sure a usable OAuth2 token is in place on the data handle. */
static enum http_result token_ensure(struct http_client *c, struct error *err)
{
    struct http_response tr = {0};
    struct http_event ev = {0};
    enum http_result r;
    char where[300], setting[300], why[REASON_MAX + 1];
    int64_t t0 = now_monotonic_ms();

    if (c->access_token && http_token_usable(t0, c->token_obtained_ms, c->token_expires_in))
        return HTTP_OK;
    drop_token(c);
    url_where(c->token_url, where, sizeof(where));
    auth_setting(c, setting, sizeof(setting));
    tr.retry_after = -1;
    r = run(c, c->token, c->token_url, true, &tr, err);
    if (r == HTTP_AUTH || (r == HTTP_REFUSED && tr.status == 400)) {
        http_error_reason(tr.body, tr.len, why, sizeof(why));
        fail(
            c, err,
            "HTTP %ld from %s (token endpoint): it refused the credentials of source.auth (%s)%s%s",
            tr.status, where, setting, *why ? ": " : "", why);
        r = HTTP_AUTH;
    } else if (r == HTTP_OK && token_parse(c, tr.body, tr.len, why, sizeof(why)) < 0) {
        fail(c, err, "the token endpoint %s answered HTTP %ld but %s (source.auth: %s)", where,
             tr.status, why, setting);
        r = HTTP_AUTH;
    }
    if (tr.body)
        explicit_bzero(tr.body, tr.len);
    http_response_free(&tr);
    if (r != HTTP_OK)
        return r;
    c->token_obtained_ms = t0;
    c->token_generation++;
    if (curl_easy_setopt(c->data, CURLOPT_XOAUTH2_BEARER, c->access_token) != CURLE_OK ||
        curl_easy_setopt(c->data, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER) != CURLE_OK) {
        fail(c, err, "cannot use the access token: out of memory");
        return HTTP_FAILED;
    }
    ev.kind = HTTP_EVENT_TOKEN;
    ev.status = 200;
    ev.attempt = 1;
    ev.expires_in = c->token_expires_in;
    ev.reason = "access token obtained";
    emit(c, &ev, c->token_url);
    return HTTP_OK;
}

enum http_result http_access_token(struct http_client *c, bool renew, const char **token,
                                   uint64_t *generation, struct error *err)
{
    enum http_result r;

    *token = NULL;
    if (c->auth != AUTH_OAUTH2) {
        fail(c, err, "source.auth: an access token needs type oauth2");
        return HTTP_FAILED;
    }
    if (renew)
        drop_token(c);
    if ((r = token_ensure(c, err)) != HTTP_OK)
        return r;
    *token = c->access_token;
    *generation = c->token_generation;
    return HTTP_OK;
}

/* ---- the calls ------------------------------------------------------------------- */

/* GETs url (taken over) from the data endpoint, with the token refreshed
 * once on a 401. */
static enum http_result get(struct http_client *c, char *url, struct http_response *resp,
                            struct error *err)
{
    bool refreshed = false;
    enum http_result r;

    memset(resp, 0, sizeof(*resp));
    resp->retry_after = -1;
    resp->url = url;
    for (;;) {
        char where[300], setting[300];

        if (c->auth == AUTH_OAUTH2) {
            r = token_ensure(c, err);
            if (r != HTTP_OK)
                return r;
        }
        r = run(c, c->data, url, false, resp, err);
        if (r != HTTP_AUTH)
            return r;
        if (c->auth == AUTH_OAUTH2 && !refreshed) {
            struct http_event ev = {0};

            refreshed = true;
            drop_token(c);
            ev.kind = HTTP_EVENT_REFRESH;
            ev.status = 401;
            ev.attempt = resp->attempts;
            ev.expires_in = -1;
            ev.reason = "HTTP 401: refreshing the access token once";
            emit(c, &ev, url);
            continue;
        }
        url_where(url, where, sizeof(where));
        auth_setting(c, setting, sizeof(setting));
        fail(c, err,
             "HTTP 401 from %s: the SIMPEG endpoint refused the credentials of "
             "source.auth (%s)%s",
             where, setting,
             c->auth == AUTH_NONE     ? "; it requires credentials"
             : c->auth == AUTH_OAUTH2 ? ", also with a fresh token"
                                      : "");
        return HTTP_AUTH;
    }
}

enum http_result http_get_page(struct http_client *c, const char *updated_since, const char *cursor,
                               int limit, struct http_response *resp, struct error *err)
{
    char *url = http_url_list(c->url, updated_since, cursor, limit, err);

    if (!url) {
        memset(resp, 0, sizeof(*resp));
        resp->retry_after = -1;
        return HTTP_FAILED;
    }
    return get(c, url, resp, err);
}

enum http_result http_get_employee(struct http_client *c, const char *nip,
                                   struct http_response *resp, struct error *err)
{
    char *url = http_url_employee(c->url, nip, err);

    if (!url) {
        memset(resp, 0, sizeof(*resp));
        resp->retry_after = -1;
        return HTTP_FAILED;
    }
    return get(c, url, resp, err);
}

/* ---- setup ------------------------------------------------------------------------ */

int http_easy_options(void *handle, const struct config_source *src, size_t max)
{
    CURL *h = handle;
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(h, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_USERAGENT, "ipasnd/" PACKAGE_VERSION);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)(src->connect_timeout * 1000));
    SET(CURLOPT_TIMEOUT_MS, (long)(src->timeout * 1000));
    SET(CURLOPT_SSL_VERIFYPEER, src->tls_verify ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, src->tls_verify ? 2L : 0L);
    if (src->ca_file && *src->ca_file)
        SET(CURLOPT_CAINFO, src->ca_file);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

/* Options both handles share. */
static int setup_handle(struct http_client *c, CURL *h, const struct config_source *src,
                        struct curl_slist *headers, size_t max)
{
    CURLcode rc = CURLE_OK;

    if (http_easy_options(h, src, max) < 0)
        return -1;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(h, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, &c->xfer);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, &c->xfer);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, c);
    SET(CURLOPT_ERRORBUFFER, c->errbuf);
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

struct http_client *http_client_new(const struct config_source *src, const struct http_hooks *hooks,
                                    struct error *err)
{
    struct http_client *c;
    struct strbuf b = {0};
    char *scope = NULL;

    c = xcalloc(1, sizeof(*c));
    if (hooks)
        c->hooks = *hooks;
    c->url = xstrdup(src->url);
    c->auth = src->auth;
    c->retries = src->retries;
    c->backoff_max_ms = src->backoff_max * 1000;
    c->spacing_ms = src->rate_limit > 0 ? (int64_t)(1000.0 / src->rate_limit + 0.5) : 0;
    c->max_bytes = (size_t)src->max_page_bytes;
    c->token_expires_in = -1;
    c->multi = curl_multi_init();
    c->data = curl_easy_init();
    c->token = curl_easy_init();
    if (!c->multi || !c->data || !c->token)
        goto oom;

    c->data_headers = curl_slist_append(NULL, "Accept: application/json");
    if (!c->data_headers)
        goto oom;
    c->header_values = xcalloc(src->n_headers ? src->n_headers : 1, sizeof(char *));
    for (size_t i = 0; i < src->n_headers; i++) {
        const struct extra_header *x = &src->headers[i];
        struct curl_slist *l;

        if (!x->value || strpbrk(x->value, "\r\n") || strpbrk(x->name, ":\r\n ")) {
            error_set(err, "source.headers[%zu] (%s) cannot be sent as a header", i, x->name);
            goto fail;
        }
        c->header_values[c->n_headers++] = xstrdup(x->value);
        strbuf_append(&b, "%s: %s", x->name, x->value);
        l = curl_slist_append(c->data_headers, b.s);
        explicit_bzero(b.s, b.len);
        b.len = 0;
        if (!l)
            goto oom;
        c->data_headers = l;
    }
    if (setup_handle(c, c->data, src, c->data_headers, c->max_bytes) < 0)
        goto oom;

    switch (src->auth) {
    case AUTH_NONE:
        break;
    case AUTH_BEARER:
        if (!src->token || !*src->token) {
            error_set(err, "source.auth: no bearer token was read");
            goto fail;
        }
        c->bearer = xstrdup(src->token);
        c->token_path = xstrdup(src->token_path ? src->token_path : src->token_file);
        if (curl_easy_setopt(c->data, CURLOPT_XOAUTH2_BEARER, c->bearer) != CURLE_OK ||
            curl_easy_setopt(c->data, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER) != CURLE_OK)
            goto oom;
        break;
    case AUTH_OAUTH2:
        if (!src->token_url || !*src->token_url || !src->client_id || !src->client_secret) {
            error_set(err, "source.auth: oauth2 needs token_url, client_id and a client secret");
            goto fail;
        }
        c->token_url = xstrdup(src->token_url);
        c->client_id = xstrdup(src->client_id);
        c->client_secret = xstrdup(src->client_secret);
        c->token_headers = curl_slist_append(NULL, "Accept: application/json");
        if (!c->token_headers || setup_handle(c, c->token, src, c->token_headers, TOKEN_BODY_MAX))
            goto oom;
        strbuf_free(&b);
        strbuf_append(&b, "grant_type=client_credentials");
        if (src->scope && *src->scope) {
            scope = curl_easy_escape(c->token, src->scope, 0);
            if (!scope)
                goto oom;
            strbuf_append(&b, "&scope=%s", scope);
            curl_free(scope);
        }
        if (curl_easy_setopt(c->token, CURLOPT_COPYPOSTFIELDS, b.s) != CURLE_OK ||
            curl_easy_setopt(c->token, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC) != CURLE_OK ||
            curl_easy_setopt(c->token, CURLOPT_USERNAME, c->client_id) != CURLE_OK ||
            curl_easy_setopt(c->token, CURLOPT_PASSWORD, c->client_secret) != CURLE_OK)
            goto oom;
        break;
    }
    strbuf_free(&b);
    return c;
oom:
    error_set(err, "cannot set up the HTTP client: out of memory");
fail:
    strbuf_free(&b);
    http_client_free(c);
    return NULL;
}

void http_client_free(struct http_client *c)
{
    if (!c)
        return;
    if (c->data)
        curl_easy_cleanup(c->data);
    if (c->token)
        curl_easy_cleanup(c->token);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    curl_slist_free_all(c->data_headers);
    curl_slist_free_all(c->token_headers);
    free(c->url);
    free(c->token_url);
    free(c->client_id);
    free(c->token_path);
    wipe(&c->client_secret);
    wipe(&c->bearer);
    wipe(&c->access_token);
    wipe(&c->old_token);
    for (size_t i = 0; i < c->n_headers; i++)
        wipe(&c->header_values[i]);
    free(c->header_values);
    free(c);
}
