/* sim_roster.c: the workforce as SIASN's "Export Data ASN" CSV (§6 of
 * siasn-api.md), the roster ipasnd's siasn source reads: snake_case
 * headers, one row per employee not deleted, dates dd-mm-yyyy, values at
 * times with Excel's leading ' or the text null, CRLF lines, UTF-8 with a
 * BOM or Windows-1252, ',' or ';' between fields. Taken from the listing's
 * record of each employee, so it agrees with data-utama. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim.h"

/* A column and the listing's key it comes from; quote: Excel's leading '
 * that keeps a long number or a leading zero as text. */
struct column {
    const char *name, *key;
    bool quote;
};

static const struct column columns[] = {
    {"pns_id", "id", false},
    {"nip_baru", "nipBaru", true},
    {"nip_lama", "nipLama", true},
    {"nama", "nama", false},
    {"gelar_depan", "gelarDepan", false},
    {"gelar_belakang", "gelarBelakang", false},
    {"tempat_lahir_nama", "tempatLahir", false},
    {"tanggal_lahir", "tglLahir", false},
    {"jenis_kelamin", "jenisKelamin", false},
    {"status_cpns_pns", "statusCpnsPns", false},
    {"tmt_cpns", "tmtCpns", false},
    {"tmt_pns", "tmtPns", false},
    {"gol_nama", "golRuangAkhir", false},
    {"jenis_jabatan_id", "jenisJabatanId", false},
    {"jabatan_nama", "jabatanNama", false},
    {"tingkat_pendidikan_id", "tkPendidikanTerakhirId", true},
    {"unor_id", "unorId", false},
    {"unor_nama", "unorNama", false},
    {"instansi_induk_id", "instansiIndukId", false},
    {"instansi_induk_nama", "instansiIndukNama", false},
    {"kedudukan_hukum_id", "kedudukanPnsId", true},
    {"kedudukan_hukum_nama", "kedudukanPnsNama", false},
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

struct roster {
    FILE *f;
    const struct roster_options *ro;
    iconv_t cd; /* UTF-8 to Windows-1252, or (iconv_t)-1 */
    int err;
};

/* Text out in the file's encoding. */
static void put(struct roster *w, const char *t, size_t len)
{
    char buf[1024], *in = (char *)(uintptr_t)t;
    size_t left = len;

    if (w->cd == (iconv_t)-1) {
        if (fwrite(t, 1, len, w->f) != len)
            w->err = errno ? errno : EIO;
        return;
    }
    while (left > 0) {
        char *out = buf;
        size_t room = sizeof(buf);

        if (iconv(w->cd, &in, &left, &out, &room) == (size_t)-1 && errno != E2BIG && room > 0) {
            /* Not in Windows-1252: a '?' for the character, as Excel does. */
            *out++ = '?';
            room--;
            in++;
            left--;
            while (left > 0 && ((unsigned char)*in & 0xC0) == 0x80) {
                in++;
                left--;
            }
        }
        fwrite(buf, 1, sizeof(buf) - room, w->f);
    }
}

/* One field: quoted when it holds the separator, a quote or a line end. */
static void field(struct roster *w, const char *t, bool tick)
{
    char sep[2] = {w->ro->separator, '\0'};
    bool quoted = strpbrk(t, sep) || strpbrk(t, "\"\r\n");

    if (quoted)
        put(w, "\"", 1);
    if (tick)
        put(w, "'", 1);
    for (const char *p = t; *p; p++) {
        if (*p == '"')
            put(w, "\"\"", 2);
        else
            put(w, p, 1);
    }
    if (quoted)
        put(w, "\"", 1);
}

/* A value of the record as the export writes it; empty ones are now and
 * then the text null. */
static void value(struct roster *w, json_t *v, const struct column *c, uint32_t i, size_t col)
{
    char buf[32], d[11];
    const char *t = "";

    if (json_is_string(v))
        t = siasn_date(json_string_value(v), d) ? d : json_string_value(v);
    else if (json_is_integer(v))
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v)), t = buf;
    if (!*t) {
        field(w, (i + col) % 4 == 0 ? "null" : "", false);
        return;
    }
    field(w, t, c->quote && i % 5 != 0);
}

static void row(struct roster *w, json_t *rec, uint32_t i)
{
    for (size_t k = 0; k < N_COLUMNS; k++) {
        if (k)
            put(w, &w->ro->separator, 1);
        value(w, json_object_get(rec, columns[k].key), &columns[k], i, k);
    }
    put(w, "\r\n", 2);
}

int roster_write(struct sim *s, const char *path, const struct roster_options *ro)
{
    struct roster w = {.ro = ro, .cd = (iconv_t)-1};
    int rc = -1;

    w.f = fopen(path, "wb");
    if (!w.f)
        return -1;
    if (ro->windows_1252) {
        w.cd = iconv_open("WINDOWS-1252", "UTF-8");
        if (w.cd == (iconv_t)-1)
            goto fail;
    } else {
        put(&w, "\xEF\xBB\xBF", 3);
    }
    for (size_t k = 0; k < N_COLUMNS; k++) {
        if (k)
            put(&w, &ro->separator, 1);
        field(&w, columns[k].name, false);
    }
    put(&w, "\r\n", 2);
    for (uint32_t i = 0; i < s->n && !w.err; i++) {
        json_t *rec;

        if (s->flags[i] & RF_DELETED)
            continue;
        rec = siasn_record(s, i);
        if (!rec)
            goto fail;
        row(&w, rec, i);
        json_decref(rec);
    }
    rc = w.err || ferror(w.f) ? -1 : 0;
fail:
    if (w.cd != (iconv_t)-1)
        iconv_close(w.cd);
    if (fclose(w.f) != 0)
        rc = -1;
    return rc;
}
