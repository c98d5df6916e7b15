"""The rule registry.

A rule is a small class in its own module: `codes` maps each stable code it
may emit to a one-line Chinese description (what `gongkai rules` lists), and
`check(repo)` yields `Diagnostic`s and never prints. The class docstring is
the rule's documentation, with a failing and a passing example.

Severity overrides, per-path ignores and suppressions are not the rules'
business: `pipeline.decide` applies them afterwards.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterator

from ..diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from ..repository import Repository


class Rule:
    codes: ClassVar[dict[str, str]] = {}
    severity: ClassVar[Severity] = Severity.ERROR

    def check(self, repo: "Repository") -> Iterator[Diagnostic]:
        raise NotImplementedError


RULES: list[type[Rule]] = []
_LOADED: list[bool] = []


def register(cls: type[Rule]) -> type[Rule]:
    RULES.append(cls)
    return cls


# Codes emitted by the loader and the schema check rather than by a rule class.
LOADER_CODES = {
    "GK-ENC-001": "文件不是 UTF-8 编码(用 gongkai normalize 转换)",
    "GK-YAML-001": "YAML 语法错误",
    "GK-YAML-002": "同一字段重复出现",
    "GK-YAML-003": "Markdown 文件缺少或未结束 YAML 头信息",
    "GK-YAML-004": "文件内容不是字段映射",
    "GK-SCH-001": "缺少必填字段",
    "GK-SCH-002": "未知字段(多为拼写错误)",
    "GK-SCH-003": "字段值不符合 schema(类型、取值范围、格式)",
    "GK-LINK-001": "构建结果中有失效的站内链接或资源(构建时检查)",
    "GK-LINK-002": "页面从其他网站加载脚本、样式、图片或媒体(构建时检查)",
    "GK-GOV-001": "缺少治理数据文件(site.yaml、columns.yaml)或其内容无效",
}


def load_rules() -> list[type[Rule]]:
    """Import every rule module so that each registers itself; return the registry."""
    import importlib
    import pkgutil

    if not _LOADED:
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
        _LOADED.append(True)
    return RULES


def all_codes() -> dict[str, str]:
    codes = dict(LOADER_CODES)
    for rule in load_rules():
        codes.update(rule.codes)
    return dict(sorted(codes.items()))


def run_rules(repo: "Repository", only=None) -> Iterator[Diagnostic]:
    for rule_cls in load_rules():
        if only and not (set(rule_cls.codes) & set(only)):
            continue
        yield from rule_cls().check(repo)
