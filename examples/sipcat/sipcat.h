/*
 * sipcat.h - the parts of sipcat, the sipmsg example workbench.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * main.c      options and dispatch
 * input.c     chunked reading of a file or stdin, positions for errors
 * lf.c        --lf: bare-LF header blocks normalised to CRLF
 * process.c   the message loop (datagram or stream) and per-message actions
 * json.c      --json
 * edit.c      --canonical, --reply, --forward, --unvia (sipmsg/write.h)
 * auth.c      --authorize (sipmsg/digest.h)
 * pcap.c      packet captures (libpcap), filters, --dialog; decode.c and
 *             reasm.c decode packets (capture.h); flow.c draws --flow
 */
#ifndef SIPCAT_H
#define SIPCAT_H

#include <sipmsg.h>

#include <stdio.h>

/* Exit codes. */
enum {
    EXIT_OK = 0,
    EXIT_INVALID = 1,  /* invalid input */
    EXIT_USAGE = 2,    /* bad options, unreadable file */
    EXIT_MISMATCH = 3, /* the round trip is not byte-exact */
    EXIT_HOPS = 4      /* --forward refused: 483 written instead */
};

/* What to do with each message. */
typedef enum action {
    ACT_PRINT = 0, /* write the message back (the default) */
    ACT_CHECK,     /* --check */
    ACT_JSON,      /* --json */
    ACT_CANONICAL, /* --canonical */
    ACT_REPLY,     /* --reply CODE */
    ACT_FORWARD,   /* --forward */
    ACT_UNVIA,     /* --unvia */
    ACT_AUTHORIZE  /* --authorize CHALLENGE_FILE */
} action;

/* Captures (pcap.c): options, all 0 by default. */
struct cap_options {
    int pcap;                    /* --pcap: every FILE is a capture */
    int frames;                  /* --frames: "# frame ..." before each message */
    int dialog;                  /* --dialog: records grouped by dialog */
    int flow;                    /* --flow: 1 text, 2 svg */
    const char *call_id, *method; /* --call-id, --method filters */
    unsigned long port;          /* --port */
    unsigned long max_flows, flow_buffer, max_fragsets, timeout; /* limits */
};

/* --strict levels */
enum { STRICT_OFF = 0, STRICT_ERRORS = 1, STRICT_WARNINGS = 2 };

struct options {
    action act;
    int stream, lf;
    int strict;                      /* STRICT_*: --strict, --strict=warnings */
    size_t max_size, max_line, max_headers; /* 0: the library's defaults */
    unsigned long rport;             /* --rport (with --forward; 0: none) */
    int canonical;                   /* --check --canonical */
    int reply_code;                  /* --reply */
    const char *reason, *to_tag;     /* --reason, --to-tag */
    const char *via, *received;      /* --via, --received */
    const char *challenge;           /* --authorize CHALLENGE_FILE */
    const char *user, *password;     /* --user, --password */
    const char *cnonce;              /* --cnonce */
    const char *branch;              /* --branch: the retry's new Via branch */
    unsigned long nc;                /* --nc (0: 1) */
    struct cap_options cap;          /* captures (pcap.c) */
};

/* ---- input.c ------------------------------------------------------------ */

/*
 * A file read in chunks. The unconsumed bytes are buf[start, end); only the
 * current message is kept, so memory stays flat however long the stream.
 * line/col locate buf[start] in the file, for error positions.
 */
struct input {
    const char *path;
    FILE *f;
    char *buf;
    size_t cap, start, end;
    int eof;
    unsigned long line; /* LFs consumed before buf[start] */
    unsigned long col;  /* bytes consumed since the last of them */
    unsigned long long offset; /* bytes consumed before buf[start] */
};

