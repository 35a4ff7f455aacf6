/* Routing helpers (sipmsg/route.h): RFC 3261 18.2.2 with RFC 3581, 16.4,
 * 16.6 steps 6-7 and the 16.12.1 examples, rport, the stateless branch of
 * 16.11 and loop detection (16.3 step 4). Expected values are the RFCs'. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 32

typedef struct fx {
    sipmsg_header hdrs[CAP];
    sipmsg_msg m;
    char *buf;
    char arena_buf[2048];
    sipmsg_arena arena;
} fx;

static fx *fx_new(const char *text)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    size_t len = strlen(text);
    f->buf = tu_exact(text, len);
    sipmsg_msg_init(&f->m, f->hdrs, CAP);
    sipmsg_error err;
    sipmsg_result st = sipmsg_parse(&f->m, f->buf, len, NULL, &err);
    if (st != SIPMSG_DONE)
        fail_msg("parse: %s at %zu", err.msg, err.offset);
    sipmsg_arena_init(&f->arena, f->arena_buf, sizeof f->arena_buf);
    sipmsg_edit_init(&f->m, &f->arena);
    return f;
}

static void fx_free(fx *f)
{
    free(f->buf);
    free(f);
}

/* The message as written, compared with the expected text. */
static void assert_written(const fx *f, const char *want)
{
    char out[4096];
    size_t n = sipmsg_write(&f->m, out, sizeof out, 0);
    assert_true(n < sizeof out);
    out[n] = '\0';
    assert_string_equal(out, want);
}

/* ---- transports and rport ---------------------------------------------------- */

