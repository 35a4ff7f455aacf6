/*
 * digest.c - Digest authentication: challenges, credentials, responses
 * (RFC 3261 22.4 and 25.1, RFC 2617 3.2, RFC 7616 3.4, RFC 8760 2).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Parsing walks the value once with a cursor, never past its end, and
 * keeps slices. Hashing reads wire-form (escaped) values and skips the
 * quoted-pair backslashes on the fly, so no buffer is ever needed.
 */
#include "sipmsg/digest.h"

#include "hash.h"
#include "error.h"
#include "lex.h"

/* ---- cursor and lexical rules ------------------------------------------- */

typedef struct cursor {
    const char *s; /* start of the value */
    size_t end;    /* its length */
    size_t pos;    /* next byte to read */
} cursor;

static int at(const cursor *c, char ch)
{
    return c->pos < c->end && c->s[c->pos] == ch;
}

static int is_wsp(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* LWS = [*WSP CRLF] 1*WSP ; SWS = [LWS]. Skips SWS (folds included) and
 * returns the number of bytes skipped. */
static size_t skip_sws(cursor *c)
{
    const size_t start = c->pos;
    for (;;) {
        while (c->pos < c->end && is_wsp(c->s[c->pos]))
            c->pos++;
        if (c->end - c->pos >= 3 && c->s[c->pos] == '\r' &&
            c->s[c->pos + 1] == '\n' && is_wsp(c->s[c->pos + 2]))
            c->pos += 3;
        else
            return c->pos - start;
    }
}

/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" /
 *            "'" / "~"). Reads a possibly empty run of token bytes. */
static sipmsg_slice read_token(cursor *c)
{
    const size_t start = c->pos;
    while (c->pos < c->end && cis((unsigned char)c->s[c->pos], C_TOKEN))
        c->pos++;
    return mkslice(c->s + start, c->s + c->pos);
}

static sipmsg_code fail(sipmsg_error *err, sipmsg_code code, size_t offset,
                        const char *msg)
{
    return seterr(err, code, offset, -1, msg);
}

/* One byte (or fold) inside a quoted string, at c->pos, which is < end:
 *   qdtext      = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
 * Advances past it, or reports why it is not allowed. */
static sipmsg_code quoted_step(cursor *c, sipmsg_error *err)
{
    const unsigned char ch = (unsigned char)c->s[c->pos];
    if (ch == '\\') {
        if (c->pos + 1 >= c->end)
            return fail(err, SIPMSG_E_QUOTE, c->pos, "backslash at the end");
        const unsigned char next = (unsigned char)c->s[c->pos + 1];
        /* stricter than the ABNF: no escaped control bytes (NUL ...),
         * which could only smuggle them into a header */
        if ((next < 0x20 && next != '\t') || next >= 0x7f)
            return fail(err, SIPMSG_E_QUOTE, c->pos, "bad quoted-pair");
        c->pos += 2;
        return SIPMSG_OK;
    }
    if (ch == '\r') {
        if (skip_sws(c) == 0)
            return fail(err, SIPMSG_E_AUTH, c->pos, "CR in a quoted string");
        return SIPMSG_OK;
    }
    if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
        return fail(err, SIPMSG_E_AUTH, c->pos,
                    "control character in a quoted string");
    c->pos++;
    return SIPMSG_OK;
}

/* quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE
 * c->pos is on the opening quote; *inner gets the text between the quotes. */
static sipmsg_code read_quoted(cursor *c, sipmsg_slice *inner,
                               sipmsg_error *err)
{
    const size_t open = c->pos++;
    while (c->pos < c->end && c->s[c->pos] != '"') {
        if (c->pos - open > SIPMSG_AUTH_MAX_VALUE)
            return fail(err, SIPMSG_E_AUTH, open, "parameter value too long");
        const sipmsg_code rc = quoted_step(c, err);
        if (rc != SIPMSG_OK)
            return rc;
    }
    if (c->pos >= c->end)
        return fail(err, SIPMSG_E_QUOTE, open, "unterminated quoted string");
    *inner = mkslice(c->s + open + 1, c->s + c->pos);
    c->pos++;
    if (inner->len > SIPMSG_AUTH_MAX_VALUE)
        return fail(err, SIPMSG_E_AUTH, open, "parameter value too long");
    return SIPMSG_OK;
}

/* auth-param = auth-param-name EQUAL ( token / quoted-string )
 * auth-param-name = token
 * c->pos is on the name. */
