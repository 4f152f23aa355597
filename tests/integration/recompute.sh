# Recompute: after a change of the rules every stored score follows them,
# exactly as the records scored without the database give it; another
# period's scores leave the open issues alone; a sync under changed rules
# recomputes before it lists; and a stored record that is not JSON fails
# the recompute, named, with the batches before it written whole. 4500
# employees: five batches of 1000, so that batches are decoded while
# others are written.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
sim_start --defect-rate 0.02 --employees 4500 --seed 31
write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"
expect_exit 0 "$IPASND" -c "$C" sync
period=$(psql_val "SELECT max(period) FROM ipasn.employee_score")

# The records as stored, scored by `ipasnd score` under a configuration.
expected() { # CONFIG PERIOD
	psql_val "SELECT '[' || string_agg(raw, ',') || ']' FROM ipasn.employee WHERE active" \
		>"$T_TMP/stored.json"
	"$IPASND" -c "$1" score --period "$2" --format json "$T_TMP/stored.json" 2>/dev/null |
		jq -r 'select(.in_scope) | "\(.nip)|\(.total)|\(.category)"' |
		awk -F'|' '{ printf "%s|%.2f|%s\n", $1, $2, $3 }' | sort
}
in_view() { # PERIOD
	psql_val "SELECT nip || '|' || total || '|' || category FROM ipasn.v_employee_score
	          WHERE period = $1" | sort
}

# Kurang and sangat kurang as the other source has them: 10 and 5.
cat >>"$C" <<'EOC'
index: { rules: { performance: { kurang = 10.0; sangat_kurang = 5.0; }; }; };
EOC
before=$(psql_val "SELECT sum(total) FROM ipasn.employee_score WHERE period = $period")
expect_exit 0 "$IPASND" -c "$C" recompute
expect_grep "recompute finished: [0-9]* employees" "$T_TMP/out"
after=$(psql_val "SELECT sum(total) FROM ipasn.employee_score WHERE period = $period")
[ "$before" != "$after" ] || fail "the new rules changed no score"
expected "$C" "$period" >"$T_TMP/want"
in_view "$period" >"$T_TMP/got"
cmp -s "$T_TMP/want" "$T_TMP/got" || { diff "$T_TMP/want" "$T_TMP/got" | head >&2; fail "recomputed scores differ"; }
ok "recompute under new rules: $(wc -l <"$T_TMP/got" | tr -d ' ') scores as the records give them"
expect_eq "the aggregates follow" "$(psql_val "SELECT total FROM ipasn.v_instansi_score WHERE period = $period")" \
	"$(awk -F'|' '{ s += int($2 * 100 + 0.5); n++ } END { printf "%.2f", int((2 * s + n) / (2 * n)) / 100 }' "$T_TMP/want")"

# A second recompute under the same rules writes no score again.
stamp=$(psql_val "SELECT max(computed_at) FROM ipasn.employee_score")
expect_exit 0 "$IPASND" -c "$C" recompute
expect_eq "nothing rewritten" "$(psql_val "SELECT count(*) FROM ipasn.employee_score
	WHERE computed_at > '$stamp'")" 0

