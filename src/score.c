/* The IP ASN of one employee under bkn2019 or bkn2024 (ipasn-rules.md),
 * and the means over a set of employees. Every number comes from struct
 * rules; points are integer tenths, aggregates hundredths. */
#include "score.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ---- names, matched as whole words ----------------------------------- */

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Letters and digits; bytes of multi-byte UTF-8 characters count as letters. */
static bool is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Separators between the words of a name: "PIM IV", "PIM  IV", "PIM-IV". */
static bool is_separator(unsigned char c)
{
    return is_space(c) || c == '-' || c == '_';
}

/* The length of text at h that the listed name n matches, or 0. A space in
 * n matches any run of separators in h; letters compare case-insensitively. */
static size_t match_at(const char *h, const char *n)
{
    const char *p = h;

    while (*n) {
        if (is_space((unsigned char)*n)) {
            if (!is_separator((unsigned char)*p))
                return 0;
            while (is_space((unsigned char)*n))
                n++;
            while (is_separator((unsigned char)*p))
                p++;
            continue;
        }
        if (ascii_lower((unsigned char)*p) != ascii_lower((unsigned char)*n))
            return 0;
        p++;
        n++;
    }
    return (size_t)(p - h);
}

/* Whether name occurs in text as whole words: "PIM I" is not in "PIM IV". */
static bool has_words(const char *text, const char *name)
{
    size_t nlen;

    while (is_space((unsigned char)*name))
        name++;
    nlen = strlen(name);
    while (nlen && is_space((unsigned char)name[nlen - 1]))
        nlen--;
    if (nlen == 0 || nlen >= 256)
        return false;

    char word[256];
    memcpy(word, name, nlen);
    word[nlen] = '\0';
    bool open_start = is_word_byte((unsigned char)word[0]);
    bool open_end = is_word_byte((unsigned char)word[nlen - 1]);

    for (const char *p = text; *p; p++) {
        size_t len;

        if (open_start && p > text && is_word_byte((unsigned char)p[-1]))
            continue;
        len = match_at(p, word);
        if (len && !(open_end && is_word_byte((unsigned char)p[len])))
            return true;
    }
    return false;
}

static bool list_match(const struct strlist *l, const char *text)
{
    for (size_t i = 0; i < l->n; i++) {
        if (has_words(text, l->v[i]))
            return true;
    }
    return false;
}

/* A name may be on several lists ("Pelatihan Fungsional" is on the
 * functional and the technical ones): functional wins over technical, and
 * technical over seminar-like, the more specific indicator first. */
static enum course_kind kind_of_text(const char *text, const struct name_rules *n)
{
    if (!text || !*text)
        return COURSE_UNKNOWN;
    if (list_match(&n->functional, text))
        return COURSE_FUNCTIONAL;
    if (list_match(&n->technical, text))
        return COURSE_TECHNICAL;
    if (list_match(&n->seminar, text))
        return COURSE_SEMINAR;
    return COURSE_UNKNOWN;
}

/* jenisKursusNama decides; only when it is absent or names no kind does
 * namaKursus. */
enum course_kind score_course_kind(const struct course *c, const struct name_rules *n)
{
    enum course_kind k = kind_of_text(c->kind_name, n);

    if (k == COURSE_UNKNOWN)
        k = kind_of_text(c->name, n);
    return k;
}

/* A name matching several levels takes the most senior one (I before IV). */
int score_leadership_level(const char *name, const struct name_rules *n)
{
    if (!name)
        return 0;
    for (int lv = 0; lv < 4; lv++) {
        if (list_match(&n->leadership[lv], name))
            return lv + 1;
    }
    return 0;
}

/* ---- codes and texts ------------------------------------------------- */

static const struct {
    int code;
    enum edu_level level;
    const char *label;
} edu_codes[] = {
    {5, EDU_SLTP, "SD"},
    {10, EDU_SLTP, "SLTP"},
    {12, EDU_SLTP, "SLTP kejuruan"},
    {15, EDU_SLTA, "SLTA"},
    {17, EDU_SLTA, "SLTA kejuruan"},
    {18, EDU_SLTA, "SLTA keguruan"},
    {20, EDU_SLTA, "D-I"},
    {25, EDU_SLTA, "D-II"},
    {30, EDU_D3, "D-III"},
    {35, EDU_S1, "D-IV"},
    {40, EDU_S1, "S-1"},
    {45, EDU_S2, "S-2"},
    {50, EDU_S3, "S-3"},
};

