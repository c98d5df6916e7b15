"""`gongkai cms build`: the browser editor's admin site, for an internal host, never the public portal.

The site is self-contained: Decap CMS's bundle (npm `decap-cms`, React included, pinned in
package.json), the `yaml` library the file formats use, the portal's widgets and formats
(pipeline/cms/admin/), the portal's stylesheet for the preview pane and the generated configuration
with the chosen backend. Nothing is loaded from another host. Like ECharts for the site, the npm
packages are looked for in the content repository's node_modules/, then the source checkout's.

Backends: the forge in settings.yaml (`cms:`; GitLab with PKCE by default, or GitHub), or `local`:
decap-server in git mode on 127.0.0.1 over the editor's own clone (`gongkai cms serve`), which keeps the
editorial workflow as local branches `cms/<collection>/<slug>`.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from pipeline.cms.config import HEADER, config
from pipeline.content.types import CONTENT_TYPES
from pipeline.resources import SOURCE_TREE, theme_dir

ADMIN_FILES = Path(__file__).resolve().parent / "admin"
PACKAGES = {"decap-cms": "dist/decap-cms.js", "yaml": "browser/dist/index.js", "decap-server": "dist/index.js"}


class AdminMissing(Exception):
    """An npm package the admin site needs is not installed: a set-up problem (exit 2)."""


def package(name: str, content_root: Path | None = None) -> Path:
    candidates = [root / "node_modules" / name for root in (content_root, SOURCE_TREE) if root is not None]
    for candidate in candidates:
        if (candidate / PACKAGES[name]).is_file():
            return candidate
    looked = "、".join(str(c) for c in candidates)
    raise AdminMissing(f"找不到 npm 包 {name}(已查找 {looked}):编辑后台需要它。"
                       "请在内容仓库根目录运行 `npm ci`(package.json 中写明了它的版本)。")


def admin_config(repo, backend: str, proxy_url: str | None = None) -> dict:
    """The generated configuration with the backend the admin site is built for."""
    out = config(repo)
    forge = out["backend"]
    if backend == "local":
        out["backend"] = {"name": "proxy", "proxy_url": proxy_url or "http://127.0.0.1:8081/api/v1",
                          "branch": forge["branch"], "commit_messages": forge["commit_messages"]}
    elif backend != forge["name"]:
        out["backend"] = {"name": backend, "repo": forge["repo"], "branch": forge["branch"],
                          "commit_messages": forge["commit_messages"]}
    return out


def build_admin(repo, output: Path, backend: str = "forge", proxy_url: str | None = None) -> Path:
    """Write the admin site into `output` (created; files of an earlier build there are replaced)."""
    decap, yaml_lib = package("decap-cms", repo.root), package("yaml", repo.root)
    output.mkdir(parents=True, exist_ok=True)
    vendor = output / "vendor"
    shutil.rmtree(vendor, ignore_errors=True)
    (vendor / "decap-cms").mkdir(parents=True)
    # decap-cms.js loads its chunks (*.decap-cms.js) from its own folder on demand.
    for chunk in (decap / "dist").glob("*decap-cms.js"):
        shutil.copy2(chunk, vendor / "decap-cms" / chunk.name)
    for notice in ("LICENSE",):
        if (decap / notice).is_file():
            shutil.copy2(decap / notice, vendor / "decap-cms" / notice)
    shutil.copytree(yaml_lib / "browser" / "dist", vendor / "yaml")
    for name in ("gongkai-cms.mjs", "gongkai-format.mjs", "gongkai-ids.mjs"):
        shutil.copy2(ADMIN_FILES / name, output / name)
    shutil.copy2(theme_dir() / "static" / "css" / "portal.css", output / "portal.css")
    collections = [t.folder for t in CONTENT_TYPES]
    page = (ADMIN_FILES / "index.html").read_text(encoding="utf-8")
    (output / "index.html").write_text(page.replace("__COLLECTIONS__", json.dumps(collections)), encoding="utf-8")
    chosen = admin_config(repo, repo_backend(repo) if backend == "forge" else backend, proxy_url)
    (output / "config.yml").write_text(
        HEADER + yaml.safe_dump(chosen, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return output


def repo_backend(repo) -> str:
    return config(repo)["backend"]["name"]
