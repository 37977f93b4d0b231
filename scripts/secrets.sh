#!/usr/bin/env bash
# Create var/secrets.env once: a random service token and the demo agent's password.
# Never committed (var/ is ignored by git).
set -euo pipefail
file=${1:-var/secrets.env}
mkdir -p "$(dirname "$file")"
if [ ! -s "$file" ]; then
  umask 077
  random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
  {
    printf 'DESK_SERVICE_TOKEN=%s\n' "$(random 24)"
    printf 'DESK_DEMO_AGENT_PASSWORD=%s\n' "$(random 8)"
  } > "$file"
  echo "created $file (desk service token, demo agent password)"
fi
