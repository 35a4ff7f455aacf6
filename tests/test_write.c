#define _POSIX_C_SOURCE 200809L /* opendir */
/* Writer: byte-exact round trip, snprintf size contract, iovec form,
 * canonical rendering. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 64

static const char *const SEED_FILES[] = {
    "examples/messages/01-message.sip",
    "examples/messages/02-message-proxied.sip",
    "examples/messages/03-message-200.sip",
    "examples/messages/04-message-200-forwarded.sip",
    "examples/messages/05-register-noauth.sip",
    "examples/messages/06-register-noauth-200.sip",
    "examples/messages/07-register.sip",
    "examples/messages/08-register-401.sip",
    "examples/messages/09-register-auth.sip",
    "examples/messages/10-register-auth-200.sip",
};
#define NSEED (sizeof SEED_FILES / sizeof SEED_FILES[0])

/* Hand-written forms the writer must keep: compact names, odd spacing,
 * folding, tabs, a body with NUL bytes, an extension header. */
static const char *const FORMS[] = {
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds ,\r\n"
    "\t SIP/2.0/TCP h2.example.com;branch=z9hG4bKxx\r\n"
    "Max-Forwards :   70\r\n"
    "f:Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "t:    <sip:bob@biloxi.com>   \r\n"
    "i: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "X-Odd:\r\n"
    "Subject: folded\r\n   over\r\n two lines\r\n"
    "l: 4\r\n"
    "\r\n"
    "a\0b\n",
    "SIP/2.0 180 Ringing\r\n"
    "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: <sip:b@example.com>;tag=2\r\n"
    "Call-ID: x@y\r\n"
    "CSeq: 1 INVITE\r\n"
    "\r\n",
};
static const size_t FORM_LEN[] = {0, 0}; /* 0: strlen, else explicit */

typedef struct fx {
    sipmsg_header hdrs[CAP];
    sipmsg_msg m;
    char *buf;
    size_t len;
} fx;

static void parse_buf(fx *f, char *buf, size_t len)
{
    sipmsg_error err;
    f->buf = buf;
    f->len = len;
    sipmsg_msg_init(&f->m, f->hdrs, CAP);
    if (sipmsg_parse(&f->m, buf, len, NULL, &err) != SIPMSG_DONE)
        fail_msg("parse: %s at %zu", err.msg, err.offset);
}

static size_t form_len(size_t i)
{
    if (i == 0) /* the body holds a NUL: count it by hand */
        return strlen(FORMS[0]) + 4;
    return FORM_LEN[i] ? FORM_LEN[i] : strlen(FORMS[i]);
}

/* Writes into an exact-size heap buffer: ASan catches any byte past it. */
static char *write_exact(const sipmsg_msg *m, unsigned flags, size_t *n)
{
    *n = sipmsg_write(m, NULL, 0, flags);
    char *out = malloc(*n ? *n : 1);
    assert_non_null(out);
    assert_int_equal(sipmsg_write(m, out, *n, flags), *n);
    return out;
}

static void check_roundtrip(char *buf, size_t len)
{
    fx f;
    size_t n;
    parse_buf(&f, buf, len);
    char *out = write_exact(&f.m, 0, &n);
    assert_int_equal(n, f.m.len);
    assert_memory_equal(out, f.m.buf, n);
    free(out);
}

static void roundtrip_seed(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSEED; i++) {
        size_t len;
        char *buf = tu_read(SEED_FILES[i], &len);
        check_roundtrip(buf, len);
        free(buf);
    }
}

static void roundtrip_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof FORMS / sizeof FORMS[0]; i++) {
        size_t len = form_len(i);
        char *buf = tu_exact(FORMS[i], len);
        check_roundtrip(buf, len);
        free(buf);
    }
}

static void size_contract_one(const sipmsg_msg *m, unsigned flags);
static void iov_matches_write(const sipmsg_msg *m, unsigned flags);

/* Every message of the tests/ corpora that parses: byte-exact round trip,
 * size contract and iovec form. Invalid ones are skipped. */
static void roundtrip_corpus(void **state)
{
    (void)state;
    static const char *const dirs[] = {"tests/rfc4475"};
    size_t done = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SIPMSG_SOURCE_DIR, dirs[d]);
        DIR *dir = opendir(path);
        if (!dir)
            continue;
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            size_t nl = strlen(e->d_name), len;
            if (nl < 5 || strcmp(e->d_name + nl - 4, ".sip") != 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
            char *raw = tu_read(path, &len);
            char *buf = tu_exact(raw, len);
            static sipmsg_header hdrs[512];
            sipmsg_msg m;
            sipmsg_msg_init(&m, hdrs, 512);
            if (sipmsg_parse(&m, buf, len, NULL, NULL) == SIPMSG_DONE) {
                size_t n;
                char *out = write_exact(&m, 0, &n);
                assert_int_equal(n, m.len);
                assert_memory_equal(out, m.buf, n);
                free(out);
                size_contract_one(&m, 0);
                iov_matches_write(&m, SIPMSG_WRITE_CANONICAL);
                done++;
            }
            free(buf);
            free(raw);
        }
        closedir(dir);
    }
    print_message("corpus: %zu messages round-tripped\n", done);
}

/* Leading CRLFs and datagram trailing bytes are not part of the message. */
static void roundtrip_skips_framing(void **state)
{
    (void)state;
    const char *msg = "\r\n\r\nOPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                      "Content-Length: 2\r\n\r\nhiTRAILING";
    size_t len = strlen(msg), n;
    char *buf = tu_exact(msg, len);
    fx f;
    parse_buf(&f, buf, len);
    char *out = write_exact(&f.m, 0, &n);
    const char *want = msg + 4;
    assert_int_equal(n, strlen(want) - strlen("TRAILING"));
    assert_memory_equal(out, want, n);
    free(out);
    free(buf);
}

