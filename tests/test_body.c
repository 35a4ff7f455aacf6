/* Bodies (sipmsg/body.h): header blocks, multipart, CPIM, SDP, builders. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NH 32

static sipmsg_header PH[NH];

/* ---- helpers ------------------------------------------------------------------ */

/* An exact-size copy of a C string (freed by the caller). */
static char *xs(const char *s, size_t *len)
{
    *len = strlen(s);
    return tu_exact(s, *len);
}

static sipmsg_code fields(const char *text, sipmsg_fields *f, unsigned flags,
                          sipmsg_error *err, char **keep)
{
    size_t len;
    *keep = xs(text, &len);
    sipmsg_fields_init(f, PH, NH);
    return sipmsg_fields_parse(f, (sipmsg_slice){*keep, len}, flags, err);
}

/* Runs a multipart iterator over `body` to the end: returns the number of
 * parts, or -1 on error (err set). */
static int mp_count(const char *body, size_t len, const char *boundary,
                    sipmsg_error *err)
{
    sipmsg_multipart_iter it;
    sipmsg_part part;
    sipmsg_fields_init(&part.headers, PH, NH);
    if (sipmsg_multipart_init(&it, (sipmsg_slice){body, len},
                              sipmsg_slice_of(boundary), err) != SIPMSG_OK)
        return -1;
    int n = 0, r;
    while ((r = sipmsg_multipart_next(&it, &part, err)) == 1)
        n++;
    return r < 0 ? -1 : n;
}

static int mp_text(const char *body, const char *boundary, sipmsg_error *err)
{
    size_t len;
    char *b = xs(body, &len);
    int n = mp_count(b, len, boundary, err);
    free(b);
    return n;
}

static sipmsg_sdp_line LINES[64];
static sipmsg_sdp_media MEDIA[8];

static sipmsg_code sdp_text(const char *text, sipmsg_sdp *s, sipmsg_error *err,
                            char **keep)
{
    size_t len;
    *keep = xs(text, &len);
    sipmsg_sdp_init(s, LINES, 64, MEDIA, 8);
    return sipmsg_sdp_parse(s, (sipmsg_slice){*keep, len}, err);
}

static sipmsg_code sdp_err(const char *text, sipmsg_error *err)
{
    sipmsg_sdp s;
    char *keep;
    sipmsg_code c = sdp_text(text, &s, err, &keep);
    free(keep);
    return c;
}

/* ---- header blocks ----------------------------------------------------------------- */

static void fields_basic(void **state)
{
    (void)state;
    sipmsg_fields f;
    sipmsg_error err;
    char *b;
    static const char text[] = "Content-Type : text/plain\r\nX-Empty:\r\n"
                               "Folded: a\r\n  b \r\n\r\nbody";
    assert_int_equal(fields(text, &f, 0, &err, &b), SIPMSG_OK);
    assert_int_equal(f.count, 3);
    assert_int_equal(f.len, sizeof text - 1 - 4);
    assert_slice(f.headers[0].name, "Content-Type");
    assert_slice(f.headers[0].value, "text/plain");
    assert_int_equal(f.headers[0].id, SIPMSG_HDR_CONTENT_TYPE);
    assert_slice(f.headers[0].raw, "Content-Type : text/plain\r\n");
    assert_non_null(f.headers[1].value.ptr);
    assert_int_equal(f.headers[1].value.len, 0);
    assert_slice(f.headers[2].value, "a\r\n  b");
    assert_true(f.headers[2].flags & SIPMSG_HF_FOLDED);
    assert_ptr_equal(sipmsg_fields_find(&f, "content-type"), &f.headers[0]);
    assert_null(sipmsg_fields_find(&f, "Content"));
    free(b);

    /* count only */
    size_t len;
    b = xs("A: 1\r\nB: 2\r\n\r\n", &len);
    sipmsg_fields_init(&f, NULL, 0);
    assert_int_equal(sipmsg_fields_parse(&f, (sipmsg_slice){b, len}, 0, &err), SIPMSG_OK);
    assert_int_equal(f.count, 2);
    free(b);

    /* an empty block */
    assert_int_equal(fields("\r\nrest", &f, 0, &err, &b), SIPMSG_OK);
    assert_int_equal(f.count, 0);
    assert_int_equal(f.len, 2);
    free(b);
}

static void fields_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        sipmsg_code code;
        size_t offset;
    } cases[] = {
        {"A: 1\r\n", SIPMSG_E_TRUNCATED, 6},
        {"A: 1", SIPMSG_E_TRUNCATED, 4},
        {"A: 1\r", SIPMSG_E_TRUNCATED, 5},
        {"", SIPMSG_E_TRUNCATED, 0},
        {"A 1\r\n\r\n", SIPMSG_E_NO_COLON, 2},
        {"A\r\n\r\n", SIPMSG_E_NO_COLON, 1},
        {"A\x01: 1\r\n\r\n", SIPMSG_E_HEADER_NAME, 1},
        {":1\r\n\r\n", SIPMSG_E_HEADER_NAME, 0},
        {" A: 1\r\n\r\n", SIPMSG_E_FOLD, 0},
        {"A: 1\nB: 2\r\n\r\n", SIPMSG_E_BARE_LF, 4},
        {"A: 1\rB: 2\r\n\r\n", SIPMSG_E_BARE_CR, 4},
        {"A: 1\r\n\n", SIPMSG_E_BARE_LF, 6},
        {"A: 1\r\n\rx", SIPMSG_E_BARE_CR, 6},
        {"A: 1\x7f\r\n\r\n", SIPMSG_E_HEADER_VALUE, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sipmsg_fields f;
        sipmsg_error err;
        char *b;
        sipmsg_code c = fields(cases[i].text, &f, 0, &err, &b);
        if (c != cases[i].code || err.offset != cases[i].offset)
            fail_msg("case %zu: code %d offset %zu", i, c, err.offset);
        assert_non_null(err.msg);
        free(b);
    }
    /* table full */
    sipmsg_fields f;
    sipmsg_header two[2];
    sipmsg_error err;
    size_t len;
    char *b = xs("A: 1\r\nB: 2\r\nC: 3\r\n\r\n", &len);
    sipmsg_fields_init(&f, two, 2);
    assert_int_equal(sipmsg_fields_parse(&f, (sipmsg_slice){b, len}, 0, &err),
                     SIPMSG_E_TOO_MANY_HEADERS);
    assert_int_equal(err.offset, 12);
    free(b);
}

