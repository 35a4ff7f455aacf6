/*
 * uri.c - SIP, SIPS, tel and other URIs (RFC 3261 19.1 and 25.1, RFC 3966,
 * RFC 5118), hosts, and URI comparison (RFC 3261 19.1.4).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "uri_internal.h"

#include "error.h"
#include "hex.h"
#include "mem.h"

/* ---- URI ------------------------------------------------------------------- */

static sipmsg_code uri_fail(sipmsg_error *err, sipmsg_code code, const char *base,
                            const char *at, const char *msg)
{
    return seterr(err, code, (size_t)(at - base), -1, msg);
}

/* Fills the well-known uri-parameters and checks the syntax of them all. */
static sipmsg_code uri_params(sipmsg_uri *u, const char *base, sipmsg_error *err)
{
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_error e2;
    int r;
    sipmsg_param_iter_init(&it, u->params, SIPMSG_PARAMS_URI);
    while ((r = sipmsg_param_next(&it, &prm, &e2)) > 0) {
        sipmsg_slice *slot = SLICE_IS(prm.name, "transport") ? &u->transport
                             : SLICE_IS(prm.name, "user")    ? &u->user_param
                             : SLICE_IS(prm.name, "method")  ? &u->method
                             : SLICE_IS(prm.name, "maddr")   ? &u->maddr
                             : SLICE_IS(prm.name, "ttl")     ? &u->ttl
                                                             : NULL;
        if (SLICE_IS(prm.name, "lr"))
            u->lr = 1;
        else if (slot && !slot->ptr) /* a repeated parameter: the first counts */
            *slot = prm.value.ptr ? prm.value : prm.name;
    }
    if (r < 0)
        return uri_fail(err, e2.code, base, u->params.ptr + e2.offset, e2.msg);
    return SIPMSG_OK;
}

/* headers = "?" header *( "&" header ); header = hname "=" hvalue */
static const char *uri_headers(const char *p, const char *e)
{
    for (;;) {
        const char *n = sipmsg_scan_uri_chars_(p, e, C_UNRESERVED | C_HNV);
        if (!n || n == p || n == e || *n != '=')
            return n && n == p ? p : n;
        p = sipmsg_scan_uri_chars_(n + 1, e, C_UNRESERVED | C_HNV);
        if (!p || p == e || *p != '&')
            return p;
        p++;
    }
}

/* userinfo = ( user / telephone-subscriber ) [ ":" password ] "@" */
static sipmsg_code uri_userinfo(sipmsg_uri *u, const char *base, const char *p,
                                const char *at, sipmsg_error *err)
{
    const char *colon = memchr(p, ':', (size_t)(at - p));
    const char *ue = colon ? colon : at;
    const char *q = sipmsg_scan_uri_chars_(p, ue, C_UNRESERVED | C_USER);
    if (q == p)
        return uri_fail(err, SIPMSG_E_URI, base, p, "empty user part");
    if (q != ue)
        return uri_fail(err, SIPMSG_E_URI, base, q ? q : p, "bad character in user part");
    u->user = mkslice(p, ue);
    if (colon) {
        q = sipmsg_scan_uri_chars_(colon + 1, at, C_UNRESERVED | C_PASSWORD);
        if (q != at)
            return uri_fail(err, SIPMSG_E_URI, base, q ? q : colon,
                            "bad character in password");
        u->password = mkslice(colon + 1, at);
    }
    return SIPMSG_OK;
}

/* SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ] */
static sipmsg_code uri_sip(sipmsg_uri *u, const char *base, const char *p, const char *e,
                           sipmsg_error *err)
{
    const char *at = memchr(p, '@', (size_t)(e - p));
    sipmsg_code code = SIPMSG_OK;
    if (at && (code = uri_userinfo(u, base, p, at, err)) != SIPMSG_OK)
        return code;
    struct sipmsg_hostport_ hp;
    const char *q = sipmsg_hostport_(at ? at + 1 : p, e, 0, &hp, &code);
    if (code)
        return uri_fail(err, code, base, q, NULL);
    u->host = hp.host;
    u->host_type = (sipmsg_host_type)hp.type;
    u->port = hp.port;
    if (q < e && *q == ';') {
        const char *pe = memchr(q, '?', (size_t)(e - q));
        u->params = mkslice(q, pe ? pe : e);
        if ((code = uri_params(u, base, err)) != SIPMSG_OK)
            return code;
        q = u->params.ptr + u->params.len;
    }
    if (q < e && *q == '?') {
        const char *he = uri_headers(q + 1, e);
        if (he != e)
            return uri_fail(err, SIPMSG_E_URI, base, he ? he : q, "bad URI header");
        u->headers = mkslice(q + 1, e);
        q = e;
    }
    if (q != e)
        return uri_fail(err, SIPMSG_E_URI, base, q, "unexpected character in URI");
    return SIPMSG_OK;
}

