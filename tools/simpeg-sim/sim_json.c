/* sim_json.c: the output buffer and its JSON writers, and a record as the
 * JSON of simpeg-api.md. The buffer grows without bound checks of its own:
 * callers bound what they write (a page holds at most PAGE_MAX records). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void out_grow(struct out *o, size_t n)
{
    size_t cap = o->cap ? o->cap : 65536;

    while (cap < o->len + n)
        cap *= 2;
    o->p = realloc(o->p, cap);
    if (!o->p) {
        fprintf(stderr, "simpeg-sim: out of memory\n");
        abort();
    }
    o->cap = cap;
}

void out_str(struct out *o, const char *s)
{
    size_t n = strlen(s);
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\' || c < 0x20)
            break;
    }
    if (i == n) { /* nothing to escape, the common case */
        out_reserve(o, n + 2);
        o->p[o->len++] = '"';
        memcpy(o->p + o->len, s, n);
        o->len += n;
        o->p[o->len++] = '"';
        return;
    }
    out_reserve(o, n * 6 + 2);
    o->p[o->len++] = '"';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\') {
            o->p[o->len++] = '\\';
            o->p[o->len++] = (char)c;
        } else if (c < 0x20) {
            o->len += (size_t)sprintf(o->p + o->len, "\\u%04x", c);
        } else {
            o->p[o->len++] = (char)c;
        }
    }
    o->p[o->len++] = '"';
}

void out_str_or_null(struct out *o, const char *s)
{
    if (s)
        out_str(o, s);
    else
        LIT(o, "null");
}

