/*
 * edit.c - the public edits: insert, remove, replace a header; remove one
 * element of a comma list; set or remove a parameter; replace the
 * Request-URI, the start line or the body; copy a message.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "edit.h"

#include "headers.h"
#include "lex.h"
#include "uri_internal.h"
#include "mem.h"

/* ---- headers --------------------------------------------------------------- */

size_t sipmsg_hdr_index(const sipmsg_msg *m, const sipmsg_header *h)
{
    return (size_t)(h - m->headers);
}

/* A known name spelled as its canonical full form needs no arena copy. */
static sipmsg_slice static_name(sipmsg_slice name)
{
    const char *full = sipmsg_hdr_name(sipmsg_hdr_lookup(name));
    if (full && strlen(full) == name.len && memcmp(full, name.ptr, name.len) == 0)
        return mkslice(full, full + name.len);
    return mkslice(NULL, NULL);
}

sipmsg_code sipmsg_hdr_insert(sipmsg_msg *m, size_t at, sipmsg_slice name,
                              sipmsg_slice value, unsigned flags)
{
    change_set t;
    sipmsg_slice n = static_name(name), v = {NULL, 0};
    sipmsg_code c;
    value = sipmsg_trim_ws_(value);
    if (at == SIPMSG_AT_END)
        at = m->count;
    /* Content-Length is checked with the other decoded fields at commit */
    if ((c = sipmsg_check_token_(name)) || (c = sipmsg_check_value_(value)))
        return c;
    if (at > m->count)
        return SIPMSG_E_RANGE;
    sipmsg_change_begin_(&t, m);
    if (!n.ptr)
        c = sipmsg_change_text_(&t, name, flags, &n);
    if (!c)
        c = sipmsg_change_text_(&t, value, flags, &v);
    if (!c)
        c = sipmsg_change_insert_(&t, at, n, v);
    return sipmsg_change_commit_(&t, c);
}

sipmsg_code sipmsg_hdr_remove(sipmsg_msg *m, size_t index)
{
    change_set t;
    if (index >= m->count)
        return SIPMSG_E_RANGE;
    sipmsg_change_begin_(&t, m);
    return sipmsg_change_commit_(&t, sipmsg_change_remove_(&t, index));
}

sipmsg_code sipmsg_hdr_set(sipmsg_msg *m, size_t index, sipmsg_slice value,
                           unsigned flags)
{
    change_set t;
    sipmsg_slice v = {NULL, 0};
    sipmsg_code c;
    if (index >= m->count)
        return SIPMSG_E_RANGE;
    value = sipmsg_trim_ws_(value);
    if ((c = sipmsg_check_value_(value)) != SIPMSG_OK)
        return c;
    sipmsg_change_begin_(&t, m);
    c = sipmsg_change_text_(&t, value, flags, &v);
    if (!c)
        c = sipmsg_change_replace_(&t, index, v);
    return sipmsg_change_commit_(&t, c);
}

/* ---- list elements ----------------------------------------------------------- */

sipmsg_code sipmsg_edit_find_elem_(const sipmsg_header *h, size_t elem, edit_elem *out)
{
    out->prev_end = out->next_start = NULL;
    out->el = sipmsg_empty_slice_();
    if (!(sipmsg_hdr_props((sipmsg_hdr_id)h->id) & SIPMSG_HP_LIST)) {
        out->el = h->value;
        return elem == 0 ? SIPMSG_OK : SIPMSG_E_RANGE;
    }
    /* Without ',', '"', '<' or '(' the list is its one value (values are
     * trimmed), and no list error is possible: no scan needed. */
    const char *v = h->value.ptr;
    size_t n = h->value.len;
    if (n && find_elemsep(v, v + n) == v + n) {
        out->el = h->value;
        return elem == 0 ? SIPMSG_OK : SIPMSG_E_RANGE;
    }
    sipmsg_list_iter it;
    sipmsg_slice el;
    size_t i = 0;
    int r;
    sipmsg_list_init(&it, h->value);
    while ((r = sipmsg_list_next(&it, &el, NULL)) > 0) {
        if (i == elem) {
            out->el = el;
        } else if (i == elem + 1) {
            out->next_start = el.ptr;
            return SIPMSG_OK;
        } else if (i + 1 == elem) {
            out->prev_end = el.ptr + el.len;
        }
        i++;
    }
    if (r < 0)
        return SIPMSG_E_LIST;
    return i > elem ? SIPMSG_OK : SIPMSG_E_RANGE;
}