/* telephone-uri = "tel:" telephone-subscriber; the number, then ;params */
static sipmsg_code uri_tel(sipmsg_uri *u, const char *base, const char *p, const char *e,
                           sipmsg_error *err)
{
    const char *n = p;
    while (n < e && *n != ';' &&
           (cis((unsigned char)*n, C_HEX | C_ALPHA) || (*n && strchr("+-.()*#", *n))))
        n++;
    if (n == p)
        return uri_fail(err, SIPMSG_E_URI, base, p, "empty telephone number");
    u->user = mkslice(p, n);
    if (n < e) {
        if (*n != ';')
            return uri_fail(err, SIPMSG_E_URI, base, n,
                            "bad character in telephone number");
        u->params = mkslice(n, e);
        return uri_params(u, base, err);
    }
    return SIPMSG_OK;
}

static int scheme_is(const char *p, const char *e, const char *name)
{
    size_t n = strlen(name);
    return (size_t)(e - p) == n && sipmsg_memcaseeq_(p, name, n);
}

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. Returns
 * the ':' or NULL with the error filled. */
static const char *uri_scheme(const char *s, const char *e, sipmsg_error *err)
{
    const char *colon = sipmsg_scheme_end_(s, e);
    if (colon)
        return colon;
    if (s == e || !cis((unsigned char)*s, C_ALPHA)) {
        uri_fail(err, SIPMSG_E_URI, s, s, "URI must start with a scheme");
        return NULL;
    }
    const char *p = s + 1; /* where the scheme stops without a ':' */
    while (p < e && (cis((unsigned char)*p, C_ALPHA | C_DIGIT) || *p == '+' ||
                     *p == '-' || *p == '.'))
        p++;
    uri_fail(err, SIPMSG_E_URI, s, p, "missing ':' after URI scheme");
    return NULL;
}

/* The part after "scheme:" of any URI: not empty, and none of CTL, SP, '<',
 * '>' or '"', which no URI holds unescaped. */
static sipmsg_code uri_opaque(const char *s, const char *r, const char *e,
                              sipmsg_error *err)
{
    if (r == e)
        return uri_fail(err, SIPMSG_E_URI, s, r, "empty URI after scheme");
    const char *q = find_uristop(r, e);
    if (q != e)
        return uri_fail(err, SIPMSG_E_URI, s, q, "bad character in URI");
    return SIPMSG_OK;
}

sipmsg_code sipmsg_uri_shape_(const char *p, const char *e, sipmsg_error *err)
{
    const char *colon = uri_scheme(p, e, err);
    return colon ? uri_opaque(p, colon + 1, e, err) : SIPMSG_E_URI;
}

sipmsg_code sipmsg_uri_parse(sipmsg_uri *u, sipmsg_slice text, sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    const char *e = p + len, *s = p;
    sipmsg_fill_(u, 0, sizeof *u);
    if ((p = uri_scheme(s, e, err)) == NULL)
        return SIPMSG_E_URI;
    u->scheme = mkslice(s, p);
    const char *r = p + 1;
    if (scheme_is(s, p, "sip") || scheme_is(s, p, "sips")) {
        u->scheme_id = p - s == 3 ? SIPMSG_SCHEME_SIP : SIPMSG_SCHEME_SIPS;
        return uri_sip(u, s, r, e, err);
    }
    if (scheme_is(s, p, "tel")) {
        u->scheme_id = SIPMSG_SCHEME_TEL;
        return uri_tel(u, s, r, e, err);
    }
    /* absoluteURI: kept as scheme + opaque part, whatever the scheme */
    sipmsg_code c = uri_opaque(s, r, e, err);
    if (c)
        return c;
    u->scheme_id = SIPMSG_SCHEME_OTHER;
    u->opaque = mkslice(r, e);
    return SIPMSG_OK;
}

/* ---- escapes and comparison ------------------------------------------------ */

/* Reads one character of s at *i, decoding an escape; -1 at the end. */
static int next_char(sipmsg_slice s, size_t *i)
{
    if (*i >= s.len)
        return -1;
    unsigned char c = (unsigned char)s.ptr[*i];
    if (c == '%' && *i + 2 < s.len && cis((unsigned char)s.ptr[*i + 1], C_HEX) &&
        cis((unsigned char)s.ptr[*i + 2], C_HEX)) {
        int v = (int)(sipmsg_hex_value_((unsigned char)s.ptr[*i + 1]) * 16 +
                      sipmsg_hex_value_((unsigned char)s.ptr[*i + 2]));
        *i += 3;
        return v;
    }
    (*i)++;
    return c;
}

size_t sipmsg_unescape(sipmsg_slice s, char *out, size_t cap)
{
    size_t i = 0, n = 0;
    while (i < s.len) {
        if (s.ptr[i] == '%' &&
            (i + 2 >= s.len || !cis((unsigned char)s.ptr[i + 1], C_HEX) ||
             !cis((unsigned char)s.ptr[i + 2], C_HEX)))
            return (size_t)-1;
        int c = next_char(s, &i);
        if (n < cap)
            out[n] = (char)c;
        n++;
    }
    return n;
}

