"""Search after an incremental rebuild (issue 26), through the real search page: an item withdrawn and an
item deleted since the last build are never found, and a policy is found under its new title — the
index in parts, the rebuild on top of the live output. (That such a rebuild's index is byte for byte a
fresh build's, search files included, and that it leaves unchanged parts as they were, is
tests/portal/test_incremental_build.py's.)"""
from __future__ import annotations

import re
import shutil
from datetime import datetime

import pytest

from pipeline.content.repository import load_repository
from pipeline.site.build import build_site
from pipeline.timeutil import TZ

from .conftest import CODE_DIR, DEMO_NOW, fresh_page, served
from .test_search import everything

PER_PART = 100


def title_of(path) -> str:
    return re.search(r"^title: (.+)$", path.read_text(encoding="utf-8"), flags=re.M).group(1).strip().strip("'\"")


def unlinked_news(root):
    """News items no other file names: withdrawing or deleting them breaks no reference."""
    texts = [p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md")]
    every = "\n".join(texts)
    return [p for p in sorted((root / "content" / "news").rglob("*.md"))
            if every.count(p.stem) == 1 and "withdrawn:" not in p.read_text(encoding="utf-8")]


def url_of(output, item_id: str) -> str:
    pages = list(output.glob(f"*/{item_id}/index.html"))
    assert len(pages) == 1, f"{item_id} has no page"
    return "/" + pages[0].parent.relative_to(output).as_posix() + "/"


@pytest.fixture(scope="module")
def rebuild(tmp_path_factory):
    """The demo in parts of 100 pages, built, served, and rebuilt on request after the edits."""
    root = tmp_path_factory.mktemp("rebuild") / "repo"
    shutil.copytree(CODE_DIR / "content", root / "content")
    (root / "content" / "governance" / "settings.yaml").write_text(
        f"search:\n  pages_per_part: {PER_PART}\n", encoding="utf-8")
    output = root / "output"
    moment = datetime.strptime(DEMO_NOW, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)

    def run():
        result = build_site(load_repository(root, now=moment), output, moment)
        assert result.ok, [d.message for d in result.diagnostics if d.severity.value == "error"]
        return result

    first = run()
    assert first.search_parts > 2, "the index in parts, as a large site has it"
    with served(output) as portal:
        yield root, portal, run


def test_withdrawn_deleted_and_retitled_pages_are_not_found_after_a_rebuild(browser, rebuild):
    root, portal, rebuild_now = rebuild
    withdrawn, deleted = unlinked_news(root)[:2]
    policy = sorted((root / "content" / "policies").rglob("*.md"))[0]
    titles = {"withdrawn": title_of(withdrawn), "deleted": title_of(deleted), "policy": title_of(policy)}
    urls = {"withdrawn": url_of(portal.output, withdrawn.stem), "deleted": url_of(portal.output, deleted.stem),
            "policy": url_of(portal.output, policy.stem)}

    new_title = "云江市城市照明设施维护管理办法"

    def found(key, query=None):
        pages = fresh_page(browser, portal)  # a new context: nothing of the previous index cached
        page = next(pages)
        try:
            return urls[key] in everything(page, query or titles[key])[0]
        finally:
            next(pages, None)  # closes the context and fails on JavaScript errors

    assert all(found(key) for key in titles), "before the rebuild each is found by its title"
    assert not found("policy", new_title), "the new title would prove nothing"

    text = withdrawn.read_text(encoding="utf-8")
    withdrawn.write_text(text.replace("\n---\n", "\nwithdrawn:\n  date: 2026-11-25 10:00\n  reason: 内容已过时。\n---\n", 1),
                         encoding="utf-8")
    deleted.unlink()
    policy.write_text(policy.read_text(encoding="utf-8").replace(f"title: {titles['policy']}", f"title: {new_title}", 1),
                      encoding="utf-8")
    assert title_of(policy) == new_title
    assert rebuild_now().reindexed, "the rebuild indexed nothing: the index would still be the old one"

    assert not found("withdrawn"), "a withdrawn item is still found"
    assert not found("deleted"), "a deleted item is still found"
    assert found("policy", new_title), "the policy is not found under its new title"