/* The value of h without [a, b). */
static sipmsg_code cut(change_set *t, const sipmsg_header *h, const char *a,
                       const char *b, sipmsg_slice *out)
{
    sipmsg_slice parts[2];
    parts[0] = mkslice(h->value.ptr, a);
    parts[1] = mkslice(b, h->value.ptr + h->value.len);
    return sipmsg_change_cat_(t, parts, 2, out);
}

static sipmsg_code remove_value(change_set *t, size_t index, size_t elem)
{
    sipmsg_msg *m = t->m;
    edit_elem e;
    sipmsg_slice v;
    if (index >= m->count)
        return SIPMSG_E_RANGE;
    const sipmsg_header *h = &m->headers[index];
    sipmsg_code c = sipmsg_edit_find_elem_(h, elem, &e);
    if (c)
        return c;
    if (!e.prev_end && !e.next_start)
        return sipmsg_change_remove_(t, index);
    if (e.prev_end) /* "a, b": drop ", b" */
        c = cut(t, h, e.prev_end, e.el.ptr + e.el.len, &v);
    else /* "a, b": drop "a, " */
        c = cut(t, h, e.el.ptr, e.next_start, &v);
    return c ? c : sipmsg_change_replace_(t, index, sipmsg_trim_ws_(v));
}

sipmsg_code sipmsg_hdr_remove_value(sipmsg_msg *m, size_t index, size_t elem)
{
    change_set t;
    sipmsg_change_begin_(&t, m);
    return sipmsg_change_commit_(&t, remove_value(&t, index, elem));
}

/* ---- parameters ----------------------------------------------------------------- */

/* The first ';' of an element outside quotes and <...>, or its end. */
static const char *params_start(sipmsg_slice el)
{
    const char *p = el.ptr, *e = el.ptr + el.len;
    while ((p = find_paramsep(p, e)) < e && *p != ';') {
        if (*p == '"') {
            p = sipmsg_skip_quoted_(p, e);
            if (!p)
                return e;
        } else { /* '<' */
            const char *q = memchr(p, '>', (size_t)(e - p));
            p = q ? q + 1 : e;
        }
    }
    return p;
}

/* gen-value = token / host / quoted-string */
static sipmsg_code check_gen_value(sipmsg_slice v)
{
    if (!v.ptr)
        return SIPMSG_OK;
    if (v.len == 0 || sipmsg_check_value_(v))
        return SIPMSG_E_BAD_TEXT;
    const char *p = v.ptr, *e = v.ptr + v.len;
    if (*p == '"')
        return sipmsg_skip_quoted_(p, e) == e ? SIPMSG_OK : SIPMSG_E_BAD_TEXT;
    for (; p < e; p++)
        if (!cis((unsigned char)*p, C_TOKEN) && *p != ':' && *p != '[' && *p != ']')
            return SIPMSG_E_BAD_TEXT;
    return SIPMSG_OK;
}

/* Finds parameter `name` in the element's params. On success *a is its ';'
 * and *b the end of its value; not found gives SIPMSG_E_NOT_FOUND. */
static sipmsg_code find_param(sipmsg_slice params, sipmsg_slice name, const char **a,
                              const char **b)
{
    sipmsg_param_iter it;
    sipmsg_param prm;
    int r;
    sipmsg_param_iter_init(&it, params, 0);
    while ((r = sipmsg_param_next(&it, &prm, NULL)) > 0) {
        if (prm.name.len != name.len ||
            !sipmsg_memcaseeq_(prm.name.ptr, name.ptr, name.len))
            continue;
        const char *s = prm.name.ptr;
        while (s > params.ptr && *s != ';')
            s--;
        *a = s;
        *b = prm.value.ptr ? prm.value.ptr + prm.value.len : prm.name.ptr + prm.name.len;
        return SIPMSG_OK;
    }
    return r < 0 ? SIPMSG_E_PARAM : SIPMSG_E_NOT_FOUND;
}

