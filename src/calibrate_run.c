/* calibrate_run.c: `ipasnd calibrate` over the database. Two passes over
 * the stored records of the active employees: the first scores them under
 * the configured rules and fills the tables, the second scores them again
 * under the rules with every suggestion applied, in memory only, to say
 * how far the suggestions take the agreement. Nothing is written. */
#include "autoconfig.h"

#include "calibrate.h"

#include "simpeg.h"
#include "store.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 1000

static const char *const dim_names[DIM_COUNT + 1] = {"kualifikasi", "kompetensi", "kinerja",
                                                     "disiplin", "total"};

struct pass {
    const struct config_index *idx;
    const struct official_value *official;
    size_t n_official;
    long long tolerance;         /* hundredths */
    struct calibration *tables;  /* the cells under the pass's rules */
    size_t employees;            /* in scope with an official value */
    size_t agree[DIM_COUNT + 1]; /* within the tolerance, the total last */
    struct error *err;
};

static int nip_cmp(const void *key, const void *item)
{
    return strcmp(key, ((const struct official_value *)item)->nip);
}

static void count_employee(struct pass *p, const struct employee *e)
{
    const struct official_value *o;
    struct official_points op;
    struct score s;
    int mine[DIM_COUNT + 1];

    if (!(o = bsearch(e->nip, p->official, p->n_official, sizeof(*o), nip_cmp)))
        return;
    if (score_employee(e, p->idx, &s) < 0 || !s.in_scope)
        return;
    mine[DIM_QUALIFICATION] = s.qualification * 10;
    mine[DIM_COMPETENCY] = s.competency * 10;
    mine[DIM_PERFORMANCE] = s.performance * 10;
    mine[DIM_DISCIPLINE] = s.discipline * 10;
    mine[DIM_COUNT] = s.total * 10;
    p->employees++;
    for (int d = 0; d <= DIM_COUNT; d++)
        p->agree[d] += llabs((long long)o->points[d] - mine[d]) <= p->tolerance;
    if (p->tables) {
        memcpy(op.dim, o->points, sizeof(op.dim));
        calibrate_add(p->tables, &s, &op);
    }
}

static int on_batch(void *ud, const char *const *nip, const char *const *text, const size_t *len,
                    size_t count)
{
    struct pass *p = ud;
    struct simpeg_limits lim = simpeg_limits_for(BATCH);
    struct page *pg;

    lim.max_records = count;
    lim.keep_raw = false;
    if (!(pg = simpeg_decode_records(text, len, nip, count, &lim, p->err)))
        return STORE_ERR;
    for (size_t i = 0; i < pg->n_employees; i++)
        count_employee(p, &pg->employees[i]);
    page_free(pg);
    return 0;
}

/* Dimension by dimension, the largest cells first. */
static int cell_cmp(const void *a, const void *b)
{
    const struct calib_cell *x = a, *y = b;

    if (x->dim != y->dim)
        return x->dim < y->dim ? -1 : 1;
    if (x->employees != y->employees)
        return x->employees > y->employees ? -1 : 1;
    return strcmp(x->label, y->label);
}

/* ---- output ---------------------------------------------------------------- */

/* 31204 -> "31,204" */
static const char *thousands(size_t n, char *buf, size_t size)
{
    char digits[32];
    size_t len = (size_t)snprintf(digits, sizeof(digits), "%zu", n), at = 0;

    for (size_t i = 0; i < len && at + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[at++] = ',';
        buf[at++] = digits[i];
    }
    buf[at] = '\0';
    return buf;
}

static double share_of(size_t k, size_t n)
{
    return n ? (double)k / (double)n : 0;
}

/* A share for JSON, to four decimals. */
static double ratio(size_t k, size_t n)
{
    return round(share_of(k, n) * 10000) / 10000;
}

/* "qualification.s1_d4" -> "qualification: { s1_d4 = 20.0; };" */
static void print_setting(FILE *out, const struct calib_suggestion *s)
{
    const char *dot = strrchr(s->key, '.');
    char n[32];

    fprintf(out, "%.*s: { %s = %d.%d; };  # BKN %g for %.1f%% of %s %s\n", (int)(dot - s->key),
            s->key, dot + 1, s->tenths / 10, s->tenths % 10, s->tenths / 10.0, 100 * s->share,
            thousands(s->employees, n, sizeof(n)), s->cell->label);
}

