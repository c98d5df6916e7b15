"""`gongkai new TYPE`: a new item with every required key and a Chinese comment on each.

The template is derived from the type's schema, so it can never ask for a key
the check does not know. Values the editor must decide are left empty (the
check then says exactly what is missing); dates default to today.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .content_types import TYPES
from .locations import attachment_folder, item_home
from .schema import SchemaSet

# Keys printed first, in this order; the rest follow the schema's order.
LEADING = ("id", "title", "unit", "date")
# The body `gongkai new` writes: a hint to replace, never to publish (rule GK-WORD-002 refuses it).
BODY_HINT = "（在此写正文,使用 Markdown。链接到其他条目时,链接地址写成 item: 加条目编号。）"
TEMPLATE_TEXTS = (BODY_HINT,)


def fresh_id(root: Path, type_name: str, now: datetime) -> str:
    ctype = TYPES[type_name]
    prefix = f"{ctype.id_prefix}-{now:%Y}-"
    taken = {p.stem for p in (root / "content").rglob(f"{prefix}*")}
    number = 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"


def new_item(root: Path, type_name: str, *, unit=None, title=None, now: datetime) -> Path:
    schemas = SchemaSet()
    schema = schemas.schemas[type_name]
    item_id = fresh_id(root, type_name, now)
    # In the unit's own folder, which CODEOWNERS routes to its reviewers (pipeline.locations).
    path = root / (item_home(type_name, unit, item_id) if unit else f"content/{TYPES[type_name].folder}/{item_id}.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    required = list(schema.get("required", []))
    keys = [k for k in LEADING if k in required] + [k for k in required if k not in LEADING]
    props = schemas.compiled(type_name)["properties"]  # common keys merged, shared definitions inlined
    values = {"id": item_id, "unit": unit or "", "title": title or "",
              "date": now.strftime("%Y-%m-%d %H:%M")}
    lines = ["---", f"# {TYPES[type_name].label}:{schema.get('title')}。带 * 的字段必填;填好后运行 gongkai check。"]
    if unit:
        folder = attachment_folder(unit, now.year, item_id)
        if type_name == "dataset":
            lines.append(f"# 数据文件(CSV,UTF-8,首行为表头)放在 content/{folder} 下,在资源的 file 中写 {folder}文件名.csv;"
                         "有条件开放的数据集不放数据文件,写明 apply(申请方式)。")
        else:
            lines.append(f"# 附件和图片放在 content/{folder} 下,引用时写 {folder}文件名。")
    for key in keys:
        lines += _key_lines(schemas, key, props.get(key, {}), values, now, indent="")
    lines += ["---", "", BODY_HINT, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _describe(schemas, full) -> str:
    words = full.get("title", "")
    if "enum" in full:
        words += ",可选:" + "、".join(map(str, full["enum"]))
    elif full.get("pattern") == schemas.defs["date"]["pattern"]:
        words += ",格式 2026-03-01"
    elif full.get("pattern") == schemas.defs["datetime"]["pattern"]:
        words += ",格式 2026-03-01 09:30"
    if full.get("type") == "array" and full.get("minItems"):
        words += f",至少 {full['minItems']} 项"
    return words


def _key_lines(schemas, key, full, values, now, indent):
    comment = f"{indent}# * {_describe(schemas, full)}"
    kind = full.get("type")
    if key in values:
        value = values[key]
        return [comment, f"{indent}{key}: {_scalar(value)}"]
    if kind == "array":
        items = full.get("items", {})
        if items.get("type") == "object":
            out = [comment, f"{indent}{key}:"]
            first = True
            for sub_key in items.get("required", []):
                sub_lines = _key_lines(schemas, sub_key, items["properties"].get(sub_key, {}), {}, now, indent + "    ")
                if first:
                    sub_lines[-1] = indent + "  - " + sub_lines[-1].lstrip()
                    first = False
                out += sub_lines
            return out
        return [comment, f"{indent}{key}:", f"{indent}  - \"\""]
    if kind == "object" and full.get("required"):
        out = [comment, f"{indent}{key}:"]
        for sub_key in full["required"]:
            out += _key_lines(schemas, sub_key, full.get("properties", {}).get(sub_key, {}), {}, now, indent + "  ")
        return out
    if kind == "boolean":
        return [comment, f"{indent}{key}: false"]
    if kind == "integer":
        return [comment, f"{indent}{key}: {now.year - 1 if key == 'year' else 1}"]
    if full.get("pattern") == schemas.defs["date"]["pattern"]:
        return [comment, f"{indent}{key}: {now:%Y-%m-%d}"]
    if full.get("pattern") == schemas.defs["datetime"]["pattern"]:
        return [comment, f"{indent}{key}: {now:%Y-%m-%d %H:%M}"]
    return [comment, f"{indent}{key}: \"\""]


def _scalar(value) -> str:
    if value == "" or re.search(r"[:#\[\]{}]", str(value)):
        return '"' + str(value).replace('"', '\\"') + '"'
    return str(value)
