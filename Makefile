# Finds a Python 3.12+ interpreter, builds .venv with it, and runs the project's jobs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# First interpreter of 3.12 or newer: python3.13, python3.12, then pyenv's installs.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	  then echo $$c; break; fi; done)

.PHONY: setup run test lint bench profile clean app browser screenshots

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: no Python 3.12+ found (tried python3.13, python3.12, python3, pyenv versions)" >&2; exit 2; fi
	@echo "using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser
# of its own) and a CJK font for Chinese in pages and figures; installed once
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  echo "installing Debian's chromium and fonts-noto-cjk"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk \
	    >/dev/null; \
	fi

app: $(STAMP)
	$(VENV)/bin/ezhou app

# docs/screenshots/: the lab's map in both languages (from the browser test) and every page in
# both languages (ui/screenshots.py); look at them before committing
screenshots: $(STAMP) browser
	EZHOU_UPDATE_SCREENSHOTS=1 $(PY) -m pytest tests/test_browser_app.py -q -k baseline
	$(PY) -m ui.screenshots docs/screenshots

run: $(STAMP)
	$(VENV)/bin/ezhou run scenarios/baseline.toml --seeds 5 --out results/baseline

# the test files run on two processes (-n 2), each file whole on one of them (--dist loadfile:
# a module's fixtures are built once); `$(PY) -m pytest tests/test_x.py` runs one file alone
test: $(STAMP) browser
	$(VENV)/bin/ruff check model experiments tests ui app.py
	$(PY) -m pytest -n 2 --dist loadfile --durations=15

lint: $(STAMP)
	$(VENV)/bin/ruff check model experiments tests ui app.py
	$(VENV)/bin/ruff format --check model experiments tests ui app.py

# scales 100, 10 and 1 of the full programme, 3 runs each, and Mesa's Boltzmann example
bench: $(STAMP)
	$(VENV)/bin/ezhou bench

# where one full-scale run spends its time (pyinstrument call tree)
profile: $(STAMP)
	$(PY) -m pip install --quiet -e '.[perf]'
	$(PY) -m experiments.profiling scenarios/full_programme.toml --scale 1 --out results/profile.txt

clean:
	rm -rf $(VENV) results .pytest_cache
