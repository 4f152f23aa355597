#include "autoconfig.h"

#include "config.h"
#include "csvfile.h"
#include "file.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <libpq-fe.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* The key schema. Every key of the file is one row: its path, its type, where
 * it lands in struct config, its default as libconfig text, and its range.
 * Loading walks the file against this table, so an unknown key, a wrong type
 * or an out-of-range value is caught with its line; defaults come from the
 * same rows, so the documentation checks can compare against them. */

enum key_type {
    K_GROUP,    /* a group of keys; no value */
    K_STRING,   /* char * */
    K_BOOL,     /* bool */
    K_INT,      /* int, range min..max */
    K_INT64,    /* int64_t, range min..max */
    K_FLOAT,    /* double, range min..max */
    K_DURATION, /* int64_t seconds: integer or "15m" */
    K_POINTS,   /* int tenths of a point from a number like 22.5 */
    K_ENUM,     /* int from one of names[] */
    K_STRLIST,  /* struct strlist from an array of strings */
    K_DATE,     /* date_t from "" or "YYYY-MM-DD" */
    K_HEADERS,  /* source.headers: a list of { name; value_file; } */
};

struct key {
    const char *path;
    enum key_type type;
    size_t off;
    const char *def; /* libconfig value text; NULL = required, no default */
    double min, max;
    const char *const *names;
};

static const char *const source_type_names[] = {"listing", "siasn", NULL};
static const char *const auth_names[] = {"none", "bearer", "oauth2", NULL};
static const char *const target_names[] = {"auto", "journal", "stderr", NULL};
static const char *const ruleset_names[] = {"bkn2019", "bkn2024", NULL};
static const char *const match_names[] = {"exact", "at_least", NULL};
static const char *const category_names[] = {"strict", "round", NULL};
static const char *const mean_names[] = {"all", "measured", NULL};
static const char *const language_names[] = {"en", "id", NULL};
/* Indexed by syslog priority; holes are NULL-free placeholders. */
static const char *const level_names[] = {"emerg",  "alert", "crit",  "err", "warning",
                                          "notice", "info",  "debug", NULL};

#define OFF(field) offsetof(struct config, field)
#define GROUP(p)                                                                                   \
    {                                                                                              \
        p, K_GROUP, 0, "", 0, 0, NULL                                                              \
    }
#define STR(p, f, d)                                                                               \
    {                                                                                              \
        p, K_STRING, OFF(f), d, 0, 0, NULL                                                         \
    }
#define BOOL(p, f, d)                                                                              \
    {                                                                                              \
        p, K_BOOL, OFF(f), d, 0, 0, NULL                                                           \
    }
#define INT(p, f, d, lo, hi)                                                                       \
    {                                                                                              \
        p, K_INT, OFF(f), d, lo, hi, NULL                                                          \
    }
#define FLOAT(p, f, d, lo, hi)                                                                     \
    {                                                                                              \
        p, K_FLOAT, OFF(f), d, lo, hi, NULL                                                        \
    }
#define DUR(p, f, d, lo, hi)                                                                       \
    {                                                                                              \
        p, K_DURATION, OFF(f), d, lo, hi, NULL                                                     \
    }
#define PTS(p, f, d)                                                                               \
    {                                                                                              \
        p, K_POINTS, OFF(f), d, 0, 100, NULL                                                       \
    }
#define ENUM(p, f, d, n)                                                                           \
    {                                                                                              \
        p, K_ENUM, OFF(f), d, 0, 0, n                                                              \
    }
#define LIST(p, f, d)                                                                              \
    {                                                                                              \
        p, K_STRLIST, OFF(f), d, 0, 0, NULL                                                        \
    }
#define R       "index.rules."
#define RULE(f) OFF(index.rules.f)

