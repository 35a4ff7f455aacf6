/*
 * input.c - reading a file or stdin in chunks.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * sipmsg parses from a buffer the caller owns and never copies, so the
 * caller decides how much to keep. sipcat keeps only the unconsumed bytes:
 * the message being parsed and what was read after it.
 */
#include "sipcat.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK = 64 * 1024 };

int input_open(struct input *in, const char *path)
{
    memset(in, 0, sizeof *in);
    in->path = path;
    in->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    return in->f ? 0 : -1;
}

void input_close(struct input *in)
{
    if (in->f && in->f != stdin)
        fclose(in->f);
    free(in->buf);
    in->f = NULL;
    in->buf = NULL;
}

/* Makes room for CHUNK more bytes: moves the unconsumed bytes to the
 * front, and grows the buffer only when they fill most of it. */
static int make_room(struct input *in)
{
    if (in->start > 0) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    if (in->cap - in->end >= CHUNK)
        return 0;
    size_t cap = in->cap ? in->cap * 2 : 2 * CHUNK;
    char *bigger = realloc(in->buf, cap);
    if (!bigger)
        return -1;
    in->buf = bigger;
    in->cap = cap;
    return 0;
}

int input_fill(struct input *in, size_t want)
{
    while (!in->eof && in->end - in->start < want) {
        if (in->cap - in->end < CHUNK && make_room(in) != 0)
            return -1;
        size_t n = fread(in->buf + in->end, 1, in->cap - in->end, in->f);
        in->end += n;
        if (n == 0) {
            if (ferror(in->f))
                return -1;
            in->eof = 1;
        }
    }
    return 0;
}

int input_fill_all(struct input *in)
{
    return input_fill(in, (size_t)-1);
}

const char *input_data(const struct input *in)
{
    return in->buf ? in->buf + in->start : "";
}

size_t input_avail(const struct input *in)
{
    return in->end - in->start;
}

void input_consume(struct input *in, size_t n)
{
    const char *p = in->buf + in->start, *end = p + n;
    for (;;) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        if (!lf)
            break;
        in->line++;
        in->col = 0;
        p = lf + 1;
    }
    in->col += (unsigned long)(end - p);
    in->start += n;
    in->offset += n;
}

void input_linecol(const struct input *in, size_t off, unsigned long *line,
                   unsigned long *col)
{
    sipmsg_linecol(input_data(in), input_avail(in), off, line, col);
    if (*line == 1)
        *col += in->col;
    *line += in->line;
}

const char *input_not_sip(struct input *in)
{
    if (input_fill(in, 4) != 0)
        return NULL; /* the read error is reported by the caller's read */
    const unsigned char *p = (const unsigned char *)input_data(in);
    size_t n = input_avail(in);
    if (n == 0 && in->offset == 0)
        return "an empty file: no SIP message";
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return "gzip data, not SIP text (decompress it first: zcat FILE | sipcat)";
    if (n >= 4 && ((p[0] == 0xd4 && p[1] == 0xc3 && p[2] == 0xb2 && p[3] == 0xa1) ||
                   (p[0] == 0xa1 && p[1] == 0xb2 && p[2] == 0xc3 && p[3] == 0xd4) ||
                   (p[0] == 0x4d && p[1] == 0x3c && p[2] == 0xb2 && p[3] == 0xa1) ||
                   (p[0] == 0xa1 && p[1] == 0xb2 && p[2] == 0x3c && p[3] == 0x4d)))
        return "a pcap capture, not SIP text";
    if (n >= 4 && p[0] == 0x0a && p[1] == 0x0d && p[2] == 0x0d && p[3] == 0x0a)
        return "a pcapng capture, not SIP text";
    return NULL;
}
