"""What bytes a published file has (issue 24): images without EXIF, GPS or text, turned upright, the same
bytes every build (so unchanged ones are linked from the live site); the demo's phone photo; runner faults
(no space, I/O error, no permission) said in Chinese with exit 2; killed builds' staging folders removed."""
from __future__ import annotations

import errno
import fcntl
import io
import os
import pathlib
import shutil

import pytest
from PIL import Image

from pipeline import cli
from pipeline.site import staging as staging_module
from tests.images import is_upright, phone_jpeg, texted_png
from tests.repo_factory import NEWS, make_repo

from .conftest import tree_hash

NOW = "2026-03-02 10:00"
PHOTO = "files/jyj/2026/xw-1/现场.jpg"
CHART = "files/jyj/2026/xw-1/现场.png"


def photo_repo(tmp_path):
    body = f"教育局召开会议。\n\n![会场](%s)\n\n![示意图](%s)" % (PHOTO, CHART)
    return make_repo(tmp_path, {"content/news/xw-1.md": NEWS.replace("教育局召开会议。", body),
                                f"content/{PHOTO}": phone_jpeg(), f"content/{CHART}": texted_png()})


def gongkai_build(root, output, capsys):
    code = cli.main(["--root", str(root), "build", "--output", str(output), "--now", NOW])
    out = capsys.readouterr()
    return code, out.out, out.err


def leftovers(parent):
    return sorted(p.name for p in parent.iterdir()
                  if (".building-" in p.name or ".old-" in p.name) and not p.name.endswith(".lock"))


def retiring(parent):
    return sorted(p.name for p in parent.iterdir() if ".retiring-" in p.name)


def after_the_removers(parent, timeout=60.0):
    """The previous sites the builds retired are removed in the background: wait for that (it takes a
    fraction of a second here), then say what is left."""
    import time

    deadline = time.monotonic() + timeout
    while retiring(parent) and time.monotonic() < deadline:
        time.sleep(0.05)
    return retiring(parent)


def test_published_images_carry_no_hidden_data_and_are_upright(tmp_path, capsys):
    root = photo_repo(tmp_path)
    output = tmp_path / "site" / "output"
    source = (root / "content" / PHOTO).read_bytes()
    code, _, err = gongkai_build(root, output, capsys)
    assert code == 0, err
    photo = (output / PHOTO).read_bytes()
    image = Image.open(io.BytesIO(photo))
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    assert b"YunPhone" not in photo and b"taken at home" not in photo
    assert is_upright(photo), "turned as the EXIF orientation said, so it needs the tag no more"
    chart = (output / CHART).read_bytes()
    assert Image.open(io.BytesIO(chart)).info == {} and "王某某".encode() not in chart
    assert Image.open(io.BytesIO(chart)).tobytes() == Image.open(io.BytesIO(texted_png())).tobytes(), "pixels unchanged"
    assert (root / "content" / PHOTO).read_bytes() == source, "the original stays in content/"
    # Same source, same bytes: the next build links the live copies instead of writing them.
    before = {rel: (output / rel).stat().st_ino for rel in (PHOTO, CHART)}
    assert gongkai_build(root, output, capsys)[0] == 0
    assert (output / PHOTO).read_bytes() == photo
    assert {rel: (output / rel).stat().st_ino for rel in (PHOTO, CHART)} == before


def test_a_corrupt_image_stops_the_build_at_the_check(tmp_path, capsys):
    root = photo_repo(tmp_path)
    output = tmp_path / "site" / "output"
    assert gongkai_build(root, output, capsys)[0] == 0
    before = tree_hash(output)
    (root / "content" / PHOTO).write_bytes(phone_jpeg()[:300])
    code, out, err = gongkai_build(root, output, capsys)
    assert code == 1 and "GK-MEDIA-001" in out and "Traceback" not in err
    assert tree_hash(output) == before


