# `ipasnd migrate`: creates the schema with the public views, is idempotent,
# and fails cleanly without a database.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
write_config "$T_TMP/ipasnd.conf"

expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
expect_grep "schema at version 8 (8 migrations applied)" "$T_TMP/out"
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
expect_eq "v_score_trend" "$(cols v_score_trend)" \
	"day,period,opd_id,opd_name,employees,qualification,competency,performance,discipline,total"
expect_eq "v_official_diff" "$(cols v_official_diff)" \
	"nip,opd_id,period,source,dimension,ipasnd,official,difference,instansi_id"
expect_eq "siasn_roster" "$(cols siasn_roster)" \
	"instansi_id,nip,roster_line,added_at,left_at,fetched_at,attempted_at,failures,not_found"
psql -X -q -c "INSERT INTO ipasn.siasn_roster (instansi_id, nip) VALUES ('', '1990010120150310')" \
	>/dev/null 2>&1 && fail "siasn_roster took a NIP of 16 digits"
ok "siasn_roster takes only 18-digit NIPs"
expect_eq "sync_run" "$(cols sync_run)" \
	"id,started_at,finished_at,mode,status,pages,records,inserted,updated,unchanged,deactivated,quarantined,issues_opened,issues_resolved,error"

# Version 5 cuts what version 4 stored to what ipasnd keeps: the record's
# contract fields, and for quarantined records at most 4 KiB of the rest
# without personal keys. The schema goes back to version 4 here (the
# WS SIASN roster of version 6, the official values' periods and sources
# of version 7 and the daily history of version 8, which come after, go
# too), with records as they were stored then.
psql -X -q -v ON_ERROR_STOP=1 <<'EOS' || fail "back to version 4"
SET client_min_messages = warning;
DELETE FROM ipasn.schema_migration WHERE version >= 5;
DROP TABLE ipasn.siasn_roster;
DROP VIEW ipasn.v_score_trend;
DROP TABLE ipasn.score_day;
DROP VIEW ipasn.v_official_diff;
DROP INDEX ipasn.official_ipasn_period;
ALTER TABLE ipasn.official_ipasn DROP CONSTRAINT official_ipasn_pkey;
ALTER TABLE ipasn.official_ipasn DROP COLUMN source, DROP COLUMN recorded_at, DROP COLUMN bkn_updated;
ALTER TABLE ipasn.official_ipasn ADD PRIMARY KEY (instansi_id, nip);
ALTER TABLE ipasn.sync_state DROP COLUMN listing_started_at;
DROP INDEX ipasn.quarantine_last_seen, ipasn.sync_run_started, ipasn.employee_departed;
DROP FUNCTION ipasn.keep_contract, ipasn.keep_part, ipasn.keep_object, ipasn.try_jsonb;
INSERT INTO ipasn.employee (instansi_id, nip, name, status, position, content_hash, raw)
VALUES ('X', '198804122014031002', 'Andi', 'PNS', 'pelaksana', 1,
        '{"nipBaru": "198804122014031002", "nama": "Andi", "nik": "3201234567890001",
          "alamat": "Jl. Merdeka 1", "noHp": "0811", "hobi": "catur",
          "rwKursus": [{"id": "k", "namaKursus": "Bimtek", "jumlahJam": 20, "path": "x"}],
          "ipAsn": {"tahun": 2024, "total": 80.5, "catatan": "y"}}');
INSERT INTO ipasn.quarantine (instansi_id, source_url, nip, code, reason, raw, raw_hash)
VALUES ('X', 'u', NULL, 'record_malformed', 'r',
        '{"nipBaru": "1", "nik": "3201234567890001", "email": "a@b.id", "hobi": "catur"}', 1),
       ('X', 'u', NULL, 'record_malformed', 'r',
        '{"nipBaru": "2", "nik": "3201234567890002", "big": "' || repeat('z', 5000) || '"}', 2),
       ('X', 'u', NULL, 'record_malformed', 'r', 'not JSON', 3);
EOS
expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
expect_grep "schema at version 8 (4 migrations applied)" "$T_TMP/out"
expect_eq "the stored record keeps the contract's fields" \
	"$(psql_val "SELECT raw::jsonb = '{\"nipBaru\": \"198804122014031002\", \"nama\": \"Andi\",
	     \"rwKursus\": [{\"id\": \"k\", \"namaKursus\": \"Bimtek\", \"jumlahJam\": 20}],
	     \"ipAsn\": {\"tahun\": 2024, \"total\": 80.5}}'::jsonb FROM ipasn.employee WHERE instansi_id = 'X'")" t
expect_eq "quarantined records lose personal keys and long extras" \
	"$(psql_val "SELECT string_agg(raw, ' | ' ORDER BY raw_hash) FROM ipasn.quarantine WHERE instansi_id = 'X'")" \
	'{"hobi": "catur", "nipBaru": "1"} | {"nipBaru": "2"} | not JSON'
psql_val "DELETE FROM ipasn.employee WHERE instansi_id = 'X'; DELETE FROM ipasn.quarantine WHERE instansi_id = 'X'" >/dev/null

# Two migrations at once: the advisory lock serialises them.
PGOPTIONS="-c client_min_messages=warning" psql -X -q -c "DROP SCHEMA ipasn CASCADE"
"$IPASND" -c "$T_TMP/ipasnd.conf" migrate >"$T_TMP/m1" 2>&1 &
p1=$!
"$IPASND" -c "$T_TMP/ipasnd.conf" migrate >"$T_TMP/m2" 2>&1 &
p2=$!
wait $p1 || { cat "$T_TMP/m1" >&2; fail "first concurrent migrate"; }
wait $p2 || { cat "$T_TMP/m2" >&2; fail "second concurrent migrate"; }
expect_eq "one schema_migration row per migration" "$(psql_val 'SELECT count(*) FROM ipasn.schema_migration')" 8
ok "concurrent migrations serialise"

pg_stop
expect_exit 75 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate
expect_grep "cannot connect to PostgreSQL" "$T_TMP/out"
ok "no database: exit 75 with the reason"