static void fields_cpim_rules(void **state)
{
    (void)state;
    sipmsg_fields f;
    sipmsg_error err;
    char *b;
    assert_int_equal(fields("Subject:;lang=fr beau temps\r\n\r\n", &f,
                            SIPMSG_FIELDS_CPIM, &err, &b), SIPMSG_OK);
    assert_slice(f.headers[0].value, "beau temps");
    assert_slice(sipmsg_cpim_header_params(&f.headers[0]), ";lang=fr");
    free(b);
    assert_int_equal(fields("Subject:;x=\"a b\" text\r\n\r\n", &f, SIPMSG_FIELDS_CPIM,
                            &err, &b), SIPMSG_OK);
    assert_slice(f.headers[0].value, "text");
    assert_slice(sipmsg_cpim_header_params(&f.headers[0]), ";x=\"a b\"");
    free(b);
    assert_int_equal(fields("Subject: a\r\n b\r\n\r\n", &f, SIPMSG_FIELDS_CPIM, &err, &b),
                     SIPMSG_E_FOLD);
    assert_int_equal(err.offset, 12);
    free(b);
    assert_int_equal(fields("Subject:a\r\n\r\n", &f, SIPMSG_FIELDS_CPIM, &err, &b),
                     SIPMSG_E_HEADER_VALUE);
    assert_int_equal(err.offset, 8);
    free(b);
    assert_int_equal(fields("Subject : a\r\n\r\n", &f, SIPMSG_FIELDS_CPIM, &err, &b),
                     SIPMSG_E_HEADER_NAME);
    free(b);
    assert_int_equal(fields("To: <im:a@b>\r\n\r\n", &f, SIPMSG_FIELDS_CPIM, &err, &b),
                     SIPMSG_OK);
    assert_null(sipmsg_cpim_header_params(&f.headers[0]).ptr);
    free(b);
}

/* ---- body kinds ------------------------------------------------------------------------ */

static void body_kinds(void **state)
{
    (void)state;
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of(NULL)), SIPMSG_BODY_NONE);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("Multipart/Mixed;boundary=x")),
                     SIPMSG_BODY_MULTIPART);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("multipart/related")),
                     SIPMSG_BODY_MULTIPART);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("message/cpim")), SIPMSG_BODY_CPIM);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("Message/CPIM")), SIPMSG_BODY_CPIM);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("application/cpim")),
                     SIPMSG_BODY_CPIM);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("application/sdp")), SIPMSG_BODY_SDP);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("text/plain;charset=utf-8")),
                     SIPMSG_BODY_TEXT);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("text/html")), SIPMSG_BODY_OTHER);
    assert_int_equal(sipmsg_body_kind_of(sipmsg_slice_of("garbage")), SIPMSG_BODY_OTHER);
}

/* ---- multipart ------------------------------------------------------------------------ */

static const char MPART01_BIN[] =
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f";

/* RFC 4475 3.1.1.11 (mpart01): a MESSAGE with a text part and a binary
 * part holding every byte value; the Content-Length covers it all. */
static void multipart_mpart01(void **state)
{
    (void)state;
    size_t len;
    char *buf = tu_read("tests/rfc4475/valid-mpart01.sip", &len);
    sipmsg_header hdrs[64];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 64);
    assert_int_equal(sipmsg_parse(&m, buf, len, NULL, &err), SIPMSG_DONE);
    assert_int_equal(sipmsg_msg_body_kind(&m), SIPMSG_BODY_MULTIPART);

    sipmsg_multipart_iter it;
    sipmsg_part part;
    sipmsg_fields_init(&part.headers, PH, NH);
    assert_int_equal(sipmsg_multipart_init_msg(&it, &m, &err), SIPMSG_OK);
    assert_slice(it.boundary, "7a9cbec02ceef655");
    assert_int_equal(it.preamble.len, 0);
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
    assert_int_equal(part.index, 0);
    assert_slice(part.content_type, "text/plain");
    assert_slice(part.body, "hello");
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
    assert_slice(part.content_type, "application/octet-stream");
    assert_int_equal(part.headers.count, 2);
    assert_slice(part.headers.headers[1].value, "binary");
    assert_int_equal(part.body.len, 256);
    assert_memory_equal(part.body.ptr, MPART01_BIN, 32);
    for (size_t i = 0; i < 256; i++)
        assert_int_equal((unsigned char)part.body.ptr[i], i);
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 0);
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 0);
    assert_non_null(it.epilogue.ptr);
    assert_int_equal(it.epilogue.len, 0);

    /* Every truncation of the body: an error, never a crash or a read past
     * the end; complete once the closing "--" is there. */
    size_t close_at = m.body.len - 2; /* the closing delimiter's final CRLF */
    for (size_t cut = 0; cut < m.body.len; cut++) {
        char *b = tu_exact(m.body.ptr, cut);
        int n = mp_count(b, cut, "7a9cbec02ceef655", &err);
        if (cut == close_at)
            assert_int_equal(n, 2);
        else if (n != -1)
            fail_msg("prefix of %zu bytes gave %d parts", cut, n);
        else
            assert_true(err.offset <= cut);
        free(b);
    }
    free(buf);
}

static void multipart_structure(void **state)
{
    (void)state;
    sipmsg_error err;
    /* preamble, transport padding, epilogue; a line that only starts with
     * the delimiter, and LF-only lines, are content */
    const char *body = "preamble\r\n--b1 \t\r\nContent-Type: text/plain\r\n\r\n"
                       "one\r\n--b1x\r\n--b1\n--b1-\r\n--b1  \r\n\r\ntwo\r\n--b1-- \r\nepilogue";
    size_t len;
    char *b = xs(body, &len);
    sipmsg_multipart_iter it;
    sipmsg_part part;
    sipmsg_fields_init(&part.headers, PH, NH);
    assert_int_equal(sipmsg_multipart_init(&it, (sipmsg_slice){b, len},
                                           sipmsg_slice_of("b1"), &err), SIPMSG_OK);
    assert_slice(it.preamble, "preamble");
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
    assert_slice(part.body, "one\r\n--b1x\r\n--b1\n--b1-");
    assert_int_equal(part.offset, 18);
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
    assert_int_equal(part.headers.count, 0);
    assert_null(part.content_type.ptr);
    assert_slice(part.body, "two");
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 0);
    assert_slice(it.epilogue, "epilogue");
    free(b);

    /* a quoted boundary with a space, and the close at the very end */
    sipmsg_slice bd;
    assert_int_equal(sipmsg_multipart_boundary(
                         sipmsg_slice_of("multipart/mixed; boundary=\"a b\""), &bd, &err),
                     SIPMSG_OK);
    assert_slice(bd, "a b");
    assert_int_equal(mp_text("--a b\r\n\r\nx\r\n--a b--", "a b", &err), 1);

    /* nested: the inner multipart is read by a second iterator */
    const char *nested =
        "--outer\r\nContent-Type: multipart/alternative;boundary=inner\r\n\r\n"
        "--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
        "--inner\r\nContent-Type: text/html\r\n\r\n<b>html</b>\r\n--inner--\r\n"
        "\r\n--outer\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n\r\n--outer--\r\n";
    b = xs(nested, &len);
    assert_int_equal(sipmsg_multipart_init(&it, (sipmsg_slice){b, len},
                                           sipmsg_slice_of("outer"), &err), SIPMSG_OK);
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
    sipmsg_slice inner_b;
    assert_int_equal(sipmsg_multipart_boundary(part.content_type, &inner_b, &err), SIPMSG_OK);
    sipmsg_multipart_iter in;
    sipmsg_part ip;
    sipmsg_header ih[4];
    sipmsg_fields_init(&ip.headers, ih, 4);
    assert_int_equal(sipmsg_multipart_init(&in, part.body, inner_b, &err), SIPMSG_OK);
    assert_int_equal(sipmsg_multipart_next(&in, &ip, &err), 1);
    assert_slice(ip.body, "plain");
    assert_int_equal(sipmsg_multipart_next(&in, &ip, &err), 1);
    assert_slice(ip.content_type, "text/html");
    assert_slice(ip.body, "<b>html</b>");
    assert_int_equal(sipmsg_multipart_next(&in, &ip, &err), 0);
    assert_slice(in.epilogue, "");
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
    assert_slice(part.body, "v=0\r\n");
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 0);
    free(b);
}

