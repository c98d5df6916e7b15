"""CODEOWNERS and the roster: the forge's approval rules must be what the roster and content say."""
from __future__ import annotations

from ..diagnostics import Diagnostic, Severity
from ..rules import Rule, register


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

    def check(self, repo):
        from .codeowners import TARGETS, generate
        from .roster import Roster

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
            try:
                committed = path.read_text(encoding="utf-8").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                committed = ""
            expected = generate(repo, forge, roster)
            if committed == expected:
                continue
            line = _first_difference(committed, expected)
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

    def check(self, repo):
        from .roster import roster_diagnostics

        yield from roster_diagnostics(repo)


def _first_difference(committed: str, expected: str) -> int:
    a, b = committed.split("\n"), expected.split("\n")
    for index, (left, right) in enumerate(zip(a, b), 1):
        if left != right:
            return index
    return min(len(a), len(b)) + (0 if len(a) == len(b) else 1)
