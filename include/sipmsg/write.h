/*
 * sipmsg/write.h - the writer, edits, builders and proxy steps (RFC 3261
 * sections 8.1.1, 8.2.6, 16.6, 16.7 and 18.2.1; RFC 3428 section 8;
 * RFC 3581).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * The model
 * ---------
 * A sipmsg_msg is edited in place, as an overlay: the parsed buffer is never
 * written. The header table itself is the overlay. Replacing a value points
 * the header's `value` at new text, clears `raw.ptr` and sets
 * SIPMSG_HF_EDITED; inserting a header shifts the entries after it (the
 * table needs a free entry, else SIPMSG_E_NO_SPACE); removing one shifts them
 * down. After every edit the id index (sipmsg_find) and the decoded fields
 * (m->via, m->from_tag, m->cseq, m->max_forwards ...) are brought up to
 * date, so accessors and the writer see the edit at once: there is no
 * "apply" step. m->buf, m->len and m->header_len keep describing the parsed
 * input; sipmsg_write() gives the size of the edited message.
 *
 * New text is copied into a caller-provided arena attached with
 * sipmsg_edit_init(), or, with SIPMSG_EDIT_REF, referenced in place (the
 * caller then keeps it alive and unchanged as long as the message is used).
 * Nothing is allocated, except by sipmsg_write_dup().
 *
 * Every edit is all-or-nothing: on any error the message (table, index,
 * decoded fields, start line, body) is exactly as before, and arena bytes
 * taken by the failed edit are given back. An edit whose result would not
 * parse back (for example a Via value that is not a via-parm, or a CSeq
 * that is not a number and a method) is refused with the decoder's code
 * (SIPMSG_E_VIA, SIPMSG_E_CSEQ ...). So for every successful edit sequence,
 * sipmsg_parse(sipmsg_write(m)) gives the edited message.
 *
 * Common error codes of the edits:
 *   SIPMSG_E_RANGE      a header index >= m->count, or a list element past
 *                       the last one
 *   SIPMSG_E_NOT_FOUND  no such header, parameter or Via
 *   SIPMSG_E_BAD_TEXT   new text holding CR, LF or another control byte
 *                       (HTAB is allowed in values), an empty or non-token
 *                       header or parameter name
 *   SIPMSG_E_NO_SPACE   the arena or the header table is full
 *   SIPMSG_E_NO_ARENA   the edit needs new text and no arena is attached
 *                       (sipmsg_edit_init)
 *   SIPMSG_E_STATE      the operation does not apply to this message (a
 *                       Request-URI on a response, a forward of a response)
 *   SIPMSG_E_CONTENT_LENGTH  a Content-Length set by hand that differs from
 *                       the body length (use sipmsg_set_body)
 *
 * Lifetime: after edits, slices of the message point into the parsed buffer,
 * the arena and any text referenced with SIPMSG_EDIT_REF; all three must
 * outlive the message. sipmsg_parse() and the builders reset the message;
 * sipmsg_parse() also detaches the arena (call sipmsg_edit_init again).
 *
 * Thread safety: functions modify only the message and the arena given.
 */
#ifndef SIPMSG_WRITE_H
#define SIPMSG_WRITE_H

#include "common.h"
#include "parse.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- writer ----------------------------------------------------------- */

/* sipmsg_write flags */
#define SIPMSG_WRITE_CANONICAL 0x1u /* full header names, ": ", no folding */

/*
 * Writes the message to `out` (capacity `cap`), snprintf style: returns the
 * size of the whole message, and writes min(size, cap) bytes of it; never a
 * byte past `cap`; no NUL terminator is added. So a return value > cap
 * means the output was cut: call again with a buffer of the returned size.
 * `out` may be NULL when `cap` is 0 (a sizing pass).
 *
 * Output: the start line and CRLF, every header, CRLF, the body. A header
 * not touched by an edit is copied byte for byte (its name, spacing and
 * folding as received), so writing an unedited parsed message reproduces
 * m->buf[0, m->len) exactly. An edited or added header is rendered as
 * `name: value CRLF`, with its name as written.
 *
 * SIPMSG_WRITE_CANONICAL renders every header as `Full-Name: value CRLF`:
 * the full name for a known header (sipmsg_hdr_name), the name as written
 * for an unknown one; each fold (whitespace holding a line break) inside a
 * value becomes one SP; the rest of the value is kept. Headers already in
 * that form are copied as they are.
 */
