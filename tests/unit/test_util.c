/* util and model helpers: durations, numbers, text sanitizing, dates,
 * timestamps, hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

static void test_parse_duration(void **state)
{
    static const struct {
        const char *in;
        int ok;
        int64_t secs;
    } rows[] = {
        {"90", 1, 90},
        {"90s", 1, 90},
        {"15m", 1, 900},
        {"1h", 1, 3600},
        {"7d", 1, 604800},
        {"1h30m", 1, 5400},
        {"0", 1, 0},
        {"", 0, 0},
        {"abc", 0, 0},
        {"15x", 0, 0},
        {"-5m", 0, 0},
        {"1.5h", 0, 0},
        {" 15m", 0, 0},
        {"15m ", 0, 0},
        {"1h30", 0, 0},
        {"m", 0, 0},
        {"99999999999999999999d", 0, 0},
        {"106751991167301d", 0, 0},
        {"106751991167300d", 1, 9223372036854720000LL},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        int64_t v = -1;
        int r = parse_duration(rows[i].in, &v);

        if ((r == 0) != rows[i].ok)
            fail_msg("parse_duration(\"%s\") returned %d", rows[i].in, r);
        if (rows[i].ok)
            assert_int_equal(v, rows[i].secs);
    }
}

static void test_parse_numbers(void **state)
{
    int64_t v;
    double d;

    assert_int_equal(parse_int64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(parse_int64("101", 0, 100, &v), -1);
    assert_int_equal(parse_int64("4x", 0, 100, &v), -1);
    assert_int_equal(parse_int64("", 0, 100, &v), -1);
    assert_int_equal(parse_int64(" 4", 0, 100, &v), -1);
    assert_int_equal(parse_double("82.50", &d), 0);
    assert_true(d == 82.5);
    assert_int_equal(parse_double("nan", &d), -1);
    assert_int_equal(parse_double("inf", &d), -1);
    assert_int_equal(parse_double("1e999", &d), -1);
    assert_int_equal(parse_double("8,5", &d), -1);
}

static void test_text_strip_and_quote(void **state)
{
    char buf[64];

    text_strip(buf, sizeof(buf),
               "a\nb\tc\x1b[31md\x7f"
               "e\xc2\x85"
               "f");
    assert_string_equal(buf, "abc[31mdef");
    text_strip(buf, sizeof(buf), "Dinas P\xc3\xa9ndidikan");
    assert_string_equal(buf, "Dinas P\xc3\xa9ndidikan");
    text_quote(buf, sizeof(buf), "say \"hi\"\\\r\n");
    assert_string_equal(buf, "\"say \\\"hi\\\"\\\\\"");
    text_quote(buf, 8, "abcdefghij");
    assert_string_equal(buf, "\"abcde\"");
    text_quote(buf, sizeof(buf), NULL);
    assert_string_equal(buf, "\"\"");
    /* A multi-byte character that does not fit is left out whole. */
    text_strip(buf, 5, "abc\xc3\xa9");
    assert_string_equal(buf, "abc");
    text_strip(buf, 6, "abc\xc3\xa9");
    assert_string_equal(buf, "abc\xc3\xa9");
    text_quote(buf, 7, "abc\xe2\x82\xac");
    assert_string_equal(buf, "\"abc\"");
    text_quote(buf, 9, "abc\xe2\x82\xac");
    assert_string_equal(buf, "\"abc\xe2\x82\xac\"");
}

static void test_dates(void **state)
{
    page_free(NULL); /* a no-op */
    static const struct {
        const char *in;
        enum date_parse r;
        int y, m, d;
    } rows[] = {
        {"2020-12-31", DATE_PARSED, 2020, 12, 31},
        {"31-12-2020", DATE_PARSED, 2020, 12, 31},
        {"2020-02-29", DATE_PARSED, 2020, 2, 29},
        {"2020-01-01T00:00:00Z", DATE_PARSED, 2020, 1, 1},
        {"2020-01-01 00:00:00", DATE_PARSED, 2020, 1, 1},
        {"", DATE_EMPTY, 0, 0, 0},
        {"0001-01-01", DATE_EMPTY, 0, 0, 0},
        {"01-01-0001", DATE_EMPTY, 0, 0, 0},
        {"2019-02-29", DATE_BAD, 0, 0, 0},
        {"2020-13-01", DATE_BAD, 0, 0, 0},
        {"31-02-2020", DATE_BAD, 0, 0, 0},
        {"2020/01/01", DATE_BAD, 0, 0, 0},
        {"20200101", DATE_BAD, 0, 0, 0},
        {"2020-1-1", DATE_BAD, 0, 0, 0},
        {"2020-01-01x", DATE_BAD, 0, 0, 0},
        {"abcd-ef-gh", DATE_BAD, 0, 0, 0},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        date_t day;
        enum date_parse r = date_parse(rows[i].in, &day);

        if (r != rows[i].r)
            fail_msg("date_parse(\"%s\") = %d, expected %d", rows[i].in, r, rows[i].r);
        if (r == DATE_PARSED) {
            int y, m, d;

            date_to_ymd(day, &y, &m, &d);
            assert_int_equal(y, rows[i].y);
            assert_int_equal(m, rows[i].m);
            assert_int_equal(d, rows[i].d);
        } else {
            assert_int_equal(day, DATE_NONE);
        }
    }
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2);
    assert_int_equal(date_year(date_from_ymd(1999, 12, 31)), 1999);
    assert_int_equal(date_year(DATE_NONE), YEAR_NONE);
    /* Round trip over a range of days. */
    for (date_t d = date_from_ymd(1900, 1, 1); d < date_from_ymd(2101, 1, 1); d += 7) {
        int y, m, dd;

        date_to_ymd(d, &y, &m, &dd);
        assert_int_equal(date_from_ymd(y, m, dd), d);
    }
    char buf[16];
    assert_string_equal(date_format(date_from_ymd(2025, 12, 23), buf, sizeof(buf)), "2025-12-23");
}

