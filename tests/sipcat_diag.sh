#!/usr/bin/env bash
# sipcat diagnostics (issue 17): --strict severities and exit codes, hints,
# --lf's two semantic traps, options (--version, --max-*, --rport), input
# that is not SIP, and the --json record keys (file, offset, index, error
# records, *_base64, a malformed lower Via), checked with jq.
# usage: sipcat_diag.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"
command -v jq >/dev/null || fail "jq is needed"

# A request as the seed writes it (RFC 3261 8.1.1: every mandatory header).
req='MESSAGE sip:user2@domain.com SIP/2.0\r\n'\
'Via: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse\r\n'\
'Max-Forwards: 70\r\n'\
'From: sip:user1@domain.com;tag=49583\r\n'\
'To: sip:user2@domain.com\r\n'\
'Call-ID: asd88asd77a@1.2.3.4\r\n'\
'CSeq: 1 MESSAGE\r\n'\
'Content-Length: 0\r\n'\
'\r\n'
# mk NAME FIND REPLACE: the request with FIND replaced, as $tmp/NAME.
mk() {
    printf "${req/"$2"/"$3"}" >"$tmp/$1"
}

# ---- severities: warnings exit 0 under --strict, 1 under --strict=warnings --
# sev NAME LINE:COL TEXT: the file gives exactly one warning, at LINE:COL.
sev() {
    expect_rc 0 "$sipcat" --strict "$tmp/$1"
    expect_err "$tmp/$1:$2: warning: $3"
    [ "$(wc -l <"$tmp/err")" = 1 ] || { cat "$tmp/err" >&2; fail "$1: not one warning"; }
    cmp -s "$tmp/out" "$tmp/$1" || fail "$1: --strict did not write a message with warnings only"
    expect_rc 0 "$sipcat" --check "$tmp/$1"
    [ ! -s "$tmp/err" ] || fail "$1: a warning without --strict"
    expect_rc 1 "$sipcat" --strict=warnings "$tmp/$1"
    expect_err "$tmp/$1:$2: warning: $3"
    [ ! -s "$tmp/out" ] || fail "$1: --strict=warnings wrote a message that failed"
}
# A request without Max-Forwards (RFC 3261 8.1.1.6, 16.6 step 3).
mk nomf.sip 'Max-Forwards: 70\r\n' ''
sev nomf.sip 1:1 'mandatory header missing: Max-Forwards'
# An HTTP date in a REGISTER's Expires (10.2.1.1: taken as 3600).
printf 'REGISTER sip:192.168.2.89 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.2.161:10586;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:01062237493@192.168.2.89>;tag=1\r\nTo: <sip:01062237493@192.168.2.89>\r\nCall-ID: r1@192.168.2.161\r\nCSeq: 1 REGISTER\r\nContact: <sip:192.168.2.161:10586>\r\nExpires: Sat, 01 Jan 2000 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n' >"$tmp/date.sip"
sev date.sip 9:10 'bad Expires'
# The same Expires in an INVITE stays an error (400).
sed 's/REGISTER/INVITE/g' "$tmp/date.sip" >"$tmp/date-inv.sip"
expect_rc 1 "$sipcat" --strict "$tmp/date-inv.sip"
expect_err "$tmp/date-inv.sip:9:10: error: bad Expires"
# A status line without the SP after the code (25.1).
printf 'SIP/2.0 200\r\nVia: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse\r\nFrom: sip:user1@domain.com;tag=49583\r\nTo: sip:user2@domain.com;tag=ab8asdasd9\r\nCall-ID: asd88asd77a@1.2.3.4\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n' >"$tmp/nosp.sip"
sev nosp.sip 1:12 'no SP after the status code'
# The seed's empty parameter.
mk empty.sip 'tag=49583' ';tag=49583'
sev empty.sip 4:27 'bad From: empty parameter'
# An error fails --strict (exit 1) and is not written, with the warnings
# of the same message printed too.
mk err.sip 'Max-Forwards: 70\r\n' 'CSeq: 2 MESSAGE\r\n'
expect_rc 1 "$sipcat" --strict "$tmp/err.sip"
expect_err "$tmp/err.sip:7:1: error: single-instance header repeated: CSeq"
expect_err "$tmp/err.sip:1:1: warning: mandatory header missing: Max-Forwards"
[ ! -s "$tmp/out" ] || fail "--strict wrote a message with an error"
expect_rc 2 "$sipcat" --strict=bogus "$tmp/err.sip"

