/* What the store's own files share, and nobody else may use: the
 * connection, the statement helpers, and the mirrors of the tables that
 * store_rows.c keeps. store.c holds the connection, the sync state, the
 * runs and the migrations; store_page.c the page transaction;
 * store_aggregate.c the sums and aggregates; pgcopy.c the COPY encoders. */
#ifndef IPASND_STORE_INT_H
#define IPASND_STORE_INT_H

#include <libpq-fe.h>

#include "aggregate.h"
#include "pgcopy.h"
#include "store.h"

struct store {
    PGconn *conn;
    char *conninfo;
    bool staging; /* the temporary staging tables exist on this connection */
    bool locked;  /* the source's advisory lock is held */
    char *lock_instansi, *lock_source;
};

/* ---- statements -------------------------------------------------------- */

/* err = "what: libpq's message", on one line, control characters dropped. */
void store_pg_error(struct error *err, const char *what, const char *msg);
/* STORE_ERR_CONN when the connection is gone or going, else STORE_ERR. */
int store_fail_code(PGconn *conn, const PGresult *r);
/* Runs one statement with text parameters; the result when its status is
 * want, else NULL with err and *rc the store code. */
PGresult *store_run(struct store *st, const char *sql, int n, const char *const *params,
                    ExecStatusType want, int *rc, struct error *err);
void store_rollback(struct store *st);
int store_begin(struct store *st, struct error *err);
int store_commit(struct store *st, struct error *err);

/* Numbers as text parameters. */
struct num {
    char s[24];
};
const char *num(struct num *n, int64_t v);

/* The rows of a page's NIPs are read NIP by NIP, "FROM unnest(nips) u
 * CROSS JOIN LATERAL (SELECT ... WHERE nip = u.nip OFFSET 0)": an index
 * lookup each, whatever the statistics. With "nip = ANY (nips)" or a join,
 * a table never analyzed (right after a first load, before autovacuum came
 * by) takes instansi_id = $1 for a rare value and reads every row of the
 * instansi instead. OFFSET 0 keeps the subquery from being flattened into
 * a join the planner may reorder. */
#define SQL_ONE_BY_ONE " OFFSET 0"

/* ---- the tables' mirrors (store_rows.c) ---------------------------------- */

/* The history tables, each written by one COPY. */
enum history {
    H_EDU,
    H_LEAD,
    H_COURSE,
    H_SKP,
    H_SKP22,
    H_SANCTION,
    H_IPASN,
    H_COUNT
};

/* The statements the column tables give, built once. staged: into the
 * page's temporary staging table instead of the table itself. */
const char *rows_employee_copy(bool staged);
const char *rows_employee_upsert(void); /* staged employees into ipasn.employee */
const char *rows_history_copy(enum history h);
const char *rows_history_delete(enum history h); /* $1 instansi, $2 the NIPs */
const char *rows_score_copy(bool staged);
const char *rows_score_upsert(void); /* staged scores, rows whose content changed */
const char *rows_issue_copy(void);
const char *rows_opd_score_copy(void);
const char *rows_instansi_score_copy(void);
const char *rows_sums_select(void);  /* $1 instansi, $2 period */
const char *rows_sums_rebuild(void); /* $1 instansi, $2 period */
const char *rows_sums_delta(void);   /* $3 the NIPs, $4 the sign */

/* Bumped whenever rows_histories encodes a history otherwise: rows stored
 * the old way then hash differently and are replaced, never kept. */
#define HISTORY_ROWS_VERSION 2

/* An employee's row (binary), its history hashes beside it. */
void rows_employee(struct strbuf *b, const char *instansi_id, const struct employee *e,
                   const uint64_t *hist_hash);
/* The rows of each of e's histories, appended to h[H_COUNT] (binary). */
void rows_histories(struct strbuf *h, const char *instansi_id, const struct employee *e);
/* A score row (text). */
void rows_score(struct strbuf *b, const char *instansi_id, const struct employee *e,
                const struct score *s);
/* An issue row (text). */
void rows_issue(struct strbuf *b, const char *instansi_id, const char *nip, const char *code,
                const char *field, const char *severity, const char *detail);

/* An aggregate as opd_score and instansi_score hold it. */
struct aggregate_row {
    const char *instansi_id;
    int period;
    const char *opd_id, *opd_name; /* opd_score */
    int rank;                      /* opd_score */
    int target;                    /* hundredths */
    int previous;                  /* instansi_score: hundredths, -1 none */
    const struct aggregate *a;
};
void rows_opd_score(struct strbuf *b, const struct aggregate_row *r);
void rows_instansi_score(struct strbuf *b, const struct aggregate_row *r);

/* The views of the stable public interface, with their columns: what a
 * reporting role may read (database.reader_role), and what the schema must
 * hold. */
#define PUBLIC_VIEWS                                                                               \
    "v_employee_score", "v_opd_score", "v_instansi_score", "v_open_issue", "v_employee_gap",       \
        "v_opd_gain", "v_score_trend", "v_official_diff"
#define PUBLIC_VIEW_COLUMNS                                                                        \
    "v_employee_score nip name opd_id opd_name period qualification competency performance"        \
    " discipline total category",                                                                  \
        "v_opd_score period opd_id opd_name employees qualification competency performance"        \
        " discipline total category rank target below_target",                                     \
        "v_instansi_score period employees total category target previous_total",                  \
        "v_open_issue nip opd_id code severity field detail first_seen last_seen",                 \
        "v_employee_gap nip name opd_id opd_name period total category gaps has_education"         \
        " has_skp has_competency_data instansi_id gap_leadership gap_functional"                   \
        " gap_technical_20jp gap_seminar gap_skp_missing gap_skp_predikat gap_education",          \
        "v_opd_gain period opd_id opd_name employees total instansi_id gain_leadership"            \
        " total_if_leadership gain_technical_20jp total_if_technical_20jp gain_skp_missing"        \
        " total_if_skp_missing",                                                                   \
        "v_score_trend day period opd_id opd_name employees qualification competency performance"  \
        " discipline total",                                                                       \
        "v_official_diff nip opd_id period source dimension ipasnd official difference"            \
        " instansi_id"
extern const char *const rows_public_views[]; /* NULL-terminated */

/* Calls fn for every column of every relation ipasnd reads or writes. */
typedef void (*rows_expect_fn)(void *ud, const char *relation, const char *column);
void rows_expected(rows_expect_fn fn, void *ud);

/* The sums of one OPD ('' for none) as rows_sums_select gives them; its
 * key and name are the first two columns. */
void rows_sums_read(const PGresult *r, int row, struct aggregate *a);

/* ---- the running sums (store_aggregate.c) ------------------------------------ */

/* Takes away (sign -1) or adds (+1) what the employees in nips (a text[]
 * literal) give the running sums of period. */
int store_sums_delta(struct store *st, const char *instansi_id, int period, const char *nips,
                     int sign, struct error *err);

#endif
