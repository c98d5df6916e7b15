"""Benchmarks: `gongkai check` and `gongkai build` on the demo and a synthetic 10,000-item repository.

Each command runs in its own process; wall time and that process's peak RSS
are measured (wait4), so the figures are what an editor or CI job sees.
Prints a Markdown table to paste into bench/README.md.

    .venv/bin/python bench/run.py [COUNT]
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GONGKAI = Path(sys.executable).with_name("gongkai")
NOW = "2026-11-25 12:00"

sys.path.insert(0, str(HERE))
from synthetic import generate  # noqa: E402


def measure(args: list[str]) -> tuple[float, float, int]:
    """Run a command; return (seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, "
            f"pelican {version('pelican')}, jsonschema {version('jsonschema')}, PyYAML {version('pyyaml')}")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    synthetic = HERE / "out" / f"synthetic-{count}"
    generate(synthetic, count)
    rows = []
    for name, root in (("demo", REPO), (f"synthetic {count}", synthetic)):
        out = HERE / "out" / f"site-{name.replace(' ', '-')}"
        for label, args in (
            ("check", [str(GONGKAI), "--root", str(root), "check", "--now", NOW]),
            ("build", [str(GONGKAI), "--root", str(root), "build", "--now", NOW, "--output", str(out)]),
        ):
            seconds, rss, code = measure(args)
            rows.append(f"| {name} | {label} | {seconds:.2f} s | {rss:.0f} MiB | {code} |")
    print(f"Machine: {machine()}\n")
    print("| repository | command | wall time | peak RSS | exit |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
