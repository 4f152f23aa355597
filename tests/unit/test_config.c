/* config: defaults, the sample file, every error class with its file:line,
 * secret files and $CREDENTIALS_DIRECTORY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static char tmpdir[256];

static int setup(void **state)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/ipasnd-test-config.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    unsetenv("CREDENTIALS_DIRECTORY");
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

/* Loads text as tmpdir/ipasnd.conf; returns the config or NULL with errors. */
static struct config *load_text(const char *text, struct strlist *errors)
{
    char path[512];

    write_file("ipasnd.conf", text, 0640);
    snprintf(path, sizeof(path), "%s/ipasnd.conf", tmpdir);
    return config_load(path, errors);
}

/* Expects exactly one error, ending with suffix, at line. */
static void expect_error(const char *text, int line, const char *suffix)
{
    struct strlist errors = {0};
    struct config *cfg = load_text(text, &errors);
    char prefix[600];

    assert_null(cfg);
    if (errors.n != 1) {
        for (size_t i = 0; i < errors.n; i++)
            print_error("error: %s\n", errors.v[i]);
    }
    assert_int_equal(errors.n, 1);
    snprintf(prefix, sizeof(prefix), "%s/ipasnd.conf:%d: ", tmpdir, line);
    if (strncmp(errors.v[0], prefix, strlen(prefix)) != 0 ||
        strcmp(errors.v[0] + strlen(errors.v[0]) - strlen(suffix), suffix) != 0) {
        print_error("got      %s\nexpected %s...%s\n", errors.v[0], prefix, suffix);
        fail();
    }
    strlist_free(&errors);
}

#define URL "source: { url = \"https://simpeg.example.go.id/api\"; };\n"
/* The source group with extra keys on the same line. */
#define SRC(extra) "source: { url = \"https://simpeg.example.go.id/api\"; " extra " };\n"

static void test_defaults(void **state)
{
    struct config *cfg = config_defaults();

    assert_int_equal(cfg->source.auth, AUTH_NONE);
    assert_int_equal(cfg->source.page_size, 500);
    assert_int_equal(cfg->source.timeout, 60);
    assert_int_equal(cfg->source.connect_timeout, 10);
    assert_int_equal(cfg->source.retries, 5);
    assert_int_equal(cfg->source.backoff_max, 60);
    assert_true(cfg->source.rate_limit == 2.0);
    assert_int_equal(cfg->source.max_page_bytes, 67108864);
    assert_true(cfg->source.tls_verify);
    assert_string_equal(cfg->database.conninfo, "dbname=ipasn");
    assert_int_equal(cfg->sync.interval, 900);
    assert_true(cfg->sync.jitter == 0.1);
    assert_int_equal(cfg->sync.full_every, 7 * 86400);
    assert_int_equal(cfg->sync.overlap, 300);
    assert_int_equal(cfg->index.period, 0);
    assert_int_equal(cfg->index.as_of, DATE_NONE);
    assert_true(cfg->index.target == 81.0);
    assert_int_equal(cfg->index.ruleset, RULESET_BKN2019);
    assert_int_equal(cfg->index.include_status.n, 3);
    assert_string_equal(cfg->index.include_status.v[2], "PPPK");
    assert_int_equal(cfg->quality.stale_after, 365 * 86400);
    assert_int_equal(cfg->log.level, LOG_INFO);
    assert_int_equal(cfg->log.max_issue_lines, 200);
    assert_int_equal(cfg->report.language, REPORT_LANG_EN);

    /* The regulation's numbers, in tenths. */
    const struct rules *r = &cfg->index.rules;
    assert_int_equal(r->qual_s3, 250);
    assert_int_equal(r->qual_s2, 200);
    assert_int_equal(r->qual_s1, 150);
    assert_int_equal(r->qual_d3, 100);
    assert_int_equal(r->qual_slta, 50);
    assert_int_equal(r->qual_sltp, 10);
    assert_int_equal(r->qual_none, 0);
    assert_int_equal(r->competency_max, 400);
    assert_int_equal(r->struktural_leadership, 150);
    assert_int_equal(r->struktural_technical, 150);
    assert_int_equal(r->struktural_seminar, 100);
    assert_int_equal(r->fungsional_functional, 150);
    assert_int_equal(r->fungsional_technical, 150);
    assert_int_equal(r->fungsional_seminar, 100);
    assert_int_equal(r->pelaksana_technical, 225);
    assert_int_equal(r->pelaksana_seminar, 175);
    assert_int_equal(r->technical_jp, 20);
    assert_int_equal(r->technical_window, 1);
    assert_int_equal(r->seminar_window, 2);
    assert_int_equal(r->jp_per_day, 8);
    assert_int_equal(r->leadership_match, LEADERSHIP_EXACT);
    assert_int_equal(r->performance_year_offset, 1);
    assert_true(r->skp_above_sangat_baik == 90.0 && r->skp_above_baik == 75.0 &&
                r->skp_above_cukup == 60.0 && r->skp_above_kurang == 50.0);
    assert_true(r->skp_score_max == 120.0);
    assert_int_equal(r->perf_sangat_baik, 300);
    assert_int_equal(r->perf_baik, 250);
    assert_int_equal(r->perf_cukup, 150);
    assert_int_equal(r->perf_kurang, 50);
    assert_int_equal(r->perf_sangat_kurang, 10);
    assert_int_equal(r->perf_none, 0);
    assert_int_equal(r->discipline_window, 5);
    assert_int_equal(r->disc_none, 50);
    assert_int_equal(r->disc_ringan, 30);
    assert_int_equal(r->disc_sedang, 20);
    assert_int_equal(r->disc_berat, 10);
    assert_int_equal(r->category_mode, CATEGORY_STRICT);
    assert_true(r->cat_above_sangat_tinggi == 90.0 && r->cat_above_tinggi == 80.0 &&
                r->cat_above_sedang == 70.0 && r->cat_above_rendah == 60.0);
    assert_int_equal(r->mean_over, MEAN_ALL);
    assert_int_equal(r->b24_base_sangat_baik, 250);
    assert_int_equal(r->b24_base_sangat_kurang, 50);
    assert_string_equal(r->names.leadership[3].v[0], "PIM IV");
    assert_string_equal(r->names.leadership[2].v[2], "PKA");
    assert_int_equal(r->names.seminar.n, 6);
    config_free(cfg);
}

