/* sim_province.c: the province the workforce belongs to (Pemerintah Provinsi
 * Kalimantan Selatan): its perangkat daerah, the functional positions, units,
 * posts, names, eselons, education levels, grades and courses. Tables only;
 * sim_person.c and sim_employee.c draw from them. */
#include "sim.h"

#define NAMES_OF(a)                                                                                \
    {                                                                                              \
        (a), (uint32_t)(sizeof(a) / sizeof((a)[0]))                                                \
    }

const struct role_info roles[N_ROLES] = {
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

const struct opd_info opds[] = {
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
const uint32_t n_opds = (uint32_t)(sizeof(opds) / sizeof(opds[0]));

static const char *const cities_list[] = {
    "Banjarmasin", "Banjarbaru", "Martapura", "Kandangan", "Barabai", "Amuntai",  "Tanjung",
    "Pelaihari",   "Kotabaru",   "Batulicin", "Marabahan", "Rantau",  "Paringin",
};
const struct names cities = NAMES_OF(cities_list);

static const char *const units_general_list[] = {
    "Sekretariat",
    "Bidang Program dan Perencanaan",
    "Bidang Pelayanan",
    "Bidang Pembinaan dan Pengembangan",
    "Bidang Pengendalian dan Evaluasi",
    "UPTD Wilayah I",
    "UPTD Wilayah II",
};
const struct names units_general = NAMES_OF(units_general_list);
static const char *const units_hosp_list[] = {
    "Bagian Umum dan Kepegawaian", "Bidang Keperawatan",    "Instalasi Rawat Inap",
    "Instalasi Gawat Darurat",     "Instalasi Rawat Jalan", "Instalasi Farmasi",
    "Instalasi Laboratorium",      "Instalasi Gizi",        "Instalasi Radiologi",
};
const struct names units_hosp = NAMES_OF(units_hosp_list);
static const char *const units_setda_list[] = {
    "Bagian Tata Usaha",
    "Bagian Perencanaan dan Keuangan",
    "Bagian Kebijakan",
    "Bagian Layanan",
};
const struct names units_setda = NAMES_OF(units_setda_list);
static const char *const units_edu_list[] = {
    "Sekretariat",
    "Bidang Pembinaan SMA",
    "Bidang Pembinaan SMK",
    "Bidang Pendidikan Khusus",
};
const struct names units_edu = NAMES_OF(units_edu_list);

static const char *const pelaksana_posts_list[] = {
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
const struct names pelaksana_posts = NAMES_OF(pelaksana_posts_list);

static const char *const male_first_list[] = {
    "Ahmad", "Muhammad", "Budi", "Agus",    "Rahmat",  "Hendra", "Rizky",  "Fajar",  "Yusuf",
    "Ilham", "Arif",     "Dedi", "Bambang", "Syahrul", "Fauzan", "Taufik", "Hasan",  "Abdul",
    "Irfan", "Joko",     "Rudi", "Ridwan",  "Anwar",   "Saiful", "Gusti",  "Akhmad", "Herman",
};
const struct names male_first = NAMES_OF(male_first_list);
static const char *const male_last_list[] = {
    "Rahman",   "Hidayat", "Santoso",    "Pratama", "Saputra", "Wijaya",   "Kurniawan",
    "Setiawan", "Nugroho", "Firmansyah", "Maulana", "Hakim",   "Fadillah", "Syahputra",
    "Anshari",  "Noor",    "Ramadhan",   "Hamdani", "Mahfuz",  "Effendi",
};
const struct names male_last = NAMES_OF(male_last_list);
static const char *const female_first_list[] = {
    "Siti",  "Nur",   "Dewi",  "Rina",    "Fitri",     "Aisyah", "Nurul",   "Sri",     "Wulan",
    "Ayu",   "Putri", "Ratna", "Yuliana", "Mariana",   "Noor",   "Halimah", "Rusmini", "Kartini",
    "Indah", "Maya",  "Dian",  "Eka",     "Norhayati", "Rahmi",  "Lestari",
};
const struct names female_first = NAMES_OF(female_first_list);
static const char *const female_last_list[] = {
    "Rahmawati", "Wahyuni",     "Susanti",     "Handayani", "Permatasari", "Safitri",
    "Anggraini", "Puspitasari", "Lestari",     "Hidayati",  "Fauziah",     "Maulida",
    "Rahmadani", "Aulia",       "Khairunnisa", "Sari",      "Fitriani",    "Jannah",
};
const struct names female_last = NAMES_OF(female_last_list);

/* Eselon posts: code, name, leadership level (1..4). */
const struct eselon_info eselons[] = {
    {"12", "I.b", 1},   {"21", "II.a", 2}, {"22", "II.b", 2}, {"31", "III.a", 3},
    {"32", "III.b", 3}, {"41", "IV.a", 4}, {"42", "IV.b", 4},
};

/* Education levels: tkPendidikanId, tkPendidikanNama. */
const struct level_info levels[L_S3 + 1] = {
    [L_SD] = {"05", "SD"},          [L_SLTP] = {"10", "SLTP"},     [L_SLTA] = {"15", "SLTA"},
    [L_D3] = {"30", "Diploma III"}, [L_D4] = {"35", "Diploma IV"}, [L_S1] = {"40", "S-1/Sarjana"},
    [L_S2] = {"45", "S-2"},         [L_S3] = {"50", "S-3/Doktor"},
};

/* Grades: golRuangAkhirId and golRuangAkhir. */
const char *const grade_ids[] = {"11", "12", "13", "14", "21", "22", "23", "24", "31",
                                 "32", "33", "34", "41", "42", "43", "44", "45"};
const char *const grade_names[] = {"I/a",  "I/b",  "I/c",   "I/d",   "II/a",  "II/b",
                                   "II/c", "II/d", "III/a", "III/b", "III/c", "III/d",
                                   "IV/a", "IV/b", "IV/c",  "IV/d",  "IV/e"};

static const char *const course_technical_list[] = {
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
const struct names course_technical = NAMES_OF(course_technical_list);
static const char *const course_seminar_list[] = {
    "Reformasi Birokrasi dan Zona Integritas", "Transformasi Digital Pemerintah Daerah",
    "Pencegahan Korupsi di Lingkungan Pemda",  "Kesehatan Mental di Tempat Kerja",
    "Penguatan Budaya Kerja BerAKHLAK",        "Smart Province Kalimantan Selatan",
};
const struct names course_seminar = NAMES_OF(course_seminar_list);
static const char *const course_edu_list[] = {
    "Implementasi Kurikulum Merdeka",
    "Asesmen Diagnostik",
    "Pembelajaran Berdiferensiasi",
    "Penulisan Karya Tulis Ilmiah Guru",
};
const struct names course_edu = NAMES_OF(course_edu_list);
static const char *const course_health_list[] = {
    "Basic Life Support",          "Pencegahan dan Pengendalian Infeksi",
    "Penanganan Kegawatdaruratan", "Manajemen Nyeri",
    "Keselamatan Pasien",
};
const struct names course_health = NAMES_OF(course_health_list);

const struct course_kind_info course_kinds[CK_UNKNOWN + 1] = {
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
