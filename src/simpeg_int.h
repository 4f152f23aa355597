/* What the listing decoder's files share: the scan that finds the byte
 * spans of the records of a listing page (simpeg_split.c) for simpeg.c to
 * parse one at a time. Nobody else may use it. */
#ifndef IPASND_SIMPEG_INT_H
#define IPASND_SIMPEG_INT_H

#include <stdbool.h>
#include <stddef.h>

/* Far above a record's own nesting (4), far below jansson's bound (2048). */
#define SPLIT_MAX_DEPTH 64

/* A scan of a listing page body b of n bytes. */
struct split {
    const char *b;
    size_t n, i;
    size_t data_start, data_end; /* the array's '[' and one past its ']' */
    size_t *off, *len;           /* the elements' spans */
    size_t count, cap, max;
};

/* JSON's white space. */
bool split_json_space(char c);

/* Finds the elements of the page's top-level "data" array (at most max of
 * them) and the array's own span; false on anything unusual: no plain
 * "data" key or two, an element nested deeper than SPLIT_MAX_DEPTH or more
 * elements than max, a byte out of place between them. Judges nothing
 * jansson judges after it. Caller frees s->off and s->len. */
bool split_listing(struct split *s);

#endif
