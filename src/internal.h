/*
 * internal.h - helpers shared by the sipmsg sources. Not installed.
 */
#ifndef SIPMSG_INTERNAL_H
#define SIPMSG_INTERNAL_H

#include "sipmsg/common.h"
#include "sipmsg/parse.h"

#include <string.h>

/* Character classes: see tools/gen_tables.py. */
#define C_TOKEN      0x0001u /* RFC 3261 token */
#define C_WS         0x0002u /* SP, HTAB */
#define C_DIGIT      0x0004u
#define C_ALPHA      0x0008u
#define C_HEX        0x0010u
#define C_WORD       0x0020u /* RFC 3261 word (Call-ID) */
#define C_UNRESERVED 0x0040u /* RFC 3261 unreserved */
#define C_USER       0x0080u /* user-unreserved */
#define C_PASSWORD   0x0100u /* password specials */
#define C_PARAM      0x0200u /* param-unreserved */
#define C_HNV        0x0400u /* hnv-unreserved */
#define C_CTL        0x0800u /* 0x00-0x1f, 0x7f */
#define C_HOST       0x1000u /* alphanum, '-', '.' */
#define C_EOL        0x2000u /* CR, LF */
#define C_LISTSEP    0x4000u /* , " < > ( ) \ : where a list scan must look */
#define C_ADDREND    0x8000u /* ; SP HTAB CR LF: the end of a bare addr-spec */
#define C_URISTOP   0x10000u /* CTL SP < > ": bytes no URI holds unescaped */
#define C_GENVALUE  0x20000u /* token, ':', '[', ']': an unquoted gen-value */
#define C_LABEL     0x40000u /* alphanum, '-': the bytes of a hostname label */
#define C_TEXT      0x80000u /* any byte but CTL, HTAB included: an edited value */
#define C_VISIBLE  0x100000u /* any byte but CTL and SP */
#define C_ADDRSTOP 0x200000u /* C_URISTOP, ';', '?': the end of a plain addr-spec */

extern const uint32_t sipmsg_ctype_[256];

static inline int cis(unsigned char c, unsigned mask)
{
    return (sipmsg_ctype_[c] & mask) != 0;
}

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

/* SSE2 when the compiler targets it (all of x86-64) and SIPMSG_NO_SIMD is
 * not set: here for scan_class_long, in scan.h for the other scans. */
#if defined(__SSE2__) && !defined(SIPMSG_NO_SIMD)
#include <emmintrin.h>
#define SIPMSG_SSE2_ 1
#endif

#ifdef SIPMSG_SSE2_
/* The bytes of the 16 at p that are not a letter, a digit, '-' or '.', as a
 * bit mask. Every class scan_class_long is used with holds all of those. A
 * byte is in [lo, lo + n] when (b - lo) saturating-minus n is 0. */
static inline unsigned sipmsg_odd16_(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i zero = _mm_setzero_si128();
    __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(l, _mm_set1_epi8('a')), _mm_set1_epi8(25)), zero);
    __m128i digit = _mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9)), zero);
    __m128i punct = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    return ~(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), punct)) &
           0xffffu;
}
#endif

/* scan_class for runs that are often long (parameter values, Call-IDs):
 * with SSE2, 16 bytes at a time over letters, digits, '-' and '.', which
 * `mask` must hold; another byte of the class is stepped over one by one
 * (a few times, then the table scan takes the rest). */
