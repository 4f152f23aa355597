/* official.h: BKN's IP ASN export (NIP;NAMA;KUALIFIKASI;KOMPETENSI;KINERJA;
 * DISIPLIN;TOTAL;TAHUN;UPDATED) read into checked rows: an 18-digit NIP,
 * four dimensions and a total that is their sum, a period and BKN's date.
 * A row that fails a check is set aside with its line. The name column is
 * never kept. No database, no logging. */
#ifndef IPASND_OFFICIAL_H
#define IPASND_OFFICIAL_H

#include <stddef.h>

#include "model.h"
#include "util.h"

#define OFFICIAL_FILE_MAX (256u << 20) /* a whole country's export fits */

struct official_row {
    size_t line;
    char nip[19];
    int period;
    /* hundredths of a point: 30,8 -> 3080 */
    int qualification, competency, performance, discipline, total;
    date_t updated; /* DATE_NONE when the file gives none */
};

struct official_file {
    size_t n_rows, n_bad;
    struct official_row *rows;
    char **bad; /* "FILE:LINE: why", one per row set aside */
};

/* Reads path: a row's period is its TAHUN, else period (0: none, and the
 * row is set aside); with period set, a TAHUN that differs sets the row
 * aside. 0, or -1 with err when the file cannot be read or lacks a
 * column. The caller frees *out with official_file_free. */
int official_read(const char *path, int period, struct official_file *out, struct error *err);

void official_file_free(struct official_file *f); /* NULL is a no-op */

/* A points value as BKN writes it ("30,8", "30.8", "25"): 0 to 100, at
 * most two decimals, in hundredths; -1 when it is not one. */
int official_points(const char *s);

#endif
