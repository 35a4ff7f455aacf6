/*
 * fuzz_contact.c - Contact values through a message: the input is put in a
 * REGISTER as "Contact: <input>" (CRLFs in it make further headers), then
 * sipmsg_nameaddr_iter must walk exactly the values that sipmsg_list_next()
 * and sipmsg_nameaddr_parse() give header by header, and each value passes
 * the name-addr checks.
 */
#define FZ_NO_MAIN
#include "fuzz_nameaddr.c"

static sipmsg_header g_headers[256];

static const char head[] = "REGISTER sip:registrar.example SIP/2.0\r\nContact: ";
static const char tail[] = "\r\nm: <sip:last@example>;q=0.5\r\n\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t hl = sizeof head - 1, tl = sizeof tail - 1, len = hl + size + tl;
    char *buf = (char *)malloc(len);
    if (!buf)
        abort();
    memcpy(buf, head, hl);
    if (size)
        memcpy(buf + hl, data, size);
    memcpy(buf + hl + size, tail, tl);
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, g_headers, 256);
    if (sipmsg_parse(&m, buf, len, NULL, &err) != SIPMSG_DONE) {
        free(buf);
        return 0;
    }
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na, nb;
    sipmsg_nameaddr_iter_init(&it, &m, SIPMSG_HDR_CONTACT);
    int r = 1;
    size_t n = 0;
    for (const sipmsg_header *h = sipmsg_find(&m, SIPMSG_HDR_CONTACT); h && r == 1;
         h = sipmsg_find_next(&m, h)) {
        sipmsg_list_iter li;
        sipmsg_slice el;
        int lr;
        sipmsg_list_init(&li, h->value);
        while ((lr = sipmsg_list_next(&li, &el, &err)) == 1) {
            FZ_CHECK(fz_present_inside(el, h->value.ptr, h->value.len));
            sipmsg_code c = sipmsg_nameaddr_parse(&nb, el, &err);
            r = sipmsg_nameaddr_next(&it, &na, &err);
            if (c != SIPMSG_OK) {
                FZ_CHECK(r == -1);
                break;
            }
            FZ_CHECK(r == 1);
            n++;
            fz_nameaddr_check(&na, buf, len);
            FZ_CHECK(na.uri_text.ptr == nb.uri_text.ptr && na.uri_text.len == nb.uri_text.len);
            FZ_CHECK(na.star == nb.star && na.params.len == nb.params.len);
        }
        if (lr == -1) {
            r = sipmsg_nameaddr_next(&it, &na, &err);
            FZ_CHECK(r == -1);
        }
    }
    if (r == 1) /* every header walked: the iterator ends too */
        FZ_CHECK(sipmsg_nameaddr_next(&it, &na, &err) == 0);
    free(buf);
    return 0;
}
