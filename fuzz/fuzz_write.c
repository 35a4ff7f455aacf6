/*
 * fuzz_write.c - the writer as an oracle, edits and builders.
 *
 * Input: an option byte, an edit count byte k (k % 8 edits), 4 bytes per
 * edit, then a message parsed in datagram mode. For a message that parses:
 *   - the write is byte-exact, sizing passes and cut buffers keep the
 *     snprintf contract, and the iovec form gives the same bytes;
 *   - the canonical write parses again to the same typed values;
 *   - each edit decoded from the input that succeeds keeps the message
 *     parseable, with the same headers as the edited table, and the size
 *     contract exact;
 *   - a request gets a response from sipmsg_build_response() (any status
 *     from the option byte; duplicate or missing To/From/Via included), and
 *     sipmsg_proxy_forward() answers TOO_MANY_HOPS exactly when
 *     Max-Forwards is 0; their output parses;
 *   - sipmsg_proxy_forward_write() and sipmsg_proxy_unvia_write() give the
 *     code and the bytes that sipmsg_proxy_forward() or sipmsg_proxy_unvia()
 *     and a write give, on parsed and edited messages alike.
 */
#include "fuzz_common.h"

#include <sipmsg/write.h>

#define CAP 128
static sipmsg_header g_h[CAP], g_h2[CAP], g_h3[CAP];
static char g_arena[1 << 16];

static const char *const pool[] = {
    "", " x ", "a\r\nb", "<sip:x@y>;tag=1", "SIP/2.0/UDP h;branch=z9hG4bKx",
    "1 INVITE", "70", "\"q\\\"\"", "[::1]", "z9hG4bK776", "tag", "branch",
    "received", "rport", "X-Fuzz", "Via", "To", "l", "Content-Length", "0",
    "a,b", "\"", "<", ";", "=", "sip:new@example.com", "text/plain", "v=0\r\n",
    "INVITE sip:a@b SIP/2.0", "SIP/2.0 200 OK", "1.2.3.4", "\x00x"};
#define POOL (sizeof pool / sizeof pool[0])

static sipmsg_slice pick(unsigned i)
{
    const char *s = pool[i % POOL];
    sipmsg_slice r = {s, strlen(s)};
    if (i % POOL == POOL - 1)
        r.len = 2; /* with the NUL */
    return r;
}

static int rand_bytes(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)('a' + i % 26);
    return 0;
}

/* Writes m, checks the snprintf and iovec contracts, reparses into r.
 * Returns the written buffer (the caller frees it) and its size. */
static char *write_check(const sipmsg_msg *m, unsigned flags, size_t *len)
{
    size_t n = sipmsg_write(m, NULL, 0, flags);
    char *out = (char *)malloc(n ? n : 1);
    if (!out)
        abort();
    FZ_CHECK(sipmsg_write(m, out, n, flags) == n);
    if (n > 1) { /* a cut buffer: exact size, so ASan sees any overrun */
        size_t half = n / 2;
        char *cut = (char *)malloc(half);
        if (!cut)
            abort();
        FZ_CHECK(sipmsg_write(m, cut, half, flags) == n);
        FZ_CHECK(memcmp(cut, out, half) == 0);
        free(cut);
    }
    sipmsg_iov iov[2 * CAP + 16];
    size_t total = 0;
    size_t k = sipmsg_write_iov(m, iov, sizeof iov / sizeof iov[0], flags, &total);
    FZ_CHECK(total == n);
    if (k <= sizeof iov / sizeof iov[0]) {
        size_t off = 0;
        for (size_t i = 0; i < k; i++) {
            FZ_CHECK(off + iov[i].len <= n);
            FZ_CHECK(iov[i].len == 0 || memcmp(out + off, iov[i].base, iov[i].len) == 0);
            off += iov[i].len;
        }
        FZ_CHECK(off == n);
    }
    *len = n;
    return out;
}

