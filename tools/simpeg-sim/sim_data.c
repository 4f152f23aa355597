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
    struct fault pf[N_FAULT_KINDS - FIRST_PAGE_FAULT]; /* the page faults taken */
    int n_pf;
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

/* The page fault of this kind taken for the page, or NULL. */
static const struct fault *page_fault(const struct data_call *c, enum fault_kind kind)
{
    for (int k = 0; k < c->n_pf; k++) {
        if (c->pf[k].kind == kind)
            return &c->pf[k];
    }
    return NULL;
}

/* A page being written: where it starts and ends in the order, and how
 * many records it holds, its additions counted. */
struct page {
    uint32_t start, end;
    int64_t count;
};

/* The poison fault's record: well-formed text around one value jansson
 * refuses. */
static void poison_record(struct out *o, enum poison which)
{
    static const char *const bad[N_POISONS] = {
        [P_NUL] = "\"nama\":\"Budi\\u0000Santoso\"",
        [P_DUPKEY] = "\"nama\":\"Budi Santoso\",\"nama\":\"Budi Santosa\"",
        [P_BIGREAL] = "\"nama\":\"Budi Santoso\",\"rwSkp\":[{\"tahun\":2021,"
                      "\"nilaiPrestasiKerja\":1e400}]",
        [P_BIGINT] = "\"nama\":\"Budi Santoso\",\"rwKursus\":[{\"namaKursus\":\"Bimtek\","
                     "\"jumlahJam\":123456789012345678901234567890}]",
        [P_SURROGATE] = "\"nama\":\"Budi \\ud800Santoso\"",
    };

    LIT(o, "{\"nipBaru\":\"" POISON_NIP "\",\"jenisJabatanId\":\"4\",");
    out_mem(o, bad[which], strlen(bad[which]));
    out_char(o, '}');
}

/* big_field: the page's first record gets an unknown field of bytes
 * bytes, just before its closing brace at rec_end. */
static void big_field(struct out *o, size_t rec_end, int64_t bytes)
{
    static const char name[] = ",\"lampiranDokumen\":\"";
    struct out tail = {0};

    out_mem(&tail, o->p + rec_end, o->len - rec_end); /* what follows the brace */
    o->len = rec_end - 1;
    out_mem(o, name, sizeof(name) - 1);
    out_reserve(o, (size_t)bytes + 2);
    memset(o->p + o->len, 'x', (size_t)bytes);
    o->len += (size_t)bytes;
    LIT(o, "\"}");
    out_mem(o, tail.p, tail.len);
    free(tail.p);
}

/* duplicate: whether the page holds the second copy of the chosen record,
 * the page after its own (its own when it is on the last page), and which
 * record that is. Read lock held. */
static bool duplicate_here(const struct sim *s, const struct fault *f, const struct page *pg,
                           int64_t limit, uint32_t *index)
{
    int64_t i = f->nip ? nip_find(s, f->nip) : (s->n ? (int64_t)s->order[0] : -1);
    uint32_t pos, at;

    if (i < 0)
        return false;
    pos = order_bound(s, s->updated[i], s->nip[i], false);
    at = pos + (uint64_t)limit < s->n ? pos + (uint32_t)limit : s->n - 1;
    *index = (uint32_t)i;
    return at >= pg->start && at < pg->end;
}

/* The page's records, then what faults add: the duplicate's copy, the big
 * field, the poison record, the rejects fault's copies. Read lock held. */
static void page_records(struct data_call *c, const struct listing *l, struct page *pg)
{
    struct sim *s = c->s;
    struct out *o = &c->o;
    const struct fault *f;
    size_t first_end = 0;
    uint32_t dup;

    for (uint32_t k = pg->start; k < pg->end; k++) {
        if (k > pg->start)
            out_char(o, ',');
        record_json(s, s->order[k], o);
        if (k == pg->start)
            first_end = o->len;
    }
    if ((f = page_fault(c, F_DUPLICATE)) && duplicate_here(s, f, pg, l->limit, &dup)) {
        if (pg->count++ > 0)
            out_char(o, ',');
        record_json_copy(s, dup, o);
    }
    if ((f = page_fault(c, F_BIG_FIELD)) && first_end)
        big_field(o, first_end, f->bytes);
    if ((f = page_fault(c, F_POISON))) {
        if (pg->count++ > 0)
            out_char(o, ',');
        poison_record(o, f->which);
    }
    for (int n = 0; c->faulted && c->f.kind == F_REJECTS && n < c->f.copies; n++) {
        if (n > 0 || pg->count > 0)
            out_char(o, ',');
        LIT(o, "{\"nipBaru\":\"" POISON_NIP "\",\"jenisJabatanId\":\"4\"}");
    }
}

