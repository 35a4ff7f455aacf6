#!/usr/bin/env python3
"""The one source of the header ids and the character classes. Generates

  include/sipmsg/hdr_ids.h  the public enum sipmsg_hdr_id (SIPMSG_HDR_*),
  src/tables.inc            the character-class table and the header-name
                            tables (names, compact forms, hash slots).

  python3 tools/gen_tables.py            rewrites both files in the tree
  python3 tools/gen_tables.py OUTDIR     writes them under OUTDIR instead
  python3 tools/gen_tables.py --check OUTDIR
                                         writes them under OUTDIR and fails
                                         (with a diff) if they differ from
                                         the tree's: the ctest gen_tables_fresh

The output is committed, so building sipmsg never needs Python. To add a
header, add a line to HEADERS (at the end: the ids are public and their
values must not change) and run the script."""

import difflib
import os
import sys

# The header ids in enum order (SIPMSG_HDR_OTHER = 0 comes first, then these
# from 1): (enum suffix, full name, compact form or None, properties)
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
    """The lowercase name as hdr_lookup24() in src/tables.h reads it: the
    first 8 bytes (zero-padded), bytes 8-15 when longer than 16, and the
    last 8 when longer than 8."""
    b = name.lower().encode()
    n = len(b)
    w0 = le64(b[:8])
    w1 = le64(b[8:16]) if n > 16 else 0
    wl = le64(b[n - 8:]) if n > 8 else 0
    return w0, w1, wl


def hdr_hash(name, mult):
    """Must match hdr_lookup24() in src/tables.h."""
    w0, _, wl = name_words(name)
    return (((w0 ^ wl ^ len(name)) * mult) & M64) >> (64 - HASH_BITS)


def hdr_hash_mult():
    """The multiplier of the hash: the first odd number from the golden
    ratio (0x9E3779B97F4A7C15) up that gives every known name a slot of its
    own, so that a lookup reads one slot and compares once."""
    mult = 0x9E3779B97F4A7C15
    while len({hdr_hash(name, mult) for _, name, _, _ in HEADERS}) < len(HEADERS):
        mult = (mult + 2) & M64
    return mult


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


HDR_IDS_HEAD = """\
/*
 * sipmsg/hdr_ids.h - the known header ids (included by sipmsg/parse.h).
 *
 * Generated by tools/gen_tables.py, do not edit: add a header there.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_HDR_IDS_H
#define SIPMSG_HDR_IDS_H

/* Known header ids. Names are matched case-insensitively, in full and in
 * compact form (shown after the name). Every other header is
 * SIPMSG_HDR_OTHER. */
typedef enum sipmsg_hdr_id {
    SIPMSG_HDR_OTHER = 0,
"""

HDR_IDS_TAIL = """\
    SIPMSG_HDR_COUNT_
} sipmsg_hdr_id;

#endif /* SIPMSG_HDR_IDS_H */
"""


def hdr_ids_h():
    """The public enum, one id per HEADERS line, the compact form as a
    comment aligned after the longest name that has one."""
    width = max(len("SIPMSG_HDR_%s," % e) for e, _, c, _ in HEADERS if c)
    out = [HDR_IDS_HEAD]
    for enum, _, compact, _ in HEADERS:
        item = "SIPMSG_HDR_%s," % enum
        if compact:
            out.append("    %-*s /* %s */\n" % (width, item, compact))
        else:
            out.append("    %s\n" % item)
    out.append(HDR_IDS_TAIL)
    return "".join(out)


def tables_inc():
    out = []
    out.append("/* Generated by tools/gen_tables.py; do not edit. */\n")
    for bit, (name, _) in enumerate(CLASSES + BYTE_CLASSES):
        out.append('_Static_assert(C_%s == 0x%05xu, "see chars.h");\n'
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
    mult = hdr_hash_mult()
    for enum_i, (enum, name, _, _) in enumerate(HEADERS):
        slots[hdr_hash(name, mult)] = enum_i + 1
    out.append('_Static_assert(HDR_HASH_BITS == %d, "see tables.h");\n' % HASH_BITS)
    out.append('_Static_assert(HDR_HASH_MULT == 0x%016xu, "see tables.h");\n' % mult)
    out.append("/* header id by hash of the full name (0: no known name); one name a slot */\n")
    out.append("const uint8_t sipmsg_hdr_slots_[%d] = {\n" % size)
    for i in range(0, size, 16):
        out.append("    " + ", ".join(str(s) for s in slots[i:i + 16]) + ",\n")
    out.append("};\n")
    return "".join(out)


OUTPUTS = [
    ("include/sipmsg/hdr_ids.h", hdr_ids_h),
    ("src/tables.inc", tables_inc),
]


def main(argv):
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) > 1 or (check and not argv):
        sys.exit("usage: gen_tables.py [--check] [OUTDIR]")
    outdir = argv[0] if argv else top
    stale = 0
    for rel, gen in OUTPUTS:
        text = gen()
        path = os.path.join(outdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if check:
            committed = os.path.join(top, rel)
            try:
                with open(committed, encoding="utf-8") as f:
                    old = f.read()
            except OSError:
                old = ""
            if old != text:
                stale += 1
                sys.stdout.writelines(difflib.unified_diff(
                    old.splitlines(True), text.splitlines(True), committed, path))
    if check:
        if stale:
            print("%d generated file(s) differ: run python3 tools/gen_tables.py" % stale)
            return 1
        print("generated files up to date: %s" % ", ".join(r for r, _ in OUTPUTS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
