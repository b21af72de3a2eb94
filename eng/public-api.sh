#!/usr/bin/env bash
# Records every package's public API in its PublicAPI.Unshipped.txt (the analyzers' own code fix), after a change to
# the public surface made the build fail with RS0016 (a new public symbol) or RS0017 (a removed one). Review the diff.
# usage: eng/public-api.sh [src/Portable.X/Portable.X.csproj ...]   (default: every package)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(src/*/*.csproj)
dotnet restore Portable.sln -nologo -v q
for project in "${projects[@]}"; do
  file="$(dirname "$project")/PublicAPI.Unshipped.txt"
  # The code fix may leave a few symbols of one declaration for a second pass (a record's generated members): repeat until stable.
  for _ in 1 2 3; do
    before=$(sha256sum "$file")
    dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --no-restore
    [ "$before" != "$(sha256sum "$file")" ] || break
  done
  echo "$project: $(grep -vc '^#' "$(dirname "$project")/PublicAPI.Unshipped.txt") unshipped public symbols"
done
