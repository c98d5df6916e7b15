"""The typed hand-over from the pipeline to Pelican: what to write, with what every page shares.

`plan_site(repo, now)` gathers the catalogue, the pages of every family, the
context all pages share (site identity, navigation, the Content-Security-Policy)
and the repository files published pages use. The Pelican plugin receives a
`SiteBuild` and nothing else: templates see the page's own context and the
shared one, never the repository or the settings.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import jinja2
from jinja2 import meta as jinja_meta

from pipeline.core.addresses import (DATA, DISCLOSURE, FAVICON, HOME, INTERACTION, POLICY_LIBRARY, SERVICES, UNITS, column_url,
                                     output_name, template_addresses, theme_asset_url, THEME_STATIC)
from pipeline.core.site_items import Catalogue
from pipeline.core.files import files_published
from pipeline.core.markdown import HtmlCache
from pipeline.pages import Page, site_pages
from pipeline.pages import page as dep
from pipeline.resources import pelican_settings, plugin_dir, schema_dir
from pipeline.pages.shell import page_shell, shell_context
from pipeline.site.vendor import echarts_files
from pipeline.site.write_pages import Written

CHART_SUFFIX = ".chart.json"  # a dataset's chart data: its page draws it with ECharts

NAV = (
    ("首页", HOME),
    ("政府信息公开", DISCLOSURE),
    ("政策文件", POLICY_LIBRARY),
    ("政策解读", column_url("zcjd")),
    ("办事服务", SERVICES),
    ("政民互动", INTERACTION),
    ("回应关切", column_url("hygq")),
    ("机构设置", UNITS),
    ("数据开放", DATA),
)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'")
# Only the search page runs Pagefind's WebAssembly; inline script stays forbidden there too.
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


@dataclass
class SiteBuild:
    catalogue: Catalogue
    pages: list[Page]
    common: dict  # the context every template sees besides its page's own
    # (source file, path inside output/) of every published attachment and medium, and of the theme's files
    files: list[tuple[Path, str]]
    markdown_cache: HtmlCache  # conversions kept between builds; the catalogue renders Markdown through it
    previous: Path | None = None  # the live output: files whose bytes do not change are linked from it
    # Output name -> the hash of its search record's bytes, of the pages kept from the live output without
    # rendering (their key is unchanged and no moment of theirs has come: `site.build_cache.pages_to_keep`).
    kept: dict[str, str | None] = field(default_factory=dict)
    # Output names the staging folder already holds as the live site's files (hard links of them: a spare
    # site pruned by `site.staging.prune_to`); a writer replaces such a file, never writes through it.
    present: set[str] = field(default_factory=set)
    # Every file of the live output but its search bundle, as the build that made it recorded (None: not known).
    live_files: frozenset[str] | None = None
    # What the plugin wrote, for indexing and the link check (it is set there: Pelican's run returns nothing).
    written: Written = field(default_factory=Written)

    def monitoring_meta(self, context: dict) -> list[tuple[str, str]]:
        """The <meta> tags national monitoring crawlers read on government sites, in their usual order."""
        site = self.catalogue.site
        out = [("SiteName", site.get("name", "")), ("SiteDomain", site.get("domain", "")),
               ("SiteIDCode", str(site.get("site_id_code", "")))]
        entry = context.get("entry")
        if entry is not None:
            out += [("ColumnName", entry.column.name), ("ColumnType", entry.type_label),
                    ("ArticleTitle", entry.title), ("PubDate", entry.pubdate), ("ContentSource", entry.unit.name)]
        else:
            column = context.get("column")
            name = column["name"] if column else context.get("title", "")
            out += [("ColumnName", name), ("ColumnType", name)]
        return out

    def page_shell(self, url: str, context: dict) -> dict:
        """The page's description and error-report address (pipeline.pages.shell decides both)."""
        return page_shell(self.catalogue, url, context)


def common_context(catalogue: Catalogue) -> dict:
    host = catalogue.unit_info(catalogue.repo.host_unit)
    contact = next((e.url for e in catalogue.listed_of("page") if e.meta.get("page_kind") == "联系我们"), host.url)
    nav = tuple((name, url) for name, url in NAV if catalogue.has_column(url))
    return {"site": catalogue.site, "host": host, "nav": nav, "csp": CSP, "search_csp": SEARCH_CSP,
            "contact_url": contact, "platform_name": catalogue.platform_name(), "portal": shell_context(catalogue),
            # Templates link only to what these give them (pipeline.core.addresses): never a written address.
            "addresses": template_addresses(), "theme_url": theme_asset_url}


def published_files(catalogue: Catalogue) -> list[str]:
    """Files of content/ (relative to it) that live pages use; nothing else is copied.

    An attachment of a scheduled or withdrawn item, a file nobody links, or a conditional dataset's
    data file (`files.files_published`) stays off the site.
    """
    used = set()
    for record in [*(e.item for e in catalogue.listed), *catalogue.units.values()]:
        used |= {use.rel for use in files_published(record)}
    return sorted(rel for rel in used if rel in catalogue.repo.assets)


def theme_files(theme: Path) -> list[tuple[Path, str]]:
    """The theme's static files, served under /theme/ (where its templates name them)."""
    static = theme / "static"
    return [(path, f"{THEME_STATIC}/{path.relative_to(static).as_posix()}")
            for path in sorted(static.rglob("*")) if path.is_file()]


