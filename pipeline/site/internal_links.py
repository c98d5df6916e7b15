"""The internal link check of a built site, and the third-party asset screen.

Every `href`/`src` on every HTML page of `output/` that stays on the site must
name a file that exists there; no page may load an asset (script, stylesheet,
image, media, frame) from another host. The build runs this on its staging
directory before the swap, and the daily audit runs it on the live output;
both get the same `Diagnostic`s.

Pages are parsed with libxml2's HTML parser (lxml), which recovers from
malformed markup as browsers do.
"""
from __future__ import annotations

import multiprocessing
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity

BROKEN = "GK-LINK-001"  # an internal link or asset reference names no file of the site
FOREIGN_ASSET = "GK-LINK-002"  # a page loads a script, stylesheet, image, media or frame from another host
CODES = {
    BROKEN: "站内链接或资源引用指向不存在的文件",
    FOREIGN_ASSET: "页面从其他网站加载脚本、样式、图片、音视频或框架",
}

# Attributes that make the browser fetch something when the page loads:
# (tag, attribute). <a href> and <link rel=alternate/canonical> are links, not assets.
ASSET_ATTRIBUTES = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("audio", "src"), ("video", "src"),
    ("video", "poster"), ("source", "src"), ("source", "srcset"), ("track", "src"), ("iframe", "src"),
    ("frame", "src"), ("embed", "src"), ("object", "data"), ("input", "src"),
}
ASSET_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload",
                   "manifest", "mask-icon"}
LINK_ATTRIBUTES = {("a", "href"), ("area", "href"), ("link", "href"), ("form", "action")}


class Reference(NamedTuple):
    """One URL a page names, with where it sits in the page (a tuple: a 10,000-page site has 350,000)."""

    tag: str
    attribute: str
    url: str
    line: int
    asset: bool  # fetched when the page loads (as opposed to a link a reader may follow)


TAGS = tuple({tag for tag, _ in ASSET_ATTRIBUTES | LINK_ATTRIBUTES} | {"meta"})
# libxml2's HTML parser (through lxml, already a dependency of the stack): the standard library's
# pure-Python parser spent 80 % of a 10,000-page check in its tokenizer.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)


def parse_page(html: str | bytes) -> tuple[list[Reference], set[str]]:
    """The references a page makes and the fragment anchors (ids) it offers."""
    data = html.encode("utf-8") if isinstance(html, str) else html
    root = etree.fromstring(data, _PARSER) if data.strip() else None
    if root is None:
        return [], set()
    references: list[Reference] = []
    for element in root.iter(*TAGS):
        tag, values, line = element.tag, element.attrib, element.sourceline or 1
        if tag == "meta":
            if (values.get("http-equiv") or "").lower() == "refresh":
                _, _, target = (values.get("content") or "").partition("url=")
                if target.strip():
                    references.append(Reference(tag, "content", target.strip(), line, False))
            continue
        for attribute, value in values.items():
            key = (tag, attribute)
            if key in ASSET_ATTRIBUTES:
                urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] if attribute == "srcset" else [value]
                references.extend(Reference(tag, attribute, u, line, True) for u in urls)
            elif key in LINK_ATTRIBUTES:
                rels = set((values.get("rel") or "").lower().split())
                references.append(Reference(tag, attribute, value, line, tag == "link" and bool(rels & ASSET_LINK_RELS)))
    anchors = {str(a) for a in root.xpath("//@id | //a/@name") if a}
    return references, anchors


def is_external(url: str, own_hosts=()) -> bool:
    """True for a URL naming another host (http, https or protocol-relative)."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False  # mailto:, tel:, data: are not requests to another host
    if not parts.netloc:
        return False
    return parts.hostname not in {h.lower() for h in own_hosts}


def is_internal(url: str, own_hosts=()) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") or parts.netloc:
        return bool(parts.netloc) and parts.hostname in {h.lower() for h in own_hosts}
    return not parts.scheme  # a path (absolute or relative) or a bare fragment


# A site's pages name the same few thousand URLs over and over (navigation, footer, columns).
_external = lru_cache(maxsize=65536)(is_external)
_internal = lru_cache(maxsize=65536)(is_internal)


def _target(page: str, url: str) -> tuple[str | None, str]:
    """The path relative to output/ that `url` seen on `page` names (None when it leaves the site), and its fragment."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        target = page  # a bare fragment or query: this page
    elif path.startswith("/"):
        target = path.lstrip("/")
        if path.endswith("/"):
            target += "index.html"
    else:
        base = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
        target = base + path + ("index.html" if path.endswith("/") else "")
    segments: list[str] = []
    for segment in target.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not segments:
                return None, parts.fragment
            segments.pop()
        else:
            segments.append(segment)
    return "/".join(segments) or "index.html", parts.fragment


def resolve(output: Path, page: str, url: str) -> tuple[Path | None, str]:
    """The file of output/ that `url` (seen on page `page`, a path relative to output/) names, and its fragment.

    None when the URL leaves the site's directory. The file may not exist.
    """
    rel, fragment = _target(page, url)
    if rel is None:
        return None, fragment
    candidate = output / rel
    if candidate.is_dir():
        candidate = candidate / "index.html"  # what a static server answers for /dir
    return candidate, fragment


