"""Pages declare what they depend on, truthfully: when one item changes, every page whose bytes change
says it depends on that item (or on a listing it belongs to). An incremental build will trust these
declarations to decide what to rewrite, so a page that forgets one would go stale silently."""
from __future__ import annotations

import shutil

import pytest

from pipeline.core.addresses import output_name
from pipeline.core.site_items import Catalogue
from pipeline.pages import site_pages
from pipeline.content.repository import load_repository

from .conftest import DEMO_NOW, build, tree_hash, when

CHANGES = [  # (item, what is edited in its file)
    ("xw-2026-0318", ("title:", "title: 【更新】")),
    ("yjzf-2026-3", ("title:", "title: 【修订】")),  # a policy: its interpretations and facets show it
]


def _path(root, item_id):
    return next((root / "content").rglob(f"{item_id}.*"))


@pytest.mark.parametrize("item_id, edit", CHANGES, ids=[c[0] for c in CHANGES])
def test_pages_that_change_declare_the_changed_item(demo, demo_root, tmp_path, item_id, edit):
    root = tmp_path / "repo"
    shutil.copytree(demo_root / "content", root / "content")
    path = _path(root, item_id)
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    changed = build(root, tmp_path / "out", DEMO_NOW)
    assert changed.result.ok
    before, after = tree_hash(demo.output), tree_hash(changed.output)
    differing = {name for name in before.keys() | after.keys()
                 if before.get(name) != after.get(name) and not name.startswith("pagefind/")}
    assert differing, "the edit changed nothing: the test would prove nothing"
    moment = when(DEMO_NOW)
    pages = {output_name(p.url): p for p in site_pages(Catalogue(load_repository(root, now=moment), moment))}
    for name in sorted(differing):
        page = pages[name]
        assert f"item:{item_id}" in page.depends, f"{name} changed but does not declare item:{item_id}"


def test_pages_that_show_a_datasets_csv_declare_the_file(demo, demo_root, tmp_path):
    """A dataset's CSV is rendered into its page, downloads, API and chart: editing one cell must be
    declared by every page whose bytes change (file:<path>), or an incremental build would serve old data."""
    rel = "files/tjj/2026/sj-tjj-czrk/czrk.csv"
    root = tmp_path / "repo"
    shutil.copytree(demo_root / "content", root / "content")
    path = root / "content" / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[2] = str(round(float(cells[2]) + 0.1, 1))
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    changed = build(root, tmp_path / "out", DEMO_NOW)
    assert changed.result.ok
    before, after = tree_hash(demo.output), tree_hash(changed.output)
    differing = {name for name in before.keys() | after.keys()
                 if before.get(name) != after.get(name) and not name.startswith(("pagefind/", "files/"))}
    assert "datasets/sj-tjj-czrk/czrk.csv" in differing
    moment = when(DEMO_NOW)
    pages = {output_name(p.url): p for p in site_pages(Catalogue(load_repository(root, now=moment), moment))}
    for name in sorted(differing):
        assert f"file:{rel}" in pages[name].depends, f"{name} changed but does not declare file:{rel}"


def test_a_templates_hash_covers_what_it_extends_includes_and_imports(tmp_path):
    """`template:news.html` stands for news.html and every template it reaches through Jinja2's extends,
    include and import: editing article.html (which news.html extends) or a partial article.html includes
    changes its hash; a template that reaches neither keeps its own."""
    from pipeline.resources import theme_dir
    from pipeline.site.build_plan import Templates

    folder = tmp_path / "templates"
    shutil.copytree(theme_dir() / "templates", folder)
    article = folder / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "</article>", '{% include "_note.html" %}</article>', 1), encoding="utf-8")
    (folder / "_note.html").write_text("", encoding="utf-8")
    assert {"news.html", "article.html", "base.html", "_macros.html", "_note.html"} <= Templates(folder).referenced("news.html")

    def hashes():
        templates = Templates(folder)
        return templates.hash("news.html"), templates.hash("policy.html")

    news, policy = hashes()
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "<p>(完)</p></article>", 1),
                       encoding="utf-8")
    extended = hashes()
    assert extended[0] != news and extended[1] == policy
    (folder / "_note.html").write_text("<p>说明</p>", encoding="utf-8")
    included = hashes()
    assert included[0] != extended[0] and included[1] == policy
