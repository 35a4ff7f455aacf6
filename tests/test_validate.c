/* Validation findings (sipmsg/validate.h): severities, implied statuses,
 * offsets and headers, the array and callback forms, and the options.
 * Expected values come from RFC 3261 (the section is named per case). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 64

static sipmsg_header H[CAP];
static sipmsg_msg M;
static char *BUF;

static void load(const char *text)
{
    sipmsg_error err;
    free(BUF);
    BUF = tu_exact(text, strlen(text));
    sipmsg_msg_init(&M, H, CAP);
    if (sipmsg_parse(&M, BUF, strlen(text), NULL, &err) != SIPMSG_DONE)
        fail_msg("does not parse: %s at %zu\n%s", err.msg, err.offset, text);
}

static int teardown(void **state)
{
    (void)state;
    free(BUF);
    BUF = NULL;
    return 0;
}

/* A valid request with `extra` headers before Content-Length and the start
 * line `start`. */
static void request(const char *start, const char *cseq_method, const char *extra)
{
    static char text[2048];
    snprintf(text, sizeof text,
             "%s\r\n"
             "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
             "Max-Forwards: 70\r\n"
             "To: Bob <sip:bob@biloxi.com>\r\n"
             "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
             "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
             "CSeq: 314159 %s\r\n"
             "%s"
             "Content-Length: 0\r\n\r\n",
             start, cseq_method, extra);
    load(text);
}

/* Exactly one finding, of this code, severity and status; its offset
 * points at `at` (a substring of the message, NULL: offset 0). */
static void one(sipmsg_code code, sipmsg_severity sev, int status, const char *at)
{
    sipmsg_finding f[4];
    size_t n = sipmsg_validate_all(&M, NULL, f, 4);
    if (n != 1)
        fail_msg("%zu findings, want 1 (first: %s)\n%.*s", n, n ? f[0].msg : "",
                 (int)M.len, M.buf);
    assert_int_equal(f[0].code, code);
    assert_int_equal(f[0].severity, sev);
    assert_int_equal(f[0].status, status);
    assert_non_null(f[0].msg);
    if (at) {
        const char *p = strstr(M.buf, at);
        assert_non_null(p);
        assert_int_equal(f[0].offset, (size_t)(p - M.buf));
    } else {
        assert_int_equal(f[0].offset, 0);
    }
}

/* ---- warnings: accepted, noted; sipmsg_validate passes -------------------- */

/* RFC 3261 8.1.1.6 / 16.6 step 3: a request without Max-Forwards. */
static void warn_max_forwards(void **state)
{
    (void)state;
    load("MESSAGE sip:user2@domain.com SIP/2.0\r\n"
         "Via: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse\r\n"
         "From: sip:user1@domain.com;tag=49583\r\n"
         "To: sip:user2@domain.com\r\n"
         "Call-ID: asd88asd77a@1.2.3.4\r\n"
         "CSeq: 1 MESSAGE\r\n"
         "Content-Length: 0\r\n\r\n");
    one(SIPMSG_E_MISSING_HEADER, SIPMSG_SEVERITY_WARNING, 0, NULL);
    assert_int_equal(sipmsg_validate(&M, NULL), SIPMSG_OK);
    sipmsg_finding f;
    sipmsg_validate_all(&M, NULL, &f, 1);
    assert_int_equal(f.header, -1);
    assert_non_null(strstr(f.msg, "Max-Forwards"));
}

/* RFC 3261 10.2.1.1: a malformed Expires in a REGISTER is taken as 3600. */
static void warn_expires_date_register(void **state)
{
    (void)state;
    request("REGISTER sip:registrar.biloxi.com SIP/2.0", "REGISTER",
            "Expires: Thu, 01 Dec 1994 16:00:00 GMT\r\n");
    one(SIPMSG_E_EXPIRES, SIPMSG_SEVERITY_WARNING, 0, "Thu, 01");
    assert_int_equal(sipmsg_validate(&M, NULL), SIPMSG_OK);
    sipmsg_finding f;
    sipmsg_validate_all(&M, NULL, &f, 1);
    assert_int_equal(M.headers[f.header].id, SIPMSG_HDR_EXPIRES);
    /* the Contact expires parameter too */
    request("REGISTER sip:registrar.biloxi.com SIP/2.0", "REGISTER",
            "Contact: <sip:bob@192.0.2.4>;expires=\"Thu, 01 Dec 1994 16:00:00 GMT\"\r\n");
    one(SIPMSG_E_CONTACT, SIPMSG_SEVERITY_WARNING, 0, "\"Thu, 01");
    /* in any other request it stays an error (400) */
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE",
            "Expires: Thu, 01 Dec 1994 16:00:00 GMT\r\n");
    one(SIPMSG_E_EXPIRES, SIPMSG_SEVERITY_ERROR, 400, "Thu, 01");
    sipmsg_error err;
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_E_EXPIRES);
}

