#!/usr/bin/env bash
# sipcat --json: valid JSON Lines for every message, and chosen fields
# checked by value against the message text (expected values are written
# out here from the seed and the corpus, not taken from sipcat).
# usage: sipcat_json.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"

keys='["type","file","offset","index","method","request_uri","uri","status","reason","headers","via",
"from","to","call_id","cseq","max_forwards","contact","content_type",
"content_length","body","body_base64","parts","cpim","sdp"]'

# Every message: one line of valid JSON (checked by jq and by python3's
# json module) with exactly the documented keys.
for f in "$msgs"/*.sip "$rfc"/valid-*.sip; do
    expect_rc 0 "$sipcat" --json "$f"
    [ "$(wc -l <"$tmp/out")" = 1 ] || fail "not one line: $f"
    if command -v jq >/dev/null; then
        jq -e . "$tmp/out" >/dev/null || fail "invalid JSON: $f"
    fi
    cat "$tmp/out" >>"$tmp/all.jsonl"
done
cp "$tmp/all.jsonl" "$tmp/out"
json_check "all(list(x.keys()) == $(echo "$keys" | tr -d '\n') for x in m)" \
    "len(m) == $(ls "$msgs"/*.sip "$rfc"/valid-*.sip | wc -l)"

# The seed's MESSAGE (step 1).
expect_rc 0 "$sipcat" --json "$msgs/01-message.sip"
json_check 'm[0]["type"] == "request" and m[0]["method"] == "MESSAGE"' \
    'm[0]["request_uri"] == "sip:user2@domain.com"' \
    'm[0]["uri"] == {"scheme": "sip", "user": "user2", "host": "domain.com", "port": None, "params": {}}' \
    'm[0]["status"] is None and m[0]["reason"] is None' \
    'm[0]["via"] == [{"transport": "TCP", "host": "user1pc.domain.com", "port": None, "branch": "z9hG4bK776sgdkse", "received": None, "rport": None, "params": {"branch": "z9hG4bK776sgdkse"}}]' \
    'm[0]["from"] == {"display": None, "uri": "sip:user1@domain.com", "tag": "49583"}' \
    'm[0]["to"] == {"display": None, "uri": "sip:user2@domain.com", "tag": None}' \
    'm[0]["call_id"] == "asd88asd77a@1.2.3.4"' \
    'm[0]["cseq"] == {"seq": 1, "method": "MESSAGE"} and m[0]["max_forwards"] == 70' \
    'm[0]["contact"] is None and m[0]["content_type"] == "text/plain"' \
    'm[0]["content_length"] == 18 and m[0]["body"] == "user2, come here.\n"' \
    'm[0]["body_base64"] is None' \
    '[h["name"] for h in m[0]["headers"]] == ["Via", "Max-Forwards", "From", "To", "Call-ID", "CSeq", "Content-Type", "Content-Length"]' \
    'm[0]["headers"][3] == {"name": "To", "value": "sip:user2@domain.com"}'

# The proxied MESSAGE (step 2): two Vias, the folded received= included.
expect_rc 0 "$sipcat" --json "$msgs/02-message-proxied.sip"
json_check '[v["host"] for v in m[0]["via"]] == ["proxy.domain.com", "user1pc.domain.com"]' \
    'm[0]["via"][0]["branch"] == "z9hG4bK123dsghds" and m[0]["via"][1]["received"] == "1.2.3.4"' \
    'm[0]["via"][1]["params"] == {"branch": "z9hG4bK776sgdkse", "received": "1.2.3.4"}' \
    'm[0]["headers"][1]["value"] == "SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse;\r\n received=1.2.3.4"' \
    'm[0]["max_forwards"] == 69 and m[0]["from"]["tag"] == "49394"'

# The 200 OK (step 3) and the 401 to the REGISTER.
expect_rc 0 "$sipcat" --json "$msgs/03-message-200.sip"
json_check 'm[0]["type"] == "response" and m[0]["status"] == 200 and m[0]["reason"] == "OK"' \
    'm[0]["method"] is None and m[0]["uri"] is None and m[0]["request_uri"] is None' \
    'm[0]["to"]["tag"] == "ab8asdasd9" and m[0]["via"][0]["received"] == "192.0.2.1"' \
    'm[0]["content_length"] == 0 and m[0]["body"] == ""'
expect_rc 0 "$sipcat" --json "$msgs/08-register-401.sip"
json_check 'm[0]["status"] == 401 and m[0]["reason"] == "Unauthorized"' \
    'm[0]["via"][0]["host"] == "192.168.2.161" and m[0]["via"][0]["port"] == 8021' \
    'm[0]["via"][0]["branch"] is None' \
    'm[0]["from"]["uri"] == "sip:01062237493@192.168.2.89"' \
    'm[0]["from"]["tag"] == "efca469543ce4788a6a6a2c7b66cd01f"' \
    'm[0]["to"]["tag"] == "-001893-38ba013ba3dde36e"' \
    'm[0]["contact"] == [{"display": None, "uri": "sip:192.168.2.89:14010", "expires": None, "q": None}]' \
    'm[0]["headers"][-1]["name"] == "WWW-Authenticate"' \
    'm[0]["headers"][-1]["value"].startswith("Digest realm=\"192.168.2.89\", qop=\"auth\"")'
expect_rc 0 "$sipcat" --json "$msgs/05-register-noauth.sip"
json_check 'm[0]["uri"] == {"scheme": "sip", "user": None, "host": "192.168.2.89", "port": None, "params": {}}' \
    'm[0]["cseq"] == {"seq": 1, "method": "REGISTER"}' \
    'm[0]["contact"][0]["uri"] == "sip:192.168.2.161:10586"' \
    'm[0]["headers"][6]["value"].endswith("ACK, REFER\"")'

# Corpus: escapes kept in URIs, IPv6 brackets kept, quoted display names.
expect_rc 0 "$sipcat" --json "$rfc/valid-esc01.sip"
json_check 'm[0]["uri"]["user"] == "sips%3Auser%40example.com" and m[0]["uri"]["host"] == "example.net"' \
    'm[0]["to"]["uri"] == "sip:%75se%72@example.com"'
expect_rc 0 "$sipcat" --json "$rfc/valid-ipv6.sip"
json_check 'm[0]["uri"]["host"] == "[2001:db8::10]"' \
    'm[0]["via"][0]["host"] == "[2001:db8::9:1]" and m[0]["via"][0]["port"] == 5070' \
    'm[0]["via"][0]["received"] == "[2001:db8::9:255]"' \
    'm[0]["contact"][0]["display"] == "Caller"' \
    'm[0]["contact"][0]["uri"] == "sip:caller@[2001:db8::1]:5060"'

# Hand-made: escapes in display names, non-UTF-8 bytes, rport, Contact *,
# expires and q, URI parameters, and a binary body.
printf 'REGISTER sip:reg.example.com;transport=tcp;lr SIP/2.0\r
Via: SIP/2.0/UDP [2001:db8::1]:5070;rport;branch=z9hG4bKa\r
Via: SIP/2.0/UDP h2.example.com;rport=5061;branch=z9hG4bKb\r
From: "A \\"quoted\\" \\\\ name" <sip:a@example.com>;tag=t1\r
To: <sip:a@example.com>\r
Call-ID: c1\r
CSeq: 7 REGISTER\r
Subject: caf\351 \303\251t\303\251\ttab\r
Contact: "Bob" <sip:b@h.example.com>;expires=3600;q=0.7, <sip:c@h.example.com>\r
Content-Type: application/octet-stream\r
Content-Length: 6\r
\r
\000\001\377ab\n' >"$tmp/made.sip"
expect_rc 0 "$sipcat" --json "$tmp/made.sip"
python3 -m json.tool "$tmp/out" >/dev/null || fail "invalid JSON: hand-made"
# A Latin-1 byte (0xE9) is U+FFFD in the text and kept in value_base64; the
# real UTF-8 \303\251 stays as it is.
json_check 'm[0]["from"]["display"] == "A \"quoted\" \\ name"' \
    'm[0]["headers"][6]["value"] == "caf\ufffd \u00e9t\u00e9\ttab"' \
    'base64.b64decode(m[0]["headers"][6]["value_base64"]) == b"caf\xe9 \xc3\xa9t\xc3\xa9\ttab"' \
    '"value_base64" not in m[0]["headers"][5]' \
    'm[0]["via"][0]["rport"] is True and m[0]["via"][1]["rport"] == 5061' \
    'm[0]["via"][0]["host"] == "[2001:db8::1]" and m[0]["via"][0]["params"]["rport"] is None' \
    'm[0]["uri"]["params"] == {"transport": "tcp", "lr": None}' \
    'm[0]["contact"] == [{"display": "Bob", "uri": "sip:b@h.example.com", "expires": 3600, "q": "0.7"}, {"display": None, "uri": "sip:c@h.example.com", "expires": None, "q": None}]' \
    'm[0]["cseq"]["seq"] == 7 and m[0]["max_forwards"] is None' \
    'm[0]["body"] is None and m[0]["body_base64"] == "AAH/YWIK"' \
    'm[0]["content_type"] == "application/octet-stream" and m[0]["content_length"] == 6'
printf 'REGISTER sip:reg.example.com SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nContact: *\r\nExpires: 0\r\nContent-Type: text/plain;charset=UTF-8\r\n\r\n' >"$tmp/star.sip"
expect_rc 0 "$sipcat" --json "$tmp/star.sip"
json_check 'm[0]["contact"] == "*" and m[0]["from"] is None and m[0]["cseq"] is None' \
    'm[0]["content_type"] == "text/plain;charset=UTF-8" and m[0]["content_length"] is None'

# A stream: one line per message.
expect_rc 0 "$sipcat" --json --stream "$msgs/01-message.sip" "$msgs/03-message-200.sip"
json_check 'len(m) == 2 and m[1]["status"] == 200'
echo "sipcat json: ok"
