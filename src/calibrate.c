/* calibrate.c: the cross-tabulations and the settings they call for (see
 * calibrate.h). Every cell of a dimension is named by what score.c found
 * for the employee, so a cell's setting is the one score.c used. */
#include "autoconfig.h"

#include "calibrate.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Each setting a cell can name, and where struct rules holds it. */
#define RULE(key, member)                                                                          \
    {                                                                                              \
        key, offsetof(struct rules, member)                                                        \
    }
static const struct {
    const char *key;
    size_t offset;
} settings[] = {
    RULE("qualification.s3", qual_s3),
    RULE("qualification.s2", qual_s2),
    RULE("qualification.s1_d4", qual_s1),
    RULE("qualification.d3", qual_d3),
    RULE("qualification.slta_d2_d1", qual_slta),
    RULE("qualification.sltp", qual_sltp),
    RULE("qualification.none", qual_none),
    RULE("struktural.leadership", struktural_leadership),
    RULE("struktural.technical", struktural_technical),
    RULE("struktural.seminar", struktural_seminar),
    RULE("fungsional.functional", fungsional_functional),
    RULE("fungsional.technical", fungsional_technical),
    RULE("fungsional.seminar", fungsional_seminar),
    RULE("pelaksana.technical", pelaksana_technical),
    RULE("pelaksana.seminar", pelaksana_seminar),
    RULE("performance.sangat_baik", perf_sangat_baik),
    RULE("performance.baik", perf_baik),
    RULE("performance.cukup", perf_cukup),
    RULE("performance.kurang", perf_kurang),
    RULE("performance.sangat_kurang", perf_sangat_kurang),
    RULE("performance.none", perf_none),
    RULE("discipline.none", disc_none),
    RULE("discipline.ringan", disc_ringan),
    RULE("discipline.sedang", disc_sedang),
    RULE("discipline.berat", disc_berat),
};
#undef RULE

static int *setting_of(struct rules *r, const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
        if (strcmp(settings[i].key, key) == 0)
            return (int *)(void *)((char *)r + settings[i].offset);
    assert_not_reached();
    return NULL;
}

static int setting_value(const struct rules *r, const char *key)
{
    return *setting_of((struct rules *)(uintptr_t)r, key);
}

/* ---- which cell an employee falls in --------------------------------------- */

static void qualification_cell(const struct score *s, const char **label, const char **key)
{
    static const struct {
        const char *label, *key;
    } by_level[] = {
        [EDU_NONE] = {"no education record", "qualification.none"},
        [EDU_UNKNOWN] = {"education of no known level", "qualification.none"},
        [EDU_SLTP] = {"SLTP and below", "qualification.sltp"},
        [EDU_SLTA] = {"SLTA/D-I/D-II", "qualification.slta_d2_d1"},
        [EDU_D3] = {"D-III", "qualification.d3"},
        [EDU_S1] = {"S-1/D-IV", "qualification.s1_d4"},
        [EDU_S2] = {"S-2", "qualification.s2"},
        [EDU_S3] = {"S-3", "qualification.s3"},
    };

    *label = by_level[s->edu_level].label;
    *key = by_level[s->edu_level].key;
}

static void performance_cell(const struct score *s, char *label, size_t size, const char **key)
{
    static const char *const keys[] = {
        [PREDIKAT_NONE] = "performance.none",
        [PREDIKAT_SANGAT_KURANG] = "performance.sangat_kurang",
        [PREDIKAT_KURANG] = "performance.kurang",
        [PREDIKAT_CUKUP] = "performance.cukup",
        [PREDIKAT_BAIK] = "performance.baik",
        [PREDIKAT_SANGAT_BAIK] = "performance.sangat_baik",
    };

    if (s->predikat == PREDIKAT_NONE)
        snprintf(label, size, "no SKP");
    else
        snprintf(label, size, "%s %s", s->skp_from_score ? "SKP score band" : "SKP predikat",
                 predikat_name(s->predikat));
    *key = keys[s->predikat];
}

static void discipline_cell(const struct score *s, const char **label, const char **key)
{
    switch (s->sanction) {
    case SANCTION_RINGAN:
        *label = "sanction ringan", *key = "discipline.ringan";
        return;
    case SANCTION_SEDANG:
        *label = "sanction sedang", *key = "discipline.sedang";
        return;
    case SANCTION_BERAT:
        *label = "sanction berat", *key = "discipline.berat";
        return;
    default:
        *label = "no sanction", *key = "discipline.none";
        return;
    }
}

static bool earned(const struct score *s, enum indicator i)
{
    const struct indicator_score *ind = &s->ind[i];

    return ind->applies && ind->max > 0 && ind->points == ind->max;
}

/* Position and the indicators earned: one earned indicator names its
 * setting; none or several name no one setting. */
static void competency_cell(const struct score *s, char *label, size_t size, const char **key)
{
    static const enum indicator parts[] = {IND_LEADERSHIP, IND_FUNCTIONAL, IND_TECHNICAL,
                                           IND_SEMINAR};
    const char *pos = position_type_name(s->position);
    size_t n = 0, at;
    int only = -1;

    at = (size_t)snprintf(label, size, "%s:", pos);
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        if (!earned(s, parts[i]))
            continue;
        n++;
        only = (int)i;
        if (at < size)
            at += (size_t)snprintf(label + at, size - at, "%s%s", n > 1 ? " + " : " ",
                                   indicator_name(parts[i]));
    }
    if (!n && at < size)
        snprintf(label + at, size - at, " none");
    *key = NULL;
    if (n == 1 && s->ruleset == RULESET_BKN2019) {
        static const char *const table[][4] = {
            [POSITION_STRUKTURAL] = {"struktural.leadership", NULL, "struktural.technical",
                                     "struktural.seminar"},
            [POSITION_FUNGSIONAL] = {NULL, "fungsional.functional", "fungsional.technical",
                                     "fungsional.seminar"},
            [POSITION_PELAKSANA] = {NULL, NULL, "pelaksana.technical", "pelaksana.seminar"},
        };

        *key = table[s->position][only];
    }
}

