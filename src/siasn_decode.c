/* siasn_decode.c: see siasn_decode.h. Classification follows the table of
 * siasn-api.md §4; assembly renames and fills what SIASN spells or lacks
 * differently from the listing, and leaves every field's parsing to
 * simpeg.c, so one record means the same whichever source brought it. */
#include "siasn_decode.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const siasn_call_names[SIASN_CALLS] = {
    "data-utama", "rw-pendidikan", "rw-diklat", "rw-kursus",
    "rw-skp",     "rw-skp22",      "rw-hukdis", "nilaiipasn",
};

/* The listing's key each history's rows go under. */
static const char *const history_keys[SIASN_CALLS] = {
    NULL, "rwPendidikan", "rwDiklat", "rwKursus", "rwSkp", "rwSkp22", "rwHukdis", NULL,
};

static bool text_is(const json_t *v, const char *s)
{
    return json_is_string(v) && strcasecmp(json_string_value(v), s) == 0;
}

/* SIASN's ways of saying there is nothing (§4). */
static bool means_empty(const json_t *data)
{
    return !data || json_is_null(data) || text_is(data, "Data tidak ditemukan") ||
           text_is(data, "record not found");
}

/* code 1, as a number or a string. */
static bool code_ok(const json_t *code)
{
    return (json_is_integer(code) && json_integer_value(code) == 1) ||
           (json_is_string(code) && strcmp(json_string_value(code), "1") == 0);
}

/* WSO2's code as a number, whether written as one or as text; -1 if none. */
static long gateway_code(const json_t *root)
{
    const json_t *c = json_object_get(root, "code");
    char *end;
    long v;

    if (json_is_integer(c))
        return (long)json_integer_value(c);
    if (!json_is_string(c))
        return -1;
    v = strtol(json_string_value(c), &end, 10);
    return *end || end == json_string_value(c) ? -1 : v;
}

/* The gateway's message, under either capitalization. */
static const char *gateway_text(const json_t *root, const char *lower, const char *upper)
{
    const json_t *v = json_object_get(root, lower);

    if (!json_is_string(v))
        v = json_object_get(root, upper);
    return json_is_string(v) ? json_string_value(v) : "";
}

static enum siasn_answer classify_error(enum siasn_call call, long status, const json_t *root,
                                        struct error *err)
{
    long code = root ? gateway_code(root) : -1;
    const char *msg = root ? gateway_text(root, "message", "Message") : "";
    const char *desc = root ? gateway_text(root, "description", "Description") : "";
    const json_t *data = root ? json_object_get(root, "data") : NULL;

    if (text_is(data, "Token SSO mismatch")) {
        error_set(err, "%s: Token SSO mismatch", siasn_call_names[call]);
        return SIASN_SSO_REFUSED;
    }
    if (status == 401) {
        error_set(err, "%s: 401 %s", siasn_call_names[call],
                  code == 900901 ? "Invalid Credentials" : "invalid or expired token");
        return SIASN_APIM_REFUSED;
    }
    if (status == 429 || (code >= 900800 && code <= 900807)) {
        error_set(err, "%s: throttled (%ld)", siasn_call_names[call], code >= 0 ? code : status);
        return SIASN_THROTTLED;
    }
    if ((code == 303001 || strcasecmp(msg, "Runtime Error") == 0) && strstr(desc, "SUSPENDED")) {
        error_set(err, "%s: the backend is suspended", siasn_call_names[call]);
        return SIASN_SUSPENDED;
    }
    if (status == 404) {
        if (root && json_object_get(root, "code") && means_empty(data) &&
            json_object_get(root, "data")) {
            return SIASN_EMPTY;
        }
        error_set(err, "%s: 404 of another shape: a wrong base URL or path",
                  siasn_call_names[call]);
        return SIASN_WRONG_PATH;
    }
    error_set(err, "%s: HTTP %ld%s%s", siasn_call_names[call], status, *msg ? " " : "", msg);
    return status >= 500 || status == 408 || status == 0 ? SIASN_TRANSIENT : SIASN_MALFORMED;
}

/* The data of a 200 answer: the type the call wants, or nothing. */
static enum siasn_answer classify_data(enum siasn_call call, const json_t *root, struct error *err)
{
    const json_t *data = json_object_get(root, "data");
    bool is_array = call != SIASN_DATA_UTAMA && call != SIASN_NILAIIPASN;

    if (means_empty(data))
        return SIASN_EMPTY;
    if (text_is(data, "Token SSO mismatch")) {
        error_set(err, "%s: Token SSO mismatch", siasn_call_names[call]);
        return SIASN_SSO_REFUSED;
    }
    if (!code_ok(json_object_get(root, "code"))) {
        error_set(err, "%s: code is not 1", siasn_call_names[call]);
        return SIASN_MALFORMED;
    }
    if (is_array ? json_is_array(data)
                 : json_is_object(data) || (call == SIASN_NILAIIPASN && json_is_array(data)))
        return SIASN_OK;
    error_set(err, "%s: data is not %s", siasn_call_names[call],
              is_array ? "an array" : "an object");
    return SIASN_MALFORMED;
}

