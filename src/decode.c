/*
 * decode.c - the headers a proxy reads on every message, decoded once at
 * parse time: top Via, From and To tags, Call-ID, CSeq, Max-Forwards and
 * Content-Type. A malformed one makes the parse fail with its own code.
 * From and To are read for their tag: structure in full, URI by shape.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "decode.h"

#include "error.h"
#include "fields.h"
#include "headers.h"
#include "nameaddr.h"
#include "via.h"

/* sipmsg_find, inline: the first header with this id, or NULL. */
static inline const sipmsg_header *first_of(const sipmsg_msg *m, sipmsg_hdr_id id)
{
    uint32_t i = m->first[id];
    return i == SIPMSG_NONE ? NULL : &m->headers[i];
}

/* Makes the error a sub-parser filled (relative to `base`) point into the
 * message, and returns its code. */
static sipmsg_code in_header(const sipmsg_msg *m, const sipmsg_header *h,
                             const char *base, sipmsg_code code, sipmsg_error *err)
{
    sipmsg_err_in_header_(m, h, base, err);
    return code;
}

/* Decodes the first via-parm of a Via value into *q, which the caller has
 * cleared (sipmsg_top_via_clear_; the parse's reset clears m->via). On an
 * error, err's offset is relative to *base (the value, or the list element
 * that failed). */
static sipmsg_code via_value(sipmsg_top_via *q, sipmsg_slice value, int try_fast,
                             const char **base, sipmsg_error *err)
{
    *base = value.ptr;
    /* (the fast path refuses a comma: no byte it accepts after the host is
     * one, so a list of Vias goes to the list walk below) */
    if (try_fast && sipmsg_via_fast_(q, value.ptr, value.ptr + value.len))
        return SIPMSG_OK;
    sipmsg_top_via_clear_(q); /* what the fast path may have half filled */
    sipmsg_list_iter it;
    sipmsg_slice el = value;
    sipmsg_via v;
    int r = 1;
    if (memchr(value.ptr, ',', value.len)) { /* several values */
        sipmsg_list_init(&it, value);
        r = sipmsg_list_next(&it, &el, err);
    } else if (!value.len) {
        r = 0;
    }
    if (r < 0)
        return SIPMSG_E_VIA;
    if (r == 0) {
        seterr(err, SIPMSG_E_VIA, 0, -1, "empty Via");
        return SIPMSG_E_VIA;
    }
    *base = el.ptr;
    sipmsg_code c = sipmsg_via_parse(&v, el, err);
    if (c)
        return c;
    q->transport = v.transport;
    q->host = v.host;
    q->port = v.port;
    q->branch = v.branch;
    q->received = v.received;
    q->rport = v.rport;
    q->maddr = v.maddr;
    uint32_t n;
    /* sipmsg_via_parse has checked both numbers */
    if (v.rport.len && sipmsg_uint_parse(v.rport, 65535, &n, SIPMSG_E_PORT) == SIPMSG_OK)
        q->rport_port = n;
    q->rport_requested = v.rport.ptr && !v.rport.len;
    if (v.ttl.ptr && sipmsg_uint_parse(v.ttl, 255, &n, SIPMSG_E_VIA) == SIPMSG_OK)
        q->ttl = (int)n;
    return SIPMSG_OK;
}

/* m->via from the top Via header; m->via is clear on entry. */
static sipmsg_code top_via(sipmsg_msg *m, int try_fast, sipmsg_error *err)
{
    const sipmsg_header *h = first_of(m, SIPMSG_HDR_VIA);
    const char *base;
    if (!h)
        return SIPMSG_OK;
    /* a folded value holds CR LF, which the fast path refuses: not tried */
    sipmsg_code c = via_value(&m->via, h->value,
                              try_fast && !(h->flags & SIPMSG_HF_FOLDED), &base, err);
    return c ? in_header(m, h, base, c, err) : SIPMSG_OK;
}

sipmsg_code sipmsg_decode_via_value_(sipmsg_top_via *q, sipmsg_slice value, int try_fast,
                                     sipmsg_error *err)
{
    const char *base;
    sipmsg_top_via_clear_(q);
    return via_value(q, value, try_fast, &base, err);
}

sipmsg_code sipmsg_decode_top_via_(sipmsg_msg *m, sipmsg_error *err)
{
    sipmsg_top_via_clear_(&m->via);
    return top_via(m, 1, err);
}

