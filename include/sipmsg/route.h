/*
 * sipmsg/route.h - where a proxy or a user agent sends a message: the
 * response target (RFC 3261 18.2.2, RFC 3581 section 4), the request's
 * next hop (RFC 3261 16.4, 16.6 steps 6-7, 16.12), rport as a number, a
 * deterministic stateless branch (16.11) and loop detection (16.3 step 4).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * No name resolution: a host is given as written (a name, an IPv4 address
 * or an [IPv6] reference) with the port and transport the RFCs imply; the
 * caller applies RFC 3263 (or plain DNS) to it. Every result slice points
 * into the message's buffers (the parsed buffer, the edit arena or text
 * referenced by an edit), or at a constant string of the library; nothing
 * is copied or allocated. The functions that only read a message are
 * thread-safe; the two that edit (sipmsg_route_preprocess,
 * sipmsg_route_strict_rewrite) modify only the message and arena given.
 */
#ifndef SIPMSG_ROUTE_H
#define SIPMSG_ROUTE_H

#include "common.h"
#include "parse.h"
#include "uri.h"
#include "header.h"
#include "write.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- transports ------------------------------------------------------------ */

typedef enum sipmsg_transport {
    SIPMSG_TRANSPORT_OTHER = 0, /* any other token: see the name slice */
    SIPMSG_TRANSPORT_UDP,
    SIPMSG_TRANSPORT_TCP,
    SIPMSG_TRANSPORT_TLS,
    SIPMSG_TRANSPORT_SCTP,
    SIPMSG_TRANSPORT_TLS_SCTP, /* RFC 4168 */
    SIPMSG_TRANSPORT_WS,       /* RFC 7118 */
    SIPMSG_TRANSPORT_WSS
} sipmsg_transport;

/* The transport of a Via sent-protocol transport or a URI transport=
 * value (case-insensitive). An absent or unknown name gives OTHER. */
SIPMSG_API sipmsg_transport sipmsg_transport_lookup(sipmsg_slice name);

/* The default port of a transport: 5061 for TLS and TLS-SCTP (RFC 3261
 * 19.1.2, RFC 4168), 80 for WS and 443 for WSS (RFC 7118), 5060 for every
 * other one. */
SIPMSG_API uint32_t sipmsg_transport_default_port(sipmsg_transport t);

/* 1 for the connection-oriented transports (TCP, TLS, SCTP, TLS-SCTP, WS,
 * WSS), 0 for UDP and OTHER. */
SIPMSG_API int sipmsg_transport_reliable(sipmsg_transport t);

/* ---- rport (RFC 3581) ------------------------------------------------------- */

/* response-port = "rport" [EQUAL 1*DIGIT] */
typedef struct sipmsg_rport {
    int present;   /* the Via has an rport parameter */
    int requested; /* present without a value: the client asks the server
                       to fill it in (RFC 3581 section 4) */
    uint32_t port; /* the value, 1-65535; 0 when absent or requested */
} sipmsg_rport;

/*
 * Reads the rport slice of a Via: m->via.rport of a parsed message or
 * sipmsg_via.rport (ptr NULL: absent; ptr set and len 0: no value).
 * Returns SIPMSG_OK with *out filled, or SIPMSG_E_PORT when the value is
 * not 1*DIGIT in 1-65535 (*out then says present, not requested, port 0).
 */
SIPMSG_API sipmsg_code sipmsg_rport_parse(sipmsg_slice rport, sipmsg_rport *out);

/* ---- where to send a response (RFC 3261 18.2.2, RFC 3581) ------------------ */

