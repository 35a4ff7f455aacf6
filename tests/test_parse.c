/* Parser core: seed messages, header forms, errors, framing, limits. */
#include "testutil.h"
#include "decode.h"
#include "nameaddr.h"
#include "scan.h"
#include "via.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 64

typedef struct fixture {
    sipmsg_header hdrs[CAP];
    sipmsg_msg m;
    sipmsg_error err;
    char *buf;
    size_t len;
} fixture;

static fixture F;

static sipmsg_result parse_file(const char *rel)
{
    free(F.buf);
    F.buf = tu_read(rel, &F.len);
    sipmsg_msg_init(&F.m, F.hdrs, CAP);
    return sipmsg_parse(&F.m, F.buf, F.len, NULL, &F.err);
}

static sipmsg_result parse_text(const char *text, sipmsg_mode mode)
{
    free(F.buf);
    F.len = strlen(text);
    F.buf = tu_exact(text, F.len);
    sipmsg_opts o = {mode, 0, 0, 0, 0};
    sipmsg_msg_init(&F.m, F.hdrs, CAP);
    return sipmsg_parse(&F.m, F.buf, F.len, &o, &F.err);
}

static const char *hv(sipmsg_hdr_id id)
{
    static char tmp[512];
    const sipmsg_header *h = sipmsg_find(&F.m, id);
    if (!h)
        return NULL;
    snprintf(tmp, sizeof tmp, "%.*s", (int)h->value.len, h->value.ptr);
    return tmp;
}

static int teardown(void **state)
{
    (void)state;
    free(F.buf);
    F.buf = NULL;
    return 0;
}

/* ---- the seed's messages, field by field --------------------------------- */

static void seed_message(void **state)
{
    (void)state;
    assert_int_equal(parse_file("examples/messages/01-message.sip"), SIPMSG_DONE);
    assert_true(F.m.is_request);
    assert_int_equal(F.m.method, SIPMSG_METHOD_MESSAGE);
    assert_slice(F.m.method_name, "MESSAGE");
    assert_slice(F.m.request_uri, "sip:user2@domain.com");
    assert_slice(F.m.version, "SIP/2.0");
    assert_int_equal(F.m.version_major, 2);
    assert_int_equal(F.m.version_minor, 0);
    assert_int_equal(F.m.count, 8);
    assert_string_equal(hv(SIPMSG_HDR_VIA),
                        "SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse");
    assert_string_equal(hv(SIPMSG_HDR_MAX_FORWARDS), "70");
    assert_string_equal(hv(SIPMSG_HDR_FROM), "sip:user1@domain.com;tag=49583");
    assert_string_equal(hv(SIPMSG_HDR_TO), "sip:user2@domain.com");
    assert_string_equal(hv(SIPMSG_HDR_CALL_ID), "asd88asd77a@1.2.3.4");
    assert_string_equal(hv(SIPMSG_HDR_CSEQ), "1 MESSAGE");
    assert_string_equal(hv(SIPMSG_HDR_CONTENT_TYPE), "text/plain");
    assert_string_equal(hv(SIPMSG_HDR_CONTENT_LENGTH), "18");
    assert_int_equal(F.m.content_length, 18);
    assert_slice(F.m.body, "user2, come here.\n");
    assert_int_equal(F.m.len, F.len);
    assert_int_equal(F.m.trailing, 0);
    /* wire order */
    assert_slice(F.m.headers[0].name, "Via");
    assert_slice(F.m.headers[7].name, "Content-Length");
    assert_slice(F.m.headers[7].raw, "Content-Length: 18\r\n");
}

static void seed_proxied_message(void **state)
{
    (void)state;
    assert_int_equal(parse_file("examples/messages/02-message-proxied.sip"), SIPMSG_DONE);
    assert_int_equal(sipmsg_count(&F.m, SIPMSG_HDR_VIA), 2);
    const sipmsg_header *v = sipmsg_find(&F.m, SIPMSG_HDR_VIA);
    assert_slice(v->value, "SIP/2.0/TCP proxy.domain.com;branch=z9hG4bK123dsghds");
    v = sipmsg_find_next(&F.m, v);
    assert_non_null(v);
    /* the received= parameter sits on a continuation line: it stays inside
     * the value, fold included */
    assert_slice(v->value,
                 "SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse;\r\n received=1.2.3.4");
    assert_true(v->flags & SIPMSG_HF_FOLDED);
    assert_null(sipmsg_find_next(&F.m, v));
    assert_string_equal(hv(SIPMSG_HDR_MAX_FORWARDS), "69");
    assert_string_equal(hv(SIPMSG_HDR_FROM), "sip:user1@domain.com;tag=49394");
    assert_slice(F.m.body, "user2, come here.\n");
}

static void seed_200_ok(void **state)
{
    (void)state;
    assert_int_equal(parse_file("examples/messages/03-message-200.sip"), SIPMSG_DONE);
    assert_false(F.m.is_request);
    assert_int_equal(F.m.method, SIPMSG_METHOD_NONE);
    assert_int_equal(F.m.status_code, 200);
    assert_slice(F.m.reason, "OK");
    assert_int_equal(sipmsg_count(&F.m, SIPMSG_HDR_VIA), 2);
    const sipmsg_header *v = sipmsg_find_next(&F.m, sipmsg_find(&F.m, SIPMSG_HDR_VIA));
    /* ";;" is kept as written; validation, not parsing, reports it */
    assert_slice(v->value,
                 "SIP/2.0/TCP user1pc.domain.com;;branch=z9hG4bK776sgdkse;\r\n received=1.2.3.4");
    assert_string_equal(hv(SIPMSG_HDR_TO), "sip:user2@domain.com;tag=ab8asdasd9");
    assert_int_equal(F.m.content_length, 0);
    assert_non_null(F.m.body.ptr);
    assert_int_equal(F.m.body.len, 0);
}

static void seed_200_forwarded(void **state)
{
    (void)state;
    assert_int_equal(parse_file("examples/messages/04-message-200-forwarded.sip"), SIPMSG_DONE);
    assert_int_equal(sipmsg_count(&F.m, SIPMSG_HDR_VIA), 1);
    assert_string_equal(hv(SIPMSG_HDR_FROM), "sip:user1@domain.com;;tag=49394");
    assert_string_equal(hv(SIPMSG_HDR_CSEQ), "1 MESSAGE");
}

