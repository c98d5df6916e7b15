"""`gongkai audit`: the daily read of the portal as of a moment. Exit 0 no single-veto risk,
1 single-veto risks found, 2 usage errors (an unknown holiday year among them)."""
from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.cli.common import UsageError, emit, moment, refuse_public_output, repository_root

FORMATS = ("markdown", "json", "junit")
AUDIT_FORMATS = ("markdown", "json", "html", "junit")


def cmd_audit(args) -> int:
    from pipeline.audit.findings import Level
    from pipeline.audit.render import render_json, render_markdown
    from pipeline.audit.daily import audit
    from pipeline.core.workdays import UnknownYear
    from pipeline.reporters import render
    from pipeline.content.repository import load_repository

    as_of = moment(args, "as_of")
    repo = load_repository(repository_root(args), now=as_of)
    try:
        findings = audit(repo, as_of)
    except UnknownYear as exc:
        raise UsageError(str(exc)) from None
    if args.links:
        findings = sorted(findings + _link_findings(Path(args.links)), key=lambda f: f.key)
    names = _unit_names(repo)
    if args.format == "json":
        text = render_json(findings, as_of, names)
    elif args.format == "html":
        from pipeline.audit.render import render_html

        earlier = [_read_json(Path(p)) for p in args.history or []]
        text = render_html(findings, as_of, names, str(repo.site.get("name") or ""), [e for e in earlier if e])
        if args.output:
            refuse_public_output(repository_root(args), args.output, "读网看板")
    elif args.format == "junit":
        from pipeline.audit.checks import audit_codes

        text = render("junit", [f.diagnostic for f in findings], checked_files=repo.checked_files, rules=audit_codes())
    else:
        text = render_markdown(findings, as_of, names, str(repo.site.get("name") or ""))
    emit(text, args.output)
    return 1 if any(f.level is Level.VETO for f in findings) else 0


def _unit_names(repo) -> dict[str, str]:
    return {uid: repo.unit_name(uid) for uid in repo.units}


def _link_findings(path: Path) -> list:
    from pipeline.audit.findings import Finding

    data = _read_json(path)
    if data is None:
        raise UsageError(f"读不了链接检查报告 {path}:请传入 gongkai linkcheck --format json 的输出。")
    try:
        return [Finding.from_dict(f) for f in data.get("findings") or []]
    except (KeyError, TypeError, ValueError):
        raise UsageError(f"{path} 不是 gongkai linkcheck --format json 的输出。") from None


def _read_json(path: Path):
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def cmd_linkcheck(args) -> int:
    from pipeline.audit.findings import Level
    from pipeline.audit.links import CODES, LinkCache, check_site
    from pipeline.audit.render import render_json, render_markdown
    from pipeline.reporters import render
    from pipeline.content.repository import load_repository

    now = moment(args)
    root = repository_root(args)
    site = Path(args.site) if args.site else root / "output"
    if not (site / "index.html").is_file():
        raise UsageError(f"{site} 中没有构建好的网站(没有 index.html):请先运行 gongkai build,或用 --site 指定目录。")
    repo = load_repository(root, now=now, items=False)
    cache = LinkCache(Path(args.cache) if args.cache else None)
    prefix = _relative_prefix(root, site)
    findings = sorted(check_site(repo, site, now, external=args.external, cache=cache, cache_days=args.cache_days,
                                 prefix=prefix, probe_host=args.dns_probe,
                                 items=lambda: load_repository(root, now=now)), key=lambda f: f.key)
    cache.save()
    names = _unit_names(repo)
    if args.format == "json":
        text = render_json(findings, now, names)
    elif args.format == "junit":
        text = render("junit", [f.diagnostic for f in findings], checked_files=0, rules=CODES)
    else:
        text = render_markdown(findings, now, names, str(repo.site.get("name") or ""), title="链接检查报告")
    emit(text, args.output)
    return 1 if any(f.level is not Level.WARNING for f in findings) else 0


