# The journal as the operator's window, read back from a real
# systemd-journald with journalctl -o json: every seeded defect logged once
# with its fields and MESSAGE_ID, nothing repeated on the next sync, a fixed
# record resolved, the line cap and its summary, control characters
# stripped, no secret anywhere. The catalog explains every MESSAGE_ID.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

journal_start
pg_start
SECRET="client-S3cr3t-$(od -An -N6 -tx1 /dev/urandom | tr -d ' ')"
sim_start --defect-rate 0.02 --employees 3000 --seed 17 --auth oauth2 --client-id ipasnd --client-secret "$SECRET"
printf '%s\n' "$SECRET" >"$T_TMP/simpeg-secret"
chmod 600 "$T_TMP/simpeg-secret"
SOURCE_KEYS="auth: { type = \"oauth2\"; token_url = \"$SIM_URL/oauth2/token\"; client_id = \"ipasnd\";
	client_secret_file = \"simpeg-secret\"; };" LOG_KEYS='max_issue_lines = 100000;' \
	write_config "$T_TMP/ipasnd.conf"
sed -i 's/target = "stderr";/target = "journal";/' "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

# run_ipasnd ARGS...: ipasnd in the foreground; IPASND_PID is its process.
# Only its entries are read back: any other ipasnd on this machine, another
# test's among them, logs to the same journal.
run_ipasnd() {
	"$IPASND" "$@" &
	IPASND_PID=$!
	wait "$IPASND_PID"
}

id_of() { # EVENT: its MESSAGE_ID in the code
	sed -n "s/.*{\"$1\", \"\([0-9a-f]*\)\"}.*/\1/p" "$top_srcdir/src/log.c"
}

run_ipasnd -c "$C" sync >"$T_TMP/sync1.out" 2>&1 || { cat "$T_TMP/sync1.out" >&2; fail "sync"; }
[ ! -s "$T_TMP/sync1.out" ] || { cat "$T_TMP/sync1.out" >&2; fail "log.target journal wrote to stderr"; }
journal_json _PID="$IPASND_PID" >"$T_TMP/j1"
[ -s "$T_TMP/j1" ] || fail "nothing of ipasnd in the journal"

# Every line: SYSLOG_IDENTIFIER, PRIORITY, IPASN_EVENT.
expect_eq "every line has PRIORITY and IPASN_EVENT" \
	"$(jq -s '[.[] | select(.PRIORITY == null or .IPASN_EVENT == null)] | length' "$T_TMP/j1")" 0

# Each open issue logged once, with its fields and the dq_issue MESSAGE_ID.
jq -r 'select(.IPASN_EVENT == "dq_issue") | "\(.NIP)|\(.DQ_CODE)|\(.DQ_FIELD // "")"' "$T_TMP/j1" |
	sort >"$T_TMP/logged"
psql_val "SELECT nip || '|' || code || '|' || field FROM ipasn.v_open_issue" | sort >"$T_TMP/open"
cmp -s "$T_TMP/logged" "$T_TMP/open" || { diff "$T_TMP/logged" "$T_TMP/open" | head >&2; fail "dq_issue lines differ from the open issues"; }
expect_eq "no issue logged twice" "$(uniq -d "$T_TMP/logged" | wc -l | tr -d ' ')" 0
ok "$(wc -l <"$T_TMP/logged" | tr -d ' ') dq_issue lines: each open issue once"
expect_eq "dq_issue fields" "$(jq -s --arg id "$(id_of dq_issue)" '[.[] |
	select(.IPASN_EVENT == "dq_issue") | select(.MESSAGE_ID != $id or .NIP == null or
	.DQ_CODE == null or .SEVERITY == null or (.PRIORITY != "4" and .PRIORITY != "6"))] | length' \
	"$T_TMP/j1")" 0
psql_val "SELECT nip || '|' || opd_id FROM ipasn.employee WHERE opd_id IS NOT NULL" |
	jq -R -s 'split("\n") | map(select(. != "") | split("|") | {(.[0]): .[1]}) | add' >"$T_TMP/opds"
