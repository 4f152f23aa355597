/* quality: every code of quality.md that quality_check raises, each with a
 * row that fires and a row just inside its boundary that does not; the
 * decoder's notes; one issue per (code, field); nothing out of scope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "quality.h"
#include "score.h"
#include "util.h"

/* ---- building employees ------------------------------------------------ */

struct emp {
    struct employee e;
    struct education edu[4];
    struct leadership_training lead[4];
    struct course course[4];
    struct skp skp[4];
    struct skp22 skp22[4];
    struct sanction sanction[4];
    struct decode_note notes[4];
};

static date_t day(const char *s)
{
    date_t d = DATE_NONE;

    if (!s)
        return DATE_NONE;
    if (date_parse(s, &d) != DATE_PARSED)
        fail_msg("bad test date %s", s);
    return d;
}

static struct config *cfg;
static date_t today;
static int64_t now;

static int setup(void **state)
{
    cfg = config_defaults();
    cfg->index.period = 2020;
    today = day("2021-06-15");
    now = (int64_t)today * 86400 + 12 * 3600;
    return 0;
}

static int teardown(void **state)
{
    config_free(cfg);
    return 0;
}

/* A clean pelaksana PNS: NIP 1985-03-12 / 2010-01 / male, S-1, SKP 2019,
 * 24 JP of technical training and a seminar in 2020, updated yesterday. */
static void clean(struct emp *p)
{
    memset(p, 0, sizeof(*p));
    p->e.nip = "198503122010011001";
    p->e.name = "Pegawai";
    p->e.birth_date = day("1985-03-12");
    p->e.sex = 'M';
    p->e.status = STATUS_PNS;
    p->e.status_cpns_pns = "P";
    p->e.kedudukan_id = "01";
    p->e.tmt_cpns = day("2010-01-01");
    p->e.tmt_pns = day("2011-01-01");
    p->e.position_type_id = "4";
    p->e.position = POSITION_PELAKSANA;
    p->e.opd_id = "OPD-1";
    p->e.updated_at = now - 86400;
    p->e.education = p->edu;
    p->e.leadership = p->lead;
    p->e.courses = p->course;
    p->e.skp = p->skp;
    p->e.skp22 = p->skp22;
    p->e.sanctions = p->sanction;
    p->e.notes = p->notes;

    p->edu[0] = (struct education){
        .level_id = "40", .level_name = "S-1", .grad_date = day("2008-08-01"), .grad_year = 2008};
    p->e.n_education = 1;
    p->course[0] = (struct course){.kind_name = "Diklat Teknis",
                                   .name = "Bimtek Arsip",
                                   .hours = 24,
                                   .start = day("2020-05-04"),
                                   .end = day("2020-05-06"),
                                   .year = 2020};
    p->course[1] = (struct course){.kind_name = "Seminar",
                                   .name = "Seminar Nasional",
                                   .hours = 8,
                                   .start = day("2020-09-10"),
                                   .end = day("2020-09-10"),
                                   .year = 2020};
    p->e.n_courses = 2;
    p->skp[0] = (struct skp){
        .year = 2019, .has_score = true, .score = 85.0, .score_field = "nilaiPrestasiKerja"};
    p->e.n_skp = 1;
}

/* A clean PPPK: NIP 1990-01-01 / 2019 "21" / female. */
static void clean_pppk(struct emp *p)
{
    clean(p);
    p->e.nip = "199001012019212001";
    p->e.birth_date = day("1990-01-01");
    p->e.sex = 'F';
    p->e.status = STATUS_PPPK;
    p->e.kedudukan_id = "71";
    p->e.tmt_cpns = day("2019-03-01");
    p->e.tmt_pns = DATE_NONE;
}

static void add_note(struct emp *p, const char *code, const char *field, const char *value)
{
    p->notes[p->e.n_notes++] = (struct decode_note){code, field, value};
}

static struct quality_ctx ctx_of(const struct config_index *idx)
{
    return (struct quality_ctx){.index = idx, .quality = &cfg->quality, .today = today, .now = now};
}

/* Scores and checks p under idx; the caller frees *out. */
static struct score check(const struct emp *p, const struct config_index *idx,
                          struct issue_list *out)
{
    struct quality_ctx ctx = ctx_of(idx);
    struct score s;

    score_employee(&p->e, idx, &s);
    quality_check(&p->e, &s, &ctx, out);
    return s;
}

static size_t count_code(const struct issue_list *l, const char *code)
{
    size_t n = 0;

    for (size_t i = 0; i < l->n; i++)
        n += strcmp(l->v[i].code, code) == 0;
    return n;
}

