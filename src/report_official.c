/* report_official.c: see report_official.h. Every number is computed by
 * PostgreSQL over ipasn.v_official_diff, one official value per employee
 * (STORE_OFFICIAL_SOURCE_RANK), means rounded half up to two decimals; a
 * difference is that of the two rounded means, so the columns add up. */
#include "autoconfig.h"

#include "report_official.h"

#include "report.h"
#include "report_int.h"
#include "svg.h"

#include <stdlib.h>
#include <string.h>

/* The view's dimension names, in the regulation's order, then the total. */
static const char *const dim_names[OFFICIAL_DIMS] = {"kualifikasi", "kompetensi", "kinerja",
                                                     "disiplin", "total"};

static int dim_index(const char *name)
{
    for (int d = 0; d < OFFICIAL_DIMS; d++)
        if (strcmp(dim_names[d], name) == 0)
            return d;
    return -1;
}

/* The rows that count, grouped by $4 ('' the instansi, else the OPD). */
#define OFFICIAL_ROWS                                                                              \
    "WITH d AS (SELECT DISTINCT ON (nip, dimension) nip, opd_id, dimension, ipasnd, official,"     \
    "  difference FROM ipasn.v_official_diff WHERE instansi_id = $1 AND period = $2"               \
    "  ORDER BY nip, dimension, " STORE_OFFICIAL_SOURCE_RANK ")"
#define OFFICIAL_MEANS                                                                             \
    " dimension, count(*), count(*) FILTER (WHERE abs(difference) <= $3::numeric),"                \
    " round(round(avg(official), 2) * 100), round(round(avg(ipasnd), 2) * 100),"                   \
    " round((round(avg(official), 2) - round(avg(ipasnd), 2)) * 100)"

static void take_dim(struct official_dim *dims, const PGresult *r, int row, int col)
{
    int d = dim_index(PQgetvalue(r, row, col));

    if (d < 0)
        assert_not_reached(); /* the view names no other */
    dims[d] = (struct official_dim){
        .employees = store_col_int(r, row, col + 1),
        .agree = store_col_int(r, row, col + 2),
        .official = store_col_int(r, row, col + 3),
        .ipasnd = store_col_int(r, row, col + 4),
        .difference = store_col_int(r, row, col + 5),
    };
}

static int load_instansi(struct store *st, const char *const *p, struct report_official *rep,
                         struct error *err)
{
    int rc;
    PGresult *r = store_query(st, OFFICIAL_ROWS " SELECT" OFFICIAL_MEANS " FROM d GROUP BY 1", 3, p,
                              &rc, err);

    if (!r)
        return rc;
    for (int i = 0; i < PQntuples(r); i++)
        take_dim(rep->dim, r, i, 0);
    PQclear(r);
    return 0;
}

static int explains(const struct official_dim *dim)
{
    int best = 0;

    for (int d = 1; d < OFFICIAL_DIMS - 1; d++)
        if (llabs(dim[d].difference) > llabs(dim[best].difference))
            best = d;
    return best;
}

static int opd_cmp(const void *a, const void *b)
{
    const struct official_opd *x = a, *y = b;
    long long dx = llabs(x->dim[OFFICIAL_DIMS - 1].difference),
              dy = llabs(y->dim[OFFICIAL_DIMS - 1].difference);

    return dx != dy ? (dx < dy) - (dx > dy) : strcmp(x->id, y->id);
}

/* Employees without an OPD are in the instansi's numbers only. */
static int load_opds(struct store *st, const char *const *p, struct report_official *rep,
                     struct error *err)
{
    int rc;
    PGresult *r = store_query(
        st,
        OFFICIAL_ROWS " SELECT d.opd_id, min(o.opd_name)," OFFICIAL_MEANS
                      " FROM d LEFT JOIN ipasn.opd_score o ON o.instansi_id = $1"
                      "  AND o.period = $2 AND o.opd_id = d.opd_id"
                      " WHERE d.opd_id IS NOT NULL GROUP BY d.opd_id, d.dimension ORDER BY 1",
        3, p, &rc, err);

    if (!r)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *id = PQgetvalue(r, i, 0);
        struct official_opd *o = rep->n_opd ? &rep->opd[rep->n_opd - 1] : NULL;

        if (!o || strcmp(o->id, id) != 0) {
            rep->opd = xrealloc(rep->opd, (rep->n_opd + 1) * sizeof(*rep->opd));
            o = &rep->opd[rep->n_opd++];
            memset(o, 0, sizeof(*o));
            o->id = xstrdup(id);
            o->name = store_col_dup(r, i, 1);
        }
        take_dim(o->dim, r, i, 2);
    }
    PQclear(r);
    for (size_t i = 0; i < rep->n_opd; i++)
        rep->opd[i].explains = explains(rep->opd[i].dim);
    if (rep->n_opd)
        qsort(rep->opd, rep->n_opd, sizeof(*rep->opd), opd_cmp);
    return 0;
}

