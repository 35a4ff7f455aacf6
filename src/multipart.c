/*
 * multipart.c - MIME header blocks and multipart bodies (RFC 2045,
 * RFC 2046 section 5.1, RFC 5322 section 2.2): views and the builder.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Built on the public API only (sipmsg/body.h). No allocation, no
 * recursion; every scan is bounded by the slice it was given.
 */
#include "sipmsg/body.h"

#include <string.h>

#include "error.h"
#include "outbuf.h"

/* ---- small helpers ------------------------------------------------------------ */

static sipmsg_code fail(sipmsg_error *err, sipmsg_code code, size_t off, const char *msg)
{
    return seterr(err, code, off, -1, msg);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* ASCII case-insensitive equality of p[0, n) and the C string s. */
static int ci_eq(const char *p, size_t n, const char *s)
{
    size_t i = 0;
    for (; i < n && s[i]; i++)
        if (lower((unsigned char)p[i]) != lower((unsigned char)s[i]))
            return 0;
    return i == n && s[i] == 0;
}

/* Byte classes: F_FTEXT field-name = 1*ftext, ftext = %d33-57 / %d59-126
 * (RFC 5322 3.6.8); F_TOKEN RFC 3261 token (CPIM names: Name-prefix "."
 * Name); F_VCHAR a value byte that is neither whitespace nor a control
 * (%x21-7E and %x80-FF). */
#define F_FTEXT 1u
#define F_TOKEN 2u
#define F_VCHAR 4u

static const unsigned char fclass[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 7, 5, 5, 5, 7, 5, 7, 5, 5, 7, 7, 5, 7, 7, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    4, 5, 5, 5, 5, 5, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 5, 5, 5, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 5, 5, 5, 7, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

static int is_ftext(unsigned char c)
{
    return (fclass[c] & F_FTEXT) != 0;
}

/* ---- body kind ----------------------------------------------------------------- */

sipmsg_body_kind sipmsg_body_kind_of(sipmsg_slice ct)
{
    sipmsg_media_type mt;
    if (!ct.ptr)
        return SIPMSG_BODY_NONE;
    if (sipmsg_media_type_parse(&mt, ct, NULL) != SIPMSG_OK)
        return SIPMSG_BODY_OTHER;
    if (ci_eq(mt.type.ptr, mt.type.len, "multipart"))
        return SIPMSG_BODY_MULTIPART;
    if (ci_eq(mt.subtype.ptr, mt.subtype.len, "cpim") &&
        (ci_eq(mt.type.ptr, mt.type.len, "message") ||
         ci_eq(mt.type.ptr, mt.type.len, "application")))
        return SIPMSG_BODY_CPIM;
    if (ci_eq(mt.type.ptr, mt.type.len, "application") &&
        ci_eq(mt.subtype.ptr, mt.subtype.len, "sdp"))
        return SIPMSG_BODY_SDP;
    if (ci_eq(mt.type.ptr, mt.type.len, "text") &&
        ci_eq(mt.subtype.ptr, mt.subtype.len, "plain"))
        return SIPMSG_BODY_TEXT;
    return SIPMSG_BODY_OTHER;
}

sipmsg_body_kind sipmsg_msg_body_kind(const sipmsg_msg *m)
{
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_CONTENT_TYPE);
    return h ? sipmsg_body_kind_of(h->value) : SIPMSG_BODY_NONE;
}

/* ---- header blocks ----------------------------------------------------------------- */

void sipmsg_fields_init(sipmsg_fields *f, sipmsg_header *headers, size_t capacity)
{
    f->headers = headers;
    f->capacity = headers ? capacity : 0;
    f->count = 0;
    f->len = 0;
}

/* A CPIM header's ;parameters after the ':' (quoted strings skipped whole):
 * returns the index of the byte after them, or len when the line is cut. */
static size_t cpim_params(const char *p, size_t len, size_t i)
{
    while (i < len && p[i] == ';') {
        i++;
        while (i < len && p[i] != ';' && p[i] != ' ' && p[i] != '\r' && p[i] != '\n') {
            if (p[i] == '"') {
                for (i++; i < len && p[i] != '"' && p[i] != '\r' && p[i] != '\n'; i++)
                    if (p[i] == '\\' && i + 1 < len)
                        i++;
                if (i < len && p[i] == '"')
                    i++;
                continue;
            }
            i++;
        }
    }
    return i;
}

/* One field's value from p[i] to its CRLF, continuation lines included
 * (refused with SIPMSG_FIELDS_CPIM). On success *end is the index after
 * the final CRLF and v/folded are set. */
static sipmsg_code field_value(const char *p, size_t len, size_t i, unsigned flags,
                               size_t *end, sipmsg_slice *v, int *folded,
                               sipmsg_error *err)
{
    size_t vs = i, ve = i;
    int seen = 0;
    *folded = 0;
    for (;;) {
        if (i >= len)
            return fail(err, SIPMSG_E_TRUNCATED, len,
                        "header block without its blank line");
        if (fclass[(unsigned char)p[i]] & F_VCHAR) { /* a run of visible bytes */
            if (!seen)
                vs = i, seen = 1;
            while (++i < len && (fclass[(unsigned char)p[i]] & F_VCHAR))
                ;
            ve = i;
            continue;
        }
        unsigned char c = (unsigned char)p[i];
        if (c == '\r') {
            if (i + 1 >= len)
                return fail(err, SIPMSG_E_TRUNCATED, len,
                            "header block without its blank line");
            if (p[i + 1] != '\n')
                return fail(err, SIPMSG_E_BARE_CR, i,
                            "CR not followed by LF in a header");
            if (i + 2 < len && (p[i + 2] == ' ' || p[i + 2] == '\t')) {
                if (flags & SIPMSG_FIELDS_CPIM)
                    return fail(err, SIPMSG_E_FOLD, i + 2,
                                "CPIM header continued on another line");
                *folded = 1;
                i += 3;
                continue;
            }
            *end = i + 2;
            break;
        }
        if (c == '\n')
            return fail(err, SIPMSG_E_BARE_LF, i, "LF not preceded by CR in a header");
        if (c != ' ' && c != '\t')
            return fail(err, SIPMSG_E_HEADER_VALUE, i, "control byte in a header value");
        i++;
    }
    v->ptr = p + vs;
    v->len = seen ? ve - vs : 0;
    return SIPMSG_OK;
}

/* The name and colon of one field starting at p[i]; sets *vstart to where
 * the value (or for CPIM, the parameters) begins. */
static sipmsg_code field_name(const char *p, size_t len, size_t i, unsigned flags,
                              size_t *name_end, size_t *vstart, sipmsg_error *err)
{
    int cpim = (flags & SIPMSG_FIELDS_CPIM) != 0;
    size_t ns = i;
    unsigned mask = cpim ? F_TOKEN : F_FTEXT;
    while (i < len && (fclass[(unsigned char)p[i]] & mask))
        i++;
    if (i == len)
        return fail(err, SIPMSG_E_TRUNCATED, len, "header block without its blank line");
    if (i == ns)
        return fail(err, SIPMSG_E_HEADER_NAME, i, "bad character in a header name");
    *name_end = i;
    if (!cpim)
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
    if (i == len)
        return fail(err, SIPMSG_E_TRUNCATED, len, "header block without its blank line");
    if (p[i] != ':') {
        if (p[i] == '\r' || p[i] == '\n' || i > *name_end)
            return fail(err, SIPMSG_E_NO_COLON, i, "header line without ':'");
        return fail(err, SIPMSG_E_HEADER_NAME, i, "bad character in a header name");
    }
    i++;
    if (cpim) {
        i = cpim_params(p, len, i);
        if (i == len)
            return fail(err, SIPMSG_E_TRUNCATED, len,
                        "header block without its blank line");
        if (p[i] != ' ')
            return fail(err, SIPMSG_E_HEADER_VALUE, i,
                        "CPIM header without SP after ':'");
        i++;
    }
    *vstart = i;
    return SIPMSG_OK;
}

/*
 * fields = *( field-name ":" value CRLF ) CRLF
 * RFC 5322 2.2 (fields, folding), RFC 3862 3.6 with SIPMSG_FIELDS_CPIM.
 */
sipmsg_code sipmsg_fields_parse(sipmsg_fields *f, sipmsg_slice text, unsigned flags,
                                sipmsg_error *err)
{
    const char *p = text.ptr;
    size_t len = text.len;
    size_t i = 0;
    f->count = 0;
    f->len = 0;
    for (;;) {
        if (i >= len)
            return fail(err, SIPMSG_E_TRUNCATED, len,
                        "header block without its blank line");
        if (p[i] == '\r') {
            if (i + 1 >= len)
                return fail(err, SIPMSG_E_TRUNCATED, len,
                            "header block without its blank line");
            if (p[i + 1] != '\n')
                return fail(err, SIPMSG_E_BARE_CR, i,
                            "CR not followed by LF in a header");
            f->len = i + 2;
            return SIPMSG_OK;
        }
        if (p[i] == '\n')
            return fail(err, SIPMSG_E_BARE_LF, i, "LF not preceded by CR in a header");
        if (p[i] == ' ' || p[i] == '\t')
            return fail(err, SIPMSG_E_FOLD, i,
                        "continuation line with no header to continue");
        size_t ns = i, ne, vs, end;
        sipmsg_slice v;
        int folded;
        sipmsg_code c = field_name(p, len, i, flags, &ne, &vs, err);
        if (c == SIPMSG_OK)
            c = field_value(p, len, vs, flags, &end, &v, &folded, err);
        if (c != SIPMSG_OK)
            return c;
        if (!v.len)
            v.ptr = p + vs; /* an empty value: present, right after the colon */
        if (f->headers) {
            if (f->count >= f->capacity)
                return fail(err, SIPMSG_E_TOO_MANY_HEADERS, ns,
                            "more header fields than the table holds");
            sipmsg_header *h = &f->headers[f->count];
            h->name.ptr = p + ns;
            h->name.len = ne - ns;
            h->value = v;
            h->raw.ptr = p + ns;
            h->raw.len = end - ns;
            h->id = (uint16_t)sipmsg_hdr_lookup(h->name);
            h->flags = folded ? SIPMSG_HF_FOLDED : 0;
            h->next = SIPMSG_NONE;
        }
        f->count++;
        i = end;
    }
}

const sipmsg_header *sipmsg_fields_find(const sipmsg_fields *f, const char *name)
{
    if (!f->headers)
        return NULL;
    for (size_t i = 0; i < f->count; i++)
        if (ci_eq(f->headers[i].name.ptr, f->headers[i].name.len, name))
            return &f->headers[i];
    return NULL;
}

/* ---- boundaries -------------------------------------------------------------------- */

/* bcharsnospace = DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" /
 *                 "." / "/" / ":" / "=" / "?"            (RFC 2046 5.1.1) */
static int is_bchar_nospace(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("'()+_,-./:=?", c) != NULL;
}

/* boundary = 0*69<bchars> bcharsnospace: 1 to 70 characters, inner SP. */
static sipmsg_code check_boundary(sipmsg_slice b, size_t base, sipmsg_error *err)
{
    if (!b.ptr || b.len == 0)
        return fail(err, SIPMSG_E_CONTENT_TYPE, base, "empty multipart boundary");
    if (b.len > 70)
        return fail(err, SIPMSG_E_CONTENT_TYPE, base + 70,
                    "multipart boundary longer than 70 characters");
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.ptr[i];
        if (!is_bchar_nospace(c) && !(c == ' ' && i + 1 < b.len))
            return fail(err, SIPMSG_E_CONTENT_TYPE, base + i,
                        "character not allowed in a multipart boundary");
    }
    return SIPMSG_OK;
}

