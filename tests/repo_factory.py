"""Small content repositories built in temporary directories for tests.

`make_repo(tmp_path, {"content/news/x.md": "..."})` writes a minimal, clean
repository (site, columns, two units) plus the given files. `run_check`
returns the decided diagnostics, as `gongkai check` sees them.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from pipeline.check.whole import check_repository
from pipeline.content.repository import load_repository
from pipeline.content.types import CONTENT_TYPES

SITE = """\
name: 测试市人民政府门户网站
domain: www.test.gov.cn
site_id_code: "4501000031"
host_unit: yjzfb
icp: 桂ICP备00000001号
police_record: 桂公网安备 45010202000001号
contact:
  phone: 0771-5612345
  email: web@test.gov.cn
  address: 测试市民主路 1 号
"""

UNIT = """\
id: {id}
name: {name}
kind: {kind}
contact:
  address: 测试市民主路 1 号
  phone: 0771-56{n}
  hours: 工作日 8:30-17:30
public_numbers: ["13877770000"]
not_applicable:
{na}
"""

ALL_CATEGORIES = ["regulations", "organization", "planning", "statistics", "licensing", "enforcement",
                  "budget", "fees", "procurement", "major-projects", "livelihood", "emergency",
                  "supervision", "civil-service", "other"]


def unit_yaml(unit_id: str, name: str, kind: str = "市直部门", n: int = 12345, applicable=()) -> str:
    na = "\n".join(f"  - category: {c}\n    reason: 测试用,不适用" for c in ALL_CATEGORIES if c not in applicable)
    return UNIT.format(id=unit_id, name=name, kind=kind, n=n, na=na or "  []")


def columns_yaml() -> str:
    lines = ["columns:"]
    for t in CONTENT_TYPES:
        lines += [f"  - id: {t.column}", f"    name: {t.label}", "    units: [yjzfb]",
                  "    cadence_days: null", f"    types: [{t.name}]"]
    return "\n".join(lines) + "\n"


BASE = {
    "content/governance/site.yaml": SITE,
    "content/governance/columns.yaml": columns_yaml(),
    "content/governance/wording.yaml": "entries:\n  - wrong: 政府信息公开条列\n    right: 政府信息公开条例\n",
    "content/units/yjzfb.yaml": unit_yaml("yjzfb", "测试市人民政府办公室", "市人民政府办公室", 12345),
    "content/units/jyj.yaml": unit_yaml("jyj", "测试市教育局", "市直部门", 12346),
}


def md(front: str, body: str = "正文。\n") -> str:
    """A Markdown item from dedented front matter and body."""
    return "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + textwrap.dedent(body)


NEWS = md("""
    id: xw-1
    title: 测试新闻
    unit: jyj
    date: 2026-03-01 09:00
    """, "教育局召开会议。\n")

POLICY = md("""
    id: zc-1
    title: 测试市义务教育招生入学管理办法
    unit: jyj
    issued_in_name_of: 本单位
    doc_type: 行政规范性文件
    doc_number: 测教规〔2026〕1号
    index_number: 11450100MB1536210X/2026-00001
    subject: 科技、教育
    disclosure_category: regulations
    written: 2026-02-20
    date: 2026-03-01 09:00
    validity: 现行有效
    """, "第一条 为规范义务教育招生入学,制定本办法。\n")

INTERPRETATION = md("""
    id: jd-zc-1
    title: 《测试市义务教育招生入学管理办法》政策解读
    unit: jyj
    date: 2026-03-01 09:00
    interprets: [zc-1]
    form: 文字
    """, "一、起草背景\n\n见[《办法》](item:zc-1)。\n")


def make_repo(tmp_path: Path, files: dict | None = None, *, base: bool = True) -> Path:
    root = tmp_path / "repo"
    merged = dict(BASE) if base else {}
    merged.update(files or {})
    for rel, data in merged.items():
        if data is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    (root / "content").mkdir(parents=True, exist_ok=True)
    return root


def run_check(root: Path):
    return check_repository(load_repository(root))


def found(diagnostics, code: str | None = None):
    """(code, path, line) triples, optionally of one code: what tests assert on."""
    return {(d.code, d.path, d.line) for d in diagnostics if code is None or d.code == code}