/* Which rule of 18.2.2 (and RFC 3581 section 4) gave the address. */
typedef enum sipmsg_resp_rule {
    SIPMSG_RESP_NONE = 0,   /* no Via: nowhere to send */
    SIPMSG_RESP_CONNECTION, /* reliable sent-protocol: send on the connection
                               the request came on while it is open; host
                               and port are where to open a new one: the
                               received address (else the sent-by host) and
                               the sent-by port (else the default) */
    SIPMSG_RESP_MADDR,      /* the maddr address, sent-by port (else the
                               default); ttl for a multicast maddr */
    SIPMSG_RESP_RPORT,      /* RFC 3581: the received address (else the
                               sent-by host) and the rport port */
    SIPMSG_RESP_RECEIVED,   /* the received address, sent-by port (else the
                               default) */
    SIPMSG_RESP_SENT_BY     /* the sent-by host and port (else the default):
                               a host name goes through RFC 3263 section 5 */
} sipmsg_resp_rule;

typedef struct sipmsg_resp_target {
    sipmsg_resp_rule rule;
    sipmsg_transport transport;  /* of the Via's sent-protocol */
    sipmsg_slice transport_name; /* as written in the Via */
    sipmsg_slice host;           /* as written: a sent-by [IPv6] keeps its
                                     brackets, a received= value has none */
    uint32_t port;               /* always set (1-65535) */
    int port_given;              /* 1 when port came from the message (sent-by
                                     port or rport), 0 when it is the default */
    uint32_t ttl;                /* MADDR: the ttl parameter, else 1; 0 for
                                     the other rules */
} sipmsg_resp_target;

/*
 * Where to send a response whose top Via is `v`, per RFC 3261 18.2.2 with
 * RFC 3581 section 4, in this order:
 *   1. a reliable transport (TCP, TLS, SCTP, WS ...): CONNECTION;
 *   2. maddr: MADDR;
 *   3. rport with a value (filled in by the server on receipt): RPORT;
 *   4. received: RECEIVED;
 *   5. otherwise SENT_BY.
 * The default port is that of the transport (sipmsg_transport_default_port:
 * 5061 for TLS). Use it on the Via of the request being answered (a UAS,
 * after sipmsg_via_received has recorded the packet source) or on the top
 * Via of a response left after sipmsg_proxy_unvia (a proxy).
 * Returns SIPMSG_OK; SIPMSG_E_PORT for a malformed rport or ttl value (ttl:
 * 0-255).
 */
SIPMSG_API sipmsg_code sipmsg_response_target_via(const sipmsg_via *v,
                                                  sipmsg_resp_target *t);

/*
 * The same for a decoded top Via (sipmsg_msg.via, or the `next` of
 * sipmsg_proxy_unvia_write). Returns SIPMSG_OK; SIPMSG_E_NOT_FOUND with
 * t->rule NONE when v has no transport (no Via); SIPMSG_E_PORT for an rport
 * of 0.
 */
SIPMSG_API sipmsg_code sipmsg_response_target_top(const sipmsg_top_via *v,
                                                  sipmsg_resp_target *t);

/*
 * The same for the top Via value of a parsed (possibly edited) message,
 * request or response. Returns SIPMSG_OK; SIPMSG_E_NOT_FOUND with
 * t->rule NONE when there is no Via; the Via parser's code (SIPMSG_E_VIA
 * ...) with err->header set when the top Via does not parse; SIPMSG_E_PORT
 * as above. `err` may be NULL.
 */
SIPMSG_API sipmsg_code sipmsg_response_target(const sipmsg_msg *m, sipmsg_resp_target *t,
                                              sipmsg_error *err);

/* ---- where to send a request (RFC 3261 16.6 steps 6-7, 16.12) --------------- */

typedef enum sipmsg_hop_kind {
    SIPMSG_HOP_NONE = 0,
    SIPMSG_HOP_REQUEST_URI, /* no Route: the Request-URI */
    SIPMSG_HOP_LOOSE,       /* the top Route, which has ;lr */
    SIPMSG_HOP_STRICT       /* the top Route has no ;lr: the next hop is an
                               RFC 2543 strict router, and the request must
                               first be rewritten (16.6 step 6, see
                               sipmsg_route_strict_rewrite) */
} sipmsg_hop_kind;

