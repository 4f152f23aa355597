/* The mirror of the tables ipasnd writes row by row: for each relation one
 * table of its columns, from which its COPY statement, its upsert and its
 * row encoder all follow. A migration that adds or drops a column changes
 * src/sql/ and this file, nothing else. */
#include "autoconfig.h"

#include "store_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a column's value is found and encoded. The first three come from the
 * row's context, the others from the struct at offset. */
enum field_type {
    F_INSTANSI,     /* the instansi the row is stored under */
    F_NIP,          /* the employee's NIP */
    F_SEQ,          /* the entry's position in its history */
    F_TEXT,         /* const char *, NULL is NULL */
    F_DATE,         /* date_t, DATE_NONE is NULL */
    F_TIME,         /* int64_t Unix seconds, 0 is NULL */
    F_INT2,         /* int, as smallint */
    F_YEAR,         /* int, YEAR_NONE is NULL */
    F_HOURS,        /* int, HOURS_NONE is NULL */
    F_BOOL,         /* bool */
    F_HASH,         /* uint64_t, as bigint */
    F_TENTHS,       /* int tenths as numeric, negative is NULL */
    F_SEX,          /* char 'M' / 'F', anything else NULL */
    F_STATUS,       /* enum employee_status, by name */
    F_POSITION,     /* enum position_type, by name */
    F_RAW,          /* const char *, NULL stored as {} */
    F_HISTORY_HASH, /* the history hashes of the context, bigint[] */
    F_SKP_SCORE,    /* struct skp: its score, NULL when it has none */
};

struct field {
    const char *column;
    enum field_type type;
    size_t offset;
};

#define KEY(column, type)                                                                          \
    {                                                                                              \
        column, type, 0                                                                            \
    }
#define FIELD(st, column, type, member)                                                            \
    {                                                                                              \
        column, type, offsetof(st, member)                                                         \
    }

struct row_ctx {
    const char *instansi_id, *nip;
    size_t seq;
    const uint64_t *hist_hash;
};

/* ---- employees and their histories (binary rows) ---------------------------- */

#define EMP(column, type, member) FIELD(struct employee, column, type, member)

static const struct field employee_fields[] = {
    KEY("instansi_id", F_INSTANSI),
    KEY("nip", F_NIP),
    EMP("pns_id", F_TEXT, id),
    EMP("name", F_TEXT, name),
    EMP("title_front", F_TEXT, title_front),
    EMP("title_back", F_TEXT, title_back),
    EMP("birth_date", F_DATE, birth_date),
    EMP("sex", F_SEX, sex),
    EMP("status", F_STATUS, status),
    EMP("status_cpns_pns", F_TEXT, status_cpns_pns),
    EMP("kedudukan_id", F_TEXT, kedudukan_id),
    EMP("kedudukan_name", F_TEXT, kedudukan_name),
    EMP("tmt_cpns", F_DATE, tmt_cpns),
    EMP("tmt_pns", F_DATE, tmt_pns),
    EMP("position_type_id", F_TEXT, position_type_id),
    EMP("position", F_POSITION, position),
    EMP("position_name", F_TEXT, position_name),
    EMP("eselon_id", F_TEXT, eselon_id),
    EMP("eselon", F_TEXT, eselon),
    EMP("eselon_level", F_INT2, eselon_level),
    EMP("grade_id", F_TEXT, grade_id),
    EMP("grade", F_TEXT, grade),
    EMP("edu_level_id", F_TEXT, edu_level_id),
    EMP("instansi_induk_id", F_TEXT, instansi_id),
    EMP("instansi_induk_name", F_TEXT, instansi_name),
    EMP("opd_id", F_TEXT, opd_id),
    EMP("opd_name", F_TEXT, opd_name),
    EMP("unor_id", F_TEXT, unor_id),
    EMP("unor_name", F_TEXT, unor_name),
    EMP("updated_at", F_TIME, updated_at),
    EMP("content_hash", F_HASH, content_hash),
    EMP("raw", F_RAW, raw),
    KEY("history_hash", F_HISTORY_HASH),
};

/* What a staged employee sets besides its columns when it is written. */
#define EMPLOYEE_WRITTEN "deleted = false, active = true, changed_at = now()"

#define EDU(column, type, member)    FIELD(struct education, column, type, member)
#define LEAD(column, type, member)   FIELD(struct leadership_training, column, type, member)
#define COURSE(column, type, member) FIELD(struct course, column, type, member)
#define SKP(column, type, member)    FIELD(struct skp, column, type, member)
#define SKP22(column, type, member)  FIELD(struct skp22, column, type, member)
#define SANC(column, type, member)   FIELD(struct sanction, column, type, member)
#define IPASN(column, type, member)  FIELD(struct official_ipasn, column, type, member)
#define HISTORY_KEY                  KEY("instansi_id", F_INSTANSI), KEY("nip", F_NIP), KEY("seq", F_SEQ)

