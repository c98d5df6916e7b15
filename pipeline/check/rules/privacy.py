"""The privacy screen (《门户网站管理办法》第二十一条、第三十三条第三项).

Personal identifiers must not reach the portal: resident ID numbers, mainland
mobile numbers and bank card numbers. The screen runs on every published text
(bodies, metadata strings, unit pages; not on letters that are not public).
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Iterator

from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.core.datasets import TableError, read_table, resource_path, resources
from pipeline.core.publication import Status, screened_items, shown_fields, status
from pipeline.content.source_positions import source_position
from pipeline.check.rules import RELATED, Rule, register

ID_CODE = "GK-PRIV-001"
MOBILE_CODE = "GK-PRIV-002"
CARD_CODE = "GK-PRIV-003"
MISTYPED_CODE = "GK-PRIV-004"

# The screen reads digits as a reader sees them (NFKC): full-width digits from a Chinese input method,
# mathematical digits, odd spaces and dashes count as what they look like. These map one character to
# one, so offsets stay valid; zero-width characters are removed with an index map (`_display_form`).
def _one_to_one_table() -> dict[int, str]:
    table = {}
    for start, end in ((0x00A0, 0x00A0), (0x2000, 0x200A), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
                       (0xFF01, 0xFF5E), (0x1D7CE, 0x1D7FF)):
        for code in range(start, end + 1):
            shown = unicodedata.normalize("NFKC", chr(code))
            if len(shown) == 1 and shown in "0123456789Xx+-(). ":
                table[code] = shown
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe58\ufe63":
        table[ord(dash)] = "-"
    return table


_SHOWN_AS = _one_to_one_table()
_NEEDS_MAPPING = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_SHOWN_AS)) + "]")
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Every identifier below has 11 digits, possibly with single separators between them (spaces, dots,
# hyphens, as people group numbers): one cheap search lets almost every text skip the patterns.
_CANDIDATE = re.compile(r"[0-9](?:[ .-]?[0-9]){10}")


def _display_form(text: str) -> tuple[str, list[int] | None]:
    """`text` as its digits display, and the original index of each character when some were removed."""
    if _NEEDS_MAPPING.search(text):
        text = text.translate(_SHOWN_AS)
    if not _ZERO_WIDTH.search(text):
        return text, None
    kept = [i for i, ch in enumerate(text) if not _ZERO_WIDTH.match(ch)]
    return "".join(text[i] for i in kept), kept


# 18-character ID: 17 digits and a digit or X, not part of a longer run of
# digits or Latin letters (an index number such as 11450100MB1536210X is not).
_ID18 = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# The same 18 characters written in groups (110101 19900307 4573, 110101-1990-0307-4573): separators
# between digits, and no more digit groups glued on either side.
_ID18_GROUPED = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][ .-])[0-9](?:[ .-]?[0-9]){16}[ .-]?[0-9Xx](?![0-9A-Za-z])(?![ .-][0-9])")
# First-generation 15-digit ID (no check digit): only next to a word that says
# it is an ID number, otherwise any 15-digit number with a date inside would hit.
_ID15 = re.compile(r"(?:身份证|证件号|身份号码)[^0-9\n]{0,8}(?<![0-9A-Za-z])([0-9]{15})(?![0-9A-Za-z])")
# Mobile: 1[3-9] and nine digits, optionally +86/0086/(+86) and 3-4-4 groups.
_MOBILE = re.compile(
    r"(?<![0-9+])(?:(?:\+|00)86[ -]?|\(\+?86\) ?)?"
    r"(1[3-9][0-9])([ .-]?)([0-9]{4})\2([0-9]{4})(?![0-9])"
)
# Card: 16-19 digits in one run, or groups of 4 split by one kind of separator.
_CARD = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9]{16,19}|[0-9]{4}([ .-])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,3})?)(?![0-9A-Za-z])"
)
# Issuer digits of cards in use in China: 3 (JCB/Amex), 4 (Visa), 5 (Mastercard),
# 6 (UnionPay 62, others), 9 (old domestic 95xx cards). Runs starting with
# 0, 1, 2, 7 or 8 are serial, order and account numbers far more often.
_CARD_FIRST_DIGITS = set("34569")

_DIGITS = "0123456789"
_LETTER_HINT = "如该信件涉及个人隐私不宜公开,可将 public 改为 false。"


def id_birth_date(number: str, today: datetime.date) -> datetime.date | None:
    """Birth date of an 18-character ID with a valid GB 11643 check digit, else None.

    stdnum's `ric.validate` also looks the place code up in its own table;
    the screen must not: a number with an unknown or new county code is still
    somebody's number. So: check digit and birth date only.
    """
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return None
    try:
        if number[-1] != ric.calc_check_digit(number):
            return None
        born = ric.get_birth_date(number)
    except (ValidationError, ValueError):
        return None
    return born if _plausible_birth(born, today) else None


def _plausible_birth(born: datetime.date, today: datetime.date) -> bool:
    return datetime.date(1900, 1, 1) <= born <= today


def _id15_birth_ok(number: str, today: datetime.date) -> bool:
    try:
        born = datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return _plausible_birth(born, today)


def _id_shaped(digits: str, today: datetime.date) -> bool:
    """An 18-digit run with a birth date where an ID has it: never call it a card."""
    try:
        return _plausible_birth(datetime.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])), today)
    except ValueError:
        return False


def mask_id(number: str) -> str:
    """The masking national guidance shows: 35*************123."""
    return number[:2] + "*" * (len(number) - 5) + number[-3:]


def mask_mobile(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]


def mask_card(digits: str) -> str:
    return digits[:4] + " **** **** " + digits[-4:]


def _digits(value) -> str:
    return "".join(ch for ch in str(value) if ch.isascii() and ch.isdigit())


def _national(digits: str) -> str:
    """Drop a +86 / 0086 country code from a mobile number's digits."""
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            return digits[len(prefix):]
    return digits


