"""The audit on the demo content finds exactly the problems planted in it, each with its unit.

Planted on purpose (content/): letters answered late around the National Day holiday and the
adjusted working Saturday 2026-10-10 (求助 xj-2026-0184 treated that Saturday as a day off), a late
举报 and 咨询 and 投诉 earlier in the year, a 咨询 still unanswered; beside them on-time letters of
every kind across the holiday (xj-2026-0183, -0190, the extended 投诉 xj-2026-0176). A survey whose
results were never published, a 特别重大 emergency first released after two hours, the column
重大建设项目 not updated for months and the column 人事任免 never filled, and one unit (市交通运输局)
with nothing on its major construction projects. Every other unit answers for all fifteen categories
of Article 12: with items, on a dedicated platform (published_elsewhere) or as not applicable.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.audit.daily import audit
from pipeline.content.repository import load_repository
from pipeline.timeutil import parse_now

ROOT = Path(__file__).resolve().parents[2]
AS_OF = parse_now("2026-11-26 09:00")

PLANTED = {
    ("GK-LETTER-001", "xj-2026-0184", "mzj"),  # 求助, due on the adjusted Saturday 10-10, answered 10-12
    ("GK-LETTER-001", "xj-2026-0209", "scjg"),  # 举报, due 11-06, answered 11-16
    ("GK-LETTER-001", "xj-2026-0046", "ybj"),  # 咨询, 2 working days, answered after 7
    ("GK-LETTER-001", "xj-2026-0120", "zjj"),  # 投诉, answered after 26 working days
    ("GK-LETTER-002", "xj-2026-0236", "rxzx"),  # 咨询 received 11-20, unanswered on 11-26
    ("GK-SURVEY-001", "dc-2026-0815", "yjzfb"),  # ended 09-14, no results
    ("GK-RESP-001", "hy-2026-0620", "yjj"),  # 特别重大, first release after 2 h 10 min
    ("GK-FRESH-001", "zdxm", "fgw"),  # 重大建设项目: monthly, last on 08-14
    ("GK-FRESH-002", "rsrm", "yjzfb"),  # 人事任免: empty
    ("GK-COV-001", "", "jtj"),  # 市交通运输局: nothing in 重大建设项目
}


def found(root: Path) -> set[tuple[str, str, str]]:
    findings = audit(load_repository(root, now=AS_OF), AS_OF)
    return {(f.code, f.item, f.unit) for f in findings}


def test_the_demo_audit_reports_exactly_the_planted_problems():
    assert found(ROOT) == PLANTED


def test_the_coverage_finding_names_the_unit_and_only_the_missing_category():
    (finding,) = [f for f in audit(load_repository(ROOT, now=AS_OF), AS_OF) if f.code == "GK-COV-001"]
    assert finding.path == "content/units/jtj.yaml"
    assert finding.message.startswith("云江市交通运输局有 1 个公开类别没有现行内容:重大建设项目。")  # one, not a list
    assert "published_elsewhere" in finding.message  # the audit carries what to do, which the check's line leaves out


FIXES = {  # planted finding -> (file, old text, new text) that removes it
    ("GK-LETTER-001", "xj-2026-0184", "mzj"): ("content/letters/rxzx/xj-2026-0184.yaml",
                                                "replied: 2026-10-12 16:30", "replied: 2026-10-10 16:30"),
    ("GK-LETTER-002", "xj-2026-0236", "rxzx"): ("content/letters/rxzx/xj-2026-0236.yaml", "public: false\n",
                                                 "public: false\nreply: 您好,按上年度全市职工月平均工资的60%至300%自选缴费基数。\n"
                                                 "reply_unit: ybj\nreplied: 2026-11-24 10:00\n"),
    ("GK-RESP-001", "hy-2026-0620", "yjj"): ("content/responses/yjj/hy-2026-0620.md",
                                             "first_release: 2026-06-20 04:40", "first_release: 2026-06-20 03:20"),
    ("GK-FRESH-002", "rsrm", "yjzfb"): ("content/governance/columns.yaml", "  - id: rsrm\n    name: 人事任免\n"
                                        "    units: [yjzfb]\n    cadence_days: 90\n    types: [notice]\n", ""),
    ("GK-COV-001", "", "jtj"): ("content/notices/jtj/tz-jtj-2026-1118.md", None,
                                  "---\nid: tz-jtj-2026-1118\ntitle: 2026年云江市交通重大建设项目实施情况(截至10月底)\n"
                                  "unit: jtj\ndate: 2026-11-18 10:00\ndisclosure_category: major-projects\n---\n"
                                  "云江至白云高速公路路基工程完成85%,桥梁桩基全部完成。\n"),
    ("GK-FRESH-001", "zdxm", "fgw"): ("content/governance/columns.yaml",
                                      "    cadence_days: 30              # 项目批准和实施情况按月更新\n",
                                      "    cadence_days: 180\n"),
}


@pytest.mark.parametrize("planted", sorted(FIXES, key=str), ids=lambda p: p[1] or p[0])
def test_removing_one_planted_problem_removes_exactly_its_finding(tmp_path, planted):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "content", root / "content")
    rel, old, new = FIXES[planted]
    path = root / rel
    if old is None:  # the fix is a new item
        assert not path.exists()
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert found(root) == PLANTED - {planted}
