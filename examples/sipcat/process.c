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

/* The header table: sipmsg never allocates, the caller gives the storage
 * (header_capacity entries, allocated once per run). */
static sipmsg_header *table;
static size_t table_cap;

size_t header_capacity(const struct options *opt)
{
    return opt && opt->max_headers ? opt->max_headers : SIPMSG_DEFAULT_MAX_HEADERS;
}

sipmsg_opts parse_options(const struct options *opt, sipmsg_mode mode)
{
    sipmsg_opts po = {mode, opt->max_size, opt->max_line, opt->max_headers, 0};
    return po;
}

/* Makes the header table hold header_capacity entries. 0, or -1. */
static int table_ready(const struct options *opt)
{
    size_t want = header_capacity(opt);
    if (table && table_cap == want)
        return 0;
    sipmsg_header *t = realloc(table, want * sizeof *t);
    if (!t)
        return -1;
    table = t;
    table_cap = want;
    return 0;
}

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

unsigned long long origin_offset(const struct origin *o, size_t off)
{
    size_t raw = o->lf ? lf_raw_offset(o->lf, off) : off;
    return o->in->offset + raw;
}

/* The stderr line, and with --json the error record of an error (record:
 * 1) in stream order. code: a sipmsg_code, or -1. */
static void put_report(const struct origin *o, size_t off, const char *kind,
                       int code, int record, const char *msg)
{
    size_t raw = o->lf ? lf_raw_offset(o->lf, off) : off;
    unsigned long line, col;
    input_linecol(o->in, raw, &line, &col);
    fprintf(stderr, "%s:%lu:%lu: %s: %s\n", o->in->path, line, col, kind, msg);
    if (record && o->opt && o->opt->act == ACT_JSON)
        json_error_record(o, off, code, msg);
}