static const struct issue *find(const struct issue_list *l, const char *code, const char *field)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].code, code) == 0 && strcmp(l->v[i].field, field) == 0)
            return &l->v[i];
    }
    return NULL;
}

static void dump(const struct issue_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        print_message("  %s [%s] %s\n", l->v[i].code, l->v[i].field, l->v[i].detail);
}

static void test_clean_records_have_no_issue(void **state)
{
    void (*const builds[])(struct emp *) = {clean, clean_pppk};

    for (size_t i = 0; i < ARRAY_SIZE(builds); i++) {
        struct issue_list l = {0};
        struct emp p;
        struct score s;

        builds[i](&p);
        s = check(&p, &cfg->index, &l);
        assert_true(s.in_scope);
        if (l.n) {
            dump(&l);
            fail_msg("clean record %zu has %zu issues", i, l.n);
        }
        issue_list_free(&l);
    }
}

/* ---- the table ------------------------------------------------------------- */

/* Mutations of a clean record. */
static void birth_off_by_one(struct emp *p)
{
    p->e.birth_date = day("1985-03-13");
}
static void birth_same(struct emp *p)
{
    p->e.birth_date = day("12-03-1985");
}
static void tmt_next_month(struct emp *p)
{
    p->e.tmt_cpns = day("2010-02-01");
}
static void tmt_same_month(struct emp *p)
{
    p->e.tmt_cpns = day("2010-01-31");
}
static void cpns_tmt_next_month(struct emp *p)
{
    p->e.status = STATUS_CPNS;
    p->e.tmt_cpns = day("2009-12-31");
    p->e.tmt_pns = DATE_NONE;
}
static void cpns_tmt_same_month(struct emp *p)
{
    p->e.status = STATUS_CPNS;
    p->e.tmt_cpns = day("2010-01-15");
    p->e.tmt_pns = DATE_NONE;
}
static void pppk_next_year(struct emp *p)
{
    clean_pppk(p);
    p->e.tmt_cpns = day("2020-01-01");
}
static void pppk_last_day_of_year(struct emp *p)
{
    clean_pppk(p);
    p->e.tmt_cpns = day("2019-12-31");
}
static void pppk_month_digits(struct emp *p)
{
    clean_pppk(p);
    p->e.nip = "199001012019032001"; /* a PNS-style month where 21 belongs */
}
static void pppk_tmt_pns_other_year(struct emp *p)
{
    clean_pppk(p);
    p->e.tmt_cpns = DATE_NONE;
    p->e.tmt_pns = day("2020-02-01");
}
static void pppk_tmt_pns_same_year(struct emp *p)
{
    clean_pppk(p);
    p->e.tmt_cpns = DATE_NONE;
    p->e.tmt_pns = day("2019-02-01");
}
static void sex_female_digit_1(struct emp *p)
{
    p->e.sex = 'F';
}
static void sex_unknown(struct emp *p)
{
    p->e.sex = 0;
}
static void pppk_male_digit_2(struct emp *p)
{
    clean_pppk(p);
    p->e.sex = 'M';
}
static void duplicate_note(struct emp *p)
{
    add_note(p, "duplicate_record", "rwKursus[1].id", "K-7");
}
static void opd_null(struct emp *p)
{
    p->e.opd_id = NULL;
}
static void opd_empty(struct emp *p)
{
    p->e.opd_id = "";
}
static void position_unknown(struct emp *p)
{
    p->e.position_type_id = "7";
    p->e.position = POSITION_UNKNOWN;
}
static void position_absent(struct emp *p)
{
    p->e.position_type_id = NULL;
    p->e.position = POSITION_UNKNOWN;
}
static void no_education(struct emp *p)
{
    p->e.n_education = 0;
}
static void education_sltp_only(struct emp *p)
{
    p->edu[0].level_id = "05";
    p->edu[0].level_name = "SD";
}
static void education_top_level_only(struct emp *p)
{
    p->e.n_education = 0;
    p->e.edu_level_id = "50";
}
static void education_code_99(struct emp *p)
{
    p->edu[0].level_id = "99";
}
static void education_no_code(struct emp *p)
{
    p->edu[0].level_id = NULL;
}
static void education_top_level_99(struct emp *p)
{
    p->e.n_education = 0;
    p->e.edu_level_id = "99";
}
static void education_after_as_of(struct emp *p)
{
    p->edu[0].grad_date = day("2021-01-04");
    p->edu[0].grad_year = 2021;
}
static void skp_of_2018(struct emp *p)
{
    p->skp[0].year = 2018;
}
static void skp_of_2019_skp22(struct emp *p)
{
    p->e.n_skp = 0;
    p->skp22[0] = (struct skp22){.year = 2019, .predikat = "BAIK"};
    p->e.n_skp22 = 1;
}
static void skp_above_max(struct emp *p)
{
    p->skp[0].score = 120.01;
}
static void skp_at_max(struct emp *p)
{
    p->skp[0].score = 120.0;
}
static void skp_below_zero(struct emp *p)
{
    p->skp[0].score = -0.01;
}
static void skp_zero(struct emp *p)
{
    p->skp[0].score = 0.0;
}
static void skp_rata_above_max(struct emp *p)
{
    p->skp[0].score = 150;
    p->skp[0].score_field = "nilairatarata";
}
static void skp22_unknown(struct emp *p)
{
    p->skp22[0] = (struct skp22){.year = 2019, .predikat = "ISTIMEWA"};
    p->e.n_skp22 = 1;
}
static void skp22_empty(struct emp *p)
{
    p->skp22[0] = (struct skp22){.year = 2019, .predikat = ""};
    p->e.n_skp22 = 1;
}
static void skp22_butuh(struct emp *p)
{
    p->skp22[0] = (struct skp22){.year = 2019, .predikat = "Butuh Perbaikan"};
    p->e.n_skp22 = 1;
}
static void skp_score_unparsed(struct emp *p)
{
    p->skp[0].has_score = false;
    add_note(p, "value_invalid", "rwSkp[0].nilaiPrestasiKerja", "8O,5");
}
static void technical_no_hours(struct emp *p)
{
    p->course[0].hours = HOURS_NONE;
}
static void technical_zero_hours(struct emp *p)
{
    p->course[0].hours = 0;
}
static void seminar_no_hours(struct emp *p)
{
    p->course[1].hours = HOURS_NONE;
}
static void course_kind_unknown(struct emp *p)
{
    p->course[1].kind_name = "Sosialisasi";
    p->course[1].name = "Sosialisasi Aturan";
}
static void course_kind_bimtek(struct emp *p)
{
    p->course[1].kind_name = NULL;
    p->course[1].name = "Bimtek Aplikasi";
}
static void date_note(struct emp *p)
{
    add_note(p, "date_invalid", "rwKursus[0].tanggalKursus", "31-02-2020");
}
static void date_value_note(struct emp *p)
{
    add_note(p, "value_invalid", "rwPendidikan[0].tahunLulus", "20O8");
}
static void hours_value_note(struct emp *p)
{
    p->course[0].hours = 24;
    add_note(p, "value_invalid", "rwKursus[0].jumlahJam", "dua puluh");
}
static void course_undated(struct emp *p)
{
    p->course[1].start = p->course[1].end = DATE_NONE;
    p->course[1].year = YEAR_NONE;
}
static void course_year_only(struct emp *p)
{
    p->course[1].start = p->course[1].end = DATE_NONE;
    p->course[1].year = 2020;
}
static void sanction_undated(struct emp *p)
{
    p->sanction[0] = (struct sanction){
        .level = SANCTION_RINGAN, .tmt = DATE_NONE, .sk_date = DATE_NONE, .end = DATE_NONE};
    p->e.n_sanctions = 1;
}
static void sanction_sk_only(struct emp *p)
{
    p->sanction[0] = (struct sanction){
        .level = SANCTION_RINGAN, .tmt = DATE_NONE, .sk_date = day("2019-02-01"), .end = DATE_NONE};
    p->e.n_sanctions = 1;
}
static void tmt_pns_tomorrow(struct emp *p)
{
    p->e.tmt_pns = today + 1;
}
static void tmt_pns_today(struct emp *p)
{
    p->e.tmt_pns = today;
}
static void course_next_year(struct emp *p)
{
    p->course[1].year = 2022;
}
static void course_this_year(struct emp *p)
{
    p->course[1].year = 2021;
}
static void sanction_ends_next_year(struct emp *p)
{
    p->sanction[0] = (struct sanction){.level = SANCTION_RINGAN,
                                       .tmt = day("2021-03-01"),
                                       .sk_date = day("2021-02-20"),
                                       .end = day("2019-03-01")};
    p->e.n_sanctions = 1;
}
static void course_ends_before_start(struct emp *p)
{
    p->course[0].end = day("2020-05-03");
}
static void course_one_day(struct emp *p)
{
    p->course[0].end = p->course[0].start;
}
static void tmt_pns_before_cpns(struct emp *p)
{
    p->e.tmt_pns = day("2009-12-31");
}
static void tmt_pns_equal_cpns(struct emp *p)
{
    p->e.tmt_pns = p->e.tmt_cpns;
}
static void sanction_ends_before_tmt(struct emp *p)
{
    p->sanction[0] = (struct sanction){.level = SANCTION_RINGAN,
                                       .tmt = day("2019-03-01"),
                                       .sk_date = day("2019-02-20"),
                                       .end = day("2019-02-28")};
    p->e.n_sanctions = 1;
}
static void leadership_ends_before_start(struct emp *p)
{
    p->lead[0] = (struct leadership_training){.name = "PKP",
                                              .start = day("2015-06-30"),
                                              .end = day("2015-03-01"),
                                              .year = 2015,
                                              .hours = HOURS_NONE};
    p->e.n_leadership = 1;
}
static void age_17(struct emp *p)
{
    p->e.birth_date = day("2003-06-16");
}
static void age_18(struct emp *p)
{
    p->e.birth_date = day("2003-06-15");
}
static void age_71(struct emp *p)
{
    p->e.birth_date = day("1950-06-15");
}
static void age_70(struct emp *p)
{
    p->e.birth_date = day("1950-06-16");
}
static void struktural_no_training(struct emp *p)
{
    p->e.position = POSITION_STRUKTURAL;
    p->e.position_type_id = "1";
    p->e.eselon_level = 4;
}
static void struktural_pkp(struct emp *p)
{
    struktural_no_training(p);
    p->lead[0] = (struct leadership_training){.name = "PKP",
                                              .start = day("2015-03-01"),
                                              .end = day("2015-06-30"),
                                              .year = 2015,
                                              .hours = HOURS_NONE};
    p->e.n_leadership = 1;
}
static void struktural_pka(struct emp *p)
{
    struktural_pkp(p);
    p->lead[0].name = "PKA";
}
static void struktural_no_eselon(struct emp *p)
{
    struktural_no_training(p);
    p->e.eselon_level = 0;
}
static void stale_by_one_second(struct emp *p)
{
    p->e.updated_at = now - cfg->quality.stale_after - 1;
}
static void stale_exactly(struct emp *p)
{
    p->e.updated_at = now - cfg->quality.stale_after;
}

