/* sim.h: what every file of the SIMPEG simulator shares: the limits, the
 * province's types and tables, the deterministic randomness, the output
 * buffer, the simulator's state, the person and the employee being
 * generated, the request, and what each file offers the others. Only the
 * files of tools/simpeg-sim include it; README.md beside it says which file
 * does what. */
#ifndef SIMPEG_SIM_H
#define SIMPEG_SIM_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <microhttpd.h>

#define MAX_EMPLOYEES 10000000
#define MAX_FAULTS    32
#define MAX_TOKENS    256
#define MAX_BODY      8192
#define MAX_QUERY     1024
#define PAGE_MAX      1000
#define PAGE_DEFAULT  500
#define EXTRA_MAX     5 /* courses a record gains by its later versions, kept */
/* big_header's default size, which needs no --header-room. */
#define HEADER_ROOM_DEFAULT (1u << 20)

/* ---- the province -------------------------------------------------------- */

/* The NIP of the records faults add (rejects, poison): no employee's, the
 * index never gives it. */
#define POISON_NIP     "198804122014031002"
#define POISON_NIP_NUM 198804122014031002ULL

#define INSTANSI_ID   "A5EB03E23CFBF6A0E040640A040252AD"
#define INSTANSI_NAME "Pemerintah Provinsi Kalimantan Selatan"

enum opd_kind {
    KIND_GENERAL,
    KIND_EDU,    /* teachers in SMA, SMK and SLB */
    KIND_HOSP,   /* hospitals */
    KIND_HEALTH, /* the health office */
    KIND_SETDA,  /* the secretariat and its biro */
};

/* Functional positions (jabatan fungsional tertentu). */
enum role {
    R_GURU,
    R_PENGAWAS_SEKOLAH,
    R_PUSTAKAWAN,
    R_DOKTER,
    R_DOKTER_SPESIALIS,
    R_PERAWAT,
    R_PERAWAT_NERS,
    R_BIDAN,
    R_APOTEKER,
    R_ASISTEN_APOTEKER,
    R_PRANATA_LAB,
    R_RADIOGRAFER,
    R_NUTRISIONIS,
    R_PEREKAM_MEDIS,
    R_EPIDEMIOLOG,
    R_SANITARIAN,
    R_PENYULUH_KESMAS,
    R_ANALIS_KEBIJAKAN,
    R_PERENCANA,
    R_PRANATA_KOMPUTER,
    R_ARSIPARIS,
    R_ANALIS_KEUANGAN,
    R_PENGELOLA_PBJ,
    R_ANALIS_SDM,
    R_AUDITOR,
    R_P2UPD,
    R_PENYULUH_KEHUTANAN,
    R_PEH,
    R_POLHUT,
    R_PRANATA_HUMAS,
    R_STATISTISI,
    R_PENGAWAS_LH,
    R_PENGUJI_KENDARAAN,
    R_POL_PP,
    R_PEKSOS,
    R_PENYULUH_PERTANIAN,
    R_PENGAWAS_PERIKANAN,
    R_TEKNIK_JALAN,
    R_PENATA_RUANG,
    R_MEDIATOR_HI,
    R_WIDYAISWARA,
    R_PEMERIKSA_PAJAK,
    N_ROLES
};

enum level {
    L_SD,
    L_SLTP,
    L_SLTA,
    L_D3,
    L_D4,
    L_S1,
    L_S2,
    L_S3,
};

struct role_info {
    const char *name;
    bool skilled;         /* a "Terampil" (D-III) role rather than an "Ahli" one */
    const char *field[3]; /* studies; NULL-padded */
    const char *title;    /* the title of its usual degree */
};

extern const struct role_info roles[];

struct opd_info {
    const char *id, *name, *head; /* head: the title of its eselon II post */
    int weight;                   /* share of the workforce, per mille */
    enum opd_kind kind;
    double fungsional; /* share of functional positions among the rest */
    int8_t roles[9];   /* functional roles, repeated for weight, -1 ends */
};

