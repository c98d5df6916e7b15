"""The same Markdown bodies as a Hugo site with minimal templates, and as a plain Pelican site (default
theme, no plugins): the yardsticks of issue 14's goals, built from the generated corpus.

Only titles, dates and bodies are carried over: the comparison is of the static generators' own work
(parse, convert, template, write), not of the portal's structure, which Hugo and plain Pelican lack.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>"
                            "</head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time>"
                            "{{ .Content }}</article>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}"
                          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    "index.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1>{{ end }}\n",
}


def _items(corpus: Path):
    for path in sorted((corpus / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        front, body = text[3:].split("\n---\n", 1)
        meta = yaml.safe_load(front) or {}
        if not isinstance(meta, dict) or "id" not in meta:
            continue
        folder = path.relative_to(corpus / "content").parts[0]
        yield folder, str(meta["id"]), str(meta.get("title") or meta["id"]), str(meta.get("date") or "2026-01-01"), body


def _iso(date_text: str) -> str:
    day, _, clock = date_text.partition(" ")
    return f"{day}T{clock or '09:00'}:00+08:00"


def hugo_site(corpus: Path, site: Path) -> Path:
    if site.exists():
        shutil.rmtree(site)
    (site / "content").mkdir(parents=True)
    for rel, text in HUGO_LAYOUTS.items():
        (site / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / rel).write_text(text, encoding="utf-8")
    (site / "hugo.json").write_text(json.dumps({
        "baseURL": "https://bench.yunjiang.gov.cn/", "languageCode": "zh-CN", "title": "基准", "hasCJKLanguage": True,
        "disableKinds": ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"], "pagination": {"pagerSize": 20},
        "markup": {"goldmark": {"renderer": {"unsafe": False}}}}), encoding="utf-8")
    for folder, item_id, title, date, body in _items(corpus):
        target = site / "content" / folder / f"{item_id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        front = json.dumps({"title": title, "date": _iso(date)}, ensure_ascii=False)
        target.write_text(f"{front}\n\n{body}", encoding="utf-8")
    return site


def pelican_site(corpus: Path, site: Path) -> Path:
    if site.exists():
        shutil.rmtree(site)
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(
        "SITENAME = '基准'\nSITEURL = ''\nTIMEZONE = 'Asia/Shanghai'\nDEFAULT_LANG = 'zh'\nPATH = 'content'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\n"
        "AUTHOR_FEED_RSS = None\nDEFAULT_PAGINATION = 20\nPLUGINS = []\nARTICLE_URL = '{category}/{slug}/'\n"
        "ARTICLE_SAVE_AS = '{category}/{slug}/index.html'\n", encoding="utf-8")
    for folder, item_id, title, date, body in _items(corpus):
        target = site / "content" / folder / f"{item_id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"Title: {title}\nDate: {date}\nSlug: {item_id}\nCategory: {folder}\n\n{body}", encoding="utf-8")
    return site