void report_at(const struct origin *o, size_t off, const char *kind,
               const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    put_report(o, off, kind, -1, strcmp(kind, "error") == 0, msg);
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

/* What to do about a limit or a framing error: the error's text with the
 * numbers and the option that helps, into buf; NULL when there is none. */
static const char *hint(const struct origin *o, const sipmsg_msg *m,
                        const sipmsg_error *err, const char *msg, char *buf,
                        size_t size)
{
    const struct options *opt = o->opt;
    switch (err->code) {
    case SIPMSG_E_BARE_LF:
        if (opt && opt->lf)
            return NULL;
        snprintf(buf, size, "%s (pasted text with bare LF line ends? try --lf)", msg);
        return buf;
    case SIPMSG_E_BODY_TRUNCATED: {
        /* the error is at the end of the text: what the body got */
        size_t body = (size_t)(m->buf - o->text) + m->header_len;
        snprintf(buf, size, "%s: %zu bytes for Content-Length: %lld", msg,
                 err->offset > body ? err->offset - body : 0,
                 (long long)m->content_length);
        return buf;
    }
    case SIPMSG_E_TRUNCATED:
        snprintf(buf, size, "%s (no blank line after the headers: cut short? "
                 "if the message is complete, add the empty line)", msg);
        return buf;
    case SIPMSG_E_LINE_TOO_LONG:
        snprintf(buf, size, "%s (over %zu bytes; raise the limit with --max-line)", msg,
                 opt && opt->max_line ? opt->max_line : SIPMSG_DEFAULT_MAX_LINE);
        return buf;
    case SIPMSG_E_TOO_MANY_HEADERS:
        snprintf(buf, size, "%s (over %zu; raise the limit with --max-headers)", msg,
                 header_capacity(opt));
        return buf;
    case SIPMSG_E_TOO_LARGE:
        snprintf(buf, size, "%s (over %zu bytes; raise the limit with --max-size)", msg,
                 opt && opt->max_size ? opt->max_size : SIPMSG_DEFAULT_MAX_SIZE);
        return buf;
    default:
        return NULL;
    }
}

/* The message of a library error: the header named, a hint added. */
static void problem_text(const struct origin *o, const sipmsg_msg *m,
                         const sipmsg_error *err, char *out, size_t size)
{
    const char *msg = err->msg ? err->msg : sipmsg_strerror(err->code);
    char hinted[1024];
    const char *h = m ? hint(o, m, err, msg, hinted, sizeof hinted) : NULL;
    if (h)
        msg = h;
    if (err->header < 0 || !m || (size_t)err->header >= m->count) {
        snprintf(out, size, "%s", msg);
        return;
    }
    sipmsg_slice name = m->headers[err->header].name;
    int n = (int)name.len;
    if (mentions(msg, name.ptr, name.len))
        snprintf(out, size, "%s", msg);
    else if (strncmp(msg, "bad ", 4) == 0)
        snprintf(out, size, "bad %.*s: %s", n, name.ptr, msg + 4);
    else
        snprintf(out, size, "bad %.*s: %s", n, name.ptr, msg);
}

void report_problem(const struct origin *o, const sipmsg_msg *m,
                    const sipmsg_error *err, const char *kind)
{
    char text[1200];
    problem_text(o, m, err, text, sizeof text);
    put_report(o, err->offset, kind, (int)err->code, strcmp(kind, "error") == 0, text);
}

/* ---- one message ---------------------------------------------------------- */

/* The offset of p in the parsed text, for report_at. */
static size_t at(const struct origin *o, const char *p)
{
    return (size_t)(p - o->text);
}

/* --strict: every finding on stderr; the first one that fails the message
 * (an error, or with --strict=warnings any finding) as the error record. */
struct strict_run {
    const sipmsg_msg *m;
    const struct origin *o;
    int level;
    int failed;
    sipmsg_error first;
    char first_text[1200];
};

static int strict_finding(void *ctx, const sipmsg_finding *f)
{
    struct strict_run *s = ctx;
    int error = f->severity == SIPMSG_SEVERITY_ERROR;
    sipmsg_error e = {f->code, f->header, at(s->o, s->m->buf + f->offset), f->msg};
    char text[1200];
    problem_text(s->o, s->m, &e, text, sizeof text);
    put_report(s->o, e.offset, error ? "error" : "warning", (int)f->code, 0, text);
    if (!s->failed && (error || s->level == STRICT_WARNINGS)) {
        s->failed = 1;
        s->first = e;
        snprintf(s->first_text, sizeof s->first_text, "%s", text);
    }
    return 0;
}

static int strict_check(const sipmsg_msg *m, const struct origin *o,
                        const struct options *opt)
{
    struct strict_run s;
    memset(&s, 0, sizeof s);
    s.m = m;
    s.o = o;
    s.level = opt->strict;
    sipmsg_validate_each(m, NULL, strict_finding, &s);
    if (!s.failed)
        return EXIT_OK;
    if (opt->act == ACT_JSON)
        json_error_record(o, s.first.offset, (int)s.first.code, s.first_text);
    return EXIT_INVALID;
}

int handle(const sipmsg_msg *m, const struct origin *o,
           const struct options *opt)
{
    if (!filter_pass(m, opt)) /* --call-id, --method */
        return EXIT_OK;
    if (opt->strict && strict_check(m, o, opt) != EXIT_OK)
        return EXIT_INVALID;
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

static int read_error(const struct input *in);

/* Parses the whole input as one datagram (normalised first with --lf). */
/* Input that is no SIP text at all: reported as what it is. */
static int not_sip(struct input *in, struct origin *o, const struct options *opt)
{
    const char *what = input_not_sip(in);
    if (!what)
        return EXIT_OK;
    o->in = in;
    o->text = input_data(in);
    /* an empty stream is a stream of no messages */
    if (opt->stream && input_avail(in) == 0) {
        report_at(o, 0, "warning", "%s", what);
        return -1;
    }
    report_at(o, 0, "error", "%s", what);
    return EXIT_INVALID;
}

static int parse_datagram(struct input *in, struct lf_buf *lf, sipmsg_msg *m,
                          struct origin *o, const struct options *opt)
{
    sipmsg_opts po = parse_options(opt, SIPMSG_DATAGRAM);
    sipmsg_error err;
    memset(o, 0, sizeof *o); /* o->cap NULL: not a capture */
    o->opt = opt;
    o->in = in;
    int rc = not_sip(in, o, opt);
    if (rc != EXIT_OK)
        return rc < 0 ? EXIT_OK : rc;
    if (input_fill_all(in) != 0)
        return -1;
    const char *data = input_data(in);
    size_t len = input_avail(in);
    o->text = data;
    if (opt->lf) {
        if (lf_headers(lf, data, len, 1) == LF_NOMEM ||
            lf_append(lf, data, lf->raw_end, len - lf->raw_end) != 0)
            return -1;
        o->lf = lf;
        o->text = data = lf->text;
        len = lf->len;
    }
    sipmsg_result st = sipmsg_parse(m, data, len, &po, &err);
    o->start = m->buf ? at(o, m->buf) : 0;
    if (st != SIPMSG_DONE) {
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
    if (table_ready(opt) != 0)
        return read_error(in);
    sipmsg_msg_init(&m, table, table_cap);
    int rc = load_datagram(in, &lf, &m, &o, opt);
    if (rc == EXIT_OK && m.buf)
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
                      size_t *used, const struct options *opt)
{
    sipmsg_opts po = parse_options(opt, SIPMSG_STREAM);
    sipmsg_error err;
    for (;;) {
        const char *data = input_data(in);
        size_t len = input_avail(in);
        o->in = in;
        o->cap = NULL; /* not a capture */
        o->lf = NULL;
        o->text = data;
        sipmsg_result st = sipmsg_parse(m, data, len, &po, &err);
        o->start = m->skipped;
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
                   struct origin *o, size_t *used, const struct options *opt)
{
    sipmsg_opts po = parse_options(opt, SIPMSG_STREAM);
    sipmsg_error err;
    int rc = lf_next_headers(in, lf);
    if (rc != EXIT_OK || lf->len == 0)
        return rc;
    o->in = in;
    o->cap = NULL; /* not a capture */
    o->lf = lf;
    o->text = lf->text;
    o->start = 0;
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
    memset(&o, 0, sizeof o);
    o.opt = opt;
    o.in = in;
    rc = not_sip(in, &o, opt);
    if (rc != EXIT_OK)
        return rc < 0 ? EXIT_OK : rc;
    if (table_ready(opt) != 0)
        return read_error(in);
    sipmsg_msg_init(&m, table, table_cap);
    for (unsigned long index = 0;; index++) {
        size_t used = 0;
        o.index = index;
        int r = opt->lf ? next_lf(in, &lf, &m, &o, &used, opt)
                        : next_plain(in, &m, &o, &used, opt);
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
