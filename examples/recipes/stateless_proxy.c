/*
 * stateless_proxy - the shortest correct stateless SIP proxy over UDP
 * (RFC 3261 16.11), on the sipmsg routing helpers. No DNS: next hops must
 * be numeric IPv4 addresses.
 *
 *   stateless_proxy ADDR PORT [COUNT]
 *
 * Listens on ADDR:PORT (PORT 0: any; the port is printed as "listening
 * PORT"), handles COUNT datagrams (default: forever) and exits 0; exits 1
 * after 10 s without traffic. Requests: 16.4 preprocessing, loop check
 * (482), Max-Forwards (483), the next hop (16.12, the strict-route rewrite
 * when needed), a Via with a stateless branch, received/rport on the
 * previous one, written straight out (sipmsg_proxy_forward_write).
 * Responses: the top Via must be ours; the response is written without it
 * (sipmsg_proxy_unvia_write) and sent where RFC 3261 18.2.2 / RFC 3581 say
 * for the Via left on top.
 */
#define _POSIX_C_SOURCE 200809L
#include <sipmsg.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in self;   /* our address */
static char self_host[INET_ADDRSTRLEN];
static char self_via_text[64];    /* our Via without its branch ... */
static sipmsg_proxy_via self_via; /* ... checked once */

/* a URI names us when its host and port are ours (16.4) */
static int is_self(void *ctx, const sipmsg_uri *u)
{
    (void)ctx;
    uint32_t port = u->port ? u->port : 5060;
    return sipmsg_slice_eq(u->host, self_host) && port == ntohs(self.sin_port);
}

/* a numeric host and port into a socket address (no DNS) */
static int to_addr(sipmsg_slice host, uint32_t port, struct sockaddr_in *sa)
{
    char h[INET_ADDRSTRLEN];
    if (!host.ptr || host.len >= sizeof h)
        return -1;
    memcpy(h, host.ptr, host.len);
    h[host.len] = '\0';
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, h, &sa->sin_addr) == 1 ? 0 : -1;
}

static char out[65536]; /* the datagram sent */

static void send_out(int fd, size_t n, const struct sockaddr_in *to)
{
    sendto(fd, out, n, 0, (const struct sockaddr *)to, sizeof *to);
}

static void send_msg(int fd, const sipmsg_msg *m, const struct sockaddr_in *to)
{
    size_t n = sipmsg_write(m, out, sizeof out, 0);
    if (n <= sizeof out)
        send_out(fd, n, to);
}

/* answer `req` statelessly with `status` (482, 483) */
static void reply(int fd, const sipmsg_msg *req, int status)
{
    sipmsg_header h[64];
    sipmsg_msg r;
    char abuf[1024];
    sipmsg_arena a;
    sipmsg_resp_target t;
    struct sockaddr_in to;
    sipmsg_msg_init(&r, h, 64);
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&r, &a);
    sipmsg_response rs = {.status_code = status, .to_tag = sipmsg_slice_of("sl")};
    if (sipmsg_build_response(&r, req, &rs) == SIPMSG_OK &&
        sipmsg_response_target(&r, &t, NULL) == SIPMSG_OK && to_addr(t.host, t.port, &to) == 0)
        send_msg(fd, &r, &to);
}

static void on_request(int fd, sipmsg_msg *m, const struct sockaddr_in *src)
{
    char branch[SIPMSG_STATELESS_BRANCH_LEN + 1], ip[INET_ADDRSTRLEN];
    sipmsg_loop loop;
    sipmsg_next_hop hop;
    struct sockaddr_in to;
    char abuf[4096];
    sipmsg_arena a;

    /* on the request as received: our branch and the loop check */
    sipmsg_stateless_branch(m, branch, sizeof branch);
    if (sipmsg_loop_check(m, sipmsg_slice_of(self_host), ntohs(self.sin_port), &loop, NULL) !=
        SIPMSG_OK)
        return;
    inet_ntop(AF_INET, &src->sin_addr, ip, sizeof ip);
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(m, &a);
    /* 18.2.1: received/rport first, so that a 482/483 finds its way back */
    sipmsg_via_received(m, sipmsg_slice_of(ip), ntohs(src->sin_port));
    if (loop == SIPMSG_LOOP_DETECTED) {
        reply(fd, m, 482);
        return;
    }
    if (sipmsg_route_preprocess(m, is_self, NULL, NULL) != SIPMSG_OK ||
        sipmsg_next_hop_get(m, &hop, NULL) != SIPMSG_OK)
        return;
    if (hop.kind == SIPMSG_HOP_STRICT && sipmsg_route_strict_rewrite(m, &a) != SIPMSG_OK)
        return;
    if (to_addr(hop.host, hop.port ? hop.port : 5060, &to) != 0)
        return; /* a name: RFC 3263 is the caller's job */
    sipmsg_forward f = {.self = &self_via, .branch = sipmsg_slice_of(branch)};
    size_t n;
    sipmsg_code c = sipmsg_proxy_forward_write(m, &f, out, sizeof out, &n);
    if (c == SIPMSG_E_TOO_MANY_HOPS)
        reply(fd, m, 483);
    else if (c == SIPMSG_OK)
        send_out(fd, n, &to);
}

static void on_response(int fd, const sipmsg_msg *m)
{
    sipmsg_resp_target t;
    sipmsg_top_via next;
    struct sockaddr_in to;
    size_t n;
    /* 16.11: the top Via must be ours, else drop it */
    if (!sipmsg_slice_eq(m->via.host, self_host) || m->via.port != ntohs(self.sin_port))
        return;
    /* no Via left: the response was for us (16.7 step 3), target NOT_FOUND */
    if (sipmsg_proxy_unvia_write(m, out, sizeof out, &n, &next) == SIPMSG_OK &&
        sipmsg_response_target_top(&next, &t) == SIPMSG_OK && to_addr(t.host, t.port, &to) == 0)
        send_out(fd, n, &to);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: stateless_proxy ADDR PORT [COUNT]\n");
        return 2;
    }
    long count = argc > 3 ? atol(argv[3]) : -1;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t sl = sizeof self;
    if (fd < 0 || to_addr(sipmsg_slice_of(argv[1]), (uint32_t)atoi(argv[2]), &self) != 0 ||
        bind(fd, (struct sockaddr *)&self, sizeof self) != 0 ||
        getsockname(fd, (struct sockaddr *)&self, &sl) != 0) {
        perror("stateless_proxy");
        return 1;
    }
    inet_ntop(AF_INET, &self.sin_addr, self_host, sizeof self_host);
    snprintf(self_via_text, sizeof self_via_text, "SIP/2.0/UDP %s:%u", self_host,
             (unsigned)ntohs(self.sin_port));
    if (sipmsg_proxy_via_init(&self_via, sipmsg_slice_of(self_via_text), NULL) != SIPMSG_OK)
        return 1;
    printf("listening %u\n", (unsigned)ntohs(self.sin_port));
    fflush(stdout);

    static char buf[65536];
    sipmsg_header hdrs[128];
    sipmsg_msg m;
    sipmsg_msg_init(&m, hdrs, 128);
    for (; count != 0; count--) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10000) != 1)
            return 1;
        struct sockaddr_in src;
        socklen_t al = sizeof src;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&src, &al);
        if (n <= 0 || sipmsg_parse(&m, buf, (size_t)n, NULL, NULL) != SIPMSG_DONE)
            continue; /* 18.3: an unparsable datagram is dropped */
        if (m.is_request)
            on_request(fd, &m, &src);
        else
            on_response(fd, &m);
    }
    close(fd);
    return 0;
}
