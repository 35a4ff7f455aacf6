/*
 * uri_internal.h - hosts, host:port and the URI shape check (uri.c), for the
 * typed headers built on URIs. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_URI_INTERNAL_H_
#define SIPMSG_URI_INTERNAL_H_

#include "lex.h"
#include "sipmsg/uri.h"

/* Host validation (uri.c): returns the host type, or SIPMSG_HOST_NONE when
 * [p, e) is not exactly one host. */
int sipmsg_host_check_(const char *p, const char *e);
int sipmsg_ipv4_check_(const char *p, const char *e);
int sipmsg_ipv6_check_(const char *p, const char *e);

/* Parses "host [ COLON port ]" at p (sent-by / hostport); lws allows SWS
 * around the colon. On success returns the end and fills host/type/port. */
struct sipmsg_hostport_ {
    sipmsg_slice host;
    int type;
    uint32_t port;
};
const char *sipmsg_hostport_(const char *p, const char *e, int lws,
                             struct sipmsg_hostport_ *hp, sipmsg_code *code);

/* Checks only the shape every URI has (uri.c): scheme ":" and then bytes
 * other than CTL, SP, '<', '>' and '"'. Whatever sipmsg_uri_parse accepts
 * passes. */
sipmsg_code sipmsg_uri_shape_(const char *p, const char *e, sipmsg_error *err);
/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':' (RFC
 * 3986 3.1). The ':' after the scheme at p, or NULL. Inline: the parser
 * runs it on every Request-URI. */
static inline const char *sipmsg_scheme_end_(const char *p, const char *e)
{
    if (e - p >= 4 && p[3] == ':' && (p[0] | 0x20) == 's' && (p[1] | 0x20) == 'i' &&
        (p[2] | 0x20) == 'p')
        return p + 3; /* "sip:", nearly always */
    if (p == e || !cis((unsigned char)*p, C_ALPHA))
        return NULL;
    while (++p < e && (cis((unsigned char)*p, C_ALPHA | C_DIGIT) || *p == '+' ||
                       *p == '-' || *p == '.'))
        ;
    return p < e && *p == ':' ? p : NULL;
}

/* The first half of sipmsg_uri_shape_: a scheme, ':' and at least one byte
 * after it (for callers that have already scanned [p, e) for the other
 * half). Inline: the From and To fast path runs it twice a message. */
static inline int sipmsg_uri_scheme_ok_(const char *p, const char *e)
{
    const char *colon = sipmsg_scheme_end_(p, e);
    return colon && colon + 1 < e;
}

/* The host scan (uri.c): the host type at p, with *end set. */
int sipmsg_host_scan_(const char *p, const char *e, const char **end);

#endif
