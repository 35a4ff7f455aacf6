/*
 * chars.h - character classes and byte helpers: the bottom layer. Not installed.
 * The class table itself is generated (tools/gen_tables.py, tables.c).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_CHARS_H_
#define SIPMSG_CHARS_H_

#include "sipmsg/common.h"
#include <string.h>

/* Character classes: see tools/gen_tables.py. */
#define C_TOKEN      0x0001u /* RFC 3261 token */
#define C_WS         0x0002u /* SP, HTAB */
#define C_DIGIT      0x0004u
#define C_ALPHA      0x0008u
#define C_HEX        0x0010u
#define C_WORD       0x0020u   /* RFC 3261 word (Call-ID) */
#define C_UNRESERVED 0x0040u   /* RFC 3261 unreserved */
#define C_USER       0x0080u   /* user-unreserved */
#define C_PASSWORD   0x0100u   /* password specials */
#define C_PARAM      0x0200u   /* param-unreserved */
#define C_HNV        0x0400u   /* hnv-unreserved */
#define C_CTL        0x0800u   /* 0x00-0x1f, 0x7f */
#define C_HOST       0x1000u   /* alphanum, '-', '.' */
#define C_EOL        0x2000u   /* CR, LF */
#define C_LISTSEP    0x4000u   /* , " < > ( ) \ : where a list scan must look */
#define C_ADDREND    0x8000u   /* ; SP HTAB CR LF: the end of a bare addr-spec */
#define C_URISTOP    0x10000u  /* CTL SP < > ": bytes no URI holds unescaped */
#define C_GENVALUE   0x20000u  /* token, ':', '[', ']': an unquoted gen-value */
#define C_LABEL      0x40000u  /* alphanum, '-': the bytes of a hostname label */
#define C_TEXT       0x80000u  /* any byte but CTL, HTAB included: an edited value */
#define C_VISIBLE    0x100000u /* any byte but CTL and SP */
#define C_ADDRSTOP   0x200000u /* C_URISTOP, ';', '?': the end of a plain addr-spec */

extern const uint32_t sipmsg_ctype_[256];

static inline int cis(unsigned char c, unsigned mask)
{
    return (sipmsg_ctype_[c] & mask) != 0;
}

static inline unsigned char lower(unsigned char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

static inline sipmsg_slice mkslice(const char *p, const char *e)
{
    sipmsg_slice s;
    s.ptr = p;
    s.len = (size_t)(e - p);
    return s;
}

static inline int is_lws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ASCII case-insensitive equality of two byte ranges of the same length. */
static inline int sipmsg_memcaseeq_(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* A slice equals a string literal, ignoring ASCII case. */
#define SLICE_IS(s, lit)                                                                 \
    ((s).len == sizeof(lit) - 1 && sipmsg_memcaseeq_((s).ptr, lit, sizeof(lit) - 1))

/* Unaligned loads of whole words (one instruction each). */
static inline uint64_t sipmsg_ld64_(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline uint32_t sipmsg_ld32_(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline uint16_t sipmsg_ld16_(const char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* A slice equals a literal of lowercase letters, ignoring ASCII case. One
 * "| 0x20" per byte: only 'x' and 'X' fold onto a lowercase 'x', so this is
 * exact for any bytes (but not for literals holding other characters). Up
 * to 8 bytes as whole words: one 8-byte word, or two overlapping 4- or
 * 2-byte words (n is a constant once inlined, so the literal's words are
 * constants). Not a memcpy of n bytes into a zeroed word: for n < 8 that
 * writes part of a stack slot and reads it whole, and the load waits for
 * the stores (a store-forwarding stall: sipmsg_transport_lookup took 30 ns
 * with it, 9 ns without). */
static inline int sipmsg_letters_is_(sipmsg_slice s, const char *lit, size_t n)
{
    if (s.len != n)
        return 0;
    const char *p = s.ptr;
    if (n == 8)
        return (sipmsg_ld64_(p) | UINT64_C(0x2020202020202020)) == sipmsg_ld64_(lit);
    if (n >= 4 && n < 8)
        return (((sipmsg_ld32_(p) | 0x20202020u) ^ sipmsg_ld32_(lit)) |
                ((sipmsg_ld32_(p + n - 4) | 0x20202020u) ^ sipmsg_ld32_(lit + n - 4))) ==
               0;
    if (n >= 2 && n < 4)
        return (((sipmsg_ld16_(p) | 0x2020u) ^ sipmsg_ld16_(lit)) |
                ((sipmsg_ld16_(p + n - 2) | 0x2020u) ^ sipmsg_ld16_(lit + n - 2))) == 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] | 0x20u) != (unsigned char)lit[i])
            return 0;
    return 1;
}
#define LETTERS_IS(s, lit) sipmsg_letters_is_((s), lit, sizeof(lit) - 1)

#endif
