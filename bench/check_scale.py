"""Per-item cost of loading, the whole check, the cached check after one change and the plan, at several sizes.

    .venv/bin/python bench/check_scale.py [--out DIR] [--runs 3] 2000 5000 10000

Generates `bench/check_bench.py`'s repository at each size under DIR (default bench/out/scale-N; kept, so
that a second run measures the same bytes), then in one process per size, with the parse cache warm:

- load: `load_repository` from the parse cache;
- whole check: `check_repository`, every rule over every file (what `gongkai check` cost before issue 26);
- cached check: `check.cached.check_repository_cached` after one news item changed (the build's gate and
  `gongkai check` since issue 26), and with nothing changed;
- plan: `site.build_plan.plan_site` (catalogue, every page and its dependencies).

Then `gongkai check` itself, in its own process, with nothing changed and with one news item changed.

Prints one Markdown row per size: medians of `--runs` of the process's CPU time (`time.process_time`, which
other work on the machine disturbs far less than wall time), seconds and microseconds per item. A stage whose
per-item cost rises with the size grows faster than the items (profile it with cProfile at the sizes
where it rises). Run it with PYTHONPATH pointing at another checkout to measure that code on the same corpora
(the cached check is skipped where the code has none).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

MEASURE = r"""
import os, statistics, sys, time
from datetime import datetime
from pathlib import Path
from pipeline.timeutil import TZ
from pipeline.content.repository import load_repository
from pipeline.check.whole import check_repository
from pipeline.site.build import THEME_DIR
from pipeline.site.build_cache import load_markdown
from pipeline.site.build_plan import plan_site
try:
    from pipeline.check.cached import check_repository_cached
    from pipeline.cli.common import loaded_kept  # what gongkai check and build do with the loaded repository
    from pipeline.content.repository import collector_paused  # what the build does while it plans
except ImportError:
    check_repository_cached = None
    from contextlib import nullcontext as loaded_kept, nullcontext as collector_paused
root, runs = Path(sys.argv[1]), int(sys.argv[2])
now = datetime(2026, 11, 25, 12, tzinfo=TZ)
news = sorted((root / "content" / "news").glob("*.md"))[7]
original = news.read_bytes()
load_repository(root, now=now)  # the parse cache warm
times = {k: [] for k in ("load", "whole", "cached_one", "cached_none", "plan")}
def timed(key, fn):
    # CPU time of this process: on a machine others share, wall time measures them as much as this code.
    t = time.process_time(); out = fn(); times[key].append(time.process_time() - t); return out
try:
    for run in range(runs):
        repo = timed("load", lambda: load_repository(root, now=now))
        with loaded_kept(repo):
            whole = timed("whole", lambda: check_repository(repo))
            with collector_paused():
                timed("plan", lambda: plan_site(repo, now, THEME_DIR, load_markdown(root)))
        if check_repository_cached is not None:
            check_repository_cached(load_repository(root, now=now))
            news.write_bytes(original + ("\n补充说明:第 %d 次。\n" % run).encode())
            repo = load_repository(root, now=now)
            with loaded_kept(repo):
                timed("cached_one", lambda: check_repository_cached(repo))
            repo = load_repository(root, now=now)
            with loaded_kept(repo):
                timed("cached_none", lambda: check_repository_cached(repo))
            news.write_bytes(original)
finally:
    news.write_bytes(original)
print(len(repo.items), *(statistics.median(v) if v else -1 for v in times.values()))
"""


def cli_check(root: Path, runs: int) -> tuple[float, float, float, float]:
    """`gongkai check` in its own process: medians of wall and CPU time (user + system, os.wait4) with nothing
    changed since the last check, then with one news item changed before each run."""
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(root), "check", "--now", "2026-11-25 12:00"]
    news = sorted((root / "content" / "news").glob("*.md"))[7]
    original = news.read_bytes()

    def once() -> tuple[float, float]:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        return time.perf_counter() - started, usage.ru_utime + usage.ru_stime

    try:
        once()  # caches as a previous check leaves them
        unchanged = [once() for _ in range(runs)]
        changed = []
        for run in range(runs):
            news.write_bytes(original + ("\n补充说明:命令行第 %d 次。\n" % run).encode())
            changed.append(once())
    finally:
        news.write_bytes(original)
    return (statistics.median(w for w, _ in unchanged), statistics.median(c for _, c in unchanged),
            statistics.median(w for w, _ in changed), statistics.median(c for _, c in changed))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from check_bench import generate

    measured = []
    print("| items | load | whole check | cached check, one news item changed | cached check, nothing changed | plan |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        root = args.out / f"scale-{size}"
        if not (root / "content").is_dir():
            generate(root, size)
        proc = subprocess.run([sys.executable, "-c", MEASURE, str(root), str(args.runs)], capture_output=True,
                              text=True, env=os.environ)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        items, *seconds = proc.stdout.split()
        items = int(items)
        cells = [f"{float(s):.2f} s ({float(s) / items * 1e6:.0f} µs)" if float(s) >= 0 else "—" for s in seconds]
        print(f"| {items:,} | " + " | ".join(cells) + " |", flush=True)
        measured.append((items, cli_check(root, args.runs)))
    print("\n`gongkai check` in its own process (wall time / CPU time, medians):\n")
    print("| items | nothing changed since the last check | one news item changed |")
    print("|---:|---:|---:|")
    for items, (wall, cpu, wall_one, cpu_one) in measured:
        print(f"| {items:,} | {wall:.2f} s / {cpu:.2f} s ({cpu / items * 1e6:.0f} µs) | "
              f"{wall_one:.2f} s / {cpu_one:.2f} s ({cpu_one / items * 1e6:.0f} µs) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
