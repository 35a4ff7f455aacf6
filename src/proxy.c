/*
 * proxy.c - proxy steps: stamp received=/rport= on the top Via (RFC 3261
 * 18.2.1, RFC 3581), forward a request (RFC 3261 16.6 steps 3 and 8) and
 * forward a response (16.7 step 3).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "edit.h"

#include "decode.h"
#include "lines.h"
#include "via.h"

#include "uri_internal.h"

/* The host without IPv6 brackets. */
static sipmsg_slice unbracket(sipmsg_slice h)
{
    if (h.len >= 2 && h.ptr[0] == '[' && h.ptr[h.len - 1] == ']')
        return mkslice(h.ptr + 1, h.ptr + h.len - 1);
    return h;
}

/* What the parser accepts as a Via received= value: an IPv4 or IPv6
 * address, bracketed or not (RFC 3261 via-received, RFC 5118). Not a
 * hostname: a Via carrying one would not parse back, at the next hop or
 * when the response returns (a packet's source is an address anyway). */
static sipmsg_code check_addr(sipmsg_slice a)
{
    return a.ptr && a.len && sipmsg_via_received_ok_(a) ? SIPMSG_OK : SIPMSG_E_BAD_TEXT;
}

/* The received=/rport= step on the top Via h, as the parts of the value
 * that replaces it; p->n stays 0 when there is nothing to change. The new value
 * is the old one with at most two splices, both found in the old value:
 * ";received=addr" over an existing received= (or at the end of the first
 * element), and ";rport=port" over a bare rport. They are the splices the
 * two sipmsg_edit_param_ edits of the same value make one after the other
 * (the first cannot move or create the second's parameter). */
typedef struct received_plan {
    sipmsg_slice parts[7];
    size_t n;
    char digits[SIPMSG_DECIMAL_MAX_];
} received_plan;

static sipmsg_code plan_received(const sipmsg_msg *m, const sipmsg_header *h,
                                 sipmsg_slice addr, uint32_t port, received_plan *p)
{
    sipmsg_slice a = unbracket(addr), host = unbracket(m->via.host);
    sipmsg_slice v = h->value;
    int bare_rport = m->via.rport.ptr && m->via.rport.len == 0;
    int same = a.len == host.len && sipmsg_memcaseeq_(a.ptr, host.ptr, a.len);
    int set_rport = bare_rport && port;
    p->n = 0;
    if (same && !bare_rport)
        return SIPMSG_OK;
    if (!m->via.received.ptr && !set_rport && !memchr(v.ptr, ',', v.len)) {
        /* the common case: one Via value without received=, nothing to
         * fill in: received= goes at its end, where the parameter edit
         * would put it (without finding the element and walking its
         * parameters) */
        p->parts[0] = v;
        p->parts[1] = SLICE_LIT(";received=");
        p->parts[2] = a;
        p->n = 3;
        return SIPMSG_OK;
    }
    /* splice 0: received, splice 1: rport (when asked) */
    const char *sa[2], *sb[2];
    sipmsg_slice text[2][2] = {{SLICE_LIT(";received="), a},
                               {SLICE_LIT(";rport="), {0, 0}}};
    sipmsg_code c = sipmsg_edit_param_at_(h, 0, SLICE_LIT("received"), 0, &sa[0], &sb[0]);
    if (!c && set_rport) {
        c = sipmsg_edit_param_at_(h, 0, SLICE_LIT("rport"), 0, &sa[1], &sb[1]);
        text[1][1] = sipmsg_decimal_(port, p->digits);
    }
    if (c)
        return c;
    int k = set_rport ? 2 : 1;
    int first = k == 2 && sa[1] < sa[0]; /* at the same place: received first */
    const char *at = v.ptr;
    for (int i = 0; i < k; i++) {
        int j = i == 0 ? first : !first;
        p->parts[p->n++] = mkslice(at, sa[j]);
        p->parts[p->n++] = text[j][0];
        p->parts[p->n++] = text[j][1];
        at = sb[j];
    }
    p->parts[p->n++] = mkslice(at, v.ptr + v.len);
    return SIPMSG_OK;
}