SIPMSG_API size_t sipmsg_write(const sipmsg_msg *m, char *out, size_t cap,
                               unsigned flags);

/*
 * One piece of output for scatter-gather sending. Same layout as POSIX
 * struct iovec (base, length); cast `base` when filling one.
 */
typedef struct sipmsg_iov {
    const void *base;
    size_t len;
} sipmsg_iov;

/*
 * The message as a list of pieces, for writev()/sendmsg() without copying:
 * untouched stretches of the parsed buffer (consecutive unedited headers
 * make one piece), edited values in the arena, and constant separators
 * (": ", CRLF) that live in the library. Fills at most `max` entries of
 * `iov` and returns the number of entries needed (snprintf style: a return
 * value > max means the list was cut). `total` (may be NULL) receives the
 * byte size of the message, the same as sipmsg_write() returns. The pieces
 * stay valid as long as the message's buffers and the message are not
 * changed. `flags` as for sipmsg_write.
 */
SIPMSG_API size_t sipmsg_write_iov(const sipmsg_msg *m, sipmsg_iov *iov, size_t max,
                                   unsigned flags, size_t *total);

/*
 * Convenience: writes the message into a new malloc'd buffer (the only
 * sipmsg function that allocates). Returns it, and its size in *len (not
 * counting the NUL added after the message), or NULL when out of memory.
 * The caller frees it with free().
 */
SIPMSG_API char *sipmsg_write_dup(const sipmsg_msg *m, unsigned flags, size_t *len);

/* ---- arena ------------------------------------------------------------ */

/*
 * Caller-owned storage for new text: `used` of `cap` bytes of `buf` are
 * taken. sipmsg only appends to it; the caller may reset `used` to 0 once no
 * message refers to it any more. One arena may serve several messages.
 */
typedef struct sipmsg_arena {
    char *buf;
    size_t cap;
    size_t used;
} sipmsg_arena;

/* Sets up an arena over `buf` (`cap` bytes). */
SIPMSG_API void sipmsg_arena_init(sipmsg_arena *a, char *buf, size_t cap);

/*
 * Attaches an arena to a message for the edits that follow (NULL detaches).
 * Without an arena, only edits with SIPMSG_EDIT_REF and edits that need no
 * new text (removals, popping a Via) succeed; the others return
 * SIPMSG_E_NO_SPACE. sipmsg_parse() detaches the arena; the builders keep
 * it.
 */
SIPMSG_API void sipmsg_edit_init(sipmsg_msg *m, sipmsg_arena *a);

/* ---- edits -------------------------------------------------------------- */

/* Edit flags */
#define SIPMSG_EDIT_REF 0x1u /* reference the caller's text, do not copy it */

/* Insert position meaning "after the last header". */
#define SIPMSG_AT_END ((size_t)-1)

/* The index of header `h` in m->headers (as found by sipmsg_find). */
SIPMSG_API size_t sipmsg_hdr_index(const sipmsg_msg *m, const sipmsg_header *h);

/*
 * Inserts the header `name: value` so that it becomes header number `at`:
 * 0 for the top, m->count or SIPMSG_AT_END for the bottom, i to go before
 * header i, i + 1 to go after it. `name` must be a token (full or compact
 * form); `value` is trimmed of leading and trailing SP/HTAB.
 * Errors: SIPMSG_E_RANGE (at > count), SIPMSG_E_BAD_TEXT, SIPMSG_E_NO_SPACE
 * (the table has no free entry, or the arena is full), a decoder code.
 */
SIPMSG_API sipmsg_code sipmsg_hdr_insert(sipmsg_msg *m, size_t at, sipmsg_slice name,
                                         sipmsg_slice value, unsigned flags);

/* Removes header `index`. Errors: SIPMSG_E_RANGE, a decoder code (removing
 * the top Via exposes a malformed second one). */
SIPMSG_API sipmsg_code sipmsg_hdr_remove(sipmsg_msg *m, size_t index);

