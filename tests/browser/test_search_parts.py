"""The search index in parts (issue 14): the demo built with parts of at most 100 pages (three parts),
searched through the real search page beside the demo's one-part index. What a citizen finds must not
depend on how the index is cut: the same results, the same filter counts, date order across parts,
the recall list, and every result reachable with 加载更多.

Parts must not be tiny: cut into parts of 40 pages, two of the 86 recall terms fell to 6th and 7th
place and one query found three pages more (Pagefind's word statistics and prefix matching are per
part). Hence parts of 1,000 pages by default and the settings schema's minimum of 100."""
from __future__ import annotations

import gzip
import json
import shutil
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import yaml

from pipeline.content.repository import load_repository
from pipeline.core.search_parts import part_of
from pipeline.site.build import build_site
from pipeline.timeutil import TZ

from .conftest import (
    CODE_DIR,
    DEMO_NOW,
    Portal,
    fresh_page,
    search,
    served,
    wait_for_search,
)
from .test_search import PHRASE_QUERIES, RECALL_LIST, everything, indexed_text, item_url

PER_PART = 100
QUERIES = ["公积金", "营业执照", "通知", "医疗保险", "政务公开", "行政许可", "养老"]


@pytest.fixture(scope="module")
def parted(tmp_path_factory) -> Portal:
    root = tmp_path_factory.mktemp("parted") / "repo"
    shutil.copytree(CODE_DIR / "content", root / "content")
    (root / "content" / "governance" / "settings.yaml").write_text(
        f"search:\n  pages_per_part: {PER_PART}\n", encoding="utf-8")
    output = root / "output"
    moment = datetime.strptime(DEMO_NOW, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
    result = build_site(load_repository(root, now=moment), output, moment)
    assert result.ok, [d.message for d in result.diagnostics if d.severity.value == "error"]
    with served(output) as portal:
        yield portal


@pytest.fixture
def parted_page(browser, parted):
    yield from fresh_page(browser, parted)


def manifest(portal) -> list[dict]:
    return json.loads((portal.output / "pagefind" / "partitions.json").read_text(encoding="utf-8"))["partitions"]


def test_the_index_is_cut_into_parts_by_the_one_rule(parted, portal):
    parts, whole = manifest(parted), manifest(portal)
    assert len(whole) == 1 and len(parts) >= 3
    assert sum(p["pages"] for p in parts) == whole[0]["pages"]
    assert max(p["pages"] for p in parts) <= PER_PART, "a part above its size would bound nothing"
    fragment_folders = list((parted.output / "pagefind").glob("*/fragment"))
    assert len(fragment_folders) == len(parts), fragment_folders  # one index of its own per part
    for path in fragment_folders:
        assert path.parent.name in {p["id"] for p in parts}
    # a page sits in the part pipeline.core.search_parts gives its address
    page_count = len(parts)
    url = "/services/bs-spj-qiye-sheli/"
    fragments = (parted.output / "pagefind" / part_of(url, page_count) / "fragment").glob("*.pf_fragment")
    assert any(url.encode() in gzip.decompress(f.read_bytes()) for f in fragments)


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_finds_the_same_pages_whatever_the_parts(page, parted_page, query):
    whole, status = everything(page, query)
    cut, cut_status = everything(parted_page, query)
    assert whole, f"{query} finds nothing in the demo: the test would prove nothing"
    assert sorted(cut) == sorted(whole) and len(cut) == len(set(cut))
    assert cut_status == status


def test_date_order_holds_across_parts(page, parted_page):
    whole, _ = everything(page, "通知", sort="date")
    cut, _ = everything(parted_page, "通知", sort="date")
    assert len(whole) > 20
    dates = parted_page.locator("#search-results .result-meta").all_inner_texts()
    days = [d.split(" · ")[-1] for d in dates]
    assert days == sorted(days, reverse=True)
    published = {u: i for i, u in enumerate(whole)}
    assert sorted(cut, key=published.get) == whole  # the same pages, and only equal times may swap
    whole_days = page.locator("#search-results .result-meta").all_inner_texts()
    assert [d.split(" · ")[-1] for d in whole_days] == days


def test_filters_count_the_whole_site(page, parted_page):
    def options(p):
        p.goto("/search/")
        wait_for_search(p)
        return {name: p.locator(f"#filter-selects select[name='f-{name}'] option").all_inner_texts()
                for name in ("类型", "单位", "年份")}
    assert options(parted_page) == options(page)


def test_every_result_is_reachable_with_load_more(parted_page):
    found, status = everything(parted_page, "通知")
    total = int(status.split("找到 ")[1].split(" 条")[0])
    assert total > 40 and len(found) == total == len(set(found))
    assert parted_page.inner_text("#search-status") == f"找到 {total} 条结果。"
    assert not parted_page.locator("#search-more").is_visible()


def test_load_more_moves_focus_to_the_first_new_result(parted_page):
    search(parted_page, "通知")
    assert parted_page.inner_text("#search-status").endswith(",已显示 20 条。")
    parted_page.locator("#search-more").click()
    parted_page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=20)
    focused = parted_page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == parted_page.locator("#search-results li").nth(20).locator("a").get_attribute("href")
    assert parted_page.inner_text("#search-status").endswith(",已显示 40 条。")


def test_recall_list_with_the_index_in_parts(parted, parted_page):
    """The recall terms still find their items in the first five with the index in parts."""
    terms = yaml.safe_load(RECALL_LIST.read_text(encoding="utf-8"))["terms"]
    assert len(terms) >= 40, "the recall list keeps at least 40 terms"
    misses = []
    for term, item_id in terms.items():
        target = item_url(parted, item_id)
        found = search(parted_page, term)
        if target not in found[:5]:
            misses.append(f"{term} -> {target} (result {found.index(target) + 1 if target in found else 'none'})")
    assert not misses, misses


@pytest.mark.parametrize("query", PHRASE_QUERIES[:2])
def test_the_query_as_typed_comes_first_across_parts(page, parted_page, portal, query):
    """Each part's phrase matches lead the merged list: the same pages first as with one part."""
    whole, _ = everything(page, query)
    cut, _ = everything(parted_page, query)
    holding = [url for url in cut if query in indexed_text(portal, url)]
    assert holding and len(holding) < len(cut)
    assert cut[:len(holding)] == holding, "a page without the query as typed ranks above one with it"
    assert set(cut[:len(holding)]) == set(whole[:len(holding)])


def test_pagefind_itself_is_loaded_once_however_many_parts(parted, parted_page):
    """A part costs a query only its own index files: Pagefind's script, worker and WebAssembly, the
    largest files of a first query, come once for all parts (each part's bundle holds a copy)."""
    fetched: list[str] = []
    parted_page.context.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    search(parted_page, "公积金")
    names = [path.rsplit("/", 1)[1] for path in fetched if path.startswith("/pagefind/")]
    assert len(manifest(parted)) >= 3
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"):
        assert names.count(name) == 1, (name, names)
    assert names.count("pagefind-entry.json") == len(manifest(parted)), "every part is searched"
