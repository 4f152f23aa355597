/* sim_employee.c: a person's whole record, generated when it is served from
 * (seed, index, version): one step per history, each drawing from the
 * content stream in turn, so the order of the steps is part of the data.
 * The defects are put in by sim_defect.c, at the points noted. */
#include <stdio.h>

#include "sim.h"

static int32_t rand_day_in_year(struct rng *r, int year, int32_t limit)
{
    int32_t lo = days_from_civil(year, 1, 1), hi = days_from_civil(year, 12, 31);

    if (hi > limit)
        hi = limit;
    if (hi < lo)
        return limit;
    return lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
}

static void add_edu(struct employee *e, struct rng *r, enum level lv, const char *field, int year)
{
    struct edu *x;

    if (e->n_edu >= MAX_EDU)
        return;
    x = &e->edu[e->n_edu++];
    x->level = lv;
    x->level_id = levels[lv].id;
    x->level_name = levels[lv].name;
    switch (lv) {
    case L_SD:
        snprintf(x->name, sizeof(x->name), "SD");
        break;
    case L_SLTP:
        snprintf(x->name, sizeof(x->name), "SMP");
        break;
    case L_SLTA:
        snprintf(x->name, sizeof(x->name), "%s",
                 field                ? field
                 : rng_chance(r, 0.5) ? "SMA IPA"
                                      : "SMA IPS");
        break;
    case L_D3:
        snprintf(x->name, sizeof(x->name), "D-III %s", field);
        break;
    case L_D4:
        snprintf(x->name, sizeof(x->name), "D-IV %s", field);
        break;
    case L_S1:
        snprintf(x->name, sizeof(x->name), "S-1 %s", field);
        break;
    case L_S2:
        snprintf(x->name, sizeof(x->name), "S-2 %s", field);
        break;
    case L_S3:
        snprintf(x->name, sizeof(x->name), "S-3 %s", field);
        break;
    }
    x->year = year;
    x->date = rng_chance(r, 0.85) ? days_from_civil(year, rng_range(r, 6, 9), rng_range(r, 1, 28))
                                  : NO_DATE;
    x->style = rng_chance(r, 0.5) ? DS_ISO : DS_DMY;
}

/* The leadership training of a level, by the year it was held. */
static const char *leadership_name(int level, int year, struct rng *r)
{
    static const char *const old_names[] = {"", "Diklatpim Tingkat I", "Diklatpim Tingkat II",
                                            "Diklatpim Tingkat III", "Diklatpim Tingkat IV"};
    static const char *const new_names[] = {"", "PKN Tingkat I", "PKN Tingkat II", "PKA", "PKP"};

    if (year < 2019)
        return old_names[level];
    if (level == 4 && rng_chance(r, 0.2))
        return "Pelatihan Kepemimpinan Pengawas (PKP)";
    return new_names[level];
}
void add_course(struct employee *e, struct rng *r, enum course_kind kind, int year, int32_t limit,
                const struct opd_info *o)
{
    struct kursus *k;
    int days;

    if (e->n_kursus >= MAX_KURSUS)
        return;
    k = &e->kursus[e->n_kursus++];
    memset(k, 0, sizeof(*k));
    k->kind_id = course_kinds[kind].id;
    k->kind_name = course_kinds[kind].name;
    k->dup_of = -1;
    k->style = rng_chance(r, 0.55) ? DS_ISO : DS_DMY;
    switch (kind) {
    case CK_TEKNIS:
    case CK_BIMTEK:
    case CK_PELATIHAN:
        days = rng_range(r, 1, 5);
        k->hours = rng_chance(r, 0.5) ? days * 8 : PICK(r, ((const int[]){8, 16, 20, 24, 30, 32}));
        k->name = o->kind == KIND_EDU && rng_chance(r, 0.6)    ? PICK_NAME(r, course_edu)
                  : o->kind == KIND_HOSP && rng_chance(r, 0.6) ? PICK_NAME(r, course_health)
                                                               : PICK_NAME(r, course_technical);
        break;
    case CK_FUNGSIONAL:
        days = rng_range(r, 5, 15);
        k->hours = days * 8;
        k->name = "Pelatihan Pembentukan Jabatan Fungsional";
        break;
    default:
        days = 1;
        k->hours = rng_range(r, 2, 8);
        k->name = PICK_NAME(r, course_seminar);
        break;
    }
    k->start = rand_day_in_year(r, year, limit - days + 1);
    k->end = days == 1 && rng_chance(r, 0.3) ? NO_DATE : k->start + days - 1;
}