/* Replaces the value of header `index` (its name is kept). Errors:
 * SIPMSG_E_RANGE, SIPMSG_E_BAD_TEXT, SIPMSG_E_NO_SPACE, a decoder code. */
SIPMSG_API sipmsg_code sipmsg_hdr_set(sipmsg_msg *m, size_t index, sipmsg_slice value,
                                      unsigned flags);

/*
 * Removes element `elem` (0 = first) of the comma-separated value of header
 * `index` (a Via, Contact, Route ... list), with its comma; when it is the
 * only element, removes the header. A header that is not a list
 * (sipmsg_hdr_props) has one element. Needs no arena when the element is
 * the first or the last one. Errors: SIPMSG_E_RANGE (index or elem),
 * SIPMSG_E_LIST (an unterminated quote or '<'), SIPMSG_E_NO_SPACE, a
 * decoder code.
 */
SIPMSG_API sipmsg_code sipmsg_hdr_remove_value(sipmsg_msg *m, size_t index, size_t elem);

/*
 * Adds or replaces the parameter `name` of element `elem` of header `index`
 * (for example received= on a Via value, tag= on To, expires= on a Contact).
 * The parameters of an element start at its first ';' outside quotes and
 * <...>. `value` absent (ptr NULL) writes `;name` alone; a present value must
 * be a token, a host (IPv6 included) or a quoted-string. A replaced
 * parameter keeps its place; a new one goes at the end of the element.
 * Errors: SIPMSG_E_RANGE, SIPMSG_E_BAD_TEXT, SIPMSG_E_LIST, SIPMSG_E_PARAM,
 * SIPMSG_E_NO_SPACE, a decoder code.
 */
SIPMSG_API sipmsg_code sipmsg_param_set(sipmsg_msg *m, size_t index, size_t elem,
                                        sipmsg_slice name, sipmsg_slice value);

/* Removes the parameter `name` (case-insensitive) of element `elem` of
 * header `index`, with its ';'. Errors: SIPMSG_E_NOT_FOUND when absent, and
 * those of sipmsg_param_set. */
SIPMSG_API sipmsg_code sipmsg_param_remove(sipmsg_msg *m, size_t index, size_t elem,
                                           sipmsg_slice name);

/*
 * Replaces the Request-URI of a request (method and version are kept; the
 * start line is rebuilt in the arena). The URI must start with scheme ":"
 * (as the parser wants a Request-URI), without whitespace or control
 * bytes. Errors: SIPMSG_E_STATE (a response),
 * SIPMSG_E_BAD_TEXT, SIPMSG_E_NO_SPACE.
 */
SIPMSG_API sipmsg_code sipmsg_set_request_uri(sipmsg_msg *m, sipmsg_slice uri,
                                              unsigned flags);

/*
 * Replaces the whole start line (without CRLF): a Request-Line or a
 * Status-Line, checked as sipmsg_parse does; a request may become a
 * response and back. The text is always copied (the flag is accepted for
 * symmetry). Errors: SIPMSG_E_BAD_TEXT, SIPMSG_E_NO_SPACE, or the parser's
 * start-line code (SIPMSG_E_START_LINE, SIPMSG_E_METHOD, SIPMSG_E_VERSION,
 * SIPMSG_E_STATUS_CODE ...).
 */
SIPMSG_API sipmsg_code sipmsg_set_start_line(sipmsg_msg *m, sipmsg_slice line,
                                             unsigned flags);

/*
 * Replaces the body (any bytes; an absent or empty slice gives an empty
 * body) and sets every Content-Length header to its length, adding one at
 * the bottom when there is none. Content-Type is left to the caller.
 * Errors: SIPMSG_E_NO_SPACE.
 */
SIPMSG_API sipmsg_code sipmsg_set_body(sipmsg_msg *m, sipmsg_slice body, unsigned flags);

/*
 * Makes `dst` a copy of `src` without copying text (RFC 3261 16.6 step 1:
 * "make a copy of the received request"): the header table, start line,
 * body and decoded fields; slices keep pointing into src's buffers, which
 * must outlive dst. dst keeps its own table storage and arena. Edits of one
 * do not affect the other. Errors: SIPMSG_E_NO_SPACE (dst's table is
 * smaller than src->count).
 */
