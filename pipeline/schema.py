"""JSON Schema validation of items, with messages an editor can act on.

One `SchemaSet` loads every schema under schemas/ into a `referencing`
registry once; an unresolved `$ref` is fatal at load time (a broken schema
set must never silently accept content).
"""
from __future__ import annotations

import copy
import json
import re
from functools import cached_property, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from .content import Item
from .diagnostics import Diagnostic, Severity
from .resources import schema_dir

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


class SchemaSet:
    def __init__(self, directory: Path | None = None):
        directory = directory or schema_dir()
        self.directory = directory
        self.schemas: dict[str, dict] = {}
        resources = []
        for path in sorted(directory.glob("*.schema.json")):
            text = path.read_text(encoding="utf-8")
            _check_schema(text)
            schema = json.loads(text)
            self.schemas[path.name.removesuffix(".schema.json")] = schema
            resources.append((schema["$id"], Resource.from_contents(schema)))
        self.registry = Registry().with_resources(resources)
        self._validators: dict[str, Draft202012Validator] = {}
        self._check_refs()

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

    def titles(self, name: str) -> dict[str, str]:
        """Key -> Chinese title, for the keys a type may carry (its own and the common ones)."""
        out = {}
        for props in (self.defs["common"]["properties"], self.schemas[name].get("properties", {})):
            for key, sub in props.items():
                out[key] = sub.get("title") or self._ref_title(sub) or key
        return out

    def _ref_title(self, sub: dict) -> str | None:
        ref = sub.get("$ref", "")
        if "#/$defs/" in ref:
            return self.defs.get(ref.rsplit("/", 1)[-1], {}).get("title")
        return None

    def validate(self, item: Item, name: str | None = None) -> list[Diagnostic]:
        name = name or item.type
        titles = self.titles(name)
        out = []
        for error in self.validator(name).iter_errors(item.meta):
            out.extend(_explain(item, error, titles))
        return sorted(set(out))


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


def _name(pointer, titles) -> str:
    if not pointer:
        return "条目"
    parts = []
    for part in pointer:
        if isinstance(part, int):
            parts.append(f"第 {part + 1} 项")
        else:
            parts.append(f"「{part}」")
    head = pointer[0]
    title = titles.get(head) if isinstance(head, str) else None
    label = "".join(parts)
    if title and title != head and len(pointer) == 1:
        label += f"({title})"
    return "字段" + label


_UNEXPECTED = re.compile(r"'([^']+)'")


def _explain(item: Item, error, titles) -> list[Diagnostic]:
    """Turn one jsonschema error into diagnostics in Chinese, located at the failing key."""
    pointer = tuple(error.absolute_path)
    kind = error.validator
    where = _name(pointer, titles)

    def diag(code, message, at=pointer):
        return Diagnostic(item.path, item.line_of(*at), 0, code, Severity.ERROR, message)

    if kind == "required":
        missing = _UNEXPECTED.findall(error.message)[:1] or ["?"]
        key = missing[0]
        label = titles.get(key, key)
        owner = "" if not pointer else f"{where}中"
        return [diag("GK-SCH-001", f"{owner}缺少必填字段「{key}」({label})。")]
    if kind in ("unevaluatedProperties", "additionalProperties"):
        # A known key whose value failed validation is not "evaluated" either; report only
        # keys the type really lacks (the bad value has its own GK-SCH-003).
        known = titles if not pointer else {}
        keys = [k for k in _UNEXPECTED.findall(error.message) if k in (error.instance or {}) and k not in known]
        if not keys:
            return []
        return [diag("GK-SCH-002", f"未知字段「{key}」:本类型没有这个字段,请检查拼写(可用字段见 schemas/{item.type}.schema.json)。",
                     pointer + (key,)) for key in keys or ["?"]]
    if kind == "enum":
        allowed = "、".join(str(v) for v in error.validator_value)
        return [diag("GK-SCH-003", f"{where}的值「{error.instance}」不在允许范围内,应为其中之一:{allowed}。")]
    if kind == "const":
        return [diag("GK-SCH-003", f"{where}的值应为「{error.validator_value}」。")]
    if kind == "type":
        expected = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
                    "array": "列表(每项以 - 开头)", "object": "字段映射", "null": "空值"}
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "或".join(expected.get(w, w) for w in wanted)
        hint = ";日期请写成 2026-03-01 这样的文字" if "string" in wanted else ""
        return [diag("GK-SCH-003", f"{where}应为{names}{hint}。")]
    if kind == "pattern":
        description = (error.schema.get("description") or "").strip()
        hint = {
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "日期应写成 YYYY-MM-DD,例如 2026-03-01",
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$": "应写成 2026-03-01 或 2026-03-01 09:30",
            "^[a-z0-9][a-z0-9-]{1,79}$": "编号只能由小写字母、数字和连字符组成",
            "^https?://[^\\s]+$": "应是以 http:// 或 https:// 开头的完整网址",
        }.get(error.validator_value, description or f"应符合格式 {error.validator_value}")
        return [diag("GK-SCH-003", f"{where}的值「{error.instance}」格式不对:{hint}。")]
    if kind == "minItems":
        return [diag("GK-SCH-003", f"{where}至少需要 {error.validator_value} 项。")]
    if kind == "minLength":
        return [diag("GK-SCH-003", f"{where}不能为空。")]
    if kind in ("minimum", "maximum"):
        word = "不能小于" if kind == "minimum" else "不能大于"
        return [diag("GK-SCH-003", f"{where}{word} {error.validator_value}。")]
    if kind == "uniqueItems":
        return [diag("GK-SCH-003", f"{where}中有重复的项。")]
    if kind == "format":
        return [diag("GK-SCH-003", f"{where}的值「{error.instance}」不是有效的 {error.validator_value} 格式。")]
    return [diag("GK-SCH-003", f"{where}不符合要求:{error.message}")]
