"""GK-PRIV-001/002/003: the privacy screen, asserted as exact (code, path, line)."""
from __future__ import annotations

import datetime
import textwrap

from stdnum import luhn
from stdnum.cn import ric

from pipeline.check.rules.privacy import CARD_CODE, ID_CODE, MOBILE_CODE, findings
from tests.repo_factory import found, make_repo, md, run_check, unit_yaml

NEWS_PATH = "content/news/xw-1.md"
BODY_FIRST_LINE = 7  # "---", four front-matter lines, "---", then the body
TODAY = datetime.date(2026, 12, 1)


def make_id(first17: str) -> str:
    """A made-up ID number with a correct GB 11643 check digit (nobody's real number)."""
    return first17 + ric.calc_check_digit(first17 + "0")


def make_card(prefix: str) -> str:
    return prefix + luhn.calc_check_digit(prefix)


ID_NUMBER = make_id("45010319900307123")  # 南宁青秀区, born 1990-03-07
ID_UNKNOWN_PLACE = make_id("99999919900307123")  # no such county: still a leak
ID_WRONG_CHECK = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
CARD_19 = make_card("622202123456789012")
CARD_16 = make_card("622848001234567")
CARD_16_BAD = CARD_16[:-1] + str((int(CARD_16[-1]) + 1) % 10)


def news(body: str, item_id: str = "xw-1") -> str:
    return md(f"""
        id: {item_id}
        title: 测试新闻
        unit: jyj
        date: 2026-03-01 09:00
        """, textwrap.dedent(body).lstrip("\n"))


def diagnostics(tmp_path, files, code):
    return [d for d in run_check(make_repo(tmp_path, files)) if d.code == code]


def check(tmp_path, files, code=None):
    return found(run_check(make_repo(tmp_path, files)), code)


def test_fixtures_are_what_they_claim():
    assert ric.is_valid(ID_NUMBER) and not ric.is_valid(ID_WRONG_CHECK)
    assert not ric.is_valid(ID_UNKNOWN_PLACE)  # stdnum rejects the place code only
    assert luhn.is_valid(CARD_19) and luhn.is_valid(CARD_16) and not luhn.is_valid(CARD_16_BAD)


# --- GK-PRIV-001 ---------------------------------------------------------------

def test_id_number_in_body_is_reported_on_its_line(tmp_path):
    body = f"""
        第一段。

        申请人张某某,身份证号码 {ID_NUMBER},已受理。
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, ID_CODE) == {(ID_CODE, NEWS_PATH, BODY_FIRST_LINE + 2)}


def test_id_number_with_unknown_place_code_and_lower_x_is_reported(tmp_path):
    x_id = next(make_id(f"11010119900307{n:03d}") for n in range(1000)
                if make_id(f"11010119900307{n:03d}").endswith("X"))
    body = f"""
        号码 {ID_UNKNOWN_PLACE}。
        号码 {x_id.lower()}。
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, ID_CODE) == {
        (ID_CODE, NEWS_PATH, BODY_FIRST_LINE), (ID_CODE, NEWS_PATH, BODY_FIRST_LINE + 1)}


def test_message_quotes_only_the_masked_number(tmp_path):
    diags = diagnostics(tmp_path, {NEWS_PATH: news(f"身份证 {ID_NUMBER}\n")}, ID_CODE)
    assert len(diags) == 1
    assert ID_NUMBER not in diags[0].message
    assert ID_NUMBER[:2] + "*" * 13 + ID_NUMBER[-3:] in diags[0].message


def test_wrong_check_digit_is_a_warning_not_silence(tmp_path):
    """Issue 9: a real county code and birth date with a wrong check digit is most likely a mistyped real number."""
    diags = diagnostics(tmp_path, {NEWS_PATH: news(f"号码 {ID_WRONG_CHECK}。\n")}, "GK-PRIV-004")
    assert [(d.line, d.severity.value) for d in diags] == [(BODY_FIRST_LINE, "warning")]
    assert "校验位不符" in diags[0].message and ID_WRONG_CHECK not in diags[0].message


def test_masked_ids_and_index_numbers_pass(tmp_path):
    body = f"""
        身份证 35*************123,另一人 450103********1234。
        索引号 11450100MB1536210X/2026-00031。
        编号 {ID_NUMBER}12 与 A{ID_NUMBER} 都是更长编号的一部分。
        """
    diags = check(tmp_path, {NEWS_PATH: news(body)})
    assert {d for d in diags if d[0].startswith("GK-PRIV")} == set()


def test_old_15_digit_id_only_next_to_the_word():
    assert [f[2] for f in findings("身份证号码:110101900307123", set(), TODAY)] == [ID_CODE]
    assert list(findings("合同编号 110101900307123", set(), TODAY)) == []


# --- GK-PRIV-002 ---------------------------------------------------------------

