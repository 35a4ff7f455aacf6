/*
 * capture.h - SIP out of packet captures: the packet decoder (link layer,
 * IPv4/IPv6, UDP, TCP), IP fragment and TCP stream reassembly, and the
 * records it hands out. No libpcap here: the decoder takes a link type and
 * the bytes of one packet, so the fuzz target (fuzz/fuzz_capture.c) drives
 * it without a capture file; pcapread.c feeds it from libpcap.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 *
 * decode.c   link layer (Ethernet + 802.1Q/QinQ, Linux SLL v1/v2, raw IP,
 *            BSD loopback), IPv4/IPv6 headers, UDP, TCP, SIP detection
 * reasm.c    IP fragments and TCP flows (bounded, timed out), SIP framing
 *            of TCP streams
 *
 * Every buffer is bounded (struct cap_limits); memory stays flat however
 * long the capture is: flows and fragment sets are freed when they end or
 * time out (in capture time), and a full table evicts the least recent.
 */
#ifndef SIPCAT_CAPTURE_H
#define SIPCAT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* Link types (pcap LINKTYPE_ / DLT_ values) the decoder reads. */
enum {
    CAP_LINK_NULL = 0,       /* BSD loopback, host byte order family */
    CAP_LINK_ETHERNET = 1,
    CAP_LINK_RAW = 12,       /* DLT_RAW on most systems */
    CAP_LINK_RAW_OPENBSD = 14,
    CAP_LINK_RAW_LT = 101,   /* LINKTYPE_RAW */
    CAP_LINK_LOOP = 108,     /* OpenBSD loopback, network byte order */
    CAP_LINK_SLL = 113,      /* Linux cooked capture v1 */
    CAP_LINK_IPV4 = 228,
    CAP_LINK_IPV6 = 229,
    CAP_LINK_SLL2 = 276      /* Linux cooked capture v2 */
};

typedef enum cap_transport { CAP_UDP, CAP_TCP, CAP_WS } cap_transport;

/* An IP endpoint. */
struct cap_endpoint {
    unsigned char family; /* 4 or 6 */
    unsigned char addr[16];
    uint16_t port;
};

typedef enum cap_kind {
    CAP_MESSAGE, /* data/len: one SIP message (a UDP payload, or one message
                    framed out of a TCP stream) */
    CAP_ERROR    /* error: what went wrong; data/len may hold the bytes */
} cap_kind;

/* One record handed to the callback. Pointers are valid during the call. */
struct cap_record {
    cap_kind kind;
    const char *data;
    size_t len;
    const char *error;        /* CAP_ERROR: the problem, in words */
    unsigned long long frame; /* 1-based packet number (for TCP: the
                                 segment that completed the message) */
    long long sec;            /* capture time, UTC */
    unsigned usec;
    struct cap_endpoint src, dst; /* family 0: not known (link-level error) */
    cap_transport transport;
};

/* Returns 0 to go on, non-zero to stop (cap_packet then returns it). */
typedef int (*cap_fn)(void *ctx, const struct cap_record *r);

/* Limits; 0 takes the default. */
struct cap_limits {
    size_t max_flows;      /* TCP flows followed at once (4096) */
    size_t flow_buffer;    /* bytes held per TCP flow: the message being
                              framed and out-of-order segments (256 KiB) */
    size_t total_buffer;   /* bytes held by all TCP flows (64 MiB) */
    size_t max_fragsets;   /* IP datagrams being reassembled at once (256) */
    unsigned timeout;      /* seconds (capture time) before an idle flow
                              or an incomplete datagram is dropped (60) */
    unsigned port;         /* only packets from or to this port (0: any) */
};

#define CAP_DEFAULT_MAX_FLOWS 4096u
#define CAP_DEFAULT_FLOW_BUFFER ((size_t)256 * 1024)
#define CAP_DEFAULT_TOTAL_BUFFER ((size_t)64 * 1024 * 1024)
#define CAP_DEFAULT_MAX_FRAGSETS 256u
#define CAP_DEFAULT_TIMEOUT 60u

struct cap_decoder;

/* NULL when out of memory. */
struct cap_decoder *cap_new(const struct cap_limits *lim, cap_fn fn, void *ctx);
/*
 * Decodes one packet: caplen bytes captured of a packet of wirelen bytes.
 * Packets that are not IP, UDP or TCP, or whose payload does not look like
 * SIP, are skipped quietly; damaged ones give a CAP_ERROR record. Returns
 * 0, or the callback's non-zero value.
 */
int cap_packet(struct cap_decoder *d, int linktype, const unsigned char *pkt,
               size_t caplen, size_t wirelen, unsigned long long frame,
               long long sec, unsigned usec);
/* The end of the capture: reports TCP flows that end inside a message. */
int cap_finish(struct cap_decoder *d);
void cap_free(struct cap_decoder *d);

/* Bytes held by the reassembly at the moment (for tests of flatness). */
size_t cap_held(const struct cap_decoder *d);

/* 1 when p starts with a SIP request line or status line. */
int cap_looks_sip(const char *p, size_t n);

/* Writes "1.2.3.4:5060" or "[::1]:5060" (at most 48 bytes with the NUL). */
void cap_endpoint_str(const struct cap_endpoint *e, char *out, size_t size);

/* The link types the decoder reads: 1, or 0 for others. */
int cap_link_supported(int linktype);

#endif /* SIPCAT_CAPTURE_H */
