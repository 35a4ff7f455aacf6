#!/usr/bin/env python3
"""Generates src/tables.inc: the character-class table and the header-name
hash table. Run from the top of the tree: python3 tools/gen_tables.py
The output is committed, so building sipmsg never needs Python."""

import sys

# (enum suffix, full name, compact form or None, properties)
# props: L = comma-separated list, S = single instance (RFC 3261)
HEADERS = [
    ("VIA", "Via", "v", "L"),
    ("FROM", "From", "f", "S"),
    ("TO", "To", "t", "S"),
    ("CALL_ID", "Call-ID", "i", "S"),
    ("CSEQ", "CSeq", None, "S"),
    ("MAX_FORWARDS", "Max-Forwards", None, "S"),
    ("CONTACT", "Contact", "m", "L"),
    ("CONTENT_TYPE", "Content-Type", "c", "S"),
    ("CONTENT_LENGTH", "Content-Length", "l", "S"),
    ("CONTENT_ENCODING", "Content-Encoding", "e", "L"),
    ("EXPIRES", "Expires", None, "S"),
    ("ROUTE", "Route", None, "L"),
    ("RECORD_ROUTE", "Record-Route", None, "L"),
    ("ALLOW", "Allow", None, "L"),
    ("SUPPORTED", "Supported", "k", "L"),
    ("REQUIRE", "Require", None, "L"),
    ("PROXY_REQUIRE", "Proxy-Require", None, "L"),
    ("UNSUPPORTED", "Unsupported", None, "L"),
    ("USER_AGENT", "User-Agent", None, ""),
    ("SERVER", "Server", None, ""),
    ("SUBJECT", "Subject", "s", ""),
    ("EVENT", "Event", "o", "S"),
    ("ALLOW_EVENTS", "Allow-Events", "u", "L"),
    ("WWW_AUTHENTICATE", "WWW-Authenticate", None, ""),
    ("AUTHORIZATION", "Authorization", None, ""),
    ("PROXY_AUTHENTICATE", "Proxy-Authenticate", None, ""),
    ("PROXY_AUTHORIZATION", "Proxy-Authorization", None, ""),
    ("DATE", "Date", None, "S"),
    ("TIMESTAMP", "Timestamp", None, "S"),
    ("ACCEPT", "Accept", None, "L"),
    ("WARNING", "Warning", None, "L"),
    ("RETRY_AFTER", "Retry-After", None, "S"),
    ("ACCEPT_ENCODING", "Accept-Encoding", None, "L"),
    ("ACCEPT_LANGUAGE", "Accept-Language", None, "L"),
    ("ALERT_INFO", "Alert-Info", None, "L"),
    ("CALL_INFO", "Call-Info", None, "L"),
    ("CONTENT_DISPOSITION", "Content-Disposition", None, "S"),
    ("CONTENT_LANGUAGE", "Content-Language", None, "L"),
    ("ERROR_INFO", "Error-Info", None, "L"),
    ("IN_REPLY_TO", "In-Reply-To", None, "L"),
    ("MIME_VERSION", "MIME-Version", None, "S"),
    ("MIN_EXPIRES", "Min-Expires", None, "S"),
    ("ORGANIZATION", "Organization", None, ""),
    ("PRIORITY", "Priority", None, "S"),
    ("REPLY_TO", "Reply-To", None, "S"),
    ("AUTHENTICATION_INFO", "Authentication-Info", None, ""),
    ("REFER_TO", "Refer-To", "r", "S"),
    ("REFERRED_BY", "Referred-By", "b", "S"),
    ("ACCEPT_CONTACT", "Accept-Contact", "a", "L"),
    ("REJECT_CONTACT", "Reject-Contact", "j", "L"),
    ("REQUEST_DISPOSITION", "Request-Disposition", "d", "L"),
    ("SESSION_EXPIRES", "Session-Expires", "x", "S"),
    ("IDENTITY", "Identity", "y", ""),
    ("IDENTITY_INFO", "Identity-Info", "n", ""),
    ("P_ASSERTED_IDENTITY", "P-Asserted-Identity", None, "L"),
    ("P_PREFERRED_IDENTITY", "P-Preferred-Identity", None, "L"),
    ("PATH", "Path", None, "L"),
    ("SERVICE_ROUTE", "Service-Route", None, "L"),
    ("PRIVACY", "Privacy", None, ""),
    ("RSEQ", "RSeq", None, "S"),
    ("RACK", "RAck", None, "S"),
    ("SUBSCRIPTION_STATE", "Subscription-State", None, "S"),
    ("MIN_SE", "Min-SE", None, "S"),
    ("SIP_ETAG", "SIP-ETag", None, "S"),
    ("SIP_IF_MATCH", "SIP-If-Match", None, "S"),
]

HASH_BITS = 8


M64 = (1 << 64) - 1


def le64(b):
    return int.from_bytes(b.ljust(8, b"\0")[:8], "little")


def name_words(name):
    """The lowercase name as hdr_lookup24() in src/hdrtab.h reads it: the
    first 8 bytes (zero-padded), bytes 8-15 when longer than 16, and the
    last 8 when longer than 8."""
    b = name.lower().encode()
    n = len(b)
    w0 = le64(b[:8])
    w1 = le64(b[8:16]) if n > 16 else 0
    wl = le64(b[n - 8:]) if n > 8 else 0
    return w0, w1, wl


