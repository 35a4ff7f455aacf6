/*
 * via.h - Via internals (via.c) shared with the parse-time decoder. Not
 * installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_VIA_H_INTERNAL
#define SIPMSG_VIA_H_INTERNAL

#include "uri_internal.h"

/* via-received = "received" EQUAL (IPv4address / IPv6address), the IPv6
 * form with or without brackets (RFC 5118): 1 when r is one. */
int sipmsg_via_received_ok_(sipmsg_slice r);

#endif
