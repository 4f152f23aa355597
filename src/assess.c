#include "autoconfig.h"

#include "assess.h"

#include "mem.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void assess_page(const struct page *pg, const struct quality_ctx *q, struct assessed *out)
{
    out->n = pg->n_employees;
    /* score_employee fills each score whole */
    out->scores = block_take((out->n ? out->n : 1) * sizeof(*out->scores), &out->scores_cap);
    out->issues = xcalloc(out->n ? out->n : 1, sizeof(*out->issues));
    for (size_t i = 0; i < out->n; i++) {
        if (score_employee(&pg->employees[i], q->index, &out->scores[i]) < 0)
            assert_not_reached(); /* the caller resolved the period */
        quality_check(&pg->employees[i], &out->scores[i], q, &out->issues[i]);
    }
}

void assessed_free(struct assessed *a)
{
    for (size_t i = 0; i < a->n; i++)
        issue_list_free(&a->issues[i]);
    block_give(a->scores, a->scores_cap);
    free(a->issues);
    memset(a, 0, sizeof(*a));
}