static sipmsg_code read_param(cursor *c, sipmsg_auth_param *p,
                              sipmsg_error *err)
{
    p->name = read_token(c);
    if (p->name.len == 0)
        return fail(err, SIPMSG_E_AUTH, c->pos, "parameter name expected");
    skip_sws(c);
    if (!at(c, '='))
        return fail(err, SIPMSG_E_AUTH, c->pos, "'=' expected after name");
    c->pos++;
    skip_sws(c);
    p->quoted = at(c, '"');
    if (p->quoted)
        return read_quoted(c, &p->value, err);
    const size_t start = c->pos;
    p->value = read_token(c);
    if (p->value.len == 0)
        return fail(err, SIPMSG_E_AUTH, c->pos, "parameter value expected");
    if (p->value.len > SIPMSG_AUTH_MAX_VALUE)
        return fail(err, SIPMSG_E_AUTH, start, "parameter value too long");
    return SIPMSG_OK;
}

/* Skips SWS and any run of COMMA (empty list elements are tolerated, as
 * HTTP's #rule asks). Returns whether at least one comma was seen. */
static int skip_commas(cursor *c)
{
    int seen = 0;
    skip_sws(c);
    while (at(c, ',')) {
        c->pos++;
        seen = 1;
        skip_sws(c);
    }
    return seen;
}

/* After a parameter: COMMA and another parameter of this challenge (*more
 * = 1), or the end, or COMMA and the next challenge's scheme (*more = 0,
 * c->pos on that scheme). The next challenge starts where a token is
 * followed by LWS and not by "=". */
static sipmsg_code param_sep(cursor *c, int *more, sipmsg_error *err)
{
    *more = 0;
    skip_sws(c);
    if (c->pos == c->end)
        return SIPMSG_OK;
    if (!at(c, ','))
        return fail(err, SIPMSG_E_AUTH, c->pos, "',' expected");
    skip_commas(c);
    if (c->pos == c->end)
        return SIPMSG_OK;
    cursor look = *c;
    if (read_token(&look).len == 0)
        return fail(err, SIPMSG_E_AUTH, c->pos, "parameter name expected");
    const size_t ws = skip_sws(&look);
    if (at(&look, '=')) {
        *more = 1;
        return SIPMSG_OK;
    }
    if (ws > 0 && look.pos < look.end && !at(&look, ','))
        return SIPMSG_OK; /* the next challenge */
    return fail(err, SIPMSG_E_AUTH, look.pos, "parameter without a value");
}

/* ---- scanning one challenge or credentials -------------------------------- */

enum { MAX_FIELDS = 12 };

/* What the scan collects: the scheme, the raw params, and the values of
 * the named parameters of `names` (NULL for schemes other than Digest). */
typedef struct auth_scan {
    size_t start;       /* offset of the scheme, for errors */
    sipmsg_slice scheme;
    sipmsg_slice params;
    unsigned count;
    unsigned other;
    const char *const *names;
    unsigned nnames;
    sipmsg_slice vals[MAX_FIELDS];
    size_t offs[MAX_FIELDS];                   /* value offsets, for errors */
    sipmsg_slice seen[SIPMSG_AUTH_MAX_PARAMS]; /* names, for duplicates */
} auth_scan;

static int slice_caseeq(sipmsg_slice a, sipmsg_slice b)
{
    return a.len == b.len && sipmsg_memcaseeq_(a.ptr, b.ptr, a.len);
}

/* Records one parameter: rejects duplicates (any case) and overflow. */
static sipmsg_code record_param(auth_scan *sc, const sipmsg_auth_param *p,
                                size_t offset, sipmsg_error *err)
{
    if (sc->count >= SIPMSG_AUTH_MAX_PARAMS)
        return fail(err, SIPMSG_E_AUTH, offset, "too many parameters");
    for (unsigned i = 0; i < sc->count; i++)
        if (slice_caseeq(sc->seen[i], p->name))
            return fail(err, SIPMSG_E_AUTH, offset, "duplicate parameter");
    sc->seen[sc->count++] = p->name;
    for (unsigned i = 0; i < sc->nnames; i++) {
        if (sipmsg_slice_eq(p->name, sc->names[i])) {
            sc->vals[i] = p->value;
            sc->offs[i] = (size_t)(p->value.ptr - p->name.ptr) + offset;
            return SIPMSG_OK;
        }
    }
    sc->other++;
    return SIPMSG_OK;
}

/* challenge   = auth-scheme LWS auth-param *(COMMA auth-param)
 * credentials = auth-scheme LWS auth-param *(COMMA auth-param)
 * (RFC 3261 25.1, with "Digest" as one auth-scheme). Reads from c->pos to
 * the end of this challenge; `names` is the table for Digest. */
