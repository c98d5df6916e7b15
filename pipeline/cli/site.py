"""`gongkai build` and `gongkai serve`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.common import UsageError, loaded_kept, moment, repository_root


def add_commands(sub) -> None:
    from pipeline.reporters import REPORTERS

    build = sub.add_parser("build", help="检查并构建门户网站到 output/(失败时保留原网站)")
    build.add_argument("--now", help="按此时间发布(定时发布测试、可重复构建),如 \"2026-03-01 09:30\"")
    build.add_argument("--output", "-o", help="输出目录(默认 仓库根目录/output)")
    build.add_argument("--format", choices=sorted(REPORTERS), default="text", help="检查报告格式")
    build.add_argument("--timings", action="store_true",
                       help="在标准错误输出各阶段用时和内存峰值(一行 JSON,供 bench/ 使用)")
    split = build.add_mutually_exclusive_group()
    split.add_argument("--shard", metavar="K/N",
                       help="只构建 N 个分片中的第 K 片到 --output(多个运行器并行构建一个网站,见 ci/build-shards.gitlab-ci.yml)")
    split.add_argument("--merge", nargs="+", metavar="DIR",
                       help="把 --shard 构建的全部分片目录合并到 --output(检查链接后原子替换)")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="构建并在 127.0.0.1 上预览,内容变化时自动重建")
    serve.add_argument("--port", type=int, default=8000, help="预览端口(默认 8000)")
    serve.add_argument("--now", help=argparse.SUPPRESS)
    serve.add_argument("--output", "-o", help="输出目录(默认 仓库根目录/output)")
    serve.set_defaults(func=cmd_serve)


def _build(args, root):
    from pipeline.reporters import check_report, render
    from pipeline.content.repository import load_repository
    from pipeline.site.build import BuildError, build_site, runner_fault, runner_fault_message
    from pipeline.site.stages import Stages

    now = moment(args)
    stages = Stages()
    output = Path(args.output) if args.output else root / "output"
    try:
        with stages.stage("load"):
            # A merge reads only the site's settings (its domain, for the link check), not the items.
            repo = load_repository(root, now=now, items=not getattr(args, "merge", None))
        if getattr(args, "shard", None):
            from pipeline.site.shards import build_shard, parse_shard
            try:
                k, n = parse_shard(args.shard)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            if not args.output:
                raise UsageError("分片构建需要用 --output 指定分片目录(不写入 output/)")
            result = build_shard(repo, output, now, k, n, stages)
        elif getattr(args, "merge", None):
            from pipeline.site.shards import ShardError, merge_shards
            try:
                result = merge_shards(repo, [Path(d) for d in args.merge], output, stages)
            except ShardError as exc:
                print(f"合并失败:{exc}原有网站未被改动。", file=sys.stderr)
                return 1
        else:
            with loaded_kept(repo):
                result = build_site(repo, output, now, stages)
    except Exception as exc:
        fault = runner_fault(exc)
        if fault is not None:  # a full or failing disk, a folder not ours: said as such, never a traceback
            print(f"gongkai: {runner_fault_message(fault, output)}", file=sys.stderr)
            return 2
        if isinstance(exc, BuildError):
            print("构建失败:渲染网站时出现系统错误(不是内容问题)。原有网站未被改动。", file=sys.stderr)
        raise
    fmt = getattr(args, "format", "text")
    if getattr(args, "merge", None):  # no check: only the merged shards' link check
        if result.diagnostics:
            sys.stdout.write(render(fmt, result.diagnostics, checked_files=repo.checked_files))
    else:  # the check's report, as `gongkai check` prints it (warnings too)
        sys.stdout.write(check_report(fmt, result.diagnostics, checked_files=repo.checked_files))
    if getattr(args, "timings", False):
        stages.print()
    if not result.ok:
        print("构建已停止:请先修正以上错误。原有网站未被改动。", file=sys.stderr)
        return 1
    print(f"已构建 {result.pages} 个页面到 {result.output}(写入 {result.changed} 个新的或有变化的文件,"
          f"重建搜索索引 {len(result.reindexed)}/{result.search_parts} 块)", file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    return _build(args, repository_root(args))


def cmd_serve(args) -> int:
    from pipeline.site.serve import serve

    root = repository_root(args)
    return serve(root, lambda: _build(args, root), Path(args.output) if args.output else root / "output", args.port)