static const struct key keys[] = {
    GROUP("source"),
    ENUM("source.type", source.type, "\"listing\"", source_type_names),
    STR("source.url", source.url, NULL),
    STR("source.instansi_id", source.instansi_id, "\"\""),
    GROUP("source.auth"),
    ENUM("source.auth.type", source.auth, "\"none\"", auth_names),
    STR("source.auth.token_url", source.token_url, "\"\""),
    STR("source.auth.client_id", source.client_id, "\"\""),
    STR("source.auth.client_secret_file", source.client_secret_file, "\"\""),
    STR("source.auth.scope", source.scope, "\"\""),
    STR("source.auth.token_file", source.token_file, "\"\""),
    {"source.headers", K_HEADERS, 0, "()", 0, 0, NULL},
    INT("source.page_size", source.page_size, "500", 1, 1000),
    DUR("source.timeout", source.timeout, "\"60s\"", 1, 3600),
    DUR("source.connect_timeout", source.connect_timeout, "\"10s\"", 1, 600),
    INT("source.retries", source.retries, "5", 0, 100),
    DUR("source.backoff_max", source.backoff_max, "\"60s\"", 1, 86400),
    FLOAT("source.rate_limit", source.rate_limit, "2.0", 0.001, 10000),
    {"source.max_page_bytes", K_INT64, OFF(source.max_page_bytes), "67108864", 1024, 1073741824.0,
     NULL},
    STR("source.ca_file", source.ca_file, "\"\""),
    BOOL("source.tls_verify", source.tls_verify, "true"),
    BOOL("source.allow_plain_http", source.allow_plain_http, "false"),
    GROUP("source.siasn"),
    STR("source.siasn.sso_token_file", source.siasn.sso_token_file, "\"\""),
    STR("source.siasn.roster_file", source.siasn.roster_file, "\"\""),
    DUR("source.siasn.refresh_every", source.siasn.refresh_every, "\"7d\"", 3600, 366 * 86400),
    INT("source.siasn.parallel", source.siasn.parallel, "2", 1, 64),
    STR("source.siasn.cookie_file", source.siasn.cookie_file, "\"\""),
    STR("source.siasn.opd_map_file", source.siasn.opd_map_file, "\"\""),

    GROUP("database"),
    STR("database.conninfo", database.conninfo, "\"dbname=ipasn\""),
    STR("database.reader_role", database.reader_role, "\"\""),

    GROUP("store"),
    DUR("store.quarantine_keep", store.quarantine_keep, "\"90d\"", 0, 36500.0 * 86400),
    DUR("store.runs_keep", store.runs_keep, "\"400d\"", 0, 36500.0 * 86400),
    DUR("store.departed_keep", store.departed_keep, "\"400d\"", 0, 36500.0 * 86400),

    GROUP("sync"),
    DUR("sync.interval", sync.interval, "\"15m\"", 10, 30 * 86400),
    FLOAT("sync.jitter", sync.jitter, "0.1", 0, 0.5),
    DUR("sync.full_every", sync.full_every, "\"7d\"", 60, 366 * 86400),
    DUR("sync.overlap", sync.overlap, "\"5m\"", 0, 7 * 86400),
    DUR("sync.max_clock_skew", sync.max_clock_skew, "\"1h\"", 0, 366 * 86400),

    GROUP("index"),
    INT("index.period", index.period, "0", 0, PERIOD_MAX),
    {"index.as_of", K_DATE, OFF(index.as_of), "\"\"", 0, 0, NULL},
    FLOAT("index.target", index.target, "81.0", 0, 100),
    FLOAT("index.previous", index.previous, "0.0", 0, 100),
    ENUM("index.ruleset", index.ruleset, "\"bkn2019\"", ruleset_names),
    LIST("index.include_status", index.include_status, "[ \"PNS\", \"CPNS\", \"PPPK\" ]"),

    GROUP("index.rules"),
    GROUP(R "qualification"),
    PTS(R "qualification.s3", index.rules.qual_s3, "25.0"),
    PTS(R "qualification.s2", index.rules.qual_s2, "20.0"),
    PTS(R "qualification.s1_d4", index.rules.qual_s1, "15.0"),
    PTS(R "qualification.d3", index.rules.qual_d3, "10.0"),
    PTS(R "qualification.slta_d2_d1", index.rules.qual_slta, "5.0"),
    PTS(R "qualification.sltp", index.rules.qual_sltp, "1.0"),
    PTS(R "qualification.none", index.rules.qual_none, "0.0"),

    PTS(R "competency_max", index.rules.competency_max, "40.0"),
    GROUP(R "struktural"),
    PTS(R "struktural.leadership", index.rules.struktural_leadership, "15.0"),
    PTS(R "struktural.technical", index.rules.struktural_technical, "15.0"),
    PTS(R "struktural.seminar", index.rules.struktural_seminar, "10.0"),
    GROUP(R "fungsional"),
    PTS(R "fungsional.functional", index.rules.fungsional_functional, "15.0"),
    PTS(R "fungsional.technical", index.rules.fungsional_technical, "15.0"),
    PTS(R "fungsional.seminar", index.rules.fungsional_seminar, "10.0"),
    GROUP(R "pelaksana"),
    PTS(R "pelaksana.technical", index.rules.pelaksana_technical, "22.5"),
    PTS(R "pelaksana.seminar", index.rules.pelaksana_seminar, "17.5"),
    INT(R "technical_jp", index.rules.technical_jp, "20", 1, 1000),
    INT(R "technical_window", index.rules.technical_window, "1", 1, 10),
    INT(R "seminar_window", index.rules.seminar_window, "2", 1, 10),
    INT(R "jp_per_day", index.rules.jp_per_day, "8", 1, 24),
    ENUM(R "leadership_match", index.rules.leadership_match, "\"exact\"", match_names),

    INT(R "performance_year_offset", index.rules.performance_year_offset, "1", 0, 5),
    GROUP(R "skp_above"),
    FLOAT(R "skp_above.sangat_baik", index.rules.skp_above_sangat_baik, "90.0", 0, 120),
    FLOAT(R "skp_above.baik", index.rules.skp_above_baik, "75.0", 0, 120),
    FLOAT(R "skp_above.cukup", index.rules.skp_above_cukup, "60.0", 0, 120),
    FLOAT(R "skp_above.kurang", index.rules.skp_above_kurang, "50.0", 0, 120),
    FLOAT(R "skp_score_max", index.rules.skp_score_max, "120.0", 1, 1000),
    GROUP(R "performance"),
    PTS(R "performance.sangat_baik", index.rules.perf_sangat_baik, "30.0"),
    PTS(R "performance.baik", index.rules.perf_baik, "25.0"),
    PTS(R "performance.cukup", index.rules.perf_cukup, "15.0"),
    PTS(R "performance.kurang", index.rules.perf_kurang, "5.0"),
    PTS(R "performance.sangat_kurang", index.rules.perf_sangat_kurang, "1.0"),
    PTS(R "performance.none", index.rules.perf_none, "0.0"),

    INT(R "discipline_window", index.rules.discipline_window, "5", 1, 20),
    GROUP(R "discipline"),
    PTS(R "discipline.none", index.rules.disc_none, "5.0"),
    PTS(R "discipline.ringan", index.rules.disc_ringan, "3.0"),
    PTS(R "discipline.sedang", index.rules.disc_sedang, "2.0"),
    PTS(R "discipline.berat", index.rules.disc_berat, "1.0"),

    ENUM(R "category_mode", index.rules.category_mode, "\"strict\"", category_names),
    GROUP(R "category_above"),
    FLOAT(R "category_above.sangat_tinggi", index.rules.cat_above_sangat_tinggi, "90.0", 0, 100),
    FLOAT(R "category_above.tinggi", index.rules.cat_above_tinggi, "80.0", 0, 100),
    FLOAT(R "category_above.sedang", index.rules.cat_above_sedang, "70.0", 0, 100),
    FLOAT(R "category_above.rendah", index.rules.cat_above_rendah, "60.0", 0, 100),
    ENUM(R "mean_over", index.rules.mean_over, "\"all\"", mean_names),

    GROUP(R "bkn2024"),
    GROUP(R "bkn2024.base"),
    PTS(R "bkn2024.base.sangat_baik", index.rules.b24_base_sangat_baik, "25.0"),
    PTS(R "bkn2024.base.baik", index.rules.b24_base_baik, "20.0"),
    PTS(R "bkn2024.base.butuh_perbaikan", index.rules.b24_base_butuh_perbaikan, "15.0"),
    PTS(R "bkn2024.base.kurang", index.rules.b24_base_kurang, "10.0"),
    PTS(R "bkn2024.base.sangat_kurang", index.rules.b24_base_sangat_kurang, "5.0"),
    PTS(R "bkn2024.leadership", index.rules.b24_leadership, "5.0"),
    PTS(R "bkn2024.functional", index.rules.b24_functional, "5.0"),
    PTS(R "bkn2024.technical", index.rules.b24_technical, "5.0"),
    PTS(R "bkn2024.other", index.rules.b24_other, "5.0"),
    INT(R "bkn2024.other_jp", index.rules.b24_other_jp, "20", 1, 1000),

    GROUP(R "names"),
    LIST(R "names.functional", index.rules.names.functional, "[ \"fungsional\" ]"),
    LIST(R "names.technical", index.rules.names.technical,
         "[ \"teknis\", \"bimtek\", \"pelatihan\" ]"),
    LIST(R "names.seminar", index.rules.names.seminar,
         "[ \"seminar\", \"workshop\", \"lokakarya\", \"webinar\", \"kursus\", \"magang\" ]"),
    LIST(R "names.leadership_1", index.rules.names.leadership[0],
         "[ \"PIM I\", \"Diklatpim I\", \"PKN I\", \"Tingkat I\" ]"),
    LIST(R "names.leadership_2", index.rules.names.leadership[1],
         "[ \"PIM II\", \"Diklatpim II\", \"PKN II\", \"Tingkat II\" ]"),
    LIST(R "names.leadership_3", index.rules.names.leadership[2],
         "[ \"PIM III\", \"Diklatpim III\", \"PKA\", \"Tingkat III\" ]"),
    LIST(R "names.leadership_4", index.rules.names.leadership[3],
         "[ \"PIM IV\", \"Diklatpim IV\", \"PKP\", \"Tingkat IV\" ]"),

    GROUP("quality"),
    DUR("quality.stale_after", quality.stale_after, "\"365d\"", 86400, 36500.0 * 86400),
    FLOAT("quality.ipasn_tolerance", quality.ipasn_tolerance, "0.5", 0, 100),

    GROUP("log"),
    ENUM("log.target", log.target, "\"auto\"", target_names),
    ENUM("log.level", log.level, "\"info\"", level_names),
    INT("log.max_issue_lines", log.max_issue_lines, "200", 0, 1000000),

    GROUP("report"),
    ENUM("report.language", report.language, "\"en\"", language_names),
};

