# The simulator keeps the contract (simpeg-api.md) and its promises: limits,
# keyset order, inclusive updated_since, the end of a listing, single records,
# determinism, valid NIPs in clean data, the personal fields of every record,
# exactly the defects it reports, the admin operations (set too),
# --mutate-rate, gzip, each fault that breaks a page or an answer, and a
# million employees at once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

TODAY=2025-06-30
# jq: a timestamp in either of the two forms the simulator writes.
JQ_TS='def ts: if endswith("Z") then fromdateiso8601 else (.[0:19] + "Z" | fromdateiso8601) - 28800 end;'
JQ_YMD='def ymd: if test("^[0-9]{4}-") then .[0:4] + .[5:7] + .[8:10] else .[6:10] + .[3:5] + .[0:2] end;'

# walk PREFIX LIMIT MAX: up to MAX pages of a listing of LIMIT records, as
# PREFIX.1.json, PREFIX.2.json, ...; prints how many it read.
walk() {
	wk_cursor=""
	wk_n=0
	while [ "$wk_n" -lt "$3" ]; do
		wk_n=$((wk_n + 1))
		curl -s -f -G "$SIM_URL/v1/asn" -d limit="$2" ${wk_cursor:+--data-urlencode "cursor=$wk_cursor"} >"$1.$wk_n.json"
		wk_cursor=$(jq -r '.next_cursor // empty' "$1.$wk_n.json")
		[ -n "$wk_cursor" ] || break
	done
	echo "$wk_n"
}

# nips FILE: the NIPs of a page, on one line.
nips() { jq -r '[.data[].nipBaru] | join(" ")' "$1"; }

# fetch_all FILE [QUERY]: every page of a listing, records one per line.
fetch_all() {
	: >"$1"
	fa_cursor=""
	while :; do
		if [ -n "$fa_cursor" ]; then
			curl -s -f -G "$SIM_URL/v1/asn" --data-urlencode "cursor=$fa_cursor" -d limit=1000 ${2:+-d "$2"} >"$T_TMP/page.json"
		else
			curl -s -f -G "$SIM_URL/v1/asn" -d limit=1000 ${2:+-d "$2"} >"$T_TMP/page.json"
		fi
		[ "$(jq '.count == (.data | length)' "$T_TMP/page.json")" = true ] || fail "count differs from the records"
		jq -c '.data[]' "$T_TMP/page.json" >>"$1"
		fa_cursor=$(jq -r '.next_cursor // empty' "$T_TMP/page.json")
		[ -n "$fa_cursor" ] || break
	done
}

# ---- the contract, on clean data -----------------------------------------------
sim_start --employees 2000 --seed 11 --today $TODAY --defect-rate 0
for bad in 0 1001 abc -5; do
	st=$(curl -s -o "$T_TMP/bad.json" -w '%{http_code}' "$SIM_URL/v1/asn?limit=$bad")
	expect_eq "limit=$bad refused" "$st" 400
done
expect_eq "limit=1001: the reason" "$(jq -r .error.code "$T_TMP/bad.json")" bad_limit
expect_eq "no limit: 500 records" "$(curl -s "$SIM_URL/v1/asn" | jq .count)" 500
expect_eq "a bad updated_since" "$(curl -s -o /dev/null -w '%{http_code}' "$SIM_URL/v1/asn?updated_since=yesterday")" 400
now=$(date +%s)
st=$(curl -s "$SIM_URL/v1/asn?limit=1" | jq -r '.server_time | fromdateiso8601')
{ [ $((st - now)) -ge -1 ] && [ $((st - now)) -le 5 ]; } || fail "server_time $st, now $now"
ok "server_time is the time of the request"

fetch_all "$T_TMP/all.jsonl"
expect_eq "a full listing holds every employee once" "$(jq -r .nipBaru "$T_TMP/all.jsonl" | sort -u | wc -l)" 2000
expect_eq "keyset order on (updatedAt, nipBaru)" \
	"$(jq -s "$JQ_TS [.[] | [(.updatedAt | ts), .nipBaru]] | . == sort" "$T_TMP/all.jsonl")" true
