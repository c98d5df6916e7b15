"""The demo's yearly reports are what `gongkai report annual --write` makes of the demo content (issue 13).

A fixture keeps the 2025 report with one deliberate mismatch (本年制发 3 where the content gives 2), to
show what the check says of a report whose tables were counted by hand.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.yearly_report.figures import report_scope
from pipeline.content.repository import load_repository
from tests.item_samples import line_no
from tests.repo_factory import run_check
from tests.test_cli import gongkai

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).with_name("fixtures") / "ndbg-2025-mismatch.md"
REPORT = "content/reports/spj/ndbg-2025.md"


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports") / "repo"
    shutil.copytree(ROOT / "content", root / "content")
    return root


def test_regenerating_the_demo_reports_changes_nothing(demo_copy):
    repo = load_repository(demo_copy)
    reports = [i for i in repo.items if i.type == "report"]
    assert len(reports) >= 2
    for item in reports:
        before = (demo_copy / item.path).read_text(encoding="utf-8")
        units = [a for u in report_scope(item) for a in ("--unit", u)]
        result = gongkai("--root", demo_copy, "report", "annual", "--year", str(item.meta["year"]), *units, "--write")
        assert result.returncode == 0, result.stderr
        assert (demo_copy / item.path).read_text(encoding="utf-8") == before, f"{item.path} is not what the content computes"


def test_the_demo_reports_pass_the_check(demo_copy):
    assert not [d for d in run_check(demo_copy) if d.path.startswith("content/reports/") or d.code.startswith("GK-RPT")]


def test_the_fixture_differs_from_the_demo_report_in_one_cell():
    demo, fixture = (ROOT / REPORT).read_text(encoding="utf-8"), FIXTURE.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(demo.splitlines(), fixture.splitlines()) if a != b]
    assert len(demo.splitlines()) == len(fixture.splitlines()) and len(changed) == 1, "regenerate the fixture from the demo"
    assert "本年制发件数: 3" in changed[0][1]


def test_a_report_counted_by_hand_is_caught_at_its_cell(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(FIXTURE, root / REPORT)
    text = FIXTURE.read_text(encoding="utf-8")
    found = sorted((d.code, d.path, d.line, d.message) for d in run_check(root) if d.code.startswith("GK-RPT"))
    line = line_no(text, "行政规范性文件: {本年制发件数")
    assert [(c, p, n) for c, p, n, _ in found] == [("GK-RPT-001", REPORT, line), ("GK-RPT-002", REPORT, line)]
    assert "填报为 3,按内容计算为 2" in found[0][3] and "yjzfb-2025-11、yjzfb-2025-5" in found[0][3]
    assert "上年现行有效 0 + 本年制发 3 − 本年废止 0 = 3" in found[1][3]
    result = gongkai("--root", root, "check")
    assert result.returncode == 1 and "GK-RPT-001" in result.stdout
