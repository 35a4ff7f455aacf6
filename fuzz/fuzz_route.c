/*
 * fuzz_route.c - the routing helpers (sipmsg/route.h) on every input that
 * parses: response target, next hop, rport, stateless branch, loop check,
 * 16.4 preprocessing and the strict-route rewrite. Invariants: results lie
 * inside the input (or are the library's constants), ports are in range,
 * the branch is deterministic and well-formed, a Via of ours with our own
 * branch is a loop, and every edit writes a message that parses again with
 * the routing change in place.
 */
#include "fuzz_common.h"

#include <sipmsg/route.h>

#define NHDR 64

static int port_ok(uint32_t p)
{
    return p >= 1 && p <= 65535;
}

static void check_target(const sipmsg_msg *m, const char *buf, size_t size)
{
    sipmsg_resp_target t;
    sipmsg_error err;
    sipmsg_code c = sipmsg_response_target(m, &t, &err);
    if (c != SIPMSG_OK) {
        FZ_CHECK(c == SIPMSG_E_NOT_FOUND || c == SIPMSG_E_PORT || c == err.code);
        return;
    }
    FZ_CHECK(t.rule != SIPMSG_RESP_NONE && port_ok(t.port));
    FZ_CHECK(fz_inside(t.host, buf, size) && t.host.ptr);
    FZ_CHECK(t.transport == sipmsg_transport_lookup(t.transport_name));
    FZ_CHECK(t.rule != SIPMSG_RESP_CONNECTION || sipmsg_transport_reliable(t.transport));
    FZ_CHECK(t.rule == SIPMSG_RESP_MADDR ? t.ttl <= 255 : t.ttl == 0);
    if (!t.port_given)
        FZ_CHECK(t.port == sipmsg_transport_default_port(t.transport));
    sipmsg_rport r;
    if (sipmsg_rport_parse(m->via.rport, &r) == SIPMSG_OK && !r.requested && r.present)
        FZ_CHECK(port_ok(r.port));
}

static void check_hop(const sipmsg_msg *m, const char *buf, size_t size)
{
    sipmsg_next_hop hop;
    sipmsg_error err;
    if (sipmsg_next_hop_get(m, &hop, &err) != SIPMSG_OK)
        return;
    FZ_CHECK(hop.kind != SIPMSG_HOP_NONE);
    FZ_CHECK(fz_inside(hop.uri_text, buf, size) && hop.uri_text.ptr);
    FZ_CHECK(fz_inside(hop.host, buf, size));
    FZ_CHECK(hop.uri.scheme_id == SIPMSG_SCHEME_SIP || hop.uri.scheme_id == SIPMSG_SCHEME_SIPS);
    FZ_CHECK(hop.port <= 65535);
    FZ_CHECK((hop.kind == SIPMSG_HOP_REQUEST_URI) == (hop.route_header == SIPMSG_NONE_SIZE));
    if (hop.route_header != SIPMSG_NONE_SIZE)
        FZ_CHECK(hop.route_header < m->count && m->headers[hop.route_header].id == SIPMSG_HDR_ROUTE);
    FZ_CHECK((hop.kind == SIPMSG_HOP_STRICT) == (hop.new_request_uri.ptr != NULL));
    if (!hop.transport_given)
        FZ_CHECK(hop.transport == (hop.uri.scheme_id == SIPMSG_SCHEME_SIPS
                                       ? SIPMSG_TRANSPORT_TLS : SIPMSG_TRANSPORT_UDP));
}

/* Writes m and parses it again into m2 (whose buffer is returned). */
static char *reparse(const sipmsg_msg *m, sipmsg_msg *m2, sipmsg_header *hdrs)
{
    size_t n;
    char *out = sipmsg_write_dup(m, 0, &n);
    FZ_CHECK(out != NULL);
    sipmsg_msg_init(m2, hdrs, NHDR);
    sipmsg_error err;
    FZ_CHECK(sipmsg_parse(m2, out, n, NULL, &err) == SIPMSG_DONE);
    return out;
}

static int always(void *ctx, const sipmsg_uri *uri)
{
    (void)ctx;
    (void)uri;
    return 1;
}

/* The edits, on a copy: preprocessing (everything is "self") and the
 * strict rewrite; each result must parse again. */
