/* calibrate: the cross-tabulation of what ipasnd knows of each employee
 * against BKN's points, the cells' dominant values, and the settings they
 * call for: only from a cell of at least 30 where one value holds 90%,
 * only where the setting differs, never when two cells of one setting
 * disagree. No database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"

static struct config *cfg;

/* An employee as score.c would leave it under the default rules. */
struct who {
    enum edu_level edu;
    enum predikat predikat;
    bool from_score;
    enum sanction_level sanction;
    enum position_type position;
    bool lead, func, tech, sem;
};

static struct score scored(const struct who *w)
{
    const struct rules *r = &cfg->index.rules;
    static const int qual[] = {[EDU_NONE] = 0, [EDU_UNKNOWN] = 0, [EDU_SLTP] = 10, [EDU_SLTA] = 50,
                               [EDU_D3] = 100, [EDU_S1] = 150,    [EDU_S2] = 200,  [EDU_S3] = 250};
    static const int perf[] = {
        [PREDIKAT_NONE] = 0,    [PREDIKAT_SANGAT_KURANG] = 10, [PREDIKAT_KURANG] = 50,
        [PREDIKAT_CUKUP] = 150, [PREDIKAT_BAIK] = 250,         [PREDIKAT_SANGAT_BAIK] = 300};
    static const int disc[] = {[SANCTION_NONE] = 50,
                               [SANCTION_RINGAN] = 30,
                               [SANCTION_SEDANG] = 20,
                               [SANCTION_BERAT] = 10};
    struct score s;

    memset(&s, 0, sizeof(s));
    s.ruleset = RULESET_BKN2019;
    s.in_scope = true;
    s.position = w->position ? w->position : POSITION_PELAKSANA;
    s.edu_level = w->edu;
    s.predikat = w->predikat;
    s.skp_from_score = w->from_score;
    s.sanction = w->sanction;
    s.qualification = qual[w->edu];
    s.performance = perf[w->predikat];
    s.discipline = disc[w->sanction];
    s.ind[IND_LEADERSHIP] =
        (struct indicator_score){s.position == POSITION_STRUKTURAL, w->lead ? 150 : 0, 150, ""};
    s.ind[IND_FUNCTIONAL] =
        (struct indicator_score){s.position == POSITION_FUNGSIONAL, w->func ? 150 : 0, 150, ""};
    s.ind[IND_TECHNICAL] = (struct indicator_score){true, w->tech ? r->pelaksana_technical : 0,
                                                    r->pelaksana_technical, ""};
    s.ind[IND_SEMINAR] =
        (struct indicator_score){true, w->sem ? r->pelaksana_seminar : 0, r->pelaksana_seminar, ""};
    for (int i = IND_LEADERSHIP; i <= IND_SEMINAR; i++)
        s.competency += s.ind[i].applies ? s.ind[i].points : 0;
    return s;
}

/* n employees w, BKN giving them the points bkn (hundredths, by dimension). */
static void add(struct calibration *c, size_t n, const struct who *w, int q, int comp, int p, int d)
{
    struct score s = scored(w);
    struct official_points o = {{q, comp, p, d}};

    for (size_t i = 0; i < n; i++)
        calibrate_add(c, &s, &o);
}

static const struct calib_cell *cell(const struct calibration *c, enum dimension d,
                                     const char *label)
{
    for (size_t i = 0; i < c->n_cells; i++)
        if (c->cells[i].dim == d && !strcmp(c->cells[i].label, label))
            return &c->cells[i];
    fail_msg("no cell '%s'", label);
    return NULL;
}

