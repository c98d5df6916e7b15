"""What the header and footer of every page say besides the site's identity, and each page's description.

An official portal's frame is prescribed: the 党政机关网站标识 links to the site's record, the ICP and
public-security record numbers link to the registries that hold them, and the national “我为政府网站找错”
entry receives the address of the page a citizen reports. The addresses are settings (`portal:` in
settings.yaml over pipeline/content/defaults.yaml); which page gets which description and which address is
decided here, so that templates only print what they are given.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from pipeline.core.addresses import HOME

DESCRIPTION_CHARS = 150  # search engines show about this much; the rest would be cut mid-sentence


def portal_settings(catalogue) -> dict:
    settings = catalogue.repo.settings.get("portal")
    return settings if isinstance(settings, dict) else {}


def police_record_number(record: str) -> str:
    """The digits of a 公安备案 number as printed (“桂公网安备 45010202000123号” → 45010202000123):
    the registry's address takes the number alone."""
    return "".join(re.findall(r"[0-9]", str(record or "")))


def shell_context(catalogue) -> dict:
    """Logo, marks, record links and the 12345 entries: the same on every page."""
    site, portal = catalogue.site, portal_settings(catalogue)
    police = str(site.get("police_record", ""))
    mark_id = str(portal.get("gov_mark_id") or "")
    return {
        "logo": portal.get("logo") or None,
        "gov_mark_url": portal["gov_mark_url"].replace("{id}", quote(mark_id, safe="")) if mark_id else None,
        "icp": {"text": site.get("icp", ""), "url": portal.get("icp_url")},
        "police": {"text": police, "url": portal["police_record_url"].replace("{number}", police_record_number(police))
                   if police_record_number(police) else None},
        "letter_url": portal.get("letter_url") or None,
        "consult_url": portal.get("consult_url") or None,
    }


def page_address(catalogue, url: str) -> str:
    """The page's public address, as a citizen's browser shows it."""
    return f"https://{catalogue.site.get('domain', '')}{url}"


def correction_url(catalogue, url: str) -> str:
    """The national error-report entry for this page (the site's 网站标识码 and the page's address)."""
    template = portal_settings(catalogue)["correction_url"]
    return (template.replace("{site_code}", quote(str(catalogue.site.get("site_id_code", "")), safe=""))
            .replace("{url}", quote(page_address(catalogue, url), safe="")))


def _plain(text) -> str:
    text = " ".join(str(text or "").split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text[:DESCRIPTION_CHARS]
    stop = max(cut.rfind("。"), cut.rfind(";"), cut.rfind(","))
    return (cut[:stop] if stop > DESCRIPTION_CHARS // 2 else cut) + "……"


def site_description(catalogue) -> str:
    site = catalogue.site
    return _plain(portal_settings(catalogue).get("description")
                  or f"{site.get('name', '')}:政府信息公开、政策文件、办事服务和政民互动。")


def page_description(catalogue, url: str, context: dict) -> str:
    """<meta name="description">: an item's summary (a letter's question, or what the item is when it has
    none), a column's or unit's own words, otherwise what the page is, on this site."""
    site_name = catalogue.site.get("name", "")
    entry = context.get("entry")
    if entry is not None:
        meta = entry.meta
        text = meta.get("summary") or meta.get("question") or f"{entry.unit.name}发布的{entry.type_label}:{entry.title}。"
        return _plain(text)
    column = context.get("column")
    if isinstance(column, dict):
        return _plain(column.get("description") or f"{site_name}「{column.get('name', '')}」栏目发布的全部信息,按发布时间排列。")
    unit = context.get("unit")
    if isinstance(unit, dict) and unit.get("functions"):
        return _plain(f"{context.get('title', '')}:{unit['functions']}")  # the title: the unit's name
    title = context.get("title")
    if url == HOME or not title:
        return site_description(catalogue)
    return _plain(f"{site_name}「{title}」。{site_description(catalogue)}")


def page_shell(catalogue, url: str, context: dict) -> dict:
    """What differs from page to page in the frame: the description and the error-report address."""
    return {"description": page_description(catalogue, url, context), "correction_url": correction_url(catalogue, url)}
