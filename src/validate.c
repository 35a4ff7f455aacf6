/*
 * validate.c - RFC 3261 message checks beyond parsing (sections 8.1.1, 8.2,
 * 10.2.1.1, 16.3, 20, 25), each finding with a severity and, for a request
 * that must be rejected, the response status (see sipmsg/validate.h for the
 * rules).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Only the public API is used here: the checks read the parsed message
 * through the typed parsers of header.h and uri.h.
 */
#include "sipmsg/header.h"
#include "sipmsg/validate.h"

#include <string.h>

/* The state of one run over a message. */
typedef struct vrun {
    const sipmsg_msg *m;
    unsigned flags;
    const char *supported;
    sipmsg_finding_fn fn;
    void *ctx;
    size_t n; /* findings reported */
    int stop; /* fn asked to stop */
} vrun;

/* Reports one finding: at `at` (a pointer into the message, or NULL),
 * inside header h (or NULL). */
static void found(vrun *v, sipmsg_severity sev, sipmsg_code code, int status,
                  const sipmsg_header *h, const char *at, const char *msg)
{
    if (v->stop)
        return;
    sipmsg_finding f;
    f.code = code;
    f.severity = sev;
    f.header = h ? (int)(h - v->m->headers) : -1;
    f.offset = at ? (size_t)(at - v->m->buf) : 0;
    /* a response is never answered; a warning does not reject */
    f.status = sev == SIPMSG_SEVERITY_ERROR && v->m->is_request ? status : 0;
    f.msg = msg ? msg : sipmsg_strerror(code);
    v->n++;
    if (v->fn(v->ctx, &f) != 0)
        v->stop = 1;
}

static void error400(vrun *v, sipmsg_code code, const sipmsg_header *h, const char *at,
                     const char *msg)
{
    found(v, SIPMSG_SEVERITY_ERROR, code, 400, h, at, msg);
}

static void warning(vrun *v, sipmsg_code code, const sipmsg_header *h, const char *at,
                    const char *msg)
{
    found(v, SIPMSG_SEVERITY_WARNING, code, 0, h, at, msg);
}

static int lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int slice_caseeq(sipmsg_slice a, sipmsg_slice b)
{
    if (a.len != b.len)
        return 0;
    for (size_t i = 0; i < a.len; i++)
        if (lower((unsigned char)a.ptr[i]) != lower((unsigned char)b.ptr[i]))
            return 0;
    return 1;
}