int report_official_load(struct store *st, const struct config *cfg, int period,
                         struct report_official **out, struct error *err)
{
    char y[16], tol[32];
    const char *p[] = {cfg->source.instansi_id, y, tol};
    struct report_official *rep;
    int version = 0, rc;

    *out = NULL;
    if ((rc = store_schema_version(st, &version, err)) < 0)
        return rc;
    if (version < STORE_OFFICIAL_SCHEMA_VERSION)
        return 0;
    snprintf(y, sizeof(y), "%d", period);
    snprintf(tol, sizeof(tol), "%.2f", cfg->quality.ipasn_tolerance);
    rep = xcalloc(1, sizeof(*rep));
    if ((rc = load_instansi(st, p, rep, err)) == 0)
        rc = load_opds(st, p, rep, err);
    if (rc < 0 || !rep->dim[OFFICIAL_DIMS - 1].employees) {
        report_official_free(rep);
        return rc < 0 ? rc : 0;
    }
    *out = rep;
    return 0;
}

void report_official_free(struct report_official *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_opd; i++) {
        free(r->opd[i].id);
        free(r->opd[i].name);
    }
    free(r->opd);
    free(r);
}

/* ---- rendering ------------------------------------------------------------- */

static const char *h2(char *buf, size_t size, long long h, bool plus)
{
    return fmt_hundredths(buf, size, h, plus);
}

/* A share in tenths of a percent, rounded half up. */
static long long permille(long long k, long long n)
{
    return n ? report_mean_half_up(k * 1000, n) : 0;
}

void report_official_table(const struct report_official *r, double tolerance, FILE *out)
{
    const struct official_dim *t = &r->dim[OFFICIAL_DIMS - 1];
    char a[32], b[32], c[32], name[4 * 26 + 8]; /* 26 columns of any UTF-8 */

    fprintf(out, "\nAgainst BKN's values (%lld employees with both)\n", t->employees);
    fprintf(out, "  instansi: BKN %s, ipasnd %s (difference %s)\n",
            h2(a, sizeof(a), t->official, false), h2(b, sizeof(b), t->ipasnd, false),
            h2(c, sizeof(c), t->difference, true));
    fprintf(out, "  %-12s %8s %8s %8s  agree within %.2f\n", "dimension", "BKN", "ipasnd", "diff",
            tolerance);
    for (int d = 0; d < OFFICIAL_DIMS; d++) {
        const struct official_dim *x = &r->dim[d];
        long long pm = permille(x->agree, x->employees);

        fprintf(out, "  %-12s %8s %8s %8s  %lld.%lld%% (%lld of %lld)\n", dim_names[d],
                h2(a, sizeof(a), x->official, false), h2(b, sizeof(b), x->ipasnd, false),
                h2(c, sizeof(c), x->difference, true), pm / 10, pm % 10, x->agree, x->employees);
    }
    if (!r->n_opd)
        return;
    fprintf(out, "  %-26s %5s %7s %7s %7s  explained most by\n", "OPD", "n", "BKN", "ipasnd",
            "diff");
    for (size_t i = 0; i < r->n_opd; i++) {
        const struct official_opd *o = &r->opd[i];
        const struct official_dim *x = &o->dim[OFFICIAL_DIMS - 1];
        char e[32];

        report_abbrev(name, sizeof(name), o->name ? o->name : o->id, 26);
        fprintf(out, "  %s %5lld %7s %7s %7s  %s %s\n", name, x->employees,
                h2(a, sizeof(a), x->official, false), h2(b, sizeof(b), x->ipasnd, false),
                h2(c, sizeof(c), x->difference, true), dim_names[o->explains],
                h2(e, sizeof(e), o->dim[o->explains].difference, true));
    }
}

static json_t *jnum(long long hundredths)
{
    return json_real((double)hundredths / 100.0);
}

static json_t *json_dim(const struct official_dim *x)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "employees", (json_int_t)x->employees,
                     "agree", (json_int_t)x->agree, "share",
                     json_real((double)permille(x->agree, x->employees) / 1000.0), "bkn",
                     jnum(x->official), "ipasnd", jnum(x->ipasnd), "mean_difference",
                     jnum(x->difference));
}