/* Cells of d without a dominant value, among those large enough. */
static void undominated(const struct calibration *c, enum dimension d, size_t *none,
                        size_t *counted)
{
    *none = *counted = 0;
    for (size_t i = 0; i < c->n_cells; i++)
        if (c->cells[i].dim == d && calibrate_cell_counts(&c->cells[i])) {
            (*counted)++;
            *none += !calibrate_cell_dominated(&c->cells[i]);
        }
}

/* A cell whose dominant value ipasnd still does not give once every
 * suggestion is applied (after: the cells of the second pass): several
 * indicators at once, or cells of one setting that disagree. */
static bool still_differs(const struct calib_cell *cell)
{
    double share;

    return calibrate_cell_dominated(cell) && cell->current >= 0 &&
           calibrate_mode(cell, &share) != cell->current;
}

static void print_unmatched(FILE *out, const struct calibration *after, enum dimension d)
{
    size_t n = 0;

    for (size_t i = 0; i < after->n_cells; i++) {
        const struct calib_cell *cell = &after->cells[i];
        double share;
        int mode;

        if (cell->dim != d || !still_differs(cell))
            continue;
        if (!n++)
            fprintf(out, "\n%s: no single setting gives BKN's value for", dim_names[d]);
        mode = calibrate_mode(cell, &share);
        fprintf(out, "\n  %s: BKN %.2f for %.1f%%, ipasnd %.2f", cell->label, mode / 100.0,
                100 * share, cell->current / 100.0);
    }
    if (n)
        fputc('\n', out);
}

static void print_text(FILE *out, int period, const struct pass *now, const struct pass *after,
                       const struct calibration *c, const struct calib_suggestion *s, size_t n)
{
    char k[32];

    fprintf(out, "Calibration against BKN's values for %d: %s employees with both values\n", period,
            thousands(now->employees, k, sizeof(k)));
    if (!now->employees) {
        fprintf(out,
                "No employee in scope has an official value for %d: load BKN's export"
                " with 'ipasnd import-official FILE'.\n",
                period);
        return;
    }
    for (int d = 0; d < DIM_COUNT; d++) {
        fprintf(out, "\n%s\n  %-46s %9s %8s %7s %8s\n", dim_names[d], "cell", "employees", "BKN",
                "share", "ipasnd");
        for (size_t i = 0; i < c->n_cells; i++) {
            const struct calib_cell *cell = &c->cells[i];
            double share;
            int mode;

            if ((int)cell->dim != d)
                continue;
            mode = calibrate_mode(cell, &share);
            fprintf(out, "  %-46.46s %9zu %8.2f %6.1f%% ", cell->label, cell->employees,
                    mode / 100.0, 100 * share);
            if (cell->current < 0)
                fprintf(out, "%8s\n", "mixed");
            else
                fprintf(out, "%8.2f\n", cell->current / 100.0);
        }
    }
    fprintf(out, "\nSettings that match BKN (paste into index.rules):\n");
    if (!n)
        fprintf(out, "  none: no cell of %d or more employees calls for a change\n",
                CALIBRATE_MIN_EMPLOYEES);
    for (size_t i = 0; i < n; i++) {
        fputs("  ", out);
        print_setting(out, &s[i]);
    }
    fprintf(out, "\nAgreement within %.2f points   now   with these settings\n",
            (double)now->tolerance / 100);
    for (int d = 0; d <= DIM_COUNT; d++)
        fprintf(out, "  %-28s %6.1f%% %6.1f%%\n", dim_names[d],
                100 * share_of(now->agree[d], now->employees),
                100 * share_of(after->agree[d], after->employees));
    for (int d = 0; d < DIM_COUNT; d++) {
        size_t none, counted;

        undominated(c, (enum dimension)d, &none, &counted);
        if (none)
            fprintf(out,
                    "\n%s: BKN's values are not a function of what ipasnd records here;"
                    " %.0f%% of cells have no dominant value\n",
                    dim_names[d], 100 * share_of(none, counted));
        print_unmatched(out, after->tables, (enum dimension)d);
    }
}

static json_t *json_cells(const struct calibration *c, enum dimension d)
{
    json_t *a = json_array();

    for (size_t i = 0; i < c->n_cells; i++) {
        const struct calib_cell *cell = &c->cells[i];
        double share;
        int mode;

        if (cell->dim != d)
            continue;
        mode = calibrate_mode(cell, &share);
        json_array_append_new(
            a, json_pack("{s:s, s:s?, s:I, s:f, s:f, s:o}", "cell", cell->label, "setting",
                         cell->key, "employees", (json_int_t)cell->employees, "value", mode / 100.0,
                         "share", round(share * 1000) / 1000, "ipasnd",
                         cell->current < 0 ? json_null() : json_real(cell->current / 100.0)));
    }
    return a;
}

