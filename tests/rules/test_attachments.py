"""GK-FILE-001..011: every attachment a reader can open is screened as the reader sees it, through `gongkai check`."""
from __future__ import annotations

import io
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from tests.attachment_samples import ID_NUMBER, MOBILE, bomb, docx, pdf, xlsx, zipped
from tests.item_samples import COMPANIONS, sample
from tests.repo_factory import NEWS, POLICY, found, make_repo, run_check

POLICY_PATH = "content/policies/zc-1.md"
NEWS_PATH = "content/news/xw-1.md"
ATTACHMENT_LINE = 16  # the `file:` line `attached` writes into the policy


def attached(path: str) -> str:
    return POLICY.replace("validity: 现行有效", f"validity: 现行有效\nattachments:\n  - title: 附件1\n    file: {path}")


def screen(tmp_path, name: str, data: bytes, code: str | None = None):
    """The GK-FILE-* diagnostics of a policy attaching `data` as files/2026/zc-1/`name`."""
    rel = f"files/2026/zc-1/{name}"
    diagnostics = run_check(make_repo(tmp_path, {POLICY_PATH: attached(rel), f"content/{rel}": data}))
    return [d for d in diagnostics if d.code.startswith("GK-FILE") and (code is None or d.code == code)]


def at_the_link(diagnostics, code):
    return found(diagnostics, code) == {(code, POLICY_PATH, ATTACHMENT_LINE)}


def test_the_file_line_is_where_findings_go(tmp_path):
    assert attached("x").splitlines()[ATTACHMENT_LINE - 1].strip() == "file: x"


# --- privacy in every part a reader can open -------------------------------------------------------------

def test_id_numbers_on_a_hidden_sheet_are_found_and_masked(tmp_path):
    data = xlsx({"公示": {"A1": "姓名", "B1": "身份证号"}, "原始": {"B4": ID_NUMBER}}, hidden=["原始"])
    found_ = screen(tmp_path, "名单.xlsx", data)
    assert at_the_link(found_, "GK-FILE-001")
    message = found_[0].message
    assert "名单.xlsx" in message and "工作表「原始」" in message and "B4" in message
    assert ID_NUMBER not in message and ID_NUMBER[:2] + "*" in message


def test_an_old_xls_workbook_is_read_sheet_by_sheet_hidden_ones_too(tmp_path):
    # tests/fixtures/名单-旧版.xls was written once with xlwt (BIFF8, as Excel 97-2003 saves it): a masked
    # public sheet and a hidden sheet 「原始」 holding the full ID number (B4) and a mobile (B5).
    data = (Path(__file__).parents[1] / "fixtures" / "名单-旧版.xls").read_bytes()
    found_ = screen(tmp_path, "名单.xls", data)
    assert {d.code for d in found_} == {"GK-FILE-001", "GK-FILE-002"} and at_the_link(found_, "GK-FILE-001")
    assert any("工作表「原始」" in d.message and "B4" in d.message for d in found_)
    assert {d.code for d in screen(tmp_path / "cut", "名单.xls", data[:1500])} == {"GK-FILE-006"}  # cut short: unreadable


def test_a_very_hidden_sheet_and_a_hidden_column_are_read_too(tmp_path):
    data = xlsx({"公示": {"A1": "张某", "C2": ID_NUMBER}, "备份": {"A1": MOBILE}},
                very_hidden=["备份"], hidden_columns=["C"])
    assert {d.code for d in screen(tmp_path, "名单.xlsx", data)} == {"GK-FILE-001", "GK-FILE-002"}


def test_cell_comment_and_sheet_header_are_read(tmp_path):
    data = xlsx({"公示": {"A1": "名单"}}, comments={("公示", "A1"): (f"联系 {MOBILE}", "张三")})
    [finding] = screen(tmp_path, "名单.xlsx", data)
    assert finding.code == "GK-FILE-002" and "批注(作者 张三)" in finding.message
    [finding] = screen(tmp_path / "h", "名单.xlsx", xlsx({"公示": {"A1": "名单"}}, header=f"经办 {MOBILE}"))
    assert finding.code == "GK-FILE-002" and "页眉" in finding.message


def test_docx_comment_with_a_mobile_is_found(tmp_path):
    found_ = screen(tmp_path, "意见.docx", docx(["意见汇总。"], comment=(f"请联系 {MOBILE}", "张三")))
    assert at_the_link(found_, "GK-FILE-002") and "批注(作者 张三)" in found_[0].message