static const struct field education_fields[] = {
    HISTORY_KEY,
    EDU("id", F_TEXT, id),
    EDU("level_id", F_TEXT, level_id),
    EDU("level_name", F_TEXT, level_name),
    EDU("name", F_TEXT, name),
    EDU("grad_year", F_YEAR, grad_year),
    EDU("grad_date", F_DATE, grad_date),
};

static const struct field leadership_fields[] = {
    HISTORY_KEY,
    LEAD("id", F_TEXT, id),
    LEAD("type_id", F_TEXT, type_id),
    LEAD("name", F_TEXT, name),
    LEAD("start_date", F_DATE, start),
    LEAD("end_date", F_DATE, end),
    LEAD("year", F_YEAR, year),
    LEAD("hours", F_HOURS, hours),
};

static const struct field course_fields[] = {
    HISTORY_KEY,
    COURSE("id", F_TEXT, id),
    COURSE("kind_id", F_TEXT, kind_id),
    COURSE("kind_name", F_TEXT, kind_name),
    COURSE("name", F_TEXT, name),
    COURSE("hours", F_HOURS, hours),
    COURSE("start_date", F_DATE, start),
    COURSE("end_date", F_DATE, end),
    COURSE("year", F_YEAR, year),
};

static const struct field skp_fields[] = {
    HISTORY_KEY,
    SKP("id", F_TEXT, id),
    SKP("year", F_YEAR, year),
    {"score", F_SKP_SCORE, 0},
};

static const struct field skp22_fields[] = {
    HISTORY_KEY,
    SKP22("id", F_TEXT, id),
    SKP22("year", F_YEAR, year),
    SKP22("predikat", F_TEXT, predikat),
    SKP22("value", F_TEXT, value),
};

static const struct field sanction_fields[] = {
    HISTORY_KEY,
    SANC("id", F_TEXT, id),
    SANC("level_id", F_TEXT, level_id),
    SANC("type_name", F_TEXT, type_name),
    SANC("sk_date", F_DATE, sk_date),
    SANC("tmt", F_DATE, tmt),
    SANC("end_date", F_DATE, end),
    SANC("annulled", F_BOOL, annulled),
};

/* One row per employee that has the official value, no seq. */
static const struct field ipasn_fields[] = {
    KEY("instansi_id", F_INSTANSI),
    KEY("nip", F_NIP),
    IPASN("source", F_TEXT, source),
    IPASN("year", F_YEAR, year),
    IPASN("qualification", F_TENTHS, qualification),
    IPASN("competency", F_TENTHS, competency),
    IPASN("performance", F_TENTHS, performance),
    IPASN("discipline", F_TENTHS, discipline),
    IPASN("total", F_TENTHS, total),
};

struct relation {
    const char *table;
    const struct field *fields;
    size_t n_fields;
    /* a history: its entries in struct employee, item_size bytes each;
     * with count_offset 0, the one struct official_ipasn */
    size_t items_offset, count_offset, item_size;
};

#define HISTORY(table, fields, type, items, count)                                                 \
    {                                                                                              \
        table, fields, ARRAY_SIZE(fields), offsetof(struct employee, items),                       \
            offsetof(struct employee, count), sizeof(type)                                         \
    }

static const struct relation histories[H_COUNT] = {
    [H_EDU] = HISTORY("education", education_fields, struct education, education, n_education),
    [H_LEAD] = HISTORY("leadership_training", leadership_fields, struct leadership_training,
                       leadership, n_leadership),
    [H_COURSE] = HISTORY("course", course_fields, struct course, courses, n_courses),
    [H_SKP] = HISTORY("skp", skp_fields, struct skp, skp, n_skp),
    [H_SKP22] = HISTORY("skp22", skp22_fields, struct skp22, skp22, n_skp22),
    [H_SANCTION] = HISTORY("sanction", sanction_fields, struct sanction, sanctions, n_sanctions),
    [H_IPASN] = {"official_ipasn", ipasn_fields, ARRAY_SIZE(ipasn_fields),
                 offsetof(struct employee, ipasn), 0, sizeof(struct official_ipasn)},
};

#define AT(base, offset, type) (*(const type *)(const void *)((const char *)(base) + (offset)))

