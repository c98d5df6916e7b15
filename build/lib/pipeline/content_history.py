"""Git history of content files: what a policy page shows under 更新记录.

One `git log` over the content folder per build (not one per item), read with
GitPython. The result depends only on the commit checked out and on `now`
(commits after the build's "now" are not shown), so two builds of the same
commit give the same bytes. Outside a Git repository, in a repository without
commits, or without a `git` executable, every history is empty: a build from
an exported tree still works.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .timeutil import TZ

RECORD = "\x1e"  # separates commits in the log output
FIELD = "\x1f"  # separates the fields of a commit header


@dataclass(frozen=True)
class FileCommit:
    """One commit that touched a file."""

    commit: str  # full hash
    when: datetime  # committer date, Asia/Shanghai
    subject: str

    @property
    def day(self) -> str:
        return self.when.strftime("%Y-%m-%d")


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
            log = repo.git.log(f"--format={RECORD}%H{FIELD}%ct{FIELD}%s", "--name-only", "--no-renames",
                               "-z", "--", self._prefix + pathspec)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
            return  # not a repository, no commit yet, or root outside the work tree
        for record in log.split(RECORD)[1:]:
            header, _, names = record.partition("\0")
            commit, stamp, subject = header.split(FIELD, 2)
            when = datetime.fromtimestamp(int(stamp), TZ)
            if now is not None and when > now:
                continue  # a build "as of" a moment shows the history up to it
            revision = FileCommit(commit, when, subject.strip())
            for name in names.split("\0"):
                name = name.strip()
                if name:
                    self._by_path.setdefault(name, []).append(revision)
