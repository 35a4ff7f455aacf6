/*
 * sipcat - the sipmsg workbench: parse SIP messages, check them, dump them
 * as JSON, and run the writer's proxy and UA steps on them.
 *
 *   sipcat [options] [FILE|-]...
 *
 * Exit codes: 0 ok, 1 invalid input, 2 usage, 3 round-trip mismatch,
 * 4 a forward refused with 483. See sipcat(1).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "sipcat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: sipcat [options] [FILE|-]...\n"
          "  --check          verify the byte-exact round trip; print nothing\n"
          "  --strict         also run the RFC 3261 checks: errors fail, warnings\n"
          "                   are printed (--strict=warnings: warnings fail too)\n"
          "  --stream         input is a TCP byte stream of messages and CRLFs\n"
          "  --lf             accept bare-LF line ends (pasted messages)\n"
          "  --json           one JSON object per message (JSON Lines)\n"
          "  --canonical      full header names, \": \", no folding\n"
          "                   (with --check: is the message canonical already?)\n"
          "  --reply CODE [--reason TEXT] [--to-tag TAG]\n"
          "                   write the response to the request\n"
          "  --forward --via VIA [--received ADDR] [--rport PORT]\n"
          "                   write the forwarded request (483 at Max-Forwards 0)\n"
          "  --unvia          write the response without its top Via\n"
          "  --authorize CHALLENGE_FILE --user U --password P [--cnonce C] [--nc N]\n"
          "              [--branch B]\n"
          "                   write the request of FILE retried with credentials\n"
          "captures (pcap, pcapng; also known by their magic number):\n"
          "  --pcap           read every FILE as a capture\n"
          "  --port N         only packets from or to port N\n"
          "  --call-id ID     only the messages of Call-ID ID (any input)\n"
          "  --method M       only requests M and their responses (any input)\n"
          "  --frames         '# frame TIME SRC -> DST TRANSPORT' before each message\n"
          "  --dialog         records grouped by dialog (Call-ID, From/To tags)\n"
          "  --flow[=svg]     the call-flow ladder (text, or an SVG picture)\n"
          "  --max-flows N, --flow-buffer BYTES, --max-fragsets N, --timeout SECONDS\n"
          "                   reassembly limits (4096, 262144, 256, 60)\n"
          "  --max-size BYTES, --max-line BYTES, --max-headers N\n"
          "                   the parser's limits (1048576, 65536, 1024)\n"
          "  --version        the version of sipcat and sipmsg\n"
          "  --help           this text\n"
          "exit: 0 ok, 1 invalid input, 2 usage, 3 round-trip mismatch, 4 483 sent\n",
          f);
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "sipcat: %s%s\n", what, arg ? arg : "");
    fputs("Try 'sipcat --help'.\n", stderr);
    return EXIT_USAGE;
}

/* Parses a decimal number in [lo, hi]. 0 on success. */
static int number(const char *s, unsigned long lo, unsigned long hi,
                  unsigned long *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Sets the action; two different actions are a usage error. */
static int set_action(struct options *opt, action act, const char *name)
{
    static const char *given;
    /* --check --canonical: is the message in canonical form already? */
    if ((opt->act == ACT_CHECK && act == ACT_CANONICAL) ||
        (opt->act == ACT_CANONICAL && act == ACT_CHECK)) {
        opt->canonical = 1;
        opt->act = ACT_CHECK;
        return EXIT_OK;
    }
    if (opt->act != ACT_PRINT && opt->act != act) {
        fprintf(stderr, "sipcat: %s cannot be combined with %s\n", name, given);
        return EXIT_USAGE;
    }
    opt->act = act;
    given = name;
    return EXIT_OK;
}

/* An option without a value. Returns -1 when `name` is not one. */
static int flag_option(struct options *opt, const char *name)
{
    static const struct {
        const char *name;
        action act;
    } actions[] = {
        {"--check", ACT_CHECK},         {"--json", ACT_JSON},
        {"--canonical", ACT_CANONICAL}, {"--forward", ACT_FORWARD},
        {"--unvia", ACT_UNVIA},
    };
    if (strcmp(name, "--stream") == 0)
        opt->stream = 1;
    else if (strcmp(name, "--strict") == 0)
        opt->strict = opt->strict > STRICT_ERRORS ? opt->strict : STRICT_ERRORS;
    else if (strcmp(name, "--lf") == 0)
        opt->lf = 1;
    else {
        for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
            if (strcmp(name, actions[i].name) == 0)
                return set_action(opt, actions[i].act, name);
        return -1;
    }
    return EXIT_OK;
}

/* 1 when option `name` takes a value. */
static int takes_value(const char *name)
{
    static const char *const names[] = {
        "--reply", "--reason", "--to-tag", "--via", "--received",
        "--authorize", "--user", "--password", "--cnonce", "--nc", "--branch",
        "--rport", "--max-size", "--max-line", "--max-headers"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* An option with a value. Returns -1 when `name` is not one. */
static int value_option(struct options *opt, const char *name, const char *v)
{
    unsigned long n;
    if (strcmp(name, "--reply") == 0) {
        if (number(v, 100, 699, &n) != 0)
            return usage_error("--reply needs a status code 100-699, not ", v);
        opt->reply_code = (int)n;
        return set_action(opt, ACT_REPLY, name);
    }
    if (strcmp(name, "--authorize") == 0) {
        opt->challenge = v;
        return set_action(opt, ACT_AUTHORIZE, name);
    }
    if (strcmp(name, "--nc") == 0) {
        if (number(v, 1, 0xffffffffUL, &n) != 0)
            return usage_error("--nc needs a count 1-4294967295, not ", v);
        opt->nc = n;
        return EXIT_OK;
    }
    if (strcmp(name, "--rport") == 0) {
        if (number(v, 1, 65535, &n) != 0)
            return usage_error("--rport needs a port 1-65535, not ", v);
        opt->rport = n;
        return EXIT_OK;
    }
    /* the parser's limits (sipmsg_opts) */
    static const struct {
        const char *name, *what;
        unsigned long lo, hi;
    } limits[] = {
        {"--max-size", "--max-size needs a size in bytes 64-1073741824, not ", 64, 1UL << 30},
        {"--max-line", "--max-line needs a length in bytes 16-1073741824, not ", 16, 1UL << 30},
        {"--max-headers", "--max-headers needs a count 1-1000000, not ", 1, 1000000},
    };
    size_t *lim[] = {&opt->max_size, &opt->max_line, &opt->max_headers};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        if (strcmp(name, limits[i].name) == 0) {
            if (number(v, limits[i].lo, limits[i].hi, &n) != 0)
                return usage_error(limits[i].what, v);
            *lim[i] = (size_t)n;
            return EXIT_OK;
        }
    }
    static const char *const names[] = {"--reason", "--to-tag", "--via",
                                        "--received", "--user", "--password",
                                        "--cnonce", "--branch"};
    const char **fields[] = {&opt->reason, &opt->to_tag, &opt->via,
                             &opt->received, &opt->user, &opt->password,
                             &opt->cnonce, &opt->branch};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *fields[i] = v;
            return EXIT_OK;
        }
    }
    return -1;
}

