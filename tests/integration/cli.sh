# The command line: check-config, exit codes, help, and the commands that
# need a configuration.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

expect_exit 0 "$IPASND" --version
expect_grep "^ipasnd [0-9]" "$T_TMP/out"
ok "--version"

expect_exit 0 "$IPASND" --help
expect_grep "check-config" "$T_TMP/out"
ok "--help"

expect_exit 64 "$IPASND"
ok "no command: usage, exit 64"
expect_exit 64 "$IPASND" frobnicate
expect_grep "unknown command 'frobnicate'" "$T_TMP/out"
ok "unknown command: exit 64"

# A NIP that cannot be one is a usage error, before any connection.
for nip in 123 19880412201403100X 1988041220140310021; do
	expect_exit 64 "$IPASND" -c "$top_srcdir/etc/ipasnd.conf" sync --nip "$nip"
	expect_grep "takes an 18-digit NIP (nipBaru), got \"$nip\"" "$T_TMP/out"
done
ok "sync --nip with a malformed NIP: exit 64"

expect_exit 0 "$IPASND" check-config "$top_srcdir/etc/ipasnd.conf"
expect_eq "sample config" "$(cat "$T_TMP/out")" "configuration OK"

expect_exit 78 "$IPASND" check-config "$top_srcdir/tests/fixtures/config/misspelt.conf"
expect_grep "tests/fixtures/config/misspelt.conf:6: sync.intervall: unknown key" "$T_TMP/out"
ok "misspelt key: exit 78 with FILE:LINE"

# -c and IPASND_CONFIG choose the file.
expect_exit 78 "$IPASND" -c "$top_srcdir/tests/fixtures/config/misspelt.conf" check-config
ok "-c FILE"
IPASND_CONFIG="$top_srcdir/etc/ipasnd.conf" expect_exit 0 "$IPASND" check-config
ok "IPASND_CONFIG"

expect_exit 78 "$IPASND" -c "$T_TMP/missing.conf" check-config
expect_grep "missing.conf: cannot read" "$T_TMP/out"
ok "missing file: exit 78"

# A command that needs the configuration refuses a bad one with 78, so a
# unit with RestartPreventExitStatus=78 does not restart-loop.
expect_exit 78 "$IPASND" -c "$top_srcdir/tests/fixtures/config/misspelt.conf" run
expect_grep "misspelt.conf:6: sync.intervall: unknown key" "$T_TMP/out"
ok "run with a bad config: exit 78"

# Secrets never appear in any output.
printf 'tok-SECRET-1234\n' >"$T_TMP/token"
chmod 644 "$T_TMP/token"
cat >"$T_TMP/bearer.conf" <<EOC
source: { url = "https://simpeg.example.go.id/api";
          auth: { type = "bearer"; token_file = "token"; }; };
EOC
expect_exit 0 "$IPASND" check-config "$T_TMP/bearer.conf"
expect_grep "readable by others" "$T_TMP/out"
if grep -q "tok-SECRET" "$T_TMP/out"; then fail "the token leaked into output"; fi
ok "secret file readable by others warns, secret not shown"
