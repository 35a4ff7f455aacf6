/*
 * scale.c - scaling with message size and header count (messages generated
 * in memory), and throughput with 1 and 2 threads.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEN_CSEQ 42u
#define GEN_BRANCH "z9hG4bKscale42"

/* ---- generated messages -------------------------------------------------- */

typedef struct gen {
    char *buf;
    size_t len, cap;
} gen;

static void put(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < g->cap - g->len)
        g->len += (size_t)n;
}

static void put_head(gen *g)
{
    put(g, "INVITE sip:callee@example.net SIP/2.0\r\n"
           "Via: SIP/2.0/UDP client.example.org:5060;branch=" GEN_BRANCH "\r\n"
           "Max-Forwards: 70\r\n"
           "From: <sip:caller@example.org>;tag=sc-1\r\n"
           "To: <sip:callee@example.net>\r\n"
           "Call-ID: scale-1@example.org\r\n"
           "CSeq: %u INVITE\r\n", GEN_CSEQ);
}

/* One of four realistic header kinds, ~50-75 bytes. */
static void put_mixed(gen *g, unsigned i)
{
    switch (i % 4) {
    case 0:
        put(g, "Via: SIP/2.0/UDP hop%u.example.net:5060;branch=z9hG4bKh%06u\r\n", i, i);
        break;
    case 1:
        put(g, "Record-Route: <sip:rr%u.example.net;lr;ftag=sc-1>\r\n", i);
        break;
    case 2:
        put(g, "P-Charging-Vector: icid-value=%08x;orig-ioi=example.org\r\n", i * 2654435761u);
        break;
    default:
        put(g, "X-Trace-%u: node=%u; t=%u\r\n", i, i, 1000 + i);
    }
}

static void finish(gen *g, bench_input *in, const char *name, size_t headers)
{
    put(g, "Content-Length: 0\r\n\r\n");
    memset(in, 0, sizeof *in);
    bench_copy_str(in->name, sizeof in->name, name, strlen(name));
    in->buf = g->buf;
    in->len = g->len;
    in->headers = headers;
    in->cseq = GEN_CSEQ;
    in->has_branch = 1;
    bench_copy_str(in->branch, sizeof in->branch, GEN_BRANCH, strlen(GEN_BRANCH));
}

/* Size series: the usual head, then X-Pad headers of up to 4000 bytes until
 * the message has `size` bytes (long lines: the line scan dominates). */
static void gen_size(bench_input *in, size_t size)
{
    gen g = {malloc(size + 256), 0, size + 256};
    size_t h = 7;
    put_head(&g);
    while (g.len + 9 + 21 < size) { /* "X-Pad: " CRLF; the Content-Length line + CRLF */
        size_t room = size - g.len - 9 - 21;
        size_t n = room > 4000 ? 4000 : room;
        put(&g, "X-Pad: ");
        memset(g.buf + g.len, 'p', n);
        g.len += n;
        put(&g, "\r\n");
        h++;
    }
    char name[64];
    snprintf(name, sizeof name, "size %5.1f KB", (double)size / 1024);
    finish(&g, in, name, h);
}

/* Header series: the head plus `count` mixed headers. */
static void gen_headers(bench_input *in, unsigned count)
{
    size_t cap = 512 + (size_t)count * 96;
    gen g = {malloc(cap), 0, cap};
    put_head(&g);
    for (unsigned i = 7; i < count; i++)
        put_mixed(&g, i);
    char name[64];
    snprintf(name, sizeof name, "%u headers", count);
    finish(&g, in, name, count);
}

/* ---- scaling ------------------------------------------------------------- */

typedef struct scale_cell {
    const bench_lib *lib;
    void *ctx;
    uint64_t iters;
    double ns[64];
} scale_cell;

/* Median ns/message of the parse mode of every library, interleaved. */
static void measure_parse(const bench_cfg *cfg, const bench_input *in, double *out)
{
    scale_cell cells[8];
    size_t n = 0;
    for (size_t l = 0; l < bench_nlibs && n < 8; l++) {
        scale_cell *c = &cells[n];
        out[l] = -1;
        c->lib = bench_libs[l];
        c->ctx = c->lib->ctx_new();
        if (!c->ctx || bench_verify(c->lib, c->ctx, MODE_PARSE, in) != 0) {
            c->lib->ctx_free(c->ctx);
            continue;
        }
        c->iters = bench_calibrate(c->lib->mode[MODE_PARSE], c->ctx, in, cfg->batch_ns);
        n++;
    }
    for (int r = 0; r < cfg->batches; r++)
        for (size_t i = 0; i < n; i++) {
            uint64_t fails = 0;
            uint64_t t = bench_batch(cells[i].lib->mode[MODE_PARSE], cells[i].ctx, in,
                                     cells[i].iters, &fails);
            cells[i].ns[r] = (double)t / (double)cells[i].iters;
        }
    for (size_t i = 0; i < n; i++) {
        for (size_t l = 0; l < bench_nlibs; l++)
            if (bench_libs[l] == cells[i].lib)
                out[l] = bench_median(cells[i].ns, cfg->batches);
        cells[i].lib->ctx_free(cells[i].ctx);
    }
}

