/* What the report's siblings share: the data the report loads in one
 * snapshot (report.c), and the renderers and words beside it
 * (report_html.c, report_lang.c). Nobody else may include it. */
#ifndef IPASND_REPORT_INT_H
#define IPASND_REPORT_INT_H

#include "report.h"
#include "score.h"
#include "trend.h"

struct report_official;

/* Text from the database is cut to this for the table; JSON and CSV get
 * it whole. */
#define CATEGORY_SIZE 32

/* The change over 7 and 30 days and the pace of one value (the
 * instansi's or an OPD's), from the daily history. */
struct report_trend {
    bool has_7d, has_30d;
    long long change_7d, change_30d; /* hundredths */
    struct trend_fit fit;
};

struct instansi_row {
    bool present; /* the period has an instansi aggregate */
    long long total, employees;
    char category[CATEGORY_SIZE];
    bool has_previous;
    long long previous;
    long long scored;              /* rows of v_employee_gap */
    long long coverage[DIM_COUNT]; /* employees with each dimension's data */
    struct report_trend trend;
};

struct opd_row {
    char *id, *name;
    int rank;
    long long employees, dim[DIM_COUNT], total;
    char category[CATEGORY_SIZE];
    bool below;
    int weakest;
    bool has_gains;                              /* v_opd_gain holds the OPD */
    long long gain[GAP_COUNT], reach[GAP_COUNT]; /* hundredths */
    struct report_trend trend;
};

struct gap_row {
    long long employees, sum, gain;
};

struct issue_count {
    char *opd_id, *opd_name; /* NULL: employees without an OPD */
    long long open;
};

struct issue_code {
    char *code;
    long long open;
    struct issue_count *by_opd;
    size_t n_by_opd;
};

struct employee_row {
    char *nip, *name, *opd_name, *gaps;
    char category[CATEGORY_SIZE];
    long long total, gap[GAP_COUNT];
};

struct report {
    const struct config *cfg;
    const struct report_options *o;
    int period;
    date_t as_of;
    int days_to_cutoff;
    long long target;

    struct instansi_row inst;
    struct opd_row *opd;
    size_t n_opd;
    struct gap_row gaps[GAP_COUNT];
    struct issue_code *codes;
    size_t n_codes;
    struct issue_count *issue_opds; /* open issues per OPD, worst first */
    size_t n_issue_opds;
    long long issues_open;
    struct employee_row *emp; /* with --opd */
    size_t n_emp;
    struct trend_point *series; /* the instansi's daily values, oldest first */
    size_t n_series;
    date_t today;
    struct report_official *official; /* NULL: no official values for the period */
};

/* The gap kinds by gain, largest first (report.c). */
void report_gain_order(const long long gain[GAP_COUNT], int order[GAP_COUNT]);

/* The trend of the instansi and of every OPD loaded, and the instansi's
 * daily series (report_trend.c); p is the report's query parameters
 * (instansi, period). 0, or a negative code with err. */
int report_load_trend(struct store *st, struct report *rep, const char *const *p,
                      struct error *err);

/* ---- the words (report_lang.c) ------------------------------------------- */

enum report_word {
    W_TITLE,
    W_PERIOD,
    W_AS_OF,
    W_CUTOFF_IN,
    W_CUTOFF_TODAY,
    W_CUTOFF_PASSED,
    W_DAYS,
    W_INSTANSI,
    W_EMPLOYEES,
    W_TARGET,
    W_REACHED,
    W_NOT_REACHED,
    W_PREVIOUS,
    W_CHANGE,
    W_CHANGE_7D,
    W_CHANGE_30D,
    W_NO_HISTORY,
    W_PACE,
    W_PACE_PER_DAY,
    W_PROJECTED,
    W_ON_PACE,
    W_OFF_PACE,
    W_NOT_ENOUGH,
    W_COVERAGE,
    W_RANKING,
    W_RANK,
    W_OPD,
    W_TOTAL,
    W_CATEGORY,
    W_WEAKEST,
    W_BELOW,
    W_BELOW_NONE,
    W_GAINS_IF,
    W_LIFT,
    W_INDICATOR,
    W_GAIN,
    W_QUALITY,
    W_OPEN_ISSUES,
    W_CODE,
    W_NO_ISSUES,
    W_WORST_FIRST,
    W_NAME,
    W_NEEDS,
    W_TREND,
    W_CUTOFF,
    W_LEADERS,
    W_NO_SCORES,
    W_NO_OPD,
    W_MAX,
    W_NO_OPD_NAME,
    W_OFFICIAL,
    W_OFFICIAL_OVER,
    W_AGREE,
    W_DIFFERENCE,
    W_EXPLAINED_BY,
    W_COUNT
};

/* The word in the report's language. */
const char *report_word(const struct report *rep, enum report_word w);
/* A dimension's name as the regulation calls it: "Kualifikasi", or in
 * English "Qualification". */
const char *report_dimension_label(const struct report *rep, int d);
/* What closing a gap means: "20 JP technical training". */
const char *report_gap_label(const struct report *rep, int gap);

/* ---- the HTML page (report_html.c) ----------------------------------------- */

/* Writes rep as one self-contained HTML page. 0, or a negative code with
 * err. */
int report_render_html(const struct report *rep, FILE *out, struct error *err);

/* The page under construction, and what a section of it writes with: a
 * section is a function added to the list in report_html.c. */
struct html;
typedef void (*report_html_section)(struct html *h);
const struct report *report_html_report(const struct html *h);
/* <section id=ID><h2>TITLE</h2> (the title escaped) ... </section> */
void report_html_section_begin(struct html *h, const char *id, const char *title);
void report_html_section_end(struct html *h);
/* Text, escaped for HTML whatever it holds. */
void report_html_text(struct html *h, const char *s);
/* The section's own markup, a constant: never text from the data. */
void report_html_markup(struct html *h, const char *markup);
/* Hundredths with two decimals, marked with key, its path in the JSON
 * report ("instansi.total"), so the page can be checked against it. */
void report_html_number(struct html *h, const char *key, long long hundredths, bool plus);
/* A whole number, marked with key likewise. */
void report_html_count(struct html *h, const char *key, long long v);
/* The page's buffer, for a section's chart drawn with svg.h. */
struct strbuf *report_html_buf(struct html *h);

#endif
