/* The daily trend of an index value: a least-squares line through the
 * snapshots of the last days, and where it reaches by the cut-off. Pure:
 * no I/O, no allocation. */
#ifndef IPASND_TREND_H
#define IPASND_TREND_H

#include <stdbool.h>
#include <stddef.h>

/* The days the line is fitted over, counted back from today, and the
 * fewest distinct days a pace is said from. */
#define TREND_WINDOW   30
#define TREND_MIN_DAYS 5

struct trend_point {
    int day;         /* days from today: 0 today, -1 yesterday */
    long long value; /* hundredths */
};

struct trend_fit {
    int days;            /* distinct days in the window */
    bool enough;         /* days >= TREND_MIN_DAYS and the days differ */
    double slope;        /* hundredths per day */
    double intercept;    /* hundredths, at day 0 */
    long long projected; /* hundredths at the cut-off, rounded half up */
    bool reaches;        /* projected >= target */
};

/* Fits value = intercept + slope * day by least squares over the points
 * of the window (TREND_WINDOW - 1 days back to today; others are left
 * out), one point per day as given, and projects it to cutoff (days from
 * today) against target (hundredths). Without enough days, only days is
 * set. */
void trend_fit(const struct trend_point *pts, size_t n, int cutoff, long long target,
               struct trend_fit *out);

#endif
