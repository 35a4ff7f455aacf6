/*
 * hex.h - the one hex helper: lowercase hex digits of bytes, of a number,
 * and the value of a hex digit. Not installed.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_HEX_H
#define SIPMSG_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 2 * n lowercase hex digits of d[0..n) to out (no NUL). */
static inline void sipmsg_hex_encode_(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15u];
    }
}

/* Writes the `width` lowercase hex digits of the low bits of v to out, most
 * significant first (no NUL): an nc-value is sipmsg_hex_u32_(out, nc, 8). */
static inline void sipmsg_hex_u32_(char *out, uint32_t v, int width)
{
    for (int i = width - 1; i >= 0; i--, v >>= 4)
        out[i] = "0123456789abcdef"[v & 15u];
}

/* The value of one hex digit (either case); the caller has checked that c
 * is one (C_HEX). */
static inline unsigned sipmsg_hex_value_(unsigned char c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20u) - 'a' + 10);
}

#endif
