"""The audit's checks, each with a failing and a passing case, through `gongkai audit` and `audit()`."""
from __future__ import annotations

import json

import pytest

from pipeline.audit.daily import audit
from pipeline.cli import main
from pipeline.content.repository import load_repository
from pipeline.timeutil import parse_now
from tests.repo_factory import NEWS, POLICY, md, make_repo

AS_OF = "2026-10-20 09:00"


def letter(kind="咨询", received="2026-09-30 16:00", replied=None, extended=None, reply_unit="jyj",
           letter_id="xj-1") -> str:
    lines = [f"id: {letter_id}", f"title: 关于{kind}的来信", "unit: yjzfb", f"kind: {kind}",
             f"received: {received}", "question: 请问如何办理?"]
    if replied:
        lines += ["reply: 您好,请到政务服务中心办理。", f"reply_unit: {reply_unit}", f"replied: {replied}",
                  "public: true"]
    else:
        lines += ["public: false"]
    if extended is not None:
        lines.append(f"extended: {str(extended).lower()}")
    return "\n".join(lines) + "\n"


def findings(tmp_path, files, as_of=AS_OF, name="repo"):
    root = make_repo(tmp_path / name, files)
    moment = parse_now(as_of)
    return audit(load_repository(root, now=moment), moment)


def codes(found, prefix):
    return [(f.code, f.item, f.unit, f.level.value) for f in found if f.code.startswith(prefix)]


@pytest.mark.parametrize("kind, received, replied, extended, expected", [
    # Two working days over National Day: 10-08 and 10-09.
    ("咨询", "2026-09-30 16:00", "2026-10-09 17:00", None, []),
    ("咨询", "2026-09-30 16:00", "2026-10-10 10:00", None, ["GK-LETTER-001"]),
    # 咨询 may not be extended: the extension is reported and the two days still apply.
    ("咨询", "2026-09-30 16:00", "2026-10-12 10:00", True, ["GK-LETTER-001", "GK-LETTER-003"]),
    # 求助 five days end on the adjusted Saturday 10-10; extended once, on 10-16.
    ("求助", "2026-09-28 09:00", "2026-10-10 11:00", None, []),
    ("求助", "2026-09-28 09:00", "2026-10-12 11:00", None, ["GK-LETTER-001"]),
    ("求助", "2026-09-28 09:00", "2026-10-16 11:00", True, []),
    ("投诉", "2026-09-18 09:00", "2026-10-12 09:00", None, ["GK-LETTER-001"]),
    ("投诉", "2026-09-18 09:00", "2026-10-09 09:00", None, []),
])
def test_letter_deadlines(tmp_path, kind, received, replied, extended, expected):
    found = findings(tmp_path, {"content/letters/yjzfb/xj-1.yaml": letter(kind, received, replied, extended)})
    letters = [f for f in found if f.code.startswith("GK-LETTER")]
    assert sorted(f.code for f in letters) == expected
    assert all(f.unit == "jyj" for f in letters)  # the replying unit acts


def test_unanswered_letters_are_overdue_and_an_old_consultation_is_a_veto(tmp_path):
    files = {"content/letters/yjzfb/xj-1.yaml": letter("建议", "2026-10-09 10:00"),
             "content/letters/yjzfb/xj-2.yaml": letter("咨询", "2026-06-01 10:00", letter_id="xj-2"),
             "content/letters/yjzfb/xj-3.yaml": letter("举报", "2026-10-16 10:00", letter_id="xj-3")}
    found = codes(findings(tmp_path, files), "GK-LETTER")
    assert found == [("GK-LETTER-004", "xj-2", "yjzfb", "veto"), ("GK-LETTER-002", "xj-1", "yjzfb", "issue")]
    [overdue] = [f for f in findings(tmp_path, files, name="again") if f.code == "GK-LETTER-002"]
    # Received Friday 10-09: the adjusted Saturday 10-10 is its first working day, so it was due 10-15.
    assert overdue.due == "2026-10-15" and "已超期 3 个工作日" in overdue.message


def test_a_reply_after_the_moment_audited_is_not_yet_a_reply(tmp_path):
    files = {"content/letters/yjzfb/xj-1.yaml": letter("咨询", "2026-10-12 10:00", "2026-10-30 10:00")}
    assert [f.code for f in findings(tmp_path, files) if f.code.startswith("GK-LETTER")] == ["GK-LETTER-002"]


