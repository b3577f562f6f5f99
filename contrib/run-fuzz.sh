#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for
# FUZZ_SECONDS (default 15) from an empty corpus. Any crash fails the run.
# Every target the binary lists (FUZZ=list) runs, process_message (the whole
# P2P message handler) included; FUZZ_TARGETS="a b" runs only those.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${FUZZ_BUILD_DIR:-$top/build-fuzz}
seconds=${FUZZ_SECONDS:-15}
CC=clang CXX=clang++ MAKE_TARGETS=test/fuzz/cairn-fuzz "$top/contrib/build.sh" "$dir" --enable-fuzz
bin="$dir/test/fuzz/cairn-fuzz"
targets=${FUZZ_TARGETS:-$(FUZZ=list "$bin")}
status=0
for t in $targets; do
    corpus=$(mktemp -d)
    if FUZZ=$t "$bin" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 "$corpus" \
        >"$dir/fuzz-$t.log" 2>&1; then
        echo "fuzz $t: ok ($(grep -oE 'Done [0-9]+ runs' "$dir/fuzz-$t.log" | head -1))"
    else
        echo "fuzz $t: FAILED"; tail -40 "$dir/fuzz-$t.log"; status=1
    fi
    rm -rf "$corpus"
done
exit $status
