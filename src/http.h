/* The HTTP client of the SIMPEG source: one reused libcurl handle (keep-alive,
 * TLS session reuse), authentication (bearer, OAuth2 client credentials with a
 * cached token), pacing, retries with backoff and full jitter, Retry-After, a
 * body cap and a prompt abort. Knows HTTP, not records or PostgreSQL. Never
 * logs, and never lets a secret (token, client secret, header value) into a
 * message or an event. */
#ifndef IPASND_HTTP_H
#define IPASND_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "util.h"

/* What a call came to. The comment after each says how a command should exit
 * on it (sysexits): 75 = try again later, 69 = the endpoint or the
 * configuration needs a person. */
enum http_result {
    HTTP_OK = 0,
    HTTP_UNAVAILABLE = -1, /* connection errors, timeouts, resets, 429 and
                              500/502/503/504 still failing after
                              source.retries, or a Retry-After beyond
                              source.backoff_max (75) */
    HTTP_REFUSED = -2,     /* 400, 403, a redirect, any other status that a
                              retry cannot cure (69) */
    HTTP_NOT_FOUND = -3,   /* 404: no such employee, or a wrong source.url (69) */
    HTTP_AUTH = -4,        /* 401 a token refresh did not cure, or the token
                              endpoint refused the client credentials (69) */
    HTTP_GONE = -5,        /* 410: the listing cursor expired; restart the
                              listing from updated_since (75 if it persists) */
    HTTP_TOO_BIG = -6,     /* body over source.max_page_bytes (69) */
    HTTP_ABORTED = -7,     /* the abort flag was raised: a stop, try again (75) */
    HTTP_FAILED = -8,      /* a local failure: TLS certificate, ca_file,
                              an unusable URL (69) */
};

/* "ok", "unavailable", "refused", "not_found", "auth", "gone", "too_big",
 * "aborted", "failed". */
const char *http_result_name(enum http_result r);

/* The sysexits code a command exits with on r: 0 for HTTP_OK, else 69 or
 * 75. */
int http_result_exit_code(enum http_result r);

/* A finished call. The body is the last response's, also for an error
 * status; it is always NUL-terminated. */
struct http_response {
    long status;         /* last HTTP status; 0 when no response arrived */
    char *body;          /* owned, NUL-terminated; NULL or empty when there is none */
    size_t len;          /* body bytes, the terminating NUL excluded */
    size_t cap;          /* bytes allocated for body (a block, block_take) */
    int attempts;        /* requests sent for this call, token requests excluded */
    int64_t retry_after; /* seconds the server last asked to wait, -1 none */
    char *url;           /* the request URL; never holds credentials */
};

/* Frees the body and URL and zeroes the response; NULL is a no-op. */
void http_response_free(struct http_response *resp);

enum http_event_kind {
    HTTP_EVENT_REQUEST, /* a request finished (any outcome); for debug logs */
    HTTP_EVENT_RETRY,   /* a request failed and will be retried after wait_ms */
    HTTP_EVENT_TOKEN,   /* a new OAuth2 access token was obtained */
    HTTP_EVENT_REFRESH, /* a data call got 401: the token is refreshed once */
};

/* What an event tells; every string is free of secrets and control
 * characters, and valid only during the callback. */
struct http_event {
    enum http_event_kind kind;
    const char *url;    /* scheme://host/path, no query */
    long status;        /* 0 when no response arrived */
    int attempt;        /* 1-based, within the call */
    int64_t wait_ms;    /* RETRY: the wait before the next attempt */
    int64_t elapsed_ms; /* REQUEST: how long the request took */
    size_t bytes;       /* REQUEST: body bytes received */
    int64_t expires_in; /* TOKEN: lifetime in seconds, -1 when not given */
    const char *reason; /* one line: "HTTP 503", "Connection refused", ... */
};

/* Hooks a caller may set; every member may be NULL. */
struct http_hooks {
    /* When *abort_flag becomes non-zero (a signal handler sets it), the
     * transfer or wait in progress stops within about 100 ms and the call
     * returns HTTP_ABORTED. */
    const atomic_int *abort_flag;
    /* The same, raised by the caller itself for a transfer it no longer
     * needs (a page fetched ahead of one that failed to be written). */
    const atomic_int *cancel_flag;
    /* Called at most once a second while a transfer runs, and during and
     * between retries: proof of progress, e.g. for the systemd watchdog. */
    void (*progress)(void *ud);
    void (*event)(void *ud, const struct http_event *ev);
    void *ud;
};

