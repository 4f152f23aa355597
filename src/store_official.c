/* BKN's official values as an import writes them: every good row of a
 * file in one transaction, under source 'import'; a row whose values are
 * already stored is left as it is, so loading a file again changes
 * nothing. */
#include "autoconfig.h"

#include "store_int.h"

#include "official.h"

#include <stdio.h>
#include <string.h>

/* One array literal per column, in row order. */
struct columns {
    struct strbuf nip, year, points[5], updated;
};

static void add_points(struct strbuf *b, int hundredths, const char *sep)
{
    strbuf_append(b, "%s%d.%02d", sep, hundredths / 100, hundredths % 100);
}

static void build_columns(const struct official_file *f, struct columns *c)
{
    memset(c, 0, sizeof(*c));
    strbuf_append(&c->nip, "{");
    strbuf_append(&c->year, "{");
    strbuf_append(&c->updated, "{");
    for (int k = 0; k < 5; k++)
        strbuf_append(&c->points[k], "{");
    for (size_t i = 0; i < f->n_rows; i++) {
        const struct official_row *o = &f->rows[i];
        const char *sep = i ? "," : "";
        char day[16];

        strbuf_append(&c->nip, "%s%s", sep, o->nip); /* 18 digits: no quoting */
        strbuf_append(&c->year, "%s%d", sep, o->period);
        add_points(&c->points[0], o->qualification, sep);
        add_points(&c->points[1], o->competency, sep);
        add_points(&c->points[2], o->performance, sep);
        add_points(&c->points[3], o->discipline, sep);
        add_points(&c->points[4], o->total, sep);
        strbuf_append(&c->updated, "%s%s", sep,
                      o->updated == DATE_NONE ? "NULL" : date_format(o->updated, day, sizeof(day)));
    }
    strbuf_append(&c->nip, "}");
    strbuf_append(&c->year, "}");
    strbuf_append(&c->updated, "}");
    for (int k = 0; k < 5; k++)
        strbuf_append(&c->points[k], "}");
}

static void free_columns(struct columns *c)
{
    strbuf_free(&c->nip);
    strbuf_free(&c->year);
    strbuf_free(&c->updated);
    for (int k = 0; k < 5; k++)
        strbuf_free(&c->points[k]);
}

int store_import_official(struct store *st, const char *instansi_id, const struct official_file *f,
                          struct official_import *res, struct error *err)
{
    struct columns c;
    const char *p[9];
    PGresult *r = NULL;
    int rc;

    memset(res, 0, sizeof(*res));
    if ((rc = store_require_schema(st, STORE_OFFICIAL_SCHEMA_VERSION, err)) < 0)
        return rc;
    build_columns(f, &c);
    p[0] = instansi_id;
    p[1] = c.nip.s;
    p[2] = c.year.s;
    for (int k = 0; k < 5; k++)
        p[3 + k] = c.points[k].s;
    p[8] = c.updated.s;
    if ((rc = store_begin(st, err)) < 0)
        goto out;
    if (!(r = store_query(
              st,
              "WITH u AS (SELECT * FROM unnest($2::text[], $3::int[], $4::numeric[],"
              "  $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::date[])"
              "  AS u (nip, year, q, c, p, d, t, updated)),"
              " w AS (INSERT INTO ipasn.official_ipasn AS o (instansi_id, nip, year, source,"
              "  qualification, competency, performance, discipline, total, bkn_updated)"
              "  SELECT $1, nip, year, 'import', q, c, p, d, t, updated FROM u"
              "  ON CONFLICT (instansi_id, nip, year, source) DO UPDATE SET"
              "   qualification = EXCLUDED.qualification, competency = EXCLUDED.competency,"
              "   performance = EXCLUDED.performance, discipline = EXCLUDED.discipline,"
              "   total = EXCLUDED.total, bkn_updated = EXCLUDED.bkn_updated, recorded_at = now()"
              "  WHERE (o.qualification, o.competency, o.performance, o.discipline, o.total,"
              "         o.bkn_updated) IS DISTINCT FROM (EXCLUDED.qualification,"
              "   EXCLUDED.competency, EXCLUDED.performance, EXCLUDED.discipline, EXCLUDED.total,"
              "   EXCLUDED.bkn_updated)"
              "  RETURNING xmax = 0 AS inserted)"
              " SELECT (SELECT count(*) FILTER (WHERE inserted) FROM w),"
              "        (SELECT count(*) FILTER (WHERE NOT inserted) FROM w),"
              "        (SELECT count(DISTINCT u.nip) FROM u JOIN ipasn.employee e"
              "          ON e.instansi_id = $1 AND e.nip = u.nip AND e.active)",
              9, p, &rc, err)))
        goto fail;
    res->inserted = (size_t)store_col_int(r, 0, 0);
    res->updated = (size_t)store_col_int(r, 0, 1);
    res->matched = (size_t)store_col_int(r, 0, 2);
    PQclear(r);
    if ((rc = store_commit(st, err)) < 0)
        goto fail;
    goto out;
fail:
    store_rollback(st);
    memset(res, 0, sizeof(*res));
out:
    free_columns(&c);
    return rc < 0 ? rc : 0;
}

int store_official_values(struct store *st, const char *instansi_id, int period,
                          struct official_value **out, size_t *n, struct error *err)
{
    struct num y;
    const char *p[] = {instansi_id, num(&y, period)};
    PGresult *r;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = store_require_schema(st, STORE_OFFICIAL_SCHEMA_VERSION, err)) < 0)
        return rc;
    if (!(r = store_query(st,
                          "SELECT DISTINCT ON (nip) nip, round(qualification * 100),"
                          " round(competency * 100), round(performance * 100),"
                          " round(discipline * 100), round(total * 100)"
                          " FROM ipasn.official_ipasn WHERE instansi_id = $1 AND year = $2"
                          "  AND num_nonnulls(qualification, competency, performance,"
                          "   discipline, total) = 5"
                          " ORDER BY nip, " STORE_OFFICIAL_SOURCE_RANK,
                          2, p, &rc, err)))
        return rc;
    *n = (size_t)PQntuples(r);
    *out = xcalloc(*n ? *n : 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++) {
        store_col_copy((*out)[i].nip, sizeof((*out)[i].nip), r, (int)i, 0);
        for (int k = 0; k < 5; k++)
            (*out)[i].points[k] = (int)store_col_int(r, (int)i, 1 + k);
    }
    PQclear(r);
    return 0;
}