static void check_edits(const sipmsg_msg *m)
{
    sipmsg_header h1[NHDR], h2[NHDR];
    sipmsg_msg c, r;
    char abuf[4096];
    sipmsg_arena a;
    sipmsg_msg_init(&c, h1, NHDR);
    if (sipmsg_msg_copy(&c, m) != SIPMSG_OK)
        return;
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&c, &a);
    unsigned done = 0;
    size_t routes = sipmsg_count(m, SIPMSG_HDR_ROUTE);
    if (sipmsg_route_preprocess(&c, always, NULL, &done) == SIPMSG_OK) {
        char *out = reparse(&c, &r, h2);
        FZ_CHECK(sipmsg_count(&r, SIPMSG_HDR_ROUTE) <= routes);
        free(out);
    }

    sipmsg_next_hop hop;
    sipmsg_msg_init(&c, h1, NHDR);
    if (sipmsg_msg_copy(&c, m) != SIPMSG_OK || sipmsg_next_hop_get(&c, &hop, NULL) != SIPMSG_OK)
        return;
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&c, &a);
    sipmsg_code rc = sipmsg_route_strict_rewrite(&c, &a);
    if (hop.kind != SIPMSG_HOP_STRICT) {
        FZ_CHECK(rc == SIPMSG_E_STATE);
        return;
    }
    if (rc != SIPMSG_OK)
        return;
    char *out = reparse(&c, &r, h2);
    /* the new Request-URI is the old top Route's URI */
    FZ_CHECK(r.request_uri.len == hop.new_request_uri.len &&
             memcmp(r.request_uri.ptr, hop.new_request_uri.ptr, hop.new_request_uri.len) == 0);
    free(out);
}

static void check_branch_and_loop(const sipmsg_msg *m)
{
    char b1[SIPMSG_STATELESS_BRANCH_LEN + 1], b2[SIPMSG_STATELESS_BRANCH_LEN + 1];
    FZ_CHECK(sipmsg_stateless_branch(m, b1, sizeof b1) == SIPMSG_STATELESS_BRANCH_LEN);
    FZ_CHECK(sipmsg_stateless_branch(m, b2, sizeof b2) == SIPMSG_STATELESS_BRANCH_LEN);
    FZ_CHECK(memcmp(b1, b2, sizeof b1) == 0);
    FZ_CHECK(sipmsg_branch_is_stateless(sipmsg_slice_of(b1)));

    sipmsg_loop l;
    sipmsg_error err;
    sipmsg_code c = sipmsg_loop_check(m, sipmsg_slice_of("fuzz.invalid"), 5060, &l, &err);
    FZ_CHECK(c != SIPMSG_OK || l == SIPMSG_LOOP_NONE || sipmsg_count(m, SIPMSG_HDR_VIA) > 0);

    /* forward it with our branch: the forwarded request is a loop for us
     * (unless the Via list is malformed further down) */
    sipmsg_header h1[NHDR], h2[NHDR];
    sipmsg_msg cp, r;
    char abuf[2048], via[128];
    sipmsg_arena a;
    sipmsg_msg_init(&cp, h1, NHDR);
    if (sipmsg_msg_copy(&cp, m) != SIPMSG_OK)
        return;
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&cp, &a);
    snprintf(via, sizeof via, "SIP/2.0/UDP fuzz.invalid;branch=%s", b1);
    sipmsg_forward f = {.via = sipmsg_slice_of(via)};
    if (sipmsg_proxy_forward(&cp, &f) != SIPMSG_OK)
        return;
    char *out = reparse(&cp, &r, h2);
    if (sipmsg_loop_check(&r, sipmsg_slice_of("FUZZ.invalid"), 0, &l, NULL) == SIPMSG_OK)
        FZ_CHECK(l == SIPMSG_LOOP_DETECTED);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fz_copy(data, size);
    sipmsg_header hdrs[NHDR];
    sipmsg_msg m;
    sipmsg_msg_init(&m, hdrs, NHDR);
    if (sipmsg_parse(&m, buf, size, NULL, NULL) == SIPMSG_DONE) {
        check_target(&m, buf, size);
        if (m.is_request) {
            check_hop(&m, buf, size);
            check_branch_and_loop(&m);
            check_edits(&m);
        } else {
            char b[8];
            sipmsg_loop l;
            FZ_CHECK(sipmsg_stateless_branch(&m, b, sizeof b) == 0);
            FZ_CHECK(sipmsg_loop_check(&m, sipmsg_slice_of("x"), 0, &l, NULL) == SIPMSG_E_STATE);
        }
    }
    free(buf);
    return 0;
}
