"""A cache of parsed files under `<repository root>/.cache/gongkai/`, keyed by what the parse depends on.

Parsing YAML is most of a check's load time (about 3 s of a 10,000-item repository); a file that did not
change parses to the same `Item` (or the same loader diagnostic) every time. The key is a hash of
everything `content.parse_item` reads: the file's bytes, its path (the id defaults to the file name and
every diagnostic names the path), its type, the YAML limits, and the code (`code_fingerprint`: the
package's own sources, PyYAML and Python). A changed byte, setting or line of code is another key, so a
stale entry can never be read; results are identical with or without the cache.

Entries are pickles written atomically. An entry that cannot be read (truncated, corrupt, from another
Python) is treated as missing and written again; a cache folder that cannot be written (a read-only
checkout) just means no cache. `GONGKAI_NO_CACHE=1` turns it off; `GONGKAI_CACHE_DIR=DIR` keeps each
repository's caches in a folder of its own under DIR instead (`cache_folder`). Unpickling can run code, so a cache
that arrives with the content — anything under `.cache/` tracked by Git, as a merge request could add
with `git add -f` — turns every cache of the repository off (`committed_cache`); CI keeps the folder
per branch, and GitLab keeps protected branches' caches apart.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.content.loader import Item, LoadError, YamlLimits, parse_item
from pipeline.diagnostics import Diagnostic
from pipeline.resources import schema_dir

CACHE_DIR = Path(".cache") / "gongkai"
# The whole `pipeline` package (this module sits in pipeline/content/): the parse, the content index, the
# checks and attachment texts kept under the fingerprint are made by code from all of it.
PACKAGE = Path(__file__).resolve().parent.parent


def cache_folder(root: Path | str) -> Path:
    """Where the caches of the repository at `root` live: `<root>/.cache/gongkai`, or with
    GONGKAI_CACHE_DIR set, `$GONGKAI_CACHE_DIR/<hash of the root's absolute path>`."""
    elsewhere = os.environ.get("GONGKAI_CACHE_DIR", "")
    if not elsewhere:
        return Path(root) / CACHE_DIR
    return Path(elsewhere) / hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every Python source and data file of the package, PyYAML (and libyaml) and Python itself.

    Coarser than needed (a change to a template's module also invalidates parses), never finer: any
    edit to the code that parses or indexes files changes it.
    """
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{yaml.__version__}|{getattr(yaml, '__with_libyaml__', False)}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml") and path.is_file():
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    # The loader writes disclosure categories as their codes, from the names in the shared schema.
    digest.update((schema_dir() / "defs.schema.json").read_bytes())
    return digest.hexdigest()


def enabled() -> bool:
    return os.environ.get("GONGKAI_NO_CACHE", "") in ("", "0")


def committed_cache(root: Path) -> bool:
    """Whether the repository at `root` tracks anything under .cache/ (content must not bring its own cache)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "ls-files", "--", str(CACHE_DIR.parent)],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False  # no git: a plain folder has nothing committed
    return bool(proc.stdout.strip())


def trusted(root: Path) -> bool:
    """Whether the caches of the repository at `root` may be read and written."""
    return enabled() and not committed_cache(Path(root).resolve())


def read_pickle(path: Path | str):
    """The object pickled at `path`, or None when it is missing or cannot be read for any reason."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # corrupt, truncated, from another version of a class: as good as missing
        return None


def write_pickle(path: Path | str, value) -> None:
    """Write atomically (a reader never sees half a file); failing to write only loses the cache."""
    _write_atomically(path, lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomically(path: Path | str, data: bytes) -> None:
    """`data` as the file at `path`, written as write_pickle writes."""
    _write_atomically(path, lambda handle: handle.write(data))


def _write_atomically(path: Path | str, write) -> None:
    try:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


class ParseCache:
    """Parsed files of one repository: `parse` returns what `content.parse_item` would, from disk when it can."""

    def __init__(self, root: Path, use: bool | None = None):
        self.folder = os.path.join(cache_folder(root), "parse")
        self.use = trusted(root) if use is None else use
        # The schemas found valid (content.schema.SchemaSet): trusted as far as the parses are.
        self.schemas_checked = os.path.join(cache_folder(root), "schemas-checked") if self.use else None

    def key(self, data: bytes, rel: str, type_name: str, limits: YamlLimits) -> str:
        digest = hashlib.sha256()
        digest.update(f"{code_fingerprint()}|{rel}|{type_name}|{_written(limits)}|".encode())
        digest.update(data)
        return digest.hexdigest()

    def parse(self, data: bytes, rel: str, type_name: str, limits: YamlLimits) -> Item | Diagnostic:
        """The parsed item, or the loader's diagnostic for a file that cannot be read."""
        if not self.use:
            return _parse(data, rel, type_name, limits)
        key = self.key(data, rel, type_name, limits)
        path = os.path.join(self.folder, key[:2], key + ".pickle")  # strings: pathlib costs 0.3 s per 10,000
        cached = read_pickle(path)
        # The entry carries its key: a file renamed or overwritten in the cache folder is not trusted.
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == key \
                and isinstance(cached[1], (Item, Diagnostic)):
            return cached[1]
        result = _parse(data, rel, type_name, limits)
        write_pickle(path, (key, result))
        return result


@lru_cache(maxsize=8)
def _written(limits: YamlLimits) -> str:
    # The same few limits for every file of a load: a dataclass's repr per file cost 0.05 s per 10,000.
    return repr(limits)


def _parse(data: bytes, rel: str, type_name: str, limits: YamlLimits) -> Item | Diagnostic:
    try:
        return parse_item(data, rel, type_name, limits)
    except LoadError as exc:
        return exc.diagnostic
