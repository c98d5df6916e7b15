"""Local preview on 127.0.0.1 with rebuild on change (polling: no extra dependency)."""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path


def _fingerprint(root: Path) -> tuple:
    paths = [root / "content", root / "themes"]
    stamp = []
    for base in paths:
        if base.exists():
            for p in sorted(base.rglob("*")):
                if p.is_file():
                    st = p.stat()
                    stamp.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


def serve(root: Path, rebuild, output: Path, port: int) -> int:
    code = rebuild()
    if code != 0 and not output.exists():
        return code
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
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
