/*
 * reasm.c - IP fragment reassembly and TCP streams, bounded.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * Fragments: a fixed number of sets (--max-fragsets); each set holds up to
 * 65,535 bytes and a bitmap of the 8-byte blocks it has. The first copy of
 * a block wins. A set completes when the last fragment has come and every
 * block before it is there; it is dropped (with an error record) when it
 * times out or when a new datagram needs its slot.
 *
 * TCP: one flow per direction, found by a hash of the four-tuple. Bytes in
 * sequence order go to the flow's buffer, where sipmsg_parse (stream mode,
 * framing only) cuts whole messages out; out-of-order segments wait in a
 * sorted list. Retransmitted bytes are dropped, overlapping segments
 * trimmed (the bytes first seen win). When the flow's bytes would pass
 * --flow-buffer, the missing bytes are a gap: an error record, and the
 * flow resynchronises at the next start line. A flow ends at FIN or RST,
 * after --timeout seconds idle, or as the least recent one when the table
 * is full.
 */
#define _POSIX_C_SOURCE 200809L
#include "capture_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- IP fragments -------------------------------------------------------- */

enum { DGRAM_MAX = 65535, BLOCKS = (DGRAM_MAX + 7) / 8 };

struct fragset {
    int used;
    struct cap_endpoint src, dst;
    uint32_t id;
    unsigned proto;
    long long start;                /* capture second of the first fragment */
    unsigned long long first_frame;
    unsigned char *buf;             /* DGRAM_MAX bytes once used */
    size_t total;                   /* 0 until the last fragment came */
    unsigned char have[(BLOCKS + 7) / 8];
};

static void frag_drop(struct cap_decoder *d, struct fragset *f)
{
    free(f->buf);
    d->held -= DGRAM_MAX;
    f->buf = NULL;
    f->used = 0;
}

/* Drops a set with an error record (timed out, or its slot needed). */
static int frag_expire(struct cap_decoder *d, struct fragset *f, const char *why)
{
    struct cap_pkt p;
    memset(&p, 0, sizeof p);
    p.frame = f->first_frame;
    p.sec = f->start;
    p.src = f->src;
    p.dst = f->dst;
    frag_drop(d, f);
    return cap_emitf(d, &p, f->proto == 6 ? CAP_TCP : CAP_UDP,
                     "incomplete IP datagram (first fragment in frame %llu) dropped: %s",
                     p.frame, why);
}

static int same_host(const struct cap_endpoint *a, const struct cap_endpoint *b)
{
    return a->family == b->family &&
           memcmp(a->addr, b->addr, a->family == 6 ? 16 : 4) == 0;
}

int reasm_fragment(struct cap_decoder *d, const struct cap_pkt *p,
                   unsigned proto, uint32_t id, size_t offset, int more,
                   const unsigned char *data, size_t len,
                   const unsigned char **out, size_t *outlen, int *stop)
{
    cap_transport t = proto == 6 ? CAP_TCP : CAP_UDP;
    struct fragset *f = NULL, *oldest = NULL, *unused = NULL;
    for (size_t i = 0; i < d->nfrags; i++) {
        struct fragset *s = &d->frags[i];
        if (!s->used) {
            if (!unused)
                unused = s;
            continue;
        }
        if (s->id == id && s->proto == proto && same_host(&s->src, &p->src) &&
            same_host(&s->dst, &p->dst)) {
            f = s;
            break;
        }
        if (!oldest || s->start < oldest->start)
            oldest = s;
    }
    if (offset + len > DGRAM_MAX) {
        *stop = cap_emitf(d, p, t, "IP fragment with a bad offset: %zu + %zu bytes "
                          "passes the 65,535-byte limit", offset, len);
        if (f)
            frag_drop(d, f);
        return 0;
    }
    if (more && (len == 0 || len % 8 != 0)) {
        *stop = cap_emitf(d, p, t, "IP fragment of %zu bytes: a fragment other than the "
                          "last holds a multiple of 8 bytes", len);
        if (f)
            frag_drop(d, f);
        return 0;
    }
    if (!f) {
        if (!unused) {
            *stop = frag_expire(d, oldest, "too many datagrams in reassembly (--max-fragsets)");
            if (*stop)
                return 0;
            unused = oldest;
        }
        f = unused;
        memset(f, 0, sizeof *f);
        f->buf = malloc(DGRAM_MAX);
        if (!f->buf) {
            *stop = cap_emitf(d, p, t, "out of memory for IP reassembly");
            return 0;
        }
        d->held += DGRAM_MAX;
        f->used = 1;
        f->src = p->src;
        f->dst = p->dst;
        f->id = id;
        f->proto = proto;
        f->start = p->sec;
        f->first_frame = p->frame;
    }
    size_t end = offset + len;
    if (!more) {
        if ((f->total && f->total != end) || end == 0) {
            *stop = cap_emitf(d, p, t, "IP fragments disagree on the datagram's length");
            frag_drop(d, f);
            return 0;
        }
        f->total = end;
    }
    if (f->total && end > f->total) {
        *stop = cap_emitf(d, p, t, "IP fragment with a bad offset: it ends at %zu, "
                          "after the datagram's end %zu", end, f->total);
        frag_drop(d, f);
        return 0;
    }
    /* Copy the blocks not seen yet (offset is a multiple of 8). */
    for (size_t at = offset; at < end; at += 8) {
        size_t blk = at / 8, n = end - at < 8 ? end - at : 8;
        if (!(f->have[blk / 8] & (1u << (blk % 8)))) {
            memcpy(f->buf + at, data + (at - offset), n);
            f->have[blk / 8] = (unsigned char)(f->have[blk / 8] | (1u << (blk % 8)));
        }
    }
    if (!f->total)
        return 0;
    for (size_t blk = 0; blk < (f->total + 7) / 8; blk++)
        if (!(f->have[blk / 8] & (1u << (blk % 8))))
            return 0;
    /* Complete: hand the bytes out; the slot is free for the next one, and
     * its buffer is kept until the next call (the caller reads it now). */
    free(d->done);
    d->done = f->buf;
    f->buf = NULL;
    f->used = 0;
    d->held -= DGRAM_MAX;
    *out = d->done;
    *outlen = f->total;
    return 1;
}

