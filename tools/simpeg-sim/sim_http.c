/* sim_http.c: requests and answers: the query and headers of a request,
 * answers (gzip when the client takes it), the statistics by route and
 * status, and the dispatch of a request to its route. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "sim.h"

void stats_count(struct sim *s, enum route rt, int status)
{
    pthread_mutex_lock(&s->mu);
    if (status >= 100 && status < 600)
        s->stats[rt][status]++;
    pthread_mutex_unlock(&s->mu);
}

const char *query(struct req *rq, const char *key)
{
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

    return v && strlen(v) <= MAX_QUERY ? v : NULL;
}

const char *header(struct req *rq, const char *key)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, key);
}

static bool wants_gzip(struct req *rq)
{
    const char *ae = header(rq, "Accept-Encoding");

    return ae && strstr(ae, "gzip");
}

static void free_buf(void *p)
{
    free(p);
}

/* gzip of in; NULL on failure. */
static char *gzip(const char *in, size_t len, size_t *out_len)
{
    z_stream z;
    size_t cap;
    char *out;

    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    cap = deflateBound(&z, len) + 64;
    out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
        deflateEnd(&z);
        free(out);
        return NULL;
    }
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

/* Queues body (taken over) with status, as JSON, gzipped when it is over
 * 1 KiB and the client accepts gzip; one more header when hname is set. */
enum MHD_Result reply(struct sim *s, struct req *rq, int status, struct out *body,
                      const char *hname, const char *hvalue)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    bool gz = false;

    if (body->len > 1024 && wants_gzip(rq)) {
        size_t zlen;
        char *z = gzip(body->p, body->len, &zlen);

        if (z) {
            free(body->p);
            body->p = z;
            body->len = zlen;
            gz = true;
        }
    }
    resp = MHD_create_response_from_buffer_with_free_callback(body->len, body->p, free_buf);
    body->p = NULL;
    body->len = body->cap = 0;
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json");
    if (gz)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    if (hname)
        MHD_add_response_header(resp, hname, hvalue);
    rq->status = status;
    stats_count(s, rq->route, status);
    ret = MHD_queue_response(rq->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result reply_error(struct sim *s, struct req *rq, int status, const char *code,
                            const char *message, bool siasn, const char *hname, const char *hvalue)
{
    struct out o = {0};

    if (siasn) {
        LIT(&o, "{\"code\":0,\"data\":");
        out_str(&o, message);
        out_char(&o, '}');
    } else {
        LIT(&o, "{\"error\":{\"code\":");
        out_str(&o, code);
        LIT(&o, ",\"message\":");
        out_str(&o, message);
        LIT(&o, "}}");
    }
    return reply(s, rq, status, &o, hname, hvalue);
}

/* Whether a query value is longer than MAX_QUERY (query() then ignores it). */
bool query_too_long(struct req *rq, const char *key)
{
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

    return v && strlen(v) > MAX_QUERY;
}

static enum route route_of(const char *url)
{
    if (!strcmp(url, "/v1/asn"))
        return RT_LIST;
    if (!strncmp(url, "/v1/asn/", 8) && url[8])
        return RT_RECORD;
    if (!strcmp(url, "/oauth2/token"))
        return RT_TOKEN;
    if (!strcmp(url, "/healthz"))
        return RT_HEALTH;
    if (!strncmp(url, "/admin/", 7))
        return RT_ADMIN;
    if (!strncmp(url, SIASN_BASE "/", strlen(SIASN_BASE) + 1))
        return RT_SIASN;
    return RT_OTHER;
}

/* Keeps an upload's bytes, up to MAX_BODY; past it, only that it was. */
static void request_upload(struct req *rq, const char *upload, size_t *upload_size)
{
    size_t n = *upload_size;

    if (rq->body_len + n > MAX_BODY) {
        rq->body_too_big = true;
    } else {
        memcpy(rq->body + rq->body_len, upload, n);
        rq->body_len += n;
        rq->body[rq->body_len] = '\0';
    }
    *upload_size = 0;
}

static enum MHD_Result dispatch(struct sim *s, struct req *rq, const char *url, const char *method)
{
    switch (rq->route) {
    case RT_HEALTH: {
        struct out o = {0};

        LIT(&o, "{\"status\":\"ok\"}");
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    case RT_ADMIN:
        return serve_admin(s, rq, url, method);
    case RT_TOKEN: {
        struct fault f;
        bool faulted = fault_take(s, url, false, false, &f);

        return serve_token(s, rq, method, faulted ? &f : NULL);
    }
    case RT_LIST:
    case RT_RECORD:
        return serve_data(s, rq, url, method);
    case RT_SIASN:
        if (s->siasn)
            return serve_siasn(s, rq, url, method);
        return reply_error(s, rq, 404, "not_found", "no such path", false, NULL, NULL);
    default:
        return reply_error(s, rq, 404, "not_found", "no such path", false, NULL, NULL);
    }
}

/* libmicrohttpd's access handler: called first with the headers, then with
 * each piece of the body, then once more to answer. */
enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    struct sim *s = cls;
    struct req *rq = *con_cls;
    enum MHD_Result ret;

    if (!rq) {
        rq = calloc(1, sizeof(*rq));
        if (!rq)
            return MHD_NO;
        rq->conn = conn;
        rq->route = route_of(url);
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        request_upload(rq, upload, upload_size);
        return MHD_YES;
    }
    if (rq->body_too_big)
        return reply_error(s, rq, 413, "too_large", "request body over 8 KiB", false, NULL, NULL);
    ret = dispatch(s, rq, url, method);
    if (s->verbose)
        fprintf(stderr, "simpeg-sim: %s %s -> %d\n", method, url, rq->status);
    return ret;
}

void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
               enum MHD_RequestTerminationCode toe)
{
    free(*con_cls);
    *con_cls = NULL;
}
