/*
 * run.c - the runner: the library table, verification, timed batches,
 * calibration and allocation counts.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const bench_lib *const bench_libs[] = {
    &bench_lib_sipmsg,
    &bench_lib_sipmsg_frame,
#ifdef BENCH_HAVE_SIPMSG_WRITE
    &bench_lib_sipmsg_edit,
#endif
#ifdef BENCH_HAVE_OSIP
    &bench_lib_osip,
#endif
#ifdef BENCH_HAVE_SOFIA
    &bench_lib_sofia,
#endif
    &bench_lib_floor,
};
const size_t bench_nlibs = sizeof bench_libs / sizeof bench_libs[0];

const char *const bench_mode_names[MODE_COUNT_] = {
    "parse", "access", "roundtrip", "edit", "route",
};

const bench_lib *bench_find_lib(const char *name)
{
    for (size_t i = 0; i < bench_nlibs; i++)
        if (strcmp(bench_libs[i]->name, name) == 0 ||
            (strcmp(name, "osip") == 0 && strcmp(bench_libs[i]->name, "libosip2") == 0) ||
            (strcmp(name, "sofia") == 0 && strcmp(bench_libs[i]->name, "sofia-sip") == 0))
            return bench_libs[i];
    return NULL;
}

int bench_find_mode(const char *name)
{
    for (int i = 0; i < MODE_COUNT_; i++)
        if (strcmp(bench_mode_names[i], name) == 0)
            return i;
    return -1;
}

uint32_t bench_parse_u32(const char *p, size_t len)
{
    uint32_t v = 0;
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    for (; i < len && p[i] >= '0' && p[i] <= '9'; i++)
        v = v * 10u + (uint32_t)(p[i] - '0');
    return v;
}

void bench_copy_str(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

void bench_probe_set(bench_probe *p, uint32_t cseq, const char *branch)
{
    p->cseq = cseq;
    p->has_branch = branch != NULL;
    if (branch)
        bench_copy_str(p->branch, sizeof p->branch, branch, strlen(branch));
}

/* ---- peers: roundtrip and edit through one write function ----------------- */

typedef struct peer_ctx {
    bench_write_fn write;
} peer_ctx;

void *bench_peer_ctx_new(bench_write_fn write)
{
    peer_ctx *c = malloc(sizeof *c);
    if (c)
        c->write = write;
    return c;
}

void bench_peer_ctx_free(void *ctx)
{
    free(ctx);
}

uint64_t bench_peer_roundtrip(void *ctx, const char *buf, size_t len)
{
    long r = ((peer_ctx *)ctx)->write(MODE_ROUNDTRIP, buf, len, NULL, 0);
    return r < 0 ? BENCH_FAIL : (uint64_t)r;
}

uint64_t bench_peer_edit(void *ctx, const char *buf, size_t len)
{
    long r = ((peer_ctx *)ctx)->write(MODE_EDIT, buf, len, NULL, 0);
    return r < 0 ? BENCH_FAIL : (uint64_t)r;
}

long bench_peer_render(void *ctx, bench_mode mode, const char *buf, size_t len,
                       char *out, size_t cap)
{
    return ((peer_ctx *)ctx)->write(mode, buf, len, out, cap);
}

long bench_emit(const char *s, size_t n, char *out, size_t cap)
{
    if (!out)
        return (long)n + (unsigned char)s[n / 2];
    if (n > cap)
        return -1;
    memcpy(out, s, n);
    return (long)n;
}

/* ---- verification -------------------------------------------------------- */

static int same_probe(const bench_probe *p, uint32_t cseq, int has_branch,
                      const char *branch)
{
    if (p->cseq != cseq || p->has_branch != has_branch)
        return 0;
    return !has_branch || strcmp(p->branch, branch) == 0;
}

static void say_probe(const char *what, const bench_lib *lib,
                      const bench_input *in, const bench_probe *p)
{
    fprintf(stderr, "bench: %s: %s on %s: got CSeq %u branch %s, want CSeq %u branch %s\n",
            what, lib->name, in->name, p->cseq, p->has_branch ? p->branch : "(none)",
            in->cseq, in->has_branch ? in->branch : "(none)");
}

static int sipmsg_probe(const char *buf, size_t len, bench_probe *p)
{
    void *sm = bench_lib_sipmsg.ctx_new();
    memset(p, 0, sizeof *p);
    int r = sm ? bench_lib_sipmsg.probe(sm, buf, len, p) : -1;
    bench_lib_sipmsg.ctx_free(sm);
    return r;
}

