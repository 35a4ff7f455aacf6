/*
 * lex.c - the small lexical pieces every typed parser shares: LWS, quoted
 * strings, parameter lists and comma-separated lists (RFC 3261 section
 * 25.1).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "lex.h"

#include "error.h"
#include "headers.h"

/* LWS = [*WSP CRLF] 1*WSP. Inside a value slice CR and LF only occur in
 * folds, so sipmsg_skip_lws_ and sipmsg_trim_end_ (lex.h) count them as
 * whitespace. */

/*
 * quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 * qdtext        = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 * quoted-pair   = "\" (%x00-09 / %x0B-0C / %x0E-7F)
 * The one quoted-string scanner (lex.h). A raw control byte other than
 * HTAB is refused unless it is the CRLF of a fold; an escaped one is a
 * quoted-pair, so "\" NUL is valid (RFC 4475's intmeth) while "\" CR,
 * "\" LF and "\" followed by a byte from 0x80 up are not.
 */
const char *sipmsg_quoted_scan_(const char *p, const char *e, const char **bad,
                                sipmsg_quoted_why *why)
{
    for (p++; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c == '\\') {
            if (p + 1 == e)
                return *bad = p, *why = SIPMSG_QS_LONE_BACKSLASH, NULL;
            c = (unsigned char)*++p;
            if (c == '\r' || c == '\n' || c >= 0x80)
                return *bad = p - 1, *why = SIPMSG_QS_BAD_PAIR, NULL;
        } else if (cis(c, C_CTL) && c != '\t') {
            if (c == '\r' && e - p >= 3 && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
                p += 2; /* a fold */
            else
                return *bad = p, *why = c == '\r' ? SIPMSG_QS_BAD_CR : SIPMSG_QS_CONTROL,
                       NULL;
        }
    }
    return *bad = e, *why = SIPMSG_QS_UNTERMINATED, NULL;
}

const char *sipmsg_skip_quoted_(const char *p, const char *e)
{
    const char *bad;
    sipmsg_quoted_why why;
    return sipmsg_quoted_scan_(p, e, &bad, &why);
}

/* paramchar = param-unreserved / unreserved / escaped; returns the end of a
 * run of them, or NULL on a bad escape. */
const char *sipmsg_scan_uri_chars_(const char *p, const char *e, unsigned cls)
{
    while (p < e) {
        unsigned char c = (unsigned char)*p;
        if (c == '%') {
            if (e - p < 3 || !cis((unsigned char)p[1], C_HEX) ||
                !cis((unsigned char)p[2], C_HEX))
                return NULL;
            p += 3;
        } else if (cis(c, cls)) {
            p++;
        } else {
            break;
        }
    }
    return p;
}

/* ---- parameters ------------------------------------------------------------ */

/* A private bit of sipmsg_param_iter.flags (the public ones are low bits):
 * the next parameter starts without its ';' (the list did not begin with
 * one). */
#define PARAMS_NO_SEMI_ 0x100u

void sipmsg_param_iter_init(sipmsg_param_iter *it, sipmsg_slice params, unsigned flags)
{
    it->p = it->base = params.ptr;
    it->end = params.ptr ? params.ptr + params.len : NULL;
    it->flags = flags;
    it->empty = 0;
    it->first_empty = NULL;
    /* a list that does not start with ';' starts with its first parameter */
    if (it->p && it->p < it->end && *it->p != ';' && !is_lws((unsigned char)*it->p))
        it->flags |= PARAMS_NO_SEMI_;
}

static int param_fail(sipmsg_param_iter *it, const char *at, sipmsg_code code,
                      const char *msg, sipmsg_error *err)
{
    seterr(err, code, (size_t)(at - it->base), -1, msg);
    it->p = it->end; /* stop */
    return -1;
}

/* gen-value = token / host / quoted-string; pvalue = 1*paramchar */
static const char *param_value(sipmsg_param_iter *it, const char *p)
{
    if (it->flags & SIPMSG_PARAMS_URI)
        return sipmsg_scan_uri_chars_(p, it->end, C_UNRESERVED | C_PARAM);
    if (p < it->end && *p == '"')
        return sipmsg_skip_quoted_(p, it->end);
    return scan_class(p, it->end, C_GENVALUE);
}

/* generic-param = token [ EQUAL gen-value ], after SEMI */
int sipmsg_param_next(sipmsg_param_iter *it, sipmsg_param *out, sipmsg_error *err)
{
    const int uri = (it->flags & SIPMSG_PARAMS_URI) != 0;
    const char *p = it->p, *e = it->end;
    if (!p)
        return 0;
    /* a plainly written ";name[=value]" (nearly all of them) is read in one
     * step; sipmsg_fast_param_ reads it as the loop below would */
    if (!uri && !(it->flags & PARAMS_NO_SEMI_) && p < e && *p == ';') {
        const char *q = sipmsg_fast_param_(p, e, &out->name, &out->value);
        if (q) {
            it->p = q;
            return 1;
        }
    }
    for (;;) {
        if (!uri)
            p = sipmsg_skip_lws_(p, e);
        if (p == e)
            return 0;
        if (it->flags & PARAMS_NO_SEMI_) {
            it->flags &= ~PARAMS_NO_SEMI_; /* the first parameter had no ';' */
        } else {
            if (*p != ';')
                return param_fail(it, p, SIPMSG_E_PARAM,
                                  "expected ';' between parameters", err);
            p++;
            if (!uri)
                p = sipmsg_skip_lws_(p, e);
        }
        if (p < e && *p != ';')
            break;
        if (!it->empty++) /* ";;" or a trailing ';' */
            it->first_empty = p - 1;
    }
    const char *n = uri ? sipmsg_scan_uri_chars_(p, e, C_UNRESERVED | C_PARAM) : p;
    if (!uri)
        n = scan_class(p, e, C_TOKEN);
    if (!n || n == p)
        return param_fail(it, n ? n : p, SIPMSG_E_PARAM, "bad parameter name", err);
    out->name = mkslice(p, n);
    out->value.ptr = NULL;
    out->value.len = 0;
    p = uri ? n : sipmsg_skip_lws_(n, e);
    if (p < e && *p == '=') {
        const char *v = uri ? p + 1 : sipmsg_skip_lws_(p + 1, e);
        const char *ve = param_value(it, v);
        if (!ve) /* a bad escape, or an unterminated quoted string */
            return param_fail(it, v, uri ? SIPMSG_E_PARAM : SIPMSG_E_QUOTE, NULL, err);
        if (ve == v)
            return param_fail(it, v, SIPMSG_E_PARAM, "parameter value missing", err);
        out->value = mkslice(v, ve);
        p = ve;
    } else {
        p = n;
    }
    it->p = p;
    return 1;
}

