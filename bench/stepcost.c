/*
 * stepcost.c - what the proxy step and the response routing helper cost on
 * their own, beside what they add after a parse. Not a test.
 *
 *   build/bench/stepcost [MESSAGE.sip ...]   (default: bench/messages/01..10)
 *
 * The bench table times "parse" and "parse then X" as separate loops, so X's
 * column includes whatever X does to the parse around it (the CPU overlaps
 * one parse with the next less when X reads the parse's results). Here a
 * message is parsed once and the step runs on it many times, which the
 * written-out step allows (it does not change the message). Five loops per
 * round, interleaved, medians over the rounds:
 *   parse        sipmsg_parse
 *   step         sipmsg_proxy_forward_write (a request) or
 *                sipmsg_proxy_unvia_write (a response) on one parse
 *   parse+step   both, as the bench table's edit mode
 *   route        sipmsg_response_target on one parse
 *   parse+route  both, as the bench table's route mode
 * The forward is the bench's: received=, our Via checked once, a branch.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <sipmsg.h>
#include <sipmsg/route.h>
#include <sipmsg/write.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROUNDS = 15, CAP = 4096, OUT_CAP = 256 * 1024 };
enum { L_PARSE, L_STEP, L_PARSE_STEP, L_ROUTE, L_PARSE_ROUTE, LOOPS };
static const char *const loop_names[LOOPS] = {"parse", "step", "parse+step", "route",
                                              "parse+route"};

typedef struct ctx {
    sipmsg_msg m;
    sipmsg_opts opts;
    sipmsg_error err;
    sipmsg_proxy_via self;
    sipmsg_forward fwd;
    sipmsg_header headers[CAP];
    char out[OUT_CAP];
} ctx;

static int parse(ctx *c, const char *buf, size_t len)
{
    return sipmsg_parse(&c->m, buf, len, &c->opts, &c->err) == SIPMSG_DONE;
}

static uint64_t step(ctx *c)
{
    size_t n = 0;
    sipmsg_top_via next;
    sipmsg_code r = c->m.is_request
                        ? sipmsg_proxy_forward_write(&c->m, &c->fwd, c->out, OUT_CAP, &n)
                        : sipmsg_proxy_unvia_write(&c->m, c->out, OUT_CAP, &n, &next);
    return r == SIPMSG_OK ? n + (unsigned char)c->out[n / 2] : BENCH_FAIL;
}

static uint64_t route(ctx *c)
{
    sipmsg_resp_target t;
    if (sipmsg_response_target(&c->m, &t, NULL) != SIPMSG_OK)
        return BENCH_FAIL;
    return t.port + t.host.len;
}

/* One timed loop of n iterations; ns per iteration. */
static double run(ctx *c, int loop, const char *buf, size_t len, uint64_t n, int *bad)
{
    uint64_t acc = 0;
    uint64_t t0 = bench_cpu_ns();
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v = 0;
        if (loop != L_STEP && loop != L_ROUTE && !parse(c, buf, len)) {
            *bad = 1;
            break;
        }
        if (loop == L_STEP || loop == L_PARSE_STEP)
            v = step(c);
        else if (loop == L_ROUTE || loop == L_PARSE_ROUTE)
            v = route(c);
        else
            v = c->m.count;
        if (v == BENCH_FAIL) {
            *bad = 1;
            break;
        }
        acc += v;
    }
    uint64_t t1 = bench_cpu_ns();
    bench_sink += acc;
    return (double)(t1 - t0) / (double)n;
}

static int measure(ctx *c, const char *path)
{
    size_t len = 0;
    char *buf = bench_read_file(path, &len);
    if (!buf) {
        fprintf(stderr, "stepcost: cannot read %s\n", path);
        return 1;
    }
    int bad = 0;
    if (!parse(c, buf, len)) {
        fprintf(stderr, "stepcost: %s does not parse\n", path);
        free(buf);
        return 1;
    }
    /* about 20 ms per loop and round */
    uint64_t n = 1;
    while (run(c, L_PARSE_STEP, buf, len, n, &bad) * (double)n < 2e7 && !bad)
        n *= 2;
    double ns[LOOPS][ROUNDS];
    for (int r = 0; r < ROUNDS && !bad; r++)
        for (int l = 0; l < LOOPS && !bad; l++) {
            if (l == L_STEP || l == L_ROUTE) /* on one parse */
                (void)parse(c, buf, len);
            ns[l][r] = run(c, l, buf, len, n, &bad);
        }
    if (bad) {
        fprintf(stderr, "stepcost: the step or the route failed on %s\n", path);
        free(buf);
        return 1;
    }
    double med[LOOPS];
    for (int l = 0; l < LOOPS; l++)
        med[l] = bench_median(ns[l], ROUNDS);
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    printf("| %-24s |", name);
    for (int l = 0; l < LOOPS; l++)
        printf(" %7.1f |", med[l]);
    double p = med[L_PARSE];
    printf(" %5.2fx | %5.2fx | %+5.1f%% | %+5.1f%% |\n", (p + med[L_STEP]) / p,
           med[L_PARSE_STEP] / p, 100.0 * med[L_ROUTE] / p,
           100.0 * (med[L_PARSE_ROUTE] / p - 1));
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const defaults[] = {
        "01-message.sip",      "02-message-proxied.sip", "03-message-200.sip",
        "08-register-401.sip", "09-register-auth.sip",   "10-invite-sdp.sip"};
    static const char sent[] = BENCH_PROXY_SENT;
    ctx *c = calloc(1, sizeof *c);
    if (!c)
        return 1;
    sipmsg_msg_init(&c->m, c->headers, CAP);
    c->opts.mode = SIPMSG_DATAGRAM;
    c->opts.max_headers = CAP;
    if (sipmsg_proxy_via_init(&c->self, (sipmsg_slice){sent, sizeof sent - 1}, NULL) !=
        SIPMSG_OK)
        return 1;
    c->fwd.received = (sipmsg_slice){BENCH_RECEIVED, sizeof BENCH_RECEIVED - 1};
    c->fwd.self = &c->self;
    c->fwd.branch = (sipmsg_slice){BENCH_PROXY_BRANCH, sizeof BENCH_PROXY_BRANCH - 1};

    printf("## ns per message, medians of %d interleaved rounds (thread CPU time)\n",
           ROUNDS);
    printf("## (parse + step) / parse: the step's own cost; parse+step / parse: as the "
           "bench table's edit/parse\n\n");
    printf("| message |");
    for (int l = 0; l < LOOPS; l++)
        printf(" %s |", loop_names[l]);
    printf(" (parse + step) / parse | parse+step / parse | route / parse | parse+route "
           "adds |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            rc |= measure(c, argv[i]);
    } else {
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", BENCH_MESSAGES_DIR, defaults[i]);
            rc |= measure(c, path);
        }
    }
    free(c);
    return rc;
}
