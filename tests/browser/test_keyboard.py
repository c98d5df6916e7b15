"""Keyboard use and the search page without JavaScript."""
from __future__ import annotations

import pytest

from .conftest import TIMEOUT_MS, wait_for_search

MAX_TABS = 20  # the header has a skip link, four reading-aid buttons, the site name and the search box


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.textContent || '').trim()};
    }""")


def tab_until(page, selector: str) -> list[dict]:
    """Press Tab from where focus is until `selector` has focus; return what was focused on the way."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} not reached in {MAX_TABS} Tab presses; focus went through {seen}")


def test_first_tab_reaches_the_skip_link_and_it_moves_to_main(page):
    page.goto("/policies/gjj-2026-1/")
    page.keyboard.press("Tab")
    assert focused(page)["cls"] == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def test_tab_reaches_the_header_search_box_and_enter_searches(page, portal):
    page.goto("/")
    tab_until(page, "#header-q")
    page.keyboard.type("公租房")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*", timeout=TIMEOUT_MS)
    wait_for_search(page)
    assert "/services/bs-zjj-gongzufang/" in page.eval_on_selector_all(
        "#search-results li a", "links => links.map(a => a.getAttribute('href'))")


def test_search_page_input_then_enter_shows_results_and_tab_reaches_them(page):
    page.goto("/search/")
    wait_for_search(page)
    seen = tab_until(page, "#q")
    assert seen[0]["cls"] == "skip-link"
    page.keyboard.type("结婚登记")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0")
    assert page.inner_text("#search-status").startswith("找到 ")
    assert "q=" in page.url, "the query is kept in the address"
    tab_until(page, "#search-results li a")
    assert focused(page)["text"] == "内地居民结婚登记"


def test_search_page_without_javascript_explains_itself(browser, portal):
    context = browser.new_context(base_url=portal.base, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/search/?q=公积金")
        note = page.locator("p.noscript")
        assert note.is_visible(), "the <noscript> explanation is shown"
        assert "JavaScript" in note.inner_text()
        assert note.locator("a[href='/policies/']").count() == 1
    finally:
        context.close()


FOCUS_PAGES = ["/", "/policies/gjj-2026-1/", "/services/bs-spj-qiye-sheli/", "/interpretations/jd-yjzf-2026-3-sp/",
               "/search/?q=公积金"]


@pytest.mark.parametrize("url", FOCUS_PAGES)
def test_every_element_reached_by_tab_shows_a_strong_focus_ring(page, url):
    page.goto(url)
    if url.startswith("/search/"):
        wait_for_search(page)
    weak, seen = [], 0
    for _ in range(80):
        page.keyboard.press("Tab")
        ring = page.evaluate("""() => {
            // a player's own buttons live in the browser's shadow DOM: the ring is drawn around the player
            const el = document.activeElement, cs = getComputedStyle(el);
            return {el: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''),
                    body: el === document.body, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth)};
        }""")
        if ring["body"]:
            break
        seen += 1
        if ring["style"] in ("none", "auto") or ring["width"] < 3:
            weak.append(f"{ring['el']}: outline {ring['style']} {ring['width']}px")
    assert seen > 5
    assert not weak, f"{url}: focus not clearly visible on\n" + "\n".join(sorted(set(weak)))
