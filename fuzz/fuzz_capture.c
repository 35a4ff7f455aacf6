/*
 * fuzz_capture.c - sipcat's packet decoder (examples/sipcat/decode.c and
 * reasm.c, compiled into this target) over arbitrary packets: link layers,
 * IPv4/IPv6, fragments, TCP reassembly and framing, with small limits so
 * that eviction, timeouts and gaps are reached.
 *
 * Input: one byte choosing the link type, then packets, each a 3-byte
 * header (length, little-endian 16 bits; a flags byte: bit 0 the capture
 * cut the packet to half, bits 1-3 seconds to add to the clock) and its
 * bytes. Checked:
 *   - every record's bytes are readable (ASan) and a message's first line
 *     is a start line;
 *   - after cap_finish nothing is held (flows and fragment sets freed).
 * tests/captures/fuzzseeds.py makes the corpus from the test captures.
 */
#include "../examples/sipcat/decode.c"
#include "../examples/sipcat/reasm.c"

#include "fuzz_common.h"

static const int links[] = {CAP_LINK_ETHERNET, CAP_LINK_SLL, CAP_LINK_SLL2, CAP_LINK_RAW,
                            CAP_LINK_NULL, CAP_LINK_LOOP, CAP_LINK_IPV4, CAP_LINK_IPV6};

static int on_record(void *ctx, const struct cap_record *r)
{
    unsigned *sum = ctx;
    for (size_t i = 0; i < r->len; i++)
        *sum += (unsigned char)r->data[i];
    if (r->kind == CAP_MESSAGE) {
        FZ_CHECK(r->len > 0 && r->data != NULL);
        FZ_CHECK(cap_start_line(r->data, r->len) != 0 || r->transport == CAP_TCP);
        FZ_CHECK(r->frame > 0);
    } else {
        FZ_CHECK(r->error != NULL && strlen(r->error) > 0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int link = links[data[0] % (sizeof links / sizeof links[0])];
    unsigned sum = 0;
    struct cap_limits lim = {4, 4096, 16384, 2, 2, 0};
    struct cap_decoder *d = cap_new(&lim, on_record, &sum);
    FZ_CHECK(d != NULL);
    size_t at = 1;
    unsigned long long frame = 0;
    long long sec = 1000;
    while (at + 3 <= size) {
        size_t len = (size_t)data[at] | (size_t)data[at + 1] << 8;
        unsigned flags = data[at + 2];
        at += 3;
        if (len > size - at)
            len = size - at;
        sec += (flags >> 1) & 7;
        size_t caplen = flags & 1 ? len / 2 : len;
        /* an exact-size copy: ASan sees any read past the captured bytes */
        char *pkt = fz_copy(data + at, caplen);
        frame++;
        cap_packet(d, link, (const unsigned char *)pkt, caplen, len, frame, sec,
                   (unsigned)(frame % 1000000));
        free(pkt);
        at += len;
    }
    cap_finish(d);
    FZ_CHECK(cap_held(d) == 0);
    cap_free(d);
    (void)sum;
    return 0;
}
