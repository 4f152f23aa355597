/* csvfile: BKN's CSV exports as they come: BOM, ',' or ';', UTF-8 or
 * Windows-1252, CRLF, quoted fields, trailing empty lines, line numbers in
 * errors, and the leading ' and null of Export Data ASN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvfile.h"
#include "scratch.h"

/* A file that reads: separator, encoding, shape, three probed fields. */
static void test_reads(void **state)
{
    static const struct {
        const char *what, *bytes;
        char sep;
        bool cp1252;
        size_t columns, rows, line_of_last;
        const char *col, *last_value; /* column col of the last row */
    } rows[] = {
        {"plain, LF", "nip_baru,nama\n1,Ani\n2,Budi\n", ',', false, 2, 2, 3, "nama", "Budi"},
        {"no final newline", "nip_baru,nama\n1,Ani\n2,Budi", ',', false, 2, 2, 3, "nama", "Budi"},
        {"CRLF and trailing empty lines", "nip_baru,nama\r\n1,Ani\r\n2,Budi\r\n\r\n\r\n", ',',
         false, 2, 2, 3, "nama", "Budi"},
        {"BOM", "\xEF\xBB\xBFnip_baru,nama\r\n1,Ani\r\n", ',', false, 2, 1, 2, "nip_baru", "1"},
        {"';' from the header", "nip_baru;nama;unor_nama\n1;Ani;Dinas A, B\n", ';', false, 3, 1, 2,
         "unor_nama", "Dinas A, B"},
        {"',' though a value holds ';'", "nip_baru,nama\n1,\"a;b;c;d\"\n", ',', false, 2, 1, 2,
         "nama", "a;b;c;d"},
        {"quoted separator, quote and line break", "a,b\n1,\"x, \"\"y\"\"\nz\"\n2,w\n", ',', false,
         2, 2, 4, "a", "2"},
        {"a quoted field's line is where it starts", "a,b\n\"1\n\n\",x\n", ',', false, 2, 1, 2, "b",
         "x"},
        {"blank line inside: the line numbers still count it", "a,b\n1,x\n\n2,y\n", ',', false, 2,
         2, 4, "b", "y"},
        {"UTF-8 kept", "nama\nSiti Nur\xC3\xA2ini\n", ',', false, 1, 1, 2, "nama",
         "Siti Nur\xC3\xA2ini"},
        {"Windows-1252 converted", "nama;kota\nSiti Nur\xE2ini;Banjarbaru \x96 Kota\n", ';', true,
         2, 1, 2, "kota", "Banjarbaru \xE2\x80\x93 Kota"},
        {"a short row", "a,b,c\n1,2\n", ',', false, 3, 1, 2, "c", ""},
        {"header only", "nip_baru,nama\r\n", ',', false, 2, 0, 0, NULL, NULL},
        {"header matched without case, blanks as _", " Nip Baru ,NAMA\n'1,x\n", ',', false, 2, 1, 2,
         "nip_baru", "'1"},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct csvfile *f = NULL;
        struct error err = {""};
        const char *path = scratch_write("ok.csv", rows[k].bytes, strlen(rows[k].bytes));

        assert_non_null(path);

        if (csvfile_read(path, 1 << 20, &f, &err) != 0)
            fail_msg("%s: %s", rows[k].what, err.msg);
        assert_int_equal(f->separator, rows[k].sep);
        assert_int_equal(f->windows_1252, rows[k].cp1252);
        assert_int_equal(f->n_columns, rows[k].columns);
        assert_int_equal(f->n_rows, rows[k].rows);
        if (rows[k].col) {
            int c = csvfile_column(f, rows[k].col);

            assert_true(c >= 0);
            assert_int_equal(f->rows[f->n_rows - 1].line, rows[k].line_of_last);
            assert_string_equal(csvfile_field(f, f->n_rows - 1, c), rows[k].last_value);
        }
        csvfile_free(f);
    }
}

