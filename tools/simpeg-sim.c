/* simpeg-sim: a SIMPEG endpoint for the tests and the demo of ipasnd.
 *
 * It serves the contract of simpeg-api.md over a synthetic workforce of a
 * provincial government (Pemerintah Provinsi Kalimantan Selatan): 45
 * perangkat daerah, struktural, fungsional and pelaksana positions, PNS, CPNS
 * and PPPK, education, leadership training, courses, SKP, sanctions and some
 * official IP ASN values. Every record is generated when it is served, from
 * (seed, index, version), so a million employees take about 30 bytes each
 * and start in about a second; the same flags always give the same data.
 *
 * Usage: simpeg-sim [OPTION]...
 *   --port N             TCP port (default 8080; 0 picks a free one)
 *   --bind ADDR          IPv4 address to listen on (default 127.0.0.1)
 *   --seed N             the workforce's seed (default 1)
 *   --employees N        how many employees (default 5000, at most 10000000)
 *   --today YYYY-MM-DD   the day the data is current at (default: today, UTC);
 *                        histories end there, updatedAt spreads back from it
 *   --defect-rate R      share of records carrying each data-quality defect
 *                        of quality.md (default 0.02; 0 gives clean data)
 *   --mutate-rate R      share of records changed at the start of every
 *                        listing, i.e. every GET /v1/asn without a cursor
 *                        (default 0)
 *   --auth MODE          none | bearer | oauth2 (default none)
 *   --token T            bearer: the token data calls must carry
 *   --client-id ID       oauth2: the client POST /oauth2/token accepts
 *   --client-secret S    oauth2: its secret (HTTP Basic authentication)
 *   --token-ttl S        oauth2: lifetime of an issued token (default 3600)
 *   --require-header H:V data calls must carry header H with value V, else 403
 *   --fault SPEC         arms a fault at start; SPEC holds the parameters of
 *                        POST /admin/fault, comma-separated:
 *                        --fault kind=status,status=503,count=2
 *   --verbose            one line per request on stderr
 *   --help               this text
 *
 * The contract:
 *   GET  /v1/asn?updated_since=&cursor=&limit=   a listing page
 *   GET  /v1/asn/{nipBaru}                       {"data": EMPLOYEE} or 404
 *   POST /oauth2/token                           client credentials
 *   GET  /healthz
 *
 * Administration, for tests (no authentication: keep it on loopback):
 *   POST /admin/fault?kind=K&...   arms a fault for the next matching requests:
 *        count=N (default 1; -1 until cleared), path=P (the path prefix it
 *        applies to, default /v1/asn; /oauth2/token for the token endpoint),
 *        skip=N (let N matching requests through first: a fault on page 3)
 *        kind=status      answer status=S (default 503) with an error body;
 *                         retry_after=SECONDS adds Retry-After, as an HTTP
 *                         date with retry_after_date=1; siasn=1 gives the
 *                         body SIASN's shape {"code":0,"data":"..."};
 *                         location=URL adds a Location header (with 3xx);
 *                         message=TEXT replaces the error body's message
 *        kind=slow_headers  wait delay_ms (default 2000) before answering
 *        kind=slow_body   send the body in chunk=BYTES pieces (default 1024),
 *                         delay_ms (default 200) apart
 *        kind=truncate    announce the full Content-Length, close at half
 *        kind=malformed   200 with a body that is not valid JSON
 *        kind=reset       send half the body, then reset the connection
 *        kind=gone        410 on requests that carry a cursor
 *        kind=token_expired  401 on a data call; every token issued so far
 *                         is revoked (oauth2 clients must fetch a new one)
 *        kind=oversize    200 with a valid JSON body of bytes=N bytes
 *                         (default 128 MiB); chunked=1 sends no
 *                         Content-Length
 *        kind=rejects     a listing page whose records are followed by
 *                         copies=N (default 2) of one record that breaks
 *                         the contract (no "nama")
 *   POST /admin/clear              disarms every fault
 *   POST /admin/fix?nip=N          removes N's fixable defects: new version,
 *                                  updatedAt = now
 *   POST /admin/delete?nip=N       makes N a tombstone (deleted: true)
 *   POST /admin/mutate?count=N     changes N records (a new course each)
 *   GET  /admin/stats              requests counted by path and status
 *   POST /admin/reset-stats        zeroes them
 *   GET  /admin/record?nip=N       the index, version and defects of N
 *   GET  /admin/defects            defects by code over the live records
 *
 * Sizes stay bounded: a listing page holds at most 1000 records, request
 * bodies at most 8 KiB, query values at most 1 KiB.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#define MAX_EMPLOYEES 10000000
#define MAX_FAULTS    32
#define MAX_TOKENS    256
#define MAX_BODY      8192
#define MAX_QUERY     1024
#define PAGE_MAX      1000
#define PAGE_DEFAULT  500
#define EXTRA_MAX     5 /* courses a record gains by its later versions, kept */

/* ---- the province -------------------------------------------------------- */

#define INSTANSI_ID   "A5EB03E23CFBF6A0E040640A040252AD"
#define INSTANSI_NAME "Pemerintah Provinsi Kalimantan Selatan"

enum opd_kind {
    KIND_GENERAL,
    KIND_EDU,    /* teachers in SMA, SMK and SLB */
    KIND_HOSP,   /* hospitals */
    KIND_HEALTH, /* the health office */
    KIND_SETDA,  /* the secretariat and its biro */
};

/* Functional positions (jabatan fungsional tertentu). */
enum role {
    R_GURU,
    R_PENGAWAS_SEKOLAH,
    R_PUSTAKAWAN,
    R_DOKTER,
    R_DOKTER_SPESIALIS,
    R_PERAWAT,
    R_PERAWAT_NERS,
    R_BIDAN,
    R_APOTEKER,
    R_ASISTEN_APOTEKER,
    R_PRANATA_LAB,
    R_RADIOGRAFER,
    R_NUTRISIONIS,
    R_PEREKAM_MEDIS,
    R_EPIDEMIOLOG,
    R_SANITARIAN,
    R_PENYULUH_KESMAS,
    R_ANALIS_KEBIJAKAN,
    R_PERENCANA,
    R_PRANATA_KOMPUTER,
    R_ARSIPARIS,
    R_ANALIS_KEUANGAN,
    R_PENGELOLA_PBJ,
    R_ANALIS_SDM,
    R_AUDITOR,
    R_P2UPD,
    R_PENYULUH_KEHUTANAN,
    R_PEH,
    R_POLHUT,
    R_PRANATA_HUMAS,
    R_STATISTISI,
    R_PENGAWAS_LH,
    R_PENGUJI_KENDARAAN,
    R_POL_PP,
    R_PEKSOS,
    R_PENYULUH_PERTANIAN,
    R_PENGAWAS_PERIKANAN,
    R_TEKNIK_JALAN,
    R_PENATA_RUANG,
    R_MEDIATOR_HI,
    R_WIDYAISWARA,
    R_PEMERIKSA_PAJAK,
    N_ROLES
};

enum level {
    L_SD,
    L_SLTP,
    L_SLTA,
    L_D3,
    L_D4,
    L_S1,
    L_S2,
    L_S3,
};

struct role_info {
    const char *name;
    bool skilled;         /* a "Terampil" (D-III) role rather than an "Ahli" one */
    const char *field[3]; /* studies; NULL-padded */
    const char *title;    /* the title of its usual degree */
};

static const struct role_info roles[N_ROLES] = {
    [R_GURU] = {"Guru",
                false,
                {"Pendidikan Matematika", "Pendidikan Bahasa Inggris", "Pendidikan Biologi"},
                "S.Pd."},
    [R_PENGAWAS_SEKOLAH] = {"Pengawas Sekolah", false, {"Manajemen Pendidikan"}, "S.Pd."},
    [R_PUSTAKAWAN] = {"Pustakawan", false, {"Ilmu Perpustakaan"}, "S.IP."},
    [R_DOKTER] = {"Dokter", false, {"Pendidikan Dokter"}, ""},
    [R_DOKTER_SPESIALIS] = {"Dokter Spesialis", false, {"Pendidikan Dokter"}, ""},
    [R_PERAWAT] = {"Perawat", true, {"Keperawatan"}, "A.Md.Kep."},
    [R_PERAWAT_NERS] = {"Perawat", false, {"Keperawatan"}, "S.Kep., Ns."},
    [R_BIDAN] = {"Bidan", true, {"Kebidanan"}, "A.Md.Keb."},
    [R_APOTEKER] = {"Apoteker", false, {"Farmasi"}, "S.Farm., Apt."},
    [R_ASISTEN_APOTEKER] = {"Asisten Apoteker", true, {"Farmasi"}, "A.Md.Farm."},
    [R_PRANATA_LAB] = {"Pranata Laboratorium Kesehatan", true, {"Analis Kesehatan"}, "A.Md.AK."},
    [R_RADIOGRAFER] = {"Radiografer", true, {"Radiologi"}, "A.Md.Rad."},
    [R_NUTRISIONIS] = {"Nutrisionis", true, {"Gizi"}, "A.Md.Gz."},
    [R_PEREKAM_MEDIS] = {"Perekam Medis", true, {"Rekam Medis"}, "A.Md.RMIK."},
    [R_EPIDEMIOLOG] = {"Epidemiolog Kesehatan", false, {"Kesehatan Masyarakat"}, "S.KM."},
    [R_SANITARIAN] = {"Sanitarian", true, {"Kesehatan Lingkungan"}, "A.Md.KL."},
    [R_PENYULUH_KESMAS] = {"Penyuluh Kesehatan Masyarakat",
                           false,
                           {"Kesehatan Masyarakat"},
                           "S.KM."},
    [R_ANALIS_KEBIJAKAN] = {"Analis Kebijakan",
                            false,
                            {"Administrasi Negara", "Ilmu Pemerintahan", "Ilmu Hukum"},
                            "S.Sos."},
    [R_PERENCANA] = {"Perencana",
                     false,
                     {"Ekonomi Pembangunan", "Perencanaan Wilayah dan Kota"},
                     "S.E."},
    [R_PRANATA_KOMPUTER] = {"Pranata Komputer",
                            false,
                            {"Teknik Informatika", "Sistem Informasi"},
                            "S.Kom."},
    [R_ARSIPARIS] = {"Arsiparis", false, {"Kearsipan", "Administrasi Negara"}, "S.Sos."},
    [R_ANALIS_KEUANGAN] = {"Analis Keuangan Pusat dan Daerah",
                           false,
                           {"Akuntansi", "Manajemen"},
                           "S.E."},
    [R_PENGELOLA_PBJ] = {"Pengelola Pengadaan Barang/Jasa",
                         false,
                         {"Teknik Sipil", "Manajemen"},
                         "S.T."},
    [R_ANALIS_SDM] = {"Analis Sumber Daya Manusia Aparatur",
                      false,
                      {"Administrasi Negara", "Psikologi"},
                      "S.AP."},
    [R_AUDITOR] = {"Auditor", false, {"Akuntansi"}, "S.E., Ak."},
    [R_P2UPD] = {"Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah",
                 false,
                 {"Ilmu Pemerintahan", "Ilmu Hukum"},
                 "S.IP."},
    [R_PENYULUH_KEHUTANAN] = {"Penyuluh Kehutanan", false, {"Kehutanan"}, "S.Hut."},
    [R_PEH] = {"Pengendali Ekosistem Hutan", false, {"Kehutanan", "Biologi"}, "S.Hut."},
    [R_POLHUT] = {"Polisi Kehutanan", true, {"Kehutanan"}, "A.Md."},
    [R_PRANATA_HUMAS] = {"Pranata Hubungan Masyarakat", false, {"Ilmu Komunikasi"}, "S.I.Kom."},
    [R_STATISTISI] = {"Statistisi", false, {"Statistika"}, "S.Stat."},
    [R_PENGAWAS_LH] = {"Pengawas Lingkungan Hidup", false, {"Teknik Lingkungan"}, "S.T."},
    [R_PENGUJI_KENDARAAN] = {"Penguji Kendaraan Bermotor", true, {"Teknik Otomotif"}, "A.Md.T."},
    [R_POL_PP] = {"Polisi Pamong Praja", true, {"Administrasi Perkantoran"}, "A.Md."},
    [R_PEKSOS] = {"Pekerja Sosial", false, {"Kesejahteraan Sosial"}, "S.Sos."},
    [R_PENYULUH_PERTANIAN] = {"Penyuluh Pertanian", false, {"Agribisnis", "Agroteknologi"}, "S.P."},
    [R_PENGAWAS_PERIKANAN] = {"Pengawas Perikanan", false, {"Perikanan"}, "S.Pi."},
    [R_TEKNIK_JALAN] = {"Teknik Jalan dan Jembatan", false, {"Teknik Sipil"}, "S.T."},
    [R_PENATA_RUANG] = {"Penata Ruang", false, {"Perencanaan Wilayah dan Kota"}, "S.T."},
    [R_MEDIATOR_HI] = {"Mediator Hubungan Industrial", false, {"Ilmu Hukum"}, "S.H."},
    [R_WIDYAISWARA] = {"Widyaiswara", false, {"Administrasi Negara", "Manajemen"}, "S.Sos."},
    [R_PEMERIKSA_PAJAK] = {"Pemeriksa Pajak Daerah", false, {"Akuntansi", "Perpajakan"}, "S.E."},
};

#define ROLES(...)                                                                                 \
    {                                                                                              \
        __VA_ARGS__, -1                                                                            \
    }

struct opd_info {
    const char *id, *name, *head; /* head: the title of its eselon II post */
    int weight;                   /* share of the workforce, per mille */
    enum opd_kind kind;
    double fungsional; /* share of functional positions among the rest */
    int8_t roles[9];   /* functional roles, repeated for weight, -1 ends */
};

