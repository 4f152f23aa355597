/* trend: the least-squares pace of a daily value and its projection to
 * the cut-off, against sums worked out by hand in each row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "trend.h"
#include "util.h"

#define MAXP 40

static void test_fit(void **state)
{
    static const struct {
        const char *what;
        int n;
        int day[MAXP];
        long long value[MAXP];
        int cutoff;
        long long target;
        bool enough;
        int days;
        double slope;
        long long projected;
        bool reaches;
    } rows[] = {
        /* +0.10 a day from 81.00 four days ago: 81.40 today, 82.00 in 6 days */
        {"straight rise", 5, {-4, -3, -2, -1, 0}, {8100, 8110, 8120, 8130, 8140}, 6, 8200,
         true, 5, 10.0, 8200, true},
        {"straight fall", 5, {-4, -3, -2, -1, 0}, {8300, 8280, 8260, 8240, 8220}, 10, 8100,
         true, 5, -20.0, 8020, false},
        /* x = -4..0 (mean -2), y = 10, 14, 12, 16, 18 (mean 14):
         * Sxy = (-2)(-4)+(-1)(0)+0+(1)(2)+(2)(4) = 18, Sxx = 10: slope 1.8,
         * at day 0: 14 + 1.8 * 2 = 17.6; at day 10: 35.6 -> 36 */
        {"noisy", 5, {-4, -3, -2, -1, 0}, {10, 14, 12, 16, 18}, 10, 36, true, 5, 1.8, 36, true},
        {"four days are not enough", 4, {-3, -2, -1, 0}, {8100, 8110, 8120, 8130}, 6, 8100,
         false, 4, 0, 0, false},
        /* days outside the window (30 days back to today) are left out */
        {"old days left out", 6, {-40, -30, -3, -2, -1, 0}, {1000, 1000, 8100, 8110, 8120, 8130},
         6, 8100, false, 4, 0, 0, false},
        {"gaps between days", 5, {-28, -20, -10, -5, 0}, {7800, 7880, 7980, 8030, 8080}, 5,
         8100, true, 5, 10.0, 8130, true},
        {"flat below target", 6, {-5, -4, -3, -2, -1, 0}, {8000, 8000, 8000, 8000, 8000, 8000},
         20, 8100, true, 6, 0, 8000, false},
        /* the projection exactly at the target reaches it */
        {"exactly at target", 5, {-4, -3, -2, -1, 0}, {8000, 8010, 8020, 8030, 8040}, 6, 8100,
         true, 5, 10.0, 8100, true},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct trend_point p[MAXP];
        struct trend_fit f;

        for (int k = 0; k < rows[i].n; k++) {
            p[k].day = rows[i].day[k];
            p[k].value = rows[i].value[k];
        }
        trend_fit(p, (size_t)rows[i].n, rows[i].cutoff, rows[i].target, &f);
        if (f.enough != rows[i].enough || f.days != rows[i].days ||
            (f.enough && (f.slope < rows[i].slope - 1e-9 || f.slope > rows[i].slope + 1e-9 ||
                          f.projected != rows[i].projected || f.reaches != rows[i].reaches))) {
            print_error("%s: enough %d days %d slope %g projected %lld reaches %d\n",
                        rows[i].what, f.enough, f.days, f.slope, f.projected, f.reaches);
            fail();
        }
    }
}

static void test_one_day_repeated(void **state)
{
    /* five points on one day: no line through them */
    struct trend_point p[5] = {{0, 8000}, {0, 8100}, {0, 8200}, {0, 8300}, {0, 8400}};
    struct trend_fit f;

    (void)state;
    trend_fit(p, 5, 10, 8100, &f);
    assert_false(f.enough);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_one_day_repeated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
