/*
 * build.c - builders: a request from scratch (RFC 3261 8.1.1), MESSAGE
 * (RFC 3428), REGISTER (RFC 3261 10.2) and its retry with credentials
 * (8.1.3.5, 22.2), and the response to a request (8.2.6).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * A builder fills a sipmsg_msg: header table in the caller's storage, new
 * text in the attached arena. On error the message is left empty and the
 * arena as it was.
 */
#include "edit.h"

#include "headers.h"
#include "hex.h"
#include "nameaddr.h"
#include "sipmsg/digest.h"

#define S(lit) SLICE_LIT(lit)

static sipmsg_code random_hex(change_set *t, sipmsg_random_fn rnd, void *ctx,
                              const char *prefix, size_t nbytes, sipmsg_slice *out)
{
    unsigned char raw[32];
    size_t plen = strlen(prefix);
    if (!rnd || nbytes > sizeof raw)
        return SIPMSG_E_STATE;
    if (rnd(ctx, raw, nbytes) != 0)
        return SIPMSG_E_STATE;
    char *p = sipmsg_change_alloc_(t, plen + 2 * nbytes);
    if (!p)
        return sipmsg_change_no_room_(t);
    for (size_t i = 0; i < plen; i++)
        p[i] = prefix[i];
    sipmsg_hex_encode_(raw, nbytes, p + plen);
    out->ptr = p;
    out->len = plen + 2 * nbytes;
    return SIPMSG_OK;
}

/* ---- builder context --------------------------------------------------------- */

typedef struct bld {
    change_set t;
    sipmsg_code c; /* the first error; later steps do nothing */
} bld;

static sipmsg_code bld_begin(bld *b, sipmsg_msg *m)
{
    sipmsg_arena *a = (sipmsg_arena *)m->edit_;
    if (!a)
        return SIPMSG_E_NO_ARENA;
    sipmsg_msg_init(m, m->headers, m->capacity);
    m->edit_ = a;
    sipmsg_change_begin_(&b->t, m);
    b->c = SIPMSG_OK;
    return SIPMSG_OK;
}

/* Appends a header (no undo record: a failed build empties the message). */
static void bld_add(bld *b, sipmsg_slice name, sipmsg_slice value)
{
    sipmsg_msg *m = b->t.m;
    if (b->c)
        return;
    if (m->count >= m->capacity) {
        b->c = SIPMSG_E_NO_SPACE;
        return;
    }
    sipmsg_header *h = &m->headers[m->count++];
    h->name = name;
    h->value = sipmsg_trim_ws_(value);
    h->raw.ptr = NULL;
    h->raw.len = 0;
    h->id = (uint16_t)sipmsg_hdr_lookup(name);
    h->flags = SIPMSG_HF_EDITED;
    h->next = SIPMSG_NONE;
}

/* Appends a copy of a header of another message (raw bytes kept). */
static void bld_copy(bld *b, const sipmsg_header *src)
{
    sipmsg_msg *m = b->t.m;
    if (b->c || !src)
        return;
    if (m->count >= m->capacity) {
        b->c = SIPMSG_E_NO_SPACE;
        return;
    }
    m->headers[m->count] = *src;
    m->headers[m->count++].next = SIPMSG_NONE;
}

/* Concatenation into the arena; a checked caller value is trimmed. */
static sipmsg_slice bld_cat(bld *b, const sipmsg_slice *parts, size_t n)
{
    sipmsg_slice out = sipmsg_empty_slice_();
    for (size_t i = 0; i < n && !b->c; i++)
        if (sipmsg_check_value_(parts[i]))
            b->c = SIPMSG_E_BAD_TEXT;
    if (!b->c)
        b->c = sipmsg_change_cat_(&b->t, parts, n, &out);
    return out;
}

static sipmsg_slice bld_text(bld *b, sipmsg_slice s)
{
    sipmsg_slice v = sipmsg_trim_ws_(s);
    if (!b->c && sipmsg_check_value_(v))
        b->c = SIPMSG_E_BAD_TEXT;
    if (!b->c)
        b->c = sipmsg_change_text_(&b->t, v, 0, &v);
    return v;
}