expect_eq "OPD_ID on every issue of an employee with an OPD" "$(jq -s --slurpfile o "$T_TMP/opds" \
	'[.[] | select(.IPASN_EVENT == "dq_issue" and $o[0][.NIP] != null and
	.OPD_ID != $o[0][.NIP])] | length' "$T_TMP/j1")" 0
# Every defect the simulator seeded is there, the contract-breaking ones as quarantines.
curl -sf "$SIM_URL/admin/defects" | jq -r '.defects | to_entries[] | select(.value > 0) | .key' |
	sort >"$T_TMP/seeded"
{
	jq -r 'select(.IPASN_EVENT == "dq_issue") | .DQ_CODE' "$T_TMP/j1"
	jq -r 'select(.IPASN_EVENT == "record_quarantined") | .DQ_CODE' "$T_TMP/j1"
} | sort -u >"$T_TMP/codes"
missing=$(comm -23 "$T_TMP/seeded" "$T_TMP/codes" | tr '\n' ' ')
[ -z "$missing" ] || fail "seeded defects never logged: $missing"
ok "every seeded defect code logged: $(wc -l <"$T_TMP/seeded" | tr -d ' ') codes"
expect_eq "record_quarantined at warning with its MESSAGE_ID" "$(jq -s --arg id \
	"$(id_of record_quarantined)" '[.[] | select(.IPASN_EVENT == "record_quarantined") |
	select(.PRIORITY != "4" or .MESSAGE_ID != $id or .REASON == null)] | length' "$T_TMP/j1")" 0

# The cycle's own events.
expect_eq "sync_started" "$(jq -r --arg id "$(id_of sync_started)" 'select(.IPASN_EVENT ==
	"sync_started" and .MESSAGE_ID == $id) | .MODE' "$T_TMP/j1")" full
jq -c 'select(.IPASN_EVENT == "sync_finished")' "$T_TMP/j1" >"$T_TMP/fin"
expect_eq "sync_finished MESSAGE_ID" "$(jq -r .MESSAGE_ID "$T_TMP/fin")" "$(id_of sync_finished)"
for f in RECORDS INSERTED UPDATED UNCHANGED DEACTIVATED QUARANTINED ISSUES_OPENED ISSUES_RESOLVED DURATION_MS; do
	jq -e --arg f "$f" '.[$f] | test("^[0-9]+$")' "$T_TMP/fin" >/dev/null || fail "sync_finished lacks $f"
done
expect_eq "sync_finished counts" "$(jq -r '"\(.RECORDS) \(.ISSUES_OPENED)"' "$T_TMP/fin")" \
	"3000 $(wc -l <"$T_TMP/open" | tr -d ' ')"
ok "sync_started and sync_finished with their fields"

# No secret anywhere: not the client secret, not an access token.
journal_json >"$T_TMP/export"
if grep -a -q -e "$SECRET" -e "Bearer " -e "Authorization" "$T_TMP/export"; then
	fail "a secret reached the journal"
fi
ok "no secret in the journal"

# A second sync: nothing logged again.
journal_start
run_ipasnd -c "$C" sync || fail "second sync"
journal_json _PID="$IPASND_PID" >"$T_TMP/j2"
expect_eq "a second sync logs no dq_issue" \
	"$(jq -s '[.[] | select(.IPASN_EVENT == "dq_issue")] | length' "$T_TMP/j2")" 0

# Fixing a record in SIMPEG: dq_resolved with its fields.
nip=$(psql_val "SELECT nip FROM ipasn.v_open_issue WHERE code = 'skp_missing' LIMIT 1")
sim_admin "fix?nip=$nip" >/dev/null
journal_start
run_ipasnd -c "$C" sync || fail "sync after the fix"
journal_json _PID="$IPASND_PID" >"$T_TMP/j3"
expect_eq "dq_resolved for the fixed record" "$(jq -r --arg n "$nip" --arg id "$(id_of dq_resolved)" \
	'select(.IPASN_EVENT == "dq_resolved" and .NIP == $n and .DQ_CODE == "skp_missing" and
	.MESSAGE_ID == $id) | .PRIORITY' "$T_TMP/j3")" 6
