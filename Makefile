# The two commands a newcomer needs: `make demo` and `make test`.
# Everything is installed into .venv from the pinned requirements.lock.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GONGKAI := $(VENV)/bin/gongkai

.PHONY: install browser demo check test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

demo: install
	$(GONGKAI) serve

check: install
	$(GONGKAI) check

# Browser tests drive Debian's Chromium (never a downloaded browser) with CJK fonts, and serve the
# portal through Debian's nginx with the configuration in ci/nginx/.
browser:
	@command -v chromium >/dev/null && [ -d /usr/share/fonts/opentype/noto ] && [ -x /usr/sbin/nginx ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk nginx-light >/dev/null)

test: install browser
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

clean:
	rm -rf output .cache .pytest_cache
