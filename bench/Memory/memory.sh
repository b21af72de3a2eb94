#!/usr/bin/env bash
# Peak RSS of each published host (Local, AWS, GCP, Azure; Native AOT) on the largest input it accepts by default, once and
# ten times in a row, against the bound of issue #11 (baseline + 3 × the input size). The measurement is the fuzz suite's
# MemoryTests; this prints their table. Needs the emulators (tests/emulators/start.sh; source tests/emulators/.env).
# usage: bench/Memory/memory.sh [--republish]
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--republish" ]; then export PORTABLE_FUZZ_REPUBLISH=1; fi
if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ] && [ -f tests/emulators/.env ]; then
  # shellcheck disable=SC1091
  source tests/emulators/.env
fi
dotnet build tests/Portable.Fuzz.Tests -c Release -nologo -v q >/dev/null || { echo "build failed"; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1024 / 1024 }' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
dotnet test tests/Portable.Fuzz.Tests -c Release --no-build --filter "FullyQualifiedName~MemoryTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E '^\s*\| ' | sed 's/^ *//' | awk '!seen[$0]++'