static const struct opd_info opds[] = {
    {"1.01.01", "Dinas Pendidikan", "Kepala Dinas Pendidikan", 410, KIND_EDU, 0.90,
     ROLES(R_GURU, R_GURU, R_GURU, R_GURU, R_GURU, R_GURU, R_PENGAWAS_SEKOLAH, R_PUSTAKAWAN)},
    {"1.02.01", "Dinas Kesehatan", "Kepala Dinas Kesehatan", 28, KIND_HEALTH, 0.55,
     ROLES(R_EPIDEMIOLOG, R_SANITARIAN, R_PENYULUH_KESMAS, R_DOKTER, R_APOTEKER)},
    {"1.02.02", "RSUD Ulin", "Direktur RSUD Ulin", 120, KIND_HOSP, 0.75,
     ROLES(R_PERAWAT, R_PERAWAT, R_PERAWAT_NERS, R_DOKTER, R_DOKTER_SPESIALIS, R_BIDAN, R_APOTEKER,
           R_PRANATA_LAB)},
    {"1.02.03", "RSUD Dr. H. Moch. Ansari Saleh", "Direktur RSUD Dr. H. Moch. Ansari Saleh", 55,
     KIND_HOSP, 0.75,
     ROLES(R_PERAWAT, R_PERAWAT_NERS, R_DOKTER, R_BIDAN, R_ASISTEN_APOTEKER, R_RADIOGRAFER,
           R_NUTRISIONIS, R_PEREKAM_MEDIS)},
    {"1.02.04", "Rumah Sakit Jiwa Sambang Lihum", "Direktur Rumah Sakit Jiwa Sambang Lihum", 30,
     KIND_HOSP, 0.70, ROLES(R_PERAWAT, R_PERAWAT_NERS, R_DOKTER, R_DOKTER_SPESIALIS, R_APOTEKER)},
    {"1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang",
     "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", 26, KIND_GENERAL, 0.35,
     ROLES(R_TEKNIK_JALAN, R_TEKNIK_JALAN, R_PENATA_RUANG, R_PENGELOLA_PBJ)},
    {"1.04.01", "Dinas Perumahan Rakyat dan Kawasan Permukiman",
     "Kepala Dinas Perumahan Rakyat dan Kawasan Permukiman", 8, KIND_GENERAL, 0.25,
     ROLES(R_TEKNIK_JALAN, R_PERENCANA)},
    {"1.05.01", "Satuan Polisi Pamong Praja", "Kepala Satuan Polisi Pamong Praja", 18, KIND_GENERAL,
     0.45, ROLES(R_POL_PP)},
    {"1.05.02", "Badan Penanggulangan Bencana Daerah", "Kepala Pelaksana BPBD", 8, KIND_GENERAL,
     0.20, ROLES(R_ANALIS_KEBIJAKAN, R_PRANATA_KOMPUTER)},
    {"1.06.01", "Dinas Sosial", "Kepala Dinas Sosial", 12, KIND_GENERAL, 0.35, ROLES(R_PEKSOS)},
    {"2.07.01", "Dinas Tenaga Kerja dan Transmigrasi", "Kepala Dinas Tenaga Kerja dan Transmigrasi",
     12, KIND_GENERAL, 0.30, ROLES(R_MEDIATOR_HI, R_ANALIS_KEBIJAKAN)},
    {"2.08.01", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
     "Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak", 6, KIND_GENERAL, 0.20,
     ROLES(R_ANALIS_KEBIJAKAN, R_PEKSOS)},
    {"2.09.01", "Dinas Ketahanan Pangan", "Kepala Dinas Ketahanan Pangan", 8, KIND_GENERAL, 0.30,
     ROLES(R_PENYULUH_PERTANIAN)},
    {"2.11.01", "Dinas Lingkungan Hidup", "Kepala Dinas Lingkungan Hidup", 10, KIND_GENERAL, 0.30,
     ROLES(R_PENGAWAS_LH)},
    {"2.13.01", "Dinas Pemberdayaan Masyarakat dan Desa",
     "Kepala Dinas Pemberdayaan Masyarakat dan Desa", 6, KIND_GENERAL, 0.20,
     ROLES(R_ANALIS_KEBIJAKAN)},
    {"2.15.01", "Dinas Perhubungan", "Kepala Dinas Perhubungan", 14, KIND_GENERAL, 0.30,
     ROLES(R_PENGUJI_KENDARAAN)},
    {"2.16.01", "Dinas Komunikasi dan Informatika", "Kepala Dinas Komunikasi dan Informatika", 10,
     KIND_GENERAL, 0.40,
     ROLES(R_PRANATA_KOMPUTER, R_PRANATA_KOMPUTER, R_PRANATA_HUMAS, R_STATISTISI)},
    {"2.17.01", "Dinas Koperasi dan Usaha Kecil Menengah",
     "Kepala Dinas Koperasi dan Usaha Kecil Menengah", 7, KIND_GENERAL, 0.20,
     ROLES(R_ANALIS_KEBIJAKAN)},
    {"2.18.01", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
     "Kepala Dinas Penanaman Modal dan PTSP", 8, KIND_GENERAL, 0.25,
     ROLES(R_ANALIS_KEBIJAKAN, R_PRANATA_KOMPUTER)},
    {"2.19.01", "Dinas Pemuda dan Olahraga", "Kepala Dinas Pemuda dan Olahraga", 7, KIND_GENERAL,
     0.15, ROLES(R_ANALIS_KEBIJAKAN)},
    {"2.23.01", "Dinas Perpustakaan dan Kearsipan", "Kepala Dinas Perpustakaan dan Kearsipan", 9,
     KIND_GENERAL, 0.50, ROLES(R_PUSTAKAWAN, R_ARSIPARIS)},
    {"3.25.01", "Dinas Kelautan dan Perikanan", "Kepala Dinas Kelautan dan Perikanan", 12,
     KIND_GENERAL, 0.35, ROLES(R_PENGAWAS_PERIKANAN)},
    {"3.26.01", "Dinas Pariwisata", "Kepala Dinas Pariwisata", 6, KIND_GENERAL, 0.15,
     ROLES(R_ANALIS_KEBIJAKAN)},
    {"3.27.01", "Dinas Tanaman Pangan dan Hortikultura",
     "Kepala Dinas Tanaman Pangan dan Hortikultura", 12, KIND_GENERAL, 0.40,
     ROLES(R_PENYULUH_PERTANIAN)},
    {"3.27.02", "Dinas Perkebunan dan Peternakan", "Kepala Dinas Perkebunan dan Peternakan", 12,
     KIND_GENERAL, 0.40, ROLES(R_PENYULUH_PERTANIAN)},
    {"3.28.01", "Dinas Kehutanan", "Kepala Dinas Kehutanan", 28, KIND_GENERAL, 0.45,
     ROLES(R_PENYULUH_KEHUTANAN, R_PEH, R_POLHUT)},
    {"3.29.01", "Dinas Energi dan Sumber Daya Mineral",
     "Kepala Dinas Energi dan Sumber Daya Mineral", 8, KIND_GENERAL, 0.20,
     ROLES(R_ANALIS_KEBIJAKAN, R_PENGAWAS_LH)},
    {"3.30.01", "Dinas Perdagangan", "Kepala Dinas Perdagangan", 8, KIND_GENERAL, 0.15,
     ROLES(R_ANALIS_KEBIJAKAN)},
    {"3.31.01", "Dinas Perindustrian", "Kepala Dinas Perindustrian", 6, KIND_GENERAL, 0.15,
     ROLES(R_ANALIS_KEBIJAKAN)},
    {"4.01.01", "Sekretariat Daerah", "Asisten Pemerintahan dan Kesejahteraan Rakyat", 6,
     KIND_SETDA, 0.20, ROLES(R_ANALIS_KEBIJAKAN)},
    {"4.01.02", "Biro Pemerintahan dan Otonomi Daerah",
     "Kepala Biro Pemerintahan dan Otonomi Daerah", 5, KIND_SETDA, 0.25, ROLES(R_ANALIS_KEBIJAKAN)},
    {"4.01.03", "Biro Hukum", "Kepala Biro Hukum", 5, KIND_SETDA, 0.30, ROLES(R_ANALIS_KEBIJAKAN)},
    {"4.01.04", "Biro Perekonomian", "Kepala Biro Perekonomian", 5, KIND_SETDA, 0.25,
     ROLES(R_ANALIS_KEBIJAKAN, R_PERENCANA)},
    {"4.01.05", "Biro Administrasi Pembangunan", "Kepala Biro Administrasi Pembangunan", 5,
     KIND_SETDA, 0.25, ROLES(R_PERENCANA)},
    {"4.01.06", "Biro Pengadaan Barang dan Jasa", "Kepala Biro Pengadaan Barang dan Jasa", 6,
     KIND_SETDA, 0.55, ROLES(R_PENGELOLA_PBJ)},
    {"4.01.07", "Biro Organisasi", "Kepala Biro Organisasi", 5, KIND_SETDA, 0.35,
     ROLES(R_ANALIS_KEBIJAKAN)},
    {"4.01.08", "Biro Umum", "Kepala Biro Umum", 10, KIND_SETDA, 0.15, ROLES(R_ARSIPARIS)},
    {"4.02.01", "Sekretariat DPRD", "Sekretaris DPRD", 12, KIND_GENERAL, 0.15,
     ROLES(R_ANALIS_KEBIJAKAN, R_PRANATA_HUMAS)},
    {"5.01.01", "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", "Kepala Bappedalitbang",
     12, KIND_GENERAL, 0.45, ROLES(R_PERENCANA, R_PERENCANA, R_STATISTISI)},
    {"5.02.01", "Badan Keuangan dan Aset Daerah", "Kepala Badan Keuangan dan Aset Daerah", 16,
     KIND_GENERAL, 0.30, ROLES(R_ANALIS_KEUANGAN)},
    {"5.02.02", "Badan Pendapatan Daerah", "Kepala Badan Pendapatan Daerah", 20, KIND_GENERAL, 0.20,
     ROLES(R_PEMERIKSA_PAJAK, R_ANALIS_KEUANGAN)},
    {"5.03.01", "Badan Kepegawaian Daerah", "Kepala Badan Kepegawaian Daerah", 12, KIND_GENERAL,
     0.40, ROLES(R_ANALIS_SDM, R_ANALIS_SDM, R_PRANATA_KOMPUTER)},
    {"5.04.01", "Badan Pengembangan Sumber Daya Manusia",
     "Kepala Badan Pengembangan Sumber Daya Manusia", 8, KIND_GENERAL, 0.45,
     ROLES(R_WIDYAISWARA, R_ANALIS_SDM)},
    {"6.01.01", "Inspektorat", "Inspektur", 14, KIND_GENERAL, 0.65, ROLES(R_AUDITOR, R_P2UPD)},
    {"8.01.01", "Badan Kesatuan Bangsa dan Politik", "Kepala Badan Kesatuan Bangsa dan Politik", 6,
     KIND_GENERAL, 0.15, ROLES(R_ANALIS_KEBIJAKAN)},
};
#define N_OPDS (sizeof(opds) / sizeof(opds[0]))

static const char *const cities[] = {
    "Banjarmasin", "Banjarbaru", "Martapura", "Kandangan", "Barabai", "Amuntai",  "Tanjung",
    "Pelaihari",   "Kotabaru",   "Batulicin", "Marabahan", "Rantau",  "Paringin",
};

static const char *const units_general[] = {
    "Sekretariat",
    "Bidang Program dan Perencanaan",
    "Bidang Pelayanan",
    "Bidang Pembinaan dan Pengembangan",
    "Bidang Pengendalian dan Evaluasi",
    "UPTD Wilayah I",
    "UPTD Wilayah II",
};
static const char *const units_hosp[] = {
    "Bagian Umum dan Kepegawaian", "Bidang Keperawatan",    "Instalasi Rawat Inap",
    "Instalasi Gawat Darurat",     "Instalasi Rawat Jalan", "Instalasi Farmasi",
    "Instalasi Laboratorium",      "Instalasi Gizi",        "Instalasi Radiologi",
};
static const char *const units_setda[] = {
    "Bagian Tata Usaha",
    "Bagian Perencanaan dan Keuangan",
    "Bagian Kebijakan",
    "Bagian Layanan",
};
static const char *const units_edu[] = {
    "Sekretariat",
    "Bidang Pembinaan SMA",
    "Bidang Pembinaan SMK",
    "Bidang Pendidikan Khusus",
};

static const char *const pelaksana_posts[] = {
    "Pengadministrasi Perkantoran",
    "Penata Layanan Operasional",
    "Pengelola Layanan Operasional",
    "Operator Layanan Operasional",
    "Penelaah Teknis Kebijakan",
    "Pengolah Data dan Informasi",
    "Pengadministrasi Keuangan",
    "Pengelola Umum Operasional",
    "Penata Kelola Sistem dan "
    "Teknologi Informasi",
    "Pengemudi",
};

static const char *const male_first[] = {
    "Ahmad", "Muhammad", "Budi", "Agus",    "Rahmat",  "Hendra", "Rizky",  "Fajar",  "Yusuf",
    "Ilham", "Arif",     "Dedi", "Bambang", "Syahrul", "Fauzan", "Taufik", "Hasan",  "Abdul",
    "Irfan", "Joko",     "Rudi", "Ridwan",  "Anwar",   "Saiful", "Gusti",  "Akhmad", "Herman",
};
static const char *const male_last[] = {
    "Rahman",   "Hidayat", "Santoso",    "Pratama", "Saputra", "Wijaya",   "Kurniawan",
    "Setiawan", "Nugroho", "Firmansyah", "Maulana", "Hakim",   "Fadillah", "Syahputra",
    "Anshari",  "Noor",    "Ramadhan",   "Hamdani", "Mahfuz",  "Effendi",
};
static const char *const female_first[] = {
    "Siti",  "Nur",   "Dewi",  "Rina",    "Fitri",     "Aisyah", "Nurul",   "Sri",     "Wulan",
    "Ayu",   "Putri", "Ratna", "Yuliana", "Mariana",   "Noor",   "Halimah", "Rusmini", "Kartini",
    "Indah", "Maya",  "Dian",  "Eka",     "Norhayati", "Rahmi",  "Lestari",
};
static const char *const female_last[] = {
    "Rahmawati", "Wahyuni",     "Susanti",     "Handayani", "Permatasari", "Safitri",
    "Anggraini", "Puspitasari", "Lestari",     "Hidayati",  "Fauziah",     "Maulida",
    "Rahmadani", "Aulia",       "Khairunnisa", "Sari",      "Fitriani",    "Jannah",
};

/* Position types (jenisJabatanId). */
enum position {
    POS_STRUKTURAL = 1,
    POS_FUNGSIONAL = 2,
    POS_RANGKAP = 3,
    POS_PELAKSANA = 4,
};

enum status {
    ST_PNS,
    ST_CPNS,
    ST_PPPK,
};

/* Eselon posts: code, name, leadership level (1..4). */
struct eselon_info {
    const char *id, *name;
    int level;
};
static const struct eselon_info eselons[] = {
    {"12", "I.b", 1},   {"21", "II.a", 2}, {"22", "II.b", 2}, {"31", "III.a", 3},
    {"32", "III.b", 3}, {"41", "IV.a", 4}, {"42", "IV.b", 4},
};

/* Education levels: tkPendidikanId, tkPendidikanNama. */
struct level_info {
    const char *id, *name;
};
static const struct level_info levels[] = {
    [L_SD] = {"05", "SD"},          [L_SLTP] = {"10", "SLTP"},     [L_SLTA] = {"15", "SLTA"},
    [L_D3] = {"30", "Diploma III"}, [L_D4] = {"35", "Diploma IV"}, [L_S1] = {"40", "S-1/Sarjana"},
    [L_S2] = {"45", "S-2"},         [L_S3] = {"50", "S-3/Doktor"},
};

/* ---- the defects of quality.md ------------------------------------------ */

enum defect {
    D_RECORD_MALFORMED,
    D_NIP_INVALID,
    D_NIP_BIRTHDATE,
    D_NIP_TMT,
    D_NIP_SEX,
    D_DUPLICATE,
    D_OPD_MISSING,
    D_POSITION_UNKNOWN,
    D_EDUCATION_MISSING,
    D_EDUCATION_UNKNOWN,
    D_SKP_MISSING,
    D_SKP_INVALID,
    D_HOURS_MISSING,
    D_KIND_UNKNOWN,
    D_DATE_INVALID,
    D_DATE_FUTURE,
    D_DATE_ORDER,
    D_AGE,
    D_LEADERSHIP,
    D_IPASN_MISMATCH,
    D_STALE,
    N_DEFECTS
};

static const char *const defect_codes[N_DEFECTS] = {
    "record_malformed",
    "nip_invalid",
    "nip_birthdate_mismatch",
    "nip_tmt_mismatch",
    "nip_sex_mismatch",
    "duplicate_record",
    "opd_missing",
    "position_unknown",
    "education_missing",
    "education_unknown",
    "skp_missing",
    "skp_invalid",
    "training_hours_missing",
    "training_kind_unknown",
    "date_invalid",
    "date_in_future",
    "date_order",
    "age_out_of_range",
    "leadership_mismatch",
    "ipasn_mismatch",
    "stale_record",
};

/* Defects a fix cannot remove: they live in the NIP, the key. */
#define UNFIXABLE ((1u << D_NIP_INVALID) | (1u << D_AGE))

/* ---- deterministic randomness ------------------------------------------- */

static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct rng {
    uint64_t s;
};

enum stream {
    S_IDENTITY = 1,
    S_DEFECTS,
    S_CONTENT,
    S_EXTRA,
    S_IDS,
    S_MUTATE,
    S_TOKEN,
};

static struct rng rng_for(uint64_t seed, uint64_t index, uint64_t stream)
{
    struct rng r = {mix64(seed ^ mix64(index ^ mix64(stream)))};

    return r;
}

