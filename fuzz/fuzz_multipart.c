/*
 * fuzz_multipart.c - the multipart iterator, header blocks and the
 * multipart builder (sipmsg/body.h).
 *
 * Input: the boundary up to the first LF (at most 80 bytes), then the body.
 * Checked: every slice lies inside the body, parts come in order without
 * overlap, a part's raw bytes are its header block then its body, the
 * iterator ends (0 or -1, then stays there), one nested level is walked
 * the same way, and the parts re-built with sipmsg_multipart_build parse
 * back to the same bodies and headers.
 */
#include "fuzz_common.h"

#include <sipmsg/body.h>

#define CAP 8

static void check_part(const sipmsg_part *p, const char *b, size_t len)
{
    FZ_CHECK(fz_present_inside(p->raw, b, len));
    FZ_CHECK(fz_present_inside(p->body, b, len));
    FZ_CHECK(p->raw.ptr == b + p->offset);
    FZ_CHECK(p->body.ptr + p->body.len == p->raw.ptr + p->raw.len);
    FZ_CHECK(p->headers.len + p->body.len == p->raw.len);
    FZ_CHECK(p->headers.count <= p->headers.capacity);
    FZ_CHECK(fz_inside(p->content_type, b, len));
    for (size_t i = 0; i < p->headers.count; i++) {
        const sipmsg_header *h = &p->headers.headers[i];
        FZ_CHECK(fz_present_inside(h->name, p->raw.ptr, p->headers.len));
        FZ_CHECK(fz_present_inside(h->value, p->raw.ptr, p->headers.len));
        FZ_CHECK(fz_present_inside(h->raw, p->raw.ptr, p->headers.len));
        FZ_CHECK(h->raw.len >= 2 && h->raw.ptr[h->raw.len - 1] == '\n');
        fz_touch(h->value);
    }
    fz_touch(p->body);
}

/* Walks every part; fills up to `max` of them into out. Returns the
 * number of parts, or -1 on error. */
static int walk(sipmsg_slice body, sipmsg_slice boundary, sipmsg_part *out,
                sipmsg_header (*tables)[CAP], int max, int nested)
{
    sipmsg_multipart_iter it;
    sipmsg_error err;
    if (sipmsg_multipart_init(&it, body, boundary, &err) != SIPMSG_OK) {
        fz_check_error(&err, body.len);
        return -1;
    }
    FZ_CHECK(fz_inside(it.preamble, body.ptr, body.len));
    sipmsg_header scratch[CAP];
    sipmsg_part part;
    int n = 0, r;
    size_t last_end = it.preamble.len;
    for (;;) {
        sipmsg_fields_init(&part.headers, n < max ? tables[n] : scratch, CAP);
        r = sipmsg_multipart_next(&it, &part, &err);
        if (r != 1)
            break;
        check_part(&part, body.ptr, body.len);
        FZ_CHECK(part.offset >= last_end);
        FZ_CHECK(part.index == (unsigned)n);
        last_end = part.offset + part.raw.len;
        if (nested && sipmsg_body_kind_of(part.content_type) == SIPMSG_BODY_MULTIPART) {
            sipmsg_slice ib;
            if (sipmsg_multipart_boundary(part.content_type, &ib, &err) == SIPMSG_OK)
                walk(part.body, ib, NULL, NULL, 0, 0);
        }
        if (n < max)
            out[n] = part;
        n++;
        FZ_CHECK((size_t)n <= body.len);
    }
    if (r < 0) {
        fz_check_error(&err, body.len);
        FZ_CHECK(sipmsg_multipart_next(&it, &part, &err) == -1);
        return -1;
    }
    FZ_CHECK(fz_present_inside(it.epilogue, body.ptr, body.len) ||
             (it.epilogue.ptr == body.ptr + body.len && it.epilogue.len == 0));
    FZ_CHECK(sipmsg_multipart_next(&it, &part, &err) == 0);
    return n;
}

/* Builds the parts again and compares. */
static void rebuild(sipmsg_slice boundary, const sipmsg_part *parts, int n)
{
    sipmsg_body_part bp[CAP];
    sipmsg_field fl[CAP][CAP];
    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < parts[i].headers.count; j++) {
            fl[i][j].name = parts[i].headers.headers[j].name;
            fl[i][j].value = parts[i].headers.headers[j].value;
        }
        bp[i].headers = fl[i];
        bp[i].header_count = parts[i].headers.count;
        bp[i].body = parts[i].body;
    }
    sipmsg_error err;
    size_t need = sipmsg_multipart_build(NULL, 0, boundary, bp, (size_t)n, &err);
    if (need == 0)
        return; /* folded values, or a body holding the delimiter */
    char *out = malloc(need);
    FZ_CHECK(out != NULL);
    FZ_CHECK(sipmsg_multipart_build(out, need, boundary, bp, (size_t)n, &err) == need);
    sipmsg_part again[CAP];
    sipmsg_header tables[CAP][CAP];
    FZ_CHECK(walk((sipmsg_slice){out, need}, boundary, again, tables, CAP, 0) == n);
    for (int i = 0; i < n; i++) {
        FZ_CHECK(again[i].body.len == parts[i].body.len);
        FZ_CHECK(memcmp(again[i].body.ptr, parts[i].body.ptr, parts[i].body.len) == 0);
        FZ_CHECK(again[i].headers.count == parts[i].headers.count);
        for (size_t j = 0; j < parts[i].headers.count; j++) {
            sipmsg_slice a = again[i].headers.headers[j].value;
            sipmsg_slice b = parts[i].headers.headers[j].value;
            FZ_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
        }
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t bl = 0;
    while (bl < size && bl < 80 && data[bl] != '\n')
        bl++;
    char *bnd = fz_copy(data, bl);
    size_t skip = bl < size ? bl + 1 : bl;
    char *body = fz_copy(data + skip, size - skip);
    sipmsg_slice boundary = {bnd, bl}, b = {body, size - skip};
    sipmsg_part parts[CAP];
    sipmsg_header tables[CAP][CAP];
    int n = walk(b, boundary, parts, tables, CAP, 1);
    if (n > 0 && n <= CAP)
        rebuild(boundary, parts, n);

    /* the header-block parser alone, counting and filling alike */
    sipmsg_fields f, g;
    sipmsg_header h[CAP];
    sipmsg_error e1, e2;
    sipmsg_fields_init(&f, h, CAP);
    sipmsg_fields_init(&g, NULL, 0);
    sipmsg_code c1 = sipmsg_fields_parse(&f, (sipmsg_slice){body, b.len}, 0, &e1);
    sipmsg_code c2 = sipmsg_fields_parse(&g, (sipmsg_slice){body, b.len}, 0, &e2);
    if (c1 == SIPMSG_OK) {
        FZ_CHECK(c2 == SIPMSG_OK && g.count == f.count && g.len == f.len);
        FZ_CHECK(f.len <= b.len && f.len >= 2);
    } else {
        fz_check_error(&e1, b.len);
        if (c1 != SIPMSG_E_TOO_MANY_HEADERS)
            FZ_CHECK(c2 == c1 && e2.offset == e1.offset);
    }
    free(body);
    free(bnd);
    return 0;
}
