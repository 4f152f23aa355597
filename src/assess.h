/* Scoring and checking a decoded page: every employee's score under the
 * index in force and its data-quality issues, as the sync, the recompute,
 * the dry run and `ipasnd score` all need them. Pure over the model: no
 * I/O, no globals. */
#ifndef IPASND_ASSESS_H
#define IPASND_ASSESS_H

#include <stddef.h>

#include "model.h"
#include "quality.h"
#include "score.h"

/* The scores and issues of a page, one each per page->employees[i]. */
struct assessed {
    struct score *scores; /* a block (block_take) of scores_cap bytes */
    struct issue_list *issues;
    size_t n, scores_cap;
};

/* Scores and checks every employee of pg under q. q->index must be
 * resolved (config_resolve_index), q->today and q->now fixed for the
 * cycle. Caller frees out with assessed_free. */
void assess_page(const struct page *pg, const struct quality_ctx *q, struct assessed *out);

/* Hands the scores' block on to the next page and frees the rest; the
 * struct is zeroed. */
void assessed_free(struct assessed *a);

#endif
