"""Who may submit a change to which unit's content (Art. 15: each unit answers for what it publishes).

A browser editor (Decap CMS) pushes with the editor's own forge account, and that account needs push
access to the whole repository: the forge cannot limit it to a folder (GitLab's path-based push rules
are not in its free edition). So the merge-request pipeline enforces the roster's division instead:
a change may touch a unit's folders only when its submitter is that unit's editor (信息员), section
reviewer or leader, or one of the city government office's people (reviewers, leaders, web editors:
the office takes down a faulty item of any unit at once, Art. 24). Everything that belongs to no
unit (governance data, units, pipeline configuration, files outside the units' folders) is the
office's alone. Approval (Art. 28) stays a separate question with its own tiers.

The roster used is the target branch's, as for the approval plan: a merge request that adds its
author to the roster does not authorise itself.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.approvals.changes import Assessed
from pipeline.approvals.roster import Actor, Person, Roster
from pipeline.content.locations import unit_folder_of
from pipeline.diagnostics import Diagnostic, Severity

OFFICE = ""  # the owner of every path that is no unit's

OFFICE_ROLES = ("office.reviewers", "office.egov_leader", "office.principal_leader", "office.editors")
UNIT_ROLES = ("unit.editors", "unit.section", "unit.leader")

CODES = {
    "GK-AUTHOR-001": "提交人不是所改动单位的信息员或审核审批人,不能提交该单位的内容",
    "GK-AUTHOR-002": "提交人不在审核审批人员名册中,不能提交任何内容",
}


def owners_of(entry: Assessed, unit_ids: Iterable[str]) -> list[str]:
    """The units whose content `entry` changes (OFFICE for what is no unit's), old and new side alike.

    A file's folder decides first (what CODEOWNERS routes); an item's `unit` counts too, so moving an
    item into another unit's folder, or changing its `unit`, needs both units' people.
    """
    units = set(unit_ids)
    owners: list[str] = []
    for path, present in ((entry.change.old_path, entry.change.old_blob is not None),
                          (entry.change.path, entry.change.status != "D")):
        if not path or not present:
            continue
        folder = unit_folder_of(path, units)
        if folder is not None:
            owners.append(folder)
        elif not path.startswith("content/") or not (entry.kind in ("item", "asset") and entry.needs):
            owners.append(OFFICE)
    for item in (entry.old_item, entry.new_item):
        unit = item.meta.get("unit") if item is not None and isinstance(item.meta, dict) else None
        if isinstance(unit, str) and unit in units:
            owners.append(unit)
    if not owners:
        # An item or attachment outside every unit folder: the units it is published for (its needs).
        owners += [need.unit or OFFICE for need in entry.needs] or [OFFICE]
    return list(dict.fromkeys(owners))


def may_submit(roster: Roster, person: Person, owner: str) -> bool:
    """Whether `person` may submit a change to `owner`'s content (OFFICE: what is no unit's)."""
    holders = [p for role in OFFICE_ROLES for p in roster.holders(role)]
    if owner != OFFICE:
        holders += [p for role in UNIT_ROLES for p in roster.holders(role, owner)]
    return person in holders


def author_findings(entries: list[Assessed], roster: Roster, author: Actor, unit_ids: Iterable[str],
                    unit_name: Callable[[str], str]) -> list[Diagnostic]:
    """GK-AUTHOR-001/002 for a change submitted by `author`: one finding per unit refused, at its first file."""
    units = list(unit_ids)
    touched: dict[str, list[str]] = {}
    for entry in entries:
        if entry.generated:
            continue  # a CODEOWNERS exactly as generated follows from the roster, whose change is judged
        for owner in owners_of(entry, units):
            touched.setdefault(owner, []).append(entry.change.path)
    if not touched:
        return []
    who = author.display
    person = roster.identify(author)
    if person is None:
        first = next(iter(touched.values()))[0]
        return [Diagnostic(first, 1, 0, "GK-AUTHOR-002", Severity.ERROR,
                           f"提交人 {who} 不在审核审批人员名册(content/governance/roster.yaml)中,不能提交内容。"
                           "请市人民政府办公室把此人加入名册 people,并列为所属单位的信息员(units.<单位>.editors)。")]
    findings = []
    for owner, paths in touched.items():
        if may_submit(roster, person, owner):
            continue
        shown = "、".join(paths[:3]) + (f" 等 {len(paths)} 个文件" if len(paths) > 3 else "")
        if owner == OFFICE:
            message = (f"{person.name}({who})不是市人民政府办公室的审核审批人员或网站编辑,不能修改{shown}:"
                       "治理数据、单位信息和流水线配置只能由市人民政府办公室提交。")
        else:
            message = (f"{person.name}({who})不是「{unit_name(owner)}」的信息员或审核审批人,不能修改{shown}。"
                       f"请由该单位的信息员提交;如确需由此人提交,请市人民政府办公室在名册 units.{owner}.editors 中加入此人。")
        findings.append(Diagnostic(paths[0], 1, 0, "GK-AUTHOR-001", Severity.ERROR, message))
    return findings
