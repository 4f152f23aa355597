/* The configuration: one libconfig file parsed and validated into one
 * struct config, with every default of the documentation. Owns the secrets
 * read from files. Never logs; warnings and errors go back to the caller.
 * The daemon swaps a whole new config in on SIGHUP. */
#ifndef IPASND_CONFIG_H
#define IPASND_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define CONFIG_DEFAULT_PATH SYSCONFDIR "/ipasnd/ipasnd.conf"

enum source_type {
    SOURCE_LISTING, /* the agency's SIMPEG listing, simpeg-api.md */
    SOURCE_SIASN    /* BKN's WS SIASN, per NIP of a roster, siasn-api.md */
};
enum auth_type {
    AUTH_NONE,
    AUTH_BEARER,
    AUTH_OAUTH2
};
enum log_target {
    LOG_TARGET_AUTO,
    LOG_TARGET_JOURNAL,
    LOG_TARGET_STDERR
};
enum ruleset {
    RULESET_BKN2019,
    RULESET_BKN2024
};
enum leadership_match {
    LEADERSHIP_EXACT,
    LEADERSHIP_AT_LEAST
};
enum category_mode {
    CATEGORY_STRICT,
    CATEGORY_ROUND
};
enum mean_over {
    MEAN_ALL,
    MEAN_MEASURED
};

/* A list of strings owned by the config. */
struct strlist {
    char **v;
    size_t n;
};

/* source.headers: a static extra header whose value is a secret file */
struct extra_header {
    char *name;
    char *value_file; /* as written */
    char *value;      /* the secret, read from the resolved file */
};

/* source.siasn.opd_map_file: the OPD a SIASN unit (unor) belongs to. */
struct opd_map_entry {
    char *unor_id, *opd_id, *opd_name;
};

struct config_siasn {
    char *sso_token_file;  /* as written */
    char *sso_token;       /* the secret, read at load */
    char *sso_token_path;  /* resolved, for re-reads */
    char *roster_file;     /* as written */
    char *roster_path;     /* resolved against the config's folder */
    int64_t refresh_every; /* seconds */
    int parallel;          /* calls in flight, 1..64 */
    char *cookie_file;     /* "" = none; as written */
    char *cookie;          /* the secret, read at load */
    char *cookie_path;
    char *opd_map_file; /* "" = none; as written */
    char *opd_map_path;
    struct opd_map_entry *opd_map; /* read and checked at load */
    size_t n_opd_map;
};

struct config_source {
    enum source_type type;
    char *url;
    char *instansi_id; /* the key rows are stored under; "" for one instansi */
    enum auth_type auth;
    char *token_url;
    char *client_id;
    char *client_secret_file; /* as written */
    char *scope;
    char *token_file;    /* bearer; as written */
    char *client_secret; /* the secrets themselves, read at load */
    char *token;
    char *client_secret_path; /* resolved paths, for re-reads */
    char *token_path;
    struct extra_header *headers;
    size_t n_headers;
    int page_size;           /* 1..1000 */
    int64_t timeout;         /* seconds */
    int64_t connect_timeout; /* seconds */
    int retries;             /* attempts after the first */
    int64_t backoff_max;     /* seconds */
    double rate_limit;       /* requests per second, > 0 */
    int64_t max_page_bytes;
    char *ca_file; /* "" = the system store */
    bool tls_verify;
    bool allow_plain_http;     /* credentials may go to an http:// URL off this machine */
    struct config_siasn siasn; /* type SOURCE_SIASN */
};

struct config_database {
    char *conninfo;    /* libpq conninfo; PG* environment applies too */
    char *reader_role; /* "" or a role migrate lets read the public views */
};

/* How long what ipasnd stores is kept; 0 keeps it for ever. */
struct config_store {
    int64_t quarantine_keep; /* quarantine rows, from their last sight */
    int64_t runs_keep;       /* sync_run rows */
    int64_t departed_keep;   /* records and histories of inactive employees */
};

struct config_sync {
    int64_t interval; /* seconds */
    double jitter;    /* 0..0.5, a fraction of interval */
    int64_t full_every;
    int64_t overlap;
    int64_t max_clock_skew; /* how far ahead server_time may be */
};

/* Course kinds and leadership levels are recognised by names, matched as
 * whole words, case-insensitively. */
struct name_rules {
    struct strlist functional;    /* diklat fungsional */
    struct strlist technical;     /* diklat teknis */
    struct strlist seminar;       /* seminar, workshop, course, internship */
    struct strlist leadership[4]; /* [0] = level I (PIM I / PKN I) .. [3] = IV */
};

