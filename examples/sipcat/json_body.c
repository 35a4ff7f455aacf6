/*
 * json_body.c - the --json keys for message bodies: "parts" (multipart),
 * "cpim" (message/cpim, application/cpim) and "sdp" (application/sdp),
 * read with sipmsg/body.h. Each key is always written: null when the
 * Content-Type is another one, or when the body does not parse (a warning
 * then says why, at its file position).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "json_body.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON scalars (as json.c writes them) ---------------------------------- */

/* The length of the valid UTF-8 sequence at p (2 to 4), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len;
    unsigned min, cp;
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

/* A string: printable ASCII as is, valid UTF-8 as is, the rest escaped
 * (bytes that are not UTF-8 as \u00XX). */
static void jstr(sipmsg_slice s)
{
    if (!s.ptr) {
        fputs("null", stdout);
        return;
    }
    const unsigned char *p = (const unsigned char *)s.ptr, *end = p + s.len;
    putchar('"');
    while (p < end) {
        unsigned char c = *p;
        size_t u = c >= 0x80 ? utf8_len(p, (size_t)(end - p)) : 0;
        if (u) {
            fwrite(p, 1, u, stdout);
            p += u;
            continue;
        }
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\r')
            fputs("\\r", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
        p++;
    }
    putchar('"');
}

static void jkey(int *n, const char *name)
{
    printf("%s\"%s\":", (*n)++ ? "," : "", name);
}

/* UTF-8 text with no control byte but HTAB, CR, LF. */
static int is_text(sipmsg_slice b)
{
    const unsigned char *p = (const unsigned char *)b.ptr, *end = p + b.len;
    while (p < end) {
        size_t u = *p >= 0x80 ? utf8_len(p, (size_t)(end - p)) : 1;
        if (u == 0 || (*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') || *p == 0x7f)
            return 0;
        p += u;
    }
    return 1;
}

static void jbase64(sipmsg_slice b)
{
    static const char d[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)b.ptr;
    putchar('"');
    for (size_t i = 0; i < b.len; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < b.len)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < b.len)
            v |= p[i + 2];
        char q[4] = {d[v >> 18], d[(v >> 12) & 63], i + 1 < b.len ? d[(v >> 6) & 63] : '=',
                     i + 2 < b.len ? d[v & 63] : '='};
        fwrite(q, 1, 4, stdout);
    }
    putchar('"');
}

/* "body" and "body_base64", one of them null. */
static void jbody(int *n, sipmsg_slice b)
{
    int text = is_text(b);
    jkey(n, "body"), text ? jstr(b) : (void)fputs("null", stdout);
    jkey(n, "body_base64"), text ? (void)fputs("null", stdout) : jbase64(b);
}

static void jheaders(const sipmsg_header *h, size_t count)
{
    putchar('[');
    for (size_t i = 0; i < count; i++) {
        int n = 0;
        fputs(i ? ",{" : "{", stdout);
        jkey(&n, "name"), jstr(h[i].name);
        jkey(&n, "value"), jstr(h[i].value);
        putchar('}');
    }
    putchar(']');
}

/* A body error as a warning at its file position (err->offset counts from
 * the body, or for a header's error, from the start of the message). */
static void warn_body(const sipmsg_msg *m, const struct origin *o, const sipmsg_error *err)
{
    sipmsg_error e = *err;
    const char *base = err->header >= 0 ? m->buf : m->body.ptr;
    e.offset = (size_t)(base - o->text) + err->offset;
    report_problem(o, m, &e, "warning");
}

/* ---- parts ------------------------------------------------------------------ */

#define PART_HEADERS 64

static void json_parts(const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_multipart_iter it;
    sipmsg_part part;
    sipmsg_header h[PART_HEADERS];
    sipmsg_error err;
    int r, count = 0;
    /* first pass: check the whole body, so that no partial array is written */
    if (sipmsg_multipart_init_msg(&it, m, &err) != SIPMSG_OK) {
        warn_body(m, o, &err);
        fputs("null", stdout);
        return;
    }
    sipmsg_fields_init(&part.headers, h, PART_HEADERS);
    while ((r = sipmsg_multipart_next(&it, &part, &err)) == 1)
        count++;
    if (r < 0) {
        warn_body(m, o, &err);
        fputs("null", stdout);
        return;
    }
    sipmsg_multipart_init_msg(&it, m, NULL);
    putchar('[');
    for (int i = 0; sipmsg_multipart_next(&it, &part, NULL) == 1; i++) {
        int n = 0;
        fputs(i ? ",{" : "{", stdout);
        jkey(&n, "content_type"), jstr(part.content_type);
        jkey(&n, "headers"), jheaders(h, part.headers.count);
        jbody(&n, part.body);
        putchar('}');
    }
    putchar(']');
}

/* ---- cpim ------------------------------------------------------------------- */

#define CPIM_HEADERS 128

static void json_cpim(const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_header h[CPIM_HEADERS];
    sipmsg_cpim c;
    sipmsg_error err;
    sipmsg_cpim_init(&c, h, CPIM_HEADERS);
    if (sipmsg_cpim_parse(&c, m->body.ptr, m->body.len, &err) != SIPMSG_OK) {
        warn_body(m, o, &err);
        fputs("null", stdout);
        return;
    }
    int n = 0;
    putchar('{');
    jkey(&n, "headers"), jheaders(c.headers.headers, c.headers.count);
    jkey(&n, "mime_headers"), jheaders(c.mime.headers, c.mime.count);
    jkey(&n, "content_type"), jstr(c.content_type);
    jbody(&n, c.content);
    putchar('}');
}

/* ---- sdp -------------------------------------------------------------------- */

static void jconn(int present, const sipmsg_sdp_conn *c)
{
    if (!present) {
        fputs("null", stdout);
        return;
    }
    int n = 0;
    putchar('{');
    jkey(&n, "nettype"), jstr(c->nettype);
    jkey(&n, "addrtype"), jstr(c->addrtype);
    jkey(&n, "address"), jstr(c->address);
    putchar('}');
}

/* [{name, value}] of the a= lines in [from, to). */
static void jattrs(const sipmsg_sdp *s, size_t from, size_t to)
{
    int i = 0;
    putchar('[');
    for (size_t k = from; k < to; k++) {
        const sipmsg_sdp_line *l = &s->lines[k];
        if (l->type != 'a')
            continue;
        int n = 0;
        fputs(i++ ? ",{" : "{", stdout);
        jkey(&n, "name"), jstr(l->name);
        jkey(&n, "value"), jstr(l->value);
        putchar('}');
    }
    putchar(']');
}

static void jmedia(const sipmsg_sdp *s, const sipmsg_sdp_media *md)
{
    int n = 0;
    putchar('{');
    jkey(&n, "media"), jstr(md->media);
    jkey(&n, "port"), printf("%u", (unsigned)md->port);
    jkey(&n, "count");
    if (md->count)
        printf("%u", (unsigned)md->count);
    else
        fputs("null", stdout);
    jkey(&n, "proto"), jstr(md->proto);
    jkey(&n, "formats");
    putchar('[');
    sipmsg_slice list = md->formats, f;
    for (int i = 0; sipmsg_sdp_format_next(&list, &f); i++) {
        if (i)
            putchar(',');
        jstr(f);
    }
    putchar(']');
    jkey(&n, "c"), jconn(md->has_conn, &md->conn);
    jkey(&n, "a"), jattrs(s, md->line + 1, md->line_end);
    putchar('}');
}

static void json_sdp(const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_sdp s;
    sipmsg_error err;
    /* a counting pass sizes the tables */
    sipmsg_sdp_init(&s, NULL, 0, NULL, 0);
    if (sipmsg_sdp_parse(&s, m->body.ptr, m->body.len, &err) != SIPMSG_OK) {
        warn_body(m, o, &err);
        fputs("null", stdout);
        return;
    }
    size_t nl = s.line_count, nm = s.media_count;
    sipmsg_sdp_line *lines = malloc(nl * sizeof *lines);
    sipmsg_sdp_media *media = malloc((nm ? nm : 1) * sizeof *media);
    sipmsg_sdp_init(&s, lines, nl, media, nm);
    if (!lines || !media || sipmsg_sdp_parse(&s, m->body.ptr, m->body.len, &err) != SIPMSG_OK) {
        fputs("null", stdout);
        free(lines);
        free(media);
        return;
    }
    int n = 0;
    putchar('{');
    jkey(&n, "v"), printf("%u", (unsigned)s.version);
    jkey(&n, "o");
    {
        int k = 0;
        putchar('{');
        jkey(&k, "username"), jstr(s.origin.username);
        jkey(&k, "sess_id"), jstr(s.origin.sess_id);
        jkey(&k, "sess_version"), jstr(s.origin.sess_version);
        jkey(&k, "nettype"), jstr(s.origin.nettype);
        jkey(&k, "addrtype"), jstr(s.origin.addrtype);
        jkey(&k, "address"), jstr(s.origin.address);
        putchar('}');
    }
    jkey(&n, "s"), jstr(s.name);
    jkey(&n, "c"), jconn(s.has_conn, &s.conn);
    jkey(&n, "t"), jstr(s.time);
    jkey(&n, "a"), jattrs(&s, 0, s.session_end);
    jkey(&n, "media");
    putchar('[');
    for (size_t i = 0; i < s.media_count; i++) {
        if (i)
            putchar(',');
        jmedia(&s, &media[i]);
    }
    putchar(']');
    /* every line in order, unknown types included: nothing is lost */
    jkey(&n, "lines");
    putchar('[');
    for (size_t i = 0; i < s.line_count; i++) {
        char t[1] = {lines[i].type};
        printf("%s[", i ? "," : "");
        jstr((sipmsg_slice){t, 1});
        putchar(',');
        jstr(lines[i].text);
        putchar(']');
    }
    putchar(']');
    putchar('}');
    free(lines);
    free(media);
}

/* ---- entry point ------------------------------------------------------------ */

void json_body_views(int *n, const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_body_kind kind = m->body.len ? sipmsg_msg_body_kind(m) : SIPMSG_BODY_NONE;
    jkey(n, "parts");
    if (kind == SIPMSG_BODY_MULTIPART)
        json_parts(m, o);
    else
        fputs("null", stdout);
    jkey(n, "cpim");
    if (kind == SIPMSG_BODY_CPIM)
        json_cpim(m, o);
    else
        fputs("null", stdout);
    jkey(n, "sdp");
    if (kind == SIPMSG_BODY_SDP)
        json_sdp(m, o);
    else
        fputs("null", stdout);
}
