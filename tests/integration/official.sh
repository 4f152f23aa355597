# BKN's official values, end to end: the simulator's workforce with
# official values made under altered rules (S-1 = 20, Baik = 20, a
# sanction ringan = 4), served in the listing's ipAsn and written as BKN's
# export; import-official of that file as BKN writes it (Windows-1252,
# decimal comma) with one bad line; calibrate suggests exactly the altered
# settings; with them pasted into the configuration and a recompute,
# kualifikasi, kinerja and disiplin agree for everyone; and the report's
# section agrees with numbers this test computes itself, from the file
# loaded by psql and the public view of ipasnd's scores.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
cat >"$T_TMP/bkn-rules.conf" <<'EOR'
qualification: { s1_d4 = 20.0; };
performance: { baik = 20.0; };
discipline: { ringan = 4.0; };
EOR
sim_start --employees 4000 --seed 19 --today 2025-12-01 \
	--official-rules "$T_TMP/bkn-rules.conf" --write-official "$T_TMP/bkn.csv"
write_config "$T_TMP/ipasnd.conf" 'index: { period = 2025; };'
C=$T_TMP/ipasnd.conf
expect_exit 0 "$IPASND" -c "$C" sync

# ---- the listing's ipAsn ------------------------------------------------------
rows=$(($(wc -l <"$T_TMP/bkn.csv") - 1))
[ "$rows" -gt 3000 ] || fail "the simulator wrote $rows official values"
expect_eq "the listing's values are stored as the listing's" \
	"$(psql_val "SELECT source || ' ' || year || ' ' || count(*) FROM ipasn.official_ipasn GROUP BY source, year")" \
	"listing 2025 $rows"
expect_eq "an ipasn_mismatch names the dimension, both values" \
	"$(psql_val "SELECT count(*) > 0 FROM ipasn.v_open_issue WHERE code = 'ipasn_mismatch'
	             AND detail LIKE '%: kualifikasi 20 at BKN, 15 here%'")" t
expect_eq "an ipasn_mismatch where only kinerja differs names only kinerja" \
	"$(psql_val "SELECT count(*) > 0 FROM ipasn.v_open_issue WHERE code = 'ipasn_mismatch'
	             AND detail LIKE '%): kinerja 20 at BKN, 25 here'")" t
ok "the listing's ipAsn: stored with its source, mismatches named per dimension"

# ---- BKN's file, as BKN writes it ---------------------------------------------
# A name in Windows-1252 with the separator in it (so quoted), and after it
# a row whose NIP has 17 digits: line 4.
F=$T_TMP/export.csv
{
	sed -n 1p "$T_TMP/bkn.csv"
	sed -n 2p "$T_TMP/bkn.csv" | awk -F';' -v OFS=';' '{ $2 = "\"Andr\351 Siregar; S.E.\""; print }'
	sed -n 3p "$T_TMP/bkn.csv"
	printf '19800101200501100;Salah Satu;20,0;15,0;20,0;5,0;60,0;2025;01-12-2025\r\n'
	sed -n '4,$p' "$T_TMP/bkn.csv"
} >"$F"
if iconv -f UTF-8 -t UTF-8 "$F" >/dev/null 2>&1; then fail "the export is valid UTF-8"; fi
grep -q ';20,0;' "$F" || fail "the export has no decimal comma"
expect_exit 0 "$IPASND" -c "$C" import-official "$F"
expect_grep "$F:4: NIP \"19800101200501100\": not 18 digits" "$T_TMP/out"
expect_eq "one row skipped, none other" "$(grep -c 'row skipped' "$T_TMP/out")" 1

# The same file, loaded by psql itself: what BKN says, to check against.
iconv -f WINDOWS-1252 -t UTF-8 "$F" | tr -d '\r' | grep -v '^19800101200501100;' >"$T_TMP/bkn-utf8.csv"
psql -X -q -v ON_ERROR_STOP=1 <<EOS || fail "loading the file with psql"
CREATE TABLE public.bkn (nip text, nama text, q text, c text, p text, d text, t text,
                         tahun int, updated text);
\copy public.bkn FROM '$T_TMP/bkn-utf8.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
CREATE VIEW public.bkn_value AS
SELECT nip, replace(q, ',', '.')::numeric AS q, replace(c, ',', '.')::numeric AS c,
       replace(p, ',', '.')::numeric AS p, replace(d, ',', '.')::numeric AS d,
       replace(t, ',', '.')::numeric AS t, tahun, to_date(updated, 'DD-MM-YYYY') AS updated
  FROM public.bkn;
