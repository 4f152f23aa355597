/* The in-memory model of SIMPEG records: plain structs filled by the decoder
 * (simpeg.c), read by score, quality and store. A page owns everything in it
 * through one arena; page_free releases it whole. No JSON past this point,
 * except a rejected record's raw text kept for quarantine. */
#ifndef IPASND_MODEL_H
#define IPASND_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "util.h"

/* ---- dates ---------------------------------------------------------- */

/* A calendar date as days since 1970-01-01; DATE_NONE when absent. */
typedef int32_t date_t;
#define DATE_NONE INT32_MIN

bool date_valid_ymd(int y, int m, int d);
date_t date_from_ymd(int y, int m, int d); /* caller checks validity first */
void date_to_ymd(date_t day, int *y, int *m, int *d);
int date_year(date_t day);
date_t date_today_utc(void);
/* Today in the local time zone: the BKD counts its days, to the cut-off
 * and in the daily history, on its own calendar. */
date_t date_today_local(void);

enum date_parse {
    DATE_PARSED = 0, /* *out is the date */
    DATE_EMPTY = 1,  /* "", "0001-01-01", "01-01-0001": no date, *out = DATE_NONE */
    DATE_BAD = -1,   /* not a date or not a calendar date, *out = DATE_NONE */
};
/* Accepts ISO YYYY-MM-DD (a trailing time part such as "T00:00:00Z" or
 * " 00:00:00" is ignored) and SIASN's DD-MM-YYYY. */
enum date_parse date_parse(const char *s, date_t *out);
/* Formats as YYYY-MM-DD into buf (at least 11 bytes); "" for DATE_NONE. */
const char *date_format(date_t day, char *buf, size_t size);

/* An RFC 3339 timestamp to Unix seconds (UTC); 0 on success, -1 otherwise. */
int timestamp_parse(const char *s, int64_t *out);
/* Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
const char *timestamp_format(int64_t t, char *buf, size_t size);

/* ---- the NIP ----------------------------------------------------------- */

/* A NIP (nipBaru) is 18 digits: the birth date YYYYMMDD, the appointment
 * YYYYMM, the sex, and a sequence number that is not 000. */
enum nip_shape {
    NIP_OK = 0,
    NIP_NOT_18_DIGITS,
    NIP_BAD_BIRTH_DATE, /* digits 1-8 are not a calendar date */
    NIP_SEQUENCE_000,
};
enum nip_shape nip_check(const char *nip);
bool nip_well_formed(const char *nip);
/* What is wrong, in a few words: "not 18 digits". */
const char *nip_shape_text(enum nip_shape s);

/* ---- the contract's fields -------------------------------------------- */

/* The fields of a record the index, the checks and the report use: all
 * ipasnd keeps of what a source sends (UU 27/2022: no more personal data
 * than the purpose needs). A history (rwKursus) or the official value
 * (ipAsn) is a part with fields of its own. */
bool contract_field(const char *part, const char *key); /* part NULL: the record's top */
/* Whether key names a part of the record (a history or ipAsn). */
bool contract_part(const char *key);
/* Keys of personal data no part of ipasnd uses ("nik", "alamat"): never
 * kept, not even from a record that broke the contract. */
bool contract_personal(const char *key);
/* The contract as two text[] literals: the top-level keys, and the
 * "part.key" pairs. */
void contract_literals(struct strbuf *top, struct strbuf *nested);
/* The personal keys, as a text[] literal. */
void contract_personal_literal(struct strbuf *out);

/* ---- closed sets ------------------------------------------------------ */

enum position_type {
    POSITION_UNKNOWN = 0, /* scored as pelaksana, flagged position_unknown */
    POSITION_STRUKTURAL,  /* jenisJabatanId 1, or 3 with an eselon */
    POSITION_FUNGSIONAL,  /* 2, or 3 without an eselon */
    POSITION_PELAKSANA,   /* 4 (fungsional umum) */
};

/* Education levels in the order of the qualification table. */
enum edu_level {
    EDU_NONE = 0, /* no education record */
    EDU_UNKNOWN,  /* a code or name that maps to no level */
    EDU_SLTP,     /* SLTP and below: 05, 10, 12 */
    EDU_SLTA,     /* SLTA, D-I, D-II: 15, 17, 18, 20, 25 */
    EDU_D3,       /* 30 */
    EDU_S1,       /* S-1 and D-IV: 40, 35 */
    EDU_S2,       /* 45 */
    EDU_S3,       /* 50 */
};

enum sanction_level {
    SANCTION_NONE = 0,
    SANCTION_RINGAN, /* R */
    SANCTION_SEDANG, /* S */
    SANCTION_BERAT,  /* B */
    SANCTION_UNKNOWN,
};

enum employee_status {
    STATUS_UNKNOWN = 0,
    STATUS_PNS,
    STATUS_CPNS,
    STATUS_PPPK,
};

/* Stable lower-case names, as stored and printed: "struktural", "s1", "PPPK". */
const char *position_type_name(enum position_type p);
const char *edu_level_name(enum edu_level l);
const char *employee_status_name(enum employee_status s);

/* ---- records ----------------------------------------------------------- */

#define HOURS_NONE (-1) /* jumlahJam absent */
#define YEAR_NONE  0

/* rwPendidikan */
struct education {
    const char *id;
    const char *level_id;   /* tkPendidikanId */
    const char *level_name; /* tkPendidikanNama */
    const char *name;       /* pendidikanNama */
    int grad_year;          /* tahunLulus, YEAR_NONE when absent */
    date_t grad_date;       /* tglLulus */
};

