#!/usr/bin/env python3
"""hostile.py - hand-made damaged captures, built around the INVITE and the
180 of udp.pcap. sipcat must give an error record or skip each one, never
crash or read out of bounds (tests/sipcat_pcap.sh says which).

  hostile-truncated.pcap  the file ends inside the 2nd packet record
  hostile-snaplen.pcap    snaplen 200: the INVITE's datagram is cut
  hostile-overlap.pcap    TCP: a segment overlapping the one before it with
                          other bytes (the first bytes win), then a
                          retransmission holding garbage past the end
  hostile-badfrag.pcap    IPv4 fragments: an offset past 65,535, a non-last
                          fragment of 13 bytes, then a fragment set that
                          never completes
  hostile-zero-udp.pcap   a UDP datagram with no payload, one whose length
                          field passes the IP packet, then the 180
  hostile-huge.pcap       a record header claiming a 2 GB packet
  hostile-gap.pcap        TCP: a segment lost in the middle of the INVITE;
                          the 180 after it still comes out
  hostile-notsip.pcap     UDP and TCP payloads that are not SIP (HTTP, an
                          RTP-like binary), on port 5060 too: skipped
"""
import struct
import pcaplib as P

udp = P.sip_payloads("udp.pcap")
INVITE = udp[0][6]
RINGING = udp[1][6]
T = udp[0][0]


def U(pay, sp=5060, dp=5070, ident=1, length=None):
    return P.eth(P.ipv4(P.LO, P.LO, 17, P.udp(sp, dp, pay, length), ident=ident))


def TC(seq, pay, sp=5060, dp=5070, flags=0x18):
    return P.eth(P.ipv4(P.LO, P.LO, 6, P.tcp(sp, dp, seq, pay, flags)))


def write_raw(path, link, records, snaplen=262144):
    with open(path, "wb") as f:
        f.write(P.header(link, snaplen))
        for r in records:
            f.write(r)


# truncated: the second record is cut short by the end of the file
r1 = P.record(T, 0, U(INVITE))
r2 = P.record(T, 1, U(RINGING, 5070, 5060))
write_raw("hostile-truncated.pcap", P.ETH, [r1, r2[:len(r2) // 2]])

# snaplen 200: caplen 200 of a longer packet; then the 180, also cut
write_raw("hostile-snaplen.pcap", P.ETH,
          [P.record(T, 0, U(INVITE)[:200], wire=len(U(INVITE))),
           P.record(T, 1, U(RINGING, 5070, 5060)[:200], wire=len(U(RINGING, 5070, 5060)))],
          snaplen=200)

# overlap: seg1 = INVITE[0:300], seg2 = INVITE[200:] with [200:300] garbled
isn = 7000
garbled = bytearray(INVITE[200:])
garbled[0:100] = b"X" * 100
P.write("hostile-overlap.pcap", P.ETH, [
    (T, 0, TC(isn, b"", flags=0x02)),
    (T, 1, TC(isn + 1, INVITE[:300])),
    (T, 2, TC(isn + 1 + 200, bytes(garbled))),
    (T, 3, TC(isn + 1 + 100, INVITE[100:] + b"JUNK" * 10)),  # retransmission + junk past the end
    (T, 4, TC(isn + 1 + len(INVITE) + 40, RINGING.replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP"))),
])

# bad fragments
dg = P.udp(5060, 5070, INVITE)
P.write("hostile-badfrag.pcap", P.ETH, [
    (T, 0, P.eth(P.ipv4(P.LO, P.LO, 17, dg[:200], ident=9, frag=0x2000 | 8190))),
    (T, 1, P.eth(P.ipv4(P.LO, P.LO, 17, dg[:13], ident=10, frag=0x2000))),
    (T, 2, P.eth(P.ipv4(P.LO, P.LO, 17, dg[:192], ident=11, frag=0x2000))),
    (T, 3, U(RINGING, 5070, 5060)),
])

# zero-length UDP payload; a UDP length past the packet; the 180
P.write("hostile-zero-udp.pcap", P.ETH, [
    (T, 0, U(b"")),
    (T, 1, U(INVITE, length=len(INVITE) + 500)),
    (T, 2, U(RINGING, 5070, 5060)),
])

# a record claiming a huge packet
write_raw("hostile-huge.pcap", P.ETH,
          [P.record(T, 0, U(RINGING)),
           struct.pack("<IIII", T, 1, 0x7FFFFFF0, 0x7FFFFFF0) + b"\0" * 64])

# gap: INVITE[150:300] never captured; then the 180 on the same flow
isn = 9000
P.write("hostile-gap.pcap", P.ETH, [
    (T, 0, TC(isn, b"", flags=0x02)),
    (T, 1, TC(isn + 1, INVITE[:150])),
    (T, 2, TC(isn + 1 + 300, INVITE[300:])),
    (T, 3, TC(isn + 1 + len(INVITE), RINGING)),
    (T, 4, TC(isn + 1 + len(INVITE) + len(RINGING), b"", flags=0x11)),
])

# not SIP
P.write("hostile-notsip.pcap", P.ETH, [
    (T, 0, U(b"\x80\x00\x12\x34" + b"\x00" * 160)),
    (T, 1, U(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
    (T, 2, TC(1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 80, 40000)),
    (T, 3, U(b"\r\n\r\n")),
    (T, 4, U(b"SIP/2.0 999 nonsense status\r\n\r\n")),
])
print("hostile: 8 captures")
