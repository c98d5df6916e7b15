"""Third-party browser libraries the site serves itself: Apache ECharts for dataset charts.

Installed from the npm registry (package.json pins the version, package-lock.json
the bytes) and copied into the site at build time, never loaded from a CDN.
Looked for in `node_modules/` of the content repository, then of the gongkai
source checkout, like Pagefind; the build copies them like the site's other files
(`pipeline.site.build_plan`).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.resources import SOURCE_TREE
from pipeline.site.search import PagefindMissing

ECHARTS_IN_NODE_MODULES = Path("node_modules") / "echarts"
ECHARTS_FILES = ("dist/echarts.min.js", "LICENSE", "NOTICE")
SITE_FOLDER = Path("theme") / "vendor" / "echarts"


class VendorMissing(PagefindMissing):
    """A library the site needs is not installed: a set-up problem (exit 2), like a missing Pagefind."""


def echarts_package(content_root: Path | None = None) -> Path:
    candidates = [root / ECHARTS_IN_NODE_MODULES for root in (content_root, SOURCE_TREE) if root is not None]
    for candidate in candidates:
        if (candidate / ECHARTS_FILES[0]).is_file():
            return candidate
    looked = "、".join(str(c) for c in candidates)
    raise VendorMissing(f"找不到 ECharts(已查找 {looked}):数据集的图表需要它。"
                        "请在内容仓库根目录运行 `npm ci`(package.json 中写明 echarts)。")


def echarts_files(content_root: Path | None = None) -> list[tuple[Path, str]]:
    """ECharts' minified bundle, licence and notice, with their paths in the site."""
    package = echarts_package(content_root)
    sources = [package / name for name in ECHARTS_FILES]
    return [(source, (SITE_FOLDER / source.name).as_posix()) for source in sources if source.is_file()]
