/* sim_admin.c: the /admin routes the tests drive the simulator with: arm
 * and clear faults, fix, delete and change records, and read what was
 * asked and what the records hold. No authentication: the simulator
 * listens on loopback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

const char *const route_names[N_ROUTES] = {
    "/v1/asn", "/v1/asn/{nip}", "/oauth2/token", "/healthz", "/admin", SIASN_BASE, "other",
};

struct fault_parse {
    struct fault *f;
    int bad;
    char bad_key[64];
};

static enum MHD_Result fault_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct fault_parse *fp = cls;

    if (fault_set(fp->f, key, value ? value : "") < 0 && !fp->bad) {
        fp->bad = 1;
        snprintf(fp->bad_key, sizeof(fp->bad_key), "%s", key);
    }
    return MHD_YES;
}

/* The index of the record ?nip= names; -1 when there is none. */
static int admin_nip(struct sim *s, struct req *rq, uint32_t *index)
{
    const char *t = query(rq, "nip");
    uint64_t nip;
    int64_t i;

    if (!t || nip_parse(t, &nip) < 0)
        return -1;
    pthread_rwlock_rdlock(&s->lock);
    i = nip_find(s, nip);
    pthread_rwlock_unlock(&s->lock);
    if (i < 0)
        return -1;
    *index = (uint32_t)i;
    return 0;
}

static void defects_json(struct out *o, uint32_t mask)
{
    bool first = true;

    out_char(o, '[');
    for (int k = 0; k < N_DEFECTS; k++) {
        if (!(mask & (1u << k)))
            continue;
        if (!first)
            out_char(o, ',');
        out_str(o, defect_codes[k]);
        first = false;
    }
    out_char(o, ']');
}

static void bool_json(struct out *o, bool v)
{
    if (v)
        LIT(o, "true");
    else
        LIT(o, "false");
}

/* POST /admin/fault?kind=K&...: arms a fault. */
static enum MHD_Result admin_fault(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};
    struct fault f;
    struct fault_parse fp = {&f, 0, ""};

    fault_defaults(&f);
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, fault_arg, &fp);
    if (fp.bad) {
        char msg[128];

        snprintf(msg, sizeof(msg), "bad fault parameter %s", fp.bad_key);
        return reply_error(s, rq, 400, "bad_fault", msg, false, NULL, NULL);
    }
    if (fault_finish(&f) < 0)
        return reply_error(s, rq, 400, "bad_fault", "these fault parameters do not go together",
                           false, NULL, NULL);
    if (f.kind == F_BIG_HEADER && (size_t)f.bytes > s->header_room)
        return reply_error(s, rq, 400, "bad_fault",
                           "big_header: size is over the simulator's --header-room", false, NULL,
                           NULL);
    if (fault_arm(s, &f) < 0)
        return reply_error(s, rq, 409, "too_many_faults", "disarm some first", false, NULL, NULL);
    LIT(&o, "{\"armed\":");
    out_str(&o, fault_names[f.kind]);
    out_char(&o, '}');
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* POST /admin/clear: disarms every fault. */
static enum MHD_Result admin_clear(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};

    pthread_mutex_lock(&s->mu);
    s->n_faults = 0;
    pthread_mutex_unlock(&s->mu);
    LIT(&o, "{\"cleared\":true}");
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* POST /admin/reset-stats */
static enum MHD_Result admin_reset_stats(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};

    pthread_mutex_lock(&s->mu);
    memset(s->stats, 0, sizeof(s->stats));
    s->cursor_requests = s->listing_starts = 0;
    memset(&s->siasn_stats, 0, sizeof(s->siasn_stats));
    pthread_mutex_unlock(&s->mu);
    LIT(&o, "{\"reset\":true}");
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* The answer to a change of record i: its NIP, version and updatedAt. */
static enum MHD_Result change_reply(struct sim *s, struct req *rq, uint32_t i, uint32_t now,
                                    struct out *o)
{
    LIT(o, "{\"nip\":");
    out_uint(o, s->nip[i]);
    LIT(o, ",\"version\":");
    out_int(o, s->version[i]);
    LIT(o, ",\"updatedAt\":");
    out_timestamp(o, now, false);
    out_char(o, '}');
    return reply(s, rq, 200, o, NULL, NULL);
}