expect_eq "the last page ends the listing" "$(jq .next_cursor "$T_TMP/page.json")" null

# NIPs: birth date, TMT CPNS (PPPK: year and 21), sex, a sequence not 000.
bad=$(jq -s "$JQ_YMD"' [.[] | select(
	(.nipBaru | test("^[0-9]{18}$") | not)
	or .nipBaru[0:8] != (.tglLahir | ymd)
	or .nipBaru[14:15] != (if .jenisKelamin == "M" then "1" else "2" end)
	or .nipBaru[15:18] == "000"
	or (if .kedudukanPnsId == "71"
	    then .nipBaru[12:14] != "21" or .nipBaru[8:12] != (.tmtCpns | ymd)[0:4]
	    else .nipBaru[8:14] != (.tmtCpns | ymd)[0:6] end))] | length' "$T_TMP/all.jsonl")
expect_eq "clean data: every NIP agrees with its record" "$bad" 0
expect_eq "clean data: no defect" \
	"$(curl -s "$SIM_URL/admin/defects" | jq '[.defects[]] | add')" 0
expect_eq "clean data: a mix of position types" \
	"$(jq -r .jenisJabatanId "$T_TMP/all.jsonl" | sort -u | tr '\n' ' ')" "1 2 3 4 "
expect_eq "clean data: PNS, CPNS and PPPK" \
	"$(jq -r '[.statusCpnsPns, .kedudukanPnsId] | join("/")' "$T_TMP/all.jsonl" | sort -u | tr '\n' ' ')" "/71 C/01 P/01 "
# The personal fields a real SIMPEG sends, on every record; the NIK holds the
# birth date (women's day + 40), the province's code 63.
bad=$(jq -s "$JQ_YMD"' [.[] | select(
	(.nik | test("^63[0-9]{14}$") | not)
	or .nik[6:12] != ((.tglLahir | ymd) as $d
	    | (if .jenisKelamin == "F" then $d[6:8] | tonumber + 40 | tostring else $d[6:8] end) + $d[4:6] + $d[2:4])
	or (.nomorKk | test("^63[0-9]{14}$") | not)
	or (.noHp | test("^08[0-9]{10}$") | not)
	or (.email | test("^[a-z.]+[0-9]{2}@[a-z.]+$") | not)
	or (.noNpwp | test("^[0-9]{2}[.][0-9]{3}[.][0-9]{3}[.][0-9]-[0-9]{3}[.]000$") | not)
	or (.alamat | test("^Jl[.] .* No[.] [0-9]+ RT [0-9]{3} RW [0-9]{3}, ") | not))] | length' "$T_TMP/all.jsonl")
expect_eq "personal fields on every record, well formed" "$bad" 0
expect_eq "personal fields: NIKs differ" "$(jq -r .nik "$T_TMP/all.jsonl" | sort -u | wc -l)" 2000
n_opd=$(jq -r .opdId "$T_TMP/all.jsonl" | sort -u | wc -l)
[ "$n_opd" -ge 40 ] || fail "only $n_opd OPDs"
ok "$n_opd OPDs"

# updated_since is inclusive: asking from a record's own time returns it first.
rec=$(sed -n 1000p "$T_TMP/all.jsonl")
t=$(printf '%s' "$rec" | jq -r "$JQ_TS"' .updatedAt | ts | todate')
first=$(curl -s -G "$SIM_URL/v1/asn" -d limit=5 --data-urlencode "updated_since=$t" | jq -r "$JQ_TS"' .data[0].updatedAt | ts | todate')
expect_eq "updated_since is inclusive" "$first" "$t"

# One record, and none.
nip=$(printf '%s' "$rec" | jq -r .nipBaru)
expect_eq "GET /v1/asn/{nip}" "$(curl -s "$SIM_URL/v1/asn/$nip" | jq -r .data.nipBaru)" "$nip"
expect_eq "an unknown NIP" "$(curl -s -o /dev/null -w '%{http_code}' "$SIM_URL/v1/asn/199001012015011001")" 404
expect_eq "gzip when asked" \
	"$(curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null "$SIM_URL/v1/asn?limit=10" | tr -d '\r' | sed -n 's/^Content-Encoding: //ip')" gzip

