/*
 * change.h - the change set every edit runs in (change.c), shared by
 * edit.c, proxy.c and build.c. Not installed.
 *
 * Every public edit runs as one change set: the table primitives below
 * record how to undo themselves, arena bytes are taken from a mark, and
 * sipmsg_change_commit_() reindexes and re-decodes the fields decoded at parse time;
 * when that (or any step) fails, everything is undone in reverse order. So
 * an edit either happens whole or leaves the message exactly as it was.
 * (A "change set", not a "transaction": in SIP that word means RFC 3261
 * section 17.)
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_CHANGE_H
#define SIPMSG_CHANGE_H

#include "chars.h"
#include "sipmsg/header.h"
#include "sipmsg/write.h"

/* Table changes one change set may hold (the proxy step needs 3). */
#define CHANGE_MAX 16

typedef struct change_undo {
    int kind;    /* UNDO_* */
    uint16_t id; /* the header's id (to know which decoded fields to redo) */
    size_t index;
    sipmsg_header saved;
} change_undo;

enum { UNDO_INSERTED = 1, UNDO_REMOVED, UNDO_REPLACED };

/* The start line and body fields, saved by edits that change them. */
typedef struct change_start {
    int is_request;
    sipmsg_slice start_line, method_name, request_uri, version, reason, body;
    sipmsg_method method;
    uint16_t version_major, version_minor;
    int status_code;
} change_start;

typedef struct change_set {
    sipmsg_msg *m;
    sipmsg_arena *a; /* may be NULL */
    size_t used0;    /* arena mark */
    size_t n;        /* undo entries */
    int start_saved;
    uint32_t decoded; /* ids (1u << id) whose decoded fields the edit set itself */
    change_start start;
    change_undo u[CHANGE_MAX];
} change_set;

void sipmsg_change_begin_(change_set *t, sipmsg_msg *m);

/* Says that the edit has set the decoded fields of header `id` itself (for
 * a number it wrote): the commit does not decode them again. A rollback
 * still does. */
static inline void sipmsg_change_decoded_(change_set *t, sipmsg_hdr_id id)
{
    if ((unsigned)id < 32)
        t->decoded |= 1u << id;
}

/* The slice of a string literal. */
static inline sipmsg_slice slice_lit_(const char *s, size_t n)
{
    sipmsg_slice r;
    r.ptr = s;
    r.len = n;
    return r;
}
#define SLICE_LIT(lit) slice_lit_(lit, sizeof lit - 1)

/* A present, empty slice. */
sipmsg_slice sipmsg_empty_slice_(void);

/* Why arena bytes could not be had: SIPMSG_E_NO_ARENA or SIPMSG_E_NO_SPACE. */
sipmsg_code sipmsg_change_no_room_(const change_set *t);

/* Arena bytes (NULL: no arena, or full; sipmsg_change_no_room_ says which). */
char *sipmsg_change_alloc_(change_set *t, size_t n);

/* Concatenates `n` slices into the arena; *out gets the result. When only
 * one part is non-empty, no copy is made. SIPMSG_E_NO_SPACE when full. */
sipmsg_code sipmsg_change_cat_(change_set *t, const sipmsg_slice *parts, size_t n,
                               sipmsg_slice *out);

/* Copies `s` into the arena unless `flags` holds SIPMSG_EDIT_REF. */
sipmsg_code sipmsg_change_text_(change_set *t, sipmsg_slice s, unsigned flags,
                                sipmsg_slice *out);

/* Decimal text of `v` in the arena. */
sipmsg_code sipmsg_change_number_(change_set *t, uint64_t v, sipmsg_slice *out);

/* Decimal text of `v` at the end of `buf` (not in the arena). */
#define SIPMSG_DECIMAL_MAX_ 20
sipmsg_slice sipmsg_decimal_(uint64_t v, char buf[SIPMSG_DECIMAL_MAX_]);

/* Table primitives (recorded for undo). */
sipmsg_code sipmsg_change_insert_(change_set *t, size_t at, sipmsg_slice name,
                                  sipmsg_slice value);
sipmsg_code sipmsg_change_remove_(change_set *t, size_t index);
sipmsg_code sipmsg_change_replace_(change_set *t, size_t index, sipmsg_slice value);
/* The same for text known to hold no CR or LF (checked by sipmsg_check_value_,
 * or a number we wrote), and for an insert with the id known: no rescan. */
sipmsg_code sipmsg_change_insert_plain_(change_set *t, size_t at, sipmsg_hdr_id id,
                                        sipmsg_slice name, sipmsg_slice value);
/* "name: value CRLF" in the arena, the value being the concatenation of
 * `parts`: *name_out and *value_out point into it. A header given that name
 * and value (sipmsg_change_insert_plain_, or sipmsg_change_replace_line_,
 * which sets the name too) is copied by the writer as one piece (write.c,
 * line_in_arena), and lines made one after the other as one piece. */
sipmsg_code sipmsg_change_line_(change_set *t, sipmsg_slice name,
                                const sipmsg_slice *parts, size_t n,
                                sipmsg_slice *name_out, sipmsg_slice *value_out);
/* Replaces header `index` with a line made by sipmsg_change_line_; plain:
 * the value holds no CR or LF (0: it is scanned for folds). */
sipmsg_code sipmsg_change_replace_line_(change_set *t, size_t index, sipmsg_slice name,
                                        sipmsg_slice value, int plain);
void sipmsg_change_save_start_(change_set *t);

/* Ends the change set: with c != SIPMSG_OK undoes everything and returns
 * c; otherwise reindexes and re-decodes, undoing on a decoder error. */
sipmsg_code sipmsg_change_commit_(change_set *t, sipmsg_code c);

/* Re-decodes the decoded fields and Content-Length of m (after a reindex).
 * `ids` is a bit mask (1u << id) of the header ids that changed: only the
 * fields depending on them are decoded again (CHANGE_ALL_IDS: all of them). */
#define CHANGE_ALL_IDS 0xffffffffu
sipmsg_code sipmsg_change_redecode_(sipmsg_msg *m, uint32_t ids);

/* Text checks: SIPMSG_OK or SIPMSG_E_BAD_TEXT. */
sipmsg_code sipmsg_check_value_(sipmsg_slice v); /* no control byte but HTAB */
sipmsg_code sipmsg_check_token_(sipmsg_slice v); /* 1*token */
sipmsg_slice sipmsg_trim_ws_(sipmsg_slice v);    /* without outer SP/HTAB */

#endif
