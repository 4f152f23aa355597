#include "autoconfig.h"

#include "simpeg.h"

#include "record_keep.h"
#include "simpeg_int.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The contract's bound on the upstream SIASN PNS id (simpeg-api.md). */
#define ID_MAX 42
/* Bytes of a quarantined record's fields beyond the contract that are kept
 * to show what it held. */
#define QUARANTINE_REST_MAX 4096
/* jumlahJam above this is not a training a person attended. */
#define HOURS_MAX 10000

/* A record's text is written by jansson only when the page was not split
 * (see below): compact, in the order received, reals with 17 significant
 * digits, the least that gives back every double exactly (91.2 becomes
 * 91.200000000000003), so that the record decodes again to the same
 * values. */
#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(17))

struct simpeg_limits simpeg_limits_for(int page_size)
{
    struct simpeg_limits lim = {
        .max_records = page_size > 0 ? (size_t)page_size : 0,
        .max_string = SIMPEG_STRING_MAX,
        .max_history = 1000,
        .keep_raw = true,
    };

    return lim;
}

/* ---- decoder state ---------------------------------------------------- */

struct id_ref {
    const char *id;
    size_t index;
};

/* The working state of one call. The scratch buffers live on the heap, are
 * reused from record to record, and are freed before the call returns;
 * everything a caller sees is copied into the page's arena. */
struct decoder {
    const struct simpeg_limits *lim;
    struct arena *arena;

    /* the notes of the record being decoded */
    struct decode_note *notes;
    size_t n_notes, cap_notes;

    /* the text of the last JSON dump */
    char *buf;
    size_t len, cap;

    /* history ids, sorted to find duplicates */
    struct id_ref *ids;
    size_t cap_ids;

    /* the text of the record being decoded as received, when the page was
     * split; NULL when it was parsed whole */
    const char *text;
    size_t text_len;

    /* why the record being decoded was rejected */
    const char *nip;
    const char *reject_code;
    char reason[256];
};

static void decoder_done(struct decoder *d)
{
    free(d->notes);
    free(d->buf);
    free(d->ids);
}

/* Where a value sits in the record, for notes and reasons. */
struct where {
    const char *array; /* history or object name; NULL at the top level */
    long index;        /* entry of the history; -1 in a plain object */
    const char *field; /* NULL for the entry itself */
};

static const char *where_text(const struct where *w, char *buf, size_t size)
{
    if (!w->array)
        snprintf(buf, size, "%s", w->field);
    else if (w->index < 0)
        snprintf(buf, size, "%s.%s", w->array, w->field);
    else if (!w->field)
        snprintf(buf, size, "%s[%ld]", w->array, w->index);
    else
        snprintf(buf, size, "%s[%ld].%s", w->array, w->index, w->field);
    return buf;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

static int reject(struct decoder *d, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int reject(struct decoder *d, const char *code, const char *fmt, ...)
{
    va_list ap;

    d->reject_code = code;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
    va_end(ap);
    return -1;
}

static int wrong_type(struct decoder *d, const struct where *w, const json_t *v,
                      const char *expected)
{
    char path[96];

    return reject(d, "record_malformed", "%s is %s, expected %s", where_text(w, path, sizeof(path)),
                  type_name(v), expected);
}

static void note(struct decoder *d, const char *code, const struct where *w, const char *value)
{
    char path[96];
    struct decode_note *n;

    if (d->n_notes == d->cap_notes) {
        d->cap_notes = d->cap_notes ? 2 * d->cap_notes : 8;
        d->notes = xrealloc(d->notes, d->cap_notes * sizeof(*d->notes));
    }
    n = &d->notes[d->n_notes++];
    n->code = code;
    n->field = arena_strdup(d->arena, where_text(w, path, sizeof(path)));
    n->value = arena_strdup(d->arena, value);
}

/* The text of a scalar for a note: a string as it is, a number as JSON. */
static const char *scalar_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, size, "%.15g", json_real_value(v));
    else
        snprintf(buf, size, "%s", json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
    return buf;
}

/* ---- scalars ------------------------------------------------------------
 * Each take_* reads one field of obj: 0 when stored (absent, null and ""
 * store the field's "none"; a value that does not parse stores "none" and a
 * note), -1 when the field's JSON type breaks the contract (the record is
 * rejected, d->reason says why). */

static int check_length(struct decoder *d, const struct where *w, const json_t *v, size_t max)
{
    char path[96];

    if (json_string_length(v) <= max)
        return 0;
    return reject(d, "record_malformed", "%s is longer than %zu bytes",
                  where_text(w, path, sizeof(path)), max);
}

/* Free text: a string or null. */
static int take_text(struct decoder *d, const json_t *obj, const struct where *w, size_t max,
                     const char **out)
{
    const json_t *v = json_object_get(obj, w->field);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return wrong_type(d, w, v, "a string");
    if (check_length(d, w, v, max) < 0)
        return -1;
    if (json_string_length(v) > 0)
        *out = arena_strndup(d->arena, json_string_value(v), json_string_length(v));
    return 0;
}

/* A code or id: a string, or an integer stored as its decimal text. With
 * pad2, a single digit gets its leading zero back ("1" -> "01"). */
static int take_code(struct decoder *d, const json_t *obj, const struct where *w, size_t max,
                     bool pad2, const char **out)
{
    const json_t *v = json_object_get(obj, w->field);
    char num[32];
    const char *s;
    size_t len;

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        if (check_length(d, w, v, max) < 0)
            return -1;
        s = json_string_value(v);
        len = json_string_length(v);
    } else if (json_is_integer(v)) {
        len = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
    } else {
        return wrong_type(d, w, v, "a string or an integer");
    }
    if (len == 0)
        return 0;
    if (pad2 && len == 1 && s[0] >= '0' && s[0] <= '9') {
        char *p = arena_alloc(d->arena, 3);

        p[0] = '0';
        p[1] = s[0];
        *out = p;
        return 0;
    }
    *out = arena_strndup(d->arena, s, len);
    return 0;
}

static int take_date(struct decoder *d, const json_t *obj, const struct where *w, date_t *out)
{
    const json_t *v = json_object_get(obj, w->field);

    *out = DATE_NONE;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return wrong_type(d, w, v, "a date string");
    if (check_length(d, w, v, d->lim->max_string) < 0)
        return -1;
    if (date_parse(json_string_value(v), out) == DATE_BAD)
        note(d, "date_invalid", w, json_string_value(v));
    return 0;
}

