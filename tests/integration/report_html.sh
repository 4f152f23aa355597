# `ipasnd report --format html` in a real browser, Debian's headless
# Chromium: the page asks for nothing (every request would go to a proxy
# this test holds, and no name resolves), every number in the DOM is the
# JSON report's, every chart is drawn, a screenshot is not blank, the page
# prints to A4 landscape, and a name that is markup shows as text.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

LISTEN="$top_srcdir/tests/tools/listen-record"
PNG_COLOURS="$top_srcdir/tests/tools/png-colours"
EVIL='<script>alert(1)</script>'
QUOTE='"><b onmouseover=alert(2)>Budi</b>'

pg_start
sim_start --employees 800 --seed 3 --defect-rate 0.05
# Two names that are markup, through the whole path: SIMPEG, sync, report.
opd=$(curl -s -f "$SIM_URL/v1/asn?limit=50" | jq -r '[.data[] | select(.opdId != null and .opdId != "")][0].opdId')
nips=$(curl -s -f "$SIM_URL/v1/asn?limit=1000" |
	jq -r --arg o "$opd" '[.data[] | select(.opdId == $o) | .nipBaru][0:2][]')
nip1=$(echo "$nips" | sed -n 1p)
nip2=$(echo "$nips" | sed -n 2p)
if [ -z "$nip1" ] || [ -z "$nip2" ]; then fail "no two employees of OPD $opd in the listing"; fi
curl -s -f -X POST -G "$SIM_URL/admin/set" -d nip="$nip1" -d field=nama --data-urlencode "value=$EVIL" >/dev/null
curl -s -f -X POST -G "$SIM_URL/admin/set" -d nip="$nip2" -d field=nama --data-urlencode "value=$QUOTE" >/dev/null
year=$(date +%Y)
write_config "$T_TMP/ipasnd.conf" "index: { period = $year; as_of = \"$year-12-23\"; target = 81.0; previous = 83.0; };
report: { language = \"id\"; };"
C="$T_TMP/ipasnd.conf"
expect_exit 0 "$IPASND" -c "$C" sync

expect_exit 0 "$IPASND" -c "$C" report --opd "$opd" --format html --output "$T_TMP/page.html"
[ -s "$T_TMP/page.html" ] || fail "--output wrote nothing"
[ ! -e "$T_TMP/page.html.tmp" ] || fail "--output left its temporary file"
"$IPASND" -c "$C" report --opd "$opd" --format json >"$T_TMP/report.json" || fail "report --format json"
expect_exit 0 "$IPASND" -c "$C" report --opd "$opd" --format html
cmp -s "$T_TMP/out" "$T_TMP/page.html" || fail "standard output and --output differ"
ok "report --format html writes one page, to standard output or --output"

# ---- nothing outside the page ------------------------------------------------
P="$T_TMP/page.html"
if grep -Eio 'https?:|src=|<script|<link|<iframe|<object|<embed|@import|url\(|javascript:' "$P" |
	sort -u >"$T_TMP/refs" && [ -s "$T_TMP/refs" ]; then
	cat "$T_TMP/refs" >&2
	fail "the page refers to something outside itself"
fi
ok "the page holds no URL, source, script, stylesheet link or import"

# Chromium itself calls its updater, its clock and its sign-in service
# whatever page it shows, and no switch of Debian's build stops all of
# them: those hosts are told apart by name; anything else is the page's.
requests_of_page() { # LOG: the requests that are not Chromium's own
	sed -n 's/^CONNECT \([^: ]*\).*/\1/p; s/^[A-Z]* [a-z]*:\/\/\([^/: ]*\).*/\1/p; /^(nothing)$/p' "$1" |
		grep -Ev '^(update\.googleapis\.com|accounts\.google\.com|clients[0-9]*\.google\.com|redirector\.gvt1\.com|[a-z0-9-]+\.gvt1\.com)$' || true
}
# The proxy sees whatever the browser asks for. First the proof that it
# does: a page with one image from outside is seen asking.
"$LISTEN" "$T_TMP/proxy.port" "$T_TMP/proxy.log" &
T_PIDS="$T_PIDS $!"
wait_until 5 "the recording proxy to listen" test -s "$T_TMP/proxy.port"
CHROME_PROXY="127.0.0.1:$(cat "$T_TMP/proxy.port")"
export CHROME_PROXY
printf '<!DOCTYPE html><html><body><img src="http://ipasnd-probe.example/x.png"></body></html>\n' \
	>"$T_TMP/probe.html"
chromium_run --dump-dom "file://$T_TMP/probe.html" >/dev/null || fail "chromium on the probe page"
requests_of_page "$T_TMP/proxy.log" | grep -qx "ipasnd-probe.example" ||
	fail "the proxy saw nothing of a page that asks for an image: the offline check would prove nothing"
ok "control: a page asking for an image is seen asking"
: >"$T_TMP/proxy.log"

chromium_run --dump-dom "file://$P" >"$T_TMP/dom.html" || fail "chromium --dump-dom"
chromium_run --window-size=1280,2400 --screenshot="$T_TMP/shot.png" "file://$P" >/dev/null ||
	fail "chromium --screenshot"
chromium_run --no-pdf-header-footer --print-to-pdf="$T_TMP/page.pdf" "file://$P" >/dev/null ||
	fail "chromium --print-to-pdf"
[ -z "$(requests_of_page "$T_TMP/proxy.log")" ] || {
	cat "$T_TMP/proxy.log" >&2
	fail "the report page made network requests"
}
ok "the report page makes no network request at all (dump, screenshot, print; $(wc -l <"$T_TMP/proxy.log" | tr -d ' ') of Chromium's own)"
unset CHROME_PROXY

# ---- the numbers are the JSON report's ---------------------------------------------
D="$T_TMP/dom.html"
grep -q '<section id="headline">' "$D" || fail "the DOM has no headline section"
# marked_numbers PAGE PREFIX OUT: each number the page marks with a data-k
# starting with PREFIX, as "key<TAB>text" lines in OUT.
marked_numbers() {
	grep -o "data-k=\"$2[^\"]*\">[^<]*" "$1" | sed 's/^data-k="\([^"]*\)">/\1	/' >"$3"
}
# numbers_differ NUMBERS JSON: the marked numbers whose value is not the
# JSON report's at the key's path, one line each (nothing when all agree).
numbers_differ() {
	jq -R 'split("\t") | {key: .[0], text: .[1]}' "$1" | jq -s . >"$1.json"
	jq -r --slurpfile dom "$1.json" '
		. as $r | $dom[0][]
		| (.key | split(".") | map(if test("^[0-9]+$") then tonumber else . end)) as $p
		| ($r | getpath($p)) as $v
		| (.text | sub("^\\+"; "") | tonumber? // null) as $d
		| select($v == null or $d == null or (($v * 100 | round) != ($d * 100 | round)))
		| "\(.key): page \(.text), JSON \($v)"' "$2"
}
marked_numbers "$D" "" "$T_TMP/numbers"
n=$(wc -l <"$T_TMP/numbers")
[ "$n" -ge 60 ] || fail "only $n numbers marked in the DOM"
numbers_differ "$T_TMP/numbers" "$T_TMP/report.json" >"$T_TMP/mismatch"
if [ -s "$T_TMP/mismatch" ]; then
	head -20 "$T_TMP/mismatch" >&2
	fail "numbers in the DOM differ from report --format json"
fi
for k in instansi.total instansi.target instansi.previous instansi.days_to_cutoff \
	instansi.employees opd.0.total opd.2.total gaps.2.gain employees.0.total issues.0.open; do
	grep -q "^$k	" "$T_TMP/numbers" || fail "the DOM does not show $k"
done
expect_eq "every OPD's total in the ranking" "$(grep '^opd\.[0-9]*\.total	' "$T_TMP/numbers" | sort -u | wc -l | tr -d ' ')" \
	"$(jq '.opd | length' "$T_TMP/report.json")"
ok "the DOM's $n numbers equal those of report --format json"

# ---- the charts ---------------------------------------------------------------------
svg_shapes() { # ID: the shapes inside the SVG of that id
	perl -0ne 'if (/<svg id="\Q'"$1"'\E"[^>]*>(.*?)<\/svg>/s) { my $n = () = $1 =~ /<(rect|line|polyline|circle|text)\b/g; print "$n\n" } else { print "0\n" }' "$D"
}
below=$(jq '[.opd[] | select(.below_target)] | length' "$T_TMP/report.json")
[ "$below" -ge 1 ] || fail "no OPD below target in this workforce: the per-OPD charts go untested"
first_below=$(jq '[.opd | to_entries[] | select(.value.below_target) | .key][0]' "$T_TMP/report.json")
for id in chart-trend chart-ranking chart-lift "chart-dims-$first_below"; do
	s=$(svg_shapes "$id")
	[ "$s" -ge 5 ] || fail "SVG $id missing or empty ($s shapes)"
done
expect_eq "one dimension chart per OPD below target" "$(grep -o '<svg id="chart-dims-' "$D" | wc -l | tr -d ' ')" "$below"
expect_eq "the ranking draws one bar per OPD" \
	"$(perl -0ne 'print scalar(() = /<svg id="chart-ranking".*?<\/svg>/s ? $& =~ /<rect /g : ())' "$D")" \
	"$(jq '.opd | length' "$T_TMP/report.json")"
ok "every chart's SVG is there and drawn ($below OPDs below target)"

# ---- the screenshot and the PDF ---------------------------------------------------------
head -c 8 "$T_TMP/shot.png" | od -An -c | grep -q 'P   N   G' || fail "the screenshot is not a PNG"
colours=$("$PNG_COLOURS" "$T_TMP/shot.png") || fail "cannot decode the screenshot"
[ "$colours" -gt 50 ] || fail "the screenshot has $colours colours: blank"
printf '<!DOCTYPE html><html><body></body></html>\n' >"$T_TMP/blank.html"
chromium_screenshot "$T_TMP/blank.html" "$T_TMP/blank.png" 400,300
blank=$("$PNG_COLOURS" "$T_TMP/blank.png")
[ "$blank" -le 2 ] || fail "png-colours counts $blank colours in a blank page: it cannot tell blank"
ok "the screenshot is a PNG of $colours colours (a blank page has $blank)"

pages=$(pdfinfo "$T_TMP/page.pdf" | awk '/^Pages:/ { print $2 }')
[ "${pages:-0}" -ge 1 ] || fail "the PDF has no pages"
pdfinfo "$T_TMP/page.pdf" | awk '/^Page size:/ { exit !($3 > $5) }' ||
	fail "the PDF is not landscape: $(pdfinfo "$T_TMP/page.pdf" | grep 'Page size')"
pdfinfo "$T_TMP/page.pdf" | grep -q 'Page size:.*(A4)' || fail "the PDF is not A4"
pdftoppm -r 40 -png "$T_TMP/page.pdf" "$T_TMP/pdfpage" || fail "pdftoppm"
expect_eq "pdftoppm makes one image per page" "$(find "$T_TMP" -name 'pdfpage-*.png' | wc -l | tr -d ' ')" "$pages"
for f in "$T_TMP"/pdfpage-*.png; do
	[ "$("$PNG_COLOURS" "$f")" -gt 5 ] || fail "$f is blank"
done
ok "the page prints to $pages A4 landscape pages, each an image with content"

# ---- markup from the data is text ----------------------------------------------------------
grep -qi '<script' "$D" && fail "a script element in the DOM"
grep -qi '<b onmouseover' "$D" && fail "a name became an element"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$D" || fail "the name $EVIL is not shown as text"
grep -qF '"&gt;&lt;b onmouseover=alert(2)&gt;Budi&lt;/b&gt;' "$D" || fail "the name $QUOTE is not shown as text"
ok "a record named $EVIL appears as text"

# English: the same page in the other language, its words switched.
sed 's/language = "id"/language = "en"/' "$C" >"$T_TMP/en.conf"
expect_exit 0 "$IPASND" -c "$T_TMP/en.conf" report --format html
expect_grep "OPD ranking" "$T_TMP/out"
expect_grep "Kualifikasi\|Sangat Tinggi\|Tinggi" "$T_TMP/out"
grep -q "Peringkat OPD" "$P" || fail "the Indonesian page has no Peringkat OPD"
expect_exit 0 "$IPASND" -c "$C" report
expect_grep "^Peringkat OPD" "$T_TMP/out"
expect_grep "Kualifikasi (pendidikan)" "$T_TMP/out"
expect_grep "^  No OPD  *Peg  *Kual" "$T_TMP/out"
w=$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/out")
[ "$w" -le 80 ] || fail "the Indonesian table has a line of $w columns"
ok "report.language switches the page's words and the table's"

# ---- BKN's values beside ipasnd's, on the instansi's page ------------------------------------
expect_exit 0 "$IPASND" -c "$C" report --format html --output "$T_TMP/instansi.html"
"$IPASND" -c "$C" report --format json >"$T_TMP/instansi.json" || fail "report --format json"
jq -e '.official.instansi.employees > 0' "$T_TMP/instansi.json" >/dev/null ||
	fail "no official values in this workforce: the section against BKN's values goes untested"
grep -q '<section id="official">' "$T_TMP/instansi.html" || fail "no section against BKN's values"
marked_numbers "$T_TMP/instansi.html" official "$T_TMP/official.numbers"
numbers_differ "$T_TMP/official.numbers" "$T_TMP/instansi.json" >"$T_TMP/official.mismatch"
if [ -s "$T_TMP/official.mismatch" ]; then
	head -20 "$T_TMP/official.mismatch" >&2
	fail "BKN's values on the page differ from report --format json"
fi
for k in official.instansi.bkn official.instansi.ipasnd official.dimensions.kinerja.bkn \
	official.dimensions.total.agree official.opd.0.bkn official.opd.0.explained_difference; do
	grep -q "^$k	" "$T_TMP/official.numbers" || fail "the page does not show $k"
done
expect_eq "every OPD against BKN's values" "$(grep -c '^official\.opd\.[0-9]*\.bkn	' "$T_TMP/official.numbers")" \
	"$(jq '.official.opd | length' "$T_TMP/instansi.json")"
s=$(perl -0ne 'if (/<svg id="chart-official"[^>]*>(.*?)<\/svg>/s) { my $n = () = $1 =~ /<rect\b/g; print "$n\n" } else { print "0\n" }' "$T_TMP/instansi.html")
expect_eq "the chart against BKN draws two bars and two backgrounds per dimension" "$s" 16
grep -q '<section id="official">' "$P" && fail "the page of one OPD has the instansi's section against BKN"
ok "BKN's values beside ipasnd's: $(wc -l <"$T_TMP/official.numbers" | tr -d ' ') numbers equal to the JSON's, the chart drawn"
