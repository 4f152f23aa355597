/* record_keep: the contract's members cut out of a record's text, byte for
 * byte as received, whatever stands between them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record_keep.h"

struct out {
    char buf[4096];
    size_t len;
    int calls;
};

static int take(const char *b, size_t n, void *data)
{
    struct out *o = data;

    assert_true(o->len + n < sizeof(o->buf));
    memcpy(o->buf + o->len, b, n);
    o->len += n;
    o->buf[o->len] = '\0';
    o->calls++;
    return 0;
}

static int refuse(const char *b, size_t n, void *data)
{
    (void)b, (void)n, (void)data;
    return 1;
}

static void expect_cut(const char *in, size_t rest, const char *want)
{
    struct out o = {.len = 0};

    assert_int_equal(record_keep(in, strlen(in), rest, take, &o), 0);
    assert_string_equal(o.buf, want);
}

static void contract_only_is_copied_in_one_piece(void **state)
{
    const char *in = "{\"nipBaru\":\"198804122014031002\",\"nama\":\"A\",\"rwSkp\":[{\"id\":\"1\","
                     "\"tahun\":2025}]}";
    struct out o = {.len = 0};

    (void)state;
    assert_int_equal(record_keep(in, strlen(in), 0, take, &o), 0);
    assert_string_equal(o.buf, in);
    assert_int_equal(o.calls, 2); /* the opening brace, then the rest as one run */
}

static void personal_members_are_cut_wherever_they_stand(void **state)
{
    (void)state;
    expect_cut(
        "{\"nik\":\"3201\",\"nama\":\"A\",\"alamat\":\"Jl. X\",\"nipBaru\":\"1\",\"noHp\":\"08\"}",
        0, "{\"nama\":\"A\",\"nipBaru\":\"1\"}");
    expect_cut("{\"nama\":\"A\",\"email\":\"a@b\"}", 0, "{\"nama\":\"A\"}");
}

static void whitespace_between_members_is_dropped(void **state)
{
    (void)state;
    expect_cut("{ \"nama\" : \"A\" ,\n \"nik\": 1,\t\"nipBaru\":\"1\" }", 0,
               "{\"nama\":\"A\",\"nipBaru\":\"1\"}");
}

static void histories_keep_their_own_fields(void **state)
{
    (void)state;
    expect_cut(
        "{\"rwSkp\":[{\"id\":\"1\",\"atasan\":\"X\",\"tahun\":2025},{\"atasan\":\"Y\",\"id\":\"2\"}"
        "],"
        "\"ipAsn\":{\"total\":81.5,\"catatan\":\"z\"}}",
        0, "{\"rwSkp\":[{\"id\":\"1\",\"tahun\":2025},{\"id\":\"2\"}],\"ipAsn\":{\"total\":81.5}}");
    expect_cut("{\"rwSkp\" : [ { \"id\" : \"1\" } , { \"id\" : \"2\" } ]}", 0,
               "{\"rwSkp\":[{\"id\":\"1\"},{\"id\":\"2\"}]}");
}

static void numbers_and_escapes_stay_as_written(void **state)
{
    (void)state;
    expect_cut("{\"ipAsn\":{\"total\":87.460},\"nama\":\"A\\\"B\\u00e9\",\"x\":[1,{\"y\":\"}\"}]}",
               0, "{\"ipAsn\":{\"total\":87.460},\"nama\":\"A\\\"B\\u00e9\"}");
}

static void the_rest_is_bounded_and_never_personal(void **state)
{
    (void)state;
    expect_cut("{\"nama\":\"A\",\"extra\":\"12345\",\"nik\":\"1\",\"more\":\"123456789\"}", 16,
               "{\"nama\":\"A\",\"extra\":\"12345\"}");
}

static void escaped_keys_and_non_objects_are_declined(void **state)
{
    struct out o = {.len = 0};
    const char *esc = "{\"n\\u0061ma\":\"A\"}";

    (void)state;
    assert_int_equal(record_keep(esc, strlen(esc), 0, take, &o), 1);
    assert_int_equal(record_keep("[1]", 3, 0, take, &o), 1);
    assert_int_equal(record_keep("{\"nama\":\"A\"}", 12, 0, refuse, &o), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contract_only_is_copied_in_one_piece),
        cmocka_unit_test(personal_members_are_cut_wherever_they_stand),
        cmocka_unit_test(whitespace_between_members_is_dropped),
        cmocka_unit_test(histories_keep_their_own_fields),
        cmocka_unit_test(numbers_and_escapes_stay_as_written),
        cmocka_unit_test(the_rest_is_bounded_and_never_personal),
        cmocka_unit_test(escaped_keys_and_non_objects_are_declined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
