# `ipasnd report --opd ID`, periods without a previous value or without any
# scores, bad options and a database that is gone: against what the test
# computes from tests/fixtures/report itself.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/fixtures/report/load.sh"
. "$top_srcdir/tests/fixtures/report/expect.sh"

pg_start
write_config "$T_TMP/ipasnd.conf" 'index: { period = 2025; as_of = "2025-12-23"; target = 81.0; };'
report() { "$IPASND" -c "$T_TMP/ipasnd.conf" report "$@"; }
expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
report_fixture_load
E=$T_TMP/exp
report_expect 2025 2025-12-23 "$E"

expect_width() {
	w=$(LC_ALL=C.UTF-8 wc -L <"$1")
	[ "$w" -le 80 ] || { cat "$1" >&2; fail "$2: a line of $w columns"; }
	ok "$2: no line wider than 80 columns ($w)"
}

# ---- one OPD's employees ------------------------------------------------------
# shellcheck disable=SC2016 # $gk is jq's, not the shell's
J='def h: . * 100 | round;
   ["leadership","functional","technical_20jp","seminar","skp_missing","skp_predikat",
    "education"] as $gk'
report --opd opd-d --format json >"$T_TMP/json" || fail "report --opd opd-d --format json"
got=$(jq -r "$J"' | .employees[] | . as $e |
	"\(.nip)|\(.name)|\(.total|h)|\(.category)|\(.gaps | join("; "))|" +
	([$gk[] | $e.gains[.] | h] | map(tostring) | join("|"))' "$T_TMP/json")
expect_eq "JSON --opd: employees worst total first, their gaps and gains" "$got" \
	"$(cat "$E/emp.opd-d")"
expect_eq "JSON --opd: the rest of the report is there too" \
	"$(jq -c '[.instansi.employees, (.opd | length), (.gaps | length)]' "$T_TMP/json")" "[14,5,7]"

report --opd opd-d --format csv | tr -d '\r' >"$T_TMP/csv" || fail "report --opd --format csv"
awk -F'|' -v q='"' '
	function num(v) { return sprintf("%d.%02d", int(v / 100), v % 100) }
	function field(s) { if (s ~ /[",]/) { gsub(/"/, q q, s); return q s q } return s }
	BEGIN {
		print "nip,name,opd_id,total,category,gap_leadership,gap_functional," \
		      "gap_technical_20jp,gap_seminar,gap_skp_missing,gap_skp_predikat,gap_education,gaps"
	}
	{
		line = $1 "," field($2) ",opd-d," num($3) "," field($4)
		for (k = 6; k <= 12; k++) line = line "," num($k)
		print line "," field($5)
	}' "$E/emp.opd-d" >"$T_TMP/csv.want"
diff "$T_TMP/csv.want" "$T_TMP/csv" >&2 || fail "CSV --opd differs"
ok "CSV --opd: one row per employee with every gap"

report --opd opd-d >"$T_TMP/table" || fail "report --opd opd-d"
expect_width "$T_TMP/table" "table --opd"
expect_grep "^  Dinas Pendidikan dan Kebudayaan$" "$T_TMP/table"
awk -F'|' '{ print $1 }' "$E/emp.opd-d" >"$T_TMP/nips.want"
grep -o '^  [0-9]\{18\} ' "$T_TMP/table" | tr -d ' ' >"$T_TMP/nips.got"
diff "$T_TMP/nips.want" "$T_TMP/nips.got" >&2 || fail "table --opd: employees out of order"
while IFS='|' read -r nip _ total cat details _; do
	grep -q "^  $nip .* $(h2 "$total") $cat\$" "$T_TMP/table" ||
		{ cat "$T_TMP/table" >&2; fail "table --opd: no row for $nip"; }
	echo "$details" | tr ';' '\n' | sed 's/^ //' | while read -r line; do
		[ -z "$line" ] || grep -Fxq "      $line" "$T_TMP/table" ||
			{ cat "$T_TMP/table" >&2; fail "table --opd: no gap line '$line'"; }
	done
done <"$E/emp.opd-d"
ok "table --opd: every employee, worst total first, with the gaps' details"
expect_grep "^  199112122016121012 Prof. Dr. Raden Ajeng Siti Nurha…  75.50 Sedang$" "$T_TMP/table"
expect_grep "^  199011112015111011 Ni Putu Ayu Déwi  *82.50 Tinggi$" "$T_TMP/table"
ok "table --opd: long names cut, UTF-8 kept whole"

# An OPD whose employees are all out of scope or inactive, and one that
# does not exist: said plainly, exit 0.
for id in opd-e opd-none; do
	expect_exit 0 report --opd "$id"
	expect_grep "^OPD $id has no in-scope employees scored for 2025.$" "$T_TMP/out"
	report --opd "$id" --format json >"$T_TMP/json" || fail "report --opd $id --format json"
	expect_eq "JSON --opd $id: no employees" "$(jq -c .employees "$T_TMP/json")" "[]"
done

# ---- a period with no previous value -----------------------------------------
report_expect 2024 2024-12-31 "$T_TMP/exp24"
report --period 2024 --format json >"$T_TMP/json" || fail "report --period 2024"
expect_eq "JSON 2024: previous and change are null" \
	"$(jq -c '[.instansi.previous, .instansi.change]' "$T_TMP/json")" "[null,null]"
expect_eq "JSON 2024: value and coverage" \
	"$(jq -r '.instansi | "\(.total * 100 | round)|\(.coverage.competency.employees)"' "$T_TMP/json")" \
	"$(head -1 "$T_TMP/exp24/inst" | cut -d'|' -f1)|$(grep '^competency|' "$T_TMP/exp24/inst" | cut -d'|' -f2)"
expect_eq "JSON 2024: as of 31 December" "$(jq -r .as_of "$T_TMP/json")" "2024-12-31"
report --period 2024 >"$T_TMP/table" || fail "report --period 2024 (table)"
expect_grep "^  previous (2023)  *none$" "$T_TMP/table"
if grep -q "change" "$T_TMP/table"; then fail "table 2024: a change without a previous value"; fi
ok "table 2024: no previous value, no change"
expect_width "$T_TMP/table" "table 2024"

# ---- a period without scores ----------------------------------------------------
expect_exit 0 report --period 2023
expect_grep "^No IP ASN scores for period 2023 in the database yet.$" "$T_TMP/out"
expect_width "$T_TMP/out" "table 2023"
report --period 2023 --format json >"$T_TMP/json" || fail "report --period 2023 --format json"
expect_eq "JSON 2023: an empty document" "$(jq -c . "$T_TMP/json")" \
	'{"period":2023,"as_of":"2023-12-31","instansi":null,"opd":[],"gaps":[],"issues":[]}'
report --period 2023 --format csv | tr -d '\r' >"$T_TMP/csv" || fail "report --period 2023 --format csv"
expect_eq "CSV 2023: the header alone" "$(wc -l <"$T_TMP/csv" | tr -d ' ')" 1
expect_grep "^rank,opd_id,opd_name," "$T_TMP/csv"

# ---- bad options ------------------------------------------------------------------
for args in "--format xml" "--period abc" "--period 99999" "--period" "--opd" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	expect_exit 64 report $args
	ok "report $args: exit 64"
done
expect_exit 0 report --help
expect_grep "usage: ipasnd report" "$T_TMP/out"
# An OPD id is UTF-8 of up to 4,096 bytes, as records store it.
expect_exit 64 report --opd "$(printf 'Dinas\377\376')"
expect_grep "needs an OPD id: UTF-8 text of 1 to 4096 bytes" "$T_TMP/out"
long=$(head -c 4096 /dev/zero | tr '\0' 'x')
expect_exit 0 report --opd "$long"
expect_grep "has no in-scope employees" "$T_TMP/out"
expect_exit 64 report --opd "${long}x"
ok "report --opd: invalid UTF-8 exits 64, an id of 4,096 bytes is taken, one more is not"

# ---- no database --------------------------------------------------------------------
pg_stop
expect_exit 75 report
expect_grep "cannot connect to PostgreSQL" "$T_TMP/out"
ok "no database: exit 75 with the reason"