sipmsg_code sipmsg_multipart_boundary(sipmsg_slice ct, sipmsg_slice *boundary,
                                      sipmsg_error *err)
{
    sipmsg_media_type mt;
    boundary->ptr = NULL;
    boundary->len = 0;
    if (!ct.ptr)
        return fail(err, SIPMSG_E_CONTENT_TYPE, 0, "no Content-Type");
    sipmsg_code c = sipmsg_media_type_parse(&mt, ct, err);
    if (c != SIPMSG_OK)
        return c;
    if (!ci_eq(mt.type.ptr, mt.type.len, "multipart"))
        return fail(err, SIPMSG_E_CONTENT_TYPE, (size_t)(mt.type.ptr - ct.ptr),
                    "Content-Type is not multipart");
    if (!mt.boundary.ptr)
        return fail(err, SIPMSG_E_CONTENT_TYPE, ct.len,
                    "multipart Content-Type without a boundary parameter");
    sipmsg_slice b = mt.boundary;
    size_t base = (size_t)(b.ptr - ct.ptr);
    if (b.len >= 2 && b.ptr[0] == '"' && b.ptr[b.len - 1] == '"') {
        b.ptr++;
        b.len -= 2;
        base++;
    }
    c = check_boundary(b, base, err);
    if (c == SIPMSG_OK)
        *boundary = b;
    return c;
}

