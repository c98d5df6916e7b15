"""What the worker processes of one test run (pytest-xdist) share: a folder, and things built once in it."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from filelock import FileLock


def shared_dir(tmp_path_factory) -> Path:
    """A folder this whole test run shares: the base temp dir, or its parent under pytest-xdist (one per run)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(tmp_path_factory, name: str, make):
    """`make(folder)` run by the first worker that asks, in a folder of the run's own; every other worker
    gets what it returned (pickled) and the same folder. Only for things the tests then read, never change."""
    shared = shared_dir(tmp_path_factory)
    folder, done = shared / name, shared / f"{name}.pickle"
    with FileLock(str(shared / f"{name}.lock")):
        if done.is_file():
            return folder, pickle.loads(done.read_bytes())
        folder.mkdir()
        value = make(folder)
        done.write_bytes(pickle.dumps(value))
        return folder, value
