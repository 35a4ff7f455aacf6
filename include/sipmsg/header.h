/*
 * sipmsg/header.h - typed views of header values: lists, name-addr, Via,
 * CSeq, numbers, Content-Type, Event (RFC 3261 sections 20 and 25).
 * Message validation is in sipmsg/validate.h (included).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Every parser reads a value slice (usually sipmsg_header.value) and fills a
 * struct of slices into the same bytes: zero-copy, no allocation, linear
 * time, thread-safe. Error offsets are relative to the start of the slice
 * given. Values may contain folded lines (CRLF followed by SP or HTAB):
 * they count as whitespace.
 */
#ifndef SIPMSG_HEADER_H
#define SIPMSG_HEADER_H

#include "common.h"
#include "parse.h"
#include "uri.h"
#include "validate.h" /* sipmsg_validate, declared here before 0.2 */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- comma-separated lists ------------------------------------------------ */

/*
 * Iterates the elements of a comma-separated value, respecting quoted
 * strings, <...> and (comments). Elements are trimmed of whitespace. Empty
 * elements (",,") are skipped and counted in `empty`, the first at
 * `first_empty` (the ',' that ends it).
 */
typedef struct sipmsg_list_iter {
    const char *p, *end, *base;
    unsigned empty;
    const char *first_empty;
} sipmsg_list_iter;

SIPMSG_API void sipmsg_list_init(sipmsg_list_iter *it, sipmsg_slice value);

/* Returns 1 and the next element, 0 at the end, -1 on an unterminated
 * quote, '<' or comment (err: SIPMSG_E_LIST or SIPMSG_E_QUOTE). */
SIPMSG_API int sipmsg_list_next(sipmsg_list_iter *it, sipmsg_slice *elem,
                                sipmsg_error *err);

/* 1 when the list `value` holds `token` (case-insensitive), e.g. a method in
 * Allow or an option tag in Supported. */
SIPMSG_API int sipmsg_list_has(sipmsg_slice value, const char *token);

/* ---- name-addr / addr-spec ---------------------------------------------- */

/*
 * From, To, Contact, Route, Record-Route, Reply-To, P-Asserted-Identity ...
 *   (name-addr / addr-spec) *( SEMI params )
 *   name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
 * With a bare addr-spec, the trailing ;params are header parameters.
 */
typedef struct sipmsg_nameaddr {
    sipmsg_slice display;  /* without quotes (escapes kept); absent when none */
    int display_quoted;    /* 1 when the display name was a quoted-string */
    int angle;             /* 1 when the URI was inside <> */
    int star;              /* 1 for the Contact value "*" (nothing else set) */
    sipmsg_slice uri_text; /* the URI as written */
    sipmsg_uri uri;
    sipmsg_slice params; /* header params, from the first ';'; absent when none */
    sipmsg_slice tag;    /* shortcuts into params (absent when not there) */
    sipmsg_slice expires;
    sipmsg_slice q;
} sipmsg_nameaddr;

/* Parses one name-addr or addr-spec with its parameters. Returns SIPMSG_OK
 * or SIPMSG_E_NAME_ADDR, SIPMSG_E_QUOTE, SIPMSG_E_URI, SIPMSG_E_HOST,
 * SIPMSG_E_PORT, SIPMSG_E_PARAM. */
SIPMSG_API sipmsg_code sipmsg_nameaddr_parse(sipmsg_nameaddr *na, sipmsg_slice text,
                                             sipmsg_error *err);

/*
 * Iterates every name-addr of every header with id `id` (Contact, Route,
 * Record-Route ...), in wire order, across comma lists and repeated headers.
 * For Contact, "*" gives one value with star set.
 */
typedef struct sipmsg_nameaddr_iter {
    const sipmsg_msg *m;
    const sipmsg_header *h;
    sipmsg_list_iter list;
} sipmsg_nameaddr_iter;

SIPMSG_API void sipmsg_nameaddr_iter_init(sipmsg_nameaddr_iter *it, const sipmsg_msg *m,
                                          sipmsg_hdr_id id);
/* Returns 1 and the next value, 0 at the end, -1 on error (err->header is
 * set and err->offset counts from the start of the message). */
SIPMSG_API int sipmsg_nameaddr_next(sipmsg_nameaddr_iter *it, sipmsg_nameaddr *out,
                                    sipmsg_error *err);

/* The tag parameter of the From or To header (absent slice when none or
 * when the header is missing or malformed). */
SIPMSG_API sipmsg_slice sipmsg_from_tag(const sipmsg_msg *m);
SIPMSG_API sipmsg_slice sipmsg_to_tag(const sipmsg_msg *m);

/* ---- Via ------------------------------------------------------------------ */

/*
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 * sent-protocol = protocol-name SLASH protocol-version SLASH transport
 * sent-by = host [ COLON port ]
 */