static void test_codes(void **state)
{
    static const struct {
        const char *what;
        void (*mutate)(struct emp *);
        const char *code;
        const char *field; /* NULL: the code must not appear */
    } rows[] = {
        {"birth date differs by a day", birth_off_by_one, "nip_birthdate_mismatch", "nipBaru"},
        {"birth date equal", birth_same, "nip_birthdate_mismatch", NULL},
        {"PNS tmtCpns next month", tmt_next_month, "nip_tmt_mismatch", "nipBaru"},
        {"PNS tmtCpns same month", tmt_same_month, "nip_tmt_mismatch", NULL},
        {"CPNS tmtCpns month before", cpns_tmt_next_month, "nip_tmt_mismatch", "nipBaru"},
        {"CPNS tmtCpns same month", cpns_tmt_same_month, "nip_tmt_mismatch", NULL},
        {"PPPK appointed the next year", pppk_next_year, "nip_tmt_mismatch", "nipBaru"},
        {"PPPK appointed 31 Dec of the NIP year", pppk_last_day_of_year, "nip_tmt_mismatch", NULL},
        {"PPPK digits 13-14 not 21", pppk_month_digits, "nip_tmt_mismatch", "nipBaru"},
        {"PPPK tmtPns another year", pppk_tmt_pns_other_year, "nip_tmt_mismatch", "nipBaru"},
        {"PPPK tmtPns same year", pppk_tmt_pns_same_year, "nip_tmt_mismatch", NULL},
        {"female with digit 1", sex_female_digit_1, "nip_sex_mismatch", "nipBaru"},
        {"sex unknown", sex_unknown, "nip_sex_mismatch", NULL},
        {"PPPK male with digit 2", pppk_male_digit_2, "nip_sex_mismatch", "nipBaru"},
        {"PPPK female with digit 2", clean_pppk, "nip_sex_mismatch", NULL},
        {"duplicate history id", duplicate_note, "duplicate_record", "rwKursus[1].id"},
        {"no duplicate", clean, "duplicate_record", NULL},
        {"opdId null", opd_null, "opd_missing", "opdId"},
        {"opdId empty", opd_empty, "opd_missing", "opdId"},
        {"opdId set", clean, "opd_missing", NULL},
        {"jenisJabatanId 7", position_unknown, "position_unknown", "jenisJabatanId"},
        {"jenisJabatanId absent", position_absent, "position_unknown", "jenisJabatanId"},
        {"pelaksana", clean, "position_unknown", NULL},
        {"no education", no_education, "education_missing", ""},
        {"education after the as-of date", education_after_as_of, "education_missing", ""},
        {"SD only", education_sltp_only, "education_missing", NULL},
        {"top-level code only", education_top_level_only, "education_missing", NULL},
        {"code 99", education_code_99, "education_unknown", "rwPendidikan[0].tkPendidikanId"},
        {"no code", education_no_code, "education_unknown", "rwPendidikan[0].tkPendidikanId"},
        {"top-level code 99", education_top_level_99, "education_unknown",
         "tkPendidikanTerakhirId"},
        {"code 05", education_sltp_only, "education_unknown", NULL},
        {"top-level code 50", education_top_level_only, "education_unknown", NULL},
        {"SKP of 2018 only", skp_of_2018, "skp_missing", ""},
        {"SKP 120.01 counts as none", skp_above_max, "skp_missing", ""},
        {"SKP of 2019", clean, "skp_missing", NULL},
        {"rwSkp22 of 2019", skp_of_2019_skp22, "skp_missing", NULL},
        {"score 120.01", skp_above_max, "skp_invalid", "rwSkp[0].nilaiPrestasiKerja"},
        {"score 120", skp_at_max, "skp_invalid", NULL},
        {"score -0.01", skp_below_zero, "skp_invalid", "rwSkp[0].nilaiPrestasiKerja"},
        {"score 0", skp_zero, "skp_invalid", NULL},
        {"nilairatarata 150", skp_rata_above_max, "skp_invalid", "rwSkp[0].nilairatarata"},
        {"predikat ISTIMEWA", skp22_unknown, "skp_invalid", "rwSkp22[0].kuadranKinerja"},
        {"predikat empty", skp22_empty, "skp_invalid", "rwSkp22[0].kuadranKinerja"},
        {"predikat Butuh Perbaikan", skp22_butuh, "skp_invalid", NULL},
        {"score that did not parse", skp_score_unparsed, "skp_invalid",
         "rwSkp[0].nilaiPrestasiKerja"},
        {"technical without jumlahJam", technical_no_hours, "training_hours_missing",
         "rwKursus[0].jumlahJam"},
        {"technical with jumlahJam 0", technical_zero_hours, "training_hours_missing", NULL},
        {"seminar without jumlahJam", seminar_no_hours, "training_hours_missing", NULL},
        {"course kind Sosialisasi", course_kind_unknown, "training_kind_unknown",
         "rwKursus[1].jenisKursusNama"},
        {"course named Bimtek", course_kind_bimtek, "training_kind_unknown", NULL},
        {"date that did not parse", date_note, "date_invalid", "rwKursus[0].tanggalKursus"},
        {"year that did not parse", date_value_note, "date_invalid", "rwPendidikan[0].tahunLulus"},
        {"jumlahJam that did not parse", hours_value_note, "date_invalid", NULL},
        {"course with no date or year", course_undated, "date_invalid", "rwKursus[1]"},
        {"course with a year only", course_year_only, "date_invalid", NULL},
        {"sanction with no date", sanction_undated, "date_invalid", "rwHukdis[0]"},
        {"sanction with skTanggal only", sanction_sk_only, "date_invalid", NULL},
        {"tmtPns tomorrow", tmt_pns_tomorrow, "date_in_future", "tmtPns"},
        {"tmtPns today", tmt_pns_today, "date_in_future", NULL},
        {"tahunKursus next year", course_next_year, "date_in_future", "rwKursus[1].tahunKursus"},
        {"tahunKursus this year", course_this_year, "date_in_future", NULL},
        {"a running sanction ends next year", sanction_ends_next_year, "date_in_future", NULL},
        {"course ends before it starts", course_ends_before_start, "date_order",
         "rwKursus[0].tanggalSelesaiKursus"},
        {"course of one day", course_one_day, "date_order", NULL},
        {"tmtPns before tmtCpns", tmt_pns_before_cpns, "date_order", "tmtPns"},
        {"tmtPns on tmtCpns", tmt_pns_equal_cpns, "date_order", NULL},
        {"sanction ends before its TMT", sanction_ends_before_tmt, "date_order",
         "rwHukdis[0].akhirHukumTanggal"},
        {"rwDiklat ends before it starts", leadership_ends_before_start, "date_order",
         "rwDiklat[0].tanggalSelesai"},
        {"17 years old", age_17, "age_out_of_range", "tglLahir"},
        {"18 today", age_18, "age_out_of_range", NULL},
        {"71 today: past 70", age_71, "age_out_of_range", "tglLahir"},
        {"70, 71 tomorrow", age_70, "age_out_of_range", NULL},
        {"eselon IV without PKP", struktural_no_training, "leadership_mismatch", "rwDiklat"},
        {"eselon IV with PKP", struktural_pkp, "leadership_mismatch", NULL},
        {"eselon IV with PKA, exact", struktural_pka, "leadership_mismatch", "rwDiklat"},
        {"struktural without eselon", struktural_no_eselon, "leadership_mismatch", NULL},
        {"pelaksana", clean, "leadership_mismatch", NULL},
        {"updated stale_after + 1 s ago", stale_by_one_second, "stale_record", "updatedAt"},
        {"updated exactly stale_after ago", stale_exactly, "stale_record", NULL},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct issue_list l = {0};
        const struct issue *is;
        struct emp p;

        clean(&p);
        rows[i].mutate(&p);
        check(&p, &cfg->index, &l);
        if (rows[i].field) {
            is = find(&l, rows[i].code, rows[i].field);
            if (!is || count_code(&l, rows[i].code) != 1) {
                dump(&l);
                fail_msg("%s: expected one %s on \"%s\"", rows[i].what, rows[i].code,
                         rows[i].field);
            }
            assert_int_equal(is->severity, quality_severity(rows[i].code));
            assert_true(strlen(is->detail) > 10);
            assert_null(strchr(is->detail, '\n'));
        } else if (count_code(&l, rows[i].code) != 0) {
            dump(&l);
            fail_msg("%s: unexpected %s", rows[i].what, rows[i].code);
        }
        issue_list_free(&l);
    }
}

