"""Small attachments built in memory, as an editor's office suite would write them (tests and the bench)."""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.comments import Comment
from stdnum.cn import ric

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_id(first17: str) -> str:
    """A made-up ID number with a correct GB 11643 check digit (nobody's real number)."""
    return first17 + ric.calc_check_digit(first17 + "0")


ID_NUMBER = make_id("45010319900307123")
MOBILE = "13812345678"


def xlsx(sheets: dict[str, dict[str, object]], *, hidden=(), very_hidden=(), hidden_columns=(),
         comments: dict[tuple[str, str], tuple[str, str]] | None = None, header: str | None = None) -> bytes:
    """A workbook: sheet title -> {cell: value}; comments: (sheet, cell) -> (text, author)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, cells in sheets.items():
        sheet = book.create_sheet(title)
        for ref, value in cells.items():
            sheet[ref] = value
            if isinstance(value, str) and value.startswith("="):
                sheet[ref].data_type = "s"  # typed as text, as a pasted list has it
        if title in hidden:
            sheet.sheet_state = "hidden"
        if title in very_hidden:
            sheet.sheet_state = "veryHidden"
        for column in hidden_columns:
            sheet.column_dimensions[column].hidden = True
        if header:
            sheet.oddHeader.center.text = header
    for (title, ref), (text, author) in (comments or {}).items():
        book[title][ref].comment = Comment(text, author)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _paragraphs(paragraphs) -> str:
    out = []
    for p in paragraphs:
        if isinstance(p, tuple) and p[0] == "del":
            out.append(f'<w:p><w:del w:id="1" w:author="李四"><w:r><w:delText>{escape(p[1])}</w:delText></w:r></w:del></w:p>')
        else:  # a number split over two runs, as Word often stores it
            half = len(p) // 2
            out.append(f"<w:p><w:r><w:t>{escape(p[:half])}</w:t></w:r><w:r><w:t>{escape(p[half:])}</w:t></w:r></w:p>")
    return "".join(out)


def docx(paragraphs=("正文。",), *, header: str | None = None, comment: tuple[str, str] | None = None) -> bytes:
    """A minimal Word document: paragraphs (("del", text) for a tracked deletion), a header, a comment."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml",
                         f'<w:document xmlns:w="{W}"><w:body>{_paragraphs(paragraphs)}</w:body></w:document>')
        if header is not None:
            archive.writestr("word/header1.xml", f'<w:hdr xmlns:w="{W}">{_paragraphs([header])}</w:hdr>')
        if comment is not None:
            text, author = comment
            archive.writestr("word/comments.xml", f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{author}">'
                                                  f'{_paragraphs([text])}</w:comment></w:comments>')
    return out.getvalue()


def pdf(pages: list[str]) -> bytes:
    """A PDF with one line of (ASCII) text per page; an empty string is a page with only an image."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
               "/BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else "q 100 0 0 100 0 0 cm /Im1 Do Q"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objects)} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def bomb(size: int = 16 * 1048576) -> bytes:
    """A zip whose one member inflates to `size` bytes of zeros: a compression ratio near 1000, which a real document never has."""
    out = io.BytesIO()
    chunk = b"\0" * 1048576
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.txt", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()
