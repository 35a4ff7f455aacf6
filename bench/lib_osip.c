/*
 * lib_osip.c - libosip2 under the benchmark, through its public API.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * parser_init() once per process; per message osip_message_init,
 * osip_message_parse, osip_message_free. osip_message_to_str returns a
 * cached copy of the input unless osip_message_force_update() is called
 * first, so roundtrip calls it: otherwise it would time a memcpy.
 * Max-Forwards is not typed in libosip2: it is read from the generic header
 * list, and numbers are converted from strings, as a user would.
 */
#include "bench.h"

#include <osipparser2/osip_parser.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long os_write(bench_mode mode, const char *buf, size_t len, char *out,
                     size_t cap);

/* libosip2 prints its error traces on stdout; the bench reports rejects
 * itself, so they go nowhere. */
static void os_quiet(const char *fi, int li, osip_trace_level_t level,
                     const char *chfr, va_list ap)
{
    (void)fi, (void)li, (void)level, (void)chfr, (void)ap;
}

static void *os_new(void)
{
    static int ready;
    if (!ready) {
        parser_init();
        osip_trace_initialize_func(END_TRACE_LEVEL, os_quiet);
        ready = 1;
    }
    return bench_peer_ctx_new(os_write);
}

static osip_message_t *os_parse_msg(const char *buf, size_t len)
{
    osip_message_t *sip;
    if (osip_message_init(&sip) != 0)
        return NULL;
    if (osip_message_parse(sip, buf, len) != 0) {
        osip_message_free(sip);
        return NULL;
    }
    return sip;
}

static uint64_t os_parse(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    osip_message_t *sip = os_parse_msg(buf, len);
    if (!sip)
        return BENCH_FAIL;
    uint64_t v = (uint64_t)osip_list_size(&sip->vias) + (uintptr_t)sip->cseq;
    osip_message_free(sip);
    return v;
}

static const char *os_via_branch(osip_message_t *sip)
{
    osip_via_t *via = osip_list_get(&sip->vias, 0);
    osip_generic_param_t *br = NULL;
    if (via)
        osip_via_param_get_byname(via, "branch", &br);
    return br ? br->gvalue : NULL;
}

static const char *os_tag(osip_from_t *a)
{
    osip_generic_param_t *tag = NULL;
    if (a)
        osip_from_get_tag(a, &tag);
    return tag ? tag->gvalue : NULL;
}

static size_t slen(const char *s)
{
    return s ? strlen(s) : 0;
}

static uint64_t os_access(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    osip_message_t *sip = os_parse_msg(buf, len);
    if (!sip)
        return BENCH_FAIL;
    uint64_t v = slen(os_via_branch(sip));
    v += slen(os_tag(sip->from)) * 3u + slen(os_tag(sip->to)) * 5u;
    if (sip->call_id)
        v += slen(osip_call_id_get_number(sip->call_id)) * 7u;
    if (sip->cseq) {
        v += strtoul(osip_cseq_get_number(sip->cseq), NULL, 10);
        v += slen(osip_cseq_get_method(sip->cseq)) * 11u;
    }
    osip_header_t *mf = NULL;
    if (osip_message_get_max_forwards(sip, 0, &mf) >= 0 && mf && mf->hvalue)
        v += strtoul(mf->hvalue, NULL, 10) * 13u;
    if (sip->content_length && sip->content_length->value)
        v += strtoul(sip->content_length->value, NULL, 10) * 17u;
    osip_message_free(sip);
    return v;
}

/* Proxy step for a request: push our Via, add received= to the previous top
 * Via, decrement Max-Forwards. For a response: pop the top Via. */
static int os_proxy_step(osip_message_t *sip)
{
    if (MSG_IS_RESPONSE(sip)) {
        osip_via_t *top = osip_list_get(&sip->vias, 0);
        if (!top)
            return -1;
        osip_list_remove(&sip->vias, 0);
        osip_via_free(top);
        return 0;
    }
    osip_via_t *old = osip_list_get(&sip->vias, 0), *via;
    if (old)
        osip_via_set_received(old, osip_strdup(BENCH_RECEIVED));
    if (osip_via_init(&via) != 0)
        return -1;
    if (osip_via_parse(via, BENCH_PROXY_VIA) != 0) {
        osip_via_free(via);
        return -1;
    }
    osip_list_add(&sip->vias, via, 0);
    osip_header_t *mf = NULL;
    if (osip_message_get_max_forwards(sip, 0, &mf) >= 0 && mf && mf->hvalue) {
        unsigned long n = strtoul(mf->hvalue, NULL, 10);
        char tmp[24];
        snprintf(tmp, sizeof tmp, "%lu", n ? n - 1 : 0);
        osip_free(mf->hvalue);
        mf->hvalue = osip_strdup(tmp);
    }
    return 0;
}

/* Parse, optional proxy step, to_str (after force_update). */
static long os_write(bench_mode mode, const char *buf, size_t len, char *out,
                     size_t cap)
{
    osip_message_t *sip = os_parse_msg(buf, len);
    if (!sip)
        return -1;
    char *s = NULL;
    size_t n = 0;
    long r = -1;
    if (mode != MODE_EDIT || os_proxy_step(sip) == 0) {
        osip_message_force_update(sip);
        if (osip_message_to_str(sip, &s, &n) == 0 && s)
            r = bench_emit(s, n, out, cap);
        osip_free(s);
    }
    osip_message_free(sip);
    return r;
}

static int os_probe(void *ctx, const char *buf, size_t len, bench_probe *out)
{
    (void)ctx;
    osip_message_t *sip = os_parse_msg(buf, len);
    if (!sip)
        return -1;
    int r = -1;
    if (sip->cseq && osip_cseq_get_number(sip->cseq)) {
        const char *num = osip_cseq_get_number(sip->cseq);
        bench_probe_set(out, bench_parse_u32(num, strlen(num)), os_via_branch(sip));
        r = 0;
    }
    osip_message_free(sip);
    return r;
}

const bench_lib bench_lib_osip = {
    "libosip2", os_new, bench_peer_ctx_free,
    {os_parse, os_access, bench_peer_roundtrip, bench_peer_edit},
    os_probe, bench_peer_render,
};
