#include "autoconfig.h"

#include "model.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void page_free(struct page *page)
{
    if (!page)
        return;
    /* The page itself lives in its arena. */
    arena_free(page->arena);
}

enum nip_shape nip_check(const char *nip)
{
    int y, m, d;

    if (!nip || strlen(nip) != 18 || strspn(nip, "0123456789") != 18)
        return NIP_NOT_18_DIGITS;
    y = (nip[0] - '0') * 1000 + (nip[1] - '0') * 100 + (nip[2] - '0') * 10 + (nip[3] - '0');
    m = (nip[4] - '0') * 10 + (nip[5] - '0');
    d = (nip[6] - '0') * 10 + (nip[7] - '0');
    if (!date_valid_ymd(y, m, d))
        return NIP_BAD_BIRTH_DATE;
    if (memcmp(nip + 15, "000", 3) == 0)
        return NIP_SEQUENCE_000;
    return NIP_OK;
}

bool nip_well_formed(const char *nip)
{
    return nip_check(nip) == NIP_OK;
}

const char *nip_shape_text(enum nip_shape s)
{
    switch (s) {
    case NIP_OK:
        return "well formed";
    case NIP_NOT_18_DIGITS:
        return "not 18 digits";
    case NIP_BAD_BIRTH_DATE:
        return "digits 1-8 are not a calendar date";
    case NIP_SEQUENCE_000:
        return "the sequence number is 000";
    }
    assert_not_reached();
}

/* ---- the contract's fields ------------------------------------------------ */

/* Each list sorted (strcmp), for bsearch. */
static const char *const top_fields[] = {
    "deleted",
    "eselon",
    "eselonId",
    "gelarBelakang",
    "gelarDepan",
    "golRuangAkhir",
    "golRuangAkhirId",
    "id",
    "instansiIndukId",
    "instansiIndukNama",
    "ipAsn",
    "jabatanNama",
    "jenisJabatanId",
    "jenisKelamin",
    "kedudukanPnsId",
    "kedudukanPnsNama",
    "nama",
    "nipBaru",
    "opdId",
    "opdNama",
    "rwDiklat",
    "rwHukdis",
    "rwKursus",
    "rwPendidikan",
    "rwSkp",
    "rwSkp22",
    "statusCpnsPns",
    "tglLahir",
    "tkPendidikanTerakhirId",
    "tmtCpns",
    "tmtPns",
    "unorId",
    "unorNama",
    "updatedAt",
};
static const char *const education_fields[] = {"id",       "pendidikanNama", "tahunLulus",
                                               "tglLulus", "tkPendidikanId", "tkPendidikanNama"};
static const char *const leadership_fields[] = {
    "id",    "jumlahJam", "latihanStrukturalId", "latihanStrukturalNama",
    "tahun", "tanggal",   "tanggalSelesai"};
static const char *const course_fields[] = {
    "id",        "jenisDiklatId", "jenisKursusId", "jenisKursusNama", "jenisKursusSertifikat",
    "jumlahJam", "namaKursus",    "tahunKursus",   "tanggalKursus",   "tanggalSelesaiKursus"};
static const char *const skp_fields[] = {"id", "nilaiPrestasiKerja", "nilairatarata", "tahun"};
static const char *const skp22_fields[] = {"KuadranKinerjaNilai", "id", "kuadranKinerja", "tahun"};
static const char *const sanction_fields[] = {
    "akhirHukumTanggal",     "hukumanTanggal",    "id",       "jenisHukuman", "jenisHukumanNama",
    "jenisTingkatHukumanId", "skPembatalanNomor", "skTanggal"};
static const char *const ipasn_fields[] = {"disiplin",    "kinerja", "kompetensi",
                                           "kualifikasi", "tahun",   "total"};

static const struct {
    const char *name;
    const char *const *fields;
    size_t n;
} parts[] = {
#define PART(name, list)                                                                           \
    {                                                                                              \
        name, list, ARRAY_SIZE(list)                                                               \
    }
    PART("ipAsn", ipasn_fields),
    PART("rwDiklat", leadership_fields),
    PART("rwHukdis", sanction_fields),
    PART("rwKursus", course_fields),
    PART("rwPendidikan", education_fields),
    PART("rwSkp", skp_fields),
    PART("rwSkp22", skp22_fields),
#undef PART
};

/* Keys under which SIMPEG and SIASN send what identifies or locates a
 * person beyond the NIP and the name. */
static const char *const personal_fields[] = {
    "alamat", "alamatKtp", "email",   "emailGov", "hp",           "nik",  "noHp",   "noKk",
    "noNpwp", "noTelp",    "nomorHp", "nomorKk",  "nomorTelepon", "npwp", "telepon"};

