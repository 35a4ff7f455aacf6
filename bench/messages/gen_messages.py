#!/usr/bin/env python3
"""Generates the benchmark messages that are not copies of the seed's.

    python3 bench/messages/gen_messages.py [OUTDIR]

Writes, with CRLF line ends and an exact Content-Length:
  10-invite-sdp.sip      a realistic ~1.3 KB INVITE with an SDP offer
  20-headers-16k.sip     a 16 KiB INVITE with many headers (Via, Record-Route,
                         P-/X- extension headers)
  21-headers-64k.sip     the same at 64 KiB
The output is deterministic; the files are committed, so this only needs to
run again when the generator changes. bench/messages/MANIFEST lists the
CSeq number and top Via branch every parser must find in each file.
"""
import os
import sys

CRLF = "\r\n"


def message(start, headers, body=""):
    head = [start] + ["%s: %s" % (n, v) for n, v in headers]
    head.append("Content-Length: %d" % len(body.encode()))
    return (CRLF.join(head) + CRLF + CRLF + body).encode()


def invite_sdp():
    sdp = CRLF.join([
        "v=0",
        "o=alice 2890844526 2890844526 IN IP4 198.51.100.23",
        "s=Call",
        "c=IN IP4 198.51.100.23",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0 8 9 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv",
        "m=video 51372 RTP/AVP 96",
        "a=rtpmap:96 H264/90000",
        "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1",
        "",
    ])
    headers = [
        ("Via", "SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKnashds8;rport"),
        ("Max-Forwards", "70"),
        ("To", "Bob <sip:bob@biloxi.example.com>"),
        ("From", "\"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=1928301774"),
        ("Call-ID", "a84b4c76e66710@pc33.atlanta.example.com"),
        ("CSeq", "314159 INVITE"),
        ("Contact", "<sip:alice@198.51.100.23:5060;transport=udp>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\""),
        ("Allow", "INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE, PRACK"),
        ("Supported", "replaces, timer, 100rel, path, gruu"),
        ("Session-Expires", "1800;refresher=uac"),
        ("Min-SE", "90"),
        ("User-Agent", "ExamplePhone/4.2.1 (build 20240611)"),
        ("P-Asserted-Identity", "\"Alice Liddell\" <sip:alice@atlanta.example.com>"),
        ("Accept", "application/sdp, application/dtmf-relay"),
        ("Date", "Sat, 13 Nov 2010 23:29:00 GMT"),
        ("Accept-Language", "en, de;q=0.8"),
        ("Content-Type", "application/sdp"),
    ]
    return message("INVITE sip:bob@biloxi.example.com SIP/2.0", headers, sdp)


def many_headers(target):
    """An INVITE of exactly `target` bytes: a normal head, then repeated
    Via / Record-Route / extension headers, then a filler header."""
    top = [
        ("Via", "SIP/2.0/TCP edge1.example.net:5061;branch=z9hG4bKbig0001;received=203.0.113.9"),
        ("Max-Forwards", "65"),
        ("From", "<sip:caller@example.org>;tag=big-7731"),
        ("To", "<sip:callee@example.net>"),
        ("Call-ID", "big-message-1@example.org"),
        ("CSeq", "7 INVITE"),
    ]
    i = 0
    headers = list(top)
    filler = ("X-Filler", "")
    while True:
        kind = i % 4
        if kind == 0:
            h = ("Via", "SIP/2.0/UDP hop%d.example.net:5060;branch=z9hG4bKhop%06d;rport=5060" % (i, i))
        elif kind == 1:
            h = ("Record-Route", "<sip:rr%d.example.net;lr;ftag=big-7731>" % i)
        elif kind == 2:
            h = ("P-Charging-Vector", "icid-value=%08x;orig-ioi=example.org" % (i * 2654435761 & 0xffffffff))
        else:
            h = ("X-Trace-%d" % i, "node=%d; t=%d; note=\"hop trace entry\"" % (i, 1000 + i))
        trial = headers + [h, ("X-Filler", "x")]
        if len(message("INVITE sip:callee@example.net SIP/2.0", trial)) > target - 16:
            break
        headers.append(h)
        i += 1
    base = len(message("INVITE sip:callee@example.net SIP/2.0", headers + [("X-Filler", "")]))
    filler = ("X-Filler", "f" * (target - base))
    data = message("INVITE sip:callee@example.net SIP/2.0", headers + [filler])
    assert len(data) == target, (len(data), target)
    return data


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = {
        "10-invite-sdp.sip": invite_sdp(),
        "20-headers-16k.sip": many_headers(16 * 1024),
        "21-headers-64k.sip": many_headers(64 * 1024),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print("%-20s %6d bytes, %4d lines" % (name, len(data), data.count(b"\r\n")))


if __name__ == "__main__":
    main()
