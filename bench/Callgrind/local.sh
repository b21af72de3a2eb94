#!/usr/bin/env bash
# Instructions (valgrind --tool=callgrind, all threads, user space) from exec to the first 200 of GET /hello?name=Ada of a
# local host binary. Repeatable to about 0.2 M whatever else the machine does, unlike times.
# Usage: bash bench/Callgrind/local.sh BINARY NAME   (prints "NAME INSTRUCTIONS"; the profile stays in $OUT, default artifacts/bench/callgrind)
# valgrind 3.19 cannot read the DWARF 5 of a Native AOT .dbg file: move it aside, or for symbols run a copy linked to a .dbg
# stripped of DWARF (objcopy --strip-debug X.dbg; objcopy --remove-section=.gnu_debuglink X; objcopy --add-gnu-debuglink=X.dbg X).
set -uo pipefail
bin=$1; name=$2; out="${OUT:-artifacts/bench/callgrind}"; mkdir -p "$out"
port=$((20000 + RANDOM % 10000)); data=$(mktemp -d)
PORT=$port PORTABLE_DATA_DIR=$data valgrind --tool=callgrind --callgrind-out-file="$out/$name.%p" "$bin" > "$out/$name.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/hello?name=Ada"; do sleep 0.02; done
callgrind_control -d $pid > /dev/null; sleep 1
kill $pid; wait $pid 2>/dev/null
echo "$name $(grep -m1 '^summary:' "$(ls -t "$out/$name.$pid".* | head -1)" | awk '{print $2}')"
rm -rf "$data"