static sipmsg_code scan_auth(cursor *c, auth_scan *sc,
                             const char *const *names, unsigned nnames,
                             sipmsg_error *err)
{
    sc->start = c->pos;
    sc->scheme = read_token(c);
    if (sc->scheme.len == 0)
        return fail(err, SIPMSG_E_AUTH, c->pos, "auth-scheme expected");
    if (sipmsg_slice_eq(sc->scheme, "Digest")) {
        sc->names = names;
        sc->nnames = nnames;
    }
    if (skip_sws(c) == 0 || c->pos == c->end || at(c, ','))
        return fail(err, SIPMSG_E_AUTH, c->pos,
                    "parameters expected after the scheme");
    const size_t first = c->pos;
    size_t last = first;
    int more = 1;
    while (more) {
        sipmsg_auth_param p;
        const size_t at_name = c->pos;
        sipmsg_code rc = read_param(c, &p, err);
        if (rc == SIPMSG_OK)
            rc = record_param(sc, &p, at_name, err);
        if (rc != SIPMSG_OK)
            return rc;
        last = c->pos;
        rc = param_sep(c, &more, err);
        if (rc != SIPMSG_OK)
            return rc;
    }
    sc->params = mkslice(c->s + first, c->s + last);
    return SIPMSG_OK;
}

/* ---- field decoding ------------------------------------------------------- */

static const char *const alg_names[] = {
    NULL, "MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256",
    "SHA-512-256-sess",
};

sipmsg_digest_alg sipmsg_digest_alg_lookup(sipmsg_slice name)
{
    if (!name.ptr)
        return SIPMSG_DIGEST_MD5;
    for (unsigned i = 1; i < sizeof alg_names / sizeof alg_names[0]; i++)
        if (sipmsg_slice_eq(name, alg_names[i]))
            return (sipmsg_digest_alg)i;
    return SIPMSG_DIGEST_UNKNOWN;
}

const char *sipmsg_digest_alg_name(sipmsg_digest_alg alg)
{
    if ((unsigned)alg < sizeof alg_names / sizeof alg_names[0])
        return alg_names[alg];
    return NULL;
}

/* qop-value = "auth" / "auth-int" / token */
static unsigned qop_bit(sipmsg_slice tok)
{
    if (sipmsg_slice_eq(tok, "auth"))
        return SIPMSG_QOP_AUTH;
    if (sipmsg_slice_eq(tok, "auth-int"))
        return SIPMSG_QOP_AUTH_INT;
    return SIPMSG_QOP_OTHER;
}

/* qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
 * (LWS around the commas tolerated: RFC 7616 writes "auth, auth-int").
 * `v` is the text between the quotes; `base` its offset for errors. */
static sipmsg_code qop_list(sipmsg_slice v, size_t base, unsigned *mask,
                            sipmsg_error *err)
{
    cursor c = {v.ptr, v.len, 0};
    *mask = 0;
    for (;;) {
        skip_sws(&c);
        const sipmsg_slice tok = read_token(&c);
        if (tok.len == 0)
            return fail(err, SIPMSG_E_AUTH, base + c.pos, "bad qop list");
        *mask |= qop_bit(tok);
        skip_sws(&c);
        if (c.pos == c.end)
            return SIPMSG_OK;
        if (!at(&c, ','))
            return fail(err, SIPMSG_E_AUTH, base + c.pos, "bad qop list");
        c.pos++;
    }
}

/* stale = "stale" EQUAL ( "true" / "false" ), any case; also userhash
 * (RFC 7616). An absent value is false. */
static sipmsg_code boolean(sipmsg_slice v, size_t offset, int *out,
                           sipmsg_error *err)
{
    *out = 0;
    if (!v.ptr || sipmsg_slice_eq(v, "false"))
        return SIPMSG_OK;
    if (sipmsg_slice_eq(v, "true")) {
        *out = 1;
        return SIPMSG_OK;
    }
    return fail(err, SIPMSG_E_AUTH, offset, "expected true or false");
}

/* digest-cln = realm / domain / nonce / opaque / stale / algorithm
 *            / qop-options / auth-param   (RFC 3261 25.1; charset and
 * userhash from RFC 7616 3.3) */
enum {
    CH_REALM, CH_DOMAIN, CH_NONCE, CH_OPAQUE, CH_STALE, CH_ALGORITHM,
    CH_QOP, CH_CHARSET, CH_USERHASH, CH_COUNT
};
static const char *const challenge_names[CH_COUNT] = {
    "realm", "domain", "nonce", "opaque", "stale", "algorithm",
    "qop", "charset", "userhash",
};