sipmsg_code sipmsg_via_received(sipmsg_msg *m, sipmsg_slice addr, uint32_t port)
{
    change_set t;
    received_plan p;
    sipmsg_code c = check_addr(addr);
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_VIA);
    if (c)
        return c;
    if (!h)
        return SIPMSG_E_NOT_FOUND;
    if ((c = plan_received(m, h, addr, port, &p)) != SIPMSG_OK || p.n == 0)
        return c;
    sipmsg_slice nm, v;
    sipmsg_change_begin_(&t, m);
    c = sipmsg_change_line_(&t, h->name, p.parts, p.n, &nm, &v);
    /* the address was checked: only a folded value holds a CR or LF */
    if (!c)
        c = sipmsg_change_replace_line_(&t, sipmsg_hdr_index(m, h), nm, v,
                                        !(h->flags & SIPMSG_HF_FOLDED));
    return sipmsg_change_commit_(&t, c);
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
    sipmsg_code c = sipmsg_decode_via_value_(&pv->decoded, t, 1, err);
    if (c == SIPMSG_OK && pv->decoded.branch.ptr)
        c = SIPMSG_E_BAD_TEXT;
    if (c) {
        memset(pv, 0, sizeof *pv);
        return c;
    }
    pv->text = t;
    /* the line's start, written as one piece for each request */
    if (t.len + 13 <= sizeof pv->line) {
        memcpy(pv->line, "Via: ", 5);
        memcpy(pv->line + 5, t.ptr, t.len);
        memcpy(pv->line + 5 + t.len, ";branch=", 8);
        pv->line_len = t.len + 13;
    }
    return SIPMSG_OK;
}

/*
 * A forward is planned first, then either applied to the message as edits
 * (sipmsg_proxy_forward) or written out with the message left as it is
 * (sipmsg_proxy_forward_write). The plan is the up to three header lines
 * the forward changes, in the order they are written, with every check
 * made; both consumers take the same lines, so they give the same bytes.
 * A plan points into itself: it is not copied.
 */
typedef struct fwd_plan {
    sipmsg_line_ lines[3];
    size_t n;
    received_plan top;   /* the top Via with received=/rport= */
    sipmsg_slice via[3]; /* the new Via's value: self ";branch=" branch, or f->via */
    size_t via_n;
    const sipmsg_top_via *dec; /* its fields, slices into dec_text (branch: see below) */
    const char *dec_text;      /* the text dec was decoded from */
    sipmsg_top_via text_dec;   /* f->via decoded (when not self) */
    size_t via_at;             /* the new Via's index (once applied) */
    int mf;                    /* the new Max-Forwards */
    sipmsg_slice mf_value;
    char mf_digits[SIPMSG_DECIMAL_MAX_];
} fwd_plan;

static sipmsg_line_ *add_line(fwd_plan *p, size_t at, int replace, sipmsg_hdr_id id,
                              sipmsg_slice name, const sipmsg_slice *parts, size_t n)
{
    sipmsg_line_ *l = &p->lines[p->n++];
    l->at = at;
    l->replace = replace;
    l->remove = 0;
    l->plain = 1;
    l->id = id;
    l->name = name;
    l->head = mkslice(NULL, NULL);
    l->parts = parts;
    l->n = n;
    return l;
}

/* "Max-Forwards: mf-1" in place of header mf (index at). */
static void add_mf_line(fwd_plan *p, const sipmsg_header *mf, size_t at)
{
    p->mf_value = sipmsg_decimal_((uint64_t)p->mf, p->mf_digits);
    add_line(p, at, 1, SIPMSG_HDR_MAX_FORWARDS, mf->name, &p->mf_value, 1);
}

