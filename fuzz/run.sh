#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs each for
# a bounded time. Used by .ci/run after the unit tests.
#
# Environment:
#   FUZZ_SECONDS  seconds per target (default: 40, lowered so that all the
#                 targets together stay under 6 minutes, build aside)
#   FUZZ_TARGETS  space-separated target names to run (default: all, i.e.
#                 every fuzz/fuzz_<name>.c)
#   FUZZ_BUILD    build directory (default: build-fuzz)
#
# A crash, leak, timeout or out-of-memory fails the run: the reproducer is
# printed in base64 with the stack, and the exit status is non-zero.
# The checked-in corpus is only read; new inputs go to a scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz/run.sh: clang not found; skipping the fuzz runs" >&2
  exit 0
fi

build=${FUZZ_BUILD:-build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)
echo "== fuzz: building in $build"
mkdir -p "$build"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSIPMSG_BUILD_FUZZ=ON -DSIPMSG_BUILD_TESTS=OFF -DSIPMSG_BUILD_EXAMPLES=OFF \
  -DSIPMSG_WERROR=OFF </dev/null >"$build/fuzz-cmake.log" 2>&1 ||
  { cat "$build/fuzz-cmake.log"; exit 1; }
targets=${FUZZ_TARGETS:-$(for f in fuzz/fuzz_*.c; do basename "$f" .c | sed 's/^fuzz_//'; done)}
bins=()
for t in $targets; do bins+=("fuzz_$t"); done
cmake --build "$build" -j"$jobs" --target "${bins[@]}" </dev/null >"$build/fuzz-build.log" 2>&1 ||
  { tail -50 "$build/fuzz-build.log"; exit 1; }

ntargets=$(echo $targets | wc -w)
default=$(( 360 / (ntargets > 0 ? ntargets : 1) ))
[ "$default" -gt 40 ] && default=40
secs=${FUZZ_SECONDS:-$default}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/sipmsg-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for t in $targets; do
  bin="$build/fuzz/fuzz_$t"
  work="$scratch/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  dirs=("$work/corpus")
  [ -d "fuzz/corpus/$t" ] && dirs+=("fuzz/corpus/$t")
  [ -d "tests/regressions/$t" ] && dirs+=("tests/regressions/$t")
  echo "== fuzz: $t for ${secs}s"
  rc=0
  "$bin" -max_total_time="$secs" -dict=fuzz/sip.dict -max_len=65536 -timeout=5 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "${dirs[@]}" </dev/null >"$work/log" 2>&1 || rc=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' \
    "$work/log" | sed "s/^/   $t: /" || true
  shopt -s nullglob
  artifacts=("$work"/artifacts/*)
  shopt -u nullglob
  if [ "$rc" -ne 0 ] || [ "${#artifacts[@]}" -gt 0 ]; then
    failed+=("$t")
    echo "!! fuzz target $t FAILED (exit $rc)"
    echo "---- log (last 80 lines) ----"
    tail -80 "$work/log"
    for a in "${artifacts[@]}"; do
      echo "---- reproducer $(basename "$a") ($(wc -c <"$a") bytes), base64 ----"
      base64 "$a"
      echo "---- replay: base64 -d > input && $bin input ----"
    done
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: FAILED targets: ${failed[*]}"
  exit 1
fi
echo "fuzz: all targets ran ${secs}s without a crash"
