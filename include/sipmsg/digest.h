/*
 * sipmsg/digest.h - Digest authentication (RFC 3261 22.4, RFC 2617,
 * RFC 7616, RFC 8760): parse challenges and credentials, compute responses
 * (client side) and verify them (server side).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Parsing is zero-copy: every field is a slice into the header value the
 * caller passed, which must stay alive and unchanged while the result is
 * used. A quoted value is given without its quotes and still holds its
 * quoted-pairs (backslash escapes) as written: "wire form". Use
 * sipmsg_auth_unquote() for the plain text; the hash computations unescape
 * on the fly, so they need no buffer.
 *
 * Nothing here allocates, does I/O or keeps global state; the built-in
 * MD5, SHA-256 and SHA-512/256 need no library. Every function is
 * thread-safe on distinct objects. Parsing is linear in the value length
 * and never reads outside the given slice.
 *
 * Client:
 *     sipmsg_digest_choice ch;
 *     sipmsg_digest_choose(&resp, &ch, &err);          strongest challenge
 *     sipmsg_digest_input in = {0};
 *     in.challenge = &ch.challenge; in.username = ...; in.password = ...;
 *     in.method = ...; in.uri = ...; in.rand = my_random; ...
 *     size_t n = sipmsg_digest_authorize(&in, buf, sizeof buf, &err);
 *     -> header ch.credentials_header ("Authorization" for a 401,
 *        "Proxy-Authorization" for a 407) with value buf.
 *
 * Server:
 *     sipmsg_credentials c;
 *     sipmsg_credentials_parse(authorization_value, &c, &err);
 *     (look the user up by c.username and c.realm, check c.uri and c.nonce)
 *     sipmsg_digest_check chk = {0};
 *     chk.credentials = &c; chk.password = ...; chk.method = ...;
 *     switch (sipmsg_digest_verify(&chk, &err)) { ... }
 */
#ifndef SIPMSG_DIGEST_H
#define SIPMSG_DIGEST_H

#include "common.h"
#include "parse.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest parameter value accepted (quotes excluded). Longer values, such as
 * a 10 KB nonce, are SIPMSG_E_AUTH. */
#define SIPMSG_AUTH_MAX_VALUE 1024u
/* Most parameters in one challenge or credentials. */
#define SIPMSG_AUTH_MAX_PARAMS 32u
/* Longest digest in hex (SHA-256 and SHA-512/256: 64; MD5: 32). */
#define SIPMSG_DIGEST_HEX_MAX 64u
/* Random bytes in a generated cnonce (printed as twice as many hex digits). */
#define SIPMSG_DIGEST_CNONCE_BYTES 16u

/* Digest algorithms (RFC 7616 6.1, RFC 8760 2.7). */
typedef enum sipmsg_digest_alg {
    SIPMSG_DIGEST_UNKNOWN = 0, /* an algorithm token we do not implement */
    SIPMSG_DIGEST_MD5,         /* also the default when algorithm is absent */
    SIPMSG_DIGEST_MD5_SESS,
    SIPMSG_DIGEST_SHA256,
    SIPMSG_DIGEST_SHA256_SESS,
    SIPMSG_DIGEST_SHA512_256,
    SIPMSG_DIGEST_SHA512_256_SESS
} sipmsg_digest_alg;

/* qop values, as bits (a challenge offers a set, credentials carry one). */
#define SIPMSG_QOP_AUTH     0x1u
#define SIPMSG_QOP_AUTH_INT 0x2u
#define SIPMSG_QOP_OTHER    0x4u /* a token other than auth and auth-int */

/* One auth-param: name and value. A quoted value is given without its
 * quotes, in wire form. */
typedef struct sipmsg_auth_param {
    sipmsg_slice name;
    sipmsg_slice value;
    int quoted; /* 1 when the value was a quoted-string */
} sipmsg_auth_param;

