"""The `gongkai` command.

Exit codes: 0 clean (warnings allowed), 1 content errors, 2 usage or internal
failure. Bad content never produces a traceback: it is a diagnostic.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__
from .common import UsageError, emit, moment, repository_root


def cmd_check(args) -> int:
    from ..check import check_repository
    from ..diagnostics import has_errors
    from ..reporters import render
    from ..repository import load_repository
    from ..codes import all_codes

    if args.changed_since is not None:
        return _check_changed(args)
    repo = load_repository(repository_root(args), now=moment(args))
    diagnostics = check_repository(repo)
    emit(render(args.format, diagnostics, checked_files=repo.checked_files, rules=all_codes()), args.output)
    return 1 if has_errors(diagnostics) else 0


def _check_changed(args) -> int:
    """`check --changed-since REV`: the whole check's diagnostics for the files the change reaches."""
    from ..changed_check import check_changed_since
    from ..codes import all_codes
    from ..diagnostics import has_errors
    from ..git_changes import ChangesUnavailable
    from ..reporters import render

    if not args.changed_since.strip():
        raise UsageError("--changed-since 需要一个版本(提交号、分支或标签),如 --changed-since origin/main。")
    try:
        result = check_changed_since(repository_root(args), args.changed_since, moment(args))
    except ChangesUnavailable as exc:
        raise UsageError(str(exc)) from None
    print(f"gongkai: {result.note}", file=sys.stderr)
    emit(render(args.format, result.diagnostics, checked_files=result.checked_files, rules=all_codes()), args.output)
    return 1 if has_errors(result.diagnostics) else 0


def cmd_rules(args) -> int:
    from ..codes import all_codes, code_documentation

    codes = all_codes()
    if args.codes:
        unknown = [c for c in args.codes if c not in codes]
        if unknown:
            raise UsageError(f"没有规则代码 {'、'.join(unknown)}。运行 gongkai rules 查看全部代码。")
        emit("\n\n".join(f"{c}  {codes[c]}\n\n{code_documentation(c) or '(无更多说明)'}" for c in args.codes), None)
        return 0
    if args.format == "json":
        import json

        emit(json.dumps([{"code": c, "description": d, "documentation": code_documentation(c)}
                         for c, d in codes.items()], ensure_ascii=False, indent=2), None)
    else:
        width = max(len(c) for c in codes)
        emit("\n".join(f"{c.ljust(width)}  {d}" for c, d in codes.items())
             + "\n\n说明和示例:gongkai rules 代码(如 gongkai rules GK-PRIV-001)", None)
    return 0


def cmd_new(args) -> int:
    from ..repository import load_repository
    from ..scaffold import new_item

    root = repository_root(args)
    if args.unit:
        units = load_repository(root).units
        if args.unit not in units:
            known = "、".join(f"{unit}({units[unit].meta.get('name') or unit})" for unit in sorted(units))
            raise UsageError(f"没有编号为「{args.unit}」的责任单位(content/units/ 下没有它)。已有的单位:{known or '无'}。")
    if args.type == "report":
        # A yearly report is drafted from the content, its tables filled: the same as report annual --write.
        if not args.unit:
            raise UsageError("年度报告按单位起草:请加 --unit,例如 gongkai new report --unit jyj。")
        from .report import cmd_report_annual
        year = moment(args).year - 1
        return cmd_report_annual(argparse.Namespace(root=args.root, unit=[args.unit], year=year, write=True,
                                                    now=args.now, format="markdown", output=None))
    path = new_item(root, args.type, unit=args.unit, title=args.title, now=moment(args))
    print(f"已新建 {path}:请按注释填写每个字段,然后运行 gongkai check。")
    return 0


def cmd_normalize(args) -> int:
    from ..normalize import normalize_paths

    failed = 0
    for message, ok in normalize_paths([Path(p) for p in args.paths]):
        print(message)
        failed += not ok
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    from ..reporters import REPORTERS
    from ..content_types import TYPES

    parser = argparse.ArgumentParser(
        prog="gongkai", description="云江市人民政府门户网站发布流水线:检查、构建、审批与审计。")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    parser.add_argument("--root", help="内容仓库根目录(默认:当前目录或其上级中含 content/ 的目录)")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    check = sub.add_parser("check", help="检查整个内容仓库(合并请求门禁)")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text", help="报告格式")
    check.add_argument("--output", "-o", help="把报告写入文件")
    check.add_argument("--now", help="按此时间检查(默认现在),如 \"2026-03-01 09:30\"")
    check.add_argument("--changed-since", metavar="REV",
                       help="只报告自版本 REV(提交号、分支或标签)以来改动的文件(含未提交和未跟踪的)及其引用和被引用的条目,"
                            "结果与完整检查对这些文件的结果相同;改动治理数据、单位信息或 schema 时自动检查整个仓库")
    check.set_defaults(func=cmd_check)

    rules = sub.add_parser("rules", help="列出全部规则代码及说明;给出代码时显示该规则的说明和正反示例")
    rules.add_argument("codes", nargs="*", metavar="CODE", help="规则代码,如 GK-PRIV-001")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.set_defaults(func=cmd_rules)

    new = sub.add_parser("new", help="新建一个条目(带中文注释的模板)")
    new.add_argument("type", choices=sorted(TYPES), help="条目类型")
    new.add_argument("--unit", help="发布单位编号")
    new.add_argument("--title", help="标题")
    new.add_argument("--now", help=argparse.SUPPRESS)
    new.set_defaults(func=cmd_new)

    normalize = sub.add_parser("normalize", help="把 GBK/GB18030 编码的文件转换为 UTF-8")
    normalize.add_argument("paths", nargs="+", metavar="PATH")
    normalize.set_defaults(func=cmd_normalize)

    for extension in _extensions():
        extension(sub)
    return parser


def _extensions():
    """Sub-commands that live beside their subject (build, approvals, register...)."""
    from .approvals import add_commands as approval_commands
    from .audit import add_commands as audit_commands
    from .report import add_commands as report_commands
    from .site import add_commands as build_commands

    return [build_commands, approval_commands, audit_commands, report_commands]


def main(argv=None) -> int:
    from ..site.search import PagefindMissing
    from ..site.serve import PreviewError
    from ..repository import NotARepository
    from ..schema import SchemaSetError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except (UsageError, NotARepository, PreviewError, PagefindMissing) as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
    except SchemaSetError as exc:
        print(f"gongkai: schema 集有误(这是系统问题,请联系维护者):{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 2
    except Exception:  # a bug, not bad content: show it, and say so
        import traceback

        traceback.print_exc()
        print("gongkai: 内部错误(这是系统缺陷,不是内容问题),请把以上信息报告给维护者。", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
