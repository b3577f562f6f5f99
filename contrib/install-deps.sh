#!/usr/bin/env bash
# Installs what building and testing Cairn needs on Debian 12, as root.
# Installs only what is missing, so a second run is quick.
set -euo pipefail
PKGS=(build-essential autoconf autoconf-archive automake libtool pkg-config
      libsecp256k1-dev libleveldb-dev libboost-dev libboost-test-dev libevent-dev
      libzmq3-dev libunivalue-dev libfmt-dev bzip2 python3 python3-zmq clang libclang-rt-14-dev)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