/* The bug classes of other stacks' multipart parsers. */
static void multipart_hostile(void **state)
{
    (void)state;
    sipmsg_error err;
    sipmsg_slice bd;
    /* libosip2 CVE-2017-7853: an empty part, a part that is one CRLF */
    assert_int_equal(mp_text("--b\r\n\r\n--b--\r\n", "b", &err), 1);
    assert_int_equal(mp_text("--b\r\n\r\n\r\n--b\r\n\r\n--b--", "b", &err), 2);
    {
        size_t len;
        char *b = xs("--b\r\n\r\n--b--", &len);
        sipmsg_multipart_iter it;
        sipmsg_part part;
        sipmsg_fields_init(&part.headers, PH, NH);
        assert_int_equal(sipmsg_multipart_init(&it, (sipmsg_slice){b, len},
                                               sipmsg_slice_of("b"), &err), SIPMSG_OK);
        assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
        assert_int_equal(part.headers.count, 0);
        assert_int_equal(part.body.len, 0);
        assert_int_equal(part.raw.len, 0);
        free(b);
    }
    /* the delimiter's CRLF is its own: "--b" CRLF "--b--" lacks one */
    assert_int_equal(mp_text("--b\r\n--b--\r\n", "b", &err), -1);
    assert_int_equal(err.code, SIPMSG_E_TRUNCATED);

    /* PJSIP PR 4844: 1-character boundary and Content-ID */
    assert_int_equal(sipmsg_multipart_boundary(sipmsg_slice_of("multipart/mixed;boundary=x"),
                                               &bd, &err), SIPMSG_OK);
    assert_int_equal(mp_text("--x\r\nContent-ID: <a>\r\n\r\nA\r\n--x\r\nContent-ID: a\r\n"
                             "\r\nB\r\n--x--", "x", &err), 2);
    assert_int_equal(mp_text("-", "x", &err), -1);
    assert_int_equal(mp_text("--x", "x", &err), -1);
    assert_int_equal(err.code, SIPMSG_E_TRUNCATED);

    /* empty and over-long boundaries, bad characters */
    assert_int_equal(sipmsg_multipart_boundary(sipmsg_slice_of("multipart/mixed;boundary=\"\""),
                                               &bd, &err), SIPMSG_E_CONTENT_TYPE);
    assert_int_equal(sipmsg_multipart_boundary(sipmsg_slice_of("multipart/mixed"), &bd, &err),
                     SIPMSG_E_CONTENT_TYPE);
    assert_int_equal(sipmsg_multipart_boundary(sipmsg_slice_of("text/plain;boundary=x"), &bd,
                                               &err), SIPMSG_E_CONTENT_TYPE);
    assert_int_equal(sipmsg_multipart_boundary(sipmsg_slice_of("multipart/mixed;boundary=\"a \""),
                                               &bd, &err), SIPMSG_E_CONTENT_TYPE);
    char longb[80];
    memset(longb, 'z', 71);
    longb[71] = 0;
    assert_int_equal(mp_text("--x\r\n\r\n--x--", longb, &err), -1);
    assert_int_equal(err.code, SIPMSG_E_CONTENT_TYPE);
    longb[70] = 0;
    assert_int_equal(mp_text("--x\r\n\r\n--x--", longb, &err), -1);
    assert_int_equal(err.code, SIPMSG_E_TRUNCATED);
    assert_int_equal(mp_text("--x\r\n\r\n--x--", "", &err), -1);
    assert_int_equal(err.code, SIPMSG_E_CONTENT_TYPE);

    /* PJSIP CVE-2022-21723: a boundary at the very end of the buffer */
    static const char *const cut[] = {
        "--b\r\n\r\nx\r\n--b", "--b\r\n\r\nx\r\n--b-", "--b\r\n\r\nx\r\n--b ",
        "--b\r\n\r\nx\r\n--b\r", "--b\r\n\r\nx\r\n--b--\r", "--b", "--b\r",
        "--b\r\n\r\nx\r\n--", "--b\r\n\r\nx\r\n-", "--b\r\n\r\nx\r\n", "--b\r\n",
    };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        if (mp_text(cut[i], "b", &err) != -1 || err.code != SIPMSG_E_TRUNCATED)
            fail_msg("cut case %zu accepted", i);
        assert_true(err.offset <= strlen(cut[i]));
    }
    /* a closing delimiter before any part; no delimiter at all */
    assert_int_equal(mp_text("--b--\r\n", "b", &err), -1);
    assert_int_equal(mp_text("no delimiter here", "b", &err), -1);
    assert_int_equal(err.offset, 17);

    /* a part without its blank line */
    assert_int_equal(mp_text("--b\r\nContent-Type: text/plain\r\n--b--", "b", &err), -1);
    assert_int_equal(err.code, SIPMSG_E_TRUNCATED);
    assert_int_equal(mp_text("--b\r\nContent-Type: text/plain\r\n\r\n--b--", "b", &err), -1);
    assert_int_equal(err.code, SIPMSG_E_TRUNCATED);
    assert_int_equal(err.offset, 31);
    assert_int_equal(mp_text("--b\r\nhello\r\n--b--", "b", &err), -1);
    assert_int_equal(err.code, SIPMSG_E_TRUNCATED);
    assert_int_equal(err.offset, 10);

    /* after an error, the iterator stays stopped */
    {
        size_t len;
        char *b = xs("--b\r\nbad\r\n\r\n--b\r\n\r\nok\r\n--b--", &len);
        sipmsg_multipart_iter it;
        sipmsg_part part;
        sipmsg_fields_init(&part.headers, PH, NH);
        assert_int_equal(sipmsg_multipart_init(&it, (sipmsg_slice){b, len},
                                               sipmsg_slice_of("b"), &err), SIPMSG_OK);
        assert_int_equal(sipmsg_multipart_next(&it, &part, &err), -1);
        assert_int_equal(sipmsg_multipart_next(&it, &part, &err), -1);
        free(b);
    }
    /* part header table too small */
    {
        size_t len;
        char *b = xs("--b\r\nA: 1\r\nB: 2\r\n\r\nx\r\n--b--", &len);
        sipmsg_multipart_iter it;
        sipmsg_part part;
        sipmsg_header one[1];
        sipmsg_fields_init(&part.headers, one, 1);
        assert_int_equal(sipmsg_multipart_init(&it, (sipmsg_slice){b, len},
                                               sipmsg_slice_of("b"), &err), SIPMSG_OK);
        assert_int_equal(sipmsg_multipart_next(&it, &part, &err), -1);
        assert_int_equal(err.code, SIPMSG_E_TOO_MANY_HEADERS);
        assert_int_equal(err.offset, 11);
        free(b);
    }
    /* a message without multipart Content-Type */
    {
        sipmsg_header hdrs[16];
        sipmsg_msg m;
        sipmsg_multipart_iter it;
        const char *msg = "MESSAGE sip:a@b SIP/2.0\r\nContent-Type: text/plain\r\n\r\nhi";
        size_t len;
        char *b = xs(msg, &len);
        sipmsg_msg_init(&m, hdrs, 16);
        assert_int_equal(sipmsg_parse(&m, b, len, NULL, &err), SIPMSG_DONE);
        assert_int_equal(sipmsg_multipart_init_msg(&it, &m, &err), SIPMSG_E_CONTENT_TYPE);
        assert_int_equal(err.header, 0);
        free(b);
    }
}

