"""`gongkai linkcheck`: the links of the built site, grouped by the unit responsible for each page.

Internal links are checked in-process over the built files (`pipeline.site.internal_links`, the build's
own check). External links are fetched by LinkChecker (PyPI `linkchecker`, run as its command line):
the distinct external addresses not confirmed recently are listed on one page served on 127.0.0.1,
and LinkChecker follows exactly those one level deep, with a per-connection timeout, a bounded
number of threads and a per-host request rate, so one dead host cannot stall the job. Crawling the
site's own pages with LinkChecker as well would repeat the internal check at many times its cost.

Results are cached (a JSON file): an address that answered within `cache_days` is not fetched
again. Each failure is classified, because they call for different actions:

- GK-LINK-010 the page is gone (the server answered 4xx or 5xx): fix or remove the link;
- GK-LINK-011 the host does not answer (refused, timed out, TLS failure): check again, then fix;
- GK-LINK-012 the host name does not resolve: the domain may have lapsed;
- GK-LINK-013 this machine cannot resolve host names at all (the probe name, `www.gov.cn` by
  default, does not resolve): names that fail are not blamed on anyone and not cached; the report
  says once that their state is unknown.
"""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.core.addresses import output_name
from pipeline.core.site_items import Catalogue
from pipeline.site.internal_links import SiteIndex, check_links, html_pages, is_external
from pipeline.audit.findings import INSPECTION, MEASURES, Finding, Level

GONE, UNREACHABLE, UNRESOLVED, OFFLINE = "GK-LINK-010", "GK-LINK-011", "GK-LINK-012", "GK-LINK-013"
CODES = {
    GONE: "外部链接指向的页面已不存在(服务器返回错误)",
    UNREACHABLE: "外部链接的网站无法连接(拒绝连接或超时)",
    UNRESOLVED: "外部链接的域名无法解析",
    OFFLINE: "本机无法访问外网,外部链接未能检查",
}
SOURCE = f"{MEASURES}第三十一条;{INSPECTION}(链接可用性)"


@dataclass(frozen=True)
class LinkUse:
    page: str  # relative to the site folder
    line: int


@dataclass(frozen=True)
class Outcome:
    ok: bool
    kind: str  # ok, gone, unreachable, unresolved
    result: str  # what LinkChecker said
    checked: str  # ISO time


def external_links(site: Path, own_hosts=(), index: SiteIndex | None = None) -> dict[str, list[LinkUse]]:
    """Every distinct external address a reader can follow (<a href>), with the pages that hold it."""
    index = index or SiteIndex(site)
    out: dict[str, list[LinkUse]] = {}
    for rel in html_pages(site):
        references, _ = index.page(rel)
        for ref in references:
            if ref.tag in ("a", "area") and not ref.asset and is_external(ref.url, own_hosts) \
                    and urlsplit(ref.url).scheme in ("http", "https"):
                out.setdefault(ref.url.split("#", 1)[0], []).append(LinkUse(rel, ref.line))
    return out


def classify(result: str, valid: bool) -> str:
    if valid:
        return "ok"
    text = result.lower()
    if "nameresolution" in text or "failed to resolve" in text or "name or service not known" in text \
            or "nodename nor servname" in text or "temporary failure in name resolution" in text:
        return "unresolved"
    if text[:3].isdigit():
        return "gone"
    return "unreachable"


class LinkCache:
    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, dict] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self.entries = {}

    def fresh(self, url: str, now: datetime, days: int) -> Outcome | None:
        entry = self.entries.get(url)
        if not isinstance(entry, dict) or not entry.get("ok"):
            return None  # failures are always checked again
        try:
            checked = datetime.fromisoformat(entry["checked"])
        except (KeyError, TypeError, ValueError):
            return None
        if now - checked > timedelta(days=days):
            return None
        return Outcome(True, "ok", str(entry.get("result") or ""), entry["checked"])

    def store(self, url: str, outcome: Outcome) -> None:
        self.entries[url] = {"ok": outcome.ok, "kind": outcome.kind, "result": outcome.result, "checked": outcome.checked}

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.entries, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")


