/*
 * change.c - the change set every edit runs in: text checks, arena text,
 * header-table primitives that record their own undo, commit (reindex and
 * re-decode) and rollback.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "change.h"

#include "decode.h"
#include "fields.h"
#include "headers.h"

void sipmsg_arena_init(sipmsg_arena *a, char *buf, size_t cap)
{
    a->buf = buf;
    a->cap = buf ? cap : 0;
    a->used = 0;
}

void sipmsg_edit_init(sipmsg_msg *m, sipmsg_arena *a)
{
    m->edit_ = a;
}

static const char empty_text[1] = "";

sipmsg_slice sipmsg_empty_slice_(void)
{
    return mkslice(empty_text, empty_text);
}

void sipmsg_change_begin_(change_set *t, sipmsg_msg *m)
{
    t->m = m;
    t->a = (sipmsg_arena *)m->edit_;
    t->used0 = t->a ? t->a->used : 0;
    t->n = 0;
    t->start_saved = 0;
    t->decoded = 0;
}

sipmsg_code sipmsg_change_no_room_(const change_set *t)
{
    return t->a && t->a->buf ? SIPMSG_E_NO_SPACE : SIPMSG_E_NO_ARENA;
}

char *sipmsg_change_alloc_(change_set *t, size_t n)
{
    sipmsg_arena *a = t->a;
    if (!a || !a->buf || a->used > a->cap || n > a->cap - a->used)
        return NULL;
    char *p = a->buf + a->used;
    a->used += n;
    return p;
}

sipmsg_code sipmsg_change_cat_(change_set *t, const sipmsg_slice *parts, size_t n,
                               sipmsg_slice *out)
{
    size_t total = 0, nonempty = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].len) {
            nonempty++;
            last = i;
        }
        total += parts[i].len;
    }
    if (nonempty <= 1) {
        /* zero-copy: the one non-empty part (or an empty, present slice) */
        *out = nonempty ? parts[last] : sipmsg_empty_slice_();
        return SIPMSG_OK;
    }
    char *p = sipmsg_change_alloc_(t, total);
    if (!p)
        return sipmsg_change_no_room_(t);
    out->ptr = p;
    out->len = total;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].len == 1)
            *p = *parts[i].ptr; /* the ';' and '=' between parts: no call */
        else if (parts[i].len)
            memcpy(p, parts[i].ptr, parts[i].len);
        p += parts[i].len;
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_change_text_(change_set *t, sipmsg_slice s, unsigned flags,
                                sipmsg_slice *out)
{
    if ((flags & SIPMSG_EDIT_REF) || s.len == 0) {
        *out = s.ptr ? s : sipmsg_empty_slice_();
        return SIPMSG_OK;
    }
    char *p = sipmsg_change_alloc_(t, s.len);
    if (!p)
        return sipmsg_change_no_room_(t);
    memcpy(p, s.ptr, s.len);
    out->ptr = p;
    out->len = s.len;
    return SIPMSG_OK;
}

