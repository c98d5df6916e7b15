#!/usr/bin/env python3
"""Full-page screenshots of the portal's page families at 360 px (a phone) and 1280 px (a desktop),
and of the browser editor (Decap CMS) at 1280 px, as a department editor sees it.

For a reviewer who changes a template or the stylesheet: look at every family at both widths before
merging, without clicking through a site. Run `make screenshots` (builds the demo portal, writes PNGs
to screenshots/), or on a site already built:

    .venv/bin/python ci/screenshots.py --site output --out screenshots

The editor's screenshots (`editor-*.png`: its list of an item type, a new item's form) come from
`gongkai cms build --backend local` over a throw-away clone of the demo content with decap-server in git
mode, both on 127.0.0.1; `--no-editor` leaves them out. README's "For editors" shows two of them
(ci/cms/screenshots/).

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


def shoot_editor(out: Path, scratch: Path) -> list[Path]:
    """The editor's list of 要闻动态 and a new news item's form (unit picked, id given), at 1280 px."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    from playwright.sync_api import sync_playwright

    repo = scratch / "content-repo"
    shutil.copytree(CODE_DIR / "content", repo / "content")
    (repo / "ci" / "cms").mkdir(parents=True)
    shutil.copy2(CODE_DIR / "ci" / "cms" / "config.yml", repo / "ci" / "cms" / "config.yml")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=云江市信息员", "-c", "user.email=editor@yunjiang.invalid", "commit", "-qm", "示例内容"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        api_port = probe.getsockname()[1]
    site = scratch / "admin"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "cms", "build", "--backend", "local", "--proxy-url",
                    f"http://127.0.0.1:{api_port}/api/v1", "--output", str(site)], cwd=repo, check=True,
                   env={**os.environ, "PYTHONPATH": str(CODE_DIR)}, capture_output=True)
    env = {**os.environ, "MODE": "git", "BIND_HOST": "127.0.0.1", "PORT": str(api_port), "GIT_REPO_DIRECTORY": str(repo)}
    proxy = subprocess.Popen(["node", str(CODE_DIR / "node_modules/decap-server/dist/index.js")], env=env, cwd=repo,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = "http://%s:%d/" % server.server_address[:2]
    written = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", api_port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("decap-server 没有在 127.0.0.1 上启动(需要 npm ci)") from None
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            context.set_default_timeout(30_000)
            # Only the admin site and decap-server: the page must not need any other host.
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
                          else r.abort())
            page = context.new_page()
            page.goto(address)
            page.get_by_role("button", name="登录").click()
            page.goto(f"{address}#/collections/news")
            page.get_by_role("heading", name="要闻动态").first.wait_for()
            page.wait_for_timeout(1000)  # the list's entries load after the heading
            written.append(out / "editor-list-1280.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            page.goto("about:blank")
            page.goto(f"{address}#/collections/news/new")
            unit = page.locator("label:text-is('发布单位')").locator(
                "xpath=following::*[self::input or self::textarea][1]").first
            unit.click()
            unit.fill("住房公积金")
            page.locator("[id*='-option-']").filter(has_text="住房公积金").first.click()
            page.locator("[data-gongkai-id^='xw-']").wait_for()
            title = page.locator("label:text-is('标题')").locator(
                "xpath=following::*[self::input or self::textarea][1]").first
            title.fill("市住房公积金管理中心开通线上提取“秒批”服务")
            page.wait_for_timeout(500)
            written.append(out / "editor-news-form-1280.png")
            page.screenshot(path=str(written[-1]))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        proxy.terminate()
        proxy.wait(timeout=10)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="为各类页面在 360 px 和 1280 px 宽度下截取整页截图")
    parser.add_argument("--site", type=Path, help="已构建的站点目录(默认:构建演示站点)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="截图写入的目录(默认 screenshots/)")
    parser.add_argument("--no-editor", action="store_true", help="不截取浏览器编辑后台的截图")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "output"
            build_demo(site)
        written = shoot(site, args.out)
        if not args.no_editor:
            written += shoot_editor(args.out, Path(scratch))
    print(f"已写入 {len(written)} 张截图到 {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
