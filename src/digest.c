/*
 * digest.c - Digest responses: hashing (MD5, SHA-256, SHA-512/256 and
 * their -sess forms, qop auth / auth-int / none), the client side
 * (compute, format an Authorization value) and the server side (verify in
 * constant time). The values come from digest_parse.c.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Hashing reads wire-form (escaped) values and skips the quoted-pair
 * backslashes on the fly, so no buffer is ever needed.
 */
#include "digest_internal.h"

#include "hash.h"
#include "hex.h"
#include "scan.h"

/* ---- hashing ----------------------------------------------------------------- */

/* A piece of hashed text: plain, or wire form (quoted-pairs to undo). */
typedef struct text {
    sipmsg_slice s;
    int wire;
} text;

static text plain(sipmsg_slice s)
{
    text t = {s, 0};
    return t;
}

static text wire(sipmsg_slice s)
{
    text t = {s, 1};
    return t;
}

static sipmsg_hash_alg hash_of(sipmsg_digest_alg alg)
{
    if (alg == SIPMSG_DIGEST_SHA256 || alg == SIPMSG_DIGEST_SHA256_SESS)
        return SIPMSG_HASH_SHA256;
    if (alg == SIPMSG_DIGEST_SHA512_256 || alg == SIPMSG_DIGEST_SHA512_256_SESS)
        return SIPMSG_HASH_SHA512_256;
    return SIPMSG_HASH_MD5;
}

/* Hex digits of a digest for this algorithm: 32 or 64. */
static size_t hex_len(sipmsg_digest_alg alg)
{
    return 2 * sipmsg_hash_desc_(hash_of(alg))->size;
}

static void feed(sipmsg_hash_ctx *h, text t)
{
    if (!t.s.ptr)
        return;
    if (!t.wire) {
        sipmsg_hash_update_(h, t.s.ptr, t.s.len);
        return;
    }
    size_t run = 0; /* start of the current run without backslashes */
    for (size_t i = 0; i < t.s.len; i++) {
        if (t.s.ptr[i] == '\\' && i + 1 < t.s.len) {
            sipmsg_hash_update_(h, t.s.ptr + run, i - run);
            run = ++i; /* keep the escaped byte */
        }
    }
    sipmsg_hash_update_(h, t.s.ptr + run, t.s.len - run);
}

/* The hex digits of d[0..n) and a NUL. */
static void to_hex(const unsigned char *d, size_t n, char *out)
{
    sipmsg_hex_encode_(d, n, out);
    out[2 * n] = '\0';
}

/* hex = lower-hex( H( parts[0] ":" parts[1] ":" ... ) ) */
static void hash_join(sipmsg_digest_alg alg, const text *parts, size_t n, char *hex)
{
    sipmsg_hash_ctx h;
    unsigned char d[SIPMSG_HASH_MAX];
    sipmsg_hash_init_(&h, hash_of(alg));
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sipmsg_hash_update_(&h, ":", 1);
        feed(&h, parts[i]);
    }
    to_hex(d, sipmsg_hash_final_(&h, d), hex);
}

/* Everything a response is computed from, client or server side. */
typedef struct digest_parts {
    sipmsg_digest_alg alg;
    text username, realm, password, nonce, cnonce, nc, qop, method, uri;
    sipmsg_slice ha1;  /* hex H(A1) of the plain form, or absent */
    sipmsg_slice body; /* auth-int */
    unsigned qop_kind; /* 0: RFC 2069 */
} digest_parts;

/* H(A1), RFC 7616 3.4.2:
 *   A1 = unq(username) ":" unq(realm) ":" passwd
 *   -sess: A1 = H(unq(username) ":" unq(realm) ":" passwd)
 *               ":" unq(nonce) ":" unq(cnonce) */
