/*
 * decode.c - one packet at a time: the link layer, IPv4/IPv6, UDP and TCP
 * headers, and the choice of the payloads that are SIP (by content).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Every field is read byte by byte in network order, after a check that
 * the bytes were captured: a packet is only ever read inside [0, caplen).
 */
#define _POSIX_C_SOURCE 200809L
#include "capture_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- records --------------------------------------------------------------- */

int cap_emit(struct cap_decoder *d, const struct cap_pkt *p, cap_kind kind,
             cap_transport t, const char *data, size_t len, const char *error)
{
    struct cap_record r;
    r.kind = kind;
    r.data = data;
    r.len = len;
    r.error = error;
    r.frame = p->frame;
    r.sec = p->sec;
    r.usec = p->usec;
    r.src = p->src;
    r.dst = p->dst;
    r.transport = t;
    return d->fn(d->ctx, &r);
}

int cap_emitf(struct cap_decoder *d, const struct cap_pkt *p, cap_transport t,
              const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cap_emit(d, p, CAP_ERROR, t, NULL, 0, msg);
}

/* ---- what is SIP ------------------------------------------------------------ */

enum { START_LINE_MAX = 8192 }; /* a longer first line is not looked at */

/* "SIP/" 1*DIGIT "." 1*DIGIT at p[0, n): its length, or 0. */
static size_t version(const char *p, size_t n)
{
    size_t i = 4, d;
    if (n < 7 || memcmp(p, "SIP/", 4) != 0)
        return 0;
    for (d = i; i < n && p[i] >= '0' && p[i] <= '9'; i++)
        ;
    if (i == d || i >= n || p[i] != '.')
        return 0;
    for (d = ++i; i < n && p[i] >= '0' && p[i] <= '9'; i++)
        ;
    return i == d ? 0 : i;
}

static int token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c && strchr("-.!%*_+`'~", c));
}

int cap_start_line(const char *p, size_t n)
{
    size_t lim = n < START_LINE_MAX ? n : START_LINE_MAX;
    const char *lf = memchr(p, '\n', lim);
    if (!lf) {
        /* Incomplete: could it still become one? Judge what is there. */
        if (lim == START_LINE_MAX)
            return 0;
        if (n >= 4 && memcmp(p, "SIP/", 4) == 0)
            return -1;
        size_t i = 0;
        while (i < n && token_char((unsigned char)p[i]))
            i++;
        return (i == n && n <= 32) || (i > 0 && i < n && p[i] == ' ') ? -1 : 0;
    }
    size_t len = (size_t)(lf - p);
    if (len > 0 && p[len - 1] == '\r')
        len--;
    size_t v = version(p, len);
    if (v) { /* Status-Line: SIP-Version SP 3DIGIT (SP reason / end) */
        return len >= v + 4 && p[v] == ' ' && p[v + 1] >= '1' && p[v + 1] <= '6' &&
               p[v + 2] >= '0' && p[v + 2] <= '9' && p[v + 3] >= '0' &&
               p[v + 3] <= '9' && (len == v + 4 || p[v + 4] == ' ');
    }
    /* Request-Line: Method SP Request-URI SP SIP-Version */
    size_t i = 0;
    while (i < len && token_char((unsigned char)p[i]))
        i++;
    if (i == 0 || i > 32 || i >= len || p[i] != ' ')
        return 0;
    const char *sp = NULL;
    for (size_t j = len; j > i + 1; j--)
        if (p[j - 1] == ' ') {
            sp = p + j - 1;
            break;
        }
    if (!sp || sp == p + i)
        return 0;
    size_t vlen = (size_t)(p + len - (sp + 1));
    return version(sp + 1, vlen) == vlen;
}

int cap_looks_sip(const char *p, size_t n)
{
    return cap_start_line(p, n) == 1;
}

