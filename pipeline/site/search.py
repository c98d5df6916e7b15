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
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..resources import SOURCE_TREE

BINARY_IN_NODE_MODULES = Path("node_modules") / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
BUNDLE_DIR = "pagefind"


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


def index_site(site: Path, content_root: Path | None = None) -> None:
    """Write the search bundle into site/pagefind/."""
    command = [str(pagefind_binary(content_root)), "--site", str(site), "--output-subdir", BUNDLE_DIR, "--silent"]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败(退出码 {proc.returncode}):{proc.stderr.strip()[-2000:]}")
