/*
 * testhooks.c - test-only entry points, built into the sipmsg_testlib
 * library (SIPMSG_TEST_HOOKS) that the tests and fuzz harnesses link, never
 * into the shipped library: the scans of scan.h by id, in their SIMD and
 * scalar forms, which test_parse and fuzz_eol compare. (The scalar host
 * scan and the decoder without fast paths are the other hooks; they stay in
 * host.c and decode.c, beside the code they expose.)
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "scan.h"
#include "uri_internal.h"

const char *sipmsg_scan_(int id, const char *p, const char *end, int scalar)
{
    switch (id) {
    case SIPMSG_SCAN_EOL_: return scalar ? find_eol_scalar(p, end) : find_eol(p, end);
    case SIPMSG_SCAN_CTL_: return scalar ? find_ctl_scalar(p, end) : find_ctl(p, end);
    case SIPMSG_SCAN_SDPSTOP_:
        return scalar ? find_sdp_stop_scalar(p, end) : find_sdp_stop(p, end);
    case SIPMSG_SCAN_URISTOP_:
        return scalar ? find_uristop_scalar(p, end) : find_uristop(p, end);
    case SIPMSG_SCAN_ADDRSTOP_:
        return scalar ? find_addrstop_scalar(p, end) : find_addrstop(p, end);
    case SIPMSG_SCAN_ELEMSEP_:
        return scalar ? find_elemsep_scalar(p, end) : find_elemsep(p, end);
    case SIPMSG_SCAN_PARAMSEP_:
        return scalar ? find_paramsep_scalar(p, end) : find_paramsep(p, end);
    case SIPMSG_SCAN_NONTEXT_:
        return scalar ? find_nontext_scalar(p, end) : find_nontext(p, end);
    case SIPMSG_SCAN_NONVISIBLE_:
        return scalar ? find_nonvisible_scalar(p, end) : find_nonvisible(p, end);
    default: return end;
    }
}