int input_open(struct input *in, const char *path);
void input_close(struct input *in);
/* Reads until at least `want` bytes are unconsumed, or EOF. -1 on error. */
int input_fill(struct input *in, size_t want);
/* Reads the whole rest of the file. -1 on error. */
int input_fill_all(struct input *in);
/* The unconsumed bytes. */
const char *input_data(const struct input *in);
size_t input_avail(const struct input *in);
/* Drops n unconsumed bytes (the caller is done with them). */
void input_consume(struct input *in, size_t n);
/* Line and column (1-based) of unconsumed byte `off`. */
void input_linecol(const struct input *in, size_t off, unsigned long *line,
                   unsigned long *col);
/* NULL when the input may be SIP text; else what it is instead ("gzip
 * data", "an empty file"). Reads the first bytes. */
const char *input_not_sip(struct input *in);

/* ---- lf.c --------------------------------------------------------------- */

/* A stretch of normalised text copied from the input. */
struct lf_seg {
    size_t norm, raw, len;
};

/*
 * The normalised copy of one message's header block, with the map back to
 * the raw offsets (for error positions).
 */
struct lf_buf {
    char *text;
    size_t len, cap;
    struct lf_seg *segs;
    size_t nsegs, segcap;
    size_t skipped; /* raw: blank lines before the start line */
    size_t raw_end; /* raw: where the header block ended (the body starts) */
};

typedef enum lf_status { LF_DONE, LF_MORE, LF_EMPTY, LF_NOMEM } lf_status;

/* Normalises the header block at the start of raw[0, len). at_eof: no more
 * input follows. LF_MORE: read more and call again. LF_EMPTY: only blank
 * lines. */
lf_status lf_headers(struct lf_buf *b, const char *raw, size_t len, int at_eof);
/* Appends raw bytes verbatim (the body). 0, or -1 when out of memory. */
int lf_append(struct lf_buf *b, const char *raw, size_t rawoff, size_t len);
/* The raw offset of normalised offset n. */
size_t lf_raw_offset(const struct lf_buf *b, size_t n);
void lf_free(struct lf_buf *b);

/* ---- process.c ---------------------------------------------------------- */

/* Where a message came from, to report errors at file positions. */
struct origin {
    const struct input *in;
    const struct lf_buf *lf; /* --lf: the map to raw offsets; else NULL */
    const char *text;        /* what sipmsg_parse was given */
    const struct capinfo *cap; /* a message out of a capture, else NULL */
    const struct options *opt; /* for hints and --json error records; may be NULL */
    size_t start;            /* offset in text of the message (file offset
                                of the record: see origin_offset) */
    unsigned long index;     /* the message's position in its stream */
};

/* The byte offset in the input file of byte `off` of origin->text. */
unsigned long long origin_offset(const struct origin *o, size_t off);

