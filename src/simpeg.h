/* The SIMPEG contract (simpeg-api.md): decoding listing pages and single
 * records with jansson into the model, and walking a listing page by page
 * over the HTTP client. Strict: duplicate keys rejected, depth and sizes
 * bounded. A record that breaks the contract is rejected with its raw JSON
 * for quarantine; the rest of the page decodes. Knows the contract, not
 * PostgreSQL. */
#ifndef IPASND_SIMPEG_H
#define IPASND_SIMPEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

struct simpeg_limits {
    size_t max_records; /* records per page; more makes the page malformed */
    size_t max_string;  /* bytes per string value; longer rejects the record */
    size_t max_history; /* entries per history array; more rejects the record */
    bool keep_raw;      /* fill raw and content_hash */
};

/* The limits for a page asked with limit=page_size. */
struct simpeg_limits simpeg_limits_for(int page_size);

/* Decodes a listing page {"data": [...], "next_cursor", "server_time",
 * "count"}. Returns the page (caller frees with page_free), or NULL when
 * the body is not valid JSON or not of the envelope's shape; err then holds
 * the reason with the parser's line and column. */
struct page *simpeg_decode_page(const char *body, size_t len, const struct simpeg_limits *lim,
                                struct error *err);

/* The two ways simpeg_decode_page takes. Split: record by record, in the
 * memory of one record; NULL, without a reason, on anything unusual. Whole:
 * one jansson tree of the body; the reference, and the verdict when split
 * declines. */
struct page *simpeg_decode_page_split(const char *body, size_t len,
                                      const struct simpeg_limits *lim);
struct page *simpeg_decode_page_whole(const char *body, size_t len, const struct simpeg_limits *lim,
                                      struct error *err);

/* NULL when two decodings hold the same page, else what differs first
 * (for the tests and the fuzz target, which check split against whole). */
const char *simpeg_page_diff(const struct page *a, const struct page *b);

/* Decodes a single-record answer {"data": EMPLOYEE} into a page of one. */
struct page *simpeg_decode_single(const char *body, size_t len, const struct simpeg_limits *lim,
                                  struct error *err);

/* Decodes n records, each a JSON text of its own (stored records, read
 * back by a recompute): one record's tree at a time. NULL, with err, when
 * there are more than the limit or one is not JSON (err names it by its
 * name[i], the NIP it was stored under). */
struct page *simpeg_decode_records(const char *const *text, const size_t *len,
                                   const char *const *name, size_t n,
                                   const struct simpeg_limits *lim, struct error *err);

/* For `ipasnd score`: a listing page, a {"data": EMPLOYEE} answer, a bare
 * EMPLOYEE object, or an array of them. */
struct page *simpeg_decode_any(const char *body, size_t len, const struct simpeg_limits *lim,
                               struct error *err);

/* ---- listing: pages over HTTP, one at a time ---------------------------- */

struct http_client;

/* A listing under way: GET {url}/v1/asn page after page, following
 * next_cursor. Memory stays bounded by one page. */
struct simpeg_listing {
    struct http_client *http;
    struct simpeg_limits lim;
    int limit;
    char since[32];             /* updated_since as sent, "" for a full listing */
    char *cursor;               /* the next request's cursor; NULL for the first page */
    bool done;                  /* the last page (next_cursor null) was handed out */
    int pages;                  /* pages handed out */
    long last_status;           /* of the last request, for messages */
    char last_url[512];         /* of the last request, without secrets */
    size_t last_bytes;          /* body bytes of the last page */
    struct simpeg_ahead *ahead; /* the next page's request, under way */
    /* called with a page's body in hand, before it decodes: a pipeline
     * waits there until the page can be taken, so that pages wait as
     * bodies, not as decoded pages of twice the size; may be NULL */
    void (*before_decode)(void *ud);
    void *ud;
};

/* Starts a listing: since = 0 for a full one; cursor resumes an
 * interrupted listing (NULL starts at its first page). */
void simpeg_listing_init(struct simpeg_listing *l, struct http_client *http, int page_size,
                         int64_t since, const char *cursor);
/* Starts the same listing again from its first page (after a 410). */
void simpeg_listing_restart(struct simpeg_listing *l);
void simpeg_listing_free(struct simpeg_listing *l);

#define SIMPEG_MALFORMED (-100) /* the page did not decode; err says why */

/* Fetches and decodes the next page into *out (caller frees with
 * page_free). Returns 0, SIMPEG_MALFORMED, or an enum http_result of the
 * request (HTTP_GONE: restart the listing). Nothing is handed out from a
 * page that did not decode whole. Once a page's envelope gave the next
 * cursor, the next page is asked on a thread of its own while the records
 * decode, one request at a time; restart and free wait for that request
 * (a transfer cancelled through the client's cancel flag ends at once). */
int simpeg_next_page(struct simpeg_listing *l, struct page **out, struct error *err);

#endif
