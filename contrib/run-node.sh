#!/usr/bin/env bash
# Installs dependencies, builds Cairn and runs it.
#
# Starts a regtest node in the foreground (Ctrl-C or the stop RPC ends it);
# extra arguments go to cairnd.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/contrib/install-deps.sh"
"$top/contrib/build.sh" "$top/build" --enable-werror
if [ -x "$top/build/src/cairnd" ]; then
    exec "$top/build/src/cairnd" -regtest "$@"
fi
echo "Error: build/src/cairnd was not built" >&2
exit 1
