# Shared by the tests/sipcat_*.sh scripts (sourced; not a test itself).
# usage in a script: source "$(dirname "$0")/sipcat_common.bash" "$@"
set -euo pipefail
build=$1 src=$2
sipcat=$build/examples/sipcat
msgs=$src/examples/messages
rfc=$src/tests/rfc4475
seedlf=$src/tests/corpus/seed-lf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
test -x "$sipcat" || { echo "sipcat not built: $sipcat" >&2; exit 1; }

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_rc CODE COMMAND...: runs COMMAND (stdout to $tmp/out, stderr to
# $tmp/err) and checks its exit code.
expect_rc() {
    local want=$1 rc=0
    shift
    "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" = "$want" ] || { cat "$tmp/err" >&2; fail "exit $rc, want $want: $*"; }
}

# expect_err TEXT: the last command's stderr holds TEXT (fixed string).
expect_err() {
    grep -qF -- "$1" "$tmp/err" || { cat "$tmp/err" >&2; fail "stderr lacks: $1"; }
}

# json_check PYTHON_EXPR...: each expression must be true for the JSON
# Lines in $tmp/out, with `m` the list of parsed objects.
json_check() {
    python3 - "$tmp/out" "$@" <<'PY'
import base64, json, sys
m = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
for expr in sys.argv[2:]:
    if not eval(expr):
        sys.exit("FAIL: " + expr)
PY
}
