"""Item ids: unique across the repository, and the same as the file name."""
from __future__ import annotations

from pipeline.diagnostics import Severity
from pipeline.check.rules import RELATED, Rule, register


@register
class UniqueIds(Rule):
    """GK-ID-001: every item id is used once in the whole repository.

    Ids make URLs and by-id links (`item:ID`), so two items with one id would
    overwrite each other's page.

    FAIL: content/news/xw-1.md and content/notices/xw-1.md both say `id: xw-1`.
    PASS: content/news/xw-1.md and content/notices/tz-1.md.
    """

    codes = {
        "GK-ID-001": "条目编号重复",
        "GK-ID-002": "条目编号与文件名不一致",
    }

    reach = RELATED  # every item with the same id

    def check(self, repo):
        first = {}
        for item in [*repo.items, *repo.unit_records]:
            declared = item.meta.get("id")
            stem = item.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if isinstance(declared, str) and declared != stem:
                yield item.diagnostic("GK-ID-002", Severity.ERROR,
                                      f"编号「{declared}」与文件名「{stem}」不一致:请把文件改名为 {declared} 加扩展名,或改正 id。", "id")
        for item in repo.items:
            if item.id in first:
                other = first[item.id]
                yield item.diagnostic("GK-ID-001", Severity.ERROR,
                                      f"编号「{item.id}」已被 {other.path}:{other.line_of('id')} 使用;请换一个编号(可运行 gongkai new 生成)。", "id")
            else:
                first[item.id] = item
        seen_units = {}
        for unit in repo.unit_records:
            if unit.id in seen_units:
                other = seen_units[unit.id]
                yield unit.diagnostic("GK-ID-001", Severity.ERROR,
                                      f"单位编号「{unit.id}」已被 {other.path} 使用;每个单位只能有一个文件。", "id")
            else:
                seen_units[unit.id] = unit