/* A number given as a JSON number or a numeric string. Returns 1 and sets
 * *out when there is one, 0 when absent or unparsable (with a note), -1 on
 * a wrong type. */
static int take_number(struct decoder *d, const json_t *obj, const struct where *w, double *out)
{
    const json_t *v = json_object_get(obj, w->field);

    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v)) {
        *out = (double)json_integer_value(v);
        return 1;
    }
    if (json_is_real(v)) {
        *out = json_real_value(v);
        return 1;
    }
    if (!json_is_string(v))
        return wrong_type(d, w, v, "a number or a numeric string");
    if (check_length(d, w, v, d->lim->max_string) < 0)
        return -1;
    if (json_string_length(v) == 0)
        return 0;
    if (parse_double(json_string_value(v), out) < 0) {
        note(d, "value_invalid", w, json_string_value(v));
        return 0;
    }
    return 1;
}

/* A whole number in [min, max]; *out keeps none when absent or invalid. */
static int take_int(struct decoder *d, const json_t *obj, const struct where *w, int min, int max,
                    int none, int *out)
{
    const json_t *v = json_object_get(obj, w->field);
    char buf[64];
    int64_t i;
    double x;
    int r;

    *out = none;
    if (v && json_is_integer(v)) {
        /* Exact, without a detour through double. */
        i = json_integer_value(v);
        if (i >= min && i <= max)
            *out = (int)i;
        else
            note(d, "value_invalid", w, scalar_text(v, buf, sizeof(buf)));
        return 0;
    }
    if (v && json_is_string(v) && json_string_length(v) <= d->lim->max_string &&
        parse_int64(json_string_value(v), min, max, &i) == 0) {
        *out = (int)i;
        return 0;
    }
    r = take_number(d, obj, w, &x);
    if (r <= 0)
        return r;
    if (x == floor(x) && x >= min && x <= max)
        *out = (int)x;
    else
        note(d, "value_invalid", w, scalar_text(v, buf, sizeof(buf)));
    return 0;
}

/* ---- field tables ------------------------------------------------------ */

enum field_kind {
    F_TEXT,    /* free text */
    F_CODE,    /* code or id */
    F_CODE2,   /* two-digit code */
    F_ID,      /* the upstream PNS id, at most ID_MAX bytes */
    F_DATE,    /* date_t */
    F_YEAR,    /* int, YEAR_NONE when absent */
    F_HOURS,   /* int, HOURS_NONE when absent */
    F_NUMTEXT, /* a number kept as text */
};

struct field_spec {
    const char *name;
    enum field_kind kind;
    size_t offset;
};

/* A number kept as its text: a string, or a JSON number written back. */
static int take_numtext(struct decoder *d, const json_t *obj, const struct where *w,
                        const char **out)
{
    const json_t *v = json_object_get(obj, w->field);
    char buf[64];

    if (v && json_is_real(v)) {
        *out = arena_strdup(d->arena, scalar_text(v, buf, sizeof(buf)));
        return 0;
    }
    return take_code(d, obj, w, d->lim->max_string, false, out);
}

static int take_fields(struct decoder *d, const json_t *obj, struct where *w,
                       const struct field_spec *spec, size_t n, void *base)
{
    size_t max = d->lim->max_string;

    for (size_t i = 0; i < n; i++) {
        void *p = (char *)base + spec[i].offset;
        int r = 0;

        w->field = spec[i].name;
        switch (spec[i].kind) {
        case F_TEXT:
            r = take_text(d, obj, w, max, p);
            break;
        case F_CODE:
            r = take_code(d, obj, w, max, false, p);
            break;
        case F_CODE2:
            r = take_code(d, obj, w, max, true, p);
            break;
        case F_ID:
            r = take_code(d, obj, w, max < ID_MAX ? max : ID_MAX, false, p);
            break;
        case F_DATE:
            r = take_date(d, obj, w, p);
            break;
        case F_YEAR:
            r = take_int(d, obj, w, 1, 9999, YEAR_NONE, p);
            break;
        case F_HOURS:
            r = take_int(d, obj, w, 0, HOURS_MAX, HOURS_NONE, p);
            break;
        case F_NUMTEXT:
            r = take_numtext(d, obj, w, p);
            break;
        }
        if (r < 0)
            return -1;
    }
    return 0;
}

#define FIELD(type, name, kind, member)                                                            \
    {                                                                                              \
        name, kind, offsetof(type, member)                                                         \
    }

static const struct field_spec employee_fields[] = {
    FIELD(struct employee, "id", F_ID, id),
    FIELD(struct employee, "gelarDepan", F_TEXT, title_front),
    FIELD(struct employee, "gelarBelakang", F_TEXT, title_back),
    FIELD(struct employee, "tglLahir", F_DATE, birth_date),
    FIELD(struct employee, "statusCpnsPns", F_CODE, status_cpns_pns),
    FIELD(struct employee, "kedudukanPnsId", F_CODE2, kedudukan_id),
    FIELD(struct employee, "kedudukanPnsNama", F_TEXT, kedudukan_name),
    FIELD(struct employee, "tmtCpns", F_DATE, tmt_cpns),
    FIELD(struct employee, "tmtPns", F_DATE, tmt_pns),
    FIELD(struct employee, "jenisJabatanId", F_CODE, position_type_id),
    FIELD(struct employee, "jabatanNama", F_TEXT, position_name),
    FIELD(struct employee, "eselonId", F_CODE2, eselon_id),
    FIELD(struct employee, "eselon", F_TEXT, eselon),
    FIELD(struct employee, "golRuangAkhirId", F_CODE2, grade_id),
    FIELD(struct employee, "golRuangAkhir", F_TEXT, grade),
    FIELD(struct employee, "tkPendidikanTerakhirId", F_CODE2, edu_level_id),
    FIELD(struct employee, "instansiIndukId", F_CODE, instansi_id),
    FIELD(struct employee, "instansiIndukNama", F_TEXT, instansi_name),
    FIELD(struct employee, "opdId", F_CODE, opd_id),
    FIELD(struct employee, "opdNama", F_TEXT, opd_name),
    FIELD(struct employee, "unorId", F_CODE, unor_id),
    FIELD(struct employee, "unorNama", F_TEXT, unor_name),
};

