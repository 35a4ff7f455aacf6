/*
 * sipua - a tiny SIP user agent on sipmsg and POSIX sockets, written for the
 * interop tests against Kamailio and sipp (tests/interop/run.sh).
 *
 *   sipua flow  --proxy ADDR:PORT [--transport udp|tcp] [--password PW]
 *               [--capture DIR] [--timeout SEC]
 *       The seed's whole flow through a proxy: user2 registers (401, then
 *       a retry with Authorization, CSeq 2, then 200 with Contact and
 *       expiry); user1 sends a MESSAGE to user2 through the proxy; user2
 *       checks the proxy's Via on top, Max-Forwards 70 -> 69 and the body
 *       byte for byte, then answers 200; user1 gets the 200 with the
 *       proxy's Via popped. Every response is matched to its request by
 *       the top Via branch and the CSeq.
 *
 *   sipua message --proxy ADDR:PORT [--transport udp|tcp] [--capture DIR]
 *               [--timeout SEC]
 *       Steps 2 and 4 of the flow alone: user1 sends the MESSAGE to user2
 *       (registered by someone else, e.g. sipp) through the proxy and
 *       checks the 200 that comes back.
 *
 *   sipua serve --listen ADDR[:PORT] [--transport udp|tcp] [--count N]
 *               [--port-file FILE] [--user NAME] [--password PW]
 *               [--realm REALM] [--expect-body TEXT] [--capture DIR]
 *               [--timeout SEC]
 *       A registrar and MESSAGE endpoint for sipp: REGISTER without
 *       credentials gets a 401 (Digest, MD5, qop=auth), with right
 *       credentials a 200 with Contact;expires and Expires, with wrong ones
 *       a 403; MESSAGE gets a 200 (with --expect-body, the body must be
 *       exactly TEXT, where \r, \n and \\ are escapes); OPTIONS gets a
 *       200. Exits after answering N requests (retransmissions aside).
 *       Port 0 picks a free port, written to --port-file.
 *
 * Bounds: only loopback addresses (127.0.0.0/8, ::1) are accepted, for
 * binding, connecting, sending and accepting; every run stops after
 * --timeout seconds (default 10) and after MAX_EVENTS messages in and out.
 * Over UDP, requests are retransmitted (RFC 3261 Timer E: 500 ms doubling
 * to 4 s); over TCP, each connection is a byte stream framed by sipmsg's
 * stream mode, with RFC 5626 keep-alives: a CRLFCRLF ping is sent before
 * the first request, and received CRLFs are skipped (a CRLFCRLF ping is
 * answered with a CRLF pong).
 *
 * Every message received is parsed (and must parse) and checked with
 * sipmsg_validate (a problem is a warning); every message sent is written
 * with sipmsg_write and must parse back. --capture DIR writes each message,
 * in or out, to DIR/NN-who-in|out-WHAT.sip.
 *
 * Output: one line per check, "ok - ..." or "not ok - ...". Exit status 0
 * when every check passed, 1 when one failed (a missing response included),
 * 2 for usage errors, 3 for a socket error or serve's deadline.
 */
#define _POSIX_C_SOURCE 200809L

#include <sipmsg.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSG 65536       /* one message, and one TCP receive buffer */
#define MAX_CONNS 8         /* TCP connections per user agent */
#define MAX_HDRS 64         /* header table of a received message */
#define MAX_EVENTS 200      /* messages in and out, per run */
#define T1_MS 500
#define T2_MS 4000

static const char BODY[] = "user2, come here.\n";

/* ---- reporting ------------------------------------------------------------ */

static unsigned g_failed, g_passed;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static void say(const char *fmt, ...) PRINTF_LIKE(1, 2);
static int check(int cond, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sipua: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
    va_end(ap);
}

/* One assertion: prints "ok - ..." or "not ok - ..."; returns cond. */
static int check(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(cond ? "ok - " : "not ok - ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
    va_end(ap);
    if (cond)
        g_passed++;
    else
        g_failed++;
    return cond;
}

/* ---- time and bounds ----------------------------------------------------------- */

static long long g_deadline;    /* monotonic ms */
static unsigned g_events;
static const char *g_capture;   /* directory, or NULL */
static unsigned g_capture_seq;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int count_event(void)
{
    if (++g_events > MAX_EVENTS) {
        check(0, "at most %d messages per run", MAX_EVENTS);
        return -1;
    }
    return 0;
}

static int slice_same(sipmsg_slice a, const char *p, size_t n)
{
    return a.ptr && a.len == n && memcmp(a.ptr, p, n) == 0;
}

/* ---- random bytes (tags, branches, Call-IDs, cnonces, nonces) --------------------- */

static int rnd(void *ctx, unsigned char *out, size_t n)
{
    static int fd = -1;
    (void)ctx;
    if (fd < 0)
        fd = open("/dev/urandom", O_RDONLY);
    while (fd >= 0 && n > 0) {
        ssize_t r = read(fd, out, n);
        if (r <= 0)
            return -1;
        out += r;
        n -= (size_t)r;
    }
    return fd < 0 ? -1 : 0;
}

/* ---- addresses: loopback only ------------------------------------------------ */

typedef struct addr {
    struct sockaddr_storage ss;
    socklen_t len;
} addr;

/* host: an IPv4 literal, or IPv6 with or without brackets. */
static int addr_set(addr *a, const char *host, size_t hlen, unsigned port)
{
    char tmp[64];
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
        host++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= sizeof tmp || port > 65535)
        return -1;
    memcpy(tmp, host, hlen);
    tmp[hlen] = '\0';
    memset(a, 0, sizeof *a);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&a->ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->ss;
    if (inet_pton(AF_INET, tmp, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        a->len = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, tmp, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        a->len = sizeof *v6;
        return 0;
    }
    return -1;
}

/* "127.0.0.1", "127.0.0.1:5060", "[::1]:5060", "::1" */
static int addr_parse(addr *a, const char *text, int need_port)
{
    const char *colon = NULL;
    size_t n = strlen(text);
    if (text[0] == '[') {
        const char *rb = strchr(text, ']');
        if (!rb)
            return -1;
        if (rb[1] == ':')
            colon = rb + 1;
        else if (rb[1] != '\0')
            return -1;
    } else if (strchr(text, ':') == strrchr(text, ':')) {
        colon = strchr(text, ':'); /* IPv4 with a port; several ':' is bare IPv6 */
    }
    unsigned long port = 0;
    if (colon) {
        char *end;
        port = strtoul(colon + 1, &end, 10);
        if (*end || colon[1] == '\0' || port > 65535)
            return -1;
        n = (size_t)(colon - text);
    } else if (need_port) {
        return -1;
    }
    return addr_set(a, text, n, (unsigned)port);
}

static int addr_is_loopback(const addr *a)
{
    if (a->ss.ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)&a->ss;
        return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    }
    if (a->ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&a->ss;
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) ||
               (memcmp(v6->sin6_addr.s6_addr, mapped, 12) == 0 &&
                v6->sin6_addr.s6_addr[12] == 127);
    }
    return 0;
}

