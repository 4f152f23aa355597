#include "autoconfig.h"

#include "report.h"
#include "report_int.h"

#include "siasn.h"

#include "aggregate.h"
#include "report_official.h"
#include "score.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The table fits an 80-column terminal. */
#define WIDTH 80
/* A buffer for report_fit of up to WIDTH columns of any UTF-8. */
#define FIT (4 * WIDTH + 8)

/* ---- formatting ------------------------------------------------------------ */

long long report_mean_half_up(long long sum, long long n)
{
    if (n <= 0 || sum < 0)
        return 0;
    return sum / n + (2 * (sum % n) >= n ? 1 : 0);
}

void report_fit(char *dst, size_t size, const char *src, int width)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    char *clean = xmalloc(strlen(src ? src : "") + 1);
    size_t in = 0, out = 0, count = 0, total = 0;

    text_strip(clean, strlen(src ? src : "") + 1, src ? src : "");
    for (size_t i = 0; clean[i]; i += utf8_seq_len((const unsigned char *)clean + i))
        total++;
    while (clean[in] && count < (size_t)width) {
        size_t n = utf8_seq_len((const unsigned char *)clean + in);

        if (total > (size_t)width && count + 1 == (size_t)width) {
            /* "Dinas Pendidikan…", not "Dinas Pendidikan …" */
            while (out && dst[out - 1] == ' ') {
                out--;
                count--;
            }
            if (out + sizeof(ellipsis) <= size) {
                memcpy(dst + out, ellipsis, sizeof(ellipsis) - 1);
                out += sizeof(ellipsis) - 1;
                count++;
            }
            break;
        }
        if (out + n >= size)
            break;
        memcpy(dst + out, clean + in, n);
        out += n;
        in += n;
        count++;
    }
    while (count < (size_t)width && out + 1 < size) {
        dst[out++] = ' ';
        count++;
    }
    if (size)
        dst[out < size ? out : size - 1] = '\0';
    free(clean);
}

void report_abbrev(char *dst, size_t size, const char *name, int width)
{
    char *clean, *acronym;
    size_t len = strlen(name ? name : ""), out = 0;
    const char *p;

    clean = xmalloc(len + 1);
    text_strip(clean, len + 1, name ? name : "");
    if (utf8_width(clean) <= (size_t)width) {
        report_fit(dst, size, clean, width);
        free(clean);
        return;
    }
    /* The first word, then the initial of every later word that does not
     * start in lower case ("dan" is left out). */
    acronym = xmalloc(len + 1);
    p = clean + strspn(clean, " ");
    while (*p && *p != ' ')
        acronym[out++] = *p++;
    acronym[out++] = ' ';
    while (*(p += strspn(p, " "))) {
        size_t n = utf8_seq_len((const unsigned char *)p);

        if (n > 1 || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
            memcpy(acronym + out, p, n);
            out += n;
        }
        p += strcspn(p, " ");
    }
    acronym[out] = '\0';
    report_fit(dst, size, utf8_width(acronym) <= (size_t)width ? acronym : clean, width);
    free(acronym);
    free(clean);
}

/* report_fit without the padding. */
static const char *fit_trim(char *dst, size_t size, const char *src, int width)
{
    size_t n;

    report_fit(dst, size, src, width);
    n = strlen(dst);
    while (n && dst[n - 1] == ' ')
        dst[--n] = '\0';
    return dst;
}

void report_csv_field(struct strbuf *b, const char *s)
{
    char *flat = text_flat(s);
    const char *first = flat + strspn(flat, " ");
    /* A spreadsheet may take a cell that starts so for a formula (OWASP's
     * rule: =, +, -, @, a tab or a carriage return, here after any
     * spaces): a quote in front makes it text. */
    bool formula = (*first && strchr("=+-@", *first)) || (s && (*s == '\t' || *s == '\r'));

    if (!formula && !strpbrk(flat, ",\"")) {
        strbuf_addn(b, flat, strlen(flat));
    } else {
        strbuf_addn(b, "\"", 1);
        if (formula)
            strbuf_addn(b, "'", 1);
        for (const char *p = flat; *p; p++) {
            if (*p == '"')
                strbuf_addn(b, "\"", 1);
            strbuf_addn(b, p, 1);
        }
        strbuf_addn(b, "\"", 1);
    }
    free(flat);
}

const char *report_dimension_name(int d)
{
    static const char *const names[DIM_COUNT] = {"qualification", "competency", "performance",
                                                 "discipline"};

    return d >= 0 && d < DIM_COUNT ? names[d] : "unknown";
}

int report_weakest(const long long means[4], const struct rules *r)
{
    int best = 0;

    /* means[d] / max[d] < means[best] / max[best], without division. */
    for (int d = 1; d < DIM_COUNT; d++)
        if (means[d] * score_dimension_max((enum dimension)best, r) <
            means[best] * score_dimension_max((enum dimension)d, r))
            best = d;
    return best;
}

void report_gain_order(const long long gain[GAP_COUNT], int order[GAP_COUNT])
{
    /* insertion sort: equal gains keep the order of enum gap_kind */
    for (int k = 0; k < GAP_COUNT; k++) {
        int j = k;

        while (j > 0 && gain[order[j - 1]] < gain[k]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
}

int report_parse_format(const char *s, enum report_format *out)
{
    static const char *const names[] = {[REPORT_TABLE] = "table",
                                        [REPORT_JSON] = "json",
                                        [REPORT_CSV] = "csv",
                                        [REPORT_HTML] = "html"};

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum report_format)i;
            return 0;
        }
    }
    return -1;
}

/* ---- queries --------------------------------------------------------------- */

/* The as-of date of a period: the configured one for the configured
 * period (or another date in the same year), else 31 December. */
static date_t period_as_of(const struct config_index *cfg_idx, int period)
{
    struct config_index idx = *cfg_idx;

    idx.period = period;
    if (idx.as_of != DATE_NONE && date_year(idx.as_of) != period)
        idx.as_of = DATE_NONE;
    return config_as_of(&idx);
}

static void report_free(struct report *rep)
{
    for (size_t i = 0; i < rep->n_opd; i++) {
        free(rep->opd[i].id);
        free(rep->opd[i].name);
    }
    free(rep->opd);
    for (size_t i = 0; i < rep->n_codes; i++) {
        for (size_t k = 0; k < rep->codes[i].n_by_opd; k++) {
            free(rep->codes[i].by_opd[k].opd_id);
            free(rep->codes[i].by_opd[k].opd_name);
        }
        free(rep->codes[i].by_opd);
        free(rep->codes[i].code);
    }
    free(rep->codes);
    for (size_t i = 0; i < rep->n_issue_opds; i++) {
        free(rep->issue_opds[i].opd_id);
        free(rep->issue_opds[i].opd_name);
    }
    free(rep->issue_opds);
    for (size_t i = 0; i < rep->n_emp; i++) {
        free(rep->emp[i].nip);
        free(rep->emp[i].name);
        free(rep->emp[i].opd_name);
        free(rep->emp[i].gaps);
    }
    free(rep->emp);
    free(rep->series);
    report_official_free(rep->official);
}

