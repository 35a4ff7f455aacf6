/*
 * sipmsg/parse.h - framing, start line and header table.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * sipmsg_parse() reads one SIP message from a caller buffer without copying
 * and without allocating: every field is a slice into that buffer, and the
 * header table lives in storage the caller passes in. The buffer must stay
 * alive and unchanged for as long as the message is used. sipmsg never reads
 * outside [buf, buf + len), never needs a NUL terminator and never writes to
 * the buffer; bodies may hold any byte, NUL included.
 *
 * Thread safety: a sipmsg_msg is an ordinary value. Parsing different
 * messages from different threads needs no locking.
 */
#ifndef SIPMSG_PARSE_H
#define SIPMSG_PARSE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Request methods. Any other token is SIPMSG_METHOD_OTHER, with the text in
 * sipmsg_msg.method_name. Methods are case-sensitive ("invite" is OTHER). */
typedef enum sipmsg_method {
    SIPMSG_METHOD_NONE = 0, /* a response, or no method */
    SIPMSG_METHOD_OTHER,    /* an extension method: see method_name */
    SIPMSG_METHOD_REGISTER,
    SIPMSG_METHOD_INVITE,
    SIPMSG_METHOD_ACK,
    SIPMSG_METHOD_CANCEL,
    SIPMSG_METHOD_BYE,
    SIPMSG_METHOD_OPTIONS,
    SIPMSG_METHOD_MESSAGE,
    SIPMSG_METHOD_SUBSCRIBE,
    SIPMSG_METHOD_NOTIFY,
    SIPMSG_METHOD_REFER,
    SIPMSG_METHOD_INFO,
    SIPMSG_METHOD_UPDATE,
    SIPMSG_METHOD_PRACK,
    SIPMSG_METHOD_PUBLISH,
    SIPMSG_METHOD_COUNT_
} sipmsg_method;

/* Known header ids. Names are matched case-insensitively, in full and in
 * compact form (shown after the name). Every other header is
 * SIPMSG_HDR_OTHER. */
typedef enum sipmsg_hdr_id {
    SIPMSG_HDR_OTHER = 0,
    SIPMSG_HDR_VIA,                 /* v */
    SIPMSG_HDR_FROM,                /* f */
    SIPMSG_HDR_TO,                  /* t */
    SIPMSG_HDR_CALL_ID,             /* i */
    SIPMSG_HDR_CSEQ,
    SIPMSG_HDR_MAX_FORWARDS,
    SIPMSG_HDR_CONTACT,             /* m */
    SIPMSG_HDR_CONTENT_TYPE,        /* c */
    SIPMSG_HDR_CONTENT_LENGTH,      /* l */
    SIPMSG_HDR_CONTENT_ENCODING,    /* e */
    SIPMSG_HDR_EXPIRES,
    SIPMSG_HDR_ROUTE,
    SIPMSG_HDR_RECORD_ROUTE,
    SIPMSG_HDR_ALLOW,
    SIPMSG_HDR_SUPPORTED,           /* k */
    SIPMSG_HDR_REQUIRE,
    SIPMSG_HDR_PROXY_REQUIRE,
    SIPMSG_HDR_UNSUPPORTED,
    SIPMSG_HDR_USER_AGENT,
    SIPMSG_HDR_SERVER,
    SIPMSG_HDR_SUBJECT,             /* s */
    SIPMSG_HDR_EVENT,               /* o */
    SIPMSG_HDR_ALLOW_EVENTS,        /* u */
    SIPMSG_HDR_WWW_AUTHENTICATE,
    SIPMSG_HDR_AUTHORIZATION,
    SIPMSG_HDR_PROXY_AUTHENTICATE,
    SIPMSG_HDR_PROXY_AUTHORIZATION,
    SIPMSG_HDR_DATE,
    SIPMSG_HDR_TIMESTAMP,
    SIPMSG_HDR_ACCEPT,
    SIPMSG_HDR_WARNING,
    SIPMSG_HDR_RETRY_AFTER,
    SIPMSG_HDR_ACCEPT_ENCODING,
    SIPMSG_HDR_ACCEPT_LANGUAGE,
    SIPMSG_HDR_ALERT_INFO,
    SIPMSG_HDR_CALL_INFO,
    SIPMSG_HDR_CONTENT_DISPOSITION,
    SIPMSG_HDR_CONTENT_LANGUAGE,
    SIPMSG_HDR_ERROR_INFO,
    SIPMSG_HDR_IN_REPLY_TO,
    SIPMSG_HDR_MIME_VERSION,
    SIPMSG_HDR_MIN_EXPIRES,
    SIPMSG_HDR_ORGANIZATION,
    SIPMSG_HDR_PRIORITY,
    SIPMSG_HDR_REPLY_TO,
    SIPMSG_HDR_AUTHENTICATION_INFO,
    SIPMSG_HDR_REFER_TO,            /* r */
    SIPMSG_HDR_REFERRED_BY,         /* b */
    SIPMSG_HDR_ACCEPT_CONTACT,      /* a */
    SIPMSG_HDR_REJECT_CONTACT,      /* j */
    SIPMSG_HDR_REQUEST_DISPOSITION, /* d */
    SIPMSG_HDR_SESSION_EXPIRES,     /* x */
    SIPMSG_HDR_IDENTITY,            /* y */
    SIPMSG_HDR_IDENTITY_INFO,       /* n */
    SIPMSG_HDR_P_ASSERTED_IDENTITY,
    SIPMSG_HDR_P_PREFERRED_IDENTITY,
    SIPMSG_HDR_PATH,
    SIPMSG_HDR_SERVICE_ROUTE,
    SIPMSG_HDR_PRIVACY,
    SIPMSG_HDR_RSEQ,
    SIPMSG_HDR_RACK,
    SIPMSG_HDR_SUBSCRIPTION_STATE,
    SIPMSG_HDR_MIN_SE,
    SIPMSG_HDR_SIP_ETAG,
    SIPMSG_HDR_SIP_IF_MATCH,
    SIPMSG_HDR_COUNT_
} sipmsg_hdr_id;

