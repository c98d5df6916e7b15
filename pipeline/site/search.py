"""The Chinese search index: Pagefind's *extended* binary over the built site.

Only the extended build segments Chinese words (the plain one indexes almost
none). It comes from the npm registry: `npm ci` with this project's
package.json installs `pagefind` 1.6, whose `@pagefind/linux-x64` package
carries `pagefind_extended`. The build looks for it, in order:

1. the environment variable PAGEFIND_BINARY_PATH;
2. `node_modules/` of the content repository being built (a content repository
   that installs the wheel runs `npm ci` with a copy of package.json);
3. `node_modules/` of the gongkai source checkout (development);
4. `pagefind_extended` on PATH.

None found is a clear error and the build stops with output/ untouched. What
each page contributes (its main content, metadata, filters, sort keys) is
decided in pipeline.pages.items.search_record and marked up by the templates
with data-pagefind-* attributes.

The index is made of parts (pipeline.core.search_parts decides which page goes
where), each a complete Pagefind bundle in `pagefind/<part>/`, listed in
`pagefind/partitions.json`; the search page queries them all and merges the
results. Pagefind indexes a part
from a folder of hard links to its pages, so its memory is bounded by the
largest part (one part per core at a time), and a part whose pages have exactly the bytes they had in the
live site (the same fingerprint) is linked from it, not indexed again. Nor is a part whose pages changed
only where Pagefind does not read (the header, navigation and footer of a template change): its pages'
searchable content (`_indexed_digest`) has the fingerprint it had (`content`).

A part indexed again starts from the live part's fragments of the pages whose bytes did not change (hard
links): Pagefind names a fragment by its content and does not write one whose file is there, and writing
the fragments is half its time. Its page list (`*.pf_meta`) then says which fragments it uses; one it does
not name (a shorter name a new page's made ambiguous) is removed, so the part is what Pagefind writes
into an empty folder (the incremental build tests compare the two byte for byte).

A build on a spare site (pipeline.site.staging) finds the spare's bundle in its staging folder: a part
there that is the live part file for file (the same inodes, as linking would make it) and whose content is
unchanged is kept as it is; any other part or file of it is moved out and removed in the background.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.core.addresses import UnsafeURL, output_name
from pipeline.resources import SOURCE_TREE
from pipeline.site.write_pages import workers

BINARY_IN_NODE_MODULES = Path("node_modules") / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
BUNDLE_DIR = "pagefind"
MANIFEST = "partitions.json"
# Pagefind's ready-made interfaces: the search page uses its own form and only pagefind.js.
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


# What Pagefind reads outside the indexed element: the page's language, its title (Pagefind's fallback
# for a result's title) and every data-pagefind-* attribute (metadata, filters, sort keys, weights).
READ_OUTSIDE_BODY = re.compile(rb"<html\b[^>]*>|<title\b.*?</title>|<[^>]*\bdata-pagefind-[^>]*>", re.S)
BODY_TAG = re.compile(rb"<([a-zA-Z][\w-]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")


class SearchIndexError(Exception):
    """Pagefind failed: the build stops and output/ is left as it was."""


class PagefindMissing(SearchIndexError):
    """No Pagefind binary where the build looks: a set-up problem (exit 2), not a bug and not content."""


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def pagefind_binary(content_root: Path | None = None) -> Path:
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        if _runnable(Path(configured)):
            return Path(configured)
        raise PagefindMissing(f"环境变量 PAGEFIND_BINARY_PATH 指向的 {configured} 不存在或不可执行。")
    candidates = [root / BINARY_IN_NODE_MODULES for root in (content_root, SOURCE_TREE) if root is not None]
    for candidate in candidates:
        if _runnable(candidate):
            return candidate
    on_path = shutil.which("pagefind_extended")
    if on_path:
        return Path(on_path)
    looked = "、".join(str(c) for c in candidates)
    raise PagefindMissing(
        f"找不到 Pagefind 扩展版程序 pagefind_extended(已查找 {looked} 和 PATH)。"
        "请在内容仓库根目录运行 `npm ci`(package.json 中写明 pagefind 1.6),"
        "或用环境变量 PAGEFIND_BINARY_PATH 指向 pagefind_extended。")


@dataclass
class Indexed:
    indexed: list[str] = field(default_factory=list)  # parts Pagefind indexed in this build
    reused: list[str] = field(default_factory=list)  # parts linked unchanged from the live site


def index_site(site: Path, partitions: dict[str, list[str]], digests: dict[str, str],
               previous: Path | None = None, content_root: Path | None = None,
               changed: set[str] | None = None) -> Indexed:
    """Write the search bundle of each part into site/pagefind/<part>/ and the list of parts.

    `partitions` maps each part to the output names of its pages, `digests` each of those names to
    the hash of its bytes (pipeline.site.write_pages); `previous` is the live output, `changed` the
    pages whose bytes differ from its (None: unknown, every page is indexed from nothing).
    """
    binary = pagefind_binary(content_root)
    bundle = site / BUNDLE_DIR
    bundle.mkdir(parents=True, exist_ok=True)
    before = _fingerprints(previous / BUNDLE_DIR if previous is not None else None)
    # A spare site (site.staging) brings its own parts: one that is the live part file for file (the same
    # inodes: what linking it would make) with the content still the same stays where it is, a thousand
    # hard links fewer to make and as many files fewer to remove; the rest go. A spare is never trusted.
    discarded = _Discarded(site, previous)
    result, listed, todo = Indexed(), [], []
    for part in sorted(partitions, key=int):
        names = sorted(partitions[part])
        fingerprint = _fingerprint(binary, [(name, digests[name]) for name in names])
        was = before.get(part, {})
        if was.get("fingerprint") == fingerprint and was.get("content"):
            content = was["content"]  # the same bytes: the same searchable content, without reading the pages
        else:
            content = _fingerprint(binary, [(name, _indexed_digest(site / name)) for name in names])
        listed.append({"id": part, "pages": len(names), "fingerprint": fingerprint, "content": content})
        target = bundle / part
        old = previous / BUNDLE_DIR / part if previous is not None else None
        if os.path.lexists(target):
            if old is not None and was.get("content") == content and _same_files(target, old):
                result.reused.append(part)
                continue
            discarded.add(target)
        if old is not None and was.get("content") == content and old.is_dir() and _link_tree(old, target):
            result.reused.append(part)
        else:
            todo.append((part, names, target))
    for entry in os.scandir(bundle):  # a part of the spare's this site no longer has, anything else in it
        if entry.name not in partitions and (entry.name != MANIFEST or not entry.is_file(follow_symlinks=False)):
            discarded.add(Path(entry.path))
    discarded.retire()
    # Pagefind indexes on one core: one part per core at a time, so memory is bounded by that many parts.
    with ThreadPoolExecutor(max_workers=max(1, min(workers(), len(todo) or 1))) as pool:
        for _ in pool.map(lambda job: _index_part(binary, site, job[1], job[2], previous, changed), todo):
            pass
    result.indexed = [part for part, _, _ in todo]
    manifest = {"partitions": listed}
    (bundle / MANIFEST).unlink(missing_ok=True)  # a spare's: never written through
    (bundle / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


class _Discarded:
    """Folders of the search bundle to remove: moved out of the site at once, removed in the background."""

    def __init__(self, site: Path, live: Path | None):
        self.site, self.live, self.trash, self.count = site, live, None, 0

    def add(self, path: Path) -> None:
        if self.trash is None:
            self.trash = Path(tempfile.mkdtemp(prefix=f".{self.site.name}.search-old-", dir=self.site.parent))
        try:
            os.rename(path, self.trash / str(self.count))
            self.count += 1
        except OSError:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def retire(self) -> None:
        if self.trash is None:
            return
        if self.live is None:
            shutil.rmtree(self.trash, ignore_errors=True)
        else:
            from pipeline.site.staging import retire

            retire(self.trash, self.live)


@lru_cache(maxsize=None)
def _binary_version(binary: Path) -> str:
    proc = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return proc.stdout.strip() or str(binary)


def _fingerprint(binary: Path, pages: list[tuple[str, str]]) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(_binary_version(binary).encode())
    for name, digest in pages:
        h.update(f"\n{name} {digest}".encode())
    return h.hexdigest()


def _fingerprints(bundle: Path | None) -> dict[str, dict]:
    """The parts a search bundle's manifest lists, by id."""
    if bundle is None:
        return {}
    try:
        manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
        return {p["id"]: p for p in manifest["partitions"] if isinstance(p, dict)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # a site built before parts existed, or damaged: index everything


def _indexed_digest(page: Path) -> str:
    """The hash of what Pagefind can read of a page: the element marked data-pagefind-body, whole, and
    what it reads elsewhere (READ_OUTSIDE_BODY). More than it reads is harmless (a part indexed that need
    not be); less would keep a stale index, so a page whose element cannot be delimited is taken whole."""
    data = page.read_bytes()
    h = hashlib.blake2b(digest_size=16)
    for found in READ_OUTSIDE_BODY.finditer(data):
        h.update(found.group())
    h.update(b"\0")
    h.update(_body_element(data))
    return h.hexdigest()


def _body_element(data: bytes) -> bytes:
    start = BODY_TAG.search(data)
    if start is None:
        return data
    name = re.escape(start.group(1))
    depth = 1
    for tag in re.finditer(rb"<(/?)" + name + rb"\b[^>]*>", data[start.end():]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return data[start.start():start.end() + tag.end()]
    return data


def _same_files(spare: Path, live: Path) -> bool:
    """Whether folder `spare` holds exactly the files of `live`, each the same inode (a hard link of it)."""
    try:
        if os.stat(spare, follow_symlinks=False).st_dev != os.stat(live).st_dev or os.path.islink(spare):
            return False
        return _inodes(str(spare)) == _inodes(str(live))
    except OSError:
        return False


def _inodes(folder: str) -> dict[str, int | None]:
    """Every entry under `folder`: a file's inode (from the directory listing: no stat per file), None for
    a folder. A link is never part of a bundle: OSError, so that the folder is not taken."""
    out: dict[str, int | None] = {}
    todo = [("", folder)]
    while todo:
        prefix, path = todo.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise OSError(f"{entry.path}: a link")
                if entry.is_dir():
                    out[prefix + entry.name] = None
                    todo.append((prefix + entry.name + "/", entry.path))
                else:
                    out[prefix + entry.name] = entry.inode()
    return out


def _link_tree(source: Path, target: Path) -> bool:
    try:
        shutil.copytree(source, target, copy_function=os.link)
        return True
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False


def _index_part(binary: Path, site: Path, names: list[str], target: Path, previous: Path | None = None,
                changed: set[str] | None = None) -> None:
    """Pagefind over a folder holding only this part's pages (hard links, same paths, so the same addresses)."""
    tree = Path(tempfile.mkdtemp(prefix=f".{site.name}.search-", dir=site.parent))
    try:
        for name in names:
            link = tree / name
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(site / name, link)
        if previous is not None and changed is not None:
            _link_fragments(previous / BUNDLE_DIR / target.name / FRAGMENTS, target / FRAGMENTS,
                            set(names) - changed)
        command = [str(binary), "--site", str(tree), "--output-path", str(target), "--silent"]
        proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SearchIndexError(f"Pagefind 建立搜索索引失败(第 {target.name} 部分,退出码 {proc.returncode}):"
                                   f"{proc.stderr.strip()[-2000:]}")
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    for name in UNUSED_BUNDLE_FILES:
        (target / name).unlink(missing_ok=True)
    _drop_unlisted_fragments(target)


FRAGMENTS = "fragment"
SIGNATURE = b"pagefind_dcd"  # before the JSON (fragments) or CBOR (page lists) of Pagefind's gzipped files


def _link_fragments(old: Path, new: Path, unchanged: set[str]) -> None:
    """Link into `new` the fragments in `old` (the live part's) of the pages named in `unchanged`."""
    try:
        entries = list(os.scandir(old))
    except OSError:
        return
    new.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        try:
            data = gzip.decompress(Path(entry.path).read_bytes())
            if not data.startswith(SIGNATURE):
                continue
            name = output_name(json.loads(data[len(SIGNATURE):])["url"])
            if name in unchanged:
                os.link(entry.path, new / entry.name)
        except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, UnsafeURL):
            continue  # not a fragment this build can read: Pagefind writes what it needs


def _drop_unlisted_fragments(target: Path) -> None:
    """Remove the fragments no page list of the part names (`<language>_<hash>` in its `*.pf_meta`)."""
    folder = target / FRAGMENTS
    if not folder.is_dir():
        return
    listed = b"".join(gzip.decompress(meta.read_bytes()) for meta in target.glob("*.pf_meta"))
    for entry in os.scandir(folder):
        if entry.name.removesuffix(".pf_fragment").encode() not in listed:
            os.unlink(entry.path)
