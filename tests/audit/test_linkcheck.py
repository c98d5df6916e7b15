"""`gongkai linkcheck` on the built demo site: a broken internal link, a closed port, an unresolvable
host and a page that is gone, each with its page and unit; LinkChecker fetches the external ones."""
from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.audit import links as linkcheck
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-26 09:00"
PAGE = "news/xw-2026-0717/index.html"  # a news item of 市住房公积金管理中心 (gjj)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """Another web site on 127.0.0.1 with one page."""
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "ok.html").write_text("<!doctype html><title>ok</title>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def site(tmp_path_factory, elsewhere):
    out = tmp_path_factory.mktemp("site") / "output"
    assert main(["--root", str(ROOT), "build", "--now", NOW, "--output", str(out)]) == 0
    page = out / PAGE
    planted = (f'<p><a href="/news/no-such-item/">站内坏链</a> <a href="http://127.0.0.1:9/closed">端口关闭</a> '
               f'<a href="http://no-such-host.invalid/page">域名不存在</a> <a href="{elsewhere}/gone.html">页面已删除</a> '
               f'<a href="{elsewhere}/ok.html">正常</a></p></main>')
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", planted, 1), encoding="utf-8")
    return out


def run(site, capsys, *extra) -> tuple[int, dict]:
    code = main(["--root", str(ROOT), "linkcheck", "--site", str(site), "--now", NOW, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_planted_links_are_reported_with_page_and_unit(site, capsys, tmp_path, elsewhere):
    cache = tmp_path / "links.json"
    code, data = run(site, capsys, "--external", "--cache", str(cache), "--dns-probe", "localhost")
    assert code == 1
    on_page = {(f["code"], f["unit"]) for f in data["findings"] if f["path"] and f["path"].endswith(PAGE)}
    assert on_page == {("GK-LINK-001", "gjj"), ("GK-LINK-011", "gjj"), ("GK-LINK-012", "gjj"), ("GK-LINK-010", "gjj")}
    messages = " ".join(f["message"] for f in data["findings"])
    assert "/news/no-such-item/" in messages and "no-such-host.invalid" in messages and "127.0.0.1:9" in messages
    assert f"{elsewhere}/ok.html" not in messages
    cached = json.loads(cache.read_text(encoding="utf-8"))
    assert cached[f"{elsewhere}/ok.html"]["ok"] is True and cached[f"{elsewhere}/gone.html"]["ok"] is False


def test_an_address_confirmed_recently_is_not_fetched_again(site, capsys, tmp_path, elsewhere, monkeypatch):
    cache = tmp_path / "links.json"
    run(site, capsys, "--external", "--cache", str(cache), "--dns-probe", "localhost")
    asked = []
    real = linkcheck.run_linkchecker

    def counting(urls, **kwargs):
        asked.extend(urls)
        return real(urls, **kwargs)

    monkeypatch.setattr(linkcheck, "run_linkchecker", counting)
    run(site, capsys, "--external", "--cache", str(cache), "--dns-probe", "localhost")
    assert asked and f"{elsewhere}/ok.html" not in asked and f"{elsewhere}/gone.html" in asked


def test_without_name_resolution_the_state_is_unknown_not_broken(site, capsys):
    code, data = run(site, capsys, "--external", "--dns-probe", "no-such-probe.invalid")
    found = {f["code"] for f in data["findings"]}
    assert "GK-LINK-013" in found and "GK-LINK-012" not in found
    assert "GK-LINK-011" in found and "GK-LINK-001" in found  # what does not depend on names is still known


def test_internal_links_only_by_default(site, capsys):
    code, data = run(site, capsys)
    assert code == 1 and {f["code"] for f in data["findings"]} == {"GK-LINK-001"}
