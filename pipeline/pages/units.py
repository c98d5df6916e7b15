"""Units (机构设置): the list of units and one page per unit with what it published."""
from __future__ import annotations

from functools import partial

from pipeline.core.addresses import UNITS, unit_url
from pipeline.core.relations import referenced_ids
from pipeline.core.unit_disclosure import exemptions, platforms
from pipeline.pages import page as dep
from pipeline.pages.page import Page, html_page

UNIT_ENTRIES_SHOWN = 50

# 机构设置's groups, in the order a city portal lists them, and the unit kinds (unit schema) each holds:
# the city government and its office first, then its departments and the units directly under it, then
# the counties and districts.
UNIT_GROUPS = (
    ("市人民政府", ("市人民政府", "市人民政府办公室")),
    ("市直部门和单位", ("市直部门", "其他")),
    ("县(区)人民政府", ("县区人民政府",)),
)


def unit_groups(catalogue) -> list[dict]:
    """The units grouped and ordered for 机构设置 and the disclosure section: each group in the
    government's own order (settings `portal.unit_order`), units it does not name after, by id.
    A unit of a kind no group holds goes with the departments, so that no unit is left out."""
    order = catalogue.repo.settings.get("portal", {}).get("unit_order") or []
    rank = {uid: n for n, uid in enumerate(order)}
    kinds = {kind: n for n, (_, held) in enumerate(UNIT_GROUPS) for kind in held}
    grouped: list[list[str]] = [[] for _ in UNIT_GROUPS]
    for uid, unit in catalogue.units.items():
        grouped[kinds.get(unit.meta.get("kind"), 1)].append(uid)
    return [{"name": name, "units": [{**vars(catalogue.unit_info(uid)), "kind": catalogue.units[uid].meta.get("kind")}
                                     for uid in sorted(ids, key=lambda u: (rank.get(u, len(rank)), u))]}
            for (name, _), ids in zip(UNIT_GROUPS, grouped) if ids]


def _unit_context(catalogue, uid) -> dict:
    unit = catalogue.units[uid]
    entries = catalogue.of_unit(uid)
    return {"title": catalogue.unit_info(uid).name, "unit": unit.meta, "entries": entries[:UNIT_ENTRIES_SHOWN],
            "count": len(entries), "categories": catalogue.repo.schemas.category_labels,
            "html": catalogue.unit_html[uid], "not_applicable": exemptions(unit),
            "platforms": list(platforms(unit).values())}


def unit_pages(catalogue) -> list[Page]:
    pages = [html_page(UNITS, "units.html", lambda: {"title": "机构设置", "groups": unit_groups(catalogue)},
                       {dep.unit(uid) for uid in catalogue.units})]
    for uid in catalogue.units:
        entries = catalogue.of_unit(uid)
        # Its functions' by-id links lead to an item only while it is live.
        shown = dep.shown(entries[:UNIT_ENTRIES_SHOWN]) | {dep.item(i) for i in referenced_ids(catalogue.units[uid])}
        pages.append(html_page(unit_url(uid), "unit.html", partial(_unit_context, catalogue, uid),
                               shown | {dep.unit(uid), dep.listing(f"unit:{uid}", dep.ids(entries))}))
    return pages
