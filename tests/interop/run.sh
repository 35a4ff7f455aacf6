#!/usr/bin/env bash
# tests/interop/run.sh - sipmsg against real SIP software on loopback
# (issue 13). One case per run:
#
#   run.sh SIPUA SIPCAT CASE
#     config      kamailio -c -f tests/interop/kamailio.cfg
#     udp tcp     the seed's flow (examples/sipua.c, `sipua flow`) through
#     ipv6        Kamailio: REGISTER, 401, REGISTER with Authorization, 200;
#                 MESSAGE user1 -> Kamailio -> user2, 200 back (ipv6: over
#                 [::1], UDP then TCP)
#     sipp_udp    sipp's scenario tests/interop/sipp/register_message.xml
#     sipp_tcp    against `sipua serve` (REGISTER with Digest, MESSAGE)
#     sipp_ipv6
#     kamailio_sipp  sipp registers user2 with Kamailio (sipp/register.xml)
#                 and answers (sipp/message_uas.xml) the MESSAGE that
#                 `sipua message` sends it through Kamailio (UDP)
#     captured    sipcat --strict --check over tests/interop/captured/
#
# Every message exchanged, in both directions, is captured by sipua and
# must pass `sipcat --strict --check` (warnings on stderr are accepted).
# Exit status: 0 passed, 1 failed, 77 skipped (a peer is not installed, or
# no IPv6 loopback): ctest's SKIP_RETURN_CODE. Each case stops within 60 s.
#
# INTEROP_UPDATE_CAPTURED=1 copies the captured messages of the run to
# tests/interop/captured/CASE/ (the regression corpus).
# INTEROP_KEEP=1 keeps the temporary directory (logs, captures).
# KAMAILIO and SIPP name other binaries (default: kamailio and sipp on PATH).
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 SIPUA SIPCAT CASE" >&2
  exit 2
fi
sipua=$1 sipcat=$2 case=$3
here=$(cd "$(dirname "$0")" && pwd)
cfg=$here/kamailio.cfg
scenario=$here/sipp/register_message.xml
password=interop-secret
export PATH="$PATH:/usr/sbin:/sbin"
kamailio_bin=${KAMAILIO:-kamailio}
sipp_bin=${SIPP:-sipp}
start=$(date +%s)

skip() {
  echo "SKIPPED: $*"
  exit 77
}
die() {
  echo "FAILED: $*"
  exit 1
}

install_hint="apt-get install -y kamailio sip-tester (tools/deps.sh does it as root)"
need_kamailio() {
  command -v "$kamailio_bin" >/dev/null || skip "kamailio is not installed: $install_hint"
}
need_sipp() {
  command -v "$sipp_bin" >/dev/null || skip "sipp is not installed: $install_hint"
}
have_ipv6() {
  if command -v ip >/dev/null; then
    ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'
  else
    grep -qi '^0\{31\}1 .* lo$' /proc/net/if_inet6 2>/dev/null
  fi
}
need_ipv6() {
  have_ipv6 || skip "no IPv6 loopback (::1) on this machine"
}
[ -x "$sipua" ] || die "no sipua at $sipua"
[ -x "$sipcat" ] || die "no sipcat at $sipcat"

# A high port that no UDP or TCP socket uses (any address, so 127.0.0.1
# and ::1 both). Kamailio gets three tries in case another process takes it
# in between.
free_port() {
  local port
  command -v ss >/dev/null || { echo $((20000 + RANDOM % 40000)); return 0; }
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Hanu "sport = :$port" 2>/dev/null)" ] &&
       [ -z "$(ss -Hant "sport = :$port" 2>/dev/null)" ]; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipmsg-interop.XXXXXX")
