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
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
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


def retire(old: Path, destination: Path) -> None:
    """Remove `old` (the site a swap put aside) in a detached process that holds a lock on it meanwhile;
    where that cannot be, here and now."""
    suffix = old.name.rsplit("-", 1)[-1]
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
