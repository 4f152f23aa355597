/* sim_personal.c: the personal data a real SIMPEG sends with every record
 * (data pribadi): NIK, address, mobile number, e-mail, NPWP and family card
 * number, at the top level of the record. They come from a stream of their
 * own, so the rest of the record is what it would be without them.
 * ipasnd needs none of them and must not keep them: the tests look for
 * them in what it stores. */
#include <stdio.h>

#include "sim.h"

/* The regencies and cities of Kalimantan Selatan (province code 63) with
 * their seats, by their codes in the NIK (kode wilayah). */
static const struct regency {
    const char *code, *seat, *name;
} regencies[] = {
    {"01", "Pelaihari", "Kabupaten Tanah Laut"},
    {"02", "Kotabaru", "Kabupaten Kotabaru"},
    {"03", "Martapura", "Kabupaten Banjar"},
    {"04", "Marabahan", "Kabupaten Barito Kuala"},
    {"05", "Rantau", "Kabupaten Tapin"},
    {"06", "Kandangan", "Kabupaten Hulu Sungai Selatan"},
    {"07", "Barabai", "Kabupaten Hulu Sungai Tengah"},
    {"08", "Amuntai", "Kabupaten Hulu Sungai Utara"},
    {"09", "Tanjung", "Kabupaten Tabalong"},
    {"10", "Batulicin", "Kabupaten Tanah Bumbu"},
    {"11", "Paringin", "Kabupaten Balangan"},
    {"71", "Banjarmasin", "Kota Banjarmasin"},
    {"72", "Banjarbaru", "Kota Banjarbaru"},
};

static const char *const streets[] = {
    "Jl. Ahmad Yani",     "Jl. Pangeran Antasari", "Jl. Lambung Mangkurat", "Jl. Sultan Adam",
    "Jl. Veteran",        "Jl. Pramuka",           "Jl. Cempaka",           "Jl. Kayu Tangi",
    "Jl. Belitung Darat", "Jl. Trikora",           "Jl. Gatot Subroto",     "Jl. Panglima Batur",
};

static const char *const mail_domains[] = {"gmail.com", "yahoo.co.id", "yahoo.com", "gmail.com"};

/* The lower-case letters of the name's first n words, joined by dots. */
static void mail_local(const char *name, int words, char *buf, size_t size)
{
    size_t n = 0;
    int w = 0;

    for (const char *p = name; *p && n + 1 < size; p++) {
        if (*p == ' ') {
            if (++w == words)
                break;
            if (n > 0 && buf[n - 1] != '.')
                buf[n++] = '.';
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            buf[n++] = (char)(*p | 0x20);
        }
    }
    buf[n] = '\0';
}

static void out_field(struct out *o, const char *lit, size_t len, const char *value)
{
    out_mem(o, lit, len);
    out_str(o, value);
}
#define FIELD(o, name, value) out_field((o), ",\"" name "\":", sizeof(name) + 3, (value))

void personal_json(const struct sim *s, uint32_t i, const struct employee *e, struct out *o)
{
    struct rng r = rng_for(s->seed, i, S_PERSONAL);
    const struct regency *reg = &PICK(&r, regencies);
    int district = rng_range(&r, 1, 12), by, bm, bd, ky, km, kd;
    int32_t kk_day = e->p.birth + 365 * rng_range(&r, 20, 30) + rng_range(&r, 0, 364);
    char nik[17], kk[17], address[160], phone[16], local[80], mail[120], npwp[24];

    civil_from_days(e->p.birth, &by, &bm, &bd);
    if (kk_day > s->today)
        kk_day = s->today - rng_range(&r, 30, 3000);
    civil_from_days(kk_day, &ky, &km, &kd);
    /* NIK: region, district, birth date (day + 40 for women), a number. */
    snprintf(nik, sizeof(nik), "63%s%02d%02d%02d%02d%04d", reg->code, district,
             bd + (e->p.sex == 2 ? 40 : 0), bm, by % 100, rng_range(&r, 1, 9999));
    snprintf(kk, sizeof(kk), "63%s%02d%02d%02d%02d%04d", reg->code, district, kd, km, ky % 100,
             rng_range(&r, 1, 9999));
    snprintf(address, sizeof(address), "%s No. %d RT %03d RW %03d, %s, %s", PICK(&r, streets),
             rng_range(&r, 1, 150), rng_range(&r, 1, 20), rng_range(&r, 1, 9), reg->seat,
             reg->name);
    snprintf(phone, sizeof(phone), "08%s%08u",
             PICK(&r, ((const char *const[]){"11", "12", "13", "21", "22", "52", "53", "77", "78",
                                             "81", "82", "95", "96"})),
             (unsigned)rng_below(&r, 100000000));
    mail_local(e->name, rng_chance(&r, 0.5) ? 1 : 2, local, sizeof(local));
    snprintf(mail, sizeof(mail), "%s%02d@%s", local, (int)rng_below(&r, 100),
             PICK(&r, mail_domains));
    snprintf(npwp, sizeof(npwp), "%02u.%03u.%03u.%u-%d.000", (unsigned)rng_below(&r, 100),
             (unsigned)rng_below(&r, 1000), (unsigned)rng_below(&r, 1000),
             (unsigned)rng_below(&r, 10), rng_range(&r, 731, 734));
    FIELD(o, "nik", nik);
    FIELD(o, "alamat", address);
    FIELD(o, "noHp", phone);
    FIELD(o, "email", mail);
    FIELD(o, "noNpwp", npwp);
    FIELD(o, "nomorKk", kk);
}
