#!/usr/bin/env bash
# Static analysis of src/: cppcheck and clang-tidy (when installed).
# Exits non-zero when either reports a finding. Usage: tools/lint.sh [files...]
set -uo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(src/*.c)
rc=0
if command -v cppcheck >/dev/null; then
  echo "== cppcheck"
  cppcheck --quiet --std=c11 --enable=warning,performance,portability \
    --inline-suppr --error-exitcode=1 -I include -I src \
    --suppress=missingIncludeSystem "${files[@]}" </dev/null || rc=1
else
  echo "cppcheck not installed; skipped" >&2
fi
if command -v clang-tidy >/dev/null; then
  echo "== clang-tidy"
  checks='-*,bugprone-*,clang-analyzer-*,cert-*,misc-redundant-expression,'
  checks+='performance-*,portability-*,'
  checks+='-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,'
  checks+='-cert-dcl37-c,-cert-dcl51-cpp,-bugprone-narrowing-conversions,'
  checks+='-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,'
  checks+='-bugprone-assignment-in-if-condition'
  out=$(clang-tidy --quiet --checks="$checks" --warnings-as-errors='*' "${files[@]}" \
        -- -std=c11 -Iinclude -Isrc -DSIPMSG_BUILDING </dev/null 2>&1)
  status=$?
  echo "$out" | grep -v -E '^[0-9]+ warnings? generated' || true
  [ $status -ne 0 ] && rc=1
else
  echo "clang-tidy not installed; skipped" >&2
fi
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
