#!/usr/bin/env bash
# sipcat against tshark on the same large captures (not a test; see
# bench/README.md, "Captures"). Builds sipcat (Release) into build-bench-cap,
# makes captures of CALLS calls (6 SIP messages each) with capture_gen.py,
# and runs each tool under /usr/bin/time -v: wall time and peak RSS.
#
#   bash bench/capture.sh [CALLS...]      (default: 17000 34000)
#
# Needs: tshark, /usr/bin/time (apt-get install tshark time), libpcap-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(17000 34000)
for t in tshark /usr/bin/time python3; do
    command -v "$t" >/dev/null || { echo "capture.sh: $t is needed (apt-get install tshark time)" >&2; exit 1; }
done
build=build-bench-cap
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSIPMSG_BUILD_TESTS=OFF \
    -DSIPMSG_BUILD_FUZZ=OFF -DSIPMSG_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target sipcat >/dev/null
sipcat=$build/examples/sipcat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME COMMAND...: one run, stdout to /dev/null; prints
# "NAME wall_seconds peak_rss_kib".
measure() {
    local name=$1
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" </dev/null || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0;
            for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$tmp/time")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
    printf '%-34s %10.2f s %10d KiB\n' "$name" "$wall" "$rss"
}

for calls in "${sizes[@]}"; do
    f=$tmp/calls-$calls.pcap
    python3 bench/capture_gen.py "$calls" "$f"
    n=$("$sipcat" --json "$f" | wc -l)
    nt=$(tshark -r "$f" -Y sip -T fields -e sip.Call-ID 2>/dev/null | wc -l)
    echo "== $calls calls: sipcat $n records, tshark $nt SIP packets"
    measure "sipcat --json" "$sipcat" --json "$f"
    measure "sipcat --check" "$sipcat" --check "$f"
    measure "tshark -Y sip -T ek" tshark -r "$f" -Y sip -T ek
    measure "tshark -Y sip -T fields Call-ID" tshark -r "$f" -Y sip -T fields -e sip.Call-ID
done
