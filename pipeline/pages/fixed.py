"""Pages every portal has whatever its content: the HTML site map, the 404 page, the search page."""
from __future__ import annotations

from pipeline.core.addresses import (ACCESSIBILITY, DATA, DISCLOSURE, HOME, INTERACTION, NOT_FOUND, POLICY_LIBRARY, SEARCH,
                                     SERVICES, SITEMAP, UNITS, column_url)
from pipeline.pages.page import Page, html_page


def sitemap_sections(catalogue) -> list[dict]:
    return [
        {"name": "首页", "url": HOME},
        {"name": "政府信息公开", "url": DISCLOSURE},
        {"name": "政策文件库", "url": POLICY_LIBRARY},
        *({"name": c["name"], "url": column_url(cid)} for cid, c in catalogue.columns.items()),
        {"name": "办事服务", "url": SERVICES},
        {"name": "政民互动", "url": INTERACTION},
        {"name": "机构设置", "url": UNITS},
        {"name": "数据开放", "url": DATA},
        {"name": "无障碍服务", "url": ACCESSIBILITY},
    ]


def fixed_pages(catalogue) -> list[Page]:
    return [
        html_page(SITEMAP, "sitemap.html", lambda: {"title": "网站地图", "sections": sitemap_sections(catalogue)}),
        html_page(ACCESSIBILITY, "accessibility.html", lambda: {"title": "无障碍服务"}),
        html_page(NOT_FOUND, "404.html", lambda: {"title": "页面不存在"}),
        # Only the search page runs Pagefind's WebAssembly (its CSP allows it, see pages.common).
        html_page(SEARCH, "search.html", lambda: {"title": "站内搜索", "wasm": True}),
    ]
