/* score: every table of ipasn-rules.md row by row, its boundaries, the
 * worked examples E1-E5 and U1, date placement and windows, name matching,
 * bkn2024, aggregates and scope. Employees are built directly in C. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "config.h"
#include "score.h"
#include "util.h"

/* ---- building employees ------------------------------------------------ */

struct emp {
    struct employee e;
    struct education edu[8];
    struct leadership_training lead[8];
    struct course course[16];
    struct skp skp[8];
    struct skp22 skp22[8];
    struct sanction sanction[8];
};

/* A date in any format date_parse takes; NULL is no date. */
static date_t day(const char *s)
{
    date_t d = DATE_NONE;

    if (!s)
        return DATE_NONE;
    if (date_parse(s, &d) != DATE_PARSED)
        fail_msg("bad test date %s", s);
    return d;
}

static void emp_init(struct emp *p, enum position_type pos, int eselon)
{
    memset(p, 0, sizeof(*p));
    p->e.nip = "198503122010011001";
    p->e.name = "Pegawai";
    p->e.birth_date = day("1985-03-12");
    p->e.sex = 'M';
    p->e.status = STATUS_PNS;
    p->e.kedudukan_id = "01";
    p->e.tmt_cpns = day("2010-01-01");
    p->e.tmt_pns = day("2011-01-01");
    p->e.position = pos;
    p->e.eselon_level = eselon;
    p->e.opd_id = "OPD-1";
    p->e.education = p->edu;
    p->e.leadership = p->lead;
    p->e.courses = p->course;
    p->e.skp = p->skp;
    p->e.skp22 = p->skp22;
    p->e.sanctions = p->sanction;
}

static void add_edu(struct emp *p, const char *code, const char *grad, int year)
{
    struct education *x = &p->edu[p->e.n_education++];

    x->level_id = code;
    x->grad_date = day(grad);
    x->grad_year = year;
}

static void add_lead(struct emp *p, const char *name, const char *start, const char *end, int year)
{
    struct leadership_training *x = &p->lead[p->e.n_leadership++];

    x->name = name;
    x->start = day(start);
    x->end = day(end);
    x->year = year;
    x->hours = HOURS_NONE;
}

static void add_course(struct emp *p, const char *kind, const char *name, int hours,
                       const char *start, const char *end, int year)
{
    struct course *x = &p->course[p->e.n_courses++];

    x->kind_name = kind;
    x->name = name;
    x->hours = hours;
    x->start = day(start);
    x->end = day(end);
    x->year = year;
}

static void add_skp(struct emp *p, int year, double score)
{
    struct skp *x = &p->skp[p->e.n_skp++];

    x->year = year;
    x->has_score = true;
    x->score = score;
    x->score_field = "nilaiPrestasiKerja";
}

static void add_skp22(struct emp *p, int year, const char *predikat)
{
    struct skp22 *x = &p->skp22[p->e.n_skp22++];

    x->year = year;
    x->predikat = predikat;
}

static void add_sanction(struct emp *p, enum sanction_level level, const char *tmt, const char *sk,
                         bool annulled)
{
    struct sanction *x = &p->sanction[p->e.n_sanctions++];

    x->level = level;
    x->tmt = day(tmt);
    x->sk_date = day(sk);
    x->end = DATE_NONE;
    x->annulled = annulled;
}

/* ---- the measurement ------------------------------------------------------ */

static struct config *cfg;

static int setup(void **state)
{
    cfg = config_defaults();
    cfg->index.period = 2020;
    cfg->index.as_of = DATE_NONE;
    return 0;
}

static int teardown(void **state)
{
    config_free(cfg);
    return 0;
}

/* The default bkn2019 measurement of 2020 as of 31 December; callers may
 * change the copy (its lists are shared with cfg). */
static struct config_index index2020(void)
{
    return cfg->index;
}

static struct score score_of(const struct emp *p, const struct config_index *idx)
{
    struct score s;

    score_employee(&p->e, idx, &s);
    return s;
}

static const struct gap *find_gap(const struct score *s, enum gap_kind k)
{
    for (size_t i = 0; i < s->n_gaps; i++) {
        if (s->gaps[i].kind == k)
            return &s->gaps[i];
    }
    return NULL;
}

static void expect_gap(const struct score *s, enum gap_kind k, int gain, const char *detail)
{
    const struct gap *g = find_gap(s, k);

    if (!g)
        fail_msg("no %s gap", gap_name(k));
    assert_int_equal(g->gain, gain);
    if (detail)
        assert_string_equal(g->detail, detail);
}

/* ---- qualification -------------------------------------------------------- */

static void test_qualification_codes(void **state)
{
    static const struct {
        const char *code;
        enum edu_level level;
        int points;
    } rows[] = {
        {"50", EDU_S3, 250},    {"45", EDU_S2, 200},    {"40", EDU_S1, 150},
        {"35", EDU_S1, 150},    {"30", EDU_D3, 100},    {"25", EDU_SLTA, 50},
        {"20", EDU_SLTA, 50},   {"15", EDU_SLTA, 50},   {"17", EDU_SLTA, 50},
        {"18", EDU_SLTA, 50},   {"12", EDU_SLTP, 10},   {"10", EDU_SLTP, 10},
        {"05", EDU_SLTP, 10},   {"5", EDU_SLTP, 10},    {"99", EDU_UNKNOWN, 0},
        {"S1", EDU_UNKNOWN, 0}, {"41", EDU_UNKNOWN, 0},
    };
    struct config_index idx = index2020();

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct emp p;
        struct score s;

        /* From rwPendidikan. */
        emp_init(&p, POSITION_PELAKSANA, 0);
        add_edu(&p, rows[i].code, "2010-08-01", 2010);
        s = score_of(&p, &idx);
        if (s.edu_level != rows[i].level || s.qualification != rows[i].points)
            fail_msg("rwPendidikan code %s: level %d points %d", rows[i].code, s.edu_level,
                     s.qualification);
        assert_int_equal(s.has_education, rows[i].level >= EDU_SLTP);
        assert_int_equal(s.ind[IND_QUALIFICATION].points, rows[i].points);
        assert_int_equal(s.ind[IND_QUALIFICATION].max, 250);

        /* From tkPendidikanTerakhirId when rwPendidikan is empty. */
        emp_init(&p, POSITION_PELAKSANA, 0);
        p.e.edu_level_id = rows[i].code;
        s = score_of(&p, &idx);
        if (s.edu_level != rows[i].level || s.qualification != rows[i].points)
            fail_msg("tkPendidikanTerakhirId %s: level %d points %d", rows[i].code, s.edu_level,
                     s.qualification);
    }
}

static void test_qualification_records(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    /* No education at all. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    s = score_of(&p, &idx);
    assert_int_equal(s.edu_level, EDU_NONE);
    assert_int_equal(s.qualification, 0);
    assert_false(s.has_education);
    assert_string_equal(s.ind[IND_QUALIFICATION].detail, "no education record by 2020-12-31");
    expect_gap(&s, GAP_EDUCATION, 250, "no education record: up to +25");

    /* The highest counts; the detail names it. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "15", "2003-06-01", 2003);
    add_edu(&p, "40", "2010-08-01", 2010);
    add_edu(&p, "30", "2007-08-01", 2007);
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 150);
    assert_string_equal(s.ind[IND_QUALIFICATION].detail, "S-1 graduated 2010");
    assert_null(find_gap(&s, GAP_EDUCATION));

    /* An S-2 graduated after the as-of date does not count yet. */
    add_edu(&p, "45", "2021-01-05", 2021);
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 150);

    /* tahunLulus alone: counts when the year <= N, also with a 23 Dec as-of. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "45", NULL, 2020);
    idx.as_of = day("2020-12-23");
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 200);
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "45", NULL, 2021);
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 0);
    /* tglLulus wins over tahunLulus: graduated 24 Dec, after a 23 Dec as-of. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "45", "2020-12-24", 2020);
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 0);
    idx = index2020();

    /* An entry without date or year never counts, and with rwPendidikan not
     * empty the top-level code is not used. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "50", NULL, YEAR_NONE);
    p.e.edu_level_id = "50";
    s = score_of(&p, &idx);
    assert_int_equal(s.edu_level, EDU_NONE);
    assert_int_equal(s.qualification, 0);

    /* An unknown code: no points, flagged by its gap. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "99", "2010-08-01", 2010);
    s = score_of(&p, &idx);
    assert_int_equal(s.edu_level, EDU_UNKNOWN);
    expect_gap(&s, GAP_EDUCATION, 250, "education level code \"99\" maps to no level: up to +25");
    /* A known level beside it wins. */
    add_edu(&p, "10", "2000-06-01", 2000);
    s = score_of(&p, &idx);
    assert_int_equal(s.edu_level, EDU_SLTP);
    assert_int_equal(s.qualification, 10);
}

