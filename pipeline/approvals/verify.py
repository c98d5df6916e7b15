"""Is a change approved as Article 28 requires? Matching recorded approvals to the tiers' steps.

For every `Need` (a tier, and for per-unit tiers a unit) the steps must be done by people who hold
the step's roles, each step by a different person, none of them an author of the change (Art. 15:
谁提供谁负责、谁审核谁负责 — nobody vouches for their own work). When the approvals carry times (from
the forge's API), the steps must also be in order: the review before the final approval.

`verify_commit` reads the merge commit (or a forge's API) and returns a `Verdict`; `render_text`
prints it in Chinese with what is missing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import git

from pipeline.approvals.changes import Assessed, MergeUnit, TreeSnapshot, assess, content_prefix, diff, merge_unit
from pipeline.approvals.forge_api import ApiRecord
from pipeline.approvals.roster import Actor, Person, Roster
from pipeline.approvals.tiers import Need, ApprovalPolicy, Step, Tier
from pipeline.approvals.trailers import Trailer, parse_trailers


@dataclass
class Evidence:
    """One person's recorded approval, and which kinds of step it may count for."""

    actor: Actor
    person: Person | None
    kinds: frozenset  # {"review", "approve"}
    times: tuple = ()  # datetimes, empty when unknown (trailers)
    source: str = ""
    stale: bool = False


@dataclass
class StepResult:
    step: Step
    person: Person | None = None
    at: datetime | None = None
    eligible: list[Person] = field(default_factory=list)


@dataclass
class GroupResult:
    need: Need
    tier: Tier
    unit_name: str
    paths: list[str]
    steps: list[StepResult]
    ok: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.need.unit:
            return f"{self.unit_name}({self.tier.label},{self.tier.article})"
        return f"{self.tier.label}({self.tier.article})"


@dataclass
class Verdict:
    commit: str
    reference: str  # where approvals came from: "合并提交的 trailer" or "GitLab !12"
    ordered: bool
    entries: list[Assessed]
    groups: list[GroupResult]
    authors: list[Actor]
    evidence: list[Evidence]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(g.ok for g in self.groups)


# --- evidence ----------------------------------------------------------------------------

def evidence_from_trailers(trailers: list[Trailer], roster: Roster, policy: ApprovalPolicy) -> list[Evidence]:
    out: dict[tuple, Evidence] = {}
    for trailer in trailers:
        kinds = frozenset(kind for kind, keys in policy.trailers.items() if trailer.key in keys)
        person = roster.identify(trailer.actor)
        key = (person.id if person else None, trailer.actor.email.lower())
        if key in out:
            out[key].kinds = out[key].kinds | kinds
        else:
            out[key] = Evidence(trailer.actor, person, kinds, (), f"trailer {trailer.key}")
    return list(out.values())


def trailer_evidence_refusal(unit: MergeUnit, forge_committers=()) -> str | None:
    """Why the trailers of `unit.commit` are no evidence of approval, or None when they are.

    Trailers count only on a commit the forge wrote when it merged: a merge commit (two parents)
    whose committer is none of the authors of the changes it brings, and, when settings list the
    forge's committer identities (`approvals.forge_committers`), one of those. A single-parent commit
    (a fast-forward, a rebase merge, a direct push, a squash) carries whatever its author wrote.
    """
    commit = unit.commit
    committer = Actor(name=commit.committer.name or "", email=commit.committer.email or "")
    if not unit.is_merge:
        return ("这不是代码平台写入的合并提交(只有一个父提交:快进合并、变基合并、压缩合并或直接推送),"
                "提交说明中的 Approved-by 由提交人自己写成,不能作为审批证据")
    if committer.email.lower() in {a.email.lower() for a in unit.authors if a.email}:
        return f"合并提交的提交者 {committer.display} 也是所合并修改的作者:自己写入的 Approved-by 不能作为审批证据"
    allowed = {str(e).lower() for e in forge_committers if isinstance(e, str)}
    if allowed and committer.email.lower() not in allowed:
        return (f"合并提交的提交者 {committer.display} 不是设置中 approvals.forge_committers 列出的代码平台身份,"
                "其中的 Approved-by 不能作为审批证据")
    return None


