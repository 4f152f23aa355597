# Shared helpers for the integration tests (POSIX sh).
#
# Each test sources this file, calls what it needs, and gets everything it
# started stopped on exit, even on failure: a private PostgreSQL (initdb in a
# temporary folder, a free port, its socket in that folder), the SIMPEG
# simulator, and a scratch folder. Nothing touches a system PostgreSQL.

set -eu

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${IPASND:=$top_builddir/ipasnd}"
SIM="${SIM:-$top_builddir/tools/simpeg-sim}"

T_NAME=$(basename "$0" .sh)
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipasnd-$T_NAME.XXXXXX")
chmod 755 "$T_TMP"
T_PIDS=""
T_FAILED=0
PG_DATA=""

cleanup() {
	rc=$?
	for pid in $T_PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	[ -n "$PG_DATA" ] && pg_stop
	if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "$T_FAILED" -ne 0 ]; then
		echo "# $T_NAME: failed; files kept in $T_TMP" >&2
	else
		rm -rf "$T_TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAIL: $*" >&2
	T_FAILED=1
	exit 1
}

ok() {
	echo "ok - $*"
}

# expect_eq WHAT GOT WANTED
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	ok "$1"
}

# expect_exit WANTED CMD...: runs CMD, stdout+stderr to $T_TMP/out
expect_exit() {
	want=$1
	shift
	set +e
	"$@" >"$T_TMP/out" 2>&1
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		cat "$T_TMP/out" >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# expect_grep PATTERN FILE
expect_grep() {
	grep -q -e "$1" "$2" || { cat "$2" >&2; fail "'$1' not found in $2"; }
}

# A free TCP port on loopback.
# Below the kernel's ephemeral range (32768 and up), so that no outgoing
# connection of another test holds it a moment later.
free_port() {
	while :; do
		p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 17000 + 15000))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
}

# ---- private PostgreSQL ---------------------------------------------------

pg_bindir() {
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

# PostgreSQL refuses to run as root: as root, run it as an unprivileged user.
pg_run() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_USER" -- "$@"
	else
		"$@"
	fi
}

# pg_start: starts a private server; sets PGHOST, PGPORT, PGDATABASE, PGUSER.
pg_start() {
	PG_BIN=$(pg_bindir) || fail "PostgreSQL server binaries (initdb) not found; run tools/check"
	PG_USER=postgres
	id -u "$PG_USER" >/dev/null 2>&1 || PG_USER=nobody
	# One folder the server's user owns: data, socket and log.
	PG_DIR="$T_TMP/pg"
	PG_DATA="$PG_DIR/data"
	PG_SOCK="$PG_DIR"
	PG_LOG="$PG_DIR/postgres.log"
	mkdir -p "$PG_DIR"
	[ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$PG_DIR"
	pg_run "$PG_BIN/initdb" -D "$PG_DATA" -U ipasn -A trust --no-sync -E UTF8 --locale=C \
		>"$T_TMP/initdb.log" 2>&1 || { cat "$T_TMP/initdb.log" >&2; fail "initdb"; }
	for try in 1 2 3; do
		PGPORT=$(free_port)
		cat >"$PG_DATA/postgresql.auto.conf" <<EOC
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PG_SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
max_wal_size = 1GB
EOC
		pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null && break
		[ "$try" -eq 3 ] && { cat "$PG_LOG" >&2; fail "pg_ctl start"; }
	done
	PGHOST=$PG_SOCK
	PGUSER=ipasn
	PGDATABASE=ipasn
	export PGHOST PGPORT PGUSER PGDATABASE
	pg_run "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PGPORT" -U ipasn ipasn
}

pg_stop() {
	[ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ] &&
		pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
}

pg_restart() {
	pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -m fast -w restart >/dev/null
}

# psql_val SQL [PSQL OPTIONS]: the result, unaligned, one row per line.
psql_val() {
	pv_sql=$1
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$@" -c "$pv_sql"
}

# ---- the SIMPEG simulator -------------------------------------------------

# sim_start ARGS...: starts the simulator on a free port; sets SIM_URL.
sim_start() {
	[ -x "$SIM" ] || fail "simulator $SIM not built"
	SIM_PORT=$(free_port)
	"$SIM" --port "$SIM_PORT" "$@" >"$T_TMP/sim.log" 2>&1 &
	SIM_PID=$!
	T_PIDS="$T_PIDS $SIM_PID"
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$SIM_PORT/healthz"; do
		i=$((i + 1))
		[ $i -gt 200 ] && { cat "$T_TMP/sim.log" >&2; fail "simulator did not start"; }
		sleep 0.05
	done
	SIM_URL="http://127.0.0.1:$SIM_PORT"
}

# write_config FILE [EXTRA]: a config for the private database and simulator;
# SOURCE_KEYS and LOG_KEYS ("retries = 5;") add to those groups, replacing
# the defaults of the same keys; EXTRA comes after the groups.
write_config() {
	wc_src=${SOURCE_KEYS:-}
	for kv in 'rate_limit = 1000.0;' 'retries = 2;' 'backoff_max = "1s";'; do
		case " $wc_src" in
		*" ${kv%% *} "*) ;;
		*) wc_src="$wc_src $kv" ;;
		esac
	done
	cat >"$1" <<EOC