/* ---- competency ------------------------------------------------------------ */

struct competency_row {
    const char *what;
    enum position_type pos;
    int eselon;
    const char *leadership; /* rwDiklat name held in 2015, or NULL */
    bool functional;        /* a functional training in 2016 */
    int technical_jp;       /* JP of technical training in 2020 */
    bool seminar;           /* a seminar in 2019 */
    int competency;
    int ind_leadership, ind_functional, ind_technical, ind_seminar;
};

static void build_competency(struct emp *p, const struct competency_row *r)
{
    emp_init(p, r->pos, r->eselon);
    add_edu(p, "40", "2010-08-01", 2010);
    if (r->leadership)
        add_lead(p, r->leadership, "2015-03-01", "2015-06-30", 2015);
    if (r->functional)
        add_course(p, "Diklat Fungsional", "Diklat Fungsional Pranata Komputer", 120, "2016-02-01",
                   "2016-03-01", 2016);
    if (r->technical_jp)
        add_course(p, "Diklat Teknis", "Bimtek Keuangan", r->technical_jp, "2020-05-04",
                   "2020-05-06", 2020);
    if (r->seminar)
        add_course(p, "Seminar", "Seminar Nasional", 8, "2019-09-10", "2019-09-10", 2019);
}

static void test_competency_positions(void **state)
{
    static const struct competency_row rows[] = {
        /* struktural: leadership 15, technical 15, seminar 10 */
        {"struktural all", POSITION_STRUKTURAL, 4, "PIM IV", false, 20, true, 400, 150, 0, 150,
         100},
        {"struktural L+T", POSITION_STRUKTURAL, 4, "PIM IV", false, 20, false, 300, 150, 0, 150, 0},
        {"struktural L", POSITION_STRUKTURAL, 4, "PIM IV", false, 0, false, 150, 150, 0, 0, 0},
        {"struktural T", POSITION_STRUKTURAL, 4, NULL, false, 24, false, 150, 0, 0, 150, 0},
        {"struktural S", POSITION_STRUKTURAL, 4, NULL, false, 0, true, 100, 0, 0, 0, 100},
        {"struktural none", POSITION_STRUKTURAL, 4, NULL, false, 19, false, 0, 0, 0, 0, 0},
        {"struktural functional ignored", POSITION_STRUKTURAL, 4, NULL, true, 0, false, 0, 0, 0, 0,
         0},
        {"struktural wrong level", POSITION_STRUKTURAL, 3, "PIM IV", false, 20, true, 250, 0, 0,
         150, 100},
        {"struktural eselon II", POSITION_STRUKTURAL, 2, "PKN Tingkat II", false, 0, false, 150,
         150, 0, 0, 0},
        {"struktural no eselon", POSITION_STRUKTURAL, 0, "PIM IV", false, 20, true, 250, 0, 0, 150,
         100},
        /* fungsional: functional 15, technical 15, seminar 10 */
        {"fungsional all", POSITION_FUNGSIONAL, 0, NULL, true, 20, true, 400, 0, 150, 150, 100},
        {"fungsional F", POSITION_FUNGSIONAL, 0, NULL, true, 0, false, 150, 0, 150, 0, 0},
        {"fungsional T", POSITION_FUNGSIONAL, 0, NULL, false, 40, false, 150, 0, 0, 150, 0},
        {"fungsional S", POSITION_FUNGSIONAL, 0, NULL, false, 0, true, 100, 0, 0, 0, 100},
        {"fungsional leadership ignored", POSITION_FUNGSIONAL, 4, "PIM IV", false, 0, false, 0, 0,
         0, 0, 0},
        /* pelaksana: technical 22.5, seminar 17.5 */
        {"pelaksana all", POSITION_PELAKSANA, 0, NULL, false, 20, true, 400, 0, 0, 225, 175},
        {"pelaksana T", POSITION_PELAKSANA, 0, NULL, false, 20, false, 225, 0, 0, 225, 0},
        {"pelaksana S", POSITION_PELAKSANA, 0, NULL, false, 0, true, 175, 0, 0, 0, 175},
        {"pelaksana none", POSITION_PELAKSANA, 0, NULL, true, 0, false, 0, 0, 0, 0, 0},
        /* unknown position: scored as pelaksana */
        {"unknown T", POSITION_UNKNOWN, 0, NULL, false, 20, false, 225, 0, 0, 225, 0},
        {"unknown all", POSITION_UNKNOWN, 0, NULL, false, 24, true, 400, 0, 0, 225, 175},
    };
    struct config_index idx = index2020();

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        const struct competency_row *r = &rows[i];
        struct emp p;
        struct score s;

        build_competency(&p, r);
        s = score_of(&p, &idx);
        if (s.competency != r->competency || s.ind[IND_LEADERSHIP].points != r->ind_leadership ||
            s.ind[IND_FUNCTIONAL].points != r->ind_functional ||
            s.ind[IND_TECHNICAL].points != r->ind_technical ||
            s.ind[IND_SEMINAR].points != r->ind_seminar)
            fail_msg("%s: competency %d (L %d F %d T %d S %d)", r->what, s.competency,
                     s.ind[IND_LEADERSHIP].points, s.ind[IND_FUNCTIONAL].points,
                     s.ind[IND_TECHNICAL].points, s.ind[IND_SEMINAR].points);
        /* Which indicators apply follows the position. */
        enum position_type pos = r->pos == POSITION_UNKNOWN ? POSITION_PELAKSANA : r->pos;
        assert_int_equal(s.position, pos);
        assert_int_equal(s.ind[IND_LEADERSHIP].applies, pos == POSITION_STRUKTURAL);
        assert_int_equal(s.ind[IND_FUNCTIONAL].applies, pos == POSITION_FUNGSIONAL);
        assert_true(s.ind[IND_TECHNICAL].applies);
        assert_true(s.ind[IND_SEMINAR].applies);
        assert_false(s.ind[IND_COMPETENCY_BASE].applies);
        assert_int_equal(s.ind[IND_TECHNICAL].max, pos == POSITION_PELAKSANA ? 225 : 150);
        assert_int_equal(s.ind[IND_SEMINAR].max, pos == POSITION_PELAKSANA ? 175 : 100);
    }
}