static void seed_register_flow(void **state)
{
    (void)state;
    assert_int_equal(parse_file("examples/messages/07-register.sip"), SIPMSG_DONE);
    assert_int_equal(F.m.method, SIPMSG_METHOD_REGISTER);
    assert_slice(F.m.request_uri, "sip:192.168.2.89");
    assert_int_equal(F.m.count, 11);
    assert_string_equal(hv(SIPMSG_HDR_VIA), "SIP/2.0/UDP 192.168.2.161:8021");
    assert_string_equal(hv(SIPMSG_HDR_FROM),
                        "<sip:01062237493@192.168.2.89>;tag=efca469543ce4788a6a6a2c7b66cd01f;epid=de4504430d");
    assert_string_equal(hv(SIPMSG_HDR_CONTACT),
                        "<sip:192.168.2.161:8021>;methods=\"INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER\"");
    assert_string_equal(hv(SIPMSG_HDR_USER_AGENT), "RTC/1.2.4949 (BOL SIP Phone 1005)");
    assert_string_equal(hv(SIPMSG_HDR_EVENT), "registration");
    assert_string_equal(hv(SIPMSG_HDR_ALLOW_EVENTS), "presence");

    assert_int_equal(parse_file("examples/messages/08-register-401.sip"), SIPMSG_DONE);
    assert_int_equal(F.m.status_code, 401);
    assert_slice(F.m.reason, "Unauthorized");
    assert_string_equal(hv(SIPMSG_HDR_WWW_AUTHENTICATE),
                        "Digest realm=\"192.168.2.89\", qop=\"auth\", nonce=\"e17d377c3d2d9c343e26576a7fd04738481dfc10\", opaque=\"\", stale=FALSE, algorithm=MD5");
    assert_string_equal(hv(SIPMSG_HDR_ALLOW),
                        "INVITE,ACK,OPTIONS,BYE,CANCEL,REGISTER,INFO,UPDATE,PRACK,REFER,SUBSCRIBE,NOTIFY,MESSAGE");
    /* Content-Length is not the last header here */
    assert_int_equal(F.m.content_length, 0);
    assert_slice(F.m.headers[F.m.count - 1].name, "WWW-Authenticate");

    assert_int_equal(parse_file("examples/messages/09-register-auth.sip"), SIPMSG_DONE);
    assert_int_equal(F.len, 793);
    assert_string_equal(hv(SIPMSG_HDR_CSEQ), "2 REGISTER");
    assert_string_equal(hv(SIPMSG_HDR_AUTHORIZATION),
                        "Digest username=\"01062237493\", realm=\"192.168.2.89\", qop=auth, algorithm=MD5, uri=\"sip:192.168.2.89\", nonce=\"e17d377c3d2d9c343e26576a7fd04738481dfc10\", nc=00000001, cnonce=\"12660455546344082314666316435946\", response=\"f57e47ce03162293b9ced07362ce2b79\"");

    assert_int_equal(parse_file("examples/messages/10-register-auth-200.sip"), SIPMSG_DONE);
    assert_string_equal(hv(SIPMSG_HDR_EXPIRES), "3600");
    assert_string_equal(hv(SIPMSG_HDR_CONTACT), "sip:192.168.2.161:8021");
    assert_string_equal(hv(SIPMSG_HDR_TO),
                        "<sip:01062237493@192.168.2.89>;tag=-001894-a5eb977c8969aa51");
}

static void seed_all_parse(void **state)
{
    (void)state;
    static const char *const files[] = {
        "01-message.sip", "02-message-proxied.sip", "03-message-200.sip",
        "04-message-200-forwarded.sip", "05-register-noauth.sip",
        "06-register-noauth-200.sip", "07-register.sip", "08-register-401.sip",
        "09-register-auth.sip", "10-register-auth-200.sip"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "examples/messages/%s", files[i]);
        assert_int_equal(parse_file(rel), SIPMSG_DONE);
        assert_int_equal(F.m.len, F.len);
        assert_int_equal(F.m.header_len + F.m.body.len, F.len);
    }
}

/* The blog's raw artifact: "received=" wrapped onto a line of its own with
 * no leading whitespace is not a continuation line; it is a header line
 * without a colon, and the error points at it. */
static void seed_wrapped_received_rejected(void **state)
{
    (void)state;
    const char *text =
        "SIP/2.0 200 OK\r\n"
        "Via: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse;\r\n"
        "received=1.2.3.4\r\n"
        "Content-Length: 0\r\n\r\n";
    assert_int_equal(parse_text(text, SIPMSG_DATAGRAM), SIPMSG_INVALID);
    assert_int_equal(F.err.code, SIPMSG_E_HEADER_NAME);
    unsigned long line, col;
    sipmsg_linecol(F.buf, F.len, F.err.offset, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 9); /* the '=' after "received" */
    assert_int_equal(F.err.header, 1);
}

/* ---- header forms -------------------------------------------------------- */

