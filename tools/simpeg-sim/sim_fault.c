/* sim_fault.c: the faults a test arms, with --fault or POST /admin/fault:
 * their parameters, the list of armed ones (under s->mu), and the answers
 * they give instead of the normal one: an error status, a slow, cut, reset
 * or oversized body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sim.h"

const char *const fault_names[N_FAULT_KINDS] = {
    "status",    "slow_headers",    "slow_body",   "truncate",    "malformed",    "reset",
    "gone",      "token_expired",   "oversize",    "rejects",     "wrong_nip",    "big_header",
    "throttled", "suspended",       "sso_refused", "cursor_loop", "cursor_churn", "server_time",
    "poison",    "broken_envelope", "duplicate",   "big_field",
};

const char *const poison_names[N_POISONS] = {"nul", "dupkey", "bigreal", "bigint", "surrogate"};

const char *const envelope_break_names[N_ENVELOPE_BREAKS] = {
    "unclosed", "unbalanced", "trailing", "dupdata", "no_cursor",
};

/* Sets a numeric parameter of a fault; -1 on an unknown key or a value out
 * of its range. */
static int fault_set_number(struct fault *f, const char *key, long long v)
{
    if (!strcmp(key, "count") && v >= -1 && v <= 1000000)
        f->remaining = (int)v;
    else if (!strcmp(key, "skip") && v >= 0 && v <= 1000000)
        f->skip = (int)v;
    else if (!strcmp(key, "status") && v >= 100 && v <= 599)
        f->status = (int)v;
    else if (!strcmp(key, "retry_after") && v >= 0 && v <= 100000000)
        f->retry_after = (int)v;
    else if (!strcmp(key, "retry_after_date") && (v == 0 || v == 1))
        f->retry_after_date = v;
    else if (!strcmp(key, "siasn") && (v == 0 || v == 1))
        f->siasn = v;
    else if (!strcmp(key, "delay_ms") && v >= 0 && v <= 600000)
        f->delay_ms = (int)v;
    else if (!strcmp(key, "chunk") && v >= 1 && v <= 1 << 20)
        f->chunk = (int)v;
    else if ((!strcmp(key, "bytes") || !strcmp(key, "size")) && v >= 16 && v <= (1LL << 34))
        f->bytes = v;
    else if (!strcmp(key, "chunked") && (v == 0 || v == 1))
        f->chunked = v;
    else if (!strcmp(key, "copies") && v >= 1 && v <= 100)
        f->copies = (int)v;
    else if (!strcmp(key, "back") && v >= 0 && v <= 1000000)
        f->back = (int)v;
    else if (!strcmp(key, "same") && (v == 0 || v == 1))
        f->same = v;
    else
        return -1;
    return 0;
}

/* A text parameter into buf of size bytes; -1 when it does not fit or
 * holds a line break (a header's value must not). */
static int fault_text(char *buf, size_t size, const char *value)
{
    if (strlen(value) >= size || strpbrk(value, "\r\n"))
        return -1;
    snprintf(buf, size, "%s", value);
    return 0;
}

/* The name's index in names, or -1. */
static int name_index(const char *const *names, int n, const char *value)
{
    for (int k = 0; k < n; k++) {
        if (!strcmp(value, names[k]))
            return k;
    }
    return -1;
}

/* retry_after: a whole number of seconds, else any other text but none,
 * sent as it is. */
static int fault_retry_after(struct fault *f, const char *value, bool num, long long v)
{
    if (num && fault_set_number(f, "retry_after", v) == 0)
        return 0;
    if (!*value)
        return -1;
    f->retry_after = -2;
    return fault_text(f->retry_after_text, sizeof(f->retry_after_text), value);
}