typedef struct sipmsg_next_hop {
    sipmsg_hop_kind kind;
    sipmsg_slice uri_text;       /* the URI as written (no <>) */
    sipmsg_uri uri;              /* a sip or sips URI */
    sipmsg_transport transport;  /* transport= if given; else TLS for sips,
                                     UDP for sip */
    sipmsg_slice transport_name; /* the transport= value, or the constant
                                     "TLS" / "UDP" */
    int transport_given;         /* 1 when the URI has transport= */
    sipmsg_slice host;           /* maddr when present, else the URI host
                                     (an [IPv6] keeps its brackets) */
    uint32_t port;               /* the URI port, 0 when absent: then RFC 3263
                                     (SRV) applies, or the transport's
                                     default port without DNS SRV */
    size_t route_header;         /* LOOSE/STRICT: index of the header holding
                                     the top Route value; else SIPMSG_NONE_SIZE */
    /* STRICT only (absent otherwise): the rewrite of 16.6 step 6 */
    sipmsg_slice new_request_uri; /* becomes the Request-URI (= uri_text) */
    sipmsg_slice last_route;      /* the current Request-URI, which goes to
                                     the end of the Route header field */
} sipmsg_next_hop;

#define SIPMSG_NONE_SIZE ((size_t)-1)

/*
 * The next hop of request `m` as RFC 3261 16.12 step 3 and 16.6 step 7 say:
 * the URI of the top Route value when there is a Route header, else the
 * Request-URI, with the transport that URI implies. Call it after the
 * proxy's own Route value has been removed (16.4, sipmsg_route_preprocess).
 * For STRICT, the request still needs sipmsg_route_strict_rewrite(); the
 * hop does not change (it is then the new Request-URI).
 * Returns SIPMSG_OK; SIPMSG_E_STATE for a response; SIPMSG_E_REQUEST_URI
 * when the Request-URI does not parse; SIPMSG_E_URI when the hop is not a
 * sip or sips URI (a proxy answers 416 when it is the Request-URI); the
 * name-addr codes (SIPMSG_E_NAME_ADDR, SIPMSG_E_URI ...) with err->header
 * set when the top Route does not parse. `err` may be NULL.
 */
SIPMSG_API sipmsg_code sipmsg_next_hop_get(const sipmsg_msg *m, sipmsg_next_hop *hop,
                                           sipmsg_error *err);

/*
 * Rewrites a request whose top Route lacks ;lr for an RFC 2543 strict
 * router (RFC 3261 16.6 step 6): the Request-URI goes to the end of the
 * Route header field (a new "Route: <uri>" header after the last Route
 * header), then the top Route's URI becomes the Request-URI and that Route
 * value is removed. The "<uri>" text is written into `a` (normally the
 * arena attached with sipmsg_edit_init, which also receives the new start
 * line). The message needs one free header-table entry.
 * All or nothing. Returns SIPMSG_OK; SIPMSG_E_STATE when the top Route has
 * ;lr or there is none (nothing to do); SIPMSG_E_NO_SPACE (`a`, the
 * attached arena or the header table is full, or `a` is NULL); the codes of
 * sipmsg_next_hop_get and of the edits.
 */
SIPMSG_API sipmsg_code sipmsg_route_strict_rewrite(sipmsg_msg *m, sipmsg_arena *a);

/* Tells whether a URI names this proxy (its host and port, or a value it
 * put into Record-Route). Returns non-zero when it does. */
typedef int (*sipmsg_is_self_fn)(void *ctx, const sipmsg_uri *uri);

/* sipmsg_route_preprocess() report bits */
#define SIPMSG_PRE_RURI_RESTORED                                                         \
    0x1u                             /* the Request-URI was ours (the
                                         previous hop is a strict router):
                                         replaced with the last Route value */
#define SIPMSG_PRE_ROUTE_POPPED 0x2u /* the top Route was ours: removed */

/*
 * Route information preprocessing (RFC 3261 16.4): when `is_self` says
 * the Request-URI is ours and there is a Route header, the last Route
 * value's URI becomes the Request-URI and that value is removed; then,
 * when the top Route value is ours, it is removed. `done` (may be NULL)
 * receives the SIPMSG_PRE_* bits. The maddr rule of 16.4 is left to the
 * caller. Needs the attached arena only to rebuild the start line.
 * Returns SIPMSG_OK; SIPMSG_E_STATE for a response or a NULL `is_self`;
 * the Request-URI / Route parsing codes of sipmsg_next_hop_get; those of
 * the edits. On an error after the first step, that step stays done (and
 * *done says so).
 */
