/*
 * body.c - the body views (sipmsg/body.h) measured: SDP against sofia-sip's
 * sdp_parse() on the same bytes, and sipmsg's CPIM and multipart views.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 *   bench_body                        table: ns per body (median of
 *                                     batches, thread CPU time, libraries
 *                                     interleaved) and allocations per body
 *   bench_body --once LIB MODE BODY N N iterations inside body_once_loop
 *                                     (for callgrind --toggle-collect)
 *   bench_body --list                 the LIB MODE BODY combinations
 *
 * Modes: "parse" parses (and frees); "access" parses, then reads every
 * media section's formats and every attribute (name and value) and, for
 * each RTP format, its rtpmap: what a user agent does with an offer.
 * sofia-sip decodes rtpmap/fmtp during its parse already. Before timing,
 * every combination is checked: the origin's username, the number of media
 * sections and of attributes must be the expected ones.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <sipmsg.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef BENCH_HAVE_SOFIA
#include <sofia-sip/sdp.h>
#endif

unsigned long long bench_alloc_count(void);
int bench_alloc_counting(void);

/* ---- inputs ----------------------------------------------------------------- */

typedef enum kind { K_SDP, K_CPIM, K_MULTIPART } kind;

typedef struct input {
    const char *name;
    const char *file; /* under BENCH_BODIES_DIR, or the RFC 4475 dir */
    kind k;
    char *buf;        /* the body, exact size */
    size_t len;
    /* expected */
    const char *user; /* SDP o= username */
    size_t media, attrs;
    size_t parts;
} input;

static input inputs[] = {
    {"av-offer", "av-offer.sdp", K_SDP, NULL, 0, "alice", 2, 22, 0},
    {"msrp-offer", "msrp-offer.sdp", K_SDP, NULL, 0, "user1", 1, 4, 0},
    {"ipv6-sdp", "ipv6-sdp.sdp", K_SDP, NULL, 0, "assistant", 1, 1, 0},
    {"seed-cpim", "seed.cpim", K_CPIM, NULL, 0, NULL, 0, 3, 0},
    {"rfc3862-cpim", "rfc3862.cpim", K_CPIM, NULL, 0, NULL, 0, 9, 0},
    {"mpart01", "valid-mpart01.sip", K_MULTIPART, NULL, 0, NULL, 0, 0, 2},
};
#define NINPUTS (sizeof inputs / sizeof inputs[0])

static int load(input *in)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s",
             in->k == K_MULTIPART ? BENCH_RFC4475_DIR : BENCH_BODIES_DIR, in->file);
    size_t len;
    char *raw = bench_read_file(path, &len);
    if (!raw) {
        fprintf(stderr, "bench_body: cannot read %s\n", path);
        return -1;
    }
    const char *p = raw;
    if (in->k == K_MULTIPART) { /* the body of the message */
        sipmsg_header h[64];
        sipmsg_msg m;
        sipmsg_msg_init(&m, h, 64);
        if (sipmsg_parse(&m, raw, len, NULL, NULL) != SIPMSG_DONE)
            return -1;
        p = m.body.ptr;
        len = m.body.len;
    }
    in->buf = malloc(len);
    memcpy(in->buf, p, len);
    in->len = len;
    free(raw);
    return 0;
}

/* ---- the functions measured ---------------------------------------------------------- */

typedef uint64_t (*body_fn)(const input *in);

#define NL 128
#define NM 16

/* sipmsg's SDP view of the input into the caller's tables; 0 on success. */
static int sdp_view(const input *in, sipmsg_sdp *s, sipmsg_sdp_line *lines,
                    sipmsg_sdp_media *media)
{
    sipmsg_sdp_init(s, lines, NL, media, NM);
    return sipmsg_sdp_parse(s, (sipmsg_slice){in->buf, in->len}, NULL) != SIPMSG_OK;
}

static uint64_t sipmsg_sdp_parse_fn(const input *in)
{
    sipmsg_sdp_line lines[NL];
    sipmsg_sdp_media media[NM];
    sipmsg_sdp s;
    if (sdp_view(in, &s, lines, media))
        return UINT64_MAX;
    return s.line_count + s.media_count + s.origin.username.len;
}