extern const struct opd_info opds[];
extern const uint32_t n_opds;

/* A table of names and its length, for the tables drawn from. */
struct names {
    const char *const *v;
    uint32_t n;
};
#define PICK_NAME(r, t) ((t).v[rng_below((r), (t).n)])

extern const struct names cities, units_general, units_hosp, units_setda, units_edu,
    pelaksana_posts, male_first, male_last, female_first, female_last;

/* Position types (jenisJabatanId). */
enum position {
    POS_STRUKTURAL = 1,
    POS_FUNGSIONAL = 2,
    POS_RANGKAP = 3,
    POS_PELAKSANA = 4,
};

enum status {
    ST_PNS,
    ST_CPNS,
    ST_PPPK,
};

/* Eselon posts: code, name, leadership level (1..4). */
struct eselon_info {
    const char *id, *name;
    int level;
};
extern const struct eselon_info eselons[];

/* Education levels: tkPendidikanId, tkPendidikanNama. */
struct level_info {
    const char *id, *name;
};
extern const struct level_info levels[];

/* Grades: golRuangAkhirId and golRuangAkhir. */
extern const char *const grade_ids[], *const grade_names[];

enum course_kind {
    CK_TEKNIS,
    CK_BIMTEK,
    CK_PELATIHAN,
    CK_SEMINAR,
    CK_WORKSHOP,
    CK_WEBINAR,
    CK_LOKAKARYA,
    CK_KURSUS,
    CK_MAGANG,
    CK_FUNGSIONAL,
    CK_UNKNOWN,
};
struct course_kind_info {
    const char *id, *name;
};
extern const struct course_kind_info course_kinds[];
extern const struct names course_technical, course_seminar, course_edu, course_health;

/* ---- the defects of quality.md ------------------------------------------ */

enum defect {
    D_RECORD_MALFORMED,
    D_NIP_INVALID,
    D_NIP_BIRTHDATE,
    D_NIP_TMT,
    D_NIP_SEX,
    D_DUPLICATE,
    D_OPD_MISSING,
    D_POSITION_UNKNOWN,
    D_EDUCATION_MISSING,
    D_EDUCATION_UNKNOWN,
    D_SKP_MISSING,
    D_SKP_INVALID,
    D_HOURS_MISSING,
    D_KIND_UNKNOWN,
    D_DATE_INVALID,
    D_DATE_FUTURE,
    D_DATE_ORDER,
    D_AGE,
    D_LEADERSHIP,
    D_IPASN_MISMATCH,
    D_STALE,
    N_DEFECTS
};

extern const char *const defect_codes[N_DEFECTS];

/* Defects a fix cannot remove: they live in the NIP, the key. */
#define UNFIXABLE ((1u << D_NIP_INVALID) | (1u << D_AGE))

/* ---- deterministic randomness ------------------------------------------- */

/* Inline: every generated record draws from these hundreds of times. */
static inline uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct rng {
    uint64_t s;
};

enum stream {
    S_IDENTITY = 1,
    S_DEFECTS,
    S_CONTENT,
    S_EXTRA,
    S_IDS,
    S_MUTATE,
    S_TOKEN,
    S_PERSONAL,
    S_STORY = 300, /* sim_story.c: one stream per question from here on */
};

static inline struct rng rng_for(uint64_t seed, uint64_t index, uint64_t stream)
{
    struct rng r = {mix64(seed ^ mix64(index ^ mix64(stream)))};

    return r;
}

