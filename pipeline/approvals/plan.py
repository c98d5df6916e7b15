"""`gongkai approvals plan`: what a merge request changes, each item's tier, and who may approve it.

Markdown for a merge-request comment (with links straight to the changed pages of a preview build
when `--preview-url` is given), JSON for machines. The roster used is the target branch's: a merge
request that edits the roster does not choose its own approvers.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import git

from pipeline.core.addresses import output_name
from pipeline.approvals.authority import author_findings
from pipeline.approvals.changes import Assessed, TreeSnapshot, assess, authors, branch_commits, content_prefix, diff, merge_base
from pipeline.approvals.roster import Actor, Person, Roster
from pipeline.approvals.tiers import ApprovalPolicy, Need, Tier
from pipeline.approvals.verify import group_json, needs_of
from pipeline.diagnostics import Diagnostic


@dataclass
class PlanGroup:
    need: Need
    tier: Tier
    unit_name: str
    paths: list[str]
    steps: list[tuple[str, str, list[Person]]]  # (label, kind, eligible people)
    warnings: list[str] = None  # steps nobody but the authors (or nobody at all) can do, and what to add

    def __post_init__(self):
        self.warnings = self.warnings or []

    @property
    def title(self) -> str:
        if self.need.unit:
            return f"{self.unit_name}:{self.tier.label}"
        return self.tier.label


@dataclass
class Plan:
    base: str
    head: str
    entries: list[Assessed]
    groups: list[PlanGroup]
    authors: list[Actor]
    roster_found: bool
    submitter: Actor | None = None  # the forge login that opened or pushed the merge request (--author)
    refusals: list[Diagnostic] = field(default_factory=list)  # GK-AUTHOR-*: what the submitter may not change


def build_plan(repo: git.Repo, base: git.Commit, head: git.Commit, policy: ApprovalPolicy, root,
               submitter: Actor | None = None) -> Plan:
    prefix = content_prefix(repo, root)
    fork = merge_base(repo, base, head)
    old, new = TreeSnapshot(fork, prefix), TreeSnapshot(head, prefix)
    entries = assess(diff(fork, head, prefix), policy, old, new)
    roster_meta = old.roster_meta()
    if roster_meta is None:
        roster_meta = new.roster_meta()
    roster = Roster.from_meta(roster_meta)
    groups = []
    for need, paths in needs_of(entries, policy).values():
        tier = policy.tier(need.tier_id)
        name = new.unit_name(need.unit) if need.unit else ""
        steps = [(step.label, step.kind, policy.eligible(need, step, roster)) for step in tier.steps]
        groups.append(PlanGroup(need, tier, name, sorted(paths), steps))
    submitters = authors(branch_commits(repo, fork, head))
    for group in groups:
        group.warnings = unfillable_steps(group, roster, submitters)
    refusals = []
    if submitter is not None:
        units = dict.fromkeys([*old.unit_ids(), *new.unit_ids()])
        refusals = author_findings(entries, roster, submitter, units, new.unit_name)
    return Plan(fork.hexsha, head.hexsha, entries, groups, submitters, roster_meta is not None, submitter, refusals)


def _roster_place(role: str, unit: str) -> str:
    scope, _, name = role.partition(".")
    return f"units.{unit}.{name}" if scope == "unit" else f"office.{name}"


def unfillable_steps(group: PlanGroup, roster: Roster, submitters: list[Actor]) -> list[str]:
    """Before merging: the steps that only an author of the change, or nobody, could do (Art. 15: nobody
    approves their own work), and the roster entry that would make the route possible."""
    own = {p.id for p in (roster.identify(a) for a in submitters) if p is not None}
    out = []
    available: set[str] = set()
    for (label, _kind, people), step in zip(group.steps, group.tier.steps):
        others = [p for p in people if p.id not in own]
        available |= {p.id for p in others}
        if others:
            continue
        where = "、".join(_roster_place(r, group.need.unit) for r in step.roles)
        who = "只有提交人本人" if people else "名册中无人"
        out.append(f"「{label}」{who}能担任,合并后核验必然失败:请在 content/governance/roster.yaml 的 {where} "
                   "中再加一位不是本次提交人的人员(名册修改须另行合并,本合并请求中的修改不算)。")
    if not out and len(available) < len(group.steps):
        out.append(f"本层级需要 {len(group.steps)} 个不同的人,除提交人外只有 {len(available)} 人可以担任:"
                   "请在名册中为其中一个步骤再加一人。")
    return out


def _mention(person: Person, forge: str | None) -> str:
    if forge:
        username = person.username(forge)
        if username:
            return f"{person.name} @{username}"
    return person.display


def render_markdown(plan: Plan, forge: str | None = None, preview_url: str | None = None) -> str:
    lines = ["## 信息发布审批计划", "",
             f"对比 `{plan.base[:10]}`…`{plan.head[:10]}`:变更文件 {len(plan.entries)} 个,"
             f"需要 {len(plan.groups)} 组审批(《云江市人民政府门户网站管理办法》第二十八条)。", ""]
    if not plan.roster_found:
        lines += ["> ⚠ 没有找到审核审批人员名册 content/governance/roster.yaml,无法列出审批人。", ""]
    if plan.authors:
        lines += ["提交人(不能审批本次变更):" + "、".join(a.display for a in plan.authors), ""]
    for refusal in plan.refusals:
        lines += [f"> ⛔ {refusal.code} `{refusal.path}`:{_md(refusal.message)}", ""]
    lines += ["| 文件 | 变更 | 条目 | 审批层级 | 依据 | 预览 |", "|---|---|---|---|---|---|"]
    for entry in plan.entries:
        tiers = "<br>".join(_need_label(plan, need) for need in entry.needs) or (
            "无单独审批层级" if entry.generated else "不在审批范围")
        reasons = "<br>".join(need.reason for need in entry.needs if need.reason) or (
            "按名册和责任单位重新生成,与生成结果一致" if entry.generated else "—")
        path = entry.change.path if entry.change.status != "R" else f"{entry.change.old_path} → {entry.change.path}"
        item = f"{entry.item_id} {_md(entry.title)}".strip() if entry.item else (
            "附件,用于 " + "、".join(entry.users) if entry.users else "—")
        link = "—"
        if entry.url:
            link = f"[打开]({preview_address(preview_url, entry.url)})" if preview_url else f"`{entry.url}`"
        elif entry.change.status == "D":
            link = "已删除"
        lines.append(f"| `{path}` | {entry.change.label} | {item or '—'} | {tiers} | {_md(reasons)} | {link} |")
    lines.append("")
    for group in plan.groups:
        lines.append(f"### {group.title}({group.tier.article})")
        lines.append("")
        lines.append(f"{group.tier.text}。涉及 {len(group.paths)} 个文件。")
        lines.append("")
        for index, (label, kind, people) in enumerate(group.steps, 1):
            names = "、".join(_mention(p, forge) for p in people) or "**名册中无人担任此角色**"
            lines.append(f"{index}. {label}:{names}")
        lines.append("")
        for warning in group.warnings:
            lines += [f"> ⚠ {warning}", ""]
    if plan.groups:
        lines.append("各步骤须由不同的人完成,提交人不能审批自己的变更;合并后由 `gongkai approvals verify` 核验。")
    return "\n".join(lines) + "\n"


def _need_label(plan: Plan, need: Need) -> str:
    for group in plan.groups:
        if group.need.key == need.key:
            return group.title
    return need.tier_id


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_json(plan: Plan, forge: str | None = None, preview_url: str | None = None) -> str:
    def person(p: Person) -> dict:
        return {"id": p.id, "name": p.name, "email": p.email, "gitlab": p.gitlab, "github": p.github}

    data = {
        "base": plan.base,
        "head": plan.head,
        "authors": [a.display for a in plan.authors],
        "changes": [{
            "path": e.change.path,
            "old_path": e.change.old_path,
            "status": e.change.status,
            "kind": e.kind,
            "item": e.item_id or None,
            "title": e.title or None,
            "url": e.url,
            "preview": preview_address(preview_url, e.url) if preview_url and e.url else None,
            "used_by": e.users,
            "needs": [{"tier": n.tier_id, "unit": n.unit or None, "reason": n.reason} for n in e.needs],
        } for e in plan.entries],
        "approvals": [{
            **group_json(g),
            "steps": [{"label": label, "kind": kind, "people": [person(p) for p in people]}
                      for label, kind, people in g.steps],
            "warnings": g.warnings,
        } for g in plan.groups],
        "submitter": plan.submitter.display if plan.submitter else None,
        "refusals": [{"code": d.code, "path": d.path, "line": d.line, "message": d.message} for d in plan.refusals],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def preview_address(preview_url: str, url: str) -> str:
    """The file of page `url` on a preview site (a static host without index.html resolution)."""
    return f"{preview_url.rstrip('/')}/{output_name(url)}"
