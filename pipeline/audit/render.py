"""Audit reports a person reads in a minute (Markdown), and the same findings for machines (JSON)."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from pipeline.diagnostics import format_location
from pipeline.audit.findings import Finding, Level


def counts(findings: list[Finding]) -> dict[str, int]:
    return {level.value: sum(1 for f in findings if f.level is level) for level in Level}


def render_json(findings: list[Finding], as_of: datetime, unit_names: dict[str, str]) -> str:
    by_unit = defaultdict(int)
    for finding in findings:
        by_unit[finding.unit] += 1
    data = {"as_of": as_of.isoformat(), "counts": counts(findings),
            "by_unit": [{"unit": unit or None, "name": unit_names.get(unit, unit) or "全站", "findings": n}
                        for unit, n in sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))],
            "findings": [f.as_dict() for f in findings]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_markdown(findings: list[Finding], as_of: datetime, unit_names: dict[str, str], site_name: str = "",
                    title: str = "每日读网报告") -> str:
    n = counts(findings)
    lines = [f"# {site_name or '门户网站'}{title}", "",
             f"截至 {as_of:%Y-%m-%d %H:%M}:单项否决风险 **{n['veto']}** 项,预警 **{n['warning']}** 项,"
             f"待处理 **{n['issue']}** 项。"]
    if not findings:
        lines += ["", "今天没有发现问题。"]
        return "\n".join(lines) + "\n"
    for level, intro in ((Level.VETO, "达到国家网站检查单项否决线的事项,须立即处理:"),
                         (Level.WARNING, "尚未达到单项否决线、请在检查发现之前处理或留意的事项:")):
        chosen = [f for f in findings if f.level is level]
        if chosen:
            lines += ["", f"## {level.label}", "", intro, ""]
            lines += [f"- {_unit(f, unit_names)}:{f.message}({f.code};依据 {f.source}{_where(f)})" for f in chosen]
    issues = [f for f in findings if f.level is Level.ISSUE]
    if issues:
        lines += ["", "## 各单位待处理事项", ""]
        grouped = defaultdict(list)
        for finding in issues:
            grouped[finding.unit].append(finding)
        order = sorted(grouped, key=lambda u: (-len(grouped[u]), u))
        lines += ["| 单位 | 事项数 |", "|---|---|"]
        lines += [f"| {unit_names.get(u, u) or '全站'} | {len(grouped[u])} |" for u in order]
        for unit in order:
            lines += ["", f"### {unit_names.get(unit, unit) or '全站'}" + (f"({unit})" if unit else ""), "",
                      "| 事项 | 期限 | 依据 | 位置 |", "|---|---|---|---|"]
            for f in grouped[unit]:
                lines.append(f"| {_cell(f.message)} | {f.due or '—'} | {_cell(f.source)} | "
                             f"`{format_location(f.path, f.line)}` |" if f.path else
                             f"| {_cell(f.message)} | {f.due or '—'} | {_cell(f.source)} | — |")
    return "\n".join(lines) + "\n"


def _unit(finding: Finding, unit_names: dict[str, str]) -> str:
    return f"**{unit_names.get(finding.unit, finding.unit)}**" if finding.unit else "**全站**"


def _where(finding: Finding) -> str:
    return f";{format_location(finding.path, finding.line)}" if finding.path else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


SERIES = (("veto", "单项否决风险", "#a50e0e"), ("warning", "预警", "#8a5a00"), ("issue", "待处理", "#1f4e8c"))


def history_points(earlier: list[dict], findings: list[Finding], as_of: datetime) -> list[dict]:
    """One point per day from earlier audit JSON files and today's findings (the last file of a day wins)."""
    days: dict[str, dict] = {}
    for data in earlier:
        try:
            day = datetime.fromisoformat(str(data["as_of"])).strftime("%Y-%m-%d")
            days[day] = {k: int((data.get("counts") or {}).get(k) or 0) for k, _, _ in SERIES}
        except (KeyError, TypeError, ValueError):
            continue
    days[as_of.strftime("%Y-%m-%d")] = counts(findings)
    return [{"day": day, **values, "total": sum(values.values())} for day, values in sorted(days.items())]


def render_html(findings: list[Finding], as_of: datetime, unit_names: dict[str, str], site_name: str = "",
                earlier: list[dict] | None = None) -> str:
    from pathlib import Path

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.unit].append(finding)
    units = [{"id": unit, "name": unit_names.get(unit, unit) or "全站", "findings": items,
              **{level.value: sum(1 for f in items if f.level is level) for level in Level}}
             for unit, items in sorted(grouped.items(), key=lambda kv: (min(f.level.rank for f in kv[1]), -len(kv[1]), kv[0]))]
    chart = None
    points = history_points(earlier or [], findings, as_of)
    if len(points) > 1:
        width, height, base = 720, 240, 210
        top = max(1, max(max(p[k] for k, _, _ in SERIES) for p in points))
        step = (width - 60) / (len(points) - 1)
        for index, point in enumerate(points):
            point["x"] = round(40 + index * step, 1)
        series = [{"label": label, "color": color,
                   "points": " ".join(f"{p['x']},{round(base - (base - 20) * p[key] / top, 1)}" for p in points)}
                  for key, label, color in SERIES]
        chart = {"width": width, "height": height, "base": base, "top": top, "points": points, "series": series}
    return env.get_template("dashboard.html").render(
        site_name=site_name or "门户网站", as_of=as_of.strftime("%Y-%m-%d %H:%M"), counts=counts(findings),
        units=units, chart=chart)
