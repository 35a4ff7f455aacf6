/* Typed headers: URI, name-addr, Via, CSeq, numbers, lists, validation. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 64

static sipmsg_header H[CAP];
static sipmsg_msg M;
static char *BUF;

static sipmsg_result load(const char *rel, sipmsg_error *err)
{
    size_t len;
    free(BUF);
    BUF = tu_read(rel, &len);
    sipmsg_msg_init(&M, H, CAP);
    return sipmsg_parse(&M, BUF, len, NULL, err);
}

static sipmsg_result load_text(const char *text, sipmsg_error *err)
{
    free(BUF);
    BUF = tu_exact(text, strlen(text));
    sipmsg_msg_init(&M, H, CAP);
    return sipmsg_parse(&M, BUF, strlen(text), NULL, err);
}

static int teardown(void **state)
{
    (void)state;
    free(BUF);
    BUF = NULL;
    return 0;
}

/* Parses a URI held in an exact-size buffer. */
static sipmsg_code uri(const char *text, sipmsg_uri *u, char **keep)
{
    *keep = tu_exact(text, strlen(text));
    return sipmsg_uri_parse(u, (sipmsg_slice){*keep, strlen(text)}, NULL);
}

/* ---- seed messages, typed ---------------------------------------------------- */

static void seed_message_typed(void **state)
{
    (void)state;
    sipmsg_error err;
    assert_int_equal(load("examples/messages/01-message.sip", &err), SIPMSG_DONE);
    assert_slice(M.via.transport, "TCP");
    assert_slice(M.via.host, "user1pc.domain.com");
    assert_int_equal(M.via.port, 0);
    assert_slice(M.via.branch, "z9hG4bK776sgdkse");
    assert_true(sipmsg_branch_is_rfc3261(M.via.branch));
    assert_null(M.via.received.ptr);
    assert_slice(M.from_tag, "49583");
    assert_null(M.to_tag.ptr);
    assert_slice(M.call_id, "asd88asd77a@1.2.3.4");
    assert_int_equal(M.cseq, 1);
    assert_int_equal(M.cseq_method, SIPMSG_METHOD_MESSAGE);
    assert_int_equal(M.max_forwards, 70);
    assert_slice(M.content_type, "text/plain");
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);

    sipmsg_uri u;
    assert_int_equal(sipmsg_uri_parse(&u, M.request_uri, NULL), SIPMSG_OK);
    assert_int_equal(u.scheme_id, SIPMSG_SCHEME_SIP);
    assert_slice(u.user, "user2");
    assert_slice(u.host, "domain.com");
    assert_int_equal(u.host_type, SIPMSG_HOST_NAME);

    sipmsg_nameaddr na;
    const sipmsg_header *h = sipmsg_find(&M, SIPMSG_HDR_FROM);
    assert_int_equal(sipmsg_nameaddr_parse(&na, h->value, NULL), SIPMSG_OK);
    assert_false(na.angle);
    assert_null(na.display.ptr);
    assert_slice(na.uri_text, "sip:user1@domain.com");
    assert_slice(na.uri.user, "user1");
    assert_null(na.uri.params.ptr); /* a bare addr-spec: ;tag is the header's */
    assert_slice(na.params, ";tag=49583");
    assert_slice(na.tag, "49583");
}

static void seed_proxied_typed(void **state)
{
    (void)state;
    sipmsg_error err;
    assert_int_equal(load("examples/messages/02-message-proxied.sip", &err), SIPMSG_DONE);
    assert_slice(M.via.host, "proxy.domain.com");
    assert_slice(M.via.branch, "z9hG4bK123dsghds");
    assert_int_equal(M.max_forwards, 69);
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_via_iter_init(&it, &M);
    assert_int_equal(sipmsg_via_next(&it, &v, &err), 1);
    assert_slice(v.host, "proxy.domain.com");
    assert_int_equal(sipmsg_via_next(&it, &v, &err), 1);
    assert_slice(v.protocol, "SIP");
    assert_slice(v.version, "2.0");
    assert_slice(v.transport, "TCP");
    assert_slice(v.host, "user1pc.domain.com");
    assert_slice(v.branch, "z9hG4bK776sgdkse");
    /* the received parameter on the continuation line */
    assert_slice(v.received, "1.2.3.4");
    assert_int_equal(sipmsg_via_next(&it, &v, &err), 0);
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);
}

static void seed_200_typed(void **state)
{
    (void)state;
    sipmsg_error err;
    assert_int_equal(load("examples/messages/03-message-200.sip", &err), SIPMSG_DONE);
    assert_slice(M.via.received, "192.0.2.1");
    assert_slice(M.to_tag, "ab8asdasd9");
    assert_slice(M.from_tag, "49394");
    assert_int_equal(M.max_forwards, -1);
    /* the second Via holds ";;": parsing tolerates it, validation notes it
     * with a warning (the message is accepted) */
    sipmsg_via_iter it;
    sipmsg_via v;
    sipmsg_via_iter_init(&it, &M);
    assert_int_equal(sipmsg_via_next(&it, &v, &err), 1);
    assert_int_equal(sipmsg_via_next(&it, &v, &err), 1);
    assert_slice(v.branch, "z9hG4bK776sgdkse");
    assert_slice(v.received, "1.2.3.4");
    sipmsg_finding f[4];
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);
    assert_int_equal(sipmsg_validate_all(&M, NULL, f, 4), 1);
    assert_int_equal(f[0].code, SIPMSG_E_EMPTY_ELEMENT);
    assert_int_equal(f[0].severity, SIPMSG_SEVERITY_WARNING);
    assert_int_equal(f[0].header, 1);

    assert_int_equal(load("examples/messages/04-message-200-forwarded.sip", &err), SIPMSG_DONE);
    assert_slice(M.from_tag, "49394"); /* ";;tag=" still finds the tag */
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);
    assert_int_equal(sipmsg_validate_all(&M, NULL, f, 4), 1);
    assert_int_equal(f[0].severity, SIPMSG_SEVERITY_WARNING);
    assert_int_equal(M.headers[f[0].header].id, SIPMSG_HDR_FROM);
}