static sipmsg_slice bld_number(bld *b, uint64_t v)
{
    sipmsg_slice out = sipmsg_empty_slice_();
    if (!b->c)
        b->c = sipmsg_change_number_(&b->t, v, &out);
    return out;
}

/* Ends a build: index, decode; on any error an empty message. */
static sipmsg_code bld_end(bld *b)
{
    sipmsg_msg *m = b->t.m;
    sipmsg_code c = b->c;
    if (!c) {
        sipmsg_reindex_(m);
        c = sipmsg_change_redecode_(m, CHANGE_ALL_IDS);
    }
    if (c) {
        sipmsg_arena *a = b->t.a;
        a->used = b->t.used0;
        sipmsg_msg_init(m, m->headers, m->capacity);
        m->edit_ = a;
    }
    return c;
}

/* ---- requests ------------------------------------------------------------------ */

/* Optional parts of a request beyond sipmsg_request (REGISTER). */
typedef struct req_more {
    sipmsg_slice contact_params;
    int64_t contact_expires;
    int64_t expires;
    sipmsg_slice authorization;
} req_more;

static void req_start(bld *b, const sipmsg_request *r)
{
    if (b->c)
        return;
    if (sipmsg_check_token_(r->method) || !r->request_uri.ptr || !r->via.ptr ||
        !r->from.ptr || !r->to.ptr) {
        b->c = SIPMSG_E_NOT_FOUND;
        return;
    }
    sipmsg_slice parts[4] = {r->method, S(" "), r->request_uri, S(" SIP/2.0")};
    sipmsg_slice line = bld_cat(b, parts, 4);
    if (!b->c)
        b->c = sipmsg_edit_start_line_(&b->t, line);
}

/* value + ";name=" + given, or a generated one, or the value alone. */
static sipmsg_slice with_param(bld *b, sipmsg_slice value, const char *name,
                               sipmsg_slice given, const sipmsg_request *r)
{
    sipmsg_slice gen = given, parts[4];
    int branch = name[0] == 'b';
    if (!given.ptr && r->rand && !b->c)
        b->c = random_hex(&b->t, r->rand, r->rand_ctx, branch ? "z9hG4bK" : "", 8, &gen);
    if (!gen.ptr || b->c)
        return bld_text(b, value);
    if (sipmsg_check_token_(gen))
        b->c = SIPMSG_E_BAD_TEXT;
    parts[0] = sipmsg_trim_ws_(value);
    parts[1] = S(";");
    parts[2] = sipmsg_slice_of(name);
    parts[3] = gen;
    return bld_cat(b, parts, 4);
}

static void req_from(bld *b, const sipmsg_request *r)
{
    sipmsg_slice v = with_param(b, r->from, "tag=", r->from_tag, r);
    sipmsg_nameaddr na;
    if (!b->c && sipmsg_nameaddr_parse(&na, v, NULL))
        b->c = SIPMSG_E_NAME_ADDR;
    else if (!b->c && !na.tag.ptr)
        b->c = SIPMSG_E_NOT_FOUND; /* a From tag is mandatory (8.1.1.3) */
    bld_add(b, S("From"), v);
}

static void req_ids(bld *b, const sipmsg_request *r)
{
    sipmsg_slice id = r->call_id, parts[3];
    if (!id.ptr && !b->c)
        b->c = r->rand ? random_hex(&b->t, r->rand, r->rand_ctx, "", 16, &id)
                       : SIPMSG_E_NOT_FOUND;
    bld_add(b, S("Call-ID"), bld_text(b, id));
    parts[0] = bld_number(b, r->cseq ? r->cseq : 1);
    parts[1] = S(" ");
    parts[2] = r->method;
    bld_add(b, S("CSeq"), bld_cat(b, parts, 3));
}

