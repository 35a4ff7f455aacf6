/*
 * The parse-time decoder's fast paths (top Via, From/To tags, Content-Type,
 * CSeq)
 * against hand-written expectations and against the full parsers
 * (sipmsg_decode_full_): each value below is put into a message, parsed
 * normally, and also framed once and decoded both ways. Half the cases are
 * plain (the fast path reads them), half sit just outside the plain form
 * (whitespace, quotes, folds, repeats, empty parameters, bad values), where
 * the full parser must take over with the same result or error.
 */
#include "testutil.h"

#include "decode.h"
#include "nameaddr.h"
#include "scan.h"
#include "via.h"
#include "sipmsg/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 32

enum { VIA, FROM, TO, CTYPE, CSEQ, MAXFWD };

typedef struct fcase {
    int where;          /* which header gets the value */
    const char *value;
    sipmsg_code code;   /* SIPMSG_OK, or the error the parse must give */
    const char *want;   /* the decoded slice (branch, tag or type/subtype); NULL: absent */
} fcase;

static const fcase cases[] = {
    /* Via: plain */
    {VIA, "SIP/2.0/UDP host;branch=z9hG4bKa", SIPMSG_OK, "z9hG4bKa"},
    {VIA, "SIP/2.0/UDP host", SIPMSG_OK, NULL},
    {VIA, "SIP/2.0/UDP host;branch=z9hG4bKa;branch=z9hG4bKb", SIPMSG_OK, "z9hG4bKa"},
    {VIA, "SIP/2.0/UDP host;rport;branch=z9hG4bKr", SIPMSG_OK, "z9hG4bKr"},
    {VIA, "SIP/2.0/UDP host;rport=5060;branch=b1", SIPMSG_OK, "b1"},
    {VIA, "SIP/2.0/UDP host;received=1.2.3.4;branch=b2", SIPMSG_OK, "b2"},
    {VIA, "SIP/2.0/UDP [::1]:5060;branch=b3", SIPMSG_OK, "b3"},
    {VIA, "SIP/2.0/TLS 10.0.0.1:5061;x-ext=1;branch=b4", SIPMSG_OK, "b4"},
    /* Via: outside the plain form */
    {VIA, "SIP/2.0/UDP host ;branch=b5", SIPMSG_OK, "b5"},
    {VIA, "SIP/2.0/UDP host; branch = b6", SIPMSG_OK, "b6"},
    {VIA, "SIP / 2.0 / UDP host;branch=b7", SIPMSG_OK, "b7"},
    {VIA, "SIP/2.0/UDP  host;branch=b8", SIPMSG_OK, "b8"},
    {VIA, "SIP/2.0/UDP host;;branch=b9", SIPMSG_OK, "b9"},
    {VIA, "SIP/2.0/UDP host;branch=b10;", SIPMSG_OK, "b10"},
    {VIA, "SIP/2.0/UDP host;maddr=1.2.3.4;branch=b11", SIPMSG_OK, "b11"},
    {VIA, "SIP/2.0/UDP host;ttl=16;branch=b12", SIPMSG_OK, "b12"},
    {VIA, "SIP/2.0/UDP host;branch=b13, SIP/2.0/TCP other;branch=b14", SIPMSG_OK, "b13"},
    {VIA, "SIP/2.0/UDP host,SIP/2.0/TCP other;branch=b16", SIPMSG_OK, NULL},
    {VIA, "SIP/2.0/UDP host:5060,SIP/2.0/TCP other", SIPMSG_OK, NULL},
    {VIA, "SIP/2.0/UDP host;branch=b17,SIP/2.0/TCP other", SIPMSG_OK, "b17"},
    {VIA, "SIP/2.0/UDP host\r\n ;branch=b15", SIPMSG_OK, "b15"},
    {VIA, "SIP/2.0/UDP host;rport=70000;branch=x", SIPMSG_E_VIA, NULL},
    {VIA, "SIP/2.0/UDP host;received=host.example;branch=x", SIPMSG_E_VIA, NULL},
    {VIA, "SIP/2.0/UDP host;branch", SIPMSG_E_VIA, NULL},
    {VIA, "SIP/2.0/UDP host;branch=\"x\"", SIPMSG_E_VIA, NULL},
    {VIA, "SIP/2.0/UDP host;ttl=300;branch=x", SIPMSG_E_VIA, NULL},
    {VIA, "SIP/2.0/UDP host:0;branch=x", SIPMSG_E_PORT, NULL},
    {VIA, "SIP/2.0/UDP ho_st;branch=x", SIPMSG_E_VIA, NULL},
    {VIA, "SIP/2.0/UDP -host;branch=x", SIPMSG_E_HOST, NULL},
    {VIA, "SIP/2.0/UDP host;=x", SIPMSG_E_PARAM, NULL},
    {VIA, "SIP/2.0/UDP", SIPMSG_E_VIA, NULL},
    /* From and To: plain */
    {FROM, "sip:a@b;tag=1", SIPMSG_OK, "1"},
    {FROM, "<sip:a@b>;tag=2", SIPMSG_OK, "2"},
    {FROM, "Bob <sip:a@b>;tag=4", SIPMSG_OK, "4"},
    {FROM, "\"Alice L.\" <sip:a@b>;tag=5", SIPMSG_OK, "5"},
    {FROM, "\"Alice\"<sip:a@b>;tag=6", SIPMSG_OK, "6"},
    {FROM, "<sip:a@b>;tag=7;tag=8", SIPMSG_OK, "7"},
    {FROM, "<sip:a@b>;x=1;tag=9", SIPMSG_OK, "9"},
    {TO, "<sip:a@b>;tag", SIPMSG_OK, ""},
    {TO, "sip:a@b", SIPMSG_OK, NULL},
    {TO, "<tel:+1-201-555-0123>", SIPMSG_OK, NULL},
    /* From and To: outside the plain form */
    {FROM, "\"A \\\"q\\\" B\" <sip:a@b>;tag=10", SIPMSG_OK, "10"},
    {FROM, "<sip:a@b> ;tag=11", SIPMSG_OK, "11"},
    {FROM, "<sip:a@b>; tag = 12", SIPMSG_OK, "12"},
    {FROM, "sip:a@b;tag=\"13\"", SIPMSG_OK, "\"13\""},
    {FROM, "<sip:a@b>;;tag=14", SIPMSG_OK, "14"},
    {FROM, "Bob\r\n <sip:a@b>;tag=15", SIPMSG_OK, "15"},
    {FROM, "sip:a@b\r\n ;tag=16", SIPMSG_OK, "16"},
    {FROM, "sip:a@b?x=y;tag=1", SIPMSG_E_NAME_ADDR, NULL},
    {FROM, "<sip:a b>;tag=1", SIPMSG_E_URI, NULL},
    {FROM, "<sip:a@b>, <sip:c@d>", SIPMSG_E_NAME_ADDR, NULL},
    {FROM, "\"unterminated <sip:a@b>;tag=1", SIPMSG_E_QUOTE, NULL},
    {FROM, "<sip:a@b;tag=1", SIPMSG_E_NAME_ADDR, NULL},
    {FROM, "nothing;tag=1", SIPMSG_E_URI, NULL},
    {TO, "<sip:a@b>;tag=1;=2", SIPMSG_E_PARAM, NULL},
    /* Content-Type: plain, then not */
    {CTYPE, "text/plain", SIPMSG_OK, "text/plain"},
    {CTYPE, "text/plain;charset=utf-8", SIPMSG_OK, "text/plain"},
    {CTYPE, "text/plain ; charset=utf-8", SIPMSG_OK, "text/plain"},
    {CTYPE, "text / plain", SIPMSG_OK, "text / plain"},
    {CTYPE, "multipart/mixed;boundary=\"b 1\"", SIPMSG_OK, "multipart/mixed"},
    {CTYPE, "text/plain;", SIPMSG_OK, "text/plain"},
    {CTYPE, "text", SIPMSG_E_CONTENT_TYPE, NULL},
    {CTYPE, "text/plain;=x", SIPMSG_E_CONTENT_TYPE, NULL},
    {CTYPE, "text/plain x", SIPMSG_E_CONTENT_TYPE, NULL},
    /* CSeq (the method must be MESSAGE: validation is not run here, but
     * the slice compared is the method name) */
    {CSEQ, "1 MESSAGE", SIPMSG_OK, "MESSAGE"},
    {CSEQ, "4294967295 MESSAGE", SIPMSG_OK, "MESSAGE"},
    {CSEQ, "0000000001 MESSAGE", SIPMSG_OK, "MESSAGE"},
    {CSEQ, "00000000001 MESSAGE", SIPMSG_OK, "MESSAGE"},
    {CSEQ, "1  MESSAGE", SIPMSG_OK, "MESSAGE"},
    {CSEQ, "1\tMESSAGE", SIPMSG_OK, "MESSAGE"},
    {CSEQ, "1 X-Custom.Method", SIPMSG_OK, "X-Custom.Method"},
    {CSEQ, "4294967296 MESSAGE", SIPMSG_E_CSEQ_NUMBER, NULL},
    {CSEQ, "99999999999 MESSAGE", SIPMSG_E_CSEQ_NUMBER, NULL},
    {CSEQ, "1 MESSAGE x", SIPMSG_E_CSEQ, NULL},
    {CSEQ, "1MESSAGE", SIPMSG_E_CSEQ, NULL},
    {CSEQ, "MESSAGE", SIPMSG_E_CSEQ, NULL},
    {CSEQ, "-1 MESSAGE", SIPMSG_E_CSEQ, NULL},
    /* Max-Forwards (the expected slice is the header value, unchanged;
     * the decoded number is checked with the structs) */
    {MAXFWD, "70", SIPMSG_OK, NULL},
    {MAXFWD, "0", SIPMSG_OK, NULL},
    {MAXFWD, "255", SIPMSG_OK, NULL},
    {MAXFWD, "0070", SIPMSG_OK, NULL},
    {MAXFWD, "256", SIPMSG_E_MAX_FORWARDS, NULL},
    {MAXFWD, "7a", SIPMSG_E_MAX_FORWARDS, NULL},
    {MAXFWD, "1 0", SIPMSG_E_MAX_FORWARDS, NULL},
    {MAXFWD, "", SIPMSG_E_MAX_FORWARDS, NULL},
};

