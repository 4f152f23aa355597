/* official: BKN's IP ASN export as it comes (';' with decimal commas in
 * Windows-1252, ',' with decimal points in UTF-8, a BOM, CRLF, quoted
 * fields, a trailing empty line) read into checked rows, and every bad row
 * set aside with its line and the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "official.h"
#include "scratch.h"

#define HEADER_SC "NIP;NAMA;KUALIFIKASI;KOMPETENSI;KINERJA;DISIPLIN;TOTAL;TAHUN;UPDATED"
#define HEADER_C  "NIP,NAMA,KUALIFIKASI,KOMPETENSI,KINERJA,DISIPLIN,TOTAL,TAHUN,UPDATED"

static void test_points(void **state)
{
    static const struct {
        const char *in;
        int out;
    } rows[] = {
        {"30,8", 3080},  {"30.8", 3080}, {"25", 2500},     {"0", 0},       {"100", 10000},
        {"22,50", 2250}, {"0,05", 5},    {"100,0", 10000}, {"100,5", -1},  {"101", -1},
        {"30,", -1},     {",8", -1},     {"30,855", -1},   {"", -1},       {"-5", -1},
        {"3O", -1},      {"30 ", -1},    {"1e1", -1},      {"30,8,1", -1}, {"12345", -1},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
        if (official_points(rows[k].in) != rows[k].out)
            fail_msg("'%s': got %d, expected %d", rows[k].in, official_points(rows[k].in),
                     rows[k].out);
}

/* Files that read whole: how many rows, and the values of the one probed. */
static void test_reads(void **state)
{
    static const struct {
        const char *what, *bytes;
        size_t rows;
        const char *nip; /* the row probed */
        int q, c, p, d, t, period;
        size_t line;
    } rows[] = {
        {"';', decimal comma, Windows-1252 name, CRLF",
         HEADER_SC "\r\n198001012005011001;Andr\xe9;20,0;30,8;20,0;4,0;74,8;2025;01-12-2025\r\n", 1,
         "198001012005011001", 2000, 3080, 2000, 400, 7480, 2025, 2},
        {"',', decimal point, UTF-8 with a BOM",
         "\xEF\xBB\xBF" HEADER_C "\n198001012005011001,Andr\xc3\xa9,20.0,30.8,20.0,4.0,74.8,2025,"
         "01-12-2025\n",
         1, "198001012005011001", 2000, 3080, 2000, 400, 7480, 2025, 2},
        {"a quoted name holding the separator and a quote",
         HEADER_SC "\r\n198001012005011001;\"Siregar; \"\"Ucok\"\"\";25;40;30;5;100;2025;\r\n"
                   "198002022005012002;B;5;0;0;5;10;2025;\r\n",
         2, "198002022005012002", 500, 0, 0, 500, 1000, 2025, 3},
        {"a trailing empty line",
         HEADER_SC "\r\n198001012005011001;A;20;15;25;5;65;2025;01-12-2025\r\n\r\n", 1,
         "198001012005011001", 2000, 1500, 2500, 500, 6500, 2025, 2},
        {"a total within 0.05 of the sum",
         HEADER_SC "\n198001012005011001;A;20;15,2;25;5;65,25;2025;\n", 1, "198001012005011001",
         2000, 1520, 2500, 500, 6525, 2025, 2},
        {"Excel's leading ' on the NIP, columns in another order",
         "TAHUN;NIP;TOTAL;KUALIFIKASI;KOMPETENSI;KINERJA;DISIPLIN\n"
         "2024;'198001012005011001;65;20;15;25;5\n",
         1, "198001012005011001", 2000, 1500, 2500, 500, 6500, 2024, 2},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct official_file f;
        struct error err = {""};
        const char *path = scratch_write("ok.csv", rows[k].bytes, strlen(rows[k].bytes));
        const struct official_row *o = NULL;

        assert_non_null(path);
        if (official_read(path, 0, &f, &err) != 0)
            fail_msg("%s: %s", rows[k].what, err.msg);
        if (f.n_rows != rows[k].rows || f.n_bad)
            fail_msg("%s: %zu rows, %zu bad (%s)", rows[k].what, f.n_rows, f.n_bad,
                     f.n_bad ? f.bad[0] : "");
        for (size_t i = 0; i < f.n_rows; i++)
            if (!strcmp(f.rows[i].nip, rows[k].nip))
                o = &f.rows[i];
        if (!o)
            fail_msg("%s: no row for %s", rows[k].what, rows[k].nip);
        assert_int_equal(o->qualification, rows[k].q);
        assert_int_equal(o->competency, rows[k].c);
        assert_int_equal(o->performance, rows[k].p);
        assert_int_equal(o->discipline, rows[k].d);
        assert_int_equal(o->total, rows[k].t);
        assert_int_equal(o->period, rows[k].period);
        assert_int_equal(o->line, rows[k].line);
        official_file_free(&f);
    }
}

