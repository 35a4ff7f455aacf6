/*
 * edit.c - the writer (sipmsg/write.h): --check, --canonical, --reply,
 * --forward and --unvia.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Edits are an overlay: the parsed message and its buffer are never
 * changed. A copy of the message (sipmsg_msg_copy, no text copied) gets a
 * header table of its own with room for new headers, and an arena for new
 * text; sipmsg_write renders the result.
 */
#include "sipcat.h"

#include <stdlib.h>
#include <string.h>

/* Room for the edited copy: the parsed headers plus the ones a step adds
 * (the table grows with --max-headers). */
static sipmsg_header *out_table;
static size_t out_cap;
static char arena_buf[64 * 1024];

/* An empty message over out_table (room for `count` headers and 16 more),
 * with a fresh arena attached; NULL when out of memory. */
static sipmsg_msg *fresh(sipmsg_arena *arena, size_t count)
{
    static sipmsg_msg out;
    if (count + 16 > out_cap) {
        sipmsg_header *t = realloc(out_table, (count + 16) * sizeof *t);
        if (!t)
            return NULL;
        out_table = t;
        out_cap = count + 16;
    }
    sipmsg_msg_init(&out, out_table, out_cap);
    sipmsg_arena_init(arena, arena_buf, sizeof arena_buf);
    sipmsg_edit_init(&out, arena);
    return &out;
}

int random_bytes(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f)
        return -1;
    size_t got = fread(out, 1, n, f);
    fclose(f);
    return got == n ? 0 : -1;
}

/* Writes the message with the scatter-gather form of the writer: the
 * untouched stretches come straight from the parsed buffer. */
int write_msg(const sipmsg_msg *m, unsigned flags)
{
    sipmsg_iov iov[64];
    size_t n = sipmsg_write_iov(m, iov, 64, flags, NULL);
    if (n > 64) { /* many pieces: let the writer copy them into one buffer */
        size_t size = sipmsg_write(m, NULL, 0, flags);
        char *buf = scratch(size);
        if (!buf)
            return EXIT_USAGE;
        sipmsg_write(m, buf, size, flags);
        return out_bytes(buf, size);
    }
    for (size_t i = 0; i < n; i++)
        if (out_bytes(iov[i].base, iov[i].len) != EXIT_OK)
            return EXIT_USAGE;
    return EXIT_OK;
}

int edit_canonical(const sipmsg_msg *m)
{
    return write_msg(m, SIPMSG_WRITE_CANONICAL);
}

/* --check: the writer must give back the parsed bytes exactly. */
int edit_check(const sipmsg_msg *m, const struct origin *o, int canonical)
{
    unsigned flags = canonical ? SIPMSG_WRITE_CANONICAL : 0;
    size_t size = sipmsg_write(m, NULL, 0, flags);
    char *buf = scratch(size);
    if (!buf)
        return EXIT_USAGE;
    sipmsg_write(m, buf, size, flags);
    size_t i = 0;
    while (i < size && i < m->len && buf[i] == m->buf[i])
        i++;
    if (i == size && size == m->len)
        return EXIT_OK;
    report_at(o, (size_t)(m->buf - o->text) + i, "error",
              "%s differs from here on: %zu bytes written for %zu read",
              canonical ? "the canonical form" : "the round trip", size, m->len);
    return EXIT_MISMATCH;
}

/* An error of a step on the message itself (exit 1). */
static int step_failed(const struct origin *o, const sipmsg_msg *m,
                       const char *step, sipmsg_code code)
{
    report_at(o, (size_t)(m->buf - o->text), "error", "%s: %s", step,
              sipmsg_strerror(code));
    return EXIT_INVALID;
}

int step_needs(const struct origin *o, const sipmsg_msg *m, const char *step,
               int request)
{
    report_at(o, (size_t)(m->buf - o->text), "error", "%s needs a %s, not a %s", step,
              request ? "request" : "response", request ? "response" : "request");
    return EXIT_INVALID;
}