static int slice_same(sipmsg_slice a, sipmsg_slice b)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* The written message parses, with the same headers (values as bytes). */
static void reparse_same(const sipmsg_msg *m, const char *out, size_t n, int canonical)
{
    sipmsg_msg r;
    sipmsg_error err;
    sipmsg_msg_init(&r, g_h3, CAP);
    sipmsg_result st = sipmsg_parse(&r, out, n, NULL, &err);
    if (st != SIPMSG_DONE) {
        fprintf(stderr, "written message does not parse: %s at %zu\n",
                sipmsg_strerror(err.code), err.offset);
        FZ_CHECK(st == SIPMSG_DONE);
    }
    FZ_CHECK(r.count == m->count);
    FZ_CHECK(r.is_request == m->is_request && r.method == m->method);
    FZ_CHECK(r.status_code == m->status_code && r.cseq == m->cseq);
    FZ_CHECK(r.max_forwards == m->max_forwards);
    FZ_CHECK(slice_same(r.call_id, m->call_id));
    FZ_CHECK(slice_same(r.from_tag, m->from_tag) && slice_same(r.to_tag, m->to_tag));
    FZ_CHECK(slice_same(r.via.host, m->via.host) && slice_same(r.via.branch, m->via.branch));
    FZ_CHECK(slice_same(r.via.transport, m->via.transport) && r.via.port == m->via.port);
    FZ_CHECK(slice_same(r.via.received, m->via.received) &&
             slice_same(r.via.maddr, m->via.maddr) && r.via.ttl == m->via.ttl);
    FZ_CHECK(slice_same(r.via.rport, m->via.rport) && r.via.rport_port == m->via.rport_port &&
             r.via.rport_requested == m->via.rport_requested);
    FZ_CHECK(slice_same(r.body, m->body));
    for (size_t i = 0; i < r.count; i++) {
        FZ_CHECK(r.headers[i].id == m->headers[i].id);
        if (!canonical && !(m->headers[i].flags & SIPMSG_HF_FOLDED))
            FZ_CHECK(slice_same(r.headers[i].value, m->headers[i].value));
    }
}

/* The proxy step (f NULL: the response's, sipmsg_proxy_unvia) written
 * straight out with m untouched, then done as an edit and written: the same
 * code (but for the edit's own arena and table limits), the same bytes, and
 * for a response, `next` is the Via the edit decoded. Returns the edit's
 * code. */
static sipmsg_code step(sipmsg_msg *m, const sipmsg_forward *f)
{
    size_t need, wn;
    sipmsg_top_via next;
    char *wout = NULL;
#define STEP_WRITE(o, c, l, nx)                                                           \
    (f ? sipmsg_proxy_forward_write(m, f, o, c, l) : sipmsg_proxy_unvia_write(m, o, c, l, nx))
    sipmsg_code cw = STEP_WRITE(NULL, 0, &need, NULL);
    if (cw == SIPMSG_E_NO_SPACE) {
        wout = malloc(need ? need : 1);
        FZ_CHECK(wout != NULL);
        cw = STEP_WRITE(wout, need, &wn, &next);
        FZ_CHECK(cw == SIPMSG_OK && wn == need);
    }
#undef STEP_WRITE
    sipmsg_code c = f ? sipmsg_proxy_forward(m, f) : sipmsg_proxy_unvia(m);
    if (c != SIPMSG_E_NO_SPACE && c != SIPMSG_E_NO_ARENA)
        FZ_CHECK(c == cw);
    if (c == SIPMSG_OK) {
        char *eout = write_check(m, 0, &wn);
        FZ_CHECK(wn == need && memcmp(eout, wout, wn) == 0);
        free(eout);
        FZ_CHECK(f || (slice_same(next.transport, m->via.transport) &&
                       slice_same(next.host, m->via.host) &&
                       slice_same(next.branch, m->via.branch) &&
                       slice_same(next.received, m->via.received) &&
                       slice_same(next.rport, m->via.rport) &&
                       slice_same(next.maddr, m->via.maddr) && next.port == m->via.port &&
                       next.rport_port == m->via.rport_port && next.ttl == m->via.ttl &&
                       next.rport_requested == m->via.rport_requested));
    }
    free(wout);
    return c;
}

