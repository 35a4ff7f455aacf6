/*
 * tcp_scanner - the shortest correct reader of a SIP byte stream (TCP or a
 * capture of one): frames messages in stream mode as bytes arrive and
 * prints one line per message.
 *
 *   tcp_scanner [FILE...]   (the files, or stdin, read as one stream)
 *
 * Each line: the stream offset, then "REQUEST method Request-URI" or
 * "RESPONSE status", the Call-ID and the CSeq. Keep-alive CRLFs (RFC 5626)
 * between messages are skipped. At the end, "N messages"; exits 1 on an
 * invalid message or a stream that ends inside one.
 */
#include <sipmsg.h>

#include <stdio.h>
#include <string.h>

#define CAP (1u << 20) /* the largest message: SIPMSG_DEFAULT_MAX_SIZE */

int main(int argc, char **argv)
{
    static char buf[CAP];
    size_t have = 0, offset = 0, count = 0;
    int arg = 1;
    FILE *in = argc > 1 ? fopen(argv[arg], "rb") : stdin;
    sipmsg_header hdrs[256];
    sipmsg_msg m;
    sipmsg_opts opts = {.mode = SIPMSG_STREAM};
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 256);

    while (in) {
        /* read a little at a time, as a socket delivers */
        size_t n = fread(buf + have, 1, CAP - have < 512 ? CAP - have : 512, in);
        if (n == 0) {
            if (in != stdin)
                fclose(in);
            in = ++arg < argc ? fopen(argv[arg], "rb") : NULL;
            if (n == 0 && !in)
                break;
            continue;
        }
        have += n;
        /* every whole message in the buffer */
        for (;;) {
            sipmsg_result r = sipmsg_parse(&m, buf, have, &opts, &err);
            if (r == SIPMSG_INCOMPLETE)
                break;
            if (r == SIPMSG_INVALID) {
                fprintf(stderr, "offset %zu: %s\n", offset + err.offset, err.msg);
                return 1;
            }
            size_t used = m.skipped + m.len;
            if (m.is_request)
                printf("%zu REQUEST %.*s %.*s", offset + m.skipped, (int)m.method_name.len,
                       m.method_name.ptr, (int)m.request_uri.len, m.request_uri.ptr);
            else
                printf("%zu RESPONSE %d", offset + m.skipped, m.status_code);
            printf(" Call-ID %.*s CSeq %u %.*s\n", (int)m.call_id.len, m.call_id.ptr, m.cseq,
                   (int)m.cseq_method_name.len, m.cseq_method_name.ptr);
            count++;
            memmove(buf, buf + used, have - used);
            have -= used;
            offset += used;
        }
        if (have == CAP) {
            fprintf(stderr, "offset %zu: message too large\n", offset);
            return 1;
        }
    }
    printf("%zu messages\n", count);
    /* only keep-alive CRLFs may remain */
    for (size_t i = 0; i < have; i++)
        if (buf[i] != '\r' && buf[i] != '\n') {
            fprintf(stderr, "offset %zu: stream ends inside a message\n", offset);
            return 1;
        }
    return 0;
}
