/*
 * parse.c - framing, start line and header table (RFC 3261 sections 7, 7.5,
 * 18.3 and 25).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * One pass over the bytes. Every scan is bounded by `end`, every loop
 * advances, and nothing is written to the input.
 */
#include "decode.h"
#include "error.h"
#include "fields.h"
#include "headers.h"
#include "scan.h"
#include "tables.h"
#include "uri_internal.h"
#include "mem.h"

/* Internal step results: a step either succeeds, needs more bytes, or has
 * already filled the error. */
enum { R_OK = 0, R_MORE = 1, R_BAD = 2 };

typedef struct parser {
    const char *base; /* the caller's buffer (error offsets count from here) */
    const char *end;  /* scanning limit: buffer end, or the max_size clip */
    int clipped;      /* end was clipped by max_size */
    size_t max_line;
    size_t max_headers;
    sipmsg_msg *m;
    sipmsg_error *err;
    int header; /* index of the header being read, -1 for the start line */
    /* the quote state of escaped_control, kept across the lines of one
     * header (set on the rare path only): the header's first byte, how far
     * it was read, and whether that point is inside a quoted string */
    const char *q_header, *q_from;
    int q_in;
} parser;

static int fail(parser *ps, sipmsg_code code, const char *at, const char *msg)
{
    seterr(ps->err, code, (size_t)(at - ps->base), ps->header, msg);
    return R_BAD;
}

/* ---- line ends ----------------------------------------------------------- */

/*
 * Whether the control byte at e is escaped by a quoted-pair inside a
 * quoted string (RFC 3261 25.1: "\" NUL is valid there, RFC 4475
 * intmeth). The header is read from *from with the quote state in *inq,
 * both kept across calls on the same header (its continuation lines
 * included: a quoted string may run over a fold), so the walk stays linear
 * however many control bytes the header holds. A fold's CR LF inside the
 * walk are not quotes; "\" CR counts as a pair, as "\" SP does once the
 * fold is unfolded, so the state is the one the unfolded value has.
 */
static int escaped_control(const char **from, int *inq, const char *e)
{
    const char *q = *from;
    int in = *inq, escaped = 0;
    for (; q < e; q++) {
        if (*q == '"') {
            in = !in;
        } else if (in && *q == '\\') {
            if (q + 1 == e) {
                escaped = 1;
                break;
            }
            q++;
        }
    }
    *from = e + 1;
    *inq = in;
    return escaped;
}

/* find_line past its common case: the scan stopped at `e`, which is not a
 * CR followed by LF. HTAB is whitespace; another control byte is refused
 * unless a quoted-pair escapes it; then the line end is judged. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
find_line_rest(parser *ps, const char *p, const char *e, const char *lim,
               const char *hstart, const char **eol)
{
    while (e < lim && *e != '\r' && *e != '\n') {
        if (*e != '\t') {
            if (ps->header < 0)
                return fail(ps, SIPMSG_E_CONTROL_BYTE, e, NULL);
            if (ps->q_header != hstart) { /* the header's first control byte */
                ps->q_header = ps->q_from = hstart;
                ps->q_in = 0;
            }
            if (!escaped_control(&ps->q_from, &ps->q_in, e))
                return fail(ps, SIPMSG_E_CONTROL_BYTE, e, NULL);
        }
        e = find_ctl(e + 1, lim);
    }
    if (e == lim) {
        if (lim != ps->end)
            return fail(ps, SIPMSG_E_LINE_TOO_LONG, p, NULL);
        return R_MORE;
    }
    if (*e == '\n')
        return fail(ps, SIPMSG_E_BARE_LF, e, NULL);
    if (e + 1 == ps->end)
        return R_MORE;
    if (e[1] != '\n')
        return fail(ps, SIPMSG_E_BARE_CR, e, NULL);
    *eol = e;
    return R_OK;
}

/*
 * Finds the CRLF ending the line that starts at `p`; *eol gets the CR.
 * A bare CR or LF is an error; so is any other control byte but HTAB
 * (RFC 3261 keeps them out of token, TEXT-UTF8char, qdtext and ctext),
 * except one escaped by a quoted-pair in a header's quoted string; a line
 * longer than max_line is an error; a buffer ending before the CRLF needs
 * more bytes. One scan finds the line end and any control byte. `hstart`
 * is the first byte of the header the line belongs to (of the line itself
 * for the start line or a header's first line).
 */
