# The two commands a newcomer needs: `make demo` and `make test`.
# Everything is installed into .venv from the pinned requirements.lock.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GONGKAI := $(VENV)/bin/gongkai

.PHONY: install demo check test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

demo: install
	$(GONGKAI) serve

check: install
	$(GONGKAI) check

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

clean:
	rm -rf output .cache .pytest_cache