/* Many near-delimiters and many parts stay linear (a quadratic scan of this
 * would take minutes). */
static void multipart_pathological(void **state)
{
    (void)state;
    const char unit[] = "\r\n--bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbx";
    char b70[71];
    memset(b70, 'b', 70);
    b70[70] = 0;
    size_t n = 40000, ul = sizeof unit - 1, len = 152 + ul * n;
    char *buf = malloc(len);
    assert_non_null(buf);
    size_t o = 0;
    memcpy(buf, "--", 2), o += 2;
    memcpy(buf + o, b70, 70), o += 70;
    memcpy(buf + o, "\r\n\r\n", 4), o += 4;
    for (size_t i = 0; i < n; i++)
        memcpy(buf + o, unit, ul), o += ul;
    memcpy(buf + o, "\r\n--", 4), o += 4;
    memcpy(buf + o, b70, 70), o += 70;
    memcpy(buf + o, "--", 2), o += 2;
    sipmsg_error err;
    assert_int_equal(mp_count(buf, o, b70, &err), 1);
    /* 100000 empty parts */
    size_t parts = 100000;
    char *many = malloc(parts * 7 + 8);
    assert_non_null(many);
    o = 0;
    for (size_t i = 0; i < parts; i++)
        memcpy(many + o, "--b\r\n\r\n", 7), o += 7;
    memcpy(many + o, "--b--", 5), o += 5;
    /* each part is "\r\n" less its delimiter's CRLF: empty */
    assert_int_equal(mp_count(many, o, "b", &err), (int)parts);
    free(many);
    free(buf);
}

