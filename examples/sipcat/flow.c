/*
 * flow.c - --flow: the call-flow ladder of a capture, as plain text (one
 * column per endpoint, one row per message) or as SVG (--flow=svg).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Text rows:   TIME  |---LABEL--->|   with the arrow from the source's
 * column to the destination's. LABEL is the method or the status and
 * reason, then the CSeq in parentheses: "INVITE (1)", "200 OK (1 INVITE)".
 * Colour (by kind: requests, 1xx, 2xx, the rest) only when stdout is a
 * terminal and NO_COLOR is not set.
 */
#define _POSIX_C_SOURCE 200809L
#include "sipcat.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { LABEL_MAX = 48, COL_MIN = 22, COL_MAX = 52, TIME_W = 17 };

struct row {
    unsigned long long frame;
    char time[32];    /* ISO 8601 */
    size_t src, dst;  /* endpoint indices */
    char label[LABEL_MAX + 1];
    char transport[4];
    int kind;         /* 0 request, else the status class 1-6 */
};

struct ladder {
    struct row *rows;
    size_t nrows, rowcap;
    char (*eps)[48];
    size_t neps, epcap;
};

struct ladder *ladder_new(void)
{
    return calloc(1, sizeof(struct ladder));
}

void ladder_free(struct ladder *l)
{
    if (!l)
        return;
    free(l->rows);
    free(l->eps);
    free(l);
}

/* The column of an endpoint, added at its first appearance. */
static size_t endpoint(struct ladder *l, const char *name)
{
    for (size_t i = 0; i < l->neps; i++)
        if (strcmp(l->eps[i], name) == 0)
            return i;
    if (l->neps == l->epcap) {
        size_t cap = l->epcap ? l->epcap * 2 : 8;
        char(*bigger)[48] = realloc(l->eps, cap * sizeof *bigger);
        if (!bigger)
            return SIZE_MAX;
        l->eps = bigger;
        l->epcap = cap;
    }
    snprintf(l->eps[l->neps], sizeof l->eps[0], "%s", name);
    return l->neps++;
}