static unsigned addr_port(const addr *a)
{
    if (a->ss.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
}

/* The host as it goes into a SIP URI or Via: "127.0.0.1" or "[::1]". */
static void addr_host(const addr *a, char *out, size_t cap)
{
    char tmp[INET6_ADDRSTRLEN];
    if (a->ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)&a->ss)->sin_addr, tmp, sizeof tmp);
        snprintf(out, cap, "%s", tmp);
    } else {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&a->ss)->sin6_addr, tmp, sizeof tmp);
        snprintf(out, cap, "[%s]", tmp);
    }
}

static int addr_equal(const addr *a, const addr *b)
{
    if (a->ss.ss_family != b->ss.ss_family || addr_port(a) != addr_port(b))
        return 0;
    if (a->ss.ss_family == AF_INET)
        return ((const struct sockaddr_in *)&a->ss)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)&b->ss)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
                  &((const struct sockaddr_in6 *)&b->ss)->sin6_addr, 16) == 0;
}

/* ---- capture -------------------------------------------------------------------- */

static void capture(const char *who, const char *dir, const char *p, size_t n)
{
    if (!g_capture)
        return;
    char label[32] = "x";
    sipmsg_header h[MAX_HDRS];
    sipmsg_msg m;
    sipmsg_msg_init(&m, h, MAX_HDRS);
    if (sipmsg_parse(&m, p, n, NULL, NULL) == SIPMSG_DONE) {
        if (m.is_request)
            snprintf(label, sizeof label, "%.*s", (int)m.method_name.len, m.method_name.ptr);
        else
            snprintf(label, sizeof label, "%d", m.status_code);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%02u-%s-%s-%s.sip", g_capture, ++g_capture_seq,
             who, dir, label);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n)
        say("cannot write %s: %s", path, strerror(errno));
    if (f)
        fclose(f);
}

/* ---- user agents: sockets and framing ------------------------------------------ */

typedef struct conn {
    int fd;                 /* -1: closed */
    addr peer;
    char buf[MAX_MSG];
    size_t len;
} conn;

typedef struct ua {
    const char *name;
    int tcp;
    int udp_fd;             /* UDP: the socket */
    int listen_fd;          /* TCP: the listener, -1 when none */
    addr local;             /* UDP socket or TCP listener address */
    conn conns[MAX_CONNS];
    unsigned long keepalive_bytes; /* CRLF bytes received between messages */
} ua;

/* A received message: its bytes, where it came from, and the parse. */
typedef struct inmsg {
    char buf[MAX_MSG];
    size_t len;
    addr src;
    int conn;               /* TCP connection index, -1 for UDP */
    sipmsg_header hdrs[MAX_HDRS];
    sipmsg_msg m;
    char text[1024];        /* arena for the UAS's received= edit */
    sipmsg_arena arena;
} inmsg;

/* A message being built: header table and arena. */
typedef struct outmsg {
    sipmsg_header hdrs[MAX_HDRS];
    sipmsg_msg m;
    char text[16384];
    sipmsg_arena arena;
} outmsg;

static void out_init(outmsg *o)
{
    sipmsg_msg_init(&o->m, o->hdrs, MAX_HDRS);
    sipmsg_arena_init(&o->arena, o->text, sizeof o->text);
    sipmsg_edit_init(&o->m, &o->arena);
}

static void ua_init(ua *u, const char *name, int tcp)
{
    memset(u, 0, sizeof *u);
    u->name = name;
    u->tcp = tcp;
    u->udp_fd = -1;
    u->listen_fd = -1;
    for (int i = 0; i < MAX_CONNS; i++)
        u->conns[i].fd = -1;
}

static void ua_close(ua *u)
{
    if (u->udp_fd >= 0)
        close(u->udp_fd);
    if (u->listen_fd >= 0)
        close(u->listen_fd);
    for (int i = 0; i < MAX_CONNS; i++)
        if (u->conns[i].fd >= 0)
            close(u->conns[i].fd);
    ua_init(u, u->name, u->tcp);
}

/* Binds the UDP socket or the TCP listener to `at` (port 0: any free). */
static int ua_bind(ua *u, const addr *at)
{
    if (!addr_is_loopback(at)) {
        say("%s: refusing to bind a non-loopback address", u->name);
        return -1;
    }
    int fd = socket(at->ss.ss_family, u->tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    if (u->tcp)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)&at->ss, at->len) != 0 ||
        (u->tcp && listen(fd, 8) != 0)) {
        say("%s: bind: %s", u->name, strerror(errno));
        close(fd);
        return -1;
    }
    u->local.len = sizeof u->local.ss;
    getsockname(fd, (struct sockaddr *)&u->local.ss, &u->local.len);
    if (u->tcp)
        u->listen_fd = fd;
    else
        u->udp_fd = fd;
    return 0;
}

static int ua_add_conn(ua *u, int fd, const addr *peer)
{
    for (int i = 0; i < MAX_CONNS; i++) {
        if (u->conns[i].fd < 0) {
            u->conns[i].fd = fd;
            u->conns[i].peer = *peer;
            u->conns[i].len = 0;
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return i;
        }
    }
    say("%s: more than %d connections", u->name, MAX_CONNS);
    close(fd);
    return -1;
}

/* Opens a TCP connection to `to`; returns its index. */
static int ua_connect(ua *u, const addr *to, addr *local)
{
    if (!addr_is_loopback(to)) {
        say("%s: refusing to connect to a non-loopback address", u->name);
        return -1;
    }
    int fd = socket(to->ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)&to->ss, to->len) != 0) {
        say("%s: connect: %s", u->name, strerror(errno));
        close(fd);
        return -1;
    }
    local->len = sizeof local->ss;
    getsockname(fd, (struct sockaddr *)&local->ss, &local->len);
    return ua_add_conn(u, fd, to);
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Sends raw bytes: over UDP to `to`, over TCP on connection `ci`. */
static int ua_send_bytes(ua *u, const char *p, size_t n, const addr *to, int ci)
{
    if (u->tcp) {
        if (ci < 0 || ci >= MAX_CONNS || u->conns[ci].fd < 0) {
            say("%s: no connection to send on", u->name);
            return -1;
        }
        if (!addr_is_loopback(&u->conns[ci].peer))
            return -1;
        return send_all(u->conns[ci].fd, p, n);
    }
    if (!to || !addr_is_loopback(to)) {
        say("%s: refusing to send to a non-loopback address", u->name);
        return -1;
    }
    ssize_t r = sendto(u->udp_fd, p, n, 0, (const struct sockaddr *)&to->ss, to->len);
    return r == (ssize_t)n ? 0 : -1;
}

