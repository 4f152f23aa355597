/* The breakdown of one employee's IP ASN for people and programs: the four
 * dimensions, the indicators behind them, the gaps and the data-quality
 * issues, as a text block an admin can paste into a message or as one JSON
 * object per line. Used by `ipasnd score`; writes only to the stream given. */
#ifndef IPASND_EXPLAIN_H
#define IPASND_EXPLAIN_H

#include <stdio.h>

#include "model.h"
#include "quality.h"
#include "aggregate.h"
#include "score.h"

/* One JSON object on one line. */
void explain_json(FILE *out, const struct employee *e, const struct score *s,
                  const struct issue_list *issues);

/* A text block, ending with a blank line. */
void explain_text(FILE *out, const struct employee *e, const struct score *s,
                  const struct issue_list *issues, const struct rules *r);

/* The aggregate of several employees, as text (the U1 line of a listing). */
void explain_aggregate_text(FILE *out, const struct aggregate *a, size_t employees);

#endif
