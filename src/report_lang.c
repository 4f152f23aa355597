/* The report's words in English and in Bahasa Indonesia (report.language).
 * The regulation's terms are the official Indonesian ones in both where
 * the regulation names them: the categories always, the dimensions in
 * Indonesian. */
#include "autoconfig.h"

#include "report_int.h"

/* [word][language] */
static const char *const words[W_COUNT][2] = {
    [W_TITLE] = {"IP ASN report", "Laporan IP ASN"},
    [W_PERIOD] = {"period", "periode"},
    [W_AS_OF] = {"as of", "per"},
    [W_CUTOFF_IN] = {"cut-off in", "batas data dalam"},
    [W_CUTOFF_TODAY] = {"cut-off today", "batas data hari ini"},
    [W_CUTOFF_PASSED] = {"cut-off passed", "batas data lewat"},
    [W_DAYS] = {"days", "hari"},
    [W_INSTANSI] = {"Instansi", "Instansi"},
    [W_EMPLOYEES] = {"employees", "pegawai"},
    [W_TARGET] = {"target", "target"},
    [W_REACHED] = {"reached, above by", "tercapai, lebih"},
    [W_NOT_REACHED] = {"not reached, short by", "belum tercapai, kurang"},
    [W_PREVIOUS] = {"previous", "tahun lalu"},
    [W_CHANGE] = {"change", "perubahan"},
    [W_CHANGE_7D] = {"7 days", "7 hari"},
    [W_CHANGE_30D] = {"30 days", "30 hari"},
    [W_NO_HISTORY] = {"no history", "belum ada riwayat"},
    [W_PACE] = {"pace", "laju"},
    [W_PACE_PER_DAY] = {"per day", "per hari"},
    [W_PROJECTED] = {"at the cut-off", "pada batas data"},
    [W_ON_PACE] = {"target reached at this pace", "target tercapai dengan laju ini"},
    [W_OFF_PACE] = {"target not reached at this pace", "target tidak tercapai dengan laju ini"},
    [W_NOT_ENOUGH] = {"not enough history", "riwayat belum cukup"},
    [W_COVERAGE] = {"data coverage", "kelengkapan data"},
    [W_RANKING] = {"OPD ranking", "Peringkat OPD"},
    [W_RANK] = {"Rank", "Peringkat"},
    [W_OPD] = {"OPD", "OPD"},
    [W_TOTAL] = {"Total", "Nilai"},
    [W_CATEGORY] = {"Category", "Kategori"},
    [W_WEAKEST] = {"weakest", "terlemah"},
    [W_BELOW] = {"OPDs below target", "OPD di bawah target"},
    [W_BELOW_NONE] = {"Every OPD has reached the target.", "Semua OPD telah mencapai target."},
    [W_GAINS_IF] = {"What would lift each OPD below target, if all its employees closed one gap",
                    "Kenaikan tiap OPD di bawah target bila semua pegawainya menutup satu "
                    "kekurangan"},
    [W_LIFT] = {"What lifts the instansi most", "Yang paling menaikkan nilai instansi"},
    [W_INDICATOR] = {"indicator", "indikator"},
    [W_GAIN] = {"gain", "kenaikan"},
    [W_QUALITY] = {"Data quality", "Kualitas data"},
    [W_OPEN_ISSUES] = {"Open data-quality issues", "Masalah data terbuka"},
    [W_CODE] = {"code", "kode"},
    [W_NO_ISSUES] = {"No open data-quality issue.", "Tidak ada masalah data terbuka."},
    [W_WORST_FIRST] = {"Employees, worst total first", "Pegawai, nilai terendah lebih dulu"},
    [W_NAME] = {"Name", "Nama"},
    [W_NEEDS] = {"What each needs", "Yang dibutuhkan"},
    [W_TREND] = {"Daily trend", "Tren harian"},
    [W_CUTOFF] = {"cut-off", "batas data"},
    [W_LEADERS] = {"the leading three", "tiga teratas"},
    [W_NO_SCORES] = {"No IP ASN scores for this period in the database yet.",
                     "Belum ada nilai IP ASN periode ini di basis data."},
    [W_NO_OPD] = {"no OPD has in-scope employees", "tidak ada OPD dengan pegawai terukur"},
    [W_MAX] = {"of", "dari"},
    [W_NO_OPD_NAME] = {"(no OPD)", "(tanpa OPD)"},
    [W_OFFICIAL] = {"Against BKN's values", "Dibandingkan dengan nilai BKN"},
    [W_OFFICIAL_OVER] = {"employees with both values", "pegawai dengan kedua nilai"},
    [W_AGREE] = {"agree", "sesuai"},
    [W_DIFFERENCE] = {"difference", "selisih"},
    [W_EXPLAINED_BY] = {"explained most by", "terutama karena"},
};

const char *report_word(const struct report *rep, enum report_word w)
{
    int l = rep->cfg->report.language == REPORT_LANG_ID;

    return (unsigned)w < W_COUNT && words[w][l] ? words[w][l] : "";
}

const char *report_dimension_label(const struct report *rep, int d)
{
    static const char *const names[DIM_COUNT][2] = {{"Qualification", "Kualifikasi"},
                                                    {"Competency", "Kompetensi"},
                                                    {"Performance", "Kinerja"},
                                                    {"Discipline", "Disiplin"}};

    return d >= 0 && d < DIM_COUNT ? names[d][rep->cfg->report.language == REPORT_LANG_ID] : "";
}

const char *report_gap_label(const struct report *rep, int gap)
{
    static const char *const names[GAP_COUNT][2] = {
        [GAP_LEADERSHIP] = {"leadership training", "pelatihan kepemimpinan"},
        [GAP_FUNCTIONAL] = {"functional training", "pelatihan fungsional"},
        [GAP_TECHNICAL] = {"20 JP technical training", "pelatihan teknis 20 JP"},
        [GAP_SEMINAR] = {"seminar or workshop", "seminar/workshop"},
        [GAP_SKP_MISSING] = {"SKP entered", "SKP diisi"},
        [GAP_SKP_PREDIKAT] = {"SKP Sangat Baik", "SKP Sangat Baik"},
        [GAP_EDUCATION] = {"education recorded", "riwayat pendidikan diisi"},
    };

    return gap >= 0 && gap < GAP_COUNT ? names[gap][rep->cfg->report.language == REPORT_LANG_ID]
                                       : "";
}
