"""Open datasets: each resource's CSV table and Table Schema, read once, checked with frictionless.

A dataset item lists `resources`; a resource names a CSV file of the
repository (`file`, relative to content/) and describes it with a Frictionless
Table Schema (`schema`). The check (GK-DATA-*), the privacy screen over every
cell, the build's downloads and API, and the catalogue all read tables through
`read_table` and values through `records`, so a cell is decoded one way.

frictionless is given the rows we parsed (not the file), so the bytes are
decoded once, strictly as UTF-8, and every problem maps back to the CSV's own
line even when a quoted cell spans lines.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from pipeline.content.repository import as_list

MAX_PROBLEMS = 20  # per resource: a broken export would otherwise bury the report
CONDITIONAL = "有条件开放"
OPEN = "无条件开放"

TYPE_NAMES = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "布尔值(true/false)",
              "date": "日期(YYYY-MM-DD)", "year": "年份(YYYY)", "yearmonth": "年月(YYYY-MM)"}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, header excluded
    lines: list[int]  # the CSV line each data row starts on


class TableError(Exception):
    """The file is not a readable UTF-8 CSV (encoding, NUL bytes, no header)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass(frozen=True)
class Problem:
    line: int
    kind: str  # "header", "cell", "key"
    message: str


def resources(item) -> list[dict]:
    return [r for r in as_list(item.meta.get("resources")) if isinstance(r, dict)]


def is_conditional(item) -> bool:
    return item.meta.get("open_condition") == CONDITIONAL


def resource_path(resource: dict) -> str | None:
    """The CSV the resource names, relative to content/, or None; whether the site publishes it is
    `published_file`'s to say."""
    file = resource.get("file")
    return file if isinstance(file, str) and file else None


def published_file(item, resource: dict) -> str | None:
    """The resource's CSV as the site publishes it (the file at its address, downloads, API, chart),
    relative to content/; None for a conditional dataset (有条件开放: applied for, never published),
    whatever its `file` says. `files.files_published` (what the build copies) and the dataset page
    (what it links) both ask here; GK-DATA-006 only reports such a file."""
    return None if is_conditional(item) else resource_path(resource)


def withheld_files(item) -> list[str]:
    """The files `item` names that the site never publishes: a conditional dataset's data resources."""
    return [f for f in map(resource_path, resources(item)) if f] if is_conditional(item) else []


def fields(resource: dict) -> list[dict]:
    schema = resource.get("schema")
    return [f for f in as_list(schema.get("fields") if isinstance(schema, dict) else None) if isinstance(f, dict)]


