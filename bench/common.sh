# bench/common.sh - shell helpers shared by bench/run.sh and bench/body.sh
# (sourced, not run).

# pin: the command prefix that pins a timed run to CPU 1 (taskset), or
# nothing where taskset or a second CPU is missing.
pin=()
if command -v taskset >/dev/null && taskset -c 1 true 2>/dev/null; then
  pin=(taskset -c 1)
fi

# callgrind_per_call FUNCTION N COMMAND...: the instructions per call of a
# bench loop FUNCTION that COMMAND runs N times (valgrind --tool=callgrind,
# collecting only inside FUNCTION), or "-" when it fails.
callgrind_per_call() {
  local fn=$1 n=$2 out
  shift 2
  out=$(valgrind --tool=callgrind --toggle-collect="$fn" \
          --callgrind-out-file=/dev/null "$@" 2>&1) || { echo "-"; return; }
  echo "$out" | awk -v n="$n" '/Collected :/ { printf "%.0f", $4 / n; found=1 }
                               END { if (!found) printf "-" }'
}