static void test_competency_details_and_gaps(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    /* Pelaksana with nothing: every gap with its regulation value. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_edu(&p, "40", "2010-08-01", 2010);
    s = score_of(&p, &idx);
    expect_gap(&s, GAP_TECHNICAL, 225, "no technical training >= 20 JP in 2020: +22.5");
    expect_gap(&s, GAP_SEMINAR, 175, "no seminar-like development in 2019-2020: +17.5");
    expect_gap(&s, GAP_SKP_MISSING, 300, "no SKP for 2019: up to +30");
    assert_null(find_gap(&s, GAP_LEADERSHIP));
    assert_null(find_gap(&s, GAP_FUNCTIONAL));
    assert_null(find_gap(&s, GAP_EDUCATION));
    assert_int_equal(s.n_gaps, 3);

    /* Struktural without its leadership training; technical short of 20 JP. */
    emp_init(&p, POSITION_STRUKTURAL, 4);
    add_course(&p, "Diklat Teknis", "Bimtek", 16, "2020-05-04", "2020-05-05", 2020);
    add_skp(&p, 2019, 82.5);
    s = score_of(&p, &idx);
    expect_gap(&s, GAP_LEADERSHIP, 150, "no leadership training of level IV (eselon IV): +15");
    expect_gap(&s, GAP_TECHNICAL, 150, "technical training 16 of 20 JP in 2020: +15");
    expect_gap(&s, GAP_SEMINAR, 100, NULL);
    expect_gap(&s, GAP_SKP_PREDIKAT, 50, "SKP 2019 Baik: up to +5 with Sangat Baik");
    assert_string_equal(s.ind[IND_TECHNICAL].detail, "technical training 16 JP in 2020 (needs 20)");
    assert_string_equal(s.ind[IND_LEADERSHIP].detail,
                        "no leadership training of level IV (eselon IV)");
    assert_int_equal(s.technical_jp, 16);

    /* Struktural without an eselon level cannot earn leadership, says so,
     * and gets no leadership gap (no training could close it). */
    emp_init(&p, POSITION_STRUKTURAL, 0);
    add_lead(&p, "PIM IV", "2015-03-01", "2015-06-30", 2015);
    s = score_of(&p, &idx);
    assert_int_equal(s.ind[IND_LEADERSHIP].points, 0);
    assert_non_null(strstr(s.ind[IND_LEADERSHIP].detail, "without an eselon level"));
    assert_null(find_gap(&s, GAP_LEADERSHIP));

    /* Fungsional without its functional training. */
    emp_init(&p, POSITION_FUNGSIONAL, 0);
    s = score_of(&p, &idx);
    expect_gap(&s, GAP_FUNCTIONAL, 150, "no functional training: +15");
    assert_string_equal(s.ind[IND_FUNCTIONAL].detail, "no functional training by 2020-12-31");

    /* A seminar in a wider window reads as a range. */
    idx.rules.technical_window = 2;
    emp_init(&p, POSITION_PELAKSANA, 0);
    s = score_of(&p, &idx);
    expect_gap(&s, GAP_TECHNICAL, 225, "no technical training >= 20 JP in 2019-2020: +22.5");
}

/* The sum is capped at competency_max; a gap never adds more than the cap
 * allows. */
static void test_competency_cap(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    idx.rules.pelaksana_technical = 300;
    idx.rules.pelaksana_seminar = 200;
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_course(&p, "Diklat Teknis", "Bimtek", 20, "2020-05-04", "2020-05-06", 2020);
    add_course(&p, "Seminar", "Seminar", 8, "2020-09-10", NULL, 2020);
    s = score_of(&p, &idx);
    assert_int_equal(s.competency, 400);
    assert_int_equal(s.ind[IND_TECHNICAL].points, 300);
    assert_int_equal(s.ind[IND_SEMINAR].points, 200);

    p.e.n_courses = 1;
    s = score_of(&p, &idx);
    assert_int_equal(s.competency, 300);
    expect_gap(&s, GAP_SEMINAR, 100, "no seminar-like development in 2019-2020: +10");

    idx.rules.competency_max = 250;
    s = score_of(&p, &idx);
    assert_int_equal(s.competency, 250);
    assert_null(find_gap(&s, GAP_SEMINAR)); /* nothing left under the cap */
}

/* ---- names ------------------------------------------------------------------ */

static void test_leadership_names(void **state)
{
    static const struct {
        const char *name;
        int level;
    } rows[] = {
        {"PIM IV", 4},
        {"PIM I", 1},
        {"PIM II", 2},
        {"PIM III", 3},
        {"pim iv", 4},
        {"Diklatpim Tingkat IV", 4},
        {"Diklatpim Tingkat III", 3},
        {"Diklat Kepemimpinan Tingkat II", 2},
        {"Diklat Kepemimpinan Tingkat I", 1},
        {"PKN Tingkat II", 2},
        {"PKN Tingkat I", 1},
        {"PKN II", 2},
        {"PKN I", 1},
        {"PKA", 3},
        {"PKP", 4},
        {"Pelatihan Kepemimpinan Pengawas (PKP)", 4},
        {"Diklat PIM-IV", 4},
        {"Diklat PIM  III Angkatan 2", 3},
        {"Diklatpim IV", 4},
        {"PIMPINAN", 0},
        {"PKPX", 0},
        {"SPKA", 0},
        {"EPIM IV", 0},
        {"Tingkat", 0},
        {"Tingkat V", 0},
        {"PIM IVa", 0},
        {"", 0},
        {NULL, 0},
    };
    const struct name_rules *n = &cfg->index.rules.names;

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        int got = score_leadership_level(rows[i].name, n);

        if (got != rows[i].level)
            fail_msg("\"%s\": level %d, expected %d", rows[i].name ? rows[i].name : "(null)", got,
                     rows[i].level);
    }
}

static void test_course_kind(void **state)
{
    static const struct {
        const char *kind, *name;
        enum course_kind expect;
    } rows[] = {
        {"Diklat Fungsional", "Pranata Komputer", COURSE_FUNCTIONAL},
        {"Diklat Teknis", "Pengelolaan Keuangan", COURSE_TECHNICAL},
        {"Bimtek", NULL, COURSE_TECHNICAL},
        {"SEMINAR", NULL, COURSE_SEMINAR},
        {"Workshop", NULL, COURSE_SEMINAR},
        {"Magang", NULL, COURSE_SEMINAR},
        /* on two lists: functional > technical > seminar */
        {"Pelatihan Fungsional", NULL, COURSE_FUNCTIONAL},
        {"Kursus Teknis", NULL, COURSE_TECHNICAL},
        /* jenisKursusNama decides; namaKursus only when it names no kind */
        {"Seminar", "Bimtek Aplikasi", COURSE_SEMINAR},
        {NULL, "Bimtek Aplikasi", COURSE_TECHNICAL},
        {"", "Webinar Nasional", COURSE_SEMINAR},
        {"Lainnya", "Workshop SAKIP", COURSE_SEMINAR},
        /* whole words only */
        {"Teknisi", NULL, COURSE_UNKNOWN},
        {"Seminarium", NULL, COURSE_UNKNOWN},
        {"Nonteknis", NULL, COURSE_UNKNOWN},
        {"Sosialisasi", "Sosialisasi Aturan", COURSE_UNKNOWN},
        {NULL, NULL, COURSE_UNKNOWN},
    };
    const struct name_rules *n = &cfg->index.rules.names;

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct course c = {.kind_name = rows[i].kind, .name = rows[i].name};

        if (score_course_kind(&c, n) != rows[i].expect)
            fail_msg("row %zu (%s / %s): kind %d, expected %d", i,
                     rows[i].kind ? rows[i].kind : "(null)", rows[i].name ? rows[i].name : "(null)",
                     score_course_kind(&c, n), rows[i].expect);
    }
}

static void test_leadership_match(void **state)
{
    static const struct {
        int eselon;
        const char *training;
        enum leadership_match match;
        int points;
    } rows[] = {
        {4, "PIM IV", LEADERSHIP_EXACT, 150},     {4, "PIM III", LEADERSHIP_EXACT, 0},
        {4, "PIM III", LEADERSHIP_AT_LEAST, 150}, {4, "PKN I", LEADERSHIP_AT_LEAST, 150},
        {3, "PIM IV", LEADERSHIP_EXACT, 0},       {3, "PIM IV", LEADERSHIP_AT_LEAST, 0},
        {3, "PKA", LEADERSHIP_EXACT, 150},        {2, "PKA", LEADERSHIP_AT_LEAST, 0},
        {1, "PIM I", LEADERSHIP_EXACT, 150},      {1, "PIM II", LEADERSHIP_AT_LEAST, 0},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct config_index idx = index2020();
        struct emp p;
        struct score s;

        idx.rules.leadership_match = rows[i].match;
        emp_init(&p, POSITION_STRUKTURAL, rows[i].eselon);
        add_lead(&p, rows[i].training, "2015-03-01", "2015-06-30", 2015);
        s = score_of(&p, &idx);
        if (s.ind[IND_LEADERSHIP].points != rows[i].points)
            fail_msg("eselon %d, %s, %s: %d points", rows[i].eselon, rows[i].training,
                     rows[i].match == LEADERSHIP_EXACT ? "exact" : "at_least",
                     s.ind[IND_LEADERSHIP].points);
    }
}

