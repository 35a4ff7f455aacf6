/*
 * headers.c - the header table of a parsed message: lookups by id and by
 * name, counts, and the id index (first[], last[], next links).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "headers.h"

#include "chars.h"
#include "mem.h"

void sipmsg_reindex_(sipmsg_msg *m)
{
    sipmsg_fill_(m->first, 0xff, SIPMSG_HDR_COUNT_ * sizeof m->first[0]); /* NONE */
    sipmsg_fill_(m->last, 0xff, SIPMSG_HDR_COUNT_ * sizeof m->last[0]);
    for (size_t i = 0; i < m->count; i++)
        sipmsg_link_header_(m, i);
}

/* ---- access -------------------------------------------------------------- */

const sipmsg_header *sipmsg_find(const sipmsg_msg *m, sipmsg_hdr_id id)
{
    if ((unsigned)id >= SIPMSG_HDR_COUNT_ || m->first[id] == SIPMSG_NONE)
        return NULL;
    return &m->headers[m->first[id]];
}

const sipmsg_header *sipmsg_find_next(const sipmsg_msg *m, const sipmsg_header *h)
{
    return h && h->next != SIPMSG_NONE ? &m->headers[h->next] : NULL;
}

const sipmsg_header *sipmsg_find_name(const sipmsg_msg *m, sipmsg_slice name)
{
    sipmsg_hdr_id id = sipmsg_hdr_lookup(name);
    if (id != SIPMSG_HDR_OTHER)
        return sipmsg_find(m, id);
    for (const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_OTHER); h;
         h = sipmsg_find_next(m, h))
        if (h->name.len == name.len && sipmsg_memcaseeq_(h->name.ptr, name.ptr, name.len))
            return h;
    return NULL;
}

size_t sipmsg_count(const sipmsg_msg *m, sipmsg_hdr_id id)
{
    size_t n = 0;
    for (const sipmsg_header *h = sipmsg_find(m, id); h; h = sipmsg_find_next(m, h))
        n++;
    return n;
}