static uint64_t rng_next(struct rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

/* Uniform in [0, n). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(struct rng *r, int lo, int hi) /* inclusive */
{
    return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static bool rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

#define PICK(r, arr) ((arr)[rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int year_of(int32_t day)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    return y;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

/* RFC 3339 to Unix seconds: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM). */
static int rfc3339_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
    const char *p;
    int64_t t;

    if (sscanf(s, "%4d-%2d-%2d%*[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        n != 19 || !valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 60)
        return -1;
    p = s + n;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    t = (int64_t)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        *out = t;
        return 0;
    }
    if ((*p == '+' || *p == '-') && strlen(p) == 6 && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 &&
        p[3] == ':' && oh < 24 && om < 60) {
        int64_t off = oh * 3600 + om * 60;

        *out = *p == '+' ? t - off : t + off;
        return 0;
    }
    return -1;
}

/* ---- an output buffer with JSON writers ------------------------------------ */

struct out {
    char *p;
    size_t len, cap;
};

static void out_grow(struct out *o, size_t n)
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

static inline void out_reserve(struct out *o, size_t n)
{
    if (o->len + n > o->cap)
        out_grow(o, n);
}

static inline void out_mem(struct out *o, const char *s, size_t n)
{
    out_reserve(o, n);
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

#define LIT(o, s) out_mem((o), "" s, sizeof(s) - 1)

static inline void out_char(struct out *o, char c)
{
    out_reserve(o, 1);
    o->p[o->len++] = c;
}

/* A JSON string, quoted and escaped. */
static void out_str(struct out *o, const char *s)
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

static void out_uint(struct out *o, uint64_t v)
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

static void out_int(struct out *o, int64_t v)
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

enum date_style {
    DS_ISO, /* "2024-03-01" */
    DS_DMY, /* "01-03-2024", as SIASN writes */
};

/* A quoted date; DATE_NONE gives "". */
#define NO_DATE INT32_MIN
static void out_date(struct out *o, int32_t day, enum date_style style)
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
static void out_timestamp(struct out *o, int64_t t, bool wita)
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

/* ---- the simulator's state -------------------------------------------------- */

enum record_flag {
    RF_DELETED = 1, /* a tombstone */
    RF_FIXED = 2,   /* fixable defects removed */
    RF_MOVED = 4,   /* transient: changed, to be moved to the end of the order */
};

enum route {
    RT_LIST,
    RT_RECORD,
    RT_TOKEN,
    RT_HEALTH,
    RT_ADMIN,
    RT_OTHER,
    N_ROUTES
};
static const char *const route_names[N_ROUTES] = {
    "/v1/asn", "/v1/asn/{nip}", "/oauth2/token", "/healthz", "/admin", "other",
};

enum fault_kind {
    F_STATUS,
    F_SLOW_HEADERS,
    F_SLOW_BODY,
    F_TRUNCATE,
    F_MALFORMED,
    F_RESET,
    F_GONE,
    F_TOKEN_EXPIRED,
    F_OVERSIZE,
    F_REJECTS,
    N_FAULT_KINDS
};
static const char *const fault_names[N_FAULT_KINDS] = {
    "status", "slow_headers", "slow_body",     "truncate", "malformed",
    "reset",  "gone",         "token_expired", "oversize", "rejects",
};

struct fault {
    enum fault_kind kind;
    int remaining; /* -1: until cleared */
    int skip;      /* matching requests let through before it fires */
    int status;
    int retry_after; /* seconds, -1 none */
    bool retry_after_date;
    bool siasn;
    int delay_ms;
    int chunk;
    int64_t bytes;
    bool chunked;
    int copies; /* rejects: how many copies of the bad record */
    char path[64];
    char location[256]; /* status: a Location header, for redirects */
    char message[256];  /* status: the error body's message */
};

enum auth_mode {
    AUTH_NONE,
    AUTH_BEARER,
    AUTH_OAUTH2,
};

struct token {
    char value[64];
    int64_t expires;
    bool revoked;
};

struct sim {
    /* options */
    uint64_t seed;
    uint32_t n;
    int32_t today; /* days */
    double defect_rate, mutate_rate;
    enum auth_mode auth;
    const char *bearer, *client_id, *client_secret;
    int64_t token_ttl;
    const char *req_header, *req_value;
    bool verbose;

    /* the records: key, version and flags; the rest is generated */
    pthread_rwlock_t lock;
    uint64_t *nip;
    uint32_t *updated; /* updatedAt, Unix seconds */
    uint16_t *version;
    uint8_t *flags;
    uint32_t *order;   /* record indices sorted by (updated, nip) */
    uint32_t *slots;   /* NIP hash table: index + 1, 0 empty */
    uint32_t n_slots;  /* a power of two */
    uint64_t listings; /* listings started, for --mutate-rate */

    /* faults, statistics and tokens */
    pthread_mutex_t mu;
    struct fault faults[MAX_FAULTS];
    int n_faults;
    uint64_t stats[N_ROUTES][600];
    uint64_t cursor_requests, listing_starts;
    char last_scope[128], last_user_agent[128], last_accept[128], last_accept_encoding[128];
    struct token tokens[MAX_TOKENS];
    uint64_t tokens_issued;
};

static volatile sig_atomic_t stopping;

/* ---- identity: what the key and the order need ------------------------------ */

struct person {
    enum status status;
    int sex;           /* 1 male, 2 female */
    int32_t birth;     /* days */
    int32_t tmt_cpns;  /* days; PPPK: the appointment */
    uint32_t defects;  /* bits of enum defect, before fixes */
    int opd;           /* index into opds */
    enum position pos; /* jenisJabatanId */
    int eselon;        /* index into eselons, -1 none */
    bool deleted;      /* a tombstone from the start */
    uint32_t updated;  /* the first version's updatedAt */
    int nip_variant;   /* nip_invalid: 1 month 13, 2 sequence 000 */
    unsigned seq;
};

static int pick_opd(struct rng *r)
{
    static int total;
    int w;

    if (!total) {
        int t = 0;

        for (size_t i = 0; i < N_OPDS; i++)
            t += opds[i].weight;
        total = t;
    }
    w = (int)rng_below(r, (uint32_t)total);
    for (size_t i = 0; i < N_OPDS; i++) {
        if (w < opds[i].weight)
            return (int)i;
        w -= opds[i].weight;
    }
    return 0;
}

static void person_identity(const struct sim *s, uint32_t i, struct person *p)
{
    struct rng d = rng_for(s->seed, i, S_DEFECTS);
    struct rng r = rng_for(s->seed, i, S_IDENTITY);
    int y, m, dd, age, start_age, tmt_year;
    double u;
    int32_t today = s->today;

    memset(p, 0, sizeof(*p));
    /* Records that break the contract stay few: a quarter of the rate. */
    for (int k = 0; k < N_DEFECTS; k++) {
        bool rejecting = k == D_RECORD_MALFORMED || k == D_NIP_INVALID;

        if (rng_chance(&d, rejecting ? s->defect_rate / 4 : s->defect_rate))
            p->defects |= 1u << k;
    }
    p->nip_variant = rng_chance(&d, 0.5) ? 1 : 2;

    u = rng_unit(&r);
    p->status = u < 0.16 ? ST_PPPK : u < 0.20 ? ST_CPNS : ST_PNS;
    if (p->defects & (1u << D_AGE))
        p->status = ST_PNS;
    p->sex = rng_chance(&r, 0.52) ? 2 : 1;
    p->opd = pick_opd(&r);

    /* Position type and eselon. */
    const struct opd_info *o = &opds[p->opd];
    u = rng_unit(&r);
    p->eselon = -1;
    if (p->status == ST_PPPK) {
        p->pos = u < 0.85 ? POS_FUNGSIONAL : POS_PELAKSANA;
    } else if (p->status == ST_CPNS) {
        p->pos = u < o->fungsional ? POS_FUNGSIONAL : POS_PELAKSANA;
    } else {
        double struk = o->kind == KIND_EDU ? 0.02 : o->kind == KIND_HOSP ? 0.05 : 0.12;

        if (u < struk) {
            double e = rng_unit(&r);

            p->pos = POS_STRUKTURAL;
            p->eselon = e < 0.04 ? 1 : e < 0.20 ? 3 : e < 0.38 ? 4 : e < 0.83 ? 5 : 6;
            if (o->kind == KIND_SETDA && e < 0.01)
                p->eselon = 0; /* the Sekretaris Daerah */
        } else if (u < struk + 0.015) {
            p->pos = POS_RANGKAP;
            if (rng_chance(&r, 0.5))
                p->eselon = 5;
        } else if (u < struk + 0.015 + (1 - struk) * o->fungsional) {
            p->pos = POS_FUNGSIONAL;
        } else {
            p->pos = POS_PELAKSANA;
        }
    }

    /* Birth and appointment. */
    civil_from_days(today, &y, &m, &dd);
    if (p->defects & (1u << D_AGE))
        age = rng_chance(&d, 0.5) ? rng_range(&r, 71, 73) : rng_range(&r, 15, 17);
    else if (p->status == ST_CPNS)
        age = rng_range(&r, 22, 34);
    else if (p->status == ST_PPPK)
        age = rng_range(&r, 25, 55);
    else
        age = rng_range(&r, 26, 57);
    {
        /* Exactly `age` years old today: born after this day age + 1 years
         * ago, at the latest on this day age years ago. */
        int md = m == 2 && dd == 29 ? 28 : dd;
        int32_t hi = days_from_civil(y - age, m, md), lo = days_from_civil(y - age - 1, m, md) + 1;

        p->birth = lo + (int32_t)rng_below(&r, (uint32_t)(hi - lo + 1));
    }
    start_age = rng_range(&r, 22, 33);
    if (p->status == ST_CPNS) {
        p->tmt_cpns = days_from_civil(y - 1, rng_range(&r, 1, 7), 1);
    } else if (p->status == ST_PPPK) {
        p->tmt_cpns = days_from_civil(rng_range(&r, y - 1 < 2021 ? y - 1 : 2021, y - 1),
                                      rng_range(&r, 1, 12), 1);
    } else {
        tmt_year = year_of(p->birth) + start_age;
        if (tmt_year > y - 2)
            tmt_year = y - 2;
        if (age < 18) /* the age defect's young side: appointed last year */
            tmt_year = y - 1;
        p->tmt_cpns = days_from_civil(tmt_year, rng_chance(&r, 0.6) ? 1 : rng_range(&r, 2, 12), 1);
    }
    p->seq = (unsigned)rng_range(&r, 1, 999);
    p->deleted = rng_chance(&r, 0.005);

    /* updatedAt: within the last 330 days, or years back for a stale record. */
    int64_t base = (int64_t)today * 86400 + 43200;
    int64_t back = (p->defects & (1u << D_STALE)) ? rng_range(&r, 400, 2000) * 86400LL
                                                  : rng_range(&r, 1, 330) * 86400LL;
    p->updated = (uint32_t)(base - back + rng_range(&r, -43200, 43199));
}

/* The NIP as a number: birth date, TMT (PPPK: year and "21"), sex, sequence. */
static uint64_t nip_compose(const struct person *p, unsigned seq)
{
    int by, bm, bd, ty, tm, td;
    uint64_t birth, tmt;

    civil_from_days(p->birth, &by, &bm, &bd);
    civil_from_days(p->tmt_cpns, &ty, &tm, &td);
    if ((p->defects & (1u << D_NIP_INVALID)) && p->nip_variant == 1)
        bm = 13;
    birth = (uint64_t)by * 10000 + (uint64_t)bm * 100 + (uint64_t)bd;
    tmt = (uint64_t)ty * 100 + (p->status == ST_PPPK ? 21 : (uint64_t)tm);
    return birth * 10000000000ULL + tmt * 10000 + (uint64_t)p->sex * 1000 + seq;
}

static uint32_t nip_slot(const struct sim *s, uint64_t nip)
{
    return (uint32_t)(mix64(nip) & (s->n_slots - 1));
}

/* The index of the record with this NIP, or -1. */
static int64_t nip_find(const struct sim *s, uint64_t nip)
{
    for (uint32_t h = nip_slot(s, nip);; h = (h + 1) & (s->n_slots - 1)) {
        uint32_t v = s->slots[h];

        if (!v)
            return -1;
        if (s->nip[v - 1] == nip)
            return v - 1;
    }
}

/* Parses an 18-digit NIP. */
static int nip_parse(const char *t, uint64_t *out)
{
    uint64_t v = 0;

    if (strlen(t) != 18)
        return -1;
    for (int i = 0; i < 18; i++) {
        if (t[i] < '0' || t[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(t[i] - '0');
    }
    *out = v;
    return 0;
}

static void nip_format(uint64_t nip, char *buf)
{
    for (int i = 17; i >= 0; i--) {
        buf[i] = (char)('0' + nip % 10);
        nip /= 10;
    }
    buf[18] = '\0';
}

/* The order: by (updatedAt, NIP). The NIPs are 18 digits, so the numeric
 * order is the text order. */
static const struct sim *sort_sim;

static int key_cmp(const struct sim *s, uint32_t a, uint32_t b)
{
    if (s->updated[a] != s->updated[b])
        return s->updated[a] < s->updated[b] ? -1 : 1;
    return s->nip[a] < s->nip[b] ? -1 : s->nip[a] > s->nip[b];
}

static int order_cmp(const void *a, const void *b)
{
    return key_cmp(sort_sim, *(const uint32_t *)a, *(const uint32_t *)b);
}

static void order_sort(struct sim *s, uint32_t from)
{
    sort_sim = s;
    qsort(s->order + from, s->n - from, sizeof(uint32_t), order_cmp);
}

/* The first position whose key is above (u, nip) (strictly, or not). */
static uint32_t order_bound(const struct sim *s, uint32_t u, uint64_t nip, bool strict)
{
    uint32_t lo = 0, hi = s->n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, i = s->order[mid];
        bool before = s->updated[i] < u ||
                      (s->updated[i] == u && (strict ? s->nip[i] <= nip : s->nip[i] < nip));

        if (before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* After records were marked RF_MOVED with a new updatedAt, moves them to
 * their place: they all carry the same new time, later than nearly all. */
static void order_fix(struct sim *s, uint32_t now)
{
    uint32_t w = 0, n_moved = 0;
    uint32_t *moved = malloc(sizeof(uint32_t) * s->n);

    if (!moved)
        abort();
    for (uint32_t k = 0; k < s->n; k++) {
        uint32_t i = s->order[k];

        if (s->flags[i] & RF_MOVED)
            moved[n_moved++] = i;
        else
            s->order[w++] = i;
    }
    memcpy(s->order + w, moved, n_moved * sizeof(uint32_t));
    for (uint32_t k = 0; k < n_moved; k++)
        s->flags[moved[k]] &= (uint8_t)~RF_MOVED;
    free(moved);
    /* Everything from the first key at `now` on is re-sorted. */
    uint32_t from = order_bound(s, now, 0, false);

    order_sort(s, from < w ? from : w);
}

/* Changes record i: a new version at updatedAt = now. Write lock held. */
static void record_touch(struct sim *s, uint32_t i, uint32_t now, uint8_t add_flags)
{
    if (s->version[i] < UINT16_MAX)
        s->version[i]++;
    s->updated[i] = now;
    s->flags[i] |= add_flags | RF_MOVED;
}

static int sim_build(struct sim *s)
{
    struct person p;

    s->n_slots = 1;
    while (s->n_slots < s->n * 2u)
        s->n_slots <<= 1;
    s->nip = calloc(s->n, sizeof(*s->nip));
    s->updated = calloc(s->n, sizeof(*s->updated));
    s->version = calloc(s->n, sizeof(*s->version));
    s->flags = calloc(s->n, sizeof(*s->flags));
    s->order = calloc(s->n, sizeof(*s->order));
    s->slots = calloc(s->n_slots, sizeof(*s->slots));
    if (!s->nip || !s->updated || !s->version || !s->flags || !s->order || !s->slots)
        return -1;
    for (uint32_t i = 0; i < s->n; i++) {
        unsigned seq;
        uint64_t nip;
        uint32_t h;

        person_identity(s, i, &p);
        seq = (p.defects & (1u << D_NIP_INVALID)) && p.nip_variant == 2 ? 0 : p.seq;
        /* A taken NIP moves to the next sequence number; 000 never results. */
        for (;;) {
            nip = nip_compose(&p, seq);
            if (nip_find(s, nip) < 0)
                break;
            seq = seq % 999 + 1;
        }
        s->nip[i] = nip;
        h = nip_slot(s, nip);
        while (s->slots[h])
            h = (h + 1) & (s->n_slots - 1);
        s->slots[h] = i + 1;
        s->updated[i] = p.updated;
        s->flags[i] = p.deleted ? RF_DELETED : 0;
        s->order[i] = i;
    }
    order_sort(s, 0);
    return 0;
}

/* The defects record i carries now: fixes applied, and a rejected record
 * counted only for why it is rejected. */
static uint32_t record_defects(const struct sim *s, uint32_t i, const struct person *p)
{
    uint32_t d = p->defects;
    unsigned seq = (unsigned)(s->nip[i] % 1000);
    int bm = (int)(s->nip[i] / 10000000000ULL % 10000 / 100);

    if (s->flags[i] & RF_FIXED)
        d &= UNFIXABLE;
    /* A NIP collision may have turned an invalid sequence into a valid one. */
    if ((d & (1u << D_NIP_INVALID)) && seq != 0 && bm <= 12)
        d &= ~(1u << D_NIP_INVALID);
    if (p->pos != POS_STRUKTURAL)
        d &= ~(1u << D_LEADERSHIP);
    /* A missing SKP or education hides an invalid one. */
    if (d & (1u << D_SKP_MISSING))
        d &= ~(1u << D_SKP_INVALID);
    if (d & (1u << D_EDUCATION_MISSING))
        d &= ~(1u << D_EDUCATION_UNKNOWN);
    if (d & (1u << D_RECORD_MALFORMED))
        return 1u << D_RECORD_MALFORMED;
    if (d & (1u << D_NIP_INVALID))
        return 1u << D_NIP_INVALID;
    return d;
}

/* ---- a record ------------------------------------------------------------------ */

#define MAX_EDU    6
#define MAX_DIKLAT 4
#define MAX_KURSUS (12 + EXTRA_MAX)
#define MAX_SKP    8
#define MAX_SKP22  6
#define MAX_HUKDIS 2

struct edu {
    enum level level;
    const char *level_id, *level_name;
    char name[80];
    int year;
    int32_t date;
    enum date_style style;
};

struct diklat {
    const char *type_id, *name;
    int32_t start, end;
    int hours;
    enum date_style style;
};

struct kursus {
    const char *kind_id, *kind_name, *name;
    int hours;             /* -1: none */
    int32_t start, end;    /* end NO_DATE: one day */
    const char *raw_start; /* set: an unparseable date */
    enum date_style style;
    int dup_of; /* -1, or the entry whose id it repeats */
};

struct skp {
    int year;
    int cents;
    bool as_text;
};

struct skp22 {
    int year;
    const char *predikat, *value;
};

struct hukdis {
    char level;
    const char *name;
    int32_t sk, tmt, end;
    bool annulled;
    int number;
};

struct employee {
    struct person p;
    uint32_t defects;
    char nip[19];
    char name[80];
    const char *front, *back;
    int32_t birth_shown, tmt_cpns_shown, tmt_pns;
    char sex_shown;
    const char *birthplace;
    const char *post;
    char post_buf[160];
    int grade; /* index into grade tables */
    const char *unor;
    char unor_buf[80];
    int unor_no;
    enum date_style style;
    bool wita;
    struct edu edu[MAX_EDU];
    int n_edu;
    enum level top;
    struct diklat diklat[MAX_DIKLAT];
    int n_diklat;
    struct kursus kursus[MAX_KURSUS];
    int n_kursus;
    struct skp skp[MAX_SKP];
    int n_skp;
    struct skp22 skp22[MAX_SKP22];
    int n_skp22;
    struct hukdis hukdis[MAX_HUKDIS];
    int n_hukdis;
    bool has_ipasn;
    int ipasn_year, ipasn[5]; /* tenths: kualifikasi, kompetensi, kinerja, disiplin, total */
    int malformed;            /* 1 no nama, 2 nama a number, 3 nipBaru a number */
};

/* Grades: golRuangAkhirId and golRuangAkhir. */
static const char *const grade_ids[] = {"11", "12", "13", "14", "21", "22", "23", "24", "31",
                                        "32", "33", "34", "41", "42", "43", "44", "45"};
static const char *const grade_names[] = {"I/a",  "I/b",  "I/c",   "I/d",   "II/a",  "II/b",
                                          "II/c", "II/d", "III/a", "III/b", "III/c", "III/d",
                                          "IV/a", "IV/b", "IV/c",  "IV/d",  "IV/e"};

static int32_t rand_day_in_year(struct rng *r, int year, int32_t limit)
{
    int32_t lo = days_from_civil(year, 1, 1), hi = days_from_civil(year, 12, 31);

    if (hi > limit)
        hi = limit;
    if (hi < lo)
        return limit;
    return lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
}

static void add_edu(struct employee *e, struct rng *r, enum level lv, const char *field, int year)
{
    struct edu *x;

    if (e->n_edu >= MAX_EDU)
        return;
    x = &e->edu[e->n_edu++];
    x->level = lv;
    x->level_id = levels[lv].id;
    x->level_name = levels[lv].name;
    switch (lv) {
    case L_SD:
        snprintf(x->name, sizeof(x->name), "SD");
        break;
    case L_SLTP:
        snprintf(x->name, sizeof(x->name), "SMP");
        break;
    case L_SLTA:
        snprintf(x->name, sizeof(x->name), "%s",
                 field                ? field
                 : rng_chance(r, 0.5) ? "SMA IPA"
                                      : "SMA IPS");
        break;
    case L_D3:
        snprintf(x->name, sizeof(x->name), "D-III %s", field);
        break;
    case L_D4:
        snprintf(x->name, sizeof(x->name), "D-IV %s", field);
        break;
    case L_S1:
        snprintf(x->name, sizeof(x->name), "S-1 %s", field);
        break;
    case L_S2:
        snprintf(x->name, sizeof(x->name), "S-2 %s", field);
        break;
    case L_S3:
        snprintf(x->name, sizeof(x->name), "S-3 %s", field);
        break;
    }
    x->year = year;
    x->date = rng_chance(r, 0.85) ? days_from_civil(year, rng_range(r, 6, 9), rng_range(r, 1, 28))
                                  : NO_DATE;
    x->style = rng_chance(r, 0.5) ? DS_ISO : DS_DMY;
}

/* The leadership training of a level, by the year it was held. */
static const char *leadership_name(int level, int year, struct rng *r)
{
    static const char *const old_names[] = {"", "Diklatpim Tingkat I", "Diklatpim Tingkat II",
                                            "Diklatpim Tingkat III", "Diklatpim Tingkat IV"};
    static const char *const new_names[] = {"", "PKN Tingkat I", "PKN Tingkat II", "PKA", "PKP"};

    if (year < 2019)
        return old_names[level];
    if (level == 4 && rng_chance(r, 0.2))
        return "Pelatihan Kepemimpinan Pengawas (PKP)";
    return new_names[level];
}

static const char *const course_technical[] = {
    "Pengelolaan Keuangan Daerah",
    "Penyusunan Sasaran Kinerja Pegawai",
    "Pengadaan Barang/Jasa Pemerintah",
    "Manajemen Aparatur Sipil Negara",
    "Keamanan Informasi",
    "Pelayanan Publik Prima",
    "Pengelolaan Kearsipan Dinamis",
    "Penyusunan Rencana Strategis",
    "Analisis Beban Kerja",
    "Sistem Pemerintahan Berbasis Elektronik",
};
static const char *const course_seminar[] = {
    "Reformasi Birokrasi dan Zona Integritas", "Transformasi Digital Pemerintah Daerah",
    "Pencegahan Korupsi di Lingkungan Pemda",  "Kesehatan Mental di Tempat Kerja",
    "Penguatan Budaya Kerja BerAKHLAK",        "Smart Province Kalimantan Selatan",
};
static const char *const course_edu[] = {
    "Implementasi Kurikulum Merdeka",
    "Asesmen Diagnostik",
    "Pembelajaran Berdiferensiasi",
    "Penulisan Karya Tulis Ilmiah Guru",
};
static const char *const course_health[] = {
    "Basic Life Support",          "Pencegahan dan Pengendalian Infeksi",
    "Penanganan Kegawatdaruratan", "Manajemen Nyeri",
    "Keselamatan Pasien",
};

enum course_kind {
    CK_TEKNIS,
    CK_BIMTEK,
    CK_PELATIHAN,
    CK_SEMINAR,
    CK_WORKSHOP,
    CK_WEBINAR,
    CK_LOKAKARYA,
    CK_KURSUS,
    CK_MAGANG,
    CK_FUNGSIONAL,
    CK_UNKNOWN,
};
static const struct {
    const char *id, *name;
} course_kinds[] = {
    [CK_TEKNIS] = {"2", "Diklat Teknis"},
    [CK_BIMTEK] = {"3", "Bimtek"},
    [CK_PELATIHAN] = {"2", "Pelatihan Teknis"},
    [CK_SEMINAR] = {"4", "Seminar"},
    [CK_WORKSHOP] = {"5", "Workshop"},
    [CK_WEBINAR] = {"4", "Webinar"},
    [CK_LOKAKARYA] = {"5", "Lokakarya"},
    [CK_KURSUS] = {"6", "Kursus"},
    [CK_MAGANG] = {"7", "Magang"},
    [CK_FUNGSIONAL] = {"1", "Diklat Fungsional"},
    [CK_UNKNOWN] = {"9", "Sosialisasi"},
};

static void add_course(struct employee *e, struct rng *r, enum course_kind kind, int year,
                       int32_t limit, const struct opd_info *o)
{
    struct kursus *k;
    int days;

    if (e->n_kursus >= MAX_KURSUS)
        return;
    k = &e->kursus[e->n_kursus++];
    memset(k, 0, sizeof(*k));
    k->kind_id = course_kinds[kind].id;
    k->kind_name = course_kinds[kind].name;
    k->dup_of = -1;
    k->style = rng_chance(r, 0.55) ? DS_ISO : DS_DMY;
    switch (kind) {
    case CK_TEKNIS:
    case CK_BIMTEK:
    case CK_PELATIHAN:
        days = rng_range(r, 1, 5);
        k->hours = rng_chance(r, 0.5) ? days * 8 : PICK(r, ((const int[]){8, 16, 20, 24, 30, 32}));
        k->name = o->kind == KIND_EDU && rng_chance(r, 0.6)    ? PICK(r, course_edu)
                  : o->kind == KIND_HOSP && rng_chance(r, 0.6) ? PICK(r, course_health)
                                                               : PICK(r, course_technical);
        break;
    case CK_FUNGSIONAL:
        days = rng_range(r, 5, 15);
        k->hours = days * 8;
        k->name = "Pelatihan Pembentukan Jabatan Fungsional";
        break;
    default:
        days = 1;
        k->hours = rng_range(r, 2, 8);
        k->name = PICK(r, course_seminar);
        break;
    }
    k->start = rand_day_in_year(r, year, limit - days + 1);
    k->end = days == 1 && rng_chance(r, 0.3) ? NO_DATE : k->start + days - 1;
}

/* A person's whole record, from identity and content streams. */
static void employee_generate(const struct sim *s, uint32_t i, struct employee *e)
{
    struct rng r = rng_for(s->seed, i, S_CONTENT);
    struct person *p = &e->p;
    const struct opd_info *o;
    const struct role_info *role = NULL;
    int N, ty, tm, td, service, top_year;
    int32_t today = s->today;
    bool doctor = false;

    memset(e, 0, sizeof(*e));
    person_identity(s, i, p);
    e->defects = record_defects(s, i, p);
    /* The effective defects, but generation uses every bit the record got,
     * so the contract-breaking ones keep their other defects too. */
    uint32_t d = p->defects;
    if (s->flags[i] & RF_FIXED)
        d &= UNFIXABLE;
    if (p->pos != POS_STRUKTURAL)
        d &= ~(1u << D_LEADERSHIP);

    o = &opds[p->opd];
    N = year_of(today);
    nip_format(s->nip[i], e->nip);
    civil_from_days(p->tmt_cpns, &ty, &tm, &td);
    e->style = rng_chance(&r, 0.7) ? DS_DMY : DS_ISO;
    e->wita = rng_chance(&r, 0.1);
    e->birthplace = PICK(&r, cities);

    /* The position. */
    if (p->pos == POS_FUNGSIONAL || (p->pos == POS_RANGKAP && p->eselon < 0)) {
        int nroles = 0;

        while (nroles < 9 && o->roles[nroles] >= 0)
            nroles++;
        role = &roles[o->roles[rng_below(&r, (uint32_t)nroles)]];
        doctor = role == &roles[R_DOKTER] || role == &roles[R_DOKTER_SPESIALIS];
    }

    /* Education. */
    {
        double u = rng_unit(&r);
        enum level top;
        const char *field;

        if (p->pos == POS_STRUKTURAL || (p->pos == POS_RANGKAP && p->eselon >= 0)) {
            int lvl = eselons[p->eselon].level;

            top = lvl <= 2   ? (u < 0.12   ? L_S3
                                : u < 0.82 ? L_S2
                                           : L_S1)
                  : lvl == 3 ? (u < 0.5 ? L_S2 : L_S1)
                             : (u < 0.25  ? L_S2
                                : u < 0.9 ? L_S1
                                          : L_D3);
            field = PICK(
                &r, ((const char *const[]){"Ilmu Pemerintahan", "Administrasi Negara", "Ilmu Hukum",
                                           "Ekonomi Pembangunan", "Teknik Sipil", "Manajemen"}));
        } else if (role) {
            top = role->skilled ? (u < 0.75 ? L_D3 : L_D4)
                  : doctor      ? (role == &roles[R_DOKTER_SPESIALIS] ? L_S2 : L_S1)
                                : (u < 0.78   ? L_S1
                                   : u < 0.98 ? L_S2
                                              : L_S3);
            field = role->field[rng_below(&r, role->field[1] ? role->field[2] ? 3 : 2 : 1)];
        } else {
            top = u < 0.05 ? L_SLTP : u < 0.42 ? L_SLTA : u < 0.65 ? L_D3 : L_S1;
            field = PICK(&r, ((const char *const[]){"Administrasi Negara", "Manajemen", "Akuntansi",
                                                    "Ilmu Hukum", "Manajemen Informatika"}));
        }
        e->top = top;
        top_year = year_of(p->tmt_cpns) - rng_range(&r, 0, 3);
        if (top == L_S2 || top == L_S3)
            top_year = year_of(p->tmt_cpns) + rng_range(&r, 2, 12);
        if (top_year > N - 1)
            top_year = N - 1;
        {
            int by = year_of(p->birth);

            if (top >= L_SLTP)
                add_edu(e, &r, top == L_SLTP ? L_SLTP : L_SLTA,
                        top <= L_D3 && !role && rng_chance(&r, 0.3) ? "SMK Akuntansi" : NULL,
                        by + (top == L_SLTP ? 15 : 18));
            if (top == L_D3 || top == L_D4)
                add_edu(e, &r, top, field, by + 21 + rng_range(&r, 0, 2));
            if (top >= L_S1)
                add_edu(e, &r, L_S1, doctor ? "Pendidikan Dokter" : field,
                        top == L_S1 ? top_year : by + 22 + rng_range(&r, 0, 2));
            if (top >= L_S2) {
                const char *f2 =
                    doctor
                        ? "Spesialis Penyakit Dalam"
                        : PICK(&r, ((const char *const[]){"Magister Manajemen", "Ilmu Administrasi",
                                                          "Manajemen Pendidikan",
                                                          "Kesehatan Masyarakat"}));
                add_edu(e, &r, L_S2, f2, top == L_S2 ? top_year : top_year - 5);
            }
            if (top == L_S3)
                add_edu(e, &r, L_S3, "Ilmu Administrasi", top_year);
        }
    }

    /* Name and titles. */
    {
        const char *first = p->sex == 1 ? PICK(&r, male_first) : PICK(&r, female_first);
        const char *last = p->sex == 1 ? PICK(&r, male_last) : PICK(&r, female_last);

        if (rng_chance(&r, 0.1))
            snprintf(e->name, sizeof(e->name), "%s", first);
        else
            snprintf(e->name, sizeof(e->name), "%s %s", first, last);
        e->front = doctor                                             ? "dr."
                   : e->top == L_S3                                   ? "Dr."
                   : year_of(p->birth) < 1972 && rng_chance(&r, 0.15) ? (p->sex == 1 ? "H." : "Hj.")
                                                                      : "";
        if (role && e->top >= L_D3)
            e->back = e->top == L_S2 && !doctor ? "M.Pd." : role->title;
        else if (e->top == L_S2 || e->top == L_S3)
            e->back = PICK(&r, ((const char *const[]){"M.Si.", "M.M.", "M.AP.", "M.H."}));
        else if (e->top == L_S1)
            e->back = PICK(&r, ((const char *const[]){"S.Sos.", "S.E.", "S.H.", "S.AP.", "S.T."}));
        else if (e->top == L_D3 || e->top == L_D4)
            e->back = "A.Md.";
        else
            e->back = "";
        if (doctor && role == &roles[R_DOKTER_SPESIALIS])
            e->back = "Sp.PD";
    }

    /* Grade. */
    service = (today - p->tmt_cpns) / 365;
    if (p->status == ST_PPPK) {
        e->grade = e->top >= L_S1 ? 9 : e->top >= L_D3 ? 7 : 5;
    } else {
        int base = e->top >= L_S3     ? 10
                   : e->top == L_S2   ? 9
                   : e->top >= L_S1   ? 8
                   : e->top >= L_D3   ? 6
                   : e->top == L_SLTA ? 4
                                      : 2;
        int cap = e->top >= L_S2 ? 14 : e->top >= L_S1 ? 13 : e->top >= L_D3 ? 11 : 10;

        e->grade = base + service / 4;
        if (e->grade > cap)
            e->grade = cap;
        if (p->eselon >= 0 && eselons[p->eselon].level <= 2 && e->grade < 12)
            e->grade = 12;
    }

    /* The post's name and unit. */
    {
        int nunits;
        const char *const *units;

        switch (o->kind) {
        case KIND_HOSP:
            units = units_hosp;
            nunits = (int)(sizeof(units_hosp) / sizeof(units_hosp[0]));
            break;
        case KIND_SETDA:
            units = units_setda;
            nunits = (int)(sizeof(units_setda) / sizeof(units_setda[0]));
            break;
        case KIND_EDU:
            units = units_edu;
            nunits = (int)(sizeof(units_edu) / sizeof(units_edu[0]));
            break;
        default:
            units = units_general;
            nunits = (int)(sizeof(units_general) / sizeof(units_general[0]));
            break;
        }
        e->unor_no = (int)rng_below(&r, (uint32_t)nunits);
        e->unor = units[e->unor_no];
        if (o->kind == KIND_EDU && role) {
            /* Teachers work in a school. */
            int city = (int)rng_below(&r, sizeof(cities) / sizeof(cities[0]));
            int kind = (int)rng_below(&r, 10), no = rng_range(&r, 1, kind < 6 ? 8 : 4);

            snprintf(e->unor_buf, sizeof(e->unor_buf), "%s Negeri %d %s",
                     kind < 6   ? "SMA"
                     : kind < 9 ? "SMK"
                                : "SLB",
                     kind == 9 ? 1 : no, cities[city]);
            e->unor = e->unor_buf;
            e->unor_no = 10 + city * 20 + (kind < 6 ? no : kind < 9 ? 10 + no : 19);
        }

        if (p->eselon >= 0) {
            const struct eselon_info *es = &eselons[p->eselon];

            if (p->eselon == 0)
                e->post = "Sekretaris Daerah";
            else if (es->level == 2)
                e->post = o->head;
            else if (p->eselon == 3)
                e->post = o->kind == KIND_HOSP    ? "Wakil Direktur Umum dan Keuangan"
                          : o->kind == KIND_SETDA ? "Kepala Bagian Tata Usaha"
                                                  : "Sekretaris";
            else {
                snprintf(e->post_buf, sizeof(e->post_buf), "%s %s",
                         p->eselon == 4   ? (o->kind == KIND_SETDA ? "Kepala Bagian" : "Kepala")
                         : p->eselon == 5 ? "Kepala Sub Bagian"
                                          : "Kepala Seksi",
                         e->unor);
                e->post = e->post_buf;
            }
            if (p->pos == POS_RANGKAP) {
                snprintf(e->post_buf, sizeof(e->post_buf), "Kepala %s", e->unor);
                e->post = e->post_buf;
            }
        } else if (role) {
            const char *rank = role->skilled    ? (e->grade >= 8   ? "Penyelia"
                                                   : e->grade >= 6 ? "Mahir"
                                                                   : "Terampil")
                               : e->grade >= 12 ? "Ahli Madya"
                               : e->grade >= 10 ? "Ahli Muda"
                                                : "Ahli Pertama";

            snprintf(e->post_buf, sizeof(e->post_buf), "%s %s", role->name, rank);
            e->post = e->post_buf;
        } else {
            e->post = PICK(&r, pelaksana_posts);
        }
    }

    /* Dates shown, with their defects. */
    e->birth_shown = p->birth;
    e->tmt_cpns_shown = p->tmt_cpns;
    e->sex_shown = p->sex == 1 ? 'M' : 'F';
    e->tmt_pns = p->status == ST_PNS ? p->tmt_cpns + 365 + rng_range(&r, 0, 12) * 30 : NO_DATE;
    if (e->tmt_pns != NO_DATE) {
        int y, m, dd;

        if (e->tmt_pns > today)
            e->tmt_pns = p->tmt_cpns + 365;
        civil_from_days(e->tmt_pns, &y, &m, &dd);
        e->tmt_pns = days_from_civil(y, m, 1);
    }
    if (d & (1u << D_NIP_BIRTHDATE))
        e->birth_shown += rng_range(&r, 1, 200);
    if (d & (1u << D_NIP_TMT))
        e->tmt_cpns_shown += p->status == ST_PPPK ? 400 : 62; /* another month or year */
    if (d & (1u << D_NIP_SEX))
        e->sex_shown = e->sex_shown == 'M' ? 'F' : 'M';

    /* Leadership training. */
    if (p->eselon >= 0) {
        int lvl = eselons[p->eselon].level;

        for (int l = 4; l >= lvl; l--) {
            int year = N - 1 - (l - lvl) * 5 - rng_range(&r, 0, 4);
            struct diklat *x;

            if (l == lvl && (d & (1u << D_LEADERSHIP)))
                continue;
            if (year < year_of(p->tmt_cpns) + 2)
                year = year_of(p->tmt_cpns) + 2;
            if (year > N - 1)
                year = N - 1;
            x = &e->diklat[e->n_diklat++];
            x->type_id = (const char *[]){"", "1", "2", "3", "4"}[l];
            x->name = leadership_name(l, year, &r);
            x->start = rand_day_in_year(&r, year, today - 80);
            x->end = x->start + (l == 4 ? 50 : l == 3 ? 60 : 75);
            x->hours = l == 4 ? 285 : l == 3 ? 320 : 400;
            x->style = rng_chance(&r, 0.5) ? DS_ISO : DS_DMY;
        }
    } else if (p->status == ST_PNS && rng_chance(&r, 0.04)) {
        /* A former struktural post. */
        struct diklat *x = &e->diklat[e->n_diklat++];
        int year = year_of(p->tmt_cpns) + rng_range(&r, 5, 12);

        if (year > N - 1)
            year = N - 1;
        x->type_id = "4";
        x->name = leadership_name(4, year, &r);
        x->start = rand_day_in_year(&r, year, today - 80);
        x->end = x->start + 50;
        x->hours = 285;
        x->style = DS_DMY;
    }

    /* Courses. */
    if (role && p->status != ST_CPNS && rng_chance(&r, 0.7))
        add_course(e, &r, CK_FUNGSIONAL, rng_range(&r, year_of(p->tmt_cpns) + 1, N), today, o);
    {
        int n_courses = rng_range(&r, 0, 6);

        for (int k = 0; k < n_courses; k++) {
            double u = rng_unit(&r);
            enum course_kind kind = u < 0.25   ? CK_TEKNIS
                                    : u < 0.45 ? CK_BIMTEK
                                    : u < 0.55 ? CK_PELATIHAN
                                    : u < 0.72 ? CK_SEMINAR
                                    : u < 0.82 ? CK_WORKSHOP
                                    : u < 0.90 ? CK_WEBINAR
                                    : u < 0.94 ? CK_LOKAKARYA
                                    : u < 0.97 ? CK_KURSUS
                                               : CK_MAGANG;
            double v = rng_unit(&r);
            int year = v < 0.4 ? N : v < 0.7 ? N - 1 : N - rng_range(&r, 2, 5);

            if (year < year_of(p->tmt_cpns))
                year = year_of(p->tmt_cpns);
            add_course(e, &r, kind, year, today, o);
        }
    }
    /* Later versions: one more recent technical course each. */
    {
        int v = s->version[i], from = v > EXTRA_MAX ? v - EXTRA_MAX + 1 : 1;

        for (int k = from; k <= v; k++) {
            struct rng x = rng_for(s->seed ^ ((uint64_t)k << 40), i, S_EXTRA);

            add_course(e, &x, CK_BIMTEK, N, today, o);
        }
    }

    /* SKP: the old scale up to 2021, predikat from 2022. */
    {
        int first = year_of(p->tmt_cpns);

        for (int y = (N - 6 > first ? N - 6 : first); y <= 2021 && e->n_skp < MAX_SKP; y++) {
            struct skp *x = &e->skp[e->n_skp++];

            x->year = y;
            x->cents = 7000 + (int)rng_below(&r, 2600);
            x->as_text = rng_chance(&r, 0.3);
        }
        for (int y = (2022 > first ? 2022 : first); y <= N && e->n_skp22 < MAX_SKP22; y++) {
            struct skp22 *x;
            double u = rng_unit(&r);

            if (y == N && !rng_chance(&r, 0.15))
                break;
            if (y == N - 1 && (d & (1u << D_SKP_MISSING)))
                continue;
            x = &e->skp22[e->n_skp22++];
            x->year = y;
            if (u < 0.2) {
                x->predikat = "SANGAT BAIK";
                x->value = "5";
            } else if (u < 0.9) {
                x->predikat = "BAIK";
                x->value = "4";
            } else if (u < 0.97) {
                x->predikat = "BUTUH PERBAIKAN";
                x->value = "3";
            } else if (u < 0.99) {
                x->predikat = "KURANG";
                x->value = "2";
            } else {
                x->predikat = "SANGAT KURANG";
                x->value = "1";
            }
            if (y == N - 1 && (d & (1u << D_SKP_INVALID))) {
                x->predikat = "ISTIMEWA";
                x->value = "6";
            }
        }
    }

    /* Sanctions. */
    if (rng_chance(&r, 0.03)) {
        struct hukdis *x = &e->hukdis[e->n_hukdis++];
        double u = rng_unit(&r);

        x->level = u < 0.7 ? 'R' : u < 0.9 ? 'S' : 'B';
        x->name = x->level == 'R'
                      ? PICK(&r, ((const char *const[]){"Teguran Lisan", "Teguran Tertulis",
                                                        "Pernyataan Tidak Puas Secara "
                                                        "Tertulis"}))
                  : x->level == 'S' ? "Pemotongan Tunjangan Kinerja sebesar 25% selama 6 bulan"
                                    : "Penurunan Jabatan Setingkat Lebih Rendah selama 12 Bulan";
        x->sk = today - rng_range(&r, 400, 1700); /* ended before today */
        x->tmt = x->sk + rng_range(&r, 0, 20);
        x->end = x->tmt + (x->level == 'R' ? 0 : x->level == 'S' ? 182 : 365);
        x->annulled = rng_chance(&r, 0.1);
        x->number = rng_range(&r, 1, 999);
    }

    /* The official index of an earlier measurement. */
    if (rng_chance(&r, 0.3)) {
        e->has_ipasn = true;
        e->ipasn_year = N - 3;
        e->ipasn[0] = e->top >= L_S3   ? 250
                      : e->top == L_S2 ? 200
                      : e->top >= L_S1 ? 150
                      : e->top == L_D3 ? 100
                                       : 50;
        e->ipasn[1] = PICK(&r, ((const int[]){100, 250, 300, 400}));
        e->ipasn[2] = rng_chance(&r, 0.8) ? 250 : 300;
        e->ipasn[3] = 50;
        e->ipasn[4] = e->ipasn[0] + e->ipasn[1] + e->ipasn[2] + e->ipasn[3];
    }

    /* The remaining defects. */
    if (d & (1u << D_EDUCATION_MISSING)) {
        e->n_edu = 0;
    } else if (d & (1u << D_EDUCATION_UNKNOWN) && e->n_edu < MAX_EDU) {
        struct edu *x = &e->edu[e->n_edu++];

        x->level = L_SLTA;
        x->level_id = "99";
        x->level_name = "Lainnya";
        snprintf(x->name, sizeof(x->name), "Kursus Komputer");
        x->year = year_of(p->birth) + 19;
        x->date = NO_DATE;
        x->style = DS_ISO;
    }
    if (d & ((1u << D_HOURS_MISSING) | (1u << D_KIND_UNKNOWN) | (1u << D_DATE_INVALID) |
             (1u << D_DATE_FUTURE) | (1u << D_DATE_ORDER) | (1u << D_DUPLICATE))) {
        struct rng x = rng_for(s->seed, i, S_DEFECTS + 100);

        if (d & (1u << D_HOURS_MISSING)) {
            add_course(e, &x, CK_TEKNIS, N - 1, today, o);
            e->kursus[e->n_kursus - 1].hours = -1;
            e->kursus[e->n_kursus - 1].end = e->kursus[e->n_kursus - 1].start + 2;
        }
        if (d & (1u << D_KIND_UNKNOWN))
            add_course(e, &x, CK_UNKNOWN, N - 1, today, o);
        if (d & (1u << D_DATE_INVALID)) {
            add_course(e, &x, CK_SEMINAR, N - 1, today, o);
            e->kursus[e->n_kursus - 1].raw_start =
                rng_chance(&x, 0.5) ? "31-02-2023" : "2023-13-01";
        }
        if (d & (1u << D_DATE_FUTURE)) {
            add_course(e, &x, CK_WORKSHOP, N, today, o);
            e->kursus[e->n_kursus - 1].start = today + rng_range(&x, 40, 400);
            e->kursus[e->n_kursus - 1].end = NO_DATE;
        }
        if (d & (1u << D_DATE_ORDER)) {
            add_course(e, &x, CK_TEKNIS, N - 1, today, o);
            e->kursus[e->n_kursus - 1].end = e->kursus[e->n_kursus - 1].start - 3;
        }
        if (d & (1u << D_DUPLICATE)) {
            if (e->n_kursus == 0)
                add_course(e, &x, CK_SEMINAR, N - 2, today, o);
            if (e->n_kursus < MAX_KURSUS) {
                e->kursus[e->n_kursus] = e->kursus[e->n_kursus - 1];
                e->kursus[e->n_kursus].dup_of = e->n_kursus - 1;
                e->n_kursus++;
            }
        }
    }
    if (d & (1u << D_IPASN_MISMATCH)) {
        e->has_ipasn = true;
        e->ipasn_year = N;
        if (e->top >= L_S3) {
            e->ipasn[0] = 50;
            e->ipasn[1] = 0;
            e->ipasn[2] = 0;
            e->ipasn[3] = 50;
        } else {
            e->ipasn[0] = 250;
            e->ipasn[1] = 400;
            e->ipasn[2] = 300;
            e->ipasn[3] = 50;
        }
        e->ipasn[4] = e->ipasn[0] + e->ipasn[1] + e->ipasn[2] + e->ipasn[3];
    }
    if (d & (1u << D_RECORD_MALFORMED))
        e->malformed = 1 + (int)rng_below(&r, 3);
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

static void employee_json(const struct sim *s, uint32_t i, const struct employee *e, struct out *o)
{
    const struct person *p = &e->p;
    const struct opd_info *opd = &opds[p->opd];
    uint32_t d = p->defects & ~((s->flags[i] & RF_FIXED) ? ~UNFIXABLE : 0u);
    uint64_t idbase = mix64(s->seed ^ ((uint64_t)i << 20));
    char unor_id[24];

    out_reserve(o, 8192);
    LIT(o, "{\"id\":");
    out_id(o, idbase);
    if (e->malformed == 3) {
        LIT(o, ",\"nipBaru\":");
        out_mem(o, e->nip, 18);
    } else {
        LIT(o, ",\"nipBaru\":\"");
        out_mem(o, e->nip, 18);
        out_char(o, '"');
    }
    LIT(o, ",\"nipLama\":null");
    if (e->malformed == 2) {
        LIT(o, ",\"nama\":");
        out_uint(o, 10000 + i % 90000);
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
    if (p->status == ST_PPPK)
        LIT(o, ",\"statusCpnsPns\":null,\"kedudukanPnsId\":\"71\",\"kedudukanPnsNama\":\"PPPK "
               "Aktif\"");
    else if (p->status == ST_CPNS)
        LIT(o, ",\"statusCpnsPns\":\"C\",\"kedudukanPnsId\":\"01\",\"kedudukanPnsNama\":\"Aktif\"");
    else
        LIT(o, ",\"statusCpnsPns\":\"P\",\"kedudukanPnsId\":\"01\",\"kedudukanPnsNama\":\"Aktif\"");
    LIT(o, ",\"tmtCpns\":");
    out_date(o, e->tmt_cpns_shown, e->style);
    LIT(o, ",\"tmtPns\":");
    if ((d & (1u << D_DATE_ORDER)) && e->tmt_pns != NO_DATE)
        out_date(o, e->tmt_cpns_shown - 400, e->style); /* before tmtCpns */
    else
        out_date(o, e->tmt_pns, e->style);
    if (d & (1u << D_POSITION_UNKNOWN)) {
        if (i % 2)
            LIT(o, ",\"jenisJabatanId\":\"7\"");
    } else {
        LIT(o, ",\"jenisJabatanId\":\"");
        out_char(o, (char)('0' + p->pos));
        out_char(o, '"');
    }
    LIT(o, ",\"jabatanNama\":");
    out_str(o, e->post);
    if (p->eselon >= 0) {
        LIT(o, ",\"eselonId\":\"");
        out_mem(o, eselons[p->eselon].id, 2);
        LIT(o, "\",\"eselon\":");
        out_str(o, eselons[p->eselon].name);
    } else if (i % 3) {
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
    LIT(o, ",\"instansiIndukId\":\"" INSTANSI_ID "\",\"instansiIndukNama\":\"" INSTANSI_NAME "\"");
    snprintf(unor_id, sizeof(unor_id), "%s.%03d", opd->id, e->unor_no);
    if (d & (1u << D_OPD_MISSING)) {
        LIT(o, ",\"opdId\":null,\"opdNama\":null");
    } else {
        LIT(o, ",\"opdId\":");
        out_str(o, opd->id);
        LIT(o, ",\"opdNama\":");
        out_str(o, opd->name);
    }
    LIT(o, ",\"unorId\":");
    out_str(o, unor_id);
    LIT(o, ",\"unorNama\":");
    out_str(o, e->unor);
    LIT(o, ",\"updatedAt\":");
    out_timestamp(o, s->updated[i], e->wita);
    if (s->flags[i] & RF_DELETED)
        LIT(o, ",\"deleted\":true");
    else
        LIT(o, ",\"deleted\":false");

    LIT(o, ",\"rwPendidikan\":[");
    for (int k = 0; k < e->n_edu; k++) {
        const struct edu *x = &e->edu[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, idbase ^ (0x100u + (unsigned)k));
        LIT(o, ",\"tkPendidikanId\":");
        out_str(o, x->level_id);
        LIT(o, ",\"tkPendidikanNama\":");
        out_str(o, x->level_name);
        LIT(o, ",\"pendidikanNama\":");
        out_str(o, x->name);
        LIT(o, ",\"tahunLulus\":\"");
        out_int(o, x->year);
        LIT(o, "\",\"tglLulus\":");
        out_date(o, x->date, x->style);
        out_char(o, '}');
    }
    LIT(o, "],\"rwDiklat\":[");
    for (int k = 0; k < e->n_diklat; k++) {
        const struct diklat *x = &e->diklat[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, idbase ^ (0x200u + (unsigned)k));
        LIT(o, ",\"latihanStrukturalId\":");
        out_str(o, x->type_id);
        LIT(o, ",\"latihanStrukturalNama\":");
        out_str(o, x->name);
        LIT(o, ",\"tanggal\":");
        out_date(o, x->start, x->style);
        LIT(o, ",\"tanggalSelesai\":");
        out_date(o, x->end, x->style);
        LIT(o, ",\"tahun\":");
        out_int(o, year_of(x->start));
        LIT(o, ",\"jumlahJam\":");
        out_int(o, x->hours);
        out_char(o, '}');
    }
    LIT(o, "],\"rwKursus\":[");
    for (int k = 0; k < e->n_kursus; k++) {
        const struct kursus *x = &e->kursus[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, idbase ^ (0x300u + (unsigned)(x->dup_of >= 0 ? x->dup_of : k)));
        LIT(o, ",\"jenisKursusId\":");
        out_str(o, x->kind_id);
        LIT(o, ",\"jenisKursusNama\":");
        out_str(o, x->kind_name);
        LIT(o, ",\"namaKursus\":");
        out_str(o, x->name);
        LIT(o, ",\"jumlahJam\":");
        if (x->hours < 0)
            LIT(o, "null");
        else if (k % 4 == 3) {
            out_char(o, '"');
            out_int(o, x->hours);
            out_char(o, '"');
        } else {
            out_int(o, x->hours);
        }
        LIT(o, ",\"tanggalKursus\":");
        if (x->raw_start)
            out_str(o, x->raw_start);
        else
            out_date(o, x->start, x->style);
        LIT(o, ",\"tanggalSelesaiKursus\":");
        out_date(o, x->end, x->style);
        LIT(o, ",\"tahunKursus\":\"");
        out_int(o, x->raw_start ? year_of(s->today) - 1 : year_of(x->start));
        LIT(o, "\"}");
    }
    LIT(o, "],\"rwSkp\":[");
    for (int k = 0; k < e->n_skp; k++) {
        const struct skp *x = &e->skp[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, idbase ^ (0x400u + (unsigned)k));
        LIT(o, ",\"tahun\":");
        out_int(o, x->year);
        LIT(o, ",\"nilaiPrestasiKerja\":");
        if (x->as_text) {
            out_char(o, '"');
            out_cents(o, x->cents);
            out_char(o, '"');
        } else {
            out_cents(o, x->cents);
        }
        LIT(o, ",\"nilairatarata\":\"");
        out_cents(o, x->cents);
        LIT(o, "\"}");
    }
    LIT(o, "],\"rwSkp22\":[");
    for (int k = 0; k < e->n_skp22; k++) {
        const struct skp22 *x = &e->skp22[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, idbase ^ (0x500u + (unsigned)x->year));
        LIT(o, ",\"tahun\":");
        out_int(o, x->year);
        LIT(o, ",\"kuadranKinerja\":");
        out_str(o, x->predikat);
        LIT(o, ",\"KuadranKinerjaNilai\":");
        out_str(o, x->value);
        out_char(o, '}');
    }
    LIT(o, "],\"rwHukdis\":[");
    for (int k = 0; k < e->n_hukdis; k++) {
        const struct hukdis *x = &e->hukdis[k];

        if (k)
            out_char(o, ',');
        LIT(o, "{\"id\":");
        out_id(o, idbase ^ (0x600u + (unsigned)k));
        LIT(o, ",\"jenisTingkatHukumanId\":\"");
        out_char(o, x->level);
        LIT(o, "\",\"jenisHukumanNama\":");
        out_str(o, x->name);
        LIT(o, ",\"skNomor\":\"800/");
        out_int(o, x->number);
        LIT(o, "/BKD/");
        out_int(o, year_of(x->sk));
        LIT(o, "\",\"skTanggal\":");
        out_date(o, x->sk, DS_DMY);
        LIT(o, ",\"hukumanTanggal\":");
        out_date(o, x->tmt, DS_DMY);
        LIT(o, ",\"akhirHukumTanggal\":");
        out_date(o, x->end, DS_DMY);
        if (x->annulled) {
            LIT(o, ",\"skPembatalanNomor\":\"800/");
            out_int(o, x->number + 1);
            LIT(o, "/BKD/");
            out_int(o, year_of(x->sk) + 1);
            LIT(o, "\"}");
        } else {
            LIT(o, ",\"skPembatalanNomor\":null}");
        }
    }
    out_char(o, ']');
    if (e->has_ipasn) {
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
    out_char(o, '}');
}

static void record_json(const struct sim *s, uint32_t i, struct out *o)
{
    struct employee e;

    employee_generate(s, i, &e);
    employee_json(s, i, &e, o);
}

/* ---- cursors: base64 of (version, updatedAt, NIP, check) ------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint32_t cursor_check(const struct sim *s, uint32_t u, uint64_t nip)
{
    return (uint32_t)mix64(s->seed ^ mix64(nip ^ ((uint64_t)u << 17)));
}

static void cursor_encode(const struct sim *s, uint32_t u, uint64_t nip, char *out)
{
    unsigned char b[18] = {1};
    uint32_t c = cursor_check(s, u, nip);
    int n = 0;

    for (int k = 0; k < 4; k++)
        b[1 + k] = (unsigned char)(u >> (24 - 8 * k));
    for (int k = 0; k < 8; k++)
        b[5 + k] = (unsigned char)(nip >> (56 - 8 * k));
    for (int k = 0; k < 4; k++)
        b[13 + k] = (unsigned char)(c >> (24 - 8 * k));
    /* 17 bytes: five full groups, then two bytes and one '='. */
    for (int k = 0; k < 17; k += 3) {
        uint32_t v = (uint32_t)b[k] << 16 | (uint32_t)b[k + 1] << 8 | (k + 2 < 17 ? b[k + 2] : 0);

        out[n++] = b64[v >> 18];
        out[n++] = b64[(v >> 12) & 63];
        out[n++] = b64[(v >> 6) & 63];
        out[n++] = k + 2 < 17 ? b64[v & 63] : '=';
    }
    out[n] = '\0';
}

static int cursor_decode(const struct sim *s, const char *t, uint32_t *u, uint64_t *nip)
{
    unsigned char b[18];
    int n = 0;

    if (strlen(t) != 24 || t[23] != '=')
        return -1;
    for (int k = 0; k < 24; k += 4) {
        uint32_t v = 0;

        for (int j = 0; j < 4; j++) {
            const char *q = t[k + j] == '=' ? b64 : strchr(b64, t[k + j]);

            if (!q || !t[k + j])
                return -1;
            v = v << 6 | (uint32_t)(q - b64);
        }
        b[n++] = (unsigned char)(v >> 16);
        b[n++] = (unsigned char)(v >> 8);
        if (n < 18)
            b[n++] = (unsigned char)v;
    }
    if (b[0] != 1)
        return -1;
    *u = 0;
    *nip = 0;
    for (int k = 0; k < 4; k++)
        *u = *u << 8 | b[1 + k];
    for (int k = 0; k < 8; k++)
        *nip = *nip << 8 | b[5 + k];
    uint32_t c = 0;
    for (int k = 0; k < 4; k++)
        c = c << 8 | b[13 + k];
    return c == cursor_check(s, *u, *nip) ? 0 : -1;
}

/* ---- requests ----------------------------------------------------------------------- */

struct req {
    struct MHD_Connection *conn;
    char body[MAX_BODY + 1];
    size_t body_len;
    bool body_too_big;
    enum route route;
    int status; /* what was answered */
};

static void stats_count(struct sim *s, enum route rt, int status)
{
    pthread_mutex_lock(&s->mu);
    if (status >= 100 && status < 600)
        s->stats[rt][status]++;
    pthread_mutex_unlock(&s->mu);
}

static const char *query(struct req *rq, const char *key)
{
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

    return v && strlen(v) <= MAX_QUERY ? v : NULL;
}

static const char *header(struct req *rq, const char *key)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, key);
}

static bool wants_gzip(struct req *rq)
{
    const char *ae = header(rq, "Accept-Encoding");

    return ae && strstr(ae, "gzip");
}

static void free_buf(void *p)
{
    free(p);
}

/* gzip of in; NULL on failure. */
static char *gzip(const char *in, size_t len, size_t *out_len)
{
    z_stream z;
    size_t cap;
    char *out;

    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    cap = deflateBound(&z, len) + 64;
    out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
        deflateEnd(&z);
        free(out);
        return NULL;
    }
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

/* Queues body (taken over) with status; JSON unless content_type says else. */
static enum MHD_Result reply(struct sim *s, struct req *rq, int status, struct out *body,
                             const char *hname, const char *hvalue)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    bool gz = false;

    if (body->len > 1024 && wants_gzip(rq)) {
        size_t zlen;
        char *z = gzip(body->p, body->len, &zlen);

        if (z) {
            free(body->p);
            body->p = z;
            body->len = zlen;
            gz = true;
        }
    }
    resp = MHD_create_response_from_buffer_with_free_callback(body->len, body->p, free_buf);
    body->p = NULL;
    body->len = body->cap = 0;
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json");
    if (gz)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    if (hname)
        MHD_add_response_header(resp, hname, hvalue);
    rq->status = status;
    stats_count(s, rq->route, status);
    ret = MHD_queue_response(rq->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result reply_error(struct sim *s, struct req *rq, int status, const char *code,
                                   const char *message, bool siasn, const char *hname,
                                   const char *hvalue)
{
    struct out o = {0};

    if (siasn) {
        LIT(&o, "{\"code\":0,\"data\":");
        out_str(&o, message);
        out_char(&o, '}');
    } else {
        LIT(&o, "{\"error\":{\"code\":");
        out_str(&o, code);
        LIT(&o, ",\"message\":");
        out_str(&o, message);
        LIT(&o, "}}");
    }
    return reply(s, rq, status, &o, hname, hvalue);
}

/* ---- faults -------------------------------------------------------------------------- */

/* Sets one parameter of a fault; -1 on an unknown key or a bad value. */
static int fault_set(struct fault *f, const char *key, const char *value)
{
    char *end;
    long long v = strtoll(value, &end, 10);
    bool num = *value && !*end;

    if (!strcmp(key, "kind")) {
        for (int k = 0; k < N_FAULT_KINDS; k++) {
            if (!strcmp(value, fault_names[k])) {
                f->kind = (enum fault_kind)k;
                return 0;
            }
        }
        return -1;
    }
    if (!strcmp(key, "message")) {
        if (strlen(value) >= sizeof(f->message))
            return -1;
        snprintf(f->message, sizeof(f->message), "%s", value);
        return 0;
    }
    if (!strcmp(key, "location")) {
        if (strlen(value) >= sizeof(f->location) || strpbrk(value, "\r\n"))
            return -1;
        snprintf(f->location, sizeof(f->location), "%s", value);
        return 0;
    }
    if (!strcmp(key, "path")) {
        if (value[0] != '/' || strlen(value) >= sizeof(f->path))
            return -1;
        snprintf(f->path, sizeof(f->path), "%s", value);
        return 0;
    }
    if (!num)
        return -1;
    if (!strcmp(key, "count") && v >= -1 && v <= 1000000)
        f->remaining = (int)v;
    else if (!strcmp(key, "skip") && v >= 0 && v <= 1000000)
        f->skip = (int)v;
    else if (!strcmp(key, "status") && v >= 100 && v <= 599)
        f->status = (int)v;
    else if (!strcmp(key, "retry_after") && v >= 0 && v <= 100000000)
        f->retry_after = (int)v;
    else if (!strcmp(key, "retry_after_date") && (v == 0 || v == 1))
        f->retry_after_date = v;
    else if (!strcmp(key, "siasn") && (v == 0 || v == 1))
        f->siasn = v;
    else if (!strcmp(key, "delay_ms") && v >= 0 && v <= 600000)
        f->delay_ms = (int)v;
    else if (!strcmp(key, "chunk") && v >= 1 && v <= 1 << 20)
        f->chunk = (int)v;
    else if (!strcmp(key, "bytes") && v >= 16 && v <= (1LL << 34))
        f->bytes = v;
    else if (!strcmp(key, "chunked") && (v == 0 || v == 1))
        f->chunked = v;
    else if (!strcmp(key, "copies") && v >= 1 && v <= 100)
        f->copies = (int)v;
    else
        return -1;
    return 0;
}

static void fault_defaults(struct fault *f)
{
    memset(f, 0, sizeof(*f));
    f->remaining = 1;
    f->status = 503;
    f->retry_after = -1;
    f->delay_ms = -1;
    f->chunk = 1024;
    f->bytes = 128LL << 20;
    f->copies = 2;
    snprintf(f->path, sizeof(f->path), "/v1/asn");
}

static void fault_finish(struct fault *f)
{
    if (f->delay_ms < 0)
        f->delay_ms = f->kind == F_SLOW_HEADERS ? 2000 : 200;
}

static int fault_arm(struct sim *s, const struct fault *f)
{
    int rc = -1;

    pthread_mutex_lock(&s->mu);
    if (s->n_faults < MAX_FAULTS) {
        s->faults[s->n_faults++] = *f;
        rc = 0;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Takes the first armed fault that applies to this request. */
static bool fault_take(struct sim *s, const char *url, bool has_cursor, bool data_call,
                       struct fault *out)
{
    bool found = false;

    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < s->n_faults; k++) {
        struct fault *f = &s->faults[k];

        if (strncmp(url, f->path, strlen(f->path)) != 0)
            continue;
        if (f->kind == F_GONE && !has_cursor)
            continue;
        if (f->kind == F_TOKEN_EXPIRED && !data_call)
            continue;
        if (f->skip > 0) {
            f->skip--;
            continue;
        }
        *out = *f;
        found = true;
        if (f->remaining > 0 && --f->remaining == 0) {
            memmove(f, f + 1, (size_t)(s->n_faults - k - 1) * sizeof(*f));
            s->n_faults--;
        }
        break;
    }
    pthread_mutex_unlock(&s->mu);
    return found;
}

static void sleep_ms(int ms)
{
    while (ms > 0 && !stopping) {
        int step = ms < 50 ? ms : 50;
        struct timespec ts = {0, (long)step * 1000000L};

        nanosleep(&ts, NULL);
        ms -= step;
    }
}

/* A body delivered by a fault: slowly, cut short, reset, or invented. */
struct fault_stream {
    struct sim *s;
    struct fault f;
    struct MHD_Connection *conn;
    char *body;
    size_t len;
    uint64_t stop_at; /* truncate, reset: where the body ends */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct fault_stream *st = cls;
    size_t n;

    if (stopping)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    switch (st->f.kind) {
    case F_SLOW_BODY:
        if (pos >= st->len)
            return MHD_CONTENT_READER_END_OF_STREAM;
        sleep_ms(st->f.delay_ms);
        n = st->len - pos < (size_t)st->f.chunk ? st->len - pos : (size_t)st->f.chunk;
        n = n < max ? n : max;
        memcpy(buf, st->body + pos, n);
        return (ssize_t)n;
    case F_TRUNCATE:
    case F_RESET:
        if (pos >= st->stop_at) {
            if (st->f.kind == F_RESET) {
                const union MHD_ConnectionInfo *ci =
                    MHD_get_connection_info(st->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
                struct linger lg = {1, 0};

                if (ci)
                    setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
            }
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        n = st->stop_at - pos < max ? st->stop_at - pos : max;
        memcpy(buf, st->body + pos, n);
        return (ssize_t)n;
    case F_OVERSIZE: {
        static const char head[] = "{\"data\":[],\"next_cursor\":null,\"padding\":\"";
        uint64_t total = (uint64_t)st->f.bytes;

        if (pos >= total)
            return MHD_CONTENT_READER_END_OF_STREAM;
        n = 0;
        while (n < max && pos + n < total) {
            uint64_t at = pos + n;

            if (at < sizeof(head) - 1)
                buf[n] = head[at];
            else if (at == total - 2)
                buf[n] = '"';
            else if (at == total - 1)
                buf[n] = '}';
            else
                buf[n] = 'x';
            n++;
        }
        return (ssize_t)n;
    }
    default:
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
}

static void stream_free(void *cls)
{
    struct fault_stream *st = cls;

    free(st->body);
    free(st);
}

static enum MHD_Result reply_stream(struct sim *s, struct req *rq, const struct fault *f,
                                    struct out *body)
{
    struct fault_stream *st = calloc(1, sizeof(*st));
    struct MHD_Response *resp;
    enum MHD_Result ret;
    uint64_t size;

    if (!st)
        return MHD_NO;
    st->s = s;
    st->f = *f;
    st->conn = rq->conn;
    st->body = body->p;
    st->len = body->len;
    st->stop_at = body->len / 2;
    body->p = NULL;
    body->len = body->cap = 0;
    size = f->kind == F_OVERSIZE ? (f->chunked ? MHD_SIZE_UNKNOWN : (uint64_t)f->bytes)
           : f->kind == F_RESET  ? MHD_SIZE_UNKNOWN
                                 : st->len;
    resp = MHD_create_response_from_callback(size, 32 * 1024, stream_read, st, stream_free);
    if (!resp) {
        stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json");
    rq->status = 200;
    stats_count(s, rq->route, 200);
    ret = MHD_queue_response(rq->conn, 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* An HTTP date n seconds from now. */
static void http_date(int64_t n, char *buf, size_t size)
{
    time_t t = time(NULL) + (time_t)n;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static enum MHD_Result reply_fault_status(struct sim *s, struct req *rq, const struct fault *f)
{
    char ra[64];
    const char *msg = f->status == 429   ? "too many requests, slow down"
                      : f->status == 503 ? "service temporarily unavailable"
                      : f->status >= 500 ? "internal server error"
                      : f->status == 403 ? "forbidden for this client"
                      : f->status == 404 ? "not found"
                                         : "request refused";

    if (f->message[0])
        msg = f->message;
    if (f->location[0])
        return reply_error(s, rq, f->status, "moved", "moved elsewhere", f->siasn, "Location",
                           f->location);
    if (f->retry_after >= 0) {
        if (f->retry_after_date)
            http_date(f->retry_after, ra, sizeof(ra));
        else
            snprintf(ra, sizeof(ra), "%d", f->retry_after);
    }
    return reply_error(s, rq, f->status, f->status == 429 ? "rate_limited" : "fault", msg, f->siasn,
                       f->retry_after >= 0 ? "Retry-After" : NULL, ra);
}

/* ---- authentication -------------------------------------------------------------------- */

static void token_new(struct sim *s, char *out, size_t size)
{
    struct rng r;
    uint64_t v;

    pthread_mutex_lock(&s->mu);
    r = rng_for(s->seed ^ (uint64_t)time(NULL), s->tokens_issued, S_TOKEN);
    v = rng_next(&r);
    snprintf(out, size, "simtok-%" PRIu64 "-%016" PRIx64, s->tokens_issued + 1, v);
    struct token *t = &s->tokens[s->tokens_issued % MAX_TOKENS];
    snprintf(t->value, sizeof(t->value), "%s", out);
    t->expires = (int64_t)time(NULL) + s->token_ttl;
    t->revoked = false;
    s->tokens_issued++;
    pthread_mutex_unlock(&s->mu);
}

static bool token_valid(struct sim *s, const char *value)
{
    bool ok = false;
    int64_t now = (int64_t)time(NULL);

    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < MAX_TOKENS; k++) {
        const struct token *t = &s->tokens[k];

        if (t->value[0] && !strcmp(t->value, value) && !t->revoked && now < t->expires)
            ok = true;
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

static void tokens_revoke(struct sim *s)
{
    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < MAX_TOKENS; k++)
        s->tokens[k].revoked = true;
    pthread_mutex_unlock(&s->mu);
}

/* 0 when the data call carries the credentials the mode asks for. */
static int auth_check(struct sim *s, struct req *rq)
{
    const char *h = header(rq, "Authorization");

    if (s->auth == AUTH_NONE)
        return 0;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return -1;
    h += 7;
    if (s->auth == AUTH_BEARER)
        return strcmp(h, s->bearer) == 0 ? 0 : -1;
    return token_valid(s, h) ? 0 : -1;
}

/* A form field of an x-www-form-urlencoded body, decoded. */
static bool form_field(const char *body, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    const char *p = body;

    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);

        if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            size_t vlen = len - klen - 1;

            if (vlen >= size)
                vlen = size - 1;
            memcpy(out, p + klen + 1, vlen);
            out[vlen] = '\0';
            for (char *c = out; *c; c++)
                if (*c == '+')
                    *c = ' ';
            MHD_http_unescape(out);
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

static enum MHD_Result serve_token(struct sim *s, struct req *rq, const char *method,
                                   const struct fault *f)
{
    char *user, *pass = NULL, grant[64], scope[128];
    bool ok;
    struct out o = {0};
    char tok[64];

    if (f && f->kind == F_STATUS)
        return reply_fault_status(s, rq, f);
    if (f && f->kind == F_SLOW_HEADERS)
        sleep_ms(f->delay_ms);
    if (strcmp(method, "POST") != 0)
        return reply_error(s, rq, 405, "method_not_allowed", "use POST", false, "Allow", "POST");
    if (s->auth != AUTH_OAUTH2)
        return reply_error(s, rq, 404, "not_found", "no token endpoint in this mode", false, NULL,
                           NULL);
    user = MHD_basic_auth_get_username_password(rq->conn, &pass);
    ok = user && pass && !strcmp(user, s->client_id) && !strcmp(pass, s->client_secret);
    if (user)
        MHD_free(user);
    if (pass)
        MHD_free(pass);
    if (!ok) {
        LIT(&o, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication "
                "failed\"}");
        return reply(s, rq, 401, &o, "WWW-Authenticate", "Basic realm=\"simpeg\"");
    }
    if (!form_field(rq->body, "grant_type", grant, sizeof(grant)) ||
        strcmp(grant, "client_credentials") != 0) {
        LIT(&o, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"expected "
                "grant_type=client_credentials\"}");
        return reply(s, rq, 400, &o, NULL, NULL);
    }
    pthread_mutex_lock(&s->mu);
    if (form_field(rq->body, "scope", scope, sizeof(scope)))
        snprintf(s->last_scope, sizeof(s->last_scope), "%s", scope);
    else
        s->last_scope[0] = '\0';
    pthread_mutex_unlock(&s->mu);
    token_new(s, tok, sizeof(tok));
    LIT(&o, "{\"access_token\":");
    out_str(&o, tok);
    LIT(&o, ",\"token_type\":\"Bearer\",\"expires_in\":");
    out_int(&o, s->token_ttl);
    out_char(&o, '}');
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* ---- the data calls ------------------------------------------------------------------------ */

/* Changes count records chosen by stream; write lock taken here. */
static void mutate(struct sim *s, uint32_t count, uint64_t stream_no)
{
    struct rng r = rng_for(s->seed, stream_no, S_MUTATE);
    uint32_t now = (uint32_t)time(NULL);

    if (!count)
        return;
    pthread_rwlock_wrlock(&s->lock);
    for (uint32_t k = 0; k < count && k < s->n; k++)
        record_touch(s, rng_below(&r, s->n), now, 0);
    order_fix(s, now);
    pthread_rwlock_unlock(&s->lock);
}

static void remember_headers(struct sim *s, struct req *rq)
{
    const char *ua = header(rq, "User-Agent"), *ac = header(rq, "Accept"),
               *ae = header(rq, "Accept-Encoding");

    pthread_mutex_lock(&s->mu);
    snprintf(s->last_user_agent, sizeof(s->last_user_agent), "%s", ua ? ua : "");
    snprintf(s->last_accept, sizeof(s->last_accept), "%s", ac ? ac : "");
    snprintf(s->last_accept_encoding, sizeof(s->last_accept_encoding), "%s", ae ? ae : "");
    pthread_mutex_unlock(&s->mu);
}

/* Whether a query value is longer than MAX_QUERY (query() then ignores it). */
static bool query_too_long(struct req *rq, const char *key)
{
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

    return v && strlen(v) > MAX_QUERY;
}

static enum MHD_Result serve_data(struct sim *s, struct req *rq, const char *url,
                                  const char *method)
{
    const char *cursor = query(rq, "cursor");
    struct fault f;
    bool faulted;
    struct out o = {0};
    int64_t now = (int64_t)time(NULL);

    if (strcmp(method, "GET") != 0)
        return reply_error(s, rq, 405, "method_not_allowed", "use GET", false, "Allow", "GET");
    remember_headers(s, rq);
    if (query_too_long(rq, "cursor") || query_too_long(rq, "updated_since") ||
        query_too_long(rq, "limit"))
        return reply_error(s, rq, 400, "too_long", "a query value is longer than 1 KiB", false,
                           NULL, NULL);
    faulted = fault_take(s, url, rq->route == RT_LIST && cursor, true, &f);
    if (faulted) {
        switch (f.kind) {
        case F_STATUS:
            return reply_fault_status(s, rq, &f);
        case F_GONE:
            return reply_error(s, rq, 410, "cursor_expired",
                               "the cursor expired; restart the listing", f.siasn, NULL, NULL);
        case F_TOKEN_EXPIRED:
            tokens_revoke(s);
            return reply_error(s, rq, 401, "invalid_token", "the access token expired", false,
                               "WWW-Authenticate", "Bearer error=\"invalid_token\"");
        case F_SLOW_HEADERS:
            sleep_ms(f.delay_ms);
            break;
        default:
            break;
        }
    }
    if (auth_check(s, rq) < 0)
        return reply_error(s, rq, 401, "unauthorized", "missing or invalid credentials", false,
                           "WWW-Authenticate", "Bearer realm=\"simpeg\"");
    if (s->req_header) {
        const char *v = header(rq, s->req_header);

        if (!v || strcmp(v, s->req_value) != 0)
            return reply_error(s, rq, 403, "forbidden", "a required header is missing or wrong",
                               false, NULL, NULL);
    }
    if (faulted && f.kind == F_OVERSIZE)
        return reply_stream(s, rq, &f, &o);

    if (rq->route == RT_RECORD) {
        uint64_t nip;
        int64_t i;

        pthread_rwlock_rdlock(&s->lock);
        i = nip_parse(url + strlen("/v1/asn/"), &nip) == 0 ? nip_find(s, nip) : -1;
        if (i >= 0) {
            LIT(&o, "{\"data\":");
            record_json(s, (uint32_t)i, &o);
            out_char(&o, '}');
        }
        pthread_rwlock_unlock(&s->lock);
        if (i < 0)
            return reply_error(s, rq, 404, "not_found", "no employee with this nipBaru", false,
                               NULL, NULL);
    } else {
        const char *since = query(rq, "updated_since"), *lim = query(rq, "limit");
        int64_t since_t = 0, limit = PAGE_DEFAULT;
        uint32_t cu = 0, start, end, k;
        uint64_t cnip = 0;
        char next[32];
        char *endp;

        if (lim) {
            long long v = strtoll(lim, &endp, 10);

            if (!*lim || *endp || v < 1 || v > PAGE_MAX)
                return reply_error(s, rq, 400, "bad_limit", "limit must be 1..1000", false, NULL,
                                   NULL);
            limit = v;
        }
        if (since && rfc3339_parse(since, &since_t) < 0)
            return reply_error(s, rq, 400, "bad_updated_since",
                               "updated_since must be an RFC 3339 time", false, NULL, NULL);
        if (cursor && cursor_decode(s, cursor, &cu, &cnip) < 0)
            return reply_error(s, rq, 400, "bad_cursor", "the cursor is not one of this server",
                               false, NULL, NULL);
        pthread_mutex_lock(&s->mu);
        if (cursor)
            s->cursor_requests++;
        else
            s->listing_starts++;
        uint64_t listing_no = s->listings++;
        pthread_mutex_unlock(&s->mu);
        if (!cursor && s->mutate_rate > 0)
            mutate(s, (uint32_t)(s->mutate_rate * s->n + 0.5), listing_no);

        pthread_rwlock_rdlock(&s->lock);
        if (cursor)
            start = order_bound(s, cu, cnip, true);
        else if (since && since_t > UINT32_MAX)
            start = s->n;
        else if (since && since_t > 0)
            start = order_bound(s, (uint32_t)since_t, 0, false);
        else
            start = 0;
        end = start + (uint32_t)limit < s->n ? start + (uint32_t)limit : s->n;
        out_reserve(&o, (size_t)(end - start) * 3072 + 256);
        LIT(&o, "{\"data\":[");
        for (k = start; k < end; k++) {
            if (k > start)
                out_char(&o, ',');
            record_json(s, s->order[k], &o);
        }
        for (int c = 0; faulted && f.kind == F_REJECTS && c < f.copies; c++) {
            if (c > 0 || end > start)
                out_char(&o, ',');
            LIT(&o, "{\"nipBaru\":\"198804122014031002\",\"jenisJabatanId\":\"4\"}");
        }
        if (end < s->n && end > start) {
            uint32_t last = s->order[end - 1];

            cursor_encode(s, s->updated[last], s->nip[last], next);
            LIT(&o, "],\"next_cursor\":\"");
            out_mem(&o, next, strlen(next));
            out_char(&o, '"');
        } else {
            LIT(&o, "],\"next_cursor\":null");
        }
        pthread_rwlock_unlock(&s->lock);
        LIT(&o, ",\"server_time\":");
        out_timestamp(&o, now, false);
        LIT(&o, ",\"count\":");
        out_int(&o, end - start);
        out_char(&o, '}');
    }

    if (faulted) {
        switch (f.kind) {
        case F_SLOW_BODY:
        case F_TRUNCATE:
        case F_RESET:
            return reply_stream(s, rq, &f, &o);
        case F_MALFORMED:
            /* Cut in the middle of a record and closed with garbage. */
            o.len = o.len / 2;
            LIT(&o, "\"}]<<not json>>");
            break;
        default:
            break;
        }
    }
    return reply(s, rq, 200, &o, NULL, NULL);
}

/* ---- administration ------------------------------------------------------------------------ */

struct fault_parse {
    struct fault *f;
    int bad;
    char bad_key[64];
};

static enum MHD_Result fault_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct fault_parse *fp = cls;

    if (fault_set(fp->f, key, value ? value : "") < 0 && !fp->bad) {
        fp->bad = 1;
        snprintf(fp->bad_key, sizeof(fp->bad_key), "%s", key);
    }
    return MHD_YES;
}

static int admin_nip(struct sim *s, struct req *rq, uint32_t *index)
{
    const char *t = query(rq, "nip");
    uint64_t nip;
    int64_t i;

    if (!t || nip_parse(t, &nip) < 0)
        return -1;
    pthread_rwlock_rdlock(&s->lock);
    i = nip_find(s, nip);
    pthread_rwlock_unlock(&s->lock);
    if (i < 0)
        return -1;
    *index = (uint32_t)i;
    return 0;
}

static void defects_json(struct out *o, uint32_t mask)
{
    bool first = true;

    out_char(o, '[');
    for (int k = 0; k < N_DEFECTS; k++) {
        if (!(mask & (1u << k)))
            continue;
        if (!first)
            out_char(o, ',');
        out_str(o, defect_codes[k]);
        first = false;
    }
    out_char(o, ']');
}

static enum MHD_Result serve_admin(struct sim *s, struct req *rq, const char *url,
                                   const char *method)
{
    struct out o = {0};
    bool post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;
    uint32_t i;

    if (!strcmp(url, "/admin/fault") && post) {
        struct fault f;
        struct fault_parse fp = {&f, 0, ""};

        fault_defaults(&f);
        MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, fault_arg, &fp);
        if (fp.bad) {
            char msg[128];

            snprintf(msg, sizeof(msg), "bad fault parameter %s", fp.bad_key);
            return reply_error(s, rq, 400, "bad_fault", msg, false, NULL, NULL);
        }
        fault_finish(&f);
        if (fault_arm(s, &f) < 0)
            return reply_error(s, rq, 409, "too_many_faults", "disarm some first", false, NULL,
                               NULL);
        LIT(&o, "{\"armed\":");
        out_str(&o, fault_names[f.kind]);
        out_char(&o, '}');
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if (!strcmp(url, "/admin/clear") && post) {
        pthread_mutex_lock(&s->mu);
        s->n_faults = 0;
        pthread_mutex_unlock(&s->mu);
        LIT(&o, "{\"cleared\":true}");
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if (!strcmp(url, "/admin/reset-stats") && post) {
        pthread_mutex_lock(&s->mu);
        memset(s->stats, 0, sizeof(s->stats));
        s->cursor_requests = s->listing_starts = 0;
        pthread_mutex_unlock(&s->mu);
        LIT(&o, "{\"reset\":true}");
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if ((!strcmp(url, "/admin/fix") || !strcmp(url, "/admin/delete")) && post) {
        uint32_t now = (uint32_t)time(NULL);

        if (admin_nip(s, rq, &i) < 0)
            return reply_error(s, rq, 404, "not_found", "no employee with this nip", false, NULL,
                               NULL);
        pthread_rwlock_wrlock(&s->lock);
        record_touch(s, i, now, url[7] == 'f' ? RF_FIXED : RF_DELETED);
        order_fix(s, now);
        pthread_rwlock_unlock(&s->lock);
        LIT(&o, "{\"nip\":");
        out_uint(&o, s->nip[i]);
        LIT(&o, ",\"version\":");
        out_int(&o, s->version[i]);
        LIT(&o, ",\"updatedAt\":");
        out_timestamp(&o, now, false);
        out_char(&o, '}');
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if (!strcmp(url, "/admin/mutate") && post) {
        const char *c = query(rq, "count");
        char *end;
        long long n = c ? strtoll(c, &end, 10) : -1;
        uint64_t no;

        if (!c || !*c || *end || n < 0 || n > s->n)
            return reply_error(s, rq, 400, "bad_count", "count must be 0..employees", false, NULL,
                               NULL);
        pthread_mutex_lock(&s->mu);
        no = s->listings++ | (1ULL << 62);
        pthread_mutex_unlock(&s->mu);
        mutate(s, (uint32_t)n, no);
        LIT(&o, "{\"mutated\":");
        out_int(&o, n);
        out_char(&o, '}');
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if (!strcmp(url, "/admin/stats") && get) {
        bool first_route = true;

        pthread_mutex_lock(&s->mu);
        LIT(&o, "{\"requests\":{");
        for (int rt = 0; rt < N_ROUTES; rt++) {
            uint64_t total = 0;
            bool first = true;

            for (int st = 0; st < 600; st++)
                total += s->stats[rt][st];
            if (!total)
                continue;
            if (!first_route)
                out_char(&o, ',');
            first_route = false;
            out_str(&o, route_names[rt]);
            LIT(&o, ":{");
            for (int st = 0; st < 600; st++) {
                if (!s->stats[rt][st])
                    continue;
                if (!first)
                    out_char(&o, ',');
                first = false;
                out_char(&o, '"');
                out_int(&o, st);
                LIT(&o, "\":");
                out_uint(&o, s->stats[rt][st]);
            }
            LIT(&o, ",\"total\":");
            out_uint(&o, total);
            out_char(&o, '}');
        }
        LIT(&o, "},\"listings\":");
        out_uint(&o, s->listing_starts);
        LIT(&o, ",\"cursor_requests\":");
        out_uint(&o, s->cursor_requests);
        LIT(&o, ",\"tokens_issued\":");
        out_uint(&o, s->tokens_issued);
        LIT(&o, ",\"faults_armed\":");
        out_int(&o, s->n_faults);
        LIT(&o, ",\"last_scope\":");
        out_str(&o, s->last_scope);
        LIT(&o, ",\"last_user_agent\":");
        out_str(&o, s->last_user_agent);
        LIT(&o, ",\"last_accept\":");
        out_str(&o, s->last_accept);
        LIT(&o, ",\"last_accept_encoding\":");
        out_str(&o, s->last_accept_encoding);
        out_char(&o, '}');
        pthread_mutex_unlock(&s->mu);
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if (!strcmp(url, "/admin/record") && get) {
        struct person p;

        if (admin_nip(s, rq, &i) < 0)
            return reply_error(s, rq, 404, "not_found", "no employee with this nip", false, NULL,
                               NULL);
        pthread_rwlock_rdlock(&s->lock);
        person_identity(s, i, &p);
        LIT(&o, "{\"index\":");
        out_uint(&o, i);
        LIT(&o, ",\"version\":");
        out_uint(&o, s->version[i]);
        LIT(&o, ",\"deleted\":");
        if (s->flags[i] & RF_DELETED)
            LIT(&o, "true");
        else
            LIT(&o, "false");
        LIT(&o, ",\"fixed\":");
        if (s->flags[i] & RF_FIXED)
            LIT(&o, "true");
        else
            LIT(&o, "false");
        LIT(&o, ",\"updatedAt\":");
        out_timestamp(&o, s->updated[i], false);
        LIT(&o, ",\"defects\":");
        defects_json(&o, record_defects(s, i, &p));
        out_char(&o, '}');
        pthread_rwlock_unlock(&s->lock);
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    if (!strcmp(url, "/admin/defects") && get) {
        uint64_t counts[N_DEFECTS] = {0}, live = 0, deleted = 0;
        struct person p;

        pthread_rwlock_rdlock(&s->lock);
        for (uint32_t k = 0; k < s->n; k++) {
            uint32_t d;

            if (s->flags[k] & RF_DELETED) {
                deleted++;
                continue;
            }
            live++;
            person_identity(s, k, &p);
            d = record_defects(s, k, &p);
            for (int c = 0; c < N_DEFECTS; c++)
                counts[c] += (d >> c) & 1;
        }
        pthread_rwlock_unlock(&s->lock);
        LIT(&o, "{\"records\":");
        out_uint(&o, live);
        LIT(&o, ",\"deleted\":");
        out_uint(&o, deleted);
        LIT(&o, ",\"defects\":{");
        for (int c = 0; c < N_DEFECTS; c++) {
            if (c)
                out_char(&o, ',');
            out_str(&o, defect_codes[c]);
            out_char(&o, ':');
            out_uint(&o, counts[c]);
        }
        LIT(&o, "}}");
        return reply(s, rq, 200, &o, NULL, NULL);
    }
    return reply_error(s, rq, 404, "not_found", "no such admin operation for this method", false,
                       NULL, NULL);
}

/* ---- dispatch ----------------------------------------------------------------------------------
 */

static enum route route_of(const char *url)
{
    if (!strcmp(url, "/v1/asn"))
        return RT_LIST;
    if (!strncmp(url, "/v1/asn/", 8) && url[8])
        return RT_RECORD;
    if (!strcmp(url, "/oauth2/token"))
        return RT_TOKEN;
    if (!strcmp(url, "/healthz"))
        return RT_HEALTH;
    if (!strncmp(url, "/admin/", 7))
        return RT_ADMIN;
    return RT_OTHER;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct sim *s = cls;
    struct req *rq = *con_cls;
    enum MHD_Result ret;

    if (!rq) {
        rq = calloc(1, sizeof(*rq));
        if (!rq)
            return MHD_NO;
        rq->conn = conn;
        rq->route = route_of(url);
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;

        if (rq->body_len + n > MAX_BODY) {
            rq->body_too_big = true;
        } else {
            memcpy(rq->body + rq->body_len, upload, n);
            rq->body_len += n;
            rq->body[rq->body_len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->body_too_big)
        return reply_error(s, rq, 413, "too_large", "request body over 8 KiB", false, NULL, NULL);

    switch (rq->route) {
    case RT_HEALTH: {
        struct out o = {0};

        LIT(&o, "{\"status\":\"ok\"}");
        ret = reply(s, rq, 200, &o, NULL, NULL);
        break;
    }
    case RT_ADMIN:
        ret = serve_admin(s, rq, url, method);
        break;
    case RT_TOKEN: {
        struct fault f;
        bool faulted = fault_take(s, url, false, false, &f);

        ret = serve_token(s, rq, method, faulted ? &f : NULL);
        break;
    }
    case RT_LIST:
    case RT_RECORD:
        ret = serve_data(s, rq, url, method);
        break;
    default:
        ret = reply_error(s, rq, 404, "not_found", "no such path", false, NULL, NULL);
        break;
    }
    if (s->verbose)
        fprintf(stderr, "simpeg-sim: %s %s -> %d\n", method, url, rq->status);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    free(*con_cls);
    *con_cls = NULL;
}

/* ---- main -------------------------------------------------------------------------------------
 */

static void usage(FILE *f)
{
    fputs("Usage: simpeg-sim [OPTION]...\n"
          "A SIMPEG endpoint (simpeg-api.md) over a synthetic provincial workforce.\n\n"
          "  --port N             TCP port (default 8080; 0 picks a free one)\n"
          "  --bind ADDR          IPv4 address to listen on (default 127.0.0.1)\n"
          "  --seed N             the workforce's seed (default 1)\n"
          "  --employees N        how many employees (default 5000, at most 10000000)\n"
          "  --today YYYY-MM-DD   the day the data is current at (default: today, UTC)\n"
          "  --defect-rate R      share of records carrying each defect (default 0.02)\n"
          "  --mutate-rate R      share of records changed at each listing's start (0)\n"
          "  --auth MODE          none | bearer | oauth2 (default none)\n"
          "  --token T            bearer: the token data calls must carry\n"
          "  --client-id ID       oauth2: the accepted client id\n"
          "  --client-secret S    oauth2: its secret\n"
          "  --token-ttl S        oauth2: token lifetime in seconds (default 3600)\n"
          "  --require-header H:V data calls must carry header H: V, else 403\n"
          "  --fault SPEC         arm a fault at start: kind=status,status=503,count=2\n"
          "  --verbose            one line per request on stderr\n"
          "  --help               this text\n\n"
          "Contract: GET /v1/asn, GET /v1/asn/{nip}, POST /oauth2/token, GET /healthz.\n"
          "Admin: POST /admin/fault?kind=K&count=N&... (status, slow_headers, slow_body,\n"
          "truncate, malformed, reset, gone, token_expired, oversize), POST /admin/clear,\n"
          "POST /admin/fix?nip=, POST /admin/delete?nip=, POST /admin/mutate?count=,\n"
          "GET /admin/stats, POST /admin/reset-stats, GET /admin/record?nip=,\n"
          "GET /admin/defects. The comment at the top of tools/simpeg-sim.c says more.\n",
          f);
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_fault_spec(const char *spec, struct fault *f)
{
    char buf[512], *save = NULL;

    if (strlen(spec) >= sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%s", spec);
    fault_defaults(f);
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');

        if (!eq)
            return -1;
        *eq = '\0';
        if (fault_set(f, kv, eq + 1) < 0)
            return -1;
    }
    fault_finish(f);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {"seed", required_argument, NULL, 's'},
        {"employees", required_argument, NULL, 'n'},
        {"today", required_argument, NULL, 'd'},
        {"defect-rate", required_argument, NULL, 'D'},
        {"mutate-rate", required_argument, NULL, 'M'},
        {"auth", required_argument, NULL, 'a'},
        {"token", required_argument, NULL, 't'},
        {"client-id", required_argument, NULL, 'i'},
        {"client-secret", required_argument, NULL, 'S'},
        {"token-ttl", required_argument, NULL, 'T'},
        {"require-header", required_argument, NULL, 'H'},
        {"fault", required_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static struct sim sim;
    struct sim *s = &sim;
    double v;
    int port = 8080, opt, sig, li = 0;
    const char *bind_addr = "127.0.0.1";
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    sigset_t set;
    char *hdr = NULL;

    s->seed = 1;
    s->n = 5000;
    s->today = (int32_t)(time(NULL) / 86400);
    s->defect_rate = 0.02;
    s->token_ttl = 3600;
    pthread_rwlock_init(&s->lock, NULL);
    pthread_mutex_init(&s->mu, NULL);

    while ((opt = getopt_long(argc, argv, "", longopts, &li)) != -1) {
        switch (opt) {
        case 'p':
            if (parse_num(optarg, 0, 65535, &v) < 0 || v != (int)v)
                goto bad;
            port = (int)v;
            break;
        case 'b':
            bind_addr = optarg;
            break;
        case 's':
            if (parse_num(optarg, 0, 1e18, &v) < 0 || v != floor(v))
                goto bad;
            s->seed = (uint64_t)v;
            break;
        case 'n':
            if (parse_num(optarg, 1, MAX_EMPLOYEES, &v) < 0 || v != floor(v))
                goto bad;
            s->n = (uint32_t)v;
            break;
        case 'd': {
            int y, m, dd, n = 0;

            if (sscanf(optarg, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 || optarg[n] ||
                !valid_ymd(y, m, dd) || y < 2000 || y > 2100)
                goto bad;
            s->today = days_from_civil(y, m, dd);
            break;
        }
        case 'D':
            if (parse_num(optarg, 0, 1, &s->defect_rate) < 0)
                goto bad;
            break;
        case 'M':
            if (parse_num(optarg, 0, 1, &s->mutate_rate) < 0)
                goto bad;
            break;
        case 'a':
            if (!strcmp(optarg, "none"))
                s->auth = AUTH_NONE;
            else if (!strcmp(optarg, "bearer"))
                s->auth = AUTH_BEARER;
            else if (!strcmp(optarg, "oauth2"))
                s->auth = AUTH_OAUTH2;
            else
                goto bad;
            break;
        case 't':
            s->bearer = optarg;
            break;
        case 'i':
            s->client_id = optarg;
            break;
        case 'S':
            s->client_secret = optarg;
            break;
        case 'T':
            if (parse_num(optarg, 1, 86400 * 365, &v) < 0 || v != floor(v))
                goto bad;
            s->token_ttl = (int64_t)v;
            break;
        case 'H': {
            char *colon;

            free(hdr);
            hdr = strdup(optarg);
            colon = hdr ? strchr(hdr, ':') : NULL;
            if (!colon || colon == hdr)
                goto bad;
            *colon = '\0';
            s->req_header = hdr;
            s->req_value = colon + 1 + (colon[1] == ' ');
            break;
        }
        case 'f': {
            struct fault f;

            if (parse_fault_spec(optarg, &f) < 0 || fault_arm(s, &f) < 0)
                goto bad;
            break;
        }
        case 'v':
            s->verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 64;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "simpeg-sim: unexpected argument '%s'\n", argv[optind]);
        return 64;
    }
    if ((s->auth == AUTH_BEARER && !s->bearer) ||
        (s->auth == AUTH_OAUTH2 && (!s->client_id || !s->client_secret))) {
        fprintf(stderr, "simpeg-sim: --auth bearer needs --token; oauth2 needs --client-id and "
                        "--client-secret\n");
        return 64;
    }

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "simpeg-sim: --bind expects an IPv4 address, got '%s'\n", bind_addr);
        return 64;
    }

    if (sim_build(s) < 0) {
        fprintf(stderr, "simpeg-sim: out of memory for %u employees\n", s->n);
        return 70;
    }

    /* Signals go to this thread only, through sigwait. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                             MHD_USE_ERROR_LOG,
                         (uint16_t)port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR,
                         (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "simpeg-sim: cannot listen on %s:%d\n", bind_addr, port);
        return 69;
    }
    {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        int y, m, dd;

        civil_from_days(s->today, &y, &m, &dd);
        fprintf(stderr,
                "simpeg-sim: listening on http://%s:%u (%u employees, seed %" PRIu64
                ", today %04d-%02d-%02d, auth %s)\n",
                bind_addr, di ? di->port : (unsigned)port, s->n, s->seed, y, m, dd,
                s->auth == AUTH_NONE     ? "none"
                : s->auth == AUTH_BEARER ? "bearer"
                                         : "oauth2");
    }
    sigwait(&set, &sig);
    stopping = 1;
    MHD_stop_daemon(d);
    free(s->nip);
    free(s->updated);
    free(s->version);
    free(s->flags);
    free(s->order);
    free(s->slots);
    free(hdr);
    return 0;
bad:
    fprintf(stderr, "simpeg-sim: bad value for --%s: '%s'\n", longopts[li].name, optarg);
    usage(stderr);
    free(hdr);
    return 64;
}
