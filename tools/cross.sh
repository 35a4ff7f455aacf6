#!/usr/bin/env bash
# Cross-architecture check: builds sipmsg for foreign targets and runs its
# fuzz harnesses (replay), unit tests and sipcat there.
#
#   bash tools/cross.sh [s390x|aarch64|i386|i386-sse2]...
#                                     (default: s390x aarch64 i386)
#
#   s390x    big-endian, 64-bit (hdr_le64 and the other word loads)
#   aarch64  plain char is unsigned, no SSE2 (the scalar scans)
#   i386     gcc -m32: 32-bit size_t and pointers; runs natively
#   i386-sse2  the same with -msse2: the SSE2 scans with 32-bit pointers
#
# For each target, into build-cross/<arch>/:
#   1. the static library (src/*.c) with the project's warning flags
#      (CMakeLists.txt's list: -Wall -Wextra -Wpedantic -Wconversion ...)
#      at -O2, plus -Werror: any warning fails the target;
#   2. every fuzz/fuzz_<t>.c linked with fuzz/replay.c, as fuzz/CMakeLists.txt
#      does, run over fuzz/corpus/<t> and tests/regressions/<t> (the
#      harnesses abort on a broken invariant: fast vs full decode, write
#      round trips, ...);
#   3. the cmocka tests (tests/test_*.c) on a small stand-in for cmocka,
#      tools/cross_cmocka.h;
#   4. sipcat and the quick start: `sipcat --check` over
#      examples/messages, then a transcript of sipcat runs (print, --json,
#      --canonical, --strict, --forward, --unvia, --reply, --authorize with
#      MD5, SHA-256 and SHA-512-256 challenges, over examples/messages and
#      tests/rfc4475) compared byte for byte with the same transcript from
#      a native gcc build (build-cross/native).
# Programs are linked -static and run under qemu-<arch> (user mode), so no
# target sysroot (-L) is needed.
#
# Needs (Debian 12): qemu-user gcc-s390x-linux-gnu gcc-aarch64-linux-gnu,
# and for i386 lib32gcc-12-dev libc6-dev-i386 (install them with
# --no-install-recommends: gcc-multilib itself conflicts with the cross
# compilers on Debian 12; its /usr/include/asm symlink is replaced by one in
# build-cross/i386-include). A target whose compiler or qemu is missing is
# skipped with a message; the exit status is 1 if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."

# The warning flags are read from CMakeLists.txt's list, so the two cannot
# drift apart.
mapfile -t warnings < <(sed -n '/^foreach(flag -Wall/,/)$/p' CMakeLists.txt |
                        grep -o -- '-W[^ )]*')
