/*
 * lines.h - header lines laid over a message's table without changing it:
 * the writer (write.c) puts them in, and the proxy step (proxy.c) either
 * writes them straight out or applies them as edits. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_LINES_H
#define SIPMSG_LINES_H

#include "sipmsg/write.h"

/* The line `name ": " parts CRLF`, put before table header `at` (insert) or
 * in its place (replace). `at` may be the table's count (at the end).
 * `head`, when present, is `name ": "` in one piece (a literal). */
typedef struct sipmsg_line_ {
    size_t at;
    int replace;
    int remove;       /* with replace: the header goes, nothing comes in its place */
    int plain;        /* the value holds no CR or LF (as the edit records it) */
    sipmsg_hdr_id id; /* for an insert */
    sipmsg_slice name, head;
    const sipmsg_slice *parts;
    size_t n;
} sipmsg_line_;

/*
 * Writes m as sipmsg_write(m, out, cap, 0) does, with `lines` laid over its
 * header table. The lines are in the order they are written: by `at`, and
 * a replace after the inserts before the same header; no two replace the
 * same header. Returns the bytes the whole message needs (snprintf
 * contract, as sipmsg_write).
 */
size_t sipmsg_write_lines_(const sipmsg_msg *m, const sipmsg_line_ *lines, size_t n,
                           char *out, size_t cap);

#endif
