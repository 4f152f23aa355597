#include "autoconfig.h"

#include "store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schema's migrations take this advisory lock while they run. */
#define MIGRATION_LOCK 0x69706173 /* "ipas" */

struct store {
    PGconn *conn;
    char *conninfo;
    bool staging;       /* the temporary staging tables exist on this connection */
    bool locked;        /* the source's advisory lock is held */
    char *score_upsert; /* the score upsert statement, built once */
    char *lock_instansi, *lock_source;
};

#define EMPLOYEE_COLS                                                                              \
    "instansi_id, nip, pns_id, name, title_front, title_back, birth_date, sex, status,"            \
    " status_cpns_pns, kedudukan_id, kedudukan_name, tmt_cpns, tmt_pns, position_type_id,"         \
    " position, position_name, eselon_id, eselon, eselon_level, grade_id, grade, edu_level_id,"    \
    " instansi_induk_id, instansi_induk_name, opd_id, opd_name, unor_id, unor_name, updated_at,"   \
    " content_hash, raw, history_hash"

#define SCORE_COLS                                                                                 \
    "instansi_id, nip, period, ruleset, as_of, in_scope, position, edu_level, has_education,"      \
    " has_skp, technical_jp, qualification, competency, performance, discipline, total,"           \
    " category, ind_qualification, ind_leadership, ind_functional, ind_technical, ind_seminar,"    \
    " ind_competency_base, ind_performance, ind_discipline, gap_leadership, gap_functional,"       \
    " gap_technical_20jp, gap_seminar, gap_skp_missing, gap_skp_predikat, gap_education, gaps"

/* ---- connection and statements ------------------------------------------- */

/* Copies libpq's message, on one line: its line breaks become spaces. */
static void pg_error(struct error *err, const char *what, const char *msg)
{
    char flat[220], clean[220];
    size_t n = 0;

    for (const char *p = msg ? msg : ""; *p && n + 1 < sizeof(flat); p++)
        flat[n++] = *p == '\n' ? ' ' : *p;
    while (n && flat[n - 1] == ' ')
        n--;
    flat[n] = '\0';
    text_strip(clean, sizeof(clean), flat);
    error_set(err, "%s: %s", what, *clean ? clean : "unknown error");
}

/* STORE_ERR_CONN when the connection is gone or going: libpq's status lags
 * behind a server that announced its shutdown (SQLSTATE 57P0x) or a broken
 * connection (class 08). */
static int fail_code(const struct store *st, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

    if (PQstatus(st->conn) != CONNECTION_OK)
        return STORE_ERR_CONN;
    if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))
        return STORE_ERR_CONN;
    return STORE_ERR;
}

