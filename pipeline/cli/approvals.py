"""Sub-commands `gongkai approvals plan|codeowners|verify|trailers` and `gongkai register`.

Exit codes as everywhere: 0 fine, 1 approvals missing / files out of date, 2 usage errors (an unknown
revision, not a Git repository, the forge unreachable). Never a traceback for bad input.
"""
from __future__ import annotations

import argparse
import os
import sys

from pipeline.cli.common import UsageError, emit, moment, refuse_public_output, repository_root


def _guarded(function):
    """Turn the approvals' own user errors into UsageError (exit 2 with the message)."""

    def run(args):
        from pipeline.approvals.changes import RevisionError
        from pipeline.approvals.forge_api import ForgeError
        from pipeline.approvals.tiers import PolicyError

        try:
            return function(args)
        except (RevisionError, ForgeError, PolicyError) as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"无法读写文件:{exc}") from None

    return run


@_guarded
def cmd_plan(args) -> int:
    from pipeline.approvals.changes import open_repo, resolve
    from pipeline.approvals.plan import build_plan, render_json, render_markdown
    from pipeline.approvals.roster import Actor
    from pipeline.reporters.text import format_diagnostic
    from pipeline.approvals.tiers import load_policy

    root = repository_root(args)
    repo = open_repo(root)
    submitter = None
    if args.author is not None:
        if not args.author.strip():
            raise UsageError("--author 为空:流水线没有提供提交人的代码平台用户名(GitLab 的 $GITLAB_USER_LOGIN、"
                             "GitHub 的 github.event.pull_request.user.login),无法核对提交人能否修改所涉单位的内容。")
        submitter = Actor(username=args.author.strip().lstrip("@"), forge=args.forge or "")
    plan = build_plan(repo, resolve(repo, args.base), resolve(repo, args.head), load_policy(), root, submitter)
    render = render_json if args.format == "json" else render_markdown
    emit(render(plan, forge=args.forge, preview_url=args.preview_url), args.output)
    if plan.refusals:
        for refusal in plan.refusals:
            print(format_diagnostic(refusal), file=sys.stderr)
        return 1
    return 0


@_guarded
def cmd_codeowners(args) -> int:
    from pipeline.content.repository import load_repository
    from pipeline.approvals.codeowners import TARGETS, generate
    from pipeline.approvals.roster import Roster
    from pipeline.content.generated_files import write_generated

    root = repository_root(args)
    repo = load_repository(root)
    roster = Roster.from_repository(repo)
    if roster is None:
        raise UsageError("找不到审核审批人员名册 content/governance/roster.yaml,无法生成 CODEOWNERS。")
    text = generate(repo, args.forge, roster)
    if not args.write:
        sys.stdout.write(text)
        return 0
    if not write_generated(root, TARGETS[args.forge], text):
        print(f"{TARGETS[args.forge]} 已是最新。")
        return 0
    print(f"已写入 {TARGETS[args.forge]}:请与名册和内容的修改一并提交。")
    return 0


def _api_record(args, commit_sha: str):
    from pipeline.approvals.forge_api import client, token_from_env

    if not args.forge_api:
        return None
    api_url = args.api_url or os.environ.get("CI_API_V4_URL" if args.forge_api == "gitlab" else "GITHUB_API_URL")
    project = args.project or os.environ.get("CI_PROJECT_ID" if args.forge_api == "gitlab" else "GITHUB_REPOSITORY")
    if not api_url or not project:
        raise UsageError("使用 --forge-api 时需要 --api-url 和 --project(或 CI 提供的 CI_API_V4_URL/CI_PROJECT_ID、"
                           "GITHUB_API_URL/GITHUB_REPOSITORY)。")
    forge = client(args.forge_api, api_url, project, token_from_env(args.forge_api))
    if args.mr is None and not commit_sha:
        raise UsageError("请用 --mr 指定合并请求编号,或用 --rev 指定提交以便查找。")
    number = args.mr if args.mr is not None else forge.merge_request_for_commit(commit_sha)
    return forge.approvals(number)


@_guarded
def cmd_verify(args) -> int:
    from pipeline.approvals.changes import open_repo, resolve
    from pipeline.approvals.tiers import load_policy
    from pipeline.approvals.verify import render_json, render_text, verify_commit

    root = repository_root(args)
    repo = open_repo(root)
    commit = resolve(repo, args.rev)
    record = _api_record(args, commit.hexsha)
    verdict = verify_commit(repo, commit, load_policy(), root, record)
    emit(render_json(verdict) if args.format == "json" else render_text(verdict), args.output)
    return 0 if verdict.ok else 1


@_guarded
def cmd_trailers(args) -> int:
    from pipeline.content.repository import load_repository
    from pipeline.approvals.roster import Roster

    if not args.forge_api:
        raise UsageError("请用 --forge-api gitlab|github 指定从哪个代码平台读取审批记录。")
    root = repository_root(args)
    roster = Roster.from_repository(load_repository(root)) or Roster()
    record = _api_record(args, args.rev or "")
    lines = []
    for approval in sorted(record.approvals, key=lambda a: (a.at is None, a.at)):
        person = roster.identify(approval.actor)
        if approval.stale:
            continue
        if person is None:
            print(f"gongkai: 名册中找不到 @{approval.actor.username},其批准不写入 trailer。", file=sys.stderr)
            continue
        line = f"Approved-by: {person.display}"
        if line not in lines:
            lines.append(line)
    emit("\n".join(lines) + ("\n" if lines else ""), args.output)
    return 0


