"""The incremental build (issue 14): a build on top of the live output — pages, files and search parts
whose bytes do not change linked from it, only the rest written, indexed and link-checked, Markdown
taken from the cache — gives byte for byte what a build from nothing gives.

A seeded random sequence of edits to a copy of the demo (edit a body or a title, add, delete and
rename an item, withdraw one, schedule one, change a dataset's CSV, a template, a template the item
pages extend, one they include, and the site's settings) is built after each edit twice: incrementally
into one output that lives on, and from nothing (no output, no cache) into a fresh one. The two trees
must be identical, file for file. Time moves on between the builds, past the demo's moments (a
policy and its interpretation published on their date, a survey closing, a policy's term running
out): a page only time changed must be rendered again even though nothing it reads was edited.
"""
from __future__ import annotations

import json
import random
import re
import shutil

import pytest

from pipeline.site import build as site_run
from pipeline.site.build_cache import load_pages
from pipeline.site.search import BUNDLE_DIR

from .conftest import DEMO_NOW, build, tree_hash

pytestmark = pytest.mark.usefixtures("caches_in_the_repository")  # they read <root>/.cache/gongkai

SEED = 14
STEPS = 12
# The moment of each build, one per step after the first (DEMO_NOW): just before and at the demo's own
# moments (ybj-2026-6 and its interpretation published 2026-12-08 09:00, survey dc-2026-1110 closed from
# 2026-12-11, policy yjzfb-2025-11 失效 from 2027-01-01) and the item the schedule edit moves to 2026-12-30.
NOWS = ["2026-11-30 10:00", "2026-12-08 08:59", "2026-12-08 09:00", "2026-12-10 23:59", "2026-12-11 00:00",
        "2026-12-20 12:00", "2026-12-30 08:59", "2026-12-30 09:00", "2026-12-31 23:59", "2027-01-01 00:00",
        "2027-01-01 00:00", "2027-01-02 09:00", "2027-01-03 10:00"]
# In parts of about 100 pages (three for the demo), so that one edit leaves some parts unindexed.
SETTINGS = "search:\n  pages_per_part: 100\n"


@pytest.fixture
def theme(tmp_path, monkeypatch):
    """A copy of the theme the builds use, so that the test can change a template."""
    copy = tmp_path / "theme"
    shutil.copytree(site_run.THEME_DIR, copy)
    # A partial the article pages include, through article.html which they extend (edit_included_template).
    (copy / "templates" / NOTE).write_text("", encoding="utf-8")
    replace_once(copy / "templates" / "article.html", "</article>", f'{{% include "{NOTE}" %}}\n</article>')
    monkeypatch.setattr(site_run, "THEME_DIR", copy)
    return copy


NOTE = "_article_note.html"


def news_files(root):
    return sorted((root / "content" / "news").rglob("*.md"))


