# tools/bench --siasn: ipasnd's WS SIASN source against the simulator, sourced
# by tools/bench once it has built ipasnd (build/bench) and read
# tests/lib.sh. N employees (8 calls each) with 100 ms of latency on every
# call, source.rate_limit = 200 and source.siasn.parallel = 32: the rate is
# what binds (32 / 0.1 s = 320 calls a second could be in flight), so the
# requests per second achieved against the limit say how well the client
# keeps to its schedule. Also ipasnd's CPU seconds per 1,000 employees and
# its peak RSS. Last line:
#   rate_ratio=X cpu_s_per_1000=Y peak_rss_mib=Z
RATE=200
PARALLEL=32
LATENCY=100

echo "starting PostgreSQL and the simulator ($N employees, WS SIASN, $LATENCY ms a call)" >&2
pg_start
sim_start --api siasn --auth oauth2 --client-id bkd --client-secret rahasia --sso-token sso-abc \
	--employees "$N" --seed "$SEED" --latency "$LATENCY" --write-roster "$T_TMP/roster.csv"
printf 'rahasia\n' >"$T_TMP/secret"
printf 'sso-abc\n' >"$T_TMP/sso"
chmod 600 "$T_TMP/secret" "$T_TMP/sso"
base=$SIM_URL
SIM_URL="$base/apisiasn/1.0" SOURCE_KEYS="type = \"siasn\"; rate_limit = $RATE.0;
	auth: { type = \"oauth2\"; token_url = \"$base/oauth2/token\"; client_id = \"bkd\";
	        client_secret_file = \"secret\"; };
	siasn: { sso_token_file = \"sso\"; roster_file = \"roster.csv\"; parallel = $PARALLEL; };" \
	write_config "$T_TMP/siasn.conf"
"$IPASND" -c "$T_TMP/siasn.conf" migrate >/dev/null

echo "one sync of every roster employee (about $((N * 8 / RATE)) s)" >&2
$TIME -f "%e %U %S %M" -o "$T_TMP/sync.time" "$IPASND" -c "$T_TMP/siasn.conf" sync \
	>"$T_TMP/sync.log" 2>&1 || { tail -20 "$T_TMP/sync.log" >&2; fail "ipasnd sync failed"; }
read -r wall user sys rss_kib <"$T_TMP/sync.time"
stats=$(curl -s -f "$base/admin/stats")
calls=$(echo "$stats" | jq '[.siasn.calls[]] | add')
tokens=$(echo "$stats" | jq '.requests["/oauth2/token"]["200"] // 0')
mps=$(echo "$stats" | jq '.siasn.max_per_second')
mif=$(echo "$stats" | jq '.siasn.max_in_flight')
# The fetch's own rate (first call to last), as ipasnd measured it; the
# whole run's wall time also holds the start, the roster and the writes.
fetch_rate=$(sed -n 's/.*all refreshed in about .* at \([0-9.]*\) requests\/s.*/\1/p' "$T_TMP/sync.log" | tail -n 1)
[ -n "$fetch_rate" ] || fail "ipasnd did not say the rate it achieved"
written=$(psql_val "SELECT count(*) FROM ipasn.siasn_roster WHERE fetched_at IS NOT NULL")
rate_ratio=$(awk -v a="$fetch_rate" -v r="$RATE" 'BEGIN { printf "%.3f", a / r }')
wall_ratio=$(awk -v c="$calls" -v t="$tokens" -v w="$wall" -v r="$RATE" 'BEGIN { printf "%.3f", (c + t) / w / r }')
cpu_per_1000=$(awk -v u="$user" -v s="$sys" -v n="$N" 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
rss_mib=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')

cat <<EOT

ipasnd $("$IPASND" --version | cut -d' ' -f2), WS SIASN source, $N employees (seed $SEED), $written fetched whole
$(uname -srm), $(nproc) cores, PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), $(date -u +%Y-%m-%d)
rate_limit $RATE/s, parallel $PARALLEL, $LATENCY ms a call

calls made                     $calls (+ $tokens token requests)
wall time of ipasnd sync       $wall s  ($wall_ratio of the limit over the whole run)
fetch rate achieved            $fetch_rate requests/s  ($rate_ratio of the limit; target >= 0.95)
busiest second (simulator)     $mps calls
most calls in flight           $mif (parallel $PARALLEL)
CPU (user + sys)               $user + $sys s  ($cpu_per_1000 s per 1,000 employees)
peak RSS                       $rss_mib MiB  (target <= 64)

EOT
echo "rate_ratio=$rate_ratio cpu_s_per_1000=$cpu_per_1000 peak_rss_mib=$rss_mib"
