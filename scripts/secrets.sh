#!/usr/bin/env bash
# Create or complete var/secrets.env: random secrets for the local run, each made once.
# Never committed (var/ is ignored by git).
set -euo pipefail
file=${1:-var/secrets.env}
mkdir -p "$(dirname "$file")"
umask 077
touch "$file"
random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
add() {
  if ! grep -q "^$1=" "$file"; then
    printf '%s=%s\n' "$1" "$(random "$2")" >> "$file"
    echo "created $1 in $file"
  fi
}
add DESK_SERVICE_TOKEN 24        # the action server and Rasa call the desk with it
add DESK_DEMO_AGENT_PASSWORD 8   # sign-in of agent@example.com at /console
add RASA_TOKEN 24                # Rasa's HTTP API (the desk pushes agent replies)
add CHAT_JWT_SECRET 32           # signs the in-app chat's customer tokens (desk) and verifies them (actions)
add ACTION_SERVER_TOKEN 24       # Rasa sends it to the action server, which refuses calls without it
add KAKAO_SKILL_SECRET 24        # the X-Skill-Secret header of the KakaoTalk skill (docs/channels-kakao.md)
add REST_SERVICE_TOKEN 24        # an app backend's credential for the REST channel (required in production)
