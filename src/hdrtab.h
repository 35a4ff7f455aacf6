/*
 * hdrtab.h - the header-name tables (generated into tables.inc by
 * tools/gen_tables.py) and the name lookup, inline so that the parser's
 * per-line loop pays no call for it.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_HDRTAB_H
#define SIPMSG_HDRTAB_H

#include "internal.h"

#define HDR_HASH_BITS 8

struct sipmsg_hdr_info_ {
    const char *name;
    char lname[24]; /* lowercase, zero-padded: compared 8 bytes at a time */
    const char *compact;
    uint8_t len;
    uint8_t props;
};

extern const struct sipmsg_hdr_info_ sipmsg_hdr_info_[SIPMSG_HDR_COUNT_];
extern const uint8_t sipmsg_hdr_compact_[26];                /* id by letter a-z */
extern const uint8_t sipmsg_hdr_slots_[1u << HDR_HASH_BITS]; /* id by hash, 0: empty */

/* Must match hdr_hash() in tools/gen_tables.py. */
static inline unsigned hdr_hash(const char *name, size_t len)
{
    unsigned a = (unsigned char)name[0] | 0x20u; /* token bytes: see below */
    unsigned b = (unsigned char)name[len - 1] | 0x20u;
    unsigned c = (unsigned char)name[len / 2] | 0x20u;
    return ((unsigned)len * 13u + a * 7u + b * 3u + c) & ((1u << HDR_HASH_BITS) - 1u);
}

/*
 * Header names are tokens and the known names are lowercase letters and
 * '-', so for token bytes "c | 0x20" folds case exactly: no other token byte
 * maps onto a letter or '-'. (Of all bytes, only CR also folds onto one,
 * onto '-'.)
 */
static inline int hdr_eq_lower(const char *s, const char *lname, size_t n)
{
    for (; n >= 8; s += 8, lname += 8, n -= 8) { /* a word at a time */
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, lname, 8);
        if ((a | 0x2020202020202020u) != b)
            return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] | 0x20u) != (unsigned char)lname[i])
            return 0;
    return 1;
}

static inline uint64_t hdr_load8(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* hdr_eq_lower for 2 <= n <= 24 when 24 bytes can be read at s: masked word
 * compares, as many as n needs, no loop. The mask keeps the bytes of word i
 * that belong to an n-byte name; byte-wise, so independent of endianness. */
static inline int hdr_eq_lower24(const char *s, const char *lname, size_t n)
{
    static const unsigned char ones[48] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const unsigned char *m = ones + 24 - n;
    const uint64_t fold = 0x2020202020202020u;
    uint64_t d = ((hdr_load8(s) | fold) ^ hdr_load8(lname)) & hdr_load8(m);
    if (n > 8)
        d |= ((hdr_load8(s + 8) | fold) ^ hdr_load8(lname + 8)) & hdr_load8(m + 8);
    if (n > 16)
        d |= ((hdr_load8(s + 16) | fold) ^ hdr_load8(lname + 16)) & hdr_load8(m + 16);
    return d == 0;
}

#if defined(__GNUC__)
#define HDR_ALWAYS_INLINE __attribute__((always_inline))
#else
#define HDR_ALWAYS_INLINE
#endif

/* The id of a header name made of token bytes, with `avail` (>= len) bytes
 * readable at `name`; SIPMSG_HDR_OTHER when unknown. */
static inline HDR_ALWAYS_INLINE sipmsg_hdr hdr_lookup_token(const char *name, size_t len, size_t avail)
{
    if (len == 1) {
        unsigned c = (unsigned char)name[0] | 0x20u;
        return c >= 'a' && c <= 'z' ? (sipmsg_hdr)sipmsg_hdr_compact_[c - 'a']
                                    : SIPMSG_HDR_OTHER;
    }
    if (len > 20 || len == 0)
        return SIPMSG_HDR_OTHER;
    for (unsigned h = hdr_hash(name, len);; h = (h + 1) & ((1u << HDR_HASH_BITS) - 1u)) {
        unsigned id = sipmsg_hdr_slots_[h];
        if (id == 0) /* the table is never full */
            return SIPMSG_HDR_OTHER;
        const struct sipmsg_hdr_info_ *in = &sipmsg_hdr_info_[id];
        if (in->len == len && (avail >= 24 ? hdr_eq_lower24(name, in->lname, len)
                                           : hdr_eq_lower(name, in->lname, len)))
            return (sipmsg_hdr)id;
    }
}

#endif
