"""The `gongkai` command.

Exit codes: 0 clean (warnings allowed), 1 content errors, 2 usage or internal
failure. Bad content never produces a traceback: it is a diagnostic.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.cli.common import ArgumentParser, UsageError, emit, loaded_kept, moment, repository_root


def cmd_check(args) -> int:
    if args.changed_since is not None:
        return _check_changed(args)
    from pipeline.check.cached import check_repository_cached
    from pipeline.diagnostics import has_errors
    from pipeline.reporters import check_report
    from pipeline.content.repository import load_repository

    repo = load_repository(repository_root(args), now=moment(args))
    with loaded_kept(repo):
        diagnostics = check_repository_cached(repo)
    emit(check_report(args.format, diagnostics, checked_files=repo.checked_files, verbose=args.verbose), args.output)
    return 1 if has_errors(diagnostics) else 0


def _check_changed(args) -> int:
    """`check --changed-since REV`: the whole check's diagnostics for the files the change reaches."""
    from pipeline.check.changed import check_changed_since
    from pipeline.diagnostics import has_errors
    from pipeline.check.git_changes import ChangesUnavailable
    from pipeline.reporters import check_report

    if not args.changed_since.strip():
        raise UsageError("--changed-since 需要一个版本(提交号、分支或标签),如 --changed-since origin/main。")
    try:
        result = check_changed_since(repository_root(args), args.changed_since, moment(args))
    except ChangesUnavailable as exc:
        raise UsageError(str(exc)) from None
    print(f"gongkai: {result.note}", file=sys.stderr)
    emit(check_report(args.format, result.diagnostics, checked_files=result.checked_files, verbose=args.verbose),
         args.output)
    return 1 if has_errors(result.diagnostics) else 0


def cmd_rules(args) -> int:
    from pipeline.reporters.codes import all_codes, code_documentation

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
    from pipeline.content.types import TYPES
    from pipeline.authoring.new_item import ScaffoldError, new_item, plan_new_item, resolve_type

    root = repository_root(args)
    now = moment(args)
    try:
        if not args.unit:
            label = TYPES[resolve_type(args.type)].label
            raise ScaffoldError(f"请用 --unit 写明发布单位的编号(content/units/ 下的文件名),如 gongkai new {args.type} --unit jyj:"
                                f"{label}放在该单位的目录中,由该单位的审核人审批。")
        plan = plan_new_item(root, args.type, args.unit, now, args.id)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    if plan.type_name == "report":
        # A yearly report is drafted from the content, its tables filled: the same as report annual --write.
        from pipeline.cli.yearly_report import cmd_report_annual
        return cmd_report_annual(argparse.Namespace(root=args.root, unit=[plan.unit], year=now.year - 1, write=True,
                                                    now=args.now, format="markdown", output=None))
    path = new_item(root, plan, title=args.title, now=now)
    print(f"已新建 {path.relative_to(root).as_posix()}(编号 {plan.item_id}):请按注释填写每个字段,然后运行 gongkai check。")
    if plan.convention.descriptive and not args.id:
        print(f"本仓库的{TYPES[plan.type_name].label}编号按事项命名(如 {plan.convention.example}),{plan.item_id} 只是顺序号:"
              "要按事项命名,请删去此文件,用 --id 重新新建。")
    return 0