[ ${#warnings[@]} -gt 5 ] || { echo "cross.sh: no warning list in CMakeLists.txt" >&2; exit 1; }
CFLAGS=(-std=c11 -O2 -g "${warnings[@]}" -Werror -Iinclude -DSIPMSG_STATIC)

# build DIR CC AR [extra flags...]: library, replay drivers, sipcat, quickstart.
# (Called from `check ... || status=1`, where set -e is off: every step
# returns on failure explicitly.)
build() {
    local dir=$1 cc=$2 ar=$3
    shift 3
    local fl=("${CFLAGS[@]}" "$@") src pid pids=() rc=0
    rm -rf "$dir" && mkdir -p "$dir/obj" || return 1
    for src in src/*.c; do
        "$cc" "${fl[@]}" -Isrc -DSIPMSG_BUILDING -fvisibility=hidden \
            -c "$src" -o "$dir/obj/$(basename "${src%.c}").o" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
    [ $rc = 0 ] || return 1
    "$ar" rcs "$dir/libsipmsg.a" "$dir"/obj/*.o || return 1
    for src in fuzz/fuzz_*.c; do
        local t=${src#fuzz/fuzz_}
        "$cc" "${fl[@]}" -Isrc -Ifuzz fuzz/replay.c "$src" "$dir/libsipmsg.a" \
            -static -o "$dir/fuzz_replay_${t%.c}" || return 1
    done
    "$cc" "${fl[@]}" examples/sipcat/*.c "$dir/libsipmsg.a" -static -o "$dir/sipcat" &&
    "$cc" "${fl[@]}" examples/quickstart.c "$dir/libsipmsg.a" -static -o "$dir/quickstart"
}

# test_prog DIR CC NAME [extra flags...]: one cmocka test on
# tools/cross_cmocka.h, with the flags of tests/CMakeLists.txt.
test_prog() {
    local dir=$1 cc=$2 t=$3
    shift 3
    mkdir -p "$dir/shim" && cp tools/cross_cmocka.h "$dir/shim/cmocka.h" &&
    "$cc" "${CFLAGS[@]}" "$@" -Wno-conversion -Wno-missing-prototypes -Isrc \
        -I"$dir/shim" -DSIPMSG_SOURCE_DIR="\"$PWD\"" "tests/$t.c" tests/testutil.c \
        "$dir/libsipmsg.a" -static -o "$dir/$t"
}

# transcript DIR RUNNER...: sipcat runs, with stdout, stderr and exit code.
transcript() {
    local dir=$1
    shift
    local sipcat=("$@" "$dir/sipcat") t=build-cross/challenges
    local via='SIP/2.0/UDP proxy.example.com;branch=z9hG4bKcross1'
    local msgs=(examples/messages/*.sip) rfc=(tests/rfc4475/*.sip)
    run() {
        local rc=0
        echo "### sipcat $*"
        "${sipcat[@]}" "$@" >"$dir/out" 2>"$dir/err" || rc=$?
        # a 483 answer to --forward gets a random To tag (from /dev/urandom)
        sed -E 's/^(To: .*;tag=)[0-9a-f]{16}/\1(random)/' "$dir/out"
        echo "--- stderr"; cat "$dir/err"; echo "--- exit $rc"
    }
    run --check "${msgs[@]}"
    run "${msgs[@]}"
    local f
    for f in "${msgs[@]}" "${rfc[@]}"; do
        run --json "$f"
        run --strict --json "$f"
        run --canonical "$f"
        run --check --canonical "$f"
    done
    run --stream --json examples/messages/01-message.sip
    for f in examples/messages/0[1257]-*.sip tests/rfc4475/valid-*.sip; do
        run --forward --via "$via" --received 1.2.3.4 "$f"
    done
    for f in examples/messages/0[3468]-*.sip; do
        run --unvia "$f"
    done
    for f in examples/messages/0[157]-*.sip; do
        run --reply 200 --to-tag crosstag "$f"
        run --reply 486 --reason 'Busy Here' --to-tag t2 "$f"
    done
    for f in "$t"/*.sip; do
        run --authorize "$f" --user 01062237493 --password secret \
            --cnonce 0a4f113b --nc 1 examples/messages/07-register.sip
    done
}

# One challenge per algorithm and qop, derived from the seed's 401.
mkdir -p build-cross/challenges
for alg in MD5 MD5-sess SHA-256 SHA-256-sess SHA-512-256 SHA-512-256-sess; do
    for qop in auth auth-int; do
        sed -e "s/algorithm=MD5/algorithm=$alg/" -e "s/qop=\"auth\"/qop=\"$qop\"/" \
            examples/messages/08-register-401.sip >"build-cross/challenges/$alg-$qop.sip"
    done
done
sed -e 's/qop="auth", //' examples/messages/08-register-401.sip \
    >build-cross/challenges/MD5-noqop.sip

native_ready=
native() { # the reference transcript, built once
    [ -n "$native_ready" ] && return
    echo "== native (reference: gcc $(uname -m))"
    build build-cross/native gcc ar || { echo "FAIL native build"; exit 1; }
    transcript build-cross/native >build-cross/native/transcript.txt
    "build-cross/native/quickstart" >build-cross/native/quickstart.txt 2>&1 || true
    native_ready=1
}

# check ARCH CC AR QEMU|"" [extra flags]
check() {
    local arch=$1 cc=$2 ar=$3 qemu=$4
    shift 4
    local dir=build-cross/$arch runner=()
    echo "== $arch"
    if ! command -v "$cc" >/dev/null || ! command -v "$ar" >/dev/null; then
        echo "SKIP $arch: $cc or $ar not installed"; return 0
    fi
    if [ -n "$qemu" ]; then
        command -v "$qemu" >/dev/null || { echo "SKIP $arch: $qemu not installed"; return 0; }
        runner=("$qemu")
    fi
    mkdir -p "$dir"
    # Can the toolchain link and run a static program at all (i386: libc6-dev-i386)?
    printf '#include <errno.h>\nint main(void) { return errno; }\n' >"$dir/probe.c"
    if ! "$cc" "$@" -static "$dir/probe.c" -o "$dir/probe" 2>"$dir/probe.err" ||
       ! "${runner[@]}" "$dir/probe"; then
        echo "SKIP $arch: cannot build or run a static $arch program:"
        sed 's/^/    /' "$dir/probe.err"; return 0
    fi
    native
    if ! build "$dir" "$cc" "$ar" "$@"; then
        echo "FAIL $arch: build (warnings are errors)"; return 1
    fi
    local bad=0 src t n
    for src in fuzz/fuzz_*.c; do
        t=${src#fuzz/fuzz_}; t=${t%.c}
        local inputs=(fuzz/corpus/"$t")
        [ -d tests/regressions/"$t" ] && inputs+=(tests/regressions/"$t")
        if n=$("${runner[@]}" "$dir/fuzz_replay_$t" "${inputs[@]}" 2>"$dir/replay_$t.err"); then
            printf '  fuzz %-9s %s\n' "$t" "$n"
        else
            printf '  FAIL fuzz %-9s %s\n' "$t" "$n"; sed 's/^/    /' "$dir/replay_$t.err"; bad=1
        fi
    done
    for src in tests/test_*.c; do
        t=$(basename "${src%.c}")
        if ! test_prog "$dir" "$cc" "$t" "$@" 2>"$dir/$t.log"; then
            printf '  FAIL %-15s build (warnings are errors):\n' "$t"
            sed 's/^/    /' "$dir/$t.log"; bad=1
        elif "${runner[@]}" "$dir/$t" >"$dir/$t.log" 2>&1; then
            printf '  %-15s %s\n' "$t" "$(tail -n1 "$dir/$t.log")"
        else
            printf '  FAIL %-15s\n' "$t"; sed 's/^/    /' "$dir/$t.log"; bad=1
        fi
    done
    local samples=(examples/messages/*.sip)
    if "${runner[@]}" "$dir/sipcat" --check "${samples[@]}"; then
        echo "  sipcat --check: ${#samples[@]} samples round-trip"
    else
        echo "  FAIL sipcat --check"; bad=1
    fi
    transcript "$dir" "${runner[@]}" >"$dir/transcript.txt" # 268 sipcat runs
    "${runner[@]}" "$dir/quickstart" >"$dir/quickstart.txt" 2>&1 || true
    local c
    for c in transcript quickstart; do
        if cmp -s build-cross/native/$c.txt "$dir/$c.txt"; then
            echo "  $c: identical to native ($(wc -l <"$dir/$c.txt") lines)"
        else
            echo "  FAIL $c differs from native:"
            diff build-cross/native/$c.txt "$dir/$c.txt" | head -40 | sed 's/^/    /'; bad=1
        fi
    done
    [ $bad = 0 ] && echo "OK $arch" || echo "FAIL $arch"
    return $bad
}

# Without gcc-multilib (its /usr/include/asm symlink), -m32 finds no
# <asm/errno.h>: give it the amd64 one, as gcc-multilib does, searched last.
mkdir -p build-cross/i386-include
ln -sfn /usr/include/x86_64-linux-gnu/asm build-cross/i386-include/asm
m32=(-m32 -idirafter build-cross/i386-include)

[ $# -gt 0 ] || set -- s390x aarch64 i386
status=0
for arch in "$@"; do
    case $arch in
    s390x)   check s390x s390x-linux-gnu-gcc s390x-linux-gnu-ar qemu-s390x || status=1 ;;
    aarch64) check aarch64 aarch64-linux-gnu-gcc aarch64-linux-gnu-ar qemu-aarch64 || status=1 ;;
    i386)      check i386 gcc ar "" "${m32[@]}" || status=1 ;;
    i386-sse2) check i386-sse2 gcc ar "" "${m32[@]}" -msse2 || status=1 ;;
    *) echo "unknown target: $arch (s390x, aarch64, i386, i386-sse2)" >&2; exit 2 ;;
    esac
done
exit $status