static void test_sample_loads(void **state)
{
    struct strlist errors = {0};
    struct config *cfg = config_load(TOP_SRCDIR "/etc/ipasnd.conf", &errors);

    for (size_t i = 0; i < errors.n; i++)
        print_error("%s\n", errors.v[i]);
    assert_non_null(cfg);
    assert_string_equal(cfg->source.url, "https://simpeg.example.go.id/api");
    assert_int_equal(cfg->warnings.n, 0);
    config_free(cfg);
}

/* Two libconfig settings hold the same value. */
static int same_value(const config_setting_t *a, const config_setting_t *b)
{
    int ta = config_setting_type(a), tb = config_setting_type(b);

    if (config_setting_is_number(a) && config_setting_is_number(b)) {
        double va = ta == CONFIG_TYPE_FLOAT ? config_setting_get_float(a)
                                            : (double)config_setting_get_int64(a);
        double vb = tb == CONFIG_TYPE_FLOAT ? config_setting_get_float(b)
                                            : (double)config_setting_get_int64(b);
        return va == vb;
    }
    if (ta != tb)
        return 0;
    switch (ta) {
    case CONFIG_TYPE_STRING:
        return strcmp(config_setting_get_string(a), config_setting_get_string(b)) == 0;
    case CONFIG_TYPE_BOOL:
        return config_setting_get_bool(a) == config_setting_get_bool(b);
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST:
        if (config_setting_length(a) != config_setting_length(b))
            return 0;
        for (int i = 0; i < config_setting_length(a); i++)
            if (!same_value(config_setting_get_elem(a, (unsigned)i),
                            config_setting_get_elem(b, (unsigned)i)))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* The sample documents every key with the default the code uses. */
static void test_sample_documents_every_default(void **state)
{
    config_t sample;
    int bad = 0;

    config_init(&sample);
    assert_int_equal(config_read_file(&sample, TOP_SRCDIR "/etc/ipasnd.conf"), CONFIG_TRUE);
    for (size_t i = 0; i < config_key_count(); i++) {
        const char *path = config_key_path(i), *def = config_key_default(i);
        const config_setting_t *s = config_lookup(&sample, path);
        config_t d;
        char text[600];

        if (!s) {
            print_error("etc/ipasnd.conf lacks %s\n", path);
            bad++;
            continue;
        }
        if (!def)
            continue;
        snprintf(text, sizeof(text), "v = %s;", def);
        config_init(&d);
        assert_int_equal(config_read_string(&d, text), CONFIG_TRUE);
        if (!same_value(s, config_lookup(&d, "v"))) {
            print_error("etc/ipasnd.conf: %s differs from the default %s\n", path, def);
            bad++;
        }
        config_destroy(&d);
    }
    config_destroy(&sample);
    assert_int_equal(bad, 0);
}

/* The manual page describes every key. */
static void test_man_page_documents_every_key(void **state)
{
    FILE *f = fopen(TOP_SRCDIR "/man/ipasnd.conf.5", "r");
    struct strbuf text = {0};
    char buf[4096];
    size_t n;
    int bad = 0;

    if (!f) {
        print_error("man/ipasnd.conf.5 is missing\n");
        fail();
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        strbuf_addn(&text, buf, n);
    fclose(f);
    for (size_t i = 0; i < config_key_count(); i++) {
        char needle[128];
        const char *path = config_key_path(i);

        /* man text escapes nothing in key names but may break at dots; look
         * for the full dotted path. */
        snprintf(needle, sizeof(needle), "%s", path);
        if (!strstr(text.s, needle)) {
            print_error("man/ipasnd.conf.5 lacks %s\n", path);
            bad++;
        }
    }
    strbuf_free(&text);
    assert_int_equal(bad, 0);
}

static void test_unknown_key(void **state)
{
    expect_error(URL "sync: {\n  interval = \"15m\";\n  intervall = \"5m\";\n};\n", 4,
                 "sync.intervall: unknown key");
    expect_error(URL "colour = 1;\n", 2, "colour: unknown key");
    expect_error(URL "index: { rules: { qualification: { s4 = 30.0; }; }; };\n", 2,
                 "index.rules.qualification.s4: unknown key");
}

static void test_bad_duration(void **state)
{
    expect_error(URL "sync: {\n  interval = \"abc\";\n};\n", 3,
                 "sync.interval: expected a duration like \"15m\", got \"abc\"");
    expect_error(URL "sync: { interval = \"15x\"; };\n", 2,
                 "sync.interval: expected a duration like \"15m\", got \"15x\"");
    expect_error(URL "sync: { interval = 1.5; };\n", 2,
                 "sync.interval: expected a duration like \"15m\", got 1.5");
    expect_error(URL "sync: { interval = \"1s\"; };\n", 2,
                 "sync.interval: 1s is out of range 10..2592000s");
}

static void test_wrong_type(void **state)
{
    expect_error("\n" SRC("page_size = \"500\";"), 2,
                 "source.page_size: expected an integer, got \"500\"");
    expect_error("\n" SRC("tls_verify = 1;"), 2,
                 "source.tls_verify: expected true or false, got 1");
    expect_error(URL "database: { conninfo = 5; };\n", 2,
                 "database.conninfo: expected a string, got 5");
    expect_error(URL "sync = 5;\n", 2, "sync: expected a group { ... }, got an integer");
    expect_error(URL "index: { include_status = \"PNS\"; };\n", 2,
                 "index.include_status: expected an array of strings like [ \"a\", \"b\" ], "
                 "got \"PNS\"");
    expect_error(URL "log: { level = \"loud\"; };\n", 2,
                 "log.level: expected one of \"emerg\", \"alert\", \"crit\", \"err\", "
                 "\"warning\", \"notice\", \"info\", \"debug\", got \"loud\"");
    expect_error(URL "report: {\n  language = \"jv\";\n};\n", 3,
                 "report.language: expected one of \"en\", \"id\", got \"jv\"");
    expect_error(URL "report: { language = 1; };\n", 2,
                 "report.language: expected one of \"en\", \"id\", got 1");
    expect_error(URL "index: { rules: { pelaksana: { technical = 22.55; }; }; };\n", 2,
                 "index.rules.pelaksana.technical: points are counted in tenths; 22.55 has "
                 "more decimals");
    expect_error(URL "index: { as_of = \"23-12-2025\"; };\n", 2,
                 "index.as_of: expected \"\" or a date like \"2025-12-23\", got \"23-12-2025\"");
}

static void test_out_of_range(void **state)
{
    expect_error("\n" SRC("page_size = 1001;"), 2,
                 "source.page_size: 1001 is out of range 1..1000");
    expect_error("\n" SRC("page_size = 0;"), 2, "source.page_size: 0 is out of range 1..1000");
    expect_error("\n" SRC("rate_limit = 0.0;"), 2,
                 "source.rate_limit: 0 is out of range 0.001..10000");
    expect_error(URL "sync: { jitter = 0.9; };\n", 2, "sync.jitter: 0.9 is out of range 0..0.5");
    expect_error(URL "index: {\n period = 2025;\n as_of = \"2024-12-23\";\n};\n", 4,
                 "index.as_of: must fall in index.period 2025");
}

/* source.type = "siasn": its keys, its secrets, the roster, the OPD map. */
#define SIASN_SRC(extra)                                                                           \
    "source: { type = \"siasn\"; url = \"https://apimws.bkn.go.id:8243/apisiasn/1.0\";\n"          \
    "  auth: { type = \"oauth2\"; token_url = \"https://apimws.bkn.go.id/oauth2/token\";\n"        \
    "          client_id = \"key\"; client_secret_file = \"apim-secret\"; };\n"                    \
    "  siasn: { sso_token_file = \"sso-token\"; roster_file = \"roster.csv\"; " extra " };\n};\n"

static void siasn_files(void)
{
    write_file("apim-secret", "consumer-secret\n", 0600);
    write_file("sso-token", "eyJhbGciOi.sso.token\n", 0600);
    write_file("roster.csv", "nip_baru,nama\n'199001012015031001,Ani\n", 0644);
}

static void test_siasn_loads(void **state)
{
    struct strlist errors = {0};
    struct config *cfg;
    char want[600];

    siasn_files();
    write_file("cookie", "lb=abc; route=1\n", 0600);
    write_file("map.csv", "unor_id;opd_id;opd_name\r\nU1;OPD1;Dinas Satu\r\n'U2;OPD1;null\r\n",
               0644);
    cfg = load_text(SIASN_SRC("cookie_file = \"cookie\"; opd_map_file = \"map.csv\";"), &errors);
    for (size_t i = 0; i < errors.n; i++)
        print_error("error: %s\n", errors.v[i]);
    assert_non_null(cfg);
    assert_int_equal(cfg->source.type, SOURCE_SIASN);
    assert_string_equal(cfg->source.siasn.sso_token, "eyJhbGciOi.sso.token");
    assert_string_equal(cfg->source.siasn.cookie, "lb=abc; route=1");
    snprintf(want, sizeof(want), "%s/roster.csv", tmpdir);
    assert_string_equal(cfg->source.siasn.roster_path, want);
    assert_int_equal(cfg->source.siasn.refresh_every, 7 * 86400);
    assert_int_equal(cfg->source.siasn.parallel, 2);
    assert_true(cfg->source.rate_limit == 1.0);
    assert_int_equal(cfg->source.siasn.n_opd_map, 2);
    assert_string_equal(cfg->source.siasn.opd_map[1].unor_id, "U2");
    assert_string_equal(cfg->source.siasn.opd_map[1].opd_id, "OPD1");
    assert_string_equal(cfg->source.siasn.opd_map[1].opd_name, "");
    config_free(cfg);

    cfg = load_text("source: { type = \"siasn\"; url = \"https://x/api\"; rate_limit = 0.5;\n"
                    "  auth: { type = \"oauth2\"; token_url = \"https://x/token\";\n"
                    "          client_id = \"key\"; client_secret_file = \"apim-secret\"; };\n"
                    "  siasn: { sso_token_file = \"sso-token\"; roster_file = \"roster.csv\";\n"
                    "           parallel = 4; refresh_every = \"1d\"; };\n};\n",
                    &errors);
    assert_non_null(cfg);
    assert_true(cfg->source.rate_limit == 0.5);
    assert_int_equal(cfg->source.siasn.parallel, 4);
    assert_int_equal(cfg->source.siasn.refresh_every, 86400);
    assert_null(cfg->source.siasn.cookie);
    assert_int_equal(cfg->source.siasn.n_opd_map, 0);
    config_free(cfg);
}

static void test_siasn_requires(void **state)
{
    struct strlist errors = {0};
    struct config *cfg = load_text("source: { type = \"siasn\"; url = \"https://x/api\";\n"
                                   "  siasn: { parallel = 2; };\n};\n",
                                   &errors);

    assert_null(cfg);
    assert_int_equal(errors.n, 3);
    assert_non_null(strstr(errors.v[0], "source.auth.type: must be \"oauth2\""));
    assert_non_null(strstr(errors.v[1], ":2: source.siasn.sso_token_file: required"));
    assert_non_null(strstr(errors.v[2], ":2: source.siasn.roster_file: required"));
    strlist_free(&errors);

    /* The listing ignores the group and never reads its files. */
    cfg = load_text(SRC("siasn: { sso_token_file = \"none\"; roster_file = \"none.csv\"; };"),
                    &errors);
    assert_non_null(cfg);
    assert_int_equal(cfg->source.type, SOURCE_LISTING);
    assert_true(cfg->source.rate_limit == 2.0);
    config_free(cfg);
}

static void test_siasn_errors(void **state)
{
    char suffix[600];

    siasn_files();
    expect_error(SRC("type = \"bkn\";"), 1,
                 "source.type: expected one of \"listing\", \"siasn\", got \"bkn\"");
    expect_error(SIASN_SRC("parallel = 65;"), 4, "source.siasn.parallel: 65 is out of range 1..64");
    expect_error(SIASN_SRC("refresh_every = \"10m\";"), 4,
                 "source.siasn.refresh_every: 600s is out of range 3600..31622400s");
    write_file("map.csv", "unor_id,opd_id,opd_name\nU1,OPD1,A\nU2,,B\n", 0644);
    snprintf(suffix, sizeof(suffix),
             "source.siasn.opd_map_file: %s/map.csv:3: unor_id and opd_id must be 1 to 255 bytes",
             tmpdir);
    expect_error(SIASN_SRC("opd_map_file = \"map.csv\";"), 4, suffix);
    write_file("map.csv", "unor_id,opd_id,opd_name\nU1,OPD1,A\nU2,OPD2,B\nU1,OPD3,C\n", 0644);
    snprintf(suffix, sizeof(suffix),
             "source.siasn.opd_map_file: %s/map.csv: unor_id \"U1\" appears twice", tmpdir);
    expect_error(SIASN_SRC("opd_map_file = \"map.csv\";"), 4, suffix);
    write_file("map.csv", "unit,opd_id,opd_name\nU1,OPD1,A\n", 0644);
    snprintf(suffix, sizeof(suffix),
             "%s/map.csv:1: the header must name unor_id, opd_id and opd_name", tmpdir);
    expect_error(SIASN_SRC("opd_map_file = \"map.csv\";"), 4, suffix);
    write_file("map.csv", "unor_id,opd_id,opd_name\nU1,OPD1,A,extra\n", 0644);
    snprintf(suffix, sizeof(suffix), "%s/map.csv:2: 4 fields, the header has 3", tmpdir);
    expect_error(SIASN_SRC("opd_map_file = \"map.csv\";"), 4, suffix);
    snprintf(suffix, sizeof(suffix),
             "source.siasn.roster_file: cannot read \"%s/gone.csv\": No such file or directory",
             tmpdir);
    expect_error(
        "source: { type = \"siasn\"; url = \"https://x/api\";\n"
        "  auth: { type = \"oauth2\"; token_url = \"https://x/token\";\n"
        "          client_id = \"key\"; client_secret_file = \"apim-secret\"; };\n"
        "  siasn: { sso_token_file = \"sso-token\";\n roster_file = \"gone.csv\"; };\n};\n",
        5, suffix);
}

static void test_syntax_error(void **state)
{
    expect_error(URL "sync: { interval = \"15m\" \n", 3, "syntax error: syntax error");
}

/* A '%' in a string is text, kept as written: the strings libconfig builds
 * must never go through ipasnd's printf-like strbuf_append, whose name
 * libconfig's own string buffer shares. */
static void test_percent_kept(void **state)
{
    static const struct {
        const char *literal; /* as written in the file */
        const char *value;   /* as loaded */
    } rows[] = {
        {"\"100% sure\"", "100% sure"},
        {"\"%s%d%x%p\"", "%s%d%x%p"},
        {"\"%%\"", "%%"},
        {"\"a%\" \"s\" \"%5.2f\"", "a%s%5.2f"},
        {"\"tab\\t%-08lld\"", "tab\t%-08lld"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct strlist errors = {0};
        struct config *cfg;
        char text[512], conninfo[128];

        /* the conninfo as libpq takes it: the value a quoted dbname */
        snprintf(text, sizeof(text),
                 "source: { url = \"https://x/api%%2Fv1\"; instansi_id = %s; };\n"
                 "database: { conninfo = \"dbname='\" %s \"'\"; };\n",
                 rows[i].literal, rows[i].literal);
        cfg = load_text(text, &errors);
        assert_non_null(cfg);
        assert_string_equal(cfg->source.url, "https://x/api%2Fv1");
        assert_string_equal(cfg->source.instansi_id, rows[i].value);
        snprintf(conninfo, sizeof(conninfo), "dbname='%s'", rows[i].value);
        assert_string_equal(cfg->database.conninfo, conninfo);
        config_free(cfg);
    }
}

static void test_all_errors_reported(void **state)
{
    struct strlist errors = {0};
    struct config *cfg = load_text(URL "sync: { a = 1; b = 2; };\nlog: { level = 3; };\n", &errors);

    assert_null(cfg);
    assert_int_equal(errors.n, 3);
    strlist_free(&errors);
}

static void test_url_required(void **state)
{
    struct strlist errors = {0};
    struct config *cfg = load_text("sync: { interval = \"15m\"; };\n", &errors);

    assert_null(cfg);
    assert_int_equal(errors.n, 1);
    assert_non_null(strstr(errors.v[0], "source.url: required"));
    strlist_free(&errors);
    expect_error("source: { url = \"ftp://x\"; };\n", 1,
                 "source.url: expected an http:// or https:// URL");
    expect_error("source: { url = \"https://user:pw@x/api\"; };\n", 1,
                 "source.url: must not hold credentials, a query or spaces; credentials go in "
                 "source.auth");
}

static void test_oauth2_requires(void **state)
{
    struct strlist errors = {0};
    struct config *cfg = load_text("source: { url = \"https://x/api\";\n"
                                   "  auth: { type = \"oauth2\"; };\n};\n",
                                   &errors);

    assert_null(cfg);
    assert_int_equal(errors.n, 3);
    assert_non_null(strstr(errors.v[0], ":2: source.auth.token_url: required"));
    assert_non_null(strstr(errors.v[1], ":2: source.auth.client_id: required"));
    assert_non_null(strstr(errors.v[2], ":2: source.auth.client_secret_file: required"));
    strlist_free(&errors);
}

static void test_secret_relative_to_config(void **state)
{
    struct strlist errors = {0};
    struct config *cfg;

    write_file("simpeg-secret", "s3cr3t-value\n", 0600);
    write_file("sso-token", "bearer sso-abc\n", 0600);
    cfg = load_text("source: { url = \"https://x/api\";\n"
                    "  auth: { type = \"oauth2\"; token_url = \"https://x/token\";\n"
                    "          client_id = \"ipasnd\"; client_secret_file = \"simpeg-secret\"; };\n"
                    "  headers = ( { name = \"Auth\"; value_file = \"sso-token\"; } );\n};\n",
                    &errors);
    assert_non_null(cfg);
    assert_string_equal(cfg->source.client_secret, "s3cr3t-value");
    assert_int_equal(cfg->source.n_headers, 1);
    assert_string_equal(cfg->source.headers[0].name, "Auth");
    assert_string_equal(cfg->source.headers[0].value, "bearer sso-abc");
    assert_int_equal(cfg->warnings.n, 0);
    config_free(cfg);
}

static void test_secret_from_credentials_directory(void **state)
{
    struct strlist errors = {0};
    struct config *cfg;
    char creds[300];

    snprintf(creds, sizeof(creds), "%s/creds", tmpdir);
    assert_int_equal(mkdir(creds, 0700), 0);
    write_file("creds/token", "from-credentials\n", 0400);
    write_file("token", "from-config-dir\n", 0600);
    setenv("CREDENTIALS_DIRECTORY", creds, 1);
    cfg = load_text("source: { url = \"https://x/api\";\n"
                    "  auth: { type = \"bearer\"; token_file = \"token\"; };\n};\n",
                    &errors);
    unsetenv("CREDENTIALS_DIRECTORY");
    assert_non_null(cfg);
    assert_string_equal(cfg->source.token, "from-credentials");
    config_free(cfg);
}

static void test_secret_readable_by_others_warns(void **state)
{
    struct strlist errors = {0};
    struct config *cfg;

    write_file("token", "tok-123456\n", 0644);
    cfg = load_text("source: { url = \"https://x/api\";\n"
                    "  auth: { type = \"bearer\"; token_file = \"token\"; };\n};\n",
                    &errors);
    assert_non_null(cfg);
    assert_int_equal(cfg->warnings.n, 1);
    assert_non_null(strstr(cfg->warnings.v[0], "readable by others"));
    assert_null(strstr(cfg->warnings.v[0], "tok-123456"));
    config_free(cfg);
}

static void test_secret_never_in_errors(void **state)
{
    struct strlist errors = {0};
    struct config *cfg;

    write_file("token", "line-one-secret\nline-two-secret\n", 0600);
    cfg = load_text("source: { url = \"https://x/api\";\n"
                    "  auth: { type = \"bearer\"; token_file = \"token\"; };\n};\n",
                    &errors);
    assert_null(cfg);
    assert_int_equal(errors.n, 1);
    assert_non_null(strstr(errors.v[0], "must hold one non-empty line"));
    assert_null(strstr(errors.v[0], "line-one"));
    assert_null(strstr(errors.v[0], "line-two"));
    strlist_free(&errors);

    cfg = load_text("source: { url = \"https://x/api\";\n"
                    "  auth: { type = \"bearer\"; token_file = \"missing\"; };\n};\n",
                    &errors);
    assert_null(cfg);
    assert_int_equal(errors.n, 1);
    assert_non_null(strstr(errors.v[0], "source.auth.token_file: cannot read secret file"));
    strlist_free(&errors);
}

/* A value from the file that an error message repeats is quoted, with its
 * control characters dropped: every message stays one printable line. */
static void test_values_quoted_in_errors(void **state)
{
    static const struct {
        const char *text;
        const char *expected; /* in the one error */
    } rows[] = {
        {URL "index: { include_status = [ \"PNS\", \"PP\\nPK\\x1b[2J\" ]; };\n",
         "index.include_status: expected \"PNS\", \"CPNS\" or \"PPPK\", got \"PPPK[2J\""},
        {"source: { url = \"https://x/api\"; ca_file = \"/nonexistent\\n/ca.pem\"; };\n",
         "source.ca_file: cannot read \"/nonexistent/ca.pem\": "},
        {"source: { url = \"https://x/api\";\n"
         "  auth: { type = \"bearer\"; token_file = \"/nonexistent/to\\x1bken\"; };\n};\n",
         "source.auth.token_file: cannot read secret file \"/nonexistent/token\": "},
        {"source: { url = \"https://x/api\";\n"
         "  auth: { type = \"bearer\"; token_file = \"/dev/\\rnull\"; };\n};\n",
         "source.auth.token_file: cannot read secret file \"/dev/null\": "},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct strlist errors = {0};
        struct config *cfg = load_text(rows[i].text, &errors);

        assert_null(cfg);
        assert_int_equal(errors.n, 1);
        for (const char *c = errors.v[0]; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                fail_msg("row %zu: control character 0x%02x in %s", i, (unsigned char)*c,
                         errors.v[0]);
        if (!strstr(errors.v[0], rows[i].expected))
            fail_msg("row %zu: got %s, expected ...%s...", i, errors.v[0], rows[i].expected);
        strlist_free(&errors);
    }
}

static void test_tls_verify_off_warns(void **state)
{
    struct strlist errors = {0};
    struct config *cfg =
        load_text("source: { url = \"https://x/api\"; tls_verify = false; };\n", &errors);

    assert_non_null(cfg);
    assert_int_equal(cfg->warnings.n, 1);
    assert_non_null(strstr(cfg->warnings.v[0], "tls_verify is false"));
    config_free(cfg);
}

static void test_durations_and_points(void **state)
{
    struct strlist errors = {0};
    struct config *cfg = load_text(URL "sync: { interval = 120; full_every = \"1d12h\"; };\n"
                                       "index: { period = 2025; as_of = \"2025-12-23\";\n"
                                       "  rules: { pelaksana: { technical = 20; }; "
                                       "leadership_match = \"at_least\"; }; };\n",
                                   &errors);

    assert_non_null(cfg);
    assert_int_equal(cfg->sync.interval, 120);
    assert_int_equal(cfg->sync.full_every, 36 * 3600);
    assert_int_equal(cfg->index.rules.pelaksana_technical, 200);
    assert_int_equal(cfg->index.rules.leadership_match, LEADERSHIP_AT_LEAST);
    assert_int_equal(config_period(&cfg->index), 2025);
    assert_int_equal(config_as_of(&cfg->index), date_from_ymd(2025, 12, 23));
    config_free(cfg);
}

static void test_period_and_as_of(void **state)
{
    struct config *cfg = config_defaults();

    cfg->index.period = 2020;
    assert_int_equal(config_as_of(&cfg->index), date_from_ymd(2020, 12, 31));
    cfg->index.period = 0;
    cfg->index.as_of = date_from_ymd(2024, 12, 23);
    assert_int_equal(config_period(&cfg->index), 2024);
    config_free(cfg);
}

static void test_rules_hash(void **state)
{
    struct config *a = config_defaults(), *b = config_defaults();

    assert_true(config_rules_hash(&a->index) == config_rules_hash(&b->index));
    b->index.rules.perf_kurang = 100;
    assert_true(config_rules_hash(&a->index) != config_rules_hash(&b->index));
    b->index.rules.perf_kurang = a->index.rules.perf_kurang;
    b->index.ruleset = RULESET_BKN2024;
    assert_true(config_rules_hash(&a->index) != config_rules_hash(&b->index));
    b->index.ruleset = RULESET_BKN2019;
    strlist_add(&b->index.rules.names.seminar, "diskusi");
    assert_true(config_rules_hash(&a->index) != config_rules_hash(&b->index));
    /* The target does not change any score. */
    strlist_free(&b->index.rules.names.seminar);
    config_free(b);
    b = config_defaults();
    b->index.target = 90;
    assert_true(config_rules_hash(&a->index) == config_rules_hash(&b->index));
    config_free(a);
    config_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_sample_loads),
        cmocka_unit_test(test_sample_documents_every_default),
        cmocka_unit_test(test_man_page_documents_every_key),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_bad_duration),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_percent_kept),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_url_required),
        cmocka_unit_test(test_oauth2_requires),
        cmocka_unit_test(test_secret_relative_to_config),
        cmocka_unit_test(test_secret_from_credentials_directory),
        cmocka_unit_test(test_secret_readable_by_others_warns),
        cmocka_unit_test(test_secret_never_in_errors),
        cmocka_unit_test(test_values_quoted_in_errors),
        cmocka_unit_test(test_tls_verify_off_warns),
        cmocka_unit_test(test_durations_and_points),
        cmocka_unit_test(test_period_and_as_of),
        cmocka_unit_test(test_rules_hash),
        cmocka_unit_test(test_siasn_loads),
        cmocka_unit_test(test_siasn_requires),
        cmocka_unit_test(test_siasn_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