/* Equality after decoding escapes; `fold` compares ASCII case-insensitively. */
static int unesc_eq(sipmsg_slice a, sipmsg_slice b, int fold)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    size_t i = 0, j = 0;
    for (;;) {
        int x = next_char(a, &i), y = next_char(b, &j);
        if (fold && x >= 0 && y >= 0) {
            x = lower((unsigned char)x);
            y = lower((unsigned char)y);
        }
        if (x != y)
            return 0;
        if (x < 0)
            return 1;
    }
}

static int is_special_param(sipmsg_slice name)
{
    return SLICE_IS(name, "user") || SLICE_IS(name, "ttl") || SLICE_IS(name, "method") ||
           SLICE_IS(name, "maddr") || SLICE_IS(name, "transport");
}

/* Finds parameter `name` in URI params, comparing names after unescaping. */
static int uri_param_get(sipmsg_slice params, sipmsg_slice name, sipmsg_param *out)
{
    sipmsg_param_iter it;
    sipmsg_param_iter_init(&it, params, SIPMSG_PARAMS_URI);
    while (sipmsg_param_next(&it, out, NULL) > 0)
        if (unesc_eq(out->name, name, 1))
            return 1;
    return 0;
}

/* Every parameter of `a` either matches in `b`, or (when not special) is
 * absent from `b`. Called both ways. Quadratic in the number of parameters,
 * which a URI keeps small; parsing itself stays linear. */
static int params_match(sipmsg_slice a, sipmsg_slice b)
{
    sipmsg_param_iter it;
    sipmsg_param pa, pb;
    sipmsg_param_iter_init(&it, a, SIPMSG_PARAMS_URI);
    while (sipmsg_param_next(&it, &pa, NULL) > 0) {
        sipmsg_param first;
        /* a repeated name (RFC 3261 19.1.1 forbids it): the first counts */
        if (uri_param_get(a, pa.name, &first) && first.name.ptr != pa.name.ptr)
            continue;
        if (!uri_param_get(b, pa.name, &pb)) {
            if (is_special_param(pa.name))
                return 0;
            continue;
        }
        if (!unesc_eq(pa.value, pb.value, 1))
            return 0;
    }
    return 1;
}

/* The next '&'-separated header of [*p, e) as name and value; advances *p
 * past it (never beyond e). */
static void next_uri_header(const char **p, const char *e, sipmsg_slice *n,
                            sipmsg_slice *v)
{
    const char *amp = memchr(*p, '&', (size_t)(e - *p));
    const char *he = amp ? amp : e;
    const char *eq = memchr(*p, '=', (size_t)(he - *p));
    *n = mkslice(*p, eq ? eq : he);
    *v = mkslice(eq ? eq + 1 : he, he);
    *p = he < e ? he + 1 : e;
}

/* Every header of `a` is in `b` with the same value. */
static int headers_subset(sipmsg_slice a, sipmsg_slice b)
{
    if (!a.ptr)
        return 1;
    if (!b.ptr)
        return a.len == 0;
    const char *p = a.ptr, *e = a.ptr + a.len;
    while (p < e) {
        sipmsg_slice n, v, bn, bv;
        next_uri_header(&p, e, &n, &v);
        int found = 0;
        const char *q = b.ptr, *f = b.ptr + b.len;
        while (q < f && !found) {
            next_uri_header(&q, f, &bn, &bv);
            found = unesc_eq(n, bn, 1) && unesc_eq(v, bv, 0);
        }
        if (!found)
            return 0;
    }
    return 1;
}

static int visual_separator(char c)
{
    return c == '-' || c == '.' || c == '(' || c == ')';
}

/* tel numbers compare without visual separators ("-", ".", "(", ")"). */
static int tel_number_eq(sipmsg_slice a, sipmsg_slice b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a.len && visual_separator(a.ptr[i]))
            i++;
        while (j < b.len && visual_separator(b.ptr[j]))
            j++;
        if (i == a.len || j == b.len)
            return i == a.len && j == b.len;
        if (lower((unsigned char)a.ptr[i++]) != lower((unsigned char)b.ptr[j++]))
            return 0;
    }
}

int sipmsg_uri_equal(const sipmsg_uri *a, const sipmsg_uri *b)
{
    if (a->scheme_id != b->scheme_id)
        return 0;
    if (a->scheme_id == SIPMSG_SCHEME_OTHER)
        return sipmsg_memcaseeq_(a->scheme.ptr, b->scheme.ptr, a->scheme.len) &&
               a->scheme.len == b->scheme.len && a->opaque.len == b->opaque.len &&
               memcmp(a->opaque.ptr, b->opaque.ptr, a->opaque.len) == 0;
    if (a->scheme_id == SIPMSG_SCHEME_TEL)
        return tel_number_eq(a->user, b->user) && params_match(a->params, b->params) &&
               params_match(b->params, a->params);
    return unesc_eq(a->user, b->user, 0) && unesc_eq(a->password, b->password, 0) &&
           unesc_eq(a->host, b->host, 1) && a->port == b->port &&
           params_match(a->params, b->params) && params_match(b->params, a->params) &&
           headers_subset(a->headers, b->headers) &&
           headers_subset(b->headers, a->headers);
}