static sipmsg_code decode_tag(sipmsg_msg *m, sipmsg_hdr_id id, sipmsg_slice *tag,
                              int try_fast, sipmsg_error *err)
{
    const sipmsg_header *h = first_of(m, id);
    sipmsg_nameaddr na;
    if (!h)
        return SIPMSG_OK;
    sipmsg_slice fast;
    if (try_fast && sipmsg_tag_fast_(h->value.ptr, h->value.ptr + h->value.len, &fast)) {
        *tag = fast; /* only on success: a failed parse leaves the tag unset */
        return SIPMSG_OK;
    }
    /* the URI's shape only: its grammar is sipmsg_validate's business */
    sipmsg_code c = sipmsg_nameaddr_scan_(&na, h->value.ptr, h->value.len, err);
    if (c)
        return in_header(m, h, h->value.ptr, c, err);
    *tag = na.tag;
    return SIPMSG_OK;
}

static sipmsg_code decode_numbers(sipmsg_msg *m, sipmsg_error *err)
{
    const sipmsg_header *h = first_of(m, SIPMSG_HDR_CSEQ);
    sipmsg_code c;
    if (h) {
        sipmsg_cseq cs;
        if ((c = sipmsg_cseq_parse(&cs, h->value, err)) != SIPMSG_OK)
            return in_header(m, h, h->value.ptr, c, err);
        m->cseq = cs.seq;
        m->cseq_method = cs.method;
        m->cseq_method_name = cs.method_name;
    }
    if ((h = first_of(m, SIPMSG_HDR_MAX_FORWARDS)) != NULL) {
        uint32_t mf;
        if ((c = sipmsg_max_forwards_parse(h->value, &mf)) != SIPMSG_OK) {
            seterr(err, c, 0, -1, NULL);
            return in_header(m, h, h->value.ptr, c, err);
        }
        m->max_forwards = (int)mf;
    }
    if ((h = first_of(m, SIPMSG_HDR_CALL_ID)) != NULL) {
        const char *bad = sipmsg_call_id_bad_(h->value.ptr, h->value.ptr + h->value.len);
        if (bad) {
            seterr(err, SIPMSG_E_CALL_ID, (size_t)(bad - h->value.ptr), -1, NULL);
            return in_header(m, h, h->value.ptr, SIPMSG_E_CALL_ID, err);
        }
        m->call_id = h->value;
    }
    return SIPMSG_OK;
}

/* The fast path for Content-Type: token "/" token and plain parameters
 * (sipmsg_fast_param_), which sipmsg_media_type_parse reads the same way.
 * 1 with *ct set ("type/subtype"), or 0 for the full parser. */
static int content_type_fast(const char *p, const char *e, sipmsg_slice *ct)
{
    const char *t = scan_class(p, e, C_TOKEN);
    if (t == p || t == e || *t != '/')
        return 0;
    const char *s = scan_class(t + 1, e, C_TOKEN);
    if (s == t + 1)
        return 0;
    for (const char *q = s; q < e;) {
        sipmsg_slice name, value;
        if ((q = sipmsg_fast_param_(q, e, &name, &value)) == NULL)
            return 0;
    }
    *ct = mkslice(p, s);
    return 1;
}