/* The instansi value of the period and of the one before. The previous
 * value is index.previous when it is set and the period is the configured
 * one (the value from before ipasnd's history), else what ipasnd computed
 * for the period before, else none. */
static int load_instansi(struct store *st, struct report *rep, const char *const *p,
                         struct error *err)
{
    int rc = 0;
    PGresult *r = store_query(st,
                              "SELECT period, employees, (total * 100)::bigint, category"
                              " FROM ipasn.instansi_score"
                              " WHERE instansi_id = $1 AND period IN ($2::int, $2::int - 1)",
                              2, p, &rc, err);
    const struct config_index *idx = &rep->cfg->index;

    if (!r)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        if (store_col_int(r, i, 0) == rep->period) {
            rep->inst.present = true;
            rep->inst.employees = store_col_int(r, i, 1);
            rep->inst.total = store_col_int(r, i, 2);
            store_col_copy(rep->inst.category, sizeof(rep->inst.category), r, i, 3);
        } else {
            rep->inst.has_previous = true;
            rep->inst.previous = store_col_int(r, i, 2);
        }
    }
    PQclear(r);
    if (index_previous_configured(idx, rep->period)) {
        rep->inst.has_previous = true;
        rep->inst.previous = index_previous(idx, rep->period, -1);
    }
    return 0;
}

/* Coverage and the instansi-wide gaps, from the employees' rows. */
static int load_gaps(struct store *st, struct report *rep, const char *const *p, struct error *err)
{
    struct strbuf sql = {0};
    int rc = 0;
    PGresult *r;

    strbuf_append(&sql, "SELECT count(*), count(*) FILTER (WHERE has_education),"
                        " count(*) FILTER (WHERE has_competency_data),"
                        " count(*) FILTER (WHERE has_skp)");
    for (int g = 0; g < GAP_COUNT; g++)
        strbuf_append(
            &sql, ", count(*) FILTER (WHERE gap_%s > 0), coalesce(sum(gap_%s) * 100, 0)::bigint",
            gap_name((enum gap_kind)g), gap_name((enum gap_kind)g));
    strbuf_append(&sql, " FROM ipasn.v_employee_gap WHERE instansi_id = $1 AND period = $2");
    r = store_query(st, sql.s, 2, p, &rc, err);
    strbuf_free(&sql);
    if (!r)
        return rc;
    rep->inst.scored = store_col_int(r, 0, 0);
    rep->inst.coverage[DIM_QUALIFICATION] = store_col_int(r, 0, 1);
    rep->inst.coverage[DIM_COMPETENCY] = store_col_int(r, 0, 2);
    rep->inst.coverage[DIM_PERFORMANCE] = store_col_int(r, 0, 3);
    rep->inst.coverage[DIM_DISCIPLINE] = rep->inst.scored; /* every employee is measured */
    for (int g = 0; g < GAP_COUNT; g++) {
        rep->gaps[g].employees = store_col_int(r, 0, 4 + 2 * g);
        rep->gaps[g].sum = store_col_int(r, 0, 5 + 2 * g);
        rep->gaps[g].gain = report_mean_half_up(rep->gaps[g].sum, rep->inst.scored);
    }
    PQclear(r);
    return 0;
}

/* The OPD ranking with each OPD's gains. The target is index.target of the
 * configuration, not the one stored with the aggregates (the target at
 * their last refresh): the report answers for the target in force. */
static int load_opds(struct store *st, struct report *rep, const char *const *p, struct error *err)
{
    struct strbuf sql = {0};
    int rc = 0;
    PGresult *r;

    strbuf_append(&sql, "SELECT o.opd_id, o.opd_name, o.rank, o.employees,"
                        " (o.qualification * 100)::bigint, (o.competency * 100)::bigint,"
                        " (o.performance * 100)::bigint, (o.discipline * 100)::bigint,"
                        " (o.total * 100)::bigint, o.category, g.opd_id IS NOT NULL");
    for (int k = 0; k < GAP_COUNT; k++)
        strbuf_append(&sql, ", (g.gain_%s * 100)::bigint, (g.total_if_%s * 100)::bigint",
                      gap_name((enum gap_kind)k), gap_name((enum gap_kind)k));
    strbuf_append(&sql, " FROM ipasn.opd_score o LEFT JOIN ipasn.v_opd_gain g"
                        " ON g.instansi_id = o.instansi_id AND g.period = o.period"
                        " AND g.opd_id = o.opd_id"
                        " WHERE o.instansi_id = $1 AND o.period = $2"
                        " ORDER BY o.rank, o.total DESC, o.opd_id");
    r = store_query(st, sql.s, 2, p, &rc, err);
    strbuf_free(&sql);
    if (!r)
        return rc;
    rep->n_opd = (size_t)PQntuples(r);
    rep->opd = xcalloc(rep->n_opd + 1, sizeof(*rep->opd));
    for (size_t i = 0; i < rep->n_opd; i++) {
        struct opd_row *o = &rep->opd[i];
        int row = (int)i;

        o->id = store_col_dup(r, row, 0);
        o->name = store_col_dup(r, row, 1);
        o->rank = (int)store_col_int(r, row, 2);
        o->employees = store_col_int(r, row, 3);
        for (int d = 0; d < DIM_COUNT; d++)
            o->dim[d] = store_col_int(r, row, 4 + d);
        o->total = store_col_int(r, row, 8);
        store_col_copy(o->category, sizeof(o->category), r, row, 9);
        o->below = o->total < rep->target;
        o->weakest = report_weakest(o->dim, &rep->cfg->index.rules);
        o->has_gains = strcmp(PQgetvalue(r, row, 10), "t") == 0;
        for (int k = 0; k < GAP_COUNT; k++) {
            o->gain[k] = store_col_int(r, row, 11 + 2 * k);
            o->reach[k] = store_col_int(r, row, 12 + 2 * k);
        }
    }
    PQclear(r);
    return 0;
}

static void take_count(struct issue_count *ic, const PGresult *r, int row, int col)
{
    ic->opd_id = store_col_dup(r, row, col);
    ic->opd_name = store_col_dup(r, row, col + 1);
    ic->open = store_col_int(r, row, col + 2);
}

/* Open issues by code (most first), each by OPD (worst first), and by OPD
 * across codes. */
