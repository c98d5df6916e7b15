"""The Chinese search index: Pagefind's *extended* binary over the built site.

Only the extended build segments Chinese words (the plain one indexes almost
none). It comes from the npm registry (`npm ci` installs `pagefind` 1.6, whose
`@pagefind/linux-x64` package carries `pagefind_extended`); PAGEFIND_BINARY_PATH
points elsewhere when needed. What each page contributes (its main content,
metadata, filters, sort keys) is decided in SiteModel.search_record and marked
up by the templates with data-pagefind-* attributes.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

CODE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = CODE_DIR / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
BUNDLE_DIR = "pagefind"


class SearchIndexError(Exception):
    """Pagefind is missing or failed: the build stops and output/ is left as it was."""


def pagefind_binary() -> Path:
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    binary = Path(configured) if configured else DEFAULT_BINARY
    if not binary.is_file() or not os.access(binary, os.X_OK):
        raise SearchIndexError(f"找不到 Pagefind 扩展版程序 {binary}。请运行 `make install`(其中执行 npm ci),"
                               f"或用环境变量 PAGEFIND_BINARY_PATH 指向 pagefind_extended。")
    return binary


def index_site(site: Path) -> None:
    """Write the search bundle into site/pagefind/."""
    command = [str(pagefind_binary()), "--site", str(site), "--output-subdir", BUNDLE_DIR, "--silent"]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败(退出码 {proc.returncode}):{proc.stderr.strip()[-2000:]}")