def hdr_hash(name):
    """Must match hdr_lookup24() in src/hdrtab.h."""
    w0, _, wl = name_words(name)
    return (((w0 ^ wl ^ len(name)) * 0x9E3779B97F4A7C15) & M64) >> (64 - HASH_BITS)


# Character classes (bit flags)
CLASSES = [
    ("TOKEN", lambda c: c.isalnum() or c in "-.!%*_+`'~"),
    ("WS", lambda c: c in " \t"),
    ("DIGIT", lambda c: c.isdigit()),
    ("ALPHA", lambda c: c.isalpha()),
    ("HEX", lambda c: c in "0123456789abcdefABCDEF"),
    ("WORD", lambda c: c.isalnum() or c in "-.!%*_+`'~()<>:\\\"/[]?{}"),
    ("UNRESERVED", lambda c: c.isalnum() or c in "-_.!~*'()"),
    ("USER", lambda c: c in "&=+$,;?/"),          # user-unreserved
    ("PASSWORD", lambda c: c in "&=+$,"),
    ("PARAM", lambda c: c in "[]/:&+$"),          # param-unreserved
    ("HNV", lambda c: c in "[]/?:+$"),            # hnv-unreserved
    ("CTL", lambda c: ord(c) < 32 or ord(c) == 127),
    ("HOST", lambda c: c.isalnum() or c in "-."),
    ("EOL", lambda c: c in "\r\n"),
    ("LISTSEP", lambda c: c in ',"<>()\\'),     # bytes the list scanner stops at
    ("ADDREND", lambda c: c in "; \t\r\n"),      # ends a bare addr-spec
    ("URISTOP", lambda c: ord(c) <= 32 or ord(c) == 127 or c in '<>"'),  # in no URI
    ("GENVALUE", lambda c: c.isalnum() or c in "-.!%*_+`'~:[]"),  # token / host
    ("LABEL", lambda c: c.isalnum() or c == "-"),  # a hostname label
]

# Classes over every byte value, non-ASCII included.
BYTE_CLASSES = [
    ("TEXT", lambda i: i == 9 or 32 <= i != 127),  # what an edited value may hold
    ("VISIBLE", lambda i: 32 < i != 127),  # neither CTL nor whitespace
    # URISTOP, ';' and '?': where a plain bare addr-spec ends
    ("ADDRSTOP", lambda i: i <= 32 or i == 127 or (i < 128 and chr(i) in '<>";?')),
]


def ascii_only(f):
    return lambda i: i < 128 and f(chr(i))


def main():
    out = []
    out.append("/* Generated by tools/gen_tables.py; do not edit. */\n")
    for bit, (name, _) in enumerate(CLASSES + BYTE_CLASSES):
        out.append('_Static_assert(C_%s == 0x%05xu, "see internal.h");\n'
                   % (name, 1 << bit))
    out.append("\nconst uint32_t sipmsg_ctype_[256] = {\n")
    row = []
    for i in range(256):
        v = 0
        for bit, (_, f) in enumerate(CLASSES):
            if ascii_only(f)(i):
                v |= 1 << bit
        for bit, (_, f) in enumerate(BYTE_CLASSES, len(CLASSES)):
            if f(i):
                v |= 1 << bit
        row.append("0x%05x" % v)
        if len(row) == 8:
            out.append("    " + ", ".join(row) + ",\n")
            row = []
    out.append("};\n\n")

    out.append("const struct sipmsg_hdr_info_ sipmsg_hdr_info_[SIPMSG_HDR_COUNT_] = {\n")
    out.append('    [SIPMSG_HDR_OTHER] = { NULL, 0, 0, 0, NULL, 0, 0 },\n')
    for enum, name, compact, props in HEADERS:
        p = []
        if "L" in props:
            p.append("SIPMSG_HP_LIST")
        if "S" in props:
            p.append("SIPMSG_HP_SINGLE")
        w0, w1, wl = name_words(name)
        out.append('    [SIPMSG_HDR_%s] = { "%s", 0x%016xu, 0x%016xu, 0x%016xu, %s, %d, %s },\n' % (
            enum, name, w0, w1, wl, '"%s"' % compact if compact else "NULL", len(name),
            " | ".join(p) if p else "0"))
    out.append("};\n\n")

    compact = ["0"] * 26
    for enum, name, c, _ in HEADERS:
        if c:
            compact[ord(c) - ord("a")] = "SIPMSG_HDR_" + enum
    out.append("/* compact form id by letter a-z */\n")
    out.append("const uint8_t sipmsg_hdr_compact_[26] = {\n")
    for i in range(0, 26, 4):
        out.append("    " + ", ".join(compact[i:i + 4]) + ",\n")
    out.append("};\n\n")

    size = 1 << HASH_BITS
    slots = [0] * size
    longest = 0
    for enum_i, (enum, name, _, _) in enumerate(HEADERS):
        h = hdr_hash(name)
        probes = 0
        while slots[h] != 0:
            h = (h + 1) & (size - 1)
            probes += 1
        longest = max(longest, probes)
        slots[h] = enum_i + 1
    out.append('_Static_assert(HDR_HASH_BITS == %d, "see hdrtab.h");\n' % HASH_BITS)
    out.append("/* header id by hash of the full name (0: empty slot); at most %d probes */\n"
               % (longest + 1))
    out.append("const uint8_t sipmsg_hdr_slots_[%d] = {\n" % size)
    for i in range(0, size, 16):
        out.append("    " + ", ".join(str(s) for s in slots[i:i + 16]) + ",\n")
    out.append("};\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
