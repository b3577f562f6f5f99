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
# is read from the JSON summary next to it. Prints one line of key=value:
#   peak_rss_mb   the whole process (/usr/bin/time), including the shutdown,
#                 whose final chainstate flush is often the peak;
#   tip_rss_mb    the peak up to the moment shutdown began (VmHWM sampled every
#                 0.1 s while the log has no "Shutdown: In progress" yet): the
#                 figure ../shared/bench/ibd.sh reports, which reads VmHWM once
#                 the tip is reached, before stopping the node.
# The node does not listen (-listen=0), so runs do not collide with other
# nodes on the machine; nothing on the import path depends on it.
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
common=(-regtest -datadir="$work/data" -stopatheight="$height" -printtoconsole=0 -server=0 -listen=0)
log=$work/data/regtest/debug.log

if [ "$mode" = reindex-chainstate ]; then
    # Populate first (not timed), then time the rebuild of the chainstate.
    "$cairnd" "${common[@]}" -loadblock="$chain" "$@"
    args=(-reindex-chainstate)
else
    args=(-loadblock="$chain")
fi
# The log of the populating run must not count as this run's shutdown.
[ -f "$log" ] && mv "$log" "$log.populate"
load=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$cairnd" "${common[@]}" "${args[@]}" "$@" &
time_pid=$!
# Peak RSS before shutdown: the last VmHWM read while the log did not yet say
# the shutdown had begun (read first, then check the log).
tip_kb=0
node_pid=
while kill -0 "$time_pid" 2>/dev/null; do
    [ -n "$node_pid" ] || node_pid=$(ps -o pid= --ppid "$time_pid" | tr -d ' ' | head -1)
    if [ -n "$node_pid" ]; then
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$node_pid/status" 2>/dev/null || true)
        if [ -f "$log" ] && grep -q "Shutdown: In progress" "$log"; then break; fi
        [ -n "$hwm" ] && tip_kb=$hwm
    fi
    sleep 0.1
done
wait "$time_pid"
read -r wall user sys rss_kb < "$work/time.txt"
tip=$(grep -o "new best=[0-9a-f]* height=$height " "$log" | tail -1 | cut -d= -f2 | cut -d' ' -f1)
echo "mode=$mode wall_s=$wall cpu_s=$(awk "BEGIN{print $user + $sys}") peak_rss_mb=$((rss_kb / 1024)) tip_rss_mb=$((tip_kb / 1024)) tip=$tip load_avg_before=$load chainstate_bytes=$(du -sb "$work/data/regtest/chainstate" | cut -f1)"
