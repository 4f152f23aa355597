/* The report: where the instansi stands against its target and last year,
 * the OPD ranking and what would lift each OPD, the gaps and the open issues
 * (table, JSON, CSV); and the sync status for monitoring. Reads the views in
 * one read-only snapshot; never writes to the database, never logs. */
#ifndef IPASND_REPORT_H
#define IPASND_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "store.h"
#include "util.h"

/* The schema version the report's views arrive with. */
#define REPORT_SCHEMA_VERSION 8

enum report_format {
    REPORT_TABLE,
    REPORT_JSON,
    REPORT_CSV,
    REPORT_HTML,
};

struct report_options {
    int period;         /* 0: config_period of the configuration */
    const char *opd_id; /* NULL, or the OPD whose employees to list */
    enum report_format format;
    const char *output; /* NULL: standard output; else the file to write */
};

/* "table", "json", "csv" or "html"; 0 on success, -1 otherwise. */
int report_parse_format(const char *s, enum report_format *out);

/* Writes the report of cfg's instansi to out. A period without scores is
 * not an error: the report says so (an empty document in JSON). Returns 0,
 * or a negative code with err. */
int report_run(struct store *st, const struct config *cfg, const struct report_options *o,
               FILE *out, struct error *err);

/* Writes the last sync runs and the open-issue count to out, and sets
 * *healthy when the last finished cycle (full or incremental) succeeded
 * within 2 x sync.interval. Returns 0, or a negative code with err. */
int report_status(struct store *st, const struct config *cfg, FILE *out, bool *healthy,
                  struct error *err);

/* ---- formatting, exposed for the unit tests ------------------------------ */

/* sum / n rounded half up, both non-negative (n > 0); the unit of sum is
 * kept: hundredths in, hundredths out. */
long long report_mean_half_up(long long sum, long long n);

/* Copies src into dst cut or padded to exactly width columns (one per
 * code point): control characters dropped, a cut name ending in "…",
 * never a broken UTF-8 sequence. */
void report_fit(char *dst, size_t size, const char *src, int width);

/* An OPD name in width columns: whole when it fits, else its first word
 * and the initials of the others as Indonesian offices are called ("Dinas
 * Pekerjaan Umum dan Penataan Ruang" -> "Dinas PUPR"), else cut as
 * report_fit does. */
void report_abbrev(char *dst, size_t size, const char *name, int width);

/* Appends s to b as one RFC 4180 field, safe to open in a spreadsheet:
 * control and bidirectional characters dropped (tabs and line breaks
 * become spaces), a leading =, +, - or @ neutralised with a quote, and
 * quoted, with quotes doubled, when it holds a comma or a quote. */
void report_csv_field(struct strbuf *b, const char *s);

/* The dimension with the lowest mean relative to its maximum (ties go to
 * the first in the order qualification, competency, performance,
 * discipline): 0..3. means are hundredths, the maxima come from r. */
int report_weakest(const long long means[4], const struct rules *r);
const char *report_dimension_name(int d); /* "qualification" */

#endif
