"""The catalogue: every item as the site knows it at one moment, cheap to compute.

Status, address, time, unit, column and the reverse relations (a policy's
interpretations, the policies it replaces), computed once with no rendering;
the page builders, feeds, search records and (later) the audit read it. The
Markdown of an entry is rendered only when a page that shows it is written
(`Entry.html`), by the pure renderer, once per entry.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Callable

from pipeline.core import policy_validity, publication
from pipeline.core.addresses import column_of, column_url, file_url, item_url, unit_url
from pipeline.content.loader import Item
from pipeline.content.types import TYPES
from pipeline.content.repository import unit_name
from pipeline.core.files import FILE_KEYS
from pipeline.core.markdown import MarkdownLimits, MarkdownTooComplex, Rendered, TextNotRenderable, render_markdown
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.core.publication import Status
from pipeline.core.relations import interpretations_by_policy

# What the site shows when a guide names no own value (site.yaml may set its own).
DEFAULT_PLATFORM_NAME = "一体化政务服务平台"
DEFAULT_COMPLAINT_PHONE = "12345"
NO_DOC_NUMBER = "无"

IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "svg", "webp"}
AUDIO_TYPES = {"mp3", "m4a", "wav", "ogg"}
VIDEO_TYPES = {"mp4", "webm"}


@dataclass(frozen=True)
class UnitRef:
    id: str
    name: str
    url: str | None  # None when the unit id names no unit


@dataclass(frozen=True)
class ColumnRef:
    id: str
    name: str
    url: str


@dataclass(frozen=True)
class FileLink:
    """A file an item shows in a list (attachment, form) or as media, with its address and kind."""

    title: str
    url: str
    kind: str = ""  # what the editor wrote (附件 kind), shown in brackets
    media: str = "download"  # image, audio, video or download: how a media file is presented
    description: str = ""


def media_kind(rel: str) -> str:
    ext = rel.rsplit(".", 1)[-1].lower() if "." in rel else ""
    if ext in IMAGE_TYPES:
        return "image"
    if ext in AUDIO_TYPES:
        return "audio"
    if ext in VIDEO_TYPES:
        return "video"
    return "download"


@dataclass
class Entry:
    """An item as the site shows it."""

    item: Item
    url: str
    status: Status
    when: datetime
    unit: UnitRef
    column: ColumnRef
    catalogue: "Catalogue" = field(repr=False, compare=False, default=None)

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def type(self) -> str:
        return self.item.type

    @property
    def type_label(self) -> str:
        return TYPES[self.item.type].label

    @property
    def meta(self) -> dict:
        return self.item.meta

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def day(self) -> str:
        return self.when.strftime("%Y-%m-%d")

    @property
    def pubdate(self) -> str:
        return self.when.strftime("%Y-%m-%d %H:%M")

    @property
    def validity(self) -> str | None:
        """A policy's validity as the site shows it now (`policy_validity.validity_on`): the page's 有效性
        row, the library's facet and column, the search filter."""
        return policy_validity.validity_on(self.item, self.catalogue.now.date())

    @property
    def validity_since(self) -> str | None:
        """The day the shown validity took effect (shown beside any validity but 现行有效)."""
        since = policy_validity.validity_since(self.item, self.catalogue.now.date())
        return since.isoformat() if since is not None else None

    @property
    def in_force(self) -> bool:
        """A policy document in force now; every other validity is marked on its page."""
        return self.validity == policy_validity.IN_FORCE

    @property
    def doc_number(self) -> str:
        value = self.meta.get("doc_number")
        return value if isinstance(value, str) and value else NO_DOC_NUMBER

    def files(self, key: str) -> list[FileLink]:
        """The entries of a file list (`attachments`, `forms`, `media`) with their addresses."""
        if key not in {k for k, _ in FILE_KEYS}:
            raise KeyError(f"{key} is not a file list (files.FILE_KEYS)")
        out = []
        for entry in self.meta.get(key) or []:
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                out.append(FileLink(str(entry.get("title") or entry.get("description") or entry["file"]),
                                    file_url(entry["file"]), str(entry.get("kind") or ""),
                                    media_kind(entry["file"]), str(entry.get("description") or "")))
        return out

    @cached_property
    def rendered(self) -> Rendered:
        """The body as HTML; only a live entry's body is ever shown."""
        if not self.status.live:
            return Rendered("", (), ())
        return self.catalogue.render_text(self.item, "body", self.item.body)

    @property
    def html(self) -> str:
        try:
            return self.rendered.html
        except AttributeError as exc:
            # A template reads `entry.html` through getattr, which takes an AttributeError for "no such
            # attribute" and prints nothing: a bug in rendering would publish the page without its body.
            raise RuntimeError(f"{self.item.path}: 正文渲染失败:{exc!r}") from exc