static sipmsg_code fill_challenge(const auth_scan *sc, sipmsg_challenge *ch,
                                  sipmsg_error *err)
{
    ch->scheme = sc->scheme;
    ch->params = sc->params;
    ch->param_count = sc->count;
    ch->is_digest = sc->names != NULL;
    ch->alg = SIPMSG_DIGEST_MD5;
    if (!ch->is_digest)
        return SIPMSG_OK;
    ch->other_count = sc->other;
    ch->realm = sc->vals[CH_REALM];
    ch->domain = sc->vals[CH_DOMAIN];
    ch->nonce = sc->vals[CH_NONCE];
    ch->opaque = sc->vals[CH_OPAQUE];
    ch->algorithm = sc->vals[CH_ALGORITHM];
    ch->qop = sc->vals[CH_QOP];
    ch->charset = sc->vals[CH_CHARSET];
    ch->alg = sipmsg_digest_alg_lookup(ch->algorithm);
    if (!ch->realm.ptr || !ch->nonce.ptr)
        return fail(err, SIPMSG_E_AUTH, sc->start,
                    "Digest challenge without realm or nonce");
    sipmsg_code rc = boolean(sc->vals[CH_STALE], sc->offs[CH_STALE],
                             &ch->stale, err);
    if (rc == SIPMSG_OK)
        rc = boolean(sc->vals[CH_USERHASH], sc->offs[CH_USERHASH],
                     &ch->userhash, err);
    if (rc == SIPMSG_OK && ch->qop.ptr)
        rc = qop_list(ch->qop, sc->offs[CH_QOP], &ch->qop_mask, err);
    return rc;
}

sipmsg_code sipmsg_challenge_next(sipmsg_slice value, size_t *pos,
                                  sipmsg_challenge *out, sipmsg_error *err)
{
    if (!value.ptr || !pos || !out || *pos > value.len)
        return fail(err, SIPMSG_E_NOT_FOUND, 0, "no challenge");
    cursor c = {value.ptr, value.len, *pos};
    skip_commas(&c);
    if (c.pos == c.end)
        return fail(err, SIPMSG_E_NOT_FOUND, c.pos, "no more challenges");
    const sipmsg_challenge none = {0};
    auth_scan sc = {0};
    *out = none;
    sipmsg_code rc = scan_auth(&c, &sc, challenge_names, CH_COUNT, err);
    if (rc == SIPMSG_OK)
        rc = fill_challenge(&sc, out, err);
    if (rc != SIPMSG_OK) {
        *out = none;
        return rc;
    }
    *pos = c.pos;
    return SIPMSG_OK;
}

/* dig-resp = username / realm / nonce / digest-uri / dresponse / algorithm
 *          / cnonce / opaque / message-qop / nonce-count / auth-param
 * (RFC 3261 25.1; userhash from RFC 7616 3.4) */
enum {
    CR_USERNAME, CR_REALM, CR_NONCE, CR_URI, CR_RESPONSE, CR_ALGORITHM,
    CR_CNONCE, CR_OPAQUE, CR_QOP, CR_NC, CR_USERHASH, CR_COUNT
};
static const char *const credentials_names[CR_COUNT] = {
    "username", "realm", "nonce", "uri", "response", "algorithm",
    "cnonce", "opaque", "qop", "nc", "userhash",
};

static int all_hex(sipmsg_slice v)
{
    for (size_t i = 0; i < v.len; i++)
        if (!cis((unsigned char)v.ptr[i], C_HEX))
            return 0;
    return 1;
}

static unsigned hex_value(char ch)
{
    const unsigned char u = lower((unsigned char)ch);
    return u <= '9' ? (unsigned)(u - '0') : (unsigned)(u - 'a' + 10);
}

/* nc-value = 8LHEX (upper-case hex accepted too) */
static sipmsg_code nonce_count(sipmsg_slice v, size_t offset, uint32_t *out,
                               sipmsg_error *err)
{
    *out = 0;
    if (v.len != 8 || !all_hex(v))
        return fail(err, SIPMSG_E_AUTH, offset, "nc must be 8 hex digits");
    for (size_t i = 0; i < 8; i++)
        *out = (*out << 4) | hex_value(v.ptr[i]);
    return SIPMSG_OK;
}

static void copy_credentials(const auth_scan *sc, sipmsg_credentials *cr)
{
    cr->username = sc->vals[CR_USERNAME];
    cr->realm = sc->vals[CR_REALM];
    cr->nonce = sc->vals[CR_NONCE];
    cr->uri = sc->vals[CR_URI];
    cr->response = sc->vals[CR_RESPONSE];
    cr->algorithm = sc->vals[CR_ALGORITHM];
    cr->cnonce = sc->vals[CR_CNONCE];
    cr->opaque = sc->vals[CR_OPAQUE];
    cr->qop = sc->vals[CR_QOP];
    cr->nc = sc->vals[CR_NC];
    cr->userhash = sc->vals[CR_USERHASH];
}