size_t config_key_count(void)
{
    size_t n = 0;

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        n += keys[i].type != K_GROUP;
    return n;
}

static const struct key *value_key(size_t i)
{
    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        if (keys[k].type == K_GROUP)
            continue;
        if (i-- == 0)
            return &keys[k];
    }
    return NULL;
}

const char *config_key_path(size_t i)
{
    const struct key *k = value_key(i);

    return k ? k->path : NULL;
}

const char *config_key_default(size_t i)
{
    const struct key *k = value_key(i);

    return k ? k->def : NULL;
}

const char *ruleset_name(enum ruleset r)
{
    return ruleset_names[r];
}

/* ---- strlist ---------------------------------------------------------- */

void strlist_add(struct strlist *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
    l->v[l->n++] = xstrdup(s);
}

void strlist_free(struct strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* ---- loading ---------------------------------------------------------- */

struct loader {
    struct config *cfg;
    struct strlist *errors;
    const char *file; /* for messages */
    int nerrors;
};

static void load_error(struct loader *ld, const config_setting_t *s, const char *key,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void load_error(struct loader *ld, const config_setting_t *s, const char *key,
                       const char *fmt, ...)
{
    char what[512], line[768];
    va_list ap;
    const char *file = ld->file;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (s && config_setting_source_file(s))
        file = config_setting_source_file(s);
    if (s && config_setting_source_line(s))
        snprintf(line, sizeof(line), "%s:%u: %s: %s", file, config_setting_source_line(s), key,
                 what);
    else
        snprintf(line, sizeof(line), "%s: %s: %s", file, key, what);
    ld->nerrors++;
    if (ld->errors)
        strlist_add(ld->errors, line);
}

static const struct key *find_key(const char *path)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if (strcmp(keys[i].path, path) == 0)
            return &keys[i];
    return NULL;
}

static const char *type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP:
        return "a group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a number";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_ARRAY:
        return "an array";
    case CONFIG_TYPE_LIST:
        return "a list";
    default:
        return "a value";
    }
}

static bool is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);

    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static double number_of(const config_setting_t *s)
{
    int t = config_setting_type(s);

    if (t == CONFIG_TYPE_FLOAT)
        return config_setting_get_float(s);
    return (double)config_setting_get_int64(s);
}

static void describe(const config_setting_t *s, char *buf, size_t size)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_STRING: {
        char q[200];

        text_quote(q, sizeof(q), config_setting_get_string(s));
        snprintf(buf, size, "%s", q);
        break;
    }
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        snprintf(buf, size, "%lld", config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, size, "%g", config_setting_get_float(s));
        break;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, size, "%s", config_setting_get_bool(s) ? "true" : "false");
        break;
    default:
        snprintf(buf, size, "%s", type_name(config_setting_type(s)));
        break;
    }
}