kpid=
upid=
cleanup() {
  local rc=$?
  for pid in $upid $kpid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -KILL "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
    for log in "$tmp"/*.log; do
      [ -f "$log" ] || continue
      echo "---- $(basename "$log") (last 40 lines)"
      tail -n 40 "$log"
    done
  fi
  if [ "${INTEROP_KEEP:-0}" = 1 ]; then
    echo "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  echo "interop $case: $(($(date +%s) - start)) s"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Every captured message must round-trip and pass the RFC 3261 checks.
check_captured() { # dir min_count
  local dir=$1 min=$2 n=0 f
  for f in "$dir"/*.sip; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    "$sipcat" --strict --check "$f" || die "sipcat --strict --check $f"
  done
  [ "$n" -ge "$min" ] || die "$n messages captured in $dir, expected at least $min"
  echo "sipcat --strict --check: $n messages ok"
}

save_captured() { # dir name
  [ "${INTEROP_UPDATE_CAPTURED:-0}" = 1 ] || return 0
  local dest=$here/captured/$2
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$1"/*.sip "$dest"/
  echo "captured messages saved to $dest"
}

# Starts Kamailio on a free port: $1 is "ipv6" to listen on [::1] too.
kamailio_start() {
  local defs=() tries
  [ "${1:-}" = ipv6 ] && defs+=(-A WITH_IPV6)
  for tries in 1 2 3; do
    port=$(free_port) || die "no free port"
    "$kamailio_bin" -c -f "$cfg" -A SIP_PORT="$port" "${defs[@]}" >"$tmp/check.log" 2>&1 ||
      die "kamailio -c -f $cfg rejects the config"
    mkdir -p "$tmp/run"
    "$kamailio_bin" -DD -E -f "$cfg" -A SIP_PORT="$port" "${defs[@]}" \
      -P "$tmp/run/kamailio.pid" -Y "$tmp/run" -m 32 -M 8 \
      </dev/null >"$tmp/kamailio.log" 2>&1 &
    kpid=$!
    # ready once it accepts TCP connections (UDP is bound before TCP)
    for _ in $(seq 1 50); do
      kill -0 "$kpid" 2>/dev/null || break
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "kamailio $("$kamailio_bin" -v | head -n 1 | cut -d' ' -f3) on port $port, pid $kpid"
        return 0
      fi
      sleep 0.2
    done
    kill -TERM "$kpid" 2>/dev/null
    wait "$kpid" 2>/dev/null
    kpid=
    echo "kamailio did not start on port $port (try $tries)"
  done
  die "kamailio did not start"
}

flow() { # proxy-host transport capture-dir
  mkdir -p "$3"
  timeout 40 "$sipua" flow --proxy "$1:$port" --transport "$2" \
    --password "$password" --capture "$3" --timeout 15 >"$tmp/sipua-$2.log" 2>&1
  local rc=$?
  cat "$tmp/sipua-$2.log"
  [ "$rc" -eq 0 ] || die "sipua flow over $2 via $1 (exit $rc)"
  kill -0 "$kpid" 2>/dev/null || die "kamailio exited during the flow"
  check_captured "$3" 8
}

sipp_case() { # ip transport(udp|tcp)
  local ip=$1 tr=$2 host=$1 sport t
  [ "$ip" = ::1 ] && host="[::1]"
  t=u1
  [ "$tr" = tcp ] && t=t1
  mkdir -p "$tmp/cap"
  timeout 40 "$sipua" serve --listen "$host:0" --transport "$tr" --port-file "$tmp/port" \
    --count 3 --user user1 --password "$password" --expect-body 'user2, come here.\r\n' \
    --capture "$tmp/cap" --timeout 25 >"$tmp/sipua-serve.log" 2>&1 &
  upid=$!
  for _ in $(seq 1 50); do
    [ -s "$tmp/port" ] && break
    sleep 0.1
  done
  [ -s "$tmp/port" ] || die "sipua serve did not start"
  local uport
  uport=$(cat "$tmp/port")
  sport=$(free_port) || die "no free port"
  # -auth_uri: sipp 3.6 writes the digest uri of an IPv6 host without brackets
  (cd "$tmp" && timeout 40 "$sipp_bin" -sf "$scenario" -t "$t" -i "$ip" -p "$sport" -m 1 \
    -timeout 20s -timeout_error -nostdin -auth_uri "$host:$uport" \
    -trace_err -error_file "$tmp/sipp-errors.log" \
    -trace_msg -message_file "$tmp/sipp-messages.log" \
    "$host:$uport" </dev/null >"$tmp/sipp-screen.log" 2>&1)
  local src=$?
  wait "$upid"
  local urc=$?
  upid=
  cat "$tmp/sipua-serve.log"
  [ "$src" -eq 0 ] || die "sipp scenario failed (exit $src)"
  [ "$urc" -eq 0 ] || die "sipua serve failed (exit $urc)"
  echo "sipp: scenario $(basename "$scenario") passed over $tr on $host"
  check_captured "$tmp/cap" 6
  save_captured "$tmp/cap" "$case"
}

# sipp as user2 behind Kamailio: registers, then answers sipua's MESSAGE.
kamailio_sipp() {
  local sport
  sport=$(free_port) || die "no free port"
  (cd "$tmp" && timeout 30 "$sipp_bin" -sf "$here/sipp/register.xml" -t u1 -i 127.0.0.1 \
    -p "$sport" -m 1 -timeout 15s -timeout_error -nostdin \
    -trace_err -error_file "$tmp/sipp-register-errors.log" \
    "127.0.0.1:$port" </dev/null >"$tmp/sipp-register-screen.log" 2>&1) ||
    die "sipp could not register user2 with Kamailio"
  echo "sipp: registered user2 (sipp/register.xml) from port $sport"
  (cd "$tmp" && exec timeout 30 "$sipp_bin" -sf "$here/sipp/message_uas.xml" -t u1 \
    -i 127.0.0.1 -p "$sport" -m 1 -timeout 20s -timeout_error -nostdin \
    -trace_err -error_file "$tmp/sipp-uas-errors.log" \
    </dev/null >"$tmp/sipp-uas-screen.log" 2>&1) &
  upid=$!
  # sipp is ready once its UDP port is bound
  for _ in $(seq 1 50); do
    if command -v ss >/dev/null; then
      [ -n "$(ss -Hlnu "sport = :$sport" 2>/dev/null)" ] && break
    else
      sleep 1
      break
    fi
    sleep 0.1
  done
  mkdir -p "$tmp/cap"
  timeout 40 "$sipua" message --proxy "127.0.0.1:$port" --transport udp \
    --capture "$tmp/cap" --timeout 15 >"$tmp/sipua-message.log" 2>&1
  local rc=$?
  cat "$tmp/sipua-message.log"
  wait "$upid"
  local src=$?
  upid=
  [ "$rc" -eq 0 ] || die "sipua message (exit $rc)"
  [ "$src" -eq 0 ] || die "sipp/message_uas.xml failed (exit $src)"
  echo "sipp: message_uas.xml answered sipua's MESSAGE through Kamailio"
  check_captured "$tmp/cap" 2
  save_captured "$tmp/cap" kamailio_sipp
}

case $case in
  config)
    need_kamailio
    "$kamailio_bin" -c -f "$cfg" -A SIP_PORT=35060 >"$tmp/check.log" 2>&1 ||
      die "kamailio -c -f $cfg"
    grep -q 'config file ok' "$tmp/check.log" || die "kamailio -c said no 'config file ok'"
    echo "kamailio -c -f $cfg: config file ok"
    ;;
  udp | tcp)
    need_kamailio
    kamailio_start
    flow 127.0.0.1 "$case" "$tmp/cap"
    save_captured "$tmp/cap" "$case"
    ;;
  ipv6)
    need_kamailio
    need_ipv6
    kamailio_start ipv6
    flow "[::1]" udp "$tmp/cap-udp"
    flow "[::1]" tcp "$tmp/cap-tcp"
    save_captured "$tmp/cap-udp" ipv6-udp
    save_captured "$tmp/cap-tcp" ipv6-tcp
    ;;
  kamailio_sipp)
    need_kamailio
    need_sipp
    kamailio_start
    kamailio_sipp
    ;;
  sipp_udp) need_sipp; sipp_case 127.0.0.1 udp ;;
  sipp_tcp) need_sipp; sipp_case 127.0.0.1 tcp ;;
  sipp_ipv6) need_sipp; need_ipv6; sipp_case ::1 udp ;;
  captured)
    n=0
    for d in "$here"/captured/*/; do
      [ -d "$d" ] || continue
      check_captured "$d" 2
      n=$((n + 1))
    done
    [ "$n" -gt 0 ] || die "no captured runs in $here/captured"
    ;;
  *)
    echo "unknown case $case" >&2
    exit 2
    ;;
esac
echo "PASSED: interop $case"
exit 0
