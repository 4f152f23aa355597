# What ipasnd prints cannot attack whoever reads it: a name from SIMPEG
# that starts a spreadsheet formula is neutralised in the report's CSV,
# terminal escapes and bidirectional overrides never reach a terminal or a
# spreadsheet cell, and JSON keeps every text exactly as it came.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

ESC=$(printf '\033')
RLO=$(printf '\342\200\256') # U+202E RIGHT-TO-LEFT OVERRIDE

# no_unsafe FILE: neither ESC, nor U+202E, nor another C0 control but tab.
no_unsafe() {
	if grep -q "$ESC\|$RLO" "$1" || LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037]')" "$1"; then
		od -c "$1" | head -20 >&2
		fail "$2: a control or bidirectional character came through"
	fi
	ok "$2: no control or bidirectional character"
}

# ipasnd score: a record whose name moves the cursor and recolours.
jq --arg n "${ESC}[2J${ESC}[31mSiti${ESC}[0m ${RLO}fdp.exe" '.nama = $n' \
	"$top_srcdir/tests/fixtures/records/E1.json" >"$T_TMP/evil.json"
expect_exit 0 "$IPASND" score --period 2020 "$T_TMP/evil.json"
no_unsafe "$T_TMP/out" "score, text"
expect_grep "Siti" "$T_TMP/out"
expect_exit 0 "$IPASND" score --period 2020 --format json "$T_TMP/evil.json"
expect_eq "score, JSON keeps the name exact" "$(jq -r .name "$T_TMP/out")" \
	"$(jq -r .nama "$T_TMP/evil.json")"

# The report: names a careless or hostile SIMPEG may send.
pg_start
sim_start --defect-rate 0.02 --employees 600 --seed 3
write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"
expect_exit 0 "$IPASND" -c "$C" sync
opd=$(psql_val "SELECT opd_id FROM ipasn.opd_score ORDER BY rank LIMIT 1")
nip=$(psql_val "SELECT nip FROM ipasn.employee WHERE opd_id = '$opd' ORDER BY nip LIMIT 1")
psql -X -q -v ON_ERROR_STOP=1 <<EOS
UPDATE ipasn.employee SET name = '=HYPERLINK("http://evil.example/x","klik")' WHERE nip = '$nip';
UPDATE ipasn.opd_score SET opd_name = E'@SUM(1+1)\u202e' || opd_name WHERE opd_id = '$opd';
EOS
expect_exit 0 "$IPASND" -c "$C" report --format csv
no_unsafe "$T_TMP/out" "report CSV of the OPDs"
grep -q "^[0-9]*,$opd,\"'@SUM(1+1)" "$T_TMP/out" || { cat "$T_TMP/out" >&2; fail "the OPD name starting with @ is not neutralised"; }
ok "report CSV: an OPD name starting with @ is text"
expect_exit 0 "$IPASND" -c "$C" report --opd "$opd" --format csv
grep -q "^$nip,\"'=HYPERLINK(\"\"http://evil.example/x\"\",\"\"klik\"\")\"," "$T_TMP/out" ||
	{ cat "$T_TMP/out" >&2; fail "the name starting with = is not neutralised"; }
ok "report CSV of an OPD: a name starting with = is text"
expect_exit 0 "$IPASND" -c "$C" report
no_unsafe "$T_TMP/out" "report table"
expect_exit 0 "$IPASND" -c "$C" report --opd "$opd" --format json
expect_eq "report JSON keeps the name exact" \
	"$(jq -r --arg n "$nip" '.employees[] | select(.nip == $n) | .name' "$T_TMP/out")" \
	'=HYPERLINK("http://evil.example/x","klik")'
