"""CODEOWNERS for GitLab and GitHub, generated from the roster, the tiers and the content.

Content is organised by type folder (content/policies/, content/news/...), not by unit, so a unit's
files cannot be matched with one pattern: every item file (and every attachment, under the items that
use it) is listed explicitly in the section of the tier and unit it needs. Governance data and the
publishing configuration are matched by folder, under the city government office.

GitLab: one section per (tier, unit), `[名称][N] @owners`, N = the number of steps of the tier (two
different people). A file listed in two sections needs both (an attachment shared by two units).
GitHub has no sections or counts: each path lists every person who may approve it, and branch
protection's "Require review from Code Owners" asks for one of them; `gongkai approvals verify`
enforces the rest (both roles, two people, not the author, in order) before publishing.

The files are committed (`.gitlab/CODEOWNERS`, `.github/CODEOWNERS`); rule GK-OWN-001 fails
`gongkai check` when they no longer match what this module generates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .changes import items_referencing
from .roster import Person, Roster
from .tiers import Need, ApprovalPolicy, load_policy

if TYPE_CHECKING:
    from ..repository import Repository

TARGETS = {"gitlab": ".gitlab/CODEOWNERS", "github": ".github/CODEOWNERS"}

HEADER = """\
# 本文件由 `gongkai approvals codeowners --forge {forge} --write` 根据
# content/governance/roster.yaml(审核审批人员名册)、pipeline/approvals/tiers.yaml(审批层级)
# 和各条目的发布单位生成,请勿手工修改;名册或条目变化后重新生成并一并提交(否则 GK-OWN-001)。
# 审批层级依据《云江市人民政府门户网站管理办法》第二十八条。
"""

GITLAB_NOTE = """\
# 每个小节 [名称][N]:N 为该层级的审批步骤数,须由 N 个不同的人批准;审核与审批的角色、先后顺序
# 以及“提交人不能审批自己的变更”由 `gongkai approvals verify` 在发布前核验。
"""

GITHUB_NOTE = """\
# GitHub 的 CODEOWNERS 没有小节和人数:每个路径列出可以审批的全部人员,分支保护要求其中一人批准;
# 两个不同角色、两个不同的人、先审核后审批,由 `gongkai approvals verify` 在发布前核验。
"""


@dataclass
class Section:
    need: Need
    name: str
    required: int
    owners: list[Person]
    paths: list[str] = field(default_factory=list)


def sections(repo: "Repository", roster: Roster, policy: ApprovalPolicy | None = None) -> list[Section]:
    policy = policy or load_policy()
    lookup = repo.by_id.get
    by_key: dict[tuple, Section] = {}

    def section_for(need: Need) -> Section:
        if need.key not in by_key:
            tier = policy.tier(need.tier_id)
            owners: list[Person] = []
            for step in tier.steps:
                for person in policy.eligible(need, step, roster):
                    if person not in owners:
                        owners.append(person)
            unit = repo.units.get(need.unit)
            unit_name = str(unit.meta.get("name")) if unit is not None else need.unit
            name = tier.section.replace("{unit}", unit_name) if need.unit else tier.section
            by_key[need.key] = Section(need, name, len(tier.steps), owners)
        return by_key[need.key]

    for rule in policy.paths:
        if rule.codeowners:
            section_for(Need(rule.tier, "")).paths.append(rule.codeowners_pattern)

    items_by_path = {item.path: item for item in repo.items}
    for cf in repo.files:
        needs: list[Need] = []
        if cf.kind == "item" and cf.rel in items_by_path:
            needs.append(policy.need_for_item(items_by_path[cf.rel], lookup))
        elif cf.kind == "asset":
            needs += [policy.need_for_item(user, lookup)
                      for user in items_referencing(cf.rel, repo.items, lookup)]
        if not needs:
            fallback = policy.need_for_path(cf.rel)
            if fallback is not None and not _covered(cf.rel, policy):
                needs.append(fallback)
        for need in {n.key: n for n in needs}.values():
            section_for(need).paths.append("/" + cf.rel)

    order = {tier.id: index for index, tier in enumerate(policy.tiers)}
    unit_order = {unit: index for index, unit in enumerate(sorted(repo.units))}
    out = sorted(by_key.values(),
                 key=lambda s: (order.get(s.need.tier_id, 99), unit_order.get(s.need.unit, -1), s.need.unit))
    for section in out:
        section.paths = _ordered(section.paths)
    return out


def _covered(path: str, policy: ApprovalPolicy) -> bool:
    """Whether a folder pattern written to CODEOWNERS already matches the path."""
    return any(rule.codeowners and rule.codeowners_pattern.endswith("/")
               and ("/" + path).startswith(rule.codeowners_pattern) for rule in policy.paths)


def _ordered(paths: list[str]) -> list[str]:
    folders = [p for p in dict.fromkeys(paths) if p.endswith("/") or not p.startswith("/content/")]
    files = sorted(p for p in dict.fromkeys(paths) if p not in folders)
    return folders + files


def escape(path: str) -> str:
    """CODEOWNERS patterns: spaces and a leading # must be escaped with a backslash."""
    out = path.replace("\\", "\\\\").replace(" ", "\\ ")
    return "\\" + out if out.startswith("#") else out


def render_gitlab(found: list[Section]) -> str:
    lines = [HEADER.format(forge="gitlab").rstrip("\n"), GITLAB_NOTE.rstrip("\n")]
    for section in found:
        owners = " ".join(f"@{p.gitlab}" for p in section.owners if p.gitlab)
        lines.append("")
        if not owners:
            lines.append(f"# 名册中没有「{section.name}」的审批人:请在 content/governance/roster.yaml 中补充。")
        lines.append(f"[{section.name}][{section.required}] {owners}".rstrip())
        lines += [escape(p) for p in section.paths]
    return "\n".join(lines) + "\n"


def render_github(found: list[Section]) -> str:
    owners_of: dict[str, list[str]] = {}
    order: list[str] = []
    for section in found:
        for path in section.paths:
            if path not in owners_of:
                owners_of[path] = []
                order.append(path)
            for person in section.owners:
                if person.github and f"@{person.github}" not in owners_of[path]:
                    owners_of[path].append(f"@{person.github}")
    lines = [HEADER.format(forge="github").rstrip("\n"), GITHUB_NOTE.rstrip("\n"), ""]
    folders = [p for p in order if p.endswith("/") or not p.startswith("/content/")]
    files = sorted(p for p in order if p not in folders)
    for path in folders + files:
        lines.append(f"{escape(path)} {' '.join(owners_of[path])}".rstrip())
    return "\n".join(lines) + "\n"


def generate(repo: "Repository", forge: str, roster: Roster | None = None, policy: ApprovalPolicy | None = None) -> str:
    roster = roster or Roster.from_repository(repo) or Roster()
    found = sections(repo, roster, policy)
    return render_gitlab(found) if forge == "gitlab" else render_github(found)