def run_linkchecker(urls: list[str], *, timeout: int = 10, threads: int = 8, per_host_rate: float = 2.0) -> dict[str, tuple[bool, str]]:
    """LinkChecker's verdict on each address: (valid, result text)."""
    if not urls:
        return {}
    with tempfile.TemporaryDirectory(prefix="gongkai-links-") as tmp:
        folder = Path(tmp)
        items = "".join(f'<li><a href="{escape(u, quote=True)}">{escape(u)}</a></li>\n' for u in urls)
        (folder / "index.html").write_text(f"<!doctype html><meta charset=utf-8><title>外部链接</title><ul>\n{items}</ul>\n",
                                           encoding="utf-8")
        config = folder / "linkcheckerrc"
        config.write_text(f"[checking]\nthreads={threads}\ntimeout={timeout}\nmaxrequestspersecond={per_host_rate}\n"
                          f"recursionlevel=1\n[filtering]\ncheckextern=1\n", encoding="utf-8")
        handler = partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            start = f"http://127.0.0.1:{server.server_address[1]}/index.html"
            done = subprocess.run([sys.executable, "-m", "linkcheck", "-f", str(config), "--no-status", "--verbose", "-o", "csv",
                                   "--check-extern", "-r", "1", start], capture_output=True, text=True,
                                  env={**os.environ, "HOME": tmp}, timeout=max(120, timeout * (len(urls) + 4)))
        finally:
            server.shutdown()
            server.server_close()
    verdicts: dict[str, tuple[bool, str]] = {}
    rows = [line for line in done.stdout.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        url = row.get("urlname") or ""
        if url in urls:
            verdicts[url] = (row.get("valid") == "True", row.get("result") or "")
    return verdicts


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_units(repo, now: datetime) -> tuple[dict[str, str], str]:
    """Which unit answers for each page (relative to the site folder), and the site's host unit."""
    catalogue = Catalogue(repo, now)
    owners = {output_name(entry.url): entry.unit.id for entry in catalogue.entries.values()}
    host = repo.host_unit
    return owners, host


class _Owners:
    """Page → unit, worked out on the first question (a clean site never asks)."""

    def __init__(self, compute):
        self._compute, self._owners = compute, None

    def get(self, page: str, default: str) -> str:
        if self._owners is None:
            self._owners = self._compute()
        return self._owners.get(page, default)


def resolves(host: str) -> bool:
    import socket

    try:
        return bool(socket.getaddrinfo(host, 443))
    except (OSError, UnicodeError):
        return False


def check_site(repo, site: Path, now: datetime, *, external: bool, cache: LinkCache, cache_days: int = 7,
               prefix: str = "output/", checker=None, probe_host: str = "www.gov.cn", items=None) -> list[Finding]:
    """Findings of the internal and (with `external`) external link checks of the built `site`.

    `repo` needs only its governance and unit records; the items, which say which unit answers for
    each page, come from `items()` (default: `repo` itself) and are loaded only when a link is broken.
    """
    index = SiteIndex(site)
    host = repo.host_unit
    owners = _Owners(lambda: page_units(items() if items else repo, now)[0])
    out: list[Finding] = []
    for diagnostic in check_links(site, (str(repo.site.get("domain") or ""),), prefix, index):
        page = diagnostic.path[len(prefix):]
        out.append(Finding(Level.ISSUE, diagnostic.code, owners.get(page, host), "", SOURCE, diagnostic.message,
                           diagnostic.path, diagnostic.line))
    if not external:
        return out
    links = external_links(site, (str(repo.site.get("domain") or ""),), index)
    outcomes: dict[str, Outcome] = {}
    to_fetch = []
    for url in sorted(links):
        cached = cache.fresh(url, now, cache_days)
        if cached is not None:
            outcomes[url] = cached
        else:
            to_fetch.append(url)
    stamp = now.isoformat()
    # Names are resolved here first, once per host: a host that does not resolve needs no fetching,
    # and its addresses never wait in LinkChecker's per-host queue.
    named = {host: resolves(host) for host in {urlsplit(u).hostname or "" for u in to_fetch}}
    reachable = [u for u in to_fetch if named.get(urlsplit(u).hostname or "")]
    for url in to_fetch:
        if url not in reachable:
            outcomes[url] = Outcome(False, "unresolved", "域名无法解析", stamp)
    for url, (valid, result) in (checker or run_linkchecker)(reachable).items():
        outcomes[url] = Outcome(valid, classify(result, valid), result, stamp)
    offline = any(not ok for ok in named.values()) and not resolves(probe_host)
    unknown = {u for u in to_fetch if offline and u in outcomes and outcomes[u].kind == "unresolved"}
    if unknown:
        out.append(Finding(Level.WARNING, OFFLINE, "", "", SOURCE,
                           f"运行检查的机器无法解析域名(连 {probe_host} 也解析不了):{len(unknown)} 个外部链接的状态未知,"
                           f"不是链接失效,也没有记入缓存。请在能访问外网的运行器上检查。"))
    for url in to_fetch:
        if url in outcomes and url not in unknown:
            cache.store(url, outcomes[url])
        if url in unknown:
            del outcomes[url]
    labels = {"gone": (GONE, "已失效(服务器返回「{r}」)"), "unreachable": (UNREACHABLE, "所在网站无法连接"),
              "unresolved": (UNRESOLVED, "的域名无法解析(域名可能已失效)")}
    for url in sorted(outcomes):
        outcome = outcomes[url]
        if outcome.ok:
            continue
        code, text = labels[outcome.kind]
        for use in links[url]:
            out.append(Finding(Level.ISSUE, code, owners.get(use.page, host), "", SOURCE,
                               f"外部链接 {url} {text.format(r=outcome.result[:60])}。", prefix + use.page, use.line))
    return out
