/* Data-quality checks: one employee record (and its score) in, the issues
 * of the catalogue out, each with its code, severity, field path and a
 * one-line detail a person can act on. Pure: no I/O, no globals; the only
 * allocation is the issue list it returns. */
#ifndef IPASND_QUALITY_H
#define IPASND_QUALITY_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "model.h"
#include "score.h"

enum severity {
    SEV_INFO = 0,
    SEV_WARNING,
    SEV_ERROR,
    SEV_REJECT,
};

struct issue {
    const char *code; /* a static string of the catalogue: "skp_missing" */
    enum severity severity;
    char field[96];   /* "rwSkp22[3].kuadranKinerja"; "" for the record */
    char detail[200]; /* "no SKP for 2024: 0 of 30 performance points" */
};

struct issue_list {
    struct issue *v;
    size_t n, cap;
};

struct quality_ctx {
    const struct config_index *index;
    const struct config_quality *quality;
    date_t today; /* for date_in_future, stale_record, age_out_of_range */
    int64_t now;  /* Unix seconds, for stale_record */
};

/* Appends e's issues to out. s is e's score under ctx->index. */
void quality_check(const struct employee *e, const struct score *s, const struct quality_ctx *ctx,
                   struct issue_list *out);

/* Whether an issue's detail holds a birth date: it stays in the database
 * (ipasn.v_open_issue) and is left out of journal lines. */
bool quality_detail_personal(const char *code, const char *field);

const char *severity_name(enum severity s); /* "warning" */
/* The severity of a catalogue code, or SEV_WARNING for an unknown one. */
enum severity quality_severity(const char *code);

void issue_list_free(struct issue_list *l); /* NULL is a no-op */

#endif
