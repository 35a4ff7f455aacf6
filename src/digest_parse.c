/*
 * digest_parse.c - Digest challenges and credentials read from header
 * values (RFC 3261 22.4 and 25.1, RFC 2617 3.2, RFC 7616 3.4, RFC 8760 2),
 * and the choice of the strongest challenge of a 401 or 407. Built on the
 * shared lexer (lex.h): one quoted-string scanner, one token scan.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Parsing walks the value once with a cursor, never past its end, and
 * keeps slices.
 */
#include "digest_internal.h"

#include "headers.h"
#include "hex.h"
#include "lex.h"
#include "mem.h"

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

/* LWS = [*WSP CRLF] 1*WSP ; SWS = [LWS]. Skips SWS (folds included) and
 * returns the number of bytes skipped. */
static size_t skip_sws(cursor *c)
{
    const char *p = c->s + c->pos;
    const size_t n = (size_t)(sipmsg_skip_sws_strict_(p, c->s + c->end) - p);
    c->pos += n;
    return n;
}

/* token: a possibly empty run of token bytes. */
static sipmsg_slice read_token(cursor *c)
{
    const char *p = c->s + c->pos, *t = scan_class(p, c->s + c->end, C_TOKEN);
    c->pos = (size_t)(t - c->s);
    return mkslice(p, t);
}

/* quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, read by the
 * shared scanner (lex.c). c->pos is on the opening quote; *inner gets the
 * text between the quotes. */
static sipmsg_code read_quoted(cursor *c, sipmsg_slice *inner, sipmsg_error *err)
{
    const size_t open = c->pos;
    const char *bad, *q;
    sipmsg_quoted_why why;
    q = sipmsg_quoted_scan_(c->s + open, c->s + c->end, &bad, &why);
    if (!q) {
        const size_t at_ = (size_t)(bad - c->s);
        if (at_ - open > SIPMSG_AUTH_MAX_VALUE + 1)
            return digest_fail(err, SIPMSG_E_AUTH, open, "parameter value too long");
        switch (why) {
        case SIPMSG_QS_LONE_BACKSLASH:
            return digest_fail(err, SIPMSG_E_QUOTE, at_, "backslash at the end");
        case SIPMSG_QS_BAD_PAIR:
            return digest_fail(err, SIPMSG_E_QUOTE, at_, "bad quoted-pair");
        case SIPMSG_QS_BAD_CR:
            return digest_fail(err, SIPMSG_E_AUTH, at_, "CR in a quoted string");
        case SIPMSG_QS_CONTROL:
            return digest_fail(err, SIPMSG_E_AUTH, at_,
                               "control character in a quoted string");
        default:
            return digest_fail(err, SIPMSG_E_QUOTE, open, "unterminated quoted string");
        }
    }
    *inner = mkslice(c->s + open + 1, q - 1);
    c->pos = (size_t)(q - c->s);
    if (inner->len > SIPMSG_AUTH_MAX_VALUE)
        return digest_fail(err, SIPMSG_E_AUTH, open, "parameter value too long");
    return SIPMSG_OK;
}

/* auth-param = auth-param-name EQUAL ( token / quoted-string )
 * auth-param-name = token
 * c->pos is on the name. */
static sipmsg_code read_param(cursor *c, sipmsg_auth_param *p, sipmsg_error *err)
{
    p->name = read_token(c);
    if (p->name.len == 0)
        return digest_fail(err, SIPMSG_E_AUTH, c->pos, "parameter name expected");
    skip_sws(c);
    if (!at(c, '='))
        return digest_fail(err, SIPMSG_E_AUTH, c->pos, "'=' expected after name");
    c->pos++;
    skip_sws(c);
    p->quoted = at(c, '"');
    if (p->quoted)
        return read_quoted(c, &p->value, err);
    const size_t start = c->pos;
    p->value = read_token(c);
    if (p->value.len == 0)
        return digest_fail(err, SIPMSG_E_AUTH, c->pos, "parameter value expected");
    if (p->value.len > SIPMSG_AUTH_MAX_VALUE)
        return digest_fail(err, SIPMSG_E_AUTH, start, "parameter value too long");
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
        return digest_fail(err, SIPMSG_E_AUTH, c->pos, "',' expected");
    skip_commas(c);
    if (c->pos == c->end)
        return SIPMSG_OK;
    cursor look = *c;
    if (read_token(&look).len == 0)
        return digest_fail(err, SIPMSG_E_AUTH, c->pos, "parameter name expected");
    const size_t ws = skip_sws(&look);
    if (at(&look, '=')) {
        *more = 1;
        return SIPMSG_OK;
    }
    if (ws > 0 && look.pos < look.end && !at(&look, ','))
        return SIPMSG_OK; /* the next challenge */
    return digest_fail(err, SIPMSG_E_AUTH, look.pos, "parameter without a value");
}

