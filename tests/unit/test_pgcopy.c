/* pgcopy: COPY's text and binary encoders, byte for byte, against the
 * formats PostgreSQL documents (COPY, and numeric_send / date_send /
 * timestamp_send for the binary values), and the array literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "pgcopy.h"

/* b holds exactly the n bytes of want. */
static void expect_bytes(struct strbuf *b, const char *want, size_t n)
{
    if (b->len != n || memcmp(b->s, want, n) != 0) {
        fprintf(stderr, "got %zu bytes:", b->len);
        for (size_t i = 0; i < b->len; i++)
            fprintf(stderr, " %02x", (unsigned char)b->s[i]);
        fprintf(stderr, "\nwant %zu bytes:", n);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %02x", (unsigned char)want[i]);
        fprintf(stderr, "\n");
        fail();
    }
    b->len = 0;
}

#define EXPECT(b, lit) expect_bytes((b), (lit), sizeof(lit) - 1)

static void test_text_fields(void **state)
{
    struct strbuf b = {0};

    pg_text(&b, "Dinas Kesehatan");
    EXPECT(&b, "Dinas Kesehatan\t");
    pg_text(&b, NULL);
    EXPECT(&b, "\\N\t");
    pg_text(&b, "");
    EXPECT(&b, "\t");
    /* backslash, tab, newline and carriage return are escaped, nothing else */
    pg_text(&b, "a\\b\tc\nd\re\"f'");
    EXPECT(&b, "a\\\\b\\tc\\nd\\re\"f'\t");
    pg_int(&b, 0);
    pg_int(&b, -42);
    pg_int(&b, INT64_MIN);
    EXPECT(&b, "0\t-42\t-9223372036854775808\t");
    pg_bool(&b, true);
    pg_bool(&b, false);
    EXPECT(&b, "t\tf\t");
    pg_tenths(&b, 225);
    pg_tenths(&b, 0);
    pg_tenths(&b, 400);
    pg_tenths(&b, -5);
    EXPECT(&b, "22.5\t0.0\t40.0\t-0.5\t");
    pg_hundredths(&b, 7410);
    pg_hundredths(&b, 5);
    pg_hundredths(&b, -85);
    EXPECT(&b, "74.10\t0.05\t-0.85\t");
    pg_date_text(&b, date_from_ymd(2025, 12, 23));
    pg_date_text(&b, DATE_NONE);
    EXPECT(&b, "2025-12-23\t\\N\t");
    pg_text(&b, "x");
    pg_int(&b, 1);
    pg_end_row(&b);
    EXPECT(&b, "x\t1\n");
    pg_digits(&b, -7);
    EXPECT(&b, "-7");
    strbuf_free(&b);
}

static void test_binary_fields(void **state)
{
    struct strbuf b = {0};

    pg_bin_fields(&b, 33);
    EXPECT(&b, "\x00\x21");
    pg_bin_null(&b);
    EXPECT(&b, "\xff\xff\xff\xff");
    pg_bin_text(&b, "abc");
    EXPECT(&b, "\x00\x00\x00\x03"
               "abc");
    pg_bin_text(&b, "");
    EXPECT(&b, "\x00\x00\x00\x00");
    pg_bin_text(&b, NULL);
    EXPECT(&b, "\xff\xff\xff\xff");
    pg_bin_int(&b, 258, 2);
    EXPECT(&b, "\x00\x00\x00\x02\x01\x02");
    pg_bin_int(&b, -2, 4);
    EXPECT(&b, "\x00\x00\x00\x04\xff\xff\xff\xfe");
    pg_bin_int(&b, 0x0102030405060708LL, 8);
    EXPECT(&b, "\x00\x00\x00\x08\x01\x02\x03\x04\x05\x06\x07\x08");
    pg_bin_int_or_null(&b, 0, 0, 4);
    pg_bin_int_or_null(&b, 2020, 0, 4);
    EXPECT(&b, "\xff\xff\xff\xff\x00\x00\x00\x04\x00\x00\x07\xe4");
    pg_bin_bool(&b, true);
    pg_bin_bool(&b, false);
    EXPECT(&b, "\x00\x00\x00\x01\x01\x00\x00\x00\x01\x00");
    /* dates count days from 2000-01-01 */
    pg_bin_date(&b, date_from_ymd(2000, 1, 1));
    pg_bin_date(&b, date_from_ymd(1999, 12, 31));
    pg_bin_date(&b, date_from_ymd(2000, 2, 1));
    pg_bin_date(&b, DATE_NONE);
    EXPECT(&b, "\x00\x00\x00\x04\x00\x00\x00\x00"
               "\x00\x00\x00\x04\xff\xff\xff\xff"
               "\x00\x00\x00\x04\x00\x00\x00\x1f"
               "\xff\xff\xff\xff");
    /* times count microseconds from 2000-01-01 00:00 UTC; 0 is none */
    pg_bin_time(&b, 946684801);
    pg_bin_time(&b, 0);
    EXPECT(&b, "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x0f\x42\x40\xff\xff\xff\xff");
    strbuf_free(&b);
}

