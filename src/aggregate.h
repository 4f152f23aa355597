/* The index of a set of employees (an OPD, the instansi): the means of
 * their scores, the OPD ranking with ties, the target and the previous
 * year's value in force. Pure arithmetic over sums the store keeps or a
 * caller adds up; no I/O, no globals. Scores are tenths, aggregates
 * hundredths. */
#ifndef IPASND_AGGREGATE_H
#define IPASND_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "score.h"

/* Means over a set of employees. The sums are kept in the order of enum
 * dimension, the total last. */
#define AGG_SUMS (DIM_COUNT + 1)

struct aggregate {
    size_t employees;                 /* in scope */
    size_t measured;                  /* with education and SKP data */
    long long sum[AGG_SUMS];          /* tenths */
    long long sum_measured[AGG_SUMS]; /* the same over the measured employees only */
    size_t coverage_education, coverage_skp;
    /* after aggregate_finish: hundredths, rounded half up */
    int qualification, competency, performance, discipline, total;
    enum category category;
};

/* Adds a score of an employee in scope; one out of scope adds nothing. */
void aggregate_add(struct aggregate *a, const struct score *s);

/* Adds what another aggregate's sums hold (an OPD's, to the instansi's). */
void aggregate_merge(struct aggregate *into, const struct aggregate *a);

/* The means, half up, over every employee or over the measured ones
 * (rules' mean_over), and their category. */
void aggregate_finish(struct aggregate *a, const struct rules *r);

/* An OPD's aggregate and its place in the ranking. */
struct opd_aggregate {
    char *opd_id, *opd_name;
    struct aggregate a;
    int rank;
};

/* Sorts finished aggregates by total, highest first (then by id), and
 * ranks them: equal totals share a rank, the next rank skips (1, 2, 2, 4). */
void aggregate_rank(struct opd_aggregate *v, size_t n);

/* index.target in hundredths: 81.0 -> 8100. */
int index_target(const struct config_index *idx);

/* The previous year's value for period, in hundredths, or -1 for none:
 * index.previous when it is set and period is the configured one (the
 * value from before ipasnd's history), else what ipasnd computed for the
 * year before (computed, -1 when there is none). */
int index_previous(const struct config_index *idx, int period, int computed);

/* Whether index.previous decides the previous value of period. */
bool index_previous_configured(const struct config_index *idx, int period);

#endif