static inline int find_line(parser *ps, const char *p, const char *hstart,
                            const char **eol)
{
    const char *lim = ps->end;
    if ((size_t)(lim - p) > ps->max_line)
        lim = p + ps->max_line + 1;
    const char *e = find_ctl(p, lim);
    if (e < lim && *e == '\r' && e + 1 < ps->end && e[1] == '\n') {
        *eol = e; /* nearly always */
        return R_OK;
    }
    return find_line_rest(ps, p, e, lim, hstart, eol);
}

/* ---- start line ---------------------------------------------------------- */

/* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT  (case-insensitive "SIP").
 * Any number of digits is well-formed: a number past 65535 is kept as
 * 65535, so sipmsg_validate reports it as unsupported (505), like
 * SIP/3.0, not as malformed. */
static int parse_version(parser *ps, const char *p, const char *e)
{
    sipmsg_msg *m = ps->m;
    const char *s = p;
    if (e - p == 7 && memcmp(p, "SIP/2.0", 7) == 0) { /* nearly always */
        m->version = mkslice(s, e);
        m->version_major = 2;
        m->version_minor = 0;
        return R_OK;
    }
    if (e - p < 4 || !sipmsg_memcaseeq_(p, "SIP/", 4))
        return fail(ps, SIPMSG_E_VERSION, p, NULL);
    p += 4;
    unsigned v[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        const char *d = p;
        for (; p < e && cis((unsigned char)*p, C_DIGIT); p++) {
            v[i] = v[i] * 10 + (unsigned)(*p - '0');
            if (v[i] > 65535)
                v[i] = 65535; /* saturated: stays unsupported */
        }
        if (p == d)
            return fail(ps, SIPMSG_E_VERSION, p, NULL);
        if (i == 0) {
            if (p == e || *p != '.')
                return fail(ps, SIPMSG_E_VERSION, p, NULL);
            p++;
        }
    }
    if (p != e)
        return fail(ps, SIPMSG_E_VERSION, p, NULL);
    m->version = mkslice(s, e);
    m->version_major = (uint16_t)v[0];
    m->version_minor = (uint16_t)v[1];
    return R_OK;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 * Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII
 *                 / UTF8-CONT / SP / HTAB)
 * A missing SP before an empty reason phrase is tolerated. */
static int parse_status_line(parser *ps, const char *p, const char *e)
{
    sipmsg_msg *m = ps->m;
    const char *sp = memchr(p, ' ', (size_t)(e - p));
    if (!sp)
        return fail(ps, SIPMSG_E_START_LINE, e, "status line has no status code");
    int r = parse_version(ps, p, sp);
    if (r)
        return r;
    p = sp + 1;
    if (e - p < 3 || !cis((unsigned char)p[0], C_DIGIT) ||
        !cis((unsigned char)p[1], C_DIGIT) || !cis((unsigned char)p[2], C_DIGIT) ||
        (e - p > 3 && p[3] != ' '))
        return fail(ps, SIPMSG_E_STATUS_CODE, p, NULL);
    int code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
    if (code < 100 || code > 699)
        return fail(ps, SIPMSG_E_STATUS_CODE, p, NULL);
    p += e - p > 3 ? 4 : 3;
    for (const char *q = p; q < e; q++)
        if (cis((unsigned char)*q, C_CTL) && *q != '\t')
            return fail(ps, SIPMSG_E_REASON, q, NULL);
    m->is_request = 0;
    m->status_code = code;
    m->reason = mkslice(p, e);
    return R_OK;
}

/* Request-Line = Method SP Request-URI SP SIP-Version CRLF
 * The version follows the last SP; a Request-URI holding whitespace is
 * rejected with its own code (RFC 4475 lwsruri). */