static const struct field_spec education_fields[] = {
    FIELD(struct education, "id", F_CODE, id),
    FIELD(struct education, "tkPendidikanId", F_CODE2, level_id),
    FIELD(struct education, "tkPendidikanNama", F_TEXT, level_name),
    FIELD(struct education, "pendidikanNama", F_TEXT, name),
    FIELD(struct education, "tahunLulus", F_YEAR, grad_year),
    FIELD(struct education, "tglLulus", F_DATE, grad_date),
};

static const struct field_spec leadership_fields[] = {
    FIELD(struct leadership_training, "id", F_CODE, id),
    FIELD(struct leadership_training, "latihanStrukturalId", F_CODE, type_id),
    FIELD(struct leadership_training, "latihanStrukturalNama", F_TEXT, name),
    FIELD(struct leadership_training, "tanggal", F_DATE, start),
    FIELD(struct leadership_training, "tanggalSelesai", F_DATE, end),
    FIELD(struct leadership_training, "tahun", F_YEAR, year),
    FIELD(struct leadership_training, "jumlahJam", F_HOURS, hours),
};

static const struct field_spec course_fields[] = {
    FIELD(struct course, "id", F_CODE, id),
    FIELD(struct course, "jenisKursusId", F_CODE, kind_id),
    FIELD(struct course, "jenisKursusNama", F_TEXT, kind_name),
    FIELD(struct course, "namaKursus", F_TEXT, name),
    FIELD(struct course, "jumlahJam", F_HOURS, hours),
    FIELD(struct course, "tanggalKursus", F_DATE, start),
    FIELD(struct course, "tanggalSelesaiKursus", F_DATE, end),
    FIELD(struct course, "tahunKursus", F_YEAR, year),
};

static const struct field_spec skp_fields[] = {
    FIELD(struct skp, "id", F_CODE, id),
    FIELD(struct skp, "tahun", F_YEAR, year),
};

static const struct field_spec skp22_fields[] = {
    FIELD(struct skp22, "id", F_CODE, id),
    FIELD(struct skp22, "tahun", F_YEAR, year),
    FIELD(struct skp22, "kuadranKinerja", F_TEXT, predikat),
    FIELD(struct skp22, "KuadranKinerjaNilai", F_NUMTEXT, value),
};

static const struct field_spec sanction_fields[] = {
    FIELD(struct sanction, "id", F_CODE, id),
    FIELD(struct sanction, "jenisTingkatHukumanId", F_CODE, level_id),
    FIELD(struct sanction, "jenisHukumanNama", F_TEXT, type_name),
    FIELD(struct sanction, "skTanggal", F_DATE, sk_date),
    FIELD(struct sanction, "hukumanTanggal", F_DATE, tmt),
    FIELD(struct sanction, "akhirHukumTanggal", F_DATE, end),
};

/* ---- histories --------------------------------------------------------- */

static int take_education(struct decoder *d, const json_t *o, struct where *w, void *out)
{
    return take_fields(d, o, w, education_fields, ARRAY_SIZE(education_fields), out);
}

static int take_leadership(struct decoder *d, const json_t *o, struct where *w, void *out)
{
    return take_fields(d, o, w, leadership_fields, ARRAY_SIZE(leadership_fields), out);
}

static int take_course(struct decoder *d, const json_t *o, struct where *w, void *out)
{
    return take_fields(d, o, w, course_fields, ARRAY_SIZE(course_fields), out);
}

static int take_skp(struct decoder *d, const json_t *o, struct where *w, void *out)
{
    struct skp *s = out;
    double v;
    int r;

    if (take_fields(d, o, w, skp_fields, ARRAY_SIZE(skp_fields), out) < 0)
        return -1;
    /* The score is kept as given: its 0-120 range is the scorer's rule. */
    w->field = "nilaiPrestasiKerja";
    r = take_number(d, o, w, &v);
    if (r == 0) {
        w->field = "nilairatarata";
        r = take_number(d, o, w, &v);
    } else if (r > 0) {
        /* Read for its type only; nilaiPrestasiKerja wins. */
        double unused;
        struct where w2 = *w;

        w2.field = "nilairatarata";
        if (take_number(d, o, &w2, &unused) < 0)
            return -1;
    }
    if (r < 0)
        return -1;
    if (r > 0) {
        s->has_score = true;
        s->score = v;
        s->score_field = w->field;
    }
    return 0;
}

static int take_skp22(struct decoder *d, const json_t *o, struct where *w, void *out)
{
    return take_fields(d, o, w, skp22_fields, ARRAY_SIZE(skp22_fields), out);
}

static int take_sanction(struct decoder *d, const json_t *o, struct where *w, void *out)
{
    struct sanction *s = out;
    const char *cancel;

    if (take_fields(d, o, w, sanction_fields, ARRAY_SIZE(sanction_fields), out) < 0)
        return -1;
    w->field = "skPembatalanNomor";
    if (take_code(d, o, w, d->lim->max_string, false, &cancel) < 0)
        return -1;
    /* A number of the annulling decree; blanks alone are no number. */
    s->annulled = cancel && cancel[strspn(cancel, " \t")] != '\0';
    if (!s->level_id)
        s->level = SANCTION_NONE;
    else if (strcmp(s->level_id, "R") == 0 || strcmp(s->level_id, "r") == 0)
        s->level = SANCTION_RINGAN;
    else if (strcmp(s->level_id, "S") == 0 || strcmp(s->level_id, "s") == 0)
        s->level = SANCTION_SEDANG;
    else if (strcmp(s->level_id, "B") == 0 || strcmp(s->level_id, "b") == 0)
        s->level = SANCTION_BERAT;
    else
        s->level = SANCTION_UNKNOWN;
    return 0;
}

struct history_spec {
    const char *name;
    size_t size;
    size_t items_offset, count_offset;
    int (*take)(struct decoder *d, const json_t *o, struct where *w, void *out);
};

#define HISTORY(name, type, items, count, take)                                                    \
    {                                                                                              \
        name, sizeof(type), offsetof(struct employee, items), offsetof(struct employee, count),    \
            take                                                                                   \
    }

