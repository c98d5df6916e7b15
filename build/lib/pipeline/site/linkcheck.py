"""The internal link check of a built site, and the third-party asset screen.

Every `href`/`src` on every HTML page of `output/` that stays on the site must
name a file that exists there; no page may load an asset (script, stylesheet,
image, media, frame) from another host. The build runs this on its staging
directory before the swap, and the daily audit runs it on the live output;
both get the same `Diagnostic`s.

Only the standard library's HTML parser is used, so the check has no
dependency beyond the pipeline's own.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, Severity

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


@dataclass(frozen=True)
class Reference:
    """One URL a page names, with where it sits in the page."""

    tag: str
    attribute: str
    url: str
    line: int
    asset: bool  # fetched when the page loads (as opposed to a link a reader may follow)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []
        self.anchors: set[str] = set()
        self.refresh: list[Reference] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        line = self.getpos()[0]
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.anchors.add(values[name])
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            _, _, target = (values.get("content") or "").partition("url=")
            if target.strip():
                self.references.append(Reference(tag, "content", target.strip(), line, False))
        for attribute, value in attrs:
            if value is None:
                continue
            key = (tag, attribute)
            if key in ASSET_ATTRIBUTES:
                urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] if attribute == "srcset" else [value]
                self.references.extend(Reference(tag, attribute, u, line, True) for u in urls)
            elif key in LINK_ATTRIBUTES:
                rels = set((values.get("rel") or "").lower().split())
                self.references.append(Reference(tag, attribute, value, line, tag == "link" and bool(rels & ASSET_LINK_RELS)))


def parse_page(html: str) -> tuple[list[Reference], set[str]]:
    """The references a page makes and the fragment anchors (ids) it offers."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.references, parser.anchors


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


def resolve(output: Path, page: str, url: str) -> tuple[Path | None, str]:
    """The file of output/ that `url` (seen on page `page`, a path relative to output/) names, and its fragment.

    None when the URL leaves the site's directory. The file may not exist.
    """
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
    segments = []
    for segment in target.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not segments:
                return None, parts.fragment
            segments.pop()
        else:
            segments.append(segment)
    candidate = output.joinpath(*segments) if segments else output / "index.html"
    if candidate.is_dir():
        candidate = candidate / "index.html"  # what a static server answers for /dir
    return candidate, parts.fragment


def html_pages(output: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to output/, sorted."""
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html") if p.is_file())


class SiteIndex:
    """Parsed pages of a built site, each parsed once."""

    def __init__(self, output: Path):
        self.output = Path(output)
        self._parsed: dict[str, tuple[list[Reference], set[str]]] = {}
        self._files: dict[Path, bool] = {}
        self._resolved: dict[tuple[str, str], tuple[Path | None, str]] = {}

    def page(self, rel: str) -> tuple[list[Reference], set[str]]:
        if rel not in self._parsed:
            self._parsed[rel] = parse_page((self.output / rel).read_text(encoding="utf-8"))
        return self._parsed[rel]

    def resolve(self, page: str, url: str) -> tuple[Path | None, str]:
        """`resolve()` for a reference on `page`, cached (absolute paths resolve alike from every page)."""
        base = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
        key = ("/", url) if url.startswith("/") else (base, url)
        if key not in self._resolved:
            self._resolved[key] = resolve(self.output, page, url)
        return self._resolved[key]

    def is_file(self, path: Path | None) -> bool:
        """Whether `path` is a file of the site (cached: every page names the same navigation targets)."""
        if path is None:
            return False
        if path not in self._files:
            self._files[path] = path.is_file()
        return self._files[path]


def check_links(output: Path, own_hosts=(), prefix: str = "output/", index: SiteIndex | None = None) -> list[Diagnostic]:
    """Broken internal references and third-party assets on every HTML page of `output`.

    `own_hosts` are the site's own domains (an absolute URL to them is internal);
    `prefix` is put before page paths in diagnostics (where output/ sits in the repository).
    """
    output = Path(output)
    index = index or SiteIndex(output)
    out = []
    for rel in html_pages(output):
        references, _ = index.page(rel)
        for ref in references:
            if ref.asset and is_external(ref.url, own_hosts):
                out.append(Diagnostic(prefix + rel, ref.line, 0, FOREIGN_ASSET, Severity.ERROR,
                                      f"<{ref.tag} {ref.attribute}> 从其他网站加载「{ref.url}」:字体、脚本、样式和图片都必须由本站提供。"))
                continue
            if not is_internal(ref.url, own_hosts):
                continue
            target, fragment = index.resolve(rel, ref.url)
            if not index.is_file(target):
                out.append(Diagnostic(prefix + rel, ref.line, 0, BROKEN, Severity.ERROR,
                                      f"<{ref.tag} {ref.attribute}>「{ref.url}」指向的页面或文件不存在。"))
            elif fragment and target.suffix == ".html":
                _, anchors = index.page(target.relative_to(output).as_posix())
                if fragment not in anchors:
                    out.append(Diagnostic(prefix + rel, ref.line, 0, BROKEN, Severity.ERROR,
                                          f"<{ref.tag} {ref.attribute}>「{ref.url}」指向的页面没有锚点「#{fragment}」。"))
    return sorted(out)


def reachable_pages(output: Path, start: str = "index.html", own_hosts=(), index: SiteIndex | None = None) -> set[str]:
    """HTML pages (relative to output/) a reader reaches by following links from `start`."""
    output = Path(output)
    index = index or SiteIndex(output)
    seen = {start}
    queue = deque([start])
    while queue:
        rel = queue.popleft()
        references, _ = index.page(rel)
        for ref in references:
            if ref.asset or not is_internal(ref.url, own_hosts):
                continue
            target, _ = index.resolve(rel, ref.url)
            if not index.is_file(target) or target.suffix != ".html":
                continue
            name = target.relative_to(output).as_posix()
            if name not in seen:
                seen.add(name)
                queue.append(name)
    return seen
