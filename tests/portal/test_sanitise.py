"""nh3 is the second line of defence: markup the check would reject never reaches a page."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from pipeline.site import build as run
from pipeline.core.markdown import render_markdown
from pipeline.core.site_items import Catalogue
from pipeline.pages import site_pages
from pipeline.content.repository import load_repository
from tests.repo_factory import NEWS, make_repo

from .conftest import build, when

HOSTILE = """\
第一段<script>alert("x")</script>正文。

<p onclick="steal()" style="color:red">点我</p>

<img onerror="steal()" alt="图">

[链接](javascript:alert(1)) 和 <a href="https://example.org/" onmouseover="steal()">外链</a>

<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><style>body{display:none}</style>

<form action="https://evil.example/"><input name="q"></form>

<svg onload="steal()"><circle r="1"/></svg>
"""


def assert_harmless(html: str):
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "iframe", "object", "embed", "style", "form", "input", "svg"]), html
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on") or a == "style"], tag
        for attribute in ("href", "src"):
            assert not str(tag.get(attribute, "")).lower().startswith("javascript:"), tag
    assert "alert(" not in soup.get_text() or "<script" not in html


def test_renderer_strips_script_handlers_and_dangerous_urls():
    html = render_markdown(HOSTILE, lambda _id: None, set()).html
    assert_harmless(html)
    assert "第一段" in html and "点我" in html and "外链" in html
    assert 'href="https://example.org/"' in html, "ordinary links survive"


def test_renderer_turns_links_to_unpublished_items_into_text():
    html = render_markdown("见[《办法》](item:zc-9)。", lambda _id: None, set()).html
    assert "<a" not in html and "《办法》" in html


def test_site_model_sanitises_a_body_that_bypassed_the_check(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS})
    repo = load_repository(root)
    repo.by_id["xw-1"].body = HOSTILE  # as if a rule had missed it
    catalogue = Catalogue(repo, when("2026-03-02 09:00"))
    page = next(p for p in site_pages(catalogue) if p.url == "/news/xw-1/")
    assert_harmless(page.context()["entry"].html)


def test_built_page_carries_no_script_from_a_hostile_body(tmp_path, monkeypatch):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS.replace("教育局召开会议。\n", HOSTILE)})
    monkeypatch.setattr(run, "check_repository_cached", lambda repo: [])  # the check is bypassed on purpose
    site = build(root, tmp_path / "out", "2026-03-02 09:00")
    assert site.result.ok
    article = site.soup("/news/xw-1/").find("article")
    assert_harmless(str(article))
    scripts = site.soup("/news/xw-1/").find_all("script")
    assert [s.get("src") for s in scripts] == ["/theme/js/a11y.js"]


@pytest.mark.parametrize("field", ["title", "summary"])
def test_metadata_is_escaped_not_interpreted(tmp_path, monkeypatch, field):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(1)>'
    front = NEWS.replace("title: 测试新闻", f"title: '{hostile if field == 'title' else '测试新闻'}'")
    if field == "summary":
        front = front.replace("date: 2026-03-01 09:00", f"date: 2026-03-01 09:00\nsummary: '{hostile}'")
    root = make_repo(tmp_path, {"content/news/xw-1.md": front})
    monkeypatch.setattr(run, "check_repository_cached", lambda repo: [])
    site = build(root, tmp_path / "out", "2026-03-02 09:00")
    assert "news/xw-1/index.html" in site.html_pages  # the page that shows the hostile metadata is checked
    for page in site.html_pages:
        soup = site.soup(page)
        expected = ["/theme/js/a11y.js"] + (["/theme/js/search.js"] if page == "search/index.html" else [])
        assert [s.get("src") for s in soup.find_all("script")] == expected, page
        assert not soup.find_all("img", onerror=True), page
