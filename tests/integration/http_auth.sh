# Authentication: a bearer token, OAuth2 client credentials (the token cached,
# refreshed once on a 401, replaced before it expires, scope sent), static
# headers, and the messages when the endpoint refuses. No secret ever shows:
# every line the client printed is searched for each of them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

SECRET="s3cr3t-Client-9f8e7d"
BEARER="bearer-Token-4c3b2a"
SSO="sso-Header-Value-77aa"
printf '%s\n' "$SECRET" >"$T_TMP/client-secret"
printf '%s\n' "$BEARER" >"$T_TMP/bearer-token"
printf '%s\n' "wrong-$BEARER" >"$T_TMP/wrong-token"
printf 'bearer %s\n' "$SSO" >"$T_TMP/sso-token"
printf '%s\n' "not-the-$SECRET" >"$T_TMP/wrong-secret"
chmod 600 "$T_TMP"/client-secret "$T_TMP"/bearer-token "$T_TMP"/wrong-token "$T_TMP"/sso-token \
	"$T_TMP"/wrong-secret

expect_result() {
	got=$(driver_field result "$T_TMP/$1.out")
	[ "$got" = "$2" ] || { cat "$T_TMP/$1.out" "$T_TMP/$1.err" >&2; fail "$1: result $got, expected $2"; }
	expect_eq "$1: attempts" "$(driver_field attempts "$T_TMP/$1.out")" "$3"
}

# ---- bearer ----------------------------------------------------------------
sim_start --defect-rate 0.02 --employees 300 --auth bearer --token "$BEARER" --require-header "Auth: bearer $SSO"
HDR="headers = ( { name = \"Auth\"; value_file = \"sso-token\"; } );"
source_config "$T_TMP/bearer.conf" "page_size = 100; $HDR" \
	'' && sed -i "s|^source: {|source: { auth: { type = \"bearer\"; token_file = \"bearer-token\"; };|" "$T_TMP/bearer.conf"
driver_run bearer_ok -c "$T_TMP/bearer.conf" page
expect_result bearer_ok ok 1

sed "s|bearer-token|wrong-token|" "$T_TMP/bearer.conf" >"$T_TMP/bearer-wrong.conf"
driver_run bearer_wrong -c "$T_TMP/bearer-wrong.conf" page
expect_result bearer_wrong auth 1
expect_eq "bearer refused: exit status" "$RC" 69
expect_grep "error: HTTP 401 from $SIM_URL/v1/asn: the SIMPEG endpoint refused the credentials of source.auth (type bearer, token_file $T_TMP/wrong-token)$" "$T_TMP/bearer_wrong.err"

source_config "$T_TMP/none.conf" "page_size = 100; $HDR"
driver_run none -c "$T_TMP/none.conf" page
expect_result none auth 1
expect_grep "refused the credentials of source.auth (type none); it requires credentials" "$T_TMP/none.err"

# A server that echoes the credential back: the message hides it.
sim_admin "fault?kind=status&status=403&count=1&message=token%20$BEARER%20with%20$SSO%20refused" >/dev/null
driver_run echo -c "$T_TMP/bearer.conf" page
expect_result echo refused 1
expect_grep "error: HTTP 403 from $SIM_URL/v1/asn: fault: token \\*\\*\\* with \\*\\*\\* refused$" "$T_TMP/echo.err"
ok "a credential echoed by the server is masked"

sed "s|$HDR||" "$T_TMP/bearer.conf" >"$T_TMP/nohdr.conf"
driver_run nohdr -c "$T_TMP/nohdr.conf" page
expect_result nohdr refused 1
expect_grep "error: HTTP 403 from $SIM_URL/v1/asn: forbidden: a required header is missing or wrong" "$T_TMP/nohdr.err"
ok "source.headers are sent; without them the simulator refuses"
sim_stop

# ---- OAuth2 client credentials ------------------------------------------------
sim_start --defect-rate 0.02 --employees 500 --auth oauth2 --client-id ipasnd --client-secret "$SECRET" --token-ttl 3600
oauth_conf() { # FILE SECRET_FILE [SOURCE_KEYS]
	source_config "$1" "page_size = 100; ${3:-}"
	sed -i "s|^source: {|source: { auth: { type = \"oauth2\"; token_url = \"$SIM_URL/oauth2/token\"; client_id = \"ipasnd\"; client_secret_file = \"$2\"; scope = \"asn.read pegawai\"; };|" "$1"
}
oauth_conf "$T_TMP/oauth.conf" client-secret

