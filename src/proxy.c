/*
 * proxy.c - proxy steps: stamp received=/rport= on the top Via (RFC 3261
 * 18.2.1, RFC 3581), forward a request (RFC 3261 16.6 steps 3 and 8) and
 * forward a response (16.7 step 3).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "edit.h"

#include "decode.h"
#include "via.h"

#include "uri_internal.h"

/* The host without IPv6 brackets. */
static sipmsg_slice unbracket(sipmsg_slice h)
{
    if (h.len >= 2 && h.ptr[0] == '[' && h.ptr[h.len - 1] == ']')
        return mkslice(h.ptr + 1, h.ptr + h.len - 1);
    return h;
}

/* What the parser accepts as a Via received= value (an IPv4 or IPv6
 * address, bracketed or not), or a hostname, which some stacks write. */
static sipmsg_code check_addr(sipmsg_slice a)
{
    if (a.ptr && a.len &&
        (sipmsg_via_received_ok_(a) ||
         sipmsg_host_check_(a.ptr, a.ptr + a.len) != SIPMSG_HOST_NONE))
        return SIPMSG_OK;
    return SIPMSG_E_BAD_TEXT;
}

static sipmsg_code via_received(change_set *t, sipmsg_slice addr, uint32_t port)
{
    sipmsg_msg *m = t->m;
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_VIA);
    sipmsg_code c = SIPMSG_OK;
    if (!h)
        return SIPMSG_E_NOT_FOUND;
    sipmsg_slice a = unbracket(addr), host = unbracket(m->via.host);
    int bare_rport = m->via.rport.ptr && m->via.rport.len == 0;
    int same = a.len == host.len && sipmsg_memcaseeq_(a.ptr, host.ptr, a.len);
    edit_param_op op = {sipmsg_hdr_index(m, h), 0, SLICE_LIT("received"), a, 0};
    if ((!same || bare_rport) && !m->via.received.ptr && !(bare_rport && port) &&
        !memchr(h->value.ptr, ',', h->value.len)) {
        /* the common case: one Via value without received=, nothing to
         * fill in: received= goes at its end, as the parameter edit would
         * put it, in one concatenation (the edit path below finds the
         * element and walks its parameters first) */
        sipmsg_slice parts[3] = {h->value, SLICE_LIT(";received="), a};
        /* the address was checked: only a folded value holds a CR or LF */
        return sipmsg_change_replace_line_(t, op.index, parts, 3,
                                           !(h->flags & SIPMSG_HF_FOLDED));
    }
    if (!same || bare_rport)
        c = sipmsg_edit_param_(t, &op);
    if (!c && bare_rport && port) {
        op.name = SLICE_LIT("rport");
        if ((c = sipmsg_change_number_(t, port, &op.value)) == SIPMSG_OK)
            c = sipmsg_edit_param_(t, &op);
    }
    return c;
}

sipmsg_code sipmsg_via_received(sipmsg_msg *m, sipmsg_slice addr, uint32_t port)
{
    change_set t;
    sipmsg_code c = check_addr(addr);
    if (c)
        return c;
    if (!sipmsg_find(m, SIPMSG_HDR_VIA))
        return SIPMSG_E_NOT_FOUND;
    sipmsg_change_begin_(&t, m);
    return sipmsg_change_commit_(&t, via_received(&t, addr, port));
}

/* Max-Forwards minus one, or a new "Max-Forwards: 70" after the last Via. */
static sipmsg_code step_max_forwards(change_set *t)
{
    sipmsg_msg *m = t->m;
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_MAX_FORWARDS);
    sipmsg_slice v;
    sipmsg_code c;
    int mf = h ? m->max_forwards - 1 : 70;
    if (mf < 0) /* not decoded (SIPMSG_PARSE_FRAME_ONLY) */
        return SIPMSG_E_MAX_FORWARDS;
    if (h) {
        char digits[SIPMSG_DECIMAL_MAX_];
        v = sipmsg_decimal_((uint64_t)mf, digits); /* copied by the line */
        c = sipmsg_change_replace_line_(t, sipmsg_hdr_index(m, h), &v, 1, 1);
    } else {
        uint32_t last = m->last[SIPMSG_HDR_VIA];
        size_t at = last == SIPMSG_NONE ? 0 : (size_t)last + 1;
        v = SLICE_LIT("70");
        c = sipmsg_change_insert_line_(t, at, SIPMSG_HDR_MAX_FORWARDS,
                                       SLICE_LIT("Max-Forwards"), &v, 1);
    }
    if (!c) { /* the number we wrote: no need to read it back */
        m->max_forwards = mf;
        sipmsg_change_decoded_(t, SIPMSG_HDR_MAX_FORWARDS);
    }
    return c;
}