void cap_endpoint_str(const struct cap_endpoint *e, char *out, size_t size)
{
    char ip[INET6_ADDRSTRLEN];
    if (e->family == 6) {
        inet_ntop(AF_INET6, e->addr, ip, sizeof ip);
        snprintf(out, size, "[%s]:%u", ip, (unsigned)e->port);
    } else if (e->family == 4) {
        snprintf(out, size, "%u.%u.%u.%u:%u", e->addr[0], e->addr[1], e->addr[2],
                 e->addr[3], (unsigned)e->port);
    } else {
        snprintf(out, size, "?");
    }
}

int cap_link_supported(int linktype)
{
    switch (linktype) {
    case CAP_LINK_NULL: case CAP_LINK_ETHERNET: case CAP_LINK_RAW:
    case CAP_LINK_RAW_OPENBSD: case CAP_LINK_RAW_LT: case CAP_LINK_LOOP:
    case CAP_LINK_SLL: case CAP_LINK_IPV4: case CAP_LINK_IPV6:
    case CAP_LINK_SLL2:
        return 1;
    default:
        return 0;
    }
}

/* ---- decoder ---------------------------------------------------------------- */

struct cap_decoder *cap_new(const struct cap_limits *lim, cap_fn fn, void *ctx)
{
    struct cap_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (lim)
        d->lim = *lim;
    if (!d->lim.max_flows)
        d->lim.max_flows = CAP_DEFAULT_MAX_FLOWS;
    if (!d->lim.flow_buffer)
        d->lim.flow_buffer = CAP_DEFAULT_FLOW_BUFFER;
    if (!d->lim.total_buffer)
        d->lim.total_buffer = CAP_DEFAULT_TOTAL_BUFFER;
    if (!d->lim.max_fragsets)
        d->lim.max_fragsets = CAP_DEFAULT_MAX_FRAGSETS;
    if (!d->lim.timeout)
        d->lim.timeout = CAP_DEFAULT_TIMEOUT;
    d->fn = fn;
    d->ctx = ctx;
    if (reasm_init(d) != 0) {
        cap_free(d);
        return NULL;
    }
    return d;
}

void cap_free(struct cap_decoder *d)
{
    if (!d)
        return;
    reasm_free(d);
    free(d);
}

size_t cap_held(const struct cap_decoder *d)
{
    return d->held;
}

int cap_finish(struct cap_decoder *d)
{
    return reasm_finish(d);
}

/* Only packets from or to --port. */
static int port_ok(const struct cap_decoder *d, const struct cap_pkt *p)
{
    return !d->lim.port || p->src.port == d->lim.port || p->dst.port == d->lim.port;
}

/* A UDP datagram: have bytes of it captured (the whole IP payload). */
static int udp(struct cap_decoder *d, struct cap_pkt *p, const unsigned char *b,
               size_t have, int cut)
{
    if (have < 8)
        return 0; /* a header cut by the snaplen: nothing to read */
    p->src.port = (uint16_t)get16(b);
    p->dst.port = (uint16_t)get16(b + 2);
    if (!port_ok(d, p))
        return 0;
    size_t ulen = get16(b + 4);
    const char *pay = (const char *)b + 8;
    if (ulen < 8 || (ulen > have && !cut)) {
        /* The length is wrong; say so when the payload is SIP. */
        if (cap_start_line(pay, have - 8) != 0)
            return cap_emitf(d, p, CAP_UDP, "bad UDP length %zu (the IP packet holds %zu bytes)",
                             ulen, have);
        return 0;
    }
    if (ulen > have) { /* cut by the snaplen */
        if (cap_start_line(pay, have - 8) != 0)
            return cap_emitf(d, p, CAP_UDP,
                             "UDP datagram cut by the capture's snaplen: %zu of %zu bytes captured",
                             have - 8, ulen - 8);
        return 0;
    }
    size_t n = ulen - 8;
    if (n == 0 || !cap_looks_sip(pay, n))
        return 0; /* empty, a keep-alive, or not SIP */
    return cap_emit(d, p, CAP_MESSAGE, CAP_UDP, pay, n, NULL);
}