# ---- hints ------------------------------------------------------------------
# LF without CR suggests --lf (and not when --lf is given).
printf 'MESSAGE sip:user2@domain.com SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\n\n' >"$tmp/lf.txt"
expect_rc 1 "$sipcat" "$tmp/lf.txt"
expect_err "$tmp/lf.txt:1:37: error: LF without CR (pasted text with bare LF line ends? try --lf)"
# A body shorter than Content-Length: both numbers.
mk short.sip 'Content-Length: 0\r\n\r\n' 'Content-Length: 25\r\n\r\nuser2, come here.\n'
expect_rc 1 "$sipcat" "$tmp/short.sip"
expect_err "body shorter than Content-Length: 18 bytes for Content-Length: 25"
# A line too long, too many headers, a message too large: the limit and the
# option; the option raises it.
python3 -c "
import sys
r = open(sys.argv[1], 'rb').read()
sys.stdout.buffer.write(r.replace(b'Content-Length', b'Subject: ' + b'x' * 300 + b'\r\nContent-Length'))
" "$(printf "$req" >"$tmp/req.sip"; echo "$tmp/req.sip")" >"$tmp/long.sip"
expect_rc 1 "$sipcat" --max-line 200 "$tmp/long.sip"
expect_err "$tmp/long.sip:8:1: error: line too long (over 200 bytes; raise the limit with --max-line)"
expect_rc 0 "$sipcat" --check --max-line 400 "$tmp/long.sip"
python3 -c "
import sys
r = open(sys.argv[1], 'rb').read()
sys.stdout.buffer.write(r.replace(b'Content-Length', b'X-A: 1\r\n' * 1100 + b'Content-Length'))
" "$tmp/req.sip" >"$tmp/many.sip"
expect_rc 1 "$sipcat" "$tmp/many.sip"
expect_err "too many headers (over 1024; raise the limit with --max-headers)"
expect_rc 1 "$sipcat" --max-headers 10 "$tmp/req.sip" "$tmp/many.sip"
expect_err "too many headers (over 10; raise the limit with --max-headers)"
expect_rc 0 "$sipcat" --check --max-headers 2000 "$tmp/many.sip"
expect_rc 0 "$sipcat" --forward --via 'SIP/2.0/UDP p.example.com;branch=z9hG4bKp1' \
    --max-headers 2000 "$tmp/many.sip"
[ "$(grep -c '^X-A: 1' "$tmp/out")" = 1100 ] || fail "--forward lost headers over the default table"
expect_rc 1 "$sipcat" --max-size 100 "$tmp/req.sip"
expect_err "(over 100 bytes; raise the limit with --max-size)"
expect_rc 2 "$sipcat" --max-headers 0 "$tmp/req.sip"
expect_rc 2 "$sipcat" --max-size x "$tmp/req.sip"
# A repeated single-instance header is named (above: CSeq).
mk twofrom.sip 'To:' 'From: sip:x@domain.com;tag=2\r\nTo:'
expect_rc 1 "$sipcat" --strict "$tmp/twofrom.sip"
expect_err "error: single-instance header repeated: From"
# A step that does not apply: one form.
expect_rc 1 "$sipcat" --reply 200 "$msgs/03-message-200.sip"
expect_err "03-message-200.sip:1:1: error: --reply needs a request, not a response"
expect_rc 1 "$sipcat" --forward --via 'SIP/2.0/UDP p.example.com;branch=z9hG4bKp1' "$msgs/03-message-200.sip"
expect_err "error: --forward needs a request, not a response"
expect_rc 1 "$sipcat" --unvia "$msgs/01-message.sip"
expect_err "error: --unvia needs a response, not a request"
expect_rc 1 "$sipcat" --authorize "$msgs/08-register-401.sip" --user u --password p "$msgs/10-register-auth-200.sip"
expect_err "needs a request, not a response"
# A bad --received names that option alone; a bad --via names --via.
via='SIP/2.0/TCP proxy.domain.com;branch=z9hG4bK123dsghds'
expect_rc 2 "$sipcat" --forward --via "$via" --received 'not an address!' "$msgs/01-message.sip"
expect_err "sipcat: --received: "
! grep -q -- '--via' "$tmp/err" || fail "a bad --received blames --via"
expect_rc 2 "$sipcat" --forward --via 'SIP/2.0/TCP bad host' --received 1.2.3.4 "$msgs/01-message.sip"
expect_err "sipcat: --via: "
! grep -q -- '--received' "$tmp/err" || fail "a bad --via blames --received"