/* RFC 3261 25.1: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. */
static void warn_status_line_no_sp(void **state)
{
    (void)state;
    static const char tail[] =
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
        "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
        "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
        "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
        "CSeq: 314159 INVITE\r\n"
        "Content-Length: 0\r\n\r\n";
    char text[1024];
    snprintf(text, sizeof text, "SIP/2.0 200\r\n%s", tail);
    load(text);
    one(SIPMSG_E_START_LINE, SIPMSG_SEVERITY_WARNING, 0, "\r\nVia");
    assert_int_equal(sipmsg_validate(&M, NULL), SIPMSG_OK);
    /* with the SP and an empty reason (RFC 4475 noreason): no finding */
    snprintf(text, sizeof text, "SIP/2.0 200 \r\n%s", tail);
    load(text);
    assert_int_equal(sipmsg_validate_all(&M, NULL, NULL, 0), 0);
}

/* The seed's ";;": an empty parameter is a warning, at the ';' that opens
 * the empty parameter (the first of the two). */
static void warn_empty_params(void **state)
{
    (void)state;
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE",
            "Contact: <sip:alice@pc33.atlanta.com>;;expires=60\r\n");
    one(SIPMSG_E_EMPTY_ELEMENT, SIPMSG_SEVERITY_WARNING, 0, ";;expires");
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE",
            "Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKx;;received=1.2.3.4\r\n");
    one(SIPMSG_E_EMPTY_ELEMENT, SIPMSG_SEVERITY_WARNING, 0, ";;received");
    assert_int_equal(sipmsg_validate(&M, NULL), SIPMSG_OK);
    /* an empty list element stays an error */
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE", "Supported: 100rel,,timer\r\n");
    one(SIPMSG_E_EMPTY_ELEMENT, SIPMSG_SEVERITY_ERROR, 400, ",timer");
}

/* ---- errors: the status a UAS or proxy answers with ------------------------- */

static void error_statuses(void **state)
{
    (void)state;
    /* 505: SIP/7.0 (RFC 3261 21.5.7) */
    request("OPTIONS sip:bob@biloxi.com SIP/7.0", "OPTIONS", "");
    one(SIPMSG_E_VERSION_UNSUPPORTED, SIPMSG_SEVERITY_ERROR, 505, "SIP/7.0");
    /* 400: CSeq method mismatch (8.1.1.5) */
    request("INVITE sip:bob@biloxi.com SIP/2.0", "OPTIONS", "");
    one(SIPMSG_E_CSEQ_METHOD, SIPMSG_SEVERITY_ERROR, 400, "OPTIONS\r\n");
    /* 400: a repeated single-instance header, named in the message */
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE", "i: other@x\r\n");
    one(SIPMSG_E_DUPLICATE_HEADER, SIPMSG_SEVERITY_ERROR, 400, "i: other");
    sipmsg_finding f;
    sipmsg_validate_all(&M, NULL, &f, 1);
    assert_string_equal(f.msg, "single-instance header repeated: Call-ID");
    assert_int_equal(M.headers[f.header].id, SIPMSG_HDR_CALL_ID);
    /* 400: headers in the Request-URI (RFC 3261 19.1.5; the parse itself
     * refuses a Request-URI in <> or without a scheme) */
    request("INVITE sip:bob@biloxi.com?Route=%3Csip:example.com%3E SIP/2.0", "INVITE", "");
    one(SIPMSG_E_REQUEST_URI, SIPMSG_SEVERITY_ERROR, 400, "?Route");
    /* 505 too for a version number past 65535: well-formed, unsupported */
    request("OPTIONS sip:bob@biloxi.com SIP/65536.0", "OPTIONS", "");
    one(SIPMSG_E_VERSION_UNSUPPORTED, SIPMSG_SEVERITY_ERROR, 505, "SIP/65536.0");
}

