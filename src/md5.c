/*
 * md5.c - MD5 (RFC 1321), for Digest authentication only.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * MD5 is broken for collision resistance; SIP Digest still needs it as its
 * default algorithm (RFC 3261 22.4, RFC 8760).
 */
#include "hash.h"

/* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 3.4. */
static const uint32_t md5_t[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au,
    0xa8304613u, 0xfd469501u, 0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu,
    0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u, 0xf61e2562u, 0xc040b340u,
    0x265e5a51u, 0xe9b6c7aau, 0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu, 0xa9e3e905u, 0xfcefa3f8u,
    0x676f02d9u, 0x8d2a4c8au, 0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu,
    0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u, 0x289b7ec6u, 0xeaa127fau,
    0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u,
    0xffeff47du, 0x85845dd1u, 0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u,
    0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};

/* Left-rotation amounts: four per round, repeated within the round. */
static const unsigned char md5_s[4][4] = {
    {7, 12, 17, 22},
    {5, 9, 14, 20},
    {4, 11, 16, 23},
    {6, 10, 15, 21},
};

static uint32_t rotl32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

static uint32_t load_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void md5_start(sipmsg_hash_state *st)
{
    st->w32[0] = 0x67452301u;
    st->w32[1] = 0xefcdab89u;
    st->w32[2] = 0x98badcfeu;
    st->w32[3] = 0x10325476u;
}

/* RFC 1321 3.4: 64 steps in four rounds; round r uses function F, G, H or
 * I and reads the message words in its own order. */
static void md5_compress(sipmsg_hash_state *st, const unsigned char *blk)
{
    uint32_t x[16];
    for (unsigned i = 0; i < 16; i++)
        x[i] = load_le32(blk + (size_t)4 * i);
    uint32_t a = st->w32[0], b = st->w32[1], c = st->w32[2], d = st->w32[3];
    for (unsigned i = 0; i < 64; i++) {
        const unsigned round = i / 16;
        uint32_t f;
        unsigned k;
        if (round == 0) {
            f = (b & c) | (~b & d);
            k = i;
        } else if (round == 1) {
            f = (b & d) | (c & ~d);
            k = (5 * i + 1) & 15u;
        } else if (round == 2) {
            f = b ^ c ^ d;
            k = (3 * i + 5) & 15u;
        } else {
            f = c ^ (b | ~d);
            k = (7 * i) & 15u;
        }
        const uint32_t t = a + f + x[k] + md5_t[i];
        a = d;
        d = c;
        c = b;
        b = b + rotl32(t, md5_s[round][i & 3u]);
    }
    st->w32[0] += a;
    st->w32[1] += b;
    st->w32[2] += c;
    st->w32[3] += d;
}

static void md5_output(const sipmsg_hash_state *st, unsigned char *out)
{
    for (unsigned i = 0; i < 16; i++)
        out[i] = (unsigned char)(st->w32[i / 4] >> (8 * (i & 3u)));
}

const sipmsg_hash_desc sipmsg_md5_desc_ = {
    64, 16, 0, md5_start, md5_compress, md5_output,
};
