/* The IP ASN of one employee: the four dimensions, the indicators behind
 * them, the category, and the gaps that would raise it. Pure: no I/O, no
 * globals, no allocation; every number comes from struct rules. Points are
 * integer tenths (22.5 -> 225); aggregates are hundredths. */
#ifndef IPASND_SCORE_H
#define IPASND_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "model.h"

/* Ordered from lowest to highest. */
enum category {
    CAT_SANGAT_RENDAH = 0,
    CAT_RENDAH,
    CAT_SEDANG,
    CAT_TINGGI,
    CAT_SANGAT_TINGGI,
};

/* The four dimensions, in the regulation's order. */
enum dimension {
    DIM_QUALIFICATION = 0, /* kualifikasi */
    DIM_COMPETENCY,        /* kompetensi */
    DIM_PERFORMANCE,       /* kinerja */
    DIM_DISCIPLINE,        /* disiplin */
    DIM_COUNT
};

/* The indicators the dimensions are made of. */
enum indicator {
    IND_QUALIFICATION = 0, /* kualifikasi: highest education */
    IND_LEADERSHIP,        /* struktural: leadership training of the level, ever */
    IND_FUNCTIONAL,        /* fungsional: functional training, ever */
    IND_TECHNICAL,         /* technical training >= technical_jp in the window */
    IND_SEMINAR,           /* seminar-like development in the window */
    IND_COMPETENCY_BASE,   /* bkn2024: base from the SKP predikat */
    IND_PERFORMANCE,       /* kinerja: SKP of year N - offset */
    IND_DISCIPLINE,        /* disiplin: most severe sanction in the window */
    IND_COUNT
};

/* The gaps a BKD can close, as the report groups them. */
enum gap_kind {
    GAP_LEADERSHIP = 0, /* no leadership training of the position's level */
    GAP_FUNCTIONAL,     /* no functional training */
    GAP_TECHNICAL,      /* less than technical_jp JP of technical training in N */
    GAP_SEMINAR,        /* no seminar-like development in the window */
    GAP_SKP_MISSING,    /* no SKP for the performance year */
    GAP_SKP_PREDIKAT,   /* an SKP below Sangat Baik */
    GAP_EDUCATION,      /* no usable education record */
    GAP_COUNT
};

/* SKP predikat, from the lowest. */
enum predikat {
    PREDIKAT_NONE = 0,      /* maps to nothing */
    PREDIKAT_SANGAT_KURANG, /* Sangat Kurang, Buruk */
    PREDIKAT_KURANG,
    PREDIKAT_CUKUP, /* Cukup, Butuh Perbaikan */
    PREDIKAT_BAIK,
    PREDIKAT_SANGAT_BAIK,
};

struct indicator_score {
    bool applies;     /* counts for this position and rule set */
    int points, max;  /* tenths */
    char detail[160]; /* "technical training 24 JP in 2020 (>= 20)" */
};

struct gap {
    enum gap_kind kind;
    int gain;         /* tenths: what closing it would add to the total */
    char detail[200]; /* "no technical training >= 20 JP in 2025: +22.5" */
};

struct score {
    int period;
    date_t as_of;
    enum ruleset ruleset;
    bool in_scope; /* status in index.include_status and not deleted */
    enum position_type position;
    int eselon_level; /* 1..4, 0 none */
    enum edu_level edu_level;
    enum predikat predikat;       /* of the SKP that counted, NONE without one */
    bool skp_from_score;          /* that SKP is an rwSkp score, placed by its band */
    enum sanction_level sanction; /* the most severe counted in the window */

    /* tenths */
    int qualification; /* kualifikasi, max 25 */
    int competency;    /* kompetensi, max 40 */
    int performance;   /* kinerja, max 30 */
    int discipline;    /* disiplin, max 5 */
    int total;
    enum category category;

    /* coverage: whether the dimension had data to score */
    bool has_education, has_skp;
    int technical_jp; /* JP of technical training counted in the window */

    struct indicator_score ind[IND_COUNT];
    struct gap gaps[GAP_COUNT];
    size_t n_gaps;
};

/* Scores e for idx's period and as-of date under idx's rule set, and
 * fills *out whole. The period must be resolved (config_resolve_index):
 * with period 0, -1 and *out holds no score, in scope for nothing. */
int score_employee(const struct employee *e, const struct config_index *idx, struct score *out);

/* The most points a dimension can give under r, in tenths: the largest of
 * the points its table holds (competency: its cap). */
int score_dimension_max(enum dimension d, const struct rules *r);

/* Which dimension an indicator counts toward. */
enum dimension score_indicator_dimension(enum indicator i);

/* The category of a value in hundredths (8500 = 85.00) under the rules'
 * category_mode. */
enum category score_category(int hundredths, const struct rules *r);
const char *category_name(enum category c);   /* "Sangat Tinggi" */
const char *indicator_name(enum indicator i); /* "technical" */
const char *gap_name(enum gap_kind g);        /* "technical_20jp" */
const char *predikat_name(enum predikat p);   /* "Cukup/Butuh Perbaikan" */

/* The indicator a course or leadership training name maps to, matched as
 * whole words, case-insensitively, against the rules' name lists. */
enum course_kind {
    COURSE_UNKNOWN = 0,
    COURSE_FUNCTIONAL,
    COURSE_TECHNICAL,
    COURSE_SEMINAR
};
enum course_kind score_course_kind(const struct course *c, const struct name_rules *n);
int score_leadership_level(const char *name, const struct name_rules *n); /* 1..4, 0 none */

/* The JP a course counts for: its jumlahJam, else its inclusive days from
 * start to end times jp_per_day (one date alone is one day, none is 0). */
int score_course_jp(const struct course *c, const struct rules *r);

/* The level of a tkPendidikanId code ("40", also "5" for "05"); EDU_NONE
 * for NULL or "", EDU_UNKNOWN for a code of no level. */
enum edu_level score_edu_level(const char *code);

/* A kuadranKinerja text, case-insensitive, trimmed, inner spaces collapsed. */
enum predikat score_predikat(const char *text);

#endif