def survey(result=None):
    front = ["id: dc-1", "title: 关于公交线路优化的意见征集", "unit: jyj", "date: 2026-08-01 09:00",
             "start: 2026-08-01", "end: 2026-08-31"]
    if result:
        front += ["result:", f"  date: {result}", "  summary: 共收到意见 120 条,采纳 36 条。"]
    return md("\n".join(front), "请提出意见。\n")


@pytest.mark.parametrize("result, expected", [(None, ["GK-SURVEY-001"]), ("2026-10-08", ["GK-SURVEY-001"]),
                                              ("2026-09-25", [])])
def test_survey_results_within_a_month(tmp_path, result, expected):
    found = findings(tmp_path, {"content/surveys/jyj/dc-1.md": survey(result)})
    assert [f.code for f in found if f.code.startswith("GK-SURVEY")] == expected


def response(kind, event, first=None, severity=None, press=None, casualties=None, date=None):
    front = ["id: hy-1", "title: 关于某事件的情况通报", "unit: jyj", f"date: {date or first or event}",
             f"kind: {kind}", "disclosure_category: emergency", f"event_time: {event}"]
    front += [f"first_release: {first}"] if first else []
    front += [f"severity: {severity}"] if severity else []
    front += [f"press_conference: {press}"] if press else []
    front += [f"casualties: {str(casualties).lower()}"] if casualties is not None else []
    return md("\n".join(front), "情况通报。\n")


@pytest.mark.parametrize("text, expected", [
    (response("突发事件信息", "2026-10-01 04:50", "2026-10-01 06:30", "特别重大"), ["GK-RESP-001"]),
    (response("突发事件信息", "2026-10-01 04:50", "2026-10-01 05:40", "特别重大"), []),
    (response("突发事件信息", "2026-10-01 04:50", "2026-10-01 07:40", "重大"), []),  # the hour is for 特别重大
    (response("突发事件信息", "2026-10-01 04:50", "2026-10-01 05:40", "重大", "2026-10-02 09:00", True), ["GK-RESP-002"]),
    (response("突发事件信息", "2026-10-01 04:50", "2026-10-01 05:40", "重大", "2026-10-01 16:00", True), []),
    (response("突发事件信息", "2026-10-01 04:50", "2026-10-01 05:40", "重大", None, True), ["GK-RESP-002"]),
    (response("回应关切", "2026-10-01 07:30", date="2026-10-04 09:00"), ["GK-RESP-003"]),
    (response("回应关切", "2026-10-01 07:30", date="2026-10-02 15:00"), []),
])
def test_response_times(tmp_path, text, expected):
    found = findings(tmp_path, {"content/responses/jyj/hy-1.md": text})
    assert [f.code for f in found if f.code.startswith("GK-RESP")] == expected


@pytest.mark.parametrize("written, expected", [("2026-01-20", ["GK-TIME-001"]), ("2026-02-20", [])])
def test_disclosure_within_twenty_working_days(tmp_path, written, expected):
    text = POLICY.replace("written: 2026-02-20", f"written: {written}")
    found = findings(tmp_path, {"content/policies/jyj/zc-1.md": text,
                                "content/interpretations/jyj/jd-zc-1.md": md(
                                    "id: jd-zc-1\ntitle: 政策解读\nunit: jyj\ndate: 2026-03-01 09:00\n"
                                    "interprets: [zc-1]\nform: 文字", "解读。\n")})
    assert [f.code for f in found if f.code.startswith("GK-TIME")] == expected


COLUMNS = """\
columns:
  - {id: bmdt, name: 部门动态, units: [jyj], cadence_days: 14, types: [news]}
  - {id: tzgg, name: 通知公告, units: [yjzfb], cadence_days: 180, types: [notice]}
"""


def test_a_stale_and_an_empty_column(tmp_path):
    files = {"content/governance/columns.yaml": COLUMNS,
             "content/news/jyj/xw-1.md": NEWS.replace("unit: jyj", "unit: jyj\ncolumn: bmdt")}
    found = codes(findings(tmp_path, files, "2026-03-20 09:00"), "GK-FRESH")
    assert ("GK-FRESH-001", "bmdt", "jyj", "issue") in found and ("GK-FRESH-002", "tzgg", "yjzfb", "issue") in found
    # The home page's newest item is 19 days old: past the inspection's two weeks.
    assert ("GK-FRESH-010", "home", "yjzfb", "veto") in found
    fresh = codes(findings(tmp_path, files, "2026-03-10 09:00", "fresh"), "GK-FRESH")
    assert fresh == [("GK-FRESH-002", "tzgg", "yjzfb", "issue")]
    early = codes(findings(tmp_path, files, "2026-03-12 10:00", "early"), "GK-FRESH")
    assert ("GK-FRESH-010", "home", "yjzfb", "warning") in early  # 11 days: the early warning


