# A sync of the simulator's workforce: the views hold exactly what the
# records give, scored without the database; then incremental syncs,
# tombstones, a fixed record, and a second sync that opens nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

pg_start
sim_start --defect-rate 0.02 --employees 3000 --seed 11
LOG_KEYS='max_issue_lines = 100000;' write_config "$T_TMP/ipasnd.conf"
C="$T_TMP/ipasnd.conf"

expect_exit 0 "$IPASND" -c "$C" sync
cp "$T_TMP/out" "$T_TMP/sync1.log"
expect_grep "IPASN_EVENT=sync_finished MODE=full" "$T_TMP/sync1.log"
ok "full sync"

# Every record of the listing, fetched with curl, scored by `ipasnd score`.
: >"$T_TMP/records.jsonl"
cursor=""
while :; do
	if [ -n "$cursor" ]; then
		curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=1000 --data-urlencode "cursor=$cursor"
	else
		curl -sfG "$SIM_URL/v1/asn" --data-urlencode limit=1000
	fi >"$T_TMP/page.json" || fail "fetching the listing"
	jq -c '.data[]' "$T_TMP/page.json" >>"$T_TMP/records.jsonl"
	cursor=$(jq -r '.next_cursor // empty' "$T_TMP/page.json")
	[ -n "$cursor" ] || break
done
jq -s . "$T_TMP/records.jsonl" >"$T_TMP/records.json"
set +e
"$IPASND" -c "$C" score --format json "$T_TMP/records.json" >"$T_TMP/scored.jsonl" \
	2>"$T_TMP/rejected.txt"
set -e
# The later of two records with one NIP wins, as in the store.
jq -s 'group_by(.nip) | map(last)' "$T_TMP/scored.jsonl" >"$T_TMP/winners.json"
period=$(jq -r '.[0].period' "$T_TMP/winners.json")

# v_employee_score: every in-scope employee with his exact total.
jq -r '.[] | select(.in_scope) | "\(.nip)|\(.total)|\(.category)"' "$T_TMP/winners.json" |
	awk -F'|' '{ printf "%s|%.2f|%s\n", $1, $2, $3 }' | sort >"$T_TMP/expected_scores"
psql_val "SELECT nip || '|' || total || '|' || category FROM ipasn.v_employee_score
          WHERE period = $period ORDER BY nip" | sort >"$T_TMP/view_scores"
[ "$(wc -l <"$T_TMP/expected_scores")" -gt 2500 ] || fail "too few employees in scope"
cmp -s "$T_TMP/expected_scores" "$T_TMP/view_scores" ||
	{ diff "$T_TMP/expected_scores" "$T_TMP/view_scores" | head >&2; fail "v_employee_score differs"; }
ok "v_employee_score holds $(wc -l <"$T_TMP/expected_scores") employees, each with its exact total"

# v_opd_score and v_instansi_score: means of the totals, half up to 2 decimals.
mean_by() { # KEYFIELD: "key|employees|mean" from "key|total" lines on stdin
	awk -F'|' '{ h = int($2 * 100 + 0.5); s[$1] += h; n[$1]++ }
		END { for (k in s) printf "%s|%d|%.2f\n", k, n[k], int((2 * s[k] + n[k]) / (2 * n[k])) / 100 }'
}
jq -r '.[] | select(.in_scope and .opd_id != null) | "\(.opd_id)|\(.total)"' "$T_TMP/winners.json" |
	mean_by | sort >"$T_TMP/expected_opd"
psql_val "SELECT opd_id || '|' || employees || '|' || total FROM ipasn.v_opd_score
          WHERE period = $period" | sort >"$T_TMP/view_opd"
cmp -s "$T_TMP/expected_opd" "$T_TMP/view_opd" ||
	{ diff "$T_TMP/expected_opd" "$T_TMP/view_opd" | head >&2; fail "v_opd_score differs"; }
ok "v_opd_score: $(wc -l <"$T_TMP/expected_opd") OPDs with the exact mean"
jq -r '.[] | select(.in_scope) | "all|\(.total)"' "$T_TMP/winners.json" | mean_by |
	cut -d'|' -f2- >"$T_TMP/expected_instansi"
