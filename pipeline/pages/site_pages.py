"""All pages of the site, in the order they are written."""
from __future__ import annotations

from pipeline.core.addresses import output_name
from pipeline.pages.data import data_pages
from pipeline.pages.feeds import machine_files
from pipeline.pages.fixed import fixed_pages
from pipeline.pages.interaction import interaction_pages
from pipeline.pages.items import item_pages
from pipeline.pages.listings import column_pages, disclosure_pages, home
from pipeline.pages.page import Page
from pipeline.pages.policies import policy_library
from pipeline.pages.redirects import redirect_pages
from pipeline.pages.reports import report_pages
from pipeline.pages.services import service_pages
from pipeline.pages.units import unit_pages

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
    return pages + redirect_pages(catalogue, page_names(pages))
