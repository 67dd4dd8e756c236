# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup site test serve check lint clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(BIN)/python build.py

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python build.py check

serve: $(STAMP)
	$(BIN)/python build.py serve

lint: $(STAMP)
	$(BIN)/python -m ruff check .

clean:
	rm -rf site .site.* $(VENV) *.egg-info
