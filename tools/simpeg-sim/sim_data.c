/* sim_data.c: the data calls of simpeg-api.md, GET /v1/asn (a listing page)
 * and GET /v1/asn/{nipBaru} (one record), with the faults armed for them.
 * Records are generated into the answer under the read lock, so a change
 * (fix, delete, mutate) never shows half-made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

/* A data call being answered. */
struct data_call {
    struct sim *s;
    struct req *rq;
    const char *url;
    const char *cursor; /* NULL: the first page of a listing */
    struct fault f;     /* the fault taken, when faulted */
    bool faulted;
    int64_t now; /* server_time: when the request came in */
    struct out o;
};

/* A listing page's parameters. */
struct listing {
    const char *since; /* NULL: none */
    int64_t since_t;
    int64_t limit;
    uint32_t cu; /* the cursor's updatedAt and NIP */
    uint64_t cnip;
};

/* The last data call's User-Agent, Accept and Accept-Encoding, which
 * /admin/stats shows. */
static void remember_headers(struct sim *s, struct req *rq)
{
    const char *ua = header(rq, "User-Agent"), *ac = header(rq, "Accept"),
               *ae = header(rq, "Accept-Encoding");

    pthread_mutex_lock(&s->mu);
    snprintf(s->last_user_agent, sizeof(s->last_user_agent), "%s", ua ? ua : "");
    snprintf(s->last_accept, sizeof(s->last_accept), "%s", ac ? ac : "");
    snprintf(s->last_accept_encoding, sizeof(s->last_accept_encoding), "%s", ae ? ae : "");
    pthread_mutex_unlock(&s->mu);
}

/* The faults that answer before the credentials are looked at; true when
 * one did, with its result in *ret. */