static void multipart_build(void **state)
{
    (void)state;
    sipmsg_field h1[] = {{sipmsg_slice_of("Content-Type"), sipmsg_slice_of("text/plain")}};
    sipmsg_field h2[] = {{sipmsg_slice_of("Content-Type"),
                          sipmsg_slice_of("application/octet-stream")},
                         {sipmsg_slice_of("Content-Transfer-Encoding"),
                          sipmsg_slice_of("binary")}};
    sipmsg_body_part parts[] = {
        {h1, 1, sipmsg_slice_of("hello")},
        {h2, 2, {"\0\r\n\r--b\n\x01", 9}},
        {NULL, 0, sipmsg_slice_of("")},
    };
    sipmsg_error err;
    size_t need = sipmsg_multipart_build(NULL, 0, sipmsg_slice_of("b"), parts, 3, &err);
    assert_true(need > 0);
    char *out = malloc(need);
    assert_int_equal(sipmsg_multipart_build(out, need, sipmsg_slice_of("b"), parts, 3, &err),
                     need);
    const char expect[] = "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                          "--b\r\nContent-Type: application/octet-stream\r\n"
                          "Content-Transfer-Encoding: binary\r\n\r\n\0\r\n\r--b\n\x01\r\n"
                          "--b\r\n\r\n\r\n--b--\r\n";
    assert_int_equal(need, sizeof expect - 1);
    assert_memory_equal(out, expect, need);
    /* parsed back */
    sipmsg_multipart_iter it;
    sipmsg_part part;
    sipmsg_fields_init(&part.headers, PH, NH);
    assert_int_equal(sipmsg_multipart_init(&it, (sipmsg_slice){out, need},
                                           sipmsg_slice_of("b"), &err), SIPMSG_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 1);
        assert_int_equal(part.body.len, parts[i].body.len);
        assert_memory_equal(part.body.ptr, parts[i].body.ptr, part.body.len);
        assert_int_equal(part.headers.count, parts[i].header_count);
    }
    assert_int_equal(sipmsg_multipart_next(&it, &part, &err), 0);
    /* snprintf contract: a short buffer gets a prefix, nothing past cap */
    char small[12];
    memset(small, '#', sizeof small);
    assert_int_equal(sipmsg_multipart_build(small, 10, sipmsg_slice_of("b"), parts, 3, &err),
                     need);
    assert_memory_equal(small, out, 10);
    assert_int_equal(small[10], '#');
    free(out);

    /* refused */
    sipmsg_body_part bad_body = {h1, 1, sipmsg_slice_of("x\r\n--b--\r\n")};
    assert_int_equal(sipmsg_multipart_build(NULL, 0, sipmsg_slice_of("b"), &bad_body, 1, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_BAD_TEXT);
    bad_body.body = sipmsg_slice_of("--b");
    assert_int_equal(sipmsg_multipart_build(NULL, 0, sipmsg_slice_of("b"), &bad_body, 1, &err), 0);
    sipmsg_field crlf[] = {{sipmsg_slice_of("X"), sipmsg_slice_of("a\r\nInjected: 1")}};
    sipmsg_body_part bad_hdr = {crlf, 1, sipmsg_slice_of("")};
    assert_int_equal(sipmsg_multipart_build(NULL, 0, sipmsg_slice_of("b"), &bad_hdr, 1, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_BAD_TEXT);
    assert_int_equal(sipmsg_multipart_build(NULL, 0, sipmsg_slice_of("b"), parts, 0, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_RANGE);
    assert_int_equal(sipmsg_multipart_build(NULL, 0, sipmsg_slice_of("b;"), parts, 1, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_CONTENT_TYPE);
}

/* ---- CPIM ------------------------------------------------------------------------------ */

static void cpim_parse_examples(void **state)
{
    (void)state;
    sipmsg_cpim c;
    sipmsg_error err;
    size_t len;
    char *b = tu_read("tests/bodies/seed.cpim", &len);
    sipmsg_cpim_init(&c, PH, NH);
    assert_int_equal(sipmsg_cpim_parse(&c, (sipmsg_slice){b, len}, &err), SIPMSG_OK);
    assert_int_equal(c.headers.count, 3);
    assert_int_equal(c.mime.count, 1);
    assert_ptr_equal(c.mime.headers, PH + 3);
    assert_slice(c.from, "<im:user1@domain.com>");
    assert_slice(c.to, "<im:user2@domain.com>");
    assert_slice(c.datetime, "2026-11-30T10:48:54-05:00");
    assert_null(c.subject.ptr);
    assert_slice(c.content_type, "text/plain");
    assert_slice(c.content, "user2, come here.\n");
    free(b);

    b = tu_read("tests/bodies/rfc3862.cpim", &len);
    assert_int_equal(sipmsg_cpim_parse(&c, (sipmsg_slice){b, len}, &err), SIPMSG_OK);
    assert_int_equal(c.headers.count, 9);
    assert_slice(c.from, "MR SANDERS <im:piglet@100akerwood.com>");
    assert_slice(c.subject, "the weather will be fine today");
    assert_slice(c.headers.headers[4].value, "beau temps prevu pour aujourd'hui");
    assert_slice(sipmsg_cpim_header_params(&c.headers.headers[4]), ";lang=fr");
    assert_slice(c.headers.headers[7].name, "MyFeatures.VitalMessageOption");
    assert_slice(c.content_type, "text/xml; charset=utf-8");
    assert_slice(sipmsg_fields_find(&c.mime, "Content-ID")->value, "<1234567890@foo.com>");
    assert_slice(c.content, "<body>\r\nHere is the text of my message.\r\n</body>\r\n");
    sipmsg_nameaddr na;
    assert_int_equal(sipmsg_nameaddr_parse(&na, c.to, &err), SIPMSG_OK);
    assert_slice(na.display, "Depressed Donkey");
    assert_slice(na.uri_text, "im:eeyore@100akerwood.com");

    /* every truncation: an error or a shorter content, never a crash */
    for (size_t cut = 0; cut < len; cut++) {
        char *t = tu_exact(b, cut);
        sipmsg_code code = sipmsg_cpim_parse(&c, (sipmsg_slice){t, cut}, &err);
        if (code == SIPMSG_OK)
            assert_true(c.content.ptr + c.content.len == t + cut);
        else
            assert_true(err.offset <= cut);
        free(t);
    }
    free(b);
}

static void cpim_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        sipmsg_code code;
        size_t offset;
    } cases[] = {
        {"", SIPMSG_E_EMPTY, 0},
        {"From: <im:a@b>\r\n\r\n", SIPMSG_E_TRUNCATED, 18},
        {"From: <im:a@b>\r\n\r\nContent-Type: text/plain\r\n", SIPMSG_E_TRUNCATED, 44},
        {"From: <im:a@b>\r\n\r\nX: y\r\n\r\nhi", SIPMSG_E_MISSING_HEADER, 18},
        {"From: im:a@b\r\n\r\nContent-Type: text/plain\r\n\r\n", SIPMSG_E_NAME_ADDR, 6},
        {"To: <im:a@b>;x=1\r\n\r\nContent-Type: text/plain\r\n\r\n", SIPMSG_E_NAME_ADDR, 12},
        {"cc: <>\r\n\r\nContent-Type: text/plain\r\n\r\n", SIPMSG_E_URI, 5},
        {"From:<im:a@b>\r\n\r\nContent-Type: text/plain\r\n\r\n", SIPMSG_E_HEADER_VALUE, 5},
        {"Subject: a\r\n b\r\n\r\nContent-Type: text/plain\r\n\r\n", SIPMSG_E_FOLD, 12},
        {"Subject: a\nb\r\n\r\nContent-Type: text/plain\r\n\r\n", SIPMSG_E_BARE_LF, 10},
        {"Subject: a\r\n\r\nContent-Type: text/plain\nX: 1\r\n\r\n", SIPMSG_E_BARE_LF, 38},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sipmsg_cpim c;
        sipmsg_error err;
        size_t len;
        char *b = xs(cases[i].text, &len);
        sipmsg_cpim_init(&c, PH, NH);
        sipmsg_code code = sipmsg_cpim_parse(&c, (sipmsg_slice){b, len}, &err);
        if (code != cases[i].code || err.offset != cases[i].offset)
            fail_msg("case %zu: code %d offset %zu (%s)", i, code, err.offset,
                     code ? err.msg : "ok");
        free(b);
    }
}

static int fixed_random(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(i * 37 + 11);
    return 0;
}

/* The seed's pager-mode IM, wrapped in CPIM and sent with the MESSAGE
 * builder (Content-Type: message/cpim), then parsed back. */
static void cpim_build_message(void **state)
{
    (void)state;
    sipmsg_field cc[] = {{sipmsg_slice_of("cc"), sipmsg_slice_of("<im:user3@domain.com>")},
                         {sipmsg_slice_of("NS"),
                          sipmsg_slice_of("MyFeatures <mid:MessageFeatures@id.foo.com>")}};
    sipmsg_cpim_spec spec = {
        .from = sipmsg_slice_of("<im:user1@domain.com>"),
        .to = sipmsg_slice_of("<im:user2@domain.com>"),
        .datetime = sipmsg_slice_of("2026-11-30T10:48:54-05:00"),
        .extra = cc,
        .extra_count = 2,
        .content = sipmsg_slice_of("user2, come here.\n"),
    };
    sipmsg_error err;
    char body[512];
    size_t n = sipmsg_cpim_build(body, sizeof body, &spec, &err);
    const char expect[] = "From: <im:user1@domain.com>\r\nTo: <im:user2@domain.com>\r\n"
                          "DateTime: 2026-11-30T10:48:54-05:00\r\n"
                          "cc: <im:user3@domain.com>\r\n"
                          "NS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\n\r\n"
                          "Content-Type: text/plain;charset=utf-8\r\n\r\nuser2, come here.\n";
    assert_int_equal(n, sizeof expect - 1);
    assert_memory_equal(body, expect, n);

    sipmsg_header hdrs[32];
    sipmsg_msg m;
    char arena_buf[2048];
    sipmsg_arena arena;
    sipmsg_msg_init(&m, hdrs, 32);
    sipmsg_arena_init(&arena, arena_buf, sizeof arena_buf);
    sipmsg_edit_init(&m, &arena);
    sipmsg_request r = {
        .request_uri = sipmsg_slice_of("sip:user2@domain.com"),
        .via = sipmsg_slice_of("SIP/2.0/TCP user1pc.domain.com"),
        .branch = sipmsg_slice_of("z9hG4bK776sgdkse"),
        .from = sipmsg_slice_of("sip:user1@domain.com"),
        .from_tag = sipmsg_slice_of("49583"),
        .to = sipmsg_slice_of("sip:user2@domain.com"),
        .call_id = sipmsg_slice_of("asd88asd77a@1.2.3.4"),
        .content_type = sipmsg_slice_of("message/cpim"),
        .body = {body, n},
        .rand = fixed_random,
    };
    unsigned report = 0;
    assert_int_equal(sipmsg_build_message(&m, &r, &report), SIPMSG_OK);
    assert_int_equal(report, 0);
    char wire[2048];
    size_t wl = sipmsg_write(&m, wire, sizeof wire, 0);
    assert_true(wl < sizeof wire);

    char *copy = tu_exact(wire, wl);
    sipmsg_msg p;
    sipmsg_header ph[32];
    sipmsg_msg_init(&p, ph, 32);
    assert_int_equal(sipmsg_parse(&p, copy, wl, NULL, &err), SIPMSG_DONE);
    assert_int_equal(p.method, SIPMSG_METHOD_MESSAGE);
    assert_slice(p.content_type, "message/cpim");
    assert_int_equal(sipmsg_msg_body_kind(&p), SIPMSG_BODY_CPIM);
    sipmsg_cpim c;
    sipmsg_cpim_init(&c, PH, NH);
    assert_int_equal(sipmsg_cpim_parse(&c, p.body, &err), SIPMSG_OK);
    assert_slice(c.to, "<im:user2@domain.com>");
    assert_slice(c.headers.headers[3].name, "cc");
    assert_slice(c.content_type, "text/plain;charset=utf-8");
    assert_slice(c.content, "user2, come here.\n");
    free(copy);

    /* short buffer, sizing pass */
    assert_int_equal(sipmsg_cpim_build(NULL, 0, &spec, &err), n);
    /* refused input */
    sipmsg_cpim_spec bad = spec;
    bad.to.ptr = NULL;
    assert_int_equal(sipmsg_cpim_build(NULL, 0, &bad, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_NOT_FOUND);
    bad = spec;
    bad.from = sipmsg_slice_of("im:user1@domain.com");
    assert_int_equal(sipmsg_cpim_build(NULL, 0, &bad, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_NAME_ADDR);
    bad = spec;
    bad.subject = sipmsg_slice_of("hi\r\nInjected: 1");
    assert_int_equal(sipmsg_cpim_build(NULL, 0, &bad, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_BAD_TEXT);
    bad = spec;
    bad.content_type = sipmsg_slice_of("text");
    assert_int_equal(sipmsg_cpim_build(NULL, 0, &bad, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_CONTENT_TYPE);
    sipmsg_field badname[] = {{sipmsg_slice_of("Bad Name"), sipmsg_slice_of("x")}};
    bad = spec;
    bad.extra = badname;
    bad.extra_count = 1;
    assert_int_equal(sipmsg_cpim_build(NULL, 0, &bad, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_BAD_TEXT);
}

/* ---- SDP ------------------------------------------------------------------------------ */

static void sdp_av_offer(void **state)
{
    (void)state;
    size_t len;
    char *b = tu_read("tests/bodies/av-offer.sdp", &len);
    char *x = tu_exact(b, len);
    free(b);
    sipmsg_sdp s;
    sipmsg_error err;
    sipmsg_sdp_init(&s, LINES, 64, MEDIA, 8);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){x, len}, &err), SIPMSG_OK);
    assert_int_equal(s.line_count, 33);
    assert_int_equal(s.media_count, 2);
    assert_int_equal(s.session_end, 9);
    assert_int_equal(s.version, 0);
    assert_slice(s.origin.username, "alice");
    assert_slice(s.origin.sess_id, "2890844526");
    assert_slice(s.origin.sess_version, "2890844527");
    assert_slice(s.origin.nettype, "IN");
    assert_slice(s.origin.addrtype, "IP4");
    assert_slice(s.origin.address, "198.51.100.10");
    assert_slice(s.name, "-");
    assert_true(s.has_conn);
    assert_slice(s.conn.address, "198.51.100.10");
    assert_slice(s.time, "0 0");
    assert_int_equal(s.start, 0);
    assert_int_equal(LINES[5].type, 'b'); /* unknown to the typed view, kept */
    assert_slice(LINES[5].text, "AS:2048");
    assert_slice(LINES[7].name, "group");
    assert_slice(LINES[7].value, "BUNDLE 0 1");
    assert_slice(LINES[8].value, " WMS stream1");
    assert_int_equal(LINES[8].media, 0);

    sipmsg_sdp_media *a = &MEDIA[0], *v = &MEDIA[1];
    assert_slice(a->media, "audio");
    assert_int_equal(a->port, 49170);
    assert_int_equal(a->count, 0);
    assert_slice(a->proto, "RTP/AVP");
    assert_slice(a->formats, "111 0 8 9 101");
    assert_false(a->has_conn);
    assert_int_equal(a->line, 9);
    assert_int_equal(a->line_end, 22);
    assert_int_equal(v->line, 22);
    assert_int_equal(v->line_end, 33);
    assert_int_equal(LINES[10].media, 1);
    assert_int_equal(LINES[32].media, 2);
    static const char *const fmts[] = {"111", "0", "8", "9", "101"};
    sipmsg_slice list = a->formats, f;
    size_t nf = 0;
    while (sipmsg_sdp_format_next(&list, &f))
        assert_slice(f, fmts[nf++]);
    assert_int_equal(nf, 5);

    const sipmsg_sdp_line *l = sipmsg_sdp_attr(&s, 1, "rtpmap");
    assert_non_null(l);
    assert_slice(l->value, "111 opus/48000/2");
    l = sipmsg_sdp_attr(&s, 2, "sendrecv");
    assert_non_null(l);
    assert_null(l->value.ptr);
    assert_null(sipmsg_sdp_attr(&s, 0, "rtpmap"));
    assert_slice(sipmsg_sdp_attr(&s, 2, "fmtp")->value,
                 "97 profile-level-id=42e01f;packetization-mode=1");

    /* written back from the line table: the same bytes */
    char out[1024];
    assert_int_equal(sipmsg_sdp_write(out, sizeof out, LINES, s.line_count, &err), len);
    assert_memory_equal(out, x, len);

    /* a counting pass with no tables */
    sipmsg_sdp_init(&s, NULL, 0, NULL, 0);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){x, len}, &err), SIPMSG_OK);
    assert_int_equal(s.line_count, 33);
    assert_int_equal(s.media_count, 2);
    assert_slice(s.origin.username, "alice");

    /* tables too small */
    sipmsg_sdp_init(&s, LINES, 10, MEDIA, 8);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){x, len}, &err),
                     SIPMSG_E_NO_SPACE);
    sipmsg_sdp_init(&s, LINES, 64, MEDIA, 1);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){x, len}, &err),
                     SIPMSG_E_NO_SPACE);

    /* every truncation: parses (cut at a line end) or an error inside */
    for (size_t cut = 0; cut < len; cut++) {
        char *t = tu_exact(x, cut);
        sipmsg_sdp_init(&s, LINES, 64, MEDIA, 8);
        if (sipmsg_sdp_parse(&s, (sipmsg_slice){t, cut}, &err) != SIPMSG_OK)
            assert_true(err.offset <= cut);
        free(t);
    }
    free(x);
}