/*
 * A challenge (WWW-Authenticate, Proxy-Authenticate):
 *   challenge = ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge
 * Named Digest fields are absent (ptr NULL) when not given. Every parameter,
 * named or not, can be walked with sipmsg_auth_param_next() over `params`.
 * For schemes other than Digest only scheme, params and param_count are set.
 */
typedef struct sipmsg_challenge {
    sipmsg_slice scheme;  /* "Digest", or another auth-scheme as written */
    int is_digest;        /* scheme is "Digest" (any case) */
    sipmsg_slice params;  /* the raw auth-param list of this challenge */
    unsigned param_count; /* parameters in it */
    unsigned other_count; /* Digest: parameters not named below */

    sipmsg_slice realm; /* wire form, without quotes */
    sipmsg_slice nonce;
    sipmsg_slice opaque;
    sipmsg_slice domain;    /* the space-separated URI list */
    sipmsg_slice qop;       /* the qop list as written, e.g. "auth,auth-int" */
    sipmsg_slice algorithm; /* as written; absent means MD5 */
    sipmsg_slice charset;   /* RFC 7616 charset ("UTF-8") */
    sipmsg_digest_alg alg;  /* decoded algorithm (MD5 when absent) */
    unsigned qop_mask;      /* SIPMSG_QOP_* offered; 0 when no qop */
    int stale;              /* 1 for stale=true (any case) */
    int userhash;           /* 1 for userhash=true (RFC 7616 3.4.4) */
} sipmsg_challenge;

/*
 * Credentials (Authorization, Proxy-Authorization):
 *   credentials = ("Digest" LWS digest-response) / other-response
 */
typedef struct sipmsg_credentials {
    sipmsg_slice scheme;
    int is_digest;
    sipmsg_slice params;
    unsigned param_count;
    unsigned other_count;

    sipmsg_slice username; /* wire form, without quotes */
    sipmsg_slice realm;
    sipmsg_slice nonce;
    sipmsg_slice uri;
    sipmsg_slice response; /* hex digits */
    sipmsg_slice algorithm;
    sipmsg_slice cnonce;
    sipmsg_slice opaque;
    sipmsg_slice qop;      /* the single qop token */
    sipmsg_slice nc;       /* the 8 hex digits */
    sipmsg_slice userhash; /* "true" / "false" as written */
    sipmsg_digest_alg alg; /* decoded algorithm (MD5 when absent) */
    unsigned qop_kind;     /* one SIPMSG_QOP_* bit; 0 without qop (RFC 2069) */
    uint32_t nc_value;     /* nc decoded; 0 without nc */
    int is_userhash;       /* 1 for userhash=true */
} sipmsg_credentials;

/* ---- parsing ------------------------------------------------------------ */

/*
 * Iterates the challenges of `value` (a WWW-Authenticate or
 * Proxy-Authenticate header value). Several challenges may share one
 * value: "Digest realm="a", nonce="1", Digest realm=...". Like every
 * iterator of sipmsg: _init, then _next returns 1 with *out filled, 0 at
 * the end (only whitespace or commas remain), or -1 on an error, which
 * ends the iteration (later calls return -1 again).
 *
 * Errors (err->code; `err` may be NULL; its offset is relative to
 * value.ptr): SIPMSG_E_QUOTE for an unterminated quoted string, a
 * backslash at the end, or a quoted-pair escaping CR, LF or a byte from
 * 0x80 up (quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): an escaped
 * NUL is valid); SIPMSG_E_AUTH for any other syntax error (a raw control
 * byte other than HTAB in a quoted string, a scheme with no parameter, a
 * parameter without "=", a duplicate parameter, a value longer than
 * SIPMSG_AUTH_MAX_VALUE, more than SIPMSG_AUTH_MAX_PARAMS parameters, a
 * Digest challenge without realm or nonce, stale or userhash neither true
 * nor false, a malformed qop list). An unknown algorithm is not an error
 * here: alg is SIPMSG_DIGEST_UNKNOWN.
 * Every scheme must use the auth-param list form of RFC 3261; the token68
 * form of HTTP (RFC 7235, "Negotiate abc==") is SIPMSG_E_AUTH. Quoted
 * values keep their folds (CRLF WSP) as written; hashing uses them as is.
 */
