#!/usr/bin/env bash
# Makes sure the test dependencies are present. As root with apt, installs
# what is missing; otherwise prints the exact command and fails.
# The interop peers (kamailio, sip-tester, for the ctest label interop,
# tests/interop/) are optional: installed the same way as root with apt;
# otherwise the command is printed and those tests are reported as skipped.
# So is libabigail (abigail-tools: abidw, abidiff) for the ctest abi_check
# (tools/abi.sh, the ABI baseline abi/libsipmsg.abi).
set -euo pipefail
need=()
pkg-config --exists cmocka 2>/dev/null || need+=(libcmocka-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v jq >/dev/null || need+=(jq)
# libpcap: sipcat reads captures with it (tests/sipcat_pcap.sh)
pkg-config --exists libpcap 2>/dev/null || need+=(libpcap-dev)
optional=()
PATH="$PATH:/usr/sbin:/sbin" command -v kamailio >/dev/null || optional+=(kamailio)
command -v sipp >/dev/null || optional+=(sip-tester)
{ command -v abidw && command -v abidiff; } >/dev/null || optional+=(abigail-tools)
if [ "${#need[@]}" -eq 0 ] && [ "${#optional[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing: ${need[*]} ${optional[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  if [ "${#need[@]}" -gt 0 ]; then
    apt-get install -y -qq "${need[@]}" </dev/null >/dev/null
  fi
  if [ "${#optional[@]}" -gt 0 ]; then
    apt-get install -y -qq "${optional[@]}" </dev/null >/dev/null ||
      echo "could not install ${optional[*]}: the interop tests and abi_check will be skipped" >&2
  fi
else
  if [ "${#optional[@]}" -gt 0 ]; then
    echo "optional, for the interop tests and abi_check (skipped without them):" >&2
    echo "  sudo apt-get install -y ${optional[*]}" >&2
  fi
  if [ "${#need[@]}" -gt 0 ]; then
    echo "missing test dependencies; install them with:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
