/*
 * fuzz_cpim.c - the message/cpim view and builder (sipmsg/body.h).
 *
 * Input: a CPIM body. Checked: every slice lies inside it, the two header
 * tables sit one after the other in the caller's storage, the content runs
 * to the end of the body, header parameters lie inside their header, and
 * a body re-built from the parsed From, To, DateTime, Subject, Content-Type
 * and content parses back to the same values.
 */
#include "fuzz_common.h"

#include <sipmsg/body.h>

#define CAP 16

static int same(sipmsg_slice a, sipmsg_slice b)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

static void rebuild(const sipmsg_cpim *c)
{
    sipmsg_cpim_spec s = {c->from, c->to, c->datetime, c->subject, NULL, 0,
                          c->content_type, c->content};
    sipmsg_error err;
    size_t need = sipmsg_cpim_build(NULL, 0, &s, &err);
    if (need == 0) {
        fz_check_error(&err, 0x7fffffff);
        return; /* e.g. a Content-Type holding a fold */
    }
    char *out = malloc(need);
    FZ_CHECK(out != NULL);
    FZ_CHECK(sipmsg_cpim_build(out, need, &s, &err) == need);
    sipmsg_header t[CAP];
    sipmsg_cpim d;
    sipmsg_cpim_init(&d, t, CAP);
    FZ_CHECK(sipmsg_cpim_parse(&d, (sipmsg_slice){out, need}, &err) == SIPMSG_OK);
    FZ_CHECK(same(d.from, c->from) && same(d.to, c->to));
    FZ_CHECK(same(d.datetime, c->datetime) && same(d.subject, c->subject));
    FZ_CHECK(same(d.content_type, c->content_type) && same(d.content, c->content));
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *b = fz_copy(data, size);
    sipmsg_header t[CAP];
    sipmsg_cpim c;
    sipmsg_error err;
    sipmsg_cpim_init(&c, t, CAP);
    if (sipmsg_cpim_parse(&c, (sipmsg_slice){b, size}, &err) != SIPMSG_OK) {
        fz_check_error(&err, size);
        free(b);
        return 0;
    }
    FZ_CHECK(c.headers.headers == t);
    FZ_CHECK(c.mime.headers == t + c.headers.count);
    FZ_CHECK(c.headers.count + c.mime.count <= CAP);
    FZ_CHECK(c.headers.len + c.mime.len + c.content.len == size);
    FZ_CHECK(fz_inside(c.content, b, size) || (c.content.ptr == b + size && !c.content.len));
    FZ_CHECK(c.content.ptr + c.content.len == b + size);
    FZ_CHECK(fz_present_inside(c.content_type, b, size));
    FZ_CHECK(fz_inside(c.from, b, size) && fz_inside(c.to, b, size));
    FZ_CHECK(fz_inside(c.datetime, b, size) && fz_inside(c.subject, b, size));
    for (size_t i = 0; i < c.headers.count + c.mime.count; i++) {
        FZ_CHECK(fz_present_inside(t[i].raw, b, size));
        FZ_CHECK(fz_present_inside(t[i].value, t[i].raw.ptr, t[i].raw.len));
        sipmsg_slice prm = sipmsg_cpim_header_params(&t[i]);
        FZ_CHECK(fz_inside(prm, t[i].raw.ptr, t[i].raw.len));
        if (i < c.headers.count && prm.ptr)
            FZ_CHECK(prm.ptr + prm.len < t[i].value.ptr || t[i].value.len == 0);
        fz_touch(t[i].value);
    }
    fz_touch(c.content);
    if (c.from.ptr && c.to.ptr)
        rebuild(&c);
    free(b);
    return 0;
}