typedef struct sipmsg_challenge_iter {
    sipmsg_slice value;
    size_t pos;         /* where the next challenge starts */
    sipmsg_code failed; /* set by an error: the iteration is over */
} sipmsg_challenge_iter;

SIPMSG_API void sipmsg_challenge_iter_init(sipmsg_challenge_iter *it, sipmsg_slice value);

SIPMSG_API int sipmsg_challenge_next(sipmsg_challenge_iter *it, sipmsg_challenge *out,
                                     sipmsg_error *err);

/*
 * Parses a whole Authorization or Proxy-Authorization value: exactly one
 * credentials. Returns SIPMSG_OK, SIPMSG_E_QUOTE or SIPMSG_E_AUTH (as for
 * challenges, and also: a Digest response without username, realm, nonce,
 * uri or response; nc not 8 hex digits; qop without cnonce and nc; a
 * response holding a non-hex character; userhash neither true nor false).
 * An unknown algorithm or qop is not an error here (see alg, qop_kind).
 */
SIPMSG_API sipmsg_code sipmsg_credentials_parse(sipmsg_slice value,
                                                sipmsg_credentials *out,
                                                sipmsg_error *err);

/*
 * Iterates the parameters of a challenge or credentials (its `params`
 * slice): 1 with *out filled, 0 at the end, -1 on a syntax error (never
 * for the params slice of a successfully parsed challenge or credentials),
 * which ends the iteration.
 */
typedef struct sipmsg_auth_param_iter {
    sipmsg_slice params;
    size_t pos;
    sipmsg_code failed;
} sipmsg_auth_param_iter;

SIPMSG_API void sipmsg_auth_param_iter_init(sipmsg_auth_param_iter *it,
                                            sipmsg_slice params);

SIPMSG_API int sipmsg_auth_param_next(sipmsg_auth_param_iter *it, sipmsg_auth_param *out,
                                      sipmsg_error *err);

/*
 * The parameter named `name` (case-insensitive) in a params slice, or an
 * absent slice. The value is in wire form.
 */
SIPMSG_API sipmsg_slice sipmsg_auth_param_get(sipmsg_slice params, const char *name);

/*
 * Removes the quoted-pair backslashes of a wire-form value, snprintf style:
 * writes at most cap - 1 bytes and a NUL (nothing when cap is 0) and
 * returns the length of the whole plain text. The result is never longer
 * than the input.
 */
SIPMSG_API size_t sipmsg_auth_unquote(sipmsg_slice value, char *out, size_t cap);

/* The algorithm named by a token (case-insensitive); an absent slice is
 * MD5; SIPMSG_DIGEST_UNKNOWN otherwise. */
SIPMSG_API sipmsg_digest_alg sipmsg_digest_alg_lookup(sipmsg_slice name);

/* The canonical name of an algorithm ("SHA-512-256-sess"), or NULL. */
SIPMSG_API const char *sipmsg_digest_alg_name(sipmsg_digest_alg alg);

/* ---- choosing a challenge ------------------------------------------------ */

/*
 * The strongest usable Digest challenge in one header value: known
 * algorithm, and qop absent or offering auth or auth-int. Strength:
 * SHA-512-256 > SHA-256 > MD5, and for each the plain form before -sess;
 * on a tie the first wins. Returns SIPMSG_OK; SIPMSG_E_AUTH_ALGORITHM when
 * every Digest challenge has an unknown algorithm; SIPMSG_E_AUTH_QOP when
 * none offers a usable qop; SIPMSG_E_NOT_FOUND when there is no Digest
 * challenge; or the syntax error that stopped the reading.
 */
