/* sim_person.c: a person's identity, all the NIP and the listing's order
 * need: status, sex, OPD, position, birth, appointment, updatedAt. Drawn
 * from streams of their own, so that a record's content can change without
 * moving its key. */
#include "sim.h"

static int pick_opd(struct rng *r)
{
    static int total;
    int w;

    if (!total) {
        int t = 0;

        for (size_t i = 0; i < n_opds; i++)
            t += opds[i].weight;
        total = t;
    }
    w = (int)rng_below(r, (uint32_t)total);
    for (size_t i = 0; i < n_opds; i++) {
        if (w < opds[i].weight)
            return (int)i;
        w -= opds[i].weight;
    }
    return 0;
}

/* The position type and eselon; PPPK and CPNS hold no structural post. */
static void identity_position(struct rng *r, struct person *p)
{
    const struct opd_info *o = &opds[p->opd];
    double u = rng_unit(r);

    p->eselon = -1;
    if (p->status == ST_PPPK) {
        p->pos = u < 0.85 ? POS_FUNGSIONAL : POS_PELAKSANA;
    } else if (p->status == ST_CPNS) {
        p->pos = u < o->fungsional ? POS_FUNGSIONAL : POS_PELAKSANA;
    } else {
        double struk = o->kind == KIND_EDU ? 0.02 : o->kind == KIND_HOSP ? 0.05 : 0.12;

        if (u < struk) {
            double e = rng_unit(r);

            p->pos = POS_STRUKTURAL;
            p->eselon = e < 0.04 ? 1 : e < 0.20 ? 3 : e < 0.38 ? 4 : e < 0.83 ? 5 : 6;
            if (o->kind == KIND_SETDA && e < 0.01)
                p->eselon = 0; /* the Sekretaris Daerah */
        } else if (u < struk + 0.015) {
            p->pos = POS_RANGKAP;
            if (rng_chance(r, 0.5))
                p->eselon = 5;
        } else if (u < struk + 0.015 + (1 - struk) * o->fungsional) {
            p->pos = POS_FUNGSIONAL;
        } else {
            p->pos = POS_PELAKSANA;
        }
    }
}

/* The birth day; returns the age today. age_out_of_range draws its side
 * from the defect stream d. */
static int identity_birth(const struct sim *s, struct rng *r, struct rng *d, struct person *p)
{
    int y, m, dd, age;

    civil_from_days(s->today, &y, &m, &dd);
    if (p->defects & (1u << D_AGE))
        age = rng_chance(d, 0.5) ? rng_range(r, 71, 73) : rng_range(r, 15, 17);
    else if (p->status == ST_CPNS)
        age = rng_range(r, 22, 34);
    else if (p->status == ST_PPPK)
        age = rng_range(r, 25, 55);
    else
        age = rng_range(r, 26, 57);
    {
        /* Exactly `age` years old today: born after this day age + 1 years
         * ago, at the latest on this day age years ago. */
        int md = m == 2 && dd == 29 ? 28 : dd;
        int32_t hi = days_from_civil(y - age, m, md), lo = days_from_civil(y - age - 1, m, md) + 1;

        p->birth = lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
    }
    return age;
}

/* TMT CPNS, or a PPPK's appointment (2021 or later). */
static void identity_appointment(const struct sim *s, struct rng *r, struct person *p, int age)
{
    int y = year_of(s->today), start_age = rng_range(r, 22, 33), tmt_year;

    if (p->status == ST_CPNS) {
        p->tmt_cpns = days_from_civil(y - 1, rng_range(r, 1, 7), 1);
    } else if (p->status == ST_PPPK) {
        p->tmt_cpns = days_from_civil(rng_range(r, y - 1 < 2021 ? y - 1 : 2021, y - 1),
                                      rng_range(r, 1, 12), 1);
    } else {
        tmt_year = year_of(p->birth) + start_age;
        if (tmt_year > y - 2)
            tmt_year = y - 2;
        if (age < 18) /* the age defect's young side: appointed last year */
            tmt_year = y - 1;
        p->tmt_cpns = days_from_civil(tmt_year, rng_chance(r, 0.6) ? 1 : rng_range(r, 2, 12), 1);
    }
}

/* updatedAt: within the last 330 days, or years back for a stale record. */
static void identity_updated(const struct sim *s, struct rng *r, struct person *p)
{
    int64_t base = (int64_t)s->today * 86400 + 43200;
    int64_t back = (p->defects & (1u << D_STALE)) ? rng_range(r, 400, 2000) * 86400LL
                                                  : rng_range(r, 1, 330) * 86400LL;

    p->updated = (uint32_t)(base - back + rng_range(r, -43200, 43199));
}

void person_identity(const struct sim *s, uint32_t i, struct person *p)
{
    struct rng d = rng_for(s->seed, i, S_DEFECTS);
    struct rng r = rng_for(s->seed, i, S_IDENTITY);
    double u;
    int age;

    memset(p, 0, sizeof(*p));
    defects_roll(s, &d, p);
    u = rng_unit(&r);
    p->status = u < 0.16 ? ST_PPPK : u < 0.20 ? ST_CPNS : ST_PNS;
    if (p->defects & (1u << D_AGE))
        p->status = ST_PNS;
    p->sex = rng_chance(&r, 0.52) ? 2 : 1;
    p->opd = pick_opd(&r);
    identity_position(&r, p);
    age = identity_birth(s, &r, &d, p);
    identity_appointment(s, &r, p, age);
    p->seq = (unsigned)rng_range(&r, 1, 999);
    p->deleted = rng_chance(&r, 0.005);
    identity_updated(s, &r, p);
}

/* The NIP as a number: birth date, TMT (PPPK: year and "21"), sex, sequence. */
uint64_t nip_compose(const struct person *p, unsigned seq)
{
    int by, bm, bd, ty, tm, td;
    uint64_t birth, tmt;

    civil_from_days(p->birth, &by, &bm, &bd);
    civil_from_days(p->tmt_cpns, &ty, &tm, &td);
    if ((p->defects & (1u << D_NIP_INVALID)) && p->nip_variant == 1)
        bm = 13;
    birth = (uint64_t)by * 10000 + (uint64_t)bm * 100 + (uint64_t)bd;
    tmt = (uint64_t)ty * 100 + (p->status == ST_PPPK ? 21 : (uint64_t)tm);
    return birth * 10000000000ULL + tmt * 10000 + (uint64_t)p->sex * 1000 + seq;
}