/* Every capacity from 0 to needed+1: the return is always the full size,
 * the first min(cap, size) bytes are the message, nothing past cap. */
static void size_contract_one(const sipmsg_msg *m, unsigned flags)
{
    size_t need = sipmsg_write(m, NULL, 0, flags);
    char *full = malloc(need + 1);
    assert_non_null(full);
    assert_int_equal(sipmsg_write(m, full, need + 1, flags), need);
    for (size_t cap = 0; cap <= need + 1; cap++) {
        char *out = malloc(cap ? cap : 1);
        assert_non_null(out);
        assert_int_equal(sipmsg_write(m, cap ? out : NULL, cap, flags), need);
        if (cap)
            assert_memory_equal(out, full, cap < need ? cap : need);
        free(out);
    }
    free(full);
}

static void size_contract(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSEED; i++) {
        size_t len;
        char *buf = tu_read(SEED_FILES[i], &len);
        fx f;
        parse_buf(&f, buf, len);
        size_contract_one(&f.m, 0);
        size_contract_one(&f.m, SIPMSG_WRITE_CANONICAL);
        free(buf);
    }
    size_t len = form_len(0);
    char *buf = tu_exact(FORMS[0], len);
    fx f;
    parse_buf(&f, buf, len);
    size_contract_one(&f.m, 0);
    size_contract_one(&f.m, SIPMSG_WRITE_CANONICAL);
    free(buf);
}

/* Joins an iovec list. */
static char *join(const sipmsg_iov *iov, size_t n, size_t total)
{
    char *out = malloc(total ? total : 1);
    size_t at = 0;
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        assert_true(at + iov[i].len <= total);
        memcpy(out + at, iov[i].base, iov[i].len);
        at += iov[i].len;
    }
    assert_int_equal(at, total);
    return out;
}

static void iov_matches_write(const sipmsg_msg *m, unsigned flags)
{
    size_t total = 0, total2 = 0, n = sipmsg_write_iov(m, NULL, 0, flags, &total);
    sipmsg_iov *iov = malloc((n + 1) * sizeof *iov);
    assert_non_null(iov);
    /* a short list: still the same count, only `max` entries touched */
    if (n > 1) {
        iov[n - 1].base = NULL;
        assert_int_equal(sipmsg_write_iov(m, iov, n - 1, flags, NULL), n);
        assert_null(iov[n - 1].base);
    }
    assert_int_equal(sipmsg_write_iov(m, iov, n, flags, &total2), n);
    assert_int_equal(total, total2);
    size_t wn;
    char *w = write_exact(m, flags, &wn);
    assert_int_equal(wn, total);
    char *j = join(iov, n, total);
    assert_memory_equal(j, w, total);
    free(j);
    free(w);
    free(iov);
}

static void iov_form(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSEED; i++) {
        size_t len, total;
        char *buf = tu_read(SEED_FILES[i], &len);
        fx f;
        parse_buf(&f, buf, len);
        /* unedited: one piece, pointing into the parsed buffer */
        sipmsg_iov one;
        assert_int_equal(sipmsg_write_iov(&f.m, &one, 1, 0, &total), 1);
        assert_ptr_equal(one.base, f.m.buf);
        assert_int_equal(one.len, f.m.len);
        iov_matches_write(&f.m, 0);
        iov_matches_write(&f.m, SIPMSG_WRITE_CANONICAL);
        free(buf);
    }
}

static void canonical(void **state)
{
    (void)state;
    size_t len = form_len(0), n;
    char *buf = tu_exact(FORMS[0], len);
    fx f;
    parse_buf(&f, buf, len);
    char *out = write_exact(&f.m, SIPMSG_WRITE_CANONICAL, &n);
    static const char want[] =
        "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds , SIP/2.0/TCP "
        "h2.example.com;branch=z9hG4bKxx\r\n"
        "Max-Forwards: 70\r\n"
        "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
        "To: <sip:bob@biloxi.com>\r\n"
        "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
        "CSeq: 314159 INVITE\r\n"
        "X-Odd: \r\n"
        "Subject: folded over two lines\r\n"
        "Content-Length: 4\r\n"
        "\r\n"
        "a\0b\n";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(out, want, n);
    /* the canonical text parses to the same values */
    fx g;
    parse_buf(&g, out, n);
    assert_int_equal(g.m.count, f.m.count);
    assert_int_equal(g.m.cseq, 314159);
    assert_memory_equal(g.m.body.ptr, "a\0b\n", 4);
    /* and is a fixed point */
    size_t n2;
    char *out2 = write_exact(&g.m, SIPMSG_WRITE_CANONICAL, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(out2, out, n);
    free(out2);
    free(out);
    free(buf);
}

static void write_dup(void **state)
{
    (void)state;
    size_t len, n = 0;
    char *buf = tu_read(SEED_FILES[0], &len);
    fx f;
    parse_buf(&f, buf, len);
    char *out = sipmsg_write_dup(&f.m, 0, &n);
    assert_non_null(out);
    assert_int_equal(n, len);
    assert_memory_equal(out, buf, len);
    assert_int_equal(out[n], '\0');
    free(out);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip_seed),
        cmocka_unit_test(roundtrip_forms),
        cmocka_unit_test(roundtrip_skips_framing),
        cmocka_unit_test(roundtrip_corpus),
        cmocka_unit_test(size_contract),
        cmocka_unit_test(iov_form),
        cmocka_unit_test(canonical),
        cmocka_unit_test(write_dup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
