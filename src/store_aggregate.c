/* The OPD and instansi aggregates: the running sums behind them, kept by
 * every page an incremental sync writes and rebuilt after a full listing,
 * and the aggregates themselves made from those sums by aggregate.c's
 * arithmetic. The store only reads and writes them. */
#include "autoconfig.h"

#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_sums_delta(struct store *st, const char *instansi_id, int period, const char *nips,
                     int sign, struct error *err)
{
    struct num np;
    const char *p[] = {instansi_id, num(&np, period), nips, sign < 0 ? "-1" : "1"};

    return store_exec(st, rows_sums_delta(), 4, p, err);
}

/* Whether period has no running sums yet: deltas need something to add to. */
static int sums_missing(struct store *st, const char *const *p, bool *missing, struct error *err)
{
    int rc = 0;
    PGresult *r = store_query(st,
                              "SELECT NOT EXISTS (SELECT 1 FROM ipasn.aggregate_sum"
                              " WHERE instansi_id = $1 AND period = $2)",
                              2, p, &rc, err);

    if (!r)
        return rc;
    *missing = store_col_true(r, 0, 0);
    PQclear(r);
    return 0;
}

/* The sums from every score. Both sides of the join are whole tables, read
 * whole, hashed and grouped in memory, whatever the statistics say right
 * after a load: with none, the planner took a nested loop, or index scans
 * and a sort that spilled to disk. */
static int rebuild_sums(struct store *st, const char *const *p, struct error *err)
{
    int rc;

    if ((rc = store_exec(st,
                         "BEGIN; SET LOCAL enable_nestloop = off; SET LOCAL enable_indexscan = off;"
                         " SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off;"
                         " SET LOCAL work_mem = '64MB'",
                         0, NULL, err)) < 0 ||
        (rc = store_exec(st,
                         "DELETE FROM ipasn.aggregate_sum WHERE instansi_id = $1 AND period = $2",
                         2, p, err)) < 0 ||
        (rc = store_exec(st, rows_sums_rebuild(), 2, p, err)) < 0 ||
        (rc = store_commit(st, err)) < 0)
        store_rollback(st);
    return rc;
}

/* The OPDs' aggregates from the sums, finished and ranked, and the
 * instansi's, which also counts the employees without an OPD. */
static int read_sums(struct store *st, const char *const *p, const struct rules *rules,
                     struct opd_aggregate **opds, size_t *n_opd, struct aggregate *all,
                     struct error *err)
{
    int rc = 0;
    PGresult *r = store_query(st, rows_sums_select(), 2, p, &rc, err);

    if (!r)
        return rc;
    *opds = xcalloc((size_t)PQntuples(r) + 1, sizeof(**opds));
    for (int i = 0; i < PQntuples(r); i++) {
        struct aggregate a;

        rows_sums_read(r, i, &a);
        aggregate_merge(all, &a);
        if (!*PQgetvalue(r, i, 0))
            continue;
        aggregate_finish(&a, rules);
        (*opds)[*n_opd].opd_id = xstrdup(PQgetvalue(r, i, 0));
        (*opds)[*n_opd].opd_name = store_col_dup(r, i, 1);
        (*opds)[*n_opd].a = a;
        (*n_opd)++;
    }
    PQclear(r);
    aggregate_finish(all, rules);
    aggregate_rank(*opds, *n_opd);
    return 0;
}

int store_instansi_total(struct store *st, const char *instansi_id, int period, int *total,
                         struct error *err)
{
    struct num np;
    const char *p[] = {instansi_id, num(&np, period)};
    int rc = 0;
    PGresult *r = store_query(st,
                              "SELECT (total * 100)::int FROM ipasn.instansi_score"
                              " WHERE instansi_id = $1 AND period = $2",
                              2, p, &rc, err);

    if (!r)
        return rc;
    *total = PQntuples(r) == 1 ? (int)store_col_int(r, 0, 0) : -1;
    PQclear(r);
    return 0;
}

/* Replaces the period's opd_score and instansi_score rows. */
static int write_aggregates(struct store *st, const char *const *p, struct aggregate_row *row,
                            const struct opd_aggregate *opds, size_t n_opd,
                            const struct aggregate *all, struct error *err)
{
    struct strbuf b = {0};
    int rc;

    if ((rc = store_begin(st, err)) < 0 ||
        (rc = store_exec(st, "DELETE FROM ipasn.opd_score WHERE instansi_id = $1 AND period = $2",
                         2, p, err)) < 0)
        goto out;
    for (size_t i = 0; i < n_opd; i++) {
        row->opd_id = opds[i].opd_id;
        row->opd_name = opds[i].opd_name;
        row->rank = opds[i].rank;
        row->a = &opds[i].a;
        rows_opd_score(&b, row);
    }
    if ((rc = pg_copy_in(st->conn, rows_opd_score_copy(), false, &b, err)) < 0 ||
        (rc = store_exec(st,
                         "DELETE FROM ipasn.instansi_score WHERE instansi_id = $1 AND period = $2",
                         2, p, err)) < 0)
        goto out;
    if (all->employees) {
        row->a = all;
        rows_instansi_score(&b, row);
        if ((rc = pg_copy_in(st->conn, rows_instansi_score_copy(), false, &b, err)) < 0)
            goto out;
    }
    rc = store_commit(st, err);
out:
    if (rc < 0)
        store_rollback(st);
    strbuf_free(&b);
    return rc;
}