@_guarded
def cmd_register(args) -> int:
    from pipeline.content.repository import load_repository
    from pipeline.approvals.changes import open_repo, resolve
    from pipeline.approvals.register import build_register, render_csv, render_html, render_json
    from pipeline.approvals.tiers import load_policy

    root = repository_root(args)
    repo = open_repo(root)
    head = resolve(repo, args.rev)
    records = build_register(repo, head, load_policy(), root, moment(args))
    if args.format == "json":
        text = render_json(records)
    elif args.format == "html":
        site = load_repository(root).site
        text = render_html(records, site_name=str(site.get("name") or ""), generated_from=head.hexsha)
    else:
        text = render_csv(records)
    if args.output and args.format == "html":
        refuse_public_output(root, args.output, "造册登记")
    emit(text, args.output)
    return 0


def _forge_api_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--forge-api", choices=["gitlab", "github"],
                        help="从代码平台 API 读取审批记录(含时间,核对先后顺序),而不是合并提交的 trailer")
    parser.add_argument("--api-url", help="API 地址,如 https://gitlab.example.com/api/v4 或 https://api.github.com"
                                          "(默认取 CI_API_V4_URL / GITHUB_API_URL)")
    parser.add_argument("--project", help="GitLab 项目编号或路径 / GitHub 的 owner/repo"
                                          "(默认取 CI_PROJECT_ID / GITHUB_REPOSITORY)")
    parser.add_argument("--mr", type=int, help="合并请求编号(GitLab iid / GitHub PR 号);省略时按提交查找")


def add_commands(subparsers) -> None:
    approvals = subparsers.add_parser("approvals", help="信息发布审批:审批计划、CODEOWNERS、合并提交核验")
    sub = approvals.add_subparsers(dest="approvals_command", metavar="子命令", help="以下子命令之一")
    approvals.set_defaults(func=lambda args: (approvals.print_help(), 2)[1])

    plan = sub.add_parser("plan", help="列出合并请求变更的条目、审批层级和可审批人")
    plan.add_argument("--base", required=True, help="目标分支或基准提交,如 origin/main")
    plan.add_argument("--head", default="HEAD", help="合并请求的最新提交(默认 HEAD)")
    plan.add_argument("--format", choices=["markdown", "json"], default="markdown",
                      help="报告格式(默认 markdown,用作合并请求评论)")
    plan.add_argument("--forge", choices=["gitlab", "github"], help="用该平台的 @用户名 列出审批人")
    plan.add_argument("--preview-url", help="预览站点地址,报告中直接链接到变更的页面")
    plan.add_argument("--author", help="提交合并请求的代码平台用户名(如 $GITLAB_USER_LOGIN):核对此人是所改动单位的"
                                       "信息员或审核审批人,否则报 GK-AUTHOR-001/002 并以状态 1 退出")
    plan.add_argument("--output", "-o", help="写入文件")
    plan.set_defaults(func=cmd_plan)

    owners = sub.add_parser("codeowners", help="根据名册生成 GitLab / GitHub 的 CODEOWNERS")
    owners.add_argument("--forge", choices=["gitlab", "github"], required=True, help="为哪个代码平台生成(写法不同)")
    owners.add_argument("--write", action="store_true", help="写入 .gitlab/CODEOWNERS 或 .github/CODEOWNERS")
    owners.set_defaults(func=cmd_codeowners)

    verify = sub.add_parser("verify", help="核验合并提交的审批是否满足第二十八条(发布前门禁)")
    verify.add_argument("rev", help="要核验的提交(通常是目标分支上的合并提交)")
    _forge_api_options(verify)
    verify.add_argument("--format", choices=["text", "json"], default="text", help="结果格式(默认 text)")
    verify.add_argument("--output", "-o", help="写入文件")
    verify.set_defaults(func=cmd_verify)

    trailers = sub.add_parser("trailers", help="从代码平台 API 读取批准人,输出 Approved-by trailer 行")
    _forge_api_options(trailers)
    trailers.add_argument("--rev", help="按此提交查找合并请求(未给 --mr 时)")
    trailers.add_argument("--output", "-o", help="写入文件")
    trailers.set_defaults(func=cmd_trailers)

    register = subparsers.add_parser("register", help="由 Git 历史生成信息发布造册登记(CSV / JSON / HTML)")
    register.add_argument("--rev", default="HEAD", help="登记截至的提交(默认 HEAD)")
    register.add_argument("--format", choices=["csv", "json", "html"], default="csv",
                          help="登记表格式(默认 csv;html 为内部资料)")
    register.add_argument("--now", help="按此时刻判断状态(待发布、待撤回;默认当前时间,CI 中传流水线时间)")
    register.add_argument("--output", "-o", help="写入文件(HTML 为内部资料,不得写入 output/)")
    register.set_defaults(func=cmd_register)
