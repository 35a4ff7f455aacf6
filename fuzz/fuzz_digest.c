/*
 * fuzz_digest.c - Digest challenges and credentials: parse, compute, verify.
 *
 * Input: one mode byte, then a header value.
 *   mode & 3 == 0  WWW-Authenticate value: every challenge is read with
 *                  sipmsg_challenge_next(); each usable Digest challenge is
 *                  answered (compute, format), the credentials are parsed
 *                  back and must verify with the same password, and fail
 *                  with another one (round trip oracle);
 *   mode & 3 == 1  Authorization value: sipmsg_credentials_parse(), then
 *                  verify with a password and with an ha1;
 *   mode & 3 == 2  sipmsg_challenge_best();
 *   mode & 3 == 3  the value is unquoted and its algorithm looked up.
 * Bits 2-3 choose the qop asked for; bit 4 an auth-int body; bit 5 an ha1
 * instead of the password; bit 6 no cnonce (drawn from a fixed rand).
 */
#include "fuzz_common.h"

static int fixed_rand(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(i * 37u + 11u);
    return 0;
}

static void check_params(sipmsg_slice params, unsigned count)
{
    sipmsg_auth_param_iter it;
    unsigned n = 0;
    sipmsg_auth_param p;
    int r;
    sipmsg_auth_param_iter_init(&it, params);
    while ((r = sipmsg_auth_param_next(&it, &p, NULL)) > 0) {
        FZ_CHECK(it.pos <= params.len);
        FZ_CHECK(fz_present_inside(p.name, params.ptr, params.len));
        FZ_CHECK(fz_inside(p.value, params.ptr, params.len));
        n++;
        FZ_CHECK(n <= count);
    }
    FZ_CHECK(r == 0);
    FZ_CHECK(n == count);
}

static void check_unquote(sipmsg_slice v)
{
    char small[4];
    char *big = (char *)malloc(v.len + 1);
    if (!big)
        abort();
    size_t n0 = sipmsg_auth_unquote(v, NULL, 0);
    size_t n1 = sipmsg_auth_unquote(v, small, sizeof small);
    size_t n2 = sipmsg_auth_unquote(v, big, v.len + 1);
    FZ_CHECK(n0 == n1 && n1 == n2 && n2 <= v.len);
    FZ_CHECK(big[n2] == '\0');
    FZ_CHECK(small[n1 < sizeof small ? n1 : sizeof small - 1] == '\0');
    free(big);
}

static void answer(const sipmsg_challenge *ch, unsigned mode)
{
    static const unsigned qops[4] = {0, SIPMSG_QOP_AUTH, SIPMSG_QOP_AUTH_INT, 0};
    sipmsg_digest_input in;
    memset(&in, 0, sizeof in);
    in.challenge = ch;
    in.username = sipmsg_slice_of("al\"ice\\");
    in.password = sipmsg_slice_of("secret");
    in.method = sipmsg_slice_of("REGISTER");
    in.uri = sipmsg_slice_of("sip:example.com;transport=tcp");
    in.qop = qops[(mode >> 2) & 3];
    if (mode & 0x10)
        in.body = sipmsg_slice_of("v=0\r\n");
    if (mode & 0x40) {
        in.rand = fixed_rand;
    } else {
        in.cnonce = sipmsg_slice_of("0a4f\"113b");
    }
    in.nc = 7;
    sipmsg_digest_result res;
    sipmsg_error err;
    sipmsg_code c = sipmsg_digest_compute(&in, &res, &err);
    if (c != SIPMSG_OK) {
        fz_check_error(&err, (size_t)-1);
        return;
    }
    size_t n = sipmsg_digest_format(&in, &res, NULL, 0);
    char tiny[8];
    FZ_CHECK(sipmsg_digest_format(&in, &res, tiny, sizeof tiny) == n);
    FZ_CHECK(tiny[n < sizeof tiny ? n : sizeof tiny - 1] == '\0');
    char *out = (char *)malloc(n + 1);
    if (!out)
        abort();
    FZ_CHECK(sipmsg_digest_format(&in, &res, out, n + 1) == n);
    FZ_CHECK(out[n] == '\0' && strlen(out) == n);

    /* the credentials parse back and verify */
    char *exact = fz_copy((const uint8_t *)out, n);
    sipmsg_slice v = {exact, n};
    sipmsg_credentials cr;
    c = sipmsg_credentials_parse(v, &cr, &err);
    if (c != SIPMSG_OK) {
        fprintf(stderr, "credentials do not parse back: %s: %s\n",
                sipmsg_strerror(c), out);
        FZ_CHECK(c == SIPMSG_OK);
    }
    check_params(cr.params, cr.param_count);
    sipmsg_digest_check chk;
    memset(&chk, 0, sizeof chk);
    chk.credentials = &cr;
    chk.password = in.password;
    chk.method = in.method;
    chk.body = in.body;
    chk.username = in.username;
    c = sipmsg_digest_verify(&chk, &err);
    if (c != SIPMSG_OK) {
        fprintf(stderr, "own credentials do not verify: %s: %s\n",
                sipmsg_strerror(c), out);
        FZ_CHECK(c == SIPMSG_OK);
    }
    chk.password = sipmsg_slice_of("wrong");
    FZ_CHECK(sipmsg_digest_verify(&chk, &err) == SIPMSG_E_AUTH_MISMATCH);
    chk.password = in.password;
    chk.stale = 1;
    FZ_CHECK(sipmsg_digest_verify(&chk, &err) == SIPMSG_E_AUTH_STALE);
    free(exact);
    free(out);
}

