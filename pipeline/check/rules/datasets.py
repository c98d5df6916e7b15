"""Open datasets: every CSV conforms to its Table Schema (Art. 7(1): machine-readable, and right)."""
from __future__ import annotations

from pipeline.yearly_report.figures import report_use_problem
from pipeline.core.datasets import (CONDITIONAL, OPEN, TableError, is_conditional, problems, read_table, resource_path, resources,
                        schema_problem, well_formed)
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.check.rules import RELATED, Rule, register

KIND_CODES = {"header": "GK-DATA-002", "cell": "GK-DATA-003", "key": "GK-DATA-004"}


@register
class DatasetTables(Rule):
    """开放数据:每个数据资源的 CSV 文件必须符合它的表结构(Frictionless Table Schema)。

    - GK-DATA-001 文件不是 UTF-8 编码的 CSV(Excel 默认另存的 GBK 文件用 gongkai normalize 转换)。
    - GK-DATA-002 表头与表结构的字段不一致:缺列、多列或顺序不同(报在 CSV 第 1 行)。
    - GK-DATA-003 单元格不符合字段类型或约束(整数、数值、日期、必填、最小值……)、空行、列数不对,
      报在该行在 CSV 中的行号,写明字段的中文名称和值。
    - GK-DATA-004 主键重复或为空,写明与哪一行重复。
    - GK-DATA-005 表结构本身无效(主键字段不存在、类型不支持),图表引用的字段不存在、不是数值,或年度报告统计口径
      (annual_report)的日期、金额字段不存在、类型不对、金额未写明单位(元或万元)。
    - GK-DATA-006 开放条件与文件不符:无条件开放的资源没有数据文件;有条件开放的数据集附了数据文件
      (它只公布字段说明和申请方式),或没有写申请方式(apply)。

    每个资源最多列出 20 处错误。

    FAIL::

        year,district,population        # schema: year integer, population number, primaryKey [year, district]
        2025,江华区,十二万               -> GK-DATA-003 第 2 行「常住人口」(population)的值「十二万」不是数值
        2025,江华区,120.5               -> GK-DATA-004 第 3 行的主键与第 2 行重复

    PASS::

        year,district,population
        2025,江华区,120.5
        2025,白云县,46.2
    """

    codes = {
        "GK-DATA-001": "数据文件不是 UTF-8 编码的 CSV",
        "GK-DATA-002": "数据文件的表头与表结构不一致",
        "GK-DATA-003": "数据文件的单元格不符合字段类型或约束",
        "GK-DATA-004": "数据文件的主键重复或为空",
        "GK-DATA-005": "数据集的表结构、图表或年度报告统计口径配置无效",
        "GK-DATA-006": "数据集的开放条件与数据文件不符",
    }

    reach = RELATED  # a data file's findings come from every dataset that uses it

    def check(self, repo):
        for item in repo.items:
            if item.type != "dataset":
                continue
            conditional = is_conditional(item)
            if conditional and not isinstance(item.meta.get("apply"), str):
                yield item.diagnostic("GK-DATA-006", Severity.ERROR,
                                      f"{CONDITIONAL}的数据集必须写明申请方式(apply):谁可以申请、向哪里申请、需要什么材料、多久答复。",
                                      "open_condition")
            for index, resource in enumerate(resources(item)):
                yield from self._resource(repo, item, index, resource, conditional)

    def _resource(self, repo, item, index, resource, conditional):
        where = ("resources", index)
        file = resource_path(resource)
        if conditional and file:
            yield item.diagnostic("GK-DATA-006", Severity.ERROR,
                                  f"{CONDITIONAL}的数据集不公布数据文件:请删除 file,只保留表结构和申请方式。", *where, "file")
            return
        if not conditional and not file and item.meta.get("open_condition") == OPEN:
            yield item.diagnostic("GK-DATA-006", Severity.ERROR,
                                  f"资源「{resource.get('title') or resource.get('name')}」没有数据文件(file):无条件开放的数据集"
                                  f"每个资源都要附 CSV 文件;只公布字段说明的,请把 open_condition 改为{CONDITIONAL}并写明申请方式。",
                                  *where)
            return
        if not well_formed(resource):
            return  # the schema check reports the fields
        invalid = schema_problem(resource) or report_use_problem(resource)
        if invalid:
            yield item.diagnostic("GK-DATA-005", Severity.ERROR, invalid, *where, "schema")
            return
        if not file or file not in repo.assets:
            return  # GK-REF-004 (missing file) or nothing to read
        path = f"content/{file}"
        try:
            table = read_table(repo.root / path)
        except TableError as exc:
            yield Diagnostic(path, exc.line, 0, "GK-DATA-001", Severity.ERROR, exc.message)
            return
        for problem in problems(table, resource):
            yield Diagnostic(path, problem.line, 0, KIND_CODES[problem.kind], Severity.ERROR,
                             f"{problem.message}(数据集 {item.id},表结构见 {item.path})")
