"""Session-wide plumbing shared by every test folder.

- Nothing a test run does is written into the source tree: gongkai's caches (GONGKAI_CACHE_DIR) and
  Hypothesis's storage (HYPOTHESIS_STORAGE_DIRECTORY) go to a temporary folder, set here for this process
  and every process it starts (pytest-xdist workers, gongkai commands, CI jobs); at the end of the run the
  source tree must have no file or folder that was not there before (Git's untracked and ignored ones;
  Python's __pycache__ and pytest's own cache aside), or the run fails.

- `wheelhouse` / `offline_pip`: the pipeline jobs (gitlab-ci-local, the GitHub step runner) and the package
  test run their real `pip install … -c requirements.lock .` commands; instead of each fetching the same
  pinned packages from the registry, they install them from one wheelhouse built once per test run
  (PIP_FIND_LINKS + PIP_NO_INDEX in their environment). Only where pip gets the packages changes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from filelock import FileLock

from tests.shared_tmp import shared_dir

CODE_DIR = Path(__file__).resolve().parents[1]
# The longest files, started first so that the run does not end with one worker on a long tail
# (pytest-xdist's loadfile hands out files in this order; the rest keep theirs).
SLOW_FIRST = ("tests/ci/test_gitlab_pipeline.py", "tests/ci/test_github_workflows.py", "tests/ci/test_gitlab_shards.py",
              "tests/browser/test_validators.py", "tests/test_package.py", "tests/portal/test_incremental_build.py",
              "tests/test_changed_since.py", "tests/portal/test_agreement_property.py")
TOOLING = ("__pycache__/", ".pytest_cache/")  # written by Python and pytest themselves, not by tests


def untracked_in_source_tree() -> set[str] | None:
    """Untracked and ignored paths of the source tree as `git status` shows them (None: not a Git checkout)."""
    done = subprocess.run(["git", "-C", str(CODE_DIR), "status", "--porcelain", "--ignored", "-z"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return {entry[3:] for entry in done.stdout.split("\0")
            if entry[:2] in ("??", "!!") and not entry.endswith(TOOLING)}


def pytest_configure(config):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # a worker inherits the main process's environment
    scratch = Path(tempfile.mkdtemp(prefix="gongkai-tests-"))
    config._gongkai_scratch = scratch
    os.environ["GONGKAI_CACHE_DIR"] = str(scratch / "gongkai-cache")
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(scratch / "hypothesis")
    config._gongkai_untracked = untracked_in_source_tree()


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(Path(item.path).relative_to(CODE_DIR).as_posix(), len(rank)))


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not hasattr(config, "_gongkai_untracked"):
        return
    before, after = config._gongkai_untracked, untracked_in_source_tree()
    new = sorted(after - before) if before is not None and after is not None else []
    if new:
        config.pluginmanager.get_plugin("terminalreporter").write_line(
            "the test run wrote into the source tree: " + ", ".join(new), red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    scratch = getattr(config, "_gongkai_scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """Wheels of every runtime dependency of gongkai (as pinned in requirements.lock) and of setuptools
    (its build backend), built once per run from the registry."""
    root = shared_dir(tmp_path_factory)
    house = root / "wheelhouse"
    with FileLock(str(root / "wheelhouse.lock")):
        if not (house / ".complete").is_file():
            project = tomllib.loads((CODE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
            requirements = [*project["dependencies"], *tomllib.loads(
                (CODE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]]
            done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(house),
                                   "-c", str(CODE_DIR / "requirements.lock"), *requirements],
                                  capture_output=True, text=True, timeout=900, cwd=root)
            assert done.returncode == 0, done.stderr[-3000:]
            (house / ".complete").touch()
    return house


@pytest.fixture(scope="session")
def offline_pip(wheelhouse):
    """pip in every process started from here on installs from the wheelhouse, never from an index."""
    saved = {name: os.environ.get(name) for name in ("PIP_FIND_LINKS", "PIP_NO_INDEX")}
    os.environ["PIP_FIND_LINKS"] = str(wheelhouse)
    os.environ["PIP_NO_INDEX"] = "1"
    yield wheelhouse
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="module")
def caches_in_the_repository():
    """For tests that look into `<root>/.cache/gongkai` themselves: the default place, not the run's
    GONGKAI_CACHE_DIR (their repositories are temporary ones, never the source tree)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GONGKAI_CACHE_DIR", raising=False)
        yield


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium per worker for every browser test (tests/browser/, tests/cms/): Playwright's sync
    API runs one event loop per thread, so a second `sync_playwright()` in the same worker would be refused."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium and CJK fonts "
                    "(`make system-packages`, or `apt-get install chromium fonts-noto-cjk`).", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