/* leadership_match = at_least accepts a higher level. */
static void test_leadership_at_least(void **state)
{
    struct config_index idx = cfg->index;
    struct issue_list l = {0};
    struct emp p;

    idx.rules.leadership_match = LEADERSHIP_AT_LEAST;
    clean(&p);
    struktural_pka(&p);
    check(&p, &idx, &l);
    assert_int_equal(count_code(&l, "leadership_mismatch"), 0);
    issue_list_free(&l);
}

static void test_ipasn_mismatch(void **state)
{
    static const struct {
        int year;
        int delta; /* tenths, official minus own */
        bool fires;
    } rows[] = {
        {2020, 6, true},   {2020, -6, true}, {2020, 5, false},
        {2020, -5, false}, {2020, 0, false}, {2019, 100, false},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct issue_list l = {0};
        struct score s;
        struct emp p;

        clean(&p);
        s = check(&p, &cfg->index, &l);
        issue_list_free(&l);
        p.e.ipasn = (struct official_ipasn){.present = true,
                                            .year = rows[i].year,
                                            .qualification = -1,
                                            .competency = -1,
                                            .performance = -1,
                                            .discipline = -1,
                                            .total = s.total + rows[i].delta};
        check(&p, &cfg->index, &l);
        if (i == 0)
            assert_string_equal(find(&l, "ipasn_mismatch", "ipAsn.total")->detail,
                                "official IP ASN 2020 is 85.60, ipasnd computes 85.00 "
                                "(difference 0.60 > 0.50)");
        if ((find(&l, "ipasn_mismatch", "ipAsn.total") != NULL) != rows[i].fires) {
            dump(&l);
            fail_msg("row %zu: year %d delta %d", i, rows[i].year, rows[i].delta);
        }
        issue_list_free(&l);
    }
}

