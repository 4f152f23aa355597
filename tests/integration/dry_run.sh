# ipasnd sync --dry-run: the listing the cycle would run, fetched, decoded,
# checked and scored through the same pipeline, with what would be written
# on stdout; nothing is written, with or without a database.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
sim_start --employees 1500 --seed 5 --defect-rate 0.05
SOURCE_KEYS='page_size = 200;' write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

# Without a database: a full listing, every page, nothing stored.
sed 's/dbname=ipasn /dbname=nosuchdb /' "$C" >"$T_TMP/nodb.conf"
expect_exit 0 "$IPASND" -c "$T_TMP/nodb.conf" sync --dry-run
expect_grep "dry run: a full listing of $SIM_URL" "$T_TMP/out"
expect_eq "pages listed" "$(grep -c '^page [0-9]*: ' "$T_TMP/out")" 8
expect_grep "would write 1500 records from 8 pages" "$T_TMP/out"
expect_grep "nothing was written" "$T_TMP/out"
grep -q "^  skp_missing  *[1-9]" "$T_TMP/out" || { cat "$T_TMP/out" >&2; fail "no issue counted by code"; }
ok "dry run without a database: the whole listing, counted"

# With a database, after a sync: the incremental listing since the
# watermark, and still nothing written.
expect_exit 0 "$IPASND" -c "$C" sync
before=$(psql_val "SELECT count(*) || ' ' || max(id) FROM ipasn.sync_run")
stamp=$(psql_val "SELECT max(changed_at) FROM ipasn.employee")
sim_admin "mutate?count=30" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync --dry-run
expect_grep "dry run: an incremental listing of $SIM_URL (records changed since the watermark)" "$T_TMP/out"
expect_grep "would write [0-9]* records from 1 pages" "$T_TMP/out"
expect_grep "nothing was written" "$T_TMP/out"
expect_eq "no run recorded" "$(psql_val "SELECT count(*) || ' ' || max(id) FROM ipasn.sync_run")" "$before"
expect_eq "no employee written" "$(psql_val "SELECT count(*) FROM ipasn.employee WHERE changed_at > '$stamp'")" 0

# A malformed page fails the dry run as it fails a sync.
sim_admin "fault?kind=malformed&count=1" >/dev/null
expect_exit 65 "$IPASND" -c "$T_TMP/nodb.conf" sync --dry-run
expect_grep "malformed page" "$T_TMP/out"
ok "dry run after a sync: the changes only, nothing written; a malformed page exits 65"