static int edu_code_index(const char *code)
{
    int64_t v;

    if (!code || parse_int64(code, 0, 99, &v) != 0)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(edu_codes); i++) {
        if (edu_codes[i].code == v)
            return (int)i;
    }
    return -1;
}

enum edu_level score_edu_level(const char *code)
{
    int i;

    if (!code || !*code)
        return EDU_NONE;
    i = edu_code_index(code);
    return i < 0 ? EDU_UNKNOWN : edu_codes[i].level;
}

enum predikat score_predikat(const char *text)
{
    static const struct {
        const char *text;
        enum predikat p;
    } names[] = {
        {"sangat baik", PREDIKAT_SANGAT_BAIK},
        {"baik", PREDIKAT_BAIK},
        {"cukup", PREDIKAT_CUKUP},
        {"butuh perbaikan", PREDIKAT_CUKUP},
        {"kurang", PREDIKAT_KURANG},
        {"sangat kurang", PREDIKAT_SANGAT_KURANG},
        {"buruk", PREDIKAT_SANGAT_KURANG},
    };
    char norm[32];
    size_t n = 0;

    if (!text)
        return PREDIKAT_NONE;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (is_space(c)) {
            if (n && norm[n - 1] != ' ' && n + 1 < sizeof(norm))
                norm[n++] = ' ';
            continue;
        }
        if (n + 1 >= sizeof(norm))
            return PREDIKAT_NONE;
        norm[n++] = (char)ascii_lower(c);
    }
    if (n && norm[n - 1] == ' ')
        n--;
    norm[n] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(norm, names[i].text) == 0)
            return names[i].p;
    }
    return PREDIKAT_NONE;
}

const char *predikat_name(enum predikat p)
{
    switch (p) {
    case PREDIKAT_SANGAT_BAIK:
        return "Sangat Baik";
    case PREDIKAT_BAIK:
        return "Baik";
    case PREDIKAT_CUKUP:
        return "Cukup/Butuh Perbaikan";
    case PREDIKAT_KURANG:
        return "Kurang";
    case PREDIKAT_SANGAT_KURANG:
        return "Sangat Kurang/Buruk";
    case PREDIKAT_NONE:
        break;
    }
    return "none";
}

static const char *roman(int level)
{
    static const char *const r[] = {"-", "I", "II", "III", "IV"};

    return level >= 1 && level <= 4 ? r[level] : r[0];
}

const char *category_name(enum category c)
{
    switch (c) {
    case CAT_SANGAT_RENDAH:
        return "Sangat Rendah";
    case CAT_RENDAH:
        return "Rendah";
    case CAT_SEDANG:
        return "Sedang";
    case CAT_TINGGI:
        return "Tinggi";
    case CAT_SANGAT_TINGGI:
        return "Sangat Tinggi";
    }
    return "unknown";
}

const char *indicator_name(enum indicator i)
{
    static const char *const names[IND_COUNT] = {
        [IND_QUALIFICATION] = "qualification",
        [IND_LEADERSHIP] = "leadership",
        [IND_FUNCTIONAL] = "functional",
        [IND_TECHNICAL] = "technical",
        [IND_SEMINAR] = "seminar",
        [IND_COMPETENCY_BASE] = "competency_base",
        [IND_PERFORMANCE] = "performance",
        [IND_DISCIPLINE] = "discipline",
    };

    return (unsigned)i < IND_COUNT ? names[i] : "unknown";
}

const char *gap_name(enum gap_kind g)
{
    static const char *const names[GAP_COUNT] = {
        [GAP_LEADERSHIP] = "leadership",    [GAP_FUNCTIONAL] = "functional",
        [GAP_TECHNICAL] = "technical_20jp", [GAP_SEMINAR] = "seminar",
        [GAP_SKP_MISSING] = "skp_missing",  [GAP_SKP_PREDIKAT] = "skp_predikat",
        [GAP_EDUCATION] = "education",
    };

    return (unsigned)g < GAP_COUNT ? names[g] : "unknown";
}

/* "2020" or "2019-2020". */
static const char *years_text(int lo, int hi, char *buf, size_t size)
{
    if (lo == hi)
        snprintf(buf, size, "%d", hi);
    else
        snprintf(buf, size, "%d-%d", lo, hi);
    return buf;
}

