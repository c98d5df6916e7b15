"""The package stands alone: a wheel installed into a fresh virtual environment checks and builds
a content repository outside the source tree, and the pre-commit hook works as ci/README.md says.

These run the real installers (pip, pre-commit); they take a minute or two. pip installs the pinned
dependencies from the test run's wheelhouse (tests/conftest.py), built from the registry once per run.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

CODE_DIR = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("offline_pip")
NOW = "2026-11-26 09:00"
PAGEFIND_NODE_MODULES = CODE_DIR / "node_modules"


def run(command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with only the wheel built from this tree (and its pinned dependencies) installed."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools builds in the tree it is given and would leave build/ in the source tree.
    source = work / "source"
    shutil.copytree(CODE_DIR, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "output", ".cache", "build", "*.egg-info", "__pycache__"))
    built = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", source])
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((work / "dist").glob("gongkai-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    done = run([python, "-m", "pip", "install", "--quiet", "-c", CODE_DIR / "requirements.lock", wheel])
    assert done.returncode == 0, done.stderr[-2000:]
    return env_dir


@pytest.fixture
def content_repo(tmp_path) -> Path:
    """The demo content copied outside the source tree, as a department's content repository would hold it."""
    root = tmp_path / "portal-content"
    shutil.copytree(CODE_DIR / "content", root / "content")
    return root


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PAGEFIND", "VIRTUAL_ENV"))}
    return {**env, **extra}


def test_wheel_carries_schemas_theme_plugin_and_settings(installed):
    python = installed / "bin" / "python"
    where = run([python, "-c", "from pipeline import resources as r; print(r.schema_dir()); print(r.theme_dir());"
                 "print(r.plugin_dir()); print(r.pelican_settings())"], cwd="/", env=clean_env())
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert "site-packages/pipeline/bundled/" in line and Path(line).exists(), line


def test_installed_wheel_checks_and_builds_a_repository_elsewhere(installed, content_repo):
    gongkai = installed / "bin" / "gongkai"
    checked = run([gongkai, "check", "--now", NOW], cwd=content_repo, env=clean_env())
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    assert "内部错误" not in checked.stderr
    # The content repository brings Pagefind the way ci/README.md says: npm ci with package.json.
    (content_repo / "node_modules").symlink_to(PAGEFIND_NODE_MODULES)
    built = run([gongkai, "build", "--now", NOW], cwd=content_repo, env=clean_env())
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    output = content_repo / "output"
    assert "云江市人民政府门户网站" in (output / "index.html").read_text(encoding="utf-8")
    assert (output / "theme" / "css" / "portal.css").is_file()
    assert (output / "pagefind" / "partitions.json").is_file()
    assert any(output.glob("policies/*/index.html"))


def test_without_pagefind_the_build_says_where_it_looked(installed, content_repo):
    gongkai = installed / "bin" / "gongkai"
    built = run([gongkai, "build", "--now", NOW], cwd=content_repo,
                env=clean_env(PATH=f"{installed / 'bin'}:/usr/bin:/bin"))
    assert built.returncode == 2
    assert "找不到 Pagefind" in built.stderr and "npm ci" in built.stderr
    assert "Traceback" not in built.stderr and not (content_repo / "output").exists()


def test_without_echarts_a_site_with_charts_says_where_it_looked(installed, content_repo, tmp_path):
    modules = tmp_path / "node_modules"  # Pagefind installed, ECharts not
    modules.mkdir()
    (modules / "@pagefind").symlink_to(PAGEFIND_NODE_MODULES / "@pagefind")
    (content_repo / "node_modules").symlink_to(modules)
    built = run([installed / "bin" / "gongkai", "build", "--now", NOW], cwd=content_repo, env=clean_env())
    assert built.returncode == 2, built.stdout[-2000:] + built.stderr[-2000:]
    assert "找不到 ECharts" in built.stderr and "npm ci" in built.stderr
    assert "Traceback" not in built.stderr and not (content_repo / "output").exists()


def test_pre_commit_hook_runs_gongkai_check_as_documented(tmp_path, content_repo):
    """`pre-commit try-repo` installs this repository as the hook does for a content repository."""
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=测试", "-c", "user.email=t@example.gov.cn", "commit", "-qm", "内容"]):
        assert run(["git", *args], cwd=content_repo).returncode == 0
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    clean = run([sys.executable, "-m", "pre_commit", "try-repo", CODE_DIR, "gongkai-check", "--all-files"],
                cwd=content_repo, env=env)
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-2000:]
    assert "gongkai check" in clean.stdout and "Passed" in clean.stdout
    news = next((content_repo / "content" / "news").rglob("*.md"))
    news.write_text(news.read_text(encoding="utf-8").replace("title:", "title: 联系电话 13912345678 ", 1),
                    encoding="utf-8")
    dirty = run([sys.executable, "-m", "pre_commit", "try-repo", CODE_DIR, "gongkai-check", "--all-files"],
                cwd=content_repo, env=env)
    assert dirty.returncode == 1
    assert "GK-PRIV-002" in dirty.stdout and "Failed" in dirty.stdout