# ---- options ------------------------------------------------------------------
expect_rc 0 "$sipcat" --version
want=$(sed -n 's/^#define SIPMSG_VERSION_STRING "\(.*\)"$/\1/p' "$src/include/sipmsg/common.h")
grep -qx "sipcat (sipmsg) $want" "$tmp/out" || fail "--version: $(cat "$tmp/out"), want $want"
# --rport: the source port for a top Via with a bare ;rport (RFC 3581 4).
mk rport.sip 'user1pc.domain.com;' 'user1pc.domain.com;rport;'
expect_rc 0 "$sipcat" --forward --via "$via" --received 1.2.3.4 --rport 5070 "$tmp/rport.sip"
grep -q '^Via: SIP/2.0/TCP user1pc.domain.com;rport=5070;branch=z9hG4bK776sgdkse;received=1.2.3.4' "$tmp/out" ||
    { cat "$tmp/out" >&2; fail "--rport: no rport=5070 on the previous top Via"; }
expect_rc 2 "$sipcat" --rport 5070 "$tmp/rport.sip"
expect_rc 2 "$sipcat" --forward --via "$via" --rport 70000 "$tmp/rport.sip"
# --authorize warns when the request is not the one challenged (Call-ID).
sed 's/^Call-ID: .*/Call-ID: other@192.168.2.161\r/' "$msgs/07-register.sip" >"$tmp/other.sip"
expect_rc 0 "$sipcat" --authorize "$msgs/08-register-401.sip" --user u --password p "$tmp/other.sip"
expect_err "$tmp/other.sip:"
expect_err ": warning: Call-ID other@192.168.2.161 differs from the challenge's"
expect_rc 0 "$sipcat" --authorize "$msgs/08-register-401.sip" --user u --password p "$msgs/07-register.sip"
[ ! -s "$tmp/err" ] || fail "--authorize warned on the challenged request"

# ---- input that is not SIP ---------------------------------------------------------
: >"$tmp/empty.sip"
expect_rc 1 "$sipcat" "$tmp/empty.sip"
expect_err "$tmp/empty.sip:1:1: error: an empty file"
expect_rc 0 "$sipcat" --stream "$tmp/empty.sip"
expect_err "$tmp/empty.sip:1:1: warning: an empty file"
printf "$req" | gzip -c >"$tmp/msg.sip.gz"
expect_rc 1 "$sipcat" "$tmp/msg.sip.gz"
expect_err "$tmp/msg.sip.gz:1:1: error: gzip data"
! grep -q 'LF without CR' "$tmp/err" || fail "gzip data reported as LF without CR"
expect_rc 1 "$sipcat" --json "$tmp/msg.sip.gz"
jq -e -s 'length == 1 and .[0].type == "error" and .[0].code == null
          and (.[0].message | startswith("gzip data"))' "$tmp/out" >/dev/null || fail "gzip: no error record"

