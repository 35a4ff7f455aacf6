/*
 * process.c - the message loop: datagram or stream, with or without --lf,
 * and what is done with each message.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "sipcat.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The header table: sipmsg never allocates, the caller gives the storage. */
static sipmsg_header table[SIPMSG_DEFAULT_MAX_HEADERS];

/* ---- output and errors --------------------------------------------------- */

char *scratch(size_t size)
{
    static char *buf;
    static size_t cap;
    if (size == 0)
        size = 1;
    if (size > cap) {
        char *bigger = realloc(buf, size);
        if (!bigger)
            return NULL;
        buf = bigger;
        cap = size;
    }
    return buf;
}

int out_bytes(const char *p, size_t n)
{
    if (n && fwrite(p, 1, n, stdout) != n) {
        fprintf(stderr, "sipcat: write error: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

void report_at(const struct origin *o, size_t off, const char *kind,
               const char *fmt, ...)
{
    size_t raw = o->lf ? lf_raw_offset(o->lf, off) : off;
    unsigned long line, col;
    input_linecol(o->in, raw, &line, &col);
    fprintf(stderr, "%s:%lu:%lu: %s: ", o->in->path, line, col, kind);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* 1 when `hay` mentions the n bytes of `name` (ASCII case-insensitive). */
static int mentions(const char *hay, const char *name, size_t n)
{
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)name[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

void report_error(const struct origin *o, const sipmsg_msg *m,
                  const sipmsg_error *err)
{
    report_problem(o, m, err, "error");
}

void report_problem(const struct origin *o, const sipmsg_msg *m,
                    const sipmsg_error *err, const char *kind)
{
    const char *msg = err->msg ? err->msg : sipmsg_strerror(err->code);
    size_t off = err->offset;
    if (err->header < 0 || !m || (size_t)err->header >= m->count) {
        report_at(o, off, kind, "%s", msg);
        return;
    }
    sipmsg_slice name = m->headers[err->header].name;
    int n = (int)name.len;
    if (mentions(msg, name.ptr, name.len))
        report_at(o, off, kind, "%s", msg);
    else if (strncmp(msg, "bad ", 4) == 0)
        report_at(o, off, kind, "bad %.*s: %s", n, name.ptr, msg + 4);
    else
        report_at(o, off, kind, "bad %.*s: %s", n, name.ptr, msg);
}

/* ---- one message ---------------------------------------------------------- */

/* The offset of p in the parsed text, for report_at. */
static size_t at(const struct origin *o, const char *p)
{
    return (size_t)(p - o->text);
}

int handle(const sipmsg_msg *m, const struct origin *o,
           const struct options *opt)
{
    if (!filter_pass(m, opt)) /* --call-id, --method */
        return EXIT_OK;
    if (opt->strict) {
        sipmsg_error e;
        if (sipmsg_validate(m, &e) != SIPMSG_OK) {
            e.offset = at(o, m->buf + e.offset);
            report_error(o, m, &e);
            return EXIT_INVALID;
        }
    }
    switch (opt->act) {
    case ACT_CHECK: return edit_check(m, o, opt->canonical);
    case ACT_JSON: return json_message(m, o);
    case ACT_CANONICAL: return edit_canonical(m);
    case ACT_REPLY: return edit_reply(m, o, opt);
    case ACT_FORWARD: return edit_forward(m, o, opt);
    case ACT_UNVIA: return edit_unvia(m, o);
    default: /* unedited: the message is its own bytes */
        return out_bytes(m->buf, m->len);
    }
}

/* ---- datagram mode -------------------------------------------------------- */

/* Parses the whole input as one datagram (normalised first with --lf). */
static int parse_datagram(struct input *in, struct lf_buf *lf, sipmsg_msg *m,
                          struct origin *o, const struct options *opt)
{
    sipmsg_opts po = {SIPMSG_DATAGRAM, 0, 0, 0, 0};
    sipmsg_error err;
    if (input_fill_all(in) != 0)
        return -1;
    const char *data = input_data(in);
    size_t len = input_avail(in);
    o->in = in;
    o->cap = NULL; /* not a capture */
    o->lf = NULL;
    o->text = data;
    if (opt->lf) {
        if (lf_headers(lf, data, len, 1) == LF_NOMEM ||
            lf_append(lf, data, lf->raw_end, len - lf->raw_end) != 0)
            return -1;
        o->lf = lf;
        o->text = data = lf->text;
        len = lf->len;
    }
    if (sipmsg_parse(m, data, len, &po, &err) != SIPMSG_DONE) {
        report_error(o, m, &err);
        return EXIT_INVALID;
    }
    if (m->trailing)
        report_at(o, at(o, m->buf + m->len), "warning",
                  "%zu bytes after the declared body (Content-Length: %lld) ignored",
                  m->trailing, (long long)m->content_length);
    return EXIT_OK;
}

int load_datagram(struct input *in, struct lf_buf *lf, sipmsg_msg *m,
                  struct origin *o, const struct options *opt)
{
    int rc = parse_datagram(in, lf, m, o, opt);
    if (rc < 0) {
        fprintf(stderr, "sipcat: %s: %s\n", in->path,
                errno ? strerror(errno) : "out of memory");
        return EXIT_USAGE;
    }
    return rc;
}

static int run_datagram(struct input *in, const struct options *opt)
{
    struct lf_buf lf = {0};
    sipmsg_msg m;
    struct origin o;
    sipmsg_msg_init(&m, table, sizeof table / sizeof table[0]);
    int rc = load_datagram(in, &lf, &m, &o, opt);
    if (rc == EXIT_OK)
        rc = handle(&m, &o, opt);
    lf_free(&lf);
    return rc;
}

/* ---- stream mode ------------------------------------------------------------ */

static int read_error(const struct input *in)
{
    fprintf(stderr, "sipcat: %s: %s\n", in->path,
            errno ? strerror(errno) : "out of memory");
    return EXIT_USAGE;
}

/*
 * The next message of a CRLF stream. EXIT_OK with *used the bytes it took
 * (keep-alives included), or 0 at the end of the stream.
 */
static int next_plain(struct input *in, sipmsg_msg *m, struct origin *o,
                      size_t *used)
{
    sipmsg_opts po = {SIPMSG_STREAM, 0, 0, 0, 0};
    sipmsg_error err;
    for (;;) {
        const char *data = input_data(in);
        size_t len = input_avail(in);
        o->in = in;
        o->cap = NULL; /* not a capture */
        o->lf = NULL;
        o->text = data;
        sipmsg_result st = sipmsg_parse(m, data, len, &po, &err);
        if (st == SIPMSG_DONE) {
            *used = m->skipped + m->len;
            return EXIT_OK;
        }
        if (st == SIPMSG_INVALID) {
            report_error(o, m, &err);
            return EXIT_INVALID;
        }
        if (in->eof) {
            if (m->skipped == len)
                return EXIT_OK; /* only keep-alive CRLFs were left */
            report_at(o, len, "error", "the stream ends inside a message");
            return EXIT_INVALID;
        }
        /* INCOMPLETE: read at least what the parser knows it needs. */
        if (input_fill(in, len + (m->need ? m->need : 1)) != 0)
            return read_error(in);
    }
}

/* Normalises the next header block of an LF stream. EXIT_OK with
 * lf->len 0 at the end of the stream. */
static int lf_next_headers(struct input *in, struct lf_buf *lf)
{
    for (;;) {
        lf_status s = lf_headers(lf, input_data(in), input_avail(in), in->eof);
        if (s == LF_DONE)
            return EXIT_OK;
        if (s == LF_EMPTY) {
            lf->len = 0;
            return EXIT_OK;
        }
        if (s == LF_NOMEM || input_fill(in, input_avail(in) + 1) != 0)
            return read_error(in);
    }
}

/* As next_plain, for --lf: the header block is normalised, then the body
 * (Content-Length bytes) is appended as it is. */
static int next_lf(struct input *in, struct lf_buf *lf, sipmsg_msg *m,
                   struct origin *o, size_t *used)
{
    sipmsg_opts po = {SIPMSG_STREAM, 0, 0, 0, 0};
    sipmsg_error err;
    int rc = lf_next_headers(in, lf);
    if (rc != EXIT_OK || lf->len == 0)
        return rc;
    o->in = in;
    o->cap = NULL; /* not a capture */
    o->lf = lf;
    sipmsg_result st = sipmsg_parse(m, lf->text, lf->len, &po, &err);
    if (st == SIPMSG_INCOMPLETE && m->need > 0) {
        size_t need = m->need;
        if (input_fill(in, lf->raw_end + need) != 0)
            return read_error(in);
        if (input_avail(in) - lf->raw_end < need) {
            o->text = lf->text;
            report_at(o, lf->len, "error",
                      "the stream ends inside a body (Content-Length: %lld)",
                      (long long)m->content_length);
            return EXIT_INVALID;
        }
        if (lf_append(lf, input_data(in), lf->raw_end, need) != 0)
            return read_error(in);
        st = sipmsg_parse(m, lf->text, lf->len, &po, &err);
    }
    o->text = lf->text;
    if (st == SIPMSG_INVALID) {
        report_error(o, m, &err);
        return EXIT_INVALID;
    }
    if (st != SIPMSG_DONE) {
        report_at(o, lf->len, "error", "the stream ends inside a message");
        return EXIT_INVALID;
    }
    *used = lf->raw_end + (m->len - m->header_len);
    return EXIT_OK;
}

static int run_stream(struct input *in, const struct options *opt)
{
    struct lf_buf lf = {0};
    sipmsg_msg m;
    struct origin o;
    int rc = EXIT_OK;
    sipmsg_msg_init(&m, table, sizeof table / sizeof table[0]);
    for (;;) {
        size_t used = 0;
        int r = opt->lf ? next_lf(in, &lf, &m, &o, &used)
                        : next_plain(in, &m, &o, &used);
        if (r == EXIT_OK && used > 0)
            r = handle(&m, &o, opt);
        if (r != EXIT_OK && rc == EXIT_OK)
            rc = r;
        /* A message that does not parse ends the stream: its end is unknown. */
        if (used == 0 || r == EXIT_USAGE)
            break;
        input_consume(in, used);
    }
    lf_free(&lf);
    return rc;
}

int process_file(const char *path, const struct options *opt)
{
    struct input in;
    if (input_open(&in, path) != 0) {
        fprintf(stderr, "sipcat: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    errno = 0;
    int rc;
    if (capture_detect(&in, opt)) /* pcap, pcapng: pcap.c */
        rc = capture_run(&in, opt);
    else if ((rc = capture_plain_only(opt, path)) == EXIT_OK)
        rc = opt->stream ? run_stream(&in, opt) : run_datagram(&in, opt);
    input_close(&in);
    return rc;
}
