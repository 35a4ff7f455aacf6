/*
 * fuzz_common.h - helpers shared by the sipmsg fuzz targets.
 *
 * Every target defines LLVMFuzzerTestOneInput(). Invariant violations abort
 * through FZ_CHECK, so libFuzzer (and the replay driver) report them like a
 * crash. Inputs are copied into an exact-size heap buffer, so that ASan
 * catches any read past the end.
 */
#ifndef SIPMSG_FUZZ_COMMON_H
#define SIPMSG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sipmsg.h>
#include <sipmsg/header.h>
#include <sipmsg/uri.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond)                                                        \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                         \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* An exact-size heap copy of data (never NULL; size 0 gives a 1-byte
 * allocation that is never read). */
static inline char *fz_copy(const uint8_t *data, size_t size)
{
    char *p = (char *)malloc(size ? size : 1);
    if (!p)
        abort();
    if (size)
        memcpy(p, data, size);
    else
        p[0] = 0; /* never read by a correct parser; keeps gcc's flow analysis quiet */
    return p;
}

/* The slice is absent or lies inside [buf, buf + len). */
static inline int fz_inside(sipmsg_slice s, const char *buf, size_t len)
{
    if (!s.ptr)
        return s.len == 0;
    return s.ptr >= buf && s.len <= len && (size_t)(s.ptr - buf) <= len - s.len;
}

/* The slice is present and inside. */
/* The same slice: same pointer and length (both absent counts). */
static inline int fz_same_slice(sipmsg_slice a, sipmsg_slice b)
{
    return a.ptr == b.ptr && a.len == b.len;
}

static inline int fz_present_inside(sipmsg_slice s, const char *buf, size_t len)
{
    return s.ptr && fz_inside(s, buf, len);
}

/* Reads all the bytes of a slice (so ASan sees any bad pointer) and returns
 * a checksum that the caller may ignore. */
static inline unsigned fz_touch(sipmsg_slice s)
{
    unsigned h = 0;
    for (size_t i = 0; s.ptr && i < s.len; i++)
        h = h * 31u + (unsigned char)s.ptr[i];
    return h;
}

/* Checks an error struct after a failed call. */
static inline void fz_check_error(const sipmsg_error *err, size_t len)
{
    FZ_CHECK(err->code != SIPMSG_OK);
    FZ_CHECK((unsigned)err->code < (unsigned)SIPMSG_E_COUNT_);
    FZ_CHECK(err->msg != NULL);
    FZ_CHECK(err->offset <= len);
    FZ_CHECK(sipmsg_strerror(err->code) != NULL);
}

/*
 * Checks every invariant of a DONE parse of buf[0, len): all slices inside
 * the buffer, the header table and id index consistent, framing sizes
 * adding up.
 */
