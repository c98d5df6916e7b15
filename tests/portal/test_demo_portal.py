"""The demo portal, built once, read back by parsing its HTML (issue 3, acceptance)."""
from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from pipeline.pages.feeds import FEED_SIZE
from pipeline.site.internal_links import check_links

from .conftest import when
from .reachability import reachable_pages

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split()) if node is not None else ""


def section(soup, heading: str):
    """The <section> whose heading reads `heading`."""
    for h in soup.find_all(["h2", "h3"]):
        if text(h) == heading:
            return h.find_parent("section")
    return None


def links(node) -> set[str]:
    return {a["href"] for a in node.find_all("a", href=True)} if node is not None else set()


# --- policy pages -------------------------------------------------------------------------------


def test_policy_page_shows_the_standard_metadata_table(demo):
    policies = [p for p in demo.in_state("published").values() if p.type == "policy"]
    assert len(policies) >= 5
    for policy in policies:
        table = demo.soup(policy.url).find("table", class_="policy-meta")
        assert table is not None, policy.id
        # strip=True: a document number is two spans on the page, read as one word ("云政规" "〔2026〕3号")
        cells = {text(th): th.find_next_sibling("td").get_text(strip=True) for th in table.find_all("th")}
        meta = policy.meta
        assert cells["索引号"] == meta["index_number"]
        assert cells["主题分类"] == meta["subject"]
        assert cells["发布机构"] == demo.unit_name(meta["unit"])
        assert cells["成文日期"] == meta["written"]
        assert cells["发文字号"] == meta.get("doc_number", "无")
        assert cells["发布日期"] == meta["date"][:10]
        assert cells["有效性"] == meta["validity"]


def test_policy_and_interpretations_link_both_ways(demo):
    published = demo.in_state("published")
    pairs = [(policy_id, item) for item in published.values() if item.type == "interpretation"
             for policy_id in item.meta["interprets"] if policy_id in published]
    assert len(pairs) >= 5
    for policy_id, interpretation in pairs:
        policy = published[policy_id]
        related = section(demo.soup(policy.url), "相关解读")
        assert interpretation.url in links(related), f"{policy.id} does not list {interpretation.id} under 相关解读"
        originals = {a["href"] for a in demo.soup(interpretation.url).select("a.original")}
        assert policy.url in originals, f"{interpretation.id} does not link its 原文 {policy.id}"
        assert "原文" in text(demo.soup(interpretation.url).select_one("a.original").parent)


def test_policy_without_interpretation_says_so(demo):
    published = demo.in_state("published")
    interpreted = {p for i in published.values() if i.type == "interpretation" for p in i.meta["interprets"]}
    uninterpreted = [p for p in published.values() if p.type == "policy" and p.id not in interpreted]
    assert len(uninterpreted) >= 3, "the demo should have policies without an interpretation"
    for policy in uninterpreted:
        related = section(demo.soup(policy.url), "相关解读")
        assert related is not None and not links(related)


def test_repealed_or_amended_policy_is_marked_and_links_its_replacement(demo):
    published = demo.in_state("published")
    replaced = [p for p in published.values() if p.type == "policy" and p.meta["validity"] in ("已废止", "已修订")]
    assert {p.meta["validity"] for p in replaced} == {"已废止", "已修订"}, "the demo should show both kinds"
    for policy in replaced:
        soup = demo.soup(policy.url)
        notice = soup.find(class_="validity-notice")
        assert notice is not None and policy.meta["validity"] in text(notice), policy.id
        assert "not-current" in soup.find("article")["class"]
        replacement = policy.meta.get("replaced_by")
        if replacement in published:
            assert published[replacement].url in links(notice), f"{policy.id} does not link {replacement}"
            # and the replacement names what it replaced
            assert policy.url in links(demo.soup(published[replacement].url).find("article"))
    current = [p for p in published.values() if p.type == "policy" and p.meta["validity"] == "现行有效"]
    assert len(current) >= 10, "the demo should have policies in force"
    for policy in current:
        assert demo.soup(policy.url).find(class_="validity-notice") is None