static sipmsg_code ha1_hex(const digest_parts *p, char *hex, sipmsg_error *err)
{
    const size_t n = hex_len(p->alg);
    if (p->ha1.ptr) {
        if (p->ha1.len != n || !digest_all_hex(p->ha1))
            return digest_fail(err, SIPMSG_E_AUTH, 0, "ha1 is not hex of the right size");
        for (size_t i = 0; i < n; i++)
            hex[i] = (char)lower((unsigned char)p->ha1.ptr[i]);
        hex[n] = '\0';
    } else {
        const text a1[3] = {p->username, p->realm, p->password};
        hash_join(p->alg, a1, 3, hex);
    }
    if (digest_is_sess(p->alg)) {
        const sipmsg_slice key = {hex, n};
        const text a1[3] = {plain(key), p->nonce, p->cnonce};
        hash_join(p->alg, a1, 3, hex);
    }
    return SIPMSG_OK;
}

/* RFC 7616 3.4.1 and 3.4.3:
 *   A2 = Method ":" request-uri [ ":" H(entity-body) ]   (auth-int)
 *   response = KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop)
 *                 ":" H(A2))
 *   RFC 2069:  KD(H(A1), unq(nonce) ":" H(A2))
 * with KD(secret, data) = H(secret ":" data). */
static sipmsg_code response_hex(const digest_parts *p, char *hex, sipmsg_error *err)
{
    char ha1[SIPMSG_DIGEST_HEX_MAX + 1], ha2[SIPMSG_DIGEST_HEX_MAX + 1];
    char hbody[SIPMSG_DIGEST_HEX_MAX + 1];
    const sipmsg_code rc = ha1_hex(p, ha1, err);
    if (rc != SIPMSG_OK)
        return rc;
    const size_t n = hex_len(p->alg);
    const sipmsg_slice empty = {"", 0}, hb = {hbody, n};
    const text body = plain(p->body.ptr ? p->body : empty);
    if (p->qop_kind == SIPMSG_QOP_AUTH_INT)
        hash_join(p->alg, &body, 1, hbody);
    const text a2[3] = {p->method, p->uri, plain(hb)};
    hash_join(p->alg, a2, p->qop_kind == SIPMSG_QOP_AUTH_INT ? 3 : 2, ha2);
    const sipmsg_slice s1 = {ha1, n}, s2 = {ha2, n};
    if (p->qop_kind == 0) {
        const text kd[3] = {plain(s1), p->nonce, plain(s2)};
        hash_join(p->alg, kd, 3, hex);
    } else {
        const text kd[6] = {plain(s1), p->nonce, p->nc, p->cnonce, p->qop, plain(s2)};
        hash_join(p->alg, kd, 6, hex);
    }
    return SIPMSG_OK;
}

/* ---- client ---------------------------------------------------------------- */

/* A control byte other than HTAB (not C_TEXT); with `folds`, the CR and LF
 * of a fold are let through. */
static int has_ctl(sipmsg_slice s, int folds)
{
    if (!s.ptr)
        return 0;
    const char *p = s.ptr, *e = s.ptr + s.len;
    for (; (p = find_nontext(p, e)) < e; p++)
        if (!folds || (*p != '\r' && *p != '\n'))
            return 1;
    return 0;
}

/* The qop to use: see sipmsg_digest_input.qop. */
static sipmsg_code pick_qop(const sipmsg_challenge *ch, unsigned want, unsigned *qop,
                            sipmsg_error *err)
{
    const unsigned usable = SIPMSG_QOP_AUTH | SIPMSG_QOP_AUTH_INT;
    *qop = 0;
    if (want != 0 && (want & ~usable || (want & (want - 1)) != 0))
        return digest_fail(err, SIPMSG_E_AUTH_QOP, 0, "qop must be auth or auth-int");
    if (!ch->qop.ptr) {
        if (want != 0)
            return digest_fail(err, SIPMSG_E_AUTH_QOP, 0, "challenge offers no qop");
        return SIPMSG_OK; /* RFC 2069 */
    }
    if (want == 0)
        want = (ch->qop_mask & SIPMSG_QOP_AUTH) ? SIPMSG_QOP_AUTH : SIPMSG_QOP_AUTH_INT;
    if (!(ch->qop_mask & want))
        return digest_fail(err, SIPMSG_E_AUTH_QOP, 0, "qop not offered");
    *qop = want;
    return SIPMSG_OK;
}