/* ---- delimiters -------------------------------------------------------------------- */

enum { DELIM_NO = 0, DELIM_PART = 1, DELIM_CLOSE = 2, DELIM_CUT = -1 };

/*
 * Whether a delimiter line starts at p[i] (at its "--"):
 *   dash-boundary transport-padding CRLF         DELIM_PART
 *   dash-boundary "--" transport-padding (CRLF / end of body)   DELIM_CLOSE
 * *next is then the index after the line. DELIM_CUT: the body ends inside
 * what would be a delimiter line.
 */
static int delim_at(const char *p, size_t len, size_t i, sipmsg_slice b, size_t *next)
{
    size_t rest = len - i;
    if (rest < 2 + b.len) /* a shorter text can only be content */
        return DELIM_NO;
    if (p[i] != '-' || p[i + 1] != '-' || memcmp(p + i + 2, b.ptr, b.len) != 0)
        return DELIM_NO;
    size_t j = i + 2 + b.len, k;
    if (j == len)
        return DELIM_CUT;
    if (p[j] == '-') {
        if (j + 1 == len)
            return DELIM_CUT;
        if (p[j + 1] != '-')
            return DELIM_NO;
        for (k = j + 2; k < len && (p[k] == ' ' || p[k] == '\t'); k++)
            ;
        if (k == len) {
            *next = len;
            return DELIM_CLOSE;
        }
        if (p[k] == '\r' && k + 1 < len && p[k + 1] == '\n') {
            *next = k + 2;
            return DELIM_CLOSE;
        }
        return k + 1 == len && p[k] == '\r' ? DELIM_CUT : DELIM_NO;
    }
    for (k = j; k < len && (p[k] == ' ' || p[k] == '\t'); k++)
        ;
    if (k == len || (p[k] == '\r' && k + 1 == len))
        return DELIM_CUT;
    if (p[k] == '\r' && p[k + 1] == '\n') {
        *next = k + 2;
        return DELIM_PART;
    }
    return DELIM_NO;
}

