"""Every reference resolves: items, units, columns and repository files."""
from __future__ import annotations

from pipeline.diagnostics import Severity
from pipeline.content.repository import as_list
from pipeline.core.files import files_used, unsafe_reason
from pipeline.core.relations import link_references, metadata_references
from pipeline.content.types import TYPES
from pipeline.check.rules import RELATED, Rule, register, unreadable_governance, unreadable_ids

UNIT_KEYS = ("unit", "reply_unit")


@register
class References(Rule):
    """GK-REF-001..005: references to other items, units, columns and files resolve.

    Items link to each other in the body only by id: `[《办法》](item:zc-1)`;
    the build turns that into the right URL, so a link never breaks when an
    item's title changes.

    FAIL: `interprets: [zc-9]` when no item zc-9 exists; `unit: jyjj`;
          `file: files/2026/附件1.pdf` when that file is not in the repository.
    PASS: `interprets: [zc-1]` where content/policies/zc-1.md exists.
    """

    codes = {
        "GK-REF-001": "引用的条目编号不存在",
        "GK-REF-002": "引用的单位编号不存在",
        "GK-REF-003": "引用的栏目编号不存在",
        "GK-REF-004": "引用的文件不在仓库中",
        "GK-REF-005": "引用的条目类型不对(如解读指向的不是政策文件)",
    }

    reach = RELATED  # the items it names (the first of each id), every asset, units, columns

    def check(self, repo):
        by_id = repo.by_id
        # Files that could not be read have their own error; what refers to them is not a second one.
        absent_items, absent_units = unreadable_ids(repo, "item"), unreadable_ids(repo, "unit")
        units = {**repo.units, **dict.fromkeys(absent_units)} if absent_units else repo.units
        columns = {c.get("id") for c in repo.columns if isinstance(c.get("id"), str)}
        columns_unreadable = "columns" in unreadable_governance(repo)
        for item in repo.items:
            # The ids the item names, as pipeline.core.relations reads them (so does the changed check's scope).
            for named in metadata_references(item):
                key, ref, wanted = named.key, named.id, named.wanted
                at = (key,) if named.index is None else (key, named.index)
                target = by_id.get(ref)
                if target is None and ref in absent_items:
                    continue
                if target is None:
                    yield item.diagnostic("GK-REF-001", Severity.ERROR,
                                          f"字段「{key}」引用的条目「{ref}」不存在。请核对编号(编号就是文件名,不含扩展名)。", *at)
                elif wanted and target.type != wanted:
                    yield item.diagnostic("GK-REF-005", Severity.ERROR,
                                          f"字段「{key}」应引用{TYPES[wanted].label},但「{ref}」是{TYPES[target.type].label}({target.path})。", *at)
            for key in UNIT_KEYS:
                ref = item.meta.get(key)
                if isinstance(ref, str) and ref and ref not in units:
                    yield item.diagnostic("GK-REF-002", Severity.ERROR,
                                          f"字段「{key}」中的单位编号「{ref}」不存在。单位见 content/units/ 下的文件名。", key)
            column = item.meta.get("column")
            if isinstance(column, str) and column not in columns and not columns_unreadable:
                yield item.diagnostic("GK-REF-003", Severity.ERROR,
                                      f"栏目「{column}」不在栏目责任表 content/governance/columns.yaml 中。", "column")
        linkable = {**by_id, **dict.fromkeys(absent_items)} if absent_items else by_id
        for item in [*repo.items, *repo.units.values()]:
            yield from self._markdown_links(item, linkable, units)
            for use in files_used(item):
                if unsafe_reason(use.written):
                    continue  # GK-PATH-001 explains it
                if use.rel not in repo.assets:
                    yield item.diagnostic("GK-REF-004", Severity.ERROR,
                                          f"文件「{use.written}」不在仓库中:请把文件放到 content/{use.rel},或改正路径(路径从 content/ 之下写起,如 files/2026/附件1.pdf)。",
                                          line=use.line)
        yield from self._governance(repo, units)

    @staticmethod
    def _markdown_links(item, by_id, units):
        for link in link_references(item):
            if link.kind == "item" and link.id not in by_id:
                yield item.diagnostic("GK-REF-001", Severity.ERROR,
                                      f"正文链接指向的条目「{link.id}」不存在。站内链接请写成 [标题](item:编号)。", line=link.line)
            elif link.kind == "unit" and link.id not in units:
                yield item.diagnostic("GK-REF-002", Severity.ERROR,
                                      f"正文链接指向的单位「{link.id}」不存在。", line=link.line)

    def _governance(self, repo, units):
        columns_item = repo.governance.get("columns")
        for index, column in enumerate(repo.columns):
            for j, unit in enumerate(as_list(column.get("units"))):
                if isinstance(unit, str) and unit not in units:
                    yield columns_item.diagnostic("GK-REF-002", Severity.ERROR,
                                                  f"栏目「{column.get('name')}」的责任单位「{unit}」不存在。",
                                                  "columns", index, "units", j)
            for j, type_name in enumerate(as_list(column.get("types"))):
                if not isinstance(type_name, str) or type_name not in TYPES:
                    yield columns_item.diagnostic("GK-REF-003", Severity.ERROR,
                                                  f"栏目「{column.get('name')}」的条目类型「{type_name}」不存在,可用:{'、'.join(TYPES)}。",
                                                  "columns", index, "types", j)
        site = repo.governance.get("site")
        host = repo.host_unit
        if site and host and host not in units:
            yield site.diagnostic("GK-REF-002", Severity.ERROR, f"主办单位「{host}」不存在。", "host_unit")
