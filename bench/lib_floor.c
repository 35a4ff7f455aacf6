/*
 * lib_floor.c - the physical floor: a plain memchr pass over the header
 * block that records the position of every CRLF and every colon into a
 * fixed array. Any parser has to look at these bytes at least once.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#define FLOOR_MAX 16384u

typedef struct floor_ctx {
    uint32_t crlf[FLOOR_MAX];
    uint32_t colon[FLOOR_MAX];
    size_t ncrlf, ncolon;
} floor_ctx;

static void *floor_new(void)
{
    return calloc(1, sizeof(floor_ctx));
}

static void floor_free(void *ctx)
{
    free(ctx);
}

/* Records the colons of one line [p, e). */
static void floor_colons(floor_ctx *c, const char *base, const char *p,
                         const char *e)
{
    const char *q;
    while (p < e && (q = memchr(p, ':', (size_t)(e - p))) != NULL) {
        if (c->ncolon < FLOOR_MAX)
            c->colon[c->ncolon++] = (uint32_t)(q - base);
        p = q + 1;
    }
}

/* Line by line up to the empty line ending the header block. */
static uint64_t floor_parse(void *ctx, const char *buf, size_t len)
{
    floor_ctx *c = ctx;
    const char *p = buf, *end = buf + len, *nl;
    c->ncrlf = c->ncolon = 0;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        if (nl == p || nl[-1] != '\r')
            return BENCH_FAIL;
        if (c->ncrlf < FLOOR_MAX)
            c->crlf[c->ncrlf++] = (uint32_t)(nl - 1 - buf);
        if (nl - 1 == p)
            return c->ncrlf + c->ncolon * 3u; /* the empty line */
        floor_colons(c, buf, p, nl - 1);
        p = nl + 1;
    }
    return BENCH_FAIL;
}

const bench_lib bench_lib_floor = {
    "floor", floor_new, floor_free,
    {floor_parse, NULL, NULL, NULL},
    NULL, NULL,
};
