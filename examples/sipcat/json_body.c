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

static void jheaders(const sipmsg_header *h, size_t count)
{
    putchar('[');
    for (size_t i = 0; i < count; i++) {
        int n = 0;
        fputs(i ? ",{" : "{", stdout);
        json_key(&n, "name"), json_str(h[i].name);
        json_key(&n, "value"), json_str(h[i].value);
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
        json_key(&n, "content_type"), json_str(part.content_type);
        json_key(&n, "headers"), jheaders(h, part.headers.count);
        json_body_pair(&n, part.body);
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
    if (sipmsg_cpim_parse(&c, m->body, &err) != SIPMSG_OK) {
        warn_body(m, o, &err);
        fputs("null", stdout);
        return;
    }
    int n = 0;
    putchar('{');
    json_key(&n, "headers"), jheaders(c.headers.headers, c.headers.count);
    json_key(&n, "mime_headers"), jheaders(c.mime.headers, c.mime.count);
    json_key(&n, "content_type"), json_str(c.content_type);
    json_body_pair(&n, c.content);
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
    json_key(&n, "nettype"), json_str(c->nettype);
    json_key(&n, "addrtype"), json_str(c->addrtype);
    json_key(&n, "address"), json_str(c->address);
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
        json_key(&n, "name"), json_str(l->name);
        json_key(&n, "value"), json_str(l->value);
        putchar('}');
    }
    putchar(']');
}

static void jmedia(const sipmsg_sdp *s, const sipmsg_sdp_media *md)
{
    int n = 0;
    putchar('{');
    json_key(&n, "media"), json_str(md->media);
    json_key(&n, "port"), printf("%u", (unsigned)md->port);
    json_key(&n, "count");
    if (md->count)
        printf("%u", (unsigned)md->count);
    else
        fputs("null", stdout);
    json_key(&n, "proto"), json_str(md->proto);
    json_key(&n, "formats");
    putchar('[');
    sipmsg_slice list = md->formats, f;
    for (int i = 0; sipmsg_sdp_format_next(&list, &f); i++) {
        if (i)
            putchar(',');
        json_str(f);
    }
    putchar(']');
    json_key(&n, "c"), jconn(md->has_conn, &md->conn);
    json_key(&n, "a"), jattrs(s, md->line + 1, md->line_end);
    putchar('}');
}

static void json_sdp(const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_sdp s;
    sipmsg_error err;
    /* a counting pass sizes the tables */
    sipmsg_sdp_init(&s, NULL, 0, NULL, 0);
    if (sipmsg_sdp_parse(&s, m->body, &err) != SIPMSG_OK) {
        warn_body(m, o, &err);
        fputs("null", stdout);
        return;
    }
    size_t nl = s.line_count, nm = s.media_count;
    sipmsg_sdp_line *lines = malloc(nl * sizeof *lines);
    sipmsg_sdp_media *media = malloc((nm ? nm : 1) * sizeof *media);
    sipmsg_sdp_init(&s, lines, nl, media, nm);
    if (!lines || !media || sipmsg_sdp_parse(&s, m->body, &err) != SIPMSG_OK) {
        fputs("null", stdout);
        free(lines);
        free(media);
        return;
    }
    int n = 0;
    putchar('{');
    json_key(&n, "v"), printf("%u", (unsigned)s.version);
    json_key(&n, "o");
    {
        int k = 0;
        putchar('{');
        json_key(&k, "username"), json_str(s.origin.username);
        json_key(&k, "sess_id"), json_str(s.origin.sess_id);
        json_key(&k, "sess_version"), json_str(s.origin.sess_version);
        json_key(&k, "nettype"), json_str(s.origin.nettype);
        json_key(&k, "addrtype"), json_str(s.origin.addrtype);
        json_key(&k, "address"), json_str(s.origin.address);
        putchar('}');
    }
    json_key(&n, "s"), json_str(s.name);
    json_key(&n, "c"), jconn(s.has_conn, &s.conn);
    json_key(&n, "t"), json_str(s.time);
    json_key(&n, "a"), jattrs(&s, 0, s.session_end);
    json_key(&n, "media");
    putchar('[');
    for (size_t i = 0; i < s.media_count; i++) {
        if (i)
            putchar(',');
        jmedia(&s, &media[i]);
    }
    putchar(']');
    /* every line in order, unknown types included: nothing is lost */
    json_key(&n, "lines");
    putchar('[');
    for (size_t i = 0; i < s.line_count; i++) {
        char t[1] = {lines[i].type};
        printf("%s[", i ? "," : "");
        json_str((sipmsg_slice){t, 1});
        putchar(',');
        json_str(lines[i].text);
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
    json_key(n, "parts");
    if (kind == SIPMSG_BODY_MULTIPART)
        json_parts(m, o);
    else
        fputs("null", stdout);
    json_key(n, "cpim");
    if (kind == SIPMSG_BODY_CPIM)
        json_cpim(m, o);
    else
        fputs("null", stdout);
    json_key(n, "sdp");
    if (kind == SIPMSG_BODY_SDP)
        json_sdp(m, o);
    else
        fputs("null", stdout);
}