static sipmsg_code fill_credentials(const auth_scan *sc,
                                    sipmsg_credentials *cr, sipmsg_error *err)
{
    cr->scheme = sc->scheme;
    cr->params = sc->params;
    cr->param_count = sc->count;
    cr->is_digest = sc->names != NULL;
    cr->alg = SIPMSG_DIGEST_MD5;
    if (!cr->is_digest)
        return SIPMSG_OK;
    cr->other_count = sc->other;
    copy_credentials(sc, cr);
    cr->alg = sipmsg_digest_alg_lookup(cr->algorithm);
    if (!cr->username.ptr || !cr->realm.ptr || !cr->nonce.ptr ||
        !cr->uri.ptr || !cr->response.ptr)
        return fail(err, SIPMSG_E_AUTH, sc->start,
                    "Digest credentials without username, realm, nonce, "
                    "uri or response");
    if (!all_hex(cr->response))
        return fail(err, SIPMSG_E_AUTH, sc->offs[CR_RESPONSE],
                    "response is not hex");
    if (cr->qop.ptr) {
        cr->qop_kind = qop_bit(cr->qop);
        if (!cr->cnonce.ptr || !cr->nc.ptr)
            return fail(err, SIPMSG_E_AUTH, sc->offs[CR_QOP],
                        "qop without cnonce and nc");
    }
    if (cr->nc.ptr) {
        const sipmsg_code rc =
            nonce_count(cr->nc, sc->offs[CR_NC], &cr->nc_value, err);
        if (rc != SIPMSG_OK)
            return rc;
    }
    return boolean(cr->userhash, sc->offs[CR_USERHASH], &cr->is_userhash,
                   err);
}

sipmsg_code sipmsg_credentials_parse(sipmsg_slice value,
                                     sipmsg_credentials *out,
                                     sipmsg_error *err)
{
    if (!out)
        return fail(err, SIPMSG_E_AUTH, 0, "no output");
    const sipmsg_credentials none = {0};
    *out = none;
    if (!value.ptr)
        return fail(err, SIPMSG_E_AUTH, 0, "no credentials");
    cursor c = {value.ptr, value.len, 0};
    skip_sws(&c);
    auth_scan sc = {0};
    sipmsg_code rc = scan_auth(&c, &sc, credentials_names, CR_COUNT, err);
    if (rc == SIPMSG_OK && c.pos != c.end)
        rc = fail(err, SIPMSG_E_AUTH, c.pos, "text after the credentials");
    if (rc == SIPMSG_OK)
        rc = fill_credentials(&sc, out, err);
    if (rc != SIPMSG_OK)
        *out = none;
    return rc;
}

/* ---- parameter access ------------------------------------------------------ */

sipmsg_code sipmsg_auth_param_next(sipmsg_slice params, size_t *pos,
                                   sipmsg_auth_param *out)
{
    if (!params.ptr || !pos || !out || *pos > params.len)
        return SIPMSG_E_NOT_FOUND;
    cursor c = {params.ptr, params.len, *pos};
    skip_commas(&c);
    if (c.pos == c.end)
        return SIPMSG_E_NOT_FOUND;
    const sipmsg_code rc = read_param(&c, out, NULL);
    if (rc == SIPMSG_OK)
        *pos = c.pos;
    return rc;
}

sipmsg_slice sipmsg_auth_param_get(sipmsg_slice params, const char *name)
{
    const sipmsg_slice none = {NULL, 0};
    sipmsg_auth_param p;
    size_t pos = 0;
    while (sipmsg_auth_param_next(params, &pos, &p) == SIPMSG_OK)
        if (sipmsg_slice_eq(p.name, name))
            return p.value;
    return none;
}

size_t sipmsg_auth_unquote(sipmsg_slice value, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; value.ptr && i < value.len; i++, n++) {
        if (value.ptr[i] == '\\' && i + 1 < value.len)
            i++;
        if (out && n + 1 < cap)
            out[n] = value.ptr[i];
    }
    if (out && cap > 0)
        out[n < cap ? n : cap - 1] = '\0';
    return n;
}

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

static int is_sess(sipmsg_digest_alg alg)
{
    return alg == SIPMSG_DIGEST_MD5_SESS || alg == SIPMSG_DIGEST_SHA256_SESS ||
           alg == SIPMSG_DIGEST_SHA512_256_SESS;
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

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15u];
    }
    out[2 * n] = '\0';
}

