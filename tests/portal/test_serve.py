"""`gongkai serve`: builds, serves on 127.0.0.1, rebuilds when content changes."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.repo_factory import NEWS, make_repo

GONGKAI = Path(sys.executable).with_name("gongkai")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_builds_serves_and_rebuilds_on_change(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS})
    port = free_port()
    proc = subprocess.Popen([str(GONGKAI), "--root", str(root), "serve", "--port", str(port),
                             "--now", "2026-03-02 09:00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = f"http://127.0.0.1:{port}/news/xw-1/"
        # Generous waits: under the whole suite on two cores a build of even this site can take long.
        assert wait_for(lambda: "测试新闻" in fetch(page), 90), "the preview never served the item"
        news = root / "content/news/xw-1.md"
        news.write_text(news.read_text(encoding="utf-8").replace("title: 测试新闻", "title: 修改后的新闻"), encoding="utf-8")
        assert wait_for(lambda: "修改后的新闻" in fetch(page), 90), "the preview did not rebuild after the change"
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "预览地址" in out
    assert "Traceback" not in err


def test_serve_on_a_busy_port_is_a_clear_error(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([str(GONGKAI), "--root", str(root), "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "无法在 127.0.0.1" in proc.stderr and "Traceback" not in proc.stderr
    assert not (root / "output").exists()  # the port is tried before the site is built


def test_serve_answers_a_missing_address_with_the_sites_404_page(tmp_path):
    root = make_repo(tmp_path, {"content/news/xw-1.md": NEWS})
    port = free_port()
    proc = subprocess.Popen([str(GONGKAI), "--root", str(root), "serve", "--port", str(port),
                             "--now", "2026-03-02 09:00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: "测试新闻" in fetch(f"http://127.0.0.1:{port}/news/xw-1/"))
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no/such/page/", timeout=5)
        except urllib.error.HTTPError as error:
            assert error.code == 404
            page = error.read().decode("utf-8")
        else:
            raise AssertionError("a missing page was served")
        assert "页面不存在" in page and 'lang="zh-CN"' in page
    finally:
        proc.terminate()
        proc.communicate(timeout=10)