def test_id_in_a_tracked_deletion_is_found(tmp_path):
    found_ = screen(tmp_path, "通知.docx", docx(["通知正文。", ("del", f"身份证 {ID_NUMBER}")]))
    assert at_the_link(found_, "GK-FILE-001") and "修订(删除)" in found_[0].message


def test_phone_in_a_docx_header_is_found(tmp_path):
    found_ = screen(tmp_path, "通知.docx", docx(["通知正文。"], header=f"经办人 {MOBILE}"))
    assert at_the_link(found_, "GK-FILE-002") and "页眉" in found_[0].message


def test_id_split_over_two_runs_of_a_paragraph_is_one_number(tmp_path):
    assert at_the_link(screen(tmp_path, "通知.docx", docx([f"申请人 {ID_NUMBER}"])), "GK-FILE-001")


def test_pdf_text_with_an_id_names_its_page(tmp_path):
    found_ = screen(tmp_path, "公示.pdf", pdf(["Notice", f"ID {ID_NUMBER}"]))
    assert at_the_link(found_, "GK-FILE-001") and "第 2 页" in found_[0].message


def test_scanned_pdf_page_is_a_warning_not_a_pass(tmp_path):
    [finding] = screen(tmp_path, "扫描.pdf", pdf(["Notice", ""]))
    assert finding.code == "GK-FILE-009" and finding.severity.value == "warning" and "第 2 页" in finding.message


def test_zip_of_spreadsheets_is_opened_member_by_member(tmp_path):
    inner = zipped({"乡镇/名单.xlsx": xlsx({"Sheet1": {"B4": ID_NUMBER}})})
    found_ = screen(tmp_path, "材料.zip", zipped({"a/材料.zip": inner, "说明.txt": "材料说明。".encode()}))
    assert at_the_link(found_, "GK-FILE-001")
    assert "压缩包内 a/材料.zip 压缩包内 乡镇/名单.xlsx 工作表「Sheet1」B4" in found_[0].message


def test_csv_attached_to_a_news_item_is_screened(tmp_path):
    rel = "files/2026/xw-1/名单.csv"
    news = NEWS.replace("date: 2026-03-01 09:00", f"date: 2026-03-01 09:00\nattachments:\n  - title: 名单\n    file: {rel}")
    diagnostics = run_check(make_repo(tmp_path, {NEWS_PATH: news,
                                                 f"content/{rel}": f"姓名,电话\n张某,{MOBILE}\n".encode()}))
    assert {(d.code, d.path) for d in diagnostics if d.code.startswith("GK-FILE")} == {("GK-FILE-002", NEWS_PATH)}


def test_public_numbers_of_a_unit_are_not_reported_in_attachments(tmp_path):
    assert screen(tmp_path, "通知.docx", docx(["咨询电话 13877770000"])) == []


# --- what cannot be read is refused ----------------------------------------------------------------------