expect_eq "v_instansi_score" \
	"$(psql_val "SELECT employees || '|' || total FROM ipasn.v_instansi_score WHERE period = $period")" \
	"$(cat "$T_TMP/expected_instansi")"
# Ranks follow the totals, ties sharing one.
expect_eq "ranks follow the totals" "$(psql_val "SELECT count(*) FROM ipasn.v_opd_score a
	JOIN ipasn.v_opd_score b USING (period) WHERE a.period = $period
	AND a.total > b.total AND a.rank >= b.rank")" 0

# v_open_issue: each issue of each in-scope employee, and the duplicates.
{
	jq -r '.[] | select(.in_scope) | .nip as $n | .issues[] | "\($n)|\(.code)|\(.field)"' \
		"$T_TMP/winners.json"
	jq -r '.nip' "$T_TMP/scored.jsonl" | sort | uniq -d | while read -r n; do
		jq -e -r --arg n "$n" '.[] | select(.nip == $n and .in_scope) | "\(.nip)|duplicate_record|"' \
			"$T_TMP/winners.json" || true
	done
} | sort >"$T_TMP/expected_issues"
psql_val "SELECT nip || '|' || code || '|' || field FROM ipasn.v_open_issue" | sort \
	>"$T_TMP/view_issues"
cmp -s "$T_TMP/expected_issues" "$T_TMP/view_issues" ||
	{ diff "$T_TMP/expected_issues" "$T_TMP/view_issues" | head >&2; fail "v_open_issue differs"; }
ok "v_open_issue: $(wc -l <"$T_TMP/expected_issues") issues, as the records give them"
expect_eq "every seeded defect found" "$(cut -d'|' -f2 "$T_TMP/expected_issues" | sort -u | wc -l |
	tr -d ' ')" "$(cut -d'|' -f2 "$T_TMP/view_issues" | sort -u | wc -l | tr -d ' ')"

# Quarantine: each rejected record once, with its raw JSON.
expect_eq "quarantined records" "$(psql_val 'SELECT count(*) FROM ipasn.quarantine')" \
	"$(grep -c 'rejected' "$T_TMP/rejected.txt")"
expect_eq "quarantine keeps the raw JSON" \
	"$(psql_val "SELECT count(*) FROM ipasn.quarantine WHERE raw NOT LIKE '{%' OR reason = ''")" 0

# The employee rows hold the records: raw is the record itself, the columns
# its values. Each record line goes in whole (CSV with quote and delimiter
# bytes JSON never holds).
psql_val "CREATE TABLE rec (n serial, r jsonb)" >/dev/null
# ipasnd keeps the contract's fields of each record, nothing else.
jq -c "$CONTRACT_JQ" "$T_TMP/records.jsonl" >"$T_TMP/kept.jsonl"
chmod 644 "$T_TMP/kept.jsonl"
printf '%s\n' "\\copy rec (r) FROM '$T_TMP/kept.jsonl' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" |
	psql -X -q -v ON_ERROR_STOP=1 >/dev/null || fail "loading the records"
dmy() { # COLUMN FIELD: the stored date against either date form of the record
	echo "($1 IS NOT NULL AND to_char($1, 'YYYY-MM-DD') <> r->>'$2' AND to_char($1, 'DD-MM-YYYY') <> r->>'$2')"
}
expect_eq "employee rows hold their records" "$(psql_val "
	WITH last AS (SELECT DISTINCT ON (r->>'nipBaru') r FROM rec ORDER BY r->>'nipBaru', n DESC)
	SELECT count(*) FROM last JOIN ipasn.employee e ON e.nip = r->>'nipBaru'
	WHERE e.raw::jsonb <> r OR e.name IS DISTINCT FROM r->>'nama'
	   OR $(dmy e.birth_date tglLahir) OR $(dmy e.tmt_cpns tmtCpns) OR $(dmy e.tmt_pns tmtPns)
	   OR (r->>'updatedAt' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
	       AND e.updated_at IS DISTINCT FROM (r->>'updatedAt')::timestamptz)
	   OR e.eselon_level <> CASE WHEN r->>'eselonId' ~ '^[1-4][0-9]\$'
	                            THEN left(r->>'eselonId', 1)::int ELSE 0 END
	   OR cardinality(e.history_hash) <> 7")" 0
