/* siasn_decode.h: WS SIASN's answers (siasn-api.md §3-§4): what each of the
 * eight calls of one employee answered (data, nothing, a refusal, a
 * throttle, a fault), and the employee's record assembled from them in the
 * listing's shape, which simpeg.c's decoder then turns into the model. Pure:
 * no HTTP, no PostgreSQL, never logs; the JSON stays inside. */
#ifndef IPASND_SIASN_DECODE_H
#define IPASND_SIASN_DECODE_H

#include <stddef.h>

#include "config.h"
#include "util.h"

/* The calls, in the order they are made: data-utama first. */
enum siasn_call {
    SIASN_DATA_UTAMA,
    SIASN_RW_PENDIDIKAN,
    SIASN_RW_DIKLAT,
    SIASN_RW_KURSUS,
    SIASN_RW_SKP,
    SIASN_RW_SKP22,
    SIASN_RW_HUKDIS,
    SIASN_NILAIIPASN,
    SIASN_CALLS
};

/* The path segment of a call: "data-utama", "rw-pendidikan", ... */
extern const char *const siasn_call_names[SIASN_CALLS];

/* What an answer means for the client (§4). */
enum siasn_answer {
    SIASN_OK,           /* data */
    SIASN_EMPTY,        /* none: an empty history, an unknown NIP, no official value */
    SIASN_APIM_REFUSED, /* 401: refresh the APIM token once, repeat */
    SIASN_SSO_REFUSED,  /* Token SSO mismatch: the cycle fails */
    SIASN_THROTTLED,    /* 429 / WSO2 900800-900807: back off as for 503 */
    SIASN_SUSPENDED,    /* WSO2 303001, backend SUSPENDED: wait at least 30 s */
    SIASN_TRANSIENT,    /* 5xx, another Runtime Error, an empty body: retry */
    SIASN_WRONG_PATH,   /* 404 with another body: the base or path is wrong */
    SIASN_MALFORMED,    /* 200 with data of the wrong type, bad JSON: this refresh fails */
};

/* Says what an answer of call, with HTTP status and body, means; err
 * holds a one-line reason for every answer but OK and EMPTY. */
enum siasn_answer siasn_classify(enum siasn_call call, long status, const char *body, size_t len,
                                 struct error *err);

/* What the roster says of an employee, used where SIASN leaves a gap;
 * every text "" when the roster does not give it. */
struct siasn_roster_entry {
    char nip[19];
    const char *status_cpns_pns; /* "C", "P" */
    const char *kedudukan_hukum_id;
    const char *kedudukan_hukum_nama;
    const char *pns_id, *nama, *tanggal_lahir, *jenis_kelamin, *unor_id, *unor_nama;
};

/* The answers of one employee's eight calls, each SIASN_OK or SIASN_EMPTY
 * by siasn_classify. */
struct siasn_answers {
    const char *body[SIASN_CALLS];
    size_t len[SIASN_CALLS];
    enum siasn_answer answer[SIASN_CALLS];
};

enum siasn_assembled {
    SIASN_ASSEMBLED = 0, /* *out holds the record */
    SIASN_NOT_FOUND = 1, /* data-utama: SIASN does not know the NIP */
    SIASN_BAD = -1,      /* malformed, err says why */
};

/* The employee's record in the listing's shape (simpeg-api.md): data-utama's
 * top level, opdId/opdNama from the OPD map by unorId else unorInduk*,
 * statusCpnsPns and missing kedudukan from the roster, updatedAt the
 * refresh time (RFC 3339), the six histories, ipAsn from nilaiipasn with
 * total taken from subtotal. *out is a heap string (caller frees). */
enum siasn_assembled siasn_assemble(const struct siasn_answers *a,
                                    const struct siasn_roster_entry *r,
                                    const struct config_siasn *cfg, const char *updated_at,
                                    char **out, size_t *out_len, struct error *err);

#endif