/* ---- placement in time ------------------------------------------------------ */

static void test_jp_from_days(void **state)
{
    static const struct {
        int hours;
        const char *start, *end;
        int jp_per_day, jp;
    } rows[] = {
        {24, "2020-03-02", "2020-03-04", 8, 24},
        {0, "2020-03-02", "2020-03-04", 8, 0}, /* given as 0: not derived */
        {HOURS_NONE, "2020-03-02", "2020-03-04", 8, 24},
        {HOURS_NONE, "2020-03-02", "2020-03-04", 6, 18},
        {HOURS_NONE, "2020-03-02", "2020-03-02", 8, 8},
        {HOURS_NONE, "2020-03-02", NULL, 8, 8},
        {HOURS_NONE, NULL, "2020-03-04", 8, 8},
        {HOURS_NONE, NULL, NULL, 8, 0},
        {HOURS_NONE, "2020-03-04", "2020-03-02", 8, 0},  /* end before start */
        {HOURS_NONE, "2020-02-27", "2020-03-01", 8, 32}, /* leap day inside */
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct rules r = cfg->index.rules;
        struct course c = {
            .hours = rows[i].hours, .start = day(rows[i].start), .end = day(rows[i].end)};

        r.jp_per_day = rows[i].jp_per_day;
        if (score_course_jp(&c, &r) != rows[i].jp)
            fail_msg("row %zu: %d JP, expected %d", i, score_course_jp(&c, &r), rows[i].jp);
    }
}

static void test_window_edges(void **state)
{
    static const struct {
        const char *what;
        const char *as_of; /* NULL = 31 December */
        const char *kind;
        int hours;
        const char *start, *end;
        int year;
        int technical_jp;
        bool seminar;
    } rows[] = {
        {"technical ending 31 Dec N-1", NULL, "Teknis", 24, "2019-12-20", "2019-12-31", 2019, 0,
         false},
        {"technical ending 1 Jan N", NULL, "Teknis", 24, "2019-12-20", "2020-01-01", 2019, 24,
         false},
        {"technical from days across new year", NULL, "Teknis", HOURS_NONE, "2019-12-30",
         "2020-01-02", 2020, 32, false},
        {"technical start only in N-1", NULL, "Teknis", 24, "2019-12-31", NULL, YEAR_NONE, 0,
         false},
        {"technical year only N", NULL, "Teknis", 24, NULL, NULL, 2020, 24, false},
        {"technical year only N-1", NULL, "Teknis", 24, NULL, NULL, 2019, 0, false},
        {"technical no date at all", NULL, "Teknis", 24, NULL, NULL, YEAR_NONE, 0, false},
        {"technical after the year", NULL, "Teknis", 24, "2021-01-01", "2021-01-02", 2021, 0,
         false},
        {"technical 23 Dec as-of, held 23 Dec", "2020-12-23", "Teknis", 24, "2020-12-21",
         "2020-12-23", 2020, 24, false},
        {"technical 23 Dec as-of, ends 31 Dec", "2020-12-23", "Teknis", 24, "2020-12-21",
         "2020-12-31", 2020, 0, false},
        {"technical 23 Dec as-of, year only", "2020-12-23", "Teknis", 24, NULL, NULL, 2020, 24,
         false},
        {"seminar 1 Jan N-1", NULL, "Seminar", 8, "2019-01-01", "2019-01-01", 2019, 0, true},
        {"seminar 31 Dec N-2", NULL, "Seminar", 8, "2018-12-31", "2018-12-31", 2018, 0, false},
        {"seminar after as-of", "2020-12-23", "Seminar", 8, "2020-12-24", "2020-12-24", 2020, 0,
         false},
        {"seminar year only N-1", NULL, "Seminar", 8, NULL, NULL, 2019, 0, true},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct config_index idx = index2020();
        struct emp p;
        struct score s;

        if (rows[i].as_of)
            idx.as_of = day(rows[i].as_of);
        emp_init(&p, POSITION_PELAKSANA, 0);
        add_course(&p, rows[i].kind, "x", rows[i].hours, rows[i].start, rows[i].end, rows[i].year);
        s = score_of(&p, &idx);
        if (s.technical_jp != rows[i].technical_jp ||
            (s.ind[IND_SEMINAR].points != 0) != rows[i].seminar)
            fail_msg("%s: %d JP, seminar %d", rows[i].what, s.technical_jp,
                     s.ind[IND_SEMINAR].points);
        assert_int_equal(s.ind[IND_TECHNICAL].points, s.technical_jp >= 20 ? 225 : 0);
    }
}

/* Records after the as-of date never count, whatever their kind. */
static void test_records_after_as_of(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    idx.as_of = day("2020-06-30");
    emp_init(&p, POSITION_STRUKTURAL, 4);
    add_edu(&p, "40", "2020-07-01", 2020);
    add_lead(&p, "PIM IV", "2020-05-01", "2020-07-15", 2020);
    add_course(&p, "Teknis", "Bimtek", 40, "2020-07-01", "2020-07-05", 2020);
    add_course(&p, "Seminar", "Seminar", 8, "2020-07-01", "2020-07-01", 2020);
    add_sanction(&p, SANCTION_BERAT, "2020-07-01", "2020-06-20", false);
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 0);
    assert_int_equal(s.competency, 0);
    assert_int_equal(s.discipline, 50);
    assert_int_equal(s.technical_jp, 0);

    /* The same records on the as-of date itself count. */
    idx.as_of = day("2020-07-15");
    s = score_of(&p, &idx);
    assert_int_equal(s.qualification, 150);
    assert_int_equal(s.competency, 400);
    assert_int_equal(s.discipline, 10);
}

/* Placement depends on the date, not on how the source wrote it. */
static void test_date_format_independent(void **state)
{
    static const char *const fmt[][6] = {
        {"2010-08-01", "2015-06-30", "2020-03-02", "2020-03-04", "2019-09-10", "2018-04-01"},
        {"01-08-2010", "30-06-2015", "02-03-2020", "04-03-2020", "10-09-2019", "01-04-2018"},
        {"2010-08-01T00:00:00Z", "2015-06-30 00:00:00", "2020-03-02T07:00:00+07:00",
         "2020-03-04T00:00:00Z", "2019-09-10T00:00:00Z", "2018-04-01 00:00:00"},
    };
    struct config_index idx = index2020();
    struct score first;

    for (size_t i = 0; i < ARRAY_SIZE(fmt); i++) {
        struct emp p;
        struct score s;

        emp_init(&p, POSITION_STRUKTURAL, 4);
        add_edu(&p, "40", fmt[i][0], YEAR_NONE);
        add_lead(&p, "PIM IV", NULL, fmt[i][1], YEAR_NONE);
        add_course(&p, "Teknis", "Bimtek", HOURS_NONE, fmt[i][2], fmt[i][3], YEAR_NONE);
        add_course(&p, "Seminar", "Seminar", 8, fmt[i][4], NULL, YEAR_NONE);
        add_skp(&p, 2019, 82.5);
        add_sanction(&p, SANCTION_RINGAN, fmt[i][5], NULL, false);
        s = score_of(&p, &idx);
        assert_int_equal(s.qualification, 150);
        assert_int_equal(s.competency, 400);
        assert_int_equal(s.technical_jp, 24);
        assert_int_equal(s.discipline, 30);
        assert_int_equal(s.total, 150 + 400 + 250 + 30);
        if (i == 0) {
            first = s;
            continue;
        }
        for (int k = 0; k < IND_COUNT; k++) {
            assert_int_equal(s.ind[k].points, first.ind[k].points);
            assert_string_equal(s.ind[k].detail, first.ind[k].detail);
        }
    }
}

/* ---- performance -------------------------------------------------------------- */

