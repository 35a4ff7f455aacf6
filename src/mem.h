/*
 * mem.h - memset and memcpy called, never expanded inline (mem.c). Not
 * installed.
 *
 * gcc expands a memset or a copy of a known 100 bytes or more into
 * `rep stos` / `rep movs`, whose start-up is slow: the three clears at the
 * start of each parse took 30 of the 190 ns that the parse of bench
 * message 01 took, and 8 as calls into the C library (bench/README.md,
 * "session 8"). Per-message code clears and copies large structs with
 * these; ctest check_stringops (tools/check_stringops.py) keeps the
 * expanded forms out of it.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_MEM_H_
#define SIPMSG_MEM_H_

#include <stddef.h>

/* memset(p, c, n), with n out of the compiler's sight. */
void sipmsg_fill_(void *p, int c, size_t n);

/* memcpy(d, s, n), the same way (a struct copy of a sipmsg_msg took 18 ns
 * as `rep movs`, 6 as a call). */
void sipmsg_copy_(void *d, const void *s, size_t n);

#endif