static void seed_register_typed(void **state)
{
    (void)state;
    sipmsg_error err;
    assert_int_equal(load("examples/messages/07-register.sip", &err), SIPMSG_DONE);
    assert_slice(M.via.transport, "UDP");
    assert_slice(M.via.host, "192.168.2.161");
    assert_int_equal(M.via.port, 8021);
    assert_null(M.via.branch.ptr);
    assert_slice(M.from_tag, "efca469543ce4788a6a6a2c7b66cd01f");
    assert_slice(M.call_id, "c88a247a74b54a8c9e676bdde3bba6c9@192.168.2.161");
    assert_int_equal(M.cseq, 1);
    assert_int_equal(M.cseq_method, SIPMSG_METHOD_REGISTER);

    sipmsg_nameaddr na;
    const sipmsg_header *h = sipmsg_find(&M, SIPMSG_HDR_FROM);
    assert_int_equal(sipmsg_nameaddr_parse(&na, h->value, NULL), SIPMSG_OK);
    assert_true(na.angle);
    assert_slice(na.uri.user, "01062237493");
    assert_slice(na.uri.host, "192.168.2.89");
    assert_int_equal(na.uri.host_type, SIPMSG_HOST_IPV4);
    sipmsg_param p;
    assert_true(sipmsg_param_find(na.params, "EPID", &p));
    assert_slice(p.value, "de4504430d");

    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr_iter_init(&it, &M, SIPMSG_HDR_CONTACT);
    assert_int_equal(sipmsg_nameaddr_next(&it, &na, &err), 1);
    assert_slice(na.uri.host, "192.168.2.161");
    assert_int_equal(na.uri.port, 8021);
    assert_true(sipmsg_param_find(na.params, "methods", &p));
    assert_slice(p.value, "\"INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER\"");
    /* the comma inside the quoted methods list does not split the Contact */
    assert_int_equal(sipmsg_nameaddr_next(&it, &na, &err), 0);

    sipmsg_event ev;
    h = sipmsg_find(&M, SIPMSG_HDR_EVENT);
    assert_int_equal(sipmsg_event_parse(&ev, h->value, NULL), SIPMSG_OK);
    assert_slice(ev.type, "registration");
    assert_true(sipmsg_list_has(sipmsg_find(&M, SIPMSG_HDR_ALLOW_EVENTS)->value, "presence"));
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);

    assert_int_equal(load("examples/messages/08-register-401.sip", &err), SIPMSG_DONE);
    assert_slice(M.to_tag, "-001893-38ba013ba3dde36e");
    const sipmsg_slice allow = sipmsg_find(&M, SIPMSG_HDR_ALLOW)->value;
    assert_true(sipmsg_list_has(allow, "MESSAGE"));
    assert_true(sipmsg_list_has(allow, "prack"));
    assert_false(sipmsg_list_has(allow, "PUBLISH"));
    sipmsg_list_iter li;
    sipmsg_slice el;
    int n = 0;
    sipmsg_list_init(&li, allow);
    while (sipmsg_list_next(&li, &el, NULL) > 0)
        n++;
    assert_int_equal(n, 13);
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);

    assert_int_equal(load("examples/messages/10-register-auth-200.sip", &err), SIPMSG_DONE);
    uint32_t secs;
    h = sipmsg_find(&M, SIPMSG_HDR_EXPIRES);
    assert_int_equal(sipmsg_expires_parse(h->value, &secs), SIPMSG_OK);
    assert_int_equal(secs, 3600);
    /* the blog's watermark "3600(xiaxveliang)" is not delta-seconds */
    assert_int_equal(sipmsg_expires_parse((sipmsg_slice){"3600(xiaxveliang)", 17}, &secs),
                     SIPMSG_E_EXPIRES);
    sipmsg_nameaddr_iter_init(&it, &M, SIPMSG_HDR_CONTACT);
    assert_int_equal(sipmsg_nameaddr_next(&it, &na, &err), 1);
    assert_false(na.angle);
    assert_int_equal(na.uri.port, 8021);
}

/* ---- URIs ---------------------------------------------------------------------- */

static void uri_forms(void **state)
{
    (void)state;
    sipmsg_uri u;
    char *k;
    assert_int_equal(uri("sips:alice:secret@[2001:db8::10]:5061;transport=tcp;lr;maddr=239.1.1.1;ttl=15;user=phone;method=INVITE;x?subject=hi&priority=urgent", &u, &k), SIPMSG_OK);
    assert_int_equal(u.scheme_id, SIPMSG_SCHEME_SIPS);
    assert_slice(u.user, "alice");
    assert_slice(u.password, "secret");
    assert_slice(u.host, "[2001:db8::10]");
    assert_int_equal(u.host_type, SIPMSG_HOST_IPV6);
    assert_int_equal(u.port, 5061);
    assert_slice(u.transport, "tcp");
    assert_slice(u.maddr, "239.1.1.1");
    assert_slice(u.ttl, "15");
    assert_slice(u.user_param, "phone");
    assert_slice(u.method, "INVITE");
    assert_true(u.lr);
    assert_slice(u.headers, "subject=hi&priority=urgent");
    free(k);
    /* the ambiguous reference is an address without a port (RFC 5118) */
    assert_int_equal(uri("sip:[2001:db8::10:5070]", &u, &k), SIPMSG_OK);
    assert_slice(u.host, "[2001:db8::10:5070]");
    assert_int_equal(u.port, 0);
    free(k);
    assert_int_equal(uri("sip:[2001:db8::10]:5070", &u, &k), SIPMSG_OK);
    assert_int_equal(u.port, 5070);
    free(k);
    assert_int_equal(uri("sip:[::ffff:192.0.2.1]", &u, &k), SIPMSG_OK);
    free(k);
    /* escapes stay as written; a ';' in the user part (RFC 4475 semiuri) */
    assert_int_equal(uri("sip:user;par=u%40example.net@example.com", &u, &k), SIPMSG_OK);
    assert_slice(u.user, "user;par=u%40example.net");
    assert_slice(u.host, "example.com");
    char out[64];
    assert_int_equal(sipmsg_unescape(u.user, out, sizeof out), 22);
    assert_memory_equal(out, "user;par=u@example.net", 22);
    free(k);
    assert_int_equal(uri("sip:%61lice%00@atlanta.com", &u, &k), SIPMSG_OK);
    assert_slice(u.user, "%61lice%00");
    assert_int_equal(sipmsg_unescape(u.user, out, sizeof out), 6);
    assert_memory_equal(out, "alice\0", 6);
    assert_int_equal(sipmsg_unescape(u.user, out, 2), 6); /* snprintf contract */
    free(k);
    assert_int_equal(sipmsg_unescape(sipmsg_slice_of("a%4"), out, 8), (size_t)-1);
    assert_int_equal(sipmsg_unescape(sipmsg_slice_of("a%G1"), out, 8), (size_t)-1);
    /* tel and unknown schemes */
    assert_int_equal(uri("tel:+1-201-555-0123;phone-context=example.com", &u, &k), SIPMSG_OK);
    assert_int_equal(u.scheme_id, SIPMSG_SCHEME_TEL);
    assert_slice(u.user, "+1-201-555-0123");
    assert_slice(u.params, ";phone-context=example.com");
    free(k);
    assert_int_equal(uri("nobodyKnowsThisScheme:totallyopaquecontent", &u, &k), SIPMSG_OK);
    assert_int_equal(u.scheme_id, SIPMSG_SCHEME_OTHER);
    assert_slice(u.scheme, "nobodyKnowsThisScheme");
    assert_slice(u.opaque, "totallyopaquecontent");
    free(k);
    assert_int_equal(uri("soap.beep://192.0.2.103:3002", &u, &k), SIPMSG_OK);
    free(k);
    /* case-insensitive scheme, params without a value */
    assert_int_equal(uri("SIP:host.example.com;LR;Transport=UDP", &u, &k), SIPMSG_OK);
    assert_true(u.lr);
    assert_slice(u.transport, "UDP");
    assert_null(u.user.ptr);
    free(k);
}

