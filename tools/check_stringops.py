#!/usr/bin/env python3
"""Fails when a function on the per-message path holds `rep stos` or
`rep movs` (x86-64, gcc, optimized builds; ctest check_stringops).

gcc expands a memset or a struct copy of a known 100 bytes or more into
`rep stos` / `rep movs`, whose start-up cost 30 of the 190 ns that the parse
of bench message 01 took (bench/README.md, "session 8"). Per-message code
clears large structs with sipmsg_fill_ (src/mem.h) instead, and copies
what it needs rather than whole structs.

usage: check_stringops.py OBJDUMP LIBRARY.a
"""
import re
import subprocess
import sys

# Functions that run for every message a proxy or a user agent handles.
# A name missing from the library was inlined into its caller, which is
# checked in its place.
GUARDED = {
    # the helpers themselves: they must call the C library
    "sipmsg_fill_", "sipmsg_copy_",
    # the parse and its decoders
    "sipmsg_parse", "sipmsg_decode_", "sipmsg_decode_top_via_", "via_value",
    "sipmsg_via_fast_", "sipmsg_tag_fast_", "decode_tag", "sipmsg_cseq_parse",
    # typed parsers
    "sipmsg_uri_parse", "sipmsg_nameaddr_parse", "na_parse", "sipmsg_via_parse",
    "sipmsg_credentials_parse", "sipmsg_challenge_next",
    # routing
    "sipmsg_response_target", "sipmsg_response_target_top",
    "sipmsg_next_hop_get", "sipmsg_route_preprocess",
    # SDP bodies, and the index every edit rebuilds
    "sipmsg_sdp_init", "sipmsg_sdp_parse", "sipmsg_sdp_origin_parse",
    "sipmsg_cpim_init", "sipmsg_reindex_", "sipmsg_msg_copy",
    # the proxy step and the writer
    "sipmsg_proxy_forward_write", "sipmsg_proxy_unvia_write", "plan_forward",
    "plan_received", "sipmsg_write_lines_", "sipmsg_write", "sipmsg_write_iov",
}

STRINGOP = re.compile(r"\brep[a-z]*\s+(stos|movs)")
FUNC = re.compile(r"^[0-9a-f]+ <([^>]+)>:$")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    objdump, lib = argv[1], argv[2]
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", lib],
                         check=True, capture_output=True, text=True).stdout
    seen, bad = set(), {}
    name = None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            name = m.group(1).split(".")[0]  # decode_tag.constprop.0
            if name in GUARDED:
                seen.add(name)
            continue
        if name in GUARDED and STRINGOP.search(line):
            bad.setdefault(name, []).append(line.strip())
    if "sipmsg_parse" not in seen:
        print(f"check_stringops: sipmsg_parse not found in {lib}", file=sys.stderr)
        return 1
    for fn in sorted(bad):
        for insn in bad[fn]:
            print(f"check_stringops: {fn}: {insn}")
    if bad:
        print("check_stringops: clear large structs with sipmsg_fill_ (src/mem.h) "
              "and copy fields, not whole structs, on the per-message path")
        return 1
    print(f"check_stringops: {len(seen)} per-message functions, no rep stos/movs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