static int load_issues(struct store *st, struct report *rep, const char *const *p,
                       struct error *err)
{
    int rc = 0;
    PGresult *r =
        store_query(st,
                    "SELECT i.code, e.opd_id, max(e.opd_name), count(*),"
                    " sum(count(*)) OVER (PARTITION BY i.code)"
                    " FROM ipasn.issue i LEFT JOIN ipasn.employee e USING (instansi_id, nip)"
                    " WHERE i.instansi_id = $1 AND i.resolved_at IS NULL"
                    " GROUP BY i.code, e.opd_id"
                    " ORDER BY 5 DESC, i.code, 4 DESC, e.opd_id NULLS LAST",
                    1, p, &rc, err);

    if (!r)
        return rc;
    rep->codes = xcalloc((size_t)PQntuples(r) + 1, sizeof(*rep->codes));
    for (int i = 0; i < PQntuples(r); i++) {
        struct issue_code *ic;

        if (!rep->n_codes || strcmp(rep->codes[rep->n_codes - 1].code, PQgetvalue(r, i, 0))) {
            ic = &rep->codes[rep->n_codes++];
            ic->code = xstrdup(PQgetvalue(r, i, 0));
            ic->open = store_col_int(r, i, 4);
            ic->by_opd = xcalloc((size_t)PQntuples(r), sizeof(*ic->by_opd));
        }
        ic = &rep->codes[rep->n_codes - 1];
        take_count(&ic->by_opd[ic->n_by_opd++], r, i, 1);
        rep->issues_open += store_col_int(r, i, 3);
    }
    PQclear(r);

    if (!(r = store_query(st,
                          "SELECT e.opd_id, max(e.opd_name), count(*)"
                          " FROM ipasn.issue i LEFT JOIN ipasn.employee e USING (instansi_id, nip)"
                          " WHERE i.instansi_id = $1 AND i.resolved_at IS NULL"
                          " GROUP BY e.opd_id ORDER BY 3 DESC, e.opd_id NULLS LAST",
                          1, p, &rc, err)))
        return rc;
    rep->n_issue_opds = (size_t)PQntuples(r);
    rep->issue_opds = xcalloc(rep->n_issue_opds + 1, sizeof(*rep->issue_opds));
    for (size_t i = 0; i < rep->n_issue_opds; i++)
        take_count(&rep->issue_opds[i], r, (int)i, 0);
    PQclear(r);
    return 0;
}

/* The employees of one OPD, worst total first. */
static int load_employees(struct store *st, struct report *rep, const char *const *p,
                          struct error *err)
{
    struct strbuf sql = {0};
    int rc = 0;
    PGresult *r;

    strbuf_append(&sql, "SELECT nip, name, opd_name, (total * 100)::bigint, category, gaps");
    for (int k = 0; k < GAP_COUNT; k++)
        strbuf_append(&sql, ", (gap_%s * 100)::bigint", gap_name((enum gap_kind)k));
    strbuf_append(&sql, " FROM ipasn.v_employee_gap"
                        " WHERE instansi_id = $1 AND period = $2 AND opd_id = $3"
                        " ORDER BY total, nip");
    r = store_query(st, sql.s, 3, p, &rc, err);
    strbuf_free(&sql);
    if (!r)
        return rc;
    rep->n_emp = (size_t)PQntuples(r);
    rep->emp = xcalloc(rep->n_emp + 1, sizeof(*rep->emp));
    for (size_t i = 0; i < rep->n_emp; i++) {
        struct employee_row *e = &rep->emp[i];
        int row = (int)i;

        e->nip = store_col_dup(r, row, 0);
        e->name = store_col_dup(r, row, 1);
        e->opd_name = store_col_dup(r, row, 2);
        e->total = store_col_int(r, row, 3);
        store_col_copy(e->category, sizeof(e->category), r, row, 4);
        e->gaps = store_col_dup(r, row, 5);
        for (int k = 0; k < GAP_COUNT; k++)
            e->gap[k] = store_col_int(r, row, 6 + k);
    }
    PQclear(r);
    return 0;
}

/* Everything in one read-only snapshot. */
static int load(struct store *st, struct report *rep, struct error *err)
{
    char period[16];
    const char *p[] = {rep->cfg->source.instansi_id, period, rep->o->opd_id};
    int rc;

    snprintf(period, sizeof(period), "%d", rep->period);
    if ((rc = store_require_schema(st, REPORT_SCHEMA_VERSION, err)) < 0 ||
        (rc = store_snapshot_begin(st, err)) < 0)
        return rc;
    if ((rc = load_instansi(st, rep, p, err)) == 0 && (rc = load_gaps(st, rep, p, err)) == 0 &&
        (rc = load_opds(st, rep, p, err)) == 0 && (rc = report_load_trend(st, rep, p, err)) == 0 &&
        (rc = load_issues(st, rep, p, err)) == 0 &&
        (rc = report_official_load(st, rep->cfg, rep->period, &rep->official, err)) == 0 &&
        rep->o->opd_id)
        rc = load_employees(st, rep, p, err);
    store_snapshot_end(st);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *jnum(long long hundredths)
{
    return json_real((double)hundredths / 100.0);
}

/* A string, or null for NULL (the database sends valid UTF-8). */
static json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;

    return j ? j : json_null();
}

/* A change, or null without the history it is measured from. */
static json_t *jchange(bool has, long long h)
{
    return has ? jnum(h) : json_null();
}

/* The changes and the pace of a value, into its object j. */
static void json_trend(json_t *j, const struct report_trend *t)
{
    const struct trend_fit *f = &t->fit;

    json_object_set_new(j, "change_7d", jchange(t->has_7d, t->change_7d));
    json_object_set_new(j, "change_30d", jchange(t->has_30d, t->change_30d));
    json_object_set_new(
        j, "pace",
        json_pack("{s:i,s:b,s:o,s:o,s:o}", "days", f->days, "enough", f->enough, "per_day",
                  f->enough ? json_real(round(f->slope) / 100.0) : json_null(), "projected",
                  f->enough ? jnum(f->projected) : json_null(), "reaches_target",
                  f->enough ? json_boolean(f->reaches) : json_null()));
}

static json_t *json_series(const struct report *rep)
{
    json_t *a = json_array();
    char d[16];

    for (size_t i = 0; i < rep->n_series; i++)
        json_array_append_new(a,
                              json_pack("{s:s,s:o}", "day",
                                        date_format(rep->today + rep->series[i].day, d, sizeof(d)),
                                        "total", jnum(rep->series[i].value)));
    return a;
}

static json_t *json_coverage(const struct report *rep)
{
    json_t *cov = json_object();

    for (int d = 0; d < DIM_COUNT; d++) {
        long long n = rep->inst.coverage[d];

        json_object_set_new(cov, report_dimension_name(d),
                            json_pack("{s:I,s:o}", "employees", (json_int_t)n, "percent",
                                      jnum(report_mean_half_up(n * 10000, rep->inst.scored))));
    }
    return cov;
}

