/*
 * sipmsg/common.h - slices, error codes and the export macro shared by every
 * sipmsg module.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Thread safety: nothing in sipmsg has global mutable state. Every function
 * is safe to call from any thread as long as two threads do not modify the
 * same object at once.
 */
#ifndef SIPMSG_COMMON_H
#define SIPMSG_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SIPMSG_API marks the functions exported from the shared library. Define
 * SIPMSG_STATIC when linking the static library on Windows. */
#if defined(_WIN32) && !defined(SIPMSG_STATIC)
#ifdef SIPMSG_BUILDING
#define SIPMSG_API __declspec(dllexport)
#else
#define SIPMSG_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define SIPMSG_API __attribute__((visibility("default")))
#else
#define SIPMSG_API
#endif

#define SIPMSG_VERSION_MAJOR  0
#define SIPMSG_VERSION_MINOR  2
#define SIPMSG_VERSION_PATCH  0
#define SIPMSG_VERSION_STRING "0.2.0"

/*
 * A slice: `len` bytes starting at `ptr`, pointing into a buffer the caller
 * owns (the message being parsed, or an edit arena). It is never
 * NUL-terminated and sipmsg never writes through it.
 *   ptr == NULL          absent
 *   ptr != NULL, len 0   present but empty
 *
 * The rules every header follows:
 * - Iterators: sipmsg_X_iter_init(&it, ...), then sipmsg_X_next(&it, &out,
 *   err) returns 1 with an item, 0 at the end, -1 on an error (in err),
 *   which ends the iteration.
 * - Output into a caller buffer has the snprintf contract (the length of
 *   the whole result is returned; at most `cap` bytes are written). Wire
 *   text (sipmsg_write, body writers) gets no NUL; text meant as a C string
 *   (digest results, sipmsg_auth_unquote) is NUL-terminated within `cap`.
 * - Inputs: sipmsg_parse and sipmsg_linecol read a raw buffer as
 *   `const char *buf, size_t len`; every other function takes text as a
 *   sipmsg_slice (a header value h->value, a URI, a body, a name, ...),
 *   with error offsets relative to its ptr. To point a parser at other
 *   bytes, pass (sipmsg_slice){p, len}, or sipmsg_slice_of() for a C string.
 */
typedef struct sipmsg_slice {
    const char *ptr;
    size_t len;
} sipmsg_slice;

/*
 * Every error sipmsg reports, from every module. The values are stable; new
 * codes are only ever appended before SIPMSG_E_COUNT_.
 */