/* ---- TCP flows ---------------------------------------------------------------- */

struct seg {
    struct seg *next;
    uint32_t seq;
    size_t len;
    unsigned char data[];
};

struct flow {
    struct flow *hnext;         /* hash chain */
    struct flow *prev, *next;   /* least to most recent */
    struct cap_endpoint src, dst;
    size_t bucket;
    uint32_t next_seq;
    int hunting;                /* looking for a start line */
    char *buf;                  /* bytes in order, not framed yet */
    size_t len, cap;
    struct seg *ooo;            /* out of order, sorted by seq */
    size_t ooo_bytes;
    long long last;             /* capture time of the last segment */
    unsigned last_usec;
    unsigned long long last_frame;
};

static int seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static size_t hash_flow(const struct cap_endpoint *s, const struct cap_endpoint *t,
                        size_t nbuckets)
{
    uint64_t h = 1469598103934665603ULL;
    size_t n = s->family == 6 ? 16 : 4;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s->addr[i]) * 1099511628211ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ t->addr[i]) * 1099511628211ULL;
    h = (h ^ s->port) * 1099511628211ULL;
    h = (h ^ t->port) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29)) & (nbuckets - 1);
}

static int same_ep(const struct cap_endpoint *a, const struct cap_endpoint *b)
{
    return a->port == b->port && same_host(a, b);
}

int reasm_init(struct cap_decoder *d)
{
    d->nfrags = d->lim.max_fragsets;
    d->frags = calloc(d->nfrags, sizeof *d->frags);
    size_t nb = 16;
    while (nb < d->lim.max_flows * 2 && nb < ((size_t)1 << 24))
        nb *= 2;
    d->nbuckets = nb;
    d->buckets = calloc(nb, sizeof *d->buckets);
    return d->frags && d->buckets ? 0 : -1;
}

static void lru_unlink(struct cap_decoder *d, struct flow *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        d->lru_head = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else
        d->lru_tail = f->prev;
    f->prev = f->next = NULL;
}

static void lru_append(struct cap_decoder *d, struct flow *f)
{
    f->prev = d->lru_tail;
    f->next = NULL;
    if (d->lru_tail)
        d->lru_tail->next = f;
    else
        d->lru_head = f;
    d->lru_tail = f;
}

static void ooo_free(struct cap_decoder *d, struct flow *f)
{
    while (f->ooo) {
        struct seg *s = f->ooo;
        f->ooo = s->next;
        free(s);
    }
    d->held -= f->ooo_bytes;
    f->ooo_bytes = 0;
}

static void flow_free(struct cap_decoder *d, struct flow *f)
{
    struct flow **pp = &d->buckets[f->bucket];
    while (*pp != f)
        pp = &(*pp)->hnext;
    *pp = f->hnext;
    lru_unlink(d, f);
    ooo_free(d, f);
    d->held -= f->cap;
    free(f->buf);
    free(f);
    d->nflows--;
}

