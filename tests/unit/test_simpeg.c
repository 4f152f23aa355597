/* simpeg decoding: the envelope and its errors, every field of a record,
 * the derived fields, decode notes, rejects with the rest of the page kept,
 * content hashes, the worked examples E1..E5, and JSONTestSuite's bodies
 * that must fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "page_diff.h"
#include "simpeg.h"
#include "util.h"

#define FIXTURES TOP_SRCDIR "/tests/fixtures"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct strbuf b = {0};
    char chunk[65536];
    size_t n;

    if (!f)
        fail_msg("cannot open %s", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        strbuf_addn(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.s ? b.s : xstrdup("");
}

enum decoder {
    PAGE,
    SINGLE,
    ANY
};

static struct page *decode_text(enum decoder which, const char *text, size_t len, int page_size,
                                struct error *err)
{
    struct simpeg_limits lim = simpeg_limits_for(page_size);

    memset(err, 0, sizeof(*err));
    switch (which) {
    case PAGE:
        return simpeg_decode_page(text, len, &lim, NULL, err);
    case SINGLE:
        return simpeg_decode_single(text, len, &lim, err);
    default:
        return simpeg_decode_any(text, len, &lim, err);
    }
}

static struct page *decode_fixture(enum decoder which, const char *name, int page_size,
                                   struct error *err)
{
    char path[512];
    size_t len;
    char *text;
    struct page *p;

    snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
    text = read_file(path, &len);
    p = decode_text(which, text, len, page_size, err);
    free(text);
    return p;
}

static void assert_same_json(const char *a, const char *b)
{
    json_t *x = json_loads(a, JSON_DECODE_ANY, NULL), *y = json_loads(b, JSON_DECODE_ANY, NULL);

    if (!x || !y || !json_equal(x, y))
        fail_msg("not the same JSON: %s and %s", a, b);
    json_decref(x);
    json_decref(y);
}

/* A bare EMPLOYEE made of a valid key and the fields of rest. */
static struct page *decode_keyed(const char *rest, struct error *err)
{
    struct strbuf b = {0};
    struct page *p;

    strbuf_append(&b, "{\"nipBaru\": \"198804122014031002\"%s%s}", *rest ? ", " : "", rest);
    p = decode_text(ANY, b.s, b.len, 500, err);
    strbuf_free(&b);
    return p;
}

/* The same with a name: a record that decodes unless extra breaks it. */
static struct page *decode_record(const char *extra, struct error *err)
{
    struct strbuf b = {0};
    struct page *p;

    strbuf_append(&b, "\"nama\": \"Andi\"%s%s", *extra ? ", " : "", extra);
    p = decode_keyed(b.s, err);
    strbuf_free(&b);
    return p;
}

/* The one employee of a bare record that must decode. */
static const struct employee *one_employee(struct page *p, const struct error *err,
                                           const char *extra)
{
    if (!p)
        fail_msg("%s: %s", extra, err->msg);
    if (p->n_employees != 1)
        fail_msg("%s: rejected: %s", extra, p->n_rejected ? p->rejected[0].reason : "?");
    return &p->employees[0];
}

static const char *date_text(date_t d, char *buf)
{
    return date_format(d, buf, 11);
}

static void assert_date(date_t d, const char *expected)
{
    char buf[11];

    assert_string_equal(date_text(d, buf), expected);
}

static const struct decode_note *find_note(const struct employee *e, const char *field)
{
    for (size_t i = 0; i < e->n_notes; i++)
        if (strcmp(e->notes[i].field, field) == 0)
            return &e->notes[i];
    return NULL;
}

/* ---- limits --------------------------------------------------------- */

static void test_limits(void **state)
{
    struct simpeg_limits lim = simpeg_limits_for(500);

    assert_int_equal(lim.max_records, 500);
    assert_int_equal(lim.max_string, 4096);
    assert_int_equal(lim.max_history, 1000);
    lim = simpeg_limits_for(1000);
    assert_int_equal(lim.max_records, 1000);
    lim = simpeg_limits_for(0);
    assert_int_equal(lim.max_records, 0);
    page_free(NULL);
}

/* ---- the good page -------------------------------------------------- */

static void test_good_page_envelope(void **state)
{
    struct error err;
    struct page *p = decode_fixture(PAGE, "pages/good.json", 500, &err);

    if (!p)
        fail_msg("%s", err.msg);
    assert_string_equal(p->next_cursor,
                        "eyJ1IjoiMjAyNS0xMi0xNVQwMjozMDowMFoiLCJuIjoiMTk2ODA1MDUxOTkwMDMxMDA3In0");
    assert_string_equal(p->server_time_text, "2025-12-15T03:10:00Z");
    assert_int_equal(p->server_time, 1765768200);
    assert_int_equal(p->count, 5);
    assert_int_equal(p->n_employees, 5);
    assert_int_equal(p->n_rejected, 0);
    page_free(p);
}

/* Every field of a record with numeric strings, integer codes, both date
 * formats and unknown fields. */
static void test_good_page_full_record(void **state)
{
    struct error err;
    struct page *p = decode_fixture(PAGE, "pages/good.json", 500, &err);
    const struct employee *e;

    assert_non_null(p);
    e = &p->employees[0];
    assert_string_equal(e->nip, "197903152003121002");
    assert_string_equal(e->id, "B7C4E2A19F3D4A6E8B1C0D2E3F4A5B61");
    assert_string_equal(e->name, "Muhammad Rizal Fahmi");
    assert_string_equal(e->title_front, "Dr.");
    assert_string_equal(e->title_back, "S.T., M.T.");
    assert_date(e->birth_date, "1979-03-15"); /* "15-03-1979" */
    assert_int_equal(e->sex, 'M');
    assert_string_equal(e->status_cpns_pns, "P");
    assert_string_equal(e->kedudukan_id, "01"); /* the integer 1 */
    assert_string_equal(e->kedudukan_name, "Aktif");
    assert_int_equal(e->status, STATUS_PNS);
    assert_date(e->tmt_cpns, "2003-12-01"); /* "01-12-2003" */
    assert_date(e->tmt_pns, "2005-02-01");
    assert_string_equal(e->position_type_id, "2"); /* the integer 2 */
    assert_int_equal(e->position, POSITION_FUNGSIONAL);
    assert_string_equal(e->position_name, "Perencana Ahli Madya");
    assert_null(e->eselon_id);
    assert_null(e->eselon); /* "" */
    assert_int_equal(e->eselon_level, 0);
    assert_string_equal(e->grade_id, "41");
    assert_string_equal(e->grade, "IV/a");
    assert_string_equal(e->edu_level_id, "50");
    assert_string_equal(e->instansi_id, "A5EB03E23BFBF6A0E040640A040252AD");
    assert_string_equal(e->instansi_name, "Pemerintah Provinsi Kalimantan Selatan");
    assert_string_equal(e->opd_id, "1.02.01");
    assert_string_equal(e->opd_name, "Badan Perencanaan Pembangunan Daerah");
    assert_string_equal(e->unor_id, "3021"); /* the integer 3021 */
    assert_string_equal(e->unor_name, "Bidang Perencanaan Infrastruktur");
    assert_int_equal(e->updated_at, 1765724731); /* 22:05:31+07:00 */
    assert_false(e->deleted);

    assert_int_equal(e->n_education, 3);
    assert_string_equal(e->education[0].id, "9001");
    assert_string_equal(e->education[0].level_id, "05"); /* the integer 5 */
    assert_string_equal(e->education[0].level_name, "SD");
    assert_string_equal(e->education[0].name, "SD Negeri 4 Banjarmasin");
    assert_int_equal(e->education[0].grad_year, 1991); /* "1991" */
    assert_date(e->education[0].grad_date, "1991-06-15");
    assert_int_equal(e->education[1].grad_year, 2001);
    assert_string_equal(e->education[2].level_id, "50");
    assert_date(e->education[2].grad_date, "2019-11-02"); /* with a time part */

    assert_int_equal(e->n_leadership, 1);
    assert_string_equal(e->leadership[0].id, "dk-1");
    assert_string_equal(e->leadership[0].type_id, "3");
    assert_string_equal(e->leadership[0].name, "Diklatpim Tingkat III");
    assert_date(e->leadership[0].start, "2012-05-02");
    assert_date(e->leadership[0].end, "2012-07-20");
    assert_int_equal(e->leadership[0].year, 2012);
    assert_int_equal(e->leadership[0].hours, 360);

    assert_int_equal(e->n_courses, 3);
    assert_string_equal(e->courses[0].kind_id, "1");
    assert_string_equal(e->courses[0].kind_name, "Diklat Fungsional");
    assert_string_equal(e->courses[0].name, "Diklat Fungsional Perencana Tingkat Ahli");
    assert_int_equal(e->courses[0].hours, 240);
    assert_date(e->courses[0].start, "2014-02-03");
    assert_date(e->courses[0].end, "2014-03-28");
    assert_int_equal(e->courses[0].year, 2014);
    assert_int_equal(e->courses[1].hours, 32); /* "32" */
    assert_int_equal(e->courses[1].year, 2025);
    assert_int_equal(e->courses[2].hours, 8);         /* 8.0 */
    assert_int_equal(e->courses[2].start, DATE_NONE); /* 0001-01-01 */
    assert_int_equal(e->courses[2].end, DATE_NONE);   /* 01-01-0001 */

    assert_int_equal(e->n_skp, 2);
    assert_string_equal(e->skp[0].id, "skp-2020");
    assert_int_equal(e->skp[0].year, 2020);
    assert_true(e->skp[0].has_score);
    assert_true(e->skp[0].score == 88.75);
    assert_string_equal(e->skp[0].score_field, "nilaiPrestasiKerja");
    assert_int_equal(e->skp[1].year, 2021);
    assert_true(e->skp[1].score == 90.5);

    assert_int_equal(e->n_skp22, 2);
    assert_string_equal(e->skp22[0].id, "skp22-2023");
    assert_int_equal(e->skp22[0].year, 2023);
    assert_string_equal(e->skp22[0].predikat, "SANGAT BAIK");
    assert_string_equal(e->skp22[0].value, "5");
    assert_int_equal(e->skp22[1].year, 2024);
    assert_string_equal(e->skp22[1].value, "4");

    assert_int_equal(e->n_sanctions, 0);
    assert_true(e->ipasn.present);
    assert_int_equal(e->ipasn.year, 2024);
    assert_int_equal(e->ipasn.qualification, 250);
    assert_int_equal(e->ipasn.competency, 323); /* "32.25", half up */
    assert_int_equal(e->ipasn.performance, 300);
    assert_int_equal(e->ipasn.discipline, 50);
    assert_int_equal(e->ipasn.total, 814); /* 81.35 */
    assert_int_equal(e->n_notes, 0);

    /* The contract's fields alone, in the order received: the personal
     * data and the unknown fields the page carries are not kept, and the
     * hash is over what is. */
    assert_true(strncmp(e->raw, "{\"id\":\"B7C4E2A19F3D4A6E8B1C0D2E3F4A5B61\",", 40) == 0);
    for (const char *const *k = (const char *const[]){"alamat", "email", "noHp", "rwAngkakredit",
                                                      "\"meta\"", "ipk", "jalan", NULL};
         *k; k++)
        if (strstr(e->raw, *k))
            fail_msg("raw keeps %s: %s", *k, e->raw);
    assert_non_null(strstr(e->raw, "\"rwPendidikan\":[{"));
    assert_non_null(strstr(e->raw, "\"tglLahir\":"));
    assert_true(e->raw[strlen(e->raw) - 1] == '}');
    assert_true(e->content_hash == hash64(e->raw, strlen(e->raw), HASH64_INIT));
    page_free(p);
}

