"""Interaction (政民互动, Art. 18-23): letters, surveys and interviews."""
from __future__ import annotations

from functools import partial

from pipeline.core.addresses import INTERACTION
from pipeline.pages import page as dep
from pipeline.pages.items import survey_state
from pipeline.pages.page import Page, html_page

LETTERS_SHOWN = 10


def _context(catalogue) -> dict:
    surveys = catalogue.listed_of("survey")
    return {
        "title": "政民互动",
        "more": {t: catalogue.column_for_type(t) for t in ("letter", "survey", "interview")},
        "letters": catalogue.listed_of("letter")[:LETTERS_SHOWN], "surveys": surveys,
        "interviews": catalogue.listed_of("interview"),
        "states": {e.id: survey_state(catalogue, e) for e in surveys}}


def interaction_pages(catalogue) -> list[Page]:
    held = catalogue.listed_of("letter")[:LETTERS_SHOWN] + catalogue.listed_of("survey") \
        + catalogue.listed_of("interview")
    # The surveys' states change with time: the moment comes with each survey (site_pages.declare_moments).
    return [html_page(INTERACTION, "interaction.html", partial(_context, catalogue),
                      dep.shown(held) | {dep.listing("interaction", dep.ids(held))})]