def test_mobile_numbers_in_all_spellings_are_reported(tmp_path):
    body = """
        电话13812345678。
        电话 139-1234-5678
        电话 137 1234 5678
        电话 +86 15912345678
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, MOBILE_CODE) == {
        (MOBILE_CODE, NEWS_PATH, BODY_FIRST_LINE + n) for n in range(4)}


def test_two_numbers_on_one_line_are_two_diagnostics(tmp_path):
    mobiles = diagnostics(tmp_path, {NEWS_PATH: news("张 13812345678,李 13912345678。\n")}, MOBILE_CODE)
    assert [(d.line, d.col) for d in mobiles] == [(BODY_FIRST_LINE, 3), (BODY_FIRST_LINE, 17)]
    assert "138****5678" in mobiles[0].message and "13812345678" not in mobiles[0].message


def test_masked_public_and_embedded_numbers_pass(tmp_path):
    units = {"content/units/jyj.yaml": unit_yaml("jyj", "测试市教育局", "市直部门", 12346).replace(
        'public_numbers: ["13877770000"]', 'public_numbers: ["138 0771 0000"]')}
    body = """
        电话 138****5678。
        热线 13877770000(办公室公开号码)。
        热线 138-0771-0000(教育局公开号码)。
        订单 8613812345678 与 213812345678 不是手机号。
        日期 2026-03-01,金额 13,812,345,678 元。
        """
    diags = check(tmp_path, {NEWS_PATH: news(body), **units}, MOBILE_CODE)
    assert diags == set()


def test_mobile_in_front_matter_title_is_reported_on_the_title_line(tmp_path):
    item = md("""
        id: xw-1
        title: 联系人电话13812345678
        unit: jyj
        date: 2026-03-01 09:00
        """)
    assert check(tmp_path, {NEWS_PATH: item}, MOBILE_CODE) == {(MOBILE_CODE, NEWS_PATH, 3)}


# --- letters and units -----------------------------------------------------------

LETTER = """\
id: xj-1
title: 咨询入学事项
unit: jyj
kind: 咨询
received: 2026-03-02 10:00
question: |
  请问入学需要什么材料?
  我的电话是 13812345678,请回电。
reply: 您好,请携带户口簿到学校报名。
reply_unit: jyj
replied: 2026-03-03 16:00
public: {public}
"""
LETTER_PATH = "content/letters/xj-1.yaml"


def test_public_letter_block_scalar_line_is_exact(tmp_path):
    diags = diagnostics(tmp_path, {LETTER_PATH: LETTER.format(public="true")}, MOBILE_CODE)
    assert {(d.code, d.path, d.line) for d in diags} == {(MOBILE_CODE, LETTER_PATH, 8)}
    assert diags[0].col == len("  我的电话是 ") + 1
    assert "public 改为 false" in diags[0].message


def test_letter_not_public_is_not_screened(tmp_path):
    for public in ("false", '"yes"'):
        assert check(tmp_path / public, {LETTER_PATH: LETTER.format(public=public)}, MOBILE_CODE) == set()


def test_unit_page_is_screened(tmp_path):
    unit = unit_yaml("jyj", "测试市教育局", "市直部门", 12346).replace(
        "kind: 市直部门\n", "kind: 市直部门\nfunctions: |\n  负责全市教育工作。\n  联系人手机 13912345678。\n")
    assert check(tmp_path, {"content/units/jyj.yaml": unit}, MOBILE_CODE) == {
        (MOBILE_CODE, "content/units/jyj.yaml", 6)}


def test_folded_block_scalar_line_is_exact(tmp_path):
    unit = unit_yaml("jyj", "测试市教育局", "市直部门", 12346).replace(
        "kind: 市直部门\n", "kind: 市直部门\nfunctions: >-\n  负责全市教育工作。\n  联系人手机\n  13912345678。\n")
    diags = diagnostics(tmp_path, {"content/units/jyj.yaml": unit}, MOBILE_CODE)
    assert [(d.path, d.line, d.col) for d in diags] == [("content/units/jyj.yaml", 7, 3)]


def test_withdrawn_item_screens_only_its_notice(tmp_path):
    item = md("""
        id: xw-1
        title: 测试新闻
        unit: jyj
        date: 2026-03-01 09:00
        withdrawn:
          date: 2026-03-02 09:00
          reason: 应当事人 13912345678 要求撤回
        """, "正文中的电话 13812345678。\n")
    assert check(tmp_path, {NEWS_PATH: item}, MOBILE_CODE) == {(MOBILE_CODE, NEWS_PATH, 8)}


def test_odd_metadata_does_not_crash(tmp_path):
    item = md("""
        id: xw-1
        title: ["13812345678", {a: 3}, 3]
        unit: 12
        public_numbers: 5
        date: 2026-03-01 09:00
        """)
    letter = "id: xj-2\npublic: [1]\nquestion: 13812345678\n"
    unit = unit_yaml("jyj", "测试市教育局", "市直部门", 12346).replace(
        'public_numbers: ["13877770000"]', "public_numbers: {a: 1}")
    diags = check(tmp_path, {NEWS_PATH: item, "content/letters/xj-2.yaml": letter, "content/units/jyj.yaml": unit},
                  MOBILE_CODE)
    # The title's list entries are still published strings; the non-public letter is not.
    assert diags == {(MOBILE_CODE, NEWS_PATH, 3)}


# --- GK-PRIV-003 ---------------------------------------------------------------

def test_bank_card_numbers_are_reported(tmp_path):
    grouped = " ".join(CARD_16[i:i + 4] for i in range(0, 16, 4))
    body = f"""
        收款卡号 {CARD_19}。
        卡号:{grouped}
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, CARD_CODE) == {
        (CARD_CODE, NEWS_PATH, BODY_FIRST_LINE), (CARD_CODE, NEWS_PATH, BODY_FIRST_LINE + 1)}


