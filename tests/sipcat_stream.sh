#!/usr/bin/env bash
# sipcat --stream: many messages with CRLF keep-alives in between, across
# read-chunk boundaries; the output holds the messages only; errors are
# located in the whole stream.
# usage: sipcat_stream.sh BUILD_DIR SOURCE_DIR C_COMPILER
source "$(dirname "$0")/sipcat_common.bash" "$@"

# make_stream N OUT EXPECTED: N messages (the samples, cycled), with one or
# two keep-alive CRLFs before each; EXPECTED gets the messages alone.
make_stream() {
    python3 - "$msgs" "$1" "$2" "$3" <<'PY'
import glob, sys
files = sorted(glob.glob(sys.argv[1] + "/*.sip"))
n = int(sys.argv[2])
with open(sys.argv[3], "wb") as out, open(sys.argv[4], "wb") as exp:
    for i in range(n):
        data = open(files[i % len(files)], "rb").read()
        out.write(b"\r\n" * (1 + i % 2) + data)
        exp.write(data)
    out.write(b"\r\n\r\n")
PY
}

make_stream 100 "$tmp/s100.sip" "$tmp/s100.expected"
expect_rc 0 "$sipcat" --stream "$tmp/s100.sip"
cmp -s "$tmp/out" "$tmp/s100.expected" || fail "100 messages: output is not the messages alone"
expect_rc 0 "$sipcat" --stream --check "$tmp/s100.sip"
[ ! -s "$tmp/out" ] || fail "--check printed something"
expect_rc 0 "$sipcat" --stream --json "$tmp/s100.sip"
[ "$(wc -l <"$tmp/out")" = 100 ] || fail "--json: not 100 lines"
json_check 'all(x["call_id"] == ("asd88asd77a@1.2.3.4" if i % 10 < 4 else "da56b0fab5c54398b16c0d9f9c0ffcf2@192.168.2.161" if i % 10 < 6 else "c88a247a74b54a8c9e676bdde3bba6c9@192.168.2.161") for i, x in enumerate(m))' \
    'all(x["body"] == ("user2, come here.\n" if i % 10 < 2 else "") for i, x in enumerate(m))' \
    '[x["cseq"]["seq"] for x in m[:10]] == [1, 1, 1, 1, 1, 1, 1, 1, 2, 2]'
# stdin works the same.
expect_rc 0 "$sipcat" --stream - <"$tmp/s100.sip"
cmp -s "$tmp/out" "$tmp/s100.expected" || fail "stdin stream differs"

# Thousands of messages and a 300 KB body: several read chunks, messages
# split across them.
make_stream 3000 "$tmp/s3000.sip" "$tmp/s3000.expected"
{
    printf 'MESSAGE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKbig\r\n'
    printf 'Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n'
    printf 'Call-ID: big\r\nCSeq: 1 MESSAGE\r\nContent-Length: 300000\r\n\r\n'
    head -c 300000 /dev/zero | tr '\0' 'x'
} >"$tmp/big.sip"
cat "$tmp/big.sip" >>"$tmp/s3000.sip"
cat "$tmp/big.sip" >>"$tmp/s3000.expected"
expect_rc 0 "$sipcat" --stream "$tmp/s3000.sip"
cmp -s "$tmp/out" "$tmp/s3000.expected" || fail "3000 messages: output differs"
expect_rc 0 "$sipcat" --stream --check "$tmp/s3000.sip"

# A bad byte in message 58: the position counts lines of the whole stream.
python3 - "$tmp/s100.sip" "$tmp/sbad.sip" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
pos = -1
for _ in range(58):
    pos = data.index(b"CSeq: ", pos + 1)
bad = data[:pos] + b"CSeq: 99999999999" + data[pos + 7:]
open(sys.argv[2], "wb").write(bad)
line = bad[:pos].count(b"\n") + 1
print(line, file=open(sys.argv[2] + ".line", "w"))
PY
line=$(cat "$tmp/sbad.sip.line")
expect_rc 1 "$sipcat" --stream --check "$tmp/sbad.sip"
expect_err "$tmp/sbad.sip:$line:7: error: bad CSeq: sequence number exceeds 2^32-1"
# The messages before the bad one are written.
expect_rc 1 "$sipcat" --stream "$tmp/sbad.sip"
[ "$(grep -c '^CSeq: ' "$tmp/out")" = 57 ] || fail "not 57 messages before the bad one"

# A stream that ends inside a message, inside a body, or with no
# Content-Length.
head -c -10 "$tmp/s100.sip" | head -c -4 >"$tmp/cut.sip"
lines=$(($(grep -c '' "$tmp/cut.sip")))
expect_rc 1 "$sipcat" --stream "$tmp/cut.sip"
expect_err "$tmp/cut.sip:$lines:"
expect_err "error: the stream ends inside a message"
printf 'OPTIONS sip:b@e.com SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n' >"$tmp/nocl.sip"
expect_rc 1 "$sipcat" --stream "$tmp/nocl.sip"
expect_err "$tmp/nocl.sip:"
expect_err "Content-Length required"
# Only keep-alives: nothing to do.
printf '\r\n\r\n\r\n' >"$tmp/ka.sip"
expect_rc 0 "$sipcat" --stream "$tmp/ka.sip"
[ ! -s "$tmp/out" ] || fail "keep-alives written"
echo "sipcat stream: ok"
