"""The home page, column listings and the government information disclosure section."""
from __future__ import annotations

from collections import defaultdict
from functools import partial

from pipeline.core.addresses import DISCLOSURE, HOME, POLICY_LIBRARY, category_url, column_url, feed_url, unit_url
from pipeline.core.unit_disclosure import platforms
from pipeline.pages import page as dep
from pipeline.pages.page import Page, html_page, paginate
from pipeline.pages.services import services_listing, theme_links
from pipeline.pages.units import unit_groups

HOME_BLOCK = 6
# Home page blocks, in the order an official portal shows them: (title, column ids, "more" URL).
HOME_BLOCKS = (
    ("要闻动态", ("ywdt", "bmdt", "xqdt"), column_url("ywdt")),
    ("通知公告", ("tzgg",), column_url("tzgg")),
    ("政策文件", ("zcwj",), POLICY_LIBRARY),
    ("政策解读", ("zcjd",), column_url("zcjd")),
    ("回应关切", ("hygq",), column_url("hygq")),
)


def _home(catalogue) -> dict:
    blocks = [{"title": title, "more": more if catalogue.has_column(more) else None,
               "entries": catalogue.in_columns(*cols)[:HOME_BLOCK]}
              for title, cols, more in HOME_BLOCKS]
    return {
        "title": "首页", "blocks": blocks, "reports_column": catalogue.column_for_type("report"),
        "services": catalogue.listed_of("service")[:HOME_BLOCK], "themes": theme_links(catalogue),
        "interaction": catalogue.listed_of("letter", "survey", "interview")[:HOME_BLOCK],
        "datasets": catalogue.listed_of("dataset")[:HOME_BLOCK],
    }


def home(catalogue) -> list[Page]:
    blocks = [catalogue.in_columns(*cols)[:HOME_BLOCK] for _, cols, _ in HOME_BLOCKS]
    blocks += [catalogue.listed_of("service")[:HOME_BLOCK], catalogue.listed_of("letter", "survey", "interview")[:HOME_BLOCK],
               catalogue.listed_of("dataset")[:HOME_BLOCK]]
    shown = set().union(*(dep.shown(block) for block in blocks))
    return [html_page(HOME, "index.html", partial(_home, catalogue),
                      shown | {dep.listing("home", [dep.ids(block) for block in blocks]), services_listing(catalogue)})]


def column_pages(catalogue) -> list[Page]:
    pages = []
    for column_id, column in catalogue.columns.items():
        entries = catalogue.in_columns(column_id)
        held = dep.listing(f"column:{column_id}", dep.ids(entries))  # once per column: every page of it holds it
        for page_url, chunk, pager in paginate(column_url(column_id), entries):
            context = {"title": column["name"], "entries": chunk, "pager": pager, "column": column,
                       "feed": feed_url(column_id)}
            pages.append(html_page(page_url, "listing.html", partial(dict, context),
                                   dep.shown(chunk) | {held}))
    return pages


def _disclosure_index(catalogue, categories, pages_by_kind) -> dict:
    return {"title": "政府信息公开", "categories": categories, "guides": pages_by_kind.get("公开指南", []),
            "rules": pages_by_kind.get("公开制度", []), "apply": pages_by_kind.get("依申请公开", []),
            "reports": catalogue.listed_of("report"), "unit_groups": unit_groups(catalogue)}


def disclosure_pages(catalogue) -> list[Page]:
    labels = catalogue.repo.schemas.category_labels
    by_category = defaultdict(list)
    for e in catalogue.listed:
        category = e.meta.get("disclosure_category")
        if category in labels:
            by_category[category].append(e)
    pages_by_kind = defaultdict(list)
    for e in catalogue.listed_of("page"):
        pages_by_kind[e.meta.get("page_kind")].append(e)
    categories = [{"id": c, "name": name, "url": category_url(c), "count": len(by_category[c])}
                  for c, name in labels.items()]
    index_shows = dep.shown(catalogue.listed_of("page")) | dep.shown(catalogue.listed_of("report"))
    # The index counts each category's items and lists the pages by kind.
    held = [(c["id"], c["count"]) for c in categories] + sorted((e.id, str(k)) for k, es in pages_by_kind.items() for e in es)
    pages = [html_page(DISCLOSURE, "disclosure.html", partial(_disclosure_index, catalogue, categories, pages_by_kind),
                       index_shows | {dep.listing("disclosure", held + dep.ids(catalogue.listed_of("report")))})]
    elsewhere = _platforms_by_category(catalogue)
    for category in categories:
        on_platforms = elsewhere.get(category["id"], [])
        held = dep.listing(f"category:{category['id']}", dep.ids(by_category[category["id"]]))
        for page_url, chunk, pager in paginate(category["url"], by_category[category["id"]]):
            context = {"title": f"法定主动公开内容:{category['name']}", "entries": chunk, "pager": pager,
                       "parent": {"name": "政府信息公开", "url": DISCLOSURE}, "platforms": on_platforms}
            pages.append(html_page(page_url, "listing.html", partial(dict, context),
                                   dep.shown(chunk)
                                   | {held}
                                   | {dep.unit(p["unit_id"]) for p in on_platforms}))
    return pages


def _platforms_by_category(catalogue) -> dict[str, list[dict]]:
    """Category → the units that publish it on a dedicated platform, for the category's listing."""
    by_category = defaultdict(list)
    for uid, unit in catalogue.units.items():
        for category, platform in platforms(unit).items():
            by_category[category].append({"unit_id": uid, "unit": catalogue.unit_info(uid).name, "unit_url": unit_url(uid),
                                          "platform": platform.name, "url": platform.url})
    return by_category