/* A response is never answered: status 0 for its errors too. */
static void response_status_zero(void **state)
{
    (void)state;
    load("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nTo: <sip:a@b>\r\n"
         "From: <sip:c@d>;tag=1\r\nCSeq: 1 INVITE\r\n\r\n");
    one(SIPMSG_E_MISSING_HEADER, SIPMSG_SEVERITY_ERROR, 0, NULL);
    sipmsg_error err;
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_E_MISSING_HEADER);
    assert_string_equal(err.msg, "mandatory header missing: Call-ID");
    assert_int_equal(err.header, -1);
}

/* Options: 416 (8.2.2.1), 420 (8.2.2.3, 16.3 step 5), 483 (16.3 step 3). */
static void receiver_options(void **state)
{
    (void)state;
    sipmsg_finding f[4];
    sipmsg_validate_opts sip_only = {SIPMSG_VALIDATE_SIP_SCHEMES, NULL};
    request("OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0", "OPTIONS", "");
    assert_int_equal(sipmsg_validate_all(&M, NULL, f, 4), 0);
    assert_int_equal(sipmsg_validate_all(&M, &sip_only, f, 4), 1);
    assert_int_equal(f[0].code, SIPMSG_E_URI_SCHEME);
    assert_int_equal(f[0].status, 416);
    request("OPTIONS tel:+1-201-555-0123 SIP/2.0", "OPTIONS", "");
    assert_int_equal(sipmsg_validate_all(&M, &sip_only, f, 4), 0);

    sipmsg_validate_opts uas = {0, "100rel, timer"};
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE", "Require: timer, foo\r\n");
    assert_int_equal(sipmsg_validate_all(&M, NULL, f, 4), 0);
    assert_int_equal(sipmsg_validate_all(&M, &uas, f, 4), 1);
    assert_int_equal(f[0].code, SIPMSG_E_BAD_EXTENSION);
    assert_int_equal(f[0].status, 420);
    assert_int_equal(f[0].offset, (size_t)(strstr(M.buf, "foo") - M.buf));
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE", "Require: TIMER\r\n");
    assert_int_equal(sipmsg_validate_all(&M, &uas, f, 4), 0);
    /* never for CANCEL and ACK */
    request("CANCEL sip:bob@biloxi.com SIP/2.0", "CANCEL", "Require: foo\r\n");
    assert_int_equal(sipmsg_validate_all(&M, &uas, f, 4), 0);
    /* a proxy reads Proxy-Require, not Require */
    sipmsg_validate_opts proxy = {SIPMSG_VALIDATE_PROXY, ""};
    request("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE",
            "Require: foo\r\nProxy-Require: sec-agree\r\n");
    assert_int_equal(sipmsg_validate_all(&M, &proxy, f, 4), 1);
    assert_int_equal(f[0].status, 420);
    assert_int_equal(M.headers[f[0].header].id, SIPMSG_HDR_PROXY_REQUIRE);

    /* 483 at a proxy, not at a UAS, not for OPTIONS */
    load("INVITE sip:bob@biloxi.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
         "Max-Forwards: 0\r\nTo: <sip:bob@biloxi.com>\r\n"
         "From: <sip:alice@atlanta.com>;tag=1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
    assert_int_equal(sipmsg_validate_all(&M, NULL, f, 4), 0);
    assert_int_equal(sipmsg_validate_all(&M, &proxy, f, 4), 1);
    assert_int_equal(f[0].code, SIPMSG_E_TOO_MANY_HOPS);
    assert_int_equal(f[0].status, 483);
    assert_int_equal(M.headers[f[0].header].id, SIPMSG_HDR_MAX_FORWARDS);
    load("OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
         "Max-Forwards: 0\r\nTo: <sip:bob@biloxi.com>\r\n"
         "From: <sip:alice@atlanta.com>;tag=1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n");
    assert_int_equal(sipmsg_validate_all(&M, &proxy, f, 4), 0);
}

/* Every finding is reported, warnings and errors; the array keeps the first
 * `cap` and the count is the total; the callback can stop. */
static int count_stop_at_2(void *ctx, const sipmsg_finding *f)
{
    int *n = ctx;
    (void)f;
    return ++*n == 2;
}

static void all_findings(void **state)
{
    (void)state;
    /* RFC 4475 badinv01's Via and Contact, plus a missing Max-Forwards */
    load("INVITE sip:user@example.com SIP/2.0\r\n"
         "To: sip:j.user@example.com\r\n"
         "From: sip:caller@example.net;tag=134161461246\r\n"
         "Call-ID: badinv01.0ha0isndaksdjasdf3234nas\r\n"
         "CSeq: 8 INVITE\r\n"
         "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n"
         "Contact: \"Joe\" <sip:joe@example.org>;;;;\r\n"
         "Content-Length: 0\r\n\r\n");
    sipmsg_finding f[8];
    size_t n = sipmsg_validate_all(&M, NULL, f, 8);
    /* Max-Forwards: none (the top branch has no magic cookie: RFC 2543) */
    assert_int_equal(n, 3);
    assert_int_equal(f[0].severity, SIPMSG_SEVERITY_WARNING); /* Via ;; */
    assert_int_equal(f[1].severity, SIPMSG_SEVERITY_ERROR);   /* Via ";" */
    assert_int_equal(f[1].code, SIPMSG_E_VIA);
    assert_int_equal(f[1].status, 400);
    assert_int_equal(f[2].severity, SIPMSG_SEVERITY_WARNING); /* Contact ;; */
    assert_int_equal(M.headers[f[2].header].id, SIPMSG_HDR_CONTACT);
    sipmsg_error err;
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_E_VIA);
    assert_int_equal(err.offset, f[1].offset);
    /* a smaller array: the count is still the total */
    sipmsg_finding small[1];
    assert_int_equal(sipmsg_validate_all(&M, NULL, small, 1), 3);
    assert_int_equal(small[0].code, f[0].code);
    assert_int_equal(sipmsg_validate_all(&M, NULL, NULL, 0), 3);
    /* the callback stops after its second finding */
    int seen = 0;
    assert_int_equal(sipmsg_validate_each(&M, NULL, count_stop_at_2, &seen), 2);
    assert_int_equal(seen, 2);
}

