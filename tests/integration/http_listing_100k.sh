# The listing of a large province, 100 000 employees, walked page by page
# through the HTTP client with bounded memory: its peak is no larger than
# that of a walk of 10 000. About 25 s under the sanitizers on two cores.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
ASAN_OPTIONS="quarantine_size_mb=8:${ASAN_OPTIONS:-}"
export ASAN_OPTIONS

N=100000
sim_start --employees $N
source_config "$T_TMP/ipasnd.conf" 'page_size = 1000;'
driver_run full -c "$T_TMP/ipasnd.conf" list
cat "$T_TMP/full.out"
expect_eq "100 000 employees: result" "$(driver_field result "$T_TMP/full.out")" ok
expect_eq "100 000 employees: pages" "$(driver_field pages "$T_TMP/full.out")" 100
expect_eq "100 000 employees: records" "$(driver_field records "$T_TMP/full.out")" $N
rss=$(driver_field peak_rss_kb "$T_TMP/full.out")
[ "$rss" -le 131072 ] || fail "peak RSS $rss kB for a walk of 1000-record pages"
ok "100 000 employees in $(driver_field ms "$T_TMP/full.out") ms, $(driver_field bytes "$T_TMP/full.out") bytes, peak RSS $rss kB"

# The same walk over a tenth of the workforce: memory does not grow with it.
sim_stop
sim_start --employees $((N / 10))
source_config "$T_TMP/ipasnd.conf" 'page_size = 1000;'
driver_run tenth -c "$T_TMP/ipasnd.conf" list
expect_eq "10 000 employees: records" "$(driver_field records "$T_TMP/tenth.out")" $((N / 10))
rss10=$(driver_field peak_rss_kb "$T_TMP/tenth.out")
[ "$rss" -le $((rss10 * 5 / 4)) ] || fail "peak RSS $rss kB at 100 000 against $rss10 kB at 10 000"
ok "peak RSS $rss kB at 100 000 employees, $rss10 kB at 10 000"