static void transports(void **state)
{
    (void)state;
    assert_int_equal(sipmsg_transport_lookup(sipmsg_slice_of("udp")), SIPMSG_TRANSPORT_UDP);
    assert_int_equal(sipmsg_transport_lookup(sipmsg_slice_of("TLS")), SIPMSG_TRANSPORT_TLS);
    assert_int_equal(sipmsg_transport_lookup(sipmsg_slice_of("tls-sctp")), SIPMSG_TRANSPORT_TLS_SCTP);
    assert_int_equal(sipmsg_transport_lookup(sipmsg_slice_of("WSS")), SIPMSG_TRANSPORT_WSS);
    assert_int_equal(sipmsg_transport_lookup(sipmsg_slice_of("QUIC")), SIPMSG_TRANSPORT_OTHER);
    assert_int_equal(sipmsg_transport_lookup(sipmsg_slice_of(NULL)), SIPMSG_TRANSPORT_OTHER);
    /* every name in mixed case; near misses: a byte more or less, an
     * embedded NUL, a byte that folds only by a wrong (non-letter) rule */
    static const struct {
        const char *text;
        size_t len;
        sipmsg_transport want;
    } cases[] = {
        {"Udp", 3, SIPMSG_TRANSPORT_UDP},   {"tCp", 3, SIPMSG_TRANSPORT_TCP},
        {"sctp", 4, SIPMSG_TRANSPORT_SCTP}, {"Tls-Sctp", 8, SIPMSG_TRANSPORT_TLS_SCTP},
        {"ws", 2, SIPMSG_TRANSPORT_WS},     {"wSs", 3, SIPMSG_TRANSPORT_WSS},
        {"UD", 2, SIPMSG_TRANSPORT_OTHER},  {"UDPX", 4, SIPMSG_TRANSPORT_OTHER},
        {"UDP\0", 4, SIPMSG_TRANSPORT_OTHER}, {"W\0", 2, SIPMSG_TRANSPORT_OTHER},
        {"TLS_SCTP", 8, SIPMSG_TRANSPORT_OTHER}, {"TLS-SCTPX", 9, SIPMSG_TRANSPORT_OTHER},
        {"u", 1, SIPMSG_TRANSPORT_OTHER},   {"", 0, SIPMSG_TRANSPORT_OTHER},
        {"udp\xe0", 4, SIPMSG_TRANSPORT_OTHER}, {"w{s", 3, SIPMSG_TRANSPORT_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sipmsg_slice s = {cases[i].text, cases[i].len};
        assert_int_equal(sipmsg_transport_lookup(s), cases[i].want);
    }
    /* one byte off anywhere in each name (the compare reads overlapping
     * words: every byte must count) */
    static const char *const names[] = {"udp", "tcp", "tls", "sctp", "tls-sctp", "ws", "wss"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char near[16];
        size_t n = strlen(names[i]);
        for (size_t k = 0; k < n; k++) {
            memcpy(near, names[i], n);
            near[k] ^= 0x01;
            assert_int_equal(sipmsg_transport_lookup((sipmsg_slice){near, n}),
                             SIPMSG_TRANSPORT_OTHER);
        }
    }
    assert_int_equal(sipmsg_transport_default_port(SIPMSG_TRANSPORT_UDP), 5060);
    assert_int_equal(sipmsg_transport_default_port(SIPMSG_TRANSPORT_TCP), 5060);
    assert_int_equal(sipmsg_transport_default_port(SIPMSG_TRANSPORT_TLS), 5061);
    assert_int_equal(sipmsg_transport_default_port(SIPMSG_TRANSPORT_WS), 80);
    assert_int_equal(sipmsg_transport_default_port(SIPMSG_TRANSPORT_WSS), 443);
    assert_false(sipmsg_transport_reliable(SIPMSG_TRANSPORT_UDP));
    assert_false(sipmsg_transport_reliable(SIPMSG_TRANSPORT_OTHER));
    assert_true(sipmsg_transport_reliable(SIPMSG_TRANSPORT_TCP));
    assert_true(sipmsg_transport_reliable(SIPMSG_TRANSPORT_SCTP));
}

static void rport_values(void **state)
{
    (void)state;
    sipmsg_rport r;
    sipmsg_slice absent = {NULL, 0}, bare = {"x", 0};
    assert_int_equal(sipmsg_rport_parse(absent, &r), SIPMSG_OK);
    assert_false(r.present);
    assert_false(r.requested);
    assert_int_equal(r.port, 0);
    assert_int_equal(sipmsg_rport_parse(bare, &r), SIPMSG_OK);
    assert_true(r.present);
    assert_true(r.requested);
    assert_int_equal(r.port, 0);
    assert_int_equal(sipmsg_rport_parse(sipmsg_slice_of("9988"), &r), SIPMSG_OK);
    assert_true(r.present);
    assert_false(r.requested);
    assert_int_equal(r.port, 9988);
    assert_int_equal(sipmsg_rport_parse(sipmsg_slice_of("65535"), &r), SIPMSG_OK);
    assert_int_equal(r.port, 65535);
    assert_int_equal(sipmsg_rport_parse(sipmsg_slice_of("0"), &r), SIPMSG_E_PORT);
    assert_int_equal(sipmsg_rport_parse(sipmsg_slice_of("65536"), &r), SIPMSG_E_PORT);
    assert_int_equal(sipmsg_rport_parse(sipmsg_slice_of("99x"), &r), SIPMSG_E_PORT);
    assert_int_equal(sipmsg_rport_parse(sipmsg_slice_of("-1"), &r), SIPMSG_E_PORT);
}

/* RFC 3581 section 4: the rport of m.via (decoded at parse time) and of a
 * sipmsg_via agree; the server fills it in on receipt. */
static void rport_from_message(void **state)
{
    (void)state;
    fx *f = fx_new("INVITE sip:user@example.com SIP/2.0\r\n"
                   "Via: SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff\r\n"
                   "\r\n");
    sipmsg_rport r;
    assert_int_equal(sipmsg_rport_parse(f->m.via.rport, &r), SIPMSG_OK);
    assert_true(r.present && r.requested);
    sipmsg_via v;
    const sipmsg_header *h = sipmsg_find(&f->m, SIPMSG_HDR_VIA);
    assert_int_equal(sipmsg_via_parse(&v, h->value, NULL), SIPMSG_OK);
    assert_int_equal(sipmsg_rport_parse(v.rport, &r), SIPMSG_OK);
    assert_true(r.present && r.requested);

    assert_int_equal(sipmsg_via_received(&f->m, sipmsg_slice_of("192.0.2.1"), 9988), SIPMSG_OK);
    /* RFC 3581 writes ";received=192.0.2.1;rport=9988;branch=..."; the
     * library appends received= after the others: the same parameters */
    assert_slice(f->m.via.received, "192.0.2.1");
    assert_slice(f->m.via.rport, "9988");
    assert_slice(f->m.via.branch, "z9hG4bKkjshdyff");
    assert_int_equal(sipmsg_rport_parse(f->m.via.rport, &r), SIPMSG_OK);
    assert_true(r.present);
    assert_false(r.requested);
    assert_int_equal(r.port, 9988);

    /* and the response goes to 192.0.2.1:9988 */
    sipmsg_resp_target t;
    assert_int_equal(sipmsg_response_target(&f->m, &t, NULL), SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RPORT);
    assert_slice(t.host, "192.0.2.1");
    assert_int_equal(t.port, 9988);
    assert_true(t.port_given);
    fx_free(f);
}

/* ---- where to send a response: RFC 3261 18.2.2 ------------------------------- */

static void target_of(const char *via, sipmsg_resp_target *t, sipmsg_code want)
{
    char text[512];
    snprintf(text, sizeof text,
             "SIP/2.0 200 OK\r\nVia: %s\r\nCSeq: 1 INVITE\r\n\r\n", via);
    fx *f = fx_new(text);
    assert_int_equal(sipmsg_response_target(&f->m, t, NULL), want);
    /* the same target from the Via parsed again (a message parsed without
     * its decoded fields) as from the top Via the parse decoded */
    sipmsg_header hdrs[CAP];
    sipmsg_msg fm;
    sipmsg_opts o;
    sipmsg_resp_target t2;
    memset(&o, 0, sizeof o);
    o.flags = SIPMSG_PARSE_FRAME_ONLY;
    sipmsg_msg_init(&fm, hdrs, CAP);
    assert_int_equal(sipmsg_parse(&fm, f->buf, strlen(text), &o, NULL), SIPMSG_DONE);
    assert_null(fm.via.transport.ptr);
    assert_int_equal(sipmsg_response_target(&fm, &t2, NULL), want);
    if (want == SIPMSG_OK) {
        assert_int_equal(t2.rule, t->rule);
        assert_int_equal(t2.transport, t->transport);
        assert_true(t2.transport_name.ptr == t->transport_name.ptr &&
                    t2.transport_name.len == t->transport_name.len);
        assert_true(t2.host.ptr == t->host.ptr && t2.host.len == t->host.len);
        assert_int_equal(t2.port, t->port);
        assert_int_equal(t2.port_given, t->port_given);
        assert_int_equal(t2.ttl, t->ttl);
    }
    /* the slices point into f->buf: keep only numbers and copies below */
    static char host[128];
    size_t n = t->host.len < sizeof host ? t->host.len : sizeof host - 1;
    if (t->host.ptr)
        memcpy(host, t->host.ptr, n);
    host[n] = '\0';
    t->host.ptr = t->host.ptr ? host : NULL;
    t->transport_name.ptr = NULL;
    fx_free(f);
}

/* bullet 1: a reliable transport uses the request's connection; to open a
 * new one, received (if present) and the sent-by port or the default */
static void response_reliable(void **state)
{
    (void)state;
    sipmsg_resp_target t;
    target_of("SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1", &t,
              SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_CONNECTION);
    assert_int_equal(t.transport, SIPMSG_TRANSPORT_TCP);
    assert_slice(t.host, "192.0.2.1");
    assert_int_equal(t.port, 5060);
    assert_false(t.port_given);
    target_of("SIP/2.0/TLS client.atlanta.example.com;branch=z9hG4bK1", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_CONNECTION);
    assert_slice(t.host, "client.atlanta.example.com");
    assert_int_equal(t.port, 5061);
    target_of("SIP/2.0/TLS client.atlanta.example.com:5071;branch=z9hG4bK1;maddr=239.255.255.1",
              &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_CONNECTION); /* maddr is for unreliable ones */
    assert_int_equal(t.port, 5071);
    assert_true(t.port_given);
    assert_int_equal(t.ttl, 0);
}

/* bullet 2: maddr, the sent-by port or 5060, ttl or 1 */
static void response_maddr(void **state)
{
    (void)state;
    sipmsg_resp_target t;
    target_of("SIP/2.0/UDP pc33.atlanta.com:5062;maddr=239.255.255.1;ttl=15;"
              "received=192.0.2.1;rport=9988;branch=z9hG4bK1", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_MADDR);
    assert_slice(t.host, "239.255.255.1");
    assert_int_equal(t.port, 5062);
    assert_int_equal(t.ttl, 15);
    target_of("SIP/2.0/UDP pc33.atlanta.com;maddr=239.255.255.1;branch=z9hG4bK1", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_MADDR);
    assert_int_equal(t.port, 5060);
    assert_false(t.port_given);
    assert_int_equal(t.ttl, 1);
    /* the parser refuses ttl=300; a hand-made view gets the error too */
    sipmsg_via v;
    memset(&v, 0, sizeof v);
    v.transport = sipmsg_slice_of("UDP");
    v.host = sipmsg_slice_of("pc33.atlanta.com");
    v.maddr = sipmsg_slice_of("239.255.255.1");
    v.ttl = sipmsg_slice_of("300");
    assert_int_equal(sipmsg_response_target_via(&v, &t), SIPMSG_E_PORT);
    v.ttl = sipmsg_slice_of("255");
    assert_int_equal(sipmsg_response_target_via(&v, &t), SIPMSG_OK);
    assert_int_equal(t.ttl, 255);
}

/* bullet 3: received, with the sent-by port (the RFC's own example in
 * 18.2.1) or 5060; RFC 3581: rport's value instead of the port */
static void response_received(void **state)
{
    (void)state;
    sipmsg_resp_target t;
    target_of("SIP/2.0/UDP bobspc.biloxi.com:5060;received=192.0.2.4", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RECEIVED);
    assert_slice(t.host, "192.0.2.4");
    assert_int_equal(t.port, 5060);
    assert_true(t.port_given);
    target_of("SIP/2.0/UDP bobspc.biloxi.com;received=192.0.2.4", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RECEIVED);
    assert_int_equal(t.port, 5060);
    assert_false(t.port_given);
    target_of("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff",
              &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RPORT);
    assert_slice(t.host, "192.0.2.1");
    assert_int_equal(t.port, 9988);
    /* a bare rport (nobody filled it in) falls back to received */
    target_of("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport;branch=z9hG4bK1", &t,
              SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RECEIVED);
    assert_int_equal(t.port, 4540);
    /* rport without received (a server that did not add it): sent-by host */
    sipmsg_via v;
    memset(&v, 0, sizeof v);
    v.transport = sipmsg_slice_of("UDP");
    v.host = sipmsg_slice_of("10.1.1.1");
    v.port = 4540;
    v.rport = sipmsg_slice_of("9988");
    assert_int_equal(sipmsg_response_target_via(&v, &t), SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RPORT);
    assert_true(tu_eq(t.host, "10.1.1.1"));
    assert_int_equal(t.port, 9988);
    v.rport = sipmsg_slice_of("70000"); /* the parser refuses it */
    assert_int_equal(sipmsg_response_target_via(&v, &t), SIPMSG_E_PORT);
}

/* bullet 4: the sent-by value */
static void response_sent_by(void **state)
{
    (void)state;
    sipmsg_resp_target t;
    target_of("SIP/2.0/UDP bobspc.biloxi.com:5060", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_SENT_BY);
    assert_int_equal(t.transport, SIPMSG_TRANSPORT_UDP);
    assert_slice(t.host, "bobspc.biloxi.com");
    assert_int_equal(t.port, 5060);
    target_of("SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK1", &t, SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_SENT_BY);
    assert_slice(t.host, "[2001:db8::9]");
    assert_int_equal(t.port, 5070);

    fx *f = fx_new("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n");
    assert_int_equal(sipmsg_response_target(&f->m, &t, NULL), SIPMSG_E_NOT_FOUND);
    assert_int_equal(t.rule, SIPMSG_RESP_NONE);
    fx_free(f);
}

/* A proxy's response: after sipmsg_proxy_unvia, the next Via (RFC 3261
 * 16.7 step 3 and the 24.2 flow's F6 -> F7 shape). */
static void response_after_unvia(void **state)
{
    (void)state;
    fx *f = fx_new("SIP/2.0 180 Ringing\r\n"
                   "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1\r\n"
                   "Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2\r\n"
                   "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n"
                   "CSeq: 314159 INVITE\r\n\r\n");
    sipmsg_resp_target t;
    assert_int_equal(sipmsg_response_target(&f->m, &t, NULL), SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_SENT_BY);
    assert_slice(t.host, "server10.biloxi.com");
    assert_int_equal(sipmsg_proxy_unvia(&f->m), SIPMSG_OK);
    assert_int_equal(sipmsg_response_target(&f->m, &t, NULL), SIPMSG_OK);
    assert_int_equal(t.rule, SIPMSG_RESP_RECEIVED);
    assert_slice(t.host, "192.0.2.2");
    assert_int_equal(t.port, 5060);
    fx_free(f);
}

/* ---- next hop: RFC 3261 16.12 and 16.12.1 ------------------------------------ */

static void assert_hop(const fx *f, sipmsg_hop_kind kind, const char *uri, const char *host,
                       uint32_t port, sipmsg_transport tr)
{
    sipmsg_next_hop hop;
    assert_int_equal(sipmsg_next_hop_get(&f->m, &hop, NULL), SIPMSG_OK);
    assert_int_equal(hop.kind, kind);
    assert_slice(hop.uri_text, uri);
    assert_slice(hop.host, host);
    assert_int_equal(hop.port, port);
    assert_int_equal(hop.transport, tr);
}

static int is_host(void *ctx, const sipmsg_uri *uri)
{
    return sipmsg_slice_eq(uri->host, (const char *)ctx);
}

/* sipmsg_route_preprocess with `self` as the proxy's host */
static sipmsg_code preprocess(sipmsg_msg *m, const char *self, unsigned *done)
{
    char host[64];
    snprintf(host, sizeof host, "%s", self);
    return sipmsg_route_preprocess(m, is_host, host, done);
}

/* 16.12.1.1: the BYE through U1 -> P1 -> P2 -> U2, all loose routers */
static void trapezoid(void **state)
{
    (void)state;
    fx *f = fx_new("INVITE sip:callee@domain.com SIP/2.0\r\n"
                   "Contact: sip:caller@u1.example.com\r\n\r\n");
    assert_hop(f, SIPMSG_HOP_REQUEST_URI, "sip:callee@domain.com", "domain.com", 0,
               SIPMSG_TRANSPORT_UDP);
    fx_free(f);

    f = fx_new("BYE sip:callee@u2.domain.com SIP/2.0\r\n"
               "Route: <sip:p1.example.com;lr>,<sip:p2.domain.com;lr>\r\n\r\n");
    /* U1 resolves the topmost Route */
    assert_hop(f, SIPMSG_HOP_LOOSE, "sip:p1.example.com;lr", "p1.example.com", 0,
               SIPMSG_TRANSPORT_UDP);
    /* P1 finds itself first in Route, removes it and forwards to P2 */
    unsigned done;
    assert_int_equal(preprocess(&f->m, "p1.example.com", &done),
                     SIPMSG_OK);
    assert_int_equal(done, SIPMSG_PRE_ROUTE_POPPED);
    assert_written(f, "BYE sip:callee@u2.domain.com SIP/2.0\r\n"
                      "Route: <sip:p2.domain.com;lr>\r\n\r\n");
    assert_hop(f, SIPMSG_HOP_LOOSE, "sip:p2.domain.com;lr", "p2.domain.com", 0,
               SIPMSG_TRANSPORT_UDP);
    /* P2 does the same and forwards on the Request-URI */
    assert_int_equal(preprocess(&f->m, "p2.domain.com", &done),
                     SIPMSG_OK);
    assert_int_equal(done, SIPMSG_PRE_ROUTE_POPPED);
    assert_written(f, "BYE sip:callee@u2.domain.com SIP/2.0\r\n\r\n");
    assert_hop(f, SIPMSG_HOP_REQUEST_URI, "sip:callee@u2.domain.com", "u2.domain.com", 0,
               SIPMSG_TRANSPORT_UDP);
    /* a proxy not named anywhere changes nothing */
    assert_int_equal(preprocess(&f->m, "p9.example.com", &done),
                     SIPMSG_OK);
    assert_int_equal(done, 0);
    fx_free(f);
}

/* 16.12.1.2: U1 -> P1 -> P2 -> P3 -> P4 -> U2 with P3 a strict router; the
 * BYE from U2 */
static void strict_router(void **state)
{
    (void)state;
    fx *f = fx_new("BYE sip:caller@u1.example.com SIP/2.0\r\n"
                   "Route: <sip:p4.domain.com;lr>\r\n"
                   "Route: <sip:p3.middle.com>\r\n"
                   "Route: <sip:p2.example.com;lr>\r\n"
                   "Route: <sip:p1.example.com;lr>\r\n\r\n");
    /* U2 sends to P4, "based on the first Route header field value" */
    assert_hop(f, SIPMSG_HOP_LOOSE, "sip:p4.domain.com;lr", "p4.domain.com", 0,
               SIPMSG_TRANSPORT_UDP);
    /* P4 removes itself; the next Route has no lr */
    unsigned done;
    assert_int_equal(preprocess(&f->m, "p4.domain.com", &done),
                     SIPMSG_OK);
    assert_int_equal(done, SIPMSG_PRE_ROUTE_POPPED);
    sipmsg_next_hop hop;
    assert_int_equal(sipmsg_next_hop_get(&f->m, &hop, NULL), SIPMSG_OK);
    assert_int_equal(hop.kind, SIPMSG_HOP_STRICT);
    assert_slice(hop.uri_text, "sip:p3.middle.com");
    assert_slice(hop.host, "p3.middle.com");
    assert_slice(hop.new_request_uri, "sip:p3.middle.com");
    assert_slice(hop.last_route, "sip:caller@u1.example.com");
    assert_int_equal(hop.route_header, 0);
    /* "it reformats the request to be" */
    assert_int_equal(sipmsg_route_strict_rewrite(&f->m, &f->arena), SIPMSG_OK);
    assert_written(f, "BYE sip:p3.middle.com SIP/2.0\r\n"
                      "Route: <sip:p2.example.com;lr>\r\n"
                      "Route: <sip:p1.example.com;lr>\r\n"
                      "Route: <sip:caller@u1.example.com>\r\n\r\n");
    fx_free(f);

    /* P3 (a strict router) forwards this to P2 */
    f = fx_new("BYE sip:p2.example.com;lr SIP/2.0\r\n"
               "Route: <sip:p1.example.com;lr>\r\n"
               "Route: <sip:caller@u1.example.com>\r\n\r\n");
    /* P2 sees its own Record-Route value in the Request-URI and rewrites */
    assert_int_equal(preprocess(&f->m, "p2.example.com", &done),
                     SIPMSG_OK);
    assert_int_equal(done, SIPMSG_PRE_RURI_RESTORED);
    assert_written(f, "BYE sip:caller@u1.example.com SIP/2.0\r\n"
                      "Route: <sip:p1.example.com;lr>\r\n\r\n");
    /* "it sends the request to P1 based on the resolution of the Route" */
    assert_hop(f, SIPMSG_HOP_LOOSE, "sip:p1.example.com;lr", "p1.example.com", 0,
               SIPMSG_TRANSPORT_UDP);
    /* P1 removes itself and forwards on the Request-URI */
    assert_int_equal(preprocess(&f->m, "p1.example.com", &done),
                     SIPMSG_OK);
    assert_int_equal(done, SIPMSG_PRE_ROUTE_POPPED);
    assert_written(f, "BYE sip:caller@u1.example.com SIP/2.0\r\n\r\n");
    assert_hop(f, SIPMSG_HOP_REQUEST_URI, "sip:caller@u1.example.com", "u1.example.com", 0,
               SIPMSG_TRANSPORT_UDP);
    fx_free(f);
}

/* The strict rewrite with the Route values in one comma list, and its
 * all-or-nothing errors. */
static void strict_rewrite_list_and_errors(void **state)
{
    (void)state;
    const char *text = "BYE sip:caller@u1.example.com SIP/2.0\r\n"
                       "Route: <sip:p3.middle.com>, <sip:p2.example.com;lr>\r\n"
                       "Call-ID: x@y\r\n\r\n";
    fx *f = fx_new(text);
    assert_int_equal(sipmsg_route_strict_rewrite(&f->m, &f->arena), SIPMSG_OK);
    assert_written(f, "BYE sip:p3.middle.com SIP/2.0\r\n"
                      "Route: <sip:p2.example.com;lr>\r\n"
                      "Route: <sip:caller@u1.example.com>\r\n"
                      "Call-ID: x@y\r\n\r\n");
    /* now the top Route has lr: nothing to do */
    assert_int_equal(sipmsg_route_strict_rewrite(&f->m, &f->arena), SIPMSG_E_STATE);
    fx_free(f);

    /* no arena, a full arena, a full table: unchanged */
    f = fx_new(text);
    assert_int_equal(sipmsg_route_strict_rewrite(&f->m, NULL), SIPMSG_E_NO_SPACE);
    sipmsg_arena tiny;
    char tb[8];
    sipmsg_arena_init(&tiny, tb, sizeof tb);
    assert_int_equal(sipmsg_route_strict_rewrite(&f->m, &tiny), SIPMSG_E_NO_SPACE);
    assert_int_equal(tiny.used, 0);
    f->m.capacity = f->m.count;
    assert_int_equal(sipmsg_route_strict_rewrite(&f->m, &f->arena), SIPMSG_E_NO_SPACE);
    f->m.capacity = CAP;
    /* the start line does not fit into the attached arena: rolled back */
    sipmsg_arena small;
    char sb[40];
    sipmsg_arena_init(&small, sb, sizeof sb);
    sipmsg_edit_init(&f->m, &small);
    assert_int_not_equal(sipmsg_route_strict_rewrite(&f->m, &small), SIPMSG_OK);
    assert_int_equal(small.used, 0);
    assert_written(f, text);
    fx_free(f);
}

static void next_hop_transports_and_errors(void **state)
{
    (void)state;
    fx *f = fx_new("OPTIONS sips:bob@biloxi.example.com SIP/2.0\r\n\r\n");
    assert_hop(f, SIPMSG_HOP_REQUEST_URI, "sips:bob@biloxi.example.com", "biloxi.example.com", 0,
               SIPMSG_TRANSPORT_TLS);
    fx_free(f);
    f = fx_new("OPTIONS sip:bob@biloxi.example.com:5090;transport=tcp;maddr=192.0.2.7 SIP/2.0\r\n\r\n");
    sipmsg_next_hop hop;
    assert_int_equal(sipmsg_next_hop_get(&f->m, &hop, NULL), SIPMSG_OK);
    assert_int_equal(hop.transport, SIPMSG_TRANSPORT_TCP);
    assert_true(hop.transport_given);
    assert_slice(hop.transport_name, "tcp");
    assert_slice(hop.host, "192.0.2.7");
    assert_int_equal(hop.port, 5090);
    assert_int_equal(hop.route_header, SIPMSG_NONE_SIZE);
    fx_free(f);
    f = fx_new("MESSAGE sip:bob@biloxi.example.com SIP/2.0\r\n"
               "Route: <sips:edge.example.com:5071;lr>\r\n\r\n");
    assert_hop(f, SIPMSG_HOP_LOOSE, "sips:edge.example.com:5071;lr", "edge.example.com", 5071,
               SIPMSG_TRANSPORT_TLS);
    fx_free(f);

    sipmsg_error err;
    f = fx_new("INVITE tel:+1-201-555-0123 SIP/2.0\r\n\r\n");
    assert_int_equal(sipmsg_next_hop_get(&f->m, &hop, &err), SIPMSG_E_URI);
    fx_free(f);
    f = fx_new("INVITE sip:[bad SIP/2.0\r\n\r\n");
    assert_int_equal(sipmsg_next_hop_get(&f->m, &hop, &err), SIPMSG_E_REQUEST_URI);
    fx_free(f);
    f = fx_new("INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\nRoute: <sip:p1.example.com;lr\r\n\r\n");
    assert_int_not_equal(sipmsg_next_hop_get(&f->m, &hop, &err), SIPMSG_OK);
    assert_int_equal(err.header, 1);
    fx_free(f);
    f = fx_new("SIP/2.0 200 OK\r\n\r\n");
    assert_int_equal(sipmsg_next_hop_get(&f->m, &hop, &err), SIPMSG_E_STATE);
    assert_int_equal(preprocess(&f->m, "x", NULL), SIPMSG_E_STATE);
    fx_free(f);
}

/* ---- stateless branch (16.11) ----------------------------------------------- */

static const char INVITE[] =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.com>\r\n"
    "Content-Length: 0\r\n\r\n";

static void branch_of(const char *text, char out[SIPMSG_STATELESS_BRANCH_LEN + 1])
{
    fx *f = fx_new(text);
    assert_int_equal(sipmsg_stateless_branch(&f->m, out, SIPMSG_STATELESS_BRANCH_LEN + 1),
                     SIPMSG_STATELESS_BRANCH_LEN);
    assert_int_equal(strlen(out), SIPMSG_STATELESS_BRANCH_LEN);
    assert_true(sipmsg_branch_is_stateless(sipmsg_slice_of(out)));
    assert_true(sipmsg_branch_is_rfc3261(sipmsg_slice_of(out)));
    fx_free(f);
}

/* text with the first `from` replaced by `to` */
static char *replaced(const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from);
    assert_non_null(p);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    assert_non_null(s);
    size_t k = (size_t)(p - text);
    memcpy(s, text, k);
    strcpy(s + k, to);
    strcat(s, p + strlen(from));
    return s;
}

