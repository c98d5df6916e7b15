"""The browser editor's configuration: generated from the schemas, checked for staleness (GK-CMS-001),
and its file formats give back every demo file byte for byte."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pipeline.check.rules.cms import CmsConfigUpToDate
from pipeline.cms.config import TARGET, config, generate
from pipeline.content.repository import load_repository
from pipeline.content.schema import SchemaSet
from pipeline.content.types import CONTENT_TYPES

CODE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    return load_repository(CODE_DIR)


def test_every_content_type_has_a_collection_with_every_required_key(demo):
    generated = config(demo)
    collections = {c["name"]: c for c in generated["collections"]}
    schemas = SchemaSet()
    assert len(CONTENT_TYPES) == 12
    for ctype in CONTENT_TYPES:
        collection = collections[ctype.folder]
        fields = {f["name"]: f for f in collection["fields"]}
        required = schemas.compiled(ctype.name)["required"]
        assert required, ctype.name
        assert [key for key in required if not fields.get(key, {}).get("required")] == [], ctype.name
        assert collection["folder"] == f"content/{ctype.folder}" and collection["path"] == "{{unit}}/{{slug}}"
    assert generated["locale"] == "zh_Hans" and generated["publish_mode"] == "editorial_workflow"
    interprets = {f["name"]: f for f in collections["interpretations"]["fields"]}["interprets"]
    assert (interprets["widget"], interprets["collection"], interprets["multiple"]) == ("relation", "policies", True)
    office = {f["name"] for f in collections["office"]["files"]}
    assert office == {"columns", "site", "wording", "settings", "roster"}


def test_the_committed_configuration_is_current_and_a_stale_one_is_reported(tmp_path, demo):
    assert (CODE_DIR / TARGET).read_text(encoding="utf-8") == generate(demo)
    shutil.copytree(CODE_DIR / "content", tmp_path / "content")
    (tmp_path / "ci" / "cms").mkdir(parents=True)
    text = generate(demo)
    (tmp_path / TARGET).write_text(text, encoding="utf-8")
    repo = load_repository(tmp_path)
    assert list(CmsConfigUpToDate().check(repo)) == []
    (tmp_path / TARGET).write_text(text.replace("locale: zh_Hans", "locale: en"), encoding="utf-8")
    found = list(CmsConfigUpToDate().check(repo))
    assert [(d.code, d.path, d.line) for d in found] == [("GK-CMS-001", TARGET, text.split("\n").index("locale: zh_Hans") + 1)]
    assert "gongkai cms config --write" in found[0].message


ROUND_TRIP = r"""
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
const { yamlFormat, frontMatterFormat } = await import(process.argv[2]);
const root = process.argv[3];
const out = { files: 0, different: [], edited: null };
function walk(d) { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (/\.(md|ya?ml)$/.test(f)) check(p); } }
function check(p) {
  const text = readFileSync(p, 'utf8');
  const format = p.endsWith('.md') ? frontMatterFormat : yamlFormat;
  out.files += 1;
  if (format.toFile(format.fromFile(text)) !== text) out.different.push(p);
}
walk(root);
const sample = readFileSync(process.argv[4], 'utf8');
const data = frontMatterFormat.fromFile(sample);
data.title = '改过的标题';
out.edited = frontMatterFormat.toFile(data);
console.log(JSON.stringify(out));
"""


def test_every_demo_file_round_trips_and_an_edit_changes_one_line(tmp_path):
    script = tmp_path / "round_trip.mjs"
    script.write_text(ROUND_TRIP, encoding="utf-8")
    sample = CODE_DIR / "content" / "news" / "gjj" / "xw-2026-0717.md"
    result = subprocess.run(["node", str(script), str(CODE_DIR / "pipeline" / "cms" / "admin" / "gongkai-format.mjs"),
                             str(CODE_DIR / "content"), str(sample)], capture_output=True, text=True, timeout=120,
                            cwd=CODE_DIR)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["files"] > 250 and found["different"] == []
    before, after = sample.read_text(encoding="utf-8").split("\n"), found["edited"].split("\n")
    assert len(before) == len(after)
    assert [(a, b) for a, b in zip(before, after) if a != b] == [(before[2], "title: 改过的标题")]
    assert yaml.safe_load(found["edited"].split("---")[1])["title"] == "改过的标题"


def _gongkai(cwd: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    import os
    import sys

    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(CODE_DIR)}, timeout=600, **kwargs)


def test_check_fails_on_a_stale_configuration_and_cms_config_write_fixes_it(tmp_path):
    shutil.copytree(CODE_DIR / "content", tmp_path / "content")
    (tmp_path / "ci" / "cms").mkdir(parents=True)
    stale = (CODE_DIR / TARGET).read_text(encoding="utf-8").replace("required: true", "required: false", 1)
    (tmp_path / TARGET).write_text(stale, encoding="utf-8")
    failed = _gongkai(tmp_path, "check")
    assert failed.returncode == 1 and "GK-CMS-001" in failed.stdout and f"{TARGET}:" in failed.stdout
    assert "gongkai cms config --write" in failed.stdout
    written = _gongkai(tmp_path, "cms", "config", "--write")
    assert written.returncode == 0 and "已写入" in written.stdout
    passed = _gongkai(tmp_path, "check")
    assert passed.returncode == 0 and "GK-CMS-001" not in passed.stdout


def test_the_admin_site_is_self_contained_and_never_written_into_the_portal(tmp_path):
    site = tmp_path / "admin"
    built = _gongkai(CODE_DIR, "cms", "build", "--output", str(site))
    assert built.returncode == 0, built.stderr
    assert (site / "vendor" / "decap-cms" / "decap-cms.js").is_file() and (site / "portal.css").is_file()
    written = yaml.safe_load((site / "config.yml").read_text(encoding="utf-8"))
    assert written["backend"]["name"] == "gitlab" and written["backend"]["auth_type"] == "pkce"
    assert written["backend"]["base_url"].startswith("https://git.yunjiang.gov.cn")
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page  # every script and style from the admin site itself
    refused = _gongkai(CODE_DIR, "--root", str(CODE_DIR), "cms", "build", "--output", str(CODE_DIR / "output" / "admin"))
    assert refused.returncode == 2 and "不能写入对外发布的目录" in refused.stderr
    assert not (CODE_DIR / "output" / "admin").exists()


def test_cms_serve_binds_the_admin_page_and_decap_server_to_127_0_0_1(tmp_path):
    import socket
    import time
    import urllib.request

    shutil.copytree(CODE_DIR / "content", tmp_path / "content")
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    import os
    import sys

    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "cms", "serve", "--port", str(ports[0]),
                               "--api-port", str(ports[1])], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(CODE_DIR)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, page, api = time.monotonic() + 30, "", None
        while time.monotonic() < deadline and not (page and api):
            try:
                page = page or urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/", timeout=2).read().decode()
                request = urllib.request.Request(f"http://127.0.0.1:{ports[1]}/api/v1", method="POST",
                                                 data=b'{"action":"info"}', headers={"Content-Type": "application/json"})
                api = json.loads(urllib.request.urlopen(request, timeout=2).read())
            except OSError:
                time.sleep(0.3)
        assert "decap-cms.js" in page
        assert api and api.get("type") == "local_git"
        config = urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/config.yml", timeout=2).read().decode()
        assert f"proxy_url: http://127.0.0.1:{ports[1]}/api/v1" in config
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode == 0, server.stderr.read()


IDS = r"""
const { nextId } = await import(process.argv[2]);
const { readFileSync } = await import('node:fs');
const { cases, now } = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const [y, m, d] = now.split('-').map(Number);
console.log(JSON.stringify(cases.map(([convention, unit, taken]) => nextId(convention, unit, new Date(y, m - 1, d), new Set(taken)))));
"""


def test_the_id_widget_names_a_new_item_as_gongkai_new_does(tmp_path, demo):
    from datetime import datetime

    from pipeline.authoring.new_item import plan_new_item
    from pipeline.timeutil import TZ

    now = datetime(2026, 7, 16, 9, 0, tzinfo=TZ)  # a day some units already have news of (xw-2026-0716)
    generated = {c["name"]: c for c in config(demo)["collections"]}
    taken = sorted({item.id for item in demo.items})
    cases, expected = [], []
    for ctype in CONTENT_TYPES:
        convention = next(f for f in generated[ctype.folder]["fields"] if f["name"] == "id")["convention"]
        for unit in ("gjj", "jyj", "tjj"):
            cases.append([convention, unit, taken])
            expected.append(plan_new_item(CODE_DIR, ctype.name, unit, now).item_id)
    script, data = tmp_path / "ids.mjs", tmp_path / "cases.json"
    script.write_text(IDS, encoding="utf-8")
    data.write_text(json.dumps({"cases": cases, "now": "2026-07-16"}), encoding="utf-8")
    result = subprocess.run(["node", str(script), str(CODE_DIR / "pipeline" / "cms" / "admin" / "gongkai-ids.mjs"),
                             str(data)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
    assert "xw-2026-0716-2" in expected  # gjj's news of that day exists: the second gets -2


def test_a_units_first_item_of_a_new_id_shape_leaves_the_committed_file_current(tmp_path, demo):
    """The id conventions follow from the items: they go into the admin site `gongkai cms build` writes, not
    into the committed file, so a unit's first item written with Git cannot make GK-CMS-001 stop the build."""
    shutil.copytree(CODE_DIR / "content", tmp_path / "content")
    (tmp_path / "ci" / "cms").mkdir(parents=True)
    shutil.copy2(CODE_DIR / TARGET, tmp_path / TARGET)
    news = tmp_path / "content" / "news" / "czj" / "czxw-2026-001.md"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text("---\nid: czxw-2026-001\ntitle: 市财政局开展2026年财会监督专项行动\nunit: czj\ncolumn: bmdt\n"
                    "date: 2026-11-20 10:00\ndisclosure_category: finance\n"
                    "summary: 市财政局部署开展财会监督专项行动,重点检查预算执行和政府采购。\n---\n"
                    "市财政局近日部署开展2026年财会监督专项行动,重点检查预算执行、政府采购和会计信息质量。\n",
                    encoding="utf-8")
    before = next(c for c in config(demo)["collections"] if c["name"] == "news")
    assert "czj" not in next(f for f in before["fields"] if f["name"] == "id")["convention"].get("units", {})
    checked = _gongkai(tmp_path, "check")
    assert "GK-CMS-001" not in checked.stdout, checked.stdout[-2000:]
    after = config(load_repository(tmp_path))
    news_ids = next(f for f in next(c for c in after["collections"] if c["name"] == "news")["fields"]
                    if f["name"] == "id")
    assert "czj" in news_ids["convention"]["units"]  # the admin site built now follows the unit's own shape
    committed = yaml.safe_load((tmp_path / TARGET).read_text(encoding="utf-8"))
    assert all("convention" not in f for c in committed["collections"] for f in c.get("fields", []))