static json_t *json_instansi(const struct report *rep)
{
    const struct instansi_row *in = &rep->inst;
    json_t *j = json_object();

    json_object_set_new(j, "total", jnum(in->total));
    json_object_set_new(j, "category", jstr(in->category));
    json_object_set_new(j, "employees", json_integer(in->employees));
    json_object_set_new(j, "target", jnum(rep->target));
    json_object_set_new(j, "previous", in->has_previous ? jnum(in->previous) : json_null());
    json_object_set_new(j, "change",
                        in->has_previous ? jnum(in->total - in->previous) : json_null());
    json_object_set_new(j, "gap_to_target", jnum(rep->target - in->total));
    json_object_set_new(j, "days_to_cutoff", json_integer(rep->days_to_cutoff));
    json_object_set_new(j, "coverage", json_coverage(rep));
    json_trend(j, &in->trend);
    json_object_set_new(j, "trend", json_series(rep));
    return j;
}

static json_t *json_opd(const struct opd_row *o)
{
    static const char *const dims[DIM_COUNT] = {"qualification", "competency", "performance",
                                                "discipline"};
    json_t *j = json_object(), *gains = o->has_gains ? json_object() : json_null();

    json_object_set_new(j, "rank", json_integer(o->rank));
    json_object_set_new(j, "opd_id", jstr(o->id));
    json_object_set_new(j, "opd_name", jstr(o->name));
    json_object_set_new(j, "employees", json_integer(o->employees));
    for (int d = 0; d < DIM_COUNT; d++)
        json_object_set_new(j, dims[d], jnum(o->dim[d]));
    json_object_set_new(j, "total", jnum(o->total));
    json_object_set_new(j, "category", jstr(o->category));
    json_object_set_new(j, "below_target", json_boolean(o->below));
    json_object_set_new(j, "weakest", json_string(report_dimension_name(o->weakest)));
    for (int k = 0; o->has_gains && k < GAP_COUNT; k++)
        json_object_set_new(
            gains, gap_name((enum gap_kind)k),
            json_pack("{s:o,s:o}", "gain", jnum(o->gain[k]), "total", jnum(o->reach[k])));
    json_object_set_new(j, "gains", gains);
    json_trend(j, &o->trend);
    return j;
}

static json_t *json_issues(const struct report *rep)
{
    json_t *a = json_array();

    for (size_t i = 0; i < rep->n_codes; i++) {
        const struct issue_code *ic = &rep->codes[i];
        json_t *by = json_array();

        for (size_t k = 0; k < ic->n_by_opd; k++)
            json_array_append_new(by,
                                  json_pack("{s:o,s:o,s:I}", "opd_id", jstr(ic->by_opd[k].opd_id),
                                            "opd_name", jstr(ic->by_opd[k].opd_name), "open",
                                            (json_int_t)ic->by_opd[k].open));
        json_array_append_new(a, json_pack("{s:o,s:I,s:o}", "code", jstr(ic->code), "open",
                                           (json_int_t)ic->open, "by_opd", by));
    }
    return a;
}

/* The gaps' details, one per line, as an array. */
static json_t *json_lines(const char *text)
{
    json_t *a = json_array();

    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        json_t *s = n ? json_stringn(text, n) : NULL;

        if (s)
            json_array_append_new(a, s);
        text += n + (nl ? 1 : 0);
    }
    return a;
}

static json_t *json_employees(const struct report *rep)
{
    json_t *a = json_array();

    for (size_t i = 0; i < rep->n_emp; i++) {
        const struct employee_row *e = &rep->emp[i];
        json_t *gains = json_object();

        for (int k = 0; k < GAP_COUNT; k++)
            json_object_set_new(gains, gap_name((enum gap_kind)k), jnum(e->gap[k]));
        json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "nip", jstr(e->nip), "name",
                                           jstr(e->name), "total", jnum(e->total), "category",
                                           jstr(e->category), "gaps", json_lines(e->gaps), "gains",
                                           gains));
    }
    return a;
}

static int render_json(const struct report *rep, FILE *out, struct error *err)
{
    char asof[16];
    json_t *doc = json_object(), *opd = json_array(), *gaps = json_array();
    int rc = 0;

    json_object_set_new(doc, "period", json_integer(rep->period));
    json_object_set_new(doc, "as_of", json_string(date_format(rep->as_of, asof, sizeof(asof))));
    json_object_set_new(doc, "instansi", rep->inst.present ? json_instansi(rep) : json_null());
    for (size_t i = 0; rep->inst.present && i < rep->n_opd; i++)
        json_array_append_new(opd, json_opd(&rep->opd[i]));
    json_object_set_new(doc, "opd", opd);
    for (int k = 0; rep->inst.present && k < GAP_COUNT; k++)
        json_array_append_new(
            gaps, json_pack("{s:s,s:I,s:o}", "indicator", gap_name((enum gap_kind)k), "employees",
                            (json_int_t)rep->gaps[k].employees, "gain", jnum(rep->gaps[k].gain)));
    json_object_set_new(doc, "gaps", gaps);
    json_object_set_new(doc, "issues", rep->inst.present ? json_issues(rep) : json_array());
    if (rep->o->opd_id)
        json_object_set_new(doc, "employees",
                            rep->inst.present ? json_employees(rep) : json_array());
    if (rep->official && !rep->o->opd_id)
        json_object_set_new(doc, "official",
                            report_official_json(rep->official, rep->cfg->quality.ipasn_tolerance));
    if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) < 0 ||
        fputc('\n', out) < 0) {
        error_set(err, "cannot write the report");
        rc = STORE_ERR;
    }
    json_decref(doc);
    return rc;
}

/* ---- CSV ------------------------------------------------------------------- */

static void csv_num(struct strbuf *b, long long h)
{
    char buf[32];

    strbuf_append(b, ",%s", fmt_hundredths(buf, sizeof(buf), h, false));
}

static void csv_text(struct strbuf *b, const char *s)
{
    strbuf_addn(b, ",", 1);
    report_csv_field(b, s);
}

/* The changes and the projection, empty without the history. */
static void csv_trend(struct strbuf *b, const struct report_trend *t)
{
    if (t->has_7d)
        csv_num(b, t->change_7d);
    else
        strbuf_addn(b, ",", 1);
    if (t->has_30d)
        csv_num(b, t->change_30d);
    else
        strbuf_addn(b, ",", 1);
    if (t->fit.enough) {
        csv_num(b, t->fit.projected);
        strbuf_append(b, ",%s", t->fit.reaches ? "true" : "false");
    } else {
        strbuf_addn(b, ",,", 2);
    }
}

