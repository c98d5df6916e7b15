"""GK-PATH-001..004: paths stay inside the repository, sizes are bounded, folders hold content."""
from __future__ import annotations

import os

import pytest

from pipeline.content.repository import load_repository
from tests.images import texted_png
from tests.attachment_samples import pdf
from tests.item_samples import line_no
from tests.repo_factory import INTERPRETATION, NEWS, POLICY, found, make_repo, run_check

POLICY_PATH = "content/policies/zc-1.md"
INTERP_PATH = "content/interpretations/jd-zc-1.md"
NEWS_PATH = "content/news/xw-1.md"


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


def attached(path: str) -> str:
    return POLICY.replace("validity: 现行有效", f"validity: 现行有效\nattachments:\n  - title: 附件1\n    file: {path}")


# --- GK-PATH-001 -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "../../etc/passwd",
    "files/../../secret.pdf",
    "/etc/passwd",
    "~/secret.pdf",
    "files\\2026\\附件1.pdf",
])
def test_attachment_path_leaving_the_repository_is_path_001_at_its_line(tmp_path, path):
    text = attached(path)
    diagnostics = check(tmp_path, {POLICY_PATH: text, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-PATH-001", POLICY_PATH, line_no(text, "    file: "))}


def test_body_link_with_dot_dot_is_path_001(tmp_path):
    news = NEWS.replace("教育局召开会议。\n", "第一段。\n下载[表格](../files/表格.pdf)\n")
    diagnostics = check(tmp_path, {NEWS_PATH: news})
    assert found(diagnostics) == {("GK-PATH-001", NEWS_PATH, 8)}


def test_path_inside_content_passes(tmp_path):
    files = {POLICY_PATH: attached("files/2026/附件1.pdf"), INTERP_PATH: INTERPRETATION,
             "content/files/2026/附件1.pdf": pdf(["Attachment 1"])}
    assert check(tmp_path, files) == []


def test_symlinked_file_leading_outside_is_path_001(tmp_path):
    root = make_repo(tmp_path, {POLICY_PATH: attached("files/passwd.pdf"), INTERP_PATH: INTERPRETATION})
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF secret")
    (root / "content/files").mkdir(parents=True, exist_ok=True)
    os.symlink(secret, root / "content/files/passwd.pdf")
    assert ("GK-PATH-001", "content/files/passwd.pdf", 0) in found(run_check(root))


def test_symlinked_item_leading_outside_is_path_001_and_is_not_read(tmp_path):
    root = make_repo(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text(NEWS, encoding="utf-8")
    (root / "content/news").mkdir(parents=True)
    os.symlink(outside, root / "content/news/xw-1.md")
    assert found(run_check(root)) == {("GK-PATH-001", "content/news/xw-1.md", 0)}
    assert load_repository(root).items == []


def test_symlinked_folder_leading_outside_is_path_001(tmp_path):
    root = make_repo(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/x.pdf").write_bytes(b"%PDF")
    (root / "content/files").mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere", root / "content/files/2026")
    assert found(run_check(root)) == {("GK-PATH-001", "content/files/2026", 0)}


# --- GK-PATH-002 -----------------------------------------------------------------------------

SMALL_LIMITS = "limits:\n  item_max_bytes: 2048\n  asset_max_bytes: 4096\n"


def test_asset_over_the_configured_limit_is_path_002(tmp_path):
    files = {"content/governance/settings.yaml": SMALL_LIMITS, "content/files/big.pdf": b"x" * 5000}
    diagnostics = check(tmp_path, files)
    assert found(diagnostics) == {("GK-PATH-002", "content/files/big.pdf", 0)}


def test_item_over_the_configured_limit_is_path_002(tmp_path):
    big = NEWS.replace("教育局召开会议。\n", "教育局召开会议。\n" * 200)
    assert len(big.encode()) > 2048
    files = {"content/governance/settings.yaml": SMALL_LIMITS, NEWS_PATH: big}
    assert found(check(tmp_path, files)) == {("GK-PATH-002", NEWS_PATH, 0)}


def test_files_within_the_limits_pass(tmp_path):
    files = {"content/governance/settings.yaml": SMALL_LIMITS, "content/files/small.pdf": b"x" * 4096,
             NEWS_PATH: NEWS}
    assert check(tmp_path, files) == []


def test_default_item_limit_applies_without_settings(tmp_path):
    huge = NEWS.replace("教育局召开会议。\n", "会" * 400_000)  # 1.2 MB of UTF-8
    diagnostics = check(tmp_path, {NEWS_PATH: huge})
    assert found(diagnostics) == {("GK-PATH-002", NEWS_PATH, 0)}


def test_raised_item_limit_lets_the_item_be_loaded_and_checked(tmp_path):
    """settings.yaml may raise the item limit; the loader must then read the file, not drop it."""
    huge = NEWS.replace("教育局召开会议。\n", "会" * 400_000).replace("unit: jyj", "unit: nosuch")
    files = {"content/governance/settings.yaml": "limits:\n  item_max_bytes: 4194304\n", NEWS_PATH: huge}
    root = make_repo(tmp_path, files)
    assert [item.id for item in load_repository(root).items] == ["xw-1"]
    assert found(run_check(root)) == {("GK-REF-002", NEWS_PATH, 4)}


# --- GK-PATH-003 -----------------------------------------------------------------------------

@pytest.mark.parametrize("rel", [
    "content/news/draft.docx",
    "content/news/xw-1.txt",
    "content/blog/xw-1.md",
    "content/governance/columns.csv",
    "content/notes.txt",
])
def test_unknown_file_in_content_is_path_003(tmp_path, rel):
    diagnostics = check(tmp_path, {rel: "x"})
    assert found(diagnostics) == {("GK-PATH-003", rel, 0)}


def test_unknown_governance_yaml_is_path_003(tmp_path):
    """A misspelt settings file must not be silently ignored."""
    rel = "content/governance/settngs.yaml"
    diagnostics = check(tmp_path, {rel: "rules:\n  GK-COV-001: error\n"})
    assert found(diagnostics) == {("GK-PATH-003", rel, 0)}


def test_known_root_files_pass(tmp_path):
    assert check(tmp_path, {"content/README.md": "# 内容仓库说明\n", "content/.gitattributes": "* text=auto\n"}) == []


# --- GK-PATH-004 -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["run.exe", "page.html", "script.js", "noextension"])
def test_disallowed_attachment_type_is_path_004(tmp_path, name):
    rel = f"content/files/{name}"
    assert found(check(tmp_path, {rel: b"MZ"})) == {("GK-PATH-004", rel, 0)}


@pytest.mark.parametrize("name", ["附件1.pdf", "表格.XLSX", "图解.png", "解读.mp4"])
def test_allowed_attachment_types_pass(tmp_path, name):
    data = texted_png() if name.endswith(".png") else b"data"  # an image must also be one (GK-MEDIA-001)
    assert check(tmp_path, {f"content/files/{name}": data}) == []


def test_allowed_types_come_from_settings(tmp_path):
    files = {"content/governance/settings.yaml": "limits:\n  asset_extensions: [pdf]\n",
             "content/files/a.pdf": b"%PDF", "content/files/b.png": texted_png()}
    assert found(check(tmp_path, files)) == {("GK-PATH-004", "content/files/b.png", 0)}