int sipmsg_param_find(sipmsg_slice params, const char *name, sipmsg_param *out)
{
    sipmsg_param_iter it;
    sipmsg_param prm;
    size_t n = strlen(name);
    sipmsg_param_iter_init(&it, params, 0);
    while (sipmsg_param_next(&it, &prm, NULL) > 0) {
        if (prm.name.len == n && sipmsg_memcaseeq_(prm.name.ptr, name, n)) {
            if (out)
                *out = prm;
            return 1;
        }
    }
    return 0;
}

/* ---- comma-separated lists ------------------------------------------------- */

void sipmsg_list_init(sipmsg_list_iter *it, sipmsg_slice value)
{
    it->p = it->base = value.ptr;
    it->end = value.ptr ? value.ptr + value.len : NULL;
    it->empty = 0;
    it->first_empty = NULL;
}

static int list_fail(sipmsg_list_iter *it, const char *at, sipmsg_code code,
                     const char *msg, sipmsg_error *err)
{
    seterr(err, code, (size_t)(at - it->base), -1, msg);
    it->p = it->end;
    return -1;
}

/* Finds the comma ending the element at `p`, outside quotes, <> and
 * comments (which nest). Returns NULL on an unterminated construct and
 * leaves the offending byte in *bad. */
static const char *element_end(const char *p, const char *e, const char **bad)
{
    size_t depth = 0; /* comment nesting */
    const char *open = NULL;
    int angle = 0;
    while (p < e) {
        while (p < e && !cis((unsigned char)*p, C_LISTSEP))
            p++; /* the common case: plain bytes */
        if (p == e || (*p == ',' && !depth && !angle))
            break;
        if (*p == '"' && !angle) {
            const char *q = sipmsg_skip_quoted_(p, e);
            if (!q)
                return *bad = p, NULL;
            p = q;
            continue;
        }
        if (*p == '\\' && depth) {
            p += p + 1 < e ? 2 : 1;
            continue;
        }
        if (*p == '<' && !depth)
            angle = 1, open = p;
        else if (*p == '>' && !depth)
            angle = 0;
        else if (*p == '(' && !angle)
            depth++, open = depth == 1 ? p : open;
        else if (*p == ')' && depth)
            depth--;
        p++;
    }
    if (depth || angle)
        return *bad = open, NULL;
    return p;
}

int sipmsg_list_next(sipmsg_list_iter *it, sipmsg_slice *elem, sipmsg_error *err)
{
    const char *p = it->p, *e = it->end;
    if (!p)
        return 0;
    for (;;) {
        const char *start = p;
        p = sipmsg_skip_lws_(p, e);
        if (p == e) {
            if (start > it->base && start[-1] == ',' && !it->empty++)
                it->first_empty = start - 1; /* a trailing comma */
            it->p = NULL;
            return 0;
        }
        const char *bad = p;
        const char *q = element_end(p, e, &bad);
        if (!q)
            return list_fail(it, bad, *bad == '"' ? SIPMSG_E_QUOTE : SIPMSG_E_LIST,
                             *bad == '"' ? NULL : "unterminated '<' or comment", err);
        const char *te = sipmsg_trim_end_(p, q);
        it->p = q < e ? q + 1 : q;
        if (te > p) {
            *elem = mkslice(p, te);
            return 1;
        }
        if (!it->empty++)
            it->first_empty = q < e ? q : q - 1;
        p = it->p;
    }
}

int sipmsg_list_has(sipmsg_slice value, const char *token)
{
    sipmsg_list_iter it;
    sipmsg_slice el;
    sipmsg_list_init(&it, value);
    while (sipmsg_list_next(&it, &el, NULL) > 0)
        if (sipmsg_slice_eq(el, token))
            return 1;
    return 0;
}

/* The next list element across every header of one id: the walk shared by
 * the Via and name-addr iterators. Returns 1, 0 at the end, -1 on error
 * (message-relative). */
int sipmsg_hdr_elem_next_(const sipmsg_msg *m, const sipmsg_header **h,
                          sipmsg_list_iter *list, sipmsg_slice *el, sipmsg_error *err)
{
    while (*h) {
        int r = sipmsg_list_next(list, el, err);
        if (r < 0) {
            sipmsg_err_in_header_(m, *h, (*h)->value.ptr, err);
            *h = NULL;
            return -1;
        }
        if (r > 0)
            return 1;
        *h = sipmsg_find_next(m, *h);
        if (*h)
            sipmsg_list_init(list, (*h)->value);
    }
    return 0;
}
