"""The text of an attachment as a reader who opens it sees it: pure reading, no rules.

`extract(data, name, bounds)` returns every piece of text a reader can reach in the file, each with a
location an editor can find (工作表「名单」C2, 第 3 页, 批注(作者 张三), 页眉, 修订(删除),
压缩包内 a/b.xlsx 工作表「Sheet1」B4), and the problems that kept part of it from being read
(corrupt, encrypted, an archive bomb, a scanned page, an old binary format). A file is never "passed"
by being unreadable: every such case is a `Problem`, which the attachment rule turns into a finding.

Hidden is not private: hidden sheets (also "veryHidden"), rows and columns, comments, headers, footers,
text boxes and tracked deletions all reach anyone who downloads the file, so they are all read.

Every library's exception stops at the file (or the archive member) and becomes a `Problem`; archives
and the zip containers of xlsx, docx and OFD are bounded from their central directory before anything is
inflated; a deadline and a budget of characters bound the rest. `extract_cached` keeps results by the
file's bytes, the bounds and the code's fingerprint (`parse_cache`), so a check reads only changed files.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import os
import re
import signal
import threading
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

UNREADABLE = "unreadable"  # corrupt, encrypted, too slow: nothing (or not all) of it was screened
REFUSED = "refused"  # a format the screen cannot read (old binary Office, media inside an archive)
ARCHIVE = "archive"  # an archive past its bounds (members, depth, size, ratio): a bomb or near enough
SCANNED = "scanned"  # a PDF page with images and no text layer: what it shows cannot be screened
ENCODING = "encoding"  # a text file that is not UTF-8

# Extensions whose text this module reads; images and media are another screen's (they are not text).
TEXT_FORMATS = {"xlsx", "xlsm", "docx", "pdf", "ofd", "csv", "txt", "json", "zip", "xls"}
OLD_BINARY = {"doc": "docx", "wps": "docx", "et": "xlsx"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_BASED = {"xlsx", "xlsm", "docx", "ofd"}
MEDIA = {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "tif", "tiff",
         "mp3", "m4a", "wav", "ogg", "mp4", "webm", "avi", "mov"}

# A spreadsheet runs a cell starting with one of these (CSV injection); a plain signed number does not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9,]*)?(?:\.[0-9]+)?%?(?:[eE][+-]?[0-9]+)?")


def formula_like(value: str) -> bool:
    """Whether a spreadsheet that opens `value` as a text cell would run it as a formula.

    -12.5 and +3 are numbers to every spreadsheet and harmless; =HYPERLINK(…), -1+1|cmd, @SUM(…) run.
    """
    if not value or not value.startswith(_FORMULA_START):
        return False
    stripped = value.strip()
    if set(stripped) <= set("+-"):
        return False  # "-" or "--" for "none" is text to every spreadsheet
    return not (stripped and stripped[0] in "+-" and len(stripped) > 1 and _PLAIN_NUMBER.fullmatch(stripped))


@dataclass(frozen=True)
class Bounds:
    """How much one attachment may cost to read (settings.yaml `limits:`)."""

    max_members: int = 2000  # files in one archive (xlsx, docx, OFD and zip alike)
    max_depth: int = 2  # archives inside archives
    max_unpacked_bytes: int = 104857600  # declared uncompressed size, all members of one file together
    max_ratio: int = 200  # uncompressed / compressed size of a member larger than 1 MB
    max_seconds: float = 20.0
    max_chars: int = 20000000  # text kept from one file

    @classmethod
    def from_limits(cls, limits: dict) -> "Bounds":
        names = {"attachment_max_members": "max_members", "attachment_max_depth": "max_depth",
                 "attachment_max_unpacked_bytes": "max_unpacked_bytes", "attachment_max_ratio": "max_ratio",
                 "attachment_max_seconds": "max_seconds"}
        return cls(**{ours: limits[key] for key, ours in names.items() if isinstance(limits.get(key), (int, float))})


@dataclass(frozen=True)
class Piece:
    location: str
    text: str
    cell: bool = False  # a spreadsheet's text cell: also judged as a formula (`formula_like`)


@dataclass(frozen=True)
class Problem:
    kind: str
    location: str  # "" for the file itself
    detail: str


@dataclass(frozen=True)
class Extraction:
    pieces: tuple[Piece, ...] = ()
    problems: tuple[Problem, ...] = ()


class _Stop(BaseException):
    """The file's deadline or text budget is spent.

    A BaseException, so that a library's own `except Exception` cannot swallow it when the alarm below
    interrupts the library in the middle of its work."""


@dataclass
class _Reader:
    bounds: Bounds
    deadline: float
    pieces: list[Piece] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    chars: int = 0

    def add(self, location: str, text, cell: bool = False) -> None:
        if text is None:
            return
        text = str(text)
        if not text.strip():
            return
        self.chars += len(text)
        if self.chars > self.bounds.max_chars:
            raise _Stop(f"文字超过 {self.bounds.max_chars} 个字符")
        self.pieces.append(Piece(location, text, cell))

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Stop(f"超过 {self.bounds.max_seconds:g} 秒仍未读完")

    def problem(self, kind: str, location: str, detail: str) -> None:
        self.problems.append(Problem(kind, location.strip(), detail))


def extract(data: bytes, name: str, bounds: Bounds = Bounds()) -> Extraction:
    """The text of the file `name` (its extension says what it is) holding `data`; never raises."""
    reader = _Reader(bounds, time.monotonic() + bounds.max_seconds)
    with warnings.catch_warnings(), _alarm(bounds.max_seconds):
        warnings.simplefilter("ignore")  # openpyxl and pypdf warn about what they skip; we report what we cannot read
        _quiet_loggers()
        try:
            _read(reader, data, name, "", 0)
        except _Stop as exc:
            reader.problem(UNREADABLE, "", f"{exc},其余部分未能检查")
    return Extraction(tuple(reader.pieces), tuple(reader.problems))


@contextlib.contextmanager
def _alarm(seconds: float):
    """A hard deadline for one file: `tick()` is only asked between pages, rows and members, and a hostile
    PDF content stream can keep pypdf inside one page's text far longer. In the main thread (the check is
    one) a timer interrupts whatever runs; elsewhere the ticks are the bound."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise _Stop(f"超过 {seconds:g} 秒仍未读完")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds + 1)  # the ticks get the first chance to stop it gently
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _quiet_loggers() -> None:
    for logger in ("pypdf", "openpyxl"):
        logging.getLogger(logger).setLevel(logging.CRITICAL)


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def _read(reader: _Reader, data: bytes, name: str, prefix: str, depth: int) -> None:
    ext = extension(name)
    if ext in OLD_BINARY:
        reader.problem(REFUSED, prefix, f"旧版二进制格式(.{ext})无法逐项检查其中的文字、批注和修订,"
                                        f"请另存为 {OLD_BINARY[ext]} 或 PDF 后上传")
        return
    handler = _HANDLERS.get(ext)
    if handler is None:
        return
    if ext in _ZIP_BASED and data.startswith(_OLE):
        # Office writes a password-protected xlsx/docx as an OLE container; so is an old .xls/.doc renamed.
        reader.problem(UNREADABLE, prefix, f"文件设有打开密码(或是改了扩展名的旧版文件),无法检查内容;"
                                           f"请去掉密码,用 {ext} 格式另存后上传")
        return
    try:
        handler(reader, data, prefix, depth)
    except _Stop:
        raise
    except _Refused as exc:
        reader.problem(exc.kind, prefix, exc.detail)
    except Exception as exc:  # any library's failure on a hostile or broken file ends at the file
        reader.problem(UNREADABLE, prefix, _why(exc, ext))


