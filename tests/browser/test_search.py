"""Chinese search through the real search page, as a citizen uses it (issue 4)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import result_urls, search, wait_for_search

RECALL_LIST = Path(__file__).resolve().parents[1] / "search_recall.yaml"
CHINESE_TERM = re.compile(r"[\u4e00-\u9fff]{2,6}")


def published_url(portal, item_id: str) -> str | None:
    """The page of an item in the built site (ids are unique across folders), None when there is none."""
    pages = list(portal.output.glob(f"*/{item_id}/index.html"))
    return "/" + pages[0].parent.relative_to(portal.output).as_posix() + "/" if len(pages) == 1 else None


def item_url(portal, item_id: str) -> str:
    url = published_url(portal, item_id)
    assert url, f"{item_id} has no page in the built demo portal"
    return url


def indexed_text(portal, url: str) -> str:
    """The text Pagefind indexes on a page: what is inside data-pagefind-body."""
    soup = BeautifulSoup((portal.output / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
    return "".join(node.get_text() for node in soup.select("[data-pagefind-body]"))


class UniqueKeyLoader(yaml.SafeLoader):
    """A term listed twice would silently keep only its last item."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise yaml.constructor.ConstructorError(None, None, f"listed twice: {', '.join(twice)}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def everything(page, query: str, sort: str | None = None) -> tuple[list[str], str]:
    """All results of a query, pressing 加载更多 until it goes away; and the first status line."""
    page.goto("/search/?q=" + quote(query) + (f"&sort={sort}" if sort else ""))
    status = wait_for_search(page)
    more = page.locator("#search-more")
    while more.is_visible():
        shown = page.locator("#search-results li").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=shown)
    return result_urls(page), status


def result_meta(page) -> list[list[str]]:
    """Each result's meta line (类型 · 单位 · 文号 · 日期), split into its parts."""
    return [line.split(" · ") for line in page.locator("#search-results .result-meta").all_inner_texts()]


# --- recall list ----------------------------------------------------------------------------


def test_every_term_on_the_recall_list_finds_its_item_in_the_first_five(page, portal):
    terms = yaml.load(RECALL_LIST.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)["terms"]
    assert len(terms) >= 40, "the recall list keeps at least 40 terms"
    wrong_list, misses = [], []
    for term, item_id in terms.items():
        if not CHINESE_TERM.fullmatch(term):
            wrong_list.append(f"{term}: not a 2-6 character Chinese term")
            continue
        url = published_url(portal, item_id)
        if url is None:
            wrong_list.append(f"{term}: {item_id} has no page in the built demo portal")
            continue
        if term not in indexed_text(portal, url):
            wrong_list.append(f"{term}: does not occur in the indexed text of {url}")
            continue
        found = search(page, term)
        if url not in found[:5]:
            rank = f"result {found.index(url) + 1}" if url in found else f"not among the {len(found)} shown"
            misses.append(f"{term} -> {url} ({rank}; first five: {', '.join(found[:5]) or 'none'})")
    report = []
    if misses:
        report += [f"{len(misses)} of {len(terms)} terms miss their item in the first five results:", *misses]
    if wrong_list:
        report += ["entries of tests/search_recall.yaml to fix:", *wrong_list]
    assert not report, "\n".join(report)


# --- chosen queries -------------------------------------------------------------------------

QUERIES = [  # (query, item it must return in the first three), two- and four-character words and document numbers
    ("低保", "bs-mzj-dibao"),
    ("沃柑", "xw-2026-1015"),
    ("养犬", "dc-2026-0815"),
    ("缴存基数", "gjj-2026-9"),
    ("结婚登记", "bs-mzj-jiehun-dengji"),
    ("孔雀石绿", "tz-2026-0921"),
    ("营业执照", "bs-spj-qiye-sheli"),
    ("云政规〔2026〕3号", "yjzf-2026-3"),
    ("云政办规〔2025〕11号", "yjzfb-2025-11"),
    ("云公积金规〔2024〕2号", "gjj-2024-2"),
    ("云江市人民政府令第5号", "yjzf-ling-5"),
    ("云政规[2026]3号", "yjzf-2026-3"),  # square brackets as typed on a keyboard without 〔〕
]