def public_numbers(repo) -> set[str]:
    """Digits of every number any unit lists in `public_numbers`."""
    out = set()
    for unit in repo.units.values():
        numbers = unit.meta.get("public_numbers")
        if not isinstance(numbers, list):
            continue
        for number in numbers:
            if isinstance(number, (str, int)) and not isinstance(number, bool):
                digits = _digits(number)
                if digits:
                    out.add(digits)
                    out.add(_national(digits))
    return out


@register
class PrivacyScreen(Rule):
    """隐私筛查:公开内容中不得出现居民身份证号码、个人手机号码、银行卡号。

    依据《门户网站管理办法》第二十一条(涉及隐私的信件不予公开)和第三十三条
    第三项(未经保密审查)。检查现在或将来会发布到网站的全部文字:正文、头信息
    中的每个文字字段、单位页面,定时发布的条目、将来才撤回的条目、尚未答复的
    公开信件都在内;`public` 不为 true 的信件不上网,不检查;已经撤回的条目只
    检查仍会显示的标题和撤回说明。

    检查前先把文字换成读者看到的样子:全角数字、数学数字、各种空格和连字符按其显示
    的样子识别(Unicode NFKC),零宽字符去掉;报告的行列仍指向原文。

    - GK-PRIV-001 身份证号码:18 位(末位可为 X),出生日期有效且 GB 11643
      校验码正确(不核对行政区划代码:新设或未收录的县区也算);可以分组书写
      (110101 19900307 4573、110101-1990-0307-4573);15 位旧号码只在前面写明
      “身份证”“证件号”时才检查。
    - GK-PRIV-004 疑似身份证号码(警告):行政区划代码存在、出生日期有效,只有校验位
      不对,多半是输错一位的真实号码,仍属个人信息。
    - GK-PRIV-002 手机号码:1[3-9] 开头的 11 位,可带 +86,可写成
      138-1234-5678、138 1234 5678 或 138.1234.5678。任一单位 `public_numbers` 中列出的号码不报。
    - GK-PRIV-003 银行卡号:16 至 19 位(可每 4 位用空格、点或连字符分组),
      通过 Luhn 校验,首位为 3、4、5、6、9;不是身份证号、统一社会信用代码
      或单位公开号码。

    号码必须与前后的数字、字母分开(索引号 11450100MB1536210X/2026-00031、
    日期、金额不会误报)。报告中只引用打码后的号码。

    FAIL::

        联系人:张先生,电话 13812345678,身份证 450103199003071234。

    PASS::

        联系人:张先生,电话 138****5678,身份证 45*************234。
        咨询电话:13877770000(已列入本单位 public_numbers)
    """

    codes = {
        ID_CODE: "公开内容含居民身份证号码(GB 11643 校验通过)",
        MOBILE_CODE: "公开内容含未打码的个人手机号码",
        CARD_CODE: "公开内容含银行卡号(Luhn 校验通过)",
        MISTYPED_CODE: "公开内容含疑似身份证号码,校验位不符(警告)",
    }

    reach = RELATED  # per item, but a data file is screened through the datasets that use it

    def check(self, repo) -> Iterator[Diagnostic]:
        allowed = public_numbers(repo)
        today = repo.now.date()
        for item in screened_items(repo):
            hint = _LETTER_HINT if item.type == "letter" else ""
            for text_field in shown_fields(item, repo.now):
                text = text_field.text
                for start, end, code, masked in shown_findings(text, allowed, today):
                    # Reported where the number starts: a number split over lines is named by its first line.
                    first_line_end = text.find("\n", start, end)
                    line, col = source_position(item, text_field, start, end if first_line_end < 0 else first_line_end)
                    message = MESSAGES[code].format(masked=masked, line=line) + hint
                    severity = Severity.WARNING if code == MISTYPED_CODE else Severity.ERROR
                    yield Diagnostic(item.path, line, col, code, severity, message)
        yield from self._cells(repo, allowed, today)

    def _cells(self, repo, allowed, today) -> Iterator[Diagnostic]:
        """Every cell of every data file a dataset publishes (or will), at its CSV line."""
        for item in repo.items:
            if item.type != "dataset" or status(item, repo.now) in (Status.WITHDRAWN, Status.NEVER):
                continue
            for resource in resources(item):
                file = resource_path(resource)
                if not file or file not in repo.assets:
                    continue
                try:
                    table = read_table(repo.root / "content" / file)
                except TableError:
                    continue  # GK-DATA-001
                for row, line in zip(table.rows, table.lines):
                    for cell in row:
                        for _, _, code, masked in findings(cell, allowed, today):
                            severity = Severity.WARNING if code == MISTYPED_CODE else Severity.ERROR
                            yield Diagnostic(f"content/{file}", line, 0, code, severity,
                                             MESSAGES[code].format(masked=masked, line=line))