static void stateless_branch(void **state)
{
    (void)state;
    char a[57], b[57];
    branch_of(INVITE, a);
    /* pinned: FNV-1a 128 of the length-prefixed fields, computed by an
     * independent Python implementation of the documented construction */
    assert_string_equal(a, "z9hG4bK" "61235ba575cac23e4eff570d27f265b7" "." "ade46d9962022132");
    /* a retransmission (another buffer, same bytes): the same branch */
    branch_of(INVITE, b);
    assert_string_equal(a, b);
    /* a CANCEL of it: same branch (the method is not part of it) */
    char *cancel = replaced(INVITE, "CSeq: 314159 INVITE", "CSeq: 314159 CANCEL");
    char *c2 = replaced(cancel, "INVITE sip:", "CANCEL sip:");
    branch_of(c2, b);
    assert_string_equal(a, b);
    free(cancel);
    free(c2);
    /* a new CSeq: another transaction part and another loop part */
    char *next = replaced(INVITE, "CSeq: 314159", "CSeq: 314160");
    branch_of(next, b);
    assert_memory_not_equal(a + 7, b + 7, 32);
    assert_memory_not_equal(a + 40, b + 40, 16);
    free(next);
    /* another client branch: another transaction part, the same loop part */
    char *other = replaced(INVITE, "z9hG4bK776asdhds", "z9hG4bK776asdhdt");
    branch_of(other, b);
    assert_memory_not_equal(a + 7, b + 7, 32);
    assert_memory_equal(a + 40, b + 40, 16);
    free(other);
    /* a new Request-URI: same transaction (RFC 3261 client), new loop part */
    char *ruri = replaced(INVITE, "INVITE sip:bob@biloxi.com", "INVITE sip:bob@192.0.2.4");
    branch_of(ruri, b);
    assert_memory_equal(a + 7, b + 7, 32);
    assert_memory_not_equal(a + 40, b + 40, 16);
    free(ruri);
    /* a Proxy-Require added: routing changed, a new loop part */
    char *preq = replaced(INVITE, "Content-Length: 0", "Proxy-Require: foo\r\nContent-Length: 0");
    branch_of(preq, b);
    assert_memory_not_equal(a + 40, b + 40, 16);
    free(preq);
}

