# The WS SIASN faults, one a row as in the fault matrix (tests/faults):
# the exit status, the events logged, and what the database holds: only
# whole employees, each with the scores a fault-free sync gives, and their
# fetch times with them. Once the fault is cleared the next sync completes
# and the views equal the reference.
#
# row | fault                                              | exit | events
#  1  | the APIM token expires mid-run                     | 0    | token_refreshed HTTP_STATUS=401; sync_finished; one token request more
#  2a | the SSO token refused (Token SSO mismatch)         | 69   | siasn_sso_refused SETTING=source.siasn.sso_token_file; sync_failed
#  2b | 401 that persists after the APIM refresh           | 69   | token_refreshed; siasn_sso_refused SETTING=source.siasn.sso_token_file
#  3  | 429 with WSO2 900800, Retry-After 1                | 0    | rate_limited HTTP_STATUS=429; sync_finished
#  4  | Runtime Error, backend SUSPENDED                   | 0    | rate_limited HTTP_STATUS=503, a wait of at least backoff_max; sync_finished
#  5  | one employee's rw-hukdis keeps failing (500)       | 0    | http_retry; siasn_employee_failed NIP; the others refreshed
#  6  | kill -9 mid-batch                                  | 137  | the next run completes
#  7  | ipasnd run: SSO token and roster renewed in place  | -    | siasn_sso_refused, then sync_finished in the same process
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

N=300
TODAY=$(date -u +%Y-%m-%d)

pg_start
sim_start --api siasn --auth oauth2 --client-id bkd --client-secret rahasia --sso-token sso-abc \
	--employees $N --seed 13 --today "$TODAY" --latency 5 --write-roster "$T_TMP/roster.csv"
base=$SIM_URL
printf 'rahasia\n' >"$T_TMP/secret"
printf 'sso-abc\n' >"$T_TMP/sso"
chmod 600 "$T_TMP/secret" "$T_TMP/sso"

