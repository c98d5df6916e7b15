"""What every page shares, and the non-HTML files of the site."""
from __future__ import annotations

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


def common_context(model) -> dict:
    host = model.unit_info(model.site.get("host_unit"))
    contact = next((e.url for e in model.listed_of("page") if e.meta.get("page_kind") == "联系我们"), host["url"])
    return {"site": model.site, "host": host, "nav": NAV, "csp": CSP, "contact_url": contact}


def extra_files(model) -> dict[str, str]:
    files = {"sitemap.xml": sitemap_xml(model), "robots.txt": robots_txt(model)}
    for column_id in sorted(model.columns):
        files[f"feeds/{column_id}.xml"] = atom_feed(model, column_id)
    return files


def write_text(output: str | Path, name: str, text: str) -> None:
    path = Path(output) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