static sipmsg_code edit(sipmsg_msg *m, const uint8_t *op)
{
    size_t idx = m->count ? op[1] % (m->count + 1) : 0;
    switch (op[0] % 10) {
    case 0:
        return sipmsg_hdr_insert(m, idx, pick(op[2]), pick(op[3]), op[0] & 0x80 ? SIPMSG_EDIT_REF : 0);
    case 1:
        return sipmsg_hdr_remove(m, idx);
    case 2:
        return sipmsg_hdr_set(m, idx, pick(op[2]), 0);
    case 3:
        return sipmsg_hdr_remove_value(m, idx, op[2] % 4);
    case 4:
        return sipmsg_param_set(m, idx, op[2] % 3, pick(op[3]), pick(op[2] / 3));
    case 5:
        return sipmsg_param_remove(m, idx, op[2] % 3, pick(op[3]));
    case 6:
        return sipmsg_set_request_uri(m, pick(op[2]), 0);
    case 7:
        return sipmsg_set_start_line(m, pick(op[2]), 0);
    case 8:
        return sipmsg_set_body(m, pick(op[2]), 0);
    default:
        if (m->is_request) {
            sipmsg_forward f;
            sipmsg_proxy_via self;
            memset(&f, 0, sizeof f);
            f.via = pick(op[2]);
            if (op[3] & 1)
                f.received = pick(op[3] >> 1);
            f.rport = op[3];
            if (op[0] & 0x40) { /* the proxy's Via checked once, a branch */
                static const char *const sent[] = {
                    "SIP/2.0/UDP h", " SIP/2.0/TCP [::1]:5070;rport ",
                    "SIP/2.0/UDP 1.2.3.4;maddr=239.1.1.1;ttl=3", "SIP/2.0/UDP h;branch=x",
                    "SIP/2.0/UDP a, SIP/2.0/UDP b", "SIP/2.0/UDP h;received=1.2.3.4"};
                static const char *const branches[] = {"z9hG4bKx", "z9hG4bK776", "",
                                                       "a b", "x;y", "z9hG4bK.!%*_+`'~-"};
                const char *st = sent[op[2] % 6], *br = branches[(op[2] / 6) % 6];
                sipmsg_slice sv = {st, strlen(st)};
                if (sipmsg_proxy_via_init(&self, sv, NULL) != SIPMSG_OK)
                    return SIPMSG_E_BAD_TEXT;
                FZ_CHECK(self.text.len && !self.decoded.branch.ptr);
                f.self = &self;
                f.branch.ptr = br;
                f.branch.len = strlen(br);
            }
            int mf = m->max_forwards;
            sipmsg_code c = step(m, &f);
            if (mf == 0)
                FZ_CHECK(c == SIPMSG_E_TOO_MANY_HOPS);
            if (c == SIPMSG_E_TOO_MANY_HOPS)
                FZ_CHECK(mf == 0);
            return c;
        }
        return step(m, NULL);
    }
}

static void respond(const sipmsg_msg *req, unsigned opt)
{
    sipmsg_msg resp;
    sipmsg_arena a;
    static char abuf[8192];
    sipmsg_msg_init(&resp, g_h2, CAP);
    sipmsg_arena_init(&a, abuf, sizeof abuf);
    sipmsg_edit_init(&resp, &a);
    sipmsg_response r;
    memset(&r, 0, sizeof r);
    r.status_code = 100 + (int)(opt * 7u % 600u);
    r.rand = rand_bytes;
    sipmsg_code c = sipmsg_build_response(&resp, req, &r);
    if (c != SIPMSG_OK)
        return;
    FZ_CHECK(!resp.is_request && resp.status_code == r.status_code);
    size_t n;
    char *out = write_check(&resp, 0, &n);
    reparse_same(&resp, out, n, 0);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned opt = data[0], k = data[1] % 8u;
    if (size < 2 + 4u * k)
        return 0;
    const uint8_t *ops = data + 2;
    size_t len = size - 2 - 4u * k;
    char *buf = fz_copy(data + 2 + 4u * k, len);
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, g_h, CAP);
    if (sipmsg_parse(&m, buf, len, NULL, &err) != SIPMSG_DONE) {
        free(buf);
        return 0;
    }
    size_t n;
    /* byte-exact */
    char *out = write_check(&m, 0, &n);
    FZ_CHECK(n == m.len && memcmp(out, m.buf, n) == 0);
    free(out);
    /* canonical, then parse: the same typed values */
    out = write_check(&m, SIPMSG_WRITE_CANONICAL, &n);
    reparse_same(&m, out, n, 1);
    free(out);
    if (m.is_request)
        respond(&m, opt);
    /* edits */
    sipmsg_arena a;
    sipmsg_arena_init(&a, g_arena, (opt & 1) ? 64 : sizeof g_arena);
    sipmsg_edit_init(&m, &a);
    for (unsigned i = 0; i < k; i++) {
        if (edit(&m, ops + 4 * i) != SIPMSG_OK)
            continue;
        out = write_check(&m, 0, &n);
        reparse_same(&m, out, n, 0);
        free(out);
    }
    free(buf);
    return 0;
}
