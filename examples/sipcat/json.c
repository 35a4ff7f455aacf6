/*
 * json.c - --json: one JSON object per message (JSON Lines).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Everything comes from the parsed message: the quick fields decoded at
 * parse time (m->call_id, m->cseq ...), the header table, and the typed
 * parsers of uri.h and header.h run on header values. Values are printed
 * as written on the wire. A byte that is not part of valid UTF-8 becomes
 * U+FFFD, and a key holding such a value gets a sibling KEY_base64 with the
 * exact bytes (a header's value_base64), so nothing is lost.
 */
#include "sipcat.h"
#include "json_body.h"

#include <string.h>

/* ---- JSON scalars ----------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at p (2 to 4), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    size_t len;
    unsigned min;
    unsigned cp;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2, min = 0x80, cp = p[0] & 0x1fu;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        len = 3, min = 0x800, cp = p[0] & 0x0fu;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        len = 4, min = 0x10000, cp = p[0] & 0x07u;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Writes one byte that needs an escape. */
static void escape_byte(unsigned char c)
{
    switch (c) {
    case '"': fputs("\\\"", stdout); break;
    case '\\': fputs("\\\\", stdout); break;
    case '\n': fputs("\\n", stdout); break;
    case '\r': fputs("\\r", stdout); break;
    case '\t': fputs("\\t", stdout); break;
    default: printf("\\u%04x", c); break; /* control bytes */
    }
}

/*
 * Writes bytes as a JSON string. With `unquote`, quoted-pairs (\x) give
 * the byte they escape (a display name without its escapes).
 */
static void json_text(const char *s, size_t n, int unquote)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    putchar('"');
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            p++;
        fwrite(run, 1, (size_t)(p - run), stdout);
        if (p == end)
            break;
        if (unquote && *p == '\\' && p + 1 < end)
            p++;
        size_t u = *p >= 0x80 ? utf8_seq(p, (size_t)(end - p)) : 0;
        if (u) {
            fwrite(p, 1, u, stdout);
            p += u;
        } else if (*p >= 0x80) {
            fputs("\\ufffd", stdout), p++; /* not UTF-8: KEY_base64 has it */
        } else if (*p == 0x7f) {
            fputs("\\u007f", stdout), p++;
        } else if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
            putchar(*p++);
        } else {
            escape_byte(*p++);
        }
    }
    putchar('"');
}

void json_str(sipmsg_slice s)
{
    if (s.ptr)
        json_text(s.ptr, s.len, 0);
    else
        fputs("null", stdout);
}

/* 1 when the bytes are valid UTF-8. */
static int is_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        size_t u = *p >= 0x80 ? utf8_seq(p, (size_t)(end - p)) : 1;
        if (u == 0)
            return 0;
        p += u;
    }
    return 1;
}


/* `"name":"text"`, and `"name_base64":"..."` after it when the text is not
 * UTF-8 (the exact bytes; the text has U+FFFD for them). With `unquote`
 * the text is a display name without its escapes; the base64 form holds
 * the bytes as written. */
static void field(int *n, const char *name, sipmsg_slice s, int unquote)
{
    json_key(n, name);
    if (!s.ptr) {
        fputs("null", stdout);
        return;
    }
    json_text(s.ptr, s.len, unquote);
    if (!is_utf8(s.ptr, s.len)) {
        char b64[64];
        snprintf(b64, sizeof b64, "%s_base64", name);
        json_key(n, b64);
        json_base64(s);
    }
}

static void json_num(int present, unsigned long long v)
{
    if (present)
        printf("%llu", v);
    else
        fputs("null", stdout);
}

/* Writes `,"name":` (no comma for the first key of an object). */
void json_key(int *n, const char *name)
{
    printf("%s\"%s\":", (*n)++ ? "," : "", name);
}

/* ---- parts ---------------------------------------------------------------- */

/* {name: value-or-null} of a ;param list (uri.h flags). */
static void json_params(sipmsg_slice params, unsigned flags)
{
    sipmsg_param_iter it;
    sipmsg_param p;
    int n = 0;
    putchar('{');
    sipmsg_param_iter_init(&it, params, flags);
    while (params.ptr && sipmsg_param_next(&it, &p, NULL) == 1) {
        if (n++)
            putchar(',');
        json_str(p.name);
        putchar(':');
        json_str(p.value);
    }
    putchar('}');
}

