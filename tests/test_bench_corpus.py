"""The benchmarks' generated repository stays check-clean: a corpus the build refuses measures nothing."""
from __future__ import annotations

import sys
from pathlib import Path

from tests.repo_factory import run_check

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from check_bench import generate  # noqa: E402


def test_the_generated_corpus_has_no_errors(tmp_path):
    counts = generate(tmp_path / "corpus", 400)
    assert counts["report"] >= 1 and sum(counts.values()) >= 400
    errors = [d for d in run_check(tmp_path / "corpus") if d.severity.value == "error"]
    assert not errors, [f"{d.path}:{d.line} {d.code} {d.message}" for d in errors[:5]]