sipmsg_code sipmsg_proxy_via_init(sipmsg_proxy_via *pv, sipmsg_slice text,
                                  sipmsg_error *err)
{
    sipmsg_error local;
    if (!err)
        err = &local;
    memset(pv, 0, sizeof *pv);
    sipmsg_slice t = sipmsg_trim_ws_(text);
    if (!text.ptr || t.len == 0 || sipmsg_check_value_(t) || memchr(t.ptr, ',', t.len))
        return SIPMSG_E_BAD_TEXT;
    /* no comma: the decoder reads the whole text as one via-parm (the
     * parse-time decoding, checks included) */
    sipmsg_code c = sipmsg_decode_via_value_(&pv->decoded, t, err);
    if (c == SIPMSG_OK && pv->decoded.branch.ptr)
        c = SIPMSG_E_BAD_TEXT;
    if (c) {
        memset(pv, 0, sizeof *pv);
        return c;
    }
    pv->text = t;
    return SIPMSG_OK;
}

/* The decoded fields of self moved from self->text to its copy at `to`. */
static void rebase(sipmsg_slice *s, const char *from, const char *to)
{
    if (s->ptr)
        s->ptr = to + (s->ptr - from);
}

/* "Via: self;branch=b" above the first Via, and m->via set from self's
 * decoded fields (nothing to decode again). */
static sipmsg_code insert_self(change_set *t, size_t at, const sipmsg_proxy_via *self,
                               sipmsg_slice branch)
{
    sipmsg_msg *m = t->m;
    sipmsg_slice parts[3] = {self->text, SLICE_LIT(";branch="), branch};
    sipmsg_code c =
        sipmsg_change_insert_line_(t, at, SIPMSG_HDR_VIA, SLICE_LIT("Via"), parts, 3);
    if (c)
        return c;
    const char *base = m->headers[at].value.ptr, *from = self->text.ptr;
    m->via = self->decoded;
    rebase(&m->via.transport, from, base);
    rebase(&m->via.host, from, base);
    rebase(&m->via.received, from, base);
    rebase(&m->via.rport, from, base);
    rebase(&m->via.maddr, from, base);
    m->via.branch =
        mkslice(base + self->text.len + 8, base + self->text.len + 8 + branch.len);
    sipmsg_change_decoded_(t, SIPMSG_HDR_VIA);
    return SIPMSG_OK;
}

sipmsg_code sipmsg_proxy_forward(sipmsg_msg *m, const sipmsg_forward *f)
{
    change_set t;
    sipmsg_slice via = sipmsg_trim_ws_(f->via);
    sipmsg_code c = SIPMSG_OK;
    if (!m->is_request)
        return SIPMSG_E_STATE;
    if (m->max_forwards == 0)
        return SIPMSG_E_TOO_MANY_HOPS;
    if (f->self ? !f->self->text.len || sipmsg_check_token_(f->branch)
                : via.len == 0 || sipmsg_check_value_(via))
        return SIPMSG_E_BAD_TEXT;
    if (f->received.ptr && check_addr(f->received))
        return SIPMSG_E_BAD_TEXT;
    sipmsg_change_begin_(&t, m);
    if (f->received.ptr && sipmsg_find(m, SIPMSG_HDR_VIA))
        c = via_received(&t, f->received, f->rport);
    if (!c)
        c = step_max_forwards(&t);
    if (!c) {
        /* above the first Via; the steps before did not move it */
        uint32_t first = m->first[SIPMSG_HDR_VIA];
        size_t at = first == SIPMSG_NONE ? 0 : first;
        c = f->self ? insert_self(&t, at, f->self, f->branch)
                    : sipmsg_change_insert_line_(&t, at, SIPMSG_HDR_VIA, SLICE_LIT("Via"),
                                                 &via, 1); /* via passed check_value */
    }
    return sipmsg_change_commit_(&t, c);
}

sipmsg_code sipmsg_proxy_unvia(sipmsg_msg *m)
{
    if (m->is_request)
        return SIPMSG_E_STATE;
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_VIA);
    if (!h)
        return SIPMSG_E_NOT_FOUND;
    return sipmsg_hdr_remove_value(m, sipmsg_hdr_index(m, h), 0);
}
