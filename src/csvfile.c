/* csvfile.c: see csvfile.h. The file is read whole (bounded by the caller),
 * made UTF-8, then handed to libcsv one physical line at a time so every
 * row knows the line it starts on. */
#include "csvfile.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "file.h"

#define CSV_MAX_FIELDS 1024        /* per row */
#define CSV_MAX_FIELD  (64 * 1024) /* bytes of one field */

struct row_span {
    size_t line, first, n;
};

/* What libcsv's callbacks build: every field's text, NUL-terminated, one
 * after the other in text; where each starts; the rows as spans of them. */
struct reader {
    struct strbuf text;
    size_t *off;
    size_t n_off, cap_off;
    struct row_span *rows;
    size_t n_rows, cap_rows;
    size_t line;       /* the physical line being parsed */
    bool at_boundary;  /* the last row ended: the next line with text starts one */
    size_t start_line; /* where the row being parsed started */
    size_t row_line;   /* where the row being built started */
    size_t row_first, row_n;
    const char *too_much; /* set: why the callbacks stopped keeping fields */
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;

    if (r->too_much)
        return;
    if (r->row_n == 0) {
        r->row_line = r->start_line;
        r->row_first = r->n_off;
    }
    if (len > CSV_MAX_FIELD || r->row_n >= CSV_MAX_FIELDS) {
        r->too_much = len > CSV_MAX_FIELD ? "a field is longer than 64 KiB"
                                          : "a row has more than 1024 fields";
        return;
    }
    if (r->n_off == r->cap_off) {
        r->cap_off = r->cap_off ? 2 * r->cap_off : 1024;
        r->off = xrealloc(r->off, r->cap_off * sizeof(*r->off));
    }
    r->off[r->n_off++] = r->text.len;
    strbuf_addn(&r->text, s ? s : "", s ? len : 0);
    strbuf_addn(&r->text, "", 1);
    r->row_n++;
}

static void on_row(int c, void *data)
{
    struct reader *r = data;

    (void)c;
    r->at_boundary = true;
    if (r->too_much || r->row_n == 0)
        return;
    if (r->n_rows == r->cap_rows) {
        r->cap_rows = r->cap_rows ? 2 * r->cap_rows : 256;
        r->rows = xrealloc(r->rows, r->cap_rows * sizeof(*r->rows));
    }
    r->rows[r->n_rows++] = (struct row_span){r->row_line, r->row_first, r->row_n};
    r->row_n = 0;
}

/* The file's bytes, at most max; NULL with err set. */
static char *read_all(const char *path, size_t max, size_t *len, struct error *err)
{
    struct stat st;
    char why[128];
    FILE *f = file_open_regular(path, &st, why, sizeof(why));
    char *buf;

    if (!f) {
        error_set(err, "%s: cannot read: %s", path, why);
        return NULL;
    }
    if ((uint64_t)st.st_size > max) {
        error_set(err, "%s: larger than %zu bytes", path, max);
        fclose(f);
        return NULL;
    }
    buf = xmalloc(max + 1);
    *len = fread(buf, 1, max + 1, f);
    if (ferror(f) || *len > max) {
        error_set(err, "%s: %s", path, ferror(f) ? strerror(errno) : "grew past the limit");
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static size_t line_at(const char *s, size_t pos)
{
    size_t line = 1;

    for (size_t k = 0; k < pos; k++)
        line += s[k] == '\n';
    return line;
}

/* Windows-1252 to UTF-8: a heap string, or NULL with err naming the line
 * of a byte Windows-1252 leaves undefined. */
static char *from_windows_1252(const char *path, const char *in, size_t len, size_t *out_len,
                               struct error *err)
{
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    size_t cap = 3 * len + 1, left = len, room = cap;
    char *out, *ip = (char *)(uintptr_t)in, *op;

    if (cd == (iconv_t)-1) {
        error_set(err, "%s: no Windows-1252 converter: %s", path, strerror(errno));
        return NULL;
    }
    out = op = xmalloc(cap);
    if (iconv(cd, &ip, &left, &op, &room) == (size_t)-1) {
        error_set(err, "%s:%zu: neither UTF-8 nor Windows-1252 (byte 0x%02X)", path,
                  line_at(in, (size_t)(ip - in)), (unsigned char)*ip);
        free(out);
        out = NULL;
    } else {
        *out_len = cap - room;
    }
    iconv_close(cd);
    return out;
}

/* ';' when the header line holds more of them than ',' outside quotes. */
static char detect_separator(const char *s, size_t len)
{
    size_t commas = 0, semis = 0;
    bool quoted = false;

    for (size_t k = 0; k < len && (quoted || (s[k] != '\n' && s[k] != '\r')); k++) {
        if (s[k] == '"')
            quoted = !quoted;
        else if (!quoted)
            commas += s[k] == ',', semis += s[k] == ';';
    }
    return semis > commas ? ';' : ',';
}

/* libcsv over text, a line at a time; 0 or -1 with err. */
static int parse(const char *path, const char *text, size_t len, char sep, struct reader *r,
                 struct error *err)
{
    struct csv_parser p;
    size_t pos = 0;
    int rc = -1;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        error_set(err, "%s: out of memory", path);
        return -1;
    }
    csv_set_delim(&p, (unsigned char)sep);
    r->line = 1;
    r->at_boundary = true;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;

        /* A field's callback comes at its end, which for a quoted field
         * may be lines later: a row starts on the first line with text
         * after the last one ended. */
        if (r->at_boundary && strspn(text + pos, "\r\n") < n) {
            r->start_line = r->line;
            r->at_boundary = false;
        }
        if (csv_parse(&p, text + pos, n, on_field, on_row, r) != n) {
            error_set(err, "%s:%zu: %s", path, r->line, csv_strerror(csv_error(&p)));
            goto out;
        }
        if (r->too_much) {
            error_set(err, "%s:%zu: %s", path, r->line, r->too_much);
            goto out;
        }
        pos += n;
        r->line += nl != NULL;
    }
    if (csv_fini(&p, on_field, on_row, r) != 0) {
        error_set(err, "%s:%zu: %s", path, r->row_line ? r->row_line : r->line,
                  csv_strerror(csv_error(&p)));
        goto out;
    }
    rc = r->too_much ? -1 : 0;
    if (r->too_much)
        error_set(err, "%s:%zu: %s", path, r->line, r->too_much);
out:
    csv_free(&p);
    return rc;
}