/* rwDiklat: leadership training (diklat struktural / kepemimpinan) */
struct leadership_training {
    const char *id;
    const char *type_id; /* latihanStrukturalId */
    const char *name;    /* latihanStrukturalNama */
    date_t start;        /* tanggal */
    date_t end;          /* tanggalSelesai */
    int year;            /* tahun */
    int hours;           /* jumlahJam, HOURS_NONE when absent */
};

/* rwKursus: functional, technical and seminar-like development */
struct course {
    const char *id;
    const char *kind_id;   /* jenisKursusId */
    const char *kind_name; /* jenisKursusNama */
    const char *name;      /* namaKursus */
    int hours;             /* jumlahJam, HOURS_NONE when absent */
    date_t start;          /* tanggalKursus */
    date_t end;            /* tanggalSelesaiKursus */
    int year;              /* tahunKursus */
};

/* rwSkp (PP 46/2011) */
struct skp {
    const char *id;
    int year;       /* tahun */
    bool has_score; /* nilaiPrestasiKerja, else nilairatarata */
    double score;
    const char *score_field; /* which of the two supplied the score */
};

/* rwSkp22 (2022+) */
struct skp22 {
    const char *id;
    int year;             /* tahun */
    const char *predikat; /* kuadranKinerja */
    const char *value;    /* KuadranKinerjaNilai, kept as text */
};

/* rwHukdis (hukuman disiplin) */
struct sanction {
    const char *id;
    const char *level_id; /* jenisTingkatHukumanId as given */
    enum sanction_level level;
    const char *type_name; /* jenisHukumanNama */
    date_t sk_date;        /* skTanggal */
    date_t tmt;            /* hukumanTanggal */
    date_t end;            /* akhirHukumTanggal */
    bool annulled;         /* skPembatalanNomor set */
};

/* ipAsn: the official BKN value, when the source carries it */
struct official_ipasn {
    bool present;
    const char *source; /* "listing", "siasn" (nilaiipasn) or "import": a static string */
    int year;
    /* in tenths of a point, like every score; -1 when absent */
    int qualification, competency, performance, discipline, total;
};

/* Something the decoder noticed in a field it could still store: a date
 * that does not parse, a number out of range, a duplicate history id.
 * Quality turns these into issues; code is a quality.md code. */
struct decode_note {
    const char *code;  /* "date_invalid", "duplicate_record", ... */
    const char *field; /* "rwKursus[2].tanggalKursus" */
    const char *value; /* the offending text, may be NULL */
};

struct employee {
    const char *nip; /* nipBaru, 18 digits */
    const char *id;  /* upstream SIASN PNS id, may be NULL */
    const char *name, *title_front, *title_back;
    date_t birth_date;           /* tglLahir */
    char sex;                    /* 'M', 'F' or 0 */
    const char *status_cpns_pns; /* statusCpnsPns: "C", "P" */
    const char *kedudukan_id;    /* kedudukanPnsId */
    const char *kedudukan_name;  /* kedudukanPnsNama */
    enum employee_status status; /* derived: PPPK from kedudukan 71/72 */
    date_t tmt_cpns, tmt_pns;
    const char *position_type_id; /* jenisJabatanId as given */
    enum position_type position;  /* derived, see enum */
    const char *position_name;    /* jabatanNama */
    const char *eselon_id;        /* eselonId, "99" or NULL = none */
    const char *eselon;           /* "IV.a" */
    int eselon_level;             /* 1..4 from eselonId, 0 none */
    const char *grade_id, *grade; /* golRuangAkhirId, golRuangAkhir */
    const char *edu_level_id;     /* tkPendidikanTerakhirId */
    const char *instansi_id, *instansi_name;
    const char *opd_id, *opd_name;
    const char *unor_id, *unor_name;
    int64_t updated_at; /* updatedAt, Unix seconds; 0 when absent */
    bool deleted;       /* tombstone */

    struct education *education;
    size_t n_education;
    struct leadership_training *leadership;
    size_t n_leadership;
    struct course *courses;
    size_t n_courses;
    struct skp *skp;
    size_t n_skp;
    struct skp22 *skp22;
    size_t n_skp22;
    struct sanction *sanctions;
    size_t n_sanctions;
    struct official_ipasn ipasn;

    struct decode_note *notes;
    size_t n_notes;

    /* 64-bit hash of raw: equal hash, equal text */
    uint64_t content_hash;
    /* the record's JSON text as received (written again by jansson when its
     * page had to be parsed whole), for the store's raw copy */
    const char *raw;
};

/* A record that broke the contract: kept for quarantine, never scored. */
struct rejected_record {
    const char *nip;    /* when it could be read, else NULL */
    const char *code;   /* "record_malformed" or "nip_invalid" */
    const char *reason; /* one line */
    const char *raw;    /* the record's JSON text, as for an employee */
    size_t index;       /* position in the page's data array */
};

struct page {
    struct arena *arena; /* owns everything below */
    struct employee *employees;
    size_t n_employees;
    struct rejected_record *rejected;
    size_t n_rejected;
    const char *next_cursor; /* NULL at the end of the listing */
    const char *server_time_text;
    int64_t server_time; /* Unix seconds */
    long count;          /* the envelope's count, -1 when absent */
};

/* Frees the page and everything it owns; NULL is a no-op. */
void page_free(struct page *page);

#endif
