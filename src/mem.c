/*
 * mem.c - memset and memcpy called, never expanded inline (see mem.h).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "mem.h"

#include <string.h>

/* Not inlined nor specialised to a caller's constant size (gcc would
 * expand the call again; with LTO too). */
#if defined(__clang__)
#define MEM_CALLED __attribute__((noinline))
#elif defined(__GNUC__)
#define MEM_CALLED __attribute__((noinline, noclone))
#else
#define MEM_CALLED
#endif

MEM_CALLED void sipmsg_fill_(void *p, int c, size_t n)
{
    memset(p, c, n);
}

MEM_CALLED void sipmsg_copy_(void *d, const void *s, size_t n)
{
    memcpy(d, s, n);
}
