"""A yearly report's tables agree with what the content shows, and with the report of the year before."""
from __future__ import annotations

from pipeline.yearly_report.figures import DOCUMENT_COLUMNS, PART2, compute, figures_as_of, report_items, report_scope, same_value
from pipeline.diagnostics import Severity
from pipeline.core.policy_validity import COUNTED_TYPES
from pipeline.yearly_report.tables import cell_value
from pipeline.check.rules import REPOSITORY, Rule, register

ISSUED, REPEALED, IN_FORCE = (DOCUMENT_COLUMNS[k] for k in ("issued", "repealed", "in_force"))


def _reports(repo):
    return [i for i in report_items(repo) if isinstance(i.meta.get("figures"), dict)]


def _describe(figure, limit: int = 12) -> str:
    if not figure.items or all(i in figure.how for i in figure.items):
        return figure.how
    shown = "、".join(figure.items[:limit]) + (f" 等 {len(figure.items)} 项" if len(figure.items) > limit else "")
    return f"{figure.how}:{shown}"


@register
class AnnualReportFigures(Rule):
    """年度报告的数据表与内容一致(GK-RPT-001),与上一年度报告衔接(GK-RPT-002)。

    GK-RPT-001:按报告发布时网站上的内容,报告 `figures` 中内容能够计算的每一格(规章和行政规范性文件的制发、废止、现行有效件数;
    以数据集逐项公开的处理决定数和收费金额;有依申请公开台账时的第三、四部分),与按内容计算的数
    不同,指出哪一格、两个数和计算所依据的条目。金额按报告填写的小数位比较。
    GK-RPT-002:同一范围相邻两年的报告,现行有效[N] 应等于 现行有效[N−1] + 制发[N] − 废止[N]。
    GK-RPT-003:同一范围同一年度有两份年度报告(哪一份的数字算数?),报在后发布的一份;已撤回的不算。
    GK-RPT-004:covers 列出的单位不存在(报告范围不明,不与内容比较)。

    FAIL: 2025 年报告 `行政规范性文件: {现行有效件数: 99}`,而 2025 年 12 月 31 日现行有效的文件为 4 件;
    2024 年报告现行有效 4 件,2025 年报告制发 2、废止 1、现行有效 6。
    PASS: 用 `gongkai report annual --year 2025 --unit <单位> --write` 填写的数据表,上下年衔接。
    """

    codes = {"GK-RPT-001": "年度报告数据与按内容计算的不一致",
             "GK-RPT-002": "年度报告现行有效件数与上一年度报告不衔接",
             "GK-RPT-003": "同一单位同一年度有两份年度报告",
             "GK-RPT-004": "年度报告 covers 中的单位不存在"}

    reach = REPOSITORY  # the figures count every policy and dataset of the units covered
    totals = frozenset({"GK-RPT-001", "GK-RPT-002"})

    def reports_on(self, path, record):
        return record is not None and record.type == "report"

    def check(self, repo):
        reports = []
        for item in _reports(repo):
            unknown = [u for u in report_scope(item) if u not in repo.units] if isinstance(item.meta.get("covers"), list) else []
            if unknown:
                yield item.diagnostic("GK-RPT-004", Severity.ERROR,
                                      f"没有编号为「{'、'.join(unknown)}」的责任单位:covers 列出报告所含的单位"
                                      f"(已有:{'、'.join(sorted(repo.units))})。", "covers")
                continue
            reports.append(item)
        by_scope: dict = {}
        for item in reports:
            key = (report_scope(item), item.meta["year"])
            if key in by_scope:
                yield item.diagnostic("GK-RPT-003", Severity.ERROR,
                                      f"{'、'.join(key[0])} 的 {key[1]} 年度报告已有 {by_scope[key].path}:一个年度只发布一份报告,"
                                      "更正请修改原报告(在 changes 中写明更正内容)。", "year")
                continue
            by_scope[key] = item
        computed_for: dict = {}
        for item in reports:
            scope, year, figures = report_scope(item), item.meta["year"], item.meta["figures"]
            as_of = figures_as_of(item, repo.now)
            key = (scope, year, as_of)
            if key not in computed_for:
                computed_for[key] = compute(repo, year, scope, as_of).cells()
            for cell, figure in computed_for[key].items():
                published = cell_value(figures, cell)
                if figure.value is None or published is None or isinstance(published, str):
                    continue  # missing: the schema's to report; 待填写: the placeholder rule's
                if not same_value(published, figure.value):
                    part, row, column = cell
                    yield item.diagnostic(
                        "GK-RPT-001", Severity.ERROR,
                        f"{part}「{row}」的「{column}」填报为 {published},按内容计算为 {figure.value}"
                        f"({_describe(figure)})。请改正报告,或先改正所依据的内容;"
                        f"可运行 gongkai report annual --year {year} {' '.join('--unit ' + u for u in scope)} --write 重新填写数据表。",
                        "figures", part, row, column)
            before = by_scope.get((scope, year - 1))
            if before is None:
                continue
            for doc_type in COUNTED_TYPES:
                values = [cell_value(f, (PART2, doc_type, c)) for f, c in ((before.meta["figures"], IN_FORCE),
                          (figures, ISSUED), (figures, REPEALED), (figures, IN_FORCE))]
                if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                    continue
                last, issued, repealed, now = values
                if last + issued - repealed != now:
                    yield item.diagnostic(
                        "GK-RPT-002", Severity.ERROR,
                        f"{doc_type}现行有效件数 {now} 与上一年度报告({before.path})不衔接:"
                        f"上年现行有效 {last} + 本年制发 {issued} − 本年废止 {repealed} = {last + issued - repealed}。",
                        "figures", PART2, doc_type, IN_FORCE)