static void test_skp_predikat_rows(void **state)
{
    static const struct {
        const char *predikat;
        int points;
    } rows[] = {
        {"SANGAT BAIK", 300},
        {"Sangat Baik", 300},
        {"  sangat   baik ", 300},
        {"BAIK", 250},
        {"baik", 250},
        {"CUKUP", 150},
        {"BUTUH PERBAIKAN", 150},
        {"Butuh Perbaikan", 150},
        {"KURANG", 50},
        {"SANGAT KURANG", 10},
        {"BURUK", 10},
        {"ISTIMEWA", 0},
        {"BAIK SEKALI", 0},
        {"", 0},
        {NULL, 0},
    };
    struct config_index idx = index2020();

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct emp p;
        struct score s;

        emp_init(&p, POSITION_PELAKSANA, 0);
        add_skp22(&p, 2019, rows[i].predikat);
        s = score_of(&p, &idx);
        if (s.performance != rows[i].points)
            fail_msg("predikat \"%s\": %d points", rows[i].predikat ? rows[i].predikat : "(null)",
                     s.performance);
        assert_int_equal(s.has_skp, rows[i].points > 0);
        assert_int_equal(s.ind[IND_PERFORMANCE].max, 300);
    }
}

static void test_skp_score_rows(void **state)
{
    static const struct {
        double score;
        int points;
        bool has_skp;
    } rows[] = {
        {120.0, 300, true}, {91.2, 300, true},  {90.01, 300, true}, {90.0, 250, true},
        {82.5, 250, true},  {75.01, 250, true}, {75.0, 150, true},  {74.0, 150, true},
        {60.01, 150, true}, {60.0, 50, true},   {55.0, 50, true},   {50.01, 50, true},
        {50.0, 10, true},   {0.0, 10, true},    {120.01, 0, false}, {-0.01, 0, false},
    };
    struct config_index idx = index2020();

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct emp p;
        struct score s;

        emp_init(&p, POSITION_PELAKSANA, 0);
        add_skp(&p, 2019, rows[i].score);
        s = score_of(&p, &idx);
        if (s.performance != rows[i].points || s.has_skp != rows[i].has_skp)
            fail_msg("score %.2f: %d points, has_skp %d", rows[i].score, s.performance, s.has_skp);
    }
}

static void test_skp_selection(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    /* rwSkp22 wins over rwSkp. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp(&p, 2019, 95);
    add_skp22(&p, 2019, "KURANG");
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 50);
    assert_string_equal(s.ind[IND_PERFORMANCE].detail, "SKP 2019: Kurang");

    /* An rwSkp22 predikat that maps to nothing leaves rwSkp to decide. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp(&p, 2019, 82.5);
    add_skp22(&p, 2019, "ISTIMEWA");
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 250);
    assert_string_equal(s.ind[IND_PERFORMANCE].detail, "SKP 2019 82.50: Baik");

    /* Only the performance year counts (N-1 by default). */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp(&p, 2020, 95);
    add_skp22(&p, 2018, "SANGAT BAIK");
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 0);
    assert_false(s.has_skp);
    assert_string_equal(s.ind[IND_PERFORMANCE].detail, "no SKP for 2019");
    idx.rules.performance_year_offset = 0;
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 300);
    idx = index2020();

    /* Several entries for the year: the best counts. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp(&p, 2019, 70);
    add_skp(&p, 2019, 85);
    add_skp(&p, 2019, 130); /* out of range: none */
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 250);
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp22(&p, 2019, "BAIK");
    add_skp22(&p, 2019, "SANGAT BAIK");
    add_skp22(&p, 2019, "CUKUP");
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 300);
    assert_null(find_gap(&s, GAP_SKP_PREDIKAT));

    /* An rwSkp entry without a score is no SKP. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp(&p, 2019, 0);
    p.skp[0].has_score = false;
    s = score_of(&p, &idx);
    assert_false(s.has_skp);

    /* The Kurang and Sangat Kurang points are settings. */
    emp_init(&p, POSITION_PELAKSANA, 0);
    add_skp(&p, 2019, 55);
    idx.rules.perf_kurang = 100;
    s = score_of(&p, &idx);
    assert_int_equal(s.performance, 100);
}

/* ---- discipline ---------------------------------------------------------------- */

static void test_discipline_rows(void **state)
{
    static const struct {
        const char *what;
        enum sanction_level level;
        const char *tmt, *sk;
        bool annulled;
        const char *as_of;
        int points;
    } rows[] = {
        {"none", SANCTION_NONE, NULL, NULL, false, NULL, 50},
        {"ringan", SANCTION_RINGAN, "2018-04-01", NULL, false, NULL, 30},
        {"sedang", SANCTION_SEDANG, "2017-06-01", NULL, false, NULL, 20},
        {"berat", SANCTION_BERAT, "2020-02-01", NULL, false, NULL, 10},
        {"berat 1 Jan N-4", SANCTION_BERAT, "2016-01-01", NULL, false, NULL, 10},
        {"berat 31 Dec N-5", SANCTION_BERAT, "2015-12-31", NULL, false, NULL, 50},
        {"berat annulled", SANCTION_BERAT, "2019-03-01", NULL, true, NULL, 50},
        {"unknown level", SANCTION_UNKNOWN, "2019-03-01", NULL, false, NULL, 50},
        {"skTanggal without TMT", SANCTION_SEDANG, NULL, "2019-03-01", false, NULL, 20},
        {"TMT decides over skTanggal", SANCTION_SEDANG, "2015-12-01", "2016-01-05", false, NULL,
         50},
        {"no date at all", SANCTION_BERAT, NULL, NULL, false, NULL, 50},
        {"TMT after N", SANCTION_BERAT, "2021-01-01", NULL, false, NULL, 50},
        {"TMT after a 23 Dec as-of", SANCTION_BERAT, "2020-12-24", NULL, false, "2020-12-23", 50},
        {"TMT on a 23 Dec as-of", SANCTION_BERAT, "2020-12-23", NULL, false, "2020-12-23", 10},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct config_index idx = index2020();
        struct emp p;
        struct score s;

        if (rows[i].as_of)
            idx.as_of = day(rows[i].as_of);
        emp_init(&p, POSITION_PELAKSANA, 0);
        if (rows[i].level != SANCTION_NONE)
            add_sanction(&p, rows[i].level, rows[i].tmt, rows[i].sk, rows[i].annulled);
        s = score_of(&p, &idx);
        if (s.discipline != rows[i].points)
            fail_msg("%s: %d points", rows[i].what, s.discipline);
        assert_int_equal(s.ind[IND_DISCIPLINE].max, 50);
    }
}

static void test_discipline_most_severe(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    emp_init(&p, POSITION_PELAKSANA, 0);
    add_sanction(&p, SANCTION_RINGAN, "2020-01-10", NULL, false);
    add_sanction(&p, SANCTION_BERAT, "2017-05-01", NULL, false);
    add_sanction(&p, SANCTION_SEDANG, "2019-05-01", NULL, false);
    s = score_of(&p, &idx);
    assert_int_equal(s.discipline, 10);
    assert_string_equal(s.ind[IND_DISCIPLINE].detail, "sanction berat with TMT 2017-05-01");
    /* The berat one annulled: sedang is the most severe left. */
    p.sanction[1].annulled = true;
    s = score_of(&p, &idx);
    assert_int_equal(s.discipline, 20);
    p.e.n_sanctions = 0;
    s = score_of(&p, &idx);
    assert_string_equal(s.ind[IND_DISCIPLINE].detail, "no sanction in 2016-2020");
}

/* ---- category ------------------------------------------------------------------ */