sipmsg_slice sipmsg_decimal_(uint64_t v, char buf[SIPMSG_DECIMAL_MAX_])
{
    size_t n = 0;
    do {
        buf[SIPMSG_DECIMAL_MAX_ - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return mkslice(buf + SIPMSG_DECIMAL_MAX_ - n, buf + SIPMSG_DECIMAL_MAX_);
}

sipmsg_code sipmsg_change_number_(change_set *t, uint64_t v, sipmsg_slice *out)
{
    char tmp[SIPMSG_DECIMAL_MAX_];
    return sipmsg_change_text_(t, sipmsg_decimal_(v, tmp), 0, out);
}

/* ---- table primitives ---------------------------------------------------- */

static change_undo *log_entry(change_set *t, int kind, size_t index, uint16_t id)
{
    if (t->n >= CHANGE_MAX)
        return NULL;
    change_undo *u = &t->u[t->n++];
    u->kind = kind;
    u->id = id;
    u->index = index;
    return u;
}

static void raw_insert(sipmsg_msg *m, size_t at, const sipmsg_header *h)
{
    memmove(&m->headers[at + 1], &m->headers[at], (m->count - at) * sizeof m->headers[0]);
    m->headers[at] = *h;
    m->count++;
}

static void raw_remove(sipmsg_msg *m, size_t at)
{
    memmove(&m->headers[at], &m->headers[at + 1],
            (m->count - at - 1) * sizeof m->headers[0]);
    m->count--;
}

static uint16_t value_flags(sipmsg_slice v)
{
    if (v.len && find_eol(v.ptr, v.ptr + v.len) != v.ptr + v.len)
        return SIPMSG_HF_EDITED | SIPMSG_HF_FOLDED;
    return SIPMSG_HF_EDITED;
}

static sipmsg_code insert_with(change_set *t, size_t at, uint16_t id, sipmsg_slice name,
                               sipmsg_slice value, int plain)
{
    value = sipmsg_trim_ws_(value); /* as the parser would read it back */
    sipmsg_msg *m = t->m;
    if (at > m->count)
        return SIPMSG_E_RANGE;
    if (m->count >= m->capacity || !log_entry(t, UNDO_INSERTED, at, id))
        return SIPMSG_E_NO_SPACE;
    sipmsg_header h;
    h.name = name;
    h.value = value;
    h.raw.ptr = NULL;
    h.raw.len = 0;
    h.id = id;
    h.flags = plain ? SIPMSG_HF_EDITED : value_flags(value);
    h.next = SIPMSG_NONE;
    raw_insert(m, at, &h);
    return SIPMSG_OK;
}

sipmsg_code sipmsg_change_insert_(change_set *t, size_t at, sipmsg_slice name,
                                  sipmsg_slice value)
{
    return insert_with(t, at, (uint16_t)sipmsg_hdr_lookup(name), name, value, 0);
}

sipmsg_code sipmsg_change_insert_plain_(change_set *t, size_t at, sipmsg_hdr_id id,
                                        sipmsg_slice name, sipmsg_slice value)
{
    return insert_with(t, at, (uint16_t)id, name, value, 1);
}

sipmsg_code sipmsg_change_remove_(change_set *t, size_t index)
{
    sipmsg_msg *m = t->m;
    if (index >= m->count)
        return SIPMSG_E_RANGE;
    change_undo *u = log_entry(t, UNDO_REMOVED, index, m->headers[index].id);
    if (!u)
        return SIPMSG_E_NO_SPACE;
    u->saved = m->headers[index];
    raw_remove(m, index);
    return SIPMSG_OK;
}

static sipmsg_code replace_with(change_set *t, size_t index, sipmsg_slice value,
                                int plain)
{
    sipmsg_msg *m = t->m;
    if (index >= m->count)
        return SIPMSG_E_RANGE;
    change_undo *u = log_entry(t, UNDO_REPLACED, index, m->headers[index].id);
    if (!u)
        return SIPMSG_E_NO_SPACE;
    sipmsg_header *h = &m->headers[index];
    u->saved = *h;
    h->value = sipmsg_trim_ws_(value); /* as the parser would read it back */
    h->raw.ptr = NULL;
    h->raw.len = 0;
    h->flags = plain ? SIPMSG_HF_EDITED : value_flags(value);
    return SIPMSG_OK;
}

sipmsg_code sipmsg_change_replace_(change_set *t, size_t index, sipmsg_slice value)
{
    return replace_with(t, index, value, 0);
}

/* Not built on sipmsg_change_cat_: its generic parts cost about 160
 * instructions more per line (measured on the proxy step). */
sipmsg_code sipmsg_change_line_(change_set *t, sipmsg_slice name,
                                const sipmsg_slice *parts, size_t n,
                                sipmsg_slice *name_out, sipmsg_slice *value_out)
{
    size_t vl = 0;
    for (size_t i = 0; i < n; i++)
        vl += parts[i].len;
    char *p = sipmsg_change_alloc_(t, name.len + vl + 4);
    if (!p)
        return sipmsg_change_no_room_(t);
    memcpy(p, name.ptr, name.len);
    p[name.len] = ':';
    p[name.len + 1] = ' ';
    char *v = p + name.len + 2, *q = v;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].len)
            memcpy(q, parts[i].ptr, parts[i].len);
        q += parts[i].len;
    }
    q[0] = '\r';
    q[1] = '\n';
    *name_out = mkslice(p, p + name.len);
    *value_out = mkslice(v, q);
    return SIPMSG_OK;
}

