"""CODEOWNERS and the roster: the forge's approval rules must be what the roster and content say."""
from __future__ import annotations

from pipeline.content.generated_files import stale_line
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.check.rules import ITEM, REPOSITORY, Rule, register


@register
class CodeownersUpToDate(Rule):
    """GK-OWN-001: a committed CODEOWNERS file is exactly what `gongkai approvals codeowners` generates.

    `.gitlab/CODEOWNERS` and `.github/CODEOWNERS` are generated from content/governance/roster.yaml,
    the approval tiers and each item's unit; an edited roster, a new item or an item moved to another
    unit changes them. A repository without these files is not checked.

    FAIL: roster.yaml names a new section reviewer for jyj, .gitlab/CODEOWNERS still lists the old one.
    PASS: after `gongkai approvals codeowners --forge gitlab --write` the file is committed with the roster.
    """

    codes = {"GK-OWN-001": "提交的 CODEOWNERS 与名册和内容不一致(请重新生成)"}

    reach = REPOSITORY  # generated from every item and attachment
    totals = frozenset({"GK-OWN-001"})

    def reports_on(self, path, record):
        from pipeline.approvals.codeowners import TARGETS

        return path in TARGETS.values()

    def inputs(self, repo, signatures):
        from pipeline.approvals.codeowners import TARGETS
        from pipeline.check.rule_inputs import digest_of, file_bytes
        from pipeline.content.locations import unit_folder_of

        if not any((repo.root / rel).is_file() for rel in TARGETS.values()):
            return None  # nothing to compare
        # In unit folders each file is under its folder's pattern: only the file list matters. An item or
        # attachment outside them is listed by the tier its text gives (and an attachment by the items
        # using it, wherever they are, a link in a body included): then every file's bytes matter.
        older = any(s[0] in ("item", "asset") and not unit_folder_of(rel, repo.units) for rel, s in signatures.items())
        return digest_of([*file_bytes(repo, TARGETS.values()), str(older),
                          *(f"{rel}\n{s[0]}" + (f"\n{s[2]}" if older else "") for rel, s in sorted(signatures.items()))])

    def check(self, repo):
        from pipeline.approvals.codeowners import TARGETS, generate
        from pipeline.approvals.roster import Roster

        roster = Roster.from_repository(repo)
        for forge, rel in TARGETS.items():
            path = repo.root / rel
            if not path.is_file():
                continue
            command = f"gongkai approvals codeowners --forge {forge} --write"
            if roster is None:
                yield Diagnostic(rel, 1, 0, "GK-OWN-001", Severity.ERROR,
                                 f"仓库中有 {rel},却没有审核审批人员名册 content/governance/roster.yaml:"
                                 "请补充名册后运行 `" + command + "`。")
                continue
            line = stale_line(path, generate(repo, forge, roster))
            if line is None:
                continue
            yield Diagnostic(rel, line, 0, "GK-OWN-001", Severity.ERROR,
                             f"{rel} 与名册、审批层级和条目的发布单位不一致(第 {line} 行起):"
                             f"请运行 `{command}` 并把生成的文件一并提交。")


@register
class RosterReferences(Rule):
    """GK-OWN-002: the roster's roles name people in its list, and every unit has its approvers.

    FAIL: `units: {jyj: {section: [zhoujing], leader: [zhoujing]}}`, or a unit file without a roster
    entry, or `reviewers: [nobody]` when no person has id `nobody`.
    PASS: every unit has a section reviewer and a different leader, all listed under `people`.
    """

    codes = {"GK-OWN-002": "审核审批人员名册引用了不存在的人员或单位,或有单位无人审批"}

    reach = REPOSITORY  # the roster against every unit

    def reports_on(self, path, record):
        return path == "content/governance/roster.yaml"

    def check(self, repo):
        from pipeline.approvals.roster import roster_diagnostics

        yield from roster_diagnostics(repo)


