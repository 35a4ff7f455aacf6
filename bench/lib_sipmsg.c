/*
 * lib_sipmsg.c - sipmsg under the benchmark.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * The context owns everything sipmsg needs: the message struct, the header
 * table and (with the writer) an output buffer. Nothing is allocated per
 * message.
 */
#include "bench.h"

#include <sipmsg.h>
#ifdef BENCH_HAVE_SIPMSG_WRITE
#include <sipmsg/write.h>
#endif

#include <stdlib.h>
#include <string.h>

#define SM_CAPACITY 4096u        /* header table entries */
#define SM_OUT_CAP (256u * 1024u) /* writer output */

typedef struct sm_ctx {
    sipmsg_msg m;
    sipmsg_opts opts;
    sipmsg_error err;
    sipmsg_header headers[SM_CAPACITY];
    char out[SM_OUT_CAP];
#ifdef BENCH_HAVE_SIPMSG_WRITE
    sipmsg_arena arena;
    char arena_buf[4096];
    sipmsg_proxy_via self_via; /* BENCH_PROXY_SENT, checked once */
    int inplace; /* sipmsg-edit: the proxy step as edits of m, then a write */
#endif
} sm_ctx;

int bench_sipmsg_quick_empty;

static void *sm_new(void)
{
    sm_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    sipmsg_msg_init(&c->m, c->headers, SM_CAPACITY);
    c->opts.mode = SIPMSG_DATAGRAM;
    c->opts.max_headers = SM_CAPACITY; /* the 64 KiB message has > 1024 */
#ifdef BENCH_HAVE_SIPMSG_WRITE
    static const char sent[] = BENCH_PROXY_SENT;
    sipmsg_slice s = {sent, sizeof sent - 1};
    if (sipmsg_proxy_via_init(&c->self_via, s, NULL) != SIPMSG_OK) {
        free(c);
        return NULL;
    }
#endif
    return c;
}

static void sm_free(void *ctx)
{
    free(ctx);
}

static int sm_parse_ok(sm_ctx *c, const char *buf, size_t len)
{
    return sipmsg_parse(&c->m, buf, len, &c->opts, &c->err) == SIPMSG_DONE;
}

static uint64_t sm_parse(void *ctx, const char *buf, size_t len)
{
    sm_ctx *c = ctx;
    if (!sm_parse_ok(c, buf, len))
        return BENCH_FAIL;
    return c->m.count + c->m.header_len;
}

/* The fields a proxy reads on every message, all decoded by the parse.
 * NOTE: until src/quick.c decodes them, they are empty and this mode
 * measures the parse plus a few loads. */
static uint64_t sm_access(void *ctx, const char *buf, size_t len)
{
    sm_ctx *c = ctx;
    if (!sm_parse_ok(c, buf, len))
        return BENCH_FAIL;
    const sipmsg_msg *m = &c->m;
    uint64_t v = m->via.branch.len;
    if (m->via.branch.len)
        v += (unsigned char)m->via.branch.ptr[m->via.branch.len - 1];
    v += m->from_tag.len * 3u + m->to_tag.len * 5u + m->call_id.len * 7u;
    v += m->cseq + (uint64_t)m->cseq_method * 11u;
    v += (uint64_t)(m->max_forwards + 1) * 13u;
    v += (uint64_t)(m->content_length + 1) * 17u;
    return v;
}

/* Parse, then the response routing helper on the top Via (what a UAS or a
 * proxy asks before sending a response). */
static uint64_t sm_route(void *ctx, const char *buf, size_t len)
{
    sm_ctx *c = ctx;
    sipmsg_resp_target t;
    if (!sm_parse_ok(c, buf, len) || sipmsg_response_target(&c->m, &t, NULL) != SIPMSG_OK)
        return BENCH_FAIL;
    return t.port + t.host.len + (uint64_t)t.rule * 3u;
}

#ifdef BENCH_HAVE_SIPMSG_WRITE
/* Parse, then for MODE_EDIT the proxy step (a request: received= on the
 * top Via, Max-Forwards - 1, our Via on top; a response: pop the top Via)
 * and the write. sipmsg: the step written straight out of the parsed
 * message (sipmsg_proxy_forward_write, sipmsg_proxy_unvia_write), as the
 * stateless-proxy recipe does. sipmsg-edit: the step as edits of the
 * message (sipmsg_proxy_forward, sipmsg_proxy_unvia), new text in an arena
 * reset every message, then sipmsg_write. */
static long sm_do(sm_ctx *c, bench_mode mode, const char *buf, size_t len,
                  char *out, size_t cap)
{
    if (!sm_parse_ok(c, buf, len))
        return -1;
    if (mode == MODE_EDIT) {
        sipmsg_code r;
        size_t n = 0;
#ifdef BENCH_FORWARD_TEXT
        /* the proxy's Via as one text, checked and decoded per message */
        const sipmsg_forward fwd = {.via = {BENCH_PROXY_VIA, sizeof BENCH_PROXY_VIA - 1},
                                    .received = {BENCH_RECEIVED, sizeof BENCH_RECEIVED - 1}};
#else
        /* the proxy's Via checked once (sm_new), the branch per message */
        const sipmsg_forward fwd = {
            .received = {BENCH_RECEIVED, sizeof BENCH_RECEIVED - 1},
            .self = &c->self_via,
            .branch = {BENCH_PROXY_BRANCH, sizeof BENCH_PROXY_BRANCH - 1}};
#endif
        if (!c->inplace) {
            sipmsg_top_via next; /* where the response goes next */
            r = c->m.is_request ? sipmsg_proxy_forward_write(&c->m, &fwd, out, cap, &n)
                                : sipmsg_proxy_unvia_write(&c->m, out, cap, &n, &next);
            return r == SIPMSG_OK ? (long)n : -1;
        }
        sipmsg_arena_init(&c->arena, c->arena_buf, sizeof c->arena_buf);
        sipmsg_edit_init(&c->m, &c->arena);
        r = c->m.is_request ? sipmsg_proxy_forward(&c->m, &fwd) : sipmsg_proxy_unvia(&c->m);
        if (r != SIPMSG_OK)
            return -1;
    }
    size_t n = sipmsg_write(&c->m, out, cap, 0);
    return n <= cap ? (long)n : -1;
}