/* Parses in->buf as one message (datagram mode): it must parse. */
static int in_parse(const ua *u, inmsg *in)
{
    sipmsg_error err;
    sipmsg_msg_init(&in->m, in->hdrs, MAX_HDRS);
    capture(u->name, "in", in->buf, in->len);
    if (count_event() != 0)
        return -1;
    if (sipmsg_parse(&in->m, in->buf, in->len, NULL, &err) != SIPMSG_DONE) {
        unsigned long line, col;
        sipmsg_linecol(in->buf, in->len, err.offset, &line, &col);
        check(0, "%s: received message parses (%lu:%lu: %s)", u->name, line, col, err.msg);
        return -1;
    }
    if (sipmsg_validate(&in->m, &err) != SIPMSG_OK)
        fprintf(stderr, "sipua: %s: warning: received message: %s (header %d)\n",
                u->name, err.msg, err.header);
    say("%s <- %.*s", u->name, (int)in->m.start_line.len, in->m.start_line.ptr);
    return 0;
}

/*
 * Takes the next whole message out of connection `ci`'s buffer. Returns 1
 * with `in` filled, 0 when more bytes are needed, -1 on a framing error.
 * Leading CRLFs are keep-alives: counted, dropped, and a CRLFCRLF ping is
 * answered with a CRLF pong (RFC 5626 section 4.4.1).
 */
static int ua_frame(ua *u, int ci, inmsg *in)
{
    conn *c = &u->conns[ci];
    sipmsg_header h[MAX_HDRS];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_opts o = {SIPMSG_STREAM, 0, 0, 0, 0};
    sipmsg_msg_init(&m, h, MAX_HDRS);
    if (c->len == 0)
        return 0;
    sipmsg_result r = sipmsg_parse(&m, c->buf, c->len, &o, &err);
    if (m.skipped > 0 && r != SIPMSG_INVALID) {
        u->keepalive_bytes += m.skipped;
        say("%s: skipped %zu keep-alive bytes", u->name, m.skipped);
        if (m.skipped >= 4)
            (void)ua_send_bytes(u, "\r\n", 2, NULL, ci);
    }
    if (r == SIPMSG_INVALID) {
        check(0, "%s: stream framing (%s at byte %zu)", u->name, err.msg, err.offset);
        return -1;
    }
    if (r == SIPMSG_INCOMPLETE) {
        memmove(c->buf, c->buf + m.skipped, c->len - m.skipped);
        c->len -= m.skipped;
        if (c->len == sizeof c->buf) {
            check(0, "%s: a message fits in %d bytes", u->name, MAX_MSG);
            return -1;
        }
        return 0;
    }
    size_t used = m.skipped + m.len;
    memcpy(in->buf, m.buf, m.len);
    in->len = m.len;
    in->src = c->peer;
    in->conn = ci;
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
    return in_parse(u, in) == 0 ? 1 : -1;
}

/*
 * Waits for the next message on any socket of `u` until `until` (ms).
 * Returns 1 with `in` filled, 0 on timeout, -1 on error.
 */
