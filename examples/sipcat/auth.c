/*
 * auth.c - --authorize: answer a 401 or 407 challenge (sipmsg/digest.h)
 * and write the retried request (sipmsg_build_retry).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "sipcat.h"

#include <stdlib.h>
#include <string.h>

/* The header tables: header_capacity entries each (--max-headers). */
static sipmsg_header *challenge_table, *request_table, *retry_table;

/* A file read and parsed as one message. */
struct loaded {
    struct input in;
    struct lf_buf lf;
    sipmsg_msg m;
    struct origin o;
};

static int load(struct loaded *l, const char *path, sipmsg_header **table,
                const struct options *opt)
{
    memset(l, 0, sizeof *l);
    if (input_open(&l->in, path) != 0) {
        perror(path);
        return EXIT_USAGE;
    }
    if (!*table && !(*table = malloc(header_capacity(opt) * sizeof **table))) {
        perror(path);
        return EXIT_USAGE;
    }
    sipmsg_msg_init(&l->m, *table, header_capacity(opt));
    int rc = load_datagram(&l->in, &l->lf, &l->m, &l->o, opt);
    return rc == EXIT_OK && !l->m.buf ? EXIT_INVALID : rc;
}

static void unload(struct loaded *l)
{
    lf_free(&l->lf);
    input_close(&l->in);
}

/* The challenge answers the request it was sent for: same Call-ID (RFC 3261
 * 8.1.3.5: the retry keeps the Call-ID). A warning when it does not. */
static void call_id_warning(const struct loaded *ch, const struct loaded *rq)
{
    sipmsg_slice a = ch->m.call_id, b = rq->m.call_id;
    if (!a.ptr || !b.ptr || (a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0))
        return;
    report_at(&rq->o, (size_t)(b.ptr - rq->o.text), "warning",
              "Call-ID %.*s differs from the challenge's (%.*s in %s): "
              "is this the request that was challenged?",
              (int)b.len, b.ptr, (int)a.len, a.ptr, ch->in.path);
}

/* Picks the strongest usable challenge of the 401/407. */
static int choose(const struct loaded *ch, sipmsg_digest_choice *choice)
{
    sipmsg_error err;
    const sipmsg_msg *m = &ch->m;
    const char *why = NULL;
    if (m->is_request || (m->status_code != 401 && m->status_code != 407))
        why = "the challenge must be a 401 or 407 response";
    else if (sipmsg_digest_choose(m, choice, &err) != SIPMSG_OK)
        why = err.msg ? err.msg : sipmsg_strerror(err.code);
    if (!why)
        return EXIT_OK;
    report_at(&ch->o, (size_t)(m->buf - ch->o.text), "error",
              "no usable challenge: %s", why);
    return EXIT_INVALID;
}

/* The credentials for the request, into buf. */
static int credentials(const sipmsg_digest_choice *choice, const sipmsg_msg *req,
                       const struct options *opt, char *buf, size_t cap)
{
    sipmsg_digest_input in;
    sipmsg_error err;
    memset(&in, 0, sizeof in);
    in.challenge = &choice->challenge;
    in.username = sipmsg_slice_of(opt->user);
    in.password = sipmsg_slice_of(opt->password);
    in.method = req->method_name;
    in.uri = req->request_uri;
    in.body = req->body;
    in.cnonce = sipmsg_slice_of(opt->cnonce);
    in.rand = random_bytes;
    in.nc = (uint32_t)opt->nc;
    size_t n = sipmsg_digest_authorize(&in, buf, cap, &err);
    if (n == 0 || n >= cap) {
        fprintf(stderr, "sipcat: cannot compute the credentials: %s\n",
                n ? "too long" : err.msg ? err.msg : sipmsg_strerror(err.code));
        return EXIT_INVALID;
    }
    return EXIT_OK;
}

/* The retried request: CSeq + 1, the credentials (where the article's
 * retry has them), and a new Via branch: --branch, or a random one. */
static int retry(const struct loaded *rq, const sipmsg_digest_choice *choice,
                 const char *cred, const char *branch)
{
    static char arena_buf[16 * 1024];
    sipmsg_arena arena;
    sipmsg_msg out;
    size_t cap = rq->m.count + 4;
    free(retry_table);
    if (!(retry_table = malloc(cap * sizeof *retry_table)))
        return EXIT_USAGE;
    sipmsg_msg_init(&out, retry_table, cap);
    sipmsg_arena_init(&arena, arena_buf, sizeof arena_buf);
    sipmsg_edit_init(&out, &arena);
    sipmsg_retry r;
    memset(&r, 0, sizeof r);
    r.choice = choice;
    r.auth_value = sipmsg_slice_of(cred);
    r.auth_after = SIPMSG_HDR_USER_AGENT; /* where the article's retry has it */
    r.branch = sipmsg_slice_of(branch); /* absent: a random one */
    r.rand = random_bytes; /* a retry is a new transaction: a new branch */
    sipmsg_code c = sipmsg_build_retry(&out, &rq->m, &r);
    if (c != SIPMSG_OK) {
        report_at(&rq->o, (size_t)(rq->m.buf - rq->o.text), "error",
                  "cannot retry the request: %s", sipmsg_strerror(c));
        return EXIT_INVALID;
    }
    return write_msg(&out, 0);
}

int authorize(const char *request_path, const struct options *opt)
{
    static struct loaded ch, rq;
    static char cred[8192];
    sipmsg_digest_choice choice;
    int rc = load(&ch, opt->challenge, &challenge_table, opt);
    if (rc == EXIT_OK)
        rc = load(&rq, request_path, &request_table, opt);
    if (rc == EXIT_OK && !rq.m.is_request)
        rc = step_needs(&rq.o, &rq.m, "--authorize (REQUEST_FILE)", 1);
    if (rc == EXIT_OK)
        call_id_warning(&ch, &rq);
    if (rc == EXIT_OK)
        rc = choose(&ch, &choice);
    if (rc == EXIT_OK)
        rc = credentials(&choice, &rq.m, opt, cred, sizeof cred);
    if (rc == EXIT_OK)
        rc = retry(&rq, &choice, cred, opt->branch);
    unload(&rq);
    unload(&ch);
    return rc;
}
