"""The register of applications (依申请公开台账) sits where its unit and year say."""
from __future__ import annotations

from pipeline.content.locations import unit_folder_of
from pipeline.diagnostics import Severity
from pipeline.timeutil import parse_day
from pipeline.check.rules import RELATED, Rule, register


@register
class ApplicationRegisters(Rule):
    """GK-APP-001: a register is content/applications/<unit>/<year>.yaml, and says so inside.
    GK-APP-002: an application is registered once (its number unique in the unit's registers).
    GK-APP-003: no application in a file is received after the file's year (earlier ones may open a unit's first file).

    The yearly report counts a unit's applications from the file of its folder and year; a file
    whose `unit` or `year` disagrees with where it sits would be counted for the wrong unit or year,
    or twice; a folder that names no unit counts for nobody.

    FAIL: content/applications/jyj/2025.yaml with `unit: mzj` or `year: 2024`; content/applications/abc/2025.yaml;
    number 2024-038 in both 2024.yaml and 2025.yaml; `received: 2026-01-05` in 2025.yaml.
    PASS: content/applications/jyj/2025.yaml with `unit: jyj`, `year: 2025`, each number once.
    """

    codes = {"GK-APP-001": "依申请公开台账的单位或年度与所在位置不符",
             "GK-APP-002": "同一件申请在台账中登记了两次",
             "GK-APP-003": "申请的收到日期晚于台账年度"}

    reach = RELATED  # every register (a partial load reads them all)

    def check(self, repo):
        seen: dict[tuple, str] = {}  # (unit, number) -> the file that registered it first
        for record in sorted(repo.registers, key=lambda r: r.path):
            entries = record.meta.get("applications") if isinstance(record.meta.get("applications"), list) else []
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict) or "number" not in entry:
                    continue
                key = (record.meta.get("unit"), str(entry["number"]))
                if key in seen:
                    yield record.diagnostic("GK-APP-002", Severity.ERROR,
                                            f"编号 {entry['number']} 已在 {seen[key]} 登记:一件申请只登记一次,跨年办结的"
                                            "在原登记处补写 outcome 和 answered。", "applications", index)
                else:
                    seen[key] = record.path
                received = parse_day(entry.get("received"))
                if received is not None and isinstance(record.meta.get("year"), int) and received.year > record.meta["year"]:
                    yield record.diagnostic("GK-APP-003", Severity.ERROR,
                                            f"编号 {entry['number']} 收到于 {received.isoformat()},晚于本台账的年度 "
                                            f"{record.meta['year']}:请登记在 {received.year}.yaml。", "applications", index)
        for record in repo.registers:
            _, _, folder, name = record.path.split("/", 3)  # a register's path: content/applications/<folder>/<year>.yaml
            year = name.rsplit(".", 1)[0]
            if unit_folder_of(record.path, repo.units) is None:
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
