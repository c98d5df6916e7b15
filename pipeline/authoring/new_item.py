"""`gongkai new TYPE --unit UNIT`: a new item with every required key and a Chinese comment on each.

The template is derived from the type's schema, so it can never ask for a key
the check does not know. Values the editor must decide are left empty (the
check then says exactly what is missing); dates default to today.

The arguments are checked before anything is written (a type known by its name or its Chinese
label, a unit the repository has), and the new item's id follows the convention the repository's
items of that type already follow (`id_convention`), so nothing is renamed by hand afterwards.
The file goes into the unit's folder (pipeline.content.locations), which CODEOWNERS already routes.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.content.types import BODY_HINT, TYPES
from pipeline.content.ids import (  # noqa: F401 (the convention is named here too, as `gongkai new` uses it)
    COUNTERS, DATE_KEYS, MONTH_DAY, NUMBER, SAMPLE, UNIT, YEAR, IdConvention, fallback_convention, id_convention,
    id_examples, id_parts, next_id)
from pipeline.content.locations import attachment_folder, item_home
from pipeline.content.schema import SchemaSet
from pipeline.content.repository import unit_name

# Keys printed first, in this order; the rest follow the schema's order.
LEADING = ("id", "title", "unit", "date")


class ScaffoldError(ValueError):
    """An argument of `gongkai new` that names nothing the repository has; the message says what would."""


# --- which type, which unit ------------------------------------------------------------------

def resolve_type(text: str) -> str:
    """The content type `text` names: its name (policy), its Chinese label (政策文件) or its folder (policies)."""
    names = {}
    for ctype in TYPES.values():
        for word in (ctype.name, ctype.label, ctype.folder):
            names[word.casefold()] = ctype.name
    wanted = text.strip().casefold()
    if wanted in names:
        return names[wanted]
    close = [names[w] for w in closest(wanted, names)]
    close += [names[w] for w in names if wanted and (wanted in w or w in wanted)]
    listed = "、".join(f"{t.name}({t.label})" for t in TYPES.values())
    guess = _guess([f"{name}({TYPES[name].label})" for name in dict.fromkeys(close)])
    raise ScaffoldError(f"没有「{text}」这种条目类型。{guess}可用的类型:{listed}。")


def resolve_unit(units: dict, text: str) -> str:
    """The unit id `text` names: a unit's id, or its name or short name as in content/units/."""
    if text in units:
        return text
    names = {}
    for uid, unit in units.items():
        names[uid] = uid
        for key in ("name", "short_name"):
            if isinstance(unit.meta.get(key), str) and unit.meta[key].strip():
                names.setdefault(unit.meta[key].strip(), uid)
    if text.strip() in names:
        return names[text.strip()]
    close = [names[w] for w in closest(text.strip(), names)]
    close += [uid for word, uid in names.items() if len(text.strip()) > 1 and text.strip() in word]
    shown = [f"{uid}({_unit_name(units, uid)})" for uid in dict.fromkeys(close)][:3]
    every = "、".join(f"{uid}({_unit_name(units, uid)})" for uid in sorted(units)) or "无"
    rest = "各单位的编号是 content/units/ 下的文件名。" if shown else f"已有的单位:{every}。"
    raise ScaffoldError(f"没有编号为「{text}」的责任单位(content/units/ 下没有它)。{_guess(shown)}{rest}")


def closest(word: str, candidates, n: int = 3) -> list[str]:
    """The candidates most like `word`, best first: difflib's similarity, and a swap of two letters
    (jjy for jyj) nearer than a different letter."""
    scored = []
    for candidate in candidates:
        ratio = difflib.SequenceMatcher(None, word, candidate).ratio()
        if ratio >= 0.5:
            scored.append((ratio + (0.1 if sorted(word) == sorted(candidate) else 0), candidate))
    return [c for _, c in sorted(scored, key=lambda s: (-s[0], s[1]))[:n]]


def _unit_name(units, uid) -> str:
    return unit_name(uid, units.get(uid))


def _guess(candidates: list[str]) -> str:
    return f"是不是要写 {'、'.join(candidates)}?" if candidates else ""


# --- the id convention (pipeline.content.ids decides it; the CMS configuration bakes it in) ----

@dataclass(frozen=True)
class Plan:
    """What `gongkai new` is about to write."""

    type_name: str
    unit: str
    item_id: str
    path: str  # repository-relative
    convention: IdConvention


def plan_new_item(root: Path, type_text: str, unit_text: str, now: datetime, item_id: str | None = None) -> Plan:
    """Check the arguments against the repository and choose the id and the file. Raises ScaffoldError."""
    from pipeline.content.paths import scan
    from pipeline.content.repository import load_repository

    type_name = resolve_type(type_text)
    folder = TYPES[type_name].folder
    files = list(scan(root))
    of_type = [cf for cf in files if cf.kind == "item" and cf.type == type_name]
    repo_units = load_repository(root, now=now, only=(), files=files).units
    unit = resolve_unit(repo_units, unit_text)
    own_folder = f"content/{folder}/{unit}/"
    # The unit's own items, and the type's across the repository for when the unit's own say nothing.
    own = [cf.rel for cf in of_type if cf.rel.startswith(own_folder)]
    sample = set(own[-SAMPLE:]) | {cf.rel for cf in of_type[-SAMPLE:]}
    repo = load_repository(root, now=now, only=sample, files=files)
    examples = id_examples(i for i in repo.items if i.type == type_name)
    taken = {cf.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] for cf in files if cf.kind == "item"}
    taken |= {i.id for i in repo.items}
    convention = id_convention(type_name, examples, unit, repo_units)
    if item_id is None:
        item_id = next_id(convention, unit, now, taken)
    else:
        _check_own_id(item_id, taken)
    path = item_home(type_name, unit, item_id)
    if (root / path).exists():
        raise ScaffoldError(f"{path} 已存在:请换一个编号。")
    return Plan(type_name, unit, item_id, path, convention)


def _check_own_id(item_id: str, taken: set[str]) -> None:
    pattern = SchemaSet().defs["id"]["pattern"]
    if not re.fullmatch(pattern, item_id):
        raise ScaffoldError(f"编号「{item_id}」不能使用:编号只能由小写字母、数字和连字符(-)组成,以字母或数字开头,"
                            "共 2 到 80 个字符,如 xw-2026-0716。")
    if item_id in taken:
        raise ScaffoldError(f"编号「{item_id}」已被另一个条目使用:请换一个编号(编号在整个网站中唯一)。")


def new_item(root: Path, plan: Plan, *, title=None, now: datetime) -> Path:
    """Write the template `plan` chose; the path returned is in the unit's folder."""
    schemas = SchemaSet()
    type_name, unit, item_id = plan.type_name, plan.unit, plan.item_id
    schema = schemas.schemas[type_name]
    path = root / plan.path
    path.parent.mkdir(parents=True, exist_ok=True)
    required = list(schema.get("required", []))
    keys = [k for k in LEADING if k in required] + [k for k in required if k not in LEADING]
    props = schemas.compiled(type_name)["properties"]  # common keys merged, shared definitions inlined
    values = {"id": item_id, "unit": unit, "title": title or "",
              "date": now.strftime("%Y-%m-%d %H:%M")}
    lines = ["---", f"# {TYPES[type_name].label}:{schema.get('title')}。带 * 的字段必填;填好后运行 gongkai check。"]
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