/* ---- the steps, in the order they draw --------------------------------------- */

/* How the record writes its dates and times, the birthplace, and the role
 * of a functional post. */
static void gen_identity(struct gen *g)
{
    const struct person *p = g->p;
    struct employee *e = g->e;

    e->style = rng_chance(&g->r, 0.7) ? DS_DMY : DS_ISO;
    e->wita = rng_chance(&g->r, 0.1);
    e->birthplace = PICK_NAME(&g->r, cities);
    if (p->pos == POS_FUNGSIONAL || (p->pos == POS_RANGKAP && p->eselon < 0)) {
        int nroles = 0;

        while (nroles < 9 && g->o->roles[nroles] >= 0)
            nroles++;
        g->role = &roles[g->o->roles[rng_below(&g->r, (uint32_t)nroles)]];
        g->doctor = g->role == &roles[R_DOKTER] || g->role == &roles[R_DOKTER_SPESIALIS];
    }
}

/* The highest education and its field: by eselon, by role, or a
 * pelaksana's. */
static enum level edu_top(struct gen *g, const char **field)
{
    const struct person *p = g->p;
    const struct role_info *role = g->role;
    double u = rng_unit(&g->r);
    enum level top;

    if (p->pos == POS_STRUKTURAL || (p->pos == POS_RANGKAP && p->eselon >= 0)) {
        int lvl = eselons[p->eselon].level;

        top = lvl <= 2   ? (u < 0.12   ? L_S3
                            : u < 0.82 ? L_S2
                                       : L_S1)
              : lvl == 3 ? (u < 0.5 ? L_S2 : L_S1)
                         : (u < 0.25  ? L_S2
                            : u < 0.9 ? L_S1
                                      : L_D3);
        *field = PICK(
            &g->r, ((const char *const[]){"Ilmu Pemerintahan", "Administrasi Negara", "Ilmu Hukum",
                                          "Ekonomi Pembangunan", "Teknik Sipil", "Manajemen"}));
    } else if (role) {
        top = role->skilled ? (u < 0.75 ? L_D3 : L_D4)
              : g->doctor   ? (role == &roles[R_DOKTER_SPESIALIS] ? L_S2 : L_S1)
                            : (u < 0.78   ? L_S1
                               : u < 0.98 ? L_S2
                                          : L_S3);
        *field = role->field[rng_below(&g->r, role->field[1] ? role->field[2] ? 3 : 2 : 1)];
    } else {
        top = u < 0.05 ? L_SLTP : u < 0.42 ? L_SLTA : u < 0.65 ? L_D3 : L_S1;
        *field = PICK(&g->r, ((const char *const[]){"Administrasi Negara", "Manajemen", "Akuntansi",
                                                    "Ilmu Hukum", "Manajemen Informatika"}));
    }
    return top;
}

/* The year of the highest degree: about the appointment, a master's or a
 * doctorate years after it; never this year. */
static int edu_top_year(struct gen *g, enum level top)
{
    int top_year = year_of(g->p->tmt_cpns) - rng_range(&g->r, 0, 3);

    if (top == L_S2 || top == L_S3)
        top_year = year_of(g->p->tmt_cpns) + rng_range(&g->r, 2, 12);
    if (top_year > g->year - 1)
        top_year = g->year - 1;
    return top_year;
}

/* Education (riwayat pendidikan): the school and every degree up to the
 * highest. */
static void gen_education(struct gen *g)
{
    struct employee *e = g->e;
    struct rng *r = &g->r;
    const char *field;
    enum level top = story_education(g, edu_top(g, &field));
    int top_year, by = year_of(g->p->birth);

    e->top = top;
    top_year = edu_top_year(g, top);
    if (top >= L_SLTP)
        add_edu(e, r, top == L_SLTP ? L_SLTP : L_SLTA,
                top <= L_D3 && !g->role && rng_chance(r, 0.3) ? "SMK Akuntansi" : NULL,
                by + (top == L_SLTP ? 15 : 18));
    if (top == L_D3 || top == L_D4)
        add_edu(e, r, top, field, by + 21 + rng_range(r, 0, 2));
    if (top >= L_S1)
        add_edu(e, r, L_S1, g->doctor ? "Pendidikan Dokter" : field,
                top == L_S1 ? top_year : by + 22 + rng_range(r, 0, 2));
    if (top >= L_S2) {
        const char *f2 =
            g->doctor
                ? "Spesialis Penyakit Dalam"
                : PICK(r, ((const char *const[]){"Magister Manajemen", "Ilmu Administrasi",
                                                 "Manajemen Pendidikan", "Kesehatan Masyarakat"}));
        add_edu(e, r, L_S2, f2, top == L_S2 ? top_year : top_year - 5);
    }
    if (top == L_S3)
        add_edu(e, r, L_S3, "Ilmu Administrasi", top_year);
}

