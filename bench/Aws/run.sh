#!/usr/bin/env bash
# AWS cold start and warm throughput: the published Orders bootstrap (Hello) against a bare Runtime API loop, Native AOT and JIT.
# Usage: bash bench/Aws/run.sh [RUNS] [WARM]   (defaults 15 and 2000). Prints a Markdown table and the ratios.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
runs="${1:-15}"; warm="${2:-2000}"
out="$root/artifacts/bench/aws"
rm -rf "$out"; mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
q() { "$@" > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }; }
q dotnet publish samples/Orders -c Release -r linux-x64 -p:PortableTarget=aws -o "$out/hello-aot"
q dotnet publish samples/Orders -c Release -r linux-x64 -p:PortableTarget=aws -p:PublishAot=false -o "$out/hello-jit"  # self-contained composite ReadyToRun, the sample's JIT default
q dotnet publish bench/Aws/BareLoop -c Release -r linux-x64 -p:PublishAot=true -o "$out/bare-aot"
q dotnet publish bench/Aws/BareLoop -c Release -r linux-x64 -p:PublishAot=false --self-contained -o "$out/bare-jit"
q dotnet publish bench/Aws/BareLoop -c Release -r linux-x64 -p:PublishAot=false --self-contained -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$out/bare-jit-composite"
q dotnet build bench/Aws/LambdaBench -c Release -o "$out/bench"
echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version)"
dotnet "$out/bench/LambdaBench.dll" "$runs" "$warm" \
  "bare-aot=$out/bare-aot/BareLoop" "hello-aot=$out/hello-aot/Orders" \
  "bare-jit=$out/bare-jit/BareLoop" "bare-jit-composite=$out/bare-jit-composite/BareLoop" "hello-jit=$out/hello-jit/Orders"
