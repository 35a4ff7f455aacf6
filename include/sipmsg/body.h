/*
 * sipmsg/body.h - message bodies as zero-copy views: MIME header blocks,
 * multipart (RFC 2046 section 5.1), message/cpim (RFC 3862) and
 * application/sdp (RFC 8866), with builders for multipart and CPIM bodies.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Memory: like the message parser, every view is a set of slices into the
 * body bytes the caller passes (usually sipmsg_msg.body), and every table
 * (part headers, CPIM headers, SDP lines and media sections) is storage
 * the caller owns: capacity in, count out. Nothing allocates, nothing
 * writes to the input, nothing needs a NUL terminator, and bodies may hold
 * any byte (NUL, bare CR, bare LF) where the format allows it. The body
 * must stay alive and unchanged as long as a view of it is used.
 *
 * Bounds: every scan stops at the end of the slice given; no recursion
 * (a nested multipart is read by running a second iterator over a part's
 * body); every function is linear in its input.
 *
 * Errors: the functions return SIPMSG_OK or a sipmsg_code and fill the
 * optional sipmsg_error with the code, a constant message (err->msg says
 * exactly what is wrong; the code says which kind of problem it is), the
 * byte offset counted from the start of the slice given (for the multipart
 * iterator: from the start of the whole multipart body) and err->header =
 * -1. The codes are those of common.h, used with these meanings here:
 *   SIPMSG_E_CONTENT_TYPE     not the expected media type, or a boundary
 *                             parameter that is missing, empty, longer
 *                             than 70 characters, or holds a character
 *                             RFC 2046 does not allow in a boundary
 *   SIPMSG_E_TRUNCATED        the body ends before its structure does: no
 *                             first or closing delimiter, a delimiter line
 *                             cut at the end of the body, a header block
 *                             (of a part or of CPIM) without its blank line
 *   SIPMSG_E_HEADER_NAME      a header line whose name is empty or holds a
 *                             character not allowed in a field name
 *   SIPMSG_E_NO_COLON         a header line without ':' after the name
 *   SIPMSG_E_FOLD             a continuation line first in a block, or any
 *                             continuation line in CPIM (which forbids them)
 *   SIPMSG_E_BARE_CR, SIPMSG_E_BARE_LF  in a header block, or in SDP a CR
 *                             not followed by LF
 *   SIPMSG_E_HEADER_VALUE     a header value holding a control byte; a
 *                             CPIM header without its SP after the colon;
 *                             any SDP line or field that breaks RFC 8866's
 *                             grammar (err->msg names the field)
 *   SIPMSG_E_PORT             an SDP m= port above 65535
 *   SIPMSG_E_MISSING_HEADER   SDP without v=, o=, s= or t=; CPIM without a
 *                             Content-Type in its MIME headers
 *   SIPMSG_E_DUPLICATE_HEADER a second o= or s= line in SDP
 *   SIPMSG_E_TOO_MANY_HEADERS a header block with more fields than the
 *                             table given holds
 *   SIPMSG_E_NO_SPACE         more SDP lines or media sections than the
 *                             tables given hold
 *   SIPMSG_E_EMPTY            an empty SDP or CPIM body
 *   SIPMSG_E_NAME_ADDR, SIPMSG_E_URI, SIPMSG_E_HOST, SIPMSG_E_PORT,
 *   SIPMSG_E_QUOTE, SIPMSG_E_PARAM   a CPIM From, To or cc value that is not
 *                             a name-addr (sipmsg_nameaddr_parse)
 *   SIPMSG_E_BAD_TEXT         builders: text that cannot be written (a CR
 *                             or LF in a header, a part body holding the
 *                             delimiter)
 *
 * Thread safety: no global state; functions modify only the objects given.
 */
#ifndef SIPMSG_BODY_H
#define SIPMSG_BODY_H

#include "common.h"
#include "header.h"
#include "parse.h"
#include "write.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- what a body is ---------------------------------------------------------- */

typedef enum sipmsg_body_kind {
    SIPMSG_BODY_NONE = 0,  /* no Content-Type (or no body) */
    SIPMSG_BODY_OTHER,     /* any other type */
    SIPMSG_BODY_TEXT,      /* text/plain */
    SIPMSG_BODY_MULTIPART, /* multipart/<any> */
    SIPMSG_BODY_CPIM,      /* message/cpim, and application/cpim (as the
                               seed writes it) */
    SIPMSG_BODY_SDP        /* application/sdp */
} sipmsg_body_kind;

