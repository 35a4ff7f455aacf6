/*
 * route.c - response targets (RFC 3261 18.2.2, RFC 3581), next hops and
 * the strict-route rewrite (16.4, 16.6 steps 6-7, 16.12), stateless
 * branches (16.11) and loop detection (16.3 step 4).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Built on the public API (parse.h, uri.h, header.h, write.h), with the
 * character helpers of chars.h and hex.h.
 */
#include "sipmsg/route.h"

#include <string.h>

#include "chars.h"
#include "hex.h"
#include "mem.h"

/* ---- small helpers ----------------------------------------------------------- */

/* Case-insensitive equality of two present slices. */
static int slice_ieq(sipmsg_slice a, sipmsg_slice b)
{
    return a.ptr && b.ptr && a.len == b.len && sipmsg_memcaseeq_(a.ptr, b.ptr, a.len);
}

static sipmsg_slice none_slice(void)
{
    sipmsg_slice s = {NULL, 0};
    return s;
}

/* ---- transports ------------------------------------------------------------------ */

/* The names compared as folded words (chars.h: LETTERS_IS is exact for
 * any input bytes; "TLS-SCTP" holds a '-', so it takes SLICE_IS). */
sipmsg_transport sipmsg_transport_lookup(sipmsg_slice name)
{
    if (!name.ptr)
        return SIPMSG_TRANSPORT_OTHER;
    if (LETTERS_IS(name, "udp"))
        return SIPMSG_TRANSPORT_UDP;
    if (LETTERS_IS(name, "tcp"))
        return SIPMSG_TRANSPORT_TCP;
    if (LETTERS_IS(name, "tls"))
        return SIPMSG_TRANSPORT_TLS;
    if (LETTERS_IS(name, "sctp"))
        return SIPMSG_TRANSPORT_SCTP;
    if (SLICE_IS(name, "tls-sctp"))
        return SIPMSG_TRANSPORT_TLS_SCTP;
    if (LETTERS_IS(name, "ws"))
        return SIPMSG_TRANSPORT_WS;
    if (LETTERS_IS(name, "wss"))
        return SIPMSG_TRANSPORT_WSS;
    return SIPMSG_TRANSPORT_OTHER;
}

uint32_t sipmsg_transport_default_port(sipmsg_transport t)
{
    switch (t) {
    case SIPMSG_TRANSPORT_TLS:
    case SIPMSG_TRANSPORT_TLS_SCTP: return 5061;
    case SIPMSG_TRANSPORT_WS: return 80;
    case SIPMSG_TRANSPORT_WSS: return 443;
    default: return 5060;
    }
}

int sipmsg_transport_reliable(sipmsg_transport t)
{
    return t != SIPMSG_TRANSPORT_UDP && t != SIPMSG_TRANSPORT_OTHER;
}

/* ---- rport ------------------------------------------------------------------------ */

/* response-port = "rport" [EQUAL 1*DIGIT] (RFC 3581 section 3) */
sipmsg_code sipmsg_rport_parse(sipmsg_slice rport, sipmsg_rport *out)
{
    out->present = rport.ptr != NULL;
    out->requested = out->present && rport.len == 0;
    out->port = 0;
    if (!out->present || out->requested)
        return SIPMSG_OK;
    uint32_t port;
    if (sipmsg_uint_parse(rport, 65535, &port, SIPMSG_E_PORT) != SIPMSG_OK || port == 0)
        return SIPMSG_E_PORT;
    out->port = port;
    return SIPMSG_OK;
}

/* ---- response target (RFC 3261 18.2.2, RFC 3581 section 4) ------------------------ */

/* The rules of sipmsg_response_target_via, on the fields of a Via: rport
 * as a number (0: none; rport_bad: a malformed or zero value) and ttl
 * (-1: none, -2: malformed). */