static json_t *json_unmatched(const struct calibration *after, enum dimension d)
{
    json_t *a = json_array();

    for (size_t i = 0; i < after->n_cells; i++)
        if (after->cells[i].dim == d && still_differs(&after->cells[i]))
            json_array_append_new(a, json_string(after->cells[i].label));
    return a;
}

static void print_json(FILE *out, int period, const struct pass *now, const struct pass *after,
                       const struct calibration *c, const struct calib_suggestion *s, size_t n)
{
    json_t *root = json_object(), *dims = json_array(), *sugg = json_array();
    char key[96];

    for (int d = 0; d <= DIM_COUNT; d++) {
        json_t *o = json_pack("{s:s, s:f, s:f}", "dimension", dim_names[d], "agreement",
                              ratio(now->agree[d], now->employees), "agreement_after",
                              ratio(after->agree[d], after->employees));
        size_t none = 0, counted = 0;

        if (d < DIM_COUNT) {
            undominated(c, (enum dimension)d, &none, &counted);
            json_object_set_new(o, "cells", json_cells(c, (enum dimension)d));
            json_object_set_new(o, "explained", json_boolean(!none));
            json_object_set_new(o, "cells_without_dominant_value", json_integer((json_int_t)none));
            json_object_set_new(o, "cells_no_setting_gives",
                                json_unmatched(after->tables, (enum dimension)d));
        }
        json_array_append_new(dims, o);
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof(key), "index.rules.%s", s[i].key);
        json_array_append_new(sugg, json_pack("{s:s, s:f, s:f, s:I}", "key", key, "value",
                                              s[i].tenths / 10.0, "share",
                                              round(s[i].share * 1000) / 1000, "employees",
                                              (json_int_t)s[i].employees));
    }
    json_object_set_new(root, "period", json_integer(period));
    json_object_set_new(root, "employees", json_integer((json_int_t)now->employees));
    json_object_set_new(root, "tolerance", json_real((double)now->tolerance / 100));
    json_object_set_new(root, "dimensions", dims);
    json_object_set_new(root, "suggestions", sugg);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    fputc('\n', out);
    json_decref(root);
}

/* ---- the command -------------------------------------------------------- */

int calibrate_run(struct store *st, const struct config *cfg, int period, bool json, FILE *out,
                  struct error *err)
{
    struct config_index want = cfg->index, idx, tuned;
    struct calibration tables = {0}, tables_after = {0};
    struct calib_suggestion *sugg = NULL;
    struct official_value *official = NULL;
    struct pass now = {0}, after = {0};
    size_t n_official = 0, n_sugg = 0;
    const char *inst = cfg->source.instansi_id;
    int rc;

    if (period)
        want.period = period;
    config_resolve_index(&want, date_today_utc(), &idx);
    if ((rc = store_official_values(st, inst, idx.period, &official, &n_official, err)) < 0)
        goto out;
    now = (struct pass){.idx = &idx,
                        .official = official,
                        .n_official = n_official,
                        .tolerance = llround(cfg->quality.ipasn_tolerance * 100.0),
                        .tables = &tables,
                        .err = err};
    /* Without official values there is nothing to read the records for. */
    if (n_official && (rc = store_scan_raw(st, inst, BATCH, on_batch, &now, err)) < 0)
        goto out;
    if (tables.n_cells)
        qsort(tables.cells, tables.n_cells, sizeof(*tables.cells), cell_cmp);
    n_sugg = calibrate_suggest(&tables, &idx.rules, &sugg);
    tuned = idx;
    calibrate_apply(sugg, n_sugg, &tuned.rules);
    after = now;
    after.idx = &tuned;
    after.tables = &tables_after;
    after.employees = 0;
    memset(after.agree, 0, sizeof(after.agree));
    if (n_official && (rc = store_scan_raw(st, inst, BATCH, on_batch, &after, err)) < 0)
        goto out;
    if (tables_after.n_cells)
        qsort(tables_after.cells, tables_after.n_cells, sizeof(*tables_after.cells), cell_cmp);
    (json ? print_json : print_text)(out, idx.period, &now, &after, &tables, sugg, n_sugg);
out:
    free(sugg);
    free(official);
    calibration_free(&tables);
    calibration_free(&tables_after);
    return rc < 0 ? rc : 0;
}
