# The listing's edge cases: a malformed page in the middle (nothing of it
# written, the cursor kept, the next run resumes there), and a record that
# changes while the listing runs, so that it is listed twice (stored once,
# the later copy winning, flagged duplicate_record).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
sim_start --employees 1000 --seed 21 --defect-rate 0
SOURCE_KEYS='page_size = 100;' LOG_KEYS='level = "debug";' write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

# Page 3 of the listing, as the simulator serves it, for the check below.
curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=100 >"$T_TMP/p1"
c1=$(jq -r .next_cursor "$T_TMP/p1")
curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=100 --data-urlencode "cursor=$c1" >"$T_TMP/p2"
c2=$(jq -r .next_cursor "$T_TMP/p2")
# Tombstones of employees never stored are not stored either.
first_two=$(jq -s '[.[].data[] | select(.deleted != true) | .nipBaru] | unique | length' \
	"$T_TMP/p1" "$T_TMP/p2")
curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=100 --data-urlencode "cursor=$c2" |
	jq -r '.data[].nipBaru' | sort >"$T_TMP/page3"
[ "$(wc -l <"$T_TMP/page3")" -eq 100 ] || fail "page 3 should hold 100 records"

# 1. A malformed page 3.
sim_admin "fault?kind=malformed&skip=2&count=1" >/dev/null
expect_exit 65 "$IPASND" -c "$C" sync
expect_grep "malformed page from http://127.0.0.1:$SIM_PORT/v1/asn?cursor=[^ ]* (HTTP 200): invalid JSON at line [0-9]*, column [0-9]*" "$T_TMP/out"
expect_grep "IPASN_EVENT=sync_failed" "$T_TMP/out"
ok "a malformed page fails the cycle with 65, naming the URL and the parser's position"
expect_eq "two pages written" "$(psql_val "SELECT pages FROM ipasn.sync_state")" 2
expect_eq "the cursor stays at page 3" "$(psql_val "SELECT cursor FROM ipasn.sync_state")" "$c2"
expect_eq "nothing of page 3 stored" "$(psql_val "SELECT count(*) FROM ipasn.employee
	WHERE nip IN ($(sed "s/.*/'&'/" "$T_TMP/page3" | paste -sd,))")" 0
expect_eq "only the first two pages stored" "$(psql_val "SELECT count(*) FROM ipasn.employee")" \
	"$first_two"
expect_eq "the failed run is recorded" \
	"$(psql_val "SELECT status || ' ' || pages FROM ipasn.sync_run ORDER BY id DESC LIMIT 1")" "failed 2"

expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "resuming the interrupted full listing after 2 pages" "$T_TMP/out"
all=$(curl -sfG "$SIM_URL/admin/defects" | jq -r .records)
expect_eq "every employee stored once" "$(psql_val "SELECT count(*) FROM ipasn.employee")" "$all"
ok "the next run resumes at page 3 and completes the listing"

# slow_sync CONFIG LOG [SYNC OPTIONS]: a sync slowed to 300 ms a page, in
# the background (its pid in $pid), once it has written its first page.
slow_sync() {
	ss_conf=$1
	ss_log=$2
	shift 2
	sim_admin "fault?kind=slow_headers&delay_ms=300&count=-1" >/dev/null
	"$IPASND" -c "$ss_conf" sync "$@" >"$ss_log" 2>&1 &
	pid=$!
	wait_until --show "$ss_log" 20 "the first page written" grep -q "IPASN_EVENT=page_written" "$ss_log"
}

# 2. A record changed during a listing comes again at its end.
slow_sync "$C" "$T_TMP/full.log" --full
first=$(curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=1 | jq -r '.data[0].nipBaru')
old_hash=$(psql_val "SELECT content_hash FROM ipasn.employee WHERE nip = '$first'")
sim_admin "fix?nip=$first" >/dev/null
wait $pid || { cat "$T_TMP/full.log" >&2; fail "the full sync failed"; }
sim_admin clear >/dev/null
expect_eq "listed twice, stored once" "$(psql_val "SELECT count(*) FROM ipasn.employee
	WHERE nip = '$first'")" 1
