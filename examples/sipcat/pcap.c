/*
 * pcap.c - sipcat on packet captures: pcap and pcapng files read with
 * libpcap, packets decoded by capture.h's decoder, each SIP message parsed
 * and handled as a message of a file would be (--json, --check, --strict,
 * plain output), with the capture's frame, time, addresses and transport.
 * Also the filters (--call-id, --method), --dialog and --flow.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Built without libpcap (SIPCAT_HAVE_PCAP undefined), sipcat still knows a
 * capture by its magic number and says that it cannot read it.
 */
#if defined(SIPCAT_HAVE_PCAP) && defined(__linux__)
#define _GNU_SOURCE /* fopencookie: a capture on stdin */
#else
#define _POSIX_C_SOURCE 200809L
#endif
#include "sipcat.h"
#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef SIPCAT_HAVE_PCAP
#include <pcap/pcap.h>
#endif

/* ---- options -------------------------------------------------------------- */

/* A decimal number in [lo, hi]. 0 on success. */
static int cap_number(const char *s, unsigned long lo, unsigned long hi,
                      unsigned long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int cap_usage(const char *what, const char *arg)
{
    fprintf(stderr, "sipcat: %s%s\n", what, arg ? arg : "");
    fputs("Try 'sipcat --help'.\n", stderr);
    return EXIT_USAGE;
}

int capture_option(struct options *opt, const char *name, const char *eqval,
                   const char *next, int *took)
{
    struct cap_options *c = &opt->cap;
    static const struct {
        const char *name;
        size_t off;
    } flags[] = {{"--pcap", offsetof(struct cap_options, pcap)},
                 {"--frames", offsetof(struct cap_options, frames)},
                 {"--dialog", offsetof(struct cap_options, dialog)}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        if (strcmp(name, flags[i].name) == 0) {
            if (eqval)
                return cap_usage("no value goes with ", name);
            *(int *)((char *)c + flags[i].off) = 1;
            return EXIT_OK;
        }
    }
    if (strcmp(name, "--flow") == 0) { /* --flow or --flow=svg / =text */
        if (!eqval || strcmp(eqval, "text") == 0)
            c->flow = 1;
        else if (strcmp(eqval, "svg") == 0)
            c->flow = 2;
        else
            return cap_usage("--flow takes 'text' or 'svg', not ", eqval);
        return EXIT_OK;
    }
    static const struct {
        const char *name;
        unsigned long lo, hi;
        size_t off;
    } nums[] = {
        {"--port", 1, 65535, offsetof(struct cap_options, port)},
        {"--max-flows", 1, 1000000, offsetof(struct cap_options, max_flows)},
        {"--flow-buffer", 4096, 1UL << 30, offsetof(struct cap_options, flow_buffer)},
        {"--max-fragsets", 1, 100000, offsetof(struct cap_options, max_fragsets)},
        {"--timeout", 1, 86400, offsetof(struct cap_options, timeout)},
    };
    const char *v = eqval ? eqval : next;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (strcmp(name, nums[i].name) != 0)
            continue;
        if (!v)
            return cap_usage("missing value for ", name);
        unsigned long n;
        if (cap_number(v, nums[i].lo, nums[i].hi, &n) != 0) {
            char what[120];
            snprintf(what, sizeof what, "%s needs a number %lu-%lu, not ", name,
                     nums[i].lo, nums[i].hi);
            return cap_usage(what, v);
        }
        *(unsigned long *)((char *)c + nums[i].off) = n;
        *took = !eqval;
        return EXIT_OK;
    }
    if (strcmp(name, "--call-id") == 0 || strcmp(name, "--method") == 0) {
        if (!v)
            return cap_usage("missing value for ", name);
        if (name[2] == 'c')
            c->call_id = v;
        else
            c->method = v;
        *took = !eqval;
        return EXIT_OK;
    }
    return -1;
}

