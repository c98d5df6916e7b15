"""The whole content repository, loaded once and shared by check, build and audit."""
from __future__ import annotations

import copy
import gc
import hashlib
import os
import stat
from datetime import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Collection

import yaml

from pipeline.content.loader import Item, YamlLimits

from pipeline.content.paths import ContentFile, scan
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.content.parse_cache import ParseCache
from pipeline.content.schema import SchemaSet
from pipeline.timeutil import TZ
from pipeline.content.types import GOVERNANCE_FILES, REQUIRED_GOVERNANCE, TYPES

DEFAULTS_FILE = Path(__file__).with_name("defaults.yaml")
GOVERNANCE_CODES = {"GK-GOV-001": "缺少治理数据文件(site.yaml、columns.yaml)或其内容无效"}


class NotARepository(Exception):
    """The directory given is not a content repository (a usage error, exit 2)."""


@dataclass
class Repository:
    root: Path
    schemas: SchemaSet
    files: list[ContentFile] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # content items, in path order
    units: dict[str, Item] = field(default_factory=dict)  # first record of each unit id
    unit_records: list[Item] = field(default_factory=list)  # every unit file, duplicates included
    governance: dict[str, Item] = field(default_factory=dict)
    registers: list[Item] = field(default_factory=list)  # 依申请公开台账, one per unit and year; never published
    assets: dict[str, ContentFile] = field(default_factory=dict)  # key: path relative to content/
    load_diagnostics: list[Diagnostic] = field(default_factory=list)
    # A hash of the bytes of every file the loader parsed (path -> hex): the cached check's key
    # (pipeline.check.cached), taken from the read the loader makes anyway.
    digests: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(TZ))  # injectable: --now

    @cached_property
    def by_id(self) -> dict[str, Item]:
        return index_by_id(self.items)

    def of_type(self, type_name: str) -> list[Item]:
        return [item for item in self.items if item.type == type_name]

    @property
    def site(self) -> dict:
        return self.governance["site"].meta if "site" in self.governance else {}

    @property
    def host_unit(self) -> str:
        """The unit that runs the site (主办单位, site.yaml `host_unit`): the site's footer names it, and it
        answers for the home page, site-wide findings and pages no unit owns. "" when none is written."""
        host = self.site.get("host_unit")
        return host if isinstance(host, str) else ""

    @property
    def columns(self) -> list[dict]:
        meta = self.governance["columns"].meta if "columns" in self.governance else {}
        columns = meta.get("columns") if isinstance(meta, dict) else None
        return [c for c in as_list(columns) if isinstance(c, dict)]

    @property
    def wording(self) -> list[dict]:
        meta = self.governance["wording"].meta if "wording" in self.governance else {}
        entries = meta.get("entries") if isinstance(meta, dict) else None
        return [e for e in as_list(entries) if isinstance(e, dict)]

    def unit_name(self, unit_id) -> str:
        """How pages, reports, the audit and approvals name a unit (`unit_name`)."""
        return unit_name(unit_id, self.units.get(unit_id))

    @property
    def checked_files(self) -> int:
        return len(self.files)


