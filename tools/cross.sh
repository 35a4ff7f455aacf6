#!/usr/bin/env bash
# Cross-architecture check: the project's own CMake build and ctest suite
# for foreign targets, through the toolchain files in cmake/toolchains/,
# with the tests run under qemu user mode (CMAKE_CROSSCOMPILING_EMULATOR).
#
#   bash tools/cross.sh [s390x|aarch64|i386|i386-sse2]...
#                                     (default: s390x aarch64 i386)
#
#   s390x      big-endian, 64-bit (hdr_le64 and the other word loads)
#   aarch64    plain char is unsigned, no SSE2 (the scalar scans)
#   i386       gcc -m32: 32-bit size_t and pointers (natively or qemu-i386)
#   i386-sse2  the same with CFLAGS=-msse2: the SSE2 scans on 32 bits
#
# For each target, in build-cross/<target>: configure with
# -DSIPMSG_WERROR=ON (any warning fails the target), build, and ctest:
# the unit tests (on tools/cross_cmocka.h, a stand-in for cmocka), every
# fuzz harness over its corpus and regressions (fuzz_replay_*), the quick
# start, and sipcat_transcript: 268 sipcat runs and the quick start, whose
# output must match byte for byte a native build's (build-cross/native,
# tools/sipcat_transcript.sh). CMake leaves out, in a cross build, the
# tests that need the host: valgrind, the shell and install tests, the C++
# header and the OpenSSL cross-check.
#
# Needs (Debian 12): qemu-user gcc-s390x-linux-gnu libc6-dev-s390x-cross
# gcc-aarch64-linux-gnu libc6-dev-arm64-cross, and for i386 lib32gcc-12-dev
# libc6-dev-i386 (install them with --no-install-recommends: gcc-multilib
# conflicts with the cross compilers on Debian 12). A target whose compiler
# or emulator is missing, or that cannot link a static program, is skipped
# with a message; the exit status is 1 if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
out=${SIPMSG_CROSS_DIR:-build-cross}
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$out"

native_ready=
native() { # the reference transcript, built once
    [ -n "$native_ready" ] && return 0
    local dir=$out/native
    echo "== native (reference: gcc $(uname -m))"
    rm -f "$dir/CMakeCache.txt"
    if ! { env -u CFLAGS cmake -S . -B "$dir" -DCMAKE_C_COMPILER=gcc -DSIPMSG_WERROR=ON \
               -DSIPMSG_BUILD_TESTS=OFF -DSIPMSG_BUILD_BENCH=OFF -DSIPMSG_BUILD_FUZZ=OFF &&
           cmake --build "$dir" -j"$jobs" --target sipcat quickstart; } >"$dir.log" 2>&1; then
        echo "FAIL native build:"; tail -n 40 "$dir.log" | sed 's/^/    /'; exit 1
    fi
    bash tools/sipcat_transcript.sh "$dir" >"$dir/transcript.txt"
    native_ready=1
}

# check TARGET TOOLCHAIN CC EMULATOR|"" [PROBE FLAGS...]
check() {
    local target=$1 toolchain=$2 cc=$3 emu=$4
    shift 4
    local dir=$out/$target
    echo "== $target"
    if ! command -v "$cc" >/dev/null; then
        echo "SKIP $target: $cc not installed"; return 0
    fi
    if [ -n "$emu" ] && ! command -v "$emu" >/dev/null; then
        echo "SKIP $target: $emu not installed"; return 0
    fi
    # Can the toolchain link a static program (libc6-dev-<arch>-cross,
    # libc6-dev-i386) and can it run?
    mkdir -p "$dir"
    printf 'int main(void) { return 0; }\n' >"$dir/probe.c"
    if ! "$cc" "$@" -static "$dir/probe.c" -o "$dir/probe" 2>"$dir/probe.err"; then
        echo "SKIP $target: cannot link a static $target program:"
        sed 's/^/    /' "$dir/probe.err"; return 0
    fi
    if [ -n "$emu" ]; then
        "$emu" "$dir/probe" || { echo "SKIP $target: $emu cannot run it"; return 0; }
    elif ! "$dir/probe" 2>/dev/null && ! { command -v qemu-i386 >/dev/null && qemu-i386 "$dir/probe"; }; then
        echo "SKIP $target: this kernel runs no $target program and qemu-i386 is missing"; return 0
    fi
    native
    local t0=$SECONDS
    rm -f "$dir/CMakeCache.txt"
    if ! cmake -S . -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchains/$toolchain.cmake" \
             -DSIPMSG_WERROR=ON -DSIPMSG_BUILD_BENCH=OFF -DSIPMSG_BUILD_FUZZ=OFF \
             -DSIPMSG_SIPCAT_REFERENCE="$top/$out/native/transcript.txt" \
             >"$dir.configure.log" 2>&1; then
        echo "FAIL $target: configure"; tail -n 40 "$dir.configure.log" | sed 's/^/    /'; return 1
    fi
    if ! cmake --build "$dir" -j"$jobs" >"$dir.build.log" 2>&1; then
        echo "FAIL $target: build (warnings are errors)"
        grep -E -A3 'error:|warning:|undefined reference|cannot find' "$dir.build.log" |
            head -n 60 | sed 's/^/    /'; return 1
    fi
    local rc=0 t1=$SECONDS
    ctest --test-dir "$dir" -j"$jobs" --output-on-failure </dev/null >"$dir.ctest.log" 2>&1 || rc=1
    grep -E '^ *[0-9]+/[0-9]+ Test|tests passed|tests failed' "$dir.ctest.log" |
        sed -E 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: /  /' || true
    if [ $rc = 0 ]; then
        echo "OK $target (configure and build $((t1 - t0)) s, tests $((SECONDS - t1)) s)"
    else
        echo "FAIL $target: ctest (log: $dir.ctest.log)"
        sed -n '/The following tests FAILED/,$p' "$dir.ctest.log" | sed 's/^/    /'
    fi
    return $rc
}

[ $# -gt 0 ] || set -- s390x aarch64 i386
status=0
for target in "$@"; do
    case $target in
    s390x)   check s390x s390x s390x-linux-gnu-gcc qemu-s390x || status=1 ;;
    aarch64) check aarch64 aarch64 aarch64-linux-gnu-gcc qemu-aarch64 || status=1 ;;
    i386)    check i386 i386 gcc "" -m32 || status=1 ;;
    i386-sse2) CFLAGS="${CFLAGS:+$CFLAGS }-msse2" check i386-sse2 i386 gcc "" -m32 || status=1 ;;
    *) echo "unknown target: $target (s390x, aarch64, i386, i386-sse2)" >&2; exit 2 ;;
    esac
done
exit $status
