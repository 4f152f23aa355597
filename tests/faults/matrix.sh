# The fault matrix: one scripted fault per row against `ipasnd sync` (or
# `ipasnd run`), with the exit status and the events each must give, and
# what the database must hold afterwards. tests/faults/README.md says what
# each row proves.
#
# Every row has a database of its own in one private PostgreSQL, and pulls
# from one simulator (row 1 and row 7 start their own). After each fault:
# every employee written has its score, no page is half written (the rows
# stored are exactly those of the pages the cursor has passed), and the run
# is recorded. Once the fault is cleared the next sync completes, a full
# listing afterwards inserts 0 and updates 0, and the database equals a
# reference synced without faults: nothing lost, nothing twice.
#
# Environment: FAULT_ROWS="2 6b 13a" runs only those rows; FAULT_EMPLOYEES
# (default 1000) and FAULT_PAGE_SIZE (default 100) size the listing.
#
# row | fault                                              | exit | events the faulty run logs
MATRIX='
1   | endpoint down at start: nothing listens at the URL  | 75   | http_retry ATTEMPT=1 !HTTP_STATUS; http_retry ATTEMPT=2; sync_failed MODE=full URL !HTTP_STATUS
2   | a 502 storm longer than the retry budget            | 75   | http_retry HTTP_STATUS=502 ATTEMPT=2; sync_failed HTTP_STATUS=502 URL
3   | 429 with Retry-After 30 s, above backoff_max 1 s    | 75   | no rate_limited; no http_retry; sync_failed HTTP_STATUS=429 URL
4   | the connection reset mid-body, once                 | 0    | http_retry HTTP_STATUS=200 ATTEMPT=1; sync_finished INSERTED=N
5a  | a body over max_page_bytes, with Content-Length     | 69   | no http_retry; sync_failed HTTP_STATUS=200 URL
5b  | a body over max_page_bytes, chunked                 | 69   | no http_retry; sync_failed HTTP_STATUS=200 URL
6a  | headers 1.4 s late, source.timeout 2 s              | 0    | no http_retry; sync_finished INSERTED=N
6b  | headers 2.6 s late, source.timeout 2 s              | 75   | http_retry ATTEMPT=1 !HTTP_STATUS; sync_failed URL !HTTP_STATUS
7a  | 401 mid-listing; the OAuth2 token refresh cures it  | 0    | token_refreshed HTTP_STATUS=401 URL; sync_finished INSERTED=N
7b  | 401 mid-listing, again after the refresh            | 69   | sync_failed HTTP_STATUS=401 URL
8   | 410 mid-listing: the cursor expired                 | 0    | listing_restarted HTTP_STATUS=410 MODE=full URL; sync_finished INSERTED=N
9   | PostgreSQL down at start                            | 75   | db_reconnect; sync_failed !URL !HTTP_STATUS
10  | PostgreSQL restarted mid-page                       | 0    | db_reconnect; sync_finished INSERTED=N
11  | disk full (SQLSTATE 53100) mid-transaction          | 75   | sync_failed MODE=full URL !HTTP_STATUS
12  | kill -9 mid-page (events: the next run)             | 137  | sync_started MODE=full RESUMED=1; sync_finished
13a | SIGTERM mid-transfer of ipasnd sync                 | 75   | "stopped by a signal after 2 pages"; sync_failed MODE=full URL !HTTP_STATUS
13b | SIGTERM mid-transfer of ipasnd run                  | 0    | "stopped by a signal after 2 pages"; sync_failed MODE=full URL !HTTP_STATUS; daemon_stopping
13c | SIGTERM inside a slow statement of ipasnd sync      | 75   | "stopped by a signal after 2 pages"; sync_failed MODE=full URL !HTTP_STATUS
13d | SIGTERM mid-transfer of sync --full, once synced    | 75   | "stopped by a signal after 2 pages"; sync_failed MODE=full URL !HTTP_STATUS
13e | SIGTERM while sync --nip waits for its answer       | 75   | sync_started MODE=nip NIP; sync_failed MODE=nip !HTTP_STATUS; no sync_finished
14  | two instances at once (events: the second)          | 75   | sync_skipped URL; no sync_failed; no sync_started
'
# In the events column a KEY must be present, KEY=VALUE have that value
# (N: the number of employees of the reference), !KEY be absent; "no EVENT"
# means the run never logs EVENT; "TEXT" is a line without an event of its
# own (IPASN_EVENT=message in the journal) that holds TEXT.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

EMPLOYEES=${FAULT_EMPLOYEES:-1000}
PAGE=${FAULT_PAGE_SIZE:-100}
TODAY=$(date -u +%Y-%m-%d)
SIM_ARGS="--employees $EMPLOYEES --seed 11 --today $TODAY --defect-rate 0.02"
T_START=$(now_ms)

