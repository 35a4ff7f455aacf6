/*
 * register_check - the loopback test of the register_client recipe (run
 * by ctest): a registrar stub on 127.0.0.1 that challenges the first
 * REGISTER (401, Digest SHA-256 and MD5), verifies the second one's
 * credentials and answers 200. Each REGISTER is checked field by field.
 *
 *   register_check PATH/TO/register_client
 */
#include "recipe_run.h"

/* answers `req` with `status` (plus one header) where 18.2.2 says */
static void answer(int fd, sipmsg_msg *req, unsigned src_port, int status, const char *name,
                   const char *value)
{
    sipmsg_header h[64];
    sipmsg_msg r;
    char abuf[2048], out[4096];
    sipmsg_arena a;
    /* 18.2.1 / RFC 3581: record the packet source on the request's Via */
    CHECK(sipmsg_via_received(req, sipmsg_slice_of("127.0.0.1"), src_port) == SIPMSG_OK);
    sipmsg_msg_init(&r, h, 64);
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&r, &a);
    sipmsg_response rs = {.status_code = status, .to_tag = sipmsg_slice_of("reg1")};
    CHECK(sipmsg_build_response(&r, req, &rs) == SIPMSG_OK);
    CHECK(sipmsg_hdr_insert(&r, SIPMSG_AT_END, sipmsg_slice_of(name), sipmsg_slice_of(value), 0) ==
          SIPMSG_OK);
    sipmsg_resp_target t;
    CHECK(sipmsg_response_target(&r, &t, NULL) == SIPMSG_OK);
    CHECK(t.rule == SIPMSG_RESP_RPORT && rr_eq(t.host, "127.0.0.1") && t.port == src_port);
    size_t n = sipmsg_write(&r, out, sizeof out, 0);
    CHECK(n <= sizeof out);
    rr_send(fd, out, n, t.port);
}

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    unsigned port, from1, from2;
    int fd = rr_udp(&port), pipe_fd;
    char pstr[16];
    snprintf(pstr, sizeof pstr, "%u", port);
    char host[] = "127.0.0.1", user[] = "alice", pass[] = "secret";
    char *args[] = {argv[1], host, pstr, user, pass, NULL};
    pid_t pid = rr_start(args, &pipe_fd);

    static char b1[65536], b2[65536];
    sipmsg_header h1[64], h2[64];
    sipmsg_msg m1, m2;
    char ruri[64];
    snprintf(ruri, sizeof ruri, "sip:127.0.0.1:%u", port);

    sipmsg_msg_init(&m1, h1, 64);
    rr_recv(fd, b1, sizeof b1, &m1, &from1);
    CHECK(m1.method == SIPMSG_METHOD_REGISTER && rr_eq(m1.request_uri, ruri));
    CHECK(m1.cseq == 1 && m1.cseq_method == SIPMSG_METHOD_REGISTER && m1.max_forwards == 70);
    CHECK(m1.from_tag.len == 16 && !m1.to_tag.ptr && m1.call_id.len == 32);
    CHECK(sipmsg_branch_is_rfc3261(m1.via.branch) && m1.via.port == from1);
    CHECK(m1.via.rport.ptr && m1.via.rport.len == 0); /* asks for rport */
    CHECK(!sipmsg_find(&m1, SIPMSG_HDR_AUTHORIZATION));
    const sipmsg_header *e = sipmsg_find(&m1, SIPMSG_HDR_EXPIRES);
    CHECK(e && rr_eq(e->value, "3600"));
    const sipmsg_header *c = sipmsg_find(&m1, SIPMSG_HDR_CONTACT);
    CHECK(c && strstr(c->value.ptr, "sip:alice@127.0.0.1:") == c->value.ptr + 1);
    char arena1[512];
    sipmsg_arena a1;
    sipmsg_arena_init(&a1, arena1, sizeof arena1);
    sipmsg_edit_init(&m1, &a1);
    answer(fd, &m1, from1, 401, "WWW-Authenticate",
           "Digest realm=\"example.com\", nonce=\"5a1b2c3d\", qop=\"auth\", algorithm=MD5, "
           "Digest realm=\"example.com\", nonce=\"5a1b2c3d\", qop=\"auth\", algorithm=SHA-256");

    sipmsg_msg_init(&m2, h2, 64);
    rr_recv(fd, b2, sizeof b2, &m2, &from2);
    CHECK(m2.method == SIPMSG_METHOD_REGISTER && rr_eq(m2.request_uri, ruri));
    CHECK(m2.cseq == 2 && from2 == from1);
    CHECK(m2.call_id.len == m1.call_id.len &&
          memcmp(m2.call_id.ptr, m1.call_id.ptr, m1.call_id.len) == 0);
    CHECK(m2.from_tag.len == m1.from_tag.len &&
          memcmp(m2.from_tag.ptr, m1.from_tag.ptr, m1.from_tag.len) == 0);
    CHECK(sipmsg_branch_is_rfc3261(m2.via.branch) &&
          (m2.via.branch.len != m1.via.branch.len ||
           memcmp(m2.via.branch.ptr, m1.via.branch.ptr, m1.via.branch.len) != 0));
    const sipmsg_header *au = sipmsg_find(&m2, SIPMSG_HDR_AUTHORIZATION);
    CHECK(au);
    sipmsg_credentials cr;
    sipmsg_error err;
    CHECK(sipmsg_credentials_parse(au->value, &cr, &err) == SIPMSG_OK);
    CHECK(cr.alg == SIPMSG_DIGEST_SHA256); /* the stronger challenge */
    CHECK(rr_eq(cr.username, "alice") && rr_eq(cr.realm, "example.com"));
    CHECK(rr_eq(cr.uri, ruri) && rr_eq(cr.nonce, "5a1b2c3d"));
    sipmsg_digest_check chk = {0};
    chk.credentials = &cr;
    chk.password = sipmsg_slice_of("secret");
    chk.method = sipmsg_slice_of("REGISTER");
    CHECK(sipmsg_digest_verify(&chk, &err) == SIPMSG_OK);
    char arena2[512];
    sipmsg_arena a2;
    sipmsg_arena_init(&a2, arena2, sizeof arena2);
    sipmsg_edit_init(&m2, &a2);
    answer(fd, &m2, from2, 200, "Expires", "3600");

    char line[128] = {0};
    CHECK(rr_wait(pid) == 0);
    CHECK(read(pipe_fd, line, sizeof line - 1) > 0);
    CHECK(strstr(line, "registered alice, expires 3600") == line);
    puts("register client with Digest over loopback UDP: ok");
    return 0;
}