static inline void fz_check_msg(const sipmsg_msg *m, const char *buf, size_t len,
                                sipmsg_mode mode)
{
    FZ_CHECK(m->buf == buf + m->skipped);
    FZ_CHECK(m->skipped <= len && m->len <= len - m->skipped);
    if (mode == SIPMSG_DATAGRAM)
        FZ_CHECK(m->skipped + m->len + m->trailing == len);
    FZ_CHECK(m->header_len <= m->len);
    FZ_CHECK(m->count <= m->capacity);
    const char *mb = m->buf;
    size_t ml = m->len;
    FZ_CHECK(fz_present_inside(m->start_line, mb, ml));
    FZ_CHECK(fz_present_inside(m->version, mb, ml));
    FZ_CHECK(fz_present_inside(m->body, mb, ml));
    FZ_CHECK(m->body.ptr + m->body.len == mb + ml);
    FZ_CHECK((size_t)(m->body.ptr - mb) == m->header_len);
    if (m->content_length >= 0)
        FZ_CHECK((uint64_t)m->content_length == m->body.len);
    if (m->is_request) {
        FZ_CHECK(m->method != SIPMSG_METHOD_NONE);
        FZ_CHECK((unsigned)m->method < (unsigned)SIPMSG_METHOD_COUNT_);
        FZ_CHECK(fz_present_inside(m->method_name, mb, ml));
        FZ_CHECK(fz_present_inside(m->request_uri, mb, ml));
        FZ_CHECK(m->request_uri.len > 0);
        FZ_CHECK(sipmsg_method_lookup(m->method_name) == m->method);
    } else {
        FZ_CHECK(m->status_code >= 100 && m->status_code <= 699);
        FZ_CHECK(sipmsg_status_class(m->status_code) == m->status_code / 100);
        FZ_CHECK(sipmsg_reason_phrase(m->status_code) != NULL);
        FZ_CHECK(fz_inside(m->reason, mb, ml));
    }
    /* the decoded fields */
    FZ_CHECK(fz_inside(m->via.transport, mb, ml));
    FZ_CHECK(fz_inside(m->via.host, mb, ml));
    FZ_CHECK(fz_inside(m->via.branch, mb, ml));
    FZ_CHECK(fz_inside(m->via.received, mb, ml));
    FZ_CHECK(fz_inside(m->via.rport, mb, ml) || (m->via.rport.ptr && m->via.rport.len == 0));
    FZ_CHECK(m->via.port <= 65535);
    FZ_CHECK(fz_inside(m->from_tag, mb, ml));
    FZ_CHECK(fz_inside(m->to_tag, mb, ml));
    FZ_CHECK(fz_inside(m->call_id, mb, ml));
    FZ_CHECK(fz_inside(m->cseq_method_name, mb, ml));
    FZ_CHECK(fz_inside(m->content_type, mb, ml));
    FZ_CHECK(m->max_forwards >= -1 && m->max_forwards <= 255);

    /* header table */
    size_t seen[SIPMSG_HDR_COUNT_] = {0};
    for (size_t i = 0; i < m->count; i++) {
        const sipmsg_header *h = &m->headers[i];
        FZ_CHECK(h->id < SIPMSG_HDR_COUNT_);
        FZ_CHECK(fz_present_inside(h->name, mb, m->header_len));
        FZ_CHECK(h->name.len > 0);
        FZ_CHECK(fz_present_inside(h->value, mb, m->header_len));
        FZ_CHECK(fz_present_inside(h->raw, mb, m->header_len));
        FZ_CHECK(h->raw.ptr == h->name.ptr);
        FZ_CHECK(h->value.ptr >= h->name.ptr + h->name.len);
        FZ_CHECK(h->value.ptr + h->value.len <= h->raw.ptr + h->raw.len);
        FZ_CHECK(h->raw.len >= 2 && h->raw.ptr[h->raw.len - 2] == '\r' &&
                 h->raw.ptr[h->raw.len - 1] == '\n');
        FZ_CHECK(sipmsg_hdr_lookup(h->name) == (sipmsg_hdr_id)h->id);
        if (i > 0) /* wire order, no overlap */
            FZ_CHECK(m->headers[i - 1].raw.ptr + m->headers[i - 1].raw.len ==
                     h->raw.ptr);
        if (h->id != SIPMSG_HDR_OTHER) {
            FZ_CHECK(sipmsg_hdr_name((sipmsg_hdr_id)h->id) != NULL);
            if (seen[h->id]++ == 0)
                FZ_CHECK(m->first[h->id] == i);
            if (h->next == SIPMSG_NONE)
                FZ_CHECK(m->last[h->id] == i);
            else
                FZ_CHECK(h->next > i && h->next < m->count &&
                         m->headers[h->next].id == h->id);
        }
        if (i < 16) /* find_name is linear for unknown names */
            FZ_CHECK(sipmsg_find_name(m, h->name) != NULL);
        fz_touch(h->value);
    }
    if (m->count > 0) {
        const sipmsg_header *lh = &m->headers[m->count - 1];
        FZ_CHECK(lh->raw.ptr + lh->raw.len + 2 == mb + m->header_len);
    }
    for (unsigned id = 1; id < SIPMSG_HDR_COUNT_; id++) {
        FZ_CHECK(sipmsg_count(m, (sipmsg_hdr_id)id) == seen[id]);
        const sipmsg_header *h = sipmsg_find(m, (sipmsg_hdr_id)id);
        FZ_CHECK((h != NULL) == (seen[id] != 0));
        size_t n = 0;
        for (; h; h = sipmsg_find_next(m, h))
            n++;
        FZ_CHECK(n == seen[id]);
    }
}

/* A tiny deterministic PRNG (xorshift32) for targets that derive choices
 * from a seed in the input. */
static inline uint32_t fz_rand(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

/*
 * The shortcut `got` for parameter `name` (tag, branch ...) agrees with the
 * parameter list: absent when no parameter has that name, else the value of
 * one of them (which one, for a duplicate, is the parser's choice). A
 * parameter without a value gives a present, empty shortcut.
 */
static inline void fz_same_param(sipmsg_slice params, const char *name,
                                 sipmsg_slice got)
{
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_error err;
    int any = 0, match = 0;
    sipmsg_param_iter_init(&it, params, 0);
    while (sipmsg_param_next(&it, &prm, &err) == 1) {
        if (!sipmsg_slice_eq(prm.name, name))
            continue;
        any = 1;
        if (prm.value.ptr ? (got.ptr == prm.value.ptr && got.len == prm.value.len)
                          : (got.ptr != NULL && got.len == 0))
            match = 1;
    }
    if (any)
        FZ_CHECK(match);
    else
        FZ_CHECK(got.ptr == NULL);
}


/* Whether the targets may compare these two URIs with sipmsg_uri_equal:
 * always, now that both equality bugs found by fuzzing are fixed (see
 * tests/test_hardening.c, regression_uri_equal_*). */
static inline int fz_uri_equal_ok(const sipmsg_uri *a, const sipmsg_uri *b)
{
    (void)a;
    (void)b;
    return 1;
}

#endif