/* The kind of a Content-Type value ("multipart/mixed;boundary=x"; type and
 * subtype compared case-insensitively). An absent slice gives NONE, a value
 * that is not a media type gives OTHER. */
SIPMSG_API sipmsg_body_kind sipmsg_body_kind_of(sipmsg_slice content_type);

/* The kind of a parsed message's body, from its first Content-Type. */
SIPMSG_API sipmsg_body_kind sipmsg_msg_body_kind(const sipmsg_msg *m);

/* ---- MIME header blocks -------------------------------------------------------- */

/*
 * A block of header fields ending in an empty line (RFC 2045/5322 style, as
 * at the top of a multipart part or in CPIM):
 *   fields = *( field-name ":" value CRLF ) CRLF
 * field-name is 1*(%x21-39 / %x3B-7E); whitespace before the ':' is allowed
 * (as in SIP). Values are trimmed of SP/HTAB and may span continuation
 * lines (CRLF then SP or HTAB), which set SIPMSG_HF_FOLDED. A value holding
 * a control byte other than HTAB is refused.
 *
 * Each field fills one sipmsg_header: name, value and raw as for a message
 * (raw runs from the name to the final CRLF), id from sipmsg_hdr_lookup()
 * (so "Content-Type" is SIPMSG_HDR_CONTENT_TYPE), next always SIPMSG_NONE.
 */
typedef struct sipmsg_fields {
    sipmsg_header *headers; /* caller storage; NULL: count only */
    size_t capacity;
    size_t count; /* fields read */
    size_t len;   /* bytes of the block, its blank line included */
} sipmsg_fields;

/* sipmsg_fields_parse flags */
#define SIPMSG_FIELDS_CPIM                                                               \
    0x1u /* RFC 3862 section 3: no continuation lines,
                                   no whitespace before the ':', and the
                                   value starts after exactly one SP that
                                   follows the ':' and its ;parameters */

/* Sets up `f` to fill `headers` (`capacity` entries). */
SIPMSG_API void sipmsg_fields_init(sipmsg_fields *f, sipmsg_header *headers,
                                   size_t capacity);

/*
 * Reads the block at the start of `text`. On SIPMSG_OK, f->count fields
 * are in the table and f->len bytes were read. A block must end with its
 * empty line (else SIPMSG_E_TRUNCATED, offset = text.len). Errors as listed at
 * the top; on error f->count holds the fields read before the bad one.
 */
SIPMSG_API sipmsg_code sipmsg_fields_parse(sipmsg_fields *f, sipmsg_slice text,
                                           unsigned flags, sipmsg_error *err);

/* The first field named `name` (ASCII case-insensitive), or NULL. Linear. */
SIPMSG_API const sipmsg_header *sipmsg_fields_find(const sipmsg_fields *f,
                                                   const char *name);

/* ---- multipart (RFC 2046 section 5.1) ------------------------------------------ */

/*
 *   multipart-body  = [preamble CRLF] dash-boundary transport-padding CRLF
 *                     body-part *encapsulation close-delimiter
 *                     transport-padding [CRLF epilogue]
 *   encapsulation   = delimiter transport-padding CRLF body-part
 *   delimiter       = CRLF dash-boundary      dash-boundary = "--" boundary
 *   close-delimiter = delimiter "--"          transport-padding = *(SP/HTAB)
 *   boundary        = 0*69bchars bcharsnospace
 *
 * A delimiter is recognised only as a whole line ("--" boundary, optional
 * SP/HTAB, CRLF; or "--" boundary "--" for the last), so a part may hold
 * the boundary text elsewhere, and any bytes at all: NUL, bare CR, bare LF.
 *
 * Each part is `fields CRLF body`. A part whose first line is empty has no
 * headers; a part of zero bytes has no headers and an empty body. A part
 * with header lines but no empty line after them is an error
 * (SIPMSG_E_TRUNCATED, "part without its blank line").
 */

typedef struct sipmsg_part {
    sipmsg_fields headers;     /* the part's header table */
    sipmsg_slice content_type; /* its Content-Type value; absent when none
                                   (the RFC 2046 default is text/plain) */
    sipmsg_slice body;         /* present, maybe empty */
    sipmsg_slice raw;          /* the whole part: headers, blank line, body */
    size_t offset;             /* of raw.ptr from the start of the multipart body */
    unsigned index;            /* 0 for the first part */
} sipmsg_part;