static inline const char *scan_class_long(const char *p, const char *e, uint32_t mask)
{
#ifdef SIPMSG_SSE2_
    for (int others = 0; e - p >= 16;) {
        unsigned m = sipmsg_odd16_(p);
        if (!m) {
            p += 16;
            continue;
        }
        p += __builtin_ctz(m);
        if (!(sipmsg_ctype_[(unsigned char)*p] & mask) || ++others > 4)
            break;
        p++;
    }
#endif
    return scan_class(p, e, mask);
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

/* Lexical helpers (lex.c). */
static inline const char *sipmsg_skip_lws_(const char *p, const char *e)
{
    while (p < e && is_lws((unsigned char)*p))
        p++;
    return p;
}

static inline const char *sipmsg_trim_end_(const char *s, const char *e)
{
    while (e > s && is_lws((unsigned char)e[-1]))
        e--;
    return e;
}

const char *sipmsg_skip_quoted_(const char *p, const char *e);
const char *sipmsg_scan_uri_chars_(const char *p, const char *e, unsigned cls);

/*
 * One parameter at p (p[0] must be ';') written plainly: SEMI token
 * [ "=" gen-value ] with no whitespace anywhere, the value unquoted and
 * non-empty, and followed by ';' or e. Returns its end with the name and
 * value (value.ptr NULL when there is none), or NULL for anything else.
 * Whatever it accepts, sipmsg_param_next reads the same way; the decoders'
 * fast paths use it and hand everything else to the full grammar.
 */
static inline const char *sipmsg_fast_param_(const char *p, const char *e,
                                             sipmsg_slice *name, sipmsg_slice *value)
{
    if (p == e || *p != ';')
        return NULL;
    const char *n = p + 1, *t = scan_class(n, e, C_TOKEN);
    if (t == n)
        return NULL;
    *name = mkslice(n, t);
    value->ptr = NULL;
    value->len = 0;
    if (t < e && *t == '=') {
        const char *v = t + 1;
        t = scan_class_long(v, e, C_GENVALUE);
        if (t == v)
            return NULL;
        *value = mkslice(v, t);
    }
    return t == e || *t == ';' ? t : NULL;
}

/* Host validation (uri.c): returns the host type, or SIPMSG_HOST_NONE when
 * [p, e) is not exactly one host. */
int sipmsg_host_check_(const char *p, const char *e);
int sipmsg_ipv4_check_(const char *p, const char *e);
int sipmsg_ipv6_check_(const char *p, const char *e);

/* Parses "host [ COLON port ]" at p (sent-by / hostport); lws allows SWS
 * around the colon. On success returns the end and fills host/type/port. */
struct sipmsg_hostport_ {
    sipmsg_slice host;
    int type;
    uint32_t port;
};
const char *sipmsg_hostport_(const char *p, const char *e, int lws,
                             struct sipmsg_hostport_ *hp, sipmsg_code *code);

/* Checks only the shape every URI has (uri.c): scheme ":" and then bytes
 * other than CTL, SP, '<', '>' and '"'. Whatever sipmsg_uri_parse accepts
 * passes. */
sipmsg_code sipmsg_uri_shape_(const char *p, const char *e, sipmsg_error *err);
/* The first half of that check: a scheme, ':' and at least one byte after
 * it (for callers that have already scanned [p, e) for the other half). */
int sipmsg_uri_scheme_ok_(const char *p, const char *e);

/* sipmsg_nameaddr_parse with the URI checked for its shape only (above):
 * the display name, the brackets and the parameters are read in full, so
 * tag, expires, q and params are the same whenever both succeed. na->uri
 * is not touched. What the parser decodes on every message uses it. */
struct sipmsg_nameaddr;
sipmsg_code sipmsg_nameaddr_scan_(struct sipmsg_nameaddr *na, const char *p, size_t len,
                                  sipmsg_error *err);

/* Makes an error found in a slice starting at `base` inside header h
 * message-relative (offset from m->buf, header index set). */
void sipmsg_err_in_header_(const sipmsg_msg *m, const sipmsg_header *h,
                           const char *base, sipmsg_error *err);

struct sipmsg_list_iter;
int sipmsg_hdr_elem_next_(const sipmsg_msg *m, const sipmsg_header **h,
                          struct sipmsg_list_iter *list, sipmsg_slice *el,
                          sipmsg_error *err);

/* The first byte of [p, e) that breaks callid = word [ "@" word ], or NULL. */
const char *sipmsg_call_id_bad_(const char *p, const char *e);

/* ASCII case-insensitive equality of two byte ranges of the same length. */
static inline int sipmsg_memcaseeq_(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* A slice equals a string literal, ignoring ASCII case. */
#define SLICE_IS(s, lit) \
    ((s).len == sizeof(lit) - 1 && sipmsg_memcaseeq_((s).ptr, lit, sizeof(lit) - 1))

/* A slice equals a literal of lowercase letters, ignoring ASCII case. One
 * "| 0x20" per byte: only 'x' and 'X' fold onto a lowercase 'x', so this is
 * exact for any bytes (but not for literals holding other characters). */
static inline int sipmsg_letters_is_(sipmsg_slice s, const char *lit, size_t n)
{
    if (s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s.ptr[i] | 0x20u) != (unsigned char)lit[i])
            return 0;
    return 1;
}
#define LETTERS_IS(s, lit) sipmsg_letters_is_((s), lit, sizeof(lit) - 1)

/* Sets *err (when not NULL) and returns code. */
static inline sipmsg_code seterr(sipmsg_error *err, sipmsg_code code,
                                 size_t offset, int header, const char *msg)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->header = header;
        err->msg = msg ? msg : sipmsg_strerror(code);
    }
    return code;
}