def test_the_demo_photo_is_published_without_gps_and_upright(demo):
    rel = "files/byx/2026/xw-2026-1015/沃柑采摘.jpg"
    original = Image.open(demo.root / "content" / rel)
    assert original.getexif().get(0x0112) == 6 and original.getexif().get_ifd(0x8825), "the demo's source keeps its GPS"
    published = Image.open(demo.output / rel)
    assert not published.getexif() and "exif" not in published.info
    assert published.size == original.size[::-1], "turned upright"
    page = (demo.output / "news/xw-2026-1015/index.html").read_text(encoding="utf-8")
    assert "沃柑采摘.jpg" in page


# --- runner faults ---------------------------------------------------------------------------

@pytest.mark.parametrize("number,said", [(errno.ENOSPC, "磁盘空间不足"), (errno.EIO, "输入/输出错误"),
                                         (errno.EACCES, "没有权限")])
def test_a_runner_fault_while_writing_is_said_in_chinese_and_leaves_the_site(tmp_path, capsys, monkeypatch, number, said):
    root = photo_repo(tmp_path)
    output = tmp_path / "site" / "output"
    assert gongkai_build(root, output, capsys)[0] == 0
    before = tree_hash(output)
    real = pathlib.Path.write_bytes

    def failing(self, data):
        if ".building-" in str(self):  # the staging folder: the build's own writes, not the test's
            raise OSError(number, os.strerror(number), str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", failing)
    (root / "content/news/xw-1.md").write_text(NEWS.replace("召开会议", "召开工作会议"), encoding="utf-8")
    code, _, err = gongkai_build(root, output, capsys)
    assert code == 2
    assert said in err and ".building-" in err and "原有网站未被改动" in err, err
    assert "Traceback" not in err and "内部错误" not in err
    assert tree_hash(output) == before
    assert leftovers(output.parent) == []


def test_an_output_folder_that_cannot_be_written_is_said_in_chinese(tmp_path, capsys, monkeypatch):
    root = photo_repo(tmp_path)
    parent = tmp_path / "site"
    output = parent / "output"
    assert gongkai_build(root, output, capsys)[0] == 0
    before = tree_hash(output)
    if os.geteuid() == 0:  # root writes through any mode: the kernel's refusal is made by hand
        real = os.open

        def refused(path, *args, **kwargs):
            if str(path).startswith(str(parent)):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(staging_module.os, "open", refused)
    else:
        parent.chmod(0o555)
    try:
        code, _, err = gongkai_build(root, output, capsys)
    finally:
        parent.chmod(0o755)
    assert code == 2 and "没有权限" in err and str(parent) in err, err
    assert "Traceback" not in err and "内部错误" not in err
    assert tree_hash(output) == before


# --- staging folders of killed builds --------------------------------------------------------

def test_a_killed_builds_staging_folder_is_removed_one_in_use_is_not(tmp_path, capsys):
    root = photo_repo(tmp_path)
    parent = tmp_path / "site"
    output = parent / "output"
    assert gongkai_build(root, output, capsys)[0] == 0
    # A build killed part-way: its folder and its lock file, which nobody holds any more.
    (parent / ".output.building-dead0001" / "news").mkdir(parents=True)
    (parent / ".output.building-dead0001.lock").touch()
    (parent / ".output.old-dead0002").mkdir()  # killed during a swap, before the old site was removed
    (parent / ".output.building-older003").mkdir()  # from before builds took locks
    # A build still running: it holds its lock.
    (parent / ".output.building-live0004").mkdir()
    held = os.open(parent / ".output.building-live0004.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    (parent / ".other.building-aaaa0005").mkdir()  # another destination's: not this build's kind
    try:
        assert gongkai_build(root, output, capsys)[0] == 0
        assert leftovers(parent) == [".other.building-aaaa0005", ".output.building-live0004"]
        assert (parent / ".output.building-live0004.lock").exists()
    finally:
        os.close(held)
    assert gongkai_build(root, output, capsys)[0] == 0
    assert leftovers(parent) == [".other.building-aaaa0005"]
    assert [p.name for p in parent.iterdir() if p.name.endswith(".lock")] == []


def test_two_builds_at_once_leave_one_whole_site(tmp_path):
    """Each swaps in a whole site; the later one wins, neither fails, nothing is left beside it."""
    import subprocess
    import sys

    from .conftest import CODE_DIR

    root = photo_repo(tmp_path)
    output = tmp_path / "site" / "output"
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(root), "build", "--output", str(output), "--now", NOW]
    first = subprocess.run(command, capture_output=True, text=True, cwd=CODE_DIR, timeout=300)
    assert first.returncode == 0, first.stderr
    alone = tree_hash(output)
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=CODE_DIR)
            for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert tree_hash(output) == alone
    assert after_the_removers(output.parent) == []
    assert leftovers(output.parent) == []
    assert sorted(p.name for p in output.parent.iterdir()) == [".output.spare", "output"]