/* A URI as {scheme, user, host, port, params}, or null when it does not
 * parse. */
static void json_uri(sipmsg_slice text)
{
    sipmsg_uri u;
    if (!text.ptr || sipmsg_uri_parse(&u, text, NULL) != SIPMSG_OK) {
        fputs("null", stdout);
        return;
    }
    int n = 0;
    putchar('{');
    json_key(&n, "scheme"), json_str(u.scheme);
    field(&n, "user", u.user, 0);
    json_key(&n, "host"), json_str(u.host);
    json_key(&n, "port"), json_num(u.port != 0, u.port);
    json_key(&n, "params"), json_params(u.params, SIPMSG_PARAMS_URI);
    putchar('}');
}

static void json_headers(const sipmsg_msg *m)
{
    putchar('[');
    for (size_t i = 0; i < m->count; i++) {
        int n = 0;
        fputs(i ? ",{" : "{", stdout);
        json_key(&n, "name"), json_str(m->headers[i].name);
        field(&n, "value", m->headers[i].value, 0);
        putchar('}');
    }
    putchar(']');
}

/* A typed value that does not parse is printed as null, with a warning. */
static void warn(const sipmsg_msg *m, const struct origin *o,
                 const sipmsg_error *err)
{
    sipmsg_error e = *err;
    e.offset = (size_t)(m->buf - o->text) + err->offset;
    report_problem(o, m, &e, "warning");
}

static void json_rport(sipmsg_slice r)
{
    uint32_t port;
    if (!r.ptr)
        fputs("null", stdout);
    else if (r.len == 0)
        fputs("true", stdout); /* ;rport without a value */
    else if (sipmsg_uint_parse(r, 65535, &port, SIPMSG_E_PORT) == SIPMSG_OK)
        printf("%u", (unsigned)port);
    else
        json_str(r);
}

static void json_via(const sipmsg_via *v)
{
    int n = 0;
    putchar('{');
    json_key(&n, "transport"), json_str(v->transport);
    json_key(&n, "host"), json_str(v->host);
    json_key(&n, "port"), json_num(v->port != 0, v->port);
    json_key(&n, "branch"), json_str(v->branch);
    json_key(&n, "received"), json_str(v->received);
    json_key(&n, "rport"), json_rport(v->rport);
    json_key(&n, "params"), json_params(v->params, 0);
    putchar('}');
}

/* A Via value that does not parse: {"error": {"message", "offset"}}, the
 * offset in the input file; with a warning on stderr. */
static void json_via_error(const sipmsg_msg *m, const struct origin *o,
                           const sipmsg_error *err)
{
    char msg[512];
    sipmsg_error e = *err;
    e.offset += (size_t)(m->buf - o->text); /* message-relative: origin text */
    report_problem(o, m, &e, "warning");
    snprintf(msg, sizeof msg, "%s", err->msg ? err->msg : sipmsg_strerror(err->code));
    int n = 0;
    fputs("{\"error\":{", stdout);
    json_key(&n, "message"), json_text(msg, strlen(msg), 0);
    json_key(&n, "offset"), printf("%llu", origin_offset(o, e.offset));
    fputs("}}", stdout);
}

/* Every Via value, top first, across headers and comma lists; a value that
 * does not parse is listed as an error and the walk goes on with the next
 * value (the rest of a list whose quotes or brackets do not close is one
 * error). null without Via. */
static void json_vias(const sipmsg_msg *m, const struct origin *o)
{
    const sipmsg_header *h = sipmsg_find(m, SIPMSG_HDR_VIA);
    int i = 0;
    if (!h) {
        fputs("null", stdout);
        return;
    }
    putchar('[');
    for (; h; h = sipmsg_find_next(m, h)) {
        sipmsg_list_iter it;
        sipmsg_slice el;
        sipmsg_error err;
        int r;
        sipmsg_list_init(&it, h->value);
        while ((r = sipmsg_list_next(&it, &el, &err)) != 0) {
            sipmsg_via v;
            if (i++)
                putchar(',');
            if (r < 0) { /* offset counts from the value */
                err.offset += (size_t)(h->value.ptr - m->buf);
            } else if (sipmsg_via_parse(&v, el, &err) == SIPMSG_OK) {
                json_via(&v);
                continue;
            } else {
                err.offset += (size_t)(el.ptr - m->buf);
            }
            err.header = (int)(h - m->headers);
            json_via_error(m, o, &err);
            if (r < 0)
                break;
        }
    }
    putchar(']');
}

