"""The policy library (政策文件库): every live policy, and listings by validity, type, unit and year."""
from __future__ import annotations

from collections import defaultdict
from functools import partial

from pipeline.core.addresses import POLICY_LIBRARY, policy_facet_url
from pipeline.core.policy_validity import EXPIRED, IN_FORCE
from pipeline.pages import page as dep
from pipeline.pages.page import Page, html_page, paginate

VALIDITY_SLUGS = {IN_FORCE: "current", "已修订": "amended", "已废止": "repealed", EXPIRED: "expired"}
DOC_TYPE_SLUGS = {"规章": "rules", "行政规范性文件": "normative", "其他文件": "other"}


def policy_facets(catalogue) -> list[dict]:
    policies = catalogue.listed_of("policy")
    facets = []
    for label, key, slugs, base in (("有效性", "validity", VALIDITY_SLUGS, "validity"),
                                    ("文件类型", "doc_type", DOC_TYPE_SLUGS, "type")):
        # Validity as shown today (`policy_validity.validity_on`), not as written: a term that ran out is 失效.
        value = (lambda e: e.validity) if key == "validity" else (lambda e, key=key: e.meta.get(key))
        options = [{"name": name, "url": policy_facet_url(base, slug),
                    "entries": [e for e in policies if value(e) == name]} for name, slug in slugs.items()]
        facets.append({"label": label, "options": [o for o in options if o["entries"]]})
    by_unit = defaultdict(list)
    by_year = defaultdict(list)
    for e in policies:
        by_unit[e.unit.id].append(e)
        by_year[str(e.when.year)].append(e)
    facets.append({"label": "发布机构", "options": [
        {"name": catalogue.unit_info(u).name, "url": policy_facet_url("unit", u), "entries": by_unit[u]}
        for u in sorted(by_unit)]})
    facets.append({"label": "年份", "options": [
        {"name": f"{y}年", "url": policy_facet_url("year", y), "entries": by_year[y]} for y in sorted(by_year, reverse=True)]})
    return facets


def policy_library(catalogue) -> list[Page]:
    facets = policy_facets(catalogue)
    nav = [{"label": f["label"], "options": [{"name": o["name"], "url": o["url"], "count": len(o["entries"])}
                                              for o in f["options"]]} for f in facets]
    listings = [(POLICY_LIBRARY, "政策文件库", catalogue.listed_of("policy"))]
    for facet in facets:
        for option in facet["options"]:
            listings.append((option["url"], f"政策文件库:{facet['label']} {option['name']}", option["entries"]))
    # The facets count every live policy by validity, type, unit and year; validity changes on its own with
    # the day (a term that runs out): then every page of the library does.
    policies = catalogue.listed_of("policy")
    held = dep.listing("policies", [(e.id, e.validity, str(e.meta.get("doc_type")), e.unit.id, e.when.year)
                                    for e in policies])
    changes_at = dep.earliest(*(catalogue.next_change(e.id) for e in policies))
    pages = []
    for url, title, entries in listings:
        for page_url, chunk, pager in paginate(url, entries):
            context = {"title": title, "entries": chunk, "pager": pager, "facets": nav, "current": url}
            # The facet counts on every page come from all live policies.
            pages.append(html_page(page_url, "policy_library.html", partial(dict, context),
                                   dep.shown(chunk) | {held}, changes_at=changes_at))
    return pages