static void test_category_rows(void **state)
{
    static const struct {
        int hundredths;
        enum category strict, round;
    } rows[] = {
        {10000, CAT_SANGAT_TINGGI, CAT_SANGAT_TINGGI},
        {9050, CAT_SANGAT_TINGGI, CAT_SANGAT_TINGGI}, /* 91 after rounding */
        {9049, CAT_SANGAT_TINGGI, CAT_TINGGI},
        {9001, CAT_SANGAT_TINGGI, CAT_TINGGI},
        {9000, CAT_TINGGI, CAT_TINGGI},
        {8500, CAT_TINGGI, CAT_TINGGI},
        {8050, CAT_TINGGI, CAT_TINGGI},
        {8001, CAT_TINGGI, CAT_SEDANG},
        {8000, CAT_SEDANG, CAT_SEDANG},
        {7050, CAT_SEDANG, CAT_SEDANG},
        {7001, CAT_SEDANG, CAT_RENDAH},
        {7000, CAT_RENDAH, CAT_RENDAH},
        {6933, CAT_RENDAH, CAT_RENDAH},
        {6050, CAT_RENDAH, CAT_RENDAH},
        {6049, CAT_RENDAH, CAT_SANGAT_RENDAH},
        {6001, CAT_RENDAH, CAT_SANGAT_RENDAH},
        {6000, CAT_SANGAT_RENDAH, CAT_SANGAT_RENDAH},
        {4000, CAT_SANGAT_RENDAH, CAT_SANGAT_RENDAH},
        {0, CAT_SANGAT_RENDAH, CAT_SANGAT_RENDAH},
    };
    struct rules strict = cfg->index.rules, round = cfg->index.rules;

    strict.category_mode = CATEGORY_STRICT;
    round.category_mode = CATEGORY_ROUND;
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        if (score_category(rows[i].hundredths, &strict) != rows[i].strict)
            fail_msg("%d strict: %s", rows[i].hundredths,
                     category_name(score_category(rows[i].hundredths, &strict)));
        if (score_category(rows[i].hundredths, &round) != rows[i].round)
            fail_msg("%d round: %s", rows[i].hundredths,
                     category_name(score_category(rows[i].hundredths, &round)));
    }
    /* The thresholds are settings. */
    strict.cat_above_sangat_tinggi = 85.5;
    assert_int_equal(score_category(8551, &strict), CAT_SANGAT_TINGGI);
    assert_int_equal(score_category(8550, &strict), CAT_TINGGI);
}

static void test_names(void **state)
{
    static const struct {
        enum category c;
        const char *name;
    } cats[] = {
        {CAT_SANGAT_TINGGI, "Sangat Tinggi"},
        {CAT_TINGGI, "Tinggi"},
        {CAT_SEDANG, "Sedang"},
        {CAT_RENDAH, "Rendah"},
        {CAT_SANGAT_RENDAH, "Sangat Rendah"},
    };
    static const char *const inds[IND_COUNT] = {
        "qualification", "leadership",      "functional",  "technical",
        "seminar",       "competency_base", "performance", "discipline",
    };
    static const char *const gaps[GAP_COUNT] = {
        "leadership",  "functional",   "technical_20jp", "seminar",
        "skp_missing", "skp_predikat", "education",
    };

    for (size_t i = 0; i < ARRAY_SIZE(cats); i++)
        assert_string_equal(category_name(cats[i].c), cats[i].name);
    for (int i = 0; i < IND_COUNT; i++)
        assert_string_equal(indicator_name((enum indicator)i), inds[i]);
    for (int i = 0; i < GAP_COUNT; i++)
        assert_string_equal(gap_name((enum gap_kind)i), gaps[i]);
}

/* ---- worked examples --------------------------------------------------------- */

/* E1: pelaksana, S1; technical 24 JP in 2020; a seminar in 2019; SKP 2019
 * = 82.50; no sanction. */
static void build_e1(struct emp *p)
{
    emp_init(p, POSITION_PELAKSANA, 0);
    add_edu(p, "40", "2010-08-01", 2010);
    add_course(p, "Diklat Teknis", "Bimtek Arsip", 24, "2020-05-04", "2020-05-06", 2020);
    add_course(p, "Seminar", "Seminar Nasional", 8, "2019-09-10", "2019-09-10", 2019);
    add_skp(p, 2019, 82.5);
}

/* E2: pengawas (IV.a), S2; PIM IV in 2015; technical 20 JP in 2020; no
 * seminar 2019-2020; SKP 2019 = 91.20; ringan with TMT 2018. */
static void build_e2(struct emp *p)
{
    emp_init(p, POSITION_STRUKTURAL, 4);
    add_edu(p, "45", "2012-03-01", 2012);
    add_lead(p, "Diklatpim Tingkat IV", "2015-03-01", "2015-06-30", 2015);
    add_course(p, "Diklat Teknis", "Bimtek Pengadaan", 20, "2020-08-10", "2020-08-12", 2020);
    add_course(p, "Seminar", "Seminar Daerah", 8, "2018-11-10", NULL, 2018);
    add_skp(p, 2019, 91.2);
    add_sanction(p, SANCTION_RINGAN, "2018-04-01", "2018-03-20", false);
}

/* E3: fungsional, D3; no functional training; technical 16 JP in 2020;
 * seminar in 2020; SKP 2019 = 74.00; none. */
static void build_e3(struct emp *p)
{
    emp_init(p, POSITION_FUNGSIONAL, 0);
    add_edu(p, "30", "2008-09-01", 2008);
    add_course(p, "Diklat Teknis", "Bimtek Laboratorium", 16, "2020-02-03", "2020-02-04", 2020);
    add_course(p, "Workshop", "Workshop Mutu", 8, "2020-10-01", "2020-10-01", 2020);
    add_skp(p, 2019, 74.0);
}

/* E4: pelaksana, SLTA; a technical training 2020-03-02..2020-03-04 with no
 * JP (3 days x 8 = 24 JP); no seminar; no SKP 2019; sedang with TMT 2017. */
static void build_e4(struct emp *p)
{
    emp_init(p, POSITION_PELAKSANA, 0);
    add_edu(p, "15", "2005-06-01", 2005);
    add_course(p, "Diklat Teknis", "Bimtek Kearsipan", HOURS_NONE, "2020-03-02", "2020-03-04",
               2020);
    add_sanction(p, SANCTION_SEDANG, "2017-06-01", NULL, false);
}

/* E5: pelaksana, SLTP; nothing else; SKP 2019 = 55; berat with TMT 2020. */
static void build_e5(struct emp *p)
{
    emp_init(p, POSITION_PELAKSANA, 0);
    add_edu(p, "10", "2001-06-01", 2001);
    add_skp(p, 2019, 55);
    add_sanction(p, SANCTION_BERAT, "2020-02-01", NULL, false);
}

static void test_worked_examples(void **state)
{
    static const struct {
        const char *name;
        void (*build)(struct emp *);
        int qual, comp, perf, disc, total;
        enum category category;
    } rows[] = {
        {"E1", build_e1, 150, 400, 250, 50, 850, CAT_TINGGI},
        {"E2", build_e2, 200, 300, 300, 30, 830, CAT_TINGGI},
        {"E3", build_e3, 100, 100, 150, 50, 400, CAT_SANGAT_RENDAH},
        {"E4", build_e4, 50, 225, 0, 20, 295, CAT_SANGAT_RENDAH},
        {"E5", build_e5, 10, 0, 50, 10, 70, CAT_SANGAT_RENDAH},
    };
    struct config_index idx = index2020();

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct emp p;
        struct score s;

        rows[i].build(&p);
        s = score_of(&p, &idx);
        if (s.qualification != rows[i].qual || s.competency != rows[i].comp ||
            s.performance != rows[i].perf || s.discipline != rows[i].disc ||
            s.total != rows[i].total || s.category != rows[i].category)
            fail_msg("%s: %d + %d + %d + %d = %d (%s)", rows[i].name, s.qualification, s.competency,
                     s.performance, s.discipline, s.total, category_name(s.category));
        assert_true(s.in_scope);
        assert_int_equal(s.period, 2020);
        assert_int_equal(s.as_of, day("2020-12-31"));
    }
}

