#!/usr/bin/env bash
# The body views measured (bench/body.c), built in Release (-O2 -g):
#   bench/body.sh            the time table, then callgrind instructions
#   bench/body.sh table      ns per body and allocations per body only
#   bench/body.sh callgrind  instructions per body only (valgrind)
# Environment: BUILD_DIR (default build-bench-body), CC.
# The timed part is pinned to CPU 1 with taskset when it is available.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench-body}
what=${1:-all}
cmake -S . -B "$build" -DSIPMSG_BUILD_BENCH=ON -DSIPMSG_BUILD_TESTS=OFF \
      -DSIPMSG_BUILD_EXAMPLES=OFF -DSIPMSG_BUILD_FUZZ=OFF -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_FLAGS_RELEASE="-O2 -g -DNDEBUG" ${CC:+-DCMAKE_C_COMPILER=$CC} \
      >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
grep 'bench: sofia' "$build.configure.log" | sed 's/^-- /# /' || true
cmake --build "$build" --target sipmsg_bench_body -j2 >/dev/null
bin=$PWD/$build/bench/bench_body
. bench/common.sh # pin, callgrind_per_call

# Instructions per body: callgrind collects only inside body_once_loop,
# which runs N iterations after a checked warm-up call.
instr() { # lib mode body
  callgrind_per_call body_once_loop 500 "$bin" --once "$1" "$2" "$3" 500
}

run_callgrind() {
  command -v valgrind >/dev/null || { echo "valgrind not found"; return; }
  echo
  echo "## Instructions per body (valgrind --tool=callgrind, collected in body_once_loop)"
  echo
  echo "| body | bytes | library | mode | instructions | sofia-sip / sipmsg |"
  echo "|---|---:|---|---|---:|---:|"
  local lib mode body bytes v
  declare -A base
  while read -r lib mode body bytes; do
    v=$(instr "$lib" "$mode" "$body")
    if [ "$lib" = sipmsg ]; then
      base[$mode.$body]=$v
      echo "| $body | $bytes | $lib | $mode | $v | |"
    else
      echo "| $body | $bytes | $lib | $mode | $v | $(awk -v a="$v" -v b="${base[$mode.$body]:-0}" \
        'BEGIN { if (b > 0 && a > 0) printf "%.1fx", a / b; else printf "-" }') |"
    fi
  done < <("$bin" --list | sort -s -k3,3)
}

case $what in
  all) "${pin[@]}" "$bin"; run_callgrind ;;
  table) "${pin[@]}" "$bin" ;;
  callgrind) run_callgrind ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