static inline uint64_t rng_next(struct rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

/* Uniform in [0, n). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline int rng_range(struct rng *r, int lo, int hi) /* inclusive */
{
    return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static inline double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static inline bool rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

#define PICK(r, arr) ((arr)[rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- dates (sim_date.c) ------------------------------------------------- */

/* Days since 1970-01-01 of a civil date, and back. */
int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t z, int *y, int *m, int *d);
int year_of(int32_t day);
bool valid_ymd(int y, int m, int d);
/* RFC 3339 to Unix seconds: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM). */
int rfc3339_parse(const char *s, int64_t *out);

enum date_style {
    DS_ISO, /* "2024-03-01" */
    DS_DMY, /* "01-03-2024", as SIASN writes */
};

/* No date: out_date writes "" for it. */
#define NO_DATE INT32_MIN

/* ---- an output buffer with JSON writers (sim_json.c) ------------------------ */

struct out {
    char *p;
    size_t len, cap;
};

void out_grow(struct out *o, size_t n);

static inline void out_reserve(struct out *o, size_t n)
{
    if (o->len + n > o->cap)
        out_grow(o, n);
}

static inline void out_mem(struct out *o, const char *s, size_t n)
{
    out_reserve(o, n);
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

#define LIT(o, s) out_mem((o), "" s, sizeof(s) - 1)

static inline void out_char(struct out *o, char c)
{
    out_reserve(o, 1);
    o->p[o->len++] = c;
}

/* A JSON string, quoted and escaped. */
void out_str(struct out *o, const char *s);
/* A JSON string, or null for NULL. */
void out_str_or_null(struct out *o, const char *s);
void out_uint(struct out *o, uint64_t v);
void out_int(struct out *o, int64_t v);
/* A quoted date; NO_DATE gives "". */
void out_date(struct out *o, int32_t day, enum date_style style);
/* A quoted RFC 3339 timestamp, in UTC or at +08:00 (WITA). */
void out_timestamp(struct out *o, int64_t t, bool wita);

/* ---- the simulator's state -------------------------------------------------- */

enum record_flag {
    RF_DELETED = 1, /* a tombstone */
    RF_FIXED = 2,   /* fixable defects removed */
    RF_MOVED = 4,   /* transient: changed, to be moved to the end of the order */
    RF_SET = 8,     /* has fields set by POST /admin/set */
};

enum route {
    RT_LIST,
    RT_RECORD,
    RT_TOKEN,
    RT_HEALTH,
    RT_ADMIN,
    RT_SIASN, /* the WS SIASN calls, --api siasn */
    RT_OTHER,
    N_ROUTES
};
extern const char *const route_names[N_ROUTES];

enum fault_kind {
    F_STATUS,
    F_SLOW_HEADERS,
    F_SLOW_BODY,
    F_TRUNCATE,
    F_MALFORMED,
    F_RESET,
    F_GONE,
    F_TOKEN_EXPIRED,
    F_OVERSIZE,
    F_REJECTS,
    F_WRONG_NIP,
    F_BIG_HEADER,
    F_THROTTLED,   /* SIASN: 429, WSO2 code 900800 */
    F_SUSPENDED,   /* SIASN: 503 Runtime Error, backend SUSPENDED */
    F_SSO_REFUSED, /* SIASN: {"code":0,"data":"Token SSO mismatch"} */
    /* Page faults: they change a listing page's body, and several may
     * apply to one page (fault_take_page). */
    F_CURSOR_LOOP,
    F_CURSOR_CHURN,
    F_SERVER_TIME,
    F_POISON,
    F_BROKEN_ENVELOPE,
    F_DUPLICATE,
    F_BIG_FIELD,
    N_FAULT_KINDS
};
#define FIRST_PAGE_FAULT F_CURSOR_LOOP
extern const char *const fault_names[N_FAULT_KINDS];

/* What makes the poison fault's record one jansson refuses. */
enum poison {
    P_NUL,       /* a string holding \u0000 */
    P_DUPKEY,    /* a key twice in one object */
    P_BIGREAL,   /* 1e400 */
    P_BIGINT,    /* an integer beyond 64 bits */
    P_SURROGATE, /* a lone \ud800 */
    N_POISONS
};
extern const char *const poison_names[N_POISONS];

/* How the broken_envelope fault breaks a page's envelope. */
enum envelope_break {
    EB_UNCLOSED,   /* the object's closing brace missing */
    EB_UNBALANCED, /* the data array's closing bracket missing */
    EB_TRAILING,   /* a second value after the object */
    EB_DUPDATA,    /* "data" twice, the second empty */
    EB_NO_CURSOR,  /* next_cursor missing */
    N_ENVELOPE_BREAKS
};
extern const char *const envelope_break_names[N_ENVELOPE_BREAKS];

struct fault {
    enum fault_kind kind;
    int remaining; /* -1: until cleared */
    int skip;      /* matching requests let through before it fires */
    int status;
    int retry_after; /* seconds, -1 none, -2 the text in retry_after_text */
    bool retry_after_date;
    char retry_after_text[128];
    bool siasn;
    int delay_ms;
    int chunk;
    int64_t bytes;
    bool chunked;
    int copies; /* rejects: how many copies of the bad record */
    char path[64];
    char location[256]; /* status: a Location header, for redirects */
    char message[256];  /* status: the error body's message */
    char server_time[64];
    enum poison which;
    enum envelope_break how;
    int back;     /* cursor_loop: how many pages back the loop goes */
    int64_t at;   /* cursor_loop, cursor_churn: the page start it holds to;
                   * duplicate: 0 once it holds to its record; -1 not yet */
    uint64_t nip; /* duplicate: the record served twice; 0 the first of its first page */
    bool same;    /* duplicate: the copy as the record is, not changed */
};

/* Fields POST /admin/set overrides, in the order of set_field_names. */
enum set_field {
    SF_NAMA,
    SF_OPD_NAMA,
    SF_OPD_ID,
    SF_JABATAN,
    N_SET_FIELDS
};
extern const char *const set_field_names[N_SET_FIELDS];

#define MAX_SETS 4096 /* records with overridden fields */

/* A record's overridden fields; NULL keeps the generated one. */
struct record_set {
    uint32_t index;
    char *v[N_SET_FIELDS];
};

enum auth_mode {
    AUTH_NONE,
    AUTH_BEARER,
    AUTH_OAUTH2,
};

struct token {
    char value[64];
    int64_t expires;
    bool revoked;
};

/* What the WS SIASN side counts for /admin/stats (under s->mu). */
#define SIASN_ENDPOINTS 8
struct siasn_stats {
    uint64_t calls[SIASN_ENDPOINTS];
    uint64_t missing_authorization, missing_auth, unknown_nip;
    int in_flight, max_in_flight;
    int64_t second; /* the wall-clock second being counted */
    uint32_t this_second, max_per_second;
    int64_t last_start_ms, min_gap_ms; /* between two calls' arrivals; -1 none yet */
};

struct sim {
    /* options */
    uint64_t seed;
    uint32_t n;
    int32_t today;      /* days */
    double defect_rate; /* each defect's share; below 0: story_defect_rate's own */
    double mutate_rate;
    enum auth_mode auth;
    const char *bearer, *client_id, *client_secret;
    int64_t token_ttl;
    const char *req_header, *req_value;
    bool verbose;
    bool siasn;            /* --api siasn: WS SIASN instead of the listing */
    const char *sso_token; /* siasn: what the Auth header must carry */
    int latency_ms;        /* siasn: added to every data call */

    /* the records: key, version and flags; the rest is generated */
    pthread_rwlock_t lock;
    uint64_t *nip;
    uint32_t *updated; /* updatedAt, Unix seconds */
    uint16_t *version;
    uint8_t *flags;
    uint32_t *order;         /* record indices sorted by (updated, nip) */
    uint32_t *slots;         /* NIP hash table: index + 1, 0 empty */
    uint32_t n_slots;        /* a power of two */
    uint64_t listings;       /* listings started, for --mutate-rate */
    struct record_set *sets; /* POST /admin/set, MAX_SETS at most */
    uint32_t n_sets;

    /* faults, statistics and tokens */
    pthread_mutex_t mu;
    struct fault faults[MAX_FAULTS];
    int n_faults;
    uint64_t stats[N_ROUTES][600];
    uint64_t cursor_requests, listing_starts;
    char last_scope[128], last_user_agent[128], last_accept[128], last_accept_encoding[128];
    struct token tokens[MAX_TOKENS];
    uint64_t tokens_issued;
    struct siasn_stats siasn_stats;
    uint64_t churn_serial; /* cursor_churn: cursors made so far */
    size_t header_room;    /* the largest big_header header: --header-room, --fault */

    /* --official-rules: every record's ipAsn is BKN's value under those
     * rules for the year of today (sim_official.c); NULL: the generated one */
    struct sim_official *official;
};

/* Set on SIGINT or SIGTERM: the slow answers of faults stop early. */
extern volatile sig_atomic_t stopping;

/* ---- identity: what the key and the order need ------------------------------ */

struct person {
    enum status status;
    int sex;           /* 1 male, 2 female */
    int32_t birth;     /* days */
    int32_t tmt_cpns;  /* days; PPPK: the appointment */
    uint32_t defects;  /* bits of enum defect, before fixes */
    int opd;           /* index into opds */
    enum position pos; /* jenisJabatanId */
    int eselon;        /* index into eselons, -1 none */
    bool deleted;      /* a tombstone from the start */
    uint32_t updated;  /* the first version's updatedAt */
    int nip_variant;   /* nip_invalid: 1 month 13, 2 sequence 000 */
    unsigned seq;
};

/* ---- a record ------------------------------------------------------------------ */

#define MAX_EDU    6
#define MAX_DIKLAT 4
#define MAX_KURSUS (12 + EXTRA_MAX)
#define MAX_SKP    8
#define MAX_SKP22  6
#define MAX_HUKDIS 2

struct edu {
    enum level level;
    const char *level_id, *level_name;
    char name[80];
    int year;
    int32_t date;
    enum date_style style;
};

struct diklat {
    const char *type_id, *name;
    int32_t start, end;
    int hours;
    enum date_style style;
};

struct kursus {
    const char *kind_id, *kind_name, *name;
    int hours;             /* -1: none */
    int32_t start, end;    /* end NO_DATE: one day */
    const char *raw_start; /* set: an unparseable date */
    enum date_style style;
    int dup_of; /* -1, or the entry whose id it repeats */
};

struct skp {
    int year;
    int cents;
    bool as_text;
};

struct skp22 {
    int year;
    const char *predikat, *value;
};

struct hukdis {
    char level;
    const char *name;
    int32_t sk, tmt, end;
    bool annulled;
    int number;
};

struct employee {
    struct person p;
    uint32_t defects;
    char nip[19];
    char name[80];
    const char *front, *back;
    int32_t birth_shown, tmt_cpns_shown, tmt_pns;
    char sex_shown;
    const char *birthplace;
    const char *post;
    char post_buf[160];
    int grade; /* index into grade tables */
    const char *unor;
    char unor_buf[80];
    int unor_no;
    enum date_style style;
    bool wita;
    struct edu edu[MAX_EDU];
    int n_edu;
    enum level top;
    struct diklat diklat[MAX_DIKLAT];
    int n_diklat;
    struct kursus kursus[MAX_KURSUS];
    int n_kursus;
    struct skp skp[MAX_SKP];
    int n_skp;
    struct skp22 skp22[MAX_SKP22];
    int n_skp22;
    struct hukdis hukdis[MAX_HUKDIS];
    int n_hukdis;
    bool has_ipasn;
    int ipasn_year, ipasn[5]; /* tenths: kualifikasi, kompetensi, kinerja, disiplin, total */
    int malformed;            /* 1 no nama, 2 nama a number, 3 nipBaru a number */
};

/* Grades: golRuangAkhirId and golRuangAkhir. */
/* The employee being generated: the context every history's step works on.
 * d holds the defects generation follows: every bit the record got, fixes
 * applied, so the contract-breaking ones keep their other defects too. */
struct gen {
    const struct sim *s;
    uint32_t i;
    struct employee *e;
    const struct person *p;
    const struct opd_info *o;
    const struct role_info *role; /* functional positions only */
    bool doctor;
    uint32_t d;
    int year; /* the current one */
    int32_t today;
    struct rng r; /* the content stream, drawn in the order of the steps */
};

struct req {
    struct MHD_Connection *conn;
    char body[MAX_BODY + 1];
    size_t body_len;
    bool body_too_big;
    enum route route;
    int status; /* what was answered */
};

/* ---- what each file offers the others ---------------------------------------- */

/* sim_person.c: the identity, all the key and the order need. */
void person_identity(const struct sim *s, uint32_t i, struct person *p);
uint64_t nip_compose(const struct person *p, unsigned seq);

/* sim_employee.c: a person's whole record. */
void employee_generate(const struct sim *s, uint32_t i, struct employee *e);
void add_course(struct employee *e, struct rng *r, enum course_kind kind, int year, int32_t limit,
                const struct opd_info *o);

/* sim_defect.c: the defects of quality.md. */
void defects_roll(const struct sim *s, struct rng *d, struct person *p);
uint32_t record_defects(const struct sim *s, uint32_t i, const struct person *p);
void defects_nip_dates(struct gen *g);
void defects_apply(struct gen *g);

/* sim_story.c: how far each OPD has come, and the defects' own rates. */
enum level story_education(const struct gen *g, enum level top);
void story_development(struct gen *g);
bool story_sangat_baik(const struct gen *g);
double story_defect_rate(int defect);

/* sim_personal.c: the personal data a SIMPEG holds beside the record. */
void personal_json(const struct sim *s, uint32_t i, const struct employee *e, struct out *o);

/* sim_json.c: a record as JSON; record_json_copy gives the duplicate
 * fault's second copy, another jabatanNama at the same updatedAt. */
void record_json(const struct sim *s, uint32_t i, struct out *o);
void record_json_copy(const struct sim *s, uint32_t i, struct out *o);
/* The record as served: generated, with the official value of
 * --official-rules when it is given. */
void record_generate(const struct sim *s, uint32_t i, struct employee *e);

/* sim_official_file.c: BKN's IP ASN export of the live records, as
 * siasn-api.md §7 gives it; 0 or -1. */
int official_write(const struct sim *s, const char *path);

/* sim_index.c: the NIP index, the order of the listing, its cursors. */
int sim_build(struct sim *s);
int64_t nip_find(const struct sim *s, uint64_t nip);
int nip_parse(const char *t, uint64_t *out);
void nip_format(uint64_t nip, char *buf);
uint32_t order_bound(const struct sim *s, uint32_t u, uint64_t nip, bool strict);
void order_fix(struct sim *s, uint32_t now);
void record_touch(struct sim *s, uint32_t i, uint32_t now, uint8_t add_flags);
void mutate(struct sim *s, uint32_t count, uint64_t stream_no);
/* A cursor: 24 characters, or 28 with a serial number (cursor_churn); out
 * holds CURSOR_MAX bytes. */
#define CURSOR_MAX 32
void cursor_encode(const struct sim *s, uint32_t u, uint64_t nip, char *out);
void cursor_encode_serial(const struct sim *s, uint32_t u, uint64_t nip, uint32_t serial,
                          char *out);
int cursor_decode(const struct sim *s, const char *t, uint32_t *u, uint64_t *nip);
/* The key a page starting at position pos is asked for with: the key of
 * the record before it, or (0, 0) before the first. Read lock held. */
void cursor_key_before(const struct sim *s, uint32_t pos, uint32_t *u, uint64_t *nip);
/* POST /admin/set's fields of record i (NULL: none), and setting one;
 * callers hold s->lock (the write lock to set). record_set_put: -1 when
 * MAX_SETS records have fields set already or memory runs out. */
const struct record_set *record_set_find(const struct sim *s, uint32_t i);
int record_set_put(struct sim *s, uint32_t i, enum set_field field, const char *value);
void record_sets_free(struct sim *s);

/* sim_page.c: a listing page of up to limit records from position start
 * of the order, with the page faults armed for url and the rejects
 * fault's copies (NULL: none), into o. Read lock held. */
void page_write(struct sim *s, const char *url, uint32_t start, int64_t limit, int64_t now,
                const struct fault *rejects, struct out *o);

/* sim_http.c: requests and answers, and the dispatch. */
const char *query(struct req *rq, const char *key);
bool query_too_long(struct req *rq, const char *key);
const char *header(struct req *rq, const char *key);
enum MHD_Result reply(struct sim *s, struct req *rq, int status, struct out *body,
                      const char *hname, const char *hvalue);
enum MHD_Result reply_error(struct sim *s, struct req *rq, int status, const char *code,
                            const char *message, bool siasn, const char *hname, const char *hvalue);
void stats_count(struct sim *s, enum route rt, int status);
enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                       const char *version, const char *upload, size_t *upload_size,
                       void **con_cls);
void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
               enum MHD_RequestTerminationCode toe);