static int reply(const sipmsg_msg *req, const struct origin *o, int status,
                 const char *reason, const char *to_tag)
{
    sipmsg_arena arena;
    sipmsg_msg *out = fresh(&arena, req->count);
    if (!out)
        return EXIT_USAGE;
    sipmsg_response r = {.status_code = status, .reason = sipmsg_slice_of(reason),
                         .to_tag = sipmsg_slice_of(to_tag), .rand = random_bytes};
    sipmsg_code c = sipmsg_build_response(out, req, &r);
    if (c == SIPMSG_E_BAD_TEXT) {
        fprintf(stderr, "sipcat: --reason or --to-tag: %s\n", sipmsg_strerror(c));
        return EXIT_USAGE;
    }
    if (c != SIPMSG_OK)
        return step_failed(o, req, "cannot build the response", c);
    return write_msg(out, 0);
}

int edit_reply(const sipmsg_msg *m, const struct origin *o,
               const struct options *opt)
{
    if (!m->is_request)
        return step_needs(o, m, "--reply", 1);
    return reply(m, o, opt->reply_code, opt->reason, opt->to_tag);
}

/* An error of the forward that comes from --via or --received. */
static int option_error(sipmsg_code c)
{
    return c == SIPMSG_E_VIA || c == SIPMSG_E_BAD_TEXT || c == SIPMSG_E_HOST ||
           c == SIPMSG_E_PARAM || c == SIPMSG_E_PORT;
}

/* The forward of m with f, into a fresh copy. */
static sipmsg_code forward(const sipmsg_msg *m, const sipmsg_forward *f,
                           sipmsg_arena *arena, sipmsg_msg **outp)
{
    sipmsg_msg *out = fresh(arena, m->count);
    if (!out)
        return SIPMSG_E_NO_SPACE;
    *outp = out;
    sipmsg_code c = sipmsg_msg_copy(out, m);
    return c == SIPMSG_OK ? sipmsg_proxy_forward(out, f) : c;
}

int edit_forward(const sipmsg_msg *m, const struct origin *o,
                 const struct options *opt)
{
    if (!m->is_request)
        return step_needs(o, m, "--forward", 1);
    sipmsg_msg *out = NULL;
    sipmsg_arena arena;
    sipmsg_forward f = {.via = sipmsg_slice_of(opt->via),
                        .received = sipmsg_slice_of(opt->received),
                        .rport = (uint32_t)opt->rport};
    sipmsg_code c = forward(m, &f, &arena, &out);
    if (c == SIPMSG_E_TOO_MANY_HOPS) { /* RFC 3261 16.3 step 2 */
        report_at(o, (size_t)(m->buf - o->text), "warning",
                  "Max-Forwards is 0: answering 483 instead of forwarding");
        int rc = reply(m, o, 483, NULL, NULL);
        return rc == EXIT_OK ? EXIT_HOPS : rc;
    }
    if (option_error(c)) {
        /* which option: the forward again with --via alone */
        sipmsg_forward via_only = {.via = f.via};
        sipmsg_code cv = forward(m, &via_only, &arena, &out);
        fprintf(stderr, "sipcat: %s: %s\n", option_error(cv) ? "--via" : "--received",
                sipmsg_strerror(option_error(cv) ? cv : c));
        return EXIT_USAGE;
    }
    if (c != SIPMSG_OK)
        return step_failed(o, m, "cannot forward", c);
    return write_msg(out, 0);
}

int edit_unvia(const sipmsg_msg *m, const struct origin *o)
{
    sipmsg_arena arena;
    if (m->is_request)
        return step_needs(o, m, "--unvia", 0);
    sipmsg_msg *out = fresh(&arena, m->count);
    if (!out)
        return EXIT_USAGE;
    sipmsg_code c = sipmsg_msg_copy(out, m);
    if (c == SIPMSG_OK)
        c = sipmsg_proxy_unvia(out);
    if (c != SIPMSG_OK)
        return step_failed(o, m, "cannot remove the top Via", c);
    return write_msg(out, 0);
}