static int ua_recv(ua *u, inmsg *in, long long until)
{
    for (;;) {
        for (int i = 0; i < MAX_CONNS; i++) {
            if (u->conns[i].fd < 0)
                continue;
            int r = ua_frame(u, i, in);
            if (r != 0)
                return r;
        }
        long long left = until - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd pf[MAX_CONNS + 1];
        int who[MAX_CONNS + 1];
        nfds_t n = 0;
        int main_fd = u->tcp ? u->listen_fd : u->udp_fd;
        if (main_fd >= 0) {
            pf[n].fd = main_fd;
            pf[n].events = POLLIN;
            who[n++] = -1;
        }
        for (int i = 0; i < MAX_CONNS; i++) {
            if (u->conns[i].fd >= 0) {
                pf[n].fd = u->conns[i].fd;
                pf[n].events = POLLIN;
                who[n++] = i;
            }
        }
        int pr = poll(pf, n, left > 60000 ? 60000 : (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return -1;
        for (nfds_t k = 0; k < n; k++) {
            if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (who[k] < 0 && !u->tcp) {
                in->src.len = sizeof in->src.ss;
                ssize_t r = recvfrom(u->udp_fd, in->buf, sizeof in->buf, 0,
                                     (struct sockaddr *)&in->src.ss, &in->src.len);
                if (r <= 0)
                    continue;
                if (!addr_is_loopback(&in->src))
                    continue; /* never answer anything but loopback */
                in->len = (size_t)r;
                in->conn = -1;
                size_t i = 0;
                while (i < in->len && (in->buf[i] == '\r' || in->buf[i] == '\n'))
                    i++;
                if (i == in->len) { /* a UDP keep-alive */
                    u->keepalive_bytes += i;
                    continue;
                }
                return in_parse(u, in) == 0 ? 1 : -1;
            }
            if (who[k] < 0) {
                addr peer;
                peer.len = sizeof peer.ss;
                int fd = accept(u->listen_fd, (struct sockaddr *)&peer.ss, &peer.len);
                if (fd < 0)
                    continue;
                if (!addr_is_loopback(&peer)) {
                    close(fd);
                    continue;
                }
                say("%s: accepted a connection", u->name);
                if (ua_add_conn(u, fd, &peer) < 0)
                    return -1;
                continue;
            }
            conn *c = &u->conns[who[k]];
            ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                say("%s: connection closed by peer", u->name);
                close(c->fd);
                c->fd = -1;
                c->len = 0;
                continue;
            }
            c->len += (size_t)r;
        }
    }
}

/*
 * Writes `m`, checks that the bytes parse back, captures and sends them.
 * The bytes stay in out[0, *outlen) for retransmissions.
 */
static int ua_send_msg(ua *u, const sipmsg_msg *m, const addr *to, int ci,
                       char *out, size_t cap, size_t *outlen)
{
    size_t n = sipmsg_write(m, out, cap, 0);
    if (n > cap) {
        check(0, "%s: message fits in %zu bytes", u->name, cap);
        return -1;
    }
    sipmsg_header h[MAX_HDRS];
    sipmsg_msg back;
    sipmsg_error err;
    sipmsg_msg_init(&back, h, MAX_HDRS);
    if (sipmsg_parse(&back, out, n, NULL, &err) != SIPMSG_DONE) {
        check(0, "%s: written message parses back (%s at %zu)", u->name, err.msg, err.offset);
        return -1;
    }
    capture(u->name, "out", out, n);
    if (count_event() != 0)
        return -1;
    say("%s -> %.*s", u->name, (int)back.start_line.len, back.start_line.ptr);
    if (outlen)
        *outlen = n;
    if (ua_send_bytes(u, out, n, to, ci) != 0) {
        check(0, "%s: send: %s", u->name, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- client transactions ---------------------------------------------------------- */

typedef struct client_txn {
    ua *u;
    addr dest;
    int conn;
    char bytes[MAX_MSG];
    size_t len;
    char branch[256];
    size_t branch_len;
    uint32_t cseq;
    sipmsg_method method;
    int interval;
    long long next;
} client_txn;

static int txn_send(client_txn *t, ua *u, const sipmsg_msg *req, const addr *dest, int ci)
{
    t->u = u;
    t->dest = *dest;
    t->conn = ci;
    if (req->via.branch.len >= sizeof t->branch || !req->via.branch.ptr)
        return check(0, "%s: request has a usable branch", u->name), -1;
    memcpy(t->branch, req->via.branch.ptr, req->via.branch.len);
    t->branch_len = req->via.branch.len;
    t->cseq = req->cseq;
    t->method = req->cseq_method;
    t->interval = T1_MS;
    t->next = now_ms() + T1_MS;
    return ua_send_msg(u, req, dest, ci, t->bytes, sizeof t->bytes, &t->len);
}

/*
 * Waits for the final response of transaction `t`, retransmitting over
 * UDP. Responses that do not match by top Via branch and CSeq (number and
 * method) are reported and skipped, so are provisional ones. Returns 0
 * with the response in `in`, -1 otherwise.
 */
static int txn_wait(client_txn *t, inmsg *in)
{
    ua *u = t->u;
    for (;;) {
        long long until = u->tcp || t->next > g_deadline ? g_deadline : t->next;
        int r = ua_recv(u, in, until);
        if (r < 0)
            return -1;
        if (r == 0) {
            if (now_ms() >= g_deadline) {
                check(0, "%s: a final response to CSeq %u before the deadline", u->name, t->cseq);
                return -1;
            }
            say("%s: retransmitting after %d ms", u->name, t->interval);
            if (ua_send_bytes(u, t->bytes, t->len, &t->dest, t->conn) != 0)
                return -1;
            t->interval = t->interval * 2 > T2_MS ? T2_MS : t->interval * 2;
            t->next = now_ms() + t->interval;
            continue;
        }
        const sipmsg_msg *m = &in->m;
        if (m->is_request) {
            say("%s: ignoring a request while waiting for a response", u->name);
            continue;
        }
        if (!slice_same(m->via.branch, t->branch, t->branch_len) || m->cseq != t->cseq ||
            m->cseq_method != t->method) {
            say("%s: ignoring a response of another transaction", u->name);
            continue;
        }
        if (m->status_code < 200)
            continue;
        check(1, "%s: %d correlated by branch %.*s and CSeq %u %.*s", u->name,
              m->status_code, (int)t->branch_len, t->branch, m->cseq,
              (int)m->cseq_method_name.len, m->cseq_method_name.ptr);
        return 0;
    }
}

/* ---- the flow through a proxy --------------------------------------------------------- */

typedef struct options {
    const char *mode;
    const char *proxy;
    const char *listen;
    const char *port_file;
    const char *user;
    const char *password;
    const char *realm;
    const char *expect_body;
    int tcp;
    int message_only;
    unsigned count;
    unsigned timeout;
} options;

/* Sets up user agent `u` for the flow: its socket(s), its own address
 * (Via sent-by and Contact) and the connection to the proxy (TCP). */
static int flow_ua(ua *u, const addr *proxy, addr *self, int *ci)
{
    addr any = *proxy;
    if (any.ss.ss_family == AF_INET)
        ((struct sockaddr_in *)&any.ss)->sin_port = 0;
    else
        ((struct sockaddr_in6 *)&any.ss)->sin6_port = 0;
    *ci = -1;
    if (ua_bind(u, &any) != 0)
        return -1;
    *self = u->local;
    if (u->tcp) {
        addr local;
        *ci = ua_connect(u, proxy, &local);
        if (*ci < 0)
            return -1;
        /* RFC 5626 keep-alive ping; Kamailio answers with a CRLF pong */
        if (ua_send_bytes(u, "\r\n\r\n", 4, NULL, *ci) != 0)
            return -1;
    }
    return 0;
}

static int via_count(const sipmsg_msg *m, sipmsg_via *vias, int max)
{
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_error err;
    int n = 0;
    sipmsg_via_iter_init(&it, m);
    int r;
    while ((r = sipmsg_via_next(&it, &v, &err)) == 1) {
        if (n < max)
            vias[n] = v;
        n++;
    }
    return r < 0 ? -1 : n;
}

/* The 200 to a REGISTER names our binding with an expiry: a Contact equal
 * to ours with expires= > 0, or an Expires header > 0 with our Contact. */
static int contact_registered(const sipmsg_msg *m, const char *contact_uri)
{
    sipmsg_uri mine;
    if (sipmsg_uri_parse(&mine, sipmsg_slice_of(contact_uri), NULL) != SIPMSG_OK)
        return 0;
    uint32_t hdr_exp = 0;
    const sipmsg_header *e = sipmsg_find(m, SIPMSG_HDR_EXPIRES);
    if (e && sipmsg_expires_parse(e->value, &hdr_exp) != SIPMSG_OK)
        return 0;
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na;
    sipmsg_error err;
    sipmsg_nameaddr_iter_init(&it, m, SIPMSG_HDR_CONTACT);
    while (sipmsg_nameaddr_next(&it, &na, &err) == 1) {
        if (na.star || !sipmsg_uri_equal(&na.uri, &mine))
            continue;
        uint32_t exp = hdr_exp;
        if (na.expires.ptr && sipmsg_expires_parse(na.expires, &exp) != SIPMSG_OK)
            return 0;
        say("binding %.*s expires in %u s", (int)na.uri_text.len, na.uri_text.ptr, exp);
        return exp > 0;
    }
    return 0;
}

/* host (as written, [v6] or bare) and port of a route.h result into an
 * address; loopback only. */
static int hop_addr(sipmsg_slice host, uint32_t port, addr *to)
{
    if (!host.ptr || addr_set(to, host.ptr, host.len, port) != 0)
        return -1;
    return addr_is_loopback(to) ? 0 : -1;
}

/*
 * Where request `req` goes (RFC 3261 16.12 / 8.1.2 with no Route: the
 * Request-URI), with sipmsg_next_hop_get: the address, and whether the
 * transport is reliable. Without DNS, a missing port is the transport's
 * default.
 */
static int request_dest(const sipmsg_msg *req, addr *to, int *reliable)
{
    sipmsg_next_hop hop;
    sipmsg_error err;
    sipmsg_code c = sipmsg_next_hop_get(req, &hop, &err);
    if (c != SIPMSG_OK) {
        check(0, "next hop of the request (%s)", sipmsg_strerror(c));
        return -1;
    }
    uint32_t port = hop.port ? hop.port : sipmsg_transport_default_port(hop.transport);
    *reliable = sipmsg_transport_reliable(hop.transport);
    if (hop_addr(hop.host, port, to) != 0) {
        check(0, "next hop %.*s is a loopback address", (int)hop.host.len, hop.host.ptr);
        return -1;
    }
    return 0;
}

/*
 * The UAS side of a received request: records the packet source in the
 * top Via (RFC 3261 18.2.1, RFC 3581: sipmsg_via_received), then finds
 * where the response goes (18.2.2: sipmsg_response_target). Returns 1 to
 * answer on the connection the request came on, 0 with *to set, -1 on
 * error.
 */
static int uas_response_dest(inmsg *in, addr *to)
{
    char host[64];
    sipmsg_resp_target t;
    sipmsg_error err;
    addr_host(&in->src, host, sizeof host);
    sipmsg_slice src = sipmsg_slice_of(host);
    if (host[0] == '[') { /* received= takes an IPv6 address without brackets */
        src.ptr++;
        src.len -= 2;
    }
    sipmsg_arena_init(&in->arena, in->text, sizeof in->text);
    sipmsg_edit_init(&in->m, &in->arena);
    sipmsg_code c = sipmsg_via_received(&in->m, src, addr_port(&in->src));
    if (c != SIPMSG_OK) {
        check(0, "record the packet source in the top Via (%s)", sipmsg_strerror(c));
        return -1;
    }
    c = sipmsg_response_target(&in->m, &t, &err);
    if (c != SIPMSG_OK) {
        check(0, "response target (%s)", sipmsg_strerror(c));
        return -1;
    }
    if (t.rule == SIPMSG_RESP_CONNECTION && in->conn >= 0)
        return 1;
    if (hop_addr(t.host, t.port, to) != 0) {
        check(0, "response target %.*s:%u is a loopback address", (int)t.host.len,
              t.host.ptr, t.port);
        return -1;
    }
    return 0;
}

static int run_flow(const options *o)
{
    static ua u1, u2;
    static inmsg in401, in200, inmsg_req, inmsg_resp;
    static outmsg reg1, reg2, msg, ans;
    static client_txn txn;
    static char wire[MAX_MSG];
    addr proxy, self1, self2;
    char phost[64], h1[64], h2[64];
    char ruri[128], aor1[128], aor2[128], via[160], contact_uri[160], contact[200];
    const char *tp = o->tcp ? "TCP" : "UDP";
    int c1, c2 = -1;

    if (addr_parse(&proxy, o->proxy, 1) != 0 || !addr_is_loopback(&proxy)) {
        fprintf(stderr, "sipua: --proxy must be a loopback ADDR:PORT\n");
        return 2;
    }
    addr_host(&proxy, phost, sizeof phost);
    unsigned pport = addr_port(&proxy);
    say("%s over %s with the proxy at %s:%u", o->message_only ? "MESSAGE" : "flow", tp,
        phost, pport);
    static const sipmsg_field ua_hdr[] = {{{"User-Agent", 10}, {"sipmsg-sipua", 12}}};
    const char *tparam = o->tcp ? ";transport=tcp" : "";
    addr hop;
    int reliable;
    sipmsg_code rc;
    sipmsg_via vias[4];
    int nv;
    snprintf(aor2, sizeof aor2, "<sip:user2@%s>", phost);
    ua_init(&u2, "user2", o->tcp);

    /* ---- 1. user2 registers: 401, retry with Authorization, 200 ---- */
    if (!o->message_only) {
        if (flow_ua(&u2, &proxy, &self2, &c2) != 0)
            return 3;
        addr_host(&self2, h2, sizeof h2);
        snprintf(ruri, sizeof ruri, "sip:%s:%u%s", phost, pport, tparam);
        snprintf(via, sizeof via, "SIP/2.0/%s %s:%u%s", tp, h2, addr_port(&self2),
                 o->tcp ? "" : ";rport");
        snprintf(contact_uri, sizeof contact_uri, "sip:user2@%s:%u%s", h2, addr_port(&self2),
                 o->tcp ? ";transport=tcp" : "");
        snprintf(contact, sizeof contact, "<%s>", contact_uri);

        out_init(&reg1);
        sipmsg_register r = {0};
        r.req.request_uri = sipmsg_slice_of(ruri);
        r.req.via = sipmsg_slice_of(via);
        r.req.from = sipmsg_slice_of(aor2);
        r.req.to = sipmsg_slice_of(aor2);
        r.req.cseq = 1;
        r.req.contact = sipmsg_slice_of(contact);
        r.req.extra = ua_hdr;
        r.req.extra_count = 1;
        r.req.rand = rnd;
        r.contact_expires = -1;
        r.expires = 3600;
        rc = sipmsg_build_register(&reg1.m, &r);
        if (!check(rc == SIPMSG_OK, "build REGISTER (%s)", sipmsg_strerror(rc)))
            return 1;
        if (request_dest(&reg1.m, &hop, &reliable) != 0)
            return 1;
        check(addr_equal(&hop, &proxy) && reliable == o->tcp,
              "next hop of REGISTER is the proxy over %s", tp);
        if (txn_send(&txn, &u2, &reg1.m, &hop, c2) != 0 || txn_wait(&txn, &in401) != 0)
            return 1;
        if (!check(in401.m.status_code == 401, "first REGISTER answered 401 (got %d)",
                   in401.m.status_code))
            return 1;

        sipmsg_digest_choice ch;
        sipmsg_error err;
        rc = sipmsg_digest_choose(&in401.m, &ch, &err);
        if (!check(rc == SIPMSG_OK, "401 carries a usable Digest challenge (%s)",
                   sipmsg_strerror(rc)))
            return 1;
        check(ch.challenge.nonce.len > 0, "401 carries a nonce (%.*s)",
              (int)ch.challenge.nonce.len, ch.challenge.nonce.ptr);
        check((ch.challenge.qop_mask & SIPMSG_QOP_AUTH) != 0, "401 offers qop=auth");

        char authz[1024];
        sipmsg_digest_input di = {0};
        di.challenge = &ch.challenge;
        di.username = sipmsg_slice_of("user2");
        di.password = sipmsg_slice_of(o->password);
        di.method = sipmsg_slice_of("REGISTER");
        di.uri = sipmsg_slice_of(ruri);
        di.rand = rnd;
        size_t an = sipmsg_digest_authorize(&di, authz, sizeof authz, &err);
        if (!check(an > 0 && an < sizeof authz, "Authorization computed (%s)",
                   an ? "ok" : err.msg))
            return 1;

        out_init(&reg2);
        sipmsg_retry rt = {0};
        rt.choice = &ch; /* names the header: Authorization for a 401 */
        rt.auth_value = (sipmsg_slice){authz, an};
        rt.rand = rnd;
        rc = sipmsg_build_retry(&reg2.m, &reg1.m, &rt);
        if (!check(rc == SIPMSG_OK, "build the retried REGISTER (%s)", sipmsg_strerror(rc)))
            return 1;
        check(reg2.m.cseq == 2, "retried REGISTER has CSeq 2 (%u)", reg2.m.cseq);
        check(!slice_same(reg2.m.via.branch, reg1.m.via.branch.ptr, reg1.m.via.branch.len),
              "retried REGISTER has a new branch");
        if (request_dest(&reg2.m, &hop, &reliable) != 0)
            return 1;
        if (txn_send(&txn, &u2, &reg2.m, &hop, c2) != 0 || txn_wait(&txn, &in200) != 0)
            return 1;
        if (!check(in200.m.status_code == 200, "final REGISTER response is 200 (got %d)",
                   in200.m.status_code))
            return 1;
        check(contact_registered(&in200.m, contact_uri),
              "200 to REGISTER has our Contact with an expiry");
    }

    /* ---- 2. user1 sends a MESSAGE to user2 through the proxy ---- */
    ua_init(&u1, "user1", o->tcp);
    if (o->tcp) {
        /* user1 has no listener: its Via names the connection's address */
        c1 = ua_connect(&u1, &proxy, &self1);
        if (c1 < 0 || ua_send_bytes(&u1, "\r\n\r\n", 4, NULL, c1) != 0)
            return 3;
    } else if (flow_ua(&u1, &proxy, &self1, &c1) != 0) {
        return 3;
    }
    addr_host(&self1, h1, sizeof h1);
    char ruri_msg[128];
    snprintf(ruri_msg, sizeof ruri_msg, "sip:user2@%s:%u%s", phost, pport, tparam);
    snprintf(aor1, sizeof aor1, "<sip:user1@%s>", phost);
    snprintf(via, sizeof via, "SIP/2.0/%s %s:%u%s", tp, h1, addr_port(&self1),
             o->tcp ? "" : ";rport");
    out_init(&msg);
    sipmsg_request mr = {0};
    mr.request_uri = sipmsg_slice_of(ruri_msg);
    mr.via = sipmsg_slice_of(via);
    mr.from = sipmsg_slice_of(aor1);
    mr.to = sipmsg_slice_of(aor2);
    mr.cseq = 1;
    mr.extra = ua_hdr;
    mr.extra_count = 1;
    mr.content_type = sipmsg_slice_of("text/plain");
    mr.body = (sipmsg_slice){BODY, sizeof BODY - 1};
    mr.rand = rnd;
    unsigned report = 0;
    rc = sipmsg_build_message(&msg.m, &mr, &report);
    if (!check(rc == SIPMSG_OK, "build MESSAGE (%s)", sipmsg_strerror(rc)))
        return 1;
    check(msg.m.max_forwards == 70, "MESSAGE leaves with Max-Forwards 70");
    if (request_dest(&msg.m, &hop, &reliable) != 0)
        return 1;
    check(addr_equal(&hop, &proxy) && reliable == o->tcp,
          "next hop of MESSAGE is the proxy over %s", tp);
    if (txn_send(&txn, &u1, &msg.m, &hop, c1) != 0)
        return 1;

    /* ---- 3. user2 receives the forwarded MESSAGE and answers 200 ---- */
    if (!o->message_only) {
        for (;;) {
            int got = ua_recv(&u2, &inmsg_req, g_deadline);
            if (got <= 0) {
                check(0, "user2 receives the MESSAGE before the deadline");
                return got < 0 ? 1 : 3;
            }
            if (inmsg_req.m.is_request && inmsg_req.m.method == SIPMSG_METHOD_MESSAGE)
                break;
            say("user2: ignoring %.*s", (int)inmsg_req.m.start_line.len,
                inmsg_req.m.start_line.ptr);
        }
        const sipmsg_msg *fw = &inmsg_req.m;
        nv = via_count(fw, vias, 4);
        check(nv == 2, "forwarded MESSAGE has 2 Vias (%d)", nv);
        if (nv >= 2) {
            check(slice_same(vias[1].branch, txn.branch, txn.branch_len),
                  "second Via is user1's (branch %.*s)", (int)txn.branch_len, txn.branch);
            check(!slice_same(vias[0].branch, txn.branch, txn.branch_len) &&
                      sipmsg_branch_is_rfc3261(vias[0].branch),
                  "top Via is the proxy's, with its own branch (%.*s)",
                  (int)vias[0].branch.len, vias[0].branch.ptr);
            addr vaddr;
            check(addr_set(&vaddr, vias[0].host.ptr, vias[0].host.len,
                           vias[0].port ? vias[0].port : 5060) == 0 &&
                      addr_equal(&vaddr, &proxy),
                  "top Via names the proxy (%.*s:%u)", (int)vias[0].host.len,
                  vias[0].host.ptr, vias[0].port);
            check(sipmsg_slice_eq(vias[0].transport, tp), "top Via transport is %s", tp);
        }
        check(fw->max_forwards == 69, "Max-Forwards went from 70 to 69 (%d)", fw->max_forwards);
        check(slice_same(fw->body, BODY, sizeof BODY - 1), "MESSAGE body arrived byte for byte");
        check(sipmsg_slice_eq(fw->content_type, "text/plain"), "Content-Type text/plain kept");
        check(slice_same(fw->call_id, msg.m.call_id.ptr, msg.m.call_id.len) &&
                  slice_same(fw->from_tag, msg.m.from_tag.ptr, msg.m.from_tag.len) &&
                  fw->cseq == msg.m.cseq,
              "Call-ID, From tag and CSeq kept");

        addr back;
        int on_conn = uas_response_dest(&inmsg_req, &back);
        if (on_conn < 0)
            return 1;
        if (o->tcp)
            check(on_conn == 1, "200 to MESSAGE goes back on the proxy's connection");
        else
            check(on_conn == 0 && addr_equal(&back, &inmsg_req.src),
                  "200 to MESSAGE goes to the top Via, where the MESSAGE came from");
        out_init(&ans);
        sipmsg_response rs = {0};
        rs.status_code = 200;
        rs.rand = rnd;
        rc = sipmsg_build_response(&ans.m, fw, &rs);
        if (!check(rc == SIPMSG_OK, "build 200 to MESSAGE (%s)", sipmsg_strerror(rc)))
            return 1;
        if (ua_send_msg(&u2, &ans.m, on_conn ? NULL : &back, inmsg_req.conn, wire, sizeof wire,
                        NULL) != 0)
            return 1;
    }

    /* ---- 4. user1 gets the 200 with the proxy's Via popped ---- */
    if (txn_wait(&txn, &inmsg_resp) != 0)
        return 1;
    const sipmsg_msg *ok = &inmsg_resp.m;
    check(ok->status_code == 200, "MESSAGE answered 200 (got %d)", ok->status_code);
    nv = via_count(ok, vias, 4);
    check(nv == 1 && slice_same(vias[0].branch, txn.branch, txn.branch_len),
          "200 to MESSAGE has the proxy's Via popped (%d Via left)", nv);
    check(ok->to_tag.len > 0, "200 to MESSAGE has a To tag");
    if (o->tcp && !o->message_only) {
        check(u2.keepalive_bytes > 0 && u1.keepalive_bytes > 0,
              "CRLF keep-alive pongs skipped by the stream framing (user2 %lu, user1 %lu bytes)",
              u2.keepalive_bytes, u1.keepalive_bytes);
    }
    ua_close(&u1);
    ua_close(&u2);
    return g_failed ? 1 : 0;
}

/* ---- serve: a registrar and MESSAGE endpoint for sipp --------------------------------- */

#define NONCES 8
#define CACHED 8

typedef struct served {      /* a transaction already answered */
    char branch[256];
    size_t branch_len;
    sipmsg_method method;
    char bytes[4096];
    size_t len;
} served;

static size_t unescape_arg(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n < cap; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            out[n++] = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
        } else {
            out[n++] = *s;
        }
    }
    return n;
}

/* Inserts `name: value` above Content-Length (or at the end). */
static sipmsg_code add_header(sipmsg_msg *m, const char *name, const char *value)
{
    const sipmsg_header *cl = sipmsg_find(m, SIPMSG_HDR_CONTENT_LENGTH);
    size_t at = cl ? sipmsg_hdr_index(m, cl) : SIPMSG_AT_END;
    return sipmsg_hdr_insert(m, at, sipmsg_slice_of(name), sipmsg_slice_of(value), 0);
}

static int run_serve(const options *o)
{
    static ua u;
    static inmsg in;
    static outmsg ans;
    static served cache[CACHED];
    static char nonces[NONCES][33];
    static char wire[MAX_MSG];
    unsigned ncache = 0, nnonce = 0, answered = 0;
    char expect[1024];
    size_t expect_len = o->expect_body ? unescape_arg(o->expect_body, expect, sizeof expect) : 0;
    addr at;

    if (addr_parse(&at, o->listen, 0) != 0 || !addr_is_loopback(&at)) {
        fprintf(stderr, "sipua: --listen must be a loopback ADDR[:PORT]\n");
        return 2;
    }
    ua_init(&u, "uas", o->tcp);
    if (ua_bind(&u, &at) != 0)
        return 3;
    char host[64];
    addr_host(&u.local, host, sizeof host);
    say("serving over %s on %s:%u", o->tcp ? "TCP" : "UDP", host, addr_port(&u.local));
    if (o->port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", o->port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", addr_port(&u.local)) < 0 || fclose(f) != 0 ||
            rename(tmp, o->port_file) != 0) {
            say("cannot write %s", o->port_file);
            return 3;
        }
    }
    const char *realm = o->realm ? o->realm : "sipmsg.test";

    while (answered < o->count) {
        int got = ua_recv(&u, &in, g_deadline);
        if (got < 0)
            return 1;
        if (got == 0) {
            check(0, "uas: %u requests answered before the deadline (%u)", o->count, answered);
            return 3;
        }
        const sipmsg_msg *req = &in.m;
        if (!req->is_request || req->method == SIPMSG_METHOD_ACK)
            continue;
        /* a retransmission of a request already answered: the same answer */
        int resent = 0;
        for (unsigned i = 0; i < ncache && i < CACHED; i++) {
            served *s = &cache[i];
            if (s->method == req->method &&
                slice_same(req->via.branch, s->branch, s->branch_len)) {
                say("uas: retransmission, answering again");
                addr to = in.src;
                if (uas_response_dest(&in, &to) >= 0)
                    (void)ua_send_bytes(&u, s->bytes, s->len, &to, in.conn);
                resent = 1;
                break;
            }
        }
        if (resent)
            continue;

        int status = 200;
        const char *reason = NULL;
        out_init(&ans);
        char challenge[256] = "";
        if (req->method == SIPMSG_METHOD_REGISTER) {
            const sipmsg_header *a = sipmsg_find(&in.m, SIPMSG_HDR_AUTHORIZATION);
            if (!a) {
                unsigned char raw[16];
                char *nonce = nonces[nnonce++ % NONCES];
                if (rnd(NULL, raw, sizeof raw) != 0)
                    return 3;
                for (int i = 0; i < 16; i++)
                    snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
                snprintf(challenge, sizeof challenge,
                         "Digest realm=\"%s\", nonce=\"%s\", qop=\"auth\", algorithm=MD5",
                         realm, nonce);
                status = 401;
            } else {
                sipmsg_credentials cr;
                sipmsg_error err;
                sipmsg_code c = sipmsg_credentials_parse(a->value, &cr, &err);
                int known = 0;
                for (unsigned i = 0; c == SIPMSG_OK && i < NONCES; i++)
                    known |= nonces[i][0] && slice_same(cr.nonce, nonces[i], strlen(nonces[i]));
                check(c == SIPMSG_OK, "uas: Authorization parses (%s)", sipmsg_strerror(c));
                if (c == SIPMSG_OK) {
                    check(slice_same(cr.username, o->user, strlen(o->user)),
                          "uas: username is %s", o->user);
                    check(slice_same(cr.realm, realm, strlen(realm)), "uas: realm is ours");
                    check(known, "uas: nonce is one we issued");
                    check(slice_same(cr.uri, req->request_uri.ptr, req->request_uri.len),
                          "uas: digest uri is the Request-URI");
                    check(cr.qop_kind == SIPMSG_QOP_AUTH, "uas: qop=auth used");
                }
                sipmsg_digest_check dc = {0};
                dc.credentials = &cr;
                dc.password = sipmsg_slice_of(o->password);
                dc.method = req->method_name;
                dc.body = req->body;
                if (c == SIPMSG_OK)
                    c = sipmsg_digest_verify(&dc, &err);
                if (!check(c == SIPMSG_OK && known, "uas: Digest response verified (%s)",
                           sipmsg_strerror(c)))
                    status = 403;
            }
            check(req->cseq == (a ? 2u : 1u), "uas: REGISTER %s credentials has CSeq %u",
                  a ? "with" : "without", req->cseq);
        } else if (req->method == SIPMSG_METHOD_MESSAGE) {
            check(sipmsg_slice_eq(req->content_type, "text/plain"),
                  "uas: MESSAGE is text/plain");
            if (o->expect_body)
                check(slice_same(req->body, expect, expect_len),
                      "uas: MESSAGE body is byte for byte the expected one (%zu bytes)",
                      req->body.len);
            check(req->max_forwards > 0, "uas: MESSAGE has Max-Forwards (%d)",
                  req->max_forwards);
        } else if (req->method != SIPMSG_METHOD_OPTIONS) {
            status = 501;
        }

        addr to = in.src;
        if (uas_response_dest(&in, &to) < 0)
            return 1;
        sipmsg_response rs = {0};
        rs.status_code = status;
        rs.reason = sipmsg_slice_of(reason);
        rs.rand = rnd;
        sipmsg_code rc = sipmsg_build_response(&ans.m, req, &rs);
        if (rc == SIPMSG_OK && status == 401)
            rc = add_header(&ans.m, "WWW-Authenticate", challenge);
        if (rc == SIPMSG_OK && status == 200 && req->method == SIPMSG_METHOD_REGISTER) {
            const sipmsg_header *c = sipmsg_find(&in.m, SIPMSG_HDR_CONTACT);
            char value[512];
            if (c) {
                snprintf(value, sizeof value, "%.*s;expires=3600", (int)c->value.len,
                         c->value.ptr);
                rc = add_header(&ans.m, "Contact", value);
            }
            if (rc == SIPMSG_OK)
                rc = add_header(&ans.m, "Expires", "3600");
        }
        if (!check(rc == SIPMSG_OK, "uas: build %d (%s)", status, sipmsg_strerror(rc)))
            return 1;
        size_t n;
        if (ua_send_msg(&u, &ans.m, &to, in.conn, wire, sizeof wire, &n) != 0)
            return 1;
        served *s = &cache[ncache++ % CACHED];
        s->method = req->method;
        s->branch_len = req->via.branch.len < sizeof s->branch ? req->via.branch.len : 0;
        if (s->branch_len)
            memcpy(s->branch, req->via.branch.ptr, s->branch_len);
        s->len = n <= sizeof s->bytes ? n : 0;
        memcpy(s->bytes, wire, s->len);
        answered++;
    }
    /* linger briefly for retransmissions of the last answer (UDP) */
    long long linger = now_ms() + (u.tcp ? 0 : 300);
    while (now_ms() < linger && ua_recv(&u, &in, linger) > 0) {
        const sipmsg_msg *req = &in.m;
        if (!req->is_request)
            continue;
        for (unsigned i = 0; i < ncache && i < CACHED; i++)
            if (cache[i].method == req->method &&
                slice_same(req->via.branch, cache[i].branch, cache[i].branch_len)) {
                addr to;
                if (uas_response_dest(&in, &to) == 0)
                    (void)ua_send_bytes(&u, cache[i].bytes, cache[i].len, &to, -1);
            }
    }
    ua_close(&u);
    return g_failed ? 1 : 0;
}

