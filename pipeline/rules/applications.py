"""The register of applications (依申请公开台账) sits where its unit and year say."""
from __future__ import annotations

from ..diagnostics import Severity
from . import Rule, register


@register
class ApplicationRegisters(Rule):
    """GK-APP-001: a register is content/applications/<unit>/<year>.yaml, and says so inside.

    The yearly report counts a unit's applications from the file of its folder and year; a file
    whose `unit` or `year` disagrees with where it sits would be counted for the wrong unit or year,
    or twice; a folder that names no unit counts for nobody.

    FAIL: content/applications/jyj/2025.yaml with `unit: mzj` or `year: 2024`; content/applications/abc/2025.yaml.
    PASS: content/applications/jyj/2025.yaml with `unit: jyj`, `year: 2025`.
    """

    codes = {"GK-APP-001": "依申请公开台账的单位或年度与所在位置不符"}

    def check(self, repo):
        for record in repo.registers:
            _, _, folder, name = record.path.split("/", 3)
            year = name.rsplit(".", 1)[0]
            if folder not in repo.units:
                yield record.diagnostic("GK-APP-001", Severity.ERROR,
                                        f"没有编号为「{folder}」的责任单位:台账放在 content/applications/<单位编号>/ 下。", "unit")
            elif record.meta.get("unit") != folder:
                yield record.diagnostic("GK-APP-001", Severity.ERROR,
                                        f"台账在 content/applications/{folder}/ 下,unit 却写作「{record.meta.get('unit')}」:"
                                        f"请改为 {folder},或把文件移到该单位的文件夹。", "unit")
            if str(record.meta.get("year")) != year:
                yield record.diagnostic("GK-APP-001", Severity.ERROR,
                                        f"文件名是 {name},year 却写作「{record.meta.get('year')}」:一个年度一个文件,"
                                        f"文件名应为年度(如 {record.meta.get('year')}.yaml)。", "year")