static void scale_header(const char *title)
{
    printf("\n## Scaling: %s (parse; ns/byte, and ns/message in brackets)\n\n| %-14s | %6s | %7s |",
           title, "message", "bytes", "headers");
    for (size_t l = 0; l < bench_nlibs; l++)
        printf(" %-22s |", bench_libs[l]->name);
    printf("\n|----------------|-------:|--------:|");
    for (size_t l = 0; l < bench_nlibs; l++)
        printf("------------------------|");
    printf("\n");
}

static void scale_row(const bench_cfg *cfg, const bench_input *in)
{
    double ns[16];
    measure_parse(cfg, in, ns);
    printf("| %-14s | %6zu | %7zu |", in->name, in->len, in->headers);
    for (size_t l = 0; l < bench_nlibs; l++) {
        if (ns[l] < 0)
            printf(" %-22s |", "failed");
        else
            printf(" %6.3f (%12.0f) |", ns[l] / (double)in->len, ns[l]);
    }
    printf("\n");
    fflush(stdout);
}

void bench_scaling(const bench_cfg *cfg)
{
    static const size_t sizes[] = {300, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
    static const unsigned counts[] = {10, 30, 100, 300, 1000};
    bench_cfg c = *cfg;
    if (c.batch_ns > 150e6)
        c.batch_ns = 150e6; /* many cells: shorter batches */
    bench_input in;
    scale_header("message size, 7 headers + 4000-byte X-Pad lines");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        gen_size(&in, sizes[i]);
        scale_row(&c, &in);
        free(in.buf);
    }
    scale_header("header count, mixed Via / Record-Route / P- / X- headers");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        gen_headers(&in, counts[i]);
        scale_row(&c, &in);
        free(in.buf);
    }
}

/* ---- threads ------------------------------------------------------------- */

typedef struct worker {
    pthread_t tid;
    const bench_lib *lib;
    const bench_input *in;
    pthread_barrier_t *start;
    atomic_int *stop;
    uint64_t done;
    int ok;
} worker;

/* Parses its own copy of the message until told to stop. */
static void *work(void *arg)
{
    worker *w = arg;
    bench_input mine = *w->in;
    mine.buf = malloc(mine.len);
    void *ctx = w->lib->ctx_new();
    w->ok = mine.buf && ctx;
    if (w->ok)
        memcpy(mine.buf, w->in->buf, mine.len);
    pthread_barrier_wait(w->start);
    uint64_t fails = 0;
    while (w->ok && !atomic_load_explicit(w->stop, memory_order_relaxed)) {
        bench_batch(w->lib->mode[MODE_PARSE], ctx, &mine, 256, &fails);
        w->done += 256;
    }
    w->ok = w->ok && fails == 0;
    w->lib->ctx_free(ctx);
    free(mine.buf);
    return NULL;
}

/* Messages per second with `nt` threads, each on its own buffer. */
static double throughput(const bench_lib *lib, const bench_input *in, int nt,
                         double seconds)
{
    worker w[2];
    pthread_barrier_t start;
    atomic_int stop = 0;
    pthread_barrier_init(&start, NULL, (unsigned)nt + 1);
    for (int i = 0; i < nt; i++) {
        w[i] = (worker){0, lib, in, &start, &stop, 0, 0};
        pthread_create(&w[i].tid, NULL, work, &w[i]);
    }
    pthread_barrier_wait(&start);
    uint64_t t0 = bench_now_ns();
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
    atomic_store(&stop, 1);
    uint64_t total = 0;
    int ok = 1;
    for (int i = 0; i < nt; i++) {
        pthread_join(w[i].tid, NULL);
        total += w[i].done;
        ok = ok && w[i].ok;
    }
    double el = (double)(bench_now_ns() - t0) / 1e9;
    pthread_barrier_destroy(&start);
    return ok ? (double)total / el : -1;
}

void bench_threads(const bench_cfg *cfg, const bench_input *in, double seconds)
{
    (void)cfg;
    printf("\n## Threads: parse of %s (%zu bytes), independent buffers, %.1f s each\n\n",
           in->name, in->len, seconds);
    printf("| %-9s | %14s | %14s | %7s |\n|-----------|---------------:|---------------:|--------:|\n",
           "library", "1 thread msg/s", "2 threads msg/s", "speedup");
    for (size_t l = 0; l < bench_nlibs; l++) {
        const bench_lib *lib = bench_libs[l];
        void *ctx = lib->ctx_new();
        int ok = ctx && bench_verify(lib, ctx, MODE_PARSE, in) == 0;
        lib->ctx_free(ctx);
        if (!ok)
            continue;
        double t1 = throughput(lib, in, 1, seconds);
        double t2 = throughput(lib, in, 2, seconds);
        printf("| %-9s | %14.0f | %14.0f | %6.2fx |\n", lib->name, t1, t2, t2 / t1);
        fflush(stdout);
    }
}