/* hex = lower-hex( H( parts[0] ":" parts[1] ":" ... ) ) */
static void hash_join(sipmsg_digest_alg alg, const text *parts, size_t n,
                      char *hex)
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
        if (p->ha1.len != n || !all_hex(p->ha1))
            return fail(err, SIPMSG_E_AUTH, 0, "ha1 is not hex of the right size");
        for (size_t i = 0; i < n; i++)
            hex[i] = (char)lower((unsigned char)p->ha1.ptr[i]);
        hex[n] = '\0';
    } else {
        const text a1[3] = {p->username, p->realm, p->password};
        hash_join(p->alg, a1, 3, hex);
    }
    if (is_sess(p->alg)) {
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
static sipmsg_code response_hex(const digest_parts *p, char *hex,
                                sipmsg_error *err)
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
        const text kd[6] = {plain(s1), p->nonce, p->nc, p->cnonce, p->qop,
                            plain(s2)};
        hash_join(p->alg, kd, 6, hex);
    }
    return SIPMSG_OK;
}

/* ---- client ---------------------------------------------------------------- */

/* Control bytes other than HTAB cannot go into a header value. */
static int has_ctl(sipmsg_slice s)
{
    for (size_t i = 0; s.ptr && i < s.len; i++)
        if (cis((unsigned char)s.ptr[i], C_CTL) && s.ptr[i] != '\t')
            return 1;
    return 0;
}

/* The qop to use: see sipmsg_digest_input.qop. */
static sipmsg_code pick_qop(const sipmsg_challenge *ch, unsigned want,
                            unsigned *qop, sipmsg_error *err)
{
    const unsigned usable = SIPMSG_QOP_AUTH | SIPMSG_QOP_AUTH_INT;
    *qop = 0;
    if (want != 0 && (want & ~usable || (want & (want - 1)) != 0))
        return fail(err, SIPMSG_E_AUTH_QOP, 0, "qop must be auth or auth-int");
    if (!ch->qop.ptr) {
        if (want != 0)
            return fail(err, SIPMSG_E_AUTH_QOP, 0, "challenge offers no qop");
        return SIPMSG_OK; /* RFC 2069 */
    }
    if (want == 0)
        want = (ch->qop_mask & SIPMSG_QOP_AUTH) ? SIPMSG_QOP_AUTH
                                                 : SIPMSG_QOP_AUTH_INT;
    if (!(ch->qop_mask & want))
        return fail(err, SIPMSG_E_AUTH_QOP, 0, "qop not offered");
    *qop = want;
    return SIPMSG_OK;
}

static sipmsg_code check_input(const sipmsg_digest_input *in,
                               sipmsg_error *err)
{
    if (!in || !in->challenge || !in->challenge->is_digest)
        return fail(err, SIPMSG_E_AUTH, 0, "not a Digest challenge");
    if (in->challenge->alg == SIPMSG_DIGEST_UNKNOWN)
        return fail(err, SIPMSG_E_AUTH_ALGORITHM, 0, NULL);
    if (!in->username.ptr || !in->method.ptr || !in->uri.ptr ||
        (!in->password.ptr && !in->ha1.ptr))
        return fail(err, SIPMSG_E_AUTH, 0,
                    "username, password or ha1, method and uri are needed");
    if (has_ctl(in->username) || has_ctl(in->method) || has_ctl(in->uri) ||
        has_ctl(in->cnonce))
        return fail(err, SIPMSG_E_BAD_TEXT, 0, NULL);
    return SIPMSG_OK;
}

/* Fills res->cnonce (when generated) and res->nc for a qop response. */
static sipmsg_code client_nonces(const sipmsg_digest_input *in,
                                 sipmsg_digest_result *res, sipmsg_error *err)
{
    uint32_t nc = in->nc ? in->nc : 1u;
    for (int i = 7; i >= 0; i--, nc >>= 4)
        res->nc[i] = "0123456789abcdef"[nc & 15u];
    res->nc[8] = '\0';
    if (in->cnonce.ptr)
        return SIPMSG_OK;
    unsigned char rnd[SIPMSG_DIGEST_CNONCE_BYTES];
    if (!in->rand)
        return fail(err, SIPMSG_E_AUTH, 0, "no cnonce and no random source");
    if (in->rand(in->rand_ctx, rnd, sizeof rnd) != 0)
        return fail(err, SIPMSG_E_AUTH, 0, "random source failed");
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
        return fail(err, SIPMSG_E_AUTH, 0, "no result");
    *res = none;
    sipmsg_code rc = check_input(in, err);
    if (rc == SIPMSG_OK)
        rc = pick_qop(in->challenge, in->qop, &res->qop, err);
    if (rc == SIPMSG_OK && !res->qop && is_sess(in->challenge->alg))
        rc = fail(err, SIPMSG_E_AUTH_QOP, 0, "a -sess algorithm needs qop");
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
                            const sipmsg_digest_result *res, char *buf,
                            size_t cap)
{
    outbuf o = {buf, buf ? cap : 0, 0};
    if (!in || !in->challenge || !res)
        return 0;
    const sipmsg_challenge *ch = in->challenge;
    const text user = ch->userhash ? plain(sipmsg_slice_of(res->username_hash))
                                   : plain(in->username);
    put_str(&o, "Digest username=\"");
    put_escaped(&o, user.s);
    put(&o, "\"", 1);
    put_param(&o, "realm", wire(ch->realm), 1);
    if (res->qop)
        put_param(&o, "qop", plain(sipmsg_slice_of(
                                 res->qop == SIPMSG_QOP_AUTH ? "auth" : "auth-int")), 0);
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

size_t sipmsg_digest_authorize(const sipmsg_digest_input *in, char *buf,
                               size_t cap, sipmsg_error *err)
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
        diff |= (unsigned)(((unsigned char)a[i] | 0x20u) ^
                           ((unsigned char)b[i] | 0x20u));
    return diff == 0;
}

