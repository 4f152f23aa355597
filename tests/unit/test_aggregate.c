/* aggregate: the means of a set of employees, the OPD ranking with ties,
 * the target and the previous year's value in force. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "aggregate.h"
#include "config.h"
#include "util.h"

static struct config *cfg;

static int setup(void **state)
{
    cfg = config_defaults();
    return 0;
}

static int teardown(void **state)
{
    config_free(cfg);
    return 0;
}

static struct score in_scope(int q, int c, int p, int d, bool measured)
{
    return (struct score){.in_scope = true,
                          .qualification = q,
                          .competency = c,
                          .performance = p,
                          .discipline = d,
                          .total = q + c + p + d,
                          .has_education = measured,
                          .has_skp = measured};
}

/* Means half up in hundredths, over all or over the measured; merging
 * adds the sums, never the means. */
static void test_means_and_merge(void **state)
{
    struct aggregate a = {0}, b = {0}, all = {0};
    struct score s1 = in_scope(150, 400, 250, 50, true), s2 = in_scope(200, 300, 300, 30, true),
                 s3 = in_scope(100, 100, 150, 50, false), out = {0};

    aggregate_add(&a, &s1);
    aggregate_add(&a, &s2);
    aggregate_add(&b, &s3);
    aggregate_add(&b, &out); /* out of scope: counts for nothing */
    aggregate_merge(&all, &a);
    aggregate_merge(&all, &b);
    aggregate_finish(&all, &cfg->index.rules);
    assert_int_equal(all.employees, 3);
    assert_int_equal(all.measured, 2);
    assert_int_equal(all.qualification, 1500);
    assert_int_equal(all.competency, 2667);
    assert_int_equal(all.performance, 2333);
    assert_int_equal(all.discipline, 433);
    assert_int_equal(all.total, 6933); /* 208 / 3 = 69.33 */
    assert_int_equal(all.category, CAT_RENDAH);

    cfg->index.rules.mean_over = MEAN_MEASURED;
    aggregate_finish(&all, &cfg->index.rules);
    assert_int_equal(all.total, 8400); /* (85 + 83) / 2 */
    cfg->index.rules.mean_over = MEAN_ALL;
}

/* Highest total first; equal totals share a rank and the next one skips;
 * equal totals keep the order of their ids. */
static void test_rank_with_ties(void **state)
{
    static const struct {
        const char *id;
        int total, rank;
    } want[] = {{"B", 9000, 1}, {"A", 8000, 2}, {"C", 8000, 2}, {"D", 7999, 4}, {"E", 0, 5}};
    struct opd_aggregate v[5];
    const int order[] = {4, 2, 0, 3, 1}; /* given out of order */

    memset(v, 0, sizeof(v));
    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        v[i].opd_id = (char *)want[order[i]].id;
        v[i].a.total = want[order[i]].total;
    }
    aggregate_rank(v, ARRAY_SIZE(v));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        assert_string_equal(v[i].opd_id, want[i].id);
        assert_int_equal(v[i].rank, want[i].rank);
    }
    aggregate_rank(v, 0); /* nothing to rank */
}

static void test_target_and_previous(void **state)
{
    struct config_index idx = cfg->index;

    idx.target = 81.0;
    assert_int_equal(index_target(&idx), 8100);
    idx.target = 80.555;
    assert_int_equal(index_target(&idx), 8056);
    idx.target = 72.345;
    assert_int_equal(index_target(&idx), 7235);

    /* index.previous decides for the configured period only */
    idx.period = 2025;
    idx.previous = 83.0;
    assert_true(index_previous_configured(&idx, 2025));
    assert_int_equal(index_previous(&idx, 2025, 7000), 8300);
    assert_false(index_previous_configured(&idx, 2024));
    assert_int_equal(index_previous(&idx, 2024, 7000), 7000);
    assert_int_equal(index_previous(&idx, 2024, -1), -1);
    /* unset, it is what ipasnd computed, or none */
    idx.previous = 0;
    assert_false(index_previous_configured(&idx, 2025));
    assert_int_equal(index_previous(&idx, 2025, 7275), 7275);
    assert_int_equal(index_previous(&idx, 2025, -1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_means_and_merge),
        cmocka_unit_test(test_rank_with_ties),
        cmocka_unit_test(test_target_and_previous),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