json_t *report_official_json(const struct report_official *r, double tolerance)
{
    json_t *dims = json_object(), *opds = json_array();

    for (int d = 0; d < OFFICIAL_DIMS; d++)
        json_object_set_new(dims, dim_names[d], json_dim(&r->dim[d]));
    for (size_t i = 0; i < r->n_opd; i++) {
        const struct official_opd *o = &r->opd[i];
        const struct official_dim *x = &o->dim[OFFICIAL_DIMS - 1];

        json_array_append_new(
            opds, json_pack("{s:s, s:s?, s:I, s:o, s:o, s:o, s:s, s:o}", "opd_id", o->id,
                            "opd_name", o->name, "employees", (json_int_t)x->employees, "bkn",
                            jnum(x->official), "ipasnd", jnum(x->ipasnd), "difference",
                            jnum(x->difference), "explained_by", dim_names[o->explains],
                            "explained_difference", jnum(o->dim[o->explains].difference)));
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "tolerance", json_real(tolerance), "instansi",
                     json_dim(&r->dim[OFFICIAL_DIMS - 1]), "dimensions", dims, "opd", opds);
}

static void csv_row(struct strbuf *b, const char *section, const char *key, const char *name,
                    const struct official_dim *x, const char *explains)
{
    char a[32], c[32], d[32];
    long long pm = permille(x->agree, x->employees);

    report_csv_field(b, section);
    strbuf_addn(b, ",", 1);
    report_csv_field(b, key);
    strbuf_addn(b, ",", 1);
    report_csv_field(b, name ? name : "");
    strbuf_append(b, ",%lld,%lld,%lld.%03lld,%s,%s,%s,%s\r\n", x->employees, x->agree, pm / 1000,
                  pm % 1000, h2(a, sizeof(a), x->official, false),
                  h2(c, sizeof(c), x->ipasnd, false), h2(d, sizeof(d), x->difference, false),
                  explains);
}

void report_official_csv(const struct report_official *r, struct strbuf *b)
{
    strbuf_append(b, "\r\nsection,key,name,employees,agree,share,bkn,ipasnd,difference,"
                     "explained_by\r\n");
    csv_row(b, "bkn_instansi", "total", NULL, &r->dim[OFFICIAL_DIMS - 1], "");
    for (int d = 0; d < OFFICIAL_DIMS; d++)
        csv_row(b, "bkn_dimension", dim_names[d], NULL, &r->dim[d], "");
    for (size_t i = 0; i < r->n_opd; i++)
        csv_row(b, "bkn_opd", r->opd[i].id, r->opd[i].name, &r->opd[i].dim[OFFICIAL_DIMS - 1],
                dim_names[r->opd[i].explains]);
}

/* ---- the HTML page's section ------------------------------------------------ */

static const char *html_dim_label(const struct report *rep, int d)
{
    return d < DIM_COUNT ? report_dimension_label(rep, d) : report_word(rep, W_TOTAL);
}

/* Each dimension's two means as a pair of bars against its maximum: BKN's
 * above, ipasnd's below. */
static void official_chart(struct html *h, const struct report_official *r)
{
    const struct report *rep = report_html_report(h);
    struct strbuf *b = report_html_buf(h);
    char key[64], v[32];

    svg_begin(b, "chart-official", 460, DIM_COUNT * 44 + 8, report_word(rep, W_OFFICIAL));
    for (int d = 0; d < DIM_COUNT; d++) {
        int max = score_dimension_max((enum dimension)d, &rep->cfg->index.rules);
        double y = 4 + 44.0 * d, full = 220.0;
        const struct official_dim *x = &r->dim[d];
        const long long val[2] = {x->official, x->ipasnd};
        const char *who[2] = {"BKN", "ipasnd"}, *what[2] = {"bkn", "ipasnd"};

        svg_text(b, 0, y + 22, SVG_START, NULL, NULL, html_dim_label(rep, d));
        for (int k = 0; k < 2; k++) {
            double top = y + 4 + 18.0 * k, w = max > 0 ? full * (double)val[k] / (max * 100.0) : 0;

            svg_rect(b, 110, top, full, 14, "#e6e6e6");
            svg_rect(b, 110, top, w < 0 ? 0 : w > full ? full : w, 14, k ? "#1f4e9c" : "#6b6b6b");
            svg_text(b, 336, top + 12, SVG_START, "axis", NULL, who[k]);
            snprintf(key, sizeof(key), "official.dimensions.%s.%s", dim_names[d], what[k]);
            svg_text(b, 400, top + 12, SVG_START, "val", key, h2(v, sizeof(v), val[k], false));
        }
    }
    svg_end(b);
}