def test_card_lookalikes_pass(tmp_path):
    body = f"""
        编号 {CARD_16_BAD} 校验不通过。
        索引号 11450100MB1536210X/2026-00031,文号 2026-00031。
        时间 20260301093000123 与金额 {CARD_16}.00 元。
        号码 {ID_NUMBER} 是身份证,{ID_WRONG_CHECK} 校验码错。
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, CARD_CODE) == set()


def test_public_account_passes(tmp_path):
    unit = unit_yaml("jyj", "测试市教育局", "市直部门", 12346).replace(
        'public_numbers: ["13877770000"]', f'public_numbers: ["{CARD_19}"]')
    assert check(tmp_path, {NEWS_PATH: news(f"捐款账号 {CARD_19}。\n"), "content/units/jyj.yaml": unit},
                 CARD_CODE) == set()


# --- issue 9: the screen sees what a reader sees -------------------------------------------------

def test_id_number_written_in_groups_is_reported(tmp_path):
    grouped = f"{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}"
    dashed = f"{ID_NUMBER[:6]}-{ID_NUMBER[6:10]}-{ID_NUMBER[10:14]}-{ID_NUMBER[14:]}"
    body = f"""
        身份证号 {grouped}。
        证件号码 {dashed}。
        """
    diags = diagnostics(tmp_path, {NEWS_PATH: news(body)}, ID_CODE)
    assert [(d.line, d.col) for d in diags] == [(BODY_FIRST_LINE, 6), (BODY_FIRST_LINE + 1, 6)]


def test_invisible_character_inside_a_number_does_not_hide_it(tmp_path):
    body = f"""
        身份证号 {ID_NUMBER[:9]}\u200b{ID_NUMBER[9:]},手机 139\u20601234\u200d5678。
        """
    found_codes = sorted((d.code, d.line) for d in run_check(make_repo(tmp_path, {NEWS_PATH: news(body)}))
                         if d.code.startswith("GK-PRIV"))
    assert found_codes == [(ID_CODE, BODY_FIRST_LINE), (MOBILE_CODE, BODY_FIRST_LINE)]


def test_full_width_and_dotted_mobile_numbers_are_reported(tmp_path):
    body = """
        手机 １３９１２３４５６７８。
        手机 139.1234.5678。
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, MOBILE_CODE) == {
        (MOBILE_CODE, NEWS_PATH, BODY_FIRST_LINE), (MOBILE_CODE, NEWS_PATH, BODY_FIRST_LINE + 1)}


def test_grouped_numbers_that_are_not_personal_pass(tmp_path):
    body = """
        电话 0771-5612345、0771-5612346;发文 2026-03-01 09:30,索引号 11450100MB1536210X/2026-00031。
        项目编号 2026 0301 0930 1234 56。
        """
    assert {d for d in check(tmp_path, {NEWS_PATH: news(body)}) if d[0].startswith("GK-PRIV")} == set()


def test_the_finding_points_at_the_original_text_after_removed_characters():
    text = f"甲\u200b乙 {ID_NUMBER}"
    ((start, end, code, _),) = list(findings(text, set(), TODAY))
    assert code == ID_CODE and text[start:end] == ID_NUMBER


# --- numbers split by a line break inside a paragraph: the page shows them whole ---------------

def test_id_split_over_two_lines_of_one_paragraph_is_reported_at_its_first_line(tmp_path):
    body = f"""\
        第一段。

        联系人身份证号码 {ID_NUMBER[:10]}
        {ID_NUMBER[10:]},请核实。
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, ID_CODE) == {(ID_CODE, NEWS_PATH, BODY_FIRST_LINE + 2)}


def test_mobile_split_over_lines_with_a_continuation_indent_is_reported(tmp_path):
    body = """\
        - 联系电话 138
          1234 5678。
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}, MOBILE_CODE) == {(MOBILE_CODE, NEWS_PATH, BODY_FIRST_LINE)}


def test_digits_in_two_paragraphs_list_items_or_a_code_block_are_not_joined(tmp_path):
    # A blank line, a new list item or fenced code are breaks the reader sees; Python-Markdown's table
    # cells are one line each, so a table row never continues on the next line either.
    body = f"""\
        编号 {ID_NUMBER[:10]}

        {ID_NUMBER[10:]} 是另一段的开头。

        - 编号 {ID_NUMBER[:10]}
        - {ID_NUMBER[10:]}

        ```
        {ID_NUMBER[:10]}
        {ID_NUMBER[10:]}
        ```

        | 电话 | 138 |
        | 1234 | 5678 |
        """
    assert check(tmp_path, {NEWS_PATH: news(body)}) == set()
