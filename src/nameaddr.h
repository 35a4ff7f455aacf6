/*
 * nameaddr.h - name-addr internals (nameaddr.c). Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_NAMEADDR_H_
#define SIPMSG_NAMEADDR_H_

#include "uri_internal.h"

/* sipmsg_nameaddr_parse with the URI checked for its shape only (above):
 * the display name, the brackets and the parameters are read in full, so
 * tag, expires, q and params are the same whenever both succeed. na->uri
 * is not touched. What the parser decodes on every message uses it. */
struct sipmsg_nameaddr;
sipmsg_code sipmsg_nameaddr_scan_(struct sipmsg_nameaddr *na, const char *p, size_t len,
                                  sipmsg_error *err);

#endif
