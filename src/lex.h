/*
 * lex.h - the shared lexer (lex.c): LWS, quoted strings, parameters and
 * comma lists, over the scans of scan.h. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_LEX_H_
#define SIPMSG_LEX_H_

#include "scan.h"
#include "sipmsg/header.h"

static inline const char *sipmsg_skip_lws_(const char *p, const char *e)
{
    while (p < e && is_lws((unsigned char)*p))
        p++;
    return p;
}

static inline const char *sipmsg_trim_end_(const char *s, const char *e)
{
    while (e > s && is_lws((unsigned char)e[-1]))
        e--;
    return e;
}

/* The end of the quoted-string that starts at p (p[0] == '"'): just after
 * its closing quote, or NULL when it is not closed or holds a byte that
 * quoted-string does not allow (RFC 3261 25.1). The one quoted-string
 * scanner of the library. */
const char *sipmsg_skip_quoted_(const char *p, const char *e);
/* The end of the run of URI characters of class `cls` or escapes
 * ("%" HEX HEX) at p. */
const char *sipmsg_scan_uri_chars_(const char *p, const char *e, unsigned cls);

/*
 * One parameter at p (p[0] must be ';') written plainly: SEMI token
 * [ "=" gen-value ] with no whitespace anywhere, the value unquoted and
 * non-empty, and followed by ';' or e. Returns its end with the name and
 * value (value.ptr NULL when there is none), or NULL for anything else.
 * Whatever it accepts, sipmsg_param_next reads the same way; the decoders'
 * fast paths use it and hand everything else to the full grammar.
 */
static inline const char *sipmsg_fast_param_(const char *p, const char *e,
                                             sipmsg_slice *name, sipmsg_slice *value)
{
    if (p == e || *p != ';')
        return NULL;
    const char *n = p + 1, *t = scan_class(n, e, C_TOKEN);
    if (t == n)
        return NULL;
    *name = mkslice(n, t);
    value->ptr = NULL;
    value->len = 0;
    if (t < e && *t == '=') {
        const char *v = t + 1;
        t = scan_class_long(v, e, C_GENVALUE);
        if (t == v)
            return NULL;
        *value = mkslice(v, t);
    }
    return t == e || *t == ';' ? t : NULL;
}

struct sipmsg_list_iter;
int sipmsg_hdr_elem_next_(const sipmsg_msg *m, const sipmsg_header **h,
                          struct sipmsg_list_iter *list, sipmsg_slice *el,
                          sipmsg_error *err);

#endif
