/* PostgreSQL's COPY, both ways ipasnd feeds it: rows encoded in COPY's
 * text format or its binary format into a buffer, and a COPY FROM STDIN
 * streamed in chunks while the rows are made. Also the array literals the
 * page statements take. The encoders are pure and byte-exact (see
 * tests/unit/test_pgcopy.c); the streaming needs a connection. */
#ifndef IPASND_PGCOPY_H
#define IPASND_PGCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "model.h"
#include "util.h"

/* ---- the text format: each field and its tab; pg_end_row ends the row -- */

void pg_text(struct strbuf *b, const char *s); /* NULL is \N */
void pg_int(struct strbuf *b, int64_t v);
void pg_bool(struct strbuf *b, bool v);
void pg_tenths(struct strbuf *b, int tenths);      /* 225 -> 22.5 */
void pg_hundredths(struct strbuf *b, long long h); /* 7410 -> 74.10 */
void pg_date_text(struct strbuf *b, date_t d);     /* YYYY-MM-DD, NULL for none */
void pg_end_row(struct strbuf *b);                 /* the last tab becomes the line end */
/* Decimal digits of v without printf, no tab. */
void pg_digits(struct strbuf *b, int64_t v);

/* ---- the binary format: a row is its field count, then its fields ------ */

void pg_bin_fields(struct strbuf *b, size_t count);
void pg_bin_null(struct strbuf *b);
void pg_bin_text(struct strbuf *b, const char *s);         /* NULL is NULL */
void pg_bin_int(struct strbuf *b, int64_t v, size_t size); /* size 2, 4 or 8 */
void pg_bin_int_or_null(struct strbuf *b, int v, int none, size_t size);
void pg_bin_bool(struct strbuf *b, bool v);
void pg_bin_date(struct strbuf *b, date_t d);        /* DATE_NONE is NULL */
void pg_bin_time(struct strbuf *b, int64_t t);       /* timestamptz from Unix seconds, 0 is NULL */
void pg_bin_hundredths(struct strbuf *b, int64_t h); /* numeric of two decimals */
void pg_bin_tenths_or_null(struct strbuf *b, int tenths); /* negative is NULL */
/* A double as numeric(7,2), rounded as "%.2f" rounds it; NULL when it
 * does not fit. */
void pg_bin_numeric2(struct strbuf *b, double v);
void pg_bin_int8_array(struct strbuf *b, const uint64_t *v, size_t n); /* bigint[], no NULLs */

/* ---- array literals, element by element ----------------------------------- */

/* pg_array_sep before each element, then pg_array_close ("{}" when there
 * was none). */
void pg_array_sep(struct strbuf *b);
void pg_array_close(struct strbuf *b);
/* A text element, quoted, with quotes and backslashes escaped. */
void pg_array_text(struct strbuf *b, const char *s);
/* An element that needs no quoting: digits, a NIP. */
void pg_array_plain(struct strbuf *b, const char *s);

/* ---- streaming ------------------------------------------------------------- */

/* A COPY ... FROM STDIN fed while its rows are made: the statement goes
 * out with the first full chunk, and PostgreSQL reads each chunk while the
 * next is made. No row, no statement. */
struct pg_copy {
    PGconn *conn;
    const char *sql;
    struct strbuf *b; /* the rows not sent yet */
    struct error *err;
    bool binary; /* rows in the binary format: the data has a header and a trailer */
    bool open;
    bool conflict; /* it failed on a key already stored (SQLSTATE 23505) */
    int rc;        /* 0, STORE_ERR or STORE_ERR_CONN */
};

/* After each row: sends what a full chunk holds. */
void pg_copy_more(struct pg_copy *c);
/* Sends the rest and ends the COPY: 0 or the store code. */
int pg_copy_end(struct pg_copy *c);
/* Runs sql with the rows in b, and empties b; an empty b copies nothing. */
int pg_copy_in(PGconn *conn, const char *sql, bool binary, struct strbuf *b, struct error *err);

#endif