/* Every number of the regulation; points are in tenths (22.5 -> 225). */
struct rules {
    /* kualifikasi */
    int qual_s3, qual_s2, qual_s1, qual_d3, qual_slta, qual_sltp, qual_none;

    /* kompetensi */
    int competency_max;
    int struktural_leadership, struktural_technical, struktural_seminar;
    int fungsional_functional, fungsional_technical, fungsional_seminar;
    int pelaksana_technical, pelaksana_seminar;
    int technical_jp;     /* threshold in JP */
    int technical_window; /* years counted back from N, N included: 1 = N only */
    int seminar_window;   /* 2 = N-1..N */
    int jp_per_day;
    enum leadership_match leadership_match;

    /* kinerja */
    int performance_year_offset; /* SKP of year N - offset */
    double skp_above_sangat_baik, skp_above_baik, skp_above_cukup, skp_above_kurang;
    double skp_score_max;
    int perf_sangat_baik, perf_baik, perf_cukup, perf_kurang, perf_sangat_kurang, perf_none;

    /* disiplin */
    int discipline_window; /* 5 = N-4..N */
    int disc_none, disc_ringan, disc_sedang, disc_berat;

    /* category */
    enum category_mode category_mode;
    double cat_above_sangat_tinggi, cat_above_tinggi, cat_above_sedang, cat_above_rendah;

    enum mean_over mean_over;

    /* bkn2024 (provisional) */
    int b24_base_sangat_baik, b24_base_baik, b24_base_butuh_perbaikan, b24_base_kurang,
        b24_base_sangat_kurang;
    int b24_leadership, b24_functional, b24_technical, b24_other;
    int b24_other_jp;

    struct name_rules names;
};

struct config_index {
    int period;   /* 0 = the current year */
    date_t as_of; /* DATE_NONE = 31 December of the period */
    double target;
    double previous; /* 0 = from history */
    enum ruleset ruleset;
    struct strlist include_status;
    struct rules rules;
};

struct config_quality {
    int64_t stale_after; /* seconds */
    double ipasn_tolerance;
};

struct config_log {
    enum log_target target;
    int level; /* syslog priority: LOG_ERR..LOG_DEBUG */
    int max_issue_lines;
};

/* The language of the report's words (the table and the HTML page); the
 * regulation's own terms stay Indonesian in both. */
enum report_language {
    REPORT_LANG_EN,
    REPORT_LANG_ID,
};

struct config_report {
    enum report_language language;
};

struct config {
    char *path; /* the file it came from, NULL for built-in defaults */
    struct config_source source;
    struct config_database database;
    struct config_store store;
    struct config_sync sync;
    struct config_index index;
    struct config_quality quality;
    struct config_log log;
    struct config_report report;
    struct strlist warnings; /* things worth saying at start, e.g. tls_verify off */
};

/* Built-in defaults, no file. Caller frees with config_free. */
struct config *config_defaults(void);

/* Parses and validates path. On success returns the config (caller frees with
 * config_free). On failure returns NULL and appends every error found, each
 * "FILE:LINE: key: what is wrong", to *errors (caller frees with
 * strlist_free). Secret files are resolved against $CREDENTIALS_DIRECTORY
 * when set, else the config file's folder, and read. */
struct config *config_load(const char *path, struct strlist *errors);

void config_free(struct config *cfg); /* NULL is a no-op */

/* The years a period may be, in index.period and on the command line. */
#define PERIOD_MIN 2000
#define PERIOD_MAX 2100
bool config_period_valid(int64_t year);

/* The measurement year and as-of date in force, resolving the defaults:
 * period 0 is the current year (read from the clock), as_of none is 31
 * December of the period. */
int config_period(const struct config_index *idx);
date_t config_as_of(const struct config_index *idx);

/* A copy of in with its period and as-of date resolved for today, once:
 * a cycle scores every page with the same year even when it runs across
 * New Year. */
void config_resolve_index(const struct config_index *in, date_t today, struct config_index *out);

/* A stable hash of everything that changes scores (ruleset, rules, period
 * scope); stored by sync to know when to recompute. */
uint64_t config_rules_hash(const struct config_index *idx);

const char *ruleset_name(enum ruleset r);

/* Walks the key schema; used by tests and documentation checks. */
size_t config_key_count(void);
const char *config_key_path(size_t i);
const char *config_key_default(size_t i); /* libconfig text, NULL if required */

void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
