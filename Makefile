# qaportal: the everyday commands. `make` (or `make help`) lists them.
# Everything works from a clean clone: the scripts create .venv and .run/ as needed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON := .venv/bin/python
# Extra arguments: make test ARGS="-k cases", make demo ARGS="--size large"
ARGS ?=

.PHONY: help run run-debug test lock lint migrate demo clean bootstrap services-start services-stop

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## Set up, migrate, load demo data, serve http://127.0.0.1:8000 with Celery worker and beat
	@bash scripts/run.sh

run-debug: ## As `make run`, with Django's debug pages (tracebacks, the URL map) for developers
	@DJANGO_DEBUG=true bash scripts/run.sh

test: ## Install test needs; check migrations, ruff, imports, mypy; pytest (SQLite; PostgreSQL too when CI=true)
	@bash scripts/test.sh $(ARGS)

lock: ## Write requirements/*.lock from the pins in pyproject.toml (after changing a pin)
	@bash scripts/lock.sh

lint: ## ruff check
	@bash scripts/bootstrap.sh --test
	$(PYTHON) -m ruff check .

migrate: ## Apply migrations to the dev database (.run/db.sqlite3)
	@bash scripts/bootstrap.sh
	$(PYTHON) manage.py migrate

demo: ## Load the demo data (idempotent; ARGS="--size large" for benchmarks)
	@bash scripts/bootstrap.sh
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_demo $(ARGS)

bootstrap: ## Create .venv and install the pinned packages (with test tools)
	@bash scripts/bootstrap.sh --test

services-start: ## Start the test PostgreSQL (25432) and Redis (26379) on loopback
	@bash scripts/services.sh start

services-stop: ## Stop the test PostgreSQL and Redis
	@bash scripts/services.sh stop

clean: ## Stop the test services and delete .run/ (dev database, broker, logs)
	@if [ -d .run ]; then bash scripts/services.sh stop; fi
	rm -rf .run
