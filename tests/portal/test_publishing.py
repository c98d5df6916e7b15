"""What reaches the site and when: scheduled items, withdrawal, former addresses, private letters."""
from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from pipeline.site import build as run
from tests.repo_factory import INTERPRETATION, NEWS, POLICY, make_repo, md, run_check

from .conftest import build

FUTURE_NEWS = md("""
    id: xw-2
    title: 测试市定时发布的开学通知
    unit: jyj
    date: 2026-03-10 09:00
    """, "定时发布正文:新学期于三月十日开学,见[开学安排表](files/2026/开学安排表.csv)。\n")

ATTACHMENT = {"content/files/2026/开学安排表.csv": "年级,日期\n一年级,2026-03-10\n"}


def item_locations(site, url: str) -> list[str]:
    """Every file of the site, other than the item's own page, that names `url`."""
    own = url.strip("/") + "/index.html"
    return [name for name, content in site.all_text().items() if name != own and url in content]


def feed_urls(site) -> set[str]:
    out = set()
    for feed in (site.output / "feeds").glob("*.xml"):
        for link in ET.parse(feed).getroot().iter("{http://www.w3.org/2005/Atom}link"):
            out.add(re.sub(r"^https://[^/]+", "", link.get("href")))
    return out


def sitemap_urls(site) -> set[str]:
    tree = ET.parse(site.output / "sitemap.xml")
    return {re.sub(r"^https://[^/]+", "", loc.text) for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}


def test_future_item_is_absent_before_its_time_and_present_after(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS, "content/news/xw-2.md": FUTURE_NEWS, **ATTACHMENT})
    before = build(root, tmp_path / "before", "2026-03-10 08:59")
    assert before.result.ok
    assert not before.exists("/news/xw-2/")
    assert item_locations(before, "/news/xw-2/") == []
    assert "/news/xw-2/" not in feed_urls(before) and "/news/xw-2/" not in sitemap_urls(before)
    files = before.all_text()
    assert "news/xw-1/index.html" in files  # the search reads the pages
    for name, content in files.items():
        assert "定时发布的开学通知" not in content and "新学期于三月十日开学" not in content, name
    assert not (before.output / "files/2026/开学安排表.csv").exists(), "a scheduled item's attachment is not served early"
    assert before.exists("/news/xw-1/")

    after = build(root, tmp_path / "after", "2026-03-10 09:00")
    assert after.exists("/news/xw-2/")
    assert "/news/xw-2/" in feed_urls(after) and "/news/xw-2/" in sitemap_urls(after)
    listed_in = item_locations(after, "/news/xw-2/")
    assert "index.html" in listed_in and "columns/ywdt/index.html" in listed_in
    assert (after.output / "files/2026/开学安排表.csv").read_text(encoding="utf-8").startswith("年级")


def test_demo_scheduled_items_appear_once_their_time_comes(demo, demo_root, tmp_path):
    future = demo.in_state("future")
    assert future, "the demo should hold a scheduled item"
    latest = max(item.meta["date"] for item in future.values())
    later = build(demo_root, tmp_path / "later", latest)
    assert later.result.ok
    for item in future.values():
        assert not demo.exists(item.url) and item.url not in sitemap_urls(demo) and item.url not in feed_urls(demo)
        assert later.exists(item.url) and item.url in sitemap_urls(later) and item.url in feed_urls(later)
        assert item_locations(later, item.url)


WITHDRAWN = md("""
    id: xw-3
    title: 测试市一则已撤回的新闻
    unit: jyj
    date: 2026-03-01 10:00
    former_urls: ["/art/2026/3/1/art_99.html", "/old/news-3"]
    withdrawn:
      date: 2026-03-02 15:00
      reason: 数据有误,已更正后重新发布。
    """, "撤回前的正文:全市某项指标为一百二十三,见[附件](files/2026/撤回附件.csv)。\n")


def test_withdrawn_item_becomes_a_notice_and_leaves_every_listing(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS, "content/news/xw-3.md": WITHDRAWN,
                                "content/files/2026/撤回附件.csv": "a,b\n1,2\n"})
    before = build(root, tmp_path / "before", "2026-03-02 14:59")
    assert "/news/xw-3/" in feed_urls(before) and item_locations(before, "/news/xw-3/")

    site = build(root, tmp_path / "after", "2026-03-02 15:00")
    main = site.soup("/news/xw-3/").find("main").get_text(" ", strip=True)
    assert "撤回" in main and "数据有误,已更正后重新发布。" in main and "2026-03-02 15:00" in main
    assert site.soup("/news/xw-3/").find("html")["lang"] == "zh-CN"
    assert "/news/xw-3/" not in feed_urls(site) and "/news/xw-3/" not in sitemap_urls(site)
    # the only files naming it are its own notice and the redirects from its former addresses
    # (pages for static hosts, and the web server's 301 rules, which nginx never serves)
    assert sorted(item_locations(site, "/news/xw-3/")) == [
        "_server/nginx-redirects.conf", "art/2026/3/1/art_99.html", "old/news-3/index.html"]
    files = site.all_text()
    assert "news/xw-1/index.html" in files and "news/xw-3/index.html" in files  # the search reads the pages
    for name, content in files.items():
        assert "一百二十三" not in content, f"the withdrawn body is still in {name}"
    assert not (site.output / "files/2026/撤回附件.csv").exists()


