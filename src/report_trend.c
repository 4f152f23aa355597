/* The report's trend: each value's change over 7 and 30 days and its pace
 * toward the cut-off, from the daily history (ipasn.score_day). */
#include "autoconfig.h"

#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* The value n points back at day <= -back, latest first: the snapshot
 * the change is measured from. */
static bool value_before(const struct trend_point *pts, size_t n, int back, long long *out)
{
    for (size_t i = n; i-- > 0;) {
        if (pts[i].day <= -back) {
            *out = pts[i].value;
            return true;
        }
    }
    return false;
}

static void take(const struct report *rep, struct report_trend *t, const struct trend_point *pts,
                 size_t n, long long current)
{
    long long v;

    if ((t->has_7d = value_before(pts, n, 7, &v)))
        t->change_7d = current - v;
    if ((t->has_30d = value_before(pts, n, 30, &v)))
        t->change_30d = current - v;
    trend_fit(pts, n, rep->as_of - rep->today, rep->target, &t->fit);
}

static struct opd_row *opd_of(struct report *rep, const char *id)
{
    for (size_t i = 0; i < rep->n_opd; i++)
        if (rep->opd[i].id && strcmp(rep->opd[i].id, id) == 0)
            return &rep->opd[i];
    return NULL;
}

int report_load_trend(struct store *st, struct report *rep, const char *const *p, struct error *err)
{
    char today[16];
    const char *q[] = {p[0], p[1], date_format(rep->today, today, sizeof(today))};
    int rc = 0, n;
    struct trend_point *pts;
    PGresult *r = store_query(st,
                              "SELECT opd_key, day - $3::date, (total * 100)::bigint"
                              " FROM ipasn.score_day"
                              " WHERE instansi_id = $1 AND period = $2 AND day <= $3::date"
                              " ORDER BY opd_key, day",
                              3, q, &rc, err);

    if (!r)
        return rc;
    n = PQntuples(r);
    pts = xcalloc((size_t)n + 1, sizeof(*pts));
    for (int i = 0; i < n; i++) {
        pts[i].day = (int)store_col_int(r, i, 1);
        pts[i].value = store_col_int(r, i, 2);
    }
    for (int from = 0, to; from < n; from = to) {
        const char *key = PQgetvalue(r, from, 0);
        struct opd_row *o;

        for (to = from; to < n && strcmp(PQgetvalue(r, to, 0), key) == 0; to++)
            ;
        if (!*key) {
            take(rep, &rep->inst.trend, pts + from, (size_t)(to - from), rep->inst.total);
            rep->series = xcalloc((size_t)(to - from), sizeof(*rep->series));
            memcpy(rep->series, pts + from, (size_t)(to - from) * sizeof(*pts));
            rep->n_series = (size_t)(to - from);
        } else if ((o = opd_of(rep, key))) {
            take(rep, &o->trend, pts + from, (size_t)(to - from), o->total);
        }
    }
    free(pts);
    PQclear(r);
    return 0;
}
