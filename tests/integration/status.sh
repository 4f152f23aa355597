# `ipasnd status`, as a monitoring check: exit 0 only when the last sync
# cycle that ended (full or incremental) ended ok within 2 x sync.interval;
# 1 when there is none yet, when it failed or was interrupted, or when it is
# older; 75 without a database.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
# sync.interval 10 min: the limit is 20 min.
write_config "$T_TMP/ipasnd.conf" 'sync: { interval = "10m"; };'
status() { "$IPASND" -c "$T_TMP/ipasnd.conf" status "$@"; }

expect_exit 75 status
expect_grep "run 'ipasnd migrate'" "$T_TMP/out"
ok "an empty database: exit 75, run ipasnd migrate"
expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" migrate

# run MODE STATUS STARTED_MIN_AGO FINISHED_MIN_AGO|null RECORDS ERROR|null
run() {
	fin="now() - interval '$4 min'"
	[ "$4" = null ] && fin=NULL
	err="'$6'"
	[ "$6" = null ] && err=NULL
	psql_val "INSERT INTO ipasn.sync_run (started_at, finished_at, mode, status, records, error)
	          VALUES (now() - interval '$3 min', $fin, '$1', '$2', $5, $err)" >/dev/null
}
expect_width() {
	w=$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/out")
	[ "$w" -le 80 ] || { cat "$T_TMP/out" >&2; fail "status: a line of $w columns"; }
}

expect_exit 1 status
expect_grep "^NO RUN: " "$T_TMP/out"
expect_grep "^Open data-quality issues: 0$" "$T_TMP/out"
ok "no run yet: exit 1"

run full ok 62 60 15234 null
run incremental ok 3 1 42 null
psql_val "INSERT INTO ipasn.issue (instansi_id, nip, code, field, severity, detail)
          VALUES ('', '198001012005011001', 'skp_missing', 'rwSkp22', 'warning', 'no SKP'),
                 ('', '198102022006021002', 'stale_record', '', 'info', 'old'),
                 ('other', '198102022006021002', 'stale_record', '', 'info', 'old')" >/dev/null
expect_exit 0 status
expect_grep "^OK: the last cycle ended 1 min ago; the limit is 20 min$" "$T_TMP/out"
expect_grep "^  [0-9-]* [0-9:]*  incremental  ok  *42  *2 min$" "$T_TMP/out"
expect_grep "^  [0-9-]* [0-9:]*  full  *ok  *15,234  *2 min$" "$T_TMP/out"
expect_grep "^Open data-quality issues: 2$" "$T_TMP/out"
expect_width
ok "a recent ok cycle: exit 0, the runs listed newest first, the open issues of this instansi"

run incremental running 0 null 0 null
expect_exit 0 status
expect_grep "^  [0-9-]* [0-9:]*  incremental  running  *0  *-$" "$T_TMP/out"
expect_eq "newest first" "$(sed -n 3p "$T_TMP/out" | awk '{ print $4 }')" running
ok "a cycle under way does not count until it ends"

psql_val "DELETE FROM ipasn.sync_run" >/dev/null
run incremental ok 20 19 10 null
expect_exit 0 status
ok "an ok cycle that ended 19 min ago: within 2 x 10 min"
psql_val "DELETE FROM ipasn.sync_run" >/dev/null
run incremental ok 22 21 10 null
expect_exit 1 status
expect_grep "^STALE: the last good cycle ended 21 min ago; the limit is 20 min$" "$T_TMP/out"
ok "an old ok cycle (21 min, limit 20 min): exit 1"

run incremental ok 5 4 10 null
run incremental failed 2 1 0 "SIMPEG answered 503 Service Unavailable after 5 retries"
expect_exit 1 status
expect_grep "^FAILED: the last cycle, started [0-9-]* [0-9:]*, ended failed$" "$T_TMP/out"
expect_grep "^      error: SIMPEG answered 503 Service Unavailable after 5 retries$" "$T_TMP/out"
expect_width
ok "a failed last cycle: exit 1, with its error"

run nip ok 1 0 1 null
run recompute ok 1 0 14 null
expect_exit 1 status
expect_grep "^FAILED: " "$T_TMP/out"
ok "a single-NIP sync or a recompute is not a cycle"

run incremental interrupted 1 0 3 null
expect_exit 1 status
expect_grep "ended interrupted$" "$T_TMP/out"
ok "an interrupted last cycle: exit 1"

# Five runs at most; a long error is cut to the width.
long=$(printf 'x%.0s' $(seq 1 300))
run full failed 0 0 0 "$long"
expect_exit 1 status
expect_eq "five runs listed" "$(grep -c '^  [0-9]\{4\}-' "$T_TMP/out")" 5
expect_width
ok "a 300-character error stays within 80 columns"

expect_exit 64 status extra
ok "an argument: exit 64"

pg_stop
expect_exit 75 status
expect_grep "cannot connect to PostgreSQL" "$T_TMP/out"
ok "no database: exit 75 with the reason"
