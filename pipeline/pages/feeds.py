"""Machine-readable files: Atom feeds per column, sitemap.xml, robots.txt.

They list exactly the live items (never scheduled, unpublished or withdrawn
ones) because they read the same catalogue as every listing page.
"""
from __future__ import annotations

from functools import partial
from xml.etree import ElementTree as ET

from pipeline.core.addresses import ROBOTS, SITEMAP, SITEMAP_XML, column_url, feed_url, unit_url
from pipeline.pages import page as dep
from pipeline.pages.fixed import sitemap_sections
from pipeline.pages.page import Page, text_file

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50


def base_url(site: dict) -> str:
    return f"https://{site.get('domain', 'localhost')}"


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def atom_feed(catalogue, column_id: str) -> str:
    ET.register_namespace("", ATOM)
    base = base_url(catalogue.site)
    column = catalogue.columns[column_id]
    entries = catalogue.in_columns(column_id)[:FEED_SIZE]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{catalogue.site.get('name', '')} - {column['name']}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = base + column_url(column_id)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": base + column_url(column_id), "rel": "alternate"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": base + feed_url(column_id), "rel": "self"})
    updated = entries[0].when.isoformat() if entries else "2000-01-01T00:00:00+08:00"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(node, f"{{{ATOM}}}id").text = base + entry.url
        ET.SubElement(node, f"{{{ATOM}}}link", {"href": base + entry.url, "rel": "alternate"})
        ET.SubElement(node, f"{{{ATOM}}}updated").text = entry.when.isoformat()
        author = ET.SubElement(node, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = entry.unit.name
        summary = entry.meta.get("summary")
        if isinstance(summary, str):
            ET.SubElement(node, f"{{{ATOM}}}summary").text = summary
    return _xml(feed)


def listing_urls(catalogue) -> list[str]:
    """Every URL the sitemap lists: section pages, unit pages and live items."""
    urls = {s["url"] for s in sitemap_sections(catalogue)} | {SITEMAP}
    urls |= {unit_url(u) for u in catalogue.units}
    return sorted(urls) + [e.url for e in sorted(catalogue.listed, key=lambda e: e.url)]


def sitemap_xml(catalogue) -> str:
    ET.register_namespace("", SITEMAP_NS)
    base = base_url(catalogue.site)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    lastmod = {e.url: e.day for e in catalogue.listed}
    for url in listing_urls(catalogue):
        node = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = base + url
        if url in lastmod:
            ET.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = lastmod[url]
    return _xml(urlset)


def robots_txt(catalogue) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url(catalogue.site)}{SITEMAP_XML}\n"


def machine_files(catalogue) -> list[Page]:
    every = dep.listing("all", [(e.url, e.day) for e in catalogue.listed])
    pages = [text_file(SITEMAP_XML, partial(sitemap_xml, catalogue), {every, dep.COLUMNS, dep.UNITS}),
             text_file(ROBOTS, partial(robots_txt, catalogue))]
    for column_id in sorted(catalogue.columns):
        entries = catalogue.in_columns(column_id)[:FEED_SIZE]
        pages.append(text_file(feed_url(column_id), partial(atom_feed, catalogue, column_id),
                               dep.shown(entries) | {dep.listing(f"feed:{column_id}", dep.ids(entries)), dep.COLUMNS}))
    return pages