static void challenges(sipmsg_slice v, unsigned mode)
{
    sipmsg_challenge_iter it;
    sipmsg_challenge ch;
    sipmsg_error err;
    sipmsg_challenge_iter_init(&it, v);
    for (;;) {
        size_t before = it.pos;
        int r = sipmsg_challenge_next(&it, &ch, &err);
        if (r == 0)
            break;
        if (r < 0) {
            FZ_CHECK(it.pos == before);
            fz_check_error(&err, v.len);
            FZ_CHECK(sipmsg_challenge_next(&it, &ch, NULL) < 0); /* the end */
            break;
        }
        FZ_CHECK(it.pos > before && it.pos <= v.len);
        FZ_CHECK(fz_present_inside(ch.scheme, v.ptr, v.len));
        FZ_CHECK(fz_inside(ch.params, v.ptr, v.len));
        check_params(ch.params, ch.param_count);
        if (!ch.is_digest)
            continue;
        FZ_CHECK(fz_present_inside(ch.realm, v.ptr, v.len));
        FZ_CHECK(fz_present_inside(ch.nonce, v.ptr, v.len));
        FZ_CHECK(fz_inside(ch.opaque, v.ptr, v.len));
        FZ_CHECK(fz_inside(ch.qop, v.ptr, v.len));
        FZ_CHECK(fz_inside(ch.algorithm, v.ptr, v.len));
        FZ_CHECK(ch.alg == sipmsg_digest_alg_lookup(ch.algorithm));
        check_unquote(ch.realm);
        check_unquote(ch.nonce);
        sipmsg_slice realm = sipmsg_auth_param_get(ch.params, "realm");
        FZ_CHECK(realm.ptr == ch.realm.ptr && realm.len == ch.realm.len);
        answer(&ch, mode);
    }
}

static void credentials(sipmsg_slice v, unsigned mode)
{
    sipmsg_credentials cr;
    sipmsg_error err;
    sipmsg_code c = sipmsg_credentials_parse(v, &cr, &err);
    if (c != SIPMSG_OK) {
        fz_check_error(&err, v.len);
        return;
    }
    FZ_CHECK(fz_present_inside(cr.scheme, v.ptr, v.len));
    check_params(cr.params, cr.param_count);
    if (!cr.is_digest)
        return;
    FZ_CHECK(fz_inside(cr.username, v.ptr, v.len));
    FZ_CHECK(fz_inside(cr.response, v.ptr, v.len));
    FZ_CHECK(cr.alg == sipmsg_digest_alg_lookup(cr.algorithm));
    check_unquote(cr.username);
    sipmsg_digest_check chk;
    memset(&chk, 0, sizeof chk);
    chk.credentials = &cr;
    chk.method = sipmsg_slice_of("INVITE");
    if (mode & 0x20)
        chk.ha1 = sipmsg_slice_of("939e7578ed9e3c518a452acee763bce9");
    else
        chk.password = sipmsg_slice_of("secret");
    chk.username = sipmsg_slice_of("alice");
    if (mode & 0x10)
        chk.body = sipmsg_slice_of("v=0\r\n");
    c = sipmsg_digest_verify(&chk, &err);
    FZ_CHECK(c == SIPMSG_OK || c == SIPMSG_E_AUTH_MISMATCH ||
             c == SIPMSG_E_AUTH_ALGORITHM || c == SIPMSG_E_AUTH_QOP ||
             c == SIPMSG_E_AUTH || c == SIPMSG_E_AUTH_STALE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    char *buf = fz_copy(data + 1, size - 1);
    sipmsg_slice v = {buf, size - 1};
    switch (mode & 3) {
    case 0:
        challenges(v, mode);
        break;
    case 1:
        credentials(v, mode);
        break;
    case 2: {
        sipmsg_challenge ch;
        sipmsg_error err;
        sipmsg_code c = sipmsg_challenge_best(v, &ch, &err);
        if (c == SIPMSG_OK) {
            FZ_CHECK(ch.is_digest && ch.alg != SIPMSG_DIGEST_UNKNOWN);
            answer(&ch, mode);
        }
        break;
    }
    default:
        check_unquote(v);
        (void)sipmsg_digest_alg_lookup(v);
        break;
    }
    free(buf);
    return 0;
}
