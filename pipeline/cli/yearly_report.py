"""`gongkai report annual`: the yearly disclosure report's figures computed from the content."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli.common import UsageError, emit, moment, repository_root


def cmd_report_annual(args) -> int:
    from pipeline.yearly_report.figures import YEARS, compute, is_year
    from pipeline.yearly_report.draft import render_markdown
    from pipeline.content.repository import load_repository

    if not is_year(args.year):
        raise UsageError(f"年度应在 {YEARS[0]} 到 {YEARS[1]} 之间,例如 --year 2025。")
    root = repository_root(args)
    repo = load_repository(root, now=moment(args))
    units = list(dict.fromkeys(args.unit or []))
    for unit in units:
        if unit not in repo.units:
            known = "、".join(sorted(repo.units)) or "无"
            raise UsageError(f"没有编号为「{unit}」的责任单位。已有的单位:{known}。")
    if args.write:
        return _write(repo, units, args)
    report = compute(repo, args.year, units)
    text = (json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n" if args.format == "json"
            else render_markdown(report, repo, repo.schemas.category_short_labels))
    emit(text, args.output)
    return 0


def _write(repo, units, args) -> int:
    from pipeline.yearly_report.figures import compute, figures_as_of, report_items, report_scope
    from pipeline.yearly_report.draft import draft_text, layout_for, replace_figures
    from pipeline.yearly_report.tables import draft_figures

    if not units:
        raise UsageError("--write 需要 --unit:年度报告按单位编写(本级政府的报告用多个 --unit 列出所含单位)。")
    existing = [i for i in report_items(repo) if i.meta["year"] == args.year and report_scope(i) == tuple(sorted(units))]
    layout = layout_for(repo)
    if len(existing) > 1:
        raise UsageError(f"{'、'.join(i.path for i in existing)} 都是 {args.year} 年、范围为 {'、'.join(units)} 的年度报告:"
                         "一个年度只能有一份(GK-RPT-003),请先删去多余的一份。")
    if existing:
        item = existing[0]
        # As the check compares it: with the site as it was when the report came out (its `date`).
        report = compute(repo, args.year, units, figures_as_of(item, repo.now))
        path = repo.root / item.path
        figures = draft_figures(report, layout, item.meta.get("figures") if isinstance(item.meta.get("figures"), dict) else None)
        try:  # bytes in and out: a BOM and CRLF line endings stay as the unit's editor wrote them
            path.write_bytes(replace_figures(path.read_bytes().decode("utf-8"), figures).encode("utf-8"))
        except ValueError as exc:
            raise UsageError(f"{item.path}:{exc},无法更新数据表。") from None
        print(f"已更新 {item.path} 的数据表(figures),按报告发布时间 {item.meta.get('date')} 网站上的内容计算;"
              "头信息的其他字段和正文未改动。要按现在的内容更正报告,请先把 date 改为更正发布的时间。")
        return 0
    unit = units[0]
    rel = Path("content") / "reports" / unit / f"ndbg-{unit}-{args.year}.md"
    path = repo.root / rel
    if path.exists():
        raise UsageError(f"{rel} 已存在,但读不出它是 {args.year} 年、范围为 {'、'.join(units)} 的年度报告"
                         "(头信息无法读取,year、unit、covers 不同,或已撤回):请检查该文件,或运行 gongkai check 查看。")
    report = compute(repo, args.year, units)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(draft_text(report, repo, unit, draft_figures(report, layout), repo.now), encoding="utf-8")
    print(f"已起草 {rel.as_posix()}:数据表已按内容填写,标为“待填写”的文字和数据由单位补充后方可发布。")
    return 0


def add_commands(sub) -> None:
    report = sub.add_parser("report", help="报告:政府信息公开工作年度报告中可由内容计算的数据")
    kinds = report.add_subparsers(dest="report", metavar="报告", required=True, help="报告种类")
    annual = kinds.add_parser("annual", help="某年度的年度报告数据(规章、规范性文件件数及其计算依据等)")
    annual.add_argument("--year", type=int, required=True, help="年度,如 2025")
    annual.add_argument("--unit", action="append",
                        help="单位编号(默认:全市);可重复,如本级政府报告含市政府和市政府办公室")
    annual.add_argument("--format", choices=["markdown", "json"], default="markdown", help="输出格式(默认 markdown)")
    annual.add_argument("--output", "-o", help="写入文件")
    annual.add_argument("--write", action="store_true",
                        help="起草或更新 content/reports/ 下该单位该年度的年度报告条目(只写数据表,文字部分留待填写)")
    annual.add_argument("--now", help="按此时间判断内容状态(默认现在)")
    annual.set_defaults(func=cmd_report_annual)