static const struct history_spec histories[] = {
    HISTORY("rwPendidikan", struct education, education, n_education, take_education),
    HISTORY("rwDiklat", struct leadership_training, leadership, n_leadership, take_leadership),
    HISTORY("rwKursus", struct course, courses, n_courses, take_course),
    HISTORY("rwSkp", struct skp, skp, n_skp, take_skp),
    HISTORY("rwSkp22", struct skp22, skp22, n_skp22, take_skp22),
    HISTORY("rwHukdis", struct sanction, sanctions, n_sanctions, take_sanction),
};

static int id_ref_cmp(const void *a, const void *b)
{
    const struct id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int id_ref_index_cmp(const void *a, const void *b)
{
    const struct id_ref *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

/* Notes every entry whose id an earlier entry of the same history has. Each
 * history struct starts with its id. */
static void note_duplicate_ids(struct decoder *d, const char *name, const char *items, size_t n,
                               size_t size)
{
    size_t m = 0, dups = 0;

    if (n < 2)
        return;
    if (d->cap_ids < n) {
        d->cap_ids = n;
        d->ids = xrealloc(d->ids, n * sizeof(*d->ids));
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = *(const char *const *)(const void *)(items + i * size);

        if (id) {
            d->ids[m].id = id;
            d->ids[m].index = i;
            m++;
        }
    }
    qsort(d->ids, m, sizeof(*d->ids), id_ref_cmp);
    /* Move the later entries of each run of equal ids to the front (never
     * past the pair compared next), then note them in the history's order. */
    for (size_t i = 1; i < m; i++)
        if (strcmp(d->ids[i].id, d->ids[i - 1].id) == 0)
            d->ids[dups++] = d->ids[i];
    qsort(d->ids, dups, sizeof(*d->ids), id_ref_index_cmp);
    for (size_t i = 0; i < dups; i++) {
        struct where w = {name, (long)d->ids[i].index, "id"};

        note(d, "duplicate_record", &w, d->ids[i].id);
    }
}

static int take_history(struct decoder *d, const json_t *rec, const struct history_spec *h,
                        struct employee *e)
{
    const json_t *arr = json_object_get(rec, h->name);
    struct where w = {NULL, -1, h->name};
    char *items;
    size_t n;

    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return wrong_type(d, &w, arr, "an array");
    n = json_array_size(arr);
    if (n > d->lim->max_history)
        return reject(d, "record_malformed", "%s has %zu entries, more than %zu", h->name, n,
                      d->lim->max_history);
    if (n == 0)
        return 0;
    items = arena_alloc(d->arena, n * h->size);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);

        w.array = h->name;
        w.index = (long)i;
        w.field = NULL;
        if (!json_is_object(o))
            return wrong_type(d, &w, o, "an object");
        if (h->take(d, o, &w, items + i * h->size) < 0)
            return -1;
    }
    note_duplicate_ids(d, h->name, items, n, h->size);
    *(void **)((char *)e + h->items_offset) = items;
    *(size_t *)((char *)e + h->count_offset) = n;
    return 0;
}

/* ---- the employee ------------------------------------------------------ */

static int take_official_ipasn(struct decoder *d, const json_t *rec, struct official_ipasn *ip)
{
    static const struct {
        const char *name;
        size_t offset;
    } parts[] = {
        {"kualifikasi", offsetof(struct official_ipasn, qualification)},
        {"kompetensi", offsetof(struct official_ipasn, competency)},
        {"kinerja", offsetof(struct official_ipasn, performance)},
        {"disiplin", offsetof(struct official_ipasn, discipline)},
        {"total", offsetof(struct official_ipasn, total)},
    };
    const json_t *o = json_object_get(rec, "ipAsn");
    struct where w = {NULL, -1, "ipAsn"};

    ip->qualification = ip->competency = ip->performance = ip->discipline = ip->total = -1;
    if (!o || json_is_null(o))
        return 0;
    if (!json_is_object(o))
        return wrong_type(d, &w, o, "an object");
    ip->present = true;
    ip->source = "listing";
    w.array = "ipAsn";
    w.field = "tahun";
    if (take_int(d, o, &w, 1, 9999, YEAR_NONE, &ip->year) < 0)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        int *out = (int *)(void *)((char *)ip + parts[i].offset);
        double v;
        int r;

        w.field = parts[i].name;
        r = take_number(d, o, &w, &v);
        if (r < 0)
            return -1;
        if (r == 0)
            continue;
        if (v < 0 || v > 100) {
            char buf[64];

            note(d, "value_invalid", &w,
                 scalar_text(json_object_get(o, parts[i].name), buf, sizeof(buf)));
            continue;
        }
        /* Tenths, half up. For every value with two decimals the product
         * rounds to the exact half, so 85.05 gives 851 as its text says. */
        *out = (int)floor(v * 10.0 + 0.5);
    }
    return 0;
}

/* len is the string's length as JSON gave it: a NUL byte inside makes it
 * no NIP, though the C string before it might look like one. */
static int check_nip(struct decoder *d, const char *nip, size_t len)
{
    char q[48];

    text_quote(q, sizeof(q), nip);
    switch (len == strlen(nip) ? nip_check(nip) : NIP_NOT_18_DIGITS) {
    case NIP_OK:
        return 0;
    case NIP_NOT_18_DIGITS:
        return reject(d, "nip_invalid", "nipBaru %s is not 18 digits", q);
    case NIP_BAD_BIRTH_DATE:
        return reject(d, "nip_invalid", "nipBaru %s: digits 1-8 are not a calendar date", q);
    case NIP_SEQUENCE_000:
        return reject(d, "nip_invalid", "nipBaru %s has the sequence number 000", q);
    }
    assert_not_reached();
}

static enum position_type position_of(const struct employee *e)
{
    int64_t t;

    if (!e->position_type_id || parse_int64(e->position_type_id, 1, 4, &t) < 0)
        return POSITION_UNKNOWN;
    switch (t) {
    case 1:
        return POSITION_STRUKTURAL;
    case 2:
        return POSITION_FUNGSIONAL;
    case 3: /* rangkap */
        return e->eselon_id && strcmp(e->eselon_id, "99") != 0 ? POSITION_STRUKTURAL
                                                               : POSITION_FUNGSIONAL;
    default:
        return POSITION_PELAKSANA;
    }
}

