# The fuzz targets' seed corpora (fuzz/corpus/), every file replayed once
# through its target's LLVMFuzzerTestOneInput by fuzz/replay.c, built with
# this build's compiler and sanitizers: no input breaks an invariant of the
# target, trips a sanitizer or leaks, and none is left out.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# The libconfig leak fuzz_config suppresses, not listed after every input.
LSAN_OPTIONS="print_suppressions=0:${LSAN_OPTIONS:-}"
export LSAN_OPTIONS

for target in decode config; do
	corpus=$top_srcdir/fuzz/corpus/$target
	bin=$top_builddir/fuzz/replay_$target
	[ -x "$bin" ] || fail "$bin not built"
	n=$(find "$corpus" -type f ! -name '.*' | wc -l)
	[ "$n" -gt 0 ] || fail "no inputs in $corpus"
	# fuzz_config's secret files go to this test's folder, kept on a failure.
	set +e
	TMPDIR=$T_TMP "$bin" "$corpus" >"$T_TMP/$target.out" 2>"$T_TMP/$target.err"
	rc=$?
	set -e
	if [ "$rc" -ne 0 ]; then
		tail -n 60 "$T_TMP/$target.err" >&2
		fail "fuzz/replay_$target $corpus exited $rc"
	fi
	expect_eq "fuzz_$target: the $n inputs of fuzz/corpus/$target replayed" \
		"$(cat "$T_TMP/$target.out")" "replayed $n inputs"
done
