"""Check and build decide alike: the two disagreements found on the demo, reproduced.

Each test shows what the merge-request gate says and what the build then does with the same tree.
Before the publication model they disagreed: the check passed and the build published personal
numbers, or silently dropped redirects.
"""
from __future__ import annotations

from stdnum.cn import ric

from pipeline.core.addresses import output_name
from pipeline.check.whole import check_repository
from pipeline.content.repository import load_repository
from pipeline.timeutil import parse_when
from tests.repo_factory import NEWS, found, make_repo, run_check

from .conftest import build

NOW = "2026-03-02 09:00"
ID_NUMBER = "11010519491231002" + ric.calc_check_digit("11010519491231002" + "0")  # made up, valid checksum
MOBILE = "13912345678"


def _future_withdrawal(body: str) -> str:
    return NEWS.replace("date: 2026-03-01 09:00", "date: 2026-03-01 09:00\nwithdrawn:\n"
                        "  date: 2026-06-30\n  reason: 活动结束后撤回") \
        .replace("教育局召开会议。\n", body)


def test_item_to_be_withdrawn_later_is_screened_in_full(tmp_path):
    body = f"报名联系人:张老师,手机 {MOBILE},身份证号 {ID_NUMBER}。\n"
    root = make_repo(tmp_path, {"content/news/xw-1.md": _future_withdrawal(body)})
    repo = load_repository(root, now=parse_when(NOW))
    diagnostics = check_repository(repo)
    assert {("GK-PRIV-001", "content/news/xw-1.md", 10), ("GK-PRIV-002", "content/news/xw-1.md", 10)} \
        <= found(diagnostics)
    site = build(root, tmp_path / "out", NOW)
    assert not site.result.ok  # the build refuses, as the check does


def test_item_to_be_withdrawn_later_is_published_in_full_until_then(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": _future_withdrawal("报名请致电 138****5678。\n")})
    site = build(root, tmp_path / "out", NOW)
    assert site.result.ok
    assert "138****5678" in site.soup("/news/xw-1/").find("article").get_text()
    later = build(root, tmp_path / "later", "2026-07-01 09:00")
    article = later.soup("/news/xw-1/").find("article").get_text()
    assert "已于" in article and "138****5678" not in article


def test_item_already_withdrawn_is_not_blamed_for_its_old_body(tmp_path):
    """Withdrawing is how a leak is taken down: the body is off the site, so the screen no longer reads it."""
    body = f"手机 {MOBILE}。\n"
    root = make_repo(tmp_path, {"content/news/xw-1.md": _future_withdrawal(body).replace("2026-06-30", "2026-03-01")})
    assert found(run_check(root), "GK-PRIV-002") == set()
    site = build(root, tmp_path / "out", NOW)
    assert site.result.ok and MOBILE not in "".join(site.all_text().values())


def _former(urls: list[str]) -> str:
    listed = ", ".join(f'"{u}"' for u in urls)
    return NEWS.replace("date: 2026-03-01 09:00", f"date: 2026-03-01 09:00\nformer_urls: [{listed}]")


def test_former_addresses_of_site_pages_are_refused_by_the_check(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": _former(["/units/jyj/", "/sitemap/"])})
    diagnostics = run_check(root)
    assert [d.code for d in diagnostics if d.code.startswith("GK-URL")] == ["GK-URL-002", "GK-URL-002"]
    assert not build(root, tmp_path / "out", NOW).result.ok


def test_every_former_address_the_check_accepts_becomes_a_redirect(tmp_path):
    old = ["/art/2025/3/12/art_1234_567.html", "/jyj/tzgg/2025/"]
    root = make_repo(tmp_path, {"content/news/xw-1.md": _former(old)})
    assert found(run_check(root), "GK-URL-002") == set()
    site = build(root, tmp_path / "out", NOW)
    assert site.result.ok
    assert site.redirect_pages == {output_name(u) for u in old}
