/* sim_defect.c: the data-quality defects of quality.md: which records carry
 * which, what a record shows of them now (fixes applied), and how each is
 * put into a generated record. Which defects a record gets is drawn from a
 * stream of its own; what they put in, from the content stream or, for the
 * courses they add, one more of their own. */
#include <stdio.h>

#include "sim.h"

const char *const defect_codes[N_DEFECTS] = {
    "record_malformed",
    "nip_invalid",
    "nip_birthdate_mismatch",
    "nip_tmt_mismatch",
    "nip_sex_mismatch",
    "duplicate_record",
    "opd_missing",
    "position_unknown",
    "education_missing",
    "education_unknown",
    "skp_missing",
    "skp_invalid",
    "training_hours_missing",
    "training_kind_unknown",
    "date_invalid",
    "date_in_future",
    "date_order",
    "age_out_of_range",
    "leadership_mismatch",
    "ipasn_mismatch",
    "stale_record",
};

/* Which defects a person gets, from the defect stream d. */
void defects_roll(const struct sim *s, struct rng *d, struct person *p)
{
    /* With --defect-rate, records that break the contract stay few: a
     * quarter of the rate. */
    for (int k = 0; k < N_DEFECTS; k++) {
        bool rejecting = k == D_RECORD_MALFORMED || k == D_NIP_INVALID;
        double rate = s->defect_rate < 0 ? story_defect_rate(k)
                      : rejecting        ? s->defect_rate / 4
                                         : s->defect_rate;

        if (rng_chance(d, rate))
            p->defects |= 1u << k;
    }
    p->nip_variant = rng_chance(d, 0.5) ? 1 : 2;
}

/* The defects record i carries now: fixes applied, and a rejected record
 * counted only for why it is rejected. */
uint32_t record_defects(const struct sim *s, uint32_t i, const struct person *p)
{
    uint32_t d = p->defects;
    unsigned seq = (unsigned)(s->nip[i] % 1000);
    int bm = (int)(s->nip[i] / 10000000000ULL % 10000 / 100);

    if (s->flags[i] & RF_FIXED)
        d &= UNFIXABLE;
    /* A NIP collision may have turned an invalid sequence into a valid one. */
    if ((d & (1u << D_NIP_INVALID)) && seq != 0 && bm <= 12)
        d &= ~(1u << D_NIP_INVALID);
    if (p->pos != POS_STRUKTURAL)
        d &= ~(1u << D_LEADERSHIP);
    /* A missing SKP or education hides an invalid one. */
    if (d & (1u << D_SKP_MISSING))
        d &= ~(1u << D_SKP_INVALID);
    if (d & (1u << D_EDUCATION_MISSING))
        d &= ~(1u << D_EDUCATION_UNKNOWN);
    if (d & (1u << D_RECORD_MALFORMED))
        return 1u << D_RECORD_MALFORMED;
    if (d & (1u << D_NIP_INVALID))
        return 1u << D_NIP_INVALID;
    return d;
}

/* The NIP's birth date, TMT and sex disagree with the record's. */
void defects_nip_dates(struct gen *g)
{
    struct employee *e = g->e;

    if (g->d & (1u << D_NIP_BIRTHDATE))
        e->birth_shown += rng_range(&g->r, 1, 200);
    if (g->d & (1u << D_NIP_TMT))
        e->tmt_cpns_shown += g->p->status == ST_PPPK ? 400 : 62; /* another month or year */
    if (g->d & (1u << D_NIP_SEX))
        e->sex_shown = e->sex_shown == 'M' ? 'F' : 'M';
}

/* No education at all, or one of a level no table knows. */
static void defect_education(struct gen *g)
{
    struct employee *e = g->e;

    if (g->d & (1u << D_EDUCATION_MISSING)) {
        e->n_edu = 0;
    } else if (g->d & (1u << D_EDUCATION_UNKNOWN) && e->n_edu < MAX_EDU) {
        struct edu *x = &e->edu[e->n_edu++];

        x->level = L_SLTA;
        x->level_id = "99";
        x->level_name = "Lainnya";
        snprintf(x->name, sizeof(x->name), "Kursus Komputer");
        x->year = year_of(g->p->birth) + 19;
        x->date = NO_DATE;
        x->style = DS_ISO;
    }
}

