"""Fuzzing the loader (and the check behind it) with mutated real items: diagnostics or clean, never an
exception. Hypothesis mutates files of the demo content — bytes inserted, deleted, repeated, YAML
syntax characters, control characters, invalid UTF-8, anchors and aliases, brackets — and the result
must load as an item or be refused with a `LoadError` that carries a diagnostic. A smaller number of
mutants goes through the whole `check_repository`, where every rule sees them.

Bounded: derandomized and a fixed number of examples, about half a minute in all.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.check.whole import check_repository
from pipeline.content.loader import LoadError, parse_item
from pipeline.content.paths import classify_path
from pipeline.content.repository import load_repository
from tests.repo_factory import make_repo

CODE_DIR = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for p in (CODE_DIR / "content").rglob("*") if p.is_file()
                 and classify_path(p.relative_to(CODE_DIR).as_posix())[0] == "item")[::4]
PIECES = [b"---\n", b"\n", b": ", b"- ", b"&a ", b"*a", b"[", b"]", b"{", b"}", b"|\n", b">\n", b"\t", b"\x00",
          b"\x01", b"\x7f", b"\xc2\x85", b"\xe2\x80\xae", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"'", b"#", b"? ",
          b"!!python/object:os.system ", b"%YAML 1.1\n", b"...\n", b"\xe5\x85", b"[" * 300, b"a: &x [*x]\n",
          "标题: 测试\n".encode(), b"\r\n", b"\\"]


@st.composite
def mutants(draw):
    path = draw(st.sampled_from(SOURCES))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "repeat", "byte"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(PIECES))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 80))] * draw(st.integers(2, 50))
        elif data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
    rel = path.relative_to(CODE_DIR).as_posix()
    return rel, bytes(data)


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutants())
def test_the_loader_gives_an_item_or_a_diagnostic(mutant):
    rel, data = mutant
    try:
        item = parse_item(data, rel, classify_path(rel)[1])
    except LoadError as exc:
        assert exc.diagnostic.code.startswith(("GK-YAML", "GK-ENC")) and exc.diagnostic.path == rel
    else:
        assert isinstance(item.meta, dict)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutants())
def test_the_whole_check_survives_a_mutant(mutant):
    rel, data = mutant
    with tempfile.TemporaryDirectory() as tmp:
        root = make_repo(Path(tmp), {rel: data})
        diagnostics = check_repository(load_repository(root))
        assert all(d.path and d.code.startswith("GK-") for d in diagnostics)
