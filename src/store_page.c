/* One page, one transaction: its employees and their histories, their
 * scores, the running sums they change, their data-quality issues, the
 * records that broke the contract, and where the listing goes next are
 * written together or not at all. write_page_once reads as its phases:
 * begin, classify, histories, sums, scores, issues, quarantine, cursor,
 * commit; any failure takes the one way out, a rollback. */
#include "autoconfig.h"

#include "store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum row_state {
    ROW_SKIP = 0,
    ROW_NEW,
    ROW_CHANGED,
    ROW_UNCHANGED,
    ROW_TOMBSTONE
};

/* One per NIP of the page. */
struct row {
    size_t idx; /* in page->employees */
    enum row_state state;
    bool duplicate; /* seen twice in this page or before in this listing */
    bool found;     /* stored before this page */
    bool kept;      /* a later copy no newer than the stored one: not written */
    /* the hashes of the history rows, stored (when found and known) and
     * new; a changed employee replaces the histories whose hashes differ */
    bool stored_known;
    uint64_t stored_hash[H_COUNT], hist_hash[H_COUNT];
    unsigned replace; /* bit h: replace history h */
};

/* The page transaction under way. */
struct tx {
    struct store *st;
    const struct page_write *w;
    const struct page *pg;
    const char *inst;
    struct page_result *res;
    struct error *err;
    bool assume_new; /* a first load: its employees are taken for new */
    bool met_stored; /* ... and one of them was stored after all */
    struct row *rows;
    size_t n, known, tombstones;
    struct strbuf nips;     /* the page's NIPs, a text[] literal */
    struct strbuf affected; /* those whose part of the running sums changes */
    struct strbuf hist[H_COUNT];
};

#define DUPLICATE_DETAIL "the NIP appears more than once in one listing; the later record was kept"

/* ---- rows -------------------------------------------------------------------- */

static bool tombstone(const struct row *r)
{
    return r->state == ROW_TOMBSTONE;
}

static bool changes_sums(const struct row *r)
{
    return r->state == ROW_NEW || r->state == ROW_CHANGED ||
           (r->found && r->state == ROW_TOMBSTONE);
}

static bool found_tombstone(const struct row *r)
{
    return r->found && r->state == ROW_TOMBSTONE;
}

static const struct employee *row_employee(const struct tx *t, const struct row *r)
{
    return &t->pg->employees[r->idx];
}

/* NIPs are well formed (the decoder rejects anything else): they need no
 * quoting in a text[] literal. */
static void array_nip(struct strbuf *b, const char *nip)
{
    pg_array_sep(b);
    pg_array_plain(b, nip);
}

