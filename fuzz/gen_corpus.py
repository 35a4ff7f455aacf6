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

    # typed parsers
    uris = [b"sip:alice@atlanta.example.com", b"sips:bob:pw@[2001:db8::1]:5061;transport=tcp;lr?subject=x&h=%20",
            b"sip:%61lice@EXAMPLE.com;maddr=239.255.255.1;ttl=15;user=phone;method=INVITE",
            b"tel:+1-201-555-0123;phone-context=example.com", b"im:alice@example.com",
            b"sip:192.168.2.89:5060", b"sip:a@b:99999", b"sip:a%4", b"sip:a%G1@b", b"sip:[::1", b"sip:",
            b"sip:alice@atlanta.example.com\nSIP:alice@ATLANTA.example.com",
            b"sip:%61@b;lr\nsip:a@b;LR", b"tel:+12015550123\ntel:+1-201-555-0123"]
    for i, u in enumerate(uris):
        write('uri', '%02d' % i, u)
    nas = [b'"Alice \\"A\\"" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
           b"Bob <sips:bob@biloxi.example.com;transport=tls>;expires=3600;q=0.7",
           b"sip:carol@chicago.example.com;tag=abc", b"*", b"<sip:a@b>;+sip.instance=\"<urn:uuid:1>\"",
           b"<sip:a@b", b"\"unterminated <sip:a@b>", b"<>", b"\"\"", b"<", b'"', b"Name <tel:+1234;x=y>"]
    for i, x in enumerate(nas):
        write('nameaddr', '%02d' % i, x)
        write('contact', '%02d' % i, x)
    write('contact', 'list', b"<sip:a@b>;q=1, \"x,y\" <sip:c@d>, sip:e@f;expires=0")
    write('contact', 'multi', b"<sip:a@b>\r\nContact: <sip:c@d>;q=0.1, *")
    vias = [b"SIP/2.0/UDP 192.168.2.161:8021;branch=z9hG4bK74bf9;rport;received=1.2.3.4",
            b"SIP / 2.0 / TCP [2001:db8::1]:5061 ;branch=z9hG4bKx; maddr=224.0.0.1 ;ttl=1",
            b"SIP/2.0/WSS host.example;rport=5060;x=\"quoted;,\"", b"SIP/2.0/UDP [::1]", b"SIP/2.0/UDP ::1]",
            b"SIP/2.0/UDP :5060", b"SIP/2.0/UDP host:99999", b"SIP/2.0/UDP [", b"SIP/2.0/UDP host;branch",
            b"SIP/2.0/UDP host;"]
    for i, x in enumerate(vias):
        write('via', '%02d' % i, x)
    vals = [(0, b"4711 INVITE"), (0, b"4294967295 REGISTER"), (0, b"4294967296 ACK"), (0, b"1 foo"),
            (0, b"  00000001  BYE "), (1, b"70"), (1, b"256"), (1, b"0"), (2, b"3600"),
            (2, b"18446744073709551616"), (2, b"+1"), (3, b"0x10"), (3, b"4294967327"), (4, b"abc@def"),
            (4, b"a@b@c"), (5, b"presence;id=1"), (5, b"dialog ; id = x ; call-id=y")]
    for i, (sel, x) in enumerate(vals):
        write('values', '%02d' % i, bytes([sel]) + x)
    cts = [b"application/sdp", b"multipart/mixed;boundary=\"b1;x\";charset=UTF-8", b"text/plain ; charset = utf-8",
           b"application/", b"/sdp", b"text/plain;charset=\"", b"message/sipfrag;version=2.0"]
    for i, x in enumerate(cts):
        write('ctype', '%02d' % i, x)
    prms = [(0, b";tag=1;lr;q=0.5;x=\"a;b\""), (0, b" ; a = b ;; c"), (1, b";transport=tcp;lr;maddr=1.2.3.4"),
            (1, b";a=%41;b"), (0, b";x=\"unterminated"), (0, b";="), (2, b"INVITE, ACK,BYE , ,CANCEL"),
            (2, b"\"a,b\", <c,d>, (e,f), g"), (2, b"<unterminated, x"), (2, b"(comment")]
    for i, (sel, x) in enumerate(prms):
        write('params', '%02d' % i, bytes([sel]) + x)


if __name__ == '__main__':
    main()
