"""Markdown to safe HTML, as a pure function: same text and same addresses, same bytes.

The check already rejects unsafe markup; nh3 (Ammonia) is the second line of
defence, so a rule that misses something still cannot put script on the site.
By-id links (`item:ID`, `unit:ID`) and repository files become addresses
here, through the one link parser (`pipeline.core.links`) and the one address
scheme (`pipeline.core.addresses`). `render_markdown` returns the HTML together with
the files and items it links, and keeps no state between calls: a build that keeps converted texts
hands its `HtmlCache.convert` in as `convert`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Collection

import markdown
import nh3

from pipeline.core.addresses import file_url, unit_url
from pipeline.core.links import ITEM_SCHEME, UNIT_SCHEME, file_target_path, is_file_target, link_targets, split_item_target

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

# One converter, reset before each use: building one costs more than converting a short text.
_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")


@dataclass
class HtmlCache:
    """Converted Markdown by the hash of its text (after by-id links became addresses).

    Conversion is most of a page's rendering time and a pure function of that text and of this
    module's code, so a rebuild converts only the texts it has not seen. `entries` come from the
    previous build (`pipeline.site.build_cache`); `used` is what this build needed, kept for the next.
    """

    entries: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    def convert(self, source: str) -> str:
        key = hashlib.blake2b(source.encode("utf-8"), digest_size=20).hexdigest()
        html = self.entries.get(key)
        if html is None:
            html = to_html(source)
        self.used[key] = html
        return html


def converter_version() -> str:
    """What a cached conversion is only valid for: this module's code and the converter and sanitiser versions."""
    from importlib.metadata import version
    from pathlib import Path

    code = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=12).hexdigest()
    return f"{code}-markdown{version('markdown')}-nh3{version('nh3')}"


@dataclass(frozen=True)
class Rendered:
    html: str
    files: tuple[str, ...]  # repository files (relative to content/) the text links or shows
    items: tuple[str, ...]  # ids of the items it links by id (published or not)


def render_markdown(text: str, resolve_item: Callable[[str], str | None], units: Collection[str],
                    convert: Callable[[str], str] | None = None) -> Rendered:
    """`resolve_item(id)` gives the address of a published item, or None (its link keeps only its words);
    `convert` turns the text, its links made addresses, into HTML (`to_html`, or a cache of its results)."""
    text = text or ""
    files: list[str] = []
    items: list[str] = []
    pieces = []
    at = 0
    for link in link_targets(text):
        if not link.rewritable or link.start < at:
            continue
        target = link.target
        if target.startswith(ITEM_SCHEME):
            ident, fragment = split_item_target(target)
            items.append(ident)
            url = resolve_item(ident)
            new = (url + fragment) if url else DEAD_LINK
        elif target.startswith(UNIT_SCHEME):
            ident = target[len(UNIT_SCHEME):]
            new = unit_url(ident) if ident in units else DEAD_LINK
        elif is_file_target(target):
            new = file_url(target)
            files.append(file_target_path(target))
        else:
            continue
        pieces += [text[at:link.start], new]
        at = link.end
    source = "".join(pieces) + text[at:]
    html = (convert or to_html)(source)
    return Rendered(html, tuple(dict.fromkeys(files)), tuple(dict.fromkeys(items)))


def to_html(source: str) -> str:
    _MARKDOWN.reset()
    html = _MARKDOWN.convert(source)
    html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                     link_rel=None)
    # A link to an unpublished item keeps its words but loses its target.
    html = re.sub(r'<a href="#unpublished"[^>]*>(.*?)</a>', r"\1", html)
    # A wide table scrolls inside its own region on a phone; the region takes keyboard
    # focus so that keyboard users can scroll it too (WCAG 2.1.1). Added after sanitising.
    return html.replace("<table>", TABLE_OPEN).replace("</table>", "</table></div>")
