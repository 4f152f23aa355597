/* sim_index.c: the records' keys and their order: the NIP hash table, the
 * listing's order by (updatedAt, NIP), the changes that move a record to
 * its end, and the cursors that resume it. Callers hold s->lock, a read
 * lock to look up and the write lock to change; mutate takes it itself. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

static uint32_t nip_slot(const struct sim *s, uint64_t nip)
{
    return (uint32_t)(mix64(nip) & (s->n_slots - 1));
}

/* The index of the record with this NIP, or -1. */
int64_t nip_find(const struct sim *s, uint64_t nip)
{
    for (uint32_t h = nip_slot(s, nip);; h = (h + 1) & (s->n_slots - 1)) {
        uint32_t v = s->slots[h];

        if (!v)
            return -1;
        if (s->nip[v - 1] == nip)
            return v - 1;
    }
}

/* Parses an 18-digit NIP. */
int nip_parse(const char *t, uint64_t *out)
{
    uint64_t v = 0;

    if (strlen(t) != 18)
        return -1;
    for (int i = 0; i < 18; i++) {
        if (t[i] < '0' || t[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(t[i] - '0');
    }
    *out = v;
    return 0;
}

void nip_format(uint64_t nip, char *buf)
{
    for (int i = 17; i >= 0; i--) {
        buf[i] = (char)('0' + nip % 10);
        nip /= 10;
    }
    buf[18] = '\0';
}

/* The order: by (updatedAt, NIP). The NIPs are 18 digits, so the numeric
 * order is the text order. */
static const struct sim *sort_sim;

static int key_cmp(const struct sim *s, uint32_t a, uint32_t b)
{
    if (s->updated[a] != s->updated[b])
        return s->updated[a] < s->updated[b] ? -1 : 1;
    return s->nip[a] < s->nip[b] ? -1 : s->nip[a] > s->nip[b];
}

static int order_cmp(const void *a, const void *b)
{
    return key_cmp(sort_sim, *(const uint32_t *)a, *(const uint32_t *)b);
}

static void order_sort(struct sim *s, uint32_t from)
{
    sort_sim = s;
    qsort(s->order + from, s->n - from, sizeof(uint32_t), order_cmp);
}

/* The first position whose key is above (u, nip) (strictly, or not). */
uint32_t order_bound(const struct sim *s, uint32_t u, uint64_t nip, bool strict)
{
    uint32_t lo = 0, hi = s->n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, i = s->order[mid];
        bool before = s->updated[i] < u ||
                      (s->updated[i] == u && (strict ? s->nip[i] <= nip : s->nip[i] < nip));

        if (before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* After records were marked RF_MOVED with a new updatedAt, moves them to
 * their place: they all carry the same new time, later than nearly all. */
void order_fix(struct sim *s, uint32_t now)
{
    uint32_t w = 0, n_moved = 0;
    uint32_t *moved = malloc(sizeof(uint32_t) * s->n);

    if (!moved)
        abort();
    for (uint32_t k = 0; k < s->n; k++) {
        uint32_t i = s->order[k];

        if (s->flags[i] & RF_MOVED)
            moved[n_moved++] = i;
        else
            s->order[w++] = i;
    }
    memcpy(s->order + w, moved, n_moved * sizeof(uint32_t));
    for (uint32_t k = 0; k < n_moved; k++)
        s->flags[moved[k]] &= (uint8_t)~RF_MOVED;
    free(moved);
    /* Everything from the first key at `now` on is re-sorted. */
    uint32_t from = order_bound(s, now, 0, false);

    order_sort(s, from < w ? from : w);
}

/* Changes record i: a new version at updatedAt = now. Write lock held. */
void record_touch(struct sim *s, uint32_t i, uint32_t now, uint8_t add_flags)
{
    if (s->version[i] < UINT16_MAX)
        s->version[i]++;
    s->updated[i] = now;
    s->flags[i] |= add_flags | RF_MOVED;
}

static int index_alloc(struct sim *s)
{
    s->n_slots = 1;
    while (s->n_slots < s->n * 2u)
        s->n_slots <<= 1;
    s->nip = calloc(s->n, sizeof(*s->nip));
    s->updated = calloc(s->n, sizeof(*s->updated));
    s->version = calloc(s->n, sizeof(*s->version));
    s->flags = calloc(s->n, sizeof(*s->flags));
    s->order = calloc(s->n, sizeof(*s->order));
    s->slots = calloc(s->n_slots, sizeof(*s->slots));
    if (!s->nip || !s->updated || !s->version || !s->flags || !s->order || !s->slots)
        return -1;
    return 0;
}

/* Record i's key, from its identity, into the table. */
static void index_place(struct sim *s, uint32_t i)
{
    struct person p;
    unsigned seq;
    uint64_t nip;
    uint32_t h;

    person_identity(s, i, &p);
    seq = (p.defects & (1u << D_NIP_INVALID)) && p.nip_variant == 2 ? 0 : p.seq;
    /* A taken NIP moves to the next sequence number; 000 never results. */
    for (;;) {
        nip = nip_compose(&p, seq);
        if (nip_find(s, nip) < 0 && nip != POISON_NIP_NUM)
            break;
        seq = seq % 999 + 1;
    }
    s->nip[i] = nip;
    h = nip_slot(s, nip);
    while (s->slots[h])
        h = (h + 1) & (s->n_slots - 1);
    s->slots[h] = i + 1;
    s->updated[i] = p.updated;
    s->flags[i] = p.deleted ? RF_DELETED : 0;
    s->order[i] = i;
}

/* The index of every record; -1 when memory runs out. */
int sim_build(struct sim *s)
{
    if (index_alloc(s) < 0)
        return -1;
    for (uint32_t i = 0; i < s->n; i++)
        index_place(s, i);
    order_sort(s, 0);
    return 0;
}

/* Changes count records chosen by stream; write lock taken here. */
void mutate(struct sim *s, uint32_t count, uint64_t stream_no)
{
    struct rng r = rng_for(s->seed, stream_no, S_MUTATE);
    uint32_t now = (uint32_t)time(NULL);

    if (!count)
        return;
    pthread_rwlock_wrlock(&s->lock);
    for (uint32_t k = 0; k < count && k < s->n; k++)
        record_touch(s, rng_below(&r, s->n), now, 0);
    order_fix(s, now);
    pthread_rwlock_unlock(&s->lock);
}

/* ---- cursors: base64 of (version, updatedAt, NIP, [serial,] check) ---------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint32_t cursor_check(const struct sim *s, uint32_t u, uint64_t nip)
{
    return (uint32_t)mix64(s->seed ^ mix64(nip ^ ((uint64_t)u << 17)));
}

/* n bytes (17 or 21) as base64, '='-padded. */
static void b64_encode(const unsigned char *b, int n, char *out)
{
    int len = 0;

    for (int k = 0; k < n; k += 3) {
        uint32_t v = (uint32_t)b[k] << 16 | (uint32_t)(k + 1 < n ? b[k + 1] : 0) << 8 |
                     (k + 2 < n ? b[k + 2] : 0);

        out[len++] = b64[v >> 18];
        out[len++] = b64[(v >> 12) & 63];
        out[len++] = k + 1 < n ? b64[(v >> 6) & 63] : '=';
        out[len++] = k + 2 < n ? b64[v & 63] : '=';
    }
    out[len] = '\0';
}

/* len characters (a multiple of 4) into len / 4 * 3 bytes; '=' reads as
 * 'A'. -1 on a character outside the alphabet. */
static int b64_decode(const char *t, size_t len, unsigned char *b)
{
    int n = 0;

    for (size_t k = 0; k < len; k += 4) {
        uint32_t v = 0;

        for (int j = 0; j < 4; j++) {
            const char *q = t[k + j] == '=' ? b64 : strchr(b64, t[k + j]);

            if (!q || !t[k + j])
                return -1;
            v = v << 6 | (uint32_t)(q - b64);
        }
        b[n++] = (unsigned char)(v >> 16);
        b[n++] = (unsigned char)(v >> 8);
        b[n++] = (unsigned char)v;
    }
    return 0;
}

static void put_be(unsigned char *b, uint64_t v, int bytes)
{
    for (int k = 0; k < bytes; k++)
        b[k] = (unsigned char)(v >> (8 * (bytes - 1 - k)));
}

static uint64_t get_be(const unsigned char *b, int bytes)
{
    uint64_t v = 0;

    for (int k = 0; k < bytes; k++)
        v = v << 8 | b[k];
    return v;
}

void cursor_encode(const struct sim *s, uint32_t u, uint64_t nip, char *out)
{
    unsigned char b[17] = {1};

    put_be(b + 1, u, 4);
    put_be(b + 5, nip, 8);
    put_be(b + 13, cursor_check(s, u, nip), 4);
    b64_encode(b, 17, out);
}

/* Version 2 carries a serial number, so that the same key gives ever new
 * cursors. */
void cursor_encode_serial(const struct sim *s, uint32_t u, uint64_t nip, uint32_t serial, char *out)
{
    unsigned char b[21] = {2};

    put_be(b + 1, u, 4);
    put_be(b + 5, nip, 8);
    put_be(b + 13, serial, 4);
    put_be(b + 17, cursor_check(s, u, nip) ^ (uint32_t)mix64(serial), 4);
    b64_encode(b, 21, out);
}

int cursor_decode(const struct sim *s, const char *t, uint32_t *u, uint64_t *nip)
{
    unsigned char b[21];
    size_t len = strlen(t);
    uint32_t check;

    if (len == 24 && t[23] == '=') {
        if (b64_decode(t, 24, b) < 0 || b[0] != 1)
            return -1;
        check = (uint32_t)get_be(b + 13, 4);
    } else if (len == 28) {
        if (b64_decode(t, 28, b) < 0 || b[0] != 2)
            return -1;
        check = (uint32_t)get_be(b + 17, 4) ^ (uint32_t)mix64(get_be(b + 13, 4));
    } else {
        return -1;
    }
    *u = (uint32_t)get_be(b + 1, 4);
    *nip = get_be(b + 5, 8);
    return check == cursor_check(s, *u, *nip) ? 0 : -1;
}

void cursor_key_before(const struct sim *s, uint32_t pos, uint32_t *u, uint64_t *nip)
{
    *u = 0;
    *nip = 0;
    if (pos > 0 && pos <= s->n) {
        *u = s->updated[s->order[pos - 1]];
        *nip = s->nip[s->order[pos - 1]];
    }
}

/* ---- fields set by POST /admin/set ------------------------------------------------ */

const char *const set_field_names[N_SET_FIELDS] = {"nama", "opdNama", "opdId", "jabatanNama"};

const struct record_set *record_set_find(const struct sim *s, uint32_t i)
{
    if (!(s->flags[i] & RF_SET))
        return NULL;
    for (uint32_t k = 0; k < s->n_sets; k++) {
        if (s->sets[k].index == i)
            return &s->sets[k];
    }
    return NULL;
}

int record_set_put(struct sim *s, uint32_t i, enum set_field field, const char *value)
{
    struct record_set *r = (struct record_set *)record_set_find(s, i);
    char *copy = strdup(value);

    if (!copy)
        return -1;
    if (!r) {
        if (!s->sets)
            s->sets = calloc(MAX_SETS, sizeof(*s->sets));
        if (!s->sets || s->n_sets >= MAX_SETS) {
            free(copy);
            return -1;
        }
        r = &s->sets[s->n_sets++];
        r->index = i;
        s->flags[i] |= RF_SET;
    }
    free(r->v[field]);
    r->v[field] = copy;
    return 0;
}

void record_sets_free(struct sim *s)
{
    for (uint32_t k = 0; k < s->n_sets; k++) {
        for (int f = 0; f < N_SET_FIELDS; f++)
            free(s->sets[k].v[f]);
    }
    free(s->sets);
}
