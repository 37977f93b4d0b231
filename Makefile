# The support bot's commands. `make run` and `make test` do all set-up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell pyenv which python 2>/dev/null || command -v python3.10)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MODEL := models/support-bot.tar.gz
# what the model is built from: the config, the domain, the training data and the components the
# config names (nlu/, dialogue/); channels, runtime, actions and support do not change it
TRAINING_INPUTS := config.yml domain.yml $(shell find data nlu dialogue -name '*.yml' -o -name '*.py')
FILE ?=
# Rasa must not report usage or errors to outside hosts (no network but the package registries)
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install model train seed secrets run run-prod load prune-conversations shell test eval bench lock clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(BIN)/python:
	@echo ">> creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 10), "Python 3.10 is needed (see .python-version), got " + sys.version' \
		|| { echo "Install Python $(PYTHON_VERSION) (e.g. pyenv install $(PYTHON_VERSION)) or set PYTHON=/path/to/python3.10"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt | $(BIN)/python
	@echo ">> installing the locked dependencies (first time: about 5 minutes)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==24.2
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }; test $${PIPESTATUS[0]} -eq 0
	@touch $@

install: $(INSTALLED) ## create the virtualenv and install the locked dependencies

$(MODEL): $(TRAINING_INPUTS) | $(INSTALLED)
	@echo ">> training the model (data or config changed)"
	TF_CPP_MIN_LOG_LEVEL=2 $(BIN)/rasa train --fixed-model-name support-bot --out models --quiet
	@touch $@

model: $(MODEL)

train: ## train the model now, even if nothing changed
	@rm -f $(MODEL)
	@$(MAKE) --no-print-directory $(MODEL)

secrets:
	@bash scripts/secrets.sh var/secrets.env

seed: $(INSTALLED) ## load demo orders (seeds/demo_orders.yml, or FILE=path) into the order database
	@set -a; source run.env; set +a; $(BIN)/python -m orders.seed $(FILE)

run: $(MODEL) secrets ## install, train if needed, start Rasa (5005), actions (5055) and the desk (5080)
	@set -a; source run.env; source var/secrets.env; set +a; $(BIN)/python -m desk migrate >/dev/null
	@set -a; source run.env; set +a; $(BIN)/python -m orders.seed $(FILE)
	@echo ""
	@echo "  Chat (REST):      curl -s localhost:5005/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"배달이 너무 늦어요\"}'"
	@echo "  In-app web chat:  http://localhost:5080/chat   (demo customer 김민지, signed in)"
	@echo "  Agent console:    http://localhost:5080/console  (agent@example.com, password: DESK_DEMO_AGENT_PASSWORD in var/secrets.env)"
	@echo "  Desk API:         http://localhost:5080/api/openapi.json   (service token: DESK_SERVICE_TOKEN in var/secrets.env)"
	@echo "  Stop:             Ctrl-C"
	@echo ""
	$(BIN)/honcho start -f Procfile -e run.env,var/secrets.env

run-prod: $(MODEL) secrets ## production profile on this machine: HAProxy (8005), 2 Rasa + 2 action servers, PostgreSQL, Redis
	@bash scripts/system-deps.sh
	@set -a; source deploy/prod.env; source var/secrets.env; set +a; bash scripts/prod-prepare.sh $(FILE)
	@echo ""
	@echo "  Chat (REST, via HAProxy):  source var/secrets.env; curl -s localhost:8005/webhooks/rest/webhook -H \"Authorization: Bearer \$$REST_SERVICE_TOKEN\" -d '{\"sender\":\"me\",\"message\":\"배달이 너무 늦어요\"}'"
	@echo "  Agent console:             http://localhost:5180/console"
	@echo "  Stop:                      Ctrl-C"
	@echo ""
	$(BIN)/honcho start -f deploy/Procfile.prod -e deploy/prod.env,var/secrets.env

load: $(INSTALLED) ## load test of a running `make run-prod`: 50 conversations for 3 minutes (LOAD_SECONDS=, CONVERSATIONS=)
	@mkdir -p results; set -a; source deploy/prod.env; source var/secrets.env; set +a; \
		$(BIN)/python scripts/load_test.py --url "http://127.0.0.1:$$LB_PORT" --api-url "$$RASA_URL" --desk-url "$$DESK_URL" \
		--rasa-token "$$RASA_TOKEN" --desk-token "$$DESK_SERVICE_TOKEN" --rest-token "$$REST_SERVICE_TOKEN" --conversations $(or $(CONVERSATIONS),50) --seconds $(or $(LOAD_SECONDS),180) \
		--json results/load.json

prune-conversations: $(INSTALLED) secrets ## delete conversations idle for more than DAYS (30) from the tracker store (DRY_RUN=1 counts; PROFILE=prod)
	@set -a; source $(if $(filter prod,$(PROFILE)),deploy/prod.env,run.env); source var/secrets.env; set +a; \
		$(BIN)/python -m runtime.tracker_retention --days $(or $(DAYS),30) \
		--endpoints $(if $(filter prod,$(PROFILE)),deploy/endpoints.prod.yml,endpoints.yml) $(if $(DRY_RUN),--dry-run)

shell: $(MODEL) secrets ## chat with the bot in the terminal (starts actions and desk in the background)
	@set -a; source run.env; set +a; $(BIN)/python -m orders.seed $(FILE)
	@bash scripts/shell.sh

test: ## everything CI checks (install, validate, train, all tests)
	@bash scripts/test.sh

eval: $(INSTALLED) ## NLU report: blind set, 5-fold CV, held-out file; DIET vs the linear classifier vs Rasa's default (about 40 min)
	TF_CPP_MIN_LOG_LEVEL=2 $(BIN)/python scripts/nlu_eval.py

bench: $(MODEL) ## performance benchmark against a plain `rasa init` bot (results/bench/)
	TF_CPP_MIN_LOG_LEVEL=2 $(BIN)/python scripts/bench.py

# pip-tools in a virtualenv of its own: its dependencies (packaging, build) would break Rasa's pins in .venv
LOCK_VENV := var/lock-venv
lock: ## recompile requirements.txt from requirements.in
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip==24.2 pip-tools==7.4.1; }
	$(LOCK_VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

clean: ## remove the virtualenv, models, caches and local data
	rm -rf $(VENV) models .rasa var results .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
