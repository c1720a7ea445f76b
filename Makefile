# One task runner for people and CI. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DATA ?= data
MODEL_DIR := $(DATA)/models/multilingual-e5-small
STAMP := $(VENV)/.kompas-installed
PORT ?= 8000

.PHONY: install run index test test-fast test-scale eval lint format lock clean bench audit

install: $(STAMP) $(MODEL_DIR)/kompas-converted.json

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	@# torch first, pinned: an unpinned torch drags in gigabytes of CUDA wheels.
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -r requirements.lock
	$(PIP) install -q --no-deps -e .
	$(PY) -c "import pathlib, tools; p = pathlib.Path(tools.__file__).resolve(); \
	assert p.is_relative_to(pathlib.Path.cwd().resolve()), f'top-level tools shadowed by {p}'"
	@touch $(STAMP)

$(MODEL_DIR)/kompas-converted.json: $(STAMP) knowledge/e5_convert.py
	$(PY) -m knowledge.e5_convert $(MODEL_DIR)

index: install
	$(VENV)/bin/kompas index

run: index
	@echo "Kompas: http://localhost:$(PORT)"
	$(VENV)/bin/kompas serve --port $(PORT)

test: install browser
	$(PY) -m pytest -q

# The web chat's browser tests drive Debian's chromium, never a browser downloaded by Playwright.
.PHONY: browser
browser:
	@command -v chromium >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

test-fast: install
	$(PY) -m pytest -q -m "not slow"

# Only the scale-out tests: a Chroma server (started by the tests) and the local PostgreSQL.
test-scale: install
	$(PY) -m pytest -q -m scale

# Every dataset in evals/datasets; rule cases straight from the case tables (rule_cases.jsonl
# is their export for outside use). Exit 1 when a metric falls below evals/thresholds.yaml.
EVAL_DATASETS = $(filter-out evals/datasets/rule_cases.jsonl,$(sort $(wildcard evals/datasets/*.jsonl)))
eval: index
	$(VENV)/bin/kompas eval $(addprefix --dataset ,$(EVAL_DATASETS)) --dataset tests/tools/cases \
	  --report $(DATA)/eval-report --gate evals/thresholds.yaml

# Turn latency against its retrieval floor, cold starts, indexing and peak memory (issue 9);
# writes bench/results.json and bench/results.md. Takes a few minutes; run it on a quiet machine.
bench: index
	$(PY) -m bench.run

# Known vulnerabilities in the locked dependencies, from PyPI's advisory data (the default
# service; OSV's API is not reachable from every machine). pip-audit gets its own small venv so
# that its dependencies never end up in requirements.lock (`make lock` freezes .venv). Every
# line of the lock is an exact pin, so nothing is resolved or installed (--no-deps --disable-pip);
# --strict fails when a package cannot be looked up instead of reporting a false all-clear.
AUDIT_VENV := $(VENV)/audit
$(AUDIT_VENV)/bin/pip-audit:
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install -q pip-audit==2.10.1

audit: $(AUDIT_VENV)/bin/pip-audit
	$(AUDIT_VENV)/bin/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off --strict

lint: install
	$(VENV)/bin/ruff check assistant knowledge tools evals tests bench
	$(VENV)/bin/ruff format --check assistant knowledge tools evals tests bench
	$(VENV)/bin/mypy assistant knowledge tools evals bench

format: install
	$(VENV)/bin/ruff format assistant knowledge tools evals tests
	$(VENV)/bin/ruff check --fix assistant knowledge tools evals tests

lock: install
	{ head -3 requirements.lock; $(PIP) freeze --exclude-editable | grep -v '^kompas' \
	  | sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache .mypy_cache .ruff_cache .files kompas.egg-info
