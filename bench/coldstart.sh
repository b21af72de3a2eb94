#!/usr/bin/env bash
# Cold start of the Orders sample's Hello on the local host, JIT and Native AOT, against a bare
# ASP.NET Core slim minimal API answering the same route, all measured in the same run.
# usage: bench/coldstart.sh [rounds]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-15}"
out="bench/out"
rm -rf "$out"
dotnet publish bench/Bare -c Release -o "$out/bare-jit" -nologo -v q
dotnet publish bench/Bare -c Release -r linux-x64 -p:PublishAot=true -o "$out/bare-aot" -nologo -v q
dotnet publish samples/Orders -c Release -o "$out/orders-jit" -nologo -v q
dotnet publish samples/Orders -c Release -r linux-x64 -p:PublishAot=true -o "$out/orders-aot" -nologo -v q
dotnet build bench/ColdStart -c Release -nologo -v q
echo "== JIT"
dotnet bench/ColdStart/bin/Release/net10.0/ColdStart.dll "$rounds" "/hello?name=Ada" \
  "bare-jit=dotnet $out/bare-jit/Bare.dll" "portable-local-jit=dotnet $out/orders-jit/Orders.dll"
echo "== Native AOT"
dotnet bench/ColdStart/bin/Release/net10.0/ColdStart.dll "$rounds" "/hello?name=Ada" \
  "bare-aot=$out/bare-aot/Bare" "portable-local-aot=$out/orders-aot/Orders"
