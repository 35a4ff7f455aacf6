#!/usr/bin/env python3
"""fuzzseeds.py - the corpus of fuzz/fuzz_capture.c from the test captures:
one seed per capture, in that target's input format (a link-type byte,
then packets as 16-bit little-endian length, a flags byte, the bytes)."""
import glob, os, struct, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import pcaplib as P

LINKS = {1: 0, 113: 1, 276: 2, 101: 3, 0: 4}
out = os.path.join(here, "..", "..", "fuzz", "corpus", "capture")
os.makedirs(out, exist_ok=True)
for path in sorted(glob.glob(os.path.join(here, "*.pcap"))):
    try:
        link, _, pkts = P.read(path)
    except (AssertionError, struct.error):
        continue
    if link not in LINKS:
        continue
    seed = bytes([LINKS[link]])
    t0 = pkts[0][0] if pkts else 0
    for sec, _, cap, wire, data in pkts:
        data = data[:65535]
        flags = (1 if cap < wire else 0) | (min(sec - t0, 7) << 1 if sec >= t0 else 0)
        seed += struct.pack("<HB", len(data), flags) + data
    name = "seed-" + os.path.basename(path)[:-5]
    open(os.path.join(out, name), "wb").write(seed)
print("fuzz/corpus/capture:", len(os.listdir(out)), "seeds")