class Catalogue:
    """The items of `repo` as the site shows them as of `now`; `convert` is the Markdown converter its
    texts go through (a build's cache of conversions, `pipeline.core.markdown.to_html` by default)."""

    def __init__(self, repo, now: datetime, convert: Callable[[str], str] | None = None):
        self.repo = repo
        self.now = now
        self.convert = convert
        self.limits = MarkdownLimits.from_settings(repo.settings)  # the check's limits (GK-MD-001..003)
        self.site: dict = repo.site
        self.units: dict[str, Item] = {uid: u for uid, u in sorted(repo.units.items())}
        self.columns: dict[str, dict] = {c["id"]: c for c in repo.columns if isinstance(c.get("id"), str)}
        self.entries: dict[str, Entry] = {}
        for item in repo.items:
            if item.type not in TYPES:
                continue
            state = publication.status(item, now)
            if not state.has_page:
                continue  # absent from every page, listing, feed and search record
            self.entries.setdefault(item.id, Entry(item, item_url(item), state, publication.publication_time(item),
                                                   self.unit_info(item.meta.get("unit")), self.column_info(item),
                                                   self))
        # Published items, newest first (ties broken by id for deterministic output).
        self.listed: list[Entry] = sorted((e for e in self.entries.values() if e.status.live),
                                          key=lambda e: (-e.when.timestamp(), e.id))
        self._by_type: dict[str, list[Entry]] = defaultdict(list)
        self._by_column: dict[str, list[Entry]] = defaultdict(list)
        self._by_unit: dict[str, list[Entry]] = defaultdict(list)
        self._replacing: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.listed:
            self._by_type[entry.type].append(entry)
            self._by_column[entry.column.id].append(entry)
            self._by_unit[entry.unit.id].append(entry)
            replaced = entry.meta.get("replaced_by")
            if entry.type == "policy" and isinstance(replaced, str):
                self._replacing[replaced].append(entry)
        self.interpretations: dict[str, list[Entry]] = {}
        for policy_id, items in interpretations_by_policy(repo).items():
            live = [self.entries[i.id] for i in items if i.id in self.entries and self.entries[i.id].status.live]
            self.interpretations[policy_id] = sorted(live, key=lambda e: (e.when, e.id))

    # --- lookups ---------------------------------------------------------------
    def resolve(self, item_id: str) -> str | None:
        """The address a by-id link leads to: a live item's page, else None."""
        entry = self.entries.get(item_id)
        return entry.url if entry is not None and entry.status.live else None

    def render(self, text: str) -> Rendered:
        return render_markdown(text, self.resolve, self.units, self.convert, self.limits)

    def render_text(self, item: Item, key: str, text: str) -> Rendered:
        """`item`'s Markdown text `key` (its body, a unit's functions) as HTML; a text the renderer refuses
        stops the build with the check's diagnostic at its file and line, never a crash."""
        try:
            return self.render(text)
        except MarkdownTooComplex as exc:
            problem = exc.problem
            shown = next((f for f in item.markdown_fields() if f.pointer == (key,)), None)
            line = shown.line + (problem.line if shown.block else 0) if shown else item.first_line
            raise TextNotRenderable(Diagnostic(item.path, line, 0, problem.code, Severity.ERROR,
                                               problem.message)) from None

    @cached_property
    def unit_html(self) -> dict[str, str]:
        """Each unit page's functions (机构职能), rendered like a body."""
        out = {}
        for uid, unit in self.units.items():
            functions = unit.meta.get("functions")
            out[uid] = self.render_text(unit, "functions", functions if isinstance(functions, str) else "").html
        return out

    def unit_info(self, unit_id) -> UnitRef:
        unit = self.units.get(unit_id)
        name = unit_name(unit_id, unit)  # as the audit, the yearly report and approvals name it
        return UnitRef(unit_id, name, None) if unit is None else UnitRef(unit.id, name, unit_url(unit.id))

    def column_info(self, item: Item) -> ColumnRef:
        column_id = item.meta.get("column") or TYPES[item.type].column
        column = self.columns.get(column_id, {})
        return ColumnRef(column_id, column.get("name", TYPES[item.type].label), column_url(column_id))

    def column_for_type(self, type_name: str) -> ColumnRef | None:
        """The column a type's items are listed in (None when the responsibility table has none)."""
        for column_id, column in self.columns.items():
            if type_name in (column.get("types") or []):
                return ColumnRef(column_id, column.get("name", column_id), column_url(column_id))
        column_id = TYPES[type_name].column
        if column_id in self.columns:
            return ColumnRef(column_id, self.columns[column_id].get("name", column_id), column_url(column_id))
        return None

    def listed_of(self, *types: str) -> list[Entry]:
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        return [e for e in self.listed if e.type in types]

    def in_columns(self, *column_ids: str) -> list[Entry]:
        if len(column_ids) == 1:
            return list(self._by_column.get(column_ids[0], ()))
        return [e for e in self.listed if e.column.id in column_ids]

    def of_unit(self, unit_id: str) -> list[Entry]:
        return list(self._by_unit.get(unit_id, ()))

    def replacing(self, policy_id: str) -> list[Entry]:
        """Live policies whose `replaced_by` names `policy_id`, newest first."""
        return list(self._replacing.get(policy_id, ()))

    def linked(self, ids) -> list[Entry]:
        """The live entries among `ids`, in the order given."""
        out = []
        for i in ids if isinstance(ids, list) else []:
            entry = self.entries.get(i) if isinstance(i, str) else None
            if entry is not None and entry.status.live:
                out.append(entry)
        return out

    def platform_name(self) -> str:
        return str(self.site.get("platform_name") or DEFAULT_PLATFORM_NAME)

    def complaint_phone(self, entry: Entry) -> str:
        return str(entry.meta.get("complaint_phone") or self.site.get("complaint_phone") or DEFAULT_COMPLAINT_PHONE)

    def online_url(self, entry: Entry) -> str | None:
        """Art. 16: every guide links to online handling; the platform's entry page when the item has none."""
        return entry.meta.get("online_url") or self.site.get("platform_url")

    def has_column(self, url: str) -> bool:
        """Whether a column address names a column of the responsibility table (other addresses always exist)."""
        column = column_of(url)
        return column is None or column in self.columns

    @cached_property
    def _moments(self) -> dict[str, datetime | None]:
        by_id = self.repo.by_id
        out = {}
        for item_id, item in by_id.items():
            moments = [publication.next_change(item, self.now)]
            if item.type == "policy":
                moments.append(policy_validity.next_change(item, self.now))
            out[item_id] = min((m for m in moments if m is not None), default=None)
        return out

    def next_change(self, item_id: str) -> datetime | None:
        """When what the site shows of item `item_id` next changes by time alone (its publication or
        withdrawal, a survey's state or result, a policy's validity), or None: the moment a page that
        shows the item, links it or counts it must be written again (`pages.site_pages`)."""
        return self._moments.get(item_id)

    @cached_property
    def history(self):
        """Git history of content files up to `now` (one `git log`, read only when a page shows it)."""
        from pipeline.content.history import ContentHistory

        return ContentHistory(self.repo.root, now=self.now)