# ---- --lf never changes what a message means -----------------------------------------
# 1. A header line without a colon, headers after it: an error with and
# without --lf, at the same line and column.
mk nocolon.sip 'To: sip:user2@domain.com' 'Bogus line without colon\r\nTo: sip:user2@domain.com'
expect_rc 1 "$sipcat" "$tmp/nocolon.sip"
expect_err "$tmp/nocolon.sip:5:"
expect_err ": error: header line without colon"
at=$(sed -n "s|^$tmp/nocolon.sip:\([0-9]*:[0-9]*\): .*|\1|p" "$tmp/err")
tr -d '\r' <"$tmp/nocolon.sip" >"$tmp/nocolon.txt"
expect_rc 1 "$sipcat" --lf "$tmp/nocolon.txt"
expect_err "$tmp/nocolon.txt:$at: error: header line without colon"
[ ! -s "$tmp/out" ] || fail "--lf wrote a message whose headers became body"
# ... also when a Content-Length above it would take it as body: the
# declared bytes do not end the input there.
mk nocolon2.sip 'Max-Forwards: 70\r\n' 'Max-Forwards: 70\r\nContent-Length: 5\r\nBogus\r\n'
tr -d '\r' <"$tmp/nocolon2.sip" | sed '/^$/d' >"$tmp/nocolon2.txt"
expect_rc 1 "$sipcat" --lf "$tmp/nocolon2.txt"
expect_err "$tmp/nocolon2.txt:5:"
expect_err ": error: header line without colon"
# 2. A header block that ends with the input, without its blank line.
printf "$req" | head -c -2 >"$tmp/noblank.sip"
expect_rc 1 "$sipcat" "$tmp/noblank.sip"
expect_err "error: message ends inside the header block"
tr -d '\r' <"$tmp/noblank.sip" >"$tmp/noblank.txt"
expect_rc 1 "$sipcat" --lf "$tmp/noblank.txt"
expect_err "error: message ends inside the header block"
expect_rc 1 "$sipcat" --lf --stream "$tmp/noblank.txt"
# the same text with its blank line: accepted, as the CRLF message
printf "$req" | tr -d '\r' >"$tmp/blank.txt"
expect_rc 0 "$sipcat" --lf "$tmp/blank.txt"
printf "$req" | cmp -s - "$tmp/out" || fail "--lf: the complete message differs"

# ---- --json: where each record comes from, error records, lossless text ---------------
# Two messages with keep-alives between them: offset and index per record.
{ printf "$req"; printf '\r\n\r\n'; cat "$msgs/03-message-200.sip"; } >"$tmp/two.sip"
first=$(printf "$req" | wc -c)
expect_rc 0 "$sipcat" --json --stream "$tmp/two.sip"
jq -e -s --arg f "$tmp/two.sip" --argjson o "$((first + 4))" \
    '[.[] | [.type, .file, .offset, .index]] == [["request", $f, 0, 0], ["response", $f, $o, 1]]' \
    "$tmp/out" >/dev/null || { cat "$tmp/out" >&2; fail "stream records: file, offset, index"; }
expect_rc 0 "$sipcat" --json "$msgs/01-message.sip"
jq -e --arg f "$msgs/01-message.sip" '.file == $f and .offset == 0 and .index == 0' "$tmp/out" >/dev/null ||
    fail "datagram record: file, offset, index"
# An error record in stream order: a good message, then one that fails.
mk bad.sip 'Max-Forwards: 70' 'Max-Forwards: 300'
cat "$tmp/req.sip" "$tmp/bad.sip" >"$tmp/goodbad.sip"
expect_rc 1 "$sipcat" --json --stream "$tmp/goodbad.sip"
e=$(grep -bo 'Max-Forwards: 300' "$tmp/goodbad.sip" | cut -d: -f1)
jq -e -s --arg f "$tmp/goodbad.sip" --argjson o "$first" --argjson e "$((e + 14))" '
    length == 2 and .[0].type == "request" and .[1].type == "error"
    and .[1].file == $f and .[1].offset == $o and .[1].index == 1
    and .[1].error_offset == $e and .[1].line == 12 and .[1].col == 15
    and (.[1].code | type) == "number"
    and (.[1].message | startswith("bad Max-Forwards"))' "$tmp/out" >/dev/null ||
    { cat "$tmp/out" >&2; fail "error record"; }
