"""The search page on a phone and on a desktop (issue 15): the filter panel folded behind a toggle on a
360 px screen so that the first result is on the first screen, open on a wide one; and nothing moving
while Pagefind loads and results arrive (cumulative layout shift measured in the page)."""
from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from .conftest import wait_for_search, wait_for_settled
from .test_keyboard import focused, tab_until

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
FIRST_SCREEN = 700  # px: the first result starts above this on a 360 × 740 phone
PAGEFIND_DELAY_S = 0.8  # the page paints before the index is there, as on a slow connection

# Every layout shift the page records, as the Layout Instability API reports it. CSS-free and added by
# the browser's debugging protocol before any page script, so the page's CSP does not stop it.
SHIFT_OBSERVER = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.__shifts.push({value: e.value, input: e.hadRecentInput,
      moved: e.sources.map((s) => s.node ? s.node.nodeName + (s.node.id ? "#" + s.node.id : "")
        + (s.node.className ? "." + s.node.className : "") : "?").join(" ")});
  }
}).observe({type: "layout-shift", buffered: true});
"""


def slow_index(page) -> None:
    """Hold back the list of index parts, so that the page is painted before Pagefind has loaded."""
    def delayed(route):
        time.sleep(PAGEFIND_DELAY_S)
        route.continue_()
    page.route("**/pagefind/partitions.json", delayed)


def shifts(page) -> list[dict]:
    # Observers are told after the frame: let two frames pass before reading.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))")
    return page.evaluate("() => window.__shifts")


def result_top(page) -> float:
    return page.evaluate("() => document.querySelector('#search-results li').getBoundingClientRect().top + window.scrollY")


def toggle_state(page) -> str:
    return page.get_attribute("#filter-toggle", "aria-expanded")


# --- the filter panel on a phone and on a desktop -------------------------------------------


def test_phone_folds_the_filters_and_shows_the_first_result_on_the_first_screen(page):
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=" + quote("通知"))
    assert wait_for_search(page).startswith("找到 ")
    toggle = page.locator("#filter-toggle")
    assert toggle.is_visible() and toggle_state(page) == "false"
    assert "筛选" in toggle.inner_text()
    assert not page.locator("#filter-selects").is_visible() and not page.locator("#sort").is_visible()
    top = result_top(page)
    assert top < FIRST_SCREEN, f"the first result starts at {top:.0f} px on a {PHONE['height']} px high phone"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "nothing overflows sideways"


def test_phone_toggle_opens_and_closes_the_filters_from_the_keyboard(page):
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=" + quote("公积金"))
    wait_for_search(page)
    page.focus("#q")
    tab_until(page, "#filter-toggle")
    page.keyboard.press("Enter")
    assert toggle_state(page) == "true"
    assert page.locator("#filter-selects").is_visible() and page.locator("#sort").is_visible()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == page.locator("#filter-selects select").first.get_attribute("id"), \
        "the filters come next in the tab order"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert toggle_state(page) == "false"
    assert not page.locator("#filter-selects").is_visible()


def test_phone_toggle_says_how_many_filters_are_chosen(page):
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=" + quote("公积金"))
    wait_for_search(page)
    toggle = page.locator("#filter-toggle")
    assert "已选" not in toggle.inner_text()
    toggle.click()
    page.locator("#filter-selects").get_by_label("类型", exact=True).select_option("政策文件")
    wait_for_settled(page)
    page.locator("#filter-selects").get_by_label("单位", exact=True).select_option("云江市住房公积金管理中心")
    wait_for_settled(page)
    assert "已选 2 项" in toggle.inner_text()
    # a shared address opens folded, the count telling that the results are narrowed
    page.goto(page.url)
    wait_for_search(page)
    assert toggle_state(page) == "false" and "已选 2 项" in toggle.inner_text()
    assert "筛选和排序" in page.get_by_role("button", name="已选 2 项").inner_text()


def test_desktop_shows_the_filters_open_and_no_toggle(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/search/?q=" + quote("公积金"))
    wait_for_search(page)
    assert not page.locator("#filter-toggle").is_visible()
    assert page.locator("#filter-selects").is_visible() and page.locator("#sort").is_visible()
    assert page.locator("#filter-selects select").count() == 5
    assert all(s.is_enabled() for s in page.locator("#filter-selects select").all())


# --- no layout shift ------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_searching_moves_nothing_on_the_page(page, viewport):
    page.set_viewport_size(viewport)
    page.add_init_script(SHIFT_OBSERVER)
    slow_index(page)
    # a shared address: the results come without the reader doing anything, after the page is painted
    page.goto("/search/?q=" + quote("通知"))
    wait_for_search(page)
    on_load = shifts(page)
    # then the reader narrows, searches again and loads more
    if page.locator("#filter-toggle").is_visible():
        page.click("#filter-toggle")
    page.locator("#filter-selects").get_by_label("年份", exact=True).select_option("2026年")
    wait_for_settled(page)
    page.fill("#q", "公积金")
    page.press("#q", "Enter")
    wait_for_settled(page)
    page.fill("#q", "政务公开")
    page.locator("#filter-selects").get_by_label("年份", exact=True).select_option("")
    wait_for_settled(page)
    if page.locator("#search-more").is_visible():
        shown = page.locator("#search-results li").count()
        page.click("#search-more")
        page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=shown)
    everything = shifts(page)
    cls = sum(s["value"] for s in everything if not s["input"])
    assert sum(s["value"] for s in on_load) < 0.01, f"loading the results moved the page: {on_load}"
    # what follows the reader's own action by less than half a second (opening the panel, loading more
    # at the foot of the page) does not count, as in Lighthouse's measure
    assert cls < 0.1, f"cumulative layout shift {cls:.3f}: {everything}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_the_empty_search_page_does_not_move_when_the_index_arrives(page, viewport):
    page.set_viewport_size(viewport)
    page.add_init_script(SHIFT_OBSERVER)
    slow_index(page)
    page.goto("/search/")
    wait_for_search(page)
    assert page.locator("#filter-selects select").first.is_enabled()
    moved = shifts(page)
    assert sum(s["value"] for s in moved) < 0.01, moved
