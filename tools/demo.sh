#!/usr/bin/env bash
# The main job: build sipcat and round-trip the sample messages.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-demo -DSIPMSG_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-demo -j"$(nproc 2>/dev/null || echo 2)" --target sipcat >/dev/null
build-demo/examples/sipcat examples/messages/*.sip
build-demo/examples/sipcat --check examples/messages/*.sip
echo "sipcat: all $(ls examples/messages/*.sip | wc -l) sample messages round-trip byte-exact" >&2
