"""Local preview on 127.0.0.1 with rebuild on change (polling: no extra dependency)."""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

from pipeline.core.addresses import NOT_FOUND, output_name
from pipeline.resources import theme_dir


THEME_DIR = theme_dir()


class Quiet(http.server.SimpleHTTPRequestHandler):
    """The preview logs no request lines: the terminal is for build messages."""

    def log_message(self, *args):
        pass


class Preview(Quiet):
    """Answers a missing address with the site's own 404 page, as the portal's web server does."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / output_name(NOT_FOUND)
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _fingerprint(root: Path) -> tuple:
    paths = [root / "content", THEME_DIR]
    stamp = []
    for base in paths:
        if base.exists():
            for p in sorted(base.rglob("*")):
                if p.is_file():
                    st = p.stat()
                    stamp.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


class PreviewError(Exception):
    """The preview cannot start (port in use): a usage problem, exit 2."""


def serve(root: Path, rebuild, output: Path, port: int) -> int:
    # The port first: a busy port is reported at once, not after a build of the whole site.
    handler = functools.partial(Preview, directory=str(output))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise PreviewError(f"无法在 127.0.0.1:{port} 上启动预览({exc.strerror});请用 --port 换一个端口。") from None
    code = rebuild()
    if code != 0 and not output.exists():
        server.server_close()
        return code
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"预览地址:http://127.0.0.1:{port}/  (按 Ctrl+C 停止;修改内容后会自动重建)", flush=True)
    seen = _fingerprint(root)
    try:
        while True:
            time.sleep(1.0)
            now = _fingerprint(root)
            if now != seen:
                seen = now
                print("检测到修改,正在重建……", flush=True)
                rebuild()
    except KeyboardInterrupt:
        server.shutdown()
    return 0
