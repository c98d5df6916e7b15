"""The demo portal reads as an official government portal (issue 15, points 3 and 4): header and footer
marks, links to the national registries and entries, a description and an icon for every page, one
政府信息公开 landing, units in the government's order, the 12345 entries, surveys that say how to take
part, and nothing in English.

Expected values come from the content files read with plain YAML and from the national addresses
written in the issue, not from the pipeline's own functions."""
from __future__ import annotations

import re
import struct
from urllib.parse import quote

import pytest
import yaml

from .conftest import soup_of, when

# The national addresses (issue 15): the registration service of the 党政机关网站标识, the MIIT ICP
# register, the public-security record register and the “我为政府网站找错” entry.
GOV_MARK = "https://bszs.conac.cn/sitename?method=show&id={id}"
ICP = "https://beian.miit.gov.cn/"
POLICE = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={number}"
CORRECTION = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&url={url}"


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split()) if node is not None else ""


@pytest.fixture(scope="module")
def portal_settings(demo) -> dict:
    data = yaml.safe_load((demo.root / "content/governance/settings.yaml").read_text(encoding="utf-8"))
    return data["portal"]


def pages(demo) -> list[str]:
    found = sorted(set(demo.html_pages) - demo.redirect_pages)
    assert len(found) >= 300, f"the demo site has only {len(found)} pages"  # the tests loop over them
    return found


def page_url(rel: str) -> str:
    return "/" + rel.removesuffix("index.html")


def test_header_has_the_logo_the_site_name_and_the_reading_aids_at_the_top(demo, portal_settings):
    for rel in pages(demo):
        header = demo.soup(rel).find("header")
        home = header.find("a", class_="site-name")
        assert home["href"] == "/" and demo.site_config["name"] in text(home), rel
        logo = home.find("img")
        assert logo is not None and logo["src"] == portal_settings["logo"], rel
        aids = header.select_one(".topbar .a11y-tools")
        assert aids is not None, rel
        words = text(aids)
        for aid in ("长者模式", "大字", "高对比度", "无障碍", "恢复默认"):
            assert aid in words, (rel, aid)
    assert (demo.output / portal_settings["logo"].lstrip("/")).read_text(encoding="utf-8").lstrip().startswith("<svg")
    access = demo.soup("/").select_one(".a11y-tools a")
    assert text(access) == "无障碍" and demo.exists(access["href"])
    assert "长者模式" in text(demo.soup(access["href"]).find("main"))


def test_footer_carries_the_marks_and_registry_links_with_the_configured_values(demo, portal_settings):
    site = demo.site_config
    number = re.sub(r"\D", "", site["police_record"])
    for rel in pages(demo):
        footer = demo.soup(rel).find("footer")
        mark = footer.select_one("a.gov-mark")
        assert mark["href"] == GOV_MARK.format(id=portal_settings["gov_mark_id"]), rel
        assert mark.img["alt"] == "党政机关网站标识" and mark.img["src"].endswith(".svg")
        icp = footer.find("a", class_="icp")
        assert icp["href"] == ICP and text(icp) == site["icp"], rel
        police = footer.find("a", class_="police-record")
        assert police["href"] == POLICE.format(number=number) and text(police) == site["police_record"], rel
        assert icp.img is not None and police.img is not None
        assert f"网站标识码:{site['site_id_code']}" in text(footer).replace(" ", "")
        links = {text(a): a["href"] for a in footer.find_all("a", href=True)}
        address = f"https://{site['domain']}{page_url(rel)}"
        assert links["网站纠错"] == CORRECTION.format(site_code=site["site_id_code"], url=quote(address, safe="")), rel
        assert links["网站地图"] == "/sitemap/" and demo.exists(links["联系我们"])
        for img in footer.find_all("img"):
            assert (demo.output / img["src"].lstrip("/")).is_file(), img["src"]


def test_footer_marks_no_paragraph_with_an_aria_label(demo):
    """The Nu Html Checker refuses aria-label on an element without a role that takes a name (<p>, <span>)."""
    for rel in pages(demo):
        for tag in demo.soup(rel).find_all(["p", "span", "div"], attrs={"aria-label": True}):
            assert tag.get("role"), (rel, str(tag)[:80])


def test_every_page_has_a_description_and_items_describe_themselves_with_their_summary(demo):
    for rel in pages(demo):
        meta = demo.soup(rel).find("meta", attrs={"name": "description"})
        assert meta is not None and len(meta["content"].strip()) >= 10, rel
    published = demo.in_state("published").values()
    summarised = [i for i in published if i.meta.get("summary")]
    assert len(summarised) > 50
    for item in summarised:
        summary = " ".join(item.meta["summary"].split())
        content = demo.soup(item.url).find("meta", attrs={"name": "description"})["content"]
        assert content == summary or (content.endswith("……") and summary.startswith(content[:-2])), item.id
    descriptions = {demo.soup(i.url).find("meta", attrs={"name": "description"})["content"] for i in published}
    assert len(descriptions) > len(list(published)) * 0.9, "descriptions differ from page to page"


