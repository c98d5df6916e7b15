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