static bool in_range(struct loader *ld, const config_setting_t *s, const struct key *k, double v,
                     const char *unit)
{
    if (v >= k->min && v <= k->max)
        return true;
    load_error(ld, s, k->path, "%.15g%s is out of range %.15g..%.15g%s", v, unit, k->min, k->max,
               unit);
    return false;
}

static void set_string(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v);
}

static void apply_headers(struct loader *ld, const struct key *k, const config_setting_t *s)
{
    struct config_source *src = &ld->cfg->source;
    int n;

    if (config_setting_type(s) != CONFIG_TYPE_LIST && config_setting_type(s) != CONFIG_TYPE_ARRAY) {
        load_error(ld, s, k->path, "expected a list of { name = \"...\"; value_file = \"...\"; }");
        return;
    }
    for (size_t i = 0; i < src->n_headers; i++) {
        free(src->headers[i].name);
        free(src->headers[i].value_file);
        free(src->headers[i].value);
    }
    free(src->headers);
    src->headers = NULL;
    src->n_headers = 0;
    n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *h = config_setting_get_elem(s, (unsigned)i);
        const char *name = NULL, *file = NULL;
        char path[64];

        snprintf(path, sizeof(path), "%s[%d]", k->path, i);
        if (config_setting_type(h) != CONFIG_TYPE_GROUP) {
            load_error(ld, h, path, "expected a group { name = \"...\"; value_file = \"...\"; }");
            continue;
        }
        for (int j = 0; j < config_setting_length(h); j++) {
            const config_setting_t *m = config_setting_get_elem(h, (unsigned)j);
            const char *mn = config_setting_name(m);
            char mpath[96];

            snprintf(mpath, sizeof(mpath), "%s.%s", path, mn);
            if (strcmp(mn, "name") != 0 && strcmp(mn, "value_file") != 0) {
                load_error(ld, m, mpath,
                           "unknown key (a header takes name and value_file; "
                           "values come from files, never from this file)");
                continue;
            }
            if (config_setting_type(m) != CONFIG_TYPE_STRING) {
                load_error(ld, m, mpath, "expected a string, got %s",
                           type_name(config_setting_type(m)));
                continue;
            }
            if (strcmp(mn, "name") == 0)
                name = config_setting_get_string(m);
            else
                file = config_setting_get_string(m);
        }
        if (!name || !*name || strcspn(name, ":\r\n \t") != strlen(name)) {
            load_error(ld, h, path, "needs a name that is an HTTP header name");
            continue;
        }
        if (!file || !*file) {
            load_error(ld, h, path, "needs a value_file");
            continue;
        }
        src->headers = xrealloc(src->headers, (src->n_headers + 1) * sizeof(*src->headers));
        src->headers[src->n_headers].name = xstrdup(name);
        src->headers[src->n_headers].value_file = xstrdup(file);
        src->headers[src->n_headers].value = NULL;
        src->n_headers++;
    }
}

/* Stores the setting s into the field of key k; on a bad value records an
 * error naming the key and leaves the field as it was. */
/* Each kind of key reads its setting into field, or says what is wrong;
 * got describes the setting for the message. */
#define APPLY_ARGS                                                                                 \
    struct loader *ld, const struct key *k, const config_setting_t *s, void *field, const char *got

static void apply_string(APPLY_ARGS)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        load_error(ld, s, k->path, "expected a string, got %s", got);
        return;
    }
    set_string(field, config_setting_get_string(s));
}

static void apply_bool(APPLY_ARGS)
{
    if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
        load_error(ld, s, k->path, "expected true or false, got %s", got);
        return;
    }
    *(bool *)field = config_setting_get_bool(s);
}

static void apply_int(APPLY_ARGS)
{
    int t = config_setting_type(s);
    double v;

    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        load_error(ld, s, k->path, "expected an integer, got %s", got);
        return;
    }
    v = number_of(s);
    if (!in_range(ld, s, k, v, ""))
        return;
    if (k->type == K_INT64)
        *(int64_t *)field = (int64_t)v;
    else
        *(int *)field = (int)v;
}

static void apply_float(APPLY_ARGS)
{
    double v;

    if (!is_number(s)) {
        load_error(ld, s, k->path, "expected a number, got %s", got);
        return;
    }
    v = number_of(s);
    if (!in_range(ld, s, k, v, ""))
        return;
    *(double *)field = v;
}

static void apply_duration(APPLY_ARGS)
{
    int t = config_setting_type(s);
    int64_t secs;

    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        secs = config_setting_get_int64(s);
    } else if (t != CONFIG_TYPE_STRING || parse_duration(config_setting_get_string(s), &secs) < 0) {
        load_error(ld, s, k->path, "expected a duration like \"15m\", got %s", got);
        return;
    }
    if (!in_range(ld, s, k, (double)secs, "s"))
        return;
    *(int64_t *)field = secs;
}

static void apply_points(APPLY_ARGS)
{
    double v, tenths;

    if (!is_number(s)) {
        load_error(ld, s, k->path, "expected points like 22.5, got %s", got);
        return;
    }
    v = number_of(s);
    if (!in_range(ld, s, k, v, ""))
        return;
    tenths = round(v * 10);
    if (fabs(tenths - v * 10) > 1e-6) {
        load_error(ld, s, k->path, "points are counted in tenths; %g has more decimals", v);
        return;
    }
    *(int *)field = (int)tenths;
}

static void apply_enum(APPLY_ARGS)
{
    struct strbuf allowed = {0};

    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        const char *v = config_setting_get_string(s);

        for (int i = 0; k->names[i]; i++) {
            if (strcmp(v, k->names[i]) == 0 ||
                (k->names == level_names && strcmp(v, "error") == 0 && i == LOG_ERR)) {
                *(int *)field = i;
                return;
            }
        }
    }
    for (int i = 0; k->names[i]; i++)
        strbuf_append(&allowed, "%s\"%s\"", i ? ", " : "", k->names[i]);
    load_error(ld, s, k->path, "expected one of %s, got %s", allowed.s, got);
    strbuf_free(&allowed);
}