/* The dimensions that differ are named, each with both values; one that
 * differs within the tolerance is not, and differing dimensions raise the
 * issue even when the totals agree. */
static void test_ipasn_dimensions(void **state)
{
    static const struct {
        int dq, dc, dp, dd; /* tenths, official minus own; 99 absent */
        const char *tail;   /* the detail after the totals, NULL: no issue */
    } rows[] = {
        {0, 0, 0, 0, NULL},
        {50, 0, 0, 0, ": kualifikasi 20 at BKN, 15 here"},
        {0, -92, 0, 0, ": kompetensi 30.8 at BKN, 40 here"},
        {50, 0, -50, 0, ": kualifikasi 20 at BKN, 15 here; kinerja 20 at BKN, 25 here"},
        {5, 0, 0, -5, NULL},
        {99, 99, 99, 10, ": disiplin 6 at BKN, 5 here"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct issue_list l = {0};
        const struct issue *is;
        struct score s;
        struct emp p;
        int d[4] = {rows[i].dq, rows[i].dc, rows[i].dp, rows[i].dd}, sum = 0;

        clean(&p);
        s = check(&p, &cfg->index, &l);
        issue_list_free(&l);
        for (int k = 0; k < 4; k++)
            sum += d[k] == 99 ? 0 : d[k];
        p.e.ipasn = (struct official_ipasn){
            .present = true,
            .year = s.period,
            .qualification = d[0] == 99 ? -1 : s.qualification + d[0],
            .competency = d[1] == 99 ? -1 : s.competency + d[1],
            .performance = d[2] == 99 ? -1 : s.performance + d[2],
            .discipline = d[3] == 99 ? -1 : s.discipline + d[3],
            .total = s.total + sum,
        };
        check(&p, &cfg->index, &l);
        is = find(&l, "ipasn_mismatch", "ipAsn.total");
        if (!rows[i].tail) {
            if (is) {
                dump(&l);
                fail_msg("row %zu: an issue where none was due", i);
            }
        } else {
            const char *tail;

            assert_non_null(is);
            tail = strchr(is->detail, ')');
            assert_non_null(tail);
            assert_string_equal(tail + 1, rows[i].tail);
        }
        issue_list_free(&l);
    }
}

static void test_details(void **state)
{
    struct issue_list l = {0};
    const struct issue *is;
    struct emp p;

    clean(&p);
    p.skp[0].year = 2018;
    p.e.n_education = 0;
    p.course[0].hours = HOURS_NONE;
    check(&p, &cfg->index, &l);
    is = find(&l, "skp_missing", "");
    assert_non_null(is);
    assert_string_equal(is->detail, "no SKP for 2019: 0 of 30 performance points");
    assert_int_equal(is->severity, SEV_WARNING);
    is = find(&l, "education_missing", "");
    assert_non_null(is);
    assert_string_equal(is->detail,
                        "no education record by 2020-12-31: 0 of 25 qualification points");
    is = find(&l, "training_hours_missing", "rwKursus[0].jumlahJam");
    assert_non_null(is);
    assert_string_equal(
        is->detail,
        "technical training \"Bimtek Arsip\" has no jumlahJam: 24 JP derived from its days");
    assert_int_equal(is->severity, SEV_INFO);
    issue_list_free(&l);

    clean(&p);
    p.e.opd_id = NULL;
    check(&p, &cfg->index, &l);
    is = find(&l, "opd_missing", "opdId");
    assert_non_null(is);
    assert_int_equal(is->severity, SEV_ERROR);
    issue_list_free(&l);
}

/* An issue's detail changes with the data, not with the day: a sync a day
 * later finds the same issue with the same text (and rewrites nothing). */
static void test_details_do_not_move_with_the_day(void **state)
{
    /* Each defect with the direction in which a day keeps it an issue. */
    static const struct {
        void (*make)(struct emp *);
        const char *code;
        int days;
    } rows[] = {
        {age_71, "age_out_of_range", 1},
        {stale_by_one_second, "stale_record", 1},
        {tmt_pns_tomorrow, "date_in_future", -1},
        {course_next_year, "date_in_future", -1},
    };
    date_t saved_today = today;
    int64_t saved_now = now;

    for (size_t d = 0; d < ARRAY_SIZE(rows); d++) {
        struct issue_list a = {0}, b = {0};
        const struct issue *x, *y = NULL;
        struct emp p;

        clean(&p);
        rows[d].make(&p);
        check(&p, &cfg->index, &a);
        today += rows[d].days;
        now += 86400LL * rows[d].days;
        check(&p, &cfg->index, &b);
        today = saved_today;
        now = saved_now;
        assert_int_equal(count_code(&a, rows[d].code), 1);
        for (size_t i = 0; i < a.n; i++)
            if (strcmp(a.v[i].code, rows[d].code) == 0)
                y = &a.v[i];
        x = find(&b, y->code, y->field);
        assert_non_null(x);
        assert_string_equal(x->detail, y->detail);
        issue_list_free(&a);
        issue_list_free(&b);
    }
}

/* The same code on the same field appears once per employee; other
 * employees' issues in the list do not hide this one's. */
static void test_one_issue_per_field(void **state)
{
    struct issue_list l = {0};
    struct emp p;

    clean(&p);
    add_note(&p, "date_invalid", "rwKursus[0].tanggalKursus", "31-02-2020");
    add_note(&p, "value_invalid", "rwKursus[0].tanggalKursus", "31-02-2020");
    add_note(&p, "date_invalid", "rwKursus[0].tanggalKursus", "31-02-2020");
    add_note(&p, "date_invalid", "rwKursus[1].tanggalKursus", "00-00-2020");
    check(&p, &cfg->index, &l);
    assert_int_equal(count_code(&l, "date_invalid"), 2);

    /* A second employee with the same problem gets its own issue. */
    check(&p, &cfg->index, &l);
    assert_int_equal(count_code(&l, "date_invalid"), 4);
    issue_list_free(&l);
    issue_list_free(&l); /* freed twice: the list was reset */
    issue_list_free(NULL);
}

/* The decoder's unknown or rejecting notes are not issues of a stored record. */
static void test_notes_outside_catalogue(void **state)
{
    struct issue_list l = {0};
    struct emp p;

    clean(&p);
    add_note(&p, "nip_invalid", "nipBaru", "123");
    add_note(&p, "something_new", "rwKursus[0].x", "y");
    add_note(&p, NULL, "rwKursus[0].x", NULL);
    add_note(&p, "value_invalid", "ipAsn.total", "abc");
    check(&p, &cfg->index, &l);
    if (l.n) {
        dump(&l);
        fail_msg("%zu issues", l.n);
    }
    issue_list_free(&l);
}

/* An employee out of scope yields nothing, however bad the record. */
static void test_out_of_scope(void **state)
{
    static const struct {
        enum employee_status status;
        const char *kedudukan;
        bool deleted;
    } rows[] = {
        {STATUS_PNS, "01", true},
        {STATUS_PNS, "99", false},
        {STATUS_UNKNOWN, "01", false},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct issue_list l = {0};
        struct score s;
        struct emp p;

        clean(&p);
        p.e.opd_id = NULL;
        p.e.n_education = 0;
        p.e.n_skp = 0;
        p.e.birth_date = day("1940-01-01");
        add_note(&p, "date_invalid", "tglLahir", "x");
        p.e.status = rows[i].status;
        p.e.kedudukan_id = rows[i].kedudukan;
        p.e.deleted = rows[i].deleted;
        s = check(&p, &cfg->index, &l);
        assert_false(s.in_scope);
        assert_int_equal(l.n, 0);
        issue_list_free(&l);
    }
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = *p < 0x80 ? 0 : *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : *p >= 0xC0 ? 1 : 9;

        if (n == 9)
            return false;
        p++;
        for (size_t i = 0; i < n; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return false;
        }
    }
    return true;
}

