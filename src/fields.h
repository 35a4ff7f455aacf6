/*
 * fields.h - the single-value fields (fields.c): internals shared with the
 * parser, the decoder and the edits. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_FIELDS_H_
#define SIPMSG_FIELDS_H_

#include "lex.h"

/* The first byte of [p, e) that breaks callid = word [ "@" word ], or NULL. */
const char *sipmsg_call_id_bad_(const char *p, const char *e);

/* Reads a Content-Length value: NULL and *out, or the bad byte and *why. */
const char *sipmsg_content_length_(sipmsg_slice v, int64_t *out, const char **why);

#endif
