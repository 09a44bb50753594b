# JobLand: `make run` (set up and run the pipeline on the bundled samples), `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
# Dagster's home sits in JobLand's (JOBLAND_HOME, default var/ under the project), as `jobland` puts it
# when DAGSTER_HOME is not set: `make run` and a plain `jobland status` read the same instance.
JOBLAND_HOME ?= var
export DAGSTER_HOME ?= $(abspath $(if $(filter /%,$(JOBLAND_HOME)),$(JOBLAND_HOME),$(CURDIR)/$(JOBLAND_HOME)))/dagster
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test eval lint format check ui clean install install-dev

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip==26.0"
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

run: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/jobland run

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

# The bundled golden set first (fails when a figure falls below its baseline.json), then the labelled
# development set (override: make eval EVAL_SET=path/to/another/set).
EVAL_SET ?= ../shared/eval
eval: $(VENV)/.installed
	$(VENV)/bin/jobland eval --golden
	$(VENV)/bin/jobland eval --set-dir $(EVAL_SET) --out var/eval/results.json

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

ui: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

clean:
	rm -rf var
