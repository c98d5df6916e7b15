"""The built demo portal through validators nobody on the project wrote (issue 15, point 7).

- the Nu Html Checker (W3C's, `vnu-jar` from npm, on Debian's Java) over every built page: no errors;
- axe-core at WCAG 2.1 A and AA over one page of each family: no violation of any impact
  (test_axe.py covers more pages, high contrast and the largest text, for serious and critical ones);
- Lighthouse 12.2.3 (npm) in Debian's Chromium (one for the module, each run in a tab), through the shipped nginx configuration: accessibility,
  best practices and SEO at least 0.95 on the home, policy, service, dataset and search pages, on a
  phone and on a desktop.

Each validator is also given a page known to be wrong, so that a validator that silently checks nothing
cannot pass.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, CODE_DIR, wait_for_search
from .test_axe import axe_context, axe_source, describe  # noqa: F401 - axe_source is a fixture
from .test_nginx import free_port, nginx  # noqa: F401 - nginx: the shipped server configuration, as a fixture

VNU = CODE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = CODE_DIR / "node_modules" / ".bin" / "lighthouse"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LIGHTHOUSE_CATEGORIES = ("accessibility", "best-practices", "seo")
LIGHTHOUSE_MINIMUM = 0.95

BROKEN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>坏页面</title></head>
<body><p aria-label="页脚">主办单位</p><img src="x.png"></body></html>
"""


def java() -> str:
    found = shutil.which("java")
    if not found:
        pytest.fail("java is missing: the Nu Html Checker runs on Debian's default-jre-headless "
                    "(`make test` installs it)", pytrace=False)
    return found


