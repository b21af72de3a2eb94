#!/usr/bin/env bash
# Peak RSS of each published host (Local, AWS, GCP, Azure; Native AOT) on the largest input it accepts by default, once and
# ten times in a row, against the bound of issue #11 (baseline + 3 × the input size). The measurement is the fuzz suite's
# MemoryTests; this prints their table. Needs the emulators (tests/emulators/start.sh; source tests/emulators/.env).
# usage: bench/Memory/memory.sh [--republish] [Local|Aws|Gcp|Azure ...]   (hosts named: only those are published and measured)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
filter="FullyQualifiedName~MemoryTests"
hosts=""
for arg in "$@"; do
  case "$arg" in
    --republish) export PORTABLE_FUZZ_REPUBLISH=1 ;;
    Local) hosts="${hosts:+$hosts|}FullyQualifiedName~MemoryTests.LocalHost_" ;;
    Aws) hosts="${hosts:+$hosts|}FullyQualifiedName~MemoryTests.AwsBootstrap_" ;;
    Gcp) hosts="${hosts:+$hosts|}FullyQualifiedName~MemoryTests.GcpHost_" ;;
    Azure) hosts="${hosts:+$hosts|}FullyQualifiedName~MemoryTests.AzureCustomHandler_" ;;
    *) echo "usage: $0 [--republish] [Local|Aws|Gcp|Azure ...]" >&2; exit 2 ;;
  esac
done
if [ -n "$hosts" ]; then filter="$hosts"; fi
if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] && [ -f tests/emulators/.env ]; then
  # shellcheck disable=SC1091
  source tests/emulators/.env
fi
if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ]; then
  echo "The emulators' endpoints are not set: start them (bash tests/emulators/start.sh), then run this again." >&2
  exit 1
fi
dotnet build tests/Portable.Fuzz.Tests -c Release -nologo -v q >/dev/null || { echo "build failed"; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1024 / 1024 }' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
log=$(mktemp)
dotnet test tests/Portable.Fuzz.Tests -c Release --no-build --filter "$filter" --logger "console;verbosity=detailed" > "$log" 2>&1
status=$?
grep -E '^\s*\| ' "$log" | sed 's/^ *//' | awk '!seen[$0]++'
if [ "$status" -ne 0 ] || ! grep -qE '^\s*\| ' "$log"; then
  echo "MemoryTests failed or printed no table (exit $status); their output: $log" >&2
  exit 1
fi
rm -f "$log"
