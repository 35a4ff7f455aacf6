/*
 * tables.h - the header-name tables (generated into tables.inc by
 * tools/gen_tables.py) and the name lookup, inline so that the parser's
 * per-line loop pays no call for it.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_TABLES_H
#define SIPMSG_TABLES_H

#include "chars.h"
#include "sipmsg/parse.h"

#define HDR_HASH_BITS 8
/* chosen by tools/gen_tables.py so that no two known names share a slot */
#define HDR_HASH_MULT UINT64_C(0x9e3779b97f4aea23)

/* A known header: its names and, for the lookup, its lowercase name as
 * little-endian words (see hdr_lookup24). */
struct sipmsg_hdr_info_ {
    const char *name;
    uint64_t w0, w1,
        wl; /* bytes 0-7; 8-15 if longer than 16; the last 8 if longer than 8 */
    const char *compact;
    uint8_t len;
    uint8_t props;
};

extern const struct sipmsg_hdr_info_ sipmsg_hdr_info_[SIPMSG_HDR_COUNT_];
extern const uint8_t sipmsg_hdr_compact_[26];                /* id by letter a-z */
extern const uint8_t sipmsg_hdr_slots_[1u << HDR_HASH_BITS]; /* id by hash, 0: none */

#if defined(__GNUC__)
#define HDR_ALWAYS_INLINE __attribute__((always_inline))
#else
#define HDR_ALWAYS_INLINE
#endif

/* 8 bytes as a little-endian number, whatever the machine. */
static inline uint64_t hdr_le64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/*
 * The lookup of a 2-20 byte name with 24 bytes readable at `name`. The name
 * is read as at most three words, each byte folded with "| 0x20"; the hash
 * mixes the first and last words and the length (tools/gen_tables.py
 * computes the same, and gives each known name a slot of its own), and the
 * one entry of the slot is compared word by word. An empty slot holds 0,
 * SIPMSG_HDR_OTHER, whose length 0 no name matches.
 *
 * The fold is exact for header names: they are tokens, the known names are
 * lowercase letters and '-', and no token byte other than a letter folds
 * onto a letter or '-'. (Of all bytes, only CR also folds onto one, onto
 * '-'; the parser never passes a CR.)
 */
static inline HDR_ALWAYS_INLINE sipmsg_hdr_id hdr_lookup24(const char *name, size_t len)
{
    const uint64_t fold = 0x2020202020202020u;
    uint64_t w0 = hdr_le64(name) | fold, w1 = 0, wl = 0;
    if (len < 8) {
        w0 &= (UINT64_C(1) << (8 * len)) - 1u;
    } else if (len > 8) {
        wl = hdr_le64(name + len - 8) | fold;
        if (len > 16)
            w1 = hdr_le64(name + 8) | fold;
    }
    unsigned h = (unsigned)(((w0 ^ wl ^ len) * HDR_HASH_MULT) >> (64 - HDR_HASH_BITS));
    unsigned id = sipmsg_hdr_slots_[h];
    const struct sipmsg_hdr_info_ *in = &sipmsg_hdr_info_[id];
    if (in->w0 == w0 && in->len == len && in->wl == wl && in->w1 == w1)
        return (sipmsg_hdr_id)id;
    return SIPMSG_HDR_OTHER;
}

/* The id of a header name made of token bytes, with `avail` (>= len) bytes
 * readable at `name`; SIPMSG_HDR_OTHER when unknown. */
static inline HDR_ALWAYS_INLINE sipmsg_hdr_id hdr_lookup_token(const char *name,
                                                               size_t len, size_t avail)
{
    if (len == 1) {
        unsigned c = (unsigned char)name[0] | 0x20u;
        return c >= 'a' && c <= 'z' ? (sipmsg_hdr_id)sipmsg_hdr_compact_[c - 'a']
                                    : SIPMSG_HDR_OTHER;
    }
    if (len > 20 || len == 0)
        return SIPMSG_HDR_OTHER;
    if (avail >= 24)
        return hdr_lookup24(name, len);
    char tmp[24] = {0}; /* near the end of the buffer: a padded copy */
    memcpy(tmp, name, len);
    return hdr_lookup24(tmp, len);
}

#endif
