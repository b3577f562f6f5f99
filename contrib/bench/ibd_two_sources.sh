#!/usr/bin/env bash
# ibd_two_sources.sh - P2P IBD of the benchmark chain from TWO serving nodes on loopback.
#
#   NODE_DAEMON=/path/to/cairnd contrib/bench/ibd_two_sources.sh CHAIN_FILE
#
# The issue asks for the IBD figure "with two serving peers" beside the one-source figure of
# ../shared/bench/ibd.sh. This script makes that measurement with the shared script itself, so
# both figures are timed the same way:
#   1. imports CHAIN_FILE once into a source datadir (-loadblock; not timed) and copies it;
#   2. starts the second source on the copy (ports BASE_PORT+4, +5) and waits for its tip;
#   3. runs ../shared/bench/ibd.sh with SOURCE_DATADIR=<first copy> and the node under test
#      told to -connect to the second source as well;
#   4. prints ibd.sh's lines plus how many bytes each source sent (both must have served).
#
# Environment: NODE_DAEMON (required), SOURCE_DAEMON (default NODE_DAEMON), NODE_ARGS,
# BASE_PORT (default 29440; uses 6 ports), WORKDIR (default mktemp -d), KEEP=1.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED_BENCH:-$HERE/../../../shared/bench}
TOOL="python3 $SHARED/benchtool.py"
CHAIN=$(readlink -f "${1:?usage: NODE_DAEMON=... $0 CHAIN_FILE}")
: "${NODE_DAEMON:?NODE_DAEMON is not set}"
SOURCE_DAEMON=${SOURCE_DAEMON:-$NODE_DAEMON}
BASE_PORT=${BASE_PORT:-29440}
SRC2_P2P=$((BASE_PORT + 4)); SRC2_RPC=$((BASE_PORT + 5)); PREP_RPC=$((BASE_PORT + 5))
RPCUSER=ibd2bench; RPCPASS=ibd2bench-$$
AUTH="--user $RPCUSER --password $RPCPASS"
if [ -z "${WORKDIR:-}" ]; then WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/ibd2-bench.XXXXXX"); fi
mkdir -p "$WORKDIR"
PID2=""
cleanup() {
    if [ -n "$PID2" ] && kill -0 "$PID2" 2>/dev/null; then
        $TOOL rpc --port "$SRC2_RPC" $AUTH stop >/dev/null 2>&1
        for _ in $(seq 1 300); do kill -0 "$PID2" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$PID2" 2>/dev/null
    fi
    [ "${KEEP:-0}" = 1 ] && echo "workdir=$WORKDIR" || rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source_args() {   # datadir p2p rpc
    echo -regtest -server=1 -listen=1 -dnsseed=0 -fixedseeds=0 -discover=0 -listenonion=0 \
        -printtoconsole=0 -rpcallowip=127.0.0.1 -rpcuser=$RPCUSER -rpcpassword=$RPCPASS \
        -datadir="$1" -bind=127.0.0.1:"$2" -port="$2" -rpcbind=127.0.0.1 -rpcport="$3" \
        -whitelist=download@127.0.0.1
}

read -r TIP_HEIGHT TIP_HASH < <($TOOL chaintip "$CHAIN")

# 1. one import, two copies
SRC1=$WORKDIR/source1; SRC2=$WORKDIR/source2
mkdir -p "$SRC1"
# shellcheck disable=SC2046
"$SOURCE_DAEMON" $(source_args "$SRC1" "$SRC2_P2P" "$PREP_RPC") -connect=0 -loadblock="$CHAIN" \
    >"$WORKDIR/prep.out" 2>&1 &
PID2=$!
$TOOL wait --port "$PREP_RPC" $AUTH --height "$TIP_HEIGHT" --pid "$PID2" --timeout 3600 --interval 0.5 >/dev/null \
    || { echo "import into the source datadir failed" >&2; exit 3; }
$TOOL rpc --port "$PREP_RPC" $AUTH stop >/dev/null
wait "$PID2"; PID2=""
cp -a "$SRC1" "$SRC2"

# 2. the second source
# shellcheck disable=SC2046
"$SOURCE_DAEMON" $(source_args "$SRC2" "$SRC2_P2P" "$SRC2_RPC") -connect=0 >"$WORKDIR/source2.out" 2>&1 &
PID2=$!
$TOOL wait --port "$SRC2_RPC" $AUTH --height "$TIP_HEIGHT" --pid "$PID2" --timeout 600 --interval 0.2 >/dev/null \
    || { echo "second source did not come up" >&2; exit 3; }
sent_before=$($TOOL rpc --port "$SRC2_RPC" $AUTH getnettotals | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalbytessent"])')

# 3. the shared script, with the second source added to the node under test
OUT=$(SOURCE_DATADIR="$SRC1" WORKDIR="$WORKDIR/run" BASE_PORT=$BASE_PORT SOURCE_DAEMON="$SOURCE_DAEMON" \
      NODE_DAEMON="$NODE_DAEMON" NODE_ARGS="-connect=127.0.0.1:$SRC2_P2P ${NODE_ARGS:-}" \
      bash "$SHARED/ibd.sh" "$CHAIN")
rc=$?
echo "$OUT"
sent_after=$($TOOL rpc --port "$SRC2_RPC" $AUTH getnettotals | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalbytessent"])')
echo "source2_bytes_sent=$((sent_after - sent_before))"
echo "chain_file_bytes=$(stat -c %s "$CHAIN")"
exit $rc
