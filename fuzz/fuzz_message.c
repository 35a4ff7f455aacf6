/*
 * fuzz_message.c - a whole message in datagram mode.
 *
 * Input: one option byte, then the message (as cmark's fuzzer reads its
 * options from the first bytes). The option byte picks the header table
 * capacity and the parse limits, so the limit paths are fuzzed too:
 *   bits 0-1  table capacity: 64, 1, 8, 1024
 *   bits 2-3  max_line: default, 16, 256, 4096
 *   bits 4-5  max_size: default, 64, 1024, 65536
 *   bit  6    max_headers 4 (else default)
 *   bit  7    reparse the same message struct (checks reset between parses)
 * Every DONE parse is checked for consistency (fuzz_common.h); an INVALID
 * one for a complete error. Datagram mode never returns INCOMPLETE.
 */
#include "fuzz_common.h"

static const size_t caps[4] = {64, 1, 8, 1024};
static const size_t lines[4] = {0, 16, 256, 4096};
static const size_t sizes[4] = {0, 64, 1024, 65536};

static sipmsg_header g_headers[1024];

static void one(sipmsg_msg *m, const char *buf, size_t len, const sipmsg_opts *o)
{
    sipmsg_error err;
    sipmsg_status st = sipmsg_parse(m, buf, len, o, &err);
    FZ_CHECK(st == SIPMSG_DONE || st == SIPMSG_INVALID);
    if (st == SIPMSG_INVALID) {
        fz_check_error(&err, len);
        FZ_CHECK(err.header >= -1);
        unsigned long line, col;
        sipmsg_linecol(buf, len, err.offset, &line, &col);
        FZ_CHECK(line >= 1 && col >= 1);
        return;
    }
    FZ_CHECK(err.code == SIPMSG_OK);
    fz_check_msg(m, buf, len, SIPMSG_DATAGRAM);
    if (!m->is_request) {
        sipmsg_digest_choice ch;
        sipmsg_code c = sipmsg_digest_choose(m, &ch, &err);
        if (c == SIPMSG_OK)
            FZ_CHECK(ch.header < m->count && ch.challenge.is_digest);
        (void)sipmsg_digest_credentials_header(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    sipmsg_opts o;
    memset(&o, 0, sizeof o);
    o.mode = SIPMSG_DATAGRAM;
    o.max_line = lines[(opt >> 2) & 3];
    o.max_size = sizes[(opt >> 4) & 3];
    o.max_headers = (opt & 0x40) ? 4 : 0;
    size_t len = size - 1;
    char *buf = fz_copy(data + 1, len);
    sipmsg_msg m;
    sipmsg_msg_init(&m, g_headers, caps[opt & 3]);
    one(&m, buf, len, &o);
    if (opt & 0x80) {
        /* the same struct again, with default options: no stale state */
        sipmsg_msg fresh;
        sipmsg_header h2[64];
        sipmsg_msg_init(&fresh, h2, 64);
        sipmsg_error e1, e2;
        sipmsg_msg_init(&m, g_headers, 64);
        sipmsg_status a = sipmsg_parse(&m, buf, len, NULL, &e1);
        sipmsg_status b = sipmsg_parse(&fresh, buf, len, NULL, &e2);
        FZ_CHECK(a == b);
        if (a == SIPMSG_INVALID)
            FZ_CHECK(e1.code == e2.code && e1.offset == e2.offset);
        else
            FZ_CHECK(m.count == fresh.count && m.len == fresh.len);
        one(&m, buf, len, NULL);
    }
    free(buf);
    return 0;
}
