# A sync that runs across New Year, with index.period = 0 (the current
# year): the cycle takes its period and as-of date once, at its start, and
# every page is scored for that year, not the first pages for one year and
# the later ones for the next. The clock is libfaketime's, starting two
# seconds before midnight of 31 December; the listing is paced to take
# about six seconds.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -r "$FAKETIME_LIB" ] || fail "libfaketime is not installed (tools/deps installs faketime)"

pg_start
sim_start --defect-rate 0.02 --employees 1200 --seed 7 --today 2025-12-31
SOURCE_KEYS='page_size = 100; rate_limit = 2.0;' write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

# Only the wall clock is moved: timeouts and pacing keep the real one.
# The sanitizers' runtime need not come first among the preloaded ones.
set +e
env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@2025-12-31 23:59:58" DONT_FAKE_MONOTONIC=1 \
	FAKETIME_NO_CACHE=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	"$IPASND" -c "$C" sync >"$T_TMP/out" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || { tail -20 "$T_TMP/out" >&2; fail "the sync exited $rc"; }
grep -q "IPASN_EVENT=sync_finished" "$T_TMP/out" || fail "no sync_finished"
pages=$(psql_val "SELECT pages FROM ipasn.sync_run")
[ "$pages" -ge 12 ] || fail "only $pages pages: the listing did not run across midnight"
expect_eq "every score is of one period" \
	"$(psql_val "SELECT string_agg(DISTINCT period::text, ',') FROM ipasn.employee_score")" 2025
expect_eq "every score as of 31 December 2025" \
	"$(psql_val "SELECT string_agg(DISTINCT as_of::text, ',') FROM ipasn.employee_score")" 2025-12-31
expect_eq "one instansi value, for 2025" \
	"$(psql_val "SELECT string_agg(period::text, ',') FROM ipasn.instansi_score")" 2025
expect_eq "the scores of every employee" \
	"$(psql_val "SELECT count(*) FROM ipasn.employee e WHERE NOT EXISTS (SELECT 1 FROM
	  ipasn.employee_score s WHERE s.nip = e.nip AND s.period = 2025)")" 0
ok "a sync across New Year scores every page for the year it started in"