/* POST /admin/fix?nip=N and /admin/delete?nip=N: a new version of N, at
 * updatedAt = now, without its fixable defects or as a tombstone. */
static enum MHD_Result admin_change(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};
    uint32_t now = (uint32_t)time(NULL);
    uint32_t i;

    if (admin_nip(s, rq, &i) < 0)
        return reply_error(s, rq, 404, "not_found", "no employee with this nip", false, NULL, NULL);
    pthread_rwlock_wrlock(&s->lock);
    record_touch(s, i, now, url[7] == 'f' ? RF_FIXED : RF_DELETED);
    order_fix(s, now);
    pthread_rwlock_unlock(&s->lock);
    return change_reply(s, rq, i, now, &o);
}

/* POST /admin/set?nip=N&field=F&value=V: F of N's record becomes V, as
 * given; a new version at updatedAt = now. */
static enum MHD_Result admin_set(struct sim *s, struct req *rq, const char *url)
{
    const char *name = query(rq, "field"), *value = query(rq, "value");
    struct out o = {0};
    uint32_t now = (uint32_t)time(NULL);
    int field = -1, rc;
    uint32_t i;

    if (admin_nip(s, rq, &i) < 0)
        return reply_error(s, rq, 404, "not_found", "no employee with this nip", false, NULL, NULL);
    for (int k = 0; name && k < N_SET_FIELDS; k++) {
        if (!strcmp(name, set_field_names[k]))
            field = k;
    }
    if (field < 0 || !value)
        return reply_error(s, rq, 400, "bad_set",
                           "field must be nama, opdNama, opdId or jabatanNama, with a value", false,
                           NULL, NULL);
    pthread_rwlock_wrlock(&s->lock);
    rc = record_set_put(s, i, (enum set_field)field, value);
    if (rc == 0) {
        record_touch(s, i, now, 0);
        order_fix(s, now);
    }
    pthread_rwlock_unlock(&s->lock);
    if (rc < 0)
        return reply_error(s, rq, 409, "too_many_sets", "too many records with fields set", false,
                           NULL, NULL);
    return change_reply(s, rq, i, now, &o);
}

/* POST /admin/mutate?count=N: changes N records, from a stream of mutation
 * numbers apart from the listings' (bit 62). */
static enum MHD_Result admin_mutate(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};
    const char *c = query(rq, "count");
    char *end;
    long long n = c ? strtoll(c, &end, 10) : -1;
    uint64_t no;

    if (!c || !*c || *end || n < 0 || n > s->n)
        return reply_error(s, rq, 400, "bad_count", "count must be 0..employees", false, NULL,
                           NULL);
    pthread_mutex_lock(&s->mu);
    no = s->listings++ | (1ULL << 62);
    pthread_mutex_unlock(&s->mu);
    mutate(s, (uint32_t)n, no);
    LIT(&o, "{\"mutated\":");
    out_int(&o, n);
    out_char(&o, '}');
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* One route's requests by status, with their total; false when it had
 * none, and then nothing is written. s->mu held. */
static bool stats_route_json(const struct sim *s, int rt, bool first_route, struct out *o)
{
    uint64_t total = 0;
    bool first = true;

    for (int st = 0; st < 600; st++)
        total += s->stats[rt][st];
    if (!total)
        return false;
    if (!first_route)
        out_char(o, ',');
    out_str(o, route_names[rt]);
    LIT(o, ":{");
    for (int st = 0; st < 600; st++) {
        if (!s->stats[rt][st])
            continue;
        if (!first)
            out_char(o, ',');
        first = false;
        out_char(o, '"');
        out_int(o, st);
        LIT(o, "\":");
        out_uint(o, s->stats[rt][st]);
    }
    LIT(o, ",\"total\":");
    out_uint(o, total);
    out_char(o, '}');
    return true;
}

/* GET /admin/stats: requests by route and status, the listings, the
 * tokens, and the last request's headers. */