/* The first delimiter = CRLF dash-boundary at or after p[from]: its CRLF
 * index in *at, the kind as returned (DELIM_NO: none in the body). Linear:
 * each CR is looked at once, with at most 72 bytes compared after it. */
static int find_delim(const char *p, size_t len, size_t from, sipmsg_slice b, size_t *at,
                      size_t *next)
{
    size_t i = from;
    while (i + 1 < len) {
        const char *cr = memchr(p + i, '\r', len - i - 1);
        if (!cr)
            break;
        i = (size_t)(cr - p);
        if (p[i + 1] == '\n') {
            int r = delim_at(p, len, i + 2, b, next);
            if (r != DELIM_NO) {
                *at = i;
                return r;
            }
        }
        i++;
    }
    return DELIM_NO;
}

/* ---- the iterator ------------------------------------------------------------------ */

enum { IT_PARTS = 1, IT_DONE = 2, IT_FAILED = 3 };

sipmsg_code sipmsg_multipart_init(sipmsg_multipart_iter *it, sipmsg_slice body,
                                  sipmsg_slice boundary, sipmsg_error *err)
{
    memset(it, 0, sizeof *it);
    it->state = IT_FAILED;
    it->base = body.ptr ? body.ptr : "";
    it->len = body.ptr ? body.len : 0;
    it->boundary = boundary;
    sipmsg_code c = check_boundary(boundary, 0, err);
    if (c != SIPMSG_OK) {
        if (err) /* the offset counts in the body, not the boundary */
            err->offset = 0;
        return c;
    }
    const char *p = it->base;
    size_t len = it->len, at = 0, next = 0;
    int r = delim_at(p, len, 0, boundary, &next);
    size_t line = 0; /* where the delimiter line's "--" is */
    if (r == DELIM_NO) {
        r = find_delim(p, len, 0, boundary, &at, &next);
        line = at + 2;
    }
    if (r == DELIM_NO)
        return fail(err, SIPMSG_E_TRUNCATED, len, "multipart body without a delimiter");
    if (r == DELIM_CUT)
        return fail(err, SIPMSG_E_TRUNCATED, line,
                    "multipart delimiter cut by the end of the body");
    if (r == DELIM_CLOSE)
        return fail(err, SIPMSG_E_TRUNCATED, line,
                    "multipart body closed before its first part");
    it->preamble.ptr = p;
    it->preamble.len = at;
    it->pos = next;
    it->state = IT_PARTS;
    return SIPMSG_OK;
}