int store_refresh_aggregates(struct store *st, const char *instansi_id,
                             const struct config_index *idx, int period, bool full,
                             struct error *err)
{
    struct num np;
    const char *p[] = {instansi_id, num(&np, period)};
    struct aggregate_row row = {
        .instansi_id = instansi_id, .period = period, .target = index_target(idx), .previous = -1};
    struct opd_aggregate *opds = NULL;
    struct aggregate all = {0};
    size_t n_opd = 0;
    int rc, computed = -1;

    if (!full && (rc = sums_missing(st, p, &full, err)) < 0)
        return rc;
    if (full && (rc = rebuild_sums(st, p, err)) < 0)
        return rc;
    if ((rc = read_sums(st, p, &idx->rules, &opds, &n_opd, &all, err)) == 0 &&
        (index_previous_configured(idx, period) ||
         (rc = store_instansi_total(st, instansi_id, period - 1, &computed, err)) == 0)) {
        row.previous = index_previous(idx, period, computed);
        rc = write_aggregates(st, p, &row, opds, n_opd, &all, err);
    }
    for (size_t i = 0; i < n_opd; i++) {
        free(opds[i].opd_id);
        free(opds[i].opd_name);
    }
    free(opds);
    return rc;
}

int store_aggregates_current(struct store *st, const char *instansi_id,
                             const struct config_index *idx, int period, bool *current,
                             struct error *err)
{
    struct num np, nt, npv;
    const char *p[] = {
        instansi_id, num(&np, period), num(&nt, index_target(idx)),
        index_previous_configured(idx, period) ? num(&npv, index_previous(idx, period, -1)) : NULL};
    int rc = 0;
    PGresult *r = store_query(st,
                              "SELECT count(*) FROM ipasn.instansi_score a WHERE instansi_id = $1"
                              " AND period = $2 AND (target * 100)::bigint = $3"
                              " AND ($4::bigint IS NULL OR (previous_total * 100)::bigint = $4)"
                              /* no run since the refresh changed a score, failed ones included */
                              " AND NOT EXISTS (SELECT 1 FROM ipasn.sync_run r"
                              "  WHERE r.started_at >= a.refreshed_at"
                              "  AND (r.inserted + r.updated + r.deactivated > 0"
                              "   OR r.mode = 'recompute'))",
                              4, p, &rc, err);

    if (!r)
        return rc;
    *current = store_col_int(r, 0, 0) == 1;
    PQclear(r);
    return 0;
}

/* Open issues count where their employee works now; the instansi's count
 * takes every open issue, an employee without an OPD's too. */
int store_keep_day(struct store *st, const char *instansi_id, int period, date_t day,
                   struct error *err)
{
    char d[16];
    struct num np;
    const char *p[] = {instansi_id, num(&np, period), date_format(day, d, sizeof(d))};
    int rc;

    if ((rc = store_begin(st, err)) < 0 ||
        (rc = store_exec(st,
                         "DELETE FROM ipasn.score_day"
                         " WHERE instansi_id = $1 AND period = $2 AND day = $3::date",
                         3, p, err)) < 0 ||
        (rc = store_exec(
             st,
             "WITH open AS (SELECT coalesce(e.opd_id, '') AS opd_key, count(*) AS n"
             "  FROM ipasn.issue i LEFT JOIN ipasn.employee e USING (instansi_id, nip)"
             "  WHERE i.instansi_id = $1 AND i.resolved_at IS NULL GROUP BY 1)"
             " INSERT INTO ipasn.score_day (instansi_id, day, period, opd_key, opd_name,"
             "  employees, qualification, competency, performance, discipline, total,"
             "  coverage_education, coverage_skp, open_issues)"
             " SELECT $1, $3::date, $2, o.opd_id, o.opd_name, o.employees, o.qualification,"
             "  o.competency, o.performance, o.discipline, o.total, o.coverage_education,"
             "  o.coverage_skp, coalesce((SELECT n FROM open WHERE open.opd_key = o.opd_id), 0)"
             " FROM ipasn.opd_score o WHERE o.instansi_id = $1 AND o.period = $2"
             " UNION ALL"
             " SELECT $1, $3::date, $2, '', NULL, a.employees, a.qualification, a.competency,"
             "  a.performance, a.discipline, a.total, a.coverage_education, a.coverage_skp,"
             "  (SELECT coalesce(sum(n), 0) FROM open)"
             " FROM ipasn.instansi_score a WHERE a.instansi_id = $1 AND a.period = $2",
             3, p, err)) < 0 ||
        (rc = store_commit(st, err)) < 0)
        store_rollback(st);
    return rc;
}