static void test_cells(void **state)
{
    struct calibration c = {0};
    const struct calib_cell *x;
    double share;

    (void)state;
    add(&c, 97, &(struct who){.edu = EDU_S1}, 2000, 0, 0, 500);
    add(&c, 3, &(struct who){.edu = EDU_S1}, 1500, 0, 0, 500);
    add(&c, 5, &(struct who){.edu = EDU_S2, .predikat = PREDIKAT_BAIK, .from_score = true}, 2000, 0,
        2500, 500);
    add(&c, 4, &(struct who){.edu = EDU_D3, .sanction = SANCTION_RINGAN, .tech = true}, 1000, 2250,
        0, 400);
    add(&c, 2, &(struct who){.position = POSITION_STRUKTURAL, .lead = true, .sem = true}, 0, 2500,
        0, 500);

    x = cell(&c, DIM_QUALIFICATION, "S-1/D-IV");
    assert_int_equal(x->employees, 100);
    assert_int_equal(calibrate_mode(x, &share), 2000);
    assert_true(share > 0.9699 && share < 0.9701);
    assert_string_equal(x->key, "qualification.s1_d4");
    assert_int_equal(x->current, 1500);
    assert_true(calibrate_cell_dominated(x));

    x = cell(&c, DIM_PERFORMANCE, "SKP score band Baik");
    assert_string_equal(x->key, "performance.baik");
    assert_int_equal(x->employees, 5);
    assert_false(calibrate_cell_counts(x));
    assert_int_equal(cell(&c, DIM_PERFORMANCE, "no SKP")->employees, 106);

    x = cell(&c, DIM_DISCIPLINE, "sanction ringan");
    assert_string_equal(x->key, "discipline.ringan");
    assert_int_equal(calibrate_mode(x, &share), 400);
    assert_int_equal(cell(&c, DIM_DISCIPLINE, "no sanction")->employees, 107);

    x = cell(&c, DIM_COMPETENCY, "pelaksana: technical");
    assert_string_equal(x->key, "pelaksana.technical");
    x = cell(&c, DIM_COMPETENCY, "struktural: leadership + seminar");
    assert_null(x->key); /* two indicators: no one setting */
    assert_int_equal(
        x->current,
        scored(&(struct who){.position = POSITION_STRUKTURAL, .lead = true, .sem = true})
                .competency *
            10);
    x = cell(&c, DIM_COMPETENCY, "pelaksana: none");
    assert_null(x->key);
    assert_int_equal(x->employees, 105);
    calibration_free(&c);
    calibration_free(NULL);
}

/* The mode is the most frequent value, the lowest on a tie. */
static void test_mode(void **state)
{
    struct calibration c = {0};
    double share;

    (void)state;
    add(&c, 10, &(struct who){.edu = EDU_D3}, 1000, 0, 0, 500);
    add(&c, 10, &(struct who){.edu = EDU_D3}, 500, 0, 0, 500);
    add(&c, 5, &(struct who){.edu = EDU_D3}, 2500, 0, 0, 500);
    assert_int_equal(calibrate_mode(cell(&c, DIM_QUALIFICATION, "D-III"), &share), 500);
    assert_true(share > 0.3999 && share < 0.4001);
    calibration_free(&c);
}

static size_t suggest(struct calibration *c, struct calib_suggestion **s)
{
    return calibrate_suggest(c, &cfg->index.rules, s);
}

static const struct calib_suggestion *find(const struct calib_suggestion *s, size_t n,
                                           const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s[i].key, key))
            return &s[i];
    return NULL;
}

static void test_suggestions(void **state)
{
    static const struct {
        const char *what;
        size_t n_major, n_minor; /* employees BKN gives major, minor points */
        int major, minor;        /* hundredths, S-1's kualifikasi */
        int want;                /* tenths suggested for s1_d4, -1 none */
    } rows[] = {
        {"97% of 100", 97, 3, 2000, 1500, 200},
        {"exactly 90% of 30", 27, 3, 2000, 1000, 200},
        {"89% of 100", 89, 11, 2000, 1500, -1},
        {"29 all alike: too few", 29, 0, 2000, 0, -1},
        {"the value already set", 100, 0, 1500, 0, -1},
        {"hundredths no setting holds", 100, 0, 2025, 0, -1},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct calibration c = {0};
        struct calib_suggestion *s = NULL;
        const struct calib_suggestion *got;
        size_t n;

        add(&c, rows[k].n_major, &(struct who){.edu = EDU_S1}, rows[k].major, 0, 0, 500);
        add(&c, rows[k].n_minor, &(struct who){.edu = EDU_S1}, rows[k].minor, 0, 0, 500);
        n = suggest(&c, &s);
        got = find(s, n, "qualification.s1_d4");
        if (rows[k].want < 0 ? got != NULL : !got || got->tenths != rows[k].want)
            fail_msg("%s: got %d", rows[k].what, got ? got->tenths : -1);
        if (got)
            assert_int_equal(got->employees, rows[k].n_major + rows[k].n_minor);
        /* Nothing else: no SKP and no sanction give what the defaults say. */
        assert_int_equal(n, got ? 1 : 0);
        free(s);
        calibration_free(&c);
    }
}