expect_eq "employees stored" "$(psql_val "SELECT count(*) FROM ipasn.employee")" \
	"$(psql_val "SELECT count(DISTINCT r->>'nipBaru') FROM rec WHERE r->>'nipBaru' IN
	             (SELECT nip FROM ipasn.employee)")"
expect_eq "dates and times stored" "$(psql_val "SELECT count(birth_date) > 2500 AND count(tmt_cpns) > 2500
	AND count(updated_at) > 2500 AND count(*) FILTER (WHERE eselon_level > 0) > 100 FROM ipasn.employee")" t
# The history rows hold the values of the records' arrays, element by
# element (where the record gives a JSON number, a value no note altered).
hist_mismatch() { # ARRAY TABLE CONDITION: rows of TABLE unlike their element r
	psql_val "WITH last AS (SELECT DISTINCT ON (r->>'nipBaru') r FROM rec ORDER BY r->>'nipBaru', n DESC),
	el AS (SELECT r->>'nipBaru' nip, o - 1 seq, v r FROM last,
	       jsonb_array_elements(CASE jsonb_typeof(r->'$1') WHEN 'array' THEN r->'$1' END)
	       WITH ORDINALITY a (v, o))
	SELECT count(*) FILTER (WHERE $3) || ' of ' || count(*) FROM el JOIN ipasn.$2 k USING (nip, seq)"
}
num() { echo "jsonb_typeof(r->'$1') = 'number' AND $2 IS DISTINCT FROM (r->>'$1')::numeric"; }
for h in "rwSkp skp $(num nilaiPrestasiKerja k.score) OR $(num tahun k.year)" \
	"rwKursus course $(num jumlahJam k.hours) OR $(num tahunKursus k.year) OR $(dmy k.start_date tanggalKursus)
	 OR $(dmy k.end_date tanggalSelesaiKursus) OR k.name IS DISTINCT FROM r->>'namaKursus'" \
	"rwPendidikan education $(num tahunLulus k.grad_year) OR $(dmy k.grad_date tglLulus)" \
	"rwHukdis sanction $(dmy k.sk_date skTanggal) OR $(dmy k.tmt hukumanTanggal)"; do
	# ARRAY TABLE CONDITION
	arr=${h%% *}
	h=${h#* }
	table=${h%% *}
	got=$(hist_mismatch "$arr" "$table" "${h#* }")
	case $got in
	"0 of 0") fail "$table: no rows to compare" ;;
	"0 of "*) ok "$table rows hold their records' values ($got differ)" ;;
	*) fail "$table: $got rows differ from their records" ;;
	esac
done
expect_eq "official values stored" "$(psql_val "
	WITH last AS (SELECT DISTINCT ON (r->>'nipBaru') r FROM rec ORDER BY r->>'nipBaru', n DESC)
	SELECT count(*) FILTER (WHERE o.total IS DISTINCT FROM round((r->'ipAsn'->>'total')::numeric, 1)
	                        OR o.year IS DISTINCT FROM (r->'ipAsn'->>'tahun')::int) = 0 AND count(*) > 50
	FROM last JOIN ipasn.official_ipasn o ON o.nip = r->>'nipBaru'
	WHERE jsonb_typeof(r->'ipAsn'->'total') = 'number' AND jsonb_typeof(r->'ipAsn'->'tahun') = 'number'")" t
psql_val "DROP TABLE rec" >/dev/null

# The journal lines of the full sync: each opened issue once.
expect_eq "dq_issue lines" "$(grep -c 'IPASN_EVENT=dq_issue' "$T_TMP/sync1.log")" \
	"$(wc -l <"$T_TMP/expected_issues" | tr -d ' ')"

