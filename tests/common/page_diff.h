/* Whether two decodings hold the same page, for the tests and the fuzz
 * target, which check the split decoder against the whole one. */
#ifndef IPASND_TESTS_PAGE_DIFF_H
#define IPASND_TESTS_PAGE_DIFF_H

#include <stdbool.h>

#include "model.h"

/* NULL when a and b hold the same page, else what differs first. */
const char *page_diff(const struct page *a, const struct page *b);

/* Whether the page holds a record jansson rejected on its own (a poisoned
 * record, quarantined where the whole page's parse fails). */
bool page_has_unparsed(const struct page *p);

#endif
