/*
 * sipmsg/validate.h - RFC 3261 checks of a parsed message, beyond what the
 * parse enforces, each with a severity and the response it implies.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * RFC 3261 has rules a receiver must enforce and rules it should only note.
 * Every check reports a finding of one of two severities:
 *
 *   SIPMSG_SEVERITY_ERROR    the message must be rejected; for a request,
 *                            `status` is the response a UAS or proxy sends
 *                            (a response is never answered: status 0);
 *   SIPMSG_SEVERITY_WARNING  the message is accepted, the deviation noted
 *                            (status 0).
 *
 * The rules, with their severity and, for errors in requests, the status:
 *
 *   error 505  SIP-Version other than SIP/2.0 (7.1, 21.5.7)
 *              SIPMSG_E_VERSION_UNSUPPORTED
 *   error 400  Request-URI inside <>, with URI headers ('?'), or one
 *              that does not parse (19.1.1, 19.1.5, 25.1)                                  SIPMSG_E_REQUEST_URI
 *   error 416  with SIPMSG_VALIDATE_SIP_SCHEMES: a Request-URI scheme other
 *              than sip, sips and tel (8.2.2.1, 16.3 step 2)
 *                                                     SIPMSG_E_URI_SCHEME
 *   error 400  To, From, CSeq, Call-ID or Via missing (8.1.1, 20)
 *                                                     SIPMSG_E_MISSING_HEADER
 *   warning    Max-Forwards missing in a request with an RFC 3261 branch: a
 *              UAC must send it (8.1.1.6), but a proxy adds one (16.6 step
 *              3) and RFC 2543 elements leave it out (no finding for a
 *              request whose top Via has no "z9hG4bK" branch)
 *                                                     SIPMSG_E_MISSING_HEADER
 *   error 400  To, From, Call-ID, CSeq, Max-Forwards or Content-Length
 *              repeated, in any form (7.3.1, 20)     SIPMSG_E_DUPLICATE_HEADER
 *   error 400  CSeq method differs from the request method (8.1.1.5, 20.16)
 *                                                     SIPMSG_E_CSEQ_METHOD
 *   warning    a Status-Line without the SP after the code ("SIP/2.0 200"
 *              and the line end): the grammar wants it (25.1), lenient
 *              receivers accept it                   SIPMSG_E_START_LINE
 *   error 400  a Via value that does not parse (20.42, 25.1)
 *                                                     SIPMSG_E_VIA and the
 *                                                     typed codes
 *   warning    an empty parameter (";;") in a Via, From, To, Contact, Route,
 *              Record-Route, Reply-To or P-Asserted-Identity value: the
 *              grammar has none (25.1), the parse tolerates it
 *                                                     SIPMSG_E_EMPTY_ELEMENT
 *   error 400  an empty element of a comma list (",,") in Via, Allow,
 *              Supported, Require, Proxy-Require, Unsupported,
 *              Allow-Events (7.3.1, 25.1)            SIPMSG_E_EMPTY_ELEMENT
 *   error 400  From, To, Contact, Route, Record-Route, Reply-To,
 *              P-Asserted-Identity that does not parse; a Contact "*" with
 *              addresses; a Route or Record-Route URI outside <>; a bad
 *              expires or q parameter (20.10, 20.30, 20.34, 25.1)
 *                                                     SIPMSG_E_NAME_ADDR,
 *                                                     SIPMSG_E_CONTACT
 *   warning    in a REGISTER request: an Expires header or a Contact expires
 *              parameter that is not delta-seconds (an HTTP date, as RFC
 *              2543 allowed): a registrar takes it as 3600 (10.2.1.1)
 *                                                     SIPMSG_E_EXPIRES,
 *                                                     SIPMSG_E_CONTACT
 *   error 400  the same in any other message, and a bad Min-Expires
 *              (20.19, 20.23)                        SIPMSG_E_EXPIRES
 *   error 400  a malformed Event (RFC 6665), Content-Type, option-tag or
 *              method list, or a Date not in GMT (20.15, 20.17, 25.1)
 *                                                     SIPMSG_E_HEADER_VALUE,
 *                                                     SIPMSG_E_CONTENT_TYPE,
 *                                                     SIPMSG_E_LIST
 *   error 420  with `supported` set: an option tag in Require (a proxy, with
 *              SIPMSG_VALIDATE_PROXY: in Proxy-Require) that is not in
 *              `supported`; never for ACK and CANCEL (8.2.2.3, 16.3 step 5)
 *                                                     SIPMSG_E_BAD_EXTENSION
 *   error 483  with SIPMSG_VALIDATE_PROXY: Max-Forwards 0 in a request
 *              other than OPTIONS (16.3 step 3; the proxy may answer an
 *              OPTIONS itself, section 11)      SIPMSG_E_TOO_MANY_HOPS
 *
 * Section numbers are RFC 3261's. The parse itself (sipmsg_parse) already
 * rejects everything the framing and the decoded headers need: those are
 * not findings here.
 */
