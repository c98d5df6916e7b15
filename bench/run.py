"""Benchmarks: `gongkai check` and `gongkai build` on the demo and a synthetic repository.

Uses check_bench.py's generator (every content type, check-clean) and its
measurement (each command in its own process; wall time and that process's
peak RSS via wait4). Prints a Markdown table to paste into bench/README.md.

    .venv/bin/python bench/run.py [COUNT]
"""
from __future__ import annotations

import sys

from check_bench import COMMAND, HERE, NOW, REPO, generate, machine, measure


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    synthetic = HERE / "out" / f"synthetic-{count}"
    generate(synthetic, count)
    rows = []
    for name, root in (("demo", REPO), (f"synthetic {count}", synthetic)):
        out = HERE / "out" / f"site-{name.replace(' ', '-')}"
        for label, args in (
            ("check", [*COMMAND, "--root", str(root), "check", "--now", NOW]),
            ("build", [*COMMAND, "--root", str(root), "build", "--now", NOW, "--output", str(out)]),
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