EOS
matched=$(psql_val "SELECT count(*) FROM public.bkn b JOIN ipasn.employee e
                    ON e.nip = b.nip AND e.active")
expect_grep "loaded $rows, skipped 1, matched $matched employees ipasnd knows ($rows new, 0 changed, 0 unchanged)" \
	"$T_TMP/out"
expect_eq "the name with its é and its separator came through the quotes" \
	"$(psql_val "SELECT nama FROM public.bkn WHERE nama LIKE 'Andr%'")" "André Siregar; S.E."
expect_eq "every good row stored as the file gives it, no name kept" \
	"$(psql_val "SELECT count(*) FROM public.bkn_value b JOIN ipasn.official_ipasn o
	             ON o.nip = b.nip AND o.year = b.tahun AND o.source = 'import'
	             AND (o.qualification, o.competency, o.performance, o.discipline, o.total,
	                  o.bkn_updated) = (b.q, b.c, b.p, b.d, b.t, b.updated)")" "$rows"
expect_eq "the table holds no name" \
	"$(psql_val "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ipasn'
	             AND table_name = 'official_ipasn' AND column_name LIKE '%nam%'")" 0
ok "import-official: Windows-1252, decimal comma, quoted field, the bad line by number"

snap() { psql_val "SELECT md5(string_agg(t::text, '|' ORDER BY nip, year, source)) FROM ipasn.official_ipasn t"; }
before=$(snap)
expect_exit 0 "$IPASND" -c "$C" import-official "$F"
expect_grep "(0 new, 0 changed, $rows unchanged)" "$T_TMP/out"
expect_eq "a second import changes nothing, not even when" "$(snap)" "$before"
ok "importing the same file again changes nothing"

# ---- the report's section against numbers computed here ---------------------
# ipasnd's scores from its public view, BKN's from the file as psql read it.
psql -X -q -v ON_ERROR_STOP=1 <<'EOS' || fail "the test's own numbers"
CREATE VIEW public.both AS
SELECT s.nip, s.opd_id, x.dim, x.ord, x.mine, x.bkn
  FROM ipasn.v_employee_score s JOIN public.bkn_value b ON b.nip = s.nip AND b.tahun = s.period
 CROSS JOIN LATERAL (VALUES ('kualifikasi', 1, s.qualification, b.q),
                            ('kompetensi', 2, s.competency, b.c),
                            ('kinerja', 3, s.performance, b.p),
                            ('disiplin', 4, s.discipline, b.d),
                            ('total', 5, s.total, b.t)) x (dim, ord, mine, bkn)
 WHERE s.period = 2025;
CREATE VIEW public.per_dim AS
SELECT dim, ord, count(*) AS n, count(*) FILTER (WHERE abs(bkn - mine) <= 0.5) AS agree,
       round(avg(bkn), 2) AS bkn, round(avg(mine), 2) AS mine,
       round(avg(bkn), 2) - round(avg(mine), 2) AS diff
  FROM public.both GROUP BY dim, ord;
CREATE VIEW public.per_opd AS
SELECT opd_id, dim, ord, count(*) AS n, round(avg(bkn), 2) AS bkn, round(avg(mine), 2) AS mine,
       round(avg(bkn), 2) - round(avg(mine), 2) AS diff
  FROM public.both WHERE opd_id IS NOT NULL GROUP BY opd_id, dim, ord;
EOS
"$IPASND" -c "$C" report --format json >"$T_TMP/report.json" || fail "report --format json"
h='def h: . * 100 | round;'
expect_eq "instansi: employees, BKN's value and ipasnd's" \
	"$(jq -r "$h"' .official.instansi | "\(.employees) \(.bkn|h) \(.ipasnd|h)"' "$T_TMP/report.json")" \
	"$(psql_val "SELECT n || ' ' || (bkn * 100)::int || ' ' || (mine * 100)::int FROM public.per_dim WHERE dim = 'total'")"
expect_eq "per dimension: employees, agreeing, BKN, ipasnd, mean difference" \
	"$(jq -r "$h"' .official.dimensions | to_entries[] | "\(.key) \(.value.employees) \(.value.agree) \(.value.bkn|h) \(.value.ipasnd|h) \(.value.mean_difference|h)"' "$T_TMP/report.json")" \
	"$(psql_val "SELECT dim || ' ' || n || ' ' || agree || ' ' || (bkn * 100)::int || ' ' || (mine * 100)::int
	             || ' ' || (diff * 100)::int FROM public.per_dim ORDER BY ord")"
expect_eq "per OPD: employees, BKN, ipasnd, difference, the dimension explaining most" \
	"$(jq -r "$h"' .official.opd | sort_by(.opd_id)[] | "\(.opd_id) \(.employees) \(.bkn|h) \(.ipasnd|h) \(.difference|h) \(.explained_by)"' "$T_TMP/report.json")" \
	"$(psql_val "SELECT t.opd_id || ' ' || t.n || ' ' || (t.bkn * 100)::int || ' ' || (t.mine * 100)::int
	             || ' ' || (t.diff * 100)::int || ' ' || x.dim
	             FROM public.per_opd t JOIN (SELECT DISTINCT ON (opd_id) opd_id, dim FROM public.per_opd
	                                         WHERE ord < 5 ORDER BY opd_id, abs(diff) DESC, ord) x
	             ON x.opd_id = t.opd_id WHERE t.dim = 'total' ORDER BY t.opd_id COLLATE \"C\"")"