#ifndef SIPMSG_VALIDATE_H
#define SIPMSG_VALIDATE_H

#include "common.h"
#include "parse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sipmsg_severity {
    SIPMSG_SEVERITY_WARNING = 1, /* accepted; the deviation noted */
    SIPMSG_SEVERITY_ERROR = 2    /* must be rejected */
} sipmsg_severity;

/* One finding. Every pointer is a constant or points into the message. */
typedef struct sipmsg_finding {
    sipmsg_code code; /* what (sipmsg_strerror gives a generic text) */
    sipmsg_severity severity;
    int header;      /* index in m->headers, or -1 (start line,
                                  a missing header) */
    size_t offset;   /* byte offset from m->buf (0 for a missing
                                  header) */
    int status;      /* errors in a request: the response status
                                  that rejects it (400, 416, 420, 483, 505);
                                  0 for warnings and in responses */
    const char *msg; /* constant text, never NULL, never freed */
} sipmsg_finding;

/* sipmsg_validate_opts.flags */
#define SIPMSG_VALIDATE_PROXY                                                            \
    0x1u /* the receiver is a proxy that will
                                            forward the request (16.3) */
#define SIPMSG_VALIDATE_SIP_SCHEMES                                                      \
    0x2u /* only sip, sips and tel
                                            Request-URIs are served */

/* What the receiver supports. NULL options: a UAS that checks the rules
 * that need no configuration. */
typedef struct sipmsg_validate_opts {
    unsigned flags;        /* SIPMSG_VALIDATE_* */
    const char *supported; /* the option tags the receiver understands,
                                  comma-separated ("100rel, timer"; "" for
                                  none), compared ignoring case; NULL: Require
                                  and Proxy-Require are not checked */
} sipmsg_validate_opts;

/* Called once per finding; return 0 to go on, non-zero to stop. */
typedef int (*sipmsg_finding_fn)(void *ctx, const sipmsg_finding *f);

/*
 * Runs every check on a parsed message (a DONE parse, or an edited one) and
 * calls fn for each finding, in the order of the checks: start line,
 * mandatory and single-instance headers, Via, other typed headers, the
 * name-addr headers. Allocates nothing; reads only the message. Returns the
 * number of findings reported (fn's stop included).
 */
SIPMSG_API size_t sipmsg_validate_each(const sipmsg_msg *m,
                                       const sipmsg_validate_opts *opts,
                                       sipmsg_finding_fn fn, void *ctx);

/*
 * The same into an array: stores the first `cap` findings in out[] (out may
 * be NULL when cap is 0) and returns the number of findings there are, which
 * may exceed cap (as snprintf does).
 */
SIPMSG_API size_t sipmsg_validate_all(const sipmsg_msg *m,
                                      const sipmsg_validate_opts *opts,
                                      sipmsg_finding *out, size_t cap);

/*
 * The first error-severity finding with NULL options, as a sipmsg_error
 * (err->header, err->offset from the start of the message, err->msg).
 * Returns SIPMSG_OK when there is none: warnings do not fail it. Since 0.2
 * the warning-level rules above (missing Max-Forwards, ";;", an HTTP-date
 * Expires in a REGISTER, a Status-Line without SP) no longer fail it; use
 * sipmsg_validate_each or sipmsg_validate_all to see them.
 */
SIPMSG_API sipmsg_code sipmsg_validate(const sipmsg_msg *m, sipmsg_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_VALIDATE_H */