/* PPPK, rangkap without eselon, notes, annulled and unknown sanctions. */
static void test_good_page_notes(void **state)
{
    static const struct {
        const char *code, *field, *value;
    } notes[] = {
        {"date_invalid", "tglLahir", "1995-02-30"},
        {"value_invalid", "rwPendidikan[0].tahunLulus", "dua ribu tujuh belas"},
        {"date_invalid", "rwPendidikan[0].tglLulus", "2017-13-01"},
        {"value_invalid", "rwKursus[1].jumlahJam", "dua puluh"},
        {"value_invalid", "rwKursus[2].jumlahJam", "16.5"},
        {"duplicate_record", "rwKursus[2].id", "k-1"},
    };
    struct error err;
    struct page *p = decode_fixture(PAGE, "pages/good.json", 500, &err);
    const struct employee *e;

    assert_non_null(p);
    e = &p->employees[1];
    assert_string_equal(e->nip, "199502142022212003");
    assert_null(e->id);
    assert_null(e->title_front);
    assert_int_equal(e->status, STATUS_PPPK);
    assert_int_equal(e->position, POSITION_FUNGSIONAL); /* 3 with eselonId 99 */
    assert_string_equal(e->eselon_id, "99");
    assert_int_equal(e->eselon_level, 0);
    assert_int_equal(e->sex, 'F');
    assert_string_equal(e->grade_id, "09"); /* "9" */
    assert_int_equal(e->birth_date, DATE_NONE);
    assert_int_equal(e->tmt_cpns, DATE_NONE);
    assert_int_equal(e->education[0].grad_year, YEAR_NONE);
    assert_int_equal(e->education[0].grad_date, DATE_NONE);
    assert_int_equal(e->courses[1].hours, HOURS_NONE);
    assert_int_equal(e->courses[2].hours, HOURS_NONE);
    assert_true(e->skp[0].has_score);
    assert_true(e->skp[0].score == 85.0);
    assert_string_equal(e->skp[0].score_field, "nilairatarata");
    assert_string_equal(e->skp22[0].value, "3.5");
    assert_int_equal(e->n_sanctions, 2);
    assert_int_equal(e->sanctions[0].level, SANCTION_RINGAN);
    assert_true(e->sanctions[0].annulled);
    assert_date(e->sanctions[0].sk_date, "2023-02-01");
    assert_date(e->sanctions[0].tmt, "2023-02-06");
    assert_int_equal(e->sanctions[0].end, DATE_NONE);
    assert_string_equal(e->sanctions[0].type_name, "Teguran Tertulis");
    assert_int_equal(e->sanctions[1].level, SANCTION_UNKNOWN);
    assert_string_equal(e->sanctions[1].level_id, "X");
    assert_false(e->sanctions[1].annulled); /* " " */
    assert_false(e->ipasn.present);
    assert_int_equal(e->ipasn.total, -1);

    assert_int_equal(e->n_notes, ARRAY_SIZE(notes));
    for (size_t i = 0; i < ARRAY_SIZE(notes); i++) {
        assert_string_equal(e->notes[i].code, notes[i].code);
        assert_string_equal(e->notes[i].field, notes[i].field);
        assert_string_equal(e->notes[i].value, notes[i].value);
    }
    page_free(p);
}

static void test_good_page_tombstone_and_rangkap(void **state)
{
    struct error err;
    struct page *p = decode_fixture(PAGE, "pages/good.json", 500, &err);
    const struct employee *e;

    assert_non_null(p);
    e = &p->employees[2];
    assert_string_equal(e->nip, "196001011985031004");
    assert_true(e->deleted);
    assert_null(e->name);
    assert_int_equal(e->updated_at, 1765764000);
    assert_int_equal(e->n_education, 0);
    assert_null(e->education);

    e = &p->employees[3];
    assert_int_equal(e->status, STATUS_CPNS);
    assert_int_equal(e->position, POSITION_STRUKTURAL); /* 3 with eselonId 32 */
    assert_int_equal(e->eselon_level, 3);
    assert_int_equal(e->sex, 0);
    assert_int_equal(e->updated_at, 0);
    assert_int_equal(e->n_notes, 1);
    assert_string_equal(e->notes[0].code, "date_invalid");
    assert_string_equal(e->notes[0].field, "updatedAt");
    assert_int_equal(e->n_sanctions, 1);
    assert_int_equal(e->sanctions[0].level, SANCTION_NONE);

    e = &p->employees[4];
    assert_int_equal(e->status, STATUS_UNKNOWN);        /* statusCpnsPns "X" */
    assert_int_equal(e->position, POSITION_STRUKTURAL); /* the integer 1 */
    assert_string_equal(e->eselon_id, "51");
    assert_int_equal(e->eselon_level, 0); /* eselon V */
    assert_int_equal(e->sex, 0);          /* "L" */
    assert_int_equal(e->updated_at, 1765765800);
    page_free(p);
}

/* ---- rejects -------------------------------------------------------- */

static void test_rejects(void **state)
{
    static const struct {
        const char *file, *code, *nip, *reason;
    } rows[] = {
        {"not-object", "record_malformed", NULL, "the record is a string, expected an object"},
        {"nip-missing", "record_malformed", NULL, "nipBaru is missing"},
        {"nip-not-string", "record_malformed", NULL, "nipBaru is an integer, expected a string"},
        {"nip-empty", "record_malformed", NULL, "nipBaru is empty"},
        {"nama-missing", "record_malformed", "198804122014031002", "nama is missing"},
        {"nama-not-string", "record_malformed", "198804122014031002",
         "nama is an array, expected a string"},
        {"nama-empty", "record_malformed", "198804122014031002", "nama is empty"},
        {"string-object", "record_malformed", "198804122014031002",
         "jabatanNama is an object, expected a string"},
        {"code-array", "record_malformed", "198804122014031002",
         "opdId is an array, expected a string or an integer"},
        {"date-wrong-type", "record_malformed", "198804122014031002",
         "tglLahir is an integer, expected a date string"},
        {"history-not-array", "record_malformed", "198804122014031002",
         "rwKursus is an object, expected an array"},
        {"history-entry", "record_malformed", "198804122014031002",
         "rwPendidikan[1] is a string, expected an object"},
        {"deleted-not-boolean", "record_malformed", "198804122014031002",
         "deleted is a string, expected a boolean"},
        {"string-too-long", "record_malformed", "198804122014031002",
         "rwKursus[0].namaKursus is longer than 4096 bytes"},
        {"history-too-long", "record_malformed", "198804122014031002",
         "rwSkp has 1001 entries, more than 1000"},
        {"id-too-long", "record_malformed", "198804122014031002", "id is longer than 42 bytes"},
        {"nip-length", "nip_invalid", "19880412201403100",
         "nipBaru \"19880412201403100\" is not 18 digits"},
        {"nip-letters", "nip_invalid", "19880412201403100X",
         "nipBaru \"19880412201403100X\" is not 18 digits"},
        {"nip-date", "nip_invalid", "198802302014031002",
         "nipBaru \"198802302014031002\": digits 1-8 are not a calendar date"},
        {"nip-sequence", "nip_invalid", "198804122014031000",
         "nipBaru \"198804122014031000\" has the sequence number 000"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char name[128];
        struct error err;
        struct page *p;
        const struct rejected_record *r;
        json_error_t je;
        json_t *raw;
        char path[512], *text;
        size_t len;

        snprintf(name, sizeof(name), "pages/reject-%s.json", rows[i].file);
        p = decode_fixture(PAGE, name, 500, &err);
        if (!p)
            fail_msg("%s: %s", name, err.msg);
        if (p->n_rejected != 1 || p->n_employees != 2)
            fail_msg("%s: %zu rejected, %zu decoded", name, p->n_rejected, p->n_employees);
        /* The rest of the page decodes. */
        assert_string_equal(p->employees[0].nip, "198601012010011001");
        assert_string_equal(p->employees[1].nip, "198702022011012002");
        r = &p->rejected[0];
        assert_int_equal(r->index, 1);
        assert_string_equal(r->code, rows[i].code);
        if (strcmp(r->reason, rows[i].reason) != 0)
            fail_msg("%s: reason \"%s\", expected \"%s\"", name, r->reason, rows[i].reason);
        if (rows[i].nip)
            assert_string_equal(r->nip, rows[i].nip);
        else
            assert_null(r->nip);
        /* The raw text is the record as received: JSON, found in the page. */
        assert_non_null(r->raw);
        raw = json_loads(r->raw, JSON_DECODE_ANY, &je);
        assert_non_null(raw);
        snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
        text = read_file(path, &len);
        if (!strstr(text, r->raw))
            fail_msg("%s: raw %s is not in the page", name, r->raw);
        free(text);
        json_decref(raw);
        page_free(p);
    }
}

static void test_reject_raw_as_received(void **state)
{
    struct error err;
    struct page *p = decode_fixture(PAGE, "pages/reject-not-object.json", 500, &err);

    assert_non_null(p);
    assert_string_equal(p->rejected[0].raw, "\"198804122014031002\"");
    page_free(p);
    p = decode_fixture(PAGE, "pages/reject-nama-missing.json", 500, &err);
    assert_non_null(p);
    assert_string_equal(p->rejected[0].raw, "{\n      \"nipBaru\": \"198804122014031002\",\n"
                                            "      \"jenisJabatanId\": \"4\",\n"
                                            "      \"opdId\": \"1.02.01\",\n"
                                            "      \"updatedAt\": \"2025-12-15T00:00:00Z\"\n    }");
    page_free(p);
}

#define SPLIT_REC "{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}"
#define SPLIT_END ", \"next_cursor\": null, \"server_time\": \"2026-01-01T00:00:00Z\"}"

/* A record jansson rejects on its own is quarantined, named by its NIP when
 * it shows one, with the reason's position and none of its text; the
 * records around it decode, and the page with them. */
static void test_poisoned_records(void **state)
{
    static const struct {
        const char *record, *reason;
    } rows[] = {
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"A\\u0000B\"}",
         "\\u0000 is not allowed"},
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"A\", \"nama\": \"B\"}",
         "duplicate object key"},
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"A\", \"x\": 1e400}",
         "real number overflow"},
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"A\", \"x\": "
         "123456789012345678901234567890}",
         "too big integer"},
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"A\\ud800\"}", "invalid Unicode"},
        {"{\"nama\": \"\xc3\x28\", \"nik\": \"3201234567890001\"}", "unable to decode byte"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct strbuf b = {0};
        struct error err = {{0}};
        struct page *p;
        const struct rejected_record *r;

        strbuf_append(&b, "{\"data\": [" SPLIT_REC ", %s, " SPLIT_REC "]" SPLIT_END,
                      rows[i].record);
        p = decode_text(PAGE, b.s, b.len, 500, &err);
        if (!p)
            fail_msg("row %zu: the page failed: %s", i, err.msg);
        assert_int_equal(p->n_employees, 2);
        assert_int_equal(p->n_rejected, 1);
        r = &p->rejected[0];
        assert_int_equal(r->index, 1);
        assert_string_equal(r->code, "record_malformed");
        if (strncmp(r->reason, "the record is invalid JSON at line 1, column ", 45) != 0 ||
            !strstr(r->reason, rows[i].reason))
            fail_msg("row %zu: reason \"%s\"", i, r->reason);
        if (i < 5)
            assert_string_equal(r->nip, "198804122014031002");
        else
            assert_null(r->nip);
        /* of the text, its size and hash: nothing of what it holds */
        assert_non_null(strstr(r->raw, "\"unparsed\":{\"bytes\":"));
        assert_null(strstr(r->raw, "3201234567890001"));
        page_free(p);
        strbuf_free(&b);
    }
}