void reasm_free(struct cap_decoder *d)
{
    while (d->lru_head)
        flow_free(d, d->lru_head);
    for (size_t i = 0; d->frags && i < d->nfrags; i++)
        if (d->frags[i].used)
            frag_drop(d, &d->frags[i]);
    free(d->frags);
    free(d->buckets);
    free(d->done);
}

/* A record about flow f (its endpoints) at packet p's frame and time. */
static struct cap_pkt flow_pkt(const struct flow *f, const struct cap_pkt *p)
{
    struct cap_pkt q = *p;
    q.src = f->src;
    q.dst = f->dst;
    return q;
}

/* Drops n framed bytes from the front of the flow's buffer. */
static void consume(struct flow *f, size_t n)
{
    memmove(f->buf, f->buf + n, f->len - n);
    f->len -= n;
}

/* Hunting: drops bytes up to the next start line. 1 when found, 0 when
 * more bytes are needed. */
static int hunt(struct flow *f)
{
    size_t at = 0;
    for (;;) {
        int s = cap_start_line(f->buf + at, f->len - at);
        if (s == 1) {
            consume(f, at);
            f->hunting = 0;
            return 1;
        }
        if (s == -1) {
            consume(f, at); /* a line that may become one */
            return 0;
        }
        const char *lf = memchr(f->buf + at, '\n', f->len - at);
        if (!lf) {
            f->len = 0; /* a long line that is no start line */
            return 0;
        }
        at = (size_t)(lf - f->buf) + 1;
    }
}

/* Cuts whole messages out of the flow's buffer and hands them out. */
static int frame_flow(struct cap_decoder *d, struct flow *f, const struct cap_pkt *p)
{
    struct cap_pkt q = flow_pkt(f, p);
    sipmsg_opts po = {SIPMSG_STREAM, d->lim.flow_buffer, 0, 0, SIPMSG_PARSE_FRAME_ONLY};
    sipmsg_msg m;
    sipmsg_error err;
    sipmsg_msg_init(&m, d->table, sizeof d->table / sizeof d->table[0]);
    while (f->len > 0) {
        if (f->hunting && !hunt(f))
            return 0;
        sipmsg_result st = sipmsg_parse(&m, f->buf, f->len, &po, &err);
        if (st == SIPMSG_DONE) {
            int r = cap_emit(d, &q, CAP_MESSAGE, CAP_TCP, m.buf, m.len, NULL);
            consume(f, m.skipped + m.len);
            if (r)
                return r;
            continue;
        }
        if (st == SIPMSG_INCOMPLETE) {
            if (m.skipped == f->len)
                f->len = 0; /* only keep-alive CRLFs */
            return 0;
        }
        /* Not a message: say why, then look for the next start line. */
        char msg[200];
        snprintf(msg, sizeof msg, "TCP stream: %s (the flow resynchronises at the next start line)",
                 err.msg ? err.msg : sipmsg_strerror(err.code));
        int r = cap_emit(d, &q, CAP_ERROR, CAP_TCP, f->buf, f->len, msg);
        const char *lf = memchr(f->buf, '\n', f->len);
        consume(f, lf ? (size_t)(lf - f->buf) + 1 : f->len);
        f->hunting = 1;
        if (r)
            return r;
    }
    return 0;
}

/* Appends in-order bytes to the flow's buffer. -1 when the buffer is full. */
static int append(struct cap_decoder *d, struct flow *f, const unsigned char *data,
                  size_t len)
{
    if (f->len + len > f->cap) {
        size_t cap = f->cap ? f->cap : 2048;
        while (cap < f->len + len)
            cap *= 2;
        if (f->len + len + f->ooo_bytes > d->lim.flow_buffer ||
            d->held + (cap - f->cap) > d->lim.total_buffer)
            return -1;
        char *b = realloc(f->buf, cap);
        if (!b)
            return -1;
        d->held += cap - f->cap;
        f->buf = b;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, data, len);
    f->len += len;
    f->next_seq += (uint32_t)len;
    return 0;
}

/* Gives the buffer back when a flow holds nothing (keeps memory flat over
 * many long-lived flows). */
static void shrink(struct cap_decoder *d, struct flow *f)
{
    if (f->len == 0 && f->cap > 4096) {
        free(f->buf);
        d->held -= f->cap;
        f->buf = NULL;
        f->cap = 0;
    }
}