static sipmsg_code check_input(const sipmsg_digest_input *in, sipmsg_error *err)
{
    if (!in || !in->challenge || !in->challenge->is_digest)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "not a Digest challenge");
    if (in->challenge->alg == SIPMSG_DIGEST_UNKNOWN)
        return digest_fail(err, SIPMSG_E_AUTH_ALGORITHM, 0, NULL);
    if (!in->username.ptr || !in->method.ptr || !in->uri.ptr ||
        (!in->password.ptr && !in->ha1.ptr))
        return digest_fail(err, SIPMSG_E_AUTH, 0,
                           "username, password or ha1, method and uri are needed");
    if (has_ctl(in->username, 0) || has_ctl(in->method, 0) || has_ctl(in->uri, 0) ||
        has_ctl(in->cnonce, 0))
        return digest_fail(err, SIPMSG_E_BAD_TEXT, 0, NULL);
    /* the challenge's values go into the credentials as written: a control
     * byte a quoted-pair let through (NUL ...) is refused there, folds are
     * kept */
    const sipmsg_challenge *ch = in->challenge;
    if (has_ctl(ch->realm, 1) || has_ctl(ch->nonce, 1) || has_ctl(ch->opaque, 1))
        return digest_fail(err, SIPMSG_E_AUTH, 0, "control byte in the challenge");
    return SIPMSG_OK;
}

/* Fills res->cnonce (when generated) and res->nc for a qop response. */
static sipmsg_code client_nonces(const sipmsg_digest_input *in, sipmsg_digest_result *res,
                                 sipmsg_error *err)
{
    uint32_t nc = in->nc ? in->nc : 1u;
    sipmsg_hex_u32_(res->nc, nc, 8);
    res->nc[8] = '\0';
    if (in->cnonce.ptr)
        return SIPMSG_OK;
    unsigned char rnd[SIPMSG_DIGEST_CNONCE_BYTES];
    if (!in->rand)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "no cnonce and no random source");
    if (in->rand(in->rand_ctx, rnd, sizeof rnd) != 0)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "random source failed");
    to_hex(rnd, sizeof rnd, res->cnonce);
    return SIPMSG_OK;
}

static sipmsg_slice cnonce_of(const sipmsg_digest_input *in,
                              const sipmsg_digest_result *res)
{
    return in->cnonce.ptr ? in->cnonce : sipmsg_slice_of(res->cnonce);
}

sipmsg_code sipmsg_digest_compute(const sipmsg_digest_input *in,
                                  sipmsg_digest_result *res, sipmsg_error *err)
{
    const sipmsg_digest_result none = {0};
    if (!res)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "no result");
    *res = none;
    sipmsg_code rc = check_input(in, err);
    if (rc == SIPMSG_OK)
        rc = pick_qop(in->challenge, in->qop, &res->qop, err);
    if (rc == SIPMSG_OK && !res->qop && digest_is_sess(in->challenge->alg))
        rc = digest_fail(err, SIPMSG_E_AUTH_QOP, 0, "a -sess algorithm needs qop");
    if (rc == SIPMSG_OK && res->qop)
        rc = client_nonces(in, res, err);
    if (rc != SIPMSG_OK)
        return rc;
    const sipmsg_challenge *ch = in->challenge;
    digest_parts p = {0};
    p.alg = res->alg = ch->alg;
    p.username = plain(in->username);
    p.realm = wire(ch->realm);
    p.password = plain(in->password);
    p.ha1 = in->ha1;
    p.nonce = wire(ch->nonce);
    p.cnonce = plain(cnonce_of(in, res));
    p.nc = plain(sipmsg_slice_of(res->nc));
    p.qop = plain(sipmsg_slice_of(res->qop == SIPMSG_QOP_AUTH ? "auth" : "auth-int"));
    p.method = plain(in->method);
    p.uri = plain(in->uri);
    p.body = in->body;
    p.qop_kind = res->qop;
    if (ch->userhash) {
        const text uh[2] = {p.username, p.realm};
        hash_join(p.alg, uh, 2, res->username_hash);
    }
    return response_hex(&p, res->response, err);
}