/* One header field, in wire order. */
typedef struct sipmsg_header {
    sipmsg_slice name;   /* as written: "v", "VIA", "Via" ... */
    sipmsg_slice value;  /* leading/trailing whitespace excluded; spans folded lines */
    sipmsg_slice raw;    /* the whole field, name to final CRLF included; for a
                            header added or changed by an edit, ptr is NULL */
    uint16_t id;         /* a sipmsg_hdr_id */
    uint16_t flags;      /* SIPMSG_HF_* */
    uint32_t next;       /* index of the next header with the same id, or SIPMSG_NONE */
} sipmsg_header;

#define SIPMSG_NONE 0xffffffffu

/* sipmsg_header.flags */
#define SIPMSG_HF_FOLDED  0x0001u /* the value spans more than one line */
#define SIPMSG_HF_EDITED  0x0002u /* set by edits: rendered, not copied */

/* Framing mode. */
typedef enum sipmsg_mode {
    SIPMSG_DATAGRAM = 0, /* UDP: the buffer is one message */
    SIPMSG_STREAM = 1    /* TCP/TLS: the buffer starts a byte stream */
} sipmsg_mode;

/* Defaults for sipmsg_opts limits (used when a field is 0). */
#define SIPMSG_DEFAULT_MAX_SIZE ((size_t)1024 * 1024) /* bytes, whole message */
#define SIPMSG_DEFAULT_MAX_LINE ((size_t)64 * 1024)   /* bytes, one physical line */
#define SIPMSG_DEFAULT_MAX_HEADERS 1024u

/* sipmsg_opts.flags */
#define SIPMSG_PARSE_FRAME_ONLY 0x1u /* framing, start line and header table
                                        only: the decoded fields (via,
                                        tags, call_id, cseq, max_forwards,
                                        content_type) stay empty and are
                                        not checked */

/* Parse options. A NULL pointer, or an all-zero struct, means datagram mode
 * with the default limits. */
typedef struct sipmsg_opts {
    sipmsg_mode mode;
    size_t max_size;    /* 0: SIPMSG_DEFAULT_MAX_SIZE */
    size_t max_line;    /* 0: SIPMSG_DEFAULT_MAX_LINE */
    size_t max_headers; /* 0: SIPMSG_DEFAULT_MAX_HEADERS (the table capacity also limits) */
    unsigned flags;     /* SIPMSG_PARSE_* */
} sipmsg_opts;

