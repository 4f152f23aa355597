/* sim_story.c: the workforce as a provincial BKD sees it in December: how
 * far each OPD has come with its people's development, SKP and degrees, so
 * the instansi stands a little above a target of 81, a few OPDs lead at
 * "Sangat Tinggi" (Biro Pengadaan Barang dan Jasa, Dinas Komunikasi dan
 * Informatika, Dinas Kehutanan) and several lag; and the rates of each
 * data-quality defect such a SIMPEG shows. Draws from streams of its own,
 * so the rest of a record is as the other files make it. */
#include "sim.h"

/* How far an OPD has come: the chance each employee has done each kind of
 * development this year (technical training of 20 JP or more, a seminar,
 * a functional post's training), has last year's SKP at Sangat Baik, and
 * has studied on beyond the post's usual education: a first degree after
 * school or a diploma, a master's after a first degree. */
struct story {
    const char *opd_id;
    double develop, sangat_baik, degree;
};

static const struct story leaders_and_laggards[] = {
    {"4.01.06", 1.00, 1.00, 1.00}, /* Biro Pengadaan Barang dan Jasa */
    {"2.16.01", 1.00, 0.94, 0.88}, /* Dinas Komunikasi dan Informatika */
    {"3.28.01", 1.00, 0.96, 0.90}, /* Dinas Kehutanan */
    {"5.03.01", 0.94, 0.70, 0.30}, /* Badan Kepegawaian Daerah */
    {"6.01.01", 0.93, 0.68, 0.30}, /* Inspektorat */
    {"2.17.01", 0.55, 0.25, 0.05}, /* Dinas Koperasi dan Usaha Kecil Menengah */
    {"3.30.01", 0.58, 0.28, 0.05}, /* Dinas Perdagangan */
    {"1.05.01", 0.60, 0.30, 0.03}, /* Satuan Polisi Pamong Praja */
    {"2.09.01", 0.62, 0.30, 0.05}, /* Dinas Ketahanan Pangan */
    {"3.26.01", 0.64, 0.32, 0.05}, /* Dinas Pariwisata */
    {"1.02.03", 0.68, 0.35, 0.08}, /* RSUD Dr. H. Moch. Ansari Saleh */
};

/* Every other OPD. */
static const struct story usual = {NULL, 0.84, 0.52, 0.12};

static const struct story *story_of(const struct opd_info *o)
{
    for (size_t i = 0; i < sizeof(leaders_and_laggards) / sizeof(leaders_and_laggards[0]); i++)
        if (strcmp(leaders_and_laggards[i].opd_id, o->id) == 0)
            return &leaders_and_laggards[i];
    return &usual;
}

/* One stream per question asked of a record. */
static struct rng story_rng(const struct gen *g, int question)
{
    return rng_for(g->s->seed, g->i, S_STORY + (uint64_t)question);
}

enum level story_education(const struct gen *g, enum level top)
{
    struct rng r = story_rng(g, 1);
    double degree = story_of(g->o)->degree;

    if ((top == L_SLTA || top == L_D3) && rng_chance(&r, degree))
        return L_S1;
    if ((top == L_S1 || top == L_D4) && !g->doctor && rng_chance(&r, degree))
        return L_S2;
    return top;
}

void story_development(struct gen *g)
{
    const struct story *st = story_of(g->o);
    struct rng r = story_rng(g, 2);
    bool technical = rng_chance(&r, st->develop), seminar = rng_chance(&r, st->develop),
         functional = rng_chance(&r, st->develop);

    if (technical) {
        add_course(g->e, &r, CK_TEKNIS, g->year, g->today, g->o);
        if (g->e->kursus[g->e->n_kursus - 1].hours < 20)
            g->e->kursus[g->e->n_kursus - 1].hours = 24;
    }
    if (seminar)
        add_course(g->e, &r, CK_SEMINAR, g->year, g->today, g->o);
    if (functional && g->role && g->p->status != ST_CPNS)
        add_course(g->e, &r, CK_FUNGSIONAL, g->year - 1 - (int)rng_below(&r, 6), g->today, g->o);
}

bool story_sangat_baik(const struct gen *g)
{
    struct rng r = story_rng(g, 3);

    return rng_chance(&r, story_of(g->o)->sangat_baik);
}

double story_defect_rate(int defect)
{
    /* Shares of employees, as a provincial SIMPEG shows them: SKPs not
     * entered yet and training hours left out are the common ones;
     * records that break the contract are rare. */
    static const double rates[N_DEFECTS] = {
        [D_RECORD_MALFORMED] = 0.001,  [D_NIP_INVALID] = 0.001,      [D_NIP_BIRTHDATE] = 0.006,
        [D_NIP_TMT] = 0.006,           [D_NIP_SEX] = 0.002,          [D_DUPLICATE] = 0.003,
        [D_OPD_MISSING] = 0.002,       [D_POSITION_UNKNOWN] = 0.003, [D_EDUCATION_MISSING] = 0.006,
        [D_EDUCATION_UNKNOWN] = 0.006, [D_SKP_MISSING] = 0.025,      [D_SKP_INVALID] = 0.004,
        [D_HOURS_MISSING] = 0.025,     [D_KIND_UNKNOWN] = 0.015,     [D_DATE_INVALID] = 0.004,
        [D_DATE_FUTURE] = 0.002,       [D_DATE_ORDER] = 0.004,       [D_AGE] = 0.001,
        [D_LEADERSHIP] = 0.03,         [D_IPASN_MISMATCH] = 0.008,   [D_STALE] = 0.015,
    };

    return defect >= 0 && defect < N_DEFECTS ? rates[defect] : 0;
}
