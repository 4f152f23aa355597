/* Whether two decodings hold the same page, for the tests and the fuzz
 * target, which check the split decoder against the whole one. */
#ifndef IPASND_TESTS_PAGE_DIFF_H
#define IPASND_TESTS_PAGE_DIFF_H

#include "model.h"

/* NULL when a and b hold the same page, else what differs first. */
const char *page_diff(const struct page *a, const struct page *b);

#endif
