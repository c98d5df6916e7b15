"""The privacy screen over every attachment a reader can open (issue 24).

The text screen (privacy.py) reads what the site shows; an attachment is published too, and whoever
downloads it sees its hidden sheets, comments, headers and tracked changes. This rule reads each file as
a reader opens it (`content.attachment_text`), runs the same matcher on it (`privacy.findings`) and
reports at the line of the item that links the file. A file it cannot read is refused, never passed.
"""
from __future__ import annotations

import os
from typing import Iterator

from pipeline.check.rules import RELATED, Rule, register
from pipeline.check.rules.placeholders import marker_pattern, placeholder_matches
from pipeline.check.rules.privacy import (CARD_CODE, ID_CODE, KINDS, MISTYPED_CODE, MOBILE_CODE, findings,
                                          public_numbers)
from pipeline.content.attachment_text import (ARCHIVE, ENCODING, OLD_BINARY, REFUSED, SCANNED, TEXT_FORMATS,
                                              UNREADABLE, Bounds, Extraction, extension, extract_cached,
                                              formula_like)
from pipeline.content.parse_cache import cache_folder, trusted
from pipeline.core.datasets import TableError, read_table, resource_path, resources
from pipeline.core.files import files_published
from pipeline.core.publication import Status, status
from pipeline.diagnostics import Diagnostic, Severity

PRIVACY_CODES = {ID_CODE: "GK-FILE-001", MOBILE_CODE: "GK-FILE-002", CARD_CODE: "GK-FILE-003",
                 MISTYPED_CODE: "GK-FILE-004"}
PLACEHOLDER_CODE = "GK-FILE-005"
PROBLEM_CODES = {UNREADABLE: "GK-FILE-006", REFUSED: "GK-FILE-007", ARCHIVE: "GK-FILE-008",
                 SCANNED: "GK-FILE-009", ENCODING: "GK-FILE-011"}
FORMULA_CODE = "GK-FILE-010"
WARNINGS = {"GK-FILE-004", PLACEHOLDER_CODE, "GK-FILE-009"}
# Beyond this many findings of one code in one file, one line says how many more: a leaked list of
# 3,000 names needs fixing once, not reading 3,000 times.
MAX_PER_CODE = 10


@register
class AttachmentScreen(Rule):
    """附件筛查:读者能打开的每个附件,都按读者看到的样子检查个人信息。

    检查现在或将来会发布的条目所发布的每个文件(与构建复制的文件相同):xlsx(含隐藏和
    深度隐藏的工作表、隐藏的行列、批注、页眉页脚)、xls、docx(正文、文本框、页眉页脚、
    脚注尾注、批注、修订记录中删除的文字)、PDF 每一页、OFD、CSV、TXT、JSON,以及 zip
    压缩包里的这些文件(逐层打开)。与正文相同的隐私筛查:身份证号码、手机号码、银行卡号
    (GK-FILE-001…004,单位 public_numbers 中的号码不报),`placeholders.markers` 中的占位
    文字(GK-FILE-005,警告)。报告位置是条目中写这个附件的那一行,消息写明附件和其中的位置。

    无法检查的文件不放过:打不开(损坏、加密,GK-FILE-006)、旧版二进制格式 doc/wps/et
    (GK-FILE-007,请另存为 docx/xlsx 或 PDF)、超出界限的压缩包(文件数、嵌套层数、解压后
    大小、压缩比,GK-FILE-008,打开前即按目录判断)、不是 UTF-8 的文本(GK-FILE-011)。PDF
    中只有图片、没有文字层的页(扫描件)给出警告(GK-FILE-009)。

    GK-FILE-010:CSV(数据集的数据文件和其他附件)和 xlsx 中以 = + - @、制表符或回车开头的
    文字单元格,电子表格软件打开时会当作公式执行(CSV 注入),不允许;-12.5、+3 这样的数字
    和单独的“-”不算。

    FAIL: 附件 公示名单.xlsx 的隐藏工作表「原始」B4 为 450103199003071234;
    附件 意见汇总.docx 的批注(作者 张三)写着“请联系 13812345678”;附件 扫描件.doc;
    数据文件某单元格为 =HYPERLINK("http://example.com","点击")。

    PASS: 附件中写成 45*************234、138****5678;数字单元格 -12.5;由原文件导出、带文字层的 PDF。
    """

    codes = {
        "GK-FILE-001": "附件含居民身份证号码(含隐藏工作表、批注、页眉页脚、修订记录)",
        "GK-FILE-002": "附件含未打码的个人手机号码",
        "GK-FILE-003": "附件含银行卡号",
        "GK-FILE-004": "附件含疑似身份证号码,校验位不符(警告)",
        PLACEHOLDER_CODE: "附件含占位文字(警告)",
        "GK-FILE-006": "附件无法打开(损坏、加密或读取超时),无法检查",
        "GK-FILE-007": "附件格式无法检查(旧版 doc/wps/et,压缩包中的图片等)",
        "GK-FILE-008": "压缩包超出界限(文件数、嵌套层数、解压后大小、压缩比)",
        "GK-FILE-009": "PDF 页面是扫描图片,没有文字层,无法检查(警告)",
        FORMULA_CODE: "表格单元格会被电子表格软件当作公式执行(CSV 注入)",
        "GK-FILE-011": "文本附件不是 UTF-8 编码,无法检查",
    }

    reach = RELATED  # a finding is at the item; a data file's formula cells come through its datasets

    def check(self, repo) -> Iterator[Diagnostic]:
        limits = repo.settings["limits"]
        bounds = Bounds.from_limits(limits)
        folder = os.path.join(cache_folder(repo.root), "attachments") if trusted(repo.root) else None
        screen = _Screen(public_numbers(repo), repo.now.date(), marker_pattern(repo))
        read: dict[str, Extraction] = {}
        data_done: set[str] = set()
        records = [i for i in repo.items if status(i, repo.now) not in (Status.WITHDRAWN, Status.NEVER)]
        for record in [*records, *repo.units.values()]:
            data_files = {resource_path(r) for r in resources(record)} if record.type == "dataset" else set()
            seen: set[str] = set()
            for use in files_published(record):
                rel = use.rel
                cf = repo.assets.get(rel)
                ext = extension(rel)
                if rel in seen or cf is None or (ext not in TEXT_FORMATS and ext not in OLD_BINARY):
                    continue
                seen.add(rel)
                try:
                    if cf.path.is_symlink() or cf.path.stat().st_size > limits["asset_max_bytes"]:
                        continue  # GK-PATH-001 / GK-PATH-002
                except OSError:
                    continue
                if rel in data_files:
                    # Its cells are screened for privacy at their CSV lines (GK-PRIV-*); formulas here too.
                    if rel not in data_done:
                        data_done.add(rel)
                        yield from _data_formulas(repo, rel)
                    continue
                if rel not in read:
                    read[rel] = extract_cached(cf.path, bounds, folder)
                yield from screen.report(record, use, read[rel])