/* Sets one parameter of a fault; -1 on an unknown key or a bad value. */
int fault_set(struct fault *f, const char *key, const char *value)
{
    char *end;
    long long v = strtoll(value, &end, 10);
    bool num = *value && !*end;
    int k;

    if (!strcmp(key, "kind")) {
        if ((k = name_index(fault_names, N_FAULT_KINDS, value)) < 0)
            return -1;
        f->kind = (enum fault_kind)k;
        return 0;
    }
    if (!strcmp(key, "which")) {
        if ((k = name_index(poison_names, N_POISONS, value)) < 0)
            return -1;
        f->which = (enum poison)k;
        return 0;
    }
    if (!strcmp(key, "how")) {
        if ((k = name_index(envelope_break_names, N_ENVELOPE_BREAKS, value)) < 0)
            return -1;
        f->how = (enum envelope_break)k;
        return 0;
    }
    if (!strcmp(key, "message")) {
        if (strlen(value) >= sizeof(f->message))
            return -1;
        snprintf(f->message, sizeof(f->message), "%s", value);
        return 0;
    }
    if (!strcmp(key, "location"))
        return fault_text(f->location, sizeof(f->location), value);
    if (!strcmp(key, "server_time"))
        return fault_text(f->server_time, sizeof(f->server_time), value);
    if (!strcmp(key, "retry_after"))
        return fault_retry_after(f, value, num, v);
    if (!strcmp(key, "nip"))
        return nip_parse(value, &f->nip);
    if (!strcmp(key, "path")) {
        if (value[0] != '/' || strlen(value) >= sizeof(f->path))
            return -1;
        snprintf(f->path, sizeof(f->path), "%s", value);
        return 0;
    }
    if (!num)
        return -1;
    return fault_set_number(f, key, v);
}

const char *fault_default_path = "/v1/asn";

void fault_defaults(struct fault *f)
{
    memset(f, 0, sizeof(*f));
    f->remaining = 1;
    f->status = 503;
    f->retry_after = -1;
    f->delay_ms = -1;
    f->chunk = 1024;
    f->bytes = -1;
    f->copies = 2;
    f->back = 1;
    f->at = -1;
    snprintf(f->path, sizeof(f->path), "%s", fault_default_path);
}

/* The defaults that depend on the kind, and what only the whole set of
 * parameters can tell; -1 when they do not go together. */
int fault_finish(struct fault *f)
{
    if (f->delay_ms < 0)
        f->delay_ms = f->kind == F_SLOW_HEADERS ? 2000 : 200;
    if (f->bytes < 0)
        f->bytes = f->kind == F_BIG_FIELD    ? 10LL << 20
                   : f->kind == F_BIG_HEADER ? (int64_t)HEADER_ROOM_DEFAULT
                                             : 128LL << 20;
    if (f->retry_after == -2 && f->retry_after_date)
        return -1; /* a date needs a number of seconds */
    if (f->kind == F_BIG_FIELD && f->bytes > 1LL << 30)
        return -1; /* made in memory */
    if (f->kind == F_BIG_HEADER && f->bytes > 1LL << 30)
        return -1;
    if (f->kind == F_SERVER_TIME && !f->server_time[0])
        return -1;
    return 0;
}