static void put_binary(struct strbuf *b, const struct field *f, const void *base,
                       const struct row_ctx *x)
{
    switch (f->type) {
    case F_INSTANSI:
        pg_bin_text(b, x->instansi_id);
        return;
    case F_NIP:
        pg_bin_text(b, x->nip);
        return;
    case F_SEQ:
        pg_bin_int(b, (int64_t)x->seq, 4);
        return;
    case F_TEXT:
        pg_bin_text(b, AT(base, f->offset, const char *));
        return;
    case F_DATE:
        pg_bin_date(b, AT(base, f->offset, date_t));
        return;
    case F_TIME:
        pg_bin_time(b, AT(base, f->offset, int64_t));
        return;
    case F_INT2:
        pg_bin_int(b, AT(base, f->offset, int), 2);
        return;
    case F_YEAR:
        pg_bin_int_or_null(b, AT(base, f->offset, int), YEAR_NONE, 4);
        return;
    case F_HOURS:
        pg_bin_int_or_null(b, AT(base, f->offset, int), HOURS_NONE, 4);
        return;
    case F_BOOL:
        pg_bin_bool(b, AT(base, f->offset, bool));
        return;
    case F_HASH:
        pg_bin_int(b, (int64_t)AT(base, f->offset, uint64_t), 8);
        return;
    case F_TENTHS:
        pg_bin_tenths_or_null(b, AT(base, f->offset, int));
        return;
    case F_SEX: {
        char sex = AT(base, f->offset, char);

        pg_bin_text(b, sex == 'M' ? "M" : sex == 'F' ? "F" : NULL);
        return;
    }
    case F_STATUS:
        pg_bin_text(b, employee_status_name(AT(base, f->offset, enum employee_status)));
        return;
    case F_POSITION:
        pg_bin_text(b, position_type_name(AT(base, f->offset, enum position_type)));
        return;
    case F_RAW: {
        const char *raw = AT(base, f->offset, const char *);

        pg_bin_text(b, raw ? raw : "{}");
        return;
    }
    case F_HISTORY_HASH:
        pg_bin_int8_array(b, x->hist_hash, H_COUNT);
        return;
    case F_SKP_SCORE: {
        const struct skp *s = base;

        if (s->has_score)
            pg_bin_numeric2(b, s->score);
        else
            pg_bin_null(b);
        return;
    }
    }
    assert_not_reached();
}

static void binary_row(struct strbuf *b, const struct field *f, size_t n, const void *base,
                       const struct row_ctx *x)
{
    pg_bin_fields(b, n);
    for (size_t i = 0; i < n; i++)
        put_binary(b, &f[i], base, x);
}

void rows_employee(struct strbuf *b, const char *instansi_id, const struct employee *e,
                   const uint64_t *hist_hash)
{
    struct row_ctx x = {.instansi_id = instansi_id, .nip = e->nip, .hist_hash = hist_hash};

    binary_row(b, employee_fields, ARRAY_SIZE(employee_fields), e, &x);
}

void rows_histories(struct strbuf *h, const char *instansi_id, const struct employee *e)
{
    struct row_ctx x = {.instansi_id = instansi_id, .nip = e->nip};

    for (int k = 0; k < H_COUNT; k++) {
        const struct relation *r = &histories[k];
        const char *items = r->count_offset ? AT(e, r->items_offset, const char *)
                                            : (const char *)e + r->items_offset;
        size_t n = r->count_offset ? AT(e, r->count_offset, size_t) : e->ipasn.present;

        for (x.seq = 0; x.seq < n; x.seq++)
            binary_row(&h[k], r->fields, r->n_fields, items + x.seq * r->item_size, &x);
    }
}

/* ---- scores (text rows) ---------------------------------------------------- */

enum score_type {
    S_INSTANSI,
    S_NIP,
    S_INT,       /* int */
    S_RULESET,   /* enum ruleset */
    S_DATE,      /* date_t */
    S_BOOL,      /* bool */
    S_POSITION,  /* enum position_type */
    S_EDU,       /* enum edu_level */
    S_TENTHS,    /* int tenths */
    S_CATEGORY,  /* enum category */
    S_INDICATOR, /* the points of indicator `arg`, NULL when it does not apply */
    S_GAIN,      /* the gain of closing the gaps of kind `arg` */
    S_GAPS,      /* the gaps' details, one per line */
};

struct score_field {
    const char *column;
    enum score_type type;
    size_t offset;
    int arg;
};

#define SC(column, type, member)                                                                   \
    {                                                                                              \
        column, type, offsetof(struct score, member), 0                                            \
    }
#define SC_IND(column, ind)                                                                        \
    {                                                                                              \
        column, S_INDICATOR, 0, ind                                                                \
    }
#define SC_GAIN(column, gap)                                                                       \
    {                                                                                              \
        column, S_GAIN, 0, gap                                                                     \
    }

/* The key comes first: instansi_id, nip, period. */
#define SCORE_KEY_FIELDS 3

static const struct score_field score_fields[] = {
    {"instansi_id", S_INSTANSI, 0, 0},
    {"nip", S_NIP, 0, 0},
    SC("period", S_INT, period),
    SC("ruleset", S_RULESET, ruleset),
    SC("as_of", S_DATE, as_of),
    SC("in_scope", S_BOOL, in_scope),
    SC("position", S_POSITION, position),
    SC("edu_level", S_EDU, edu_level),
    SC("has_education", S_BOOL, has_education),
    SC("has_skp", S_BOOL, has_skp),
    SC("technical_jp", S_INT, technical_jp),
    SC("qualification", S_TENTHS, qualification),
    SC("competency", S_TENTHS, competency),
    SC("performance", S_TENTHS, performance),
    SC("discipline", S_TENTHS, discipline),
    SC("total", S_TENTHS, total),
    SC("category", S_CATEGORY, category),
    SC_IND("ind_qualification", IND_QUALIFICATION),
    SC_IND("ind_leadership", IND_LEADERSHIP),
    SC_IND("ind_functional", IND_FUNCTIONAL),
    SC_IND("ind_technical", IND_TECHNICAL),
    SC_IND("ind_seminar", IND_SEMINAR),
    SC_IND("ind_competency_base", IND_COMPETENCY_BASE),
    SC_IND("ind_performance", IND_PERFORMANCE),
    SC_IND("ind_discipline", IND_DISCIPLINE),
    SC_GAIN("gap_leadership", GAP_LEADERSHIP),
    SC_GAIN("gap_functional", GAP_FUNCTIONAL),
    SC_GAIN("gap_technical_20jp", GAP_TECHNICAL),
    SC_GAIN("gap_seminar", GAP_SEMINAR),
    SC_GAIN("gap_skp_missing", GAP_SKP_MISSING),
    SC_GAIN("gap_skp_predikat", GAP_SKP_PREDIKAT),
    SC_GAIN("gap_education", GAP_EDUCATION),
    {"gaps", S_GAPS, 0, 0},
};