class _Screen:
    def __init__(self, allowed, today, pattern):
        self.allowed, self.today, self.pattern = allowed, today, pattern

    def report(self, record, use, extraction: Extraction) -> Iterator[Diagnostic]:
        name = use.rel.rsplit("/", 1)[-1]
        counts: dict[str, int] = {}

        def emit(code: str, message: str) -> Iterator[Diagnostic]:
            counts[code] = counts.get(code, 0) + 1
            if counts[code] <= MAX_PER_CODE:
                yield Diagnostic(record.path, use.line, 0, code, _severity(code), message)

        for problem in extraction.problems:
            where = f"{problem.location}:" if problem.location else ""
            yield from emit(PROBLEM_CODES[problem.kind], f"附件「{name}」{where}{problem.detail}。")
        for piece in extraction.pieces:
            for _, _, code, masked in findings(piece.text, self.allowed, self.today):
                yield from emit(PRIVACY_CODES[code],
                                f"附件「{name}」{piece.location}含{KINDS[code]} {masked}。公开的附件中不得出现个人信息:"
                                f"请在原文件中删除或打码(写成 {masked})后重新上传;隐藏的工作表和行列、批注、页眉页脚、"
                                "修订记录,下载的人同样看得到。")
            if self.pattern is not None:
                for match in placeholder_matches(piece.text, self.pattern):
                    yield from emit(PLACEHOLDER_CODE, f"附件「{name}」{piece.location}有占位文字「{match.group()}」,"
                                                      "请写上真实内容或删去。")
            if piece.cell and formula_like(piece.text):
                yield from emit(FORMULA_CODE, _formula_message(f"附件「{name}」{piece.location}", piece.text))
        for code, count in counts.items():
            if count > MAX_PER_CODE:
                yield Diagnostic(record.path, use.line, 0, code, _severity(code),
                                 f"附件「{name}」另有 {count - MAX_PER_CODE} 处同类问题(共 {count} 处),请一并处理。")


def _severity(code: str) -> Severity:
    return Severity.WARNING if code in WARNINGS else Severity.ERROR


def _data_formulas(repo, rel: str) -> Iterator[Diagnostic]:
    try:
        table = read_table(repo.root / "content" / rel)
    except TableError:
        return  # GK-DATA-001
    shown = 0
    for row, line in zip([table.header, *table.rows], [1, *table.lines]):
        for column, cell in zip(table.header, row):
            if formula_like(cell):
                shown += 1
                if shown <= MAX_PER_CODE:
                    yield Diagnostic(f"content/{rel}", line, 0, FORMULA_CODE, Severity.ERROR,
                                     _formula_message(f"第 {line} 行「{column}」列", cell))


def _formula_message(where: str, value: str) -> str:
    shown = value if len(value) <= 30 else value[:30] + "……"
    return (f"{where}的值「{shown.strip()}」以 {value[0]!r} 开头,Excel、WPS 等打开时会当作公式执行(CSV 注入)。"
            "若是文字,请改写开头(如去掉开头的符号,或在前面加上文字);若是数字,请只写数字。")