static int tcp(struct cap_decoder *d, struct cap_pkt *p, const unsigned char *b,
               size_t have, size_t wire)
{
    if (have < 20)
        return 0;
    p->src.port = (uint16_t)get16(b);
    p->dst.port = (uint16_t)get16(b + 2);
    if (!port_ok(d, p))
        return 0;
    uint32_t seq = get32(b + 4);
    size_t off = (size_t)(b[12] >> 4) * 4;
    unsigned fl = b[13];
    unsigned flags = (fl & 0x01 ? TCP_FIN : 0) | (fl & 0x02 ? TCP_SYN : 0) |
                     (fl & 0x04 ? TCP_RST : 0);
    if (off < 20 || off > have || off > wire)
        return 0; /* a bad or cut header: not a segment one can follow */
    return reasm_tcp(d, p, seq, flags, b + off, have - off, wire - off);
}

/* The L4 payload of an IP datagram: have bytes captured of wire. */
static int l4(struct cap_decoder *d, struct cap_pkt *p, unsigned proto,
              const unsigned char *b, size_t have, size_t wire)
{
    if (proto == 17)
        return udp(d, p, b, have, have < wire);
    if (proto == 6)
        return tcp(d, p, b, have, wire);
    return 0;
}

static int fragment(struct cap_decoder *d, struct cap_pkt *p, unsigned proto,
                    uint32_t id, size_t offset, int more, const unsigned char *b,
                    size_t have, size_t wire)
{
    if (have < wire) /* a fragment cut by the snaplen cannot be joined */
        return cap_emitf(d, p, CAP_UDP,
                         "IP fragment cut by the capture's snaplen: %zu of %zu bytes captured",
                         have, wire);
    const unsigned char *whole;
    size_t n;
    int stop = 0;
    int r = reasm_fragment(d, p, proto, id, offset, more, b, have, &whole, &n, &stop);
    if (stop)
        return stop;
    return r == 1 ? l4(d, p, proto, whole, n, n) : 0;
}

static int ipv4(struct cap_decoder *d, struct cap_pkt *p, const unsigned char *b,
                size_t have)
{
    if (have < 20)
        return 0;
    size_t ihl = (size_t)(b[0] & 0x0f) * 4;
    size_t total = get16(b + 2);
    if (ihl < 20 || ihl > have || total < ihl)
        return 0; /* not a header one can read: skipped */
    p->src.family = p->dst.family = 4;
    memcpy(p->src.addr, b + 12, 4);
    memcpy(p->dst.addr, b + 16, 4);
    unsigned proto = b[9];
    unsigned frag = get16(b + 6);
    size_t avail = have < total ? have : total; /* Ethernet pads short frames */
    const unsigned char *pay = b + ihl;
    if (frag & 0x3fff) { /* MF or an offset */
        if (proto != 17 && proto != 6)
            return 0;
        return fragment(d, p, proto, get16(b + 4), (size_t)(frag & 0x1fff) * 8,
                        (frag & 0x2000) != 0, pay, avail - ihl, total - ihl);
    }
    return l4(d, p, proto, pay, avail - ihl, total - ihl);
}