/* Iterator state (read-only for the caller, except preamble/epilogue). */
typedef struct sipmsg_multipart_iter {
    const char *base; /* the multipart body */
    size_t len;
    sipmsg_slice boundary; /* without the leading "--" */
    size_t pos;            /* where the next part starts */
    int state;             /* internal */
    unsigned parts;        /* parts returned so far */
    sipmsg_slice preamble; /* before the first delimiter (may be empty) */
    sipmsg_slice epilogue; /* after the closing delimiter line; set at
                                   the end (present, maybe empty) */
} sipmsg_multipart_iter;

/*
 * The boundary parameter of a multipart Content-Type value (quotes removed).
 * SIPMSG_E_CONTENT_TYPE when the value is not a multipart/<subtype> media
 * type, or the boundary is missing, empty, longer than 70 characters, or
 * not made of RFC 2046 bchars (letters, digits, '()+_,-./:=? and inner
 * spaces). A 1-character boundary is valid (RFC 2046 allows 1 to 70).
 */
SIPMSG_API sipmsg_code sipmsg_multipart_boundary(sipmsg_slice content_type,
                                                 sipmsg_slice *boundary,
                                                 sipmsg_error *err);

/*
 * Starts iterating `body` with `boundary` (as given by
 * sipmsg_multipart_boundary, without "--"). Finds the first delimiter:
 * SIPMSG_E_TRUNCATED when there is none. SIPMSG_E_CONTENT_TYPE (offset 0)
 * for a boundary that sipmsg_multipart_boundary would refuse.
 */
SIPMSG_API sipmsg_code sipmsg_multipart_init(sipmsg_multipart_iter *it, sipmsg_slice body,
                                             sipmsg_slice boundary, sipmsg_error *err);

/* The same for a parsed message: its body and the boundary of its
 * Content-Type (SIPMSG_E_CONTENT_TYPE when it has none or it is not
 * multipart). */
SIPMSG_API sipmsg_code sipmsg_multipart_init_msg(sipmsg_multipart_iter *it,
                                                 const sipmsg_msg *m, sipmsg_error *err);

/*
 * The next part. `part->headers` must have been set up with
 * sipmsg_fields_init (its table is reused for every part). Returns 1 and a
 * part, 0 after the closing delimiter (it->epilogue is then set), or -1 on
 * error (err set; every later call returns -1 again). Errors:
 * SIPMSG_E_TRUNCATED (no closing delimiter, a delimiter line cut by the
 * end of the body, a part without its blank line), the header block codes.
 */
SIPMSG_API int sipmsg_multipart_next(sipmsg_multipart_iter *it, sipmsg_part *part,
                                     sipmsg_error *err);

/* A part to build: its header fields (name and value, e.g. Content-Type)
 * and its body. */
typedef struct sipmsg_body_part {
    const sipmsg_field *headers;
    size_t header_count;
    sipmsg_slice body;
} sipmsg_body_part;

/*
 * Writes a multipart body into out[0, cap), snprintf style: returns the
 * size of the whole body and writes min(size, cap) bytes (no NUL added; out
 * may be NULL with cap 0 to size it). Layout: for each part "--boundary"
 * CRLF, its fields "name: value" CRLF, CRLF, its body, CRLF; then
 * "--boundary--" CRLF. Returns 0 with err set when the input cannot be
 * written: SIPMSG_E_CONTENT_TYPE (bad boundary), SIPMSG_E_BAD_TEXT (a
 * header name that is not a field-name, a value holding CR or LF, or a
 * part body containing CRLF "--boundary", or starting with "--boundary",
 * which would end it early), SIPMSG_E_RANGE (no parts). The message's
 * Content-Type is then `multipart/mixed;boundary=<boundary>`.
 */
SIPMSG_API size_t sipmsg_multipart_build(char *out, size_t cap, sipmsg_slice boundary,
                                         const sipmsg_body_part *parts, size_t count,
                                         sipmsg_error *err);

/* ---- message/cpim (RFC 3862) ------------------------------------------------------ */

/*
 *   cpim-body = message-headers CRLF mime-headers CRLF content
 *   message-header = Header-name ":" *( ";" Parameter ) SP Header-value CRLF
 *
 * Message headers are parsed with SIPMSG_FIELDS_CPIM; the values of From,
 * To and cc must be name-addrs ([ Formal-name ] "<" URI ">", checked with
 * sipmsg_nameaddr_parse); DateTime, Subject, NS, Require and extension
 * headers are kept as written (CPIM's \-escapes included). The MIME
 * headers follow the ordinary rules and must include Content-Type.
 */