class _Refused(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def _why(exc: Exception, ext: str) -> str:
    text = str(exc).lower()
    if "encrypt" in text or "password" in text or "decrypt" in text:
        return "文件已加密或设有打开密码,无法检查内容,请去掉密码后上传"
    return f"文件已损坏或不是有效的 .{ext} 文件,无法打开({type(exc).__name__}),请用原程序重新另存后上传"


# --- zip containers (zip, xlsx, docx, OFD) -------------------------------------------------------------

def _open_zip(data: bytes, bounds: Bounds) -> zipfile.ZipFile:
    """The archive, after its central directory says it is within bounds (nothing inflated yet)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > bounds.max_members:
        raise _Refused(ARCHIVE, f"压缩包内有 {len(infos)} 个文件,超过上限 {bounds.max_members} 个")
    total = sum(info.file_size for info in infos)
    if total > bounds.max_unpacked_bytes:
        raise _Refused(ARCHIVE, f"解压后共 {total / 1048576:.0f} MB,超过上限 {bounds.max_unpacked_bytes / 1048576:.0f} MB"
                                "(疑似“压缩炸弹”)")
    for info in infos:
        if info.file_size > 1048576 and info.file_size > bounds.max_ratio * max(info.compress_size, 1):
            raise _Refused(ARCHIVE, f"「{info.filename}」压缩比超过 {bounds.max_ratio} 倍(疑似“压缩炸弹”)")
        if info.flag_bits & 0x1:
            raise _Refused(UNREADABLE, "压缩包已加密,无法检查内容,请去掉密码后上传")
    return archive


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        return handle.read(info.file_size)  # never more than the size the bounds were checked against


def _zip(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    if depth >= reader.bounds.max_depth:
        raise _Refused(ARCHIVE, f"压缩包嵌套超过 {reader.bounds.max_depth} 层")
    archive = _open_zip(data, reader.bounds)
    for info in archive.infolist():
        reader.tick()
        if info.is_dir():
            continue
        name = _member_name(info)
        inner = f"{prefix}压缩包内 {name} "
        ext = extension(name)
        if ext in MEDIA or (ext not in TEXT_FORMATS and ext not in OLD_BINARY):
            reader.problem(REFUSED, inner, "压缩包内的这类文件无法检查,请解压后作为单独的附件上传,或从压缩包中删去")
            continue
        try:
            member = _member(archive, info)
        except Exception as exc:
            reader.problem(UNREADABLE, inner, _why(exc, "zip"))
            continue
        _read(reader, member, name, inner, depth + 1)


def _member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # Windows' built-in zip writes GBK names without the UTF-8 flag
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --- xlsx ----------------------------------------------------------------------------------------------

def _xlsx(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    import openpyxl

    _open_zip(data, reader.bounds)
    # read_only=False: only the full reader loads comments and headers; the zip bounds hold its memory.
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False, keep_links=False)
    for sheet in book.worksheets:
        where = f"{prefix}工作表「{sheet.title}」{_hidden(sheet.sheet_state)}"
        for row in sheet.iter_rows():
            reader.tick()
            for cell in row:
                value = cell.value
                if value is not None:
                    # A real formula (data type f) is the workbook's own; a text cell that reads as one runs
                    # once the sheet is saved as CSV or pasted elsewhere.
                    reader.add(f"{where}{cell.coordinate}", _cell_text(value), cell=cell.data_type == "s")
                if cell.comment is not None:
                    author = (cell.comment.author or "").strip()
                    reader.add(f"{where}{cell.coordinate} 批注" + (f"(作者 {author})" if author else ""),
                               cell.comment.text)
        for label, part in (("页眉", "Header"), ("页脚", "Footer")):
            for kind in ("odd", "even", "first"):
                header = getattr(sheet.HeaderFooter, f"{kind}{part}", None)
                for side in ("left", "center", "right"):
                    text = getattr(getattr(header, side, None), "text", None)
                    reader.add(f"{where}{label}", text)


def _hidden(state: str | None) -> str:
    return "(隐藏)" if state in ("hidden", "veryHidden") else ""


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))  # an ID typed as a number shows as its digits
    return str(value)


def _xls(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=False, logfile=open(os.devnull, "w"))
    for sheet in book.sheets():
        where = f"{prefix}工作表「{sheet.name}」{'(隐藏)' if sheet.visibility else ''}"
        for r in range(sheet.nrows):
            reader.tick()
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_TEXT:
                    reader.add(f"{where}{xlrd.cellname(r, c)}", cell.value, cell=True)
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    reader.add(f"{where}{xlrd.cellname(r, c)}", _cell_text(cell.value))
        for (r, c), note in getattr(sheet, "cell_note_map", {}).items():
            reader.add(f"{where}{xlrd.cellname(r, c)} 批注(作者 {note.author})", note.text)


# --- docx ----------------------------------------------------------------------------------------------

_DOCX_PARTS = (("word/document.xml", "正文"), ("word/footnotes.xml", "脚注"), ("word/endnotes.xml", "尾注"))
_HEADER = re.compile(r"word/(header|footer)[0-9]*\.xml")


def _docx(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    archive = _open_zip(data, reader.bounds)
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise ValueError("no word/document.xml")
    parts = [(name, label) for name, label in _DOCX_PARTS if name in names]
    parts += [(name, "页眉" if _HEADER.fullmatch(name).group(1) == "header" else "页脚")
              for name in sorted(names) if _HEADER.fullmatch(name)]
    for name, label in parts:
        reader.tick()
        _paragraphs(reader, _xml(_member(archive, archive.getinfo(name))), f"{prefix}{label}")
    if "word/comments.xml" in names:
        root = _xml(_member(archive, archive.getinfo("word/comments.xml")))
        for comment in root.iter("{*}comment"):
            author = next((v for k, v in comment.attrib.items() if _local(k) == "author"), "").strip()
            _paragraphs(reader, comment, f"{prefix}批注" + (f"(作者 {author})" if author else ""))


def _paragraphs(reader: _Reader, root, where: str) -> None:
    """Each paragraph's text, joined across runs (a number split over runs is one number to a reader);
    text boxes and tracked deletions apart, each under its own location."""
    # Keyed by the paragraph elements themselves: holding them keeps lxml's proxies (and their ids) alive.
    texts: dict[tuple, list[str]] = {}
    order: list[tuple] = []
    numbers: dict = {}
    for node in root.iter("{*}t", "{*}delText", "{*}instrText"):
        paragraph, in_box = None, False
        for ancestor in node.iterancestors():
            name = _local(ancestor.tag)
            if name == "p" and paragraph is None:
                paragraph = ancestor
            elif name == "txbxContent":
                in_box = True
        kind = "修订(删除)" if _local(node.tag) == "delText" else ("文本框" if in_box else "")
        key = (paragraph, kind)
        if key not in texts:
            texts[key] = []
            order.append(key)
            numbers.setdefault(paragraph, len(numbers) + 1)
        texts[key].append(node.text or "")
    for key in order:
        number = numbers[key[0]]
        reader.add(f"{where}第 {number} 段{key[1]}" if where.endswith("正文") else f"{where}{key[1]}",
                   "".join(texts[key]))


# --- pdf and OFD ---------------------------------------------------------------------------------------

def _pdf(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(data), strict=False)
    if pdf.is_encrypted and not pdf.decrypt(""):
        raise _Refused(UNREADABLE, "PDF 设有打开密码,无法检查内容,请去掉密码后上传")
    scanned = []
    for number, page in enumerate(pdf.pages, 1):
        reader.tick()
        text = page.extract_text() or ""
        if text.strip():
            reader.add(f"{prefix}第 {number} 页", text)
        elif _has_images(page):
            scanned.append(number)
    if scanned:
        pages = "、".join(map(str, scanned[:10])) + ("等" if len(scanned) > 10 else "")
        reader.problem(SCANNED, prefix, f"第 {pages} 页是图片(扫描件),没有文字层,无法检查其中的个人信息;"
                                        "请上传带文字层的 PDF(由原文件导出),或人工核对后按 ignore 忽略")


def _has_images(page) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    return "/XObject" in resources


_PAGE = re.compile(r"Page_([0-9]+)", re.IGNORECASE)


def _ofd(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    archive = _open_zip(data, reader.bounds)
    found = False
    for info in archive.infolist():
        if not info.filename.lower().endswith(".xml"):
            continue
        reader.tick()
        root = _xml(_member(archive, info))
        page = _PAGE.search(info.filename)
        where = f"{prefix}第 {int(page.group(1)) + 1} 页" if page else f"{prefix}{info.filename}"
        texts = [node.text or "" for node in root.iter("{*}TextCode")]
        found = found or bool(texts) or _local(root.tag) == "OFD"
        reader.add(where, "".join(texts))
    if not found:
        raise ValueError("no OFD.xml")


# --- plain text ----------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(ENCODING, "文件不是 UTF-8 编码(多半是 GBK/ANSI),无法按读者看到的文字检查;"
                                 "请在 Excel 或记事本中另存为 UTF-8") from None
    if "\x00" in text:
        raise _Refused(UNREADABLE, "文件含 NUL 字符,不是文本文件")
    return text


def _csv(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    text = _decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        _lines(reader, text, prefix)
        return
    for r, row in enumerate(rows, 1):
        if r % 1000 == 0:
            reader.tick()
        for c, value in enumerate(row):
            reader.add(f"{prefix}{column_letter(c)}{r}", value, cell=True)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(reader: _Reader, data: bytes, prefix: str, depth: int) -> None:
    _lines(reader, _decode(data), prefix)


def _lines(reader: _Reader, text: str, prefix: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        reader.add(f"{prefix}第 {number} 行", line)


_HANDLERS = {"zip": _zip, "xlsx": _xlsx, "xlsm": _xlsx, "xls": _xls, "docx": _docx, "pdf": _pdf, "ofd": _ofd,
             "csv": _csv, "txt": _text, "json": _text}


# --- cache ---------------------------------------------------------------------------------------------

def extract_cached(path: Path, bounds: Bounds, cache_folder: str | None) -> Extraction:
    """`extract` of the file at `path`, kept in `cache_folder` (None: no cache) by what it depends on."""
    from pipeline.content.parse_cache import code_fingerprint, read_pickle, write_pickle

    data = path.read_bytes()
    if cache_folder is None:
        return extract(data, path.name, bounds)
    digest = hashlib.sha256(f"{code_fingerprint()}|{extension(path.name)}|{bounds!r}|".encode())
    digest.update(data)
    key = digest.hexdigest()
    entry = os.path.join(cache_folder, key[:2], key + ".pickle")
    cached = read_pickle(entry)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == key and isinstance(cached[1], Extraction):
        return cached[1]
    result = extract(data, path.name, bounds)
    # A deadline depends on the machine's load, not the bytes: such a result is not kept.
    if not any(p.kind == UNREADABLE and "秒" in p.detail for p in result.problems):
        write_pickle(entry, (key, result))
    return result