sipmsg_code sipmsg_edit_param_at_(const sipmsg_header *h, size_t elem, sipmsg_slice name,
                                  int remove, const char **a, const char **b)
{
    edit_elem e;
    sipmsg_code c;
    if ((c = sipmsg_edit_find_elem_(h, elem, &e)) != SIPMSG_OK)
        return c;
    const char *ps = params_start(e.el), *end = e.el.ptr + e.el.len;
    c = find_param(mkslice(ps, end), name, a, b);
    if (c == SIPMSG_E_NOT_FOUND && !remove)
        *a = *b = end, c = SIPMSG_OK;
    return c;
}

sipmsg_code sipmsg_edit_param_(change_set *t, const edit_param_op *op)
{
    sipmsg_msg *m = t->m;
    const char *a, *b;
    sipmsg_code c;
    if (op->index >= m->count)
        return SIPMSG_E_RANGE;
    const sipmsg_header *h = &m->headers[op->index];
    c = sipmsg_edit_param_at_(h, op->elem, op->name, op->remove, &a, &b);
    if (c)
        return c;
    sipmsg_slice parts[6], v;
    size_t n = 0;
    parts[n++] = mkslice(h->value.ptr, a);
    if (!op->remove) {
        parts[n++] = SLICE_LIT(";");
        parts[n++] = op->name;
        if (op->value.ptr) {
            parts[n++] = SLICE_LIT("=");
            parts[n++] = op->value;
        }
    }
    parts[n++] = mkslice(b, h->value.ptr + h->value.len);
    if ((c = sipmsg_change_cat_(t, parts, n, &v)) != SIPMSG_OK)
        return c;
    return sipmsg_change_replace_(t, op->index, v);
}

sipmsg_code sipmsg_param_set(sipmsg_msg *m, size_t index, size_t elem, sipmsg_slice name,
                             sipmsg_slice value)
{
    change_set t;
    edit_param_op op = {index, elem, name, value, 0};
    sipmsg_code c;
    if ((c = sipmsg_check_token_(name)) || (c = check_gen_value(value)))
        return c;
    sipmsg_change_begin_(&t, m);
    return sipmsg_change_commit_(&t, sipmsg_edit_param_(&t, &op));
}

sipmsg_code sipmsg_param_remove(sipmsg_msg *m, size_t index, size_t elem,
                                sipmsg_slice name)
{
    change_set t;
    edit_param_op op = {index, elem, name, {NULL, 0}, 1};
    sipmsg_code c;
    if ((c = sipmsg_check_token_(name)) != SIPMSG_OK)
        return c;
    sipmsg_change_begin_(&t, m);
    return sipmsg_change_commit_(&t, sipmsg_edit_param_(&t, &op));
}

/* ---- start line and body ------------------------------------------------------- */

sipmsg_code sipmsg_set_request_uri(sipmsg_msg *m, sipmsg_slice uri, unsigned flags)
{
    change_set t;
    sipmsg_slice parts[6], line;
    (void)flags; /* the start line is rebuilt, so the URI is always copied */
    if (!m->is_request)
        return SIPMSG_E_STATE;
    if (!uri.ptr || uri.len == 0)
        return SIPMSG_E_BAD_TEXT;
    for (size_t i = 0; i < uri.len; i++)
        if (cis((unsigned char)uri.ptr[i], C_CTL | C_WS) || uri.ptr[i] == ' ')
            return SIPMSG_E_BAD_TEXT;
    if (!sipmsg_uri_scheme_ok_(uri.ptr, uri.ptr + uri.len))
        return SIPMSG_E_BAD_TEXT; /* as the parser: scheme ":" and more */
    parts[0] = m->method_name;
    parts[1] = SLICE_LIT(" ");
    parts[2] = uri;
    parts[3] = parts[1];
    parts[4] = m->version;
    parts[5] = SLICE_LIT("\r\n"); /* keeps the line followed by CRLF */
    sipmsg_change_begin_(&t, m);
    sipmsg_change_save_start_(&t);
    sipmsg_code c = sipmsg_change_cat_(&t, parts, 6, &line);
    if (!c) {
        const char *p = line.ptr;
        m->start_line = mkslice(p, p + line.len - 2);
        m->method_name = mkslice(p, p + parts[0].len);
        p += parts[0].len + 1;
        m->request_uri = mkslice(p, p + uri.len);
        p += uri.len + 1;
        m->version = mkslice(p, p + parts[4].len);
    }
    return sipmsg_change_commit_(&t, c);
}