# The same seed and day give the same data; another seed other data.
first_page() { curl -s "$1/v1/asn?limit=50" | jq -S -c 'del(.server_time)'; }
a=$(first_page "$SIM_URL")
url_a=$SIM_URL
sim_start --employees 2000 --seed 11 --today $TODAY --defect-rate 0
[ "$(first_page "$SIM_URL")" = "$a" ] || fail "two simulators with the same seed differ"
ok "deterministic: the same seed gives the same records"
sim_stop
SIM_URL=$url_a
sim_start --employees 2000 --seed 12 --today $TODAY --defect-rate 0
[ "$(first_page "$SIM_URL")" != "$a" ] || fail "another seed gave the same records"
ok "another seed, other records"
sim_stop

# ---- defects: the records carry exactly what /admin/defects reports -------------
sim_start --employees 5000 --seed 3 --today $TODAY --defect-rate 0.05
fetch_all "$T_TMP/d.jsonl"
curl -s "$SIM_URL/admin/defects" >"$T_TMP/defects.json"
jq -s "$JQ_TS $JQ_YMD"'
	def malformed: (.nama | type) != "string" or (.nipBaru | type) != "string";
	def nip_invalid: (malformed | not) and ((.nipBaru[4:6] | tonumber) > 12 or .nipBaru[15:18] == "000");
	def counted: (.deleted | not) and (malformed | not) and (nip_invalid | not);
	{
	  record_malformed: [.[] | select((.deleted | not) and malformed)] | length,
	  nip_invalid: [.[] | select((.deleted | not) and nip_invalid)] | length,
	  nip_birthdate_mismatch: [.[] | select(counted and .nipBaru[0:8] != (.tglLahir | ymd))] | length,
	  nip_sex_mismatch: [.[] | select(counted and .nipBaru[14:15] != (if .jenisKelamin == "M" then "1" else "2" end))] | length,
	  opd_missing: [.[] | select(counted and .opdId == null)] | length,
	  position_unknown: [.[] | select(counted and ((.jenisJabatanId // "") | test("^[1-4]$") | not))] | length,
	  education_missing: [.[] | select(counted and (.rwPendidikan | length) == 0)] | length,
	  skp_missing: [.[] | select(counted and ([.rwSkp22[] | select(.tahun == 2024)] | length) == 0)] | length,
	  skp_invalid: [.[] | select(counted and ([.rwSkp22[] | select(.kuadranKinerja == "ISTIMEWA")] | length) > 0)] | length,
	  training_kind_unknown: [.[] | select(counted and ([.rwKursus[] | select(.jenisKursusNama == "Sosialisasi")] | length) > 0)] | length,
	  training_hours_missing: [.[] | select(counted and ([.rwKursus[] | select(.jumlahJam == null)] | length) > 0)] | length,
	  duplicate_record: [.[] | select(counted and ((.rwKursus | map(.id) | length) != (.rwKursus | map(.id) | unique | length)))] | length,
	  ipasn_mismatch: [.[] | select(counted and .ipAsn.tahun == 2025)] | length,
	  stale_record: [.[] | select(counted and (.updatedAt | ts) < ("2025-06-30T00:00:00Z" | fromdateiso8601) - 365 * 86400)] | length,
	  education_unknown: [.[] | select(counted and ([.rwPendidikan[] | select(.tkPendidikanId == "99")] | length) > 0)] | length,
	  date_invalid: [.[] | select(counted and ([.rwKursus[] | select(.tanggalKursus == "31-02-2023" or .tanggalKursus == "2023-13-01")] | length) > 0)] | length,
	  date_in_future: [.[] | select(counted and ([.rwKursus[] | select((.tanggalKursus | ymd) > "20250630")] | length) > 0)] | length,
	  date_order: [.[] | select(counted and (
	      ([.rwKursus[] | select(.tanggalKursus != "31-02-2023" and .tanggalKursus != "2023-13-01"
	                             and .tanggalSelesaiKursus != ""
	                             and (.tanggalSelesaiKursus | ymd) < (.tanggalKursus | ymd))] | length) > 0
	      or (.tmtPns != "" and (.tmtPns | ymd) < (.tmtCpns | ymd))))] | length,
	  age_out_of_range: [.[] | select(counted and (((20250630 - (.nipBaru[0:8] | tonumber)) / 10000 | floor) as $age | $age < 18 or $age > 70))] | length,
	  nip_tmt_mismatch: [.[] | select(counted and (if .kedudukanPnsId == "71"
	      then .nipBaru[8:12] != (.tmtCpns | ymd)[0:4] else .nipBaru[8:14] != (.tmtCpns | ymd)[0:6] end))] | length,
	  leadership_mismatch: [.[] | select(counted and ((.eselonId // "") | test("^[1-4][0-9]$"))
	      and (.eselonId[0:1] as $l | [.rwDiklat[] | select(.latihanStrukturalId == $l)] | length) == 0)] | length
	}' "$T_TMP/d.jsonl" >"$T_TMP/seen.json"
for code in $(jq -r 'keys[]' "$T_TMP/seen.json"); do
	want=$(jq ".defects.$code" "$T_TMP/defects.json")
	got=$(jq ".$code" "$T_TMP/seen.json")
	expect_eq "defect $code: $want records" "$got" "$want"
done
for code in nip_birthdate_mismatch opd_missing skp_missing stale_record; do
	n=$(jq ".defects.$code" "$T_TMP/defects.json")
	{ [ "$n" -ge 150 ] && [ "$n" -le 350 ]; } || fail "defect $code in $n of 5000 records at rate 0.05"
done
ok "each defect in about 5% of the records"
[ "$(jq -s '[.[] | .rwKursus[].tanggalKursus | select(test("^[0-9]{2}-"))] | length > 0' "$T_TMP/d.jsonl")" = true ] ||
	fail "no DD-MM-YYYY course dates"
ok "course dates in both ISO and DD-MM-YYYY"

# Fix one record's defects; delete another.
nip=$(jq -r 'select(.opdId == null and (.nama | type) == "string" and (.deleted | not)) | .nipBaru' "$T_TMP/d.jsonl" | head -n 1)
before=$(curl -s "$SIM_URL/v1/asn/$nip" | jq -r .data.updatedAt)
sim_admin "fix?nip=$nip" >/dev/null
expect_eq "fix: the OPD is back" "$(curl -s "$SIM_URL/v1/asn/$nip" | jq -r '.data.opdId != null')" true
expect_eq "fix: a new version" "$(sim_admin "record?nip=$nip" GET | jq .version)" 1
[ "$(curl -s "$SIM_URL/v1/asn/$nip" | jq -r .data.updatedAt)" != "$before" ] || fail "fix: updatedAt unchanged"
expect_eq "fix: the record moved to the end of the listing" \
	"$(curl -s -G "$SIM_URL/v1/asn" -d limit=5 --data-urlencode "updated_since=$(date -u -d '-5 seconds' +%Y-%m-%dT%H:%M:%SZ)" | jq -r '.data[0].nipBaru')" "$nip"
nip2=$(sed -n 10p "$T_TMP/d.jsonl" | jq -r .nipBaru)
sim_admin "delete?nip=$nip2" >/dev/null
expect_eq "delete: a tombstone" "$(curl -s "$SIM_URL/v1/asn/$nip2" | jq .data.deleted)" true
sim_stop

# ---- --mutate-rate: each new listing changes about R of the records -------------
sim_start --employees 2000 --today $TODAY --mutate-rate 0.01
t1=$(curl -s "$SIM_URL/v1/asn?limit=1" | jq -r .server_time)
n=$(curl -s -G "$SIM_URL/v1/asn" -d limit=1000 --data-urlencode "updated_since=$t1" | jq .count)
{ [ "$n" -ge 36 ] && [ "$n" -le 40 ]; } || fail "two listings at rate 0.01 changed $n records"
ok "two listings at --mutate-rate 0.01 changed $n of 2000 records"
sim_stop

# ---- faults armed from the command line ------------------------------------------
sim_start --employees 100 --fault kind=status,status=503,count=2 --fault kind=gone,count=-1
for want in 503 503 200; do
	expect_eq "--fault: $want" "$(curl -s -o /dev/null -w '%{http_code}' "$SIM_URL/v1/asn?limit=10")" "$want"
done
cursor=$(curl -s "$SIM_URL/v1/asn?limit=10" | jq -r .next_cursor)
expect_eq "--fault kind=gone: 410 with a cursor" \
	"$(curl -s -o /dev/null -w '%{http_code}' -G "$SIM_URL/v1/asn" --data-urlencode "cursor=$cursor")" 410
sim_stop

# ---- faults that break a listing or an answer -------------------------------------
sim_start --employees 300 --seed 5 --today $TODAY --defect-rate 0
W=$T_TMP/w
expect_eq "300 records in 6 pages of 50" "$(walk "$W.clean" 50 10)" 6

# cursor_loop: page 3's next cursor is page 2's again, and so on.
sim_admin "fault?kind=cursor_loop&skip=2&back=1&count=-1" >/dev/null
expect_eq "cursor_loop: the listing does not end" "$(walk "$W.loop" 50 10)" 10
expect_eq "cursor_loop: page 3 points back to page 2" \
	"$(jq -r .next_cursor "$W.loop.3.json")" "$(jq -r .next_cursor "$W.loop.1.json")"
expect_eq "cursor_loop: two cursors, over and over" \
	"$(for k in 1 2 3 4 5 6 7 8 9 10; do jq -r .next_cursor "$W.loop.$k.json"; done | sort -u | wc -l)" 2
expect_eq "cursor_loop: page 4 is page 2 again" "$(nips "$W.loop.4.json")" "$(nips "$W.clean.2.json")"
expect_eq "cursor_loop: page 9 is page 3 again" "$(nips "$W.loop.9.json")" "$(nips "$W.clean.3.json")"
sim_admin clear >/dev/null
sim_admin "fault?kind=cursor_loop&back=0&count=2" >/dev/null
expect_eq "cursor_loop back=0 count=2: page 1 twice more, then the end" "$(walk "$W.self" 50 20)" 8
expect_eq "cursor_loop back=0: page 2 is page 1" "$(nips "$W.self.2.json")" "$(nips "$W.clean.1.json")"
expect_eq "cursor_loop back=0: then the listing goes on" "$(nips "$W.self.4.json")" "$(nips "$W.clean.2.json")"

# cursor_churn: a new cursor every time, the same records every time.
sim_admin "fault?kind=cursor_churn&skip=1&count=-1" >/dev/null
expect_eq "cursor_churn: the listing does not end" "$(walk "$W.churn" 50 12)" 12
expect_eq "cursor_churn: no cursor twice" \
	"$(for k in 1 2 3 4 5 6 7 8 9 10 11 12; do jq -r .next_cursor "$W.churn.$k.json"; done | sort -u | wc -l)" 12
for k in 3 7 12; do
	expect_eq "cursor_churn: page $k is page 2" "$(nips "$W.churn.$k.json")" "$(nips "$W.clean.2.json")"
done
sim_admin clear >/dev/null

# server_time: as given, on the page it strikes only.
for t in 9999-12-31T00:00:00Z 2100-01-01T00:00:00Z 2001-01-01T00:00:00Z "not a time"; do
	curl -s -f -X POST -G "$SIM_URL/admin/fault" -d kind=server_time --data-urlencode "server_time=$t" >/dev/null
	expect_eq "server_time=$t" "$(curl -s "$SIM_URL/v1/asn?limit=1" | jq -r .server_time)" "$t"
done
[ "$(curl -s "$SIM_URL/v1/asn?limit=1" | jq -r .server_time)" != "not a time" ] || fail "server_time struck twice"
ok "server_time: the next page has the clock's"
expect_eq "server_time: needs a time" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SIM_URL/admin/fault?kind=server_time")" 400

# poison: one record jansson refuses, after the page's records, which stay
# as they are but the last, which makes room for it: the page keeps to its
# limit (taken out, the page is the clean one without its last record).
for which in nul:'"nama":"Budi\u0000Santoso"':'is not allowed without JSON_ALLOW_NUL' \
	dupkey:'"nama":"Budi Santoso","nama":"Budi Santosa"':'duplicate object key' \
	bigreal:'"nilaiPrestasiKerja":1e400}':'real number overflow' \
	bigint:'"jumlahJam":123456789012345678901234567890}':'too big integer' \
	surrogate:'"nama":"Budi \ud800Santoso"':'invalid Unicode'; do
	w=${which%%:*}
	rest=${which#*:}
	text=${rest%:*}
	why=${rest##*:}
	sim_admin "fault?kind=poison&which=$w" >/dev/null
	curl -s -f "$SIM_URL/v1/asn?limit=50" >"$T_TMP/poison.json"
	grep -q -F ",{\"nipBaru\":\"198804122014031002\",\"jenisJabatanId\":\"4\"," "$T_TMP/poison.json" ||
		fail "poison $w: no record of NIP 198804122014031002"
	grep -q -F "$text" "$T_TMP/poison.json" || fail "poison $w: no $text"
	"$JSON_CHECK" "$T_TMP/poison.json" >"$T_TMP/check" && fail "poison $w: jansson takes it"
	expect_grep "$why" "$T_TMP/check"
	expect_eq "poison $w: counted" "$(grep -o '"count":[0-9]*}$' "$T_TMP/poison.json")" '"count":50}'
	sed 's/,{"nipBaru":"198804122014031002".*\],"next_cursor"/],"next_cursor"/' "$T_TMP/poison.json" >"$T_TMP/cured.json"
	expect_eq "poison $w: refused for that record alone" "$("$JSON_CHECK" "$T_TMP/cured.json")" ok
	expect_eq "poison $w: and the page's own" "$(jq -c .data "$T_TMP/cured.json")" "$(jq -c '.data[:-1]' "$W.clean.1.json")"
done
expect_eq "no employee has the poison's NIP" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$SIM_URL/v1/asn/198804122014031002")" 404

# broken_envelope: the records whole, the envelope not.
for how in unclosed:"'}' expected" unbalanced:"']' expected" trailing:"end of file expected" \
	dupdata:"duplicate object key"; do
	sim_admin "fault?kind=broken_envelope&how=${how%%:*}" >/dev/null
	curl -s -f "$SIM_URL/v1/asn?limit=50" >"$T_TMP/env.${how%%:*}.json"
	"$JSON_CHECK" "$T_TMP/env.${how%%:*}.json" >"$T_TMP/check" && fail "broken_envelope ${how%%:*}: jansson takes it"
	expect_grep "${how#*:}" "$T_TMP/check"
	ok "broken_envelope ${how%%:*}: refused"
done
expect_eq "broken_envelope unclosed: the brace is all that is missing" \
	"$({ cat "$T_TMP/env.unclosed.json"; printf '}'; } | jq -c .data)" "$(jq -c .data "$W.clean.1.json")"
expect_eq "broken_envelope dupdata: the last \"data\" is empty" "$(jq '.data | length' "$T_TMP/env.dupdata.json")" 0
expect_eq "broken_envelope dupdata: the first is the page" \
	"$(sed 's/,"data":\[\]//' "$T_TMP/env.dupdata.json" | jq -c .data)" "$(jq -c .data "$W.clean.1.json")"
expect_eq "broken_envelope trailing: a second object" \
	"$(jq -c -s 'map(.data | length)' "$T_TMP/env.trailing.json")" "[50,0]"
sim_admin "fault?kind=broken_envelope&how=no_cursor" >/dev/null
expect_eq "broken_envelope no_cursor" \
	"$(curl -s "$SIM_URL/v1/asn?limit=50" | jq -c '[has("next_cursor"), .count, (.data | length)]')" "[false,50,50]"
expect_eq "broken_envelope: an unknown how" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SIM_URL/admin/fault?kind=broken_envelope&how=bent")" 400

# duplicate: the first record of page 1 again on page 2, changed; nip= one of
# page 4 again on page 5, unchanged with same=1; on the last page, its own.
# The copy takes the place of the page's last record, which moves on to the
# next page: a page keeps to its limit.
sim_admin "fault?kind=duplicate" >/dev/null
walk "$W.dup" 50 10 >/dev/null
first=$(jq -r '.data[0].nipBaru' "$W.clean.1.json")
expect_eq "duplicate: page 2 has page 1's first record too" "$(jq -r '.data[-1].nipBaru' "$W.dup.2.json")" "$first"
expect_eq "duplicate: counted" "$(jq -c '[.count, (.data | length)]' "$W.dup.2.json")" "[50,50]"
expect_eq "duplicate: one NIP twice in the listing" \
	"$(cat "$W".dup.*.json | jq -r '.data[].nipBaru' | sort | uniq -d)" "$first"
expect_eq "duplicate: the copy differs in jabatanNama only" \
	"$(jq -c '.data[-1] | .jabatanNama |= rtrimstr(" (salinan)")' "$W.dup.2.json")" "$(jq -c '.data[0]' "$W.clean.1.json")"
expect_eq "duplicate: the rest of page 2 as it was" "$(jq -c '.data[:-1]' "$W.dup.2.json")" "$(jq -c '.data[:-1]' "$W.clean.2.json")"
expect_eq "duplicate: its last record first on page 3" "$(jq -c '.data[0]' "$W.dup.3.json")" "$(jq -c '.data[-1]' "$W.clean.2.json")"
nip=$(jq -r '.data[7].nipBaru' "$W.clean.4.json")
sim_admin "fault?kind=duplicate&nip=$nip&same=1" >/dev/null
walk "$W.dup2" 50 10 >/dev/null
expect_eq "duplicate nip= same=1: the same record on the next page" \
	"$(jq -c '.data[-1]' "$W.dup2.5.json")" "$(jq -c '.data[7]' "$W.clean.4.json")"
expect_eq "duplicate: once" "$(cat "$W".dup2.*.json | jq -r '.data[].nipBaru' | sort | uniq -d)" "$nip"
nip=$(jq -r '.data[3].nipBaru' "$W.clean.6.json")
sim_admin "fault?kind=duplicate&nip=$nip" >/dev/null
walk "$W.dup3" 50 10 >/dev/null
expect_eq "duplicate on the last page: its own" "$(jq -r '[.count, .data[-1].nipBaru] | join(" ")' "$W.dup3.6.json")" "50 $nip"

# big_field: an unknown field of size bytes in the page's first record.
sim_admin "fault?kind=big_field" >/dev/null
curl -s -f "$SIM_URL/v1/asn?limit=3" >"$T_TMP/big.json"
expect_eq "big_field: 10 MiB in the first record" \
	"$(jq -c '[.count, (.data[0].lampiranDokumen | length), (.data[1:] | map(has("lampiranDokumen")))]' "$T_TMP/big.json")" \
	"[3,10485760,[false,false]]"
sim_admin "fault?kind=big_field&size=1000" >/dev/null
expect_eq "big_field size=1000" "$(curl -s "$SIM_URL/v1/asn?limit=3" | jq '.data[0].lampiranDokumen | length')" 1000
expect_eq "big_field: the record otherwise as it was" \
	"$(curl -s "$SIM_URL/v1/asn?limit=3" | jq -c '.data[0]')" "$(jq -c '.data[0]' "$W.clean.1.json")"

# big_header: curl refuses a header of 1 MiB, so read the answer raw.
sim_admin "fault?kind=big_header" >/dev/null
printf 'GET /v1/asn?limit=3 HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n' |
	curl -s --max-time 20 "telnet://127.0.0.1:$SIM_PORT" >"$T_TMP/raw" || :
expect_eq "big_header: a 200" "$(head -n 1 "$T_TMP/raw" | tr -d '\r')" "HTTP/1.1 200 OK"
expect_eq "big_header: X-Padding of 1 MiB" \
	"$(tr -d '\r' <"$T_TMP/raw" | sed -n '/^$/q;s/^X-Padding: //p' | tr -d '\n' | wc -c)" 1048576
expect_eq "big_header: the body a page" \
	"$(tr -d '\r' <"$T_TMP/raw" | sed '1,/^$/d' | jq .count)" 3
sim_admin "fault?kind=big_header&size=5000" >/dev/null
expect_eq "big_header size=5000" \
	"$(curl -s -D - -o /dev/null "$SIM_URL/v1/asn/$first" | tr -d '\r' | sed -n 's/^X-Padding: //p' | tr -d '\n' | wc -c)" 5000
expect_eq "big_header: beyond --header-room refused" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SIM_URL/admin/fault?kind=big_header&size=2000000")" 400

# wrong_nip: another employee's record; listing pages do not take it.
sim_admin "fault?kind=wrong_nip" >/dev/null
curl -s -f "$SIM_URL/v1/asn?limit=5" >/dev/null
got=$(curl -s "$SIM_URL/v1/asn/$first" | jq -r .data.nipBaru)
[ "$got" != "$first" ] || fail "wrong_nip: the NIP asked for"
expect_eq "wrong_nip: another employee's" "$(curl -s -o /dev/null -w '%{http_code}' "$SIM_URL/v1/asn/$got")" 200
expect_eq "wrong_nip: once" "$(curl -s "$SIM_URL/v1/asn/$first" | jq -r .data.nipBaru)" "$first"

# retry_after: any text, as it is.
for ra in 99999999999999999999 garbage -5 120; do
	sim_admin "fault?kind=status&status=429&retry_after=$ra" >/dev/null
	expect_eq "retry_after=$ra" \
		"$(curl -s -D - -o /dev/null "$SIM_URL/v1/asn" | tr -d '\r' | sed -n 's/^Retry-After: //p')" "$ra"
done
expect_eq "retry_after: text is no date" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SIM_URL/admin/fault?kind=status&retry_after=x&retry_after_date=1")" 400

# /admin/set: text served as given, a new version a delta sync sees.
nip=$(jq -r '.data[20].nipBaru' "$W.clean.3.json")
for fv in nama:'=HYPERLINK("http://x","y")' opdNama:'<script>alert(1)</script>' opdId:'1.01.01"; DROP' \
	jabatanNama:"$(printf 'Kepala\tBidang\001')"; do
	curl -s -f -X POST -G "$SIM_URL/admin/set" -d nip="$nip" -d field="${fv%%:*}" --data-urlencode "value=${fv#*:}" >/dev/null ||
		fail "set ${fv%%:*}"
	expect_eq "set ${fv%%:*}" "$(curl -s "$SIM_URL/v1/asn/$nip" | jq -r ".data.${fv%%:*}")" "${fv#*:}"
done
expect_eq "set: the earlier fields kept" "$(curl -s "$SIM_URL/v1/asn/$nip" | jq -r .data.nama)" '=HYPERLINK("http://x","y")'
expect_eq "set: four new versions" "$(sim_admin "record?nip=$nip" GET | jq .version)" 4
expect_eq "set: a delta listing sees it" \
	"$(curl -s -G "$SIM_URL/v1/asn" --data-urlencode "updated_since=$(date -u -d '-5 seconds' +%Y-%m-%dT%H:%M:%SZ)" | jq -r '[.data[].nipBaru] | join(" ")')" "$nip"
expect_eq "set: an unknown field" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SIM_URL/admin/set?nip=$nip&field=nik&value=1")" 400
expect_eq "set: an unknown NIP" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SIM_URL/admin/set?nip=199001012015011001&field=nama&value=x")" 404
sim_stop

# ---- a million employees ----------------------------------------------------------
t0=$(now_ms)
sim_start --employees 1000000
ms=$(($(now_ms) - t0))
[ "$ms" -lt 10000 ] || fail "a million employees took $ms ms to start"
expect_eq "a million employees: a page" "$(curl -s "$SIM_URL/v1/asn?limit=1000" | jq .count)" 1000
rss=$(sed -n 's/^VmRSS:[ \t]*\([0-9]*\).*/\1/p' "/proc/$SIM_PID/status")
ok "a million employees: ready in $ms ms, $rss kB resident"
