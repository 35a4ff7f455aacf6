/*
 * write.c - the writer: a message (parsed, edited or built) back to bytes,
 * into a buffer (snprintf contract) or as a list of pieces for writev().
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Both forms walk the message through one emitter: a "sink" that either
 * copies bytes into a bounded buffer or appends pieces to an iovec list.
 * Untouched headers are copied from their raw bytes; edited ones are
 * rendered as name ": " value CRLF.
 */
#include "chars.h"
#include "lines.h"
#include "sipmsg/write.h"

#include <stdlib.h>

static const char CRLF[] = "\r\n";
static const char COLON_SP[] = ": ";
static const char SP[] = " ";

/* The as-parsed lines walk (put_lines_parsed) keeps its sink in registers
 * when everything it calls is inlined. */
#if defined(__GNUC__)
#define WRITE_INLINE __attribute__((always_inline))
#else
#define WRITE_INLINE
#endif

typedef struct sink {
    /* buffer mode */
    char *out;
    size_t cap;
    /* iovec mode (iov != NULL or max == 0 with iov_mode set) */
    int iov_mode;
    sipmsg_iov *iov;
    size_t max;
    size_t n;             /* iovec entries needed */
    const char *last_end; /* end of the last piece (merging contiguous ones) */
    /* buffer mode: pieces that follow each other in memory (the unedited
     * headers of a parsed message) are copied as one run */
    const char *run;
    size_t run_len;
    /* both */
    size_t total; /* bytes needed */
} sink;

/* An empty sink, copied to start one: gcc turns a memset of it into
 * `rep stos`, slow to start (tools/check_stringops.py). */
static const sink SINK_EMPTY;

/* A sink writing into out[0, cap) (nothing when out is NULL). */
static inline sink buffer_sink(char *out, size_t cap)
{
    sink s = SINK_EMPTY;
    s.out = out;
    s.cap = out ? cap : 0;
    return s;
}

/* Copies the pending run to its place in the buffer (as much as fits). */
static inline void flush(sink *s)
{
    size_t at = s->total - s->run_len;
    if (s->run_len && at < s->cap) {
        size_t room = s->cap - at;
        memcpy(s->out + at, s->run, s->run_len < room ? s->run_len : room);
    }
    s->run_len = 0;
}

static void put_iov(sink *s, const char *p, size_t len)
{
    /* The merge decision does not depend on `max`, so a sizing pass counts
     * exactly the entries a real pass fills. */
    if (s->n > 0 && s->last_end == p) {
        if (s->n <= s->max)
            s->iov[s->n - 1].len += len;
    } else {
        if (s->n < s->max) {
            s->iov[s->n].base = p;
            s->iov[s->n].len = len;
        }
        s->n++;
    }
    s->last_end = p + len;
}

static inline void put(sink *s, const char *p, size_t len)
{
    if (len == 0)
        return;
    if (s->iov_mode) {
        put_iov(s, p, len);
    } else if (s->run_len && s->run + s->run_len == p) {
        s->run_len += len;
    } else {
        flush(s);
        s->run = p;
        s->run_len = len;
    }
    s->total += len;
}

/* A value with every fold (a whitespace run holding CR or LF) replaced by
 * one SP; other whitespace is kept. */
