#!/usr/bin/env bash
# sipcat on packet captures (tests/captures, made by make.sh from sipp
# traffic, derive.py and hostile.py): JSON keys, every link type, IPv6,
# IPv4 fragments, TCP re-segmented, filters, --dialog, --flow (golden) and
# --flow=svg, the hostile captures.
# usage: sipcat_pcap.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"
cap=$src/tests/captures

rc=0
"$sipcat" --json "$cap/udp.pcap" >"$tmp/probe" 2>&1 || rc=$?
if grep -q "built without capture support" "$tmp/probe"; then
    [ "$rc" = 2 ] || fail "without libpcap: exit $rc, want 2"
    echo "sipcat pcap: skipped (sipcat built without libpcap)"
    exit 0
fi

# ---- JSON records: the sipp call over UDP, 6 messages.
expect_rc 0 "$sipcat" --json "$cap/udp.pcap"
json_check 'len(m) == 6' \
    '[x["frame"] for x in m] == [1, 2, 3, 4, 5, 6]' \
    '[x.get("method") or x["status"] for x in m] == ["INVITE", 180, 200, "ACK", "BYE", 200]' \
    'all(x["transport"] == "udp" for x in m)' \
    '[x["src"] for x in m] == ["127.0.0.1:5060", "127.0.0.1:5070", "127.0.0.1:5070", "127.0.0.1:5060", "127.0.0.1:5060", "127.0.0.1:5070"]' \
    'all(x["dst"] == ("127.0.0.1:5070" if x["src"].endswith("5060") else "127.0.0.1:5060") for x in m)' \
    'm[0]["time"] == "2026-12-06T02:32:57.192098Z" and m[5]["time"] == "2026-12-06T02:32:57.400138Z"' \
    'all(__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", x["time"]) for x in m)' \
    'len(set(x["call_id"] for x in m)) == 1'
# the same keys through jq
jq -e -s 'map(.frame, .time, .src, .dst, .transport) | all(. != null)' "$tmp/out" >/dev/null ||
    fail "jq: a capture key is missing"

# ---- every variant gives the same messages, byte for byte.
"$sipcat" "$cap/udp.pcap" >"$tmp/udp.txt"
[ "$(grep -c '^CSeq: ' "$tmp/udp.txt")" = 6 ] || fail "udp.pcap: not 6 messages"
for f in udp.pcapng udp-qinq.pcap udp-raw.pcap udp-null.pcap udp-frag.pcap udp-sll2.pcap; do
    expect_rc 0 "$sipcat" "$cap/$f"
    if [ "$f" = udp-sll2.pcap ] || [ "$f" = udp.pcapng ]; then
        # other sipp runs: the same call with other tags and branches
        [ "$(grep -c '^CSeq: ' "$tmp/out")" = 6 ] || fail "$f: not 6 messages"
    else
        cmp -s "$tmp/out" "$tmp/udp.txt" || fail "$f: messages differ from udp.pcap"
    fi
done
"$sipcat" "$cap/tcp.pcap" >"$tmp/tcp.txt"
[ "$(grep -c '^CSeq: ' "$tmp/tcp.txt")" = 6 ] || fail "tcp.pcap: not 6 messages"
expect_rc 0 "$sipcat" "$cap/tcp-split.pcap"
cmp -s "$tmp/out" "$tmp/tcp.txt" || fail "tcp-split.pcap: messages differ from tcp.pcap"
expect_rc 0 "$sipcat" --json "$cap/tcp-sll.pcap"
json_check 'len(m) == 6' 'all(x["transport"] == "tcp" for x in m)'
expect_rc 0 "$sipcat" --json "$cap/udp6.pcap"
json_check 'len(m) == 6' 'm[0]["src"] == "[::1]:5060" and m[0]["dst"] == "[::1]:5070"'
# tcp-split: the INVITE is complete at its last segment (SYNs, 4 segments, a retransmission).
expect_rc 0 "$sipcat" --json "$cap/tcp-split.pcap"
json_check 'len(m) == 6' '[x.get("method") or x["status"] for x in m] == ["INVITE", 180, 200, "ACK", "BYE", 200]' \
    'm[0]["frame"] >= 6'
