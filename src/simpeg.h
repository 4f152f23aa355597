/* The SIMPEG contract (simpeg-api.md): decoding listing pages and single
 * records with jansson into the model. Strict: duplicate keys rejected,
 * depth and sizes bounded. A record that breaks the contract is rejected
 * with its raw JSON for quarantine; the rest of the page decodes. A pure
 * decoder: it knows the contract, neither HTTP nor PostgreSQL, and starts
 * no thread. */
#ifndef IPASND_SIMPEG_H
#define IPASND_SIMPEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

/* The longest text value a record may hold; a longer one rejects it. */
#define SIMPEG_STRING_MAX 4096

struct simpeg_limits {
    size_t max_records; /* records per page; more makes the page malformed */
    size_t max_string;  /* bytes per string value; longer rejects the record */
    size_t max_history; /* entries per history array; more rejects the record */
    bool keep_raw;      /* fill raw and content_hash */
};

/* The limits for a page asked with limit=page_size. */
struct simpeg_limits simpeg_limits_for(int page_size);

/* Told what a listing page's envelope holds once it is decoded, before
 * its records are: the listing pipeline asks for the next page meanwhile.
 * The envelope may be told twice (when the page is split and then parsed
 * whole), the same both times. */
struct simpeg_hooks {
    void (*envelope)(void *ud, const struct page *p); /* next_cursor, server_time, count */
    void *ud;
};

/* Decodes a listing page {"data": [...], "next_cursor", "server_time",
 * "count"}. Returns the page (caller frees with page_free), or NULL when
 * the body is not valid JSON or not of the envelope's shape; err then holds
 * the reason with the parser's line and column. h may be NULL. */
struct page *simpeg_decode_page(const char *body, size_t len, const struct simpeg_limits *lim,
                                const struct simpeg_hooks *h, struct error *err);

/* The two ways simpeg_decode_page takes. Split: record by record, in the
 * memory of one record; NULL, without a reason, on anything unusual. Whole:
 * one jansson tree of the body; the reference, and the verdict when split
 * declines. */
struct page *simpeg_decode_page_split(const char *body, size_t len,
                                      const struct simpeg_limits *lim);
struct page *simpeg_decode_page_whole(const char *body, size_t len, const struct simpeg_limits *lim,
                                      struct error *err);

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

#endif
