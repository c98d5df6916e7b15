"""Item pages: one per item that has a page (the full item, or the notice of a withdrawn one)."""
from __future__ import annotations

from functools import partial

from pipeline.core.datasets import published_file, resources
from pipeline.core.relations import referenced_ids
from pipeline.core import publication
from pipeline.core.publication import Status
from pipeline.core.search_parts import pages_per_part, part_count, part_of
from pipeline.pages import page as dep
from pipeline.pages.data import dataset_context
from pipeline.yearly_report.figures import is_year
from pipeline.pages.reports import report_context, report_figures
from pipeline.pages.page import Page, html_page


def search_record(catalogue, entry) -> dict:
    """What the search index keeps of an item besides its main content: shown
    metadata, the filters citizens narrow by, and the date to sort by."""
    meta = entry.meta
    labels = catalogue.repo.schemas.category_short_labels
    # `published` is the sort key again: the search page merges date-sorted parts of the index by it.
    shown = [("unit", entry.unit.name), ("date", entry.day), ("type", entry.type_label), ("published", entry.pubdate)]
    if isinstance(meta.get("doc_number"), str):
        shown.append(("doc_number", meta["doc_number"]))
    filters = [("单位", entry.unit.name), ("类型", entry.type_label), ("年份", f"{entry.when.year}年")]
    if meta.get("disclosure_category") in labels:
        filters.append(("公开类别", labels[meta["disclosure_category"]]))
    if entry.type == "policy" and entry.validity is not None:
        filters.append(("有效性", entry.validity))  # as shown today (policy_validity.validity_on)
    return {"meta": shown, "filters": filters, "sort": [("date", entry.pubdate)]}


def survey_state(catalogue, entry) -> str:
    return publication.survey_state(entry.item, catalogue.now)


def _withdrawn_context(entry) -> dict:
    return {"title": entry.title, "entry": entry, "withdrawn": entry.meta.get("withdrawn")}


def _context(catalogue, entry) -> dict:
    context = {"title": entry.title, "entry": entry, "search": search_record(catalogue, entry)}
    if entry.type == "policy":
        context["interpretations"] = catalogue.interpretations.get(entry.id, [])
        context["revisions"] = catalogue.history.for_path(entry.item.path)
        context["replaced_by"] = catalogue.linked([entry.meta.get("replaced_by")])
        context["replaces"] = catalogue.replacing(entry.id)
        context["categories"] = catalogue.repo.schemas.category_labels
    elif entry.type == "interpretation":
        context["policies"] = catalogue.linked(entry.meta.get("interprets"))
    elif entry.type == "service":
        context["policies"] = catalogue.linked(entry.meta.get("related_policies"))
        context["online_url"] = catalogue.online_url(entry)
        context["complaint_phone"] = catalogue.complaint_phone(entry)
    elif entry.type == "letter":
        context["reply_unit"] = catalogue.unit_info(entry.meta.get("reply_unit"))
    elif entry.type == "survey":
        context["survey_state"] = survey_state(catalogue, entry)
        context["survey_result"] = publication.survey_result(entry.item, catalogue.now)
        # Ways to take part are offered only while the survey runs; after it, the page says it is closed.
        context["survey_open"] = context["survey_state"] == "进行中"
    elif entry.type == "dataset":
        context.update(dataset_context(catalogue, entry))
    elif entry.type == "report" and is_year(entry.meta.get("year")):
        context.update(report_context(catalogue, entry))
    return context


def _related(catalogue, entry) -> set[str]:
    """Items whose titles or addresses this item's page shows."""
    # The items it names (a by-id link shows the target's address only while it is live), as the check reads them.
    out = {dep.item(i) for i in referenced_ids(entry.item)}
    if entry.type == "dataset":
        out |= {dep.file(f) for f in (published_file(entry.item, r) for r in resources(entry.item)) if f}
    if entry.type == "report" and is_year(entry.meta.get("year")):
        out.add(report_figures(catalogue, entry))  # its figures computed from content
    # A survey's state and result, and the validity shown of a policy and the policies replacing it, change
    # with time: the moments are those of the items (`Catalogue.next_change`, `site_pages.declare_moments`).
    if entry.type == "policy":
        out |= dep.shown(catalogue.interpretations.get(entry.id, [])) | dep.shown(catalogue.replacing(entry.id))
        out.add(f"history:{entry.item.path}")
    return out


def item_pages(catalogue) -> list[Page]:
    pages = []
    searchable = sum(1 for e in catalogue.entries.values() if e.status is not Status.WITHDRAWN)
    parts = part_count(searchable, pages_per_part(catalogue.repo.settings))
    for entry in sorted(catalogue.entries.values(), key=lambda e: e.url):
        if entry.status is Status.WITHDRAWN:
            pages.append(html_page(entry.url, "withdrawn.html", partial(_withdrawn_context, entry),
                                   {dep.item(entry.id)}))
            continue
        depends = {dep.item(entry.id), *_related(catalogue, entry)}
        pages.append(html_page(entry.url, f"{entry.type}.html", partial(_context, catalogue, entry), depends,
                               search=part_of(entry.url, parts)))
    return pages
