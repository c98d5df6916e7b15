"""Benchmarks of the daily read: `gongkai audit`, the internal link check of `gongkai linkcheck`, and
LinkChecker crawling the same site served on 127.0.0.1 (what running LinkChecker alone would cost).

    .venv/bin/python bench/audit_bench.py [COUNT] [LINKCHECKER_COUNT]

Each command runs in its own process (wall time and peak RSS via wait4, as check_bench.py measures).
LinkChecker crawls every page, so it is measured on a smaller synthetic site (default 1,000 items).
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from check_bench import COMMAND, HERE, NOW, generate, machine, measure


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def built(count: int):
    root = HERE / "out" / f"synthetic-{count}"
    generate(root, count)
    site = HERE / "out" / f"site-audit-{count}"
    if not (site / "index.html").is_file():
        subprocess.run([*COMMAND, "--root", str(root), "build", "--now", NOW, "--output", str(site)], check=True,
                       stdout=subprocess.DEVNULL)
    return root, site


def linkchecker_seconds(site) -> tuple[float, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "linkcheck", "--no-status", "-o", "none", "--threads", "8",
                           f"http://127.0.0.1:{server.server_address[1]}/"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    server.shutdown()
    return seconds, done.returncode


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    small = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    root, site = built(count)
    rows = []
    for label, args in (
        ("audit (as of the bench's now)", [*COMMAND, "--root", str(root), "audit", "--as-of", NOW, "--format", "json",
                                           "--output", str(HERE / "out" / "audit.json")]),
        ("linkcheck, internal links", [*COMMAND, "--root", str(root), "linkcheck", "--site", str(site), "--now", NOW,
                                       "--format", "json", "--output", str(HERE / "out" / "links.json")]),
    ):
        seconds, rss, code = measure(args)
        rows.append(f"| synthetic {count:,} | {label} | {seconds:.2f} s | {rss:.0f} MiB | {code} |")
    _, small_site = built(small)
    seconds, code = linkchecker_seconds(small_site)
    pages = sum(1 for _ in small_site.rglob("*.html"))
    rows.append(f"| synthetic {small:,} ({pages:,} pages) | LinkChecker 10.6 crawling the site on 127.0.0.1, 8 threads "
                f"| {seconds:.2f} s | — | {code} |")
    print(f"Machine: {machine()}\n")
    print("| site | command | wall time | peak RSS | exit |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
