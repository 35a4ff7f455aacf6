/* Built against the installed library by tests/install_consumer.sh. */
#include <sipmsg.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char text[] = "MESSAGE sip:user2@domain.com SIP/2.0\r\n"
                               "CSeq: 1 MESSAGE\r\nContent-Length: 2\r\n\r\nhi";
    sipmsg_header hdrs[8];
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, hdrs, 8);
    if (sipmsg_parse(&m, text, sizeof text - 1, NULL, &err) != SIPMSG_DONE) {
        fprintf(stderr, "parse failed: %s\n", err.msg);
        return 1;
    }
    if (m.method != SIPMSG_METHOD_MESSAGE || m.body.len != 2 ||
        memcmp(m.body.ptr, "hi", 2) != 0)
        return 1;
    puts("consumer ok");
    return 0;
}