static uint64_t sm_roundtrip(void *ctx, const char *buf, size_t len)
{
    sm_ctx *c = ctx;
    long n = sm_do(c, MODE_ROUNDTRIP, buf, len, c->out, sizeof c->out);
    return n < 0 ? BENCH_FAIL : (uint64_t)n + (unsigned char)c->out[n / 2];
}

static uint64_t sm_edit(void *ctx, const char *buf, size_t len)
{
    sm_ctx *c = ctx;
    long n = sm_do(c, MODE_EDIT, buf, len, c->out, sizeof c->out);
    return n < 0 ? BENCH_FAIL : (uint64_t)n + (unsigned char)c->out[n / 2];
}

static long sm_render(void *ctx, bench_mode mode, const char *buf, size_t len,
                      char *out, size_t cap)
{
    return sm_do(ctx, mode, buf, len, out, cap);
}
#else
#define sm_roundtrip NULL
#define sm_edit NULL
#define sm_render NULL
#endif

/* Reads the top Via branch from the header table itself (not from the
 * decoded fields), so the check does not depend on src/quick.c. */
static void probe_branch(const sipmsg_msg *m, bench_probe *out)
{
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_VIA);
    out->has_branch = 0;
    if (!h)
        return;
    const char *p = h->value.ptr, *e = p + h->value.len;
    for (; p < e && *p != ','; p++) {
        if (*p != ';')
            continue;
        const char *q = p + 1;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
            q++;
        if (e - q > 7 && memcmp(q, "branch=", 7) == 0) {
            const char *s = q + 7, *t = s;
            while (t < e && *t != ';' && *t != ',' && *t != ' ' && *t != '\r')
                t++;
            bench_copy_str(out->branch, sizeof out->branch, s, (size_t)(t - s));
            out->has_branch = 1;
            return;
        }
    }
}

static int sm_probe(void *ctx, const char *buf, size_t len, bench_probe *out)
{
    sm_ctx *c = ctx;
    if (!sm_parse_ok(c, buf, len))
        return -1;
    const sipmsg_header *cs = sipmsg_find(&c->m, SIPMSG_HDR_CSEQ);
    if (!cs)
        return -1;
    out->cseq = bench_parse_u32(cs->value.ptr, cs->value.len);
    out->vias = sipmsg_count(&c->m, SIPMSG_HDR_VIA);
    probe_branch(&c->m, out);
    if (c->m.cseq == 0)
        bench_sipmsg_quick_empty = 1; /* decoded fields not filled yet */
    else if (c->m.cseq != out->cseq)
        return -1;
    return 0;
}

const bench_lib bench_lib_sipmsg = {
    "sipmsg", sm_new, sm_free,
    {sm_parse, sm_access, sm_roundtrip, sm_edit, sm_route},
    sm_probe, sm_render,
};

/* sipmsg-frame: the parse with SIPMSG_PARSE_FRAME_ONLY, that is framing,
 * start line and header table without the decoded fields: the part of the
 * parse that the memchr floor is a fair reference for. */
static void *smf_new(void)
{
    sm_ctx *c = sm_new();
    if (c)
        c->opts.flags = SIPMSG_PARSE_FRAME_ONLY;
    return c;
}

static int smf_probe(void *ctx, const char *buf, size_t len, bench_probe *out)
{
    sm_ctx *c = ctx;
    if (!sm_parse_ok(c, buf, len))
        return -1;
    const sipmsg_header *cs = sipmsg_find(&c->m, SIPMSG_HDR_CSEQ);
    if (!cs || c->m.cseq != 0) /* frame only: nothing decoded */
        return -1;
    out->cseq = bench_parse_u32(cs->value.ptr, cs->value.len);
    out->vias = sipmsg_count(&c->m, SIPMSG_HDR_VIA);
    probe_branch(&c->m, out);
    return 0;
}

const bench_lib bench_lib_sipmsg_frame = {
    "sipmsg-frame", smf_new, sm_free,
    {sm_parse, NULL, NULL, NULL},
    smf_probe, NULL,
};

#ifdef BENCH_HAVE_SIPMSG_WRITE
/* sipmsg-edit: the edit mode as edits of the parsed message, then a write
 * (sm_do); beside sipmsg's written-out step in the same run. */
static void *sme_new(void)
{
    sm_ctx *c = sm_new();
    if (c)
        c->inplace = 1;
    return c;
}

const bench_lib bench_lib_sipmsg_edit = {
    "sipmsg-edit", sme_new, sm_free,
    {NULL, NULL, NULL, sm_edit, NULL},
    sm_probe, sm_render,
};
#endif
