# `ipasnd migrate`: creates the schema with the public views, is idempotent,
# and fails cleanly without a database.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
write_config "$T_TMP/ipasnd.conf"

expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
# 005-007 are not taken: the last is 008, and five are applied.
expect_grep "schema at version 8 (5 migrations applied)" "$T_TMP/out"
ok "first migrate applies the schema"

expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
expect_grep "(0 migrations applied)" "$T_TMP/out"
ok "second migrate changes nothing"

# The public views with exactly their columns.
cols() {
	psql_val "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
	          FROM information_schema.columns WHERE table_schema = 'ipasn' AND table_name = '$1'"
}
expect_eq "v_employee_score" "$(cols v_employee_score)" \
	"nip,name,opd_id,opd_name,period,qualification,competency,performance,discipline,total,category"
expect_eq "v_opd_score" "$(cols v_opd_score)" \
	"period,opd_id,opd_name,employees,qualification,competency,performance,discipline,total,category,rank,target,below_target"
expect_eq "v_instansi_score" "$(cols v_instansi_score)" \
	"period,employees,total,category,target,previous_total"
expect_eq "v_open_issue" "$(cols v_open_issue)" \
	"nip,opd_id,code,severity,field,detail,first_seen,last_seen"
expect_eq "siasn_roster" "$(cols siasn_roster)" \
	"instansi_id,nip,roster_line,added_at,left_at,fetched_at,attempted_at,failures,not_found"
psql -X -q -c "INSERT INTO ipasn.siasn_roster (instansi_id, nip) VALUES ('', '1990010120150310')" \
	>/dev/null 2>&1 && fail "siasn_roster took a NIP of 16 digits"
ok "siasn_roster takes only 18-digit NIPs"
expect_eq "sync_run" "$(cols sync_run)" \
	"id,started_at,finished_at,mode,status,pages,records,inserted,updated,unchanged,deactivated,quarantined,issues_opened,issues_resolved,error"

# Two migrations at once: the advisory lock serialises them.
PGOPTIONS="-c client_min_messages=warning" psql -X -q -c "DROP SCHEMA ipasn CASCADE"
"$IPASND" -c "$T_TMP/ipasnd.conf" migrate >"$T_TMP/m1" 2>&1 &
p1=$!
"$IPASND" -c "$T_TMP/ipasnd.conf" migrate >"$T_TMP/m2" 2>&1 &
p2=$!
wait $p1 || { cat "$T_TMP/m1" >&2; fail "first concurrent migrate"; }
wait $p2 || { cat "$T_TMP/m2" >&2; fail "second concurrent migrate"; }
expect_eq "one schema_migration row per migration" "$(psql_val 'SELECT count(*) FROM ipasn.schema_migration')" 5
ok "concurrent migrations serialise"

pg_stop
expect_exit 75 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
expect_grep "cannot connect to PostgreSQL" "$T_TMP/out"
ok "no database: exit 75 with the reason"