def test_the_previous_site_is_removed_in_the_background_a_killed_removal_by_the_next_build(tmp_path, capsys):
    """The swap does not wait for the walk of every entry of a retired site (the spare a newer retired
    site replaces): a detached process removes it, holding the folder's lock. One whose remover was killed
    (nobody holds its lock) goes with the next build; one whose remover still works is left to it."""
    root = photo_repo(tmp_path)
    parent = tmp_path / "site"
    output = parent / "output"
    assert gongkai_build(root, output, capsys)[0] == 0
    first = os.stat(output).st_ino
    assert gongkai_build(root, output, capsys)[0] == 0
    assert os.stat(output).st_ino != first  # a new site was swapped in: the old one was retired
    assert after_the_removers(parent) == []
    (parent / ".output.retiring-dead0006" / "news").mkdir(parents=True)  # its remover was killed
    (parent / ".output.retiring-live0007" / "news").mkdir(parents=True)
    held = os.open(parent / ".output.retiring-live0007", os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(held, fcntl.LOCK_EX)  # as a remover at work holds it
    try:
        assert gongkai_build(root, output, capsys)[0] == 0
        assert ".output.retiring-live0007" in retiring(parent)
        assert ".output.retiring-dead0006" not in retiring(parent)
    finally:
        os.close(held)
    assert after_the_removers(parent) == [".output.retiring-live0007"]  # nobody removes it while it is held
    assert gongkai_build(root, output, capsys)[0] == 0
    assert after_the_removers(parent) == [] and leftovers(parent) == []


# --- the retired site as the next build's base --------------------------------------------------

def test_the_retired_site_is_the_next_builds_base_and_never_written_through(tmp_path, capsys):
    """The site a swap retires is kept as `.output.spare` and becomes the next build's staging folder; its
    files that are still the live site's (hard links) stay, the rest is written. A changed page is replaced,
    not written through the link it shares with the live site: the site that build retires keeps its bytes."""
    root = photo_repo(tmp_path)
    parent = tmp_path / "site"
    output = parent / "output"
    spare = parent / ".output.spare"
    assert gongkai_build(root, output, capsys)[0] == 0
    first = os.stat(output).st_ino
    assert not spare.exists()
    assert gongkai_build(root, output, capsys)[0] == 0
    assert os.stat(spare).st_ino == first  # the first site, retired
    second = tree_hash(output)
    news = root / "content/news/xw-1.md"
    news.write_text(news.read_text(encoding="utf-8").replace("教育局召开会议", "教育局召开专题会议"), encoding="utf-8")
    assert gongkai_build(root, output, capsys)[0] == 0
    assert os.stat(output).st_ino == first  # built on the spare
    changed = [name for name, digest in tree_hash(output).items() if second.get(name) != digest]
    assert any(name.endswith(".html") for name in changed), changed
    assert tree_hash(spare) == second, "the retired site was changed through a link it shared with the live one"
    fresh = tmp_path / "fresh" / "output"
    assert gongkai_build(root, fresh, capsys)[0] == 0
    assert tree_hash(output) == tree_hash(fresh)


def test_what_a_spare_holds_beyond_the_live_sites_files_is_never_published(tmp_path, capsys):
    """A spare is compared with the live site by inode, never trusted: a stray page, a file replaced in it
    (not the live one's link), a folder where a file belongs and a file where a folder belongs are gone
    from the next site, which is byte for byte a build from nothing."""
    root = photo_repo(tmp_path)
    parent = tmp_path / "site"
    output = parent / "output"
    spare = parent / ".output.spare"
    for _ in range(2):
        assert gongkai_build(root, output, capsys)[0] == 0
    (spare / "leak").mkdir()
    (spare / "leak" / "index.html").write_text("<p>身份证号 330102199001011234</p>", encoding="utf-8")
    pages = sorted(p for p in spare.rglob("index.html") if p.parent != spare and "leak" not in p.parts)
    replaced, emptied = pages[0], pages[-1]
    replaced.unlink()
    replaced.write_text("<p>篡改</p>", encoding="utf-8")
    shutil.rmtree(emptied.parent)
    emptied.parent.write_text("一个文件占了文件夹的位置", encoding="utf-8")
    favicon = spare / "favicon.ico"
    favicon.unlink()
    favicon.mkdir()
    (favicon / "stray.txt").write_text("x", encoding="utf-8")
    assert gongkai_build(root, output, capsys)[0] == 0
    assert not spare.exists() or os.stat(spare).st_ino != os.stat(output).st_ino
    fresh = tmp_path / "fresh" / "output"
    assert gongkai_build(root, fresh, capsys)[0] == 0
    assert tree_hash(output) == tree_hash(fresh)
    assert not (output / "leak").exists()


def test_the_spares_search_parts_are_kept_only_when_they_are_the_live_ones(tmp_path, capsys, monkeypatch):
    """A build on a spare keeps the spare's search parts that are the live site's file for file (the same
    inodes) with unchanged content, rather than linking them again; a part of the spare that differs from
    the live one in any file, or a stray part, is not published: the site is byte for byte a build from
    nothing."""
    from pipeline.site import search

    root = photo_repo(tmp_path)
    parent = tmp_path / "site"
    output = parent / "output"
    spare = parent / ".output.spare"
    for _ in range(3):  # the third build's spare holds the parts the second linked from the first
        assert gongkai_build(root, output, capsys)[0] == 0
    linked = []
    real = search._link_tree
    monkeypatch.setattr(search, "_link_tree", lambda old, new: linked.append(new.name) or real(old, new))
    part = spare / "pagefind" / "0"
    assert search._same_files(part, output / "pagefind" / "0")
    kept = os.stat(part).st_ino
    assert gongkai_build(root, output, capsys)[0] == 0
    assert linked == [] and os.stat(output / "pagefind" / "0").st_ino == kept
    # Now a spare whose part differs from the live one by one file, and a part the site does not have.
    fragment = next((spare / "pagefind" / "0" / "fragment").iterdir())
    data = fragment.read_bytes()
    fragment.unlink()
    fragment.write_bytes(data)  # the same bytes, but not the live site's file
    (spare / "pagefind" / "7").mkdir()
    (spare / "pagefind" / "7" / "pagefind.js").write_text("// 不是本站的", encoding="utf-8")
    (spare / "pagefind" / "partitions.json").unlink()
    (spare / "pagefind" / "partitions.json").mkdir()  # a folder where the list of parts belongs
    assert gongkai_build(root, output, capsys)[0] == 0
    assert linked == ["0"] and not (output / "pagefind" / "7").exists()
    fresh = tmp_path / "fresh" / "output"
    assert gongkai_build(root, fresh, capsys)[0] == 0
    assert tree_hash(output) == tree_hash(fresh)