struct http_client;

/* A client for src; copies what it needs from src, so the config may be freed
 * or swapped afterwards. Returns NULL with err set on a setup failure. Caller
 * frees with http_client_free. libcurl must have been initialised
 * (curl_global_init, once, in main). */
struct http_client *http_client_new(const struct config_source *src, const struct http_hooks *hooks,
                                    struct error *err);

/* Frees the client and wipes the secrets it holds; NULL is a no-op. */
void http_client_free(struct http_client *c);

/* GET {url}/v1/asn: one listing page. updated_since (RFC 3339) and cursor
 * may be NULL; limit is 1..1000. On HTTP_OK resp holds the 2xx body; on any
 * other result err says why, naming the URL and never a secret. Either way
 * the caller frees resp with http_response_free. */
enum http_result http_get_page(struct http_client *c, const char *updated_since, const char *cursor,
                               int limit, struct http_response *resp, struct error *err);

/* GET {url}/v1/asn/{nip}: one employee; HTTP_NOT_FOUND when there is none. */
enum http_result http_get_employee(struct http_client *c, const char *nip,
                                   struct http_response *resp, struct error *err);

/* ---- for a source that makes its own transfers (siasn.c) --------------- */

/* The OAuth2 access token of source.auth, from the cache or the token
 * endpoint (paced, retried and refused as the data calls' own token is);
 * renew drops the cached one first. *token is borrowed until the next call
 * on c; *generation grows with every token obtained, so callers holding an
 * older one know a refresh already happened. */
enum http_result http_access_token(struct http_client *c, bool renew, const char **token,
                                   uint64_t *generation, struct error *err);

/* Sets on a libcurl easy handle the options every ipasnd transfer shares:
 * user agent, compression, timeouts, TLS verification and ca_file, no
 * redirects, http(s) only, the body cap max. 0, or -1 out of memory. */
int http_easy_options(void *curl_easy, const struct config_source *src, size_t max);

/* Whether a libcurl result (CURLcode) is a transport failure a later
 * attempt may not meet: connection refused, timeout, reset, ... */
bool http_curl_transient(int curlcode);

/* Given each header line of an answer (libcurl's header callback), keeps
 * in retry_after the Retry-After value of the last response, "" for
 * none. */
void http_header_line(const char *data, size_t n, char *retry_after, size_t size);

/* Replaces every secret c holds (client secret, tokens, header values)
 * found in s. */
void http_scrub(const struct http_client *c, char *s);

/* ---- the pure parts, exposed for the unit tests ------------------------- */

/* Parses a Retry-After value: delta seconds (more than fit: INT64_MAX,
 * longer than any cap), or an HTTP date taken relative to now (a date in
 * the past gives 0). 0 on success with *seconds set, -1 on
 * anything else. */
int http_retry_after_parse(const char *value, time_t now, int64_t *seconds);

/* {base}/v1/asn?updated_since=..&cursor=..&limit=.. with every value
 * percent-encoded (curl_url); NULL values are left out. Returns a heap string
 * (caller frees with free), or NULL with err set. */
char *http_url_list(const char *base, const char *updated_since, const char *cursor, int limit,
                    struct error *err);

/* {base}/v1/asn/{nip}, the NIP percent-encoded as one path segment. */
char *http_url_employee(const char *base, const char *nip, struct error *err);

/* Whether a token obtained at obtained_ms (monotonic) with a lifetime of
 * expires_in seconds may still be sent at now_ms: it is replaced 60 s before
 * it expires, or halfway through a lifetime shorter than 120 s. A lifetime of
 * -1 (not given) keeps the token until the server refuses it. */
bool http_token_usable(int64_t now_ms, int64_t obtained_ms, int64_t expires_in);

/* The server's reason in an error body: {"error": {"code", "message"}},
 * SIASN's {"code": 0, "data": "..."}, or OAuth2's {"error",
 * "error_description"}; stripped of control characters, at most size - 1
 * bytes. "" when the body says nothing usable. */
void http_error_reason(const char *body, size_t len, char *out, size_t size);

#endif