def merge_trailers(unit: MergeUnit) -> list[Trailer]:
    """The merge commit's trailers, less any its authors wrote themselves in the commits it brings
    (a template that copies commit messages or the description must not launder them)."""
    written_by_authors = {str(t) for c in unit.contributed if c != unit.commit for t in parse_trailers(c.message)}
    return [t for t in parse_trailers(unit.commit.message) if str(t) not in written_by_authors]


def evidence_from_api(record: ApiRecord, roster: Roster) -> list[Evidence]:
    grouped: dict[str, Evidence] = {}
    for approval in record.approvals:
        person = roster.identify(approval.actor)
        key = person.id if person else f"@{approval.actor.username}"
        times = (approval.at,) if approval.at is not None and not approval.stale else ()
        if key in grouped:
            current = grouped[key]
            grouped[key] = Evidence(current.actor, person, current.kinds, tuple(sorted(current.times + times)),
                                    current.source, current.stale and approval.stale)
        else:
            source = "GitLab 批准" if record.forge == "gitlab" else "GitHub 审查(APPROVED)"
            grouped[key] = Evidence(approval.actor, person, frozenset({"review", "approve"}), times, source,
                                    approval.stale)
    return list(grouped.values())


# --- matching --------------------------------------------------------------------------

def _is_author(person: Person | None, actor: Actor, authors: list[Actor], roster: Roster) -> bool:
    for author in authors:
        if actor.email and author.email and actor.email.lower() == author.email.lower():
            return True
        if person is not None and roster.identify(author) == person:
            return True
    return False


def evaluate(needs: dict[tuple, tuple[Need, list[str]]], evidence: list[Evidence], authors: list[Actor],
             roster: Roster, policy: ApprovalPolicy, ordered: bool, unit_name=lambda u: u) -> list[GroupResult]:
    results = []
    for need, paths in needs.values():
        tier = policy.tier(need.tier_id)
        steps = [StepResult(step, eligible=policy.eligible(need, step, roster)) for step in tier.steps]
        group = GroupResult(need, tier, unit_name(need.unit) if need.unit else "", sorted(paths), steps)
        _solve(group, evidence, authors, roster, ordered)
        results.append(group)
    return results


def _candidates(step: StepResult, evidence, authors, roster, ordered):
    out = []
    for ev in evidence:
        if ev.person is None or ev.person not in step.eligible or step.step.kind not in ev.kinds:
            continue
        if ev.stale or _is_author(ev.person, ev.actor, authors, roster):
            continue
        if ordered and not ev.times:
            continue
        out.append(ev)
    return out


def _solve(group: GroupResult, evidence, authors, roster, ordered) -> None:
    candidates = [_candidates(s, evidence, authors, roster, ordered) for s in group.steps]

    def search(index, used, after):
        if index == len(group.steps):
            return []
        for ev in candidates[index]:
            if ev.person.id in used:
                continue
            at = None
            if ordered:
                later = [t for t in ev.times if after is None or t > after]
                if not later:
                    continue
                at = min(later)
            rest = search(index + 1, used | {ev.person.id}, at if ordered else after)
            if rest is not None:
                return [(ev, at)] + rest
        return None

    found = search(0, frozenset(), None)
    if found is not None:
        for step, (ev, at) in zip(group.steps, found):
            step.person, step.at = ev.person, at or (max(ev.times) if ev.times else None)
        group.ok = True
        return
    group.problems = _explain(group, candidates, evidence, authors, roster, ordered)
    # Partial record (the register shows who did approve): the first valid candidate of each step.
    for step, found in zip(group.steps, candidates):
        if found:
            step.person = found[0].person