SIPMSG_API sipmsg_code sipmsg_challenge_best(sipmsg_slice value, sipmsg_challenge *out,
                                             sipmsg_error *err);

/* The result of sipmsg_digest_choose(). */
typedef struct sipmsg_digest_choice {
    sipmsg_challenge challenge;       /* slices point into the message */
    size_t header;                    /* index in the header table */
    sipmsg_hdr_id challenge_header;   /* WWW_AUTHENTICATE or PROXY_AUTHENTICATE */
    sipmsg_hdr_id credentials_header; /* AUTHORIZATION or PROXY_AUTHORIZATION */
} sipmsg_digest_choice;

/*
 * The strongest usable Digest challenge among all WWW-Authenticate and
 * Proxy-Authenticate headers of a parsed response (as for
 * sipmsg_challenge_best; on equal strength, a challenge of the kind that
 * matches the status, 401 or 407, wins, then the first). A header that does
 * not parse is skipped. Returns SIPMSG_OK; SIPMSG_E_STATE for a request;
 * otherwise the error of the best failed candidate (SIPMSG_E_NOT_FOUND when
 * there is no challenge header at all).
 */
SIPMSG_API sipmsg_code sipmsg_digest_choose(const sipmsg_msg *response,
                                            sipmsg_digest_choice *out, sipmsg_error *err);

/*
 * Which header a retried request carries its credentials in:
 * SIPMSG_HDR_AUTHORIZATION for a 401, SIPMSG_HDR_PROXY_AUTHORIZATION for a
 * 407, SIPMSG_HDR_OTHER for anything else (requests included).
 */
SIPMSG_API sipmsg_hdr_id sipmsg_digest_credentials_header(const sipmsg_msg *response);

/* ---- client: computing credentials ---------------------------------------- */

/*
 * What the client computes from. All slices are plain text (not escaped),
 * owned by the caller. username, method, uri and cnonce go into the header
 * and may not hold control bytes (HTAB aside); the password may hold any
 * byte.
 */
typedef struct sipmsg_digest_input {
    const sipmsg_challenge *challenge; /* a Digest challenge */
    sipmsg_slice username;
    sipmsg_slice password; /* used when ha1 is absent */
    sipmsg_slice ha1;      /* or the hex H(username ":" realm ":" password),
                               for the -sess forms too (the session key is
                               derived from it) */
    sipmsg_slice method;   /* "REGISTER" */
    sipmsg_slice uri;      /* digest-uri: the Request-URI */
    sipmsg_slice body;     /* for auth-int; absent means empty */
    sipmsg_slice cnonce;   /* absent: generated with rand */
    sipmsg_random_fn rand; /* needed when qop is used and cnonce is absent */
    void *rand_ctx;
    uint32_t nc;  /* nonce count; 0 means 1 */
    unsigned qop; /* 0: auth when offered, else auth-int;
                               SIPMSG_QOP_AUTH or _AUTH_INT: that one, which
                               the challenge must offer */
} sipmsg_digest_input;

/* What sipmsg_digest_compute() produces. A plain value: may be copied. */
typedef struct sipmsg_digest_result {
    sipmsg_digest_alg alg;
    unsigned qop; /* SIPMSG_QOP_AUTH, _AUTH_INT, or 0 (RFC 2069) */
    char response[SIPMSG_DIGEST_HEX_MAX + 1];      /* lower-case hex, NUL-terminated */
    char username_hash[SIPMSG_DIGEST_HEX_MAX + 1]; /* userhash challenges only, else "" */
    char cnonce[2 * SIPMSG_DIGEST_CNONCE_BYTES + 1]; /* generated cnonce, else "" */
    char nc[9]; /* 8 hex digits when qop is used, else "" */
} sipmsg_digest_result;