/* An RFC 2543 client (no magic cookie): the hash of the top Via, To tag,
 * From tag, Call-ID, CSeq number and Request-URI. */
static void stateless_branch_rfc2543(void **state)
{
    (void)state;
    char *old = replaced(INVITE, ";branch=z9hG4bK776asdhds", "");
    char a[57], b[57];
    branch_of(old, a);
    branch_of(old, b);
    assert_string_equal(a, b);
    char *cseq = replaced(old, "CSeq: 314159", "CSeq: 314160");
    branch_of(cseq, b);
    assert_memory_not_equal(a + 7, b + 7, 32);
    char *ruri = replaced(old, "INVITE sip:bob@biloxi.com", "INVITE sip:bob@192.0.2.4");
    branch_of(ruri, b);
    assert_memory_not_equal(a + 7, b + 7, 32);
    char *totag = replaced(old, "To: Bob <sip:bob@biloxi.com>", "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf");
    branch_of(totag, b);
    assert_memory_not_equal(a + 7, b + 7, 32);
    char *via = replaced(old, "pc33.atlanta.com\r\n", "pc33.atlanta.com:5062\r\n");
    branch_of(via, b);
    assert_memory_not_equal(a + 7, b + 7, 32);
    free(old);
    free(cseq);
    free(ruri);
    free(totag);
    free(via);
}

