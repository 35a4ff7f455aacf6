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

# --strict: every valid corpus message passes; so do the seed messages,
# 03 and 04 with a warning for the ";;" the blog put there (an empty
# parameter: accepted, noted), which fails only --strict=warnings.
for f in "$rfc"/valid-*.sip "$msgs"/0[125-9]-*.sip "$msgs"/10-*.sip; do
    expect_rc 0 "$sipcat" --strict --check "$f"
    [ ! -s "$tmp/err" ] || fail "--strict printed something for $f"
done
expect_rc 0 "$sipcat" --strict "$msgs/03-message-200.sip"
expect_err "03-message-200.sip:4:36: warning: "
expect_err "empty parameter"
cmp -s "$tmp/out" "$msgs/03-message-200.sip" || fail "--strict did not write 03 (warnings only)"
expect_rc 1 "$sipcat" --strict=warnings "$msgs/03-message-200.sip"
expect_err "03-message-200.sip:4:36: warning: "
[ ! -s "$tmp/out" ] || fail "--strict=warnings wrote a message that failed"
expect_rc 0 "$sipcat" --strict "$msgs/04-message-200-forwarded.sip"
expect_err "04-message-200-forwarded.sip:4:"
# The man page's first example: warnings only, exit 0.
expect_rc 0 "$sipcat" --check --strict "$msgs"/*.sip
[ "$(grep -c ': warning: ' "$tmp/err")" = 2 ] || fail "want the 2 warnings of 03 and 04"
! grep -q ': error: ' "$tmp/err" || fail "an error in the man page's example"

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