static void detail(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void detail(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

/* ---- placement in time -------------------------------------------------- */

/* Years lo..hi and nothing dated after as_of. */
struct window {
    int lo, hi;
    date_t as_of;
};

/* Whether a record placed by date (else by its year field) falls in w. A
 * year-only record counts in its year even when as_of is before 31
 * December; a record with neither never counts. */
static bool placed_in(date_t date, int year, const struct window *w)
{
    if (date != DATE_NONE) {
        int y = date_year(date);

        return date <= w->as_of && y >= w->lo && y <= w->hi;
    }
    if (year != YEAR_NONE)
        return year >= w->lo && year <= w->hi;
    return false;
}

/* The year a record is placed in, for details: YEAR_NONE when undated. */
static int placed_year(date_t date, int year)
{
    return date != DATE_NONE ? date_year(date) : year;
}

static date_t training_date(date_t start, date_t end)
{
    return end != DATE_NONE ? end : start;
}

int score_course_jp(const struct course *c, const struct rules *r)
{
    long long days;

    if (c->hours >= 0)
        return c->hours;
    if (c->start != DATE_NONE && c->end != DATE_NONE)
        days = c->end >= c->start ? (long long)c->end - c->start + 1 : 0;
    else if (c->start != DATE_NONE || c->end != DATE_NONE)
        days = 1;
    else
        days = 0;
    days *= r->jp_per_day;
    return days > INT_MAX ? INT_MAX : (int)days;
}

/* ---- scope -------------------------------------------------------------- */

static const char *status_name(enum employee_status s)
{
    switch (s) {
    case STATUS_PNS:
        return "PNS";
    case STATUS_CPNS:
        return "CPNS";
    case STATUS_PPPK:
        return "PPPK";
    case STATUS_UNKNOWN:
        break;
    }
    return NULL;
}

/* Active means kedudukanPnsId absent, "01" (aktif) or "71"/"72" (PPPK);
 * every other kedudukan (retired, on leave outside the state, dismissed, ...)
 * is out of the measurement. An unknown status is out of scope. */
static bool in_scope(const struct employee *e, const struct config_index *idx)
{
    const char *name = status_name(e->status);
    const char *k = e->kedudukan_id;
    bool listed = false;

    if (e->deleted || !name)
        return false;
    if (k && *k && strcmp(k, "01") != 0 && strcmp(k, "71") != 0 && strcmp(k, "72") != 0)
        return false;
    if (idx->ruleset == RULESET_BKN2024 && e->status == STATUS_PPPK)
        return true;
    for (size_t i = 0; i < idx->include_status.n; i++)
        listed |= strcasecmp(idx->include_status.v[i], name) == 0;
    return listed;
}

/* ---- dimensions --------------------------------------------------------- */

static int qual_points(enum edu_level l, const struct rules *r)
{
    switch (l) {
    case EDU_S3:
        return r->qual_s3;
    case EDU_S2:
        return r->qual_s2;
    case EDU_S1:
        return r->qual_s1;
    case EDU_D3:
        return r->qual_d3;
    case EDU_SLTA:
        return r->qual_slta;
    case EDU_SLTP:
        return r->qual_sltp;
    case EDU_UNKNOWN:
    case EDU_NONE:
        break;
    }
    return r->qual_none;
}

/* kualifikasi */
static void score_qualification(const struct employee *e, const struct rules *r,
                                const struct window *ever, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_QUALIFICATION];
    enum edu_level best = EDU_NONE;
    const char *best_code = NULL;
    int best_year = YEAR_NONE;
    char asof[16], code[24];

    for (size_t i = 0; i < e->n_education; i++) {
        const struct education *ed = &e->education[i];
        enum edu_level l = score_edu_level(ed->level_id);

        if (!placed_in(ed->grad_date, ed->grad_year, ever))
            continue;
        if (l == EDU_NONE)
            l = EDU_UNKNOWN; /* a record without a level code */
        if (l > best) {
            best = l;
            best_code = ed->level_id;
            best_year = placed_year(ed->grad_date, ed->grad_year);
        }
    }
    if (e->n_education == 0) {
        best = score_edu_level(e->edu_level_id);
        best_code = e->edu_level_id;
    }

    s->edu_level = best;
    s->has_education = best >= EDU_SLTP;
    s->qualification = qual_points(best, r);
    ind->applies = true;
    ind->points = s->qualification;
    ind->max = r->qual_s3;
    text_quote(code, sizeof(code), best_code);
    if (best >= EDU_SLTP) {
        const char *label = edu_codes[edu_code_index(best_code)].label;

        if (e->n_education == 0)
            detail(ind->detail, sizeof(ind->detail), "%s (tkPendidikanTerakhirId %s)", label, code);
        else
            detail(ind->detail, sizeof(ind->detail), "%s graduated %d", label, best_year);
    } else if (best == EDU_UNKNOWN) {
        detail(ind->detail, sizeof(ind->detail), "education level code %s maps to no level",
               best_code && *best_code ? code : "(none)");
    } else {
        detail(ind->detail, sizeof(ind->detail), "no education record by %s",
               date_format(ever->as_of, asof, sizeof(asof)));
    }
}

/* What the histories hold for the competency indicators. */
struct development {
    int leadership_year;  /* a matching leadership training, YEAR_NONE if none */
    int leadership_level; /* of that training */
    int functional_year;  /* a functional training, YEAR_NONE if none */
    long long technical;  /* JP in the technical window */
    long long other;      /* JP of seminar-like development in year N */
    int seminar_year;     /* latest seminar-like development in its window */
};

static bool leadership_matches(int level, int eselon, const struct rules *r)
{
    if (level == 0 || eselon == 0)
        return false;
    if (r->leadership_match == LEADERSHIP_AT_LEAST)
        return level <= eselon; /* a higher level has a smaller number */
    return level == eselon;
}

static void gather_development(const struct employee *e, const struct rules *r, int period,
                               date_t as_of, struct development *d)
{
    struct window ever = {INT_MIN, period, as_of};
    struct window tech = {period - r->technical_window + 1, period, as_of};
    struct window sem = {period - r->seminar_window + 1, period, as_of};
    struct window year_n = {period, period, as_of};

    memset(d, 0, sizeof(*d));
    d->leadership_year = d->functional_year = d->seminar_year = YEAR_NONE;

    for (size_t i = 0; i < e->n_leadership; i++) {
        const struct leadership_training *t = &e->leadership[i];
        date_t when = training_date(t->start, t->end);
        int level = score_leadership_level(t->name, &r->names);

        if (!placed_in(when, t->year, &ever) || !leadership_matches(level, e->eselon_level, r))
            continue;
        if (d->leadership_level == 0 || placed_year(when, t->year) > d->leadership_year) {
            d->leadership_year = placed_year(when, t->year);
            d->leadership_level = level;
        }
    }

    for (size_t i = 0; i < e->n_courses; i++) {
        const struct course *c = &e->courses[i];
        date_t when = training_date(c->start, c->end);
        int year = placed_year(when, c->year);

        switch (score_course_kind(c, &r->names)) {
        case COURSE_FUNCTIONAL:
            if (placed_in(when, c->year, &ever) && year > d->functional_year)
                d->functional_year = year;
            break;
        case COURSE_TECHNICAL:
            if (placed_in(when, c->year, &tech))
                d->technical += score_course_jp(c, r);
            break;
        case COURSE_SEMINAR:
            if (placed_in(when, c->year, &sem) && year > d->seminar_year)
                d->seminar_year = year;
            if (placed_in(when, c->year, &year_n))
                d->other += score_course_jp(c, r);
            break;
        case COURSE_UNKNOWN:
            break;
        }
    }
}

/* What the SKP of the performance year says. */
struct performance {
    int year;
    enum predikat predikat;
    bool from_score; /* rwSkp, by its numeric score */
    double score;
};

static enum predikat predikat_of_score(double v, const struct rules *r)
{
    if (v > r->skp_above_sangat_baik)
        return PREDIKAT_SANGAT_BAIK;
    if (v > r->skp_above_baik)
        return PREDIKAT_BAIK;
    if (v > r->skp_above_cukup)
        return PREDIKAT_CUKUP;
    if (v > r->skp_above_kurang)
        return PREDIKAT_KURANG;
    return PREDIKAT_SANGAT_KURANG;
}

/* rwSkp22 of the year wins over rwSkp. Several entries for the year: the
 * best predikat (rwSkp22) or the highest valid score (rwSkp) counts, as
 * BKN keeps the final, reviewed SKP. */
static void find_performance(const struct employee *e, const struct rules *r, int year,
                             struct performance *p)
{
    memset(p, 0, sizeof(*p));
    p->year = year;
    for (size_t i = 0; i < e->n_skp22; i++) {
        enum predikat v = score_predikat(e->skp22[i].predikat);

        if (e->skp22[i].year == year && v > p->predikat)
            p->predikat = v;
    }
    if (p->predikat != PREDIKAT_NONE)
        return;
    for (size_t i = 0; i < e->n_skp; i++) {
        const struct skp *k = &e->skp[i];

        if (k->year != year || !k->has_score || !(k->score >= 0 && k->score <= r->skp_score_max))
            continue;
        if (!p->from_score || k->score > p->score) {
            p->from_score = true;
            p->score = k->score;
        }
    }
    if (p->from_score)
        p->predikat = predikat_of_score(p->score, r);
}

static int perf_points(enum predikat p, const struct rules *r)
{
    switch (p) {
    case PREDIKAT_SANGAT_BAIK:
        return r->perf_sangat_baik;
    case PREDIKAT_BAIK:
        return r->perf_baik;
    case PREDIKAT_CUKUP:
        return r->perf_cukup;
    case PREDIKAT_KURANG:
        return r->perf_kurang;
    case PREDIKAT_SANGAT_KURANG:
        return r->perf_sangat_kurang;
    case PREDIKAT_NONE:
        break;
    }
    return r->perf_none;
}

static int base_points(enum predikat p, const struct rules *r)
{
    switch (p) {
    case PREDIKAT_SANGAT_BAIK:
        return r->b24_base_sangat_baik;
    case PREDIKAT_BAIK:
        return r->b24_base_baik;
    case PREDIKAT_CUKUP:
        return r->b24_base_butuh_perbaikan;
    case PREDIKAT_KURANG:
        return r->b24_base_kurang;
    case PREDIKAT_SANGAT_KURANG:
        return r->b24_base_sangat_kurang;
    case PREDIKAT_NONE:
        break;
    }
    return 0;
}

/* kinerja */
static void score_performance(const struct performance *p, const struct rules *r, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_PERFORMANCE];

    s->has_skp = p->predikat != PREDIKAT_NONE;
    s->predikat = p->predikat;
    s->skp_from_score = p->from_score;
    s->performance = perf_points(p->predikat, r);
    ind->applies = true;
    ind->points = s->performance;
    ind->max = r->perf_sangat_baik;
    if (!s->has_skp)
        detail(ind->detail, sizeof(ind->detail), "no SKP for %d", p->year);
    else if (p->from_score)
        detail(ind->detail, sizeof(ind->detail), "SKP %d %.2f: %s", p->year, p->score,
               predikat_name(p->predikat));
    else
        detail(ind->detail, sizeof(ind->detail), "SKP %d: %s", p->year, predikat_name(p->predikat));
}