static uint64_t sipmsg_sdp_access_fn(const input *in)
{
    sipmsg_sdp_line lines[NL];
    sipmsg_sdp_media media[NM];
    sipmsg_sdp s;
    if (sdp_view(in, &s, lines, media))
        return UINT64_MAX;
    uint64_t h = s.origin.username.len + s.media_count;
    size_t attrs = 0;
    for (size_t i = 0; i < s.line_count; i++)
        if (lines[i].type == 'a')
            attrs++, h += lines[i].name.len + lines[i].value.len;
    for (size_t k = 0; k < s.media_count; k++) {
        const sipmsg_sdp_media *m = &media[k];
        sipmsg_slice list = m->formats, f;
        h += m->port;
        while (sipmsg_sdp_format_next(&list, &f)) {
            h += f.len;
            /* the rtpmap of this format: "a=rtpmap:<fmt> <encoding>/<rate>" */
            for (size_t i = m->line + 1; i < m->line_end; i++) {
                const sipmsg_sdp_line *l = &lines[i];
                if (l->type == 'a' && l->name.len == 6 && !memcmp(l->name.ptr, "rtpmap", 6) &&
                    l->value.len > f.len && l->value.ptr[f.len] == ' ' &&
                    !memcmp(l->value.ptr, f.ptr, f.len)) {
                    h += l->value.len;
                    break;
                }
            }
        }
    }
    return h + attrs;
}

static uint64_t sipmsg_cpim_fn(const input *in)
{
    sipmsg_header t[32];
    sipmsg_cpim c;
    sipmsg_cpim_init(&c, t, 32);
    if (sipmsg_cpim_parse(&c, (sipmsg_slice){in->buf, in->len}, NULL) != SIPMSG_OK)
        return UINT64_MAX;
    return c.headers.count + c.content.len + c.from.len;
}

static uint64_t sipmsg_multipart_fn(const input *in)
{
    sipmsg_multipart_iter it;
    sipmsg_part part;
    sipmsg_header h[16];
    sipmsg_slice b = {in->buf, in->len};
    sipmsg_slice bd = {"7a9cbec02ceef655", 16};
    sipmsg_fields_init(&part.headers, h, 16);
    if (sipmsg_multipart_init(&it, b, bd, NULL) != SIPMSG_OK)
        return UINT64_MAX;
    uint64_t r = 0;
    int n;
    while ((n = sipmsg_multipart_next(&it, &part, NULL)) == 1)
        r += part.body.len + part.content_type.len;
    return n < 0 ? UINT64_MAX : r;
}

#ifdef BENCH_HAVE_SOFIA
static uint64_t sofia_walk(sdp_session_t *s, int access)
{
    uint64_t h = 0;
    if (!s || !s->sdp_origin || !s->sdp_origin->o_username)
        return UINT64_MAX;
    h += strlen(s->sdp_origin->o_username);
    size_t media = 0;
    for (sdp_media_t *m = s->sdp_media; m; m = m->m_next) {
        media++;
        if (!access)
            continue;
        h += m->m_port;
        for (sdp_list_t *f = m->m_format; f; f = f->l_next)
            h += strlen(f->l_text);
        for (sdp_rtpmap_t *r = m->m_rtpmaps; r; r = r->rm_next)
            h += r->rm_pt + r->rm_rate + (r->rm_encoding ? strlen(r->rm_encoding) : 0);
        for (sdp_attribute_t *a = m->m_attributes; a; a = a->a_next)
            h += strlen(a->a_name) + (a->a_value ? strlen(a->a_value) : 0);
    }
    for (sdp_attribute_t *a = s->sdp_attributes; access && a; a = a->a_next)
        h += strlen(a->a_name) + (a->a_value ? strlen(a->a_value) : 0);
    return h + media;
}

