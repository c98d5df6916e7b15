"""What a merge request (or a merge commit) changes, read with GitPython from the real repository.

`FileChange` is one changed path with rename detection; `TreeSnapshot` reads items from one commit's tree
(through `pipeline.content.loader.parse_item`, the one loader), so that a deleted or renamed item can be
classified by what it *was*. `assess` turns changes into `Assessed` entries: the item(s) behind each
changed file and the approval `Need`s it brings (see tiers.py).

A modified or renamed item needs the tiers of both its old and its new version: changing
`issued_in_name_of: 市人民政府` to `本单位` in the same merge request must not lower the approval needed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import PurePosixPath
from types import SimpleNamespace

import git
from git.exc import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from pipeline.core.addresses import item_url
from pipeline.content.loader import Item, LoadError, YamlLimits, parse_item
from pipeline.content.locations import unit_folder_of
from pipeline.content.paths import classify_path
from pipeline.core.files import asset_users, items_referencing
from pipeline.content.repository import default_settings, unit_name, index_by_id, item_size_limit, merge_settings
from pipeline.timeutil import TZ
from pipeline.content.types import GOVERNANCE_DIR, TYPES, UNIT_FOLDER
from pipeline.approvals.roster import Actor
from pipeline.approvals.tiers import Need, ApprovalPolicy



class RevisionError(Exception):
    """An unknown revision or a directory that is not a Git repository: a usage error (exit 2)."""


# --- the repository and its revisions -------------------------------------------------

def open_repo(root) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise RevisionError(f"{root} 不是 Git 仓库:审批和登记依据 Git 历史,请在内容仓库的克隆中运行。") from None


def resolve(repo: git.Repo, rev: str) -> git.Commit:
    try:
        return repo.commit(rev)
    except (BadName, ValueError, GitCommandError, IndexError):
        raise RevisionError(f"找不到版本「{rev}」:请检查提交号或分支名(CI 中可能需要先 git fetch 目标分支)。") from None


def merge_base(repo: git.Repo, base: git.Commit, head: git.Commit) -> git.Commit:
    """Where the merge-request branch forked from its target, as the forge's MR diff uses it."""
    try:
        bases = repo.merge_base(base, head)
    except GitCommandError:
        bases = []
    if not bases:
        raise RevisionError(f"{base.hexsha[:10]} 和 {head.hexsha[:10]} 没有共同祖先,无法确定合并请求的变更范围。")
    return bases[0]


def actor_of(commit: git.Commit) -> Actor:
    return Actor(name=commit.author.name or "", email=commit.author.email or "")


def when(commit: git.Commit) -> datetime:
    return commit.committed_datetime.astimezone(TZ)


def authored(commit: git.Commit) -> datetime:
    return commit.authored_datetime.astimezone(TZ)


def branch_commits(repo: git.Repo, base: git.Commit, head: git.Commit) -> list[git.Commit]:
    """Commits in head that base lacks (what a merge request brings), oldest first."""
    return list(reversed(list(repo.iter_commits(f"{base.hexsha}..{head.hexsha}"))))


def authors(commits) -> list[Actor]:
    out: list[Actor] = []
    for commit in commits:
        actor = actor_of(commit)
        if actor not in out:
            out.append(actor)
    return out


@dataclass
class MergeUnit:
    """One change as it reached the target branch: the commit, what it was compared with, who wrote it."""

    commit: git.Commit
    base: git.Commit | None  # first parent; None for a root commit
    contributed: list[git.Commit]  # the commits the merge request brought (the commit itself if not a merge)

    @property
    def authors(self) -> list[Actor]:
        return authors(self.contributed)

    @property
    def is_merge(self) -> bool:
        return len(self.commit.parents) > 1


def merge_unit(repo: git.Repo, commit: git.Commit) -> MergeUnit:
    parents = commit.parents
    if not parents:
        return MergeUnit(commit, None, [commit])
    if len(parents) == 1:
        return MergeUnit(commit, parents[0], [commit])
    brought: list[git.Commit] = []
    for other in parents[1:]:
        for c in branch_commits(repo, parents[0], other):
            if c not in brought:
                brought.append(c)
    return MergeUnit(commit, parents[0], brought or [commit])


# --- changed files ---------------------------------------------------------------------

@dataclass
class FileChange:
    status: str  # A added, M modified, D deleted, R renamed (T type change is reported as M)
    path: str  # the path after the change (the old path for a deletion), relative to the content root
    old_path: str | None  # the path before the change (None for an addition)
    old_blob: object = None
    new_blob: object = None

    @property
    def label(self) -> str:
        return {"A": "新增", "M": "修改", "D": "删除", "R": "改名"}.get(self.status, self.status)


