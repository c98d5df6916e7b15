"""Every address the site uses, in one place. Addresses derive from ids and types, never from titles.

The page builders, feeds, the register, approval plans and the former-address
claims all build addresses with these functions, so no shape is written twice.
"""
from __future__ import annotations

from functools import lru_cache

from urllib.parse import unquote

from pipeline.content.types import TYPES

HOME = "/"
DISCLOSURE = "/xxgk/"
POLICY_LIBRARY = "/policies/"
SERVICES = "/services/"
INTERACTION = "/hudong/"
UNITS = "/units/"
SITEMAP = "/sitemap/"
SEARCH = "/search/"
# 无障碍服务: what the site offers people who read with a screen reader, a keyboard or large type
# (linked from every page's header and footer; the aids themselves are a11y.js, served from the site).
ACCESSIBILITY = "/wza/"
COLUMNS = "/columns/"  # a column's listing is COLUMNS + its id + "/"
FEEDS = "/feeds/"
NOT_FOUND = "/404.html"
SITEMAP_XML = "/sitemap.xml"
ROBOTS = "/robots.txt"
FAVICON = "/favicon.ico"  # browsers and crawlers ask for it whatever the page says
NGINX_REDIRECTS = "/_server/nginx-redirects.conf"  # the redirects as nginx rules, next to the site, never linked
DATA = "/data/"  # 数据开放: the datasets, the catalogue in three formats, the API's description
DATA_STATISTICS = "/data/statistics/"  # 统计数据: the statistical datasets
DATA_CATALOG_JSONLD = "/data/catalog.jsonld"  # DCAT, JSON-LD
DATA_JSON = "/data/data.json"  # Project Open Data (DCAT-US 1.1)
DATA_CATALOG_CSV = "/data/catalog.csv"
API = "/api/v1/"  # the static JSON API; v1 stays as documented on /data/
API_DATASETS = "/api/v1/datasets.json"
# The folder of output/ that holds the theme's static files (copied by the build plan, site.build_plan.theme_files).
THEME_STATIC = "theme"
# Folders of output/ that hold no pages: the theme's assets and the search bundle.
ASSET_FOLDERS = (THEME_STATIC, "pagefind")


def item_path(type_name: str, item_id: str) -> str:
    return f"/{TYPES[type_name].folder}/{item_id}/"


def item_url(item) -> str:
    return item_path(item.type, item.id)


def unit_url(unit_id: str) -> str:
    return f"{UNITS}{unit_id}/"


def column_url(column_id: str) -> str:
    return f"{COLUMNS}{column_id}/"


def column_of(url: str) -> str | None:
    """The column id of a column's address (also of its later pages), None for any other address."""
    if not url.startswith(COLUMNS):
        return None
    return url[len(COLUMNS):].split("/", 1)[0]


def feed_url(column_id: str) -> str:
    return f"{FEEDS}{column_id}.xml"


def theme_asset_url(rel: str) -> str:
    """A static file of the theme (`css/portal.css`, `images/favicon.svg`) as served from the site."""
    return f"/{THEME_STATIC}/{rel.lstrip('/')}"


def template_addresses() -> dict[str, str]:
    """The fixed addresses templates link to, by name (`addresses.search`): templates never spell one."""
    return {
        "home": HOME, "disclosure": DISCLOSURE, "policy_library": POLICY_LIBRARY, "services": SERVICES,
        "interaction": INTERACTION, "units": UNITS, "sitemap": SITEMAP, "search": SEARCH,
        "accessibility": ACCESSIBILITY, "data": DATA, "data_statistics": DATA_STATISTICS,
        "api_datasets": API_DATASETS, "favicon": FAVICON,
    }


def dataset_download_url(dataset_id: str, resource: str, kind: str) -> str:
    """A resource's download: `csv` (UTF-8), `excel` (UTF-8 with BOM and CRLF, for Excel on Chinese Windows), `json`."""
    suffix = {"csv": ".csv", "excel": "-excel.csv", "json": ".json"}[kind]
    return f"{item_path('dataset', dataset_id)}{resource}{suffix}"


def chart_data_url(dataset_id: str, resource: str) -> str:
    return f"{item_path('dataset', dataset_id)}{resource}.chart.json"


def datapackage_url(dataset_id: str) -> str:
    return f"{item_path('dataset', dataset_id)}datapackage.json"


def api_records_url(dataset_id: str, resource: str, page: int = 1) -> str:
    """Page `page` (1-based) of a resource's records in the static API."""
    return f"{API}datasets/{dataset_id}/{resource}/{page}.json"


def policy_facet_url(facet: str, value: str) -> str:
    """A policy-library listing narrowed by one facet (validity, type, unit, year)."""
    return f"{POLICY_LIBRARY}{facet}/{value}/"


def category_url(category_id: str) -> str:
    return f"{DISCLOSURE}categories/{category_id}/"


def service_group_url(group: str, slug: str) -> str:
    """Services for one audience (`audience`) or theme (`theme`)."""
    return f"{SERVICES}{group}/{slug}/"


def listing_page_url(url: str, number: int) -> str:
    """Page `number` (1-based) of the listing at `url`."""
    return url if number == 1 else f"{url}page/{number}/"


def file_url(rel: str) -> str:
    """A repository file (written relative to content/) as served from the site."""
    return "/" + rel.lstrip("/")


class UnsafeURL(ValueError):
    """A site path that cannot be a file inside output/ (it climbs out, or carries a query)."""


@lru_cache(maxsize=1 << 18)  # every stage of a build asks for each page's name, several times
def output_name(url: str) -> str:
    """Where a URL's page is written inside output/, relative to it.

    `/a/b/` and `/a/b` (no file extension) become `a/b/index.html`, which is
    what a static server answers for both; `/a/b.html` stays a file.
    Percent-escapes are decoded as the server decodes them.
    """
    if not url.startswith("/") or "?" in url or "#" in url or "\\" in url:
        raise UnsafeURL(url)
    segments = unquote(url).split("/")[1:]
    if any(s in (".", "..") or "\0" in s for s in segments):
        raise UnsafeURL(url)
    path = "/".join(s for s in segments if s)
    if not path:
        return "index.html"
    if url.endswith("/") or "." not in segments[-1]:
        return path + "/index.html"
    return path
