/*
 * fields.c - single-valued header fields: CSeq, Max-Forwards, Expires, Call-ID,
 * Content-Type, Event (RFC 3261 section 25.1, RFC 6665 Event).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "fields.h"

#include "error.h"

/* 1*DIGIT with overflow checks; LWS around the number is allowed. */
sipmsg_code sipmsg_uint_parse(sipmsg_slice text, uint32_t max, uint32_t *out,
                              sipmsg_code code)
{
    const char *p = text.ptr;
    size_t len = text.len;
    const char *e = p + len;
    p = sipmsg_skip_lws_(p, e);
    e = sipmsg_trim_end_(p, e);
    if (p == e)
        return code;
    uint64_t v = 0;
    for (; p < e; p++) {
        if (!cis((unsigned char)*p, C_DIGIT))
            return code;
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > max)
            return code;
    }
    *out = (uint32_t)v;
    return SIPMSG_OK;
}

/* Max-Forwards = "Max-Forwards" HCOLON 1*DIGIT (0-255 in practice) */
sipmsg_code sipmsg_max_forwards_parse(sipmsg_slice text, uint32_t *out)
{
    return sipmsg_uint_parse(text, 255, out, SIPMSG_E_MAX_FORWARDS);
}

/* Expires = "Expires" HCOLON delta-seconds; delta-seconds = 1*DIGIT */
sipmsg_code sipmsg_expires_parse(sipmsg_slice text, uint32_t *out)
{
    return sipmsg_uint_parse(text, UINT32_MAX, out, SIPMSG_E_EXPIRES);
}

/* CSeq = "CSeq" HCOLON 1*DIGIT LWS Method */
sipmsg_code sipmsg_cseq_parse(sipmsg_cseq *c, sipmsg_slice text, sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    const char *s = p, *e = p + len;
    memset(c, 0, sizeof *c);
    p = sipmsg_skip_lws_(p, e);
    e = sipmsg_trim_end_(p, e);
    const char *d = p;
    uint64_t v = 0;
    while (p < e && cis((unsigned char)*p, C_DIGIT)) {
        v = v * 10 + (uint64_t)(*p++ - '0');
        if (v > UINT32_MAX)
            return seterr(err, SIPMSG_E_CSEQ_NUMBER, (size_t)(d - s), -1, NULL);
    }
    if (p == d)
        return seterr(err, SIPMSG_E_CSEQ, (size_t)(p - s), -1,
                      "bad CSeq: sequence number missing");
    const char *m = sipmsg_skip_lws_(p, e);
    if (m == p || m == e)
        return seterr(err, SIPMSG_E_CSEQ, (size_t)(p - s), -1,
                      "bad CSeq: expected a space and a method");
    const char *t = m;
    t = scan_class(t, e, C_TOKEN);
    if (t != e)
        return seterr(err, SIPMSG_E_CSEQ, (size_t)(t - s), -1, "bad CSeq: bad method");
    c->seq = (uint32_t)v;
    c->method_name = mkslice(m, e);
    c->method = sipmsg_method_lookup(mkslice(m, e));
    return SIPMSG_OK;
}

/* callid = word [ "@" word ]; returns the first byte that breaks the rule,
 * or NULL when [p, e) is a Call-ID. */
const char *sipmsg_call_id_bad_(const char *p, const char *e)
{
    const char *q = scan_class(p, e, C_WORD);
    if (q == p || q == e)
        return q == p ? p : NULL;
    if (*q != '@' || q + 1 == e)
        return q + (*q == '@');
    q = scan_class(q + 1, e, C_WORD);
    return q == e ? NULL : q;
}

sipmsg_code sipmsg_call_id_check(sipmsg_slice text)
{
    if (!text.ptr) /* absent: no Call-ID at all, like an empty one */
        return SIPMSG_E_CALL_ID;
    return sipmsg_call_id_bad_(text.ptr, text.ptr + text.len) ? SIPMSG_E_CALL_ID
                                                              : SIPMSG_OK;
}

