"""Git history of content files: what a policy page shows under 更新记录.

One `git log` over the content folder per build (not one per item), read with
GitPython. The result depends only on the commit checked out and on `now`
(commits after the build's "now" are not shown), so two builds of the same
commit give the same bytes. Outside a Git repository, in a repository without
commits, or without a `git` executable, every history is empty: a build from
an exported tree still works.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.timeutil import TZ

RECORD = "\x1e"  # separates commits in the log output
FIELD = "\x1f"  # separates the fields of a commit header
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NEUTRAL_NOTE = "内容更新"


@dataclass(frozen=True)
class FileCommit:
    """One commit that touched a file."""

    commit: str  # full hash
    when: datetime  # committer date, Asia/Shanghai
    subject: str

    @property
    def day(self) -> str:
        return self.when.strftime("%Y-%m-%d")

    @property
    def note(self) -> str:
        """What a citizen reads for this commit under 更新记录.

        Editors write commit subjects in Chinese for the public record; a subject
        with no Chinese in it is a technical one (a merge, a tool, a developer's
        commit in a repository that also holds code) and is shown as 内容更新,
        never in English on a Chinese portal.
        """
        return self.subject if CJK.search(self.subject) else NEUTRAL_NOTE


class ContentHistory:
    """Commits touching each file under `root`, newest first; empty when `root` is not in a Git work tree."""

    def __init__(self, root: Path, pathspec: str = "content", now: datetime | None = None):
        self.root = Path(root).resolve()
        self._by_path: dict[str, list[FileCommit]] = {}
        self._prefix = ""
        self._load(pathspec, now)

    def for_path(self, rel: str) -> list[FileCommit]:
        """Revisions of a file given relative to the content repository root (e.g. content/policies/x.md)."""
        return list(self._by_path.get(self._prefix + rel, ()))

    def _load(self, pathspec: str, now: datetime | None) -> None:
        try:
            import git  # GitPython; importing fails when no git executable is installed
        except ImportError:
            return
        try:
            repo = git.Repo(self.root, search_parent_directories=True)
            if repo.bare or repo.working_tree_dir is None:
                return
            top = Path(repo.working_tree_dir).resolve()
            self._prefix = "" if top == self.root else self.root.relative_to(top).as_posix() + "/"
            log = repo.git.log(f"--format={RECORD}%H{FIELD}%ct{FIELD}%s", "--name-status", "-M",
                               "-z", "--", self._prefix + pathspec)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
            return  # not a repository, no commit yet, or root outside the work tree
        # The log runs newest first, so when a rename shows up every older commit of its old path
        # belongs to the file under its newest name. A pure rename (R100: moving an item into its
        # unit's folder) changes nothing a reader sees and is not a revision; an edit with it is.
        newest_name: dict[str, str] = {}
        for record in log.split(RECORD)[1:]:
            header, _, names = record.partition("\0")
            commit, stamp, subject = header.split(FIELD, 2)
            when = datetime.fromtimestamp(int(stamp), TZ)
            fields = [f.strip() for f in names.split("\0")]
            revision = FileCommit(commit, when, subject.strip())
            shown = now is None or when <= now  # a build "as of" a moment shows the history up to it
            index = 0
            while index < len(fields):
                status = fields[index]
                if not status:
                    index += 1
                    continue
                if status[0] in "RC":
                    old, new = fields[index + 1], fields[index + 2]
                    index += 3
                    target = newest_name.get(new, new)
                    if status[0] == "R":
                        newest_name[old] = target
                    if status == "R100":
                        continue
                else:
                    target = newest_name.get(fields[index + 1], fields[index + 1])
                    index += 2
                if shown:
                    self._by_path.setdefault(target, []).append(revision)
