/*
 * scan.h - the byte scans that have a SIMD form: line ends; bytes no URI
 * holds, and those plus ';' and '?' (the end of a plain addr-spec); the end
 * of a Request-URI (CTL or SP); for the edits, the bytes where a list
 * element or a parameter list may start and those no edited value may
 * hold. SSE2 when the compiler targets
 * it (all of x86-64) and SIPMSG_NO_SIMD is not set; the scalar forms are
 * always built, and are what the SIMD ones are tested and fuzzed against
 * (test_parse, fuzz_eol) through sipmsg_scan_ (testhooks.c, built into
 * the test library only). Also here: the plain class scans, scan_class
 * and scan_run.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_SCAN_H
#define SIPMSG_SCAN_H

#include "chars.h"

/* SSE2 when the compiler targets it (all of x86-64) and SIPMSG_NO_SIMD is
 * not set. This is the one switch: every SIMD kernel lives in this file,
 * beside the scalar form it is tested against. */
#if defined(__SSE2__) && !defined(SIPMSG_NO_SIMD)
#include <emmintrin.h>
#define SIPMSG_SSE2_ 1
#endif

/* The end of the run of `mask` bytes that starts at p (at most e): four
 * bytes per bounds check. */
static inline const char *scan_class(const char *p, const char *e, uint32_t mask)
{
    for (; e - p >= 4; p += 4) {
        if (!(sipmsg_ctype_[(unsigned char)p[0]] & mask))
            return p;
        if (!(sipmsg_ctype_[(unsigned char)p[1]] & mask))
            return p + 1;
        if (!(sipmsg_ctype_[(unsigned char)p[2]] & mask))
            return p + 2;
        if (!(sipmsg_ctype_[(unsigned char)p[3]] & mask))
            return p + 3;
    }
    while (p < e && (sipmsg_ctype_[(unsigned char)*p] & mask))
        p++;
    return p;
}

/* scan_class without a bound, for a run the caller knows a byte outside
 * `mask` ends (a header name or a method, before the CR of their line):
 * four bytes per step and no length check. */
static inline const char *scan_run(const char *p, uint32_t mask)
{
    for (;; p += 4) {
        if (!(sipmsg_ctype_[(unsigned char)p[0]] & mask))
            return p;
        if (!(sipmsg_ctype_[(unsigned char)p[1]] & mask))
            return p + 1;
        if (!(sipmsg_ctype_[(unsigned char)p[2]] & mask))
            return p + 2;
        if (!(sipmsg_ctype_[(unsigned char)p[3]] & mask))
            return p + 3;
    }
}

/* The first CR or LF of [p, end), or end. */
static inline const char *find_eol_scalar(const char *p, const char *end)
{
    while (p < end && !cis((unsigned char)*p, C_EOL))
        p++;
    return p;
}

/* The first control byte (C_CTL: 0x00-0x1f, HTAB, CR and LF included, and
 * DEL) of [p, end), or end: where a line of the header block ends, or a
 * byte the grammar refuses (the parser steps over HTAB). */
static inline const char *find_ctl_scalar(const char *p, const char *end)
{
    while (p < end && !cis((unsigned char)*p, C_CTL))
        p++;
    return p;
}

/* The first LF, CR or NUL of [p, end), or end: where an SDP line ends, or
 * a byte no SDP line holds (sdp.c). */
static inline const char *find_sdp_stop_scalar(const char *p, const char *end)
{
    while (p < end && *p != '\n' && *p != '\r' && *p != 0)
        p++;
    return p;
}

/* The first C_URISTOP byte of [p, end), or end. */
static inline const char *find_uristop_scalar(const char *p, const char *end)
{
    while (p < end && !cis((unsigned char)*p, C_URISTOP))
        p++;
    return p;
}

/* The first C_ADDRSTOP byte of [p, end), or end. */
static inline const char *find_addrstop_scalar(const char *p, const char *end)
{
    while (p < end && !cis((unsigned char)*p, C_ADDRSTOP))
        p++;
    return p;
}

/* The first ',', '"', '<' or '(' of [p, end) (where a list value may hold
 * more than one element), or end. */