static sipmsg_code target(sipmsg_resp_target *t, sipmsg_slice transport,
                          sipmsg_slice host, uint32_t port, sipmsg_slice received,
                          uint32_t rport, int rport_bad, sipmsg_slice maddr, int ttl)
{
    memset(t, 0, sizeof *t);
    t->transport_name = transport;
    t->transport = sipmsg_transport_lookup(transport);
    if (rport_bad)
        return SIPMSG_E_PORT;
    t->port_given = port != 0;
    t->port = port ? port : sipmsg_transport_default_port(t->transport);
    t->host = received.ptr ? received : host;
    if (sipmsg_transport_reliable(t->transport)) {
        /* bullet 1: the request's connection; else received + sent-by port */
        t->rule = SIPMSG_RESP_CONNECTION;
    } else if (maddr.ptr) {
        /* bullet 2: maddr, sent-by port; ttl for multicast (default 1) */
        if (ttl == -2)
            return SIPMSG_E_PORT;
        t->rule = SIPMSG_RESP_MADDR;
        t->host = maddr;
        t->ttl = ttl >= 0 ? (uint32_t)ttl : 1;
    } else if (rport) {
        /* RFC 3581 section 4: received address, rport port */
        t->rule = SIPMSG_RESP_RPORT;
        t->port = rport;
        t->port_given = 1;
    } else if (received.ptr) {
        t->rule = SIPMSG_RESP_RECEIVED; /* bullet 3 */
    } else {
        t->rule = SIPMSG_RESP_SENT_BY; /* bullet 4 */
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_response_target_via(const sipmsg_via *v, sipmsg_resp_target *t)
{
    sipmsg_rport rp;
    uint32_t n;
    int bad = sipmsg_rport_parse(v->rport, &rp) != SIPMSG_OK, ttl = -1;
    if (v->ttl.ptr)
        ttl =
            sipmsg_uint_parse(v->ttl, 255, &n, SIPMSG_E_PORT) == SIPMSG_OK ? (int)n : -2;
    return target(t, v->transport, v->host, v->port, v->received, rp.port, bad, v->maddr,
                  ttl);
}

sipmsg_code sipmsg_response_target_top(const sipmsg_top_via *q, sipmsg_resp_target *t)
{
    if (!q->transport.ptr) {
        memset(t, 0, sizeof *t);
        return SIPMSG_E_NOT_FOUND;
    }
    /* decoded and checked: the same fields without parsing the value
     * again (its rport and ttl are in range; a zero rport is still refused
     * here) */
    int bad = q->rport.len && q->rport_port == 0;
    return target(t, q->transport, q->host, q->port, q->received, q->rport_port, bad,
                  q->maddr, q->ttl);
}

sipmsg_code sipmsg_response_target(const sipmsg_msg *m, sipmsg_resp_target *t,
                                   sipmsg_error *err)
{
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_error e;
    if (m->via.transport.ptr) /* the top Via the parse (or the last edit) decoded */
        return sipmsg_response_target_top(&m->via, t);
    if (!err)
        err = &e;
    memset(t, 0, sizeof *t);
    sipmsg_via_iter_init(&it, m);
    int r = sipmsg_via_next(&it, &v, err);
    if (r < 0)
        return err->code;
    if (r == 0)
        return SIPMSG_E_NOT_FOUND;
    return sipmsg_response_target_via(&v, t);
}

/* ---- next hop (RFC 3261 16.6 steps 6-7, 16.12) ------------------------------------ */

static void set_error(sipmsg_error *err, sipmsg_code c, int header, size_t offset,
                      const char *msg)
{
    if (!err)
        return;
    err->code = c;
    err->header = header;
    err->offset = offset;
    err->msg = msg;
}

/* Fills the transport and address of a sip/sips hop URI. */
static sipmsg_code hop_address(sipmsg_next_hop *hop)
{
    const sipmsg_uri *u = &hop->uri;
    if (u->scheme_id != SIPMSG_SCHEME_SIP && u->scheme_id != SIPMSG_SCHEME_SIPS)
        return SIPMSG_E_URI;
    if (u->transport.ptr) {
        hop->transport = sipmsg_transport_lookup(u->transport);
        hop->transport_name = u->transport;
        hop->transport_given = 1;
    } else if (u->scheme_id == SIPMSG_SCHEME_SIPS) {
        hop->transport = SIPMSG_TRANSPORT_TLS;
        hop->transport_name = sipmsg_slice_of("TLS");
    } else {
        hop->transport = SIPMSG_TRANSPORT_UDP;
        hop->transport_name = sipmsg_slice_of("UDP");
    }
    hop->host = u->maddr.ptr ? u->maddr : u->host;
    hop->port = u->port;
    return SIPMSG_OK;
}

static sipmsg_code request_uri_hop(const sipmsg_msg *m, sipmsg_next_hop *hop,
                                   sipmsg_error *err)
{
    hop->kind = SIPMSG_HOP_REQUEST_URI;
    hop->uri_text = m->request_uri;
    if (sipmsg_uri_parse(&hop->uri, m->request_uri, NULL) != SIPMSG_OK) {
        set_error(err, SIPMSG_E_REQUEST_URI, -1, 0, "Request-URI does not parse");
        return SIPMSG_E_REQUEST_URI;
    }
    if (hop_address(hop) != SIPMSG_OK) {
        set_error(err, SIPMSG_E_URI, -1, 0, "Request-URI is not a sip or sips URI");
        return SIPMSG_E_URI;
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_next_hop_get(const sipmsg_msg *m, sipmsg_next_hop *hop,
                                sipmsg_error *err)
{
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na;
    sipmsg_error e;
    if (!err)
        err = &e;
    sipmsg_fill_(hop, 0, sizeof *hop);
    hop->route_header = SIPMSG_NONE_SIZE;
    if (!m->is_request) {
        set_error(err, SIPMSG_E_STATE, -1, 0, "not a request");
        return SIPMSG_E_STATE;
    }
    sipmsg_nameaddr_iter_init(&it, m, SIPMSG_HDR_ROUTE);
    int r = sipmsg_nameaddr_next(&it, &na, err);
    if (r < 0)
        return err->code;
    if (r == 0)
        return request_uri_hop(m, hop, err);
    hop->route_header = sipmsg_hdr_index(m, it.h);
    hop->uri_text = na.uri_text;
    hop->uri = na.uri;
    if (hop_address(hop) != SIPMSG_OK) {
        set_error(err, SIPMSG_E_URI, (int)hop->route_header,
                  (size_t)(na.uri_text.ptr - it.h->value.ptr),
                  "Route URI is not sip or sips");
        return SIPMSG_E_URI;
    }
    if (na.uri.lr) {
        hop->kind = SIPMSG_HOP_LOOSE;
    } else {
        hop->kind = SIPMSG_HOP_STRICT;
        hop->new_request_uri = na.uri_text;
        hop->last_route = m->request_uri;
    }
    return SIPMSG_OK;
}

/* The index of the last Route header (SIPMSG_NONE_SIZE when none). */
static size_t last_route_header(const sipmsg_msg *m)
{
    size_t last = SIPMSG_NONE_SIZE;
    for (const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_ROUTE); h;
         h = sipmsg_find_next(m, h))
        last = sipmsg_hdr_index(m, h);
    return last;
}

/* RFC 3261 16.6 step 6: Request-URI to the end of Route, top Route URI to the
 * Request-URI, top Route value removed. */
sipmsg_code sipmsg_route_strict_rewrite(sipmsg_msg *m, sipmsg_arena *a)
{
    sipmsg_next_hop hop;
    sipmsg_code c = sipmsg_next_hop_get(m, &hop, NULL);
    if (c != SIPMSG_OK)
        return c;
    if (hop.kind != SIPMSG_HOP_STRICT)
        return SIPMSG_E_STATE;
    if (!a || m->count >= m->capacity)
        return SIPMSG_E_NO_SPACE;
    sipmsg_slice old_ruri = m->request_uri;
    size_t need = old_ruri.len + 2;
    if (a->cap - a->used < need)
        return SIPMSG_E_NO_SPACE;
    /* "<old Request-URI>", reserved in the arena first (the attached arena
     * may be this one: the start line goes after it) */
    size_t mark = a->used;
    char *text = a->buf + a->used;
    text[0] = '<';
    memcpy(text + 1, old_ruri.ptr, old_ruri.len);
    text[need - 1] = '>';
    a->used += need;
    sipmsg_slice route_val = {text, need};

    c = sipmsg_set_request_uri(m, hop.new_request_uri, SIPMSG_EDIT_REF);
    if (c != SIPMSG_OK)
        goto undo_arena;
    c = sipmsg_hdr_insert(m, last_route_header(m) + 1, sipmsg_slice_of("Route"),
                          route_val, SIPMSG_EDIT_REF);
    if (c != SIPMSG_OK)
        goto undo_ruri;
    /* the top Route value's header did not move: the insert went below it */
    c = sipmsg_hdr_remove_value(m, hop.route_header, 0);
    if (c != SIPMSG_OK) {
        (void)sipmsg_hdr_remove(m, last_route_header(m));
        goto undo_ruri;
    }
    return SIPMSG_OK;
undo_ruri:
    (void)sipmsg_set_request_uri(m, old_ruri, SIPMSG_EDIT_REF);
undo_arena:
    if (a->used == mark + need)
        a->used = mark;
    return c;
}

/* RFC 3261 16.4: a Request-URI of ours (after a strict router) is replaced
 * with the last Route value; a top Route value of ours is removed. */
sipmsg_code sipmsg_route_preprocess(sipmsg_msg *m, sipmsg_is_self_fn is_self, void *ctx,
                                    unsigned *done)
{
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na;
    sipmsg_slice last_uri = {NULL, 0}; /* of the last Route value */
    sipmsg_uri ruri;
    sipmsg_error err;
    unsigned bits = 0;
    if (done)
        *done = 0;
    if (!m->is_request || !is_self)
        return SIPMSG_E_STATE;
    if (sipmsg_uri_parse(&ruri, m->request_uri, NULL) != SIPMSG_OK)
        return SIPMSG_E_REQUEST_URI;

    /* the last Route value: its header and its element index there */
    const sipmsg_header *last_h = NULL;
    size_t elem = 0;
    int r;
    sipmsg_nameaddr_iter_init(&it, m, SIPMSG_HDR_ROUTE);
    while ((r = sipmsg_nameaddr_next(&it, &na, &err)) > 0) {
        elem = it.h == last_h ? elem + 1 : 0;
        last_h = it.h;
        last_uri = na.uri_text;
    }
    if (r < 0)
        return err.code;
    if (last_h && is_self(ctx, &ruri)) {
        size_t idx = sipmsg_hdr_index(m, last_h);
        sipmsg_slice old = m->request_uri;
        sipmsg_code c = sipmsg_set_request_uri(m, last_uri, SIPMSG_EDIT_REF);
        if (c != SIPMSG_OK)
            return c;
        c = sipmsg_hdr_remove_value(m, idx, elem);
        if (c != SIPMSG_OK) {
            (void)sipmsg_set_request_uri(m, old, SIPMSG_EDIT_REF);
            return c;
        }
        bits |= SIPMSG_PRE_RURI_RESTORED;
        if (done)
            *done = bits;
    }

    sipmsg_nameaddr_iter_init(&it, m, SIPMSG_HDR_ROUTE);
    r = sipmsg_nameaddr_next(&it, &na, &err);
    if (r < 0)
        return err.code;
    if (r > 0 && is_self(ctx, &na.uri)) {
        sipmsg_code c = sipmsg_hdr_remove_value(m, sipmsg_hdr_index(m, it.h), 0);
        if (c != SIPMSG_OK)
            return c;
        bits |= SIPMSG_PRE_ROUTE_POPPED;
    }
    if (done)
        *done = bits;
    return SIPMSG_OK;
}

/* ---- FNV-1a 128 ------------------------------------------------------------------- */

/*
 * FNV-1a with the 128-bit parameters (offset basis
 * 0x6c62272e07bb014262b821756295c58d, prime 2^88 + 0x13b), on four 32-bit
 * limbs, least significant first, so that it needs no 128-bit type.
 */
typedef struct fnv128 {
    uint32_t l[4];
} fnv128;

static void fnv_init(fnv128 *h)
{
    h->l[0] = 0x6295c58du;
    h->l[1] = 0x62b82175u;
    h->l[2] = 0x07bb0142u;
    h->l[3] = 0x6c62272eu;
}

static void fnv_byte(fnv128 *h, unsigned char b)
{
    uint32_t x[4];
    uint64_t carry = 0;
    h->l[0] ^= b;
    /* x = h * 0x13b */
    for (int i = 0; i < 4; i++) {
        uint64_t v = (uint64_t)h->l[i] * 0x13bu + carry;
        x[i] = (uint32_t)v;
        carry = v >> 32;
    }
    /* x += h << 88: limb 2 gets l[0] << 24, limb 3 gets l[0] >> 8 | l[1] << 24 */
    uint64_t s2 = (uint64_t)x[2] + (uint32_t)(h->l[0] << 24);
    x[2] = (uint32_t)s2;
    x[3] = (uint32_t)(x[3] + (uint32_t)(s2 >> 32) + ((h->l[0] >> 8) | (h->l[1] << 24)));
    memcpy(h->l, x, sizeof x);
}

static void fnv_bytes(fnv128 *h, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        fnv_byte(h, b[i]);
}

/* A length (8 bytes, little-endian), so that fields cannot run together. */
static void fnv_len(fnv128 *h, uint64_t n)
{
    for (int i = 0; i < 8; i++)
        fnv_byte(h, (unsigned char)(n >> (8 * i)));
}

/* A field: its length, then its bytes; an absent field is the length
 * 2^64-1 alone, distinct from an empty one. */
static void fnv_field(fnv128 *h, sipmsg_slice s)
{
    if (!s.ptr) {
        fnv_len(h, UINT64_MAX);
        return;
    }
    fnv_len(h, s.len);
    fnv_bytes(h, s.ptr, s.len);
}

/* Every value of every header with this id, in order, then a count. */
static void fnv_headers(fnv128 *h, const sipmsg_msg *m, sipmsg_hdr_id id)
{
    uint64_t n = 0;
    for (const sipmsg_header *x = sipmsg_find(m, id); x; x = sipmsg_find_next(m, x), n++)
        fnv_field(h, x->value);
    fnv_len(h, n);
}

static void hex32(char *out, uint32_t v)
{
    sipmsg_hex_u32_(out, v, 8);
}

/* ---- stateless branch (RFC 3261 16.11) ------------------------------------------- */

/* The text of the top Via value (absent when none or malformed). */
static sipmsg_slice top_via_text(const sipmsg_msg *m)
{
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_via_iter_init(&it, m);
    if (sipmsg_via_next(&it, &v, NULL) != 1)
        return none_slice();
    return v.text;
}

static void transaction_part(const sipmsg_msg *m, fnv128 *h)
{
    fnv_init(h);
    if (sipmsg_branch_is_rfc3261(m->via.branch)) {
        fnv_byte(h, '3');
        fnv_field(h, m->via.branch);
        fnv_field(h, m->via.host);
        fnv_len(h, m->via.port);
    } else {
        fnv_byte(h, '2');
        fnv_field(h, top_via_text(m));
        fnv_field(h, m->to_tag);
        fnv_field(h, m->request_uri);
    }
    fnv_field(h, m->from_tag);
    fnv_field(h, m->call_id);
    fnv_len(h, m->cseq);
}

static void loop_part(const sipmsg_msg *m, fnv128 *h)
{
    fnv_init(h);
    fnv_field(h, m->request_uri);
    fnv_field(h, m->to_tag);
    fnv_field(h, m->from_tag);
    fnv_field(h, m->call_id);
    fnv_len(h, m->cseq);
    fnv_headers(h, m, SIPMSG_HDR_ROUTE);
    fnv_headers(h, m, SIPMSG_HDR_PROXY_REQUIRE);
    fnv_headers(h, m, SIPMSG_HDR_PROXY_AUTHORIZATION);
}

/* The 16 hex digits of the loop part. */
static void loop_hex(const sipmsg_msg *m, char out[16])
{
    fnv128 h;
    loop_part(m, &h);
    hex32(out, h.l[1]);
    hex32(out + 8, h.l[0]);
}

size_t sipmsg_stateless_branch(const sipmsg_msg *m, char *out, size_t cap)
{
    char b[SIPMSG_STATELESS_BRANCH_LEN];
    fnv128 h;
    if (!m->is_request)
        return 0;
    memcpy(b, "z9hG4bK", 7);
    transaction_part(m, &h);
    for (int i = 0; i < 4; i++)
        hex32(b + 7 + 8 * i, h.l[3 - i]);
    b[39] = '.';
    loop_hex(m, b + 40);
    if (cap) {
        size_t n = cap - 1 < sizeof b ? cap - 1 : sizeof b;
        memcpy(out, b, n);
        out[n] = '\0';
    }
    return sizeof b;
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int sipmsg_branch_is_stateless(sipmsg_slice branch)
{
    if (!branch.ptr || branch.len != SIPMSG_STATELESS_BRANCH_LEN ||
        !sipmsg_branch_is_rfc3261(branch) || branch.ptr[39] != '.')
        return 0;
    for (size_t i = 7; i < SIPMSG_STATELESS_BRANCH_LEN; i++)
        if (i != 39 && !is_hex((unsigned char)branch.ptr[i]))
            return 0;
    return 1;
}

/* ---- loop detection (RFC 3261 16.3 step 4) --------------------------------------- */

static int via_is_ours(const sipmsg_via *v, sipmsg_slice host, uint32_t port)
{
    sipmsg_transport t = sipmsg_transport_lookup(v->transport);
    uint32_t def = sipmsg_transport_default_port(t);
    uint32_t vport = v->port ? v->port : def;
    return slice_ieq(v->host, host) && vport == (port ? port : def);
}

sipmsg_code sipmsg_loop_check(const sipmsg_msg *m, sipmsg_slice host, uint32_t port,
                              sipmsg_loop *out, sipmsg_error *err)
{
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_error e;
    char now[16];
    int r;
    if (!err)
        err = &e;
    *out = SIPMSG_LOOP_NONE;
    if (!m->is_request) {
        set_error(err, SIPMSG_E_STATE, -1, 0, "not a request");
        return SIPMSG_E_STATE;
    }
    loop_hex(m, now);
    sipmsg_slice now_s = {now, sizeof now};
    sipmsg_via_iter_init(&it, m);
    while ((r = sipmsg_via_next(&it, &v, err)) > 0) {
        if (!via_is_ours(&v, host, port) || !sipmsg_branch_is_stateless(v.branch))
            continue;
        sipmsg_slice part = {v.branch.ptr + 40, 16};
        if (slice_ieq(part, now_s)) {
            *out = SIPMSG_LOOP_DETECTED;
            return SIPMSG_OK;
        }
        *out = SIPMSG_LOOP_SPIRAL;
    }
    if (r < 0) {
        *out = SIPMSG_LOOP_NONE;
        return err->code;
    }
    return SIPMSG_OK;
}
