/*
 * Messages written after the descriptions in RFC 4475 (SIP torture tests)
 * and RFC 5118 (IPv6), in tests/rfc4475/. Valid ones must parse and
 * validate; invalid ones must fail, in parsing or in validation, with the
 * code the RFC's description calls for.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expect {
    const char *file;
    sipmsg_code parse;    /* code from sipmsg_parse (SIPMSG_OK when it parses) */
    sipmsg_code validate; /* code from sipmsg_validate, when it parsed */
};

static const struct expect cases[] = {
    {"valid-wsinv", SIPMSG_OK, SIPMSG_OK},
    {"valid-intmeth", SIPMSG_OK, SIPMSG_OK},
    {"valid-esc01", SIPMSG_OK, SIPMSG_OK},
    {"valid-escnull", SIPMSG_OK, SIPMSG_OK},
    {"valid-esc02", SIPMSG_OK, SIPMSG_OK},
    {"valid-lwsdisp", SIPMSG_OK, SIPMSG_OK},
    {"valid-longreq", SIPMSG_OK, SIPMSG_OK},
    {"valid-semiuri", SIPMSG_OK, SIPMSG_OK},
    {"valid-transports", SIPMSG_OK, SIPMSG_OK},
    {"valid-mpart01", SIPMSG_OK, SIPMSG_OK},
    {"valid-unreason", SIPMSG_OK, SIPMSG_OK},
    {"valid-noreason", SIPMSG_OK, SIPMSG_OK},
    {"valid-unksm", SIPMSG_OK, SIPMSG_OK},
    {"valid-unksm2", SIPMSG_OK, SIPMSG_OK},
    {"valid-novelsc", SIPMSG_OK, SIPMSG_OK},
    {"valid-regaut01", SIPMSG_OK, SIPMSG_OK},
    {"valid-zeromf", SIPMSG_OK, SIPMSG_OK},
    {"valid-cparam01", SIPMSG_OK, SIPMSG_OK},
    {"valid-cparam02", SIPMSG_OK, SIPMSG_OK},
    {"valid-regescrt", SIPMSG_OK, SIPMSG_OK},
    {"valid-inv2543", SIPMSG_OK, SIPMSG_OK},
    {"valid-ipv6", SIPMSG_OK, SIPMSG_OK},
    /* ";;" is a warning; the Via element ";" is the error */
    {"invalid-badinv01", SIPMSG_OK, SIPMSG_E_VIA},
    {"invalid-clerr", SIPMSG_E_BODY_TRUNCATED, SIPMSG_OK},
    {"invalid-scalar02", SIPMSG_E_MAX_FORWARDS, SIPMSG_OK},
    {"invalid-scalarlg", SIPMSG_E_CSEQ_NUMBER, SIPMSG_OK},
    {"invalid-quotbal", SIPMSG_E_QUOTE, SIPMSG_OK},
    {"invalid-ltgtruri", SIPMSG_E_REQUEST_URI, SIPMSG_OK}, /* no scheme ":" */
    {"invalid-lwsruri", SIPMSG_E_REQUEST_URI, SIPMSG_OK},
    {"invalid-lwsstart", SIPMSG_E_REQUEST_URI, SIPMSG_OK},
    {"invalid-trws", SIPMSG_E_START_LINE, SIPMSG_OK},
    {"invalid-escruri", SIPMSG_OK, SIPMSG_E_REQUEST_URI},
    {"invalid-baddate", SIPMSG_OK, SIPMSG_E_HEADER_VALUE},
    {"invalid-regbadct", SIPMSG_OK, SIPMSG_E_CONTACT},
    {"invalid-badaspec", SIPMSG_E_URI, SIPMSG_OK},
    {"invalid-baddn", SIPMSG_E_URI, SIPMSG_OK},
    {"invalid-badvers", SIPMSG_OK, SIPMSG_E_VERSION_UNSUPPORTED},
    {"invalid-mismatch01", SIPMSG_OK, SIPMSG_E_CSEQ_METHOD},
    {"invalid-mismatch02", SIPMSG_OK, SIPMSG_E_CSEQ_METHOD},
    {"invalid-bigcode", SIPMSG_E_STATUS_CODE, SIPMSG_OK},
    {"invalid-ncl", SIPMSG_E_CONTENT_LENGTH, SIPMSG_OK},
    {"invalid-insuf", SIPMSG_OK, SIPMSG_E_MISSING_HEADER},
    {"invalid-mcl01", SIPMSG_E_CL_CONFLICT, SIPMSG_OK},
    {"invalid-multi01", SIPMSG_OK, SIPMSG_E_DUPLICATE_HEADER},
};

static void each_message(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rel[256];
        size_t len;
        snprintf(rel, sizeof rel, "tests/rfc4475/%s.sip", cases[i].file);
        char *buf = tu_read(rel, &len);
        sipmsg_header hdrs[128];
        sipmsg_msg m;
        sipmsg_error err = {SIPMSG_OK, -1, 0, NULL};
        sipmsg_msg_init(&m, hdrs, 128);
        sipmsg_result st = sipmsg_parse(&m, buf, len, NULL, &err);
        sipmsg_code pc = st == SIPMSG_DONE ? SIPMSG_OK : err.code;
        sipmsg_code vc = st == SIPMSG_DONE ? sipmsg_validate(&m, &err) : SIPMSG_OK;
        if (pc != cases[i].parse || vc != cases[i].validate)
            fail_msg("%s: parse %d, validate %d (%s); want %d, %d", cases[i].file, pc, vc,
                     err.msg ? err.msg : "", cases[i].parse, cases[i].validate);
        if (pc || vc)
            assert_true(err.offset <= len);
        free(buf);
    }
}

