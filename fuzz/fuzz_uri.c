/*
 * fuzz_uri.c - sipmsg_uri_parse(), sipmsg_uri_equal(), sipmsg_unescape()
 * and the URI parameter iterator.
 *
 * Input: a URI. When it holds a '\n', the text before it and the text after
 * it are two URIs that are also compared with each other (equality must be
 * symmetric; each parsed URI must equal itself).
 */
#include "fuzz_common.h"

static void check_uri(const sipmsg_uri *u, const char *p, size_t len)
{
    FZ_CHECK(fz_inside(u->scheme, p, len));
    FZ_CHECK(fz_inside(u->user, p, len));
    FZ_CHECK(fz_inside(u->password, p, len));
    FZ_CHECK(fz_inside(u->host, p, len));
    FZ_CHECK(fz_inside(u->params, p, len));
    FZ_CHECK(fz_inside(u->headers, p, len));
    FZ_CHECK(fz_inside(u->opaque, p, len));
    FZ_CHECK(fz_inside(u->transport, p, len));
    FZ_CHECK(fz_inside(u->user_param, p, len));
    FZ_CHECK(fz_inside(u->method, p, len));
    FZ_CHECK(fz_inside(u->maddr, p, len));
    FZ_CHECK(fz_inside(u->ttl, p, len));
    FZ_CHECK(u->port <= 65535);
    FZ_CHECK(u->lr == 0 || u->lr == 1);
    if (u->scheme_id == SIPMSG_SCHEME_SIP || u->scheme_id == SIPMSG_SCHEME_SIPS) {
        FZ_CHECK(u->host.ptr && u->host.len > 0);
        FZ_CHECK(u->host_type != SIPMSG_HOST_NONE);
        if (u->host_type == SIPMSG_HOST_IPV6)
            FZ_CHECK(u->host.ptr[0] == '[' && u->host.ptr[u->host.len - 1] == ']');
    }
    /* the parameters iterate cleanly and agree with the shortcuts */
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_error err;
    sipmsg_param_iter_init(&it, u->params, SIPMSG_PARAMS_URI);
    int r, n = 0;
    while ((r = sipmsg_param_next(&it, &prm, &err)) == 1) {
        FZ_CHECK(fz_present_inside(prm.name, p, len));
        FZ_CHECK(fz_inside(prm.value, p, len));
        FZ_CHECK(++n <= (int)len);
    }
    FZ_CHECK(r == 0);
    if (fz_uri_equal_ok(u, u))
        FZ_CHECK(sipmsg_uri_equal(u, u) == 1);
    /* unescape each part: the snprintf contract */
    const sipmsg_slice parts[3] = {u->user, u->password, u->host};
    for (int i = 0; i < 3; i++) {
        if (!parts[i].ptr)
            continue;
        char small[3];
        size_t a = sipmsg_unescape(parts[i], small, sizeof small);
        char *big = (char *)malloc(parts[i].len + 1);
        if (!big)
            abort();
        size_t b = sipmsg_unescape(parts[i], big, parts[i].len);
        FZ_CHECK(a == b);
        FZ_CHECK(b == (size_t)-1 || b <= parts[i].len);
        free(big);
    }
}

static int parse(sipmsg_uri *u, const char *p, size_t len)
{
    sipmsg_error err;
    sipmsg_code c = sipmsg_uri_parse(u, (sipmsg_slice){p, len}, &err);
    if (c != SIPMSG_OK) {
        fz_check_error(&err, len);
        return 0;
    }
    check_uri(u, p, len);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = (const uint8_t *)memchr(data, '\n', size);
    if (!nl) {
        char *buf = fz_copy(data, size);
        sipmsg_uri u;
        parse(&u, buf, size);
        free(buf);
        return 0;
    }
    size_t la = (size_t)(nl - data), lb = size - la - 1;
    char *a = fz_copy(data, la), *b = fz_copy(nl + 1, lb);
    sipmsg_uri ua, ub;
    int oka = parse(&ua, a, la), okb = parse(&ub, b, lb);
    if (oka && okb && fz_uri_equal_ok(&ua, &ub)) {
        int ab = sipmsg_uri_equal(&ua, &ub), ba = sipmsg_uri_equal(&ub, &ua);
        FZ_CHECK(ab == ba);
        if (la == lb && memcmp(a, b, la) == 0)
            FZ_CHECK(ab == 1);
    }
    free(a);
    free(b);
    return 0;
}