/* What roundtrip or edit wrote must parse (with sipmsg) and carry the right
 * CSeq and top branch: the original for roundtrip (sipmsg's own roundtrip
 * must be byte-exact), ours after forwarding a request; a response must
 * have lost one Via. */
static int verify_output(const bench_lib *lib, bench_mode mode,
                         const bench_input *in, const char *out, size_t n)
{
    bench_probe p, orig;
    if (sipmsg_probe(out, n, &p) != 0 || sipmsg_probe(in->buf, in->len, &orig) != 0) {
        fprintf(stderr, "bench: %s %s on %s: output does not parse\n",
                lib->name, bench_mode_names[mode], in->name);
        return -1;
    }
    int is_request = strncmp(in->buf, "SIP/", 4) != 0;
    int ok;
    if (mode == MODE_ROUNDTRIP)
        ok = same_probe(&p, in->cseq, in->has_branch, in->branch) &&
             (lib != &bench_lib_sipmsg || (n == in->len && memcmp(out, in->buf, n) == 0));
    else if (is_request)
        ok = same_probe(&p, in->cseq, 1, BENCH_PROXY_BRANCH) && p.vias == orig.vias + 1;
    else
        ok = p.cseq == in->cseq && p.vias + 1 == orig.vias;
    if (!ok)
        say_probe(bench_mode_names[mode], lib, in, &p);
    return ok ? 0 : -1;
}

int bench_verify(const bench_lib *lib, void *ctx, bench_mode mode,
                 const bench_input *in)
{
    bench_probe p;
    memset(&p, 0, sizeof p);
    if (lib->probe) {
        if (lib->probe(ctx, in->buf, in->len, &p) != 0) {
            fprintf(stderr, "bench: %s rejects %s\n", lib->name, in->name);
            return -1;
        }
        if (!same_probe(&p, in->cseq, in->has_branch, in->branch)) {
            say_probe("check", lib, in, &p);
            return -1;
        }
    }
    if ((mode == MODE_ROUNDTRIP || mode == MODE_EDIT) && lib->render) {
        size_t cap = in->len * 2 + 4096;
        char *out = malloc(cap);
        long n = out ? lib->render(ctx, mode, in->buf, in->len, out, cap) : -1;
        int r = n < 0 ? -1 : verify_output(lib, mode, in, out, (size_t)n);
        if (n < 0)
            fprintf(stderr, "bench: %s %s on %s: no output\n", lib->name,
                    bench_mode_names[mode], in->name);
        free(out);
        if (r)
            return r;
    }
    uint64_t v = lib->mode[mode](ctx, in->buf, in->len);
    if (v == BENCH_FAIL) {
        fprintf(stderr, "bench: %s %s fails on %s\n", lib->name,
                bench_mode_names[mode], in->name);
        return -1;
    }
    return 0;
}

/* ---- timing -------------------------------------------------------------- */

uint64_t bench_batch(bench_fn fn, void *ctx, const bench_input *in,
                     uint64_t iters, uint64_t *fails)
{
    const char *buf = in->buf;
    size_t len = in->len;
    uint64_t acc = 0, bad = 0;
    uint64_t t0 = bench_cpu_ns();
    for (uint64_t i = 0; i < iters; i++) {
        uint64_t v = fn(ctx, buf, len);
        bad += v == BENCH_FAIL;
        acc += v;
    }
    uint64_t t1 = bench_cpu_ns();
    bench_sink += acc;
    *fails += bad;
    return t1 - t0;
}

uint64_t bench_calibrate(bench_fn fn, void *ctx, const bench_input *in,
                         double batch_ns)
{
    uint64_t iters = 1, fails = 0;
    for (;;) {
        double t = (double)bench_batch(fn, ctx, in, iters, &fails);
        if (t >= batch_ns / 8 || iters >= (1ull << 40)) {
            double n = (double)iters * batch_ns / (t > 1 ? t : 1);
            return n < 1 ? 1 : (uint64_t)n;
        }
        iters *= t < batch_ns / 1000 ? 16 : 4;
    }
}

double bench_allocs_per_msg(bench_fn fn, void *ctx, const bench_input *in)
{
    enum { N = 16 };
    uint64_t fails = 0;
    bench_batch(fn, ctx, in, 1, &fails); /* warm: lazy init, caches */
    unsigned long long a = bench_alloc_count();
    bench_batch(fn, ctx, in, N, &fails);
    return (double)(bench_alloc_count() - a) / N;
}