/* The display name, without its quotes and escapes. */
static void json_display(int *n, const sipmsg_nameaddr *na)
{
    field(n, "display", na->display, na->display_quoted);
}

/* From or To as {display, uri, tag}. */
static void json_party(const sipmsg_msg *m, const struct origin *o,
                       sipmsg_hdr_id id)
{
    const sipmsg_header *h = sipmsg_find(m, id);
    sipmsg_nameaddr na;
    sipmsg_error err;
    if (!h) {
        fputs("null", stdout);
        return;
    }
    if (sipmsg_nameaddr_parse(&na, h->value, &err) != SIPMSG_OK) {
        err.header = (int)(h - m->headers);
        err.offset += (size_t)(h->value.ptr - m->buf);
        warn(m, o, &err);
        fputs("null", stdout);
        return;
    }
    int n = 0;
    putchar('{');
    json_display(&n, &na);
    field(&n, "uri", na.uri_text, 0);
    field(&n, "tag", na.tag, 0);
    putchar('}');
}

static void json_contact_value(const sipmsg_nameaddr *na)
{
    uint32_t expires;
    int has = na->expires.ptr && sipmsg_expires_parse(na->expires, &expires) == SIPMSG_OK;
    int n = 0;
    putchar('{');
    json_display(&n, na);
    field(&n, "uri", na->uri_text, 0);
    json_key(&n, "expires"), json_num(has, has ? expires : 0);
    json_key(&n, "q"), json_str(na->q);
    putchar('}');
}

/* Contact: "*", or every value across headers and comma lists. */
static void json_contacts(const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_nameaddr_iter it;
    sipmsg_nameaddr na;
    sipmsg_error err;
    int r, n = 0, star = 0;
    sipmsg_nameaddr_iter_init(&it, m, SIPMSG_HDR_CONTACT);
    while ((r = sipmsg_nameaddr_next(&it, &na, &err)) == 1)
        star |= n++ == 0 && na.star;
    if (r < 0 || n == 0 || star) {
        if (r < 0)
            warn(m, o, &err);
        fputs(star && r == 0 ? "\"*\"" : "null", stdout);
        return;
    }
    putchar('[');
    sipmsg_nameaddr_iter_init(&it, m, SIPMSG_HDR_CONTACT);
    for (int i = 0; sipmsg_nameaddr_next(&it, &na, NULL) == 1; i++) {
        if (i)
            putchar(',');
        json_contact_value(&na);
    }
    putchar(']');
}

/* ---- body ------------------------------------------------------------------- */

/* 1 when the body is UTF-8 text: no control bytes but HTAB, CR and LF. */
int json_is_text(sipmsg_slice b)
{
    const unsigned char *p = (const unsigned char *)b.ptr, *end = p + b.len;
    while (p < end) {
        size_t u = *p >= 0x80 ? utf8_seq(p, (size_t)(end - p)) : 1;
        if (u == 0 || (*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') ||
            *p == 0x7f)
            return 0;
        p += u;
    }
    return 1;
}

void json_base64(sipmsg_slice b)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)b.ptr;
    putchar('"');
    for (size_t i = 0; i < b.len; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < b.len)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < b.len)
            v |= p[i + 2];
        char q[4] = {digits[v >> 18], digits[(v >> 12) & 63],
                     i + 1 < b.len ? digits[(v >> 6) & 63] : '=',
                     i + 2 < b.len ? digits[v & 63] : '='};
        fwrite(q, 1, 4, stdout);
    }
    putchar('"');
}

/* "body" as text, or "body_base64" for a binary body (the other is null). */
void json_body_pair(int *n, sipmsg_slice body)
{
    int text = json_is_text(body);
    json_key(n, "body"), text ? json_str(body) : (void)fputs("null", stdout);
    json_key(n, "body_base64"), text ? (void)fputs("null", stdout) : json_base64(body);
}

/* ---- the message ------------------------------------------------------------ */

/* Where the record came from: "file", "offset" (of the message in its
 * input; null for a capture's message) and "index" (in its stream). */