/* An output buffer with the snprintf contract: `len` counts every byte
 * asked for, only the first cap - 1 are stored. */
typedef struct outbuf {
    char *buf;
    size_t cap;
    size_t len;
} outbuf;

static void put(outbuf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++, o->len++)
        if (o->len + 1 < o->cap)
            o->buf[o->len] = s[i];
}

static void put_str(outbuf *o, const char *s)
{
    put(o, s, strlen(s));
}

/* Plain text inside a quoted-string: '"' and '\' become quoted-pairs. */
static void put_escaped(outbuf *o, sipmsg_slice s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '"' || s.ptr[i] == '\\')
            put(o, "\\", 1);
        put(o, s.ptr + i, 1);
    }
}

/* ", name=" then the value: quoted (escaping plain text) or as a token. */
static void put_param(outbuf *o, const char *name, text v, int quote)
{
    put_str(o, ", ");
    put_str(o, name);
    put(o, quote ? "=\"" : "=", quote ? 2u : 1u);
    if (v.wire || !quote)
        put(o, v.s.ptr, v.s.len);
    else
        put_escaped(o, v.s);
    if (quote)
        put(o, "\"", 1);
}

/* credentials = "Digest" LWS digest-response
 * digest-response = dig-resp *(COMMA dig-resp)   (RFC 3261 25.1) */
size_t sipmsg_digest_format(const sipmsg_digest_input *in,
                            const sipmsg_digest_result *res, char *buf, size_t cap)
{
    outbuf o = {buf, buf ? cap : 0, 0};
    if (!in || !in->challenge || !res)
        return 0;
    const sipmsg_challenge *ch = in->challenge;
    const text user =
        ch->userhash ? plain(sipmsg_slice_of(res->username_hash)) : plain(in->username);
    put_str(&o, "Digest username=\"");
    put_escaped(&o, user.s);
    put(&o, "\"", 1);
    put_param(&o, "realm", wire(ch->realm), 1);
    if (res->qop)
        put_param(
            &o, "qop",
            plain(sipmsg_slice_of(res->qop == SIPMSG_QOP_AUTH ? "auth" : "auth-int")), 0);
    if (ch->algorithm.ptr)
        put_param(&o, "algorithm", plain(ch->algorithm), 0);
    put_param(&o, "uri", plain(in->uri), 1);
    put_param(&o, "nonce", wire(ch->nonce), 1);
    if (res->qop) {
        put_param(&o, "nc", plain(sipmsg_slice_of(res->nc)), 0);
        put_param(&o, "cnonce", plain(cnonce_of(in, res)), 1);
    }
    put_param(&o, "response", plain(sipmsg_slice_of(res->response)), 1);
    if (ch->opaque.ptr && ch->opaque.len > 0)
        put_param(&o, "opaque", wire(ch->opaque), 1);
    if (ch->userhash)
        put_str(&o, ", userhash=true");
    if (o.cap > 0)
        o.buf[o.len < o.cap ? o.len : o.cap - 1] = '\0';
    return o.len;
}

size_t sipmsg_digest_authorize(const sipmsg_digest_input *in, char *buf, size_t cap,
                               sipmsg_error *err)
{
    sipmsg_digest_result res;
    if (sipmsg_digest_compute(in, &res, err) != SIPMSG_OK) {
        if (buf && cap > 0)
            buf[0] = '\0';
        return 0;
    }
    return sipmsg_digest_format(in, &res, buf, cap);
}

/* ---- server ----------------------------------------------------------------- */

/* Equality of two hex strings of length n, ignoring case, in time that
 * depends on n only. Both hold only hex digits, where OR 0x20 folds case. */
