/* trend: the least-squares pace of a daily value and its projection to
 * the cut-off, against sums worked out by hand in each row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "trend.h"
#include "util.h"

#define MAXP 40

/* "day:value day:value ..." into p; the number of points. */
static size_t points(const char *s, struct trend_point *p)
{
    size_t n = 0;
    int used = 0;

    while (n < MAXP && sscanf(s, " %d:%lld%n", &p[n].day, &p[n].value, &used) == 2) {
        n++;
        s += used;
    }
    return n;
}

static void test_fit(void **state)
{
    static const struct {
        const char *what, *points; /* day:hundredths */
        int cutoff;
        long long target;
        bool enough;
        int days;
        double slope;
        long long projected;
        bool reaches;
    } rows[] = {
        /* +0.10 a day from 81.00 four days ago: 81.40 today, 82.00 in 6 days */
        {"straight rise", "-4:8100 -3:8110 -2:8120 -1:8130 0:8140", 6, 8200, true, 5, 10.0, 8200,
         true},
        {"straight fall", "-4:8300 -3:8280 -2:8260 -1:8240 0:8220", 10, 8100, true, 5, -20.0, 8020,
         false},
        /* x -4..0 (mean -2), y 10 14 12 16 18 (mean 14): Sxy = 8 + 0 + 0 + 2 + 8 = 18,
         * Sxx = 10, slope 1.8; 17.6 at day 0, 35.6 at day 10, rounded half up 36 */
        {"noisy", "-4:10 -3:14 -2:12 -1:16 0:18", 10, 36, true, 5, 1.8, 36, true},
        {"four days are not enough", "-3:8100 -2:8110 -1:8120 0:8130", 6, 8100, false, 4, 0, 0,
         false},
        /* days outside the window (29 days back to today) are left out */
        {"old days left out", "-40:1000 -30:1000 -3:8100 -2:8110 -1:8120 0:8130", 6, 8100, false, 4,
         0, 0, false},
        {"the window's first day counts", "-29:7810 -20:7900 -10:8000 -5:8050 0:8100", 5, 8100,
         true, 5, 10.0, 8150, true},
        {"flat below target", "-5:8000 -4:8000 -3:8000 -2:8000 -1:8000 0:8000", 20, 8100, true, 6,
         0, 8000, false},
        /* the projection exactly at the target reaches it */
        {"exactly at target", "-4:8000 -3:8010 -2:8020 -1:8030 0:8040", 6, 8100, true, 5, 10.0,
         8100, true},
        /* a cut-off already passed projects backwards */
        {"cut-off passed", "-4:8000 -3:8010 -2:8020 -1:8030 0:8040", -2, 8100, true, 5, 10.0, 8020,
         false},
        /* slope 0.2, 80.006 at day 0 (hundredths 8000.6): 8000.8 a day on, rounded to 8001 */
        {"rounding", "-4:8000 -3:8000 -2:8000 -1:8000 0:8001", 1, 8100, true, 5, 0.2, 8001, false},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct trend_point p[MAXP];
        struct trend_fit f;
        size_t n = points(rows[i].points, p);

        trend_fit(p, n, rows[i].cutoff, rows[i].target, &f);
        if (f.enough != rows[i].enough || f.days != rows[i].days ||
            (f.enough && (f.slope < rows[i].slope - 1e-9 || f.slope > rows[i].slope + 1e-9 ||
                          f.projected != rows[i].projected || f.reaches != rows[i].reaches))) {
            print_error("%s: enough %d days %d slope %g projected %lld reaches %d\n", rows[i].what,
                        f.enough, f.days, f.slope, f.projected, f.reaches);
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