/*
 * Computes the response for `in`. The qop is chosen as described in
 * sipmsg_digest_input; a challenge without qop gives the RFC 2069 form
 * (no cnonce, no nc). When qop is used and in->cnonce is absent, a cnonce
 * of SIPMSG_DIGEST_CNONCE_BYTES random bytes is drawn from in->rand (once
 * per call).
 * Returns SIPMSG_OK; SIPMSG_E_AUTH_ALGORITHM for an unknown algorithm;
 * SIPMSG_E_AUTH_QOP when the wanted qop is not offered; SIPMSG_E_AUTH for a
 * non-Digest challenge, a missing input, an ha1 that is not hex of the
 * algorithm's size, no cnonce and no rand, or a failing rand;
 * SIPMSG_E_BAD_TEXT when username, method, uri or cnonce holds a control
 * byte.
 */
SIPMSG_API sipmsg_code sipmsg_digest_compute(const sipmsg_digest_input *in,
                                             sipmsg_digest_result *res,
                                             sipmsg_error *err);

/*
 * Writes the credentials value (without the header name) for `in` and a
 * result of sipmsg_digest_compute(), snprintf style: writes at most
 * cap - 1 bytes and a NUL, returns the full length. Deterministic, so it
 * may be called once to size and again to write. Parameter order follows
 * common UAs (and the seed's REGISTER): username, realm, qop, algorithm
 * (only when the challenge named one, echoed as written), uri, nonce, nc,
 * cnonce, response, then opaque (only when the challenge's opaque is not
 * empty) and userhash=true (userhash challenges).
 */
SIPMSG_API size_t sipmsg_digest_format(const sipmsg_digest_input *in,
                                       const sipmsg_digest_result *res, char *buf,
                                       size_t cap);

/*
 * sipmsg_digest_compute() then sipmsg_digest_format(). Returns the full
 * length (as snprintf), or 0 on error with *err set (`err` may be NULL).
 * With a random cnonce, each call draws a new one: to size the buffer
 * first, use compute and format separately.
 */
SIPMSG_API size_t sipmsg_digest_authorize(const sipmsg_digest_input *in, char *buf,
                                          size_t cap, sipmsg_error *err);

/* ---- server: verifying credentials ---------------------------------------- */

/* Tells whether a nonce is stale (known but expired or replayed). Returns
 * non-zero when stale. */
typedef int (*sipmsg_nonce_fn)(void *ctx, sipmsg_slice nonce, uint32_t nc);

/* What the server verifies with. Slices are plain text owned by the
 * caller. */
typedef struct sipmsg_digest_check {
    const sipmsg_credentials *credentials;
    sipmsg_slice password;       /* used when ha1 is absent */
    sipmsg_slice ha1;            /* or hex H(username ":" realm ":" password) */
    sipmsg_slice method;         /* the request method */
    sipmsg_slice body;           /* for auth-int; absent means empty */
    sipmsg_slice username;       /* the plain user name: required when the
                               credentials carry userhash=true */
    int stale;                   /* the caller knows the nonce is stale */
    sipmsg_nonce_fn nonce_stale; /* optional: asked when stale is 0 */
    void *nonce_ctx;
} sipmsg_digest_check;

/*
 * Verifies Digest credentials. The response is compared in constant time
 * (for its length). Returns:
 *   SIPMSG_OK               the response is right and the nonce fresh;
 *   SIPMSG_E_AUTH_STALE     the response is right but the nonce stale
 *                           (answer with a new challenge, stale=true);
 *   SIPMSG_E_AUTH_MISMATCH  the response is wrong (or, with userhash, the
 *                           hashed user name does not match);
 *   SIPMSG_E_AUTH_ALGORITHM unknown algorithm;
 *   SIPMSG_E_AUTH_QOP       unknown qop;
 *   SIPMSG_E_AUTH           malformed: not Digest, response of the wrong
 *                           length, bad ha1, missing plain username for
 *                           userhash.
 * The caller checks realm, uri (against the Request-URI) and opaque.
 */
SIPMSG_API sipmsg_code sipmsg_digest_verify(const sipmsg_digest_check *chk,
                                            sipmsg_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SIPMSG_DIGEST_H */
