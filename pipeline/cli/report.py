"""`gongkai report annual`: the yearly disclosure report's figures computed from the content."""
from __future__ import annotations

import json

from .common import UsageError, emit, repository_root


def cmd_report_annual(args) -> int:
    from datetime import date

    from ..annual_report import compute, render_markdown
    from ..repository import load_repository
    from ..timeutil import end_of_day

    root = repository_root(args)
    # As of the end of the year reported on: what was published by then, never what came later.
    repo = load_repository(root, now=end_of_day(date(args.year, 12, 31)))
    if args.unit and args.unit not in repo.units:
        known = "、".join(sorted(repo.units)) or "无"
        raise UsageError(f"没有编号为「{args.unit}」的责任单位。已有的单位:{known}。")
    report = compute(repo, args.year, args.unit)
    text = (json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n" if args.format == "json"
            else render_markdown(report, repo.schemas.category_short_labels))
    emit(text, args.output)
    return 0


def add_commands(sub) -> None:
    report = sub.add_parser("report", help="报告:政府信息公开工作年度报告中可由内容计算的数据")
    kinds = report.add_subparsers(dest="report", metavar="报告", required=True)
    annual = kinds.add_parser("annual", help="某年度的年度报告数据(规章、规范性文件件数及其计算依据等)")
    annual.add_argument("--year", type=int, required=True, help="年度,如 2025")
    annual.add_argument("--unit", help="单位编号(默认:全市)")
    annual.add_argument("--format", choices=["markdown", "json"], default="markdown")
    annual.add_argument("--output", "-o", help="写入文件")
    annual.set_defaults(func=cmd_report_annual)
