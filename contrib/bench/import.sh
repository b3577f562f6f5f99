#!/usr/bin/env bash
# Times cairnd importing a blk-format chain file, the way issue 3's
# benchmark asks: wall time, CPU time and peak memory of
#   -loadblock            (a fresh datadir importing the file), or
#   -reindex-chainstate   (a populated datadir rebuilding its chainstate).
#
# usage: contrib/bench/import.sh CHAIN_FILE [loadblock|reindex-chainstate] [cairnd args...]
#   CAIRND=path/to/cairnd   (default: build/src/cairnd)
#   WORKDIR=dir             (default: a new temporary directory, removed afterwards)
#
# The chain file is the one ../shared/bench/genchain.py writes; its tip height
# is read from the JSON summary next to it. Prints one line of key=value.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
chain=${1:?usage: import.sh CHAIN_FILE [loadblock|reindex-chainstate] [cairnd args...]}
mode=${2:-loadblock}
shift $(( $# >= 2 ? 2 : 1 ))
cairnd=${CAIRND:-$top/build/src/cairnd}
height=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tip_height"])' "$chain.json")
work=${WORKDIR:-$(mktemp -d)}
cleanup() { [ -n "${WORKDIR:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/data"
common=(-regtest -datadir="$work/data" -stopatheight="$height" -printtoconsole=0 -server=0)

if [ "$mode" = reindex-chainstate ]; then
    # Populate first (not timed), then time the rebuild of the chainstate.
    "$cairnd" "${common[@]}" -loadblock="$chain" "$@"
    args=(-reindex-chainstate)
else
    args=(-loadblock="$chain")
fi
load=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$cairnd" "${common[@]}" "${args[@]}" "$@"
read -r wall user sys rss_kb < "$work/time.txt"
tip=$(grep -o "new best=[0-9a-f]* height=$height " "$work/data/regtest/debug.log" | tail -1 | cut -d= -f2 | cut -d' ' -f1)
echo "mode=$mode wall_s=$wall cpu_s=$(awk "BEGIN{print $user + $sys}") peak_rss_mb=$((rss_kb / 1024)) tip=$tip load_avg_before=$load chainstate_bytes=$(du -sb "$work/data/regtest/chainstate" | cut -f1)"
