/*
 * alloc_count.c - counts heap allocations by interposing malloc, calloc and
 * realloc in the benchmark executable.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Symbols defined in the executable take precedence over libc's for every
 * shared library too, so libosip2's and sofia-sip's allocations are counted.
 * The wrappers forward to glibc's __libc_* entry points (no dlsym, hence no
 * bootstrap recursion). The counter is thread-local: no atomic operation is
 * added to the peers' allocation path. free() is not wrapped.
 * Elsewhere than glibc, counting is off and reports 0.
 */
#include "bench.h"

#include <stdlib.h>

#if defined(__GLIBC__)

#define BENCH_COUNTING 1

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

static _Thread_local unsigned long long allocs;

void *malloc(size_t n)
{
    allocs++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    allocs++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    allocs++;
    return __libc_realloc(p, n);
}
#else
#define BENCH_COUNTING 0
static unsigned long long allocs;
#endif

unsigned long long bench_alloc_count(void)
{
    return allocs;
}

int bench_alloc_counting(void)
{
    return BENCH_COUNTING;
}