int fault_arm(struct sim *s, const struct fault *f)
{
    int rc = -1;

    pthread_mutex_lock(&s->mu);
    if (s->n_faults < MAX_FAULTS) {
        s->faults[s->n_faults++] = *f;
        rc = 0;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Counts a use of armed fault k; true when that was its last and it was
 * disarmed. s->mu held. */
static bool fault_used(struct sim *s, int k)
{
    struct fault *f = &s->faults[k];

    if (f->remaining > 0 && --f->remaining == 0) {
        memmove(f, f + 1, (size_t)(s->n_faults - k - 1) * sizeof(*f));
        s->n_faults--;
        return true;
    }
    return false;
}

/* Takes the first armed fault that applies to this request; page faults
 * are taken by fault_take_page. */
bool fault_take(struct sim *s, const char *url, bool has_cursor, bool data_call, struct fault *out)
{
    bool found = false;

    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < s->n_faults; k++) {
        struct fault *f = &s->faults[k];

        if (strncmp(url, f->path, strlen(f->path)) != 0)
            continue;
        if (f->kind == F_GONE && !has_cursor)
            continue;
        if (f->kind == F_TOKEN_EXPIRED && !data_call)
            continue;
        if (f->kind >= FIRST_PAGE_FAULT)
            continue;
        if (f->kind == F_WRONG_NIP && strncmp(url, "/v1/asn/", 8) != 0)
            continue;
        if (f->skip > 0) {
            f->skip--;
            continue;
        }
        *out = *f;
        found = true;
        fault_used(s, k);
        break;
    }
    pthread_mutex_unlock(&s->mu);
    return found;
}

int fault_take_page(struct sim *s, const char *url, bool (*applies)(struct fault *f, void *ctx),
                    void *ctx, struct fault *out, int max)
{
    bool taken[N_FAULT_KINDS] = {false};
    int n = 0;

    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < s->n_faults && n < max; k++) {
        struct fault *f = &s->faults[k];

        if (f->kind < FIRST_PAGE_FAULT || taken[f->kind] ||
            strncmp(url, f->path, strlen(f->path)) != 0)
            continue;
        if (f->skip > 0) {
            f->skip--;
            continue;
        }
        if (!applies(f, ctx))
            continue;
        taken[f->kind] = true;
        out[n++] = *f;
        if (fault_used(s, k))
            k--;
    }
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* A fault from --fault SPEC: the parameters of POST /admin/fault, comma
 * separated. */
int fault_parse_spec(const char *spec, struct fault *f)
{
    char buf[512], *save = NULL;

    if (strlen(spec) >= sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%s", spec);
    fault_defaults(f);
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');

        if (!eq)
            return -1;
        *eq = '\0';
        if (fault_set(f, kv, eq + 1) < 0)
            return -1;
    }
    return fault_finish(f);
}

void sleep_ms(int ms)
{
    while (ms > 0 && !stopping) {
        int step = ms < 50 ? ms : 50;
        struct timespec ts = {0, (long)step * 1000000L};

        nanosleep(&ts, NULL);
        ms -= step;
    }
}

/* A body delivered by a fault: slowly, cut short, reset, or invented. */
struct fault_stream {
    struct sim *s;
    struct fault f;
    struct MHD_Connection *conn;
    char *body;
    size_t len;
    uint64_t stop_at; /* truncate, reset: where the body ends */
};

/* slow_body: a chunk at a time, delay_ms apart. */
static ssize_t slow_read(struct fault_stream *st, uint64_t pos, char *buf, size_t max)
{
    size_t n;

    if (pos >= st->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    sleep_ms(st->f.delay_ms);
    n = st->len - pos < (size_t)st->f.chunk ? st->len - pos : (size_t)st->f.chunk;
    n = n < max ? n : max;
    memcpy(buf, st->body + pos, n);
    return (ssize_t)n;
}

/* truncate and reset: the body up to stop_at, then the connection closed
 * or, for reset, reset (SO_LINGER 0 sends an RST). */
static ssize_t cut_read(struct fault_stream *st, uint64_t pos, char *buf, size_t max)
{
    size_t n;

    if (pos >= st->stop_at) {
        if (st->f.kind == F_RESET) {
            const union MHD_ConnectionInfo *ci =
                MHD_get_connection_info(st->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
            struct linger lg = {1, 0};

            if (ci)
                setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        }
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    n = st->stop_at - pos < max ? st->stop_at - pos : max;
    memcpy(buf, st->body + pos, n);
    return (ssize_t)n;
}

/* oversize: a valid page of `bytes` bytes, made up as it is sent. */
static ssize_t oversize_read(struct fault_stream *st, uint64_t pos, char *buf, size_t max)
{
    static const char head[] = "{\"data\":[],\"next_cursor\":null,\"padding\":\"";
    uint64_t total = (uint64_t)st->f.bytes;
    size_t n = 0;

    if (pos >= total)
        return MHD_CONTENT_READER_END_OF_STREAM;
    while (n < max && pos + n < total) {
        uint64_t at = pos + n;

        if (at < sizeof(head) - 1)
            buf[n] = head[at];
        else if (at == total - 2)
            buf[n] = '"';
        else if (at == total - 1)
            buf[n] = '}';
        else
            buf[n] = 'x';
        n++;
    }
    return (ssize_t)n;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct fault_stream *st = cls;

    if (stopping)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    switch (st->f.kind) {
    case F_SLOW_BODY:
        return slow_read(st, pos, buf, max);
    case F_TRUNCATE:
    case F_RESET:
        return cut_read(st, pos, buf, max);
    case F_OVERSIZE:
        return oversize_read(st, pos, buf, max);
    default:
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
}

static void stream_free(void *cls)
{
    struct fault_stream *st = cls;

    free(st->body);
    free(st);
}

enum MHD_Result reply_stream(struct sim *s, struct req *rq, const struct fault *f, struct out *body)
{
    struct fault_stream *st = calloc(1, sizeof(*st));
    struct MHD_Response *resp;
    enum MHD_Result ret;
    uint64_t size;

    if (!st)
        return MHD_NO;
    st->s = s;
    st->f = *f;
    st->conn = rq->conn;
    st->body = body->p;
    st->len = body->len;
    st->stop_at = body->len / 2;
    body->p = NULL;
    body->len = body->cap = 0;
    size = f->kind == F_OVERSIZE ? (f->chunked ? MHD_SIZE_UNKNOWN : (uint64_t)f->bytes)
           : f->kind == F_RESET  ? MHD_SIZE_UNKNOWN
                                 : st->len;
    resp = MHD_create_response_from_callback(size, 32 * 1024, stream_read, st, stream_free);
    if (!resp) {
        stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json");
    rq->status = 200;
    stats_count(s, rq->route, 200);
    ret = MHD_queue_response(rq->conn, 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* An HTTP date n seconds from now. */
static void http_date(int64_t n, char *buf, size_t size)
{
    time_t t = time(NULL) + (time_t)n;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

enum MHD_Result reply_fault_status(struct sim *s, struct req *rq, const struct fault *f)
{
    char ra[64];
    const char *msg = f->status == 429   ? "too many requests, slow down"
                      : f->status == 503 ? "service temporarily unavailable"
                      : f->status >= 500 ? "internal server error"
                      : f->status == 403 ? "forbidden for this client"
                      : f->status == 404 ? "not found"
                                         : "request refused";

    if (f->message[0])
        msg = f->message;
    if (f->location[0])
        return reply_error(s, rq, f->status, "moved", "moved elsewhere", f->siasn, "Location",
                           f->location);
    if (f->retry_after >= 0) {
        if (f->retry_after_date)
            http_date(f->retry_after, ra, sizeof(ra));
        else
            snprintf(ra, sizeof(ra), "%d", f->retry_after);
    }
    return reply_error(s, rq, f->status, f->status == 429 ? "rate_limited" : "fault", msg, f->siasn,
                       f->retry_after != -1 ? "Retry-After" : NULL,
                       f->retry_after == -2 ? f->retry_after_text : ra);
}

enum MHD_Result reply_big_header(struct sim *s, struct req *rq, const struct fault *f,
                                 struct out *body)
{
    char *pad = malloc((size_t)f->bytes + 1);
    enum MHD_Result ret;

    if (!pad)
        return MHD_NO;
    memset(pad, 'x', (size_t)f->bytes);
    pad[f->bytes] = '\0';
    ret = reply(s, rq, 200, body, "X-Padding", pad);
    free(pad);
    return ret;
}

/* A data call's 200 answer with body, as the fault taken (f, NULL for
 * none) delivers it: streamed slowly, cut, reset, made malformed, or
 * with a big header. */
enum MHD_Result reply_faulted(struct sim *s, struct req *rq, const struct fault *f,
                              struct out *body)
{
    switch (f ? f->kind : F_STATUS) {
    case F_SLOW_BODY:
    case F_TRUNCATE:
    case F_RESET:
    case F_OVERSIZE:
        return reply_stream(s, rq, f, body);
    case F_MALFORMED:
        /* Cut in the middle of a record and closed with garbage. */
        body->len = body->len / 2;
        LIT(body, "\"}]<<not json>>");
        break;
    case F_BIG_HEADER:
        return reply_big_header(s, rq, f, body);
    default:
        break;
    }
    return reply(s, rq, 200, body, NULL, NULL);
}