struct score_ctx {
    const char *instansi_id, *nip;
    const struct score *s;
    int gains[GAP_COUNT];
    struct strbuf details;
};

static void put_score(struct strbuf *b, const struct score_field *f, struct score_ctx *x)
{
    const struct score *s = x->s;

    switch (f->type) {
    case S_INSTANSI:
        pg_text(b, x->instansi_id);
        return;
    case S_NIP:
        pg_text(b, x->nip);
        return;
    case S_INT:
        pg_int(b, AT(s, f->offset, int));
        return;
    case S_RULESET:
        pg_text(b, ruleset_name(AT(s, f->offset, enum ruleset)));
        return;
    case S_DATE:
        pg_date_text(b, AT(s, f->offset, date_t));
        return;
    case S_BOOL:
        pg_bool(b, AT(s, f->offset, bool));
        return;
    case S_POSITION:
        pg_text(b, position_type_name(AT(s, f->offset, enum position_type)));
        return;
    case S_EDU:
        pg_text(b, edu_level_name(AT(s, f->offset, enum edu_level)));
        return;
    case S_TENTHS:
        pg_tenths(b, AT(s, f->offset, int));
        return;
    case S_CATEGORY:
        pg_text(b, category_name(AT(s, f->offset, enum category)));
        return;
    case S_INDICATOR:
        if (s->ind[f->arg].applies)
            pg_tenths(b, s->ind[f->arg].points);
        else
            pg_text(b, NULL);
        return;
    case S_GAIN:
        pg_tenths(b, x->gains[f->arg]);
        return;
    case S_GAPS:
        pg_text(b, x->details.s ? x->details.s : "");
        return;
    }
    assert_not_reached();
}

void rows_score(struct strbuf *b, const char *instansi_id, const struct employee *e,
                const struct score *s)
{
    struct score_ctx x = {.instansi_id = instansi_id, .nip = e->nip, .s = s};

    for (size_t i = 0; i < s->n_gaps; i++) {
        if ((unsigned)s->gaps[i].kind < GAP_COUNT)
            x.gains[s->gaps[i].kind] += s->gaps[i].gain;
        strbuf_append(&x.details, "%s%s", x.details.len ? "\n" : "", s->gaps[i].detail);
    }
    for (size_t i = 0; i < ARRAY_SIZE(score_fields); i++)
        put_score(b, &score_fields[i], &x);
    pg_end_row(b);
    strbuf_free(&x.details);
}

/* ---- issues and aggregates (text rows) ---------------------------------------- */

static const char *const issue_columns[] = {"instansi_id", "nip",      "code",
                                            "field",       "severity", "detail"};

void rows_issue(struct strbuf *b, const char *instansi_id, const char *nip, const char *code,
                const char *field, const char *severity, const char *detail)
{
    const char *v[] = {instansi_id, nip, code, field, severity, detail};

    _Static_assert(ARRAY_SIZE(v) == ARRAY_SIZE(issue_columns), "a value for every column");
    for (size_t i = 0; i < ARRAY_SIZE(v); i++)
        pg_text(b, v[i]);
    pg_end_row(b);
}

enum agg_type {
    A_INSTANSI, /* the row's instansi */
    A_PERIOD,   /* the row's period */
    A_OPD_ID,   /* the OPD's id and name */
    A_OPD_NAME,
    A_RANK,
    A_TARGET,   /* hundredths */
    A_PREVIOUS, /* hundredths, NULL when none */
    A_COUNT,    /* size_t of struct aggregate */
    A_MEAN,     /* int hundredths of struct aggregate */
    A_CATEGORY, /* the aggregate's category */
};

struct agg_field {
    const char *column;
    enum agg_type type;
    size_t offset; /* in struct aggregate */
};

#define AG(column, type, member)                                                                   \
    {                                                                                              \
        column, type, offsetof(struct aggregate, member)                                           \
    }
#define AGG_MEANS                                                                                  \
    AG("qualification", A_MEAN, qualification), AG("competency", A_MEAN, competency),              \
        AG("performance", A_MEAN, performance), AG("discipline", A_MEAN, discipline),              \
        AG("total", A_MEAN, total), AG("category", A_CATEGORY, category)

