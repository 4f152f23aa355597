# The HTTP client against bad bodies and slow servers: truncated, reset,
# malformed and oversized bodies are never accepted; a slow server meets the
# timeout; SIGTERM stops a transfer or a wait at once; requests are paced to
# source.rate_limit; and every request says who it is and what it accepts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

sim_start --defect-rate 0.02 --employees 400
CONF="$T_TMP/ipasnd.conf"
source_config "$CONF" 'page_size = 100; timeout = "1s"; max_page_bytes = 524288;'
# Under valgrind a run takes seconds to start and end: the time bounds on
# whole runs, and the waits before a signal, add that (valgrind mode only).
driver_overhead "$CONF"
# sleep_ms MS
sleep_ms() { sleep "$(echo "$1" | awk '{ printf "%.3f", $1 / 1000 }')"; }

expect_result() {
	got=$(driver_field result "$T_TMP/$1.out")
	[ "$got" = "$2" ] || { cat "$T_TMP/$1.out" "$T_TMP/$1.err" >&2; fail "$1: result $got, expected $2"; }
	expect_eq "$1: attempts" "$(driver_field attempts "$T_TMP/$1.out")" "$3"
}

# A body cut short or reset mid-way is a transport failure: retried, and a
# complete page arrives on the next attempt.
for kind in truncate reset; do
	sim_admin reset-stats >/dev/null
	sim_admin "fault?kind=$kind&count=1" >/dev/null
	driver_run "$kind" -c "$CONF" --out "$T_TMP/$kind.json" page
	expect_result "$kind" ok 2
	expect_eq "$kind: two requests reached the simulator" "$(sim_count /v1/asn 200)" 2
	expect_eq "$kind: the accepted page is whole" "$(jq '.data | length' "$T_TMP/$kind.json")" 100

	sim_admin "fault?kind=$kind&count=-1" >/dev/null
	driver_run "${kind}_always" -c "$CONF" --out "$T_TMP/${kind}_always.json" page
	sim_admin clear >/dev/null
	expect_result "${kind}_always" unavailable 3
	[ ! -e "$T_TMP/${kind}_always.json" ] || fail "$kind: a cut body was written"
	ok "$kind every time: nothing accepted"
done
expect_grep "still failing after 3 attempts: transfer closed with" "$T_TMP/truncate_always.err"

# A malformed body arrives whole (no retry) and the page check refuses it.
sim_admin "fault?kind=malformed&count=1" >/dev/null
driver_run malformed -c "$CONF" --out "$T_TMP/malformed.json" page
expect_eq "malformed: result" "$(driver_field result "$T_TMP/malformed.out")" malformed
expect_eq "malformed: exit status" "$RC" 65
expect_grep "is malformed: not JSON" "$T_TMP/malformed.err"
[ ! -e "$T_TMP/malformed.json" ] || fail "malformed: the body was written"

# Oversized: rejected on the Content-Length, while streaming, and after
# gzip decoding (a page of 400 records is about 1 MiB, less than half of it compressed).
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=oversize&bytes=5000000&count=1" >/dev/null
driver_run oversize -c "$CONF" --out "$T_TMP/oversize.json" page
expect_result oversize too_big 1
expect_eq "oversize: exit status" "$RC" 69
expect_grep "error: the answer from $SIM_URL/v1/asn is larger than source.max_page_bytes (524288 bytes)" "$T_TMP/oversize.err"
# Within 3 s; under valgrind, 3 s more than a run that fails at once.
[ "$MS" -lt $((3000 + DRIVER_OVERHEAD_MS)) ] || fail "oversize with a Content-Length took $MS ms"
sim_admin "fault?kind=oversize&bytes=5000000&chunked=1&count=1" >/dev/null
driver_run oversize_chunked -c "$CONF" --out "$T_TMP/oversize.json" page
expect_result oversize_chunked too_big 1
driver_run oversize_gzip -c "$CONF" --out "$T_TMP/oversize.json" page --limit 1000
expect_result oversize_gzip too_big 1
[ ! -e "$T_TMP/oversize.json" ] || fail "an oversized body was written"
expect_eq "oversized: not retried" "$(sim_count /v1/asn total)" 3