static void apply_strlist(APPLY_ARGS)
{
    int t = config_setting_type(s);
    struct strlist l = {0};
    int n;

    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        load_error(ld, s, k->path, "expected an array of strings like [ \"a\", \"b\" ], got %s",
                   got);
        return;
    }
    n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            load_error(ld, e, k->path, "element %d: expected a string", i);
            strlist_free(&l);
            return;
        }
        strlist_add(&l, config_setting_get_string(e));
    }
    strlist_free(field);
    *(struct strlist *)field = l;
}

static void apply_date(APPLY_ARGS)
{
    const char *v =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    date_t d = DATE_NONE;

    /* Only "" or ISO: the config is written by people, who get one form. */
    if (!v || (*v && (strlen(v) != 10 || v[4] != '-' || date_parse(v, &d) != DATE_PARSED))) {
        load_error(ld, s, k->path, "expected \"\" or a date like \"2025-12-23\", got %s", got);
        return;
    }
    *(date_t *)field = d;
}

static void apply(struct loader *ld, const struct key *k, const config_setting_t *s)
{
    void *field = (char *)ld->cfg + k->off;
    char got[256];

    describe(s, got, sizeof(got));
    switch (k->type) {
    case K_GROUP:
        return;
    case K_STRING:
        apply_string(ld, k, s, field, got);
        return;
    case K_BOOL:
        apply_bool(ld, k, s, field, got);
        return;
    case K_INT:
    case K_INT64:
        apply_int(ld, k, s, field, got);
        return;
    case K_FLOAT:
        apply_float(ld, k, s, field, got);
        return;
    case K_DURATION:
        apply_duration(ld, k, s, field, got);
        return;
    case K_POINTS:
        apply_points(ld, k, s, field, got);
        return;
    case K_ENUM:
        apply_enum(ld, k, s, field, got);
        return;
    case K_STRLIST:
        apply_strlist(ld, k, s, field, got);
        return;
    case K_DATE:
        apply_date(ld, k, s, field, got);
        return;
    case K_HEADERS:
        apply_headers(ld, k, s);
        return;
    }
    assert_not_reached();
}

/* Walks a group of the file: every member must be a known key. */
static void walk(struct loader *ld, const config_setting_t *group, const char *prefix)
{
    int n = config_setting_length(group);

    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        char path[256];
        const struct key *k;

        snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", name ? name : "?");
        k = find_key(path);
        if (!k) {
            load_error(ld, s, path, "unknown key");
            continue;
        }
        if (k->type == K_GROUP) {
            if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
                load_error(ld, s, path, "expected a group { ... }, got %s",
                           type_name(config_setting_type(s)));
                continue;
            }
            walk(ld, s, path);
            continue;
        }
        apply(ld, k, s);
    }
}

/* Fills every field from the schema's default text. */
static void apply_defaults(struct config *cfg)
{
    struct loader ld = {.cfg = cfg, .file = "(defaults)"};

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const struct key *k = &keys[i];
        char text[512];
        config_t c;

        if (k->type == K_GROUP || !k->def)
            continue;
        snprintf(text, sizeof(text), "v = %s;", k->def);
        config_init(&c);
        if (config_read_string(&c, text) != CONFIG_TRUE)
            abort(); /* the table itself is wrong */
        apply(&ld, k, config_lookup(&c, "v"));
        config_destroy(&c);
    }
    if (ld.nerrors)
        abort();
}

static struct config *config_new(void)
{
    struct config *cfg = xcalloc(1, sizeof(*cfg));

    cfg->source.url = xstrdup("");
    apply_defaults(cfg);
    return cfg;
}

struct config *config_defaults(void)
{
    return config_new();
}

/* BKN's exports are data an operator replaces in place, not credentials
 * systemd copies at start: they resolve against the config's folder. */
static char *config_dir(const char *config_path)
{
    const char *slash = config_path ? strrchr(config_path, '/') : NULL;

    if (!slash)
        return xstrdup(".");
    if (slash == config_path)
        return xstrdup("/");
    return strndup(config_path, (size_t)(slash - config_path));
}

/* The folder secret files are relative to. */
static char *secret_dir(const char *config_path)
{
    const char *creds = getenv("CREDENTIALS_DIRECTORY");

    if (creds && *creds)
        return xstrdup(creds);
    return config_dir(config_path);
}

/* file made absolute against dir; caller frees. */
static char *resolve(const char *dir, const char *file)
{
    struct strbuf path = {0};

    if (file[0] == '/')
        strbuf_append(&path, "%s", file);
    else
        strbuf_append(&path, "%s/%s", dir, file);
    return path.s;
}

/* Reads a secret file whole, drops one trailing newline. The content is
 * never put in an error message. */
static char *read_secret(struct loader *ld, const char *dir, const char *file, const char *key,
                         char **resolved)
{
    struct strbuf path = {.s = resolve(dir, file)};
    struct stat st;
    char *buf;
    char q[300]; /* the path as messages show it */
    char why[512];

    text_quote(q, sizeof(q), path.s);
    if (!(buf = file_read_secret(path.s, &st, why, sizeof(why)))) {
        load_error(ld, NULL, key, "%s", why);
        goto out;
    }
    if (st.st_mode & S_IROTH) {
        char w[600];

        snprintf(w, sizeof(w),
                 "%s: secret file %s is readable by others (mode %03o); chmod o-rwx it", key, q,
                 (unsigned)(st.st_mode & 0777));
        strlist_add(&ld->cfg->warnings, w);
    }
    if (resolved)
        *resolved = xstrdup(path.s);
out:
    strbuf_free(&path);
    return buf;
}

static const config_setting_t *lookup(const config_t *c, const char *path)
{
    return c ? config_lookup(c, path) : NULL;
}

