/*
 * nameaddr.c - name-addr / addr-spec with header parameters (RFC 3261
 * section 25.1: From, To, Contact, Route, Record-Route, Reply-To ...).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "nameaddr.h"

#include "error.h"
#include "mem.h"

static sipmsg_code na_fail(sipmsg_error *err, sipmsg_code code, const char *base,
                           const char *at, const char *msg)
{
    return seterr(err, code, (size_t)(at - base), -1, msg);
}

/* Parses the URI of [p, e) (in full, or its shape only) and shifts an error
 * offset to count from base. */
static sipmsg_code na_uri(sipmsg_nameaddr *na, const char *base, const char *p,
                          const char *e, int full, sipmsg_error *err)
{
    na->uri_text = mkslice(p, e);
    sipmsg_code c = full ? sipmsg_uri_parse(&na->uri, mkslice(p, e), err)
                         : sipmsg_uri_shape_(p, e, err);
    if (c && err)
        err->offset += (size_t)(p - base);
    return c;
}

/* *( SEMI generic-param ), with the tag, expires and q shortcuts. */
static sipmsg_code na_params(sipmsg_nameaddr *na, const char *base, const char *p,
                             const char *e, sipmsg_error *err)
{
    p = sipmsg_skip_lws_(p, e);
    if (p == e)
        return SIPMSG_OK;
    if (*p != ';')
        return na_fail(err, SIPMSG_E_NAME_ADDR, base, p, "unexpected text after the URI");
    na->params = mkslice(p, e);
    sipmsg_param_iter it;
    sipmsg_param prm;
    int r;
    sipmsg_param_iter_init(&it, na->params, 0);
    while ((r = sipmsg_param_next(&it, &prm, err)) > 0) {
        sipmsg_slice v = prm.value.ptr ? prm.value
                                       : mkslice(prm.name.ptr + prm.name.len,
                                                 prm.name.ptr + prm.name.len);
        sipmsg_slice *slot = SLICE_IS(prm.name, "tag")       ? &na->tag
                             : SLICE_IS(prm.name, "expires") ? &na->expires
                             : SLICE_IS(prm.name, "q")       ? &na->q
                                                             : NULL;
        if (slot && !slot->ptr) /* a repeated parameter: the first counts */
            *slot = v;
    }
    if (r < 0 && err)
        err->offset += (size_t)(p - base);
    return r < 0 ? (err ? err->code : SIPMSG_E_PARAM) : SIPMSG_OK;
}

/* display-name = *(token LWS) / quoted-string; returns where '<' is
 * expected, or NULL with *code set. A missing display name is fine. */
static const char *na_display(sipmsg_nameaddr *na, const char *p, const char *e,
                              sipmsg_code *code)
{
    if (*p == '"') {
        const char *q = sipmsg_skip_quoted_(p, e);
        if (!q) {
            *code = SIPMSG_E_QUOTE;
            return NULL;
        }
        na->display = mkslice(p + 1, q - 1);
        na->display_quoted = 1;
        return sipmsg_skip_lws_(q, e);
    }
    const char *t = p;
    while (t < e && (cis((unsigned char)*t, C_TOKEN) || is_lws((unsigned char)*t)))
        t++;
    if (t < e && *t == '<' && t > p)
        na->display = mkslice(p, sipmsg_trim_end_(p, t));
    return t < e && *t == '<' ? t : p;
}