/* RFC 4180: records end in CRLF. */
static void render_csv_opds(const struct report *rep, struct strbuf *b)
{
    strbuf_append(b, "rank,opd_id,opd_name,employees,qualification,competency,performance,"
                     "discipline,total,category,below_target,weakest");
    for (int k = 0; k < GAP_COUNT; k++)
        strbuf_append(b, ",gain_%s", gap_name((enum gap_kind)k));
    strbuf_append(b, ",change_7d,change_30d,projected,reaches_target\r\n");
    for (size_t i = 0; rep->inst.present && i < rep->n_opd; i++) {
        const struct opd_row *o = &rep->opd[i];

        strbuf_append(b, "%d", o->rank);
        csv_text(b, o->id);
        csv_text(b, o->name);
        strbuf_append(b, ",%lld", o->employees);
        for (int d = 0; d < DIM_COUNT; d++)
            csv_num(b, o->dim[d]);
        csv_num(b, o->total);
        csv_text(b, o->category);
        strbuf_append(b, ",%s,%s", o->below ? "true" : "false", report_dimension_name(o->weakest));
        for (int k = 0; k < GAP_COUNT; k++) {
            if (o->has_gains)
                csv_num(b, o->gain[k]);
            else
                strbuf_addn(b, ",", 1);
        }
        csv_trend(b, &o->trend);
        strbuf_append(b, "\r\n");
    }
}

static void render_csv_employees(const struct report *rep, struct strbuf *b)
{
    strbuf_append(b, "nip,name,opd_id,total,category");
    for (int k = 0; k < GAP_COUNT; k++)
        strbuf_append(b, ",gap_%s", gap_name((enum gap_kind)k));
    strbuf_append(b, ",gaps\r\n");
    for (size_t i = 0; rep->inst.present && i < rep->n_emp; i++) {
        const struct employee_row *e = &rep->emp[i];
        struct strbuf lines = {0};

        report_csv_field(b, e->nip);
        csv_text(b, e->name);
        csv_text(b, rep->o->opd_id);
        csv_num(b, e->total);
        csv_text(b, e->category);
        for (int k = 0; k < GAP_COUNT; k++)
            csv_num(b, e->gap[k]);
        /* The details on one line, "; " between them. */
        for (const char *s = e->gaps ? e->gaps : ""; *s; s++) {
            if (*s == '\n') {
                if (s[1])
                    strbuf_addn(&lines, "; ", 2);
            } else {
                strbuf_addn(&lines, s, 1);
            }
        }
        csv_text(b, lines.s ? lines.s : "");
        strbuf_free(&lines);
        strbuf_append(b, "\r\n");
    }
}

static int render_csv(const struct report *rep, FILE *out, struct error *err)
{
    struct strbuf b = {0};
    int rc = 0;

    if (rep->o->opd_id)
        render_csv_employees(rep, &b);
    else
        render_csv_opds(rep, &b);
    if (rep->official && !rep->o->opd_id)
        report_official_csv(rep->official, &b);
    if (fwrite(b.s, 1, b.len, out) != b.len) {
        error_set(err, "cannot write the report");
        rc = STORE_ERR;
    }
    strbuf_free(&b);
    return rc;
}

/* ---- table ----------------------------------------------------------------- */

static const char *const dim_short[DIM_COUNT] = {"qual", "comp", "perf", "disc"};
static const char *const dim_short_id[DIM_COUNT] = {"kual", "komp", "kin", "disp"};

static const char *h2(char *buf, size_t size, long long h)
{
    return fmt_hundredths(buf, size, h, false);
}

static void table_header(const struct report *rep, FILE *out)
{
    char asof[16];

    bool id = rep->cfg->report.language == REPORT_LANG_ID;

    date_format(rep->as_of, asof, sizeof(asof));
    fprintf(out, "IP ASN, %s %d, %s %s: ", report_word(rep, W_PERIOD), rep->period,
            report_word(rep, W_AS_OF), asof);
    if (rep->days_to_cutoff > 0)
        fprintf(out, "%s %d %s\n", report_word(rep, W_CUTOFF_IN), rep->days_to_cutoff,
                id                         ? "hari"
                : rep->days_to_cutoff == 1 ? "day"
                                           : "days");
    else if (rep->days_to_cutoff == 0)
        fprintf(out, "%s\n", report_word(rep, W_CUTOFF_TODAY));
    else
        fprintf(out, "%s %d %s\n", report_word(rep, W_CUTOFF_PASSED), -rep->days_to_cutoff,
                id                          ? "hari"
                : rep->days_to_cutoff == -1 ? "day ago"
                                            : "days ago");
}

static bool id_lang(const struct report *rep)
{
    return rep->cfg->report.language == REPORT_LANG_ID;
}

/* "+0.40" or "-", a change without its history. */
static const char *change_text(char *buf, size_t size, bool has, long long h)
{
    return has ? fmt_hundredths(buf, size, h, true) : "-";
}

/* The change over 7 and 30 days and the pace toward the cut-off. */
static void table_trend(const struct report *rep, const struct report_trend *t, FILE *out)
{
    char a[32], b[32];
    const struct trend_fit *f = &t->fit;

    if (!t->has_7d && !t->has_30d)
        fprintf(out, "  %-22s %7s  %s\n", id_lang(rep) ? "perubahan 7/30 hari" : "over 7/30 days",
                "-", report_word(rep, W_NO_HISTORY));
    else
        fprintf(out, "  %-22s %7s  %s\n", id_lang(rep) ? "perubahan 7/30 hari" : "over 7/30 days",
                change_text(a, sizeof(a), t->has_7d, t->change_7d),
                change_text(b, sizeof(b), t->has_30d, t->change_30d));
    if (!f->enough) {
        fprintf(out, "  %-22s %7s  %s (%d/%d %s)\n",
                id_lang(rep) ? "laju 30 hari" : "pace (30 days)", "-",
                report_word(rep, W_NOT_ENOUGH), f->days, TREND_MIN_DAYS, report_word(rep, W_DAYS));
        return;
    }
    fprintf(out, "  %-22s %7s  %s: %s %s\n", id_lang(rep) ? "laju 30 hari" : "pace (30 days)",
            fmt_hundredths(a, sizeof(a), (long long)llround(f->slope), true),
            report_word(rep, W_PACE_PER_DAY), h2(b, sizeof(b), f->projected),
            report_word(rep, W_PROJECTED));
    fprintf(out, "  %-22s %7s  %s\n", "", "",
            report_word(rep, f->reaches ? W_ON_PACE : W_OFF_PACE));
}

