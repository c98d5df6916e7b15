"""The shipped web server configuration (ci/nginx/), run with Debian's nginx on 127.0.0.1 over the built
demo portal (issue 10, point 7): security headers including frame-ancestors and HSTS, the site's own
404 page, 301 redirects for former addresses from the file the build writes, compression and caching,
MIME types for Pagefind and WebAssembly, and the search page working through it in Chromium."""
from __future__ import annotations

import gzip
import http.client
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import CODE_DIR, TIMEOUT_MS, search

NGINX = Path("/usr/sbin/nginx")
SITE_RULES = CODE_DIR / "ci" / "nginx" / "gongkai-site.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(portal, tmp_path_factory):
    if not NGINX.is_file():
        pytest.fail(f"{NGINX} is missing: `make browser` installs Debian's nginx", pytrace=False)
    work = tmp_path_factory.mktemp("nginx")
    root = work / "output"
    shutil.copytree(portal.output, root)
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/client; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        server_tokens off;
        include {root}/_server/nginx-redirects.conf;
        include {SITE_RULES};
    }}
}}
""", encoding="utf-8")
    tested = subprocess.run([str(NGINX), "-t", "-p", str(work), "-c", str(conf)], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    proc = subprocess.Popen([str(NGINX), "-p", str(work), "-c", str(conf)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"127.0.0.1:{port}", root
    proc.terminate()
    proc.wait(timeout=10)


def get(nginx, path, headers=None):
    address, _ = nginx
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_pages_carry_the_security_headers(nginx):
    response, _ = get(nginx, "/")
    assert response.status == 200
    csp = response.getheader("Content-Security-Policy")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "wasm-unsafe-eval" not in csp
    assert response.getheader("Strict-Transport-Security").startswith("max-age=")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert "nginx/" not in (response.getheader("Server") or "")


def test_only_the_search_page_allows_webassembly(nginx):
    response, _ = get(nginx, "/search/")
    assert response.status == 200
    assert "'wasm-unsafe-eval'" in response.getheader("Content-Security-Policy")
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")


def test_a_missing_address_gets_the_sites_404_page(nginx):
    response, body = get(nginx, "/no/such/page/")
    assert response.status == 404
    assert "页面不存在" in body.decode("utf-8")
    assert get(nginx, "/_server/nginx-redirects.conf")[0].status == 404  # the server's files stay private


def test_former_addresses_are_permanent_redirects(nginx):
    _, root = nginx
    rules = (root / "_server" / "nginx-redirects.conf").read_text(encoding="utf-8")
    old, new = re.search(r'location = "([^"]+)" \{ return 301 ([^;]+);', rules).groups()
    response, _ = get(nginx, old)
    assert response.status == 301 and response.getheader("Location").endswith(new)
    target, _ = get(nginx, new)
    assert target.status == 200


def test_types_compression_and_caching(nginx):
    _, root = nginx
    fragment = next((root / "pagefind").glob("*/fragment/*.pf_fragment")).relative_to(root).as_posix()
    wasm = next((root / "pagefind").glob("*/wasm.*.pagefind")).relative_to(root).as_posix()  # compressed WebAssembly
    for name in (fragment, wasm):
        response, _ = get(nginx, "/" + name)
        assert response.status == 200 and response.getheader("Content-Type") == "application/octet-stream", name
        assert "public" in response.getheader("Cache-Control") and response.getheader("X-Content-Type-Options")
    part = next((root / "pagefind").glob("*/pagefind.js")).relative_to(root).as_posix()
    assert get(nginx, "/" + part)[0].getheader("Content-Type").startswith("application/javascript")
    assert get(nginx, "/pagefind/partitions.json")[0].getheader("Content-Type").startswith("application/json")
    assert get(nginx, "/data/catalog.jsonld")[0].getheader("Content-Type") == "application/ld+json; charset=utf-8"
    response, body = get(nginx, "/datasets/sj-tjj-czrk/czrk.csv")
    assert response.getheader("Content-Type") == "text/csv; charset=utf-8" and body.startswith(b"year,")
    response, body = get(nginx, "/theme/css/portal.css", {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip" and gzip.decompress(body)
    assert response.getheader("Content-Type").startswith("text/css")


def test_search_works_through_nginx(browser, nginx):
    address, _ = nginx
    context = browser.new_context(base_url=f"http://{address}", locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        results = search(page, "住房公积金")
        assert results, "no result through nginx"
        assert page.goto(results[0]).status == 200
    finally:
        context.close()
    assert not errors, errors


def test_files_are_served_in_a_sandbox(nginx):
    """A second wall behind the check (GK-MEDIA-002): were an SVG with a script ever published under
    /files/, the browser would open it sandboxed, with no script, no other host and no type sniffing."""
    _, root = nginx
    (root / "files" / "test-only").mkdir(parents=True, exist_ok=True)
    (root / "files" / "test-only" / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>', encoding="utf-8")
    for path in ("/files/test-only/x.svg", "/files/byx/2026/xw-2026-1015/%E6%B2%83%E6%9F%91%E9%87%87%E6%91%98.jpg"):
        response, _ = get(nginx, path)
        assert response.status == 200, path
        csp = response.getheader("Content-Security-Policy")
        assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp, csp
        assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert get(nginx, "/files/test-only/x.svg")[0].getheader("Content-Type") == "image/svg+xml"
    page, _ = get(nginx, "/")
    assert not page.getheader("Content-Security-Policy").startswith("sandbox"), "pages are not sandboxed"