# conf DB [SOURCE KEYS]: a config for database DB; prints its path.
conf() {
	pg_run "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PGPORT" -U ipasn "$1"
	SIM_URL="$base/apisiasn/1.0" SOURCE_KEYS="type = \"siasn\"; rate_limit = 1000.0;
		auth: { type = \"oauth2\"; token_url = \"$base/oauth2/token\"; client_id = \"bkd\";
		        client_secret_file = \"secret\"; };
		siasn: { sso_token_file = \"sso\"; roster_file = \"roster.csv\"; parallel = 4; }; ${2:-}" \
		write_config "$T_TMP/$1.conf" 'index: { period = 2025; as_of = "2025-06-30"; };'
	sed -i "s/dbname=ipasn /dbname=$1 /" "$T_TMP/$1.conf"
	echo "$T_TMP/$1.conf"
}

arm() { curl -s -f -X POST "$base/admin/fault?$1" >/dev/null || fail "arming $1"; }
clear_faults() { curl -s -f -X POST "$base/admin/clear" >/dev/null; }
tokens() { sim_count /oauth2/token 200; }

# event FILE EVENT [FIELD=VALUE | FIELD]...: a line of FILE is EVENT with those fields.
event() {
	ev_file=$1
	ev_pat="IPASN_EVENT=$2( |\$)"
	shift 2
	grep -E "$ev_pat" "$ev_file" >"$T_TMP/ev" || { tail -20 "$ev_file" >&2; fail "no $ev_pat event"; }
	for f in "$@"; do
		grep -q -e " $f" "$T_TMP/ev" || { cat "$T_TMP/ev" >&2; fail "no $ev_pat event with $f"; }
	done
}

# whole DB: every employee stored is whole: fetched (its roster row says
# so, in the same transaction), scored, and scored as the reference; every
# NIP fetched is stored, or quarantined (a record breaking the contract).
whole() {
	expect_eq "$1: an employee row for every NIP fetched, and no other" \
		"$(psql_val "SELECT count(*) FROM ipasn.employee e FULL JOIN ipasn.siasn_roster r USING (instansi_id, nip)
		             WHERE (e.nip IS NULL AND r.fetched_at IS NOT NULL AND NOT r.not_found
		                    AND NOT EXISTS (SELECT 1 FROM ipasn.quarantine q WHERE q.nip = r.nip))
		                OR (e.nip IS NOT NULL AND (r.nip IS NULL OR r.fetched_at IS NULL))" -d "$1")" 0
	psql_val "SELECT nip, qualification, competency, performance, discipline, total FROM ipasn.v_employee_score
	          ORDER BY nip" -d "$1" >"$T_TMP/$1.scores"
	cut -d'|' -f1 "$T_TMP/$1.scores" | sed 's/$/|/' >"$T_TMP/$1.nips"
	psql_val "SELECT nip, qualification, competency, performance, discipline, total FROM ipasn.v_employee_score
	          ORDER BY nip" -d ref | grep -F -f "$T_TMP/$1.nips" >"$T_TMP/$1.ref" || true
	diff -q "$T_TMP/$1.ref" "$T_TMP/$1.scores" >/dev/null || fail "$1: scores unlike the reference's"
	ok "$1: the $(wc -l <"$T_TMP/$1.scores") employees stored are whole and scored as the reference"
}

# recovers DB CONF: the fault cleared, the next sync completes and the views are the reference's.
recovers() {
	clear_faults
	expect_exit 0 "$IPASND" -c "$2" sync
	for v in v_employee_score v_opd_score v_instansi_score; do
		[ "$(psql_val "SELECT * FROM ipasn.$v ORDER BY 1, 2" -d "$1")" = \
			"$(psql_val "SELECT * FROM ipasn.$v ORDER BY 1, 2" -d ref)" ] || fail "$1: $v unlike the reference's"
	done
	ok "$1: the next sync completes and the views are the reference's"
}

REF=$(conf ref)
expect_exit 0 "$IPASND" -c "$REF" sync
ok "the reference synced without a fault"

# ---- 1: the APIM token expires mid-run: one refresh for every call in flight.
C=$(conf row1)
t0=$(tokens)
arm "kind=token_expired&skip=600"
expect_exit 0 "$IPASND" -c "$C" sync
event "$T_TMP/out" token_refreshed HTTP_STATUS=401
event "$T_TMP/out" sync_finished
expect_eq "row 1: one token request at the start and one refresh, shared by every call in flight" \
	"$(tokens)" $((t0 + 2))
expect_eq "row 1: one refresh" "$(grep -c 'IPASN_EVENT=token_refreshed' "$T_TMP/out")" 1
recovers row1 "$C"

# ---- 2a: the SSO token refused.
C=$(conf row2a)
arm "kind=sso_refused&count=-1&skip=400"
expect_exit 69 "$IPASND" -c "$C" sync
event "$T_TMP/out" siasn_sso_refused SETTING=source.siasn.sso_token_file
expect_grep "must be renewed in source.siasn.sso_token_file" "$T_TMP/out"
event "$T_TMP/out" sync_failed
expect_eq "row 2a: the run is recorded as failed" \
	"$(psql_val "SELECT status FROM ipasn.sync_run ORDER BY id DESC LIMIT 1" -d row2a)" failed
if grep -q 'sso-abc' "$T_TMP/out"; then fail "row 2a: the SSO token is in the log"; fi
whole row2a
recovers row2a "$C"

# ---- 2b: a 401 that persists after the APIM refresh is the SSO token's.
C=$(conf row2b)
arm "kind=status&status=401&siasn=1&message=invalid%20or%20expired%20jwt&count=-1&skip=300"
expect_exit 69 "$IPASND" -c "$C" sync
event "$T_TMP/out" token_refreshed
event "$T_TMP/out" siasn_sso_refused SETTING=source.siasn.sso_token_file
whole row2b
recovers row2b "$C"

# ---- 3: throttled, 429 with WSO2's 900800.
C=$(conf row3)
arm "kind=throttled&retry_after=1&count=3&skip=200"
t=$(now_ms)
expect_exit 0 "$IPASND" -c "$C" sync
event "$T_TMP/out" rate_limited HTTP_STATUS=429
[ $(($(now_ms) - t)) -ge 1000 ] || fail "row 3: Retry-After 1 s was not waited for"
whole row3
expect_eq "row 3: every employee fetched" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NULL" -d row3)" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NULL" -d ref)"
recovers row3 "$C"

# ---- 4: the backend SUSPENDED: every call waits (backoff_max 2 s caps WSO2's 30 s).
C=$(conf row4 'backoff_max = "2s";')
arm "kind=suspended&count=2&skip=200"
t=$(now_ms)
expect_exit 0 "$IPASND" -c "$C" sync
event "$T_TMP/out" rate_limited HTTP_STATUS=503 WAIT_MS=2000
[ $(($(now_ms) - t)) -ge 2000 ] || fail "row 4: the suspension was not waited out"
whole row4
recovers row4 "$C"

# ---- 5: one employee's call keeps failing: the others are written, it keeps its stored version.
C=$(conf row5)
expect_exit 0 "$IPASND" -c "$C" sync
ONE=$(psql_val "SELECT nip FROM ipasn.v_employee_score ORDER BY nip LIMIT 1 OFFSET 7" -d row5)
h0=$(psql_val "SELECT content_hash FROM ipasn.employee WHERE nip = '$ONE'" -d row5)
f0=$(psql_val "SELECT fetched_at FROM ipasn.siasn_roster WHERE nip = '$ONE'" -d row5)
arm "kind=status&status=500&count=-1&path=/apisiasn/1.0/pns/rw-hukdis/$ONE"
expect_exit 0 "$IPASND" -c "$C" sync --full
event "$T_TMP/out" http_retry HTTP_STATUS=500
event "$T_TMP/out" siasn_employee_failed "NIP=$ONE"
expect_eq "row 5: its stored version stays" \
	"$(psql_val "SELECT content_hash FROM ipasn.employee WHERE nip = '$ONE'" -d row5)" "$h0"
expect_eq "row 5: its fetch time stays, one failure counted" \
	"$(psql_val "SELECT fetched_at = '$f0' AND failures = 1 FROM ipasn.siasn_roster WHERE nip = '$ONE'" -d row5)" t
expect_eq "row 5: every other employee refreshed" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE nip <> '$ONE' AND fetched_at <= '$f0'
	             AND NOT not_found AND failures = 0" -d row5)" 0
whole row5
recovers row5 "$C"

# ---- 6: kill -9 mid-batch.
# Batches of 10 employees, every call 100 ms late: a batch every 2 s or so.
C=$(conf row6 'page_size = 10;')
arm "kind=slow_headers&delay_ms=100&count=-1"
"$IPASND" -c "$C" sync >"$T_TMP/row6.out" 2>&1 &
pid=$!
committed() {
	[ "$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NOT NULL" -d row6)" -gt 0 ]
}
wait_until 60 "row 6: a first batch committed" committed
sleep 0.5
kill -9 "$pid"
set +e
wait "$pid"
rc=$?
set -e
expect_eq "row 6: killed" "$rc" 137
[ "$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NULL" -d row6)" -gt 0 ] ||
	fail "row 6: the kill came after the last batch"
whole row6
recovers row6 "$C"

# ---- 7: ipasnd run keeps going while the SSO token and the roster are
# renewed in their files: the next cycle reads them, no restart.
C=$(conf row7)
printf 'sso-expired\n' >"$T_TMP/sso7"
chmod 600 "$T_TMP/sso7"
sed -i 's/sso_token_file = "sso"/sso_token_file = "sso7"/; s/roster_file = "roster.csv"/roster_file = "roster7.csv"/' "$C"
cp "$T_TMP/roster.csv" "$T_TMP/roster7.csv"
echo 'sync: { interval = "1h"; jitter = 0.0; };' >>"$C"
"$IPASND" -c "$C" run >"$T_TMP/row7.log" 2>&1 &
DPID=$!
T_PIDS="$T_PIDS $DPID"
refused() { grep -q 'IPASN_EVENT=siasn_sso_refused' "$T_TMP/row7.log"; }
wait_until --show "$T_TMP/row7.log" 30 "row 7: the expired SSO token refused" refused
printf 'sso-abc\n' >"$T_TMP/sso7.new"
chmod 600 "$T_TMP/sso7.new"
mv "$T_TMP/sso7.new" "$T_TMP/sso7"
GONE7=$(sed -n 2p "$T_TMP/roster7.csv" | cut -d, -f2 | tr -d "'")
grep -v "$GONE7" "$T_TMP/roster7.csv" >"$T_TMP/roster7.new"
mv "$T_TMP/roster7.new" "$T_TMP/roster7.csv"
kill -USR1 "$DPID"
finished() { grep -q 'IPASN_EVENT=sync_finished' "$T_TMP/row7.log"; }
wait_until --show "$T_TMP/row7.log" 60 "row 7: a cycle with the renewed token" finished
expect_eq "row 7: the daemon read the new token: every other roster NIP fetched" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE left_at IS NULL AND fetched_at IS NULL" -d row7)" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NULL AND nip <> '$GONE7'" -d ref)"
expect_eq "row 7: and the new roster: the NIP taken out of it has left" \
	"$(psql_val "SELECT left_at IS NOT NULL FROM ipasn.siasn_roster WHERE nip = '$GONE7'" -d row7)" t
expect_eq "row 7: one process all along" "$(kill -0 "$DPID" && echo alive)" alive
kill -TERM "$DPID"
wait "$DPID" || fail "row 7: the daemon did not stop cleanly"
