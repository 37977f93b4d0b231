#!/usr/bin/env bash
# `make shell`: the action server and the desk in the background, Rasa's shell in front.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; source run.env; source var/secrets.env; set +a
.venv/bin/python -m desk migrate >/dev/null
mkdir -p var
.venv/bin/honcho start -f Procfile -e run.env,var/secrets.env actions desk > var/shell-services.log 2>&1 &
services=$!
trap 'kill -INT $services 2>/dev/null; wait $services 2>/dev/null || true' EXIT
echo "starting the action server and the desk (log: var/shell-services.log) ..."
for url in "http://127.0.0.1:$ACTION_PORT/health" "http://127.0.0.1:$DESK_PORT/health"; do
  for _ in $(seq 1 120); do
    curl -fs "$url" >/dev/null 2>&1 && break
    kill -0 $services 2>/dev/null || { echo "services stopped; see var/shell-services.log"; exit 1; }
    sleep 0.5
  done
done
.venv/bin/rasa shell --model "$RASA_MODEL" --endpoints endpoints.yml
