/*
 * fuzz_stream.c - stream mode: chunked feeding must agree with whole feeding.
 *
 * Input: one seed byte, then a byte stream holding any number of messages.
 * The stream is parsed message by message, first as a whole (the buffer
 * holds everything), then as a TCP reader would: the buffer grows by chunks
 * of pseudo-random size (from the seed) and is reparsed after each chunk.
 * Checked:
 *   - an INCOMPLETE prefix never claims more than the message needs
 *     (skipped + len >= have + need when the whole parse is DONE);
 *   - a DONE chunked parse equals the whole parse (framing and every
 *     header slice, by offset);
 *   - an INVALID chunked parse equals the whole parse (code and offset);
 *   - a prefix of a DONE message is never INVALID.
 */
#include "fuzz_common.h"

#define CAP 256
static sipmsg_header g_hw[CAP], g_hc[CAP];

static void same_msg(const sipmsg_msg *a, const sipmsg_msg *b)
{
    FZ_CHECK(a->skipped == b->skipped && a->len == b->len);
    FZ_CHECK(a->header_len == b->header_len && a->count == b->count);
    FZ_CHECK(a->content_length == b->content_length);
    FZ_CHECK(a->is_request == b->is_request && a->status_code == b->status_code);
    FZ_CHECK(a->method == b->method);
    FZ_CHECK(a->body.len == b->body.len);
    FZ_CHECK(a->cseq == b->cseq && a->max_forwards == b->max_forwards);
    for (size_t i = 0; i < a->count; i++) {
        const sipmsg_header *x = &a->headers[i], *y = &b->headers[i];
        FZ_CHECK(x->id == y->id && x->flags == y->flags && x->next == y->next);
        FZ_CHECK(x->name.ptr - a->buf == y->name.ptr - b->buf);
        FZ_CHECK(x->name.len == y->name.len);
        FZ_CHECK(x->value.ptr - a->buf == y->value.ptr - b->buf);
        FZ_CHECK(x->value.len == y->value.len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t seed = data[0] * 0x01010101u + 1u;
    size_t maxchunk = (size_t)1 << (data[0] & 7);
    size_t n = size - 1;
    char *buf = fz_copy(data + 1, n);
    sipmsg_opts o;
    memset(&o, 0, sizeof o);
    o.mode = SIPMSG_STREAM;
    o.max_line = 8192;
    sipmsg_msg mw, mc;
    sipmsg_msg_init(&mw, g_hw, CAP);
    sipmsg_msg_init(&mc, g_hc, CAP);

    size_t pos = 0;
    while (pos < n) {
        sipmsg_error ew, ec;
        size_t rest = n - pos;
        sipmsg_result sw = sipmsg_parse(&mw, buf + pos, rest, &o, &ew);
        FZ_CHECK(sw == SIPMSG_DONE || sw == SIPMSG_INCOMPLETE || sw == SIPMSG_INVALID);
        if (sw == SIPMSG_DONE)
            fz_check_msg(&mw, buf + pos, rest, SIPMSG_STREAM);
        else if (sw == SIPMSG_INVALID)
            fz_check_error(&ew, rest);

        /* at most about 16 reparses per message keeps this linear enough */
        size_t minchunk = rest / 16 + 1;
        size_t have = 0;
        for (;;) {
            size_t step = 1 + fz_rand(&seed) % maxchunk;
            if (step < minchunk)
                step = minchunk;
            have = step >= rest - have ? rest : have + step;
            char *part = fz_copy((const uint8_t *)buf + pos, have);
            sipmsg_result sc = sipmsg_parse(&mc, part, have, &o, &ec);
            if (sc == SIPMSG_INCOMPLETE) {
                if (sw == SIPMSG_DONE)
                    FZ_CHECK(mw.skipped + mw.len >= have + mc.need);
                FZ_CHECK(have < rest || sw == SIPMSG_INCOMPLETE);
                free(part);
                if (have == rest)
                    break;
                continue;
            }
            if (sc == SIPMSG_DONE) {
                FZ_CHECK(sw == SIPMSG_DONE);
                fz_check_msg(&mc, part, have, SIPMSG_STREAM);
                same_msg(&mw, &mc);
            } else {
                FZ_CHECK(sc == SIPMSG_INVALID);
                fz_check_error(&ec, have);
                FZ_CHECK(sw == SIPMSG_INVALID);
                FZ_CHECK(ec.code == ew.code);
                FZ_CHECK(ec.offset == ew.offset);
            }
            free(part);
            break;
        }
        if (sw != SIPMSG_DONE)
            break;
        FZ_CHECK(mw.skipped + mw.len > 0);
        pos += mw.skipped + mw.len;
    }
    free(buf);
    return 0;
}