static void req_contact(bld *b, const sipmsg_request *r, const req_more *x)
{
    sipmsg_slice parts[5];
    size_t n = 0;
    if (!r->contact.ptr)
        return;
    parts[n++] = sipmsg_trim_ws_(r->contact);
    if (x && x->contact_params.ptr && x->contact_params.len) {
        parts[n++] = S(";");
        parts[n++] = sipmsg_trim_ws_(x->contact_params);
    }
    if (x && x->contact_expires >= 0) {
        parts[n++] = S(";expires=");
        parts[n++] = bld_number(b, (uint64_t)x->contact_expires);
    }
    bld_add(b, S("Contact"), bld_cat(b, parts, n));
}

static void req_tail(bld *b, const sipmsg_request *r, const req_more *x)
{
    if (x && x->authorization.ptr)
        bld_add(b, S("Authorization"), bld_text(b, x->authorization));
    for (size_t i = 0; i < r->extra_count && !b->c; i++) {
        const sipmsg_field *f = &r->extra[i];
        if (sipmsg_check_token_(f->name))
            b->c = SIPMSG_E_BAD_TEXT;
        bld_add(b, bld_text(b, f->name), bld_text(b, f->value));
    }
    if (x && x->expires >= 0)
        bld_add(b, S("Expires"), bld_number(b, (uint64_t)x->expires));
    if (r->body.len && r->content_type.ptr)
        bld_add(b, S("Content-Type"), bld_text(b, r->content_type));
    bld_add(b, S("Content-Length"), bld_number(b, r->body.len));
    sipmsg_slice body = sipmsg_empty_slice_();
    if (!b->c && r->body.len)
        b->c = sipmsg_change_text_(&b->t, r->body, 0, &body);
    b->t.m->body = body;
}

static sipmsg_code build_req(sipmsg_msg *m, const sipmsg_request *r, const req_more *x)
{
    bld b;
    sipmsg_code c = bld_begin(&b, m);
    if (c)
        return c;
    int mf = r->max_forwards == 0 ? 70 : r->max_forwards < 0 ? 0 : r->max_forwards;
    req_start(&b, r);
    bld_add(&b, S("Via"), with_param(&b, r->via, "branch=", r->branch, r));
    bld_add(&b, S("Max-Forwards"), bld_number(&b, (uint64_t)mf));
    req_from(&b, r);
    bld_add(&b, S("To"), bld_text(&b, r->to));
    req_ids(&b, r);
    req_contact(&b, r, x);
    req_tail(&b, r, x);
    return bld_end(&b);
}

sipmsg_code sipmsg_build_request(sipmsg_msg *m, const sipmsg_request *r)
{
    return build_req(m, r, NULL);
}

sipmsg_code sipmsg_build_message(sipmsg_msg *m, const sipmsg_request *r, unsigned *report)
{
    sipmsg_request q = *r;
    q.method = S("MESSAGE");
    if (!q.content_type.ptr)
        q.content_type = S("text/plain");
    sipmsg_code c = build_req(m, &q, NULL);
    if (report) {
        *report = 0;
        if (!c && m->body.len > SIPMSG_PAGER_LIMIT)
            *report |= SIPMSG_PAGER_BODY_LARGE;
        if (!c && sipmsg_write(m, NULL, 0, 0) > SIPMSG_PAGER_LIMIT)
            *report |= SIPMSG_PAGER_SIZE_LARGE;
    }
    return c;
}

sipmsg_code sipmsg_build_register(sipmsg_msg *m, const sipmsg_register *r)
{
    sipmsg_request q = r->req;
    req_more x = {r->contact_params, r->contact_expires, r->expires, r->authorization};
    q.method = S("REGISTER");
    return build_req(m, &q, &x);
}

/* ---- retry with credentials ------------------------------------------------------ */

/* Where new credentials go: after the last header with id `after` when
 * there is one, else above Content-Length, else at the bottom. */
static size_t auth_position(const sipmsg_msg *m, sipmsg_hdr_id after)
{
    if (after != SIPMSG_HDR_OTHER && (unsigned)after < SIPMSG_HDR_COUNT_ &&
        m->last[after] != SIPMSG_NONE)
        return (size_t)m->last[after] + 1;
    if (m->first[SIPMSG_HDR_CONTENT_LENGTH] != SIPMSG_NONE)
        return m->first[SIPMSG_HDR_CONTENT_LENGTH];
    return m->count;
}