static const struct agg_field opd_score_fields[] = {
    {"instansi_id", A_INSTANSI, 0},
    {"period", A_PERIOD, 0},
    {"opd_id", A_OPD_ID, 0},
    {"opd_name", A_OPD_NAME, 0},
    AG("employees", A_COUNT, employees),
    AG("measured", A_COUNT, measured),
    AGG_MEANS,
    {"rank", A_RANK, 0},
    {"target", A_TARGET, 0},
    AG("coverage_education", A_COUNT, coverage_education),
    AG("coverage_skp", A_COUNT, coverage_skp),
};

static const struct agg_field instansi_score_fields[] = {
    {"instansi_id", A_INSTANSI, 0},
    {"period", A_PERIOD, 0},
    AG("employees", A_COUNT, employees),
    AG("measured", A_COUNT, measured),
    AGG_MEANS,
    {"target", A_TARGET, 0},
    {"previous_total", A_PREVIOUS, 0},
    AG("coverage_education", A_COUNT, coverage_education),
    AG("coverage_skp", A_COUNT, coverage_skp),
};

static void put_aggregate(struct strbuf *b, const struct agg_field *f,
                          const struct aggregate_row *r)
{
    switch (f->type) {
    case A_INSTANSI:
        pg_text(b, r->instansi_id);
        return;
    case A_PERIOD:
        pg_int(b, r->period);
        return;
    case A_OPD_ID:
        pg_text(b, r->opd_id);
        return;
    case A_OPD_NAME:
        pg_text(b, r->opd_name);
        return;
    case A_RANK:
        pg_int(b, r->rank);
        return;
    case A_TARGET:
        pg_hundredths(b, r->target);
        return;
    case A_PREVIOUS:
        if (r->previous >= 0)
            pg_hundredths(b, r->previous);
        else
            pg_text(b, NULL);
        return;
    case A_COUNT:
        pg_int(b, (int64_t)AT(r->a, f->offset, size_t));
        return;
    case A_MEAN:
        pg_hundredths(b, AT(r->a, f->offset, int));
        return;
    case A_CATEGORY:
        pg_text(b, category_name(AT(r->a, f->offset, enum category)));
        return;
    }
    assert_not_reached();
}

static void aggregate_row(struct strbuf *b, const struct agg_field *f, size_t n,
                          const struct aggregate_row *r)
{
    for (size_t i = 0; i < n; i++)
        put_aggregate(b, &f[i], r);
    pg_end_row(b);
}

void rows_opd_score(struct strbuf *b, const struct aggregate_row *r)
{
    aggregate_row(b, opd_score_fields, ARRAY_SIZE(opd_score_fields), r);
}

void rows_instansi_score(struct strbuf *b, const struct aggregate_row *r)
{
    aggregate_row(b, instansi_score_fields, ARRAY_SIZE(instansi_score_fields), r);
}

/* ---- the running sums behind the aggregates ------------------------------------- */

enum sum_type {
    SUM_KEY,      /* the OPD, '' for employees without one */
    SUM_NAME,     /* its name */
    SUM_COUNT,    /* a count of struct aggregate, at offset */
    SUM_ALL,      /* a sum over every employee: sum[arg] */
    SUM_MEASURED, /* a sum over the measured ones: sum_measured[arg] */
};

struct sum_column {
    const char *column;
    const char *expr; /* over an employee_score s joined to its employee e */
    enum sum_type type;
    size_t offset;
    int arg;
};

/* Sums in tenths; each sum is multiplied, not each score. */
#define MEASURED "FILTER (WHERE s.has_education AND s.has_skp)"
#define SUM_COUNT_OF(column, expr, member)                                                         \
    {                                                                                              \
        column, expr, SUM_COUNT, offsetof(struct aggregate, member), 0                             \
    }
static const struct sum_column sum_columns[] = {
    {"opd_key", "coalesce(e.opd_id, '')", SUM_KEY, 0, 0},
    {"opd_name", "max(e.opd_name)", SUM_NAME, 0, 0},
    SUM_COUNT_OF("employees", "count(*)", employees),
    SUM_COUNT_OF("measured", "count(*) " MEASURED, measured),
    SUM_COUNT_OF("cov_edu", "count(*) FILTER (WHERE s.has_education)", coverage_education),
    SUM_COUNT_OF("cov_skp", "count(*) FILTER (WHERE s.has_skp)", coverage_skp),
    {"s_q", "(sum(s.qualification) * 10)::bigint", SUM_ALL, 0, DIM_QUALIFICATION},
    {"s_c", "(sum(s.competency) * 10)::bigint", SUM_ALL, 0, DIM_COMPETENCY},
    {"s_p", "(sum(s.performance) * 10)::bigint", SUM_ALL, 0, DIM_PERFORMANCE},
    {"s_d", "(sum(s.discipline) * 10)::bigint", SUM_ALL, 0, DIM_DISCIPLINE},
    {"s_t", "(sum(s.total) * 10)::bigint", SUM_ALL, 0, DIM_COUNT},
    {"m_q", "(coalesce(sum(s.qualification) " MEASURED ", 0) * 10)::bigint", SUM_MEASURED, 0,
     DIM_QUALIFICATION},
    {"m_c", "(coalesce(sum(s.competency) " MEASURED ", 0) * 10)::bigint", SUM_MEASURED, 0,
     DIM_COMPETENCY},
    {"m_p", "(coalesce(sum(s.performance) " MEASURED ", 0) * 10)::bigint", SUM_MEASURED, 0,
     DIM_PERFORMANCE},
    {"m_d", "(coalesce(sum(s.discipline) " MEASURED ", 0) * 10)::bigint", SUM_MEASURED, 0,
     DIM_DISCIPLINE},
    {"m_t", "(coalesce(sum(s.total) " MEASURED ", 0) * 10)::bigint", SUM_MEASURED, 0, DIM_COUNT},
};