/* An SKP predikat and a score band both name performance.baik: they must
 * agree; then the two cells make one suggestion. */
static void test_two_cells_one_setting(void **state)
{
    struct calibration c = {0};
    struct calib_suggestion *s = NULL;
    const struct calib_suggestion *got;
    size_t n;

    (void)state;
    add(&c, 40, &(struct who){.edu = EDU_S2, .predikat = PREDIKAT_BAIK}, 2000, 0, 2000, 500);
    add(&c, 35, &(struct who){.edu = EDU_S2, .predikat = PREDIKAT_BAIK, .from_score = true}, 2000,
        0, 2000, 500);
    n = suggest(&c, &s);
    got = find(s, n, "performance.baik");
    assert_non_null(got);
    assert_int_equal(got->tenths, 200);
    assert_int_equal(got->employees, 75);
    assert_int_equal(n, 1);
    free(s);
    calibration_free(&c);

    memset(&c, 0, sizeof(c));
    add(&c, 40, &(struct who){.edu = EDU_S2, .predikat = PREDIKAT_BAIK}, 2000, 0, 2000, 500);
    add(&c, 35, &(struct who){.edu = EDU_S2, .predikat = PREDIKAT_BAIK, .from_score = true}, 2000,
        0, 1500, 500);
    n = suggest(&c, &s);
    assert_null(find(s, n, "performance.baik"));
    free(s);
    calibration_free(&c);
}

/* Applied, the suggestions set exactly their settings. */
static void test_apply(void **state)
{
    struct calibration c = {0};
    struct calib_suggestion *s = NULL;
    struct rules r = cfg->index.rules, want = cfg->index.rules;
    size_t n;

    (void)state;
    add(&c, 50, &(struct who){.edu = EDU_S1, .sanction = SANCTION_RINGAN}, 2000, 0, 0, 400);
    add(&c, 40, &(struct who){.edu = EDU_S3, .position = POSITION_PELAKSANA, .tech = true}, 2500,
        3000, 0, 500);
    n = suggest(&c, &s);
    assert_int_equal(n, 3);
    calibrate_apply(s, n, &r);
    want.qual_s1 = 200;
    want.disc_ringan = 40;
    want.pelaksana_technical = 300;
    assert_int_equal(r.qual_s1, want.qual_s1);
    assert_int_equal(r.disc_ringan, want.disc_ringan);
    assert_int_equal(r.pelaksana_technical, want.pelaksana_technical);
    /* and nothing else: the rules' hash covers every setting */
    {
        struct config_index a = cfg->index, b = cfg->index;

        a.rules = r;
        b.rules = want;
        assert_true(config_rules_hash(&a) == config_rules_hash(&b));
        b.rules.qual_s2++;
        assert_true(config_rules_hash(&a) != config_rules_hash(&b));
    }
    free(s);
    calibration_free(&c);
}

static int setup(void **state)
{
    (void)state;
    cfg = config_defaults();
    return cfg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    config_free(cfg);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),       cmocka_unit_test(test_mode),
        cmocka_unit_test(test_suggestions), cmocka_unit_test(test_two_cells_one_setting),
        cmocka_unit_test(test_apply),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