ok "fixing a record logs dq_resolved once"

# The cap: at most log.max_issue_lines issue lines, then one summary.
pg_run "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PGPORT" -U ipasn capped
sed -e 's/dbname=ipasn/dbname=capped/' -e 's/max_issue_lines = 100000;/max_issue_lines = 7;/' \
	"$C" >"$T_TMP/capped.conf"
journal_start
run_ipasnd -c "$T_TMP/capped.conf" sync || fail "capped sync"
journal_json _PID="$IPASND_PID" >"$T_TMP/j4"
expect_eq "7 issue lines" "$(jq -s '[.[] | select(.IPASN_EVENT == "dq_issue" or
	.IPASN_EVENT == "dq_resolved" or .IPASN_EVENT == "record_quarantined")] | length' "$T_TMP/j4")" 7
jq -c 'select(.IPASN_EVENT == "dq_summary")' "$T_TMP/j4" >"$T_TMP/summary"
expect_eq "one dq_summary" "$(wc -l <"$T_TMP/summary" | tr -d ' ')" 1
expect_eq "the summary counts the rest" "$(jq -r .SUPPRESSED "$T_TMP/summary")" \
	"$(($(psql_val "SELECT count(*) FROM ipasn.issue" -d capped) + \
	$(psql_val "SELECT count(*) FROM ipasn.quarantine" -d capped) - 7))"
grep -q "skp_missing +[0-9]" "$T_TMP/summary" || fail "the summary has no count per code"
ok "the cap: 7 lines, then one summary with counts per code"

# Control characters from the outside never reach a line.
sim_admin "fault?kind=status&status=403&count=-1&message=evil%1B%5B31mred%0D%0Aforged%07line" >/dev/null
journal_start
run_ipasnd -c "$C" sync --full >/dev/null 2>&1 && fail "a 403 must fail the cycle"
journal_json _PID="$IPASND_PID" >"$T_TMP/j5"
jq -c 'select(.IPASN_EVENT == "sync_failed")' "$T_TMP/j5" >"$T_TMP/failed"
expect_eq "sync_failed at err" "$(jq -r '"\(.PRIORITY) \(.HTTP_STATUS) \(.MESSAGE_ID)"' "$T_TMP/failed")" \
	"3 403 $(id_of sync_failed)"
jq -e '.URL | test("^http://127.0.0.1:[0-9]+/v1/asn")' "$T_TMP/failed" >/dev/null || fail "sync_failed lacks URL"
jq -e '.MESSAGE | type == "string" and test("evil\\[31mredforgedline")' "$T_TMP/failed" >/dev/null ||
	{ cat "$T_TMP/failed" >&2; fail "the server's message was not stripped"; }
expect_eq "no control character in any message" "$(jq -s '[.[] | select((.MESSAGE | type) != "string"
	or (.MESSAGE | explode | any(. < 32 or . == 127)))] | length' "$T_TMP/j5")" 0
ok "control characters stripped, sync_failed with HTTP_STATUS and URL"
sim_admin clear >/dev/null

# The catalog explains every MESSAGE_ID the code uses.
mkdir -p "$T_TMP/root/usr/lib/systemd/catalog"
cp "$top_srcdir/systemd/ipasnd.catalog" "$T_TMP/root/usr/lib/systemd/catalog/"
journalctl --root="$T_TMP/root" --update-catalog || fail "journalctl cannot read the catalog"
sed -n 's/.*{"[a-z_]*", "\([0-9a-f]*\)"}.*/\1/p' "$top_srcdir/src/log.c" >"$T_TMP/message_ids"
[ -s "$T_TMP/message_ids" ] || fail "no MESSAGE_ID found in src/log.c"
while read -r id; do
	journalctl --root="$T_TMP/root" --list-catalog "$id" 2>/dev/null | grep -q "ipasnd" ||
		fail "the catalog does not explain $id"
done <"$T_TMP/message_ids"
ok "journalctl reads the catalog, and it explains every MESSAGE_ID"
