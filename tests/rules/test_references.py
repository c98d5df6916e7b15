"""GK-REF-001..005: references to items, units, columns and repository files resolve."""
from __future__ import annotations

from tests.attachment_samples import pdf
from tests.item_samples import line_no, sample
from tests.repo_factory import BASE, INTERPRETATION, NEWS, POLICY, found, make_repo, md, run_check

POLICY_PATH = "content/policies/zc-1.md"
INTERP_PATH = "content/interpretations/jd-zc-1.md"
NEWS_PATH = "content/news/xw-1.md"


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


def news_with_body(body: str) -> str:
    return NEWS.replace("教育局召开会议。\n", body)


# --- GK-REF-001: item ids --------------------------------------------------------------------

def test_interpretation_of_unknown_id_is_ref_001_at_the_list_entry(tmp_path):
    interp = INTERPRETATION.replace("interprets: [zc-1]", "interprets:\n  - zc-1\n  - zc-9")
    diagnostics = check(tmp_path, {POLICY_PATH: POLICY, INTERP_PATH: interp})
    assert found(diagnostics) == {("GK-REF-001", INTERP_PATH, line_no(interp, "- zc-9"))}
    assert "zc-9" in diagnostics[0].message


def test_interpretation_of_existing_policy_passes(tmp_path):
    assert check(tmp_path, {POLICY_PATH: POLICY, INTERP_PATH: INTERPRETATION}) == []


