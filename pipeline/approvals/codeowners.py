"""CODEOWNERS for GitLab and GitHub, generated from the roster, the tiers and the units.

Each unit's files live in its own folder of every type folder (`pipeline.content.locations`), so one pattern
per unit, `/content/*/gjj/`, routes every item and attachment of 公积金中心 to its reviewers: adding,
renaming or deleting an item never changes CODEOWNERS. The section of a unit folder is the tier of a
routine item of that unit (a department's own tier; the city government office for 市人民政府 and
its office). Governance data and the publishing configuration are matched by folder, under the city
government office. Items and attachments outside any unit folder (the older layout) are listed one
by one in the section their tier needs.

A higher tier that depends on what an item says (an emergency, a document in the city government's
name, an interpretation of a city policy) cannot be a path pattern: the approval plan names it on
the merge request and `gongkai approvals verify` enforces it before publication.

GitLab: one section per (tier, unit), `[名称][N] @owners`, N = the number of steps of the tier (two
different people). A file matched in two sections needs both. GitHub has no sections or counts: each
path lists every person who may approve it, and branch protection's "Require review from Code Owners"
asks for one of them; `gongkai approvals verify` enforces the rest (both roles, two people, not the
author, in order) before publishing.

The files are committed (`.gitlab/CODEOWNERS`, `.github/CODEOWNERS`); rule GK-OWN-001 fails
`gongkai check` when they no longer match what this module generates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Callable

from pipeline.content.loader import Item
from pipeline.core.files import asset_users, items_referencing
from pipeline.content.locations import codeowners_pattern, unit_folder_of
from pipeline.content.paths import CODEOWNERS_FILES
from pipeline.approvals.roster import Person, Roster
from pipeline.approvals.tiers import Need, ApprovalPolicy, load_policy

if TYPE_CHECKING:
    from pipeline.content.repository import Repository

TARGETS = CODEOWNERS_FILES  # where each forge reads its CODEOWNERS (pipeline.content.paths)

HEADER = """\
# 本文件由 `gongkai approvals codeowners --forge {forge} --write` 根据
# content/governance/roster.yaml(审核审批人员名册)、pipeline/approvals/tiers.yaml(审批层级)
# 和责任单位(content/units/)生成,请勿手工修改;名册或单位变化后重新生成并一并提交(否则 GK-OWN-001)。
# 每个单位的条目和附件放在各类型目录下以单位编号命名的子目录中(如 content/news/gjj/、
# content/files/gjj/),新增、改名、删除条目都不需要重新生成本文件。
# 按内容决定的更高层级(重大突发事件、以市人民政府名义发布等)不能按路径表示:由审批计划在合并请求中
# 列出,由 `gongkai approvals verify` 在发布前核验。审批层级依据《云江市人民政府门户网站管理办法》第二十八条。
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


@dataclass
class Inputs:
    """What CODEOWNERS is generated from: the same for the working tree and for a commit's tree."""

    items: list[Item]
    unit_names: dict[str, str]  # unit id -> name, in the order sections are written
    paths: list[tuple[str, str]]  # (repository-relative path, kind) of every file under content/
    lookup: Callable[[str], Item | None]

    @classmethod
    def of_repository(cls, repo: "Repository") -> "Inputs":
        names = {unit: repo.unit_name(unit) for unit in sorted(repo.units)}
        return cls(repo.items, names, [(cf.rel, cf.kind) for cf in repo.files], repo.by_id.get)

    @classmethod
    def of_tree(cls, tree) -> "Inputs":  # a changes.TreeSnapshot
        units = tree.unit_ids()
        return cls(tree.all_items, {unit: tree.unit_name(unit) for unit in sorted(units)},
                   tree.content_paths(), tree.item)


def unit_folder_need(policy: ApprovalPolicy, unit: str) -> Need:
    """The tier of a routine item of `unit` (no emergency, not in anyone else's name)."""
    return policy.need_for_item(SimpleNamespace(type="", meta={"unit": unit}, id=""))


def sections(source: "Repository | Inputs", roster: Roster, policy: ApprovalPolicy | None = None) -> list[Section]:
    policy = policy or load_policy()
    inputs = source if isinstance(source, Inputs) else Inputs.of_repository(source)
    units = inputs.unit_names
    by_key: dict[tuple, Section] = {}

    def section_for(need: Need) -> Section:
        if need.key not in by_key:
            tier = policy.tier(need.tier_id)
            owners: list[Person] = []
            for step in tier.steps:
                for person in policy.eligible(need, step, roster):
                    if person not in owners:
                        owners.append(person)
            unit_name = units.get(need.unit, need.unit)
            name = tier.section.replace("{unit}", unit_name) if need.unit else tier.section
            by_key[need.key] = Section(need, name, len(tier.steps), owners)
        return by_key[need.key]

    for rule in policy.paths:
        if rule.codeowners:
            section_for(Need(rule.tier, "")).paths.append(rule.codeowners_pattern)
    for unit in units:
        section_for(unit_folder_need(policy, unit)).paths.append(codeowners_pattern(unit))

    items_by_path = {item.path: item for item in inputs.items}
    users = asset_users(inputs.items)
    for rel, kind in inputs.paths:
        if unit_folder_of(rel, units) is not None:
            continue  # the unit's folder pattern covers it
        needs: list[Need] = []
        if kind == "item" and rel in items_by_path:
            needs.append(policy.need_for_item(items_by_path[rel], inputs.lookup))
        elif kind == "asset":
            needs += [policy.need_for_item(user, inputs.lookup)
                      for user in items_referencing(rel, users, inputs.lookup)]
        if not needs:
            fallback = policy.need_for_path(rel)
            if fallback is not None and not _covered(rel, policy):
                needs.append(fallback)
        for need in {n.key: n for n in needs}.values():
            section_for(need).paths.append("/" + rel)

    order = {tier.id: index for index, tier in enumerate(policy.tiers)}
    unit_order = {unit: index for index, unit in enumerate(units)}
    out = sorted((s for s in by_key.values() if s.paths),
                 key=lambda s: (order.get(s.need.tier_id, 99), unit_order.get(s.need.unit, -1), s.need.unit))
    for section in out:
        section.paths = _ordered(section.paths)
    return out


def _covered(path: str, policy: ApprovalPolicy) -> bool:
    """Whether a folder pattern written to CODEOWNERS already matches the path."""
    return any(rule.codeowners and rule.codeowners_pattern.endswith("/")
               and ("/" + path).startswith(rule.codeowners_pattern) for rule in policy.paths)


def _ordered(paths: list[str]) -> list[str]:
    folders = [p for p in dict.fromkeys(paths) if _is_pattern(p)]
    files = sorted(p for p in dict.fromkeys(paths) if p not in folders)
    return folders + files


def _is_pattern(path: str) -> bool:
    return path.endswith("/") or not path.startswith("/content/")


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
    folders = [p for p in order if _is_pattern(p)]
    files = sorted(p for p in order if p not in folders)
    for path in folders + files:
        lines.append(f"{escape(path)} {' '.join(owners_of[path])}".rstrip())
    return "\n".join(lines) + "\n"


def generate(repo: "Repository | Inputs", forge: str, roster: Roster | None = None,
             policy: ApprovalPolicy | None = None) -> str:
    if roster is None:
        roster = (Roster.from_repository(repo) if not isinstance(repo, Inputs) else None) or Roster()
    found = sections(repo, roster, policy)
    return render_gitlab(found) if forge == "gitlab" else render_github(found)
