/* The data-quality catalogue of quality.md applied to one in-scope employee:
 * what the decoder noted, the NIP against the record, missing and unusable
 * data that costs index points, impossible dates, and staleness. */
#include "quality.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct {
    const char *code;
    enum severity severity;
} catalogue[] = {
    {"record_malformed", SEV_REJECT},
    {"nip_invalid", SEV_REJECT},
    {"nip_birthdate_mismatch", SEV_WARNING},
    {"nip_tmt_mismatch", SEV_WARNING},
    {"nip_sex_mismatch", SEV_WARNING},
    {"duplicate_record", SEV_WARNING},
    {"opd_missing", SEV_ERROR},
    {"position_unknown", SEV_WARNING},
    {"education_missing", SEV_WARNING},
    {"education_unknown", SEV_WARNING},
    {"skp_missing", SEV_WARNING},
    {"skp_invalid", SEV_WARNING},
    {"training_hours_missing", SEV_INFO},
    {"training_kind_unknown", SEV_INFO},
    {"date_invalid", SEV_WARNING},
    {"date_in_future", SEV_WARNING},
    {"date_order", SEV_WARNING},
    {"age_out_of_range", SEV_WARNING},
    {"leadership_mismatch", SEV_INFO},
    {"ipasn_mismatch", SEV_WARNING},
    {"stale_record", SEV_INFO},
    /* WS SIASN: a roster NIP that data-utama does not know; never scored */
    {"siasn_not_found", SEV_REJECT},
};

/* The catalogue's index of code, or -1. */
static int catalogue_index(const char *code)
{
    for (size_t i = 0; code && i < ARRAY_SIZE(catalogue); i++) {
        if (strcmp(catalogue[i].code, code) == 0)
            return (int)i;
    }
    return -1;
}

enum severity quality_severity(const char *code)
{
    int i = catalogue_index(code);

    return i < 0 ? SEV_WARNING : catalogue[i].severity;
}

bool quality_detail_personal(const char *code, const char *field)
{
    return strcmp(code, "nip_birthdate_mismatch") == 0 || strcmp(code, "age_out_of_range") == 0 ||
           strcmp(field, "tglLahir") == 0;
}

const char *severity_name(enum severity s)
{
    switch (s) {
    case SEV_INFO:
        return "info";
    case SEV_WARNING:
        return "warning";
    case SEV_ERROR:
        return "error";
    case SEV_REJECT:
        return "reject";
    }
    return "unknown";
}

