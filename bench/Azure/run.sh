#!/usr/bin/env bash
# Start-to-first-answer of Hello as an Azure custom handler (Portable.Azure, Native AOT and JIT) against the same Hello as a
# bare slim minimal API, measured in the same run, interleaved. Usage: bench/Azure/run.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/Azure/out"
mkdir -p "$out"
cd "$root"
# Each variant is published once; rm -rf bench/Azure/out to publish again.
publish() { [ -x "$out/$1/$2" ] || dotnet publish "$3" -c Release -r linux-x64 "${@:4}" -o "$out/$1" -tl:off -nologo -v:q; }
publish orders-aot Orders samples/Orders -p:PortableTarget=azure
publish orders-jit Orders samples/Orders -p:PortableTarget=azure -p:PublishAot=false
publish bare-aot BareHello bench/Azure/BareHello -p:PublishAot=true
publish bare-jit BareHello bench/Azure/BareHello -p:PublishAot=false
python3 bench/Azure/measure.py "${1:-15}" \
  "portable-azure-aot=$out/orders-aot/Orders" \
  "bare-minimal-api-aot=$out/bare-aot/BareHello" \
  "portable-azure-jit=$out/orders-jit/Orders" \
  "bare-minimal-api-jit=$out/bare-jit/BareHello"