/* disiplin: sanctions with an unknown level are not counted (their level
 * cannot be weighed); annulled ones never count. */
static void score_discipline(const struct employee *e, const struct rules *r,
                             const struct window *w, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_DISCIPLINE];
    enum sanction_level worst = SANCTION_NONE;
    date_t worst_date = DATE_NONE;
    char years[24], when[16];

    for (size_t i = 0; i < e->n_sanctions; i++) {
        const struct sanction *x = &e->sanctions[i];
        date_t d = x->tmt != DATE_NONE ? x->tmt : x->sk_date;

        if (x->annulled || x->level == SANCTION_NONE || x->level == SANCTION_UNKNOWN)
            continue;
        if (!placed_in(d, YEAR_NONE, w))
            continue;
        if (x->level > worst) {
            worst = x->level;
            worst_date = d;
        }
    }
    s->sanction = worst;
    switch (worst) {
    case SANCTION_BERAT:
        s->discipline = r->disc_berat;
        break;
    case SANCTION_SEDANG:
        s->discipline = r->disc_sedang;
        break;
    case SANCTION_RINGAN:
        s->discipline = r->disc_ringan;
        break;
    default:
        s->discipline = r->disc_none;
        break;
    }
    ind->applies = true;
    ind->points = s->discipline;
    ind->max = r->disc_none;
    years_text(w->lo, w->hi, years, sizeof(years));
    if (worst == SANCTION_NONE)
        detail(ind->detail, sizeof(ind->detail), "no sanction in %s", years);
    else
        detail(ind->detail, sizeof(ind->detail), "sanction %s with TMT %s",
               worst == SANCTION_BERAT    ? "berat"
               : worst == SANCTION_SEDANG ? "sedang"
                                          : "ringan",
               date_format(worst_date, when, sizeof(when)));
}