static void compact_and_case(void **state)
{
    (void)state;
    const char *text =
        "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
        "v: SIP/2.0/UDP a.example.com\r\n"
        "VIA: SIP/2.0/UDP b.example.com\r\n"
        "f: <sip:alice@atlanta.com>;tag=1\r\n"
        "t: <sip:bob@biloxi.com>\r\n"
        "i: abc@host\r\n"
        "cSeQ: 1 INVITE\r\n"
        "m: <sip:alice@pc33.atlanta.com>\r\n"
        "c: application/sdp\r\n"
        "e: gzip\r\n"
        "s: hello\r\n"
        "k: 100rel\r\n"
        "o: presence\r\n"
        "u: dialog\r\n"
        "r: <sip:carol@x>\r\n"
        "b: <sip:dave@x>\r\n"
        "a: *;audio\r\n"
        "j: *;video\r\n"
        "d: proxy\r\n"
        "x: 1800\r\n"
        "y: abc\r\n"
        "n: <http://x>\r\n"
        "From-Person: not a From header\r\n"
        "X-Custom:   spaced   \r\n"
        "l: 0\r\n"
        "\r\n";
    assert_int_equal(parse_text(text, SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(sipmsg_count(&F.m, SIPMSG_HDR_VIA), 2);
    assert_int_equal(sipmsg_count(&F.m, SIPMSG_HDR_FROM), 1);
    assert_string_equal(hv(SIPMSG_HDR_FROM), "<sip:alice@atlanta.com>;tag=1");
    assert_string_equal(hv(SIPMSG_HDR_CALL_ID), "abc@host");
    assert_string_equal(hv(SIPMSG_HDR_CSEQ), "1 INVITE");
    assert_string_equal(hv(SIPMSG_HDR_CONTACT), "<sip:alice@pc33.atlanta.com>");
    assert_string_equal(hv(SIPMSG_HDR_CONTENT_TYPE), "application/sdp");
    assert_string_equal(hv(SIPMSG_HDR_CONTENT_ENCODING), "gzip");
    assert_string_equal(hv(SIPMSG_HDR_SUBJECT), "hello");
    assert_string_equal(hv(SIPMSG_HDR_SUPPORTED), "100rel");
    assert_string_equal(hv(SIPMSG_HDR_EVENT), "presence");
    assert_string_equal(hv(SIPMSG_HDR_ALLOW_EVENTS), "dialog");
    assert_string_equal(hv(SIPMSG_HDR_REFER_TO), "<sip:carol@x>");
    assert_string_equal(hv(SIPMSG_HDR_REFERRED_BY), "<sip:dave@x>");
    assert_string_equal(hv(SIPMSG_HDR_ACCEPT_CONTACT), "*;audio");
    assert_string_equal(hv(SIPMSG_HDR_REJECT_CONTACT), "*;video");
    assert_string_equal(hv(SIPMSG_HDR_REQUEST_DISPOSITION), "proxy");
    assert_string_equal(hv(SIPMSG_HDR_SESSION_EXPIRES), "1800");
    assert_string_equal(hv(SIPMSG_HDR_IDENTITY), "abc");
    assert_string_equal(hv(SIPMSG_HDR_IDENTITY_INFO), "<http://x>");
    assert_int_equal(F.m.content_length, 0);
    const sipmsg_header *h = sipmsg_find_name(&F.m, (sipmsg_slice){"from-person", 11});
    assert_non_null(h);
    assert_int_equal(h->id, SIPMSG_HDR_OTHER);
    h = sipmsg_find_name(&F.m, (sipmsg_slice){"x-custom", 8});
    assert_non_null(h);
    assert_slice(h->value, "spaced");
    assert_ptr_equal(sipmsg_find_name(&F.m, (sipmsg_slice){"Call-ID", 7}),
                     sipmsg_find(&F.m, SIPMSG_HDR_CALL_ID));
    assert_null(sipmsg_find_name(&F.m, (sipmsg_slice){"X-Absent", 8}));
}

static void whitespace_and_folding(void **state)
{
    (void)state;
    const char *text =
        "OPTIONS sip:x@y SIP/2.0\r\n"
        "Subject  \t:\tone\r\n"
        "\ttwo  \r\n"
        "  three\r\n"
        "To:\r\n"
        " <sip:x@y>\r\n"
        "Organization:\r\n"
        "Call-ID :c@d  \r\n"
        "Warning:    \r\n"
        "   \r\n"
        "Content-Length :  0\r\n"
        "\r\n";
    assert_int_equal(parse_text(text, SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.count, 6);
    assert_string_equal(hv(SIPMSG_HDR_SUBJECT), "one\r\n\ttwo  \r\n  three");
    assert_true(F.m.headers[0].flags & SIPMSG_HF_FOLDED);
    assert_string_equal(hv(SIPMSG_HDR_TO), "<sip:x@y>");
    /* an empty value is a present, empty slice */
    const sipmsg_header *org = sipmsg_find(&F.m, SIPMSG_HDR_ORGANIZATION);
    assert_non_null(org->value.ptr);
    assert_int_equal(org->value.len, 0);
    assert_string_equal(hv(SIPMSG_HDR_CALL_ID), "c@d");
    assert_int_equal(sipmsg_find(&F.m, SIPMSG_HDR_WARNING)->value.len, 0);
    assert_int_equal(F.m.content_length, 0);
    assert_slice(F.m.headers[0].raw, "Subject  \t:\tone\r\n\ttwo  \r\n  three\r\n");
}

static void extension_method_and_status(void **state)
{
    (void)state;
    assert_int_equal(parse_text("FOO.bar! sip:x@y SIP/2.0\r\n\r\n", SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.method, SIPMSG_METHOD_OTHER);
    assert_slice(F.m.method_name, "FOO.bar!");
    /* methods are case-sensitive */
    assert_int_equal(parse_text("invite sip:x@y SIP/2.0\r\n\r\n", SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.method, SIPMSG_METHOD_OTHER);
    static const char *const names[] = {"REGISTER", "INVITE", "ACK", "CANCEL",
        "BYE", "OPTIONS", "MESSAGE", "SUBSCRIBE", "NOTIFY", "REFER", "INFO",
        "UPDATE", "PRACK", "PUBLISH"};
    for (int i = 0; i < 14; i++) {
        char line[64];
        snprintf(line, sizeof line, "%s sip:x@y SIP/2.0\r\n\r\n", names[i]);
        assert_int_equal(parse_text(line, SIPMSG_DATAGRAM), SIPMSG_DONE);
        assert_int_equal(F.m.method, SIPMSG_METHOD_REGISTER + i);
        assert_string_equal(sipmsg_method_name(F.m.method), names[i]);
        /* one byte off anywhere (the lookup compares overlapping words:
         * each byte must count), one byte short, one byte more: others */
        size_t n = strlen(names[i]);
        char near[16];
        for (size_t k = 0; k < n; k++) {
            memcpy(near, names[i], n);
            near[k] ^= 0x01;
            assert_int_equal(sipmsg_method_lookup((sipmsg_slice){near, n}),
                             SIPMSG_METHOD_OTHER);
        }
        assert_int_equal(sipmsg_method_lookup((sipmsg_slice){names[i], n - 1}),
                         SIPMSG_METHOD_OTHER);
        memcpy(near, names[i], n);
        near[n] = 'S';
        assert_int_equal(sipmsg_method_lookup((sipmsg_slice){near, n + 1}),
                         SIPMSG_METHOD_OTHER);
    }
    /* empty and UTF-8 reason phrases, missing SP before an empty reason */
    assert_int_equal(parse_text("SIP/2.0 180 \r\n\r\n", SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.status_code, 180);
    assert_int_equal(F.m.reason.len, 0);
    assert_int_equal(parse_text("SIP/2.0 699\r\n\r\n", SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.status_code, 699);
    assert_int_equal(parse_text("SIP/2.0 200 \xe6\x88\x90\xe5\x8a\x9f ok\r\n\r\n",
                                SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_slice(F.m.reason, "\xe6\x88\x90\xe5\x8a\x9f ok");
    /* another version is reported as such, not as garbage */
    assert_int_equal(parse_text("OPTIONS sip:x@y SIP/3.1\r\n\r\n", SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.version_major, 3);
    assert_int_equal(F.m.version_minor, 1);
    assert_int_equal(parse_text("sip/2.0 200 OK\r\n\r\n", SIPMSG_DATAGRAM), SIPMSG_DONE);
    assert_int_equal(F.m.status_code, 200);
}

static void tables(void **state)
{
    (void)state;
    for (int id = 1; id < SIPMSG_HDR_COUNT_; id++) {
        const char *name = sipmsg_hdr_name((sipmsg_hdr_id)id);
        assert_non_null(name);
        assert_int_equal(sipmsg_hdr_lookup(sipmsg_slice_of(name)), id);
        char up[64];
        size_t n = strlen(name);
        for (size_t i = 0; i < n; i++)
            up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
        assert_int_equal(sipmsg_hdr_lookup((sipmsg_slice){up, n}), id);
        const char *c = sipmsg_hdr_compact((sipmsg_hdr_id)id);
        if (c)
            assert_int_equal(sipmsg_hdr_lookup((sipmsg_slice){c, 1}), id);
        /* a longer name that merely starts like this one is not it */
        char longer[80];
        snprintf(longer, sizeof longer, "%s-X", name);
        assert_int_equal(sipmsg_hdr_lookup(sipmsg_slice_of(longer)), SIPMSG_HDR_OTHER);
        if (n > 2)
            assert_int_not_equal(sipmsg_hdr_lookup((sipmsg_slice){name, n - 1}), id);
    }
    assert_int_equal(sipmsg_hdr_lookup((sipmsg_slice){"l", 1}),
                     SIPMSG_HDR_CONTENT_LENGTH);
    assert_int_equal(sipmsg_hdr_lookup((sipmsg_slice){"L", 1}),
                     SIPMSG_HDR_CONTENT_LENGTH);
    assert_int_equal(sipmsg_hdr_lookup((sipmsg_slice){"q", 1}), SIPMSG_HDR_OTHER);
    assert_int_equal(sipmsg_hdr_lookup((sipmsg_slice){"1", 1}), SIPMSG_HDR_OTHER);
    assert_true(sipmsg_hdr_props(SIPMSG_HDR_VIA) & SIPMSG_HP_LIST);
    assert_true(sipmsg_hdr_props(SIPMSG_HDR_CSEQ) & SIPMSG_HP_SINGLE);

    /* every code of the seed's table, and RFC 3261 section 21 */
    assert_string_equal(sipmsg_reason_phrase(100), "Trying");
    assert_string_equal(sipmsg_reason_phrase(180), "Ringing");
    assert_string_equal(sipmsg_reason_phrase(181), "Call Is Being Forwarded");
    assert_string_equal(sipmsg_reason_phrase(200), "OK");
    assert_string_equal(sipmsg_reason_phrase(302), "Moved Temporarily");
    assert_string_equal(sipmsg_reason_phrase(400), "Bad Request");
    assert_string_equal(sipmsg_reason_phrase(401), "Unauthorized");
    assert_string_equal(sipmsg_reason_phrase(403), "Forbidden");
    assert_string_equal(sipmsg_reason_phrase(404), "Not Found");
    assert_string_equal(sipmsg_reason_phrase(408), "Request Timeout");
    assert_string_equal(sipmsg_reason_phrase(480), "Temporarily Unavailable");
    assert_string_equal(sipmsg_reason_phrase(483), "Too Many Hops");
    assert_string_equal(sipmsg_reason_phrase(486), "Busy Here");
    assert_string_equal(sipmsg_reason_phrase(504), "Server Time-out");
    assert_string_equal(sipmsg_reason_phrase(505), "Version Not Supported");
    assert_string_equal(sipmsg_reason_phrase(600), "Busy Everywhere");
    assert_string_equal(sipmsg_reason_phrase(606), "Not Acceptable");
    assert_string_equal(sipmsg_reason_phrase(499), "Client Error");
    assert_null(sipmsg_reason_phrase(700));
    assert_null(sipmsg_reason_phrase(99));
    assert_int_equal(sipmsg_status_class(183), 1);
    assert_int_equal(sipmsg_status_class(699), 6);
    assert_int_equal(sipmsg_status_class(700), 0);
    for (int c = 0; c < SIPMSG_E_COUNT_; c++)
        assert_string_not_equal(sipmsg_strerror((sipmsg_code)c), "unknown error");
    assert_string_equal(sipmsg_strerror(SIPMSG_E_COUNT_), "unknown error");
}

/* ---- errors: one bad input per code -------------------------------------- */

struct bad {
    const char *text;
    sipmsg_code code;
    long offset; /* -1: not checked */
};

static void error_codes(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        {"", SIPMSG_E_EMPTY, 0},
        {"\r\n\r\n", SIPMSG_E_EMPTY, 4},
        {" INVITE sip:x SIP/2.0\r\n\r\n", SIPMSG_E_START_LINE, 0},
        {"INV{TE sip:x SIP/2.0\r\n\r\n", SIPMSG_E_METHOD, 3},
        {"INVITE  SIP/2.0\r\n\r\n", SIPMSG_E_REQUEST_URI, 7},
        {"INVITE sip:a b SIP/2.0\r\n\r\n", SIPMSG_E_REQUEST_URI, 12},
        {"INVITE sip:x\x01 SIP/2.0\r\n\r\n", SIPMSG_E_CONTROL_BYTE, 12},
        {"MESSAGE bubba@caley SIP/2.0\r\n\r\n", SIPMSG_E_REQUEST_URI, 8},
        {"INVITE <sip:a@b> SIP/2.0\r\n\r\n", SIPMSG_E_REQUEST_URI, 7},
        {"INVITE sip: SIP/2.0\r\n\r\n", SIPMSG_E_REQUEST_URI, 7},
        {"INVITE sip:x SIP/2.0.0\r\n\r\n", SIPMSG_E_VERSION, 20},
        {"INVITE sip:x HTTP/1.1\r\n\r\n", SIPMSG_E_VERSION, 13},
        {"INVITE sip:x SIP/2\r\n\r\n", SIPMSG_E_VERSION, 18},
        {"INVITE sip:x SIP/.0\r\n\r\n", SIPMSG_E_VERSION, 17},
        {"INVITE sip:x SIP/a.0\r\n\r\n", SIPMSG_E_VERSION, 17},
        {"INVITE sip:x\r\n\r\n", SIPMSG_E_START_LINE, 12},
        {"SIP/2.0 2000 OK\r\n\r\n", SIPMSG_E_STATUS_CODE, 8},
        {"SIP/2.0 099 Low\r\n\r\n", SIPMSG_E_STATUS_CODE, 8},
        {"SIP/2.0 700 High\r\n\r\n", SIPMSG_E_STATUS_CODE, 8},
        {"SIP/2.0 2x0 OK\r\n\r\n", SIPMSG_E_STATUS_CODE, 8},
        {"SIP/2.0 20\r\n\r\n", SIPMSG_E_STATUS_CODE, 8},
        {"SIP/2.0\r\n\r\n", SIPMSG_E_START_LINE, 7},
        {"SIP/2.0 200 O\x01K\r\n\r\n", SIPMSG_E_CONTROL_BYTE, 13},
        {"OPTIONS sip:x SIP/2.0\r\nTo\x01: x\r\n\r\n", SIPMSG_E_CONTROL_BYTE, 25},
        {"OPTIONS sip:x SIP/2.0\r\n: x\r\n\r\n", SIPMSG_E_HEADER_NAME, 23},
        {"OPTIONS sip:x SIP/2.0\r\nTo x\r\n\r\n", SIPMSG_E_NO_COLON, 26},
        {"OPTIONS sip:x SIP/2.0\r\nSubject\r\n\r\n", SIPMSG_E_NO_COLON, 30},
        {"OPTIONS sip:x SIP/2.0\r\nTo: x\rFrom: y\r\n\r\n", SIPMSG_E_BARE_CR, 28},
        {"OPTIONS sip:x SIP/2.0\rTo: x\r\n\r\n", SIPMSG_E_BARE_CR, 21},
        {"OPTIONS sip:x SIP/2.0\r\nTo: x\nFrom: y\r\n\r\n", SIPMSG_E_BARE_LF, 28},
        {"OPTIONS sip:x SIP/2.0\nTo: x\r\n\r\n", SIPMSG_E_BARE_LF, 21},
        {"OPTIONS sip:x SIP/2.0\r\nTo: x\r\n\n", SIPMSG_E_BARE_LF, 30},
        {"OPTIONS sip:x SIP/2.0\r\n folded\r\n\r\n", SIPMSG_E_FOLD, 23},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n", SIPMSG_E_CONTENT_LENGTH, 39},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: +1\r\n\r\n", SIPMSG_E_CONTENT_LENGTH, 39},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: 0x10\r\n\r\n", SIPMSG_E_CONTENT_LENGTH, 40},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: 1 2\r\n\r\n", SIPMSG_E_CONTENT_LENGTH, 40},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length:\r\n\r\n", SIPMSG_E_CONTENT_LENGTH, -1},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: 4294967296\r\n\r\n", SIPMSG_E_CONTENT_LENGTH, -1},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab", SIPMSG_E_CL_CONFLICT, 45},
        {"OPTIONS sip:x SIP/2.0\r\nl: 2\r\nContent-Length: 1\r\n\r\nab", SIPMSG_E_CL_CONFLICT, 45},
        {"OPTIONS sip:x SIP/2.0\r\nContent-Length: 10\r\n\r\nabc", SIPMSG_E_BODY_TRUNCATED, 48},
        {"OPTIONS sip:x SIP/2.0\r\nTo: x\r\n", SIPMSG_E_TRUNCATED, 30},
        {"OPTIONS sip:x SIP/2.0\r\nTo: x", SIPMSG_E_TRUNCATED, 28},
        {"OPTIONS sip:x SIP/2.0", SIPMSG_E_TRUNCATED, 21},
        {"OPTIONS sip:x SIP/2.0\r", SIPMSG_E_TRUNCATED, 22},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].text);
        char *buf = tu_exact(cases[i].text, len);
        sipmsg_header hdrs[8];
        sipmsg_msg m;
        sipmsg_error err;
        sipmsg_msg_init(&m, hdrs, 8);
        sipmsg_result st = sipmsg_parse(&m, buf, len, NULL, &err);
        if (st != SIPMSG_INVALID || err.code != cases[i].code ||
            (cases[i].offset >= 0 && err.offset != (size_t)cases[i].offset))
            fail_msg("case %zu: status %d code %d (%s) offset %zu; want code %d offset %ld",
                     i, st, err.code, err.msg, err.offset, cases[i].code, cases[i].offset);
        assert_non_null(err.msg);
        free(buf);
    }
}

static void nul_in_header_name(void **state)
{
    (void)state;
    static const char text[] = "OPTIONS sip:x SIP/2.0\r\nT\0o: x\r\n\r\n";
    char *buf = tu_exact(text, sizeof text - 1);
    sipmsg_header hdrs[8];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 8);
    assert_int_equal(sipmsg_parse(&m, buf, sizeof text - 1, NULL, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_CONTROL_BYTE);
    assert_int_equal(err.offset, 24);
    free(buf);
}

static void content_length_1000_digits(void **state)
{
    (void)state;
    char text[1200];
    int n = snprintf(text, sizeof text, "OPTIONS sip:x SIP/2.0\r\nContent-Length: ");
    memset(text + n, '9', 1000);
    strcpy(text + n + 1000, "\r\n\r\n");
    sipmsg_error err;
    assert_int_equal(tu_parse(text, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_CONTENT_LENGTH);
    assert_int_equal(err.header, 0);
    /* leading zeros are fine */
    memset(text + n, '0', 1000);
    assert_int_equal(tu_parse(text, &err), SIPMSG_DONE);
    /* the same value twice is no conflict */
    assert_int_equal(tu_parse("OPTIONS sip:x SIP/2.0\r\nl: 2\r\nContent-Length: 02\r\n\r\nab", &err),
                     SIPMSG_DONE);
}

/* ---- limits -------------------------------------------------------------- */

static void limits(void **state)
{
    (void)state;
    /* more headers than the table holds */
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "OPTIONS sip:x SIP/2.0\r\n");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "X-H%d: %d\r\n", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "\r\n");
    sipmsg_header hdrs[20];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 10);
    assert_int_equal(sipmsg_parse(&m, text, n, NULL, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_TOO_MANY_HEADERS);
    assert_int_equal(err.header, 10);
    sipmsg_msg_init(&m, hdrs, 20);
    assert_int_equal(sipmsg_parse(&m, text, n, NULL, &err), SIPMSG_DONE);
    assert_int_equal(m.count, 20);
    /* max_headers below the capacity */
    sipmsg_opts o = {SIPMSG_DATAGRAM, 0, 0, 5, 0};
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_TOO_MANY_HEADERS);
    /* line length */
    o.max_headers = 0;
    o.max_line = 8;
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_LINE_TOO_LONG);
    assert_int_equal(err.offset, 0);
    o.max_line = 21; /* exactly the start line */
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_DONE);
    /* message size */
    o.max_line = 0;
    o.max_size = n - 1;
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_TOO_LARGE);
    o.mode = SIPMSG_STREAM;
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_TOO_LARGE);
    /* a huge declared Content-Length on a stream: refused at once */
    const char *huge = "OPTIONS sip:x SIP/2.0\r\nContent-Length: 2000000000\r\n\r\nab";
    o.max_size = 0;
    assert_int_equal(sipmsg_parse(&m, huge, strlen(huge), &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_TOO_LARGE);
}

