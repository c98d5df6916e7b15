"""The typed hand-over from the pipeline to Pelican: what to write, with what every page shares.

`plan_site(repo, now)` gathers the catalogue, the pages of every family, the
context all pages share (site identity, navigation, the Content-Security-Policy)
and the repository files published pages use. The Pelican plugin receives a
`SiteBuild` and nothing else: templates see the page's own context and the
shared one, never the repository or the settings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.core.addresses import DATA, DISCLOSURE, HOME, INTERACTION, POLICY_LIBRARY, SERVICES, UNITS, column_url
from pipeline.core.site_items import Catalogue
from pipeline.core.files import files_published
from pipeline.core.markdown import HtmlCache
from pipeline.pages import Page, site_pages
from pipeline.pages.shell import page_shell, shell_context
from pipeline.resources import theme_dir
from pipeline.site.write_pages import Written

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
    files: list[tuple[Path, str]]  # (source file, path inside output/) of every published attachment and medium
    previous: Path | None = None  # the live output: files whose bytes do not change are linked from it
    markdown_cache: HtmlCache | None = None
    pages_written: int = field(default=0)
    written: Written = field(default_factory=Written)  # what the writing changed, for indexing and the link check

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
    host = catalogue.unit_info(catalogue.site.get("host_unit"))
    contact = next((e.url for e in catalogue.listed_of("page") if e.meta.get("page_kind") == "联系我们"), host.url)
    nav = tuple((name, url) for name, url in NAV if catalogue.has_column(url))
    return {"site": catalogue.site, "host": host, "nav": nav, "csp": CSP, "search_csp": SEARCH_CSP,
            "contact_url": contact, "platform_name": catalogue.platform_name(), "portal": shell_context(catalogue)}


def published_files(catalogue: Catalogue) -> list[str]:
    """Files of content/ (relative to it) that live pages use; nothing else is copied.

    An attachment of a scheduled or withdrawn item, a file nobody links, or a conditional dataset's
    data file (`files.files_published`) stays off the site.
    """
    used = set()
    for record in [*(e.item for e in catalogue.listed), *catalogue.units.values()]:
        used |= {use.rel for use in files_published(record)}
    return sorted(rel for rel in used if rel in catalogue.repo.assets)


def plan_site(repo, now: datetime) -> SiteBuild:
    catalogue = Catalogue(repo, now)
    files = [(repo.assets[rel].path, rel) for rel in published_files(catalogue)]
    # Browsers and crawlers ask for /favicon.ico whatever the page says; the theme's icon answers there.
    files.append((theme_dir() / "static" / "favicon.ico", "favicon.ico"))
    return SiteBuild(catalogue, site_pages(catalogue), common_context(catalogue), files)