/* The examples' seed messages: 03 and 04 carry the blog's ";;", warnings. */
static void seed_messages(void **state)
{
    (void)state;
    for (int i = 1; i <= 10; i++) {
        static const char *const names[] = {
            "01-message", "02-message-proxied", "03-message-200",
            "04-message-200-forwarded", "05-register-noauth",
            "06-register-noauth-200", "07-register", "08-register-401",
            "09-register-auth", "10-register-auth-200"};
        char rel[128];
        size_t len;
        sipmsg_error err;
        snprintf(rel, sizeof rel, "examples/messages/%s.sip", names[i - 1]);
        free(BUF);
        BUF = tu_read(rel, &len);
        sipmsg_msg_init(&M, H, CAP);
        assert_int_equal(sipmsg_parse(&M, BUF, len, NULL, &err), SIPMSG_DONE);
        sipmsg_finding f[4];
        size_t n = sipmsg_validate_all(&M, NULL, f, 4);
        assert_int_equal(n, i == 3 || i == 4 ? 1 : 0);
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(f[k].severity, SIPMSG_SEVERITY_WARNING);
            assert_int_equal(f[k].code, SIPMSG_E_EMPTY_ELEMENT);
            assert_int_equal(M.buf[f[k].offset], ';');
        }
        assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);
    }
}

static void new_codes_have_text(void **state)
{
    (void)state;
    assert_string_equal(sipmsg_strerror(SIPMSG_E_BAD_EXTENSION),
                        "unsupported option tag in Require");
    assert_string_equal(sipmsg_strerror(SIPMSG_E_URI_SCHEME), "unsupported URI scheme");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(warn_max_forwards, teardown),
        cmocka_unit_test_teardown(warn_expires_date_register, teardown),
        cmocka_unit_test_teardown(warn_status_line_no_sp, teardown),
        cmocka_unit_test_teardown(warn_empty_params, teardown),
        cmocka_unit_test_teardown(error_statuses, teardown),
        cmocka_unit_test_teardown(response_status_zero, teardown),
        cmocka_unit_test_teardown(receiver_options, teardown),
        cmocka_unit_test_teardown(all_findings, teardown),
        cmocka_unit_test_teardown(seed_messages, teardown),
        cmocka_unit_test(new_codes_have_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
