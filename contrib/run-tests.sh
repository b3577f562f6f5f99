#!/usr/bin/env bash
# Installs dependencies, builds Cairn and runs every test:
#   1. the unit tests and the layering check (make check),
#   2. the same unit tests built with AddressSanitizer and UBSan,
# and prints one closing line "N passed, M failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/contrib/install-deps.sh" || exit 1

passed=0
failed=0
# Adds the test-case counts of a Boost.Test log (its short report) to the totals.
count_boost() {
    local log=$1 line p t
    line=$(grep -E 'Test module .* (has passed|has failed) with' -A3 "$log" | grep -E 'test cases? out of' | head -1)
    if [ -z "$line" ]; then
        echo "no Boost.Test report in $log"; failed=$((failed + 1)); return
    fi
    p=$(echo "$line" | sed -E 's/^ *([0-9]+) test cases? out of ([0-9]+) passed.*/\1/')
    t=$(echo "$line" | sed -E 's/^ *([0-9]+) test cases? out of ([0-9]+) passed.*/\2/')
    passed=$((passed + p)); failed=$((failed + t - p))
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
