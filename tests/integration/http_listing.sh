# A whole listing walked page by page through the HTTP client: every record
# once and in order of change, memory bounded by the page rather than the
# listing, updated_since selecting only what changed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# A small ASan quarantine, and a small queue of freed blocks under
# valgrind, so peak RSS measures the client, not the checker.
ASAN_OPTIONS="quarantine_size_mb=8:${ASAN_OPTIONS:-}"
IPASND_VALGRIND_OPTS="--freelist-vol=4000000 ${IPASND_VALGRIND_OPTS:-}"
export ASAN_OPTIONS IPASND_VALGRIND_OPTS

# Two pages' worth first, for the memory baseline.
sim_start --defect-rate 0.02 --employees 2000 --seed 7
source_config "$T_TMP/small.conf" 'page_size = 1000;'
driver_run small -c "$T_TMP/small.conf" list
expect_eq "2 000 employees: records" "$(driver_field records "$T_TMP/small.out")" 2000
sim_stop

N=20000
sim_start --defect-rate 0.02 --employees $N --seed 7
CONF="$T_TMP/ipasnd.conf"
source_config "$CONF" 'page_size = 1000;'
driver_run full -c "$CONF" list
expect_eq "full listing: result" "$(driver_field result "$T_TMP/full.out")" ok
expect_eq "full listing: pages" "$(driver_field pages "$T_TMP/full.out")" $((N / 1000))
expect_eq "full listing: every record" "$(driver_field records "$T_TMP/full.out")" $N
expect_eq "full listing: one request per page" "$(sim_count /v1/asn 200)" $((N / 1000))
expect_eq "full listing: 19 requests with a cursor" \
	"$(curl -s "$SIM_URL/admin/stats" | jq .cursor_requests)" $((N / 1000 - 1))

# Memory follows the page size, not the listing: 20 pages peak within
# 16 MiB of 2 pages.
small=$(driver_field peak_rss_kb "$T_TMP/small.out")
large=$(driver_field peak_rss_kb "$T_TMP/full.out")
[ "$large" -le $((small + 16384)) ] || fail "peak RSS grew from $small kB (2 pages) to $large kB (20 pages)"
ok "peak RSS: $small kB for 2 pages, $large kB for 20 pages ($(driver_field ms "$T_TMP/full.out") ms)"

# updated_since: nothing after the future; only the fixed records after now.
driver_run future -c "$CONF" page --since 2999-01-01T00:00:00Z
expect_eq "updated_since in the future: records" "$(driver_field records "$T_TMP/future.out")" 0
expect_eq "updated_since in the future: last page" "$(driver_field next_cursor "$T_TMP/future.out")" null
since=$(date -u -d '-1 second' +%Y-%m-%dT%H:%M:%SZ)
for nip in $(curl -s "$SIM_URL/v1/asn?limit=3" | jq -r '.data[].nipBaru'); do
	sim_admin "fix?nip=$nip" >/dev/null
done
driver_run changed -c "$CONF" list --since "$since"
expect_eq "updated_since: the three changed records" "$(driver_field records "$T_TMP/changed.out")" 3
