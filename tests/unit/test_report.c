/* report: the formatting the report prints with: hundredths, means rounded
 * half up, names fitted to table columns, RFC 4180 fields, the weakest
 * dimension against the regulation's maxima. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config.h"
#include "score.h"
#include "report.h"
#include "util.h"

static void test_hundredths(void **state)
{
    static const struct {
        long long h;
        bool plus;
        const char *want;
    } rows[] = {
        {7410, false, "74.10"}, {8135, true, "+81.35"},   {-261, false, "-2.61"},
        {-261, true, "-2.61"},  {0, true, "0.00"},        {5, false, "0.05"},
        {-5, false, "-0.05"},   {10000, false, "100.00"},
    };
    char buf[32];

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        assert_string_equal(fmt_hundredths(buf, sizeof(buf), rows[i].h, rows[i].plus),
                            rows[i].want);
}

static void test_mean_half_up(void **state)
{
    /* hundredths: sum of points x 100 over employees */
    static const struct {
        long long sum, n, want;
    } rows[] = {
        {3750, 4, 938},                  /* 37.5 / 4 = 9.375 -> 9.38, not 9.37 */
        {1750, 4, 438},                  /* 4.375 -> 4.38 */
        {20800, 3, 6933},                /* 208 / 3 = 69.333 -> 69.33 */
        {2000, 3, 667},                  /* 6.666 -> 6.67 */
        {98200, 14, 7014},               /* the instansi of the fixtures */
        {130000, 14, 9286},              /* 13 of 14 employees: 92.86% */
        {0, 5, 0},          {500, 0, 0}, /* no employees: nothing */
        {-100, 3, 0},                    /* never negative */
        {1, 2, 1},                       /* exactly half: up */
        {1, 3, 0},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        if (report_mean_half_up(rows[i].sum, rows[i].n) != rows[i].want)
            fail_msg("report_mean_half_up(%lld, %lld) = %lld, want %lld", rows[i].sum, rows[i].n,
                     report_mean_half_up(rows[i].sum, rows[i].n), rows[i].want);
}

static void test_fit(void **state)
{
    static const struct {
        const char *in;
        int width;
        const char *want;
    } rows[] = {
        {"Dinas Kesehatan", 18, "Dinas Kesehatan   "},
        {"Sekretariat Daerah", 18, "Sekretariat Daerah"},
        {"Dinas Pekerjaan Umum dan Penataan Ruang", 18, "Dinas Pekerjaan U\u2026"},
        /* no space before the ellipsis: the column is padded instead */
        {"Dinas Pendidikan dan Kebudayaan", 18, "Dinas Pendidikan\u2026 "},
        {"Ni Putu Ayu D\u00e9wi", 10, "Ni Putu A\u2026"},
        {"D\u00e9wi", 6, "D\u00e9wi  "},
        {"\u00e9\u00e9\u00e9\u00e9", 3, "\u00e9\u00e9\u2026"},
        {"a\tb\nc\x1b[0m", 8, "abc[0m  "},
        {"", 3, "   "},
        {NULL, 2, "  "},
        {"abc", 0, ""},
        {"abcdef", 1, "\u2026"},
    };
    char buf[128];

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        report_fit(buf, sizeof(buf), rows[i].in, rows[i].width);
        if (strcmp(buf, rows[i].want) != 0)
            fail_msg("report_fit(\"%s\", %d) = \"%s\", want \"%s\"", rows[i].in ? rows[i].in : "",
                     rows[i].width, buf, rows[i].want);
    }
    /* A buffer too small for the width: cut, terminated, never a broken
     * UTF-8 sequence. */
    report_fit(buf, 6, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", 5);
    assert_string_equal(buf, "\u00e9\u00e9 ");
}

