/* csvfile.h: the CSV files BKN's applications export (SIASN's "Export Data
 * ASN", the IP ASN export), read whole: BOM dropped, the separator (',' or
 * ';') taken from the header line, UTF-8 or else Windows-1252 converted to
 * UTF-8, quoted fields, CRLF, each row with its line number for messages.
 * It knows nothing of what the columns mean and never logs. */
#ifndef IPASND_CSVFILE_H
#define IPASND_CSVFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct csv_row {
    size_t line; /* in the file, from 1 */
    size_t n;    /* fields; at most the header's */
    const char **field;
};

struct csvfile {
    char separator;
    bool windows_1252; /* the file was not UTF-8 and was converted */
    size_t n_columns;
    const char **header;
    size_t n_rows;
    struct csv_row *rows;
    char *text;  /* every field, NUL-terminated; owned */
    void *index; /* the pointer arrays; owned */
};

/* Reads path (a regular file of at most max_bytes) into *out; 0, or -1
 * with err saying why, "FILE:LINE: ..." when a line is at fault. The
 * caller frees *out with csvfile_free. */
int csvfile_read(const char *path, size_t max_bytes, struct csvfile **out, struct error *err);

void csvfile_free(struct csvfile *f); /* NULL is a no-op */

/* The column whose header is name, compared without case, blanks around it
 * dropped and inner blanks as '_' ("Nip Baru" is nip_baru); -1 if none. */
int csvfile_column(const struct csvfile *f, const char *name);

/* Row r's field in column c; "" when the row is shorter or c is -1. */
const char *csvfile_field(const struct csvfile *f, size_t r, int c);

/* A value as BKN's exports write it: one leading ' (Excel's mark for text)
 * dropped, the text null (any case) as empty. Points into v. */
const char *csvfile_value(const char *v);

#endif