sipmsg_code sipmsg_multipart_init_msg(sipmsg_multipart_iter *it, const sipmsg_msg *m,
                                      sipmsg_error *err)
{
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_CONTENT_TYPE);
    sipmsg_slice b;
    memset(it, 0, sizeof *it);
    it->state = IT_FAILED;
    sipmsg_code c =
        sipmsg_multipart_boundary(h ? h->value : (sipmsg_slice){NULL, 0}, &b, err);
    if (c != SIPMSG_OK) {
        if (err) {
            err->header = h ? (int)(h - m->headers) : -1;
            if (h && h->value.ptr && m->buf)
                err->offset += (size_t)(h->value.ptr - m->buf);
        }
        return c;
    }
    return sipmsg_multipart_init(it, m->body, b, err);
}

/* Fills `part` from the bytes p[s, e) of the body. */
static sipmsg_code read_part(const char *p, size_t s, size_t e, sipmsg_part *part,
                             sipmsg_error *err)
{
    sipmsg_fields *f = &part->headers;
    part->raw.ptr = p + s;
    part->raw.len = e - s;
    part->offset = s;
    part->content_type.ptr = NULL;
    part->content_type.len = 0;
    if (s == e) { /* a part of zero bytes: no headers, empty body */
        f->count = 0;
        f->len = 0;
        part->body.ptr = p + s;
        part->body.len = 0;
        return SIPMSG_OK;
    }
    sipmsg_code c = sipmsg_fields_parse(f, (sipmsg_slice){p + s, e - s}, 0, err);
    if (c == SIPMSG_E_TRUNCATED)
        return fail(err, SIPMSG_E_TRUNCATED, e, "part without its blank line");
    if (c != SIPMSG_OK) {
        if (err)
            err->offset += s;
        return c;
    }
    const sipmsg_header *ct = sipmsg_fields_find(f, "Content-Type");
    if (ct)
        part->content_type = ct->value;
    part->body.ptr = p + s + f->len;
    part->body.len = e - s - f->len;
    return SIPMSG_OK;
}

