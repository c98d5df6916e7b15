"""axe-core (from npm, node_modules/axe-core) on the pages citizens use most: no serious or critical violations."""
from __future__ import annotations

import pytest

from .conftest import AXE, TIMEOUT_MS, wait_for_search

PAGES = {
    "home": "/",
    "policy": "/policies/gjj-2026-1/",
    "repealed policy": "/policies/gjj-2024-2/",
    "interpretation": "/interpretations/jd-yjzf-2026-3/",
    "video interpretation": "/interpretations/jd-yjzf-2026-3-sp/",
    "service guide": "/services/bs-spj-qiye-sheli/",
    "letter": "/letters/xj-2026-0012/",
    "search with results": "/search/?q=公积金",
    "policy library": "/policies/",
    "unit page": "/units/gjj/",
    "disclosure": "/xxgk/",
    "news": "/news/xw-2026-0717/",
}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (axe-core is pinned in package.json)"
    return AXE.read_text(encoding="utf-8")


def axe_context(browser, portal, **options):
    # The site's CSP forbids inline script; bypass it for the injected axe only.
    context = browser.new_context(base_url=portal.base, bypass_csp=True, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def axe_page(browser, portal):
    context = axe_context(browser, portal)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_phone(browser, portal):
    """360 px wide with the largest text: wide tables scroll inside the page and must take focus."""
    context = axe_context(browser, portal, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/")
    while page.eval_on_selector("html", "el => el.style.fontSize") != "200%":
        page.click('[data-a11y="bigger"]')
    yield page
    context.close()


def run_axe(page, source: str) -> list[dict]:
    page.add_script_tag(content=source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_no_serious_or_critical_axe_violations(axe_page, axe_source, url):
    axe_page.goto(url)
    if url.startswith("/search/"):
        wait_for_search(axe_page)
        assert axe_page.locator("#search-results li").count() > 0
    violations = run_axe(axe_page, axe_source)
    assert not violations, f"axe on {url}:\n{describe(violations)}"


@pytest.mark.parametrize("url", ["/", "/policies/gjj-2026-1/", "/search/?q=公积金"], ids=["home", "policy", "search"])
def test_no_serious_or_critical_axe_violations_in_high_contrast(axe_page, axe_source, url):
    axe_page.goto(url)
    axe_page.click('[data-a11y="contrast"]')
    if url.startswith("/search/"):
        wait_for_search(axe_page)
    violations = run_axe(axe_page, axe_source)
    assert not violations, f"axe on {url} in high contrast:\n{describe(violations)}"


PHONE_PAGES = {
    "policy": "/policies/gjj-2026-1/",
    "service guide": "/services/bs-spj-qiye-sheli/",
    "policy library": "/policies/",
    "annual report": "/reports/ndbg-2025/",
    "annual report basis": "/reports/ndbg-2025/basis/",
    "notice with a table": "/notices/tz-2026-0921/",
    "search with results": "/search/?q=公积金",
}


@pytest.mark.parametrize("url", PHONE_PAGES.values(), ids=PHONE_PAGES.keys())
def test_no_serious_or_critical_axe_violations_on_a_phone_with_the_largest_text(axe_phone, axe_source, url):
    axe_phone.goto(url)
    if url.startswith("/search/"):
        wait_for_search(axe_phone)
    violations = run_axe(axe_phone, axe_source)
    assert not violations, f"axe on {url} at 360 px with the largest text:\n{describe(violations)}"
