/*
 * tables.c - header names, methods, reason phrases, character classes.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "internal.h"

struct hdr_info {
    const char *name;
    char lname[24];    /* lowercase, zero-padded: compared 8 bytes at a time */
    const char *compact;
    uint8_t len;
    uint8_t props;
};

#include "tables.inc"

/* Must match hdr_hash() in tools/gen_tables.py. */
static unsigned hdr_hash(const char *name, size_t len)
{
    unsigned a = (unsigned char)name[0] | 0x20u; /* token bytes: see below */
    unsigned b = (unsigned char)name[len - 1] | 0x20u;
    unsigned c = (unsigned char)name[len / 2] | 0x20u;
    return ((unsigned)len * 13u + a * 7u + b * 3u + c) &
           ((1u << HDR_HASH_BITS) - 1u);
}

/*
 * Header names are tokens and the known names are lowercase letters and
 * '-', so for token bytes "c | 0x20" folds case exactly: no other token byte
 * maps onto a letter or '-'. The caller guarantees token bytes.
 */
static int token_eq_lower(const char *s, const char *lname, size_t n)
{
    for (; n >= 8; s += 8, lname += 8, n -= 8) { /* a word at a time */
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, lname, 8);
        if ((a | 0x2020202020202020u) != b)
            return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] | 0x20u) != (unsigned char)lname[i])
            return 0;
    return 1;
}

/* 24 bytes of 0xff then 24 of 0: the 8-byte word at ones + 24 - n + 8 * i
 * keeps the bytes of word i that belong to an n-byte name. Byte-wise, so
 * independent of endianness. */