static sipmsg_code check_credentials(const sipmsg_digest_check *chk,
                                     sipmsg_error *err)
{
    const sipmsg_credentials *c = chk ? chk->credentials : NULL;
    if (!c || !c->is_digest || !c->username.ptr || !c->realm.ptr ||
        !c->nonce.ptr || !c->uri.ptr || !c->response.ptr || !chk->method.ptr)
        return fail(err, SIPMSG_E_AUTH, 0, "incomplete Digest credentials");
    if (c->alg == SIPMSG_DIGEST_UNKNOWN)
        return fail(err, SIPMSG_E_AUTH_ALGORITHM, 0, NULL);
    if (c->qop.ptr && c->qop_kind != SIPMSG_QOP_AUTH &&
        c->qop_kind != SIPMSG_QOP_AUTH_INT)
        return fail(err, SIPMSG_E_AUTH_QOP, 0, "unknown qop");
    if ((c->qop.ptr || is_sess(c->alg)) && (!c->cnonce.ptr || !c->nc.ptr))
        return fail(err, SIPMSG_E_AUTH, 0, "cnonce and nc are needed");
    if (c->response.len != hex_len(c->alg) || !all_hex(c->response))
        return fail(err, SIPMSG_E_AUTH, 0, "response of the wrong length");
    if (!chk->password.ptr && !chk->ha1.ptr)
        return fail(err, SIPMSG_E_AUTH, 0, "no password and no ha1");
    if (c->is_userhash && !chk->username.ptr)
        return fail(err, SIPMSG_E_AUTH, 0, "userhash needs the plain username");
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
    return c->username.len == strlen(hex) && all_hex(c->username) &&
           hex_equal_ct(hex, c->username.ptr, c->username.len);
}

sipmsg_code sipmsg_digest_verify(const sipmsg_digest_check *chk,
                                 sipmsg_error *err)
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
        return fail(err, SIPMSG_E_AUTH_MISMATCH, 0, NULL);
    if (chk->stale ||
        (chk->nonce_stale && chk->nonce_stale(chk->nonce_ctx, c->nonce,
                                              c->nc_value)))
        return fail(err, SIPMSG_E_AUTH_STALE, 0, NULL);
    return SIPMSG_OK;
}

/* ---- choosing a challenge ----------------------------------------------------- */

/* Strength of a usable challenge (1-6), or 0 when it cannot be answered. */
static int strength(const sipmsg_challenge *ch)
{
    static const int rank[] = {0, 2, 1, 4, 3, 6, 5};
    if (!ch->is_digest || (unsigned)ch->alg >= sizeof rank / sizeof rank[0])
        return 0;
    if (ch->qop.ptr &&
        !(ch->qop_mask & (SIPMSG_QOP_AUTH | SIPMSG_QOP_AUTH_INT)))
        return 0;
    if (!ch->qop.ptr && is_sess(ch->alg))
        return 0;
    return rank[ch->alg];
}

/* Why no challenge was usable: the most telling reason wins. */
static int reason_weight(sipmsg_code code)
{
    switch (code) {
    case SIPMSG_E_AUTH_ALGORITHM: return 3;
    case SIPMSG_E_AUTH_QOP: return 2;
    case SIPMSG_E_NOT_FOUND: return 0;
    default: return 1;
    }
}

/* The best so far of a search over one or more header values. */
typedef struct best_search {
    sipmsg_challenge best;
    int key;             /* strength * 2 + preferred kind; 0 when none */
    sipmsg_code why;     /* when key is 0 */
    sipmsg_error why_err;
    size_t header;
} best_search;

