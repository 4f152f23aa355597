# The daily history: cycles on five days (libfaketime moves ipasnd's clock;
# the simulator's data moves between them) keep one snapshot row per day
# and OPD, the day in the daemon's own time zone, the last cycle of a day
# replacing its rows; the snapshot holds what the employees' scores give,
# computed here from v_employee_score; the report's 7-day change and its
# least-squares pace to the cut-off are those this test works out itself.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# WITA, UTC+8: a cycle at 00:30 there is 16:30 UTC of the day before, and
# belongs to the day of WITA. (libfaketime reads its times as local ones.)
TZ=Asia/Makassar
export TZ
pg_start
sim_start --employees 600 --seed 13 --today 2026-12-10 --defect-rate 0.03
write_config "$T_TMP/ipasnd.conf" 'index: { period = 2026; as_of = "2026-12-23"; target = 81.0; };'
C="$T_TMP/ipasnd.conf"

# The expected snapshot, from the employees' scores: per OPD ('' for the
# instansi) its employees and the means of the dimensions and the total.
expected() {
	psql_val "SELECT k, count(*), round(avg(qualification), 2), round(avg(competency), 2),
	            round(avg(performance), 2), round(avg(discipline), 2), round(avg(total), 2)
	          FROM (SELECT coalesce(opd_id, '') k, * FROM ipasn.v_employee_score
	                WHERE period = 2026 AND opd_id IS NOT NULL
	                UNION ALL SELECT '', * FROM ipasn.v_employee_score WHERE period = 2026) s
	          GROUP BY k ORDER BY k"
}
kept() { # DAY: the snapshot of that day
	psql_val "SELECT coalesce(opd_id, ''), employees, qualification, competency, performance,
	            discipline, total FROM ipasn.v_score_trend WHERE day = '$1' AND period = 2026
	          ORDER BY 1"
}

# cycle DAY: a full sync at 00:30 WITA of DAY.
cycle() {
	faked "@$1 00:30:00" "$IPASND" -c "$C" sync --full >"$T_TMP/sync.out" 2>&1 ||
		{ tail -20 "$T_TMP/sync.out" >&2; fail "the sync of $1 failed"; }
	expected >"$T_TMP/want.$1"
}
report_on() { # DAY ARGS...: the report as seen on DAY
	rd=$1
	shift
	faked "@$rd 09:00:00" "$IPASND" -c "$C" report "$@"
}
# The data moves on: records changed (a training more each) and fixed.
move_on() {
	sim_admin "mutate?count=$1" >/dev/null
}

cycle 2026-12-01
move_on 90
cycle 2026-12-03
move_on 90
cycle 2026-12-05
cp "$T_TMP/want.2026-12-05" "$T_TMP/want.first"
move_on 60
cycle 2026-12-05 # the second cycle of the day replaces the first's rows
cmp -s "$T_TMP/want.first" "$T_TMP/want.2026-12-05" &&
	fail "the data did not change between the two cycles of 5 December: replacing proves nothing"
move_on 90
cycle 2026-12-08
report_on 2026-12-08 --format json >"$T_TMP/r4.json" || fail "report on the fourth day"
expect_eq "four days: not enough history" "$(jq -c '.instansi.pace | [.days, .enough, .projected]' "$T_TMP/r4.json")" \
	'[4,false,null]'
report_on 2026-12-08 >"$T_TMP/r4.table" || fail "report (table) on the fourth day"
expect_grep "not enough history (4/5 days)" "$T_TMP/r4.table"
ok "below five days the report says not enough history"
move_on 90
cycle 2026-12-10

# ---- the rows ----------------------------------------------------------------
expect_eq "the days kept, in the daemon's time zone" \
	"$(psql_val "SELECT string_agg(DISTINCT day::text, ' ' ORDER BY day::text) FROM ipasn.v_score_trend")" \
	"2026-12-01 2026-12-03 2026-12-05 2026-12-08 2026-12-10"
opds=$(psql_val "SELECT count(*) FROM ipasn.opd_score WHERE period = 2026")
for d in 2026-12-01 2026-12-03 2026-12-05 2026-12-08 2026-12-10; do
	kept "$d" >"$T_TMP/got.$d"
	diff "$T_TMP/want.$d" "$T_TMP/got.$d" >&2 || fail "the snapshot of $d is not what the scores of that day give"
	expect_eq "$d: one row per OPD and one for the instansi" "$(wc -l <"$T_TMP/got.$d" | tr -d ' ')" $((opds + 1))
done
ok "five days, one row per day and OPD, each what that day's scores give"
expect_eq "one row per day, period and OPD" \
	"$(psql_val "SELECT count(*) FROM (SELECT day, period, opd_id FROM ipasn.v_score_trend
	             GROUP BY 1, 2, 3 HAVING count(*) > 1) d")" 0
first=$(awk -F'|' '$1 == "" { print $7 }' "$T_TMP/want.2026-12-01")
last=$(awk -F'|' '$1 == "" { print $7 }' "$T_TMP/want.2026-12-10")
awk -v a="$first" -v b="$last" 'BEGIN { exit !(b > a) }' || fail "the data did not move: $first then $last"
ok "the second cycle of a day replaced its rows; the instansi went from $first to $last"

# ---- the change and the pace ---------------------------------------------------
report_on 2026-12-10 --format json >"$T_TMP/r.json" || fail "report --format json"
# The instansi's values by day offset from 10 December, and the expected
# line through them: least squares by hand, projected to 23 December
# (13 days on) and rounded half up to hundredths.
for d in 01 03 05 08 10; do
	printf '%s %s\n' $((1$d - 110)) "$(awk -F'|' '$1 == "" { print $7 }' "$T_TMP/want.2026-12-$d")"
