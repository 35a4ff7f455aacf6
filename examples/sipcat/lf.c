/*
 * lf.c - --lf: messages pasted from logs, e-mails and web pages.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * sipmsg follows RFC 3261 and wants CRLF line ends, so a header block with
 * bare LFs is normalised into a copy first. The rules, line by line:
 *   - blank lines before the start line are skipped;
 *   - the start line and every header line end in CRLF (a CR already
 *     before the LF is kept as one);
 *   - a line starting with SP or HTAB stays a folded continuation;
 *   - a line that is not a header (no "token:" at its start) after a line
 *     ending in ';' or ',' was wrapped by the page: it becomes a folded
 *     continuation of the header above (CRLF SP before it), as in the
 *     seed's "branch=...;" / "received=1.2.3.4";
 *   - any other non-header line is the first line of the body, and the
 *     missing blank line is added (pasted messages often lose it), but only
 *     when that changes nothing else: a Content-Length above declares N
 *     bytes, and the N bytes from that line end the input, or are followed
 *     by blank lines or the start line of the next message. Otherwise the
 *     line stays a header line, and the parse rejects it as it would
 *     without --lf (a header line without a colon): the headers after it
 *     are not silently taken as body;
 *   - a blank line ends the header block. The end of the input does not:
 *     the blank line is not added there, so a header block cut short is
 *     rejected as it is without --lf.
 * The body is left as it is. Offsets are mapped back to the raw input so
 * that errors point at the byte in the file.
 */
#include "sipcat.h"

#include <stdlib.h>
#include <string.h>

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* Appends synthetic bytes (no raw counterpart). */
static int put(struct lf_buf *b, const char *s, size_t n)
{
    void *t = b->text;
    if (grow(&t, &b->cap, b->len + n, 1) != 0)
        return -1;
    b->text = t;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    return 0;
}

int lf_append(struct lf_buf *b, const char *raw, size_t rawoff, size_t len)
{
    void *s = b->segs;
    if (grow(&s, &b->segcap, b->nsegs + 1, sizeof *b->segs) != 0)
        return -1;
    b->segs = s;
    struct lf_seg seg = {b->len, rawoff, len};
    b->segs[b->nsegs++] = seg;
    return put(b, raw + rawoff, len);
}

size_t lf_raw_offset(const struct lf_buf *b, size_t n)
{
    size_t i = b->nsegs;
    while (i > 0 && b->segs[i - 1].norm > n)
        i--;
    if (i == 0)
        return b->skipped;
    const struct lf_seg *s = &b->segs[i - 1];
    if (n < s->norm + s->len)
        return s->raw + (n - s->norm);
    return s->raw + s->len; /* a synthetic byte: the raw byte after the copy */
}

void lf_free(struct lf_buf *b)
{
    free(b->text);
    free(b->segs);
    memset(b, 0, sizeof *b);
}

/* 1 when the line starts with `token *WSP ":"`, as a header line does. */
static int is_header_line(const char *p, size_t n)
{
    static const char extra[] = "-.!%*_+`'~";
    size_t i = 0;
    while (i < n && p[i] != '\0' &&
           ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
            (p[i] >= '0' && p[i] <= '9') || strchr(extra, p[i])))
        i++;
    if (i == 0)
        return 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i < n && p[i] == ':';
}

/* 1 when the text's last non-blank byte is ';' or ','. */
static int ends_open(const char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n > 0 && (p[n - 1] == ';' || p[n - 1] == ',');
}

/* The Content-Length (or "l") value of the header lines normalised so
 * far: 1 and *n, or 0 when there is none (or it is not plain digits). */
static int declared_length(const struct lf_buf *b, size_t *n)
{
    const char *p = b->text, *end = b->text + b->len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *e = eol ? eol : end;
        size_t i = 0, k = (size_t)(e - p);
        static const char cl[] = "content-length";
        while (i < k && i < sizeof cl - 1 && (p[i] | 0x20) == cl[i])
            i++;
        if (i != sizeof cl - 1)
            i = k > 0 && (p[0] | 0x20) == 'l' ? 1 : 0;
        if (i > 0) {
            while (i < k && (p[i] == ' ' || p[i] == '\t'))
                i++;
            if (i < k && p[i] == ':') {
                size_t v = 0, digits = 0;
                for (i++; i < k && (p[i] == ' ' || p[i] == '\t'); i++)
                    ;
                for (; i < k && p[i] >= '0' && p[i] <= '9' && v < SIZE_MAX / 10 - 9; i++, digits++)
                    v = v * 10 + (size_t)(p[i] - '0');
                while (i < k && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
                    i++;
                if (digits == 0 || i != k)
                    return 0;
                *n = v;
                return 1;
            }
        }
        p = eol ? eol + 1 : end;
    }
    return 0;
}

