"""All pages of the site, in the order they are written."""
from __future__ import annotations

from dataclasses import replace

from pipeline.core.addresses import output_name
from pipeline.pages.data import data_pages
from pipeline.pages.feeds import machine_files
from pipeline.pages.fixed import fixed_pages
from pipeline.pages.interaction import interaction_pages
from pipeline.pages.items import item_pages
from pipeline.pages.listings import column_pages, disclosure_pages, home
from pipeline.pages.page import Page, earliest, item
from pipeline.pages.policies import policy_library
from pipeline.pages.redirects import redirect_pages
from pipeline.pages.reports import report_pages
from pipeline.pages.services import service_pages
from pipeline.pages.units import unit_pages

ITEM = item("")

FAMILIES = (home, item_pages, column_pages, policy_library, disclosure_pages, service_pages, interaction_pages,
            unit_pages, data_pages, report_pages, fixed_pages, machine_files)


def content_pages(catalogue) -> list[Page]:
    """Every page except the redirects of former addresses."""
    pages: list[Page] = []
    for family in FAMILIES:
        pages += family(catalogue)
    return pages


def page_names(pages) -> set[str]:
    return {output_name(p.url) for p in pages}


def site_pages(catalogue) -> list[Page]:
    pages = content_pages(catalogue)
    return declare_moments(catalogue, pages + redirect_pages(catalogue, page_names(pages)))


def declare_moments(catalogue, pages: list[Page]) -> list[Page]:
    """Each page with the first moment its bytes change by time alone: the earliest next change
    (`Catalogue.next_change`) of the items it depends on — shown, linked, listed or counted — and
    whatever moment its family declared besides (the policy library's facets count every live policy)."""
    out = []
    for page in pages:
        moment = earliest(page.changes_at, *(catalogue.next_change(key[len(ITEM):])
                                               for key in page.depends if key.startswith(ITEM)))
        out.append(page if moment == page.changes_at else replace(page, changes_at=moment))
    return out