/* A MESSAGE request with `value` in the header `where`. */
static char *message(const fcase *c, size_t *len)
{
    const char *via = c->where == VIA ? c->value : "SIP/2.0/UDP h;branch=z9hG4bKd";
    const char *from = c->where == FROM ? c->value : "<sip:f@h>;tag=f";
    const char *to = c->where == TO ? c->value : "<sip:t@h>";
    const char *ct = c->where == CTYPE ? c->value : "text/plain";
    const char *cseq = c->where == CSEQ ? c->value : "1 MESSAGE";
    const char *mf = c->where == MAXFWD ? c->value : "70";
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "MESSAGE sip:t@h SIP/2.0\r\nVia: %s\r\nMax-Forwards: %s\r\n"
                     "From: %s\r\nTo: %s\r\nCall-ID: c@h\r\nCSeq: %s\r\n"
                     "Content-Type: %s\r\nContent-Length: 2\r\n\r\nhi",
                     via, mf, from, to, cseq, ct);
    assert_true(n > 0 && (size_t)n < sizeof text);
    *len = (size_t)n;
    return tu_exact(text, *len);
}

static sipmsg_slice decoded(const sipmsg_msg *m, int where)
{
    switch (where) {
    case VIA: return m->via.branch;
    case FROM: return m->from_tag;
    case TO: return m->to_tag;
    case CSEQ: return m->cseq_method_name;
    case MAXFWD: {
        sipmsg_slice none = {NULL, 0};
        return none; /* the number is compared with the full decode */
    }
    default: return m->content_type;
    }
}

