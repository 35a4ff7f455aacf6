/*
 * headers.h - the header table of a message (headers.c): lookups and the
 * id index. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_HEADERS_H_
#define SIPMSG_HEADERS_H_

#include "sipmsg/parse.h"

/* Rebuilds first[], last[] and the next links of the header table. */
void sipmsg_reindex_(sipmsg_msg *m);

/* Links header i (already in the table) at the end of its id's chain. */
static inline void sipmsg_link_header_(sipmsg_msg *m, size_t i)
{
    sipmsg_header *h = &m->headers[i];
    h->next = SIPMSG_NONE;
    if (m->first[h->id] == SIPMSG_NONE)
        m->first[h->id] = (uint32_t)i;
    else
        m->headers[m->last[h->id]].next = (uint32_t)i;
    m->last[h->id] = (uint32_t)i;
}

#endif
