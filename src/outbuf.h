/*
 * outbuf.h - snprintf-style output for the body writers (cpim.c,
 * multipart.c): every byte is counted, those that fit are stored, no NUL
 * is added (wire text). Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_OUTBUF_H
#define SIPMSG_OUTBUF_H

#include <stddef.h>
#include <string.h>

typedef struct outbuf {
    char *p;
    size_t cap, n;
} outbuf;

static inline void put(outbuf *o, const char *s, size_t n)
{
    if (o->n < o->cap && n) {
        size_t room = o->cap - o->n;
        memcpy(o->p + o->n, s, n < room ? n : room);
    }
    o->n += n;
}

#endif