/* 1 when the line is a start line: "SIP/..." (a Status-Line) or ends in
 * " SIP/" and a version (a Request-Line). */
static int is_start_line(const char *p, size_t n)
{
    if (n >= 4 && memcmp(p, "SIP/", 4) == 0)
        return 1;
    size_t i = n;
    while (i > 0 && p[i - 1] != ' ')
        i--;
    return i > 1 && n - i >= 5 && memcmp(p + i, "SIP/", 4) == 0;
}

/* The line at raw[pos] starts the body, the blank line before it lost:
 * 1 yes, 0 no (it stays a header line), -1 more input is needed. */
static int body_starts(const struct lf_buf *b, const char *raw, size_t len,
                       size_t pos, int at_eof)
{
    size_t n;
    if (!declared_length(b, &n))
        return 0;
    if (len - pos < n) /* the body is cut short: the parse rejects it */
        return at_eof ? 1 : -1;
    size_t after = pos + n;
    /* what follows the body: the end, blank lines, or the next message */
    while (after < len && (raw[after] == '\r' || raw[after] == '\n'))
        after++;
    if (after == len)
        return at_eof ? 1 : -1;
    const char *lf = memchr(raw + after, '\n', len - after);
    if (!lf && !at_eof)
        return -1;
    size_t e = lf ? (size_t)(lf - raw) : len;
    if (e > after && raw[e - 1] == '\r')
        e--;
    return is_start_line(raw + after, e - after);
}

/* The blank lines (LF or CRLF) at the start of raw. */
static size_t blank_prefix(const char *raw, size_t len)
{
    size_t i = 0;
    for (;;) {
        if (i < len && raw[i] == '\n')
            i += 1;
        else if (i + 1 < len && raw[i] == '\r' && raw[i + 1] == '\n')
            i += 2;
        else
            return i;
    }
}

/* One line: raw[pos, pos + n) without its line end; `next` is where the
 * following line starts. */
struct line {
    size_t pos, n, next;
};

/* The line at pos; 0 when it has no LF yet and more input may come. */
static int next_line(const char *raw, size_t len, size_t pos, int at_eof,
                     struct line *l)
{
    const char *lf = memchr(raw + pos, '\n', len - pos);
    if (!lf && !at_eof)
        return 0;
    size_t e = lf ? (size_t)(lf - raw) : len;
    l->pos = pos;
    l->next = lf ? e + 1 : len;
    if (lf && e > pos && raw[e - 1] == '\r')
        e--;
    l->n = e - pos;
    return 1;
}

/* Copies one line and its CRLF; a wrapped line gets "CRLF SP" before it
 * instead (the CRLF of the line above is already there). */
static int emit_line(struct lf_buf *b, const char *raw, const struct line *l,
                     int wrapped)
{
    if (wrapped && put(b, " ", 1) != 0)
        return -1;
    if (lf_append(b, raw, l->pos, l->n) != 0)
        return -1;
    return put(b, "\r\n", 2);
}

lf_status lf_headers(struct lf_buf *b, const char *raw, size_t len, int at_eof)
{
    b->len = b->nsegs = 0;
    b->skipped = blank_prefix(raw, len);
    size_t pos = b->skipped;
    if (pos == len)
        return at_eof ? LF_EMPTY : LF_MORE;
    int first = 1, open = 0, ended = 0;
    struct line l;
    while (!ended && pos < len) {
        if (!next_line(raw, len, pos, at_eof, &l))
            return LF_MORE;
        if (l.n == 0) { /* the blank line */
            pos = l.next;
            ended = 1;
            break;
        }
        int header = first || is_header_line(raw + l.pos, l.n) ||
                     raw[l.pos] == ' ' || raw[l.pos] == '\t';
        int wrapped = !header && open;
        if (!header && !wrapped) {
            int body = body_starts(b, raw, len, l.pos, at_eof);
            if (body < 0)
                return LF_MORE;
            if (body) {
                ended = 1; /* the body starts here */
                break;
            }
            /* else a header line without a colon: the parse says so */
        }
        if (emit_line(b, raw, &l, wrapped) != 0)
            return LF_NOMEM;
        open = ends_open(raw + l.pos, l.n);
        first = 0;
        pos = l.next;
    }
    if (!ended && !at_eof)
        return LF_MORE;
    b->raw_end = pos;
    if (!ended) /* the input ended without the blank line: not added */
        return LF_DONE;
    return put(b, "\r\n", 2) == 0 ? LF_DONE : LF_NOMEM;
}