/* token SLASH token, as in media-type; returns the end or NULL. */
static const char *type_subtype(const char *p, const char *e, sipmsg_slice *type,
                                sipmsg_slice *sub)
{
    const char *t = p;
    t = scan_class(t, e, C_TOKEN);
    if (t == p)
        return NULL;
    *type = mkslice(p, t);
    t = sipmsg_skip_lws_(t, e);
    if (t == e || *t != '/')
        return NULL;
    p = t = sipmsg_skip_lws_(t + 1, e);
    t = scan_class(t, e, C_TOKEN);
    if (t == p)
        return NULL;
    *sub = mkslice(p, t);
    return sipmsg_skip_lws_(t, e);
}

/* Checks the ;params at p (to e); the slice goes to *params. */
static sipmsg_code trailing_params(const char *s, const char *p, const char *e,
                                   sipmsg_slice *params, sipmsg_code code,
                                   sipmsg_error *err)
{
    if (p == e)
        return SIPMSG_OK;
    if (*p != ';')
        return seterr(err, code, (size_t)(p - s), -1, NULL);
    *params = mkslice(p, e);
    sipmsg_param_iter it;
    sipmsg_param prm;
    int r;
    sipmsg_param_iter_init(&it, *params, 0);
    while ((r = sipmsg_param_next(&it, &prm, err)) > 0)
        ;
    if (r < 0 && err) {
        err->offset += (size_t)(p - s);
        err->code = code;
    }
    return r < 0 ? code : SIPMSG_OK;
}

/* media-type = m-type SLASH m-subtype *( SEMI m-parameter ) */
sipmsg_code sipmsg_media_type_parse(sipmsg_media_type *mt, sipmsg_slice text,
                                    sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    sipmsg_error local; /* sub-parsers report through it */
    if (!err)
        err = &local;
    const char *s = p, *e = p + len;
    memset(mt, 0, sizeof *mt);
    p = sipmsg_skip_lws_(p, e);
    const char *q = type_subtype(p, e, &mt->type, &mt->subtype);
    if (!q)
        return seterr(err, SIPMSG_E_CONTENT_TYPE, (size_t)(p - s), -1,
                      "bad Content-Type: expected type/subtype");
    sipmsg_code c = trailing_params(s, q, e, &mt->params, SIPMSG_E_CONTENT_TYPE, err);
    if (c)
        return c;
    sipmsg_param prm;
    if (sipmsg_param_find(mt->params, "charset", &prm))
        mt->charset = prm.value;
    if (sipmsg_param_find(mt->params, "boundary", &prm))
        mt->boundary = prm.value;
    return SIPMSG_OK;
}

/* Event = ( "Event" / "o" ) HCOLON event-type *( SEMI event-param ) */
sipmsg_code sipmsg_event_parse(sipmsg_event *ev, sipmsg_slice text, sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    sipmsg_error local; /* sub-parsers report through it */
    if (!err)
        err = &local;
    const char *s = p, *e = p + len;
    memset(ev, 0, sizeof *ev);
    p = sipmsg_skip_lws_(p, e);
    const char *t = p;
    t = scan_class(t, e, C_TOKEN);
    if (t == p)
        return seterr(err, SIPMSG_E_HEADER_VALUE, (size_t)(p - s), -1,
                      "bad Event: expected an event type");
    ev->type = mkslice(p, t);
    sipmsg_code c = trailing_params(s, sipmsg_skip_lws_(t, e), e, &ev->params,
                                    SIPMSG_E_HEADER_VALUE, err);
    sipmsg_param prm;
    if (!c && sipmsg_param_find(ev->params, "id", &prm))
        ev->id = prm.value;
    return c;
}

/* Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT
 * No sign, no space, at most INT32_MAX. Returns NULL with *out set, or the
 * offending byte with *why set. Shared by the parser and the edits. */
const char *sipmsg_content_length_(sipmsg_slice v, int64_t *out, const char **why)
{
    const char *p = v.ptr, *e = v.ptr + v.len;
    uint64_t n = 0;
    if (p == e)
        return *why = "empty Content-Length", p;
    for (; p < e; p++) {
        if (!cis((unsigned char)*p, C_DIGIT))
            return *why = "Content-Length is not a decimal number", p;
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > (uint64_t)INT32_MAX)
            return *why = "Content-Length too large", p;
    }
    *out = (int64_t)n;
    return NULL;
}