/* The next cursor into next (empty: null): after the page's last record;
 * cursor_loop: the cursor of the page `back` pages before, as long as the
 * pages hold `limit` records (before the first record: a cursor to the
 * first page); cursor_churn: a new cursor to the page itself. Read lock
 * held. */
static void page_next(struct data_call *c, const struct listing *l, const struct page *pg,
                      char *next)
{
    struct sim *s = c->s;
    const struct fault *f;
    uint32_t u, pos;
    uint64_t nip;

    next[0] = '\0';
    if ((f = page_fault(c, F_CURSOR_LOOP))) {
        uint64_t back = (uint64_t)f->back * (uint64_t)l->limit;

        pos = back < pg->start ? pg->start - (uint32_t)back : 0;
        cursor_key_before(s, pos, &u, &nip);
        cursor_encode(s, u, nip, next);
    } else if ((f = page_fault(c, F_CURSOR_CHURN))) {
        uint32_t serial;

        pthread_mutex_lock(&s->mu);
        serial = (uint32_t)++s->churn_serial;
        pthread_mutex_unlock(&s->mu);
        cursor_key_before(s, pg->start, &u, &nip);
        cursor_encode_serial(s, u, nip, serial, next);
    } else if (pg->end < s->n && pg->end > pg->start) {
        uint32_t last = s->order[pg->end - 1];

        cursor_encode(s, s->updated[last], s->nip[last], next);
    }
}

/* The page: its records, the next cursor, the server time and the count;
 * broken_envelope leaves out next_cursor. */
static void listing_body(struct data_call *c, const struct listing *l)
{
    struct sim *s = c->s;
    struct out *o = &c->o;
    const struct fault *f;
    struct page pg;
    char next[CURSOR_MAX];
    uint32_t extra;

    pthread_rwlock_rdlock(&s->lock);
    pg.start = listing_start(s, c, l);
    pg.end = pg.start + (uint32_t)l->limit < s->n ? pg.start + (uint32_t)l->limit : s->n;
    pg.count = pg.end - pg.start;
    c->n_pf = fault_take_page(s, c->url, pg.start, c->pf, N_FAULT_KINDS - FIRST_PAGE_FAULT);
    /* A record a fault adds takes the place of the page's last one, which
     * comes first on the next page: the page keeps to its limit, so a
     * client that refuses pages over it still sees what the fault adds. */
    extra = (page_fault(c, F_POISON) != NULL) + (page_fault(c, F_DUPLICATE) != NULL);
    while (pg.end - pg.start + extra > (uint32_t)l->limit && pg.end > pg.start + 1)
        pg.count = --pg.end - pg.start;
    out_reserve(o, (size_t)(pg.end - pg.start) * 3072 + 256);
    LIT(o, "{\"data\":[");
    page_records(c, l, &pg);
    page_next(c, l, &pg, next);
    pthread_rwlock_unlock(&s->lock);
    out_char(o, ']');
    if (!page_fault(c, F_BROKEN_ENVELOPE)) {
        LIT(o, ",\"next_cursor\":");
        if (next[0]) {
            out_char(o, '"');
            out_mem(o, next, strlen(next));
            out_char(o, '"');
        } else {
            LIT(o, "null");
        }
    }
    LIT(o, ",\"server_time\":");
    if ((f = page_fault(c, F_SERVER_TIME)))
        out_str(o, f->server_time);
    else
        out_timestamp(o, c->now, false);
    LIT(o, ",\"count\":");
    out_int(o, pg.count);
    out_char(o, '}');
}

/* The answer, as the fault taken (if any) delivers it. */
static enum MHD_Result data_reply(struct data_call *c)
{
    if (c->faulted) {
        switch (c->f.kind) {
        case F_SLOW_BODY:
        case F_TRUNCATE:
        case F_RESET:
            return reply_stream(c->s, c->rq, &c->f, &c->o);
        case F_MALFORMED:
            /* Cut in the middle of a record and closed with garbage. */
            c->o.len = c->o.len / 2;
            LIT(&c->o, "\"}]<<not json>>");
            break;
        case F_BIG_HEADER:
            return reply_big_header(c->s, c->rq, &c->f, &c->o);
        default:
            break;
        }
    }
    return reply(c->s, c->rq, 200, &c->o, NULL, NULL);
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
    return data_reply(&c);
}
