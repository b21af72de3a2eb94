#!/usr/bin/env bash
# Instructions (valgrind --tool=callgrind) from exec to the first answer of an AWS bootstrap's Hello, through a one-invocation
# fake Runtime API (fake_runtime_api.py: an HTTP API v2 event for GET /hello?name=Ada).
# Usage: bash bench/Callgrind/aws.sh BINARY NAME   (see local.sh for the .dbg file)
set -uo pipefail
bin=$1; name=$2; out="${OUT:-artifacts/bench/callgrind}"; mkdir -p "$out"
here="$(cd "$(dirname "$0")" && pwd)"
port=$((30000 + RANDOM % 10000)); flag=$(mktemp -u)
python3 "$here/fake_runtime_api.py" $port "$flag" & api=$!
until (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.05; done
AWS_LAMBDA_RUNTIME_API=127.0.0.1:$port _HANDLER=Hello AWS_LAMBDA_LOG_LEVEL=WARN \
  valgrind --tool=callgrind --callgrind-out-file="$out/$name.%p" "$bin" > "$out/$name.log" 2>&1 &
pid=$!
until [ -f "$flag" ]; do sleep 0.1; done
callgrind_control -d $pid > /dev/null; sleep 1
kill -9 $pid; kill $api; wait 2>/dev/null
echo "$name $(grep -m1 '^summary:' "$(ls -t "$out/$name.$pid".* | head -1)" | awk '{print $2}') $(cut -c1-60 "$flag")"
rm -f "$flag"