/* The name and the titles (gelar) in front of it and behind it. */
static void gen_name(struct gen *g)
{
    const struct person *p = g->p;
    struct employee *e = g->e;
    struct rng *r = &g->r;
    const char *first = p->sex == 1 ? PICK_NAME(r, male_first) : PICK_NAME(r, female_first);
    const char *last = p->sex == 1 ? PICK_NAME(r, male_last) : PICK_NAME(r, female_last);

    if (rng_chance(r, 0.1))
        snprintf(e->name, sizeof(e->name), "%s", first);
    else
        snprintf(e->name, sizeof(e->name), "%s %s", first, last);
    e->front = g->doctor                                         ? "dr."
               : e->top == L_S3                                  ? "Dr."
               : year_of(p->birth) < 1972 && rng_chance(r, 0.15) ? (p->sex == 1 ? "H." : "Hj.")
                                                                 : "";
    if (g->role && e->top >= L_D3)
        e->back = e->top == L_S2 && !g->doctor ? "M.Pd." : g->role->title;
    else if (e->top == L_S2 || e->top == L_S3)
        e->back = PICK(r, ((const char *const[]){"M.Si.", "M.M.", "M.AP.", "M.H."}));
    else if (e->top == L_S1)
        e->back = PICK(r, ((const char *const[]){"S.Sos.", "S.E.", "S.H.", "S.AP.", "S.T."}));
    else if (e->top == L_D3 || e->top == L_D4)
        e->back = "A.Md.";
    else
        e->back = "";
    if (g->doctor && g->role == &roles[R_DOKTER_SPESIALIS])
        e->back = "Sp.PD";
}

/* The grade: PPPK by education; PNS and CPNS from the education's entry
 * grade, one step per four years of service, up to its ceiling. */
static void gen_grade(struct gen *g)
{
    const struct person *p = g->p;
    struct employee *e = g->e;
    int service = (g->today - p->tmt_cpns) / 365;

    if (p->status == ST_PPPK) {
        e->grade = e->top >= L_S1 ? 9 : e->top >= L_D3 ? 7 : 5;
    } else {
        int base = e->top >= L_S3     ? 10
                   : e->top == L_S2   ? 9
                   : e->top >= L_S1   ? 8
                   : e->top >= L_D3   ? 6
                   : e->top == L_SLTA ? 4
                                      : 2;
        int cap = e->top >= L_S2 ? 14 : e->top >= L_S1 ? 13 : e->top >= L_D3 ? 11 : 10;

        e->grade = base + service / 4;
        if (e->grade > cap)
            e->grade = cap;
        if (p->eselon >= 0 && eselons[p->eselon].level <= 2 && e->grade < 12)
            e->grade = 12;
    }
}

/* The unit (unor) within the OPD; teachers work in a school. */
static void gen_unit(struct gen *g)
{
    struct employee *e = g->e;
    const struct names *units;

    switch (g->o->kind) {
    case KIND_HOSP:
        units = &units_hosp;
        break;
    case KIND_SETDA:
        units = &units_setda;
        break;
    case KIND_EDU:
        units = &units_edu;
        break;
    default:
        units = &units_general;
        break;
    }
    e->unor_no = (int)rng_below(&g->r, units->n);
    e->unor = units->v[e->unor_no];
    if (g->o->kind == KIND_EDU && g->role) {
        int city = (int)rng_below(&g->r, cities.n);
        int kind = (int)rng_below(&g->r, 10), no = rng_range(&g->r, 1, kind < 6 ? 8 : 4);

        snprintf(e->unor_buf, sizeof(e->unor_buf), "%s Negeri %d %s",
                 kind < 6   ? "SMA"
                 : kind < 9 ? "SMK"
                            : "SLB",
                 kind == 9 ? 1 : no, cities.v[city]);
        e->unor = e->unor_buf;
        e->unor_no = 10 + city * 20 + (kind < 6 ? no : kind < 9 ? 10 + no : 19);
    }
}

