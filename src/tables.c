/*
 * tables.c - header names, methods, reason phrases, character classes.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#include "tables.h"

#include "tables.inc"

sipmsg_hdr_id sipmsg_hdr_lookup(sipmsg_slice name)
{
    if (!name.ptr)
        return SIPMSG_HDR_OTHER;
    for (size_t i = 0; i < name.len; i++)
        if (!cis((unsigned char)name.ptr[i], C_TOKEN))
            return SIPMSG_HDR_OTHER;
    return hdr_lookup_token(name.ptr, name.len, name.len);
}

const char *sipmsg_hdr_name(sipmsg_hdr_id id)
{
    return (unsigned)id < SIPMSG_HDR_COUNT_ ? sipmsg_hdr_info_[id].name : NULL;
}

const char *sipmsg_hdr_compact(sipmsg_hdr_id id)
{
    return (unsigned)id < SIPMSG_HDR_COUNT_ ? sipmsg_hdr_info_[id].compact : NULL;
}

unsigned sipmsg_hdr_props(sipmsg_hdr_id id)
{
    return (unsigned)id < SIPMSG_HDR_COUNT_ ? sipmsg_hdr_info_[id].props : 0u;
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

sipmsg_method sipmsg_method_lookup(sipmsg_slice name)
{
    const char *n = name.ptr;
    size_t len = name.len;
    /* the names zero-padded, so that 8 bytes of each can be read */
    static const char padded[SIPMSG_METHOD_COUNT_][10] = {
        "",     "",        "REGISTER", "INVITE",    "ACK",    "CANCEL",
        "BYE",  "OPTIONS", "MESSAGE",  "SUBSCRIBE", "NOTIFY", "REFER",
        "INFO", "UPDATE",  "PRACK",    "PUBLISH"};
    static const uint8_t lens[SIPMSG_METHOD_COUNT_] = {0, 0, 8, 6, 3, 6, 3, 7,
                                                       7, 9, 6, 5, 4, 6, 5, 7};
    if (len < 3 || len > 9)
        return SIPMSG_METHOD_OTHER;
    /* The candidate by first byte and length (two share a first byte), then
     * one 8-byte compare. */
    int i;
    switch (n[0]) {
    case 'R': i = len == 8 ? SIPMSG_METHOD_REGISTER : SIPMSG_METHOD_REFER; break;
    case 'I': i = len == 6 ? SIPMSG_METHOD_INVITE : SIPMSG_METHOD_INFO; break;
    case 'A': i = SIPMSG_METHOD_ACK; break;
    case 'C': i = SIPMSG_METHOD_CANCEL; break;
    case 'B': i = SIPMSG_METHOD_BYE; break;
    case 'O': i = SIPMSG_METHOD_OPTIONS; break;
    case 'M': i = SIPMSG_METHOD_MESSAGE; break;
    case 'S': i = SIPMSG_METHOD_SUBSCRIBE; break;
    case 'N': i = SIPMSG_METHOD_NOTIFY; break;
    case 'U': i = SIPMSG_METHOD_UPDATE; break;
    case 'P': i = len == 5 ? SIPMSG_METHOD_PRACK : SIPMSG_METHOD_PUBLISH; break;
    default: return SIPMSG_METHOD_OTHER;
    }
    /* whole-word loads, two overlapping ones below 8 bytes (not a copy of
     * len bytes into a zeroed word: its load would wait for the partial
     * stores, a store-forwarding stall) */
    const char *m = padded[i];
    if (lens[i] != len)
        return SIPMSG_METHOD_OTHER;
    int same;
    if (len >= 8)
        same = sipmsg_ld64_(n) == sipmsg_ld64_(m) && (len == 8 || n[8] == m[8]);
    else if (len >= 4)
        same = sipmsg_ld32_(n) == sipmsg_ld32_(m) &&
               sipmsg_ld32_(n + len - 4) == sipmsg_ld32_(m + len - 4);
    else
        same = sipmsg_ld16_(n) == sipmsg_ld16_(m) && n[2] == m[2];
    return same ? (sipmsg_method)i : SIPMSG_METHOD_OTHER;
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
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Notification"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {410, "Gone"},
    {412, "Conditional Request Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {417, "Unknown Resource-Priority"},
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"},
    {428, "Use Identity Header"},
    {429, "Provide Referrer Identity"},
    {433, "Anonymity Disallowed"},
    {436, "Bad Identity-Info"},
    {437, "Unsupported Certificate"},
    {438, "Invalid Identity Header"},
    {439, "First Hop Lacks Outbound Support"},
    {440, "Max-Breadth Exceeded"},
    {469, "Bad Info Package"},
    {470, "Consent Needed"},
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {494, "Security Agreement Required"},
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {580, "Precondition Failure"},
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
    {606, "Not Acceptable"},
    {607, "Unwanted"},
};

static const char *const class_names[7] = {
    NULL,           "Provisional",  "Success",        "Redirection",
    "Client Error", "Server Error", "Global Failure",
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