static void one_mb_header_line(void **state)
{
    (void)state;
    size_t n = 1024 * 1024 + 100;
    char *text = malloc(n);
    assert_non_null(text);
    size_t k = (size_t)snprintf(text, n, "OPTIONS sip:x SIP/2.0\r\nX-Big: ");
    memset(text + k, 'a', n - k - 6);
    memcpy(text + n - 6, "\r\n\r\n\r\n", 6);
    sipmsg_header hdrs[4];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 4);
    assert_int_equal(sipmsg_parse(&m, text, n, NULL, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_TOO_LARGE);
    sipmsg_opts o = {SIPMSG_DATAGRAM, 2 * n, 0, 0, 0};
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_LINE_TOO_LONG);
    o.max_line = n;
    assert_int_equal(sipmsg_parse(&m, text, n, &o, &err), SIPMSG_DONE);
    assert_int_equal(m.headers[0].value.len, n - k - 6);
    free(text);
}

/* ---- framing ------------------------------------------------------------- */

static void datagram_framing(void **state)
{
    (void)state;
    /* no Content-Length: the body runs to the end */
    assert_int_equal(parse_text("MESSAGE sip:x SIP/2.0\r\n\r\nhello\0world", SIPMSG_DATAGRAM),
                     SIPMSG_DONE);
    assert_int_equal(F.m.content_length, -1);
    assert_slice(F.m.body, "hello");
    /* trailing bytes after the declared body are counted, not taken */
    assert_int_equal(parse_text("MESSAGE sip:x SIP/2.0\r\nl: 2\r\n\r\nhello", SIPMSG_DATAGRAM),
                     SIPMSG_DONE);
    assert_slice(F.m.body, "he");
    assert_int_equal(F.m.trailing, 3);
    assert_int_equal(F.m.len, F.len - 3);
    /* leading CRLFs are skipped */
    assert_int_equal(parse_text("\r\n\r\nOPTIONS sip:x SIP/2.0\r\n\r\n", SIPMSG_DATAGRAM),
                     SIPMSG_DONE);
    assert_int_equal(F.m.skipped, 4);
    assert_ptr_equal(F.m.buf, F.buf + 4);
    /* error offsets count from the caller's buffer, skipped bytes included */
    assert_int_equal(parse_text("\r\nOPTIONS sip:x SIP/2.0\r\nTo x\r\n\r\n", SIPMSG_DATAGRAM),
                     SIPMSG_INVALID);
    assert_int_equal(F.err.offset, 28);
    /* a body holding NUL bytes */
    static const char bin[] = "MESSAGE sip:x SIP/2.0\r\nl: 3\r\n\r\n\0\1\0";
    free(F.buf);
    F.len = sizeof bin - 1;
    F.buf = tu_exact(bin, F.len);
    sipmsg_msg_init(&F.m, F.hdrs, CAP);
    assert_int_equal(sipmsg_parse(&F.m, F.buf, F.len, NULL, &F.err), SIPMSG_DONE);
    assert_int_equal(F.m.body.len, 3);
    assert_memory_equal(F.m.body.ptr, "\0\1\0", 3);
}