def _explain(group, candidates, evidence, authors, roster, ordered) -> list[str]:
    problems = []
    for step, found in zip(group.steps, candidates):
        if found:
            continue
        names = "、".join(p.display for p in step.eligible) or "(名册中无人担任此角色)"
        line = f"缺少「{step.step.label}」:可由 {names} 完成"
        notes = []
        for ev in evidence:
            if ev.person is None or ev.person not in step.eligible or step.step.kind not in ev.kinds:
                continue
            if _is_author(ev.person, ev.actor, authors, roster):
                notes.append(f"{ev.person.name} 是本次变更的提交人,不能审批自己的变更(第十五条)")
            elif ev.stale:
                notes.append(f"{ev.person.name} 的批准针对的是较早的版本,之后又有新的提交,需要重新批准")
            elif ordered and not ev.times:
                notes.append(f"无法确定 {ev.person.name} 的批准时间")
        if not notes:
            only_reviewed = [ev for ev in evidence if ev.person is not None and ev.person in step.eligible
                             and step.step.kind not in ev.kinds and ev.source == "trailer Reviewed-by"]
            notes += [f"{ev.person.name} 只有 Reviewed-by 记录,没有批准(Approved-by)" for ev in only_reviewed]
        if notes:
            line += "。" + ";".join(notes)
        problems.append(line + "。")
    if problems:
        return problems
    # Every step has someone, yet no assignment works: the same person for two steps, or the order.
    people = {ev.person.id for found in candidates for ev in found}
    if len(people) < len(group.steps):
        who = "、".join(sorted({ev.person.name for found in candidates for ev in found}))
        return [f"「{'」和「'.join(s.step.label for s in group.steps)}」须由不同的人完成,目前只有 {who} 批准。"]
    if ordered:
        parts = []
        for step, found in zip(group.steps, candidates):
            parts.append(f"「{step.step.label}」" + "、".join(
                f"{ev.person.name} {min(ev.times):%Y-%m-%d %H:%M}" for ev in found))
        return ["审批顺序不对:须先审核、后审批,而最终审批早于审核。" + ";".join(parts) + "。请审批人在审核之后重新批准。"]
    return ["审批人不足:各步骤须由不同的人完成。"]


def needs_of(entries: list[Assessed], policy: ApprovalPolicy) -> dict[tuple, tuple[Need, list[str]]]:
    """Union of the needs of the changed files: one group per (tier, unit), with the paths behind it."""
    out: dict[tuple, tuple[Need, list[str]]] = {}
    for entry in entries:
        for need in entry.needs:
            if need.key not in out:
                out[need.key] = (need, [])
            if entry.change.path not in out[need.key][1]:
                out[need.key][1].append(entry.change.path)
    order = {tier.id: index for index, tier in enumerate(policy.tiers)}
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][1])))


# --- the command -------------------------------------------------------------------------

def forge_committers(snapshot: TreeSnapshot) -> list:
    approvals = snapshot.settings.get("approvals")
    return list(approvals.get("forge_committers") or []) if isinstance(approvals, dict) else []


