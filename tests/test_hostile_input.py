"""Hostile and careless input (issue 9): one file never takes the runner down.

Each case goes through the real command: exit 1, the rule code at `file:line`, no traceback, and the
check goes on with the other files (a clean item beside the bad one is still checked).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.repo_factory import NEWS, make_repo
from tests.test_cli import gongkai, no_traceback

BAD = "content/news/xw-9.md"
GOOD_WITH_ERROR = NEWS.replace("教育局召开会议。", "教育局召开会议,联系人手机 13912345678。")

ANCHORS = ("---\nid: xw-9\ntitle: 测试\nunit: jyj\ndate: 2026-03-01\n"
           'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
           + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
           + "---\n正文。\n")
DEEP = "---\nid: xw-9\ntitle: 测试\nunit: jyj\ndate: 2026-03-01\nextra: " + "[" * 5000 + "]" * 5000 + "\n---\n正文。\n"
DEEPER = "---\nid: xw-9\ntitle: 测试\nunit: jyj\ndate: 2026-03-01\nextra: " + "[" * 300000 + "]" * 300000 + "\n---\n"
MANY = "---\nid: xw-9\ntitle: 测试\nunit: jyj\ndate: 2026-03-01\n" + "".join(f"k{i}: v\n" for i in range(30000)) + "---\n"
LONG = "---\nid: xw-9\ntitle: 测试\nunit: jyj\ndate: 2026-03-01\nsummary: " + "长" * 150000 + "\n---\n"
BLOCK_DEEP = "---\nid: xw-9\ntitle: 测试\nunit: jyj\ndate: 2026-03-01\n" + "".join(
    " " * n + f"k{n}:\n" for n in range(40)) + " " * 40 + "v: 1\n---\n"

CASES = [  # (name, text, code, line)
    ("anchors-and-aliases", ANCHORS, "GK-YAML-005", 7),
    ("5000-deep-flow", DEEP, "GK-YAML-006", 2),
    ("300000-deep-flow", DEEPER, "GK-YAML-006", 2),
    ("40-deep-block", BLOCK_DEEP, "GK-YAML-006", 26),  # the key at depth 21
    ("30000-keys", MANY, "GK-YAML-007", 5001),
    ("150000-character-value", LONG, "GK-YAML-008", 6),
]


@pytest.mark.parametrize("name, text, code, line", CASES, ids=[c[0] for c in CASES])
def test_hostile_yaml_is_a_diagnostic_and_the_check_goes_on(tmp_path, name, text, code, line):
    root = make_repo(tmp_path, {BAD: text, "content/news/xw-1.md": GOOD_WITH_ERROR})
    started = time.monotonic()
    result = gongkai("--root", root, "check", "--format", "json")
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr[-2000:]
    no_traceback(result)
    found = {(d["code"], d["path"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert (code, BAD, line) in found, sorted(found)[:5]
    assert ("GK-PRIV-002", "content/news/xw-1.md", 7) in found  # the other file was still checked
    assert elapsed < 60  # a bound for a loaded CI runner, not a benchmark: it used to run out of memory


def test_hostile_yaml_costs_little_memory(tmp_path):
    """The nine-line alias bomb grew past 6 GB before; now the whole check stays small."""
    root = make_repo(tmp_path, {BAD: ANCHORS})
    code = ("import resource, sys\nfrom pipeline.cli import main\n"
            f"status = main(['--root', {str(root)!r}, 'check'])\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    peak_kib = int(done.stdout.strip().splitlines()[-1])
    assert peak_kib < 300 * 1024, peak_kib