/* Options that only make sense with another one, and its required ones. */
static int check_combination(const struct options *opt, int nfiles)
{
    if ((opt->reason || opt->to_tag) && opt->act != ACT_REPLY)
        return usage_error("--reason and --to-tag go with --reply", NULL);
    if ((opt->via || opt->received || opt->rport) && opt->act != ACT_FORWARD)
        return usage_error("--via, --received and --rport go with --forward", NULL);
    if (opt->act == ACT_FORWARD && !opt->via)
        return usage_error("--forward needs --via 'SIP/2.0/TRANSPORT host;branch=...'", NULL);
    if ((opt->user || opt->password || opt->cnonce || opt->nc || opt->branch) &&
        opt->act != ACT_AUTHORIZE)
        return usage_error("--user, --password, --cnonce, --nc and --branch go with "
                           "--authorize",
                           NULL);
    if (opt->act == ACT_AUTHORIZE && (!opt->user || !opt->password))
        return usage_error("--authorize needs --user and --password", NULL);
    if (opt->act == ACT_AUTHORIZE && nfiles > 1)
        return usage_error("--authorize takes one REQUEST_FILE", NULL);
    return capture_check(opt);
}

/*
 * Parses the command line: options (also as --name=value) and FILEs may be
 * mixed; "--" ends the options. The FILE arguments are moved to the front
 * of files[] and counted in *nfiles.
 */
static int parse_args(int argc, char **argv, struct options *opt,
                      char **files, int *nfiles)
{
    int only_files = 0;
    *nfiles = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            files[(*nfiles)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(EXIT_OK);
        }
        if (strcmp(a, "--version") == 0) {
            printf("sipcat (sipmsg) %s\n", SIPMSG_VERSION_STRING);
            exit(EXIT_OK);
        }
        char *eq = strchr(a, '=');
        if (eq)
            *eq = '\0';
        if (strcmp(a, "--strict") == 0 && eq) { /* --strict=warnings */
            if (strcmp(eq + 1, "warnings") == 0)
                opt->strict = STRICT_WARNINGS;
            else if (strcmp(eq + 1, "errors") == 0)
                opt->strict = opt->strict > STRICT_ERRORS ? opt->strict : STRICT_ERRORS;
            else
                return usage_error("--strict takes =warnings or =errors, not =", eq + 1);
            continue;
        }
        int took = 0;
        int r = capture_option(opt, a, eq ? eq + 1 : NULL,
                               i + 1 < argc ? argv[i + 1] : NULL, &took);
        i += took;
        if (r != -1) {
            /* a capture option (pcap.c) */
        } else if (takes_value(a)) {
            if (!eq && i + 1 >= argc)
                return usage_error("missing value for ", a);
            r = value_option(opt, a, eq ? eq + 1 : argv[++i]);
        } else {
            r = eq ? -1 : flag_option(opt, a);
        }
        if (r == -1)
            return usage_error("unknown option ", a);
        if (r != EXIT_OK)
            return r;
    }
    return check_combination(opt, *nfiles);
}

int main(int argc, char **argv)
{
    struct options opt;
    memset(&opt, 0, sizeof opt);
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (!files)
        return EXIT_USAGE;
    int rc = parse_args(argc, argv, &opt, files, &nfiles);
    static char dash[] = "-";
    if (rc == EXIT_OK && nfiles == 0)
        files[nfiles++] = dash;
    if (rc == EXIT_OK && opt.act == ACT_AUTHORIZE)
        rc = authorize(files[0], &opt);
    else if (rc == EXIT_OK) {
        for (int i = 0; i < nfiles; i++) {
            int r = process_file(files[i], &opt);
            if (r != EXIT_OK && rc == EXIT_OK)
                rc = r;
        }
    }
    if (fflush(stdout) != 0 && rc == EXIT_OK)
        rc = EXIT_USAGE;
    free(files);
    return rc;
}