/* Each OPD's change and projection, when the history holds any. */
static void table_opd_trend(const struct report *rep, FILE *out)
{
    char name[FIT], t[32], a[32], b[32], p[32];
    bool any = false;

    for (size_t i = 0; i < rep->n_opd; i++)
        any |= rep->opd[i].trend.fit.days > 0;
    if (!any)
        return;
    fprintf(out, "\n%s\n",
            id_lang(rep) ? "Tren OPD (perubahan 7 dan 30 hari, proyeksi batas data)"
                         : "OPD trend (over 7 and 30 days, and at the cut-off)");
    fprintf(out, "  %-30s %7s %7s %7s %8s\n", report_word(rep, W_OPD), report_word(rep, W_TOTAL),
            "7d", "30d", id_lang(rep) ? "proyeksi" : "cut-off");
    for (size_t i = 0; i < rep->n_opd; i++) {
        const struct opd_row *o = &rep->opd[i];
        const struct report_trend *tr = &o->trend;

        report_abbrev(name, sizeof(name), o->name ? o->name : o->id, 30);
        fprintf(out, "  %s %7s %7s %7s %8s%s\n", name, h2(t, sizeof(t), o->total),
                change_text(a, sizeof(a), tr->has_7d, tr->change_7d),
                change_text(b, sizeof(b), tr->has_30d, tr->change_30d),
                tr->fit.enough ? h2(p, sizeof(p), tr->fit.projected) : "-",
                tr->fit.enough && !tr->fit.reaches ? " *" : "");
    }
}

static void table_instansi(const struct report *rep, FILE *out)
{
    static const char *const labels[DIM_COUNT] = {"qualification (education)",
                                                  "competency (development)", "performance (SKP)",
                                                  "discipline (all measured)"};
    static const char *const labels_id[DIM_COUNT] = {"Kualifikasi (pendidikan)",
                                                     "Kompetensi (pengembangan)", "Kinerja (SKP)",
                                                     "Disiplin (semua terukur)"};
    const struct instansi_row *in = &rep->inst;
    char a[32], b[32], n[32], label[32], id[FIT];
    long long gap = rep->target - in->total;

    fit_trim(id, sizeof(id), rep->cfg->source.instansi_id, 60);
    fprintf(out, "\nInstansi%s%s\n", *id ? " " : "", id);
    fprintf(out, "  %-22s %7s  %s, %s %s\n", "IP ASN", h2(a, sizeof(a), in->total), in->category,
            fmt_thousands(n, sizeof(n), in->employees), report_word(rep, W_EMPLOYEES));
    fprintf(out, "  %-22s %7s  %s %s\n", report_word(rep, W_TARGET), h2(a, sizeof(a), rep->target),
            report_word(rep, gap > 0 ? W_NOT_REACHED : W_REACHED),
            h2(b, sizeof(b), gap > 0 ? gap : -gap));
    snprintf(label, sizeof(label), "%s (%d)", report_word(rep, W_PREVIOUS), rep->period - 1);
    if (in->has_previous)
        fprintf(out, "  %-22s %7s  %s %s\n", label, h2(a, sizeof(a), in->previous),
                report_word(rep, W_CHANGE),
                fmt_hundredths(b, sizeof(b), in->total - in->previous, true));
    else
        fprintf(out, "  %-22s %7s\n", label, id_lang(rep) ? "tidak ada" : "none");
    table_trend(rep, &in->trend, out);
    fprintf(out, "  %-30s %10s %8s\n", report_word(rep, W_COVERAGE), report_word(rep, W_EMPLOYEES),
            "%");
    for (int d = 0; d < DIM_COUNT; d++)
        fprintf(out, "    %-28s %10s %8s\n", id_lang(rep) ? labels_id[d] : labels[d],
                fmt_thousands(n, sizeof(n), in->coverage[d]),
                h2(a, sizeof(a), report_mean_half_up(in->coverage[d] * 10000, in->scored)));
}

static void table_ranking(const struct report *rep, FILE *out)
{
    char t[32], cat[FIT], name[FIT], rank[16], d[DIM_COUNT][32];

    fprintf(out, "\n%s (* %s %s)\n", report_word(rep, W_RANKING),
            id_lang(rep) ? "di bawah target" : "below target", h2(t, sizeof(t), rep->target));
    if (!rep->n_opd) {
        fprintf(out, "  %s\n", report_word(rep, W_NO_OPD));
        return;
    }
    if (id_lang(rep))
        fprintf(out, "%4s %-18s %5s %5s %5s %5s %5s %6s %-13s %s\n", "No", "OPD", "Peg", "Kual",
                "Komp", "Kin", "Disp", "Nilai", "Kategori", "Lemah");
    else
        fprintf(out, "%4s %-18s %5s %5s %5s %5s %5s %6s %-13s %s\n", "Rank", "OPD", "Empl", "Qual",
                "Comp", "Perf", "Disc", "Total", "Category", "Weak");
    for (size_t i = 0; i < rep->n_opd; i++) {
        const struct opd_row *o = &rep->opd[i];
        char other[FIT];

        snprintf(rank, sizeof(rank), "%3d%s", o->rank, o->below ? "*" : " ");
        report_abbrev(name, sizeof(name), o->name ? o->name : o->id, 18);
        /* Two OPDs may shorten alike ("Dinas KP"): then both are cut instead. */
        for (size_t k = 0; k < rep->n_opd; k++) {
            if (k == i)
                continue;
            report_abbrev(other, sizeof(other),
                          rep->opd[k].name ? rep->opd[k].name : rep->opd[k].id, 18);
            if (strcmp(other, name) == 0) {
                report_fit(name, sizeof(name), o->name ? o->name : o->id, 18);
                break;
            }
        }
        report_fit(cat, sizeof(cat), o->category, 13);
        for (int k = 0; k < DIM_COUNT; k++)
            h2(d[k], sizeof(d[k]), o->dim[k]);
        fprintf(out, "%4s %s %5lld %5s %5s %5s %5s %6s %s %s\n", rank, name, o->employees, d[0],
                d[1], d[2], d[3], h2(t, sizeof(t), o->total), cat,
                (id_lang(rep) ? dim_short_id : dim_short)[o->weakest]);
    }
}

/* The OPD's gains, largest first, those above zero. */
static void table_gains(const struct opd_row *o, FILE *out)
{
    int order[GAP_COUNT], n = GAP_COUNT;
    char a[32], b[32];

    if (!o->has_gains) {
        fprintf(out, "    no employee rows for this OPD\n");
        return;
    }
    report_gain_order(o->gain, order);
    for (int i = 0; i < n && o->gain[order[i]] > 0; i++)
        fprintf(out, "    %-16s %7s -> %s\n", gap_name((enum gap_kind)order[i]),
                fmt_hundredths(a, sizeof(a), o->gain[order[i]], true),
                h2(b, sizeof(b), o->reach[order[i]]));
    if (o->gain[order[0]] <= 0)
        fprintf(out, "    no gap left to close\n");
}