void out_uint(struct out *o, uint64_t v)
{
    char b[24];
    int n = 0;

    do {
        b[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_reserve(o, (size_t)n);
    while (n)
        o->p[o->len++] = b[--n];
}

void out_int(struct out *o, int64_t v)
{
    if (v < 0) {
        out_char(o, '-');
        out_uint(o, (uint64_t)(-(v + 1)) + 1);
    } else {
        out_uint(o, (uint64_t)v);
    }
}

/* A number with two decimals, from hundredths. */
static void out_cents(struct out *o, int cents)
{
    out_int(o, cents / 100);
    out_char(o, '.');
    out_char(o, (char)('0' + cents % 100 / 10));
    out_char(o, (char)('0' + cents % 10));
}

static void out_2d(struct out *o, int v)
{
    out_char(o, (char)('0' + v / 10 % 10));
    out_char(o, (char)('0' + v % 10));
}

static void out_4d(struct out *o, int v)
{
    out_2d(o, v / 100);
    out_2d(o, v % 100);
}

void out_date(struct out *o, int32_t day, enum date_style style)
{
    int y, m, d;

    if (day == NO_DATE) {
        LIT(o, "\"\"");
        return;
    }
    civil_from_days(day, &y, &m, &d);
    out_char(o, '"');
    if (style == DS_ISO) {
        out_4d(o, y);
        out_char(o, '-');
        out_2d(o, m);
        out_char(o, '-');
        out_2d(o, d);
    } else {
        out_2d(o, d);
        out_char(o, '-');
        out_2d(o, m);
        out_char(o, '-');
        out_4d(o, y);
    }
    out_char(o, '"');
}

/* A quoted RFC 3339 timestamp, in UTC or at +08:00 (WITA). */
void out_timestamp(struct out *o, int64_t t, bool wita)
{
    int y, m, d;
    int64_t local = wita ? t + 8 * 3600 : t;
    int32_t day = (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
    int sec = (int)(local - (int64_t)day * 86400);

    civil_from_days(day, &y, &m, &d);
    out_char(o, '"');
    out_4d(o, y);
    out_char(o, '-');
    out_2d(o, m);
    out_char(o, '-');
    out_2d(o, d);
    out_char(o, 'T');
    out_2d(o, sec / 3600);
    out_char(o, ':');
    out_2d(o, sec / 60 % 60);
    out_char(o, ':');
    out_2d(o, sec % 60);
    if (wita)
        LIT(o, "+08:00\"");
    else
        LIT(o, "Z\"");
}

/* A 32-hex-digit id, as SIASN's, derived from a. */
static void out_id(struct out *o, uint64_t a)
{
    static const char hex[] = "0123456789ABCDEF";
    uint64_t v[2] = {mix64(a), mix64(a ^ 0x5bd1e995ULL)};
    char *p;

    out_reserve(o, 34);
    p = o->p + o->len;
    *p++ = '"';
    for (int k = 0; k < 2; k++) {
        for (int i = 60; i >= 0; i -= 4)
            *p++ = hex[(v[k] >> i) & 15];
    }
    *p++ = '"';
    o->len += 34;
}

/* ---- a record as JSON --------------------------------------------------------- */

static void out_tenths(struct out *o, int tenths)
{
    out_int(o, tenths / 10);
    if (tenths % 10) {
        out_char(o, '.');
        out_char(o, (char)('0' + tenths % 10));
    }
}

/* What the sections of a record's JSON read: the record, its generated
 * employee, the defects it shows (fixes applied), the base of its ids, the
 * fields POST /admin/set gave it, and whether it is the duplicate fault's
 * second copy. */
struct emit {
    const struct sim *s;
    uint32_t i;
    const struct employee *e;
    const struct person *p;
    uint32_t d;
    uint64_t idbase;
    const struct record_set *set;
    bool copy;
    struct out *o;
};

/* The value POST /admin/set gave the field, else the generated one. */
static const char *field(const struct emit *x, enum set_field f, const char *generated)
{
    return x->set && x->set->v[f] ? x->set->v[f] : generated;
}

/* id, NIP, name, titles, birth and sex; record_malformed breaks these. */
static void json_person(const struct emit *x)
{
    const struct employee *e = x->e;
    struct out *o = x->o;

    LIT(o, "{\"id\":");
    out_id(o, x->idbase);
    if (e->malformed == 3) {
        LIT(o, ",\"nipBaru\":");
        out_mem(o, e->nip, 18);
    } else {
        LIT(o, ",\"nipBaru\":\"");
        out_mem(o, e->nip, 18);
        out_char(o, '"');
    }
    LIT(o, ",\"nipLama\":null");
    if (field(x, SF_NAMA, NULL)) {
        LIT(o, ",\"nama\":");
        out_str(o, field(x, SF_NAMA, NULL));
    } else if (e->malformed == 2) {
        LIT(o, ",\"nama\":");
        out_uint(o, 10000 + x->i % 90000);
    } else if (e->malformed != 1) {
        LIT(o, ",\"nama\":");
        out_str(o, e->name);
    }
    LIT(o, ",\"gelarDepan\":");
    out_str(o, e->front);
    LIT(o, ",\"gelarBelakang\":");
    out_str(o, e->back);
    LIT(o, ",\"tempatLahir\":");
    out_str(o, e->birthplace);
    LIT(o, ",\"tglLahir\":");
    out_date(o, e->birth_shown, e->style);
    LIT(o, ",\"jenisKelamin\":\"");
    out_char(o, e->sex_shown);
    out_char(o, '"');
    personal_json(x->s, x->i, e, o);
}

/* PNS, CPNS or PPPK, and the appointments. */
static void json_status(const struct emit *x)
{
    const struct employee *e = x->e;
    struct out *o = x->o;

    if (x->p->status == ST_PPPK)
        LIT(o, ",\"statusCpnsPns\":null,\"kedudukanPnsId\":\"71\",\"kedudukanPnsNama\":\"PPPK "
               "Aktif\"");
    else if (x->p->status == ST_CPNS)
        LIT(o, ",\"statusCpnsPns\":\"C\",\"kedudukanPnsId\":\"01\",\"kedudukanPnsNama\":\"Aktif\"");
    else
        LIT(o, ",\"statusCpnsPns\":\"P\",\"kedudukanPnsId\":\"01\",\"kedudukanPnsNama\":\"Aktif\"");
    LIT(o, ",\"tmtCpns\":");
    out_date(o, e->tmt_cpns_shown, e->style);
    LIT(o, ",\"tmtPns\":");
    if ((x->d & (1u << D_DATE_ORDER)) && e->tmt_pns != NO_DATE)
        out_date(o, e->tmt_cpns_shown - 400, e->style); /* before tmtCpns */
    else
        out_date(o, e->tmt_pns, e->style);
}

/* The position, its eselon, the grade and the highest education. */
static void json_position(const struct emit *x)
{
    const struct employee *e = x->e;
    const struct person *p = x->p;
    struct out *o = x->o;

    if (x->d & (1u << D_POSITION_UNKNOWN)) {
        if (x->i % 2)
            LIT(o, ",\"jenisJabatanId\":\"7\"");
    } else {
        LIT(o, ",\"jenisJabatanId\":\"");
        out_char(o, (char)('0' + p->pos));
        out_char(o, '"');
    }
    LIT(o, ",\"jabatanNama\":");
    if (x->copy) {
        char post[MAX_QUERY + 16];

        snprintf(post, sizeof(post), "%s (salinan)", field(x, SF_JABATAN, e->post));
        out_str(o, post);
    } else {
        out_str(o, field(x, SF_JABATAN, e->post));
    }
    if (p->eselon >= 0) {
        LIT(o, ",\"eselonId\":\"");
        out_mem(o, eselons[p->eselon].id, 2);
        LIT(o, "\",\"eselon\":");
        out_str(o, eselons[p->eselon].name);
    } else if (x->i % 3) {
        LIT(o, ",\"eselonId\":\"99\",\"eselon\":\"\"");
    } else {
        LIT(o, ",\"eselonId\":null,\"eselon\":null");
    }
    if (p->status == ST_PPPK) {
        LIT(o, ",\"golRuangAkhirId\":\"");
        out_int(o, e->grade);
        LIT(o, "\",\"golRuangAkhir\":");
        out_str(o, (const char *[]){"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
                                    "X"}[e->grade]);
    } else {
        LIT(o, ",\"golRuangAkhirId\":\"");
        out_mem(o, grade_ids[e->grade], 2);
        LIT(o, "\",\"golRuangAkhir\":");
        out_str(o, grade_names[e->grade]);
    }
    LIT(o, ",\"tkPendidikanTerakhirId\":");
    if (e->n_edu) {
        out_char(o, '"');
        out_mem(o, levels[e->top].id, 2);
        out_char(o, '"');
    } else {
        LIT(o, "null");
    }
}

/* The instansi, OPD and unit, updatedAt, and whether it is a tombstone. */
static void json_unit(const struct emit *x)
{
    const struct opd_info *opd = &opds[x->p->opd];
    bool missing = x->d & (1u << D_OPD_MISSING);
    struct out *o = x->o;
    char unor_id[24];

    LIT(o, ",\"instansiIndukId\":\"" INSTANSI_ID "\",\"instansiIndukNama\":\"" INSTANSI_NAME "\"");
    snprintf(unor_id, sizeof(unor_id), "%s.%03d", opd->id, x->e->unor_no);
    LIT(o, ",\"opdId\":");
    out_str_or_null(o, field(x, SF_OPD_ID, missing ? NULL : opd->id));
    LIT(o, ",\"opdNama\":");
    out_str_or_null(o, field(x, SF_OPD_NAMA, missing ? NULL : opd->name));
    LIT(o, ",\"unorId\":");
    out_str(o, unor_id);
    LIT(o, ",\"unorNama\":");
    out_str(o, x->e->unor);
    LIT(o, ",\"updatedAt\":");
    out_timestamp(o, x->s->updated[x->i], x->e->wita);
    if (x->s->flags[x->i] & RF_DELETED)
        LIT(o, ",\"deleted\":true");
    else
        LIT(o, ",\"deleted\":false");
}

static void json_education(const struct emit *x)
{
    struct out *o = x->o;

    LIT(o, ",\"rwPendidikan\":[");
    for (int k = 0; k < x->e->n_edu; k++) {
        const struct edu *h = &x->e->edu[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, x->idbase ^ (0x100u + (unsigned)k));
        LIT(o, ",\"tkPendidikanId\":");
        out_str(o, h->level_id);
        LIT(o, ",\"tkPendidikanNama\":");
        out_str(o, h->level_name);
        LIT(o, ",\"pendidikanNama\":");
        out_str(o, h->name);
        LIT(o, ",\"tahunLulus\":\"");
        out_int(o, h->year);
        LIT(o, "\",\"tglLulus\":");
        out_date(o, h->date, h->style);
        out_char(o, '}');
    }
    out_char(o, ']');
}

/* Leadership training (diklat struktural). */
static void json_diklat(const struct emit *x)
{
    struct out *o = x->o;

    LIT(o, ",\"rwDiklat\":[");
    for (int k = 0; k < x->e->n_diklat; k++) {
        const struct diklat *h = &x->e->diklat[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, x->idbase ^ (0x200u + (unsigned)k));
        LIT(o, ",\"latihanStrukturalId\":");
        out_str(o, h->type_id);
        LIT(o, ",\"latihanStrukturalNama\":");
        out_str(o, h->name);
        LIT(o, ",\"tanggal\":");
        out_date(o, h->start, h->style);
        LIT(o, ",\"tanggalSelesai\":");
        out_date(o, h->end, h->style);
        LIT(o, ",\"tahun\":");
        out_int(o, year_of(h->start));
        LIT(o, ",\"jumlahJam\":");
        out_int(o, h->hours);
        out_char(o, '}');
    }
    out_char(o, ']');
}

/* One course; every fourth carries its hours as a string. */
static void json_course(const struct emit *x, int k)
{
    const struct kursus *h = &x->e->kursus[k];
    struct out *o = x->o;

    LIT(o, "{\"id\":");
    out_id(o, x->idbase ^ (0x300u + (unsigned)(h->dup_of >= 0 ? h->dup_of : k)));
    LIT(o, ",\"jenisKursusId\":");
    out_str(o, h->kind_id);
    LIT(o, ",\"jenisKursusNama\":");
    out_str(o, h->kind_name);
    LIT(o, ",\"namaKursus\":");
    out_str(o, h->name);
    LIT(o, ",\"jumlahJam\":");
    if (h->hours < 0)
        LIT(o, "null");
    else if (k % 4 == 3) {
        out_char(o, '"');
        out_int(o, h->hours);
        out_char(o, '"');
    } else {
        out_int(o, h->hours);
    }
    LIT(o, ",\"tanggalKursus\":");
    if (h->raw_start)
        out_str(o, h->raw_start);
    else
        out_date(o, h->start, h->style);
    LIT(o, ",\"tanggalSelesaiKursus\":");
    out_date(o, h->end, h->style);
    LIT(o, ",\"tahunKursus\":\"");
    out_int(o, h->raw_start ? year_of(x->s->today) - 1 : year_of(h->start));
    LIT(o, "\"}");
}

static void json_courses(const struct emit *x)
{
    LIT(x->o, ",\"rwKursus\":[");
    for (int k = 0; k < x->e->n_kursus; k++) {
        if (k)
            out_char(x->o, ',');
        json_course(x, k);
    }
    out_char(x->o, ']');
}

/* SKP on the old scale; its value a number or, at times, text. */
static void json_skp(const struct emit *x)
{
    struct out *o = x->o;

    LIT(o, ",\"rwSkp\":[");
    for (int k = 0; k < x->e->n_skp; k++) {
        const struct skp *h = &x->e->skp[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, x->idbase ^ (0x400u + (unsigned)k));
        LIT(o, ",\"tahun\":");
        out_int(o, h->year);
        LIT(o, ",\"nilaiPrestasiKerja\":");
        if (h->as_text) {
            out_char(o, '"');
            out_cents(o, h->cents);
            out_char(o, '"');
        } else {
            out_cents(o, h->cents);
        }
        LIT(o, ",\"nilairatarata\":\"");
        out_cents(o, h->cents);
        LIT(o, "\"}");
    }
    out_char(o, ']');
}

/* SKP from 2022: the predikat. */
static void json_skp22(const struct emit *x)
{
    struct out *o = x->o;

    LIT(o, ",\"rwSkp22\":[");
    for (int k = 0; k < x->e->n_skp22; k++) {
        const struct skp22 *h = &x->e->skp22[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, x->idbase ^ (0x500u + (unsigned)h->year));
        LIT(o, ",\"tahun\":");
        out_int(o, h->year);
        LIT(o, ",\"kuadranKinerja\":");
        out_str(o, h->predikat);
        LIT(o, ",\"KuadranKinerjaNilai\":");
        out_str(o, h->value);
        out_char(o, '}');
    }
    out_char(o, ']');
}

/* Sanctions (hukuman disiplin), with the decree that annulled one. */
static void json_sanctions(const struct emit *x)
{
    struct out *o = x->o;

    LIT(o, ",\"rwHukdis\":[");
    for (int k = 0; k < x->e->n_hukdis; k++) {
        const struct hukdis *h = &x->e->hukdis[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, x->idbase ^ (0x600u + (unsigned)k));
        LIT(o, ",\"jenisTingkatHukumanId\":\"");
        out_char(o, h->level);
        LIT(o, "\",\"jenisHukumanNama\":");
        out_str(o, h->name);
        LIT(o, ",\"skNomor\":\"800/");
        out_int(o, h->number);
        LIT(o, "/BKD/");
        out_int(o, year_of(h->sk));
        LIT(o, "\",\"skTanggal\":");
        out_date(o, h->sk, DS_DMY);
        LIT(o, ",\"hukumanTanggal\":");
        out_date(o, h->tmt, DS_DMY);
        LIT(o, ",\"akhirHukumTanggal\":");
        out_date(o, h->end, DS_DMY);
        if (h->annulled) {
            LIT(o, ",\"skPembatalanNomor\":\"800/");
            out_int(o, h->number + 1);
            LIT(o, "/BKD/");
            out_int(o, year_of(h->sk) + 1);
            LIT(o, "\"}");
        } else {
            LIT(o, ",\"skPembatalanNomor\":null}");
        }
    }
    out_char(o, ']');
}

/* The official IP ASN, when the record carries one. */
static void json_ipasn(const struct emit *x)
{
    const struct employee *e = x->e;
    struct out *o = x->o;

    if (!e->has_ipasn)
        return;
    LIT(o, ",\"ipAsn\":{\"tahun\":");
    out_int(o, e->ipasn_year);
    LIT(o, ",\"kualifikasi\":");
    out_tenths(o, e->ipasn[0]);
    LIT(o, ",\"kompetensi\":");
    out_tenths(o, e->ipasn[1]);
    LIT(o, ",\"kinerja\":");
    out_tenths(o, e->ipasn[2]);
    LIT(o, ",\"disiplin\":");
    out_tenths(o, e->ipasn[3]);
    LIT(o, ",\"total\":");
    out_tenths(o, e->ipasn[4]);
    out_char(o, '}');
}

static void employee_json(const struct sim *s, uint32_t i, const struct employee *e, bool copy,
                          struct out *o)
{
    const struct emit x = {
        .s = s,
        .i = i,
        .e = e,
        .p = &e->p,
        .d = e->p.defects & ~((s->flags[i] & RF_FIXED) ? ~UNFIXABLE : 0u),
        .idbase = mix64(s->seed ^ ((uint64_t)i << 20)),
        .set = record_set_find(s, i),
        .copy = copy,
        .o = o,
    };

    out_reserve(o, 8192);
    json_person(&x);
    json_status(&x);
    json_position(&x);
    json_unit(&x);
    json_education(&x);
    json_diklat(&x);
    json_courses(&x);
    json_skp(&x);
    json_skp22(&x);
    json_sanctions(&x);
    json_ipasn(&x);
    out_char(o, '}');
}

void record_json(const struct sim *s, uint32_t i, struct out *o)
{
    struct employee e;

    employee_generate(s, i, &e);
    employee_json(s, i, &e, false, o);
}

void record_json_copy(const struct sim *s, uint32_t i, struct out *o)
{
    struct employee e;

    employee_generate(s, i, &e);
    employee_json(s, i, &e, true, o);
}