# A second sync: nothing new, no issue logged again.
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "MODE=incremental" "$T_TMP/out"
expect_grep "INSERTED=0 UPDATED=0" "$T_TMP/out"
expect_grep "ISSUES_OPENED=0 ISSUES_RESOLVED=0" "$T_TMP/out"
if grep -q "IPASN_EVENT=dq_issue" "$T_TMP/out"; then fail "an open issue was logged again"; fi
ok "a second sync changes nothing and logs no issue again"

# Incremental: 25 records change (a new course each); only they are
# rewritten, and of their histories only the courses.
psql_val "CREATE TABLE public.snap AS
	SELECT 'course' h, nip, seq, xmin::text x FROM ipasn.course UNION ALL
	SELECT 'education', nip, seq, xmin::text FROM ipasn.education UNION ALL
	SELECT 'skp22', nip, seq, xmin::text FROM ipasn.skp22 UNION ALL
	SELECT 'skp', nip, seq, xmin::text FROM ipasn.skp" >/dev/null
t0=$(psql_val "SELECT now()")
sim_admin "mutate?count=25" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "MODE=incremental" "$T_TMP/out"
expect_eq "employees rewritten" \
	"$(psql_val "SELECT count(*) FROM ipasn.employee WHERE changed_at > '$t0'")" 25
expect_eq "sync_run counts the updates" \
	"$(psql_val "SELECT updated || ' ' || inserted FROM ipasn.sync_run ORDER BY id DESC LIMIT 1")" "25 0"
changed_rows() { # HISTORY: rows of the 25 employees, kept (same xmin) and all
	psql_val "SELECT count(*) FILTER (WHERE s.x = n.x) || ' ' || count(*)
		FROM (SELECT nip, seq, xmin::text x FROM ipasn.$1) n
		JOIN ipasn.employee e ON e.nip = n.nip AND e.changed_at > '$t0'
		LEFT JOIN public.snap s ON s.h = '$1' AND s.nip = n.nip AND s.seq = n.seq"
}
for h in education skp22 skp; do
	kept=$(changed_rows $h)
	[ "${kept#* }" -gt 0 ] || fail "none of the 25 has $h rows"
	expect_eq "their $h rows kept" "${kept% *}" "${kept#* }"
done
expect_eq "their courses rewritten" "$(changed_rows course | cut -d' ' -f1)" 0
for nip in $(psql_val "SELECT nip FROM ipasn.employee WHERE changed_at > '$t0'"); do
	expect_eq "courses of $nip" "$(psql_val "SELECT count(*) FROM ipasn.course WHERE nip = '$nip'")" \
		"$(curl -sf "$SIM_URL/v1/asn/$nip" | jq '.data.rwKursus | length')"
done
ok "incremental sync rewrites only the 25 changed employees, and only their courses"

# Rows stored without history hashes are replaced whole.
psql_val "UPDATE ipasn.employee SET history_hash = NULL" >/dev/null
t0=$(psql_val "SELECT now()")
sim_admin "mutate?count=5" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_eq "employees rewritten" \
	"$(psql_val "SELECT count(*) FROM ipasn.employee WHERE changed_at > '$t0'")" 5
for h in education skp22; do
	expect_eq "their $h rows rewritten" "$(changed_rows $h | cut -d' ' -f1)" 0
done
expect_eq "and hashed again" "$(psql_val "SELECT count(*) FROM ipasn.employee
	WHERE changed_at > '$t0' AND cardinality(history_hash) = 7")" 5
psql_val "DROP TABLE public.snap" >/dev/null
ok "histories stored without hashes are replaced whole"

