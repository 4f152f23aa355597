# The simulator keeps the contract (simpeg-api.md) and its promises: limits,
# keyset order, inclusive updated_since, the end of a listing, single records,
# determinism, valid NIPs in clean data, exactly the defects it reports, the
# admin operations, --mutate-rate, gzip, and a million employees at once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

TODAY=2025-06-30
# jq: a timestamp in either of the two forms the simulator writes.
JQ_TS='def ts: if endswith("Z") then fromdateiso8601 else (.[0:19] + "Z" | fromdateiso8601) - 28800 end;'
JQ_YMD='def ymd: if test("^[0-9]{4}-") then .[0:4] + .[5:7] + .[8:10] else .[6:10] + .[3:5] + .[0:2] end;'

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

# ---- a million employees ----------------------------------------------------------
t0=$(now_ms)
sim_start --employees 1000000
ms=$(($(now_ms) - t0))
[ "$ms" -lt 10000 ] || fail "a million employees took $ms ms to start"
expect_eq "a million employees: a page" "$(curl -s "$SIM_URL/v1/asn?limit=1000" | jq .count)" 1000
rss=$(sed -n 's/^VmRSS:[ \t]*\([0-9]*\).*/\1/p' "/proc/$SIM_PID/status")
ok "a million employees: ready in $ms ms, $rss kB resident"
