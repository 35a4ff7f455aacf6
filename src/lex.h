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

/* Why a quoted string was refused. */
typedef enum sipmsg_quoted_why {
    SIPMSG_QS_UNTERMINATED = 1, /* no closing quote before e */
    SIPMSG_QS_LONE_BACKSLASH,   /* "\" as the last byte */
    SIPMSG_QS_BAD_PAIR,         /* "\" then CR, LF or a byte from 0x80 up */
    SIPMSG_QS_BAD_CR,           /* a CR that does not start a fold */
    SIPMSG_QS_CONTROL           /* a raw control byte (not HTAB) */
} sipmsg_quoted_why;

/* The end of the quoted-string that starts at p (p[0] == '"'): just after
 * its closing quote; or NULL with *bad at the refused byte (e when it is
 * unterminated) and *why. The one quoted-string scanner of the library
 * (RFC 3261 25.1; lex.c says which bytes it takes). */
const char *sipmsg_quoted_scan_(const char *p, const char *e, const char **bad,
                                sipmsg_quoted_why *why);

/* The same without the reason: the end, or NULL. */
const char *sipmsg_skip_quoted_(const char *p, const char *e);

/* SWS that only takes CR LF when a WSP follows (a fold): for values that
 * may not come from the parser. Returns the end of the run. */
static inline const char *sipmsg_skip_sws_strict_(const char *p, const char *e)
{
    for (;;) {
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if (e - p >= 3 && p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
            p += 3;
        else
            return p;
    }
}
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
        t = scan_class(v, e, C_GENVALUE);
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