static const unsigned char mask_bytes[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static uint64_t load8(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* token_eq_lower for n <= 24 when 24 bytes can be read at s: three masked
 * word compares, no loop. */
static int token_eq_lower24(const char *s, const char *lname, size_t n)
{
    const unsigned char *m = mask_bytes + 24 - n;
    const uint64_t fold = 0x2020202020202020u;
    uint64_t d = (((load8(s) | fold) ^ load8(lname)) & load8(m)) |
                 (((load8(s + 8) | fold) ^ load8(lname + 8)) & load8(m + 8)) |
                 (((load8(s + 16) | fold) ^ load8(lname + 16)) & load8(m + 16));
    return d == 0;
}

sipmsg_hdr sipmsg_hdr_lookup_token_(const char *name, size_t len, size_t avail)
{
    if (len == 1) {
        unsigned c = (unsigned char)name[0] | 0x20u;
        return c >= 'a' && c <= 'z' ? (sipmsg_hdr)hdr_compact[c - 'a']
                                    : SIPMSG_HDR_OTHER;
    }
    if (len > 20 || len == 0)
        return SIPMSG_HDR_OTHER;
    unsigned h = hdr_hash(name, len);
    for (int probe = 0; probe < HDR_HASH_MAX_PROBES; probe++) {
        unsigned id = hdr_slots[h];
        if (id == 0)
            break;
        if (hdr_info[id].len == len &&
            (avail >= 24 ? token_eq_lower24(name, hdr_info[id].lname, len)
                         : token_eq_lower(name, hdr_info[id].lname, len)))
            return (sipmsg_hdr)id;
        h = (h + 1) & ((1u << HDR_HASH_BITS) - 1u);
    }
    return SIPMSG_HDR_OTHER;
}

sipmsg_hdr sipmsg_hdr_lookup(const char *name, size_t len)
{
    if (!name)
        return SIPMSG_HDR_OTHER;
    for (size_t i = 0; i < len; i++)
        if (!cis((unsigned char)name[i], C_TOKEN))
            return SIPMSG_HDR_OTHER;
    return sipmsg_hdr_lookup_token_(name, len, len);
}

const char *sipmsg_hdr_name(sipmsg_hdr id)
{
    return (unsigned)id < SIPMSG_HDR_COUNT_ ? hdr_info[id].name : NULL;
}

const char *sipmsg_hdr_compact(sipmsg_hdr id)
{
    return (unsigned)id < SIPMSG_HDR_COUNT_ ? hdr_info[id].compact : NULL;
}

unsigned sipmsg_hdr_props(sipmsg_hdr id)
{
    return (unsigned)id < SIPMSG_HDR_COUNT_ ? hdr_info[id].props : 0u;
}

static const char *const method_names[SIPMSG_METHOD_COUNT_] = {
    [SIPMSG_METHOD_REGISTER] = "REGISTER", [SIPMSG_METHOD_INVITE] = "INVITE",
    [SIPMSG_METHOD_ACK] = "ACK",           [SIPMSG_METHOD_CANCEL] = "CANCEL",
    [SIPMSG_METHOD_BYE] = "BYE",           [SIPMSG_METHOD_OPTIONS] = "OPTIONS",
    [SIPMSG_METHOD_MESSAGE] = "MESSAGE",   [SIPMSG_METHOD_SUBSCRIBE] = "SUBSCRIBE",
    [SIPMSG_METHOD_NOTIFY] = "NOTIFY",     [SIPMSG_METHOD_REFER] = "REFER",
    [SIPMSG_METHOD_INFO] = "INFO",         [SIPMSG_METHOD_UPDATE] = "UPDATE",
    [SIPMSG_METHOD_PRACK] = "PRACK",       [SIPMSG_METHOD_PUBLISH] = "PUBLISH",
};

sipmsg_method sipmsg_method_lookup(const char *name, size_t len)
{
    static const uint8_t lens[SIPMSG_METHOD_COUNT_] = {
        0, 0, 8, 6, 3, 6, 3, 7, 7, 9, 6, 5, 4, 6, 5, 7};
    /* Few methods: compare only those of the same length and first byte. */
    if (len < 3 || len > 9)
        return SIPMSG_METHOD_OTHER;
    for (int i = SIPMSG_METHOD_REGISTER; i < SIPMSG_METHOD_COUNT_; i++) {
        const char *m = method_names[i];
        if (lens[i] == len && m[0] == name[0] && memcmp(m, name, len) == 0)
            return (sipmsg_method)i;
    }
    return SIPMSG_METHOD_OTHER;
}

const char *sipmsg_method_name(sipmsg_method method)
{
    return (unsigned)method < SIPMSG_METHOD_COUNT_ ? method_names[method] : NULL;
}

struct reason {
    uint16_t code;
    const char *text;
};

/* RFC 3261 section 21, plus codes from later RFCs in common use. */
static const struct reason reasons[] = {
    {100, "Trying"}, {180, "Ringing"}, {181, "Call Is Being Forwarded"},
    {182, "Queued"}, {183, "Session Progress"}, {199, "Early Dialog Terminated"},
    {200, "OK"}, {202, "Accepted"}, {204, "No Notification"},
    {300, "Multiple Choices"}, {301, "Moved Permanently"},
    {302, "Moved Temporarily"}, {305, "Use Proxy"}, {380, "Alternative Service"},
    {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"},
    {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
    {406, "Not Acceptable"}, {407, "Proxy Authentication Required"},
    {408, "Request Timeout"}, {410, "Gone"}, {412, "Conditional Request Failed"},
    {413, "Request Entity Too Large"}, {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"}, {416, "Unsupported URI Scheme"},
    {417, "Unknown Resource-Priority"}, {420, "Bad Extension"},
    {421, "Extension Required"}, {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"}, {428, "Use Identity Header"},
    {429, "Provide Referrer Identity"}, {433, "Anonymity Disallowed"},
    {436, "Bad Identity-Info"}, {437, "Unsupported Certificate"},
    {438, "Invalid Identity Header"}, {439, "First Hop Lacks Outbound Support"},
    {440, "Max-Breadth Exceeded"}, {469, "Bad Info Package"},
    {470, "Consent Needed"}, {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"}, {482, "Loop Detected"},
    {483, "Too Many Hops"}, {484, "Address Incomplete"}, {485, "Ambiguous"},
    {486, "Busy Here"}, {487, "Request Terminated"},
    {488, "Not Acceptable Here"}, {489, "Bad Event"}, {491, "Request Pending"},
    {493, "Undecipherable"}, {494, "Security Agreement Required"},
    {500, "Server Internal Error"}, {501, "Not Implemented"},
    {502, "Bad Gateway"}, {503, "Service Unavailable"},
    {504, "Server Time-out"}, {505, "Version Not Supported"},
    {513, "Message Too Large"}, {580, "Precondition Failure"},
    {600, "Busy Everywhere"}, {603, "Decline"},
    {604, "Does Not Exist Anywhere"}, {606, "Not Acceptable"},
    {607, "Unwanted"},
};

static const char *const class_names[7] = {
    NULL, "Provisional", "Success", "Redirection", "Client Error",
    "Server Error", "Global Failure",
};

int sipmsg_status_class(int status)
{
    return status >= 100 && status <= 699 ? status / 100 : 0;
}

const char *sipmsg_reason_phrase(int status)
{
    size_t lo = 0, hi = sizeof reasons / sizeof reasons[0];
    while (lo < hi) { /* binary search: the table is sorted */
        size_t mid = lo + (hi - lo) / 2;
        if (reasons[mid].code == status)
            return reasons[mid].text;
        if (reasons[mid].code < status)
            lo = mid + 1;
        else
            hi = mid;
    }
    return class_names[sipmsg_status_class(status)];
}
