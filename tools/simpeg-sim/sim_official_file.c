/* sim_official_file.c: the live workforce as BKN's IP ASN export
 * (siasn-api.md §7): NIP;NAMA;KUALIFIKASI;KOMPETENSI;KINERJA;DISIPLIN;
 * TOTAL;TAHUN;UPDATED, ';' between fields, Windows-1252, a decimal comma,
 * UPDATED dd-mm-yyyy, CRLF lines. One row per record that carries an
 * official value, the same value its ipAsn serves. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim.h"

/* A name in Windows-1252, quoted when it holds the separator or a quote;
 * a character Windows-1252 lacks becomes '?'. */
static void put_name(FILE *f, iconv_t cd, const char *name)
{
    char buf[256], *in = (char *)(uintptr_t)name, *out = buf;
    size_t left = strlen(name), room = sizeof(buf) - 1;
    bool quote = strpbrk(name, ";\"\r\n") != NULL;

    while (left && room) {
        if (iconv(cd, &in, &left, &out, &room) != (size_t)-1)
            break;
        if (errno == E2BIG)
            break;
        *out++ = '?';
        room--;
        do {
            in++;
            left--;
        } while (left && ((unsigned char)*in & 0xC0) == 0x80);
    }
    *out = '\0';
    if (quote)
        fputc('"', f);
    for (const char *p = buf; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    if (quote)
        fputc('"', f);
}

int official_write(const struct sim *s, const char *path)
{
    iconv_t cd = iconv_open("WINDOWS-1252", "UTF-8");
    int y, m, d, rc = 0;
    FILE *f;

    if (cd == (iconv_t)-1)
        return -1;
    if (!(f = fopen(path, "wb"))) {
        iconv_close(cd);
        return -1;
    }
    civil_from_days(s->today, &y, &m, &d);
    fputs("NIP;NAMA;KUALIFIKASI;KOMPETENSI;KINERJA;DISIPLIN;TOTAL;TAHUN;UPDATED\r\n", f);
    for (uint32_t i = 0; i < s->n; i++) {
        struct employee e;

        if (s->flags[i] & RF_DELETED)
            continue;
        record_generate(s, i, &e);
        if (!e.has_ipasn)
            continue;
        fprintf(f, "%.18s;", e.nip);
        put_name(f, cd, e.name);
        for (int k = 0; k < 5; k++)
            fprintf(f, ";%d,%d", e.ipasn[k] / 10, e.ipasn[k] % 10);
        fprintf(f, ";%d;%02d-%02d-%04d\r\n", e.ipasn_year, d, m, y);
    }
    if (ferror(f))
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    iconv_close(cd);
    return rc;
}