static void set_indicator(struct indicator_score *ind, bool earned, int max)
{
    ind->applies = true;
    ind->max = max;
    ind->points = earned ? max : 0;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

/* What adding delta to an uncapped competency sum adds to the capped one. */
static int cap_gain(int raw, int delta, int cap)
{
    return min_int(cap, raw + delta) - min_int(cap, raw);
}

static void add_gap(struct score *s, enum gap_kind kind, int gain, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_gap(struct score *s, enum gap_kind kind, int gain, const char *fmt, ...)
{
    struct gap *g;
    va_list ap;

    if (gain <= 0 || s->n_gaps >= GAP_COUNT)
        return;
    g = &s->gaps[s->n_gaps++];
    g->kind = kind;
    g->gain = gain;
    va_start(ap, fmt);
    vsnprintf(g->detail, sizeof(g->detail), fmt, ap);
    va_end(ap);
}

/* kompetensi, with the gaps of its indicators. Returns the uncapped sum. */
/* What the competency indicators are worth for one employee. */
struct competency {
    const struct rules *r;
    bool b24;
    struct development d;
    int lead_max, func_max, tech_max, sem_max;
    int tech_lo, sem_lo; /* the windows' first years */
    int other_jp;
    int raw; /* the indicators' points before the cap */
};

static void competency_maxima(struct competency *c, enum position_type position)
{
    const struct rules *r = c->r;
    bool b24 = c->b24;

    switch (position) {
    case POSITION_STRUKTURAL:
        c->lead_max = b24 ? r->b24_leadership : r->struktural_leadership;
        c->tech_max = b24 ? r->b24_technical : r->struktural_technical;
        c->sem_max = b24 ? r->b24_other : r->struktural_seminar;
        break;
    case POSITION_FUNGSIONAL:
        c->func_max = b24 ? r->b24_functional : r->fungsional_functional;
        c->tech_max = b24 ? r->b24_technical : r->fungsional_technical;
        c->sem_max = b24 ? r->b24_other : r->fungsional_seminar;
        break;
    default:
        c->tech_max = b24 ? r->b24_technical : r->pelaksana_technical;
        c->sem_max = b24 ? r->b24_other : r->pelaksana_seminar;
        break;
    }
}

/* bkn2024: the base from the SKP predikat. */
static void competency_base(struct competency *c, const struct performance *perf, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_COMPETENCY_BASE];

    ind->applies = true;
    ind->max = c->r->b24_base_sangat_baik;
    ind->points = base_points(perf->predikat, c->r);
    if (perf->predikat == PREDIKAT_NONE)
        detail(ind->detail, sizeof(ind->detail), "no SKP for %d: no base", perf->year);
    else
        detail(ind->detail, sizeof(ind->detail), "base from SKP %d: %s", perf->year,
               predikat_name(perf->predikat));
    c->raw += ind->points;
}

static void competency_leadership(struct competency *c, const struct employee *e, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_LEADERSHIP];

    set_indicator(ind, c->d.leadership_level != 0, c->lead_max);
    if (e->eselon_level == 0)
        detail(ind->detail, sizeof(ind->detail),
               "struktural without an eselon level: no leadership training can match");
    else if (c->d.leadership_level)
        detail(ind->detail, sizeof(ind->detail), "leadership training level %s in %d (eselon %s)",
               roman(c->d.leadership_level), c->d.leadership_year, roman(e->eselon_level));
    else
        detail(ind->detail, sizeof(ind->detail), "no leadership training of level %s (eselon %s)",
               roman(e->eselon_level), roman(e->eselon_level));
    c->raw += ind->points;
}

