"""The portal as data: every page to write, with its template and context.

Everything a template shows is decided here (what is published, where it is
listed, how items relate); templates only present it. The Pelican plugin
hands these pages to Pelican's writer.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .. import publication
from ..relations import interpretations_by_policy
from ..repository import Repository
from ..timeutil import parse_when
from ..types import TYPES
from .history import History
from .markdown_render import MarkdownRenderer
from .urls import UnsafeURL, column_url, item_url, output_name, unit_url

PER_PAGE = 20
HOME_BLOCK = 6

VALIDITY_SLUGS = {"现行有效": "current", "已修订": "amended", "已废止": "repealed", "失效": "expired"}
DOC_TYPE_SLUGS = {"规章": "rules", "行政规范性文件": "normative", "其他文件": "other"}
AUDIENCE_SLUGS = {"个人": "personal", "法人": "legal"}
THEME_SLUGS = {
    "教育": "education", "医疗": "medical", "社会保障": "social-security", "就业": "employment",
    "住房": "housing", "交通": "transport", "证件办理": "certificates", "企业开办": "business-startup",
    "资质认证": "qualification", "婚育收养": "marriage-adoption", "经营纳税": "tax", "公用事业": "utilities",
}
# Home page blocks, in the order an official portal shows them: (title, column ids, "more" URL).
HOME_BLOCKS = (
    ("要闻动态", ("ywdt", "bmdt", "xqdt"), "/columns/ywdt/"),
    ("通知公告", ("tzgg",), "/columns/tzgg/"),
    ("政策文件", ("zcwj",), "/policies/"),
    ("政策解读", ("zcjd",), "/columns/zcjd/"),
    ("回应关切", ("hygq",), "/columns/hygq/"),
)


@dataclass
class Page:
    url: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass
class Entry:
    """An item as the site shows it."""

    item: object
    url: str
    status: str
    when: datetime
    unit: dict
    column: dict
    html: str = ""

    @property
    def id(self):
        return self.item.id

    @property
    def type(self):
        return self.item.type

    @property
    def type_label(self):
        return TYPES[self.item.type].label

    @property
    def meta(self):
        return self.item.meta

    @property
    def title(self):
        return self.item.title

    @property
    def day(self) -> str:
        return self.when.strftime("%Y-%m-%d")

    @property
    def pubdate(self) -> str:
        return self.when.strftime("%Y-%m-%d %H:%M")


def _paginate(url: str, entries: list, per_page: int = PER_PAGE):
    """Yield (page_url, page_entries, pager) for a listing split into pages."""
    total = max(1, -(-len(entries) // per_page))
    for number in range(1, total + 1):
        page_url = url if number == 1 else f"{url}page/{number}/"
        pager = {
            "number": number, "total": total,
            "prev": (url if number == 2 else f"{url}page/{number - 1}/") if number > 1 else None,
            "next": f"{url}page/{number + 1}/" if number < total else None,
        }
        yield page_url, entries[(number - 1) * per_page:number * per_page], pager


class SiteModel:
    def __init__(self, repo: Repository, now: datetime):
        self.repo = repo
        self.now = now
        self.site = repo.site
        self.units = {uid: u for uid, u in sorted(repo.units.items())}
        self.columns = {c["id"]: c for c in repo.columns}
        self.entries: dict[str, Entry] = {}
        for item in repo.items:
            state = publication.status(item, now)
            if state in (publication.FUTURE, publication.HIDDEN):
                continue  # absent from every page, listing, feed and search record
            self.entries[item.id] = Entry(item, item_url(item), state, publication.publication_time(item),
                                          self.unit_info(item.meta.get("unit")), self.column_info(item))
        self.renderer = MarkdownRenderer(self._resolve, set(self.units))
        for entry in self.entries.values():
            if entry.status == publication.PUBLISHED:
                entry.html = self.renderer.render(entry.item.body)
        self.unit_html = {uid: self.renderer.render(u.meta.get("functions", "")) for uid, u in self.units.items()}

    # --- what else reaches the site ------------------------------------------
    @cached_property
    def published_files(self) -> list[str]:
        """Files of content/ (relative to it) that published pages use; nothing else is copied.

        An attachment of a scheduled or withdrawn item, or a file nobody links,
        stays off the site.
        """
        used = set(self.renderer.files)
        for entry in self.listed:
            for key in ("attachments", "forms", "media"):
                for ref in entry.meta.get(key) or []:
                    if isinstance(ref, dict) and isinstance(ref.get("file"), str):
                        used.add(ref["file"])
        return sorted(rel for rel in (u.lstrip("/") for u in used) if rel in self.repo.assets)

    @cached_property
    def history(self) -> History:
        return History(self.repo.root, now=self.now)

    def column_for_type(self, type_name: str) -> dict | None:
        """The column a type's items are listed in (None when the responsibility table has none)."""
        for column_id, column in self.columns.items():
            if type_name in (column.get("types") or []):
                return {"id": column_id, "name": column.get("name", column_id), "url": column_url(column_id)}
        column_id = TYPES[type_name].column
        if column_id in self.columns:
            return {"id": column_id, "name": self.columns[column_id].get("name", column_id), "url": column_url(column_id)}
        return None

    def monitoring_meta(self, page: "Page") -> list[tuple[str, str]]:
        """The <meta> tags national monitoring crawlers read on government sites, in their usual order."""
        out = [("SiteName", self.site.get("name", "")), ("SiteDomain", self.site.get("domain", "")),
               ("SiteIDCode", str(self.site.get("site_id_code", "")))]
        entry = page.context.get("entry")
        if entry is not None:
            out += [("ColumnName", entry.column["name"]), ("ColumnType", entry.type_label),
                    ("ArticleTitle", entry.title), ("PubDate", entry.pubdate), ("ContentSource", entry.unit["name"])]
        else:
            column = page.context.get("column")
            name = column["name"] if column else page.context.get("title", "")
            out += [("ColumnName", name), ("ColumnType", name)]
        return out

    def search_record(self, entry: Entry) -> dict:
        """What the search index keeps of an item besides its main content: shown
        metadata, the filters citizens narrow by, and the date to sort by."""
        meta = entry.meta
        labels = self.repo.schemas.category_short_labels
        shown = [("unit", entry.unit["name"]), ("date", entry.day), ("type", entry.type_label)]
        if isinstance(meta.get("doc_number"), str):
            shown.append(("doc_number", meta["doc_number"]))
        filters = [("单位", entry.unit["name"]), ("类型", entry.type_label), ("年份", f"{entry.when.year}年")]
        if meta.get("disclosure_category") in labels:
            filters.append(("公开类别", labels[meta["disclosure_category"]]))
        if isinstance(meta.get("validity"), str):
            filters.append(("有效性", meta["validity"]))
        return {"meta": shown, "filters": filters, "sort": [("date", entry.pubdate)]}

    # --- lookups ------------------------------------------------------------
    def _resolve(self, item_id):
        entry = self.entries.get(item_id)
        return entry.url if entry and entry.status == publication.PUBLISHED else None

    def unit_info(self, unit_id) -> dict:
        unit = self.units.get(unit_id)
        if unit is None:
            return {"id": unit_id, "name": str(unit_id or ""), "url": None}
        return {"id": unit.id, "name": unit.meta.get("name", unit.id), "url": unit_url(unit.id)}

    def column_info(self, item) -> dict:
        column_id = item.meta.get("column") or TYPES[item.type].column
        column = self.columns.get(column_id, {})
        return {"id": column_id, "name": column.get("name", TYPES[item.type].label), "url": column_url(column_id)}

    @cached_property
    def listed(self) -> list[Entry]:
        """Published items, newest first (ties broken by id for deterministic output)."""
        out = [e for e in self.entries.values() if e.status == publication.PUBLISHED]
        return sorted(out, key=lambda e: (-e.when.timestamp(), e.id))

    def listed_of(self, *types) -> list[Entry]:
        return [e for e in self.listed if e.type in types]

    def in_columns(self, *column_ids) -> list[Entry]:
        return [e for e in self.listed if e.column["id"] in column_ids]

    @cached_property
    def interpretations(self) -> dict[str, list[Entry]]:
        out = {}
        for policy_id, items in interpretations_by_policy(self.repo).items():
            listed = [self.entries[i.id] for i in items if i.id in self.entries and self.entries[i.id].status == publication.PUBLISHED]
            out[policy_id] = sorted(listed, key=lambda e: (e.when, e.id))
        return out

    def linked(self, ids) -> list[Entry]:
        return [self.entries[i] for i in ids or [] if i in self.entries and self.entries[i].status == publication.PUBLISHED]

    # --- pages ------------------------------------------------------------------
    def pages(self) -> list[Page]:
        pages: list[Page] = [self.home()]
        pages += self.item_pages()
        pages += self.column_pages()
        pages += self.policy_library()
        pages += self.disclosure_pages()
        pages += self.service_pages()
        pages += self.interaction_pages()
        pages += self.unit_pages()
        pages.append(Page("/sitemap/", "sitemap.html", {"title": "网站地图", "sections": self.sitemap_sections()}))
        pages.append(Page("/404.html", "404.html", {"title": "页面不存在"}))
        pages.append(Page("/search/", "search.html", {"title": "站内搜索", "wasm": True}))
        pages += self.redirect_pages({output_name(p.url) for p in pages})
        return pages

    def home(self) -> Page:
        blocks = [{"title": title, "more": more if self.has_page(more) else None,
                   "entries": self.in_columns(*cols)[:HOME_BLOCK]}
                  for title, cols, more in HOME_BLOCKS]
        services = self.listed_of("service")
        letters = self.listed_of("letter", "survey", "interview")
        return Page("/", "index.html", {
            "title": "首页", "blocks": blocks, "reports_column": self.column_for_type("report"),
            "services": services[:HOME_BLOCK], "themes": self.theme_links(),
            "interaction": letters[:HOME_BLOCK],
        })

    def item_pages(self) -> list[Page]:
        pages = []
        for entry in sorted(self.entries.values(), key=lambda e: e.url):
            if entry.status == publication.WITHDRAWN:
                pages.append(Page(entry.url, "withdrawn.html", {"title": entry.title, "entry": entry,
                                                                 "withdrawn": entry.meta.get("withdrawn")}))
                continue
            context = {"title": entry.title, "entry": entry, "search": self.search_record(entry)}
            if entry.type == "policy":
                context["interpretations"] = self.interpretations.get(entry.id, [])
                context["revisions"] = self.history.for_path(entry.item.path)
                context["replaced_by"] = self.linked([entry.meta.get("replaced_by")])
                context["replaces"] = [e for e in self.listed_of("policy") if e.meta.get("replaced_by") == entry.id]
                context["categories"] = self.repo.schemas.category_labels
            elif entry.type == "interpretation":
                context["policies"] = self.linked(entry.meta.get("interprets"))
            elif entry.type == "service":
                context["policies"] = self.linked(entry.meta.get("related_policies"))
                # Art. 16: every guide links to online handling; the platform's entry page when the item has none
                context["online_url"] = entry.meta.get("online_url") or self.site.get("platform_url")
            elif entry.type == "letter":
                context["reply_unit"] = self.unit_info(entry.meta.get("reply_unit"))
            elif entry.type == "survey":
                context["survey_state"] = self.survey_state(entry)
            pages.append(Page(entry.url, f"{entry.type}.html", context))
        return pages

    def survey_state(self, entry) -> str:
        start, end = parse_when(entry.meta.get("start")), parse_when(entry.meta.get("end"))
        if start and self.now < start:
            return "未开始"
        if end and self.now.date() <= end.date():
            return "进行中"
        return "已结束,结果已公布" if entry.meta.get("result") else "已结束,结果整理中"

    def column_pages(self) -> list[Page]:
        pages = []
        for column_id, column in self.columns.items():
            entries = self.in_columns(column_id)
            url = column_url(column_id)
            for page_url, chunk, pager in _paginate(url, entries):
                pages.append(Page(page_url, "listing.html", {
                    "title": column["name"], "entries": chunk, "pager": pager, "column": column,
                    "feed": f"/feeds/{column_id}.xml"}))
        return pages

    def policy_facets(self) -> list[dict]:
        policies = self.listed_of("policy")
        facets = []
        for label, key, slugs, base in (("有效性", "validity", VALIDITY_SLUGS, "validity"),
                                        ("文件类型", "doc_type", DOC_TYPE_SLUGS, "type")):
            options = [{"name": name, "url": f"/policies/{base}/{slug}/",
                        "entries": [e for e in policies if e.meta.get(key) == name]} for name, slug in slugs.items()]
            facets.append({"label": label, "options": [o for o in options if o["entries"]]})
        by_unit = defaultdict(list)
        by_year = defaultdict(list)
        for e in policies:
            by_unit[e.unit["id"]].append(e)
            by_year[str(e.when.year)].append(e)
        facets.append({"label": "发布机构", "options": [
            {"name": self.unit_info(u)["name"], "url": f"/policies/unit/{u}/", "entries": by_unit[u]} for u in sorted(by_unit)]})
        facets.append({"label": "年份", "options": [
            {"name": f"{y}年", "url": f"/policies/year/{y}/", "entries": by_year[y]} for y in sorted(by_year, reverse=True)]})
        return facets

    def policy_library(self) -> list[Page]:
        facets = self.policy_facets()
        nav = [{"label": f["label"], "options": [{"name": o["name"], "url": o["url"], "count": len(o["entries"])}
                                                  for o in f["options"]]} for f in facets]
        pages = []
        listings = [("/policies/", "政策文件库", self.listed_of("policy"))]
        for facet in facets:
            for option in facet["options"]:
                listings.append((option["url"], f"政策文件库:{facet['label']} {option['name']}", option["entries"]))
        for url, title, entries in listings:
            for page_url, chunk, pager in _paginate(url, entries):
                pages.append(Page(page_url, "policy_library.html", {
                    "title": title, "entries": chunk, "pager": pager, "facets": nav, "current": url}))
        return pages

    def disclosure_pages(self) -> list[Page]:
        labels = self.repo.schemas.category_labels
        by_category = defaultdict(list)
        for e in self.listed:
            category = e.meta.get("disclosure_category")
            if category in labels:
                by_category[category].append(e)
        pages_by_kind = defaultdict(list)
        for e in self.listed_of("page"):
            pages_by_kind[e.meta.get("page_kind")].append(e)
        categories = [{"id": c, "name": name, "url": f"/xxgk/categories/{c}/", "count": len(by_category[c])}
                      for c, name in labels.items()]
        pages = [Page("/xxgk/", "disclosure.html", {
            "title": "政府信息公开", "categories": categories, "guides": pages_by_kind.get("公开指南", []),
            "rules": pages_by_kind.get("公开制度", []), "reports": self.listed_of("report"),
            "units": [self.unit_info(u) for u in self.units]})]
        for category in categories:
            for page_url, chunk, pager in _paginate(category["url"], by_category[category["id"]]):
                pages.append(Page(page_url, "listing.html", {
                    "title": f"法定主动公开内容:{category['name']}", "entries": chunk, "pager": pager,
                    "parent": {"name": "政府信息公开", "url": "/xxgk/"}}))
        return pages

    def theme_links(self) -> list[dict]:
        services = self.listed_of("service")
        return [{"name": t, "url": f"/services/theme/{slug}/", "count": sum(1 for e in services if e.meta.get("theme") == t)}
                for t, slug in THEME_SLUGS.items()]

    def service_pages(self) -> list[Page]:
        services = sorted(self.listed_of("service"), key=lambda e: e.id)
        audiences = [{"name": a, "url": f"/services/audience/{slug}/",
                      "entries": [e for e in services if a in (e.meta.get("audience") or [])]}
                     for a, slug in AUDIENCE_SLUGS.items()]
        themes = [{**t, "entries": [e for e in services if e.meta.get("theme") == t["name"]]} for t in self.theme_links()]
        pages = [Page("/services/", "services.html", {
            "title": "办事服务", "audiences": audiences, "themes": themes, "site": self.site})]
        for group in audiences + themes:
            pages.append(Page(group["url"], "services.html", {
                "title": f"办事服务:{group['name']}", "group": group, "audiences": audiences, "themes": themes,
                "site": self.site}))
        return pages

    def interaction_pages(self) -> list[Page]:
        return [Page("/hudong/", "interaction.html", {
            "title": "政民互动",
            "more": {t: self.column_for_type(t) for t in ("letter", "survey", "interview")},
            "letters": self.listed_of("letter")[:10], "surveys": self.listed_of("survey"),
            "interviews": self.listed_of("interview"),
            "states": {e.id: self.survey_state(e) for e in self.listed_of("survey")}})]

    def unit_pages(self) -> list[Page]:
        pages = [Page("/units/", "units.html", {"title": "机构设置", "units": [
            {**self.unit_info(uid), "kind": u.meta.get("kind")} for uid, u in self.units.items()]})]
        by_unit = defaultdict(list)
        for e in self.listed:
            by_unit[e.unit["id"]].append(e)
        labels = self.repo.schemas.category_labels
        for uid, unit in self.units.items():
            pages.append(Page(unit_url(uid), "unit.html", {
                "title": unit.meta.get("name", uid), "unit": unit.meta, "entries": by_unit[uid][:50],
                "count": len(by_unit[uid]), "categories": labels,
                "html": self.unit_html[uid]}))
        return pages

    def has_page(self, url: str) -> bool:
        """Whether the site has a page at `url` (a column listing that the responsibility table defines)."""
        return not url.startswith("/columns/") or url.split("/")[2] in self.columns

    def redirect_pages(self, taken: set[str] | None = None) -> list[Page]:
        """A redirect page for each former address of a published or withdrawn item.

        A former address that a current page uses, that an earlier item already
        claimed, or that would leave the site's directory is skipped: a current
        page always wins over an old address.
        """
        taken = set(taken or ())
        pages = []
        for entry in sorted(self.entries.values(), key=lambda e: e.id):
            for old in entry.meta.get("former_urls") or []:
                try:
                    name = output_name(old)
                except UnsafeURL:
                    continue
                if name in taken:
                    continue
                taken.add(name)
                pages.append(Page(old, "redirect.html", {"title": entry.title, "target": entry.url}))
        return pages

    def sitemap_sections(self) -> list[dict]:
        return [
            {"name": "首页", "url": "/"},
            {"name": "政府信息公开", "url": "/xxgk/"},
            {"name": "政策文件库", "url": "/policies/"},
            *({"name": c["name"], "url": column_url(cid)} for cid, c in self.columns.items()),
            {"name": "办事服务", "url": "/services/"},
            {"name": "政民互动", "url": "/hudong/"},
            {"name": "机构设置", "url": "/units/"},
        ]

    def listing_urls(self) -> list[str]:
        """Every URL the sitemap lists: section pages and published items."""
        urls = {s["url"] for s in self.sitemap_sections()} | {"/sitemap/"}
        urls |= {unit_url(u) for u in self.units}
        return sorted(urls) + [e.url for e in sorted(self.listed, key=lambda e: e.url)]
