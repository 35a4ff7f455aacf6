/*
 * sha256.c - SHA-256 (FIPS 180-4 6.2), for Digest authentication
 * (RFC 7616, RFC 8760).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "hash.h"

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* FIPS 180-4 5.3.3. */
static const uint32_t sha256_iv[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static uint32_t rotr32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static void sha256_start(sipmsg_hash_state *st)
{
    memcpy(st->w32, sha256_iv, sizeof sha256_iv);
}

/* FIPS 180-4 6.2.2: message schedule of 64 words (kept as a rolling window
 * of 16), then 64 rounds over the working variables v[0..7] = a..h. */
static void sha256_compress(sipmsg_hash_state *st, const unsigned char *blk)
{
    uint32_t w[16], v[8];
    memcpy(v, st->w32, sizeof v);
    for (unsigned t = 0; t < 64; t++) {
        if (t < 16) {
            w[t] = load_be32(blk + (size_t)4 * t);
        } else {
            const uint32_t w15 = w[(t - 15) & 15u], w2 = w[(t - 2) & 15u];
            const uint32_t s0 = rotr32(w15, 7) ^ rotr32(w15, 18) ^ (w15 >> 3);
            const uint32_t s1 = rotr32(w2, 17) ^ rotr32(w2, 19) ^ (w2 >> 10);
            w[t & 15u] += s0 + w[(t - 7) & 15u] + s1;
        }
        const uint32_t e = v[4], a = v[0];
        const uint32_t t1 = v[7] + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) +
                            ((e & v[5]) ^ (~e & v[6])) + sha256_k[t] + w[t & 15u];
        const uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) +
                            ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++)
        st->w32[i] += v[i];
}

static void sha256_output(const sipmsg_hash_state *st, unsigned char *out)
{
    for (unsigned i = 0; i < 32; i++)
        out[i] = (unsigned char)(st->w32[i / 4] >> (24 - 8 * (i & 3u)));
}

const sipmsg_hash_desc sipmsg_sha256_desc_ = {
    64, 32, SIPMSG_HASH_BIG_ENDIAN, sha256_start, sha256_compress, sha256_output,
};
