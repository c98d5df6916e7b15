"""GK-MEDIA-001..002: images are screened as the build would publish them (core.published_copy)."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from pipeline import cli
from tests.images import phone_jpeg, texted_png
from tests.repo_factory import NEWS, found, make_repo, run_check

NEWS_PATH = "content/news/xw-1.md"


def with_image(name: str) -> str:
    return NEWS.replace("教育局召开会议。", f"教育局召开会议。\n\n![会场](files/jyj/2026/xw-1/{name})")


def check(tmp_path, name: str, data: bytes):
    return run_check(make_repo(tmp_path, {NEWS_PATH: with_image(name), f"content/files/jyj/2026/xw-1/{name}": data}))


def bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 million pixels in a few kilobytes
    return out.getvalue()


@pytest.mark.parametrize("name,data,what", [
    ("现场.jpg", phone_jpeg()[:400], "损坏"),
    ("现场.png", texted_png()[:-30], "损坏"),
    ("现场.png", b"not an image at all", "无法识别"),
    ("炸弹.png", bomb(), "解压炸弹"),
])
def test_an_image_that_cannot_be_read_whole_is_media_001(tmp_path, name, data, what):
    diagnostics = check(tmp_path, name, data)
    rel = f"content/files/jyj/2026/xw-1/{name}"
    assert found(diagnostics, "GK-MEDIA-001") == {("GK-MEDIA-001", rel, 0)}
    message = next(d.message for d in diagnostics if d.code == "GK-MEDIA-001")
    assert what in message and "不会发布" in message


@pytest.mark.parametrize("name,data", [("现场.jpg", phone_jpeg()), ("现场.png", texted_png())])
def test_an_image_with_gps_or_text_is_accepted_its_copy_is_cleaned(tmp_path, name, data):
    assert found(check(tmp_path, name, data), "GK-MEDIA-001") == set()


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'


@pytest.mark.parametrize("line,named", [
    ('<script>alert(1)</script>', "<script>"),
    ('<rect width="5" height="5" onclick="go()"/>', "onclick"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', "<foreignObject>"),
    ('<use href="https://example.com/icons.svg#a"/>', "<use>"),
    ('<use xlink:href="other.svg#a"/>', "<use>"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "javascript:alert(1)"),
    ('<image href="data:text/html;base64,PHNjcmlwdD4="/>', "<image>"),
    ('<rect style="fill:url(http://example.com/p.png)"/>', "url(http://example.com/p.png)"),
    ('<style>@import url(https://example.com/a.css);</style>', "@import"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
])
def test_an_svg_that_can_act_or_reach_another_host_is_media_002_at_its_line(tmp_path, line, named):
    text = SVG_HEAD + '<title>图解</title>\n' + line + "\n</svg>\n"
    diagnostics = check(tmp_path, "图解.svg", text.encode())
    problems = [d for d in diagnostics if d.code == "GK-MEDIA-002"]
    assert {(d.path, d.line) for d in problems} == {("content/files/jyj/2026/xw-1/图解.svg", 3)}
    assert any(named in d.message for d in problems)


def test_an_svg_with_entities_is_media_002(tmp_path):
    text = '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + SVG_HEAD + "<text>&x;</text></svg>"
    diagnostics = check(tmp_path, "图解.svg", text.encode())
    assert found(diagnostics, "GK-MEDIA-002") == {("GK-MEDIA-002", "content/files/jyj/2026/xw-1/图解.svg", 2)}
    assert "passwd" not in " ".join(d.message for d in diagnostics)


def test_an_inert_svg_passes_and_the_demos_svgs_pass(tmp_path):
    from tests.portal.conftest import CODE_DIR
    from pipeline.core.published_copy import svg_problems

    text = SVG_HEAD + ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient><path id="p" d="M0 0h5"/></defs>\n'
                       '<title>图解</title><rect fill="url(#g)" width="5" height="5"/><use href="#p"/>'
                       '<image href="photo.png" width="2" height="2"/><a href="/policies/zc-1/"><text>办法</text></a></svg>')
    assert found(check(tmp_path, "图解.svg", text.encode()), "GK-MEDIA-002") == set()
    shipped = [*(CODE_DIR / "themes/portal/static").rglob("*.svg"), *(CODE_DIR / "content/files").rglob("*.svg")]
    assert shipped and {p.name: svg_problems(p.read_bytes()) for p in shipped} == {p.name: [] for p in shipped}


def test_gongkai_check_reports_it_and_rules_documents_it(tmp_path, capsys):
    root = make_repo(tmp_path, {NEWS_PATH: with_image("图解.svg"),
                                "content/files/jyj/2026/xw-1/图解.svg": (SVG_HEAD + "<script>x</script></svg>").encode()})
    assert cli.main(["--root", str(root), "check", "--now", "2026-03-02 10:00"]) == 1
    assert "GK-MEDIA-002" in capsys.readouterr().out
    for code in ("GK-MEDIA-001", "GK-MEDIA-002"):
        assert cli.main(["rules", code]) == 0
        doc = capsys.readouterr().out
        assert "FAIL" in doc and "PASS" in doc