/* The name of an eselon post: the head of the OPD, its secretary, or the
 * head of a part of the unit. */
static void post_structural(struct gen *g)
{
    const struct person *p = g->p;
    const struct opd_info *o = g->o;
    struct employee *e = g->e;
    const struct eselon_info *es = &eselons[p->eselon];

    if (p->eselon == 0)
        e->post = "Sekretaris Daerah";
    else if (es->level == 2)
        e->post = o->head;
    else if (p->eselon == 3)
        e->post = o->kind == KIND_HOSP    ? "Wakil Direktur Umum dan Keuangan"
                  : o->kind == KIND_SETDA ? "Kepala Bagian Tata Usaha"
                                          : "Sekretaris";
    else {
        snprintf(e->post_buf, sizeof(e->post_buf), "%s %s",
                 p->eselon == 4   ? (o->kind == KIND_SETDA ? "Kepala Bagian" : "Kepala")
                 : p->eselon == 5 ? "Kepala Sub Bagian"
                                  : "Kepala Seksi",
                 e->unor);
        e->post = e->post_buf;
    }
    if (p->pos == POS_RANGKAP) {
        snprintf(e->post_buf, sizeof(e->post_buf), "Kepala %s", e->unor);
        e->post = e->post_buf;
    }
}

/* The post (jabatan): structural, functional with its rank by grade, or a
 * pelaksana's. */
static void gen_post(struct gen *g)
{
    struct employee *e = g->e;
    const struct role_info *role = g->role;

    if (g->p->eselon >= 0) {
        post_structural(g);
    } else if (role) {
        const char *rank = role->skilled    ? (e->grade >= 8   ? "Penyelia"
                                               : e->grade >= 6 ? "Mahir"
                                                               : "Terampil")
                           : e->grade >= 12 ? "Ahli Madya"
                           : e->grade >= 10 ? "Ahli Muda"
                                            : "Ahli Pertama";

        snprintf(e->post_buf, sizeof(e->post_buf), "%s %s", role->name, rank);
        e->post = e->post_buf;
    } else {
        e->post = PICK_NAME(&g->r, pelaksana_posts);
    }
}

/* The dates and sex the record shows: TMT PNS a year or so after TMT CPNS,
 * on the first of a month; then the NIP's mismatches. */
static void gen_dates_shown(struct gen *g)
{
    const struct person *p = g->p;
    struct employee *e = g->e;

    e->birth_shown = p->birth;
    e->tmt_cpns_shown = p->tmt_cpns;
    e->sex_shown = p->sex == 1 ? 'M' : 'F';
    e->tmt_pns = p->status == ST_PNS ? p->tmt_cpns + 365 + rng_range(&g->r, 0, 12) * 30 : NO_DATE;
    if (e->tmt_pns != NO_DATE) {
        int y, m, dd;

        if (e->tmt_pns > g->today)
            e->tmt_pns = p->tmt_cpns + 365;
        civil_from_days(e->tmt_pns, &y, &m, &dd);
        e->tmt_pns = days_from_civil(y, m, 1);
    }
    defects_nip_dates(g);
}

/* One leadership training of level l, for a post of level lvl: the lower
 * levels five years apart, before the post's own. */
static void leadership_one(struct gen *g, int l, int lvl)
{
    struct employee *e = g->e;
    int N = g->year, year = N - 1 - (l - lvl) * 5 - rng_range(&g->r, 0, 4);
    struct diklat *x;

    if (l == lvl && (g->d & (1u << D_LEADERSHIP)))
        return;
    if (year < year_of(g->p->tmt_cpns) + 2)
        year = year_of(g->p->tmt_cpns) + 2;
    if (year > N - 1)
        year = N - 1;
    x = &e->diklat[e->n_diklat++];
    x->type_id = (const char *[]){"", "1", "2", "3", "4"}[l];
    x->name = leadership_name(l, year, &g->r);
    x->start = rand_day_in_year(&g->r, year, g->today - 80);
    x->end = x->start + (l == 4 ? 50 : l == 3 ? 60 : 75);
    x->hours = l == 4 ? 285 : l == 3 ? 320 : 400;
    x->style = rng_chance(&g->r, 0.5) ? DS_ISO : DS_DMY;
}