static void put_unfolded(sink *s, sipmsg_slice v)
{
    const char *p = v.ptr, *e = v.ptr + v.len, *run = p;
    while (p < e) {
        if (!is_lws((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *w = p;
        int fold = 0;
        while (w < e && is_lws((unsigned char)*w)) {
            fold |= *w == '\r' || *w == '\n';
            w++;
        }
        if (fold) {
            put(s, run, (size_t)(p - run));
            put(s, SP, 1);
            run = w;
        }
        p = w;
    }
    put(s, run, (size_t)(e - run));
}

/* 1 when the header's raw bytes are already `Full-Name: value CRLF`. */
static int is_canonical(const sipmsg_header *h, const char *full)
{
    if (!h->raw.ptr || (h->flags & SIPMSG_HF_FOLDED))
        return 0;
    size_t n = h->name.len;
    if (full && (strlen(full) != n || memcmp(full, h->name.ptr, n) != 0))
        return 0;
    return h->raw.len == n + 2 + h->value.len + 2 && h->raw.ptr[n] == ':' &&
           h->raw.ptr[n + 1] == ' ' && h->raw.ptr + n + 2 == h->value.ptr;
}

/* 1 when [p, p + n) lies inside [base, base + len) (base may be NULL). */
static int inside(const char *base, size_t len, const char *p, size_t n)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;
    return base && a >= b && a - b <= len && n <= len - (a - b);
}

/* 1 when [p, p + n) lies inside the parsed header block of m (an edited
 * header whose name is still the parsed one). */
static int in_parsed(const sipmsg_msg *m, const char *p, size_t n)
{
    return inside(m->buf, m->header_len, p, n);
}

/* 1 when the header is a line an edit built whole in the arena (change.c,
 * make_line): "name: value CRLF", in one piece. */
static int line_in_arena(const sipmsg_msg *m, const sipmsg_header *h)
{
    const sipmsg_arena *a = m->edit_;
    const char *n = h->name.ptr;
    size_t nl = h->name.len, vl = h->value.len;
    if (!a || a->used > a->cap || !inside(a->buf, a->used, n, nl + vl + 4) ||
        h->value.ptr != n + nl + 2)
        return 0;
    return n[nl] == ':' && n[nl + 1] == ' ' && n[nl + 2 + vl] == '\r' &&
           n[nl + 3 + vl] == '\n';
}

static void put_header(sink *s, const sipmsg_msg *m, const sipmsg_header *h,
                       unsigned flags)
{
    const char *full = NULL;
    if (flags & SIPMSG_WRITE_CANONICAL) {
        full = sipmsg_hdr_name((sipmsg_hdr_id)h->id);
        if (is_canonical(h, full)) {
            put(s, h->raw.ptr, h->raw.len);
            return;
        }
    } else if (h->raw.ptr && !(h->flags & SIPMSG_HF_EDITED)) {
        put(s, h->raw.ptr, h->raw.len);
        return;
    } else if (line_in_arena(m, h)) {
        put(s, h->name.ptr, h->name.len + h->value.len + 4);
        return;
    }
    const char *n = h->name.ptr;
    size_t nl = h->name.len;
    if (full) {
        put(s, full, strlen(full));
        put(s, COLON_SP, 2);
    } else if (in_parsed(m, n, nl + 2) && n[nl] == ':' && n[nl + 1] == ' ') {
        put(s, n, nl + 2); /* the parsed "Name: ", one piece */
    } else {
        put(s, n, nl);
        put(s, COLON_SP, 2);
    }
    if (flags & SIPMSG_WRITE_CANONICAL)
        put_unfolded(s, h->value);
    else
        put(s, h->value.ptr, h->value.len);
    put(s, CRLF, 2);
}

/* The start line and its CRLF. When the start line is still the parsed
 * one, its CRLF is taken from the parsed buffer too, so that an unedited
 * message is one contiguous piece. */
static inline void put_start(sink *s, const sipmsg_msg *m)
{
    const sipmsg_slice sl = m->start_line;
    int orig = m->buf && sl.ptr == m->buf && m->header_len >= sl.len + 4;
    put(s, sl.ptr, sl.len);
    put(s, orig ? sl.ptr + sl.len : CRLF, 2);
}

/* Headers [from, to) of the table. */
static inline void put_headers(sink *s, const sipmsg_msg *m, size_t from, size_t to,
                               unsigned flags)
{
    const sipmsg_header *h = m->headers + from, *end = m->headers + to;
    while (h < end) {
        if ((flags & SIPMSG_WRITE_CANONICAL) || !h->raw.ptr ||
            (h->flags & SIPMSG_HF_EDITED)) {
            put_header(s, m, h++, flags);
            continue;
        }
        /* untouched headers that follow each other in the parsed buffer:
         * one piece */
        const char *from_p = h->raw.ptr, *to_p = from_p + h->raw.len;
        while (++h < end && h->raw.ptr == to_p && !(h->flags & SIPMSG_HF_EDITED))
            to_p += h->raw.len;
        put(s, from_p, (size_t)(to_p - from_p));
    }
}

/* The blank line and the body (the parsed CRLF when the body is the parsed
 * one, as for the start line). */
static inline void put_tail(sink *s, const sipmsg_msg *m)
{
    int orig = m->buf && m->header_len >= 4 && m->body.ptr == m->buf + m->header_len;
    put(s, orig ? m->body.ptr - 2 : CRLF, 2);
    put(s, m->body.ptr, m->body.len);
    if (!s->iov_mode)
        flush(s);
}

static void emit(sink *s, const sipmsg_msg *m, unsigned flags)
{
    put_start(s, m);
    put_headers(s, m, 0, m->count, flags);
    put_tail(s, m);
}

/* A line laid over the table: its "Name: " and its value parts (the CRLF
 * is the caller's, see own_crlf). The name of a parsed header is taken
 * with the ": " that follows it in the parsed text, so that the sink joins
 * it to the untouched text around (fewer, longer copies). */
static inline WRITE_INLINE void put_line_text(sink *s, const sipmsg_msg *m,
                                              const sipmsg_line_ *l)
{
    const sipmsg_header *h = l->replace ? &m->headers[l->at] : NULL;
    const char *n = l->name.ptr;
    size_t nl = l->name.len;
    if (l->head.ptr) {
        put(s, l->head.ptr, l->head.len);
    } else if (h && h->raw.ptr && n == h->name.ptr && in_parsed(m, n, nl + 2) &&
               n[nl] == ':' && n[nl + 1] == ' ') {
        put(s, n, nl + 2);
    } else {
        put(s, n, nl);
        put(s, COLON_SP, 2);
    }
    for (size_t k = 0; k < l->n; k++)
        put(s, l->parts[k].ptr, l->parts[k].len);
}

/* The CRLF of a line that replaces a parsed header ending `value CRLF`:
 * that parsed CRLF, joined to the text after it (one piece fewer than a
 * CRLF of its own); NULL when there is none. */
static inline WRITE_INLINE const char *own_crlf(const sipmsg_msg *m,
                                                const sipmsg_line_ *l)
{
    const sipmsg_header *h = l->replace ? &m->headers[l->at] : NULL;
    if (!h || !h->raw.ptr)
        return NULL;
    const char *ve = h->value.ptr + h->value.len;
    if (h->raw.ptr + h->raw.len == ve + 2 && in_parsed(m, ve, 2) && ve[0] == '\r' &&
        ve[1] == '\n')
        return ve;
    return NULL;
}

/* 1 when the message's text is as parsed: start line, headers and body lie
 * one after the other in the parsed buffer, none edited. */
static int as_parsed(const sipmsg_msg *m)
{
    const char *b = m->buf, *p = b + m->start_line.len;
    size_t hl = m->header_len;
    if (!b || m->start_line.ptr != b || hl < m->start_line.len + 4 ||
        m->body.ptr != b + hl || p[0] != '\r' || p[1] != '\n')
        return 0;
    p += 2;
    for (const sipmsg_header *h = m->headers, *e = h + m->count; h < e; h++) {
        if (h->raw.ptr != p || (h->flags & SIPMSG_HF_EDITED) || h->name.ptr != p)
            return 0;
        p += h->raw.len;
    }
    return p == b + hl - 2;
}

/*
 * The lines over a message as parsed: the output is the parsed buffer cut
 * where the lines go, the cuts found from the lines alone, without walking
 * the header table. An inserted line ends with the parsed CRLF before its
 * cut, taken again with the text after it. The same bytes as the table
 * walk (test_edit's forward_write_same_bytes compares the two).
 */
static size_t put_lines_parsed(const sipmsg_msg *m, const sipmsg_line_ *lines, size_t n,
                               char *out, size_t cap)
{
    sink local = buffer_sink(out, cap), *s = &local;
    const char *pos = m->buf; /* the parsed text not yet taken */
    for (size_t i = 0; i < n; i++) {
        const sipmsg_line_ *l = &lines[i];
        const sipmsg_header *h = l->at < m->count ? &m->headers[l->at] : NULL;
        const char *cut = h ? h->raw.ptr : m->buf + m->header_len - 2;
        put(s, pos, (size_t)(cut - pos));
        pos = l->replace ? h->raw.ptr + h->raw.len : cut;
        if (l->remove)
            continue;
        put_line_text(s, m, l);
        const char *crlf = own_crlf(m, l);
        if (crlf)
            put(s, crlf, 2);
        else if (!l->replace && cut - m->buf >= 2 && cut[-2] == '\r' && cut[-1] == '\n')
            pos = cut - 2;
        else
            put(s, CRLF, 2);
    }
    put(s, pos, (size_t)(m->body.ptr + m->body.len - pos));
    flush(s);
    return s->total;
}

size_t sipmsg_write_lines_(const sipmsg_msg *m, const sipmsg_line_ *lines, size_t n,
                           char *out, size_t cap)
{
    if (as_parsed(m))
        return put_lines_parsed(m, lines, n, out, cap);
    sink s = buffer_sink(out, cap);
    size_t at = 0; /* the next table header to write */
    put_start(&s, m);
    for (size_t i = 0; i < n; i++) {
        put_headers(&s, m, at, lines[i].at, 0);
        if (!lines[i].remove) {
            const char *crlf = own_crlf(m, &lines[i]);
            put_line_text(&s, m, &lines[i]);
            put(&s, crlf ? crlf : CRLF, 2);
        }
        at = lines[i].at + (lines[i].replace != 0);
    }
    put_headers(&s, m, at, m->count, 0);
    put_tail(&s, m);
    return s.total;
}

size_t sipmsg_write(const sipmsg_msg *m, char *out, size_t cap, unsigned flags)
{
    sink s = buffer_sink(out, cap);
    emit(&s, m, flags);
    return s.total;
}

size_t sipmsg_write_iov(const sipmsg_msg *m, sipmsg_iov *iov, size_t max, unsigned flags,
                        size_t *total)
{
    sink s = SINK_EMPTY;
    s.iov_mode = 1;
    s.iov = iov;
    s.max = iov ? max : 0;
    emit(&s, m, flags);
    if (total)
        *total = s.total;
    return s.n;
}

char *sipmsg_write_dup(const sipmsg_msg *m, unsigned flags, size_t *len)
{
    size_t n = sipmsg_write(m, NULL, 0, flags);
    char *buf = malloc(n + 1);
    if (!buf)
        return NULL;
    sipmsg_write(m, buf, n, flags);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
