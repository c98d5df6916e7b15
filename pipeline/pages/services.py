"""Services (办事服务, Art. 16-17): by audience and by theme."""
from __future__ import annotations

from functools import partial

from pipeline.core.addresses import SERVICES, service_group_url
from pipeline.pages import page as dep
from pipeline.pages.page import Page, html_page

AUDIENCE_SLUGS = {"个人": "personal", "法人": "legal"}
THEME_SLUGS = {
    "教育": "education", "医疗": "medical", "社会保障": "social-security", "就业": "employment",
    "住房": "housing", "交通": "transport", "证件办理": "certificates", "企业开办": "business-startup",
    "资质认证": "qualification", "婚育收养": "marriage-adoption", "经营纳税": "tax", "公用事业": "utilities",
}


def theme_links(catalogue) -> list[dict]:
    """The twelve service themes of Art. 17, each with its address and number of live guides."""
    services = catalogue.listed_of("service")
    return [{"name": t, "url": service_group_url("theme", slug), "count": sum(1 for e in services if e.meta.get("theme") == t)}
            for t, slug in THEME_SLUGS.items()]


def services_listing(catalogue) -> str:
    """The live guides and the audiences and themes they are grouped by (and counted under)."""
    return dep.listing("services", sorted((e.id, str(e.meta.get("theme")), str(e.meta.get("audience")))
                                          for e in catalogue.listed_of("service")))


def service_pages(catalogue) -> list[Page]:
    services = sorted(catalogue.listed_of("service"), key=lambda e: e.id)
    audiences = [{"name": a, "url": service_group_url("audience", slug),
                  "entries": [e for e in services if a in (e.meta.get("audience") or [])]}
                 for a, slug in AUDIENCE_SLUGS.items()]
    themes = [{**t, "entries": [e for e in services if e.meta.get("theme") == t["name"]]} for t in theme_links(catalogue)]
    depends = dep.shown(services) | {services_listing(catalogue)}
    pages = [html_page(SERVICES, "services.html", partial(dict, {
        "title": "办事服务", "audiences": audiences, "themes": themes}), depends)]
    for group in audiences + themes:
        pages.append(html_page(group["url"], "services.html", partial(dict, {
            "title": f"办事服务:{group['name']}", "group": group, "audiences": audiences, "themes": themes}),
            depends))
    return pages
