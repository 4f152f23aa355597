# The simulator's WS SIASN (siasn-api.md, --api siasn) keeps its contract:
# the roster export, the APIM token, both headers on every call, the eight
# calls cut from the same records as the listing, SIASN's envelopes and
# empty answers, the gateway's faults, and what /admin/stats counts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

TODAY=2025-06-30
N=300
B=/apisiasn/1.0
SIASN_ARGS="--api siasn --auth oauth2 --client-id bkd --client-secret rahasia --sso-token sso-abc"

# ---- options --------------------------------------------------------------------
expect_exit 64 "$SIM" --api siasn --auth oauth2 --client-id a --client-secret b
ok "siasn without --sso-token is refused"
expect_exit 64 "$SIM" --api siasn --sso-token x
ok "siasn without oauth2 is refused"
expect_exit 64 "$SIM" --write-roster "$T_TMP/x.csv"
ok "a roster needs --api siasn"
# shellcheck disable=SC2086
expect_exit 64 "$SIM" $SIASN_ARGS --roster-separator '|'
ok "a bad separator is refused"

# ---- the roster -------------------------------------------------------------------
# shellcheck disable=SC2086
sim_start $SIASN_ARGS --employees $N --seed 5 --today $TODAY --write-roster "$T_TMP/roster.csv"
TOKEN=$(curl -s -f -u bkd:rahasia -d grant_type=client_credentials "$SIM_URL/oauth2/token" | jq -r .access_token)
if [ -z "$TOKEN" ] || [ "$TOKEN" = null ]; then fail "no APIM token"; fi
ok "the APIM token endpoint issues a token for client_credentials"
expect_eq "the token endpoint refuses a wrong secret" \
	"$(curl -s -o /dev/null -w '%{http_code}' -u bkd:wrong -d grant_type=client_credentials "$SIM_URL/oauth2/token")" 401

# csv_rows FILE SEP: the CSV's rows as JSON objects by header name, one a
# line; quoted fields unquoted, the BOM and the CR dropped.
csv_rows() {
	sed 's/^\xEF\xBB\xBF//; s/\r$//' "$1" | jq -R -c --arg sep "$2" '
		[match("(\"([^\"]|\"\")*\"|[^\"" + $sep + "]*)(" + $sep + "|$)"; "g") | .captures[0].string
		 | if startswith("\"") then .[1:-1] | gsub("\"\""; "\"") else . end]' |
		jq -s -c '.[0] as $h | .[1:][] | [$h, .[0:($h | length)]] | transpose | map({(.[0]): .[1]}) | add'
}

# siasn PATH [CURL ARGS]: a SIASN call with both tokens; body to stdout, the
# status on the last line.
siasn() {
	sp=$1
	shift
	curl -s -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H "Auth: bearer sso-abc" \
		"$@" "$SIM_URL$B$sp"
}
body() { sed '$d'; }
status() { tail -n 1; }

# The listing: every record, to compare with.
curl -s -f -H "Authorization: Bearer $TOKEN" "$SIM_URL/v1/asn?limit=1000" | jq -c '.data[]' >"$T_TMP/all.jsonl"
expect_eq "the listing is still served beside SIASN" "$(wc -l <"$T_TMP/all.jsonl")" $N

R="$T_TMP/roster.csv"
expect_eq "the UTF-8 roster opens with a BOM" "$(head -c 3 "$R" | od -An -tx1 | tr -d ' ')" efbbbf
CR=$(printf '\r')
expect_eq "its lines end in CRLF" "$(grep -c "$CR\$" "$R")" "$(wc -l <"$R")"
header=$(head -n 1 "$R" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')
csv_rows "$R" , >"$T_TMP/roster.jsonl"
for col in nip_baru pns_id nama unor_id unor_nama kedudukan_hukum_id status_cpns_pns; do
	case ",$header," in *",$col,"*) ;; *) fail "roster header lacks $col: $header" ;; esac
