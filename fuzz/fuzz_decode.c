/* libFuzzer target for the SIMPEG decoder. The first byte picks the entry
 * point and the limits: '0' simpeg_decode_page, '1' simpeg_decode_single,
 * '2' simpeg_decode_any, each with a page size of 500; '3', '4', '5' the
 * same with tight limits, so the bounds are crossed. The rest is the body.
 * Every page is freed, and what it holds is checked against the contract;
 * each decoded record's raw copy must decode again to itself; a listing
 * page decodes the same split record by record as whole; and an array's
 * elements decode each alone (simpeg_decode_records) as the array does. */
#include "autoconfig.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model.h"
#include "page_diff.h"
#include "simpeg.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The contract's bound on the upstream PNS id (simpeg.c). */
#define ID_MAX 42

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            invariant_failed(#cond, __LINE__);                                                     \
    } while (0)

static void invariant_failed(const char *what, int line)
{
    fprintf(stderr, "fuzz_decode.c:%d: invariant broken: %s\n", line, what);
    abort();
}

/* One line of printable text: no byte below 0x20, no DEL. */
static bool one_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

static bool is_nip(const char *s)
{
    return s && strlen(s) == 18 && strspn(s, "0123456789") == 18;
}

static bool fits(const char *s, size_t max)
{
    return !s || strlen(s) <= max;
}

static void check_employee(const struct employee *e, const struct simpeg_limits *lim)
{
    CHECK(is_nip(e->nip));
    CHECK(e->deleted || (e->name && *e->name));
    CHECK(fits(e->name, lim->max_string));
    CHECK(fits(e->id, ID_MAX));
    CHECK(fits(e->opd_name, lim->max_string));
    CHECK(e->raw && *e->raw == '{');
    CHECK(e->content_hash == hash64(e->raw, strlen(e->raw), HASH64_INIT));
    CHECK(e->sex == 0 || e->sex == 'M' || e->sex == 'F');
    CHECK(e->eselon_level >= 0 && e->eselon_level <= 4);
    CHECK(e->n_education <= lim->max_history && e->n_leadership <= lim->max_history &&
          e->n_courses <= lim->max_history && e->n_skp <= lim->max_history &&
          e->n_skp22 <= lim->max_history && e->n_sanctions <= lim->max_history);
    CHECK(!e->n_education || e->education);
    CHECK(!e->n_courses || e->courses);
    for (size_t i = 0; i < e->n_courses; i++) {
        const struct course *c = &e->courses[i];

        CHECK(c->hours == HOURS_NONE || (c->hours >= 0 && c->hours <= 10000));
        CHECK(c->year == YEAR_NONE || (c->year >= 1 && c->year <= 9999));
    }
    for (size_t i = 0; i < e->n_skp; i++)
        CHECK(!e->skp[i].has_score || e->skp[i].score_field);
    for (size_t i = 0; i < e->n_sanctions; i++)
        CHECK(e->sanctions[i].level <= SANCTION_UNKNOWN);
    if (e->ipasn.present) {
        const int parts[] = {e->ipasn.qualification, e->ipasn.competency, e->ipasn.performance,
                             e->ipasn.discipline, e->ipasn.total};

        for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
            CHECK(parts[i] >= -1 && parts[i] <= 1000);
    }
    for (size_t i = 0; i < e->n_notes; i++) {
        CHECK(e->notes[i].code && *e->notes[i].code);
        CHECK(e->notes[i].field && *e->notes[i].field);
    }
}

/* The raw copy is the record: decoded again as a bare record, it is the
 * same employee, its text the same JSON, each hash that of its text. */
static void check_raw_round_trip(const struct employee *e, const struct simpeg_limits *lim)
{
    struct error err = {{0}};
    struct page *again = simpeg_decode_any(e->raw, strlen(e->raw), lim, &err);
    json_t *x = json_loads(e->raw, JSON_DECODE_ANY, NULL), *y;

    CHECK(e->content_hash == hash64(e->raw, strlen(e->raw), HASH64_INIT));
    CHECK(again);
    CHECK(again->n_employees == 1 && again->n_rejected == 0);
    y = json_loads(again->employees[0].raw, JSON_DECODE_ANY, NULL);
    CHECK(x && y && json_equal(x, y));
    CHECK(strcmp(again->employees[0].nip, e->nip) == 0);
    CHECK(again->employees[0].deleted == e->deleted);
    json_decref(x);
    json_decref(y);
    page_free(again);
}

