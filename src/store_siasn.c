/* store_siasn.c: the roster of a WS SIASN source in ipasn.siasn_roster
 * (migration 006): which NIPs are in scope, which are due, and when each
 * was last fetched whole. The fetch times of a batch are written inside
 * the batch's own page transaction (store_roster_mark), so a crash never
 * leaves an employee written and still due, or due and half written. */
#include "autoconfig.h"

#include "store.h"
#include "store_int.h"

#include "pgcopy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void nip_array(struct strbuf *b, const char *const *nips, size_t n)
{
    b->len = 0;
    for (size_t i = 0; i < n; i++) {
        pg_array_sep(b);
        pg_array_plain(b, nips[i]);
    }
    pg_array_close(b);
}

/* The roster as the file now has it; NIPs that left it leave scope. */
static int roster_apply(struct store *st, const char *inst, const char *nips, const char *lines,
                        struct roster_change *out, struct error *err)
{
    const char *p[] = {inst, nips, lines};
    struct strbuf gone = {0};
    const char *pg[] = {inst, NULL};
    PGresult *r;
    int rc = 0;

    if (!(r = store_query(
              st,
              "INSERT INTO ipasn.siasn_roster AS s (instansi_id, nip, roster_line)"
              " SELECT $1, u.nip, u.line FROM unnest($2::text[], $3::int[]) AS u(nip, line)"
              " ON CONFLICT (instansi_id, nip) DO UPDATE SET"
              "  roster_line = EXCLUDED.roster_line, left_at = NULL"
              " RETURNING (xmax = 0), s.nip",
              3, p, &rc, err)))
        return rc;
    for (int i = 0; i < PQntuples(r); i++)
        out->added += store_col_true(r, i, 0);
    PQclear(r);
    if (!(r = store_query(st,
                          "UPDATE ipasn.siasn_roster SET left_at = now()"
                          " WHERE instansi_id = $1 AND left_at IS NULL"
                          " AND NOT (nip = ANY ($2::text[])) RETURNING nip",
                          2, p, &rc, err)))
        return rc;
    out->left = PQntuples(r);
    for (int i = 0; i < PQntuples(r); i++) {
        pg_array_sep(&gone);
        pg_array_plain(&gone, PQgetvalue(r, i, 0));
    }
    pg_array_close(&gone);
    PQclear(r);
    pg[1] = gone.s;
    if (!(r = store_query(st,
                          "UPDATE ipasn.employee SET active = false, changed_at = now()"
                          " WHERE instansi_id = $1 AND active AND nip = ANY ($2::text[])"
                          " RETURNING nip",
                          2, pg, &rc, err)))
        goto out;
    out->deactivated = PQntuples(r);
    PQclear(r);
    /* Out of scope, out of the open issues too. */
    rc = store_exec(st,
                    "UPDATE ipasn.issue SET resolved_at = now() WHERE instansi_id = $1"
                    " AND nip = ANY ($2::text[]) AND resolved_at IS NULL",
                    2, pg, err);
out:
    strbuf_free(&gone);
    return rc;
}

int store_roster_update(struct store *st, const char *instansi_id, const char *const *nips,
                        const size_t *lines, size_t n, struct roster_change *out, struct error *err)
{
    struct strbuf a = {0}, l = {0};
    int rc;

    memset(out, 0, sizeof(*out));
    nip_array(&a, nips, n);
    for (size_t i = 0; i < n; i++) {
        char v[24];

        snprintf(v, sizeof(v), "%zu", lines[i]);
        pg_array_sep(&l);
        pg_array_plain(&l, v);
    }
    pg_array_close(&l);
    if ((rc = store_begin(st, err)) == 0 &&
        (rc = roster_apply(st, instansi_id, a.s, l.s, out, err)) == 0)
        rc = store_commit(st, err);
    if (rc < 0)
        store_rollback(st);
    strbuf_free(&a);
    strbuf_free(&l);
    return rc;
}

/* Due: in the roster, not tried since started_at (a failure waits for the
 * next cycle), and never fetched or fetched refresh_every ago (any time
 * with all); never fetched first, then the stalest. */