def html_pages(output: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to output/, sorted."""
    return SiteIndex(output).pages


class SiteIndex:
    """A built site's files, listed once, and its pages, each parsed once.

    Paths are strings relative to output/: at 10,000 pages, Path objects and a
    stat per reference cost more than the parsing.
    """

    def __init__(self, output: Path, skip: tuple[str, ...] = (), files: Iterable[str] | None = None):
        """`skip`: top-level folders no page is expected to link into (the search bundle, as many files as the
        pages): not listed, a reference into one is looked up on disk. `files`: every other file the folder
        holds, when the caller made it and knows (a build: what it wrote and kept), instead of listing it."""
        self.output = Path(output)
        self.files: set[str] = set()
        self.dirs: set[str] = set()
        self.skipped = frozenset(skip)
        if files is not None:
            self.files = set(files)
            for name in self.files:
                cut = name.rfind("/")
                while cut > 0 and name[:cut] not in self.dirs:
                    self.dirs.add(name[:cut])
                    cut = name.rfind("/", 0, cut)
            self.dirs.update(name for name in self.skipped if (self.output / name).is_dir())
        folders = [] if files is not None else [(str(self.output), "")]
        while folders:  # scandir's entries know their type without a stat per file
            folder, prefix = folders.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir():
                        self.dirs.add(prefix + entry.name)
                        if not entry.is_symlink() and (prefix or entry.name not in self.skipped):
                            folders.append((entry.path, prefix + entry.name + "/"))
                    elif entry.is_file():
                        self.files.add(prefix + entry.name)
        self.pages = sorted(f for f in self.files if f.endswith(".html"))
        self._parsed: dict[str, tuple[list[Reference], set[str]]] = {}
        self._resolved: dict[tuple[str, str], tuple[str | None, str]] = {}

    def page(self, rel: str) -> tuple[list[Reference], set[str]]:
        if rel not in self._parsed:
            self._parsed[rel] = parse_page((self.output / rel).read_bytes())
        return self._parsed[rel]

    def resolve(self, page: str, url: str) -> tuple[str | None, str]:
        """The site path `url` on `page` names, as a static server maps it (a folder to its index.html), cached."""
        key = ("/", url) if url.startswith("/") else (page.rpartition("/")[0], url)
        found = self._resolved.get(key)
        if found is None:
            rel, fragment = _target(page, url)
            if rel is not None and rel in self.dirs:
                rel += "/index.html"
            found = self._resolved[key] = (rel, fragment)
        return found

    def is_file(self, rel: str | None) -> bool:
        if rel in self.files:
            return True
        return rel is not None and rel.split("/", 1)[0] in self.skipped and (self.output / rel).is_file()


def check_links(output: Path, own_hosts=(), prefix: str = "output/", index: SiteIndex | None = None,
                pages: list[str] | None = None, parallel: bool = False) -> list[Diagnostic]:
    """Broken internal references and third-party assets on every HTML page of `output` (or on `pages`).

    `own_hosts` are the site's own domains (an absolute URL to them is internal);
    `prefix` is put before page paths in diagnostics (where output/ sits in the repository).
    `parallel`: the pages are parsed in forked workers, one per core (a large site; `index` then keeps
    none of them parsed, so a caller that reads them again after the check leaves it False).
    """
    output = Path(output)
    index = index or SiteIndex(output)
    hosts = tuple(own_hosts)
    todo = index.pages if pages is None else pages
    processes = _processes() if parallel else 1
    if processes < 2 or len(todo) < PARALLEL_FROM:
        return sorted(_check_pages(index, hosts, prefix, todo))
    global _JOB
    _JOB = (index, hosts, prefix, todo, processes)  # inherited by the forked workers, never pickled
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_check_share, range(processes))
    finally:
        _JOB = None
    return sorted(d for part in parts for d in part)


PARALLEL_FROM = 2000  # pages below which forking costs more than parsing on one core saves
_JOB = None


def _processes() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    from pipeline.site.write_pages import workers

    return workers()


def _check_share(k: int) -> list[Diagnostic]:
    index, hosts, prefix, todo, n = _JOB
    return _check_pages(index, hosts, prefix, todo[k::n])


def _check_pages(index: SiteIndex, hosts: tuple, prefix: str, todo: list[str]) -> list[Diagnostic]:
    out = []
    for rel in todo:
        references, _ = index.page(rel)
        for ref in references:
            if ref.asset and _external(ref.url, hosts):
                out.append(Diagnostic(prefix + rel, ref.line, 0, FOREIGN_ASSET, Severity.ERROR,
                                      f"<{ref.tag} {ref.attribute}> 从其他网站加载「{ref.url}」:字体、脚本、样式和图片都必须由本站提供。"))
                continue
            if not _internal(ref.url, hosts):
                continue
            target, fragment = index.resolve(rel, ref.url)
            if not index.is_file(target):
                out.append(Diagnostic(prefix + rel, ref.line, 0, BROKEN, Severity.ERROR,
                                      f"<{ref.tag} {ref.attribute}>「{ref.url}」指向的页面或文件不存在。"))
            elif fragment and target.endswith(".html"):
                _, anchors = index.page(target)
                if fragment not in anchors:
                    out.append(Diagnostic(prefix + rel, ref.line, 0, BROKEN, Severity.ERROR,
                                          f"<{ref.tag} {ref.attribute}>「{ref.url}」指向的页面没有锚点「#{fragment}」。"))
    return out

