#!/usr/bin/env bash
# sipcat over every sample and corpus message: byte-exact copy and round
# trip, --strict verdicts, --canonical output that parses back.
# usage: sipcat_corpus.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"

n=0
for f in "$msgs"/*.sip "$rfc"/valid-*.sip; do
    [ -f "$f" ] || continue
    # The default output is the message itself (datagram: up to its body).
    expect_rc 0 "$sipcat" "$f"
    [ -s "$tmp/out" ] || fail "no output for $f"
    head -c "$(stat -c %s "$tmp/out")" "$f" | cmp -s - "$tmp/out" ||
        fail "output is not a prefix copy of $f"
    expect_rc 0 "$sipcat" --check "$f"
    [ ! -s "$tmp/out" ] || fail "--check printed something for $f"
    # The canonical form parses back and is canonical itself.
    expect_rc 0 "$sipcat" --canonical "$f"
    cp "$tmp/out" "$tmp/canon.sip"
    expect_rc 0 "$sipcat" --check --canonical "$tmp/canon.sip"
    n=$((n + 1))
done

# --strict: every valid corpus message passes; so do the seed messages but
# 03 and 04, whose ";;" the blog put there (an empty parameter).
for f in "$rfc"/valid-*.sip "$msgs"/0[125-9]-*.sip "$msgs"/10-*.sip; do
    expect_rc 0 "$sipcat" --strict --check "$f"
done
expect_rc 1 "$sipcat" --strict "$msgs/03-message-200.sip"
expect_err "03-message-200.sip:4:"
expect_err "empty parameter"
expect_rc 1 "$sipcat" --strict "$msgs/04-message-200-forwarded.sip"
expect_err "04-message-200-forwarded.sip:4:"

# Every invalid corpus message fails --strict with FILE:LINE:COL: error:.
for f in "$rfc"/invalid-*.sip; do
    expect_rc 1 "$sipcat" --strict "$f"
    grep -qE "^$f:[0-9]+:[0-9]+: error: .+" "$tmp/err" || fail "bad error line for $f"
done

# Several files in one run: one copy each, in order.
expect_rc 0 "$sipcat" "$msgs"/*.sip
cat "$msgs"/*.sip | cmp -s - "$tmp/out" || fail "several files: output differs"
expect_rc 0 "$sipcat" - <"$msgs/01-message.sip"
cmp -s "$msgs/01-message.sip" "$tmp/out" || fail "stdin: output differs"
echo "sipcat corpus: $n messages ok"