SIPMSG_API sipmsg_code sipmsg_msg_copy(sipmsg_msg *dst, const sipmsg_msg *src);

/* ---- proxy steps ---------------------------------------------------------- */

/*
 * A proxy's own Via value without its branch, checked and decoded once by
 * sipmsg_proxy_via_init, so that sipmsg_proxy_forward puts it on each
 * request with that request's branch without formatting or checking it
 * again. It points into the caller's text, which must outlive it and
 * stay unchanged. Read only: set it with sipmsg_proxy_via_init; it may be
 * shared by threads that only read it, and copied.
 */
#define SIPMSG_PROXY_VIA_LINE 192 /* room for "Via: " text ";branch=" */
typedef struct sipmsg_proxy_via {
    sipmsg_slice text;      /* the value, trimmed: "SIP/2.0/UDP proxy.example.com:5060" */
    sipmsg_top_via decoded; /* its fields (branch absent), slices into text */
    size_t line_len;        /* "Via: " text ";branch=" in line (0: text too long
                               for it, the writer then puts the three parts) */
    char line[SIPMSG_PROXY_VIA_LINE];
} sipmsg_proxy_via;

/*
 * Checks and decodes `text` for sipmsg_forward.self: one via-parm
 * (sent-protocol, sent-by, parameters) without a branch parameter, such as
 * "SIP/2.0/UDP proxy.example.com:5060" or "SIP/2.0/TCP 192.0.2.1;rport".
 * Errors: SIPMSG_E_BAD_TEXT (a control byte, a comma, a branch parameter,
 * or nothing but whitespace); the Via parser's codes (SIPMSG_E_VIA, SIPMSG_E_HOST,
 * SIPMSG_E_PORT, SIPMSG_E_PARAM) with err (may be NULL) filled, its offset
 * relative to text.ptr, when it is not a via-parm.
 */
SIPMSG_API sipmsg_code sipmsg_proxy_via_init(sipmsg_proxy_via *pv, sipmsg_slice text,
                                             sipmsg_error *err);

/* How a request is forwarded. The proxy's Via is either `via` (the whole
 * value, checked on every call) or `self` and `branch` (checked once). */
typedef struct sipmsg_forward {
    sipmsg_slice via;             /* the proxy's Via value, with its new branch:
                              "SIP/2.0/TCP proxy.domain.com;branch=z9hG4bK...";
                              ignored when `self` is set */
    sipmsg_slice received;        /* the packet's source address (no brackets for
                              IPv6); absent: the top Via is left alone */
    uint32_t rport;               /* the packet's source port, for a top Via with a
                              bare ;rport (RFC 3581); 0: unknown */
    const sipmsg_proxy_via *self; /* NULL, or the proxy's Via without its
                                     branch (sipmsg_proxy_via_init) */
    sipmsg_slice branch;          /* with `self`: this request's branch, a token such
                            as "z9hG4bK" + sipmsg_stateless_branch's output;
                            the Via is self->text ";branch=" branch */
} sipmsg_forward;

/*
 * The server side of RFC 3261 18.2.1 and RFC 3581 section 4: adds
 * `received=addr` to the top Via value when `addr` differs from its sent-by
 * host (brackets and case ignored), or always when the Via has a bare
 * ;rport; fills that ;rport with `port` when `port` is not 0. An existing
 * received= is replaced. Errors: SIPMSG_E_NOT_FOUND (no Via),
 * SIPMSG_E_BAD_TEXT (`addr` is not an IPv4 or IPv6 address: RFC 3261's
 * received= is an address, so a hostname is refused), those of
 * sipmsg_param_set.
 */
SIPMSG_API sipmsg_code sipmsg_via_received(sipmsg_msg *m, sipmsg_slice addr,
                                           uint32_t port);

