# parkwatch: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pywb, the replay server of the backfill tests, in a venv of its own (its pins clash with ours)
PYWB   := $(VENV)/pywb/.installed

.PHONY: demo test lint install clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(PYWB): tests/support/pywb-requirements.txt
	$(PYTHON) -m venv $(VENV)/pywb
	$(VENV)/pywb/bin/pip install --quiet -r tests/support/pywb-requirements.txt
	touch $(PYWB)

demo: $(STAMP)
	$(BIN)/parkwatch demo

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) $(PYWB) lint
	$(BIN)/python -m pytest -q -n 2

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