static void competency_functional(struct competency *c, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_FUNCTIONAL];
    char asof[16];

    set_indicator(ind, c->d.functional_year != YEAR_NONE, c->func_max);
    if (c->d.functional_year != YEAR_NONE)
        detail(ind->detail, sizeof(ind->detail), "functional training in %d", c->d.functional_year);
    else
        detail(ind->detail, sizeof(ind->detail), "no functional training by %s",
               date_format(s->as_of, asof, sizeof(asof)));
    c->raw += ind->points;
}

static void competency_technical(struct competency *c, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_TECHNICAL];
    char years[24];

    set_indicator(ind, c->d.technical >= c->r->technical_jp, c->tech_max);
    detail(ind->detail, sizeof(ind->detail), "technical training %d JP in %s (needs %d)",
           s->technical_jp, years_text(c->tech_lo, s->period, years, sizeof(years)),
           c->r->technical_jp);
    c->raw += ind->points;
}

static void competency_seminar(struct competency *c, struct score *s)
{
    struct indicator_score *ind = &s->ind[IND_SEMINAR];
    long long other = c->d.other > INT_MAX ? INT_MAX : c->d.other;
    char years[24];

    if (c->b24) {
        set_indicator(ind, c->d.other >= c->other_jp, c->sem_max);
        detail(ind->detail, sizeof(ind->detail), "other development %lld JP in %d (needs %d)",
               other, s->period, c->other_jp);
    } else {
        set_indicator(ind, c->d.seminar_year != YEAR_NONE, c->sem_max);
        if (c->d.seminar_year != YEAR_NONE)
            detail(ind->detail, sizeof(ind->detail), "seminar-like development in %d",
                   c->d.seminar_year);
        else
            detail(ind->detail, sizeof(ind->detail), "no seminar-like development in %s",
                   years_text(c->sem_lo, s->period, years, sizeof(years)));
    }
    c->raw += ind->points;
}