# What each code finds, as a message names it.
KINDS = {ID_CODE: "居民身份证号码", MOBILE_CODE: "手机号码", CARD_CODE: "银行卡号", MISTYPED_CODE: "疑似身份证号码(校验位不符)"}

MESSAGES = {
    ID_CODE: "发现疑似居民身份证号码 {masked}(第 {line} 行)。公开内容中不得出现完整的身份证号码:"
             "请删除,确需保留时打码,写成 {masked}(只保留前 2 位和后 3 位)。",
    MOBILE_CODE: "发现疑似手机号码 {masked}(第 {line} 行)。公开内容中的个人手机号必须打码,"
                 "写成 {masked};单位对外公开的号码请列入该单位的 public_numbers。",
    MISTYPED_CODE: "发现疑似居民身份证号码 {masked}(第 {line} 行),校验位不符:可能是输错了一位的真实号码,仍属个人信息。"
                   "请删除或打码写成 {masked};若确是其他编号(如订单号),可在 settings.yaml 的 ignore 中按路径忽略此警告。",
    CARD_CODE: "发现疑似银行卡号 {masked}(第 {line} 行)。公开内容中不得出现个人银行卡号:"
               "请删除,确需保留时打码,写成 {masked};单位对外公开的收款账号请列入该单位的 public_numbers。",
}


def classify_id(number: str, today: datetime.date) -> str | None:
    """ID_CODE for a resident ID (check digit and birth date right), MISTYPED_CODE for one that only
    its check digit betrays (a real county code and birth date: most likely somebody's number with a
    typing error), None for anything else."""
    number = number.upper()
    if id_birth_date(number, today) is not None:
        return ID_CODE
    try:
        born = ric.get_birth_date(number)
        ric.get_birth_place(number)  # the county code must exist (stdnum's table), for the birth year
    except (ValidationError, ValueError, KeyError):
        return None
    return MISTYPED_CODE if _plausible_birth(born, today) else None


