#!/usr/bin/env bash
# Create var/secrets.env with a random service token, once; never committed.
set -euo pipefail
file=${1:-var/secrets.env}
mkdir -p "$(dirname "$file")"
if [ ! -s "$file" ]; then
  umask 077
  printf 'DESK_SERVICE_TOKEN=%s\n' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" > "$file"
  echo "created $file (service token for the desk)"
fi