expect_err "$tmp/goodbad.sip:12:15: error: bad Max-Forwards"
# the code is the library's: SIPMSG_E_MAX_FORWARDS's place in the enum
code=$(sed -n '/^typedef enum sipmsg_code {/,/^} sipmsg_code;/p' "$src/include/sipmsg/common.h" |
       grep -oE '^ *SIPMSG_(OK|E_[A-Z0-9_]+)' | grep -n 'SIPMSG_E_MAX_FORWARDS$' | cut -d: -f1)
jq -e -s --argjson c "$((code - 1))" '.[1].code == $c' "$tmp/out" >/dev/null || fail "error record: code"
# --strict errors give a record too; warnings do not.
expect_rc 1 "$sipcat" --json --strict "$tmp/err.sip"
jq -e -s '[.[].type] == ["error"] and (.[0].message | startswith("single-instance header repeated: CSeq"))' \
    "$tmp/out" >/dev/null || fail "--strict --json: error record"
expect_rc 0 "$sipcat" --json --strict "$tmp/nomf.sip"
jq -e -s '[.[].type] == ["request"]' "$tmp/out" >/dev/null || fail "--strict --json: a warning made a record"
# Bytes that are not UTF-8: U+FFFD in the text, the bytes in *_base64.
mk latin.sip 'From: sip:user1@domain.com' 'From: "J\374rgen" <sip:user1@domain.com>'
expect_rc 0 "$sipcat" --json "$tmp/latin.sip"
jq -e '.from.display == "J\ufffdrgen" and (.from | has("display_base64"))
       and (.headers[2] | has("value_base64")) and (.headers[1] | has("value_base64") | not)
       and (.to | has("display_base64") | not)' "$tmp/out" >/dev/null ||
    { cat "$tmp/out" >&2; fail "display_base64, value_base64"; }
python3 - "$tmp/out" <<'PY' || fail "value_base64 does not hold the wire bytes"
import base64, json, sys
m = json.load(open(sys.argv[1]))
assert base64.b64decode(m["headers"][2]["value_base64"]) == b'"J\xfcrgen" <sip:user1@domain.com>;tag=49583'
assert base64.b64decode(m["from"]["display_base64"]) == b"J\xfcrgen"
assert m["headers"][2]["value"] == '"J\ufffdrgen" <sip:user1@domain.com>;tag=49583'
PY
mk latin-ru.sip 'MESSAGE sip:user2@domain.com' 'MESSAGE sip:j\374rgen@domain.com'
expect_rc 0 "$sipcat" --json "$tmp/latin-ru.sip"
jq -e '.request_uri == "sip:j\ufffdrgen@domain.com" and .request_uri_base64 == "c2lwOmr8cmdlbkBkb21haW4uY29t"' \
    "$tmp/out" >/dev/null || { cat "$tmp/out" >&2; fail "request_uri_base64"; }
# A malformed lower Via: the Vias around it listed, the bad one an error.
mk lowvia.sip 'Max-Forwards' 'Via: SIP/2.0/UDP bad host;branch=z9hG4bK2, SIP/2.0/UDP h3.example.com;branch=z9hG4bK3\r\nMax-Forwards'
expect_rc 0 "$sipcat" --json "$tmp/lowvia.sip"
badoff=$(grep -bo 'bad host' "$tmp/lowvia.sip" | cut -d: -f1)
jq -e --argjson b "$((badoff + 4))" '
    (.via | length) == 3 and .via[0].host == "user1pc.domain.com"
    and (.via[1] | keys) == ["error"] and .via[1].error.offset == $b
    and (.via[1].error.message | type) == "string"
    and .via[2].host == "h3.example.com" and .via[2].branch == "z9hG4bK3"' "$tmp/out" >/dev/null ||
    { cat "$tmp/out" >&2; fail "a malformed lower Via"; }
expect_err "$tmp/lowvia.sip:3:"
expect_err ": warning: "
echo "sipcat diag: ok"