def diff(base: git.Commit | None, head: git.Commit, prefix: str = "") -> list[FileChange]:
    """Files changed from base to head (base None: everything in head), renames detected.

    `prefix` is the content root relative to the Git top level ("" when they are the same); files
    outside it are ignored and paths are returned relative to it.
    """
    diffs = base.diff(head, M=True) if base is not None else head.diff(git.NULL_TREE)
    out = []
    for d in diffs:
        status = d.change_type[0] if d.change_type else "M"
        if status == "T" or status == "C":
            status = "M" if status == "T" else "A"
        a = _strip(d.a_path, prefix)
        b = _strip(d.b_path, prefix)
        if status == "A":
            if b is None:
                continue
            out.append(FileChange("A", b, None, None, d.b_blob))
        elif status == "D":
            if a is None:
                continue
            out.append(FileChange("D", a, a, d.a_blob, None))
        elif status == "R" and d.a_path != d.b_path:
            if a is None and b is None:
                continue
            if a is None:
                out.append(FileChange("A", b, None, None, d.b_blob))
            elif b is None:
                out.append(FileChange("D", a, a, d.a_blob, None))
            else:
                out.append(FileChange("R", b, a, d.a_blob, d.b_blob))
        else:
            if b is None:
                continue
            out.append(FileChange("M", b, a, d.a_blob, d.b_blob))
    return sorted(out, key=lambda c: (c.path, c.old_path or ""))


def _strip(path: str | None, prefix: str) -> str | None:
    if path is None:
        return None
    if not prefix:
        return path
    return path[len(prefix) + 1:] if path.startswith(prefix + "/") else None


def content_prefix(repo: git.Repo, root) -> str:
    top = PurePosixPath(str(repo.working_tree_dir).replace("\\", "/"))
    here = PurePosixPath(str(root).replace("\\", "/"))
    try:
        rel = here.relative_to(top).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


# --- items in a revision ----------------------------------------------------------------

def read_item(blob, path: str, settings: dict | None = None) -> Item | None:
    """The item, unit or governance record in `blob`, or None (not such a file, too large, unreadable).

    `settings` are the repository's (default: the defaults): a file over the item size limit is not
    parsed and YAML is read under the same bounds, exactly as the loader does on disk.
    """
    kind, type_name = classify_path(path)
    if blob is None or kind not in ("item", "unit", "governance"):
        return None
    settings = settings if settings is not None else default_settings()
    if blob.size > item_size_limit(settings):
        return None
    try:
        return parse_item(blob.data_stream.read(), path, type_name, YamlLimits.from_settings(settings))
    except LoadError:
        return None


class TreeSnapshot:
    """The content of one commit, read lazily from Git objects (never from the working tree)."""

    def __init__(self, commit: git.Commit | None, prefix: str = ""):
        self.commit = commit
        self.prefix = prefix
        self._items: dict[str, Item | None] = {}

    def blob(self, path: str):
        if self.commit is None:
            return None
        full = f"{self.prefix}/{path}" if self.prefix else path
        try:
            return self.commit.tree / full
        except KeyError:
            return None

    @cached_property
    def settings(self) -> dict:
        """The settings in force in this commit (its settings.yaml over the defaults)."""
        own = None
        for suffix in (".yaml", ".yml"):
            record = read_item(self.blob(f"content/{GOVERNANCE_DIR}/settings{suffix}"),
                               f"content/{GOVERNANCE_DIR}/settings{suffix}")
            if record is not None:
                own = record.meta
                break
        return merge_settings(default_settings(), own)

    def read(self, blob, path: str) -> Item | None:
        """An item from a blob of this commit (or of a diff against it), under this commit's limits."""
        return read_item(blob, path, self.settings)

    def item_at(self, path: str) -> Item | None:
        if path not in self._items:
            self._items[path] = self.read(self.blob(path), path)
        return self._items[path]

    def item(self, item_id: str) -> Item | None:
        """The item with this id: files are named after their id, in their type's folder or in a
        unit's folder inside it (content/news/gjj/<id>.md)."""
        for content_type in TYPES.values():
            for suffix in (".md", ".yaml", ".yml"):
                found = self.item_at(f"content/{content_type.folder}/{item_id}{suffix}")
                if found is not None:
                    return found
        return self._by_id.get(item_id)

    @cached_property
    def _by_id(self) -> dict[str, Item]:
        return index_by_id(self.all_items)

    def content_paths(self) -> list[tuple[str, str]]:
        """(path, kind) of every file under content/ in this commit, in path order."""
        return self._content_paths

    @cached_property
    def _content_paths(self) -> list[tuple[str, str]]:
        top = self.blob("content")
        if top is None:
            return []
        out = []
        for obj in top.traverse():
            if obj.type == "blob":
                path = _strip(obj.path, self.prefix) if self.prefix else obj.path
                if path:
                    out.append((path, classify_path(path)[0]))
        return sorted(out)

    def unit_ids(self) -> list[str]:
        return sorted({PurePosixPath(path).stem for path, kind in self.content_paths() if kind == "unit"})

    def unit_name(self, unit_id: str) -> str:
        for suffix in (".yaml", ".yml"):
            unit = self.item_at(f"content/{UNIT_FOLDER}/{unit_id}{suffix}")
            if unit is not None:
                return unit_name(unit_id, unit)
        return unit_name(unit_id, None)

    @cached_property
    def all_items(self) -> list[Item]:
        items = (self.item_at(path) for path, kind in self.content_paths() if kind == "item")
        return [item for item in items if item is not None]

    def roster_meta(self):
        for suffix in (".yaml", ".yml"):
            item = self.item_at(f"content/{GOVERNANCE_DIR}/roster{suffix}")
            if item is not None:
                return item.meta
        return None

    @cached_property
    def asset_users(self) -> dict[str, list[Item]]:
        return asset_users(self.all_items)

    def referencing(self, asset_path: str) -> list[Item]:
        return items_referencing(asset_path, self.asset_users, self.item)