static int ipv6(struct cap_decoder *d, struct cap_pkt *p, const unsigned char *b,
                size_t have)
{
    if (have < 40)
        return 0;
    size_t plen = get16(b + 4);
    p->src.family = p->dst.family = 6;
    memcpy(p->src.addr, b + 8, 16);
    memcpy(p->dst.addr, b + 24, 16);
    unsigned next = b[6];
    size_t avail = have - 40 < plen ? have - 40 : plen;
    const unsigned char *q = b + 40;
    size_t wire = plen;
    /* Extension headers: hop-by-hop, routing, destination options, fragment. */
    for (int hops = 0; hops < 8; hops++) {
        if (next == 0 || next == 43 || next == 60) {
            if (avail < 8)
                return 0;
            size_t len = ((size_t)q[1] + 1) * 8;
            if (len > avail)
                return 0;
            next = q[0];
            q += len, avail -= len, wire -= len;
        } else if (next == 44) {
            if (avail < 8)
                return 0;
            unsigned proto = q[0];
            unsigned off = get16(q + 2);
            uint32_t id = get32(q + 4);
            if (proto != 17 && proto != 6)
                return 0;
            return fragment(d, p, proto, id, (size_t)(off >> 3) * 8, (off & 1) != 0,
                            q + 8, avail - 8, wire - 8);
        } else {
            return l4(d, p, next, q, avail, wire);
        }
    }
    return 0;
}

/* IP at b[0, have): by its version nibble. */
static int ip(struct cap_decoder *d, struct cap_pkt *p, const unsigned char *b,
              size_t have)
{
    if (have < 1)
        return 0;
    if (b[0] >> 4 == 4)
        return ipv4(d, p, b, have);
    if (b[0] >> 4 == 6)
        return ipv6(d, p, b, have);
    return 0;
}

/* An EtherType payload. */
static int ethertype(struct cap_decoder *d, struct cap_pkt *p, unsigned type,
                     const unsigned char *b, size_t have)
{
    if (type == 0x0800)
        return ipv4(d, p, b, have);
    if (type == 0x86dd)
        return ipv6(d, p, b, have);
    return 0;
}

int cap_packet(struct cap_decoder *d, int linktype, const unsigned char *pkt,
               size_t caplen, size_t wirelen, unsigned long long frame,
               long long sec, unsigned usec)
{
    struct cap_pkt p;
    memset(&p, 0, sizeof p);
    p.frame = frame;
    p.sec = sec;
    p.usec = usec;
    (void)wirelen; /* the IP and UDP lengths tell what was cut */
    if (!d->have_swept || sec > d->swept || sec < d->swept - 1) {
        int r = reasm_sweep(d, sec);
        if (r)
            return r;
    }
    const unsigned char *b = pkt;
    size_t n = caplen;
    switch (linktype) {
    case CAP_LINK_ETHERNET: {
        if (n < 14)
            return 0;
        unsigned type = get16(b + 12);
        b += 14, n -= 14;
        /* 802.1Q, 802.1ad (QinQ) and the old 0x9100 tags, stacked. */
        for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags < 8;
             tags++) {
            if (n < 4)
                return 0;
            type = get16(b + 2);
            b += 4, n -= 4;
        }
        return ethertype(d, &p, type, b, n);
    }
    case CAP_LINK_SLL:
        if (n < 16)
            return 0;
        return ethertype(d, &p, get16(b + 14), b + 16, n - 16);
    case CAP_LINK_SLL2:
        if (n < 20)
            return 0;
        return ethertype(d, &p, get16(b), b + 20, n - 20);
    case CAP_LINK_RAW: case CAP_LINK_RAW_OPENBSD: case CAP_LINK_RAW_LT:
        return ip(d, &p, b, n);
    case CAP_LINK_IPV4:
        return ipv4(d, &p, b, n);
    case CAP_LINK_IPV6:
        return ipv6(d, &p, b, n);
    case CAP_LINK_NULL: case CAP_LINK_LOOP: {
        if (n < 4)
            return 0;
        /* The address family, in either byte order: AF_INET is 2, AF_INET6
         * is 10 (Linux), 24, 28 or 30 (the BSDs, macOS). */
        uint32_t fam = get32(b);
        if (fam > 0xffff)
            fam = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
        if (fam == 2)
            return ipv4(d, &p, b + 4, n - 4);
        if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
            return ipv6(d, &p, b + 4, n - 4);
        return 0;
    }
    default:
        return 0;
    }
}
