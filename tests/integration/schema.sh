# The schema ipasnd runs against is the one it knows: a newer one is
# refused (exit 78, nothing changed), `migrate --check` names a table,
# column or public view that is missing, and every command checks before it
# works. The reporting role (database.reader_role) reads the public views
# and nothing else; a role without privileges is told so, at 78, not 75.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
sim_start --defect-rate 0.02 --employees 300 --seed 9
write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"
sed -i 's|^database: { conninfo = \(.*\); };|database: { conninfo = \1; reader_role = "ipasn_reader"; };|' "$C"
grep -q 'reader_role = "ipasn_reader"' "$C" || fail "the configuration has no reader_role"

# The reader role must exist before migrate grants it anything.
expect_exit 78 "$IPASND" -c "$C" migrate
expect_grep "database.reader_role: there is no role \"\?ipasn_reader\"\?; create it first" "$T_TMP/out"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE ipasn_reader NOLOGIN" \
	-c "CREATE ROLE analyst LOGIN IN ROLE ipasn_reader"
expect_exit 0 "$IPASND" -c "$C" sync
expect_exit 0 "$IPASND" -c "$C" migrate --check
expect_grep "every table, column and view ipasnd needs is there" "$T_TMP/out"
ok "migrate grants the reader role; migrate --check finds everything"

as_analyst() { # SQL: as the analyst, prints the value or the error
	psql -X -q -A -t -U analyst -c "$1" 2>&1 || true
}
for v in v_employee_score v_opd_score v_instansi_score v_open_issue v_employee_gap v_opd_gain v_score_trend v_official_diff; do
	n=$(as_analyst "SELECT count(*) FROM ipasn.$v")
	case $n in *[!0-9]*) fail "the analyst cannot read ipasn.$v: $n" ;; esac
done
ok "the analyst reads every public view"
for t in employee quarantine employee_score sync_state; do
	as_analyst "SELECT count(*) FROM ipasn.$t" | grep -q "permission denied" ||
		fail "the analyst could read ipasn.$t"
done
ok "the analyst reads no table: employee, the raw records, scores, state"
as_analyst "UPDATE ipasn.v_instansi_score SET total = 0" | grep -q "permission denied" ||
	fail "the analyst could write through a view"
as_analyst "DELETE FROM ipasn.v_opd_score" | grep -q "permission denied" ||
	fail "the analyst could delete through a view"
ok "the analyst can write nothing"

# A recompute as a role that may only read: a permanent failure, said so.
sed 's/user=ipasn"/user=analyst"/' "$C" >"$T_TMP/analyst.conf"
expect_exit 78 "$IPASND" -c "$T_TMP/analyst.conf" recompute
expect_grep "permission denied" "$T_TMP/out"
ok "without privileges: exit 78 and the reason"

# A column dropped by hand, a view dropped: named, and no command runs.
psql -X -q -c "ALTER TABLE ipasn.course DROP COLUMN hours" -c "DROP VIEW ipasn.v_opd_gain"
expect_exit 78 "$IPASND" -c "$C" migrate --check
expect_grep "lacks 2 columns\|lacks [0-9]* columns" "$T_TMP/out"
expect_grep "ipasn.course.hours" "$T_TMP/out"
expect_grep "ipasn.v_opd_gain" "$T_TMP/out"
expect_exit 78 "$IPASND" -c "$C" sync
expect_exit 78 "$IPASND" -c "$C" migrate
ok "a dropped column or view: named by migrate --check, refused by sync and migrate"

# A schema newer than this binary: refused before anything changes.
PGOPTIONS="-c client_min_messages=warning" psql -X -q -c "DROP SCHEMA ipasn CASCADE"
expect_exit 0 "$IPASND" -c "$C" migrate
latest=$(psql_val "SELECT max(version) FROM ipasn.schema_migration")
psql -X -q -c "INSERT INTO ipasn.schema_migration (version, name) VALUES ($((latest + 1)), '999_future')"
for cmd in "migrate" "migrate --check" "sync" "recompute" "report" "status"; do
	# shellcheck disable=SC2086 # the command's words
	expect_exit 78 "$IPASND" -c "$C" $cmd
	expect_grep "newer than this ipasnd knows ($latest)" "$T_TMP/out"
done
expect_exit 78 "$IPASND" -c "$C" run
expect_grep "newer than this ipasnd knows" "$T_TMP/out"
expect_eq "nothing was written" "$(psql_val "SELECT count(*) FROM ipasn.sync_run")" 0
ok "a newer schema: every command exits 78 and says why; run does not start"
