/*
 * sipmsg/uri.h - SIP, SIPS and tel URIs, parameters and comparison
 * (RFC 3261 sections 19.1 and 25, RFC 3966, RFC 5118).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Every field is a slice into the text that was parsed; nothing is copied,
 * unescaped or allocated. Escapes (%41) are kept as written; use
 * sipmsg_unescape() to decode one into a buffer of yours. Thread-safe.
 */
#ifndef SIPMSG_URI_H
#define SIPMSG_URI_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sipmsg_scheme {
    SIPMSG_SCHEME_OTHER = 0, /* any other absoluteURI: see `opaque` */
    SIPMSG_SCHEME_SIP,
    SIPMSG_SCHEME_SIPS,
    SIPMSG_SCHEME_TEL
} sipmsg_scheme;

typedef enum sipmsg_host_type {
    SIPMSG_HOST_NONE = 0,
    SIPMSG_HOST_NAME, /* hostname */
    SIPMSG_HOST_IPV4, /* IPv4address */
    SIPMSG_HOST_IPV6  /* IPv6reference: the slice keeps the brackets */
} sipmsg_host_type;

/* One parameter: `;name=value` or `;name`. value.ptr is NULL when there is
 * no '='. A quoted value keeps its quotes. */
typedef struct sipmsg_param {
    sipmsg_slice name;
    sipmsg_slice value;
} sipmsg_param;

/*
 * A parsed URI.
 *   sip/sips: user, password, host, port, params, headers
 *   tel:      user holds the number; params
 *   other:    opaque holds everything after "scheme:"
 */
typedef struct sipmsg_uri {
    sipmsg_scheme scheme_id;
    sipmsg_slice scheme;   /* as written ("SIP", "sip", "im" ...) */
    sipmsg_slice user;     /* absent when there is no userinfo */
    sipmsg_slice password; /* absent when there is no ':' in userinfo */
    sipmsg_slice host;
    sipmsg_host_type host_type;
    uint32_t port;        /* 0: absent */
    sipmsg_slice params;  /* ";a=b;lr" including the first ';'; absent when none */
    sipmsg_slice headers; /* "h=v&h2=v2" after '?'; absent when none */
    sipmsg_slice opaque;  /* other schemes only */
    /* well-known uri-parameters (absent when not present) */
    sipmsg_slice transport, user_param, method, maddr, ttl;
    int lr; /* 1 when ";lr" is present */
} sipmsg_uri;

/*
 * Parses `text` as one URI (RFC 3261 SIP-URI / SIPS-URI /
 * absoluteURI, RFC 3966 telephone-uri). The whole text must be the URI: no
 * surrounding whitespace or angle brackets.
 * Returns SIPMSG_OK, or SIPMSG_E_URI / SIPMSG_E_HOST / SIPMSG_E_PORT /
 * SIPMSG_E_PARAM with err->offset relative to text.ptr. `err` may be NULL.
 */
SIPMSG_API sipmsg_code sipmsg_uri_parse(sipmsg_uri *u, sipmsg_slice text,
                                        sipmsg_error *err);

/*
 * Compares two parsed URIs as RFC 3261 section 19.1.4 says for sip and
 * sips: scheme, user and password case-sensitive; host case-insensitive;
 * port, transport/user/ttl/method/maddr parameters and headers must match
 * when present in either; other parameters only when present in both;
 * escapes compare equal to the characters they encode. tel URIs compare
 * the number without visual separators, then parameters; other schemes
 * compare scheme (case-insensitive) and opaque part. Returns 1 when equal.
 */
SIPMSG_API int sipmsg_uri_equal(const sipmsg_uri *a, const sipmsg_uri *b);

/*
 * Decodes %XX escapes of `s` into `out` (capacity `cap`), snprintf style:
 * returns the decoded length, writing at most `cap` bytes (no NUL is
 * added). Returns (size_t)-1 when `s` holds a '%' not followed by two hex
 * digits.
 */
SIPMSG_API size_t sipmsg_unescape(sipmsg_slice s, char *out, size_t cap);

/* ---- parameter lists ----------------------------------------------------- */

/*
 * Iterates `;name[=value]` parameters. Header parameters allow LWS around
 * ';' and '=' and quoted-string values; URI parameters (SIPMSG_PARAMS_URI)
 * allow neither. Empty parameters (";;") are skipped and counted in
 * `empty`, the first at `first_empty` (the ';' that starts it); strict
 * validation reports them.
 */
typedef struct sipmsg_param_iter {
    const char *p, *end, *base;
    unsigned flags;
    unsigned empty;
    const char *first_empty;
} sipmsg_param_iter;

#define SIPMSG_PARAMS_URI 0x1u

/* Starts iterating `params` (the slice may start with ';'). */
SIPMSG_API void sipmsg_param_iter_init(sipmsg_param_iter *it, sipmsg_slice params,
                                       unsigned flags);

/* Next parameter: returns 1 and fills *out, 0 at the end, or -1 on a
 * malformed parameter (err: SIPMSG_E_PARAM or SIPMSG_E_QUOTE, offset
 * relative to the start of `params`). */
SIPMSG_API int sipmsg_param_next(sipmsg_param_iter *it, sipmsg_param *out,
                                 sipmsg_error *err);

/* Finds parameter `name` (case-insensitive) in header-style `params`.
 * Returns 1 and fills *out when found. */
SIPMSG_API int sipmsg_param_find(sipmsg_slice params, const char *name,
                                 sipmsg_param *out);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_URI_H */
