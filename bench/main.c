/*
 * main.c - the sipmsg benchmark: sipmsg against libosip2, sofia-sip and a
 * memchr floor, on the same bytes, in the same process, interleaved.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 *   bench [--messages DIR] [--batch-ms N] [--batches N] [--only TEXT]
 *         [--no-table] [--no-scaling] [--no-threads] [--threads-only]
 *   bench --once LIB MODE MESSAGE N     (for valgrind; see run.sh)
 *   bench --list
 *
 * The table: for each message, every (library, mode) cell is verified, then
 * calibrated to about --batch-ms per batch, then all cells run one batch
 * per round, --batches rounds, and the median ns/message is reported.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct opts {
    const char *dir;
    const char *only;
    bench_cfg cfg;
    int table, scaling, threads;
} opts;

/* ---- messages ------------------------------------------------------------ */

static size_t count_headers(const char *buf, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i + 3 < len; i++) {
        if (buf[i] != '\r' || buf[i + 1] != '\n')
            continue;
        if (buf[i + 2] == '\r')
            break;
        n += buf[i + 2] != ' ' && buf[i + 2] != '\t';
    }
    return n;
}

/* MANIFEST lines: file cseq branch ("-" for none); '#' starts a comment. */
static size_t load_messages(const char *dir, bench_input *ins, size_t max)
{
    char path[1024], line[512], file[256], branch[128];
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        return 0;
    }
    size_t n = 0;
    unsigned cseq;
    while (n < max && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%255s %u %127s", file, &cseq, branch) != 3)
            continue;
        bench_input *in = &ins[n];
        memset(in, 0, sizeof *in);
        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (!(in->buf = bench_read_file(path, &in->len))) {
            fprintf(stderr, "bench: cannot read %s\n", path);
            continue;
        }
        bench_copy_str(in->name, sizeof in->name, file, strcspn(file, "."));
        in->cseq = cseq;
        in->has_branch = strcmp(branch, "-") != 0;
        if (in->has_branch)
            bench_copy_str(in->branch, sizeof in->branch, branch, strlen(branch));
        in->headers = count_headers(in->buf, in->len);
        n++;
    }
    fclose(f);
    return n;
}

/* ---- the table ----------------------------------------------------------- */

typedef struct cell {
    const bench_lib *lib;
    bench_mode mode;
    void *ctx;
    uint64_t iters;
    double ns[64]; /* ns/message of each batch */
    double median, best, allocs;
} cell;

#define MAX_CELLS 32

/* Verifies and calibrates every available (library, mode) for `in`. */
static size_t make_cells(const opts *o, const bench_input *in, cell *cells)
{
    size_t n = 0;
    for (size_t l = 0; l < bench_nlibs; l++) {
        const bench_lib *lib = bench_libs[l];
        for (int md = 0; md < MODE_COUNT_ && n < MAX_CELLS; md++) {
            if (!lib->mode[md])
                continue;
            cell *c = &cells[n];
            memset(c, 0, sizeof *c);
            c->lib = lib;
            c->mode = (bench_mode)md;
            c->ctx = lib->ctx_new();
            if (!c->ctx || bench_verify(lib, c->ctx, c->mode, in) != 0) {
                fprintf(stderr, "bench: skipping %s %s on %s\n", lib->name,
                        bench_mode_names[md], in->name);
                printf("| %-18s | %6zu | %-9s | %-9s | %10s | %10s | %8s | %7s | %8s |\n",
                       in->name, in->len, lib->name, bench_mode_names[md],
                       "rejected", "-", "-", "-", "-");
                lib->ctx_free(c->ctx);
                continue;
            }
            c->allocs = bench_allocs_per_msg(lib->mode[md], c->ctx, in);
            c->iters = bench_calibrate(lib->mode[md], c->ctx, in, o->cfg.batch_ns);
            n++;
        }
    }
    return n;
}

static void run_rounds(const opts *o, const bench_input *in, cell *cells, size_t n)
{
    for (int r = 0; r < o->cfg.batches; r++) {
        for (size_t i = 0; i < n; i++) {
            cell *c = &cells[i];
            uint64_t fails = 0;
            uint64_t t = bench_batch(c->lib->mode[c->mode], c->ctx, in, c->iters, &fails);
            if (fails)
                fprintf(stderr, "bench: %s %s failed %llu times on %s\n", c->lib->name,
                        bench_mode_names[c->mode], (unsigned long long)fails, in->name);
            c->ns[r] = (double)t / (double)c->iters;
        }
    }
    for (size_t i = 0; i < n; i++) {
        cell *c = &cells[i];
        c->best = c->ns[0];
        for (int r = 1; r < o->cfg.batches; r++)
            c->best = c->ns[r] < c->best ? c->ns[r] : c->best;
        c->median = bench_median(c->ns, o->cfg.batches);
    }
}

static const cell *find_cell(const cell *cells, size_t n, const bench_lib *lib,
                             bench_mode mode)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].lib == lib && cells[i].mode == mode)
            return &cells[i];
    return NULL;
}