/* Whether url's host is this machine: 127.0.0.0/8, ::1 or localhost. */
static int opd_map_cmp(const void *a, const void *b)
{
    const struct opd_map_entry *x = *(const struct opd_map_entry *const *)a,
                               *y = *(const struct opd_map_entry *const *)b;

    return strcmp(x->unor_id, y->unor_id);
}

/* Each unit once: the first duplicate's error, or 0. */
static int opd_map_unique(struct config_siasn *sn, char *why, size_t size)
{
    const struct opd_map_entry **v = xcalloc(sn->n_opd_map + 1, sizeof(*v));
    int rc = 0;

    for (size_t i = 0; i < sn->n_opd_map; i++)
        v[i] = &sn->opd_map[i];
    qsort(v, sn->n_opd_map, sizeof(*v), opd_map_cmp);
    for (size_t i = 1; i < sn->n_opd_map && !rc; i++) {
        if (strcmp(v[i]->unor_id, v[i - 1]->unor_id) == 0) {
            char q[300];

            text_quote(q, sizeof(q), v[i]->unor_id);
            snprintf(why, size, "unor_id %s appears twice", q);
            rc = -1;
        }
    }
    free(v);
    return rc;
}

/* source.siasn.opd_map_file: CSV unor_id,opd_id,opd_name, each unit once,
 * both ids given; every fault as FILE:LINE. */
static void read_opd_map(struct loader *ld, const config_t *c, struct config_siasn *sn)
{
    static const char key[] = "source.siasn.opd_map_file";
    const config_setting_t *s = lookup(c, key);
    struct csvfile *f = NULL;
    struct error err = {""};
    int cu, co, cn;

    if (csvfile_read(sn->opd_map_path, 16 << 20, &f, &err) < 0) {
        load_error(ld, s, key, "%s", err.msg);
        return;
    }
    cu = csvfile_column(f, "unor_id");
    co = csvfile_column(f, "opd_id");
    cn = csvfile_column(f, "opd_name");
    if (cu < 0 || co < 0 || cn < 0) {
        load_error(ld, s, key, "%s:1: the header must name unor_id, opd_id and opd_name",
                   sn->opd_map_path);
        goto out;
    }
    sn->opd_map = xcalloc(f->n_rows + 1, sizeof(*sn->opd_map));
    for (size_t r = 0; r < f->n_rows; r++) {
        const char *u = csvfile_value(csvfile_field(f, r, cu)),
                   *o = csvfile_value(csvfile_field(f, r, co));

        if (!*u || !*o || strlen(u) > 255 || strlen(o) > 255) {
            load_error(ld, s, key, "%s:%zu: unor_id and opd_id must be 1 to 255 bytes",
                       sn->opd_map_path, f->rows[r].line);
            goto out;
        }
        sn->opd_map[sn->n_opd_map++] = (struct opd_map_entry){
            xstrdup(u), xstrdup(o), xstrdup(csvfile_value(csvfile_field(f, r, cn)))};
    }
    {
        char why[400];

        if (opd_map_unique(sn, why, sizeof(why)) < 0)
            load_error(ld, s, key, "%s: %s", sn->opd_map_path, why);
    }
out:
    csvfile_free(f);
}

/* source.type = "siasn": the APIM token is source.auth's oauth2, the SSO
 * token and the cookie are secrets, the roster must be readable, the OPD
 * map valid; rate_limit defaults to 1/s. */
static void validate_siasn(struct loader *ld, const config_t *c, const char *dir)
{
    struct config_source *src = &ld->cfg->source;
    struct config_siasn *sn = &src->siasn;
    char *cdir = config_dir(ld->cfg->path);

    if (src->auth != AUTH_OAUTH2)
        load_error(ld, lookup(c, "source.auth.type"), "source.auth.type",
                   "must be \"oauth2\" when source.type is \"siasn\": the APIM consumer key "
                   "and secret");
    if (!*sn->sso_token_file)
        load_error(ld, lookup(c, "source.siasn"), "source.siasn.sso_token_file",
                   "required when source.type is \"siasn\"");
    else
        sn->sso_token = read_secret(ld, dir, sn->sso_token_file, "source.siasn.sso_token_file",
                                    &sn->sso_token_path);
    if (*sn->cookie_file)
        sn->cookie =
            read_secret(ld, dir, sn->cookie_file, "source.siasn.cookie_file", &sn->cookie_path);
    if (!*sn->roster_file) {
        load_error(ld, lookup(c, "source.siasn"), "source.siasn.roster_file",
                   "required when source.type is \"siasn\": SIASN's Export Data ASN as CSV");
    } else {
        struct stat st;
        char why[128], q[300];
        FILE *f;

        sn->roster_path = resolve(cdir, sn->roster_file);
        if (!(f = file_open_regular(sn->roster_path, &st, why, sizeof(why)))) {
            text_quote(q, sizeof(q), sn->roster_path);
            load_error(ld, lookup(c, "source.siasn.roster_file"), "source.siasn.roster_file",
                       "cannot read %s: %s", q, why);
        } else {
            fclose(f);
        }
    }
    if (*sn->opd_map_file) {
        sn->opd_map_path = resolve(cdir, sn->opd_map_file);
        read_opd_map(ld, c, sn);
    }
    if (!lookup(c, "source.rate_limit"))
        src->rate_limit = 1.0;
    free(cdir);
}

static bool loopback_url(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL;
    bool loopback = false;

    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
        loopback = strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
                   strncmp(host, "127.", 4) == 0;
    curl_free(host);
    curl_url_cleanup(u);
    return loopback;
}

/* Credentials go out in clear over http:// to any other host than this
 * one: refused unless the admin says so, and then warned about. */