/* A record keeps the contract's fields alone; one in quarantine also up to
 * 4 KiB of its other fields, never the personal ones. */
static void test_records_minimised(void **state)
{
    static const char page[] =
        "{\"data\": [{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\","
        " \"nik\": \"3201234567890001\", \"alamat\": \"Jl. Merdeka 1\", \"noHp\": \"0811\","
        " \"email\": \"a@b.id\", \"noNpwp\": \"12.345\", \"nomorKk\": \"3201000000000001\","
        " \"hobi\": \"catur\", \"rwKursus\": [{\"id\": \"k\", \"namaKursus\": \"Bimtek\","
        " \"path\": {\"874\": \"x\"}}]},"
        " {\"nipBaru\": \"198804122014031002\", \"nik\": \"3201234567890002\","
        " \"hobi\": \"catur\", \"opdId\": \"1\"}]" SPLIT_END;
    struct error err = {{0}};
    struct page *p = decode_text(PAGE, page, strlen(page), 500, &err);
    const char *raw;

    assert_non_null(p);
    assert_int_equal(p->n_employees, 1);
    raw = p->employees[0].raw;
    assert_string_equal(raw, "{\"nipBaru\":\"198804122014031002\",\"nama\":\"Andi\","
                             "\"rwKursus\":[{\"id\":\"k\",\"namaKursus\":\"Bimtek\"}]}");
    assert_true(p->employees[0].content_hash == hash64(raw, strlen(raw), HASH64_INIT));
    /* the second record has no nama: quarantined with its harmless extras */
    assert_int_equal(p->n_rejected, 1);
    assert_string_equal(p->rejected[0].raw,
                        "{\"nipBaru\":\"198804122014031002\",\"hobi\":\"catur\",\"opdId\":\"1\"}");
    page_free(p);

    /* numbers keep the text SIMPEG wrote; a key written with an escape is
     * read as jansson reads it */
    static const char page2[] =
        "{\"data\": [{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\", \"tempatLahir\": "
        "\"X\","
        " \"rwSkp\": [{\"tahun\": 2020, \"nilaiPrestasiKerja\": 87.46, \"x\": [1, {\"a\": 2}]}]},"
        " {\"nipBaru\": \"198804122014031003\", \"nam\\u0061\": \"Budi\", \"nik\": \"1\","
        " \"rwSkp\": [{\"nilaiPrestasiKerja\": 1e2}]}]" SPLIT_END;
    p = decode_text(PAGE, page2, strlen(page2), 500, &err);
    assert_non_null(p);
    assert_int_equal(p->n_employees, 2);
    assert_string_equal(p->employees[0].raw,
                        "{\"nipBaru\":\"198804122014031002\",\"nama\":\"Andi\","
                        "\"rwSkp\":[{\"tahun\":2020,\"nilaiPrestasiKerja\":87.46}]}");
    assert_string_equal(p->employees[1].raw,
                        "{\"nipBaru\":\"198804122014031003\",\"nama\":\"Budi\","
                        "\"rwSkp\":[{\"nilaiPrestasiKerja\":100.0}]}");
    page_free(p);
}

/* ---- envelope errors ------------------------------------------------ */

