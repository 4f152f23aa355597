#include "autoconfig.h"

#include "model.h"
#include "store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schema's migrations take this advisory lock while they run. */
#define MIGRATION_LOCK 0x69706173 /* "ipas" */

/* ---- statements ------------------------------------------------------------ */

void store_pg_error(struct error *err, const char *what, const char *msg)
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

/* libpq's status lags behind a server that announced its shutdown
 * (SQLSTATE 57P0x) or a broken connection (class 08). */
int store_fail_code(PGconn *conn, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

    if (PQstatus(conn) != CONNECTION_OK)
        return STORE_ERR_CONN;
    if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))
        return STORE_ERR_CONN;
    if (state && strcmp(state, "42501") == 0) /* insufficient_privilege */
        return STORE_ERR_DENIED;
    return STORE_ERR;
}

PGresult *store_run(struct store *st, const char *sql, int n, const char *const *params,
                    ExecStatusType want, int *rc, struct error *err)
{
    PGresult *r =
        n ? PQexecParams(st->conn, sql, n, NULL, params, NULL, NULL, 0) : PQexec(st->conn, sql);

    if (r && PQresultStatus(r) == want)
        return r;
    store_pg_error(err, "PostgreSQL", r ? PQresultErrorMessage(r) : PQerrorMessage(st->conn));
    *rc = store_fail_code(st->conn, r);
    PQclear(r);
    return NULL;
}

int store_exec(struct store *st, const char *sql, int n, const char *const *params,
               struct error *err)
{
    int rc = 0;

    PQclear(store_run(st, sql, n, params, PGRES_COMMAND_OK, &rc, err));
    return rc;
}

PGresult *store_query(struct store *st, const char *sql, int n, const char *const *params, int *rc,
                      struct error *err)
{
    return store_run(st, sql, n, params, PGRES_TUPLES_OK, rc, err);
}

long long store_col_int(const PGresult *r, int row, int col)
{
    int64_t v = 0;

    if (PQgetisnull(r, row, col) ||
        parse_int64(PQgetvalue(r, row, col), INT64_MIN, INT64_MAX, &v) < 0)
        return 0;
    return (long long)v;
}

char *store_col_dup(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : xstrdup(PQgetvalue(r, row, col));
}

void store_col_copy(char *dst, size_t size, const PGresult *r, int row, int col)
{
    snprintf(dst, size, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

bool store_col_true(const PGresult *r, int row, int col)
{
    return strcmp(PQgetvalue(r, row, col), "t") == 0;
}

const char *num(struct num *n, int64_t v)
{
    snprintf(n->s, sizeof(n->s), "%" PRId64, v);
    return n->s;
}

void store_rollback(struct store *st)
{
    if (PQstatus(st->conn) == CONNECTION_OK && PQtransactionStatus(st->conn) != PQTRANS_IDLE)
        PQclear(PQexec(st->conn, "ROLLBACK"));
}

int store_begin(struct store *st, struct error *err)
{
    return store_exec(st, "BEGIN", 0, NULL, err);
}

int store_commit(struct store *st, struct error *err)
{
    return store_exec(st, "COMMIT", 0, NULL, err);
}

int store_snapshot_begin(struct store *st, struct error *err)
{
    return store_exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, err);
}

void store_snapshot_end(struct store *st)
{
    store_rollback(st); /* nothing was written */
}

/* ---- the connection ------------------------------------------------------- */

/* Server notices ("already exists, skipping") are not for the admin. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* libpq may quote the connection string in its messages: the password in
 * it never reaches a message. */
static void redact_conninfo(char *msg, const char *conninfo)
{
    PQconninfoOption *o = PQconninfoParse(conninfo, NULL);

    text_redact(msg, conninfo);
    for (PQconninfoOption *p = o; p && p->keyword; p++)
        if (strcmp(p->keyword, "password") == 0 && p->val)
            text_redact(msg, p->val);
    PQconninfoFree(o);
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
        store_pg_error(err, "cannot connect to PostgreSQL", PQerrorMessage(c));
        redact_conninfo(err->msg, conninfo);
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, ignore_notice, NULL);
    /* A server working for a client that died (kill -9) stops within a
     * second instead of holding its locks to the end of its statement. */
    PQclear(PQexec(c, "SET client_connection_check_interval = 1000"));
    return c;
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
    free(st);
}