# Slow headers beyond source.timeout (1 s): a timeout, retried.
sim_admin "fault?kind=slow_headers&delay_ms=2500&count=1" >/dev/null
driver_run slow -c "$CONF" page
expect_result slow ok 2
expect_grep "event=retry attempt=1 status=0 .*reason=Operation timed out after" "$T_TMP/slow.err"

# SIGTERM in the middle of a slow body: the call returns at once.
source_config "$T_TMP/slowbody.conf" 'page_size = 100; timeout = "60s";'
sim_admin "fault?kind=slow_body&delay_ms=100&chunk=512&count=1" >/dev/null
"$HTTP_DRIVER" -c "$T_TMP/slowbody.conf" page >"$T_TMP/abort.out" 2>"$T_TMP/abort.err" &
pid=$!
sleep_ms $((1500 + DRIVER_OVERHEAD_MS))
t0=$(now_ms)
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
ms=$(($(now_ms) - t0))
sim_admin clear >/dev/null
expect_eq "abort mid-transfer: result" "$(driver_field result "$T_TMP/abort.out")" aborted
expect_eq "abort mid-transfer: exit status (a stop: try again)" "$rc" 75
[ "$ms" -lt 500 ] || fail "abort mid-transfer took $ms ms"
p=$(driver_field progress "$T_TMP/abort.out")
[ "$p" -ge 1 ] || fail "no progress call during a 1.5 s transfer"
ok "SIGTERM mid-transfer: returned in $ms ms after $p progress calls"

# SIGTERM during a long Retry-After wait.
source_config "$T_TMP/wait.conf" 'page_size = 100; backoff_max = "60s"; retries = 5;'
sim_admin "fault?kind=status&status=503&retry_after=30&count=1" >/dev/null
"$HTTP_DRIVER" -c "$T_TMP/wait.conf" page >"$T_TMP/abortwait.out" 2>"$T_TMP/abortwait.err" &
pid=$!
sleep_ms $((1000 + DRIVER_OVERHEAD_MS))
t0=$(now_ms)
kill -TERM $pid
set +e
wait $pid
set -e
ms=$(($(now_ms) - t0))
sim_admin clear >/dev/null
expect_grep "event=retry attempt=1 status=503 wait_ms=30000" "$T_TMP/abortwait.err"
expect_eq "abort during a wait: result" "$(driver_field result "$T_TMP/abortwait.out")" aborted
[ "$ms" -lt 500 ] || fail "abort during a wait took $ms ms"
ok "SIGTERM during a 30 s wait: returned in $ms ms"

# Pacing: rate_limit = 4 spaces the starts of four pages by 250 ms or more.
source_config "$T_TMP/paced.conf" 'page_size = 100; rate_limit = 4.0;'
driver_run paced -c "$T_TMP/paced.conf" list
expect_eq "paced: pages" "$(driver_field pages "$T_TMP/paced.out")" 4
[ "$MS" -ge 750 ] || fail "four paced requests took only $MS ms"
ok "rate_limit 4/s: four pages took $MS ms"

# What every request carries.
expect_eq "User-Agent" "$(curl -s "$SIM_URL/admin/stats" | jq -r .last_user_agent)" "ipasnd/$(sed -n 's/^AC_INIT(\[ipasnd\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")"
expect_eq "Accept" "$(curl -s "$SIM_URL/admin/stats" | jq -r .last_accept)" "application/json"
curl -s "$SIM_URL/admin/stats" | jq -r .last_accept_encoding | grep -q gzip || fail "no gzip in Accept-Encoding"
ok "Accept-Encoding offers gzip"
