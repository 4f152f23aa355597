# `ipasnd score`: the worked examples of the rules give exactly their totals
# and categories, without a database; rejected records exit 65 while the
# others still print.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

F="$top_srcdir/tests/fixtures"
# No configuration file: the built-in defaults are the regulation's.
unset IPASND_CONFIG

"$IPASND" -c /dev/null score --period 2020 --format json "$F/pages/worked-examples.json" \
	>"$T_TMP/json" 2>"$T_TMP/err" && fail "an empty config file has no source.url: expected 78"
"$IPASND" score --period 2020 --format json "$F/pages/worked-examples.json" >"$T_TMP/json" ||
	fail "score of the worked examples failed"

# E1..E5 of ipasn-rules.md: qual comp perf disc total category.
expect_row() {
	got=$(jq -r --arg nip "$1" 'select(.nip == $nip) |
		"\(.qualification) \(.competency) \(.performance) \(.discipline) \(.total) \(.category)"' \
		"$T_TMP/json")
	expect_eq "$2" "$got" "$3"
}
nip() { jq -r .nipBaru "$F/records/$1.json"; }
expect_row "$(nip E1)" "E1" "15 40 25 5 85 Tinggi"
expect_row "$(nip E2)" "E2" "20 30 30 3 83 Tinggi"
expect_row "$(nip E3)" "E3" "10 10 15 5 40 Sangat Rendah"
expect_row "$(nip E4)" "E4" "5 22.5 0 2 29.5 Sangat Rendah"
expect_row "$(nip E5)" "E5" "1 0 5 1 7 Sangat Rendah"
expect_eq "one JSON object per line" "$(wc -l <"$T_TMP/json" | tr -d ' ')" 5
expect_eq "every object has the documented keys" \
	"$(jq -c '[has("nip","period","qualification","competency","performance","discipline",
	          "total","category","indicators","gaps","issues")] | all' "$T_TMP/json" | sort -u)" true

# The gaps and issues that guide action.
expect_eq "E3 misses the functional training" \
	"$(jq -r --arg nip "$(nip E3)" 'select(.nip == $nip) | .gaps[] | select(.indicator ==
	   "functional") | .gain' "$T_TMP/json")" 15
expect_eq "E4 has no SKP for 2019" \
	"$(jq -r --arg nip "$(nip E4)" 'select(.nip == $nip) | .issues[] | select(.code ==
	   "skp_missing") | .detail' "$T_TMP/json")" "no SKP for 2019: 0 of 30 performance points"
expect_eq "E4's technical training without JP" \
	"$(jq -r --arg nip "$(nip E4)" 'select(.nip == $nip) | .issues[] |
	   select(.code == "training_hours_missing") | .field' "$T_TMP/json")" "rwKursus[0].jumlahJam"

# U1: an OPD of E1, E2, E3, from a bare array on stdin, in text.
jq -s . "$F/records/E1.json" "$F/records/E2.json" "$F/records/E3.json" |
	"$IPASND" score --period 2020 - >"$T_TMP/text" || fail "score from stdin"
expect_grep "^All 3 employees in scope (of 3): kualifikasi 15.00, kompetensi 26.67, kinerja 23.33, disiplin 4.33, total 69.33 Rendah$" "$T_TMP/text"
expect_grep "^  Total         85.00    Tinggi$" "$T_TMP/text"
ok "U1 and the text breakdown"

# The as-of date: the BKD's cut-off drops what comes after it.
"$IPASND" score --as-of 2020-03-03 --format json "$F/records/E4.json" >"$T_TMP/asof" ||
	fail "score --as-of"
expect_eq "E4 before its training ended" "$(jq -r '"\(.period) \(.competency)"' "$T_TMP/asof")" \
	"2020 0"

# A rejected record: its reason on stderr, exit 65, the others still print.
jq '.data[1].nipBaru = "12345" | .data[3] |= del(.nama)' "$F/pages/worked-examples.json" \
	>"$T_TMP/bad.json"
expect_exit 65 "$IPASND" score --period 2020 --format json "$T_TMP/bad.json"
expect_eq "three records still scored" "$(grep -c '^{' "$T_TMP/out")" 3
expect_grep "record 1 with NIP \"12345\" rejected (nip_invalid)" "$T_TMP/out"
expect_grep "record 3 .*rejected (record_malformed): .*nama" "$T_TMP/out"
ok "rejected records: exit 65, the rest printed"

# Not JSON at all: exit 65 with the parser's position.
expect_exit 65 "$IPASND" score "$F/JSONTestSuite/n_array_extra_comma.json"
expect_grep "line 1, column" "$T_TMP/out"
ok "a malformed document: exit 65 with line and column"

expect_exit 64 "$IPASND" score --period 2020 --as-of 2021-01-01 "$F/records/E1.json"
expect_exit 64 "$IPASND" score --format xml "$F/records/E1.json"
expect_exit 64 "$IPASND" score "$T_TMP/missing.json"
ok "bad options and a missing file: exit 64"
