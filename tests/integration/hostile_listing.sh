# A SIMPEG that lies or breaks: a listing that loops or never advances, a
# poisoned record, a clock gone wrong, an answer for another NIP, a doubled
# NIP, a huge header. None stalls the sync, misleads it or writes half of
# anything; each is named in the log.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

EMPLOYEES=800
pg_start
sim_start --employees $EMPLOYEES --seed 21 --header-room 1100000
SOURCE_KEYS='page_size = 100;' write_config "$T_TMP/ipasnd.conf"
C=$T_TMP/ipasnd.conf

listing_requests() { sim_count /v1/asn total; }
state() { psql_val "SELECT coalesce(cursor, '-') || ' ' || pages FROM ipasn.sync_state"; }
fresh_db() {
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -c "DROP SCHEMA IF EXISTS ipasn CASCADE"
	sim_admin clear >/dev/null
	sim_admin reset-stats >/dev/null
}

# The NIPs of each page of the full listing, as the simulator serves it.
cursor=""
for n in 1 2 3 4 5 6 7 8; do
	curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=100 ${cursor:+--data-urlencode "cursor=$cursor"} >"$T_TMP/page"
	jq -r '.data[].nipBaru' "$T_TMP/page" >"$T_TMP/nips$n"
	cursor=$(jq -r '.next_cursor // empty' "$T_TMP/page")
done
in_list() { # FILE: the NIPs of FILE as an SQL list
	sed "s/.*/'&'/" "$1" | paste -sd, -
}
cat "$T_TMP/nips1" "$T_TMP/nips2" "$T_TMP/nips3" >"$T_TMP/first3"

# The reference: what a sync without a fault stores.
expect_exit 0 "$IPASND" -c "$C" sync
REF_ALL=$(psql_val "SELECT count(*) FROM ipasn.employee")
REF3=$(psql_val "SELECT count(*) FROM ipasn.employee WHERE nip IN ($(in_list "$T_TMP/first3"))")
fresh_db

# ---- a cursor handed out twice ------------------------------------------------
# Pages 1 to 3 as they are, then a next_cursor back to page 2, for ever.
sim_admin "fault?kind=cursor_loop&back=2&skip=3&count=-1" >/dev/null
expect_exit 65 timeout 60 "$IPASND" -c "$C" sync
expect_grep "IPASN_EVENT=listing_loop" "$T_TMP/out"
expect_grep "handed out before in this listing" "$T_TMP/out"
[ "$(listing_requests)" -le 6 ] || fail "$(listing_requests) listing requests before the loop was seen"
expect_eq "pages before the loop stay written, nothing after" \
	"$(psql_val "SELECT count(*) FILTER (WHERE nip NOT IN ($(in_list "$T_TMP/first3"))) || ' ' || count(*) FROM ipasn.employee")" \
	"0 $REF3"
expect_eq "the looping cursor is not kept" "$(state)" "- 0"
expect_eq "nobody marked inactive" "$(psql_val "SELECT count(*) FROM ipasn.employee WHERE NOT active")" 0
sim_admin clear >/dev/null
sim_admin reset-stats >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_eq "the next cycle lists again from the start (8 pages)" "$(listing_requests)" 8
expect_eq "then every employee" "$(psql_val "SELECT count(*) FROM ipasn.employee")" "$REF_ALL"
ok "a cursor seen twice fails the cycle with listing_loop; the next lists from the watermark"

# ---- fresh cursors to the same records ----------------------------------------
# An incremental listing of 300 changed records whose second page comes
# back again and again under new cursors: no cursor repeats, nothing moves.
sim_admin "mutate?count=300" >/dev/null
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=cursor_churn&skip=1&count=-1" >/dev/null
expect_exit 65 timeout 60 "$IPASND" -c "$C" sync
expect_grep "IPASN_EVENT=listing_loop" "$T_TMP/out"
expect_grep "the listing does not advance" "$T_TMP/out"
[ "$(listing_requests)" -le 6 ] || fail "$(listing_requests) listing requests for a listing going nowhere"
sim_admin clear >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_exit 0 "$IPASND" -c "$C" sync --full
expect_grep "UPDATED=0" "$T_TMP/out"
ok "a listing that does not advance fails with listing_loop, and nothing is lost"