typedef struct sipmsg_via {
    sipmsg_slice protocol;  /* "SIP" */
    sipmsg_slice version;   /* "2.0" */
    sipmsg_slice transport; /* "UDP", "TCP", "TLS", "SCTP", "WS", "WSS" or any token */
    sipmsg_slice host;      /* IPv6 keeps its brackets */
    sipmsg_host_type host_type;
    uint32_t port;       /* 0: absent */
    sipmsg_slice params; /* from the first ';'; absent when none */
    sipmsg_slice branch; /* shortcuts (absent when not there) */
    sipmsg_slice received;
    sipmsg_slice rport; /* ptr set, len 0: ";rport" without a value */
    sipmsg_slice maddr;
    sipmsg_slice ttl;
    sipmsg_slice text; /* the whole via-parm */
} sipmsg_via;

/* Parses one via-parm. Returns SIPMSG_OK or SIPMSG_E_VIA, SIPMSG_E_HOST,
 * SIPMSG_E_PORT, SIPMSG_E_PARAM, SIPMSG_E_QUOTE. */
SIPMSG_API sipmsg_code sipmsg_via_parse(sipmsg_via *v, sipmsg_slice text,
                                        sipmsg_error *err);

/* Iterates every Via value of a message, top first, across comma lists
 * and Via headers. */
typedef struct sipmsg_via_iter {
    const sipmsg_msg *m;
    const sipmsg_header *h;
    sipmsg_list_iter list;
} sipmsg_via_iter;

SIPMSG_API void sipmsg_via_iter_init(sipmsg_via_iter *it, const sipmsg_msg *m);
/* Returns 1 and the next Via, 0 at the end, -1 on error (offset counts from
 * the start of the message). */
SIPMSG_API int sipmsg_via_next(sipmsg_via_iter *it, sipmsg_via *out, sipmsg_error *err);

/* 1 when the branch starts with the RFC 3261 magic cookie "z9hG4bK". */
SIPMSG_API int sipmsg_branch_is_rfc3261(sipmsg_slice branch);

/* ---- single values --------------------------------------------------------- */

/* CSeq = 1*DIGIT LWS Method */
typedef struct sipmsg_cseq {
    uint32_t seq;
    sipmsg_method method;
    sipmsg_slice method_name;
} sipmsg_cseq;

/* SIPMSG_E_CSEQ when malformed, SIPMSG_E_CSEQ_NUMBER above 2^32-1. */
SIPMSG_API sipmsg_code sipmsg_cseq_parse(sipmsg_cseq *c, sipmsg_slice text,
                                         sipmsg_error *err);

/*
 * A decimal number 1*DIGIT (leading zeros allowed, no sign), not above
 * `max`. Returns SIPMSG_OK, or `code` (the caller's error code, such as
 * SIPMSG_E_MAX_FORWARDS) when malformed or above max.
 */
SIPMSG_API sipmsg_code sipmsg_uint_parse(sipmsg_slice text, uint32_t max, uint32_t *out,
                                         sipmsg_code code);

/* Max-Forwards: 0-255 (SIPMSG_E_MAX_FORWARDS). */
SIPMSG_API sipmsg_code sipmsg_max_forwards_parse(sipmsg_slice text, uint32_t *out);

/* Expires, Min-Expires: delta-seconds up to 2^32-1 (SIPMSG_E_EXPIRES). */
SIPMSG_API sipmsg_code sipmsg_expires_parse(sipmsg_slice text, uint32_t *out);

/* Call-ID = word [ "@" word ] (SIPMSG_E_CALL_ID, also for an absent or
 * empty slice). */
SIPMSG_API sipmsg_code sipmsg_call_id_check(sipmsg_slice text);

/* media-type = m-type SLASH m-subtype *( SEMI m-parameter ) */
typedef struct sipmsg_media_type {
    sipmsg_slice type;    /* "text" */
    sipmsg_slice subtype; /* "plain" */
    sipmsg_slice params;  /* from the first ';'; absent when none */
    sipmsg_slice charset; /* shortcuts (quoted values keep their quotes) */
    sipmsg_slice boundary;
} sipmsg_media_type;

/* SIPMSG_E_CONTENT_TYPE when malformed. */
SIPMSG_API sipmsg_code sipmsg_media_type_parse(sipmsg_media_type *mt, sipmsg_slice text,
                                               sipmsg_error *err);

/* Event = event-type *( SEMI event-param ) */
typedef struct sipmsg_event {
    sipmsg_slice type; /* "presence", "dialog", "registration" */
    sipmsg_slice params;
    sipmsg_slice id; /* the id parameter, absent when none */
} sipmsg_event;

/* SIPMSG_E_HEADER_VALUE when malformed. */
SIPMSG_API sipmsg_code sipmsg_event_parse(sipmsg_event *ev, sipmsg_slice text,
                                          sipmsg_error *err);

/* Validation (sipmsg_validate, sipmsg_validate_each): sipmsg/validate.h,
 * included above. */

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_HEADER_H */
