#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: restore, build (warnings are errors), every test project.
# Ends with one line "N passed, N failed" (skipped tests count as failed) and exits non-zero unless all passed.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

step "restore"
dotnet restore Portable.sln || { echo "0 passed, 1 failed"; exit 1; }
step "build (Release, warnings as errors)"
dotnet build Portable.sln -c Release --no-restore || { echo "0 passed, 1 failed"; exit 1; }

step "publish the Orders sample once per platform (Native AOT), for the fuzz suite"
# tests/Portable.Fuzz.Tests starts these binaries; a publish that fails here is published (and explained) again by the suite.
for target in local aws gcp azure; do
  rm -rf "artifacts/published/$target"
  started=$(date +%s)
  dotnet publish samples/Orders -c Release -r linux-x64 -p:PublishAot=true -p:PortableTarget="$target" -o "artifacts/published/$target" -nologo -v:q \
    > "artifacts/published-$target.log" 2>&1 || echo "publish of $target failed (artifacts/published-$target.log)"
  echo "$target published in $(( $(date +%s) - started )) s"
done

step "shellcheck (tests/Portable.Gcp.Tests checks the published deploy.sh with it; a missing one fails those tests)"
if ! command -v shellcheck >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else as_root=(false); fi
  ("${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq shellcheck) \
    || echo "shellcheck could not be installed (no root, no sudo, or no apt-get): the deploy.sh tests will fail"
fi

step "chromium (tests/Portable.Dashboard.Tests drives the local dashboard in Debian's chromium through Playwright; no browser download)"
if [ ! -x /usr/bin/chromium ] && [ -z "${PORTABLE_CHROMIUM:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else as_root=(false); fi
  ("${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq chromium) \
    || echo "chromium could not be installed (no root, no sudo, or no apt-get): the dashboard browser tests will fail; install it or set PORTABLE_CHROMIUM"
fi

step "start the emulators (Azurite, DynamoDB Local, fauxqs)"
trap 'bash tests/emulators/stop.sh' EXIT
bash tests/emulators/start.sh || { echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
source tests/emulators/.env

status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  step "test $name"
  # Category=Benchmark tests measure (peak RSS) rather than check: bench/Memory/memory.sh runs them.
  dotnet test "$project" -c Release --no-build --filter "Category!=Benchmark" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

projects=$(ls tests/*/*.Tests.csproj | wc -l)
if [ "$found" -lt "$projects" ]; then
  echo "Only $found of $projects test projects wrote results."
  failed=$((failed + projects - found))
fi
if [ "$skipped" -gt 0 ]; then echo "$skipped skipped test(s) are counted as failed."; fi
failed=$((failed + skipped))
if [ "$passed" -eq 0 ]; then status=1; fi
if [ "$failed" -gt 0 ]; then status=1; fi

echo
echo "$passed passed, $failed failed"
exit $status
