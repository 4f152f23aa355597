# `ipasnd report` over a small instansi (tests/fixtures/report): every
# number of every section, in JSON, CSV and table, against what the test
# computes from the fixture files itself (tests/fixtures/report/expect.sh);
# ties in the ranking, an OPD without in-scope employees, another instansi
# in the same database, the configured target over the stored one, the
# cut-off countdown, and the report views a BI tool reads.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/fixtures/report/load.sh"
. "$top_srcdir/tests/fixtures/report/expect.sh"

pg_start
write_config "$T_TMP/ipasnd.conf" 'index: { period = 2025; as_of = "2025-12-23"; target = 81.0; };'
report() { "$IPASND" -c "$T_TMP/ipasnd.conf" report "$@"; }

# Before the schema holds the report's views, the report says what to do.
expect_exit 75 report
expect_grep "run 'ipasnd migrate'" "$T_TMP/out"
ok "an empty database: exit 75, run ipasnd migrate"

expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
report_fixture_load
E=$T_TMP/exp
report_expect 2025 2025-12-23 "$E"

# The expectations themselves rest on numbers worked out by hand: the tie
# of opd-c and opd-d at 76.50, and opd-d's technical gain 37.5 / 4 = 9.375,
# which rounds half up to 9.38.
expect_eq "hand check: the tie" "$(cut -d'|' -f1,2,9 "$E/opd" | sed -n 2,3p | tr '\n' ' ')" \
	"2|opd-c|7650 2|opd-d|7650 "
expect_eq "hand check: half up" "$(grep '^2|opd-d|' "$E/opd" | cut -d'|' -f15)" "938:8588"

# Days to the cut-off: 2025-12-23 against today's date, here in shell.
today=$(date +%F)
days=$((($(date -u -d 2025-12-23 +%s) - $(date -u -d "$today" +%s)) / 86400))

# ---- JSON -------------------------------------------------------------------
report --format json >"$T_TMP/json" || fail "report --format json"
jq -e . "$T_TMP/json" >/dev/null || fail "the JSON report does not parse"
expect_eq "JSON: exactly one document" "$(jq -s length "$T_TMP/json")" 1
expect_eq "JSON: the top-level keys" "$(jq -c keys_unsorted "$T_TMP/json")" \
	'["period","as_of","instansi","opd","gaps","issues"]'
expect_eq "JSON: period and as_of" "$(jq -r '"\(.period) \(.as_of)"' "$T_TMP/json")" \
	"2025 2025-12-23"

# shellcheck disable=SC2016 # $gk is jq's, not the shell's
J='def h: . * 100 | round;
   def hn: if . == null then "null" else h end;
   ["leadership","functional","technical_20jp","seminar","skp_missing","skp_predikat",
    "education"] as $gk'