static inline const char *find_elemsep_scalar(const char *p, const char *end)
{
    while (p < end && *p != ',' && *p != '"' && *p != '<' && *p != '(')
        p++;
    return p;
}

/* The first CTL or SP of [p, end) (not C_VISIBLE), or end. */
static inline const char *find_nonvisible_scalar(const char *p, const char *end)
{
    while (p < end && cis((unsigned char)*p, C_VISIBLE))
        p++;
    return p;
}

/* The first byte of [p, end) that an edited value may not hold (a CTL but
 * HTAB: not C_TEXT), or end. */
static inline const char *find_nontext_scalar(const char *p, const char *end)
{
    while (p < end && cis((unsigned char)*p, C_TEXT))
        p++;
    return p;
}

/* The first ';', '"' or '<' of [p, end) (where the parameters of a value
 * may start), or end. */
static inline const char *find_paramsep_scalar(const char *p, const char *end)
{
    while (p < end && *p != ';' && *p != '"' && *p != '<')
        p++;
    return p;
}

#ifdef SIPMSG_SSE2_

static inline __m128i load16(const char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline __m128i eq16(__m128i v, char c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

static inline unsigned mask16(__m128i hit)
{
    return (unsigned)_mm_movemask_epi8(hit);
}

/* The CR and LF bytes of the 16 at p, as a bit mask. */
static inline unsigned eol16(const char *p)
{
    __m128i v = load16(p);
    return mask16(_mm_or_si128(eq16(v, '\r'), eq16(v, '\n')));
}

/* The control bytes of the 16 at p (unsigned <= 0x1f, or DEL): one compare
 * more than the CR/LF search find_ctl replaced. */
static inline unsigned ctl16(const char *p)
{
    __m128i v = load16(p);
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    return mask16(_mm_or_si128(low, eq16(v, 0x7f)));
}

/* The LF, CR and NUL bytes of the 16 at p (find_sdp_stop). */
static inline unsigned sdpstop16(const char *p)
{
    __m128i v = load16(p);
    return mask16(_mm_or_si128(_mm_or_si128(eq16(v, '\n'), eq16(v, '\r')), eq16(v, 0)));
}

/* 16 bytes at a time, then the scalar form for the last 0-15: for the
 * line scans, whose match is nearly always a few blocks in and never in the
 * tail of a long buffer (measured: the overlapping tail of SIPMSG_FIND16_
 * below costs 0.5-1.2% of the parse here). */
#define SIPMSG_FIND16_TAIL_(name, scalar, mask16of)                                      \
    static inline const char *name(const char *p, const char *end)                       \
    {                                                                                    \
        for (; end - p >= 16; p += 16) {                                                 \
            unsigned m = mask16of(p);                                                    \
            if (m)                                                                       \
                return p + __builtin_ctz(m);                                             \
        }                                                                                \
        return scalar(p, end);                                                           \
    }
SIPMSG_FIND16_TAIL_(find_eol, find_eol_scalar, eol16)
SIPMSG_FIND16_TAIL_(find_ctl, find_ctl_scalar, ctl16)
SIPMSG_FIND16_TAIL_(find_sdp_stop, find_sdp_stop_scalar, sdpstop16)

/* The C_URISTOP bytes of the 16 at p: CTL and SP (unsigned <= 0x20), DEL,
 * '<', '>', '"'; as a bit mask. */
static inline unsigned uristop16(const char *p)
{
    __m128i v = load16(p);
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x20)), v);
    return mask16(_mm_or_si128(
        _mm_or_si128(low, eq16(v, 0x7f)),
        _mm_or_si128(_mm_or_si128(eq16(v, '<'), eq16(v, '>')), eq16(v, '"'))));
}

/* The C_ADDRSTOP bytes of the 16 at p: C_URISTOP, ';' and '?'. */
static inline unsigned addrstop16(const char *p)
{
    __m128i v = load16(p);
    return uristop16(p) | mask16(_mm_or_si128(eq16(v, ';'), eq16(v, '?')));
}

/* 16 bytes at a time; the last block overlaps the one before instead of a
 * scalar tail (only bytes inside [p, end) are read). */
