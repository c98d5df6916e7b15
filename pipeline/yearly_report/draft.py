"""What `gongkai report annual` writes: the computed figures as Markdown, and the unit's report item.

`--write` drafts content/reports/<unit>/ndbg-<unit>-<year>.md with every computed table filled and the
text parts the unit must write marked 待填写 (GK-WORD-002 stops them from being published so); on a
report item that exists it rewrites only the `figures` block, keeping what the unit wrote.
"""
from __future__ import annotations

import json
import re

import yaml

from pipeline.content.loader import LoadError, split_front_matter
from pipeline.yearly_report.figures import NOT_COMPUTED, PLACEHOLDER, AnnualReport, register_schema
from pipeline.yearly_report.tables import markdown_tables, tables

TEXT_PARTS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
_PROMPTS = {
    TEXT_PARTS[0]: "概述本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面的工作情况。",
    TEXT_PARTS[1]: "写明上一年度报告所列问题的整改情况,本年度存在的主要问题和改进措施。",
    TEXT_PARTS[2]: "写明信息处理费收取情况、人大代表建议和政协提案办理结果公开情况、年度工作要点落实情况等。",
}
TABLES_BEFORE = re.compile(r"^##\s*五、", re.MULTILINE)  # the tables of Parts 2-4 go before Part 5


def layout_for(repo):
    return tables(*register_schema(repo))


def render_markdown(report: AnnualReport, repo, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    computed = report.cells()

    def value(cell):
        figure = computed.get(cell)
        return "—" if figure is None or figure.value is None else str(figure.value)

    lines = [f"# {report.unit_name}{report.year}年政府信息公开工作年度报告:从内容计算的数据", "",
             "“—”为内容无法计算、由单位填报的数据。", ""]
    lines += markdown_tables(layout_for(repo), value)
    lines += ["## 计算方法", ""]
    for row in report.documents.values():
        for figure in row.values():
            lines.append(f"- {figure.how}:{figure.value} 件({'、'.join(figure.items) or '无'})")
    for row, figure in report.decisions.items():
        lines.append(f"- {row}:{figure.how}" + ("" if figure.value is None else f":{figure.value}") +
                     ("" if figure.value is not None else f"({NOT_COMPUTED})"))
    if report.applications:
        lines.append(f"- 第三、四部分:依申请公开台账 {'、'.join(report.applications['registers'])}(不公开)。")
    else:
        lines.append(f"- 三、四部分:{NOT_COMPUTED}(没有依申请公开台账 content/applications/<单位>/{report.year}.yaml)。")
    lines += ["", "## 附:评估常用数据", "", "| 公开类别 | 本年发布条数 |", "|---|---:|"]
    lines += [f"| {labels.get(c, c)} | {n} |" for c, n in report.by_category.items()] or ["| (无) | 0 |"]
    lines += ["", "| 本年制发的文件 | 解读数 | 解读形式 |", "|---|---:|---|"]
    lines += [f"| {i['title']}({i['policy']}) | {i['interpretations']} | {'、'.join(i['forms']) or '—'} |"
              for i in report.interpretations] or ["| (无) | 0 | — |"]
    lines += ["", "| 信件类型 | 收到 | 已答复 | 按期答复 | 按期答复率 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {kind} | {r['received']} | {r['answered']} | {r['on_time']} | "
              f"{'—' if r['on_time_rate'] is None else str(r['on_time_rate']) + '%'} |" for kind, r in report.letters.items()] \
        or ["| (无) | 0 | 0 | 0 | — |"]
    return "\n".join(lines) + "\n"


def figures_yaml(figures: dict) -> str:
    """The `figures` block: one line per table row, in the format's order."""
    lines = ["figures:"]
    for part, rows in figures.items():
        lines.append(f"  {part}:")
        for row, cells in rows.items():
            inner = ", ".join(f"{_key(c)}: {_scalar(v)}" for c, v in cells.items())
            lines.append(f"    {_key(row)}: {{{inner}}}")
    return "\n".join(lines) + "\n"


def _key(text: str) -> str:
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=1000).strip()
    dumped = dumped.removesuffix("...").strip()
    return dumped if not any(ch in dumped for ch in "{},[]") else '"' + text.replace('"', '\\"') + '"'


def _scalar(value) -> str:
    if value == PLACEHOLDER or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # what a unit wrote ("1,130"): kept, quoted, for the schema to judge


def draft_text(report: AnnualReport, repo, unit: str, figures: dict, now) -> str:
    record = repo.units.get(unit)
    name = repo.unit_name(unit)
    contact = record.meta.get("contact") if record is not None and isinstance(record.meta.get("contact"), dict) else {}
    phone = f"(电话:{contact['phone']})" if contact.get("phone") else ""
    year = report.year
    front = [f"id: ndbg-{unit}-{year}", f"title: {name}{year}年政府信息公开工作年度报告", f"unit: {unit}",
             f'date: "{now:%Y-%m-%d %H:%M}"  # 发布时间:按实际发布时间填写(条例要求每年 1 月 31 日前公布)',
             f"year: {year}", "disclosure_category: other",
             f"summary: 报告 {year} 年{name}主动公开、依申请公开、政府信息管理、平台建设和监督保障等工作情况。"]
    if len(report.units) > 1 or report.units != (unit,):
        front.append("covers: [" + ", ".join(report.units) + "]")
    body = [f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
            f"(国办公开办函〔2021〕30号)编制,所列数据统计期限为 {year} 年 1 月 1 日至 {year} 年 12 月 31 日。"
            f"如对本报告有疑问,请与{name}联系{phone}。", ""]
    for part in TEXT_PARTS:
        body += [f"## {part}", "", f"{PLACEHOLDER}:{_PROMPTS[part]}", ""]
    return "---\n" + "\n".join(front) + "\n" + figures_yaml(figures) + "---\n\n" + "\n".join(body)


def replace_figures(text: str, figures: dict) -> str:
    """`text` (a report item's file) with its front matter's `figures` block replaced, or added at its end.

    Everything else is kept as written: the other keys, comments outside the block, the body, a BOM and
    the file's line endings. Raises ValueError when the file has no front matter.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    try:
        yaml_text, _, body, _ = split_front_matter(text, "")
    except LoadError:
        raise ValueError("文件没有 YAML 头信息(第一行 ---,字段之后再一行 --- 或 ...)") from None
    head_start = text.index("\n") + 1
    tail = text[head_start + len(yaml_text):]  # the closing line and the body
    lines = yaml_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if line.startswith(("figures:", '"figures":', "'figures':"))), None)
    block = figures_yaml(figures)
    if start is None:
        lines.append(block)
    else:
        stop = start + 1
        while stop < len(lines) and _inside_block(lines, stop):
            stop += 1
        lines[start:stop] = [block]
    out = text[:head_start] + "".join(lines) + tail
    return bom + out.replace("\n", newline)


def _inside_block(lines: list[str], index: int) -> bool:
    """Whether lines[index] still belongs to the block above: indented, blank, or a comment followed by
    an indented line (a comment written at the margin inside the block)."""
    line = lines[index]
    if line.startswith((" ", "\t")) or not line.strip():
        return True
    if line.lstrip().startswith("#"):
        following = next((ln for ln in lines[index + 1:] if ln.strip() and not ln.lstrip().startswith("#")), "")
        return following.startswith((" ", "\t"))
    return False


def split_body(body: str) -> tuple[str, str]:
    """The report's text before the tables (introduction, Part 1) and after them (Parts 5 and 6)."""
    match = TABLES_BEFORE.search(body)
    return (body, "") if match is None else (body[:match.start()], body[match.start():])
