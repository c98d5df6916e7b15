"""Search benchmark (issues 4 and 26): what a rebuild's indexing costs and what a first query downloads.

    .venv/bin/python bench/search_bench.py [N ...] [--pages-per-part P] [--no-rebuilds] [--no-queries]

For each synthetic N-item repository (check_bench.py's generator) it builds the site once (cold, unless
its output is there), then rebuilds it after one news item's title changed and after one policy's title
changed (the policy's title is shown on its interpretations' pages and listings too) and after a change to
the footer of the theme's base template (every page's bytes change, no searchable content does), each edit
undone afterwards, and reports the `index` stage of `gongkai build --timings`, the wall time and how many parts
Pagefind indexed. Then it loads the real search page in Debian's Chromium and counts the requests and the
bytes fetched from /pagefind/ for a first query (everything the page needs before it shows results:
pagefind.js, the worker, the WebAssembly, each part's entry, metadata, filters, index chunks and the
fragments of the first 20 results) and for a second, different query on the same page. Bytes are the
response bodies as served by Python's http.server (no compression; nginx would gzip the JavaScript).

`--pages-per-part P` writes `search: {pages_per_part: P}` into the corpus's settings first. To measure
another version of the code (the commit before a change), run it with PYTHONPATH set to a copy of that
version's source tree (`git archive REV | tar -x -C DIR`) and `--label`.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from check_bench import COMMAND, HERE, NOW, REPO, generate, machine
from run import TEMPLATE, edited, first

sys.path.insert(0, str(REPO))
from pipeline.site.serve import Quiet  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = ("住房公积金", "营业执照")
INDEXED = re.compile(r"重建搜索索引 (\d+)/(\d+) 块")


def build(corpus: Path, out: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([*COMMAND, "--root", str(corpus), "build", "--now", NOW, "--output", str(out), "--timings"],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {proc.stderr[-2000:]}")
    stages = {}
    for line in proc.stderr.splitlines():
        if line.startswith("GONGKAI_TIMINGS "):
            stages = {s["stage"]: s["seconds"] for s in json.loads(line.split(" ", 1)[1])["stages"]}
    parts = INDEXED.search(proc.stdout + proc.stderr)
    return {"wall": wall, "index": stages.get("index", 0.0),
            "parts": f"{parts.group(1)}/{parts.group(2)}" if parts else "?"}


def rebuilds(corpus: Path, out: Path) -> list[tuple[str, dict]]:
    rows = []
    news = first(corpus, "news")
    policy = first(corpus, "policies", "doc_type: 行政规范性文件")
    for label, path, old, new in (("one news item's title changed", news, "title: ", "title: 【更新】"),
                                  ("one policy's title changed", policy, "title: ", "title: 【修订】"),
                                  ("a template change around the content (the footer)", TEMPLATE, "</footer>",
                                   "<!-- bench -->\n</footer>")):
        with edited(path, old, new):
            rows.append((label, build(corpus, out)))
        build(corpus, out)  # back to the corpus as generated, so the next scenario starts from it
    return rows


def query_cost(site: Path, terms=QUERIES) -> list[dict]:
    """For each query in turn on one search page: requests and bytes from /pagefind/, by kind of file."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    fetched: list[tuple[str, int]] = []
    out = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            # bypass_csp: Playwright's wait_for_function evaluates strings, which the site's CSP forbids.
            context = browser.new_context(bypass_csp=True)
            # A worker's script is fetched outside the page's own requests: counted through the context.
            context.on("requestfinished", lambda r: fetched.append((r.url, _served_size(site, r.url))))
            page = context.new_page()
            for number, term in enumerate(terms):
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
                kinds: Counter = Counter()
                sizes: Counter = Counter()
                for url, size in fetched[before:]:
                    if "/pagefind/" in url:
                        kind = _kind(url.split("/pagefind/", 1)[1])
                        kinds[kind] += 1
                        sizes[kind] += size
                out.append({"term": term, "requests": sum(kinds.values()), "bytes": sum(sizes.values()),
                            "kinds": {k: (kinds[k], sizes[k]) for k in sorted(kinds)}})
            browser.close()
    finally:
        server.shutdown()
    return out


def _served_size(site: Path, url: str) -> int:
    """The bytes the server sent: the file itself (http.server neither compresses nor transforms; Playwright
    reports no body size for a worker's script)."""
    path = urlsplit(url).path
    return (site / unquote(path).lstrip("/")).stat().st_size if "/pagefind/" in path else 0


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    folder = path.split("/")[-2] if path.count("/") >= 2 else ""
    if folder in ("index", "filter", "fragment"):
        return folder
    if name.endswith(".pf_meta"):
        return "meta"
    return name.split(".")[0] if not name.startswith("wasm") else "wasm"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[2000])
    parser.add_argument("--pages-per-part", type=int)
    parser.add_argument("--no-rebuilds", action="store_true")
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--label", default="", help="a name for the built site's folder (bench/out/search-site-N-LABEL), "
                                                    "to keep the sites of two versions apart")
    args = parser.parse_args()
    print(f"Machine: {machine()}, Pagefind 1.6.0 extended\n")
    for count in args.counts:
        corpus = HERE / "out" / f"synthetic-{count}"
        if not corpus.exists():
            generate(corpus, count)
        settings = corpus / "content" / "governance" / "settings.yaml"
        if args.pages_per_part:
            settings.write_text(f"search:\n  pages_per_part: {args.pages_per_part}\n", encoding="utf-8")
        site = HERE / "out" / f"search-site-{count}{'-' + args.label if args.label else ''}"
        if not site.exists():
            cold = build(corpus, site)
            print(f"N = {count:,}: cold build {cold['wall']:.1f} s, index {cold['index']:.2f} s, parts {cold['parts']}")
        else:
            build(corpus, site)  # the site as this corpus and this code give it
        manifest = json.loads((site / "pagefind" / "partitions.json").read_text(encoding="utf-8"))["partitions"]
        sizes = [p["pages"] for p in manifest]
        print(f"\nN = {count:,}: {sum(sizes)} searchable pages in {len(sizes)} parts ({min(sizes)}–{max(sizes)} pages)\n")
        if not args.no_rebuilds:
            print("| rebuild after | index stage | parts indexed | wall time |\n|---|---|---|---|")
            for label, row in rebuilds(corpus, site):
                print(f"| {label} | {row['index']:.2f} s | {row['parts']} | {row['wall']:.2f} s |")
            print()
        if not args.no_queries:
            print("| query | requests | bytes | by kind (requests, KiB) |\n|---|---|---|---|")
            for number, q in enumerate(query_cost(site)):
                kinds = ", ".join(f"{k} {n}/{b / 1024:.0f}" for k, (n, b) in q["kinds"].items())
                which = "first" if number == 0 else "second"
                print(f"| {which}: {q['term']} | {q['requests']} | {q['bytes'] / 1024:.0f} KiB | {kinds} |")
            print()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
