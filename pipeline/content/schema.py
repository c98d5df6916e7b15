"""JSON Schema validation of items, with messages an editor can act on.

One `SchemaSet` loads every schema under schemas/ into a `referencing`
registry once; an unresolved `$ref` is fatal at load time (a broken schema
set must never silently accept content).
"""
from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
from functools import cached_property, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from pipeline.content.loader import Item
from pipeline.content.parse_cache import write_atomically

from pipeline.content.categories import category_names
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.resources import schema_dir

ANNOTATIONS = {"title", "description", "examples", "$comment"}
DEFS = "defs.schema.json"
SCHEMA_CODES = {
    "GK-SCH-001": "缺少必填字段",
    "GK-SCH-002": "未知字段(多为拼写错误)",
    "GK-SCH-003": "字段值不符合 schema(类型、取值范围、格式)",
}


class SchemaSetError(Exception):
    """The schema set itself is broken: a bug in the project, not in content."""


@lru_cache(maxsize=64)
def _check_schema(text: str) -> None:
    """Meta-validate a schema file once per process and content (a check loads the set many times in tests,
    and every `gongkai` command once); a bad schema raises every time, as exceptions are not cached."""
    Draft202012Validator.check_schema(json.loads(text))


def _checked_key(text: str) -> str:
    """What a schema's meta-validation depends on: its text, jsonschema and the meta-schemas it ships with."""
    return hashlib.sha256(f"{_validating_libraries()}|{text}".encode()).hexdigest()


@lru_cache(maxsize=1)
def _validating_libraries() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("jsonschema", "jsonschema-specifications"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def _read_checked(path: str | None) -> set[str]:
    """The keys of the schemas already found valid; anything unreadable counts as none (they are checked again)."""
    if path is None:
        return set()
    try:
        with open(path, encoding="ascii") as handle:
            return set(handle.read().split())
    except (OSError, ValueError):
        return set()


class SchemaSet:
    def __init__(self, directory: Path | None = None, checked_file: str | None = None):
        """`checked_file`: where the keys of schemas found valid are kept (a cache file, None: none), so that
        a command does not meta-validate unchanged schemas again (a quarter of a second per process)."""
        directory = directory or schema_dir()
        self.directory = directory
        self.schemas: dict[str, dict] = {}
        resources = []
        checked = _read_checked(checked_file)
        keys = set()
        for path in sorted(directory.glob("*.schema.json")):
            text = path.read_text(encoding="utf-8")
            key = _checked_key(text) if checked_file else ""
            if key not in checked:
                _check_schema(text)  # raises for a bad schema, which is then never recorded as checked
            keys.add(key)
            schema = json.loads(text)
            self.schemas[path.name.removesuffix(".schema.json")] = schema
            resources.append((schema["$id"], Resource.from_contents(schema)))
        self.registry = Registry().with_resources(resources)
        self._validators: dict[str, Draft202012Validator] = {}
        self._compiled: dict[str, dict] = {}
        self._check_refs()
        if checked_file and keys != checked:  # only the current schemas' keys: the file does not grow
            write_atomically(checked_file, "".join(f"{k}\n" for k in sorted(keys)).encode("ascii"))

    def _check_refs(self):
        for name, schema in self.schemas.items():
            resolver = self.registry.resolver(base_uri=schema["$id"])
            for ref in _refs(schema):
                try:
                    resolver.lookup(ref)
                except Unresolvable as exc:
                    raise SchemaSetError(f"schemas/{name}.schema.json: 无法解析的 $ref {ref!r}: {exc}") from exc

    def validator(self, name: str) -> Draft202012Validator:
        if name not in self._validators:
            if name not in self.schemas:
                raise SchemaSetError(f"没有类型 {name} 的 schema")
            self._validators[name] = Draft202012Validator(
                self.compiled(name), registry=self.registry, format_checker=FormatChecker())
        return self._validators[name]

    def compiled(self, name: str) -> dict:
        """The schema as validated: shared definitions inlined, common keys merged in.

        Same meaning as the source schema, but without `$ref` lookups and
        `unevaluatedProperties` (which together cost ~80% of a 10,000-item
        check). The files under schemas/ stay the one source of truth.
        """
        if name in self._compiled:
            return self._compiled[name]
        source = self.schemas[name]
        schema = self._inline(copy.deepcopy(source), source.get("$defs", {}))
        parts = schema.get("allOf", [])
        if schema.get("unevaluatedProperties") is False and parts and "properties" in parts[0] and "if" not in parts[0]:
            common = parts[0]
            schema["properties"] = {**common["properties"], **schema.get("properties", {})}
            schema["allOf"] = parts[1:]
            del schema["unevaluatedProperties"]
            schema["additionalProperties"] = False
        schema.pop("examples", None)
        self._compiled[name] = schema
        return schema

    def _inline(self, node, local: dict):
        """Replace `$ref`s to $defs (the shared file's or the schema's own) by their content."""
        if isinstance(node, list):
            return [self._inline(v, local) for v in node]
        if not isinstance(node, dict):
            return node
        node = {k: self._inline(v, local) for k, v in node.items() if k != "$defs"}
        ref = node.get("$ref")
        if isinstance(ref, str) and (ref.startswith(DEFS + "#/$defs/") or ref.startswith("#/$defs/")):
            shared = ref.startswith(DEFS)
            pool = self.defs if shared else local
            target = self._inline(copy.deepcopy(pool[ref.rsplit("/", 1)[-1]]), self.defs if shared else local)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            clash = (set(siblings) - ANNOTATIONS) & set(target)
            if clash:
                return {**siblings, "allOf": [target]}
            return {**target, **siblings}
        return node

    @cached_property
    def defs(self) -> dict:
        return self.schemas["defs"]["$defs"]

    @cached_property
    def category_labels(self) -> dict[str, str]:
        return self.defs["disclosure_category"]["x-labels"]

    @cached_property
    def category_short_labels(self) -> dict[str, str]:
        return self.defs["disclosure_category"]["x-short-labels"]

    @cached_property
    def category_names(self) -> dict[str, str]:
        """Every name an editor may write for a disclosure category (code, full or short label) -> its code."""
        return category_names(self.defs["disclosure_category"])

    def validate(self, item: Item, name: str | None = None) -> list[Diagnostic]:
        name = name or item.type
        errors = list(self.validator(name).iter_errors(item.meta))
        if not errors:
            return []
        return sorted(set(_Explainer(self, name, item).explain(errors)))


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --- messages ------------------------------------------------------------------------------------
# Every schema failure becomes one sentence an editor can act on: which field (its key and its Chinese
# name), what is wrong, and a correct value taken from the schema's `examples`. Never a regular
# expression, a JSON pointer or jsonschema's English.

_QUOTED = re.compile(r"'([^']+)'")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# When one value breaks several constraints, the first of these explains it best.
_VALUE_ORDER = ("type", "enum", "const", "anyOf", "pattern", "format", "minLength", "minItems",
                "minProperties", "minimum", "maximum", "uniqueItems")
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "array": "列表(每项一行,以「- 」开头)", "object": "字段映射(下一行缩进写「字段: 值」)",
               "null": "空值"}