static void official_dim_row(struct html *h, const struct report_official *r, int d)
{
    const struct report *rep = report_html_report(h);
    const struct official_dim *x = &r->dim[d];
    long long pm = permille(x->agree, x->employees);
    char key[64], share[32];
    static const char *const what[] = {"bkn", "ipasnd", "mean_difference"};
    const long long val[] = {x->official, x->ipasnd, x->difference};

    report_html_markup(h, "<tr><th>");
    report_html_text(h, html_dim_label(rep, d));
    report_html_markup(h, "</th>");
    for (int k = 0; k < 3; k++) {
        report_html_markup(h, "<td class=\"r\">");
        snprintf(key, sizeof(key), "official.dimensions.%s.%s", dim_names[d], what[k]);
        report_html_number(h, key, val[k], k == 2);
        report_html_markup(h, "</td>");
    }
    snprintf(share, sizeof(share), "%lld.%lld%% (", pm / 10, pm % 10);
    report_html_markup(h, "<td class=\"r\">");
    report_html_text(h, share);
    snprintf(key, sizeof(key), "official.dimensions.%s.agree", dim_names[d]);
    report_html_count(h, key, x->agree);
    report_html_markup(h, ")</td></tr>\n");
}

static void official_opd_row(struct html *h, const struct report_official *r, size_t i)
{
    const struct report *rep = report_html_report(h);
    const struct official_opd *o = &r->opd[i];
    const struct official_dim *x = &o->dim[OFFICIAL_DIMS - 1];
    char key[64];
    static const char *const what[] = {"bkn", "ipasnd", "difference"};
    const long long val[] = {x->official, x->ipasnd, x->difference};

    report_html_markup(h, "<tr><th>");
    report_html_text(h, o->name ? o->name : o->id);
    report_html_markup(h, "</th><td class=\"r\">");
    snprintf(key, sizeof(key), "official.opd.%zu.employees", i);
    report_html_count(h, key, x->employees);
    report_html_markup(h, "</td>");
    for (int k = 0; k < 3; k++) {
        report_html_markup(h, "<td class=\"r\">");
        snprintf(key, sizeof(key), "official.opd.%zu.%s", i, what[k]);
        report_html_number(h, key, val[k], k == 2);
        report_html_markup(h, "</td>");
    }
    report_html_markup(h, "<td>");
    report_html_text(h, html_dim_label(rep, o->explains));
    report_html_markup(h, " ");
    snprintf(key, sizeof(key), "official.opd.%zu.explained_difference", i);
    report_html_number(h, key, o->dim[o->explains].difference, true);
    report_html_markup(h, "</td></tr>\n");
}

void report_official_html(struct html *h)
{
    const struct report *rep = report_html_report(h);
    const struct report_official *r = rep->official;
    const struct official_dim *t;

    if (!r || rep->o->opd_id)
        return;
    t = &r->dim[OFFICIAL_DIMS - 1];
    report_html_section_begin(h, "official", report_word(rep, W_OFFICIAL));
    report_html_markup(h, "<p>BKN <strong>");
    report_html_number(h, "official.instansi.bkn", t->official, false);
    report_html_markup(h, "</strong>, ipasnd <strong>");
    report_html_number(h, "official.instansi.ipasnd", t->ipasnd, false);
    report_html_markup(h, "</strong> (");
    report_html_text(h, report_word(rep, W_DIFFERENCE));
    report_html_markup(h, " ");
    report_html_number(h, "official.instansi.mean_difference", t->difference, true);
    report_html_markup(h, "), ");
    report_html_count(h, "official.instansi.employees", t->employees);
    report_html_markup(h, " ");
    report_html_text(h, report_word(rep, W_OFFICIAL_OVER));
    report_html_markup(h, ".</p>\n");
    official_chart(h, r);
    report_html_markup(h, "<table class=\"official\"><thead><tr><th></th><th class=\"r\">BKN</th>"
                          "<th class=\"r\">ipasnd</th><th class=\"r\">");
    report_html_text(h, report_word(rep, W_DIFFERENCE));
    report_html_markup(h, "</th><th class=\"r\">");
    report_html_text(h, report_word(rep, W_AGREE));
    report_html_markup(h, "</th></tr></thead><tbody>\n");
    for (int d = 0; d < OFFICIAL_DIMS; d++)
        official_dim_row(h, r, d);
    report_html_markup(h, "</tbody></table>\n<table class=\"official\"><thead><tr><th>");
    report_html_text(h, report_word(rep, W_OPD));
    report_html_markup(h, "</th><th class=\"r\">n</th><th class=\"r\">BKN</th>"
                          "<th class=\"r\">ipasnd</th><th class=\"r\">");
    report_html_text(h, report_word(rep, W_DIFFERENCE));
    report_html_markup(h, "</th><th>");
    report_html_text(h, report_word(rep, W_EXPLAINED_BY));
    report_html_markup(h, "</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->n_opd; i++)
        official_opd_row(h, r, i);
    report_html_markup(h, "</tbody></table>\n");
    report_html_section_end(h);
}