/* The competency gaps, each what closing it alone would add under the cap. */
static void competency_gaps(const struct competency *c, const struct employee *e, struct score *s)
{
    int cap = c->r->competency_max, g;
    char years[24], pts[16];

    if (s->ind[IND_LEADERSHIP].applies && !s->ind[IND_LEADERSHIP].points && e->eselon_level != 0) {
        g = cap_gain(c->raw, c->lead_max, cap);
        add_gap(s, GAP_LEADERSHIP, g, "no leadership training of level %s (eselon %s): +%s",
                roman(e->eselon_level), roman(e->eselon_level), fmt_tenths(pts, sizeof(pts), g));
    }
    if (s->ind[IND_FUNCTIONAL].applies && !s->ind[IND_FUNCTIONAL].points) {
        g = cap_gain(c->raw, c->func_max, cap);
        add_gap(s, GAP_FUNCTIONAL, g, "no functional training: +%s",
                fmt_tenths(pts, sizeof(pts), g));
    }
    if (!s->ind[IND_TECHNICAL].points) {
        g = cap_gain(c->raw, c->tech_max, cap);
        years_text(c->tech_lo, s->period, years, sizeof(years));
        if (s->technical_jp == 0)
            add_gap(s, GAP_TECHNICAL, g, "no technical training >= %d JP in %s: +%s",
                    c->r->technical_jp, years, fmt_tenths(pts, sizeof(pts), g));
        else
            add_gap(s, GAP_TECHNICAL, g, "technical training %d of %d JP in %s: +%s",
                    s->technical_jp, c->r->technical_jp, years, fmt_tenths(pts, sizeof(pts), g));
    }
    if (!s->ind[IND_SEMINAR].points) {
        g = cap_gain(c->raw, c->sem_max, cap);
        if (c->b24)
            add_gap(s, GAP_SEMINAR, g, "other development %lld of %d JP in %d: +%s",
                    c->d.other > INT_MAX ? INT_MAX : c->d.other, c->other_jp, s->period,
                    fmt_tenths(pts, sizeof(pts), g));
        else
            add_gap(s, GAP_SEMINAR, g, "no seminar-like development in %s: +%s",
                    years_text(c->sem_lo, s->period, years, sizeof(years)),
                    fmt_tenths(pts, sizeof(pts), g));
    }
}

/* Kompetensi: the indicators of the position, capped; returns their sum
 * before the cap (the gains of the performance gaps follow it). */
static int score_competency(const struct employee *e, const struct config_index *idx,
                            const struct performance *perf, struct score *s)
{
    const struct rules *r = &idx->rules;
    struct competency c = {.r = r,
                           .b24 = idx->ruleset == RULESET_BKN2024,
                           .tech_lo = s->period - r->technical_window + 1,
                           .sem_lo = s->period - r->seminar_window + 1};

    c.other_jp = c.b24 ? r->b24_other_jp : 0;
    gather_development(e, r, s->period, s->as_of, &c.d);
    s->technical_jp = c.d.technical > INT_MAX ? INT_MAX : (int)c.d.technical;
    competency_maxima(&c, s->position);
    if (c.b24)
        competency_base(&c, perf, s);
    if (s->position == POSITION_STRUKTURAL)
        competency_leadership(&c, e, s);
    if (s->position == POSITION_FUNGSIONAL)
        competency_functional(&c, s);
    competency_technical(&c, s);
    competency_seminar(&c, s);
    s->competency = min_int(r->competency_max, c.raw);
    competency_gaps(&c, e, s);
    return c.raw;
}

/* The performance gaps: what an SKP of Sangat Baik would add, to kinerja
 * and, under bkn2024, to the competency base. */
static void performance_gaps(const struct config_index *idx, const struct performance *p,
                             int competency_raw, struct score *s)
{
    const struct rules *r = &idx->rules;
    int gain = r->perf_sangat_baik - s->performance;
    char pts[16];

    if (idx->ruleset == RULESET_BKN2024)
        gain += cap_gain(competency_raw, r->b24_base_sangat_baik - base_points(p->predikat, r),
                         r->competency_max);
    if (p->predikat == PREDIKAT_NONE)
        add_gap(s, GAP_SKP_MISSING, gain, "no SKP for %d: up to +%s", p->year,
                fmt_tenths(pts, sizeof(pts), gain));
    else if (p->predikat != PREDIKAT_SANGAT_BAIK)
        add_gap(s, GAP_SKP_PREDIKAT, gain, "SKP %d %s: up to +%s with Sangat Baik", p->year,
                predikat_name(p->predikat), fmt_tenths(pts, sizeof(pts), gain));
}