/* RFC 3261 token character. */
static int is_token(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-.!%*_+`'~", c));
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ---- start line ------------------------------------------------------------ */

static int is_method(const sipmsg_msg *m, const char *name)
{
    return sipmsg_slice_eq(m->method_name, name);
}

static void check_start(vrun *v)
{
    const sipmsg_msg *m = v->m;
    if (m->version_major != 2 || m->version_minor != 0)
        found(v, SIPMSG_SEVERITY_ERROR, SIPMSG_E_VERSION_UNSUPPORTED, 505, NULL,
              m->version.ptr, NULL);
    if (!m->is_request) {
        /* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase: the
         * parse tolerates "SIP/2.0 200" and the line end. */
        const char *end = m->start_line.ptr + m->start_line.len;
        if (m->reason.ptr == end && m->reason.len == 0 && end[-1] != ' ')
            warning(v, SIPMSG_E_START_LINE, NULL, end,
                    "no SP after the status code (lenient receivers accept it)");
        return;
    }
    const sipmsg_slice ru = m->request_uri;
    sipmsg_uri u;
    sipmsg_error e;
    if (ru.ptr[0] == '<') {
        error400(v, SIPMSG_E_REQUEST_URI, NULL, ru.ptr, "Request-URI inside <>");
    } else if (sipmsg_uri_parse(&u, ru, &e) != SIPMSG_OK) {
        error400(v, SIPMSG_E_REQUEST_URI, NULL, ru.ptr + e.offset, e.msg);
    } else {
        if (u.headers.ptr) /* RFC 3261 19.1.5: not allowed in a Request-URI */
            error400(v, SIPMSG_E_REQUEST_URI, NULL, u.headers.ptr - 1,
                     "URI headers ('?') in the Request-URI");
        if ((v->flags & SIPMSG_VALIDATE_SIP_SCHEMES) &&
            !sipmsg_slice_eq(u.scheme, "sip") && !sipmsg_slice_eq(u.scheme, "sips") &&
            !sipmsg_slice_eq(u.scheme, "tel"))
            found(v, SIPMSG_SEVERITY_ERROR, SIPMSG_E_URI_SCHEME, 416, NULL, ru.ptr,
                  "unsupported Request-URI scheme (not sip, sips or tel)");
    }
    if (m->cseq_method_name.ptr &&
        (m->cseq_method_name.len != m->method_name.len ||
         memcmp(m->cseq_method_name.ptr, m->method_name.ptr, m->method_name.len) != 0))
        error400(v, SIPMSG_E_CSEQ_METHOD, sipmsg_find(m, SIPMSG_HDR_CSEQ),
                 m->cseq_method_name.ptr, NULL);
}

/* ---- presence ---------------------------------------------------------------- */

/* RFC 3261 8.1.1: To, From, CSeq, Call-ID, Via; Max-Forwards in requests.
 * RFC 3261 7.3.1 / 20: these and Content-Length appear once. */
static void check_presence(vrun *v)
{
    static const struct {
        sipmsg_hdr_id id;
        const char *missing, *repeated;
    } need[] = {
        {SIPMSG_HDR_TO, "mandatory header missing: To",
         "single-instance header repeated: To"},
        {SIPMSG_HDR_FROM, "mandatory header missing: From",
         "single-instance header repeated: From"},
        {SIPMSG_HDR_CSEQ, "mandatory header missing: CSeq",
         "single-instance header repeated: CSeq"},
        {SIPMSG_HDR_CALL_ID, "mandatory header missing: Call-ID",
         "single-instance header repeated: Call-ID"},
        {SIPMSG_HDR_VIA, "mandatory header missing: Via", NULL},
        {SIPMSG_HDR_MAX_FORWARDS,
         "mandatory header missing: Max-Forwards (a proxy adds one)",
         "single-instance header repeated: Max-Forwards"},
        {SIPMSG_HDR_CONTENT_LENGTH, NULL,
         "single-instance header repeated: Content-Length"},
    };
    const sipmsg_msg *m = v->m;
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        const sipmsg_header *h = sipmsg_find(m, need[i].id);
        if (!h) {
            if (!need[i].missing)
                continue;
            if (need[i].id != SIPMSG_HDR_MAX_FORWARDS)
                error400(v, SIPMSG_E_MISSING_HEADER, NULL, NULL, need[i].missing);
            /* Max-Forwards: a warning for requests (a proxy adds one, 16.6
             * step 3); nothing for RFC 2543 requests (no magic cookie in the
             * top branch: RFC 4475 3.4) and responses. */
            else if (m->is_request && sipmsg_branch_is_rfc3261(m->via.branch))
                warning(v, SIPMSG_E_MISSING_HEADER, NULL, NULL, need[i].missing);
            continue;
        }
        const sipmsg_header *dup = need[i].repeated ? sipmsg_find_next(m, h) : NULL;
        for (; dup; dup = sipmsg_find_next(m, dup))
            error400(v, SIPMSG_E_DUPLICATE_HEADER, dup, dup->name.ptr, need[i].repeated);
    }
}

/* ---- proxy and extensions ------------------------------------------------------ */

/* 1 when the option tag is in the comma list `supported`. */
static int supports(const char *supported, sipmsg_slice tag)
{
    sipmsg_list_iter it;
    sipmsg_slice el;
    sipmsg_list_init(&it, sipmsg_slice_of(supported));
    while (sipmsg_list_next(&it, &el, NULL) > 0)
        if (slice_caseeq(el, tag))
            return 1;
    return 0;
}

/* RFC 3261 16.3 step 3 (483) and 8.2.2.3 / 16.3 step 5 (420). */
static void check_receiver(vrun *v)
{
    const sipmsg_msg *m = v->m;
    int proxy = (v->flags & SIPMSG_VALIDATE_PROXY) != 0;
    if (!m->is_request)
        return;
    if (proxy && m->max_forwards == 0 && !is_method(m, "OPTIONS"))
        found(v, SIPMSG_SEVERITY_ERROR, SIPMSG_E_TOO_MANY_HOPS, 483,
              sipmsg_find(m, SIPMSG_HDR_MAX_FORWARDS), NULL, NULL);
    if (!v->supported || is_method(m, "ACK") || is_method(m, "CANCEL"))
        return;
    sipmsg_hdr_id id = proxy ? SIPMSG_HDR_PROXY_REQUIRE : SIPMSG_HDR_REQUIRE;
    for (const sipmsg_header *h = sipmsg_find(m, id); h; h = sipmsg_find_next(m, h)) {
        sipmsg_list_iter it;
        sipmsg_slice tag;
        sipmsg_list_init(&it, h->value);
        while (sipmsg_list_next(&it, &tag, NULL) > 0)
            if (!supports(v->supported, tag))
                found(v, SIPMSG_SEVERITY_ERROR, SIPMSG_E_BAD_EXTENSION, 420, h, tag.ptr,
                      proxy ? "unsupported option tag in Proxy-Require"
                            : "unsupported option tag in Require");
    }
}

/* ---- Via and name-addr headers ------------------------------------------------- */

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
        if (!is_digit((unsigned char)*p) || (one && *p != '0'))
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

static const char empty_param[] = "empty parameter (';;')";

/* An error of an iterator (offset from the message start) as a finding. */
static void iter_error(vrun *v, const sipmsg_error *e, sipmsg_code code)
{
    const sipmsg_msg *m = v->m;
    const sipmsg_header *h =
        e->header >= 0 && (size_t)e->header < m->count ? &m->headers[e->header] : NULL;
    error400(v, code, h, m->buf + e->offset, e->msg);
}

/* A list-level empty element (",,") of the header being walked, once. */
static void list_empty(vrun *v, const sipmsg_header *h, const sipmsg_list_iter *list,
                       const char **reported)
{
    if (list->first_empty && list->first_empty != *reported) {
        *reported = list->first_empty;
        error400(v, SIPMSG_E_EMPTY_ELEMENT, h, list->first_empty,
                 "empty list element (',,')");
    }
}

static void check_vias(vrun *v)
{
    sipmsg_via_iter it;
    sipmsg_via via;
    sipmsg_error e;
    const char *reported = NULL;
    int r;
    sipmsg_via_iter_init(&it, v->m);
    while ((r = sipmsg_via_next(&it, &via, &e)) > 0) {
        const char *empty = first_empty_param(via.params);
        if (empty)
            warning(v, SIPMSG_E_EMPTY_ELEMENT, it.h, empty, empty_param);
        list_empty(v, it.h, &it.list, &reported);
    }
    if (r < 0)
        iter_error(v, &e, e.code);
    else if (it.h)
        list_empty(v, it.h, &it.list, &reported);
}

/* Expires and the Contact expires parameter in a REGISTER: a malformed
 * value is taken as 3600 (RFC 3261 10.2.1.1). */
static int lenient_expires(const sipmsg_msg *m)
{
    return m->is_request && m->method == SIPMSG_METHOD_REGISTER;
}

/* Walks every element of a name-addr list header (Contact, Route ...). */
static void check_nameaddrs(vrun *v, sipmsg_hdr_id id, sipmsg_code code)
{
    const sipmsg_msg *m = v->m;
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na;
    sipmsg_error e;
    int r, n = 0, star = 0;
    sipmsg_nameaddr_iter_init(&it, m, id);
    while (!v->stop && (r = sipmsg_nameaddr_next(&it, &na, &e)) > 0) {
        n++;
        star |= na.star;
        if ((na.star && id != SIPMSG_HDR_CONTACT) ||
            (!na.angle && (id == SIPMSG_HDR_ROUTE || id == SIPMSG_HDR_RECORD_ROUTE)))
            error400(v, code, it.h, na.uri_text.ptr, "URI must be inside <>");
        uint32_t secs;
        if (na.expires.ptr && sipmsg_expires_parse(na.expires, &secs) != SIPMSG_OK) {
            if (lenient_expires(m))
                warning(v, code, it.h, na.expires.ptr,
                        "bad expires parameter (a registrar takes 3600)");
            else
                error400(v, code, it.h, na.expires.ptr, "bad expires parameter");
        }
        if (na.q.ptr && !qvalue_ok(na.q))
            error400(v, code, it.h, na.q.ptr, "bad q parameter (must be 0 to 1)");
        const char *empty = first_empty_param(na.params);
        if (empty)
            warning(v, SIPMSG_E_EMPTY_ELEMENT, it.h, empty, empty_param);
    }
    if (v->stop)
        return;
    if (r < 0)
        iter_error(v, &e, code);
    else if (star && n > 1)
        error400(v, code, sipmsg_find(m, id), NULL, "Contact '*' mixed with addresses");
}

/* ---- other typed headers ----------------------------------------------------------- */

static void check_token_list(vrun *v, const sipmsg_header *h)
{
    sipmsg_list_iter it;
    sipmsg_slice el;
    int r;
    sipmsg_list_init(&it, h->value);
    while ((r = sipmsg_list_next(&it, &el, NULL)) > 0) {
        for (size_t k = 0; k < el.len; k++) {
            if (!is_token((unsigned char)el.ptr[k])) {
                error400(v, SIPMSG_E_LIST, h, el.ptr + k, NULL);
                return;
            }
        }
    }
    if (r < 0)
        error400(v, SIPMSG_E_LIST, h, h->value.ptr, NULL);
    else if (it.empty)
        error400(v, SIPMSG_E_EMPTY_ELEMENT, h, it.first_empty,
                 "empty list element (',,')");
}

/* Headers with a typed parser must parse cleanly. */
static void check_values(vrun *v)
{
    const sipmsg_msg *m = v->m;
    for (size_t i = 0; i < m->count && !v->stop; i++) {
        const sipmsg_header *h = &m->headers[i];
        const char *p = h->value.ptr;
        size_t n = h->value.len;
        uint32_t u;
        sipmsg_event ev;
        sipmsg_media_type mt;
        switch (h->id) {
        case SIPMSG_HDR_EXPIRES:
            if (sipmsg_expires_parse(h->value, &u) == SIPMSG_OK)
                break;
            if (lenient_expires(m))
                warning(v, SIPMSG_E_EXPIRES, h, p,
                        "bad Expires: not delta-seconds (a registrar takes 3600)");
            else
                error400(v, SIPMSG_E_EXPIRES, h, p, NULL);
            break;
        case SIPMSG_HDR_MIN_EXPIRES:
            if (sipmsg_expires_parse(h->value, &u) != SIPMSG_OK)
                error400(v, SIPMSG_E_EXPIRES, h, p, "bad Min-Expires");
            break;
        case SIPMSG_HDR_EVENT:
            if (sipmsg_event_parse(&ev, h->value, NULL) != SIPMSG_OK)
                error400(v, SIPMSG_E_HEADER_VALUE, h, p, NULL);
            break;
        case SIPMSG_HDR_CONTENT_TYPE:
            if (sipmsg_media_type_parse(&mt, h->value, NULL) != SIPMSG_OK)
                error400(v, SIPMSG_E_CONTENT_TYPE, h, p, NULL);
            break;
        case SIPMSG_HDR_ALLOW:
        case SIPMSG_HDR_SUPPORTED:
        case SIPMSG_HDR_REQUIRE:
        case SIPMSG_HDR_PROXY_REQUIRE:
        case SIPMSG_HDR_UNSUPPORTED:
        case SIPMSG_HDR_ALLOW_EVENTS: check_token_list(v, h); break;
        case SIPMSG_HDR_DATE: /* rfc1123-date ends in "GMT" (RFC 3261 20.17) */
            if (n < 3 || memcmp(p + n - 3, "GMT", 3) != 0)
                error400(v, SIPMSG_E_HEADER_VALUE, h, p, NULL);
            break;
        default: break;
        }
    }
}

/* ---- entry points ------------------------------------------------------------------ */

size_t sipmsg_validate_each(const sipmsg_msg *m, const sipmsg_validate_opts *opts,
                            sipmsg_finding_fn fn, void *ctx)
{
    static const sipmsg_hdr_id addr_ids[] = {SIPMSG_HDR_FROM,
                                             SIPMSG_HDR_TO,
                                             SIPMSG_HDR_CONTACT,
                                             SIPMSG_HDR_ROUTE,
                                             SIPMSG_HDR_RECORD_ROUTE,
                                             SIPMSG_HDR_REPLY_TO,
                                             SIPMSG_HDR_P_ASSERTED_IDENTITY};
    static const sipmsg_code addr_codes[] = {
        SIPMSG_E_NAME_ADDR, SIPMSG_E_NAME_ADDR, SIPMSG_E_CONTACT,  SIPMSG_E_NAME_ADDR,
        SIPMSG_E_NAME_ADDR, SIPMSG_E_NAME_ADDR, SIPMSG_E_NAME_ADDR};
    vrun v = {m, opts ? opts->flags : 0u, opts ? opts->supported : NULL, fn, ctx, 0, 0};
    if (!m || !fn || !m->buf)
        return 0;
    check_start(&v);
    check_presence(&v);
    check_receiver(&v);
    check_vias(&v);
    check_values(&v);
    for (size_t i = 0; i < sizeof addr_ids / sizeof addr_ids[0] && !v.stop; i++)
        check_nameaddrs(&v, addr_ids[i], addr_codes[i]);
    return v.n;
}

struct into_array {
    sipmsg_finding *out;
    size_t cap, n;
};

static int store(void *ctx, const sipmsg_finding *f)
{
    struct into_array *a = ctx;
    if (a->n < a->cap)
        a->out[a->n] = *f;
    a->n++;
    return 0;
}

size_t sipmsg_validate_all(const sipmsg_msg *m, const sipmsg_validate_opts *opts,
                           sipmsg_finding *out, size_t cap)
{
    struct into_array a = {out, out ? cap : 0, 0};
    return sipmsg_validate_each(m, opts, store, &a);
}

static int first_error(void *ctx, const sipmsg_finding *f)
{
    sipmsg_error *err = ctx;
    if (f->severity != SIPMSG_SEVERITY_ERROR)
        return 0;
    err->code = f->code;
    err->header = f->header;
    err->offset = f->offset;
    err->msg = f->msg;
    return 1;
}

sipmsg_code sipmsg_validate(const sipmsg_msg *m, sipmsg_error *err)
{
    sipmsg_error e = {SIPMSG_OK, -1, 0, NULL};
    sipmsg_validate_each(m, NULL, first_error, &e);
    if (err && e.code != SIPMSG_OK)
        *err = e;
    return e.code;
}