/* Copies a slice as printable ASCII (others become '?'). */
static size_t put_text(char *out, size_t at, size_t max, sipmsg_slice s)
{
    for (size_t i = 0; i < s.len && at < max; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        out[at++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    return at;
}

int ladder_add(struct ladder *l, const sipmsg_msg *m, const struct capinfo *ci)
{
    if (l->nrows == l->rowcap) {
        size_t cap = l->rowcap ? l->rowcap * 2 : 64;
        struct row *bigger = realloc(l->rows, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        l->rows = bigger;
        l->rowcap = cap;
    }
    struct row *r = &l->rows[l->nrows];
    memset(r, 0, sizeof *r);
    r->frame = ci->frame;
    snprintf(r->time, sizeof r->time, "%s", ci->time);
    snprintf(r->transport, sizeof r->transport, "%s", ci->transport);
    r->src = endpoint(l, ci->src);
    r->dst = endpoint(l, ci->dst);
    if (r->src == SIZE_MAX || r->dst == SIZE_MAX)
        return -1;
    char buf[160];
    size_t n = 0, max = sizeof buf - 1;
    if (m->is_request) {
        n = put_text(buf, n, max, m->method_name);
    } else {
        n = (size_t)snprintf(buf, sizeof buf, "%d", m->status_code);
        if (m->reason.len && n < max)
            buf[n++] = ' ';
        n = put_text(buf, n, max, m->reason);
        r->kind = m->status_code / 100;
    }
    char cseq[64];
    int c = snprintf(cseq, sizeof cseq, " (%lu", (unsigned long)m->cseq);
    size_t cn = c > 0 ? (size_t)c : 0;
    if (!m->is_request && m->cseq_method_name.len) {
        cseq[cn++] = ' ';
        cn = put_text(cseq, cn, sizeof cseq - 2, m->cseq_method_name);
    }
    cseq[cn++] = ')';
    for (size_t i = 0; i < cn && n < max; i++)
        buf[n++] = cseq[i];
    buf[n] = '\0';
    if (n > LABEL_MAX) { /* keep the CSeq; shorten the text before it */
        size_t keep = LABEL_MAX - cn - 3;
        memcpy(r->label, buf, keep);
        memcpy(r->label + keep, "...", 3);
        memcpy(r->label + keep + 3, cseq, cn);
        r->label[LABEL_MAX] = '\0';
    } else {
        memcpy(r->label, buf, n + 1);
    }
    l->nrows++;
    return 0;
}

/* ---- text ------------------------------------------------------------------- */

static const char *colour(int kind)
{
    switch (kind) {
    case 0: return "\033[36m"; /* requests: cyan */
    case 1: return "\033[33m"; /* provisional: yellow */
    case 2: return "\033[32m"; /* success: green */
    default: return "\033[31m";
    }
}

/* Writes line[0, n) without trailing spaces, colouring [c0, c1). */
static void put_line(const char *line, size_t n, size_t c0, size_t c1, const char *col)
{
    while (n > 0 && line[n - 1] == ' ')
        n--;
    if (col && c0 < c1 && c1 <= n) {
        fwrite(line, 1, c0, stdout);
        fputs(col, stdout);
        fwrite(line + c0, 1, c1 - c0, stdout);
        fputs("\033[0m", stdout);
        fwrite(line + c1, 1, n - c1, stdout);
    } else {
        fwrite(line, 1, n, stdout);
    }
    putchar('\n');
}

static int write_text(const struct ladder *l)
{
    size_t w = COL_MIN;
    for (size_t i = 0; i < l->neps; i++)
        if (strlen(l->eps[i]) + 2 > w)
            w = strlen(l->eps[i]) + 2;
    for (size_t i = 0; i < l->nrows; i++)
        if (strlen(l->rows[i].label) + 6 > w)
            w = strlen(l->rows[i].label) + 6;
    if (w > COL_MAX)
        w = COL_MAX;
    size_t width = TIME_W + l->neps * w + 8;
    char *line = malloc(width);
    if (!line)
        return -1;
    int tty = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    /* Header: the date, then each endpoint centred on its column. */
    memset(line, ' ', width);
    if (l->nrows)
        memcpy(line, l->rows[0].time, 10);
    for (size_t i = 0; i < l->neps; i++) {
        size_t len = strlen(l->eps[i]);
        size_t centre = TIME_W + i * w + w / 2;
        size_t at = centre >= len / 2 ? centre - len / 2 : 0;
        if (at + len > width)
            len = width - at;
        memcpy(line + at, l->eps[i], len);
    }
    put_line(line, width, 0, 0, NULL);
    memset(line, ' ', width);
    for (size_t i = 0; i < l->neps; i++)
        line[TIME_W + i * w + w / 2] = '|';
    put_line(line, width, 0, 0, NULL);
    for (size_t k = 0; k < l->nrows; k++) {
        const struct row *r = &l->rows[k];
        memset(line, ' ', width);
        memcpy(line, r->time + 11, 15); /* HH:MM:SS.uuuuuu */
        for (size_t i = 0; i < l->neps; i++)
            line[TIME_W + i * w + w / 2] = '|';
        size_t xs = TIME_W + r->src * w + w / 2, xd = TIME_W + r->dst * w + w / 2;
        size_t len = strlen(r->label), c0, c1;
        if (xs == xd) { /* to itself */
            memcpy(line + xs + 1, "<-+ ", 4);
            c0 = xs + 1;
            if (xs + 5 + len > width)
                len = width - xs - 5;
            memcpy(line + xs + 5, r->label, len);
            c1 = xs + 5 + len;
        } else {
            size_t a = xs < xd ? xs : xd, b = xs < xd ? xd : xs;
            memset(line + a + 1, '-', b - a - 1);
            if (xs < xd)
                line[b - 1] = '>';
            else
                line[a + 1] = '<';
            size_t span = b - a - 1;
            if (len + 4 > span)
                len = span > 4 ? span - 4 : 0;
            memcpy(line + a + 1 + (span - len) / 2, r->label, len);
            c0 = a + 1;
            c1 = b;
        }
        put_line(line, width, c0, c1, tty ? colour(r->kind) : NULL);
    }
    free(line);
    return ferror(stdout) ? -1 : 0;
}

/* ---- SVG ---------------------------------------------------------------------- */

static void xml_text(const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", stdout); break;
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        case '\'': fputs("&apos;", stdout); break;
        default: putchar(*s); break;
        }
    }
}

enum { SVG_LEFT = 170, SVG_COL = 230, SVG_TOP = 60, SVG_ROW = 32 };

static int write_svg(const struct ladder *l)
{
    size_t width = SVG_LEFT + l->neps * SVG_COL;
    size_t height = SVG_TOP + l->nrows * SVG_ROW + 30;
    size_t bottom = height - 15;
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"%zu\" "
           "viewBox=\"0 0 %zu %zu\" font-family=\"monospace\" font-size=\"12\">\n",
           width, height, width, height);
    fputs("<title>SIP call flow (sipcat --flow=svg)</title>\n"
          "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
          "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
          "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"context-stroke\"/></marker></defs>\n"
          "<style>.req{stroke:#0369a1;fill:#0369a1}.s1{stroke:#a16207;fill:#a16207}"
          ".s2{stroke:#15803d;fill:#15803d}.s3{stroke:#b91c1c;fill:#b91c1c}"
          "line.life{stroke:#999;stroke-dasharray:4 3}text{stroke:none}</style>\n"
          "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
          stdout);
    for (size_t i = 0; i < l->neps; i++) {
        size_t x = SVG_LEFT + i * SVG_COL + SVG_COL / 2;
        printf("<g class=\"endpoint\"><text x=\"%zu\" y=\"30\" text-anchor=\"middle\" "
               "font-weight=\"bold\">",
               x);
        xml_text(l->eps[i]);
        printf("</text><line class=\"life\" x1=\"%zu\" y1=\"40\" x2=\"%zu\" y2=\"%zu\"/></g>\n",
               x, x, bottom);
    }
    if (l->nrows) {
        fputs("<text x=\"10\" y=\"30\" font-weight=\"bold\">", stdout);
        printf("%.10s UTC</text>\n", l->rows[0].time);
    }
    for (size_t k = 0; k < l->nrows; k++) {
        const struct row *r = &l->rows[k];
        size_t y = SVG_TOP + k * SVG_ROW + SVG_ROW / 2;
        size_t xs = SVG_LEFT + r->src * SVG_COL + SVG_COL / 2;
        size_t xd = SVG_LEFT + r->dst * SVG_COL + SVG_COL / 2;
        const char *cls = r->kind == 0 ? "req" : r->kind == 1 ? "s1" : r->kind == 2 ? "s2" : "s3";
        printf("<g class=\"msg %s\" data-frame=\"%llu\"><title>frame %llu, %s, ", cls, r->frame,
               r->frame, r->time);
        xml_text(l->eps[r->src]);
        fputs(" -&gt; ", stdout);
        xml_text(l->eps[r->dst]);
        printf(" (%s)</title>\n  <text x=\"10\" y=\"%zu\">%.15s</text>\n", r->transport, y + 4,
               r->time + 11);
        if (xs == xd)
            printf("  <path d=\"M %zu %zu h 30 v 10 h -30\" fill=\"none\" "
                   "marker-end=\"url(#arrow)\"/>\n",
                   xs, y - 5);
        else
            printf("  <line x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" "
                   "marker-end=\"url(#arrow)\"/>\n",
                   xs, y, xd, y);
        printf("  <text x=\"%zu\" y=\"%zu\" text-anchor=\"middle\">",
               xs == xd ? xs + 40 : (xs + xd) / 2, y - 5);
        xml_text(r->label);
        fputs("</text>\n</g>\n", stdout);
    }
    fputs("</svg>\n", stdout);
    return ferror(stdout) ? -1 : 0;
}

int ladder_write(struct ladder *l, int svg)
{
    return svg ? write_svg(l) : write_text(l);
}
