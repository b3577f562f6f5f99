#!/bin/sh
# Generates ./configure from configure.ac.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux/m4
autoreconf --install --force --warnings=all