done
ok "the header names the snake_case columns"
live=$(jq -s '[.[] | select(.deleted == false)] | length' "$T_TMP/all.jsonl")
expect_eq "one row per employee not deleted" "$(wc -l <"$T_TMP/roster.jsonl")" "$live"
expect_eq "every row has every column" "$(jq -s 'map(length) | unique' "$T_TMP/roster.jsonl" | jq -c .)" "[22]"
# Stripped of the leading ', exactly the live NIPs.
jq -r '.nip_baru | ltrimstr("\u0027")' "$T_TMP/roster.jsonl" | sort >"$T_TMP/roster_nips"
jq -r 'select(.deleted == false) | .nipBaru' "$T_TMP/all.jsonl" | sort >"$T_TMP/live_nips"
cmp -s "$T_TMP/roster_nips" "$T_TMP/live_nips" || fail "roster NIPs differ from the live records"
ok "the roster's NIPs are the live employees'"
[ "$(jq -r .nip_baru "$T_TMP/roster.jsonl" | grep -c "^'")" -gt 0 ] || fail "no NIP with a leading '"
[ "$(jq -r .nip_baru "$T_TMP/roster.jsonl" | grep -vc "^'")" -gt 0 ] || fail "every NIP has a leading '"
ok "some NIPs carry Excel's leading ', some not"
[ "$(jq -s '[.[][] | select(. == "null")] | length' "$T_TMP/roster.jsonl")" -gt 0 ] || fail "no empty value written as null"
ok "some empty values are the text null"
expect_eq "birth dates are dd-mm-yyyy" \
	"$(jq -r .tanggal_lahir "$T_TMP/roster.jsonl" | grep -Evc '^([0-9]{2}-[0-9]{2}-[0-9]{4}|null|)$')" 0
expect_eq "the roster agrees with the records: unit, status, kedudukan" "$(jq -s -n --slurpfile r "$T_TMP/roster.jsonl" \
	--slurpfile a "$T_TMP/all.jsonl" '
	def v: if . == "null" then "" else ltrimstr("\u0027") end;
	($a | map({(.nipBaru): .}) | add) as $by |
	[$r[] | . as $x | $by[.nip_baru | v] as $e |
	 select(($x.unor_id | v) != ($e.unorId // "") or ($x.status_cpns_pns | v) != ($e.statusCpnsPns // "")
	        or ($x.kedudukan_hukum_id | v) != ($e.kedudukanPnsId // "") or ($x.pns_id | v) != $e.id
	        or ($x.nama | v) != ($e.nama | tostring))] | length')" 0

# ---- credentials --------------------------------------------------------------------
NIP=$(jq -r 'select(.deleted == false and has("ipAsn")) | .nipBaru' "$T_TMP/all.jsonl" | head -n 1)
out=$(curl -s -w '\n%{http_code}' -H "Auth: bearer sso-abc" "$SIM_URL$B/pns/data-utama/$NIP")
expect_eq "no APIM token: 401" "$(echo "$out" | status)" 401
expect_eq "no APIM token: WSO2's 900901" "$(echo "$out" | body | jq -r .code)" 900901
out=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$SIM_URL$B/pns/data-utama/$NIP")
expect_eq "no SSO token: Token SSO mismatch" "$(echo "$out" | body | jq -r .data)" "Token SSO mismatch"
out=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H "Auth: bearer other" "$SIM_URL$B/pns/rw-skp/$NIP")
expect_eq "a wrong SSO token: Token SSO mismatch" "$(echo "$out" | body | jq -r .data)" "Token SSO mismatch"
stats=$(curl -s "$SIM_URL/admin/stats")
expect_eq "calls missing Authorization counted" "$(echo "$stats" | jq .siasn.missing_authorization)" 1
expect_eq "calls missing Auth counted" "$(echo "$stats" | jq .siasn.missing_auth)" 1

# ---- the eight calls against the listing's record ----------------------------------
JQ_DMY='def dmy: if type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$") then .[8:10] + "-" + .[5:7] + "-" + .[0:4] else . end;
def norm: walk(dmy) | walk(if type == "object" then del(.path, .idPns, .pns, .pnsDinilaiId, .pnsOrang) | (if has("tahun") then .tahun |= tostring else . end) else . end);'
jq -r 'select(.deleted == false) | .nipBaru' "$T_TMP/all.jsonl" | awk 'NR % 15 == 1' >"$T_TMP/sample"
checked=0
while read -r nip; do
	jq -c --arg n "$nip" 'select(.nipBaru == $n)' "$T_TMP/all.jsonl" >"$T_TMP/rec.json"
	siasn "/pns/data-utama/$nip" >"$T_TMP/du"
	[ "$(status <"$T_TMP/du")" = 200 ] || fail "data-utama $nip: $(cat "$T_TMP/du")"
	body <"$T_TMP/du" >"$T_TMP/du.json"
	res=$(jq -n --slurpfile r "$T_TMP/rec.json" --slurpfile d "$T_TMP/du.json" "$JQ_DMY"'
		$r[0] as $r | $d[0] as $d |
		($d.code | tostring) == "1"
		and $d.data.nipBaru == $r.nipBaru and $d.data.nama == $r.nama
		and $d.data.tglLahir == ($r.tglLahir | dmy)
		and $d.data.unorIndukId == $r.opdId and $d.data.unorId == $r.unorId
		and ($d.data | has("opdId") or has("statusCpnsPns") or has("updatedAt") or has("rwSkp") | not)
		and ($d.data.jenisKelamin | IN("M", "F", "Pria", "Wanita"))')
	[ "$res" = true ] || fail "data-utama $nip differs from the listing: $(cat "$T_TMP/du.json")"
	for pair in rw-pendidikan:rwPendidikan rw-diklat:rwDiklat rw-kursus:rwKursus rw-skp:rwSkp \
		rw-skp22:rwSkp22 rw-hukdis:rwHukdis; do
		ep=${pair%%:*}
		key=${pair#*:}
		siasn "/pns/$ep/$nip" >"$T_TMP/rw"
		st=$(status <"$T_TMP/rw")
		body <"$T_TMP/rw" >"$T_TMP/rw.json"
		res=$(jq -n --slurpfile r "$T_TMP/rec.json" --slurpfile d "$T_TMP/rw.json" --arg k "$key" \
			--arg st "$st" "$JQ_DMY"'
			$r[0] as $r | $d[0] as $d | ($r[$k] // []) as $want |
			if ($want | length) == 0 then
				($st == "404" and $d == {"code":0,"data":"Data tidak ditemukan"})
				or ($st == "200" and ($d.data | . == null or . == [] or . == "Data tidak ditemukan" or . == "record not found"))
			else
				$st == "200" and ($d.code | tostring) == "1" and $d.count == ($want | length)
				and ($d.data | norm) == ($want | norm)
			end')
		[ "$res" = true ] || fail "$ep $nip ($st) differs from $key: $(head -c 600 "$T_TMP/rw.json")"
	done
	siasn "/pns/nilaiipasn/$nip" >"$T_TMP/ip"
	body <"$T_TMP/ip" >"$T_TMP/ip.json"
	res=$(jq -n --slurpfile r "$T_TMP/rec.json" --slurpfile d "$T_TMP/ip.json" '
		def num: if type == "string" then sub(","; ".") | tonumber else . end;
		$r[0].ipAsn as $w | $d[0].data as $d |
		if $w == null then $d == "Data tidak ditemukan" or $d == null or $d == "record not found"
		else ($d.subtotal | num) == $w.total and ($d.kualifikasi | num) == $w.kualifikasi
			and ($d.kompetensi | num) == $w.kompetensi and ($d.kinerja | num) == $w.kinerja
			and ($d.disiplin | num) == $w.disiplin and $d.tahun == $w.tahun end')
	[ "$res" = true ] || fail "nilaiipasn $nip differs from ipAsn: $(cat "$T_TMP/ip.json")"
	checked=$((checked + 1))
done <"$T_TMP/sample"
[ "$checked" -ge 15 ] || fail "only $checked employees compared"
ok "$checked employees: the eight calls carry the listing's record, SIASN's way"

a=$(siasn "/pns/nilaiipasn/$NIP" | body)
b=$(siasn "/pns/nilaiipasn/$NIP?nipBaru=$NIP" | body)
c=$(siasn "/pns/nilaiipasn?nip=$NIP" | body)
expect_eq "nilaiipasn has a total" "$(echo "$a" | jq 'has("data") and (.data | has("subtotal"))')" true
if [ "$a" != "$b" ] || [ "$a" != "$c" ]; then fail "the three nilaiipasn forms differ: $a / $b / $c"; fi
ok "nilaiipasn answers its three URL forms alike"

out=$(siasn "/pns/data-utama/199001012015031999")
expect_eq "an unknown NIP: 404" "$(echo "$out" | status)" 404
expect_eq "an unknown NIP: Data tidak ditemukan" "$(echo "$out" | body | jq -c .)" '{"code":0,"data":"Data tidak ditemukan"}'
expect_eq "unknown NIPs counted" "$(curl -s "$SIM_URL/admin/stats" | jq .siasn.unknown_nip)" 1
out=$(siasn "/pns/rw-nothing/$NIP")
expect_eq "an unknown path: 404" "$(echo "$out" | status)" 404
expect_eq "an unknown path: the gateway's body, not SIASN's" "$(echo "$out" | body | jq -r .code)" 404

# ---- faults --------------------------------------------------------------------------
sim_admin "fault?kind=token_expired" >/dev/null
out=$(siasn "/pns/data-utama/$NIP")
expect_eq "token_expired: 401" "$(echo "$out" | status)" 401
expect_eq "token_expired: invalid or expired jwt" "$(echo "$out" | body | jq -r .message)" "invalid or expired jwt"
expect_eq "the old token stays refused" "$(siasn "/pns/data-utama/$NIP" | body | jq -r .message)" "invalid or expired jwt"
TOKEN=$(curl -s -f -u bkd:rahasia -d grant_type=client_credentials "$SIM_URL/oauth2/token" | jq -r .access_token)
expect_eq "a new token is served" "$(siasn "/pns/data-utama/$NIP" | status)" 200

sim_admin "fault?kind=sso_refused&count=2" >/dev/null
expect_eq "sso_refused: Token SSO mismatch" "$(siasn "/pns/rw-skp/$NIP" | body | jq -r .data)" "Token SSO mismatch"
expect_eq "sso_refused: twice" "$(siasn "/pns/rw-skp22/$NIP" | body | jq -r .data)" "Token SSO mismatch"
[ "$(siasn "/pns/data-utama/$NIP" | body | jq -r .data.nipBaru)" = "$NIP" ] || fail "sso_refused outlived its count"
ok "sso_refused: then served"

sim_admin "fault?kind=throttled&retry_after=3" >/dev/null
curl -s -D "$T_TMP/h" -o "$T_TMP/b" -H "Authorization: Bearer $TOKEN" -H "Auth: bearer sso-abc" "$SIM_URL$B/pns/rw-kursus/$NIP"
expect_grep '^HTTP/1.1 429' "$T_TMP/h"
expect_grep '^Retry-After: 3' "$T_TMP/h"
expect_eq "throttled: WSO2 code 900800" "$(jq -r .code "$T_TMP/b")" 900800

sim_admin "fault?kind=suspended" >/dev/null
out=$(siasn "/pns/rw-diklat/$NIP")
expect_eq "suspended: 503" "$(echo "$out" | status)" 503
expect_eq "suspended: Runtime Error, SUSPENDED" \
	"$(echo "$out" | body | jq '.message == "Runtime Error" and (.description | test("SUSPENDED"))')" true

OTHER=$(sed -n 2p "$T_TMP/sample")
sim_admin "fault?kind=status&status=500&count=-1&path=$B/pns/rw-hukdis/$NIP" >/dev/null
for k in 1 2 3; do
	expect_eq "one NIP's rw-hukdis keeps failing ($k)" "$(siasn "/pns/rw-hukdis/$NIP" | status)" 500
done
[ "$(siasn "/pns/rw-hukdis/$OTHER" | status)" != 500 ] || fail "the fault hit another NIP"
[ "$(siasn "/pns/rw-skp/$NIP" | status)" != 500 ] || fail "the fault hit another call"
ok "the fault holds one NIP and one call"
sim_admin clear >/dev/null
[ "$(siasn "/pns/rw-hukdis/$NIP" | status)" != 500 ] || fail "clear left the fault"
ok "clear ends it"

sim_admin "fault?kind=malformed" >/dev/null
siasn "/pns/data-utama/$NIP" | body >"$T_TMP/m"
jq . "$T_TMP/m" >/dev/null 2>&1 && fail "malformed gave valid JSON"
ok "malformed: a body that is not JSON"
sim_stop

# ---- latency, requests in flight, per endpoint --------------------------------------------
# shellcheck disable=SC2086
sim_start $SIASN_ARGS --employees 50 --seed 5 --today $TODAY --latency 400 \
	--write-roster "$T_TMP/r2.csv" --roster-separator ';' --roster-encoding windows-1252
TOKEN=$(curl -s -f -u bkd:rahasia -d grant_type=client_credentials "$SIM_URL/oauth2/token" | jq -r .access_token)
R2="$T_TMP/r2.csv"
expect_eq "Windows-1252: no BOM" "$(head -c 3 "$R2" | od -An -tx1 | tr -d ' ' | cut -c1-2)" 70
expect_eq "';' separates the fields" "$(head -n 1 "$R2" | cut -d';' -f2)" nip_baru
iconv -f WINDOWS-1252 -t UTF-8 "$R2" >/dev/null || fail "not Windows-1252"
ok "the roster is valid Windows-1252"
NIP=$(csv_rows "$R2" ';' | head -n 1 | jq -r '.nip_baru | ltrimstr("\u0027")')
t0=$(now_ms)
pids=""
for k in 1 2 3 4; do
	siasn "/pns/data-utama/$NIP" >"$T_TMP/p$k" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
t1=$(now_ms)
[ $((t1 - t0)) -ge 400 ] || fail "--latency 400: four calls took $((t1 - t0)) ms"
ok "--latency delays the calls"
stats=$(curl -s "$SIM_URL/admin/stats")
expect_eq "four at once: max_in_flight 4" "$(echo "$stats" | jq .siasn.max_in_flight)" 4
expect_eq "none left in flight" "$(echo "$stats" | jq .siasn.in_flight)" 0
expect_eq "counted per endpoint" "$(echo "$stats" | jq -c '.siasn.calls | [."data-utama", .nilaiipasn]')" "[4,0]"
sim_admin reset-stats >/dev/null
for k in 1 2; do siasn "/pns/rw-skp/$NIP" >/dev/null; done
stats=$(curl -s "$SIM_URL/admin/stats")
expect_eq "one at a time: max_in_flight 1" "$(echo "$stats" | jq .siasn.max_in_flight)" 1
[ "$(echo "$stats" | jq .siasn.min_gap_ms)" -ge 400 ] || fail "min_gap_ms $(echo "$stats" | jq .siasn.min_gap_ms)"
ok "min_gap_ms: the shortest gap between two calls"
sim_stop
