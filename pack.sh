#!/usr/bin/env bash
# Packs the Portable packages into a local folder feed and installs the dotnet new template from this clone.
# usage: ./pack.sh [feed-folder] [version]     (defaults: ~/.portable/packages, 0.1.0)
# Then: dotnet new portable-fn -n Billing; cd Billing; dotnet test   (in this clone or anywhere; its nuget.config points at the feed)
set -euo pipefail
cd "$(dirname "$0")"
feed="${1:-$HOME/.portable/packages}"
version="${2:-0.1.0}"
mkdir -p "$feed"
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$feed" -p:Version="$version" -nologo -v q
done
dotnet new install templates/content/portable-fn --force
echo "Packed Portable $version into $feed and installed the portable-fn template."
