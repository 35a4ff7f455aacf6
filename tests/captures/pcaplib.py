"""pcaplib.py - just enough pcap to derive and forge test captures (python3
standard library only). Used by derive.py, hostile.py and bench/capture_gen.py."""
import struct

ETH = 1
RAW = 101
NULL = 0


def read(path):
    """(linktype, snaplen, [(sec, usec, caplen, wirelen, bytes)]) of a
    little-endian microsecond pcap file."""
    data = open(path, "rb").read()
    magic, _, _, _, _, snaplen, link = struct.unpack_from("<IHHiIII", data, 0)
    assert magic == 0xA1B2C3D4, "pcaplib reads little-endian microsecond pcap"
    pkts, at = [], 24
    while at + 16 <= len(data):
        sec, usec, cap, wire = struct.unpack_from("<IIII", data, at)
        pkts.append((sec, usec, cap, wire, data[at + 16:at + 16 + cap]))
        at += 16 + cap
    return link, snaplen, pkts


def header(link, snaplen=262144):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, link)


def record(sec, usec, data, wire=None, cap=None):
    return struct.pack("<IIII", sec, usec, len(data) if cap is None else cap,
                       len(data) if wire is None else wire) + data


def write(path, link, pkts, snaplen=262144):
    """pkts: (sec, usec, bytes) or (sec, usec, bytes, wirelen)."""
    with open(path, "wb") as f:
        f.write(header(link, snaplen))
        for p in pkts:
            f.write(record(p[0], p[1], p[2], p[3] if len(p) > 3 else None))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident=1, frag=0, total=None):
    """An IPv4 header + payload. frag: the flags/offset field."""
    tl = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tl, ident, frag, 64, proto, 0,
                    bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def udp(sport, dport, payload, length=None):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload) if length is None else length,
                       0) + payload


def tcp(sport, dport, seq, payload, flags=0x18, ack=1):
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack, 5 << 4, flags,
                       65535, 0, 0) + payload


def eth(payload, ethertype=0x0800, tags=()):
    """Ethernet, with VLAN tags given as (tpid, vid) outermost first."""
    h = b"\0" * 12
    for tpid, vid in tags:
        h += struct.pack("!HH", tpid, vid)
    return h + struct.pack("!H", ethertype) + payload


LO = (127, 0, 0, 1)


def parse_eth_ipv4(frame):
    """(src, dst, proto, l4 bytes) of an untagged Ethernet IPv4 frame."""
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    tl = struct.unpack_from("!H", ip, 2)[0]
    return tuple(ip[12:16]), tuple(ip[16:20]), ip[9], ip[ihl:tl]


def sip_payloads(path):
    """[(sec, usec, proto, sport, dport, seq, payload)] of the UDP/TCP packets
    with a payload, from an Ethernet capture of IPv4."""
    link, _, pkts = read(path)
    assert link == ETH
    out = []
    for sec, usec, _, _, data in pkts:
        _, _, proto, l4 = parse_eth_ipv4(data)
        if proto == 17:
            sp, dp = struct.unpack_from("!HH", l4, 0)
            pay = l4[8:]
            seq = 0
        elif proto == 6:
            sp, dp, seq = struct.unpack_from("!HHI", l4, 0)
            pay = l4[(l4[12] >> 4) * 4:]
        else:
            continue
        if pay:
            out.append((sec, usec, proto, sp, dp, seq, pay))
    return out