/*
 * Forwards a request (RFC 3261 16.6 steps 3 and 8, with 18.2.1):
 *   - Max-Forwards 0: nothing is changed and SIPMSG_E_TOO_MANY_HOPS is
 *     returned; answer with sipmsg_build_response(..., 483) instead;
 *   - received= (and rport=) on the top Via, as sipmsg_via_received does,
 *     when f->received is present;
 *   - Max-Forwards decremented, or "Max-Forwards: 70" added after the last
 *     Via when absent;
 *   - "Via: f->via" (or "Via: f->self->text;branch=f->branch") inserted
 *     as a header above the first Via; m->via then describes it.
 * All or nothing. Errors: SIPMSG_E_STATE (a response), SIPMSG_E_TOO_MANY_HOPS,
 * SIPMSG_E_BAD_TEXT (f->via holds a control byte, f->received is not an
 * address, f->branch is not a token), SIPMSG_E_NO_ARENA, SIPMSG_E_NO_SPACE,
 * SIPMSG_E_VIA (f->via is not a via-parm), SIPMSG_E_MAX_FORWARDS (the
 * message was parsed with SIPMSG_PARSE_FRAME_ONLY: Max-Forwards unread).
 */
SIPMSG_API sipmsg_code sipmsg_proxy_forward(sipmsg_msg *m, const sipmsg_forward *f);

/*
 * The stateless proxy's step in one call: writes to `out` the request that
 * sipmsg_proxy_forward(m, f) followed by sipmsg_write(m, out, cap, 0) would
 * give, byte for byte, without changing m (its table, arena and decoded
 * fields stay as parsed). The new lines are written from the message's
 * text and f, so neither an arena nor table room is needed; m may be
 * shared by threads that only read it. `len` (may be NULL) gets the
 * message's length on SIPMSG_OK, the length it needs on SIPMSG_E_NO_SPACE,
 * 0 otherwise. On SIPMSG_E_NO_SPACE the first `cap` bytes are written;
 * out may be NULL with cap 0 to size. Errors: those of sipmsg_proxy_forward
 * (not SIPMSG_E_NO_ARENA), and SIPMSG_E_NO_SPACE when the message is longer
 * than cap.
 */
SIPMSG_API sipmsg_code sipmsg_proxy_forward_write(const sipmsg_msg *m,
                                                  const sipmsg_forward *f, char *out,
                                                  size_t cap, size_t *len);

/*
 * Forwards a response (RFC 3261 16.7 step 3): removes the top Via value;
 * the first element of a `Via: a, b` list, or the whole first Via header.
 * Errors: SIPMSG_E_STATE (a request), SIPMSG_E_NOT_FOUND (no Via), a
 * decoder code when the next Via is malformed.
 */
SIPMSG_API sipmsg_code sipmsg_proxy_unvia(sipmsg_msg *m);

/*
 * Writes to `out` the response that sipmsg_proxy_unvia(m) followed by
 * sipmsg_write(m, out, cap, 0) would give, byte for byte, without changing
 * m; the buffer contract and `len` are those of sipmsg_proxy_forward_write.
 * `next` (may be NULL) gets the Via then on top, decoded as m->via would
 * be after sipmsg_proxy_unvia (slices into m's text): give it to
 * sipmsg_response_target_top (route.h) for where the response goes. Its
 * transport is absent when no Via is left: the response was for this proxy
 * and is not forwarded (RFC 3261 16.7 step 3). On an error it is cleared.
 * Errors: those of sipmsg_proxy_unvia, and SIPMSG_E_NO_SPACE.
 */
SIPMSG_API sipmsg_code sipmsg_proxy_unvia_write(const sipmsg_msg *m, char *out,
                                                size_t cap, size_t *len,
                                                sipmsg_top_via *next);

/* ---- builders --------------------------------------------------------------- */

/*
 * The builders make a sipmsg_msg, not text: its header table lives in the
 * caller's storage (sipmsg_msg_init), its new text in the arena attached
 * with sipmsg_edit_init (required). The result can then be edited like a
 * parsed message and written with sipmsg_write. They reset the message
 * first (keeping the table storage and the arena). On error the message is
 * left empty (count 0) and the arena's `used` as it was before the call.
 * Caller text (values, body) is copied into the arena. Text copied from a request (response builder) is referenced, not copied:
 * the request's buffer must outlive the result.
 *
 * sipmsg has no random number generator. Tags, branches and Call-IDs come
 * from the caller, or from a sipmsg_random_fn (common.h); when it fails
 * the builder returns SIPMSG_E_STATE. Generated values are lowercase hex:
 * branch "z9hG4bK" + 16 digits, tag 16 digits, Call-ID 32 digits.
 */

