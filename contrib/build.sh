#!/usr/bin/env bash
# Builds Cairn out of tree: contrib/build.sh DIR [configure options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1; shift
[ -x "$top/configure" ] || (cd "$top" && ./autogen.sh >/dev/null 2>&1)
mkdir -p "$dir"
cd "$dir"
# Reconfigure only when the options change, so repeated runs are incremental.
want="$*"
if [ ! -f Makefile ] || [ "$(cat .configure-args 2>/dev/null)" != "$want" ]; then
    "$top/configure" --quiet "$@"
    echo "$want" > .configure-args
fi
# MAKE_TARGETS (optional): build only these targets.
# shellcheck disable=SC2086
make -j"$(nproc)" --no-print-directory ${MAKE_TARGETS:-}