void rows_sums_read(const PGresult *r, int row, struct aggregate *a)
{
    memset(a, 0, sizeof(*a));
    for (size_t i = 0; i < ARRAY_SIZE(sum_columns); i++) {
        const struct sum_column *c = &sum_columns[i];
        long long v = store_col_int(r, row, (int)i);

        switch (c->type) {
        case SUM_KEY:
        case SUM_NAME:
            break;
        case SUM_COUNT:
            *(size_t *)(void *)((char *)a + c->offset) = (size_t)v;
            break;
        case SUM_ALL:
            a->sum[c->arg] = v;
            break;
        case SUM_MEASURED:
            a->sum_measured[c->arg] = v;
            break;
        }
    }
}

/* ---- what the schema must hold ------------------------------------------------------ */

/* The relations ipasnd reads or writes beyond the mirrored ones, and the
 * public views: each "relation column column ...". */
static const char *const other_relations[] = {
    "employee active deleted changed_at",
    "employee_score computed_at",
    "issue id first_seen last_seen resolved_at",
    "instansi_score refreshed_at",
    "quarantine instansi_id source_url nip code reason raw raw_hash times_seen last_seen",
    "sync_state instansi_id source watermark listing_id run_id listing_mode listing_since"
    " listing_server_time listing_fresh cursor pages last_full_at period rules_hash updated_at",
    "sync_run id started_at finished_at mode status pages records inserted updated unchanged"
    " deactivated quarantined issues_opened issues_resolved error",
    "listing_seen instansi_id listing_id nip",
    "aggregate_sum instansi_id period",
    "score_day instansi_id day period opd_key opd_name employees qualification competency"
    " performance discipline total coverage_education coverage_skp open_issues kept_at",
    "official_ipasn recorded_at bkn_updated",
    PUBLIC_VIEW_COLUMNS,
};

static void expect_words(const char *spec, rows_expect_fn fn, void *ud)
{
    char rel[64], col[64];
    const char *p = spec;
    size_t n = strcspn(p, " ");

    snprintf(rel, sizeof(rel), "%.*s", (int)n, p);
    for (p += n; *p;) {
        p += strspn(p, " ");
        n = strcspn(p, " ");
        snprintf(col, sizeof(col), "%.*s", (int)n, p);
        if (n)
            fn(ud, rel, col);
        p += n;
    }
}

#define EXPECT_TABLE(rel, table, n)                                                                \
    do {                                                                                           \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            fn(ud, (rel), (table)[i_].column);                                                     \
    } while (0)

void rows_expected(rows_expect_fn fn, void *ud)
{
    EXPECT_TABLE("employee", employee_fields, ARRAY_SIZE(employee_fields));
    for (int h = 0; h < H_COUNT; h++)
        EXPECT_TABLE(histories[h].table, histories[h].fields, histories[h].n_fields);
    EXPECT_TABLE("employee_score", score_fields, ARRAY_SIZE(score_fields));
    for (size_t i = 0; i < ARRAY_SIZE(issue_columns); i++)
        fn(ud, "issue", issue_columns[i]);
    EXPECT_TABLE("opd_score", opd_score_fields, ARRAY_SIZE(opd_score_fields));
    EXPECT_TABLE("instansi_score", instansi_score_fields, ARRAY_SIZE(instansi_score_fields));
    EXPECT_TABLE("aggregate_sum", sum_columns, ARRAY_SIZE(sum_columns));
    for (size_t i = 0; i < ARRAY_SIZE(other_relations); i++)
        expect_words(other_relations[i], fn, ud);
}

const char *const rows_public_views[] = {PUBLIC_VIEWS, NULL};

/* ---- the statements, built from the tables once ------------------------------------ */

static struct {
    pthread_once_t once;
    char *employee_copy[2], *employee_upsert;
    char *history_copy[H_COUNT], *history_delete[H_COUNT];
    char *score_copy[2], *score_upsert;
    char *issue_copy, *opd_score_copy, *instansi_score_copy;
    char *sums_select, *sums_rebuild, *sums_delta;
} sql = {.once = PTHREAD_ONCE_INIT};