/* The outcome of a parse: always one of three. */
typedef enum sipmsg_result {
    SIPMSG_DONE = 0,       /* a whole message was parsed */
    SIPMSG_INCOMPLETE = 1, /* stream mode: more bytes are needed (see msg.need) */
    SIPMSG_INVALID = 2     /* the bytes are not a valid message (see the error) */
} sipmsg_result;

/* Via fields the parse decodes from the topmost Via value. */
typedef struct sipmsg_top_via {
    sipmsg_slice transport; /* "UDP", "TCP" ... */
    sipmsg_slice host;      /* sent-by host as written ([v6] keeps brackets) */
    uint32_t port;          /* 0 when absent */
    sipmsg_slice branch;    /* absent when there is no branch */
    sipmsg_slice received;
    sipmsg_slice rport;     /* ptr set and len 0: rport without value */
} sipmsg_top_via;

/*
 * A parsed message. Initialise it with sipmsg_msg_init() once (giving the
 * header storage) and reuse it for any number of parses. sizeof(sipmsg_msg)
 * is 920 bytes on x86-64 (the id index is most of it); each sipmsg_header
 * is 56 bytes.
 *
 * Every slice points into the parsed buffer (or, after edits, into the edit
 * arena). Fields not described as "decoded" are filled for every DONE parse.
 */
typedef struct sipmsg_msg {
    /* header storage, from sipmsg_msg_init */
    sipmsg_header *headers;
    size_t capacity;
    size_t count;                        /* headers in the table */
    uint32_t first[SIPMSG_HDR_COUNT_];   /* first index of each id, or SIPMSG_NONE */
    uint32_t last[SIPMSG_HDR_COUNT_];    /* last index of each id, or SIPMSG_NONE */

    /* framing */
    const char *buf;    /* the start of the message (after skipped CRLFs) */
    size_t len;         /* bytes of the message: start line to end of body */
    size_t skipped;     /* leading CRLF bytes skipped before the message */
    size_t trailing;    /* datagram: bytes after the declared body (not part of the message) */
    size_t need;        /* INCOMPLETE: at least this many more bytes (0: unknown) */
    size_t header_len;  /* start line + headers + blank line */

    /* start line */
    int is_request;             /* 1 request, 0 response */
    sipmsg_slice start_line;    /* without its CRLF */
    sipmsg_method method;       /* requests */
    sipmsg_slice method_name;   /* requests, as written */
    sipmsg_slice request_uri;   /* requests */
    sipmsg_slice version;       /* "SIP/2.0" as written */
    uint16_t version_major;     /* 2 for SIP/2.0 */
    uint16_t version_minor;     /* 0 for SIP/2.0 */
    int status_code;            /* responses: 100-699 */
    sipmsg_slice reason;        /* responses: may be empty */

    /* body */
    sipmsg_slice body;          /* present (maybe empty) after a DONE parse */
    int64_t content_length;     /* -1 when there is no Content-Length */

    /* decoded at parse time (headers a proxy reads on every message) */
    sipmsg_top_via via;       /* top Via; host.ptr NULL without Via */
    sipmsg_slice from_tag;      /* absent when no tag */
    sipmsg_slice to_tag;
    sipmsg_slice call_id;
    uint32_t cseq;              /* 0 when no CSeq */
    sipmsg_method cseq_method;
    sipmsg_slice cseq_method_name;
    int max_forwards;           /* -1 when absent */
    sipmsg_slice content_type;  /* type "/" subtype, no parameters; absent when none */

    void *edit_;                /* internal: edit state (write.h), NULL when none */
} sipmsg_msg;

/*
 * Prepares `m` to parse into `headers` (an array of `capacity` entries owned
 * by the caller, who keeps it alive as long as `m`). Clears every field.
 */
SIPMSG_API void sipmsg_msg_init(sipmsg_msg *m, sipmsg_header *headers,
                                size_t capacity);