/* Copies the start-line fields of a parsed one-line message. */
static void take_start(sipmsg_msg *m, const sipmsg_msg *s)
{
    m->is_request = s->is_request;
    m->start_line = s->start_line;
    m->method = s->method;
    m->method_name = s->method_name;
    m->request_uri = s->request_uri;
    m->version = s->version;
    m->version_major = s->version_major;
    m->version_minor = s->version_minor;
    m->status_code = s->status_code;
    m->reason = s->reason;
}

sipmsg_code sipmsg_edit_start_line_(change_set *t, sipmsg_slice line)
{
    sipmsg_slice parts[2], text;
    sipmsg_msg one;
    sipmsg_error err;
    if (!line.ptr || line.len == 0 || sipmsg_check_value_(line) != SIPMSG_OK)
        return SIPMSG_E_BAD_TEXT;
    parts[0] = line;
    parts[1] = SLICE_LIT("\r\n\r\n");
    sipmsg_change_save_start_(t);
    sipmsg_code c = sipmsg_change_cat_(t, parts, 2, &text);
    if (c)
        return c;
    /* the parser checks the line: a message of just that line */
    sipmsg_msg_init(&one, NULL, 0);
    if (sipmsg_parse(&one, text.ptr, text.len, NULL, &err) != SIPMSG_DONE)
        return err.code ? err.code : SIPMSG_E_START_LINE;
    if (one.skipped != 0 || one.start_line.len != line.len)
        return SIPMSG_E_BAD_TEXT;
    take_start(t->m, &one);
    return SIPMSG_OK;
}

sipmsg_code sipmsg_set_start_line(sipmsg_msg *m, sipmsg_slice line, unsigned flags)
{
    change_set t;
    (void)flags;
    sipmsg_change_begin_(&t, m);
    return sipmsg_change_commit_(&t, sipmsg_edit_start_line_(&t, line));
}

sipmsg_code sipmsg_set_body(sipmsg_msg *m, sipmsg_slice body, unsigned flags)
{
    change_set t;
    sipmsg_slice b = {NULL, 0}, num = {NULL, 0};
    sipmsg_change_begin_(&t, m);
    sipmsg_change_save_start_(&t);
    sipmsg_code c = sipmsg_change_text_(&t, body, flags, &b);
    if (!c)
        c = sipmsg_change_number_(&t, b.len, &num);
    if (!c) {
        m->body = b;
        const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_CONTENT_LENGTH);
        if (!h)
            c = sipmsg_change_insert_(&t, m->count, SLICE_LIT("Content-Length"), num);
        for (; h && !c; h = sipmsg_find_next(m, h))
            c = sipmsg_change_replace_(&t, sipmsg_hdr_index(m, h), num);
    }
    return sipmsg_change_commit_(&t, c);
}

sipmsg_code sipmsg_msg_copy(sipmsg_msg *dst, const sipmsg_msg *src)
{
    if (dst == src)
        return SIPMSG_OK;
    if (dst->capacity < src->count)
        return SIPMSG_E_NO_SPACE;
    sipmsg_header *headers = dst->headers;
    size_t capacity = dst->capacity;
    void *edit = dst->edit_;
    sipmsg_copy_(dst, src, sizeof *dst);
    dst->headers = headers;
    dst->capacity = capacity;
    dst->edit_ = edit;
    if (src->count)
        memcpy(headers, src->headers, src->count * sizeof *headers);
    return SIPMSG_OK;
}