got=$(jq -r "$J"' | .instansi | "\(.total|h)|\(.category)|\(.employees)|\(.previous|hn)|\(.change|hn)|\(.gap_to_target|h)",
	(.coverage | to_entries[] | "\(.key)|\(.value.employees)|\(.value.percent|h)")' "$T_TMP/json")
expect_eq "JSON: instansi value, category, employees, previous, change, gap, coverage" \
	"$got" "$(cat "$E/inst")"
expect_eq "JSON: target is the configuration's 81.0, not the stored 80.00" \
	"$(jq .instansi.target "$T_TMP/json")" "81"
expect_eq "JSON: days to the cut-off" "$(jq .instansi.days_to_cutoff "$T_TMP/json")" "$days"
expect_eq "JSON: instansi keys" "$(jq -c '.instansi | keys_unsorted' "$T_TMP/json")" \
	'["total","category","employees","target","previous","change","gap_to_target","days_to_cutoff","coverage","change_7d","change_30d","pace","trend"]'
expect_eq "JSON: no daily history in the fixture" \
	"$(jq -c '.instansi | [.change_7d, .change_30d, .pace, .trend]' "$T_TMP/json")" \
	'[null,null,{"days":0,"enough":false,"per_day":null,"projected":null,"reaches_target":null},[]]'

got=$(jq -r "$J"' | .opd[] | . as $o |
	"\(.rank)|\(.opd_id)|\(.opd_name)|\(.employees)|\(.qualification|h)|\(.competency|h)|\(.performance|h)|\(.discipline|h)|\(.total|h)|\(.category)|\(.below_target)|\(.weakest)|" +
	([$gk[] | "\($o.gains[.].gain|h):\($o.gains[.].total|h)"] | join("|"))' "$T_TMP/json")
expect_eq "JSON: the OPD ranking with ties, weakest dimensions and gains" "$got" "$(cat "$E/opd")"
expect_eq "JSON: tied OPDs share rank 2, the next is 4" \
	"$(jq -c '[.opd[].rank]' "$T_TMP/json")" "[1,2,2,4,5]"
expect_eq "JSON: the OPD without in-scope employees is not ranked" \
	"$(jq '[.opd[] | select(.opd_id == "opd-e")] | length' "$T_TMP/json")" 0
expect_eq "JSON: nothing of the other instansi" \
	"$(jq '[.opd[] | select(.opd_id == "opd-x")] | length' "$T_TMP/json")" 0

got=$(jq -r "$J"' | .gaps[] | "\(.indicator)|\(.employees)|\(.gain|h)"' "$T_TMP/json")
expect_eq "JSON: gaps per indicator" "$got" "$(cat "$E/gaps")"

got=$(jq -r '.issues[] | "\(.code)|\(.open)|" + ([.by_opd[] | "\(.opd_id // "null"):\(.open)"] | join(","))' \
	"$T_TMP/json")
expect_eq "JSON: open issues by code and OPD, worst first (resolved and other instansi left out)" \
	"$got" "$(cat "$E/issues")"

# index.previous overrides the history for the configured period.
write_config "$T_TMP/previous.conf" \
	'index: { period = 2025; as_of = "2025-12-23"; target = 81.0; previous = 75.0; };'
"$IPASND" -c "$T_TMP/previous.conf" report --format json >"$T_TMP/json2" || fail "report with previous"
total=$(cut -d'|' -f1 "$E/inst" | head -1)
expect_eq "JSON: index.previous is the previous value" \
	"$(jq -r '"\(.instansi.previous) \(.instansi.change * 100 | round)"' "$T_TMP/json2")" \
	"75 $((total - 7500))"

# ---- CSV --------------------------------------------------------------------
report --format csv >"$T_TMP/csv" || fail "report --format csv"
expect_eq "CSV: every record ends in CRLF" "$(grep -vc "$(printf '\r')\$" "$T_TMP/csv" || true)" 0
tr -d '\r' <"$T_TMP/csv" >"$T_TMP/csv.lf"
awk -F'|' -v q='"' '
	function num(v) { return sprintf("%d.%02d", int(v / 100), v % 100) }
	function field(s) { if (s ~ /[",]/) { gsub(/"/, q q, s); return q s q } return s }
	BEGIN {
		print "rank,opd_id,opd_name,employees,qualification,competency,performance,discipline," \
		      "total,category,below_target,weakest,gain_leadership,gain_functional," \
		      "gain_technical_20jp,gain_seminar,gain_skp_missing,gain_skp_predikat,gain_education," \
		      "change_7d,change_30d,projected,reaches_target"
	}
	{
		line = $1 "," field($2) "," field($3) "," $4
		for (k = 5; k <= 9; k++) line = line "," num($k)
		line = line "," field($10) "," $11 "," $12
		for (k = 13; k <= 19; k++) { split($k, g, ":"); line = line "," num(g[1]) }
		# no daily history in the fixture: the trend columns are empty
		print line ",,,,"
	}' "$E/opd" >"$T_TMP/csv.want"
diff "$T_TMP/csv.want" "$T_TMP/csv.lf" >&2 || fail "CSV: the OPD table differs"
ok "CSV: header and one row per OPD, numbers with two decimals"
expect_grep '^2,opd-c,"Dinas Kesehatan, Pengendalian Penduduk dan KB",3,' "$T_TMP/csv.lf"
ok "CSV: a name with a comma is quoted"

# ---- table ------------------------------------------------------------------
report >"$T_TMP/table" || fail "report (table)"
expect_width() {
	w=$(LC_ALL=C.UTF-8 wc -L <"$1")
	[ "$w" -le 80 ] || { cat "$1" >&2; fail "$2: a line of $w columns"; }
	if grep -q "$(printf '\t')" "$1"; then fail "$2: a tab in the table"; fi
	ok "$2: no line wider than 80 columns ($w)"
}
expect_width "$T_TMP/table" "table"
expect_line() {
	grep -Fxq -- "$1" "$T_TMP/table" || { cat "$T_TMP/table" >&2; fail "table: no line '$1'"; }
}
# An OPD name in N columns: whole, else the first word and the initials of
# the words not in lower case, else cut with an ellipsis (ASCII names).
abbrev() {
	printf '%s\n' "$1" | awk -v w="$2" '{
		name = $0
		if (length(name) <= w) { printf "%-" w "s", name; exit }
		short = $1 " "
		for (i = 2; i <= NF; i++) if ($i ~ /^[A-Z0-9]/) short = short substr($i, 1, 1)
		if (length(short) <= w) { printf "%-" w "s", short; exit }
		cut = substr(name, 1, w - 1); sub(/ +$/, "", cut)
		printf "%s\342\200\246%" (w - 1 - length(cut)) "s", cut, ""
	}'
}

if [ "$days" -lt 0 ]; then
	expect_line "IP ASN, period 2025, as of 2025-12-23: cut-off passed $((-days)) days ago"
else
	expect_line "IP ASN, period 2025, as of 2025-12-23: cut-off in $days days"
fi
IFS='|' read -r total category employees previous change gap <"$E/inst"
expect_line "$(printf '  %-22s %7s  %s, %s employees' "IP ASN" "$(h2 "$total")" "$category" "$employees")"
expect_line "$(printf '  %-22s %7s  not reached, short by %s' target 81.00 "$(h2 "$gap")")"
expect_line "$(printf '  %-22s %7s  change %s' "previous (2024)" "$(h2 "$previous")" "$(h2 "$change")")"
for d in "qualification (education)" "competency (development)" "performance (SKP)" \
	"discipline (all measured)"; do
	IFS='|' read -r n pct <<EOC
$(grep "^${d%% *}|" "$E/inst" | cut -d'|' -f2,3)
EOC
	expect_line "$(printf '    %-28s %10s %8s' "$d" "$n" "$(h2 "$pct")")"
done
ok "table: instansi value, target, previous with change, coverage"

while IFS='|' read -r rank _ name n q c p d t cat below weak g1 g2 g3 g4 g5 g6 g7; do
	mark=" "
	[ "$below" = true ] && mark="*"
	short=$(printf '%s' "$weak" | cut -c1-4)
	expect_line "$(printf '%4s %s %5s %5s %5s %5s %5s %6s %-13s %s' "$(printf '%3d%s' "$rank" "$mark")" \
		"$(abbrev "$name" 18)" "$n" "$(h2 "$q")" "$(h2 "$c")" "$(h2 "$p")" "$(h2 "$d")" \
		"$(h2 "$t")" "$cat" "$short")"
	[ "$below" = true ] || continue
	k=0
	for g in "$g1" "$g2" "$g3" "$g4" "$g5" "$g6" "$g7"; do
		k=$((k + 1))
		gain=${g%%:*}
		[ "$gain" -gt 0 ] || continue
		kind=$(echo "leadership functional technical_20jp seminar skp_missing skp_predikat education" |
			cut -d' ' -f$k)
		expect_line "$(printf '    %-16s %7s -> %s' "$kind" "+$(h2 "$gain")" "$(h2 "${g#*:}")")"
	done
done <"$E/opd"
ok "table: the ranking (ties share a rank, * below target) and each OPD's gains"
expect_line "  1  Sekretariat Dewan…     1 25.00 40.00 30.00  5.00 100.00 Sangat Tinggi qual"
expect_line "  2* Dinas KPPK             3 11.67 32.50 28.33  4.00  76.50 Sedang        qual"
expect_line "  5* Dinas PUPRP            2 15.00 31.25 15.00  5.00  66.25 Rendah        perf"
ok "table: long OPD names as their initials, or cut with an ellipsis"
if grep -q "Dinas Pariwisata\|Dinas Lain" "$T_TMP/table"; then
	fail "table: an OPD without in-scope employees or of another instansi"
fi
ok "table: no OPD without in-scope employees, nothing of the other instansi"

while IFS='|' read -r kind n gain; do
	[ "$gain" -gt 0 ] && gain="+$(h2 "$gain")" || gain=$(h2 "$gain")
	expect_line "$(printf '  %-18s %10s %8s' "$kind" "$n" "$gain")"
done <"$E/gaps"
ok "table: gaps per indicator"

expect_line "Open data-quality issues: $(awk -F'|' '{ n += $2 } END { print n }' "$E/issues")"
while IFS='|' read -r code n rest; do
	expect_line "$(printf '  %-40s %8s' "$code" "$n")"
done <"$E/issues"
grep -A100 "OPD, worst first" "$T_TMP/table" | tail -n +2 >"$T_TMP/byopd.got"
while IFS='|' read -r _ name n; do
	printf '  %s %8s\n' "$(abbrev "$name" 40)" "$n"
done <"$E/byopd" >"$T_TMP/byopd.want"
diff "$T_TMP/byopd.want" "$T_TMP/byopd.got" >&2 || fail "table: issues by OPD"
ok "table: open issues by code and by OPD, worst first"

# ---- the views a BI tool reads ------------------------------------------------
got=$(psql_val "SELECT opd_id || '|' || employees || '|' || (total * 100)::int || '|' ||
	(gain_leadership * 100)::int || ':' || (total_if_leadership * 100)::int || '|' ||
	(gain_functional * 100)::int || ':' || (total_if_functional * 100)::int || '|' ||
	(gain_technical_20jp * 100)::int || ':' || (total_if_technical_20jp * 100)::int || '|' ||
	(gain_seminar * 100)::int || ':' || (total_if_seminar * 100)::int || '|' ||
	(gain_skp_missing * 100)::int || ':' || (total_if_skp_missing * 100)::int || '|' ||
	(gain_skp_predikat * 100)::int || ':' || (total_if_skp_predikat * 100)::int || '|' ||
	(gain_education * 100)::int || ':' || (total_if_education * 100)::int
	FROM ipasn.v_opd_gain WHERE instansi_id = '' AND period = 2025 ORDER BY opd_id")
want=$(awk -F'|' '{ l = $2 "|" $4 "|" $9; for (k = 13; k <= 19; k++) l = l "|" $k; print l }' \
	"$E/opd" | sort)
expect_eq "v_opd_gain: employees, total and every gain and total if closed" "$got" "$want"
expect_eq "v_employee_gap: one row per active in-scope employee of 2025" \
	"$(psql_val "SELECT count(*) FROM ipasn.v_employee_gap WHERE period = 2025")" \
	"$(head -1 "$E/inst" | cut -d'|' -f3)"
expect_eq "v_employee_gap: competency data from the development records" \
	"$(psql_val "SELECT count(*) FILTER (WHERE has_competency_data) FROM ipasn.v_employee_gap
	             WHERE period = 2025")" "$(grep '^competency|' "$E/inst" | cut -d'|' -f2)"
cols() {
	psql_val "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
	          FROM information_schema.columns WHERE table_schema = 'ipasn' AND table_name = '$1'"
}
expect_eq "v_employee_gap columns" "$(cols v_employee_gap)" \
	"nip,name,opd_id,opd_name,period,total,category,gap_leadership,gap_functional,gap_technical_20jp,gap_seminar,gap_skp_missing,gap_skp_predikat,gap_education,gaps,has_education,has_skp,has_competency_data,instansi_id"

# The report only reads: the schema's data is the same before and after.
# (pg_dump's \restrict lines carry a random key)
dump() { pg_dump --data-only --schema=ipasn --no-owner | grep -v '^\\\(un\)\{0,1\}restrict' >"$1"; }
dump "$T_TMP/before.sql"
report --format json >/dev/null
report --format csv >/dev/null
report --opd opd-d >/dev/null
dump "$T_TMP/after.sql"
grep -q "opd-d" "$T_TMP/before.sql" || fail "pg_dump holds no data"
cmp -s "$T_TMP/before.sql" "$T_TMP/after.sql" || fail "the report changed the database"
ok "the report writes nothing"
