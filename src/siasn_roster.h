/* siasn_roster.h: the roster of the WS SIASN source: SIASN's "Export Data
 * ASN" saved as CSV (siasn-api.md §6), read through csvfile. Columns are
 * found by name; nip_baru is required, the others fill SIASN's gaps. A NIP
 * that is not 18 digits, or that comes again, is set aside with its line,
 * never fetched. Never logs. */
#ifndef IPASND_SIASN_ROSTER_H
#define IPASND_SIASN_ROSTER_H

#include <stddef.h>

#include "siasn_decode.h"
#include "util.h"

/* A row set aside. */
struct siasn_roster_bad {
    size_t line;
    const char *nip; /* as written, stripped of ' */
    const char *why; /* "not 18 digits", "again, first on line 12" */
};

struct siasn_roster {
    struct siasn_roster_entry *entries; /* in file order, each NIP once */
    size_t n;
    size_t *line; /* line[i]: where entries[i] is */
    struct siasn_roster_bad *bad;
    size_t n_bad;
    void *owner; /* the file's text and the messages */
};

/* Reads the roster at path (a regular file of at most max_bytes); 0, or -1
 * with err ("FILE:LINE: ..."). Caller frees *out with siasn_roster_free. */
int siasn_roster_read(const char *path, size_t max_bytes, struct siasn_roster **out,
                      struct error *err);

void siasn_roster_free(struct siasn_roster *r); /* NULL is a no-op */

#endif
