"""GK-ID-001 (duplicate id) and GK-ID-002 (id differs from the file name)."""
from __future__ import annotations

from tests.item_samples import sample
from tests.repo_factory import NEWS, found, make_repo, run_check, unit_yaml


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


# --- GK-ID-001 -------------------------------------------------------------------------------

def test_same_id_in_two_folders_is_id_001_on_the_later_file(tmp_path):
    notice_path, notice = sample("notice")
    notice = notice.replace("id: tz-1", "id: xw-1")
    diagnostics = check(tmp_path, {
        "content/news/xw-1.md": NEWS,
        "content/notices/xw-1.md": notice,
    })
    # path order: content/news/ before content/notices/
    assert found(diagnostics) == {("GK-ID-001", "content/notices/xw-1.md", 2)}
    assert "content/news/xw-1.md:2" in diagnostics[0].message


def test_same_stem_with_two_extensions_is_id_001(tmp_path):
    yaml_news = "id: xw-1\ntitle: 同名新闻\nunit: jyj\ndate: 2026-03-01\n"
    diagnostics = check(tmp_path, {"content/news/xw-1.md": NEWS, "content/news/xw-1.yaml": yaml_news})
    assert found(diagnostics) == {("GK-ID-001", "content/news/xw-1.yaml", 1)}


def test_distinct_ids_pass(tmp_path):
    notice_path, notice = sample("notice")
    assert check(tmp_path, {"content/news/xw-1.md": NEWS, notice_path: notice}) == []


def test_duplicate_unit_id_is_id_001(tmp_path):
    """Two unit files for one id (jyj.yaml and jyj.yml): the second must not vanish silently."""
    diagnostics = check(tmp_path, {"content/units/jyj.yml": unit_yaml("jyj", "测试市教育局(重复)")})
    assert ("GK-ID-001", "content/units/jyj.yml", 1) in found(diagnostics)


# --- GK-ID-002 -------------------------------------------------------------------------------

def test_id_differing_from_file_name_is_id_002_at_the_id_line(tmp_path):
    diagnostics = check(tmp_path, {"content/news/xw-2.md": NEWS})  # says id: xw-1
    assert found(diagnostics) == {("GK-ID-002", "content/news/xw-2.md", 2)}
    assert "xw-1" in diagnostics[0].message and "xw-2" in diagnostics[0].message


def test_unit_id_differing_from_file_name_is_id_002(tmp_path):
    diagnostics = check(tmp_path, {"content/units/jyj.yaml": None,
                                   "content/units/edu.yaml": unit_yaml("jyj", "测试市教育局")})
    assert ("GK-ID-002", "content/units/edu.yaml", 1) in found(diagnostics)


def test_id_matching_file_name_passes(tmp_path):
    assert check(tmp_path, {"content/news/xw-1.md": NEWS}) == []


def test_item_without_id_takes_its_file_name(tmp_path):
    diagnostics = check(tmp_path, {"content/news/xw-1.md": NEWS.replace("id: xw-1\n", "")})
    assert found(diagnostics) == {("GK-SCH-001", "content/news/xw-1.md", 2)}