int capture_check(const struct options *opt)
{
    const struct cap_options *c = &opt->cap;
    if (c->flow && opt->act != ACT_PRINT)
        return cap_usage("--flow draws the ladder; it does not go with another action", NULL);
    if (c->flow && c->dialog)
        return cap_usage("--flow and --dialog do not go together", NULL);
    if (c->flow && c->frames)
        return cap_usage("--frames goes with the plain output, not --flow", NULL);
    if ((opt->act == ACT_AUTHORIZE) && (c->pcap || c->flow || c->dialog))
        return cap_usage("--authorize reads a message file, not a capture", NULL);
    return EXIT_OK;
}

/* ---- filters ---------------------------------------------------------------- */

static int slice_is(sipmsg_slice s, const char *text)
{
    size_t n = strlen(text);
    return s.ptr && s.len == n && memcmp(s.ptr, text, n) == 0;
}

int filter_pass(const sipmsg_msg *m, const struct options *opt)
{
    const struct cap_options *c = &opt->cap;
    if (c->call_id && !slice_is(m->call_id, c->call_id))
        return 0;
    /* --method M: the requests of M, and the responses whose CSeq names M. */
    if (c->method && !slice_is(m->is_request ? m->method_name : m->cseq_method_name,
                               c->method))
        return 0;
    return 1;
}

/* ---- magic numbers ------------------------------------------------------------ */

/* 1 when the bytes start a pcap (either byte order, micro- or nanosecond)
 * or pcapng file. */