#define SIPMSG_FIND16_(name, scalar, mask16of)                                           \
    static inline const char *name(const char *p, const char *end)                       \
    {                                                                                    \
        if (end - p < 16)                                                                \
            return scalar(p, end);                                                       \
        for (; end - p >= 16; p += 16) {                                                 \
            unsigned m = mask16of(p);                                                    \
            if (m)                                                                       \
                return p + __builtin_ctz(m);                                             \
        }                                                                                \
        if (p == end)                                                                    \
            return end;                                                                  \
        unsigned m = mask16of(end - 16) >> (16 - (end - p)); /* from p on */             \
        return m ? p + __builtin_ctz(m) : end;                                           \
    }
static inline unsigned elemsep16(const char *p)
{
    __m128i v = load16(p);
    return mask16(_mm_or_si128(_mm_or_si128(eq16(v, ','), eq16(v, '"')),
                               _mm_or_si128(eq16(v, '<'), eq16(v, '('))));
}

static inline unsigned paramsep16(const char *p)
{
    __m128i v = load16(p);
    return mask16(_mm_or_si128(_mm_or_si128(eq16(v, ';'), eq16(v, '"')), eq16(v, '<')));
}

/* The bytes of the 16 at p that are not C_TEXT: 0x00-0x1f but HTAB, and DEL. */
static inline unsigned nontext16(const char *p)
{
    return ctl16(p) & ~mask16(eq16(load16(p), '\t'));
}

/* The bytes of the 16 at p that are not C_VISIBLE: 0x00-0x20 and DEL. */
static inline unsigned nonvisible16(const char *p)
{
    __m128i v = load16(p);
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x20)), v);
    return mask16(_mm_or_si128(low, eq16(v, 0x7f)));
}

SIPMSG_FIND16_(find_uristop, find_uristop_scalar, uristop16)
SIPMSG_FIND16_(find_nonvisible, find_nonvisible_scalar, nonvisible16)
SIPMSG_FIND16_(find_nontext, find_nontext_scalar, nontext16)
SIPMSG_FIND16_(find_elemsep, find_elemsep_scalar, elemsep16)
SIPMSG_FIND16_(find_paramsep, find_paramsep_scalar, paramsep16)
SIPMSG_FIND16_(find_addrstop, find_addrstop_scalar, addrstop16)

#else
/* Without SIMD, every scan is its scalar form. */
#define SIPMSG_SCALAR_ONLY_(name)                                                        \
    static inline const char *name(const char *p, const char *end)                       \
    {                                                                                    \
        return name##_scalar(p, end);                                                    \
    }
SIPMSG_SCALAR_ONLY_(find_eol)
SIPMSG_SCALAR_ONLY_(find_ctl)
SIPMSG_SCALAR_ONLY_(find_sdp_stop)
SIPMSG_SCALAR_ONLY_(find_uristop)
SIPMSG_SCALAR_ONLY_(find_addrstop)
SIPMSG_SCALAR_ONLY_(find_elemsep)
SIPMSG_SCALAR_ONLY_(find_nontext)
SIPMSG_SCALAR_ONLY_(find_nonvisible)
SIPMSG_SCALAR_ONLY_(find_paramsep)
#endif

#ifdef SIPMSG_TEST_HOOKS
/* The scans of scan.h as one function, SIMD or scalar form, for test_parse
 * and fuzz_eol (the library calls the inline forms): the first byte of
 * [p, end) that the scan stops at, or end. */
enum sipmsg_scan_id_ {
    SIPMSG_SCAN_EOL_,        /* CR or LF */
    SIPMSG_SCAN_CTL_,        /* C_CTL */
    SIPMSG_SCAN_SDPSTOP_,    /* LF, CR, NUL */
    SIPMSG_SCAN_URISTOP_,    /* C_URISTOP */
    SIPMSG_SCAN_ADDRSTOP_,   /* C_ADDRSTOP */
    SIPMSG_SCAN_ELEMSEP_,    /* , " < ( */
    SIPMSG_SCAN_PARAMSEP_,   /* ; " < */
    SIPMSG_SCAN_NONTEXT_,    /* not C_TEXT */
    SIPMSG_SCAN_NONVISIBLE_, /* not C_VISIBLE */
    SIPMSG_SCAN_COUNT_
};
const char *sipmsg_scan_(int id, const char *p, const char *end, int scalar);
#endif

#endif
