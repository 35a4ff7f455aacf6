/*
 * via.c - the Via header (RFC 3261 sections 20.42 and 25.1, RFC 3581
 * rport, RFC 5118 section 4.5 received).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "via.h"

#include "error.h"
#include "fields.h"
#include "mem.h"

static sipmsg_code via_fail(sipmsg_error *err, sipmsg_code code, const char *base,
                            const char *at, const char *msg)
{
    return seterr(err, code, (size_t)(at - base), -1, msg);
}

/* token, then SWS; NULL when there is no token */
static const char *token_sws(const char *p, const char *e, sipmsg_slice *out)
{
    const char *t = p;
    t = scan_class(t, e, C_TOKEN);
    if (t == p)
        return NULL;
    *out = mkslice(p, t);
    return sipmsg_skip_lws_(t, e);
}

/* sent-protocol = protocol-name SLASH protocol-version SLASH transport */
static const char *sent_protocol(sipmsg_via *v, const char *p, const char *e)
{
    sipmsg_slice *const parts[3] = {&v->protocol, &v->version, &v->transport};
    int i = 0;
    if (e - p > 8 && memcmp(p, "SIP/2.0/", 8) == 0) { /* nearly always */
        v->protocol = mkslice(p, p + 3);
        v->version = mkslice(p + 4, p + 7);
        p = sipmsg_skip_lws_(p + 8, e); /* LWS may follow the slash */
        i = 2;
    }
    for (; i < 3; i++) {
        p = token_sws(p, e, parts[i]);
        if (!p)
            return NULL;
        if (i < 2) {
            if (p == e || *p != '/')
                return NULL;
            p = sipmsg_skip_lws_(p + 1, e);
        }
    }
    return p;
}

/* via-received = "received" EQUAL (IPv4address / IPv6address); RFC 5118
 * allows the IPv6 form with or without brackets. */
int sipmsg_via_received_ok_(sipmsg_slice r)
{
    const char *p = r.ptr, *e = r.ptr + r.len;
    if (r.len >= 2 && *p == '[' && e[-1] == ']')
        return sipmsg_ipv6_check_(p + 1, e - 1);
    return sipmsg_ipv4_check_(p, e) || sipmsg_ipv6_check_(p, e);
}

/* via-params: ttl, maddr, received, branch, rport (RFC 3581), extensions */
static sipmsg_code via_params(sipmsg_via *v, const char *base, sipmsg_error *err)
{
    sipmsg_param_iter it;
    sipmsg_param prm;
    int r;
    sipmsg_param_iter_init(&it, v->params, 0);
    while ((r = sipmsg_param_next(&it, &prm, err)) > 0) {
        const char *at = prm.name.ptr;
        uint32_t n;
        if (SLICE_IS(prm.name, "branch")) {
            if (!prm.value.ptr || *prm.value.ptr == '"')
                return via_fail(err, SIPMSG_E_VIA, base, at, "bad Via branch");
            if (!v->branch.ptr) /* a repeated parameter: the first counts */
                v->branch = prm.value;
        } else if (SLICE_IS(prm.name, "received")) {
            if (!prm.value.ptr || !sipmsg_via_received_ok_(prm.value))
                return via_fail(err, SIPMSG_E_VIA, base, at,
                                "bad Via received (must be an IP address)");
            if (!v->received.ptr)
                v->received = prm.value;
        } else if (SLICE_IS(prm.name, "rport")) {
            if (prm.value.ptr &&
                sipmsg_uint_parse(prm.value, 65535, &n, SIPMSG_E_PORT) != SIPMSG_OK)
                return via_fail(err, SIPMSG_E_VIA, base, at, "bad Via rport");
            v->rport =
                prm.value.ptr ? prm.value : mkslice(at + prm.name.len, at + prm.name.len);
        } else if (SLICE_IS(prm.name, "ttl")) {
            if (!prm.value.ptr ||
                sipmsg_uint_parse(prm.value, 255, &n, SIPMSG_E_VIA) != SIPMSG_OK)
                return via_fail(err, SIPMSG_E_VIA, base, at,
                                "bad Via ttl (must be 0-255)");
            v->ttl = prm.value;
        } else if (SLICE_IS(prm.name, "maddr")) {
            if (!prm.value.ptr ||
                !sipmsg_host_check_(prm.value.ptr, prm.value.ptr + prm.value.len))
                return via_fail(err, SIPMSG_E_VIA, base, at, "bad Via maddr");
            v->maddr = prm.value;
        }
    }
    if (r < 0) {
        if (err)
            err->offset += (size_t)(v->params.ptr - base);
        return err ? err->code : SIPMSG_E_PARAM;
    }
    return SIPMSG_OK;
}

/* via-parm = sent-protocol LWS sent-by *( SEMI via-params ) */
sipmsg_code sipmsg_via_parse(sipmsg_via *v, sipmsg_slice text, sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    sipmsg_error local; /* sub-parsers report through it */
    if (!err)
        err = &local;
    const char *s = p, *e = p + len;
    sipmsg_fill_(v, 0, sizeof *v);
    p = sipmsg_skip_lws_(p, e);
    v->text = mkslice(p, sipmsg_trim_end_(p, e));
    const char *q = sent_protocol(v, p, e);
    if (!q)
        return via_fail(err, SIPMSG_E_VIA, s, p, "bad Via sent-protocol");
    if (q == e || !is_lws((unsigned char)q[-1]))
        return via_fail(err, SIPMSG_E_VIA, s, q, "Via sent-by missing");
    struct sipmsg_hostport_ hp;
    sipmsg_code code = SIPMSG_OK;
    const char *h = sipmsg_hostport_(q, e, 1, &hp, &code);
    if (code)
        return via_fail(err, code, s, h,
                        code == SIPMSG_E_PORT ? "bad Via port" : "bad Via host");
    v->host = hp.host;
    v->host_type = (sipmsg_host_type)hp.type;
    v->port = hp.port;
    h = sipmsg_skip_lws_(h, e);
    if (h == e)
        return SIPMSG_OK;
    if (*h != ';')
        return via_fail(err, SIPMSG_E_VIA, s, h, "unexpected text in Via");
    v->params = mkslice(h, e);
    return via_params(v, s, err);
}

void sipmsg_via_iter_init(sipmsg_via_iter *it, const sipmsg_msg *m)
{
    it->m = m;
    it->h = sipmsg_find(m, SIPMSG_HDR_VIA);
    if (it->h)
        sipmsg_list_init(&it->list, it->h->value);
}

int sipmsg_via_next(sipmsg_via_iter *it, sipmsg_via *out, sipmsg_error *err)
{
    sipmsg_slice el;
    int r = sipmsg_hdr_elem_next_(it->m, &it->h, &it->list, &el, err);
    if (r > 0 && sipmsg_via_parse(out, el, err) != SIPMSG_OK) {
        sipmsg_err_in_header_(it->m, it->h, el.ptr, err);
        it->h = NULL;
        return -1;
    }
    return r;
}

int sipmsg_branch_is_rfc3261(sipmsg_slice branch)
{
    return branch.ptr && branch.len >= 7 && memcmp(branch.ptr, "z9hG4bK", 7) == 0;
}
