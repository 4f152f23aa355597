/* siasn_decode: what each WS SIASN answer means (siasn-api.md §4), and one
 * employee's eight answers assembled into the listing's record, decoded by
 * simpeg.c into the same employee the listing gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"
#include "siasn_decode.h"
#include "simpeg.h"

static void test_classify(void **state)
{
    static const struct {
        enum siasn_call call;
        long status;
        const char *body;
        enum siasn_answer want;
    } rows[] = {
        {SIASN_DATA_UTAMA, 200, "{\"code\":1,\"data\":{\"nipBaru\":\"1\"}}", SIASN_OK},
        {SIASN_DATA_UTAMA, 200, "{\"code\":\"1\",\"data\":{\"nipBaru\":\"1\"}}", SIASN_OK},
        {SIASN_RW_SKP, 200, "{\"code\":1,\"count\":1,\"data\":[{\"id\":\"a\"}]}", SIASN_OK},
        {SIASN_RW_SKP, 200, "{\"code\":1,\"data\":[]}", SIASN_OK},
        {SIASN_NILAIIPASN, 200, "{\"code\":1,\"data\":{\"subtotal\":80}}", SIASN_OK},
        {SIASN_NILAIIPASN, 200, "{\"code\":1,\"data\":[{\"subtotal\":80}]}", SIASN_OK},
        /* the shapes of nothing */
        {SIASN_RW_DIKLAT, 404, "{\"code\":0,\"data\":\"Data tidak ditemukan\"}", SIASN_EMPTY},
        {SIASN_DATA_UTAMA, 404, "{\"code\":0,\"data\":\"Data tidak ditemukan\"}", SIASN_EMPTY},
        {SIASN_RW_HUKDIS, 200, "{\"code\":0,\"data\":\"Data tidak ditemukan\"}", SIASN_EMPTY},
        {SIASN_RW_HUKDIS, 200, "{\"code\":0,\"data\":\"record not found\"}", SIASN_EMPTY},
        {SIASN_NILAIIPASN, 200, "{\"code\":1,\"data\":null}", SIASN_EMPTY},
        {SIASN_NILAIIPASN, 200, "{\"code\":1}", SIASN_EMPTY},
        /* refusals and throttles */
        {SIASN_RW_SKP, 401, "{\"message\":\"invalid or expired jwt\"}", SIASN_APIM_REFUSED},
        {SIASN_RW_SKP, 401, "{\"code\":\"900901\",\"message\":\"Invalid Credentials\"}",
         SIASN_APIM_REFUSED},
        {SIASN_RW_SKP, 401, "", SIASN_APIM_REFUSED},
        {SIASN_RW_SKP, 200, "{\"code\":0,\"data\":\"Token SSO mismatch\"}", SIASN_SSO_REFUSED},
        {SIASN_RW_SKP, 400, "{\"code\":0,\"data\":\"Token SSO mismatch\"}", SIASN_SSO_REFUSED},
        {SIASN_RW_SKP, 429, "{\"code\":\"900800\",\"message\":\"Message throttled out\"}",
         SIASN_THROTTLED},
        {SIASN_RW_SKP, 503, "{\"code\":900803,\"message\":\"Message throttled out\"}",
         SIASN_THROTTLED},
        {SIASN_RW_SKP, 429, "", SIASN_THROTTLED},
        {SIASN_RW_SKP, 503,
         "{\"code\":\"303001\",\"message\":\"Runtime Error\",\"description\":\"[ State : SUSPENDED "
         "]\"}",
         SIASN_SUSPENDED},
        {SIASN_RW_SKP, 500,
         "{\"Error\":\"x\",\"Message\":\"Runtime Error\",\"Description\":\"State : SUSPENDED\"}",
         SIASN_SUSPENDED},
        {SIASN_RW_SKP, 500, "{\"code\":\"101503\",\"message\":\"Runtime Error\"}", SIASN_TRANSIENT},
        {SIASN_RW_SKP, 502, "<html>bad gateway</html>", SIASN_TRANSIENT},
        {SIASN_RW_SKP, 200, "", SIASN_TRANSIENT},
        {SIASN_RW_SKP, 0, "", SIASN_TRANSIENT},
        /* a wrong base or path */
        {SIASN_RW_SKP, 404, "{\"code\":\"404\",\"message\":\"Not Found\"}", SIASN_WRONG_PATH},
        {SIASN_RW_SKP, 404, "<html>not found</html>", SIASN_WRONG_PATH},
        {SIASN_RW_SKP, 404, "", SIASN_WRONG_PATH},
        /* malformed */
        {SIASN_RW_SKP, 200, "{\"code\":1,\"data\":{\"id\":\"a\"}}", SIASN_MALFORMED},
        {SIASN_DATA_UTAMA, 200, "{\"code\":1,\"data\":[]}", SIASN_MALFORMED},
        {SIASN_DATA_UTAMA, 200, "{\"code\":0,\"data\":\"Terjadi kesalahan\"}", SIASN_MALFORMED},
        {SIASN_DATA_UTAMA, 200, "{\"code\":1,\"data\":{\"a\":1},\"data\":{}}", SIASN_MALFORMED},
        {SIASN_DATA_UTAMA, 200, "{\"code\":1,\"data\":{\"a\"", SIASN_MALFORMED},
        {SIASN_DATA_UTAMA, 200, "[1,2]", SIASN_MALFORMED},
        {SIASN_DATA_UTAMA, 403, "{\"code\":0,\"data\":\"Forbidden\"}", SIASN_MALFORMED},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        struct error err = {""};
        enum siasn_answer a =
            siasn_classify(rows[k].call, rows[k].status, rows[k].body, strlen(rows[k].body), &err);

        if (a != rows[k].want)
            fail_msg("row %zu (%ld %s): %d, want %d (%s)", k, rows[k].status, rows[k].body, a,
                     rows[k].want, err.msg);
        if (a != SIASN_OK && a != SIASN_EMPTY && !err.msg[0])
            fail_msg("row %zu: no reason", k);
    }
}

