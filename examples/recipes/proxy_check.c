/*
 * proxy_check - the loopback test of the stateless_proxy recipe (run by
 * ctest): a client and a server socket on 127.0.0.1, the proxy between
 * them. Request in, forwarded request out, a retransmission, the response
 * back; each message parsed and checked field by field.
 *
 *   proxy_check PATH/TO/stateless_proxy
 */
#include "recipe_run.h"

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    unsigned cport, sport, pport;
    int cfd = rr_udp(&cport), sfd = rr_udp(&sport), pipe_fd;
    char host[] = "127.0.0.1", any[] = "0", three[] = "3";
    char *args[] = {argv[1], host, any, three, NULL};
    pid_t pid = rr_start(args, &pipe_fd);
    char line[64] = {0};
    struct pollfd p = {pipe_fd, POLLIN, 0};
    CHECK(poll(&p, 1, 3000) == 1 && read(pipe_fd, line, sizeof line - 1) > 0);
    CHECK(sscanf(line, "listening %u", &pport) == 1);

    char req[1024];
    int n = snprintf(req, sizeof req,
                     "MESSAGE sip:bob@127.0.0.1:%u SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 127.0.0.1:%u;rport;branch=z9hG4bKc1\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                     "To: <sip:bob@127.0.0.1>\r\n"
                     "Call-ID: proxy-check@127.0.0.1\r\n"
                     "CSeq: 1 MESSAGE\r\n"
                     "Content-Type: text/plain\r\n"
                     "Content-Length: 5\r\n\r\nhello", sport, cport);
    rr_send(cfd, req, (size_t)n, pport);

    /* the forwarded request, at the server */
    static char b1[65536], b2[65536], b3[65536];
    sipmsg_header h1[64], h2[64], h3[64];
    sipmsg_msg f, f2, r;
    sipmsg_msg_init(&f, h1, 64);
    unsigned from;
    rr_recv(sfd, b1, sizeof b1, &f, &from);
    CHECK(from == pport);
    CHECK(f.is_request && f.method == SIPMSG_METHOD_MESSAGE);
    char want[64];
    snprintf(want, sizeof want, "sip:bob@127.0.0.1:%u", sport);
    CHECK(rr_eq(f.request_uri, want));
    CHECK(f.max_forwards == 69 && f.cseq == 1 && f.cseq_method == SIPMSG_METHOD_MESSAGE);
    CHECK(rr_eq(f.call_id, "proxy-check@127.0.0.1") && rr_eq(f.from_tag, "a1") && !f.to_tag.ptr);
    CHECK(rr_eq(f.body, "hello") && f.content_length == 5);
    CHECK(rr_eq(f.via.host, "127.0.0.1") && f.via.port == pport && rr_eq(f.via.transport, "UDP"));
    CHECK(sipmsg_branch_is_stateless(f.via.branch));
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_via_iter_init(&it, &f);
    CHECK(sipmsg_via_next(&it, &v, NULL) == 1 && sipmsg_via_next(&it, &v, NULL) == 1);
    sipmsg_rport rp;
    CHECK(rr_eq(v.branch, "z9hG4bKc1") && v.port == cport && rr_eq(v.received, "127.0.0.1"));
    CHECK(sipmsg_rport_parse(v.rport, &rp) == SIPMSG_OK && rp.port == cport);
    CHECK(sipmsg_via_next(&it, &v, NULL) == 0);

    /* a retransmission gets the same branch */
    rr_send(cfd, req, (size_t)n, pport);
    sipmsg_msg_init(&f2, h2, 64);
    rr_recv(sfd, b2, sizeof b2, &f2, NULL);
    CHECK(f2.via.branch.len == f.via.branch.len &&
          memcmp(f2.via.branch.ptr, f.via.branch.ptr, f.via.branch.len) == 0);

    /* the server answers 200 where 18.2.2 says: the proxy's Via */
    sipmsg_header hr[64];
    sipmsg_msg resp;
    char abuf[2048], out[4096];
    sipmsg_arena a;
    sipmsg_msg_init(&resp, hr, 64);
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&resp, &a);
    sipmsg_response rs = {.status_code = 200, .to_tag = sipmsg_slice_of("b2")};
    CHECK(sipmsg_build_response(&resp, &f, &rs) == SIPMSG_OK);
    sipmsg_resp_target t;
    CHECK(sipmsg_response_target(&resp, &t, NULL) == SIPMSG_OK);
    CHECK(t.rule == SIPMSG_RESP_SENT_BY && rr_eq(t.host, "127.0.0.1") && t.port == pport);
    size_t len = sipmsg_write(&resp, out, sizeof out, 0);
    CHECK(len <= sizeof out);
    rr_send(sfd, out, len, t.port);

    /* the client gets it with the proxy's Via removed */
    sipmsg_msg_init(&r, h3, 64);
    rr_recv(cfd, b3, sizeof b3, &r, &from);
    CHECK(from == pport);
    CHECK(!r.is_request && r.status_code == 200);
    CHECK(sipmsg_count(&r, SIPMSG_HDR_VIA) == 1 && rr_eq(r.via.branch, "z9hG4bKc1"));
    CHECK(r.via.port == cport && rr_eq(r.via.received, "127.0.0.1"));
    CHECK(rr_eq(r.to_tag, "b2") && rr_eq(r.from_tag, "a1") && r.cseq == 1);
    CHECK(rr_eq(r.call_id, "proxy-check@127.0.0.1"));

    CHECK(rr_wait(pid) == 0);
    puts("stateless proxy over loopback UDP: ok");
    return 0;
}