_FORMAT_NAMES = {"email": "电子邮箱地址", "date": "日期", "uri": "网址"}
LONG_CHOICE_LIST = 15  # more choices than this: suggest the closest instead of listing them all


def is_empty(value) -> bool:
    """What an editor left unfilled: `key:` with nothing after it, `""`, or `[]`."""
    return value is None or value == "" or value == []


def _parts(node: dict):
    """The node and the parts it is made of (`allOf`), where properties, titles and examples live."""
    yield node
    for part in node.get("allOf", []):
        if isinstance(part, dict):
            yield from _parts(part)


def _child(node: dict | None, step) -> dict | None:
    if not isinstance(node, dict):
        return None
    for part in _parts(node):
        if isinstance(step, int):
            if isinstance(part.get("items"), dict):
                return part["items"]
        else:
            props = part.get("properties") or {}
            if step in props:
                return props[step]
            extra = part.get("additionalProperties")
            if isinstance(extra, dict):
                return extra
    return None


def _first(node: dict | None, key: str):
    for part in _parts(node) if isinstance(node, dict) else ():
        if part.get(key) not in (None, []):
            return part[key]
    return None


def _closest(value: str, names: list[str]) -> list[str]:
    """The choice an editor most likely meant: one that contains what they wrote (规章 → 规章和规范性文件),
    else the most similar."""
    containing = [name for name in names if value and value in name]
    if containing:
        return [min(containing, key=len)]
    return difflib.get_close_matches(value, names, n=1, cutoff=0.3)


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    import yaml

    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()