static sipmsg_code plan_forward(const sipmsg_msg *m, const sipmsg_forward *f, fwd_plan *p)
{
    sipmsg_slice via = sipmsg_trim_ws_(f->via);
    const sipmsg_header *top = sipmsg_find(m, SIPMSG_HDR_VIA);
    const sipmsg_header *mf = sipmsg_find(m, SIPMSG_HDR_MAX_FORWARDS);
    sipmsg_code c;
    p->n = 0;
    if (!m->is_request)
        return SIPMSG_E_STATE;
    if (m->max_forwards == 0)
        return SIPMSG_E_TOO_MANY_HOPS;
    if (f->self ? !f->self->text.len || sipmsg_check_token_(f->branch)
                : via.len == 0 || sipmsg_check_value_(via))
        return SIPMSG_E_BAD_TEXT;
    if (f->received.ptr && check_addr(f->received))
        return SIPMSG_E_BAD_TEXT;

    /* Max-Forwards minus one, or "Max-Forwards: 70" after the last Via */
    p->mf = mf ? m->max_forwards - 1 : 70; /* < 0: refused below, after received= */
    size_t mf_at = mf ? sipmsg_hdr_index(m, mf) : 0;
    p->via_at = top ? sipmsg_hdr_index(m, top) : 0;
    if (mf && mf_at < p->via_at && p->mf >= 0) /* the lines go in written order */
        add_mf_line(p, mf, mf_at);

    /* the new Via, above the first one */
    sipmsg_slice head = SLICE_LIT("Via: ");
    if (f->self && f->self->line_len) { /* "Via: " text ";branch=", made once */
        const char *l = f->self->line;
        head = mkslice(l, l + 5);
        p->via[0] = mkslice(l + 5, l + f->self->line_len);
        p->via[1] = f->branch;
        p->via_n = 2;
    } else if (f->self) {
        p->via[0] = f->self->text;
        p->via[1] = SLICE_LIT(";branch=");
        p->via[2] = f->branch;
        p->via_n = 3;
    } else {
        p->via[0] = via;
        p->via_n = 1;
    }
    p->dec = f->self ? &f->self->decoded : &p->text_dec;
    p->dec_text = f->self ? f->self->text.ptr : via.ptr;
    add_line(p, p->via_at, 0, SIPMSG_HDR_VIA, SLICE_LIT("Via"), p->via, p->via_n)->head =
        head;

    /* received= and rport= on the old top Via */
    if (f->received.ptr && top) {
        if ((c = plan_received(m, top, f->received, f->rport, &p->top)) != SIPMSG_OK)
            return c;
        if (p->top.n) /* the address was checked: only a fold holds CR LF */
            add_line(p, p->via_at, 1, SIPMSG_HDR_VIA, top->name, p->top.parts, p->top.n)
                ->plain = !(top->flags & SIPMSG_HF_FOLDED);
    }

    if (p->mf < 0) /* not decoded (SIPMSG_PARSE_FRAME_ONLY) */
        return SIPMSG_E_MAX_FORWARDS;
    if (!mf) {
        uint32_t last = m->last[SIPMSG_HDR_VIA];
        p->mf_value = SLICE_LIT("70");
        add_line(p, last == SIPMSG_NONE ? 0 : (size_t)last + 1, 0,
                 SIPMSG_HDR_MAX_FORWARDS, SLICE_LIT("Max-Forwards"), &p->mf_value, 1)
            ->head = SLICE_LIT("Max-Forwards: ");
    } else if (mf_at >= p->via_at) { /* (equal: no Via, Max-Forwards first) */
        add_mf_line(p, mf, mf_at);
    }

    /* f->via must read back as a Via (self was checked once) */
    if (!f->self)
        return sipmsg_decode_via_value_(&p->text_dec, via, 1, NULL);
    return SIPMSG_OK;
}

/* The decoded fields moved from the text at `from` to its copy at `to`. */
static void rebase(sipmsg_slice *s, const char *from, const char *to)
{
    if (s->ptr)
        s->ptr = to + (s->ptr - from);
}

/* m->via from the plan's decoded Via, moved onto the inserted line's
 * value `v`. */
static void set_top_via(sipmsg_msg *m, const fwd_plan *p, sipmsg_slice v)
{
    const char *from = p->dec_text, *base = v.ptr; /* the value starts with that text */
    m->via = *p->dec;
    rebase(&m->via.transport, from, base);
    rebase(&m->via.host, from, base);
    rebase(&m->via.received, from, base);
    rebase(&m->via.rport, from, base);
    rebase(&m->via.maddr, from, base);
    if (p->via_n > 1) { /* self ";branch=" branch: the branch ends the value */
        size_t bl = p->via[p->via_n - 1].len;
        m->via.branch = mkslice(base + v.len - bl, base + v.len);
    } else {
        rebase(&m->via.branch, from, base);
    }
}