static void check_case(const fcase *c)
{
    size_t len;
    char *buf = message(c, &len);
    sipmsg_header h1[CAP], h2[CAP];
    sipmsg_msg m, a, b;
    sipmsg_error err, ea, eb;

    /* the ordinary parse: the expected result */
    sipmsg_msg_init(&m, h1, CAP);
    sipmsg_result st = sipmsg_parse(&m, buf, len, NULL, &err);
    if (c->code == SIPMSG_OK) {
        if (st != SIPMSG_DONE)
            fail_msg("%s: %s at %zu", c->value, err.msg, err.offset);
        if (c->where == MAXFWD)
            assert_int_equal(m.max_forwards, (int)strtol(c->value, NULL, 10));
        sipmsg_slice s = decoded(&m, c->where);
        if (!c->want) {
            assert_null(s.ptr);
        } else {
            assert_non_null(s.ptr);
            if (s.len != strlen(c->want) || memcmp(s.ptr, c->want, s.len) != 0)
                fail_msg("%s: got '%.*s', want '%s'", c->value, (int)s.len, s.ptr, c->want);
        }
    } else {
        assert_int_equal(st, SIPMSG_INVALID);
        if (err.code != c->code)
            fail_msg("%s: code %d (%s), want %d", c->value, err.code, err.msg, c->code);
    }

    /* framed once, decoded with and without the fast paths: identical */
    sipmsg_opts o = {SIPMSG_DATAGRAM, 0, 0, 0, SIPMSG_PARSE_FRAME_ONLY};
    sipmsg_msg_init(&a, h2, CAP);
    assert_int_equal(sipmsg_parse(&a, buf, len, &o, NULL), SIPMSG_DONE);
    b = a;
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    sipmsg_code ca = sipmsg_decode_(&a, &ea);
    sipmsg_code cb = sipmsg_decode_full_(&b, &eb);
    assert_int_equal(ca, cb);
    assert_int_equal(ca, c->code);
    if (ca == SIPMSG_OK) {
        assert_memory_equal(&a, &b, sizeof a);
    } else {
        assert_int_equal(ea.offset, eb.offset);
        assert_int_equal(ea.header, eb.header);
        assert_ptr_equal(ea.msg, eb.msg);
    }
    free(buf);
}