/* One extra header for a builder. */
typedef struct sipmsg_field {
    sipmsg_slice name;
    sipmsg_slice value;
} sipmsg_field;

/* A request from scratch. Absent slices are left out unless said. */
typedef struct sipmsg_request {
    sipmsg_slice method; /* "INVITE", "MESSAGE" ... (a token) */
    sipmsg_slice request_uri;
    sipmsg_slice via;      /* "SIP/2.0/UDP host:port" (may carry params) */
    sipmsg_slice branch;   /* appended as ;branch=; absent: generated
                                 with `rand`, or none without `rand` */
    sipmsg_slice from;     /* the From value: "Alice <sip:a@b>" */
    sipmsg_slice from_tag; /* appended as ;tag=; absent: generated with
                                 `rand`; without `rand`, `from` must carry a
                                 tag parameter already (else NOT_FOUND) */
    sipmsg_slice to;
    sipmsg_slice call_id;      /* absent: generated (else NOT_FOUND) */
    uint32_t cseq;             /* 0 gives 1 */
    int max_forwards;          /* 0 gives 70; negative gives 0 */
    sipmsg_slice contact;      /* optional */
    const sipmsg_field *extra; /* after Contact, in order */
    size_t extra_count;
    sipmsg_slice content_type; /* with a non-empty body */
    sipmsg_slice body;
    sipmsg_random_fn rand; /* optional */
    void *rand_ctx;
} sipmsg_request;

/*
 * Builds a request (RFC 3261 8.1.1), headers in this order: Via,
 * Max-Forwards, From, To, Call-ID, CSeq, Contact, the extra headers,
 * Content-Type (only with a body), Content-Length (always).
 * Errors: SIPMSG_E_NO_ARENA, SIPMSG_E_STATE (`rand` failed), SIPMSG_E_NOT_FOUND
 * (method, Request-URI, via, from, to or Call-ID missing), SIPMSG_E_BAD_TEXT,
 * SIPMSG_E_NO_SPACE, a start-line or decoder code.
 */
SIPMSG_API sipmsg_code sipmsg_build_request(sipmsg_msg *m, const sipmsg_request *r);

/* sipmsg_build_message() report bits */
#define SIPMSG_PAGER_BODY_LARGE 0x1u /* body above 1300 bytes: use a session */
#define SIPMSG_PAGER_SIZE_LARGE                                                          \
    0x2u /* request above 1300 bytes: not over a
                                        congestion-unsafe transport (UDP) */
#define SIPMSG_PAGER_LIMIT 1300u

/*
 * Builds a MESSAGE request (RFC 3428) like sipmsg_build_request (the method
 * is MESSAGE whatever r->method says; Content-Type defaults to text/plain).
 * `report` (may be NULL) receives the SIPMSG_PAGER_* bits: RFC 3428
 * section 8 forbids pager-mode MESSAGE requests above 1300 bytes unless
 * every hop is congestion-controlled. The message is built either way.
 */
SIPMSG_API sipmsg_code sipmsg_build_message(sipmsg_msg *m, const sipmsg_request *r,
                                            unsigned *report);

/* A REGISTER (RFC 3261 section 10.2). */
typedef struct sipmsg_register {
    sipmsg_request req;          /* method: REGISTER whatever it says;
                                    req.contact: the binding */
    sipmsg_slice contact_params; /* appended to the Contact after ';':
                                    methods="INVITE, MESSAGE" ... */
    int64_t contact_expires;     /* >= 0: ;expires=N on the Contact */
    int64_t expires;             /* >= 0: an Expires header */
    sipmsg_slice authorization;  /* optional Authorization value */
} sipmsg_register;

/* Builds a REGISTER: as sipmsg_build_request, with the Contact params, the
 * Authorization after the Contact and Expires after the extra headers. */
SIPMSG_API sipmsg_code sipmsg_build_register(sipmsg_msg *m, const sipmsg_register *r);

