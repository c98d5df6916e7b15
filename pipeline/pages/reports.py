"""A yearly report's page shows its tables; a second page says how each computed figure was obtained."""
from __future__ import annotations

from functools import partial

from ..annual_report import PART3, PART4, compute, figures_as_of, is_year, report_scope, same_value
from ..report_draft import layout_for, split_body
from ..report_format import cell_anchors, cell_value
from . import page as dep

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


def report_context(catalogue, entry) -> dict:
    """The tables as the unit published them, each computed figure linked to what it counts."""
    report = _computed(catalogue, entry)
    computed, layout = report.cells(), layout_for(catalogue.repo)
    anchors, figures, basis = cell_anchors(layout), entry.meta.get("figures") or {}, basis_url(entry)
    tables = []
    for table in layout:
        rows = []
        for label, cells in table.rows:
            shown = []
            for cell in cells:
                value = cell_value(figures, cell)
                shown.append({"text": "" if value is None else str(value),
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
        depends = {dep.item(entry.id), dep.listing(f"report:{entry.id}")} | {dep.item(i) for i in _counted(_computed(catalogue, entry))}
        pages.append(dep.html_page(basis_url(entry), "report_basis.html", partial(_basis_context, catalogue, entry), depends))
    return pages