# --- what the changes need ----------------------------------------------------------------

@dataclass
class Assessed:
    change: FileChange
    kind: str  # item, asset, governance, unit, other, outside
    old_item: Item | None = None
    new_item: Item | None = None
    needs: list[Need] = field(default_factory=list)
    users: list[str] = field(default_factory=list)  # for attachments: ids of the items that use them
    generated: bool = False  # a CODEOWNERS file exactly as generated from the new tree

    @property
    def item(self) -> Item | None:
        return self.new_item or self.old_item

    @property
    def item_id(self) -> str:
        return self.item.id if self.item else ""

    @property
    def title(self) -> str:
        return self.item.title if self.item else ""

    @property
    def url(self) -> str | None:
        """Where the changed page is published (None for deletions and non-items)."""
        if self.kind != "item" or self.new_item is None or self.change.status == "D":
            return None
        return item_url(self.new_item)


def assess(changes: list[FileChange], policy: ApprovalPolicy, old: TreeSnapshot, new: TreeSnapshot) -> list[Assessed]:
    out = []
    for change in changes:
        kind, _ = classify_path(change.path)
        old_kind = classify_path(change.old_path)[0] if change.old_path else kind
        entry = Assessed(change, kind if change.status != "D" else old_kind)
        if change.old_path and change.old_blob is not None:
            entry.old_item = old.read(change.old_blob, change.old_path) if old_kind == "item" else None
        if change.status != "D" and change.new_blob is not None:
            entry.new_item = new.read(change.new_blob, change.path) if kind == "item" else None
        needs: list[Need] = []
        if change.status != "D" and is_regenerated(change, new, policy):
            entry.generated = True
            out.append(entry)  # it says what the roster and units already say: no tier of its own
            continue
        if entry.old_item is not None:
            needs.append(policy.need_for_item(entry.old_item, old.item))
        if entry.new_item is not None:
            needs.append(policy.need_for_item(entry.new_item, new.item))
        for side, path, revision, present in (("old", change.old_path, old, change.old_blob is not None),
                                               ("new", change.path, new, change.status != "D")):
            if not path or not present:
                continue
            path_kind = classify_path(path)[0]
            if path_kind == "item" and (entry.old_item if side == "old" else entry.new_item) is not None:
                continue
            if path_kind == "asset":
                users = revision.referencing(path)
                for user in users:
                    needs.append(policy.need_for_item(user, revision.item))
                    if user.id not in entry.users:
                        entry.users.append(user.id)
                if users:
                    continue
            if path_kind == "register":
                # A unit's register of applications: the unit's own approvers, as CODEOWNERS says (the same
                # `unit_folder_of`); one in a folder that is no unit's goes by the path rules, as there.
                unit = unit_folder_of(path, revision.unit_ids())
                if unit is not None:
                    needs.append(policy.need_for_item(SimpleNamespace(type="", meta={"unit": unit}, id="")))
                    continue
            rule = policy.need_for_path(path)
            if rule is not None:
                needs.append(rule)
        entry.needs = _unique(needs)
        out.append(entry)
    return out


def is_regenerated(change: FileChange, tree: TreeSnapshot, policy: ApprovalPolicy) -> bool:
    """Whether a changed CODEOWNERS file is exactly what the generator makes of the new tree.

    Such a change follows from the roster or the units, whose own changes bring their tier; a
    CODEOWNERS edited by hand (or left stale) brings the city government office's tier.
    """
    from pipeline.approvals.codeowners import TARGETS, Inputs, generate
    from pipeline.approvals.roster import Roster

    forge = next((f for f, rel in TARGETS.items() if rel == change.path), None)
    if forge is None or change.new_blob is None:
        return False
    try:
        committed = change.new_blob.data_stream.read().decode("utf-8").replace("\r\n", "\n")
    except (UnicodeDecodeError, ValueError):
        return False
    roster_meta = tree.roster_meta()
    if roster_meta is None:
        return False
    return committed == generate(Inputs.of_tree(tree), forge, Roster.from_meta(roster_meta), policy)


def _unique(needs: list[Need]) -> list[Need]:
    seen: dict[tuple, Need] = {}
    for need in needs:
        seen.setdefault(need.key, need)
    return list(seen.values())