enum siasn_answer siasn_classify(enum siasn_call call, long status, const char *body, size_t len,
                                 struct error *err)
{
    json_error_t je;
    json_t *root;
    enum siasn_answer a;

    memset(&je, 0, sizeof(je));
    root = len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (root && !json_is_object(root)) {
        json_decref(root);
        root = NULL;
    }
    if (status == 200 && !root) {
        if (len == 0) {
            error_set(err, "%s: an empty body", siasn_call_names[call]);
            return SIASN_TRANSIENT;
        }
        error_set(err, "%s: not a JSON object (line %d, column %d)", siasn_call_names[call],
                  je.line, je.column);
        return SIASN_MALFORMED;
    }
    a = status == 200 ? classify_data(call, root, err) : classify_error(call, status, root, err);
    json_decref(root);
    return a;
}

/* ---- assembly ------------------------------------------------------------ */

/* The data of an answer already classified; NULL when empty. */
static json_t *answer_data(const struct siasn_answers *a, enum siasn_call call)
{
    json_t *root, *data;

    if (a->answer[call] != SIASN_OK)
        return NULL;
    root = json_loadb(a->body[call], a->len[call], JSON_REJECT_DUPLICATES, NULL);
    data = json_incref(json_object_get(root, "data"));
    json_decref(root);
    return data;
}

static json_t *or_null(json_t *v)
{
    return v ? v : json_null();
}

/* A year given as a number or a numeric string; 0 when neither. */
static long year_of(const json_t *v)
{
    if (json_is_integer(v))
        return (long)json_integer_value(v);
    if (json_is_string(v))
        return strtol(json_string_value(v), NULL, 10);
    return 0;
}

static bool blank(const json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

static void set_text(json_t *o, const char *key, const char *v)
{
    if (v && *v)
        json_object_set_new(o, key, json_string(v));
}

/* The roster's value where data-utama has none. */
static void fill_gap(json_t *rec, const char *key, const char *v)
{
    if (blank(json_object_get(rec, key)) && v && *v) {
        json_object_del(rec, key);
        set_text(rec, key, v);
    }
}

/* A number written with a decimal comma ("30,8") as the listing writes it. */
static void decimal_point(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    const char *t = json_string_value(v);
    const char *comma = t ? strchr(t, ',') : NULL;

    if (comma && !strchr(comma + 1, ',') && !strchr(t, '.')) {
        char *copy = strdup(t);

        if (copy) {
            copy[comma - t] = '.';
            json_object_set_new(o, key, json_string(copy));
            free(copy);
        }
    }
}

/* jenisHukuman's id to its level, R, S or B (§5), for rows without one. */
static const char *sanction_level(const json_t *kind)
{
    static const struct {
        int lo, hi;
        const char *level;
    } ranges[] = {
        {1, 3, "R"}, {21, 22, "R"}, {4, 8, "S"}, {23, 25, "S"}, {9, 14, "B"}, {27, 28, "B"},
    };
    long id = -1;

    if (json_is_integer(kind))
        id = (long)json_integer_value(kind);
    else if (json_is_string(kind) && *json_string_value(kind))
        id = strtol(json_string_value(kind), NULL, 10);
    for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++)
        if (id >= ranges[k].lo && id <= ranges[k].hi)
            return ranges[k].level;
    return NULL;
}

/* One history row as the listing has it. */
static void history_row(enum siasn_call call, json_t *row)
{
    json_object_del(row, "path");
    switch (call) {
    case SIASN_RW_SKP:
        decimal_point(row, "nilaiPrestasiKerja");
        decimal_point(row, "nilairatarata");
        break;
    case SIASN_RW_SKP22:
        if (!json_object_get(row, "KuadranKinerjaNilai") &&
            json_object_get(row, "kuadranKinerjaNilai"))
            json_object_set(row, "KuadranKinerjaNilai",
                            json_object_get(row, "kuadranKinerjaNilai"));
        break;
    case SIASN_RW_HUKDIS:
        if (blank(json_object_get(row, "jenisTingkatHukumanId"))) {
            const char *level = sanction_level(json_object_get(row, "jenisHukuman"));

            if (level)
                json_object_set_new(row, "jenisTingkatHukumanId", json_string(level));
        }
        break;
    case SIASN_RW_DIKLAT:
    case SIASN_RW_KURSUS:
        decimal_point(row, "jumlahJam");
        break;
    default:
        break;
    }
}

