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
    shown = dep.shown(catalogue.listed_of("letter")[:LETTERS_SHOWN]) | dep.shown(catalogue.listed_of("survey")) \
        | dep.shown(catalogue.listed_of("interview"))
    return [html_page(INTERACTION, "interaction.html", partial(_context, catalogue),
                      shown | {dep.listing("interaction"), "now"})]