/* The message cut at every byte offset: incomplete until whole, then the
 * same result as the whole buffer. */
static void stream_every_cut_of(const char *buf, size_t len)
{
    sipmsg_header hw[CAP], hc[CAP];
    sipmsg_msg whole, cut;
    sipmsg_error err;
    sipmsg_opts o = {SIPMSG_STREAM, 0, 0, 0, 0};
    sipmsg_msg_init(&whole, hw, CAP);
    assert_int_equal(sipmsg_parse(&whole, buf, len, &o, &err), SIPMSG_DONE);
    assert_int_equal(whole.skipped + whole.len, len);
    for (size_t k = 0; k < len; k++) {
        char *part = tu_exact(buf, k);
        sipmsg_msg_init(&cut, hc, CAP);
        sipmsg_result st = sipmsg_parse(&cut, part, k, &o, &err);
        if (st != SIPMSG_INCOMPLETE)
            fail_msg("cut at %zu of %zu: status %d (%s)", k, len, st, err.msg);
        if (k >= whole.skipped + whole.header_len)
            assert_int_equal(cut.need, whole.skipped + whole.len - k);
        else
            assert_int_equal(cut.need, 0);
        free(part);
    }
    char *all = tu_exact(buf, len);
    sipmsg_msg_init(&cut, hc, CAP);
    assert_int_equal(sipmsg_parse(&cut, all, len, &o, &err), SIPMSG_DONE);
    assert_int_equal(cut.count, whole.count);
    assert_int_equal(cut.len, whole.len);
    for (size_t i = 0; i < cut.count; i++) {
        assert_int_equal(cut.headers[i].id, whole.headers[i].id);
        assert_int_equal(cut.headers[i].value.len, whole.headers[i].value.len);
        assert_int_equal(cut.headers[i].value.ptr - all, whole.headers[i].value.ptr - buf);
    }
    free(all);
}