/* Values RFC 4475 says a parser must extract. */
static void extracted_values(void **state)
{
    (void)state;
    size_t len;
    char *buf = tu_read("tests/rfc4475/valid-wsinv.sip", &len);
    sipmsg_header hdrs[64];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 64);
    assert_int_equal(sipmsg_parse(&m, buf, len, NULL, &err), SIPMSG_DONE);
    assert_int_equal(m.max_forwards, 68);
    assert_int_equal(m.cseq, 9);
    assert_int_equal(m.cseq_method, SIPMSG_METHOD_INVITE);
    assert_slice(m.to_tag, "1918181833n");
    assert_slice(m.from_tag, "98asjd8");
    assert_slice(m.via.host, "192.0.2.2");
    assert_slice(m.via.branch, "390skdjuw");
    assert_int_equal(sipmsg_count(&m, SIPMSG_HDR_VIA), 2);
    sipmsg_via_iter vi;
    sipmsg_via v;
    sipmsg_via_iter_init(&vi, &m);
    int n = 0;
    while (sipmsg_via_next(&vi, &v, &err) == 1)
        n++;
    assert_int_equal(n, 3);
    assert_slice(v.branch, "z9hG4bK30239");
    sipmsg_nameaddr_iter ni;
    sipmsg_nameaddr na;
    sipmsg_nameaddr_iter_init(&ni, &m, SIPMSG_HDR_CONTACT);
    assert_int_equal(sipmsg_nameaddr_next(&ni, &na, &err), 1);
    assert_slice(na.display, "Quoted string \\\"\\\"");
    assert_slice(na.q, "0.33");
    assert_slice(sipmsg_find(&m, SIPMSG_HDR_SUBJECT)->value, "");
    free(buf);

    buf = tu_read("tests/rfc4475/valid-intmeth.sip", &len);
    assert_int_equal(sipmsg_parse(&m, buf, len, NULL, &err), SIPMSG_DONE);
    assert_int_equal(m.method, SIPMSG_METHOD_OTHER);
    assert_slice(m.method_name, "!interesting-Method0123456789_*+`.%indeed'~");
    assert_slice(m.cseq_method_name, "!interesting-Method0123456789_*+`.%indeed'~");
    sipmsg_uri u;
    assert_int_equal(sipmsg_uri_parse(&u, m.request_uri, NULL), SIPMSG_OK);
    assert_slice(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert_slice(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert_slice(m.from_tag, "_token~1'+`*%!-.");
    const sipmsg_header *to = sipmsg_find(&m, SIPMSG_HDR_TO);
    assert_int_equal(sipmsg_nameaddr_parse(&na, to->value, NULL), SIPMSG_OK);
    assert_memory_equal(na.display.ptr, "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f", 17);
    free(buf);

    buf = tu_read("tests/rfc4475/valid-esc02.sip", &len);
    assert_int_equal(sipmsg_parse(&m, buf, len, NULL, &err), SIPMSG_DONE);
    assert_slice(m.method_name, "RE%47IST%45R"); /* not REGISTER: no escapes in a method */
    assert_int_equal(m.method, SIPMSG_METHOD_OTHER);
    sipmsg_nameaddr_iter_init(&ni, &m, SIPMSG_HDR_CONTACT);
    n = 0;
    while (sipmsg_nameaddr_next(&ni, &na, &err) == 1)
        n++;
    assert_int_equal(n, 3);
    free(buf);

    buf = tu_read("tests/rfc4475/valid-mpart01.sip", &len);
    assert_int_equal(sipmsg_parse(&m, buf, len, NULL, &err), SIPMSG_DONE);
    assert_int_equal(m.body.len, (size_t)m.content_length);
    assert_slice(m.content_type, "multipart/mixed");
    free(buf);

    buf = tu_read("tests/rfc4475/valid-unreason.sip", &len);
    assert_int_equal(sipmsg_parse(&m, buf, len, NULL, &err), SIPMSG_DONE);
    assert_int_equal(m.status_code, 200);
    assert_true(m.reason.len > 20);
    free(buf);
}

/* Trailing octets after a datagram's body are reported, not taken. */
static void trailing_octets(void **state)
{
    (void)state;
    size_t l1, l2;
    char *a = tu_read("tests/rfc4475/valid-zeromf.sip", &l1);
    char *b = tu_read("tests/rfc4475/valid-lwsdisp.sip", &l2);
    char *both = malloc(l1 + l2);
    memcpy(both, a, l1);
    memcpy(both + l1, b, l2);
    sipmsg_header hdrs[32];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 32);
    assert_int_equal(sipmsg_parse(&m, both, l1 + l2, NULL, &err), SIPMSG_DONE);
    assert_int_equal(m.len, l1);
    assert_int_equal(m.trailing, l2);
    assert_int_equal(m.max_forwards, 0);
    free(a);
    free(b);
    free(both);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_message),
        cmocka_unit_test(extracted_values),
        cmocka_unit_test(trailing_octets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