def verify_commit(repo: git.Repo, commit: git.Commit, policy: ApprovalPolicy, root,
                  api_record: ApiRecord | None = None) -> Verdict:
    prefix = content_prefix(repo, root)
    unit: MergeUnit = merge_unit(repo, commit)
    old, new = TreeSnapshot(unit.base, prefix), TreeSnapshot(commit, prefix)
    entries = assess(diff(unit.base, commit, prefix), policy, old, new)
    # The roster in force is the one before the change: a merge request cannot appoint its own approvers.
    roster_meta = old.roster_meta() if unit.base is not None else new.roster_meta()
    authors = list(unit.authors)
    problems = []
    if roster_meta is None:
        problems.append("找不到审核审批人员名册 content/governance/roster.yaml,无法核验审批。")
    roster = Roster.from_meta(roster_meta)
    if api_record is not None:
        if api_record.author is not None and api_record.author not in authors:
            authors.append(api_record.author)
        evidence = evidence_from_api(api_record, roster)
        reference, ordered = f"{'GitLab' if api_record.forge == 'gitlab' else 'GitHub'} {api_record.reference} 的审批记录", True
    else:
        refusal = trailer_evidence_refusal(unit, forge_committers(new))
        evidence = [] if refusal else evidence_from_trailers(merge_trailers(unit), roster, policy)
        if refusal:
            problems.append(refusal + "。请用 --forge-api gitlab|github 从代码平台读取审批记录(见 ci/APPROVALS.md)。")
        reference, ordered = "合并提交中的 Approved-by / Reviewed-by", False
    groups = evaluate(needs_of(entries, policy), evidence, authors, roster, policy, ordered,
                      unit_name=lambda u: new.unit_name(u) if new.unit_name(u) != u else old.unit_name(u))
    return Verdict(commit.hexsha, reference, ordered, entries, groups, authors, evidence, problems)


def render_text(verdict: Verdict) -> str:
    lines = [f"审批核验:提交 {verdict.commit[:10]},审批依据:{verdict.reference}"]
    items = [e for e in verdict.entries if e.needs]
    outside = [e for e in verdict.entries if not e.needs]
    lines.append(f"变更文件 {len(verdict.entries)} 个,需审批 {len(items)} 个,共 {len(verdict.groups)} 组审批要求。")
    if verdict.authors:
        lines.append("提交人:" + "、".join(a.display for a in verdict.authors))
    for problem in verdict.problems:
        lines.append(f"✘ {problem}")
    for group in verdict.groups:
        mark = "✔" if group.ok else "✘"
        lines.append(f"{mark} {group.title}")
        lines.append(f"    涉及:{'、'.join(group.paths)}")
        if group.ok:
            for step in group.steps:
                at = f"({step.at:%Y-%m-%d %H:%M})" if step.at else ""
                lines.append(f"    {step.step.label}:{step.person.display}{at}")
        else:
            for problem in group.problems:
                lines.append(f"    - {problem}")
    if outside:
        lines.append("不属于第二十八条审批范围的文件:" + "、".join(e.change.path for e in outside))
    if not verdict.ordered and verdict.groups:
        lines.append("说明:trailer 不含时间,未核对审核与审批的先后顺序;需要时请用 --forge-api 从代码平台读取。")
    unknown = [ev for ev in verdict.evidence if ev.person is None]
    if unknown:
        lines.append("名册中找不到的审批人(其批准不计入):" + "、".join(ev.actor.display for ev in unknown))
    lines.append("结论:审批齐全,可以发布。" if verdict.ok else "结论:审批不全,不得发布(《门户网站管理办法》第二十八条)。")
    return "\n".join(lines) + "\n"


def group_json(group) -> dict:
    """The keys every approval group (a tier for a unit, over some paths) shows in JSON, in plan and verify alike."""
    return {
        "tier": group.tier.id,
        "tier_label": group.tier.label,
        "article": group.tier.article,
        "unit": group.need.unit or None,
        "unit_name": group.unit_name or None,
        "paths": group.paths,
    }


def render_json(verdict: Verdict) -> str:
    data = {
        "commit": verdict.commit,
        "source": verdict.reference,
        "ordered": verdict.ordered,
        "ok": verdict.ok,
        "authors": [a.display for a in verdict.authors],
        "problems": verdict.problems,
        "groups": [{
            **group_json(g),
            "ok": g.ok,
            "steps": [{"label": s.step.label, "kind": s.step.kind,
                       "person": s.person.display if s.person else None,
                       "at": s.at.isoformat() if s.at else None} for s in g.steps],
            "problems": g.problems,
        } for g in verdict.groups],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