def cmd_normalize(args) -> int:
    from pipeline.authoring.normalize import normalize_paths

    failed = 0
    for message, ok in normalize_paths([Path(p) for p in args.paths]):
        print(message)
        failed += not ok
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    from pipeline.reporters import REPORTERS
    from pipeline.content.types import TYPES

    parser = ArgumentParser(
        prog="gongkai", description="云江市人民政府门户网站发布流水线:检查、构建、审批与审计。",
        epilog="各命令的参数:gongkai 命令 -h,如 gongkai check -h。")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    parser.add_argument("--root", help="内容仓库根目录(默认:当前目录或其上级中含 content/ 的目录)")
    sub = parser.add_subparsers(dest="command", metavar="命令", help="以下命令之一")

    check = sub.add_parser("check", help="检查整个内容仓库(合并请求门禁)")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text", help="报告格式")
    check.add_argument("--output", "-o", help="把报告写入文件")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="每条问题后附上详细说明和修改办法(如单位缺少哪些公开类别时该怎么做)")
    check.add_argument("--now", help="按此时间检查(默认现在),如 \"2026-03-01 09:30\"")
    check.add_argument("--changed-since", metavar="REV",
                       help="只报告自版本 REV(提交号、分支或标签)以来改动的文件(含未提交和未跟踪的)及其引用和被引用的条目,"
                            "结果与完整检查对这些文件的结果相同;改动治理数据、单位信息或 schema 时自动检查整个仓库")
    check.set_defaults(func=cmd_check)

    rules = sub.add_parser("rules", help="列出全部规则代码及说明;给出代码时显示该规则的说明和正反示例")
    rules.add_argument("codes", nargs="*", metavar="CODE", help="规则代码,如 GK-PRIV-001")
    rules.add_argument("--format", choices=["text", "json"], default="text", help="输出格式(默认 text)")
    rules.set_defaults(func=cmd_rules)

    new = sub.add_parser("new", help="新建一个条目(带中文注释的模板),放在发布单位的目录中",
                         description="按类型的 schema 写出带中文注释的新条目,编号按仓库中同类条目的编号规则生成。")
    new.add_argument("type", metavar="类型",
                     help="条目类型,写英文名或中文名均可:" + "、".join(f"{t.name}({t.label})" for t in TYPES.values()))
    new.add_argument("--unit", help="发布单位的编号(content/units/ 下的文件名,如 jyj),也可写单位名称;必填")
    new.add_argument("--title", help="标题(可稍后在文件中填写)")
    new.add_argument("--id", help="条目编号(默认按仓库中同类条目的编号规则生成);编号在整个网站中唯一,发布后不再更改")
    new.add_argument("--now", help=argparse.SUPPRESS)
    new.set_defaults(func=cmd_new)

    normalize = sub.add_parser("normalize", help="把 GBK/GB18030 编码的文件转换为 UTF-8")
    normalize.add_argument("paths", nargs="+", metavar="PATH", help="要转换的文件或目录(目录中的文件逐个检查,已是 UTF-8 的不改动)")
    normalize.set_defaults(func=cmd_normalize)

    for extension in _extensions():
        extension(sub)
    return parser


def _extensions():
    """Sub-commands that live beside their subject (build, approvals, register...)."""
    from pipeline.cli.approvals import add_commands as approval_commands
    from pipeline.cli.audit import add_commands as audit_commands
    from pipeline.cli.yearly_report import add_commands as report_commands
    from pipeline.cli.site import add_commands as build_commands
    from pipeline.cli.cms import add_commands as cms_commands

    return [build_commands, approval_commands, audit_commands, report_commands, cms_commands]


# Errors of the build and the preview that are the user's to fix (exit 2, no traceback), by module and name.
SITE_USAGE_ERRORS = (("pipeline.site.search", "PagefindMissing"), ("pipeline.site.serve", "PreviewError"))


def _usage_errors() -> tuple[type[BaseException], ...]:
    """UsageError and the like, of the modules this run imported: importing the build's modules only to name
    their exceptions cost `check --changed-since` a tenth of a second, and a module never imported raised nothing."""
    from pipeline.content.repository import NotARepository

    found = [getattr(sys.modules.get(module), name, None) for module, name in SITE_USAGE_ERRORS]
    return (UsageError, NotARepository, *(e for e in found if e is not None))


def main(argv=None) -> int:
    from pipeline.content.schema import SchemaSetError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except _usage_errors() as exc:  # evaluated only when an exception is raised, after the command's imports
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


def run() -> None:
    """The `gongkai` command: `main`, then out of the process without taking its objects apart one by one.

    Everything a command writes is written (the build's swap and records are done, files are closed) when
    `main` returns; what is left is memory. Freeing a build's 50,000 items, pages and caches object by object
    at interpreter exit took a second. Only the command does this: `main` called in a process (tests, a
    script) returns as any function does."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader gone (`gongkai check | head`): nothing more can reach it
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