/* Leadership training (diklat kepemimpinan): every level from IV up to the
 * post's, leadership_mismatch leaving out the post's own; a few PNS keep
 * one from a former structural post. */
static void gen_leadership(struct gen *g)
{
    const struct person *p = g->p;
    struct employee *e = g->e;

    if (p->eselon >= 0) {
        int lvl = eselons[p->eselon].level;

        for (int l = 4; l >= lvl; l--)
            leadership_one(g, l, lvl);
    } else if (p->status == ST_PNS && rng_chance(&g->r, 0.04)) {
        struct diklat *x = &e->diklat[e->n_diklat++];
        int year = year_of(p->tmt_cpns) + rng_range(&g->r, 5, 12);

        if (year > g->year - 1)
            year = g->year - 1;
        x->type_id = "4";
        x->name = leadership_name(4, year, &g->r);
        x->start = rand_day_in_year(&g->r, year, g->today - 80);
        x->end = x->start + 50;
        x->hours = 285;
        x->style = DS_DMY;
    }
}

/* Courses (riwayat kursus): a functional post's entry training, then up to
 * six others, most of them in the last two years. */
static void gen_courses(struct gen *g)
{
    int N = g->year, first = year_of(g->p->tmt_cpns), n_courses;
    struct rng *r = &g->r;

    if (g->role && g->p->status != ST_CPNS && rng_chance(r, 0.7))
        add_course(g->e, r, CK_FUNGSIONAL, rng_range(r, first + 1, N), g->today, g->o);
    n_courses = rng_range(r, 0, 6);
    for (int k = 0; k < n_courses; k++) {
        double u = rng_unit(r);
        enum course_kind kind = u < 0.25   ? CK_TEKNIS
                                : u < 0.45 ? CK_BIMTEK
                                : u < 0.55 ? CK_PELATIHAN
                                : u < 0.72 ? CK_SEMINAR
                                : u < 0.82 ? CK_WORKSHOP
                                : u < 0.90 ? CK_WEBINAR
                                : u < 0.94 ? CK_LOKAKARYA
                                : u < 0.97 ? CK_KURSUS
                                           : CK_MAGANG;
        double v = rng_unit(r);
        int year = v < 0.4 ? N : v < 0.7 ? N - 1 : N - rng_range(r, 2, 5);

        if (year < first)
            year = first;
        add_course(g->e, r, kind, year, g->today, g->o);
    }
}

/* Later versions: one more recent technical course each, from a stream of
 * the version's own, so a version's content does not depend on the order
 * the changes came in. */
static void gen_course_versions(struct gen *g)
{
    int v = g->s->version[g->i], from = v > EXTRA_MAX ? v - EXTRA_MAX + 1 : 1;

    for (int k = from; k <= v; k++) {
        struct rng x = rng_for(g->s->seed ^ ((uint64_t)k << 40), g->i, S_EXTRA);

        add_course(g->e, &x, CK_BIMTEK, g->year, g->today, g->o);
    }
}

/* SKP on the old scale, the last years up to 2021. */
static void gen_skp(struct gen *g)
{
    struct employee *e = g->e;
    int first = year_of(g->p->tmt_cpns);

    for (int y = (g->year - 6 > first ? g->year - 6 : first); y <= 2021 && e->n_skp < MAX_SKP;
         y++) {
        struct skp *x = &e->skp[e->n_skp++];

        x->year = y;
        x->cents = 7000 + (int)rng_below(&g->r, 2600);
        x->as_text = rng_chance(&g->r, 0.3);
    }
}

/* The predikat of one year's SKP from 2022, from u in [0, 1). */
static void skp22_predikat(struct skp22 *x, double u)
{
    if (u < 0.2) {
        x->predikat = "SANGAT BAIK";
        x->value = "5";
    } else if (u < 0.9) {
        x->predikat = "BAIK";
        x->value = "4";
    } else if (u < 0.97) {
        x->predikat = "BUTUH PERBAIKAN";
        x->value = "3";
    } else if (u < 0.99) {
        x->predikat = "KURANG";
        x->value = "2";
    } else {
        x->predikat = "SANGAT KURANG";
        x->value = "1";
    }
}