sipmsg_code sipmsg_change_replace_line_(change_set *t, size_t index, sipmsg_slice name,
                                        sipmsg_slice value, int plain)
{
    sipmsg_code c = replace_with(t, index, value, plain);
    if (c)
        return c;
    t->m->headers[index].name = name; /* the undo entry saved the whole header */
    return SIPMSG_OK;
}

void sipmsg_change_save_start_(change_set *t)
{
    if (t->start_saved)
        return;
    const sipmsg_msg *m = t->m;
    change_start *s = &t->start;
    s->is_request = m->is_request;
    s->start_line = m->start_line;
    s->method_name = m->method_name;
    s->request_uri = m->request_uri;
    s->version = m->version;
    s->reason = m->reason;
    s->body = m->body;
    s->method = m->method;
    s->version_major = m->version_major;
    s->version_minor = m->version_minor;
    s->status_code = m->status_code;
    t->start_saved = 1;
}

static void restore_start(change_set *t)
{
    sipmsg_msg *m = t->m;
    const change_start *s = &t->start;
    m->is_request = s->is_request;
    m->start_line = s->start_line;
    m->method_name = s->method_name;
    m->request_uri = s->request_uri;
    m->version = s->version;
    m->reason = s->reason;
    m->body = s->body;
    m->method = s->method;
    m->version_major = s->version_major;
    m->version_minor = s->version_minor;
    m->status_code = s->status_code;
}

/* ---- commit and rollback ------------------------------------------------- */

static void clear_decoded(sipmsg_msg *m)
{
    sipmsg_top_via_clear_(&m->via);
    m->from_tag.ptr = m->to_tag.ptr = m->call_id.ptr = NULL;
    m->from_tag.len = m->to_tag.len = m->call_id.len = 0;
    m->cseq = 0;
    m->cseq_method = SIPMSG_METHOD_NONE;
    m->cseq_method_name.ptr = NULL;
    m->cseq_method_name.len = 0;
    m->max_forwards = -1;
    m->content_type.ptr = NULL;
    m->content_type.len = 0;
}

#define BIT(id) (1u << (id))
#define IDS_FULL                                                                         \
    (BIT(SIPMSG_HDR_FROM) | BIT(SIPMSG_HDR_TO) | BIT(SIPMSG_HDR_CALL_ID) |               \
     BIT(SIPMSG_HDR_CSEQ) | BIT(SIPMSG_HDR_CONTENT_TYPE))

static sipmsg_code redecode_max_forwards(sipmsg_msg *m)
{
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_MAX_FORWARDS);
    uint32_t mf;
    m->max_forwards = -1;
    if (!h)
        return SIPMSG_OK;
    sipmsg_code c = sipmsg_max_forwards_parse(h->value, &mf);
    if (!c)
        m->max_forwards = (int)mf;
    return c;
}

/* Every Content-Length must read as the parser reads it (1*DIGIT, nothing
 * else: a parameter added to it is not) and equal the body length, or the
 * written message would not parse back to this one. */