static void sdp_msrp(void **state)
{
    (void)state;
    size_t len;
    char *b = tu_read("tests/bodies/msrp-offer.sdp", &len);
    sipmsg_sdp s;
    sipmsg_error err;
    sipmsg_sdp_init(&s, LINES, 64, MEDIA, 8);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){b, len}, &err), SIPMSG_OK);
    assert_slice(s.name, " ");
    assert_int_equal(s.media_count, 1);
    assert_slice(MEDIA[0].media, "message");
    assert_int_equal(MEDIA[0].port, 7394);
    assert_slice(MEDIA[0].proto, "TCP/MSRP");
    assert_slice(MEDIA[0].formats, "*");
    assert_slice(sipmsg_sdp_attr(&s, 1, "path")->value,
                 "msrp://user1pc.domain.com:7394/iau39soe2843z;tcp");
    assert_slice(sipmsg_sdp_attr(&s, 1, "accept-types")->value, "text/plain message/cpim");
    assert_slice(sipmsg_sdp_attr(&s, 1, "accept-wrapped-types")->value, "*");
    free(b);
}

/* The SDP bodies of RFC 5118 4.6, 4.8 and 4.9 (IPv6, mixed, IPv4-mapped). */
static void sdp_ipv6(void **state)
{
    (void)state;
    size_t len;
    sipmsg_sdp s;
    sipmsg_error err;
    char *b = tu_read("tests/bodies/ipv6-sdp.sdp", &len);
    sipmsg_sdp_init(&s, LINES, 64, MEDIA, 8);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){b, len}, &err), SIPMSG_OK);
    assert_slice(s.origin.addrtype, "IP6");
    assert_slice(s.origin.address, "2001:db8::20");
    assert_slice(s.conn.addrtype, "IP6");
    assert_slice(s.conn.address, "2001:db8::20");
    free(b);
    b = tu_read("tests/bodies/ipv6-multi.sdp", &len);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){b, len}, &err), SIPMSG_OK);
    assert_false(s.has_conn);
    assert_int_equal(s.media_count, 2);
    assert_true(MEDIA[0].has_conn);
    assert_slice(MEDIA[0].conn.address, "192.0.2.1");
    assert_slice(MEDIA[1].conn.addrtype, "IP6");
    assert_slice(MEDIA[1].conn.address, "2001:db8::1");
    free(b);
    b = tu_read("tests/bodies/ipv6-mapped.sdp", &len);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){b, len}, &err), SIPMSG_OK);
    assert_slice(s.conn.address, "::ffff:192.0.2.2");
    free(b);

    /* multicast forms */
    sipmsg_sdp_conn c;
    assert_int_equal(sipmsg_sdp_conn_parse(&c, sipmsg_slice_of("IN IP4 233.252.0.1/127/3"),
                                           &err), SIPMSG_OK);
    assert_slice(c.address, "233.252.0.1");
    assert_int_equal(c.ttl, 127);
    assert_int_equal(c.count, 3);
    assert_int_equal(sipmsg_sdp_conn_parse(&c, sipmsg_slice_of("IN IP6 ff00::db8:0:101/3"),
                                           &err), SIPMSG_OK);
    assert_int_equal(c.count, 3);
    assert_int_equal(c.ttl, 0);
    assert_int_equal(sipmsg_sdp_conn_parse(&c, sipmsg_slice_of("IN IP4 1.2.3.4/256"), &err),
                     SIPMSG_E_HEADER_VALUE);
    assert_int_equal(sipmsg_sdp_conn_parse(&c, sipmsg_slice_of("IN IP6 [2001:db8::1]"), &err),
                     SIPMSG_E_HEADER_VALUE);
    assert_int_equal(sipmsg_sdp_conn_parse(&c, sipmsg_slice_of("IN  IP4 1.2.3.4"), &err),
                     SIPMSG_E_HEADER_VALUE);
}