# ---- a poisoned record ---------------------------------------------------------
# One record jansson refuses, on page 2 of a full listing: it is
# quarantined; the page's other records and the later pages are written.
for which in nul dupkey bigreal bigint surrogate; do
	fresh_db
	sim_admin "fault?kind=poison&which=$which&skip=1" >/dev/null
	expect_exit 0 "$IPASND" -c "$C" sync
	expect_eq "poison $which: every employee written" "$(psql_val "SELECT count(*) FROM ipasn.employee")" "$REF_ALL"
	expect_eq "poison $which: quarantined as record_malformed" \
		"$(psql_val "SELECT count(*) FROM ipasn.quarantine WHERE code = 'record_malformed' AND nip = '198804122014031002'")" 1
	expect_eq "poison $which: the listing ended" "$(state)" "- 0"
done
ok "a poisoned record is quarantined and the listing goes on"
fresh_db

# ---- a broken envelope fails the page, and only it ---------------------------
expect_exit 0 "$IPASND" -c "$C" sync
sim_admin "mutate?count=150" >/dev/null
sim_admin "fault?kind=broken_envelope&skip=1" >/dev/null
before=$(state)
expect_exit 65 "$IPASND" -c "$C" sync
expect_grep "malformed page" "$T_TMP/out"
expect_exit 0 "$IPASND" -c "$C" sync
ok "a broken envelope fails its page ($before), the next cycle goes on"

# ---- the server's clock --------------------------------------------------------
fresh_db
sim_admin "fault?kind=server_time&server_time=9999-12-31T00:00:00Z&count=-1" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "IPASN_EVENT=clock_skew" "$T_TMP/out"
expect_eq "a server time far ahead is not the watermark" \
	"$(psql_val "SELECT watermark BETWEEN now() - interval '10 min' AND now() FROM ipasn.sync_state")" t
sim_admin clear >/dev/null
wm=$(psql_val "SELECT extract(epoch FROM watermark)::bigint FROM ipasn.sync_state")
sim_admin "fault?kind=server_time&server_time=2000-01-01T00:00:00Z&count=-1" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
if grep -q "IPASN_EVENT=clock_skew" "$T_TMP/out"; then fail "a server time in the past was refused"; fi
expect_eq "the watermark moves back by the overlap at most" \
	"$(psql_val "SELECT extract(epoch FROM watermark)::bigint >= $wm - 300 FROM ipasn.sync_state")" t
sim_admin clear >/dev/null
sim_admin "mutate?count=5" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "UPDATED=[1-9]" "$T_TMP/out"
ok "server_time in 9999 is refused with clock_skew; in 2000 only re-reads; later changes arrive"

# ---- an answer for another NIP -------------------------------------------------
nip=$(psql_val "SELECT nip FROM ipasn.employee ORDER BY nip LIMIT 1")
psql_val "CREATE TABLE before AS SELECT nip, content_hash, changed_at FROM ipasn.employee" >/dev/null
sim_admin "fix?nip=$nip" >/dev/null
sim_admin "fault?kind=wrong_nip" >/dev/null
expect_exit 65 "$IPASND" -c "$C" sync --nip "$nip"
expect_grep "when asked for $nip; nothing was written" "$T_TMP/out"
expect_eq "no employee changed" "$(psql_val "SELECT count(*) FROM ipasn.employee e JOIN before b USING (nip)
	WHERE e.content_hash <> b.content_hash OR e.changed_at <> b.changed_at")" 0
psql_val "DROP TABLE before" >/dev/null
ok "sync --nip answered with another NIP exits 65 and writes nothing"

# ---- a NIP twice in every listing ----------------------------------------------
fresh_db
sim_admin "fault?kind=duplicate&count=-1" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
# the fault doubles the listing's first record
dup=$(curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=1 | jq -r '.data[0].nipBaru')
expect_eq "the doubled NIP has its issue" \
	"$(psql_val "SELECT count(*) FROM ipasn.issue WHERE code = 'duplicate_record' AND nip = '$dup' AND resolved_at IS NULL")" 1
