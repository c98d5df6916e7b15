"""Fixtures for build tests: the demo portal built once per session, small repos built per test.

Expectations are computed here from the content files with plain YAML and the
rules written in the issue (not future, not withdrawn, letters only when
public and replied), independently of pipeline.core.publication, so that a bug
there cannot hide itself.
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from pipeline.site.build import build_site
from pipeline.content.repository import load_repository
from pipeline.timeutil import TZ
from tests.shared_tmp import build_once

CODE_DIR = Path(__file__).resolve().parents[2]
DEMO_CONTENT = CODE_DIR / "content"
# Late enough that almost the whole demo is published, early enough that scheduled items stay future.
DEMO_NOW = "2026-11-26 09:00"

FOLDERS = {  # content folder -> type, as the issue names them (URLs are /<folder>/<id>/)
    "policies": "policy", "interpretations": "interpretation", "news": "news", "notices": "notice",
    "responses": "response", "services": "service", "letters": "letter", "surveys": "survey",
    "interviews": "interview", "pages": "page", "reports": "report", "datasets": "dataset",
}


def when(text) -> datetime | None:
    if text is None:
        return None
    text = str(text).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=TZ)
        except ValueError:
            pass
    raise AssertionError(f"unexpected date {text!r}")


def read_meta(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        return yaml.load(front, Loader=yaml.BaseLoader), body
    return yaml.load(text, Loader=yaml.BaseLoader), ""


@dataclass
class ContentItem:
    id: str
    type: str
    folder: str
    meta: dict
    body: str

    @property
    def url(self) -> str:
        return f"/{self.folder}/{self.id}/"

    @property
    def page(self) -> str:
        return f"{self.folder}/{self.id}/index.html"

    def state(self, now: datetime) -> str:
        meta = self.meta
        if self.type == "letter":
            if meta.get("public") != "true" or not meta.get("reply"):
                return "hidden"
            moment = when(meta.get("replied"))
        else:
            moment = when(meta.get("date"))
        if moment is None or moment > now:
            return "future"
        withdrawn = meta.get("withdrawn")
        if withdrawn and when(withdrawn["date"]) <= now:
            return "withdrawn"
        return "published"


def content_items(root: Path) -> dict[str, ContentItem]:
    items = {}
    for folder, type_name in FOLDERS.items():
        for path in sorted((root / "content" / folder).rglob("*")):  # unit folders inside
            if path.suffix not in (".md", ".yaml", ".yml"):
                continue
            meta, body = read_meta(path)
            items[meta["id"]] = ContentItem(meta["id"], type_name, folder, meta, body)
    return items


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree_hash(root: Path) -> dict[str, str]:
    """Every file under root (relative path -> sha256), directories included as markers."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@dataclass
class Site:
    """A built site and the content it was built from."""

    root: Path
    output: Path
    now: datetime
    result: object = field(default=None, repr=False)
    _soups: dict = field(default_factory=dict, repr=False)

    def soup(self, rel: str) -> BeautifulSoup:
        rel = rel.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        if rel not in self._soups:
            self._soups[rel] = soup_of(self.output / rel)
        return self._soups[rel]

    def exists(self, url: str) -> bool:
        rel = url.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        return (self.output / rel).is_file()

    @cached_property
    def items(self) -> dict[str, ContentItem]:
        return content_items(self.root)

    def in_state(self, state: str) -> dict[str, ContentItem]:
        return {i: item for i, item in self.items.items() if item.state(self.now) == state}

    @cached_property
    def site_config(self) -> dict:
        return yaml.load((self.root / "content/governance/site.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)

    @cached_property
    def columns(self) -> list[dict]:
        data = yaml.load((self.root / "content/governance/columns.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        return data["columns"]

    def unit_name(self, unit_id: str) -> str:
        data = yaml.load((self.root / f"content/units/{unit_id}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        return data["name"]

    @cached_property
    def unit_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "content/units").glob("*.yaml"))

    @cached_property
    def html_pages(self) -> list[str]:
        return sorted(p.relative_to(self.output).as_posix() for p in self.output.rglob("*.html"))

    @cached_property
    def redirect_pages(self) -> set[str]:
        return {p for p in self.html_pages if self.soup(p).find("meta", attrs={"http-equiv": "refresh"})}

    def all_text(self) -> dict[str, str]:
        """Every file of the site as text (binary files decoded leniently), for needle searches."""
        return {p.relative_to(self.output).as_posix(): p.read_bytes().decode("utf-8", "replace")
                for p in sorted(self.output.rglob("*")) if p.is_file()}


def build(root: Path, output: Path, now: str):
    moment = when(now)
    result = build_site(load_repository(root, now=moment), output, moment)
    return Site(root=root, output=output, now=moment, result=result)


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    """A snapshot of the demo content (so that edits made while tests run cannot make them disagree),
    one per test run (pytest-xdist workers share it)."""
    root, _ = build_once(tmp_path_factory, "demo", lambda root: shutil.copytree(DEMO_CONTENT, root / "content") and None)
    return root


@pytest.fixture(scope="session")
def demo(demo_root, tmp_path_factory) -> Site:
    """The demo built once per test run (pytest-xdist workers share the output; tests only read it)."""
    folder, result = build_once(tmp_path_factory, "demo-out",
                                lambda folder: build(demo_root, folder / "output", DEMO_NOW).result)
    site = Site(root=demo_root, output=folder / "output", now=when(DEMO_NOW), result=result)
    errors = [d for d in site.result.diagnostics if d.severity.value == "error"]
    assert site.result.ok, "the demo content must build: " + "; ".join(f"{d.location} {d.code} {d.message}" for d in errors)
    return site