class _Explainer:
    """The messages for one item's schema errors, with the type's schema at hand for names and examples."""

    def __init__(self, schemas: "SchemaSet", name: str, item: Item):
        self.schemas, self.name, self.item = schemas, name, item
        self.schema = schemas.compiled(name)
        self.sample = (schemas.schemas[name].get("examples") or [{}])[0]
        category = schemas.defs["disclosure_category"]
        self.category_enum = list(category["enum"])
        self.category_short = category.get("x-short-labels", {})

    # names and examples

    def node(self, pointer) -> dict | None:
        node = self.schema
        for step in pointer:
            node = _child(node, step)
        return node

    def label(self, pointer) -> str:
        """「materials」(申请材料)第 1 项的「name」(材料名称): each key with its Chinese name."""
        if not pointer:
            return "本条目"
        out, node = "", self.schema
        for index, step in enumerate(pointer):
            node = _child(node, step)
            if isinstance(step, int):
                out += f"第 {step + 1} 项"
                continue
            title = _first(node, "title")
            named = f"「{step}」" + (f"({title})" if title and title != step and not _CJK.search(step) else "")
            out += ("的" if index else "") + named
        return out

    def example(self, pointer):
        """A correct value for the field at `pointer`: its schema's examples, else the type's example."""
        node = self.node(pointer)
        value = _first(node, "examples")
        if value is not None:
            return value[0]
        if pointer and isinstance(pointer[-1], int):  # an entry of a list: the first entry of the list's example
            listed = _first(self.node(pointer[:-1]), "examples")
            if listed and isinstance(listed[0], list) and listed[0]:
                return listed[0][0]
        value = self.sample
        for step in pointer:
            if isinstance(step, int):
                value = value[0] if isinstance(value, list) and value else None
            else:
                value = value.get(step) if isinstance(value, dict) else None
            if value is None:
                break
        if value is not None:
            return self.show(value, node)
        choices = _first(node, "enum")
        if choices:
            return self.show(choices[0], node)
        const = _first(node, "const")
        return const

    def show(self, value, node=None):
        """A value as an editor writes it: a disclosure category by its Chinese name."""
        if isinstance(value, str) and value in self.category_short and self.is_category(node):
            return self.category_short[value]
        return value

    def is_category(self, node) -> bool:
        return _first(node, "enum") == self.category_enum

    def sample_line(self, pointer) -> str:
        value = self.example(pointer)
        if value is None:
            return ""
        key = next((step for step in reversed(pointer) if isinstance(step, str)), None)
        if key is None or isinstance(pointer[-1], int):
            return f"如「{_yaml_value(value)}」"
        return f"如「{key}: {_yaml_value(value)}」"

    # diagnostics

    def diag(self, code: str, message: str, pointer) -> Diagnostic:
        return Diagnostic(self.item.path, self.item.line_of(*pointer), 0, code, Severity.ERROR, message)

    def explain(self, errors) -> list[Diagnostic]:
        out, by_value = [], {}
        for error in errors:
            pointer = tuple(error.absolute_path)
            if error.validator == "required":
                out.extend(self.missing(error, pointer))
            elif error.validator in ("unevaluatedProperties", "additionalProperties"):
                out.extend(self.unknown(error, pointer))
            else:
                by_value.setdefault(pointer, []).append(error)
        for pointer, found in by_value.items():
            # One value, one message: an empty `subject:` is "未填写", not a type error plus an enum list.
            found.sort(key=lambda e: _VALUE_ORDER.index(e.validator) if e.validator in _VALUE_ORDER else 99)
            out.append(self.diag("GK-SCH-003", self.wrong_value(found[0], pointer), pointer))
        return out

    def missing(self, error, pointer):
        keys = _QUOTED.findall(error.message)[:1] or ["?"]
        key = keys[0]
        where = "" if not pointer else f"{self.label(pointer)}中"
        example = self.sample_line(pointer + (key,))
        add = f"请添加这一行,{example}。" if example else "请添加这个字段。"
        because = self.condition(error)
        label = self.label(pointer + (key,))
        head = f"{because}必须填写{label}" if because else f"{where}缺少必填字段{label}"
        return [self.diag("GK-SCH-001", f"{head}。{add}", pointer)]

    def condition(self, error) -> str:
        """Why a conditional field is required: the `if` it hangs on (`validity: 已修订` needs `validity_date`)."""
        path = list(error.schema_path)
        if "then" not in path:
            return ""
        condition = self.schema
        for step in path[:path.index("then")]:
            condition = condition[step]
        condition = condition.get("if", {}) if isinstance(condition, dict) else {}
        for key, sub in (condition.get("properties") or {}).items():
            value = self.item.meta.get(key)
            if value is not None and isinstance(sub, dict) and ("const" in sub or "enum" in sub):
                return f"{self.label((key,))}为「{_yaml_value(value)}」时"
        for key in condition.get("required", []):
            if key in self.item.meta:
                return f"填写了{self.label((key,))}时"
        return ""

    def unknown(self, error, pointer):
        instance = error.instance if isinstance(error.instance, dict) else {}
        node = self.node(pointer)
        known = {}
        for part in _parts(node) if node else ():
            known.update(part.get("properties") or {})
        keys = [k for k in _QUOTED.findall(error.message) if k in instance and k not in known]
        out = []
        for key in keys:
            guess = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            if guess:
                hint = f"是不是{self.label(pointer + (guess[0],))}?请改正拼写。"
            else:
                owner = self.schemas.schemas[self.name].get("title", "本类型") if not pointer else self.label(pointer)
                hint = f"{owner}没有这个字段,请检查拼写,或删去这一行。"
            out.append(self.diag("GK-SCH-002", f"未知字段「{key}」:{hint}", pointer + (key,)))
        return out

    def wrong_value(self, error, pointer) -> str:
        where, value, kind = self.label(pointer), error.instance, error.validator
        node = self.node(pointer) or error.schema
        example = self.sample_line(pointer)
        write = f"应写成这样:{example[1:]}" if example else ""
        if is_empty(value):
            required = self.required(pointer)
            if required or not example:
                return f"{where}未填写。" + (f"请填写,{example}。" if example else "请填写。")
            return f"{where}未填写。请填写({example}),不需要时删去这一行。"
        shown = _yaml_value(value) if not isinstance(value, (dict, list)) else None
        if kind == "type":
            wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            names = "或".join(_TYPE_NAMES.get(w, w) for w in wanted)
            return f"{where}应是{names}" + (f",{write}。" if write else "。")
        if kind == "enum":
            return self.not_a_choice(where, value, error.validator_value, node)
        if kind == "const":
            return f"{where}只能是「{_yaml_value(error.validator_value)}」。"
        if kind == "anyOf":
            options = "或".join(self.describe(part) for part in error.validator_value)
            return f"{where}「{shown}」不符合要求:应是{options}。"
        if kind in ("pattern", "format"):
            what = "格式不对" if kind == "pattern" else f"不是有效的{_FORMAT_NAMES.get(error.validator_value, '格式')}"
            return f"{where}「{shown}」{what}" + (f",{write}。" if write else ",请对照同类条目的写法改正。")
        if kind == "minLength":
            return f"{where}未填写。" + (f"请填写,{example}。" if example else "请填写。")
        if kind == "minItems":
            return f"{where}至少要有 {error.validator_value} 项" + (f",{write}。" if write else "。")
        if kind in ("minimum", "maximum"):
            word = "不能小于" if kind == "minimum" else "不能大于"
            return f"{where}{word} {error.validator_value}(现在是 {shown})。"
        if kind == "minProperties":
            return f"{where}至少要写一项" + (f",{write}。" if write else "。")
        if kind == "uniqueItems":
            seen, repeated = [], []
            for entry in value if isinstance(value, list) else []:
                (repeated if entry in seen else seen).append(entry)
            again = f"「{_yaml_value(repeated[0])}」" if repeated else ""
            return f"{where}中有重复的项{again}:每项只写一次。"
        return f"{where}的值不符合要求" + (f",{write}。" if write else "。")

    def required(self, pointer) -> bool:
        if pointer and isinstance(pointer[-1], int):
            return True  # an entry the editor began in a list: to be filled, not deleted
        parent = self.node(pointer[:-1]) if pointer else None
        return bool(parent) and any(pointer[-1] in (part.get("required") or []) for part in _parts(parent))

    def not_a_choice(self, where, value, choices, node) -> str:
        shown = _yaml_value(value)
        if self.is_category(node) or choices == self.category_enum:
            names = [self.category_short.get(c, c) for c in choices]
            guess = [self.category_short[self.schemas.category_names[g]]
                     for g in _closest(str(value), [*names, *self.schemas.category_labels.values()])]
            head = f"{where}「{shown}」不是法定主动公开类别的名称。"
            return head + (f"是不是「{guess[0]}」?" if guess else "") + "可写:" + "、".join(names) + "。"
        names = [_yaml_value(c) for c in choices]
        guess = _closest(shown, names)
        head = f"{where}「{shown}」不是可选的值。"
        if guess and len(names) > LONG_CHOICE_LIST:
            return head + f"是不是「{guess[0]}」?"
        listed = "".join(f"「{n}」" for n in names)
        return head + (f"是不是「{guess[0]}」?" if guess else "") + f"可选:{listed}。"

    @staticmethod
    def describe(part: dict) -> str:
        if "const" in part:
            return f"「{_yaml_value(part['const'])}」"
        text = _TYPE_NAMES.get(part.get("type"), "其他值")
        if "minimum" in part:
            text = f"不小于 {part['minimum']} 的{text}"
        return text
