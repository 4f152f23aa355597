/* siasn_roster: Export Data ASN as the roster: columns by name, Excel's '
 * and null, NIPs not 18 digits and repeated NIPs set aside with their
 * lines, a missing nip_baru column refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scratch.h"
#include "siasn_roster.h"

/* The roster file with text; its path. */
static const char *write_file(const char *text)
{
    const char *path = scratch_write("roster.csv", text, strlen(text));

    assert_non_null(path);
    return path;
}

static void test_reads(void **state)
{
    struct siasn_roster *r;
    struct error err = {""};

    (void)state;
    /* ';', CRLF, columns in another order and case, a NIP with ', null. */
    assert_int_equal(
        siasn_roster_read(write_file("\xEF\xBB\xBFNama;Unor_ID;NIP_BARU;status_cpns_pns;"
                                     "kedudukan_hukum_id\r\n"
                                     "Ani;U1;'199001012015031001;P;'01\r\n"
                                     "Budi;null;199102022016031002;null;null\r\n"
                                     "Cici;U3;19910202201603100;C;01\r\n"
                                     "Dedi;U4;'199001012015031001;P;01\r\n"
                                     "Eka;U5;1991020220160310AB;P;01\r\n"
                                     "Fani;U6;199303032019032003;C;01\r\n"
                                     "Gita;U7;199001012015031001;P;01\r\n"),
                          1 << 20, &r, &err),
        0);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->entries[0].nip, "199001012015031001");
    assert_string_equal(r->entries[0].nama, "Ani");
    assert_string_equal(r->entries[0].unor_id, "U1");
    assert_string_equal(r->entries[0].kedudukan_hukum_id, "01");
    assert_string_equal(r->entries[0].unor_nama, ""); /* no such column */
    assert_int_equal(r->line[0], 2);
    assert_string_equal(r->entries[1].nip, "199102022016031002");
    assert_string_equal(r->entries[1].unor_id, "");
    assert_string_equal(r->entries[1].status_cpns_pns, "");
    assert_string_equal(r->entries[2].nip, "199303032019032003");
    assert_int_equal(r->line[2], 7);
    assert_int_equal(r->n_bad, 4);
    assert_int_equal(r->bad[0].line, 4);
    assert_string_equal(r->bad[0].why, "not 18 digits");
    assert_int_equal(r->bad[1].line, 6);
    assert_string_equal(r->bad[1].nip, "1991020220160310AB");
    assert_int_equal(r->bad[2].line, 5);
    assert_string_equal(r->bad[2].why, "again, first on line 2");
    assert_int_equal(r->bad[3].line, 8);
    assert_string_equal(r->bad[3].why, "again, first on line 2");
    siasn_roster_free(r);
}

static void test_refuses(void **state)
{
    struct siasn_roster *r = (struct siasn_roster *)1;
    struct error err = {""};

    (void)state;
    assert_int_equal(
        siasn_roster_read(write_file("nip,nama\n199001012015031001,Ani\n"), 1 << 20, &r, &err), -1);
    assert_null(r);
    assert_non_null(strstr(err.msg, "roster.csv:1: no nip_baru column"));
    assert_int_equal(siasn_roster_read(write_file("nip_baru,nama\n1,\"Ani\n"), 1 << 20, &r, &err),
                     -1);
    assert_non_null(strstr(err.msg, "roster.csv:2: "));
    siasn_roster_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_refuses),
    };

    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
