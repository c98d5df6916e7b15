"""What an editor reads when they get something wrong: the acceptance table of issue 15, point 1.

Each row is one mistake an editor made (found by editors trying the demo), the file as they left it,
and everything `gongkai check` then says: the exact message, its code and its line. One mistake gives
one diagnostic, in plain Chinese, naming the field by its key and its Chinese name, with a correct
example taken from the schema; never a regular expression, a JSON pointer or PyYAML's English.
The rows run through the real command (`gongkai check --format json`) on a small repository.
"""
from __future__ import annotations

import json
import re

import pytest

from pipeline.cli import main
from tests.item_samples import sample
from tests.repo_factory import BASE, INTERPRETATION, NEWS, POLICY, make_repo, unit_yaml

NOW = "2026-03-02 09:00"
NEWS_PATH = "content/news/xw-1.md"
POLICY_PATH = "content/policies/zc-1.md"
INTERP_PATH = "content/interpretations/jd-zc-1.md"
JYJ = "content/units/jyj.yaml"
SERVICE_PATH, SERVICE = sample("service")
WITH_INTERPRETATION = {INTERP_PATH: INTERPRETATION}


def policy(old: str, new: str) -> dict:
    assert old in POLICY
    return {POLICY_PATH: POLICY.replace(old, new), **WITH_INTERPRETATION}


def news(old: str, new: str) -> dict:
    assert old in NEWS
    return {NEWS_PATH: NEWS.replace(old, new)}


