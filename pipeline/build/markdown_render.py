"""Markdown to safe HTML.

The check already rejects unsafe markup; nh3 (Ammonia) is the second line of
defence, so a rule that misses something still cannot put script on the site.
By-id links (`item:ID`) become URLs here, the only place that knows them.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

import markdown
import nh3

from ..links import ITEM_SCHEME, LINK_TARGET, UNIT_SCHEME, is_file_target, split_item_target
from .urls import file_url, unit_url

TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "mark", "ol", "p", "pre", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
DEAD_LINK = "#unpublished"
TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="表格(可左右滚动)"><table>'


class MarkdownRenderer:
    """One renderer per build; `resolve(item_id)` gives a URL or None (not published)."""

    def __init__(self, resolve_item, known_units):
        self._md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
        self._resolve_item = resolve_item
        self._units = known_units
        self.files: set[str] = set()  # repository files (relative to content/) the rendered text links or shows

    def _target(self, match: re.Match) -> str:
        target = match.group(1)
        if target.startswith(ITEM_SCHEME):
            ident, fragment = split_item_target(target)
            url = self._resolve_item(ident)
            new = (url + fragment) if url else DEAD_LINK
        elif target.startswith(UNIT_SCHEME):
            ident = target[len(UNIT_SCHEME):]
            new = unit_url(ident) if ident in self._units else DEAD_LINK
        elif is_file_target(target):
            new = file_url(target)
            self.files.add(unquote(re.split(r"[?#]", target, maxsplit=1)[0]).lstrip("/"))
        else:
            return match.group(0)
        return match.group(0).replace(target, new, 1)

    def render(self, text: str) -> str:
        source = LINK_TARGET.sub(self._target, text or "")
        self._md.reset()
        html = self._md.convert(source)
        html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                         link_rel=None)
        # A link to an unpublished item keeps its words but loses its target.
        html = re.sub(r'<a href="#unpublished"[^>]*>(.*?)</a>', r"\1", html)
        # A wide table scrolls inside its own region on a phone; the region takes keyboard
        # focus so that keyboard users can scroll it too (WCAG 2.1.1). Added after sanitising.
        return html.replace("<table>", TABLE_OPEN).replace("</table>", "</table></div>")
