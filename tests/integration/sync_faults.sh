# A sync under faults: PostgreSQL restarted mid-sync, a second ipasnd at the
# same time, SIGTERM mid-sync. Each ends cleanly, and the next sync leaves
# the database complete and without duplicates.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
# 20,000 employees; fewer under valgrind (IPASND_TEST_SCALE, tests/lib.sh).
sim_start --employees "$(scaled 20000)" --seed 9
# A signal is acted on between pages. Under valgrind a page of 500 takes
# seconds to write: there pages of 100 keep SIGTERM's 5 s (valgrind mode
# only).
SOURCE_KEYS='retries = 8; backoff_max = "2s";'
[ "$T_VALGRIND" = 1 ] && SOURCE_KEYS="$SOURCE_KEYS page_size = 100;"
write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

# wait_for PATTERN FILE: until a line matches (at most 30 s).
wait_for() {
	i=0
	until grep -q -e "$1" "$2" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && { cat "$2" >&2; fail "'$1' never appeared in $2"; }
		sleep 0.05
	done
}

# Every employee written has its score, and no page was left half-written.
consistent() {
	expect_eq "$1: every employee has its score" "$(psql_val "SELECT count(*) FROM ipasn.employee e
		WHERE NOT EXISTS (SELECT 1 FROM ipasn.employee_score s WHERE s.nip = e.nip)")" 0
	expect_eq "$1: every issue has its employee" "$(psql_val "SELECT count(*) FROM ipasn.issue i
		WHERE NOT EXISTS (SELECT 1 FROM ipasn.employee e WHERE e.nip = i.nip)")" 0
}

# A full listing afterwards finds nothing missing and nothing different.
complete() {
	expect_exit 0 "$IPASND" -c "$C" sync --full
	expect_grep "INSERTED=0 UPDATED=0" "$T_TMP/out"
	ok "$1: a full listing afterwards finds nothing missing or different"
}

# 1. PostgreSQL restarted in the middle of the sync.
"$IPASND" -c "$C" sync >"$T_TMP/restart.log" 2>&1 &
pid=$!
wait_for "page_written\|dq_issue" "$T_TMP/restart.log"
sleep 1
pg_restart
set +e
wait $pid
rc=$?
set -e
case $rc in
0) ok "PostgreSQL restart: the cycle reconnected and finished" ;;
75) ok "PostgreSQL restart: the cycle failed cleanly (75)" ;;
*)
	cat "$T_TMP/restart.log" >&2
	fail "PostgreSQL restart: exit $rc"
	;;
esac
expect_grep "IPASN_EVENT=db_reconnect" "$T_TMP/restart.log"
consistent "after the restart"
expect_exit 0 "$IPASND" -c "$C" sync
complete "PostgreSQL restart"

# 2. Two at once: the second skips with 75, the first is not disturbed.
"$IPASND" -c "$C" sync --full >"$T_TMP/first.log" 2>&1 &
pid=$!
wait_for "IPASN_EVENT=sync_started" "$T_TMP/first.log"
expect_exit 75 "$IPASND" -c "$C" sync
expect_grep "another ipasnd is syncing this source" "$T_TMP/out"
expect_grep "IPASN_EVENT=sync_skipped" "$T_TMP/out"
wait $pid || { cat "$T_TMP/first.log" >&2; fail "the first sync failed"; }
ok "a second sync at the same time exits 75; the first finishes"

# 3. SIGTERM in the middle: out within 5 s, the open page rolled back.
"$IPASND" -c "$C" sync --full >"$T_TMP/term.log" 2>&1 &
pid=$!
wait_for "page_written\|MODE=full" "$T_TMP/term.log"
sleep 1
t0=$(now_ms)
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
took=$(($(now_ms) - t0))
[ "$took" -lt 5000 ] || fail "SIGTERM: took $took ms to exit"
[ "$rc" -eq 75 ] || { cat "$T_TMP/term.log" >&2; fail "SIGTERM: exit $rc, expected 75"; }
expect_grep "stopped by a signal" "$T_TMP/term.log"
ok "SIGTERM mid-sync: exit 75 in $took ms"
consistent "after SIGTERM"
expect_eq "the listing waits at its cursor" \
	"$(psql_val "SELECT listing_mode FROM ipasn.sync_state")" full
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "resuming the interrupted full listing" "$T_TMP/out"
complete "SIGTERM"

expect_eq "no duplicate employee" \
	"$(psql_val "SELECT count(*) - count(DISTINCT nip) FROM ipasn.employee")" 0