static int capture_magic(const unsigned char *p, size_t n)
{
    static const unsigned char magics[][4] = {
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* pcap, us */
        {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* pcap, ns */
        {0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng SHB */
    };
    if (n < 4)
        return 0;
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (memcmp(p, magics[i], 4) == 0)
            return 1;
    return 0;
}

int capture_detect(struct input *in, const struct options *opt)
{
    if (opt->cap.pcap)
        return 1;
    if (input_fill(in, 4) != 0)
        return 0;
    return capture_magic((const unsigned char *)input_data(in), input_avail(in));
}

/* ---- records ------------------------------------------------------------------- */

/* What one run over a capture keeps. */
struct run {
    const struct options *opt;
    const char *path;
    int rc;
    unsigned long index;     /* SIP messages handed out so far */
    char *copy;              /* the message being handled */
    size_t cap;
    sipmsg_header table[SIPMSG_DEFAULT_MAX_HEADERS];
    struct ladder *ladder;   /* --flow */
    /* --dialog: every message kept until the end, then written by group */
    struct kept *kept;
    size_t nkept, keptcap;
    struct dlg *dlgs;
    size_t ndlgs, dlgcap;
};

struct kept {
    char *data;
    size_t len;
    struct capinfo ci;
    size_t dialog;  /* 0-based */
    size_t next;    /* the next message of the same dialog, or SIZE_MAX */
};

struct dlg {
    char *call_id;
    size_t call_id_len;
    char *tag[2];   /* the two tags; tag[1] NULL while only one is known */
    size_t tag_len[2];
    size_t first, last; /* kept[] indices */
};

#ifdef SIPCAT_HAVE_PCAP /* the rest of the capture path needs libpcap */

static void iso_time(long long sec, unsigned usec, char *out, size_t size)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof tm);
    snprintf(out, size, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
             (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, usec % 1000000u);
}

static void fill_info(struct capinfo *ci, const struct cap_record *r)
{
    static const char *const names[] = {"udp", "tcp", "ws"};
    memset(ci, 0, sizeof *ci);
    ci->frame = r->frame;
    ci->sec = r->sec;
    ci->usec = r->usec;
    iso_time(r->sec, r->usec, ci->time, sizeof ci->time);
    cap_endpoint_str(&r->src, ci->src, sizeof ci->src);
    cap_endpoint_str(&r->dst, ci->dst, sizeof ci->dst);
    ci->transport = names[r->transport];
}

/* A JSON string of plain text (our own messages and paths). */
static void json_plain(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* An error record as a JSON record (--json): code 0 is a capture
 * problem, others a sipmsg_code. */
static void json_error(struct run *x, const struct capinfo *ci, int code, const char *msg)
{
    fputs("{\"type\":\"error\",\"file\":", stdout);
    json_plain(x->path);
    if (ci) {
        printf(",\"frame\":%llu,\"time\":\"%s\",\"src\":", ci->frame, ci->time);
        json_plain(ci->src);
        fputs(",\"dst\":", stdout);
        json_plain(ci->dst);
        printf(",\"transport\":\"%s\"", ci->transport);
    }
    if (code)
        printf(",\"code\":%d", code);
    fputs(",\"message\":", stdout);
    json_plain(msg);
    fputs("}\n", stdout);
}

/* A capture problem: on stderr always, and as a record with --json. */
static void capture_error(struct run *x, const struct capinfo *ci, const char *msg)
{
    x->rc = EXIT_INVALID;
    if (ci)
        fprintf(stderr, "%s: frame %llu: %s -> %s %s: error: %s\n", x->path, ci->frame,
                ci->src, ci->dst, ci->transport, msg);
    else
        fprintf(stderr, "%s: error: %s\n", x->path, msg);
    if (x->opt->act == ACT_JSON)
        json_error(x, ci, 0, msg);
}

/* ---- --dialog -------------------------------------------------------------------- */

static int slice_eq(const char *p, size_t n, sipmsg_slice s)
{
    return p && s.ptr && s.len == n && memcmp(p, s.ptr, n) == 0;
}

static char *dup_slice(sipmsg_slice s)
{
    char *p = malloc(s.len + 1);
    if (p) {
        memcpy(p, s.ptr, s.len);
        p[s.len] = '\0';
    }
    return p;
}

/*
 * The dialog of a message: Call-ID and the From/To tags, either way round
 * (the callee's requests swap them). A message with one tag (an initial
 * INVITE, a 100 without To tag) joins the first dialog of its Call-ID
 * holding that tag; the first message with both tags completes a dialog
 * that knew only one. Returns the 0-based dialog, or SIZE_MAX when out of
 * memory.
 */
static size_t find_dialog(struct run *x, const sipmsg_msg *m)
{
    sipmsg_slice a = m->from_tag, b = m->to_tag;
    if (!a.ptr)
        a = b, b = (sipmsg_slice){NULL, 0};
    for (size_t i = 0; i < x->ndlgs; i++) {
        struct dlg *g = &x->dlgs[i];
        if (!slice_eq(g->call_id, g->call_id_len, m->call_id))
            continue;
        int a0 = slice_eq(g->tag[0], g->tag_len[0], a), a1 = slice_eq(g->tag[1], g->tag_len[1], a);
        int b0 = slice_eq(g->tag[0], g->tag_len[0], b), b1 = slice_eq(g->tag[1], g->tag_len[1], b);
        if (!a.ptr && !b.ptr && !g->tag[0])
            return i;
        if (a.ptr && !b.ptr && (a0 || a1))
            return i;
        if (a.ptr && b.ptr && ((a0 && b1) || (a1 && b0)))
            return i;
    }
    /* A dialog known by one tag that this message completes. */
    if (a.ptr && b.ptr) {
        for (size_t i = 0; i < x->ndlgs; i++) {
            struct dlg *g = &x->dlgs[i];
            if (!slice_eq(g->call_id, g->call_id_len, m->call_id) || g->tag[1])
                continue;
            sipmsg_slice other = slice_eq(g->tag[0], g->tag_len[0], a) ? b
                                 : slice_eq(g->tag[0], g->tag_len[0], b) ? a
                                                                           : (sipmsg_slice){NULL, 0};
            if (!other.ptr)
                continue;
            if (!(g->tag[1] = dup_slice(other)))
                return SIZE_MAX;
            g->tag_len[1] = other.len;
            return i;
        }
    }
    if (x->ndlgs == x->dlgcap) {
        size_t cap = x->dlgcap ? x->dlgcap * 2 : 16;
        struct dlg *bigger = realloc(x->dlgs, cap * sizeof *bigger);
        if (!bigger)
            return SIZE_MAX;
        x->dlgs = bigger;
        x->dlgcap = cap;
    }
    struct dlg *g = &x->dlgs[x->ndlgs];
    memset(g, 0, sizeof *g);
    sipmsg_slice cid = m->call_id.ptr ? m->call_id : (sipmsg_slice){"", 0};
    g->call_id = dup_slice(cid);
    g->call_id_len = cid.len;
    if (a.ptr) {
        g->tag[0] = dup_slice(a);
        g->tag_len[0] = a.len;
    }
    if (b.ptr) {
        g->tag[1] = dup_slice(b);
        g->tag_len[1] = b.len;
    }
    if (!g->call_id || (a.ptr && !g->tag[0]) || (b.ptr && !g->tag[1]))
        return SIZE_MAX;
    g->first = g->last = SIZE_MAX;
    return x->ndlgs++;
}

static int keep(struct run *x, const sipmsg_msg *m, const struct capinfo *ci)
{
    size_t g = find_dialog(x, m);
    if (g == SIZE_MAX)
        return -1;
    if (x->nkept == x->keptcap) {
        size_t cap = x->keptcap ? x->keptcap * 2 : 64;
        struct kept *bigger = realloc(x->kept, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        x->kept = bigger;
        x->keptcap = cap;
    }
    struct kept *k = &x->kept[x->nkept];
    k->data = malloc(m->len ? m->len : 1);
    if (!k->data)
        return -1;
    memcpy(k->data, m->buf, m->len);
    k->len = m->len;
    k->ci = *ci;
    k->dialog = g;
    k->next = SIZE_MAX;
    if (x->dlgs[g].last != SIZE_MAX)
        x->kept[x->dlgs[g].last].next = x->nkept;
    else
        x->dlgs[g].first = x->nkept;
    x->dlgs[g].last = x->nkept;
    x->nkept++;
    return 0;
}

/* ---- one message ------------------------------------------------------------------ */

/* Handles one message out of the capture: data[0, len) copied to x->copy. */
static int handle_one(struct run *x, const char *data, size_t len, struct capinfo *ci,
                      sipmsg_mode mode)
{
    const struct options *opt = x->opt;
    if (len > x->cap) {
        char *bigger = realloc(x->copy, len);
        if (!bigger) {
            capture_error(x, ci, "out of memory");
            return -1;
        }
        x->copy = bigger;
        x->cap = len;
    }
    memcpy(x->copy, data, len);
    /* Errors are located as FILE (frame N):LINE:COL inside the message. */
    char where[1200];
    snprintf(where, sizeof where, "%s (frame %llu)", x->path, ci->frame);
    struct input in;
    memset(&in, 0, sizeof in);
    in.path = where;
    in.buf = x->copy;
    in.cap = in.end = len;
    in.eof = 1;
    struct origin o;
    memset(&o, 0, sizeof o);
    o.in = &in;
    o.text = x->copy;
    o.cap = ci;
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_opts po = {mode, 0, 0, 0, 0};
    sipmsg_msg_init(&m, x->table, sizeof x->table / sizeof x->table[0]);
    if (sipmsg_parse(&m, x->copy, len, &po, &err) != SIPMSG_DONE) {
        report_error(&o, &m, &err);
        char msg[300];
        unsigned long line, col;
        sipmsg_linecol(x->copy, len, err.offset, &line, &col);
        snprintf(msg, sizeof msg, "%lu:%lu: %s", line, col,
                 err.msg ? err.msg : sipmsg_strerror(err.code));
        if (opt->act == ACT_JSON) /* stderr has it already */
            json_error(x, ci, (int)err.code, msg);
        x->rc = EXIT_INVALID;
        return 0;
    }
    if (!filter_pass(&m, opt))
        return 0;
    ci->index = x->index++;
    if (opt->cap.flow)
        return ladder_add(x->ladder, &m, ci) == 0 ? 0 : -1;
    if (opt->cap.dialog)
        return keep(x, &m, ci);
    if (opt->cap.frames && opt->act == ACT_PRINT)
        printf("# frame %llu %s %s -> %s %s\n", ci->frame, ci->time, ci->src, ci->dst,
               ci->transport);
    int r = handle(&m, &o, opt);
    if (r == EXIT_USAGE)
        return -1;
    if (r != EXIT_OK && x->rc == EXIT_OK)
        x->rc = r;
    if (opt->act == ACT_PRINT || opt->act == ACT_CANONICAL)
        putchar('\n'); /* a blank line between messages */
    return 0;
}

static int on_record(void *ctx, const struct cap_record *r)
{
    struct run *x = ctx;
    struct capinfo ci;
    fill_info(&ci, r);
    if (r->kind == CAP_ERROR) {
        capture_error(x, r->frame ? &ci : NULL, r->error);
        return 0;
    }
    return handle_one(x, r->data, r->len, &ci,
                      r->transport == CAP_UDP ? SIPMSG_DATAGRAM : SIPMSG_STREAM);
}

/* --dialog: the kept messages, dialog by dialog. */
static int write_dialogs(struct run *x)
{
    for (size_t g = 0; g < x->ndlgs; g++) {
        struct dlg *d = &x->dlgs[g];
        if (x->opt->act == ACT_PRINT)
            printf("# dialog %zu: Call-ID %s, tags %s%s%s\n", g + 1, d->call_id,
                   d->tag[0] ? d->tag[0] : "-", d->tag[1] ? ", " : "",
                   d->tag[1] ? d->tag[1] : "");
        for (size_t i = d->first; i != SIZE_MAX; i = x->kept[i].next) {
            struct kept *k = &x->kept[i];
            k->ci.dialog = g + 1;
            struct options o2 = *x->opt;
            o2.cap.dialog = 0;
            const struct options *saved = x->opt;
            x->opt = &o2;
            int r = handle_one(x, k->data, k->len, &k->ci,
                               strcmp(k->ci.transport, "udp") == 0 ? SIPMSG_DATAGRAM
                                                                   : SIPMSG_STREAM);
            x->opt = saved;
            if (r)
                return r;
        }
    }
    return 0;
}

static void run_free(struct run *x)
{
    for (size_t i = 0; i < x->nkept; i++)
        free(x->kept[i].data);
    for (size_t i = 0; i < x->ndlgs; i++) {
        free(x->dlgs[i].call_id);
        free(x->dlgs[i].tag[0]);
        free(x->dlgs[i].tag[1]);
    }
    free(x->kept);
    free(x->dlgs);
    free(x->copy);
    ladder_free(x->ladder);
}

/* ---- libpcap ------------------------------------------------------------------------ */


#if defined(__linux__)
/* stdin as a FILE for libpcap: first the bytes sipcat has read already
 * (to see the magic number), then the rest of stdin. */
static ssize_t replay_read(void *cookie, char *buf, size_t size)
{
    struct input *in = cookie;
    size_t have = input_avail(in);
    if (have) {
        size_t n = have < size ? have : size;
        memcpy(buf, input_data(in), n);
        input_consume(in, n);
        return (ssize_t)n;
    }
    return (ssize_t)fread(buf, 1, size, in->f);
}
#endif

static pcap_t *open_capture(struct input *in, char *errbuf)
{
    if (strcmp(in->path, "-") != 0)
        return pcap_open_offline_with_tstamp_precision(in->path, PCAP_TSTAMP_PRECISION_MICRO,
                                                       errbuf);
#if defined(__linux__)
    cookie_io_functions_t io = {replay_read, NULL, NULL, NULL};
    FILE *f = fopencookie(in, "r", io);
    if (!f) {
        snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
        return NULL;
    }
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!p)
        fclose(f);
    return p;
#else
    snprintf(errbuf, PCAP_ERRBUF_SIZE, "a capture on stdin: give it as a file");
    return NULL;
#endif
}

static int read_capture(struct run *x, struct input *in)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    errbuf[0] = '\0';
    pcap_t *pc = open_capture(in, errbuf);
    if (!pc) {
        fprintf(stderr, "sipcat: %s: not a capture libpcap can read: %s\n", x->path, errbuf);
        return EXIT_USAGE;
    }
    int link = pcap_datalink(pc);
    if (!cap_link_supported(link)) {
        const char *name = pcap_datalink_val_to_name(link);
        char msg[200];
        snprintf(msg, sizeof msg,
                 "link type %d (%s) is not read: sipcat reads Ethernet, Linux cooked "
                 "(SLL, SLL2), raw IP and BSD loopback captures",
                 link, name ? name : "unknown");
        capture_error(x, NULL, msg);
        pcap_close(pc);
        return x->rc;
    }
    const struct cap_options *c = &x->opt->cap;
    struct cap_limits lim = {c->max_flows, c->flow_buffer, 0, c->max_fragsets,
                             (unsigned)c->timeout, (unsigned)c->port};
    struct cap_decoder *d = cap_new(&lim, on_record, x);
    if (!d) {
        pcap_close(pc);
        fprintf(stderr, "sipcat: out of memory\n");
        return EXIT_USAGE;
    }
    struct pcap_pkthdr *h;
    const u_char *pkt;
    unsigned long long frame = 0;
    int r, stop = 0;
    while (!stop && (r = pcap_next_ex(pc, &h, &pkt)) == 1)
        stop = cap_packet(d, link, pkt, h->caplen, h->len, ++frame, (long long)h->ts.tv_sec,
                          (unsigned)h->ts.tv_usec);
    if (!stop && r == PCAP_ERROR) {
        char msg[PCAP_ERRBUF_SIZE + 64];
        snprintf(msg, sizeof msg, "after frame %llu: %s", frame, pcap_geterr(pc));
        capture_error(x, NULL, msg);
    }
    if (!stop)
        stop = cap_finish(d);
    cap_free(d);
    pcap_close(pc);
    if (!stop && c->dialog)
        stop = write_dialogs(x);
    if (!stop && c->flow)
        stop = ladder_write(x->ladder, c->flow == 2);
    return stop ? EXIT_USAGE : x->rc;
}

#endif /* SIPCAT_HAVE_PCAP */

int capture_run(struct input *in, const struct options *opt)
{
#ifdef SIPCAT_HAVE_PCAP
    struct run *x = calloc(1, sizeof *x);
    if (!x)
        return EXIT_USAGE;
    x->opt = opt;
    x->path = in->path;
    if (opt->cap.flow && !(x->ladder = ladder_new())) {
        free(x);
        return EXIT_USAGE;
    }
    int rc = read_capture(x, in);
    run_free(x);
    free(x);
    if (fflush(stdout) != 0)
        rc = EXIT_USAGE;
    return rc;
#else
    (void)opt;
    fprintf(stderr, "sipcat: %s: a packet capture (pcap/pcapng): this sipcat was built "
            "without capture support (libpcap); rebuild with libpcap-dev installed\n",
            in->path);
    return EXIT_USAGE;
#endif
}

int capture_plain_only(const struct options *opt, const char *path)
{
    if (opt->cap.flow || opt->cap.dialog || opt->cap.frames) {
        fprintf(stderr, "sipcat: %s: --flow, --dialog and --frames read captures "
                "(pcap, pcapng), and this file is not one\n", path);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