# Another period: its scores appear, the open issues stay as they are.
issues=$(psql_val "SELECT md5(string_agg(nip || code || field || detail, ',' ORDER BY nip, code, field))
                   FROM ipasn.v_open_issue")
prev=$((period - 1))
expect_exit 0 "$IPASND" -c "$C" recompute --period "$prev"
expected "$C" "$prev" >"$T_TMP/want_prev"
in_view "$prev" >"$T_TMP/got_prev"
cmp -s "$T_TMP/want_prev" "$T_TMP/got_prev" || fail "the scores of $prev differ"
expect_eq "open issues untouched by another period" "$(psql_val "SELECT md5(string_agg(nip ||
	code || field || detail, ',' ORDER BY nip, code, field)) FROM ipasn.v_open_issue")" "$issues"
expect_eq "an instansi value for $prev" \
	"$(psql_val "SELECT count(*) FROM ipasn.v_instansi_score WHERE period = $prev")" 1
ok "recompute --period $prev: its scores and aggregates, the issues kept"

# mean_over = "measured": the means divide by the employees with both an
# education record and an SKP, as the stored flags say.
sed -i 's/index: { rules: {/index: { rules: { mean_over = "measured";/' "$C"
expect_exit 0 "$IPASND" -c "$C" recompute
expect_eq "instansi mean over the measured" \
	"$(psql_val "SELECT total FROM ipasn.v_instansi_score WHERE period = $period")" \
	"$(psql_val "SELECT round(avg(s.total) FILTER (WHERE s.has_education AND s.has_skp), 2)
	             FROM ipasn.employee_score s JOIN ipasn.employee e USING (instansi_id, nip)
	             WHERE s.period = $period AND s.in_scope AND e.active")"
expect_eq "OPD means over the measured" "$(psql_val "SELECT count(*) FROM ipasn.v_opd_score o
	JOIN (SELECT e.opd_id, round(avg(s.total) FILTER (WHERE s.has_education AND s.has_skp), 2) t
	      FROM ipasn.employee_score s JOIN ipasn.employee e USING (instansi_id, nip)
	      WHERE s.period = $period AND s.in_scope AND e.active AND e.opd_id IS NOT NULL
	      GROUP BY e.opd_id) x USING (opd_id) WHERE o.period = $period AND o.total <> x.t")" 0
sed -i 's/mean_over = "measured";//' "$C"
ok "mean_over measured: means over the employees with complete data"

# A rule an issue's detail names: the open issue takes the new detail, keeps
# its first_seen and last_seen, and opens no second row.
seen=$(psql_val "SELECT max(last_seen) FROM ipasn.issue WHERE code = 'skp_missing'")
rows=$(psql_val "SELECT count(*) FROM ipasn.issue")
sed -i 's/performance: { kurang/performance: { sangat_baik = 35.0; kurang/' "$C"
expect_exit 0 "$IPASND" -c "$C" recompute
expect_eq "skp_missing names the new maximum" "$(psql_val "SELECT count(*) FROM ipasn.v_open_issue
	WHERE code = 'skp_missing' AND detail NOT LIKE '%0 of 35 performance points'")" 0
expect_eq "the same issue rows" "$(psql_val "SELECT count(*) FROM ipasn.issue")" "$rows"
expect_eq "last_seen kept by a recompute" \
	"$(psql_val "SELECT max(last_seen) FROM ipasn.issue WHERE code = 'skp_missing'")" "$seen"
sed -i 's/sangat_baik = 35.0; //' "$C"
expect_exit 0 "$IPASND" -c "$C" recompute
ok "an issue's detail follows the rules; the issue stays one row"

# A sync under changed rules recomputes first, by itself.
sed -i 's/kurang = 10.0; sangat_kurang = 5.0;/kurang = 5.0; sangat_kurang = 1.0;/' "$C"
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "ruleset or its rules changed since the scores were computed: recomputing every score" "$T_TMP/out"
expected "$C" "$period" >"$T_TMP/want2"
in_view "$period" >"$T_TMP/got2"
cmp -s "$T_TMP/want2" "$T_TMP/got2" || fail "the sync did not recompute under the changed rules"
expect_eq "back to the first sums" "$(psql_val "SELECT sum(total) FROM ipasn.employee_score
	WHERE period = $period")" "$before"
ok "a sync under changed rules recomputes every score first"

# A stored record that is no longer JSON (edited by hand), in the fourth
# batch: the recompute stops with exit 75 and names it; the three batches
# before it hold the new rules' scores, whole, and the rest the old ones.
cp "$C" "$T_TMP/new.conf"
sed -i 's/kurang = 5.0; sangat_kurang = 1.0;/kurang = 10.0; sangat_kurang = 5.0;/' "$T_TMP/new.conf"
expected "$T_TMP/new.conf" "$period" >"$T_TMP/want_new"
cmp -s "$T_TMP/want_new" "$T_TMP/got2" && fail "the new rules change no score"
fourth=$(psql_val "SELECT nip FROM ipasn.employee WHERE active ORDER BY nip OFFSET 3000 LIMIT 1")
bad=$(psql_val "SELECT nip FROM ipasn.employee WHERE active ORDER BY nip OFFSET 3200 LIMIT 1")
psql -X -q -c "UPDATE ipasn.employee SET raw = left(raw, 40) WHERE nip = '$bad'"
expect_exit 75 "$IPASND" -c "$T_TMP/new.conf" recompute
expect_grep "recompute failed: record $bad: invalid JSON at line 1, column 40" "$T_TMP/out"
in_view "$period" >"$T_TMP/got_bad"
{
	awk -F'|' -v f="$fourth" '$1 "" < f ""' "$T_TMP/want_new"
	awk -F'|' -v f="$fourth" '$1 "" >= f ""' "$T_TMP/got2"
} | sort >"$T_TMP/want_bad"
cmp -s "$T_TMP/want_bad" "$T_TMP/got_bad" ||
	{ diff "$T_TMP/want_bad" "$T_TMP/got_bad" | head >&2; fail "not three whole batches"; }
ok "a stored record that is not JSON: named, exit 75, the batches before it whole"