/* Eselon I..IV from eselonId 1x..4x. Eselon V (5x) carries no leadership
 * level in the index, so it gives 0 like "99" (none). */
static int eselon_level_of(const char *id)
{
    if (!id || strlen(id) != 2 || id[1] < '0' || id[1] > '9')
        return 0;
    if (id[0] >= '1' && id[0] <= '4')
        return id[0] - '0';
    return 0;
}

static enum employee_status status_of(const struct employee *e)
{
    if (e->kedudukan_id &&
        (strcmp(e->kedudukan_id, "71") == 0 || strcmp(e->kedudukan_id, "72") == 0))
        return STATUS_PPPK;
    if (e->status_cpns_pns && strcmp(e->status_cpns_pns, "C") == 0)
        return STATUS_CPNS;
    if (e->status_cpns_pns && strcmp(e->status_cpns_pns, "P") == 0)
        return STATUS_PNS;
    return STATUS_UNKNOWN;
}

static int dump_append(const char *buffer, size_t size, void *data)
{
    struct decoder *d = data;

    if (d->len + size > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;

        while (cap < d->len + size)
            cap *= 2;
        d->buf = xrealloc(d->buf, cap);
        d->cap = cap;
    }
    memcpy(d->buf + d->len, buffer, size);
    d->len += size;
    return 0;
}

/* The compact JSON text of v into d->buf (not NUL-terminated); -1 when
 * jansson cannot write it. */
static int dump(struct decoder *d, const json_t *v, size_t flags)
{
    d->len = 0;
    return json_dump_callback(v, dump_append, d, DUMP_FLAGS | flags) == 0 ? 0 : -1;
}

/* Whether every key of the object v is a field of the contract's part. */
static bool part_keys_known(const char *part, const json_t *v)
{
    const char *k;
    json_t *x;

    json_object_foreach((json_t *)v, k, x) if (!contract_field(part, k)) return false;
    return true;
}

/* Whether a part (a history, or ipAsn) holds only the contract's fields. */
static bool part_known(const char *part, const json_t *v)
{
    size_t i;
    json_t *x;

    if (json_is_object(v))
        return part_keys_known(part, v);
    json_array_foreach((json_t *)v, i,
                       x) if (json_is_object(x) && !part_keys_known(part, x)) return false;
    return true;
}

/* Whether the record holds nothing but the contract's fields. */
static bool only_contract(const json_t *rec)
{
    const char *k;
    json_t *v;

    json_object_foreach((json_t *)rec, k,
                        v) if (!contract_field(NULL, k) ||
                               (contract_part(k) && !part_known(k, v))) return false;
    return true;
}

/* The contract's fields of an entry of a part. */
static json_t *part_entry(const char *part, json_t *v)
{
    json_t *out;
    const char *k;
    json_t *x;

    if (!json_is_object(v))
        return json_incref(v);
    out = json_object();
    json_object_foreach(v, k, x) if (contract_field(part, k)) json_object_set(out, k, x);
    return out;
}

static json_t *part_copy(const char *part, json_t *v)
{
    json_t *out;
    size_t i;
    json_t *x;

    if (!json_is_array(v))
        return part_entry(part, v);
    out = json_array();
    json_array_foreach(v, i, x) json_array_append_new(out, part_entry(part, x));
    return out;
}

/* What ipasnd keeps of a record: the contract's fields, and for a record
 * kept in quarantine rest bytes at most of its other fields, none of them
 * personal data. */
static json_t *minimized(json_t *rec, size_t rest)
{
    json_t *out = json_object(), *v;
    const char *k;
    size_t used = 0;

    json_object_foreach(rec, k, v)
    {
        if (contract_part(k)) {
            json_object_set_new(out, k, part_copy(k, v));
        } else if (contract_field(NULL, k)) {
            json_object_set(out, k, v);
        } else if (rest && !contract_personal(k)) {
            /* its size as written, the key and its quotes beside it */
            size_t n = json_dumpb(v, NULL, 0, DUMP_FLAGS | JSON_ENCODE_ANY) + strlen(k) + 4;

            if (n <= rest - used) {
                json_object_set(out, k, v);
                used += n;
            }
        }
    }
    return out;
}

/* The text of the record being decoded as ipasnd keeps it, in the page's
 * arena. When the page was split, the record's own text: as received when
 * it holds nothing but the contract's fields, else cut to what minimized
 * would keep (record_keep), so numbers stay as written; a NUL byte, which
 * jansson may take for the end of a number, sends it the other way. Else
 * what minimized keeps of v, written again. NULL when jansson cannot write
 * it. Keeping the text spares writing every record again, a good share of
 * the decoding. */
static const char *record_text(struct decoder *d, json_t *v, size_t rest, size_t *len)
{
    bool clean = !json_is_object(v) || only_contract(v);
    json_t *kept;
    int rc;

    if (d->text && !memchr(d->text, '\0', d->text_len)) {
        if (clean) {
            *len = d->text_len;
            return arena_strndup(d->arena, d->text, d->text_len);
        }
        d->len = 0;
        rc = record_keep(d->text, d->text_len, rest, dump_append, d);
        if (rc < 0)
            return NULL;
        if (rc == 0) {
            *len = d->len;
            return arena_strndup(d->arena, d->buf, d->len);
        }
    }
    kept = clean ? json_incref(v) : minimized(v, rest);
    rc = dump(d, kept, JSON_ENCODE_ANY);
    json_decref(kept);
    if (rc < 0)
        return NULL;
    *len = d->len;
    return arena_strndup(d->arena, d->buf, d->len);
}

