/*
 * lib_sofia.c - sofia-sip under the benchmark, through its public API.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * msg_make(sip_default_mclass(), 0, buf, len) is sofia's own "parse one
 * complete message" entry point: it copies the bytes into its receive
 * buffer and parses them there. A header that fails to parse is set aside
 * and the message still comes back, so the error flags and the list of
 * erroneous headers are checked too. Round trip: msg_as_string, which
 * encodes every header again.
 */
#include "bench.h"

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_alloc.h>

#include <stdlib.h>
#include <string.h>

static long sf_write(bench_mode mode, const char *buf, size_t len, char *out,
                     size_t cap);

static void *sf_new(void)
{
    return bench_peer_ctx_new(sf_write);
}

static msg_t *sf_parse_msg(const char *buf, size_t len)
{
    msg_t *msg = msg_make(sip_default_mclass(), 0, buf, (ssize_t)len);
    if (!msg)
        return NULL;
    sip_t const *sip = sip_object(msg);
    if (!sip || sip->sip_error || (sip->sip_flags & MSG_FLG_ERROR) ||
        (!sip->sip_request && !sip->sip_status)) {
        msg_destroy(msg);
        return NULL;
    }
    return msg;
}

static uint64_t sf_parse(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    msg_t *msg = sf_parse_msg(buf, len);
    if (!msg)
        return BENCH_FAIL;
    uint64_t v = (uintptr_t)sip_object(msg)->sip_cseq;
    msg_destroy(msg);
    return v;
}

static size_t slen(const char *s)
{
    return s ? strlen(s) : 0;
}

static uint64_t sf_access(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    msg_t *msg = sf_parse_msg(buf, len);
    if (!msg)
        return BENCH_FAIL;
    sip_t const *sip = sip_object(msg);
    uint64_t v = 0;
    if (sip->sip_via)
        v += slen(sip->sip_via->v_branch);
    if (sip->sip_from)
        v += slen(sip->sip_from->a_tag) * 3u;
    if (sip->sip_to)
        v += slen(sip->sip_to->a_tag) * 5u;
    if (sip->sip_call_id)
        v += slen(sip->sip_call_id->i_id) * 7u;
    if (sip->sip_cseq)
        v += sip->sip_cseq->cs_seq + (uint64_t)sip->sip_cseq->cs_method * 11u;
    if (sip->sip_max_forwards)
        v += sip->sip_max_forwards->mf_count * 13u;
    if (sip->sip_content_length)
        v += sip->sip_content_length->l_length * 17u;
    msg_destroy(msg);
    return v;
}

/* Proxy step for a request: push our Via, add received= to the previous top
 * Via, decrement Max-Forwards. For a response: pop the top Via. */
static int sf_proxy_step(msg_t *msg)
{
    sip_t *sip = sip_object(msg);
    if (sip->sip_status) {
        if (!sip->sip_via)
            return -1;
        return msg_header_remove(msg, (msg_pub_t *)sip, (msg_header_t *)sip->sip_via);
    }
    if (sip->sip_via &&
        msg_header_replace_param(msg_home(msg), sip->sip_via->v_common,
                                 "received=" BENCH_RECEIVED) < 0)
        return -1;
    sip_via_t *via = sip_via_make(msg_home(msg), BENCH_PROXY_VIA);
    if (!via || msg_header_insert(msg, (msg_pub_t *)sip, (msg_header_t *)via) < 0)
        return -1;
    if (sip->sip_max_forwards) {
        if (sip->sip_max_forwards->mf_count)
            sip->sip_max_forwards->mf_count--;
        msg_fragment_clear(sip->sip_max_forwards->mf_common);
    }
    return 0;
}

/* Parse, optional proxy step, msg_as_string. */
static long sf_write(bench_mode mode, const char *buf, size_t len, char *out,
                     size_t cap)
{
    msg_t *msg = sf_parse_msg(buf, len);
    if (!msg)
        return -1;
    long r = -1;
    size_t n = 0;
    if (mode != MODE_EDIT || sf_proxy_step(msg) == 0) {
        char *s = msg_as_string(msg_home(msg), msg, NULL, 0, &n);
        if (s)
            r = bench_emit(s, n, out, cap);
        su_free(msg_home(msg), s);
    }
    msg_destroy(msg);
    return r;
}

static int sf_probe(void *ctx, const char *buf, size_t len, bench_probe *out)
{
    (void)ctx;
    msg_t *msg = sf_parse_msg(buf, len);
    if (!msg)
        return -1;
    sip_t const *sip = sip_object(msg);
    int r = -1;
    if (sip->sip_cseq) {
        bench_probe_set(out, sip->sip_cseq->cs_seq,
                        sip->sip_via ? sip->sip_via->v_branch : NULL);
        r = 0;
    }
    msg_destroy(msg);
    return r;
}

const bench_lib bench_lib_sofia = {
    "sofia-sip", sf_new, bench_peer_ctx_free,
    {sf_parse, sf_access, bench_peer_roundtrip, bench_peer_edit},
    sf_probe, bench_peer_render,
};