static uint64_t sofia_sdp(const input *in, int access)
{
    sdp_parser_t *p = sdp_parse(NULL, in->buf, (issize_t)in->len, 0);
    uint64_t r = UINT64_MAX;
    if (p && !sdp_parsing_error(p))
        r = sofia_walk(sdp_session(p), access);
    sdp_parser_free(p);
    return r;
}

static uint64_t sofia_sdp_parse_fn(const input *in)
{
    return sofia_sdp(in, 0);
}

static uint64_t sofia_sdp_access_fn(const input *in)
{
    return sofia_sdp(in, 1);
}

/* The check: sofia sees the same username and media count. */
static int sofia_check(const input *in)
{
    sdp_parser_t *p = sdp_parse(NULL, in->buf, (issize_t)in->len, 0);
    int ok = 0;
    if (p && !sdp_parsing_error(p)) {
        sdp_session_t *s = sdp_session(p);
        size_t media = 0;
        for (sdp_media_t *m = s->sdp_media; m; m = m->m_next)
            media++;
        ok = s->sdp_origin && !strcmp(s->sdp_origin->o_username, in->user) &&
             media == in->media;
    } else if (p) {
        fprintf(stderr, "sofia: %s: %s\n", in->name, sdp_parsing_error(p));
    }
    sdp_parser_free(p);
    return ok ? 0 : -1;
}
#endif

/* The check for sipmsg. */
static int sipmsg_check(const input *in)
{
    if (in->k == K_SDP) {
        sipmsg_sdp_line lines[NL];
        sipmsg_sdp_media media[NM];
        sipmsg_sdp s;
        sipmsg_error err;
        sipmsg_sdp_init(&s, lines, NL, media, NM);
        if (sipmsg_sdp_parse(&s, (sipmsg_slice){in->buf, in->len}, &err) != SIPMSG_OK) {
            fprintf(stderr, "sipmsg: %s: %s at %zu\n", in->name, err.msg, err.offset);
            return -1;
        }
        size_t attrs = 0;
        for (size_t i = 0; i < s.line_count; i++)
            attrs += lines[i].type == 'a';
        return sipmsg_slice_eq(s.origin.username, in->user) && s.media_count == in->media &&
                       attrs == in->attrs
                   ? 0
                   : -1;
    }
    if (in->k == K_CPIM) {
        sipmsg_header t[32];
        sipmsg_cpim c;
        sipmsg_cpim_init(&c, t, 32);
        sipmsg_slice text = {in->buf, in->len};
        return sipmsg_cpim_parse(&c, text, NULL) == SIPMSG_OK &&
                       c.headers.count == in->attrs
                   ? 0
                   : -1;
    }
    return sipmsg_multipart_fn(in) == UINT64_MAX ? -1 : 0;
}

/* ---- combinations ------------------------------------------------------------------ */

typedef struct combo {
    const char *lib, *mode;
    kind k;
    body_fn fn;
} combo;

static const combo combos[] = {
    {"sipmsg", "parse", K_SDP, sipmsg_sdp_parse_fn},
    {"sipmsg", "access", K_SDP, sipmsg_sdp_access_fn},
#ifdef BENCH_HAVE_SOFIA
    {"sofia-sip", "parse", K_SDP, sofia_sdp_parse_fn},
    {"sofia-sip", "access", K_SDP, sofia_sdp_access_fn},
#endif
    {"sipmsg", "parse", K_CPIM, sipmsg_cpim_fn},
    {"sipmsg", "parse", K_MULTIPART, sipmsg_multipart_fn},
};
#define NCOMBOS (sizeof combos / sizeof combos[0])

static int check(const combo *c, const input *in)
{
#ifdef BENCH_HAVE_SOFIA
    if (!strcmp(c->lib, "sofia-sip"))
        return sofia_check(in) || c->fn(in) == UINT64_MAX ? -1 : 0;
#endif
    return sipmsg_check(in) || c->fn(in) == UINT64_MAX ? -1 : 0;
}

volatile uint64_t body_sink;

