#!/usr/bin/env bash
# Publishes the four programs bench/Gcp/run.py starts: Orders (PortableTarget=gcp) and the bare slim API, Native AOT and JIT.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet publish samples/Orders -c Release -r linux-x64 -p:PortableTarget=gcp -o out/bench/orders-aot
dotnet publish samples/Orders -c Release -r linux-x64 -p:PortableTarget=gcp -p:PublishAot=false -o out/bench/orders-jit
dotnet publish bench/Gcp/BareSlim -c Release -r linux-x64 -p:PublishAot=true -o out/bench/bare-aot
dotnet publish bench/Gcp/BareSlim -c Release -r linux-x64 -p:PublishAot=false -o out/bench/bare-jit