#define NIP "199001012015031001"

static const char data_utama[] =
    "{\"code\":1,\"data\":{\"id\":\"A1B2\",\"nipBaru\":\"" NIP "\",\"nipLama\":null,"
    "\"nama\":\"Ani Lestari\",\"gelarDepan\":\"\",\"gelarBelakang\":\"S.Kom.\","
    "\"tglLahir\":\"01-01-1990\",\"jenisKelamin\":\"Wanita\",\"kedudukanPnsId\":\"\","
    "\"kedudukanPnsNama\":null,\"statusPegawai\":\"PNS\",\"tmtCpns\":\"01-03-2015\","
    "\"tmtPns\":\"01-04-2016\",\"jenisJabatanId\":\"2\",\"jabatanNama\":\"Pranata Komputer\","
    "\"eselonId\":\"99\",\"golRuangAkhirId\":\"32\",\"golRuangAkhir\":\"III/b\","
    "\"tkPendidikanTerakhirId\":\"40\",\"instansiIndukId\":\"I1\","
    "\"instansiIndukNama\":\"Pemprov\",\"unorId\":\"U7\",\"unorNama\":\"Seksi\","
    "\"unorIndukId\":\"OPD9\",\"unorIndukNama\":\"Dinas Sembilan\",\"gajiPokok\":\"Rp 1\","
    "\"tanggal_taspen\":\"2019-03-01 00:00:00\"}}";

static const char rw_pendidikan[] =
    "{\"code\":1,\"count\":1,\"data\":[{\"id\":\"E1\",\"tkPendidikanId\":\"40\","
    "\"tkPendidikanNama\":\"S-1\",\"pendidikanNama\":\"S1 Informatika\",\"tahunLulus\":\"2012\","
    "\"tglLulus\":\"20-08-2012\",\"idPns\":\"A1B2\",\"path\":{\"874\":{\"dok_id\":\"874\"}}}]}";

static const char rw_kursus[] =
    "{\"code\":\"1\",\"data\":[{\"id\":\"K1\",\"jenisKursusId\":\"2\","
    "\"jenisKursusNama\":\"Pelatihan Teknis\",\"namaKursus\":\"Keamanan Data\","
    "\"jumlahJam\":\"24\",\"tanggalKursus\":\"02-03-2025\",\"tanggalSelesaiKursus\":\"\","
    "\"tahunKursus\":\"2025\",\"idPns\":\"A1B2\"}]}";

static const char rw_skp[] = "{\"code\":1,\"data\":[{\"id\":\"S1\",\"tahun\":\"2021\","
                             "\"nilaiPrestasiKerja\":\"88,5\",\"pns\":\"A1B2\"}]}";

static const char rw_skp22[] =
    "{\"code\":1,\"data\":[{\"id\":\"Q1\",\"tahun\":2024,\"kuadranKinerja\":\"BAIK\","
    "\"kuadranKinerjaNilai\":\"2\",\"pnsDinilaiId\":\"A1B2\"}]}";