typedef enum sipmsg_code {
    SIPMSG_OK = 0,

    /* framing and start line (parse.h) */
    SIPMSG_E_EMPTY,          /* no message: empty buffer or only CRLFs */
    SIPMSG_E_START_LINE,     /* start line is neither a Request-Line nor a Status-Line */
    SIPMSG_E_METHOD,         /* method is not an RFC 3261 token */
    SIPMSG_E_REQUEST_URI,    /* Request-URI empty or holding a control byte */
    SIPMSG_E_VERSION,        /* SIP-Version malformed (not "SIP/" 1*DIGIT "." 1*DIGIT) */
    SIPMSG_E_STATUS_CODE,    /* Status-Code not three digits in 100-699 */
    SIPMSG_E_REASON,         /* Reason-Phrase holds a control byte */
    SIPMSG_E_HEADER_NAME,    /* header name empty or holding a non-token byte */
    SIPMSG_E_NO_COLON,       /* header line without ':' after the name */
    SIPMSG_E_BARE_CR,        /* CR not followed by LF */
    SIPMSG_E_BARE_LF,        /* LF not preceded by CR */
    SIPMSG_E_FOLD,           /* continuation line with no header to continue */
    SIPMSG_E_CONTENT_LENGTH, /* Content-Length not 1*DIGIT, or too large */
    SIPMSG_E_CL_CONFLICT,    /* two Content-Length values that disagree */
    SIPMSG_E_NO_CONTENT_LENGTH, /* stream mode needs Content-Length */
    SIPMSG_E_BODY_TRUNCATED,    /* datagram shorter than its Content-Length */
    SIPMSG_E_TRUNCATED,         /* datagram ends inside the header block */
    SIPMSG_E_TOO_MANY_HEADERS, /* more headers than the table holds or the limit allows */
    SIPMSG_E_LINE_TOO_LONG,    /* a line longer than the max_line limit */
    SIPMSG_E_TOO_LARGE,        /* message larger than the max_size limit */

    /* typed headers (uri.h, header.h); parse fails with these when a header
     * it decodes at parse time is malformed */
    SIPMSG_E_URI,          /* malformed URI */
    SIPMSG_E_PORT,         /* port not in 1-65535 */
    SIPMSG_E_HOST,         /* malformed host (hostname, IPv4, IPv6 reference) */
    SIPMSG_E_NAME_ADDR,    /* malformed name-addr / addr-spec */
    SIPMSG_E_PARAM,        /* malformed parameter */
    SIPMSG_E_QUOTE,        /* unterminated quoted string or bad quoted-pair */
    SIPMSG_E_VIA,          /* malformed Via */
    SIPMSG_E_CSEQ,         /* malformed CSeq */
    SIPMSG_E_CSEQ_NUMBER,  /* CSeq sequence number exceeds 2^32-1 */
    SIPMSG_E_MAX_FORWARDS, /* Max-Forwards not in 0-255 */
    SIPMSG_E_CALL_ID,      /* malformed Call-ID */
    SIPMSG_E_CONTENT_TYPE, /* malformed Content-Type */
    SIPMSG_E_EXPIRES,      /* malformed Expires or too large */
    SIPMSG_E_CONTACT,      /* malformed Contact */
    SIPMSG_E_HEADER_VALUE, /* malformed value of another typed header */
    SIPMSG_E_LIST,         /* malformed comma-separated list */

    /* validation (sipmsg_validate, header.h) */
    SIPMSG_E_MISSING_HEADER,      /* a mandatory header is absent */
    SIPMSG_E_DUPLICATE_HEADER,    /* a single-instance header is repeated */
    SIPMSG_E_CSEQ_METHOD,         /* CSeq method differs from the request method */
    SIPMSG_E_VERSION_UNSUPPORTED, /* well-formed version other than SIP/2.0 (answer 505) */
    SIPMSG_E_EMPTY_ELEMENT,       /* empty parameter (";;") or list element (",,") */
    SIPMSG_E_TOO_MANY_HOPS,       /* Max-Forwards is 0 where a forward was asked (483) */

    /* edits, writer and builders (write.h) */
    SIPMSG_E_RANGE,     /* index out of range */
    SIPMSG_E_NOT_FOUND, /* no such header, value or parameter */
    SIPMSG_E_BAD_TEXT,  /* new text holds CR, LF or is otherwise unusable */
    SIPMSG_E_NO_SPACE,  /* arena, header table or output buffer too small */
    SIPMSG_E_STATE,     /* operation not valid for this message (e.g. on a response) */

    /* digest (digest.h) */
    SIPMSG_E_AUTH,           /* malformed challenge or credentials */
    SIPMSG_E_AUTH_ALGORITHM, /* unknown or unsupported algorithm */
    SIPMSG_E_AUTH_QOP,       /* no usable qop */
    SIPMSG_E_AUTH_STALE,     /* nonce is stale */
    SIPMSG_E_AUTH_MISMATCH,  /* response does not match */

    /* validation (sipmsg_validate_each, validate.h), added in 0.2 */
    SIPMSG_E_BAD_EXTENSION, /* option tag in Require not supported (answer 420) */
    SIPMSG_E_URI_SCHEME,    /* Request-URI scheme not supported (answer 416) */

    /* edits and builders (write.h), added in 0.2 */
    SIPMSG_E_NO_ARENA,  /* new text needs an arena: none attached (sipmsg_edit_init) */
    SIPMSG_E_NO_BRANCH, /* a retry needs a new branch: give one or a random source */

    /* parse, added in 0.2 */
    SIPMSG_E_CONTROL_BYTE, /* a raw control byte (not HTAB) in the start line or a header */

    SIPMSG_E_COUNT_
} sipmsg_code;

/*
 * Error details. `msg` is a constant string, never NULL after an error, never
 * to be freed. `offset` is the byte offset into the buffer that was being
 * read (for typed parsers: into the slice they were given). `header` is the
 * index in the header table of the header being read, or -1 for the start
 * line, the body or framing.
 */
typedef struct sipmsg_error {
    sipmsg_code code;
    int header;
    size_t offset;
    const char *msg;
} sipmsg_error;

/* A constant, human-readable description of `code` (never NULL). */
SIPMSG_API const char *sipmsg_strerror(sipmsg_code code);

/*
 * Turns a byte offset into 1-based line and column numbers, counting lines
 * by LF. Columns count bytes. `offset` past `len` is clamped to `len`.
 */
SIPMSG_API void sipmsg_linecol(const char *buf, size_t len, size_t offset,
                               unsigned long *line, unsigned long *col);

/* Case-insensitive (ASCII) comparison of a slice with a C string. Returns 1
 * when equal. */
SIPMSG_API int sipmsg_slice_eq(sipmsg_slice s, const char *cstr);

/* The slice of a C string (NULL gives an absent slice). */
SIPMSG_API sipmsg_slice sipmsg_slice_of(const char *cstr);

/*
 * A random source, the one callback type for every place that needs
 * unpredictable bytes (builders' tags, branches and Call-IDs; digest
 * cnonces). It fills out[0..n) and returns 0, or returns non-zero on
 * failure. sipmsg has no generator of its own and no global state.
 */
typedef int (*sipmsg_random_fn)(void *ctx, unsigned char *out, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_COMMON_H */
