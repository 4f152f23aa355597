# The systemd unit: `systemd-analyze verify` is clean and the offline
# security rating is 1.2 or lower.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v systemd-analyze >/dev/null || fail "systemd-analyze not found (apt-get install systemd)"

# The unit make built for installing: an absolute ExecStart into bindir.
unit=$top_builddir/systemd/ipasnd.service
[ -f "$unit" ] || (cd "$top_builddir" && make systemd/ipasnd.service >/dev/null) || fail "make the unit"
exec_start=$(sed -n 's/^ExecStart=\(.*\)\/ipasnd run$/\1/p' "$unit")
case $exec_start in
/*[!@]) ;;
*) fail "ExecStart is not an absolute path to ipasnd: $(grep '^ExecStart=' "$unit")" ;;
esac
case $exec_start in *@*) fail "ExecStart holds an unsubstituted $exec_start" ;; esac
ok "ExecStart=$exec_start/ipasnd run"
# The same unit, pointing at the binary built here.
sed -e "s|^ExecStart=$exec_start/|ExecStart=$top_builddir/|" "$unit" >"$T_TMP/ipasnd.service"
# Its Documentation= pages, where man can find them.
mkdir -p "$T_TMP/man/man5" "$T_TMP/man/man8"
cp "$top_srcdir/man/ipasnd.8" "$T_TMP/man/man8/"
cp "$top_srcdir/man/ipasnd.conf.5" "$T_TMP/man/man5/"

MANPATH="$T_TMP/man" systemd-analyze verify "$T_TMP/ipasnd.service" >"$T_TMP/verify" 2>&1 ||
	{ cat "$T_TMP/verify" >&2; fail "systemd-analyze verify failed"; }
if [ -s "$T_TMP/verify" ]; then
	cat "$T_TMP/verify" >&2
	fail "systemd-analyze verify printed warnings"
fi
ok "systemd-analyze verify is clean"

systemd-analyze security --offline=true "$T_TMP/ipasnd.service" >"$T_TMP/security" 2>&1 ||
	{ cat "$T_TMP/security" >&2; fail "systemd-analyze security failed"; }
level=$(sed -n 's/.*Overall exposure level for ipasnd.service: \([0-9.]*\).*/\1/p' "$T_TMP/security")
[ -n "$level" ] || { cat "$T_TMP/security" >&2; fail "no exposure level printed"; }
awk -v l="$level" 'BEGIN { exit !(l <= 1.2) }' || fail "exposure level $level is above 1.2"
ok "exposure level $level (at most 1.2)"

# The settings the service contract needs.
for want in "Type=notify" "ExecReload=/bin/kill -HUP \$MAINPID" "RestartPreventExitStatus=78" \
	"Restart=on-failure" "DynamicUser=yes" "ConfigurationDirectory=ipasnd" "WatchdogSec=" \
	"LoadCredential=" "Wants=network-online.target"; do
	grep -qF "$want" "$T_TMP/ipasnd.service" || fail "the unit lacks $want"
done
ok "Type=notify, reload, restart policy, DynamicUser, credentials, watchdog"
