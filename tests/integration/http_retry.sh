# The HTTP client against failing statuses: which are retried and how often
# (counted by the simulator), the waits (backoff within its cap, Retry-After
# as a floor, a Retry-After beyond backoff_max failing at once), and the
# messages of the statuses that fail at once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

sim_start --defect-rate 0.02 --employees 300
CONF="$T_TMP/ipasnd.conf"
source_config "$CONF" 'page_size = 50; backoff_max = "3s";'

# expect_result NAME RESULT ATTEMPTS: the driver's last run
expect_result() {
	got=$(driver_field result "$T_TMP/$1.out")
	[ "$got" = "$2" ] || { cat "$T_TMP/$1.out" "$T_TMP/$1.err" >&2; fail "$1: result $got, expected $2"; }
	expect_eq "$1: attempts" "$(driver_field attempts "$T_TMP/$1.out")" "$3"
}

# Each retryable status, once: a second attempt succeeds.
for st in 500 502 503 504 429; do
	sim_admin reset-stats >/dev/null
	sim_admin "fault?kind=status&status=$st&count=1" >/dev/null
	driver_run "s$st" -c "$CONF" page
	expect_result "s$st" ok 2
	expect_eq "HTTP $st retried: the simulator saw it once" "$(sim_count /v1/asn "$st")" 1
	expect_eq "HTTP $st retried: then one 200" "$(sim_count /v1/asn 200)" 1
	expect_grep "event=retry attempt=1 status=$st" "$T_TMP/s$st.err"
done

# Backoff: the first wait is within 1 s, the second within 2 s (full jitter).
sim_admin "fault?kind=status&status=503&count=2" >/dev/null
driver_run backoff -c "$CONF" page
expect_result backoff ok 3
w1=$(sed -n 's/^event=retry attempt=1 .*wait_ms=\([0-9]*\).*/\1/p' "$T_TMP/backoff.err")
w2=$(sed -n 's/^event=retry attempt=2 .*wait_ms=\([0-9]*\).*/\1/p' "$T_TMP/backoff.err")
{ [ "$w1" -ge 0 ] && [ "$w1" -le 1000 ]; } || fail "first wait $w1 ms outside [0, 1000]"
{ [ "$w2" -ge 0 ] && [ "$w2" -le 2000 ]; } || fail "second wait $w2 ms outside [0, 2000]"
ok "backoff waits $w1 ms, then $w2 ms"

# Exhausted: retries = 2 gives three attempts, then "unavailable" (exit 75).
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=status&status=503&count=-1" >/dev/null
driver_run exhausted -c "$CONF" page
sim_admin clear >/dev/null
expect_result exhausted unavailable 3
expect_eq "exhausted: exit status" "$RC" 75
expect_eq "exhausted: the simulator saw three attempts" "$(sim_count /v1/asn 503)" 3
expect_grep "error: $SIM_URL/v1/asn still failing after 3 attempts: HTTP 503: fault: service temporarily unavailable" "$T_TMP/exhausted.err"

# Retry-After in seconds is a floor on the wait.
sim_admin "fault?kind=status&status=429&retry_after=2&count=1" >/dev/null
driver_run ra_seconds -c "$CONF" page
expect_result ra_seconds ok 2
expect_grep "event=retry attempt=1 status=429 wait_ms=2000 " "$T_TMP/ra_seconds.err"
[ "$MS" -ge 2000 ] || fail "Retry-After 2 honoured, but the call took only $MS ms"
ok "Retry-After 2 (seconds): waited ${MS} ms"

# Retry-After as an HTTP date, on a 503.
sim_admin "fault?kind=status&status=503&retry_after=2&retry_after_date=1&count=1" >/dev/null
driver_run ra_date -c "$CONF" page
expect_result ra_date ok 2
w=$(sed -n 's/^event=retry attempt=1 .*wait_ms=\([0-9]*\).*/\1/p' "$T_TMP/ra_date.err")
{ [ "$w" -ge 1000 ] && [ "$w" -le 3000 ]; } || fail "Retry-After date: wait $w ms"
ok "Retry-After as an HTTP date: waited $w ms"

# A Retry-After longer than backoff_max fails at once instead of sleeping.
driver_overhead "$CONF"
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=status&status=429&retry_after=3600&count=1" >/dev/null
driver_run ra_long -c "$CONF" page
expect_result ra_long unavailable 1
# Within 1.5 s; under valgrind, 1.5 s more than a run that fails at once.
[ "$MS" -lt $((1500 + DRIVER_OVERHEAD_MS)) ] || fail "Retry-After 3600: took $MS ms, expected to fail at once"
expect_grep "error: HTTP 429 from $SIM_URL/v1/asn: the server asks to wait 3600 s (Retry-After), more than source.backoff_max (3 s)" "$T_TMP/ra_long.err"
expect_eq "Retry-After 3600: one request" "$(sim_count /v1/asn total)" 1
ok "Retry-After beyond backoff_max: failed in $MS ms"

# Statuses no retry cures fail at once, naming URL, status and the reason.
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=status&status=403&count=1" >/dev/null
driver_run s403 -c "$CONF" page
expect_result s403 refused 1
expect_eq "403: exit status" "$RC" 69
expect_grep "error: HTTP 403 from $SIM_URL/v1/asn: fault: forbidden for this client" "$T_TMP/s403.err"

sim_admin "fault?kind=status&status=400&siasn=1&count=1" >/dev/null
driver_run s400 -c "$CONF" page
expect_result s400 refused 1
expect_grep "error: HTTP 400 from $SIM_URL/v1/asn: request refused" "$T_TMP/s400.err"
ok "SIASN's {code, data} error body read"

driver_run badcursor -c "$CONF" page --cursor "not-a-cursor"
expect_result badcursor refused 1
expect_grep "error: HTTP 400 from $SIM_URL/v1/asn: bad_cursor: the cursor is not one of this server" "$T_TMP/badcursor.err"

driver_run s404 -c "$CONF" employee 199001012015011001
expect_result s404 not_found 1
expect_grep "error: HTTP 404 from $SIM_URL/v1/asn/199001012015011001: not_found: no employee with this nipBaru" "$T_TMP/s404.err"
expect_eq "400/403/404: no retries" "$(sim_count /v1/asn total)" 3

sim_admin "fault?kind=status&status=301&location=https://elsewhere.example/api/v1/asn%3Ftoken%3Dx&count=1" >/dev/null
driver_run s301 -c "$CONF" page
expect_result s301 refused 1
expect_grep "error: HTTP 301 from $SIM_URL/v1/asn: redirects are not followed; it points to https://elsewhere.example/api/v1/asn (set source.url to the final address)" "$T_TMP/s301.err"
ok "a redirect is not followed and its query is not shown"

# 410 on a cursor: "gone", so the caller restarts the listing.
driver_run first -c "$CONF" page
cursor=$(driver_field next_cursor "$T_TMP/first.out")
sim_admin "fault?kind=gone&count=1" >/dev/null
driver_run gone -c "$CONF" page --cursor "$cursor"
expect_result gone gone 1
expect_eq "410: exit status" "$RC" 75
expect_grep "error: HTTP 410 from $SIM_URL/v1/asn: the listing cursor expired" "$T_TMP/gone.err"
driver_run after_gone -c "$CONF" page --cursor "$cursor"
expect_result after_gone ok 1

# Nothing listening: connection refused is retried, then unavailable.
sim_stop
driver_run refused -c "$CONF" page
expect_result refused unavailable 3
expect_grep "still failing after 3 attempts: Failed to connect" "$T_TMP/refused.err"
