#!/usr/bin/env bash
# Installs dependencies, builds Cairn and runs every test:
#   1. the unit tests and the layering check (make check),
#   2. the same unit tests built with AddressSanitizer and UBSan,
#   3. every libFuzzer target for a few seconds (clang build, contrib/run-fuzz.sh),
#   4. the functional tests (test/functional/test_runner.py, two at a time),
# and prints one closing line "N passed, M failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/contrib/install-deps.sh" || exit 1

passed=0
failed=0
skipped=0
# Adds the test-case counts of a Boost.Test log (its short report) to the
# totals. Skipped cases (disabled ones, such as the crash test's child entry
# point) are reported as skipped, never as passed.
count_boost() {
    local log=$1 report p t s
    report=$(grep -E 'Test module .* (has passed|has failed) with' -A4 "$log")
    if [ -z "$report" ]; then
        echo "no Boost.Test report in $log"; failed=$((failed + 1)); return
    fi
    p=$(echo "$report" | sed -nE 's/^ *([0-9]+) test cases? out of ([0-9]+) passed.*/\1/p' | head -1)
    t=$(echo "$report" | sed -nE 's/^ *([0-9]+) test cases? out of ([0-9]+) passed.*/\2/p' | head -1)
    s=$(echo "$report" | sed -nE 's/^ *([0-9]+) test cases? out of ([0-9]+) skipped.*/\1/p' | head -1)
    p=${p:-0}; t=${t:-0}; s=${s:-0}
    passed=$((passed + p)); skipped=$((skipped + s)); failed=$((failed + t - p - s))
}

run_suite() { # NAME DIR [configure options]
    local name=$1 dir=$2; shift 2
    echo "=== $name: build"
    if ! "$top/contrib/build.sh" "$dir" "$@"; then
        echo "=== $name: BUILD FAILED"; failed=$((failed + 1)); return
    fi
    echo "=== $name: make check"
    if BOOST_TEST_REPORT_LEVEL=short make -C "$dir" -j2 check --no-print-directory >"$dir/check.out" 2>&1; then
        echo "=== $name: ok"
    else
        echo "=== $name: FAILED"
        cat "$dir"/cairn_tests.log "$dir"/contrib/devtools/*.log 2>/dev/null | tail -200
    fi
    grep -hE '^[a-z0-9_./-]+[^:]*: [0-9]+ cases$' "$dir/cairn_tests.log" 2>/dev/null | sed "s/^/  /"
    count_boost "$dir/cairn_tests.log"
    if grep -q '^PASS: contrib/devtools/check-layers.py' "$dir/check.out"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

run_suite "unit tests" "$top/build" --enable-werror
run_suite "unit tests (ASan+UBSan)" "$top/build-asan" --enable-sanitizers

# libFuzzer targets (clang, ASan+UBSan), a short run of each: bad input must
# never crash the parsers (P2P messages, blocks, transactions, scripts, encodings).
echo "=== fuzz targets (${FUZZ_SECONDS:=10} s each)"
mkdir -p "$top/build-fuzz"
FUZZ_SECONDS=$FUZZ_SECONDS bash "$top/contrib/run-fuzz.sh" >"$top/build-fuzz/fuzz.out" 2>&1
grep -E '^fuzz ' "$top/build-fuzz/fuzz.out" | sed 's/^/  /'
fz_ok=$(grep -cE '^fuzz .*: ok' "$top/build-fuzz/fuzz.out")
fz_bad=$(grep -cE '^fuzz .*: FAILED' "$top/build-fuzz/fuzz.out")
if [ "$fz_ok" -eq 0 ]; then echo "=== fuzz: no target ran"; tail -40 "$top/build-fuzz/fuzz.out"; fz_bad=$((fz_bad + 1)); fi
[ "$fz_bad" -gt 0 ] && tail -80 "$top/build-fuzz/fuzz.out"
passed=$((passed + fz_ok)); failed=$((failed + fz_bad))

# Functional tests: real cairnd processes on 127.0.0.1, two at a time.
echo "=== functional tests"
if [ -x "$top/build/src/cairnd" ]; then
    python3 "$top/test/functional/test_runner.py" --jobs=2 --cairnd="$top/build/src/cairnd" | tee "$top/build/functional.out"
    line=$(grep -E '^functional tests: ' "$top/build/functional.out" | tail -1)
    fp=$(echo "$line" | sed -nE 's/^functional tests: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1/p')
    ff=$(echo "$line" | sed -nE 's/^functional tests: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\2/p')
    fs=$(echo "$line" | sed -nE 's/^functional tests: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\3/p')
    if [ -z "$fp" ]; then echo "=== functional tests: runner did not finish"; failed=$((failed + 1)); fi
    passed=$((passed + ${fp:-0})); failed=$((failed + ${ff:-0})); skipped=$((skipped + ${fs:-0}))
else
    echo "=== functional tests: no cairnd binary"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
