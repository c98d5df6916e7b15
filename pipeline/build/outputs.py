"""What every page shares, and the non-HTML files of the site."""
from __future__ import annotations

import shutil
from pathlib import Path

from .feeds import atom_feed, robots_txt, sitemap_xml

NAV = (
    ("首页", "/"),
    ("政府信息公开", "/xxgk/"),
    ("政策文件", "/policies/"),
    ("政策解读", "/columns/zcjd/"),
    ("办事服务", "/services/"),
    ("政民互动", "/hudong/"),
    ("回应关切", "/columns/hygq/"),
    ("机构设置", "/units/"),
)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'")
# Only the search page runs Pagefind's WebAssembly; inline script stays forbidden there too.
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


def common_context(model) -> dict:
    host = model.unit_info(model.site.get("host_unit"))
    contact = next((e.url for e in model.listed_of("page") if e.meta.get("page_kind") == "联系我们"), host["url"])
    nav = tuple((name, url) for name, url in NAV if model.has_page(url))
    return {"site": model.site, "host": host, "nav": nav, "csp": CSP, "search_csp": SEARCH_CSP, "contact_url": contact}


def extra_files(model) -> dict[str, str]:
    files = {"sitemap.xml": sitemap_xml(model), "robots.txt": robots_txt(model)}
    for column_id in sorted(model.columns):
        files[f"feeds/{column_id}.xml"] = atom_feed(model, column_id)
    return files


def copy_files(model, output: str | Path) -> None:
    """Copy the repository files that published pages use (and only those) to the same path under output/."""
    for rel in model.published_files:
        source = model.repo.assets[rel].path
        target = Path(output) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def write_text(output: str | Path, name: str, text: str) -> None:
    path = Path(output) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
