#!/usr/bin/env bash
# Installs sipmsg into a temporary prefix, then builds and runs a consumer
# against it with find_package (shared and static) and with pkg-config.
# usage: install_consumer.sh BUILD_DIR SOURCE_DIR C_COMPILER
set -euo pipefail
build=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$tmp/cbuild" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cbuild" >/dev/null
LD_LIBRARY_PATH="$tmp/prefix/lib:$tmp/prefix/lib64" "$tmp/cbuild/consumer"
"$tmp/cbuild/consumer_static"
pcdir=$(dirname "$(find "$tmp/prefix" -name sipmsg.pc | head -n1)")
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs sipmsg)
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Werror "$src/tests/consumer.c" $flags -o "$tmp/pc_consumer"
LD_LIBRARY_PATH="$tmp/prefix/lib:$tmp/prefix/lib64" "$tmp/pc_consumer"
test -x "$tmp/prefix/bin/sipcat" || { echo "sipcat not installed"; exit 1; }
echo "install consumer: ok"