static void uri_bad(void **state)
{
    (void)state;
    static const struct { const char *text; sipmsg_code code; } bad[] = {
        {"sip:", SIPMSG_E_HOST}, {"sip:@", SIPMSG_E_URI}, {"sip:/", SIPMSG_E_HOST},
        {"sip:@host", SIPMSG_E_URI}, {"sip:host:99999", SIPMSG_E_PORT},
        {"sip:host:0", SIPMSG_E_PORT}, {"sip:host:", SIPMSG_E_PORT},
        {"sip:host:12x", SIPMSG_E_URI}, {"sip:host:4294967297", SIPMSG_E_PORT},
        {"sip:[2001:db8::1", SIPMSG_E_HOST}, {"sip:[::1", SIPMSG_E_HOST},
        {"sip:2001:db8::1", SIPMSG_E_HOST}, {"sip:[1:2:3:4:5:6:7:8:9]", SIPMSG_E_HOST},
        {"sip:[1::2::3]", SIPMSG_E_HOST}, {"sip:[:]", SIPMSG_E_HOST},
        {"sip:a%", SIPMSG_E_URI}, {"sip:a%4@h", SIPMSG_E_URI}, {"sip:a%G1@h", SIPMSG_E_URI},
        {"sip:u@h;p=%", SIPMSG_E_PARAM}, {"sip:u@h;%4", SIPMSG_E_PARAM},
        {"sip:u@h?x=%G1", SIPMSG_E_URI}, {"sip:u@h;", SIPMSG_OK},
        {"sip:u@-bad-.com", SIPMSG_E_HOST}, {"sip:u@1.2.3.256", SIPMSG_E_HOST},
        {"sip:u@h b", SIPMSG_E_URI}, {"", SIPMSG_E_URI}, {"sip", SIPMSG_E_URI},
        {":x", SIPMSG_E_URI}, {"x:", SIPMSG_E_URI}, {"tel:", SIPMSG_E_URI},
        {"im:a b", SIPMSG_E_URI}, {"sip:u:p:q@h", SIPMSG_E_URI},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sipmsg_uri u;
        sipmsg_error err;
        char *k = tu_exact(bad[i].text, strlen(bad[i].text));
        sipmsg_code c =
            sipmsg_uri_parse(&u, (sipmsg_slice){k, strlen(bad[i].text)}, &err);
        sipmsg_code want = bad[i].code;
        if (c != want)
            fail_msg("URI \"%s\": code %d, want %d", bad[i].text, c, want);
        if (c)
            assert_true(err.offset <= strlen(bad[i].text));
        free(k);
    }
}

static int uri_eq(const char *a, const char *b)
{
    sipmsg_uri ua, ub;
    char *ka, *kb;
    assert_int_equal(uri(a, &ua, &ka), SIPMSG_OK);
    assert_int_equal(uri(b, &ub, &kb), SIPMSG_OK);
    int r = sipmsg_uri_equal(&ua, &ub);
    assert_int_equal(sipmsg_uri_equal(&ub, &ua), r);
    free(ka);
    free(kb);
    return r;
}