static enum MHD_Result admin_stats(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};
    bool first_route = true;

    pthread_mutex_lock(&s->mu);
    LIT(&o, "{\"requests\":{");
    for (int rt = 0; rt < N_ROUTES; rt++) {
        if (stats_route_json(s, rt, first_route, &o))
            first_route = false;
    }
    LIT(&o, "},\"listings\":");
    out_uint(&o, s->listing_starts);
    LIT(&o, ",\"cursor_requests\":");
    out_uint(&o, s->cursor_requests);
    LIT(&o, ",\"tokens_issued\":");
    out_uint(&o, s->tokens_issued);
    LIT(&o, ",\"faults_armed\":");
    out_int(&o, s->n_faults);
    LIT(&o, ",\"last_scope\":");
    out_str(&o, s->last_scope);
    LIT(&o, ",\"last_user_agent\":");
    out_str(&o, s->last_user_agent);
    LIT(&o, ",\"last_accept\":");
    out_str(&o, s->last_accept);
    LIT(&o, ",\"last_accept_encoding\":");
    out_str(&o, s->last_accept_encoding);
    if (s->siasn)
        siasn_stats_json(s, &o);
    out_char(&o, '}');
    pthread_mutex_unlock(&s->mu);
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* GET /admin/record?nip=N: N's index, version, flags and defects. */
static enum MHD_Result admin_record(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};
    struct person p;
    uint32_t i;

    if (admin_nip(s, rq, &i) < 0)
        return reply_error(s, rq, 404, "not_found", "no employee with this nip", false, NULL, NULL);
    pthread_rwlock_rdlock(&s->lock);
    person_identity(s, i, &p);
    LIT(&o, "{\"index\":");
    out_uint(&o, i);
    LIT(&o, ",\"version\":");
    out_uint(&o, s->version[i]);
    LIT(&o, ",\"deleted\":");
    bool_json(&o, s->flags[i] & RF_DELETED);
    LIT(&o, ",\"fixed\":");
    bool_json(&o, s->flags[i] & RF_FIXED);
    LIT(&o, ",\"updatedAt\":");
    out_timestamp(&o, s->updated[i], false);
    LIT(&o, ",\"defects\":");
    defects_json(&o, record_defects(s, i, &p));
    out_char(&o, '}');
    pthread_rwlock_unlock(&s->lock);
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* GET /admin/defects: the defects by code over the live records. */
static enum MHD_Result admin_defects(struct sim *s, struct req *rq, const char *url)
{
    struct out o = {0};
    uint64_t counts[N_DEFECTS] = {0}, live = 0, deleted = 0;
    struct person p;

    pthread_rwlock_rdlock(&s->lock);
    for (uint32_t k = 0; k < s->n; k++) {
        uint32_t d;

        if (s->flags[k] & RF_DELETED) {
            deleted++;
            continue;
        }
        live++;
        person_identity(s, k, &p);
        d = record_defects(s, k, &p);
        for (int c = 0; c < N_DEFECTS; c++)
            counts[c] += (d >> c) & 1;
    }
    pthread_rwlock_unlock(&s->lock);
    LIT(&o, "{\"records\":");
    out_uint(&o, live);
    LIT(&o, ",\"deleted\":");
    out_uint(&o, deleted);
    LIT(&o, ",\"defects\":{");
    for (int c = 0; c < N_DEFECTS; c++) {
        if (c)
            out_char(&o, ',');
        out_str(&o, defect_codes[c]);
        out_char(&o, ':');
        out_uint(&o, counts[c]);
    }
    LIT(&o, "}}");
    return reply(s, rq, 200, &o, NULL, NULL);
}

static const struct admin_route {
    const char *path, *method;
    enum MHD_Result (*serve)(struct sim *s, struct req *rq, const char *url);
} admin_routes[] = {
    {"/admin/fault", "POST", admin_fault},
    {"/admin/clear", "POST", admin_clear},
    {"/admin/reset-stats", "POST", admin_reset_stats},
    {"/admin/fix", "POST", admin_change},
    {"/admin/delete", "POST", admin_change},
    {"/admin/set", "POST", admin_set},
    {"/admin/mutate", "POST", admin_mutate},
    {"/admin/stats", "GET", admin_stats},
    {"/admin/record", "GET", admin_record},
    {"/admin/defects", "GET", admin_defects},
};

enum MHD_Result serve_admin(struct sim *s, struct req *rq, const char *url, const char *method)
{
    for (size_t k = 0; k < sizeof(admin_routes) / sizeof(admin_routes[0]); k++) {
        const struct admin_route *r = &admin_routes[k];

        if (!strcmp(url, r->path) && !strcmp(method, r->method))
            return r->serve(s, rq, url);
    }
    return reply_error(s, rq, 404, "not_found", "no such admin operation for this method", false,
                       NULL, NULL);
}