/* Prints "FILE:LINE:COL: KIND: MESSAGE" for byte `off` of origin->text. */
void report_at(const struct origin *o, size_t off, const char *kind,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Reports a library error (err->offset counting from origin->text): names
 * the header, when known, and the problem, with a hint when there is one.
 * With --json, an error also gives an error record on stdout. */
void report_error(const struct origin *o, const sipmsg_msg *m,
                  const sipmsg_error *err);
/* The same with another kind ("warning"). */
void report_problem(const struct origin *o, const sipmsg_msg *m,
                    const sipmsg_error *err, const char *kind);

/* Reads and parses a whole file as one datagram (normalised with --lf)
 * into m (initialised by the caller). Returns an exit code. */
int load_datagram(struct input *in, struct lf_buf *lf, sipmsg_msg *m,
                  struct origin *o, const struct options *opt);

/* Does what the options say with one parsed message (--strict, then the
 * action). Returns an exit code. */
int handle(const sipmsg_msg *m, const struct origin *o, const struct options *opt);

/* Runs the options over every message of one file. Returns an exit code. */
int process_file(const char *path, const struct options *opt);

/* A growable output buffer, reused across messages. */
char *scratch(size_t size);

/* Writes bytes to stdout. 0, or EXIT_USAGE on an output error. */
int out_bytes(const char *p, size_t n);

/* The header table size and the parse options (--max-*). */
size_t header_capacity(const struct options *opt);
sipmsg_opts parse_options(const struct options *opt, sipmsg_mode mode);

/* ---- json.c ------------------------------------------------------------- */
/* The JSON scalars every --json writer shares (json_body.c too): a string
 * (valid UTF-8 as is, other bytes as U+FFFD; null for an absent slice),
 * the base64 of bytes, `,"name":` (*n counts the keys of the object), and
 * whether bytes are UTF-8 text with no control byte but HTAB, CR, LF. */
void json_str(sipmsg_slice s);
void json_base64(sipmsg_slice b);
void json_key(int *n, const char *name);
int json_is_text(sipmsg_slice b);
/* "body" as text, or "body_base64" for binary bytes (the other is null). */
void json_body_pair(int *n, sipmsg_slice body);

/* Writes the message as one JSON line. */
int json_message(const sipmsg_msg *m, const struct origin *o);
/* Writes the error record of a message that failed ({"type":"error",...}):
 * `off` locates the error in origin->text; code is a sipmsg_code, or -1
 * (null) for an error of sipcat's own. */
void json_error_record(const struct origin *o, size_t off, int code,
                       const char *msg);

/* ---- edit.c ------------------------------------------------------------- */

int edit_canonical(const sipmsg_msg *m);
/* --check: 0, or EXIT_MISMATCH when the writer's output (canonical with
 * `canonical`) differs from the parsed bytes. */
int edit_check(const sipmsg_msg *m, const struct origin *o, int canonical);
int edit_reply(const sipmsg_msg *m, const struct origin *o,
               const struct options *opt);
int edit_forward(const sipmsg_msg *m, const struct origin *o,
                 const struct options *opt);
int edit_unvia(const sipmsg_msg *m, const struct origin *o);
/* "--STEP needs a request/response, not a ...": the one form for a step
 * that does not apply to the message. Returns EXIT_INVALID. */
int step_needs(const struct origin *o, const sipmsg_msg *m, const char *step,
               int request);
/* Writes a built or edited message to stdout. */
int write_msg(const sipmsg_msg *m, unsigned flags);
/* Random bytes from /dev/urandom (a sipmsg_random_fn). */
int random_bytes(void *ctx, unsigned char *out, size_t n);

/* ---- auth.c ------------------------------------------------------------- */

/* --authorize: the retried request for request_path. Returns an exit code. */
int authorize(const char *request_path, const struct options *opt);

/* ---- pcap.c, flow.c ------------------------------------------------------- */

/* Where a message out of a capture came from. */
struct capinfo {
    unsigned long long frame; /* 1-based packet number */
    long long sec;
    unsigned usec;
    char time[32];            /* ISO 8601 UTC, microseconds */
    char src[48], dst[48];    /* ip:port, [v6]:port */
    const char *transport;    /* "udp", "tcp", "ws" */
    unsigned long index;      /* 0-based, among the messages handled */
    size_t dialog;            /* --dialog: 1-based group, else 0 */
};

/* A capture option (--pcap, --port N ...): value from "--name=value"
 * (eqval) or the next argument (next, then *took = 1). -1 when `name` is
 * not one; else an exit code. */
int capture_option(struct options *opt, const char *name, const char *eqval,
                   const char *next, int *took);
/* Options that do not go together. An exit code. */
int capture_check(const struct options *opt);
/* 1 when the input is a capture (its magic number, or --pcap). */
int capture_detect(struct input *in, const struct options *opt);
/* Reads a capture and handles its SIP messages. An exit code. */
int capture_run(struct input *in, const struct options *opt);
/* EXIT_USAGE (with a message) when capture-only options meet a plain file. */
int capture_plain_only(const struct options *opt, const char *path);
/* --call-id, --method: 1 when the message passes. */
int filter_pass(const sipmsg_msg *m, const struct options *opt);

/* flow.c: the ladder, kept row by row, written at the end. */
struct ladder;
struct ladder *ladder_new(void);
int ladder_add(struct ladder *l, const sipmsg_msg *m, const struct capinfo *ci);
int ladder_write(struct ladder *l, int svg);
void ladder_free(struct ladder *l);

#endif /* SIPCAT_H */