def test_policy_change_notes_from_the_item_are_shown(demo):
    with_changes = [p for p in demo.in_state("published").values() if p.type == "policy" and p.meta.get("changes")]
    assert with_changes
    for policy in with_changes:
        changes = section(demo.soup(policy.url), "修订记录")
        assert changes is not None
        for change in policy.meta["changes"]:
            assert change["date"] in text(changes)
            assert " ".join(change["note"].split()) in text(changes)


# --- service guides ----------------------------------------------------------------------------

ARTICLE_16 = {"事项名称": None, "设定依据": "basis", "申请条件": "conditions", "办理材料": "materials",
              "办理地点": "location", "办理机构": "agency", "收费标准": "fees", "办理时间": "hours",
              "联系电话": "phone", "办理流程": "process"}


def test_service_guide_shows_every_article_16_element_and_the_online_link(demo):
    services = [s for s in demo.in_state("published").values() if s.type == "service"]
    assert len(services) >= 3
    platform = demo.site_config.get("platform_url")
    for service in services:
        soup = demo.soup(service.url)
        guide = soup.find("dl", class_="guide")
        shown = {text(dt): dt.find_next_sibling("dd") for dt in guide.find_all("dt")}
        assert set(ARTICLE_16) <= set(shown), f"{service.id} lacks {set(ARTICLE_16) - set(shown)}"
        meta = service.meta
        assert text(shown["事项名称"]) == meta["title"]
        for label, key in ARTICLE_16.items():
            if key in (None, "materials"):
                continue
            values = meta[key] if isinstance(meta[key], list) else [meta[key]]
            for value in values:
                assert " ".join(value.split()) in text(shown[label]), f"{service.id}: {label} lacks {value!r}"
        table = shown["办理材料"].find("table")
        headers = [text(th) for th in table.find("thead").find_all("th")]
        assert headers == ["材料名称", "依据", "格式", "份数", "签名签章要求"]
        rows = [[text(td) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
        assert len(rows) == len(meta["materials"])
        for row, material in zip(rows, meta["materials"]):
            assert row[0].startswith(material["name"])
            assert row[1:] == [" ".join(material[k].split()) for k in ("basis", "format", "copies", "signature")]
        online = soup.select_one("a.online-handle")
        assert online is not None, f"{service.id} has no online-handling link"
        assert online["href"] == meta.get("online_url", platform)
        assert "在线办理" in text(online)


def test_services_are_grouped_by_audience_and_theme(demo):
    services = [s for s in demo.in_state("published").values() if s.type == "service"]
    assert len(services) >= 10, "the demo should have services to group"
    for audience, slug in (("个人", "personal"), ("法人", "legal")):
        listed = links(demo.soup(f"/services/audience/{slug}/").find("main"))
        for service in services:
            assert (service.url in listed) == (audience in service.meta["audience"]), (service.id, audience)
    themes = links(demo.soup("/services/").find("main"))
    for service in services:
        assert service.url in themes


# --- every page: footer, meta tags, language, CSP --------------------------------------------------


def test_footer_identity_fields_come_from_site_configuration(demo):
    config = demo.site_config
    host = demo.unit_name(config["host_unit"])
    pages = set(demo.html_pages) - demo.redirect_pages
    assert len(pages) >= 300, f"the demo site has only {len(pages)} pages"
    for page in pages:
        footer = demo.soup(page).find("footer")
        assert footer is not None, page
        words = text(footer)
        assert f"主办单位:{host}" in words.replace(" ", ""), page
        for key in ("site_id_code", "icp", "police_record"):
            assert config[key] in words, (page, key)
        assert "网站标识码" in words
        assert config["contact"]["phone"] in words
        mark = footer.select_one("a.gov-mark img")
        assert mark is not None and mark["alt"] == "党政机关网站标识", page
        anchors = {text(a): a["href"] for a in footer.find_all("a", href=True)}
        assert demo.exists(anchors["网站地图"]) and anchors["网站地图"] == "/sitemap/"
        assert demo.exists(anchors["联系我们"])
    site_map = demo.soup("/sitemap/")
    assert text(site_map.find("h1")) == "网站地图"


def test_contact_link_leads_to_the_contact_page(demo):
    contact = [p for p in demo.in_state("published").values() if p.type == "page" and p.meta["page_kind"] == "联系我们"]
    href = {text(a): a["href"] for a in demo.soup("/").find("footer").find_all("a")}["联系我们"]
    if contact:
        assert href == contact[0].url


MONITORING = ["SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource"]


def test_item_pages_carry_the_eight_monitoring_meta_tags(demo):
    config = demo.site_config
    published = [i for i in demo.in_state("published").values()]
    assert len(published) >= 200, f"the demo has only {len(published)} published items"
    for item in published:
        soup = demo.soup(item.url)
        tags = {m["name"]: m["content"] for m in soup.find_all("meta", attrs={"name": True})}
        assert set(MONITORING) <= set(tags), (item.id, set(MONITORING) - set(tags))
        assert tags["SiteName"] == config["name"]
        assert tags["SiteDomain"] == config["domain"]
        assert tags["SiteIDCode"] == config["site_id_code"]
        assert tags["ColumnName"] and tags["ColumnType"]
        assert tags["ArticleTitle"] == item.meta["title"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", tags["PubDate"]), tags["PubDate"]
        moment = item.meta["replied"] if item.type == "letter" else item.meta["date"]
        assert tags["PubDate"] == (moment if len(moment) > 10 else moment + " 00:00")[:16]
        assert tags["ContentSource"] == demo.unit_name(item.meta["unit"])


def test_site_meta_tags_on_every_other_page(demo):
    pages = set(demo.html_pages) - demo.redirect_pages
    assert len(pages) >= 300, f"the demo site has only {len(pages)} pages"
    for page in pages:
        names = {m["name"] for m in demo.soup(page).find_all("meta", attrs={"name": True})}
        assert {"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType"} <= names, page


def test_every_page_is_chinese_and_forbids_inline_script(demo):
    assert len(demo.html_pages) >= 300, f"the demo site has only {len(demo.html_pages)} pages"
    for page in demo.html_pages:
        soup = demo.soup(page)
        assert soup.find("html").get("lang") == "zh-CN", page
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp is not None, f"{page} has no Content-Security-Policy"
        directives = {d.split()[0]: d.split()[1:] for d in csp["content"].split(";") if d.strip()}
        script = directives.get("script-src", directives.get("default-src"))
        # Only the search page may run WebAssembly (Pagefind); no page may run inline script.
        assert script == (["'self'", "'wasm-unsafe-eval'"] if page == "search/index.html" else ["'self'"]), (page, script)
        assert "'unsafe-inline'" not in csp["content"] and "'unsafe-eval'" not in csp["content"]
        for tag in soup.find_all("script"):
            assert tag.get("src") and not tag.string, f"{page}: inline script"
        # style-src 'self' would block inline styles: none may be relied on
        assert not soup.find_all("style") and not soup.find_all(style=True), f"{page}: inline style"
        for tag in soup.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, f"{page}: <{tag.name} {handlers}>"
            for attribute in ("href", "src", "action"):
                assert not str(tag.get(attribute, "")).strip().lower().startswith("javascript:"), page


ASSET_SELECTORS = [("script", "src"), ("img", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"),
                   ("source", "src"), ("track", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data")]


def is_foreign(url: str, own: str) -> bool:
    match = re.match(r"^(?:https?:)?//([^/?#]+)", url.strip(), re.I)
    return bool(match) and match.group(1).lower() != own


def test_no_page_loads_an_asset_from_another_host(demo):
    own = demo.site_config["domain"]
    external_links = 0
    for page in demo.html_pages:
        soup = demo.soup(page)
        for tag_name, attribute in ASSET_SELECTORS:
            for tag in soup.find_all(tag_name):
                assert not is_foreign(tag.get(attribute, ""), own), f"{page}: <{tag_name} {attribute}={tag.get(attribute)}>"
        for tag in soup.find_all("link"):
            if set(tag.get("rel", [])) & {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}:
                assert not is_foreign(tag["href"], own), f"{page}: {tag}"
        external_links += sum(is_foreign(a["href"], own) for a in soup.find_all("a", href=True))
    assert external_links, "links to other sites (the service platform) are allowed and expected"
    stylesheets = list(demo.output.rglob("*.css"))
    assert len(stylesheets) >= 2, "the site's own stylesheets (screen and print) are checked too"
    for css in stylesheets:
        source = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", source), css
        assert "@import" not in source or not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", source), css


# --- reachability and links -------------------------------------------------------------------------


def test_sections_columns_and_units_are_reachable_from_the_home_page(demo):
    reached = reachable_pages(demo.output)
    expected = {"xxgk/index.html", "policies/index.html", "services/index.html", "hudong/index.html",
                "units/index.html", "sitemap/index.html"}
    expected |= {f"columns/{c['id']}/index.html" for c in demo.columns}
    expected |= {f"units/{u}/index.html" for u in demo.unit_ids}
    facets = {p for p in demo.html_pages if re.fullmatch(r"policies/(validity|type|unit|year)/[^/]+/index\.html", p)}
    assert {p.split("/")[1] for p in facets} == {"validity", "type", "unit", "year"}
    expected |= facets
    expected |= {p for p in demo.html_pages if p.startswith(("xxgk/categories/", "services/audience/", "services/theme/"))}
    missing = expected - reached
    assert not missing, f"not reachable from the home page: {sorted(missing)}"


def test_home_page_shows_the_columns_without_a_placeholder(demo):
    home = demo.soup("/")
    headings = [text(h) for h in home.find("main").find_all("h2")]
    for column in ("要闻动态", "通知公告", "政策文件", "政策解读", "回应关切", "办事服务", "政民互动"):
        assert column in headings
    block = section(home.find("main"), "数据开放")
    datasets = sorted((i for i in demo.in_state("published").values() if i.type == "dataset"),
                      key=lambda i: when(i.meta["date"]), reverse=True)
    assert datasets, "the demo opens datasets"
    shown = [a["href"] for a in block.find_all("a", href=True) if a["href"].startswith("/datasets/")]
    assert shown == [d.url for d in datasets[:6]]
    assert block.find("a", href="/data/") is not None


def test_every_published_item_is_reachable_and_every_hidden_one_absent(demo):
    reached = reachable_pages(demo.output)
    published = demo.in_state("published")
    assert len(published) >= 200, f"the demo has only {len(published)} published items"
    for item in published.values():
        assert item.page in reached, f"{item.id} is published but no listing leads to it"
    for state in ("future", "hidden"):
        unpublished = demo.in_state(state)
        assert unpublished, f"the demo should hold a {state} item"
        for item in unpublished.values():
            assert not (demo.output / item.page).exists(), f"{item.id} ({state}) has a page"


def test_every_internal_link_and_asset_resolves(demo):
    problems = check_links(demo.output, own_hosts=[demo.site_config["domain"]])
    assert not problems, "\n".join(f"{d.location} {d.message}" for d in problems)


# --- machine-readable outputs ------------------------------------------------------------------------


def item_urls(urls, base) -> set[str]:
    """The item addresses among `urls` (/<type folder>/<id>/), as paths."""
    from .conftest import FOLDERS

    out = set()
    for url in urls:
        assert url.startswith(base), url
        path = url[len(base):]
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] in FOLDERS and path.endswith("/") and parts[1] not in ("page",):
            out.add(path)
    return out


def test_sitemap_lists_exactly_the_published_items(demo):
    base = f"https://{demo.site_config['domain']}"
    tree = ET.parse(demo.output / "sitemap.xml")
    locs = [loc.text for loc in tree.iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs))
    expected = {i.url for i in demo.in_state("published").values()}
    assert len(expected) >= 200, f"the demo has only {len(expected)} published items"
    assert item_urls(locs, base) == expected
    for url in locs:
        assert demo.exists(url[len(base):]), url
    robots = (demo.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}/sitemap.xml" in robots


def test_feeds_list_exactly_the_published_items(demo):
    base = f"https://{demo.site_config['domain']}"
    published = demo.in_state("published")
    seen: dict[str, str] = {}
    full: dict[str, str] = {}  # column -> the oldest <updated> of a feed at its size limit
    feeds = sorted((demo.output / "feeds").glob("*.xml"))
    assert {f.stem for f in feeds} == {c["id"] for c in demo.columns}
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) <= FEED_SIZE
        if len(entries) == FEED_SIZE:
            full[feed.stem] = min(e.find(f"{ATOM}updated").text for e in entries)
        for entry in entries:
            url = entry.find(f"{ATOM}link").get("href")[len(base):]
            assert url not in seen, f"{url} in both {seen.get(url)} and {feed.stem}"
            seen[url] = feed.stem
            item = next(i for i in published.values() if i.url == url)
            assert entry.find(f"{ATOM}title").text == item.meta["title"]
            if item.meta.get("column"):
                assert feed.stem == item.meta["column"]
        dates = [e.find(f"{ATOM}updated").text for e in entries]
        assert dates == sorted(dates, reverse=True), f"{feed.stem} not newest first"
    assert full, "the demo should fill at least one feed to its size limit"
    # What a feed leaves out is only the oldest items of a full column's feed.
    for item in published.values():
        if item.url in seen:
            continue
        column = item.meta.get("column") or next(c["id"] for c in demo.columns if item.type in c.get("types", []))
        assert column in full, f"{item.url} is in no feed and its column {column} is not full"
        assert when(item.meta["date"]).isoformat() <= full[column], f"{item.url} newer than the oldest entry of {column}"


# --- withdrawal, redirects, privacy --------------------------------------------------------------------


def test_withdrawn_item_shows_its_notice_and_is_listed_nowhere(demo):
    withdrawn = demo.in_state("withdrawn")
    assert withdrawn, "the demo should show a withdrawn item"
    files = demo.all_text()
    assert len(files) >= 500, f"the demo site has only {len(files)} files to search"
    for item in withdrawn.values():
        soup = demo.soup(item.url)
        notice = text(soup.find("main"))
        assert "撤回" in notice
        assert item.meta["withdrawn"]["reason"] in notice
        assert item.meta["withdrawn"]["date"] in notice
        body_line = next(line for line in item.body.splitlines() if len(line.strip()) > 20).strip()[:20]
        for name, content in files.items():
            if name != item.page:
                assert item.url not in content, f"{item.id} still linked or listed in {name}"
            assert body_line not in content, f"{item.id}'s body is published in {name}"


def test_former_address_redirects_to_the_item(demo):
    moved = [(i, old) for i in demo.items.values() for old in i.meta.get("former_urls", [])
             if i.state(demo.now) in ("published", "withdrawn")]
    assert moved, "the demo should show a former address"
    for item, old in moved:
        soup = demo.soup(old)
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh["content"].replace(" ", "") == f"0;url={item.url}"
        assert soup.find("a", href=item.url) is not None
        assert soup.find("link", rel="canonical")["href"] == item.url


def test_letter_not_marked_public_is_nowhere_in_the_output(demo):
    private = [i for i in demo.in_state("hidden").values() if i.type == "letter"]
    assert any(i.meta.get("public") == "false" for i in private), "the demo should hold a private letter"
    files = demo.all_text()
    assert len(files) >= 500, f"the demo site has only {len(files)} files to search"
    for letter in private:
        needles = [letter.meta["title"], letter.url, letter.meta["question"].strip().splitlines()[0][:30]]
        if letter.meta.get("reply"):
            needles.append(letter.meta["reply"].strip().splitlines()[0][:30])
        for name, content in files.items():
            for needle in needles:
                assert needle not in content, f"private letter {letter.id} leaks into {name}: {needle!r}"


def test_published_letters_show_question_reply_unit_and_dates(demo):
    letters = [i for i in demo.in_state("published").values() if i.type == "letter"]
    assert letters
    for letter in letters:
        words = text(demo.soup(letter.url).find("main"))
        for key in ("question", "reply"):
            assert " ".join(letter.meta[key].split())[:40] in words
        assert letter.meta["replied"] in words and letter.meta["received"] in words
        assert demo.unit_name(letter.meta["reply_unit"]) in words
    assert {i.url for i in letters} & links(demo.soup("/hudong/").find("main"))


def test_attachments_are_served_only_for_published_items(demo):
    published = demo.in_state("published")
    used = {ref["file"] for item in published.values() for key in ("attachments", "forms", "media")
            for ref in item.meta.get(key, [])}
    assert used
    for rel in used:
        assert (demo.output / rel).read_bytes() == (demo.root / "content" / rel).read_bytes()
    others = [i for s in ("future", "withdrawn", "hidden") for i in demo.in_state(s).values()]
    unpublished = [ref["file"] for item in others for key in ("attachments", "forms", "media")
                   for ref in item.meta.get(key, []) if ref["file"] not in used]
    assert unpublished, "the demo has no attachment of a scheduled, withdrawn or hidden item (ybj-2026-6 has one)"
    for item in others:
        for key in ("attachments", "forms", "media"):
            for ref in item.meta.get(key, []):
                if ref["file"] not in used:
                    assert not (demo.output / ref["file"]).exists(), f"{ref['file']} of {item.id} is served"


@pytest.mark.parametrize("url", ["/404.html", "/robots.txt", "/sitemap.xml", "/theme/css/print.css"])
def test_standard_files_exist(demo, url):
    assert demo.exists(url)


# --- browsing: 政府信息公开, policy library, unit pages, interpretation forms ---------------------------


def listed_items(site, url: str) -> set[str]:
    """Item URLs linked from the main content of a listing, over all its pages."""
    out, page = set(), url
    while page:
        main = site.soup(page).find("main")
        asides = [a for a in (main.find("nav", class_="facets"), main.find("section", class_="platforms")) if a]
        out |= {a["href"] for a in main.find_all("a", href=True)
                if re.fullmatch(r"/[a-z]+/[a-z0-9-]+/", a["href"]) and not any(a in aside.descendants for aside in asides)}
        following = main.find("a", rel="next")
        page = following["href"] if following else None
    return out


def test_policy_library_facets_list_exactly_the_matching_policies(demo):
    policies = [p for p in demo.in_state("published").values() if p.type == "policy"]
    library = demo.soup("/policies/")
    facets = {text(h): h.find_next_sibling("ul") for h in library.find("nav", class_="facets").find_all("h2")}
    assert set(facets) == {"有效性", "文件类型", "发布机构", "年份"}
    assert listed_items(demo, "/policies/") == {p.url for p in policies}
    keys = {"有效性": lambda p: p.meta["validity"], "文件类型": lambda p: p.meta["doc_type"],
            "发布机构": lambda p: demo.unit_name(p.meta["unit"]), "年份": lambda p: p.meta["date"][:4] + "年"}
    for label, values in facets.items():
        options = values.find_all("a")
        assert options, label
        covered = set()
        for option in options:
            name = re.sub(r"[((]\d+[))]$", "", text(option)).strip()
            expected = {p.url for p in policies if keys[label](p) == name}
            assert expected, (label, name)
            assert listed_items(demo, option["href"]) == expected, (label, name)
            assert re.search(rf"[((]{len(expected)}[))]$", text(option))
            covered |= expected
        assert covered == {p.url for p in policies}, f"{label}: every policy falls under one option"


def test_disclosure_section_offers_guide_rules_categories_units_and_reports(demo):
    published = demo.in_state("published")
    main = demo.soup("/xxgk/").find("main")
    sections = {text(s.find("h2")): links(s) for s in main.find_all("section")}
    by_kind = lambda kind: {p.url for p in published.values() if p.type == "page" and p.meta["page_kind"] == kind}
    assert by_kind("公开指南") and by_kind("公开指南") <= sections["政府信息公开指南"]
    assert by_kind("公开制度") and by_kind("公开制度") <= sections["政府信息公开制度"]
    reports = {r.url for r in published.values() if r.type == "report"}
    assert reports and reports <= sections["政府信息公开工作年度报告"]
    categories = sections["法定主动公开内容(按类别)"]
    assert len(categories) == 15
    for url in categories:
        category = url.rstrip("/").rsplit("/", 1)[1]
        expected = {i.url for i in published.values() if i.meta.get("disclosure_category") == category}
        assert listed_items(demo, url) == expected, category
    assert sections["法定主动公开内容(按单位)"] == {f"/units/{u}/" for u in demo.unit_ids}


def test_unit_pages_show_functions_contact_and_their_items(demo):
    published = demo.in_state("published")
    assert len(demo.unit_ids) >= 15, f"the demo has only {len(demo.unit_ids)} units"
    for unit_id in demo.unit_ids:
        unit = yaml_unit(demo, unit_id)
        main = demo.soup(f"/units/{unit_id}/").find("main")
        assert text(main.find("h1")) == unit["name"]
        assert section(main, "机构职能") is not None
        words = text(main)
        assert unit["contact"]["phone"] in words and unit["contact"]["address"] in words
        own = {i.url for i in published.values() if i.meta["unit"] == unit_id}
        assert len(own) <= 50
        listed = {href for href in links(main) if re.fullmatch(r"/[a-z]+/[a-z0-9-]+/", href)} - {"/units/" + unit_id + "/"}
        assert listed == own, unit_id


def test_categories_published_on_a_dedicated_platform_link_there_from_unit_and_category(demo):
    declared = [(u, entry) for u in demo.unit_ids for entry in yaml_unit(demo, u).get("published_elsewhere", [])]
    assert declared, "the demo has no unit publishing a category on a dedicated platform"
    for unit_id, entry in declared:
        on_unit = section(demo.soup(f"/units/{unit_id}/").find("main"), "在专门平台公开的类别")
        link = on_unit.find("a", href=entry["url"])
        assert link is not None and text(link) == entry["platform"], (unit_id, entry)
        on_category = demo.soup(f"/xxgk/categories/{entry['category']}/").find("section", class_="platforms")
        row = next(li for li in on_category.find_all("li") if li.find("a", href=f"/units/{unit_id}/"))
        assert row.find("a", href=entry["url"]) is not None, (unit_id, entry)


def yaml_unit(site, unit_id):
    import yaml

    return yaml.load((site.root / f"content/units/{unit_id}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_interpretation_shows_its_form_and_plays_local_media(demo):
    media_items = [i for i in demo.in_state("published").values() if i.type == "interpretation" and i.meta.get("media")]
    assert {i.meta["form"] for i in media_items} >= {"图解", "音频", "视频"}
    for item in media_items:
        soup = demo.soup(item.url)
        assert text(soup.select_one(".interprets .form")) == item.meta["form"]
        for media in item.meta["media"]:
            src = "/" + media["file"]
            ext = src.rsplit(".", 1)[1].lower()
            tag = {"svg": "img", "png": "img", "jpg": "img", "jpeg": "img", "mp3": "audio", "wav": "audio",
                   "m4a": "audio", "mp4": "video", "webm": "video"}[ext]
            element = soup.find(tag, src=src)
            assert element is not None, (item.id, src)
            if tag == "img":
                assert element["alt"] == " ".join(media["description"].split()) or element["alt"] == media["description"]
            else:
                assert element.has_attr("controls")
            assert (demo.output / media["file"]).is_file()


def test_pages_have_a_skip_link_one_h1_and_the_reading_aids(demo):
    pages = set(demo.html_pages) - demo.redirect_pages
    assert len(pages) >= 300, f"the demo site has only {len(pages)} pages"
    for page in pages:
        soup = demo.soup(page)
        skip = soup.find("a", class_="skip-link")
        assert skip is not None and skip["href"] == "#main" and soup.find(id="main") is not None, page
        assert len(soup.find_all("h1")) == 1, page
        assert {b["data-a11y"] for b in soup.select("button[data-a11y]")} == {"elder", "bigger", "smaller", "contrast", "reset"}
        assert soup.find("meta", attrs={"name": "viewport"}) is not None
    assert (demo.output / "theme/js/a11y.js").is_file()
    assert 'media="print"' in str(demo.soup("/policies/").find("link", href="/theme/css/print.css"))


def test_statistics_listing_holds_exactly_the_statistical_datasets(demo):
    statistical = {i.url for i in demo.in_state("published").values()
                   if i.type == "dataset" and i.meta.get("disclosure_category") == "statistics"}
    assert statistical, "the demo opens statistical datasets"
    assert listed_items(demo, "/data/statistics/") == statistical
    assert demo.soup("/data/").find("main").find("a", href="/data/statistics/") is not None