/* ---- main ----------------------------------------------------------------------------------- */

static int usage(void)
{
    fputs("usage: sipua flow --proxy ADDR:PORT [--transport udp|tcp] [--password PW]\n"
          "                  [--capture DIR] [--timeout SEC]\n"
          "       sipua message --proxy ADDR:PORT [--transport udp|tcp] [--capture DIR]\n"
          "                  [--timeout SEC]\n"
          "       sipua serve --listen ADDR[:PORT] [--transport udp|tcp] [--count N]\n"
          "                  [--port-file FILE] [--user NAME] [--password PW] [--realm R]\n"
          "                  [--expect-body TEXT] [--capture DIR] [--timeout SEC]\n"
          "Loopback addresses only (127.0.0.0/8, ::1).\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    options o = {0};
    o.user = "user1";
    o.password = "interop-secret";
    o.count = 1;
    o.timeout = 10;
    if (argc < 2)
        return usage();
    o.mode = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        i++;
        if (strcmp(a, "--proxy") == 0)
            o.proxy = v;
        else if (strcmp(a, "--listen") == 0)
            o.listen = v;
        else if (strcmp(a, "--port-file") == 0)
            o.port_file = v;
        else if (strcmp(a, "--user") == 0)
            o.user = v;
        else if (strcmp(a, "--password") == 0)
            o.password = v;
        else if (strcmp(a, "--realm") == 0)
            o.realm = v;
        else if (strcmp(a, "--expect-body") == 0)
            o.expect_body = v;
        else if (strcmp(a, "--capture") == 0)
            g_capture = v;
        else if (strcmp(a, "--transport") == 0 && (strcmp(v, "udp") == 0 || strcmp(v, "tcp") == 0))
            o.tcp = strcmp(v, "tcp") == 0;
        else if (strcmp(a, "--count") == 0 || strcmp(a, "--timeout") == 0) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || n == 0 || n > (a[2] == 'c' ? MAX_EVENTS : 300))
                return usage();
            if (a[2] == 'c')
                o.count = (unsigned)n;
            else
                o.timeout = (unsigned)n;
        } else
            return usage();
    }
    g_deadline = now_ms() + (long long)o.timeout * 1000;
    int rc;
    o.message_only = strcmp(o.mode, "message") == 0;
    if ((strcmp(o.mode, "flow") == 0 || o.message_only) && o.proxy)
        rc = run_flow(&o);
    else if (strcmp(o.mode, "serve") == 0 && o.listen)
        rc = run_serve(&o);
    else
        return usage();
    say("%u checks passed, %u failed", g_passed, g_failed);
    return rc ? rc : g_failed ? 1 : 0;
}