static int take_employee(struct decoder *d, const json_t *rec, struct employee *e)
{
    const json_t *v;
    struct where w = {NULL, -1, NULL};
    char q[48];

    if (!json_is_object(rec))
        return reject(d, "record_malformed", "the record is %s, expected an object",
                      type_name(rec));

    v = json_object_get(rec, "nipBaru");
    if (!v)
        return reject(d, "record_malformed", "nipBaru is missing");
    if (!json_is_string(v))
        return reject(d, "record_malformed", "nipBaru is %s, expected a string", type_name(v));
    if (json_string_length(v) == 0)
        return reject(d, "record_malformed", "nipBaru is empty");
    w.field = "nipBaru";
    if (check_length(d, &w, v, d->lim->max_string) < 0)
        return -1;
    e->nip = d->nip = arena_strndup(d->arena, json_string_value(v), json_string_length(v));
    if (check_nip(d, e->nip, json_string_length(v)) < 0)
        return -1;

    v = json_object_get(rec, "deleted");
    if (v && !json_is_null(v)) {
        if (!json_is_boolean(v))
            return reject(d, "record_malformed", "deleted is %s, expected a boolean", type_name(v));
        e->deleted = json_is_true(v);
    }

    /* A tombstone needs its key only. */
    v = json_object_get(rec, "nama");
    if (!e->deleted) {
        if (!v)
            return reject(d, "record_malformed", "nama is missing");
        if (!json_is_string(v))
            return reject(d, "record_malformed", "nama is %s, expected a string", type_name(v));
        if (json_string_length(v) == 0)
            return reject(d, "record_malformed", "nama is empty");
    }
    w.field = "nama";
    if (take_text(d, rec, &w, d->lim->max_string, &e->name) < 0)
        return -1;

    if (take_fields(d, rec, &w, employee_fields, ARRAY_SIZE(employee_fields), e) < 0)
        return -1;

    w.field = "jenisKelamin";
    {
        const char *sex;

        if (take_text(d, rec, &w, d->lim->max_string, &sex) < 0)
            return -1;
        e->sex = sex && (strcmp(sex, "M") == 0 || strcmp(sex, "F") == 0) ? sex[0] : 0;
    }

    v = json_object_get(rec, "updatedAt");
    if (v && !json_is_null(v)) {
        w.field = "updatedAt";
        if (!json_is_string(v))
            return wrong_type(d, &w, v, "an RFC 3339 time string");
        if (check_length(d, &w, v, d->lim->max_string) < 0)
            return -1;
        if (json_string_length(v) > 0 &&
            timestamp_parse(json_string_value(v), &e->updated_at) < 0) {
            e->updated_at = 0;
            note(d, "date_invalid", &w, json_string_value(v));
        }
    }

    for (size_t i = 0; i < ARRAY_SIZE(histories); i++)
        if (take_history(d, rec, &histories[i], e) < 0)
            return -1;
    if (take_official_ipasn(d, rec, &e->ipasn) < 0)
        return -1;

    e->status = status_of(e);
    e->eselon_level = eselon_level_of(e->eselon_id);
    e->position = position_of(e);

    if (d->lim->keep_raw) {
        size_t len;

        if (!(e->raw = record_text(d, (json_t *)rec, 0, &len))) {
            text_quote(q, sizeof(q), e->nip);
            return reject(d, "record_malformed", "record %s cannot be written as JSON", q);
        }
        e->content_hash = hash64(e->raw, len, HASH64_INIT);
    }

    if (d->n_notes) {
        e->notes = arena_alloc(d->arena, d->n_notes * sizeof(*e->notes));
        memcpy(e->notes, d->notes, d->n_notes * sizeof(*e->notes));
        e->n_notes = d->n_notes;
    }
    return 0;
}

/* Decodes elem into the next employee of p, or into its next rejected record. */
static void take_record(struct decoder *d, struct page *p, const json_t *elem, size_t index)
{
    struct employee *e = &p->employees[p->n_employees];
    struct rejected_record *r;
    size_t len;

    d->n_notes = 0;
    d->nip = NULL;
    d->reject_code = NULL;
    if (take_employee(d, elem, e) == 0) {
        p->n_employees++;
        return;
    }
    memset(e, 0, sizeof(*e));
    r = &p->rejected[p->n_rejected++];
    r->nip = d->nip;
    r->code = d->reject_code;
    r->reason = arena_strdup(d->arena, d->reason);
    r->raw = record_text(d, (json_t *)elem, QUARANTINE_REST_MAX, &len);
    r->index = index;
}

static void take_records(struct decoder *d, struct page *p, const json_t *arr)
{
    size_t n = json_array_size(arr);

    if (n == 0)
        return;
    p->employees = arena_alloc(d->arena, n * sizeof(*p->employees));
    p->rejected = arena_alloc(d->arena, n * sizeof(*p->rejected));
    for (size_t i = 0; i < n; i++)
        take_record(d, p, json_array_get(arr, i), i);
}

/* ---- pages ------------------------------------------------------------- */

static json_t *load(const char *body, size_t len, size_t flags, struct error *err)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | flags, &je);

    if (!root) {
        char text[sizeof(je.text)];
        char *near;

        /* jansson quotes the input near the error ("... near '\"1987'"),
         * which may be a NIK or a name: the message keeps its own words and
         * the position, never the data. */
        text_strip(text, sizeof(text), je.text);
        if ((near = strstr(text, " near ")))
            *near = '\0';
        for (char *c = text; *c; c++)
            if ((unsigned char)*c >= 0x80)
                *c = '?';
        error_set(err, "invalid JSON at line %d, column %d (byte %d): %s", je.line, je.column,
                  je.position, text);
    }
    return root;
}

static struct page *page_new(struct decoder *d, const struct simpeg_limits *lim)
{
    struct arena *a = arena_new();
    struct page *p = arena_alloc(a, sizeof(*p));

    p->arena = a;
    p->count = -1;
    memset(d, 0, sizeof(*d));
    d->lim = lim;
    d->arena = a;
    return p;
}

static int take_envelope(const json_t *root, struct page *p, const struct simpeg_limits *lim,
                         struct error *err)
{
    const json_t *data = json_object_get(root, "data");
    const json_t *cursor = json_object_get(root, "next_cursor");
    const json_t *st = json_object_get(root, "server_time");
    const json_t *count = json_object_get(root, "count");
    char q[80];

