/*
 * digest_internal.h - what the two halves of Digest share: parse.c-side
 * parsing of challenges and credentials (digest_parse.c) and the hashing,
 * formatting and verifying (digest.c). Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_DIGEST_INTERNAL_H
#define SIPMSG_DIGEST_INTERNAL_H

#include "sipmsg/digest.h"

#include "chars.h"
#include "error.h"

/* An error of a Digest value: code, offset in the value, message. */
static inline sipmsg_code digest_fail(sipmsg_error *err, sipmsg_code code, size_t offset,
                                      const char *msg)
{
    return seterr(err, code, offset, -1, msg);
}

/* Every byte of v is a hex digit (either case). */
static inline int digest_all_hex(sipmsg_slice v)
{
    for (size_t i = 0; i < v.len; i++)
        if (!cis((unsigned char)v.ptr[i], C_HEX))
            return 0;
    return 1;
}

/* The -sess algorithms (RFC 7616 3.4.2: HA1 takes the nonces too). */
static inline int digest_is_sess(sipmsg_digest_alg alg)
{
    return alg == SIPMSG_DIGEST_MD5_SESS || alg == SIPMSG_DIGEST_SHA256_SESS ||
           alg == SIPMSG_DIGEST_SHA512_256_SESS;
}

#endif