/* The last course repeated, with the same id. */
static void defect_duplicate(struct gen *g, struct rng *x)
{
    struct employee *e = g->e;

    if (e->n_kursus == 0)
        add_course(e, x, CK_SEMINAR, g->year - 2, g->today, g->o);
    if (e->n_kursus < MAX_KURSUS) {
        e->kursus[e->n_kursus] = e->kursus[e->n_kursus - 1];
        e->kursus[e->n_kursus].dup_of = e->n_kursus - 1;
        e->n_kursus++;
    }
}

/* A course each for the training defects, from a stream of their own. */
static void defect_courses(struct gen *g)
{
    struct employee *e = g->e;
    struct rng x = rng_for(g->s->seed, g->i, S_DEFECTS + 100);
    struct kursus *k;
    int N = g->year;

    if (g->d & (1u << D_HOURS_MISSING)) {
        add_course(e, &x, CK_TEKNIS, N - 1, g->today, g->o);
        k = &e->kursus[e->n_kursus - 1];
        k->hours = -1;
        k->end = k->start + 2;
    }
    if (g->d & (1u << D_KIND_UNKNOWN))
        add_course(e, &x, CK_UNKNOWN, N - 1, g->today, g->o);
    if (g->d & (1u << D_DATE_INVALID)) {
        add_course(e, &x, CK_SEMINAR, N - 1, g->today, g->o);
        e->kursus[e->n_kursus - 1].raw_start = rng_chance(&x, 0.5) ? "31-02-2023" : "2023-13-01";
    }
    if (g->d & (1u << D_DATE_FUTURE)) {
        add_course(e, &x, CK_WORKSHOP, N, g->today, g->o);
        k = &e->kursus[e->n_kursus - 1];
        k->start = g->today + rng_range(&x, 40, 400);
        k->end = NO_DATE;
    }
    if (g->d & (1u << D_DATE_ORDER)) {
        add_course(e, &x, CK_TEKNIS, N - 1, g->today, g->o);
        k = &e->kursus[e->n_kursus - 1];
        k->end = k->start - 3;
    }
    if (g->d & (1u << D_DUPLICATE))
        defect_duplicate(g, &x);
}

/* An official IP ASN of this year that disagrees with what the record's
 * histories give. */
static void defect_ipasn(struct gen *g)
{
    struct employee *e = g->e;

    e->has_ipasn = true;
    e->ipasn_year = g->year;
    if (e->top >= L_S3) {
        e->ipasn[0] = 50;
        e->ipasn[1] = 0;
        e->ipasn[2] = 0;
        e->ipasn[3] = 50;
    } else {
        e->ipasn[0] = 250;
        e->ipasn[1] = 400;
        e->ipasn[2] = 300;
        e->ipasn[3] = 50;
    }
    e->ipasn[4] = e->ipasn[0] + e->ipasn[1] + e->ipasn[2] + e->ipasn[3];
}

/* The defects put in after every history, in this order. */
void defects_apply(struct gen *g)
{
    const uint32_t courses = (1u << D_HOURS_MISSING) | (1u << D_KIND_UNKNOWN) |
                             (1u << D_DATE_INVALID) | (1u << D_DATE_FUTURE) | (1u << D_DATE_ORDER) |
                             (1u << D_DUPLICATE);

    defect_education(g);
    if (g->d & courses)
        defect_courses(g);
    if (g->d & (1u << D_IPASN_MISMATCH))
        defect_ipasn(g);
    if (g->d & (1u << D_RECORD_MALFORMED))
        g->e->malformed = 1 + (int)rng_below(&g->r, 3);
}
