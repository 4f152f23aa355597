/* siasn_roster.c: see siasn_roster.h. */
#include "siasn_roster.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"

/* What the roster owns besides its arrays. */
struct roster_owner {
    struct csvfile *csv;
    char (*why)[48]; /* one message per row set aside */
};

/* The columns that fill an entry, and where each goes. */
#define GAP(col, field)                                                                            \
    {                                                                                              \
        col, offsetof(struct siasn_roster_entry, field)                                            \
    }
static const struct {
    const char *column;
    size_t off;
} gaps[] = {
    GAP("status_cpns_pns", status_cpns_pns),
    GAP("kedudukan_hukum_id", kedudukan_hukum_id),
    GAP("kedudukan_hukum_nama", kedudukan_hukum_nama),
    GAP("pns_id", pns_id),
    GAP("nama", nama),
    GAP("tanggal_lahir", tanggal_lahir),
    GAP("jenis_kelamin", jenis_kelamin),
    GAP("unor_id", unor_id),
    GAP("unor_nama", unor_nama),
};
#undef GAP
#define N_GAPS (sizeof(gaps) / sizeof(gaps[0]))

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            return false;
    return true;
}

static int nip_cmp(const void *a, const void *b)
{
    const struct siasn_roster_entry *const *x = a, *const *y = b;
    int c = strcmp((*x)->nip, (*y)->nip);

    /* Equal NIPs keep file order: the first is the one kept. */
    return c ? c : (*x < *y ? -1 : *x > *y);
}

/* Sets aside every NIP after its first row; entries keep file order. */
static void drop_duplicates(struct siasn_roster *r, struct roster_owner *o)
{
    const struct siasn_roster_entry **by = xcalloc(r->n + 1, sizeof(*by));
    bool *dup = xcalloc(r->n + 1, sizeof(*dup));
    size_t kept = 0, first = 0;

    for (size_t i = 0; i < r->n; i++)
        by[i] = &r->entries[i];
    qsort(by, r->n, sizeof(*by), nip_cmp);
    for (size_t i = 1; i < r->n; i++) {
        size_t k = (size_t)(by[i] - r->entries), b = r->n_bad;

        if (strcmp(by[i]->nip, by[first]->nip) != 0) {
            first = i;
            continue;
        }
        dup[k] = true;
        snprintf(o->why[b], sizeof(o->why[b]), "again, first on line %zu",
                 r->line[by[first] - r->entries]);
        r->bad[b] = (struct siasn_roster_bad){r->line[k], r->entries[k].nip, o->why[b]};
        r->n_bad++;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (dup[i])
            continue;
        r->entries[kept] = r->entries[i];
        r->line[kept++] = r->line[i];
    }
    r->n = kept;
    free(by);
    free(dup);
}

int siasn_roster_read(const char *path, size_t max_bytes, struct siasn_roster **out,
                      struct error *err)
{
    struct siasn_roster *r = xcalloc(1, sizeof(*r));
    struct roster_owner *o = xcalloc(1, sizeof(*o));
    int nip_col, col[N_GAPS];

    *out = NULL;
    r->owner = o;
    if (csvfile_read(path, max_bytes, &o->csv, err) < 0)
        goto fail;
    if ((nip_col = csvfile_column(o->csv, "nip_baru")) < 0) {
        error_set(err, "%s:1: no nip_baru column", path);
        goto fail;
    }
    for (size_t g = 0; g < N_GAPS; g++)
        col[g] = csvfile_column(o->csv, gaps[g].column);
    r->entries = xcalloc(o->csv->n_rows + 1, sizeof(*r->entries));
    r->line = xcalloc(o->csv->n_rows + 1, sizeof(*r->line));
    r->bad = xcalloc(o->csv->n_rows + 1, sizeof(*r->bad));
    o->why = xcalloc(o->csv->n_rows + 1, sizeof(*o->why));
    for (size_t i = 0; i < o->csv->n_rows; i++) {
        const char *nip = csvfile_value(csvfile_field(o->csv, i, nip_col));
        struct siasn_roster_entry *e = &r->entries[r->n];

        if (!all_digits(nip, 18)) {
            r->bad[r->n_bad++] =
                (struct siasn_roster_bad){o->csv->rows[i].line, nip, "not 18 digits"};
            continue;
        }
        memcpy(e->nip, nip, 19);
        for (size_t g = 0; g < N_GAPS; g++)
            *(const char **)((char *)e + gaps[g].off) =
                csvfile_value(csvfile_field(o->csv, i, col[g]));
        r->line[r->n++] = o->csv->rows[i].line;
    }
    drop_duplicates(r, o);
    *out = r;
    return 0;
fail:
    siasn_roster_free(r);
    return -1;
}

void siasn_roster_free(struct siasn_roster *r)
{
    struct roster_owner *o;

    if (!r)
        return;
    o = r->owner;
    if (o) {
        csvfile_free(o->csv);
        free(o->why);
        free(o);
    }
    free(r->entries);
    free(r->line);
    free(r->bad);
    free(r);
}
