"""数据开放 pages in Chromium: charts drawn by ECharts as SVG from the chart JSON, the data table
with and without JavaScript, axe-core, and a 360 px phone."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import AXE, CODE_DIR, TIMEOUT_MS
from .test_axe import axe_context, describe, run_axe
from .test_narrow_screen import WIDTH, overflowing


def _datasets() -> dict[str, dict]:
    out = {}
    for path in sorted((CODE_DIR / "content" / "datasets").rglob("*.md")):
        meta = yaml.load(path.read_text(encoding="utf-8").split("---\n", 2)[1], Loader=yaml.BaseLoader)
        out[meta["id"]] = meta
    return out


DATASETS = _datasets()
CHARTED = sorted(i for i, m in DATASETS.items() if any(r.get("chart") and r.get("file") for r in m.get("resources", [])))
CONDITIONAL = sorted(i for i, m in DATASETS.items() if m.get("open_condition") == "有条件开放")
FIRST = "sj-tjj-czrk"  # a line chart over ten years
assert FIRST in CHARTED and CONDITIONAL, "the demo should have charted datasets and a conditional one"


@pytest.fixture(scope="module")
def axe_script() -> str:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (axe-core is pinned in package.json)"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def phone(browser, portal):
    """A small phone, as in test_narrow_screen."""
    context = browser.new_context(base_url=portal.base, viewport={"width": WIDTH, "height": 740},
                                  device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def url(dataset_id: str) -> str:
    return f"/datasets/{dataset_id}/"


def wait_for_chart(page) -> None:
    try:
        page.wait_for_selector("figure.chart[data-drawn]", state="attached")
    except PlaywrightTimeout:
        pytest.fail(f"{page.url}: charts.js never marked the chart drawn or failed (no data-drawn)", pytrace=False)
    drawn = page.get_attribute("figure.chart", "data-drawn")
    assert drawn == "true", f"charts.js could not draw the chart (data-drawn={drawn!r}): " + \
        page.inner_text("figure.chart .chart-canvas")


def chart_spec(portal, page) -> dict:
    path = page.get_attribute("figure.chart", "data-chart")
    return json.loads((portal.output / path.lstrip("/")).read_text(encoding="utf-8"))


SVG_CONTENT = """() => {
  const svg = document.querySelector('figure.chart .chart-canvas svg');
  if (!svg) return null;
  const box = svg.getBoundingClientRect(), figure = svg.closest('figure').getBoundingClientRect();
  return {paths: svg.querySelectorAll('path').length, texts: Array.from(svg.querySelectorAll('text'), t => t.textContent.trim()),
          left: box.left, right: box.right, width: box.width, height: box.height, figureWidth: figure.width};
}"""


@pytest.mark.parametrize("dataset_id", CHARTED)
def test_chart_is_drawn_as_svg_from_the_chart_data(page, portal, dataset_id):
    page.goto(url(dataset_id))
    wait_for_chart(page)
    svg = page.evaluate(SVG_CONTENT)
    assert svg is not None, f"{dataset_id}: no <svg> in .chart-canvas (ECharts should use its SVG renderer)"
    assert svg["paths"] + len(svg["texts"]) > 10, f"{dataset_id}: the SVG is nearly empty: {svg}"
    assert svg["width"] > 200 and svg["height"] > 150, f"{dataset_id}: the chart is {svg['width']}×{svg['height']} px"
    spec = chart_spec(portal, page)
    labels = {str(x) for x in spec["x"]}
    assert labels & set(svg["texts"]), f"{dataset_id}: none of the x values {sorted(labels)} is drawn: {svg['texts']}"
    if len(spec["series"]) > 1:  # several series need a legend naming them
        names = {s["name"] for s in spec["series"]}
        assert names <= set(svg["texts"]), f"{dataset_id}: legend {svg['texts']} lacks {names}"


def number(value) -> str:
    """A value as JavaScript prints it (412.0 -> 412)."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@pytest.mark.parametrize("dataset_id", CHARTED)
def test_chart_accessible_name_does_not_misstate_the_data(page, portal, dataset_id):
    """A screen reader hears the chart's aria-label: any value it reads out must be the data's."""
    page.goto(url(dataset_id))
    wait_for_chart(page)
    label = page.get_attribute("figure.chart .chart-canvas", "aria-label") or ""
    assert label.strip(), f"{dataset_id}: the chart has no accessible name"
    spec = chart_spec(portal, page)
    wrong = []
    for serie in spec["series"]:
        for x, value in zip(spec["x"], serie["data"]):
            said = f"{x}的数据是"
            if said in label and not re.search(re.escape(said + number(value)) + "[，。；,;]", label):
                wrong.append(f"{serie['name']} {x} = {number(value)}")
    assert not wrong, f"{dataset_id}: the chart's accessible name misstates {wrong[:4]}…:\n{label[:300]}"


def test_preview_table_is_visible(page):
    page.goto(url(FIRST))
    table = page.locator("table.preview")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 10
    assert "共 40 行" in table.locator("caption").inner_text()


def test_preview_table_is_there_without_javascript(browser, portal):
    context = browser.new_context(base_url=portal.base, java_script_enabled=False, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(url(FIRST))
        assert page.locator("figure.chart .chart-canvas svg").count() == 0, "JavaScript ran: the test proves nothing"
        table = page.locator("table.preview")
        assert table.is_visible(), "without JavaScript the data table must still show"
        assert table.locator("tbody tr").count() == 10
        assert table.locator("tbody tr").first.locator("td").first.inner_text().strip() == "2016"
    finally:
        context.close()


AXE_PAGES = [url(FIRST), url(CHARTED[-1]), *map(url, CONDITIONAL), "/data/"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_or_critical_axe_violations_on_open_data_pages(browser, portal, axe_script, path):
    context = axe_context(browser, portal)
    try:
        page = context.new_page()
        page.goto(path)
        if page.locator("figure.chart").count():
            wait_for_chart(page)  # check the page as drawn, SVG included
        violations = run_axe(page, axe_script)
        assert not violations, f"axe on {path}:\n{describe(violations)}"
    finally:
        context.close()


PHONE_PAGES = [*map(url, CHARTED), *map(url, CONDITIONAL), "/data/"]


@pytest.mark.parametrize("largest_text", [False, True], ids=["default text", "largest text"])
@pytest.mark.parametrize("path", PHONE_PAGES)
def test_open_data_pages_fit_a_360px_phone(phone, path, largest_text):
    if largest_text:
        phone.goto("/")
        while phone.eval_on_selector("html", "el => el.style.fontSize") != "200%":
            phone.click('[data-a11y="bigger"]')
    phone.goto(path)
    charted = phone.locator("figure.chart").count() > 0
    if charted:
        wait_for_chart(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{path} is {width}px wide at {WIDTH}px: {overflowing(phone)}"
    if charted:
        svg = phone.evaluate(SVG_CONTENT)
        assert svg is not None
        assert svg["left"] >= 0 and svg["right"] <= WIDTH + 0.5, f"{path}: the chart spans {svg['left']}–{svg['right']} px"
        assert svg["width"] <= svg["figureWidth"] + 0.5 and svg["width"] > 200, f"{path}: chart {svg}"
