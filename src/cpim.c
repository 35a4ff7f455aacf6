/*
 * cpim.c - message/cpim bodies (RFC 3862): the view and the builder.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Built on the public API only: the header blocks are read with
 * sipmsg_fields_parse (multipart.c), addresses with sipmsg_nameaddr_parse.
 */
#include "sipmsg/body.h"

#include <string.h>

#include "error.h"
#include "mem.h"
#include "outbuf.h"

static sipmsg_code fail(sipmsg_error *err, sipmsg_code code, size_t off, const char *msg)
{
    return seterr(err, code, off, -1, msg);
}

/* Exact (case-sensitive) equality: RFC 3862 3.1 header names are
 * case-sensitive. */
static int eq(sipmsg_slice s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

static int is_token(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("-.!%*_+`'~", c) != NULL;
}

/*
 * From-header = "From" ": " [ Formal-name ] "<" URI ">"   (RFC 3862 4.1)
 * and the same for To and cc: a name-addr in angle brackets, with no
 * parameters after it. `off` is the value's offset in the body.
 */
static sipmsg_code check_address(sipmsg_slice v, size_t off, sipmsg_error *err)
{
    sipmsg_nameaddr na;
    sipmsg_code c = sipmsg_nameaddr_parse(&na, v, err);
    if (c != SIPMSG_OK) {
        if (err)
            err->offset += off;
        return c;
    }
    if (!na.angle)
        return fail(err, SIPMSG_E_NAME_ADDR, off, "CPIM address not in <>");
    if (na.params.ptr)
        return fail(err, SIPMSG_E_NAME_ADDR, off + (size_t)(na.params.ptr - v.ptr),
                    "parameters after a CPIM address");
    return SIPMSG_OK;
}

void sipmsg_cpim_init(sipmsg_cpim *c, sipmsg_header *table, size_t capacity)
{
    sipmsg_fill_(c, 0, sizeof *c);
    c->table = table;
    c->capacity = table ? capacity : 0;
    sipmsg_fields_init(&c->headers, table, c->capacity);
    sipmsg_fields_init(&c->mime, table, c->capacity);
}

/* The shortcuts and address checks over the message headers. */
static sipmsg_code read_headers(sipmsg_cpim *c, const char *base, sipmsg_error *err)
{
    for (size_t i = 0; c->headers.headers && i < c->headers.count; i++) {
        const sipmsg_header *h = &c->headers.headers[i];
        sipmsg_slice *dst = NULL;
        int addr = 0;
        if (eq(h->name, "From"))
            dst = &c->from, addr = 1;
        else if (eq(h->name, "To"))
            dst = &c->to, addr = 1;
        else if (eq(h->name, "cc"))
            addr = 1;
        else if (eq(h->name, "DateTime"))
            dst = &c->datetime;
        else if (eq(h->name, "Subject"))
            dst = &c->subject;
        if (addr) {
            sipmsg_code code =
                check_address(h->value, (size_t)(h->value.ptr - base), err);
            if (code != SIPMSG_OK)
                return code;
        }
        if (dst && !dst->ptr)
            *dst = h->value;
    }
    return SIPMSG_OK;
}

/* cpim-body = message-headers CRLF mime-headers CRLF content */
sipmsg_code sipmsg_cpim_parse(sipmsg_cpim *c, sipmsg_slice text, sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    sipmsg_cpim_init(c, c->table, c->capacity);
    if (len == 0)
        return fail(err, SIPMSG_E_EMPTY, 0, "empty CPIM body");
    sipmsg_code code = sipmsg_fields_parse(&c->headers, text, SIPMSG_FIELDS_CPIM, err);
    if (code != SIPMSG_OK)
        return code;
    size_t off = c->headers.len, used = c->headers.count;
    sipmsg_fields_init(&c->mime, c->table ? c->table + used : NULL,
                       c->table ? c->capacity - used : 0);
    if (off == len)
        return fail(err, SIPMSG_E_TRUNCATED, len, "CPIM body without MIME headers");
    code = sipmsg_fields_parse(&c->mime, (sipmsg_slice){p + off, len - off}, 0, err);
    if (code != SIPMSG_OK) {
        if (err)
            err->offset += off;
        return code;
    }
    c->content.ptr = p + off + c->mime.len;
    c->content.len = len - off - c->mime.len;
    code = read_headers(c, p, err);
    if (code != SIPMSG_OK)
        return code;
    if (c->table) {
        const sipmsg_header *ct = sipmsg_fields_find(&c->mime, "Content-Type");
        if (!ct)
            return fail(err, SIPMSG_E_MISSING_HEADER, off,
                        "CPIM MIME headers without Content-Type");
        c->content_type = ct->value;
    }
    return SIPMSG_OK;
}

sipmsg_slice sipmsg_cpim_header_params(const sipmsg_header *h)
{
    sipmsg_slice none = {NULL, 0};
    if (!h->raw.ptr || !h->name.ptr)
        return none;
    const char *raw = h->raw.ptr, *end = raw + h->raw.len;
    const char *q = h->name.ptr + h->name.len;
    if (q >= end || *q != ':' || q + 1 >= end || q[1] != ';')
        return none;
    const char *s = ++q;
    /* the parameters run to the SP before the value (quoted strings whole) */
    while (q < end && *q != ' ' && *q != '\r') {
        if (*q == '"') {
            for (q++; q < end && *q != '"' && *q != '\r'; q++)
                if (*q == '\\' && q + 1 < end)
                    q++;
            if (q < end && *q == '"')
                q++;
            continue;
        }
        q++;
    }
    sipmsg_slice r = {s, (size_t)(q - s)};
    return r;
}

/* ---- the builder ----------------------------------------------------------------------- */

static void header(outbuf *o, sipmsg_slice name, sipmsg_slice value)
{
    put(o, name.ptr, name.len);
    put(o, ": ", 2);
    if (value.ptr)
        put(o, value.ptr, value.len);
    put(o, "\r\n", 2);
}

/* A header value that can be written on one line after ": ". */
static sipmsg_code check_value(sipmsg_slice v, size_t at, sipmsg_error *err)
{
    for (size_t i = 0; v.ptr && i < v.len; i++) {
        unsigned char ch = (unsigned char)v.ptr[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return fail(err, SIPMSG_E_BAD_TEXT, at,
                        "control byte in a CPIM header value");
    }
    if (v.ptr && v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t'))
        return fail(err, SIPMSG_E_BAD_TEXT, at,
                    "CPIM header value starting with a space");
    return SIPMSG_OK;
}

static sipmsg_code check_name(sipmsg_slice n, size_t at, sipmsg_error *err)
{
    if (!n.ptr || !n.len)
        return fail(err, SIPMSG_E_BAD_TEXT, at, "empty CPIM header name");
    for (size_t i = 0; i < n.len; i++)
        if (!is_token((unsigned char)n.ptr[i]))
            return fail(err, SIPMSG_E_BAD_TEXT, at,
                        "bad character in a CPIM header name");
    return SIPMSG_OK;
}

static sipmsg_code check_spec(const sipmsg_cpim_spec *s, sipmsg_error *err)
{
    if (!s->from.ptr || !s->to.ptr)
        return fail(err, SIPMSG_E_NOT_FOUND, 0, "CPIM needs From and To");
    sipmsg_code c = check_value(s->from, 0, err);
    if (!c)
        c = check_address(s->from, 0, err);
    if (!c)
        c = check_value(s->to, 0, err);
    if (!c)
        c = check_address(s->to, 0, err);
    if (!c)
        c = check_value(s->datetime, 0, err);
    if (!c)
        c = check_value(s->subject, 0, err);
    for (size_t i = 0; !c && i < s->extra_count; i++) {
        const sipmsg_field *f = &s->extra[i];
        c = check_name(f->name, i, err);
        if (!c)
            c = check_value(f->value, i, err);
        if (!c && (eq(f->name, "cc") || eq(f->name, "From") || eq(f->name, "To")))
            c = check_address(f->value.ptr ? f->value : (sipmsg_slice){"", 0}, i, err);
    }
    if (!c && s->content_type.ptr) {
        sipmsg_media_type mt;
        c = check_value(s->content_type, 0, err);
        if (!c && sipmsg_media_type_parse(&mt, s->content_type, err) != SIPMSG_OK)
            c = SIPMSG_E_CONTENT_TYPE;
    }
    return c;
}

size_t sipmsg_cpim_build(char *out, size_t cap, const sipmsg_cpim_spec *s,
                         sipmsg_error *err)
{
    static const sipmsg_slice from = {"From", 4}, to = {"To", 2}, dt = {"DateTime", 8},
                              subj = {"Subject", 7}, ctn = {"Content-Type", 12},
                              plain = {"text/plain;charset=utf-8", 24};
    if (check_spec(s, err) != SIPMSG_OK)
        return 0;
    outbuf o = {out, out ? cap : 0, 0};
    header(&o, from, s->from);
    header(&o, to, s->to);
    if (s->datetime.ptr)
        header(&o, dt, s->datetime);
    if (s->subject.ptr)
        header(&o, subj, s->subject);
    for (size_t i = 0; i < s->extra_count; i++)
        header(&o, s->extra[i].name, s->extra[i].value);
    put(&o, "\r\n", 2);
    header(&o, ctn, s->content_type.ptr ? s->content_type : plain);
    put(&o, "\r\n", 2);
    if (s->content.ptr)
        put(&o, s->content.ptr, s->content.len);
    return o.n;
}