/* numeric_send: ndigits, weight, sign, dscale, then base-10000 digits. */
static void test_binary_numeric(void **state)
{
    struct strbuf b = {0};

    pg_bin_hundredths(&b, 2250); /* 22.50: 22 and 5000, weight 0 */
    EXPECT(&b, "\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00\x02\x00\x16\x13\x88");
    pg_bin_hundredths(&b, 1); /* 0.01: one digit 100 after the point */
    EXPECT(&b, "\x00\x00\x00\x0a\x00\x01\xff\xff\x00\x00\x00\x02\x00\x64");
    pg_bin_hundredths(&b, -1); /* -0.01 */
    EXPECT(&b, "\x00\x00\x00\x0a\x00\x01\xff\xff\x40\x00\x00\x02\x00\x64");
    pg_bin_hundredths(&b, 1000001); /* 10000.01: 1, 0000 and 100, weight 1 */
    EXPECT(&b, "\x00\x00\x00\x0e\x00\x03\x00\x01\x00\x00\x00\x02\x00\x01\x00\x00\x00\x64");
    pg_bin_hundredths(&b, 999999); /* 9999.99 */
    EXPECT(&b, "\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00\x02\x27\x0f\x26\xac");
    pg_bin_hundredths(&b, 0); /* a zero fraction digit, which numeric_recv strips */
    EXPECT(&b, "\x00\x00\x00\x0a\x00\x01\xff\xff\x00\x00\x00\x02\x00\x00");
    pg_bin_tenths_or_null(&b, 225); /* 22.5 as 22.50 */
    EXPECT(&b, "\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00\x02\x00\x16\x13\x88");
    pg_bin_tenths_or_null(&b, -1);
    EXPECT(&b, "\xff\xff\xff\xff");
    /* a score rounds as "%.2f" does; outside numeric(7,2) it is NULL */
    pg_bin_numeric2(&b, 91.2);
    EXPECT(&b, "\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00\x02\x00\x5b\x07\xd0");
    pg_bin_numeric2(&b, 82.505); /* 82.50499... in binary: 82.50 */
    EXPECT(&b, "\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00\x02\x00\x52\x13\x88");
    pg_bin_numeric2(&b, -12.345); /* -12.34500...1 in binary: -12.35 */
    EXPECT(&b, "\x00\x00\x00\x0c\x00\x02\x00\x00\x40\x00\x00\x02\x00\x0c\x0d\xac");
    pg_bin_numeric2(&b, 1e9);
    EXPECT(&b, "\xff\xff\xff\xff");
    strbuf_free(&b);
}

static void test_binary_array(void **state)
{
    const uint64_t v[] = {1, UINT64_MAX};
    struct strbuf b = {0};

    pg_bin_int8_array(&b, v, 2);
    EXPECT(&b, "\x00\x00\x00\x2c"                 /* 20 + 12 * 2 bytes */
               "\x00\x00\x00\x01"                 /* one dimension */
               "\x00\x00\x00\x00"                 /* no NULL */
               "\x00\x00\x00\x14"                 /* element type: int8 (OID 20) */
               "\x00\x00\x00\x02\x00\x00\x00\x01" /* length 2, lower bound 1 */
               "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x01"
               "\x00\x00\x00\x08\xff\xff\xff\xff\xff\xff\xff\xff");
    strbuf_free(&b);
}

static void test_array_literals(void **state)
{
    struct strbuf b = {0};

    pg_array_close(&b);
    EXPECT(&b, "{}");
    pg_array_sep(&b);
    pg_array_plain(&b, "198804122014031002");
    pg_array_sep(&b);
    pg_array_text(&b, "a \"q\" \\ b");
    pg_array_sep(&b);
    pg_array_text(&b, "");
    pg_array_close(&b);
    EXPECT(&b, "{198804122014031002,\"a \\\"q\\\" \\\\ b\",\"\"}");
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_fields),    cmocka_unit_test(test_binary_fields),
        cmocka_unit_test(test_binary_numeric), cmocka_unit_test(test_binary_array),
        cmocka_unit_test(test_array_literals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