    if (!data) {
        error_set(err, "the page has no \"data\"");
        return -1;
    }
    if (!json_is_array(data)) {
        error_set(err, "the page's \"data\" is %s, expected an array", type_name(data));
        return -1;
    }
    if (json_array_size(data) > lim->max_records) {
        error_set(err, "the page has %zu records, more than the limit of %zu",
                  json_array_size(data), lim->max_records);
        return -1;
    }
    if (!cursor) {
        error_set(err, "the page has no \"next_cursor\"");
        return -1;
    }
    if (json_is_string(cursor)) {
        /* An empty cursor would ask for the first page again, forever. */
        if (json_string_length(cursor) == 0 || json_string_length(cursor) > lim->max_string) {
            error_set(err, "the page's \"next_cursor\" is %s",
                      json_string_length(cursor) == 0 ? "empty" : "too long");
            return -1;
        }
        p->next_cursor =
            arena_strndup(p->arena, json_string_value(cursor), json_string_length(cursor));
    } else if (!json_is_null(cursor)) {
        error_set(err, "the page's \"next_cursor\" is %s, expected a string or null",
                  type_name(cursor));
        return -1;
    }
    if (!st) {
        error_set(err, "the page has no \"server_time\"");
        return -1;
    }
    if (!json_is_string(st)) {
        error_set(err, "the page's \"server_time\" is %s, expected a string", type_name(st));
        return -1;
    }
    if (timestamp_parse(json_string_value(st), &p->server_time) < 0) {
        text_quote(q, sizeof(q), json_string_value(st));
        error_set(err, "the page's \"server_time\" %s is not an RFC 3339 time", q);
        return -1;
    }
    p->server_time_text = arena_strndup(p->arena, json_string_value(st), json_string_length(st));
    if (count) {
        if (!json_is_integer(count) || json_integer_value(count) < 0 ||
            json_integer_value(count) > LONG_MAX) {
            error_set(err, "the page's \"count\" is %s, expected a non-negative integer",
                      json_is_integer(count) ? "negative" : type_name(count));
            return -1;
        }
        p->count = (long)json_integer_value(count);
    }
    return 0;
}

/* Tells the hook what the envelope holds, before the records decode. */
static void envelope_known(const struct simpeg_hooks *h, const struct page *p)
{
    if (h && h->envelope)
        h->envelope(h->ud, p);
}

static struct page *decode_listing(const json_t *root, const struct simpeg_limits *lim,
                                   const struct simpeg_hooks *h, struct error *err)
{
    struct decoder d;
    struct page *p = page_new(&d, lim);

    if (take_envelope(root, p, lim, err) == 0) {
        envelope_known(h, p);
        take_records(&d, p, json_object_get(root, "data"));
    } else {
        page_free(p);
        p = NULL;
    }
    decoder_done(&d);
    return p;
}

/* A page of one record, or of the records of an array, with no envelope. */
static struct page *decode_records(const json_t *records, const struct simpeg_limits *lim,
                                   struct error *err)
{
    struct decoder d;
    struct page *p;

    if (json_is_array(records) && json_array_size(records) > lim->max_records) {
        error_set(err, "%zu records, more than the limit of %zu", json_array_size(records),
                  lim->max_records);
        return NULL;
    }
    p = page_new(&d, lim);
    if (json_is_array(records)) {
        take_records(&d, p, records);
    } else {
        p->employees = arena_alloc(d.arena, sizeof(*p->employees));
        p->rejected = arena_alloc(d.arena, sizeof(*p->rejected));
        take_record(&d, p, records, 0);
    }
    decoder_done(&d);
    return p;
}

static bool root_is_object(const json_t *root, struct error *err)
{
    if (json_is_object(root))
        return true;
    error_set(err, "the body is %s, expected an object", type_name(root));
    return false;
}

static struct page *decode_page_whole(const char *body, size_t len, const struct simpeg_limits *lim,
                                      const struct simpeg_hooks *h, struct error *err)
{
    json_t *root;
    struct page *p = NULL;

    mem_json_scratch_begin();
    root = load(body, len, 0, err);

    if (root && root_is_object(root, err))
        p = decode_listing(root, lim, h, err);
    json_decref(root);
    mem_json_scratch_end();
    return p;
}

/* ---- a listing page, record by record ------------------------------------ */

/* jansson reads a document whole, into a tree several times the size of
 * the body, and the decoding thread's memory would follow the largest page
 * of the listing. A listing page is split instead. A scan
 * that follows strings and nesting only finds the byte spans of the
 * elements of the top-level "data" array; jansson parses the envelope with
 * "data": [] in their place, then each element alone, strictly, into a
 * scratch arena freed after each record. The scan judges nothing jansson
 * does not judge after it: on any surprise (no plain "data" key or two, an
 * element nested deeper than SPLIT_MAX_DEPTH or more of them than the
 * limit, a byte out of place between elements, an envelope or element
 * jansson rejects) the page goes to the whole-document decoder, which gives
 * the verdict and the error's line and column. The tests and the fuzz
 * target check that both decoders agree. */

static json_t *load_quiet(const char *text, size_t len, size_t flags)
{
    json_error_t je;

    return json_loadb(text, len, JSON_REJECT_DUPLICATES | flags, &je);
}

/* The NIP a record that is not JSON seems to carry: the 18 digits after
 * its first "nipBaru", or NULL. */
static const char *nip_in_text(struct decoder *d, const char *text, size_t len)
{
    static const char key[] = "\"nipBaru\"";
    const char *end = text + len, *p = memmem(text, len, key, sizeof(key) - 1);

    if (!p)
        return NULL;
    p += sizeof(key) - 1;
    while (p < end && (split_json_space(*p) || *p == ':'))
        p++;
    if (end - p < 20 || *p != '"' || p[19] != '"' || strspn(p + 1, "0123456789") < 18)
        return NULL;
    return arena_strndup(d->arena, p + 1, 18);
}

/* A record of the page that jansson rejects on its own (a NUL in a string,
 * a key twice, a number out of range, a lone surrogate, invalid UTF-8): a
 * reject like any other record that breaks the contract, so the page and
 * the listing go on. Of its text only its size and hash are kept: it could
 * not be read to take the personal data out. */
static void take_unparsed(struct decoder *d, struct page *p, const char *text, size_t len, size_t i,
                          const struct error *why)
{
    struct rejected_record *r = &p->rejected[p->n_rejected++];
    char raw[96], reason[sizeof(why->msg) + 16];

    r->nip = nip_in_text(d, text, len);
    r->code = "record_malformed";
    snprintf(reason, sizeof(reason), "the record is %s", why->msg);
    r->reason = arena_strdup(d->arena, reason);
    snprintf(raw, sizeof(raw), "{\"unparsed\":{\"bytes\":%zu,\"hash\":\"%016llx\"}}", len,
             (unsigned long long)hash64(text, len, HASH64_INIT));
    r->raw = arena_strdup(d->arena, raw);
    r->index = i;
}

