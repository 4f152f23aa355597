# source.type "siasn" against the simulator's WS SIASN: the same workforce
# synced through SIASN and through the listing gives the same scores, view
# for view; every data call carries both tokens; never more than parallel
# calls in flight, never more than the rate a second; a second sync
# fetches nothing; --nip refreshes one employee; a NIP leaving the roster
# leaves scope; a NIP SIASN does not know is quarantined as
# siasn_not_found.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

N=$(scaled 2000)
TODAY=$(date -u +%Y-%m-%d)
# parallel / latency (400 calls a second) is above the rate: the rate binds.
PARALLEL=6
RATE=250

pg_start
pg_run "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PGPORT" -U ipasn listing
sim_start --api siasn --auth oauth2 --client-id bkd --client-secret rahasia --sso-token sso-abc \
	--employees "$N" --seed 7 --today "$TODAY" --latency 15 --roster-separator ';' \
	--roster-encoding windows-1252 --write-roster "$T_TMP/roster.csv"
printf 'rahasia\n' >"$T_TMP/secret"
printf 'sso-abc\n' >"$T_TMP/sso"
chmod 600 "$T_TMP/secret" "$T_TMP/sso"
AUTH="auth: { type = \"oauth2\"; token_url = \"$SIM_URL/oauth2/token\"; client_id = \"bkd\";
              client_secret_file = \"secret\"; };"
INDEX='index: { period = 2025; as_of = "2025-06-30"; };'

# The listing, into its own database: the reference.
SOURCE_KEYS="$AUTH page_size = 500;" write_config "$T_TMP/listing.conf" "$INDEX"
sed -i 's/dbname=ipasn /dbname=listing /' "$T_TMP/listing.conf"
expect_exit 0 "$IPASND" -c "$T_TMP/listing.conf" sync
ok "the listing synced into the reference database"

