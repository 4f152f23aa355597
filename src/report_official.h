/* report_official.h: the report's section "Against BKN's values": BKN's
 * instansi value beside ipasnd's over the employees both have; per
 * dimension the share that agrees within quality.ipasn_tolerance and the
 * mean difference; per OPD both values and the dimension that explains
 * most of the difference. Read inside the report's snapshot; never writes. */
#ifndef IPASND_REPORT_OFFICIAL_H
#define IPASND_REPORT_OFFICIAL_H

#include <jansson.h>
#include <stdio.h>

#include "config.h"
#include "store.h"
#include "util.h"

#define OFFICIAL_DIMS 5 /* the four dimensions, then the total */

struct official_dim {
    long long employees, agree;
    long long official, ipasnd, difference; /* means, hundredths */
};

struct official_opd {
    char *id, *name;
    struct official_dim dim[OFFICIAL_DIMS];
    int explains; /* the dimension whose mean difference is largest, 0..3 */
};

struct report_official {
    struct official_dim dim[OFFICIAL_DIMS]; /* the instansi */
    struct official_opd *opd;               /* by the size of the difference, largest first */
    size_t n_opd;
};

/* The section for period, or *out NULL when there are no official values
 * for it (or the schema predates them). 0 or a store code. */
int report_official_load(struct store *st, const struct config *cfg, int period,
                         struct report_official **out, struct error *err);
void report_official_free(struct report_official *r); /* NULL is a no-op */

void report_official_table(const struct report_official *r, double tolerance, FILE *out);
json_t *report_official_json(const struct report_official *r, double tolerance);
/* Appended to the report's CSV after an empty line: one table of its own,
 * a row for the instansi, one per dimension and one per OPD. */
void report_official_csv(const struct report_official *r, struct strbuf *b);

/* The section of the HTML page (a report_html_section): BKN's value and
 * ipasnd's per dimension as paired bars, the agreement, and the OPDs; no
 * section when the report has no official values or is of one OPD. */
struct html;
void report_official_html(struct html *h);

#endif
