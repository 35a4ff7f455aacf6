/*
 * quickstart - the README's example, compiled: parse a message, read the
 * decoded fields, a header and the body, run the proxy step and write it.
 *
 *   quickstart [FILE]   (default: examples/messages/01-message.sip content)
 */
#include <sipmsg.h>

#include <stdio.h>
#include <string.h>

static const char seed_message[] =
    "MESSAGE sip:user2@domain.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse\r\n"
    "Max-Forwards: 70\r\n"
    "From: sip:user1@domain.com;tag=49583\r\n"
    "To: sip:user2@domain.com\r\n"
    "Call-ID: asd88asd77a@1.2.3.4\r\n"
    "CSeq: 1 MESSAGE\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 18\r\n"
    "\r\n"
    "user2, come here.\n";

int main(int argc, char **argv)
{
    static char file[65536];
    const char *buf = seed_message;
    size_t len = sizeof seed_message - 1;
    if (argc > 1) {
        FILE *f = fopen(argv[1], "rb");
        if (!f)
            return 2;
        len = fread(file, 1, sizeof file, f);
        fclose(f);
        buf = file;
    }

    sipmsg_header hdrs[64];           /* header table: capacity in, count out */
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 64);
    if (sipmsg_parse(&m, buf, len, NULL, &err) != SIPMSG_DONE) {
        unsigned long line, col;
        sipmsg_linecol(buf, len, err.offset, &line, &col);
        fprintf(stderr, "%lu:%lu: error: %s\n", line, col, err.msg);
        return 1;
    }
    printf("%s %.*s\n", m.is_request ? "request" : "response",
           (int)m.start_line.len, m.start_line.ptr);
    printf("top Via branch %.*s, CSeq %u %.*s, Call-ID %.*s\n",
           (int)m.via.branch.len, m.via.branch.ptr, m.cseq,
           (int)m.cseq_method_name.len, m.cseq_method_name.ptr,
           (int)m.call_id.len, m.call_id.ptr);
    const sipmsg_header *ct = sipmsg_find(&m, SIPMSG_HDR_CONTENT_TYPE);
    if (ct)
        printf("Content-Type %.*s\n", (int)ct->value.len, ct->value.ptr);
    printf("body %zu bytes\n", m.body.len);

    if (!m.is_request)
        return 0;
    /* the proxy step of the seed article: a new Via on top, received= on
     * the previous one, Max-Forwards minus one; no allocation */
    char arena_buf[1024], out[8192];
    sipmsg_arena arena;
    sipmsg_arena_init(&arena, arena_buf, sizeof arena_buf);
    sipmsg_edit_init(&m, &arena);
    sipmsg_forward f = {
        .via = sipmsg_slice_of("SIP/2.0/TCP proxy.domain.com;branch=z9hG4bK123dsghds"),
        .received = sipmsg_slice_of("1.2.3.4")};
    sipmsg_code c = sipmsg_proxy_forward(&m, &f);
    if (c == SIPMSG_E_TOO_MANY_HOPS) {
        puts("Max-Forwards is 0: answer 483 Too Many Hops");
        return 0;
    }
    if (c != SIPMSG_OK) {
        fprintf(stderr, "forward: %s\n", sipmsg_strerror(c));
        return 1;
    }
    size_t n = sipmsg_write(&m, out, sizeof out, 0);   /* snprintf contract */
    if (n > sizeof out)
        return 1;
    fwrite(out, 1, n, stdout);
    return 0;
}