static int cmp_key(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static bool listed(const char *key, const char *const *list, size_t n)
{
    return bsearch(key, list, n, sizeof(*list), cmp_key) != NULL;
}

bool contract_part(const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
        if (strcmp(parts[i].name, key) == 0)
            return true;
    return false;
}

bool contract_field(const char *part, const char *key)
{
    if (!part)
        return listed(key, top_fields, ARRAY_SIZE(top_fields));
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
        if (strcmp(parts[i].name, part) == 0)
            return listed(key, parts[i].fields, parts[i].n);
    return false;
}

bool contract_personal(const char *key)
{
    return listed(key, personal_fields, ARRAY_SIZE(personal_fields));
}

void contract_literals(struct strbuf *top, struct strbuf *nested)
{
    for (size_t i = 0; i < ARRAY_SIZE(top_fields); i++)
        strbuf_append(top, "%s%s", i ? "," : "{", top_fields[i]);
    strbuf_addn(top, "}", 1);
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
        for (size_t k = 0; k < parts[i].n; k++)
            strbuf_append(nested, "%s%s.%s", nested->len ? "," : "{", parts[i].name,
                          parts[i].fields[k]);
    strbuf_addn(nested, "}", 1);
}

void contract_personal_literal(struct strbuf *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(personal_fields); i++)
        strbuf_append(out, "%s%s", i ? "," : "{", personal_fields[i]);
    strbuf_addn(out, "}", 1);
}

const char *position_type_name(enum position_type p)
{
    static const char *const names[] = {"unknown", "struktural", "fungsional", "pelaksana"};

    return (unsigned)p < ARRAY_SIZE(names) ? names[p] : "unknown";
}

const char *edu_level_name(enum edu_level l)
{
    static const char *const names[] = {"none", "unknown", "sltp", "slta", "d3", "s1", "s2", "s3"};

    return (unsigned)l < ARRAY_SIZE(names) ? names[l] : "unknown";
}

const char *employee_status_name(enum employee_status s)
{
    static const char *const names[] = {"", "PNS", "CPNS", "PPPK"};

    return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "";
}

/* ---- dates ---------------------------------------------------------- */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* Days from civil, after H. Hinnant's public-domain algorithm. */
date_t date_from_ymd(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (date_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(date_t day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp + (mp < 10 ? 3 : -9);

    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

int date_year(date_t day)
{
    int y, m, d;

    if (day == DATE_NONE)
        return YEAR_NONE;
    date_to_ymd(day, &y, &m, &d);
    return y;
}

date_t date_today_utc(void)
{
    return (date_t)(time(NULL) / 86400);
}

static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

enum date_parse date_parse(const char *s, date_t *out)
{
    int y, m, d;
    size_t len;

    *out = DATE_NONE;
    if (!s)
        return DATE_EMPTY;
    len = strlen(s);
    if (len == 0)
        return DATE_EMPTY;
    if (len < 10)
        return DATE_BAD;
    /* A time part after the date is ignored: "2020-01-31T00:00:00Z". */
    if (len > 10 && s[10] != 'T' && s[10] != ' ')
        return DATE_BAD;
    if (s[4] == '-' && s[7] == '-') {
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
    } else if (s[2] == '-' && s[5] == '-') {
        d = digits(s, 2);
        m = digits(s + 3, 2);
        y = digits(s + 6, 4);
    } else {
        return DATE_BAD;
    }
    if (y < 0 || m < 0 || d < 0)
        return DATE_BAD;
    if (y == 1 && m == 1 && d == 1)
        return DATE_EMPTY;
    if (!date_valid_ymd(y, m, d))
        return DATE_BAD;
    *out = date_from_ymd(y, m, d);
    return DATE_PARSED;
}

const char *date_format(date_t day, char *buf, size_t size)
{
    int y, m, d;

    if (day == DATE_NONE) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    date_to_ymd(day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return buf;
}

int timestamp_parse(const char *s, int64_t *out)
{
    date_t day;
    int hh, mi, ss, off = 0;
    const char *p;

    if (!s || strlen(s) < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return -1;
    if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':')
        return -1;
    {
        char datepart[11];

        memcpy(datepart, s, 10);
        datepart[10] = '\0';
        if (date_parse(datepart, &day) != DATE_PARSED)
            return -1;
    }
    hh = digits(s + 11, 2);
    mi = digits(s + 14, 2);
    ss = digits(s + 17, 2);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60)
        return -1;
    p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = digits(p + 1, 2), om;

        if (oh < 0 || p[3] != ':')
            return -1;
        om = digits(p + 4, 2);
        if (om < 0 || oh > 23 || om > 59)
            return -1;
        off = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    *out = (int64_t)day * 86400 + hh * 3600 + mi * 60 + ss - off;
    return 0;
}

const char *timestamp_format(int64_t t, char *buf, size_t size)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;
    int y, m, d;

    date_to_ymd((date_t)days, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    return buf;
}
