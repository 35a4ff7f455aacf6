#!/usr/bin/env bash
# Makes sure the test dependencies are present. As root with apt, installs
# what is missing; otherwise prints the exact command and fails.
set -euo pipefail
need=()
pkg-config --exists cmocka 2>/dev/null || need+=(libcmocka-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v jq >/dev/null || need+=(jq)
# libpcap: sipcat reads captures with it (tests/sipcat_pcap.sh)
pkg-config --exists libpcap 2>/dev/null || need+=(libpcap-dev)
if [ "${#need[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  apt-get install -y -qq "${need[@]}" </dev/null >/dev/null
else
  echo "missing test dependencies; install them with:" >&2
  echo "  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
