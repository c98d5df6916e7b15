"""pipeline.site.internal_links on small hand-written sites (the build and the audit share it)."""
from __future__ import annotations

import os

from pipeline.site import build as run
from pipeline.site.internal_links import BROKEN, FOREIGN_ASSET, check_links, resolve
from tests.repo_factory import NEWS, make_repo

from .conftest import build, tree_hash
from .reachability import reachable_pages


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="zh-CN"><head>{head}</head><body>{body}</body></html>'


def write(root, files: dict):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def found(diagnostics):
    return sorted((d.code, d.path, d.line) for d in diagnostics)


def test_internal_links_resolve_to_files_directories_and_anchors(tmp_path):
    site = write(tmp_path, {
        "index.html": page('<a href="/a/">A</a>\n<a href="a/b.html#part">B</a>\n<a href="/a">A again</a>\n'
                           '<a href="#top" id="top">top</a>\n<a href="/files/%E9%99%84%E4%BB%B6.pdf">附件</a>',
                           '<link rel="stylesheet" href="/theme/site.css">'),
        "a/index.html": page('<a href="../">home</a><a href="b.html">b</a>'),
        "a/b.html": page('<h2 id="part">part</h2>'),
        "files/附件.pdf": "%PDF",
        "theme/site.css": "body{}",
    })
    assert check_links(site) == []
    assert reachable_pages(site) == {"index.html", "a/index.html", "a/b.html"}


def test_a_folder_the_index_does_not_list_is_looked_up_on_disk(tmp_path):
    """The build's index leaves out the search bundle (as many files as pages, linked from no page): a
    reference into it is still checked, on disk."""
    from pipeline.site.internal_links import SiteIndex

    site = write(tmp_path, {
        "index.html": page('<a href="/pagefind/pagefind.js">索引</a>\n<a href="/pagefind/gone.js">旧索引</a>'),
        "pagefind/pagefind.js": "//",
    })
    index = SiteIndex(site, skip=("pagefind",))
    assert "pagefind/pagefind.js" not in index.files
    assert found(check_links(site, index=index)) == [(BROKEN, "output/index.html", 2)]
    assert found(check_links(site)) == found(check_links(site, index=index))


def test_the_check_on_several_cores_finds_what_the_check_on_one_finds(tmp_path, monkeypatch):
    from pipeline.site import internal_links

    files = {"index.html": page("".join(f'<a href="/p{k}/">{k}</a>' for k in range(12)))}
    for k in range(12):
        files[f"p{k}/index.html"] = page(f'<a href="/p{k + 1}/#s{k}">下一页</a>\n<img src="https://cdn.example.com/{k}.png" alt="">'
                                         f'<h2 id="s{k + 1}">第{k}节</h2>')
    site = write(tmp_path, files)
    serial = check_links(site)
    assert {d.code for d in serial} == {BROKEN, FOREIGN_ASSET} and len(serial) > 12
    monkeypatch.setattr(internal_links, "PARALLEL_FROM", 2)
    monkeypatch.setenv("GONGKAI_WORKERS", "3")
    check_pages = internal_links._check_pages
    marks = tmp_path / "shares"
    marks.mkdir()

    def marked(index, hosts, prefix, todo):
        # Which process checked how many pages, from which page on (a pool may give one worker two shares).
        (marks / f"{os.getpid()}-{len(todo)}-{todo[0].replace('/', '_')}").touch()
        return check_pages(index, hosts, prefix, todo)

    monkeypatch.setattr(internal_links, "_check_pages", marked)
    assert check_links(site, parallel=True) == serial
    shares = [p.name.split("-") for p in marks.iterdir()]
    assert sorted(int(n) for _, n, _ in shares) == [4, 4, 5] and str(os.getpid()) not in {pid for pid, _, _ in shares}


def test_broken_links_missing_anchors_and_escapes_are_reported_with_lines(tmp_path):
    site = write(tmp_path, {
        "index.html": page('<a href="/missing/">x</a>\n<img src="/img/none.png" alt="">\n'
                           '<a href="/a.html#nowhere">y</a>\n<a href="../../etc/passwd">z</a>\n'
                           '<a href="https://www.test.gov.cn/gone/">own host</a>'),
        "a.html": page("<p>no anchors</p>"),
    })
    assert found(check_links(site, own_hosts=["www.test.gov.cn"], prefix="output/")) == [
        (BROKEN, "output/index.html", 1), (BROKEN, "output/index.html", 2), (BROKEN, "output/index.html", 3),
        (BROKEN, "output/index.html", 4), (BROKEN, "output/index.html", 5)]


def test_external_links_are_fine_but_external_assets_are_not(tmp_path):
    site = write(tmp_path, {"index.html": page(
        '<a href="https://zwfw.example.gov.cn/">办事</a><a href="mailto:a@b.cn">mail</a><a href="tel:12345">tel</a>\n'
        '<img src="https://cdn.example.com/x.png" alt="">\n<script src="//cdn.example.com/x.js"></script>\n'
        '<video poster="http://cdn.example.com/p.jpg"></video>\n<iframe src="https://map.example.com/"></iframe>\n'
        '<img srcset="/ok.png 1x, https://cdn.example.com/x2.png 2x" alt="">',
        '<link rel="stylesheet" href="https://fonts.example.com/css">'
        '<link rel="alternate" type="application/atom+xml" href="https://feeds.example.com/a.xml">'),
        "ok.png": "png"})
    problems = check_links(site)
    assert {d.code for d in problems} == {"GK-LINK-002"}  # FOREIGN_ASSET
    assert sorted(d.line for d in problems) == [1, 2, 3, 4, 5, 6]


def test_meta_refresh_targets_are_checked(tmp_path):
    site = write(tmp_path, {"old.html": page("", '<meta http-equiv="refresh" content="0; url=/new/">')})
    assert [d.code for d in check_links(site)] == [BROKEN]
    write(tmp_path, {"new/index.html": page("")})
    assert check_links(site) == []


def test_resolve_never_leaves_the_site(tmp_path):
    assert resolve(tmp_path, "a/index.html", "../../x")[0] is None
    assert resolve(tmp_path, "index.html", "/a/%2e%2e/b.html")[0] == tmp_path / "b.html"


def test_a_foreign_image_in_a_body_stops_the_build(tmp_path, monkeypatch):
    """Even if a rule let a third-party image through, the site never loads it."""
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS})
    first = build(root, tmp_path / "site", "2026-03-02 09:00")
    assert first.result.ok
    before = tree_hash(first.output)
    (root / "content/news/xw-1.md").write_text(NEWS + "\n![图](https://cdn.example.com/tracker.png)\n", encoding="utf-8")
    monkeypatch.setattr(run, "check_repository_cached", lambda repo: [])
    second = build(root, tmp_path / "site", "2026-03-02 09:00")
    assert not second.result.ok
    assert [d.code for d in second.result.diagnostics] == [FOREIGN_ASSET]
    assert tree_hash(first.output) == before