static void json_where(int *n, const struct origin *o, size_t start)
{
    const char *path = o->in ? o->in->path : "-";
    json_key(n, "file"), json_text(path, strlen(path), 0);
    json_key(n, "offset");
    if (o->cap || !o->in)
        fputs("null", stdout);
    else
        printf("%llu", origin_offset(o, start));
    json_key(n, "index"), printf("%lu", o->cap ? o->cap->index : o->index);
}

static void json_start_line(int *n, const sipmsg_msg *m, const struct origin *o)
{
    static const sipmsg_slice none = {NULL, 0};
    int req = m->is_request;
    json_key(n, "type"), fputs(req ? "\"request\"" : "\"response\"", stdout);
    json_where(n, o, (size_t)(m->buf - o->text));
    json_key(n, "method"), json_str(req ? m->method_name : none);
    field(n, "request_uri", req ? m->request_uri : none, 0);
    json_key(n, "uri"), json_uri(req ? m->request_uri : none);
    json_key(n, "status"), json_num(!req, (unsigned long long)m->status_code);
    field(n, "reason", req ? none : m->reason, 0);
}

void json_error_record(const struct origin *o, size_t off, int code,
                       const char *msg)
{
    unsigned long line, col;
    size_t raw = o->lf ? lf_raw_offset(o->lf, off) : off;
    input_linecol(o->in, raw, &line, &col);
    int n = 0;
    putchar('{');
    json_key(&n, "type"), fputs("\"error\"", stdout);
    json_where(&n, o, o->start);
    json_key(&n, "error_offset"), printf("%llu", origin_offset(o, off));
    json_key(&n, "line"), printf("%lu", line);
    json_key(&n, "col"), printf("%lu", col);
    json_key(&n, "code");
    if (code >= 0)
        printf("%d", code);
    else
        fputs("null", stdout);
    json_key(&n, "message"), json_text(msg, strlen(msg), 0);
    fputs("}\n", stdout);
}

/* A message out of a capture: frame, time, src, dst, transport (and the
 * group with --dialog). */
static void json_capture(int *n, const struct capinfo *ci)
{
    if (!ci)
        return;
    json_key(n, "frame"), printf("%llu", ci->frame);
    json_key(n, "time"), json_text(ci->time, strlen(ci->time), 0);
    json_key(n, "src"), json_text(ci->src, strlen(ci->src), 0);
    json_key(n, "dst"), json_text(ci->dst, strlen(ci->dst), 0);
    json_key(n, "transport"), json_text(ci->transport, strlen(ci->transport), 0);
    if (ci->dialog)
        json_key(n, "dialog"), printf("%zu", ci->dialog);
}

int json_message(const sipmsg_msg *m, const struct origin *o)
{
    const sipmsg_header *ct = sipmsg_find(m, SIPMSG_HDR_CONTENT_TYPE);
    int has_cseq = sipmsg_find(m, SIPMSG_HDR_CSEQ) != NULL;
    int n = 0;
    putchar('{');
    json_capture(&n, o->cap);
    json_start_line(&n, m, o);
    json_key(&n, "headers"), json_headers(m);
    json_key(&n, "via"), json_vias(m, o);
    json_key(&n, "from"), json_party(m, o, SIPMSG_HDR_FROM);
    json_key(&n, "to"), json_party(m, o, SIPMSG_HDR_TO);
    field(&n, "call_id", m->call_id, 0);
    json_key(&n, "cseq");
    if (has_cseq) {
        int c = 0;
        putchar('{');
        json_key(&c, "seq"), json_num(1, m->cseq);
        json_key(&c, "method"), json_str(m->cseq_method_name);
        putchar('}');
    } else {
        fputs("null", stdout);
    }
    json_key(&n, "max_forwards"), json_num(m->max_forwards >= 0,
                                      (unsigned long long)m->max_forwards);
    json_key(&n, "contact"), json_contacts(m, o);
    field(&n, "content_type", ct ? ct->value : (sipmsg_slice){NULL, 0}, 0);
    json_key(&n, "content_length"), json_num(m->content_length >= 0,
                                        (unsigned long long)m->content_length);
    json_body_pair(&n, m->body);
    json_body_views(&n, m, o);
    fputs("}\n", stdout);
    return ferror(stdout) ? EXIT_USAGE : EXIT_OK;
}