/* callgrind collects inside this function only. */
__attribute__((noinline)) uint64_t body_once_loop(body_fn fn, const input *in, long n);
__attribute__((noinline)) uint64_t body_once_loop(body_fn fn, const input *in, long n)
{
    uint64_t s = 0;
    for (long i = 0; i < n; i++)
        s += fn(in);
    return s;
}

#define BATCHES 9

static void table(void)
{
    printf("| body | bytes | library | mode | ns/body (median of %d) | allocations/body |\n",
           BATCHES);
    printf("|---|---:|---|---|---:|---:|\n");
    for (size_t i = 0; i < NINPUTS; i++) {
        const input *in = &inputs[i];
        long iters[NCOMBOS];
        double ns[NCOMBOS][BATCHES];
        /* calibrate each to about 0.1 s per batch */
        for (size_t c = 0; c < NCOMBOS; c++) {
            if (combos[c].k != in->k)
                continue;
            long n = 100;
            for (;;) {
                uint64_t t0 = bench_cpu_ns();
                body_sink += body_once_loop(combos[c].fn, in, n);
                uint64_t dt = bench_cpu_ns() - t0;
                if (dt > 20000000u || n > 100000000) {
                    iters[c] = (long)((double)n * 1e8 / (double)(dt ? dt : 1));
                    break;
                }
                n *= 4;
            }
        }
        for (int b = 0; b < BATCHES; b++) /* interleaved */
            for (size_t c = 0; c < NCOMBOS; c++) {
                if (combos[c].k != in->k)
                    continue;
                uint64_t t0 = bench_cpu_ns();
                body_sink += body_once_loop(combos[c].fn, in, iters[c]);
                ns[c][b] = (double)(bench_cpu_ns() - t0) / (double)iters[c];
            }
        for (size_t c = 0; c < NCOMBOS; c++) {
            if (combos[c].k != in->k)
                continue;
            double median = bench_median(ns[c], BATCHES);
            unsigned long long a0 = bench_alloc_count();
            body_sink += body_once_loop(combos[c].fn, in, 100);
            double allocs = (double)(bench_alloc_count() - a0) / 100.0;
            printf("| %s | %zu | %s | %s | %.0f | %s%.1f |\n", in->name, in->len, combos[c].lib,
                   combos[c].mode, median, bench_alloc_counting() ? "" : "? ",
                   allocs);
        }
    }
}

int main(int argc, char **argv)
{
    for (size_t i = 0; i < NINPUTS; i++)
        if (load(&inputs[i]) != 0)
            return 1;
    for (size_t c = 0; c < NCOMBOS; c++)
        for (size_t i = 0; i < NINPUTS; i++)
            if (combos[c].k == inputs[i].k && check(&combos[c], &inputs[i]) != 0) {
                fprintf(stderr, "bench_body: %s %s rejects or misreads %s\n", combos[c].lib,
                        combos[c].mode, inputs[i].name);
                return 1;
            }
    if (argc >= 2 && !strcmp(argv[1], "--list")) {
        for (size_t c = 0; c < NCOMBOS; c++)
            for (size_t i = 0; i < NINPUTS; i++)
                if (combos[c].k == inputs[i].k)
                    printf("%s %s %s %zu\n", combos[c].lib, combos[c].mode, inputs[i].name,
                           inputs[i].len);
        return 0;
    }
    if (argc == 6 && !strcmp(argv[1], "--once")) {
        for (size_t c = 0; c < NCOMBOS; c++)
            for (size_t i = 0; i < NINPUTS; i++)
                if (combos[c].k == inputs[i].k && !strcmp(combos[c].lib, argv[2]) &&
                    !strcmp(combos[c].mode, argv[3]) && !strcmp(inputs[i].name, argv[4])) {
                    body_sink += combos[c].fn(&inputs[i]); /* warm-up, outside the loop */
                    body_sink += body_once_loop(combos[c].fn, &inputs[i], atol(argv[5]));
                    return 0;
                }
        fprintf(stderr, "bench_body: no combination %s %s %s\n", argv[2], argv[3], argv[4]);
        return 2;
    }
    table();
    return 0;
}