def test_unknown_replacing_document_is_ref_001(tmp_path):
    policy = POLICY.replace("validity: 现行有效", "validity: 已废止\nvalidity_date: 2026-05-01\nreplaced_by: zc-8")
    diagnostics = check(tmp_path, {POLICY_PATH: policy, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-REF-001", POLICY_PATH, line_no(policy, "replaced_by"))}


def test_unknown_related_policy_of_a_service_is_ref_001(tmp_path):
    path, service = sample("service")
    service = service.replace("theme: 教育", "theme: 教育\nrelated_policies: [zc-1, zc-7]")
    diagnostics = check(tmp_path, {path: service, POLICY_PATH: POLICY, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-REF-001", path, line_no(service, "related_policies"))}


def test_body_link_to_unknown_item_is_ref_001_at_the_body_line(tmp_path):
    diagnostics = check(tmp_path, {NEWS_PATH: news_with_body("第一段。\n\n详见[《办法》](item:zc-9)。\n")})
    assert found(diagnostics) == {("GK-REF-001", NEWS_PATH, 9)}


def test_body_links_to_existing_items_pass_with_or_without_fragment(tmp_path):
    body = "见[《办法》](item:zc-1)和[第二条](item:zc-1#第二条)及[解读](<item:jd-zc-1> \"解读\")。\n"
    assert check(tmp_path, {NEWS_PATH: news_with_body(body), POLICY_PATH: POLICY, INTERP_PATH: INTERPRETATION}) == []


def test_two_broken_links_on_one_line_are_two_diagnostics(tmp_path):
    diagnostics = check(tmp_path, {NEWS_PATH: news_with_body("见[甲](item:zc-8)和[乙](item:zc-9)。\n")})
    assert [d.code for d in diagnostics] == ["GK-REF-001", "GK-REF-001"]
    assert {d.line for d in diagnostics} == {7}


# --- GK-REF-002: units -----------------------------------------------------------------------

def test_unknown_unit_is_ref_002_at_the_unit_line(tmp_path):
    diagnostics = check(tmp_path, {NEWS_PATH: NEWS.replace("unit: jyj", "unit: jyjj")})
    assert found(diagnostics) == {("GK-REF-002", NEWS_PATH, 4)}
    assert "jyjj" in diagnostics[0].message


def test_unknown_reply_unit_is_ref_002(tmp_path):
    path, letter = sample("letter")
    diagnostics = check(tmp_path, {path: letter.replace("reply_unit: jyj", "reply_unit: gaj")})
    assert found(diagnostics) == {("GK-REF-002", path, line_no(letter, "reply_unit"))}


def test_body_link_to_unknown_unit_is_ref_002(tmp_path):
    diagnostics = check(tmp_path, {NEWS_PATH: news_with_body("主办:[教育局](unit:jyj),协办:[公安局](unit:gaj)\n")})
    assert found(diagnostics) == {("GK-REF-002", NEWS_PATH, 7)}


def test_unknown_responsible_unit_of_a_column_is_ref_002_at_its_entry(tmp_path):
    columns = BASE["content/governance/columns.yaml"].replace("units: [yjzfb]", "units: [yjzfb, gaj]", 1)
    diagnostics = check(tmp_path, {"content/governance/columns.yaml": columns})
    assert found(diagnostics) == {("GK-REF-002", "content/governance/columns.yaml", 4)}


def test_unknown_host_unit_is_ref_002(tmp_path):
    site = BASE["content/governance/site.yaml"].replace("host_unit: yjzfb", "host_unit: bgs")
    diagnostics = check(tmp_path, {"content/governance/site.yaml": site})
    assert found(diagnostics) == {("GK-REF-002", "content/governance/site.yaml", 4)}


def test_known_units_pass(tmp_path):
    body = "主办:[教育局](unit:jyj)\n"
    assert check(tmp_path, {NEWS_PATH: news_with_body(body)}) == []


# --- GK-REF-003: columns ---------------------------------------------------------------------

def test_unknown_column_is_ref_003(tmp_path):
    diagnostics = check(tmp_path, {NEWS_PATH: NEWS.replace("unit: jyj", "unit: jyj\ncolumn: nosuch")})
    assert found(diagnostics) == {("GK-REF-003", NEWS_PATH, 5)}


def test_known_column_passes(tmp_path):
    assert check(tmp_path, {NEWS_PATH: NEWS.replace("unit: jyj", "unit: jyj\ncolumn: ywdt")}) == []


def test_unknown_type_in_a_column_is_ref_003(tmp_path):
    columns = BASE["content/governance/columns.yaml"].replace("types: [policy]", "types: [policy, blog]")
    diagnostics = check(tmp_path, {"content/governance/columns.yaml": columns})
    line = columns.split("\n").index("    types: [policy, blog]") + 1
    assert found(diagnostics) == {("GK-REF-003", "content/governance/columns.yaml", line)}


# --- GK-REF-004: repository files ------------------------------------------------------------

ATTACHED = POLICY.replace("validity: 现行有效", "validity: 现行有效\nattachments:\n  - title: 附件1\n    file: files/2026/附件1.pdf")


def test_missing_attachment_is_ref_004_at_its_file_line(tmp_path):
    diagnostics = check(tmp_path, {POLICY_PATH: ATTACHED, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-REF-004", POLICY_PATH, line_no(ATTACHED, "file: files/2026/附件1.pdf"))}


def test_present_attachment_passes(tmp_path):
    files = {POLICY_PATH: ATTACHED, INTERP_PATH: INTERPRETATION, "content/files/2026/附件1.pdf": pdf(["Attachment 1"])}
    assert check(tmp_path, files) == []


def test_missing_interpretation_media_is_ref_004(tmp_path):
    interp = INTERPRETATION.replace("form: 文字", "form: 图解\nmedia:\n  - file: files/tj.png\n    description: 一图读懂")
    diagnostics = check(tmp_path, {POLICY_PATH: POLICY, INTERP_PATH: interp})
    assert found(diagnostics) == {("GK-REF-004", INTERP_PATH, line_no(interp, "file: files/tj.png"))}


def test_missing_service_form_is_ref_004(tmp_path):
    path, service = sample("service")
    service = service.replace("theme: 教育", "theme: 教育\nforms:\n  - title: 申请表\n    file: files/sq.docx\n    kind: 规范表格")
    diagnostics = check(tmp_path, {path: service})
    assert found(diagnostics) == {("GK-REF-004", path, line_no(service, "file: files/sq.docx"))}


def test_body_link_to_missing_file_is_ref_004(tmp_path):
    diagnostics = check(tmp_path, {NEWS_PATH: news_with_body("下载[报名表](files/bmb.pdf)\n")})
    assert found(diagnostics) == {("GK-REF-004", NEWS_PATH, 7)}


def test_body_link_to_present_file_and_external_url_pass(tmp_path):
    body = "下载[报名表](files/bmb.pdf),详见[教育部](https://www.moe.gov.cn/)和[本页](#top)。\n"
    files = {NEWS_PATH: news_with_body(body), "content/files/bmb.pdf": pdf(["bmb"])}
    assert check(tmp_path, files) == []


# --- GK-REF-005: wrong type ------------------------------------------------------------------

def test_interpretation_of_a_news_item_is_ref_005(tmp_path):
    interp = INTERPRETATION.replace("zc-1]", "xw-1]").replace("item:zc-1", "item:xw-1")
    diagnostics = check(tmp_path, {NEWS_PATH: NEWS, INTERP_PATH: interp})
    assert found(diagnostics) == {("GK-REF-005", INTERP_PATH, 6)}


def test_replaced_by_an_interpretation_is_ref_005(tmp_path):
    policy = POLICY.replace("validity: 现行有效", "validity: 已废止\nvalidity_date: 2026-05-01\nreplaced_by: jd-zc-1")
    diagnostics = check(tmp_path, {POLICY_PATH: policy, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-REF-005", POLICY_PATH, line_no(policy, "replaced_by"))}


def test_body_link_to_any_type_is_fine(tmp_path):
    notice_path, notice = sample("notice")
    assert check(tmp_path, {NEWS_PATH: news_with_body("见[通知](item:tz-1)。\n"), notice_path: notice}) == []


def test_md_helper_is_used_consistently():
    assert md("a: 1").startswith("---\na: 1\n---\n")


# --- one reading of the ids an item names ---------------------------------------------------

def test_the_rule_the_changed_check_and_the_page_read_the_same_named_ids(tmp_path):
    """The reference rule resolves, the changed check's index follows and the item's page depends on the
    same ids (pipeline.core.relations.referenced_ids): list fields, single fields, by-id links."""
    from pipeline.check.content_index import entry_for
    from pipeline.content.paths import ContentFile
    from pipeline.content.repository import load_repository
    from pipeline.core.relations import referenced_ids
    from pipeline.core.site_items import Catalogue
    from pipeline.pages.items import _related
    from pipeline.timeutil import parse_now

    path, service = sample("service")
    service = service.replace("theme: 教育", "theme: 教育\nrelated_policies: [zc-1, zc-7]")
    policy = POLICY.replace("validity: 现行有效", "validity: 已废止\nvalidity_date: 2026-05-01\nreplaced_by: zc-6")
    interp = INTERPRETATION.replace("interprets: [zc-1]", "interprets:\n  - zc-1\n  - zc-8")
    news = news_with_body("见[《办法》](item:zc-1#第二条)和[旧办法](item:zc-9)、[单位](unit:jyj)。\n")
    root = make_repo(tmp_path, {path: service, POLICY_PATH: policy, INTERP_PATH: interp, NEWS_PATH: news})
    repo = load_repository(root)
    missing = {}
    for d in run_check(root):
        if d.code == "GK-REF-001":
            missing.setdefault(d.path, set()).update(i for i in ("zc-6", "zc-7", "zc-8", "zc-9") if i in d.message)
    catalogue = Catalogue(repo, parse_now("2026-11-26 09:00"))
    expected = {path: {"zc-1", "zc-7"}, POLICY_PATH: {"zc-6"}, INTERP_PATH: {"zc-1", "zc-8"},
                NEWS_PATH: {"zc-1", "zc-9"}}
    for rel, ids in expected.items():
        item = next(i for i in repo.items if i.path == rel)
        assert referenced_ids(item) == ids
        assert entry_for(ContentFile(root / rel, rel, "item", item.type), item).refs == ids  # the changed check
        page_items = {key.removeprefix("item:") for key in _related(catalogue, catalogue.entries[item.id])
                      if key.startswith("item:")} - {item.id}
        assert ids <= page_items  # the page depends on each (a policy's also on its interpretations)
        assert missing.get(rel, set()) == ids - {"zc-1"}  # what the rule reports as not existing