static void stateless_branch_buffer(void **state)
{
    (void)state;
    fx *f = fx_new(INVITE);
    char full[57], part[10];
    assert_int_equal(sipmsg_stateless_branch(&f->m, full, sizeof full), 56);
    memset(part, 'X', sizeof part);
    assert_int_equal(sipmsg_stateless_branch(&f->m, part, sizeof part), 56);
    assert_memory_equal(part, full, 9);
    assert_int_equal(part[9], '\0');
    assert_int_equal(sipmsg_stateless_branch(&f->m, NULL, 0), 56);
    fx_free(f);
    f = fx_new("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\r\n");
    assert_int_equal(sipmsg_stateless_branch(&f->m, full, sizeof full), 0);
    fx_free(f);
    assert_false(sipmsg_branch_is_stateless(sipmsg_slice_of("z9hG4bK776asdhds")));
    assert_false(sipmsg_branch_is_stateless(sipmsg_slice_of(NULL)));
    assert_false(sipmsg_branch_is_stateless(sipmsg_slice_of(
        "z9hG4bK94bd1ab1d9e7c0dab9f5a0bb3fe2f5f5-85f7a4a5dcc9d2ed")));
    assert_false(sipmsg_branch_is_stateless(sipmsg_slice_of(
        "z9hG4bK94bd1ab1d9e7c0dab9f5a0bb3fe2f5fg.85f7a4a5dcc9d2ed")));
}

