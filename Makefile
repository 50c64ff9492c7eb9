# Schoolzorg — two commands: `make run` (demo on SQLite) and `make test` (whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell for p in python3.13 python3.12 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help run test bench lint typecheck fmt check static deps dev-deps migrate seed pdfs clean

help:
	@echo "make run        start Schoolzorg with demo data on SQLite (http://localhost:8000; PORT=8080 make run for another port)"
	@echo "make test       install dev dependencies and run the whole test suite"
	@echo "make bench      benchmarks on PostgreSQL with national data (see docs/benchmarks.md)"
	@echo "make check      lint + typecheck + migrations check"
	@echo "make fmt        format the code"
	@echo "make pdfs       sample plan and minutes PDFs from the demo data, in docs/samples"

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.12 of nieuwer is nodig." >&2; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.deps: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --no-dev --python $(PYTHON)
	@touch $@

$(VENV)/.dev-deps: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --python $(PYTHON)
	@touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/static/vendor/utrecht/component-library.css: node_modules/.installed scripts/build-static.mjs
	npm run --silent build

static: build/static/vendor/utrecht/component-library.css

run: deps static
	@scripts/run.sh

test: dev-deps static
	@scripts/test.sh

bench: dev-deps static
	@scripts/bench.sh

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: dev-deps
	SCHOOLZORG_DEBUG=1 $(BIN)/mypy schoolzorg config

check: lint typecheck
	SCHOOLZORG_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

pdfs: deps static
	SCHOOLZORG_DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	SCHOOLZORG_DEBUG=1 $(BIN)/schoolzorg sample-pdfs --out docs/samples

clean:
	rm -rf $(VENV) .tools node_modules build var