static void test_dates(void **state)
{
    static const char bytes[] = HEADER_SC "\n198001012005011001;A;20;15;25;5;65;2025;23-12-2025\n"
                                          "198002022005012002;B;20;15;25;5;65;2025;\n";
    struct official_file f;
    struct error err = {""};
    const char *path = scratch_write("dates.csv", bytes, strlen(bytes));
    char day[16];

    (void)state;
    assert_int_equal(official_read(path, 0, &f, &err), 0);
    assert_int_equal(f.n_rows, 2);
    assert_string_equal(date_format(f.rows[0].updated, day, sizeof(day)), "2025-12-23");
    assert_int_equal(f.rows[1].updated, DATE_NONE);
    official_file_free(&f);
}

/* Each bad row set aside, named by its line; the good ones still load. */
static void test_bad_rows(void **state)
{
    static const struct {
        const char *row;
        int period; /* --period */
        const char *why;
    } rows[] = {
        {"19800101200501100;A;20;15;25;5;65;2025;", 0,
         ":3: NIP \"19800101200501100\": not 18 digits"},
        {"1980010120050110011;A;20;15;25;5;65;2025;", 0, "not 18 digits"},
        {"198013012005011001;A;20;15;25;5;65;2025;", 0, "NIP \"198013012005011001\""},
        {"198002022005012002;A;dua puluh;15;25;5;65;2025;", 0,
         ":3: kualifikasi \"dua puluh\" is not a number of points from 0 to 100"},
        {"198002022005012002;A;20;15;25;5;;2025;", 0, "total \"\" is not a number of points"},
        {"198002022005012002;A;20;15;25;5;65,1;2025;", 0,
         ":3: total 65.10 is not the sum of the four dimensions, 65.00"},
        {"198002022005012002;A;20;15;25;5;65;20X5;", 0, "tahun \"20X5\" is not a year"},
        {"198002022005012002;A;20;15;25;5;65;;", 0, "no tahun, and no --period to take"},
        {"198002022005012002;A;20;15;25;5;65;2024;", 2025, "tahun 2024 is not the period 2025"},
        {"198002022005012002;A;20;15;25;5;65;2025;31-02-2025", 0,
         "updated \"31-02-2025\" is not a date"},
        {"198001012005011001;A;20;15;25;5;65;2025;", 0,
         ":3: NIP 198001012005011001 for 2025 again, first on line 2"},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct official_file f;
        struct error err = {""};
        char bytes[512];
        const char *path;

        snprintf(bytes, sizeof(bytes),
                 HEADER_SC "\r\n198001012005011001;A;20;15;25;5;65;2025;\r\n%s\r\n"
                           "198003032005011003;C;10;0;0;5;15;2025;\r\n",
                 rows[k].row);
        path = scratch_write("bad.csv", bytes, strlen(bytes));
        assert_int_equal(official_read(path, rows[k].period, &f, &err), 0);
        if (f.n_bad != 1 || !strstr(f.bad[0], rows[k].why) || !strstr(f.bad[0], "bad.csv:3:"))
            fail_msg("row %zu: %zu bad, first '%s', expected '%s'", k, f.n_bad,
                     f.n_bad ? f.bad[0] : "", rows[k].why);
        assert_int_equal(f.n_rows, 2);
        official_file_free(&f);
    }
}

/* --period takes the place of an empty TAHUN. */
static void test_period_fills_tahun(void **state)
{
    static const char bytes[] = HEADER_SC "\n198001012005011001;A;20;15;25;5;65;;\n";
    struct official_file f;
    struct error err = {""};
    const char *path = scratch_write("period.csv", bytes, strlen(bytes));

    (void)state;
    assert_int_equal(official_read(path, 2024, &f, &err), 0);
    assert_int_equal(f.n_rows, 1);
    assert_int_equal(f.rows[0].period, 2024);
    official_file_free(&f);
}

static void test_refuses(void **state)
{
    static const struct {
        const char *bytes, *why;
    } rows[] = {
        {"NIP;NAMA;TOTAL\n198001012005011001;A;65\n", ":1: no column kualifikasi"},
        {"NIP;KUALIFIKASI;KOMPETENSI;KINERJA;DISIPLIN;TOTAL\n1;2;3;4;5;6\n", ":1: no column tahun"},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct official_file f;
        struct error err = {""};
        const char *path = scratch_write("no.csv", rows[k].bytes, strlen(rows[k].bytes));

        assert_int_equal(official_read(path, 0, &f, &err), -1);
        if (!strstr(err.msg, rows[k].why))
            fail_msg("row %zu: '%s'", k, err.msg);
        official_file_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_period_fills_tahun),
        cmocka_unit_test(test_refuses),
    };

    official_file_free(NULL);
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