static int parse_request_line(parser *ps, const char *p, const char *e)
{
    sipmsg_msg *m = ps->m;
    const char *t = scan_run(p, C_TOKEN); /* the CR at e stops it */
    if (t == p || t == e || *t != ' ')
        return fail(ps, t == p ? SIPMSG_E_START_LINE : SIPMSG_E_METHOD, t, NULL);
    m->method_name = mkslice(p, t);
    m->method = sipmsg_method_lookup(mkslice(p, t));
    if (cis((unsigned char)e[-1], C_WS))
        return fail(ps, SIPMSG_E_START_LINE, e - 1,
                    "whitespace at the end of the request line");
    const char *u = t + 1;
    const char *v = e;
    if (e - u >= 9 && memcmp(e - 8, " SIP/2.0", 8) == 0)
        v = e - 7; /* the last SP, nearly always */
    while (v > u && v[-1] != ' ')
        v--;
    if (v == u)
        return fail(ps, SIPMSG_E_START_LINE, e, "request line has no SIP version");
    if (v - 1 == u)
        return fail(ps, SIPMSG_E_REQUEST_URI, u, "empty Request-URI");
    const char *q = find_nonvisible(u, v - 1);
    if (q != v - 1)
        return fail(ps, SIPMSG_E_REQUEST_URI, q,
                    cis((unsigned char)*q, C_WS) ? "whitespace in Request-URI"
                                                 : "control byte in Request-URI");
    /* Request-URI = SIP-URI / SIPS-URI / absoluteURI: all start with
     * scheme ":" and something after it (no bare "user@host", no
     * "<sip:...>"); scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    const char *colon = sipmsg_scheme_end_(u, v - 1);
    if (!colon || colon + 1 == v - 1)
        return fail(ps, SIPMSG_E_REQUEST_URI, u,
                    "Request-URI without a scheme (scheme \":\")");
    m->request_uri = mkslice(u, v - 1);
    m->is_request = 1;
    return parse_version(ps, v, e);
}

static int parse_start_line(parser *ps, const char *p, const char *e)
{
    ps->m->start_line = mkslice(p, e);
    if (e - p >= 4 && sipmsg_memcaseeq_(p, "SIP/", 4))
        return parse_status_line(ps, p, e);
    return parse_request_line(ps, p, e);
}

/* ---- headers ------------------------------------------------------------- */

static int parse_content_length(parser *ps, const sipmsg_header *h)
{
    sipmsg_msg *m = ps->m;
    int64_t v = 0; /* always set when bad is NULL */
    const char *why, *bad = sipmsg_content_length_(h->value, &v, &why);
    if (bad)
        return fail(ps, SIPMSG_E_CONTENT_LENGTH, bad, why);
    if (m->content_length >= 0 && m->content_length != v)
        return fail(ps, SIPMSG_E_CL_CONFLICT, h->value.ptr, NULL);
    m->content_length = v;
    return R_OK;
}

/*
 * message-header = field-name HCOLON field-value CRLF
 * HCOLON = *( SP / HTAB ) ":" SWS
 * The value runs over continuation lines (CRLF then SP or HTAB); the slice
 * excludes leading and trailing whitespace (an empty value is an empty
 * slice at `p`, not an absent one). `p` is the first value byte of the line
 * ending at `eol`; *next gets the next line. The results go to the
 * caller's locals, not to the table, so that the loop keeps them in
 * registers.
 */
static inline int parse_value(parser *ps, const char *hstart, const char *p,
                              const char *eol, sipmsg_slice *value, uint16_t *flags,
                              const char **next)
{
    /* the CR at eol stops both trims: it is not whitespace */
    const char *a = p, *b = eol;
    while (cis((unsigned char)*a, C_WS))
        a++;
    while (b > a && cis((unsigned char)b[-1], C_WS))
        b--;
    if (eol + 2 == ps->end)
        return R_MORE;                       /* a continuation line may follow */
    if (!cis((unsigned char)eol[2], C_WS)) { /* one line: nearly always */
        *value = a < b ? mkslice(a, b) : mkslice(p, p);
        *next = eol + 2;
        return R_OK;
    }
    const char *vs = a < b ? a : NULL, *ve = a < b ? b : NULL;
    for (;;) {
        *flags |= SIPMSG_HF_FOLDED;
        p = eol + 2;
        int r = find_line(ps, p, hstart, &eol);
        if (r)
            return r;
        a = p, b = eol;
        while (cis((unsigned char)*a, C_WS))
            a++;
        while (b > a && cis((unsigned char)b[-1], C_WS))
            b--;
        if (a < b) {
            if (!vs)
                vs = a;
            ve = b;
        }
        if (eol + 2 == ps->end)
            return R_MORE;
        if (!cis((unsigned char)eol[2], C_WS))
            break;
    }
    if (!vs)
        vs = ve = p; /* empty value: an empty slice, not an absent one */
    *value = mkslice(vs, ve);
    *next = eol + 2;
    return R_OK;
}

/* field-name = token, then HCOLON and the value, into hs[i]. The line's end
 * is found first, so the scans of the name and of whitespace need no
 * bound: the CR stops them. */
static inline int parse_header(parser *ps, const char *p, sipmsg_header *h,
                               const char **next)
{
    const char *eol;
    int r = find_line(ps, p, p, &eol);
    if (r)
        return r;
    sipmsg_hdr_id id = SIPMSG_HDR_OTHER;
    const char *n = scan_run(p, C_TOKEN); /* the CR at eol stops it */
    if (n > p)
        id = hdr_lookup_token(p, (size_t)(n - p), (size_t)(ps->end - p));
    if (n == p)
        return fail(ps,
                    cis((unsigned char)*n, C_WS) ? SIPMSG_E_FOLD : SIPMSG_E_HEADER_NAME,
                    n, NULL);
    const char *c = n;
    while (cis((unsigned char)*c, C_WS))
        c++;
    if (*c != ':') {
        if (c == n && c != eol)
            return fail(ps, SIPMSG_E_HEADER_NAME, c, "bad character in header name");
        return fail(ps, SIPMSG_E_NO_COLON, c, NULL);
    }
    sipmsg_slice value;
    uint16_t flags = 0;
    if ((r = parse_value(ps, p, c + 1, eol, &value, &flags, next)) != R_OK)
        return r;
    h->name = mkslice(p, n);
    h->value = value;
    h->raw = mkslice(p, *next);
    h->id = (uint16_t)id;
    h->flags = flags;
    return R_OK;
}

/* Reads header lines up to the empty line; *body gets the first body byte.
 * The count and the limit live in locals: a store through a header's
 * size_t fields could otherwise alias m->count and force reloads. */
static int parse_headers(parser *ps, const char *p, const char **body)
{
    sipmsg_msg *m = ps->m;
    sipmsg_header *const hs = m->headers;
    const size_t limit = m->capacity < ps->max_headers ? m->capacity : ps->max_headers;
    size_t count = m->count;
    int r;
    for (;;) {
        if (p == ps->end) {
            r = R_MORE;
            break;
        }
        if (*p == '\r') {
            if (p + 1 == ps->end) {
                r = R_MORE;
            } else if (p[1] != '\n') {
                r = fail(ps, SIPMSG_E_BARE_CR, p, NULL);
            } else {
                *body = p + 2;
                r = R_OK;
            }
            break;
        }
        if (*p == '\n') {
            r = fail(ps, SIPMSG_E_BARE_LF, p, NULL);
            break;
        }
        ps->header = (int)count;
        if (count >= limit) {
            r = fail(ps, SIPMSG_E_TOO_MANY_HEADERS, p, NULL);
            break;
        }
        sipmsg_header *h = &hs[count];
        if ((r = parse_header(ps, p, h, &p)) != R_OK)
            break;
        if (h->id == SIPMSG_HDR_CONTENT_LENGTH && (r = parse_content_length(ps, h)))
            break;
        h->next = SIPMSG_NONE;
        if (m->first[h->id] == SIPMSG_NONE)
            m->first[h->id] = (uint32_t)count;
        else
            hs[m->last[h->id]].next = (uint32_t)count;
        m->last[h->id] = (uint32_t)count;
        count++;
    }
    m->count = count;
    return r;
}

/* ---- framing ------------------------------------------------------------- */

static void reset(sipmsg_msg *m)
{
    sipmsg_header *headers = m->headers;
    size_t capacity = m->capacity;
    /* the index: SIPMSG_NONE for every known id (the slots past
     * SIPMSG_HDR_COUNT_ are never read); then every field after it */
    sipmsg_fill_(m->first, 0xff, SIPMSG_HDR_COUNT_ * sizeof m->first[0]);
    sipmsg_fill_(m->last, 0xff, SIPMSG_HDR_COUNT_ * sizeof m->last[0]);
    sipmsg_fill_(&m->buf, 0, sizeof *m - offsetof(sipmsg_msg, buf));
    m->headers = headers;
    m->capacity = capacity;
    m->count = 0;
    m->content_length = -1;
    m->max_forwards = -1;
    m->via.ttl = -1;
}

void sipmsg_msg_init(sipmsg_msg *m, sipmsg_header *headers, size_t capacity)
{
    m->headers = headers;
    m->capacity = headers ? capacity : 0;
    memset(m->first, 0xff, sizeof m->first); /* the spare slots too, once */
    memset(m->last, 0xff, sizeof m->last);
    reset(m);
}

/* Decides where the body ends once the header block is read. */
static int frame_body(parser *ps, const sipmsg_opts *o, const char *body, size_t max_size)
{
    sipmsg_msg *m = ps->m;
    size_t avail = (size_t)(ps->end - body);
    ps->header = -1;
    m->header_len = (size_t)(body - m->buf);
    if (m->content_length < 0) {
        if (o->mode == SIPMSG_STREAM)
            return fail(ps, SIPMSG_E_NO_CONTENT_LENGTH, body, NULL);
        m->body = mkslice(body, ps->end);
        m->len = (size_t)(ps->end - m->buf);
        return R_OK;
    }
    size_t cl = (size_t)m->content_length;
    if (m->header_len + cl > max_size)
        return fail(ps, SIPMSG_E_TOO_LARGE, body,
                    "Content-Length exceeds the size limit");
    if (cl > avail) {
        if (o->mode == SIPMSG_DATAGRAM)
            return fail(ps, SIPMSG_E_BODY_TRUNCATED, ps->end, NULL);
        m->need = cl - avail;
        return R_MORE;
    }
    m->body = mkslice(body, body + cl);
    m->len = m->header_len + cl;
    if (o->mode == SIPMSG_DATAGRAM)
        m->trailing = avail - cl;
    return R_OK;
}

/* Skips leading CRLF pairs (keep-alives); returns the first other byte. */
static const char *skip_crlf(const char *p, const char *end)
{
    while (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
        p += 2;
    return p;
}

static sipmsg_result finish(parser *ps, int r, const sipmsg_opts *o)
{
    if (r == R_OK)
        return SIPMSG_DONE;
    if (r == R_MORE) {
        if (ps->clipped) {
            fail(ps, SIPMSG_E_TOO_LARGE, ps->end, NULL);
        } else if (o->mode == SIPMSG_DATAGRAM) {
            fail(ps, SIPMSG_E_TRUNCATED, ps->end, NULL);
        } else {
            return SIPMSG_INCOMPLETE;
        }
    }
    return SIPMSG_INVALID;
}

sipmsg_result sipmsg_parse(sipmsg_msg *m, const char *buf, size_t len,
                           const sipmsg_opts *opts, sipmsg_error *err)
{
    static const sipmsg_opts defaults = {SIPMSG_DATAGRAM, 0, 0, 0, 0};
    const sipmsg_opts *o = opts ? opts : &defaults;
    size_t max_size = o->max_size ? o->max_size : SIPMSG_DEFAULT_MAX_SIZE;
    if (!buf)
        len = 0;
    parser ps = {.base = buf,
                 .end = buf ? buf + len : buf,
                 .clipped = 0,
                 .max_line = o->max_line ? o->max_line : SIPMSG_DEFAULT_MAX_LINE,
                 .max_headers =
                     o->max_headers ? o->max_headers : SIPMSG_DEFAULT_MAX_HEADERS,
                 .m = m,
                 .err = err,
                 .header = -1,
                 .q_header = NULL};
    reset(m);
    if (err)
        seterr(err, SIPMSG_OK, 0, -1, NULL);
    const char *p = skip_crlf(buf, ps.end);
    m->skipped = (size_t)(p - buf);
    m->buf = p;
    if (p == ps.end || (o->mode == SIPMSG_DATAGRAM && ps.end - p == 1 && *p == '\r')) {
        if (o->mode == SIPMSG_STREAM) {
            m->idle = 1; /* nothing but keep-alives */
            return SIPMSG_INCOMPLETE;
        }
        fail(&ps, SIPMSG_E_EMPTY, p, NULL);
        return SIPMSG_INVALID;
    }
    if ((size_t)(ps.end - p) > max_size) {
        if (o->mode == SIPMSG_DATAGRAM) {
            fail(&ps, SIPMSG_E_TOO_LARGE, p + max_size, NULL);
            return SIPMSG_INVALID;
        }
        ps.end = p + max_size; /* the header block must fit in the limit */
        ps.clipped = 1;
    }
    const char *eol, *body = NULL;
    int r = find_line(&ps, p, p, &eol);
    if (!r)
        r = parse_start_line(&ps, p, eol);
    if (!r)
        r = parse_headers(&ps, eol + 2, &body);
    if (!r) {
        ps.end = buf + len; /* the body may run past the clip (buf is set here) */
        ps.clipped = 0;
        r = frame_body(&ps, o, body, max_size);
    }
    if (!r && !(o->flags & SIPMSG_PARSE_FRAME_ONLY) &&
        sipmsg_decode_(m, err) != SIPMSG_OK) {
        if (err) /* offsets from the decoder count from m->buf */
            err->offset += m->skipped;
        return SIPMSG_INVALID;
    }
    return finish(&ps, r, o);
}