static void stream_every_cut(void **state)
{
    (void)state;
    static const char *const files[] = {
        "examples/messages/01-message.sip", "examples/messages/02-message-proxied.sip",
        "examples/messages/03-message-200.sip", "examples/messages/08-register-401.sip",
        "examples/messages/09-register-auth.sip"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *buf = tu_read(files[i], &len);
        stream_every_cut_of(buf, len);
        free(buf);
    }
    const char *ka = "\r\n\r\nOPTIONS sip:x SIP/2.0\r\nSubject: a\r\n b\r\nl: 1\r\n\r\nZ";
    stream_every_cut_of(ka, strlen(ka));
}

static void stream_back_to_back(void **state)
{
    (void)state;
    size_t l1, l2;
    char *a = tu_read("examples/messages/01-message.sip", &l1);
    char *b = tu_read("examples/messages/09-register-auth.sip", &l2);
    size_t n = 2 + l1 + 4 + l2 + 2;
    char *s = malloc(n);
    memcpy(s, "\r\n", 2);
    memcpy(s + 2, a, l1);
    memcpy(s + 2 + l1, "\r\n\r\n", 4);
    memcpy(s + 6 + l1, b, l2);
    memcpy(s + 6 + l1 + l2, "\r\n", 2);
    sipmsg_header hdrs[CAP];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_opts o = {SIPMSG_STREAM, 0, 0, 0, 0};
    sipmsg_msg_init(&m, hdrs, CAP);
    size_t off = 0;
    assert_int_equal(sipmsg_parse(&m, s, n, &o, &err), SIPMSG_DONE);
    assert_int_equal(m.skipped, 2);
    assert_int_equal(m.len, l1);
    assert_int_equal(m.method, SIPMSG_METHOD_MESSAGE);
    off += m.skipped + m.len;
    assert_int_equal(sipmsg_parse(&m, s + off, n - off, &o, &err), SIPMSG_DONE);
    assert_int_equal(m.skipped, 4);
    assert_int_equal(m.method, SIPMSG_METHOD_REGISTER);
    assert_slice(sipmsg_find(&m, SIPMSG_HDR_CSEQ)->value, "2 REGISTER");
    off += m.skipped + m.len;
    /* only a keep-alive pong is left: idle, told apart from a cut message */
    assert_int_equal(sipmsg_parse(&m, s + off, n - off, &o, &err), SIPMSG_INCOMPLETE);
    assert_int_equal(m.skipped, 2);
    assert_int_equal(m.idle, 1);
    assert_int_equal(sipmsg_parse(&m, "\r\n\r\n", 4, &o, &err), SIPMSG_INCOMPLETE);
    assert_int_equal(m.skipped, 4); /* a ping */
    assert_int_equal(m.idle, 1);
    assert_int_equal(sipmsg_parse(&m, "\r\n\r", 3, &o, &err), SIPMSG_INCOMPLETE);
    assert_int_equal(m.idle, 0); /* half a CRLF: wait for more */
    assert_int_equal(sipmsg_parse(&m, s + 2, l1 - 5, &o, &err), SIPMSG_INCOMPLETE);
    assert_int_equal(m.idle, 0); /* a message cut short */
    assert_int_equal(m.skipped, 0);
    /* a stream message needs Content-Length */
    const char *nocl = "OPTIONS sip:x SIP/2.0\r\nTo: x\r\n\r\n";
    assert_int_equal(sipmsg_parse(&m, nocl, strlen(nocl), &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_NO_CONTENT_LENGTH);
    /* conflicting lengths are refused on a stream too */
    const char *conf = "OPTIONS sip:x SIP/2.0\r\nl: 0\r\nContent-Length: 5\r\n\r\nhello";
    assert_int_equal(sipmsg_parse(&m, conf, strlen(conf), &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_CL_CONFLICT);
    free(a);
    free(b);
    free(s);
}

/* Every SIMD scan of scan.h agrees with its scalar
 * form everywhere. */
static void simd_scans_agree(void **state)
{
    (void)state;
    char buf[300];
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 300);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 64;
            buf[i] = r == 0 ? '\r' : r == 1 ? '\n' : (char)(seed >> 8);
            if (round & 1 && r > 2 && (unsigned char)buf[i] <= 0x20)
                buf[i] = 'a'; /* long runs without a URI stop byte too */
            if (buf[i] == '\r' || buf[i] == '\n')
                buf[i] = r < 2 ? buf[i] : 'x';
            if (round % 4 == 3) { /* runs for the class scans: mostly letters,
                                   * digits, '-' and '.', some other members */
                static const char runs[] = "aZ09-.kQ7x3-.Mm!~*_%+`'@:[]\"/";
                buf[i] = runs[(seed >> 8) % (r < 40 ? 14 : sizeof runs - 1)];
            }
        }
        for (size_t start = 0; start < n; start += 1 + n / 7) {
            for (int id = 0; id < SIPMSG_SCAN_COUNT_; id++)
                assert_ptr_equal(sipmsg_scan_(id, buf + start, buf + n, 0),
                                 sipmsg_scan_(id, buf + start, buf + n, 1));
        }
    }
}

/* RFC 3261 keeps raw control bytes out of the start line and the header
 * fields (token, qdtext, ctext and TEXT-UTF8char exclude 0x00-0x1F and
 * 0x7F; HTAB is whitespace): the plain parse refuses one anywhere there,
 * at its own offset. Only a quoted-pair may carry one, inside a quoted
 * string; the body may hold any byte. */
