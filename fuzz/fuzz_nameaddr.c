/*
 * fuzz_nameaddr.c - sipmsg_nameaddr_parse() on one value (From, To,
 * Contact, Route ...): every slice inside the input, the header parameters
 * iterate cleanly, the tag/expires/q shortcuts agree with
 * sipmsg_param_find(), and the URI text reparses to the same URI.
 * Differential: the parse-time scan (URI shape only) accepts whatever the
 * full parse accepts, with the same display name, tag and parameters.
 */
#include "fuzz_common.h"

#include <sipmsg/header.h>

#include "decode.h"
#include "nameaddr.h"
#include "scan.h"
#include "via.h"

void fz_nameaddr_check(const sipmsg_nameaddr *na, const char *p, size_t len);
void fz_nameaddr_check(const sipmsg_nameaddr *na, const char *p, size_t len)
{
    FZ_CHECK(fz_inside(na->display, p, len));
    FZ_CHECK(fz_inside(na->params, p, len));
    FZ_CHECK(fz_inside(na->tag, p, len));
    FZ_CHECK(fz_inside(na->expires, p, len));
    FZ_CHECK(fz_inside(na->q, p, len));
    if (na->star)
        return;
    FZ_CHECK(fz_present_inside(na->uri_text, p, len));
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_error err;
    sipmsg_param_iter_init(&it, na->params, 0);
    int r;
    size_t n = 0;
    while ((r = sipmsg_param_next(&it, &prm, &err)) == 1) {
        FZ_CHECK(fz_present_inside(prm.name, p, len));
        FZ_CHECK(fz_inside(prm.value, p, len));
        FZ_CHECK(++n <= len);
    }
    FZ_CHECK(r == 0);
    if (na->params.ptr) {
        fz_same_param(na->params, "tag", na->tag);
        fz_same_param(na->params, "expires", na->expires);
        fz_same_param(na->params, "q", na->q);
    }
    /* the URI text alone parses to the same URI */
    sipmsg_uri u;
    FZ_CHECK(sipmsg_uri_parse(&u, na->uri_text, &err) == SIPMSG_OK);
    if (fz_uri_equal_ok(&u, &na->uri))
        FZ_CHECK(sipmsg_uri_equal(&u, &na->uri) == 1);
    FZ_CHECK(u.host.ptr == na->uri.host.ptr && u.port == na->uri.port);
}

#ifndef FZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fz_copy(data, size);
    sipmsg_nameaddr na;
    sipmsg_error err;
    sipmsg_code c = sipmsg_nameaddr_parse(&na, (sipmsg_slice){buf, size}, &err);
    if (c == SIPMSG_OK)
        fz_nameaddr_check(&na, buf, size);
    else
        fz_check_error(&err, size);
    sipmsg_nameaddr sc;
    sipmsg_code cs = sipmsg_nameaddr_scan_(&sc, buf, size, &err);
    if (cs != SIPMSG_OK)
        fz_check_error(&err, size);
    if (c == SIPMSG_OK) {
        FZ_CHECK(cs == SIPMSG_OK);
        FZ_CHECK(sc.star == na.star && sc.angle == na.angle);
        FZ_CHECK(fz_same_slice(sc.display, na.display) && fz_same_slice(sc.params, na.params));
        FZ_CHECK(fz_same_slice(sc.tag, na.tag) && fz_same_slice(sc.uri_text, na.uri_text));
        FZ_CHECK(fz_same_slice(sc.expires, na.expires) && fz_same_slice(sc.q, na.q));
    }
    /* the parse-time fast path (on a trimmed value, as header values are):
     * whatever it reads, the scan accepts with the same tag */
    const char *tp = sipmsg_skip_lws_(buf, buf + size);
    const char *te = sipmsg_trim_end_(tp, buf + size);
    sipmsg_slice ft;
    if (sipmsg_tag_fast_(tp, te, &ft)) {
        FZ_CHECK(sipmsg_nameaddr_scan_(&sc, tp, (size_t)(te - tp), &err) == SIPMSG_OK);
        FZ_CHECK(fz_same_slice(ft, sc.tag));
    }
    free(buf);
    return 0;
}
#endif