/* SKP from 2022 (PermenPANRB 6/2022): a predikat a year, this year's only
 * for a few; skp_missing leaves out last year's, skp_invalid gives it a
 * predikat no table knows. */
static void gen_skp22(struct gen *g)
{
    struct employee *e = g->e;
    int N = g->year, first = year_of(g->p->tmt_cpns);

    for (int y = (2022 > first ? 2022 : first); y <= N && e->n_skp22 < MAX_SKP22; y++) {
        struct skp22 *x;
        double u = rng_unit(&g->r);

        if (y == N && !rng_chance(&g->r, 0.15))
            break;
        if (y == N - 1 && (g->d & (1u << D_SKP_MISSING)))
            continue;
        x = &e->skp22[e->n_skp22++];
        x->year = y;
        skp22_predikat(x, y == N - 1 && story_sangat_baik(g) ? 0 : u);
        if (y == N - 1 && (g->d & (1u << D_SKP_INVALID))) {
            x->predikat = "ISTIMEWA";
            x->value = "6";
        }
    }
}

/* Sanctions (hukuman disiplin): few, light ones mostly, all ended. */
static void gen_sanctions(struct gen *g)
{
    struct employee *e = g->e;
    struct rng *r = &g->r;
    struct hukdis *x;
    double u;

    if (!rng_chance(r, 0.03))
        return;
    x = &e->hukdis[e->n_hukdis++];
    u = rng_unit(r);
    x->level = u < 0.7 ? 'R' : u < 0.9 ? 'S' : 'B';
    x->name = x->level == 'R' ? PICK(r, ((const char *const[]){"Teguran Lisan", "Teguran Tertulis",
                                                               "Pernyataan Tidak Puas Secara "
                                                               "Tertulis"}))
              : x->level == 'S' ? "Pemotongan Tunjangan Kinerja sebesar 25% selama 6 bulan"
                                : "Penurunan Jabatan Setingkat Lebih Rendah selama 12 Bulan";
    x->sk = g->today - rng_range(r, 400, 1700); /* ended before today */
    x->tmt = x->sk + rng_range(r, 0, 20);
    x->end = x->tmt + (x->level == 'R' ? 0 : x->level == 'S' ? 182 : 365);
    x->annulled = rng_chance(r, 0.1);
    x->number = rng_range(r, 1, 999);
}

/* The official index of an earlier measurement, for some. */
static void gen_ipasn(struct gen *g)
{
    struct employee *e = g->e;

    if (!rng_chance(&g->r, 0.3))
        return;
    e->has_ipasn = true;
    e->ipasn_year = g->year - 3;
    e->ipasn[0] = e->top >= L_S3   ? 250
                  : e->top == L_S2 ? 200
                  : e->top >= L_S1 ? 150
                  : e->top == L_D3 ? 100
                                   : 50;
    e->ipasn[1] = PICK(&g->r, ((const int[]){100, 250, 300, 400}));
    e->ipasn[2] = rng_chance(&g->r, 0.8) ? 250 : 300;
    e->ipasn[3] = 50;
    e->ipasn[4] = e->ipasn[0] + e->ipasn[1] + e->ipasn[2] + e->ipasn[3];
}

/* A person's whole record, from the identity and content streams. */
void employee_generate(const struct sim *s, uint32_t i, struct employee *e)
{
    struct gen g = {.s = s, .i = i, .e = e, .p = &e->p};

    memset(e, 0, sizeof(*e));
    person_identity(s, i, &e->p);
    e->defects = record_defects(s, i, &e->p);
    g.d = e->p.defects;
    if (s->flags[i] & RF_FIXED)
        g.d &= UNFIXABLE;
    if (e->p.pos != POS_STRUKTURAL)
        g.d &= ~(1u << D_LEADERSHIP);
    g.o = &opds[e->p.opd];
    g.today = s->today;
    g.year = year_of(s->today);
    g.r = rng_for(s->seed, i, S_CONTENT);
    nip_format(s->nip[i], e->nip);

    gen_identity(&g);
    gen_education(&g);
    gen_name(&g);
    gen_grade(&g);
    gen_unit(&g);
    gen_post(&g);
    gen_dates_shown(&g);
    gen_leadership(&g);
    gen_courses(&g);
    gen_course_versions(&g);
    story_development(&g);
    gen_skp(&g);
    gen_skp22(&g);
    gen_sanctions(&g);
    gen_ipasn(&g);
    defects_apply(&g);
}
