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
        if (nip_find(s, nip) < 0)
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

/* ---- cursors: base64 of (version, updatedAt, NIP, check) ------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint32_t cursor_check(const struct sim *s, uint32_t u, uint64_t nip)
{
    return (uint32_t)mix64(s->seed ^ mix64(nip ^ ((uint64_t)u << 17)));
}

void cursor_encode(const struct sim *s, uint32_t u, uint64_t nip, char *out)
{
    unsigned char b[18] = {1};
    uint32_t c = cursor_check(s, u, nip);
    int n = 0;

    for (int k = 0; k < 4; k++)
        b[1 + k] = (unsigned char)(u >> (24 - 8 * k));
    for (int k = 0; k < 8; k++)
        b[5 + k] = (unsigned char)(nip >> (56 - 8 * k));
    for (int k = 0; k < 4; k++)
        b[13 + k] = (unsigned char)(c >> (24 - 8 * k));
    /* 17 bytes: five full groups, then two bytes and one '='. */
    for (int k = 0; k < 17; k += 3) {
        uint32_t v = (uint32_t)b[k] << 16 | (uint32_t)b[k + 1] << 8 | (k + 2 < 17 ? b[k + 2] : 0);

        out[n++] = b64[v >> 18];
        out[n++] = b64[(v >> 12) & 63];
        out[n++] = b64[(v >> 6) & 63];
        out[n++] = k + 2 < 17 ? b64[v & 63] : '=';
    }
    out[n] = '\0';
}

int cursor_decode(const struct sim *s, const char *t, uint32_t *u, uint64_t *nip)
{
    unsigned char b[18];
    int n = 0;

    if (strlen(t) != 24 || t[23] != '=')
        return -1;
    for (int k = 0; k < 24; k += 4) {
        uint32_t v = 0;

        for (int j = 0; j < 4; j++) {
            const char *q = t[k + j] == '=' ? b64 : strchr(b64, t[k + j]);

            if (!q || !t[k + j])
                return -1;
            v = v << 6 | (uint32_t)(q - b64);
        }
        b[n++] = (unsigned char)(v >> 16);
        b[n++] = (unsigned char)(v >> 8);
        if (n < 18)
            b[n++] = (unsigned char)v;
    }
    if (b[0] != 1)
        return -1;
    *u = 0;
    *nip = 0;
    for (int k = 0; k < 4; k++)
        *u = *u << 8 | b[1 + k];
    for (int k = 0; k < 8; k++)
        *nip = *nip << 8 | b[5 + k];
    uint32_t c = 0;
    for (int k = 0; k < 4; k++)
        c = c << 8 | b[13 + k];
    return c == cursor_check(s, *u, *nip) ? 0 : -1;
}
