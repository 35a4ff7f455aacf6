/*
 * fuzz_values.c - the single-value parsers: CSeq, Max-Forwards, Expires,
 * sipmsg_uint_parse, Call-ID and Event.
 *
 * Input: a selector byte, then the value. For numbers, a value made only of
 * digits is checked against a reference conversion (overflow included).
 */
#include "fuzz_common.h"

#include <sipmsg/header.h>

/* Reference: 1*DIGIT not above max; -1 when not a plain number. */
static int64_t ref_uint(const char *p, size_t len, uint32_t max)
{
    if (len == 0)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        if (v <= max)
            v = v * 10 + (uint64_t)(p[i] - '0');
    }
    return v <= max ? (int64_t)v : -2;
}

static int plain_text(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
            return 0;
    return 1;
}

static void number(const char *p, size_t len, uint32_t max, sipmsg_code c,
                   uint32_t v)
{
    if (!plain_text(p, len))
        return;
    int64_t r = ref_uint(p, len, max);
    if (r >= 0)
        FZ_CHECK(c == SIPMSG_OK && v == (uint64_t)r);
    else
        FZ_CHECK(c != SIPMSG_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    size_t len = size - 1;
    char *p = fz_copy(data + 1, len);
    sipmsg_error err;
    uint32_t v = 12345;
    sipmsg_code c;
    switch (sel % 6) {
    case 0: {
        sipmsg_cseq cs;
        c = sipmsg_cseq_parse(&cs, (sipmsg_slice){p, len}, &err);
        if (c == SIPMSG_OK) {
            FZ_CHECK(fz_present_inside(cs.method_name, p, len));
            FZ_CHECK(cs.method == sipmsg_method_lookup(cs.method_name));
        } else {
            fz_check_error(&err, len);
            FZ_CHECK(c == SIPMSG_E_CSEQ || c == SIPMSG_E_CSEQ_NUMBER);
        }
        break;
    }
    case 1:
        c = sipmsg_max_forwards_parse((sipmsg_slice){p, len}, &v);
        FZ_CHECK(c == SIPMSG_OK || c == SIPMSG_E_MAX_FORWARDS);
        number(p, len, 255, c, v);
        break;
    case 2:
        c = sipmsg_expires_parse((sipmsg_slice){p, len}, &v);
        FZ_CHECK(c == SIPMSG_OK || c == SIPMSG_E_EXPIRES);
        number(p, len, UINT32_MAX, c, v);
        break;
    case 3: {
        uint32_t max = (uint32_t)(sel * 2654435761u);
        c = sipmsg_uint_parse((sipmsg_slice){p, len}, max, &v, SIPMSG_E_HEADER_VALUE);
        FZ_CHECK(c == SIPMSG_OK || c == SIPMSG_E_HEADER_VALUE);
        number(p, len, max, c, v);
        break;
    }
    case 4:
        c = sipmsg_call_id_check((sipmsg_slice){p, len});
        FZ_CHECK(c == SIPMSG_OK || c == SIPMSG_E_CALL_ID);
        break;
    default: {
        sipmsg_event ev;
        c = sipmsg_event_parse(&ev, (sipmsg_slice){p, len}, &err);
        if (c == SIPMSG_OK) {
            FZ_CHECK(fz_present_inside(ev.type, p, len));
            FZ_CHECK(fz_inside(ev.params, p, len));
            FZ_CHECK(fz_inside(ev.id, p, len));
        } else {
            fz_check_error(&err, len);
        }
        break;
    }
    }
    free(p);
    return 0;
}
