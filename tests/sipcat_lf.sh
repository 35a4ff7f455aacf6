#!/usr/bin/env bash
# sipcat --lf on the seed's messages as pasted text (bare LFs, no blank
# line before the body, a wrapped "received=" line): each becomes the CRLF
# message of examples/messages byte for byte. The pasted 03-10 end without
# the blank line after their headers: --lf does not add it at the end of the
# input (a header block cut short must be rejected, with or without --lf),
# so they convert once the empty line is there.
# usage: sipcat_lf.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"

n=0
for f in "$seedlf"/*.sip; do
    b=$(basename "$f")
    ! grep -q $'\r' "$f" || fail "$b holds a CR: not pasted text"
    case $b in
    01-*|02-*) ;;  # a body: the Content-Length bytes end the input
    *)  expect_rc 1 "$sipcat" --lf "$f"
        expect_err "error: message ends inside the header block"
        { cat "$f"; echo; } >"$tmp/$b"
        f=$tmp/$b ;;
    esac
    expect_rc 0 "$sipcat" --lf "$f"
    cmp -s "$tmp/out" "$msgs/$b" || fail "--lf $b differs from examples/messages/$b"
    expect_rc 0 "$sipcat" --lf --check "$f"
    # Without --lf the first LF is an error, at the end of the start line.
    expect_rc 1 "$sipcat" "$f"
    expect_err "$f:1:$(($(head -n1 "$f" | wc -c))): error: LF without CR"
    n=$((n + 1))
done
[ "$n" = 10 ] || fail "expected the 10 seed messages, found $n"

# The body is left as it is: Content-Length 18 counts "user2, come here."
# and its LF.
expect_rc 0 "$sipcat" --lf --json "$seedlf/01-message.sip"
json_check 'm[0]["body"] == "user2, come here.\n" and m[0]["content_length"] == 18'
# The wrapped line is joined to the Via above it as a folded continuation.
expect_rc 0 "$sipcat" --lf --json "$seedlf/02-message-proxied.sip"
json_check 'm[0]["via"][1]["received"] == "1.2.3.4" and m[0]["via"][1]["branch"] == "z9hG4bK776sgdkse"' \
    'm[0]["headers"][1]["value"] == "SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse;\r\n received=1.2.3.4"' \
    'm[0]["max_forwards"] == 69'
{ cat "$seedlf/03-message-200.sip"; echo; } >"$tmp/03.txt"
expect_rc 0 "$sipcat" --lf --json "$tmp/03.txt"
json_check '[v["received"] for v in m[0]["via"]] == ["192.0.2.1", "1.2.3.4"]'

# All ten pasted one after the other, as a stream (the last one with its
# blank line): a start line after a header block ends it.
{ cat "$seedlf"/*.sip; echo; } >"$tmp/all.txt"
expect_rc 0 "$sipcat" --lf --stream "$tmp/all.txt"
cat "$msgs"/*.sip | cmp -s - "$tmp/out" || fail "--lf --stream differs"
expect_rc 0 "$sipcat" --lf --stream --check "$tmp/all.txt"
# ... with blank lines and CRLF keep-alives between them.
{ for f in "$seedlf"/*.sip; do printf '\n\r\n'; cat "$f"; done; echo; } >"$tmp/gaps.txt"
expect_rc 0 "$sipcat" --lf --stream "$tmp/gaps.txt"
cat "$msgs"/*.sip | cmp -s - "$tmp/out" || fail "--lf --stream with gaps differs"

# CRLF input is unchanged by --lf.
expect_rc 0 "$sipcat" --lf "$msgs"/*.sip
cat "$msgs"/*.sip | cmp -s - "$tmp/out" || fail "--lf changed CRLF messages"

# Errors point at the byte in the pasted file, after a wrapped line too.
sed 's/^Max-Forwards: 69$/Max-Forwards: 690/' "$seedlf/02-message-proxied.sip" >"$tmp/bad.txt"
expect_rc 1 "$sipcat" --lf "$tmp/bad.txt"
expect_err "$tmp/bad.txt:5:15: error: bad Max-Forwards"
sed 's/^Call-ID: asd88/Call-ID: asd88\x01/' "$seedlf/02-message-proxied.sip" >"$tmp/bad.txt"
expect_rc 1 "$sipcat" --lf --stream "$tmp/all.txt" "$tmp/bad.txt"
expect_err "$tmp/bad.txt:8:"
# A stream cut inside a body.
head -c -5 "$seedlf/01-message.sip" >"$tmp/cut.txt"
expect_rc 1 "$sipcat" --lf --stream "$tmp/cut.txt"
expect_err "error: the stream ends inside a body"
echo "sipcat lf: ok"
