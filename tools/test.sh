#!/usr/bin/env bash
# Builds everything and runs every test: gcc (warnings as errors), clang,
# and an ASan + UBSan build. Installs the test dependencies first when run
# as root with apt (see tools/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
run() { # name, cmake args...
  local dir=build-test/$1; shift
  echo "== $dir"
  cmake -S . -B "$dir" -DSIPMSG_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs" >/dev/null
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" </dev/null
}
# The libFuzzer binaries are built and run by fuzz/run.sh (.ci/run); here
# their harnesses run as replay tests in every build. The benchmark is
# compiled (not run) in the gcc build.
run gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPMSG_BUILD_FUZZ=OFF
# The clang build takes the scalar paths (no SSE2 line-end and header-name
# scans), so the whole suite runs on both.
if command -v clang >/dev/null; then
  run clang -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPMSG_BUILD_FUZZ=OFF -DSIPMSG_BUILD_BENCH=OFF \
      -DSIPMSG_NO_SIMD=ON
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run sanitize -DCMAKE_C_COMPILER=gcc -DSIPMSG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
      -DSIPMSG_BUILD_FUZZ=OFF -DSIPMSG_BUILD_BENCH=OFF
echo "all tests passed"
