/*
 * host.c - hosts (RFC 3261 25.1, RFC 5118): IPv4 and IPv6 addresses,
 * hostnames (a label walk), host [":" port] and sent-by.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "uri_internal.h"

#include "error.h"

/* IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT (each <= 255)
 * at the start of [p, e): returns its end, or NULL. */
static inline int ipv4_digit(const char *p, const char *e)
{
    return p < e && (unsigned)((unsigned char)*p - '0') <= 9u;
}

static const char *ipv4_prefix(const char *p, const char *e)
{
    for (int part = 0; part < 4; part++) {
        /* 1-3 digits, unrolled: a fourth digit is left for the caller */
        if (!ipv4_digit(p, e))
            return NULL;
        unsigned v = (unsigned)(*p++ - '0');
        if (ipv4_digit(p, e)) {
            v = v * 10 + (unsigned)(*p++ - '0');
            if (ipv4_digit(p, e)) {
                v = v * 10 + (unsigned)(*p++ - '0');
                if (v > 255)
                    return NULL;
            }
        }
        if (part < 3) {
            if (p == e || *p != '.')
                return NULL;
            p++;
        }
    }
    return p;
}

int sipmsg_ipv4_check_(const char *p, const char *e)
{
    return ipv4_prefix(p, e) == e;
}

/* IPv6address = hexpart [ ":" IPv4address ]
 * hexpart = hexseq / hexseq "::" [ hexseq ] / "::" [ hexseq ]
 * hexseq = hex4 *( ":" hex4 ); hex4 = 1*4HEXDIG */
int sipmsg_ipv6_check_(const char *p, const char *e)
{
    int groups = 0, gap = 0;
    if (e - p >= 2 && p[0] == ':' && p[1] == ':') {
        gap = 1;
        p += 2;
    }
    while (p < e) {
        const char *h = p;
        while (p < e && cis((unsigned char)*p, C_HEX) && p - h < 4)
            p++;
        if (p < e && *p == '.') { /* an IPv4 tail ends the address */
            if (!sipmsg_ipv4_check_(h, e))
                return 0;
            groups += 2;
            break;
        }
        if (p == h)
            return 0;
        groups++;
        if (p == e)
            break;
        if (*p != ':')
            return 0;
        p++;
        if (p < e && *p == ':') {
            if (gap)
                return 0;
            gap = 1;
            p++;
        } else if (p == e) {
            return 0; /* a trailing single colon */
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* hostname = *( domainlabel "." ) toplabel [ "." ]
 * IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT
 * Labels are alphanumerics and '-', not starting or ending with '-'; when
 * every label is digits, the host must be a dotted quad with each part at
 * most 255. The walk label by label (after the dotted-quad shortcut in
 * name_or_ipv4). (An SSE2 form of it saved under 1.5% of the parse and
 * was removed by the 5% rule; see ARCHITECTURE.md.) */
static int hostname_scalar(const char *p, const char *e, const char **end)
{
    /* label by label: a run of alphanumerics and '-', then a dot or the end
     * of the host */
    const char *label = p, *q;
    int all_digits = 1, v4_ok = 1, parts = 0;
    *end = p;
    for (;;) {
        q = scan_class(label, e, C_LABEL);
        if (q == label) {
            if (q > p && (q == e || *q != '.')) { /* a trailing dot: a hostname only */
                v4_ok = 0;
                break;
            }
            return SIPMSG_HOST_NONE; /* an empty label */
        }
        if (*label == '-' || q[-1] == '-')
            return SIPMSG_HOST_NONE;
        if (all_digits) {
            if (scan_class(label, q, C_DIGIT) != q) {
                all_digits = 0;
            } else if (q - label > 3) {
                v4_ok = 0;
            } else {
                unsigned value = 0;
                for (const char *d2 = label; d2 < q; d2++)
                    value = value * 10 + (unsigned)(*d2 - '0');
                v4_ok &= value <= 255;
            }
        }
        parts++;
        if (q == e || *q != '.')
            break;
        label = q + 1;
    }
    *end = q;
    if (!all_digits)
        return SIPMSG_HOST_NAME;
    return v4_ok && parts == 4 ? SIPMSG_HOST_IPV4 : SIPMSG_HOST_NONE;
}

/* The host at p: a dotted quad first, when no host byte follows it (else
 * it is a hostname such as 1.2.3.4.a), then a hostname. */
static int name_or_ipv4(const char *p, const char *e, const char **end)
{
    const char *d = ipv4_prefix(p, e);
    if (d && (d == e || !cis((unsigned char)*d, C_HOST))) {
        *end = d;
        return SIPMSG_HOST_IPV4;
    }
    return hostname_scalar(p, e, end);
}

/* The host at p: its type, with *end set. */
int sipmsg_host_scan_(const char *p, const char *e, const char **end)
{
    return name_or_ipv4(p, e, end);
}

int sipmsg_host_check_(const char *p, const char *e)
{
    if (p < e && *p == '[')
        return e - p > 2 && e[-1] == ']' && sipmsg_ipv6_check_(p + 1, e - 1)
                   ? SIPMSG_HOST_IPV6
                   : SIPMSG_HOST_NONE;
    const char *end;
    int type = name_or_ipv4(p, e, &end);
    return end == e ? type : SIPMSG_HOST_NONE;
}

/* hostport = host [ ":" port ]; sent-by = host [ COLON port ] (lws set) */
const char *sipmsg_hostport_(const char *p, const char *e, int lws,
                             struct sipmsg_hostport_ *hp, sipmsg_code *code)
{
    const char *h = p;
    if (p < e && *p == '[') {
        const char *close = memchr(p, ']', (size_t)(e - p));
        p = close ? close + 1 : e;
        hp->type = sipmsg_host_check_(h, p);
    } else {
        hp->type = name_or_ipv4(h, e, &p); /* scans and checks at once */
    }
    if (hp->type == SIPMSG_HOST_NONE) {
        *code = SIPMSG_E_HOST;
        return h;
    }
    hp->host = mkslice(h, p);
    hp->port = 0;
    const char *q = lws ? sipmsg_skip_lws_(p, e) : p;
    if (q == e || *q != ':')
        return p;
    q = lws ? sipmsg_skip_lws_(q + 1, e) : q + 1;
    const char *d = q;
    uint32_t port = 0;
    while (q < e && cis((unsigned char)*q, C_DIGIT)) {
        port = port * 10 + (uint32_t)(*q++ - '0');
        if (port > 65535)
            break;
    }
    if (q == d || port == 0 || port > 65535) {
        *code = SIPMSG_E_PORT;
        return d;
    }
    hp->port = port;
    return q;
}
