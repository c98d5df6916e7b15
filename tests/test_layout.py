"""pytest with its default settings collects every test module: no folder is named like build output."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE_DIR = Path(__file__).resolve().parents[1]


def test_plain_pytest_collects_every_test_module():
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                          cwd=CODE_DIR, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = {line.split("::", 1)[0] for line in done.stdout.splitlines() if "::" in line}
    on_disk = {p.relative_to(CODE_DIR).as_posix() for p in (CODE_DIR / "tests").rglob("test_*.py")}
    assert on_disk == collected, on_disk ^ collected


def test_no_source_folder_is_named_like_build_output():
    """pytest, ruff, black and GitHub's Python .gitignore all skip folders named build/ or dist/."""
    skipped = {"build", "dist", "output"}
    for folder in ("pipeline", "tests", "plugins", "themes", "schemas"):
        names = {p.name for p in (CODE_DIR / folder).rglob("*") if p.is_dir()}
        assert not names & skipped, (folder, names & skipped)
