/*
 * decode.h - the fields decoded at parse time (decode.c): the entry
 * points for the parser and the edits, and the fast paths, each beside the
 * full parser it shadows. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_DECODE_H_
#define SIPMSG_DECODE_H_

#include "sipmsg/parse.h"
#include "sipmsg/header.h"

#include "mem.h"

/* Fills the decoded fields (top Via, tags, Call-ID, CSeq, Max-Forwards,
 * Content-Type) of a parsed message whose decoded fields are clear (as the
 * parse's reset and an edit's redecode leave them: nothing is cleared
 * twice). Returns SIPMSG_OK or an error with the offset relative to
 * m->buf. Defined with the typed headers. */
sipmsg_code sipmsg_decode_(sipmsg_msg *m, sipmsg_error *err);

#ifdef SIPMSG_TEST_HOOKS
/* The same without the fast paths (every value through the full parsers):
 * the reference the tests and fuzz_message compare the fast paths with.
 * Built into the test library only (SIPMSG_TEST_HOOKS), never shipped. */
sipmsg_code sipmsg_decode_full_(sipmsg_msg *m, sipmsg_error *err);
#endif

/* Decodes the top Via into m->via (cleared first); SIPMSG_OK without Via.
 * Used at parse time and after edits. */
sipmsg_code sipmsg_decode_top_via_(sipmsg_msg *m, sipmsg_error *err);

/* A top Via with nothing decoded (padding cleared too: edits compare
 * whole messages). */
static inline void sipmsg_top_via_clear_(sipmsg_top_via *q)
{
    sipmsg_fill_(q, 0, sizeof *q);
    q->ttl = -1;
}

/* The same for the first via-parm of a Via value outside a message (a
 * proxy's own Via, sipmsg_proxy_via_init); err offsets are relative to
 * value.ptr when it is one via-parm. try_fast 0 skips the fast path (a
 * folded value, which it always refuses); the outcome is the same. */
sipmsg_code sipmsg_decode_via_value_(sipmsg_top_via *q, sipmsg_slice value, int try_fast,
                                     sipmsg_error *err);

/* The decoder's fast paths (decode.c): 1 with the fields filled
 * when the value has the plain form they read, 0 otherwise (the caller
 * then runs the full parser, which accepts whatever they accept and gives
 * the same fields). */
int sipmsg_via_fast_(sipmsg_top_via *q, const char *p, const char *e);
int sipmsg_tag_fast_(const char *p, const char *e, sipmsg_slice *tag);

#endif