static void table_opd_summary(const struct report *rep, const struct opd_row *o, FILE *out)
{
    char name[FIT], t[32], m[32], max[16], cat[FIT];
    int w = o->weakest;

    fprintf(out, "  %s\n", fit_trim(name, sizeof(name), o->name ? o->name : o->id, WIDTH - 2));
    fprintf(out, "    rank %d, %s %s, weakest %s: %s of %s\n", o->rank, h2(t, sizeof(t), o->total),
            fit_trim(cat, sizeof(cat), o->category, 13), report_dimension_name(w),
            h2(m, sizeof(m), o->dim[w]),
            fmt_tenths(max, sizeof(max),
                       score_dimension_max((enum dimension)w, &rep->cfg->index.rules)));
    table_gains(o, out);
}

static void table_lift(const struct report *rep, FILE *out)
{
    size_t below = 0;

    for (size_t i = 0; i < rep->n_opd; i++)
        below += rep->opd[i].below;
    if (!rep->n_opd)
        return;
    if (!below) {
        fprintf(out, "\n%s\n", report_word(rep, W_BELOW_NONE));
        return;
    }
    fprintf(out, "\n%s\n", report_word(rep, W_GAINS_IF));
    for (size_t i = 0; i < rep->n_opd; i++)
        if (rep->opd[i].below)
            table_opd_summary(rep, &rep->opd[i], out);
}

static void table_gaps(const struct report *rep, FILE *out)
{
    char n[32], g[32];

    fprintf(out, "\n%s\n",
            id_lang(rep)
                ? "Kekurangan di seluruh instansi (kenaikan bila semua yang kurang menutupnya)"
                : "Gaps across the instansi (gain: if every employee missing it closed it)");
    fprintf(out, "  %-18s %10s %8s\n", "indicator", "employees", "gain");
    for (int k = 0; k < GAP_COUNT; k++)
        fprintf(out, "  %-18s %10s %8s\n", gap_name((enum gap_kind)k),
                fmt_thousands(n, sizeof(n), rep->gaps[k].employees),
                fmt_hundredths(g, sizeof(g), rep->gaps[k].gain, true));
}

static void table_issues(const struct report *rep, FILE *out)
{
    char n[32], name[FIT];

    fprintf(out, "\n%s: %s\n", report_word(rep, W_OPEN_ISSUES),
            fmt_thousands(n, sizeof(n), rep->issues_open));
    if (!rep->issues_open)
        return;
    fprintf(out, "  %-40s %8s\n", "code", "open");
    for (size_t i = 0; i < rep->n_codes; i++) {
        report_fit(name, sizeof(name), rep->codes[i].code, 40);
        fprintf(out, "  %s %8s\n", name, fmt_thousands(n, sizeof(n), rep->codes[i].open));
    }
    fprintf(out, "  %-40s %8s\n", "OPD, worst first", "open");
    for (size_t i = 0; i < rep->n_issue_opds; i++) {
        const struct issue_count *ic = &rep->issue_opds[i];

        report_abbrev(name, sizeof(name),
                      ic->opd_name ? ic->opd_name
                      : ic->opd_id ? ic->opd_id
                                   : "(no OPD)",
                      40);
        fprintf(out, "  %s %8s\n", name, fmt_thousands(n, sizeof(n), ic->open));
    }
}

static void table_employees(const struct report *rep, FILE *out)
{
    const struct opd_row *o = NULL;
    char nip[FIT], name[FIT], t[32], line[FIT], id[FIT];

    for (size_t i = 0; i < rep->n_opd; i++)
        if (rep->opd[i].id && strcmp(rep->opd[i].id, rep->o->opd_id) == 0)
            o = &rep->opd[i];
    fit_trim(id, sizeof(id), rep->o->opd_id, 40);
    if (!rep->n_emp) {
        fprintf(out, "\nOPD %s has no in-scope employees scored for %d.\n", id, rep->period);
        return;
    }
    fprintf(out, "\nOPD %s\n", id);
    if (o)
        table_opd_summary(rep, o, out);
    else
        fprintf(out, "  %s: not in the ranking (aggregates not refreshed)\n",
                fit_trim(name, sizeof(name), rep->emp[0].opd_name, WIDTH - 50));
    fprintf(out, "\n%s\n", report_word(rep, W_WORST_FIRST));
    fprintf(out, "  %-18s %-33s %6s %s\n", "NIP", "Name", "Total", "Category");
    for (size_t i = 0; i < rep->n_emp; i++) {
        const struct employee_row *e = &rep->emp[i];
        const char *s = e->gaps ? e->gaps : "";

        report_fit(nip, sizeof(nip), e->nip, 18);
        report_fit(name, sizeof(name), e->name, 33);
        fprintf(out, "  %s %s %6s %s\n", nip, name, h2(t, sizeof(t), e->total),
                fit_trim(line, sizeof(line), e->category, 13));
        while (*s) {
            const char *nl = strchr(s, '\n');
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            char one[256];

            snprintf(one, sizeof(one), "%.*s", (int)(n < 255 ? n : 255), s);
            if (*one)
                fprintf(out, "      %s\n", fit_trim(line, sizeof(line), one, WIDTH - 6));
            s += n + (nl ? 1 : 0);
        }
    }
}

static int render_table(const struct report *rep, FILE *out, struct error *err)
{
    table_header(rep, out);
    if (!rep->inst.present) {
        fprintf(out,
                "\nNo IP ASN scores for period %d in the database yet.\n"
                "Run 'ipasnd sync', or 'ipasnd recompute --period %d'.\n",
                rep->period, rep->period);
    } else if (rep->o->opd_id) {
        table_employees(rep, out);
    } else {
        table_instansi(rep, out);
        table_ranking(rep, out);
        table_lift(rep, out);
        table_gaps(rep, out);
        table_opd_trend(rep, out);
        table_issues(rep, out);
        if (rep->official)
            report_official_table(rep->official, rep->cfg->quality.ipasn_tolerance, out);
    }
    if (fflush(out) != 0 || ferror(out)) {
        error_set(err, "cannot write the report");
        return STORE_ERR;
    }
    return 0;
}

int report_run(struct store *st, const struct config *cfg, const struct report_options *o,
               FILE *out, struct error *err)
{
    struct report rep = {.cfg = cfg, .o = o};
    int rc;

    rep.period = o->period ? o->period : config_period(&cfg->index);
    rep.as_of = period_as_of(&cfg->index, rep.period);
    rep.today = date_today_local();
    rep.days_to_cutoff = rep.as_of - rep.today;
    rep.target = index_target(&cfg->index);
    if ((rc = load(st, &rep, err)) == 0) {
        switch (o->format) {
        case REPORT_JSON:
            rc = render_json(&rep, out, err);
            break;
        case REPORT_CSV:
            rc = render_csv(&rep, out, err);
            break;
        case REPORT_TABLE:
            rc = render_table(&rep, out, err);
            break;
        case REPORT_HTML:
            rc = report_render_html(&rep, out, err);
            break;
        }
    }
    report_free(&rep);
    return rc;
}

