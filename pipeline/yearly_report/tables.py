"""The tables of the national yearly report format (国办公开办函〔2021〕30号), as cells of a report's `figures`.

One layout serves every reader of the figures: the Markdown and the draft `gongkai report annual`
writes, the report's page on the site, and the schema's keys (a test holds them together). A cell is
(part, row, column), the keys of `figures` in a report item.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.yearly_report.figures import (CARRIED_FORWARD, CARRIED_OVER, DECIDED, DECISIONS, DOCUMENT_COLUMNS, NEW, PART2, PART3,
                            PART4, PLACEHOLDER, REVIEW, SUIT_AFTER, SUIT_DIRECT, TOTAL, AnnualReport)
from pipeline.core.policy_validity import COUNTED_TYPES

_NUMBERS = "一二三四五六七八九十"
_GROUP_NOTES = {"部分公开": "部分公开(区分处理的,只计这一情形,不计其他情形)"}
RESULT_LABELS = {"维持": "结果维持", "纠正": "结果纠正", "其他结果": "其他结果", "尚未审结": "尚未审结", TOTAL: TOTAL}
LEGAL_PERSONS = "法人或其他组织"


@dataclass
class Header:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    key: str  # an anchor-safe name
    caption: str
    head: list[list[Header]]
    rows: list[tuple[str, list[tuple[str, str, str]]]]  # (row header, the cells of the row)
    note: str = ""
    columns: list[str] = field(default_factory=list)  # the column names, for Markdown
    # Words a row header leaves to the rows above it ("2.重复申请" under "(五)不予处理:1.…"), for a
    # screen reader that hears one row header at a time: label -> what to say before it.
    context: dict[str, str] = field(default_factory=dict)

    @property
    def column_groups(self) -> list[int]:
        """The span of each column group, from the first header row (for <colgroup>, so scope=colgroup applies)."""
        return [h.colspan for h in self.head[0]]


def outcome_labels(outcomes: list[str], context: dict[str, str] | None = None) -> dict[str, str]:
    """The format's row titles for the register's outcomes: (三)不予公开:1.属于国家秘密 …

    `context`, when given, receives for each title that leaves its group to the rows above the words
    that name it: "2.重复申请" -> "(五)不予处理:".
    """
    labels, groups = {}, []
    for outcome in outcomes:
        group, _, sub = outcome.partition(":")
        if group not in groups:
            groups.append(group)
        number = _NUMBERS[groups.index(group)]
        if not sub:
            labels[outcome] = f"({number}){_GROUP_NOTES.get(group, group)}"
        else:
            index = sum(1 for o in labels if o.partition(":")[0] == group) + 1
            labels[outcome] = f"({number}){group}:{index}.{sub}" if index == 1 else f"{index}.{sub}"
            if index > 1 and context is not None:
                context[labels[outcome]] = f"({number}){group}:"
    return labels


def part3_rows(outcomes: list[str], context: dict[str, str] | None = None) -> dict[str, str]:
    labels = outcome_labels(outcomes, context)
    rows = {NEW: "一、本年新收政府信息公开申请数量", CARRIED_OVER: "二、上年结转政府信息公开申请数量"}
    for i, outcome in enumerate(outcomes):
        rows[outcome] = ("三、本年度办理结果:" if i == 0 else "") + labels[outcome]
    rows[DECIDED] = f"({_NUMBERS[len({o.partition(':')[0] for o in outcomes})]}){TOTAL}"
    rows[CARRIED_FORWARD] = "四、结转下年度继续办理"
    return rows


def tables(applicants: list[str], outcomes: list[str], results: list[str]) -> list[Table]:
    """The tables of Parts 2, 3 and 4 in the format's order, each cell named (part, row, column)."""
    out = [Table("p2-documents", "第二十条第(一)项", [[Header("信息内容"), *(Header(c) for c in DOCUMENT_COLUMNS.values())]],
                 [(t, [(PART2, t, c) for c in DOCUMENT_COLUMNS.values()]) for t in COUNTED_TYPES],
                 columns=list(DOCUMENT_COLUMNS.values()))]
    articles: dict[str, list[str]] = {}
    for row, (article, _) in DECISIONS.items():
        articles.setdefault(article, []).append(row)
    for n, (article, rows) in enumerate(articles.items()):
        column = DECISIONS[rows[0]][1]
        out.append(Table(f"p2-decisions-{n + 1}", article, [[Header("信息内容"), Header(column)]],
                         [(r, [(PART2, r, column)]) for r in rows], columns=[column]))
    legal = applicants[1:]
    head3 = [[Header("申请情况及办理结果", rowspan=2), Header(applicants[0], rowspan=2), Header(LEGAL_PERSONS, colspan=len(legal)),
              Header(TOTAL, rowspan=2)], [Header(a) for a in legal]]
    columns3 = [*applicants, TOTAL]
    context: dict[str, str] = {}
    rows3 = part3_rows(outcomes, context)
    out.append(Table("p3", "收到和处理政府信息公开申请情况", head3,
                     [(label, [(PART3, row, c) for c in columns3]) for row, label in rows3.items()],
                     "本列数据的勾稽关系:第一项加第二项之和,等于第三项加第四项之和。", columns3, context))
    columns4 = [*results, TOTAL]
    out.append(Table("p4", "政府信息公开行政复议、行政诉讼情况", [[Header("类别"), *(Header(RESULT_LABELS.get(c, c)) for c in columns4)]],
                     [(row, [(PART4, row, c) for c in columns4]) for row in (REVIEW, SUIT_DIRECT, SUIT_AFTER)],
                     "表格内容同国家格式,行列互换以便在手机上阅读。", columns4))
    return out


def cell_anchors(layout: list[Table]) -> dict[tuple[str, str, str], str]:
    """An HTML id for each cell, from its place in the layout: where the basis page explains it."""
    return {cell: f"{table.key}-r{r + 1}-c{c + 1}" for table in layout
            for r, (_, cells) in enumerate(table.rows) for c, cell in enumerate(cells)}


def cell_value(figures, cell):
    value = figures
    for key in cell:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def draft_figures(report: AnnualReport, layout: list[Table], published: dict | None = None) -> dict:
    """The `figures` of a report item: each computed figure, else what the unit wrote, else a placeholder."""
    computed = report.cells()
    out: dict = {}
    for table in layout:
        for _, cells in table.rows:
            for cell in cells:
                part, row, column = cell
                if cell in computed and computed[cell].value is not None:
                    value = computed[cell].value
                else:
                    value = cell_value(published or {}, cell)
                    value = PLACEHOLDER if value is None else value
                out.setdefault(part, {}).setdefault(row, {})[column] = value
    return out


def markdown_tables(layout: list[Table], value) -> list[str]:
    """Markdown for the tables, `value(cell)` giving each cell's text."""
    lines = []
    for table in layout:
        if table.key == "p3":
            lines += ["## 三、收到和处理政府信息公开申请情况", ""]
        elif table.key == "p4":
            lines += ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
        elif table.key == "p2-documents":
            lines += ["## 二、主动公开政府信息情况", ""]
        first = table.head[0][0].label if table.key != "p4" else "类别"
        title = f"{table.caption} {first}" if table.key.startswith("p2") else first
        heads = [RESULT_LABELS.get(c, c) for c in table.columns]
        lines += [f"| {title} | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(heads)]
        lines += [f"| {label} | " + " | ".join(value(c) for c in cells) + " |" for label, cells in table.rows]
        lines += ["", table.note, ""] if table.note else [""]
    return lines
