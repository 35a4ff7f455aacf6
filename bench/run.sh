#!/usr/bin/env bash
# Builds the benchmark in Release (-O2 -g) and prints everything:
#   bench/run.sh                  the table, scaling, threads, callgrind counts
#   bench/run.sh table [ARGS]     the per-message table and scaling only
#   bench/run.sh threads          1 vs 2 threads (not pinned: needs 2 CPUs)
#   bench/run.sh callgrind        instructions per message (valgrind)
#   bench/run.sh profile [MSG]    callgrind_annotate of sipmsg's parse path
#   bench/run.sh stepcost [FILES] the proxy step and the route helper alone
# ARGS go to the bench binary (--batch-ms N, --batches N, --only TEXT ...).
# Environment: BUILD_DIR (default build-bench), CC, CFLAGS (extra compiler
# flags, e.g. -march=native), QUICK=1 for short batches.
# The timed parts are pinned to CPU 1 with taskset when it is available.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build-bench}
what=${1:-all}
[ $# -gt 0 ] && shift

cmake -S . -B "$build" -DSIPMSG_BUILD_BENCH=ON -DSIPMSG_BUILD_TESTS=OFF \
      -DSIPMSG_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_FLAGS_RELEASE="-O2 -g -DNDEBUG" -DCMAKE_C_FLAGS="${CFLAGS:-}" \
      ${CC:+-DCMAKE_C_COMPILER=$CC} \
      >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
grep 'bench:' "$build.configure.log" | sed 's/^-- /# /' || true
cmake --build "$build" --target sipmsg_bench sipmsg_stepcost -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
bin=$root/$build/bench/bench

. bench/common.sh # pin, callgrind_per_call
quick=()
[ "${QUICK:-0}" = 1 ] && quick=(--batch-ms 60 --batches 5)

messages() { grep -v '^#' bench/messages/MANIFEST | awk 'NF { sub(/\.sip$/, "", $1); print $1 }'; }

# Instructions per message: callgrind collects only inside bench_once_loop,
# which runs N iterations after a verified warm-up call.
instr() { # lib mode msg bytes
  local n=$(( 300000 / $4 )); [ $n -lt 10 ] && n=10; [ $n -gt 1000 ] && n=1000
  callgrind_per_call bench_once_loop "$n" "$bin" --once "$1" "$2" "$3" "$n"
}

run_callgrind() {
  command -v valgrind >/dev/null || { echo "valgrind not found: no instruction counts"; return; }
  local libs=(sipmsg sipmsg-frame sipmsg-edit) l m md bytes row v sp fl
  for l in libosip2 sofia-sip; do
    "$bin" --once "$l" parse 01 0 >/dev/null 2>&1 && libs+=("$l")
  done
  echo
  echo "## Instructions per message (valgrind --tool=callgrind, collected in bench_once_loop)"
  echo "## x floor: parse instructions / the floor's; '-': not available or rejected"
  echo
  echo "| message | bytes | library | parse | access | roundtrip | edit | route | x floor |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
  for m in $(messages); do
    bytes=$(wc -c <"bench/messages/$m.sip")
    fl=$(instr floor parse "$m" "$bytes")
    for l in "${libs[@]}"; do
      row="| $m | $bytes | $l |"; sp=-
      for md in parse access roundtrip edit route; do
        v=$(instr "$l" "$md" "$m" "$bytes")
        [ "$md" = parse ] && sp=$v
        row+=" $v |"
      done
      row+=" $(awk -v a="$sp" -v b="$fl" 'BEGIN { if (b+0 > 0 && a+0 > 0) printf "%.2fx", a / b; else printf "-" }') |"
      echo "$row"
    done
    echo "| $m | $bytes | floor | $fl | | | | | 1 |"
  done
}

run_profile() {
  local m=${1:-09-register-auth} out=$build/callgrind.profile
  valgrind --tool=callgrind --toggle-collect=bench_once_loop --dump-instr=yes \
    --callgrind-out-file="$out" "$bin" --once sipmsg parse "$m" 2000 >/dev/null 2>&1
  echo "## callgrind profile: sipmsg parse of $m x 2000 ($out)"
  callgrind_annotate "$out" | sed -n '/^Ir/,$p' | head -40
}

case $what in
  all)
    "${pin[@]}" "$bin" --no-threads "${quick[@]}" "$@"
    "$bin" --threads-only "$@"
    run_callgrind ;;
  table) "${pin[@]}" "$bin" --no-threads "${quick[@]}" "$@" ;;
  threads) "$bin" --threads-only "$@" ;;
  callgrind) run_callgrind ;;
  profile) run_profile "$@" ;;
  stepcost) "${pin[@]}" "$root/$build/bench/stepcost" "$@" ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