def test_former_addresses_get_redirect_pages(tmp_path):
    moved = NEWS.replace("date: 2026-03-01 09:00", 'date: 2026-03-01 09:00\nformer_urls: ["/art/2025/3/12/art_1234_567.html", "/zwgk/old-news"]')
    root = make_repo(tmp_path, {"content/news/xw-1.md": moved})
    site = build(root, tmp_path / "out", "2026-03-02 09:00")
    for old in ("/art/2025/3/12/art_1234_567.html", "/zwgk/old-news/"):
        soup = site.soup(old)
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/news/xw-1/"
        assert soup.find("a", href="/news/xw-1/") is not None
        assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None
        assert soup.find("html")["lang"] == "zh-CN"


def test_former_address_never_escapes_output_nor_replaces_a_current_page(tmp_path, monkeypatch):
    evil = NEWS.replace("date: 2026-03-01 09:00",
                        'date: 2026-03-01 09:00\nformer_urls: ["/../../escaped.html", "/policies/zc-1/", "/", "/a/%2e%2e/%2e%2e/%2e%2e/x.html"]')
    root = make_repo(tmp_path, {"content/news/xw-1.md": evil, "content/policies/zc-1.md": POLICY,
                                "content/interpretations/jd-zc-1.md": INTERPRETATION})
    # The check rejects such addresses (GK-URL-001/002); the build must hold even when it is bypassed.
    assert {d.code for d in run_check(root)} >= {"GK-URL-001", "GK-URL-002"}
    monkeypatch.setattr(run, "check_repository_cached", lambda repo: [])
    site = build(root, tmp_path / "site" / "out", "2026-03-02 09:00")
    assert site.result.ok
    assert not list(tmp_path.rglob("escaped.html")) and not list(tmp_path.rglob("x.html"))
    assert site.soup("/policies/zc-1/").find("table", class_="policy-meta") is not None
    assert site.soup("/").find("meta", attrs={"http-equiv": "refresh"}) is None


LETTER = """\
id: {id}
title: {title}
unit: yjzfb
kind: 咨询
received: 2026-03-01 10:00
question: {question}
{rest}"""


def test_letter_not_marked_public_is_nowhere_in_the_output(tmp_path):
    files = {
        "content/letters/xj-1.yaml": LETTER.format(
            id="xj-1", title="咨询公开信件的办理进度", question="请问公开信件多久能答复?",
            rest="public: true\nreply: 您好,一般十个工作日内答复。\nreply_unit: yjzfb\nreplied: 2026-03-02 10:00\n"),
        "content/letters/xj-2.yaml": LETTER.format(
            id="xj-2", title="反映邻居张某某家庭纠纷的私密来信", question="我家邻居在幸福小区七栋经常吵闹,请处理。",
            rest="public: false\nreply: 您好,已转社区调解,处理情况将电话告知。\nreply_unit: yjzfb\nreplied: 2026-03-02 11:00\n"),
        "content/letters/xj-3.yaml": LETTER.format(
            id="xj-3", title="尚未答复的来信不公开", question="请问尚未答复的信件何时公开?",
            rest="public: false\n"),
    }
    root = make_repo(tmp_path, files)
    site = build(root, tmp_path / "out", "2026-03-05 09:00")
    assert site.result.ok, [d.message for d in site.result.diagnostics]
    assert site.exists("/letters/xj-1/")
    needles = ["私密来信", "幸福小区七栋", "已转社区调解", "/letters/xj-2/", "尚未答复的来信", "/letters/xj-3/"]
    files = site.all_text()
    assert "letters/xj-1/index.html" in files  # the search reads the pages
    for name, content in files.items():
        for needle in needles:
            assert needle not in content, f"{needle!r} found in {name}"
    assert "/letters/xj-1/" in feed_urls(site) and "/letters/xj-1/" in sitemap_urls(site)


def test_interpretation_of_an_unpublished_policy_does_not_link_it(tmp_path):
    future_policy = POLICY.replace("date: 2026-03-01 09:00", "date: 2026-04-01 09:00")
    root = make_repo(tmp_path, {"content/policies/zc-1.md": future_policy,
                                "content/interpretations/jd-zc-1.md": INTERPRETATION.replace("date: 2026-03-01 09:00", "date: 2026-04-01 09:00")})
    site = build(root, tmp_path / "out", "2026-04-01 08:00")
    assert not site.exists("/policies/zc-1/") and not site.exists("/interpretations/jd-zc-1/")
    files = site.all_text()
    assert "index.html" in files and "sitemap.xml" in files  # the search reads the pages
    for name, content in files.items():
        assert "/policies/zc-1/" not in content, name
