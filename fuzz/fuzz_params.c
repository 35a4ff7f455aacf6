/*
 * fuzz_params.c - the parameter iterator (header and URI flavours),
 * sipmsg_param_find(), the comma-list iterator and sipmsg_list_has().
 *
 * Input: a mode byte, then the text. Checked: the iterators always move
 * forward and end (linear), every slice is inside, sipmsg_param_find()
 * returns the first parameter of that name, and every token element of a
 * list is found by sipmsg_list_has().
 */
#include "fuzz_common.h"

#include <sipmsg/header.h>

static int caseeq(sipmsg_slice a, sipmsg_slice b)
{
    if (a.len != b.len)
        return 0;
    for (size_t i = 0; i < a.len; i++) {
        unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

static int is_token(sipmsg_slice s)
{
    if (s.len == 0 || s.len > 64)
        return 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || (c && strchr("-.!%*_+`'~", c))))
            return 0;
    }
    return 1;
}

static void params(sipmsg_slice v, unsigned flags)
{
    sipmsg_param_iter it;
    sipmsg_param prm;
    sipmsg_error err;
    sipmsg_param_iter_init(&it, v, flags);
    int r;
    size_t n = 0;
    const char *last = v.ptr;
    char name[72];
    while ((r = sipmsg_param_next(&it, &prm, &err)) == 1) {
        FZ_CHECK(fz_present_inside(prm.name, v.ptr, v.len));
        FZ_CHECK(fz_inside(prm.value, v.ptr, v.len));
        FZ_CHECK(prm.name.ptr >= last);
        last = prm.name.ptr + prm.name.len;
        FZ_CHECK(++n <= v.len);
        if (flags == 0 && n <= 8 && prm.name.len < sizeof name) {
            /* find returns the first parameter of this name */
            memcpy(name, prm.name.ptr, prm.name.len);
            name[prm.name.len] = '\0';
            if (strlen(name) != prm.name.len)
                continue; /* NUL in the name */
            sipmsg_param f;
            FZ_CHECK(sipmsg_param_find(v, name, &f) == 1);
            FZ_CHECK(caseeq(f.name, prm.name));
            FZ_CHECK(f.name.ptr <= prm.name.ptr);
        }
    }
    if (r == -1)
        fz_check_error(&err, v.len);
    else
        FZ_CHECK(r == 0);
}

static void list(sipmsg_slice v)
{
    sipmsg_list_iter it;
    sipmsg_slice el;
    sipmsg_error err;
    sipmsg_list_init(&it, v);
    int r;
    size_t n = 0;
    const char *last = v.ptr;
    char tok[72];
    while ((r = sipmsg_list_next(&it, &el, &err)) == 1) {
        FZ_CHECK(fz_present_inside(el, v.ptr, v.len));
        FZ_CHECK(el.ptr >= last);
        last = el.ptr + el.len;
        FZ_CHECK(++n <= v.len);
        if (n <= 8 && is_token(el)) {
            memcpy(tok, el.ptr, el.len);
            tok[el.len] = '\0';
            FZ_CHECK(sipmsg_list_has(v, tok) == 1);
        }
    }
    if (r == -1)
        fz_check_error(&err, v.len);
    else
        FZ_CHECK(r == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *p = fz_copy(data + 1, size - 1);
    sipmsg_slice v = {p, size - 1};
    switch (data[0] % 3) {
    case 0:
        params(v, 0);
        break;
    case 1:
        params(v, SIPMSG_PARAMS_URI);
        break;
    default:
        list(v);
        break;
    }
    free(p);
    return 0;
}