/* "a, b, c" of the columns from `from` on, each after prefix; with assign,
 * "a = PREFIXa, ...". */
#define COLUMN_LIST(b, table, n, from, prefix, assign)                                             \
    do {                                                                                           \
        for (size_t i_ = (from); i_ < (n); i_++)                                                   \
            strbuf_append((b), "%s%s%s%s%s", i_ > (from) ? ", " : "",                              \
                          (assign) ? (table)[i_].column : "", (assign) ? " = " : "", (prefix),     \
                          (table)[i_].column);                                                     \
    } while (0)

static char *copy_sql(const char *table, const struct strbuf *cols, bool binary)
{
    struct strbuf b = {0};

    strbuf_append(&b, "COPY %s (%s) FROM STDIN%s", table, cols->s,
                  binary ? " (FORMAT binary)" : "");
    return b.s;
}

static void build_employee(void)
{
    struct strbuf cols = {0}, b = {0};

    COLUMN_LIST(&cols, employee_fields, ARRAY_SIZE(employee_fields), 0, "", false);
    sql.employee_copy[0] = copy_sql("ipasn.employee", &cols, true);
    sql.employee_copy[1] = copy_sql("s_employee", &cols, true);
    /* Every column but the key takes the staged value. */
    strbuf_append(&b,
                  "INSERT INTO ipasn.employee (%s) SELECT %s FROM s_employee"
                  " ON CONFLICT (instansi_id, nip) DO UPDATE SET ",
                  cols.s, cols.s);
    COLUMN_LIST(&b, employee_fields, ARRAY_SIZE(employee_fields), 2, "EXCLUDED.", true);
    strbuf_append(&b, ", " EMPLOYEE_WRITTEN);
    sql.employee_upsert = b.s;
    strbuf_free(&cols);
}

static void build_histories(void)
{
    for (int h = 0; h < H_COUNT; h++) {
        const struct relation *r = &histories[h];
        struct strbuf cols = {0}, table = {0}, del = {0};

        COLUMN_LIST(&cols, r->fields, r->n_fields, 0, "", false);
        strbuf_append(&table, "ipasn.%s", r->table);
        sql.history_copy[h] = copy_sql(table.s, &cols, true);
        /* The rows of the employees of $2 (their NIPs), before their new
         * rows are copied. */
        strbuf_append(&del,
                      "DELETE FROM %s d USING unnest($2::text[]) u (nip)"
                      " WHERE d.instansi_id = $1 AND d.nip = u.nip",
                      table.s);
        /* A sync replaces only what a sync wrote (the listing's ipAsn or
         * SIASN's nilaiipasn): an imported file's values stay. */
        if (h == H_IPASN)
            strbuf_append(&del, " AND d.source IN ('listing', 'siasn')");
        sql.history_delete[h] = del.s;
        strbuf_free(&cols);
        strbuf_free(&table);
    }
}

/* A score row whose content did not change is not written again: a
 * recompute under the same rules writes nothing. */
static void build_scores(void)
{
    const size_t n = ARRAY_SIZE(score_fields), k = SCORE_KEY_FIELDS;
    struct strbuf cols = {0}, b = {0};

    COLUMN_LIST(&cols, score_fields, n, 0, "", false);
    sql.score_copy[0] = copy_sql("ipasn.employee_score", &cols, false);
    sql.score_copy[1] = copy_sql("s_score", &cols, false);
    strbuf_append(&b,
                  "INSERT INTO ipasn.employee_score (%s) SELECT %s FROM s_score"
                  " ON CONFLICT (instansi_id, nip, period) DO UPDATE SET (",
                  cols.s, cols.s);
    COLUMN_LIST(&b, score_fields, n, k, "", false);
    strbuf_append(&b, ", computed_at) = (");
    COLUMN_LIST(&b, score_fields, n, k, "EXCLUDED.", false);
    strbuf_append(&b, ", now()) WHERE (");
    COLUMN_LIST(&b, score_fields, n, k, "employee_score.", false);
    strbuf_append(&b, ") IS DISTINCT FROM (");
    COLUMN_LIST(&b, score_fields, n, k, "EXCLUDED.", false);
    strbuf_append(&b, ")");
    sql.score_upsert = b.s;
    strbuf_free(&cols);
}

static char *column_names_copy(const char *table, const char *const *names, size_t n)
{
    struct strbuf cols = {0};
    char *s;

    for (size_t i = 0; i < n; i++)
        strbuf_append(&cols, "%s%s", i ? ", " : "", names[i]);
    s = copy_sql(table, &cols, false);
    strbuf_free(&cols);
    return s;
}

static char *aggregate_copy(const char *table, const struct agg_field *f, size_t n)
{
    struct strbuf cols = {0};
    char *s;

    COLUMN_LIST(&cols, f, n, 0, "", false);
    s = copy_sql(table, &cols, false);
    strbuf_free(&cols);
    return s;
}

/* The sums of a period from every score, or what the employees of $3 add
 * to them now, times $4 (1 or -1). */