# A tombstone: the employee leaves every aggregate and his issues resolve.
victim=$(psql_val "SELECT nip FROM ipasn.v_open_issue o JOIN ipasn.v_employee_score s USING (nip)
                   WHERE s.opd_id IS NOT NULL AND s.period = $period LIMIT 1")
opd=$(psql_val "SELECT opd_id FROM ipasn.v_employee_score WHERE nip = '$victim'")
before=$(psql_val "SELECT employees FROM ipasn.v_opd_score WHERE opd_id = '$opd' AND period = $period")
sim_admin "delete?nip=$victim" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_eq "tombstone inactive" "$(psql_val "SELECT active FROM ipasn.employee WHERE nip = '$victim'")" f
expect_eq "tombstone out of v_employee_score" \
	"$(psql_val "SELECT count(*) FROM ipasn.v_employee_score WHERE nip = '$victim'")" 0
expect_eq "tombstone's issues resolved" \
	"$(psql_val "SELECT count(*) FROM ipasn.v_open_issue WHERE nip = '$victim'")" 0
expect_eq "its OPD counts one less" \
	"$(psql_val "SELECT employees FROM ipasn.v_opd_score WHERE opd_id = '$opd' AND period = $period")" \
	"$((before - 1))"
expect_grep "IPASN_EVENT=dq_resolved NIP=$victim" "$T_TMP/out"
ok "a tombstone leaves the aggregates at once"

# Fixing a record in SIMPEG resolves its issues, with a dq_resolved line.
fixed=$(psql_val "SELECT nip FROM ipasn.v_open_issue WHERE code = 'skp_missing' LIMIT 1")
[ -n "$fixed" ] || fail "no employee with skp_missing in the data"
sim_admin "fix?nip=$fixed" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_eq "skp_missing resolved" "$(psql_val "SELECT count(*) FROM ipasn.v_open_issue
	WHERE nip = '$fixed' AND code = 'skp_missing'")" 0
expect_grep "IPASN_EVENT=dq_resolved NIP=$fixed .*DQ_CODE=skp_missing" "$T_TMP/out"
ok "a fixed record resolves its issue"

# After these incremental syncs, whose pages kept the aggregates' running
# sums, the aggregates still equal the means of the scores they stand for.
expect_eq "OPD aggregates follow the incremental changes" "$(psql_val "SELECT count(*) FROM
	(SELECT opd_id, count(*) n, round(avg(total), 2) t FROM ipasn.v_employee_score
	 WHERE period = $period AND opd_id IS NOT NULL GROUP BY opd_id) x
	FULL JOIN (SELECT opd_id, employees n, total t FROM ipasn.v_opd_score WHERE period = $period) y
	USING (opd_id) WHERE x.n IS DISTINCT FROM y.n OR x.t IS DISTINCT FROM y.t")" 0
expect_eq "instansi aggregate follows them" \
	"$(psql_val "SELECT employees || ' ' || total FROM ipasn.v_instansi_score WHERE period = $period")" \
	"$(psql_val "SELECT count(*) || ' ' || round(avg(total), 2) FROM ipasn.v_employee_score
	             WHERE period = $period")"

# Nothing is stored twice.
expect_eq "no duplicate employee" "$(psql_val "SELECT count(*) - count(DISTINCT nip) FROM ipasn.employee")" 0
expect_eq "no listing left open" "$(psql_val "SELECT count(*) FROM ipasn.sync_state
	WHERE cursor IS NOT NULL OR listing_mode IS NOT NULL")" 0
expect_eq "every run ok" "$(psql_val "SELECT string_agg(DISTINCT status, ',') FROM ipasn.sync_run")" ok

# One bad record three times in a page, then once in the next sync: one
# quarantine row, seen four times; the other rows are not touched.
before=$(psql_val "SELECT sum(times_seen) || ' ' || count(*) FROM ipasn.quarantine")
sim_admin "fault?kind=rejects&copies=3" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
sim_admin "fault?kind=rejects&copies=1" >/dev/null
expect_exit 0 "$IPASND" -c "$C" sync
expect_grep "QUARANTINED=1 " "$T_TMP/out"
expect_eq "repeated bad record: one row, seen 4 times" "$(psql_val "SELECT times_seen || ' ' || code
	FROM ipasn.quarantine WHERE raw::jsonb = '{\"nipBaru\":\"198804122014031002\",
	\"jenisJabatanId\":\"4\"}'")" "4 record_malformed"
expect_eq "other quarantine rows untouched" \
	"$(psql_val "SELECT sum(times_seen) - 4 || ' ' || count(*) - 1 FROM ipasn.quarantine")" "$before"