int sipmsg_multipart_next(sipmsg_multipart_iter *it, sipmsg_part *part, sipmsg_error *err)
{
    if (it->state == IT_DONE)
        return 0;
    if (it->state != IT_PARTS) {
        fail(err, SIPMSG_E_STATE, it->pos, "multipart iterator stopped at an error");
        return -1;
    }
    const char *p = it->base;
    size_t len = it->len, at = 0, next = 0;
    it->state = IT_FAILED;
    int r = find_delim(p, len, it->pos, it->boundary, &at, &next);
    if (r == DELIM_NO) {
        fail(err, SIPMSG_E_TRUNCATED, len,
             "multipart body without its closing delimiter");
        return -1;
    }
    if (r == DELIM_CUT) {
        fail(err, SIPMSG_E_TRUNCATED, at + 2,
             "multipart delimiter cut by the end of the body");
        return -1;
    }
    if (read_part(p, it->pos, at, part, err) != SIPMSG_OK)
        return -1;
    part->index = it->parts++;
    it->pos = next;
    it->state = IT_PARTS;
    if (r == DELIM_CLOSE) {
        it->state = IT_DONE;
        it->epilogue.ptr = p + next;
        it->epilogue.len = len - next;
    }
    return 1;
}

/* ---- the builder ----------------------------------------------------------------------- */

static void puts_(outbuf *o, const char *s)
{
    put(o, s, strlen(s));
}

/* 1 when `body` holds CRLF "--" boundary, or starts with "--" boundary. */
static int holds_delim(sipmsg_slice body, sipmsg_slice b)
{
    const char *p = body.ptr;
    size_t len = body.len;
    if (!p)
        return 0;
    if (len >= 2 + b.len && p[0] == '-' && p[1] == '-' && !memcmp(p + 2, b.ptr, b.len))
        return 1;
    for (size_t i = 0; i + 4 + b.len <= len;) {
        const char *cr = memchr(p + i, '\r', len - i);
        if (!cr)
            break;
        i = (size_t)(cr - p);
        if (i + 4 + b.len <= len && p[i + 1] == '\n' && p[i + 2] == '-' &&
            p[i + 3] == '-' && !memcmp(p + i + 4, b.ptr, b.len))
            return 1;
        i++;
    }
    return 0;
}

static sipmsg_code check_field(const sipmsg_field *fl, size_t at, sipmsg_error *err)
{
    if (!fl->name.ptr || !fl->name.len)
        return fail(err, SIPMSG_E_BAD_TEXT, at, "empty header name");
    for (size_t i = 0; i < fl->name.len; i++)
        if (!is_ftext((unsigned char)fl->name.ptr[i]))
            return fail(err, SIPMSG_E_BAD_TEXT, at, "bad character in a header name");
    for (size_t i = 0; fl->value.ptr && i < fl->value.len; i++) {
        unsigned char c = (unsigned char)fl->value.ptr[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(err, SIPMSG_E_BAD_TEXT, at, "control byte in a header value");
    }
    return SIPMSG_OK;
}

size_t sipmsg_multipart_build(char *out, size_t cap, sipmsg_slice boundary,
                              const sipmsg_body_part *parts, size_t count,
                              sipmsg_error *err)
{
    if (check_boundary(boundary, 0, err) != SIPMSG_OK)
        return 0;
    if (count == 0) {
        fail(err, SIPMSG_E_RANGE, 0, "a multipart body needs at least one part");
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < parts[i].header_count; j++)
            if (check_field(&parts[i].headers[j], i, err) != SIPMSG_OK)
                return 0;
        if (holds_delim(parts[i].body, boundary)) {
            fail(err, SIPMSG_E_BAD_TEXT, i, "part body holds the boundary delimiter");
            return 0;
        }
    }
    outbuf o = {out, out ? cap : 0, 0};
    for (size_t i = 0; i < count; i++) {
        puts_(&o, "--");
        put(&o, boundary.ptr, boundary.len);
        puts_(&o, "\r\n");
        for (size_t j = 0; j < parts[i].header_count; j++) {
            const sipmsg_field *fl = &parts[i].headers[j];
            put(&o, fl->name.ptr, fl->name.len);
            puts_(&o, ": ");
            if (fl->value.ptr)
                put(&o, fl->value.ptr, fl->value.len);
            puts_(&o, "\r\n");
        }
        puts_(&o, "\r\n");
        if (parts[i].body.ptr)
            put(&o, parts[i].body.ptr, parts[i].body.len);
        puts_(&o, "\r\n");
    }
    puts_(&o, "--");
    put(&o, boundary.ptr, boundary.len);
    puts_(&o, "--\r\n");
    return o.n;
}
