"""At 360 px wide (a small phone) no page scrolls sideways."""
from __future__ import annotations

import pytest

from .conftest import wait_for_search

WIDTH = 360
PAGES = {
    "home": "/",
    "policy with metadata table": "/policies/gjj-2026-1/",
    "service guide with materials table": "/services/bs-spj-qiye-sheli/",
    "policy library": "/policies/",
    "disclosure": "/xxgk/",
    "search with results": "/search/?q=公积金",
    "letter": "/letters/xj-2026-0012/",
    "unit page": "/units/gjj/",
    "interpretation with media": "/interpretations/jd-yjzf-2026-3-sp/",
    "audio interpretation": "/interpretations/jd-gjj-2026-9/",
    "annual report tables": "/reports/ndbg-2025/",
    "annual report basis": "/reports/ndbg-2025/basis/",
}


def overflowing(page) -> list[str]:
    """Elements whose right edge passes the viewport, to name the culprit in a failure
    (elements inside a sideways-scrolling table are listed too, though they do not move the page)."""
    return page.evaluate("""width => Array.from(document.querySelectorAll('body *'))
        .filter(el => el.getBoundingClientRect().right > width + 0.5 && getComputedStyle(el).position !== 'absolute')
        .slice(0, 8)
        .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
             + ' right=' + Math.round(el.getBoundingClientRect().right))""", WIDTH)


@pytest.fixture
def phone(browser, portal):
    context = browser.new_context(base_url=portal.base, viewport={"width": WIDTH, "height": 740},
                                  device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_no_sideways_scrolling_at_360px(phone, url):
    phone.goto(url)
    if url.startswith("/search/"):
        wait_for_search(phone)
        assert phone.locator("#search-results li").count() > 0
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{url} is {width}px wide at {WIDTH}px: {overflowing(phone)}"


LARGEST_TEXT_PAGES = {**PAGES, "notice with a table": "/notices/tz-2026-0921/"}


@pytest.mark.parametrize("url", LARGEST_TEXT_PAGES.values(), ids=LARGEST_TEXT_PAGES.keys())
def test_no_sideways_scrolling_at_360px_with_the_largest_text(phone, url):
    phone.goto("/")
    while phone.eval_on_selector("html", "el => el.style.fontSize") != "200%":  # A+ up to its maximum
        phone.click('[data-a11y="bigger"]')
    phone.goto(url)
    if url.startswith("/search/"):
        wait_for_search(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{url} with the largest text is {width}px wide at {WIDTH}px: {overflowing(phone)}"
