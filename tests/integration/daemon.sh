# ipasnd run under a stand-in for systemd: a unix datagram socket as
# NOTIFY_SOCKET and a watchdog. READY, STATUS, the watchdog cadence from the
# sync's own progress, RELOADING/READY on SIGHUP, a broken config survived,
# SIGUSR1, and SIGTERM mid-sync: STOPPING, exit 0 within 5 s, no half page.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

LISTEN="$top_builddir/tests/tools/notify-listen"
pg_start
# 20,000 employees; fewer under valgrind (IPASND_TEST_SCALE, tests/lib.sh).
N=$(scaled 20000)
sim_start --defect-rate 0.02 --employees "$N" --seed 3
# The watchdog the stand-in sets: 2 s. A ping goes out at the first step of
# the sync a second after the last one, so the longest gap is a second plus
# the longest step. Under valgrind a page takes 20-50 times longer to
# write: there, pages of 100 records keep the steps near a second, and the
# watchdog is 4 s (valgrind mode only).
WD_MS=2000
if [ "$T_VALGRIND" = 1 ]; then
	WD_MS=4000
	SOURCE_KEYS='page_size = 100;'
fi
write_config "$T_TMP/ipasnd.conf" 'sync: { interval = "1h"; jitter = 0.0; };'
C="$T_TMP/ipasnd.conf"

"$LISTEN" "$T_TMP/notify.sock" >"$T_TMP/notify" 2>&1 &
T_PIDS="$T_PIDS $!"
wait_until --show "$T_TMP/notify" 5 "notify-listen to open its socket" test -S "$T_TMP/notify.sock"

count() { grep -c -e "$1" "$T_TMP/notify" || true; }

# sent N PATTERN: the daemon has sent N notifications matching PATTERN, or
# more; fails the test at once when the daemon has died.
sent() {
	[ "$(count "$2")" -ge "$1" ] && return 0
	kill -0 "$DPID" 2>/dev/null || { tail -20 "$T_TMP/daemon.log" >&2; fail "ipasnd run died"; }
	return 1
}

# wait_sent N PATTERN: waits until the daemon has sent N notifications
# matching PATTERN; msg PATTERN: until it has sent one.
wait_sent() {
	wait_until --show "$T_TMP/notify" --show "$T_TMP/daemon.log" 60 \
		"$1 notifications matching '$2'" sent "$1" "$2"
}
msg() { wait_sent 1 "$1"; }

NOTIFY_SOCKET="$T_TMP/notify.sock" WATCHDOG_USEC=$((WD_MS * 1000)) \
	"$IPASND" -c "$C" run >"$T_TMP/daemon.log" 2>&1 &
DPID=$!
T_PIDS="$T_PIDS $DPID"

msg "READY=1"
ok "READY=1 after start-up"
msg "STATUS=syncing page [0-9]* ([0-9,]* records)"
ok "STATUS says which page it syncs"
msg "STATUS=idle; last sync [0-9:]* OK: [0-9,]* records, [0-9]* new issues; next [0-9:]*"
ok "STATUS after the cycle: $(grep -o 'STATUS=idle.*' "$T_TMP/notify" | head -1)"

# The watchdog: pinged about every second (half the watchdog) all through
# the first sync, from its start to its end, never a gap the watchdog
# would kill for.
awk '!start && /STATUS=starting a sync cycle/ { start = $1; last = $1 }
	start && !end && /WATCHDOG=1/ { gap = $1 - last; if (gap > max) max = gap; last = $1; n++ }
	start && !end && /STATUS=idle/ { end = $1; gap = end - last; if (gap > max) max = gap }
	END { printf "%d %d %d\n", n, max, end - start }' "$T_TMP/notify" >"$T_TMP/wd"
read -r pings maxgap span <"$T_TMP/wd"
{ [ "$pings" -ge 1 ] && [ "$pings" -ge $((span / WD_MS)) ]; } ||
	fail "$pings watchdog pings in a sync of $span ms"
[ "$maxgap" -lt "$WD_MS" ] || fail "a watchdog gap of $maxgap ms (limit $WD_MS)"
ok "watchdog: $pings pings in $span ms, longest gap $maxgap ms"

# SIGHUP with a valid change: RELOADING=1 with MONOTONIC_USEC, then READY=1.
sed -i 's/interval = "1h"/interval = "2h"/' "$C"
kill -HUP $DPID
msg "RELOADING=1 | MONOTONIC_USEC=[0-9]*"
wait_sent 2 'READY=1'
grep -q "IPASN_EVENT=config_reloaded" "$T_TMP/daemon.log" || fail "no config_reloaded event"
ok "SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1"

# SIGHUP with a broken file: the running configuration stays.
printf 'sync: { intervall = "5m"; };\n' >>"$C"
kill -HUP $DPID
wait_sent 2 'RELOADING=1'
wait_sent 3 'READY=1'
grep -q "ipasnd.conf:[0-9]*: sync: syntax error\|ipasnd.conf:[0-9]*: .*unknown key\|duplicate setting" \
	"$T_TMP/daemon.log" || { tail "$T_TMP/daemon.log" >&2; fail "the error with its line was not logged"; }
grep -q "IPASN_EVENT=config_rejected" "$T_TMP/daemon.log" || fail "no config_rejected event"
kill -0 $DPID || fail "the daemon died on a broken configuration"
ok "SIGHUP with a broken file: errors logged with file:line, the old configuration kept"
sed -i '$d' "$C"

# SIGUSR1: a cycle now. Many changed records make it long enough to stop.
sim_admin "mutate?count=$((N * 3 / 4))" >/dev/null
before=$(count "STATUS=starting a sync cycle")
kill -USR1 $DPID
wait_sent $((before + 1)) 'STATUS=starting a sync cycle'
grep -q "SIGUSR1: syncing now" "$T_TMP/daemon.log" || fail "SIGUSR1 not acted on"
ok "SIGUSR1 starts a cycle"

# SIGTERM in the middle of that cycle.
n0=$(count "STATUS=syncing page")
wait_sent $((n0 + 3)) 'STATUS=syncing page'
t0=$(now_ms)
kill -TERM $DPID
set +e
wait $DPID
rc=$?
set -e
took=$(($(now_ms) - t0))
[ "$rc" -eq 0 ] || { tail "$T_TMP/daemon.log" >&2; fail "exit $rc after SIGTERM"; }
[ "$took" -lt 5000 ] || fail "took $took ms to stop"
msg "STOPPING=1"
ok "SIGTERM mid-sync: STOPPING=1, exit 0 in $took ms"
expect_eq "no half page: every employee has its score" "$(psql_val "SELECT count(*)
	FROM ipasn.employee e WHERE NOT EXISTS (SELECT 1 FROM ipasn.employee_score s
	WHERE s.nip = e.nip AND s.computed_at >= e.changed_at)")" 0
expect_eq "the interrupted listing waits at its cursor" \
	"$(psql_val "SELECT cursor IS NOT NULL OR pages = 0 FROM ipasn.sync_state")" t