static void control_bytes_everywhere(void **state)
{
    (void)state;
    static const char *const places[] = {
        "From: \"Al@ce\" <sip:a@b>;tag=1",              /* quoted display name */
        "Via: SIP/2.0/UDP h;branch=z9hG4bK1;x=\"a@\"",   /* quoted param, top Via */
        "Contact: <sip:ab>;p@q=1",                      /* parameter name */
        "User-Agent: softphone @1.0",
        "Accept: text/plain, application/@sdp",
        "Authorization: Digest username=\"a@\", realm=\"r\"",
        "WWW-Authenticate: Digest realm=\"r@\", nonce=\"n\"",
        "Date: Sat, 13 Nov 2010 23:29:00 G@MT",
        "Subject: (comment @) text",
    };
    static const unsigned char bytes[] = {0x00, 0x01, 0x1f, 0x7f};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        for (size_t b = 0; b < sizeof bytes; b++) {
            char text[512];
            int head = snprintf(text, sizeof text,
                                "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK0\r\n");
            int n = head + snprintf(text + head, sizeof text - (size_t)head,
                                    "%s\r\nl: 0\r\n\r\n", places[i]);
            char *at = strchr(text + head, '@'); /* the byte to replace */
            assert_non_null(at);
            *at = (char)bytes[b];
            char *buf = tu_exact(text, (size_t)n);
            sipmsg_header hdrs[16];
            sipmsg_msg m;
            sipmsg_error err;
            sipmsg_msg_init(&m, hdrs, 16);
            if (sipmsg_parse(&m, buf, (size_t)n, NULL, &err) != SIPMSG_INVALID ||
                err.code != SIPMSG_E_CONTROL_BYTE || err.offset != (size_t)(at - text))
                fail_msg("place %zu byte 0x%02x: code %d offset %zu, want %d at %td", i,
                         bytes[b], err.code, err.offset, SIPMSG_E_CONTROL_BYTE, at - text);
            free(buf);
        }
    }
    /* an escaped NUL (quoted-pair) stays valid; the decoded display name
     * keeps it as written; a body may hold NUL, CR and LF */
    static const char ok[] = "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK0\r\n"
                             "From: \"a\\\0b\" <sip:a@b>;tag=1\r\nContent-Length: 3\r\n\r\n\0\r\n";
    char *buf = tu_exact(ok, sizeof ok - 1);
    sipmsg_header hdrs[16];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 16);
    assert_int_equal(sipmsg_parse(&m, buf, sizeof ok - 1, NULL, &err), SIPMSG_DONE);
    assert_slice(m.from_tag, "1");
    assert_int_equal(m.body.len, 3);
    free(buf);
    /* an escaped NUL outside a quoted string is not a quoted-pair */
    static const char bad[] = "OPTIONS sip:x@y SIP/2.0\r\nX-A: a\\\0b\r\n\r\n";
    buf = tu_exact(bad, sizeof bad - 1);
    assert_int_equal(sipmsg_parse(&m, buf, sizeof bad - 1, NULL, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_CONTROL_BYTE);
    assert_int_equal(err.offset, 32); /* the NUL itself */
    free(buf);
    /* many escaped NULs in one line: accepted, and in linear time (the
     * quote state is carried along the line, not rescanned) */
    size_t len = 200000;
    char *big = malloc(len);
    assert_non_null(big);
    const char *pre = "OPTIONS sip:x@y SIP/2.0\r\nX-A: \"";
    size_t k = strlen(pre);
    memcpy(big, pre, k);
    while (k + 2 < len - 6) {
        big[k++] = '\\';
        big[k++] = '\0';
    }
    memcpy(big + k, "\"\r\n\r\n", 5);
    k += 5;
    sipmsg_opts o = {SIPMSG_DATAGRAM, 0, 0, 0, 0};
    o.max_line = len;
    o.max_size = len;
    assert_int_equal(sipmsg_parse(&m, big, k, &o, &err), SIPMSG_DONE);
    free(big);
}

/* A quoted string may run over a fold: the quote state that decides
 * whether "\" escapes a control byte carries from one line of a header to
 * the next (it used to restart on each line, so a quote closed after a
 * fold was read as opening, and the canonical write, which unfolds,
 * refused what the parse took: found by fuzz_write, reproducer in
 * tests/regressions/write). */
