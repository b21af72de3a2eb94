#!/usr/bin/env bash
# Stops what tests/emulators/start.sh started, by process id.
here="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$here/.pids" ]; then
  while read -r pid; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done < "$here/.pids"
  sleep 0.5
  while read -r pid; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done < "$here/.pids"
  rm -f "$here/.pids" "$here/.env"
fi
exit 0