/* The bytes up to seq are lost: error record, resynchronise. */
static int gap(struct cap_decoder *d, struct flow *f, const struct cap_pkt *p,
               uint32_t seq, const char *why)
{
    struct cap_pkt q = flow_pkt(f, p);
    int r = cap_emitf(d, &q, CAP_TCP,
                      "TCP gap: %lu bytes missing%s%s (the flow resynchronises at the "
                      "next start line)",
                      (unsigned long)(uint32_t)(seq - f->next_seq), why ? ": " : "",
                      why ? why : "");
    f->len = 0;
    f->next_seq = seq;
    f->hunting = 1;
    return r;
}

/* In-order data: append (trimmed), then pull in the waiting segments. */
static int deliver(struct cap_decoder *d, struct flow *f, const struct cap_pkt *p,
                   const unsigned char *data, size_t len)
{
    if (len && append(d, f, data, len) != 0) {
        /* The message being framed passes the buffer: drop it. */
        struct cap_pkt q = flow_pkt(f, p);
        int r = cap_emitf(d, &q, CAP_TCP,
                          "TCP stream: a message longer than the flow buffer (%zu bytes, "
                          "--flow-buffer) dropped; the flow resynchronises at the next start line",
                          d->lim.flow_buffer);
        f->len = 0;
        f->hunting = 1;
        f->next_seq += (uint32_t)len;
        if (r)
            return r;
    }
    while (f->ooo && !seq_lt(f->next_seq, f->ooo->seq)) {
        struct seg *s = f->ooo;
        f->ooo = s->next;
        f->ooo_bytes -= s->len;
        d->held -= s->len;
        uint32_t skip = f->next_seq - s->seq;
        if (skip < s->len && append(d, f, s->data + skip, s->len - skip) != 0) {
            f->len = 0;
            f->hunting = 1;
            f->next_seq = s->seq + (uint32_t)s->len;
        }
        free(s);
    }
    int r = frame_flow(d, f, p);
    shrink(d, f);
    return r;
}

/* Waits for the bytes before it: a copy in the sorted list. 1 when there
 * is no room for it. */
static int hold(struct cap_decoder *d, struct flow *f, uint32_t seq,
                const unsigned char *data, size_t len)
{
    if (f->len + f->ooo_bytes + len > d->lim.flow_buffer ||
        d->held + len > d->lim.total_buffer)
        return 1;
    struct seg **pp = &f->ooo;
    while (*pp && seq_lt((*pp)->seq, seq))
        pp = &(*pp)->next;
    if (*pp && (*pp)->seq == seq && (*pp)->len >= len)
        return 0; /* a retransmission of a waiting segment */
    struct seg *s = malloc(sizeof *s + len);
    if (!s)
        return 0;
    s->seq = seq;
    s->len = len;
    memcpy(s->data, data, len);
    s->next = *pp;
    *pp = s;
    f->ooo_bytes += len;
    d->held += len;
    return 0;
}

/* A segment's payload (captured bytes data[0, len) of wirelen), at seq. */
static int segment(struct cap_decoder *d, struct flow *f, const struct cap_pkt *p,
                   uint32_t seq, const unsigned char *data, size_t len, size_t wirelen)
{
    int32_t ahead = (int32_t)(seq - f->next_seq);
    if (ahead < 0) { /* retransmitted or overlapping bytes: the first win */
        uint32_t old = f->next_seq - seq;
        if (old >= wirelen)
            return 0;
        size_t cut = old < len ? old : len;
        data += cut, len -= cut, wirelen -= old;
        seq = f->next_seq;
        ahead = 0;
    }
    if (ahead == 0) {
        uint32_t wire_end = seq + (uint32_t)wirelen;
        int r = deliver(d, f, p, data, len);
        if (!r && len < wirelen)
            r = gap(d, f, p, wire_end, "cut by the capture's snaplen");
        return r;
    }
    if (len < wirelen)
        return 0; /* cut and early: the gap before it is reported later */
    /* Out of order; with no room, the missing bytes are given up, up to
     * the first waiting segment (or this one), until it fits. */
    while (hold(d, f, seq, data, len)) {
        uint32_t to = f->ooo && seq_lt(f->ooo->seq, seq) ? f->ooo->seq : seq;
        int r = gap(d, f, p, to, "out-of-order bytes pass the flow buffer (--flow-buffer)");
        if (!r)
            r = deliver(d, f, p, to == seq ? data : NULL, to == seq ? len : 0);
        if (r || to == seq)
            return r;
        if (!seq_lt(f->next_seq, seq))
            return segment(d, f, p, seq, data, len, wirelen); /* now in order */
    }
    return 0;
}

static struct flow *flow_find(struct cap_decoder *d, const struct cap_endpoint *s,
                              const struct cap_endpoint *t, size_t *bucket)
{
    *bucket = hash_flow(s, t, d->nbuckets);
    for (struct flow *f = d->buckets[*bucket]; f; f = f->hnext)
        if (same_ep(&f->src, s) && same_ep(&f->dst, t))
            return f;
    return NULL;
}

