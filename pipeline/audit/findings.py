"""What the daily read finds: a Diagnostic with the unit that must act, the item, and the rule's source.

Three levels, in the order a report shows them:

- 单项否决风险 (veto): a measure at or past the level at which a national inspection fails the whole site
  (国办秘函〔2019〕19号), or a deadline whose miss is itself a veto item;
- 预警 (warning): the same measures at the lower level monitors warn at, so units act before an
  inspection does;
- 待处理 (issue): a deadline of the regulation missed, or a problem in published content.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pipeline.diagnostics import Diagnostic, Severity


class Level(str, Enum):
    VETO = "veto"
    WARNING = "warning"
    ISSUE = "issue"

    @property
    def label(self) -> str:
        return {"veto": "单项否决风险", "warning": "预警", "issue": "待处理"}[self.value]

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self is Level.VETO else Severity.WARNING

    @property
    def rank(self) -> int:
        return {"veto": 0, "warning": 1, "issue": 2}[self.value]


INSPECTION = "国办秘函〔2019〕19号 检查指标"
MEASURES = "《门户网站管理办法》"
ORDINANCE = "《政府信息公开条例》"


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    unit: str  # the unit that must act ("" for the site as a whole)
    item: str  # an item id, a column id, or ""
    source: str  # the article or national document the rule comes from
    message: str
    path: str = ""
    line: int = 0
    due: str = ""  # a deadline, when there is one (YYYY-MM-DD)

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.path, self.line, 0, self.code, self.level.severity, self.message)

    def as_dict(self) -> dict:
        return {"level": self.level.value, "level_label": self.level.label, "code": self.code,
                "severity": self.level.severity.value, "unit": self.unit or None, "item": self.item or None,
                "source": self.source, "message": self.message, "path": self.path or None,
                "line": self.line or None, "due": self.due or None}

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        """A finding as `as_dict` wrote it (a link report read back by the audit)."""
        return cls(Level(data["level"]), str(data["code"]), str(data.get("unit") or ""), str(data.get("item") or ""),
                   str(data.get("source") or ""), str(data["message"]), str(data.get("path") or ""),
                   int(data.get("line") or 0), str(data.get("due") or ""))

    @property
    def key(self) -> tuple:
        return (self.level.rank, self.unit, self.code, self.item, self.message)
