/* official.c: see official.h. */
#include "autoconfig.h"

#include "official.h"

#include "config.h"
#include "csvfile.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The export's columns, found by name; NAMA is there but never read. */
enum column {
    C_NIP,
    C_KUALIFIKASI,
    C_KOMPETENSI,
    C_KINERJA,
    C_DISIPLIN,
    C_TOTAL,
    C_TAHUN,
    C_UPDATED,
    C_COUNT
};
static const char *const column_names[C_COUNT] = {
    "nip", "kualifikasi", "kompetensi", "kinerja", "disiplin", "total", "tahun", "updated",
};

/* A sum of the four may differ from the total by BKN's rounding. */
#define TOTAL_SLACK 5 /* hundredths */

int official_points(const char *s)
{
    int whole = 0, frac = 0, digits = 0, decimals = 0;
    const char *p = s;

    for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
        whole = whole * 10 + (*p - '0');
    if (!digits)
        return -1;
    if (*p == ',' || *p == '.') {
        for (p++; *p >= '0' && *p <= '9' && decimals < 3; p++, decimals++)
            frac = frac * 10 + (*p - '0');
        if (!decimals || decimals > 2)
            return -1;
        if (decimals == 1)
            frac *= 10;
    }
    if (*p || whole > 100 || (whole == 100 && frac))
        return -1;
    return whole * 100 + frac;
}

/* Row r into *o; 0, or -1 with why saying what sets it aside. */
static int check_row(const struct csvfile *f, size_t r, const int *col, int period,
                     struct official_row *o, char *why, size_t size)
{
    int *points[] = {&o->qualification, &o->competency, &o->performance, &o->discipline, &o->total};
    const char *v = csvfile_value(csvfile_field(f, r, col[C_NIP]));
    char q[96];
    int64_t year = 0;
    int sum;

    memset(o, 0, sizeof(*o));
    o->line = f->rows[r].line;
    text_quote(q, sizeof(q), v);
    if (!nip_well_formed(v)) {
        snprintf(why, size, "NIP %s: %s", q, nip_shape_text(nip_check(v)));
        return -1;
    }
    memcpy(o->nip, v, sizeof(o->nip));
    for (int c = C_KUALIFIKASI; c <= C_TOTAL; c++) {
        v = csvfile_value(csvfile_field(f, r, col[c]));
        if ((*points[c - C_KUALIFIKASI] = official_points(v)) < 0) {
            text_quote(q, sizeof(q), v);
            snprintf(why, size, "%s %s is not a number of points from 0 to 100", column_names[c],
                     q);
            return -1;
        }
    }
    sum = o->qualification + o->competency + o->performance + o->discipline;
    if (abs(sum - o->total) > TOTAL_SLACK) {
        snprintf(why, size, "total %d.%02d is not the sum of the four dimensions, %d.%02d",
                 o->total / 100, o->total % 100, sum / 100, sum % 100);
        return -1;
    }
    v = csvfile_value(csvfile_field(f, r, col[C_TAHUN]));
    text_quote(q, sizeof(q), v);
    if (*v && parse_int64(v, PERIOD_MIN, PERIOD_MAX, &year) < 0) {
        snprintf(why, size, "tahun %s is not a year from %d to %d", q, PERIOD_MIN, PERIOD_MAX);
        return -1;
    }
    o->period = *v ? (int)year : period;
    if (!o->period) {
        snprintf(why, size, "no tahun, and no --period to take");
        return -1;
    }
    if (period && o->period != period) {
        snprintf(why, size, "tahun %d is not the period %d asked for", o->period, period);
        return -1;
    }
    v = csvfile_value(csvfile_field(f, r, col[C_UPDATED]));
    if (date_parse(v, &o->updated) == DATE_BAD) {
        text_quote(q, sizeof(q), v);
        snprintf(why, size, "updated %s is not a date (dd-mm-yyyy)", q);
        return -1;
    }
    return 0;
}

static int row_cmp(const void *a, const void *b)
{
    const struct official_row *x = a, *y = b;
    int c = strcmp(x->nip, y->nip);

    if (!c)
        c = (x->period > y->period) - (x->period < y->period);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void add_bad(struct official_file *out, const char *path, size_t line, const char *why)
{
    struct strbuf m = {0};

    strbuf_append(&m, "%s:%zu: %s", path, line, why);
    out->bad = xrealloc(out->bad, (out->n_bad + 1) * sizeof(*out->bad));
    out->bad[out->n_bad++] = m.s;
}

/* A NIP twice for one period: the first row counts, a later one is set
 * aside (rows end in NIP order). */
static void drop_repeated(const char *path, struct official_file *out)
{
    size_t kept = 0;
    char why[80];

    qsort(out->rows, out->n_rows, sizeof(*out->rows), row_cmp);
    for (size_t i = 0; i < out->n_rows; i++) {
        const struct official_row *o = &out->rows[i];

        if (kept && !strcmp(out->rows[kept - 1].nip, o->nip) &&
            out->rows[kept - 1].period == o->period) {
            snprintf(why, sizeof(why), "NIP %s for %d again, first on line %zu", o->nip, o->period,
                     out->rows[kept - 1].line);
            add_bad(out, path, o->line, why);
            continue;
        }
        out->rows[kept++] = *o;
    }
    out->n_rows = kept;
}

int official_read(const char *path, int period, struct official_file *out, struct error *err)
{
    struct csvfile *f = NULL;
    int col[C_COUNT];
    memset(out, 0, sizeof(*out));
    if (csvfile_read(path, OFFICIAL_FILE_MAX, &f, err) < 0)
        return -1;
    for (int c = 0; c < C_COUNT; c++) {
        /* UPDATED is BKN's own date: a file without it loads without one. */
        if ((col[c] = csvfile_column(f, column_names[c])) < 0 && c != C_UPDATED) {
            error_set(err,
                      "%s:1: no column %s (BKN's IP ASN export has NIP;NAMA;KUALIFIKASI;"
                      "KOMPETENSI;KINERJA;DISIPLIN;TOTAL;TAHUN;UPDATED)",
                      path, column_names[c]);
            csvfile_free(f);
            return -1;
        }
    }
    out->rows = xcalloc(f->n_rows ? f->n_rows : 1, sizeof(*out->rows));
    for (size_t r = 0; r < f->n_rows; r++) {
        char why[200];

        if (check_row(f, r, col, period, &out->rows[out->n_rows], why, sizeof(why)) == 0)
            out->n_rows++;
        else
            add_bad(out, path, f->rows[r].line, why);
    }
    csvfile_free(f);
    drop_repeated(path, out);
    return 0;
}

void official_file_free(struct official_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_bad; i++)
        free(f->bad[i]);
    free(f->bad);
    free(f->rows);
    memset(f, 0, sizeof(*f));
}