static void test_worked_example_details(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    build_e1(&p);
    s = score_of(&p, &idx);
    assert_string_equal(s.ind[IND_QUALIFICATION].detail, "S-1 graduated 2010");
    assert_string_equal(s.ind[IND_TECHNICAL].detail, "technical training 24 JP in 2020 (needs 20)");
    assert_string_equal(s.ind[IND_SEMINAR].detail, "seminar-like development in 2019");
    assert_string_equal(s.ind[IND_PERFORMANCE].detail, "SKP 2019 82.50: Baik");
    assert_string_equal(s.ind[IND_DISCIPLINE].detail, "no sanction in 2016-2020");
    expect_gap(&s, GAP_SKP_PREDIKAT, 50, "SKP 2019 Baik: up to +5 with Sangat Baik");
    assert_int_equal(s.n_gaps, 1);

    build_e2(&p);
    s = score_of(&p, &idx);
    assert_string_equal(s.ind[IND_LEADERSHIP].detail,
                        "leadership training level IV in 2015 (eselon IV)");
    expect_gap(&s, GAP_SEMINAR, 100, "no seminar-like development in 2019-2020: +10");
    assert_int_equal(s.n_gaps, 1);

    build_e4(&p);
    s = score_of(&p, &idx);
    assert_int_equal(s.technical_jp, 24);
    expect_gap(&s, GAP_SKP_MISSING, 300, "no SKP for 2019: up to +30");
    expect_gap(&s, GAP_SEMINAR, 175, "no seminar-like development in 2019-2020: +17.5");
}

static void add_all(struct aggregate *a, void (*const *builds)(struct emp *), size_t n,
                    const struct config_index *idx)
{
    for (size_t i = 0; i < n; i++) {
        struct emp p;
        struct score s;

        builds[i](&p);
        s = score_of(&p, idx);
        aggregate_add(a, &s);
    }
}

/* U1: an OPD of E1, E2, E3. */
static void test_aggregate_u1(void **state)
{
    static void (*const builds[])(struct emp *) = {build_e1, build_e2, build_e3};
    struct config_index idx = index2020();
    struct aggregate a = {0};

    add_all(&a, builds, ARRAY_SIZE(builds), &idx);
    aggregate_finish(&a, &idx.rules);
    assert_int_equal(a.employees, 3);
    assert_int_equal(a.measured, 3);
    assert_int_equal(a.coverage_education, 3);
    assert_int_equal(a.coverage_skp, 3);
    assert_int_equal(a.qualification, 1500);
    assert_int_equal(a.competency, 2667);
    assert_int_equal(a.performance, 2333);
    assert_int_equal(a.discipline, 433);
    assert_int_equal(a.total, 6933);
    assert_int_equal(a.category, CAT_RENDAH);

    /* Empty: zeros. */
    struct aggregate empty = {0};
    aggregate_finish(&empty, &idx.rules);
    assert_int_equal(empty.total, 0);
    assert_int_equal(empty.category, CAT_SANGAT_RENDAH);
}

/* Means of tenths in hundredths, half up: 2 tenths over 3 = 0.0667 -> 0.07. */
static void test_aggregate_rounding(void **state)
{
    static const struct {
        int tenths[3];
        size_t n;
        int hundredths;
    } rows[] = {
        {{850, 830, 400}, 3, 6933}, {{1, 0, 0}, 3, 3}, /* 0.0333 */
        {{2, 0, 0}, 3, 7},                             /* 0.0667 */
        {{1, 0, 0}, 2, 5},                             /* 0.05 exactly */
        {{0, 0, 0}, 3, 0},          {{999, 1000, 0}, 2, 9995},
    };
    struct config_index idx = index2020();

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct aggregate a = {0};

        for (size_t k = 0; k < rows[i].n; k++) {
            struct score s = {.in_scope = true, .total = rows[i].tenths[k]};

            aggregate_add(&a, &s);
        }
        aggregate_finish(&a, &idx.rules);
        if (a.total != rows[i].hundredths)
            fail_msg("row %zu: %d hundredths", i, a.total);
    }
    /* 5 tenths over 8 = 0.0625: below the half, 0.06. */
    struct aggregate a = {0};
    struct score s = {.in_scope = true, .total = 5};
    aggregate_add(&a, &s);
    s.total = 0;
    for (int k = 0; k < 7; k++)
        aggregate_add(&a, &s);
    aggregate_finish(&a, &idx.rules);
    assert_int_equal(a.total, 6);
}

static void test_mean_over_measured(void **state)
{
    static void (*const builds[])(struct emp *) = {build_e1, build_e2, build_e4};
    struct config_index idx = index2020();
    struct aggregate all = {0}, measured = {0};

    add_all(&all, builds, ARRAY_SIZE(builds), &idx);
    aggregate_finish(&all, &idx.rules);
    /* E4 has no SKP: all three count, E4's missing SKP as 0. */
    assert_int_equal(all.employees, 3);
    assert_int_equal(all.measured, 2);
    assert_int_equal(all.coverage_skp, 2);
    assert_int_equal(all.coverage_education, 3);
    assert_int_equal(all.total, 6583);       /* (850 + 830 + 295) / 3 */
    assert_int_equal(all.performance, 1833); /* (250 + 300 + 0) / 3 */

    idx.rules.mean_over = MEAN_MEASURED;
    add_all(&measured, builds, ARRAY_SIZE(builds), &idx);
    aggregate_finish(&measured, &idx.rules);
    assert_int_equal(measured.employees, 3);
    assert_int_equal(measured.total, 8400); /* (850 + 830) / 2 */
    assert_int_equal(measured.performance, 2750);
    assert_int_equal(measured.qualification, 1750);
    assert_int_equal(measured.category, CAT_TINGGI);
}

/* ---- scope ------------------------------------------------------------------------ */

static void test_scope(void **state)
{
    static const struct {
        const char *what;
        enum employee_status status;
        const char *kedudukan;
        bool deleted;
        bool without_pppk; /* include_status = PNS, CPNS */
        enum ruleset ruleset;
        bool in_scope;
    } rows[] = {
        {"PNS active", STATUS_PNS, "01", false, false, RULESET_BKN2019, true},
        {"PNS no kedudukan", STATUS_PNS, NULL, false, false, RULESET_BKN2019, true},
        {"CPNS", STATUS_CPNS, "01", false, false, RULESET_BKN2019, true},
        {"PPPK 71", STATUS_PPPK, "71", false, false, RULESET_BKN2019, true},
        {"PPPK 72", STATUS_PPPK, "72", false, false, RULESET_BKN2019, true},
        {"PPPK excluded", STATUS_PPPK, "71", false, true, RULESET_BKN2019, false},
        {"PPPK always in bkn2024", STATUS_PPPK, "71", false, true, RULESET_BKN2024, true},
        {"PNS listed, bkn2024", STATUS_PNS, "01", false, true, RULESET_BKN2024, true},
        {"deleted", STATUS_PNS, "01", true, false, RULESET_BKN2019, false},
        {"deleted PPPK bkn2024", STATUS_PPPK, "71", true, false, RULESET_BKN2024, false},
        {"status unknown", STATUS_UNKNOWN, "01", false, false, RULESET_BKN2019, false},
        {"kedudukan 02", STATUS_PNS, "02", false, false, RULESET_BKN2019, false},
        {"kedudukan 99 (pensiun)", STATUS_PNS, "99", false, false, RULESET_BKN2019, false},
        {"kedudukan 15", STATUS_PNS, "15", false, false, RULESET_BKN2024, false},
    };
    struct strlist no_pppk = {0};

    strlist_add(&no_pppk, "PNS");
    strlist_add(&no_pppk, "CPNS");
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct config_index idx = index2020();
        struct aggregate a = {0};
        struct emp p;
        struct score s;

        if (rows[i].without_pppk)
            idx.include_status = no_pppk;
        idx.ruleset = rows[i].ruleset;
        build_e1(&p);
        p.e.status = rows[i].status;
        p.e.kedudukan_id = rows[i].kedudukan;
        p.e.deleted = rows[i].deleted;
        s = score_of(&p, &idx);
        if (s.in_scope != rows[i].in_scope)
            fail_msg("%s: in_scope %d", rows[i].what, s.in_scope);
        /* Scored anyway; aggregates count only the in-scope. */
        assert_int_equal(s.qualification, 150);
        aggregate_add(&a, &s);
        assert_int_equal(a.employees, rows[i].in_scope ? 1 : 0);
        assert_int_equal(a.sum[4], rows[i].in_scope ? s.total : 0);
    }
    strlist_free(&no_pppk);
}

