#!/usr/bin/env bash
# samples/WebApi on Lambda and on Kestrel, in one run (issue #14):
# - cold start of the WebApi's Lambda bootstrap (Native AOT and JIT) against the bare Runtime API loop (bench/Aws/BareLoop), from
#   process start to the first answer of an HTTP API v2 GET /orders/42, interleaved (bench/Aws/LambdaBench);
# - warm invocations/s through the Runtime API for GET /orders/42 and PUT /files/bench (1 KiB);
# - warm requests/s of the same app on plain Kestrel (the sample run locally, as WebApiAcceptanceTests does) for the same two
#   requests, from 1 and CONNECTIONS concurrent connections (bench/WebApi/Load), with the ratio against the Lambda figures.
# Usage: bash bench/WebApi/run.sh [RUNS] [WARM] [SECONDS] [CONNECTIONS]   (defaults 10, 2000, 10, 16). One publish per target;
# BENCH_REUSE=1 measures the binaries of the previous run again, without publishing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
runs="${1:-10}"; warm="${2:-2000}"; seconds="${3:-10}"; connections="${4:-16}"
out="$root/artifacts/bench/webapi"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
q() { "$@" > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }; }
if [ "${BENCH_REUSE:-}" != 1 ] || [ ! -x "$out/webapi-aot/WebApi" ]; then
  rm -rf "$out"; mkdir -p "$out"
  q dotnet publish samples/WebApi -c Release -r linux-x64 -p:PortableTarget=aws -o "$out/webapi-aot"                       # the cloud publish: Native AOT
  q dotnet publish samples/WebApi -c Release -r linux-x64 -p:PortableTarget=aws -p:PublishAot=false -o "$out/webapi-jit"   # JIT, the MVC controller in
  q dotnet publish samples/WebApi -c Release -o "$out/webapi-kestrel"                                                      # the local build, as it runs on a laptop
  q dotnet publish bench/Aws/BareLoop -c Release -r linux-x64 -p:PublishAot=true -o "$out/bare-aot"
  q dotnet publish bench/Aws/BareLoop -c Release -r linux-x64 -p:PublishAot=false --self-contained -o "$out/bare-jit"
fi
q dotnet build bench/Aws/LambdaBench -c Release -o "$out/bench"
q dotnet build bench/WebApi/Load -c Release -o "$out/load"

echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
export BENCH_HANDLER=web BENCH_EXPECT='"statusCode":200' BENCH_EVENT="$root/bench/WebApi/orders-v2.json"
export Logging__LogLevel__Default=Warning   # every process logs warnings and errors only, as a production app would
dotnet "$out/bench/LambdaBench.dll" "$runs" "$warm" \
  "bare-aot=$out/bare-aot/BareLoop" "webapi-aot=$out/webapi-aot/WebApi" \
  "bare-jit=$out/bare-jit/BareLoop" "webapi-jit=$out/webapi-jit/WebApi" | tee "$out/lambda.md"
warm_of() { awk -F'|' -v n="$1" '$2 ~ "^ "n" $" { gsub(/ /, "", $7); print $7 }' "$out/lambda.md"; }
orders_aot="$(warm_of webapi-aot)"; orders_jit="$(warm_of webapi-jit)"

echo "PUT /files/bench (1 KiB, base64 in the event) through the Runtime API:"
BENCH_EXPECT='"statusCode":201' BENCH_EVENT="$root/bench/WebApi/files-v2.json" \
  dotnet "$out/bench/LambdaBench.dll" 0 "$warm" "webapi-aot=$out/webapi-aot/WebApi" "webapi-jit=$out/webapi-jit/WebApi" | tee "$out/files.txt"
files_aot="$(awk '/^webapi-aot:/ { print $3 }' "$out/files.txt")"; files_jit="$(awk '/^webapi-jit:/ { print $3 }' "$out/files.txt")"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
env -u AWS_LAMBDA_RUNTIME_API -u _HANDLER ASPNETCORE_URLS="http://127.0.0.1:$port" Portable__Local__InMemory=true \
  dotnet "$out/webapi-kestrel/WebApi.dll" > "$out/kestrel.log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$out/load/Load.dll" "http://127.0.0.1:$port/" "$seconds" "1,$connections" \
  "orders:webapi-aot=$orders_aot" "orders:webapi-jit=$orders_jit" "files:webapi-aot=$files_aot" "files:webapi-jit=$files_jit"