def findings(text: str, allowed: frozenset[str] | set[str], today: datetime.date) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, code, masked form) of every identifier in `text`, with offsets into `text` itself.

    The patterns run on the display form (`_display_form`: NFKC digits, zero-width characters gone),
    so a number is found however it was pasted. `allowed` holds public numbers' digits; `today`
    bounds plausible birth dates (the check's `now`).
    """
    shown, kept = _display_form(text)
    if not _CANDIDATE.search(shown):
        return
    for start, end, code, masked in _findings(shown, allowed, today):
        if kept is not None:
            start, end = kept[start], kept[end - 1] + 1
        yield start, end, code, masked


# A line break inside a paragraph is no break on the page: Markdown joins the lines and a browser shows
# the break as a space, or as nothing next to Chinese, so "4501031990\n03071234" reads as one number.
# These are the breaks the screen reads through: between a digit and a digit (a separator may sit on
# either side), when the next line continues the paragraph rather than starting a block.
_SPLIT_DIGITS = re.compile(r"\d[ .-]?\n[ \t]*[ .-]?\d")
_STARTS_BLOCK = re.compile(r"[ \t]*(?:[-+*][ \t]|[0-9]{1,9}[.)][ \t]|#|>|\||```|~~~|[=-]+[ \t]*$)")
_FENCE_LINE = re.compile(r"[ \t]{0,3}(?:```|~~~)")


def _soft_breaks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line break a reader does not see: the newline and the next line's indentation,
    inside one paragraph (not across a blank line, a hard break, a heading, a list item, a quote, a
    table row or fenced code; Python-Markdown's table cells are one line each)."""
    breaks = []
    lines = text.split("\n")
    at, fenced = 0, False
    for index, line in enumerate(lines[:-1]):
        following = lines[index + 1]
        newline = at + len(line)
        at = newline + 1
        if _FENCE_LINE.match(line):
            fenced = not fenced
            continue
        if fenced or not line.strip() or not following.strip() or line.endswith(("  ", "\\")):
            continue
        if line.lstrip().startswith("#") or "|" in line or _STARTS_BLOCK.match(following):
            continue
        breaks.append((newline, at + len(following) - len(following.lstrip(" \t"))))
    return breaks


def shown_findings(text: str, allowed, today: datetime.date) -> Iterator[tuple[int, int, str, str]]:
    """`findings` in `text`, and in `text` as a page shows it, its paragraph lines joined (with a space
    and with nothing, as browsers do): what only the joined text shows is reported too, offsets in `text`."""
    seen = set()
    for finding in findings(text, allowed, today):
        seen.add(finding[0])
        yield finding
    if not _SPLIT_DIGITS.search(text):
        return  # the common case: no number can run over a line break
    breaks = _soft_breaks(text)
    for joint in (" ", ""):
        pieces, origin, at = [], [], 0
        for start, end in breaks:
            pieces += [text[at:start], joint]
            origin += range(at, start)
            origin += [start] * len(joint)
            at = end
        pieces.append(text[at:])
        origin += range(at, len(text) + 1)
        for start, end, code, masked in findings("".join(pieces), allowed, today):
            start, end = origin[start], origin[end - 1] + 1
            if start not in seen:
                seen.add(start)
                yield start, end, code, masked


def _findings(text: str, allowed, today: datetime.date) -> Iterator[tuple[int, int, str, str]]:
    ids: list[tuple[int, int]] = []  # spans taken by ID numbers, never also cards or mobiles

    for pattern in (_ID18, _ID18_GROUPED):
        for match in pattern.finditer(text):
            number = _digits_and_x(match.group())
            if pattern is _ID18_GROUPED and number == match.group():
                continue  # no separator: _ID18 has it
            code = classify_id(number, today)
            if code is not None:
                ids.append(match.span())
                yield *match.span(), code, mask_id(number.upper())
    for match in _ID15.finditer(text):
        if _id15_birth_ok(match.group(1), today):
            ids.append(match.span(1))
            yield *match.span(1), ID_CODE, mask_id(match.group(1))

    def inside_id(start: int, end: int) -> bool:
        return any(start < id_end and id_start < end for id_start, id_end in ids)

    for match in _MOBILE.finditer(text):
        if match.group(2) and _inside_grouped_run(text, match.start(), match.end()):
            continue
        if inside_id(*match.span()):
            continue
        digits = match.group(1) + match.group(3) + match.group(4)
        if digits not in allowed:
            yield *match.span(), MOBILE_CODE, mask_mobile(digits)

    for match in _CARD.finditer(text):
        start, end = match.span()
        if inside_id(start, end):
            continue
        if (match.group(1) and _inside_grouped_run(text, start, end)) or _amount_like(text, start, end):
            continue
        digits = _digits(match.group())
        if digits[0] not in _CARD_FIRST_DIGITS or digits in allowed or not luhn.is_valid(digits):
            continue
        if len(digits) == 18 and (_id_shaped(digits, today) or uscc.is_valid(digits)):
            continue
        yield start, end, CARD_CODE, mask_card(digits)


def _digits_and_x(value: str) -> str:
    return "".join(ch for ch in value if ch in "0123456789Xx")


def _inside_grouped_run(text: str, start: int, end: int) -> bool:
    """A grouped number glued to more digit groups ("1381 2345 6789 0123 4") is part of something longer."""
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return (len(before) == 2 and before[0] in _DIGITS and before[1] in " .-") or \
        (len(after) == 2 and after[0] in " .-" and after[1] in _DIGITS)


def _amount_like(text: str, start: int, end: int) -> bool:
    """Digits glued to a decimal point or thousands comma belong to an amount."""
    return bool(re.match(r"[.,][0-9]", text[end:end + 2])) or bool(re.search(r"[0-9][.,]$", text[max(0, start - 2):start]))