agree_q=$(jq .official.dimensions.kualifikasi.agree "$T_TMP/report.json")
[ "$agree_q" -lt "$matched" ] || fail "the altered rules left kualifikasi agreeing everywhere"
expect_exit 0 "$IPASND" -c "$C" report --format csv
expect_eq "CSV: the section's instansi row" \
	"$(grep '^bkn_instansi,' "$T_TMP/out" | tr -d '\r' | cut -d, -f4,7,8)" \
	"$(psql_val "SELECT n || ',' || bkn || ',' || mine FROM public.per_dim WHERE dim = 'total'")"
expect_eq "CSV: one row per OPD" "$(grep -c '^bkn_opd,' "$T_TMP/out")" \
	"$(psql_val "SELECT count(*) FROM public.per_opd WHERE dim = 'total'")"
expect_exit 0 "$IPASND" -c "$C" report
expect_grep "Against BKN's values ($matched employees with both)" "$T_TMP/out"
ok "the report's section agrees with the numbers computed here, in JSON, CSV and table"

# ---- calibrate ----------------------------------------------------------------
"$IPASND" -c "$C" calibrate --format json >"$T_TMP/cal.json" || fail "calibrate --format json"
expect_eq "calibrate suggests exactly the altered settings" \
	"$(jq -c '[.suggestions[] | {key, value}] | sort_by(.key)' "$T_TMP/cal.json")" \
	'[{"key":"index.rules.discipline.ringan","value":4},{"key":"index.rules.performance.baik","value":20},{"key":"index.rules.qualification.s1_d4","value":20}]'
expect_eq "each with its share and a cell of at least 30" \
	"$(jq -c '[.suggestions[] | .share == 1 and .employees >= 30] | unique' "$T_TMP/cal.json")" '[true]'
expect_eq "S-1's employees are those the file and the scores say" \
	"$(jq '.suggestions[] | select(.key | endswith("s1_d4")) | .employees' "$T_TMP/cal.json")" \
	"$(psql_val "SELECT count(*) FROM public.both WHERE dim = 'kualifikasi' AND mine = 15")"
expect_eq "agreement now, from the same employees as the report" \
	"$(jq -r '.dimensions[] | "\(.dimension) \(.agreement * 10000 | round)"' "$T_TMP/cal.json")" \
	"$(psql_val "SELECT dim || ' ' || round(agree * 10000.0 / n) FROM public.per_dim ORDER BY ord")"
expect_eq "and after the suggestions: all of them" \
	"$(jq -c '[.dimensions[] | .agreement_after] | unique' "$T_TMP/cal.json")" '[1]'
"$IPASND" -c "$C" calibrate >"$T_TMP/cal.txt" || fail "calibrate"
expect_grep "  qualification: { s1_d4 = 20.0; };  # BKN 20 for 100.0% of" "$T_TMP/cal.txt"
ok "calibrate: exactly the three altered settings, ready to paste"

# ---- pasted, recomputed --------------------------------------------------------
# The lines as calibrate prints them, comments and all.
grep -E '^  [a-z_]+: \{ ' "$T_TMP/cal.txt" | sed 's/^  //' >"$T_TMP/pasted"
expect_eq "three lines to paste" "$(wc -l <"$T_TMP/pasted")" 3
write_config "$T_TMP/tuned.conf" "index: { period = 2025; rules: {
$(cat "$T_TMP/pasted")
}; };"
expect_exit 0 "$IPASND" -c "$T_TMP/tuned.conf" check-config
expect_exit 0 "$IPASND" -c "$T_TMP/tuned.conf" recompute
expect_eq "kualifikasi, kinerja and disiplin agree for every employee" \
	"$(psql_val "SELECT string_agg(dim || ' ' || agree || '/' || n, ', ' ORDER BY ord) FROM public.per_dim
	             WHERE dim IN ('kualifikasi', 'kinerja', 'disiplin')")" \
	"kualifikasi $matched/$matched, kinerja $matched/$matched, disiplin $matched/$matched"