static void control_bytes_over_folds(void **state)
{
    (void)state;
    static const struct {
        const char *hdr;
        size_t len;
        sipmsg_code want;
        size_t at; /* offset of the refused byte in the header line */
    } cases[] = {
        /* open on the first line, escaped on the next: inside, valid */
        {"X: \"abc\r\n\t\\\x01" "def\"", 16, SIPMSG_OK, 0},
        /* closed after the fold, then "\" DEL: outside, refused */
        {"X: \"abc\r\n\tq\" \\\x7f", 15, SIPMSG_E_CONTROL_BYTE, 14},
        /* the fuzz case's shape: "\" right before the fold, a quote after it */
        {"X: \"a\\\r\n\tb\"\\\x7f", 13, SIPMSG_E_CONTROL_BYTE, 12},
        /* a quote opened only on the continuation line: inside, valid */
        {"X: a\r\n \"b\\\x00\"", 12, SIPMSG_OK, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static const char pre[] = "OPTIONS sip:x@y SIP/2.0\r\n";
        char text[256];
        size_t n = sizeof pre - 1;
        memcpy(text, pre, n);
        memcpy(text + n, cases[i].hdr, cases[i].len);
        memcpy(text + n + cases[i].len, "\r\n\r\n", 4);
        char *buf = tu_exact(text, n + cases[i].len + 4);
        sipmsg_header hdrs[8];
        sipmsg_msg m;
        sipmsg_error err;
        sipmsg_msg_init(&m, hdrs, 8);
        sipmsg_result r = sipmsg_parse(&m, buf, n + cases[i].len + 4, NULL, &err);
        if (cases[i].want == SIPMSG_OK) {
            if (r != SIPMSG_DONE)
                fail_msg("case %zu: %s at %zu", i, err.msg, err.offset);
            /* and the canonical write, unfolded, parses too */
            size_t cn;
            char *c = sipmsg_write_dup(&m, SIPMSG_WRITE_CANONICAL, &cn);
            char *cb = tu_exact(c, cn);
            sipmsg_msg_init(&m, hdrs, 8);
            assert_int_equal(sipmsg_parse(&m, cb, cn, NULL, &err), SIPMSG_DONE);
            free(cb);
            free(c);
        } else {
            assert_int_equal(r, SIPMSG_INVALID);
            assert_int_equal(err.code, cases[i].want);
            assert_int_equal(err.offset, n + cases[i].at);
        }
        free(buf);
    }
    /* many continuation lines, each with an escaped control byte, in one
     * quoted string: accepted, in linear time (the state is carried, not
     * rescanned from the header's start) */
    size_t len = 300000, k;
    char *big = malloc(len);
    assert_non_null(big);
    static const char pre[] = "OPTIONS sip:x@y SIP/2.0\r\nX-A: \"";
    memcpy(big, pre, k = sizeof pre - 1);
    while (k + 6 < len - 6) {
        memcpy(big + k, "\\\x01\r\n\t", 5);
        k += 5;
    }
    memcpy(big + k, "\"\r\n\r\n", 5);
    k += 5;
    sipmsg_header hdrs[8];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_opts o = {.max_size = len, .max_line = len};
    sipmsg_msg_init(&m, hdrs, 8);
    assert_int_equal(sipmsg_parse(&m, big, k, &o, &err), SIPMSG_DONE);
    free(big);
}

/* A NUL at every position of a valid message: never a crash. */
static void nul_everywhere(void **state)
{
    (void)state;
    size_t len;
    char *buf = tu_read("examples/messages/09-register-auth.sip", &len);
    sipmsg_header hdrs[CAP];
    sipmsg_msg m;
    sipmsg_error err;
    for (size_t i = 0; i < len; i++) {
        char *c = tu_exact(buf, len);
        c[i] = '\0';
        sipmsg_msg_init(&m, hdrs, CAP);
        sipmsg_result st = sipmsg_parse(&m, c, len, NULL, &err);
        assert_true(st == SIPMSG_DONE || st == SIPMSG_INVALID);
        if (st == SIPMSG_INVALID)
            assert_true(err.offset <= len);
        free(c);
    }
    free(buf);
}

/* Framing only: the decoded headers are neither read nor checked. */
static void frame_only(void **state)
{
    (void)state;
    const char *text = "OPTIONS sip:x SIP/2.0\r\nCSeq: 99999999999 OPTIONS\r\nVia: junk\r\nl: 0\r\n\r\n";
    sipmsg_header hdrs[8];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_opts o = {SIPMSG_STREAM, 0, 0, 0, SIPMSG_PARSE_FRAME_ONLY};
    sipmsg_msg_init(&m, hdrs, 8);
    assert_int_equal(sipmsg_parse(&m, text, strlen(text), &o, &err), SIPMSG_DONE);
    assert_int_equal(m.count, 3);
    assert_int_equal(m.cseq, 0);
    assert_null(m.via.host.ptr);
    o.flags = 0;
    assert_int_equal(sipmsg_parse(&m, text, strlen(text), &o, &err), SIPMSG_INVALID);
    assert_int_equal(err.code, SIPMSG_E_VIA);
}

/* The parse decodes the From/To tags and checks each value's structure
 * (display name, brackets, parameters) and its URI's shape (scheme ':' and
 * no whitespace or CTL); the URI grammar is left to sipmsg_validate() and
 * sipmsg_nameaddr_parse(). */
static void from_to_checked_for_shape(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        sipmsg_code parse, validate;
        const char *tag;
    } cases[] = {
        {"<sip:a@exa[mple.com>;tag=1", SIPMSG_OK, SIPMSG_E_NAME_ADDR, "1"},
        {"sip:a@b:99999;tag=2", SIPMSG_OK, SIPMSG_E_NAME_ADDR, "2"},
        {"\"A\" <urn:x:y>;tag=3", SIPMSG_OK, SIPMSG_OK, "3"},
        {"A B <sip:a@b> ; tag = 4", SIPMSG_OK, SIPMSG_OK, "4"},
        {"<sip:a@b;tag=no>", SIPMSG_OK, SIPMSG_OK, NULL},
        {"< sip:a@b>;tag=1", SIPMSG_E_URI, 0, NULL},
        {"<sip:a b>;tag=1", SIPMSG_E_URI, 0, NULL},
        {"<a@b>;tag=1", SIPMSG_E_URI, 0, NULL},
        {"<sip:>;tag=1", SIPMSG_E_URI, 0, NULL},
        {"A, B <sip:a@b>;tag=1", SIPMSG_E_URI, 0, NULL},
        {"\"A <sip:a@b>;tag=1", SIPMSG_E_QUOTE, 0, NULL},
        {"<sip:a@b;tag=1", SIPMSG_E_NAME_ADDR, 0, NULL},
        {"<sip:a@b> x;tag=1", SIPMSG_E_NAME_ADDR, 0, NULL},
        {"<sip:a@b>;tag=\"1", SIPMSG_E_QUOTE, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "OPTIONS sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                 "Max-Forwards: 70\r\nFrom: %s\r\nTo: <sip:b@c>\r\nCall-ID: x\r\n"
                 "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", cases[i].from);
        sipmsg_result st = parse_text(text, SIPMSG_DATAGRAM);
        sipmsg_code pc = st == SIPMSG_DONE ? SIPMSG_OK : F.err.code;
        if (pc != cases[i].parse)
            fail_msg("case %zu (%s): parse gives %s, want %s", i, cases[i].from,
                     sipmsg_strerror(pc), sipmsg_strerror(cases[i].parse));
        if (pc)
            continue;
        assert_true(tu_eq(F.m.from_tag, cases[i].tag));
        assert_true(tu_eq(sipmsg_from_tag(&F.m), cases[i].tag));
        sipmsg_code vc = sipmsg_validate(&F.m, &F.err);
        if (vc != cases[i].validate)
            fail_msg("case %zu (%s): validate gives %s, want %s", i, cases[i].from,
                     sipmsg_strerror(vc), sipmsg_strerror(cases[i].validate));
    }
}

static void linecol(void **state)
{
    (void)state;
    const char *t = "ab\ncd\r\nef";
    unsigned long l, c;
    sipmsg_linecol(t, 9, 0, &l, &c);
    assert_int_equal(l, 1);
    assert_int_equal(c, 1);
    sipmsg_linecol(t, 9, 4, &l, &c);
    assert_int_equal(l, 2);
    assert_int_equal(c, 2);
    sipmsg_linecol(t, 9, 8, &l, &c);
    assert_int_equal(l, 3);
    assert_int_equal(c, 2);
    sipmsg_linecol(t, 9, 100, &l, &c);
    assert_int_equal(l, 3);
    assert_int_equal(c, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(seed_message, teardown),
        cmocka_unit_test_teardown(seed_proxied_message, teardown),
        cmocka_unit_test_teardown(seed_200_ok, teardown),
        cmocka_unit_test_teardown(seed_200_forwarded, teardown),
        cmocka_unit_test_teardown(seed_register_flow, teardown),
        cmocka_unit_test_teardown(seed_all_parse, teardown),
        cmocka_unit_test_teardown(seed_wrapped_received_rejected, teardown),
        cmocka_unit_test_teardown(compact_and_case, teardown),
        cmocka_unit_test_teardown(whitespace_and_folding, teardown),
        cmocka_unit_test_teardown(extension_method_and_status, teardown),
        cmocka_unit_test(tables),
        cmocka_unit_test(error_codes),
        cmocka_unit_test(nul_in_header_name),
        cmocka_unit_test(content_length_1000_digits),
        cmocka_unit_test(limits),
        cmocka_unit_test(one_mb_header_line),
        cmocka_unit_test_teardown(datagram_framing, teardown),
        cmocka_unit_test(stream_every_cut),
        cmocka_unit_test(stream_back_to_back),
        cmocka_unit_test(simd_scans_agree),
        cmocka_unit_test(control_bytes_everywhere),
        cmocka_unit_test(control_bytes_over_folds),
        cmocka_unit_test(nul_everywhere),
        cmocka_unit_test(frame_only),
        cmocka_unit_test(linecol),
        cmocka_unit_test_teardown(from_to_checked_for_shape, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