/* sim_fault.c: faults, armed by --fault and POST /admin/fault; path
 * defaults to fault_default_path (SIASN_BASE with --api siasn). */
extern const char *fault_default_path;
void fault_defaults(struct fault *f);
int fault_set(struct fault *f, const char *key, const char *value);
int fault_finish(struct fault *f);
int fault_parse_spec(const char *spec, struct fault *f);
int fault_arm(struct sim *s, const struct fault *f);
bool fault_take(struct sim *s, const char *url, bool has_cursor, bool data_call, struct fault *out);
/* The page faults armed for a listing page that applies(f, ctx) says
 * apply to it, at most one of each kind: their number, copies in out.
 * applies is called with s->mu held and may update the armed fault (the
 * page or record it holds to); the fault's skip is counted down first. */
int fault_take_page(struct sim *s, const char *url, bool (*applies)(struct fault *f, void *ctx),
                    void *ctx, struct fault *out, int max);
void sleep_ms(int ms);
enum MHD_Result reply_stream(struct sim *s, struct req *rq, const struct fault *f,
                             struct out *body);
enum MHD_Result reply_fault_status(struct sim *s, struct req *rq, const struct fault *f);
enum MHD_Result reply_faulted(struct sim *s, struct req *rq, const struct fault *f,
                              struct out *body);
