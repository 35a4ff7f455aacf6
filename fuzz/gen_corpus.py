#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/ from examples/messages/*.sip
and hand-written edge cases. Run from anywhere; rewrites only the files it
names (seed-*), so inputs added by hand or by a fuzzer stay."""
import glob
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
examples = [open(p, 'rb').read() for p in
            sorted(glob.glob(os.path.join(ROOT, 'examples/messages/*.sip')))]


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


INVITE = (b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
          b"Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\r\n"
          b"Max-Forwards: 70\r\n"
          b"From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
          b"To: Bob <sip:bob@biloxi.example.com>\r\n"
          b"Call-ID: 3848276298220188511@atlanta.example.com\r\n"
          b"CSeq: 1 INVITE\r\n"
          b"Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n"
          b"Content-Type: application/sdp\r\n"
          b"Content-Length: 10\r\n\r\nv=0\r\no=x\r\n")
COMPACT = (b"OPTIONS sips:[2001:db8::1]:5061;maddr=239.255.255.1 SIP/2.0\r\n"
           b"v: SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKa;rport;received=10.0.0.1\r\n"
           b"V: SIP / 2.0 / UDP host.example\r\n"
           b"f: \"A \\\"q\\\" B\" <sip:a@b>;tag=1\r\n"
           b"t: sip:b@c\r\n"
           b"i: abc@def\r\n"
           b"m: *\r\n"
           b"l: 0\r\n"
           b"CSeq: 4711 OPTIONS\r\n"
           b"Subject: folded\r\n  continuation\r\n\tand tab\r\n\r\n")
RESPONSE = (b"SIP/2.0 180 Ringing\r\n"
            b"Via: SIP/2.0/UDP a.example:5060;branch=z9hG4bK1, SIP/2.0/UDP b.example\r\n"
            b"Via: SIP/2.0/UDP c.example;branch=z9hG4bK2\r\n"
            b"From: <sip:a@b>;tag=x\r\nTo: <sip:c@d>;tag=y\r\nCall-ID: z\r\n"
            b"CSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n")
CHALLENGE407 = (b"SIP/2.0 407 Proxy Authentication Required\r\n"
                b"Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                b"To: <sip:a@b>;tag=2\r\nCall-ID: q\r\nCSeq: 1 INVITE\r\n"
                b"Proxy-Authenticate: Digest realm=\"atlanta.example.com\", "
                b"nonce=\"wf84f1ceczx41ae6cbe5aea9c8e88d359\", qop=\"auth,auth-int\", "
                b"algorithm=SHA-256, opaque=\"\", stale=FALSE\r\n"
                b"WWW-Authenticate: Digest realm=\"x\", nonce=\"y\"\r\n"
                b"Content-Length: 0\r\n\r\n")
EDGE = {
    'leading-crlf': b"\r\n\r\n" + RESPONSE,
    'nul-body': b"MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 3\r\n\r\na\x00b",
    'cl-conflict': b"BYE sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab",
    'cl-same': b"BYE sip:a@b SIP/2.0\r\nl: 2\r\nContent-Length: 2\r\n\r\nab",
    'cl-big': b"BYE sip:a@b SIP/2.0\r\nContent-Length: 18446744073709551616\r\n\r\n",
    'no-cl-body': b"ACK sip:a@b SIP/2.0\r\nCSeq: 1 ACK\r\n\r\nbody without length",
    'trailing': b"ACK sip:a@b SIP/2.0\r\nContent-Length: 1\r\n\r\nxyz",
    'ext-method': b"FOO sip:a@b SIP/2.0\r\nCSeq: 00000000000000000001 FOO\r\n\r\n",
    'sip3': b"SIP/3.1 699 \r\n\r\n",
    'bare-lf': b"INVITE sip:a@b SIP/2.0\nVia: x\n\n",
    'bare-cr': b"INVITE sip:a@b SIP/2.0\rVia: x\r\r",
    'header-ctl': b"INVITE sip:a@b SIP/2.0\r\nTo\x01: x\r\nFrom-Person: y\r\n\r\n",
    'fold-first': b"INVITE sip:a@b SIP/2.0\r\n folded\r\n\r\n",
    'max-forwards': b"INVITE sip:a@b SIP/2.0\r\nMax-Forwards: 0\r\nMax-Forwards: 256\r\n\r\n",
    'many-vias': b"OPTIONS sip:a SIP/2.0\r\n" + b"v: SIP/2.0/UDP h;branch=z9hG4bK" * 1
                 + b"".join(b", SIP/2.0/UDP h%d:%d" % (i, i) for i in range(200)) + b"\r\n\r\n",
    'many-headers': b"OPTIONS sip:a SIP/2.0\r\n" + b"X: y\r\n" * 100 + b"\r\n",
}


def main():
    for i, ex in enumerate(examples):
        write('message', 'ex%02d' % i, bytes([0]) + ex)
        write('message', 'ex%02d-opt' % i, bytes([0x80 | (i * 37 & 0x7f)]) + ex)
    for name, m in [('invite', INVITE), ('compact', COMPACT), ('response', RESPONSE),
                    ('407', CHALLENGE407)] + list(EDGE.items()):
        write('message', name, bytes([0]) + m)
    write('message', 'limits', bytes([0x55]) + INVITE)

    # stream: pipelined messages (stream mode needs Content-Length)
    with_cl = [e for e in examples if b'Content-Length' in e]
    write('stream', 'all', bytes([3]) + b"\r\n".join(with_cl))
    for i, ex in enumerate(with_cl[:6]):
        write('stream', 'ex%02d' % i, bytes([i]) + ex + b"\r\n\r\n" + ex)
    for name, m in [('invite', INVITE), ('compact', COMPACT), ('response', RESPONSE),
                    ('407', CHALLENGE407)] + list(EDGE.items()):
        write('stream', name, bytes([len(name)]) + m + INVITE)
    write('stream', 'keepalive', bytes([0]) + b"\r\n\r\n\r\n" + RESPONSE + b"\r\n")

    # digest: mode byte then a header value
    chal = [
        b'Digest realm="192.168.2.89", qop="auth", nonce="e17d377c3d2d9c343e26576a7fd04738481dfc10", opaque="", stale=FALSE, algorithm=MD5',
        b'Digest realm="atlanta.example.com", nonce="wf84f1ceczx41ae6cbe5aea9c8e88d359", qop="auth,auth-int", algorithm=SHA-256, opaque="5ccc"',
        b'Digest realm="a\\"b", nonce="n\\\\", algorithm=SHA-512-256-sess, qop=auth-int, userhash=true, charset=UTF-8',
        b'Digest realm="r", nonce="n", algorithm=MD5-sess, domain="sip:a sip:b", Basic realm="x", Digest realm="r2", nonce="n2", algorithm=SHA-256',
        b'Newauth realm="apps", type=1, title="Login", Digest realm="x", nonce="y"',
        b'Digest realm="r", nonce="n", qop="auth-int,token", stale=true, algorithm=SHA-256-sess',
        b'Digest realm="r"',
        b'Digest realm="unterminated',
    ]
    cred = [
        b'Digest username="01062237493", realm="192.168.2.89", qop=auth, algorithm=MD5, uri="sip:192.168.2.89", nonce="e17d377c3d2d9c343e26576a7fd04738481dfc10", nc=00000001, cnonce="12660455546344082314666316435946", response="f57e47ce03162293b9ced07362ce2b79"',
        b'Digest username="alice", realm="r", nonce="n", uri="sip:a", response="0123456789abcdef0123456789abcdef"',
        b'Digest username="d3b07384d113edec49eaa6238ad5ff00d3b07384d113edec49eaa6238ad5ff00", realm="r", nonce="n", uri="sip:a", qop=auth-int, nc=ffffffff, cnonce="c", algorithm=SHA-256, userhash=true, response="0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"',
        b'Digest username="a\\"b", realm="r", nonce="n", uri="sip:a", response="00", opaque="o", x=y',
        b'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    ]
    for i, c in enumerate(chal):
        for q in (0, 1):
            write('digest', 'chal%d-%d' % (i, q), bytes([0 | (q << 2) | (q << 4) | (i & 1) << 6]) + c)
        write('digest', 'best%d' % i, bytes([2]) + c)
    for i, c in enumerate(cred):
        write('digest', 'cred%d' % i, bytes([1 | (i & 1) << 5]) + c)
    write('digest', 'unquote', bytes([3]) + b'a\\"b\\\\c\\')

    # eol: raw bytes
    write('eol', 'lines', b"abc\r\ndefghijklmnopqrstuvwxyz0123456789\nxyz\r")
    write('eol', 'long', b"x" * 100 + b"\n" + b"y" * 33)
    write('eol', 'msg', INVITE)


if __name__ == '__main__':
    main()