static void education_gap(const struct rules *r, struct score *s)
{
    int gain = r->qual_s3 - s->qualification;
    char pts[16];

    if (s->has_education)
        return;
    if (s->edu_level == EDU_UNKNOWN)
        add_gap(s, GAP_EDUCATION, gain, "%s: up to +%s", s->ind[IND_QUALIFICATION].detail,
                fmt_tenths(pts, sizeof(pts), gain));
    else
        add_gap(s, GAP_EDUCATION, gain, "no education record: up to +%s",
                fmt_tenths(pts, sizeof(pts), gain));
}

int score_employee(const struct employee *e, const struct config_index *idx, struct score *out)
{
    const struct rules *r = &idx->rules;
    struct performance perf;
    struct window ever, disc;
    int raw;

    memset(out, 0, sizeof(*out));
    /* A period read from the clock record by record would score a sync that
     * runs across New Year for two years. */
    if (!idx->period)
        return -1;
    out->period = idx->period;
    out->as_of = config_as_of(idx);
    out->ruleset = idx->ruleset;
    out->in_scope = in_scope(e, idx);
    /* POSITION_UNKNOWN is scored, and reported, as pelaksana. */
    out->position = e->position == POSITION_UNKNOWN ? POSITION_PELAKSANA : e->position;
    out->eselon_level = e->eselon_level;

    ever = (struct window){INT_MIN, out->period, out->as_of};
    disc = (struct window){out->period - r->discipline_window + 1, out->period, out->as_of};

    score_qualification(e, r, &ever, out);
    find_performance(e, r, out->period - r->performance_year_offset, &perf);
    score_performance(&perf, r, out);
    raw = score_competency(e, idx, &perf, out);
    score_discipline(e, r, &disc, out);

    out->total = out->qualification + out->competency + out->performance + out->discipline;
    out->category = score_category(out->total * 10, r);

    performance_gaps(idx, &perf, raw, out);
    education_gap(r, out);
    return 0;
}

/* ---- category and maxima ------------------------------------------------ */

/* A threshold in hundredths: 90.0 -> 9000. */
static long long hundredths_of(double v)
{
    return llround(v * 100.0);
}

enum category score_category(int hundredths, const struct rules *r)
{
    long long v = hundredths;

    if (r->category_mode == CATEGORY_ROUND)
        v = div_floor(v + 50, 100) * 100; /* half up to a whole number */
    if (v > hundredths_of(r->cat_above_sangat_tinggi))
        return CAT_SANGAT_TINGGI;
    if (v > hundredths_of(r->cat_above_tinggi))
        return CAT_TINGGI;
    if (v > hundredths_of(r->cat_above_sedang))
        return CAT_SEDANG;
    if (v > hundredths_of(r->cat_above_rendah))
        return CAT_RENDAH;
    return CAT_SANGAT_RENDAH;
}

static int max_of(const int *v, size_t n)
{
    int m = v[0];

    for (size_t i = 1; i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

int score_dimension_max(enum dimension d, const struct rules *r)
{
    switch (d) {
    case DIM_QUALIFICATION: {
        const int v[] = {r->qual_s3, r->qual_s2,   r->qual_s1,
                         r->qual_d3, r->qual_slta, r->qual_sltp};

        return max_of(v, ARRAY_SIZE(v));
    }
    case DIM_COMPETENCY:
        return r->competency_max;
    case DIM_PERFORMANCE: {
        const int v[] = {r->perf_sangat_baik, r->perf_baik, r->perf_cukup, r->perf_kurang,
                         r->perf_sangat_kurang};

        return max_of(v, ARRAY_SIZE(v));
    }
    case DIM_DISCIPLINE: {
        const int v[] = {r->disc_none, r->disc_ringan, r->disc_sedang, r->disc_berat};

        return max_of(v, ARRAY_SIZE(v));
    }
    case DIM_COUNT:
        break;
    }
    assert_not_reached();
}

enum dimension score_indicator_dimension(enum indicator i)
{
    switch (i) {
    case IND_QUALIFICATION:
        return DIM_QUALIFICATION;
    case IND_PERFORMANCE:
        return DIM_PERFORMANCE;
    case IND_DISCIPLINE:
        return DIM_DISCIPLINE;
    default:
        return DIM_COMPETENCY;
    }
}