/* ---- scanning one challenge or credentials -------------------------------- */

enum { MAX_FIELDS = 12 };

/* What the scan collects: the scheme, the raw params, and the values of
 * the named parameters of `names` (NULL for schemes other than Digest). */
typedef struct auth_scan {
    size_t start; /* offset of the scheme, for errors */
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
static sipmsg_code record_param(auth_scan *sc, const sipmsg_auth_param *p, size_t offset,
                                sipmsg_error *err)
{
    if (sc->count >= SIPMSG_AUTH_MAX_PARAMS)
        return digest_fail(err, SIPMSG_E_AUTH, offset, "too many parameters");
    for (unsigned i = 0; i < sc->count; i++)
        if (slice_caseeq(sc->seen[i], p->name))
            return digest_fail(err, SIPMSG_E_AUTH, offset, "duplicate parameter");
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
static sipmsg_code scan_auth(cursor *c, auth_scan *sc, const char *const *names,
                             unsigned nnames, sipmsg_error *err)
{
    sc->start = c->pos;
    sc->scheme = read_token(c);
    if (sc->scheme.len == 0)
        return digest_fail(err, SIPMSG_E_AUTH, c->pos, "auth-scheme expected");
    if (sipmsg_slice_eq(sc->scheme, "Digest")) {
        sc->names = names;
        sc->nnames = nnames;
    }
    if (skip_sws(c) == 0 || c->pos == c->end || at(c, ','))
        return digest_fail(err, SIPMSG_E_AUTH, c->pos,
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
    NULL, "MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess",
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
            return digest_fail(err, SIPMSG_E_AUTH, base + c.pos, "bad qop list");
        *mask |= qop_bit(tok);
        skip_sws(&c);
        if (c.pos == c.end)
            return SIPMSG_OK;
        if (!at(&c, ','))
            return digest_fail(err, SIPMSG_E_AUTH, base + c.pos, "bad qop list");
        c.pos++;
    }
}

/* stale = "stale" EQUAL ( "true" / "false" ), any case; also userhash
 * (RFC 7616). An absent value is false. */
static sipmsg_code boolean(sipmsg_slice v, size_t offset, int *out, sipmsg_error *err)
{
    *out = 0;
    if (!v.ptr || sipmsg_slice_eq(v, "false"))
        return SIPMSG_OK;
    if (sipmsg_slice_eq(v, "true")) {
        *out = 1;
        return SIPMSG_OK;
    }
    return digest_fail(err, SIPMSG_E_AUTH, offset, "expected true or false");
}

/* digest-cln = realm / domain / nonce / opaque / stale / algorithm
 *            / qop-options / auth-param   (RFC 3261 25.1; charset and
 * userhash from RFC 7616 3.3) */
enum {
    CH_REALM,
    CH_DOMAIN,
    CH_NONCE,
    CH_OPAQUE,
    CH_STALE,
    CH_ALGORITHM,
    CH_QOP,
    CH_CHARSET,
    CH_USERHASH,
    CH_COUNT
};
static const char *const challenge_names[CH_COUNT] = {
    "realm",     "domain", "nonce",   "opaque",   "stale",
    "algorithm", "qop",    "charset", "userhash",
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
        return digest_fail(err, SIPMSG_E_AUTH, sc->start,
                           "Digest challenge without realm or nonce");
    sipmsg_code rc = boolean(sc->vals[CH_STALE], sc->offs[CH_STALE], &ch->stale, err);
    if (rc == SIPMSG_OK)
        rc = boolean(sc->vals[CH_USERHASH], sc->offs[CH_USERHASH], &ch->userhash, err);
    if (rc == SIPMSG_OK && ch->qop.ptr)
        rc = qop_list(ch->qop, sc->offs[CH_QOP], &ch->qop_mask, err);
    return rc;
}

void sipmsg_challenge_iter_init(sipmsg_challenge_iter *it, sipmsg_slice value)
{
    it->value = value;
    it->pos = 0;
    it->failed = 0;
}

/* The start of a step of the challenge and auth-param iterators: -1 after
 * an error (reported again), 0 at the end (empty list elements skipped),
 * 1 with *c at the next item. */
static int iter_step(sipmsg_slice list, size_t *pos, sipmsg_code failed, cursor *c,
                     sipmsg_error *err)
{
    if (failed) {
        digest_fail(err, failed, *pos, "after an error");
        return -1;
    }
    if (!list.ptr || *pos >= list.len)
        return 0;
    c->s = list.ptr;
    c->end = list.len;
    c->pos = *pos;
    skip_commas(c);
    if (c->pos == c->end) {
        *pos = c->pos;
        return 0;
    }
    return 1;
}

int sipmsg_challenge_next(sipmsg_challenge_iter *it, sipmsg_challenge *out,
                          sipmsg_error *err)
{
    cursor c;
    int r = iter_step(it->value, &it->pos, it->failed, &c, err);
    if (r <= 0)
        return r;
    auth_scan sc;
    sipmsg_error local;
    sipmsg_fill_(out, 0, sizeof *out);
    sipmsg_fill_(&sc, 0, sizeof sc);
    sipmsg_code rc = scan_auth(&c, &sc, challenge_names, CH_COUNT, &local);
    if (rc == SIPMSG_OK)
        rc = fill_challenge(&sc, out, &local);
    if (rc != SIPMSG_OK) {
        sipmsg_fill_(out, 0, sizeof *out);
        it->failed = rc;
        if (err)
            *err = local;
        return -1;
    }
    it->pos = c.pos;
    return 1;
}

/* dig-resp = username / realm / nonce / digest-uri / dresponse / algorithm
 *          / cnonce / opaque / message-qop / nonce-count / auth-param
 * (RFC 3261 25.1; userhash from RFC 7616 3.4) */
enum {
    CR_USERNAME,
    CR_REALM,
    CR_NONCE,
    CR_URI,
    CR_RESPONSE,
    CR_ALGORITHM,
    CR_CNONCE,
    CR_OPAQUE,
    CR_QOP,
    CR_NC,
    CR_USERHASH,
    CR_COUNT
};
static const char *const credentials_names[CR_COUNT] = {
    "username", "realm",  "nonce", "uri", "response", "algorithm",
    "cnonce",   "opaque", "qop",   "nc",  "userhash",
};

/* nc-value = 8LHEX (upper-case hex accepted too) */
static sipmsg_code nonce_count(sipmsg_slice v, size_t offset, uint32_t *out,
                               sipmsg_error *err)
{
    *out = 0;
    if (v.len != 8 || !digest_all_hex(v))
        return digest_fail(err, SIPMSG_E_AUTH, offset, "nc must be 8 hex digits");
    for (size_t i = 0; i < 8; i++)
        *out = (*out << 4) | sipmsg_hex_value_((unsigned char)v.ptr[i]);
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

static sipmsg_code fill_credentials(const auth_scan *sc, sipmsg_credentials *cr,
                                    sipmsg_error *err)
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
    if (!cr->username.ptr || !cr->realm.ptr || !cr->nonce.ptr || !cr->uri.ptr ||
        !cr->response.ptr)
        return digest_fail(err, SIPMSG_E_AUTH, sc->start,
                           "Digest credentials without username, realm, nonce, "
                           "uri or response");
    if (!digest_all_hex(cr->response))
        return digest_fail(err, SIPMSG_E_AUTH, sc->offs[CR_RESPONSE],
                           "response is not hex");
    if (cr->qop.ptr) {
        cr->qop_kind = qop_bit(cr->qop);
        if (!cr->cnonce.ptr || !cr->nc.ptr)
            return digest_fail(err, SIPMSG_E_AUTH, sc->offs[CR_QOP],
                               "qop without cnonce and nc");
    }
    if (cr->nc.ptr) {
        const sipmsg_code rc = nonce_count(cr->nc, sc->offs[CR_NC], &cr->nc_value, err);
        if (rc != SIPMSG_OK)
            return rc;
    }
    return boolean(cr->userhash, sc->offs[CR_USERHASH], &cr->is_userhash, err);
}

sipmsg_code sipmsg_credentials_parse(sipmsg_slice value, sipmsg_credentials *out,
                                     sipmsg_error *err)
{
    if (!out)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "no output");
    sipmsg_fill_(out, 0, sizeof *out);
    if (!value.ptr)
        return digest_fail(err, SIPMSG_E_AUTH, 0, "no credentials");
    cursor c = {value.ptr, value.len, 0};
    skip_sws(&c);
    auth_scan sc;
    sipmsg_fill_(&sc, 0, sizeof sc);
    sipmsg_code rc = scan_auth(&c, &sc, credentials_names, CR_COUNT, err);
    if (rc == SIPMSG_OK && c.pos != c.end)
        rc = digest_fail(err, SIPMSG_E_AUTH, c.pos, "text after the credentials");
    if (rc == SIPMSG_OK)
        rc = fill_credentials(&sc, out, err);
    if (rc != SIPMSG_OK)
        sipmsg_fill_(out, 0, sizeof *out);
    return rc;
}

/* ---- parameter access ------------------------------------------------------ */

void sipmsg_auth_param_iter_init(sipmsg_auth_param_iter *it, sipmsg_slice params)
{
    it->params = params;
    it->pos = 0;
    it->failed = 0;
}

int sipmsg_auth_param_next(sipmsg_auth_param_iter *it, sipmsg_auth_param *out,
                           sipmsg_error *err)
{
    cursor c;
    int r = iter_step(it->params, &it->pos, it->failed, &c, err);
    if (r <= 0)
        return r;
    const sipmsg_code rc = read_param(&c, out, err);
    if (rc != SIPMSG_OK) {
        it->failed = rc;
        return -1;
    }
    it->pos = c.pos;
    return 1;
}

sipmsg_slice sipmsg_auth_param_get(sipmsg_slice params, const char *name)
{
    const sipmsg_slice none = {NULL, 0};
    sipmsg_auth_param p;
    sipmsg_auth_param_iter it;
    sipmsg_auth_param_iter_init(&it, params);
    while (sipmsg_auth_param_next(&it, &p, NULL) > 0)
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

/* ---- choosing a challenge ----------------------------------------------------- */

/* Strength of a usable challenge (1-6), or 0 when it cannot be answered. */
static int strength(const sipmsg_challenge *ch)
{
    static const int rank[] = {0, 2, 1, 4, 3, 6, 5};
    if (!ch->is_digest || (unsigned)ch->alg >= sizeof rank / sizeof rank[0])
        return 0;
    if (ch->qop.ptr && !(ch->qop_mask & (SIPMSG_QOP_AUTH | SIPMSG_QOP_AUTH_INT)))
        return 0;
    if (!ch->qop.ptr && digest_is_sess(ch->alg))
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
    int key;         /* strength * 2 + preferred kind; 0 when none */
    sipmsg_code why; /* when key is 0 */
    sipmsg_error why_err;
    size_t header;
} best_search;

static void note_failure(best_search *bs, sipmsg_code code, const sipmsg_error *e)
{
    if (reason_weight(code) > reason_weight(bs->why)) {
        bs->why = code;
        bs->why_err = *e;
    }
}

/* Looks at every challenge of one header value. `bonus` (0 or 1) favours
 * the kind of header that matches the status on equal strength. */
static void search_value(best_search *bs, sipmsg_slice value, int bonus, size_t header)
{
    sipmsg_challenge_iter it;
    sipmsg_challenge_iter_init(&it, value);
    for (;;) {
        sipmsg_challenge ch;
        sipmsg_error e = {SIPMSG_OK, -1, 0, NULL};
        const int r = sipmsg_challenge_next(&it, &ch, &e);
        if (r == 0)
            return;
        e.header = header == SIPMSG_NONE ? -1 : (int)header;
        if (r < 0) {
            note_failure(bs, e.code, &e);
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

sipmsg_code sipmsg_digest_choose(const sipmsg_msg *response, sipmsg_digest_choice *out,
                                 sipmsg_error *err)
{
    if (!response || response->is_request || !out)
        return digest_fail(err, SIPMSG_E_STATE, 0, "not a response");
    const sipmsg_hdr_id wanted = response->status_code == 407
                                     ? SIPMSG_HDR_PROXY_AUTHENTICATE
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
    out->credentials_header = out->challenge_header == SIPMSG_HDR_PROXY_AUTHENTICATE
                                  ? SIPMSG_HDR_PROXY_AUTHORIZATION
                                  : SIPMSG_HDR_AUTHORIZATION;
    return SIPMSG_OK;
}
