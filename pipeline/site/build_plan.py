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

from pipeline.core.addresses import (DATA, DISCLOSURE, FAVICON, HOME, INTERACTION, POLICY_LIBRARY, SERVICES, UNITS, column_url,
                                     output_name, template_addresses, theme_asset_url, THEME_STATIC)
from pipeline.core.site_items import Catalogue
from pipeline.core.files import files_published
from pipeline.core.markdown import HtmlCache
from pipeline.pages import Page, site_pages
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