def cmd_notify(args) -> int:
    from pipeline.audit.notify import NotifyError, load_report, publish, token_from_env

    token = token_from_env()
    if not token:
        print("未设置 GONGKAI_BOT_TOKEN(或 GITHUB_TOKEN):不更新议题,报告见作业制品。")
        return 0
    try:
        report, findings = load_report(Path(args.report), Path(args.json))
    except (OSError, ValueError) as exc:
        raise UsageError(f"读不了读网报告:{exc}") from None
    try:
        outcome = publish(args.forge, args.api_url, args.project, token, report, findings, args.label)
    except NotifyError as exc:
        raise UsageError(str(exc)) from None
    print(outcome.message)
    return 0


def _relative_prefix(root: Path, site: Path) -> str:
    try:
        return site.resolve().relative_to(root.resolve()).as_posix().rstrip("/") + "/"
    except ValueError:
        return site.as_posix().rstrip("/") + "/"


def add_commands(sub) -> None:
    audit = sub.add_parser("audit", help="每日读网:栏目更新、信件答复期限、调查结果、回应时效、公开类别和内容质量",
                           description="按《门户网站管理办法》和国家网站检查指标读网,按单位列出须处理的事项。")
    audit.add_argument("--as-of", dest="as_of", help="按此时刻读网(默认当前时间;CI 中传流水线时间)")
    audit.add_argument("--format", choices=AUDIT_FORMATS, default="markdown",
                       help="报告格式(默认 Markdown;html 为内部看板)")
    audit.add_argument("--links", help="同时报告 gongkai linkcheck --format json 的结果")
    audit.add_argument("--history", nargs="*", metavar="JSON", help="此前各天的 audit JSON 报告(看板画出变化)")
    audit.add_argument("--output", "-o", help="写入文件")
    audit.set_defaults(func=cmd_audit)

    links = sub.add_parser("linkcheck", help="检查构建好的网站的站内链接和外部链接,按单位报告",
                           description="站内链接在本机检查;加 --external 时用 LinkChecker 检查外部链接(有缓存)。")
    links.add_argument("--site", help="构建好的网站目录(默认 output/)")
    links.add_argument("--external", action="store_true", help="也检查外部链接(需要访问外网)")
    links.add_argument("--cache", help="外部链接结果缓存文件(JSON);近期检查正常的链接不再访问")
    links.add_argument("--cache-days", type=int, default=7, help="检查正常的外部链接多少天内不再访问(默认 7)")
    links.add_argument("--dns-probe", default="www.gov.cn", metavar="HOST",
                       help="判断本机能否解析域名用的主机名(默认 www.gov.cn;解析不了时不把域名解析失败算作链接失效)")
    links.add_argument("--format", choices=FORMATS, default="markdown", help="报告格式(默认 Markdown)")
    links.add_argument("--output", "-o", help="写入文件")
    links.add_argument("--now", help=argparse.SUPPRESS)
    links.set_defaults(func=cmd_linkcheck)

    notify = sub.add_parser("notify", help="把读网报告写到代码平台的一个议题中(每天更新同一个,没有问题时关闭)")
    notify.add_argument("--forge", choices=["gitlab", "github"], required=True, help="代码平台")
    notify.add_argument("--api-url", required=True, help="API 地址(GitLab: $CI_API_V4_URL;GitHub: $GITHUB_API_URL)")
    notify.add_argument("--project", required=True, help="项目(GitLab: 项目编号;GitHub: owner/repo)")
    notify.add_argument("--report", required=True, help="gongkai audit 的 Markdown 报告")
    notify.add_argument("--json", required=True, help="同一次读网的 JSON 报告(据此判断有没有问题)")
    notify.add_argument("--label", default="gongkai-audit", help="议题的标签(据此找到同一个议题;默认 gongkai-audit)")
    notify.set_defaults(func=cmd_notify)
