"""Browser tests: the demo portal built once, served on 127.0.0.1, driven in Debian's Chromium.

The browser is always /usr/bin/chromium (installed by `make test` through the
Makefile's `browser` target), never one downloaded by Playwright; a missing
browser fails the tests with a message instead of skipping them, so that a
machine without Chromium cannot pass by testing nothing.
"""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page

from pipeline.site.build import build_site
from pipeline.content.repository import load_repository
from pipeline.timeutil import TZ
from tests.shared_tmp import build_once

CODE_DIR = Path(__file__).resolve().parents[2]
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (the session's `browser` is there too)
AXE = CODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
DEMO_NOW = "2026-11-26 09:00"
# Statuses search.js writes when it has finished (results, none, or failure); "正在搜索……" is not final.
FINAL_STATUS = ("找到 ", "没有找到", "请输入关键词", "搜索暂时无法使用")
TIMEOUT_MS = 15_000


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without logging every request to stderr."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".pf_meta": "application/octet-stream", ".pf_fragment": "application/octet-stream",
                      ".pf_index": "application/octet-stream", ".pf_filter": "application/octet-stream"}

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass


@dataclass
class Portal:
    """The built demo site and the address it is served at (pages get it as their base_url)."""

    output: Path
    base: str


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> Portal:
    # Built once per test run: pytest-xdist workers share the output (each serves it on its own port).
    now = datetime.strptime(DEMO_NOW, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
    folder, result = build_once(tmp_path_factory, "browser-site",
                                lambda folder: build_site(load_repository(CODE_DIR, now=now), folder / "output", now))
    output = folder / "output"
    errors = [f"{d.location} {d.code} {d.message}" for d in result.diagnostics if d.severity.value == "error"]
    assert result.ok, "the demo portal must build: " + "; ".join(errors)
    assert (output / "pagefind" / "partitions.json").is_file(), "the build wrote no Pagefind bundle"

    with served(output) as portal:
        yield portal


@contextmanager
def served(output: Path):
    """A built site served on 127.0.0.1 for as long as the block runs."""
    handler = functools.partial(QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield Portal(output=output, base=f"http://{host}:{port}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser, portal) -> Page:
    """A fresh page in its own context (own localStorage), failing on script errors."""
    yield from fresh_page(browser, portal)


def fresh_page(browser, portal):
    """The `page` fixture's body, for a fixture serving another built site."""
    context = browser.new_context(base_url=portal.base, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def wait_for_search(page: Page) -> str:
    """Wait until search.js has loaded Pagefind and, when there is a query, written a final status."""
    page.wait_for_selector('#search-form[data-ready="true"]', state="attached")
    if page.input_value("#q").strip():
        wait_for_settled(page)
    return page.inner_text("#search-status")


def result_urls(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(h).path for h in hrefs]


def search(page: Page, query: str, filters: dict[str, str] | None = None, sort: str | None = None) -> list[str]:
    """Search as a citizen would, through /search/?q=…; return the result paths in order.

    `filters` maps a filter name (单位, 类型 …) to a value; they are chosen in the
    page's own selects, found by their visible label."""
    page.goto("/search/?q=" + quote(query))
    status = wait_for_search(page)
    assert not status.startswith("搜索暂时无法使用"), f"search failed to load for {query!r}"
    for name, value in (filters or {}).items():
        select = page.locator("#filter-selects").get_by_label(name, exact=True)
        select.select_option(value)
        wait_for_settled(page)
    if sort:
        page.select_option("#sort", sort)
        wait_for_settled(page)
    return result_urls(page)


def wait_for_settled(page: Page) -> None:
    """After a filter or sort change (search.js has already written "正在搜索……"): wait for a final status."""
    page.wait_for_function(
        "finals => finals.some(s => document.getElementById('search-status').textContent.startsWith(s))",
        arg=list(FINAL_STATUS))
