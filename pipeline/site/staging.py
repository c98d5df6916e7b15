"""The staging folder a build writes into beside its destination, and the leftovers of killed builds.

A build writes `.<name>.building-<suffix>/` next to `<name>/` and swaps it in at the end (the
retired site passes through `.<name>.old-<suffix>/`). A build killed part-way (the runner's timeout,
a power cut) leaves those folders behind, each as large as the site. So every build holds an
exclusive `flock` on `.<name>.building-<suffix>.lock` for as long as its folders exist — taken
before the folder is made, released after it is gone — and before starting removes the folders of
its own destination whose lock it can take: their build is no longer running (the kernel releases
a dead process's locks). A folder whose lock is held belongs to a running build and is left alone.

The site a swap retires is not removed while the build waits (at 50,000 items that is a walk of some
55,000 entries, seconds): `retire` renames it to `.<name>.retiring-<suffix>/` and a detached process
removes it, holding a `flock` on that folder itself while it works. A retiring folder whose lock
nobody holds (its remover was killed) is removed by the next build like a killed build's staging.

The retired site is kept as `.<name>.spare/` instead when no spare is there: the next build renames it
into place as its staging folder and `prune_to` leaves in it only the files that are hard links of the
live site's files of the same names and that this build writes, so the build makes a directory or a link
only where the site changed (one `mkdir` per page made the staging tree: at 10,000 items, 11,000 of them
and a second). Any folder can serve as a spare: what it holds is compared with the live site by inode,
never trusted, so a spare a reader or another build touched only costs more writing.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

LOCK_SUFFIX = ".lock"
# The detached remover: the folder's locked descriptor is inherited, so the lock lasts as long as it runs.
REMOVER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def _prefix(destination: Path) -> str:
    return f".{destination.name}.building-"


@contextlib.contextmanager
def staging_folder(destination: Path) -> Iterator[Path]:
    """A new, locked staging folder beside `destination` (removed on exit unless swapped in)."""
    parent = destination.parent
    remove_stale(destination)
    while True:
        suffix = secrets.token_hex(4)
        lock_path = parent / f"{_prefix(destination)}{suffix}{LOCK_SUFFIX}"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            continue
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a new file: nobody else holds it
        staging = parent / f"{_prefix(destination)}{suffix}"
        staging.mkdir(mode=0o700)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone already when it was swapped in
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


@contextlib.contextmanager
def swap_lock(destination: Path) -> Iterator[None]:
    """Held while `destination` is swapped: between a build's two renames the destination is briefly
    absent, and another build's swap must not take that moment for a first build."""
    # The lock is on the parent folder itself: a lock file would have to stay there for good (removing it
    # would let a third build lock a new file), beside output/ in the repository.
    fd = os.open(destination.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _retiring(destination: Path) -> str:
    return f".{destination.name}.retiring-"


def spare_of(destination: Path) -> Path:
    return destination.parent / f".{destination.name}.spare"


def keep_spare(old: Path, destination: Path) -> None:
    """Keep `old` (the site a swap put aside) as the next build's staging base; the spare it replaces, if
    any, is retired (the newer one differs less from what the next build writes)."""
    spare = spare_of(destination)
    if spare.exists():
        retire(spare, destination)
    try:
        os.rename(old, spare)
    except OSError:  # another build's spare took the name meanwhile
        retire(old, destination)


def take_spare(destination: Path, staging: Path) -> bool:
    """Put the spare in place of the new, empty `staging` folder; False when there is none (a build from
    nothing, or another build took it first: renames are atomic, one build gets it)."""
    try:
        os.rename(spare_of(destination), staging)
    except OSError:
        return False
    os.chmod(staging, 0o700)
    return True


def prune_to(staging: Path, live: Path, expected: set[str], keep: tuple[str, ...] = ()) -> set[str]:
    """Leave in `staging` only what is the live site's file of the same name (the same inode: a hard link,
    so the same bytes) and is named in `expected` (the output names this build writes); return those names.
    The build then writes the rest; a folder no expected name lies under is moved out whole and removed in
    the background, a file unlinked (never written through: the live site has the same inode).
    The top-level folders named in `keep` are left as they are, for their writer to judge (the search
    bundle: `site.search.index_site` keeps the parts whose content is still the same)."""
    folders = {""}
    for name in expected:
        cut = name.rfind("/")
        while cut > 0 and name[:cut + 1] not in folders:
            folders.add(name[:cut + 1])
            cut = name.rfind("/", 0, cut)
    present: set[str] = set()
    trash: Path | None = None
    moved = 0
    same_device = os.stat(staging).st_dev == os.stat(live).st_dev  # inode numbers mean nothing across devices
    base, live_base = f"{staging}/", f"{live}/"  # strings: at 50,000 pages Path objects cost more than the stats
    todo = [""]
    while todo:
        rel = todo.pop()
        with os.scandir(base + rel) as entries:
            for entry in entries:
                name = rel + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not rel and name in keep:
                        continue
                    if name + "/" in folders:
                        todo.append(name + "/")
                        continue
                    if trash is None:
                        trash = Path(tempfile.mkdtemp(prefix=f".{live.name}.old-", dir=live.parent))
                    try:
                        os.rename(entry.path, trash / str(moved))
                        moved += 1
                    except OSError:
                        shutil.rmtree(entry.path, ignore_errors=True)
                    continue
                if name in expected and same_device and not entry.is_symlink():
                    try:  # one stat per file: cheaper than listing the live folder (a page is one file in one)
                        if os.stat(live_base + name, follow_symlinks=False).st_ino == entry.inode():
                            present.add(name)
                            continue
                    except OSError:
                        pass
                os.unlink(entry.path)
    if trash is not None:
        retire(trash, live)
    return present


def retire(old: Path, destination: Path) -> None:
    """Remove `old` (the site a swap put aside) in a detached process that holds a lock on it meanwhile;
    where that cannot be, here and now."""
    suffix = secrets.token_hex(4)
    gone = destination.parent / f"{_retiring(destination)}{suffix}"
    try:
        os.rename(old, gone)
        fd = os.open(gone, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(gone, ignore_errors=True)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a folder just renamed into place: nobody else holds it
        subprocess.Popen([sys.executable, "-c", REMOVER, str(gone)], pass_fds=(fd,), start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(gone, ignore_errors=True)
    finally:
        os.close(fd)  # the remover's copy of the descriptor keeps the lock


def _remove_unless_locked(path: Path) -> bool:
    """Remove a retiring folder unless its remover still runs (holds the folder's lock)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(path, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def remove_stale(destination: Path) -> list[str]:
    """Remove the staging and retired folders of `destination` that no running build holds; their names."""
    parent = destination.parent
    if not parent.is_dir():
        return []
    removed = []
    prefix = _prefix(destination)
    retired = f".{destination.name}.old-"
    for path in sorted(parent.iterdir()):
        name = path.name
        if name.startswith(_retiring(destination)):
            if path.is_dir() and not path.is_symlink() and _remove_unless_locked(path):
                removed.append(name)
            continue
        if name.startswith(prefix) and not name.endswith(LOCK_SUFFIX):
            suffix = name[len(prefix):]
        elif name.startswith(retired):
            suffix = name[len(retired):]
        else:
            continue
        if not path.is_dir() or path.is_symlink():
            continue
        lock_path = parent / f"{prefix}{suffix}{LOCK_SUFFIX}"
        try:
            fd = os.open(lock_path, os.O_RDWR)
        except FileNotFoundError:
            fd = None  # a build makes its lock before its folder: a folder without one is nobody's
        except OSError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a running build's
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
            if fd is not None and not (parent / f"{prefix}{suffix}").exists() and not (parent / f"{retired}{suffix}").exists():
                with contextlib.suppress(OSError):
                    os.unlink(lock_path)
        finally:
            if fd is not None:
                os.close(fd)
    return removed