typedef struct sipmsg_cpim {
    sipmsg_header *table; /* caller storage, shared by both blocks */
    size_t capacity;
    sipmsg_fields headers; /* the message headers (table[0 ...]) */
    sipmsg_fields mime;    /* the MIME headers (right after them) */
    sipmsg_slice from;     /* shortcuts: first From, To, DateTime, */
    sipmsg_slice to;       /* Subject values; absent when none */
    sipmsg_slice datetime;
    sipmsg_slice subject;
    sipmsg_slice content_type; /* the MIME Content-Type value */
    sipmsg_slice content;      /* the encapsulated content (maybe empty) */
} sipmsg_cpim;

/* Sets up `c` over caller storage for both header blocks together. */
SIPMSG_API void sipmsg_cpim_init(sipmsg_cpim *c, sipmsg_header *table, size_t capacity);

/* Parses a message/cpim body. Errors as listed at the top:
 * SIPMSG_E_EMPTY, the header block codes, SIPMSG_E_TRUNCATED (no MIME
 * header block), SIPMSG_E_MISSING_HEADER (no MIME Content-Type), the
 * name-addr codes for From, To or cc. */
SIPMSG_API sipmsg_code sipmsg_cpim_parse(sipmsg_cpim *c, sipmsg_slice text,
                                         sipmsg_error *err);

/* The ;parameters of a CPIM message header (";lang=fr" of
 * "Subject:;lang=fr text"); absent when none. */
SIPMSG_API sipmsg_slice sipmsg_cpim_header_params(const sipmsg_header *h);

/* A CPIM body to build. */
typedef struct sipmsg_cpim_spec {
    sipmsg_slice from;         /* "Alice <im:alice@example.com>" (required) */
    sipmsg_slice to;           /* required */
    sipmsg_slice datetime;     /* optional, RFC 3339 text */
    sipmsg_slice subject;      /* optional */
    const sipmsg_field *extra; /* more message headers (cc, NS, Require ...) */
    size_t extra_count;
    sipmsg_slice content_type; /* absent: "text/plain;charset=utf-8" */
    sipmsg_slice content;      /* any bytes */
} sipmsg_cpim_spec;

/*
 * Writes a CPIM body, snprintf style (see sipmsg_multipart_build): From,
 * To, DateTime, Subject, the extra headers, CRLF, "Content-Type: ...",
 * CRLF, the content. Put it in a MESSAGE with sipmsg_build_message and
 * content_type "message/cpim". Returns 0 with err set on bad input:
 * SIPMSG_E_NOT_FOUND (no from or to), the name-addr codes (from, to, or a
 * cc that does not parse), SIPMSG_E_CONTENT_TYPE, SIPMSG_E_BAD_TEXT (a
 * name that is not a CPIM header name, a value with CR, LF or a leading
 * space).
 */
SIPMSG_API size_t sipmsg_cpim_build(char *out, size_t cap, const sipmsg_cpim_spec *s,
                                    sipmsg_error *err);

/* ---- application/sdp (RFC 8866) --------------------------------------------------- */

/*
 * Each line is `type "=" value` with type one letter; lines end in CRLF or,
 * tolerated, LF; the last line may lack its line end, and empty lines are
 * allowed only at the very end. Bytes NUL and CR are not allowed in a
 * value. Lines are kept in order, unknown types included. Lines after the
 * first m= belong to its media section, and so on.
 *
 * Parsed when read (an error if malformed):
 *   v=0
 *   o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>
 *   s=<text>  (any bytes but NUL/CR/LF, may be a single space)
 *   c=<nettype> <addrtype> <address>[/<ttl>][/<count>]  (IPv6 per RFC 5118)
 *   t=<start> <stop>  (decimal)
 *   m=<media> <port>[/<count>] <proto> <fmt> *(SP <fmt>)
 *     (for an RTP proto, every fmt is a payload type 0-127; else a token,
 *      so MSRP's "*" works)
 *   a=<name>[:<value>]  (name a token)
 * Fields are separated by exactly one SP. v, o, s and t must appear at
 * session level, v first, o and s once; v, o, s, t, r, z may not appear in
 * a media section.
 */
typedef struct sipmsg_sdp_line {
    sipmsg_slice text;  /* after "x=", the line end excluded */
    sipmsg_slice name;  /* a= lines: the attribute name; else absent */
    sipmsg_slice value; /* a= lines: after ':' (absent for "a=recvonly");
                            other lines: the same as text */
    uint32_t media;     /* 0: session level; k: in the k-th m= section */
    char type;          /* 'v', 'o', 'a' ... as written */
} sipmsg_sdp_line;

