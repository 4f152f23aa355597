/* sim_siasn.c: the WS SIASN calls of siasn-api.md under SIASN_BASE: the
 * eight per-NIP calls, the two tokens each must carry, SIASN's envelopes
 * and quirks, its gateway's errors as faults, and what /admin/stats counts
 * of them. Every answer is cut from the listing's record of the same
 * employee (record_json), so both contracts serve one workforce and give
 * the same scores. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "sim.h"

/* One call: its path name, the listing's key it is cut from, the key its
 * rows link to the PNS with (each history spells it differently). */
struct endpoint {
    const char *name, *key, *link;
    bool array;
};

enum {
    EP_DATA_UTAMA,
    EP_NILAIIPASN = SIASN_ENDPOINTS - 1,
};

static const struct endpoint endpoints[SIASN_ENDPOINTS] = {
    {"data-utama", NULL, NULL, false},
    {"rw-pendidikan", "rwPendidikan", "idPns", true},
    {"rw-diklat", "rwDiklat", "idPns", true},
    {"rw-kursus", "rwKursus", "idPns", true},
    {"rw-skp", "rwSkp", "pns", true},
    {"rw-skp22", "rwSkp22", "pnsDinilaiId", true},
    {"rw-hukdis", "rwHukdis", "pnsOrang", true},
    {"nilaiipasn", "ipAsn", NULL, false},
};

/* The listing's keys data-utama does not carry: SIASN has no OPD, no
 * statusCpnsPns (the roster has it), no change time, no tombstones. */
static const char *const not_in_data_utama[] = {
    "statusCpnsPns", "opdId",    "opdNama", "updatedAt", "deleted",  "rwPendidikan",
    "rwDiklat",      "rwKursus", "rwSkp",   "rwSkp22",   "rwHukdis", "ipAsn",
};

struct siasn_call {
    struct sim *s;
    struct req *rq;
    const char *url;
    int ep;
    const char *nip_text;
    uint32_t i; /* the record, once found */
    struct fault f;
    bool faulted;
    struct out o;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A call arrives: in flight, per second, the gap since the last one. */
static void call_begin(struct sim *s)
{
    struct siasn_stats *st = &s->siasn_stats;
    int64_t sec = (int64_t)time(NULL), ms = now_ms();

    pthread_mutex_lock(&s->mu);
    if (++st->in_flight > st->max_in_flight)
        st->max_in_flight = st->in_flight;
    if (sec != st->second) {
        st->second = sec;
        st->this_second = 0;
    }
    if (++st->this_second > st->max_per_second)
        st->max_per_second = st->this_second;
    if (st->last_start_ms > 0 && (st->min_gap_ms < 0 || ms - st->last_start_ms < st->min_gap_ms))
        st->min_gap_ms = ms - st->last_start_ms;
    if (st->last_start_ms == 0)
        st->min_gap_ms = -1;
    st->last_start_ms = ms;
    pthread_mutex_unlock(&s->mu);
}

static void call_end(struct sim *s)
{
    pthread_mutex_lock(&s->mu);
    s->siasn_stats.in_flight--;
    pthread_mutex_unlock(&s->mu);
}

/* The endpoint of SIASN_BASE/pns/{name}/{nip}, or of /pns/nilaiipasn?nip=;
 * -1 for any other path. */
static int endpoint_of(struct siasn_call *c)
{
    const char *p = c->url + strlen(SIASN_BASE);
    size_t len;

    if (strncmp(p, "/pns/", 5) != 0)
        return -1;
    p += 5;
    len = strcspn(p, "/");
    for (int k = 0; k < SIASN_ENDPOINTS; k++) {
        if (strlen(endpoints[k].name) != len || strncmp(p, endpoints[k].name, len) != 0)
            continue;
        if (p[len] == '/' && p[len + 1] && !strchr(p + len + 1, '/')) {
            c->nip_text = p + len + 1;
            return k;
        }
        if (!p[len] && k == EP_NILAIIPASN && query(c->rq, "nip")) {
            c->nip_text = query(c->rq, "nip");
            return k;
        }
        return -1;
    }
    return -1;
}

/* Answers a JSON text given as a literal. */
static enum MHD_Result reply_text(struct sim *s, struct req *rq, int status, const char *text,
                                  const char *hname, const char *hvalue)
{
    struct out o = {0};

    out_mem(&o, text, strlen(text));
    return reply(s, rq, status, &o, hname, hvalue);
}

static enum MHD_Result reply_not_found(struct sim *s, struct req *rq)
{
    return reply_text(s, rq, 404, "{\"code\":0,\"data\":\"Data tidak ditemukan\"}", NULL, NULL);
}

static enum MHD_Result reply_sso_mismatch(struct sim *s, struct req *rq)
{
    return reply_text(s, rq, 200, "{\"code\":0,\"data\":\"Token SSO mismatch\"}", NULL, NULL);
}

/* WSO2's answer when it throttles: 429 with code 900800. */
static enum MHD_Result reply_throttled(struct sim *s, struct req *rq, const struct fault *f)
{
    char ra[32];