/* The credentials header's name: from the chosen challenge, else the
 * caller's, else Authorization. */
static sipmsg_slice auth_name(const sipmsg_retry *r)
{
    if (r->choice)
        return sipmsg_slice_of(sipmsg_hdr_name(r->choice->credentials_header));
    return r->auth_name.ptr ? r->auth_name : S("Authorization");
}

static sipmsg_code retry_steps(change_set *t, const sipmsg_retry *r)
{
    sipmsg_msg *m = t->m;
    sipmsg_slice parts[3], v, name = auth_name(r);
    sipmsg_code c;
    if (m->cseq == UINT32_MAX)
        return SIPMSG_E_RANGE;
    if (sipmsg_check_token_(name) ||
        sipmsg_check_value_(sipmsg_trim_ws_(r->auth_value)) || !r->auth_value.ptr)
        return SIPMSG_E_BAD_TEXT;
    /* CSeq: number + 1, same method (8.1.3.5) */
    if ((c = sipmsg_change_number_(t, (uint64_t)m->cseq + 1, &parts[0])) != SIPMSG_OK)
        return c;
    parts[1] = S(" ");
    parts[2] = m->cseq_method_name;
    if ((c = sipmsg_change_cat_(t, parts, 3, &v)) ||
        (c = sipmsg_change_replace_(t, m->first[SIPMSG_HDR_CSEQ], v)))
        return c;
    if ((c = sipmsg_change_text_(t, sipmsg_trim_ws_(r->auth_value), 0, &v)) != SIPMSG_OK)
        return c;
    const sipmsg_header *h = sipmsg_find_name(m, name);
    c = h ? sipmsg_change_replace_(t, sipmsg_hdr_index(m, h), v)
          : sipmsg_change_insert_(t, auth_position(m, r->auth_after), name, v);
    if (c)
        return c;
    sipmsg_slice branch = r->branch;
    if (!branch.ptr)
        c = random_hex(t, r->rand, r->rand_ctx, "z9hG4bK", 8, &branch);
    if (!c && m->first[SIPMSG_HDR_VIA] != SIPMSG_NONE) {
        edit_param_op op = {m->first[SIPMSG_HDR_VIA], 0, S("branch"), branch, 0};
        c = sipmsg_check_token_(branch) ? SIPMSG_E_BAD_TEXT : sipmsg_edit_param_(t, &op);
    }
    return c;
}

sipmsg_code sipmsg_build_retry(sipmsg_msg *m, const sipmsg_msg *prev,
                               const sipmsg_retry *r)
{
    change_set t;
    sipmsg_arena *a = (sipmsg_arena *)m->edit_;
    sipmsg_code c;
    if (!a)
        return SIPMSG_E_NO_ARENA;
    if (!prev->is_request || prev->first[SIPMSG_HDR_CSEQ] == SIPMSG_NONE)
        return SIPMSG_E_STATE;
    if (!r->branch.ptr && !r->rand)
        return SIPMSG_E_NO_BRANCH; /* else the retry would look like a retransmission */
    if (r->choice && r->choice->credentials_header != SIPMSG_HDR_AUTHORIZATION &&
        r->choice->credentials_header != SIPMSG_HDR_PROXY_AUTHORIZATION)
        return SIPMSG_E_STATE;
    if ((c = sipmsg_msg_copy(m, prev)) != SIPMSG_OK)
        return c;
    sipmsg_change_begin_(&t, m);
    c = sipmsg_change_commit_(&t, retry_steps(&t, r));
    if (c) {
        sipmsg_msg_init(m, m->headers, m->capacity);
        m->edit_ = a;
    }
    return c;
}

/* ---- responses ----------------------------------------------------------------------- */