/* (name-addr / addr-spec) *( SEMI generic-param ) */
static sipmsg_code na_parse(sipmsg_nameaddr *na, const char *p, size_t len, int full,
                            sipmsg_error *err)
{
    sipmsg_error local; /* sub-parsers report through it */
    if (!err)
        err = &local;
    const char *s = p, *e = p + len;
    sipmsg_code code = SIPMSG_OK;
    if (full) {
        sipmsg_fill_(na, 0, sizeof *na);
    } else { /* the scan leaves the large na->uri alone */
        memset(na, 0, offsetof(sipmsg_nameaddr, uri));
        memset(&na->params, 0, sizeof *na - offsetof(sipmsg_nameaddr, params));
    }
    p = sipmsg_skip_lws_(p, e);
    if (p == e)
        return na_fail(err, SIPMSG_E_NAME_ADDR, s, p, "empty address");
    if (*p == '*') {
        if (sipmsg_skip_lws_(p + 1, e) != e)
            return na_fail(err, SIPMSG_E_NAME_ADDR, s, p + 1, "text after '*'");
        na->star = 1;
        return SIPMSG_OK;
    }
    const char *a = na_display(na, p, e, &code);
    if (!a)
        return na_fail(err, code, s, p, NULL);
    if (a < e && *a == '<') {
        const char *close = memchr(a, '>', (size_t)(e - a));
        if (!close)
            return na_fail(err, SIPMSG_E_NAME_ADDR, s, a, "'<' without '>'");
        na->angle = 1;
        if ((code = na_uri(na, s, a + 1, close, full, err)) != SIPMSG_OK)
            return code;
        return na_params(na, s, close + 1, e, err);
    }
    if (na->display_quoted)
        return na_fail(err, SIPMSG_E_NAME_ADDR, s, a,
                       "expected '<' after the display name");
    /* addr-spec: the URI ends at ';' or whitespace; what follows are header
     * parameters (RFC 3261 section 20: such URIs must not hold ';', ',' or
     * '?' outside angle brackets). */
    const char *u = a;
    while (u < e && !cis((unsigned char)*u, C_ADDREND))
        u++;
    const char *q = memchr(a, '?', (size_t)(u - a));
    if (q)
        return na_fail(err, SIPMSG_E_NAME_ADDR, s, q,
                       "URI holding '?' must be inside <>");
    if ((code = na_uri(na, s, a, u, full, err)) != SIPMSG_OK)
        return code;
    return na_params(na, s, u, e, err);
}

sipmsg_code sipmsg_nameaddr_parse(sipmsg_nameaddr *na, sipmsg_slice text,
                                  sipmsg_error *err)
{
    return na_parse(na, text.ptr, text.len, 1, err);
}

sipmsg_code sipmsg_nameaddr_scan_(sipmsg_nameaddr *na, const char *p, size_t len,
                                  sipmsg_error *err)
{
    return na_parse(na, p, len, 0, err);
}

/* ---- iteration over a message ---------------------------------------------- */

void sipmsg_nameaddr_iter_init(sipmsg_nameaddr_iter *it, const sipmsg_msg *m,
                               sipmsg_hdr_id id)
{
    it->m = m;
    it->h = sipmsg_find(m, id);
    if (it->h)
        sipmsg_list_init(&it->list, it->h->value);
}

int sipmsg_nameaddr_next(sipmsg_nameaddr_iter *it, sipmsg_nameaddr *out,
                         sipmsg_error *err)
{
    sipmsg_slice el;
    int r = sipmsg_hdr_elem_next_(it->m, &it->h, &it->list, &el, err);
    if (r > 0 && sipmsg_nameaddr_parse(out, el, err) != SIPMSG_OK) {
        sipmsg_err_in_header_(it->m, it->h, el.ptr, err);
        it->h = NULL;
        return -1;
    }
    return r;
}

static sipmsg_slice tag_of(const sipmsg_msg *m, sipmsg_hdr_id id)
{
    sipmsg_nameaddr na;
    const sipmsg_header *h = sipmsg_find(m, id);
    sipmsg_slice none = {NULL, 0};
    if (!h || sipmsg_nameaddr_scan_(&na, h->value.ptr, h->value.len, NULL) != SIPMSG_OK)
        return none;
    return na.tag;
}

sipmsg_slice sipmsg_from_tag(const sipmsg_msg *m)
{
    return tag_of(m, SIPMSG_HDR_FROM);
}

sipmsg_slice sipmsg_to_tag(const sipmsg_msg *m)
{
    return tag_of(m, SIPMSG_HDR_TO);
}