static void sdp_tolerance(void **state)
{
    (void)state;
    sipmsg_sdp s;
    sipmsg_error err;
    char *b;
    /* LF-only endings, a final line without a line end, empty lines at the
     * end, unknown line types kept in order */
    assert_int_equal(sdp_text("v=0\no=- 1 1 IN IP4 h\ns=x\r\nt=0 0\nk=prompt\nm=audio 0 RTP/AVP 0\n"
                              "y=unknown\na=recvonly", &s, &err, &b), SIPMSG_OK);
    assert_int_equal(s.line_count, 8);
    assert_int_equal(LINES[4].type, 'k');
    assert_int_equal(LINES[6].type, 'y');
    assert_int_equal(LINES[6].media, 1);
    assert_slice(LINES[7].name, "recvonly");
    assert_int_equal(MEDIA[0].port, 0);
    free(b);
    assert_int_equal(sdp_text("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\n\r\n\n\r\n", &s, &err,
                              &b), SIPMSG_OK);
    assert_int_equal(s.line_count, 4);
    free(b);
    /* sofia-sip CVE-2022-31003: no final CRLF, in every field */
    static const char *const nofinal[] = {
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0",
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0",
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nc=IN IP4 1.2.3.4/1",
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\na=x:",
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\na=x",
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nb=",
    };
    for (size_t i = 0; i < sizeof nofinal / sizeof nofinal[0]; i++)
        if (sdp_err(nofinal[i], &err) != SIPMSG_OK)
            fail_msg("no-final-CRLF case %zu: %s", i, err.msg);
    assert_int_equal(sdp_text("v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\na=x:", &s, &err, &b),
                     SIPMSG_OK);
    assert_non_null(LINES[4].value.ptr);
    assert_int_equal(LINES[4].value.len, 0);
    free(b);
}