static void resp_start(bld *b, const sipmsg_response *r)
{
    char code[4];
    sipmsg_slice reason = r->reason, parts[4];
    if (b->c)
        return;
    if (r->status_code < 100 || r->status_code > 699) {
        b->c = SIPMSG_E_STATUS_CODE;
        return;
    }
    if (!reason.ptr)
        reason = sipmsg_slice_of(sipmsg_reason_phrase(r->status_code));
    code[0] = (char)('0' + r->status_code / 100);
    code[1] = (char)('0' + r->status_code / 10 % 10);
    code[2] = (char)('0' + r->status_code % 10);
    parts[0] = S("SIP/2.0 ");
    parts[1] = mkslice(code, code + 3);
    parts[2] = S(" ");
    parts[3] = reason;
    sipmsg_slice line = bld_cat(b, parts, 4);
    if (!b->c)
        b->c = sipmsg_edit_start_line_(&b->t, line);
}

/* To as received, with a tag added when it has none (not for 100). */
static void resp_to(bld *b, const sipmsg_msg *req, const sipmsg_response *r)
{
    const sipmsg_header *to = sipmsg_find(req, SIPMSG_HDR_TO);
    sipmsg_slice tag = r->to_tag, parts[3];
    if (!to || req->to_tag.ptr || r->status_code == 100) {
        bld_copy(b, to);
        return;
    }
    if (!tag.ptr && !b->c)
        b->c = r->rand ? random_hex(&b->t, r->rand, r->rand_ctx, "", 8, &tag)
                       : SIPMSG_E_STATE;
    if (!b->c && sipmsg_check_token_(tag))
        b->c = SIPMSG_E_BAD_TEXT;
    parts[0] = to->value;
    parts[1] = S(";tag=");
    parts[2] = tag;
    bld_add(b, to->name, bld_cat(b, parts, 3));
}

/* Requests whose 101-299 responses create a dialog (RFC 3261 12.1,
 * RFC 6665 4.1.2.2 SUBSCRIBE, RFC 3515 REFER): they get the Record-Route. */
static int creates_dialog(const sipmsg_msg *req)
{
    return req->method == SIPMSG_METHOD_INVITE ||
           req->method == SIPMSG_METHOD_SUBSCRIBE || req->method == SIPMSG_METHOD_REFER;
}

sipmsg_code sipmsg_build_response(sipmsg_msg *m, const sipmsg_msg *req,
                                  const sipmsg_response *r)
{
    bld b;
    if (m == req || !req->is_request)
        return SIPMSG_E_STATE;
    sipmsg_code c = bld_begin(&b, m);
    if (c)
        return c;
    resp_start(&b, r);
    for (const sipmsg_header *h = sipmsg_find(req, SIPMSG_HDR_VIA); h;
         h = sipmsg_find_next(req, h))
        bld_copy(&b, h);
    bld_copy(&b, sipmsg_find(req, SIPMSG_HDR_FROM));
    resp_to(&b, req, r);
    bld_copy(&b, sipmsg_find(req, SIPMSG_HDR_CALL_ID));
    bld_copy(&b, sipmsg_find(req, SIPMSG_HDR_CSEQ));
    if (creates_dialog(req) && r->status_code > 100 && r->status_code < 300)
        for (const sipmsg_header *h = sipmsg_find(req, SIPMSG_HDR_RECORD_ROUTE); h;
             h = sipmsg_find_next(req, h))
            bld_copy(&b, h);
    if (r->status_code == 100)
        bld_copy(&b, sipmsg_find(req, SIPMSG_HDR_TIMESTAMP));
    if (r->contact.ptr && !b.c) {
        sipmsg_slice v = sipmsg_trim_ws_(r->contact);
        if (!v.len || sipmsg_check_value_(v))
            b.c = SIPMSG_E_BAD_TEXT;
        else
            bld_add(&b, S("Contact"), bld_text(&b, v));
    }
    bld_add(&b, S("Content-Length"), S("0"));
    m->body = sipmsg_empty_slice_();
    size_t used0 = b.t.used0;
    sipmsg_arena *a = b.t.a;
    if ((c = bld_end(&b)) != SIPMSG_OK || !r->received.ptr)
        return c;
    /* the top Via as the server records it on receipt (18.2.1) */
    if ((c = sipmsg_via_received(m, r->received, r->rport)) != SIPMSG_OK) {
        a->used = used0;
        sipmsg_msg_init(m, m->headers, m->capacity);
        m->edit_ = a;
    }
    return c;
}