@register
class UnitFolders(Rule):
    """GK-OWN-003: an item in a unit's folder belongs to that unit.

    CODEOWNERS routes `content/<type>/<unit>/` to that unit's reviewers (pipeline.content.locations), so an
    item of another unit filed there would be sent to the wrong people for approval.

    FAIL: content/news/jyj/xw-1.md says `unit: wjw`.
    PASS: content/news/wjw/xw-1.md says `unit: wjw` (or the file sits directly in content/news/).
    """

    codes = {"GK-OWN-003": "条目放在了其他单位的目录中"}

    reach = ITEM

    def check(self, repo):
        from pipeline.content.locations import item_home, unit_folder_of

        for item in repo.items:
            folder = unit_folder_of(item.path, repo.units)
            unit = item.meta.get("unit")
            if folder is None or not isinstance(unit, str) or unit == folder:
                continue
            home = item_home(item.type, unit, item.id, "." + item.path.rsplit(".", 1)[-1]) if unit in repo.units else ""
            where = f"请把文件移到 {home}(用 git mv,保留修改记录)" if home else "请改正发布单位"
            yield item.diagnostic("GK-OWN-003", Severity.ERROR,
                                  f"本条目的发布单位是「{unit}」,文件却在单位「{folder}」的目录中:"
                                  f"合并请求会请「{folder}」的审核人审批。{where}。", "unit")


@register
class RosterCoversTiers(Rule):
    """GK-OWN-004: every approval tier can be completed with the people in the roster.

    Each step of a tier must be done by a different person holding its role; a tier whose steps
    cannot all be filled is only discovered when a merge request waits for approvers who do not
    exist. Checked for each unit's own tier and for the office tiers.

    FAIL: `units: {jyj: {section: [zhoujing], leader: []}}`, or `egov_leader: []`.
    PASS: every unit has a section reviewer and a different leader; every office role has someone.
    """

    codes = {"GK-OWN-004": "名册无法完成某个审批层级"}

    reach = REPOSITORY  # the roster against every unit

    def reports_on(self, path, record):
        return path == "content/governance/roster.yaml"

    def check(self, repo):
        from pipeline.approvals.codeowners import unit_folder_need
        from pipeline.approvals.roster import Roster
        from pipeline.approvals.tiers import Need, load_policy

        item = repo.governance.get("roster")
        if item is None:
            return
        roster, policy = Roster.from_meta(item.meta), load_policy()
        needs = [Need(tier.id, "") for tier in policy.tiers if not tier.per_unit]
        needs += [unit_folder_need(policy, unit) for unit in sorted(repo.units) if roster.has_unit(unit)]
        for need in {n.key: n for n in needs}.values():
            tier = policy.tier(need.tier_id)
            eligible = [policy.eligible(need, step, roster) for step in tier.steps]
            if _assignable(eligible):
                continue
            empty = [step for step, people in zip(tier.steps, eligible) if not people]
            step = empty[0] if empty else tier.steps[-1]
            roles = "、".join(_roster_key(role, need.unit) for role in step.roles)
            whose = f"单位「{need.unit}」的" if need.unit else ""
            if empty:
                problem = f"「{step.label}」没有人可以担任"
            else:
                names = "、".join(p.name for p in {p: None for ps in eligible for p in ps})
                problem = f"{len(tier.steps)} 个步骤须由 {len(tier.steps)} 个不同的人完成,名册中只有 {names} 可以担任"
            pointer = ("units", need.unit) if need.unit else ("office",)
            yield item.diagnostic("GK-OWN-004", Severity.WARNING,
                                  f"{whose}审批层级「{tier.label}」无法完成:{problem}。"
                                  f"请在名册的 {roles} 中增加人员。", *pointer)


def _assignable(eligible: list[list]) -> bool:
    """Whether each step can get its own person (a matching; tiers have two or three steps)."""
    def place(index: int, used: frozenset) -> bool:
        return index == len(eligible) or any(
            person not in used and place(index + 1, used | {person}) for person in eligible[index])
    return place(0, frozenset())


def _roster_key(role: str, unit: str) -> str:
    scope, _, name = role.partition(".")
    return f"units.{unit}.{name}" if scope == "unit" else f"office.{name}"
