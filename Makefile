# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Real-browser tests: Debian's Chromium and the Nu HTML Checker (needs Java), installed when missing.
CHROMIUM := /usr/bin/chromium
VNU := node_modules/vnu-jar/build/dist/vnu.jar
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup site test serve check lint bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(BIN)/python build.py

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

$(VNU):
	command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }
	npm install --no-save --no-package-lock --ignore-scripts vnu-jar@26.9.27

test: $(STAMP) $(CHROMIUM) $(VNU)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python build.py check

serve: $(STAMP)
	$(BIN)/python build.py serve

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/python -m ruff check .

clean:
	rm -rf site .site.* $(VENV) *.egg-info
