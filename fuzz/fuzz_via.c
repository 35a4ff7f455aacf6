/*
 * fuzz_via.c - sipmsg_via_parse() on one via-parm: every slice inside, the
 * port in range, the parameters iterate cleanly and agree with the
 * branch/received/rport/maddr/ttl shortcuts.
 */
#include "fuzz_common.h"

#include <sipmsg/header.h>

#include "decode.h"
#include "nameaddr.h"
#include "scan.h"
#include "via.h"

/* The parse-time fast path (on a trimmed value, as the decoder calls it):
 * whatever it reads, sipmsg_via_parse reads the same. A value holding a
 * comma (a list) fails sipmsg_via_parse, so this also checks that the fast
 * path never takes a list for one Via. */
static void fast_agrees(const char *buf, size_t size)
{
    const char *p = sipmsg_skip_lws_(buf, buf + size);
    const char *e = sipmsg_trim_end_(p, buf + size);
    sipmsg_top_via q;
    sipmsg_via v;
    if (!sipmsg_via_fast_(&q, p, e))
        return;
    FZ_CHECK(sipmsg_via_parse(&v, (sipmsg_slice){p, (size_t)(e - p)}, NULL) == SIPMSG_OK);
    FZ_CHECK(fz_same_slice(q.transport, v.transport) && fz_same_slice(q.host, v.host));
    FZ_CHECK(q.port == v.port && fz_same_slice(q.branch, v.branch));
    FZ_CHECK(fz_same_slice(q.received, v.received) && fz_same_slice(q.rport, v.rport));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fz_copy(data, size);
    sipmsg_via v;
    sipmsg_error err;
    sipmsg_code c = sipmsg_via_parse(&v, (sipmsg_slice){buf, size}, &err);
    fast_agrees(buf, size);
    if (c != SIPMSG_OK) {
        fz_check_error(&err, size);
        FZ_CHECK(c == SIPMSG_E_VIA || c == SIPMSG_E_HOST || c == SIPMSG_E_PORT ||
                 c == SIPMSG_E_PARAM || c == SIPMSG_E_QUOTE);
        free(buf);
        return 0;
    }
    FZ_CHECK(fz_present_inside(v.protocol, buf, size));
    FZ_CHECK(fz_present_inside(v.version, buf, size));
    FZ_CHECK(fz_present_inside(v.transport, buf, size));
    FZ_CHECK(fz_present_inside(v.host, buf, size) && v.host.len > 0);
    FZ_CHECK(v.host_type != SIPMSG_HOST_NONE);
    FZ_CHECK(v.port <= 65535);
    FZ_CHECK(fz_inside(v.params, buf, size));
    FZ_CHECK(fz_present_inside(v.text, buf, size));
    if (v.host_type == SIPMSG_HOST_IPV6)
        FZ_CHECK(v.host.ptr[0] == '[' && v.host.ptr[v.host.len - 1] == ']');
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_param_iter_init(&it, v.params, 0);
    int r;
    size_t n = 0;
    while ((r = sipmsg_param_next(&it, &prm, &err)) == 1) {
        FZ_CHECK(fz_present_inside(prm.name, buf, size));
        FZ_CHECK(fz_inside(prm.value, buf, size));
        FZ_CHECK(++n <= size);
    }
    FZ_CHECK(r == 0);
    if (v.params.ptr) {
        fz_same_param(v.params, "branch", v.branch);
        fz_same_param(v.params, "received", v.received);
        fz_same_param(v.params, "rport", v.rport);
        fz_same_param(v.params, "maddr", v.maddr);
        fz_same_param(v.params, "ttl", v.ttl);
    }
    (void)sipmsg_branch_is_rfc3261(v.branch);
    free(buf);
    return 0;
}
