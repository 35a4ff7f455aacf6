#!/usr/bin/env bash
# sipcat --json: the body keys "parts", "cpim" and "sdp" (sipmsg/body.h),
# checked with jq against values written out here from the bodies in
# tests/bodies/ and RFC 4475's mpart01.
# usage: sipcat_body.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"
bodies=$src/tests/bodies
command -v jq >/dev/null || { echo "jq not found: apt-get install jq" >&2; exit 1; }

# jqt FILTER: the filter must give true for the one JSON line in $tmp/out.
jqt() {
    [ "$(jq -c "$1" "$tmp/out")" = true ] || { jq -c . "$tmp/out" >&2; fail "jq: $1"; }
}

# mkmsg OUT START_LINE CONTENT_TYPE BODY_FILE: a request with that body.
mkmsg() {
    local n
    n=$(wc -c <"$4")
    {
        printf '%s\r\nVia: SIP/2.0/UDP pc.example.com;branch=z9hG4bK74bf9\r\n' "$2"
        printf 'Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=9fxced76sl\r\n'
        printf 'To: <sip:b@example.com>\r\nCall-ID: 3848276298220188511@pc\r\n'
        printf 'CSeq: 1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\n\r\n' \
            "${2%% *}" "$3" "$n"
        cat "$4"
    } >"$1"
}

# A message without a body kind of ours: the three keys are null.
expect_rc 0 "$sipcat" --json "$msgs/01-message.sip"
jqt '.parts == null and .cpim == null and .sdp == null'

# RFC 4475 mpart01: a text part and a binary part.
expect_rc 0 "$sipcat" --json "$rfc/valid-mpart01.sip"
jqt '.parts | length == 2'
jqt '.parts[0] == {"content_type":"text/plain","headers":[{"name":"Content-Type","value":"text/plain"}],"body":"hello","body_base64":null}'
jqt '.parts[1].content_type == "application/octet-stream" and .parts[1].body == null'
jqt '.parts[1].headers[1] == {"name":"Content-Transfer-Encoding","value":"binary"}'
jqt '(.parts[1].body_base64 | @base64d | length) > 200'
jqt '.parts[1].body_base64 | startswith("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIj")'
jqt '.cpim == null and .sdp == null'

# The seed's IM in CPIM, with the seed's application/cpim.
mkmsg "$tmp/cpim.sip" "MESSAGE sip:user2@domain.com SIP/2.0" application/cpim "$bodies/seed.cpim"
expect_rc 0 "$sipcat" --json "$tmp/cpim.sip"
jqt '.cpim.headers == [{"name":"From","value":"<im:user1@domain.com>"},{"name":"To","value":"<im:user2@domain.com>"},{"name":"DateTime","value":"2026-11-30T10:48:54-05:00"}]'
jqt '.cpim.content_type == "text/plain" and .cpim.body == "user2, come here.\n"'
jqt '.cpim.mime_headers == [{"name":"Content-Type","value":"text/plain"}]'
jqt '.parts == null and .sdp == null'
mkmsg "$tmp/cpim2.sip" "MESSAGE sip:eeyore@100akerwood.com SIP/2.0" message/cpim "$bodies/rfc3862.cpim"
expect_rc 0 "$sipcat" --json "$tmp/cpim2.sip"
jqt '.cpim.headers | length == 9'
jqt '.cpim.headers[4] == {"name":"Subject","value":"beau temps prevu pour aujourd'"'"'hui"}'
jqt '.cpim.content_type == "text/xml; charset=utf-8"'

# A typical audio/video offer.
mkmsg "$tmp/av.sip" "INVITE sip:bob@example.com SIP/2.0" application/sdp "$bodies/av-offer.sdp"
expect_rc 0 "$sipcat" --json "$tmp/av.sip"
jqt '.sdp.v == 0 and .sdp.s == "-" and .sdp.t == "0 0"'
jqt '.sdp.o == {"username":"alice","sess_id":"2890844526","sess_version":"2890844527","nettype":"IN","addrtype":"IP4","address":"198.51.100.10"}'
jqt '.sdp.c == {"nettype":"IN","addrtype":"IP4","address":"198.51.100.10"}'
jqt '.sdp.a == [{"name":"group","value":"BUNDLE 0 1"},{"name":"msid-semantic","value":" WMS stream1"}]'
jqt '.sdp.media | length == 2'
jqt '.sdp.media[0] | .media == "audio" and .port == 49170 and .count == null and .proto == "RTP/AVP" and .c == null'
jqt '.sdp.media[0].formats == ["111","0","8","9","101"]'
jqt '.sdp.media[0].a[0] == {"name":"mid","value":"0"}'
jqt '.sdp.media[0].a | map(select(.name == "sendrecv")) == [{"name":"sendrecv","value":null}]'
jqt '.sdp.media[1] | .media == "video" and .port == 51372 and (.a | length) == 9'
jqt '.sdp.lines | length == 33'
jqt '.sdp.lines[5] == ["b","AS:2048"]'
jqt '.parts == null and .cpim == null'

# MSRP session mode (the seed's large MESSAGE): path, accept-types, m=message.
mkmsg "$tmp/msrp.sip" "INVITE sip:user2@domain.com SIP/2.0" application/sdp "$bodies/msrp-offer.sdp"
expect_rc 0 "$sipcat" --json "$tmp/msrp.sip"
jqt '.sdp.media[0] | .media == "message" and .port == 7394 and .proto == "TCP/MSRP" and .formats == ["*"]'
jqt '.sdp.media[0].a | map(select(.name == "path"))[0].value == "msrp://user1pc.domain.com:7394/iau39soe2843z;tcp"'
jqt '.sdp.media[0].a | map(select(.name == "accept-types"))[0].value == "text/plain message/cpim"'

# RFC 5118: IPv6 in c= per media section.
mkmsg "$tmp/v6.sip" "INVITE sip:bob@example.com SIP/2.0" application/sdp "$bodies/ipv6-multi.sdp"
expect_rc 0 "$sipcat" --json "$tmp/v6.sip"
jqt '.sdp.c == null and .sdp.media[1].c == {"nettype":"IN","addrtype":"IP6","address":"2001:db8::1"}'
jqt '.sdp.media[0].c.address == "192.0.2.1"'

# A body that does not parse: null, and a warning at its file position.
printf 'v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0 1x\r\n' >"$tmp/bad.sdp"
mkmsg "$tmp/bad.sip" "INVITE sip:bob@example.com SIP/2.0" application/sdp "$tmp/bad.sdp"
expect_rc 0 "$sipcat" --json "$tmp/bad.sip"
jqt '.sdp == null'
expect_err "warning: m= format is not an RTP payload type 0-127"
expect_err "bad.sip:15:21:"
printf -- '--b\r\nContent-Type: text/plain\r\n\r\nno end\r\n' >"$tmp/cut.mp"
mkmsg "$tmp/cut.sip" "MESSAGE sip:bob@example.com SIP/2.0" 'multipart/mixed;boundary=b' "$tmp/cut.mp"
expect_rc 0 "$sipcat" --json "$tmp/cut.sip"
jqt '.parts == null'
expect_err "multipart body without its closing delimiter"
mkmsg "$tmp/nob.sip" "MESSAGE sip:bob@example.com SIP/2.0" 'multipart/mixed' "$tmp/cut.mp"
expect_rc 0 "$sipcat" --json "$tmp/nob.sip"
expect_err "without a boundary parameter"
echo "sipcat body: ok"
