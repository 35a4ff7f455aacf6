#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tu_read(const char *relpath, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SIPMSG_SOURCE_DIR, relpath);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail_msg("cannot open %s", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(buf);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    assert_int_equal(got, (size_t)n);
    *len = (size_t)n;
    return buf;
}

char *tu_exact(const char *data, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    if (len)
        memcpy(p, data, len);
    return p;
}

sipmsg_result tu_parse(const char *text, sipmsg_error *err)
{
    size_t len = strlen(text);
    char *buf = tu_exact(text, len);
    sipmsg_header hdrs[64];
    sipmsg_msg m;
    sipmsg_msg_init(&m, hdrs, 64);
    sipmsg_result st = sipmsg_parse(&m, buf, len, NULL, err);
    free(buf);
    return st;
}

int tu_eq(sipmsg_slice s, const char *cstr)
{
    if (!s.ptr)
        return cstr == NULL;
    return cstr && strlen(cstr) == s.len && memcmp(s.ptr, cstr, s.len) == 0;
}

void tu_assert_slice(sipmsg_slice s, const char *cstr, const char *file, int line)
{
    if (tu_eq(s, cstr))
        return;
    print_error("%s:%d: slice \"%.*s\" != \"%s\"\n", file, line, (int)s.len,
                s.ptr ? s.ptr : "", cstr ? cstr : "(absent)");
    _fail(file, line);
}

sipmsg_code tu_challenge_at(sipmsg_slice v, size_t *pos, sipmsg_challenge *ch,
                            sipmsg_error *err)
{
    sipmsg_challenge_iter it;
    sipmsg_error e = {SIPMSG_E_NOT_FOUND, -1, 0, "no more challenges"};
    sipmsg_challenge_iter_init(&it, v);
    it.pos = *pos;
    int r = sipmsg_challenge_next(&it, ch, &e);
    if (err)
        *err = e;
    if (r > 0) {
        *pos = it.pos;
        return SIPMSG_OK;
    }
    return r == 0 ? SIPMSG_E_NOT_FOUND : e.code;
}