# One token serves a whole listing; the scope is sent, form-encoded.
driver_run oauth_list -c "$T_TMP/oauth.conf" list
expect_eq "oauth2 listing: pages" "$(driver_field pages "$T_TMP/oauth_list.out")" 5
expect_eq "oauth2 listing: one token for five pages" "$(sim_count /oauth2/token 200)" 1
expect_eq "oauth2: the scope arrived" "$(curl -s "$SIM_URL/admin/stats" | jq -r .last_scope)" "asn.read pegawai"
expect_grep "event=token expires_in=3600 url=$SIM_URL/oauth2/token" "$T_TMP/oauth_list.err"

# An expired token (401 once): one refresh, one retry, success.
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=token_expired&count=1" >/dev/null
driver_run refresh -c "$T_TMP/oauth.conf" --events page
expect_result refresh ok 2
expect_grep "event=refresh attempt=1 url=$SIM_URL/v1/asn reason=HTTP 401: refreshing the access token once" "$T_TMP/refresh.err"
expect_eq "refresh: two tokens fetched" "$(sim_count /oauth2/token 200)" 2
expect_eq "refresh: one 401" "$(sim_count /v1/asn 401)" 1
expect_eq "refresh: then one 200" "$(sim_count /v1/asn 200)" 1

# A second 401 after the refresh fails, naming the setting.
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=token_expired&count=2" >/dev/null
driver_run refresh_fails -c "$T_TMP/oauth.conf" page
expect_result refresh_fails auth 2
expect_grep "error: HTTP 401 from $SIM_URL/v1/asn: the SIMPEG endpoint refused the credentials of source.auth (type oauth2, client_id ipasnd), also with a fresh token$" "$T_TMP/refresh_fails.err"
expect_eq "refresh once only: two 401s" "$(sim_count /v1/asn 401)" 2

# The token endpoint refuses a wrong secret.
oauth_conf "$T_TMP/oauth-wrong.conf" wrong-secret
driver_run wrong_secret -c "$T_TMP/oauth-wrong.conf" page
expect_eq "wrong secret: result" "$(driver_field result "$T_TMP/wrong_secret.out")" auth
expect_eq "wrong secret: no data request" "$(driver_field attempts "$T_TMP/wrong_secret.out")" 0
expect_grep "error: HTTP 401 from $SIM_URL/oauth2/token (token endpoint): it refused the credentials of source.auth (type oauth2, client_id ipasnd): invalid_client: client authentication failed" "$T_TMP/wrong_secret.err"

# The token endpoint failing for a while is retried like any request.
sim_admin reset-stats >/dev/null
sim_admin "fault?kind=status&status=503&path=/oauth2/token&count=1" >/dev/null
driver_run token_503 -c "$T_TMP/oauth.conf" page
expect_result token_503 ok 1
expect_eq "token endpoint 503: retried" "$(sim_count /oauth2/token total)" 2
sim_stop

# A short lifetime: replaced before it runs out (2 s: halfway, at 1 s).
sim_start --defect-rate 0.02 --employees 500 --auth oauth2 --client-id ipasnd --client-secret "$SECRET" --token-ttl 2
oauth_conf "$T_TMP/short.conf" client-secret 'rate_limit = 2.0;'
driver_run short -c "$T_TMP/short.conf" list
expect_eq "short-lived token: pages" "$(driver_field pages "$T_TMP/short.out")" 5
n=$(sim_count /oauth2/token 200)
{ [ "$n" -ge 2 ] && [ "$n" -le 5 ]; } || fail "short-lived token: $n tokens for 5 pages over 2 s"
expect_eq "short-lived token: never refused" "$(sim_count /v1/asn 401)" 0
ok "a 2 s token is replaced ahead of time: $n tokens"
sim_stop

# ---- no secret anywhere ----------------------------------------------------------
cat "$T_TMP"/*.out "$T_TMP"/*.err >"$T_TMP/everything"
for s in "$SECRET" "$BEARER" "$SSO" "simtok-" "Authorization" "Bearer "; do
	if grep -F -q -- "$s" "$T_TMP/everything"; then
		grep -F -- "$s" "$T_TMP/everything" >&2
		fail "'$s' appears in the client's output"
	fi
done
ok "no secret, token or Authorization header in $(wc -l <"$T_TMP/everything") lines of output"