done >"$T_TMP/series"
want=$(awk '{ n++; x += $1; y += $2 * 100; xx += $1 * $1; xy += $1 * $2 * 100 }
	END { b = (n * xy - x * y) / (n * xx - x * x); a = (y - b * x) / n; p = a + b * 13
	      printf "%.2f %s\n", int(p + 0.5) / 100, (int(p + 0.5) >= 8100 ? "true" : "false") }' "$T_TMP/series")
expect_eq "the projection to the cut-off and whether it reaches 81" \
	"$(jq -r '.instansi.pace | "\(.projected) \(.reaches_target)"' "$T_TMP/r.json" |
		awk '{ printf "%.2f %s\n", $1, $2 }')" "$want"
expect_eq "five days in the window" "$(jq '.instansi.pace.days' "$T_TMP/r.json")" 5
v3=$(awk -F'|' '$1 == "" { print $7 * 100 }' "$T_TMP/want.2026-12-03")
v10=$(awk -F'|' '$1 == "" { print $7 * 100 }' "$T_TMP/want.2026-12-10")
expect_eq "the 7-day change: 10 December against 3 December" \
	"$(jq '.instansi.change_7d * 100 | round' "$T_TMP/r.json")" "$(awk -v a="$v3" -v b="$v10" 'BEGIN { printf "%d", b - a }')"
expect_eq "no 30-day change without 30 days" "$(jq '.instansi.change_30d' "$T_TMP/r.json")" null
ok "the pace projects $want at the cut-off, as computed here"

# One OPD's projection, in the JSON and the CSV alike.
o=$(jq -r '.opd[0].opd_id' "$T_TMP/r.json")
for d in 01 03 05 08 10; do
	printf '%s %s\n' $((1$d - 110)) "$(awk -F'|' -v o="$o" '$1 == o { print $7 }' "$T_TMP/want.2026-12-$d")"
done >"$T_TMP/series.opd"
want_opd=$(awk '{ n++; x += $1; y += $2 * 100; xx += $1 * $1; xy += $1 * $2 * 100 }
	END { b = (n * xy - x * y) / (n * xx - x * x); a = (y - b * x) / n; p = a + b * 13
	      printf "%.2f\n", int(p + 0.5) / 100 }' "$T_TMP/series.opd")
expect_eq "OPD $o: its projection in JSON" "$(jq -r '.opd[0].pace.projected' "$T_TMP/r.json" | awk '{ printf "%.2f\n", $1 }')" "$want_opd"
report_on 2026-12-10 --format csv | tr -d '\r' >"$T_TMP/r.csv" || fail "report --format csv"
expect_eq "CSV: the trend columns" "$(head -1 "$T_TMP/r.csv" | cut -d, -f20-)" "change_7d,change_30d,projected,reaches_target"
expect_eq "OPD $o: its projection in CSV" "$(sed -n 2p "$T_TMP/r.csv" | awk -F, '{ print $(NF - 1) }')" "$want_opd"
report_on 2026-12-10 >"$T_TMP/r.table" || fail "report (table)"
expect_grep "pace (30 days)" "$T_TMP/r.table"
w=$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/r.table")
[ "$w" -le 80 ] || fail "the table with a trend has a line of $w columns"
expect_grep "$(jq -r '.instansi.pace.projected' "$T_TMP/r.json" | awk '{ printf "%.2f", $1 }') at the cut-off" "$T_TMP/r.table"
expect_grep "^OPD trend" "$T_TMP/r.table"
ok "every OPD's projection too, in JSON, CSV and the table"

# The page: the projection and the 7-day changes as the JSON has them, and
# the trend chart through the five days.
report_on 2026-12-10 --format html >"$T_TMP/r.html" || fail "report --format html"
expect_eq "HTML: the projection" \
	"$(sed -n 's/.*data-k="instansi.pace.projected">\([^<]*\)<.*/\1/p' "$T_TMP/r.html")" \
	"$(jq -r '.instansi.pace.projected' "$T_TMP/r.json" | awk '{ printf "%.2f", $1 }')"
expect_eq "HTML: the first OPD's 7-day change" \
	"$(sed -n 's/.*data-k="opd.0.change_7d">\([^<]*\)<.*/\1/p' "$T_TMP/r.html" | tr -d '+')" \
	"$(jq -r '.opd[0].change_7d' "$T_TMP/r.json" | awk '{ printf "%.2f", $1 }')"
expect_eq "HTML: the trend line through five days" \
	"$(perl -0ne 'print scalar(split / /, $1) if /<svg id="chart-trend".*?<polyline[^>]*points="([^"]*)"/s' "$T_TMP/r.html")" 5
ok "the page shows the trend as the JSON has it"

# A recompute is a cycle too: the day after, its snapshot is kept.
faked "@2026-12-11 00:30:00" "$IPASND" -c "$C" recompute >"$T_TMP/rc.out" 2>&1 ||
	{ tail -20 "$T_TMP/rc.out" >&2; fail "recompute"; }
expected >"$T_TMP/want.2026-12-11"
kept 2026-12-11 >"$T_TMP/got.2026-12-11"
diff "$T_TMP/want.2026-12-11" "$T_TMP/got.2026-12-11" >&2 || fail "recompute kept no snapshot"
ok "a recompute keeps the day's snapshot"
