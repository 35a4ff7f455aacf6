/*
 * error.c - error messages and small slice helpers.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "error.h"

#include "chars.h"

static const char *const messages[SIPMSG_E_COUNT_] = {
    [SIPMSG_OK] = "no error",
    [SIPMSG_E_EMPTY] = "empty message",
    [SIPMSG_E_START_LINE] = "malformed start line",
    [SIPMSG_E_METHOD] = "malformed method",
    [SIPMSG_E_REQUEST_URI] = "malformed Request-URI",
    [SIPMSG_E_VERSION] = "malformed SIP version",
    [SIPMSG_E_STATUS_CODE] = "bad status code (must be 100-699)",
    [SIPMSG_E_REASON] = "control character in reason phrase",
    [SIPMSG_E_HEADER_NAME] = "bad header name",
    [SIPMSG_E_NO_COLON] = "header line without colon",
    [SIPMSG_E_BARE_CR] = "CR not followed by LF",
    [SIPMSG_E_BARE_LF] = "LF without CR",
    [SIPMSG_E_FOLD] = "continuation line before any header",
    [SIPMSG_E_CONTENT_LENGTH] = "bad Content-Length",
    [SIPMSG_E_CL_CONFLICT] = "conflicting Content-Length values",
    [SIPMSG_E_NO_CONTENT_LENGTH] = "Content-Length required on a stream",
    [SIPMSG_E_BODY_TRUNCATED] = "body shorter than Content-Length",
    [SIPMSG_E_TRUNCATED] = "message ends inside the header block",
    [SIPMSG_E_TOO_MANY_HEADERS] = "too many headers",
    [SIPMSG_E_LINE_TOO_LONG] = "line too long",
    [SIPMSG_E_TOO_LARGE] = "message too large",
    [SIPMSG_E_URI] = "malformed URI",
    [SIPMSG_E_PORT] = "bad port (must be 1-65535)",
    [SIPMSG_E_HOST] = "malformed host",
    [SIPMSG_E_NAME_ADDR] = "malformed name-addr",
    [SIPMSG_E_PARAM] = "malformed parameter",
    [SIPMSG_E_QUOTE] = "unterminated quoted string",
    [SIPMSG_E_VIA] = "bad Via",
    [SIPMSG_E_CSEQ] = "bad CSeq",
    [SIPMSG_E_CSEQ_NUMBER] = "bad CSeq: sequence number exceeds 2^32-1",
    [SIPMSG_E_MAX_FORWARDS] = "bad Max-Forwards (must be 0-255)",
    [SIPMSG_E_CALL_ID] = "bad Call-ID",
    [SIPMSG_E_CONTENT_TYPE] = "bad Content-Type",
    [SIPMSG_E_EXPIRES] = "bad Expires",
    [SIPMSG_E_CONTACT] = "bad Contact",
    [SIPMSG_E_HEADER_VALUE] = "malformed header value",
    [SIPMSG_E_LIST] = "malformed list",
    [SIPMSG_E_MISSING_HEADER] = "mandatory header missing",
    [SIPMSG_E_DUPLICATE_HEADER] = "single-instance header repeated",
    [SIPMSG_E_CSEQ_METHOD] = "CSeq method does not match the request method",
    [SIPMSG_E_VERSION_UNSUPPORTED] = "SIP version not supported",
    [SIPMSG_E_EMPTY_ELEMENT] = "empty parameter or list element",
    [SIPMSG_E_TOO_MANY_HOPS] = "Max-Forwards is 0: too many hops",
    [SIPMSG_E_RANGE] = "index out of range",
    [SIPMSG_E_NOT_FOUND] = "not found",
    [SIPMSG_E_BAD_TEXT] = "text holds CR or LF or is malformed",
    [SIPMSG_E_NO_SPACE] = "not enough space",
    [SIPMSG_E_STATE] = "operation not valid for this message",
    [SIPMSG_E_AUTH] = "malformed authentication header",
    [SIPMSG_E_AUTH_ALGORITHM] = "unsupported digest algorithm",
    [SIPMSG_E_AUTH_QOP] = "no usable qop",
    [SIPMSG_E_AUTH_STALE] = "stale nonce",
    [SIPMSG_E_AUTH_MISMATCH] = "digest response mismatch",
    [SIPMSG_E_BAD_EXTENSION] = "unsupported option tag in Require",
    [SIPMSG_E_URI_SCHEME] = "unsupported URI scheme",
    [SIPMSG_E_NO_ARENA] = "no arena attached for new text (sipmsg_edit_init)",
    [SIPMSG_E_NO_BRANCH] = "a retried request needs a new branch or a random source",
    [SIPMSG_E_CONTROL_BYTE] = "control byte in the start line or a header",
};

const char *sipmsg_strerror(sipmsg_code code)
{
    if ((unsigned)code < SIPMSG_E_COUNT_ && messages[code])
        return messages[code];
    return "unknown error";
}

void sipmsg_linecol(const char *buf, size_t len, size_t offset, unsigned long *line,
                    unsigned long *col)
{
    unsigned long l = 1;
    size_t bol = 0;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        if (buf[i] == '\n') {
            l++;
            bol = i + 1;
        }
    }
    if (line)
        *line = l;
    if (col)
        *col = (unsigned long)(offset - bol) + 1;
}

int sipmsg_slice_eq(sipmsg_slice s, const char *cstr)
{
    if (!s.ptr || !cstr)
        return 0;
    size_t n = strlen(cstr);
    return n == s.len && sipmsg_memcaseeq_(s.ptr, cstr, n);
}

sipmsg_slice sipmsg_slice_of(const char *cstr)
{
    sipmsg_slice s = {cstr, cstr ? strlen(cstr) : 0};
    return s;
}

/* Turns an error inside header h into a message-relative one. */
void sipmsg_err_in_header_(const sipmsg_msg *m, const sipmsg_header *h, const char *base,
                           sipmsg_error *err)
{
    if (!err)
        return;
    err->header = (int)(h - m->headers);
    err->offset += (size_t)(base - m->buf);
}
