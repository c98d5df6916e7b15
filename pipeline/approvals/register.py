"""`gongkai register`: the publication register (造册登记, Art. 28(1)) derived from Git history.

The first-parent history of the published branch is walked from the oldest commit: every commit on it
is one publication event (a merge request's merge commit, or a direct commit). For each item changed
by it the register records who submitted it (the authors of the commits the merge brought), who
reviewed and who approved it (the merge commit's trailers, matched to the tier's steps with the
roster then in force), the merge commit and when it was merged. Renames are followed (Git rename
detection on every first-parent diff), so an item keeps one history when its file moves.

One row per item ever published:
- 提交人 / 审核人 / 审批人 / 合并提交 / 合并时间: of the merge that put the current version online
  (Art. 15: whoever provides, reviews, publishes the content online now is accountable for it);
- 首次发布: when the item first went online: the item's own publication time (its date, a letter's
  reply time) or the merge that made it public, whichever is later (JSON: and that merge); 最近修改: when its current content was written (the
  author time of the last commit that changed it, which may be earlier than the merge);
- 状态: what `publication.status` says of the current version at the register's moment (已发布, 待发布,
  已发布(待撤回), 已撤回, 不公开), or 已删除; 撤回日期 from the item.
The JSON and HTML forms carry the full history of every item. The HTML page is for the office only;
it is written outside output/ and never linked from the portal.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import git

from pipeline.core.addresses import item_path
from pipeline.content.paths import classify_path
from pipeline.content.types import TYPES
from pipeline.core.publication import Status, meant_for_publication, publication_time
from pipeline.core.publication import status as publication_status
from pipeline.timeutil import TZ
from pipeline.approvals.changes import TreeSnapshot, authored, content_prefix, diff, merge_unit, when
from pipeline.approvals.roster import ROSTER_PATH, Roster
from pipeline.approvals.tiers import ApprovalPolicy
from pipeline.approvals.trailers import parse_trailers
from pipeline.approvals.verify import evaluate, evidence_from_trailers, forge_committers, merge_trailers, trailer_evidence_refusal

TEMPLATE_DIR = Path(__file__).with_name("templates")


@dataclass
class Event:
    action: str  # 新增, 修改, 改名, 删除
    commit: str
    merged_at: datetime
    changed_at: datetime
    path: str
    submitted_by: list[str]
    reviewed_by: list[str]
    approved_by: list[str]
    approved: bool  # the tier's steps were all satisfied by the trailers
    trailers: list[str]
    published_at: datetime | None = None  # the item's own publication time in this version (None: never public)

    @property
    def online_from(self) -> datetime | None:
        """When this version could first be seen: merged, and its publication time reached."""
        return max(self.merged_at, self.published_at) if self.published_at is not None else None

    def as_dict(self) -> dict:
        return {"action": self.action, "commit": self.commit, "merged_at": _iso(self.merged_at),
                "published_at": _iso(self.published_at),
                "changed_at": _iso(self.changed_at), "path": self.path, "submitted_by": self.submitted_by,
                "reviewed_by": self.reviewed_by, "approved_by": self.approved_by, "approved": self.approved,
                "trailers": self.trailers}


@dataclass
class Record:
    id: str
    path: str
    title: str = ""
    type: str = ""
    unit: str = ""
    unit_name: str = ""
    tier: str = ""
    withdrawn: str = ""
    # publication.status of the current version as of the register's moment (NEVER: a letter not marked
    # public, Art. 21, registered but never online); set with the record's first event
    state: Status | None = None
    deleted: bool = False
    former_ids: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def current(self) -> Event | None:
        """The event that put the current version online (the deletion, for a deleted item)."""
        return self.events[-1] if self.events else None

    @property
    def first(self) -> Event | None:
        return self.events[0] if self.events else None

    @property
    def first_publication(self) -> Event | None:
        """The merge that first made the item public (its `online_from` is the 首次发布 time)."""
        return next((e for e in self.events if e.online_from is not None and e.action != "删除"), None)

    @property
    def status(self) -> str:
        if self.deleted:
            return "已删除"
        return STATE_LABELS[self.state]

    @property
    def url(self) -> str:
        if self.deleted or self.type not in TYPES:
            return ""
        return item_path(self.type, self.id)


STATE_LABELS = {
    Status.PUBLISHED: "已发布",
    Status.SCHEDULED: "待发布",  # its publication time has not come (or a public letter awaits its reply)
    Status.TO_BE_WITHDRAWN: "已发布(待撤回)",  # online until its withdrawal date
    Status.WITHDRAWN: "已撤回",
    Status.NEVER: "不公开",
}


def build_register(repo: git.Repo, head: git.Commit, policy: ApprovalPolicy, root,
                   now: datetime | None = None) -> list[Record]:
    """Every item ever merged, with its events; its status as `publication.status` says at `now`
    (default: the clock), the same answer the site gives."""
    now = now or datetime.now(TZ)
    prefix = content_prefix(repo, root)
    records: dict[str, Record] = {}  # key: current path
    finished: list[Record] = []
    rosters: dict[str, Roster] = {}
    changed_files: dict[str, frozenset] = {}  # by commit: Git's diff stats, read once per register
    for commit in reversed(list(repo.iter_commits(head, first_parent=True))):
        unit = merge_unit(repo, commit)
        old, new = TreeSnapshot(unit.base, prefix), TreeSnapshot(commit, prefix)
        changes = [c for c in diff(unit.base, commit, prefix)
                   if c.path.startswith("content/") and _is_item_path(c.path, c.old_path)]
        if not changes:
            continue
        roster_revision = old if unit.base is not None else new
        roster_key = getattr(roster_revision.blob(ROSTER_PATH), "hexsha", "")
        if roster_key not in rosters:
            rosters[roster_key] = Roster.from_meta(roster_revision.roster_meta())
        roster = rosters[roster_key]
        trailers = parse_trailers(commit.message)
        # The same evidence rule as `approvals verify`: trailers only from a merge the forge wrote.
        refused = trailer_evidence_refusal(unit, forge_committers(new))
        evidence = [] if refused else evidence_from_trailers(merge_trailers(unit), roster, policy)
        contributors = unit.authors
        submitted = [roster.describe(a) for a in contributors]
        for change in changes:
            old_item = old.read(change.old_blob, change.old_path) if change.old_path else None
            new_item = new.read(change.new_blob, change.path) if change.status != "D" else None
            item, revision = (new_item, new) if new_item is not None else (old_item, old)
            if item is None:
                continue  # unreadable in both versions: GK-YAML reports it; nothing to register
            need = policy.need_for_item(item, revision.item)
            group = evaluate({need.key: (need, [change.path])}, evidence, contributors, roster, policy, False)[0]
            reviewed = [s.person.display for s in group.steps if s.step.kind == "review" and s.person]
            approved = [s.person.display for s in group.steps if s.step.kind == "approve" and s.person]
            touching = [c for c in unit.contributed if _touches(c, change, changed_files)] or unit.contributed
            event = Event(
                action={"A": "新增", "M": "修改", "R": "改名", "D": "删除"}[change.status],
                commit=commit.hexsha, merged_at=when(commit), changed_at=max(authored(c) for c in touching),
                path=change.path, submitted_by=submitted, reviewed_by=reviewed, approved_by=approved,
                approved=group.ok, trailers=[str(t) for t in trailers],
                published_at=publication_time(item) if meant_for_publication(item) else None)
            record = records.pop(change.old_path, None) if change.old_path else None
            if record is None:
                record = records.pop(change.path, None) or Record(id=item.id, path=change.path)
            if record.id != item.id and record.id not in record.former_ids:
                record.former_ids.append(record.id)
            record.id, record.path = item.id, change.path
            record.title, record.type = item.title, item.type
            record.unit = str(item.meta.get("unit") or "")
            record.unit_name = revision.unit_name(record.unit) if record.unit else ""
            record.tier = policy.tier(need.tier_id).label
            withdrawn = item.meta.get("withdrawn")
            record.withdrawn = str(withdrawn.get("date", "")) if isinstance(withdrawn, dict) else ""
            record.state = publication_status(item, now)
            record.events.append(event)
            if change.status == "D":
                record.deleted = True
                finished.append(record)
            else:
                record.deleted = False
                records[change.path] = record
    out = list(records.values()) + finished
    return sorted(out, key=lambda r: (r.deleted, r.first.merged_at if r.first else datetime.min, r.id))


def _is_item_path(path: str, old_path: str | None) -> bool:
    return classify_path(path)[0] == "item" or (old_path is not None and classify_path(old_path)[0] == "item")


def _touches(commit: git.Commit, change, changed_files: dict[str, frozenset]) -> bool:
    if commit.hexsha not in changed_files:
        try:
            changed_files[commit.hexsha] = frozenset(commit.stats.files)
        except (git.GitCommandError, ValueError):
            changed_files[commit.hexsha] = frozenset()
    # Paths in stats are relative to the Git top level; compare by suffix so a content root in a
    # sub-folder still matches.
    paths = {change.path, change.old_path} - {None}
    return any(f == p or f.endswith("/" + p) for f in changed_files[commit.hexsha] for p in paths)


def _iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


COLUMNS = ["编号", "标题", "类型", "发布单位", "审批层级", "提交人", "审核人", "审批人", "审批齐全", "合并提交",
           "合并时间", "首次发布", "最近修改", "修改次数", "状态", "撤回日期", "路径", "网址"]


def rows(records: list[Record]) -> list[list[str]]:
    out = []
    for r in records:
        cur, first = r.current, r.first_publication
        out.append([
            r.id, r.title, TYPES[r.type].label if r.type in TYPES else r.type, r.unit_name or r.unit, r.tier,
            "、".join(cur.submitted_by) if cur else "", "、".join(cur.reviewed_by) if cur else "",
            "、".join(cur.approved_by) if cur else "", ("是" if cur.approved else "否") if cur else "",
            cur.commit[:12] if cur else "", _iso(cur.merged_at) if cur else "", _iso(first.online_from) if first else "",
            _iso(cur.changed_at) if cur else "", str(len(r.events)), r.status, r.withdrawn, r.path, r.url,
        ])
    return out


def render_csv(records: list[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(records))
    return buffer.getvalue()


def render_json(records: list[Record]) -> str:
    data = [{
        "id": r.id, "title": r.title, "type": r.type, "unit": r.unit, "unit_name": r.unit_name, "tier": r.tier,
        "status": r.status, "withdrawn": r.withdrawn or None, "path": r.path, "url": r.url or None,
        "former_ids": r.former_ids,
        "submitted_by": r.current.submitted_by if r.current else [],
        "reviewed_by": r.current.reviewed_by if r.current else [],
        "approved_by": r.current.approved_by if r.current else [],
        "approved": r.current.approved if r.current else False,
        "merge_commit": r.current.commit if r.current else None,
        "merged_at": _iso(r.current.merged_at) if r.current else None,
        "first_published": _iso(r.first_publication.online_from) if r.first_publication else None,
        "first_published_by": r.first_publication.commit if r.first_publication else None,
        "last_changed": _iso(r.current.changed_at) if r.current else None,
        "history": [e.as_dict() for e in r.events],
    } for r in records]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def summary(records: list[Record]) -> dict:
    """What an inspector asks first: items by unit and by tier, and which lack complete approvals."""
    def count(key):
        table: dict[str, dict[str, int]] = {}
        for r in records:
            row = table.setdefault(key(r) or "—", {"items": 0, "missing": 0})
            row["items"] += 1
            row["missing"] += bool(r.current and not r.current.approved and not r.deleted)
        return sorted(table.items(), key=lambda kv: (-kv[1]["items"], kv[0]))

    missing = [r for r in records if r.current and not r.current.approved and not r.deleted]
    return {"by_unit": count(lambda r: r.unit_name or r.unit), "by_tier": count(lambda r: r.tier),
            "missing": missing}


def render_html(records: list[Record], *, site_name: str = "", generated_from: str = "") -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("register.html")
    counts = {status: sum(1 for r in records if r.status == status)
              for status in (*STATE_LABELS.values(), "已删除")}
    return template.render(records=records, columns=COLUMNS, rows=rows(records), site_name=site_name,
                           generated_from=generated_from, counts=counts, iso=_iso, summary=summary(records))