def nu_html_errors(*paths: Path) -> list[dict]:
    assert VNU.is_file(), f"{VNU} is missing: run `npm ci` (vnu-jar is pinned in package.json)"
    done = subprocess.run([java(), "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                           *map(str, paths)], capture_output=True, text=True, timeout=600)
    # vnu exits 1 when it found errors; the report is on stderr either way.
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stderr)["messages"]


def test_every_built_page_passes_the_nu_html_checker(portal, tmp_path):
    pages = sorted(p for p in portal.output.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 300, "the demo portal has more pages than this: was it built?"
    broken = tmp_path / "broken" / "index.html"
    broken.parent.mkdir()
    broken.write_text(BROKEN_PAGE, encoding="utf-8")

    messages = nu_html_errors(portal.output, broken.parent)

    on_broken = [m for m in messages if m["url"].endswith("/broken/index.html")]
    assert {("aria-label" in m["message"]) or ("alt" in m["message"]) for m in on_broken} == {True}, \
        "the checker must flag the known-bad page (aria-label on <p>, <img> without alt)"
    errors = [m for m in messages if m not in on_broken]
    shown = "\n".join(f"{m['url'].split('/output/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
                      for m in errors[:30])
    if errors:
        pytest.fail(f"Nu Html Checker: {len(errors)} errors\n{shown}", pytrace=False)


FAMILIES = {
    "home": "/",
    "policy library": "/policies/",
    "policy": "/policies/gjj-2026-1/",
    "interpretation": "/interpretations/jd-yjzf-2026-3/",
    "service guide": "/services/bs-spj-qiye-sheli/",
    "service list": "/services/",
    "dataset": "/datasets/sj-tjj-gdp/",
    "open data": "/data/",
    "search with results": "/search/?q=公积金",
    "unit": "/units/gjj/",
    "units": "/units/",
    "annual report": "/reports/ndbg-2025/",
    "disclosure": "/xxgk/",
    "letter": "/letters/xj-2026-0012/",
    "survey": "/surveys/dc-2026-1110/",
    "interview": "/interviews/ft-2026-1029/",
    "news": "/news/xw-2026-0717/",
    "interaction": "/hudong/",
    "sitemap": "/sitemap/",
}


def run_axe_wcag(page, source: str) -> list[dict]:
    page.add_script_tag(content=source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_AA)
    return result["violations"]


@pytest.fixture
def axe_any_page(browser, portal):
    context = axe_context(browser, portal)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", FAMILIES.values(), ids=FAMILIES.keys())
def test_page_families_have_no_wcag_aa_violation_of_any_impact(axe_any_page, axe_source, url):  # noqa: F811
    response = axe_any_page.goto(url)
    assert response.status == 200, f"{url} is not a page of the demo portal"
    if url.startswith("/search/"):
        wait_for_search(axe_any_page)
        assert axe_any_page.locator("#search-results li").count() > 0
    violations = run_axe_wcag(axe_any_page, axe_source)
    assert not violations, f"axe (WCAG 2.1 AA) on {url}:\n{describe(violations)}"


def test_axe_flags_a_known_bad_page(axe_any_page, axe_source):  # noqa: F811
    axe_any_page.goto("/")
    axe_any_page.evaluate("html => { document.body.innerHTML = html }", '<main><img src="/x.png"><a href="/"></a></main>')
    ids = {v["id"] for v in run_axe_wcag(axe_any_page, axe_source)}
    assert {"image-alt", "link-name"} <= ids


LIGHTHOUSE_PAGES = {
    "home": "/",
    "policy": "/policies/gjj-2026-1/",
    "service": "/services/bs-spj-qiye-sheli/",
    "dataset": "/datasets/sj-tjj-gdp/",
    "search": "/search/?q=公积金",
}


@pytest.fixture(scope="module")
def lighthouse_chromium(tmp_path_factory) -> int:
    """One Debian Chromium for every Lighthouse run of the module, with remote debugging on a port of its own:
    Lighthouse connects to it (`--port`) and runs each page in a tab of its own, instead of starting and
    stopping a browser per run."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: Lighthouse runs in Debian's Chromium", pytrace=False)
    port = free_port()
    profile = tmp_path_factory.mktemp("lighthouse-chromium")
    proc = subprocess.Popen([str(CHROMIUM), *CHROMIUM_ARGS, f"--remote-debugging-port={port}",
                             f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2):
                break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "Chromium did not start for Lighthouse"
            time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def lighthouse(url: str, out: Path, preset: str, port: int) -> dict:
    assert LIGHTHOUSE.is_file(), f"{LIGHTHOUSE} is missing: run `npm ci` (lighthouse is pinned in package.json)"
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES), f"--port={port}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(out.parent), "CHROME_PATH": str(CHROMIUM)})
    assert done.returncode == 0, f"lighthouse failed on {url}: {done.stderr[-2000:]}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), report.get("runtimeError")
    return report


def failing_audits(report: dict, category: str) -> list[str]:
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            out.append(f"{audit['id']} ({audit['score']}): {audit['title']}")
    return out


@pytest.mark.parametrize("preset", ["mobile", "desktop"])
@pytest.mark.parametrize("path", LIGHTHOUSE_PAGES.values(), ids=LIGHTHOUSE_PAGES.keys())
def test_lighthouse_scores_at_least_095(nginx, lighthouse_chromium, tmp_path, path, preset):  # noqa: F811 - fixture
    address, _ = nginx
    report = lighthouse(f"http://{address}{path}", tmp_path / "report.json", preset, lighthouse_chromium)
    assert report["finalDisplayedUrl"].startswith(f"http://{address}"), "Lighthouse was sent elsewhere"
    low = {c: report["categories"][c]["score"] for c in LIGHTHOUSE_CATEGORIES
           if report["categories"][c]["score"] is None or report["categories"][c]["score"] < LIGHTHOUSE_MINIMUM}
    details = "\n".join(f"{c}: " + "; ".join(failing_audits(report, c)) for c in low)
    assert not low, f"Lighthouse ({preset}) on {path}: {low}\n{details}"


def test_lighthouse_marks_down_a_page_without_description_or_language(nginx, lighthouse_chromium, tmp_path):  # noqa: F811
    address, root = nginx
    bad = root / "lighthouse-bad" / "index.html"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><img src='/none.png'>"
                   "<a href='/'></a></body></html>", encoding="utf-8")
    try:
        report = lighthouse(f"http://{address}/lighthouse-bad/", tmp_path / "report.json", "mobile", lighthouse_chromium)
    finally:
        shutil.rmtree(bad.parent)
    assert report["categories"]["seo"]["score"] < LIGHTHOUSE_MINIMUM
    assert report["categories"]["accessibility"]["score"] < LIGHTHOUSE_MINIMUM