static void test_abbrev(void **state)
{
    static const struct {
        const char *in;
        int width;
        const char *want;
    } rows[] = {
        {"Dinas Kesehatan", 18, "Dinas Kesehatan   "},
        {"Dinas Pekerjaan Umum dan Penataan Ruang", 18, "Dinas PUPR        "},
        /* two OPDs that cutting alike would not tell apart */
        {"Dinas Pemberdayaan Masyarakat dan Desa", 18, "Dinas PMD         "},
        {"Dinas Pemberdayaan Perempuan dan Perlindungan Anak", 18, "Dinas PPPA        "},
        {"Badan Penanggulangan Bencana Daerah", 18, "Badan PBD         "},
        {"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 18, "Dinas PMPTSP      "},
        {"Dinas Kesehatan, Pengendalian Penduduk dan KB", 18, "Dinas KPPK        "},
        {"Dinas \u00c9nergi dan Sumber Daya Mineral", 18, "Dinas \u00c9SDM        "},
        {"  Dinas  Perhubungan dan Transportasi Darat", 18, "Dinas PTD         "},
        /* the short form does not fit either: cut */
        {"Sekretariat Dewan Perwakilan Rakyat Daerah Provinsi Kalimantan Selatan", 18,
         "Sekretariat Dewan\u2026"},
        {"Badan Kepegawaian Daerah", 40, "Badan Kepegawaian Daerah                "},
        {NULL, 4, "    "},
    };
    char buf[256];

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        report_abbrev(buf, sizeof(buf), rows[i].in, rows[i].width);
        if (strcmp(buf, rows[i].want) != 0)
            fail_msg("report_abbrev(\"%s\", %d) = \"%s\", want \"%s\"",
                     rows[i].in ? rows[i].in : "", rows[i].width, buf, rows[i].want);
    }
}

static void test_csv_field(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"Dinas Kesehatan", "Dinas Kesehatan"},
        {"Kesehatan, Pengendalian Penduduk", "\"Kesehatan, Pengendalian Penduduk\""},
        {"Sekretariat \"Lama\"", "\"Sekretariat \"\"Lama\"\"\""},
        {"two\nlines", "two lines"},
        {"cr\r", "cr "},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"+62 811", "\"'+62 811\""},
        {"-1+1", "\"'-1+1\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tcmd", "\"' cmd\""},
        {"\r=1", "\"' =1\""},
        {"a\xe2\x80\xae"
         "b\x1b[31mc",
         "ab[31mc"},
        {"Dinas - Kesehatan", "Dinas - Kesehatan"},
        {"", ""},
        {NULL, ""},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct strbuf b = {0};

        report_csv_field(&b, rows[i].in);
        assert_string_equal(b.s ? b.s : "", rows[i].want);
        strbuf_free(&b);
    }
}

static void test_weakest(void **state)
{
    struct config *cfg = config_defaults();
    const struct rules *r = &cfg->index.rules;
    /* means in hundredths: qualification, competency, performance, discipline */
    static const struct {
        long long means[4];
        const char *want;
    } rows[] = {
        {{1500, 2667, 2333, 433}, "qualification"}, /* U1: 60% of 25 */
        {{2125, 2250, 2875, 400}, "competency"},    /* 56% of 40 */
        {{1500, 3125, 1500, 500}, "performance"},   /* 50% of 30 against 60% of 25 */
        {{2500, 4000, 3000, 250}, "discipline"},    /* 50% of 5 */
        {{2500, 4000, 3000, 500}, "qualification"}, /* all full: the first */
        {{1250, 2000, 1500, 250}, "qualification"}, /* all half: the first */
        {{0, 0, 0, 0}, "qualification"},
    };

    assert_int_equal(score_dimension_max(0, r), 250);
    assert_int_equal(score_dimension_max(1, r), 400);
    assert_int_equal(score_dimension_max(2, r), 300);
    assert_int_equal(score_dimension_max(3, r), 50);
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        assert_string_equal(report_dimension_name(report_weakest(rows[i].means, r)), rows[i].want);
    config_free(cfg);
}

static void test_parse_format(void **state)
{
    enum report_format f;

    assert_int_equal(report_parse_format("table", &f), 0);
    assert_int_equal(f, REPORT_TABLE);
    assert_int_equal(report_parse_format("json", &f), 0);
    assert_int_equal(f, REPORT_JSON);
    assert_int_equal(report_parse_format("csv", &f), 0);
    assert_int_equal(f, REPORT_CSV);
    assert_int_equal(report_parse_format("JSON", &f), -1);
    assert_int_equal(report_parse_format("xml", &f), -1);
    assert_int_equal(report_parse_format("", &f), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hundredths),   cmocka_unit_test(test_mean_half_up),
        cmocka_unit_test(test_fit),          cmocka_unit_test(test_abbrev),
        cmocka_unit_test(test_csv_field),    cmocka_unit_test(test_weakest),
        cmocka_unit_test(test_parse_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