static bool fault_answered(struct data_call *c, enum MHD_Result *ret)
{
    struct sim *s = c->s;
    struct req *rq = c->rq;

    switch (c->f.kind) {
    case F_STATUS:
        *ret = reply_fault_status(s, rq, &c->f);
        return true;
    case F_GONE:
        *ret = reply_error(s, rq, 410, "cursor_expired", "the cursor expired; restart the listing",
                           c->f.siasn, NULL, NULL);
        return true;
    case F_TOKEN_EXPIRED:
        tokens_revoke(s);
        *ret = reply_error(s, rq, 401, "invalid_token", "the access token expired", false,
                           "WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return true;
    case F_SLOW_HEADERS:
        sleep_ms(c->f.delay_ms);
        return false;
    default:
        return false;
    }
}

/* Everything that may refuse a data call before its data: the method, the
 * query's sizes, a fault, the credentials, the required header. True when
 * one answered, with its result in *ret. */
static bool data_refused(struct data_call *c, const char *method, enum MHD_Result *ret)
{
    struct sim *s = c->s;
    struct req *rq = c->rq;

    if (strcmp(method, "GET") != 0) {
        *ret = reply_error(s, rq, 405, "method_not_allowed", "use GET", false, "Allow", "GET");
        return true;
    }
    remember_headers(s, rq);
    if (query_too_long(rq, "cursor") || query_too_long(rq, "updated_since") ||
        query_too_long(rq, "limit")) {
        *ret = reply_error(s, rq, 400, "too_long", "a query value is longer than 1 KiB", false,
                           NULL, NULL);
        return true;
    }
    c->faulted = fault_take(s, c->url, rq->route == RT_LIST && c->cursor, true, &c->f);
    if (c->faulted && fault_answered(c, ret))
        return true;
    if (auth_check(s, rq) < 0) {
        *ret = reply_error(s, rq, 401, "unauthorized", "missing or invalid credentials", false,
                           "WWW-Authenticate", "Bearer realm=\"simpeg\"");
        return true;
    }
    if (s->req_header) {
        const char *v = header(rq, s->req_header);

        if (!v || strcmp(v, s->req_value) != 0) {
            *ret = reply_error(s, rq, 403, "forbidden", "a required header is missing or wrong",
                               false, NULL, NULL);
            return true;
        }
    }
    return false;
}

/* wrong_nip: the next record after i that is a well-formed, live one. Read
 * lock held. */
static uint32_t other_record(const struct sim *s, uint32_t i)
{
    const uint32_t broken = (1u << D_RECORD_MALFORMED) | (1u << D_NIP_INVALID);
    struct person p;

    for (uint32_t k = 1; k < s->n; k++) {
        uint32_t j = (i + k) % s->n;

        person_identity(s, j, &p);
        if (!(s->flags[j] & RF_DELETED) && !(record_defects(s, j, &p) & broken))
            return j;
    }
    return i;
}

/* GET /v1/asn/{nipBaru}: {"data": EMPLOYEE}; -1 when there is none. */
static int record_body(struct data_call *c)
{
    struct sim *s = c->s;
    uint64_t nip;
    int64_t i;

    pthread_rwlock_rdlock(&s->lock);
    i = nip_parse(c->url + strlen("/v1/asn/"), &nip) == 0 ? nip_find(s, nip) : -1;
    if (i >= 0 && c->faulted && c->f.kind == F_WRONG_NIP)
        i = other_record(s, (uint32_t)i);
    if (i >= 0) {
        LIT(&c->o, "{\"data\":");
        record_json(s, (uint32_t)i, &c->o);
        out_char(&c->o, '}');
    }
    pthread_rwlock_unlock(&s->lock);
    return i >= 0 ? 0 : -1;
}

/* limit, updated_since and cursor, checked in that order; true when one
 * was refused, with the answer in *ret. */
static bool listing_refused(struct data_call *c, struct listing *l, enum MHD_Result *ret)
{
    struct sim *s = c->s;
    struct req *rq = c->rq;
    const char *lim = query(rq, "limit");
    char *endp;

    memset(l, 0, sizeof(*l));
    l->since = query(rq, "updated_since");
    l->limit = PAGE_DEFAULT;
    if (lim) {
        long long v = strtoll(lim, &endp, 10);

        if (!*lim || *endp || v < 1 || v > PAGE_MAX) {
            *ret = reply_error(s, rq, 400, "bad_limit", "limit must be 1..1000", false, NULL, NULL);
            return true;
        }
        l->limit = v;
    }
    if (l->since && rfc3339_parse(l->since, &l->since_t) < 0) {
        *ret = reply_error(s, rq, 400, "bad_updated_since",
                           "updated_since must be an RFC 3339 time", false, NULL, NULL);
        return true;
    }
    if (c->cursor && cursor_decode(s, c->cursor, &l->cu, &l->cnip) < 0) {
        *ret = reply_error(s, rq, 400, "bad_cursor", "the cursor is not one of this server", false,
                           NULL, NULL);
        return true;
    }
    return false;
}

/* Counts the page; a listing's first page first changes --mutate-rate of
 * the records, as a live SIMPEG changes between two syncs. */
static void listing_count(struct data_call *c)
{
    struct sim *s = c->s;
    uint64_t listing_no;

    pthread_mutex_lock(&s->mu);
    if (c->cursor)
        s->cursor_requests++;
    else
        s->listing_starts++;
    listing_no = s->listings++;
    pthread_mutex_unlock(&s->mu);
    if (!c->cursor && s->mutate_rate > 0)
        mutate(s, (uint32_t)(s->mutate_rate * s->n + 0.5), listing_no);
}

/* Where the page starts in the order: after the cursor's key, or at the
 * first record updated at or after updated_since. */
static uint32_t listing_start(const struct sim *s, const struct data_call *c,
                              const struct listing *l)
{
    if (c->cursor)
        return order_bound(s, l->cu, l->cnip, true);
    if (l->since && l->since_t > UINT32_MAX)
        return s->n;
    if (l->since && l->since_t > 0)
        return order_bound(s, (uint32_t)l->since_t, 0, false);
    return 0;
}

/* The page, under the read lock: the records and the cursor must agree. */
static void listing_body(struct data_call *c, const struct listing *l)
{
    struct sim *s = c->s;

    pthread_rwlock_rdlock(&s->lock);
    page_write(s, c->url, listing_start(s, c, l), l->limit, c->now,
               c->faulted && c->f.kind == F_REJECTS ? &c->f : NULL, &c->o);
    pthread_rwlock_unlock(&s->lock);
}

enum MHD_Result serve_data(struct sim *s, struct req *rq, const char *url, const char *method)
{
    struct data_call c = {
        .s = s,
        .rq = rq,
        .url = url,
        .cursor = query(rq, "cursor"),
        .now = (int64_t)time(NULL),
    };
    enum MHD_Result ret;

    if (data_refused(&c, method, &ret))
        return ret;
    if (c.faulted && c.f.kind == F_OVERSIZE)
        return reply_stream(s, rq, &c.f, &c.o);
    if (rq->route == RT_RECORD) {
        if (record_body(&c) < 0)
            return reply_error(s, rq, 404, "not_found", "no employee with this nipBaru", false,
                               NULL, NULL);
    } else {
        struct listing l;

        if (listing_refused(&c, &l, &ret))
            return ret;
        listing_count(&c);
        listing_body(&c, &l);
    }
    return reply_faulted(s, rq, c.faulted ? &c.f : NULL, &c.o);
}
