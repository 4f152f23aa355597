# The configuration cannot hang, leak or send secrets in clear: a FIFO or a
# directory given as the configuration or a secret file is refused at
# once; a secret file others may write is refused; a conninfo libpq cannot
# parse is a configuration error that does not repeat it (it may hold a
# password), and a password in it is warned about; credentials over plain
# http:// to another host are refused unless allowed, and then warned.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# expect_fast CMD...: CMD exits 78 within 5 s (a FIFO must not block it).
expect_fast() {
	ef_t0=$(now_ms)
	set +e
	timeout 10 "$@" >"$T_TMP/out" 2>&1
	ef_rc=$?
	set -e
	[ "$ef_rc" -eq 78 ] || { cat "$T_TMP/out" >&2; fail "'$*' exited $ef_rc, expected 78"; }
	[ $(($(now_ms) - ef_t0)) -lt 5000 ] || fail "'$*' took $(($(now_ms) - ef_t0)) ms"
}

mkfifo "$T_TMP/fifo.conf"
expect_fast "$IPASND" check-config "$T_TMP/fifo.conf"
expect_grep "fifo.conf: cannot read: it is a FIFO, not a regular file" "$T_TMP/out"
expect_fast "$IPASND" -c "$T_TMP/fifo.conf" run
ok "a FIFO as the configuration: refused at once, also by run"
mkdir "$T_TMP/dir.conf"
expect_fast "$IPASND" -c "$T_TMP/dir.conf" check-config
expect_grep "dir.conf: cannot read: it is a directory" "$T_TMP/out"
ok "a directory as the configuration: it says so"

bearer() { # FILE TOKEN_FILE [URL]: a bearer configuration
	cat >"$1" <<EOC
source: { url = "${3:-https://simpeg.example.go.id/api}";
          auth: { type = "bearer"; token_file = "$2"; }; };
EOC
}
mkfifo "$T_TMP/token.fifo"
bearer "$T_TMP/f.conf" token.fifo
expect_fast "$IPASND" check-config "$T_TMP/f.conf"
expect_grep "source.auth.token_file: cannot read secret file .*token.fifo\": it is a FIFO" "$T_TMP/out"
ok "a FIFO as a secret file: refused at once"

printf 'tok-GROUPWRITE-1\n' >"$T_TMP/token.gw"
chmod 620 "$T_TMP/token.gw"
bearer "$T_TMP/gw.conf" token.gw
expect_fast "$IPASND" check-config "$T_TMP/gw.conf"
expect_grep "is writable by its group (mode 620)" "$T_TMP/out"
chmod 602 "$T_TMP/token.gw"
expect_fast "$IPASND" check-config "$T_TMP/gw.conf"
expect_grep "is writable by others (mode 602)" "$T_TMP/out"
if grep -q "GROUPWRITE" "$T_TMP/out"; then fail "the token leaked"; fi
ok "a secret file others may write: refused"

conninfo() { # FILE CONNINFO
	printf 'source: { url = "https://simpeg.example.go.id/api"; };\ndatabase: {\n  conninfo = "%s";\n};\n' \
		"$2" >"$1"
}
conninfo "$T_TMP/uri.conf" 'postgresql://ipasnd:Pw-s3cret-77@db.example:5432/ipasn?sslmod=require'
expect_fast "$IPASND" check-config "$T_TMP/uri.conf"
expect_grep "uri.conf:3: database.conninfo: is not a libpq connection string" "$T_TMP/out"
if grep -q "s3cret" "$T_TMP/out"; then fail "the password of a malformed conninfo leaked"; fi
ok "a malformed conninfo: FILE:LINE, exit 78, its password not repeated"
conninfo "$T_TMP/pw.conf" 'host=db.example dbname=ipasn user=ipasnd password=Pw-s3cret-77'
expect_exit 0 "$IPASND" check-config "$T_TMP/pw.conf"
expect_grep "database.conninfo holds a password: keep it in a passfile" "$T_TMP/out"
if grep -q "s3cret" "$T_TMP/out"; then fail "the password leaked"; fi
ok "a password in the conninfo: a warning pointing at the passfile"
# A connection that fails names no password, whatever libpq says.
conninfo "$T_TMP/down.conf" 'host=127.0.0.1 port=9 dbname=ipasn user=ipasnd password=Pw-s3cret-77 connect_timeout=2'
expect_exit 75 "$IPASND" -c "$T_TMP/down.conf" status
if grep -q "s3cret" "$T_TMP/out"; then fail "the password leaked into a connection error"; fi
ok "a failed connection names no password"

printf 'tok-PLAIN-12345\n' >"$T_TMP/token"
chmod 600 "$T_TMP/token"
bearer "$T_TMP/plain.conf" token "http://simpeg.example.go.id/api"
expect_fast "$IPASND" check-config "$T_TMP/plain.conf"
expect_grep "plain.conf:1: source.url: is http://: the credentials would go out unencrypted" "$T_TMP/out"
sed -i 's|auth:|allow_plain_http = true; auth:|' "$T_TMP/plain.conf"
expect_exit 0 "$IPASND" check-config "$T_TMP/plain.conf"
expect_grep "source.allow_plain_http is true: source.url is http://" "$T_TMP/out"
bearer "$T_TMP/local.conf" token "http://127.0.0.1:8080/api"
expect_exit 0 "$IPASND" check-config "$T_TMP/local.conf"
if grep -q "warning" "$T_TMP/out"; then cat "$T_TMP/out" >&2; fail "plain http to this machine warned"; fi
ok "credentials over http:// to another host: refused, or allowed and warned; loopback is fine"
