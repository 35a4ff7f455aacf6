/*
 * register_client - the shortest correct registering client (RFC 3261
 * 10.2, Digest 22.4) over UDP: REGISTER, answer a 401/407 challenge with
 * the strongest Digest it offers, expect 200.
 *
 *   register_client REGISTRAR_IPV4 PORT USER PASSWORD
 *
 * Exits 0 when registered (printing the expiry), 1 otherwise.
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

/* sipmsg has no random source: tags, branches, Call-ID and cnonce use this */
static int urandom(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(out, 1, n, f) : 0;
    if (f)
        fclose(f);
    return got == n ? 0 : -1;
}

/* writes m to the socket and parses the answer (3 s at most) into r */
static int exchange(int fd, const sipmsg_msg *m, char *buf, size_t cap, sipmsg_msg *r)
{
    char out[4096];
    size_t n = sipmsg_write(m, out, sizeof out, 0);
    struct pollfd p = {fd, POLLIN, 0};
    if (n > sizeof out || send(fd, out, n, 0) != (ssize_t)n || poll(&p, 1, 3000) != 1)
        return -1;
    ssize_t got = recv(fd, buf, cap, 0);
    return got > 0 && sipmsg_parse(r, buf, (size_t)got, NULL, NULL) == SIPMSG_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: register_client REGISTRAR_IPV4 PORT USER PASSWORD\n");
        return 2;
    }
    struct sockaddr_in to = {0}, me;
    socklen_t ml = sizeof me;
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)atoi(argv[2]));
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&to, sizeof to) != 0 ||
        getsockname(fd, (struct sockaddr *)&me, &ml) != 0) {
        perror("register_client");
        return 1;
    }
    char ip[INET_ADDRSTRLEN], ruri[128], via[128], aor[192], contact[192];
    inet_ntop(AF_INET, &me.sin_addr, ip, sizeof ip);
    unsigned port = ntohs(me.sin_port);
    snprintf(ruri, sizeof ruri, "sip:%s:%s", argv[1], argv[2]);
    snprintf(via, sizeof via, "SIP/2.0/UDP %s:%u;rport", ip, port);
    snprintf(aor, sizeof aor, "<sip:%s@%s>", argv[3], argv[1]);
    snprintf(contact, sizeof contact, "<sip:%s@%s:%u>", argv[3], ip, port);

    /* the first REGISTER: the library draws the tag, branch and Call-ID */
    sipmsg_header h[64], rh[64];
    sipmsg_msg m, r;
    char abuf[4096], rbuf[65536];
    sipmsg_arena a;
    sipmsg_msg_init(&m, h, 64);
    sipmsg_msg_init(&r, rh, 64);
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&m, &a);
    sipmsg_register reg = {0};
    reg.req.request_uri = sipmsg_slice_of(ruri);
    reg.req.via = sipmsg_slice_of(via);
    reg.req.from = reg.req.to = sipmsg_slice_of(aor);
    reg.req.contact = sipmsg_slice_of(contact);
    reg.req.rand = urandom;
    reg.contact_expires = -1;
    reg.expires = 3600;
    if (sipmsg_build_register(&m, &reg) != SIPMSG_OK || exchange(fd, &m, rbuf, sizeof rbuf, &r))
        return 1;

    if (r.status_code == 401 || r.status_code == 407) {
        /* the strongest challenge, credentials for it, and the REGISTER
         * again: same Call-ID and From tag, next CSeq, new branch */
        sipmsg_digest_choice ch;
        sipmsg_error err;
        char cred[1024];
        if (sipmsg_digest_choose(&r, &ch, &err) != SIPMSG_OK)
            return 1;
        sipmsg_digest_input in = {0};
        in.challenge = &ch.challenge;
        in.username = sipmsg_slice_of(argv[3]);
        in.password = sipmsg_slice_of(argv[4]);
        in.method = sipmsg_slice_of("REGISTER");
        in.uri = sipmsg_slice_of(ruri);
        in.rand = urandom;
        size_t n = sipmsg_digest_authorize(&in, cred, sizeof cred, &err);
        if (n == 0 || n >= sizeof cred)
            return 1;
        /* the retry: a copy of the first REGISTER with the next CSeq, a
         * new branch and the credentials in the header the challenge names
         * (Authorization for a 401, Proxy-Authorization for a 407) */
        sipmsg_header h2[64];
        sipmsg_msg m2;
        char abuf2[4096];
        sipmsg_arena a2;
        sipmsg_msg_init(&m2, h2, 64);
        sipmsg_arena_init(&a2, abuf2, sizeof abuf2);
        sipmsg_edit_init(&m2, &a2);
        sipmsg_retry rt = {.choice = &ch, .auth_value = {cred, n}, .rand = urandom};
        if (sipmsg_build_retry(&m2, &m, &rt) != SIPMSG_OK ||
            exchange(fd, &m2, rbuf, sizeof rbuf, &r))
            return 1;
    }
    if (r.status_code != 200) {
        fprintf(stderr, "register_client: %d %.*s\n", r.status_code, (int)r.reason.len,
                r.reason.ptr);
        return 1;
    }
    const sipmsg_header *e = sipmsg_find(&r, SIPMSG_HDR_EXPIRES);
    printf("registered %s, expires %.*s\n", argv[3], e ? (int)e->value.len : 1,
           e ? e->value.ptr : "?");
    close(fd);
    return 0;
}
