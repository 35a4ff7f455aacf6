#!/usr/bin/env bash
# The ABI baseline of libsipmsg.so (libabigail: abidw, abidiff; Debian
# package abigail-tools).
#
#   tools/abi.sh check  BUILD_DIR   compare BUILD_DIR/libsipmsg.so with the
#                                   committed baseline abi/libsipmsg.abi
#   tools/abi.sh update [BUILD_DIR] rewrite the baseline from BUILD_DIR, or,
#                                   without one, from a fresh gcc
#                                   RelWithDebInfo build in build-abi/
#   tools/abi.sh dump   BUILD_DIR   print the library's ABI (abixml)
#
# Only the public ABI is compared: the types declared under include/ and
# reachable from an exported symbol. The baseline comes from the gcc
# RelWithDebInfo build (the one tools/test.sh makes in build-test/gcc, or
# build-abi/): abidw reads DWARF, so another compiler or no -g differs.
#
# The rule (README, "Versioning"): while the major is 0 the SONAME is
# libsipmsg.so.0.MINOR. An incompatible change (a removed or changed
# function, variable or public type: a struct field added, removed or
# moved, an enumerator renumbered) needs a new minor, that is a new SONAME,
# in the same commit as the new baseline; `update` refuses it otherwise.
# Compatible changes (added functions, added enumerators) need only the
# new baseline. abi/libsipmsg.abignore tells abidiff that the *_COUNT_
# sentinels may grow; it already counts added enumerators as harmless.
#
# Exit status: 0 equal / updated, 1 different / refused, 77 abidw or
# abidiff missing (ctest skips the test), 2 usage.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
baseline=$src/abi/libsipmsg.abi
suppr=$src/abi/libsipmsg.abignore

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 1 ] || usage
cmd=$1
shift

for tool in abidw abidiff; do
  if ! command -v $tool >/dev/null; then
    echo "abi: $tool not found (libabigail); skipped. Install it with:" >&2
    echo "  sudo apt-get install -y abigail-tools" >&2
    exit 77
  fi
done

