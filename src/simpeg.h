/* The SIMPEG contract (simpeg-api.md): decoding listing pages and single
 * records with jansson into the model. Strict: duplicate keys rejected,
 * depth and sizes bounded. A record that breaks the contract is rejected with
 * its raw JSON for quarantine; the rest of the page decodes. Knows JSON, not
 * HTTP or PostgreSQL. */
#ifndef IPASND_SIMPEG_H
#define IPASND_SIMPEG_H

#include <stddef.h>

#include "model.h"
#include "util.h"

struct simpeg_limits {
    size_t max_records; /* records per page; more makes the page malformed */
    size_t max_string;  /* bytes per string value; longer rejects the record */
    size_t max_history; /* entries per history array; more rejects the record */
};

/* The limits for a page asked with limit=page_size. */
struct simpeg_limits simpeg_limits_for(int page_size);

/* Decodes a listing page {"data": [...], "next_cursor", "server_time",
 * "count"}. Returns the page (caller frees with page_free), or NULL when
 * the body is not valid JSON or not of the envelope's shape; err then holds
 * the reason with the parser's line and column. */
struct page *simpeg_decode_page(const char *body, size_t len, const struct simpeg_limits *lim,
                                struct error *err);

/* Decodes a single-record answer {"data": EMPLOYEE} into a page of one. */
struct page *simpeg_decode_single(const char *body, size_t len, const struct simpeg_limits *lim,
                                  struct error *err);

/* For `ipasnd score`: a listing page, a {"data": EMPLOYEE} answer, a bare
 * EMPLOYEE object, or an array of them. */
struct page *simpeg_decode_any(const char *body, size_t len, const struct simpeg_limits *lim,
                               struct error *err);

#endif
