#!/usr/bin/env python3
"""Full-page screenshots of the portal's page families at 360 px (a phone) and 1280 px (a desktop).

For a reviewer who changes a template or the stylesheet: look at every family at both widths before
merging, without clicking through a site. Run `make screenshots` (builds the demo portal, writes PNGs
to screenshots/), or on a site already built:

    .venv/bin/python ci/screenshots.py --site output --out screenshots

Chromium is Debian's /usr/bin/chromium, driven by Playwright; the site is served on 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

CODE_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_NOW = "2026-11-26 09:00"
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
# Family -> a page of the demo portal (the search page with a query, so that results show).
FAMILIES = {
    "home": "/",
    "policy-library": "/policies/",
    "policy": "/policies/gjj-2026-1/",
    "service": "/services/bs-spj-qiye-sheli/",
    "search": "/search/?q=" + quote("公积金"),
    "unit": "/units/gjj/",
    "report": "/reports/ndbg-2025/",
}
FINAL_STATUS = ("找到 ", "没有找到", "请输入关键词", "搜索暂时无法使用")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass


def build_demo(output: Path) -> None:
    sys.path.insert(0, str(CODE_DIR))
    from pipeline.content.repository import load_repository
    from pipeline.site.build import build_site
    from pipeline.timeutil import TZ

    now = datetime.strptime(DEMO_NOW, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
    result = build_site(load_repository(CODE_DIR, now=now), output, now)
    if not result.ok:
        raise SystemExit("演示站点构建失败,先运行 gongkai check 查看原因")


def shoot(site: Path, out: Path, families: dict[str, str] = FAMILIES) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://%s:%d" % server.server_address[:2]
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                              base_url=base)
                page = context.new_page()
                for family, path in families.items():
                    response = page.goto(path)
                    if response is None or response.status != 200:
                        raise SystemExit(f"{path}: 站点中没有这个页面(HTTP {response and response.status})")
                    if path.startswith("/search/"):
                        page.wait_for_function(
                            "finals => finals.some(s => (document.getElementById('search-status') || "
                            "{textContent: ''}).textContent.startsWith(s))", arg=list(FINAL_STATUS))
                    target = out / f"{family}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="为各类页面在 360 px 和 1280 px 宽度下截取整页截图")
    parser.add_argument("--site", type=Path, help="已构建的站点目录(默认:构建演示站点)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="截图写入的目录(默认 screenshots/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "output"
            build_demo(site)
        written = shoot(site, args.out)
    print(f"已写入 {len(written)} 张截图到 {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