new=$(curl -sf "$SIM_URL/v1/asn/$first" | jq -c ".data | $CONTRACT_JQ")
expect_eq "the later copy won" "$(psql_val "SELECT raw::jsonb = '$(printf '%s' "$new" |
	sed "s/'/''/g")'::jsonb FROM ipasn.employee WHERE nip = '$first'")" t
[ "$(psql_val "SELECT content_hash FROM ipasn.employee WHERE nip = '$first'")" != "$old_hash" ] ||
	fail "the stored record is still the first copy"
expect_eq "duplicate_record open" "$(psql_val "SELECT count(*) FROM ipasn.v_open_issue
	WHERE nip = '$first' AND code = 'duplicate_record'")" 1
expect_grep "IPASN_EVENT=dq_issue NIP=$first .*DQ_CODE=duplicate_record" "$T_TMP/full.log"
ok "a record listed twice in one listing: stored once, the later copy, flagged"

# The next listing holds it once: the issue resolves.
expect_exit 0 "$IPASND" -c "$C" sync --full
expect_eq "duplicate_record resolved" "$(psql_val "SELECT count(*) FROM ipasn.v_open_issue
	WHERE nip = '$first' AND code = 'duplicate_record'")" 0
ok "listed once again: the duplicate_record issue resolves"

# 3. The same in a first load, which takes its records for new without
# looking them up: the page that holds a stored NIP again is written again
# with lookups. A tombstone of a record stored earlier in the listing
# still takes it out (in a load of its own: in the same page as the record
# that came again, the lookups of the page written again would find it).
two=$(curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=2 | jq -r '.data[].nipBaru')
again=$(echo "$two" | sed -n 1p)
gone=$(echo "$two" | sed -n 2p)
first_load() { # DB ADMIN-CALL: a first load into a new DB, ADMIN-CALL once a page is written
	pg_run "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PGPORT" -U ipasn "$1"
	sed "s/dbname=ipasn /dbname=$1 /" "$C" >"$T_TMP/$1.conf"
	expect_exit 0 "$IPASND" -c "$T_TMP/$1.conf" migrate
	slow_sync "$T_TMP/$1.conf" "$T_TMP/$1.log"
	sim_admin "$2" >/dev/null
	wait $pid || { cat "$T_TMP/$1.log" >&2; fail "the first load failed"; }
	sim_admin clear >/dev/null
	expect_grep "sync_finished MODE=full" "$T_TMP/$1.log"
	expect_eq "first load: every employee stored once" \
		"$(psql_val "SELECT count(*) - count(DISTINCT nip) FROM ipasn.employee" -d "$1")" 0
}

first_load first "fix?nip=$again"
fv() { psql_val "$1" -d first; }
expect_eq "first load: listed twice, stored once" \
	"$(fv "SELECT count(*) FROM ipasn.employee WHERE nip = '$again'")" 1
new=$(curl -sf "$SIM_URL/v1/asn/$again" | jq -c ".data | $CONTRACT_JQ")
expect_eq "first load: the later copy won" "$(fv "SELECT raw::jsonb = '$(printf '%s' "$new" |
	sed "s/'/''/g")'::jsonb FROM ipasn.employee WHERE nip = '$again'")" t
expect_eq "first load: duplicate_record open" "$(fv "SELECT count(*) FROM ipasn.v_open_issue
	WHERE nip = '$again' AND code = 'duplicate_record'")" 1
expect_eq "first load: the same employees as the other database" \
	"$(fv "SELECT count(*) FROM ipasn.employee")" "$(psql_val "SELECT count(*) FROM ipasn.employee")"
ok "a first load: a record listed twice is stored once, the later copy, flagged"

first_load first2 "delete?nip=$gone"
expect_eq "first load: the tombstone took its employee out" "$(psql_val "SELECT active::text || ' '
	|| deleted::text FROM ipasn.employee WHERE nip = '$gone'" -d first2)" "false true"
ok "a first load: a tombstone takes out an employee stored earlier in the listing"