def plan_site(repo, now: datetime, theme: Path, markdown_cache: HtmlCache | None = None) -> SiteBuild:
    markdown_cache = markdown_cache or HtmlCache()
    catalogue = Catalogue(repo, now, markdown_cache.convert)
    pages = site_pages(catalogue)
    files = [(repo.assets[rel].path, rel) for rel in published_files(catalogue)] + theme_files(theme)
    # Browsers and crawlers ask for /favicon.ico whatever the page says; the theme's icon answers there.
    files.append((theme / "static" / "favicon.ico", output_name(FAVICON)))
    if any(output_name(p.url).endswith(CHART_SUFFIX) for p in pages):
        files += echarts_files(repo.root)
    return SiteBuild(catalogue, pages, common_context(catalogue), files, markdown_cache)


# --- what each page's bytes are made from, as hashes: the key a later build compares -------------------

@lru_cache(maxsize=1)
def code_version() -> str:
    """Everything besides a page's declared dependencies that its bytes follow: the pipeline's code and data,
    the plugin, Pelican's settings, the schemas (labels) and the versions of Jinja2, Pelican and Markdown."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parents[1]
    files = [p for p in sorted(package.rglob("*")) if p.suffix in (".py", ".yaml", ".json") and p.is_file()]
    files += sorted(p for p in plugin_dir().rglob("*.py") if p.is_file()) + [pelican_settings()]
    files += sorted(p for p in schema_dir().rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("jinja2", "pelican", "markdown", "nh3"):
        digest.update(f"{name}={version(name)};".encode())
    return digest.hexdigest()


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update((part.encode("utf-8") if isinstance(part, str) else part) + b"\0")
    return digest.hexdigest()


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _record(item, digests: dict[str, str]) -> str:
    """An item's or unit's own content: its file as the loader read it (the hash of the bytes it read, or,
    for a record it did not read from a file, the parsed text)."""
    read = digests.get(item.path)
    if read is not None:
        return _digest(item.path, item.type, read)
    return _digest(item.path, item.type, "\n".join(item.meta_lines), item.body)


class Templates:
    """A template's source with every template it extends, includes or imports, transitively (Jinja2's
    AST: `find_referenced_templates`). A name it cannot know (a variable) makes every template count."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = jinja2.Environment()
        self._sources: dict[str, str] = {}
        self._names: dict[str, set[str]] = {}
        self._hashes: dict[str, str] = {}

    def _source(self, name: str) -> str:
        if name not in self._sources:
            path = self.folder / name
            self._sources[name] = path.read_text(encoding="utf-8") if path.is_file() else f"\0missing:{name}"
        return self._sources[name]

    def _direct(self, name: str) -> set[str]:
        """The templates `name` itself names (every one when a name is a variable)."""
        if name not in self._names:
            source = self._source(name)
            names = set() if source.startswith("\0missing:") else \
                set(jinja_meta.find_referenced_templates(self.env.parse(source)))
            if None in names:
                names = {p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*.html")}
            self._names[name] = names
        return self._names[name]

    def referenced(self, name: str) -> set[str]:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += sorted(self._direct(current))
        return seen

    def hash(self, name: str) -> str:
        if name not in self._hashes:
            self._hashes[name] = _digest(*(f"{n}\0{self._source(n)}" for n in sorted(self.referenced(name))))
        return self._hashes[name]


class DependencyHashes:
    """The hash of what a dependency key names, as of this build; None for a key it cannot hash (the page
    is then always rendered)."""

    def __init__(self, catalogue: Catalogue, theme: Path):
        self.catalogue = catalogue
        repo = catalogue.repo
        self.by_id = repo.by_id
        self.templates = Templates(theme / "templates")
        self._fixed = {dep.SITE: _digest(_json(repo.site)), dep.SETTINGS: _digest(_json(repo.settings)),
                       dep.COLUMNS: _digest(_json(repo.columns)),
                       dep.UNITS: _digest(*(_record(u, repo.digests) for _, u in sorted(repo.units.items())))}
        self._memo: dict[str, str | None] = {}

    def __call__(self, key: str) -> str | None:
        if key in self._fixed:
            return self._fixed[key]
        if key not in self._memo:
            self._memo[key] = self._hash(key)
        return self._memo[key]

    def _hash(self, key: str) -> str | None:
        kind, _, name = key.partition(":")
        if kind == "listing":
            return ""  # the key carries its members' digest (`pages.page.listing`)
        if kind == "item":
            item = self.by_id.get(name)
            return _record(item, self.catalogue.repo.digests) if item is not None else "absent"
        if kind == "unit":
            unit = self.catalogue.repo.units.get(name)
            return _record(unit, self.catalogue.repo.digests) if unit is not None else "absent"
        if kind == "template":
            return self.templates.hash(name)
        if kind == "file":
            asset = self.catalogue.repo.assets.get(name)
            return _digest(asset.path.read_bytes()) if asset is not None else "absent"
        if kind == "history":
            return _digest(repr(self.catalogue.history.for_path(name)))
        return None


def page_keys(build: SiteBuild, theme: Path) -> dict[str, str | None]:
    """Output name -> the key of the page's bytes: the code, its address and template, and every dependency
    with its hash. None when a dependency cannot be hashed: such a page is rendered every time."""
    hashes = DependencyHashes(build.catalogue, theme)
    # What every template sees besides its page's own context (common_context): the 联系我们 page's address
    # comes from the catalogue, so it is hashed as of this build like a dependency of every page.
    shared = _digest(repr([(k, v) for k, v in sorted(build.common.items()) if not callable(v)]))
    code = code_version()
    keys = {}
    for page in build.pages:
        parts = [code, shared, page.url, page.template or ""]
        for key in sorted(page.depends):
            value = hashes(key)
            if value is None:
                parts = None
                break
            parts += [key, value]
        keys[output_name(page.url)] = _digest(*parts) if parts is not None else None
    return keys
