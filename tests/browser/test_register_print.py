"""The publication register as an inspector receives it (issue 10, point 5): a summary first, then
every item, printed on A4 landscape with the header row on every page and no column cut off.
Rendered by Debian's Chromium from `gongkai register --format html` over this repository's history."""
from __future__ import annotations

import re

import pytest

from pipeline.approvals.changes import open_repo
from pipeline.approvals.register import build_register, render_html, summary
from pipeline.approvals.tiers import load_policy

from .conftest import CODE_DIR

A4_LANDSCAPE_CSS_PX = (1123, 794)  # 297 x 210 mm at 96 px per inch


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    repo = open_repo(CODE_DIR)
    records = build_register(repo, repo.head.commit, load_policy(), CODE_DIR)
    path = tmp_path_factory.mktemp("register") / "register.html"
    path.write_text(render_html(records, site_name="云江市人民政府门户网站", generated_from=repo.head.commit.hexsha),
                    encoding="utf-8")
    return path, records


def test_register_opens_with_a_summary_by_unit_and_tier(browser, register):
    path, records = register
    page = browser.new_page()
    page.goto(path.as_uri())
    captions = page.locator("caption").all_inner_texts()
    assert captions[:2] == ["按发布单位", "按审批层级(第二十八条)"] and captions[2].startswith("审批不全的条目")
    by_unit = page.locator(".summary table").first.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(n) for n in by_unit) == len(records)
    assert captions[2] == f"审批不全的条目({len(summary(records)['missing'])})"
    page.close()


def test_register_prints_on_a4_landscape_with_repeated_headers_and_nothing_cut_off(browser, register):
    path, _ = register
    assert re.search(r"@page\s*{\s*size:\s*A4 landscape", path.read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": A4_LANDSCAPE_CSS_PX[0] - 60, "height": A4_LANDSCAPE_CSS_PX[1]})
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    table = page.locator("table.records")
    assert table.evaluate("t => getComputedStyle(t.tHead).display") == "table-header-group"
    width = table.evaluate("t => t.scrollWidth")
    assert width <= A4_LANDSCAPE_CSS_PX[0] - 60, width  # the page's width less its side margins
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf))
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # every page landscape
    page.close()
