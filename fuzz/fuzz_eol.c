/*
 * fuzz_eol.c - differential: every SIMD scan of scan.h (line ends, URI
 * stops, addr-spec stops, list elements, parameter starts, non-text bytes)
 * must agree with its scalar form, from every start
 * offset (the SIMD paths handle 16-byte blocks and a tail, so every
 * alignment and length matters).
 */
#include "fuzz_common.h"
#include "decode.h"
#include "nameaddr.h"
#include "scan.h"
#include "via.h"

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
        /* every scan, to the end and to a shortened end */
        const char *e2 = buf + i + (size - i) / 2;
        for (int id = 0; id < SIPMSG_SCAN_COUNT_; id++) {
            const char *a = sipmsg_scan_(id, buf + i, end, 0);
            FZ_CHECK(a == sipmsg_scan_(id, buf + i, end, 1));
            FZ_CHECK(a >= buf + i && a <= end);
            FZ_CHECK(sipmsg_scan_(id, buf + i, e2, 0) == sipmsg_scan_(id, buf + i, e2, 1));
        }
    }
    free(buf);
    return 0;
}