/*
 * Parses one message from `buf` (`len` bytes).
 *
 * Datagram mode: the buffer is one message. Leading CRLFs are skipped.
 * Content-Length is optional; without it the body runs to the end of the
 * buffer. A Content-Length larger than the bytes present is
 * SIPMSG_E_BODY_TRUNCATED; bytes after the declared body are counted in
 * m->trailing and not taken as body. A buffer ending inside the header block
 * is SIPMSG_E_TRUNCATED. Datagram mode never returns SIPMSG_INCOMPLETE.
 *
 * Stream mode: leading CRLFs (RFC 5626 keep-alives) are skipped and counted
 * in m->skipped. When the buffer holds a whole message, returns DONE and
 * m->skipped + m->len is where the next message starts. Otherwise returns
 * INCOMPLETE, with m->need the number of further bytes known to be needed
 * (0 while the header block is unfinished). Content-Length is mandatory.
 * Note: reparsing a growing buffer from its start costs O(n) each time; call
 * again only when new bytes have arrived.
 *
 * In both modes, two Content-Length headers with different values are
 * SIPMSG_E_CL_CONFLICT. The headers a proxy reads on every message (top Via,
 * From/To tags, Call-ID, CSeq, Max-Forwards, Content-Type) are decoded; a
 * malformed one makes the message INVALID with the matching code. For From
 * and To that means their structure (display name, <...>, parameters) and
 * the shape of their URI (scheme ":" and no whitespace or control bytes);
 * the URI grammar itself (host, port, user) is checked by sipmsg_validate()
 * and sipmsg_nameaddr_parse(), so a proxy is not stopped by a From URI it
 * never reads.
 *
 * `opts` may be NULL (datagram, default limits). `err` may be NULL; on
 * INVALID it receives the code, the byte offset into `buf`, the header index
 * (-1 for the start line, framing or the body) and a constant message.
 * No allocation; linear time in `len`.
 */
SIPMSG_API sipmsg_result sipmsg_parse(sipmsg_msg *m, const char *buf,
                                      size_t len, const sipmsg_opts *opts,
                                      sipmsg_error *err);

/* ---- header table access ------------------------------------------------ */

/* The first header with this id, or NULL. O(1). */
SIPMSG_API const sipmsg_header *sipmsg_find(const sipmsg_msg *m, sipmsg_hdr_id id);

/* The header after `h` with the same id, or NULL. O(1). */
SIPMSG_API const sipmsg_header *sipmsg_find_next(const sipmsg_msg *m,
                                                 const sipmsg_header *h);

/* The first header named `name` (case-insensitive; compact forms of known
 * headers match their full names), or NULL. */
SIPMSG_API const sipmsg_header *sipmsg_find_name(const sipmsg_msg *m,
                                                 const char *name, size_t len);

/* The number of headers with this id. */
SIPMSG_API size_t sipmsg_count(const sipmsg_msg *m, sipmsg_hdr_id id);

/* ---- names and tables --------------------------------------------------- */

/* The id of a header name (full or compact, any case); SIPMSG_HDR_OTHER when
 * unknown. */
SIPMSG_API sipmsg_hdr_id sipmsg_hdr_lookup(const char *name, size_t len);

/* The canonical full name of a known id ("Call-ID"), or NULL for OTHER. */
SIPMSG_API const char *sipmsg_hdr_name(sipmsg_hdr_id id);

/* The compact form of a known id ("i"), or NULL when it has none. */
SIPMSG_API const char *sipmsg_hdr_compact(sipmsg_hdr_id id);

/* Per-id properties. */
#define SIPMSG_HP_LIST   0x01u /* the value is a comma-separated list */
#define SIPMSG_HP_SINGLE 0x02u /* at most one per message (RFC 3261) */
SIPMSG_API unsigned sipmsg_hdr_props(sipmsg_hdr_id id);

/* The method of a token (case-sensitive); SIPMSG_METHOD_OTHER when unknown. */
SIPMSG_API sipmsg_method sipmsg_method_lookup(const char *name, size_t len);

/* The name of a known method ("INVITE"), or NULL. */
SIPMSG_API const char *sipmsg_method_name(sipmsg_method method);

/* The default reason phrase for a status code ("Not Found"); for an
 * unknown code, the phrase of its class ("Client Error" ...), or NULL when
 * the code is outside 100-699. */
SIPMSG_API const char *sipmsg_reason_phrase(int status);

/* The class of a status code: 1 to 6, or 0 when outside 100-699. */
SIPMSG_API int sipmsg_status_class(int status);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_PARSE_H */
