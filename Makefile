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

# npm packages for the browser tests, pinned, installed in one command (an install without a package.json
# may drop packages it was not asked for): the Nu HTML Checker, and real W3C annotation clients with
# esbuild to bundle them (tests/test_selectors_in_browser.py); yaml-language-server, the editors' client
# of the annotation schema (tests/test_editor_support.py)
NPM_PACKAGES := vnu-jar@26.9.27 @apache-annotator/dom@0.2.0 @apache-annotator/selector@0.2.0 \
	dom-anchor-text-quote@4.0.2 dom-anchor-text-position@5.0.0 esbuild@0.28.2 yaml-language-server@1.25.0
W3C_CLIENTS := node_modules/.bin/esbuild
YAML_LS := node_modules/yaml-language-server/bin/yaml-language-server

$(VNU) $(W3C_CLIENTS) $(YAML_LS):
	command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }
	npm install --no-save --no-package-lock --ignore-scripts $(NPM_PACKAGES)

test: $(STAMP) $(CHROMIUM) $(VNU) $(W3C_CLIENTS) $(YAML_LS)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -n 3 --dist loadgroup

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