static const char rw_hukdis[] =
    "{\"code\":1,\"data\":[{\"id\":\"H1\",\"jenisTingkatHukumanId\":\"\",\"jenisHukuman\":\"5\","
    "\"jenisHukumanNama\":\"Penundaan\",\"skTanggal\":\"01-02-2024\","
    "\"hukumanTanggal\":\"01-03-2024\",\"akhirHukumTanggal\":\"01-03-2025\","
    "\"skPembatalanNomor\":null,\"pnsOrang\":\"A1B2\"}]}";

static const char nilaiipasn[] =
    "{\"code\":1,\"data\":{\"nip\":\"" NIP "\",\"tahun\":\"2024\",\"kualifikasi\":20,"
    "\"kompetensi\":\"12,5\",\"kinerja\":\"30\",\"disiplin\":5,\"subtotal\":\"67,5\","
    "\"created_at\":\"2025-01-15T08:00:00+07:00\"}}";

static const char empty[] = "{\"code\":0,\"data\":\"Data tidak ditemukan\"}";

static void answers_fill(struct siasn_answers *a, const char *du)
{
    const char *bodies[SIASN_CALLS] = {du,     rw_pendidikan, empty,     rw_kursus,
                                       rw_skp, rw_skp22,      rw_hukdis, nilaiipasn};
    const long status[SIASN_CALLS] = {200, 200, 404, 200, 200, 200, 200, 200};

    for (int c = 0; c < SIASN_CALLS; c++) {
        struct error err = {""};

        a->body[c] = bodies[c];
        a->len[c] = strlen(bodies[c]);
        a->answer[c] = siasn_classify((enum siasn_call)c, status[c], bodies[c], a->len[c], &err);
        assert_true(a->answer[c] == SIASN_OK || a->answer[c] == SIASN_EMPTY);
    }
}

/* The record decoded by the listing's decoder: one employee, no reject. */
static struct page *decode(const char *text, size_t len)
{
    struct simpeg_limits lim = simpeg_limits_for(1);
    struct error err = {""};
    const char *name = NIP;
    struct page *p = simpeg_decode_records(&text, &len, &name, 1, &lim, &err);

    if (!p)
        fail_msg("%s", err.msg);
    assert_int_equal(p->n_employees, 1);
    return p;
}

static void test_assemble(void **state)
{
    struct siasn_answers a;
    struct siasn_roster_entry r = {.nip = NIP,
                                   .status_cpns_pns = "P",
                                   .kedudukan_hukum_id = "01",
                                   .kedudukan_hukum_nama = "Aktif",
                                   .unor_nama = "Seksi Lain"};
    struct config_siasn cfg = {0};
    struct error err = {""};
    char *text;
    size_t len;
    struct page *p;
    const struct employee *e;

    (void)state;
    answers_fill(&a, data_utama);
    assert_int_equal(siasn_assemble(&a, &r, &cfg, "2026-12-07T08:00:00Z", &text, &len, &err),
                     SIASN_ASSEMBLED);
    p = decode(text, len);
    e = &p->employees[0];
    assert_string_equal(e->nip, NIP);
    assert_string_equal(e->id, "A1B2");
    assert_int_equal(e->sex, 'F');                /* Wanita */
    assert_string_equal(e->status_cpns_pns, "P"); /* from the roster */
    assert_string_equal(e->kedudukan_id, "01");   /* data-utama's was empty */
    assert_string_equal(e->kedudukan_name, "Aktif");
    assert_string_equal(e->opd_id, "OPD9"); /* unorIndukId, no map */
    assert_string_equal(e->opd_name, "Dinas Sembilan");
    assert_int_equal(e->position, POSITION_FUNGSIONAL);
    assert_int_equal(e->birth_date, date_from_ymd(1990, 1, 1));
    assert_int_equal(e->updated_at, 1796630400);
    assert_false(e->deleted);
    assert_int_equal(e->n_education, 1);
    assert_int_equal(e->education[0].grad_year, 2012);
    assert_int_equal(e->n_leadership, 0); /* the 404 */
    assert_int_equal(e->n_courses, 1);
    assert_int_equal(e->courses[0].hours, 24);
    assert_int_equal(e->n_skp, 1);
    assert_true(e->skp[0].has_score && e->skp[0].score == 88.5); /* decimal comma */
    assert_int_equal(e->n_skp22, 1);
    assert_string_equal(e->skp22[0].value, "2"); /* the lower-case key */
    assert_int_equal(e->n_sanctions, 1);
    assert_int_equal(e->sanctions[0].level, SANCTION_SEDANG); /* from jenisHukuman 5 */
    assert_true(e->ipasn.present);
    assert_int_equal(e->ipasn.year, 2024);
    assert_int_equal(e->ipasn.competency, 125);
    assert_int_equal(e->ipasn.total, 675); /* subtotal */
    page_free(p);
    free(text);

    /* The OPD map decides over unorInduk*. */
    {
        struct opd_map_entry map[] = {{"U6", "OPD6", "Enam"}, {"U7", "OPD1", "Dinas Satu"}};

        cfg.opd_map = map;
        cfg.n_opd_map = 2;
        assert_int_equal(siasn_assemble(&a, &r, &cfg, "2026-12-07T08:00:00Z", &text, &len, &err),
                         SIASN_ASSEMBLED);
        p = decode(text, len);
        assert_string_equal(p->employees[0].opd_id, "OPD1");
        assert_string_equal(p->employees[0].opd_name, "Dinas Satu");
        page_free(p);
        free(text);
        cfg.opd_map = NULL;
        cfg.n_opd_map = 0;
    }

    /* No official value: no ipAsn. */
    a.body[SIASN_NILAIIPASN] = empty;
    a.len[SIASN_NILAIIPASN] = strlen(empty);
    a.answer[SIASN_NILAIIPASN] = SIASN_EMPTY;
    assert_int_equal(siasn_assemble(&a, &r, &cfg, "2026-12-07T08:00:00Z", &text, &len, &err),
                     SIASN_ASSEMBLED);
    p = decode(text, len);
    assert_false(p->employees[0].ipasn.present);
    page_free(p);
    free(text);
}

