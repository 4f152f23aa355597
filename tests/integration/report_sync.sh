# The report and status after a real sync of the simulator's workforce: the
# report prints what the public views hold (the aggregates the sync
# stored), and its gains and coverage match the test's own SQL over the
# stored scores and histories; the table of real OPD names stays within 80
# columns; status calls the fresh sync healthy.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
sim_start --defect-rate 0.02 --employees 2000 --seed 7
write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

expect_exit 0 "$IPASND" -c "$C" sync
period=$(psql_val "SELECT max(period) FROM ipasn.v_instansi_score")
[ -n "$period" ] || fail "the sync stored no instansi value"
"$IPASND" -c "$C" report --period "$period" --format json >"$T_TMP/json" || fail "report --format json"

# shellcheck disable=SC2016 # $gk is jq's, not the shell's
J='def h: . * 100 | round;
   ["leadership","functional","technical_20jp","seminar","skp_missing","skp_predikat",
    "education"] as $gk'

# Instansi and OPDs: what the public views hold.
expect_eq "instansi: value, category, employees as in v_instansi_score" \
	"$(jq -r "$J"' | .instansi | "\(.total|h)|\(.category)|\(.employees)"' "$T_TMP/json")" \
	"$(psql_val "SELECT (total * 100)::int || '|' || category || '|' || employees
	             FROM ipasn.v_instansi_score WHERE period = $period")"
jq -r "$J"' | .opd[] | "\(.rank)|\(.opd_id)|\(.employees)|\(.qualification|h)|\(.competency|h)|\(.performance|h)|\(.discipline|h)|\(.total|h)|\(.category)|\(.below_target)"' \
	"$T_TMP/json" >"$T_TMP/opd.got"
psql_val "SELECT rank || '|' || opd_id || '|' || employees || '|' || (qualification * 100)::int
	|| '|' || (competency * 100)::int || '|' || (performance * 100)::int || '|'
	|| (discipline * 100)::int || '|' || (total * 100)::int || '|' || category || '|'
	|| (total < 81.0) FROM ipasn.v_opd_score WHERE period = $period ORDER BY rank, total DESC, opd_id" |
	sed 's/|t$/|true/; s/|f$/|false/' >"$T_TMP/opd.want"
[ "$(wc -l <"$T_TMP/opd.want")" -gt 3 ] || fail "too few OPDs"
diff "$T_TMP/opd.want" "$T_TMP/opd.got" >&2 || fail "the ranking differs from v_opd_score"
ok "the ranking is v_opd_score's: $(wc -l <"$T_TMP/opd.want") OPDs"

# Gains: per OPD and gap kind, the sum of the gap over its employees in
# hundredths, divided by their number, half up, in integer arithmetic.
gap_sql() {
	for g in leadership functional technical_20jp seminar skp_missing skp_predikat education; do
		printf " || '|' || floor((2 * sum(s.gap_%s * 100) + count(*)) / (2 * count(*)))::int" "$g"
	done
}
psql_val "SELECT e.opd_id $(gap_sql)
	FROM ipasn.employee_score s JOIN ipasn.employee e USING (instansi_id, nip)
	WHERE s.period = $period AND s.in_scope AND e.active AND e.opd_id IS NOT NULL
	GROUP BY e.opd_id ORDER BY e.opd_id" >"$T_TMP/gains.want"
jq -r "$J"' | [.opd[] | . as $o | $o.opd_id + "|" + ([$gk[] | $o.gains[.].gain | h | tostring] | join("|"))] | sort[]' \
	"$T_TMP/json" >"$T_TMP/gains.got"
diff "$T_TMP/gains.want" "$T_TMP/gains.got" >&2 || fail "OPD gains differ"
ok "every OPD's gain per gap kind"

# Instansi gaps and coverage, from the stored scores and histories.
psql_val "SELECT $(for g in leadership functional technical_20jp seminar skp_missing skp_predikat education; do
		printf "count(*) FILTER (WHERE s.gap_%s > 0) || ':' || floor((2 * sum(s.gap_%s * 100) + count(*)) / (2 * count(*)))::int || '|' || " "$g" "$g"
	done) count(*) FILTER (WHERE s.has_education) || '|' || count(*) FILTER (WHERE s.has_skp)
	|| '|' || count(*) FILTER (WHERE EXISTS (SELECT 1 FROM (SELECT nip, start_date, end_date, year
		FROM ipasn.course UNION ALL SELECT nip, start_date, end_date, year
		FROM ipasn.leadership_training) r WHERE r.nip = s.nip
		AND CASE WHEN r.end_date IS NOT NULL THEN r.end_date <= s.as_of
		         WHEN r.start_date IS NOT NULL THEN r.start_date <= s.as_of
		         ELSE coalesce(r.year, 0) BETWEEN 1 AND s.period END))
	FROM ipasn.employee_score s JOIN ipasn.employee e USING (instansi_id, nip)
	WHERE s.period = $period AND s.in_scope AND e.active" >"$T_TMP/inst.want"
jq -r "$J"' | ([.gaps[] | "\(.employees):\(.gain|h)"] | join("|")) + "|" +
	"\(.instansi.coverage.qualification.employees)|\(.instansi.coverage.performance.employees)|\(.instansi.coverage.competency.employees)"' \
	"$T_TMP/json" >"$T_TMP/inst.got"
diff "$T_TMP/inst.want" "$T_TMP/inst.got" >&2 || fail "instansi gaps or coverage differ"
ok "instansi gaps and coverage"

expect_eq "open issues: the count of v_open_issue" \
	"$(jq '[.issues[].open] | add' "$T_TMP/json")" "$(psql_val "SELECT count(*) FROM ipasn.v_open_issue")"

"$IPASND" -c "$C" report --period "$period" >"$T_TMP/table" || fail "report (table)"
w=$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/table")
[ "$w" -le 80 ] || { cat "$T_TMP/table" >&2; fail "table: a line of $w columns"; }
ok "table: no line wider than 80 columns ($w)"
# The ranking names each OPD once: short names that collide are cut instead.
sed -n '/^OPD ranking/,/^$/p' "$T_TMP/table" | sed -n 's/^ *[0-9]*[* ] \(.\{18\}\).*/\1/p' |
	sort | uniq -d >"$T_TMP/clash"
[ ! -s "$T_TMP/clash" ] || { cat "$T_TMP/clash" >&2; fail "two OPDs under one name in the ranking"; }
ok "table: every OPD under a name of its own"
worst=$(jq -r '.opd[-1].opd_id' "$T_TMP/json")
"$IPASND" -c "$C" report --period "$period" --opd "$worst" >"$T_TMP/table" || fail "report --opd"
w=$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/table")
[ "$w" -le 80 ] || { cat "$T_TMP/table" >&2; fail "table --opd: a line of $w columns"; }
expect_eq "table --opd: one row per employee of the OPD" \
	"$(grep -c '^  [0-9]\{18\} ' "$T_TMP/table")" \
	"$(jq -r --arg o "$worst" '.opd[] | select(.opd_id == $o) | .employees' "$T_TMP/json")"

expect_exit 0 "$IPASND" -c "$C" status
expect_grep "^OK: the last cycle ended" "$T_TMP/out"
expect_grep "  full  *ok " "$T_TMP/out"
ok "status after the sync: exit 0"