static int hex_equal_ct(const char *a, const char *b, size_t n)
{
    unsigned diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned)(((unsigned char)a[i] | 0x20u) ^ ((unsigned char)b[i] | 0x20u));
    return diff == 0;
}

static sipmsg_code check_credentials(const sipmsg_digest_check *chk, sipmsg_error *err)
{
    const sipmsg_credentials *c = chk ? chk->credentials : NULL;
    if (!c || !c->is_digest || !c->username.ptr || !c->realm.ptr || !c->nonce.ptr ||
        !c->uri.ptr || !c->response.ptr || !chk->method.ptr)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "incomplete Digest credentials");
    if (c->alg == SIPMSG_DIGEST_UNKNOWN)
        return digest_fail(err, SIPMSG_E_AUTH_ALGORITHM, 0, NULL);
    if (c->qop.ptr && c->qop_kind != SIPMSG_QOP_AUTH &&
        c->qop_kind != SIPMSG_QOP_AUTH_INT)
        return digest_fail(err, SIPMSG_E_AUTH_QOP, 0, "unknown qop");
    if ((c->qop.ptr || digest_is_sess(c->alg)) && (!c->cnonce.ptr || !c->nc.ptr))
        return digest_fail(err, SIPMSG_E_AUTH, 0, "cnonce and nc are needed");
    if (c->response.len != hex_len(c->alg) || !digest_all_hex(c->response))
        return digest_fail(err, SIPMSG_E_AUTH, 0, "response of the wrong length");
    if (!chk->password.ptr && !chk->ha1.ptr)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "no password and no ha1");
    if (c->is_userhash && !chk->username.ptr)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "userhash needs the plain username");
    return SIPMSG_OK;
}

/* userhash: the credentials carry H(unq(username) ":" unq(realm))
 * (RFC 7616 3.4.4). Returns 1 when it matches the plain name. */
static int userhash_ok(const sipmsg_digest_check *chk)
{
    const sipmsg_credentials *c = chk->credentials;
    char hex[SIPMSG_DIGEST_HEX_MAX + 1];
    const text uh[2] = {plain(chk->username), wire(c->realm)};
    hash_join(c->alg, uh, 2, hex);
    return c->username.len == strlen(hex) && digest_all_hex(c->username) &&
           hex_equal_ct(hex, c->username.ptr, c->username.len);
}

sipmsg_code sipmsg_digest_verify(const sipmsg_digest_check *chk, sipmsg_error *err)
{
    sipmsg_code rc = check_credentials(chk, err);
    if (rc != SIPMSG_OK)
        return rc;
    const sipmsg_credentials *c = chk->credentials;
    digest_parts p = {0};
    p.alg = c->alg;
    p.username = c->is_userhash ? plain(chk->username) : wire(c->username);
    p.realm = wire(c->realm);
    p.password = plain(chk->password);
    p.ha1 = chk->ha1;
    p.nonce = wire(c->nonce);
    p.cnonce = wire(c->cnonce);
    p.nc = wire(c->nc);
    p.qop = wire(c->qop);
    p.method = plain(chk->method);
    p.uri = wire(c->uri);
    p.body = chk->body;
    p.qop_kind = c->qop.ptr ? c->qop_kind : 0;
    char expect[SIPMSG_DIGEST_HEX_MAX + 1];
    rc = response_hex(&p, expect, err);
    if (rc != SIPMSG_OK)
        return rc;
    int ok = hex_equal_ct(expect, c->response.ptr, c->response.len);
    if (c->is_userhash)
        ok &= userhash_ok(chk);
    if (!ok)
        return digest_fail(err, SIPMSG_E_AUTH_MISMATCH, 0, NULL);
    if (chk->stale ||
        (chk->nonce_stale && chk->nonce_stale(chk->nonce_ctx, c->nonce, c->nc_value)))
        return digest_fail(err, SIPMSG_E_AUTH_STALE, 0, NULL);
    return SIPMSG_OK;
}
