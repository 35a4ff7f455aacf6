/*
 * write_internal.h - the edit transaction shared by edit.c, proxy.c and
 * build.c. Not installed.
 *
 * Every public edit runs as a transaction: the table primitives below record
 * how to undo themselves, arena bytes are taken from a mark, and wr_commit()
 * reindexes and re-decodes the quick fields; when that (or any step) fails,
 * everything is undone in reverse order. So an edit either happens whole or
 * leaves the message exactly as it was.
 */
#ifndef SIPMSG_WRITE_INTERNAL_H
#define SIPMSG_WRITE_INTERNAL_H

#include "internal.h"
#include "sipmsg/header.h"
#include "sipmsg/write.h"

/* Table changes one transaction may hold (the proxy step needs 3). */
#define WR_TXN_MAX 16

typedef struct wr_undo {
    int kind; /* WR_U_* */
    uint16_t id; /* the header's id (to know which decoded fields to redo) */
    size_t index;
    sipmsg_header saved;
} wr_undo;

enum { WR_U_INSERTED = 1, WR_U_REMOVED, WR_U_REPLACED };

/* The start line and body fields, saved by edits that change them. */
typedef struct wr_start {
    int is_request;
    sipmsg_slice start_line, method_name, request_uri, version, reason, body;
    sipmsg_method method;
    uint16_t version_major, version_minor;
    int status_code;
} wr_start;

typedef struct wr_txn {
    sipmsg_msg *m;
    sipmsg_arena *a; /* may be NULL */
    size_t used0;    /* arena mark */
    size_t n;        /* undo entries */
    int start_saved;
    wr_start start;
    wr_undo u[WR_TXN_MAX];
} wr_txn;

void wr_begin(wr_txn *t, sipmsg_msg *m);

/* The slice of a string literal. */
static inline sipmsg_slice wr_lit_(const char *s, size_t n)
{
    sipmsg_slice r;
    r.ptr = s;
    r.len = n;
    return r;
}
#define WR_LIT(lit) wr_lit_(lit, sizeof lit - 1)

/* A present, empty slice. */
sipmsg_slice wr_empty(void);

/* Arena bytes (NULL: no arena, or full). */
char *wr_alloc(wr_txn *t, size_t n);

/* Concatenates `n` slices into the arena; *out gets the result. When only
 * one part is non-empty, no copy is made. SIPMSG_E_NO_SPACE when full. */
sipmsg_code wr_cat(wr_txn *t, const sipmsg_slice *parts, size_t n,
                   sipmsg_slice *out);

/* Copies `s` into the arena unless `flags` holds SIPMSG_EDIT_REF. */
sipmsg_code wr_text(wr_txn *t, sipmsg_slice s, unsigned flags, sipmsg_slice *out);

/* Decimal text of `v` in the arena. */
sipmsg_code wr_number(wr_txn *t, uint64_t v, sipmsg_slice *out);

/* Table primitives (recorded for undo). */
sipmsg_code wr_insert(wr_txn *t, size_t at, sipmsg_slice name, sipmsg_slice value);
sipmsg_code wr_remove(wr_txn *t, size_t index);
sipmsg_code wr_replace(wr_txn *t, size_t index, sipmsg_slice value);
/* The same for text known to hold no CR or LF (checked by wr_check_value,
 * or a number we wrote), and for an insert with the id known: no rescan. */
sipmsg_code wr_insert_plain(wr_txn *t, size_t at, sipmsg_hdr_id id, sipmsg_slice name,
                            sipmsg_slice value);
sipmsg_code wr_replace_plain(wr_txn *t, size_t index, sipmsg_slice value);
void wr_save_start(wr_txn *t);

/* Replaces the start line with `line` (copied, checked by the parser). */
sipmsg_code wr_start_line(wr_txn *t, sipmsg_slice line);

/* Ends the transaction: with c != SIPMSG_OK undoes everything and returns
 * c; otherwise reindexes and re-decodes, undoing on a decoder error. */
sipmsg_code wr_commit(wr_txn *t, sipmsg_code c);

/* Re-decodes the quick fields and Content-Length of m (after a reindex).
 * `ids` is a bit mask (1u << id) of the header ids that changed: only the
 * fields depending on them are decoded again (WR_ALL_IDS: all of them). */
#define WR_ALL_IDS 0xffffffffu
sipmsg_code wr_requick(sipmsg_msg *m, uint32_t ids);

/* Text checks: SIPMSG_OK or SIPMSG_E_BAD_TEXT. */
sipmsg_code wr_check_value(sipmsg_slice v); /* no control byte but HTAB */
sipmsg_code wr_check_token(sipmsg_slice v); /* 1*token */
sipmsg_slice wr_trim(sipmsg_slice v);       /* without outer SP/HTAB */

/* Element `elem` of the value of header h (the whole value when h is not a
 * list). prev_end: end of the element before (NULL for the first);
 * next_start: start of the element after (NULL for the last). */
typedef struct wr_elem {
    sipmsg_slice el;
    const char *prev_end;
    const char *next_start;
} wr_elem;
sipmsg_code wr_find_elem(const sipmsg_header *h, size_t elem, wr_elem *out);

/* Sets or removes (value NULL and remove 1) a parameter inside a header's
 * element, as part of transaction t. */
typedef struct wr_param_op {
    size_t index, elem;
    sipmsg_slice name, value;
    int remove;
} wr_param_op;
sipmsg_code wr_param(wr_txn *t, const wr_param_op *op);

/* A random hex string of `nbytes` bytes (2 * nbytes digits) after `prefix`,
 * into the arena. SIPMSG_E_STATE when rand is NULL or fails. */
sipmsg_code wr_random_hex(wr_txn *t, sipmsg_random_fn rnd, void *ctx,
                          const char *prefix, size_t nbytes, sipmsg_slice *out);

#endif
