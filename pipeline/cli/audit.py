"""`gongkai audit`: the daily read of the portal as of a moment. Exit 0 no single-veto risk,
1 single-veto risks found, 2 usage errors (an unknown holiday year among them)."""
from __future__ import annotations

import argparse

from .common import UsageError, emit, moment, repository_root

FORMATS = ("markdown", "json", "junit")


def cmd_audit(args) -> int:
    from ..audit.findings import Level
    from ..audit.report import render_json, render_markdown
    from ..audit.run import audit
    from ..audit.workdays import UnknownYear
    from ..reporters import render
    from ..repository import load_repository

    as_of = moment(args, "as_of")
    repo = load_repository(repository_root(args), now=as_of)
    try:
        findings = audit(repo, as_of)
    except UnknownYear as exc:
        raise UsageError(str(exc)) from None
    names = {uid: str(unit.meta.get("name") or uid) for uid, unit in repo.units.items()}
    if args.format == "json":
        text = render_json(findings, as_of, names)
    elif args.format == "junit":
        from ..audit.checks import audit_codes

        text = render("junit", [f.diagnostic for f in findings], checked_files=repo.checked_files, rules=audit_codes())
    else:
        text = render_markdown(findings, as_of, names, str(repo.site.get("name") or ""))
    emit(text, args.output)
    return 1 if any(f.level is Level.VETO for f in findings) else 0


def add_commands(sub) -> None:
    audit = sub.add_parser("audit", help="每日读网:栏目更新、信件答复期限、调查结果、回应时效、公开类别和内容质量",
                           description="按《门户网站管理办法》和国家网站检查指标读网,按单位列出须处理的事项。")
    audit.add_argument("--as-of", dest="as_of", help="按此时刻读网(默认当前时间;CI 中传流水线时间)")
    audit.add_argument("--format", choices=FORMATS, default="markdown", help="报告格式(默认 Markdown)")
    audit.add_argument("--output", "-o", help="写入文件")
    audit.set_defaults(func=cmd_audit)