/* Ends a flow: what it still held is reported. */
static int flow_end(struct cap_decoder *d, struct flow *f, const struct cap_pkt *p,
                    const char *how)
{
    int r = 0;
    struct cap_pkt q = flow_pkt(f, p);
    if (f->ooo)
        r = gap(d, f, p, f->ooo->seq, "never captured");
    if (!r && f->ooo)
        r = deliver(d, f, p, NULL, 0);
    if (!r && f->len > 0 && !f->hunting) {
        /* What is left is a message cut short, unless only CRLFs. */
        size_t i = 0;
        while (i < f->len && (f->buf[i] == '\r' || f->buf[i] == '\n'))
            i++;
        if (i < f->len)
            r = cap_emitf(d, &q, CAP_TCP, "TCP flow %s inside a message (%zu bytes held)",
                          how, f->len - i);
    }
    flow_free(d, f);
    return r;
}

int reasm_tcp(struct cap_decoder *d, const struct cap_pkt *p, uint32_t seq,
              unsigned flags, const unsigned char *data, size_t len,
              size_t wirelen)
{
    size_t bucket;
    struct flow *f = flow_find(d, &p->src, &p->dst, &bucket);
    int r = 0;
    if (!f) {
        if ((flags & TCP_RST) || (wirelen == 0 && !(flags & TCP_SYN)))
            return 0;
        if (!(flags & TCP_SYN) && cap_start_line((const char *)data, len) == 0 &&
            !memchr(data, '\n', len))
            return 0; /* mid-stream, no line start in sight: not followed yet */
        if (d->nflows >= d->lim.max_flows) {
            r = flow_end(d, d->lru_head, p, "dropped as the least recent (--max-flows)");
            if (r)
                return r;
        }
        f = calloc(1, sizeof *f);
        if (!f)
            return 0;
        f->src = p->src;
        f->dst = p->dst;
        f->bucket = bucket;
        f->hnext = d->buckets[bucket];
        d->buckets[bucket] = f;
        d->nflows++;
        f->hunting = 1;
        f->next_seq = flags & TCP_SYN ? seq + 1 : seq;
        lru_append(d, f);
    } else {
        lru_unlink(d, f);
        lru_append(d, f);
    }
    f->last = p->sec;
    f->last_usec = p->usec;
    f->last_frame = p->frame;
    if (flags & TCP_SYN) {
        if (f->len == 0 && !f->ooo)
            f->next_seq = seq + 1; /* a new connection on the same ports */
        seq++;
    }
    if (wirelen > 0)
        r = segment(d, f, p, seq, data, len, wirelen);
    if (r)
        return r;
    if (flags & (TCP_FIN | TCP_RST)) {
        r = flow_end(d, f, p, flags & TCP_RST ? "reset" : "closed");
        if (!r && (flags & TCP_RST)) {
            struct flow *back = flow_find(d, &p->dst, &p->src, &bucket);
            if (back)
                r = flow_end(d, back, p, "reset");
        }
    }
    return r;
}

/* A flow's last segment, for what is reported when it ends by itself. */
static struct cap_pkt last_pkt(const struct flow *f)
{
    struct cap_pkt p;
    memset(&p, 0, sizeof p);
    p.frame = f->last_frame;
    p.sec = f->last;
    p.usec = f->last_usec;
    return p;
}

int reasm_sweep(struct cap_decoder *d, long long now)
{
    d->swept = now;
    d->have_swept = 1;
    int r = 0;
    long long limit = (long long)d->lim.timeout;
    while (!r && d->lru_head && d->lru_head->last + limit < now) {
        struct cap_pkt p = last_pkt(d->lru_head);
        r = flow_end(d, d->lru_head, &p, "idle past --timeout");
    }
    for (size_t i = 0; !r && i < d->nfrags; i++)
        if (d->frags[i].used && d->frags[i].start + limit < now)
            r = frag_expire(d, &d->frags[i], "timed out (--timeout)");
    return r;
}

int reasm_finish(struct cap_decoder *d)
{
    int r = 0;
    while (!r && d->lru_head) {
        struct cap_pkt p = last_pkt(d->lru_head);
        r = flow_end(d, d->lru_head, &p, "at the end of the capture");
    }
    for (size_t i = 0; !r && i < d->nfrags; i++)
        if (d->frags[i].used)
            r = frag_expire(d, &d->frags[i], "the capture ends before its last fragment");
    return r;
}
