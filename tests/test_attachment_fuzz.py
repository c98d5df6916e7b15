"""The attachment reader on broken input: text or problems, never an exception, always within bounds of time."""
from __future__ import annotations

import random
import time

from pipeline.content.attachment_text import Bounds, Extraction, extract
from tests.attachment_samples import ID_NUMBER, MOBILE, docx, pdf, xlsx, zipped

SEEDS = {
    "名单.xlsx": xlsx({"公示": {"A1": "姓名", "B2": ID_NUMBER}}, comments={("公示", "A1"): (MOBILE, "张三")}),
    "通知.docx": docx(["通知。", ("del", ID_NUMBER)], header=MOBILE, comment=("意见", "李四")),
    "公示.pdf": pdf(["Notice", ID_NUMBER]),
    "材料.zip": zipped({"a.csv": f"a,b\n1,{MOBILE}\n".encode(), "b.txt": b"ok"}),
    "表.csv": f"项目,号码\n张某,{ID_NUMBER}\n".encode(),
}
BOUNDS = Bounds(max_seconds=5)


def mutations(data: bytes, rng: random.Random):
    yield data[: rng.randrange(len(data))]  # truncated, as an interrupted upload
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    yield bytes(flipped)
    start = rng.randrange(len(data))
    yield data[:start] + data[start + rng.randint(1, 64):]  # a chunk cut out


def test_the_seeds_are_read_whole():
    for name, data in SEEDS.items():
        result = extract(data, name, BOUNDS)
        assert not result.problems and result.pieces, name


def test_mutated_files_give_text_or_problems_never_an_exception():
    rng = random.Random(24)
    start = time.monotonic()
    for round_ in range(40):
        for name, data in SEEDS.items():
            for mutated in mutations(data, rng):
                began = time.monotonic()
                result = extract(mutated, name, BOUNDS)  # an exception here fails the test
                assert isinstance(result, Extraction)
                assert time.monotonic() - began < BOUNDS.max_seconds + 1, (name, round_)
    assert time.monotonic() - start < 30


def test_a_file_is_read_once_per_content(tmp_path, monkeypatch):
    """The check of a merge request reads only attachments whose bytes changed (`extract_cached`)."""
    from pipeline.content import attachment_text

    path = tmp_path / "名单.xlsx"
    path.write_bytes(SEEDS["名单.xlsx"])
    folder = str(tmp_path / "cache")
    first = attachment_text.extract_cached(path, BOUNDS, folder)
    monkeypatch.setattr(attachment_text, "extract", lambda *a: (_ for _ in ()).throw(AssertionError("read again")))
    assert attachment_text.extract_cached(path, BOUNDS, folder) == first
    path.write_bytes(SEEDS["通知.docx"])  # other bytes, same name: read anew
    monkeypatch.undo()
    assert attachment_text.extract_cached(path, BOUNDS, folder) != first


def test_a_reader_stuck_inside_a_library_is_stopped_at_the_files_deadline(monkeypatch):
    """The reader's own ticks come between pages and rows; a library busy inside one page (a hostile PDF
    content stream) is interrupted all the same, and the file is reported, not passed and not hung."""
    from pipeline.content import attachment_text

    def stuck(reader, data, prefix, depth):
        while True:  # pypdf lost in one page's operators, never returning to the reader
            try:
                sum(range(1000))
            except Exception:  # a library's own broad handler must not swallow the deadline
                pass

    monkeypatch.setitem(attachment_text._HANDLERS, "pdf", stuck)
    start = time.monotonic()
    result = extract(SEEDS["公示.pdf"], "公示.pdf", Bounds(max_seconds=0.5))
    assert time.monotonic() - start < 3
    assert [p.kind for p in result.problems] == ["unreadable"] and "秒仍未读完" in result.problems[0].detail
    assert not result.pieces
