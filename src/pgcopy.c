#include "autoconfig.h"

#include "pgcopy.h"

#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* ---- the text format ------------------------------------------------------- */

void pg_text(struct strbuf *b, const char *s)
{
    if (!s) {
        strbuf_addn(b, "\\N\t", 3);
        return;
    }
    for (const char *p = s; *p;) {
        size_t run = strcspn(p, "\\\t\n\r");

        strbuf_addn(b, p, run);
        p += run;
        switch (*p) {
        case '\\':
            strbuf_addn(b, "\\\\", 2);
            break;
        case '\t':
            strbuf_addn(b, "\\t", 2);
            break;
        case '\n':
            strbuf_addn(b, "\\n", 2);
            break;
        case '\r':
            strbuf_addn(b, "\\r", 2);
            break;
        default:
            continue;
        }
        p++;
    }
    strbuf_addn(b, "\t", 1);
}

/* Decimal digits without printf: a page's COPY rows hold tens of
 * thousands of numbers. */
static void add_digits(struct strbuf *b, uint64_t v)
{
    char d[20];
    size_t i = sizeof(d);

    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    strbuf_addn(b, d + i, sizeof(d) - i);
}

void pg_digits(struct strbuf *b, int64_t v)
{
    if (v < 0)
        strbuf_addn(b, "-", 1);
    add_digits(b, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

void pg_int(struct strbuf *b, int64_t v)
{
    pg_digits(b, v);
    strbuf_addn(b, "\t", 1);
}

void pg_bool(struct strbuf *b, bool v)
{
    strbuf_addn(b, v ? "t\t" : "f\t", 2);
}

/* A fixed-point number of `decimals` digits after the point. */
static void fixed(struct strbuf *b, long long v, unsigned scale, size_t decimals)
{
    uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
    uint64_t frac = a % scale;
    char d[4];

    if (v < 0)
        strbuf_addn(b, "-", 1);
    add_digits(b, a / scale);
    strbuf_addn(b, ".", 1);
    for (size_t i = decimals; i-- > 0; frac /= 10)
        d[i] = (char)('0' + frac % 10);
    strbuf_addn(b, d, decimals);
    strbuf_addn(b, "\t", 1);
}

void pg_tenths(struct strbuf *b, int tenths)
{
    fixed(b, tenths, 10, 1);
}

void pg_hundredths(struct strbuf *b, long long h)
{
    fixed(b, h, 100, 2);
}

void pg_date_text(struct strbuf *b, date_t d)
{
    char s[16];

    pg_text(b, d == DATE_NONE ? NULL : date_format(d, s, sizeof(s)));
}

void pg_end_row(struct strbuf *b)
{
    b->s[b->len - 1] = '\n'; /* the last field's tab ends the row */
}

/* ---- the binary format ------------------------------------------------------ */

/* Fields are a 32-bit length (-1: NULL) and the value, numbers big-endian;
 * dates count days from 2000-01-01 and times microseconds from 2000-01-01
 * 00:00 UTC. */
#define PG_EPOCH_DAYS    10957       /* 2000-01-01 in days from 1970-01-01 */
#define PG_EPOCH_SECONDS 946684800LL /* the same in seconds */
#define INT8_OID         20          /* bigint, the element type of a bigint[] */

static void be(struct strbuf *b, uint64_t v, size_t n)
{
    char d[8];

    for (size_t i = 0; i < n; i++)
        d[i] = (char)(v >> (8 * (n - 1 - i)));
    strbuf_addn(b, d, n);
}

void pg_bin_fields(struct strbuf *b, size_t count)
{
    be(b, count, 2);
}

void pg_bin_null(struct strbuf *b)
{
    be(b, UINT32_MAX, 4);
}

void pg_bin_text(struct strbuf *b, const char *s)
{
    size_t n;

    if (!s) {
        pg_bin_null(b);
        return;
    }
    n = strlen(s);
    be(b, n, 4);
    strbuf_addn(b, s, n);
}

void pg_bin_int(struct strbuf *b, int64_t v, size_t size)
{
    be(b, size, 4);
    be(b, (uint64_t)v, size);
}

void pg_bin_int_or_null(struct strbuf *b, int v, int none, size_t size)
{
    if (v == none)
        pg_bin_null(b);
    else
        pg_bin_int(b, v, size);
}

void pg_bin_bool(struct strbuf *b, bool v)
{
    be(b, 1, 4);
    strbuf_addn(b, v ? "\1" : "\0", 1);
}

void pg_bin_date(struct strbuf *b, date_t d)
{
    if (d == DATE_NONE)
        pg_bin_null(b);
    else
        pg_bin_int(b, (int64_t)d - PG_EPOCH_DAYS, 4);
}

void pg_bin_time(struct strbuf *b, int64_t t)
{
    if (!t)
        pg_bin_null(b);
    else
        pg_bin_int(b, (t - PG_EPOCH_SECONDS) * 1000000, 8);
}

/* Base-10000 digits, the last one the fraction (hundredths times 100);
 * numeric_recv strips the zeros. */
void pg_bin_hundredths(struct strbuf *b, int64_t v)
{
    uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
    uint16_t digit[6];
    size_t n = 0;
    int weight;

    for (uint64_t x = a / 100; x; x /= 10000) /* the whole part, lowest first */
        digit[n++] = (uint16_t)(x % 10000);
    weight = (int)n - 1;
    for (size_t i = 0; i < n / 2; i++) {
        uint16_t t = digit[i];

        digit[i] = digit[n - 1 - i];
        digit[n - 1 - i] = t;
    }
    digit[n++] = (uint16_t)(a % 100 * 100);
    be(b, 8 + 2 * n, 4);
    be(b, n, 2);
    be(b, (uint16_t)(int16_t)weight, 2);
    be(b, v < 0 ? 0x4000 : 0, 2); /* sign */
    be(b, 2, 2);                  /* display scale */
    for (size_t i = 0; i < n; i++)
        be(b, digit[i], 2);
}

void pg_bin_tenths_or_null(struct strbuf *b, int t)
{
    if (t < 0)
        pg_bin_null(b);
    else
        pg_bin_hundredths(b, (int64_t)t * 10);
}

void pg_bin_numeric2(struct strbuf *b, double v)
{
    char t[32];
    int64_t h = 0;
    bool neg;

    if (!(v > -100000 && v < 100000)) {
        pg_bin_null(b);
        return;
    }
    snprintf(t, sizeof(t), "%.2f", v);
    neg = t[0] == '-';
    for (const char *c = t + neg; *c; c++)
        if (*c != '.')
            h = h * 10 + (*c - '0');
    pg_bin_hundredths(b, neg ? -h : h);
}

void pg_bin_int8_array(struct strbuf *b, const uint64_t *v, size_t n)
{
    be(b, 20 + 12 * n, 4);
    be(b, 1, 4);        /* dimensions */
    be(b, 0, 4);        /* no NULL */
    be(b, INT8_OID, 4); /* element type */
    be(b, n, 4);        /* length */
    be(b, 1, 4);        /* lower bound */
    for (size_t i = 0; i < n; i++)
        pg_bin_int(b, (int64_t)v[i], 8);
}

/* ---- array literals ---------------------------------------------------------- */

void pg_array_sep(struct strbuf *b)
{
    strbuf_addn(b, b->len ? "," : "{", 1);
}

void pg_array_close(struct strbuf *b)
{
    if (!b->len)
        strbuf_addn(b, "{", 1);
    strbuf_addn(b, "}", 1);
}

void pg_array_text(struct strbuf *b, const char *s)
{
    strbuf_addn(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addn(b, "\\", 1);
        strbuf_addn(b, s, 1);
    }
    strbuf_addn(b, "\"", 1);
}

void pg_array_plain(struct strbuf *b, const char *s)
{
    strbuf_addn(b, s, strlen(s));
}

/* ---- streaming ------------------------------------------------------------------ */

#define COPY_CHUNK 65536

/* The binary format's header (signature, flags, no extension) and trailer. */
static const char BIN_HEADER[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
static const char BIN_TRAILER[2] = "\377\377";

static void put(struct pg_copy *c, const char *data, size_t len)
{
    if (c->rc == 0 && PQputCopyData(c->conn, data, (int)len) != 1) {
        store_pg_error(c->err, "COPY", PQerrorMessage(c->conn));
        c->rc = STORE_ERR_CONN;
    }
}

static void send_rows(struct pg_copy *c)
{
    PGresult *r;

    if (c->rc < 0 || !c->b->len) {
        c->b->len = 0; /* after a failure, rows are dropped as they come */
        return;
    }
    if (!c->open) {
        r = PQexec(c->conn, c->sql);
        if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
            store_pg_error(c->err, "PostgreSQL",
                           r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
            c->rc = store_fail_code(c->conn, r);
            PQclear(r);
            c->b->len = 0;
            return;
        }
        PQclear(r);
        c->open = true;
        if (c->binary)
            put(c, BIN_HEADER, sizeof(BIN_HEADER));
    }
    put(c, c->b->s, c->b->len);
    c->b->len = 0;
}

void pg_copy_more(struct pg_copy *c)
{
    if (c->b->len >= COPY_CHUNK)
        send_rows(c);
}

int pg_copy_end(struct pg_copy *c)
{
    PGresult *r;

    send_rows(c);
    if (!c->open)
        return c->rc;
    c->open = false;
    if (c->binary)
        put(c, BIN_TRAILER, sizeof(BIN_TRAILER));
    if (c->rc == 0 && PQputCopyEnd(c->conn, NULL) != 1) {
        store_pg_error(c->err, "COPY", PQerrorMessage(c->conn));
        c->rc = STORE_ERR_CONN;
    }
    if (c->rc == 0) {
        r = PQgetResult(c->conn);
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
            const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

            store_pg_error(c->err, "COPY", r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
            c->rc = store_fail_code(c->conn, r);
            c->conflict = state && strcmp(state, "23505") == 0;
        }
        PQclear(r);
    }
    while ((r = PQgetResult(c->conn)))
        PQclear(r);
    return c->rc;
}

int pg_copy_in(PGconn *conn, const char *sql, bool binary, struct strbuf *b, struct error *err)
{
    struct pg_copy c = {.conn = conn, .sql = sql, .b = b, .err = err, .binary = binary};

    return pg_copy_end(&c);
}
