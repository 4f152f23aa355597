# kill -9 at random moments of a sync of 20,000 employees (fewer under
# valgrind), 20 times; after one last clean sync the database equals that
# of a sync never interrupted: nothing lost, nothing twice, no half page.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
# 20,000 employees; fewer under valgrind (IPASND_TEST_SCALE, tests/lib.sh).
sim_start --defect-rate 0.02 --employees "$(scaled 20000)" --seed 5
pg_run "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PGPORT" -U ipasn reference
write_config "$T_TMP/main.conf"
sed 's/dbname=ipasn/dbname=reference/' "$T_TMP/main.conf" >"$T_TMP/ref.conf"

"$IPASND" -c "$T_TMP/ref.conf" sync >"$T_TMP/ref.log" 2>&1 || { tail "$T_TMP/ref.log" >&2; fail "reference sync"; }
ok "reference: one uninterrupted sync"

random_ms() { # MIN MAX
	echo $(($1 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % ($2 - $1)))
}

# --full: every run has a whole listing to do, resumed or new, so every
# kill lands in the middle of one.
# The server notices a killed client within a second; until then its
# session holds the source's lock and the next run would only skip.
no_session() {
	[ "$(psql_val "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ipasnd'")" -eq 0 ]
}

# Under valgrind a run takes about a second to start and seconds a page:
# there each kill comes 0-4 s after the run has started its sync, so that
# it lands in the listing rather than in the start-up (valgrind mode only).
started() { # LOG PID: the run has started its sync, or has ended
	grep -q "IPASN_EVENT=sync_started" "$1" 2>/dev/null || ! kill -0 "$2" 2>/dev/null
}

# A run resumed near the end of a listing may finish before its kill comes:
# runs go on until 20 were killed mid-run (at most 40 runs).
kills=0
run=0
while [ $kills -lt 20 ] && [ $run -lt 40 ]; do
	run=$((run + 1))
	wait_until 10 "a killed run's session to end" no_session
	"$IPASND" -c "$T_TMP/main.conf" sync --full >"$T_TMP/run$run.log" 2>&1 &
	pid=$!
	if [ "$T_VALGRIND" = 1 ]; then
		wait_until --show "$T_TMP/run$run.log" 30 "run $run to start its sync" \
			started "$T_TMP/run$run.log" "$pid"
		ms=$(random_ms 0 4000)
	else
		ms=$(random_ms 150 2500)
	fi
	sleep "$(echo "$ms" | awk '{ printf "%.3f", $1 / 1000 }')"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null || true
done
ok "$kills of $run runs killed with SIGKILL mid-run"
[ "$kills" -ge 15 ] || fail "too few runs were killed mid-run to mean anything"

# One clean run finishes whatever listing is under way, then one more. The
# server may still be ending a killed run's statement and hold its lock for
# a moment: then the run skips with 75, as a daemon's cycle would.
final_sync() { # N: a sync that succeeds; fails the test unless it skipped
	"$IPASND" -c "$T_TMP/main.conf" sync >"$T_TMP/final$1.log" 2>&1 && return 0
	grep -q "IPASN_EVENT=sync_skipped" "$T_TMP/final$1.log" ||
		{ tail "$T_TMP/final$1.log" >&2; fail "final sync $1"; }
	return 1
}
for n in 1 2; do
	wait_until --show "$T_TMP/final$n.log" 10 "final sync $n not to be skipped" final_sync "$n"
done
ok "the final syncs succeed"

same() { # WHAT SQL: the query gives the same, non-empty rows in both databases
	psql -X -A -t -v ON_ERROR_STOP=1 -d ipasn -c "$2" >"$T_TMP/a" || fail "$1: query failed in ipasn"
	psql -X -A -t -v ON_ERROR_STOP=1 -d reference -c "$2" >"$T_TMP/b" || fail "$1: query failed in reference"
	[ -s "$T_TMP/b" ] || fail "$1: the reference has no rows"
	cmp -s "$T_TMP/a" "$T_TMP/b" || {
		diff "$T_TMP/a" "$T_TMP/b" | head >&2
		fail "$1 differs from the reference"
	}
	ok "$1 equals the reference"
}
same "employees" "SELECT nip, content_hash, active, deleted, opd_id FROM ipasn.employee ORDER BY nip"
for t in education leadership_training course skp skp22 sanction; do
	same "$t" "SELECT * FROM ipasn.$t ORDER BY instansi_id, nip, seq"
done
same "official_ipasn" "SELECT instansi_id, nip, year, source, qualification, competency,
	performance, discipline, total FROM ipasn.official_ipasn ORDER BY nip, year, source"
same "scores" "SELECT nip, period, in_scope, qualification, competency, performance, discipline,
	total, category, gaps FROM ipasn.employee_score ORDER BY nip, period"
same "open issues" "SELECT nip, code, field, severity, detail
	FROM ipasn.issue WHERE resolved_at IS NULL ORDER BY nip, code, field"
same "quarantine" "SELECT raw_hash, code, reason FROM ipasn.quarantine ORDER BY raw_hash"
same "OPD scores" "SELECT period, opd_id, employees, total, category, rank FROM ipasn.v_opd_score
	ORDER BY period, opd_id"
same "instansi score" "SELECT period, employees, total, category FROM ipasn.v_instansi_score"

expect_eq "no issue opened twice" "$(psql_val "SELECT count(*) FROM (SELECT nip, code, field
	FROM ipasn.issue GROUP BY 1, 2, 3 HAVING count(*) > 1) d")" 0
expect_eq "no run left running" "$(psql_val "SELECT count(*) FROM ipasn.sync_run WHERE status = 'running'")" 0
expect_eq "the killed runs are marked interrupted" \
	"$(psql_val "SELECT count(*) >= $kills - 1 FROM ipasn.sync_run WHERE status = 'interrupted'")" t