# The library of a build dir, after checking that the build is the one
# the baseline is made from (gcc, RelWithDebInfo, no sanitizer).
library() { # build dir
  local dir=$1 cache=$1/CMakeCache.txt so
  so=$dir/libsipmsg.so
  if [ ! -e "$so" ]; then
    echo "abi: no $so (build the sipmsg_shared target first)" >&2
    exit 1
  fi
  if [ -f "$cache" ]; then
    local type cc san
    type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
    san=$(sed -n 's/^SIPMSG_SANITIZE:[A-Z]*=//p' "$cache")
    cc=$(cat "$dir"/CMakeFiles/*/CMakeCCompiler.cmake 2>/dev/null |
         sed -n 's/^set(CMAKE_C_COMPILER_ID "\(.*\)")$/\1/p' | head -1)
    if [ "$type" != RelWithDebInfo ] || [ "$cc" != GNU ] ||
       [ "${san:-OFF}" != OFF ]; then
      echo "abi: $dir is not a gcc RelWithDebInfo build without sanitizers" \
           "(compiler '$cc', build type '$type', sanitize '${san:-OFF}')," \
           "the kind the baseline is made from" >&2
      exit 1
    fi
  fi
  readlink -f "$so"
}

dump() { # library, output file
  abidw --headers-dir "$src/include" --drop-private-types \
        --no-corpus-path --no-comp-dir-path --no-show-locs \
        --type-id-style hash --out-file "$2" "$1"
}

soname_of() { # abixml
  sed -n "1s/.* soname='\([^']*\)'.*/\1/p" "$1"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs abidiff baseline -> new into $tmp/report; sets $rc (abidiff's bits:
# 1 error, 2 usage, 4 ABI change, 8 incompatible change).
compare() { # new abixml
  rc=0
  abidiff --no-default-suppression --suppressions "$suppr" \
          "$baseline" "$1" >"$tmp/report" 2>&1 || rc=$?
  if [ $((rc & 3)) -ne 0 ]; then
    cat "$tmp/report" >&2
    echo "abi: abidiff failed (status $rc)" >&2
    exit 1
  fi
}

# Sorts a difference from abidiff's summary lines ("Functions changes
# summary: 0 Removed, 1 Changed, 2 Added functions", the same for variables
# and for symbols without debug info): incompatible when anything was
# removed or changed, compatible when things were only added (abidiff
# already filters added enumerators as harmless, and abi/libsipmsg.abignore
# the *_COUNT_ sentinels) or only the SONAME changed.
kind() { # sets $kind
  if [ "$rc" -eq 0 ]; then
    kind=equal
  elif [ $((rc & 8)) -ne 0 ] ||
       grep -E 'summary: ' "$tmp/report" |
         grep -Eq ': [1-9][0-9]* Removed|, [1-9][0-9]* Changed'; then
    kind=incompatible
  else
    kind=compatible
  fi
}

rule() {
  local old=$1 new=$2
  cat >&2 <<EOF

The public ABI of $new differs from abi/libsipmsg.abi ($old).
The rule (README, "Versioning"):
  - compatible (only added functions, variables or enumerators):
      update the baseline:  tools/abi.sh update BUILD_DIR
  - incompatible (anything else): raise the minor version in CMakeLists.txt
    project(VERSION) and SIPMSG_VERSION_* in include/sipmsg/common.h (the
    SONAME becomes libsipmsg.so.0.MINOR), rebuild, then
      tools/abi.sh update BUILD_DIR
    and commit the baseline with the version change.
EOF
}

case $cmd in
dump)
  [ $# -eq 1 ] || usage
  so=$(library "$1")
  dump "$so" /dev/stdout
  ;;
check)
  [ $# -eq 1 ] || usage
  so=$(library "$1")
  if [ ! -f "$baseline" ]; then
    echo "abi: no baseline $baseline; make it with tools/abi.sh update $1" >&2
    exit 1
  fi
  dump "$so" "$tmp/new.abi"
  compare "$tmp/new.abi"
  kind
  old=$(soname_of "$baseline")
  new=$(soname_of "$tmp/new.abi")
  if [ "$kind" = equal ]; then
    echo "abi: $new matches abi/libsipmsg.abi"
    exit 0
  fi
  cat "$tmp/report"
  echo "abi: $kind change" >&2
  rule "$old" "$new"
  exit 1
  ;;
update)
  [ $# -le 1 ] || usage
  if [ $# -eq 1 ]; then
    dir=$1
  else
    dir=$src/build-abi
    echo "abi: building libsipmsg.so in $dir (gcc, RelWithDebInfo)" >&2
    cmake -S "$src" -B "$dir" -DCMAKE_C_COMPILER=gcc \
          -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPMSG_SANITIZE=OFF \
          -DSIPMSG_BUILD_TESTS=OFF -DSIPMSG_BUILD_EXAMPLES=OFF \
          -DSIPMSG_BUILD_BENCH=OFF -DSIPMSG_BUILD_FUZZ=OFF >/dev/null
    cmake --build "$dir" -j2 --target sipmsg_shared >/dev/null
  fi
  so=$(library "$dir")
  dump "$so" "$tmp/new.abi"
  new=$(soname_of "$tmp/new.abi")
  if [ -f "$baseline" ]; then
    compare "$tmp/new.abi"
    kind
    old=$(soname_of "$baseline")
    if [ "$kind" = incompatible ] && [ "$old" = "$new" ]; then
      cat "$tmp/report"
      echo "abi: refused: an incompatible change keeps the SONAME $new" >&2
      rule "$old" "$new"
      exit 1
    fi
    if [ "$kind" = equal ]; then
      echo "abi: no ABI change ($new)" >&2
    else
      cat "$tmp/report" >&2
      echo "abi: $kind change ($old -> $new)" >&2
    fi
  fi
  mkdir -p "$(dirname "$baseline")"
  cp "$tmp/new.abi" "$baseline"
  echo "abi: wrote abi/libsipmsg.abi ($new)"
  ;;
*)
  usage
  ;;
esac
