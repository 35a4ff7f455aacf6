/*
 * hash.h - the small built-in hash functions used by Digest authentication:
 * MD5 (RFC 1321), SHA-256 and SHA-512/256 (FIPS 180-4). Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Each algorithm file (md5.c, sha256.c, sha512.c) provides a constant
 * descriptor: its block size, its initial state, its compression function
 * and how it writes the final state out. The incremental driver below
 * (init, update, final) is shared: it buffers partial blocks and applies the
 * Merkle-Damgard padding. A context is an ordinary value on the caller's
 * stack; there is no global mutable state.
 *
 * Usage:
 *     sipmsg_hash_ctx h;
 *     unsigned char out[SIPMSG_HASH_MAX];
 *     sipmsg_hash_init_(&h, SIPMSG_HASH_SHA256);
 *     sipmsg_hash_update_(&h, data, n);          (any number of times)
 *     size_t len = sipmsg_hash_final_(&h, out);  (32)
 */
#ifndef SIPMSG_HASH_H
#define SIPMSG_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SIPMSG_HASH_MAX       32 /* largest digest in bytes (SHA-256, SHA-512/256) */
#define SIPMSG_HASH_BLOCK_MAX 128

typedef enum sipmsg_hash_alg {
    SIPMSG_HASH_MD5 = 0,
    SIPMSG_HASH_SHA256,
    SIPMSG_HASH_SHA512_256,
    SIPMSG_HASH_COUNT_
} sipmsg_hash_alg;

/* The chaining state: eight 32-bit words (MD5 uses four) or eight 64-bit
 * words. */
typedef union sipmsg_hash_state {
    uint32_t w32[8];
    uint64_t w64[8];
} sipmsg_hash_state;

/* Descriptor flags. */
#define SIPMSG_HASH_BIG_ENDIAN 0x1u /* message length stored big-endian */
#define SIPMSG_HASH_LEN128     0x2u /* length field is 16 bytes, not 8 */

typedef struct sipmsg_hash_desc {
    size_t block;   /* block size in bytes: 64 or 128 */
    size_t size;    /* digest size in bytes */
    unsigned flags; /* SIPMSG_HASH_* */
    void (*start)(sipmsg_hash_state *st);
    void (*compress)(sipmsg_hash_state *st, const unsigned char *blk);
    void (*output)(const sipmsg_hash_state *st, unsigned char *out);
} sipmsg_hash_desc;

extern const sipmsg_hash_desc sipmsg_md5_desc_;        /* md5.c */
extern const sipmsg_hash_desc sipmsg_sha256_desc_;     /* sha256.c */
extern const sipmsg_hash_desc sipmsg_sha512_256_desc_; /* sha512.c */

typedef struct sipmsg_hash_ctx {
    const sipmsg_hash_desc *desc;
    sipmsg_hash_state st;
    uint64_t bytes; /* message length so far (mod 2^64) */
    size_t fill;    /* bytes waiting in buf */
    unsigned char buf[SIPMSG_HASH_BLOCK_MAX];
} sipmsg_hash_ctx;

static inline const sipmsg_hash_desc *sipmsg_hash_desc_(sipmsg_hash_alg alg)
{
    switch (alg) {
    case SIPMSG_HASH_SHA256: return &sipmsg_sha256_desc_;
    case SIPMSG_HASH_SHA512_256: return &sipmsg_sha512_256_desc_;
    default: return &sipmsg_md5_desc_;
    }
}

static inline void sipmsg_hash_init_(sipmsg_hash_ctx *h, sipmsg_hash_alg alg)
{
    h->desc = sipmsg_hash_desc_(alg);
    h->bytes = 0;
    h->fill = 0;
    h->desc->start(&h->st);
}

static inline void sipmsg_hash_update_(sipmsg_hash_ctx *h, const void *data, size_t n)
{
    const unsigned char *p = (const unsigned char *)data;
    const size_t block = h->desc->block;
    h->bytes += (uint64_t)n;
    if (h->fill > 0) {
        size_t take = block - h->fill;
        if (take > n)
            take = n;
        memcpy(h->buf + h->fill, p, take);
        h->fill += take;
        p += take;
        n -= take;
        if (h->fill < block)
            return;
        h->desc->compress(&h->st, h->buf);
        h->fill = 0;
    }
    for (; n >= block; p += block, n -= block)
        h->desc->compress(&h->st, p);
    if (n > 0)
        memcpy(h->buf, p, n);
    h->fill = n;
}

/* Pads, writes the digest to `out` (desc->size bytes, at most
 * SIPMSG_HASH_MAX) and returns its size. The context must be initialised
 * again before reuse. */
static inline size_t sipmsg_hash_final_(sipmsg_hash_ctx *h, unsigned char *out)
{
    const sipmsg_hash_desc *d = h->desc;
    const size_t lenbytes = (d->flags & SIPMSG_HASH_LEN128) ? 16u : 8u;
    const uint64_t bits = h->bytes << 3; /* lengths beyond 2^61 bytes wrap */
    h->buf[h->fill++] = 0x80u;
    if (h->fill > d->block - lenbytes) {
        memset(h->buf + h->fill, 0, d->block - h->fill);
        d->compress(&h->st, h->buf);
        h->fill = 0;
    }
    memset(h->buf + h->fill, 0, d->block - h->fill);
    for (size_t i = 0; i < 8; i++) {
        const unsigned char b = (unsigned char)(bits >> (8 * i));
        if (d->flags & SIPMSG_HASH_BIG_ENDIAN)
            h->buf[d->block - 1 - i] = b;
        else
            h->buf[d->block - lenbytes + i] = b;
    }
    d->compress(&h->st, h->buf);
    d->output(&h->st, out);
    return d->size;
}

/* One-shot convenience. */
static inline size_t sipmsg_hash_(sipmsg_hash_alg alg, const void *data, size_t n,
                                  unsigned char *out)
{
    sipmsg_hash_ctx h;
    sipmsg_hash_init_(&h, alg);
    sipmsg_hash_update_(&h, data, n);
    return sipmsg_hash_final_(&h, out);
}

#endif /* SIPMSG_HASH_H */