static void print_row(const bench_input *in, const cell *c, const cell *ref)
{
    char ratio[32] = "-";
    if (ref && ref != c)
        snprintf(ratio, sizeof ratio, "%.2fx", c->median / ref->median);
    else if (ref)
        snprintf(ratio, sizeof ratio, "1");
    char allocs[32] = "n/a";
    if (bench_alloc_counting())
        snprintf(allocs, sizeof allocs, "%.1f", c->allocs);
    printf("| %-18s | %6zu | %-9s | %-9s | %10.0f | %10.0f | %8.1f | %7s | %8s |\n",
           in->name, in->len, c->lib->name, bench_mode_names[c->mode], c->median,
           c->best, (double)in->len / c->median * 1e3, allocs, ratio);
}

static void table_header(void)
{
    printf("| %-18s | %6s | %-9s | %-9s | %10s | %10s | %8s | %7s | %8s |\n", "message",
           "bytes", "library", "mode", "ns/msg", "best ns", "MB/s", "allocs", "x sipmsg");
    printf("|--------------------|-------:|-----------|-----------|-----------:|"
           "-----------:|---------:|--------:|---------:|\n");
}

/* The floor row compares with sipmsg's parse; the summary line says how far
 * sipmsg is from the floor and how far the peers are from sipmsg. */
static void print_message(const bench_input *in, const cell *cells, size_t n)
{
    for (int md = 0; md < MODE_COUNT_; md++) {
        const cell *ref = find_cell(cells, n, &bench_lib_sipmsg, (bench_mode)md);
        for (size_t i = 0; i < n; i++)
            if ((int)cells[i].mode == md && cells[i].lib != &bench_lib_floor)
                print_row(in, &cells[i], ref);
    }
    const cell *fl = find_cell(cells, n, &bench_lib_floor, MODE_PARSE);
    if (fl)
        print_row(in, fl, find_cell(cells, n, &bench_lib_sipmsg, MODE_PARSE));
    fflush(stdout);
}

static void summarize(const bench_input *in, const cell *cells, size_t n,
                      char *out, size_t cap)
{
    const cell *fl = find_cell(cells, n, &bench_lib_floor, MODE_PARSE);
    const cell *sp = find_cell(cells, n, &bench_lib_sipmsg, MODE_PARSE);
    const cell *sa = find_cell(cells, n, &bench_lib_sipmsg, MODE_ACCESS);
    int k = snprintf(out, cap, "%-18s", in->name);
    if (fl && sp && sa)
        k += snprintf(out + k, cap - (size_t)k, " sipmsg/floor: parse %.2fx access %.2fx;",
                      sp->median / fl->median, sa->median / fl->median);
    for (size_t l = 1; l < bench_nlibs && k > 0 && (size_t)k < cap; l++) {
        const cell *pa = find_cell(cells, n, bench_libs[l], MODE_ACCESS);
        if (pa && sa)
            k += snprintf(out + k, cap - (size_t)k, " %s/sipmsg access %.1fx;",
                          bench_libs[l]->name, pa->median / sa->median);
    }
}

static void run_table(const opts *o, bench_input *ins, size_t nin)
{
    static cell cells[MAX_CELLS];
    char summary[16][256];
    size_t ns = 0;
    printf("\n## Per message: thread CPU time, median (and best) of %d interleaved batches of ~%.0f ms;\n"
           "## x sipmsg = median / sipmsg's median in the same mode (floor row: / sipmsg parse)\n\n",
           o->cfg.batches, o->cfg.batch_ns / 1e6);
    table_header();
    for (size_t i = 0; i < nin; i++) {
        if (o->only && !strstr(ins[i].name, o->only))
            continue;
        size_t n = make_cells(o, &ins[i], cells);
        run_rounds(o, &ins[i], cells, n);
        print_message(&ins[i], cells, n);
        if (ns < 16)
            summarize(&ins[i], cells, n, summary[ns++], sizeof summary[0]);
        for (size_t c = 0; c < n; c++)
            cells[c].lib->ctx_free(cells[c].ctx);
    }
    printf("\n");
    for (size_t i = 0; i < ns; i++)
        printf("%s\n", summary[i]);
}

/* ---- --once: one combination, for valgrind ------------------------------- */

/* Not inlined, so callgrind can collect just this function
 * (--toggle-collect=bench_once_loop). */
__attribute__((noinline)) uint64_t bench_once_loop(bench_fn fn, void *ctx,
                                                   const bench_input *in,
                                                   uint64_t n);
__attribute__((noinline)) uint64_t bench_once_loop(bench_fn fn, void *ctx,
                                                   const bench_input *in,
                                                   uint64_t n)
{
    uint64_t acc = 0;
    for (uint64_t i = 0; i < n; i++)
        acc += fn(ctx, in->buf, in->len);
    return acc;
}