@pytest.mark.parametrize("query, item_id", QUERIES, ids=[q for q, _ in QUERIES])
def test_query_returns_its_item_in_the_first_three(page, portal, query, item_id):
    url = item_url(portal, item_id)
    found = search(page, query)
    assert url in found[:3], f"{query}: {url} not in the first three results {found[:3]}"


def test_results_show_title_unit_and_date(page, portal):
    found = search(page, "云政规〔2026〕3号")
    assert found[0] == item_url(portal, "yjzf-2026-3")
    first = page.locator("#search-results li").first
    assert "进一步推进经营主体登记便利化" in first.locator("h2 a").inner_text()
    meta = result_meta(page)[0]
    assert meta[:2] == ["政策文件", "云江市人民政府"], meta
    assert "云政规〔2026〕3号" in meta
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta[-1]), meta
    assert page.locator("#search-results li").first.locator(".excerpt mark").count() >= 1


# --- filter and sort ------------------------------------------------------------------------


def test_filter_by_unit_keeps_only_that_units_items(page, portal):
    unit = "云江市住房公积金管理中心"
    everything = search(page, "公积金")
    unit_of = {url: parts[1] for url, parts in zip(everything, result_meta(page))}
    others = {url for url, name in unit_of.items() if name != unit}
    assert others and len(others) < len(unit_of), f"the query should span units first: {unit_of}"
    narrowed = search(page, "公积金", filters={"单位": unit})
    assert narrowed, "the filter left nothing"
    assert all(len(parts) > 1 and parts[1] == unit for parts in result_meta(page)), result_meta(page)
    assert not others & set(narrowed), f"other units' items stayed: {sorted(others & set(narrowed))}"
    assert item_url(portal, "gjj-2026-1") in narrowed
    assert "f-%E5%8D%95%E4%BD%8D=" in page.url, f"the filter is kept in the address: {page.url}"
    # the unit in the result line is the one the item's own page names
    for url in narrowed[:3]:
        page.goto(url)
        assert unit in page.locator("main").inner_text(), url


def test_filter_by_type_and_unit_together(page, portal):
    found = search(page, "公积金", filters={"类型": "政策文件", "单位": "云江市住房公积金管理中心"})
    assert found and all(url.startswith("/policies/") for url in found), found


def test_sort_by_date_lists_newest_first(page, portal):
    relevance = search(page, "公积金")
    total = page.inner_text("#search-status")
    by_date = search(page, "公积金", sort="date")
    assert by_date != relevance, "the demo query should rank differently by relevance and by date"
    dates = [parts[-1] for parts in result_meta(page)]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates), dates
    assert dates == sorted(dates, reverse=True), dates
    assert dates[0] > dates[-1]
    assert page.inner_text("#search-status") == total, "sorting reorders, it does not change what is found"
    assert "sort=date" in page.url


# --- what must never be found ---------------------------------------------------------------

HIDDEN = [  # (item that is not public, words that occur only in it)
    ("xw-2026-0716", "news/xw-2026-0716", ["住房公积金缴存使用情况", "42.86亿元", "个人住房贷款"]),  # withdrawn
    ("xj-2026-0178", "letters/xj-2026-0178", ["商业秘密", "产品配方", "保密协议"]),  # public: false
    ("xj-2026-0214", "letters/xj-2026-0214", ["深夜噪音", "隔音地垫", "跳绳"]),
    ("xj-2026-0233", "letters/xj-2026-0233", ["白血病", "医疗救助", "化疗"]),
    ("ybj-2026-6", "policies/ybj-2026-6", ["云医保发〔2026〕6号", "参保缴费工作"]),  # scheduled after the build
]


