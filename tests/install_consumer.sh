#!/usr/bin/env bash
# Installs sipmsg into a temporary prefix, then builds and runs a consumer
# against it with find_package (shared and static) and with pkg-config.
# usage: install_consumer.sh BUILD_DIR SOURCE_DIR C_COMPILER
set -euo pipefail
build=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
major=$(sed -n 's/^CMAKE_PROJECT_VERSION_MAJOR:[A-Z]*=//p' "$build/CMakeCache.txt")
minor=$(sed -n 's/^CMAKE_PROJECT_VERSION_MINOR:[A-Z]*=//p' "$build/CMakeCache.txt")
# The SONAME rule (README, "Versioning"): libsipmsg.so.0.MINOR while the
# major is 0, libsipmsg.so.MAJOR after; the CMake package takes the same
# minor only while the major is 0.
if [ "$major" = 0 ]; then want_soname=libsipmsg.so.0.$minor; else want_soname=libsipmsg.so.$major; fi
lib=$(find "$tmp/prefix" -name "$want_soname" | head -n1)
soname=$(readelf -d "${lib:-/dev/null}" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = "$want_soname" ] ||
  { echo "installed SONAME '$soname', want $want_soname"; exit 1; }
if [ "$major" = 0 ] && [ "$minor" -gt 0 ]; then
  if cmake -S "$src/tests/consumer" -B "$tmp/oldbuild" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_PREFIX_PATH="$tmp/prefix" -DSIPMSG_WANT="0.$((minor - 1))" \
        >/dev/null 2>&1; then
    echo "find_package(sipmsg 0.$((minor - 1))) accepted 0.$minor"; exit 1
  fi
fi
cmake -S "$src/tests/consumer" -B "$tmp/cbuild" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_PREFIX_PATH="$tmp/prefix" -DSIPMSG_WANT="$major.$minor" >/dev/null
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