static void test_timestamps(void **state)
{
    int64_t t;
    char buf[32];

    assert_int_equal(timestamp_parse("2025-12-15T03:10:00Z", &t), 0);
    assert_string_equal(timestamp_format(t, buf, sizeof(buf)), "2025-12-15T03:10:00Z");
    assert_int_equal(timestamp_parse("2025-12-15T10:10:00+07:00", &t), 0);
    assert_string_equal(timestamp_format(t, buf, sizeof(buf)), "2025-12-15T03:10:00Z");
    assert_int_equal(timestamp_parse("2025-12-15T03:10:00.123Z", &t), 0);
    assert_int_equal(timestamp_parse("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(timestamp_parse("2025-12-15", &t), -1);
    assert_int_equal(timestamp_parse("2025-12-15T03:10:00", &t), -1);
    assert_int_equal(timestamp_parse("2025-12-15T25:10:00Z", &t), -1);
    assert_int_equal(timestamp_parse("2025-02-30T03:10:00Z", &t), -1);
    assert_int_equal(timestamp_parse("2025-12-15T03:10:00Zjunk", &t), -1);
}

/* The contract's lists are sorted (they are searched so), and say what is
 * kept and what never is. */
static void test_contract(void **state)
{
    struct strbuf top = {0}, nested = {0};
    char *prev = NULL, *tok, *save = NULL;

    contract_literals(&top, &nested);
    assert_int_equal(top.s[0], '{');
    top.s[top.len - 1] = '\0';
    for (tok = strtok_r(top.s + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (prev && strcmp(prev, tok) >= 0)
            fail_msg("the contract's fields are not sorted at %s, %s", prev, tok);
        prev = tok;
    }
    assert_non_null(strstr(nested.s, "rwKursus.jenisDiklatId"));
    nested.s[nested.len - 1] = '\0';
    prev = NULL;
    for (tok = strtok_r(nested.s + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t part = strcspn(tok, ".");

        if (prev && strncmp(prev, tok, part) == 0 && prev[part] == '.' && strcmp(prev, tok) >= 0)
            fail_msg("the fields of a part are not sorted at %s, %s", prev, tok);
        prev = tok;
    }
    assert_true(contract_field(NULL, "nipBaru"));
    assert_true(contract_field(NULL, "tglLahir")); /* the checks need it */
    assert_false(contract_field(NULL, "nik"));
    assert_true(contract_part("rwSkp22"));
    assert_false(contract_part("nama"));
    assert_true(contract_field("rwSkp22", "KuadranKinerjaNilai"));
    assert_false(contract_field("rwKursus", "path"));
    assert_false(contract_field("nosuchpart", "id"));
    for (const char *const *k =
             (const char *const[]){"nik", "alamat", "noHp", "email", "noNpwp", "nomorKk", NULL};
         *k; k++) {
        assert_true(contract_personal(*k));
        assert_false(contract_field(NULL, *k));
    }
    assert_false(contract_personal("nama"));
    strbuf_free(&top);
    strbuf_free(&nested);
}

static void test_hash(void **state)
{
    assert_true(hash64("a", 1, HASH64_INIT) != hash64("b", 1, HASH64_INIT));
    assert_true(hash64("ab", 2, HASH64_INIT) == hash64("b", 1, hash64("a", 1, HASH64_INIT)));
    /* FNV-1a 64 of "a", a published test vector. */
    assert_true(hash64("a", 1, HASH64_INIT) == 0xaf63dc4c8601ec8cULL);
}

static void test_thousands(void **state)
{
    static const struct {
        long long v;
        const char *out;
    } rows[] = {{0, "0"},          {999, "999"},        {1000, "1,000"},
                {10234, "10,234"}, {100000, "100,000"}, {1234567, "1,234,567"},
                {-1234, "-1,234"}, {-999, "-999"}};
    char buf[32];

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        assert_string_equal(fmt_thousands(buf, sizeof(buf), rows[i].v), rows[i].out);
}

static void test_strbuf(void **state)
{
    struct strbuf b = {0};

    for (int i = 0; i < 1000; i++)
        strbuf_append(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.s));
    assert_memory_equal(b.s, "0,1,2,", 6);
    strbuf_addn(&b, "xyz", 2);
    assert_int_equal(b.s[b.len - 1], 'y');
    strbuf_free(&b);
    assert_null(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_text_strip_and_quote),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_contract),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_thousands),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