def unlinked_news(root):
    """News items no other file names (deleting or renaming them breaks no reference)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md"))
    return [p for p in news_files(root) if text.count(p.stem) == 1]


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(root, rng, theme):
    path = rng.choice(news_files(root) + sorted((root / "content" / "notices").rglob("*.md")))
    path.write_text(path.read_text(encoding="utf-8") + f"\n本文于第 {rng.randint(1, 999)} 次修改时补充。\n",
                    encoding="utf-8")
    return f"body of {path.stem}"


def edit_title(root, rng, theme):
    path = rng.choice(sorted((root / "content" / "policies").rglob("*.md")))  # interpretations show it too
    replace_once(path, "title: ", "title: 【修订】")
    return f"title of {path.stem}"


def add_item(root, rng, theme):
    source = rng.choice(news_files(root))
    new_id = f"xw-2026-9{rng.randint(100, 999)}"
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(r"^date: .*$", "date: 2026-11-20 10:00", text, count=1, flags=re.M)
    text = re.sub(r"^title: (.*)$", r"title: \1(续)", text, count=1, flags=re.M)
    (source.parent / f"{new_id}.md").write_text(text, encoding="utf-8")
    return f"added {new_id}"


def delete_item(root, rng, theme):
    path = rng.choice(unlinked_news(root))
    path.unlink()
    return f"deleted {path.stem}"


def rename_item(root, rng, theme):
    path = rng.choice(unlinked_news(root))
    new_id = path.stem + "-1"
    replace_once(path, f"id: {path.stem}", f"id: {new_id}")
    path.rename(path.with_name(f"{new_id}.md"))
    return f"renamed {path.stem} to {new_id}"


def withdraw_item(root, rng, theme):
    path = rng.choice([p for p in unlinked_news(root) if "withdrawn:" not in p.read_text(encoding="utf-8")])
    replace_once(path, "\n---\n", "\nwithdrawn:\n  date: 2026-11-25 10:00\n  reason: 内容已过时。\n---\n")
    return f"withdrew {path.stem}"


def schedule_item(root, rng, theme):
    path = rng.choice(unlinked_news(root))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^date: .*$", "date: 2026-12-30 09:00", text, count=1, flags=re.M), encoding="utf-8")
    return f"scheduled {path.stem}"


def edit_csv(root, rng, theme):
    path = root / "content" / "files" / "tjj" / "2026" / "sj-tjj-czrk" / "czrk.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = rng.randrange(1, len(lines))
    cells = lines[row].split(",")
    cells[-1] = str(int(float(cells[-1])) + 1) if re.fullmatch(r"\d+(\.\d+)?", cells[-1]) else cells[-1]
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"a cell of {path.name}"


def edit_template(root, rng, theme):
    replace_once(theme / "templates" / "base.html", "</footer>", "<!-- 改版 -->\n</footer>")
    return "base.html"


def edit_extended_template(root, rng, theme):
    replace_once(theme / "templates" / "article.html", "</article>", '<p class="article-end">(完)</p>\n</article>')
    return "article.html, which news, notices and interpretations extend"


def edit_included_template(root, rng, theme):
    (theme / "templates" / NOTE).write_text(f'<p class="article-note">第 {rng.randint(1, 99)} 版</p>\n', encoding="utf-8")
    return f"{NOTE}, which article.html includes"


def edit_site(root, rng, theme):
    replace_once(root / "content" / "governance" / "site.yaml", "name: ", "name: 新")
    return "site.yaml"


EDITS = [edit_body, edit_title, add_item, delete_item, rename_item, withdraw_item, schedule_item, edit_csv,
         edit_template, edit_extended_template, edit_included_template, edit_site]
MANY_PAGES = (edit_template, edit_extended_template, edit_included_template, edit_site)


def test_random_edits_build_incrementally_to_what_a_full_build_gives(demo_root, tmp_path, theme):
    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    (work / "content" / "governance" / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    live = tmp_path / "live"
    first = build(work, live, DEMO_NOW)
    assert first.result.ok and first.result.search_parts == 3
    rng = random.Random(SEED)
    # Every kind of edit once, in a seeded order, the cheap ones again in between.
    plan = rng.sample(EDITS, len(EDITS))
    plan = plan[:STEPS // 2] + [edit_body] + plan[STEPS // 2:]
    assert len(plan) == len(NOWS)
    reused_some = False
    for step, (edit, now) in enumerate(zip(plan, NOWS)):
        what = f"{edit(work, rng, theme)}, built as of {now}"
        incremental = build(work, live, now)
        fresh_root = tmp_path / f"fresh-{step}"
        shutil.copytree(work / "content", fresh_root / "content")  # no output and no cache
        full = build(fresh_root, tmp_path / f"full-{step}", now)
        assert incremental.result.ok and full.result.ok, what
        a, b = tree_hash(live), tree_hash(full.output)
        differing = sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n))
        assert not differing, f"after step {step} ({what}) the incremental output differs: {differing[:10]}"
        # The next build's link check takes the live site's files from its record, not from a listing.
        recorded = load_pages(work, live)
        assert recorded is not None and recorded.files == {n for n, h in a.items() if h != "dir" and
                                                           not n.startswith(BUNDLE_DIR + "/")}, what
        assert incremental.result.changed < full.result.changed or edit in MANY_PAGES, what
        # Most pages are linked unrendered: otherwise the identity above would say nothing about skipping.
        assert 2 * incremental.result.kept > full.result.pages or edit in MANY_PAGES, what
        reused_some |= len(incremental.result.reindexed) < incremental.result.search_parts
        shutil.rmtree(fresh_root)
        shutil.rmtree(full.output)
    assert reused_some, "no edit left a search part as it was: the parts would save nothing"
    # Time did what the sequence was chosen for, so the identity covered pages only time changed.
    site = build(work, live, NOWS[-1])
    assert "已结束" in site.soup("/surveys/dc-2026-1110/").select_one(".survey-state").get_text()
    assert site.soup("/policies/yjzfb-2025-11/").select_one("td.validity").get_text() == "失效"
    assert site.exists("/policies/ybj-2026-6/")


def test_a_page_only_time_changes_is_rendered_again_when_its_moment_comes(demo_root, tmp_path):
    """Nothing edited, the clock past the survey's closing: its page, the listing of 政民互动 and the home
    page say it closed, as a build from nothing does; the pages nothing changed are not rendered."""
    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    live = tmp_path / "live"
    assert build(work, live, "2026-12-10 23:59").result.ok
    later = build(work, live, "2026-12-11 00:00")
    full = build(work, tmp_path / "full", "2026-12-11 00:00")
    assert later.result.ok and full.result.ok
    assert tree_hash(live) == tree_hash(full.output)
    assert later.soup("/surveys/dc-2026-1110/").select_one(".survey-state").get_text().startswith("已结束")
    listed = later.soup("/hudong/").find("a", href="/surveys/dc-2026-1110/").parent
    assert "已结束" in listed.select_one(".survey-state").get_text()
    assert 0 < later.result.changed and 2 * later.result.kept > later.result.pages


def test_a_rebuild_with_nothing_changed_writes_nothing_and_indexes_nothing(demo_root, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    before = build(work, tmp_path / "live", DEMO_NOW)
    again = build(work, tmp_path / "live", DEMO_NOW)
    assert before.result.ok and again.result.ok
    assert again.result.reindexed == [] and again.result.search_parts == before.result.search_parts
    # Every page and file, the theme's too, is linked from the live site.
    assert again.result.changed == 0, again.result.changed


def test_a_damaged_cache_is_ignored(demo_root, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    clean = build(work, tmp_path / "a", DEMO_NOW)
    shards = sorted((work / ".cache" / "gongkai" / "markdown").glob("*.json"))
    assert len(shards) > 100
    shards[0].write_text('{"version": "x", "entries": {"a": 1', encoding="utf-8")  # truncated
    data = json.loads(shards[1].read_text(encoding="utf-8"))
    shards[2].write_text(json.dumps(data), encoding="utf-8")  # another shard's keys: not this one's
    shards[3].write_text("[]", encoding="utf-8")
    damaged = build(work, tmp_path / "b", DEMO_NOW)
    assert damaged.result.ok and tree_hash(clean.output) == tree_hash(damaged.output)


def test_a_rebuild_reads_and_rewrites_only_the_cached_conversions_it_needs(demo_root, tmp_path, monkeypatch):
    """Converted Markdown is kept in 256 shards by the text's hash: a rebuild after one body changed writes
    the shard of the new text and no other, and reads only shards of the texts of pages it renders."""
    from pipeline.site import build_cache

    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    live = tmp_path / "live"
    build(work, live, DEMO_NOW)
    folder = work / ".cache" / "gongkai" / "markdown"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.json")}
    news = sorted((work / "content" / "news").rglob("*.md"))[0]
    body = "\n\n云江市今天发布了一条只为本测试写的消息。\n"
    news.write_text(news.read_text(encoding="utf-8") + body, encoding="utf-8")
    read = []
    original = build_cache.ShardedEntries._read
    monkeypatch.setattr(build_cache.ShardedEntries, "_read", lambda self, name: read.append(name) or original(self, name))
    monkeypatch.setenv("GONGKAI_WORKERS", "1")  # the shards read in this process, where the list is
    again = build(work, live, DEMO_NOW)
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.json")}
    assert after.keys() == before.keys()
    rewritten = [name for name in after if after[name] != before[name]]
    assert len(rewritten) == 1, rewritten
    assert 0 < len(read) < 40 and rewritten[0].removesuffix(".json") in read, read
    assert again.result.changed < 20


def test_a_cache_committed_to_the_repository_is_never_read(demo_root, tmp_path):
    """Cached conversions go onto pages unsanitised: a `.cache/` that arrives with the content (committed in
    a merge request) must not be able to put script on the site."""
    import json
    import subprocess

    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    clean = build(work, tmp_path / "a", DEMO_NOW)
    for cache in (work / ".cache" / "gongkai" / "markdown").glob("*.json"):
        data = json.loads(cache.read_text(encoding="utf-8"))
        data["entries"] = {key: "<script>alert(1)</script>" for key in data["entries"]}
        cache.write_text(json.dumps(data), encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "content", ".cache"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "with a cache"], check=True)
    poisoned = build(work, tmp_path / "b", DEMO_NOW)
    assert poisoned.result.ok
    assert not [n for n, t in poisoned.all_text().items() if "alert(1)" in t]
    assert tree_hash(clean.output).keys() == tree_hash(poisoned.output).keys()


def test_search_parts_are_indexed_again_only_when_what_search_reads_changed(demo_root, tmp_path, theme):
    """A change to the page around the searchable content (the footer, on every page) indexes no part; one
    inside it (the article template) indexes the parts of those pages; either way as a fresh build has it."""
    work = tmp_path / "work"
    shutil.copytree(demo_root / "content", work / "content")
    (work / "content" / "governance" / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    live = tmp_path / "live"
    assert build(work, live, DEMO_NOW).result.ok
    for template, old, new, indexed in (("base.html", "</footer>", "<!-- 改版 -->\n</footer>", False),
                                        ("article.html", "</article>", "<p>本页信息由各单位发布。</p>\n</article>", True)):
        replace_once(theme / "templates" / template, old, new)
        again = build(work, live, DEMO_NOW)
        assert again.result.ok and again.result.changed > again.result.search_parts, template  # pages rewritten
        assert bool(again.result.reindexed) == indexed, (template, again.result.reindexed)
        fresh_root = tmp_path / f"fresh-{template}"
        shutil.copytree(work / "content", fresh_root / "content")
        full = build(fresh_root, tmp_path / f"full-{template}", DEMO_NOW)
        a, b = tree_hash(live), tree_hash(full.output)
        assert not sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n)), template