    snprintf(ra, sizeof(ra), "%d", f->retry_after);
    return reply_text(s, rq, 429,
                      "{\"code\":\"900800\",\"message\":\"Message throttled out\",\"description\":"
                      "\"You have exceeded your quota .\"}",
                      f->retry_after >= 0 ? "Retry-After" : NULL, ra);
}

/* WSO2's answer while it holds the backend suspended (303001). */
static enum MHD_Result reply_suspended(struct sim *s, struct req *rq)
{
    return reply_text(
        s, rq, 503,
        "{\"code\":\"303001\",\"message\":\"Runtime Error\",\"description\":"
        "\"Currently , Address endpoint : [ Name : apisiasn--v1.0_APIproductionEndpoint"
        " ] [ Key : apisiasn--v1.0_APIproductionEndpoint ] [ State : SUSPENDED ]\"}",
        NULL, NULL);
}

/* The faults that answer before the credentials are looked at; true when
 * one did, with its result in *ret. */
static bool fault_answered(struct siasn_call *c, enum MHD_Result *ret)
{
    switch (c->f.kind) {
    case F_STATUS:
        *ret = reply_fault_status(c->s, c->rq, &c->f);
        return true;
    case F_THROTTLED:
        *ret = reply_throttled(c->s, c->rq, &c->f);
        return true;
    case F_SUSPENDED:
        *ret = reply_suspended(c->s, c->rq);
        return true;
    case F_SSO_REFUSED:
        *ret = reply_sso_mismatch(c->s, c->rq);
        return true;
    case F_TOKEN_EXPIRED:
        tokens_revoke(c->s);
        *ret = reply_text(c->s, c->rq, 401, "{\"message\":\"invalid or expired jwt\"}", NULL, NULL);
        return true;
    case F_SLOW_HEADERS:
        sleep_ms(c->f.delay_ms);
        return false;
    default:
        return false;
    }
}

/* The APIM token (Authorization: Bearer) and the SSO token (Auth:
 * bearer), in that order; true when one was refused, with the answer. */
static bool credentials_refused(struct siasn_call *c, enum MHD_Result *ret)
{
    const char *apim = header(c->rq, "Authorization"), *sso = header(c->rq, "Auth");

    if (auth_check(c->s, c->rq) < 0) {
        /* A token this gateway issued is expired or revoked; anything else
         * is no credential at all. */
        if (apim && strncasecmp(apim, "Bearer simtok-", 14) == 0)
            *ret = reply_text(c->s, c->rq, 401, "{\"message\":\"invalid or expired jwt\"}", NULL,
                              NULL);
        else
            *ret = reply_text(c->s, c->rq, 401,
                              "{\"code\":\"900901\",\"message\":\"Invalid Credentials\","
                              "\"description\":\"Invalid Credentials. Make sure you have provided "
                              "the correct security credentials\"}",
                              "WWW-Authenticate", "OAuth2 realm=\"WSO2 API Manager\"");
        return true;
    }
    if (!sso || strncasecmp(sso, "bearer ", 7) != 0 || strcmp(sso + 7, c->s->sso_token) != 0) {
        *ret = reply_sso_mismatch(c->s, c->rq);
        return true;
    }
    return false;
}

/* Counts the call and the headers it lacks. */
static void call_count(struct siasn_call *c)
{
    struct siasn_stats *st = &c->s->siasn_stats;
    bool no_authorization = !header(c->rq, "Authorization"), no_auth = !header(c->rq, "Auth");

    pthread_mutex_lock(&c->s->mu);
    st->calls[c->ep]++;
    st->missing_authorization += no_authorization;
    st->missing_auth += no_auth;
    pthread_mutex_unlock(&c->s->mu);
}

/* ---- the answer, cut from the listing's record ------------------------------ */

json_t *siasn_record(struct sim *s, uint32_t i)
{
    struct out o = {0};
    json_t *r;

    pthread_rwlock_rdlock(&s->lock);
    record_json(s, i, &o);
    pthread_rwlock_unlock(&s->lock);
    r = json_loadb(o.p, o.len, 0, NULL);
    free(o.p);
    return r;
}

const char *siasn_date(const char *t, char *buf)
{
    if (strlen(t) != 10 || t[4] != '-' || t[7] != '-' || strspn(t, "0123456789-") != 10)
        return NULL;
    snprintf(buf, 11, "%.2s-%.2s-%.4s", t + 8, t + 5, t);
    return buf;
}

/* SIASN writes dates dd-mm-yyyy: every yyyy-mm-dd string becomes one. */
static void dates_dmy(json_t *v)
{
    const char *key;
    char d[11];
    json_t *m;
    size_t k;

    if (json_is_object(v)) {
        json_object_foreach(v, key, m) dates_dmy(m);
    } else if (json_is_array(v)) {
        json_array_foreach(v, k, m) dates_dmy(m);
    } else if (json_is_string(v) && siasn_date(json_string_value(v), d)) {
        json_string_set(v, d);
    }
}

/* data-utama: the record's top level without what SIASN lacks, its OPD as
 * unorInduk*, and the fields SIASN adds that ipasnd must ignore. */
static json_t *data_utama(json_t *rec, uint32_t i)
{
    json_t *status = json_object_get(rec, "statusCpnsPns");
    const char *st = json_string_value(status), *sex;

    json_object_set(rec, "unorIndukId", json_object_get(rec, "opdId"));
    json_object_set(rec, "unorIndukNama", json_object_get(rec, "opdNama"));
    json_object_set_new(rec, "statusPegawai",
                        json_string(!st                ? "PPPK"
                                    : !strcmp(st, "C") ? "CPNS"
                                                       : "PNS"));
    for (size_t k = 0; k < sizeof(not_in_data_utama) / sizeof(not_in_data_utama[0]); k++)
        json_object_del(rec, not_in_data_utama[k]);
    dates_dmy(rec);
    /* The legacy web service's spelling of the sex, now and then. */
    sex = json_string_value(json_object_get(rec, "jenisKelamin"));
    if (sex && i % 40 == 7)
        json_object_set_new(rec, "jenisKelamin", json_string(*sex == 'M' ? "Pria" : "Wanita"));
    json_object_set_new(rec, "gajiPokok", json_string(i % 2 ? "Rp 3.880.400" : ""));
    json_object_set_new(rec, "tanggal_taspen",
                        i % 2 ? json_null() : json_string("2019-03-01 00:00:00"));
    return json_incref(rec);
}

/* A history: the listing's rows, each linked to the PNS by its endpoint's
 * key, some with a document map (path) and years as strings. */
static json_t *history(json_t *rec, int ep, uint32_t i)
{
    json_t *rows = json_object_get(rec, endpoints[ep].key), *row;
    json_t *pns_id = json_object_get(rec, "id");
    size_t k;

    if (!json_is_array(rows))
        return NULL;
    json_array_foreach(rows, k, row)
    {
        json_t *year = json_object_get(row, "tahun");

        json_object_set(row, endpoints[ep].link, pns_id);
        if ((i + k) % 3 == 0)
            json_object_set_new(row, "path",
                                json_pack("{s:{s:s,s:s,s:s}}", "874", "dok_id", "874", "dok_nama",
                                          "Dokumen", "dok_uri", "peremajaan/dokumen.pdf"));
        if (json_is_integer(year) && (i + k) % 2) {
            char y[24];

            snprintf(y, sizeof(y), "%lld", (long long)json_integer_value(year));
            json_object_set_new(row, "tahun", json_string(y));
        }
    }
    dates_dmy(rows);
    return json_incref(rows);
}

/* A value of nilaiipasn: a number, a numeric string, at times with a
 * decimal comma. */
static json_t *official_value(json_t *v, uint32_t i)
{
    char t[32];

    if (!json_is_number(v) || i % 3 == 0)
        return json_incref(v);
    snprintf(t, sizeof(t), "%.10g", json_number_value(v));
    if (i % 9 == 4) {
        char *dot = strchr(t, '.');

        if (dot)
            *dot = ',';
    }
    return json_string(t);
}

/* nilaiipasn: the record's ipAsn, its total named subtotal. */
static json_t *official(json_t *rec, const char *nip, uint32_t i)
{
    static const char *const parts[] = {"kualifikasi", "kompetensi", "kinerja", "disiplin"};
    json_t *ip = json_object_get(rec, "ipAsn"), *d;

    if (!json_is_object(ip))
        return NULL;
    d = json_pack("{s:s,s:O?}", "nip", nip, "tahun", json_object_get(ip, "tahun"));
    if (!d)
        return NULL;
    for (size_t k = 0; k < 4; k++)
        json_object_set_new(d, parts[k], official_value(json_object_get(ip, parts[k]), i));
    json_object_set_new(d, "subtotal", official_value(json_object_get(ip, "total"), i));
    json_object_set_new(d, "created_at", json_string("2025-01-15T08:00:00+07:00"));
    return d;
}

/* The answer to a call whose data SIASN lacks, in one of the shapes
 * siasn-api.md lists, chosen by record and endpoint. */
static enum MHD_Result reply_empty(struct siasn_call *c)
{
    switch ((c->i + (uint32_t)c->ep * 3) % 7) {
    case 3:
        return reply_text(c->s, c->rq, 200, "{\"code\":0,\"data\":\"Data tidak ditemukan\"}", NULL,
                          NULL);
    case 4:
        return reply_text(c->s, c->rq, 200, "{\"code\":1,\"data\":null}", NULL, NULL);
    case 5:
        return reply_text(c->s, c->rq, 200, "{\"code\":0,\"data\":\"record not found\"}", NULL,
                          NULL);
    case 6:
        if (endpoints[c->ep].array)
            return reply_text(c->s, c->rq, 200, "{\"code\":1,\"data\":[],\"count\":0}", NULL, NULL);
        return reply_not_found(c->s, c->rq);
    default:
        return reply_not_found(c->s, c->rq);
    }
}

/* The envelope {"code": 1, "data": ...}, code now and then a string, lists
 * with a count; data is taken over. */
static void envelope(struct siasn_call *c, json_t *data)
{
    json_t *env = json_object();
    char *text;

    json_object_set_new(env, "code", c->i % 7 == 3 ? json_string("1") : json_integer(1));
    if (json_is_array(data))
        json_object_set_new(env, "count", json_integer((json_int_t)json_array_size(data)));
    json_object_set_new(env, "data", data);
    text = json_dumps(env, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(env);
    if (text)
        out_mem(&c->o, text, strlen(text));
    free(text);
}

/* The data of the call; NULL when SIASN has none for the NIP. */
static json_t *call_data(struct siasn_call *c, json_t *rec, char *nip)
{
    if (c->ep == EP_DATA_UTAMA)
        return data_utama(rec, c->i);
    if (c->ep == EP_NILAIIPASN)
        return official(rec, nip, c->i);
    return history(rec, c->ep, c->i);
}

static enum MHD_Result siasn_answer(struct siasn_call *c, const char *method)
{
    struct sim *s = c->s;
    enum MHD_Result ret;
    uint64_t nip;
    int64_t i;
    json_t *rec, *data;
    char nipbuf[24];

    c->ep = endpoint_of(c);
    if (c->ep < 0)
        return reply_text(s, c->rq, 404,
                          "{\"code\":\"404\",\"type\":\"Status report\",\"message\":\"Not Found\","
                          "\"description\":\"The requested resource is not available.\"}",
                          NULL, NULL);
    if (strcmp(method, "GET") != 0)
        return reply_error(s, c->rq, 405, "method_not_allowed", "use GET", true, "Allow", "GET");
    call_count(c);
    c->faulted = fault_take(s, c->url, false, true, &c->f);
    if (c->faulted && fault_answered(c, &ret))
        return ret;
    sleep_ms(s->latency_ms);
    if (credentials_refused(c, &ret))
        return ret;
    pthread_rwlock_rdlock(&s->lock);
    i = nip_parse(c->nip_text, &nip) == 0 ? nip_find(s, nip) : -1;
    pthread_rwlock_unlock(&s->lock);
    if (i < 0) {
        pthread_mutex_lock(&s->mu);
        s->siasn_stats.unknown_nip += c->ep == EP_DATA_UTAMA;
        pthread_mutex_unlock(&s->mu);
        return reply_not_found(s, c->rq);
    }
    c->i = (uint32_t)i;
    nip_format(nip, nipbuf);
    rec = siasn_record(s, c->i);
    if (!rec)
        return reply_error(s, c->rq, 500, "internal", "record not generated", true, NULL, NULL);
    data = call_data(c, rec, nipbuf);
    json_decref(rec);
    if (!data || (json_is_array(data) && json_array_size(data) == 0)) {
        json_decref(data);
        return reply_empty(c);
    }
    envelope(c, data);
    return reply_faulted(s, c->rq, c->faulted ? &c->f : NULL, &c->o);
}

/* GET SIASN_BASE/pns/{call}/{nipBaru}. */
enum MHD_Result serve_siasn(struct sim *s, struct req *rq, const char *url, const char *method)
{
    struct siasn_call c = {.s = s, .rq = rq, .url = url};
    enum MHD_Result ret;

    call_begin(s);
    ret = siasn_answer(&c, method);
    call_end(s);
    free(c.o.p);
    return ret;
}

/* The "siasn" member of /admin/stats; the caller holds s->mu. */
void siasn_stats_json(const struct sim *s, struct out *o)
{
    const struct siasn_stats *st = &s->siasn_stats;

    LIT(o, ",\"siasn\":{\"calls\":{");
    for (int k = 0; k < SIASN_ENDPOINTS; k++) {
        if (k)
            out_char(o, ',');
        out_str(o, endpoints[k].name);
        out_char(o, ':');
        out_uint(o, st->calls[k]);
    }
    LIT(o, "},\"missing_authorization\":");
    out_uint(o, st->missing_authorization);
    LIT(o, ",\"missing_auth\":");
    out_uint(o, st->missing_auth);
    LIT(o, ",\"unknown_nip\":");
    out_uint(o, st->unknown_nip);
    LIT(o, ",\"in_flight\":");
    out_int(o, st->in_flight);
    LIT(o, ",\"max_in_flight\":");
    out_int(o, st->max_in_flight);
    LIT(o, ",\"max_per_second\":");
    out_uint(o, st->max_per_second);
    LIT(o, ",\"min_gap_ms\":");
    out_int(o, st->last_start_ms ? st->min_gap_ms : -1);
    out_char(o, '}');
}
