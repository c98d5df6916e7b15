"""Which files differ between a commit and the working tree: what `check --changed-since REV` starts from.

Committed, staged, unstaged and untracked changes all count (the check reads the working tree), renames
are a deletion of the old path and an addition of the new one, and untracked files under content/ count
even when .gitignore hides them, because the whole check reads them too. Read with GitPython, like
approvals and the content history.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Paths outside content/ whose untracked files matter (pipeline.content.paths): the checker's code and schemas
# in a source checkout (pipeline.check.scope falls back to a whole check for them) and CODEOWNERS (GK-OWN-001).
from pipeline.content.paths import OUTSIDE_CONTENT


class ChangesUnavailable(Exception):
    """REV cannot be compared with the working tree (not a Git repository, unknown revision): exit 2."""


@dataclass
class Changes:
    commit: object  # git.Commit of REV
    git: object  # git.cmd.Git run in the repository root
    prefix: str  # the repository root relative to the Git top level ("" or "sub/dir/")
    present: set[str] = field(default_factory=set)  # changed paths that exist now (root-relative)
    removed: set[str] = field(default_factory=set)  # paths in REV that no longer exist (deleted, renamed away)
    # Git's content hash of every regular file under content/ in REV: an unchanged file has these bytes
    # now, so the content index can be looked up without reading it (pipeline.check.content_index).
    blobs: dict[str, str] = field(default_factory=dict)

    @property
    def paths(self) -> set[str]:
        return self.present | self.removed

    def old_bytes(self, rel: str) -> bytes | None:
        """The file's bytes in REV, or None when REV does not have it as a regular file (a folder or a
        symbolic link: the loader never reads through one)."""
        sha = self.blobs.get(rel)
        if sha is None:
            return None
        # One `git cat-file --batch` process for every call (GitPython keeps it); walking the tree
        # object by object in Python costs 0.2 s in a repository of 10,000 files.
        return self.git.get_object_data(sha)[3]


def changes_since(root: Path, rev: str) -> Changes:
    try:
        import git
    except ImportError:  # GitPython without a git executable
        raise ChangesUnavailable("找不到 git 命令:--changed-since 需要 Git。") from None
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ChangesUnavailable(f"{root} 不在 Git 仓库中:--changed-since 需要 Git 历史。请去掉该选项做完整检查。") from None
    try:
        commit = repo.commit(rev)
    except Exception:  # BadName, BadObject, ValueError: every way of naming nothing
        raise ChangesUnavailable(f"--changed-since 的版本「{rev}」在本仓库中不存在:请给出提交号、分支或标签"
                                 "(如 origin/main;CI 中浅克隆的仓库请先 git fetch 该分支)。") from None
    top = Path(repo.working_tree_dir).resolve()
    prefix = Path(root).resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    cmd = git.cmd.Git(str(Path(root).resolve()))
    changes = Changes(commit, cmd, prefix)
    try:
        # Working tree (with the index) against REV; paths relative to the root, nothing outside it.
        diff = cmd.diff("--name-status", "-z", "-M", "--no-ext-diff", "--relative", commit.hexsha, "--")
        # Untracked: everything under content/ (ignored files too: the check reads them); elsewhere only
        # what can change a diagnostic (never the cache folder, which may not be ignored).
        untracked = cmd.ls_files("--others", "-z", "--", "content") + "\0" \
            + cmd.ls_files("--others", "--exclude-standard", "-z", "--", *OUTSIDE_CONTENT)
        tree = cmd.ls_tree("-r", "-z", "--full-name", commit.hexsha, "--", "content")
    except git.GitCommandError as exc:
        raise ChangesUnavailable(f"无法比较「{rev}」与工作区:{exc.stderr.strip() or exc}") from None
    fields = diff.split("\0")
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in "RC":
            old, new = fields[index + 1], fields[index + 2]
            index += 3
            if status == "R":
                changes.removed.add(old)
            changes.present.add(new)
            continue
        path = fields[index + 1]
        index += 2
        (changes.removed if status == "D" else changes.present).add(path)
    changes.present.update(p for p in untracked.split("\0") if p)
    for line in tree.split("\0"):
        meta, _, path = line.partition("\t")
        mode, kind, sha = (meta.split(" ") + ["", "", ""])[:3]
        if kind == "blob" and mode in ("100644", "100755") and path.startswith(prefix):
            changes.blobs[path[len(prefix):]] = sha
    gone = {p for p in changes.present if not os.path.lexists(Path(root) / p)}
    changes.present -= gone
    changes.removed = (changes.removed | gone) - changes.present
    return changes
