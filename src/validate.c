/*
 * validate.c - RFC 3261 message checks beyond parsing (sections 8.1.1, 8.2,
 * 16.3, 20): what a UAS or proxy must check before it answers.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "error.h"
#include "fields.h"
#include "nameaddr.h"

static sipmsg_code vfail(const sipmsg_msg *m, const sipmsg_header *h,
                         sipmsg_code code, const char *at, const char *msg,
                         sipmsg_error *err)
{
    seterr(err, code, at ? (size_t)(at - m->buf) : 0,
           h ? (int)(h - m->headers) : -1, msg);
    return code;
}

/* RFC 3261 8.1.1: To, From, CSeq, Call-ID, Via; Max-Forwards in requests.
 * RFC 3261 7.3.1 / 20: these and Content-Length appear once. */
static sipmsg_code check_presence(const sipmsg_msg *m, sipmsg_error *err)
{
    static const struct { sipmsg_hdr_id id; const char *missing; } need[] = {
        {SIPMSG_HDR_TO, "mandatory header missing: To"},
        {SIPMSG_HDR_FROM, "mandatory header missing: From"},
        {SIPMSG_HDR_CSEQ, "mandatory header missing: CSeq"},
        {SIPMSG_HDR_CALL_ID, "mandatory header missing: Call-ID"},
        {SIPMSG_HDR_VIA, "mandatory header missing: Via"},
        {SIPMSG_HDR_MAX_FORWARDS, "mandatory header missing: Max-Forwards"},
        {SIPMSG_HDR_CONTENT_LENGTH, NULL},
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        const sipmsg_header *h = sipmsg_find(m, need[i].id);
        if (!h) {
            /* Max-Forwards: requests only, and not from RFC 2543 elements
             * (no magic cookie in the top branch: RFC 4475 3.4). */
            if (need[i].missing && (need[i].id != SIPMSG_HDR_MAX_FORWARDS ||
                                    (m->is_request && sipmsg_branch_is_rfc3261(m->via.branch))))
                return vfail(m, NULL, SIPMSG_E_MISSING_HEADER, NULL, need[i].missing, err);
            continue;
        }
        const sipmsg_header *dup = sipmsg_find_next(m, h);
        if (dup && need[i].id != SIPMSG_HDR_VIA)
            return vfail(m, dup, SIPMSG_E_DUPLICATE_HEADER, dup->name.ptr, NULL, err);
    }
    return SIPMSG_OK;
}

