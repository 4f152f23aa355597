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
SIM="${SIM:-$top_builddir/tools/simpeg-sim/simpeg-sim}"

T_NAME=$(basename "$0" .sh)
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipasnd-$T_NAME.XXXXXX")
chmod 755 "$T_TMP"
T_PIDS=""
T_FAILED=0
PG_DATA=""
T_VALGRIND=${IPASND_VALGRIND:-0}

cleanup() {
	rc=$?
	for pid in $T_PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	[ -n "$PG_DATA" ] && pg_stop
	if [ "$T_VALGRIND" = 1 ] && ! vg_report; then
		T_FAILED=1
		if [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; then rc=1; fi
	fi
	if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "$T_FAILED" -ne 0 ]; then
		echo "# $T_NAME: failed; files kept in $T_TMP" >&2
	else
		rm -rf "$T_TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- valgrind -------------------------------------------------------------
#
# IPASND_VALGRIND=1 runs every ipasnd and HTTP driver the test starts under
# valgrind's memcheck: $IPASND and $HTTP_DRIVER become wrappers in
# $T_TMP/valgrind, each run logs to $T_TMP/valgrind/NAME.PID.log, and any
# memory error or definite or indirect leak makes it exit 99. At exit the
# test fails, naming the log, when any log holds an error, even of a run
# whose exit status the test ignores or that it killed. The simulator and
# PostgreSQL run natively. IPASND_VALGRIND_OPTS, read at each run, adds
# options (e.g. --track-origins=yes).
#
# Valgrind makes ipasnd 20-50 times slower: tests that need large
# workforces scale them by IPASND_TEST_SCALE percent (default 100, under
# valgrind 10), and a time bound that cannot hold under valgrind is widened
# there only, where the test says why.
VG_EXIT=99
if [ "$T_VALGRIND" = 1 ]; then
	: "${IPASND_TEST_SCALE:=10}"
else
	: "${IPASND_TEST_SCALE:=100}"
fi

# scaled N: N employees at IPASND_TEST_SCALE percent, at least 1000.
scaled() {
	sc_n=$(($1 * IPASND_TEST_SCALE / 100))
	[ "$sc_n" -ge 1000 ] || sc_n=1000
	echo "$sc_n"
}

# vg_wrap NAME PROGRAM: prints the path of a wrapper that runs PROGRAM under
# valgrind.
vg_wrap() {
	command -v valgrind >/dev/null || fail "IPASND_VALGRIND=1 but valgrind is not installed"
	mkdir -p "$T_TMP/valgrind"
	cat >"$T_TMP/valgrind/$1" <<EOW
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=$VG_EXIT \
	--log-file="$T_TMP/valgrind/$1.%p.log" \
	\${IPASND_VALGRIND_OPTS:-} "$2" "\$@"
EOW
	chmod 755 "$T_TMP/valgrind/$1"
	echo "$T_TMP/valgrind/$1"
}

# vg_report: 0 when no valgrind log holds an error; else names each log
# that does, with its errors, and returns 1. A run killed before its end
# leaves no summary: then any error record in its log counts.
vg_report() {
	vr_bad=0
	vr_runs=0
	for vr_log in "$T_TMP"/valgrind/*.log; do
		[ -f "$vr_log" ] || continue
		vr_runs=$((vr_runs + 1))
		if grep -q 'ERROR SUMMARY: [1-9]' "$vr_log" ||
			{ ! grep -q 'ERROR SUMMARY:' "$vr_log" &&
				grep -q '^==[0-9]*==    at 0x' "$vr_log"; }; then
			echo "FAIL: valgrind found errors: $vr_log" >&2
			grep -v '^==[0-9]*== *$' "$vr_log" | sed -n '/^==[0-9]*== Command:/,$p' | head -60 >&2
			vr_bad=1
		fi
	done
	[ "$vr_bad" -ne 0 ] || echo "# valgrind: $vr_runs runs, no error, no definite or indirect leak"
	return "$vr_bad"
}

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
		[ "$T_VALGRIND" = 1 ] && [ "$got" -eq "$VG_EXIT" ] &&
			echo "# exit $VG_EXIT: valgrind found errors; its log follows" >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# expect_grep PATTERN FILE
expect_grep() {
	grep -q -e "$1" "$2" || { cat "$2" >&2; fail "'$1' not found in $2"; }
}

# wait_until [--show FILE]... SECONDS WHAT CMD...: runs CMD every 50 ms until
# it succeeds. When it still fails SECONDS after the first try (five times
# that under valgrind: a bound only keeps a hung test from hanging, it says
# nothing of speed), the end of each FILE is shown and the test fails with
# "waited S s in vain for WHAT", through the function named by WAIT_FAIL
# (default fail). CMD may itself fail the test at once, e.g. when the
# process it waits on has died.
wait_until() {
	wu_show=""
	while [ "$1" = --show ]; do
		wu_show="$wu_show$2
"
		shift 2
	done
	wu_secs=$1
	wu_what=$2
	shift 2
	[ "$T_VALGRIND" = 1 ] && wu_secs=$((wu_secs * 5))
	wu_end=$(($(now_ms) + wu_secs * 1000))
	until "$@"; do
		if [ "$(now_ms)" -gt "$wu_end" ]; then
			printf '%s' "$wu_show" | while IFS= read -r wu_f; do
				echo "---- the end of $wu_f" >&2
				tail -n 40 "$wu_f" >&2 2>/dev/null || true
			done
			"${WAIT_FAIL:-fail}" "waited $wu_secs s in vain for $wu_what"
		fi
		sleep 0.05
	done
}

# A free TCP port on loopback.
# Below the kernel's ephemeral range (32768 and up), so that no outgoing
# connection of another test holds it a moment later.
free_port() {
	fp_try=0
	while [ "$fp_try" -lt 100 ]; do
		fp_try=$((fp_try + 1))
		p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 17000 + 15000))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	fail "no free port in 100 tries between 15000 and 31999"
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
	if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
		pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
	fi
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

# sim_wait PORT LOG: until the simulator on PORT answers; fails with its
# LOG when it never does.
sim_wait() {
	wait_until --show "$2" 10 "the simulator on port $1 to answer" \
		curl -s -o /dev/null "http://127.0.0.1:$1/healthz"
}

# sim_start ARGS...: starts the simulator on a free port; sets SIM_URL.
sim_start() {
	[ -x "$SIM" ] || fail "simulator $SIM not built"
	SIM_PORT=$(free_port)
	"$SIM" --port "$SIM_PORT" "$@" >"$T_TMP/sim.log" 2>&1 &
	SIM_PID=$!
	T_PIDS="$T_PIDS $SIM_PID"
	sim_wait "$SIM_PORT" "$T_TMP/sim.log"
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

# What ipasnd keeps of a record, written out here on its own as the test's
# oracle (the daemon's list is in src/model.c): a jq filter that keeps the
# contract's fields, at the top and in each history and ipAsn.
# A jq program: its quotes and $ are jq's, literal on purpose.
# shellcheck disable=SC2089,SC2016
CONTRACT_JQ='
def keep($k): with_entries(select(.key as $x | $k | index([$x]) != null));
def part($k): if type == "array" then map(if type == "object" then keep($k) else . end)
              elif type == "object" then keep($k) else . end;
keep(["nipBaru","id","nama","gelarDepan","gelarBelakang","tglLahir","jenisKelamin",
      "statusCpnsPns","kedudukanPnsId","kedudukanPnsNama","tmtCpns","tmtPns","jenisJabatanId",
      "jabatanNama","eselonId","eselon","golRuangAkhirId","golRuangAkhir",
      "tkPendidikanTerakhirId","instansiIndukId","instansiIndukNama","opdId","opdNama","unorId",
      "unorNama","updatedAt","deleted","rwPendidikan","rwDiklat","rwKursus","rwSkp","rwSkp22",
      "rwHukdis","ipAsn"])
| if has("rwPendidikan") then .rwPendidikan |= part(["id","tkPendidikanId","tkPendidikanNama",
      "pendidikanNama","tahunLulus","tglLulus"]) else . end
| if has("rwDiklat") then .rwDiklat |= part(["id","latihanStrukturalId","latihanStrukturalNama",
      "tanggal","tanggalSelesai","tahun","jumlahJam"]) else . end
| if has("rwKursus") then .rwKursus |= part(["id","jenisKursusId","jenisKursusNama","namaKursus",
      "jumlahJam","tanggalKursus","tanggalSelesaiKursus","tahunKursus","jenisDiklatId",
      "jenisKursusSertifikat"]) else . end
| if has("rwSkp") then .rwSkp |= part(["id","tahun","nilaiPrestasiKerja","nilairatarata"]) else . end
| if has("rwSkp22") then .rwSkp22 |= part(["id","tahun","kuadranKinerja","KuadranKinerjaNilai"])
  else . end
| if has("rwHukdis") then .rwHukdis |= part(["id","jenisTingkatHukumanId","jenisHukumanNama",
      "skTanggal","hukumanTanggal","akhirHukumTanggal","skPembatalanNomor","jenisHukuman"])
  else . end
| if has("ipAsn") then .ipAsn |= part(["tahun","kualifikasi","kompetensi","kinerja","disiplin",
      "total"]) else . end'
# shellcheck disable=SC2090 # jq, not the shell, reads it
export CONTRACT_JQ

# ---- the simulator's administration, and the HTTP test driver ---------------

HTTP_DRIVER="${HTTP_DRIVER:-$top_builddir/tests/tools/http-driver}"
# json-check FILE: whether jansson, as ipasnd calls it, takes a JSON text.
JSON_CHECK="${JSON_CHECK:-$top_builddir/tests/tools/json-check}"

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
	# shellcheck disable=SC2034 # RC is for the test that sources this file
	RC=$?
	set -e
	MS=$(($(now_ms) - d_t0))
}

# driver_overhead CONFIG: sets DRIVER_OVERHEAD_MS, under valgrind the time
# of a driver run that fails at once (one request, a 404 for an unknown
# NIP): valgrind's start-up and exit, which a time bound on a whole run has
# to allow for there; 0 otherwise. Under valgrind it makes one request to
# the simulator, counted in its stats.
# shellcheck disable=SC2034 # DRIVER_OVERHEAD_MS is for the test that sources this file
driver_overhead() {
	DRIVER_OVERHEAD_MS=0
	[ "$T_VALGRIND" = 1 ] || return 0
	driver_run overhead -c "$1" employee 199001012015011001
	DRIVER_OVERHEAD_MS=$MS
	ok "a driver run that fails at once takes $MS ms under valgrind"
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
		wait_until --show "$T_TMP/journald.log" 5 "journald to open its socket" \
			test -S /run/systemd/journal/socket
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

if [ "$T_VALGRIND" = 1 ]; then
	IPASND=$(vg_wrap ipasnd "$IPASND")
	HTTP_DRIVER=$(vg_wrap http-driver "$HTTP_DRIVER")
fi