static void check_plain_http(struct loader *ld, const config_t *c)
{
    const struct config_source *src = &ld->cfg->source;
    const char *urls[] = {src->url, src->auth == AUTH_OAUTH2 ? src->token_url : NULL};
    bool credentials = src->auth != AUTH_NONE || src->n_headers > 0;

    for (size_t i = 0; credentials && i < ARRAY_SIZE(urls); i++) {
        const char *key = i ? "source.auth.token_url" : "source.url";

        if (!urls[i] || strncmp(urls[i], "http://", 7) != 0 || loopback_url(urls[i]))
            continue;
        if (src->allow_plain_http) {
            char w[300];

            snprintf(w, sizeof(w),
                     "source.allow_plain_http is true: %s is http://, and the credentials of "
                     "source.auth and source.headers go to it unencrypted",
                     key);
            strlist_add(&ld->cfg->warnings, w);
        } else {
            load_error(ld, lookup(c, key), key,
                       "is http://: the credentials would go out unencrypted; use https://, "
                       "or set source.allow_plain_http = true");
        }
    }
}

/* database.conninfo must be what libpq can parse; a password in it is
 * better kept in a passfile, where no configuration listing shows it.
 * libpq's own message is not repeated: it may quote the password. */
static void check_conninfo(struct loader *ld, const config_t *c)
{
    char *why = NULL;
    PQconninfoOption *o = PQconninfoParse(ld->cfg->database.conninfo, &why);

    PQfreemem(why);
    if (!o) {
        load_error(ld, lookup(c, "database.conninfo"), "database.conninfo",
                   "is not a libpq connection string (\"dbname=ipasn host=...\") or URI "
                   "(\"postgresql://...\")");
        return;
    }
    for (PQconninfoOption *p = o; p->keyword; p++)
        if (strcmp(p->keyword, "password") == 0 && p->val && *p->val)
            strlist_add(&ld->cfg->warnings,
                        "database.conninfo holds a password: keep it in a passfile instead "
                        "(~/.pgpass, or passfile= in the conninfo; see PostgreSQL's libpq docs)");
    PQconninfoFree(o);
}

/* Checks between keys, and reads the secrets. */
static void validate(struct loader *ld, const config_t *c)
{
    struct config *cfg = ld->cfg;
    struct config_source *src = &cfg->source;
    struct rules *r = &cfg->index.rules;
    char *dir = secret_dir(cfg->path);

    if (!*src->url) {
        if (!lookup(c, "source.url"))
            load_error(ld, NULL, "source.url",
                       "required: the SIMPEG base URL, e.g. "
                       "\"https://simpeg.example.go.id/api\"");
        else
            load_error(ld, lookup(c, "source.url"), "source.url", "must not be empty");
    } else if (strncmp(src->url, "https://", 8) != 0 && strncmp(src->url, "http://", 7) != 0) {
        load_error(ld, lookup(c, "source.url"), "source.url",
                   "expected an http:// or https:// URL");
    } else if (strpbrk(src->url, "@?# \t\r\n")) {
        load_error(ld, lookup(c, "source.url"), "source.url",
                   "must not hold credentials, a query or spaces; credentials go in source.auth");
    }

    switch (src->auth) {
    case AUTH_NONE:
        break;
    case AUTH_BEARER:
        if (!*src->token_file)
            load_error(ld, lookup(c, "source.auth"), "source.auth.token_file",
                       "required when source.auth.type is \"bearer\"");
        else
            src->token =
                read_secret(ld, dir, src->token_file, "source.auth.token_file", &src->token_path);
        break;
    case AUTH_OAUTH2:
        if (!*src->token_url)
            load_error(ld, lookup(c, "source.auth"), "source.auth.token_url",
                       "required when source.auth.type is \"oauth2\"");
        if (!*src->client_id)
            load_error(ld, lookup(c, "source.auth"), "source.auth.client_id",
                       "required when source.auth.type is \"oauth2\"");
        if (!*src->client_secret_file)
            load_error(ld, lookup(c, "source.auth"), "source.auth.client_secret_file",
                       "required when source.auth.type is \"oauth2\"");
        else
            src->client_secret =
                read_secret(ld, dir, src->client_secret_file, "source.auth.client_secret_file",
                            &src->client_secret_path);
        break;
    }
    if (src->type == SOURCE_SIASN)
        validate_siasn(ld, c, dir);
    for (size_t i = 0; i < src->n_headers; i++) {
        char key[64];

        snprintf(key, sizeof(key), "source.headers[%zu].value_file", i);
        src->headers[i].value = read_secret(ld, dir, src->headers[i].value_file, key, NULL);
    }
    check_plain_http(ld, c);
    check_conninfo(ld, c);
    if (!src->tls_verify)
        strlist_add(&cfg->warnings, "source.tls_verify is false: the SIMPEG server's certificate "
                                    "is NOT verified; anyone on the path can read and forge data");
    if (*src->ca_file && access(src->ca_file, R_OK) != 0) {
        char q[300];
        int e = errno;

        text_quote(q, sizeof(q), src->ca_file);
        load_error(ld, lookup(c, "source.ca_file"), "source.ca_file", "cannot read %s: %s", q,
                   strerror(e));
    }

    if (cfg->index.period && cfg->index.as_of != DATE_NONE &&
        date_year(cfg->index.as_of) != cfg->index.period)
        load_error(ld, lookup(c, "index.as_of"), "index.as_of", "must fall in index.period %d",
                   cfg->index.period);
    if (cfg->index.period && !config_period_valid(cfg->index.period))
        load_error(ld, lookup(c, "index.period"), "index.period",
                   "expected 0 (the current year) or a year from %d, got %d", PERIOD_MIN,
                   cfg->index.period);
    for (size_t i = 0; i < cfg->index.include_status.n; i++) {
        const char *v = cfg->index.include_status.v[i];
        char q[200];

        if (strcmp(v, "PNS") && strcmp(v, "CPNS") && strcmp(v, "PPPK")) {
            text_quote(q, sizeof(q), v);
            load_error(ld, lookup(c, "index.include_status"), "index.include_status",
                       "expected \"PNS\", \"CPNS\" or \"PPPK\", got %s", q);
        }
    }
    if (!(r->skp_above_sangat_baik > r->skp_above_baik && r->skp_above_baik > r->skp_above_cukup &&
          r->skp_above_cukup > r->skp_above_kurang))
        load_error(ld, lookup(c, "index.rules.skp_above"), "index.rules.skp_above",
                   "thresholds must fall: sangat_baik > baik > cukup > kurang");
    if (!(r->cat_above_sangat_tinggi > r->cat_above_tinggi &&
          r->cat_above_tinggi > r->cat_above_sedang && r->cat_above_sedang > r->cat_above_rendah))
        load_error(ld, lookup(c, "index.rules.category_above"), "index.rules.category_above",
                   "thresholds must fall: sangat_tinggi > tinggi > sedang > rendah");
    free(dir);
}