/* The NIPs of the rows keep() accepts (all, for NULL) as a text[] literal. */
static void nip_array(const struct tx *t, struct strbuf *out, bool (*keep)(const struct row *))
{
    out->len = 0;
    for (size_t i = 0; i < t->n; i++)
        if (!keep || keep(&t->rows[i]))
            array_nip(out, row_employee(t, &t->rows[i])->nip);
    pg_array_close(out);
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

static struct row *find_row(const struct tx *t, const char *nip)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(row_employee(t, &t->rows[mid])->nip, nip);

        if (c == 0)
            return &t->rows[mid];
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

/* The employee's rows of every history, appended to t->hist; the hash of
 * each history's rows in row->hist_hash. A changed employee whose stored
 * rows of a history hash the same keeps them: they leave t->hist again,
 * and only the others are marked for replacing. */
static void history_rows_of(struct tx *t, struct row *row)
{
    struct strbuf *h = t->hist;
    size_t mark[H_COUNT];

    for (int k = 0; k < H_COUNT; k++)
        mark[k] = h[k].len;
    rows_histories(h, t->inst, row_employee(t, row));
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

/* ---- events for the log after the commit ----------------------------------------- */

static struct issue_event *new_event(struct issue_event **v, size_t *n)
{
    struct issue_event *ev;

    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    ev = &(*v)[(*n)++];
    memset(ev, 0, sizeof(*ev));
    return ev;
}

static void fill_event(struct issue_event *ev, const char *nip, const char *opd_id,
                       const char *code, const char *field, const char *severity,
                       const char *detail)
{
    snprintf(ev->nip, sizeof(ev->nip), "%s", nip);
    snprintf(ev->opd_id, sizeof(ev->opd_id), "%s", opd_id ? opd_id : "");
    snprintf(ev->code, sizeof(ev->code), "%s", code);
    snprintf(ev->field, sizeof(ev->field), "%s", field);
    snprintf(ev->severity, sizeof(ev->severity), "%s", severity);
    snprintf(ev->detail, sizeof(ev->detail), "%s", detail);
}

/* The OPD of a NIP of the page, for an event; NULL when it has none. */
static const char *opd_of(const struct tx *t, const char *nip)
{
    const struct row *row = find_row(t, nip);

    return row ? row_employee(t, row)->opd_id : NULL;
}

/* Issues a statement resolved, from its RETURNING nip, code, field,
 * severity, detail. */
static void take_resolved(struct tx *t, const PGresult *r)
{
    for (int i = 0; i < PQntuples(r); i++)
        fill_event(new_event(&t->res->resolved, &t->res->n_resolved), PQgetvalue(r, i, 0),
                   opd_of(t, PQgetvalue(r, i, 0)), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                   PQgetvalue(r, i, 3), PQgetvalue(r, i, 4));
    t->res->issues_resolved += PQntuples(r);
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

/* ---- begin ------------------------------------------------------------------------ */

static int ensure_staging(struct store *st, struct error *err)
{
    int rc;

    if (st->staging)
        return 0;
    rc = store_exec(st,
                    /* INCLUDING COMPRESSION: raw is lz4 in the staging table too,
                     * not the server's default pglz at several times the cost */
                    "CREATE TEMP TABLE IF NOT EXISTS s_employee (LIKE ipasn.employee"
                    " INCLUDING DEFAULTS INCLUDING COMPRESSION) ON COMMIT DELETE ROWS;"
                    "CREATE TEMP TABLE IF NOT EXISTS s_score (LIKE ipasn.employee_score"
                    " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                    0, NULL, err);
    if (rc == 0)
        st->staging = true;
    return rc;
}

static int tx_begin(struct tx *t)
{
    int rc;

    if ((rc = ensure_staging(t->st, t->err)) < 0)
        return rc;
    t->rows = page_rows(t->pg, &t->n);
    if ((rc = store_begin(t->st, t->err)) < 0)
        return rc;
    nip_array(t, &t->nips, NULL);
    return 0;
}

/* ---- classify --------------------------------------------------------------------- */

/* A NIP already seen in this listing is a duplicate across pages. */
static int mark_seen(struct tx *t)
{
    struct num nl;
    const char *p[] = {t->inst, num(&nl, t->w->state->listing_id), t->nips.s};
    bool *fresh = xcalloc(t->n ? t->n : 1, sizeof(bool));
    int rc = 0;
    PGresult *r = store_query(t->st,
                              "INSERT INTO ipasn.listing_seen (instansi_id, listing_id, nip)"
                              " SELECT $1, $2, u.nip FROM unnest($3::text[]) u (nip)"
                              " WHERE NOT EXISTS (SELECT FROM ipasn.listing_seen l"
                              "  WHERE l.instansi_id = $1 AND l.listing_id = $2 AND l.nip = "
                              "u.nip" SQL_ONE_BY_ONE ") RETURNING nip",
                              3, p, &rc, t->err);

    if (r) {
        for (int i = 0; i < PQntuples(r); i++) {
            struct row *row = find_row(t, PQgetvalue(r, i, 0));

            if (row)
                fresh[row - t->rows] = true;
        }
        for (size_t i = 0; i < t->n; i++)
            if (!fresh[i])
                t->rows[i].duplicate = true;
        PQclear(r);
    }
    free(fresh);
    return rc;
}

/* New, changed or unchanged, by content hash: an index lookup per NIP. A
 * listing that began on an empty table has stored only what it saw, so a
 * NIP it finds stored is a duplicate; it takes its employees for new and
 * looks up only its tombstones (assume_new). */
static int look_up(struct tx *t)
{
    struct strbuf lookup = {0};
    bool fresh_load = t->w->mode == WRITE_SYNC && t->w->state->listing_fresh;
    const char *p[] = {t->inst, NULL};
    int rc = 0;
    PGresult *r = NULL;

    nip_array(t, &lookup, t->assume_new ? tombstone : NULL);
    p[1] = lookup.s;
    if (strcmp(lookup.s, "{}") != 0)
        r = store_query(t->st,
                        "SELECT u.nip, e.content_hash, e.active, e.history_hash,"
                        " coalesce(extract(epoch FROM e.updated_at)::bigint, 0)"
                        " FROM unnest($2::text[]) u (nip) CROSS JOIN LATERAL"
                        " (SELECT content_hash, active, history_hash, updated_at"
                        "  FROM ipasn.employee"
                        "  WHERE instansi_id = $1 AND nip = u.nip" SQL_ONE_BY_ONE ") e",
                        2, p, &rc, t->err);
    strbuf_free(&lookup);
    for (int i = 0; r && i < PQntuples(r); i++) {
        struct row *row = find_row(t, PQgetvalue(r, i, 0));

        if (!row)
            continue;
        row->found = true;
        row->duplicate |= fresh_load;
        if (row->state == ROW_TOMBSTONE)
            continue;
        row->stored_known = !PQgetisnull(r, i, 3) && parse_hashes(PQgetvalue(r, i, 3), row);
        if ((uint64_t)store_col_int(r, i, 1) == row_employee(t, row)->content_hash &&
            store_col_true(r, i, 2)) {
            row->state = ROW_UNCHANGED;
        } else if (row->duplicate && store_col_true(r, i, 2) &&
                   store_col_int(r, i, 4) >= row_employee(t, row)->updated_at) {
            /* A doubled NIP is written once per listing: its later copy
             * only when it is newer (it changed while the listing ran). */
            row->state = ROW_UNCHANGED;
            row->kept = true;
        } else {
            row->state = ROW_CHANGED;
        }
    }
    PQclear(r);
    return rc;
}

static int tx_classify(struct tx *t)
{
    int rc = 0;

    if (t->w->mode == WRITE_SYNC && !t->w->state->listing_fresh && (rc = mark_seen(t)) < 0)
        return rc;
    if (t->w->mode == WRITE_RECOMPUTE) {
        for (size_t i = 0; i < t->n; i++) {
            t->rows[i].found = true;
            if (t->rows[i].state != ROW_TOMBSTONE)
                t->rows[i].state = ROW_CHANGED;
        }
    } else if ((rc = look_up(t)) < 0) {
        return rc;
    }
    for (size_t i = 0; i < t->n; i++) {
        t->known += t->rows[i].found;
        t->tombstones += found_tombstone(&t->rows[i]);
    }
    nip_array(t, &t->affected, changes_sums);
    return 0;
}

/* ---- sums ------------------------------------------------------------------------- */

/* The running sums lose what the changing employees gave them before they
 * are written (sign -1), and gain what they give after (+1). */
static int tx_sums(struct tx *t, int sign)
{
    if (!t->w->agg_period || strcmp(t->affected.s, "{}") == 0)
        return 0;
    return store_sums_delta(t->st, t->inst, t->w->agg_period, t->affected.s, sign, t->err);
}

/* ---- histories -------------------------------------------------------------------- */

/* New employees (no row yet, and the source's lock is held) are copied
 * straight into their table, changed ones through staging; their history
 * rows are made with them, and copied after them. */
static int copy_employees(struct tx *t)
{
    struct strbuf fresh = {0}, staged = {0};
    struct pg_copy to[] = {
        {.conn = t->st->conn,
         .sql = rows_employee_copy(false),
         .b = &fresh,
         .err = t->err,
         .binary = true},
        {.conn = t->st->conn,
         .sql = rows_employee_copy(true),
         .b = &staged,
         .err = t->err,
         .binary = true},
    };
    int rc = 0;

    for (size_t k = 0; k < ARRAY_SIZE(to) && rc == 0; k++) {
        enum row_state want = k == 0 ? ROW_NEW : ROW_CHANGED;

        for (size_t i = 0; i < t->n; i++) {
            struct row *row = &t->rows[i];

            if (row->state != want)
                continue;
            history_rows_of(t, row);
            rows_employee(to[k].b, t->inst, row_employee(t, row), row->hist_hash);
            pg_copy_more(&to[k]);
            if (want == ROW_NEW)
                t->res->inserted++;
            else
                t->res->updated++;
        }
        rc = pg_copy_end(&to[k]);
        t->met_stored = rc < 0 && t->assume_new && to[k].conflict;
    }
    strbuf_free(&fresh);
    strbuf_free(&staged);
    return rc;
}

/* The stored history rows of changed employees that differ are deleted
 * before the new ones are copied. */
static int replace_histories(struct tx *t)
{
    int rc = 0;

    for (int h = 0; h < H_COUNT && rc == 0; h++) {
        struct strbuf gone = {0};
        const char *p[] = {t->inst, NULL};

        for (size_t i = 0; i < t->n; i++)
            if (t->rows[i].replace & (1u << h))
                array_nip(&gone, row_employee(t, &t->rows[i])->nip);
        if (!gone.len)
            continue;
        pg_array_close(&gone);
        p[1] = gone.s;
        rc = store_exec(t->st, rows_history_delete(h), 2, p, t->err);
        strbuf_free(&gone);
    }
    return rc;
}

/* Tombstones of stored employees leave at once. */
static int take_out_tombstones(struct tx *t)
{
    struct strbuf gone = {0};
    const char *p[] = {t->inst, NULL};
    int rc = 0;
    PGresult *r;

    nip_array(t, &gone, found_tombstone);
    p[1] = gone.s;
    r = store_query(t->st,
                    "UPDATE ipasn.employee SET active = false, deleted = true,"
                    " changed_at = now() WHERE instansi_id = $1 AND nip = ANY ($2::text[])"
                    " AND active RETURNING nip",
                    2, p, &rc, t->err);
    strbuf_free(&gone);
    if (r)
        t->res->deactivated += PQntuples(r);
    PQclear(r);
    return rc;
}

static int tx_histories(struct tx *t)
{
    int rc;

    if (t->w->mode == WRITE_RECOMPUTE)
        return 0;
    for (size_t i = 0; i < t->n; i++)
        t->res->unchanged += t->rows[i].state == ROW_UNCHANGED;
    if ((rc = copy_employees(t)) < 0)
        return rc;
    if (t->res->updated) {
        if ((rc = store_exec(t->st, rows_employee_upsert(), 0, NULL, t->err)) < 0 ||
            (rc = replace_histories(t)) < 0)
            return rc;
    }
    for (int h = 0; h < H_COUNT; h++)
        if ((rc = pg_copy_in(t->st->conn, rows_history_copy(h), true, &t->hist[h], t->err)) < 0)
            return rc;
    if (t->tombstones && (rc = take_out_tombstones(t)) < 0)
        return rc;
    return 0;
}

/* ---- scores ----------------------------------------------------------------------- */

/* Scores of new and changed employees (every one in a recompute); a new
 * employee has no score row yet. */
static int tx_scores(struct tx *t)
{
    struct strbuf fresh = {0}, staged = {0};
    struct pg_copy to[] = {
        {.conn = t->st->conn, .sql = rows_score_copy(false), .b = &fresh, .err = t->err},
        {.conn = t->st->conn, .sql = rows_score_copy(true), .b = &staged, .err = t->err},
    };
    bool any_staged = false;
    int rc = 0;

    for (size_t k = 0; k < ARRAY_SIZE(to) && rc == 0; k++) {
        enum row_state want = k == 0 ? ROW_NEW : ROW_CHANGED;

        for (size_t i = 0; i < t->n; i++) {
            const struct row *row = &t->rows[i];

            if (row->state != want)
                continue;
            rows_score(to[k].b, t->inst, row_employee(t, row), &t->w->scores[row->idx]);
            pg_copy_more(&to[k]);
            any_staged |= k == 1;
        }
        rc = pg_copy_end(&to[k]);
    }
    strbuf_free(&fresh);
    strbuf_free(&staged);
    if (rc == 0 && any_staged)
        rc = store_exec(t->st, rows_score_upsert(), 0, NULL, t->err);
    return rc;
}

/* ---- issues ----------------------------------------------------------------------- */

/* An open issue as stored. */
struct open_issue {
    int64_t id;
    char *nip, *code, *field, *severity, *detail;
    bool matched;
};

/* What the page's issues change among the open ones. */
struct issue_changes {
    struct open_issue *open;
    size_t n_open;
    struct strbuf fresh;                 /* new issues, COPY rows */
    struct strbuf gone, seen;            /* ids: resolved; seen again */
    struct strbuf ch_id, ch_sev, ch_det; /* ids whose severity or detail changed, and those */
};

static int cmp_open_issue(const void *a, const void *b)
{
    const struct open_issue *x = a, *y = b;
    int c = strcmp(x->nip, y->nip);

    if (!c)
        c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->field, y->field);
}

static void issue_changes_free(struct issue_changes *c)
{
    for (size_t i = 0; i < c->n_open; i++) {
        free(c->open[i].nip);
        free(c->open[i].code);
        free(c->open[i].field);
        free(c->open[i].severity);
        free(c->open[i].detail);
    }
    free(c->open);
    strbuf_free(&c->fresh);
    strbuf_free(&c->gone);
    strbuf_free(&c->seen);
    strbuf_free(&c->ch_id);
    strbuf_free(&c->ch_sev);
    strbuf_free(&c->ch_det);
}

/* The open issues of the page's stored employees, sorted by key. */
static int read_open_issues(struct tx *t, struct issue_changes *c)
{
    const char *p[] = {t->inst, t->nips.s};
    int rc = 0;
    PGresult *r;

    if (!t->known)
        return 0;
    r = store_query(
        t->st,
        "SELECT i.id, u.nip, i.code, i.field, i.severity, i.detail"
        " FROM unnest($2::text[]) u (nip) CROSS JOIN LATERAL"
        " (SELECT id, code, field, severity, detail FROM ipasn.issue"
        "  WHERE instansi_id = $1 AND nip = u.nip AND resolved_at IS NULL" SQL_ONE_BY_ONE ") i",
        2, p, &rc, t->err);
    if (!r)
        return rc;
    c->n_open = (size_t)PQntuples(r);
    c->open = xcalloc(c->n_open ? c->n_open : 1, sizeof(*c->open));
    for (size_t i = 0; i < c->n_open; i++) {
        struct open_issue *o = &c->open[i];

        o->id = store_col_int(r, (int)i, 0);
        o->nip = xstrdup(PQgetvalue(r, (int)i, 1));
        o->code = xstrdup(PQgetvalue(r, (int)i, 2));
        o->field = xstrdup(PQgetvalue(r, (int)i, 3));
        o->severity = xstrdup(PQgetvalue(r, (int)i, 4));
        o->detail = xstrdup(PQgetvalue(r, (int)i, 5));
    }
    PQclear(r);
    qsort(c->open, c->n_open, sizeof(*c->open), cmp_open_issue);
    return 0;
}

static void array_id(struct strbuf *b, int64_t id)
{
    pg_array_sep(b);
    pg_digits(b, id);
}

/* One issue the page finds: it opens, or it matches an open one, which is
 * seen again and takes a changed severity or detail. */
static void find_issue(struct tx *t, struct issue_changes *c, const struct row *row,
                       const char *code, const char *field, const char *sev, const char *detail)
{
    const struct employee *e = row_employee(t, row);
    struct open_issue key = {.nip = (char *)e->nip, .code = (char *)code, .field = (char *)field};
    struct open_issue *o =
        row->found ? bsearch(&key, c->open, c->n_open, sizeof(*c->open), cmp_open_issue) : NULL;

    if (!o) {
        rows_issue(&c->fresh, t->inst, e->nip, code, field, sev, detail);
        fill_event(new_event(&t->res->opened, &t->res->n_opened), e->nip, e->opd_id, code, field,
                   sev, detail);
        t->res->issues_opened++;
        return;
    }
    o->matched = true;
    if (t->w->mode != WRITE_RECOMPUTE)
        array_id(&c->seen, o->id);
    if (strcmp(o->severity, sev) != 0 || strcmp(o->detail, detail) != 0) {
        array_id(&c->ch_id, o->id);
        pg_array_sep(&c->ch_sev);
        pg_array_text(&c->ch_sev, sev);
        pg_array_sep(&c->ch_det);
        pg_array_text(&c->ch_det, detail);
    }
}

/* A copy not written keeps the issues of the one stored: they are seen
 * again, none opens or resolves, but duplicate_record. */
static void keep_open(struct tx *t, struct issue_changes *c, const struct row *row)
{
    const char *nip = row_employee(t, row)->nip;

    for (size_t i = 0; i < c->n_open; i++)
        if (strcmp(c->open[i].nip, nip) == 0 && !c->open[i].matched) {
            c->open[i].matched = true;
            if (t->w->mode != WRITE_RECOMPUTE)
                array_id(&c->seen, c->open[i].id);
        }
    if (t->w->scores[row->idx].in_scope)
        find_issue(t, c, row, "duplicate_record", "", "warning", DUPLICATE_DETAIL);
}

/* Every issue of the page's employees, a duplicate NIP's included; then the
 * open ones the page no longer finds resolve. */
static void match_issues(struct tx *t, struct issue_changes *c)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct row *row = &t->rows[i];
        const struct issue_list *l = &t->w->issues[row->idx];
        bool dup = row->duplicate && t->w->scores[row->idx].in_scope;

        if (row->state == ROW_TOMBSTONE)
            continue;
        t->res->duplicates += dup;
        if (row->kept) {
            keep_open(t, c, row);
            continue;
        }
        for (size_t k = 0; k < l->n; k++)
            find_issue(t, c, row, l->v[k].code, l->v[k].field, severity_name(l->v[k].severity),
                       l->v[k].detail);
        if (dup)
            find_issue(t, c, row, "duplicate_record", "", "warning", DUPLICATE_DETAIL);
    }
    for (size_t i = 0; i < c->n_open; i++) {
        const struct open_issue *o = &c->open[i];

        /* a doubled NIP's first copy does not find it: resolve_duplicates */
        if (o->matched || strcmp(o->code, "duplicate_record") == 0)
            continue;
        array_id(&c->gone, o->id);
        fill_event(new_event(&t->res->resolved, &t->res->n_resolved), o->nip, opd_of(t, o->nip),
                   o->code, o->field, o->severity, o->detail);
        t->res->issues_resolved++;
    }
}

static int apply_issue_changes(struct tx *t, struct issue_changes *c)
{
    int rc = 0;

    if (c->gone.len) {
        const char *p[] = {t->inst, (pg_array_close(&c->gone), c->gone.s)};

        if ((rc = store_exec(t->st,
                             "UPDATE ipasn.issue SET resolved_at = now() WHERE instansi_id = $1"
                             " AND id = ANY ($2::bigint[])",
                             2, p, t->err)) < 0)
            return rc;
    }
    if (c->seen.len) {
        const char *p[] = {t->inst, (pg_array_close(&c->seen), c->seen.s)};

        if ((rc = store_exec(t->st,
                             "UPDATE ipasn.issue SET last_seen = now() WHERE instansi_id = $1"
                             " AND id = ANY ($2::bigint[])",
                             2, p, t->err)) < 0)
            return rc;
    }
    if (c->ch_id.len) {
        const char *p[] = {t->inst, (pg_array_close(&c->ch_id), c->ch_id.s),
                           (pg_array_close(&c->ch_sev), c->ch_sev.s),
                           (pg_array_close(&c->ch_det), c->ch_det.s)};

        if ((rc = store_exec(t->st,
                             "UPDATE ipasn.issue i SET severity = u.severity, detail = u.detail"
                             " FROM unnest($2::bigint[], $3::text[], $4::text[])"
                             " u (id, severity, detail) WHERE i.instansi_id = $1 AND i.id = u.id",
                             4, p, t->err)) < 0)
            return rc;
    }
    return pg_copy_in(t->st->conn, rows_issue_copy(), false, &c->fresh, t->err);
}

/* The issues the page finds against those open for its stored employees:
 * new ones open, vanished ones resolve, the rest move their last_seen (a
 * sync saw the record again) and take a changed detail. One read of the
 * open issues, then one statement per kind of change. Issues are checked
 * for unchanged employees too: some depend on the date. */
static int tx_issues(struct tx *t)
{
    struct issue_changes c = {0};
    int rc;

    if (t->w->scores_only)
        return 0;
    if ((rc = read_open_issues(t, &c)) == 0) {
        match_issues(t, &c);
        rc = apply_issue_changes(t, &c);
    }
    issue_changes_free(&c);
    return rc;
}

/* ---- quarantine -------------------------------------------------------------------- */

/* Records that broke the contract, once per distinct text: one row per
 * text, seen as often as the page holds it. */
static int tx_quarantine(struct tx *t)
{
    const struct page *pg = t->pg;
    struct strbuf q[5] = {{0}};
    const char *p[7] = {t->inst, t->w->page_url ? t->w->page_url : ""};
    int rc;

    if (t->w->mode == WRITE_RECOMPUTE)
        return 0;
    t->res->quarantined = (int)pg->n_rejected;
    if (!pg->n_rejected)
        return 0;
    for (size_t i = 0; i < pg->n_rejected; i++) {
        const struct rejected_record *x = &pg->rejected[i];
        const char *raw = x->raw ? x->raw : "";
        const char *text[] = {x->nip, x->code, x->reason, raw};

        for (size_t k = 0; k < ARRAY_SIZE(text); k++) {
            pg_array_sep(&q[k]);
            if (text[k])
                pg_array_text(&q[k], text[k]);
            else
                pg_array_plain(&q[k], "NULL");
        }
        array_id(&q[4], (int64_t)hash64(raw, strlen(raw), HASH64_INIT));
    }
    for (size_t k = 0; k < ARRAY_SIZE(q); k++) {
        pg_array_close(&q[k]);
        p[2 + k] = q[k].s;
    }
    rc = store_exec(t->st,
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
                    7, p, t->err);
    for (size_t k = 0; k < ARRAY_SIZE(q); k++)
        strbuf_free(&q[k]);
    return rc;
}

/* ---- cursor ----------------------------------------------------------------------- */

/* Marks inactive the active employees a full listing did not hold, and
 * resolves their issues. */
static int deactivate_unlisted(struct tx *t)
{
    struct num nl;
    const char *p[] = {t->inst, num(&nl, t->w->state->listing_id)};
    struct strbuf gone = {0};
    const char *pg2[] = {t->inst, NULL};
    int rc = 0;
    PGresult *r;

    /* Both tables grew during this listing: without fresh statistics the
     * planner loops instead of hashing. */
    if ((rc = store_exec(t->st, "ANALYZE ipasn.listing_seen; ANALYZE ipasn.employee", 0, NULL,
                         t->err)) < 0)
        return rc;
    if (!(r = store_query(t->st,
                          "UPDATE ipasn.employee e SET active = false, changed_at = now()"
                          " WHERE e.instansi_id = $1 AND e.active AND NOT EXISTS ("
                          "  SELECT 1 FROM ipasn.listing_seen l WHERE l.instansi_id = $1"
                          "  AND l.listing_id = $2 AND l.nip = e.nip) RETURNING e.nip",
                          2, p, &rc, t->err)))
        return rc;
    t->res->deactivated += PQntuples(r);
    for (int i = 0; i < PQntuples(r); i++)
        array_nip(&gone, PQgetvalue(r, i, 0));
    pg_array_close(&gone);
    PQclear(r);
    /* Those marked inactive keep no open issue. */
    pg2[1] = gone.s;
    r = store_query(t->st,
                    "UPDATE ipasn.issue SET resolved_at = now()"
                    " WHERE instansi_id = $1 AND nip = ANY ($2::text[]) AND resolved_at IS NULL"
                    " RETURNING nip, code, field, severity, detail",
                    2, pg2, &rc, t->err);
    strbuf_free(&gone);
    if (r)
        take_resolved(t, r);
    PQclear(r);
    return rc;
}

/* A full listing of an instansi already stored deactivates whom it did not
 * hold, unless it is far smaller than what is stored: that is more likely a
 * broken endpoint than half the workforce leaving. A listing that began on
 * an empty table stored every employee it saw: nobody can be missing. */
static int reconcile_full(struct tx *t)
{
    struct num nl;
    const char *p[] = {t->inst, num(&nl, t->w->state->listing_id)};
    int rc = 0;
    PGresult *r;

    if (!(r = store_query(
              t->st,
              "SELECT (SELECT count(*) FROM ipasn.listing_seen"
              "  WHERE instansi_id = $1 AND listing_id = $2),"
              " (SELECT count(*) FROM ipasn.employee WHERE instansi_id = $1 AND active)",
              2, p, &rc, t->err)))
        return rc;
    t->res->listing_records = (int)store_col_int(r, 0, 0);
    t->res->active_before = (int)store_col_int(r, 0, 1);
    PQclear(r);
    if (t->res->active_before > 100 && t->res->listing_records < t->res->active_before / 2) {
        t->res->deactivation_refused = true;
        return 0;
    }
    return deactivate_unlisted(t);
}

/* At the end of a full listing, the duplicate_record issues it did not
 * find again resolve: a page cannot tell, since the first copy of a
 * doubled NIP comes before the second. */
static int resolve_duplicates(struct tx *t)
{
    const char *p[] = {t->inst, t->w->source};
    int rc = 0;
    PGresult *r =
        store_query(t->st,
                    "UPDATE ipasn.issue SET resolved_at = now()"
                    " WHERE instansi_id = $1 AND code = 'duplicate_record' AND resolved_at IS NULL"
                    "  AND last_seen < (SELECT listing_started_at FROM ipasn.sync_state"
                    "                    WHERE instansi_id = $1 AND source = $2)"
                    " RETURNING nip, code, field, severity, detail",
                    2, p, &rc, t->err);

    if (r)
        take_resolved(t, r);
    PQclear(r);
    return rc;
}

/* Ends the listing inside the transaction of its last page: the watermark
 * becomes the first page's server_time minus the overlap, and never moves
 * back by more than the overlap (a server clock set back). */
static int finish_listing(struct tx *t)
{
    const struct page_write *w = t->w;
    const struct sync_state *s = w->state;
    struct num nl, no, ns;
    const char *p[] = {t->inst, num(&nl, s->listing_id)};
    const char *q[] = {t->inst, w->source, num(&no, w->overlap), NULL, num(&ns, w->server_time)};
    bool full = strcmp(s->listing_mode, "full") == 0;
    int rc;

    t->res->listing_done = true;
    if (full && !s->listing_fresh && (rc = reconcile_full(t)) < 0)
        return rc;
    if (full && (rc = resolve_duplicates(t)) < 0)
        return rc;
    if ((rc = store_exec(
             t->st, "DELETE FROM ipasn.listing_seen WHERE instansi_id = $1 AND listing_id = $2", 2,
             p, t->err)) < 0)
        return rc;
    q[3] = full ? "t" : "f";
    return store_exec(
        t->st,
        "UPDATE ipasn.sync_state SET"
        " watermark = GREATEST(coalesce(listing_server_time, to_timestamp($5::bigint)),"
        "                      watermark) - make_interval(secs => $3::bigint),"
        " cursor = NULL, listing_mode = NULL, pages = 0,"
        " last_full_at = CASE WHEN $4::boolean THEN now() ELSE last_full_at END,"
        " updated_at = now()"
        " WHERE instansi_id = $1 AND source = $2",
        5, q, t->err);
}

/* Where the listing goes next, in the same transaction as the page. */
static int tx_cursor(struct tx *t)
{
    const struct page_write *w = t->w;
    struct num nt;
    const char *p[] = {t->inst, w->source, w->next_cursor, num(&nt, w->server_time)};
    int rc;

    if (w->mode != WRITE_SYNC)
        return 0;
    if ((rc = store_exec(t->st,
                         "UPDATE ipasn.sync_state SET cursor = $3, pages = pages + 1,"
                         " listing_server_time = coalesce(listing_server_time,"
                         "  to_timestamp($4::bigint)), updated_at = now()"
                         " WHERE instansi_id = $1 AND source = $2",
                         4, p, t->err)) < 0)
        return rc;
    return w->next_cursor ? 0 : finish_listing(t);
}

/* ---- commit ----------------------------------------------------------------------- */

/* The run's counts move with the page, so its row is exact after a crash. */
static int add_run_counts(struct tx *t)
{
    const struct page_result *res = t->res;
    struct num v[10];
    const char *p[] = {num(&v[0], t->w->run_id),
                       num(&v[1], t->w->mode == WRITE_RECOMPUTE ? 0 : 1),
                       num(&v[2], (int64_t)(t->pg->n_employees + t->pg->n_rejected)),
                       num(&v[3], res->inserted),
                       num(&v[4], res->updated),
                       num(&v[5], res->unchanged),
                       num(&v[6], res->deactivated),
                       num(&v[7], res->quarantined),
                       num(&v[8], res->issues_opened),
                       num(&v[9], res->issues_resolved)};

    return store_exec(t->st,
                      "UPDATE ipasn.sync_run SET pages = pages + $2, records = records + $3,"
                      " inserted = inserted + $4, updated = updated + $5,"
                      " unchanged = unchanged + $6, deactivated = deactivated + $7,"
                      " quarantined = quarantined + $8, issues_opened = issues_opened + $9,"
                      " issues_resolved = issues_resolved + $10 WHERE id = $1",
                      10, p, t->err);
}

static int tx_commit(struct tx *t)
{
    int rc;

    if (t->w->run_id && (rc = add_run_counts(t)) < 0)
        return rc;
    if (t->w->in_transaction &&
        (rc = t->w->in_transaction(t->st, t->w->in_transaction_ud, t->err)) < 0)
        return rc;
    return store_commit(t->st, t->err);
}

/* ---- the page ---------------------------------------------------------------------- */

static void tx_free(struct tx *t)
{
    free(t->rows);
    strbuf_free(&t->nips);
    strbuf_free(&t->affected);
    for (int h = 0; h < H_COUNT; h++)
        strbuf_free(&t->hist[h]);
}

/* Writes the page; with assume_new (a listing that began on an empty
 * table) its employees are written as new without looking them up, and
 * *met_stored says when one was stored after all: then nothing was
 * written. */
static int write_page_once(struct store *st, const struct page_write *w, struct page_result *res,
                           bool assume_new, bool *met_stored, struct error *err)
{
    struct tx t = {.st = st,
                   .w = w,
                   .pg = w->page,
                   .inst = w->instansi_id,
                   .res = res,
                   .err = err,
                   .assume_new = assume_new};
    int rc;

    memset(res, 0, sizeof(*res));
    if ((rc = tx_begin(&t)) < 0 || (rc = tx_classify(&t)) < 0 || (rc = tx_sums(&t, -1)) < 0 ||
        (rc = tx_histories(&t)) < 0 || (rc = tx_scores(&t)) < 0 || (rc = tx_sums(&t, 1)) < 0 ||
        (rc = tx_issues(&t)) < 0 || (rc = tx_quarantine(&t)) < 0 || (rc = tx_cursor(&t)) < 0 ||
        (rc = tx_commit(&t)) < 0)
        goto fail;
    goto out;
fail:
    store_rollback(st);
    page_result_free(res);
    *met_stored = t.met_stored;
out:
    tx_free(&t);
    return rc;
}

int store_write_page(struct store *st, const struct page_write *w, struct page_result *res,
                     struct error *err)
{
    bool first_load = w->mode == WRITE_SYNC && w->state->listing_fresh, met_stored = false;
    int rc = write_page_once(st, w, res, first_load, &met_stored, err);

    /* A record changed during the listing and came again: the page is
     * written again, looking its employees up. */
    if (rc < 0 && met_stored)
        rc = write_page_once(st, w, res, false, &met_stored, err);
    return rc;
}
