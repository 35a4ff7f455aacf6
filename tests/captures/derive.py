#!/usr/bin/env python3
"""derive.py - variants of the sipp captures (udp.pcap, tcp.pcap) that the
capture machine cannot easily make on loopback. Each holds the same SIP
messages, byte for byte, as the capture it comes from:

  udp-qinq.pcap   Ethernet with two VLAN tags (802.1ad 100, 802.1Q 200)
  udp-raw.pcap    LINKTYPE_RAW (no link header)
  udp-null.pcap   BSD loopback (DLT_NULL, host-order family 2)
  udp-frag.pcap   every datagram over 192 bytes in IPv4 fragments of 192
                  bytes (the INVITE's in reverse order)
  tcp-split.pcap  the TCP call re-segmented: SYNs, 150-byte segments (every
                  message split across segments), the ACK and the BYE in
                  one segment, a retransmitted segment, two segments out
                  of order, FINs
"""
import struct
import pcaplib as P

udp = P.sip_payloads("udp.pcap")
tcpmsgs = P.sip_payloads("tcp.pcap")


def udp_packets(wrap):
    out = []
    for i, (sec, usec, _, sp, dp, _, pay) in enumerate(udp):
        out.append((sec, usec, wrap(P.ipv4(P.LO, P.LO, 17, P.udp(sp, dp, pay), ident=100 + i))))
    return out


P.write("udp-qinq.pcap", P.ETH,
        udp_packets(lambda ip: P.eth(ip, tags=((0x88A8, 100), (0x8100, 200)))))
P.write("udp-raw.pcap", P.RAW, udp_packets(lambda ip: ip))
P.write("udp-null.pcap", P.NULL, udp_packets(lambda ip: struct.pack("<I", 2) + ip))

frags = []
for i, (sec, usec, _, sp, dp, _, pay) in enumerate(udp):
    dgram = P.udp(sp, dp, pay)
    pieces = [dgram[o:o + 192] for o in range(0, len(dgram), 192)]
    pk = []
    for k, piece in enumerate(pieces):
        more = 0x2000 if k < len(pieces) - 1 else 0
        pk.append(P.eth(P.ipv4(P.LO, P.LO, 17, piece, ident=200 + i, frag=more | (k * 24))))
    if i == 0:
        pk.reverse()
    frags += [(sec, usec + j, p) for j, p in enumerate(pk)]
P.write("udp-frag.pcap", P.ETH, frags)

# TCP: the stream of each direction, re-cut.
A, B = 5060, 5070
isn = {A: 1000, B: 5000}
pos = {A: isn[A] + 1, B: isn[B] + 1}
t0 = tcpmsgs[0]
pk = [(t0[0], t0[1], P.eth(P.ipv4(P.LO, P.LO, 6, P.tcp(A, B, isn[A], b"", flags=0x02)))),
      (t0[0], t0[1], P.eth(P.ipv4(P.LO, P.LO, 6, P.tcp(B, A, isn[B], b"", flags=0x12))))]
pending = None  # the ACK waits for the BYE: one segment holds both
for n, (sec, usec, _, sp, dp, _, pay) in enumerate(tcpmsgs):
    if pay.startswith(b"ACK "):
        pending = pay
        continue
    if pending is not None:
        pay = pending + pay
        pending = None
    segs = []
    for o in range(0, len(pay), 150):
        segs.append((pos[sp] + o, pay[o:o + 150]))
    pos[sp] += len(pay)
    if n == 0 and len(segs) > 2:      # the INVITE: segment 2 retransmitted
        segs.insert(2, segs[1])
    if pay.startswith(b"SIP/2.0 200") and b"INVITE" in pay and len(segs) > 3:
        segs[1], segs[2] = segs[2], segs[1]  # out of order
    for j, (seq, data) in enumerate(segs):
        pk.append((sec, usec + j, P.eth(P.ipv4(P.LO, P.LO, 6, P.tcp(sp, dp, seq, data)))))
last = tcpmsgs[-1]
for sp, dp in ((A, B), (B, A)):
    pk.append((last[0], last[1] + 50, P.eth(P.ipv4(P.LO, P.LO, 6, P.tcp(sp, dp, pos[sp], b"", flags=0x11)))))
P.write("tcp-split.pcap", P.ETH, pk)
print("derived: udp-qinq.pcap udp-raw.pcap udp-null.pcap udp-frag.pcap tcp-split.pcap")
