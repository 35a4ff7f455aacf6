/*
 * edit.h - edit helpers shared by edit.c, proxy.c and build.c: elements of
 * a list value, parameter edits and the start line. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_EDIT_H
#define SIPMSG_EDIT_H

#include "change.h"

/* Replaces the start line with `line` (copied, checked by the parser). */
sipmsg_code sipmsg_edit_start_line_(change_set *t, sipmsg_slice line);

/* Element `elem` of the value of header h (the whole value when h is not a
 * list). prev_end: end of the element before (NULL for the first);
 * next_start: start of the element after (NULL for the last). */
typedef struct edit_elem {
    sipmsg_slice el;
    const char *prev_end;
    const char *next_start;
} edit_elem;
sipmsg_code sipmsg_edit_find_elem_(const sipmsg_header *h, size_t elem, edit_elem *out);

/* Sets or removes (value NULL and remove 1) a parameter inside a header's
 * element, as part of change set t. */
typedef struct edit_param_op {
    size_t index, elem;
    sipmsg_slice name, value;
    int remove;
} edit_param_op;
sipmsg_code sipmsg_edit_param_(change_set *t, const edit_param_op *op);

/* Where sipmsg_edit_param_ puts parameter `name` in element `elem` of h's
 * value: it replaces [*a, *b) with ";name=value" (or removes it); a == b
 * at the element's end when the parameter is new. Errors: those of
 * sipmsg_edit_param_, SIPMSG_E_NOT_FOUND for a removal. */
sipmsg_code sipmsg_edit_param_at_(const sipmsg_header *h, size_t elem, sipmsg_slice name,
                                  int remove, const char **a, const char **b);

#endif
