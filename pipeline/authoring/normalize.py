"""`gongkai normalize`: convert GBK/GB18030 files saved on Chinese Windows to UTF-8.

Only on request and only when the bytes decode as GB18030 (a superset of GBK
and GB2312); the loader itself never guesses an encoding.
"""
from __future__ import annotations


TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".csv", ".txt"}


def _files(paths):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        else:
            yield path


def normalize_paths(paths):
    """Yield (message, ok) per file; convert in place, keeping line ends as LF."""
    for path in _files(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield f"{path}: 无法读取({exc.strerror})", False
            continue
        try:
            data.decode("utf-8")
            yield f"{path}: 已是 UTF-8,未改动", True
            continue
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            yield f"{path}:{line}: 既不是 UTF-8 也不是 GBK/GB18030,无法自动转换;请用编辑器另存为 UTF-8。", False
            continue
        path.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
        yield f"{path}: 已从 GBK/GB18030 转换为 UTF-8", True
