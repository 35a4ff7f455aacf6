/*
 * capture_int.h - what decode.c and reasm.c share (not for sipcat's other
 * parts: they use capture.h).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPCAT_CAPTURE_INT_H
#define SIPCAT_CAPTURE_INT_H

#include "capture.h"

#include <sipmsg.h>

/* The packet being decoded. */
struct cap_pkt {
    unsigned long long frame;
    long long sec;
    unsigned usec;
    struct cap_endpoint src, dst; /* ports set once L4 is read */
};

struct fragset;
struct flow;

struct cap_decoder {
    struct cap_limits lim;
    cap_fn fn;
    void *ctx;
    /* IP fragments: a fixed array of sets. */
    struct fragset *frags;
    size_t nfrags;
    /* TCP flows: a hash table, and a list from least to most recent. */
    struct flow **buckets;
    size_t nbuckets, nflows;
    struct flow *lru_head, *lru_tail;
    size_t held;       /* bytes held by flows and fragment sets */
    long long swept;   /* capture second of the last timeout sweep */
    int have_swept;
    unsigned char *done; /* the last reassembled IP datagram */
    sipmsg_header table[SIPMSG_DEFAULT_MAX_HEADERS]; /* for TCP framing */
};

/* Hands a record to the callback; 0 or its non-zero answer. */
int cap_emit(struct cap_decoder *d, const struct cap_pkt *p, cap_kind kind,
             cap_transport t, const char *data, size_t len, const char *error);
/* The same with a formatted error. */
int cap_emitf(struct cap_decoder *d, const struct cap_pkt *p, cap_transport t,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* 1: a start line; 0: not one; -1: maybe, the line is not complete yet. */
int cap_start_line(const char *p, size_t n);

/* reasm.c */
int reasm_init(struct cap_decoder *d);
void reasm_free(struct cap_decoder *d);
/*
 * One IP fragment (offset in bytes). When it completes its datagram,
 * returns 1 with *out and *outlen the whole payload (valid until the next
 * call); 0 when more fragments are needed or it was dropped. Problems are
 * reported through the callback, whose non-zero answer lands in *stop.
 */
int reasm_fragment(struct cap_decoder *d, const struct cap_pkt *p,
                   unsigned proto, uint32_t id, size_t offset, int more,
                   const unsigned char *data, size_t len,
                   const unsigned char **out, size_t *outlen, int *stop);
/* One TCP segment: captured bytes data[0, len) of a payload of wirelen
 * bytes (more when the snaplen cut it). */
int reasm_tcp(struct cap_decoder *d, const struct cap_pkt *p, uint32_t seq,
              unsigned flags, const unsigned char *data, size_t len,
              size_t wirelen);
/* Timeouts (capture time). */
int reasm_sweep(struct cap_decoder *d, long long now);
int reasm_finish(struct cap_decoder *d);

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04 };

#endif /* SIPCAT_CAPTURE_INT_H */