struct sipmsg_digest_choice; /* digest.h */

/* A retry of a request after a 401/407 (RFC 3261 8.1.3.5 and 22.2). */
typedef struct sipmsg_retry {
    const struct sipmsg_digest_choice *choice; /* the challenge answered
                                 (sipmsg_digest_choose): its
                                 credentials_header names the header, so a
                                 407 gets Proxy-Authorization. Optional. */
    sipmsg_slice auth_name;   /* without `choice`: "Authorization" (absent)
                                 or "Proxy-Authorization" */
    sipmsg_slice auth_value;  /* credentials, e.g. from sipmsg_digest_* */
    sipmsg_hdr_id auth_after; /* where new credentials go: after the last
                                 header with this id (the seed REGISTER has
                                 them after User-Agent); SIPMSG_HDR_OTHER
                                 (0): after every header the request
                                 carries, above Content-Length */
    sipmsg_slice branch;      /* the new branch for the top Via; absent:
                                 generated with `rand` */
    sipmsg_random_fn rand;
    void *rand_ctx;
} sipmsg_retry;

/*
 * Makes `m` the retry of request `prev`: a copy (sipmsg_msg_copy) with the
 * CSeq number incremented, the credentials header replaced (where it is)
 * or added (see auth_after), and a new branch on the top Via: a retry is a
 * new transaction, so the old RFC 3261 branch is never kept (8.1.3.5).
 * Call-ID, From tag and the rest are kept. Errors: SIPMSG_E_NO_BRANCH
 * (neither `branch` nor `rand`), SIPMSG_E_NO_ARENA, SIPMSG_E_STATE
 * (`prev` is a response or has no CSeq, `rand` failed),
 * SIPMSG_E_RANGE (CSeq at 2^32-1), and those of the edits.
 */
SIPMSG_API sipmsg_code sipmsg_build_retry(sipmsg_msg *m, const sipmsg_msg *prev,
                                          const sipmsg_retry *r);

/* A response to a request. */
typedef struct sipmsg_response {
    int status_code;     /* 100-699 */
    sipmsg_slice reason; /* absent: sipmsg_reason_phrase(status) */
    sipmsg_slice to_tag; /* added to To when it has none (not for 100);
                                 absent: generated with `rand` */
    sipmsg_random_fn rand;
    void *rand_ctx;
    sipmsg_slice contact;  /* optional Contact value, for a 2xx or a
                                 101-199 with a To tag (RFC 3261 12.1.1,
                                 13.3.1.4): "<sip:bob@192.0.2.4>" */
    sipmsg_slice received; /* optional: the request's packet source
                                 address; the response's top Via then gets
                                 received= and rport= as sipmsg_via_received
                                 gives them (18.2.1, RFC 3581), the same as
                                 a forward would, e.g. for the 483 a proxy
                                 answers instead of forwarding */
    uint32_t rport;        /* the packet's source port (with received) */
} sipmsg_response;

/*
 * Builds the response to `req` (RFC 3261 8.2.6): "SIP/2.0 status reason",
 * then every Via header in order (the top one with received/rport when
 * r->received is given), the first From, To (with a tag added when it has
 * none and the status is not 100), Call-ID and CSeq, each copied as
 * received; for a dialog-creating request (INVITE, SUBSCRIBE, REFER) and a
 * status of 101-299, every Record-Route header in order (12.1.1); the
 * Timestamp for a 100; the Contact when given; "Content-Length: 0". A
 * request missing some of them (or holding duplicates) still gets a
 * response with what is there. Add more headers with the edits.
 * Errors: SIPMSG_E_NO_ARENA, SIPMSG_E_STATE (`req` is a response, no tag
 * and no `rand`, or `rand` failed), SIPMSG_E_STATUS_CODE (status outside
 * 100-699), SIPMSG_E_BAD_TEXT, SIPMSG_E_NO_SPACE, and those of
 * sipmsg_via_received.
 */
SIPMSG_API sipmsg_code sipmsg_build_response(sipmsg_msg *m, const sipmsg_msg *req,
                                             const sipmsg_response *r);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_WRITE_H */
