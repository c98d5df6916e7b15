"""The demo content of 云江市 (content/ of this repository) and issue 2's acceptance on it.

- `gongkai check` on the demo exits 0 (warnings allowed);
- removing any key a schema lists as required (top-level `required`) from any
  demo item, unit or governance file makes the check fail with an error naming
  that file, at the line where the key was or at the item's first line;
- the demo covers what the issue asks for.

The required-key test mutates one file at a time. Every mutation goes through
the real loader (`parse_item`) and the real schema validation
(`SchemaSet.validate`, which the check calls for every item) and the decision
layer; a sample of mutations, one per schema, also goes through the whole
`check_repository` on a copy of the repository, and one through the command.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline.check.whole import check_repository
from pipeline.content.loader import LoadError, parse_item
from pipeline.check.severity import decide
from pipeline.diagnostics import Severity, has_errors
from pipeline.core.relations import interpretations_by_policy
from pipeline.content.repository import load_repository
from pipeline.timeutil import parse_day
from pipeline.content.types import GOVERNANCE_FILES, TYPES

ROOT = Path(__file__).resolve().parent.parent
GONGKAI = Path(sys.executable).with_name("gongkai")
COMMAND = [str(GONGKAI)] if GONGKAI.exists() else [sys.executable, "-m", "pipeline.cli"]


@pytest.fixture(scope="module")
def demo():
    return load_repository(ROOT)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    """A repository holding a copy of content/ only (schemas are read from the package)."""
    root = tmp_path_factory.mktemp("demo") / "repo"
    shutil.copytree(ROOT / "content", root / "content", symlinks=True)
    return root


def records(repo):
    """(item, schema name) for every item, unit record and governance file."""
    out = [(item, item.type) for item in repo.items if item.type in TYPES]
    out += [(unit, "unit") for unit in getattr(repo, "unit_records", repo.units.values())]
    out += [(item, GOVERNANCE_FILES[name]) for name, item in repo.governance.items()]
    return sorted(out, key=lambda pair: pair[0].path)


def remove_key(text: str, line: int) -> str:
    """Remove the key on `line` (1-based) and its indented continuation (block scalars, lists)."""
    lines = text.split("\n")
    start = line - 1
    end = start + 1
    while end < len(lines):
        current = lines[end]
        if current.startswith((" ", "\t")) or current == "-" or current.startswith("- "):
            end += 1
        elif current.strip() == "" and end + 1 < len(lines) and lines[end + 1].startswith((" ", "\t")):
            end += 1  # a blank line inside a block scalar
        else:
            break
    return "\n".join(lines[:start] + lines[end:])


def mutations(repo):
    """(rel, schema name, key, line of the key, mutated text) for every required key of every record."""
    for item, schema_name in records(repo):
        text = (repo.root / item.path).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        for key in repo.schemas.schemas[schema_name].get("required", []):
            line = item.key_lines.get((key,))
            yield item.path, schema_name, key, line, (None if line is None else remove_key(text, line)), item


def test_demo_check_exits_0():
    result = subprocess.run([*COMMAND, "--root", str(ROOT), "check"], capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Traceback" not in result.stderr


def test_demo_has_no_errors_in_process(demo):
    errors = [d for d in check_repository(demo) if d.severity is Severity.ERROR]
    assert errors == []


def test_removing_any_required_key_from_any_demo_file_is_an_error_at_that_file(demo):
    checked = Counter()
    problems = []
    for rel, schema_name, key, line, mutated, original in mutations(demo):
        if line is None:
            problems.append(f"{rel}: required key {key} is not in the file")
            continue
        try:
            item = parse_item(mutated.encode("utf-8"), rel, original.type)
            diagnostics = demo.schemas.validate(item, schema_name)
            first_line = item.first_line
        except LoadError as exc:  # removing a key may leave YAML that does not parse: also an error
            diagnostics = [exc.diagnostic]
            first_line = 1
        decided = decide(diagnostics, demo.settings)
        at_file = [d for d in decided if d.path == rel and d.severity is Severity.ERROR
                   and d.line in {line, first_line, original.first_line}]
        if not (has_errors(decided) and at_file):
            problems.append(f"{rel}: removing {key} (line {line}) gives {[(d.code, d.line) for d in decided]}")
        checked[schema_name] += 1
    assert problems == [], "\n".join(problems[:30])
    assert sum(checked.values()) >= 300, checked  # a real demo, not an empty loop


def test_removing_a_required_key_fails_the_whole_check_for_every_schema(demo, demo_copy):
    """One mutation per schema through load_repository + check_repository on a copy of content/."""
    seen = {}
    for rel, schema_name, key, line, mutated, _ in mutations(demo):
        if line is None or schema_name in seen or key == "id":
            continue
        seen[schema_name] = (rel, key, line, mutated)
    assert set(TYPES) <= set(seen), set(TYPES) - set(seen)
    for schema_name, (rel, key, line, mutated) in sorted(seen.items()):
        path = demo_copy / rel
        original = path.read_bytes()
        try:
            path.write_text(mutated, encoding="utf-8")
            diagnostics = check_repository(load_repository(demo_copy))
        finally:
            path.write_bytes(original)
        at_file = [d for d in diagnostics if d.path == rel and d.severity is Severity.ERROR]
        assert at_file, f"{schema_name}: removing {key} from {rel}"
        assert {d.line for d in at_file} & {line, 1, 2}, [(d.code, d.line) for d in at_file]


def test_removing_a_required_key_makes_the_command_exit_1(demo, demo_copy):
    policy = next(item for item in demo.items if item.type == "policy")
    path = demo_copy / policy.path
    original = path.read_bytes()
    try:
        path.write_text(remove_key(original.decode("utf-8"), policy.key_lines[("doc_type",)]), encoding="utf-8")
        result = subprocess.run([*COMMAND, "--root", str(demo_copy), "check"], capture_output=True, text=True,
                                encoding="utf-8", timeout=300)
    finally:
        path.write_bytes(original)
    assert result.returncode == 1
    assert f"{policy.path}:{policy.first_line}:" in result.stdout or f"{policy.path}:{policy.first_line} " in result.stdout
    assert "Traceback" not in result.stderr


def test_remove_key_takes_continuation_lines():
    text = "---\nid: a\nlist:\n  - x\n  - y\nblock: |\n  one\n\n  two\nflat:\n- p\n- q\nend: 1\n---\nbody\n"
    assert remove_key(text, 3) == "---\nid: a\nblock: |\n  one\n\n  two\nflat:\n- p\n- q\nend: 1\n---\nbody\n"
    assert remove_key(text, 6) == "---\nid: a\nlist:\n  - x\n  - y\nflat:\n- p\n- q\nend: 1\n---\nbody\n"
    assert remove_key(text, 10) == "---\nid: a\nlist:\n  - x\n  - y\nblock: |\n  one\n\n  two\nend: 1\n---\nbody\n"
    assert remove_key(text, 13) == "---\nid: a\nlist:\n  - x\n  - y\nblock: |\n  one\n\n  two\nflat:\n- p\n- q\n---\nbody\n"


# --- what the demo covers (issue 2, "Demo content") -----------------------------------------

def test_demo_covers_every_content_type_with_at_least_60_items(demo):
    types = Counter(item.type for item in demo.items)
    assert set(TYPES) <= set(types), set(TYPES) - set(types)
    assert sum(types.values()) >= 60, types


def test_demo_covers_every_disclosure_category(demo):
    categories = {item.meta.get("disclosure_category") for item in demo.items}
    missing = set(demo.schemas.category_labels) - categories
    assert not missing, missing


def test_demo_policies_have_interpretations_in_at_least_three_forms(demo):
    by_policy = interpretations_by_policy(demo)
    policies = {item.id for item in demo.of_type("policy")}
    forms = {i.meta.get("form") for pid, interps in by_policy.items() if pid in policies for i in interps}
    assert len(forms) >= 3, forms
    assert len([pid for pid in by_policy if pid in policies]) >= 3


def test_demo_services_cover_at_least_eight_themes(demo):
    themes = {item.meta.get("theme") for item in demo.of_type("service")}
    assert len(themes) >= 8, themes


def test_demo_has_letters_of_every_kind(demo):
    kinds = {item.meta.get("kind") for item in demo.of_type("letter")}
    assert kinds >= {"咨询", "求助", "建议", "投诉", "举报"}, kinds


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`, on the official calendar."""
    import chinese_calendar

    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        days += chinese_calendar.is_workday(current)
    return days


def test_demo_has_letters_answered_late(demo):
    """Art. 20: 咨询 2, 求助/建议 5, 投诉/举报 10 working days (an extension doubles it)."""
    limits = {"咨询": 2, "求助": 5, "建议": 5, "投诉": 10, "举报": 10}
    late = []
    for letter in demo.of_type("letter"):
        received, replied = parse_day(letter.meta.get("received")), parse_day(letter.meta.get("replied"))
        if received and replied and letter.meta.get("kind") in limits:
            limit = limits[letter.meta["kind"]] * (2 if letter.meta.get("extended") else 1)
            if working_days_between(received, replied) > limit:
                late.append(letter.id)
    assert late, "no demo letter is answered late"


def test_demo_has_a_survey_with_results_and_one_without(demo):
    surveys = demo.of_type("survey")
    assert any("result" in s.meta for s in surveys)
    assert any("result" not in s.meta for s in surveys)


def test_demo_has_an_emergency_response(demo):
    assert any(r.meta.get("kind") == "突发事件信息" for r in demo.of_type("response"))


def test_demo_units_and_governance_are_present(demo):
    assert len(demo.units) >= 5
    assert {"site", "columns"} <= set(demo.governance)