int store_roster_due(struct store *st, const char *instansi_id, int64_t refresh_every,
                     int64_t started_at, bool all, size_t limit, struct strlist *out,
                     struct error *err)
{
    char every[24], since[24], lim[24];
    const char *p[] = {instansi_id, every, since, lim, all ? "t" : "f"};
    PGresult *r;
    int rc = 0;

    snprintf(every, sizeof(every), "%lld", (long long)refresh_every);
    snprintf(since, sizeof(since), "%lld", (long long)started_at);
    snprintf(lim, sizeof(lim), "%zu", limit);
    if (!(r = store_query(st,
                          "SELECT nip FROM ipasn.siasn_roster WHERE instansi_id = $1"
                          " AND left_at IS NULL"
                          " AND (attempted_at IS NULL OR attempted_at < to_timestamp($3))"
                          " AND ($5::boolean OR fetched_at IS NULL"
                          "      OR fetched_at <= now() - make_interval(secs => $2::bigint))"
                          " ORDER BY fetched_at NULLS FIRST, nip LIMIT $4",
                          5, p, &rc, err)))
        return rc;
    for (int i = 0; i < PQntuples(r); i++)
        strlist_add(out, PQgetvalue(r, i, 0));
    PQclear(r);
    return 0;
}

int store_roster_counts(struct store *st, const char *instansi_id, int64_t refresh_every,
                        struct roster_counts *out, struct error *err)
{
    char every[24];
    const char *p[] = {instansi_id, every};
    PGresult *r;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    snprintf(every, sizeof(every), "%lld", (long long)refresh_every);
    if (!(r = store_query(st,
                          "SELECT count(*) FILTER (WHERE left_at IS NULL),"
                          " count(*) FILTER (WHERE left_at IS NULL AND (fetched_at IS NULL"
                          "   OR fetched_at <= now() - make_interval(secs => $2::bigint))),"
                          " count(*) FILTER (WHERE left_at IS NULL AND fetched_at IS NULL),"
                          " count(*) FILTER (WHERE left_at IS NULL AND failures > 0),"
                          " count(*) FILTER (WHERE left_at IS NULL AND not_found)"
                          " FROM ipasn.siasn_roster WHERE instansi_id = $1",
                          2, p, &rc, err)))
        return rc;
    out->in_roster = store_col_int(r, 0, 0);
    out->due = store_col_int(r, 0, 1);
    out->never = store_col_int(r, 0, 2);
    out->failing = store_col_int(r, 0, 3);
    out->not_found = store_col_int(r, 0, 4);
    PQclear(r);
    return 0;
}

int store_roster_mark(struct store *st, const char *instansi_id, const char *const *nips,
                      const bool *not_found, size_t n, struct error *err)
{
    struct strbuf a = {0}, f = {0};
    const char *p[] = {instansi_id, NULL, NULL};
    int rc;

    nip_array(&a, nips, n);
    for (size_t i = 0; i < n; i++) {
        pg_array_sep(&f);
        pg_array_plain(&f, not_found[i] ? "t" : "f");
    }
    pg_array_close(&f);
    p[1] = a.s;
    p[2] = f.s;
    rc = store_exec(st,
                    "UPDATE ipasn.siasn_roster s SET fetched_at = now(), attempted_at = now(),"
                    " failures = 0, not_found = u.nf"
                    " FROM unnest($2::text[], $3::boolean[]) AS u(nip, nf)"
                    " WHERE s.instansi_id = $1 AND s.nip = u.nip",
                    3, p, err);
    strbuf_free(&a);
    strbuf_free(&f);
    return rc;
}

int store_roster_failed(struct store *st, const char *instansi_id, const char *const *nips,
                        size_t n, struct error *err)
{
    struct strbuf a = {0};
    const char *p[] = {instansi_id, NULL};
    int rc;

    nip_array(&a, nips, n);
    p[1] = a.s;
    rc = store_exec(st,
                    "UPDATE ipasn.siasn_roster SET attempted_at = now(), failures = failures + 1"
                    " WHERE instansi_id = $1 AND nip = ANY ($2::text[])",
                    2, p, err);
    strbuf_free(&a);
    return rc;
}