expect_eq "exactly, not only within the tolerance" \
	"$(psql_val "SELECT count(*) FROM public.both WHERE dim IN ('kualifikasi', 'kinerja', 'disiplin')
	             AND mine <> bkn")" 0
"$IPASND" -c "$T_TMP/tuned.conf" calibrate --format json >"$T_TMP/cal2.json" || fail "calibrate"
expect_eq "calibrate then suggests nothing" "$(jq -c .suggestions "$T_TMP/cal2.json")" '[]'
"$IPASND" -c "$T_TMP/tuned.conf" report --format json >"$T_TMP/report2.json" || fail "report"
expect_eq "the report then agrees: 100% per dimension" \
	"$(jq -c '[.official.dimensions[] | .share] | unique' "$T_TMP/report2.json")" '[1]'
ok "the pasted settings and a recompute: 100% agreement"

# ---- usage and bad input --------------------------------------------------------
expect_exit 64 "$IPASND" -c "$C" import-official
expect_exit 64 "$IPASND" -c "$C" calibrate --format yaml
printf 'NIP;NAMA;TOTAL\r\n198001012005011001;X;5\r\n' >"$T_TMP/short.csv"
expect_exit 65 "$IPASND" -c "$C" import-official "$T_TMP/short.csv"
expect_grep "short.csv:1: no column kualifikasi" "$T_TMP/out"
expect_exit 65 "$IPASND" -c "$C" import-official "$T_TMP/missing.csv"
ok "usage errors exit 64; a file that is no export exits 65, nothing loaded"

# A period without official values: calibrate says so, the report has no
# section for it.
expect_exit 0 "$IPASND" -c "$C" calibrate --period 2024
expect_grep "No employee in scope has an official value for 2024" "$T_TMP/out"
"$IPASND" -c "$C" calibrate --period 2024 --format json >"$T_TMP/cal3.json" || fail "calibrate"
expect_eq "JSON: no employees, no suggestions" \
	"$(jq -c '[.employees, .suggestions]' "$T_TMP/cal3.json")" '[0,[]]'
"$IPASND" -c "$C" report --period 2024 --format json >"$T_TMP/report3.json" || fail "report"
expect_eq "the report of another period has no section against BKN" \
	"$(jq 'has("official")' "$T_TMP/report3.json")" false
ok "a period without official values"

# ---- what no setting gives ------------------------------------------------------
# BKN caps kompetensi at 35: no single setting of a cell with several
# indicators gives that, and calibrate says so rather than suggest one.
sim_stop
cat "$T_TMP/bkn-rules.conf" - >"$T_TMP/bkn-rules2.conf" <<'EOR'
competency_max = 35.0;
EOR
sim_start --employees 4000 --seed 19 --today 2025-12-01 \
	--official-rules "$T_TMP/bkn-rules2.conf" --write-official "$T_TMP/bkn2.csv"
capped=$(awk -F';' 'NR > 1 && $4 == "35,0"' "$T_TMP/bkn2.csv" | wc -l)
[ "$capped" -gt 30 ] || fail "only $capped employees at the cap"
expect_exit 0 "$IPASND" -c "$T_TMP/tuned.conf" import-official "$T_TMP/bkn2.csv"
expect_grep "(0 new, $capped changed, $((rows - capped)) unchanged)" "$T_TMP/out"
"$IPASND" -c "$T_TMP/tuned.conf" calibrate --format json >"$T_TMP/cal4.json" || fail "calibrate"
expect_eq "no setting suggested for the cap" "$(jq -c .suggestions "$T_TMP/cal4.json")" '[]'
expect_eq "the kompetensi cells no setting gives: those earning 40 here" \
	"$(jq -r '.dimensions[] | select(.dimension == "kompetensi") | .cells_no_setting_gives | sort | join(",")' "$T_TMP/cal4.json")" \
	"$(jq -r '[.dimensions[] | select(.dimension == "kompetensi") | .cells[]
	           | select(.employees >= 30 and .ipasnd == 40)] | map(.cell) | sort | join(",")' "$T_TMP/cal4.json")"
expect_eq "the other dimensions have none" \
	"$(jq -c '[.dimensions[] | select(.dimension != "kompetensi" and .dimension != "total") | .cells_no_setting_gives | length] | unique' "$T_TMP/cal4.json")" '[0]'
"$IPASND" -c "$T_TMP/tuned.conf" calibrate >"$T_TMP/cal4.txt" || fail "calibrate"
expect_grep "^kompetensi: no single setting gives BKN's value for" "$T_TMP/cal4.txt"
expect_grep "^  fungsional: functional + technical + seminar: BKN 35.00 for 100.0%, ipasnd 40.00" "$T_TMP/cal4.txt"
ok "a value no single setting gives is named, not suggested"