SIPMSG_API sipmsg_code sipmsg_route_preprocess(sipmsg_msg *m, sipmsg_is_self_fn is_self,
                                               void *ctx, unsigned *done);

/* ---- stateless branch and loop detection (RFC 3261 16.11, 16.3, 16.6) ------ */

/*
 * A stateless branch is "z9hG4bK", 32 lowercase hex digits (the transaction
 * part), ".", 16 lowercase hex digits (the loop part): 56 characters.
 *
 * Transaction part (16.11): when the received top Via branch starts with
 * z9hG4bK, a hash of that branch, the top Via sent-by (host and port), the
 * Call-ID, the From tag and the CSeq number; otherwise (an RFC 2543
 * client) a hash of the whole top Via value, the To tag, the From tag, the
 * Call-ID, the CSeq number and the Request-URI. The method is never
 * included (16.6 step 8), so a CANCEL and the ACK of a non-2xx response
 * from an RFC 3261 client get the branch of their INVITE, and a
 * retransmission gets the same branch.
 *
 * Loop part (16.6 step 8, 16.3 step 4): a hash of the Request-URI, the To
 * and From tags, the Call-ID, the CSeq number and every Route,
 * Proxy-Require and Proxy-Authorization value: the fields that decide
 * routing and admission. The top Via is left out, since a request that
 * comes back through a loop carries another top Via.
 *
 * The hash is FNV-1a 128 (the loop part keeps 64 bits of one), computed
 * over each field preceded by its length. It is not a MAC and is not
 * keyed: a branch only has to be unique per transaction and stable on
 * retransmission, not secret; a sender able to choose colliding fields can
 * already choose its own branch. 128 bits keep accidental collisions out of
 * reach for any number of transactions a proxy will see.
 */
#define SIPMSG_STATELESS_BRANCH_LEN 56

/*
 * Writes the stateless branch of request `m` (as received, before any edit
 * of the forward) to `out`, snprintf style: at most cap - 1 characters and
 * a NUL (nothing when cap is 0); returns SIPMSG_STATELESS_BRANCH_LEN, or 0
 * when `m` is a response.
 */
SIPMSG_API size_t sipmsg_stateless_branch(const sipmsg_msg *m, char *out, size_t cap);

/* 1 when `branch` has the form written by sipmsg_stateless_branch. */
SIPMSG_API int sipmsg_branch_is_stateless(sipmsg_slice branch);

typedef enum sipmsg_loop {
    SIPMSG_LOOP_NONE = 0, /* no Via of ours: first visit */
    SIPMSG_LOOP_SPIRAL,   /* a Via of ours, but the routing fields changed
                              since: process it again */
    SIPMSG_LOOP_DETECTED  /* a Via of ours with the same loop part: a loop
                              (answer 482 Loop Detected) */
} sipmsg_loop;

/*
 * Loop detection (RFC 3261 16.3 step 4) for a proxy that forwards with
 * sipmsg_stateless_branch: looks for Via values whose sent-by is ours
 * (`host` case-insensitive, with [] around IPv6 as in a Via; `port` 0
 * meaning the transport's default port; a Via without a port counts as
 * its transport's default) and whose branch has the stateless form, and
 * compares their loop part with the one computed from `m` now. *out gets
 * DETECTED when one matches, SPIRAL when there are Vias of ours and none
 * matches, NONE otherwise.
 * Returns SIPMSG_OK; SIPMSG_E_STATE for a response; the Via iterator's code
 * (with err set) when a Via does not parse. `err` may be NULL.
 */
SIPMSG_API sipmsg_code sipmsg_loop_check(const sipmsg_msg *m, sipmsg_slice host,
                                         uint32_t port, sipmsg_loop *out,
                                         sipmsg_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_ROUTE_H */