/* nilaiipasn's value into ipAsn: the latest year when it gives several. */
static json_t *official(json_t *data)
{
    static const char *const parts[] = {"kualifikasi", "kompetensi", "kinerja", "disiplin"};
    json_t *pick = data, *ip, *v;
    size_t k;

    if (json_is_array(data)) {
        pick = NULL;
        json_array_foreach(data, k, v)
        {
            if (json_is_object(v) && (!pick || year_of(json_object_get(v, "tahun")) >
                                                   year_of(json_object_get(pick, "tahun"))))
                pick = v;
        }
        if (!pick)
            return NULL;
    }
    ip = json_object();
    json_object_set(ip, "tahun", or_null(json_object_get(pick, "tahun")));
    for (k = 0; k < 4; k++)
        json_object_set(ip, parts[k], or_null(json_object_get(pick, parts[k])));
    v = json_object_get(pick, "subtotal");
    json_object_set(ip, "total", or_null(v ? v : json_object_get(pick, "total")));
    for (k = 0; k < 4; k++)
        decimal_point(ip, parts[k]);
    decimal_point(ip, "total");
    return ip;
}

/* The OPD of the record: the map's by unorId, else unorInduk*. */
static void opd_of(json_t *rec, const struct config_siasn *cfg)
{
    const char *unor = json_string_value(json_object_get(rec, "unorId"));

    for (size_t k = 0; unor && k < cfg->n_opd_map; k++) {
        if (strcmp(cfg->opd_map[k].unor_id, unor) == 0) {
            json_object_set_new(rec, "opdId", json_string(cfg->opd_map[k].opd_id));
            set_text(rec, "opdNama", cfg->opd_map[k].opd_name);
            return;
        }
    }
    json_object_set(rec, "opdId", or_null(json_object_get(rec, "unorIndukId")));
    json_object_set(rec, "opdNama", or_null(json_object_get(rec, "unorIndukNama")));
}

/* data-utama's top level, made the listing's. */
static void top_level(json_t *rec, const struct siasn_roster_entry *r,
                      const struct config_siasn *cfg, const char *updated_at)
{
    const json_t *sex = json_object_get(rec, "jenisKelamin");

    if (text_is(sex, "Pria") || text_is(sex, "L"))
        json_object_set_new(rec, "jenisKelamin", json_string("M"));
    else if (text_is(sex, "Wanita") || text_is(sex, "P"))
        json_object_set_new(rec, "jenisKelamin", json_string("F"));
    json_object_del(rec, "statusCpnsPns");
    set_text(rec, "statusCpnsPns", r->status_cpns_pns);
    fill_gap(rec, "id", r->pns_id);
    fill_gap(rec, "nama", r->nama);
    fill_gap(rec, "tglLahir", r->tanggal_lahir);
    fill_gap(rec, "jenisKelamin", r->jenis_kelamin);
    fill_gap(rec, "unorId", r->unor_id);
    fill_gap(rec, "unorNama", r->unor_nama);
    if (blank(json_object_get(rec, "kedudukanPnsId"))) {
        json_object_del(rec, "kedudukanPnsId");
        set_text(rec, "kedudukanPnsId", r->kedudukan_hukum_id);
        if (blank(json_object_get(rec, "kedudukanPnsNama"))) {
            json_object_del(rec, "kedudukanPnsNama");
            set_text(rec, "kedudukanPnsNama", r->kedudukan_hukum_nama);
        }
    }
    opd_of(rec, cfg);
    json_object_set_new(rec, "updatedAt", json_string(updated_at));
    json_object_set_new(rec, "deleted", json_false());
}

enum siasn_assembled siasn_assemble(const struct siasn_answers *a,
                                    const struct siasn_roster_entry *r,
                                    const struct config_siasn *cfg, const char *updated_at,
                                    char **out, size_t *out_len, struct error *err)
{
    json_t *rec = answer_data(a, SIASN_DATA_UTAMA), *ip;
    const char *nip;

    *out = NULL;
    if (!rec)
        return SIASN_NOT_FOUND;
    nip = json_string_value(json_object_get(rec, "nipBaru"));
    if (!nip || strcmp(nip, r->nip) != 0) {
        error_set(err, "data-utama: nipBaru is not the NIP asked for");
        json_decref(rec);
        return SIASN_BAD;
    }
    top_level(rec, r, cfg, updated_at);
    for (int c = SIASN_RW_PENDIDIKAN; c <= SIASN_RW_HUKDIS; c++) {
        json_t *rows = answer_data(a, (enum siasn_call)c), *row;
        size_t k;

        if (!rows)
            rows = json_array();
        json_array_foreach(rows, k, row)
        {
            if (json_is_object(row))
                history_row((enum siasn_call)c, row);
        }
        json_object_set_new(rec, history_keys[c], rows);
    }
    json_object_del(rec, "ipAsn");
    ip = answer_data(a, SIASN_NILAIIPASN);
    if (ip) {
        json_t *v = official(ip);

        if (v)
            json_object_set_new(rec, "ipAsn", v);
        json_decref(ip);
    }
    *out = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(rec);
    if (!*out) {
        error_set(err, "out of memory");
        return SIASN_BAD;
    }
    *out_len = strlen(*out);
    return SIASN_ASSEMBLED;
}
