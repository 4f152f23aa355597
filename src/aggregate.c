#include "autoconfig.h"

#include "aggregate.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void aggregate_add(struct aggregate *a, const struct score *s)
{
    const int v[AGG_SUMS] = {s->qualification, s->competency, s->performance, s->discipline,
                             s->total};
    bool measured = s->has_education && s->has_skp;

    if (!s->in_scope)
        return;
    a->employees++;
    a->measured += measured;
    a->coverage_education += s->has_education;
    a->coverage_skp += s->has_skp;
    for (int i = 0; i < AGG_SUMS; i++) {
        a->sum[i] += v[i];
        if (measured)
            a->sum_measured[i] += v[i];
    }
}

void aggregate_merge(struct aggregate *into, const struct aggregate *a)
{
    into->employees += a->employees;
    into->measured += a->measured;
    into->coverage_education += a->coverage_education;
    into->coverage_skp += a->coverage_skp;
    for (int k = 0; k < AGG_SUMS; k++) {
        into->sum[k] += a->sum[k];
        into->sum_measured[k] += a->sum_measured[k];
    }
}

/* The mean of n values summing to tenths, in hundredths, half up. */
static int mean_hundredths(long long tenths, size_t n)
{
    if (n == 0)
        return 0;
    return (int)div_floor(tenths * 20 + (long long)n, 2 * (long long)n);
}

void aggregate_finish(struct aggregate *a, const struct rules *r)
{
    bool measured = r->mean_over == MEAN_MEASURED;
    const long long *sum = measured ? a->sum_measured : a->sum;
    size_t n = measured ? a->measured : a->employees;

    a->qualification = mean_hundredths(sum[DIM_QUALIFICATION], n);
    a->competency = mean_hundredths(sum[DIM_COMPETENCY], n);
    a->performance = mean_hundredths(sum[DIM_PERFORMANCE], n);
    a->discipline = mean_hundredths(sum[DIM_DISCIPLINE], n);
    a->total = mean_hundredths(sum[DIM_COUNT], n);
    a->category = score_category(a->total, r);
}

static int cmp_opd_total(const void *x, const void *y)
{
    const struct opd_aggregate *a = x, *b = y;

    if (a->a.total != b->a.total)
        return a->a.total > b->a.total ? -1 : 1;
    return strcmp(a->opd_id, b->opd_id);
}

void aggregate_rank(struct opd_aggregate *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_opd_total);
    for (size_t i = 0; i < n; i++)
        v[i].rank = i && v[i].a.total == v[i - 1].a.total ? v[i - 1].rank : (int)i + 1;
}

int index_target(const struct config_index *idx)
{
    return (int)llround(idx->target * 100);
}

bool index_previous_configured(const struct config_index *idx, int period)
{
    return idx->previous > 0 && period == config_period(idx);
}

int index_previous(const struct config_index *idx, int period, int computed)
{
    if (index_previous_configured(idx, period))
        return (int)llround(idx->previous * 100);
    return computed >= 0 ? computed : -1;
}
