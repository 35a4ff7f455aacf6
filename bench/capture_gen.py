#!/usr/bin/env python3
"""capture_gen.py CALLS OUT - a large capture for bench/capture.sh: the sipp
call of tests/captures/udp.pcap (6 SIP messages over UDP) repeated CALLS
times, each copy with its own Call-ID, client port (rising, wrapping over
10000-59999) and timestamps (a new call every 2 ms), the calls overlapping
in time like a busy server's. Written as a pcap with the original Ethernet
and IPv4 headers rebuilt around each message."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "captures"))
import pcaplib as P

calls, out = int(sys.argv[1]), sys.argv[2]
msgs = P.sip_payloads(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                   "captures", "udp.pcap"))
t0 = msgs[0][0] * 10**6 + msgs[0][1]
cid = [l for l in msgs[0][6].split(b"\r\n") if l.lower().startswith(b"call-id:")][0].split(b":", 1)[1].strip()
events = []
for c in range(calls):
    port = 10000 + c % 50000
    newcid = b"%d-%s" % (c, cid)
    start = c * 2000  # microseconds
    for sec, usec, _, sp, dp, _, pay in msgs:
        t = start + (sec * 10**6 + usec - t0)
        pay = pay.replace(cid, newcid)
        sp2 = port if sp == 5060 else sp
        dp2 = port if dp == 5060 else dp
        events.append((t, sp2, dp2, pay))
events.sort(key=lambda e: e[0])
base = msgs[0][0] * 10**6 + msgs[0][1]
with open(out, "wb") as f:
    f.write(P.header(P.ETH))
    for i, (t, sp, dp, pay) in enumerate(events):
        pkt = P.eth(P.ipv4(P.LO, P.LO, 17, P.udp(sp, dp, pay), ident=i & 0xFFFF))
        tt = base + t
        f.write(P.record(tt // 10**6, tt % 10**6, pkt))
print("%s: %d calls, %d SIP messages, %d bytes" % (out, calls, len(events), os.path.getsize(out)))
