#!/usr/bin/env bash
# Prepare the production profile's databases (used by `make run-prod` and the
# production tests): create the PostgreSQL databases that are missing, migrate
# the desk, load the demo orders. Reads DATABASE_URL, ORDERS_DATABASE_URL and
# TICKET_OUTBOX_URL from the environment; extra arguments go to orders.seed.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/pg_databases.py "$DATABASE_URL" "$ORDERS_DATABASE_URL" "$TICKET_OUTBOX_URL"
.venv/bin/python -m desk migrate >/dev/null
.venv/bin/python -m orders.seed --database-url "$ORDERS_DATABASE_URL" "$@"