# (mistake, files as the editor left them, every diagnostic the check then gives: (code, path, line, message))
TABLE = [
    ("索引号留空(模板中的空字段)",
     policy("index_number: 11450100MB1536210X/2026-00001", "index_number: ''"),
     [("GK-SCH-003", POLICY_PATH, 8,
       "「index_number」(索引号)未填写。请填写,如「index_number: 11450100MB1536210X/2026-00001」。")]),
    ("索引号格式不对",
     policy("index_number: 11450100MB1536210X/2026-00001", "index_number: 2026-001"),
     [("GK-SCH-003", POLICY_PATH, 8,
       "「index_number」(索引号)「2026-001」格式不对,应写成这样:「index_number: 11450100MB1536210X/2026-00001」。")]),
    ("主题分类留空:未填写,而不是一长串可选值",
     policy("subject: 科技、教育", "subject:"),
     [("GK-SCH-003", POLICY_PATH, 9, "「subject」(主题分类)未填写。请填写,如「subject: 综合政务」。")]),
    ("发文字号留空(可选字段)",
     policy("doc_number: 测教规〔2026〕1号", "doc_number:"),
     [("GK-SCH-003", POLICY_PATH, 7,
       "「doc_number」(发文字号)未填写。请填写(如「doc_number: 云教规〔2026〕1号」),不需要时删去这一行。")]),
    ("模板中留空的列表项(gongkai new 写的「- 」)",
     {SERVICE_PATH: SERVICE.replace("  - 《中华人民共和国义务教育法》第十二条", "  -")},
     [("GK-SCH-003", SERVICE_PATH, 8, "「basis」(设定依据)第 1 项未填写。请填写,如「《示例条例》第十条」。")]),
    ("删掉了标题:字段的中文名是「标题」,不是「文本」",
     news("title: 测试新闻\n", ""),
     [("GK-SCH-001", NEWS_PATH, 2, "缺少必填字段「title」(标题)。请添加这一行,如「title: 云江市召开示例会议」。")]),
    ("字段名拼错:summery",
     news("date: 2026-03-01 09:00\n", "date: 2026-03-01 09:00\nsummery: 教育局召开会议。\n"),
     [("GK-SCH-002", NEWS_PATH, 6, "未知字段「summery」:是不是「summary」(摘要)?请改正拼写。")]),
    ("本类型没有的字段",
     news("date: 2026-03-01 09:00\n", "date: 2026-03-01 09:00\nremark: 内部备注\n"),
     [("GK-SCH-002", NEWS_PATH, 6, "未知字段「remark」:要闻动态没有这个字段,请检查拼写,或删去这一行。")]),
    ("有效性写了不存在的值",
     policy("validity: 现行有效", "validity: 有效"),
     [("GK-SCH-003", POLICY_PATH, 13,
       "「validity」(有效性)「有效」不是可选的值。是不是「现行有效」?可选:「现行有效」「已修订」「已废止」「失效」。")]),
    ("成文日期用了斜杠",
     policy("written: 2026-02-20", "written: 2026/02/20"),
     [("GK-SCH-003", POLICY_PATH, 11, "「written」(成文日期)「2026/02/20」格式不对,应写成这样:「written: 2026-03-01」。")]),
    ("已修订的文件没写有效性变更日期",
     policy("validity: 现行有效", "validity: 已修订\nreplaced_by: zc-1"),
     [("GK-SCH-001", POLICY_PATH, 2,
       "「validity」(有效性)为「已修订」时必须填写「validity_date」(有效性变更日期)。请添加这一行,如「validity_date: 2026-03-01」。"),
      ("GK-REL-003", POLICY_PATH, 14, "替代文件不能是本文件自己。")]),
    ("服务对象应是列表却写成了一个值",
     {SERVICE_PATH: SERVICE.replace("audience: [个人]", "audience: 个人")},
     [("GK-SCH-003", SERVICE_PATH, 26,
       "「audience」(服务对象)应是列表(每项一行,以「- 」开头),应写成这样:「audience: [个人]」。")]),
    ("公开类别写了中文,但不是类别名称",
     policy("disclosure_category: regulations", "disclosure_category: 规章"),
     [("GK-SCH-003", POLICY_PATH, 10,
       "「disclosure_category」(法定主动公开类别)「规章」不是法定主动公开类别的名称。是不是「规章和规范性文件」?"
       "可写:规章和规范性文件、机构职能、规划、统计信息、行政许可和服务事项、行政处罚和行政强制、财政预决算、"
       "行政事业性收费、政府集中采购、重大建设项目、民生政策措施、突发公共事件、监督检查、公务员招考、其他法定公开信息。")]),
    ("公开类别写中文简称:接受",
     policy("disclosure_category: regulations", "disclosure_category: 规章和规范性文件"), []),
    ("公开类别写条例中的全称:接受",
     policy("disclosure_category: regulations", "disclosure_category: 行政法规、规章和规范性文件"), []),
    ("单位的不适用类别写中文:接受",
     {JYJ: BASE[JYJ].replace("category: budget", "category: 财政预决算")}, []),
    ("行政规范性文件没有解读:一句通顺的话",
     {POLICY_PATH: POLICY},
     [("GK-REL-001", POLICY_PATH, 6,
       "本文件是行政规范性文件,必须同步发布政策解读(第七条、第十三条),但还没有解读。"
       "请新建解读(gongkai new interpretation),并在其中写上「interprets: [zc-1]」。")]),
    ("字段名后漏了冒号:在出错的那一行,而不是下一行",
     news("title: 测试新闻", "title 测试新闻"),
     [("GK-YAML-001", NEWS_PATH, 3,
       "YAML 语法错误:「title 测试新闻」缺少冒号:字段名后要写英文冒号和一个空格,如「title: 测试新闻」。")]),
    ("冒号后没有空格",
     news("title: 测试新闻", "title:测试新闻"),
     [("GK-YAML-001", NEWS_PATH, 3,
       "YAML 语法错误:「title:测试新闻」的冒号后缺少空格:字段名后要写英文冒号和一个空格,如「title: 测试新闻」。")]),
    ("标题中有「: 」",
     news("title: 测试新闻", "title: 关于开学的通知: 补充说明"),
     [("GK-YAML-001", NEWS_PATH, 3,
       "YAML 语法错误:「title: 关于开学的通知: 补充说明」的值中有「: 」(冒号加空格),会被当作又一个字段:"
       "请给整个值加上引号,如「title: \"关于开学的通知: 补充说明\"」。")]),
    ("引号没有配对:在引号所在的行",
     news("title: 测试新闻", "title: \"测试新闻"),
     [("GK-YAML-001", NEWS_PATH, 3, "YAML 语法错误:「title: \"测试新闻」中的引号没有配对:请在值的末尾补上引号,或去掉开头的引号。")]),
    ("用 Tab 缩进",
     {SERVICE_PATH: SERVICE.replace("  - 提交申请", "\t- 提交申请")},
     [("GK-YAML-001", SERVICE_PATH, 23,
       "YAML 语法错误:「- 提交申请」用了制表符(Tab)缩进:YAML 只能用空格缩进,请把 Tab 换成空格。")]),
    ("用 GBK 保存的文件:只有它自己的一个错误,引用它的解读不报",
     {POLICY_PATH: POLICY.encode("gbk"), **WITH_INTERPRETATION},
     [("GK-ENC-001", POLICY_PATH, 3,
       "文件不是 UTF-8 编码(可能是在 Windows 上按 GBK/GB18030 保存的)。"
       "请运行 `gongkai normalize content/policies/zc-1.md` 转换为 UTF-8 后重新提交。")]),
    ("被解读的政策文件标题行写坏:只有语法错误一个",
     policy("title: 测试市义务教育招生入学管理办法", "title 测试市义务教育招生入学管理办法"),
     [("GK-YAML-001", POLICY_PATH, 3,
       "YAML 语法错误:「title 测试市义务教育招生入学管理办法」缺少冒号:字段名后要写英文冒号和一个空格,"
       "如「title: 测试市义务教育招生入学管理办法」。")]),
    ("单位文件写坏:引用该单位的条目不报",
     {JYJ: BASE[JYJ].replace("name: 测试市教育局", "name 测试市教育局"), NEWS_PATH: NEWS},
     [("GK-YAML-001", JYJ, 2, "YAML 语法错误:「name 测试市教育局」缺少冒号:字段名后要写英文冒号和一个空格,如「name: 测试市教育局」。")]),
]

