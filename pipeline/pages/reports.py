"""A yearly report's page shows its tables; a second page says how each computed figure was obtained."""
from __future__ import annotations

from functools import partial

from pipeline.yearly_report.figures import PART3, PART4, compute, figures_as_of, is_year, report_scope, same_value
from pipeline.yearly_report.draft import layout_for, split_body
from pipeline.yearly_report.tables import cell_anchors, cell_value
from pipeline.pages import page as dep

BASIS = "basis/"  # under the report's own address


def basis_url(entry) -> str:
    return entry.url + BASIS


def _explained(cell, figure) -> bool:
    """Whether the basis page explains a cell: computed, and from published content (Parts 3 and 4 count the
    register, which is not published: nothing to link to)."""
    return figure is not None and figure.value is not None and cell[0] not in (PART3, PART4)


def _computed(catalogue, entry):
    """The report's computed figures, once per build (its page, its basis page and their dependencies)."""
    cache = catalogue.__dict__.setdefault("_annual_reports", {})
    if entry.id not in cache:
        cache[entry.id] = compute(catalogue.repo, entry.meta["year"], report_scope(entry.item),
                                  figures_as_of(entry.item, catalogue.now))
    return cache[entry.id]


def report_figures(catalogue, entry) -> str:
    """What a report's page and its basis page show beyond the report item: its computed figures, each with
    the items it counts (a policy, a dataset's rows or a register changing them changes the digest)."""
    return dep.listing(f"report:{entry.id}", [repr(_computed(catalogue, entry))])


def column_labels(head) -> list[str]:
    """Each data column's header as a reader needs it beside a lone value (a phone shows every row as a
    card): the labels above it from top to bottom, "法人或其他组织 · 商业企业". The first column holds
    the rows' own headers and is left out."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(head):
        c = 0
        for h in row:
            while (r, c) in grid:
                c += 1
            for dr in range(h.rowspan):
                for dc in range(h.colspan):
                    grid[(r + dr, c + dc)] = h.label
            c += h.colspan
    columns = max((c for _, c in grid), default=-1) + 1
    labels = []
    for c in range(1, columns):
        path: list[str] = []
        for r in range(len(head)):
            label = grid.get((r, c))
            if label and label not in path:
                path.append(label)
        labels.append(" · ".join(path))
    return labels


def report_context(catalogue, entry) -> dict:
    """The tables as the unit published them, each computed figure linked to what it counts."""
    report = _computed(catalogue, entry)
    computed, layout = report.cells(), layout_for(catalogue.repo)
    anchors, figures, basis = cell_anchors(layout), entry.meta.get("figures") or {}, basis_url(entry)
    tables = []
    for table in layout:
        rows, columns = [], column_labels(table.head)
        for label, cells in table.rows:
            shown = []
            for n, cell in enumerate(cells):
                value = cell_value(figures, cell)
                shown.append({"text": "" if value is None else str(value), "label": columns[n] if n < len(columns) else cell[2],
                              "href": f"{basis}#{anchors[cell]}" if _explained(cell, computed.get(cell)) else None})
            rows.append({"label": label, "context": table.context.get(label, ""), "cells": shown})
        note = table.note
        if table.key in ("p3", "p4") and report.applications is not None:
            note = (note + " " if note else "") + "本表由本单位依申请公开登记台账统计(台账不公开,见数据计算依据)。"
        tables.append({"key": table.key, "caption": table.caption, "head": table.head, "rows": rows, "note": note,
                       "column_groups": table.column_groups,
                       "part": "2" if table.key.startswith("p2") else table.key[1:]})
    before, after = split_body(entry.item.body)
    return {"report_tables": tables, "body_before": catalogue.render(before).html,
            "body_after": catalogue.render(after).html, "basis_url": basis,
            "from_register": report.applications is not None}


def _basis_context(catalogue, entry) -> dict:
    report = _computed(catalogue, entry)
    layout = layout_for(catalogue.repo)
    anchors, labels = cell_anchors(layout), {cell: label for t in layout for label, cells in t.rows for cell in cells}
    figures = []
    for cell, figure in report.cells().items():
        if not _explained(cell, figure):
            continue
        _, row, column = cell
        published = cell_value(entry.meta.get("figures"), cell)
        figures.append({"id": anchors[cell], "row": labels.get(cell, row), "column": column, "figure": figure,
                        "counted": [(i, catalogue.entries.get(i)) for i in figure.items], "published": published,
                        "differs": published is not None and not same_value(published, figure.value)})
    return {"title": f"{entry.title}:数据计算依据", "entry": entry, "figures": figures, "report": report}


def _counted(report) -> set[str]:
    ids: set[str] = set()
    for figure in report.cells().values():
        ids |= set(figure.items)
    return ids


def report_pages(catalogue) -> list:
    pages = []
    for entry in catalogue.listed_of("report"):
        if not is_year(entry.meta.get("year")):
            continue
        depends = {dep.item(entry.id), report_figures(catalogue, entry)} | {dep.item(i) for i in _counted(_computed(catalogue, entry))}
        pages.append(dep.html_page(basis_url(entry), "report_basis.html", partial(_basis_context, catalogue, entry), depends))
    return pages