# the limits do not change a capture that fits them
expect_rc 0 "$sipcat" --max-flows 1 --flow-buffer 4096 --timeout 1 "$cap/tcp-split.pcap"
cmp -s "$tmp/out" "$tmp/tcp.txt" || fail "--max-flows 1: messages differ"
# stdin, and --pcap
expect_rc 0 "$sipcat" - <"$cap/udp.pcapng"
[ "$(grep -c '^CSeq: ' "$tmp/out")" = 6 ] || fail "stdin: not 6 messages"
expect_rc 0 "$sipcat" --pcap --check "$cap/udp.pcap" "$cap/tcp.pcap" "$cap/udp6.pcap"
[ ! -s "$tmp/out" ] || fail "--check printed something"
expect_rc 0 "$sipcat" --strict --check "$cap/udp.pcap"
# --pcap on a file that is not one
expect_rc 2 "$sipcat" --pcap "$msgs/01-message.sip"
expect_err "not a capture libpcap can read"

# ---- plain output: blank lines between messages, --frames comments.
expect_rc 0 "$sipcat" --frames "$cap/udp.pcap"
[ "$(grep -c '^# frame ' "$tmp/out")" = 6 ] || fail "--frames: not 6 comment lines"
head -1 "$tmp/out" | grep -qx '# frame 1 2026-12-06T02:32:57.192098Z 127.0.0.1:5060 -> 127.0.0.1:5070 udp' ||
    fail "--frames: first line $(head -1 "$tmp/out")"

