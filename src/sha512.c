/*
 * sha512.c - the SHA-512 compression function (FIPS 180-4 6.4) with the
 * SHA-512/256 initial value and truncation (FIPS 180-4 5.3.6.2, 6.7), for
 * Digest authentication (RFC 7616 "SHA-512-256", RFC 8760).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "hash.h"

/* FIPS 180-4 4.2.3: the first 64 bits of the fractional parts of the cube
 * roots of the first 80 primes. */
static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full,
    0xe9b5dba58189dbbcull, 0x3956c25bf348b538ull, 0x59f111f1b605d019ull,
    0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull, 0xd807aa98a3030242ull,
    0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull,
    0xc19bf174cf692694ull, 0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull,
    0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull, 0x2de92c6f592b0275ull,
    0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full,
    0xbf597fc7beef0ee4ull, 0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull,
    0x06ca6351e003826full, 0x142929670a0e6e70ull, 0x27b70a8546d22ffcull,
    0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull,
    0x92722c851482353bull, 0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull,
    0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull, 0xd192e819d6ef5218ull,
    0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull,
    0x34b0bcb5e19b48a8ull, 0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull,
    0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull, 0x748f82ee5defb2fcull,
    0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull,
    0xc67178f2e372532bull, 0xca273eceea26619cull, 0xd186b8c721c0c207ull,
    0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull, 0x06f067aa72176fbaull,
    0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull,
    0x431d67c49c100d4cull, 0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull,
    0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

/* FIPS 180-4 5.3.6.2: the SHA-512/256 initial hash value. */
static const uint64_t sha512_256_iv[8] = {
    0x22312194fc2bf72cull, 0x9f555fa3c84c64c2ull, 0x2393b86b6f53b151ull,
    0x963877195940eabdull, 0x96283ee2a88effe3ull, 0xbe5e1e2553863992ull,
    0x2b0199fc2c85b8aaull, 0x0eb72ddc81c52ca2ull,
};

static uint64_t rotr64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64u - n));
}

static uint64_t load_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void sha512_256_start(sipmsg_hash_state *st)
{
    memcpy(st->w64, sha512_256_iv, sizeof sha512_256_iv);
}

/* FIPS 180-4 6.4.2: message schedule of 80 words (a rolling window of 16),
 * then 80 rounds over the working variables v[0..7] = a..h. */
static void sha512_compress(sipmsg_hash_state *st, const unsigned char *blk)
{
    uint64_t w[16], v[8];
    memcpy(v, st->w64, sizeof v);
    for (unsigned t = 0; t < 80; t++) {
        if (t < 16) {
            w[t] = load_be64(blk + (size_t)8 * t);
        } else {
            const uint64_t w15 = w[(t - 15) & 15u], w2 = w[(t - 2) & 15u];
            const uint64_t s0 = rotr64(w15, 1) ^ rotr64(w15, 8) ^ (w15 >> 7);
            const uint64_t s1 = rotr64(w2, 19) ^ rotr64(w2, 61) ^ (w2 >> 6);
            w[t & 15u] += s0 + w[(t - 7) & 15u] + s1;
        }
        const uint64_t e = v[4], a = v[0];
        const uint64_t t1 = v[7] + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) +
                            ((e & v[5]) ^ (~e & v[6])) + sha512_k[t] + w[t & 15u];
        const uint64_t t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) +
                            ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++)
        st->w64[i] += v[i];
}

/* SHA-512/256 keeps the leftmost 256 bits: the first four words. */
static void sha512_256_output(const sipmsg_hash_state *st, unsigned char *out)
{
    for (unsigned i = 0; i < 32; i++)
        out[i] = (unsigned char)(st->w64[i / 8] >> (56 - 8 * (i & 7u)));
}

const sipmsg_hash_desc sipmsg_sha512_256_desc_ = {
    128,
    32,
    SIPMSG_HASH_BIG_ENDIAN | SIPMSG_HASH_LEN128,
    sha512_256_start,
    sha512_compress,
    sha512_256_output,
};
