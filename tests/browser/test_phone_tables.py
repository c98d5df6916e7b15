"""Tables and text that work on a phone (issue 15, point 5): at 360 px and 1280 px, on each page family, the
page does not scroll sideways, no text runs out of its box, no date or document number is cut across two
lines; below 600 px the listing tables are cards whose values show their column's name."""
from __future__ import annotations

import pytest

from .conftest import TIMEOUT_MS, wait_for_search

PAGES = {
    "home": "/",
    "policy library": "/policies/",
    "policy": "/policies/gjj-2026-1/",
    "service": "/services/bs-spj-qiye-sheli/",
    "search": "/search/?q=公积金",
    "unit": "/units/gjj/",
    "report": "/reports/ndbg-2025/",
}
WIDTHS = (360, 1280)

# Text boxes whose content is wider than the box and is not scrolled inside it: text that spills out.
SPILLING = """() => {
  const scrolls = el => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll' || o === 'hidden'; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.display === 'none' || style.display === 'contents') continue;
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (scrolls(el) || el.closest('.visually-hidden')) continue;
    let inside = false;
    for (let p = el.parentElement; p; p = p.parentElement) { if (scrolls(p) && p !== document.body) { inside = p.scrollWidth > p.clientWidth; break; } }
    if (inside) continue;  // a table that scrolls inside its own box does not spill
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + el.textContent.trim().slice(0, 30));
  }
  return out.slice(0, 8);
}"""

# Every date (2026-06-23) in a text node, and every document number (.doc-no), with the number of lines
# it occupies on screen (Range.getClientRects: one rectangle per line box), search results included.
BROKEN = """() => {
  const lines = range => new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const date = /\\d{4}-\\d{2}-\\d{2}/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(date)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      if (lines(range) > 1) out.push(m[0]);
    }
  }
  for (const el of document.querySelectorAll('.doc-no')) {
    const range = document.createRange();
    range.selectNodeContents(el);
    if (lines(range) > 1) out.push(el.textContent);
  }
  return out;
}"""

COUNTED = """() => ({dates: Array.from(document.body.innerText.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)).length,
                   numbers: document.querySelectorAll('.doc-no').length})"""


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def screen(request, browser, portal):
    width = request.param
    phone = width < 600
    context = browser.new_context(base_url=portal.base, viewport={"width": width, "height": 740 if phone else 900},
                                  device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, width
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def visit(page, url: str) -> None:
    page.goto(url)
    if url.startswith("/search/"):
        wait_for_search(page)
        assert page.locator("#search-results li").count() > 0


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_nothing_overflows_and_no_date_or_document_number_breaks(screen, url):
    page, width = screen
    visit(page, url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} scrolls sideways at {width}px"
    assert page.evaluate(SPILLING) == [], f"{url} at {width}px: text runs out of its box"
    assert page.evaluate(BROKEN) == [], f"{url} at {width}px: dates or document numbers cut across lines"


def test_the_pages_show_dates_and_document_numbers_to_measure(page):
    """The measure above proves something only where there are dates and numbers to cut."""
    page.goto("/policies/")
    counted = page.evaluate(COUNTED)
    assert counted["dates"] >= 10 and counted["numbers"] >= 10, counted
    page.goto("/policies/gjj-2026-1/")
    assert page.evaluate(COUNTED)["numbers"] >= 2  # in the metadata table and under the title


CARD_TABLES = {"policy library": ("/policies/", "table.policy-list"),
               "service materials": ("/services/bs-spj-qiye-sheli/", "table.materials"),
               "yearly report": ("/reports/ndbg-2025/", "table.report-table")}

CARDS = """selector => Array.from(document.querySelectorAll(selector)).map(table => ({
  row: getComputedStyle(table.querySelector('tbody tr')).display,
  headerShown: table.tHead.getBoundingClientRect().height > 2,
  cells: Array.from(table.querySelectorAll('td[data-label]:not(.title)')).filter(td => td.textContent.trim()).map(td => ({
    label: td.dataset.label, before: getComputedStyle(td, '::before').content,
    shown: td.getBoundingClientRect().width > 0 }))
}))"""


@pytest.mark.parametrize("url, selector", CARD_TABLES.values(), ids=CARD_TABLES.keys())
def test_listing_tables_are_labelled_cards_on_a_phone_and_tables_on_a_desktop(screen, url, selector):
    page, width = screen
    page.goto(url)
    tables = page.evaluate(CARDS, selector)
    assert tables and all(t["cells"] for t in tables), f"{url}: no {selector} with values"
    for table in tables:
        if width < 600:
            assert table["row"] == "block" and not table["headerShown"], (url, table["row"])
            for cell in table["cells"]:
                assert cell["shown"] and cell["label"] in cell["before"], (url, cell)
        else:
            assert table["row"] == "table-row" and table["headerShown"]
            assert all(cell["before"] in ("none", "normal") for cell in table["cells"])


def test_policy_metadata_has_one_header_per_row_and_fits_a_phone(screen):
    page, width = screen
    page.goto("/policies/gjj-2026-1/")
    rows = page.eval_on_selector_all("table.policy-meta tr", "rows => rows.map(r => [r.querySelectorAll('th').length, r.querySelectorAll('td').length])")
    assert rows and all(r == [1, 1] for r in rows), rows
    box = page.eval_on_selector("table.policy-meta", "t => t.getBoundingClientRect().right")
    assert box <= width