/* RFC 3261 section 19.1.4 and its examples */
static void uri_comparison(void **state)
{
    (void)state;
    assert_true(uri_eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
    assert_true(uri_eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
    assert_true(uri_eq("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5"));
    assert_true(uri_eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                       "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
    assert_true(uri_eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                       "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
    assert_false(uri_eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
    assert_false(uri_eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
    assert_false(uri_eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
    assert_false(uri_eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
    assert_false(uri_eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
    assert_false(uri_eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
    assert_false(uri_eq("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
    assert_false(uri_eq("sip:a@h", "sips:a@h"));
    assert_true(uri_eq("tel:+1-201-555-0123", "tel:+12015550123"));
    assert_false(uri_eq("tel:+12015550123", "tel:+12015550124"));
    assert_true(uri_eq("IM:x@y", "im:x@y"));
    assert_false(uri_eq("im:x@y", "im:X@y"));
}

/* ---- name-addr ------------------------------------------------------------------ */

static sipmsg_code na(const char *text, sipmsg_nameaddr *out)
{
    char *k = tu_exact(text, strlen(text));
    sipmsg_code c = sipmsg_nameaddr_parse(out, (sipmsg_slice){k, strlen(text)}, NULL);
    /* keep the slices valid for the caller: leak-free via a static ring */
    static char *ring[8];
    static int at;
    free(ring[at]);
    ring[at] = k;
    at = (at + 1) % 8;
    return c;
}

static void nameaddr_forms(void **state)
{
    (void)state;
    sipmsg_nameaddr a;
    assert_int_equal(na("\"J Rosenberg \\\\\\\"\" <sip:jdrosen@example.com>\r\n ;\r\n tag = 98asjd8", &a), SIPMSG_OK);
    assert_true(a.display_quoted);
    assert_slice(a.display, "J Rosenberg \\\\\\\"");
    assert_slice(a.tag, "98asjd8");
    assert_int_equal(na("Bob<sip:bob@biloxi.com>;tag=a6c85cf", &a), SIPMSG_OK);
    assert_slice(a.display, "Bob");
    assert_slice(a.tag, "a6c85cf");
    assert_int_equal(na("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>", &a), SIPMSG_OK);
    assert_slice(a.display, "token1~` token2'+_ token3*%!.-");
    assert_int_equal(na("\"a, b; <c>\" <sip:x@y;lr>;expires=60;q=0.5;Tag=T", &a), SIPMSG_OK);
    assert_slice(a.display, "a, b; <c>");
    assert_true(a.uri.lr);
    assert_slice(a.expires, "60");
    assert_slice(a.q, "0.5");
    assert_slice(a.tag, "T");
    assert_int_equal(na("<sip:x@y;maddr=h>", &a), SIPMSG_OK);
    assert_slice(a.uri.maddr, "h");
    assert_null(a.params.ptr);
    assert_int_equal(na("sip:x@y;maddr=h", &a), SIPMSG_OK);
    assert_null(a.uri.maddr.ptr); /* bare addr-spec: the header's param */
    assert_slice(a.params, ";maddr=h");
    assert_int_equal(na("*", &a), SIPMSG_OK);
    assert_true(a.star);
    assert_int_equal(na(" * ", &a), SIPMSG_OK);
    assert_int_equal(na("<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>", &a), SIPMSG_OK);
    assert_int_equal(a.uri.scheme_id, SIPMSG_SCHEME_OTHER);
    assert_int_equal(na("<sip:x@y>;flag;other=\"q;v\"", &a), SIPMSG_OK);
    sipmsg_param p;
    assert_true(sipmsg_param_find(a.params, "flag", &p));
    assert_null(p.value.ptr);
    assert_true(sipmsg_param_find(a.params, "OTHER", &p));
    assert_slice(p.value, "\"q;v\"");
    /* bad forms: errors, never crashes */
    static const struct { const char *t; sipmsg_code c; } bad[] = {
        {"", SIPMSG_E_NAME_ADDR}, {"<", SIPMSG_E_NAME_ADDR}, {"<>", SIPMSG_E_URI},
        {"\"", SIPMSG_E_QUOTE}, {"\"\"", SIPMSG_E_NAME_ADDR}, {"\"a\\", SIPMSG_E_QUOTE},
        {"<sip:>", SIPMSG_E_HOST}, {"<sip:x@y", SIPMSG_E_NAME_ADDR},
        {"<sip:x@y>;", SIPMSG_OK}, {"<sip:x@y>;tag=\"", SIPMSG_E_QUOTE},
        {"<sip:x@y>;=x", SIPMSG_E_PARAM}, {"<sip:x@y>;tag=", SIPMSG_E_PARAM},
        {"<sip:x@y> junk", SIPMSG_E_NAME_ADDR}, {"\"d\" sip:x@y", SIPMSG_E_NAME_ADDR},
        {"sip:x@y?Route=%3Csip:z%3E", SIPMSG_E_NAME_ADDR},
        {"Bell, Alexander <sip:a@b>", SIPMSG_E_URI},
        {"< sip:t.watson@example.org >", SIPMSG_E_URI}, {"* x", SIPMSG_E_NAME_ADDR},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sipmsg_code c = na(bad[i].t, &a);
        if (c != bad[i].c)
            fail_msg("name-addr \"%s\": code %d, want %d", bad[i].t, c, bad[i].c);
    }
}

/* ---- Via --------------------------------------------------------------------------- */

static sipmsg_code via(const char *text, sipmsg_via *v)
{
    static char *keep;
    free(keep);
    keep = tu_exact(text, strlen(text));
    return sipmsg_via_parse(v, (sipmsg_slice){keep, strlen(text)}, NULL);
}

static void via_forms(void **state)
{
    (void)state;
    sipmsg_via v;
    assert_int_equal(via("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8", &v), SIPMSG_OK);
    assert_slice(v.transport, "TCP");
    assert_slice(v.host, "spindle.example.com");
    assert_slice(v.branch, "z9hG4bK9ikj8");
    assert_int_equal(via("SIP/2.0/UDP [2001:db8::9:1]:5060;received=[2001:db8::9:255];branch=z9hG4bKas3-111", &v), SIPMSG_OK);
    assert_slice(v.host, "[2001:db8::9:1]");
    assert_int_equal(v.port, 5060);
    assert_slice(v.received, "[2001:db8::9:255]");
    assert_int_equal(via("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255", &v), SIPMSG_OK);
    assert_slice(v.received, "2001:db8::9:255");
    assert_int_equal(via("SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bKx", &v), SIPMSG_OK);
    assert_slice(v.transport, "WSS");
    assert_non_null(v.rport.ptr);
    assert_int_equal(v.rport.len, 0);
    assert_int_equal(via("SIP/2.0/UDP 10.0.0.1 : 5070 ;rport=5071;ttl=16;maddr=224.2.0.1", &v), SIPMSG_OK);
    assert_int_equal(v.port, 5070);
    assert_slice(v.rport, "5071");
    assert_slice(v.ttl, "16");
    assert_slice(v.maddr, "224.2.0.1");
    assert_int_equal(via("SIP/2.0/TLS-SCTP t3.example.com;branch=z9hG4bK", &v), SIPMSG_OK);
    assert_slice(v.transport, "TLS-SCTP");
    static const struct { const char *t; sipmsg_code c; } bad[] = {
        {"SIP/2.0/UDP :]", SIPMSG_E_HOST}, {"SIP/2.0/UDP [", SIPMSG_E_HOST},
        {"SIP/2.0/UDP ]", SIPMSG_E_HOST}, {"SIP/2.0/UDP ::1]", SIPMSG_E_HOST},
        {"SIP/2.0/UDP :5060", SIPMSG_E_HOST}, {"SIP/2.0/UDP h:99999", SIPMSG_E_PORT},
        {"SIP/2.0/UDP", SIPMSG_E_VIA}, {"SIP/2.0 h", SIPMSG_E_VIA}, {"SIP/2.0/UDPh", SIPMSG_E_VIA},
        {"SIP/2.0/UDP h;received=example.com", SIPMSG_E_VIA},
        {"SIP/2.0/UDP h;rport=70000", SIPMSG_E_VIA}, {"SIP/2.0/UDP h;ttl=256", SIPMSG_E_VIA},
        {"SIP/2.0/UDP h;branch", SIPMSG_E_VIA}, {"SIP/2.0/UDP h junk", SIPMSG_E_VIA},
        {"SIP/2.0/UDP h;branch=\"", SIPMSG_E_QUOTE}, {"", SIPMSG_E_VIA},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sipmsg_code c = via(bad[i].t, &v);
        if (c != bad[i].c)
            fail_msg("Via \"%s\": code %d, want %d", bad[i].t, c, bad[i].c);
    }
    assert_int_equal(via("", &v), SIPMSG_E_VIA);
}

static void many_vias(void **state)
{
    (void)state;
    /* 34 Via values over one line and several headers, in order */
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "OPTIONS sip:x@y SIP/2.0\r\nVia: ");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%sSIP/2.0/UDP h%d.example.com;branch=z9hG4bK%d",
                              i ? " ,\r\n " : "", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "\r\n");
    for (int i = 20; i < 34; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "v: SIP/2.0/TCP h%d.example.com\r\n", i);
    snprintf(text + n, sizeof text - n, "l: 0\r\n\r\n");
    sipmsg_error err;
    assert_int_equal(load_text(text, &err), SIPMSG_DONE);
    assert_slice(M.via.host, "h0.example.com");
    sipmsg_via_iter it;
    sipmsg_via v;
    int i = 0;
    sipmsg_via_iter_init(&it, &M);
    while (sipmsg_via_next(&it, &v, &err) == 1) {
        char want[32];
        snprintf(want, sizeof want, "h%d.example.com", i++);
        assert_slice(v.host, want);
    }
    assert_int_equal(i, 34);
}

/* ---- numbers ------------------------------------------------------------------------ */

static void numbers(void **state)
{
    (void)state;
    sipmsg_cseq c;
    assert_int_equal(sipmsg_cseq_parse(&c, (sipmsg_slice){"0009\r\n  INVITE", 14}, NULL),
                     SIPMSG_OK);
    assert_int_equal(c.seq, 9);
    assert_int_equal(c.method, SIPMSG_METHOD_INVITE);
    assert_int_equal(sipmsg_cseq_parse(&c, (sipmsg_slice){"4294967295 ACK", 14}, NULL),
                     SIPMSG_OK);
    assert_int_equal(c.seq, 4294967295u);
    assert_int_equal(sipmsg_cseq_parse(&c, (sipmsg_slice){"2147483648 X", 12}, NULL),
                     SIPMSG_OK);
    assert_int_equal(c.method, SIPMSG_METHOD_OTHER);
    sipmsg_error err;
    assert_int_equal(sipmsg_cseq_parse(&c, (sipmsg_slice){"4294967296 ACK", 14}, &err),
                     SIPMSG_E_CSEQ_NUMBER);
    assert_string_equal(err.msg, "bad CSeq: sequence number exceeds 2^32-1");
    assert_int_equal(
        sipmsg_cseq_parse(&c, (sipmsg_slice){"18446744073709551616 ACK", 24}, NULL),
        SIPMSG_E_CSEQ_NUMBER);
    assert_int_equal(sipmsg_cseq_parse(&c, (sipmsg_slice){"4294967328 ACK", 14}, NULL),
                     SIPMSG_E_CSEQ_NUMBER);
    static const char *const bad_cseq[] = {"", "1", "ACK", "-1 ACK", "+1 ACK", "0x1 ACK",
                                           "1ACK", "1 AC K", "1 INVITE,", " 1 "};
    for (size_t i = 0; i < sizeof bad_cseq / sizeof bad_cseq[0]; i++)
        assert_int_equal(sipmsg_cseq_parse(&c, sipmsg_slice_of(bad_cseq[i]), NULL),
                         SIPMSG_E_CSEQ);
    uint32_t v;
    assert_int_equal(sipmsg_max_forwards_parse((sipmsg_slice){"0068", 4}, &v), SIPMSG_OK);
    assert_int_equal(v, 68);
    assert_int_equal(sipmsg_max_forwards_parse((sipmsg_slice){"255", 3}, &v), SIPMSG_OK);
    assert_int_equal(sipmsg_max_forwards_parse((sipmsg_slice){"0", 1}, &v), SIPMSG_OK);
    assert_int_equal(v, 0);
    static const char *const bad_mf[] = {"256", "-5", "+5", "0x10", "", "4294967297", "1 2", "70, 71"};
    for (size_t i = 0; i < sizeof bad_mf / sizeof bad_mf[0]; i++)
        assert_int_equal(sipmsg_max_forwards_parse(sipmsg_slice_of(bad_mf[i]), &v),
                         SIPMSG_E_MAX_FORWARDS);
    assert_int_equal(sipmsg_expires_parse((sipmsg_slice){"4294967295", 10}, &v),
                     SIPMSG_OK);
    assert_int_equal(sipmsg_expires_parse((sipmsg_slice){"4294967296", 10}, &v),
                     SIPMSG_E_EXPIRES);
    assert_int_equal(sipmsg_expires_parse((sipmsg_slice){"18446744073709551616", 20}, &v),
                     SIPMSG_E_EXPIRES);
    assert_int_equal(sipmsg_expires_parse((sipmsg_slice){"2147483648", 10}, &v),
                     SIPMSG_OK);
    assert_int_equal(v, 2147483648u);
    assert_int_equal(sipmsg_call_id_check((sipmsg_slice){"a@b", 3}), SIPMSG_OK);
    const char *cid = "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{";
    assert_int_equal(sipmsg_call_id_check(sipmsg_slice_of(cid)), SIPMSG_OK);
    assert_int_equal(sipmsg_call_id_check((sipmsg_slice){"a@b@c", 5}), SIPMSG_E_CALL_ID);
    assert_int_equal(sipmsg_call_id_check((sipmsg_slice){"@b", 2}), SIPMSG_E_CALL_ID);
    assert_int_equal(sipmsg_call_id_check((sipmsg_slice){"a b", 3}), SIPMSG_E_CALL_ID);
    assert_int_equal(sipmsg_call_id_check((sipmsg_slice){"", 0}), SIPMSG_E_CALL_ID);
}

static void media_type_and_lists(void **state)
{
    (void)state;
    sipmsg_media_type mt;
    const char *t = "multipart/mixed ; boundary=\"7a9c;bec\" ;charset=utf-8";
    assert_int_equal(sipmsg_media_type_parse(&mt, sipmsg_slice_of(t), NULL), SIPMSG_OK);
    assert_slice(mt.type, "multipart");
    assert_slice(mt.subtype, "mixed");
    assert_slice(mt.boundary, "\"7a9c;bec\"");
    assert_slice(mt.charset, "utf-8");
    assert_int_equal(
        sipmsg_media_type_parse(&mt, (sipmsg_slice){"text / plain", 12}, NULL),
        SIPMSG_OK);
    assert_int_equal(sipmsg_media_type_parse(&mt, (sipmsg_slice){"text", 4}, NULL),
                     SIPMSG_E_CONTENT_TYPE);
    assert_int_equal(sipmsg_media_type_parse(&mt, (sipmsg_slice){"text/", 5}, NULL),
                     SIPMSG_E_CONTENT_TYPE);
    assert_int_equal(
        sipmsg_media_type_parse(&mt, (sipmsg_slice){"text/plain;", 11}, NULL), SIPMSG_OK);
    assert_int_equal(
        sipmsg_media_type_parse(&mt, (sipmsg_slice){"text/plain x", 12}, NULL),
        SIPMSG_E_CONTENT_TYPE);

    /* commas inside quotes, <> and comments do not split */
    const char *l = " a , \"b,c\" ,<sip:d,e>, (f,(g,h)) i,,j,";
    sipmsg_list_iter it;
    sipmsg_slice el;
    const char *want[] = {"a", "\"b,c\"", "<sip:d,e>", "(f,(g,h)) i", "j"};
    int n = 0;
    sipmsg_list_init(&it, sipmsg_slice_of(l));
    while (sipmsg_list_next(&it, &el, NULL) == 1)
        assert_slice(el, want[n++]);
    assert_int_equal(n, 5);
    assert_int_equal(it.empty, 2);
    sipmsg_error err;
    sipmsg_list_init(&it, sipmsg_slice_of("a, \"b"));
    assert_int_equal(sipmsg_list_next(&it, &el, &err), 1);
    assert_int_equal(sipmsg_list_next(&it, &el, &err), -1);
    assert_int_equal(err.code, SIPMSG_E_QUOTE);
    assert_int_equal(err.offset, 3);
    sipmsg_list_init(&it, sipmsg_slice_of("<a,b"));
    assert_int_equal(sipmsg_list_next(&it, &el, &err), -1);
    assert_int_equal(err.code, SIPMSG_E_LIST);
    sipmsg_list_init(&it, sipmsg_slice_of("(a\\"));
    assert_int_equal(sipmsg_list_next(&it, &el, &err), -1);

    /* parameters: LWS around ';' and '=', case-insensitive names */
    sipmsg_param_iter pi;
    sipmsg_param p;
    sipmsg_param_iter_init(&pi, sipmsg_slice_of(" ; A = 1 ;;b; c=\"x;y\""), 0);
    assert_int_equal(sipmsg_param_next(&pi, &p, NULL), 1);
    assert_slice(p.name, "A");
    assert_slice(p.value, "1");
    assert_int_equal(sipmsg_param_next(&pi, &p, NULL), 1);
    assert_slice(p.name, "b");
    assert_null(p.value.ptr);
    assert_int_equal(sipmsg_param_next(&pi, &p, NULL), 1);
    assert_slice(p.value, "\"x;y\"");
    assert_int_equal(sipmsg_param_next(&pi, &p, NULL), 0);
    assert_int_equal(pi.empty, 1);
    assert_true(sipmsg_param_find(sipmsg_slice_of(";a=1;TAG=z"), "tag", &p));
    assert_slice(p.value, "z");
    assert_false(sipmsg_param_find(sipmsg_slice_of(";a=1;tagx=z"), "tag", &p));
    /* a quote or ';' as the last byte */
    sipmsg_param_iter_init(&pi, sipmsg_slice_of(";a=\""), 0);
    assert_int_equal(sipmsg_param_next(&pi, &p, &err), -1);
    assert_int_equal(err.code, SIPMSG_E_QUOTE);
    sipmsg_param_iter_init(&pi, sipmsg_slice_of(";a;"), 0);
    assert_int_equal(sipmsg_param_next(&pi, &p, &err), 1);
    assert_int_equal(sipmsg_param_next(&pi, &p, &err), 0);
    assert_int_equal(pi.empty, 1);
}

/* ---- parse-time decoding failures ------------------------------------------------- */

/* The decoded top Via gives rport as a number, whether it was asked for
 * (";rport" with no value, RFC 3581 3), maddr and ttl (RFC 3261 18.2.2),
 * on the fast path (plain parameters) and the full one (maddr and ttl
 * always take the full parser; "; rport" with a space does too). */
static void top_via_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *via;
        int requested;
        uint32_t rport;
        const char *maddr;
        int ttl;
    } cases[] = {
        {"SIP/2.0/UDP h:5060;branch=z9hG4bKa;rport", 1, 0, NULL, -1},
        {"SIP/2.0/UDP h;rport=5061;branch=z9hG4bKa", 0, 5061, NULL, -1},
        {"SIP/2.0/UDP h;branch=z9hG4bKa ; rport", 1, 0, NULL, -1},
        {"SIP/2.0/UDP h;branch=z9hG4bKa;rport = 65535", 0, 65535, NULL, -1},
        {"SIP/2.0/UDP h;maddr=224.2.0.1;ttl=16;branch=z9hG4bKa", 0, 0, "224.2.0.1", 16},
        {"SIP/2.0/UDP h;ttl=0;branch=z9hG4bKa;rport", 1, 0, NULL, 0},
        {"SIP/2.0/UDP h;branch=z9hG4bKa", 0, 0, NULL, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "OPTIONS sip:x@y SIP/2.0\r\nVia: %s\r\nl: 0\r\n\r\n",
                 cases[i].via);
        assert_int_equal(load_text(text, NULL), SIPMSG_DONE);
        assert_int_equal(M.via.rport_requested, cases[i].requested);
        assert_int_equal(M.via.rport_port, cases[i].rport);
        assert_int_equal(M.via.ttl, cases[i].ttl);
        if (cases[i].maddr)
            assert_slice(M.via.maddr, cases[i].maddr);
        else
            assert_null(M.via.maddr.ptr);
    }
    /* no Via at all: nothing decoded, ttl absent */
    assert_int_equal(load_text("OPTIONS sip:x@y SIP/2.0\r\nl: 0\r\n\r\n", NULL), SIPMSG_DONE);
    assert_null(M.via.host.ptr);
    assert_int_equal(M.via.ttl, -1);
    assert_int_equal(M.via.rport_requested, 0);
}

static void parse_time_errors(void **state)
{
    (void)state;
    static const struct { const char *hdr; sipmsg_code code; const char *msg; } bad[] = {
        {"CSeq: 4294967296 OPTIONS", SIPMSG_E_CSEQ_NUMBER, "bad CSeq: sequence number exceeds 2^32-1"},
        {"CSeq: OPTIONS", SIPMSG_E_CSEQ, NULL},
        {"Max-Forwards: 256", SIPMSG_E_MAX_FORWARDS, NULL},
        {"Max-Forwards: -1", SIPMSG_E_MAX_FORWARDS, NULL},
        {"Call-ID: a b", SIPMSG_E_CALL_ID, NULL},
        {"Via: SIP/2.0/UDP h:99999", SIPMSG_E_PORT, NULL},
        {"Via: SIP/2.0/UDP :]", SIPMSG_E_HOST, NULL},
        {"From: \"unterminated <sip:a@b>", SIPMSG_E_QUOTE, NULL},
        {"To: <sip:a@b", SIPMSG_E_NAME_ADDR, NULL},
        {"c: text", SIPMSG_E_CONTENT_TYPE, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "OPTIONS sip:x@y SIP/2.0\r\nX-Pad: 1\r\n%s\r\nl: 0\r\n\r\n", bad[i].hdr);
        sipmsg_error err;
        sipmsg_result st = load_text(text, &err);
        if (st != SIPMSG_INVALID || err.code != bad[i].code)
            fail_msg("\"%s\": status %d code %d", bad[i].hdr, st, err.code);
        assert_int_equal(err.header, 1);
        assert_true(err.offset >= 35 && err.offset < 35 + strlen(bad[i].hdr));
        if (bad[i].msg)
            assert_string_equal(err.msg, bad[i].msg);
    }
    /* the CSeq error points at the number */
    sipmsg_error err;
    const char *cseq = "OPTIONS sip:x@y SIP/2.0\r\nCSeq:  99999999999 OPTIONS\r\n\r\n";
    assert_int_equal(load_text(cseq, &err), SIPMSG_INVALID);
    unsigned long line, col;
    sipmsg_linecol(BUF, strlen(cseq), err.offset, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
}

/* ---- validation ---------------------------------------------------------------- */

static void validation(void **state)
{
    (void)state;
    static const char base[] =
        "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
        "Max-Forwards: 70\r\n"
        "To: Bob <sip:bob@biloxi.com>\r\n"
        "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
        "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
        "CSeq: 314159 INVITE\r\n"
        "%s"
        "Content-Length: 0\r\n\r\n";
    static const struct { const char *extra; sipmsg_code code; } cases[] = {
        {"", SIPMSG_OK},
        {"Contact: <sip:alice@pc33.atlanta.com>;expires=3600;q=0.7\r\n", SIPMSG_OK},
        {"Contact: *\r\n", SIPMSG_OK},
        {"To: <sip:carol@x>\r\n", SIPMSG_E_DUPLICATE_HEADER},
        {"t: <sip:carol@x>\r\n", SIPMSG_E_DUPLICATE_HEADER},
        {"l: 0\r\n", SIPMSG_E_DUPLICATE_HEADER},
        {"i: other@x\r\n", SIPMSG_E_DUPLICATE_HEADER},
        {"Max-Forwards: 70\r\n", SIPMSG_E_DUPLICATE_HEADER},
        {"Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\r\n", SIPMSG_E_CONTACT},
        {"Contact: <sip:a@b>;expires=280297596632815\r\n", SIPMSG_E_CONTACT},
        {"Contact: <sip:a@b>;q=1.5\r\n", SIPMSG_E_CONTACT},
        {"Contact: *, <sip:a@b>\r\n", SIPMSG_E_CONTACT},
        {"Contact: <sip:a@b>;;x\r\n", SIPMSG_OK}, /* a warning only */
        {"Route: sip:proxy.example.com\r\n", SIPMSG_E_NAME_ADDR},
        {"Record-Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\n", SIPMSG_OK},
        {"Expires: 10000000000000\r\n", SIPMSG_E_EXPIRES},
        {"Event: \r\n", SIPMSG_E_HEADER_VALUE},
        {"Supported: 100rel,,timer\r\n", SIPMSG_E_EMPTY_ELEMENT},
        {"Require: a b\r\n", SIPMSG_E_LIST},
        {"Date: Fri, 01 Jan 2010 16:00:00 EST\r\n", SIPMSG_E_HEADER_VALUE},
        {"Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n", SIPMSG_OK},
        /* ";;" is a warning; the element ";" is not a via-parm */
        {"Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n", SIPMSG_E_VIA},
        {"Via: SIP/2.0/UDP 192.0.2.15,,SIP/2.0/UDP h2\r\n", SIPMSG_E_EMPTY_ELEMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, base, cases[i].extra);
        sipmsg_error err;
        assert_int_equal(load_text(text, &err), SIPMSG_DONE);
        sipmsg_code c = sipmsg_validate(&M, &err);
        if (c != cases[i].code)
            fail_msg("case %zu (%s): code %d (%s), want %d", i, cases[i].extra, c,
                     c ? err.msg : "", cases[i].code);
    }
}

static void validation_start_line(void **state)
{
    (void)state;
    static const struct { const char *text; sipmsg_code code; } cases[] = {
        {"OPTIONS sip:t.watson@example.org SIP/7.0\r\n", SIPMSG_E_VERSION_UNSUPPORTED},
        {"OPTIONS sip:t.watson@example.org SIP/65536.0\r\n", SIPMSG_E_VERSION_UNSUPPORTED},
        {"OPTIONS sip:t.watson@example.org SIP/2.00000000000000000001\r\n",
         SIPMSG_E_VERSION_UNSUPPORTED},
        {"INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0\r\n", SIPMSG_E_REQUEST_URI},
        {"INVITE sip:2001:db8::1 SIP/2.0\r\n", SIPMSG_E_REQUEST_URI},
        {"OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0\r\n", SIPMSG_E_CSEQ_METHOD},
        {"INVITE sip:[2001:db8::1] SIP/2.0\r\n", SIPMSG_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s"
                 "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nTo: <sip:a@b>\r\n"
                 "From: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n", cases[i].text);
        sipmsg_error err;
        assert_int_equal(load_text(text, &err), SIPMSG_DONE);
        sipmsg_code c = sipmsg_validate(&M, &err);
        if (c != cases[i].code)
            fail_msg("case %zu: code %d (%s), want %d", i, c, c ? err.msg : "", cases[i].code);
    }
    /* mandatory headers; a missing Max-Forwards is a warning (a proxy adds
     * one, RFC 3261 16.6 step 3), none at all for an RFC 2543 request */
    sipmsg_error err;
    sipmsg_finding f;
    assert_int_equal(load_text("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                               "To: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n", &err),
                     SIPMSG_DONE);
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);
    assert_int_equal(sipmsg_validate_all(&M, NULL, &f, 1), 1);
    assert_int_equal(f.code, SIPMSG_E_MISSING_HEADER);
    assert_int_equal(f.severity, SIPMSG_SEVERITY_WARNING);
    assert_string_equal(f.msg, "mandatory header missing: Max-Forwards (a proxy adds one)");
    assert_int_equal(load_text("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP iftgw.example.com\r\n"
                               "To: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n", &err),
                     SIPMSG_DONE);
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_OK);
    assert_int_equal(sipmsg_validate_all(&M, NULL, NULL, 0), 0);
    assert_int_equal(load_text("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nTo: <sip:a@b>\r\n"
                               "From: <sip:c@d>;tag=1\r\nCSeq: 1 INVITE\r\n\r\n", &err), SIPMSG_DONE);
    assert_int_equal(sipmsg_validate(&M, &err), SIPMSG_E_MISSING_HEADER);
    assert_string_equal(err.msg, "mandatory header missing: Call-ID");
}

/* Every text input is a slice; an absent one ({NULL, 0}) gives what the
 * old (NULL, 0) calls gave, error offsets included. */
static void absent_slices(void **state)
{
    (void)state;
    const sipmsg_slice none = {NULL, 0};
    sipmsg_error err;
    sipmsg_header tab[4];
    sipmsg_fields f;
    sipmsg_fields_init(&f, tab, 4);
    err.offset = 99;
    assert_int_equal(sipmsg_fields_parse(&f, none, 0, &err), SIPMSG_E_TRUNCATED);
    assert_int_equal(err.offset, 0);
    sipmsg_cpim c;
    sipmsg_cpim_init(&c, tab, 4);
    assert_int_equal(sipmsg_cpim_parse(&c, none, &err), SIPMSG_E_EMPTY);
    sipmsg_sdp_line lines[4];
    sipmsg_sdp_media media[1];
    sipmsg_sdp s;
    sipmsg_sdp_init(&s, lines, 4, media, 1);
    assert_int_equal(sipmsg_sdp_parse(&s, none, &err), SIPMSG_E_EMPTY);
    sipmsg_nameaddr na;
    err.offset = 99;
    assert_int_equal(sipmsg_nameaddr_parse(&na, none, &err), SIPMSG_E_NAME_ADDR);
    assert_int_equal(err.offset, 0);
    sipmsg_via v;
    assert_int_equal(sipmsg_via_parse(&v, none, NULL), SIPMSG_E_VIA);
    sipmsg_cseq cs;
    assert_int_equal(sipmsg_cseq_parse(&cs, none, NULL), SIPMSG_E_CSEQ);
    uint32_t u = 5;
    assert_int_equal(sipmsg_uint_parse(none, 10, &u, SIPMSG_E_PORT), SIPMSG_E_PORT);
    assert_int_equal(sipmsg_max_forwards_parse(none, &u), SIPMSG_E_MAX_FORWARDS);
    assert_int_equal(sipmsg_expires_parse(none, &u), SIPMSG_E_EXPIRES);
    assert_int_equal(u, 5);
    /* an absent Call-ID fails the check, as an empty one does */
    assert_int_equal(sipmsg_call_id_check(none), SIPMSG_E_CALL_ID);
    sipmsg_media_type mt;
    assert_int_equal(sipmsg_media_type_parse(&mt, none, NULL), SIPMSG_E_CONTENT_TYPE);
    sipmsg_event ev;
    assert_int_equal(sipmsg_event_parse(&ev, none, NULL), SIPMSG_E_HEADER_VALUE);
    assert_int_equal(sipmsg_hdr_lookup(none), SIPMSG_HDR_OTHER);
    assert_int_equal(sipmsg_method_lookup(none), SIPMSG_METHOD_OTHER);
    sipmsg_uri uri;
    assert_int_equal(sipmsg_uri_parse(&uri, none, NULL), SIPMSG_E_URI);
    assert_int_equal(
        load_text("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                  "X-A: 1\r\nContent-Length: 0\r\n\r\n",
                  &err),
        SIPMSG_DONE);
    assert_null(sipmsg_find_name(&M, none));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(seed_message_typed, teardown),
        cmocka_unit_test_teardown(seed_proxied_typed, teardown),
        cmocka_unit_test_teardown(seed_200_typed, teardown),
        cmocka_unit_test_teardown(seed_register_typed, teardown),
        cmocka_unit_test(uri_forms),
        cmocka_unit_test_teardown(absent_slices, teardown),
        cmocka_unit_test(uri_bad),
        cmocka_unit_test(uri_comparison),
        cmocka_unit_test(nameaddr_forms),
        cmocka_unit_test(via_forms),
        cmocka_unit_test_teardown(many_vias, teardown),
        cmocka_unit_test(numbers),
        cmocka_unit_test(media_type_and_lists),
        cmocka_unit_test_teardown(top_via_numbers, teardown),
        cmocka_unit_test_teardown(parse_time_errors, teardown),
        cmocka_unit_test_teardown(validation, teardown),
        cmocka_unit_test_teardown(validation_start_line, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
