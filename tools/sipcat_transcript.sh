#!/usr/bin/env bash
# A transcript of sipcat runs (stdout, stderr and exit code of each) and of
# the quick start, for comparing builds byte for byte: tools/cross.sh makes
# one with a native build, and the ctest sipcat_transcript of a cross build
# (cmake/toolchains/*.cmake) makes one under qemu and compares.
#
#   tools/sipcat_transcript.sh BUILD_DIR [EMULATOR...]   > transcript.txt
#   tools/sipcat_transcript.sh --compare REFERENCE BUILD_DIR [EMULATOR...]
#
# Runs (268 sipcat runs): print, --check, --json, --strict, --canonical,
# --stream, --forward, --unvia, --reply and --authorize with MD5, SHA-256
# and SHA-512-256 challenges (each with qop auth and auth-int, plain and
# -sess, and one without qop), over examples/messages and tests/rfc4475.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
ref=
if [ "${1:-}" = --compare ]; then
    ref=$2
    shift 2
fi
[ $# -ge 1 ] || { echo "usage: $0 [--compare REFERENCE] BUILD_DIR [EMULATOR...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
runner=("$@")
sipcat=("${runner[@]}" "$build/examples/sipcat")
quickstart=("${runner[@]}" "$build/examples/quickstart")

# Every path in the transcript is relative to a scratch directory that
# holds the inputs, so transcripts from different builds compare equal.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$src/examples" "$tmp/examples"
ln -s "$src/tests" "$tmp/tests"
mkdir "$tmp/challenges"
cd "$tmp"

# One challenge per algorithm and qop, derived from the sample 401.
for alg in MD5 MD5-sess SHA-256 SHA-256-sess SHA-512-256 SHA-512-256-sess; do
    for qop in auth auth-int; do
        sed -e "s/algorithm=MD5/algorithm=$alg/" -e "s/qop=\"auth\"/qop=\"$qop\"/" \
            examples/messages/08-register-401.sip >"challenges/$alg-$qop.sip"
    done
done
sed -e 's/qop="auth", //' examples/messages/08-register-401.sip >challenges/MD5-noqop.sip

transcript() {
    local via='SIP/2.0/UDP proxy.example.com;branch=z9hG4bKcross1'
    local msgs=(examples/messages/*.sip) rfc=(tests/rfc4475/*.sip) f
    run() {
        local rc=0
        echo "### sipcat $*"
        "${sipcat[@]}" "$@" >out 2>err || rc=$?
        # a 483 answer to --forward gets a random To tag (from /dev/urandom)
        sed -E 's/^(To: .*;tag=)[0-9a-f]{16}/\1(random)/' out
        echo "--- stderr"; cat err; echo "--- exit $rc"
    }
    run --check "${msgs[@]}"
    run "${msgs[@]}"
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
    for f in challenges/*.sip; do
        run --authorize "$f" --user 01062237493 --password secret \
            --cnonce 0a4f113b --nc 1 --branch z9hG4bKcross1 examples/messages/07-register.sip
    done
    local rc=0
    echo "### quickstart"
    "${quickstart[@]}" >out 2>&1 || rc=$?
    cat out; echo "--- exit $rc"
}

if [ -z "$ref" ]; then
    transcript
    exit 0
fi
out=$build/sipcat_transcript.txt
transcript >"$out"
if cmp -s "$ref" "$out"; then
    echo "transcript identical to $ref ($(grep -c '^### ' "$out") runs, $(wc -l <"$out") lines)"
else
    echo "transcript $out differs from $ref:"
    diff "$ref" "$out" | head -60
    exit 1
fi
