"""What each file declares and references, for finding a change's scope without loading the repository.

`check --changed-since` must know which items reference a changed item, which items a changed item
references, and which share its id, its attachments or its former addresses. One entry per file holds
exactly that, computed from the parsed item (the one loader, through the parse cache) by the same
functions the rules use (`links.link_targets`, `files.files_used`, `addresses`), so the scope can never
disagree with what the rules read. Entries are cached in one pickle, `.cache/gongkai/index.pickle`,
keyed by Git's hash of the bytes (an unchanged file is not even read: REV's tree has its hash), the path,
type, limits and size limit (a larger file is not parsed), under the code's fingerprint.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core.addresses import UnsafeURL, item_url, output_name
from pipeline.content.loader import Item, YamlLimits
from pipeline.content.paths import ContentFile
from pipeline.diagnostics import Diagnostic
from pipeline.core.files import files_used, unsafe_reason
from pipeline.core.relations import referenced_ids
from pipeline.content.parse_cache import ParseCache, cache_folder, code_fingerprint, read_pickle, write_pickle
from pipeline.content.repository import collector_paused

INDEXED_KINDS = ("item", "unit")


@dataclass(frozen=True)
class IndexEntry:
    rel: str
    kind: str
    type: str | None
    id: str | None = None  # the id it declares (None: not parsed, too large, or not an item or unit)
    refs: frozenset = frozenset()  # ids it names: interprets, replaced_by, related_policies, item: links
    interprets: frozenset = frozenset()  # the policies it interprets (an interpretation's siblings share one)
    files: frozenset = frozenset()  # repository files it uses (content/files/...)
    unit: str | None = None
    report_scope: tuple = ()  # a yearly report: the units its figures cover
    address: str | None = None  # output name of its page
    former: frozenset = frozenset()  # output names of its former addresses


def _strings(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v]


def entry_for(cf: ContentFile, parsed: Item | Diagnostic | None) -> IndexEntry:
    if not isinstance(parsed, Item):
        return IndexEntry(cf.rel, cf.kind, cf.type)
    item = parsed
    refs = referenced_ids(item)  # what the reference rule resolves
    files = {"content/" + use.rel for use in files_used(item) if not unsafe_reason(use.written)}
    former = set()
    for url in _strings(item.meta.get("former_urls")):
        try:
            former.add(output_name(url))
        except UnsafeURL:
            pass
    try:
        address = output_name(item_url(item)) if cf.kind == "item" else None
    except UnsafeURL:
        address = None
    scope = ()
    if item.type == "report":
        from pipeline.yearly_report.figures import report_scope

        scope = report_scope(item)
    unit = item.meta.get("unit")
    return IndexEntry(cf.rel, cf.kind, cf.type, item.id, frozenset(refs),
                      frozenset(_strings(item.meta.get("interprets"))), frozenset(files),
                      unit if isinstance(unit, str) else None, scope, address, frozenset(former))


def blob_id(data: bytes) -> str:
    """Git's hash of a file's bytes (`git hash-object`): the same key for a file read now and in REV."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class ContentIndex:
    """Entries of the files of one repository, from the cache when their key is there.

    Stored as {"code": fingerprint, "groups": {limits and size limit: {"<blob>|<path>|<type>": entry}}}:
    the limits, written once per group rather than in each of 50,000 keys, were most of the file.
    """

    def __init__(self, root, cache: ParseCache):
        self.path = cache_folder(root) / "index.pickle"
        self.cache = cache
        with collector_paused():  # tens of thousands of objects that all stay: see collector_paused
            stored = read_pickle(self.path) if cache.use else None
        valid = isinstance(stored, dict) and stored.get("code") == code_fingerprint() \
            and isinstance(stored.get("groups"), dict) and all(isinstance(g, dict) for g in stored["groups"].values())
        self.groups: dict[str, dict[str, IndexEntry]] = stored["groups"] if valid else {}
        self.used: dict[str, dict[str, IndexEntry]] = {}
        self.added = 0

    def entry(self, cf: ContentFile, data: bytes | None, limits: YamlLimits, size_limit: int,
              blob: str | None = None) -> IndexEntry:
        """The entry for a file whose bytes are `data`, or (`data` None) are those of the Git blob `blob`;
        without either, a file the loader never reads."""
        if cf.kind not in INDEXED_KINDS or (data is None and blob is None):
            return IndexEntry(cf.rel, cf.kind, cf.type)
        group = _group(limits, size_limit)
        key = f"{blob or blob_id(data)}|{cf.rel}|{cf.type}"
        found = self.groups.get(group, {}).get(key)
        if not isinstance(found, IndexEntry) or found.rel != cf.rel:
            data = cf.path.read_bytes() if data is None else data
            parsed = self.cache.parse(data, cf.rel, cf.type, limits) if len(data) <= size_limit else None
            found = entry_for(cf, parsed)
            self.groups.setdefault(group, {})[key] = found
            self.added += 1
        self.used.setdefault(group, {})[key] = found
        return found

    def save(self) -> None:
        """Keep the entries used by this run (so the file does not grow with every edit ever indexed), when
        enough of them differ from the file's: rewriting it costs in proportion to the repository (0.1 s at
        50,000 files) and making an entry again one read of the parse cache, so a merge request's few changed
        files are indexed again by each of its runs rather than the whole index written by each."""
        used = sum(map(len, self.used.values()))
        unused = sum(map(len, self.groups.values())) - used
        if self.cache.use and (self.added + unused) * REWRITE_SHARE > used:
            write_pickle(self.path, {"code": code_fingerprint(), "groups": self.used})


# The stored index is rewritten when more than one entry in this many was made or left unused by a run.
REWRITE_SHARE = 100


@lru_cache(maxsize=8)
def _group(limits: YamlLimits, size_limit: int) -> str:
    # The same limits for every file of a run: a dataclass's repr per file cost 0.07 s per 50,000.
    return f"{limits!r}|{size_limit}"
