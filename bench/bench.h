/*
 * bench.h - the pieces shared by the benchmark's translation units.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Every library under test (sipmsg, libosip2, sofia-sip, the memchr floor)
 * is one bench_lib: a per-thread context plus one function per mode. A mode
 * function handles one message from start to end (parse, read, write, free)
 * and returns a value computed from the result, so the compiler cannot drop
 * the work; BENCH_FAIL means the library rejected the message.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

typedef enum bench_mode {
    MODE_PARSE = 0, /* parse (and free) */
    MODE_ACCESS,    /* parse, read the fields a proxy reads on every message */
    MODE_ROUNDTRIP, /* parse, write the whole message out */
    MODE_EDIT,      /* parse, proxy step (forward a request / pop a response Via), write */
    MODE_ROUTE,     /* parse, then where a response goes (RFC 3261 18.2.2, the top Via) */
    MODE_COUNT_
} bench_mode;

#define BENCH_FAIL UINT64_MAX

/* The Via a proxy pushes in edit mode, and the received= it adds below. */
#define BENCH_PROXY_SENT   "SIP/2.0/UDP proxy.bench.example" /* without the branch */
#define BENCH_PROXY_BRANCH "z9hG4bKbenchproxy1"
#define BENCH_PROXY_VIA    BENCH_PROXY_SENT ";branch=" BENCH_PROXY_BRANCH
#define BENCH_PROXY_HOST   "proxy.bench.example"
#define BENCH_RECEIVED "192.0.2.77"

/* What a library saw in a message: the check made before any timing. */
typedef struct bench_probe {
    uint32_t cseq;
    int has_branch;
    char branch[128];
    size_t vias; /* Via header lines (sipmsg's probe only) */
} bench_probe;

typedef uint64_t (*bench_fn)(void *ctx, const char *buf, size_t len);

typedef struct bench_lib {
    const char *name;
    void *(*ctx_new)(void);
    void (*ctx_free)(void *ctx);
    bench_fn mode[MODE_COUNT_]; /* NULL: the mode is not available */
    /* Parses and reports the CSeq number and top Via branch; 0 on success. */
    int (*probe)(void *ctx, const char *buf, size_t len, bench_probe *out);
    /* Writes what `mode` (roundtrip or edit) produces into out; returns its
     * length, or -1. Used only to check the output, never timed. */
    long (*render)(void *ctx, bench_mode mode, const char *buf, size_t len,
                   char *out, size_t cap);
} bench_lib;

/* The libraries, each defined in its own file. Peers may be absent. */
extern const bench_lib bench_lib_sipmsg;
extern const bench_lib bench_lib_sipmsg_frame;
#ifdef BENCH_HAVE_SIPMSG_WRITE
extern const bench_lib bench_lib_sipmsg_edit; /* the edit mode as edits, then a write */
#endif
extern const bench_lib bench_lib_floor;
#ifdef BENCH_HAVE_OSIP
extern const bench_lib bench_lib_osip;
#endif
#ifdef BENCH_HAVE_SOFIA
extern const bench_lib bench_lib_sofia;
#endif

/* Set by sipmsg's probe when the decoded ("quick") fields are still empty,
 * i.e. src/quick.c does not fill them yet. */
extern int bench_sipmsg_quick_empty;

/* Heap allocation calls (malloc, calloc, realloc) made by this thread so
 * far; 0 forever when counting is not available (see alloc_count.c). */
unsigned long long bench_alloc_count(void);
int bench_alloc_counting(void);

/* Small helpers for the library files. */
uint32_t bench_parse_u32(const char *p, size_t len);
void bench_copy_str(char *dst, size_t cap, const char *src, size_t len);
/* Fills a probe from a CSeq number and a NUL-terminated branch (or NULL). */
void bench_probe_set(bench_probe *p, uint32_t cseq, const char *branch);

/* ---- peers whose roundtrip and edit are one function (run.c) ------------
 * write(mode, ...) parses, applies the proxy step for MODE_EDIT, writes the
 * message and hands it to bench_emit. The context only holds `write`. */
typedef long (*bench_write_fn)(bench_mode mode, const char *buf, size_t len,
                               char *out, size_t cap);
void *bench_peer_ctx_new(bench_write_fn write);
void bench_peer_ctx_free(void *ctx);
uint64_t bench_peer_roundtrip(void *ctx, const char *buf, size_t len);
uint64_t bench_peer_edit(void *ctx, const char *buf, size_t len);
long bench_peer_render(void *ctx, bench_mode mode, const char *buf, size_t len,
                       char *out, size_t cap);
/* A written message of n bytes: copied into out when out is given (-1 if
 * it does not fit); else its length plus one byte of it, for the sink. */
long bench_emit(const char *s, size_t n, char *out, size_t cap);

/* ---- the runner (run.c) ------------------------------------------------- */

/* One message under test, with what every parser must find in it. */
typedef struct bench_input {
    char name[64];
    char *buf;
    size_t len;
    size_t headers;   /* header lines, for ns/header (0: not counted) */
    uint32_t cseq;
    int has_branch;
    char branch[128];
} bench_input;

/* Run-wide settings. */
typedef struct bench_cfg {
    double batch_ns;  /* calibrated length of one batch */
    int batches;      /* batches per cell; the median is reported */
    int verbose;
} bench_cfg;

/* The libraries compiled in, sipmsg first, the floor last. */
extern const bench_lib *const bench_libs[];
extern const size_t bench_nlibs;
extern const char *const bench_mode_names[MODE_COUNT_];

const bench_lib *bench_find_lib(const char *name);
int bench_find_mode(const char *name);
uint64_t bench_now_ns(void);  /* wall clock (CLOCK_MONOTONIC) */
uint64_t bench_cpu_ns(void);  /* this thread's CPU time: batches are timed
                                 with it, so other load on the machine
                                 does not count while we are descheduled */

/* Checks that `lib` parses `in` correctly in `mode` (and that what it
 * writes parses again with the same CSeq and branch). 0 when fine;
 * otherwise prints why on stderr. */
int bench_verify(const bench_lib *lib, void *ctx, bench_mode mode,
                 const bench_input *in);

/* Runs `iters` iterations; returns CPU nanoseconds; adds failures to *fails. */
uint64_t bench_batch(bench_fn fn, void *ctx, const bench_input *in,
                     uint64_t iters, uint64_t *fails);
/* Picks an iteration count that makes one batch last about cfg->batch_ns. */
uint64_t bench_calibrate(bench_fn fn, void *ctx, const bench_input *in,
                         double batch_ns);
/* Heap allocation calls per message. */
double bench_allocs_per_msg(bench_fn fn, void *ctx, const bench_input *in);
double bench_median(double *v, int n); /* sorts v */
/* The whole file, malloc'd (*len its size); NULL when unreadable. */
char *bench_read_file(const char *path, size_t *len);

/* Keeps results alive so the compiler cannot drop the work. */
extern volatile uint64_t bench_sink;

/* ---- sections (scale.c) -------------------------------------------------- */
void bench_scaling(const bench_cfg *cfg);
void bench_threads(const bench_cfg *cfg, const bench_input *in, double seconds);

#endif /* BENCH_H */