/* ---- status ---------------------------------------------------------------- */

static const char *fmt_duration_ms(char *buf, size_t size, long long ms)
{
    if (ms < 1000)
        snprintf(buf, size, "%lldms", ms);
    else if (ms < 60000)
        snprintf(buf, size, "%lld.%llds", ms / 1000, ms % 1000 / 100);
    else
        fmt_span(buf, size, ms / 1000);
    return buf;
}

static const char *fmt_local(char *buf, size_t size, long long epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;

    if (!localtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(buf, size, "%lld", epoch);
    return buf;
}

static void status_runs(const PGresult *r, FILE *out)
{
    char when[32], mode[FIT], status[FIT], n[32], dur[32], line[FIT];

    fprintf(out, "Last sync runs, newest first\n");
    if (!PQntuples(r)) {
        fprintf(out, "  none yet\n");
        return;
    }
    fprintf(out, "  %-19s  %-11s  %-11s %9s %10s\n", "Started", "Mode", "Status", "Records",
            "Duration");
    for (int i = 0; i < PQntuples(r); i++) {
        report_fit(mode, sizeof(mode), PQgetvalue(r, i, 1), 11);
        report_fit(status, sizeof(status), PQgetvalue(r, i, 2), 11);
        if (PQgetisnull(r, i, 4))
            snprintf(dur, sizeof(dur), "%s", "-");
        else
            fmt_duration_ms(dur, sizeof(dur), store_col_int(r, i, 4));
        fprintf(out, "  %-19s  %s  %s %9s %10s\n",
                fmt_local(when, sizeof(when), store_col_int(r, i, 0)), mode, status,
                fmt_thousands(n, sizeof(n), store_col_int(r, i, 3)), dur);
        if (!PQgetisnull(r, i, 5) && *PQgetvalue(r, i, 5))
            fprintf(out, "      error: %s\n",
                    fit_trim(line, sizeof(line), PQgetvalue(r, i, 5), WIDTH - 13));
    }
}

/* A WS SIASN source: how much of its roster is due, and when all of it
 * will have been fetched at source.rate_limit. */
static int status_roster(struct store *st, const struct config *cfg, FILE *out, struct error *err)
{
    const struct config_source *src = &cfg->source;
    struct roster_counts c;
    char n[5][32];
    int rc;

    if (src->type != SOURCE_SIASN)
        return 0;
    if ((rc = store_roster_counts(st, src->instansi_id, src->siasn.refresh_every, &c, err)) < 0)
        return rc;
    fprintf(out,
            "WS SIASN roster: %s NIPs, %s due (%s never fetched, %s failing, %s unknown to "
            "SIASN); all refreshed in about %.1f h at %.1f requests/s\n",
            fmt_thousands(n[0], sizeof(n[0]), c.in_roster),
            fmt_thousands(n[1], sizeof(n[1]), c.due), fmt_thousands(n[2], sizeof(n[2]), c.never),
            fmt_thousands(n[3], sizeof(n[3]), c.failing),
            fmt_thousands(n[4], sizeof(n[4]), c.not_found),
            siasn_refresh_seconds(c.due, src->rate_limit) / 3600, src->rate_limit);
    return 0;
}

/* The verdict on the last finished cycle. */
static bool status_verdict(const PGresult *r, int64_t interval, FILE *out)
{
    char when[32], age[32], limit[32];
    long long limit_s = 2 * (long long)interval;

    /* The limit: 2 x sync.interval. */
    fmt_span(limit, sizeof(limit), limit_s);
    if (!PQntuples(r)) {
        fprintf(out, "NO RUN: no sync cycle has finished yet\n");
        return false;
    }
    fmt_local(when, sizeof(when), store_col_int(r, 0, 1));
    if (strcmp(PQgetvalue(r, 0, 0), "ok") != 0) {
        char st[FIT];

        fprintf(out, "FAILED: the last cycle, started %s, ended %s\n", when,
                fit_trim(st, sizeof(st), PQgetvalue(r, 0, 0), 16));
        return false;
    }
    fmt_span(age, sizeof(age), store_col_int(r, 0, 3));
    if (PQgetisnull(r, 0, 2) || store_col_int(r, 0, 3) > limit_s) {
        fprintf(out, "STALE: the last good cycle ended %s ago; the limit is %s\n", age, limit);
        return false;
    }
    fprintf(out, "OK: the last cycle ended %s ago; the limit is %s\n", age, limit);
    return true;
}

int report_status(struct store *st, const struct config *cfg, FILE *out, bool *healthy,
                  struct error *err)
{
    const char *p[] = {cfg->source.instansi_id};
    PGresult *runs = NULL, *last = NULL, *issues = NULL;
    char n[32];
    int rc = 0;

    *healthy = false;
    if ((rc = store_require_schema(st, 1, err)) < 0 || (rc = store_snapshot_begin(st, err)) < 0)
        return rc;
    if (!(runs = store_query(st,
                             "SELECT extract(epoch FROM started_at)::bigint, mode, status, records,"
                             " (extract(epoch FROM finished_at - started_at) * 1000)::bigint, error"
                             " FROM ipasn.sync_run ORDER BY started_at DESC, id DESC LIMIT 5",
                             0, NULL, &rc, err)) ||
        /* The last cycle that ended; one still running has not said yet. */
        !(last = store_query(
              st,
              "SELECT status, extract(epoch FROM started_at)::bigint,"
              " extract(epoch FROM finished_at)::bigint,"
              " extract(epoch FROM now() - finished_at)::bigint"
              " FROM ipasn.sync_run"
              " WHERE mode IN ('full', 'incremental', 'refresh') AND status <> 'running'"
              " ORDER BY started_at DESC, id DESC LIMIT 1",
              0, NULL, &rc, err)) ||
        !(issues = store_query(st,
                               "SELECT count(*) FROM ipasn.issue"
                               " WHERE instansi_id = $1 AND resolved_at IS NULL",
                               1, p, &rc, err)))
        goto out;
    status_runs(runs, out);
    fprintf(out, "Open data-quality issues: %s\n",
            fmt_thousands(n, sizeof(n), store_col_int(issues, 0, 0)));
    if ((rc = status_roster(st, cfg, out, err)) < 0)
        goto out;
    *healthy = status_verdict(last, cfg->sync.interval, out);
    if (fflush(out) != 0 || ferror(out)) {
        error_set(err, "cannot write the status");
        rc = STORE_ERR;
    }
out:
    PQclear(runs);
    PQclear(last);
    PQclear(issues);
    store_snapshot_end(st);
    return rc;
}