struct config *config_load(const char *path, struct strlist *errors)
{
    struct config *cfg = config_new();
    struct loader ld = {.cfg = cfg, .errors = errors, .file = path};
    config_t c;

    struct stat st;
    char why[128], msg[600];
    FILE *f;

    cfg->path = xstrdup(path);
    if (!(f = file_open_regular(path, &st, why, sizeof(why)))) {
        snprintf(msg, sizeof(msg), "%s: cannot read: %s", path, why);
        if (errors)
            strlist_add(errors, msg);
        config_free(cfg);
        return NULL;
    }
    config_init(&c);
    if (config_read(&c, f) != CONFIG_TRUE) {
        if (config_error_type(&c) == CONFIG_ERR_FILE_IO)
            snprintf(msg, sizeof(msg), "%s: cannot read: %s", path, strerror(errno));
        else
            snprintf(msg, sizeof(msg), "%s:%d: syntax error: %s",
                     config_error_file(&c) ? config_error_file(&c) : path, config_error_line(&c),
                     config_error_text(&c));
        if (errors)
            strlist_add(errors, msg);
        fclose(f);
        config_destroy(&c);
        config_free(cfg);
        return NULL;
    }
    fclose(f);
    walk(&ld, config_root_setting(&c), "");
    validate(&ld, &c);
    config_destroy(&c);
    if (ld.nerrors) {
        config_free(cfg);
        return NULL;
    }
    return cfg;
}

static void free_secret(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        void *field = (char *)cfg + keys[i].off;

        if (keys[i].type == K_STRING)
            free(*(char **)field);
        else if (keys[i].type == K_STRLIST)
            strlist_free(field);
    }
    for (size_t i = 0; i < cfg->source.n_headers; i++) {
        free(cfg->source.headers[i].name);
        free(cfg->source.headers[i].value_file);
        free_secret(cfg->source.headers[i].value);
    }
    free(cfg->source.headers);
    free_secret(cfg->source.token);
    free_secret(cfg->source.client_secret);
    free(cfg->source.token_path);
    free(cfg->source.client_secret_path);
    free_secret(cfg->source.siasn.sso_token);
    free_secret(cfg->source.siasn.cookie);
    free(cfg->source.siasn.sso_token_path);
    free(cfg->source.siasn.cookie_path);
    free(cfg->source.siasn.roster_path);
    free(cfg->source.siasn.opd_map_path);
    for (size_t i = 0; i < cfg->source.siasn.n_opd_map; i++) {
        free(cfg->source.siasn.opd_map[i].unor_id);
        free(cfg->source.siasn.opd_map[i].opd_id);
        free(cfg->source.siasn.opd_map[i].opd_name);
    }
    free(cfg->source.siasn.opd_map);
    strlist_free(&cfg->warnings);
    free(cfg->path);
    free(cfg);
}

/* ---- derived values ------------------------------------------------- */

int config_period(const struct config_index *idx)
{
    if (idx->period)
        return idx->period;
    if (idx->as_of != DATE_NONE)
        return date_year(idx->as_of);
    return date_year(date_today_utc());
}

bool config_period_valid(int64_t year)
{
    return year >= PERIOD_MIN && year <= PERIOD_MAX;
}

void config_resolve_index(const struct config_index *in, date_t today, struct config_index *out)
{
    *out = *in;
    if (!out->period)
        out->period = out->as_of != DATE_NONE ? date_year(out->as_of) : date_year(today);
    if (out->as_of == DATE_NONE)
        out->as_of = date_from_ymd(out->period, 12, 31);
}

date_t config_as_of(const struct config_index *idx)
{
    if (idx->as_of != DATE_NONE)
        return idx->as_of;
    return date_from_ymd(config_period(idx), 12, 31);
}

uint64_t config_rules_hash(const struct config_index *idx)
{
    uint64_t h = HASH64_INIT;

    /* Everything under index that changes a score, by value. Strings are
     * hashed with their terminator so list items cannot run together. */
    h = hash64(&idx->ruleset, sizeof(idx->ruleset), h);
    h = hash64(&idx->as_of, sizeof(idx->as_of), h);
    for (size_t i = 0; i < idx->include_status.n; i++)
        h = hash64(idx->include_status.v[i], strlen(idx->include_status.v[i]) + 1, h);
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const struct key *k = &keys[i];
        const char *field;

        /* A group has no field (its offset is 0): no address is made for it. */
        if (k->type == K_GROUP || strncmp(k->path, "index.rules.", 12) != 0)
            continue;
        field = (const char *)idx + (k->off - offsetof(struct config, index));
        switch (k->type) {
        case K_INT:
        case K_POINTS:
        case K_ENUM:
            h = hash64(field, sizeof(int), h);
            break;
        case K_FLOAT:
            h = hash64(field, sizeof(double), h);
            break;
        case K_STRLIST: {
            const struct strlist *l = (const struct strlist *)field;

            for (size_t j = 0; j < l->n; j++)
                h = hash64(l->v[j], strlen(l->v[j]) + 1, h);
            h = hash64("", 1, h);
            break;
        }
        default:
            break;
        }
    }
    return h;
}