# ---- the matrix --------------------------------------------------------------

# matrix_field ROW COLUMN: a cell of the table (columns 1 to 4), trimmed.
matrix_field() {
	printf '%s\n' "$MATRIX" | awk -F'|' -v r="$1" -v c="$2" '
		{ k = $1; gsub(/^ +| +$/, "", k) }
		k == r { v = $c; gsub(/^ +| +$/, "", v); print v; exit }'
}

wanted() { # ROW: whether FAULT_ROWS asks for it
	[ -z "${FAULT_ROWS:-}" ] && return 0
	case " $FAULT_ROWS " in *" $1 "*) return 0 ;; esac
	return 1
}

# oops MESSAGE: the row failed; shows the log of the last run. A wait
# (wait_until, tests/lib.sh) that runs out fails the row the same way.
oops() {
	[ -n "${LOG:-}" ] && [ -f "$LOG" ] && { echo "---- $LOG" >&2; tail -25 "$LOG" >&2; }
	fail "row $ROW: $*"
}
WAIT_FAIL=oops

# has_event FILE EVENT [KEY | KEY=VALUE | !KEY]...: one line of FILE has
# IPASN_EVENT=EVENT with every field as asked.
has_event() {
	he_file=$1
	he_ev=$2
	shift 2
	he_lines=$(grep -E "IPASN_EVENT=$he_ev( |\$)" "$he_file") || return 1
	for kv in "$@"; do
		case $kv in
		!*) he_lines=$(printf '%s\n' "$he_lines" | grep -v -E " ${kv#!}=") || return 1 ;;
		*=*)
			v=${kv#*=}
			[ "$v" = N ] && v=$REF_N
			he_lines=$(printf '%s\n' "$he_lines" | grep -E " ${kv%%=*}=$v( |\$)") || return 1
			;;
		*) he_lines=$(printf '%s\n' "$he_lines" | grep -E " $kv=") || return 1 ;;
		esac
	done
}

