/* siasn.h: the WS SIASN client (siasn-api.md §2-§4, §8). Each employee is
 * eight calls, data-utama first; they run over one libcurl multi handle,
 * at most source.siasn.parallel in flight and source.rate_limit requests a
 * second with the token requests. The APIM token comes from http.c's
 * oauth2 code; the SSO token and the cookie are re-read when their files
 * change. Knows HTTP and SIASN's envelopes, not PostgreSQL; never logs
 * (events go to the hooks) and never lets a secret into a message. */
#ifndef IPASND_SIASN_H
#define IPASND_SIASN_H

#include <stdint.h>

#include "config.h"
#include "http.h"
#include "siasn_decode.h"
#include "util.h"

enum siasn_outcome {
    SIASN_FETCHED, /* the eight answers, each SIASN_OK or SIASN_EMPTY */
    SIASN_UNKNOWN, /* data-utama: SIASN does not know the NIP; no other call made */
    SIASN_FAILED,  /* a call still failing after source.retries, or malformed: why */
};

/* One employee done, as siasn_run hands it over; valid during the
 * callback only. */
struct siasn_employee {
    const char *nip;
    size_t index; /* what next_fn gave with the NIP */
    enum siasn_outcome outcome;
    struct siasn_answers answers;
    const char *why; /* SIASN_FAILED: one line, no secret */
};

/* The next NIP to fetch (borrowed until its employee is done), NULL for
 * none: the work is over or the budget spent. */
typedef const char *(*siasn_next_fn)(void *ud, size_t *index);
/* An employee done; a negative return ends the run (SIASN_RUN_CALLER). */
typedef int (*siasn_done_fn)(void *ud, const struct siasn_employee *e);

/* How a run ended. */
enum siasn_run_result {
    SIASN_RUN_OK = 0,           /* every NIP next gave is done */
    SIASN_RUN_SSO = -1,         /* the SSO token was refused: it must be renewed */
    SIASN_RUN_APIM = -2,        /* the APIM consumer key or secret was refused */
    SIASN_RUN_PATH = -3,        /* 404 of the gateway's own: source.url is wrong */
    SIASN_RUN_UNAVAILABLE = -4, /* the token endpoint unavailable, or a Retry-After
                                   beyond source.backoff_max (75) */
    SIASN_RUN_ABORTED = -5,     /* the abort flag */
    SIASN_RUN_CALLER = -6,      /* done_fn said stop; err is the caller's */
    SIASN_RUN_FAILED = -7,      /* local: TLS, an unusable URL, out of memory */
};

/* What a run did, for the status line and the tests. */
struct siasn_counts {
    uint64_t requests;  /* data calls sent, repeats included */
    uint64_t tokens;    /* APIM tokens obtained */
    uint64_t retries;   /* calls made again after a transient failure */
    uint64_t throttled; /* 429 / 900800 and SUSPENDED answers */
    uint64_t refreshes; /* APIM refreshes after a 401 */
    int max_in_flight;
    int64_t elapsed_ms;
};

struct siasn_client;

/* A client for src (type siasn), getting APIM tokens through http, which
 * it borrows. NULL with err on a setup failure. Caller frees with
 * siasn_client_free. */
struct siasn_client *siasn_client_new(const struct config_source *src, struct http_client *http,
                                      const struct http_hooks *hooks, struct error *err);
void siasn_client_free(struct siasn_client *c); /* NULL is a no-op */

/* Fetches the employees next gives until it gives none, calling done for
 * each; never more than parallel calls in flight. On a result other than
 * OK, err says why (naming the setting to fix). */
enum siasn_run_result siasn_run(struct siasn_client *c, siasn_next_fn next, siasn_done_fn done,
                                void *ud, struct error *err);

/* The sysexits code a cycle ends with on r. */
int siasn_run_exit_code(enum siasn_run_result r);

void siasn_counts(const struct siasn_client *c, struct siasn_counts *out);

/* The share of sync.interval a cycle may spend fetching; the rest of the
 * interval is idle, so a roster refreshes at this share of the rate. */
#define SIASN_BUDGET_SHARE 0.8

/* Seconds until due employees will all have been fetched at rate
 * requests a second (eight calls each), cycle after cycle. */
double siasn_refresh_seconds(long long due, double rate);

/* {base}/pns/{call}/{nip}; a heap string (caller frees), NULL with err. */
char *siasn_url(const char *base, enum siasn_call call, const char *nip, struct error *err);

#endif