static void check_page(const struct page *p, const struct simpeg_limits *lim)
{
    CHECK(p->arena);
    CHECK(p->n_employees + p->n_rejected <= lim->max_records);
    CHECK(!p->next_cursor || (*p->next_cursor && strlen(p->next_cursor) <= lim->max_string));
    CHECK(p->count >= -1);
    for (size_t i = 0; i < p->n_employees; i++) {
        check_employee(&p->employees[i], lim);
        check_raw_round_trip(&p->employees[i], lim);
    }
    for (size_t i = 0; i < p->n_rejected; i++) {
        const struct rejected_record *r = &p->rejected[i];

        CHECK(r->code &&
              (strcmp(r->code, "record_malformed") == 0 || strcmp(r->code, "nip_invalid") == 0));
        CHECK(r->reason && *r->reason && one_line(r->reason));
        CHECK(r->raw && *r->raw);
        CHECK(r->index < p->n_employees + p->n_rejected);
        CHECK(i == 0 || r->index > p->rejected[i - 1].index);
    }
}

/* The page decoder takes the split way or the whole one: whatever both
 * decode, they decode the same; what only split decodes holds a record
 * jansson rejects alone, quarantined; the answer is split's page, else
 * whole's page or error. */
static void check_split(const char *body, size_t len, const struct simpeg_limits *lim,
                        const struct page *p, const struct error *err)
{
    struct error e = {{0}};
    struct page *split = simpeg_decode_page_split(body, len, lim);
    struct page *whole = simpeg_decode_page_whole(body, len, lim, &e);

    CHECK(!split || whole || page_has_unparsed(split));
    CHECK(!split || !whole || !page_diff(split, whole));
    CHECK(!p == (!whole && !split));
    CHECK(!p || !page_diff(p, split ? split : whole));
    CHECK(p || strcmp(err->msg, e.msg) == 0);
    page_free(split);
    page_free(whole);
}

/* Stored records, each a text of its own (a recompute): the body as one
 * record decodes or fails with a one-line error; and an array's elements,
 * each alone, decode as the array does (p, from simpeg_decode_any). */
static void check_records(const char *body, size_t len, const struct simpeg_limits *lim,
                          const struct page *p, const struct error *err)
{
    const char *name = "the body";
    struct error e = {{0}};
    struct page *one = simpeg_decode_records(&body, &len, &name, 1, lim, &e);
    json_t *arr;
    size_t n;
    char **text;
    size_t *lens;
    const char **names;

    if (one)
        check_page(one, lim);
    else
        CHECK(e.msg[0] && one_line(e.msg));
    page_free(one);
    arr = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return;
    }
    n = json_array_size(arr);
    text = xcalloc(n + 1, sizeof(*text));
    lens = xcalloc(n + 1, sizeof(*lens));
    names = xcalloc(n + 1, sizeof(*names));
    for (size_t i = 0; i < n; i++) {
        text[i] = json_dumps(json_array_get(arr, i), JSON_ENCODE_ANY);
        lens[i] = strlen(text[i]);
        names[i] = "element";
    }
    one = simpeg_decode_records((const char *const *)text, lens, names, n, lim, &e);
    CHECK(!one == !p);
    CHECK(!one || !page_diff(one, p));
    CHECK(one || strcmp(e.msg, err->msg) == 0);
    page_free(one);
    for (size_t i = 0; i < n; i++)
        free(text[i]);
    free(text);
    free(lens);
    free(names);
    json_decref(arr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct simpeg_limits lim;
    struct error err = {{0}};
    struct page *p;
    const char *body;
    size_t len;
    int mode;

    if (size < 1)
        return 0;
    mode = data[0] % 6;
    body = (const char *)data + 1;
    len = size - 1;
    /* Every other field of the limits as the daemon sets them. */
    lim = simpeg_limits_for(500);
    if (mode >= 3) {
        lim.max_records = 4;
        lim.max_string = 24;
        lim.max_history = 3;
        mode -= 3;
    }
    switch (mode) {
    case 0:
        p = simpeg_decode_page(body, len, &lim, NULL, &err);
        check_split(body, len, &lim, p, &err);
        break;
    case 1:
        p = simpeg_decode_single(body, len, &lim, &err);
        break;
    default:
        p = simpeg_decode_any(body, len, &lim, &err);
        check_records(body, len, &lim, p, &err);
        break;
    }
    if (p) {
        check_page(p, &lim);
        if (mode == 0)
            CHECK(p->server_time_text && *p->server_time_text);
        if (mode == 1)
            CHECK(p->n_employees + p->n_rejected == 1);
    } else {
        CHECK(err.msg[0] && one_line(err.msg));
    }
    page_free(p);
    return 0;
}