static sipmsg_code decode(sipmsg_msg *m, int try_fast, sipmsg_error *err)
{
    sipmsg_code c;
    if ((c = top_via(m, try_fast, err)) ||
        (c = decode_tag(m, SIPMSG_HDR_FROM, &m->from_tag, try_fast, err)) ||
        (c = decode_tag(m, SIPMSG_HDR_TO, &m->to_tag, try_fast, err)) ||
        (c = decode_numbers(m, err)))
        return c;
    const sipmsg_header *h = first_of(m, SIPMSG_HDR_CONTENT_TYPE);
    if (h && try_fast &&
        content_type_fast(h->value.ptr, h->value.ptr + h->value.len, &m->content_type))
        return SIPMSG_OK;
    if (h) {
        sipmsg_media_type mt;
        if ((c = sipmsg_media_type_parse(&mt, h->value, err)) != SIPMSG_OK)
            return in_header(m, h, h->value.ptr, c, err);
        m->content_type = mkslice(mt.type.ptr, mt.subtype.ptr + mt.subtype.len);
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_decode_(sipmsg_msg *m, sipmsg_error *err)
{
    return decode(m, 1, err);
}

#ifdef SIPMSG_TEST_HOOKS
sipmsg_code sipmsg_decode_full_(sipmsg_msg *m, sipmsg_error *err)
{
    return decode(m, 0, err);
}
#endif

/* The tag among plainly written parameters at [p, e) (see
 * sipmsg_fast_param_); 0 when they are not all plain. */
static int fast_tag_params(const char *p, const char *e, sipmsg_slice *tag)
{
    tag->ptr = NULL;
    tag->len = 0;
    while (p < e) {
        sipmsg_slice name, value;
        const char *n = sipmsg_fast_param_(p, e, &name, &value);
        if (!n)
            return 0;
        if (!tag->ptr && LETTERS_IS(name, "tag")) /* a repeated tag: the first counts */
            *tag = value.ptr ? value : mkslice(name.ptr + name.len, name.ptr + name.len);
        p = n;
    }
    return 1;
}

/*
 * From and To as nearly every message writes them: an optional display
 * name (tokens, or a quoted string without backslashes), the URI in <> or
 * bare, then plain parameters. Returns 1 with the tag when [p, e) (a
 * trimmed header value) has that form, which sipmsg_nameaddr_scan_ then
 * accepts with the same tag: the URI passes the same shape rules (a scheme,
 * something after it, no URI stop). Returns 0 for anything else, left to
 * sipmsg_nameaddr_scan_.
 */
int sipmsg_tag_fast_(const char *p, const char *e, sipmsg_slice *tag)
{
    const char *a = p;
    if (p == e || *p == '*')
        return 0;
    if (*p == '"') {
        /* no backslash and no control byte (not even a fold's): what the
         * quoted-string scanner accepts without a second look */
        const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));
        if (!q || memchr(p + 1, '\\', (size_t)(q - p - 1)) || find_nontext(p + 1, q) != q)
            return 0;
        a = sipmsg_skip_lws_(q + 1, e);
        if (a == e || *a != '<')
            return 0;
    } else if (*p != '<') {
        a = scan_class(p, e, C_TOKEN | C_WS); /* a display name, or the URI */
        if (a == e || *a != '<')
            a = p;
    }
    if (*a == '<') {
        /* '>' is a URI stop: when the first stop is a '>', it is the first
         * '>' and the URI before it holds no stop, so its shape only needs
         * the scheme */
        const char *close = find_uristop(a + 1, e);
        if (close == e || *close != '>' || !sipmsg_uri_scheme_ok_(a + 1, close))
            return 0;
        return fast_tag_params(close + 1, e, tag);
    }
    /* a bare URI ends at the first ';' (SP, HTAB, CR and LF, which also end
     * it, are URI stops, so a URI that ends there is not plain); C_ADDRSTOP
     * holds every URI stop, so the shape again only needs the scheme */
    const char *u = find_addrstop(a, e);
    if ((u < e && *u != ';') || !sipmsg_uri_scheme_ok_(a, u))
        return 0;
    return fast_tag_params(u, e, tag);
}

/*
 * The top Via as nearly every message writes it: "SIP/2.0/" transport, one
 * SP, sent-by, then ";name[=value]" parameters with no whitespace, quotes
 * or empty parameters, ttl and maddr absent, no comma (one via-parm, not
 * a list: no byte accepted after the host is a comma). Returns 1 with *q
 * filled when [p, e) has that form (sipmsg_via_parse would then accept it
 * and give the same fields: the host and port go through the same
 * sipmsg_hostport_ and the values through the same checks), or 0 for
 * anything else, which the caller hands to sipmsg_via_parse for the full
 * grammar and its error.
 */
int sipmsg_via_fast_(sipmsg_top_via *q, const char *p, const char *e)
{
    if (e - p <= 8 || memcmp(p, "SIP/2.0/", 8) != 0)
        return 0;
    const char *t = scan_class(p + 8, e, C_TOKEN);
    if (t == p + 8 || e - t < 2 || *t != ' ')
        return 0;
    q->transport = mkslice(p + 8, t);
    struct sipmsg_hostport_ hp;
    sipmsg_code code = SIPMSG_OK;
    const char *h = sipmsg_hostport_(t + 1, e, 1, &hp, &code);
    if (code)
        return 0;
    q->host = hp.host;
    q->port = hp.port;
    sipmsg_slice none = {NULL, 0};
    q->branch = q->received = q->rport = q->maddr = none;
    q->rport_port = 0;
    q->rport_requested = 0;
    q->ttl = -1;
    while (h < e) {
        sipmsg_slice name, value;
        const char *n = sipmsg_fast_param_(h, e, &name, &value);
        if (!n)
            return 0;
        uint32_t num;
        if (LETTERS_IS(name, "branch")) {
            if (!value.ptr)
                return 0;
            if (!q->branch.ptr) /* a repeated parameter: the first counts */
                q->branch = value;
        } else if (LETTERS_IS(name, "received")) {
            if (!value.ptr || !sipmsg_via_received_ok_(value))
                return 0;
            if (!q->received.ptr)
                q->received = value;
        } else if (LETTERS_IS(name, "rport")) {
            if (value.ptr &&
                sipmsg_uint_parse(value, 65535, &num, SIPMSG_E_PORT) != SIPMSG_OK)
                return 0;
            q->rport =
                value.ptr ? value : mkslice(name.ptr + name.len, name.ptr + name.len);
            q->rport_port = value.ptr ? num : 0;
            q->rport_requested = !value.ptr;
        } else if (LETTERS_IS(name, "ttl") || LETTERS_IS(name, "maddr")) {
            return 0;
        }
        h = n;
    }
    return 1;
}