static void test_envelope_errors(void **state)
{
    static const struct {
        const char *file;
        int page_size;
        const char *msg;
    } rows[] = {
        {"envelope-missing-data", 500, "the page has no \"data\""},
        {"envelope-data-object", 500, "the page's \"data\" is an object, expected an array"},
        {"envelope-bad-server-time", 500,
         "the page's \"server_time\" \"15-12-2025 03:10\" is not an RFC 3339 time"},
        {"envelope-missing-next-cursor", 500, "the page has no \"next_cursor\""},
        {"envelope-empty-next-cursor", 500, "the page's \"next_cursor\" is empty"},
        {"envelope-count-string", 500,
         "the page's \"count\" is a string, expected a non-negative integer"},
        {"envelope-not-object", 500, "the body is an array, expected an object"},
        {"envelope-too-many-records", 2, "the page has 3 records, more than the limit of 2"},
        {"envelope-truncated", 500,
         "invalid JSON at line 11, column 22 (byte 220): premature end of input"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char name[128];
        struct error err;
        struct page *p;

        snprintf(name, sizeof(name), "pages/%s.json", rows[i].file);
        p = decode_fixture(PAGE, name, rows[i].page_size, &err);
        if (p)
            fail_msg("%s decoded", name);
        if (strcmp(err.msg, rows[i].msg) != 0)
            fail_msg("%s: \"%s\", expected \"%s\"", name, err.msg, rows[i].msg);
    }
}

/* The same page fits a limit of 3. */
static void test_max_records_boundary(void **state)
{
    struct error err;
    struct page *p = decode_fixture(PAGE, "pages/envelope-too-many-records.json", 3, &err);

    assert_non_null(p);
    assert_int_equal(p->n_employees, 3);
    page_free(p);
}

static void test_envelope_inline(void **state)
{
    static const struct {
        const char *body, *msg;
    } rows[] = {
        {"{\"data\":[],\"next_cursor\":null,\"server_time\":\"2025-12-15T03:10:00Z\",\"count\":-1}",
         "the page's \"count\" is negative, expected a non-negative integer"},
        {"{\"data\":[],\"next_cursor\":7,\"server_time\":\"2025-12-15T03:10:00Z\"}",
         "the page's \"next_cursor\" is an integer, expected a string or null"},
        {"{\"data\":[],\"next_cursor\":null,\"server_time\":null}",
         "the page's \"server_time\" is null, expected a string"},
        {"{\"data\":[],\"next_cursor\":null}", "the page has no \"server_time\""},
        {"{\"data\":null,\"next_cursor\":null,\"server_time\":\"2025-12-15T03:10:00Z\"}",
         "the page's \"data\" is null, expected an array"},
        {"{\"data\":[],\"next_cursor\":null,\"server_time\":\"2025-12-15\"}",
         "the page's \"server_time\" \"2025-12-15\" is not an RFC 3339 time"},
        /* invalid UTF-8 in a key, and an overlong encoding */
        {"{\"d\xe1ta\":[]}",
         "invalid JSON at line 1, column 3 (byte 3): unable to decode byte 0xe1"},
        {"{\"data\":[{\"nama\":\"\xc0\xaf\"}]}",
         "invalid JSON at line 1, column 18 (byte 18): unable to decode byte 0xc0"},
        {"{\"data\":[]} x", "invalid JSON at line 1, column 13 (byte 13): end of file expected"},
        {"", "invalid JSON at line 1, column 0 (byte 0): '[' or '{' expected"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err;
        struct page *p = decode_text(PAGE, rows[i].body, strlen(rows[i].body), 500, &err);

        if (p)
            fail_msg("row %zu decoded", i);
        if (strcmp(err.msg, rows[i].msg) != 0)
            fail_msg("row %zu: \"%s\", expected \"%s\"", i, err.msg, rows[i].msg);
    }
}

/* An empty listing, and an unknown envelope key. */
static void test_envelope_minimal(void **state)
{
    static const char body[] = "{\"data\":[],\"next_cursor\":null,\"server_time\":"
                               "\"2025-12-15T10:10:00+07:00\",\"links\":{\"self\":\"/v1/asn\"}}";
    struct error err;
    struct page *p = decode_text(PAGE, body, strlen(body), 500, &err);

    assert_non_null(p);
    assert_int_equal(p->n_employees, 0);
    assert_int_equal(p->n_rejected, 0);
    assert_null(p->next_cursor);
    assert_int_equal(p->server_time, 1765768200);
    assert_int_equal(p->count, -1);
    page_free(p);
}

/* ---- nesting depth -------------------------------------------------- */

/* jansson's limit (JSON_PARSER_MAX_DEPTH) is 2048 nested arrays and
 * objects: the page object, data, the record and 2045 arrays decode, one
 * array more does not. */
static void test_depth(void **state)
{
    static const int arrays[] = {2045, 2046};

    for (size_t i = 0; i < ARRAY_SIZE(arrays); i++) {
        struct strbuf b = {0};
        struct error err;
        struct page *p;

        strbuf_append(&b, "{\"data\":[{\"nipBaru\":\"198804122014031002\",\"nama\":\"A\",\"x\":");
        for (int k = 0; k < arrays[i]; k++)
            strbuf_addn(&b, "[", 1);
        for (int k = 0; k < arrays[i]; k++)
            strbuf_addn(&b, "]", 1);
        strbuf_append(&b, "}],\"next_cursor\":null,\"server_time\":\"2025-12-15T03:10:00Z\"}");
        p = decode_text(PAGE, b.s, b.len, 500, &err);
        if (i == 0) {
            assert_non_null(p);
            assert_int_equal(p->n_employees, 1);
            assert_null(strstr(p->employees[0].raw, "\"x\"")); /* no field of the contract */
        } else {
            assert_null(p);
            assert_non_null(strstr(err.msg, "maximum parsing depth reached"));
        }
        page_free(p);
        strbuf_free(&b);
    }
}

/* ---- JSONTestSuite -------------------------------------------------- */

/* The next n_ body of JSONTestSuite in d: its name, and its text in *text
 * (the caller frees); NULL after the last. The 188 files are the suite's,
 * one renamed (n_object_lone_continuation_byte_in_key_and_trailing_comma.json)
 * to fit the 99 characters a v7 tar archive keeps of a path. */
static const char *next_n_body(DIR *d, char **text, size_t *len)
{
    struct dirent *de;

    while ((de = readdir(d))) {
        char path[1024];

        if (strncmp(de->d_name, "n_", 2) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", FIXTURES "/JSONTestSuite", de->d_name);
        *text = read_file(path, len);
        return de->d_name;
    }
    return NULL;
}

/* Every n_ body of JSONTestSuite fails in jansson itself, for each entry
 * point, with a one-line error. */
static void test_json_test_suite(void **state)
{
    DIR *d = opendir(FIXTURES "/JSONTestSuite");
    const char *name;
    char *text;
    size_t len, files = 0;

    assert_non_null(d);
    while ((name = next_n_body(d, &text, &len))) {
        for (enum decoder which = PAGE; which <= ANY; which++) {
            struct error err;
            struct page *p = decode_text(which, text, len, 1000, &err);

            if (p)
                fail_msg("%s decoded", name);
            if (strncmp(err.msg, "invalid JSON at line ", 21) != 0)
                fail_msg("%s: \"%s\"", name, err.msg);
            for (const char *c = err.msg; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                    fail_msg("%s: unprintable byte in \"%s\"", name, err.msg);
        }
        free(text);
        files++;
    }
    closedir(d);
    assert_int_equal(files, 188);
}

/* ---- split against whole -------------------------------------------- */

/* The decoders of a listing page agree. Where the whole one decodes, the
 * split one gives the same page or declines, and simpeg_decode_page gives
 * that page. Where the whole one rejects the page and the split one takes
 * it, the page holds a record jansson rejects on its own, quarantined (a
 * poisoned record does not fail its page), and simpeg_decode_page gives
 * the split page. Otherwise both fail with the whole one's error. Returns
 * whether the page decoded. */
static bool decoders_agree(const char *what, const char *text, size_t len, int page_size,
                           bool must_split)
{
    struct simpeg_limits lim = simpeg_limits_for(page_size);
    struct error e_whole = {{0}}, e_page = {{0}};
    struct page *split = simpeg_decode_page_split(text, len, &lim);
    struct page *whole = simpeg_decode_page_whole(text, len, &lim, &e_whole);
    struct page *p = simpeg_decode_page(text, len, &lim, NULL, &e_page);
    const char *diff;
    bool ok = p != NULL;

    if (must_split && !split)
        fail_msg("%s: the split decoder declined", what);
    if (split && !whole && !page_has_unparsed(split))
        fail_msg("%s: split decoded what whole rejects (%s), and no record alone", what,
                 e_whole.msg);
    if (split && whole && (diff = page_diff(split, whole)))
        fail_msg("%s: split and whole differ in %s", what, diff);
    if (!p != (!whole && !split))
        fail_msg("%s: decode_page %s, whole %s, split %s", what, p ? "decoded" : e_page.msg,
                 whole ? "decoded" : e_whole.msg, split ? "decoded" : "declined");
    if (p && (diff = page_diff(p, split ? split : whole)))
        fail_msg("%s: decode_page and %s differ in %s", what, split ? "split" : "whole", diff);
    if (!p)
        assert_string_equal(e_page.msg, e_whole.msg);
    page_free(split);
    page_free(whole);
    page_free(p);
    return ok;
}

/* Every page fixture: the good and rejecting ones split, the broken
 * envelopes are the whole decoder's to judge. */
static void test_split_fixtures(void **state)
{
    const char *dir = FIXTURES "/pages";
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t files = 0, split = 0;

    assert_non_null(d);
    while ((de = readdir(d))) {
        char path[1024];
        size_t len;
        char *text;
        bool good = strncmp(de->d_name, "envelope-", 9) != 0;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        text = read_file(path, &len);
        assert_true(decoders_agree(de->d_name, text, len, 500, good) || !good);
        decoders_agree(de->d_name, text, len, 2, false);
        free(text);
        files++;
        split += good;
    }
    closedir(d);
    assert_int_equal(files, 33);
    assert_int_equal(split, 24);
}

/* Shapes the scan must follow or decline; the verdict is always whole's. */
static void test_split_shapes(void **state)
{
    char deep[400];
    size_t k = 0;
    static const struct {
        const char *text;
        bool splits, decodes;
    } rows[] = {
        {"{\"data\": []" SPLIT_END, true, true},
        {"{\"data\": [ ]" SPLIT_END, true, true},
        {" { \"next_cursor\" : null , \"server_time\" : \"2026-01-01T00:00:00Z\" , \"data\" :"
         " [ " SPLIT_REC " , " SPLIT_REC " ] } \n",
         true, true},
        {"{\"data\": [1, \"x\", null, [], {}]" SPLIT_END, true, true},
        /* reals of more than 15 digits, kept exactly by both */
        {"{\"data\": [{\"nipBaru\": 198891.2041220140310 }, {\"nipBaru\": "
         "\"198804122014031002\", \"nama\": \"A\", \"x\": 0.12345678901234567891}]" SPLIT_END,
         true, true},
        {"{\"data\": [{\"nipBaru\": \"198804122014031002\", \"nama\": "
         "\"A\\\"]},{\\\\\"}]" SPLIT_END,
         true, true},
        {"{\"data\": [" SPLIT_REC "], \"x\": {\"data\": [1, {\"]\": \"[\"}]}" SPLIT_END, true,
         true},
        {"{\"d\\u0061ta\": [" SPLIT_REC "]" SPLIT_END, false, true},
        {"{\"data\": [" SPLIT_REC ",]" SPLIT_END, false, false},
        {"{\"data\": [," SPLIT_REC "]" SPLIT_END, false, false},
        {"{\"data\": [" SPLIT_REC " " SPLIT_REC "]" SPLIT_END, false, false},
        {"{\"data\": [" SPLIT_REC "],," SPLIT_END, false, false},
        {"{\"data\": [], \"data\": [" SPLIT_REC "]" SPLIT_END, false, false},
        {"{\"data\": [], \"d\\u0061ta\": []" SPLIT_END, false, false},
        {"{\"data\": {}" SPLIT_END, false, false},
        /* a bare word that is no JSON value: that record alone is quarantined */
        {"{\"data\": [nul]" SPLIT_END, true, true},
        {"{\"data\": [tru e]" SPLIT_END, false, false},
        {"{\"data\": [\"open]" SPLIT_END, false, false},
        /* brackets that do not pair inside an element: that record alone */
        {"{\"data\": [[1}]" SPLIT_END, true, true},
        {"{\"data\": [" SPLIT_REC "]" SPLIT_END " x", false, false},
        {"{\"data\": [" SPLIT_REC "]" SPLIT_END "{}", false, false},
        {"{\"data\": [" SPLIT_REC "]\f" SPLIT_END, false, false},
        {"\xef\xbb\xbf{\"data\": []" SPLIT_END, false, false},
        {"{\"data\": [], \"next_cursor\": null}", false, false},
        {"{\"data\": [" SPLIT_REC ", " SPLIT_REC ", " SPLIT_REC "]" SPLIT_END, true, true},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char what[32];

        snprintf(what, sizeof(what), "shape %zu", i);
        if (decoders_agree(what, rows[i].text, strlen(rows[i].text), 500, rows[i].splits) !=
            rows[i].decodes)
            fail_msg("%s: %s, expected the other", what, rows[i].decodes ? "failed" : "decoded");
        if (!rows[i].splits) {
            struct simpeg_limits lim = simpeg_limits_for(500);
            struct page *p = simpeg_decode_page_split(rows[i].text, strlen(rows[i].text), &lim);

            if (p)
                fail_msg("%s: split did not decline", what);
        }
    }
    /* more records than the limit: whole's error */
    assert_false(decoders_agree("over the limit", rows[ARRAY_SIZE(rows) - 1].text,
                                strlen(rows[ARRAY_SIZE(rows) - 1].text), 2, false));
    /* nested deeper than the scan follows: whole decodes it */
    k += (size_t)snprintf(deep, sizeof(deep),
                          "{\"data\": [{\"nipBaru\": \"198804122014031002\","
                          " \"nama\": \"Andi\", \"x\": ");
    for (int i = 0; i < 70; i++)
        deep[k++] = '[';
    for (int i = 0; i < 70; i++)
        deep[k++] = ']';
    snprintf(deep + k, sizeof(deep) - k, "}]" SPLIT_END);
    assert_true(decoders_agree("deep", deep, strlen(deep), 500, false));
}

/* Every n_ body of JSONTestSuite inside a page, as a record, as the data
 * array and as another member: whole rejects and split declines, but for
 * one jansson leniency. */
static void test_split_json_test_suite(void **state)
{
    static const char *const frames[][2] = {
        {"{\"data\": [" SPLIT_REC ", ", "]" SPLIT_END},
        {"{\"data\": ", SPLIT_END},
        {"{\"x\": ", ", \"data\": [" SPLIT_REC "]" SPLIT_END},
    };
    DIR *d = opendir(FIXTURES "/JSONTestSuite");
    const char *name;
    char *text;
    size_t len, rejected = 0, quarantined = 0;

    assert_non_null(d);
    while ((name = next_n_body(d, &text, &len))) {
        for (size_t f = 0; f < ARRAY_SIZE(frames); f++) {
            struct strbuf b = {0};

            strbuf_addn(&b, frames[f][0], strlen(frames[f][0]));
            strbuf_addn(&b, text, len);
            strbuf_addn(&b, frames[f][1], strlen(frames[f][1]));
            /* As a record (frame 0), or as the data array when the scan can
             * frame its elements (frame 1), what jansson rejects is a
             * record alone gone wrong: decoders_agree holds it to be
             * quarantined. As another member (frame 2) it breaks the
             * envelope: the page fails. */
            if (!decoders_agree(name, b.s, b.len, 500, false))
                rejected++;
            else if (f < 2)
                quarantined += strcmp(name, "n_multidigit_number_then_00.json") != 0;
            else if (strcmp(name, "n_multidigit_number_then_00.json") != 0 || f == 1)
                fail_msg("%s in frame %zu decoded", name, f);
            strbuf_free(&b);
        }
        free(text);
    }
    closedir(d);
    /* jansson takes a NUL byte after a number for its end ("[123\0]" is
     * [123]): "123\0" passes as a record or a member's value, and it is the
     * whole decoder's verdict that stands. */
    assert_int_equal(rejected + quarantined, 3 * 188 - 2);
    assert_true(quarantined > 0);
    assert_true(rejected >= 188);
}

/* ---- fields, one row per case --------------------------------------- */

static void test_derived(void **state)
{
    static const struct {
        const char *extra;
        enum employee_status status;
        enum position_type position;
        int eselon_level;
        char sex;
    } rows[] = {
        {"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"statusCpnsPns\": \"P\"", STATUS_PNS, POSITION_UNKNOWN, 0, 0},
        {"\"statusCpnsPns\": \"C\"", STATUS_CPNS, POSITION_UNKNOWN, 0, 0},
        {"\"statusCpnsPns\": \"P\", \"kedudukanPnsId\": \"71\"", STATUS_PPPK, POSITION_UNKNOWN, 0,
         0},
        {"\"kedudukanPnsId\": 72", STATUS_PPPK, POSITION_UNKNOWN, 0, 0},
        {"\"statusCpnsPns\": \"P\", \"kedudukanPnsId\": \"01\"", STATUS_PNS, POSITION_UNKNOWN, 0,
         0},
        {"\"jenisJabatanId\": \"1\", \"eselonId\": \"11\"", STATUS_UNKNOWN, POSITION_STRUKTURAL, 1,
         0},
        {"\"jenisJabatanId\": \"1\", \"eselonId\": \"22\"", STATUS_UNKNOWN, POSITION_STRUKTURAL, 2,
         0},
        {"\"jenisJabatanId\": \"1\", \"eselonId\": 31", STATUS_UNKNOWN, POSITION_STRUKTURAL, 3, 0},
        {"\"jenisJabatanId\": \"1\", \"eselonId\": \"42\"", STATUS_UNKNOWN, POSITION_STRUKTURAL, 4,
         0},
        {"\"jenisJabatanId\": \"1\", \"eselonId\": \"52\"", STATUS_UNKNOWN, POSITION_STRUKTURAL, 0,
         0},
        {"\"jenisJabatanId\": \"2\"", STATUS_UNKNOWN, POSITION_FUNGSIONAL, 0, 0},
        {"\"jenisJabatanId\": \"4\"", STATUS_UNKNOWN, POSITION_PELAKSANA, 0, 0},
        {"\"jenisJabatanId\": 4", STATUS_UNKNOWN, POSITION_PELAKSANA, 0, 0},
        {"\"jenisJabatanId\": \"3\", \"eselonId\": \"41\"", STATUS_UNKNOWN, POSITION_STRUKTURAL, 4,
         0},
        {"\"jenisJabatanId\": \"3\", \"eselonId\": \"99\"", STATUS_UNKNOWN, POSITION_FUNGSIONAL, 0,
         0},
        {"\"jenisJabatanId\": \"3\", \"eselonId\": \"\"", STATUS_UNKNOWN, POSITION_FUNGSIONAL, 0,
         0},
        {"\"jenisJabatanId\": \"3\", \"eselonId\": null", STATUS_UNKNOWN, POSITION_FUNGSIONAL, 0,
         0},
        {"\"jenisJabatanId\": \"3\"", STATUS_UNKNOWN, POSITION_FUNGSIONAL, 0, 0},
        {"\"jenisJabatanId\": \"5\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"jenisJabatanId\": \"struktural\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"jenisJabatanId\": \"\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"eselonId\": \"99\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"eselonId\": \"4\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"jenisKelamin\": \"M\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 'M'},
        {"\"jenisKelamin\": \"F\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 'F'},
        {"\"jenisKelamin\": \"Pria\"", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
        {"\"jenisKelamin\": null", STATUS_UNKNOWN, POSITION_UNKNOWN, 0, 0},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err;
        struct page *p = decode_record(rows[i].extra, &err);
        const struct employee *e = one_employee(p, &err, rows[i].extra);

        if (e->status != rows[i].status || e->position != rows[i].position ||
            e->eselon_level != rows[i].eselon_level || e->sex != rows[i].sex)
            fail_msg("%s: status %d position %d eselon %d sex %d", rows[i].extra, e->status,
                     e->position, e->eselon_level, e->sex);
        page_free(p);
    }
}

static void test_codes(void **state)
{
    static const struct {
        const char *field, *json, *expected;
    } rows[] = {
        {"kedudukanPnsId", "1", "01"},
        {"kedudukanPnsId", "\"1\"", "01"},
        {"kedudukanPnsId", "\"01\"", "01"},
        {"kedudukanPnsId", "71", "71"},
        {"tkPendidikanTerakhirId", "5", "05"},
        {"tkPendidikanTerakhirId", "\"05\"", "05"},
        {"eselonId", "41", "41"},
        {"golRuangAkhirId", "0", "00"},
        {"golRuangAkhirId", "\"IV/a\"", "IV/a"},
        {"jenisJabatanId", "1", "1"}, /* not a two-digit code */
        {"opdId", "120301", "120301"},
        {"opdId", "-7", "-7"},
        {"unorId", "\"007\"", "007"},
        {"id", "1234567890123", "1234567890123"},
        {"instansiIndukId", "null", NULL},
        {"instansiIndukId", "\"\"", NULL},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char extra[256];
        struct error err;
        struct page *p;
        const struct employee *e;
        const char *got;

        snprintf(extra, sizeof(extra), "\"%s\": %s", rows[i].field, rows[i].json);
        p = decode_record(extra, &err);
        e = one_employee(p, &err, extra);
        if (strcmp(rows[i].field, "kedudukanPnsId") == 0)
            got = e->kedudukan_id;
        else if (strcmp(rows[i].field, "tkPendidikanTerakhirId") == 0)
            got = e->edu_level_id;
        else if (strcmp(rows[i].field, "eselonId") == 0)
            got = e->eselon_id;
        else if (strcmp(rows[i].field, "golRuangAkhirId") == 0)
            got = e->grade_id;
        else if (strcmp(rows[i].field, "jenisJabatanId") == 0)
            got = e->position_type_id;
        else if (strcmp(rows[i].field, "opdId") == 0)
            got = e->opd_id;
        else if (strcmp(rows[i].field, "unorId") == 0)
            got = e->unor_id;
        else if (strcmp(rows[i].field, "id") == 0)
            got = e->id;
        else
            got = e->instansi_id;
        if (rows[i].expected ? !got || strcmp(got, rows[i].expected) != 0 : got != NULL)
            fail_msg("%s: got \"%s\"", extra, got ? got : "(null)");
        page_free(p);
    }
}

/* Both date formats and the no-date markers, in tglLahir. */
static void test_dates(void **state)
{
    static const struct {
        const char *json, *expected;
        bool note;
    } rows[] = {
        {"\"1988-04-12\"", "1988-04-12", false},
        {"\"12-04-1988\"", "1988-04-12", false},
        {"\"1988-04-12T00:00:00Z\"", "1988-04-12", false},
        {"\"1988-04-12 00:00:00\"", "1988-04-12", false},
        {"\"29-02-2000\"", "2000-02-29", false},
        {"\"\"", "", false},
        {"null", "", false},
        {"\"0001-01-01\"", "", false},
        {"\"01-01-0001\"", "", false},
        {"\"29-02-1900\"", "", true},
        {"\"1988-4-12\"", "", true},
        {"\"12/04/1988\"", "", true},
        {"\"1988-04-31\"", "", true},
        {"\"kemarin\"", "", true},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char extra[128], buf[11];
        struct error err;
        struct page *p;
        const struct employee *e;
        const struct decode_note *n;

        snprintf(extra, sizeof(extra), "\"tglLahir\": %s", rows[i].json);
        p = decode_record(extra, &err);
        e = one_employee(p, &err, extra);
        if (strcmp(date_text(e->birth_date, buf), rows[i].expected) != 0)
            fail_msg("%s: got %s", extra, buf);
        n = find_note(e, "tglLahir");
        if ((n != NULL) != rows[i].note)
            fail_msg("%s: note %s", extra, n ? "present" : "missing");
        if (n) {
            assert_string_equal(n->code, "date_invalid");
            assert_int_equal(strlen(n->value) + 2, strlen(rows[i].json));
            assert_true(strncmp(n->value, rows[i].json + 1, strlen(n->value)) == 0);
        }
        page_free(p);
    }
}

/* Numbers as JSON numbers or numeric strings, with their ranges. */
static void test_numbers(void **state)
{
    static const struct {
        const char *field, *json;
        int expected;
        const char *note_value; /* value_invalid with this text, or NULL */
    } rows[] = {
        {"jumlahJam", "24", 24, NULL},
        {"jumlahJam", "\"24\"", 24, NULL},
        {"jumlahJam", "24.0", 24, NULL},
        {"jumlahJam", "\"24.0\"", 24, NULL},
        {"jumlahJam", "0", 0, NULL},
        {"jumlahJam", "null", HOURS_NONE, NULL},
        {"jumlahJam", "\"\"", HOURS_NONE, NULL},
        {"jumlahJam", "10000", 10000, NULL},
        {"jumlahJam", "10001", HOURS_NONE, "10001"},
        {"jumlahJam", "-8", HOURS_NONE, "-8"},
        {"jumlahJam", "\"-8\"", HOURS_NONE, "-8"},
        {"jumlahJam", "7.5", HOURS_NONE, "7.5"},
        {"jumlahJam", "\"8 JP\"", HOURS_NONE, "8 JP"},
        {"jumlahJam", "\" 8\"", HOURS_NONE, " 8"},
        {"jumlahJam", "\"1e400\"", HOURS_NONE, "1e400"},
        {"jumlahJam", "99999999999999999", HOURS_NONE, "99999999999999999"},
        {"tahunKursus", "2020", 2020, NULL},
        {"tahunKursus", "\"2020\"", 2020, NULL},
        {"tahunKursus", "0", YEAR_NONE, "0"},
        {"tahunKursus", "10000", YEAR_NONE, "10000"},
        {"tahunKursus", "\"20-20\"", YEAR_NONE, "20-20"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char extra[256], field[64];
        struct error err;
        struct page *p;
        const struct employee *e;
        const struct decode_note *n;
        int got;

        snprintf(extra, sizeof(extra), "\"rwKursus\": [{\"id\": \"k\", \"%s\": %s}]", rows[i].field,
                 rows[i].json);
        p = decode_record(extra, &err);
        e = one_employee(p, &err, extra);
        got = strcmp(rows[i].field, "jumlahJam") == 0 ? e->courses[0].hours : e->courses[0].year;
        if (got != rows[i].expected)
            fail_msg("%s: got %d", extra, got);
        snprintf(field, sizeof(field), "rwKursus[0].%s", rows[i].field);
        n = find_note(e, field);
        if (rows[i].note_value) {
            if (!n)
                fail_msg("%s: no note", extra);
            assert_string_equal(n->code, "value_invalid");
            assert_string_equal(n->value, rows[i].note_value);
        } else if (n) {
            fail_msg("%s: note %s", extra, n->code);
        }
        page_free(p);
    }
}

static void test_skp_score(void **state)
{
    static const struct {
        const char *entry;
        bool has;
        double score;
        const char *field;
    } rows[] = {
        {"\"nilaiPrestasiKerja\": 82.5, \"nilairatarata\": 80", true, 82.5, "nilaiPrestasiKerja"},
        {"\"nilaiPrestasiKerja\": \"82.50\"", true, 82.5, "nilaiPrestasiKerja"},
        {"\"nilaiPrestasiKerja\": null, \"nilairatarata\": 55", true, 55, "nilairatarata"},
        {"\"nilaiPrestasiKerja\": \"\", \"nilairatarata\": \"74.00\"", true, 74, "nilairatarata"},
        {"\"nilaiPrestasiKerja\": \"baik\", \"nilairatarata\": 76", true, 76, "nilairatarata"},
        {"\"nilairatarata\": 91.2", true, 91.2, "nilairatarata"},
        {"\"nilaiPrestasiKerja\": 0", true, 0, "nilaiPrestasiKerja"},
        /* kept as given: the 0-120 range is the scorer's */
        {"\"nilaiPrestasiKerja\": 150", true, 150, "nilaiPrestasiKerja"},
        {"\"tahun\": 2019", false, 0, NULL},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char extra[256];
        struct error err;
        struct page *p;
        const struct skp *s;

        snprintf(extra, sizeof(extra), "\"rwSkp\": [{\"id\": \"s\", %s}]", rows[i].entry);
        p = decode_record(extra, &err);
        s = &one_employee(p, &err, extra)->skp[0];
        if (s->has_score != rows[i].has || (s->has_score && s->score != rows[i].score))
            fail_msg("%s: has %d score %g", extra, s->has_score, s->score);
        if (rows[i].field)
            assert_string_equal(s->score_field, rows[i].field);
        else
            assert_null(s->score_field);
        page_free(p);
    }
}

static void test_sanctions(void **state)
{
    static const struct {
        const char *entry;
        enum sanction_level level;
        bool annulled;
    } rows[] = {
        {"\"jenisTingkatHukumanId\": \"R\"", SANCTION_RINGAN, false},
        {"\"jenisTingkatHukumanId\": \"S\"", SANCTION_SEDANG, false},
        {"\"jenisTingkatHukumanId\": \"B\"", SANCTION_BERAT, false},
        {"\"jenisTingkatHukumanId\": \"b\"", SANCTION_BERAT, false},
        {"\"jenisTingkatHukumanId\": \"2\"", SANCTION_UNKNOWN, false},
        {"\"jenisTingkatHukumanId\": 2", SANCTION_UNKNOWN, false},
        {"\"jenisTingkatHukumanId\": \"\"", SANCTION_NONE, false},
        {"\"jenisTingkatHukumanId\": null", SANCTION_NONE, false},
        {"\"jenisTingkatHukumanId\": \"B\", \"skPembatalanNomor\": \"862/045/BKD\"", SANCTION_BERAT,
         true},
        {"\"jenisTingkatHukumanId\": \"S\", \"skPembatalanNomor\": 17", SANCTION_SEDANG, true},
        {"\"jenisTingkatHukumanId\": \"S\", \"skPembatalanNomor\": \"\"", SANCTION_SEDANG, false},
        {"\"jenisTingkatHukumanId\": \"S\", \"skPembatalanNomor\": \"  \"", SANCTION_SEDANG, false},
        {"\"jenisTingkatHukumanId\": \"S\", \"skPembatalanNomor\": null", SANCTION_SEDANG, false},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char extra[256];
        struct error err;
        struct page *p;
        const struct sanction *s;

        snprintf(extra, sizeof(extra), "\"rwHukdis\": [{\"id\": \"h\", %s}]", rows[i].entry);
        p = decode_record(extra, &err);
        s = &one_employee(p, &err, extra)->sanctions[0];
        if (s->level != rows[i].level || s->annulled != rows[i].annulled)
            fail_msg("%s: level %d annulled %d", extra, s->level, s->annulled);
        page_free(p);
    }
}

static void test_official_ipasn(void **state)
{
    static const struct {
        const char *json;
        int total;
        bool note;
    } rows[] = {
        {"85", 850, false},       {"85.0", 850, false},      {"\"85.00\"", 850, false},
        {"81.35", 814, false},    {"81.34", 813, false},     {"85.05", 851, false},
        {"85.04", 850, false},    {"\"69.33\"", 693, false}, {"0", 0, false},
        {"100", 1000, false},     {"100.01", -1, true},      {"-1", -1, true},
        {"\"tinggi\"", -1, true}, {"null", -1, false},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        char extra[256];
        struct error err;
        struct page *p;
        const struct employee *e;

        snprintf(extra, sizeof(extra), "\"ipAsn\": {\"tahun\": 2024, \"total\": %s}", rows[i].json);
        p = decode_record(extra, &err);
        e = one_employee(p, &err, extra);
        assert_true(e->ipasn.present);
        assert_int_equal(e->ipasn.year, 2024);
        assert_int_equal(e->ipasn.qualification, -1);
        if (e->ipasn.total != rows[i].total)
            fail_msg("%s: total %d", extra, e->ipasn.total);
        if ((find_note(e, "ipAsn.total") != NULL) != rows[i].note)
            fail_msg("%s: note", extra);
        page_free(p);
    }
}

/* Every value 0.00..100.00 with two decimals, as a JSON number and as a
 * string, rounds half up to tenths as its decimal text says. */
static void test_official_ipasn_rounding(void **state)
{
    struct strbuf b = {0};
    struct error err;
    struct page *p;

    strbuf_append(&b, "[");
    for (int k = 0; k <= 10000; k++)
        strbuf_append(&b,
                      "%s{\"nipBaru\": \"198804122014031002\", \"nama\": \"A\", \"ipAsn\": "
                      "{\"total\": %d.%02d, \"kinerja\": \"%d.%02d\"}}",
                      k ? "," : "", k / 100, k % 100, k / 100, k % 100);
    strbuf_append(&b, "]");
    p = decode_text(ANY, b.s, b.len, 10001, &err);
    if (!p)
        fail_msg("%s", err.msg);
    assert_int_equal(p->n_employees, 10001);
    for (int k = 0; k <= 10000; k++) {
        const struct official_ipasn *ip = &p->employees[k].ipasn;
        int tenths = k / 10 + (k % 10 >= 5);

        if (ip->total != tenths || ip->performance != tenths)
            fail_msg("%d.%02d: %d and %d, expected %d", k / 100, k % 100, ip->total,
                     ip->performance, tenths);
    }
    page_free(p);
    strbuf_free(&b);
}

/* Wrong JSON types of the known fields reject; unknown fields never do. */
static void test_types(void **state)
{
    static const struct {
        const char *extra;
        const char *reason; /* NULL: decodes */
    } rows[] = {
        {"\"gelarDepan\": true", "gelarDepan is a boolean, expected a string"},
        {"\"gelarDepan\": 7", "gelarDepan is an integer, expected a string"},
        {"\"eselonId\": 4.1", "eselonId is a real number, expected a string or an integer"},
        {"\"updatedAt\": 1765768200", "updatedAt is an integer, expected an RFC 3339 time string"},
        {"\"rwSkp\": [{\"nilaiPrestasiKerja\": true}]",
         "rwSkp[0].nilaiPrestasiKerja is a boolean, expected a number or a numeric string"},
        {"\"rwSkp\": [{\"nilaiPrestasiKerja\": 80, \"nilairatarata\": [80]}]",
         "rwSkp[0].nilairatarata is an array, expected a number or a numeric string"},
        {"\"rwSkp22\": [{\"KuadranKinerjaNilai\": {}}]",
         "rwSkp22[0].KuadranKinerjaNilai is an object, expected a string or an integer"},
        {"\"rwHukdis\": [{\"skPembatalanNomor\": false}]",
         "rwHukdis[0].skPembatalanNomor is a boolean, expected a string or an integer"},
        {"\"rwDiklat\": [null]", "rwDiklat[0] is null, expected an object"},
        {"\"ipAsn\": [85]", "ipAsn is an array, expected an object"},
        {"\"ipAsn\": {\"total\": true}",
         "ipAsn.total is a boolean, expected a number or a numeric string"},
        {"\"deleted\": 1", "deleted is an integer, expected a boolean"},
        {"\"deleted\": null", NULL},
        {"\"rwKursus\": null, \"rwSkp\": []", NULL},
        {"\"rwKursus\": [{}]", NULL},
        {"\"foto\": {\"a\": [1, {\"b\": null}]}, \"Nama\": 5, \"rwX\": 7", NULL},
        /* without the name of decode_record */
        {"!\"nama\": null, \"deleted\": false", "nama is null, expected a string"},
        {"!\"nama\": 0", "nama is an integer, expected a string"},
        {"!\"deleted\": true, \"nama\": {}", "nama is an object, expected a string"},
        {"!\"deleted\": true, \"nama\": null", NULL},
        {"!\"deleted\": true, \"nama\": \"\"", NULL},
        {"!\"deleted\": false", "nama is missing"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err;
        struct page *p = rows[i].extra[0] == '!' ? decode_keyed(rows[i].extra + 1, &err)
                                                 : decode_record(rows[i].extra, &err);

        assert_non_null(p);
        if (!rows[i].reason) {
            one_employee(p, &err, rows[i].extra);
        } else {
            if (p->n_rejected != 1)
                fail_msg("%s: not rejected", rows[i].extra);
            assert_string_equal(p->rejected[0].code, "record_malformed");
            if (strcmp(p->rejected[0].reason, rows[i].reason) != 0)
                fail_msg("%s: \"%s\"", rows[i].extra, p->rejected[0].reason);
            assert_string_equal(p->rejected[0].nip, "198804122014031002");
        }
        page_free(p);
    }
}

/* A tombstone needs only its key. */
static void test_tombstone(void **state)
{
    static const char body[] = "{\"nipBaru\": \"198804122014031002\", \"deleted\": true}";
    struct error err;
    struct page *p = decode_text(ANY, body, strlen(body), 500, &err);
    const struct employee *e = one_employee(p, &err, body);

    assert_true(e->deleted);
    assert_null(e->name);
    assert_int_equal(e->status, STATUS_UNKNOWN);
    assert_int_equal(e->position, POSITION_UNKNOWN);
    assert_int_equal(e->ipasn.total, -1);
    assert_string_equal(e->raw, "{\"nipBaru\":\"198804122014031002\",\"deleted\":true}");
    page_free(p);
}

static void test_duplicate_ids(void **state)
{
    static const char extra[] =
        "\"rwPendidikan\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"a\"}, "
        "{\"id\": 7}, {\"id\": null}, {}, {\"id\": \"a\"}, {\"id\": \"7\"}], "
        "\"rwSkp\": [{\"id\": \"a\"}], \"rwSkp22\": [{\"id\": \"a\"}]";
    static const struct {
        const char *field, *value;
    } expected[] = {
        {"rwPendidikan[2].id", "a"},
        {"rwPendidikan[6].id", "a"},
        {"rwPendidikan[7].id", "7"},
    };
    struct error err;
    struct page *p = decode_record(extra, &err);
    const struct employee *e = one_employee(p, &err, extra);

    assert_int_equal(e->n_notes, ARRAY_SIZE(expected));
    for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
        assert_string_equal(e->notes[i].code, "duplicate_record");
        assert_string_equal(e->notes[i].field, expected[i].field);
        assert_string_equal(e->notes[i].value, expected[i].value);
    }
    page_free(p);
}

/* A history of max_history entries decodes; duplicates among many ids are
 * found too. */
static void test_long_history(void **state)
{
    struct strbuf b = {0};
    struct error err;
    struct page *p;
    const struct employee *e;

    strbuf_append(&b, "\"rwKursus\": [");
    for (int i = 0; i < 1000; i++)
        strbuf_append(&b, "%s{\"id\": \"k-%d\", \"jumlahJam\": %d}", i ? ", " : "",
                      i == 999 ? 17 : i, i);
    strbuf_append(&b, "]");
    p = decode_record(b.s, &err);
    e = one_employee(p, &err, "1000 courses");
    assert_int_equal(e->n_courses, 1000);
    assert_int_equal(e->courses[999].hours, 999);
    assert_int_equal(e->n_notes, 1);
    assert_string_equal(e->notes[0].field, "rwKursus[999].id");
    assert_string_equal(e->notes[0].value, "k-17");
    page_free(p);
    strbuf_free(&b);
}

/* ---- content hash --------------------------------------------------- */

static void test_content_hash(void **state)
{
    /* The same record three times: as sent, then with another spacing and
     * another key order, which SIMPEG does not do from one answer to the
     * next; then with one value changed. */
    static const char *const texts[] = {
        "{\"nipBaru\":\"198804122014031002\",\"nama\":\"Andi\",\"rwSkp\":[{\"id\":\"s\","
        "\"tahun\":2019,\"nilaiPrestasiKerja\":82.50}],\"ipAsn\":{\"total\":1,\"tahun\":2}}",
        "{ \"nipBaru\": \"198804122014031002\",\n  \"nama\": \"And\\u0069\", \"rwSkp\": [ { "
        "\"id\": "
        "\"s\", \"tahun\": 2019, \"nilaiPrestasiKerja\": 8.25e1 } ], \"ipAsn\": { \"total\": 1, "
        "\"tahun\": 2 } }",
        "{\"ipAsn\":{\"tahun\":2,\"total\":1},\"rwSkp\":[{\"nilaiPrestasiKerja\":82.5,"
        "\"tahun\":2019,\"id\":\"s\"}],\"nama\":\"Andi\",\"nipBaru\":\"198804122014031002\"}",
        "{\"nipBaru\":\"198804122014031002\",\"nama\":\"Andi\",\"rwSkp\":[{\"id\":\"s\","
        "\"tahun\":2019,\"nilaiPrestasiKerja\":82.6}],\"ipAsn\":{\"total\":1,\"tahun\":2}}",
    };
    uint64_t hashes[ARRAY_SIZE(texts)];
    json_t *first = json_loads(texts[0], 0, NULL);

    assert_non_null(first);
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
        struct strbuf body = {0};
        struct error err;
        struct page *p, *whole;
        const struct employee *e;
        json_t *again;

        /* In a listing page, raw is the text as received, spacing and all. */
        strbuf_append(&body,
                      "{\"data\": [\n%s\n], \"next_cursor\": null,"
                      " \"server_time\": \"2025-12-15T10:10:00+07:00\"}",
                      texts[i]);
        p = decode_text(PAGE, body.s, body.len, 500, &err);
        e = one_employee(p, &err, texts[i]);
        assert_string_equal(e->raw, texts[i]);
        assert_true(e->content_hash == hash64(texts[i], strlen(texts[i]), HASH64_INIT));
        hashes[i] = e->content_hash;
        for (size_t j = 0; j < i; j++)
            if (hashes[j] == hashes[i])
                fail_msg("text %zu hashes like text %zu", i, j);

        /* Parsed whole, raw is jansson's compact text of the same JSON. */
        whole = decode_text(ANY, texts[i], strlen(texts[i]), 500, &err);
        e = one_employee(whole, &err, texts[i]);
        assert_null(strchr(e->raw, ' '));
        again = json_loads(e->raw, 0, NULL);
        assert_non_null(again);
        assert_true(json_equal(again, first) == (i < 3));
        assert_true(e->content_hash == hash64(e->raw, strlen(e->raw), HASH64_INIT));
        json_decref(again);
        page_free(whole);
        page_free(p);
        strbuf_free(&body);
    }
    json_decref(first);
}

/* ---- single answers and `ipasnd score` input ------------------------ */

static void test_single(void **state)
{
    static const struct {
        const char *body;
        int employees, rejected;
        const char *msg;
    } rows[] = {
        {"{\"data\": {\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}}", 1, 0, NULL},
        {"{\"data\": {\"nipBaru\": \"198804122014031000\", \"nama\": \"Andi\"}, \"meta\": 1}", 0, 1,
         NULL},
        {"{\"data\": [{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}]}", 0, 0,
         "the answer's \"data\" is an array, expected an object"},
        {"{\"code\": 0, \"data\": \"NIP tidak ditemukan\"}", 0, 0,
         "the answer's \"data\" is a string, expected an object"},
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}", 0, 0,
         "the answer has no \"data\""},
        {"[]", 0, 0, "the body is an array, expected an object"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err;
        struct page *p = decode_text(SINGLE, rows[i].body, strlen(rows[i].body), 500, &err);

        if (rows[i].msg) {
            assert_null(p);
            assert_string_equal(err.msg, rows[i].msg);
            continue;
        }
        assert_non_null(p);
        assert_int_equal(p->n_employees, rows[i].employees);
        assert_int_equal(p->n_rejected, rows[i].rejected);
        assert_null(p->next_cursor);
        assert_int_equal(p->count, -1);
        page_free(p);
    }
}

static void test_any(void **state)
{
    static const struct {
        const char *body;
        int page_size, employees, rejected;
        const char *msg;
    } rows[] = {
        {"{\"data\": [{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}], "
         "\"next_cursor\": null, \"server_time\": \"2025-12-15T03:10:00Z\"}",
         500, 1, 0, NULL},
        {"{\"data\": [{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}]}", 500, 0, 0,
         "the page has no \"next_cursor\""},
        {"{\"data\": {\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}}", 500, 1, 0, NULL},
        {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\", \"data\": [1]}", 500, 1, 0,
         NULL},
        {"{\"nama\": \"Andi\"}", 500, 0, 1, NULL},
        {"[{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}, 5, "
         "{\"nipBaru\": \"198702022011012002\", \"nama\": \"Dewi\"}]",
         500, 2, 1, NULL},
        {"[]", 500, 0, 0, NULL},
        {"[{}, {}, {}]", 2, 0, 0, "3 records, more than the limit of 2"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct error err;
        struct page *p =
            decode_text(ANY, rows[i].body, strlen(rows[i].body), rows[i].page_size, &err);

        if (rows[i].msg) {
            if (p)
                fail_msg("row %zu decoded", i);
            assert_string_equal(err.msg, rows[i].msg);
            continue;
        }
        if (!p)
            fail_msg("row %zu: %s", i, err.msg);
        assert_int_equal(p->n_employees, rows[i].employees);
        assert_int_equal(p->n_rejected, rows[i].rejected);
        page_free(p);
    }
}

/* Records each a text of their own (a recompute's stored records) decode
 * as the same records in one array do. */
static void test_records(void **state)
{
    const char *dir = FIXTURES "/pages";
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t files = 0;

    assert_non_null(d);
    while ((de = readdir(d))) {
        char path[1024];
        size_t len, n;
        char *text, **texts;
        size_t *lens;
        struct strbuf arr = {0};
        json_t *root, *data;
        struct page *one, *all;
        struct error err;
        struct simpeg_limits lim = simpeg_limits_for(500);
        const char *diff;

        if (de->d_name[0] == '.' || strncmp(de->d_name, "envelope-", 9) == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        text = read_file(path, &len);
        root = json_loadb(text, len, 0, NULL);
        free(text);
        if (!(data = json_object_get(root, "data")) || !json_is_array(data)) {
            json_decref(root); /* a page jansson rejects: no records to take */
            continue;
        }
        n = json_array_size(data);
        texts = xcalloc(n + 1, sizeof(*texts));
        lens = xcalloc(n + 1, sizeof(*lens));
        strbuf_addn(&arr, "[", 1);
        for (size_t i = 0; i < n; i++) {
            texts[i] = json_dumps(json_array_get(data, i), JSON_ENCODE_ANY);
            lens[i] = strlen(texts[i]);
            if (i)
                strbuf_addn(&arr, ",", 1);
            strbuf_addn(&arr, texts[i], lens[i]);
        }
        strbuf_addn(&arr, "]", 1);
        one = simpeg_decode_records((const char *const *)texts, lens, (const char *const *)texts, n,
                                    &lim, &err);
        if (!one)
            fail_msg("%s: %s", de->d_name, err.msg);
        all = simpeg_decode_any(arr.s, arr.len, &lim, &err);
        assert_non_null(all);
        if ((diff = page_diff(one, all)))
            fail_msg("%s: record by record and as an array differ in %s", de->d_name, diff);
        assert_int_equal(one->n_employees + one->n_rejected, n);
        page_free(one);
        page_free(all);
        for (size_t i = 0; i < n; i++)
            free(texts[i]);
        free(texts);
        free(lens);
        strbuf_free(&arr);
        json_decref(root);
        files++;
    }
    closedir(d);
    assert_true(files >= 20);
}

static void test_records_errors(void **state)
{
    const char *texts[] = {"{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}", "5",
                           "{\"nipBaru\": \"198702022011012002\", \"nama\": "};
    const char *nips[] = {"198804122014031002", "5", "198702022011012002"};
    const char *spaced = " \n{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}\t\r\n";
    size_t lens[ARRAY_SIZE(texts)], spaced_len = strlen(spaced);
    struct simpeg_limits lim = simpeg_limits_for(500);
    struct error err = {{0}};
    struct page *p;

    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        lens[i] = strlen(texts[i]);
    /* a value that is not a record is a reject, as in an array */
    p = simpeg_decode_records(texts, lens, nips, 2, &lim, &err);
    assert_non_null(p);
    assert_int_equal(p->n_employees, 1);
    assert_int_equal(p->n_rejected, 1);
    page_free(p);
    /* a text that is not JSON fails the batch, saying where */
    assert_null(simpeg_decode_records(texts, lens, nips, 3, &lim, &err));
    assert_non_null(strstr(err.msg, "record 198702022011012002: invalid JSON at line 1"));
    lim = simpeg_limits_for(2);
    assert_null(simpeg_decode_records(texts, lens, nips, 3, &lim, &err));
    assert_string_equal(err.msg, "3 records, more than the limit of 2");
    /* the raw text as received, without the spaces around it */
    lim = simpeg_limits_for(500);
    p = simpeg_decode_records(&spaced, &spaced_len, nips, 1, &lim, &err);
    assert_non_null(p);
    assert_string_equal(p->employees[0].raw,
                        "{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\"}");
    page_free(p);
    lim = simpeg_limits_for(2);
    p = simpeg_decode_records(texts, lens, nips, 0, &lim, &err);
    assert_non_null(p);
    assert_int_equal(p->n_employees + p->n_rejected, 0);
    page_free(p);
}

/* ---- the worked examples of ipasn-rules.md -------------------------- */

struct course_row {
    int hours;
    const char *start, *end;
};

struct example {
    const char *file, *nip;
    char sex;
    enum position_type position;
    int eselon_level;
    const char *last_edu;   /* tkPendidikanTerakhirId */
    const char *edu[3];     /* rwPendidikan tkPendidikanId */
    const char *leadership; /* rwDiklat[0] name, NULL for none */
    const char *leadership_end;
    struct course_row courses[3];
    size_t n_courses;
    int skp_year;
    double skp_score;
    const char *skp_field;
    enum sanction_level sanction;
    const char *sanction_tmt;
};

static const struct example examples[] = {
    {"E1",
     "198804122014031002",
     'M',
     POSITION_PELAKSANA,
     0,
     "40",
     {"15", "40"},
     NULL,
     NULL,
     {{24, "2020-08-10", "2020-08-12"}, {8, "2019-10-21", "2019-10-21"}},
     2,
     2019,
     82.5,
     "nilaiPrestasiKerja",
     SANCTION_NONE,
     NULL},
    {"E2",
     "198007232005012003",
     'F',
     POSITION_STRUKTURAL,
     4,
     "45",
     {"40", "45"},
     "Diklatpim Tingkat IV",
     "2015-06-26",
     {{20, "2020-09-14", "2020-09-16"}, {8, "2017-11-08", "2017-11-08"}},
     2,
     2019,
     91.2,
     "nilaiPrestasiKerja",
     SANCTION_RINGAN,
     "2018-03-12"},
    {"E3",
     "199011052015121001",
     'M',
     POSITION_FUNGSIONAL,
     0,
     "30",
     {"30"},
     NULL,
     NULL,
     {{16, "2020-02-17", "2020-02-18"}, {3, "2020-06-09", "2020-06-09"}},
     2,
     2019,
     74.0,
     "nilaiPrestasiKerja",
     SANCTION_NONE,
     NULL},
    {"E4",
     "197502281999031001",
     'M',
     POSITION_PELAKSANA,
     0,
     "15",
     {"15"},
     NULL,
     NULL,
     {{HOURS_NONE, "2020-03-02", "2020-03-04"}},
     1,
     2018,
     78.0,
     "nilaiPrestasiKerja",
     SANCTION_SEDANG,
     "2017-09-01"},
    {"E5",
     "197009171992032001",
     'F',
     POSITION_PELAKSANA,
     0,
     "10",
     {"10"},
     NULL,
     NULL,
     {{0}},
     0,
     2019,
     55.0,
     "nilairatarata",
     SANCTION_BERAT,
     "2020-06-01"},
};

static void check_example(const struct example *x, const struct employee *e)
{
    char name[8];
    size_t n_edu = 0;

    snprintf(name, sizeof(name), "%s", x->file);
    assert_string_equal(e->nip, x->nip);
    /* The NIP agrees with birth date, TMT CPNS and sex. */
    {
        char buf[11];
        char ymd[9], ym[7];

        date_text(e->birth_date, buf);
        snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", buf, buf + 5, buf + 8);
        assert_true(strncmp(e->nip, ymd, 8) == 0);
        date_text(e->tmt_cpns, buf);
        snprintf(ym, sizeof(ym), "%.4s%.2s", buf, buf + 5);
        assert_true(strncmp(e->nip + 8, ym, 6) == 0);
        assert_int_equal(e->nip[14], x->sex == 'M' ? '1' : '2');
    }
    assert_int_equal(e->sex, x->sex);
    assert_int_equal(e->status, STATUS_PNS);
    assert_int_equal(e->position, x->position);
    assert_int_equal(e->eselon_level, x->eselon_level);
    assert_string_equal(e->edu_level_id, x->last_edu);
    while (n_edu < ARRAY_SIZE(x->edu) && x->edu[n_edu])
        n_edu++;
    assert_int_equal(e->n_education, n_edu);
    for (size_t i = 0; i < n_edu; i++) {
        assert_string_equal(e->education[i].level_id, x->edu[i]);
        assert_true(e->education[i].grad_year >= 1980 && e->education[i].grad_year <= 2020);
    }
    if (x->leadership) {
        assert_int_equal(e->n_leadership, 1);
        assert_string_equal(e->leadership[0].name, x->leadership);
        assert_date(e->leadership[0].end, x->leadership_end);
    } else {
        assert_int_equal(e->n_leadership, 0);
    }
    assert_int_equal(e->n_courses, x->n_courses);
    for (size_t i = 0; i < x->n_courses; i++) {
        assert_int_equal(e->courses[i].hours, x->courses[i].hours);
        assert_date(e->courses[i].start, x->courses[i].start);
        assert_date(e->courses[i].end, x->courses[i].end);
    }
    /* The SKP of the examples' performance year (2019), or the one there is. */
    {
        const struct skp *s = NULL;

        for (size_t i = 0; i < e->n_skp; i++)
            if (e->skp[i].year == x->skp_year)
                s = &e->skp[i];
        if (!s)
            fail_msg("%s: no SKP %d", name, x->skp_year);
        assert_true(s->has_score);
        assert_true(s->score == x->skp_score);
        assert_string_equal(s->score_field, x->skp_field);
        if (x->skp_year != 2019)
            for (size_t i = 0; i < e->n_skp; i++)
                assert_int_not_equal(e->skp[i].year, 2019);
    }
    assert_int_equal(e->n_skp22, 0);
    if (x->sanction == SANCTION_NONE) {
        assert_int_equal(e->n_sanctions, 0);
    } else {
        assert_int_equal(e->n_sanctions, 1);
        assert_int_equal(e->sanctions[0].level, x->sanction);
        assert_date(e->sanctions[0].tmt, x->sanction_tmt);
        assert_false(e->sanctions[0].annulled);
    }
    assert_int_equal(e->n_notes, 0);
    assert_false(e->deleted);
}

static void test_worked_examples(void **state)
{
    struct error err;
    struct page *listing = decode_fixture(PAGE, "pages/worked-examples.json", 500, &err);

    if (!listing)
        fail_msg("%s", err.msg);
    assert_int_equal(listing->n_employees, ARRAY_SIZE(examples));
    assert_int_equal(listing->n_rejected, 0);
    for (size_t i = 0; i < ARRAY_SIZE(examples); i++) {
        char name[64];
        struct page *p;
        const struct employee *e;

        snprintf(name, sizeof(name), "records/%s.json", examples[i].file);
        p = decode_fixture(ANY, name, 500, &err);
        e = one_employee(p, &err, name);
        check_example(&examples[i], e);
        check_example(&examples[i], &listing->employees[i]);
        /* The page holds the same records. */
        assert_same_json(e->raw, listing->employees[i].raw);
        page_free(p);
    }
    /* E1, E2, E3 form the OPD U1. */
    assert_string_equal(listing->employees[0].opd_id, listing->employees[1].opd_id);
    assert_string_equal(listing->employees[0].opd_id, listing->employees[2].opd_id);
    assert_string_not_equal(listing->employees[0].opd_id, listing->employees[3].opd_id);
    /* E1 carries BKN's own value, 85.00. */
    assert_true(listing->employees[0].ipasn.present);
    assert_int_equal(listing->employees[0].ipasn.total, 850);
    page_free(listing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_good_page_envelope),
        cmocka_unit_test(test_good_page_full_record),
        cmocka_unit_test(test_good_page_notes),
        cmocka_unit_test(test_good_page_tombstone_and_rangkap),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_reject_raw_as_received),
        cmocka_unit_test(test_poisoned_records),
        cmocka_unit_test(test_records_minimised),
        cmocka_unit_test(test_envelope_errors),
        cmocka_unit_test(test_max_records_boundary),
        cmocka_unit_test(test_envelope_inline),
        cmocka_unit_test(test_envelope_minimal),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_json_test_suite),
        cmocka_unit_test(test_split_fixtures),
        cmocka_unit_test(test_split_shapes),
        cmocka_unit_test(test_split_json_test_suite),
        cmocka_unit_test(test_derived),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_skp_score),
        cmocka_unit_test(test_sanctions),
        cmocka_unit_test(test_official_ipasn),
        cmocka_unit_test(test_official_ipasn_rounding),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_tombstone),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_long_history),
        cmocka_unit_test(test_content_hash),
        cmocka_unit_test(test_single),
        cmocka_unit_test(test_any),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_records_errors),
        cmocka_unit_test(test_worked_examples),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
