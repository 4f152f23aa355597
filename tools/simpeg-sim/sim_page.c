/* sim_page.c: a listing page's body, {"data": [...], "next_cursor",
 * "server_time", "count"}, and what the page faults do to it: cursors that
 * loop or never end, another server_time, a poisoned or duplicated record,
 * a huge field, a broken envelope. Everything here runs under the read
 * lock, so a page never shows a change half-made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define N_PAGE_FAULTS (N_FAULT_KINDS - FIRST_PAGE_FAULT)

/* A page being written: where it starts and ends in the order, the page
 * size asked for, how many records it holds with what faults add, and the
 * page faults taken for it. */
struct page {
    const struct sim *s;
    uint32_t start, end;
    int64_t limit;
    int64_t count;
    struct fault pf[N_PAGE_FAULTS];
    int n_pf;
    struct out *o;
};

/* The page fault of this kind taken for the page, or NULL. */
static const struct fault *page_fault(const struct page *pg, enum fault_kind kind)
{
    for (int k = 0; k < pg->n_pf; k++) {
        if (pg->pf[k].kind == kind)
            return &pg->pf[k];
    }
    return NULL;
}

/* duplicate: whether the page holds the copy of the record f holds to:
 * `limit` places after the record, on the next page of a listing read at
 * that size (on its own page when that is the last). */
static bool duplicate_here(const struct page *pg, const struct fault *f)
{
    const struct sim *s = pg->s;
    int64_t i = nip_find(s, f->nip);
    uint64_t at;

    if (i < 0 || s->n == 0)
        return false;
    at = (uint64_t)order_bound(s, s->updated[i], s->nip[i], false) + (uint64_t)pg->limit;
    if (at >= s->n)
        at = s->n - 1;
    return at >= pg->start && at < pg->end;
}

/* Whether armed page fault f applies to the page (fault_take_page's
 * callback, s->mu held). cursor_loop and cursor_churn hold to the first
 * page they apply to; duplicate holds to its record, nip= or the first of
 * the first page it sees, and applies to the page its copy goes on; the
 * others apply to any page. */
static bool page_fault_applies(struct fault *f, void *ctx)
{
    const struct page *pg = ctx;

    switch (f->kind) {
    case F_CURSOR_LOOP:
    case F_CURSOR_CHURN:
        if (f->at < 0)
            f->at = pg->start;
        return f->at == pg->start;
    case F_DUPLICATE:
        if (f->at < 0) {
            if (!f->nip && pg->start == pg->end)
                return false;
            if (!f->nip)
                f->nip = pg->s->nip[pg->s->order[pg->start]];
            f->at = 0;
        }
        return duplicate_here(pg, f);
    default:
        return true;
    }
}

/* The separator before a record the faults add, which counts it. */
static void page_add(struct page *pg)
{
    if (pg->count++ > 0)
        out_char(pg->o, ',');
}

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

/* big_field: the record whose closing brace is the byte before rec_end
 * gets an unknown field of `bytes` bytes there. */
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

/* The page's records, then what faults add: the duplicate's copy, the big
 * field in the first record, the poison record, the rejects fault's
 * copies. */
static void page_records(struct page *pg, const struct fault *rejects)
{
    const struct sim *s = pg->s;
    const struct fault *f;
    size_t first_end = 0;

    for (uint32_t k = pg->start; k < pg->end; k++) {
        if (k > pg->start)
            out_char(pg->o, ',');
        record_json(s, s->order[k], pg->o);
        if (k == pg->start)
            first_end = pg->o->len;
    }
    if ((f = page_fault(pg, F_DUPLICATE))) {
        int64_t i = nip_find(s, f->nip);

        page_add(pg);
        if (f->same)
            record_json(s, (uint32_t)i, pg->o);
        else
            record_json_copy(s, (uint32_t)i, pg->o);
    }
    if ((f = page_fault(pg, F_BIG_FIELD)) && first_end)
        big_field(pg->o, first_end, f->bytes);
    if ((f = page_fault(pg, F_POISON))) {
        page_add(pg);
        poison_record(pg->o, f->which);
    }
    for (int n = 0; rejects && n < rejects->copies; n++) {
        page_add(pg);
        LIT(pg->o, "{\"nipBaru\":\"" POISON_NIP "\",\"jenisJabatanId\":\"4\"}");
    }
}

/* The next cursor into next (empty: null): after the page's last record;
 * cursor_loop: the cursor of the page `back` pages before, as long as the
 * pages hold `limit` records (before the first record: a cursor to the
 * first page); cursor_churn: a new cursor to the page itself. */
static void page_next(struct sim *s, const struct page *pg, char *next)
{
    const struct fault *f;
    uint32_t u, pos;
    uint64_t nip;

    next[0] = '\0';
    if ((f = page_fault(pg, F_CURSOR_LOOP))) {
        uint64_t back = (uint64_t)f->back * (uint64_t)pg->limit;

        pos = back < pg->start ? pg->start - (uint32_t)back : 0;
        cursor_key_before(s, pos, &u, &nip);
        cursor_encode(s, u, nip, next);
    } else if ((f = page_fault(pg, F_CURSOR_CHURN))) {
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

/* The members after "data", as broken_envelope (how) breaks them when
 * taken. */
static void page_envelope(const struct page *pg, const char *next, int64_t now)
{
    const struct fault *f = page_fault(pg, F_BROKEN_ENVELOPE);
    int how = f ? (int)f->how : -1;
    struct out *o = pg->o;

    if (how != EB_UNBALANCED)
        out_char(o, ']');
    if (how == EB_DUPDATA)
        LIT(o, ",\"data\":[]");
    if (how != EB_NO_CURSOR) {
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
    if ((f = page_fault(pg, F_SERVER_TIME)))
        out_str(o, f->server_time);
    else
        out_timestamp(o, now, false);
    LIT(o, ",\"count\":");
    out_int(o, pg->count);
    if (how != EB_UNCLOSED)
        out_char(o, '}');
    if (how == EB_TRAILING)
        LIT(o, "{\"data\":[],\"next_cursor\":null}");
}

void page_write(struct sim *s, const char *url, uint32_t start, int64_t limit, int64_t now,
                const struct fault *rejects, struct out *o)
{
    struct page pg = {
        .s = s,
        .start = start,
        .end = start + (uint64_t)limit < s->n ? start + (uint32_t)limit : s->n,
        .limit = limit,
        .o = o,
    };
    char next[CURSOR_MAX];
    uint32_t extra;

    pg.count = pg.end - pg.start;
    pg.n_pf = fault_take_page(s, url, page_fault_applies, &pg, pg.pf, N_PAGE_FAULTS);
    /* A record a fault adds takes the place of the page's last one, which
     * comes first on the next page: the page keeps to its limit, so a
     * client that refuses pages over it still sees what the fault adds. */
    extra = (page_fault(&pg, F_POISON) != NULL) + (page_fault(&pg, F_DUPLICATE) != NULL);
    while (pg.end - pg.start + extra > (uint64_t)limit && pg.end > pg.start + 1)
        pg.count = --pg.end - pg.start;
    out_reserve(o, (size_t)(pg.end - pg.start) * 3072 + 256);
    LIT(o, "{\"data\":[");
    page_records(&pg, rejects);
    page_next(s, &pg, next);
    page_envelope(&pg, next, now);
}
