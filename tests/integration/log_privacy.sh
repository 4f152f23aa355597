# Personal data stays out of what ipasnd says: a parse error names where
# (line, column, byte) and never quotes the text around it, which may be a
# NIK; an issue whose detail holds a birth date is logged without it (the
# detail stays in ipasn.v_open_issue for the BKD).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# A NIK right before the byte that breaks the page.
printf '{"data":[{"nipBaru":"198804122014031002","nik":"3201234567890001\001"}],"next_cursor":null,"server_time":"2025-12-15T00:00:00Z"}' \
	>"$T_TMP/bad.json"
expect_exit 65 "$IPASND" score --period 2025 "$T_TMP/bad.json"
expect_grep "invalid JSON at line 1, column [0-9]* (byte [0-9]*)" "$T_TMP/out"
if grep -q "3201234567890001" "$T_TMP/out"; then cat "$T_TMP/out" >&2; fail "the parse error quoted the NIK"; fi
ok "a parse error gives the position, not the text"

pg_start
sim_start --employees 800 --seed 12 --defect-rate 0.2
write_config "$T_TMP/ipasnd.conf"
expect_exit 0 "$IPASND" -c "$T_TMP/ipasnd.conf" sync
n=$(psql_val "SELECT count(*) FROM ipasn.v_open_issue WHERE code IN ('nip_birthdate_mismatch', 'age_out_of_range')
              AND detail ~ '[0-9]{4}-[0-9]{2}-[0-9]{2}'")
[ "$n" -gt 0 ] || fail "no issue with a birth date in its detail: the test proves nothing"
grep -E "DQ_CODE=(nip_birthdate_mismatch|age_out_of_range)|DQ_FIELD=tglLahir" "$T_TMP/out" >"$T_TMP/lines" ||
	fail "no journal line of those issues"
# Past the time stamp each line starts with, no date at all.
if sed 's/^[0-9-]* [0-9:]* //' "$T_TMP/lines" | grep -qE "[0-9]{4}-[0-9]{2}-[0-9]{2}"; then
	head -3 "$T_TMP/lines" >&2
	fail "a birth date went into a log line"
fi
expect_grep "the detail holds a birth date; see ipasn.v_open_issue" "$T_TMP/lines"
ok "$n issues hold a birth date in the database, none in the $(wc -l <"$T_TMP/lines" | tr -d ' ') log lines"
