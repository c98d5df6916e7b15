"""ci/screenshots.py, the script reviewers run to look at every page family at 360 px and 1280 px, and at
the browser editor at 1280 px (README's "For editors" shows two of those)."""
from __future__ import annotations

import struct
import subprocess
import sys

from .conftest import CODE_DIR

SCRIPT = CODE_DIR / "ci" / "screenshots.py"
FAMILIES = {"home", "policy-library", "policy", "service", "search", "unit", "report"}
EDITOR = {"editor-list-1280", "editor-news-form-1280"}


def png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_script_shoots_every_family_at_both_widths_full_page(portal, tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--site", str(portal.output), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=CODE_DIR)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "已写入 16 张截图" in done.stdout
    shots = {p.stem: png_size(p) for p in tmp_path.glob("*.png")}
    assert set(shots) == {f"{family}-{width}" for family in FAMILIES for width in (360, 1280)} | EDITOR
    for name in EDITOR:
        assert shots.pop(name)[0] == 1280
    for name, (width, height) in shots.items():
        assert width == int(name.rsplit("-", 1)[1]), f"{name}: {width} px wide (the page overflows the screen?)"
        # Full page, not just the first screen: every family is longer than one screen at both widths.
        assert height > (740 if width == 360 else 900), f"{name} is only {height} px tall"


def test_the_script_refuses_a_page_the_site_does_not_have(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), "--site", str(site), "--out", str(tmp_path / "shots")],
                          capture_output=True, text=True, timeout=300, cwd=CODE_DIR)
    assert done.returncode != 0 and "站点中没有这个页面" in done.stderr