void issue_list_free(struct issue_list *l)
{
    if (!l)
        return;
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* ---- text ------------------------------------------------------------- */

/* Drops a multi-byte UTF-8 character cut short at the end of s, so a
 * truncated field or detail stays valid UTF-8. */
static void utf8_trim_tail(char *s)
{
    size_t n = strlen(s), i = n, cont = 0;
    unsigned char lead;
    size_t need;

    while (i > 0 && cont < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        cont++;
    }
    if (i == 0)
        return;
    lead = (unsigned char)s[i - 1];
    if (lead < 0xC0)
        return;
    need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
    if (cont < need)
        s[i - 1] = '\0';
}

/* A user-supplied value quoted for a detail: at most (size - 3) / 2 bytes
 * of it, cut on a character boundary, so quoting never truncates. */
static const char *quoted(char *dst, size_t size, const char *src)
{
    char tmp[128];
    size_t max = (size - 3) / 2;

    if (max >= sizeof(tmp))
        max = sizeof(tmp) - 1;
    snprintf(tmp, max + 1, "%s", src ? src : "");
    utf8_trim_tail(tmp);
    text_quote(dst, size, tmp);
    return dst;
}

/* The last component of a field path: "tanggalKursus" of
 * "rwKursus[2].tanggalKursus". */
static const char *leaf(const char *field)
{
    const char *dot = strrchr(field, '.');

    return dot ? dot + 1 : field;
}

static const char *date_text(date_t d, char *buf, size_t size)
{
    return date_format(d, buf, size);
}

/* ---- the issue list ------------------------------------------------------ */

/* The issues of one employee: those from first on in out. */
struct sink {
    struct issue_list *out;
    size_t first;
};

static void add(struct sink *k, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends an issue unless this employee has one with the same code and
 * field already: downstream an issue is keyed by (nip, code, field). */
static void add(struct sink *k, const char *code, const char *field, const char *fmt, ...)
{
    struct issue_list *l = k->out;
    int c = catalogue_index(code);
    struct issue *is;
    char path[sizeof(is->field)];
    va_list ap;

    if (c < 0)
        return;
    snprintf(path, sizeof(path), "%s", field ? field : "");
    utf8_trim_tail(path);
    for (size_t i = k->first; i < l->n; i++) {
        if (l->v[i].code == catalogue[c].code && strcmp(l->v[i].field, path) == 0)
            return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 2; /* most employees have one or two */
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    is = &l->v[l->n++];
    memset(is, 0, sizeof(*is));
    is->code = catalogue[c].code;
    is->severity = catalogue[c].severity;
    memcpy(is->field, path, sizeof(path));
    va_start(ap, fmt);
    vsnprintf(is->detail, sizeof(is->detail), fmt, ap);
    va_end(ap);
    utf8_trim_tail(is->detail);
}

/* ---- the decoder's notes ------------------------------------------------ */

/* Date and year fields: what places a record in time. */
static bool is_date_field(const char *field)
{
    static const char *const names[] = {
        "tglLahir",       "tmtCpns",
        "tmtPns",         "tglLulus",
        "tahunLulus",     "tanggal",
        "tanggalSelesai", "tahun",
        "tanggalKursus",  "tanggalSelesaiKursus",
        "tahunKursus",    "skTanggal",
        "hukumanTanggal", "akhirHukumTanggal",
        "updatedAt",
    };
    const char *name = leaf(field);

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(name, names[i]) == 0)
            return true;
    }
    return false;
}

static bool is_skp_score_field(const char *field)
{
    const char *name = leaf(field);

    return strncmp(field, "rwSkp[", 6) == 0 &&
           (strcmp(name, "nilaiPrestasiKerja") == 0 || strcmp(name, "nilairatarata") == 0);
}

/* The decoder's notes become issues on their fields. A value_invalid note
 * (a number that did not parse) is a date_invalid when the field is a date
 * or year, a skp_invalid when it is an SKP score; on any other field
 * (jumlahJam, ipAsn values, ...) the value is simply absent for scoring and
 * no issue is raised. Notes with codes outside the catalogue, or of the
 * rejecting codes, are ignored. */
static void check_notes(const struct employee *e, struct sink *k)
{
    for (size_t i = 0; i < e->n_notes; i++) {
        const struct decode_note *n = &e->notes[i];
        const char *field = n->field ? n->field : "";
        const char *code = n->code;
        char value[100], what[100];
        int c;

        if (!code)
            continue;
        if (strcmp(code, "value_invalid") == 0) {
            if (is_date_field(field))
                code = "date_invalid";
            else if (is_skp_score_field(field))
                code = "skp_invalid";
            else
                continue;
        }
        c = catalogue_index(code);
        if (c < 0 || catalogue[c].severity == SEV_REJECT)
            continue;
        quoted(value, sizeof(value), n->value);
        snprintf(what, sizeof(what), "%s", *field ? leaf(field) : "the record");
        if (strcmp(code, "date_invalid") == 0)
            add(k, code, field, "%s %s is not a valid date", what, value);
        else if (strcmp(code, "skp_invalid") == 0)
            add(k, code, field, "%s %s is not a valid SKP score: the SKP does not count", what,
                value);
        else if (strcmp(code, "duplicate_record") == 0)
            add(k, code, field, "%s %s appears more than once", what, value);
        else
            add(k, code, field, "%s %s", what, value);
    }
}

/* ---- NIP ------------------------------------------------------------------ */

static int digits_value(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* NIP: YYYYMMDD birth, YYYYMM appointment (PPPK: YYYY then "21"), sex, sequence. */
static void check_nip(const struct employee *e, struct sink *k)
{
    const char *nip = e->nip;
    char buf[16];
    int y, m, d;

    if (!nip_well_formed(nip))
        return; /* the decoder rejects such a record as nip_invalid */

    if (e->birth_date != DATE_NONE) {
        date_to_ymd(e->birth_date, &y, &m, &d);
        if (digits_value(nip, 4) != y || digits_value(nip + 4, 2) != m ||
            digits_value(nip + 6, 2) != d)
            add(k, "nip_birthdate_mismatch", "nipBaru",
                "NIP digits 1-8 say %.4s-%.2s-%.2s but tglLahir is %s", nip, nip + 4, nip + 6,
                date_text(e->birth_date, buf, sizeof(buf)));
    }

    if ((e->status == STATUS_PNS || e->status == STATUS_CPNS) && e->tmt_cpns != DATE_NONE) {
        date_to_ymd(e->tmt_cpns, &y, &m, &d);
        if (digits_value(nip + 8, 4) != y || digits_value(nip + 12, 2) != m)
            add(k, "nip_tmt_mismatch", "nipBaru", "NIP digits 9-14 say %.4s-%.2s but tmtCpns is %s",
                nip + 8, nip + 12, date_text(e->tmt_cpns, buf, sizeof(buf)));
    } else if (e->status == STATUS_PPPK) {
        bool cpns = e->tmt_cpns != DATE_NONE;
        date_t appointed = cpns ? e->tmt_cpns : e->tmt_pns;

        if (nip[12] != '2' || nip[13] != '1')
            add(k, "nip_tmt_mismatch", "nipBaru", "PPPK NIP digits 13-14 are %.2s, expected 21",
                nip + 12);
        else if (appointed != DATE_NONE && digits_value(nip + 8, 4) != date_year(appointed))
            add(k, "nip_tmt_mismatch", "nipBaru", "PPPK NIP digits 9-12 say %.4s but %s is %s",
                nip + 8, cpns ? "tmtCpns" : "tmtPns", date_text(appointed, buf, sizeof(buf)));
    }

    if (e->sex == 'M' || e->sex == 'F') {
        char want = e->sex == 'M' ? '1' : '2';

        if (nip[14] != want)
            add(k, "nip_sex_mismatch", "nipBaru",
                "NIP digit 15 is %c (1 male, 2 female) but jenisKelamin is %c", nip[14], e->sex);
    }
}

/* ---- data that costs index points ------------------------------------------ */

static const char *points_text(int tenths, char *buf, size_t size)
{
    if (tenths % 10 == 0)
        snprintf(buf, size, "%d", tenths / 10);
    else
        snprintf(buf, size, "%d.%d", tenths / 10, abs(tenths % 10));
    return buf;
}

static void check_assignment(const struct employee *e, struct sink *k)
{
    char value[40];

    if (!e->opd_id || !*e->opd_id)
        add(k, "opd_missing", "opdId", "no opdId: left out of every OPD aggregate");
    if (e->position == POSITION_UNKNOWN) {
        if (e->position_type_id && *e->position_type_id)
            add(k, "position_unknown", "jenisJabatanId",
                "jenisJabatanId %s is not 1, 2, 3 or 4: scored as pelaksana",
                quoted(value, sizeof(value), e->position_type_id));
        else
            add(k, "position_unknown", "jenisJabatanId", "no jenisJabatanId: scored as pelaksana");
    }
}

static void check_education(const struct employee *e, const struct score *s,
                            const struct quality_ctx *ctx, struct sink *k)
{
    const struct rules *r = &ctx->index->rules;
    char field[96], code[40], name[60], asof[16], got[16], max[16];

    for (size_t i = 0; i < e->n_education; i++) {
        const struct education *ed = &e->education[i];
        enum edu_level l = score_edu_level(ed->level_id);

        if (l != EDU_NONE && l != EDU_UNKNOWN)
            continue;
        snprintf(field, sizeof(field), "rwPendidikan[%zu].tkPendidikanId", i);
        if (l == EDU_NONE)
            add(k, "education_unknown", field,
                "no tkPendidikanId (tkPendidikanNama %s): the education counts for no level",
                quoted(name, sizeof(name), ed->level_name));
        else if (l == EDU_UNKNOWN)
            add(k, "education_unknown", field,
                "tkPendidikanId %s (tkPendidikanNama %s) maps to no education level",
                quoted(code, sizeof(code), ed->level_id),
                quoted(name, sizeof(name), ed->level_name));
    }
    if (e->n_education == 0 && score_edu_level(e->edu_level_id) == EDU_UNKNOWN)
        add(k, "education_unknown", "tkPendidikanTerakhirId",
            "tkPendidikanTerakhirId %s maps to no education level",
            quoted(code, sizeof(code), e->edu_level_id));

    if (s->edu_level == EDU_NONE)
        add(k, "education_missing", "", "no education record by %s: %s of %s qualification points",
            date_text(s->as_of, asof, sizeof(asof)),
            points_text(s->qualification, got, sizeof(got)),
            points_text(r->qual_s3, max, sizeof(max)));
}

static void check_skp(const struct employee *e, const struct score *s,
                      const struct quality_ctx *ctx, struct sink *k)
{
    const struct rules *r = &ctx->index->rules;
    int year = s->period - r->performance_year_offset;
    char field[96], value[60], got[16], max[16];
    bool any = false;

    for (size_t i = 0; i < e->n_skp22; i++) {
        const struct skp22 *x = &e->skp22[i];

        any |= x->year == year;
        if (score_predikat(x->predikat) != PREDIKAT_NONE)
            continue;
        snprintf(field, sizeof(field), "rwSkp22[%zu].kuadranKinerja", i);
        if (x->predikat && *x->predikat)
            add(k, "skp_invalid", field,
                "kuadranKinerja %s of SKP %d maps to no predikat: the SKP does not count",
                quoted(value, sizeof(value), x->predikat), x->year);
        else
            add(k, "skp_invalid", field, "SKP %d has no kuadranKinerja: the SKP does not count",
                x->year);
    }
    for (size_t i = 0; i < e->n_skp; i++) {
        const struct skp *x = &e->skp[i];
        const char *name =
            x->score_field && *x->score_field ? x->score_field : "nilaiPrestasiKerja";

        any |= x->year == year;
        if (!x->has_score || (x->score >= 0 && x->score <= r->skp_score_max))
            continue;
        snprintf(field, sizeof(field), "rwSkp[%zu].%s", i, name);
        add(k, "skp_invalid", field, "%s %.2f of SKP %d is outside 0-%g: the SKP does not count",
            name, x->score, x->year, r->skp_score_max);
    }
    if (!s->has_skp)
        add(k, "skp_missing", "", "no %sSKP for %d: %s of %s performance points",
            any ? "valid " : "", year, points_text(s->performance, got, sizeof(got)),
            points_text(r->perf_sangat_baik, max, sizeof(max)));
}

static void check_courses(const struct employee *e, const struct quality_ctx *ctx, struct sink *k)
{
    const struct rules *r = &ctx->index->rules;
    char field[96], name[60], kind[60];

    for (size_t i = 0; i < e->n_courses; i++) {
        const struct course *c = &e->courses[i];

        switch (score_course_kind(c, &r->names)) {
        case COURSE_UNKNOWN:
            snprintf(field, sizeof(field), "rwKursus[%zu].jenisKursusNama", i);
            add(k, "training_kind_unknown", field,
                "course %s (jenisKursusNama %s) maps to no indicator: it earns no points",
                quoted(name, sizeof(name), c->name), quoted(kind, sizeof(kind), c->kind_name));
            break;
        case COURSE_TECHNICAL:
            if (c->hours >= 0)
                break;
            snprintf(field, sizeof(field), "rwKursus[%zu].jumlahJam", i);
            if (c->start == DATE_NONE && c->end == DATE_NONE)
                add(k, "training_hours_missing", field,
                    "technical training %s has no jumlahJam and no dates: it counts 0 JP",
                    quoted(name, sizeof(name), c->name));
            else
                add(k, "training_hours_missing", field,
                    "technical training %s has no jumlahJam: %d JP derived from its days",
                    quoted(name, sizeof(name), c->name), score_course_jp(c, r));
            break;
        default:
            break;
        }
    }
}

/* ---- dates ---------------------------------------------------------------- */

/* Where a date stands: a top-level field (array NULL) or the leaf of
 * entry i of a history. Written out as a path only for an issue: most
 * dates have none. */
struct at {
    const char *array;
    size_t i;
    const char *leaf;
};

#define TOP(name) (&(const struct at){NULL, 0, (name)})

static const char *at_path(const struct at *a, char *buf, size_t size)
{
    if (!a->array)
        return a->leaf;
    snprintf(buf, size, "%s[%zu].%s", a->array, a->i, a->leaf);
    return buf;
}

/* Details name no moving date (today, "N days ago"): an issue's detail
 * changes when the data does, not every day. */
static void future_date(struct sink *k, const struct quality_ctx *ctx, const struct at *a, date_t d)
{
    char when[16], f[96];

    if (d != DATE_NONE && d > ctx->today)
        add(k, "date_in_future", at_path(a, f, sizeof(f)), "%s %s is in the future", a->leaf,
            date_text(d, when, sizeof(when)));
}

static void future_year(struct sink *k, const struct quality_ctx *ctx, const struct at *a, int year)
{
    char f[96];

    if (year != YEAR_NONE && year > date_year(ctx->today))
        add(k, "date_in_future", at_path(a, f, sizeof(f)), "%s %d is a year still to come", a->leaf,
            year);
}

static void order(struct sink *k, const struct at *a, const char *start_name, date_t start,
                  date_t end)
{
    char x[16], y[16], f[96];

    if (start != DATE_NONE && end != DATE_NONE && end < start)
        add(k, "date_order", at_path(a, f, sizeof(f)), "%s %s is before %s %s", a->leaf,
            date_text(end, x, sizeof(x)), start_name, date_text(start, y, sizeof(y)));
}

/* A history entry with no date or year to place it never counts. */
static void undated(struct sink *k, const char *array, size_t i, const char *what)
{
    char field[96];

    snprintf(field, sizeof(field), "%s[%zu]", array, i);
    add(k, "date_invalid", field, "%s[%zu] has no %s: it cannot count", array, i, what);
}

/* Dates after today, ends before starts, records that cannot be placed.
 * akhirHukumTanggal is not checked against today: a running sanction ends
 * in the future. */
/* Where a training's dates are, in its history. */
struct training_names {
    const char *array, *start, *end, *year;
    const char *any; /* the fields that date it, for the undated message */
};

static const struct training_names leadership_names = {"rwDiklat", "tanggal", "tanggalSelesai",
                                                       "tahun", "tanggalSelesai, tanggal or tahun"};
static const struct training_names course_names = {
    "rwKursus", "tanggalKursus", "tanggalSelesaiKursus", "tahunKursus",
    "tanggalSelesaiKursus, tanggalKursus or tahunKursus"};

/* A training's start, end and year: none in the future, the end not
 * before the start, one of them at least. */
static void training_dates(struct sink *k, const struct quality_ctx *ctx,
                           const struct training_names *n, size_t i, date_t start, date_t end,
                           int year)
{
    struct at a = {n->array, i, n->start};

    future_date(k, ctx, &a, start);
    a.leaf = n->end;
    future_date(k, ctx, &a, end);
    order(k, &a, n->start, start, end);
    a.leaf = n->year;
    future_year(k, ctx, &a, year);
    if (start == DATE_NONE && end == DATE_NONE && year == YEAR_NONE)
        undated(k, n->array, i, n->any);
}

/* An SKP is dated by its year alone. */
static void skp_year(struct sink *k, const struct quality_ctx *ctx, const char *array, size_t i,
                     int year)
{
    future_year(k, ctx, &(const struct at){array, i, "tahun"}, year);
    if (year == YEAR_NONE)
        undated(k, array, i, "tahun");
}

static void check_dates(const struct employee *e, const struct quality_ctx *ctx, struct sink *k)
{
    future_date(k, ctx, TOP("tglLahir"), e->birth_date);
    future_date(k, ctx, TOP("tmtCpns"), e->tmt_cpns);
    future_date(k, ctx, TOP("tmtPns"), e->tmt_pns);
    order(k, TOP("tmtPns"), "tmtCpns", e->tmt_cpns, e->tmt_pns);

    for (size_t i = 0; i < e->n_education; i++) {
        const struct education *x = &e->education[i];

        future_date(k, ctx, &(const struct at){"rwPendidikan", i, "tglLulus"}, x->grad_date);
        future_year(k, ctx, &(const struct at){"rwPendidikan", i, "tahunLulus"}, x->grad_year);
        if (x->grad_date == DATE_NONE && x->grad_year == YEAR_NONE)
            undated(k, "rwPendidikan", i, "tglLulus or tahunLulus");
    }
    for (size_t i = 0; i < e->n_leadership; i++) {
        const struct leadership_training *x = &e->leadership[i];

        training_dates(k, ctx, &leadership_names, i, x->start, x->end, x->year);
    }
    for (size_t i = 0; i < e->n_courses; i++) {
        const struct course *x = &e->courses[i];

        training_dates(k, ctx, &course_names, i, x->start, x->end, x->year);
    }
    for (size_t i = 0; i < e->n_skp; i++)
        skp_year(k, ctx, "rwSkp", i, e->skp[i].year);
    for (size_t i = 0; i < e->n_skp22; i++)
        skp_year(k, ctx, "rwSkp22", i, e->skp22[i].year);
    for (size_t i = 0; i < e->n_sanctions; i++) {
        const struct sanction *x = &e->sanctions[i];

        future_date(k, ctx, &(const struct at){"rwHukdis", i, "skTanggal"}, x->sk_date);
        future_date(k, ctx, &(const struct at){"rwHukdis", i, "hukumanTanggal"}, x->tmt);
        order(k, &(const struct at){"rwHukdis", i, "akhirHukumTanggal"}, "hukumanTanggal", x->tmt,
              x->end);
        if (!x->annulled && x->tmt == DATE_NONE && x->sk_date == DATE_NONE)
            undated(k, "rwHukdis", i, "hukumanTanggal or skTanggal");
    }
}

/* Active from 18 until the 70th birthday. */
static void check_age(const struct employee *e, const struct quality_ctx *ctx, struct sink *k)
{
    int by, bm, bd, ty, tm, td, age;
    char born[16];

    if (e->birth_date == DATE_NONE || e->birth_date > ctx->today)
        return;
    date_to_ymd(e->birth_date, &by, &bm, &bd);
    date_to_ymd(ctx->today, &ty, &tm, &td);
    age = ty - by - (tm < bm || (tm == bm && td < bd));
    if (age < 18 || age > 70)
        add(k, "age_out_of_range", "tglLahir", "age %d (tglLahir %s): an active ASN is 18 to 70",
            age, date_text(e->birth_date, born, sizeof(born)));
}

/* Any leadership training of the position's level, whenever it was held. */
static void check_leadership(const struct employee *e, const struct score *s,
                             const struct quality_ctx *ctx, struct sink *k)
{
    const struct rules *r = &ctx->index->rules;
    const struct indicator_score *ind = &s->ind[IND_LEADERSHIP];
    static const char *const roman[] = {"", "I", "II", "III", "IV"};
    char got[16], max[16];

    if (s->position != POSITION_STRUKTURAL || e->eselon_level < 1 || e->eselon_level > 4)
        return;
    for (size_t i = 0; i < e->n_leadership; i++) {
        int level = score_leadership_level(e->leadership[i].name, &r->names);

        if (level == e->eselon_level ||
            (r->leadership_match == LEADERSHIP_AT_LEAST && level && level < e->eselon_level))
            return;
    }
    add(k, "leadership_mismatch", "rwDiklat",
        "eselon %s without leadership training of level %s: %s of %s leadership points",
        roman[e->eselon_level], roman[e->eselon_level], points_text(ind->points, got, sizeof(got)),
        points_text(ind->max, max, sizeof(max)));
}

/* The dimensions whose official value differs from ipasnd's by more than
 * the tolerance, as "; kompetensi 30.8 at BKN, 37.5 here" each. */
static bool ipasn_dimensions(const struct official_ipasn *o, const struct score *s,
                             long long tolerance, char *buf, size_t size)
{
    const struct {
        const char *name;
        int official, own;
    } dims[] = {
        {"kualifikasi", o->qualification, s->qualification},
        {"kompetensi", o->competency, s->competency},
        {"kinerja", o->performance, s->performance},
        {"disiplin", o->discipline, s->discipline},
    };
    size_t at = 0;
    bool any = false;

    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(dims); i++) {
        char a[16], b[16];

        if (dims[i].official < 0 ||
            (long long)abs(dims[i].official - dims[i].own) * 10 <= tolerance)
            continue;
        any = true;
        if (at < size)
            at += (size_t)snprintf(buf + at, size - at, "%s %s %s at BKN, %s here", at ? ";" : ":",
                                   dims[i].name, points_text(dims[i].official, a, sizeof(a)),
                                   points_text(dims[i].own, b, sizeof(b)));
    }
    return any;
}

static void check_ipasn(const struct employee *e, const struct score *s,
                        const struct quality_ctx *ctx, struct sink *k)
{
    const struct official_ipasn *o = &e->ipasn;
    long long tolerance = llround(ctx->quality->ipasn_tolerance * 100.0); /* hundredths */
    char dims[200];
    bool dims_differ;
    int diff;

    if (!o->present || o->year != s->period || o->total < 0)
        return;
    diff = abs(o->total - s->total);
    dims_differ = ipasn_dimensions(o, s, tolerance, dims, sizeof(dims));
    if ((long long)diff * 10 > tolerance || dims_differ)
        add(k, "ipasn_mismatch", "ipAsn.total",
            "official IP ASN %d is %d.%d0, ipasnd computes %d.%d0 (difference %d.%d0%s %.2f)%s",
            o->year, o->total / 10, o->total % 10, s->total / 10, s->total % 10, diff / 10,
            diff % 10, (long long)diff * 10 > tolerance ? " >" : ", within",
            ctx->quality->ipasn_tolerance, dims);
}

static void check_stale(const struct employee *e, const struct quality_ctx *ctx, struct sink *k)
{
    char when[32];

    if (e->updated_at <= 0 || ctx->now - e->updated_at <= ctx->quality->stale_after)
        return;
    add(k, "stale_record", "updatedAt", "last updated %s (stale after %lld days)",
        timestamp_format(e->updated_at, when, sizeof(when)),
        (long long)(ctx->quality->stale_after / 86400));
}

void quality_check(const struct employee *e, const struct score *s, const struct quality_ctx *ctx,
                   struct issue_list *out)
{
    struct sink k = {out, out->n};

    /* An out-of-scope employee's open issues resolve in the store. */
    if (!s->in_scope)
        return;
    check_notes(e, &k);
    check_nip(e, &k);
    check_assignment(e, &k);
    check_education(e, s, ctx, &k);
    check_skp(e, s, ctx, &k);
    check_courses(e, ctx, &k);
    check_dates(e, ctx, &k);
    check_age(e, ctx, &k);
    check_leadership(e, s, ctx, &k);
    check_ipasn(e, s, ctx, &k);
    check_stale(e, ctx, &k);
}
