/*
 * sdp.c - application/sdp bodies (RFC 8866; IPv6 addresses as in
 * RFC 5118): a line table with typed fields, and the line writer.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * One pass over the bytes: each line is found by a word-at-a-time search
 * for LF, CR and NUL, then its typed fields (v, o, s, c, t, m, a) are read
 * with bounded scans of that line only. No allocation, no recursion.
 */
#include "sipmsg/body.h"

#include <string.h>

#include "error.h"
#include "scan.h"
#include "mem.h"

static sipmsg_code fail(sipmsg_error *err, sipmsg_code code, size_t off, const char *msg)
{
    return seterr(err, code, off, -1, msg);
}

/* ---- character classes ------------------------------------------------------------ */

#define SDP_DIGIT 0x01u
#define SDP_ALPHA 0x02u
#define SDP_TOKEN                                                                        \
    0x04u /* RFC 8866 token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E */
#define SDP_HEX  0x08u
#define SDP_ADDR 0x10u /* letters, digits, '-', '.', ':' (hostnames, IPv4, IPv6) */

/* The class bits of every byte (a generated copy of the rules above). */
static const unsigned char classes[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00,
    0x04, 0x04, 0x00, 0x14, 0x14, 0x00, 0x1d, 0x1d, 0x1d, 0x1d, 0x1d, 0x1d, 0x1d, 0x1d,
    0x1d, 0x1d, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16,
    0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x00, 0x00, 0x00, 0x04, 0x04, 0x04, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16,
    0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x04, 0x04, 0x04,
    0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

static unsigned cls(unsigned char c)
{
    return classes[c];
}

/* ---- lines ---------------------------------------------------------------------------- */

/* Reads one field of a line: bytes up to the next SP or the end of the
 * line, all of class `mask`. Returns the end of the field, or NULL when it
 * is empty or holds another byte. */
static const char *field(const char *p, const char *e, unsigned mask, sipmsg_slice *out)
{
    const char *s = p;
    while (p < e && (cls((unsigned char)*p) & mask))
        p++;
    if (p == s || (p < e && *p != ' '))
        return NULL;
    out->ptr = s;
    out->len = (size_t)(p - s);
    return p;
}

/* Skips exactly one SP between fields; NULL when it is not there, or when
 * another field does not follow it. */
static const char *sep(const char *p, const char *e)
{
    if (!p || p >= e || *p != ' ' || p + 1 >= e || p[1] == ' ')
        return NULL;
    return p + 1;
}

/* 1*DIGIT, at most `max`. Returns the end, or NULL. */
static const char *number(const char *p, const char *e, uint64_t max, uint64_t *out)
{
    const char *s = p;
    uint64_t v = 0;
    while (p < e && *p >= '0' && *p <= '9') {
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return NULL;
        v = v * 10 + d;
        p++;
    }
    if (p == s)
        return NULL;
    *out = v;
    return p;
}

/* ---- typed fields ----------------------------------------------------------------- */

/* origin-field = username SP sess-id SP sess-version SP nettype SP addrtype
 *                SP unicast-address                  (RFC 8866 9) */
sipmsg_code sipmsg_sdp_origin_parse(sipmsg_sdp_origin *o, sipmsg_slice t,
                                    sipmsg_error *err)
{
    const char *p = t.ptr, *e = t.ptr + t.len;
    sipmsg_fill_(o, 0, sizeof *o);
    /* username = non-ws-string: any visible byte (and UTF-8) but SP */
    const char *s = p;
    while (p < e && *p != ' ' && (unsigned char)*p > 0x20 && *p != 0x7f)
        p++;
    if (p == s || p == e || *p != ' ')
        return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - t.ptr), "bad o= username");
    o->username.ptr = s;
    o->username.len = (size_t)(p - s);
    if (!(p = sep(p, e)) || !(p = field(p, e, SDP_DIGIT, &o->sess_id)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad o= sess-id");
    if (!(p = sep(p, e)) || !(p = field(p, e, SDP_DIGIT, &o->sess_version)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad o= sess-version");
    if (!(p = sep(p, e)) || !(p = field(p, e, SDP_TOKEN, &o->nettype)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad o= nettype");
    if (!(p = sep(p, e)) || !(p = field(p, e, SDP_TOKEN, &o->addrtype)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad o= addrtype");
    if (!(p = sep(p, e)) || !(p = field(p, e, SDP_ADDR, &o->address)) || p != e)
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad o= unicast-address");
    return SIPMSG_OK;
}

/*
 * connection-field = nettype SP addrtype SP connection-address
 *   IP4: address [ "/" ttl [ "/" count ] ]    IP6: address [ "/" count ]
 */
sipmsg_code sipmsg_sdp_conn_parse(sipmsg_sdp_conn *c, sipmsg_slice t, sipmsg_error *err)
{
    const char *p = t.ptr, *e = t.ptr + t.len;
    uint64_t v;
    memset(c, 0, sizeof *c);
    if (!(p = field(p, e, SDP_TOKEN, &c->nettype)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad c= nettype");
    if (!(p = sep(p, e)) || !(p = field(p, e, SDP_TOKEN, &c->addrtype)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad c= addrtype");
    if (!(p = sep(p, e)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad c= address");
    const char *s = p;
    while (p < e && (cls((unsigned char)*p) & SDP_ADDR))
        p++;
    if (p == s)
        return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - t.ptr), "bad c= address");
    c->address.ptr = s;
    c->address.len = (size_t)(p - s);
    int ip6 = c->addrtype.len == 3 && !memcmp(c->addrtype.ptr, "IP6", 3);
    if (p < e && *p == '/') {
        if (!(p = number(p + 1, e, ip6 ? 0xffffffffu : 255, &v)))
            return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad c= ttl or count");
        if (ip6)
            c->count = (uint32_t)v;
        else
            c->ttl = (uint32_t)v;
        if (!ip6 && p < e && *p == '/') {
            if (!(p = number(p + 1, e, 0xffffffffu, &v)))
                return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad c= count");
            c->count = (uint32_t)v;
        }
    }
    if (p != e)
        return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - t.ptr), "bad c= address");
    return SIPMSG_OK;
}

/* An RTP profile ("RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP" ...): its
 * formats are payload types. */
static int is_rtp(sipmsg_slice proto)
{
    const char *p = proto.ptr;
    for (size_t i = 0; i + 4 <= proto.len; i++)
        if ((i == 0 || p[i - 1] == '/') && !memcmp(p + i, "RTP/", 4))
            return 1;
    return 0;
}

/*
 * media-field = media SP port ["/" integer] SP proto 1*(SP fmt)
 * proto = token *("/" token); fmt = token, for RTP 0-127.
 * Returns the offset of the bad byte in *bad.
 */
static sipmsg_code media_parse(sipmsg_sdp_media *m, sipmsg_slice t, size_t *bad,
                               sipmsg_error *err)
{
    const char *p = t.ptr, *e = t.ptr + t.len, *s;
    uint64_t v;
    *bad = 0;
    if (!(p = field(p, e, SDP_TOKEN, &m->media)) || !(p = sep(p, e)))
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= media");
    s = p;
    if (!(p = number(p, e, 0xffffffffu, &v)))
        return *bad = (size_t)(s - t.ptr),
               fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= port");
    if (v > 65535)
        return *bad = (size_t)(s - t.ptr),
               fail(err, SIPMSG_E_PORT, 0, "m= port above 65535");
    m->port = (uint32_t)v;
    if (p < e && *p == '/') {
        s = p + 1;
        if (!(p = number(s, e, 65535, &v)) || v == 0)
            return *bad = (size_t)(s - t.ptr),
                   fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= port count");
        m->count = (uint32_t)v;
    }
    s = sep(p, e);
    if (!s)
        return *bad = (size_t)(p - t.ptr),
               fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= proto");
    for (p = s;;) { /* token *("/" token) */
        const char *q = p;
        while (p < e && *p != '/' && (cls((unsigned char)*p) & SDP_TOKEN))
            p++;
        if (p == q)
            return *bad = (size_t)(p - t.ptr),
                   fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= proto");
        if (p < e && *p == '/') {
            p++;
            continue;
        }
        break;
    }
    m->proto.ptr = s;
    m->proto.len = (size_t)(p - s);
    if (!(s = sep(p, e)))
        return *bad = (size_t)(p - t.ptr),
               fail(err, SIPMSG_E_HEADER_VALUE, 0, "m= line without a format");
    m->formats.ptr = s;
    m->formats.len = (size_t)(e - s);
    int rtp = is_rtp(m->proto);
    for (p = s; p < e;) {
        const char *q = p;
        while (p < e && (cls((unsigned char)*p) & SDP_TOKEN))
            p++;
        if (p == q || (p < e && *p != ' '))
            return *bad = (size_t)(p - t.ptr),
                   fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= format");
        if (rtp && (p - q > 3 || number(q, p, 127, &v) != p))
            return *bad = (size_t)(q - t.ptr),
                   fail(err, SIPMSG_E_HEADER_VALUE, 0,
                        "m= format is not an RTP payload type 0-127");
        if (p < e && !sep(p, e))
            return *bad = (size_t)((p + 1 < e ? p + 1 : p) - t.ptr),
                   fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad m= format list");
        if (p < e)
            p++;
    }
    return SIPMSG_OK;
}

/* time-fields: t= start-time SP stop-time (decimal NTP seconds) */
static sipmsg_code time_parse(sipmsg_sdp *s, sipmsg_slice t, sipmsg_error *err)
{
    const char *p = t.ptr, *e = t.ptr + t.len;
    uint64_t a, b;
    if (!(p = number(p, e, UINT64_MAX, &a)) || !(p = sep(p, e)) ||
        !(p = number(p, e, UINT64_MAX, &b)) || p != e)
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad t= line");
    if (!s->time.ptr) {
        s->time = t;
        s->start = a;
        s->stop = b;
    }
    return SIPMSG_OK;
}

/* attribute = attribute-name [":" attribute-value]; name a token */
static sipmsg_code attr_parse(sipmsg_sdp_line *l, size_t *bad, sipmsg_error *err)
{
    const char *p = l->text.ptr, *e = p + l->text.len, *s = p;
    while (p < e && (cls((unsigned char)*p) & SDP_TOKEN)) /* ':' is not a token-char */
        p++;
    *bad = (size_t)(p - s);
    if (p == s)
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "a= line without an attribute name");
    l->name.ptr = s;
    l->name.len = (size_t)(p - s);
    if (p == e) {
        l->value.ptr = NULL;
        l->value.len = 0;
        return SIPMSG_OK;
    }
    if (*p != ':')
        return fail(err, SIPMSG_E_HEADER_VALUE, 0, "bad character in an attribute name");
    l->value.ptr = p + 1;
    l->value.len = (size_t)(e - p - 1);
    return SIPMSG_OK;
}

/* ---- the parser ---------------------------------------------------------------------- */

void sipmsg_sdp_init(sipmsg_sdp *s, sipmsg_sdp_line *lines, size_t line_capacity,
                     sipmsg_sdp_media *media, size_t media_capacity)
{
    sipmsg_fill_(s, 0, sizeof *s);
    s->lines = lines;
    s->line_capacity = lines ? line_capacity : 0;
    s->media = media;
    s->media_capacity = media ? media_capacity : 0;
}

/* Parse state across lines. */
typedef struct sdp_state {
    unsigned seen;         /* SEEN_* bits */
    uint32_t media;        /* current m= section, 0 at session level */
    sipmsg_sdp_media *cur; /* its table entry, or NULL */
} sdp_state;

#define SEEN_V 1u
#define SEEN_O 2u
#define SEEN_S 4u
#define SEEN_T 8u

/* Only CR LF / LF pairs from p to e: the tolerated empty lines at the end. */
static sipmsg_code trailing_empty(const char *b, const char *p, const char *e,
                                  sipmsg_error *err)
{
    while (p < e) {
        if (*p == '\n') {
            p++;
        } else if (*p == '\r' && p + 1 < e && p[1] == '\n') {
            p += 2;
        } else if (*p == '\r') {
            return fail(err, SIPMSG_E_BARE_CR, (size_t)(p - b),
                        "CR not followed by LF in SDP");
        } else {
            return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - b),
                        "empty line inside SDP");
        }
    }
    return SIPMSG_OK;
}

/* The typed part of one line `l` (type, text set). `off` is the offset of
 * its text in the body, for errors. */
static sipmsg_code sdp_line(sipmsg_sdp *s, sdp_state *st, sipmsg_sdp_line *l, size_t off,
                            sipmsg_error *err)
{
    sipmsg_code c = SIPMSG_OK;
    size_t bad = 0;
    char t = l->type;
    if (st->media &&
        (t == 'v' || t == 'o' || t == 's' || t == 't' || t == 'r' || t == 'z'))
        return fail(err, SIPMSG_E_HEADER_VALUE, off - 2,
                    "session-level line inside a media section");
    switch (t) {
    case 'a': c = attr_parse(l, &bad, err); break;
    case 'm': {
        sipmsg_sdp_media tmp, *m = st->cur ? st->cur : &tmp;
        sipmsg_fill_(m, 0, sizeof *m);
        c = media_parse(m, l->text, &bad, err);
        break;
    }
    case 'c': {
        sipmsg_sdp_conn conn;
        c = sipmsg_sdp_conn_parse(&conn, l->text, err);
        if (c == SIPMSG_OK && st->media == 0 && !s->has_conn)
            s->has_conn = 1, s->conn = conn;
        else if (c == SIPMSG_OK && st->cur && !st->cur->has_conn)
            st->cur->has_conn = 1, st->cur->conn = conn;
        break;
    }
    case 'o':
        if (st->seen & SEEN_O)
            return fail(err, SIPMSG_E_DUPLICATE_HEADER, off - 2, "second o= line");
        st->seen |= SEEN_O;
        c = sipmsg_sdp_origin_parse(&s->origin, l->text, err);
        break;
    case 's':
        if (st->seen & SEEN_S)
            return fail(err, SIPMSG_E_DUPLICATE_HEADER, off - 2, "second s= line");
        st->seen |= SEEN_S;
        if (l->text.len == 0)
            return fail(err, SIPMSG_E_HEADER_VALUE, off, "empty s= line");
        s->name = l->text;
        break;
    case 't':
        st->seen |= SEEN_T;
        c = time_parse(s, l->text, err);
        break;
    case 'v':
        return fail(err, SIPMSG_E_HEADER_VALUE, off - 2, "v= line after the first line");
    default: break;
    }
    if (c != SIPMSG_OK && err)
        err->offset += off + bad;
    return c;
}

/* A new m= section: closes the previous one, takes a table entry. */
static sipmsg_code open_media(sipmsg_sdp *s, sdp_state *st, size_t off, sipmsg_error *err)
{
    if (st->media == 0)
        s->session_end = s->line_count;
    if (st->cur)
        st->cur->line_end = s->line_count;
    st->cur = NULL;
    if (s->media) {
        if (s->media_count >= s->media_capacity)
            return fail(err, SIPMSG_E_NO_SPACE, off,
                        "more media sections than the table holds");
        st->cur = &s->media[s->media_count];
    }
    s->media_count++;
    st->media++;
    return SIPMSG_OK;
}

/* v=0 as the first line */
static sipmsg_code first_line(sipmsg_sdp *s, const sipmsg_sdp_line *l, sdp_state *st,
                              sipmsg_error *err)
{
    if (l->type != 'v')
        return fail(err, SIPMSG_E_MISSING_HEADER, 0, "SDP does not start with v=");
    if (l->text.len != 1 || l->text.ptr[0] != '0')
        return fail(err, SIPMSG_E_HEADER_VALUE, 2, "SDP version is not 0");
    s->version = 0;
    st->seen |= SEEN_V;
    return SIPMSG_OK;
}

sipmsg_code sipmsg_sdp_parse(sipmsg_sdp *s, sipmsg_slice text, sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    sipmsg_sdp_init(s, s->lines, s->line_capacity, s->media, s->media_capacity);
    if (len == 0)
        return fail(err, SIPMSG_E_EMPTY, 0, "empty SDP body");
    const char *b = p, *e = p + len;
    sdp_state st = {0, 0, NULL};
    while (p < e) {
        if (*p == '\r' || *p == '\n') {
            if (p == b)
                return fail(err, SIPMSG_E_EMPTY, 0,
                            "SDP body starting with an empty line");
            sipmsg_code c = trailing_empty(b, p, e, err);
            if (c != SIPMSG_OK)
                return c;
            break;
        }
        if (!(cls((unsigned char)*p) & SDP_ALPHA))
            return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - b),
                        "SDP line is not <letter>=<value>");
        if (e - p < 2 || p[1] != '=')
            return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - b) + 1,
                        "SDP line is not <letter>=<value>");
        sipmsg_sdp_line line, *l = &line;
        if (s->lines) {
            if (s->line_count >= s->line_capacity)
                return fail(err, SIPMSG_E_NO_SPACE, (size_t)(p - b),
                            "more SDP lines than the table holds");
            l = &s->lines[s->line_count];
        }
        const char *v = p + 2, *ve = find_sdp_stop(v, e), *next = ve;
        if (ve < e) {
            if (*ve == 0)
                return fail(err, SIPMSG_E_HEADER_VALUE, (size_t)(ve - b),
                            "NUL byte in SDP");
            if (*ve == '\r' && (ve + 1 == e || ve[1] != '\n'))
                return fail(err, SIPMSG_E_BARE_CR, (size_t)(ve - b),
                            "CR not followed by LF in SDP");
            next = ve + (*ve == '\r' ? 2 : 1);
        }
        l->type = *p;
        l->text.ptr = v;
        l->text.len = (size_t)(ve - v);
        l->value = l->text;
        l->name.ptr = NULL;
        l->name.len = 0;
        sipmsg_code c;
        if (s->line_count == 0)
            c = first_line(s, l, &st, err);
        else if (*p == 'm' && (c = open_media(s, &st, (size_t)(p - b), err)) != SIPMSG_OK)
            return c;
        else
            c = sdp_line(s, &st, l, (size_t)(v - b), err);
        if (c != SIPMSG_OK)
            return c;
        if (*p == 'm' && st.cur)
            st.cur->line = s->line_count;
        l->media = st.media;
        s->line_count++;
        p = next;
    }
    if (st.media == 0)
        s->session_end = s->line_count;
    if (st.cur)
        st.cur->line_end = s->line_count;
    if (!(st.seen & SEEN_O))
        return fail(err, SIPMSG_E_MISSING_HEADER, len, "SDP without o= line");
    if (!(st.seen & SEEN_S))
        return fail(err, SIPMSG_E_MISSING_HEADER, len, "SDP without s= line");
    if (!(st.seen & SEEN_T))
        return fail(err, SIPMSG_E_MISSING_HEADER, len, "SDP without t= line");
    return SIPMSG_OK;
}

/* ---- access ------------------------------------------------------------------------------ */

int sipmsg_sdp_format_next(sipmsg_slice *list, sipmsg_slice *fmt)
{
    const char *p = list->ptr, *e = p ? p + list->len : p;
    while (p < e && *p == ' ')
        p++;
    if (p >= e)
        return 0;
    const char *s = p;
    while (p < e && *p != ' ')
        p++;
    fmt->ptr = s;
    fmt->len = (size_t)(p - s);
    list->ptr = p;
    list->len = (size_t)(e - p);
    return 1;
}

const sipmsg_sdp_line *sipmsg_sdp_attr(const sipmsg_sdp *s, uint32_t media,
                                       const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; s->lines && i < s->line_count; i++) {
        const sipmsg_sdp_line *l = &s->lines[i];
        if (l->type == 'a' && l->media == media && l->name.len == n &&
            !memcmp(l->name.ptr, name, n))
            return l;
    }
    return NULL;
}

/* ---- the writer ----------------------------------------------------------------------------- */

size_t sipmsg_sdp_write(char *out, size_t cap, const sipmsg_sdp_line *lines, size_t count,
                        sipmsg_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const sipmsg_sdp_line *l = &lines[i];
        if (!(cls((unsigned char)l->type) & SDP_ALPHA)) {
            fail(err, SIPMSG_E_BAD_TEXT, i, "SDP line type is not a letter");
            return 0;
        }
        if (l->text.len && find_sdp_stop(l->text.ptr, l->text.ptr + l->text.len) !=
                               l->text.ptr + l->text.len) {
            fail(err, SIPMSG_E_BAD_TEXT, i, "NUL, CR or LF in an SDP line");
            return 0;
        }
    }
    if (!out)
        cap = 0;
    for (size_t i = 0; i < count; i++) {
        const sipmsg_sdp_line *l = &lines[i];
        char head[2] = {l->type, '='};
        const char *pieces[3] = {head, l->text.ptr, "\r\n"};
        size_t lens[3] = {2, l->text.ptr ? l->text.len : 0, 2};
        for (int k = 0; k < 3; k++) {
            if (n < cap && lens[k]) {
                size_t room = cap - n;
                memcpy(out + n, pieces[k], lens[k] < room ? lens[k] : room);
            }
            n += lens[k];
        }
    }
    return n;
}