/* Server notices ("already exists, skipping") are not for the admin. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *connect_db(const char *conninfo, struct error *err)
{
    /* The user's conninfo may change the application name and the timeout;
     * the encoding is ipasnd's. */
    const char *keys[] = {"application_name", "connect_timeout", "dbname", "client_encoding", NULL};
    const char *vals[] = {"ipasnd", "10", conninfo, "UTF8", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);

    if (!c) {
        error_set(err, "cannot connect to PostgreSQL: out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        pg_error(err, "cannot connect to PostgreSQL", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, ignore_notice, NULL);
    /* A server working for a client that died (kill -9) stops within a
     * second instead of holding its locks to the end of its statement. */
    PQclear(PQexec(c, "SET client_connection_check_interval = 1000"));
    return c;
}

/* The columns a score row's content is made of: all but its key and
 * computed_at. */
static const char *const score_values[] = {
    "ruleset",
    "as_of",
    "in_scope",
    "position",
    "edu_level",
    "has_education",
    "has_skp",
    "technical_jp",
    "qualification",
    "competency",
    "performance",
    "discipline",
    "total",
    "category",
    "ind_qualification",
    "ind_leadership",
    "ind_functional",
    "ind_technical",
    "ind_seminar",
    "ind_competency_base",
    "ind_performance",
    "ind_discipline",
    "gap_leadership",
    "gap_functional",
    "gap_technical_20jp",
    "gap_seminar",
    "gap_skp_missing",
    "gap_skp_predikat",
    "gap_education",
    "gaps",
};

/* Staged scores into employee_score; a row whose content did not change is
 * not written again (a recompute under the same rules writes nothing). Built
 * from the column list above; caller frees. */
static char *score_upsert_sql(void)
{
    struct strbuf b = {0};
    size_t n = ARRAY_SIZE(score_values);

    strbuf_append(&b,
                  "INSERT INTO ipasn.employee_score (%s) SELECT %s FROM s_score"
                  " ON CONFLICT (instansi_id, nip, period) DO UPDATE SET (",
                  SCORE_COLS, SCORE_COLS);
    for (size_t i = 0; i < n; i++)
        strbuf_append(&b, "%s, ", score_values[i]);
    strbuf_append(&b, "computed_at) = (");
    for (size_t i = 0; i < n; i++)
        strbuf_append(&b, "EXCLUDED.%s, ", score_values[i]);
    strbuf_append(&b, "now()) WHERE (");
    for (size_t i = 0; i < n; i++)
        strbuf_append(&b, "%semployee_score.%s", i ? ", " : "", score_values[i]);
    strbuf_append(&b, ") IS DISTINCT FROM (");
    for (size_t i = 0; i < n; i++)
        strbuf_append(&b, "%sEXCLUDED.%s", i ? ", " : "", score_values[i]);
    strbuf_append(&b, ")");
    return b.s;
}

struct store *store_open(const char *conninfo, struct error *err)
{
    PGconn *c = connect_db(conninfo, err);
    struct store *st;

    if (!c)
        return NULL;
    st = xcalloc(1, sizeof(*st));
    st->conn = c;
    st->conninfo = xstrdup(conninfo);
    st->score_upsert = score_upsert_sql();
    return st;
}

/* The advisory lock of a source: $1 the instansi, $2 the source key. */
#define LOCK_KEY "hashtextextended('ipasnd:' || $1 || ':' || $2, 0)"

void store_close(struct store *st)
{
    if (!st)
        return;
    /* The server drops a closed session's locks only once its backend has
     * gone, after PQfinish returns: a run that starts right after this one
     * would find the source still locked. Unlocking waits for the release. */
    if (st->locked && store_connected(st) && PQtransactionStatus(st->conn) == PQTRANS_IDLE) {
        const char *p[] = {st->lock_instansi, st->lock_source};

        PQclear(PQexecParams(st->conn, "SELECT pg_advisory_unlock(" LOCK_KEY ")", 2, NULL, p, NULL,
                             NULL, 0));
    }
    PQfinish(st->conn);
    free(st->conninfo);
    free(st->lock_instansi);
    free(st->lock_source);
    free(st->score_upsert);
    free(st);
}

bool store_connected(const struct store *st)
{
    return st && st->conn && PQstatus(st->conn) == CONNECTION_OK;
}

PGconn *store_conn(struct store *st)
{
    return st->conn;
}

/* Runs one statement with text parameters; returns the result when its
 * status is want, else NULL with err (and *rc the store code). */
static PGresult *run(struct store *st, const char *sql, int n, const char *const *params,
                     ExecStatusType want, int *rc, struct error *err)
{
    PGresult *r =
        n ? PQexecParams(st->conn, sql, n, NULL, params, NULL, NULL, 0) : PQexec(st->conn, sql);

    if (r && PQresultStatus(r) == want)
        return r;
    pg_error(err, "PostgreSQL", r ? PQresultErrorMessage(r) : PQerrorMessage(st->conn));
    *rc = fail_code(st, r);
    PQclear(r);
    return NULL;
}

/* A statement whose result does not matter. */
static int exec(struct store *st, const char *sql, int n, const char *const *params,
                struct error *err)
{
    int rc = 0;

    PQclear(run(st, sql, n, params, PGRES_COMMAND_OK, &rc, err));
    return rc;
}

static PGresult *query(struct store *st, const char *sql, int n, const char *const *params, int *rc,
                       struct error *err)
{
    return run(st, sql, n, params, PGRES_TUPLES_OK, rc, err);
}

/* An integer column of a result; 0 for NULL. PostgreSQL's own output. */
static int64_t val_int(const PGresult *r, int row, int col)
{
    int64_t v = 0;

    if (PQgetisnull(r, row, col) ||
        parse_int64(PQgetvalue(r, row, col), INT64_MIN, INT64_MAX, &v) < 0)
        return 0;
    return v;
}

/* Numbers as text parameters. */
struct num {
    char s[24];
};
static const char *num(struct num *n, int64_t v)
{
    snprintf(n->s, sizeof(n->s), "%" PRId64, v);
    return n->s;
}

static void rollback(struct store *st)
{
    if (PQstatus(st->conn) == CONNECTION_OK && PQtransactionStatus(st->conn) != PQTRANS_IDLE)
        PQclear(PQexec(st->conn, "ROLLBACK"));
}

static int take_lock(struct store *st, const char *instansi_id, const char *source, bool *got,
                     struct error *err)
{
    const char *p[] = {instansi_id, source};
    int rc = 0;
    PGresult *r = query(st, "SELECT pg_try_advisory_lock(" LOCK_KEY ")", 2, p, &rc, err);

    if (!r)
        return rc;
    *got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return 0;
}

int store_lock(struct store *st, const char *instansi_id, const char *source, bool *got,
               struct error *err)
{
    int rc = take_lock(st, instansi_id, source, got, err);

    if (rc == 0 && *got) {
        st->locked = true;
        free(st->lock_instansi);
        free(st->lock_source);
        st->lock_instansi = xstrdup(instansi_id);
        st->lock_source = xstrdup(source);
    }
    return rc;
}

int store_reconnect(struct store *st, struct error *err)
{
    PGconn *c = connect_db(st->conninfo, err);
    bool got;
    int rc;

    if (!c)
        return STORE_ERR_CONN;
    PQfinish(st->conn);
    st->conn = c;
    st->staging = false;
    if (!st->locked)
        return 0;
    rc = take_lock(st, st->lock_instansi, st->lock_source, &got, err);
    if (rc < 0)
        return rc;
    if (!got) {
        st->locked = false;
        error_set(err, "after reconnecting, another ipasnd holds the lock of this source");
        return STORE_ERR;
    }
    return 0;
}

/* ---- migrations -------------------------------------------------------- */

int store_schema_version(struct store *st, int *version, struct error *err)
{
    int rc = 0;
    PGresult *r =
        query(st, "SELECT to_regclass('ipasn.schema_migration') IS NOT NULL", 0, NULL, &rc, err);
    bool exists;

    if (!r)
        return rc;
    exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    *version = 0;
    if (!exists)
        return 0;
    if (!(r = query(st, "SELECT coalesce(max(version), 0) FROM ipasn.schema_migration", 0, NULL,
                    &rc, err)))
        return rc;
    *version = (int)val_int(r, 0, 0);
    PQclear(r);
    return 0;
}

int store_migrate(struct store *st, int *applied, struct error *err)
{
    int rc = 0, version = 0;
    struct num lock;
    const char *lp[] = {num(&lock, MIGRATION_LOCK)};
    PGresult *r;

    *applied = 0;
    if ((rc = exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    if (!(r = query(st, "SELECT pg_advisory_xact_lock($1::bigint)", 1, lp, &rc, err)))
        goto fail;
    PQclear(r);
    if ((rc = exec(st,
                   "CREATE SCHEMA IF NOT EXISTS ipasn; "
                   "CREATE TABLE IF NOT EXISTS ipasn.schema_migration ("
                   " version integer PRIMARY KEY, name text NOT NULL,"
                   " applied_at timestamptz NOT NULL DEFAULT now())",
                   0, NULL, err)) < 0)
        goto fail;
    if ((rc = store_schema_version(st, &version, err)) < 0)
        goto fail;
    for (size_t i = 0; i < store_n_migrations; i++) {
        const struct migration *m = &store_migrations[i];
        char v[16];
        const char *p[2];

        if (m->version <= version)
            continue;
        if ((rc = exec(st, m->sql, 0, NULL, err)) < 0) {
            char msg[200];

            snprintf(msg, sizeof(msg), "%.190s", err->msg);
            error_set(err, "migration %s: %s", m->name, msg);
            goto fail;
        }
        snprintf(v, sizeof(v), "%d", m->version);
        p[0] = v;
        p[1] = m->name;
        if ((rc = exec(st, "INSERT INTO ipasn.schema_migration (version, name) VALUES ($1, $2)", 2,
                       p, err)) < 0)
            goto fail;
        (*applied)++;
    }
    if ((rc = exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    return 0;
fail:
    rollback(st);
    *applied = 0;
    return rc;
}

/* ---- sync state ---------------------------------------------------------- */

void sync_state_clear(struct sync_state *s)
{
    if (!s)
        return;
    free(s->cursor);
    memset(s, 0, sizeof(*s));
}

int store_load_state(struct store *st, const char *instansi_id, const char *source,
                     struct sync_state *out, struct error *err)
{
    const char *p[] = {instansi_id, source};
    int rc = 0;
    PGresult *r = query(st,
                        "SELECT extract(epoch FROM watermark)::bigint, listing_id,"
                        " coalesce(listing_mode, ''), extract(epoch FROM listing_since)::bigint,"
                        " extract(epoch FROM listing_server_time)::bigint, cursor, pages,"
                        " extract(epoch FROM last_full_at)::bigint, period, rules_hash,"
                        " listing_fresh"
                        " FROM ipasn.sync_state WHERE instansi_id = $1 AND source = $2",
                        2, p, &rc, err);

    if (!r)
        return rc;
    sync_state_clear(out);
    if (PQntuples(r) == 1) {
        out->known = true;
        out->watermark = val_int(r, 0, 0);
        out->listing_id = val_int(r, 0, 1);
        snprintf(out->listing_mode, sizeof(out->listing_mode), "%s", PQgetvalue(r, 0, 2));
        out->listing_since = val_int(r, 0, 3);
        out->listing_server_time = val_int(r, 0, 4);
        out->cursor = PQgetisnull(r, 0, 5) ? NULL : xstrdup(PQgetvalue(r, 0, 5));
        out->pages = (int)val_int(r, 0, 6);
        out->last_full_at = val_int(r, 0, 7);
        out->period = (int)val_int(r, 0, 8);
        out->rules_hash = (uint64_t)val_int(r, 0, 9);
        out->listing_fresh = strcmp(PQgetvalue(r, 0, 10), "t") == 0;
    }
    PQclear(r);
    return 0;
}

int store_begin_listing(struct store *st, const char *instansi_id, const char *source, bool full,
                        int64_t since, struct sync_state *state, struct error *err)
{
    struct num n_since, n_old;
    const char *p[] = {instansi_id, source, full ? "full" : "incremental",
                       since ? num(&n_since, since) : NULL};
    const char *d[] = {instansi_id, num(&n_old, state->listing_id)};
    int rc;
    PGresult *r;

    if ((rc = exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    /* The seen-set of an abandoned listing is of no further use. */
    if (state->listing_id &&
        (rc = exec(st, "DELETE FROM ipasn.listing_seen WHERE instansi_id = $1 AND listing_id = $2",
                   2, d, err)) < 0)
        goto fail;
    r = query(st,
              "INSERT INTO ipasn.sync_state (instansi_id, source, listing_id, listing_mode,"
              " listing_since, listing_fresh)"
              " VALUES ($1, $2, nextval('ipasn.listing_seq'), $3, to_timestamp($4::bigint),"
              " NOT EXISTS (SELECT 1 FROM ipasn.employee WHERE instansi_id = $1))"
              " ON CONFLICT (instansi_id, source) DO UPDATE SET"
              " listing_id = EXCLUDED.listing_id, listing_mode = EXCLUDED.listing_mode,"
              " listing_since = EXCLUDED.listing_since, listing_fresh = EXCLUDED.listing_fresh,"
              " listing_server_time = NULL, cursor = NULL, pages = 0, updated_at = now()"
              " RETURNING listing_id, listing_fresh",
              4, p, &rc, err);
    if (!r)
        goto fail;
    state->listing_id = val_int(r, 0, 0);
    state->listing_fresh = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if ((rc = exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    snprintf(state->listing_mode, sizeof(state->listing_mode), "%s", full ? "full" : "incremental");
    state->listing_since = since;
    state->listing_server_time = 0;
    free(state->cursor);
    state->cursor = NULL;
    state->pages = 0;
    state->known = true;
    return 0;
fail:
    rollback(st);
    return rc;
}

int store_set_rules(struct store *st, const char *instansi_id, const char *source, int period,
                    uint64_t rules_hash, struct error *err)
{
    struct num np, nh;
    const char *p[] = {instansi_id, source, num(&np, period), num(&nh, (int64_t)rules_hash)};

    return exec(st,
                "INSERT INTO ipasn.sync_state (instansi_id, source, period, rules_hash)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (instansi_id, source) DO UPDATE SET"
                " period = EXCLUDED.period, rules_hash = EXCLUDED.rules_hash, updated_at = now()",
                4, p, err);
}

/* ---- runs ------------------------------------------------------------------ */

int store_run_start(struct store *st, const char *instansi_id, const char *source, const char *mode,
                    int64_t *run_id, struct error *err)
{
    const char *p[] = {instansi_id, source};
    const char *q[] = {mode};
    struct num nr;
    const char *s[] = {instansi_id, source, NULL};
    int rc;
    PGresult *r;

    if ((rc = exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    if ((rc = exec(st,
                   "UPDATE ipasn.sync_run SET status = 'interrupted', finished_at = now(),"
                   " error = 'the process ended before the cycle finished'"
                   " WHERE status = 'running' AND id = (SELECT run_id FROM ipasn.sync_state"
                   " WHERE instansi_id = $1 AND source = $2)",
                   2, p, err)) < 0)
        goto fail;
    if (!(r = query(st,
                    "INSERT INTO ipasn.sync_run (mode, status) VALUES ($1, 'running')"
                    " RETURNING id",
                    1, q, &rc, err)))
        goto fail;
    *run_id = val_int(r, 0, 0);
    PQclear(r);
    s[2] = num(&nr, *run_id);
    if ((rc = exec(st,
                   "INSERT INTO ipasn.sync_state (instansi_id, source, run_id) VALUES ($1, $2, $3)"
                   " ON CONFLICT (instansi_id, source) DO UPDATE SET run_id = EXCLUDED.run_id",
                   3, s, err)) < 0)
        goto fail;
    if ((rc = exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    return 0;
fail:
    rollback(st);
    return rc;
}

int store_run_finish(struct store *st, int64_t run_id, const char *status, const char *error,
                     struct error *err)
{
    struct num n;
    const char *p[] = {num(&n, run_id), status, error};

    return exec(st,
                "UPDATE ipasn.sync_run SET finished_at = now(), status = $2, error = $3"
                " WHERE id = $1",
                3, p, err);
}

/* ---- COPY ------------------------------------------------------------------ */

/* Appends one text-format COPY field and its tab; NULL is \N. */
static void cp_str(struct strbuf *b, const char *s)
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
 * thousands of numbers, and printf was a third of the time to build them. */
static void add_digits(struct strbuf *b, uint64_t v)
{
    char d[20];
    size_t i = sizeof(d);

    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    strbuf_addn(b, d + i, sizeof(d) - i);
}

static void add_int(struct strbuf *b, int64_t v)
{
    if (v < 0)
        strbuf_addn(b, "-", 1);
    add_digits(b, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static void cp_int(struct strbuf *b, int64_t v)
{
    add_int(b, v);
    strbuf_addn(b, "\t", 1);
}

static void cp_bool(struct strbuf *b, bool v)
{
    strbuf_addn(b, v ? "t\t" : "f\t", 2);
}

/* Tenths of a point as a decimal: 225 -> 22.5. */
static void cp_tenths(struct strbuf *b, int t)
{
    uint64_t a = t < 0 ? -(uint64_t)(int64_t)t : (uint64_t)t;

    if (t < 0)
        strbuf_addn(b, "-", 1);
    add_digits(b, a / 10);
    strbuf_addn(b, ".", 1);
    add_digits(b, a % 10);
    strbuf_addn(b, "\t", 1);
}

static void cp_end(struct strbuf *b)
{
    b->s[b->len - 1] = '\n'; /* the last field's tab ends the row */
}

/* A COPY ... FROM STDIN fed while its rows are made: the statement goes
 * out with the first full chunk, and PostgreSQL reads each chunk while the
 * next is made. No row, no statement. */
#define COPY_CHUNK 65536

struct copy {
    struct store *st;
    const char *sql;
    struct strbuf *b; /* the rows not sent yet */
    struct error *err;
    bool binary; /* rows in the binary format: the data has a header and a trailer */
    bool open;
    bool conflict; /* it failed on a key already stored (SQLSTATE 23505) */
    int rc;
};

/* The binary format's header (signature, flags, no extension) and trailer. */
static const char BIN_HEADER[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
static const char BIN_TRAILER[2] = "\377\377";

static void copy_put(struct copy *c, const char *data, size_t len)
{
    if (c->rc == 0 && PQputCopyData(c->st->conn, data, (int)len) != 1) {
        pg_error(c->err, "COPY", PQerrorMessage(c->st->conn));
        c->rc = STORE_ERR_CONN;
    }
}

static void copy_send(struct copy *c)
{
    PGresult *r;

    if (c->rc < 0 || !c->b->len) {
        c->b->len = 0; /* after a failure, rows are dropped as they come */
        return;
    }
    if (!c->open) {
        if (!(r = run(c->st, c->sql, 0, NULL, PGRES_COPY_IN, &c->rc, c->err))) {
            c->b->len = 0;
            return;
        }
        PQclear(r);
        c->open = true;
        if (c->binary)
            copy_put(c, BIN_HEADER, sizeof(BIN_HEADER));
    }
    copy_put(c, c->b->s, c->b->len);
    c->b->len = 0;
}

/* After each row: sends what a chunk holds. */
static void copy_more(struct copy *c)
{
    if (c->b->len >= COPY_CHUNK)
        copy_send(c);
}

/* Sends the rest and ends the COPY: 0 or the store code. */
static int copy_end(struct copy *c)
{
    PGconn *conn = c->st->conn;
    PGresult *r;

    copy_send(c);
    if (!c->open)
        return c->rc;
    c->open = false;
    if (c->binary)
        copy_put(c, BIN_TRAILER, sizeof(BIN_TRAILER));
    if (c->rc == 0 && PQputCopyEnd(conn, NULL) != 1) {
        pg_error(c->err, "COPY", PQerrorMessage(conn));
        c->rc = STORE_ERR_CONN;
    }
    if (c->rc == 0) {
        r = PQgetResult(conn);
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
            const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

            pg_error(c->err, "COPY", r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
            c->rc = fail_code(c->st, r);
            c->conflict = state && strcmp(state, "23505") == 0;
        }
        PQclear(r);
    }
    while ((r = PQgetResult(conn)))
        PQclear(r);
    return c->rc;
}

/* Runs COPY ... FROM STDIN with the rows in b, in the binary format or
 * the text one, and empties b; an empty b copies nothing. */
static int copy_in(struct store *st, const char *sql, bool binary, struct strbuf *b,
                   struct error *err)
{
    struct copy c = {.st = st, .sql = sql, .b = b, .err = err, .binary = binary};

    return copy_end(&c);
}

/* ---- staging --------------------------------------------------------------- */

static int ensure_staging(struct store *st, struct error *err)
{
    int rc;

    if (st->staging)
        return 0;
    rc = exec(st,
              /* INCLUDING COMPRESSION: raw is lz4 in the staging table too,
               * not the server's default pglz at several times the cost */
              "CREATE TEMP TABLE IF NOT EXISTS s_employee (LIKE ipasn.employee INCLUDING DEFAULTS"
              " INCLUDING COMPRESSION) ON COMMIT DELETE ROWS;"
              "CREATE TEMP TABLE IF NOT EXISTS s_score (LIKE ipasn.employee_score INCLUDING"
              " DEFAULTS) ON COMMIT DELETE ROWS",
              0, NULL, err);
    if (rc == 0)
        st->staging = true;
    return rc;
}

/* ---- page writes ----------------------------------------------------------- */

enum row_state {
    ROW_SKIP = 0,
    ROW_NEW,
    ROW_CHANGED,
    ROW_UNCHANGED,
    ROW_TOMBSTONE
};

/* The history tables, in one COPY each. */
enum {
    H_EDU,
    H_LEAD,
    H_COURSE,
    H_SKP,
    H_SKP22,
    H_SANCTION,
    H_IPASN,
    H_COUNT
};

struct row {
    size_t idx; /* in page->employees */
    enum row_state state;
    bool duplicate; /* seen twice in this page or before in this listing */
    bool found;     /* stored before this page */
    /* the hashes of the history rows, stored (when found and known) and
     * new; a changed employee replaces the histories whose hashes differ */
    bool stored_known;
    uint64_t stored_hash[H_COUNT], hist_hash[H_COUNT];
    unsigned replace; /* bit h: replace history h */
};

static bool tombstone(const struct row *r)
{
    return r->state == ROW_TOMBSTONE;
}

/* Rows whose employee's part of the aggregates may change. */
static bool changes_sums(const struct row *r)
{
    return r->state == ROW_NEW || r->state == ROW_CHANGED ||
           (r->found && r->state == ROW_TOMBSTONE);
}

static bool found_tombstone(const struct row *r)
{
    return r->found && r->state == ROW_TOMBSTONE;
}

/* An array literal, element by element: array_sep before each, then
 * array_close ("{}" when there was none). */
static void array_sep(struct strbuf *b)
{
    strbuf_addn(b, b->len ? "," : "{", 1);
}

static void array_close(struct strbuf *b)
{
    if (!b->len)
        strbuf_addn(b, "{", 1);
    strbuf_addn(b, "}", 1);
}

/* NIPs are 18 digits (the decoder rejects anything else): they need no
 * quoting in a text[] literal. */
static void array_nip(struct strbuf *b, const char *nip)
{
    array_sep(b);
    strbuf_addn(b, nip, strlen(nip));
}

/* The NIPs of the rows (those keep() accepts, or all) as a text[] literal. */
static void nip_array(struct strbuf *out, const struct page *pg, const struct row *rows, size_t n,
                      bool (*keep)(const struct row *))
{
    out->len = 0;
    for (size_t i = 0; i < n; i++)
        if (!keep || keep(&rows[i]))
            array_nip(out, pg->employees[rows[i].idx].nip);
    array_close(out);
}

static int cmp_row_nip(const void *a, const void *b, void *ctx)
{
    const struct page *pg = ctx;
    const struct row *x = a, *y = b;
    int c = strcmp(pg->employees[x->idx].nip, pg->employees[y->idx].nip);

    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct row *find_row(struct row *rows, size_t n, const struct page *pg, const char *nip)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(pg->employees[rows[mid].idx].nip, nip);

        if (c == 0)
            return &rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* One row per NIP, the page's later record winning; sorted by NIP. */
static struct row *page_rows(const struct page *pg, size_t *n_out)
{
    struct row *rows = xcalloc(pg->n_employees ? pg->n_employees : 1, sizeof(*rows));
    size_t n = 0;

    for (size_t i = 0; i < pg->n_employees; i++)
        rows[i].idx = i;
    qsort_r(rows, pg->n_employees, sizeof(*rows), cmp_row_nip, (void *)pg);
    for (size_t i = 0; i < pg->n_employees; i++) {
        bool later = i + 1 < pg->n_employees && strcmp(pg->employees[rows[i].idx].nip,
                                                       pg->employees[rows[i + 1].idx].nip) == 0;

        if (later) {
            rows[i + 1].duplicate = true;
            continue;
        }
        rows[n] = rows[i];
        rows[n].state = pg->employees[rows[n].idx].deleted ? ROW_TOMBSTONE : ROW_NEW;
        n++;
    }
    *n_out = n;
    return rows;
}

/* ---- rows in the binary format ------------------------------------------ */

/* Employees are copied in PostgreSQL's binary format: their raw text, four
 * fifths of the bytes, goes as it is, where the text format had it escaped
 * here and unescaped by the server (at 100,000 employees, 1.9 s of the
 * server's time against 2.4 s). Fields are a 32-bit length (-1: NULL) and
 * the value, numbers big-endian; dates count days from 2000-01-01 and
 * times microseconds from 2000-01-01 00:00 UTC. */
#define PG_EPOCH_DAYS    10957       /* 2000-01-01 in days from 1970-01-01 */
#define PG_EPOCH_SECONDS 946684800LL /* the same in seconds */
#define INT8_OID         20          /* bigint, the element type of history_hash */

static void bin_be(struct strbuf *b, uint64_t v, size_t n)
{
    char d[8];

    for (size_t i = 0; i < n; i++)
        d[i] = (char)(v >> (8 * (n - 1 - i)));
    strbuf_addn(b, d, n);
}

static void bin_null(struct strbuf *b)
{
    bin_be(b, UINT32_MAX, 4);
}

static void bin_text(struct strbuf *b, const char *s)
{
    size_t n;

    if (!s) {
        bin_null(b);
        return;
    }
    n = strlen(s);
    bin_be(b, n, 4);
    strbuf_addn(b, s, n);
}

static void bin_int(struct strbuf *b, int64_t v, size_t size)
{
    bin_be(b, size, 4);
    bin_be(b, (uint64_t)v, size);
}

static void bin_date(struct strbuf *b, date_t d)
{
    if (d == DATE_NONE)
        bin_null(b);
    else
        bin_int(b, (int64_t)d - PG_EPOCH_DAYS, 4);
}

static void bin_time(struct strbuf *b, int64_t t)
{
    if (!t)
        bin_null(b);
    else
        bin_int(b, (t - PG_EPOCH_SECONDS) * 1000000, 8);
}

/* A one-dimensional bigint[] without NULLs. */
static void bin_int8_array(struct strbuf *b, const uint64_t *v, size_t n)
{
    bin_be(b, 20 + 12 * n, 4);
    bin_be(b, 1, 4);        /* dimensions */
    bin_be(b, 0, 4);        /* no NULL */
    bin_be(b, INT8_OID, 4); /* element type */
    bin_be(b, n, 4);        /* length */
    bin_be(b, 1, 4);        /* lower bound */
    for (size_t i = 0; i < n; i++)
        bin_int(b, (int64_t)v[i], 8);
}

#define EMPLOYEE_FIELDS 33 /* the columns of EMPLOYEE_COLS */

static void employee_row(struct strbuf *b, const char *instansi_id, const struct employee *e,
                         const uint64_t *hist_hash)
{
    bin_be(b, EMPLOYEE_FIELDS, 2);
    bin_text(b, instansi_id);
    bin_text(b, e->nip);
    bin_text(b, e->id);
    bin_text(b, e->name);
    bin_text(b, e->title_front);
    bin_text(b, e->title_back);
    bin_date(b, e->birth_date);
    bin_text(b, e->sex == 'M' ? "M" : e->sex == 'F' ? "F" : NULL);
    bin_text(b, employee_status_name(e->status));
    bin_text(b, e->status_cpns_pns);
    bin_text(b, e->kedudukan_id);
    bin_text(b, e->kedudukan_name);
    bin_date(b, e->tmt_cpns);
    bin_date(b, e->tmt_pns);
    bin_text(b, e->position_type_id);
    bin_text(b, position_type_name(e->position));
    bin_text(b, e->position_name);
    bin_text(b, e->eselon_id);
    bin_text(b, e->eselon);
    bin_int(b, e->eselon_level, 2); /* smallint */
    bin_text(b, e->grade_id);
    bin_text(b, e->grade);
    bin_text(b, e->edu_level_id);
    bin_text(b, e->instansi_id);
    bin_text(b, e->instansi_name);
    bin_text(b, e->opd_id);
    bin_text(b, e->opd_name);
    bin_text(b, e->unor_id);
    bin_text(b, e->unor_name);
    bin_time(b, e->updated_at);
    bin_int(b, (int64_t)e->content_hash, 8);
    bin_text(b, e->raw ? e->raw : "{}");
    bin_int8_array(b, hist_hash, H_COUNT);
}

#define HISTORY_COPY(table, cols) "COPY ipasn." table " (" cols ") FROM STDIN (FORMAT binary)"

static const char *const history_copy[H_COUNT] = {
    HISTORY_COPY("education",
                 "instansi_id, nip, seq, id, level_id, level_name, name, grad_year, grad_date"),
    HISTORY_COPY("leadership_training",
                 "instansi_id, nip, seq, id, type_id, name, start_date, end_date, year, hours"),
    HISTORY_COPY("course", "instansi_id, nip, seq, id, kind_id, kind_name, name, hours,"
                           " start_date, end_date, year"),
    HISTORY_COPY("skp", "instansi_id, nip, seq, id, year, score"),
    HISTORY_COPY("skp22", "instansi_id, nip, seq, id, year, predikat, value"),
    HISTORY_COPY(
        "sanction",
        "instansi_id, nip, seq, id, level_id, type_name, sk_date, tmt, end_date, annulled"),
    HISTORY_COPY("official_ipasn", "instansi_id, nip, year, qualification, competency,"
                                   " performance, discipline, total"),
};

/* The rows of a history for the employees of $2 (their NIPs), before
 * their new rows are copied. */
#define HISTORY_DELETE(table)                                                                      \
    "DELETE FROM ipasn." table " d USING unnest($2::text[]) u (nip)"                               \
    " WHERE d.instansi_id = $1 AND d.nip = u.nip"

static const char *const history_delete[H_COUNT] = {
    HISTORY_DELETE("education"),      HISTORY_DELETE("leadership_training"),
    HISTORY_DELETE("course"),         HISTORY_DELETE("skp"),
    HISTORY_DELETE("skp22"),          HISTORY_DELETE("sanction"),
    HISTORY_DELETE("official_ipasn"),
};

/* A history row's first fields: its field count and key. */
static void bin_key(struct strbuf *b, size_t fields, const char *instansi_id, const char *nip,
                    size_t seq)
{
    bin_be(b, fields, 2);
    bin_text(b, instansi_id);
    bin_text(b, nip);
    bin_int(b, (int64_t)seq, 4);
}

static void bin_int4_or_null(struct strbuf *b, int v, int none)
{
    if (v == none)
        bin_null(b);
    else
        bin_int(b, v, 4);
}

static void bin_bool(struct strbuf *b, bool v)
{
    bin_be(b, 1, 4);
    strbuf_addn(b, v ? "\1" : "\0", 1);
}

/* A numeric of two decimals from hundredths: base-10000 digits, the last
 * one the fraction (hundredths times 100); numeric_recv strips the zeros. */
static void bin_hundredths(struct strbuf *b, int64_t v)
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
    bin_be(b, 8 + 2 * n, 4);
    bin_be(b, n, 2);
    bin_be(b, (uint16_t)(int16_t)weight, 2);
    bin_be(b, v < 0 ? 0x4000 : 0, 2); /* sign */
    bin_be(b, 2, 2);                  /* display scale */
    for (size_t i = 0; i < n; i++)
        bin_be(b, digit[i], 2);
}

/* Tenths of a point as numeric; NULL when negative (none). */
static void bin_opt_tenths(struct strbuf *b, int t)
{
    if (t < 0)
        bin_null(b);
    else
        bin_hundredths(b, (int64_t)t * 10);
}

/* An SKP score as numeric(7,2), rounded as "%.2f" rounds it; NULL when
 * there is none or it does not fit. */
static void bin_skp_score(struct strbuf *b, const struct skp *x)
{
    char t[32];
    int64_t v = 0;
    bool neg;

    if (!x->has_score || !(x->score > -100000 && x->score < 100000)) {
        bin_null(b);
        return;
    }
    snprintf(t, sizeof(t), "%.2f", x->score);
    neg = t[0] == '-';
    for (const char *c = t + neg; *c; c++)
        if (*c != '.')
            v = v * 10 + (*c - '0');
    bin_hundredths(b, neg ? -v : v);
}

static void history_rows(struct strbuf *h, const char *inst, const struct employee *e)
{
    for (size_t i = 0; i < e->n_education; i++) {
        const struct education *x = &e->education[i];

        bin_key(&h[H_EDU], 9, inst, e->nip, i);
        bin_text(&h[H_EDU], x->id);
        bin_text(&h[H_EDU], x->level_id);
        bin_text(&h[H_EDU], x->level_name);
        bin_text(&h[H_EDU], x->name);
        bin_int4_or_null(&h[H_EDU], x->grad_year, YEAR_NONE);
        bin_date(&h[H_EDU], x->grad_date);
    }
    for (size_t i = 0; i < e->n_leadership; i++) {
        const struct leadership_training *x = &e->leadership[i];

        bin_key(&h[H_LEAD], 10, inst, e->nip, i);
        bin_text(&h[H_LEAD], x->id);
        bin_text(&h[H_LEAD], x->type_id);
        bin_text(&h[H_LEAD], x->name);
        bin_date(&h[H_LEAD], x->start);
        bin_date(&h[H_LEAD], x->end);
        bin_int4_or_null(&h[H_LEAD], x->year, YEAR_NONE);
        bin_int4_or_null(&h[H_LEAD], x->hours, HOURS_NONE);
    }
    for (size_t i = 0; i < e->n_courses; i++) {
        const struct course *x = &e->courses[i];

        bin_key(&h[H_COURSE], 11, inst, e->nip, i);
        bin_text(&h[H_COURSE], x->id);
        bin_text(&h[H_COURSE], x->kind_id);
        bin_text(&h[H_COURSE], x->kind_name);
        bin_text(&h[H_COURSE], x->name);
        bin_int4_or_null(&h[H_COURSE], x->hours, HOURS_NONE);
        bin_date(&h[H_COURSE], x->start);
        bin_date(&h[H_COURSE], x->end);
        bin_int4_or_null(&h[H_COURSE], x->year, YEAR_NONE);
    }
    for (size_t i = 0; i < e->n_skp; i++) {
        const struct skp *x = &e->skp[i];

        bin_key(&h[H_SKP], 6, inst, e->nip, i);
        bin_text(&h[H_SKP], x->id);
        bin_int4_or_null(&h[H_SKP], x->year, YEAR_NONE);
        bin_skp_score(&h[H_SKP], x);
    }
    for (size_t i = 0; i < e->n_skp22; i++) {
        const struct skp22 *x = &e->skp22[i];

        bin_key(&h[H_SKP22], 7, inst, e->nip, i);
        bin_text(&h[H_SKP22], x->id);
        bin_int4_or_null(&h[H_SKP22], x->year, YEAR_NONE);
        bin_text(&h[H_SKP22], x->predikat);
        bin_text(&h[H_SKP22], x->value);
    }
    for (size_t i = 0; i < e->n_sanctions; i++) {
        const struct sanction *x = &e->sanctions[i];

        bin_key(&h[H_SANCTION], 10, inst, e->nip, i);
        bin_text(&h[H_SANCTION], x->id);
        bin_text(&h[H_SANCTION], x->level_id);
        bin_text(&h[H_SANCTION], x->type_name);
        bin_date(&h[H_SANCTION], x->sk_date);
        bin_date(&h[H_SANCTION], x->tmt);
        bin_date(&h[H_SANCTION], x->end);
        bin_bool(&h[H_SANCTION], x->annulled);
    }
    if (e->ipasn.present) {
        struct strbuf *b = &h[H_IPASN];

        bin_be(b, 8, 2);
        bin_text(b, inst);
        bin_text(b, e->nip);
        bin_int4_or_null(b, e->ipasn.year, YEAR_NONE);
        bin_opt_tenths(b, e->ipasn.qualification);
        bin_opt_tenths(b, e->ipasn.competency);
        bin_opt_tenths(b, e->ipasn.performance);
        bin_opt_tenths(b, e->ipasn.discipline);
        bin_opt_tenths(b, e->ipasn.total);
    }
}

/* Seeds the hashes of history rows. Change it whenever history_rows does:
 * rows written the old way then differ and are replaced, never kept. */
#define HISTORY_ROWS_VERSION 2

/* The employee's rows of every history, appended to h; the hash of each
 * history's rows in row->hist_hash. A changed employee whose stored rows of
 * a history hash the same keeps them: they leave h again, and only the
 * others are marked for replacing. */
static void history_rows_of(struct strbuf *h, const char *inst, const struct employee *e,
                            struct row *row)
{
    size_t mark[H_COUNT];

    for (int k = 0; k < H_COUNT; k++)
        mark[k] = h[k].len;
    history_rows(h, inst, e);
    for (int k = 0; k < H_COUNT; k++) {
        row->hist_hash[k] = hash64(h[k].s ? h[k].s + mark[k] : "", h[k].len - mark[k],
                                   HASH64_INIT ^ HISTORY_ROWS_VERSION);
        if (row->state != ROW_CHANGED)
            continue;
        if (row->stored_known && row->stored_hash[k] == row->hist_hash[k]) {
            h[k].len = mark[k];
            if (h[k].s)
                h[k].s[mark[k]] = '\0';
        } else {
            row->replace |= 1u << k;
        }
    }
}

/* "{h1,...,h7}" as stored into row->stored_hash; false when it is not that. */
static bool parse_hashes(const char *text, struct row *row)
{
    const char *p = text;

    if (*p++ != '{')
        return false;
    for (int k = 0; k < H_COUNT; k++) {
        char *end;

        errno = 0;
        row->stored_hash[k] = (uint64_t)strtoll(p, &end, 10);
        if (errno || end == p || *end != (k + 1 < H_COUNT ? ',' : '}'))
            return false;
        p = end + 1;
    }
    return *p == '\0';
}

static void score_row(struct strbuf *b, const char *inst, const struct employee *e,
                      const struct score *s)
{
    static const enum indicator inds[] = {IND_QUALIFICATION, IND_LEADERSHIP, IND_FUNCTIONAL,
                                          IND_TECHNICAL,     IND_SEMINAR,    IND_COMPETENCY_BASE,
                                          IND_PERFORMANCE,   IND_DISCIPLINE};
    int gains[GAP_COUNT] = {0};
    struct strbuf gaps = {0};
    char asof[16];

    cp_str(b, inst);
    cp_str(b, e->nip);
    cp_int(b, s->period);
    cp_str(b, ruleset_name(s->ruleset));
    cp_str(b, date_format(s->as_of, asof, sizeof(asof)));
    cp_bool(b, s->in_scope);
    cp_str(b, position_type_name(s->position));
    cp_str(b, edu_level_name(s->edu_level));
    cp_bool(b, s->has_education);
    cp_bool(b, s->has_skp);
    cp_int(b, s->technical_jp);
    cp_tenths(b, s->qualification);
    cp_tenths(b, s->competency);
    cp_tenths(b, s->performance);
    cp_tenths(b, s->discipline);
    cp_tenths(b, s->total);
    cp_str(b, category_name(s->category));
    for (size_t i = 0; i < ARRAY_SIZE(inds); i++) {
        if (s->ind[inds[i]].applies)
            cp_tenths(b, s->ind[inds[i]].points);
        else
            cp_str(b, NULL);
    }
    for (size_t i = 0; i < s->n_gaps; i++) {
        if ((unsigned)s->gaps[i].kind < GAP_COUNT)
            gains[s->gaps[i].kind] += s->gaps[i].gain;
        strbuf_append(&gaps, "%s%s", gaps.len ? "\n" : "", s->gaps[i].detail);
    }
    for (size_t k = 0; k < GAP_COUNT; k++)
        cp_tenths(b, gains[k]);
    cp_str(b, gaps.s ? gaps.s : "");
    cp_end(b);
    strbuf_free(&gaps);
}

static void issue_row(struct strbuf *b, const char *nip, const char *code, const char *field,
                      const char *severity, const char *detail)
{
    cp_str(b, nip);
    cp_str(b, code);
    cp_str(b, field);
    cp_str(b, severity);
    cp_str(b, detail);
    cp_end(b);
}

#define DUPLICATE_DETAIL "the NIP appears more than once in one listing; the later record was kept"

/* An issue opened by this page, for the log after the commit. */
static void add_event(struct page_result *res, const struct employee *e, const char *code,
                      const char *field, const char *severity, const char *detail)
{
    struct issue_event *ev;

    res->opened = xrealloc(res->opened, (res->n_opened + 1) * sizeof(*res->opened));
    ev = &res->opened[res->n_opened++];
    memset(ev, 0, sizeof(*ev));
    snprintf(ev->nip, sizeof(ev->nip), "%s", e->nip);
    snprintf(ev->opd_id, sizeof(ev->opd_id), "%s", e->opd_id ? e->opd_id : "");
    snprintf(ev->code, sizeof(ev->code), "%s", code);
    snprintf(ev->field, sizeof(ev->field), "%s", field);
    snprintf(ev->severity, sizeof(ev->severity), "%s", severity);
    snprintf(ev->detail, sizeof(ev->detail), "%s", detail);
}

static void take_events(const PGresult *r, const struct page *pg, struct row *rows, size_t n,
                        struct issue_event **out, size_t *count)
{
    int nt = PQntuples(r);

    if (nt <= 0)
        return;
    *out = xrealloc(*out, (*count + (size_t)nt) * sizeof(**out));
    for (int i = 0; i < nt; i++) {
        struct issue_event *ev = &(*out)[(*count)++];
        const struct row *row = find_row(rows, n, pg, PQgetvalue(r, i, 0));
        const char *opd = row ? pg->employees[row->idx].opd_id : NULL;

        memset(ev, 0, sizeof(*ev));
        snprintf(ev->nip, sizeof(ev->nip), "%s", PQgetvalue(r, i, 0));
        snprintf(ev->code, sizeof(ev->code), "%s", PQgetvalue(r, i, 1));
        snprintf(ev->field, sizeof(ev->field), "%s", PQgetvalue(r, i, 2));
        snprintf(ev->severity, sizeof(ev->severity), "%s", PQgetvalue(r, i, 3));
        snprintf(ev->detail, sizeof(ev->detail), "%s", PQgetvalue(r, i, 4));
        snprintf(ev->opd_id, sizeof(ev->opd_id), "%s", opd ? opd : "");
    }
}

void page_result_free(struct page_result *r)
{
    if (!r)
        return;
    free(r->opened);
    free(r->resolved);
    r->opened = r->resolved = NULL;
    r->n_opened = r->n_resolved = 0;
}

/* The issue statements of a page: those of its NIPs that are no longer
 * found resolve, the ones still found move their last_seen, the new ones
 * open. Then the same for employees that left scope. */
/* Ends the listing inside the transaction of its last page. */
static int finish_listing(struct store *st, const struct page_write *w, struct page_result *res,
                          struct row *rows, size_t n, struct error *err)
{
    const struct sync_state *s = w->state;
    struct num nl, no, ns;
    const char *p[] = {w->instansi_id, num(&nl, s->listing_id)};
    int rc = 0;
    PGresult *r;
    bool full = strcmp(s->listing_mode, "full") == 0;

    res->listing_done = true;
    /* A listing that began on an empty table stored every employee it saw:
     * nobody can be missing from it. */
    if (full && !s->listing_fresh) {
        if (!(r = query(st,
                        "SELECT (SELECT count(*) FROM ipasn.listing_seen"
                        "  WHERE instansi_id = $1 AND listing_id = $2),"
                        " (SELECT count(*) FROM ipasn.employee WHERE instansi_id = $1 AND active)",
                        2, p, &rc, err)))
            return rc;
        res->listing_records = (int)val_int(r, 0, 0);
        res->active_before = (int)val_int(r, 0, 1);
        PQclear(r);
        /* A full listing far smaller than what is stored is more likely a
         * broken endpoint than half the workforce leaving. */
        if (res->active_before > 100 && res->listing_records < res->active_before / 2) {
            res->deactivation_refused = true;
        } else {
            /* Both tables grew during this listing: without fresh
             * statistics the planner loops instead of hashing. */
            if ((rc = exec(st, "ANALYZE ipasn.listing_seen; ANALYZE ipasn.employee", 0, NULL,
                           err)) < 0)
                return rc;
            struct strbuf gone = {0};
            const char *pg2[] = {w->instansi_id, NULL};

            if (!(r = query(st,
                            "UPDATE ipasn.employee e SET active = false, changed_at = now()"
                            " WHERE e.instansi_id = $1 AND e.active AND NOT EXISTS ("
                            "  SELECT 1 FROM ipasn.listing_seen l WHERE l.instansi_id = $1"
                            "  AND l.listing_id = $2 AND l.nip = e.nip) RETURNING e.nip",
                            2, p, &rc, err)))
                return rc;
            res->deactivated += PQntuples(r);
            for (int i = 0; i < PQntuples(r); i++)
                array_nip(&gone, PQgetvalue(r, i, 0));
            array_close(&gone);
            PQclear(r);
            /* Those marked inactive keep no open issue. */
            pg2[1] = gone.s;
            r = query(st,
                      "UPDATE ipasn.issue SET resolved_at = now()"
                      " WHERE instansi_id = $1 AND nip = ANY ($2::text[])"
                      " AND resolved_at IS NULL"
                      " RETURNING nip, code, field, severity, detail",
                      2, pg2, &rc, err);
            strbuf_free(&gone);
            if (!r)
                return rc;
            res->issues_resolved += PQntuples(r);
            take_events(r, w->page, rows, n, &res->resolved, &res->n_resolved);
            PQclear(r);
        }
    }
    if ((rc = exec(st, "DELETE FROM ipasn.listing_seen WHERE instansi_id = $1 AND listing_id = $2",
                   2, p, err)) < 0)
        return rc;
    {
        const char *q[] = {w->instansi_id, w->source, num(&no, w->overlap), full ? "t" : "f",
                           num(&ns, w->server_time)};

        rc = exec(st,
                  "UPDATE ipasn.sync_state SET"
                  " watermark = coalesce(coalesce(listing_server_time, to_timestamp($5::bigint))"
                  "   - make_interval(secs => $3::bigint), watermark),"
                  " cursor = NULL, listing_mode = NULL, pages = 0,"
                  " last_full_at = CASE WHEN $4::boolean THEN now() ELSE last_full_at END,"
                  " updated_at = now()"
                  " WHERE instansi_id = $1 AND source = $2",
                  5, q, err);
    }
    return rc;
}

/* The rows of a page's NIPs are read NIP by NIP, "FROM unnest(nips) u
 * CROSS JOIN LATERAL (SELECT ... WHERE nip = u.nip OFFSET 0)": an index
 * lookup each, whatever the statistics. With "nip = ANY (nips)" or a join,
 * a table never analyzed (the first incremental sync after a first full
 * one, before autovacuum came by) takes instansi_id = $1 for a rare value
 * and reads every row of the instansi instead: 20 to 350 ms a statement
 * at 100,000 employees against 2 to 12. OFFSET 0 keeps the subquery from
 * being flattened into a join the planner may reorder. */
#define SQL_ONE_BY_ONE " OFFSET 0"

/* Every contribution of a score to the sums of its OPD (and of the
 * instansi): one row per OPD, '' for none. */
/* Sums in tenths, over the employees of the OPD or over those measured
 * (with education and SKP) only; each sum is multiplied, not each score. */
#define SQL_MEASURED "FILTER (WHERE s.has_education AND s.has_skp)"
#define SQL_SUMS_COLUMNS                                                                           \
    " coalesce(e.opd_id, ''), max(e.opd_name), count(*), count(*) " SQL_MEASURED ","               \
    " count(*) FILTER (WHERE s.has_education), count(*) FILTER (WHERE s.has_skp),"                 \
    " (sum(s.qualification) * 10)::bigint, (sum(s.competency) * 10)::bigint,"                      \
    " (sum(s.performance) * 10)::bigint, (sum(s.discipline) * 10)::bigint,"                        \
    " (sum(s.total) * 10)::bigint,"                                                                \
    " (coalesce(sum(s.qualification) " SQL_MEASURED ", 0) * 10)::bigint,"                          \
    " (coalesce(sum(s.competency) " SQL_MEASURED ", 0) * 10)::bigint,"                             \
    " (coalesce(sum(s.performance) " SQL_MEASURED ", 0) * 10)::bigint,"                            \
    " (coalesce(sum(s.discipline) " SQL_MEASURED ", 0) * 10)::bigint,"                             \
    " (coalesce(sum(s.total) " SQL_MEASURED ", 0) * 10)::bigint"

#define SQL_SUMS_SELECT                                                                            \
    SQL_SUMS_COLUMNS " FROM ipasn.employee_score s JOIN ipasn.employee e USING (instansi_id, "     \
                     "nip) WHERE s.instansi_id = $1 AND s.period = $2 AND e.active AND s.in_scope"

#define SUM_COLS                                                                                   \
    "opd_key, opd_name, employees, measured, cov_edu, cov_skp, s_q, s_c, s_p, s_d, s_t, m_q, m_c," \
    " m_p, m_d, m_t"

static const char SQL_SUMS_REBUILD[] =
    "INSERT INTO ipasn.aggregate_sum (instansi_id, period, " SUM_COLS
    ") SELECT $1, $2," SQL_SUMS_SELECT " GROUP BY e.opd_id";

/* What the employees in $3 add to the sums now, times $4 (1 or -1). */
static const char SQL_SUMS_DELTA[] =
    "INSERT INTO ipasn.aggregate_sum AS a (instansi_id, period, " SUM_COLS ")"
    " SELECT $1, $2, k, n, $4::int * c, $4::int * m, $4::int * ce, $4::int * cs, $4::int * q,"
    " $4::int * co, $4::int * pe, $4::int * d, $4::int * t, $4::int * mq, $4::int * mc,"
    " $4::int * mp, $4::int * md, $4::int * mt FROM (SELECT" SQL_SUMS_COLUMNS
    " FROM unnest($3::text[]) u (nip)"
    " CROSS JOIN LATERAL (SELECT opd_id, opd_name FROM ipasn.employee"
    "  WHERE instansi_id = $1 AND nip = u.nip AND active" SQL_ONE_BY_ONE ") e"
    " CROSS JOIN LATERAL (SELECT has_education, has_skp, qualification, competency,"
    "  performance, discipline, total FROM ipasn.employee_score"
    "  WHERE instansi_id = $1 AND nip = u.nip AND period = $2 AND in_scope" SQL_ONE_BY_ONE ") s"
    " GROUP BY e.opd_id)"
    " x (k, n, c, m, ce, cs, q, co, pe, d, t, mq, mc, mp, md, mt)"
    " ON CONFLICT (instansi_id, period, opd_key) DO UPDATE SET"
    " opd_name = coalesce(EXCLUDED.opd_name, a.opd_name),"
    " employees = a.employees + EXCLUDED.employees, measured = a.measured + EXCLUDED.measured,"
    " cov_edu = a.cov_edu + EXCLUDED.cov_edu, cov_skp = a.cov_skp + EXCLUDED.cov_skp,"
    " s_q = a.s_q + EXCLUDED.s_q, s_c = a.s_c + EXCLUDED.s_c, s_p = a.s_p + EXCLUDED.s_p,"
    " s_d = a.s_d + EXCLUDED.s_d, s_t = a.s_t + EXCLUDED.s_t, m_q = a.m_q + EXCLUDED.m_q,"
    " m_c = a.m_c + EXCLUDED.m_c, m_p = a.m_p + EXCLUDED.m_p, m_d = a.m_d + EXCLUDED.m_d,"
    " m_t = a.m_t + EXCLUDED.m_t";

/* Takes away (sign -1) or adds (+1) the contributions of the employees in
 * nips to the running sums of period. */
static int sums_delta(struct store *st, const char *instansi_id, int period, const char *nips,
                      int sign, struct error *err)
{
    struct num np;
    const char *p[] = {instansi_id, num(&np, period), nips, sign < 0 ? "-1" : "1"};

    return exec(st, SQL_SUMS_DELTA, 4, p, err);
}

/* An open issue as stored. */
struct open_issue {
    int64_t id;
    char *nip, *code, *field, *severity, *detail;
    bool matched;
};

static int cmp_open_issue(const void *a, const void *b)
{
    const struct open_issue *x = a, *y = b;
    int c = strcmp(x->nip, y->nip);

    if (!c)
        c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->field, y->field);
}

/* A text[] literal element: quoted, with quotes and backslashes escaped. */
static void array_text(struct strbuf *b, const char *s)
{
    strbuf_addn(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_addn(b, "\\", 1);
        strbuf_addn(b, s, 1);
    }
    strbuf_addn(b, "\"", 1);
}

/* The issues the page finds against those open for its stored employees:
 * new ones open, vanished ones resolve, the rest move their last_seen (a
 * sync saw the record again) and take a changed detail. One read of the
 * open issues, then one statement per kind of change. */
static int write_issues(struct store *st, const struct page_write *w, struct row *rows, size_t n,
                        size_t known, const char *nips, struct page_result *res, struct error *err)
{
    const struct page *pg = w->page;
    const char *inst = w->instansi_id;
    struct open_issue *open = NULL;
    size_t n_open = 0;
    struct strbuf fresh = {0}, gone = {0}, seen = {0}, ch_id = {0}, ch_sev = {0}, ch_det = {0};
    int rc = 0;
    PGresult *r;

    if (known) {
        const char *pn[] = {inst, nips};

        if (!(r = query(
                  st,
                  "SELECT i.id, u.nip, i.code, i.field, i.severity, i.detail"
                  " FROM unnest($2::text[]) u (nip) CROSS JOIN LATERAL"
                  " (SELECT id, code, field, severity, detail FROM ipasn.issue"
                  "  WHERE instansi_id = $1 AND nip = u.nip AND resolved_at IS NULL" SQL_ONE_BY_ONE
                  ") i",
                  2, pn, &rc, err)))
            return rc;
        n_open = (size_t)PQntuples(r);
        open = xcalloc(n_open ? n_open : 1, sizeof(*open));
        for (size_t i = 0; i < n_open; i++) {
            open[i].id = val_int(r, (int)i, 0);
            open[i].nip = xstrdup(PQgetvalue(r, (int)i, 1));
            open[i].code = xstrdup(PQgetvalue(r, (int)i, 2));
            open[i].field = xstrdup(PQgetvalue(r, (int)i, 3));
            open[i].severity = xstrdup(PQgetvalue(r, (int)i, 4));
            open[i].detail = xstrdup(PQgetvalue(r, (int)i, 5));
        }
        PQclear(r);
        qsort(open, n_open, sizeof(*open), cmp_open_issue);
    }

    for (size_t i = 0; i < n; i++) {
        const struct employee *e = &pg->employees[rows[i].idx];
        const struct issue_list *l = &w->issues[rows[i].idx];
        bool dup = rows[i].duplicate && w->scores[rows[i].idx].in_scope;

        if (rows[i].state == ROW_TOMBSTONE)
            continue;
        res->duplicates += dup;
        for (size_t k = 0; k < l->n + dup; k++) {
            const char *code = k < l->n ? l->v[k].code : "duplicate_record";
            const char *field = k < l->n ? l->v[k].field : "";
            const char *sev = k < l->n ? severity_name(l->v[k].severity) : "warning";
            const char *detail = k < l->n ? l->v[k].detail : DUPLICATE_DETAIL;
            struct open_issue key = {
                .nip = (char *)e->nip, .code = (char *)code, .field = (char *)field};
            struct open_issue *o =
                rows[i].found ? bsearch(&key, open, n_open, sizeof(*open), cmp_open_issue) : NULL;

            if (!o) {
                cp_str(&fresh, inst);
                issue_row(&fresh, e->nip, code, field, sev, detail);
                add_event(res, e, code, field, sev, detail);
                res->issues_opened++;
                continue;
            }
            o->matched = true;
            if (w->mode != WRITE_RECOMPUTE) {
                array_sep(&seen);
                strbuf_append(&seen, "%" PRId64, o->id);
            }
            if (strcmp(o->severity, sev) != 0 || strcmp(o->detail, detail) != 0) {
                array_sep(&ch_id);
                strbuf_append(&ch_id, "%" PRId64, o->id);
                array_sep(&ch_sev);
                array_text(&ch_sev, sev);
                array_sep(&ch_det);
                array_text(&ch_det, detail);
            }
        }
    }
    for (size_t i = 0; i < n_open; i++) {
        struct issue_event *ev;
        const struct row *row;

        if (open[i].matched)
            continue;
        array_sep(&gone);
        strbuf_append(&gone, "%" PRId64, open[i].id);
        row = find_row(rows, n, pg, open[i].nip);
        res->resolved = xrealloc(res->resolved, (res->n_resolved + 1) * sizeof(*res->resolved));
        ev = &res->resolved[res->n_resolved++];
        memset(ev, 0, sizeof(*ev));
        snprintf(ev->nip, sizeof(ev->nip), "%s", open[i].nip);
        snprintf(ev->opd_id, sizeof(ev->opd_id), "%s",
                 row && pg->employees[row->idx].opd_id ? pg->employees[row->idx].opd_id : "");
        snprintf(ev->code, sizeof(ev->code), "%s", open[i].code);
        snprintf(ev->field, sizeof(ev->field), "%s", open[i].field);
        snprintf(ev->severity, sizeof(ev->severity), "%s", open[i].severity);
        snprintf(ev->detail, sizeof(ev->detail), "%s", open[i].detail);
        res->issues_resolved++;
    }

    if (gone.len) {
        const char *p[] = {inst, (array_close(&gone), gone.s)};

        if ((rc = exec(st,
                       "UPDATE ipasn.issue SET resolved_at = now() WHERE instansi_id = $1"
                       " AND id = ANY ($2::bigint[])",
                       2, p, err)) < 0)
            goto out;
    }
    if (seen.len) {
        const char *p[] = {inst, (array_close(&seen), seen.s)};

        if ((rc = exec(st,
                       "UPDATE ipasn.issue SET last_seen = now() WHERE instansi_id = $1"
                       " AND id = ANY ($2::bigint[])",
                       2, p, err)) < 0)
            goto out;
    }
    if (ch_id.len) {
        const char *p[] = {inst, (array_close(&ch_id), ch_id.s), (array_close(&ch_sev), ch_sev.s),
                           (array_close(&ch_det), ch_det.s)};

        if ((rc = exec(st,
                       "UPDATE ipasn.issue i SET severity = u.severity, detail = u.detail"
                       " FROM unnest($2::bigint[], $3::text[], $4::text[]) u (id, severity, detail)"
                       " WHERE i.instansi_id = $1 AND i.id = u.id",
                       4, p, err)) < 0)
            goto out;
    }
    rc =
        copy_in(st, "COPY ipasn.issue (instansi_id, nip, code, field, severity, detail) FROM STDIN",
                false, &fresh, err);
out:
    for (size_t i = 0; i < n_open; i++) {
        free(open[i].nip);
        free(open[i].code);
        free(open[i].field);
        free(open[i].severity);
        free(open[i].detail);
    }
    free(open);
    strbuf_free(&fresh);
    strbuf_free(&gone);
    strbuf_free(&seen);
    strbuf_free(&ch_id);
    strbuf_free(&ch_sev);
    strbuf_free(&ch_det);
    return rc;
}

/* A first load wrote a page as new and met an employee already stored. */
#define PAGE_MET_STORED (-100)

/* Writes the page; assume_new (a listing that began on an empty table)
 * writes its employees as new without looking them up, and returns
 * PAGE_MET_STORED, having written nothing, when one of them was stored
 * after all. */
static int write_page_once(struct store *st, const struct page_write *w, struct page_result *res,
                           bool assume_new, struct error *err)
{
    const struct page *pg = w->page;
    const char *inst = w->instansi_id;
    struct strbuf b = {0}, hist[H_COUNT] = {{0}}, nips = {0}, affected = {0};
    struct row *rows;
    size_t n = 0, tombstones = 0, known = 0;
    int rc;
    PGresult *r = NULL;

    memset(res, 0, sizeof(*res));
    if ((rc = ensure_staging(st, err)) < 0)
        return rc;
    rows = page_rows(pg, &n);
    if ((rc = exec(st, "BEGIN", 0, NULL, err)) < 0)
        goto out;

    /* The page's NIPs as an array literal. */
    nip_array(&nips, pg, rows, n, NULL);

    if (w->mode == WRITE_SYNC && !w->state->listing_fresh) {
        /* A NIP already seen in this listing is a duplicate across pages. */
        struct num nl;
        const char *p3[] = {inst, num(&nl, w->state->listing_id), nips.s};
        bool *fresh = xcalloc(n ? n : 1, sizeof(bool));

        if (!(r = query(st,
                        "INSERT INTO ipasn.listing_seen (instansi_id, listing_id, nip)"
                        " SELECT $1, $2, u.nip FROM unnest($3::text[]) u (nip)"
                        " WHERE NOT EXISTS (SELECT FROM ipasn.listing_seen l"
                        "  WHERE l.instansi_id = $1 AND l.listing_id = $2 AND l.nip = "
                        "u.nip" SQL_ONE_BY_ONE ") RETURNING nip",
                        3, p3, &rc, err))) {
            free(fresh);
            goto fail;
        }
        for (int i = 0; i < PQntuples(r); i++) {
            struct row *row = find_row(rows, n, pg, PQgetvalue(r, i, 0));

            if (row)
                fresh[row - rows] = true;
        }
        for (size_t i = 0; i < n; i++)
            if (!fresh[i])
                rows[i].duplicate = true;
        free(fresh);
        PQclear(r);
        r = NULL;
    }

    if (w->mode == WRITE_RECOMPUTE) {
        for (size_t i = 0; i < n; i++) {
            rows[i].found = true;
            if (rows[i].state != ROW_TOMBSTONE)
                rows[i].state = ROW_CHANGED;
        }
    } else {
        /* New, changed or unchanged, by content hash: an index lookup per
         * NIP. A listing that began on an empty table has stored only
         * what it saw, so a NIP it finds stored is a duplicate; it takes
         * its employees for new and looks up only its tombstones, unless
         * that failed on this page. */
        struct strbuf lookup = {0};
        bool fresh_load = w->mode == WRITE_SYNC && w->state->listing_fresh;
        const char *pa[] = {inst, NULL};

        nip_array(&lookup, pg, rows, n, assume_new ? tombstone : NULL);
        pa[1] = lookup.s;
        if (strcmp(lookup.s, "{}") != 0 &&
            !(r = query(st,
                        "SELECT u.nip, e.content_hash, e.active, e.history_hash"
                        " FROM unnest($2::text[]) u (nip) CROSS JOIN LATERAL"
                        " (SELECT content_hash, active, history_hash FROM ipasn.employee"
                        "  WHERE instansi_id = $1 AND nip = u.nip" SQL_ONE_BY_ONE ") e",
                        2, pa, &rc, err))) {
            strbuf_free(&lookup);
            goto fail;
        }
        strbuf_free(&lookup);
        for (int i = 0; r && i < PQntuples(r); i++) {
            struct row *row = find_row(rows, n, pg, PQgetvalue(r, i, 0));
            const struct employee *e;

            if (!row)
                continue;
            row->found = true;
            row->duplicate |= fresh_load;
            e = &pg->employees[row->idx];
            if (row->state == ROW_TOMBSTONE)
                continue;
            row->stored_known = !PQgetisnull(r, i, 3) && parse_hashes(PQgetvalue(r, i, 3), row);
            if ((uint64_t)val_int(r, i, 1) == e->content_hash &&
                strcmp(PQgetvalue(r, i, 2), "t") == 0)
                row->state = ROW_UNCHANGED;
            else
                row->state = ROW_CHANGED;
        }
        PQclear(r);
        r = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        known += rows[i].found;
        tombstones += rows[i].found && rows[i].state == ROW_TOMBSTONE;
    }

    /* The running sums lose what the changing employees gave them... */
    if (w->agg_period) {
        nip_array(&affected, pg, rows, n, changes_sums);
        if (strcmp(affected.s, "{}") != 0 &&
            (rc = sums_delta(st, inst, w->agg_period, affected.s, -1, err)) < 0)
            goto fail;
    }

    if (w->mode != WRITE_RECOMPUTE) {
        /* Employees and their histories: new and changed ones only. New
         * ones (no row yet, and the source's lock is held) are copied
         * straight into their table, changed ones through staging. The
         * history rows are made with them, and copied after them. */
        struct strbuf fresh = {0};
        struct copy to[] = {
            {.st = st,
             .sql = "COPY ipasn.employee (" EMPLOYEE_COLS ") FROM STDIN (FORMAT binary)",
             .b = &fresh,
             .err = err,
             .binary = true},
            {.st = st,
             .sql = "COPY s_employee (" EMPLOYEE_COLS ") FROM STDIN (FORMAT binary)",
             .b = &b,
             .err = err,
             .binary = true},
        };

        b.len = 0;
        for (size_t i = 0; i < n; i++)
            res->unchanged += rows[i].state == ROW_UNCHANGED;
        for (size_t k = 0; k < ARRAY_SIZE(to); k++) {
            enum row_state want = k == 0 ? ROW_NEW : ROW_CHANGED;

            for (size_t i = 0; i < n; i++) {
                struct row *row = &rows[i];
                const struct employee *e = &pg->employees[row->idx];

                if (row->state != want)
                    continue;
                history_rows_of(hist, inst, e, row);
                employee_row(to[k].b, inst, e, row->hist_hash);
                copy_more(&to[k]);
                if (want == ROW_NEW)
                    res->inserted++;
                else
                    res->updated++;
            }
            rc = copy_end(&to[k]);
            if (rc < 0) {
                if (assume_new && to[k].conflict)
                    rc = PAGE_MET_STORED;
                break;
            }
        }
        strbuf_free(&fresh);
        if (rc < 0)
            goto fail;
        if (res->updated) {
            if ((rc = exec(st,
                           "INSERT INTO ipasn.employee (" EMPLOYEE_COLS ")"
                           " SELECT " EMPLOYEE_COLS " FROM s_employee"
                           " ON CONFLICT (instansi_id, nip) DO UPDATE SET"
                           " (pns_id, name, title_front, title_back, birth_date, sex, status,"
                           " status_cpns_pns, kedudukan_id, kedudukan_name, tmt_cpns, tmt_pns,"
                           " position_type_id, position, position_name, eselon_id, eselon,"
                           " eselon_level, grade_id, grade, edu_level_id, instansi_induk_id,"
                           " instansi_induk_name, opd_id, opd_name, unor_id, unor_name,"
                           " updated_at, content_hash, raw, history_hash, deleted, active,"
                           " changed_at) ="
                           " (EXCLUDED.pns_id, EXCLUDED.name, EXCLUDED.title_front,"
                           " EXCLUDED.title_back, EXCLUDED.birth_date, EXCLUDED.sex,"
                           " EXCLUDED.status, EXCLUDED.status_cpns_pns, EXCLUDED.kedudukan_id,"
                           " EXCLUDED.kedudukan_name, EXCLUDED.tmt_cpns, EXCLUDED.tmt_pns,"
                           " EXCLUDED.position_type_id, EXCLUDED.position,"
                           " EXCLUDED.position_name, EXCLUDED.eselon_id, EXCLUDED.eselon,"
                           " EXCLUDED.eselon_level, EXCLUDED.grade_id, EXCLUDED.grade,"
                           " EXCLUDED.edu_level_id, EXCLUDED.instansi_induk_id,"
                           " EXCLUDED.instansi_induk_name, EXCLUDED.opd_id, EXCLUDED.opd_name,"
                           " EXCLUDED.unor_id, EXCLUDED.unor_name, EXCLUDED.updated_at,"
                           " EXCLUDED.content_hash, EXCLUDED.raw, EXCLUDED.history_hash, false,"
                           " true, now())",
                           0, NULL, err)) < 0)
                goto fail;
            for (int h = 0; h < H_COUNT; h++) {
                struct strbuf gone = {0};
                const char *pd[] = {inst, NULL};

                for (size_t i = 0; i < n; i++)
                    if (rows[i].replace & (1u << h))
                        array_nip(&gone, pg->employees[rows[i].idx].nip);
                if (!gone.len)
                    continue;
                array_close(&gone);
                pd[1] = gone.s;
                rc = exec(st, history_delete[h], 2, pd, err);
                strbuf_free(&gone);
                if (rc < 0)
                    goto fail;
            }
        }
        for (int h = 0; h < H_COUNT; h++)
            if ((rc = copy_in(st, history_copy[h], true, &hist[h], err)) < 0)
                goto fail;
        /* Tombstones of stored employees leave at once. */
        if (tombstones) {
            struct strbuf gone = {0};
            const char *pt[] = {inst, NULL};

            nip_array(&gone, pg, rows, n, found_tombstone);
            pt[1] = gone.s;
            r = query(st,
                      "UPDATE ipasn.employee SET active = false, deleted = true,"
                      " changed_at = now() WHERE instansi_id = $1 AND nip = ANY ($2::text[])"
                      " AND active RETURNING nip",
                      2, pt, &rc, err);
            strbuf_free(&gone);
            if (!r)
                goto fail;
        }
        if (r)
            res->deactivated += PQntuples(r);
        PQclear(r);
        r = NULL;
    }

    /* Scores of new and changed employees (every one in a recompute); a
     * new employee has no score row yet. */
    b.len = 0;
    {
        struct strbuf fresh = {0};
        struct copy to[] = {
            {.st = st,
             .sql = "COPY ipasn.employee_score (" SCORE_COLS ") FROM STDIN",
             .b = &fresh,
             .err = err},
            {.st = st, .sql = "COPY s_score (" SCORE_COLS ") FROM STDIN", .b = &b, .err = err},
        };
        bool staged = false;

        for (size_t k = 0; k < ARRAY_SIZE(to); k++) {
            enum row_state want = k == 0 ? ROW_NEW : ROW_CHANGED;

            for (size_t i = 0; i < n; i++) {
                if (rows[i].state != want)
                    continue;
                score_row(to[k].b, inst, &pg->employees[rows[i].idx], &w->scores[rows[i].idx]);
                copy_more(&to[k]);
                staged |= k == 1;
            }
            rc = copy_end(&to[k]);
            if (rc < 0)
                break;
        }
        strbuf_free(&fresh);
        if (rc < 0)
            goto fail;
        if (staged && (rc = exec(st, st->score_upsert, 0, NULL, err)) < 0)
            goto fail;
    }

    /* ...and gain what they give now. */
    if (w->agg_period && strcmp(affected.s, "{}") != 0 &&
        (rc = sums_delta(st, inst, w->agg_period, affected.s, 1, err)) < 0)
        goto fail;

    /* Issues of every employee of the page, unchanged ones included: some
     * depend on the date (stale records, dates in the future). */
    if (w->scores_only)
        goto quarantine;
    if ((rc = write_issues(st, w, rows, n, known, nips.s, res, err)) < 0)
        goto fail;

quarantine:
    /* Records that broke the contract, once per distinct text: one row per
     * text, seen as often as the page holds it. */
    if (w->mode != WRITE_RECOMPUTE && pg->n_rejected) {
        struct strbuf q[5] = {{0}};
        const char *pq[8] = {inst, w->page_url ? w->page_url : ""};

        for (size_t i = 0; i < pg->n_rejected; i++) {
            const struct rejected_record *x = &pg->rejected[i];
            const char *raw = x->raw ? x->raw : "";
            const char *text[] = {x->nip, x->code, x->reason, raw};

            for (size_t k = 0; k < ARRAY_SIZE(text); k++) {
                array_sep(&q[k]);
                if (text[k])
                    array_text(&q[k], text[k]);
                else
                    strbuf_addn(&q[k], "NULL", 4);
            }
            array_sep(&q[4]);
            add_int(&q[4], (int64_t)hash64(raw, strlen(raw), HASH64_INIT));
        }
        for (size_t k = 0; k < ARRAY_SIZE(q); k++) {
            array_close(&q[k]);
            pq[2 + k] = q[k].s;
        }
        rc = exec(st,
                  "INSERT INTO ipasn.quarantine (instansi_id, source_url, nip, code, reason, raw,"
                  " raw_hash, times_seen)"
                  " SELECT DISTINCT ON (h) $1, $2, nip, code, reason, raw, h,"
                  "  count(*) OVER (PARTITION BY h)"
                  " FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])"
                  "  WITH ORDINALITY u (nip, code, reason, raw, h, i)"
                  " ORDER BY h, i DESC"
                  " ON CONFLICT (instansi_id, raw_hash) DO UPDATE SET last_seen = now(),"
                  " times_seen = quarantine.times_seen + EXCLUDED.times_seen,"
                  " source_url = EXCLUDED.source_url",
                  7, pq, err);
        for (size_t k = 0; k < ARRAY_SIZE(q); k++)
            strbuf_free(&q[k]);
        if (rc < 0)
            goto fail;
    }
    if (w->mode != WRITE_RECOMPUTE)
        res->quarantined = (int)pg->n_rejected;

    /* Where the listing goes next, in the same transaction. */
    if (w->mode == WRITE_SYNC) {
        struct num nt;
        const char *p4[] = {inst, w->source, w->next_cursor, num(&nt, w->server_time)};

        if ((rc = exec(st,
                       "UPDATE ipasn.sync_state SET cursor = $3, pages = pages + 1,"
                       " listing_server_time = coalesce(listing_server_time,"
                       "  to_timestamp($4::bigint)), updated_at = now()"
                       " WHERE instansi_id = $1 AND source = $2",
                       4, p4, err)) < 0)
            goto fail;
        if (!w->next_cursor && (rc = finish_listing(st, w, res, rows, n, err)) < 0)
            goto fail;
    }
    if (w->run_id) {
        struct num v[10];
        const char *p10[] = {num(&v[0], w->run_id),
                             num(&v[1], w->mode == WRITE_RECOMPUTE ? 0 : 1),
                             num(&v[2], (int64_t)(pg->n_employees + pg->n_rejected)),
                             num(&v[3], res->inserted),
                             num(&v[4], res->updated),
                             num(&v[5], res->unchanged),
                             num(&v[6], res->deactivated),
                             num(&v[7], res->quarantined),
                             num(&v[8], res->issues_opened),
                             num(&v[9], res->issues_resolved)};

        if ((rc = exec(st,
                       "UPDATE ipasn.sync_run SET pages = pages + $2, records = records + $3,"
                       " inserted = inserted + $4, updated = updated + $5,"
                       " unchanged = unchanged + $6, deactivated = deactivated + $7,"
                       " quarantined = quarantined + $8, issues_opened = issues_opened + $9,"
                       " issues_resolved = issues_resolved + $10 WHERE id = $1",
                       10, p10, err)) < 0)
            goto fail;
    }
    if ((rc = exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    goto out;
fail:
    PQclear(r);
    rollback(st);
    page_result_free(res);
out:
    free(rows);
    strbuf_free(&b);
    strbuf_free(&nips);
    strbuf_free(&affected);
    for (int h = 0; h < H_COUNT; h++)
        strbuf_free(&hist[h]);
    return rc;
}

int store_write_page(struct store *st, const struct page_write *w, struct page_result *res,
                     struct error *err)
{
    bool first_load = w->mode == WRITE_SYNC && w->state->listing_fresh;
    int rc = write_page_once(st, w, res, first_load, err);

    /* A record changed during the listing and came again: the page is
     * written again, looking its employees up. */
    if (rc == PAGE_MET_STORED)
        rc = write_page_once(st, w, res, false, err);
    return rc;
}

/* ---- aggregates -------------------------------------------------------- */

struct opd_agg {
    char *opd_id, *opd_name;
    struct aggregate a;
    int rank;
};

static int cmp_opd_total(const void *x, const void *y)
{
    const struct opd_agg *a = x, *b = y;

    if (a->a.total != b->a.total)
        return a->a.total > b->a.total ? -1 : 1;
    return strcmp(a->opd_id, b->opd_id);
}

/* A sum of numeric(5,2) values that are whole tenths, as tenths. */
static long long sum_tenths(const PGresult *r, int row, int col)
{
    return (long long)val_int(r, row, col);
}

static void cp_hundredths(struct strbuf *b, int h)
{
    strbuf_append(b, "%d.%02d\t", h / 100, h % 100);
}

int store_refresh_aggregates(struct store *st, const char *instansi_id,
                             const struct config_index *idx, int period, bool full,
                             struct error *err)
{
    struct num np, npp;
    const char *p[] = {instansi_id, num(&np, period)};
    const char *pp[] = {instansi_id, num(&npp, period - 1)};
    struct opd_agg *opds = NULL;
    struct aggregate all = {0};
    size_t n_opd = 0;
    struct strbuf b = {0};
    int rc = 0, target = (int)(idx->target * 100 + 0.5), previous = -1;
    PGresult *r;

    if (!full) {
        /* Sums never built for this period cannot take deltas. */
        if (!(r = query(st,
                        "SELECT NOT EXISTS (SELECT 1 FROM ipasn.aggregate_sum"
                        " WHERE instansi_id = $1 AND period = $2)",
                        2, p, &rc, err)))
            return rc;
        full = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
    }
    if (full) {
        /* The sums from every score. Both sides of the join are whole
         * tables, read whole, hashed and grouped in memory, whatever the
         * statistics say right after a load: with none, the planner took
         * a nested loop (seconds), or index scans and a sort that spilled
         * to disk (0.41 s at 100,000 employees, 0.26 s this way). */
        if ((rc = exec(st,
                       "BEGIN; SET LOCAL enable_nestloop = off; SET LOCAL enable_indexscan = off;"
                       " SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off;"
                       " SET LOCAL work_mem = '64MB'",
                       0, NULL, err)) < 0 ||
            (rc = exec(st, "DELETE FROM ipasn.aggregate_sum WHERE instansi_id = $1 AND period = $2",
                       2, p, err)) < 0 ||
            (rc = exec(st, SQL_SUMS_REBUILD, 2, p, err)) < 0 ||
            (rc = exec(st, "COMMIT", 0, NULL, err)) < 0) {
            rollback(st);
            return rc;
        }
    }
    if (!(r = query(st,
                    "SELECT opd_key, opd_name, employees, measured, cov_edu, cov_skp,"
                    " s_q, s_c, s_p, s_d, s_t, m_q, m_c, m_p, m_d, m_t FROM ipasn.aggregate_sum"
                    " WHERE instansi_id = $1 AND period = $2 AND employees > 0",
                    2, p, &rc, err)))
        return rc;
    opds = xcalloc((size_t)PQntuples(r) + 1, sizeof(*opds));
    for (int i = 0; i < PQntuples(r); i++) {
        struct aggregate a = {0};

        a.employees = (size_t)val_int(r, i, 2);
        a.measured = (size_t)val_int(r, i, 3);
        a.coverage_education = (size_t)val_int(r, i, 4);
        a.coverage_skp = (size_t)val_int(r, i, 5);
        for (int k = 0; k < 5; k++) {
            a.sum[k] = sum_tenths(r, i, 6 + k);
            a.sum_measured[k] = sum_tenths(r, i, 11 + k);
        }
        all.employees += a.employees;
        all.measured += a.measured;
        all.coverage_education += a.coverage_education;
        all.coverage_skp += a.coverage_skp;
        for (int k = 0; k < 5; k++) {
            all.sum[k] += a.sum[k];
            all.sum_measured[k] += a.sum_measured[k];
        }
        /* Employees without an OPD count for the instansi only. */
        if (!*PQgetvalue(r, i, 0))
            continue;
        aggregate_finish(&a, &idx->rules);
        opds[n_opd].opd_id = xstrdup(PQgetvalue(r, i, 0));
        opds[n_opd].opd_name = PQgetisnull(r, i, 1) ? NULL : xstrdup(PQgetvalue(r, i, 1));
        opds[n_opd].a = a;
        n_opd++;
    }
    PQclear(r);
    aggregate_finish(&all, &idx->rules);
    qsort(opds, n_opd, sizeof(*opds), cmp_opd_total);
    for (size_t i = 0; i < n_opd; i++)
        opds[i].rank = i && opds[i].a.total == opds[i - 1].a.total ? opds[i - 1].rank : (int)i + 1;

    /* index.previous is the value before the configured period only. */
    if (idx->previous > 0 && period == config_period(idx)) {
        previous = (int)(idx->previous * 100 + 0.5);
    } else {
        if (!(r = query(st,
                        "SELECT (total * 100)::int FROM ipasn.instansi_score"
                        " WHERE instansi_id = $1 AND period = $2",
                        2, pp, &rc, err)))
            goto out;
        if (PQntuples(r) == 1)
            previous = (int)val_int(r, 0, 0);
        PQclear(r);
    }

    if ((rc = exec(st, "BEGIN", 0, NULL, err)) < 0)
        goto out;
    if ((rc = exec(st, "DELETE FROM ipasn.opd_score WHERE instansi_id = $1 AND period = $2;", 2, p,
                   err)) < 0)
        goto fail;
    for (size_t i = 0; i < n_opd; i++) {
        const struct aggregate *a = &opds[i].a;

        cp_str(&b, instansi_id);
        cp_int(&b, period);
        cp_str(&b, opds[i].opd_id);
        cp_str(&b, opds[i].opd_name);
        cp_int(&b, (int64_t)a->employees);
        cp_int(&b, (int64_t)a->measured);
        cp_hundredths(&b, a->qualification);
        cp_hundredths(&b, a->competency);
        cp_hundredths(&b, a->performance);
        cp_hundredths(&b, a->discipline);
        cp_hundredths(&b, a->total);
        cp_str(&b, category_name(a->category));
        cp_int(&b, opds[i].rank);
        cp_hundredths(&b, target);
        cp_int(&b, (int64_t)a->coverage_education);
        cp_int(&b, (int64_t)a->coverage_skp);
        cp_end(&b);
    }
    if ((rc = copy_in(st,
                      "COPY ipasn.opd_score (instansi_id, period, opd_id, opd_name, employees,"
                      " measured, qualification, competency, performance, discipline, total,"
                      " category, rank, target, coverage_education, coverage_skp) FROM STDIN",
                      false, &b, err)) < 0)
        goto fail;
    if ((rc = exec(st, "DELETE FROM ipasn.instansi_score WHERE instansi_id = $1 AND period = $2", 2,
                   p, err)) < 0)
        goto fail;
    if (all.employees) {
        b.len = 0;
        cp_str(&b, instansi_id);
        cp_int(&b, period);
        cp_int(&b, (int64_t)all.employees);
        cp_int(&b, (int64_t)all.measured);
        cp_hundredths(&b, all.qualification);
        cp_hundredths(&b, all.competency);
        cp_hundredths(&b, all.performance);
        cp_hundredths(&b, all.discipline);
        cp_hundredths(&b, all.total);
        cp_str(&b, category_name(all.category));
        cp_hundredths(&b, target);
        if (previous >= 0)
            cp_hundredths(&b, previous);
        else
            cp_str(&b, NULL);
        cp_int(&b, (int64_t)all.coverage_education);
        cp_int(&b, (int64_t)all.coverage_skp);
        cp_end(&b);
        if ((rc = copy_in(st,
                          "COPY ipasn.instansi_score (instansi_id, period, employees, measured,"
                          " qualification, competency, performance, discipline, total, category,"
                          " target, previous_total, coverage_education, coverage_skp) FROM STDIN",
                          false, &b, err)) < 0)
            goto fail;
    }
    if ((rc = exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    goto out;
fail:
    rollback(st);
out:
    for (size_t i = 0; i < n_opd; i++) {
        free(opds[i].opd_id);
        free(opds[i].opd_name);
    }
    free(opds);
    strbuf_free(&b);
    return rc;
}

int store_aggregates_current(struct store *st, const char *instansi_id,
                             const struct config_index *idx, int period, bool *current,
                             struct error *err)
{
    struct num np, nt, npv;
    bool with_previous = idx->previous > 0 && period == config_period(idx);
    const char *p[] = {instansi_id, num(&np, period), num(&nt, (int64_t)(idx->target * 100 + 0.5)),
                       with_previous ? num(&npv, (int64_t)(idx->previous * 100 + 0.5)) : NULL};
    int rc = 0;
    PGresult *r = query(st,
                        "SELECT count(*) FROM ipasn.instansi_score a WHERE instansi_id = $1"
                        " AND period = $2 AND (target * 100)::bigint = $3"
                        " AND ($4::bigint IS NULL OR (previous_total * 100)::bigint = $4)"
                        /* no run since the refresh changed a score, failed ones included */
                        " AND NOT EXISTS (SELECT 1 FROM ipasn.sync_run r"
                        "  WHERE r.started_at >= a.refreshed_at"
                        "  AND (r.inserted + r.updated + r.deactivated > 0"
                        "   OR r.mode = 'recompute'))",
                        4, p, &rc, err);

    if (!r)
        return rc;
    *current = val_int(r, 0, 0) == 1;
    PQclear(r);
    return 0;
}

/* ---- recompute ------------------------------------------------------------- */

/* ANALYZE a table whose statistics lag far behind its content (right after
 * a first load, before autovacuum came by): the keyset scans below would
 * otherwise sort the whole rest of the table for every batch. */
static int analyze_if_stale(struct store *st, const char *table, struct error *err)
{
    const char *p[] = {table};
    int rc = 0;
    PGresult *r = query(st,
                        "SELECT n_mod_since_analyze > greatest(1000, n_live_tup / 10)"
                        " FROM pg_stat_user_tables WHERE schemaname = 'ipasn' AND relname = $1",
                        1, p, &rc, err);
    bool stale;
    char sql[96];

    if (!r)
        return rc;
    stale = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!stale)
        return 0;
    snprintf(sql, sizeof(sql), "ANALYZE ipasn.%s", table);
    return exec(st, sql, 0, NULL, err);
}

int store_scan_raw(struct store *st, const char *instansi_id, size_t batch, store_raw_fn fn,
                   void *ctx, struct error *err)
{
    static const char *const tables[] = {"employee", "employee_score", "issue"};
    const char **nip = xcalloc(batch, sizeof(*nip)), **text = xcalloc(batch, sizeof(*text));
    size_t *len = xcalloc(batch, sizeof(*len));
    char *last = xstrdup("");
    struct num nb;
    int rc = 0;

    for (size_t i = 0; i < ARRAY_SIZE(tables) && rc == 0; i++)
        rc = analyze_if_stale(st, tables[i], err);

    while (rc == 0) {
        const char *p[] = {instansi_id, last, num(&nb, (int64_t)batch)};
        PGresult *r = query(st,
                            "SELECT nip, raw FROM ipasn.employee WHERE instansi_id = $1"
                            " AND active AND nip > $2 ORDER BY nip LIMIT $3",
                            3, p, &rc, err);
        size_t nt;

        if (!r)
            break;
        nt = (size_t)PQntuples(r);
        if (nt > batch) /* never, with the LIMIT; the arrays hold batch */
            nt = batch;
        for (size_t i = 0; i < nt; i++) {
            nip[i] = PQgetvalue(r, (int)i, 0);
            text[i] = PQgetvalue(r, (int)i, 1);
            len[i] = (size_t)PQgetlength(r, (int)i, 1);
        }
        if (nt > 0) {
            free(last);
            last = xstrdup(nip[nt - 1]);
            rc = fn(ctx, nip, text, len, nt);
        }
        PQclear(r);
        if (nt < batch)
            break;
    }
    free(last);
    free(nip);
    free(text);
    free(len);
    return rc;
}