/* ---- loop detection (16.3 step 4) ------------------------------------------ */

/* P (proxy.example.com:5060) forwards `in` statelessly; returns the
 * forwarded bytes (malloc'd). */
static char *forward_by(const char *in, const char *host, const char *transport, size_t *len)
{
    fx *f = fx_new(in);
    char br[57], via[160];
    sipmsg_stateless_branch(&f->m, br, sizeof br);
    snprintf(via, sizeof via, "SIP/2.0/%s %s;branch=%s", transport, host, br);
    sipmsg_forward fw = {.via = sipmsg_slice_of(via)};
    assert_int_equal(sipmsg_proxy_forward(&f->m, &fw), SIPMSG_OK);
    char *out = sipmsg_write_dup(&f->m, 0, len);
    assert_non_null(out);
    fx_free(f);
    return out;
}

static sipmsg_loop loop_at(const char *text, const char *host, uint32_t port)
{
    fx *f = fx_new(text);
    sipmsg_loop l;
    assert_int_equal(sipmsg_loop_check(&f->m, sipmsg_slice_of(host), port, &l, NULL), SIPMSG_OK);
    fx_free(f);
    return l;
}

static void loop_detection(void **state)
{
    (void)state;
    size_t n;
    /* first visit */
    assert_int_equal(loop_at(INVITE, "proxy.example.com", 5060), SIPMSG_LOOP_NONE);
    /* P forwards, Q forwards back to P unchanged: a loop */
    char *p1 = forward_by(INVITE, "proxy.example.com", "UDP", &n);
    char *q1 = forward_by(p1, "q.example.com", "UDP", &n);
    assert_int_equal(loop_at(q1, "proxy.example.com", 5060), SIPMSG_LOOP_DETECTED);
    assert_int_equal(loop_at(q1, "PROXY.example.com", 0), SIPMSG_LOOP_DETECTED);
    /* not our sent-by: nothing */
    assert_int_equal(loop_at(q1, "proxy.example.com", 5070), SIPMSG_LOOP_NONE);
    assert_int_equal(loop_at(q1, "proxy2.example.com", 5060), SIPMSG_LOOP_NONE);
    /* Q retargets the request (a new Request-URI): a spiral */
    char *q2 = replaced(q1, "INVITE sip:bob@biloxi.com", "INVITE sip:bob@192.0.2.4");
    assert_int_equal(loop_at(q2, "proxy.example.com", 5060), SIPMSG_LOOP_SPIRAL);
    /* and when P forwards the spiral and it comes back unchanged: a loop */
    char *p3 = forward_by(q2, "proxy.example.com", "UDP", &n);
    char *q3 = forward_by(p3, "q.example.com", "UDP", &n);
    assert_int_equal(loop_at(q3, "proxy.example.com", 5060), SIPMSG_LOOP_DETECTED);
    /* a TLS Via of ours without a port is at 5061 */
    char *t1 = forward_by(INVITE, "proxy.example.com", "TLS", &n);
    char *t2 = forward_by(t1, "q.example.com", "UDP", &n);
    assert_int_equal(loop_at(t2, "proxy.example.com", 5061), SIPMSG_LOOP_DETECTED);
    assert_int_equal(loop_at(t2, "proxy.example.com", 0), SIPMSG_LOOP_DETECTED);
    assert_int_equal(loop_at(t2, "proxy.example.com", 5060), SIPMSG_LOOP_NONE);
    free(p1);
    free(q1);
    free(q2);
    free(p3);
    free(q3);
    free(t1);
    free(t2);

    fx *f = fx_new("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\r\n");
    sipmsg_loop l;
    assert_int_equal(sipmsg_loop_check(&f->m, sipmsg_slice_of("a"), 0, &l, NULL), SIPMSG_E_STATE);
    fx_free(f);
    f = fx_new("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n"
               "Via: SIP/2.0/UDP ;;\r\n\r\n");
    sipmsg_error err;
    assert_int_not_equal(sipmsg_loop_check(&f->m, sipmsg_slice_of("a"), 0, &l, &err), SIPMSG_OK);
    assert_int_equal(err.header, 1);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transports),
        cmocka_unit_test(rport_values),
        cmocka_unit_test(rport_from_message),
        cmocka_unit_test(response_reliable),
        cmocka_unit_test(response_maddr),
        cmocka_unit_test(response_received),
        cmocka_unit_test(response_sent_by),
        cmocka_unit_test(response_after_unvia),
        cmocka_unit_test(trapezoid),
        cmocka_unit_test(strict_router),
        cmocka_unit_test(strict_rewrite_list_and_errors),
        cmocka_unit_test(next_hop_transports_and_errors),
        cmocka_unit_test(stateless_branch),
        cmocka_unit_test(stateless_branch_rfc2543),
        cmocka_unit_test(stateless_branch_buffer),
        cmocka_unit_test(loop_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