static sipmsg_code recheck_content_length(sipmsg_msg *m)
{
    m->content_length = -1;
    for (const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_CONTENT_LENGTH); h;
         h = sipmsg_find_next(m, h)) {
        int64_t v;
        const char *why;
        if (sipmsg_content_length_(h->value, &v, &why) || (uint64_t)v != m->body.len)
            return SIPMSG_E_CONTENT_LENGTH;
        m->content_length = v;
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_change_redecode_(sipmsg_msg *m, uint32_t ids)
{
    if (ids & BIT(SIPMSG_HDR_CONTENT_LENGTH)) {
        sipmsg_code c = recheck_content_length(m);
        if (c)
            return c;
    }
    if (ids & IDS_FULL) {
        clear_decoded(m);
        return sipmsg_decode_(m, NULL);
    }
    /* the proxy steps touch only these: no need to parse From/To again */
    sipmsg_code c = SIPMSG_OK;
    if (ids & BIT(SIPMSG_HDR_VIA))
        c = sipmsg_decode_top_via_(m, NULL);
    if (!c && (ids & BIT(SIPMSG_HDR_MAX_FORWARDS)))
        c = redecode_max_forwards(m);
    return c;
}

/* The ids the change set's changes touched. */
static uint32_t touched(const change_set *t)
{
    uint32_t ids = 0;
    for (size_t i = 0; i < t->n; i++)
        ids |= t->u[i].id < 32 ? BIT(t->u[i].id) : 0;
    return ids;
}

static void rollback(change_set *t)
{
    sipmsg_msg *m = t->m;
    if (t->a)
        t->a->used = t->used0;
    if (t->n == 0 && !t->start_saved)
        return; /* nothing was changed */
    while (t->n > 0) {
        const change_undo *u = &t->u[--t->n];
        if (u->kind == UNDO_INSERTED)
            raw_remove(m, u->index);
        else if (u->kind == UNDO_REMOVED)
            raw_insert(m, u->index, &u->saved);
        else
            m->headers[u->index] = u->saved;
    }
    if (t->start_saved)
        restore_start(t);
    sipmsg_reindex_(m);
    (void)sipmsg_change_redecode_(m, CHANGE_ALL_IDS);
}

sipmsg_code sipmsg_change_commit_(change_set *t, sipmsg_code c)
{
    if (c == SIPMSG_OK) {
        sipmsg_reindex_(t->m);
        c = sipmsg_change_redecode_(t->m, touched(t) & ~t->decoded);
        if (c == SIPMSG_OK)
            return SIPMSG_OK;
    }
    rollback(t);
    return c;
}

/* ---- text checks ---------------------------------------------------------- */

sipmsg_code sipmsg_check_value_(sipmsg_slice v)
{
    if (!v.ptr)
        return v.len ? SIPMSG_E_BAD_TEXT : SIPMSG_OK;
    return find_nontext(v.ptr, v.ptr + v.len) == v.ptr + v.len ? SIPMSG_OK
                                                               : SIPMSG_E_BAD_TEXT;
}

sipmsg_code sipmsg_check_token_(sipmsg_slice v)
{
    if (!v.ptr || v.len == 0)
        return SIPMSG_E_BAD_TEXT;
    return scan_class(v.ptr, v.ptr + v.len, C_TOKEN) == v.ptr + v.len ? SIPMSG_OK
                                                                      : SIPMSG_E_BAD_TEXT;
}

sipmsg_slice sipmsg_trim_ws_(sipmsg_slice v)
{
    if (!v.ptr)
        return sipmsg_empty_slice_();
    if (v.len == 0 ||
        (!is_lws((unsigned char)v.ptr[0]) && !is_lws((unsigned char)v.ptr[v.len - 1])))
        return v; /* nothing to trim: nearly always */
    /* LWS, folds included: a value cut out of "a\r\n ;x=1" must not keep
     * the CRLF, which would end the header block when written */
    const char *p = sipmsg_skip_lws_(v.ptr, v.ptr + v.len);
    return mkslice(p, sipmsg_trim_end_(p, v.ptr + v.len));
}