# ---- filters
expect_rc 0 "$sipcat" --json --method INVITE "$cap/udp.pcap"
json_check '[x.get("method") or x["status"] for x in m] == ["INVITE", 180, 200]'
expect_rc 0 "$sipcat" --json --method=BYE "$cap/tcp.pcap"
json_check '[x.get("method") or x["status"] for x in m] == ["BYE", 200]'
cid=$(jq -r .call_id "$tmp/out" | head -1)
expect_rc 0 "$sipcat" --json --call-id "$cid" "$cap/tcp.pcap"
json_check 'len(m) == 6'
expect_rc 0 "$sipcat" --json --call-id nosuch "$cap/tcp.pcap"
[ ! -s "$tmp/out" ] || fail "--call-id nosuch printed records"
expect_rc 0 "$sipcat" --json --port 5999 "$cap/udp.pcap"
[ ! -s "$tmp/out" ] || fail "--port 5999 printed records"
expect_rc 0 "$sipcat" --json --port 5070 "$cap/udp.pcap"
json_check 'len(m) == 6'
# the filters work on message files too
expect_rc 0 "$sipcat" --method REGISTER --check "$msgs"/*.sip

# ---- --dialog: two calls interleaved in one capture
python3 - "$cap" "$tmp/two.pcap" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import pcaplib as P
_, _, a = P.read(sys.argv[1] + "/udp.pcap")
_, _, b = P.read(sys.argv[1] + "/tcp.pcap")
t0a, t0b = a[0][0] * 10**6 + a[0][1], b[0][0] * 10**6 + b[0][1]
pk = [(t0a + 10**6 + (s * 10**6 + u - t0a), d) for s, u, _, _, d in a]
pk += [(t0a + 10**6 + (s * 10**6 + u - t0b) + 50, d) for s, u, _, _, d in b]
pk.sort(key=lambda p: p[0])
P.write(sys.argv[2], P.ETH, [(t // 10**6, t % 10**6, d) for t, d in pk])
PY
expect_rc 0 "$sipcat" --json "$tmp/two.pcap"
json_check 'len(m) == 12' '[x["transport"] for x in m] == ["udp"] * 4 + ["tcp"] * 4 + ["udp"] * 2 + ["tcp"] * 2'
expect_rc 0 "$sipcat" --json --dialog "$tmp/two.pcap"
json_check 'len(m) == 12' '[x["dialog"] for x in m] == [1] * 6 + [2] * 6' \
    'all(x["transport"] == "udp" for x in m[:6])' 'all(x["transport"] == "tcp" for x in m[6:])' \
    '[x.get("method") or x["status"] for x in m[6:]] == ["INVITE", 180, 200, "ACK", "BYE", 200]'
expect_rc 0 "$sipcat" --dialog "$tmp/two.pcap"
[ "$(grep -c '^# dialog ' "$tmp/out")" = 2 ] || fail "--dialog: not 2 dialog lines"

# ---- --flow: golden ladder (plain on a pipe), and SVG
expect_rc 0 "$sipcat" --flow "$cap/udp.pcap"
diff -u "$cap/udp.flow" "$tmp/out" >&2 || fail "--flow differs from tests/captures/udp.flow"
expect_rc 0 "$sipcat" --flow=text "$cap/udp.pcap"
cmp -s "$cap/udp.flow" "$tmp/out" || fail "--flow=text differs"
expect_rc 0 "$sipcat" --flow --method BYE "$tmp/two.pcap"
[ "$(grep -c -- '-|$' "$tmp/out")" = 2 ] || fail "--flow --method BYE: not 2 rows"
grep -q 'BYE (2)' "$tmp/out" || fail "--flow: no BYE row"
[ "$(head -1 "$tmp/out" | grep -o '127.0.0.1:50[67]0' | wc -l)" = 2 ] || fail "--flow: not 2 columns"
expect_rc 0 "$sipcat" --flow=svg "$tmp/two.pcap"
if command -v xmllint >/dev/null; then
    xmllint --noout "$tmp/out" || fail "--flow=svg: not well-formed XML"
fi
python3 - "$tmp/out" <<'PY' || fail "--flow=svg: wrong content"
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg"
msgs = [g for g in root.findall("s:g", ns) if g.get("class", "").startswith("msg")]
assert len(msgs) == 12, len(msgs)
labels = [g.findall("s:text", ns)[-1].text for g in msgs]
assert labels[0] == "INVITE (1)" and labels.count("BYE (2)") == 2, labels
assert len([g for g in root.findall("s:g", ns) if g.get("class") == "endpoint"]) == 2
PY
expect_rc 2 "$sipcat" --flow "$msgs/01-message.sip"
expect_err "read captures"
expect_rc 2 "$sipcat" --flow --json "$cap/udp.pcap"
expect_rc 2 "$sipcat" --flow=png "$cap/udp.pcap"

# ---- hostile captures: an error record or a skip, never a crash.
# hostile_case FILE RC N_MESSAGES ERROR_TEXT
hostile_case() {
    local f=$cap/$1
    expect_rc "$2" "$sipcat" --json "$f"
    [ "$(jq -c 'select(.type != "error")' "$tmp/out" | wc -l)" = "$3" ] ||
        fail "$1: not $3 messages"
    if [ -n "$4" ]; then
        jq -e -s --arg t "$4" 'map(select(.type == "error" and (.message | contains($t)))) | length > 0' \
            "$tmp/out" >/dev/null || fail "$1: no error record with: $4"
        expect_err "$4"
    fi
    "$sipcat" --check "$f" >/dev/null 2>&1 || [ $? -lt 128 ] || fail "$1: crashed"
}
hostile_case hostile-truncated.pcap 1 1 "truncated dump file"
hostile_case hostile-snaplen.pcap 1 0 "cut by the capture's snaplen: 158 of 509 bytes"
hostile_case hostile-overlap.pcap 1 1 "TCP stream:"
jq -e -s '.[0].method == "INVITE" and (.[0].headers | length) > 5' "$tmp/out" >/dev/null ||
    fail "overlap: the first bytes did not win"
hostile_case hostile-badfrag.pcap 1 1 "IP fragment with a bad offset"
expect_err "a fragment other than the last holds a multiple of 8 bytes"
expect_err "the capture ends before its last fragment"
hostile_case hostile-zero-udp.pcap 1 1 "bad UDP length"
hostile_case hostile-huge.pcap 1 1 "bigger than snaplen"
hostile_case hostile-gap.pcap 1 1 "TCP gap: 150 bytes missing"
jq -e -s 'map(select(.type != "error"))[0].status == 180' "$tmp/out" >/dev/null ||
    fail "gap: the 180 after the gap is missing"
hostile_case hostile-notsip.pcap 0 0 ""
[ ! -s "$tmp/err" ] || fail "notsip: something on stderr"
echo "sipcat pcap: ok"