def test_the_cli_reports_markdown_json_and_junit(tmp_path, capsys):
    root = make_repo(tmp_path, {"content/letters/yjzfb/xj-2.yaml": letter("咨询", "2026-06-01 10:00", letter_id="xj-2"),
                                "content/governance/columns.yaml": COLUMNS,
                                "content/news/jyj/xw-1.md": NEWS.replace("unit: jyj", "unit: jyj\ncolumn: bmdt")
                                .replace("2026-03-01", "2026-10-15")})
    assert main(["--root", str(root), "audit", "--as-of", AS_OF]) == 1  # a single-veto risk
    text = capsys.readouterr().out
    assert text.index("## 单项否决风险") < text.index("## 各单位待处理事项")
    assert "超过 3 个月仍未答复" in text and "content/letters/yjzfb/xj-2.yaml" in text
    assert main(["--root", str(root), "audit", "--as-of", AS_OF, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["veto"] == 1 and data["findings"][0]["source"].startswith("国办秘函")
    assert main(["--root", str(root), "audit", "--as-of", AS_OF, "--format", "junit"]) == 1
    assert "GK-LETTER-004" in capsys.readouterr().out


def test_a_year_without_a_holiday_arrangement_stops_the_audit_with_a_clear_message(tmp_path, capsys):
    root = make_repo(tmp_path, {"content/letters/yjzfb/xj-1.yaml": letter("咨询", "2031-03-02 10:00")})
    assert main(["--root", str(root), "audit", "--as-of", "2031-03-20 09:00"]) == 2
    assert "pipeline/core/holidays.yaml" in capsys.readouterr().err


SITE_COLUMNS = """\
columns:
  - {id: bmdt, name: 部门动态, units: [jyj], cadence_days: 14, types: [news]}
  - {id: tzgg, name: 通知公告, units: [jyj], cadence_days: 180, types: [notice]}
  - {id: zcwj, name: 政策文件, units: [yjzfb], cadence_days: 180, types: [policy]}
  - {id: zxts, name: 咨询投诉, units: [yjzfb], cadence_days: 30, types: [letter]}
"""
NOTICE = md("""
    id: tz-1
    title: 关于春季学期开学安排的通知
    unit: jyj
    column: tzgg
    date: 2026-03-01 10:00
    disclosure_category: livelihood
    """, "各中小学校:春季学期于 3 月 2 日开学。\n")
LOW_LEVELS = """\
audit:
  stale_columns_veto: 2
  stale_columns_warning: 1
  unupdated_columns_veto: 3
  unupdated_columns_warning: 2
  empty_columns_veto: 2
  empty_columns_warning: 1
"""


def test_site_wide_counts_against_the_veto_and_warning_levels(tmp_path):
    files = {"content/governance/columns.yaml": SITE_COLUMNS,
             "content/news/jyj/xw-1.md": NEWS.replace("unit: jyj", "unit: jyj\ncolumn: bmdt"),
             "content/notices/jyj/tz-1.md": NOTICE}
    levels = {**files, "content/governance/settings.yaml": LOW_LEVELS}
    found = {(f.code, f.level.value) for f in findings(tmp_path, levels) if f.code >= "GK-FRESH-011"}
    # 2 stale (部门动态 > 2 weeks, 通知公告 > 6 months): the veto level; 2 past their cadence: the
    # warning level; 2 empty (政策文件, 咨询投诉): the veto level.
    assert found == {("GK-FRESH-011", "veto"), ("GK-FRESH-012", "warning"), ("GK-FRESH-013", "veto")}
    # The inspection's own levels (5, 10, 5) are far away for a four-column site.
    assert not [f for f in findings(tmp_path, files, name="defaults") if f.code >= "GK-FRESH-011"]


@pytest.mark.parametrize("frequency, modified, as_of, expected", [
    ("每月", "2026-09-30", "2026-11-26 09:00", ["GK-FRESH-020"]),  # due 2026-10-30
    ("每月", "2026-11-02", "2026-11-26 09:00", []),
    ("每年", "2026-03-20", "2026-11-26 09:00", []),
    ("每年", "2025-11-01", "2026-11-26 09:00", ["GK-FRESH-020"]),  # due 2026-11-01
    ("不定期", "2025-01-05", "2026-11-26 09:00", []),
])
def test_dataset_updated_as_often_as_its_frequency_says(tmp_path, frequency, modified, as_of, expected):
    from tests.item_samples import COMPANIONS, sample

    path, text = sample("dataset")
    text = text.replace("frequency: 每年", f"frequency: {frequency}").replace("modified: 2026-03-20", f"modified: {modified}")
    text = text.replace("date: 2026-03-20 10:00", f"date: {min(modified, '2026-03-20')} 10:00")
    root = make_repo(tmp_path, {path: text, **COMPANIONS["dataset"]})
    moment = parse_now(as_of)
    found = audit(load_repository(root, now=moment), moment)
    stale = [f for f in found if f.code == "GK-FRESH-020"]
    assert [f.code for f in stale] == expected
    for f in stale:
        assert f.unit == "jyj" and f.item == "sj-1" and f.path == path and f.due


def test_home_page_findings_name_the_sites_host_unit_as_the_link_check_does(tmp_path):
    """The host unit is `Repository.host_unit` (site.yaml), for the audit's home findings and the link check alike."""
    from pipeline.audit.links import page_units
    from tests.repo_factory import SITE, unit_yaml

    files = {"content/governance/site.yaml": SITE.replace("host_unit: yjzfb", "host_unit: bgs"),
             "content/units/bgs.yaml": unit_yaml("bgs", "测试市政府门户网站办公室", "市直部门", 12399),
             "content/governance/columns.yaml": COLUMNS,
             "content/news/jyj/xw-1.md": NEWS.replace("unit: jyj", "unit: jyj\ncolumn: bmdt")}
    found = findings(tmp_path, files, "2026-03-20 09:00")
    home = [(f.code, f.unit) for f in found if f.code in ("GK-FRESH-010", "GK-FRESH-011", "GK-FRESH-012", "GK-FRESH-013")]
    assert ("GK-FRESH-010", "bgs") in home and all(unit == "bgs" for _, unit in home)
    moment = parse_now("2026-03-20 09:00")
    assert page_units(load_repository(tmp_path / "repo" / "repo", now=moment), moment)[1] == "bgs"


LETTERS_OF_2026 = {  # id -> (kind, received, replied, extended): late, in time, extended, over National Day
    "xj-1": ("咨询", "2026-09-30 16:00", "2026-10-09 17:00", None),  # two working days over the holiday: in time
    "xj-2": ("咨询", "2026-09-30 16:00", "2026-10-10 10:00", None),  # late by one working day (adjusted Saturday)
    "xj-3": ("咨询", "2026-09-30 16:00", "2026-10-12 10:00", True),  # 咨询 may not be extended: late
    "xj-4": ("求助", "2026-09-28 09:00", "2026-10-10 11:00", None),  # five days end on the adjusted Saturday
    "xj-5": ("求助", "2026-09-28 09:00", "2026-10-12 11:00", None),  # late
    "xj-6": ("求助", "2026-09-28 09:00", "2026-10-16 11:00", True),  # extended once: in time
    "xj-7": ("投诉", "2026-09-18 09:00", "2026-10-12 09:00", None),  # late
    "xj-8": ("投诉", "2026-09-18 09:00", "2026-10-09 09:00", None),  # in time
    "xj-9": ("投诉", "2026-03-02 09:00", "2026-03-03 10:00", None),  # in time, an ordinary week
}


def test_the_audits_late_letters_are_the_yearly_reports_answered_less_on_time(tmp_path):
    from collections import Counter

    from pipeline.yearly_report.figures import compute

    files = {f"content/letters/yjzfb/{lid}.yaml": letter(kind, received, replied, extended, letter_id=lid)
             for lid, (kind, received, replied, extended) in LETTERS_OF_2026.items()}
    found = findings(tmp_path, files, "2026-12-31 18:00")
    late = Counter(LETTERS_OF_2026[f.item][0] for f in found if f.code == "GK-LETTER-001")
    assert sorted(f.item for f in found if f.code == "GK-LETTER-001") == ["xj-2", "xj-3", "xj-5", "xj-7"]
    moment = parse_now("2026-12-31 18:00")
    letters = compute(load_repository(tmp_path / "repo" / "repo", now=moment), 2026, None).letters
    assert {kind: row["answered"] - row["on_time"] for kind, row in letters.items()} == \
        {kind: late[kind] for kind in letters}
    assert sum(row["answered"] for row in letters.values()) == len(LETTERS_OF_2026)