def unit_name(unit_id, record: Item | None) -> str:
    """A unit's name for a citizen and an inspector alike: its `name`, else its `short_name` (教育局 says more
    than jyj), else its id (a record that is missing or could not be read has nothing else to offer)."""
    meta = record.meta if record is not None else {}
    for key in ("name", "short_name"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return str(unit_id or "")


def index_by_id(items) -> dict[str, Item]:
    """The item each id names: the first in path order (duplicates are reported by GK-ID-001).
    The working tree and a commit's tree (approvals) answer by-id lookups with this one rule."""
    out: dict[str, Item] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


def as_list(value) -> list:
    """A list from metadata, or empty: values of the wrong shape are the schema check's to report."""
    return value if isinstance(value, list) else []


def find_root(start: Path) -> Path:
    """The repository root: `start` itself or the nearest parent with a content/ folder."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "content").is_dir():
            return candidate
    raise NotARepository(f"{start} 不是内容仓库:找不到 content/ 目录。请在仓库根目录运行,或用 --root 指定。")


def load_repository(root: Path, schemas: SchemaSet | None = None, now: datetime | None = None, *,
                    items: bool = True, only: Collection[str] | None = None,
                    cache: ParseCache | None = None, files: list[ContentFile] | None = None) -> Repository:
    """The content repository at `root`, every file read once.

    `items=False` reads only the governance files and unit records (site, settings, columns, units): what
    a command needs that looks at something else, such as the built site, and the items only on demand.
    `only` (repository-relative paths) reads governance, units and registers and, of the other files,
    only these: the part of the repository `check --changed-since` needs (pipeline.check.changed). Every
    asset is still listed, so that a reference to a file resolves as in a whole load.
    Parses come from the parse cache (pipeline.content.parse_cache) when it holds them; the result is the same.
    `files`: the `content.scan` of `root` when the caller has just made it (a scan of 10,000 files is not free).
    """
    root = root.resolve()
    if not (root / "content").is_dir():
        raise NotARepository(f"{root} 不是内容仓库:找不到 content/ 目录。")
    with collector_paused():
        return _load(root, schemas, now, items, only, cache, files)


@contextmanager
def collector_paused():
    """No cyclic garbage collection while objects are made that all stay (a loaded repository, a build's
    plan): the collector's passes over them while they are made were a third of a load at 10,000 items
    and a fifth of the plan, and grew faster than the items (bench/README.md, 2026-12-07)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load(root, schemas, now, items, only, cache, files) -> Repository:
    cache = cache or ParseCache(root)
    repo = Repository(root=root, schemas=schemas or SchemaSet(checked_file=cache.schemas_checked))
    if now is not None:
        repo.now = now
    defaults = default_settings()
    repo.settings = copy.deepcopy(defaults)
    repo.files = list(files) if files is not None else list(scan(root))
    if only is not None:
        wanted = set(only)
        repo.assets = {cf.rel.split("/", 1)[1]: cf for cf in repo.files if cf.kind == "asset"}
        repo.files = [cf for cf in repo.files if cf.kind in ALWAYS_LOADED or cf.rel in wanted]
    # Governance first: settings.yaml may change the limits the other files are read under.
    governance = [cf for cf in repo.files if cf.kind == "governance"]
    size_limit = item_size_limit(repo.settings)
    for cf in governance:
        _load_one(repo, cf, YamlLimits.from_settings(defaults), cache, size_limit)
    _apply_settings(repo, defaults)
    limits, size_limit = YamlLimits.from_settings(repo.settings), item_size_limit(repo.settings)
    for cf in repo.files:
        if cf.kind != "governance" and (items or cf.kind == "unit"):
            _load_one(repo, cf, limits, cache, size_limit)
    return repo


# What a partial load (`only`) always reads: every rule may consult the settings, columns, units and registers.
ALWAYS_LOADED = ("governance", "unit", "register")


def _load_one(repo: Repository, cf: ContentFile, limits: YamlLimits, cache: ParseCache, size_limit: int) -> None:
    if cf.kind in ("unknown", "root", "symlink"):
        return  # reported by the path rules
    path = str(cf.path)  # os calls on strings: pathlib's per file cost a tenth of a second per 10,000 files
    try:
        found = os.lstat(path)
    except OSError:
        found = None
    if found is not None and stat.S_ISLNK(found.st_mode):
        return  # nothing is read through a link
    if cf.kind == "asset":
        repo.assets[cf.rel.split("/", 1)[1]] = cf
        return
    if (found or os.stat(path)).st_size > size_limit:
        return  # GK-PATH-002 reports it; parsing it would cost more than it is worth
    with open(path, "rb") as handle:
        data = handle.read()
    repo.digests[cf.rel] = content_digest(data)
    item = cache.parse(data, cf.rel, cf.type, limits)
    if isinstance(item, Diagnostic):
        repo.load_diagnostics.append(item)
        return
    if cf.kind == "unit":
        repo.unit_records.append(item)
        repo.units.setdefault(item.id, item)
    elif cf.kind == "governance":
        repo.governance[cf.type] = item
    elif cf.kind == "register":
        repo.registers.append(item)
    else:
        repo.items.append(item)


def content_digest(data: bytes) -> str:
    """A short hash of a file's bytes, the same for the loader and for files it never parses."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def default_settings() -> dict:
    """The settings every repository starts from (pipeline/content/defaults.yaml, shipped in the package)."""
    return copy.deepcopy(_defaults())


@lru_cache(maxsize=1)
def _defaults() -> dict:
    # Read once per process (a pure-Python parse costs 0.1 s; callers get their own copy to change).
    return yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))


def merge_settings(defaults: dict, own) -> dict:
    """A repository's settings.yaml over the defaults (one level deep); `own` of the wrong shape changes nothing."""
    merged = copy.deepcopy(defaults)
    if not isinstance(own, dict):
        return merged
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def item_size_limit(settings: dict) -> int:
    """The largest item file that is parsed (bytes); larger ones are reported by GK-PATH-002, not read.

    Shared by the loader and by approvals reading items from Git objects, so both skip the same files.
    """
    limits = settings.get("limits") if isinstance(settings, dict) else None
    value = limits.get("item_max_bytes") if isinstance(limits, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default_settings()["limits"]["item_max_bytes"]


def _apply_settings(repo: Repository, defaults: dict) -> None:
    """Merge content/governance/settings.yaml over the defaults; invalid settings leave the defaults in force."""
    own = repo.governance.get("settings")
    if own is None or not isinstance(own.meta, dict):
        return
    merged = merge_settings(defaults, own.meta)
    problems = list(repo.schemas.validator("settings").iter_errors(merged))
    if problems:
        return  # GK-GOV-001 reports it; the defaults stay in force
    repo.settings = merged


def governance_diagnostics(repo: Repository) -> list[Diagnostic]:
    """Schema problems in governance data and units, and missing governance files."""
    out = []
    for name in REQUIRED_GOVERNANCE:
        if name not in repo.governance and not any(d.path.endswith(f"governance/{name}.yaml") for d in repo.load_diagnostics):
            out.append(Diagnostic(f"content/governance/{name}.yaml", 0, 0, "GK-GOV-001", Severity.ERROR,
                                  f"缺少治理数据文件 content/governance/{name}.yaml。"))
    for name, item in repo.governance.items():
        out.extend(repo.schemas.validate(item, GOVERNANCE_FILES[name]))
    for unit in repo.units.values():
        out.extend(repo.schemas.validate(unit, "unit"))
    for register in repo.registers:
        out.extend(repo.schemas.validate(register, "applications"))
    return out


def item_diagnostics(repo: Repository) -> list[Diagnostic]:
    out = []
    for item in repo.items:
        if item.type in TYPES:
            out.extend(repo.schemas.validate(item))
    return out
