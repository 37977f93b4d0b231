#!/usr/bin/env bash
# `make test`: every check CI runs, stage by stage, with the time each took.
# Stops at the first failing stage and exits non-zero; pytest's exit code 5
# ("no tests collected") fails too.
set -uo pipefail
cd "$(dirname "$0")/.."

declare -a names=() secs=()
summary() {
  echo ""
  echo "== make test: stage times =="
  for i in "${!names[@]}"; do printf '  %-22s %5ss\n' "${names[$i]}" "${secs[$i]}"; done
}
stage() {
  local name=$1; shift
  echo ""
  echo "== $name =="
  local start=$SECONDS
  "$@"
  local code=$?
  names+=("$name"); secs+=($((SECONDS - start)))
  if [ $code -ne 0 ]; then
    summary
    echo "FAILED at stage '$name' (exit code $code)"
    exit $code
  fi
}

export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# endpoints.yml reads these; conversation tests need no server, only a scratch tracker file
export RASA_TRACKER_DB="$scratch/tracker.db" ACTION_ENDPOINT_URL="http://127.0.0.1:5055/webhook" ACTION_SERVER_TOKEN=unused
stage "system packages" bash scripts/system-deps.sh
stage "install" make --no-print-directory install
stage "rasa data validate" .venv/bin/python scripts/validate_data.py
stage "train (once, shared)" make --no-print-directory model
stage "conversation tests" .venv/bin/rasa test core --stories tests/test_stories.yml \
  --model models/support-bot.tar.gz --out "$scratch/core" --fail-on-prediction-errors --quiet
stage "unit tests" .venv/bin/python -m pytest -m "not e2e and not production" -q -rs
stage "end-to-end tests" .venv/bin/python -m pytest -m "e2e and not production" -q -rs
# HAProxy, 2 Rasa + 2 action servers, a private PostgreSQL and Redis: faults and a 3-minute load test
stage "production profile" .venv/bin/python -m pytest -m production -q -rA
summary
echo "ALL CHECKS PASSED"
