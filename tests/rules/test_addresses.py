"""GK-URL-001/002: former addresses are site paths claimed once."""
from __future__ import annotations

from tests.repo_factory import NEWS, POLICY, INTERPRETATION, found, make_repo, run_check

OLD = "/art/2025/3/12/art_1234_567.html"


def news(item_id: str, former: list[str]) -> str:
    listed = ", ".join(f'"{u}"' for u in former)
    return NEWS.replace("id: xw-1", f"id: {item_id}").replace(
        "date: 2026-03-01 09:00", f"date: 2026-03-01 09:00\nformer_urls: [{listed}]")


def test_one_former_address_on_one_item_passes(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": news("xw-1", [OLD])})
    assert found(run_check(root), "GK-URL-001") == set() and found(run_check(root), "GK-URL-002") == set()


def test_address_leaving_the_site_is_url_001_at_its_line(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": news("xw-1", ["/../../etc/x.html"])})
    assert found(run_check(root), "GK-URL-001") == {("GK-URL-001", "content/news/xw-1.md", 6)}


def test_address_claimed_by_two_items_is_url_002_on_the_second(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": news("xw-1", [OLD]),
                                "content/news/xw-2.md": news("xw-2", [OLD])})
    assert found(run_check(root), "GK-URL-002") == {("GK-URL-002", "content/news/xw-2.md", 6)}


def test_address_that_is_another_items_current_address_is_url_002(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": news("xw-1", ["/policies/zc-1/"]),
                                "content/policies/zc-1.md": POLICY,
                                "content/interpretations/jd-zc-1.md": INTERPRETATION})
    assert found(run_check(root), "GK-URL-002") == {("GK-URL-002", "content/news/xw-1.md", 6)}