REGEX_OR_POINTER = re.compile(r"\^|\$|\\[ds]|\[0-9|#/|/properties/|could not|expected|found ")


def gongkai_check(root, capsys, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--root", str(root), "check", "--now", NOW, *extra])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("mistake, files, expected", TABLE, ids=[row[0] for row in TABLE])
def test_each_editor_mistake_gives_exactly_this_message(tmp_path, capsys, mistake, files, expected):
    root = make_repo(tmp_path, files)
    code, out = gongkai_check(root, capsys, "--format", "json")
    got = [(d["code"], d["path"], d["line"], d["message"]) for d in json.loads(out)["diagnostics"]]
    assert got == expected
    assert code == (1 if expected else 0)
    for *_, message in got:
        assert not REGEX_OR_POINTER.search(message), message


def test_table_rows_are_one_mistake_one_diagnostic():
    """The table itself: every mistake gives at most the one error it is about (the revised policy also
    names itself as its replacement, a second, separate mistake)."""
    assert all(len(expected) <= 1 for mistake, _, expected in TABLE if "已修订" not in mistake)


def test_a_chinese_category_is_the_code_everywhere_after_loading(tmp_path):
    from pipeline.content.repository import load_repository

    files = policy("disclosure_category: regulations", "disclosure_category: 规章和规范性文件")
    files[JYJ] = BASE[JYJ].replace("category: budget", "category: 财政预决算")
    repo = load_repository(make_repo(tmp_path, files))
    assert repo.by_id["zc-1"].meta["disclosure_category"] == "regulations"
    assert "budget" in {entry["category"] for entry in repo.units["jyj"].meta["not_applicable"]}


# --- coverage warnings: one short line per unit; the details on request --------------------------

COVERAGE_FILES = {JYJ: unit_yaml("jyj", "测试市教育局", applicable=("budget", "procurement"))}
COVERAGE_LINE = "测试市教育局有 2 个公开类别没有现行内容:财政预决算、政府集中采购。"


def test_coverage_warning_is_one_short_line_and_verbose_adds_what_to_do(tmp_path, capsys):
    root = make_repo(tmp_path, COVERAGE_FILES)
    code, out = gongkai_check(root, capsys)
    assert code == 0
    assert out.splitlines() == [f"{JYJ}:9: 警告 GK-COV-001 {COVERAGE_LINE}", "检查了 5 个文件:0 个错误,1 个警告。"]
    code, verbose = gongkai_check(root, capsys, "--verbose")
    lines = verbose.splitlines()
    assert lines[0] == out.splitlines()[0] and lines[-1] == out.splitlines()[-1]
    assert len(lines) == 3 and lines[1].startswith("    现行内容是现行有效的文件,或近 365 天内发布的信息。")
    assert "published_elsewhere" in lines[1] and "not_applicable" in lines[1]


def test_merge_request_comment_shows_the_short_line_only(tmp_path, capsys):
    root = make_repo(tmp_path, COVERAGE_FILES)
    _, out = gongkai_check(root, capsys, "--format", "markdown")
    assert COVERAGE_LINE in out and "published_elsewhere" not in out


def test_a_clean_demo_check_gives_at_most_one_short_line_per_unit(capsys):
    from tests.test_demo_content import ROOT

    capsys.readouterr()
    assert main(["--root", str(ROOT), "check", "--now", "2026-11-26 09:00", "--format", "json"]) == 0
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    warnings = [d for d in diagnostics if d["severity"] == "warning"]
    paths = [d["path"] for d in warnings]
    assert len(paths) == len(set(paths)), "one warning per unit"
    for warning in warnings:
        assert "\n" not in warning["message"] and len(warning["message"]) <= 100, warning["message"]


def test_check_and_build_report_the_same_warnings(tmp_path, capsys):
    root = make_repo(tmp_path, COVERAGE_FILES)
    _, checked = gongkai_check(root, capsys)
    main(["--root", str(root), "build", "--now", NOW, "--output", str(tmp_path / "out")])
    built = capsys.readouterr().out
    warnings = [line for line in checked.splitlines() if " 警告 " in line]
    assert warnings == [f"{JYJ}:9: 警告 GK-COV-001 {COVERAGE_LINE}"]
    assert [line for line in built.splitlines() if " 警告 " in line] == warnings  # the build used to show none