static void test_quoted_field_text(void **state)
{
    static const char bytes[] = "a,b\n1,\"x, \"\"y\"\"\r\nz\"\n";
    const char *path = scratch_write("q.csv", bytes, sizeof(bytes) - 1);
    struct csvfile *f = NULL;
    struct error err = {""};

    (void)state;
    assert_non_null(path);
    assert_int_equal(csvfile_read(path, 4096, &f, &err), 0);
    assert_string_equal(csvfile_field(f, 0, 1), "x, \"y\"\r\nz");
    assert_string_equal(csvfile_field(f, 0, 5), "");
    assert_string_equal(csvfile_field(f, 1, 0), "");
    assert_string_equal(csvfile_field(f, 0, -1), "");
    assert_int_equal(csvfile_column(f, "c"), -1);
    assert_int_equal(csvfile_column(f, "A"), 0);
    csvfile_free(f);
}

/* Files that do not read, and what the error says. */
static void test_refuses(void **state)
{
    static const struct {
        const char *what, *bytes;
        size_t len; /* 0: strlen */
        size_t max;
        const char *says;
    } rows[] = {
        {"empty", "", 0, 4096, "ok.csv: no header line"},
        {"only blank lines", "\r\n\n", 0, 4096, "no header line"},
        {"too many fields", "a,b\n1,2\n1,2,3\n", 0, 4096, "ok.csv:3: 3 fields, the header has 2"},
        {"an open quote at the end", "a,b\n1,\"2\n3\n", 0, 4096, "ok.csv:2: "},
        {"a quote inside an unquoted field", "a,b\n1,2\n3,x\"y\n", 0, 4096, "ok.csv:3: "},
        {"a NUL byte", "a,b\n1,2\n3,\0\n", 12, 4096, "ok.csv:3: a NUL byte"},
        {"a byte Windows-1252 leaves undefined", "a,b\n1,2\n3,\xE9\n4,\x81\n", 0, 4096,
         "ok.csv:4: neither UTF-8 nor Windows-1252 (byte 0x81)"},
        {"over the size limit", "a,b\n1,2\n", 0, 5, "larger than 5 bytes"},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct csvfile *f = (struct csvfile *)1;
        struct error err = {""};
        size_t len = rows[k].len ? rows[k].len : strlen(rows[k].bytes);
        const char *path = scratch_write("ok.csv", rows[k].bytes, len);

        assert_non_null(path);

        if (csvfile_read(path, rows[k].max, &f, &err) == 0)
            fail_msg("%s: read", rows[k].what);
        assert_null(f);
        if (!strstr(err.msg, rows[k].says))
            fail_msg("%s: '%s' lacks '%s'", rows[k].what, err.msg, rows[k].says);
    }
}

static void test_not_a_regular_file(void **state)
{
    char path[256];
    struct csvfile *f;
    struct error err = {""};

    (void)state;
    snprintf(path, sizeof(path), "%s/fifo", scratch_dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(csvfile_read(path, 4096, &f, &err), -1);
    assert_non_null(strstr(err.msg, "FIFO"));
    unlink(path);
    assert_int_equal(csvfile_read(scratch_dir, 4096, &f, &err), -1);
    assert_non_null(strstr(err.msg, "directory"));
    snprintf(path, sizeof(path), "%s/none.csv", scratch_dir);
    assert_int_equal(csvfile_read(path, 4096, &f, &err), -1);
    assert_non_null(strstr(err.msg, "No such file"));
}

static void test_value(void **state)
{
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"'199001012015031001", "199001012015031001"},
        {"199001012015031001", "199001012015031001"},
        {"''01", "'01"},
        {"null", ""},
        {"NULL", ""},
        {"'null", ""},
        {"nullx", "nullx"},
        {"", ""},
        {"'", ""},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
        assert_string_equal(csvfile_value(rows[k].in), rows[k].out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads),   cmocka_unit_test(test_quoted_field_text),
        cmocka_unit_test(test_refuses), cmocka_unit_test(test_not_a_regular_file),
        cmocka_unit_test(test_value),
    };

    csvfile_free(NULL);
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