static void note_failure(best_search *bs, sipmsg_code code,
                         const sipmsg_error *e)
{
    if (reason_weight(code) > reason_weight(bs->why)) {
        bs->why = code;
        bs->why_err = *e;
    }
}

/* Looks at every challenge of one header value. `bonus` (0 or 1) favours
 * the kind of header that matches the status on equal strength. */
static void search_value(best_search *bs, sipmsg_slice value, int bonus,
                         size_t header)
{
    size_t pos = 0;
    for (;;) {
        sipmsg_challenge ch;
        sipmsg_error e = {SIPMSG_OK, -1, 0, NULL};
        const sipmsg_code rc = sipmsg_challenge_next(value, &pos, &ch, &e);
        if (rc == SIPMSG_E_NOT_FOUND)
            return;
        e.header = header == SIPMSG_NONE ? -1 : (int)header;
        if (rc != SIPMSG_OK) {
            note_failure(bs, rc, &e);
            return;
        }
        const int s = strength(&ch);
        if (s == 0) {
            const sipmsg_code why = !ch.is_digest ? SIPMSG_E_NOT_FOUND
                                    : ch.alg == SIPMSG_DIGEST_UNKNOWN
                                        ? SIPMSG_E_AUTH_ALGORITHM
                                        : SIPMSG_E_AUTH_QOP;
            e.code = why;
            e.msg = sipmsg_strerror(why);
            note_failure(bs, why, &e);
        } else if (s * 2 + bonus > bs->key) {
            bs->key = s * 2 + bonus;
            bs->best = ch;
            bs->header = header;
        }
    }
}

static sipmsg_code search_result(const best_search *bs, sipmsg_error *err)
{
    if (bs->key > 0)
        return SIPMSG_OK;
    if (err) {
        *err = bs->why_err;
        if (bs->why == SIPMSG_E_NOT_FOUND || !err->msg)
            err->msg = "no usable Digest challenge";
        err->code = bs->why;
    }
    return bs->why;
}

static void search_init(best_search *bs)
{
    const best_search none = {0};
    *bs = none;
    bs->why = SIPMSG_E_NOT_FOUND;
    bs->why_err.code = SIPMSG_E_NOT_FOUND;
    bs->why_err.header = -1;
}

sipmsg_code sipmsg_challenge_best(sipmsg_slice value, sipmsg_challenge *out,
                                  sipmsg_error *err)
{
    best_search bs;
    search_init(&bs);
    search_value(&bs, value, 0, SIPMSG_NONE);
    const sipmsg_code rc = search_result(&bs, err);
    if (out)
        *out = bs.best;
    return rc;
}

sipmsg_hdr_id sipmsg_digest_credentials_header(const sipmsg_msg *response)
{
    if (!response || response->is_request)
        return SIPMSG_HDR_OTHER;
    if (response->status_code == 401)
        return SIPMSG_HDR_AUTHORIZATION;
    if (response->status_code == 407)
        return SIPMSG_HDR_PROXY_AUTHORIZATION;
    return SIPMSG_HDR_OTHER;
}

sipmsg_code sipmsg_digest_choose(const sipmsg_msg *response,
                                 sipmsg_digest_choice *out,
                                 sipmsg_error *err)
{
    if (!response || response->is_request || !out)
        return fail(err, SIPMSG_E_STATE, 0, "not a response");
    const sipmsg_hdr_id wanted =
        response->status_code == 407 ? SIPMSG_HDR_PROXY_AUTHENTICATE
                                : SIPMSG_HDR_WWW_AUTHENTICATE;
    best_search bs;
    search_init(&bs);
    for (size_t i = 0; i < response->count; i++) {
        const sipmsg_header *h = &response->headers[i];
        if (h->id == SIPMSG_HDR_WWW_AUTHENTICATE ||
            h->id == SIPMSG_HDR_PROXY_AUTHENTICATE)
            search_value(&bs, h->value, h->id == wanted, i);
    }
    const sipmsg_digest_choice none = {0};
    *out = none;
    const sipmsg_code rc = search_result(&bs, err);
    if (rc != SIPMSG_OK)
        return rc;
    out->challenge = bs.best;
    out->header = bs.header;
    out->challenge_header = (sipmsg_hdr_id)response->headers[bs.header].id;
    out->credentials_header =
        out->challenge_header == SIPMSG_HDR_PROXY_AUTHENTICATE
            ? SIPMSG_HDR_PROXY_AUTHORIZATION
            : SIPMSG_HDR_AUTHORIZATION;
    return SIPMSG_OK;
}
