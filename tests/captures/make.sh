#!/usr/bin/env bash
# Regenerates the capture files of tests/captures from real traffic: sipp
# (Debian sip-tester) calls over loopback, recorded with tcpdump and dumpcap.
# Then derive.py makes the link-type, fragment and TCP variants from them
# and hostile.py the hand-made damaged ones. Needs root (capturing on lo).
#
#   bash tests/captures/make.sh        (writes into tests/captures/)
#
# One call per capture (sipp's built-in uac/uas scenarios: INVITE, 100,
# 180, 200, ACK, BYE, 200), 7 messages. Loopback only, a few seconds.
set -euo pipefail
cd "$(dirname "$0")"
for t in sipp tcpdump dumpcap python3; do
    command -v $t >/dev/null || { echo "make.sh: $t is needed (apt-get install sip-tester tcpdump tshark)" >&2; exit 1; }
done
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

# call NAME TRANSPORT(u1|t1) HOST CAPTURE_COMMAND...: one sipp call on
# ports 5070 (uas) and 5060 (uac) while CAPTURE_COMMAND records it.
call() {
    local name=$1 t=$2 host=$3 target=$3:5070
    [ "$host" = ::1 ] && target=[::1]:5070
    shift 3
    "$@" &
    local cap=$!
    pids+=("$cap")
    sleep 1.5
    timeout 30 sipp -sn uas -t "$t" -i "$host" -p 5070 -m 1 -trace_err \
        -error_file "$tmp/uas.err" </dev/null >/dev/null 2>&1 &
    local uas=$!
    pids+=("$uas")
    sleep 0.5
    timeout 20 sipp -sn uac -t "$t" -i "$host" -p 5060 -m 1 -d 200 -timeout 15s \
        -trace_err -error_file "$tmp/uac.err" "$target" </dev/null >/dev/null 2>&1
    wait "$uas" 2>/dev/null || true
    sleep 1
    kill -INT "$cap"
    wait "$cap" 2>/dev/null || true
    echo "made $name"
}

filter='port 5060 or port 5070'
call udp.pcap u1 127.0.0.1 tcpdump -i lo -s 0 -U -w "$tmp/udp.pcap" "$filter"
call tcp.pcap t1 127.0.0.1 tcpdump -i lo -s 0 -U -w "$tmp/tcp.pcap" "$filter"
# pcapng, as Wireshark's dumpcap writes it
call udp.pcapng u1 127.0.0.1 dumpcap -q -i lo -n -f "$filter" -w "$tmp/udp.pcapng"
# Linux cooked captures (tcpdump -i any): SLL v1 and v2, over TCP and UDP
call tcp-sll.pcap t1 127.0.0.1 tcpdump -i any -y LINUX_SLL -s 0 -U -w "$tmp/tcp-sll.pcap" "$filter"
call udp-sll2.pcap u1 127.0.0.1 tcpdump -i any -y LINUX_SLL2 -s 0 -U -w "$tmp/udp-sll2.pcap" "$filter"
# IPv6 over loopback
call udp6.pcap u1 ::1 tcpdump -i lo -s 0 -U -w "$tmp/udp6.pcap" "$filter"

for f in udp.pcap tcp.pcap udp.pcapng tcp-sll.pcap udp-sll2.pcap udp6.pcap; do
    cp "$tmp/$f" "$f" && chmod 644 "$f"
done
python3 derive.py
python3 hostile.py
ls -l ./*.pcap ./*.pcapng