typedef struct sipmsg_sdp_origin {
    sipmsg_slice username, sess_id, sess_version, nettype, addrtype, address;
} sipmsg_sdp_origin;

typedef struct sipmsg_sdp_conn {
    sipmsg_slice nettype;  /* "IN" */
    sipmsg_slice addrtype; /* "IP4", "IP6" */
    sipmsg_slice address;  /* without /ttl and /count */
    uint32_t ttl;          /* IP4 multicast ttl; 0 when absent */
    uint32_t count;        /* number of addresses; 0 when absent */
} sipmsg_sdp_conn;

typedef struct sipmsg_sdp_media {
    sipmsg_slice media; /* "audio", "video", "message" ... */
    uint32_t port;
    uint32_t count;       /* port count after '/'; 0 when absent */
    sipmsg_slice proto;   /* "RTP/AVP", "TCP/MSRP" ... */
    sipmsg_slice formats; /* the fmt list, for sipmsg_sdp_format_next */
    int has_conn;         /* 1 when the section has a c= line */
    sipmsg_sdp_conn conn; /* its first c= line */
    size_t line;          /* index of the m= line in the line table */
    size_t line_end;      /* one past the section's last line */
} sipmsg_sdp_media;

typedef struct sipmsg_sdp {
    sipmsg_sdp_line *lines; /* caller storage; NULL: count only */
    size_t line_capacity;
    size_t line_count;       /* every line, in order */
    sipmsg_sdp_media *media; /* caller storage; NULL: count only */
    size_t media_capacity;
    size_t media_count;
    size_t session_end;       /* lines[0, session_end) are session level */
    uint32_t version;         /* v= */
    sipmsg_sdp_origin origin; /* o= */
    sipmsg_slice name;        /* s= */
    int has_conn;             /* a session-level c= exists */
    sipmsg_sdp_conn conn;     /* the first session-level c= */
    sipmsg_slice time;        /* the first t= value */
    uint64_t start, stop;     /* its two numbers */
} sipmsg_sdp;

/* Sets up `s` over caller tables (either may be NULL with capacity 0: the
 * parse then only counts; a sizing pass). */
SIPMSG_API void sipmsg_sdp_init(sipmsg_sdp *s, sipmsg_sdp_line *lines,
                                size_t line_capacity, sipmsg_sdp_media *media,
                                size_t media_capacity);

/* Parses an SDP body. Errors: SIPMSG_E_EMPTY, SIPMSG_E_HEADER_VALUE,
 * SIPMSG_E_BARE_CR, SIPMSG_E_PORT, SIPMSG_E_MISSING_HEADER,
 * SIPMSG_E_DUPLICATE_HEADER, SIPMSG_E_NO_SPACE (tables too small; the
 * counts then hold what was read so far). */
SIPMSG_API sipmsg_code sipmsg_sdp_parse(sipmsg_sdp *s, sipmsg_slice text,
                                        sipmsg_error *err);

/* Iterates a format list: set *list to sipmsg_sdp_media.formats, then each
 * call gives the next format and returns 1, or 0 at the end. */
SIPMSG_API int sipmsg_sdp_format_next(sipmsg_slice *list, sipmsg_slice *fmt);

/* The first attribute named `name` (case-sensitive, as RFC 8866 says) at
 * the session level (media 0) or in media section `media` (1-based), or
 * NULL. Needs the line table. */
SIPMSG_API const sipmsg_sdp_line *sipmsg_sdp_attr(const sipmsg_sdp *s, uint32_t media,
                                                  const char *name);

/* Parses the value of an o= or c= line (as sipmsg_sdp_parse does). */
SIPMSG_API sipmsg_code sipmsg_sdp_origin_parse(sipmsg_sdp_origin *o, sipmsg_slice text,
                                               sipmsg_error *err);
SIPMSG_API sipmsg_code sipmsg_sdp_conn_parse(sipmsg_sdp_conn *c, sipmsg_slice text,
                                             sipmsg_error *err);

/*
 * Writes lines as SDP text, snprintf style (see sipmsg_multipart_build):
 * "x=text" CRLF each, from `type` and `text` (name/value are ignored).
 * Returns 0 with SIPMSG_E_BAD_TEXT when a type is not a letter or a text
 * holds NUL, CR or LF. Edit a parsed line table and write it back, or
 * build one from scratch; parse the result to check it.
 */
SIPMSG_API size_t sipmsg_sdp_write(char *out, size_t cap, const sipmsg_sdp_line *lines,
                                   size_t count, sipmsg_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_BODY_H */
