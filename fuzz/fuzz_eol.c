/*
 * fuzz_eol.c - differential: the SIMD line-end, URI-stop, addr-stop,
 * list-element, parameter-start, non-text and host scans must agree with
 * the scalar ones, from every start offset (the SIMD paths handle 16-byte
 * blocks and a tail, so every alignment and length matters).
 */
#include "fuzz_common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fz_copy(data, size);
    const char *end = buf + size;
    /* every alignment at the start and near the end (the SIMD loop runs
     * 16-byte blocks, then a scalar tail); linear in size overall */
    for (size_t k = 0; k < 2 * 48; k++) {
        size_t i = k < 48 ? k : size - (k - 48);
        if (i > size || (k >= 48 && size < 48))
            continue;
        const char *a = sipmsg_find_eol_(buf + i, end);
        const char *b = sipmsg_find_eol_scalar_(buf + i, end);
        FZ_CHECK(a == b);
        FZ_CHECK(a >= buf + i && a <= end);
        /* a shortened end too */
        const char *e2 = buf + i + (size - i) / 2;
        FZ_CHECK(sipmsg_find_eol_(buf + i, e2) ==
                 sipmsg_find_eol_scalar_(buf + i, e2));
        FZ_CHECK(sipmsg_find_uristop_(buf + i, end) ==
                 sipmsg_find_uristop_scalar_(buf + i, end));
        FZ_CHECK(sipmsg_find_uristop_(buf + i, e2) ==
                 sipmsg_find_uristop_scalar_(buf + i, e2));
        FZ_CHECK(sipmsg_find_addrstop_(buf + i, end) ==
                 sipmsg_find_addrstop_scalar_(buf + i, end));
        FZ_CHECK(sipmsg_find_addrstop_(buf + i, e2) ==
                 sipmsg_find_addrstop_scalar_(buf + i, e2));
        FZ_CHECK(sipmsg_find_elemsep_(buf + i, end) ==
                 sipmsg_find_elemsep_scalar_(buf + i, end));
        FZ_CHECK(sipmsg_find_paramsep_(buf + i, e2) ==
                 sipmsg_find_paramsep_scalar_(buf + i, e2));
        FZ_CHECK(sipmsg_find_nontext_(buf + i, end) ==
                 sipmsg_find_nontext_scalar_(buf + i, end));
        /* the host scan: the SSE2 form against the label walk */
        const char *h1 = NULL, *h2 = NULL;
        int t1 = sipmsg_host_scan_(buf + i, end, &h1);
        int t2 = sipmsg_host_scan_scalar_(buf + i, end, &h2);
        FZ_CHECK(t1 == t2 && (t1 == SIPMSG_HOST_NONE || h1 == h2));
    }
    free(buf);
    return 0;
}