/* The scans of scan.h as one function, SIMD or scalar form, for test_parse
 * and fuzz_eol (the library calls the inline forms): the first byte of
 * [p, end) that the scan stops at, or end. */
enum sipmsg_scan_id_ {
    SIPMSG_SCAN_EOL_,      /* CR or LF */
    SIPMSG_SCAN_URISTOP_,  /* C_URISTOP */
    SIPMSG_SCAN_ADDRSTOP_, /* C_ADDRSTOP */
    SIPMSG_SCAN_ELEMSEP_,  /* , " < ( */
    SIPMSG_SCAN_PARAMSEP_, /* ; " < */
    SIPMSG_SCAN_NONTEXT_,  /* not C_TEXT */
    SIPMSG_SCAN_NONVISIBLE_, /* not C_VISIBLE */
    SIPMSG_SCAN_TOKEN_,    /* scan_class_long: not C_TOKEN */
    SIPMSG_SCAN_GENVALUE_, /* not C_GENVALUE */
    SIPMSG_SCAN_WORD_,     /* not C_WORD */
    SIPMSG_SCAN_COUNT_
};
const char *sipmsg_scan_(int id, const char *p, const char *end, int scalar);
/* And the host scan (uri.c): the host type, with *end set. */
int sipmsg_host_scan_(const char *p, const char *e, const char **end);
int sipmsg_host_scan_scalar_(const char *p, const char *e, const char **end);

/* Fills the decoded fields (top Via, tags, Call-ID, CSeq, Max-Forwards,
 * Content-Type) of a parsed message. Returns SIPMSG_OK or an error with the
 * offset relative to m->buf. Defined with the typed headers. */
sipmsg_code sipmsg_decode_quick_(sipmsg_msg *m, sipmsg_error *err);

/* The same without the fast paths (every value through the full parsers):
 * the reference the tests and fuzz_message compare the fast paths with.
 * Exported for them only. */
sipmsg_code sipmsg_decode_full_(sipmsg_msg *m, sipmsg_error *err);

/* Decodes the top Via into m->via (cleared first); SIPMSG_OK without Via.
 * Used at parse time and after edits. */
sipmsg_code sipmsg_decode_top_via_(sipmsg_msg *m, sipmsg_error *err);

/* The decoder's fast paths (via.c, nameaddr.c): 1 with the fields filled
 * when the value has the plain form they read, 0 otherwise (the caller
 * then runs the full parser, which accepts whatever they accept and gives
 * the same fields). */
int sipmsg_via_fast_(sipmsg_top_via *q, const char *p, const char *e);
int sipmsg_tag_fast_(const char *p, const char *e, sipmsg_slice *tag);
/* Max-Forwards as 1-3 digits, at most 255: what sipmsg_max_forwards_parse
 * reads the same way (quick.c; also used after edits). */
int sipmsg_max_forwards_fast_(const char *p, size_t len, uint32_t *out);

/* Reads a Content-Length value: NULL and *out, or the bad byte and *why. */
const char *sipmsg_content_length_(sipmsg_slice v, int64_t *out, const char **why);

/* Rebuilds first[], last[] and the next links of the header table. */
void sipmsg_reindex_(sipmsg_msg *m);

#endif