static void test_assemble_refuses(void **state)
{
    struct siasn_answers a;
    struct siasn_roster_entry r = {.nip = NIP};
    struct config_siasn cfg = {0};
    struct error err = {""};
    char *text = (char *)1;
    size_t len;
    static const char other_nip[] = "{\"code\":1,\"data\":{\"nipBaru\":\"199001012015031002\"}}";

    (void)state;
    answers_fill(&a, data_utama);
    a.body[SIASN_DATA_UTAMA] = empty;
    a.len[SIASN_DATA_UTAMA] = strlen(empty);
    a.answer[SIASN_DATA_UTAMA] = SIASN_EMPTY;
    assert_int_equal(siasn_assemble(&a, &r, &cfg, "2026-12-07T08:00:00Z", &text, &len, &err),
                     SIASN_NOT_FOUND);
    assert_null(text);
    answers_fill(&a, other_nip);
    assert_int_equal(siasn_assemble(&a, &r, &cfg, "2026-12-07T08:00:00Z", &text, &len, &err),
                     SIASN_BAD);
    assert_null(text);
    assert_non_null(strstr(err.msg, "nipBaru is not the NIP asked for"));
}

/* Where data-utama is silent, the roster speaks. */
static void test_assemble_fills_gaps(void **state)
{
    static const char sparse[] =
        "{\"code\":1,\"data\":{\"nipBaru\":\"" NIP "\",\"nama\":\"\",\"tglLahir\":null,"
        "\"jenisKelamin\":\"Pria\",\"kedudukanPnsId\":\"71\",\"kedudukanPnsNama\":\"PPPK\"}}";
    struct siasn_roster_entry r = {.nip = NIP,
                                   .status_cpns_pns = "",
                                   .kedudukan_hukum_id = "01",
                                   .pns_id = "P9",
                                   .nama = "Budi",
                                   .tanggal_lahir = "01-01-1990",
                                   .unor_id = "U7"};
    struct opd_map_entry map[] = {{"U7", "OPD1", "Dinas Satu"}};
    struct config_siasn cfg = {.opd_map = map, .n_opd_map = 1};
    struct siasn_answers a;
    struct error err = {""};
    char *text;
    size_t len;
    struct page *p;

    (void)state;
    answers_fill(&a, sparse);
    assert_int_equal(siasn_assemble(&a, &r, &cfg, "2026-12-07T08:00:00Z", &text, &len, &err),
                     SIASN_ASSEMBLED);
    p = decode(text, len);
    assert_string_equal(p->employees[0].name, "Budi");
    assert_string_equal(p->employees[0].id, "P9");
    assert_int_equal(p->employees[0].birth_date, date_from_ymd(1990, 1, 1));
    assert_int_equal(p->employees[0].sex, 'M');
    assert_string_equal(p->employees[0].kedudukan_id, "71"); /* data-utama's stands */
    assert_int_equal(p->employees[0].status, STATUS_PPPK);
    assert_null(p->employees[0].status_cpns_pns);
    assert_string_equal(p->employees[0].opd_id, "OPD1"); /* the map, by the roster's unor */
    page_free(p);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_assemble),
        cmocka_unit_test(test_assemble_refuses),
        cmocka_unit_test(test_assemble_fills_gaps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