base=$SIM_URL
SIM_URL="$base/apisiasn/1.0" SOURCE_KEYS="type = \"siasn\"; rate_limit = $RATE.0; $AUTH
	siasn: { sso_token_file = \"sso\"; roster_file = \"roster.csv\"; parallel = $PARALLEL; };" \
	write_config "$T_TMP/siasn.conf" "$INDEX"
curl -s -f -X POST "$base/admin/reset-stats" >/dev/null

# stat FIELD: a member of the simulator's SIASN statistics.
stat() { curl -s -f "$base/admin/stats" | jq -r ".siasn.$1"; }

expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync
cp "$T_TMP/out" "$T_TMP/first.out"
roster_n=$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE left_at IS NULL")
expect_eq "the roster table holds every live employee of the export" "$roster_n" \
	"$(($(wc -l <"$T_TMP/roster.csv") - 1))"
for c in data-utama rw-pendidikan rw-diklat rw-kursus rw-skp rw-skp22 rw-hukdis nilaiipasn; do
	expect_eq "one $c call per roster NIP" "$(stat "calls[\"$c\"]")" "$roster_n"
done
expect_eq "every data call carried Authorization" "$(stat missing_authorization)" 0
expect_eq "every data call carried Auth" "$(stat missing_auth)" 0
mif=$(stat max_in_flight)
[ "$mif" -le "$PARALLEL" ] || fail "$mif calls in flight, more than parallel = $PARALLEL"
[ "$mif" -ge 2 ] || fail "only $mif call in flight at once: the calls did not overlap"
ok "at most parallel calls in flight ($mif of $PARALLEL)"
mps=$(stat max_per_second)
# ipasnd starts at most RATE calls in any second; the simulator counts
# arrivals, each after its start by a delay that varies on a busy machine
# (20 ms of it lets 2% more arrive within one second of the simulator's
# clock). Without the limit, parallel and latency allow 400 a second.
[ "$mps" -le $((RATE + RATE / 50 + 1)) ] || fail "$mps calls in one second, more than rate_limit = $RATE"
ok "the rate limit held ($mps calls in the busiest second, limit $RATE)"
achieved=$(sed -n 's/.*all refreshed in about .* at \([0-9.]*\) requests\/s.*/\1/p' "$T_TMP/first.out")
awk -v a="$achieved" -v r="$RATE" 'BEGIN { exit !(a >= 0.8 * r) }' ||
	fail "the first sync fetched at $achieved requests/s, far below the limit of $RATE"
ok "the rate limit is used: $achieved requests/s of $RATE"
# A record whose data-utama names another nipBaru than the roster (one of
# the simulator's nip_invalid defects) is malformed: that employee is not
# written and stays due; every other one is fetched.
failed=$(grep -c 'IPASN_EVENT=siasn_employee_failed' "$T_TMP/first.out" || true)
expect_eq "each employee not written is one whose data-utama names another NIP" \
	"$(grep 'IPASN_EVENT=siasn_employee_failed' "$T_TMP/first.out" | grep -c 'nipBaru is not the NIP asked for' || true)" "$failed"
[ "$failed" -le 3 ] || fail "$failed employees failed"
expect_eq "every other roster NIP fetched" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NOT NULL")" $((roster_n - failed))
expect_eq "the failed ones are counted so" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NULL AND failures = 1")" "$failed"

# scores DB: the three views, ordered, one text.
scores() {
	psql_val "SELECT nip, name, opd_id, opd_name, period, qualification, competency, performance,
	                 discipline, total, category FROM ipasn.v_employee_score ORDER BY nip" -d "$1"
	psql_val "SELECT * FROM ipasn.v_opd_score ORDER BY period, opd_id" -d "$1"
	psql_val "SELECT * FROM ipasn.v_instansi_score ORDER BY period" -d "$1"
}
scores listing >"$T_TMP/listing.scores"
scores ipasn >"$T_TMP/siasn.scores"
[ "$(psql_val "SELECT count(*) FROM ipasn.v_employee_score" -d listing)" -gt $((N / 2)) ] ||
	fail "the reference holds too few scores to compare"
diff -u "$T_TMP/listing.scores" "$T_TMP/siasn.scores" >"$T_TMP/scores.diff" ||
	{ head -20 "$T_TMP/scores.diff" >&2; fail "the views differ between the listing and WS SIASN"; }
ok "v_employee_score, v_opd_score and v_instansi_score are the listing's exactly ($(wc -l <"$T_TMP/siasn.scores") rows)"

# nilaiipasn lands beside the listing's ipAsn as SIASN's own: the same
# values, each row saying where it came from.
official() { psql_val "SELECT nip, year, qualification, competency, performance, discipline, total
	FROM ipasn.official_ipasn WHERE source = '$2' ORDER BY nip, year" -d "$1"; }
official listing listing >"$T_TMP/listing.official"
official ipasn siasn >"$T_TMP/siasn.official"
[ -s "$T_TMP/siasn.official" ] || fail "no official value stored from nilaiipasn"
expect_eq "official values from nilaiipasn that are not SIASN's" \
	"$(psql_val "SELECT count(*) FROM ipasn.official_ipasn WHERE source <> 'siasn'")" 0
diff -u "$T_TMP/listing.official" "$T_TMP/siasn.official" >"$T_TMP/official.diff" ||
	{ head -20 "$T_TMP/official.diff" >&2; fail "nilaiipasn's values differ from the listing's ipAsn"; }
ok "nilaiipasn stored as SIASN's official values, the listing's ipAsn exactly ($(wc -l <"$T_TMP/siasn.official") rows)"

# With their records mended in SIASN, the next sync asks again for the
# failed ones, and only them; the one after has nothing due and makes no
# call.
for nip in $(psql_val "SELECT nip FROM ipasn.siasn_roster WHERE fetched_at IS NULL"); do
	curl -s -f -X POST "$base/admin/fix?nip=$nip" >/dev/null || fail "fixing $nip"
done
before=$(stat 'calls["data-utama"]')
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync
expect_eq "the next sync asks again for the failed ones only" \
	"$(stat 'calls["data-utama"]')" $((before + failed))
expect_eq "and now every roster NIP is fetched" \
	"$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NOT NULL")" "$roster_n"
before=$((before + failed))
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync
expect_eq "a sync with nothing due fetches nothing" "$(stat 'calls["data-utama"]')" "$before"
expect_grep "WS SIASN: 0 of $roster_n roster NIPs due" "$T_TMP/out"

# --nip: one employee, its fetch time moves.
NIP=$(psql_val "SELECT nip FROM ipasn.siasn_roster WHERE fetched_at IS NOT NULL ORDER BY nip LIMIT 1")
t0=$(psql_val "SELECT fetched_at FROM ipasn.siasn_roster WHERE nip = '$NIP'")
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync --nip "$NIP"
expect_eq "--nip makes one data-utama call" "$(stat 'calls["data-utama"]')" $((before + 1))
expect_eq "--nip makes eight calls in all" "$(stat 'calls["nilaiipasn"]')" $((before + 1))
[ "$(psql_val "SELECT fetched_at > '$t0' FROM ipasn.siasn_roster WHERE nip = '$NIP'")" = t ] ||
	fail "--nip did not move the fetch time of $NIP"
ok "--nip refreshes one employee"
expect_exit 64 "$IPASND" -c "$T_TMP/siasn.conf" sync --nip 199001012015011001
ok "--nip of a NIP outside the roster is refused"
expect_exit 64 "$IPASND" -c "$T_TMP/siasn.conf" sync --dry-run
expect_grep "sync --dry-run reads a listing" "$T_TMP/out"

# A NIP that leaves the roster leaves scope; the file is re-read as it changed.
GONE=$(psql_val "SELECT nip FROM ipasn.v_employee_score ORDER BY nip DESC LIMIT 1")
grep -v "$GONE" "$T_TMP/roster.csv" >"$T_TMP/roster.new"
[ "$(wc -l <"$T_TMP/roster.new")" -eq $(($(wc -l <"$T_TMP/roster.csv") - 1)) ] ||
	fail "$GONE is not on exactly one roster line"
emp_before=$(psql_val "SELECT employees FROM ipasn.v_instansi_score WHERE period = 2025")
mv "$T_TMP/roster.new" "$T_TMP/roster.csv"
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync
expect_grep "1 left the roster, 1 of them deactivated" "$T_TMP/out"
expect_eq "the employee who left is inactive" \
	"$(psql_val "SELECT active FROM ipasn.employee WHERE nip = '$GONE'")" f
expect_eq "and kept, not deleted" "$(psql_val "SELECT count(*) FROM ipasn.employee WHERE nip = '$GONE'")" 1
expect_eq "out of v_employee_score" \
	"$(psql_val "SELECT count(*) FROM ipasn.v_employee_score WHERE nip = '$GONE'")" 0
expect_eq "out of the instansi's count" \
	"$(psql_val "SELECT employees FROM ipasn.v_instansi_score WHERE period = 2025")" $((emp_before - 1))
expect_eq "and no call was made for it" "$(stat 'calls["data-utama"]')" $((before + 1))

# A NIP SIASN does not know: siasn_not_found, fetched, never scored.
UNKNOWN=199912312024121001
sed -n 2p "$T_TMP/roster.csv" | awk -F';' -v OFS=';' -v n="$UNKNOWN" '{ $2 = n; print }' \
	>"$T_TMP/roster.line"
cat "$T_TMP/roster.line" >>"$T_TMP/roster.csv"
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync
expect_grep "IPASN_EVENT=record_quarantined NIP=$UNKNOWN DQ_CODE=siasn_not_found" "$T_TMP/out"
expect_eq "it is quarantined as siasn_not_found" \
	"$(psql_val "SELECT code FROM ipasn.quarantine WHERE nip = '$UNKNOWN'")" siasn_not_found
expect_eq "it counts as fetched, marked not found" \
	"$(psql_val "SELECT fetched_at IS NOT NULL AND not_found FROM ipasn.siasn_roster WHERE nip = '$UNKNOWN'")" t
expect_eq "it is not scored" "$(psql_val "SELECT count(*) FROM ipasn.employee_score WHERE nip = '$UNKNOWN'")" 0
expect_eq "only data-utama was asked for it" "$(stat 'calls["rw-pendidikan"]')" $((before + 1))
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" sync
expect_eq "and it is not asked again before refresh_every" "$(stat 'calls["data-utama"]')" $((before + 2))

# ipasnd status: the roster's state, and a good last cycle.
expect_exit 0 "$IPASND" -c "$T_TMP/siasn.conf" status
expect_grep "WS SIASN roster: [0-9,]* NIPs, 0 due (0 never fetched, 0 failing, 1 unknown to SIASN)" "$T_TMP/out"
expect_grep "^OK: the last cycle ended" "$T_TMP/out"
ok "ipasnd status says how much of the roster is due"
