/*
 * fuzz_ctype.c - sipmsg_media_type_parse() (Content-Type): slices inside,
 * type and subtype non-empty, the parameters iterate cleanly and agree with
 * the charset/boundary shortcuts.
 */
#include "fuzz_common.h"

#include <sipmsg/header.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *p = fz_copy(data, size);
    sipmsg_media_type mt;
    sipmsg_error err;
    sipmsg_code c = sipmsg_media_type_parse(&mt, (sipmsg_slice){p, size}, &err);
    if (c != SIPMSG_OK) {
        fz_check_error(&err, size);
        free(p);
        return 0;
    }
    FZ_CHECK(fz_present_inside(mt.type, p, size) && mt.type.len > 0);
    FZ_CHECK(fz_present_inside(mt.subtype, p, size) && mt.subtype.len > 0);
    FZ_CHECK(fz_inside(mt.params, p, size));
    FZ_CHECK(fz_inside(mt.charset, p, size));
    FZ_CHECK(fz_inside(mt.boundary, p, size));
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_param_iter_init(&it, mt.params, 0);
    int r;
    while ((r = sipmsg_param_next(&it, &prm, &err)) == 1)
        FZ_CHECK(fz_present_inside(prm.name, p, size));
    FZ_CHECK(r == 0);
    if (mt.params.ptr) {
        sipmsg_param f;
        if (sipmsg_param_find(mt.params, "charset", &f))
            FZ_CHECK(mt.charset.ptr == f.value.ptr);
        else
            FZ_CHECK(mt.charset.ptr == NULL);
    }
    free(p);
    return 0;
}