static void build_sums(void)
{
    const size_t n = ARRAY_SIZE(sum_columns);
    struct strbuf cols = {0}, exprs = {0}, b = {0};

    COLUMN_LIST(&cols, sum_columns, n, 0, "", false);
    for (size_t i = 0; i < n; i++)
        strbuf_append(&exprs, "%s%s", i ? ", " : "", sum_columns[i].expr);
    strbuf_append(&b,
                  "SELECT %s FROM ipasn.aggregate_sum"
                  " WHERE instansi_id = $1 AND period = $2 AND employees > 0",
                  cols.s);
    sql.sums_select = b.s;
    memset(&b, 0, sizeof(b));
    strbuf_append(&b,
                  "INSERT INTO ipasn.aggregate_sum (instansi_id, period, %s) SELECT $1, $2, %s"
                  " FROM ipasn.employee_score s JOIN ipasn.employee e USING (instansi_id, nip)"
                  " WHERE s.instansi_id = $1 AND s.period = $2 AND e.active AND s.in_scope"
                  " GROUP BY e.opd_id",
                  cols.s, exprs.s);
    sql.sums_rebuild = b.s;
    memset(&b, 0, sizeof(b));
    strbuf_append(
        &b, "INSERT INTO ipasn.aggregate_sum AS a (instansi_id, period, %s) SELECT $1, $2", cols.s);
    for (size_t i = 0; i < n; i++)
        strbuf_append(&b,
                      sum_columns[i].type == SUM_KEY || sum_columns[i].type == SUM_NAME
                          ? ", x%zu"
                          : ", $4::int * x%zu",
                      i);
    strbuf_append(
        &b,
        " FROM (SELECT %s FROM unnest($3::text[]) u (nip)"
        " CROSS JOIN LATERAL (SELECT opd_id, opd_name FROM ipasn.employee"
        "  WHERE instansi_id = $1 AND nip = u.nip AND active" SQL_ONE_BY_ONE ") e"
        " CROSS JOIN LATERAL (SELECT has_education, has_skp, qualification, competency,"
        "  performance, discipline, total FROM ipasn.employee_score"
        "  WHERE instansi_id = $1 AND nip = u.nip AND period = $2 AND in_scope" SQL_ONE_BY_ONE
        ") s GROUP BY e.opd_id) x (",
        exprs.s);
    for (size_t i = 0; i < n; i++)
        strbuf_append(&b, "%sx%zu", i ? ", " : "", i);
    strbuf_append(&b, ") ON CONFLICT (instansi_id, period, opd_key) DO UPDATE SET"
                      " opd_name = coalesce(EXCLUDED.opd_name, a.opd_name)");
    for (size_t i = 0; i < n; i++)
        if (sum_columns[i].type != SUM_KEY && sum_columns[i].type != SUM_NAME)
            strbuf_append(&b, ", %s = a.%s + EXCLUDED.%s", sum_columns[i].column,
                          sum_columns[i].column, sum_columns[i].column);
    sql.sums_delta = b.s;
    strbuf_free(&cols);
    strbuf_free(&exprs);
}

static void build(void)
{
    build_employee();
    build_histories();
    build_scores();
    sql.issue_copy = column_names_copy("ipasn.issue", issue_columns, ARRAY_SIZE(issue_columns));
    sql.opd_score_copy =
        aggregate_copy("ipasn.opd_score", opd_score_fields, ARRAY_SIZE(opd_score_fields));
    sql.instansi_score_copy = aggregate_copy("ipasn.instansi_score", instansi_score_fields,
                                             ARRAY_SIZE(instansi_score_fields));
    build_sums();
}

#define STATEMENT(expr)                                                                            \
    do {                                                                                           \
        pthread_once(&sql.once, build);                                                            \
        return (expr);                                                                             \
    } while (0)

const char *rows_employee_copy(bool staged)
{
    STATEMENT(sql.employee_copy[staged]);
}

const char *rows_employee_upsert(void)
{
    STATEMENT(sql.employee_upsert);
}

const char *rows_history_copy(enum history h)
{
    STATEMENT(sql.history_copy[h]);
}

const char *rows_history_delete(enum history h)
{
    STATEMENT(sql.history_delete[h]);
}

const char *rows_score_copy(bool staged)
{
    STATEMENT(sql.score_copy[staged]);
}

const char *rows_score_upsert(void)
{
    STATEMENT(sql.score_upsert);
}

const char *rows_issue_copy(void)
{
    STATEMENT(sql.issue_copy);
}

const char *rows_opd_score_copy(void)
{
    STATEMENT(sql.opd_score_copy);
}

const char *rows_instansi_score_copy(void)
{
    STATEMENT(sql.instansi_score_copy);
}

const char *rows_sums_select(void)
{
    STATEMENT(sql.sums_select);
}

const char *rows_sums_rebuild(void)
{
    STATEMENT(sql.sums_rebuild);
}

const char *rows_sums_delta(void)
{
    STATEMENT(sql.sums_delta);
}