def test_corrupt_files_are_errors_not_passes(tmp_path):
    good = xlsx({"Sheet1": {"A1": "名单"}})
    for n, (name, data) in enumerate([("坏.xlsx", good[: len(good) // 2]), ("坏.docx", b"PK\x03\x04garbage"),
                                      ("坏.pdf", b"%PDF-1.4\n1 0 obj <<"), ("坏.zip", b"PK\x05\x06")]):
        [finding] = screen(tmp_path / str(n), name, data)
        assert finding.code == "GK-FILE-006" and finding.severity.value == "error", name
        assert "损坏" in finding.message


def test_encrypted_pdf_and_zip_are_refused(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(["Notice"]))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    [finding] = screen(tmp_path, "加密.pdf", out.getvalue())
    assert finding.code == "GK-FILE-006" and "密码" in finding.message

    # zipfile cannot encrypt: set the "encrypted" flag bit in the central directory, where a reader looks.
    data = bytearray(zipped({"名单.csv": "x".encode()}))
    directory = data.index(b"PK\x01\x02")
    data[directory + 8] |= 0x1
    [finding] = screen(tmp_path / "z", "加密.zip", bytes(data))
    assert finding.code == "GK-FILE-006" and "密码" in finding.message


def test_an_encrypted_office_file_says_so(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024  # what Office writes for a password-protected xlsx
    [finding] = screen(tmp_path, "名单.xlsx", ole)
    assert finding.code == "GK-FILE-006" and "密码" in finding.message


def test_archive_bomb_is_a_diagnostic_in_a_fraction_of_a_second(tmp_path):
    data = bomb()
    start = time.monotonic()
    [finding] = screen(tmp_path, "材料.zip", data)
    assert finding.code == "GK-FILE-008" and "压缩" in finding.message
    assert time.monotonic() - start < 5  # the whole check of a tiny repository; inflating would take far longer


def test_old_binary_formats_are_refused_with_advice(tmp_path):
    [finding] = screen(tmp_path, "通知.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert finding.code == "GK-FILE-007" and "docx" in finding.message


def test_text_attachment_not_in_utf8_is_refused(tmp_path):
    [finding] = screen(tmp_path, "说明.txt", "说明文字".encode("gbk"))
    assert finding.code == "GK-FILE-011"


# --- formula cells ---------------------------------------------------------------------------------------

def test_formula_text_cell_in_an_attached_csv_and_xlsx_is_refused_with_its_cell(tmp_path):
    [finding] = screen(tmp_path, "表.csv", '项目,金额\n"=HYPERLINK(""http://x.example"",""点击"")",-12.5\n'.encode())
    assert finding.code == "GK-FILE-010" and "A2" in finding.message
    [finding] = screen(tmp_path / "x", "表.xlsx", xlsx({"Sheet1": {"A1": "项目", "B2": "@SUM(1+1)*cmd|' /C calc'!A0"}}))
    assert finding.code == "GK-FILE-010" and "B2" in finding.message


def test_formula_cell_in_a_dataset_csv_is_reported_at_its_line(tmp_path):
    path, dataset = sample("dataset")
    ((csv_path, table),) = COMPANIONS["dataset"].items()
    table = table.replace("2024,初中,52,46000", '2024,"=1+2",52,46000')
    diagnostics = run_check(make_repo(tmp_path, {path: dataset, csv_path: table}))
    assert found(diagnostics, "GK-FILE-010") == {("GK-FILE-010", csv_path, 3)}


def test_negative_numbers_and_dashes_are_not_formulas(tmp_path):
    data = "项目,增减,备注\n收入,-12.5,-\n支出,+3,--\n比例,-4.5%,无\n".encode()
    assert screen(tmp_path, "表.csv", data) == []


# --- clean files pass ------------------------------------------------------------------------------------

def test_clean_and_masked_attachments_pass(tmp_path):
    masked = ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    files = {"名单.xlsx": xlsx({"公示": {"A1": "张某", "B1": masked, "C1": "138****5678", "D1": 1200}}),
             "通知.docx": docx(["经研究,现予公示。"], header="云江市人民政府办公室"),
             "公示.pdf": pdf(["Notice 2026"]),
             "材料.zip": zipped({"说明.txt": "材料清单。".encode(), "数据.json": b'{"a": -1}'})}
    for n, (name, data) in enumerate(files.items()):
        assert screen(tmp_path / str(n), name, data) == [], name


def test_mistyped_id_is_a_warning_and_placeholders_are_warnings(tmp_path):
    mistyped = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    found_ = screen(tmp_path, "通知.docx", docx([f"号码 {mistyped}", "联系电话:待补充"]))
    assert {(d.code, d.severity.value) for d in found_} == {("GK-FILE-004", "warning"), ("GK-FILE-005", "warning")}


def test_a_long_list_is_reported_ten_times_and_then_counted(tmp_path):
    data = xlsx({"名单": {f"A{n}": f"1381234{n:04d}" for n in range(1, 31)}})
    found_ = screen(tmp_path, "名单.xlsx", data, "GK-FILE-002")
    assert len(found_) == 11 and any("另有 20 处" in d.message for d in found_)


def test_bank_card_in_a_text_attachment_is_found_on_its_line(tmp_path):
    from stdnum import luhn

    card = "622202123456789012" + luhn.calc_check_digit("622202123456789012")
    found_ = screen(tmp_path, "说明.txt", f"收款说明\n账号 {card}\n".encode())
    assert at_the_link(found_, "GK-FILE-003") and "第 2 行" in found_[0].message and card not in found_[0].message


def test_ofd_text_with_a_mobile_names_its_page(tmp_path):
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    data = zipped({"OFD.xml": f"<ofd:OFD {ns}><ofd:DocBody/></ofd:OFD>".encode(),
                   "Doc_0/Pages/Page_1/Content.xml":
                       f"<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject><ofd:TextCode X='0' Y='0'>"
                       f"联系人 {MOBILE}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>".encode()})
    found_ = screen(tmp_path, "公告.ofd", data)
    assert at_the_link(found_, "GK-FILE-002") and "第 2 页" in found_[0].message
