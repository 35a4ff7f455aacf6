/*
 * error.h - filling a sipmsg_error (error.c). Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_ERROR_H_
#define SIPMSG_ERROR_H_

#include "sipmsg/parse.h"

/* Sets *err (when not NULL) and returns code. */
static inline sipmsg_code seterr(sipmsg_error *err, sipmsg_code code, size_t offset,
                                 int header, const char *msg)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->header = header;
        err->msg = msg ? msg : sipmsg_strerror(code);
    }
    return code;
}

/* Makes an error found in a slice starting at `base` inside header h
 * message-relative (offset from m->buf, header index set). */
void sipmsg_err_in_header_(const sipmsg_msg *m, const sipmsg_header *h, const char *base,
                           sipmsg_error *err);

#endif
