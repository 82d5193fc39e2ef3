# The two quick-start commands: `make demo` (set up, run the pipeline on corpus/) and
# `make test` (set up, run the test suite). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/thidua demo --db thidua-demo.db

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_extract.py

clean:
	rm -rf $(VENV) thidua-demo.db thidua-demo.db-wal thidua-demo.db-shm
