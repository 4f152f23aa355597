# The listing of a large province, 100 000 employees, walked page by page
# through the HTTP client with bounded memory. Slow under the sanitizers
# (about 25 s on two cores), so it runs only when IPASND_SLOW_TESTS=1:
#   make check TESTS=tests/integration/http_listing_100k.sh IPASND_SLOW_TESTS=1
if [ "${IPASND_SLOW_TESTS:-0}" != 1 ]; then
	echo "# skipped: set IPASND_SLOW_TESTS=1 to walk 100 000 employees"
	exit 77
fi
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