def read_table(path: Path) -> Table:
    stat = path.stat()
    return _read_table(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_table(path: str, _mtime: int, _size: int) -> Table:
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 BOM (Excel's "CSV UTF-8") is UTF-8 all the same
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(data.count(b"\n", 0, exc.start) + 1,
                         "文件不是 UTF-8 编码(多半是 Excel 另存的 GBK/ANSI CSV)。"
                         f"请运行 gongkai normalize {Path(path).name} 转换,或在 Excel 中另存为“CSV UTF-8”。") from None
    if "\x00" in text:
        raise TableError(text.count("\n", 0, text.index("\x00")) + 1, "文件含 NUL 字符,不是文本 CSV。")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, lines, previous = [], [], 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        raise TableError(previous + 1, f"CSV 格式错误:{exc}(多半是引号没有配对)。") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise TableError(1, "第一行应为表头(字段名),文件是空的或第一行为空。")
    return Table(rows[0], rows[1:], lines[1:])


def well_formed(resource: dict) -> bool:
    """Fields with a name and a known type: what the JSON Schema asks; anything less is GK-SCH-*'s to report."""
    return bool(fields(resource)) and all(isinstance(f.get("name"), str) and f["name"] and f.get("type") in TYPE_NAMES
                                          for f in fields(resource))


def schema_problem(resource: dict) -> str | None:
    """Why the resource's Table Schema is not one frictionless accepts, or None."""
    try:
        _frictionless_schema(resource)
    except ValueError as exc:
        return str(exc)
    names = [f.get("name") for f in fields(resource)]
    chart = resource.get("chart")
    if isinstance(chart, dict):
        numeric = {f.get("name") for f in fields(resource) if f.get("type") in ("integer", "number")}
        x, ys = chart.get("x"), [y for y in as_list(chart.get("y"))]
        if x not in names:
            return f"图表的横轴字段「{x}」不在表结构中。"
        for y in ys:
            if y not in numeric:
                return f"图表的数值字段「{y}」不在表结构中,或不是整数、数值类型。"
        for key in (chart.get("filter") or {}):
            if key not in names:
                return f"图表筛选字段「{key}」不在表结构中。"
    return None


def _frictionless_schema(resource: dict):
    from frictionless import FrictionlessException, Schema

    try:
        return Schema.from_descriptor(_descriptor(resource))
    except FrictionlessException as exc:
        note = exc.error.note or exc.error.message
        raise ValueError(f"表结构无效:{note}") from None


def _descriptor(resource: dict) -> dict:
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    descriptor = {"fields": [dict(f) for f in fields(resource)]}
    for key in ("primaryKey", "missingValues"):
        if key in schema:
            descriptor[key] = schema[key]
    return descriptor


def problems(table: Table, resource: dict) -> Iterator[Problem]:
    """Everything wrong with `table` under the resource's schema, with the CSV line of each."""
    names = [str(f.get("name")) for f in fields(resource)]
    if table.header != names:
        yield Problem(1, "header", _header_message(table.header, names))
        return  # every row would be wrong against a wrong header
    from frictionless import Resource

    titles = {str(f.get("name")): f"「{f.get('title') or f.get('name')}」({f.get('name')})" for f in fields(resource)}
    types = {str(f.get("name")): str(f.get("type")) for f in fields(resource)}
    report = Resource(data=[table.header, *table.rows], schema=_frictionless_schema(resource)).validate(
        limit_errors=MAX_PROBLEMS + 1)
    errors = report.tasks[0].errors if report.tasks else []
    for error in errors[:MAX_PROBLEMS]:
        row = getattr(error, "row_number", None)
        line = table.lines[row - 2] if row and 2 <= row <= len(table.rows) + 1 else 1
        yield _problem(error, line, titles, types, table)
    if len(errors) > MAX_PROBLEMS:
        yield Problem(1, "cell", f"另有更多错误未列出(只列前 {MAX_PROBLEMS} 处):请先改正以上问题再检查。")


def _header_message(header: list[str], names: list[str]) -> str:
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    parts = [f"表头应为 {','.join(names)},实际为 {','.join(header)}。"]
    if missing:
        parts.append(f"缺少列:{'、'.join(missing)}。")
    if extra:
        parts.append(f"多出列:{'、'.join(extra)}(表结构中没有,请删除或在 schema.fields 中描述)。")
    if not missing and not extra:
        parts.append("列的顺序与表结构不同,请按表结构的顺序排列。")
    return "".join(parts)


def _problem(error, line: int, titles: dict, types: dict, table: Table) -> Problem:
    name = getattr(error, "field_name", None) or ""
    field = titles.get(name, name)
    cell = getattr(error, "cell", "")
    kind = error.type
    if kind == "type-error":
        return Problem(line, "cell", f"第 {line} 行{field}的值「{cell}」不是{TYPE_NAMES.get(types.get(name), types.get(name))}。")
    if kind == "constraint-error":
        return Problem(line, "cell", f"第 {line} 行{field}的值「{cell}」不符合约束:{_constraint(error.note)}。")
    if kind == "missing-cell":
        return Problem(line, "cell", f"第 {line} 行缺少{field}的值(这一行的列数少于表头)。")
    if kind == "extra-cell":
        return Problem(line, "cell", f"第 {line} 行比表头多出一列(值「{cell}」):多半是值中含逗号而没有加引号。")
    if kind == "blank-row":
        return Problem(line, "cell", f"第 {line} 行是空行,请删除。")
    if kind == "primary-key":
        match = re.search(r"position (\d+)", error.note or "")
        if match and 2 <= int(match.group(1)) <= len(table.rows) + 1:
            first = table.lines[int(match.group(1)) - 2]
            return Problem(line, "key", f"第 {line} 行的主键与第 {first} 行重复:每一行的主键字段组合必须唯一。")
        return Problem(line, "key", f"第 {line} 行的主键字段为空。")
    if kind == "unique-error":
        return Problem(line, "key", f"第 {line} 行{field}的值「{cell}」与前面的行重复,该字段要求唯一。")
    return Problem(line, "cell", f"第 {line} 行:{error.message}")


def _constraint(note: str) -> str:
    match = re.match(r'constraint "(\w+)" is "(.*)"', note or "")
    if not match:
        return note or ""
    name, value = match.groups()
    return {"required": "不能为空", "minimum": f"不能小于 {value}", "maximum": f"不能大于 {value}",
            "enum": f"只能是 {value} 之一", "pattern": f"应符合格式 {value}", "unique": "不能重复"}.get(name, note)


def records(table: Table, resource: dict) -> list[dict]:
    """The rows as JSON-ready values (integers, decimals as floats, dates as ISO text), in file order."""
    from frictionless import Resource

    out = []
    for row in Resource(data=[table.header, *table.rows], schema=_frictionless_schema(resource)).read_rows():
        out.append({name: _json_value(row[name]) for name in table.header})
    return out


def _json_value(value):
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "year") and hasattr(value, "month") and not isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"  # frictionless's yearmonth tuple
    return value