/* The record in text, parsed alone, as p's record i (its raw text as
 * received). When jansson rejects it: with keep, a rejected record, and 0;
 * else -1, saying why in err when given. */
static int decode_one(struct decoder *d, struct page *p, const char *text, size_t len, size_t i,
                      bool keep, struct error *err)
{
    struct error why = {{0}};
    json_t *rec;

    mem_json_scratch_begin();
    d->text = text;
    d->text_len = len;
    /* any JSON value, as an element of an array: not an object is a reject */
    rec = load(text, len, JSON_DECODE_ANY, err ? err : &why);
    if (rec)
        take_record(d, p, rec, i);
    else if (keep)
        take_unparsed(d, p, text, len, i, &why);
    json_decref(rec);
    mem_json_scratch_end();
    return rec || keep ? 0 : -1;
}

/* p when every record went in (rc 0), else NULL. */
static struct page *page_done(struct decoder *d, struct page *p, int rc)
{
    decoder_done(d);
    if (rc == 0)
        return p;
    page_free(p);
    return NULL;
}

/* The page from its spans; NULL when jansson rejects any part of it. */
static struct page *decode_split(const struct split *s, const struct simpeg_limits *lim,
                                 const struct simpeg_hooks *h)
{
    size_t tail = s->n - s->data_end;
    char *env = xmalloc(s->data_start + 2 + tail);
    struct error err = {{0}};
    struct decoder d;
    struct page *p = page_new(&d, lim);
    json_t *root;
    int rc;

    memcpy(env, s->b, s->data_start);
    memcpy(env + s->data_start, "[]", 2);
    memcpy(env + s->data_start + 2, s->b + s->data_end, tail);
    mem_json_scratch_begin();
    root = load_quiet(env, s->data_start + 2 + tail, 0);
    rc = json_is_object(root) ? take_envelope(root, p, lim, &err) : -1;
    json_decref(root);
    mem_json_scratch_end();
    free(env);
    if (rc == 0)
        envelope_known(h, p);
    if (rc == 0 && s->count) {
        p->employees = arena_alloc(d.arena, s->count * sizeof(*p->employees));
        p->rejected = arena_alloc(d.arena, s->count * sizeof(*p->rejected));
    }
    for (size_t i = 0; rc == 0 && i < s->count; i++)
        rc = decode_one(&d, p, s->b + s->off[i], s->len[i], i, true, NULL);
    return page_done(&d, p, rc);
}

static struct page *decode_page_split(const char *body, size_t len, const struct simpeg_limits *lim,
                                      const struct simpeg_hooks *h)
{
    struct split s = {.b = body, .n = len, .max = lim->max_records};
    struct page *p = split_listing(&s) ? decode_split(&s, lim, h) : NULL;

    free(s.off);
    free(s.len);
    return p;
}

struct page *simpeg_decode_page_split(const char *body, size_t len, const struct simpeg_limits *lim)
{
    return decode_page_split(body, len, lim, NULL);
}

struct page *simpeg_decode_page_whole(const char *body, size_t len, const struct simpeg_limits *lim,
                                      struct error *err)
{
    return decode_page_whole(body, len, lim, NULL, err);
}

struct page *simpeg_decode_records(const char *const *text, const size_t *len,
                                   const char *const *name, size_t n,
                                   const struct simpeg_limits *lim, struct error *err)
{
    struct decoder d;
    struct page *p;
    int rc = 0;

    if (n > lim->max_records) {
        error_set(err, "%zu records, more than the limit of %zu", n, lim->max_records);
        return NULL;
    }
    p = page_new(&d, lim);
    p->employees = arena_alloc(d.arena, (n ? n : 1) * sizeof(*p->employees));
    p->rejected = arena_alloc(d.arena, (n ? n : 1) * sizeof(*p->rejected));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *t = text[i];
        size_t tl = len[i];

        /* the record's text without the spaces around it */
        while (tl && split_json_space(*t)) {
            t++;
            tl--;
        }
        while (tl && split_json_space(t[tl - 1]))
            tl--;
        if ((rc = decode_one(&d, p, t, tl, i, false, err)) < 0) {
            struct error why = *err;

            error_set(err, "record %s: %s", name[i], why.msg);
        }
    }
    return page_done(&d, p, rc);
}

struct page *simpeg_decode_page(const char *body, size_t len, const struct simpeg_limits *lim,
                                const struct simpeg_hooks *h, struct error *err)
{
    struct page *p = decode_page_split(body, len, lim, h);

    return p ? p : decode_page_whole(body, len, lim, h, err);
}

static struct page *decode_single(const json_t *root, const struct simpeg_limits *lim,
                                  struct error *err)
{
    const json_t *data = json_object_get(root, "data");

    if (!data) {
        error_set(err, "the answer has no \"data\"");
        return NULL;
    }
    if (!json_is_object(data)) {
        error_set(err, "the answer's \"data\" is %s, expected an object", type_name(data));
        return NULL;
    }
    return decode_records(data, lim, err);
}

struct page *simpeg_decode_single(const char *body, size_t len, const struct simpeg_limits *lim,
                                  struct error *err)
{
    json_t *root;
    struct page *p = NULL;

    mem_json_scratch_begin();
    root = load(body, len, 0, err);

    if (root && root_is_object(root, err))
        p = decode_single(root, lim, err);
    json_decref(root);
    mem_json_scratch_end();
    return p;
}

struct page *simpeg_decode_any(const char *body, size_t len, const struct simpeg_limits *lim,
                               struct error *err)
{
    json_t *root;
    const json_t *data;
    struct page *p = NULL;

    mem_json_scratch_begin();
    root = load(body, len, 0, err);

    if (!root) {
        mem_json_scratch_end();
        return NULL;
    }
    data = json_object_get(root, "data");
    if (json_is_array(root))
        p = decode_records(root, lim, err);
    else if (data && !json_object_get(root, "nipBaru"))
        /* An envelope: "data" is the listing's array or the one record. */
        p = json_is_array(data) ? decode_listing(root, lim, NULL, err)
                                : decode_single(root, lim, err);
    else
        p = decode_records(root, lim, err);
    json_decref(root);
    mem_json_scratch_end();
    return p;
}
