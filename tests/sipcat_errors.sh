#!/usr/bin/env bash
# sipcat exit codes and error positions: FILE:LINE:COL must point at the
# bad byte of hand-made bad messages.
# usage: sipcat_errors.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"

good='OPTIONS sip:bob@example.com SIP/2.0\r\n'\
'Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\r\n'\
'Max-Forwards: 70\r\n'\
'From: <sip:alice@example.com>;tag=1\r\n'\
'To: <sip:bob@example.com>\r\n'\
'Call-ID: c1@example.com\r\n'\
'CSeq: 1 OPTIONS\r\n'\
'Content-Length: 0\r\n'\
'\r\n'

# bad FIND REPLACE LINE COL TEXT: the good message with FIND replaced must
# fail (exit 1) at LINE:COL, with TEXT in the error message.
bad() {
    local text
    printf "${good/"$1"/"$2"}" >"$tmp/bad.sip"
    expect_rc 1 "$sipcat" --check "$tmp/bad.sip"
    expect_err "$tmp/bad.sip:$3:$4: error: "
    expect_err "$5"
}
bad 'CSeq: 1 OPTIONS' 'CSeq: 99999999999 OPTIONS' 7 7 'bad CSeq: sequence number exceeds 2^32-1'
bad 'Max-Forwards: 70' 'Max-Forwards: 300' 3 15 'bad Max-Forwards'
bad 'Max-Forwards' 'Max(Forwards' 3 4 'header name'
bad 'Call-ID: c1@example.com\r' 'Call-ID: c1@example.com' 6 24 'LF without CR'
bad 'pc.example.com;' 'pc.example.com:99999;' 2 33 'port'
bad 'To: <sip' 'To <sip' 5 4 'colon'
bad 'From: <sip:alice@example' 'From: <sip:alice@exa mple' 4 21 'bad From'
# The From URI's grammar (a '[' in a host name) is checked by --strict; the
# plain parse reads only what it decodes (the tag) and the URI's shape.
printf "${good/alice@example/alice@exa[mple}" >"$tmp/from.sip"
expect_rc 0 "$sipcat" --check "$tmp/from.sip"
expect_rc 1 "$sipcat" --strict "$tmp/from.sip"
expect_err "$tmp/from.sip:4:21: error: bad From: unexpected character in URI"
bad 'OPTIONS sip:bob@example.com SIP/2.0' 'OPTIONS sip:bob@example.com SIP/2.5x' 1 36 'version'
printf 'SIP/2.0 999 Odd\r\nVia: SIP/2.0/UDP h\r\n\r\n' >"$tmp/bad.sip"
expect_rc 1 "$sipcat" "$tmp/bad.sip"
expect_err "$tmp/bad.sip:1:9: error: bad status code"
# --strict: the reason, at the header.
printf "${good/CSeq: 1 OPTIONS/CSeq: 1 INVITE}" >"$tmp/strict.sip"
expect_rc 0 "$sipcat" --check "$tmp/strict.sip"
expect_rc 1 "$sipcat" --strict "$tmp/strict.sip"
expect_err "$tmp/strict.sip:7:9: error: CSeq method does not match"
[ ! -s "$tmp/out" ] || fail "--strict printed a message that failed"
# A datagram shorter than its Content-Length: at the end.
printf "${good/Content-Length: 0/Content-Length: 5}" >"$tmp/short.sip"
expect_rc 1 "$sipcat" "$tmp/short.sip"
expect_err "$tmp/short.sip:10:1: error: body shorter than Content-Length"

# Trailing octets in datagram mode: a warning at the first of them, and
# --check still passes.
printf "${good}EXTRA" >"$tmp/trail.sip"
expect_rc 0 "$sipcat" --check "$tmp/trail.sip"
expect_err "$tmp/trail.sip:10:1: warning: 5 bytes after the declared body"
expect_rc 0 "$sipcat" "$tmp/trail.sip"
printf "$good" | cmp -s - "$tmp/out" || fail "trailing octets were written"

# Exit 0, 2 (usage), 3 (mismatch: not canonical), 4 (483).
expect_rc 0 "$sipcat" --check "$msgs/01-message.sip"
expect_rc 0 "$sipcat" --help
grep -q -- '--authorize' "$tmp/out" || fail "--help lacks --authorize"
# Every option of --help is documented in the man page.
for o in $(grep -oE -- '--[a-z-]+' "$tmp/out" | sort -u); do
    grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$src/examples/sipcat.1" ||
        fail "sipcat.1 lacks $o"
done
expect_rc 2 "$sipcat" --bogus "$msgs/01-message.sip"
expect_err "unknown option --bogus"
expect_rc 2 "$sipcat" "$tmp/does-not-exist.sip"
expect_rc 2 "$sipcat" --reply 999 "$msgs/01-message.sip"
expect_rc 2 "$sipcat" --reply
expect_rc 2 "$sipcat" --json --reply 200 "$msgs/01-message.sip"
expect_rc 2 "$sipcat" --forward "$msgs/01-message.sip"
expect_rc 2 "$sipcat" --to-tag x "$msgs/01-message.sip"
expect_rc 2 "$sipcat" --authorize "$msgs/08-register-401.sip" "$msgs/07-register.sip"
expect_rc 2 "$sipcat" --forward --via 'not a via' "$msgs/01-message.sip"
expect_rc 3 "$sipcat" --check --canonical "$msgs/02-message-proxied.sip"
expect_err "02-message-proxied.sip:3:61: error: the canonical form differs"
expect_rc 4 "$sipcat" --forward --via 'SIP/2.0/UDP p.example.com;branch=z9hG4bKp1' \
    "$rfc/valid-zeromf.sip"
head -n1 "$tmp/out" | grep -q '^SIP/2.0 483 Too Many Hops' || fail "no 483 written"
# The first failure decides the exit code of a run over several files.
expect_rc 1 "$sipcat" --check "$msgs/01-message.sip" "$tmp/short.sip" "$msgs/02-message-proxied.sip"
echo "sipcat errors: ok"
