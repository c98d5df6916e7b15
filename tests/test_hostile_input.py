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
    # VmHWM is this process's own peak: getrusage's ru_maxrss also counts the pytest process it was
    # forked from (Linux carries the old memory's high-water mark across exec), large late in a suite.
    code = ("import re, sys\nfrom pipeline.cli import main\n"
            f"status = main(['--root', {str(root)!r}, 'check'])\n"
            "status_text = open('/proc/self/status').read()\n"
            "print(re.search(r'VmHWM:\\s+(\\d+) kB', status_text).group(1))\nsys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    peak_kib = int(done.stdout.strip().splitlines()[-1])
    assert peak_kib < 300 * 1024, peak_kib


def _news(title: str = "测试新闻", body: str = "教育局召开会议。") -> str:
    return NEWS.replace("title: 测试新闻", f"title: {title}").replace("教育局召开会议。", body)


ID = "45010319900307123"
from stdnum.cn import ric  # noqa: E402

ID += ric.calc_check_digit(ID + "0")

CONTENT_CASES = [  # (name, text, code, line): what an editor pastes, refused with exit 1 at file:line
    ("id-in-groups", _news(body=f"身份证号 {ID[:6]} {ID[6:14]} {ID[14:]}"), "GK-PRIV-001", 7),
    ("id-with-zero-width-space", _news(body=f"身份证号 {ID[:9]}\u200b{ID[9:]}"), "GK-PRIV-001", 7),
    ("nul-in-body", _news(body="会议\x00通知"), "GK-TEXT-001", 7),
    ("control-character-in-body", _news(body="会议\x01通知"), "GK-TEXT-001", 7),
    ("bidi-override-in-title", _news(title="会议\u202e通知"), "GK-TEXT-002", 3),
    ("template-body-left-in", _news(body="（在此写正文,使用 Markdown。链接到其他条目时,链接地址写成 item: 加条目编号。）"),
     "GK-WORD-002", 7),
    ("todo-marker", _news(body="会议时间:TODO"), "GK-WORD-002", 7),
    ("placeholder-in-title", _news(title="关于XXX的通知"), "GK-WORD-002", 3),
]


@pytest.mark.parametrize("name, text, code, line", CONTENT_CASES, ids=[c[0] for c in CONTENT_CASES])
def test_careless_input_is_refused_at_its_line(tmp_path, name, text, code, line):
    root = make_repo(tmp_path, {"content/news/xw-1.md": text})
    result = gongkai("--root", root, "check")
    assert result.returncode == 1, result.stdout[-2000:]
    no_traceback(result)
    assert f"content/news/xw-1.md:{line}:" in result.stdout and code in result.stdout, result.stdout[-2000:]


def test_mistyped_real_id_is_a_warning_at_its_line(tmp_path):
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    result = gongkai("--root", make_repo(tmp_path, {"content/news/xw-1.md": _news(body=f"号码 {wrong}")}), "check")
    assert result.returncode == 0
    assert "content/news/xw-1.md:7:" in result.stdout and "警告 GK-PRIV-004" in result.stdout
    no_traceback(result)