# check_row GOT_EXIT LOG: the exit status and the events of the table's row.
check_row() {
	want=$(matrix_field "$ROW" 3)
	[ -n "$want" ] || fail "row $ROW is not in the matrix"
	[ "$1" = "$want" ] || oops "exit $1, expected $want"
	matrix_field "$ROW" 4 | tr ';' '\n' >"$T_TMP/events"
	while read -r ev fields; do
		[ -n "$ev" ] || continue
		case $ev in \"*)
			t="$ev $fields"
			t=${t#\"}
			grep -q -F -e "${t%\"}" "$2" || oops "no line with ${t%\"}"
			continue
			;;
		esac
		if [ "$ev" = no ]; then
			! grep -q -E "IPASN_EVENT=$fields( |\$)" "$2" || oops "logged the event $fields"
			continue
		fi
		# shellcheck disable=SC2086 # fields are words
		has_event "$2" "$ev" $fields || oops "no event $ev with $fields"
	done <"$T_TMP/events"
}

# ---- PostgreSQL, the reference, and checks -------------------------------------

pg_start

q() { # DB SQL: one value or rows
	psql_val "$2" -d "$1"
}

fingerprint() { # DB: one line per table, the md5 of its rows
	psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d "$1" <<'EOS'
SELECT 'employee', md5(coalesce(string_agg(concat_ws('|', nip, content_hash, active, deleted, opd_id), E'\n' ORDER BY nip), '')) FROM ipasn.employee
UNION ALL SELECT 'education', md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM ipasn.education t
UNION ALL SELECT 'leadership_training', md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM ipasn.leadership_training t
UNION ALL SELECT 'course', md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM ipasn.course t
UNION ALL SELECT 'skp', md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM ipasn.skp t
UNION ALL SELECT 'skp22', md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM ipasn.skp22 t
UNION ALL SELECT 'sanction', md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM ipasn.sanction t
UNION ALL SELECT 'official_ipasn', md5(coalesce(string_agg(concat_ws('|', instansi_id, nip, year, source, qualification, competency, performance, discipline, total), E'\n' ORDER BY nip, year, source), '')) FROM ipasn.official_ipasn
UNION ALL SELECT 'employee_score', md5(coalesce(string_agg(concat_ws('|', nip, period, in_scope, qualification, competency, performance, discipline, total, category, gaps), E'\n' ORDER BY nip, period), '')) FROM ipasn.employee_score
UNION ALL SELECT 'issue', md5(coalesce(string_agg(concat_ws('|', nip, code, field, severity, detail, resolved_at IS NULL), E'\n' ORDER BY nip, code, field, resolved_at IS NULL), '')) FROM ipasn.issue
UNION ALL SELECT 'quarantine', md5(coalesce(string_agg(concat_ws('|', raw_hash, code, reason), E'\n' ORDER BY raw_hash), '')) FROM ipasn.quarantine
UNION ALL SELECT 'opd_score', md5(coalesce(string_agg(concat_ws('|', period, opd_id, employees, total, category, rank), E'\n' ORDER BY period, opd_id), '')) FROM ipasn.v_opd_score
UNION ALL SELECT 'instansi_score', md5(coalesce(string_agg(concat_ws('|', period, employees, total, category), E'\n' ORDER BY period), '')) FROM ipasn.v_instansi_score
EOS
}

db_conf() { # DB FILE [EXTRA]: a config for the database DB from SOURCE_KEYS
	write_config "$2.tmp" "${3:-}"
	sed "s/dbname=ipasn /dbname=$1 /" "$2.tmp" >"$2"
	rm -f "$2.tmp"
}

# The simulator every row but 1 and 7 pulls from, and the listing's pages
# as it serves them: the NIPs of page k in pages/k, its next cursor in
# pages/k.cursor.
# shellcheck disable=SC2086 # the simulator's arguments are words
sim_start $SIM_ARGS
mkdir -p "$T_TMP/pages"
cursor=""
NPAGES=0
while :; do
	NPAGES=$((NPAGES + 1))
	curl -sfG "$SIM_URL/v1/asn" --data-urlencode "limit=$PAGE" ${cursor:+--data-urlencode "cursor=$cursor"} \
		>"$T_TMP/pages/body" || fail "cannot list page $NPAGES"
	jq -r '.data[].nipBaru // empty' "$T_TMP/pages/body" >"$T_TMP/pages/$NPAGES"
	cursor=$(jq -r '.next_cursor // empty' "$T_TMP/pages/body")
	printf '%s\n' "$cursor" >"$T_TMP/pages/$NPAGES.cursor"
	[ -n "$cursor" ] || break
done
[ "$NPAGES" -ge 5 ] || fail "the listing has $NPAGES pages; the rows need at least 5"

# The reference: one sync without a fault.
psql_val "CREATE DATABASE ref"
SOURCE_KEYS="page_size = $PAGE;" db_conf ref "$T_TMP/ref.conf"
"$IPASND" -c "$T_TMP/ref.conf" sync >"$T_TMP/ref.log" 2>&1 || { tail "$T_TMP/ref.log" >&2; fail "reference sync"; }
REF_DAY=$(date -u +%F)
fingerprint ref >"$T_TMP/ref.fp"
q ref "SELECT nip || ' ' || content_hash FROM ipasn.employee ORDER BY nip" >"$T_TMP/ref.emp"
REF_N=$(wc -l <"$T_TMP/ref.emp")
[ "$REF_N" -gt $((EMPLOYEES * 9 / 10)) ] || fail "the reference holds only $REF_N employees"

# The date-dependent checks (records dated in the future, ages) follow the
# day: past midnight UTC the reference takes the day's view too.
ref_today() {
	[ "$(date -u +%F)" = "$REF_DAY" ] && return 0
	"$IPASND" -c "$T_TMP/ref.conf" sync --full >>"$T_TMP/ref.log" 2>&1 || fail "reference resync"
	REF_DAY=$(date -u +%F)
	fingerprint ref >"$T_TMP/ref.fp"
}

# A trigger on ipasn.course that, while public.fault says so, acts from
# page at_page of a listing on: raises disk_full, or sleeps (shots times in
# all, a sequence counting them, which no rollback undoes).
FAULT_SQL="
CREATE TABLE public.fault (kind text NOT NULL, at_page int NOT NULL, shots int NOT NULL,
	seconds float8 NOT NULL DEFAULT 0);
CREATE SEQUENCE public.fault_shot;
CREATE FUNCTION public.fault_fire() RETURNS trigger LANGUAGE plpgsql AS \$\$
DECLARE f public.fault;
BEGIN
	SELECT * INTO f FROM public.fault LIMIT 1;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF (SELECT max(pages) FROM ipasn.sync_state) + 1 < f.at_page THEN
		RETURN NULL;
	END IF;
	IF nextval('public.fault_shot') > f.shots THEN
		RETURN NULL;
	END IF;
	IF f.kind = 'disk_full' THEN
		RAISE EXCEPTION 'could not extend file \"base/course\": No space left on device'
			USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
	END IF;
	PERFORM pg_sleep(f.seconds);
	RETURN NULL;
END \$\$;
CREATE TRIGGER fault AFTER INSERT ON ipasn.course FOR EACH STATEMENT
	EXECUTE FUNCTION public.fault_fire();"

# ---- a row -----------------------------------------------------------------------

# row_begin ROW [EXTRA]: a fresh database and a config for it from
# SOURCE_KEYS (page_size, retries = 2 and backoff_max = 1s unless given).
row_begin() {
	ROW=$1
	ROW_T0=$(now_ms)
	ROW_SYNCED=""
	DB=row_$(printf '%s' "$ROW" | tr -c 'a-z0-9\n' _)
	C="$T_TMP/$DB.conf"
	LOG=""
	psql_val "CREATE DATABASE $DB"
	SOURCE_KEYS="page_size = $PAGE; ${SOURCE_KEYS:-}" db_conf "$DB" "$C" "${2:-}"
	sim_admin clear >/dev/null
	sim_admin reset-stats >/dev/null
}

# with_fault_trigger: migrates the row's database and installs the trigger.
with_fault_trigger() {
	"$IPASND" -c "$C" migrate >"$T_TMP/$DB.migrate.log" 2>&1 || { LOG="$T_TMP/$DB.migrate.log" oops "migrate"; }
	q "$DB" "$FAULT_SQL" >/dev/null
}

# run NAME [ARGS...]: ipasnd ARGS (sync by default) with the row's config;
# sets RC, MS and LOG.
run() {
	LOG="$T_TMP/$DB.$1.log"
	shift
	r_t0=$(now_ms)
	set +e
	"$IPASND" -c "$C" "${@:-sync}" >"$LOG" 2>&1
	RC=$?
	set -e
	MS=$(($(now_ms) - r_t0))
}

# start NAME ARGS...: ipasnd in the background; sets PID and LOG.
start() {
	LOG="$T_TMP/$DB.$1.log"
	shift
	"$IPASND" -c "$C" "$@" >"$LOG" 2>&1 &
	PID=$!
	T_PIDS="$T_PIDS $PID"
}

forget() { # PID: no longer one for the cleanup to stop
	T_PIDS=$(printf ' %s ' "$T_PIDS" | sed "s/ $1 / /")
}

finish() { # waits for PID; sets RC and MS (from T0)
	set +e
	wait "$PID" 2>/dev/null
	RC=$?
	set -e
	forget "$PID"
	MS=$(($(now_ms) - T0))
}

in_pg_sleep() { # the row's ipasnd is inside the trigger's pg_sleep
	[ "$(q "$DB" "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'
		AND application_name = 'ipasnd' AND wait_event = 'PgSleep'")" -gt 0 ]
}

no_session() { # no ipasnd session on the row's database
	[ "$(q "$DB" "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'
		AND application_name = 'ipasnd'")" -eq 0 ]
}

requests_at_least() { # N: the simulator answered N listing requests
	[ "$(sim_count /v1/asn total)" -ge "$1" ]
}

# consistent: every employee has its score for the period, every issue its
# employee, and no issue was ever resolved: the simulator's records never
# change, so a resolved row is an issue opened twice or closed wrongly.
# (Keys make a second row of one employee, or a second open row of one
# issue, impossible; the comparison with the reference counts every row.)
consistent() {
	c=$(q "$DB" "SELECT
		(SELECT count(*) FROM ipasn.employee e WHERE NOT EXISTS (SELECT 1 FROM ipasn.employee_score s
			WHERE s.instansi_id = e.instansi_id AND s.nip = e.nip
			AND s.period = extract(year FROM now() AT TIME ZONE 'UTC')::int))
		|| ' ' || (SELECT count(*) FROM ipasn.issue i WHERE NOT EXISTS (SELECT 1 FROM ipasn.employee e
			WHERE e.instansi_id = i.instansi_id AND e.nip = i.nip))
		|| ' ' || (SELECT count(*) FROM ipasn.issue WHERE resolved_at IS NOT NULL)")
	[ "$c" = "0 0 0" ] || oops "$1: employees without a score, orphan issues, resolved issues: $c"
}

# stopped_at K [RUN]: after a fault, the database holds pages 1..K of the
# listing and nothing else, the cursor of the full listing waits at page
# K+1, and the last run is recorded as RUN (default failed:true, failed
# with its reason). After a row's first sync (ROW_SYNCED=1) the database
# holds every page, and that sync is recorded before RUN.
stopped_at() {
	consistent "after the fault"
	: >"$T_TMP/$DB.listed"
	k=1
	last=$1
	[ -n "$ROW_SYNCED" ] && last=$NPAGES
	while [ "$k" -le "$last" ]; do
		cat "$T_TMP/pages/$k" >>"$T_TMP/$DB.listed"
		k=$((k + 1))
	done
	awk 'NR == FNR { seen[$1] = 1; next } seen[$1]' "$T_TMP/$DB.listed" "$T_TMP/ref.emp" >"$T_TMP/$DB.want"
	q "$DB" "SELECT nip || ' ' || content_hash FROM ipasn.employee ORDER BY nip" >"$T_TMP/$DB.got"
	cmp -s "$T_TMP/$DB.want" "$T_TMP/$DB.got" ||
		oops "the database does not hold exactly pages 1 to $last: $(diff "$T_TMP/$DB.want" "$T_TMP/$DB.got" | head -4 | tr '\n' ' ')"
	if [ "$1" -eq 0 ]; then
		got=$(q "$DB" "SELECT coalesce(cursor, '-') || ' ' || pages FROM ipasn.sync_state")
		[ -z "$got" ] || [ "$got" = "- 0" ] || oops "sync_state holds '$got' where no page was written"
	else
		got=$(q "$DB" "SELECT coalesce(cursor, '-') || ' ' || pages || ' ' || coalesce(listing_mode, '-')
			FROM ipasn.sync_state")
		want="$(cat "$T_TMP/pages/$1.cursor") $1 full"
		[ "$got" = "$want" ] || oops "sync_state: cursor, pages and mode '$got', expected '$want'"
	fi
	want=${2:-failed:true}
	[ -n "$ROW_SYNCED" ] && want="ok:false $want"
	got=$(q "$DB" "SELECT coalesce(string_agg(status || ':' || (coalesce(error, '') <> ''), ' '
		ORDER BY id), 'none') FROM ipasn.sync_run")
	[ "$got" = "$want" ] || oops "runs recorded as '$got', expected '$want'"
}

# recovers: with the fault cleared, the next sync resumes and completes.
recovers() {
	sim_admin clear >/dev/null
	run recover
	[ "$RC" -eq 0 ] || oops "the sync after the fault exited $RC"
	has_event "$LOG" sync_finished || oops "no sync_finished after the fault"
	if [ "${1:-}" = resumes ]; then
		grep -q "resuming the interrupted full listing after $2 pages" "$LOG" ||
			oops "the sync after the fault did not resume after page $2"
	fi
	consistent "after the recovery"
}

# row_end TEXT: a full listing finds nothing missing or different, the
# database equals the reference; prints the row's ok line.
row_end() {
	day=$(date -u +%F)
	run full sync --full
	# Past midnight UTC mid-listing: once more, all of it on the new day.
	[ "$(date -u +%F)" = "$day" ] || run full sync --full
	[ "$RC" -eq 0 ] || oops "the full listing afterwards exited $RC"
	has_event "$LOG" sync_finished INSERTED=0 UPDATED=0 DEACTIVATED=0 ||
		oops "the full listing afterwards found records missing or different"
	consistent "after the full listing"
	ref_today
	fingerprint "$DB" >"$T_TMP/$DB.fp"
	if ! cmp -s "$T_TMP/ref.fp" "$T_TMP/$DB.fp"; then
		diff "$T_TMP/ref.fp" "$T_TMP/$DB.fp" >&2 || true
		oops "the database differs from the reference"
	fi
	printf 'ok %s - %s: %s (%d ms)\n' "$ROW" "$(matrix_field "$ROW" 2)" "$1" $(($(now_ms) - ROW_T0))
}

# ---- the rows --------------------------------------------------------------------

# sim_on PORT ARGS...: a second simulator on PORT; sets SIM2_PID.
sim_on() {
	so_port=$1
	shift
	"$SIM" --port "$so_port" "$@" >"$T_TMP/sim-$so_port.log" 2>&1 &
	SIM2_PID=$!
	T_PIDS="$T_PIDS $SIM2_PID"
	sim_wait "$so_port" "$T_TMP/sim-$so_port.log"
}

row_1() {
	dead=$(free_port)
	row_begin 1
	SIM_URL="http://127.0.0.1:$dead" SOURCE_KEYS="page_size = $PAGE;" db_conf "$DB" "$C"
	run fault
	check_row "$RC" "$LOG"
	grep -q "http://127.0.0.1:$dead/v1/asn.* still failing after 3 attempts" "$LOG" ||
		oops "the failure does not name the URL and the attempts"
	stopped_at 0
	# The endpoint comes up where the configuration points.
	# shellcheck disable=SC2086 # the simulator's arguments are words
	sim_on "$dead" $SIM_ARGS
	recovers
	row_end "exit 75 after 3 attempts; the next sync, with the endpoint up, completes"
	kill "$SIM2_PID"
	wait "$SIM2_PID" 2>/dev/null || true
	forget "$SIM2_PID"
}

row_2() {
	row_begin 2
	sim_admin "fault?kind=status&status=502&count=-1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	stopped_at 2
	recovers resumes 2
	row_end "exit 75 after 3 attempts; 2 pages kept, resumed at page 3"
}

row_3() {
	row_begin 3
	sim_admin "fault?kind=status&status=429&retry_after=30&count=-1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	[ "$MS" -lt 10000 ] || oops "took $MS ms: it waited for the Retry-After"
	grep -q "asks to wait 30 s (Retry-After), more than source.backoff_max (1 s)" "$LOG" ||
		oops "the failure does not say why it did not wait"
	[ "$(sim_count /v1/asn 429)" -eq 1 ] || oops "$(sim_count /v1/asn 429) requests answered 429, expected 1"
	took=$MS
	stopped_at 2
	recovers resumes 2
	row_end "exit 75 in $took ms after one request, no 30 s sleep"
}

row_4() {
	row_begin 4
	sim_admin "fault?kind=reset&count=1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	[ "$(sim_count /v1/asn total)" -eq $((NPAGES + 1)) ] ||
		oops "$(sim_count /v1/asn total) listing requests, expected $((NPAGES + 1))"
	consistent "after the reset"
	row_end "the half body dropped, the page fetched again; exit 0"
}

row_5() { # 5a, 5b: CHUNKED
	SOURCE_KEYS='max_page_bytes = 1048576;' row_begin "$1"
	sim_admin "fault?kind=oversize&bytes=4194304&chunked=$2&count=-1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	grep -q "is larger than source.max_page_bytes (1048576 bytes)" "$LOG" || oops "the failure does not name the limit"
	stopped_at 2
	recovers resumes 2
	row_end "exit 69, no retry, nothing of the page written"
}

row_6a() {
	SOURCE_KEYS='timeout = 2;' row_begin 6a
	sim_admin "fault?kind=slow_headers&delay_ms=1400&count=1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	[ "$MS" -ge 1400 ] || oops "took $MS ms: the slow page was not served"
	row_end "a page 1.4 s slow within a 2 s timeout is taken as it is"
}

row_6b() {
	SOURCE_KEYS='timeout = 2; retries = 1;' row_begin 6b
	sim_admin "fault?kind=slow_headers&delay_ms=2600&count=-1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	grep -qi "timeout was reached\|timed out" "$LOG" || oops "the failure does not say it timed out"
	took=$MS
	stopped_at 2
	recovers resumes 2
	row_end "timed out twice, exit 75 in $took ms; resumed at page 3"
}

row_7() {
	main_url=$SIM_URL
	port=$(free_port)
	# shellcheck disable=SC2086 # the simulator's arguments are words
	sim_on "$port" $SIM_ARGS --auth oauth2 --client-id ipasnd --client-secret "s3cr3t-of-row7"
	SIM_URL="http://127.0.0.1:$port"
	printf 's3cr3t-of-row7\n' >"$T_TMP/row7.secret"
	chmod 600 "$T_TMP/row7.secret"
	auth="auth: { type = \"oauth2\"; token_url = \"$SIM_URL/oauth2/token\"; client_id = \"ipasnd\";
		client_secret_file = \"row7.secret\"; };"

	# 7a: one 401; the token is refreshed once and the listing goes on.
	SOURCE_KEYS=$auth row_begin 7a
	sim_admin "fault?kind=token_expired&count=1&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	[ "$(sim_count /oauth2/token 200)" -eq 2 ] || oops "$(sim_count /oauth2/token 200) tokens issued, expected 2"
	[ "$(sim_count /v1/asn 401)" -eq 1 ] || oops "$(sim_count /v1/asn 401) answers 401, expected 1"
	! grep -q "s3cr3t-of-row7" "$LOG" || oops "the client secret is in the log"
	row_end "one 401, one new token, the listing completes; exit 0"

	# 7b: the fresh token is refused too: the cycle fails naming the setting.
	SOURCE_KEYS=$auth row_begin 7b
	sim_admin "fault?kind=token_expired&count=2&skip=2" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	grep -q "refused the credentials of source.auth (type oauth2, client_id ipasnd), also with a fresh token" "$LOG" ||
		oops "the failure does not name the auth setting"
	! grep -q "s3cr3t-of-row7" "$LOG" || oops "the client secret is in the log"
	stopped_at 2
	recovers resumes 2
	row_end "401 after the refresh: exit 69 naming source.auth; resumed at page 3"

	kill "$SIM2_PID"
	wait "$SIM2_PID" 2>/dev/null || true
	forget "$SIM2_PID"
	SIM_URL=$main_url
}

row_8() {
	row_begin 8
	# A 410 fires only on requests with a cursor: skip=1 lets page 2 through.
	sim_admin "fault?kind=gone&count=1&skip=1" >/dev/null
	run fault
	check_row "$RC" "$LOG"
	[ "$(sim_count /v1/asn 410)" -eq 1 ] || oops "$(sim_count /v1/asn 410) answers 410, expected 1"
	# Pages 1 to 3 the first time (3 with its 410), then the whole listing.
	[ "$(sim_count /v1/asn total)" -eq $((NPAGES + 3)) ] ||
		oops "$(sim_count /v1/asn total) listing requests, expected $((NPAGES + 3))"
	consistent "after the restart"
	[ "$(q "$DB" "SELECT count(*) FROM ipasn.issue WHERE code = 'duplicate_record'")" -eq \
		"$(q ref "SELECT count(*) FROM ipasn.issue WHERE code = 'duplicate_record'")" ] ||
		oops "the restarted listing flagged records as listed twice"
	row_end "restarted from the first page, completed; exit 0"
}

row_9() {
	SOURCE_KEYS='retries = 2;' row_begin 9
	"$IPASND" -c "$C" migrate >"$T_TMP/$DB.migrate.log" 2>&1 || { LOG="$T_TMP/$DB.migrate.log" oops "migrate"; }
	pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
	run fault
	pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w start >/dev/null
	check_row "$RC" "$LOG"
	[ "$(grep -c "IPASN_EVENT=db_reconnect" "$LOG")" -eq 2 ] || oops "expected 2 db_reconnect lines"
	[ "$(sim_count /v1/asn total)" -eq 0 ] || oops "a request reached the endpoint without a database"
	grep -q "PostgreSQL unavailable" "$LOG" || oops "the failure does not say PostgreSQL is unavailable"
	stopped_at 0 none
	recovers
	row_end "3 connection attempts, exit 75; the next sync, PostgreSQL up, completes"
}

row_10() {
	SOURCE_KEYS='retries = 6;' row_begin 10
	with_fault_trigger
	q "$DB" "INSERT INTO public.fault VALUES ('sleep', 3, 1, 60)"
	T0=$(now_ms)
	start fault sync
	wait_until 30 "page 3 inside its transaction" in_pg_sleep
	pg_restart
	finish
	check_row "$RC" "$LOG"
	grep -q "reconnected to PostgreSQL" "$LOG" || oops "no reconnection logged"
	grep -q "connection lost while writing a page" "$LOG" || oops "the lost page is not logged"
	consistent "after the restart"
	row_end "page 3 rolled back by the restart, written again after reconnecting; exit 0"
}

row_11() {
	row_begin 11
	with_fault_trigger
	q "$DB" "INSERT INTO public.fault VALUES ('disk_full', 3, 1000000)"
	# Page 4, fetched ahead while page 3 fails, would take 15 s: the failed
	# cycle does not wait for it.
	sim_admin "fault?kind=slow_headers&delay_ms=15000&skip=3&count=1" >/dev/null
	T0=$(now_ms)
	run fault
	sim_admin clear >/dev/null
	check_row "$RC" "$LOG"
	grep -q "No space left on device" "$LOG" || oops "the failure does not give PostgreSQL's reason"
	[ "$(($(now_ms) - T0))" -lt 5000 ] || oops "the failed cycle waited for the page fetched ahead"
	stopped_at 2
	q "$DB" "DROP TRIGGER fault ON ipasn.course"
	recovers resumes 2
	row_end "page 3 rolled back, exit 75; resumed there once the disk has room"
}

row_12() {
	row_begin 12
	with_fault_trigger
	q "$DB" "INSERT INTO public.fault VALUES ('sleep', 3, 1, 2)"
	T0=$(now_ms)
	start fault sync
	wait_until 30 "page 3 inside its transaction" in_pg_sleep
	kill -9 "$PID"
	finish
	# The server ends the killed client's session once the statement ends.
	wait_until 30 "the killed session to end" no_session
	killed=$RC
	stopped_at 2 running:false
	run next
	[ "$RC" -eq 0 ] || oops "the run after kill -9 exited $RC"
	check_row "$killed" "$LOG"
	[ "$(q "$DB" "SELECT string_agg(status, ' ' ORDER BY id) FROM ipasn.sync_run")" = "interrupted ok" ] ||
		oops "runs recorded as '$(q "$DB" "SELECT string_agg(status, ' ' ORDER BY id) FROM ipasn.sync_run")'"
	consistent "after the next run"
	row_end "page 3 rolled back; the next run marks the killed one interrupted and resumes"
}

# sigterm_mid_transfer COMMAND...: SIGTERM while page 3 trickles in; the
# command stops with the row's exit status within 5 s, pages 1 and 2 stay,
# and the next run resumes at page 3.
sigterm_mid_transfer() {
	sim_admin "fault?kind=slow_body&chunk=1024&delay_ms=200&count=-1&skip=2" >/dev/null
	start fault "$@"
	wait_until 30 "the transfer of page 3" requests_at_least 3
	sleep 0.3
	T0=$(now_ms)
	kill -TERM "$PID"
	finish
	check_row "$RC" "$LOG"
	[ "$MS" -lt 5000 ] || oops "took $MS ms to stop"
	stopped_at 2
	took=$MS
	status=$RC
	recovers resumes 2
	row_end "exit $status $took ms after SIGTERM; resumed at page 3"
}

row_13() {
	# 13a: ipasnd sync stops with 75 within a few seconds.
	row_begin 13a
	sigterm_mid_transfer sync

	# 13b: ipasnd run stops with 0.
	row_begin 13b 'sync: { interval = "1h"; jitter = 0.0; };'
	sigterm_mid_transfer run

	# 13c: the stop cancels a statement that would take a minute.
	row_begin 13c
	with_fault_trigger
	q "$DB" "INSERT INTO public.fault VALUES ('sleep', 3, 1, 60)"
	start fault sync
	wait_until 30 "page 3 inside its transaction" in_pg_sleep
	T0=$(now_ms)
	kill -TERM "$PID"
	finish
	check_row "$RC" "$LOG"
	[ "$MS" -lt 5000 ] || oops "took $MS ms to stop inside a 60 s statement"
	stopped_at 2
	took=$MS
	q "$DB" "DROP TRIGGER fault ON ipasn.course"
	recovers resumes 2
	row_end "exit 75 $took ms after SIGTERM inside a 60 s statement; page 3 rolled back"

	# 13d: a full listing of a database already synced, stopped the same
	# way: the plain sync after it resumes the full listing, where it would
	# otherwise list only the changes.
	row_begin 13d
	run first
	[ "$RC" -eq 0 ] || oops "the first sync exited $RC"
	ROW_SYNCED=1
	sim_admin reset-stats >/dev/null
	sigterm_mid_transfer sync --full

	# 13e: one employee's refresh, stopped while its answer is late: a stop
	# is work left for later, never a success.
	row_begin 13e
	run first
	[ "$RC" -eq 0 ] || oops "the first sync exited $RC"
	nip=$(head -1 "$T_TMP/pages/1")
	sim_admin "fault?kind=slow_headers&delay_ms=20000&count=1" >/dev/null
	start fault sync --nip "$nip"
	wait_until 30 "the refresh of NIP $nip to start" grep -q "IPASN_EVENT=sync_started" "$LOG"
	sleep 0.5
	T0=$(now_ms)
	kill -TERM "$PID"
	finish
	check_row "$RC" "$LOG"
	[ "$MS" -lt 5000 ] || oops "took $MS ms to stop"
	[ "$(q "$DB" "SELECT status FROM ipasn.sync_run ORDER BY id DESC LIMIT 1")" = failed ] ||
		oops "the stopped refresh was recorded as '$(q "$DB" "SELECT status FROM ipasn.sync_run ORDER BY id DESC LIMIT 1")'"
	took=$MS
	sim_admin clear >/dev/null
	run again sync --nip "$nip"
	[ "$RC" -eq 0 ] || oops "the refresh after the stop exited $RC"
	row_end "exit 75 $took ms after SIGTERM, the run recorded as failed"
}

row_14() {
	row_begin 14
	# The server's log shows whether a run releases its lock before it
	# exits, or leaves it to its session's end, after which the next run
	# could still find it taken.
	q "$DB" "ALTER DATABASE $DB SET log_statement = 'all'"
	sim_admin "fault?kind=slow_headers&delay_ms=3000&count=1&skip=1" >/dev/null
	T0=$(now_ms)
	start first sync
	first=$LOG
	wait_until 30 "the first sync to start" grep -q "IPASN_EVENT=sync_started" "$first"
	run second
	check_row "$RC" "$LOG"
	grep -q "another ipasnd is syncing this source" "$LOG" || oops "the skip does not say why"
	LOG=$first
	finish
	[ "$RC" -eq 0 ] || oops "the first sync exited $RC"
	grep -q "pg_advisory_unlock" "$PG_LOG" || oops "the first sync left its lock to the end of its session"
	has_event "$first" sync_finished INSERTED="$REF_N" || oops "the first sync did not finish its listing"
	[ "$(q "$DB" "SELECT count(*) FROM ipasn.sync_run")" -eq 1 ] || oops "the skipped run left a sync_run row"
	consistent "after both"
	row_end "the second exits 75 at once, the first completes undisturbed and unlocks"
}

for r in 1 2 3 4 5a 5b 6a 6b 7 8 9 10 11 12 13 14; do
	case $r in
	5a) wanted 5a && row_5 5a 0 ;;
	5b) wanted 5b && row_5 5b 1 ;;
	7) { wanted 7a || wanted 7b || wanted 7; } && row_7 ;;
	13) { wanted 13a || wanted 13b || wanted 13c || wanted 13d || wanted 13e || wanted 13; } && row_13 ;;
	*) wanted "$r" && "row_$r" ;;
	esac
done
echo "# fault matrix: $(($(now_ms) - T_START)) ms"
