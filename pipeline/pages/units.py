"""Units (机构设置): the list of units and one page per unit with what it published."""
from __future__ import annotations

from functools import partial

from ..addresses import UNITS, unit_url
from ..unit_disclosure import exemptions, platforms
from . import page as dep
from .page import Page, html_page

UNIT_ENTRIES_SHOWN = 50


def _unit_context(catalogue, uid) -> dict:
    unit = catalogue.units[uid]
    entries = catalogue.of_unit(uid)
    return {"title": unit.meta.get("name", uid), "unit": unit.meta, "entries": entries[:UNIT_ENTRIES_SHOWN],
            "count": len(entries), "categories": catalogue.repo.schemas.category_labels,
            "html": catalogue.unit_html[uid], "not_applicable": exemptions(unit),
            "platforms": list(platforms(unit).values())}


def unit_pages(catalogue) -> list[Page]:
    pages = [html_page(UNITS, "units.html", lambda: {"title": "机构设置", "units": [
        {**vars(catalogue.unit_info(uid)), "kind": u.meta.get("kind")} for uid, u in catalogue.units.items()]},
        {dep.unit(uid) for uid in catalogue.units})]
    for uid in catalogue.units:
        shown = dep.shown(catalogue.of_unit(uid)[:UNIT_ENTRIES_SHOWN])
        pages.append(html_page(unit_url(uid), "unit.html", partial(_unit_context, catalogue, uid),
                               shown | {dep.unit(uid), dep.listing(f"unit:{uid}")}))
    return pages
