"""Search benchmark (issue 4): Pagefind indexing time and index size, and what one query downloads.

    .venv/bin/python bench/search_bench.py [COUNT]

For the demo and a synthetic COUNT-item repository (check_bench.py's
generator): build the site once, then time Pagefind's extended binary alone
over it (the build step `pipeline.site.search.index_site`) and measure the
bundle on disk. On the large site, load the real search page in Debian's
Chromium and count the bytes fetched from /pagefind/ for a first query (which
includes the WebAssembly and the filter index) and for a second, different
query on the same page (only the index chunks and fragments it needs).
"""
from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from check_bench import COMMAND, HERE, NOW, REPO, generate, machine

sys.path.insert(0, str(REPO))
from pipeline.site.search import BUNDLE_DIR, index_site  # noqa: E402
from pipeline.site.serve import Quiet  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build(root: Path, out: Path) -> None:
    subprocess.run([*COMMAND, "--root", str(root), "build", "--now", NOW, "--output", str(out)],
                   check=True, capture_output=True)


def index_figures(site: Path) -> tuple[float, int, int]:
    """Seconds to index, bundle bytes, bundle files."""
    shutil.rmtree(site / BUNDLE_DIR)
    start = time.perf_counter()
    index_site(site)
    seconds = time.perf_counter() - start
    files = [p for p in (site / BUNDLE_DIR).rglob("*") if p.is_file()]
    return seconds, sum(p.stat().st_size for p in files), len(files)


def query_bytes(site: Path, first: str, second: str) -> tuple[int, int, int, int]:
    """(bytes, requests) fetched from /pagefind/ for a first query, then for a second one."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    fetched: list[tuple[str, int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            # bypass_csp: Playwright's wait_for_function evaluates strings, which the site's CSP forbids.
            page = browser.new_context(bypass_csp=True).new_page()
            page.on("requestfinished", lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])))
            for number, term in enumerate((first, second)):
                before = len(fetched)
                if number == 0:
                    page.goto(f"{base}/search/?q={term}")
                    page.wait_for_selector("#search-form[data-ready=true]")
                else:
                    page.fill("#q", term)
                    page.press("#q", "Enter")
                page.wait_for_function(f"document.getElementById('search-status').textContent.startsWith('找到')"
                                       f" && location.search.includes(encodeURIComponent({term!r}))")
                page.wait_for_load_state("networkidle")
                chunk = [size for url, size in fetched[before:] if "/pagefind/" in url]
                if number == 0:
                    first_bytes, first_requests = sum(chunk), len(chunk)
                else:
                    second_bytes, second_requests = sum(chunk), len(chunk)
            browser.close()
    finally:
        server.shutdown()
    return first_bytes, first_requests, second_bytes, second_requests


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    synthetic = HERE / "out" / f"synthetic-{count}"
    if not synthetic.exists():
        generate(synthetic, count)
    rows = []
    for name, root in (("demo", REPO), (f"synthetic {count}", synthetic)):
        site = HERE / "out" / f"search-site-{name.replace(' ', '-')}"
        build(root, site)
        pages = sum(1 for _ in site.rglob("*.html"))
        seconds, size, files = index_figures(site)
        rows.append(f"| {name} | {pages} | {seconds:.2f} s | {size / 2**20:.1f} MiB | {files} |")
    print(f"Machine: {machine()}, Pagefind 1.6.0 extended\n")
    print("| site | HTML pages | indexing time | index size | index files |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    first, first_n, second, second_n = query_bytes(site, "住房公积金", "营业执照")
    print(f"\nOne query on the {count}-item index: first query 住房公积金 {first / 1024:.0f} KiB in {first_n} requests "
          f"(WebAssembly, entry, filters, index chunks, fragments); a second query 营业执照 on the same page "
          f"{second / 1024:.0f} KiB in {second_n} requests.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