/* big_header: body (taken over) with a header of f->bytes bytes. */
enum MHD_Result reply_big_header(struct sim *s, struct req *rq, const struct fault *f,
                                 struct out *body);

/* sim_auth.c: bearer tokens and the OAuth2 token endpoint. */
int auth_check(struct sim *s, struct req *rq);
void tokens_revoke(struct sim *s);
enum MHD_Result serve_token(struct sim *s, struct req *rq, const char *method,
                            const struct fault *f);

/* sim_data.c: GET /v1/asn and GET /v1/asn/{nip}. */
enum MHD_Result serve_data(struct sim *s, struct req *rq, const char *url, const char *method);

/* sim_siasn.c: the WS SIASN calls of siasn-api.md under SIASN_BASE. */
#define SIASN_BASE "/apisiasn/1.0"
enum MHD_Result serve_siasn(struct sim *s, struct req *rq, const char *url, const char *method);
void siasn_stats_json(const struct sim *s, struct out *o);
/* The listing's record of i, parsed; the caller frees it with json_decref. */
struct json_t *siasn_record(struct sim *s, uint32_t i);
/* A yyyy-mm-dd string into SIASN's dd-mm-yyyy (buf of 11); else NULL. */
const char *siasn_date(const char *t, char *buf);

/* sim_roster.c: SIASN's "Export Data ASN" CSV of the workforce. */
struct roster_options {
    char separator;    /* ',' or ';' */
    bool windows_1252; /* else UTF-8 with a BOM */
};
int roster_write(struct sim *s, const char *path, const struct roster_options *ro);

/* sim_admin.c: the /admin routes. */
enum MHD_Result serve_admin(struct sim *s, struct req *rq, const char *url, const char *method);

#endif
