"""The site as a catalogue of pages: every page the portal writes, with its address and dependencies.

Page builders come in families (one module each): item pages, column listings
and the home page, the policy library, government information disclosure,
services, interaction, units, fixed pages (site map, 404, search), feeds and
machine-readable files, and the redirects of former addresses. Each returns
`Page`s that declare what they depend on; a page's context (or text) is
computed only when the page is written, so listing every address, as the
former-address rule does, costs no rendering.

`site_pages(catalogue)` is the one list, used by the build and by the rules.
"""
from __future__ import annotations

from pipeline.pages.page import Page
from pipeline.pages.site_pages import content_pages, page_names, site_pages

__all__ = ["Page", "content_pages", "page_names", "site_pages"]