/* Long user-supplied text is cut on a character boundary. */
static void test_details_stay_utf8(void **state)
{
    char name[400];
    struct issue_list l = {0};
    struct emp p;

    for (size_t off = 0; off < 3; off++) {
        size_t n = 0;

        while (n < off)
            name[n++] = 'a';
        while (n + 2 < sizeof(name)) {
            name[n++] = (char)0xC3; /* é */
            name[n++] = (char)0xA9;
        }
        name[n] = '\0';
        clean(&p);
        p.course[1].kind_name = name;
        p.course[1].name = name;
        check(&p, &cfg->index, &l);
        assert_int_equal(l.n, 1);
        assert_true(valid_utf8(l.v[0].detail));
        issue_list_free(&l);
    }
}

static void test_severities(void **state)
{
    static const struct {
        const char *code;
        enum severity severity;
    } rows[] = {
        {"record_malformed", SEV_REJECT},
        {"nip_invalid", SEV_REJECT},
        {"nip_birthdate_mismatch", SEV_WARNING},
        {"nip_tmt_mismatch", SEV_WARNING},
        {"nip_sex_mismatch", SEV_WARNING},
        {"duplicate_record", SEV_WARNING},
        {"opd_missing", SEV_ERROR},
        {"position_unknown", SEV_WARNING},
        {"education_missing", SEV_WARNING},
        {"education_unknown", SEV_WARNING},
        {"skp_missing", SEV_WARNING},
        {"skp_invalid", SEV_WARNING},
        {"training_hours_missing", SEV_INFO},
        {"training_kind_unknown", SEV_INFO},
        {"date_invalid", SEV_WARNING},
        {"date_in_future", SEV_WARNING},
        {"date_order", SEV_WARNING},
        {"age_out_of_range", SEV_WARNING},
        {"leadership_mismatch", SEV_INFO},
        {"ipasn_mismatch", SEV_WARNING},
        {"stale_record", SEV_INFO},
        {"siasn_not_found", SEV_REJECT},
        {"no_such_code", SEV_WARNING},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        if (quality_severity(rows[i].code) != rows[i].severity)
            fail_msg("%s: %s", rows[i].code, severity_name(quality_severity(rows[i].code)));
    }
    assert_string_equal(severity_name(SEV_INFO), "info");
    assert_string_equal(severity_name(SEV_WARNING), "warning");
    assert_string_equal(severity_name(SEV_ERROR), "error");
    assert_string_equal(severity_name(SEV_REJECT), "reject");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_records_have_no_issue),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_leadership_at_least),
        cmocka_unit_test(test_ipasn_mismatch),
        cmocka_unit_test(test_ipasn_dimensions),
        cmocka_unit_test(test_details),
        cmocka_unit_test(test_details_do_not_move_with_the_day),
        cmocka_unit_test(test_one_issue_per_field),
        cmocka_unit_test(test_notes_outside_catalogue),
        cmocka_unit_test(test_out_of_scope),
        cmocka_unit_test(test_details_stay_utf8),
        cmocka_unit_test(test_severities),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