source: { url = "${SIM_URL:-http://127.0.0.1:9}"; $wc_src };
database: { conninfo = "host=$PGHOST port=${PGPORT:-5432} dbname=ipasn user=ipasn"; };
log: { target = "stderr"; ${LOG_KEYS:-} };
${2:-}
EOC
}

# ---- the simulator's administration, and the HTTP test driver ---------------

HTTP_DRIVER="${HTTP_DRIVER:-$top_builddir/tests/tools/http-driver}"

# sim_stop: stops the simulator sim_start started last.
sim_stop() {
	kill "$SIM_PID" 2>/dev/null || true
	wait "$SIM_PID" 2>/dev/null || true
}

# sim_admin PATH [METHOD]: an admin request (POST by default); prints the answer.
sim_admin() {
	curl -s -f -X "${2:-POST}" "$SIM_URL/admin/$1" || fail "simulator admin $1"
}

# sim_count ROUTE STATUS: how many requests to ROUTE (/v1/asn, /v1/asn/{nip},
# /oauth2/token) the simulator answered with STATUS ("total" for all).
sim_count() {
	curl -s -f "$SIM_URL/admin/stats" | jq -r --arg r "$1" --arg s "$2" '.requests[$r][$s] // 0'
}

# source_config FILE [SOURCE_KEYS] [GROUPS]: a config holding source.* for
# the simulator, with short waits; SOURCE_KEYS ("retries = 5;") go inside
# source and replace the defaults of the same keys, GROUPS come after.
source_config() {
	sc_keys=${2:-}
	for kv in 'rate_limit = 1000.0;' 'retries = 2;' 'backoff_max = "1s";' 'timeout = "10s";' \
		'connect_timeout = "2s";'; do
		case " $sc_keys" in
		*" ${kv%% *} "*) ;;
		*) sc_keys="$sc_keys $kv" ;;
		esac
	done
	cat >"$1" <<EOC
source: { url = "${SIM_URL:-http://127.0.0.1:9}"; $sc_keys };
${3:-}
EOC
}

# now_ms: wall-clock milliseconds, for elapsed-time checks.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# driver_run NAME ARGS...: runs the HTTP driver with ARGS; its stdout goes to
# $T_TMP/NAME.out, its stderr to $T_TMP/NAME.err; sets RC and MS (elapsed).
driver_run() {
	d_name=$1
	shift
	d_t0=$(now_ms)
	set +e
	"$HTTP_DRIVER" "$@" >"$T_TMP/$d_name.out" 2>"$T_TMP/$d_name.err"
	RC=$?
	set -e
	MS=$(($(now_ms) - d_t0))
}

# driver_field KEY FILE: the value of KEY=value in the first line of FILE holding it.
driver_field() {
	tr ' ' '\n' <"$2" | sed -n "s/^$1=//p" | head -n 1
}

# ---- the systemd journal ---------------------------------------------------

# journal_start: makes sure a journald listens; starts one when none runs
# and the test runs as root. Without either, the test is skipped (77) with
# a message saying why.
journal_start() {
	JOURNALD=""
	# A socket left by a journald that is gone does not count.
	if [ -S /run/systemd/journal/socket ] && ! pgrep -x systemd-journal >/dev/null 2>&1; then
		[ "$(id -u)" -eq 0 ] && rm -f /run/systemd/journal/socket
	fi
	if [ ! -S /run/systemd/journal/socket ]; then
		for j in /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald; do
			[ -x "$j" ] && JOURNALD=$j && break
		done
		if [ "$(id -u)" -ne 0 ] || [ -z "$JOURNALD" ]; then
			echo "SKIP: no journal socket, and no systemd-journald this test may start (needs root)"
			exit 77
		fi
		mkdir -p /run/systemd/journal
		"$JOURNALD" >"$T_TMP/journald.log" 2>&1 &
		T_PIDS="$T_PIDS $!"
		i=0
		until [ -S /run/systemd/journal/socket ]; do
			i=$((i + 1))
			[ $i -gt 100 ] && { cat "$T_TMP/journald.log" >&2; fail "journald did not start"; }
			sleep 0.05
		done
	fi
	command -v journalctl >/dev/null || fail "journalctl not found"
	JOURNAL_CURSOR=$(journalctl -q -n 0 --show-cursor 2>/dev/null | sed -n 's/^-- cursor: //p')
}

# journal_json [MATCHES...]: the entries since journal_start of the ipasnd
# runs of this test (their command line names its folder: another test's
# ipasnd may log to the same journal at the same time), as JSON lines.
journal_json() {
	journalctl --sync 2>/dev/null || sleep 0.5
	if [ -n "$JOURNAL_CURSOR" ]; then
		journalctl -q -o json --after-cursor="$JOURNAL_CURSOR" SYSLOG_IDENTIFIER=ipasnd "$@"
	else
		journalctl -q -o json SYSLOG_IDENTIFIER=ipasnd "$@"
	fi | jq -c --arg t "$T_TMP" 'select((._CMDLINE // "") | contains($t))'
}