@pytest.mark.parametrize("item_id, path, words", HIDDEN, ids=[h[0] for h in HIDDEN])
def test_items_not_public_are_never_found(page, portal, item_id, path, words):
    hidden = f"/{path}/"
    found_by = {word: found for word in words if hidden in (found := search(page, word))}
    assert not found_by, f"{item_id} must not be searchable, but was found by {sorted(found_by)}"


def test_corrected_news_is_found_instead_of_the_withdrawn_one(page, portal):
    found = search(page, "住房公积金缴存使用情况")
    assert item_url(portal, "xw-2026-0717") in found[:3]
    assert "/news/xw-2026-0716/" not in found


def test_unknown_word_says_nothing_was_found(page):
    assert search(page, "量子隧穿") == []
    assert page.inner_text("#search-status").startswith("没有找到")


# --- every result within reach --------------------------------------------------------------


def test_a_long_result_list_is_reached_to_its_end_with_load_more(page):
    search(page, "通知")
    status = page.inner_text("#search-status")
    total = int(re.match(r"找到 (\d+) 条结果", status).group(1))
    assert total > 40, f"{total} results: the query should need 加载更多 more than once"
    assert status == f"找到 {total} 条结果,已显示 20 条。"
    more = page.locator("#search-more")
    results = page.locator("#search-results li")
    while more.is_visible():
        shown = results.count()
        assert more.inner_text() == f"加载更多结果(还有 {total - shown} 条)"
        more.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=shown)
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == \
            results.nth(shown).locator("a").get_attribute("href"), "focus moves to the first new result"
        now = results.count()
        assert page.inner_text("#search-status") == (f"找到 {total} 条结果。" if now == total
                                                     else f"找到 {total} 条结果,已显示 {now} 条。")
    found = result_urls(page)
    assert len(found) == total == len(set(found))
    last = results.last.locator("a")
    last.scroll_into_view_if_needed()
    assert last.is_visible()


# --- the query as typed first ---------------------------------------------------------------

# Queries Pagefind cuts into words (政务 + 公开 …) and for which it ranks, by its score alone, a page with
# only some of the words above one holding the whole query.
PHRASE_QUERIES = ["政务公开", "住房公积金", "政务服务中心", "通知"]
PAGEFIND_ORDER = """async ([q, sort]) => {
    const pagefind = await import("/pagefind/0/pagefind.js");
    const found = await pagefind.search(q, sort ? {sort: {date: "desc"}} : {});
    return Promise.all(found.results.map(async (r) => (await r.data()).url));
}"""


def pagefind_order(page, portal, query: str, by_date: bool = False) -> list[str]:
    """The results in Pagefind's own order, asked of the demo's index (one part) in the page."""
    parts = json.loads((portal.output / "pagefind" / "partitions.json").read_text(encoding="utf-8"))["partitions"]
    assert len(parts) == 1, "the demo's index is one part"
    return page.evaluate(PAGEFIND_ORDER, [query, by_date])


@pytest.mark.parametrize("query", PHRASE_QUERIES)
def test_results_holding_the_query_as_typed_come_first(page, portal, query):
    shown, _ = everything(page, query)
    pagefind = pagefind_order(page, portal, query)
    whole = {url for url in pagefind if query in indexed_text(portal, url)}
    partial = [url for url in pagefind if url not in whole]
    assert partial and any(url in whole for url in pagefind[pagefind.index(partial[0]):]), \
        f"Pagefind alone ranks every page holding {query} first: the test would prove nothing"
    assert shown == [url for url in pagefind if url in whole] + partial, \
        "pages holding the query as typed first, each group in Pagefind's order"


def test_the_date_order_is_not_changed_by_the_phrase_ranking(page, portal):
    shown, _ = everything(page, "政务公开", sort="date")
    assert shown == pagefind_order(page, portal, "政务公开", by_date=True)
    days = [parts[-1] for parts in result_meta(page)]
    assert days == sorted(days, reverse=True)