sipmsg_code sipmsg_proxy_forward(sipmsg_msg *m, const sipmsg_forward *f)
{
    change_set t;
    fwd_plan p;
    sipmsg_code c = plan_forward(m, f, &p);
    if (c)
        return c;
    sipmsg_slice nm[3], v[3];
    sipmsg_change_begin_(&t, m);
    /* the lines made in written order (lines next to each other in the
     * output are then one piece for the writer), then put in the table
     * last first: an insert moves only the headers after it */
    for (size_t i = 0; i < p.n && !c; i++)
        c = sipmsg_change_line_(&t, p.lines[i].name, p.lines[i].parts, p.lines[i].n,
                                &nm[i], &v[i]);
    for (size_t i = p.n; i-- > 0 && !c;) {
        const sipmsg_line_ *l = &p.lines[i];
        c = l->replace ? sipmsg_change_replace_line_(&t, l->at, nm[i], v[i], l->plain)
                       : sipmsg_change_insert_plain_(&t, l->at, l->id, nm[i], v[i]);
    }
    if (!c) { /* the fields the plan has: nothing to decode again */
        set_top_via(m, &p, m->headers[p.via_at].value);
        m->max_forwards = p.mf;
        sipmsg_change_decoded_(&t, SIPMSG_HDR_VIA);
        sipmsg_change_decoded_(&t, SIPMSG_HDR_MAX_FORWARDS);
    }
    return sipmsg_change_commit_(&t, c);
}

sipmsg_code sipmsg_proxy_forward_write(const sipmsg_msg *m, const sipmsg_forward *f,
                                       char *out, size_t cap, size_t *len)
{
    fwd_plan p;
    size_t n = 0, room = out ? cap : 0;
    sipmsg_code c = plan_forward(m, f, &p);
    if (!c && (n = sipmsg_write_lines_(m, p.lines, p.n, out, room)) > room)
        c = SIPMSG_E_NO_SPACE;
    if (len)
        *len = c == SIPMSG_OK || c == SIPMSG_E_NO_SPACE ? n : 0;
    return c;
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

sipmsg_code sipmsg_proxy_unvia_write(const sipmsg_msg *m, char *out, size_t cap,
                                     size_t *len, sipmsg_top_via *next)
{
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_VIA), *nh;
    sipmsg_slice parts[2];
    sipmsg_top_via local, *top = next ? next : &local;
    edit_elem e;
    size_t n = 0;
    sipmsg_code c;
    if (len)
        *len = 0;
    sipmsg_top_via_clear_(top);
    if (m->is_request)
        return SIPMSG_E_STATE;
    if (!h)
        return SIPMSG_E_NOT_FOUND;
    if ((c = sipmsg_edit_find_elem_(h, 0, &e)) != SIPMSG_OK)
        return c;
    sipmsg_line_ l = {.at = sipmsg_hdr_index(m, h),
                      .replace = 1,
                      .id = SIPMSG_HDR_VIA,
                      .name = h->name,
                      .parts = parts};
    /* As sipmsg_proxy_unvia: the first element goes, and the Via that is
     * then on top must decode (the edit's commit decodes it). */
    if (!e.next_start) { /* the whole header */
        l.remove = 1;
        nh = sipmsg_find_next(m, h);
        if (nh)
            c = sipmsg_decode_via_value_(top, nh->value, !(nh->flags & SIPMSG_HF_FOLDED),
                                         NULL);
    } else {
        /* "a, b": the value from b on; before a, only empty elements (the
         * list walk skips them, so they do not change what decodes) */
        if (e.el.ptr > h->value.ptr)
            parts[l.n++] = mkslice(h->value.ptr, e.el.ptr);
        parts[l.n++] = mkslice(e.next_start, h->value.ptr + h->value.len);
        c = sipmsg_decode_via_value_(top, parts[l.n - 1], !(h->flags & SIPMSG_HF_FOLDED),
                                     NULL);
    }
    if (c) {
        sipmsg_top_via_clear_(top);
        return c;
    }
    size_t room = out ? cap : 0;
    n = sipmsg_write_lines_(m, &l, 1, out, room);
    if (len)
        *len = n;
    return n > room ? SIPMSG_E_NO_SPACE : SIPMSG_OK;
}