static void fast_paths_agree(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* The Via fields besides the branch, on the plain path. */
static void fast_via_fields(void **state)
{
    (void)state;
    const char *text = "OPTIONS sip:h SIP/2.0\r\n"
                       "Via: SIP/2.0/TCP [2001:db8::1]:5070;rport;received=192.0.2.1;branch=z9hG4bKx\r\n"
                       "Max-Forwards: 0\r\nFrom: <sip:f@h>;tag=1\r\nTo: <sip:t@h>\r\n"
                       "Call-ID: c\r\nCSeq: 2 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    char *buf = tu_exact(text, strlen(text));
    sipmsg_header h[CAP];
    sipmsg_msg m;
    sipmsg_msg_init(&m, h, CAP);
    assert_int_equal(sipmsg_parse(&m, buf, strlen(text), NULL, NULL), SIPMSG_DONE);
    assert_true(sipmsg_slice_eq(m.via.transport, "TCP"));
    assert_true(sipmsg_slice_eq(m.via.host, "[2001:db8::1]"));
    assert_int_equal(m.via.port, 5070);
    assert_non_null(m.via.rport.ptr);
    assert_int_equal(m.via.rport.len, 0);
    assert_true(sipmsg_slice_eq(m.via.received, "192.0.2.1"));
    assert_true(sipmsg_slice_eq(m.via.branch, "z9hG4bKx"));
    free(buf);
}

/* The edits' parameter search takes the same fast path (plain parameters)
 * before the full iterator: setting received= on Via values written both
 * ways gives the text expected by hand. */
static void edit_param_forms(void **state)
{
    (void)state;
    static const char *const vias[][2] = {
        {"SIP/2.0/UDP h;branch=z9hG4bK1;received=1.1.1.1",
         "SIP/2.0/UDP h;branch=z9hG4bK1;received=2.2.2.2"},
        {"SIP/2.0/UDP h;branch=z9hG4bK1;RECEIVED=1.1.1.1;rport",
         "SIP/2.0/UDP h;branch=z9hG4bK1;received=2.2.2.2;rport"},
        {"SIP/2.0/UDP h;branch=z9hG4bK1 ; received = 1.1.1.1",
         "SIP/2.0/UDP h;branch=z9hG4bK1 ;received=2.2.2.2"},
        {"SIP/2.0/UDP h;;received=1.1.1.1;branch=z9hG4bK1",
         "SIP/2.0/UDP h;;received=2.2.2.2;branch=z9hG4bK1"},
        {"SIP/2.0/UDP h;x=\"a;received=3\";received=1.1.1.1",
         "SIP/2.0/UDP h;x=\"a;received=3\";received=2.2.2.2"},
        {"SIP/2.0/UDP h;branch=z9hG4bK1", "SIP/2.0/UDP h;branch=z9hG4bK1;received=2.2.2.2"},
    };
    for (size_t i = 0; i < sizeof vias / sizeof vias[0]; i++) {
        char text[512];
        int n = snprintf(text, sizeof text,
                         "OPTIONS sip:h SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n"
                         "From: <sip:f@h>;tag=1\r\nTo: <sip:t@h>\r\nCall-ID: c\r\n"
                         "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", vias[i][0]);
        char *buf = tu_exact(text, (size_t)n);
        sipmsg_header h[CAP];
        sipmsg_msg m;
        sipmsg_arena a;
        char abuf[512];
        sipmsg_msg_init(&m, h, CAP);
        assert_int_equal(sipmsg_parse(&m, buf, (size_t)n, NULL, NULL), SIPMSG_DONE);
        sipmsg_arena_init(&a, abuf, sizeof abuf);
        sipmsg_edit_init(&m, &a);
        assert_int_equal(sipmsg_param_set(&m, 0, 0, sipmsg_slice_of("received"),
                                          sipmsg_slice_of("2.2.2.2")), SIPMSG_OK);
        if (!sipmsg_slice_eq(m.headers[0].value, vias[i][1]))
            fail_msg("got '%.*s', want '%s'", (int)m.headers[0].value.len,
                     m.headers[0].value.ptr, vias[i][1]);
        assert_true(sipmsg_slice_eq(m.via.received, "2.2.2.2"));
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_paths_agree),
        cmocka_unit_test(fast_via_fields),
        cmocka_unit_test(edit_param_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
