"""Every address the site uses, in one place. Addresses derive from ids and types, never from titles.

The page builders, feeds, the register, approval plans and the former-address
claims all build addresses with these functions, so no shape is written twice.
"""
from __future__ import annotations

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
NOT_FOUND = "/404.html"
SITEMAP_XML = "/sitemap.xml"
ROBOTS = "/robots.txt"
DATA = "/data/"  # 数据开放: the datasets, the catalogue in three formats, the API's description
DATA_STATISTICS = "/data/statistics/"  # 统计数据: the statistical datasets
DATA_CATALOG_JSONLD = "/data/catalog.jsonld"  # DCAT, JSON-LD
DATA_JSON = "/data/data.json"  # Project Open Data (DCAT-US 1.1)
DATA_CATALOG_CSV = "/data/catalog.csv"
API = "/api/v1/"  # the static JSON API; v1 stays as documented on /data/
API_DATASETS = "/api/v1/datasets.json"
# Folders of output/ that hold no pages: the theme's assets and the search bundle.
ASSET_FOLDERS = ("theme", "pagefind")


def item_path(type_name: str, item_id: str) -> str:
    return f"/{TYPES[type_name].folder}/{item_id}/"


def item_url(item) -> str:
    return item_path(item.type, item.id)


def unit_url(unit_id: str) -> str:
    return f"{UNITS}{unit_id}/"


def column_url(column_id: str) -> str:
    return f"/columns/{column_id}/"


def feed_url(column_id: str) -> str:
    return f"/feeds/{column_id}.xml"


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