/* ---- counting ------------------------------------------------------------ */

static struct calib_cell *cell_for(struct calibration *c, enum dimension d, const char *label,
                                   const char *key)
{
    struct calib_cell *cell;

    for (size_t i = 0; i < c->n_cells; i++)
        if (c->cells[i].dim == d && strcmp(c->cells[i].label, label) == 0)
            return &c->cells[i];
    c->cells = xrealloc(c->cells, (c->n_cells + 1) * sizeof(*c->cells));
    cell = &c->cells[c->n_cells++];
    memset(cell, 0, sizeof(*cell));
    cell->dim = d;
    snprintf(cell->label, sizeof(cell->label), "%s", label);
    cell->key = key;
    cell->current = INT32_MIN;
    return cell;
}

static void count(struct calib_cell *cell, int official, int current)
{
    size_t i;

    cell->employees++;
    if (cell->current == INT32_MIN)
        cell->current = current;
    else if (cell->current != current)
        cell->current = -1;
    for (i = 0; i < cell->n_values; i++)
        if (cell->values[i].hundredths == official)
            break;
    if (i == cell->n_values) {
        cell->values = xrealloc(cell->values, (cell->n_values + 1) * sizeof(*cell->values));
        cell->values[cell->n_values++] = (struct calib_value){official, 0};
    }
    cell->values[i].count++;
}

void calibrate_add(struct calibration *c, const struct score *s, const struct official_points *o)
{
    const int mine[DIM_COUNT] = {s->qualification * 10, s->competency * 10, s->performance * 10,
                                 s->discipline * 10};
    char label[64];
    const char *l, *key;

    qualification_cell(s, &l, &key);
    count(cell_for(c, DIM_QUALIFICATION, l, key), o->dim[DIM_QUALIFICATION],
          mine[DIM_QUALIFICATION]);
    competency_cell(s, label, sizeof(label), &key);
    count(cell_for(c, DIM_COMPETENCY, label, key), o->dim[DIM_COMPETENCY], mine[DIM_COMPETENCY]);
    performance_cell(s, label, sizeof(label), &key);
    count(cell_for(c, DIM_PERFORMANCE, label, key), o->dim[DIM_PERFORMANCE], mine[DIM_PERFORMANCE]);
    discipline_cell(s, &l, &key);
    count(cell_for(c, DIM_DISCIPLINE, l, key), o->dim[DIM_DISCIPLINE], mine[DIM_DISCIPLINE]);
}

int calibrate_mode(const struct calib_cell *cell, double *share)
{
    const struct calib_value *best = NULL;

    for (size_t i = 0; i < cell->n_values; i++) {
        const struct calib_value *v = &cell->values[i];

        if (!best || v->count > best->count ||
            (v->count == best->count && v->hundredths < best->hundredths))
            best = v;
    }
    *share = best && cell->employees ? (double)best->count / (double)cell->employees : 0;
    return best ? best->hundredths : 0;
}

bool calibrate_cell_counts(const struct calib_cell *cell)
{
    return cell->employees >= CALIBRATE_MIN_EMPLOYEES;
}

bool calibrate_cell_dominated(const struct calib_cell *cell)
{
    double share;

    (void)calibrate_mode(cell, &share);
    return calibrate_cell_counts(cell) && share >= CALIBRATE_MIN_SHARE;
}

/* ---- suggestions ------------------------------------------------------- */

size_t calibrate_suggest(const struct calibration *c, const struct rules *r,
                         struct calib_suggestion **out)
{
    struct calib_suggestion *v = NULL;
    size_t n = 0;

    for (size_t i = 0; i < c->n_cells; i++) {
        const struct calib_cell *cell = &c->cells[i];
        struct calib_suggestion s = {.key = cell->key, .cell = cell, .employees = cell->employees};
        int mode = calibrate_mode(cell, &s.share);
        bool conflict = false;

        /* A setting holds tenths: a value in hundredths it cannot hold is
         * no setting's. */
        if (!cell->key || !calibrate_cell_dominated(cell) || mode % 10)
            continue;
        s.tenths = mode / 10;
        /* Every dominated cell of the same key must call for the same value
         * (an SKP predikat and a score band both name performance.baik). */
        for (size_t j = 0; j < c->n_cells; j++) {
            const struct calib_cell *o = &c->cells[j];
            double sh;

            if (j != i && o->key && !strcmp(o->key, cell->key) && calibrate_cell_dominated(o) &&
                calibrate_mode(o, &sh) != mode)
                conflict = true;
        }
        if (conflict || s.tenths == setting_value(r, cell->key))
            continue;
        for (size_t k = 0; k < n && s.key; k++)
            if (!strcmp(v[k].key, s.key)) {
                v[k].employees += s.employees; /* the same value, from another cell */
                s.key = NULL;
            }
        if (!s.key)
            continue;
        v = xrealloc(v, (n + 1) * sizeof(*v));
        v[n++] = s;
    }
    *out = v;
    return n;
}

void calibrate_apply(const struct calib_suggestion *s, size_t n, struct rules *r)
{
    for (size_t i = 0; i < n; i++)
        *setting_of(r, s[i].key) = s[i].tenths;
}

void calibration_free(struct calibration *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_cells; i++)
        free(c->cells[i].values);
    free(c->cells);
    memset(c, 0, sizeof(*c));
}