bool store_connected(const struct store *st)
{
    return st && st->conn && PQstatus(st->conn) == CONNECTION_OK;
}

static int take_lock(struct store *st, const char *instansi_id, const char *source, bool *got,
                     struct error *err)
{
    const char *p[] = {instansi_id, source};
    int rc = 0;
    PGresult *r = store_query(st, "SELECT pg_try_advisory_lock(" LOCK_KEY ")", 2, p, &rc, err);

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

/* ---- cancelling from a signal handler ---------------------------------------- */

struct store_cancel *store_cancel_new(struct store *st)
{
    return store_connected(st) ? (struct store_cancel *)PQgetCancel(st->conn) : NULL;
}

void store_cancel_free(struct store_cancel *c)
{
    PQfreeCancel((PGcancel *)c);
}

void store_cancel_send(struct store_cancel *c)
{
    char buf[64];

    if (c)
        (void)PQcancel((PGcancel *)c, buf, sizeof(buf)); /* a stop does not wait for its answer */
}

/* ---- migrations -------------------------------------------------------- */

int store_schema_version(struct store *st, int *version, struct error *err)
{
    int rc = 0;
    PGresult *r = store_query(st, "SELECT to_regclass('ipasn.schema_migration') IS NOT NULL", 0,
                              NULL, &rc, err);
    bool exists;

    if (!r)
        return rc;
    exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    *version = 0;
    if (!exists)
        return 0;
    if (!(r = store_query(st, "SELECT coalesce(max(version), 0) FROM ipasn.schema_migration", 0,
                          NULL, &rc, err)))
        return rc;
    *version = (int)store_col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

/* The newest schema this binary knows. */
static int latest_version(void)
{
    int v = 0;

    for (size_t i = 0; i < store_n_migrations; i++)
        if (store_migrations[i].version > v)
            v = store_migrations[i].version;
    return v;
}

static int newer_schema(int version, struct error *err)
{
    error_set(err,
              "the database schema is at version %d, newer than this ipasnd knows (%d): "
              "upgrade ipasnd, or point database.conninfo at its own database",
              version, latest_version());
    return STORE_ERR_SCHEMA;
}

int store_require_schema(struct store *st, int want, struct error *err)
{
    int version = 0, rc = store_schema_version(st, &version, err);

    if (rc < 0)
        return rc;
    if (version > latest_version())
        return newer_schema(version, err);
    if (version < want) {
        error_set(err,
                  "the database schema is at version %d, this command needs %d: "
                  "run 'ipasnd migrate'",
                  version, want);
        return STORE_ERR; /* a migration, which the daemon applies itself, cures it */
    }
    return 0;
}

/* What the schema check has found missing so far. */
struct missing {
    const PGresult *have; /* table_name, column_name, sorted */
    struct strbuf list;
    int n;
};

static int cmp_have(const PGresult *r, int row, const char *rel, const char *col)
{
    int c = strcmp(PQgetvalue(r, row, 0), rel);

    return c ? c : strcmp(PQgetvalue(r, row, 1), col);
}

static void expect_column(void *ud, const char *rel, const char *col)
{
    struct missing *m = ud;
    int lo = 0, hi = PQntuples(m->have);

    while (lo < hi) {
        int mid = (lo + hi) / 2, c = cmp_have(m->have, mid, rel, col);

        if (c == 0)
            return;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (m->n++ < 6)
        strbuf_append(&m->list, "%sipasn.%s.%s", m->n > 1 ? ", " : "", rel, col);
}

int store_check_schema(struct store *st, struct error *err)
{
    struct missing m = {0};
    int rc = 0, version = 0;
    PGresult *r;

    if ((rc = store_schema_version(st, &version, err)) < 0)
        return rc;
    if (version > latest_version())
        return newer_schema(version, err);
    if (version < latest_version()) {
        error_set(
            err, "the database schema is at version %d, this ipasnd needs %d: run 'ipasnd migrate'",
            version, latest_version());
        return STORE_ERR_SCHEMA;
    }
    if (!(r = store_query(
              st,
              "SELECT table_name::text, column_name::text FROM information_schema.columns"
              " WHERE table_schema = 'ipasn'"
              " ORDER BY table_name::text COLLATE \"C\", column_name::text COLLATE \"C\"",
              0, NULL, &rc, err)))
        return rc;
    m.have = r;
    rows_expected(expect_column, &m);
    PQclear(r);
    if (m.n) {
        error_set(err, "the schema at version %d lacks %d column%s ipasnd needs (%s%s)", version,
                  m.n, m.n == 1 ? "" : "s", m.list.s, m.n > 6 ? ", ..." : "");
        rc = STORE_ERR_SCHEMA;
    }
    strbuf_free(&m.list);
    return rc;
}

/* The step of version 5 that needs ipasnd's own field lists: what is
 * already stored is cut to what ipasnd keeps now (005_personal_data.sql). */
static int keep_stored_contract(struct store *st, struct error *err)
{
    struct strbuf top = {0}, nested = {0}, personal = {0};
    const char *p[3];
    int rc;

    contract_literals(&top, &nested);
    contract_personal_literal(&personal);
    p[0] = top.s;
    p[1] = nested.s;
    p[2] = personal.s;
    rc = store_exec(st,
                    "UPDATE ipasn.employee"
                    " SET raw = ipasn.keep_contract(ipasn.try_jsonb(raw), $1, $2)::text"
                    " WHERE jsonb_typeof(ipasn.try_jsonb(raw)) = 'object'",
                    2, p, err);
    if (rc >= 0)
        rc = store_exec(
            st,
            "UPDATE ipasn.quarantine q SET raw ="
            " (ipasn.keep_contract(x.v, $1, $2) || CASE"
            "   WHEN length(((x.v - $1::text[]) - $3::text[])::text) <= 4096"
            "   THEN (x.v - $1::text[]) - $3::text[] ELSE '{}'::jsonb END)::text"
            " FROM (SELECT instansi_id, id, ipasn.try_jsonb(raw) v FROM ipasn.quarantine) x"
            " WHERE q.instansi_id = x.instansi_id AND q.id = x.id"
            "  AND jsonb_typeof(x.v) = 'object'",
            3, p, err);
    strbuf_free(&top);
    strbuf_free(&nested);
    strbuf_free(&personal);
    return rc < 0 ? rc : 0;
}

int store_migrate(struct store *st, int *applied, struct error *err)
{
    int rc = 0, version = 0;
    struct num lock;
    const char *lp[] = {num(&lock, MIGRATION_LOCK)};
    PGresult *r;

    *applied = 0;
    if ((rc = store_exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    if (!(r = store_query(st, "SELECT pg_advisory_xact_lock($1::bigint)", 1, lp, &rc, err)))
        goto fail;
    PQclear(r);
    if ((rc = store_exec(st,
                         "CREATE SCHEMA IF NOT EXISTS ipasn; "
                         "CREATE TABLE IF NOT EXISTS ipasn.schema_migration ("
                         " version integer PRIMARY KEY, name text NOT NULL,"
                         " applied_at timestamptz NOT NULL DEFAULT now())",
                         0, NULL, err)) < 0)
        goto fail;
    if ((rc = store_schema_version(st, &version, err)) < 0)
        goto fail;
    if (version > latest_version()) {
        rc = newer_schema(version, err);
        goto fail;
    }
    for (size_t i = 0; i < store_n_migrations; i++) {
        const struct migration *m = &store_migrations[i];
        char v[16];
        const char *p[2];

        if (m->version <= version)
            continue;
        if ((rc = store_exec(st, m->sql, 0, NULL, err)) < 0) {
            char msg[200];

            snprintf(msg, sizeof(msg), "%.190s", err->msg);
            error_set(err, "migration %s: %s", m->name, msg);
            goto fail;
        }
        if (m->version == 5 && (rc = keep_stored_contract(st, err)) < 0)
            goto fail;
        snprintf(v, sizeof(v), "%d", m->version);
        p[0] = v;
        p[1] = m->name;
        if ((rc = store_exec(st,
                             "INSERT INTO ipasn.schema_migration (version, name) VALUES ($1, $2)",
                             2, p, err)) < 0)
            goto fail;
        (*applied)++;
    }
    if ((rc = store_exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    return 0;
fail:
    store_rollback(st);
    *applied = 0;
    return rc;
}

/* One bounded deletion; *n the rows it touched. */
static int retain_one(struct store *st, const char *sql, const char *inst, int64_t keep, int batch,
                      int *n, struct error *err)
{
    struct num k, b;
    const char *p[] = {inst, num(&k, keep), num(&b, batch)};
    int rc = 0;
    PGresult *r;

    *n = 0;
    if (!keep)
        return 0;
    if (!(r = store_query(st, sql, 3, p, &rc, err)))
        return rc;
    *n = (int)store_col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

/* The record and histories of employees inactive for keep, batch of them
 * at most, in one transaction; their history rows go with the statements a
 * changed employee's histories take (store_rows.c). BKN's values stay. */
static int retain_departed(struct store *st, const char *inst, int64_t keep, int batch, int *n,
                           struct error *err)
{
    struct num k, b;
    const char *p[] = {inst, num(&k, keep), num(&b, batch)};
    const char *hp[] = {inst, NULL};
    int rc = 0;
    PGresult *r;

    *n = 0;
    if (!keep)
        return 0;
    if ((rc = store_exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    if (!(r = store_query(st,
                          "WITH d AS (SELECT nip FROM ipasn.employee WHERE instansi_id = $1"
                          "  AND NOT active AND raw <> '{}'"
                          "  AND changed_at < now() - make_interval(secs => $2::bigint)"
                          "  ORDER BY changed_at LIMIT $3 FOR UPDATE),"
                          " g AS (UPDATE ipasn.employee e SET raw = '{}', birth_date = NULL,"
                          "  content_hash = 0, history_hash = NULL"
                          "  FROM d WHERE e.instansi_id = $1 AND e.nip = d.nip RETURNING e.nip)"
                          " SELECT count(*), coalesce(array_agg(nip), '{}')::text FROM g",
                          3, p, &rc, err)))
        goto fail;
    *n = (int)store_col_int(r, 0, 0);
    hp[1] = PQgetvalue(r, 0, 1);
    for (int h = 0; h < H_COUNT && rc >= 0 && *n; h++)
        if (h != H_IPASN)
            rc = store_exec(st, rows_history_delete(h), 2, hp, err);
    PQclear(r);
    if (rc < 0 || (rc = store_exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    return 0;
fail:
    store_rollback(st);
    *n = 0;
    return rc;
}

int store_retain(struct store *st, const char *instansi_id, const struct store_keep *keep,
                 int batch, struct store_retained *out, struct error *err)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = retain_one(st,
                         "WITH g AS (DELETE FROM ipasn.quarantine WHERE (instansi_id, id) IN"
                         " (SELECT instansi_id, id FROM ipasn.quarantine WHERE instansi_id = $1"
                         "  AND last_seen < now() - make_interval(secs => $2::bigint)"
                         "  ORDER BY last_seen LIMIT $3) RETURNING 1)"
                         " SELECT count(*) FROM g",
                         instansi_id, keep->quarantine, batch, &out->quarantine, err)) < 0)
        return rc;
    if ((rc = retain_one(st,
                         "WITH g AS (DELETE FROM ipasn.sync_run WHERE id IN"
                         " (SELECT id FROM ipasn.sync_run WHERE $1::text IS NOT NULL"
                         "  AND status <> 'running'"
                         "  AND started_at < now() - make_interval(secs => $2::bigint)"
                         "  ORDER BY started_at LIMIT $3) RETURNING 1)"
                         " SELECT count(*) FROM g",
                         instansi_id, keep->runs, batch, &out->runs, err)) < 0)
        return rc;
    return retain_departed(st, instansi_id, keep->departed, batch, &out->departed, err);
}

int store_exit_code(int rc)
{
    return rc == STORE_ERR_SCHEMA || rc == STORE_ERR_DENIED ? EXIT_CONFIG : EXIT_TEMPFAIL;
}

int store_prepare(struct store *st, const char *reader_role, int *applied, struct error *err)
{
    int rc;

    if ((rc = store_migrate(st, applied, err)) < 0 || (rc = store_check_schema(st, err)) < 0)
        return rc;
    if (reader_role && *reader_role)
        rc = store_grant_reader(st, reader_role, err);
    return rc;
}

int store_grant_reader(struct store *st, const char *role, struct error *err)
{
    const char *p[] = {role};
    char *id = PQescapeIdentifier(st->conn, role, strlen(role));
    struct strbuf sql = {0};
    int rc = 0;
    PGresult *r;

    if (!id) {
        store_pg_error(err, "database.reader_role", PQerrorMessage(st->conn));
        return STORE_ERR;
    }
    if (!(r = store_query(st, "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, p, &rc, err)))
        goto out;
    if (PQntuples(r) != 1) {
        error_set(err,
                  "database.reader_role: there is no role %s; create it first "
                  "(CREATE ROLE %s NOLOGIN)",
                  id, id);
        rc = STORE_ERR_SCHEMA;
    }
    PQclear(r);
    if (rc < 0)
        goto out;
    /* Whatever it held before, it reads the public views and nothing else. */
    strbuf_append(&sql,
                  "BEGIN; REVOKE ALL ON ALL TABLES IN SCHEMA ipasn FROM %s;"
                  " REVOKE ALL ON ALL SEQUENCES IN SCHEMA ipasn FROM %s;"
                  " GRANT USAGE ON SCHEMA ipasn TO %s;",
                  id, id, id);
    for (const char *const *v = rows_public_views; *v; v++)
        strbuf_append(&sql, " GRANT SELECT ON ipasn.%s TO %s;", *v, id);
    strbuf_append(&sql, " COMMIT");
    if ((rc = store_exec(st, sql.s, 0, NULL, err)) < 0)
        store_rollback(st);
out:
    strbuf_free(&sql);
    PQfreemem(id);
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
    PGresult *r =
        store_query(st,
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
        out->watermark = store_col_int(r, 0, 0);
        out->listing_id = store_col_int(r, 0, 1);
        snprintf(out->listing_mode, sizeof(out->listing_mode), "%s", PQgetvalue(r, 0, 2));
        out->listing_since = store_col_int(r, 0, 3);
        out->listing_server_time = store_col_int(r, 0, 4);
        out->cursor = PQgetisnull(r, 0, 5) ? NULL : xstrdup(PQgetvalue(r, 0, 5));
        out->pages = (int)store_col_int(r, 0, 6);
        out->last_full_at = store_col_int(r, 0, 7);
        out->period = (int)store_col_int(r, 0, 8);
        out->rules_hash = (uint64_t)store_col_int(r, 0, 9);
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

    if ((rc = store_exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    /* The seen-set of an abandoned listing is of no further use. */
    if (state->listing_id &&
        (rc = store_exec(
             st, "DELETE FROM ipasn.listing_seen WHERE instansi_id = $1 AND listing_id = $2", 2, d,
             err)) < 0)
        goto fail;
    r = store_query(
        st,
        "INSERT INTO ipasn.sync_state (instansi_id, source, listing_id, listing_mode,"
        " listing_since, listing_fresh, listing_started_at)"
        " VALUES ($1, $2, nextval('ipasn.listing_seq'), $3, to_timestamp($4::bigint),"
        " NOT EXISTS (SELECT 1 FROM ipasn.employee WHERE instansi_id = $1), now())"
        " ON CONFLICT (instansi_id, source) DO UPDATE SET"
        " listing_id = EXCLUDED.listing_id, listing_mode = EXCLUDED.listing_mode,"
        " listing_since = EXCLUDED.listing_since, listing_fresh = EXCLUDED.listing_fresh,"
        " listing_started_at = now(),"
        " listing_server_time = NULL, cursor = NULL, pages = 0, updated_at = now()"
        " RETURNING listing_id, listing_fresh",
        4, p, &rc, err);
    if (!r)
        goto fail;
    state->listing_id = store_col_int(r, 0, 0);
    state->listing_fresh = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if ((rc = store_exec(st, "COMMIT", 0, NULL, err)) < 0)
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
    store_rollback(st);
    return rc;
}

int store_set_rules(struct store *st, const char *instansi_id, const char *source, int period,
                    uint64_t rules_hash, struct error *err)
{
    struct num np, nh;
    const char *p[] = {instansi_id, source, num(&np, period), num(&nh, (int64_t)rules_hash)};

    return store_exec(
        st,
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

    if ((rc = store_exec(st, "BEGIN", 0, NULL, err)) < 0)
        return rc;
    if ((rc = store_exec(st,
                         "UPDATE ipasn.sync_run SET status = 'interrupted', finished_at = now(),"
                         " error = 'the process ended before the cycle finished'"
                         " WHERE status = 'running' AND id = (SELECT run_id FROM ipasn.sync_state"
                         " WHERE instansi_id = $1 AND source = $2)",
                         2, p, err)) < 0)
        goto fail;
    if (!(r = store_query(st,
                          "INSERT INTO ipasn.sync_run (mode, status) VALUES ($1, 'running')"
                          " RETURNING id",
                          1, q, &rc, err)))
        goto fail;
    *run_id = store_col_int(r, 0, 0);
    PQclear(r);
    s[2] = num(&nr, *run_id);
    if ((rc = store_exec(
             st,
             "INSERT INTO ipasn.sync_state (instansi_id, source, run_id) VALUES ($1, $2, $3)"
             " ON CONFLICT (instansi_id, source) DO UPDATE SET run_id = EXCLUDED.run_id",
             3, s, err)) < 0)
        goto fail;
    if ((rc = store_exec(st, "COMMIT", 0, NULL, err)) < 0)
        goto fail;
    return 0;
fail:
    store_rollback(st);
    return rc;
}

int store_run_finish(struct store *st, int64_t run_id, const char *status, const char *error,
                     struct error *err)
{
    struct num n;
    const char *p[] = {num(&n, run_id), status, error};

    return store_exec(st,
                      "UPDATE ipasn.sync_run SET finished_at = now(), status = $2, error = $3"
                      " WHERE id = $1",
                      3, p, err);
}

/* ---- the stored records, for a recompute
 * ------------------------------------------------------------- */

/* ANALYZE a table whose statistics lag far behind its content (right after
 * a first load, before autovacuum came by): the keyset scans below would
 * otherwise sort the whole rest of the table for every batch. */
static int analyze_if_stale(struct store *st, const char *table, struct error *err)
{
    const char *p[] = {table};
    int rc = 0;
    PGresult *r =
        store_query(st,
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
    return store_exec(st, sql, 0, NULL, err);
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
        PGresult *r = store_query(st,
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
