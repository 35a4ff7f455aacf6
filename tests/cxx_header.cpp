// The umbrella header must compile as C++ and link from C++.
#include <sipmsg.h>
#include <cstring>

int main()
{
    const char msg[] = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    sipmsg_header hdrs[8];
    sipmsg_msg m;
    sipmsg_msg_init(&m, hdrs, 8);
    sipmsg_error err;
    sipmsg_result st = sipmsg_parse(&m, msg, std::strlen(msg), nullptr, &err);
    return st == SIPMSG_DONE && m.method == SIPMSG_METHOD_OPTIONS ? 0 : 1;
}