static sipmsg_code check_start(const sipmsg_msg *m, sipmsg_error *err)
{
    if (m->version_major != 2 || m->version_minor != 0)
        return vfail(m, NULL, SIPMSG_E_VERSION_UNSUPPORTED, m->version.ptr, NULL, err);
    if (!m->is_request)
        return SIPMSG_OK;
    const sipmsg_slice ru = m->request_uri;
    if (ru.ptr[0] == '<')
        return vfail(m, NULL, SIPMSG_E_REQUEST_URI, ru.ptr, "Request-URI inside <>", err);
    sipmsg_uri u;
    sipmsg_error e2;
    if (sipmsg_uri_parse(&u, ru.ptr, ru.len, &e2) != SIPMSG_OK)
        return vfail(m, NULL, SIPMSG_E_REQUEST_URI, ru.ptr + e2.offset, e2.msg, err);
    if (u.headers.ptr) /* RFC 3261 19.1.5: not allowed in a Request-URI */
        return vfail(m, NULL, SIPMSG_E_REQUEST_URI, u.headers.ptr - 1,
                     "URI headers ('?') in the Request-URI", err);
    if (m->cseq_method_name.ptr &&
        (m->cseq_method_name.len != m->method_name.len ||
         memcmp(m->cseq_method_name.ptr, m->method_name.ptr, m->method_name.len) != 0))
        return vfail(m, sipmsg_find(m, SIPMSG_HDR_CSEQ), SIPMSG_E_CSEQ_METHOD,
                     m->cseq_method_name.ptr, NULL, err);
    return SIPMSG_OK;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static int qvalue_ok(sipmsg_slice q)
{
    const char *p = q.ptr, *e = q.ptr + q.len;
    if (p == e || (*p != '0' && *p != '1'))
        return 0;
    int one = *p++ == '1';
    if (p == e)
        return 1;
    if (*p++ != '.' || e - p > 3)
        return 0;
    for (; p < e; p++)
        if (!cis((unsigned char)*p, C_DIGIT) || (one && *p != '0'))
            return 0;
    return 1;
}

/* The first empty parameter (";;") of a header-style list, or NULL. */
static const char *first_empty_param(sipmsg_slice params)
{
    sipmsg_param_iter pi;
    sipmsg_param prm;
    sipmsg_param_iter_init(&pi, params, 0);
    while (sipmsg_param_next(&pi, &prm, NULL) > 0)
        ;
    return pi.first_empty;
}

/* Walks every element of a name-addr list header (Contact, Route ...). */
static sipmsg_code check_nameaddrs(const sipmsg_msg *m, sipmsg_hdr_id id,
                                   sipmsg_code code, sipmsg_error *err)
{
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na;
    int r, n = 0, star = 0;
    sipmsg_nameaddr_iter_init(&it, m, id);
    while ((r = sipmsg_nameaddr_next(&it, &na, err)) > 0) {
        n++;
        star |= na.star;
        if ((na.star && id != SIPMSG_HDR_CONTACT) ||
            (!na.angle && (id == SIPMSG_HDR_ROUTE || id == SIPMSG_HDR_RECORD_ROUTE)))
            return vfail(m, it.h, code, na.uri_text.ptr, "URI must be inside <>", err);
        uint32_t secs;
        if (na.expires.ptr &&
            sipmsg_expires_parse(na.expires.ptr, na.expires.len, &secs) != SIPMSG_OK)
            return vfail(m, it.h, code, na.expires.ptr, "bad expires parameter", err);
        if (na.q.ptr && !qvalue_ok(na.q))
            return vfail(m, it.h, code, na.q.ptr, "bad q parameter (must be 0 to 1)", err);
        const char *empty = first_empty_param(na.params);
        if (empty)
            return vfail(m, it.h, SIPMSG_E_EMPTY_ELEMENT, empty, NULL, err);
    }
    if (r < 0) {
        if (err)
            err->code = code;
        return code;
    }
    if (star && n > 1)
        return vfail(m, sipmsg_find(m, id), code, NULL, "Contact '*' mixed with addresses", err);
    return SIPMSG_OK;
}

static sipmsg_code check_vias(const sipmsg_msg *m, sipmsg_error *err)
{
    sipmsg_via_iter it;
    sipmsg_via v;
    int r;
    sipmsg_via_iter_init(&it, m);
    while ((r = sipmsg_via_next(&it, &v, err)) > 0) {
        const char *empty = first_empty_param(v.params);
        if (!empty)
            empty = it.list.first_empty;
        if (empty)
            return vfail(m, it.h, SIPMSG_E_EMPTY_ELEMENT, empty, NULL, err);
    }
    return r < 0 ? (err ? err->code : SIPMSG_E_VIA) : SIPMSG_OK;
}

/* Headers with a typed parser must parse cleanly. */
static sipmsg_code check_values(const sipmsg_msg *m, sipmsg_error *err)
{
    for (size_t i = 0; i < m->count; i++) {
        const sipmsg_header *h = &m->headers[i];
        const char *p = h->value.ptr;
        size_t n = h->value.len;
        sipmsg_code c = SIPMSG_OK;
        uint32_t u;
        sipmsg_event ev;
        sipmsg_media_type mt;
        switch (h->id) {
        case SIPMSG_HDR_EXPIRES:
        case SIPMSG_HDR_MIN_EXPIRES:
            c = sipmsg_expires_parse(p, n, &u);
            break;
        case SIPMSG_HDR_EVENT:
            c = sipmsg_event_parse(&ev, p, n, NULL);
            break;
        case SIPMSG_HDR_CONTENT_TYPE:
            c = sipmsg_media_type_parse(&mt, p, n, NULL);
            break;
        case SIPMSG_HDR_ALLOW: case SIPMSG_HDR_SUPPORTED: case SIPMSG_HDR_REQUIRE:
        case SIPMSG_HDR_PROXY_REQUIRE: case SIPMSG_HDR_UNSUPPORTED:
        case SIPMSG_HDR_ALLOW_EVENTS: {
            sipmsg_list_iter it;
            sipmsg_slice el;
            int r;
            sipmsg_list_init(&it, h->value);
            while ((r = sipmsg_list_next(&it, &el, NULL)) > 0)
                for (size_t k = 0; k < el.len && !c; k++)
                    if (!cis((unsigned char)el.ptr[k], C_TOKEN))
                        c = SIPMSG_E_LIST;
            if (r < 0)
                c = SIPMSG_E_LIST;
            else if (!c && it.empty) {
                c = SIPMSG_E_EMPTY_ELEMENT;
                p = it.first_empty;
            }
            break;
        }
        case SIPMSG_HDR_DATE: /* rfc1123-date ends in "GMT" (RFC 3261 20.17) */
            if (n < 3 || memcmp(p + n - 3, "GMT", 3) != 0)
                c = SIPMSG_E_HEADER_VALUE;
            break;
        default:
            break;
        }
        if (c)
            return vfail(m, h, c, p, NULL, err);
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_validate(const sipmsg_msg *m, sipmsg_error *err)
{
    static const sipmsg_hdr_id addr_ids[] = {
        SIPMSG_HDR_FROM, SIPMSG_HDR_TO, SIPMSG_HDR_CONTACT, SIPMSG_HDR_ROUTE,
        SIPMSG_HDR_RECORD_ROUTE, SIPMSG_HDR_REPLY_TO, SIPMSG_HDR_P_ASSERTED_IDENTITY};
    static const sipmsg_code addr_codes[] = {
        SIPMSG_E_NAME_ADDR, SIPMSG_E_NAME_ADDR, SIPMSG_E_CONTACT, SIPMSG_E_NAME_ADDR,
        SIPMSG_E_NAME_ADDR, SIPMSG_E_NAME_ADDR, SIPMSG_E_NAME_ADDR};
    sipmsg_code c;
    if ((c = check_start(m, err)) || (c = check_presence(m, err)) ||
        (c = check_vias(m, err)) || (c = check_values(m, err)))
        return c;
    for (size_t i = 0; i < sizeof addr_ids / sizeof addr_ids[0]; i++)
        if ((c = check_nameaddrs(m, addr_ids[i], addr_codes[i], err)) != SIPMSG_OK)
            return c;
    return SIPMSG_OK;
}