static int run_once(const opts *o, bench_input *ins, size_t nin, char **argv)
{
    const bench_lib *lib = bench_find_lib(argv[0]);
    int md = bench_find_mode(argv[1]);
    unsigned long long n = strtoull(argv[3], NULL, 10);
    const bench_input *in = NULL;
    for (size_t i = 0; i < nin && !in; i++) /* a prefix first: "20" is not "03-message-200" */
        if (strncmp(ins[i].name, argv[2], strlen(argv[2])) == 0)
            in = &ins[i];
    for (size_t i = 0; i < nin && !in; i++)
        if (strstr(ins[i].name, argv[2]))
            in = &ins[i];
    (void)o;
    if (!lib || md < 0 || !in || !lib->mode[md]) {
        fprintf(stderr, "bench: --once: unknown or unavailable %s %s %s\n",
                argv[0], argv[1], argv[2]);
        return 2;
    }
    void *ctx = lib->ctx_new();
    if (!ctx || bench_verify(lib, ctx, (bench_mode)md, in) != 0)
        return 1;
    bench_sink += lib->mode[md](ctx, in->buf, in->len); /* warm-up */
    bench_sink += bench_once_loop(lib->mode[md], ctx, in, n);
    printf("%s %s %s %llu bytes=%zu\n", lib->name, bench_mode_names[md], in->name,
           n, in->len);
    lib->ctx_free(ctx);
    return 0;
}

/* ---- main ---------------------------------------------------------------- */

static void print_env(const opts *o)
{
    char model[256] = "unknown", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *p = strchr(line, ':');
            if (p)
                bench_copy_str(model, sizeof model, p + 2, strcspn(p + 2, "\n"));
            break;
        }
    if (f)
        fclose(f);
    cpu_set_t set;
    int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
    time_t now = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M %Z", localtime(&now));
    printf("# sipmsg benchmark, %s\n# cpu: %s (%d usable)\n# compiler: %s\n", date,
           model, cpus, __VERSION__);
    printf("# libraries:");
    for (size_t i = 0; i < bench_nlibs; i++)
        printf(" %s", bench_libs[i]->name);
#ifndef BENCH_HAVE_OSIP
    printf(" (libosip2 absent: skipped)");
#endif
#ifndef BENCH_HAVE_SOFIA
    printf(" (sofia-sip absent: skipped)");
#endif
#ifndef BENCH_HAVE_SIPMSG_WRITE
    printf("\n# sipmsg roundtrip/edit: not built (include/sipmsg/write.h absent)");
#endif
    printf("\n# allocation counting: %s\n",
           bench_alloc_counting() ? "malloc/calloc/realloc calls, interposed" : "unavailable");
    (void)o;
}

static int parse_args(int argc, char **argv, opts *o, int *once_at)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--messages") == 0 && more)
            o->dir = argv[++i];
        else if (strcmp(a, "--batch-ms") == 0 && more)
            o->cfg.batch_ns = atof(argv[++i]) * 1e6;
        else if (strcmp(a, "--batches") == 0 && more)
            o->cfg.batches = atoi(argv[++i]);
        else if (strcmp(a, "--only") == 0 && more)
            o->only = argv[++i];
        else if (strcmp(a, "--no-table") == 0)
            o->table = 0;
        else if (strcmp(a, "--no-scaling") == 0)
            o->scaling = 0;
        else if (strcmp(a, "--no-threads") == 0)
            o->threads = 0;
        else if (strcmp(a, "--threads-only") == 0)
            o->table = o->scaling = 0, o->threads = 1;
        else if (strcmp(a, "--once") == 0 && i + 4 < argc)
            *once_at = i + 1, i += 4;
        else
            return -1;
    }
    if (o->cfg.batches < 1)
        o->cfg.batches = 1;
    if (o->cfg.batches > 64)
        o->cfg.batches = 64;
    return 0;
}

int main(int argc, char **argv)
{
    static bench_input ins[32];
    opts o = {BENCH_MESSAGES_DIR, NULL, {300e6, 5, 0}, 1, 1, 1};
    int once_at = 0;
    if (parse_args(argc, argv, &o, &once_at) != 0) {
        fprintf(stderr, "usage: %s [--messages DIR] [--batch-ms N] [--batches N] [--only TEXT]\n"
                        "          [--no-table] [--no-scaling] [--no-threads] [--threads-only]\n"
                        "       %s --once LIB MODE MESSAGE N\n", argv[0], argv[0]);
        return 2;
    }
    size_t nin = load_messages(o.dir, ins, sizeof ins / sizeof ins[0]);
    if (nin == 0)
        return 1;
    if (once_at)
        return run_once(&o, ins, nin, argv + once_at);
    print_env(&o);
    if (o.table)
        run_table(&o, ins, nin);
    if (bench_sipmsg_quick_empty)
        printf("\nNOTE: sipmsg's decoded fields (via.branch, tags, cseq ...) were empty:\n"
               "src/quick.c does not fill them yet, so sipmsg 'access' = parse + a few loads.\n");
    if (o.scaling)
        bench_scaling(&o.cfg);
    if (o.threads)
        for (size_t i = 0; i < nin; i++)
            if (strstr(ins[i].name, "register-auth") || strstr(ins[i].name, "invite-sdp"))
                bench_threads(&o.cfg, &ins[i], 0.5);
    for (size_t i = 0; i < nin; i++)
        free(ins[i].buf);
    return 0;
}
