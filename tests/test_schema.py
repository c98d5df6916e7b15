"""JSON Schemas (schemas/) and their diagnostics: GK-SCH-001/002/003, GK-GOV-001."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from pipeline.resources import schema_dir
from pipeline.content.schema import SchemaSet, SchemaSetError

SCHEMA_DIR = schema_dir()
from pipeline.content.types import GOVERNANCE_FILES, TYPES
from tests.images import texted_png
from tests.item_samples import COMPANIONS, SAMPLES, all_samples, sample
from tests.repo_factory import BASE, INTERPRETATION, POLICY, found, make_repo, run_check

CJK = re.compile(r"[\u4e00-\u9fff]")
SCHEMA_NAMES = sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))


@pytest.fixture(scope="module")
def schemas():
    return SchemaSet()


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


def errors_in(diagnostics, path):
    return {(d.code, d.line) for d in diagnostics if d.path == path}


# --- the schema set --------------------------------------------------------------------------

def test_schema_set_loads_and_every_ref_resolves(schemas):
    assert set(schemas.schemas) == set(SCHEMA_NAMES)


def test_every_content_type_and_governance_file_has_a_schema(schemas):
    assert set(TYPES) <= set(schemas.schemas)
    assert set(GOVERNANCE_FILES.values()) <= set(schemas.schemas)
    assert "unit" in schemas.schemas and "defs" in schemas.schemas


@pytest.mark.parametrize("name", [n for n in SCHEMA_NAMES if n != "defs"])
def test_every_schema_has_examples_and_they_validate(schemas, name):
    examples = schemas.schemas[name].get("examples")
    assert examples, f"schemas/{name}.schema.json has no examples"
    for example in examples:
        problems = [e.message for e in schemas.validator(name).iter_errors(example)]
        assert problems == [], f"{name} example: {problems}"


def test_an_unresolvable_ref_is_fatal(tmp_path):
    for path in SCHEMA_DIR.glob("*.schema.json"):
        shutil.copy(path, tmp_path / path.name)
    news = json.loads((tmp_path / "news.schema.json").read_text(encoding="utf-8"))
    news["properties"]["broken"] = {"$ref": "defs.schema.json#/$defs/no_such_definition"}
    (tmp_path / "news.schema.json").write_text(json.dumps(news), encoding="utf-8")
    with pytest.raises(SchemaSetError, match="news.schema.json.*no_such_definition"):
        SchemaSet(tmp_path)


def _schema_copy(folder):
    folder.mkdir()
    for path in SCHEMA_DIR.glob("*.schema.json"):
        shutil.copy(path, folder / path.name)
    return folder


def _meta_validated(monkeypatch) -> list[str]:
    """The schema texts meta-validated from now on (the per-process memo bypassed)."""
    from jsonschema import Draft202012Validator

    seen = []

    def check_schema(text):
        seen.append(text)
        Draft202012Validator.check_schema(json.loads(text))

    monkeypatch.setattr("pipeline.content.schema._check_schema", check_schema)
    return seen


def test_schemas_found_valid_are_not_meta_validated_again_until_they_change(tmp_path, monkeypatch):
    folder, checked = _schema_copy(tmp_path / "schemas"), str(tmp_path / "cache" / "schemas-checked")
    seen = _meta_validated(monkeypatch)
    first = SchemaSet(folder, checked)
    assert len(seen) == len(SCHEMA_NAMES)
    seen.clear()
    again = SchemaSet(folder, checked)
    assert seen == [] and again.schemas == first.schemas
    news = json.loads((folder / "news.schema.json").read_text(encoding="utf-8"))
    news["description"] = "改过的说明"
    (folder / "news.schema.json").write_text(json.dumps(news, ensure_ascii=False), encoding="utf-8")
    SchemaSet(folder, checked)
    assert [json.loads(t).get("description") for t in seen] == ["改过的说明"]
    seen.clear()
    SchemaSet(folder)  # without a cache file: every schema, every time
    assert len(seen) == len(SCHEMA_NAMES)


def test_a_schema_made_invalid_is_refused_whatever_the_cache_file_says(tmp_path, monkeypatch):
    from jsonschema.exceptions import SchemaError

    folder, checked = _schema_copy(tmp_path / "schemas"), tmp_path / "schemas-checked"
    SchemaSet(folder, str(checked))
    news = json.loads((folder / "news.schema.json").read_text(encoding="utf-8"))
    news["properties"]["title"] = {"type": 5}
    (folder / "news.schema.json").write_text(json.dumps(news), encoding="utf-8")
    with pytest.raises(SchemaError):
        SchemaSet(folder, str(checked))
    with pytest.raises(SchemaError):  # and it was not recorded as checked by the failed attempt
        SchemaSet(folder, str(checked))
    # An unreadable or foreign cache file means nothing is taken as checked.
    shutil.copy(SCHEMA_DIR / "news.schema.json", folder / "news.schema.json")
    seen = _meta_validated(monkeypatch)
    for garbage in (b"\xff\xfe\x00garbage", b"not a key\n", b""):
        checked.write_bytes(garbage)
        seen.clear()
        SchemaSet(folder, str(checked))
        assert len(seen) == len(SCHEMA_NAMES)


def test_fifteen_disclosure_categories_with_chinese_labels(schemas):
    category = schemas.defs["disclosure_category"]
    assert len(category["enum"]) == 15
    assert set(category["x-labels"]) == set(category["enum"])
    assert all(CJK.search(label) for label in category["x-labels"].values())


# --- passing fixtures ------------------------------------------------------------------------

@pytest.mark.parametrize("type_name", sorted(SAMPLES))
def test_valid_sample_of_every_type_passes(tmp_path, type_name):
    path, text = sample(type_name)
    files = {path: text, **COMPANIONS.get(type_name, {})}
    if type_name == "policy":
        files[SAMPLES["interpretation"][0]] = INTERPRETATION
    if type_name == "interpretation":
        files[SAMPLES["policy"][0]] = POLICY
    assert check(tmp_path, files) == []


def test_all_samples_together_pass(tmp_path):
    assert check(tmp_path, all_samples()) == []


# --- GK-SCH-001: missing required key --------------------------------------------------------

@pytest.mark.parametrize("type_name, key", [
    ("news", "title"), ("policy", "doc_type"), ("service", "materials"), ("letter", "public"),
    ("survey", "end"), ("report", "year"), ("page", "page_kind"), ("interview", "guests"),
])
def test_missing_required_key_is_sch_001_at_the_first_line(tmp_path, type_name, key):
    path, text = sample(type_name)
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "- ")) or lines[end] == "-"):
        end += 1
    files = all_samples()
    files[path] = "\n".join(lines[:start] + lines[end:])
    diagnostics = check(tmp_path, files)
    assert ("GK-SCH-001", path, 2) in found(diagnostics)
    (diag,) = [d for d in diagnostics if d.code == "GK-SCH-001"]
    assert f"「{key}」" in diag.message and CJK.search(diag.message)


def test_missing_key_in_a_unit_is_sch_001_at_line_one(tmp_path):
    unit = BASE["content/units/jyj.yaml"].replace("kind: 市直部门\n", "")
    diagnostics = check(tmp_path, {"content/units/jyj.yaml": unit})
    assert found(diagnostics) == {("GK-SCH-001", "content/units/jyj.yaml", 1)}


def test_missing_key_in_a_list_entry_is_at_that_entry(tmp_path):
    path, text = sample("service")
    text = text.replace("    copies: 1\n", "")
    diagnostics = check(tmp_path, {path: text})
    assert found(diagnostics) == {("GK-SCH-001", path, 12)}  # the `- name:` line
    assert "copies" in diagnostics[0].message


def test_missing_nested_key_in_a_mapping_is_at_that_mapping(tmp_path):
    path, text = sample("survey")
    text = text.replace("  date: 2026-04-15\n", "")
    diagnostics = check(tmp_path, {path: text})
    assert found(diagnostics) == {("GK-SCH-001", path, 8)}  # result:


def test_each_missing_key_is_reported_not_only_the_first(tmp_path):
    path, text = sample("letter")
    text = text.replace("reply_unit: jyj\n", "").replace("replied: 2026-03-03 16:00\n", "")
    diagnostics = [d for d in check(tmp_path, {path: text}) if d.code == "GK-SCH-001"]
    messages = " ".join(d.message for d in diagnostics)
    assert "replied" in messages and "reply_unit" in messages, messages


def test_empty_front_matter_is_sch_001(tmp_path):
    diagnostics = check(tmp_path, {"content/news/xw-1.md": "---\n---\n正文\n"})
    assert ("GK-SCH-001", "content/news/xw-1.md", 2) in found(diagnostics)


# --- conditional requirements ----------------------------------------------------------------

def revised(extra: str) -> str:
    return POLICY.replace("validity: 现行有效", "validity: 已修订\n" + extra)


def test_revised_policy_needs_replaced_by(tmp_path):
    files = {"content/policies/zc-1.md": revised("validity_date: 2026-04-01"),
             "content/interpretations/jd-zc-1.md": INTERPRETATION}
    diagnostics = check(tmp_path, files)
    assert found(diagnostics) == {("GK-SCH-001", "content/policies/zc-1.md", 2)}
    assert "replaced_by" in diagnostics[0].message


def test_revised_policy_with_replacement_passes(tmp_path):
    newer = POLICY.replace("zc-1", "zc-2").replace("〔2026〕1号", "〔2026〕2号").replace("2026-00001", "2026-00002")
    files = {
        "content/policies/zc-1.md": revised("validity_date: 2026-04-01\nreplaced_by: zc-2"),
        "content/policies/zc-2.md": newer,
        "content/interpretations/jd-zc-1.md": INTERPRETATION.replace("[zc-1]", "[zc-1, zc-2]"),
    }
    assert check(tmp_path, files) == []


def test_revised_policy_missing_both_reports_both(tmp_path):
    files = {"content/policies/zc-1.md": revised(""), "content/interpretations/jd-zc-1.md": INTERPRETATION}
    messages = " ".join(d.message for d in check(tmp_path, files) if d.code == "GK-SCH-001")
    assert "replaced_by" in messages and "validity_date" in messages, messages


@pytest.mark.parametrize("form, extra, ok", [
    ("图解", "", False),
    ("图解", "media:\n  - file: files/tj.png\n    description: 一图读懂", True),
    ("视频", "", False),
    ("文字", "", True),
    ("媒体解读", "", False),
    ("媒体解读", "media_name: 测试日报", True),
])
def test_interpretation_form_decides_what_is_required(tmp_path, form, extra, ok):
    text = INTERPRETATION.replace("form: 文字", f"form: {form}\n{extra}".rstrip())
    files = {"content/policies/zc-1.md": POLICY, "content/interpretations/jd-zc-1.md": text,
             "content/files/tj.png": texted_png()}
    diagnostics = check(tmp_path, files)
    if ok:
        assert diagnostics == []
    else:
        assert found(diagnostics) == {("GK-SCH-001", "content/interpretations/jd-zc-1.md", 2)}


def test_public_letter_needs_a_reply(tmp_path):
    path, text = sample("letter")
    text = text.replace("reply: 今年小学一年级报名时间为 6 月 1 日至 6 月 10 日。\n", "")
    diagnostics = check(tmp_path, {path: text})
    assert found(diagnostics) == {("GK-SCH-001", path, 2)}
    assert "reply" in diagnostics[0].message


def test_private_unanswered_letter_needs_no_reply(tmp_path):
    path, text = sample("letter")
    text = text.split("reply:")[0].replace("public: true", "public: false") + "---\n"
    assert check(tmp_path, {path: text}) == []


def test_emergency_response_needs_its_times_and_severity(tmp_path):
    path, text = sample("response")
    diagnostics = check(tmp_path, {path: text.replace("severity: 一般\n", "")})
    assert found(diagnostics) == {("GK-SCH-001", path, 2)}
    assert "severity" in diagnostics[0].message


def test_rumour_rebuttal_needs_no_event_time(tmp_path):
    path, text = sample("response")
    text = (text.replace("kind: 突发事件信息", "kind: 辟谣").replace("severity: 一般\n", "")
            .replace("event_time: 2026-03-05 08:30\n", "").replace("first_release: 2026-03-05 09:20\n", ""))
    assert check(tmp_path, {path: text}) == []


# --- GK-SCH-002: unknown key -----------------------------------------------------------------

def test_unknown_key_is_sch_002_at_its_line(tmp_path):
    path, text = sample("news")
    text = text.replace("unit: jyj\n", "unit: jyj\ntitel: 拼错的字段\n")
    diagnostics = check(tmp_path, {path: text})
    assert found(diagnostics) == {("GK-SCH-002", path, 5)}
    assert "titel" in diagnostics[0].message and CJK.search(diagnostics[0].message)


def test_unknown_key_inside_a_list_entry_is_at_its_line(tmp_path):
    path, text = sample("service")
    text = text.replace("    copies: 1\n", "    copies: 1\n    colour: 红色\n")
    diagnostics = check(tmp_path, {path: text})
    assert found(diagnostics) == {("GK-SCH-002", path, 16)}


def test_unknown_key_in_governance_data(tmp_path):
    site = BASE["content/governance/site.yaml"] + "hostunit: yjzfb\n"
    diagnostics = check(tmp_path, {"content/governance/site.yaml": site})
    assert found(diagnostics) == {("GK-SCH-002", "content/governance/site.yaml", 11)}


def test_a_bad_common_value_does_not_make_known_keys_unknown(tmp_path):
    """Only the bad value is reported; id, title, unit stay known keys."""
    path, text = sample("news")
    diagnostics = check(tmp_path, {path: text.replace("date: 2026-03-01 09:00", "date: 2026/03/01")})
    assert found(diagnostics) == {("GK-SCH-003", path, 5)}


# --- GK-SCH-003: wrong value -----------------------------------------------------------------

@pytest.mark.parametrize("old, new, line", [
    ("doc_type: 行政规范性文件", "doc_type: 规范性文件", 6),  # enum
    ("written: 2026-02-20", "written: 2026/02/20", 11),  # pattern
    ("index_number: 11450100MB1536210X/2026-00001", "index_number: 第1号", 8),  # pattern
    ("subject: 科技、教育", "subject: 123", 9),  # type
    ("issued_in_name_of: 本单位", "issued_in_name_of: [本单位]", 5),  # type
], ids=["enum", "date-pattern", "index-pattern", "type-string", "type-list"])
def test_wrong_value_is_sch_003_at_the_key_line_in_chinese(tmp_path, old, new, line):
    assert old in POLICY
    files = {"content/policies/zc-1.md": POLICY.replace(old, new), "content/interpretations/jd-zc-1.md": INTERPRETATION}
    diagnostics = check(tmp_path, files)
    assert found(diagnostics) == {("GK-SCH-003", "content/policies/zc-1.md", line)}
    key = old.split(":")[0]
    assert f"「{key}」" in diagnostics[0].message and CJK.search(diagnostics[0].message)


def test_wrong_value_in_a_list_entry_is_at_its_line(tmp_path):
    path, text = sample("service")
    diagnostics = check(tmp_path, {path: text.replace("copies: 1", "copies: 一份")})
    assert found(diagnostics) == {("GK-SCH-003", path, 15)}


def test_wrong_enum_in_a_flow_list_is_at_that_line(tmp_path):
    path, text = sample("service")
    diagnostics = check(tmp_path, {path: text.replace("audience: [个人]", "audience: [市民]")})
    assert found(diagnostics) == {("GK-SCH-003", path, 26)}


def test_empty_text_is_sch_003(tmp_path):
    path, text = sample("news")
    diagnostics = check(tmp_path, {path: text.replace("title: 测试新闻", 'title: ""')})
    assert found(diagnostics) == {("GK-SCH-003", path, 3)}


def test_wrong_category_is_sch_003(tmp_path):
    path, text = sample("notice")
    diagnostics = check(tmp_path, {path: text.replace("disclosure_category: livelihood", "disclosure_category: 民生")})
    assert found(diagnostics) == {("GK-SCH-003", path, 6)}


def test_wrong_value_in_a_unit(tmp_path):
    unit = BASE["content/units/jyj.yaml"].replace("kind: 市直部门", "kind: 部门")
    diagnostics = check(tmp_path, {"content/units/jyj.yaml": unit})
    assert found(diagnostics) == {("GK-SCH-003", "content/units/jyj.yaml", 3)}


# --- GK-GOV-001: governance files ------------------------------------------------------------

@pytest.mark.parametrize("name", ["site", "columns"])
def test_missing_governance_file_is_gov_001(tmp_path, name):
    diagnostics = check(tmp_path, {f"content/governance/{name}.yaml": None})
    assert ("GK-GOV-001", f"content/governance/{name}.yaml", 0) in found(diagnostics)


def test_optional_governance_files_may_be_absent(tmp_path):
    assert check(tmp_path, {"content/governance/wording.yaml": None}) == []


def test_invalid_settings_are_reported_and_the_defaults_stay(tmp_path):
    from pipeline.content.repository import load_repository

    root = make_repo(tmp_path, {"content/governance/settings.yaml": "rules:\n  GK-REF-001: loud\n"})
    repo = load_repository(root)
    assert repo.settings["rules"] == {}
    assert found(run_check(root)) == {("GK-SCH-003", "content/governance/settings.yaml", 2)}


# --- what the messages are made of: a Chinese name and an example for every field --------------

GENERIC_TITLES = {"文本", "日期", "日期时间", "仓库文件", "条目编号"}  # what a value is, not which one


def _fields(node, pointer=()):
    """(pointer, property schema) of every named field in a compiled schema, nested ones too."""
    from pipeline.content.schema import _parts

    for part in _parts(node):
        for key, sub in (part.get("properties") or {}).items():
            yield pointer + (key,), sub
            yield from _fields(sub, pointer + (key,))
        if isinstance(part.get("items"), dict):
            yield from _fields(part["items"], pointer + (0,))


# settings.schema.json (the repository's settings, written by maintainers) is documented elsewhere.
EDITED = [n for n in SCHEMA_NAMES if n not in ("defs", "settings")]


@pytest.mark.parametrize("name", EDITED)
def test_every_field_has_its_own_chinese_name(schemas, name):
    """Messages name a field by its key and its Chinese name: 「title」(标题), never 「title」(文本)."""
    from pipeline.content.schema import _first

    fields = list(_fields(schemas.compiled(name)))
    assert len(fields) >= 3, f"{name}: only {len(fields)} fields found"
    for pointer, sub in fields:
        key = pointer[-1]
        if CJK.search(str(key)) or (isinstance(pointer[0], str) and pointer[0] == "figures"):
            continue  # the key is Chinese itself (the report's tables)
        title = _first(sub, "title")
        assert title and CJK.search(title), f"{name}: {pointer} has no Chinese title"
        assert title not in GENERIC_TITLES or key == "id", f"{name}: {pointer} is named only by its kind, 「{title}」"


@pytest.mark.parametrize("name", EDITED)
def test_every_field_with_a_format_has_an_example_that_passes(schemas, name):
    """A format error shows a correct example (from `examples`), never the regular expression."""
    from pipeline.content.schema import _first, _parts

    fields = list(_fields(schemas.compiled(name)))
    assert len(fields) >= 3, f"{name}: only {len(fields)} fields found"
    for pointer, sub in fields:
        patterns = [part["pattern"] for part in _parts(sub) if "pattern" in part]
        items = sub.get("items") if isinstance(sub.get("items"), dict) else None
        if items and "pattern" in items:  # a list of formatted entries: the entry's examples, or the list's
            patterns = [items["pattern"]]
            examples = _first(items, "examples") or (_first(sub, "examples") or [[]])[0]
        else:
            examples = _first(sub, "examples") or []
        if not patterns:
            continue
        assert examples, f"{name}: {pointer} has a pattern but no examples"
        for pattern in patterns:
            assert all(isinstance(e, str) and re.search(pattern, e) for e in examples), (name, pointer, examples)


def test_a_format_error_in_a_list_entry_shows_an_example(tmp_path):
    from tests.repo_factory import NEWS

    files = {"content/news/xw-1.md": NEWS.replace("date: 2026-03-01 09:00", "date: 2026-03-01 09:00\nformer_urls: [art/1.html]")}
    (diag,) = check(tmp_path, files)
    assert diag.message == ("「former_urls」(曾用地址)第 1 项「art/1.html」格式不对,"
                            "应写成这样:「/art/2025/3/12/art_1234_567.html」。")