/* ---- bkn2024 ------------------------------------------------------------------------ */

static void test_bkn2024(void **state)
{
    static const struct {
        const char *what;
        enum position_type pos;
        const char *skp22; /* predikat of 2019, or NULL */
        double skp;        /* rwSkp 2019 score when no predikat, < 0 none */
        bool leadership;   /* PIM IV, eselon IV */
        bool functional;
        int technical_jp; /* in 2020 */
        int other_jp;     /* seminar-like, in 2020 */
        int base, competency, performance;
    } rows[] = {
        {"pelaksana Baik + T + O", POSITION_PELAKSANA, "BAIK", -1, false, false, 24, 24, 200, 300,
         250},
        {"pelaksana Sangat Baik only", POSITION_PELAKSANA, "SANGAT BAIK", -1, false, false, 0, 0,
         250, 250, 300},
        {"pelaksana Butuh Perbaikan", POSITION_PELAKSANA, "BUTUH PERBAIKAN", -1, false, false, 0, 0,
         150, 150, 150},
        {"pelaksana Kurang", POSITION_PELAKSANA, "KURANG", -1, false, false, 0, 0, 100, 100, 50},
        {"pelaksana Sangat Kurang", POSITION_PELAKSANA, "SANGAT KURANG", -1, false, false, 0, 0, 50,
         50, 10},
        {"numeric 82.50 is Baik", POSITION_PELAKSANA, NULL, 82.5, false, false, 20, 0, 200, 250,
         250},
        {"numeric 91 is Sangat Baik", POSITION_PELAKSANA, NULL, 91, false, false, 0, 0, 250, 250,
         300},
        {"numeric 60 is Kurang", POSITION_PELAKSANA, NULL, 60, false, false, 0, 0, 100, 100, 50},
        {"no SKP: no base", POSITION_PELAKSANA, NULL, -1, false, false, 20, 20, 0, 100, 0},
        {"other 16 JP is short", POSITION_PELAKSANA, "BAIK", -1, false, false, 19, 16, 200, 200,
         250},
        {"struktural all, at the cap", POSITION_STRUKTURAL, "SANGAT BAIK", -1, true, false, 20, 20,
         250, 400, 300},
        {"struktural Baik all", POSITION_STRUKTURAL, "BAIK", -1, true, false, 20, 20, 200, 350,
         250},
        {"fungsional F", POSITION_FUNGSIONAL, "BAIK", -1, false, true, 0, 0, 200, 250, 250},
        {"pelaksana functional ignored", POSITION_PELAKSANA, "BAIK", -1, false, true, 0, 0, 200,
         200, 250},
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        struct config_index idx = index2020();
        struct emp p;
        struct score s;

        idx.ruleset = RULESET_BKN2024;
        emp_init(&p, rows[i].pos, rows[i].pos == POSITION_STRUKTURAL ? 4 : 0);
        add_edu(&p, "40", "2010-08-01", 2010);
        if (rows[i].skp22)
            add_skp22(&p, 2019, rows[i].skp22);
        else if (rows[i].skp >= 0)
            add_skp(&p, 2019, rows[i].skp);
        if (rows[i].leadership)
            add_lead(&p, "PIM IV", "2015-03-01", "2015-06-30", 2015);
        if (rows[i].functional)
            add_course(&p, "Fungsional", "Diklat Fungsional", 100, "2016-01-01", NULL, 2016);
        if (rows[i].technical_jp)
            add_course(&p, "Teknis", "Bimtek", rows[i].technical_jp, "2020-04-01", NULL, 2020);
        if (rows[i].other_jp)
            add_course(&p, "Workshop", "Workshop", rows[i].other_jp, "2020-06-01", NULL, 2020);
        /* A seminar of 2019 earns bkn2019's seminar indicator, never "other" in N. */
        add_course(&p, "Seminar", "Seminar 2019", 40, "2019-06-01", NULL, 2019);
        s = score_of(&p, &idx);
        if (s.ind[IND_COMPETENCY_BASE].points != rows[i].base ||
            s.competency != rows[i].competency || s.performance != rows[i].performance)
            fail_msg("%s: base %d competency %d performance %d", rows[i].what,
                     s.ind[IND_COMPETENCY_BASE].points, s.competency, s.performance);
        assert_true(s.ind[IND_COMPETENCY_BASE].applies);
        assert_int_equal(s.ind[IND_COMPETENCY_BASE].max, 250);
        assert_int_equal(s.ruleset, RULESET_BKN2024);
        assert_int_equal(s.total, s.qualification + s.competency + s.performance + s.discipline);
    }
}

static void test_bkn2024_gaps(void **state)
{
    struct config_index idx = index2020();
    struct emp p;
    struct score s;

    idx.ruleset = RULESET_BKN2024;
    /* Baik, struktural with every top-up: 200 + 150 = 350. Sangat Baik adds
     * 5 performance and 5 base. */
    emp_init(&p, POSITION_STRUKTURAL, 4);
    add_skp22(&p, 2019, "BAIK");
    add_lead(&p, "PKP", "2015-03-01", "2015-06-30", 2015);
    add_course(&p, "Teknis", "Bimtek", 20, "2020-04-01", NULL, 2020);
    add_course(&p, "Seminar", "Seminar", 20, "2020-06-01", NULL, 2020);
    s = score_of(&p, &idx);
    assert_int_equal(s.competency, 350);
    expect_gap(&s, GAP_SKP_PREDIKAT, 100, "SKP 2019 Baik: up to +10 with Sangat Baik");

    /* Top-ups raised past the cap: the base gain is cut to nothing. */
    idx.rules.b24_leadership = idx.rules.b24_technical = idx.rules.b24_other = 100;
    s = score_of(&p, &idx);
    assert_int_equal(s.competency, 400);
    expect_gap(&s, GAP_SKP_PREDIKAT, 50, NULL);

    /* No SKP: up to 30 performance + 25 base. */
    idx = index2020();
    idx.ruleset = RULESET_BKN2024;
    emp_init(&p, POSITION_PELAKSANA, 0);
    s = score_of(&p, &idx);
    expect_gap(&s, GAP_SKP_MISSING, 550, "no SKP for 2019: up to +55");
    expect_gap(&s, GAP_TECHNICAL, 50, "no technical training >= 20 JP in 2020: +5");
    expect_gap(&s, GAP_SEMINAR, 50, "other development 0 of 20 JP in 2020: +5");
    assert_string_equal(s.ind[IND_SEMINAR].detail, "other development 0 JP in 2020 (needs 20)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qualification_codes),
        cmocka_unit_test(test_qualification_records),
        cmocka_unit_test(test_competency_positions),
        cmocka_unit_test(test_competency_details_and_gaps),
        cmocka_unit_test(test_competency_cap),
        cmocka_unit_test(test_leadership_names),
        cmocka_unit_test(test_course_kind),
        cmocka_unit_test(test_leadership_match),
        cmocka_unit_test(test_jp_from_days),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_records_after_as_of),
        cmocka_unit_test(test_date_format_independent),
        cmocka_unit_test(test_skp_predikat_rows),
        cmocka_unit_test(test_skp_score_rows),
        cmocka_unit_test(test_skp_selection),
        cmocka_unit_test(test_discipline_rows),
        cmocka_unit_test(test_discipline_most_severe),
        cmocka_unit_test(test_category_rows),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_worked_examples),
        cmocka_unit_test(test_worked_example_details),
        cmocka_unit_test(test_aggregate_u1),
        cmocka_unit_test(test_aggregate_rounding),
        cmocka_unit_test(test_mean_over_measured),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_bkn2024),
        cmocka_unit_test(test_bkn2024_gaps),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