def test_favicon_is_a_real_icon_at_the_root(demo):
    data = (demo.output / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 1, "an ICO file starts 00 00 01 00"
    for n in range(count):
        width, height, _, _, _, _, size, offset = struct.unpack("<BBBBHHII", data[6 + 16 * n:22 + 16 * n])
        image = data[offset:offset + size]
        assert len(image) == size and (image[:4] == b"\x89PNG" or struct.unpack("<I", image[:4])[0] == 40)
    for rel in pages(demo):
        icons = {link["href"] for link in demo.soup(rel).find_all("link", rel="icon")}
        assert "/favicon.ico" in icons, rel


def test_one_disclosure_landing_with_guide_rules_categories_application_and_reports(demo):
    titled = [rel for rel in pages(demo) if text(demo.soup(rel).find("title")).split(" - ")[0] == "政府信息公开"]
    assert titled == ["xxgk/index.html"]
    main = demo.soup("/xxgk/").find("main")
    headings = [text(h) for h in main.find_all("h2")]
    for heading in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容(按类别)", "依申请公开", "政府信息公开工作年度报告"):
        assert heading in headings, heading
    apply = next(h for h in main.find_all("h2") if text(h) == "依申请公开").find_parent("section")
    pages_ = [i for i in demo.in_state("published").values() if i.type == "page" and i.meta["page_kind"] == "依申请公开"]
    assert pages_, "the demo publishes how to apply for information"
    hrefs = {a["href"] for a in apply.find_all("a", href=True)}
    assert pages_[0].url in hrefs
    forms = ["/" + f["file"] for f in pages_[0].meta["attachments"]]
    assert forms and set(forms) <= hrefs and all(demo.exists(f) for f in forms)
    procedure = text(demo.soup(pages_[0].url).find("main"))
    assert "20 个工作日" in procedure and "申请表" in procedure


def test_disclosure_column_lists_no_site_pages(demo):
    listed = text(demo.soup("/columns/zfxxgk/").find("main"))
    for title in ("联系我们", "网站声明"):
        assert title not in listed
    assert "信息公开指南" in listed


def test_units_are_grouped_city_government_departments_counties_in_the_configured_order(demo, portal_settings):
    main = demo.soup("/units/").find("main")
    groups = [(text(s.find("h2")), [a["href"].split("/")[2] for a in s.find_all("a", href=True)])
              for s in main.find_all("section")]
    assert [name for name, _ in groups] == ["市人民政府", "市直部门和单位", "县(区)人民政府"]
    kinds = {u: yaml.safe_load((demo.root / f"content/units/{u}.yaml").read_text(encoding="utf-8"))["kind"]
             for u in demo.unit_ids}
    assert set(groups[0][1]) == {u for u, k in kinds.items() if k in ("市人民政府", "市人民政府办公室")}
    assert set(groups[2][1]) == {u for u, k in kinds.items() if k == "县区人民政府"}
    assert sorted(u for _, ids in groups for u in ids) == demo.unit_ids
    order = portal_settings["unit_order"]
    for _, ids in groups:
        assert ids == sorted(ids, key=order.index), ids
    assert groups[0][1][0] == "yjzf", "the city government comes first"


def test_interaction_offers_writing_and_asking_on_the_12345_platform(demo, portal_settings):
    main = demo.soup("/hudong/").find("main")
    links = {text(a.find("strong")): a["href"] for a in main.select("a.hudong-entry")}
    assert links == {"我要写信": portal_settings["letter_url"], "我要咨询": portal_settings["consult_url"]}


def test_surveys_say_how_to_take_part_while_open_and_that_they_are_closed_after(demo):
    surveys = [i for i in demo.in_state("published").values() if i.type == "survey"]
    open_ = [s for s in surveys if when(s.meta["start"]) <= demo.now and demo.now.date() <= when(s.meta["end"]).date()]
    assert open_, "the demo has an open survey"
    assert [s for s in surveys if s not in open_], "the demo has a closed survey"
    for survey in surveys:
        box = demo.soup(survey.url).find("section", class_="participation")
        ways = survey.meta.get("participation")
        assert ways, f"{survey.id}: a survey says how to take part"
        if survey in open_:
            if ways.get("questionnaire"):
                assert box.find("a", href=ways["questionnaire"]) is not None, survey.id
            if ways.get("email"):
                assert box.find("a", href=re.compile("^mailto:" + re.escape(ways["email"]))) is not None
            # the static site takes no answers itself: the text may not send readers to answer on it
            assert "栏目在线" not in text(demo.soup(survey.url).find("div", class_="article-body")), survey.id
        else:
            assert "不再接收" in text(box) and box.find("a") is None, survey.id


# Latin letters a citizen meets that are names or signs, not English: formats and standards (RSS, CSV,
# GB, CC BY, UTF-8, YYYY-MM-DD), units (kg, mg), abbreviations Chinese text uses as they are (GDP, IC 卡,
# DIP, CFU, App), the 12345 letters' “XX” for a withheld name, and the data catalogues' own names.
ALLOWED = {"RSS", "Atom", "CSV", "JSON", "Excel", "API", "PDF", "OFD", "DOCX", "XLSX", "JavaScript", "Tab",
           "GB", "ICP", "DCAT", "LD", "JSONLD", "Data", "US", "Open", "Project", "CC", "BY", "UTF", "YYYY", "MM",
           "DD", "kg", "mg", "GDP", "IC", "DIP", "CFU", "App", "XX"}


def visible_words(soup) -> set[str]:
    body = soup.find("body")
    for tag in body.find_all(["script", "style", "code", "template"]):
        tag.decompose()
    for tag in body.find_all(hidden=True):
        tag.decompose()
    words = body.get_text(" ")
    # addresses, file names and item ids (“sj-spj-xzxk”, shown for a counted item no longer public) are not words
    words = re.sub(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:cn|com|json|jsonld|csv|xml)\b|(?<![A-Za-z0-9])[a-z0-9]+(?:-[a-z0-9]+)+(?![A-Za-z0-9])", " ", words)
    return set(re.findall(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])", words))


def test_no_english_in_the_visible_text_of_any_page(demo):
    found = {}
    for rel in pages(demo):
        words = visible_words(soup_of(demo.output / rel)) - ALLOWED  # a soup of its own: visible_words cuts it
        if words:
            found[rel] = sorted(words)
    assert not found, found

