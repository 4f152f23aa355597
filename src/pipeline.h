/* The listing pipeline: pages of GET {url}/v1/asn requested, decoded and
 * assessed on two threads of their own while the caller writes the page
 * before them, so a listing runs at the pace of the slowest of the
 * endpoint, the decoder and the database, not at their sum. At most two
 * pages and two response bodies are in memory, whatever the size of the
 * listing. See pipeline.c for who owns what when. */
#ifndef IPASND_PIPELINE_H
#define IPASND_PIPELINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "assess.h"
#include "http.h"
#include "model.h"

struct pipeline_options {
    /* Used by the pipeline's request thread alone from pipeline_start to
     * pipeline_stop; its hooks' cancel flag must be *cancel. */
    struct http_client *http;
    atomic_int *cancel;
    int page_size;
    int64_t since;                    /* updated_since, Unix seconds; 0 for a full listing */
    const char *cursor;               /* resumes an interrupted listing; NULL: its first page */
    const struct quality_ctx *assess; /* scores and checks each page under it */
};

enum fetch_result {
    FETCH_PAGE = 0,  /* a page, decoded and assessed */
    FETCH_HTTP,      /* its request failed: http and err say how */
    FETCH_MALFORMED, /* it did not decode: err says why, nothing of it is handed out */
    FETCH_LOOP,      /* its next_cursor is one the listing gave before: err names it */
};

/* One step of the listing, handed to the caller in order. */
struct fetched {
    enum fetch_result result;
    enum http_result http; /* FETCH_HTTP */
    struct page *page;     /* FETCH_PAGE */
    struct assessed assessed;
    struct error err;
    char url[512]; /* of the request, without secrets */
    long status;   /* of the request's answer, 0 when none */
    bool last;     /* the listing ends with this page */
};

void fetched_free(struct fetched *f);

struct pipeline;

/* Starts the threads and asks for the first page; NULL when a thread cannot
 * start (nothing is left running). */
struct pipeline *pipeline_start(const struct pipeline_options *o);

/* The next step, waiting for it; the caller frees it with fetched_free. A
 * step that is not FETCH_PAGE, or the last page, ends the listing: there is
 * no step after it. */
void pipeline_next(struct pipeline *p, struct fetched *out);

/* Ends a transfer under way at once (the cancel flag), stops the threads
 * and frees what they held. NULL is a no-op. */
void pipeline_stop(struct pipeline *p);

#endif