changed=$(psql_val "SELECT changed_at FROM ipasn.employee WHERE nip = '$dup'")
for i in 1 2; do
	expect_exit 0 "$IPASND" -c "$C" sync --full
	if grep "DQ_CODE=duplicate_record" "$T_TMP/out" | grep -q "NIP=$dup"; then
		grep "duplicate_record" "$T_TMP/out" >&2
		fail "full listing $i logged the open duplicate_record again"
	fi
	expect_grep "UPDATED=0" "$T_TMP/out"
done
expect_eq "the doubled NIP was written once" "$(psql_val "SELECT changed_at FROM ipasn.employee WHERE nip = '$dup'")" "$changed"
expect_eq "its issue stayed open, one row" \
	"$(psql_val "SELECT count(*) || ' ' || count(*) FILTER (WHERE resolved_at IS NULL) FROM ipasn.issue WHERE code = 'duplicate_record' AND nip = '$dup'")" "1 1"
sim_admin clear >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync --full
expect_grep "IPASN_EVENT=dq_resolved NIP=$dup .*DQ_CODE=duplicate_record" "$T_TMP/out"
expect_eq "a full listing without the copy resolves it" \
	"$(psql_val "SELECT count(*) FROM ipasn.issue WHERE code = 'duplicate_record' AND nip = '$dup' AND resolved_at IS NOT NULL")" 1
ok "a doubled NIP is written once per listing; its issue neither flaps nor is logged again"

# ---- personal data -------------------------------------------------------------
expect_eq "no personal field stored" "$(psql_val "SELECT count(*) FROM ipasn.employee
	WHERE raw::jsonb ?| array['nik', 'alamat', 'noHp', 'email', 'noNpwp', 'nomorKk']")" 0
curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=1 | jq -e '.data[0] | has("nik") and has("alamat")' >/dev/null ||
	fail "the simulator sends no personal fields: the check above proves nothing"
ok "the records SIMPEG sends hold NIK and address; the stored ones do not"

# ---- a 1 MiB response header ---------------------------------------------------
sim_admin "fault?kind=big_header&count=-1" >/dev/null
expect_exit 69 "$IPASND" -c "$C" sync
if grep -qi "out of memory" "$T_TMP/out"; then cat "$T_TMP/out" >&2; fail "a big header reported as out of memory"; fi
expect_grep "has a header longer than libcurl accepts" "$T_TMP/out"
sim_admin clear >/dev/null
ok "a 1 MiB response header is named as such"

# ---- retention -----------------------------------------------------------------
# the employee SIMPEG changed longest ago: the next listing leaves it alone
gone=$(psql_val "SELECT nip FROM ipasn.employee ORDER BY updated_at, nip LIMIT 1")
psql_val "UPDATE ipasn.quarantine SET last_seen = now() - interval '91 days';
          UPDATE ipasn.sync_run SET started_at = now() - interval '401 days' WHERE id = (SELECT min(id) FROM ipasn.sync_run);
          UPDATE ipasn.employee SET active = false, changed_at = now() - interval '401 days'
           WHERE nip = '$gone'" >/dev/null
runs=$(psql_val "SELECT count(*) FROM ipasn.sync_run")
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "retention:" "$T_TMP/out"
expect_eq "old quarantine rows deleted" "$(psql_val "SELECT count(*) FROM ipasn.quarantine WHERE last_seen < now() - interval '90 days'")" 0
expect_eq "the oldest run deleted" "$(psql_val "SELECT count(*) FROM ipasn.sync_run")" "$runs"
expect_eq "the departed employee keeps no record" \
	"$(psql_val "SELECT raw || ' ' || (birth_date IS NULL)::int || ' ' || (SELECT count(*) FROM ipasn.education WHERE nip = '$gone')
	             FROM ipasn.employee WHERE nip = '$gone'")" "{} 1 0"
expect_eq "its past scores stay" "$(psql_val "SELECT count(*) > 0 FROM ipasn.employee_score WHERE nip = '$gone'")" t
ok "retention deletes old quarantine rows, runs and departed records, a batch per cycle"