static void sdp_errors(void **state)
{
    (void)state;
    int bad = 0;
    static const struct {
        const char *text;
        sipmsg_code code;
        size_t offset;
    } cases[] = {
        {"", SIPMSG_E_EMPTY, 0},
        {"\r\n", SIPMSG_E_EMPTY, 0},
        /* one-character lines */
        {"v", SIPMSG_E_HEADER_VALUE, 1},
        {"v=0\r\no\r\n", SIPMSG_E_HEADER_VALUE, 6},
        {"v=0\r\nx\r\n", SIPMSG_E_HEADER_VALUE, 6},
        {"v=0\r\n=\r\n", SIPMSG_E_HEADER_VALUE, 5},
        {"v =0\r\n", SIPMSG_E_HEADER_VALUE, 1},
        {"v=1\r\n", SIPMSG_E_HEADER_VALUE, 2},
        {"v=00\r\n", SIPMSG_E_HEADER_VALUE, 2},
        {"o=- 1 1 IN IP4 h\r\n", SIPMSG_E_MISSING_HEADER, 0},
        {"v=0\r\ns=x\r\nt=0 0\r\n", SIPMSG_E_MISSING_HEADER, 17},
        {"v=0\r\no=- 1 1 IN IP4 h\r\nt=0 0\r\n", SIPMSG_E_MISSING_HEADER, 30},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\n", SIPMSG_E_MISSING_HEADER, 28},
        {"v=0\r\no=- 1 1 IN IP4 h\r\no=- 1 1 IN IP4 h\r\n", SIPMSG_E_DUPLICATE_HEADER, 23},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\ns=y\r\n", SIPMSG_E_DUPLICATE_HEADER, 28},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=\r\n", SIPMSG_E_HEADER_VALUE, 25},
        {"v=0\r\nv=0\r\n", SIPMSG_E_HEADER_VALUE, 5},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n",
         SIPMSG_E_HEADER_VALUE, 56},
        /* line ends and bytes */
        {"v=0\ro=- 1 1 IN IP4 h\r\n", SIPMSG_E_BARE_CR, 3},
        {"v=0\r", SIPMSG_E_BARE_CR, 3},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=a\0b\r\n", SIPMSG_E_HEADER_VALUE, 26},
        {"v=0\r\no=- 1 1 IN IP4 h\r\n\r\ns=x\r\n", SIPMSG_E_HEADER_VALUE, 25},
        {"v=0\r\no=- 1 1 IN IP4 h\r\n\r\n\rs", SIPMSG_E_BARE_CR, 25},
        /* o=, t= */
        {"v=0\r\no=- x 1 IN IP4 h\r\n", SIPMSG_E_HEADER_VALUE, 7},
        {"v=0\r\no=- 1 1 IN IP4\r\n", SIPMSG_E_HEADER_VALUE, 7},
        {"v=0\r\no=- 1 1 IN IP4 h extra\r\n", SIPMSG_E_HEADER_VALUE, 7},
        {"v=0\r\no= 1 1 IN IP4 h\r\n", SIPMSG_E_HEADER_VALUE, 7},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0\r\n", SIPMSG_E_HEADER_VALUE, 30},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 99999999999999999999999\r\n",
         SIPMSG_E_HEADER_VALUE, 30},
        /* m=: the AST-2018-002 class (bad formats) and friends */
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 128\r\n",
         SIPMSG_E_HEADER_VALUE, 53},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0 1x\r\n",
         SIPMSG_E_HEADER_VALUE, 55},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP -1\r\n",
         SIPMSG_E_HEADER_VALUE, 53},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0000\r\n",
         SIPMSG_E_HEADER_VALUE, 53},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP\r\n",
         SIPMSG_E_HEADER_VALUE, 52},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP \r\n",
         SIPMSG_E_HEADER_VALUE, 52},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0  8\r\n",
         SIPMSG_E_HEADER_VALUE, 55},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n",
         SIPMSG_E_PORT, 43},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 99999999999 RTP/AVP 0\r\n",
         SIPMSG_E_HEADER_VALUE, 43},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1/0 RTP/AVP 0\r\n",
         SIPMSG_E_HEADER_VALUE, 45},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n",
         SIPMSG_E_HEADER_VALUE, 43},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=audio 1 RTP//AVP 0\r\n",
         SIPMSG_E_HEADER_VALUE, 49},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nm=message 1 TCP/MSRP *,\r\n",
         SIPMSG_E_HEADER_VALUE, 57},
        /* a= */
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\na=\r\n", SIPMSG_E_HEADER_VALUE, 37},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\na=:x\r\n", SIPMSG_E_HEADER_VALUE, 37},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\na=x y\r\n", SIPMSG_E_HEADER_VALUE, 38},
        {"v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\nc=IN IP4\r\n", SIPMSG_E_HEADER_VALUE, 37},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sipmsg_error err;
        size_t len = strlen(cases[i].text);
        if (i == 20) /* holds a NUL: its length by hand */
            len = 30;
        char *b = tu_exact(cases[i].text, len);
        sipmsg_sdp s;
        sipmsg_sdp_init(&s, LINES, 64, MEDIA, 8);
        sipmsg_code c = sipmsg_sdp_parse(&s, (sipmsg_slice){b, len}, &err);
        if (c != cases[i].code || err.offset != cases[i].offset) {
            print_error("case %zu: code %d offset %zu (%s)\n", i, c, err.offset,
                        c ? err.msg : "ok");
            bad++;
        }
        free(b);
    }
    assert_int_equal(bad, 0);
}

static void sdp_write_and_large(void **state)
{
    (void)state;
    sipmsg_error err;
    sipmsg_sdp_line l[5] = {
        {sipmsg_slice_of("0"), {0}, {0}, 0, 'v'},
        {sipmsg_slice_of("- 1 1 IN IP6 2001:db8::1"), {0}, {0}, 0, 'o'},
        {sipmsg_slice_of("call"), {0}, {0}, 0, 's'},
        {sipmsg_slice_of("0 0"), {0}, {0}, 0, 't'},
        {sipmsg_slice_of("message 9 TCP/MSRP *"), {0}, {0}, 0, 'm'},
    };
    char out[256];
    size_t n = sipmsg_sdp_write(out, sizeof out, l, 5, &err);
    const char expect[] = "v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns=call\r\nt=0 0\r\n"
                          "m=message 9 TCP/MSRP *\r\n";
    assert_int_equal(n, sizeof expect - 1);
    assert_memory_equal(out, expect, n);
    assert_int_equal(sipmsg_sdp_write(NULL, 0, l, 5, &err), n);
    l[2].text = sipmsg_slice_of("a\r\nb");
    assert_int_equal(sipmsg_sdp_write(out, sizeof out, l, 5, &err), 0);
    assert_int_equal(err.code, SIPMSG_E_BAD_TEXT);
    l[2].text = sipmsg_slice_of("x");
    l[2].type = '=';
    assert_int_equal(sipmsg_sdp_write(out, sizeof out, l, 5, &err), 0);

    /* 200000 attribute lines, counted without tables: linear */
    size_t lines = 200000, len = 40 + lines * 6;
    char *big = malloc(len);
    assert_non_null(big);
    size_t o = 0;
    const char head[] = "v=0\r\no=- 1 1 IN IP4 h\r\ns=x\r\nt=0 0\r\n";
    memcpy(big, head, sizeof head - 1), o += sizeof head - 1;
    for (size_t i = 0; i < lines; i++)
        memcpy(big + o, "a=xy\r\n", 6), o += 6;
    sipmsg_sdp s;
    sipmsg_sdp_init(&s, NULL, 0, NULL, 0);
    assert_int_equal(sipmsg_sdp_parse(&s, (sipmsg_slice){big, o}, &err), SIPMSG_OK);
    assert_int_equal(s.line_count, lines + 4);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_basic),
        cmocka_unit_test(fields_errors),
        cmocka_unit_test(fields_cpim_rules),
        cmocka_unit_test(body_kinds),
        cmocka_unit_test(multipart_mpart01),
        cmocka_unit_test(multipart_structure),
        cmocka_unit_test(multipart_hostile),
        cmocka_unit_test(multipart_pathological),
        cmocka_unit_test(multipart_build),
        cmocka_unit_test(cpim_parse_examples),
        cmocka_unit_test(cpim_errors),
        cmocka_unit_test(cpim_build_message),
        cmocka_unit_test(sdp_av_offer),
        cmocka_unit_test(sdp_msrp),
        cmocka_unit_test(sdp_ipv6),
        cmocka_unit_test(sdp_tolerance),
        cmocka_unit_test(sdp_errors),
        cmocka_unit_test(sdp_write_and_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
