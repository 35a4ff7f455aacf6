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

#include <sipmsg/header.h>

#include "decode.h"
#include "nameaddr.h"
#include "scan.h"
#include "via.h"

static const size_t caps[4] = {64, 1, 8, 1024};
static const size_t lines[4] = {0, 16, 256, 4096};
static const size_t sizes[4] = {0, 64, 1024, 65536};

static sipmsg_header g_headers[1024];

/* The typed views of a parsed message: Via and name-addr iterators, tags,
 * validation. They must stay inside the buffer and end. */
static void typed(const sipmsg_msg *m, const char *buf, size_t len)
{
    sipmsg_error err;
    sipmsg_via_iter vi;
    sipmsg_via v;
    int r;
    size_t n = 0;
    sipmsg_via_iter_init(&vi, m);
    while ((r = sipmsg_via_next(&vi, &v, &err)) == 1) {
        FZ_CHECK(fz_present_inside(v.host, buf, len));
        FZ_CHECK(fz_present_inside(v.text, buf, len));
        if (n++ == 0 && m->via.host.ptr) /* the decoded top Via agrees */
            FZ_CHECK(v.host.ptr == m->via.host.ptr && v.port == m->via.port &&
                     v.branch.ptr == m->via.branch.ptr);
        FZ_CHECK(n <= len);
    }
    if (r == -1)
        fz_check_error(&err, len);
    static const sipmsg_hdr_id ids[] = {SIPMSG_HDR_CONTACT, SIPMSG_HDR_ROUTE,
                                     SIPMSG_HDR_RECORD_ROUTE, SIPMSG_HDR_FROM,
                                     SIPMSG_HDR_TO};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        sipmsg_nameaddr_iter ni;
        sipmsg_nameaddr na;
        sipmsg_nameaddr_iter_init(&ni, m, ids[k]);
        n = 0;
        while ((r = sipmsg_nameaddr_next(&ni, &na, &err)) == 1) {
            FZ_CHECK(fz_inside(na.uri_text, buf, len));
            FZ_CHECK(fz_inside(na.tag, buf, len));
            FZ_CHECK(++n <= len);
        }
        if (r == -1)
            fz_check_error(&err, len);
    }
    sipmsg_slice ft = sipmsg_from_tag(m), tt = sipmsg_to_tag(m);
    FZ_CHECK(fz_inside(ft, buf, len) && fz_inside(tt, buf, len));
    if (m->from_tag.ptr)
        FZ_CHECK(ft.ptr == m->from_tag.ptr && ft.len == m->from_tag.len);
    if (m->to_tag.ptr)
        FZ_CHECK(tt.ptr == m->to_tag.ptr && tt.len == m->to_tag.len);
    if (sipmsg_validate(m, &err) != SIPMSG_OK)
        fz_check_error(&err, len);
}

/* The decoder's fast paths against the full parsers: the same message
 * framed once, then decoded both ways, must come out identical, field for
 * field (padding included) or error for error. */
static void fast_vs_full(const char *buf, size_t len)
{
    static sipmsg_header hs[1024];
    sipmsg_opts o;
    memset(&o, 0, sizeof o);
    o.flags = SIPMSG_PARSE_FRAME_ONLY;
    sipmsg_msg a, b;
    sipmsg_msg_init(&a, hs, 1024);
    if (sipmsg_parse(&a, buf, len, &o, NULL) != SIPMSG_DONE)
        return;
    b = a; /* the decoders write only the struct, never the table */
    sipmsg_error ea, eb;
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    sipmsg_code ca = sipmsg_decode_(&a, &ea);
    sipmsg_code cb = sipmsg_decode_full_(&b, &eb);
    FZ_CHECK(ca == cb);
    if (ca == SIPMSG_OK) {
        FZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
    } else {
        FZ_CHECK(ea.code == eb.code && ea.offset == eb.offset && ea.header == eb.header);
        FZ_CHECK(ea.msg == eb.msg);
    }
}

static void one(sipmsg_msg *m, const char *buf, size_t len, const sipmsg_opts *o)
{
    sipmsg_error err;
    sipmsg_result st = sipmsg_parse(m, buf, len, o, &err);
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
    typed(m, buf, len);
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
    fast_vs_full(buf, len);
    if (opt & 0x80) {
        /* the same struct again, with default options: no stale state */
        sipmsg_msg fresh;
        sipmsg_header h2[64];
        sipmsg_msg_init(&fresh, h2, 64);
        sipmsg_error e1, e2;
        sipmsg_msg_init(&m, g_headers, 64);
        sipmsg_result a = sipmsg_parse(&m, buf, len, NULL, &e1);
        sipmsg_result b = sipmsg_parse(&fresh, buf, len, NULL, &e2);
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
