"""A failed build never touches the live site; the same input gives the same bytes."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pipeline import cli
from pipeline.site import build as run
from pipeline.pages import Page
from tests.repo_factory import INTERPRETATION, NEWS, POLICY, make_repo

from .conftest import CODE_DIR, DEMO_NOW, build, tree_hash

NOW = "2026-03-02 10:00"
FILES = {"content/news/xw-1.md": NEWS, "content/policies/zc-1.md": POLICY,
         "content/interpretations/jd-zc-1.md": INTERPRETATION}


def gongkai(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=CODE_DIR, timeout=300)


def leftovers(parent):
    """Staging or retired directories a build left beside its output."""
    return sorted(p.name for p in parent.iterdir() if ".building-" in p.name or ".old-" in p.name)


@pytest.fixture
def built(tmp_path):
    """A repository with a site already built into site/output."""
    root = make_repo(tmp_path, FILES)
    output = tmp_path / "site" / "output"
    done = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (output / "policies/zc-1/index.html").is_file()
    return root, output


def test_check_error_exits_1_and_leaves_the_previous_site_byte_for_byte(built):
    root, output = built
    before = tree_hash(output)
    broken = (root / "content/news/xw-1.md")
    broken.write_text(NEWS.replace("unit: jyj", "unit: no-such-unit"), encoding="utf-8")
    done = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW)
    assert done.returncode == 1
    assert "content/news/xw-1.md" in done.stdout, "the build shows the check's diagnostics"
    assert "原有网站未被改动" in done.stderr
    assert tree_hash(output) == before
    assert leftovers(output.parent) == []


def test_build_shows_the_same_diagnostics_as_check(built):
    root, output = built
    (root / "content/news/xw-1.md").write_text(NEWS.replace("unit: jyj", "unit: no-such-unit"), encoding="utf-8")
    checked = gongkai("--root", str(root), "check", "--now", NOW)
    building = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW)
    assert checked.returncode == building.returncode == 1
    errors = [line for line in checked.stdout.splitlines() if "错误 GK-" in line]
    assert errors and all(line in building.stdout for line in errors)


def broken_theme(tmp_path, template: str, text: str):
    theme = tmp_path / "theme-copy"
    shutil.copytree(CODE_DIR / "themes" / "portal", theme)
    (theme / "templates" / template).write_text(text, encoding="utf-8")
    return theme


def test_template_failure_leaves_the_previous_site_and_no_temporary_directory(built, tmp_path, monkeypatch, capsys):
    root, output = built
    before = tree_hash(output)
    theme = broken_theme(tmp_path, "policy.html", '{% extends "base.html" %}{% block content %}{{ entry.meta.nothing.here }}{% endblock %}')
    monkeypatch.setattr(run, "THEME_DIR", theme)
    code = cli.main(["--root", str(root), "build", "--output", str(output), "--now", NOW])
    assert code == 2, "a rendering failure is a system error, not a content error"
    assert "原有网站未被改动" in capsys.readouterr().err
    assert tree_hash(output) == before
    assert leftovers(output.parent) == []


def test_plugin_failure_leaves_the_previous_site(built, monkeypatch):
    root, output = built
    before = tree_hash(output)

    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(Page, "context", explode)  # raised inside the plugin, while pages are written
    # An edit, so that pages must be rendered (unchanged ones are linked from the live site unrendered).
    (root / "content/news/xw-1.md").write_text(NEWS.replace("title: ", "title: 【更新】", 1), encoding="utf-8")
    with pytest.raises(run.BuildError, match="boom"):
        build(root, output, NOW)
    assert tree_hash(output) == before
    assert leftovers(output.parent) == []


def test_a_body_that_fails_to_render_stops_the_build_and_is_never_published_empty(built, monkeypatch):
    """Templates read `entry.html` through getattr: an AttributeError inside rendering would otherwise be
    taken for a missing attribute and the page published without its body."""
    from pipeline.core.site_items import Catalogue

    root, output = built
    before = tree_hash(output)

    def broken(self, item, key, text):
        raise AttributeError("'list' object has no attribute 'get'")

    monkeypatch.setattr(Catalogue, "render_text", broken)
    (root / "content/news/xw-1.md").write_text(NEWS.replace("title: ", "title: 【更新】", 1), encoding="utf-8")
    with pytest.raises(run.BuildError, match="正文渲染失败"):
        build(root, output, NOW)
    assert tree_hash(output) == before


def test_a_broken_internal_link_stops_the_swap(built, tmp_path, monkeypatch):
    root, output = built
    before = tree_hash(output)
    page = (CODE_DIR / "themes/portal/templates/404.html").read_text(encoding="utf-8")
    home_link = '<a href="{{ addresses.home }}">首页</a>'
    assert home_link in page, "the 404 template changed: break another of its links"
    theme = broken_theme(tmp_path, "404.html", page.replace(home_link, '<a href="/no/such/page/">首页</a>'))
    monkeypatch.setattr(run, "THEME_DIR", theme)
    site = build(root, output, NOW)
    assert not site.result.ok
    problems = [d for d in site.result.diagnostics if d.code == "GK-LINK-001"]
    assert [d.path for d in problems] == [f"{output.as_posix()}/404.html"]
    assert "/no/such/page/" in problems[0].message
    assert tree_hash(output) == before
    assert leftovers(output.parent) == []


def test_first_build_failing_leaves_no_output(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS.replace("unit: jyj", "unit: nobody")})
    output = tmp_path / "out" / "output"
    done = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW)
    assert done.returncode == 1
    assert not output.exists()
    assert not output.parent.exists() or leftovers(output.parent) == []


def test_rebuild_replaces_the_site_and_cleans_up(built):
    root, output = built
    (output / "stale.html").write_text("old", encoding="utf-8")
    done = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW)
    assert done.returncode == 0
    assert not (output / "stale.html").exists(), "output/ is replaced, not merged into"
    assert leftovers(output.parent) == []


def test_two_builds_give_identical_bytes(tmp_path):
    root = make_repo(tmp_path, FILES)
    first = build(root, tmp_path / "a" / "output", NOW)
    second = build(root, tmp_path / "b" / "elsewhere", NOW)
    assert first.result.ok and second.result.ok
    assert tree_hash(first.output) == tree_hash(second.output)


def test_two_builds_of_the_demo_give_identical_bytes(demo, demo_root, tmp_path):
    again = build(demo_root, tmp_path / "output", DEMO_NOW)
    assert tree_hash(again.output) == tree_hash(demo.output)


def test_now_changes_only_what_depends_on_it(tmp_path):
    root = make_repo(tmp_path, FILES)
    first = build(root, tmp_path / "a", NOW)
    later = build(root, tmp_path / "b", "2026-03-05 10:00")
    assert tree_hash(first.output) == tree_hash(later.output), "nothing scheduled in between: same site"


def test_timings_say_how_long_each_stage_took_and_the_memory_by_then(built, tmp_path):
    import json

    root, output = built
    done = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW, "--timings")
    assert done.returncode == 0, done.stderr
    (line,) = [ln for ln in done.stderr.splitlines() if ln.startswith("GONGKAI_TIMINGS ")]
    data = json.loads(line.split(" ", 1)[1])
    stages = [s["stage"] for s in data["stages"]]
    assert stages == ["load", "check", "plan", "render", "index", "linkcheck", "swap"]
    assert all(s["seconds"] >= 0 and s["peak_rss_mib"] > 10 for s in data["stages"])
    assert data["stages"][-1]["peak_rss_mib"] >= data["stages"][0]["peak_rss_mib"]  # a peak only grows
    quiet = gongkai("--root", str(root), "build", "--output", str(output), "--now", NOW)
    assert "GONGKAI_TIMINGS" not in quiet.stderr