/* The rows into f's arrays; the header is the first. */
static int build(const char *path, struct reader *r, struct csvfile *f, struct error *err)
{
    size_t total = 0;
    const char **ptr;

    if (r->n_rows == 0) {
        error_set(err, "%s: no header line", path);
        return -1;
    }
    for (size_t k = 0; k < r->n_rows; k++) {
        if (k > 0 && r->rows[k].n > r->rows[0].n) {
            error_set(err, "%s:%zu: %zu fields, the header has %zu", path, r->rows[k].line,
                      r->rows[k].n, r->rows[0].n);
            return -1;
        }
        total += r->rows[k].n;
    }
    f->text = r->text.s;
    r->text.s = NULL;
    f->index = xmalloc(r->n_rows * sizeof(struct csv_row) + total * sizeof(char *));
    f->rows = f->index;
    ptr = (const char **)(f->rows + r->n_rows);
    for (size_t k = 0; k < r->n_rows; k++) {
        f->rows[k] = (struct csv_row){r->rows[k].line, r->rows[k].n, ptr};
        for (size_t j = 0; j < r->rows[k].n; j++)
            *ptr++ = f->text + r->off[r->rows[k].first + j];
    }
    f->n_columns = f->rows[0].n;
    f->header = f->rows[0].field;
    f->rows++;
    f->n_rows = r->n_rows - 1;
    return 0;
}

int csvfile_read(const char *path, size_t max_bytes, struct csvfile **out, struct error *err)
{
    struct reader r = {0};
    struct csvfile *f = xcalloc(1, sizeof(*f));
    size_t len = 0, ulen;
    char *raw, *utf8 = NULL;
    const char *text;
    int rc = -1;

    *out = NULL;
    if (!(raw = read_all(path, max_bytes, &len, err)))
        goto fail;
    text = raw;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        text += 3, len -= 3;
    if (memchr(text, '\0', len)) {
        error_set(err, "%s:%zu: a NUL byte", path,
                  line_at(text, (size_t)((const char *)memchr(text, '\0', len) - text)));
        goto fail;
    }
    raw[text - raw + (ptrdiff_t)len] = '\0';
    if (!utf8_valid(text)) {
        if (!(utf8 = from_windows_1252(path, text, len, &ulen, err)))
            goto fail;
        text = utf8;
        len = ulen;
        f->windows_1252 = true;
    }
    f->separator = detect_separator(text, len);
    if (parse(path, text, len, f->separator, &r, err) < 0 || build(path, &r, f, err) < 0)
        goto fail;
    *out = f;
    f = NULL;
    rc = 0;
fail:
    free(raw);
    free(utf8);
    free(r.off);
    free(r.rows);
    strbuf_free(&r.text);
    csvfile_free(f);
    return rc;
}

void csvfile_free(struct csvfile *f)
{
    if (!f)
        return;
    free(f->text);
    free(f->index);
    free(f);
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A header h names name: no case, outer blanks dropped, inner ones as '_'. */
static bool header_is(const char *h, const char *name)
{
    size_t n = strlen(h);

    while (*h == ' ' || *h == '\t')
        h++, n--;
    while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    for (size_t k = 0; k < n; k++, name++) {
        char c = h[k] == ' ' ? '_' : h[k];

        if (!*name || ascii_lower(c) != ascii_lower(*name))
            return false;
    }
    return *name == '\0';
}

int csvfile_column(const struct csvfile *f, const char *name)
{
    for (size_t k = 0; k < f->n_columns; k++) {
        if (header_is(f->header[k], name))
            return (int)k;
    }
    return -1;
}

const char *csvfile_field(const struct csvfile *f, size_t r, int c)
{
    if (c < 0 || r >= f->n_rows || (size_t)c >= f->rows[r].n)
        return "";
    return f->rows[r].field[c];
}

const char *csvfile_value(const char *v)
{
    if (*v == '\'')
        v++;
    return strcasecmp(v, "null") == 0 ? "" : v;
}
