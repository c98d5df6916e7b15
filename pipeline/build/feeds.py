"""Machine-readable outputs: Atom feeds per column, sitemap.xml, robots.txt.

They list exactly the published items (never future, hidden or withdrawn
ones) because they are computed from the same `SiteModel.listed`.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50


def base_url(site: dict) -> str:
    return f"https://{site.get('domain', 'localhost')}"


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def atom_feed(model, column_id: str) -> str:
    ET.register_namespace("", ATOM)
    base = base_url(model.site)
    column = model.columns[column_id]
    entries = model.in_columns(column_id)[:FEED_SIZE]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{model.site.get('name', '')} - {column['name']}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/columns/{column_id}/"
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": f"{base}/columns/{column_id}/", "rel": "alternate"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": f"{base}/feeds/{column_id}.xml", "rel": "self"})
    updated = entries[0].when.isoformat() if entries else "2000-01-01T00:00:00+08:00"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(node, f"{{{ATOM}}}id").text = base + entry.url
        ET.SubElement(node, f"{{{ATOM}}}link", {"href": base + entry.url, "rel": "alternate"})
        ET.SubElement(node, f"{{{ATOM}}}updated").text = entry.when.isoformat()
        author = ET.SubElement(node, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = entry.unit["name"]
        summary = entry.meta.get("summary")
        if isinstance(summary, str):
            ET.SubElement(node, f"{{{ATOM}}}summary").text = summary
    return _xml(feed)


def sitemap_xml(model) -> str:
    ET.register_namespace("", SITEMAP)
    base = base_url(model.site)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    lastmod = {e.url: e.day for e in model.listed}
    for url in model.listing_urls():
        node = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(node, f"{{{SITEMAP}}}loc").text = base + url
        if url in lastmod:
            ET.SubElement(node, f"{{{SITEMAP}}}lastmod").text = lastmod[url]
    return _xml(urlset)


def robots_txt(model) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url(model.site)}/sitemap.xml\n"
