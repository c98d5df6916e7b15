"""Sub-commands `gongkai cms config|build|serve`: the browser editor (Decap CMS) for department editors."""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.cli.common import UsageError, refuse_public_output, repository_root


def _repo(args):
    from pipeline.content.repository import load_repository

    return load_repository(repository_root(args))


def cmd_config(args) -> int:
    from pipeline.cms.config import TARGET, generate
    from pipeline.content.generated_files import write_generated

    repo = _repo(args)
    text = generate(repo)
    if not args.write:
        sys.stdout.write(text)
        return 0
    if not write_generated(repo.root, TARGET, text):
        print(f"{TARGET} 已是最新。")
        return 0
    print(f"已写入 {TARGET}:请与 schema 或设置的修改一并提交。")
    return 0


def cmd_build(args) -> int:
    from pipeline.cms.admin import AdminMissing, build_admin

    repo = _repo(args)
    refuse_public_output(repo.root, args.output, "编辑后台")
    try:
        out = build_admin(repo, Path(args.output), args.backend, args.proxy_url)
    except AdminMissing as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"无法写入 {args.output}:{exc.strerror}。") from None
    print(f"编辑后台已写入 {out}/(内部使用,不要放进对外发布的网站)。")
    return 0


def cmd_serve(args) -> int:
    """decap-server in git mode over this clone and the admin page, both on 127.0.0.1 only."""
    import functools
    import http.server
    import os
    import shutil
    import signal
    import subprocess
    import tempfile

    from pipeline.cms.admin import AdminMissing, build_admin, package

    repo = _repo(args)
    try:
        server_js = package("decap-server", repo.root) / "dist" / "index.js"
        site = Path(tempfile.mkdtemp(prefix="gongkai-cms-"))
        build_admin(repo, site, "local", f"http://127.0.0.1:{args.api_port}/api/v1")
    except AdminMissing as exc:
        raise UsageError(str(exc)) from None
    env = {**os.environ, "MODE": "git", "BIND_HOST": "127.0.0.1", "PORT": str(args.api_port),
           "GIT_REPO_DIRECTORY": str(repo.root), "ORIGIN": f"http://127.0.0.1:{args.port}"}
    proxy = subprocess.Popen(["node", str(server_js)], env=env)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        proxy.terminate()
        raise UsageError(f"无法在 127.0.0.1:{args.port} 上启动编辑后台({exc.strerror});请用 --port 换一个端口。") from None
    print(f"编辑后台:http://127.0.0.1:{args.port}/  (修改保存为本仓库的 cms/ 分支;按 Ctrl+C 停止)", flush=True)
    # A service manager (or a test) stops it with SIGTERM: shut down as on Ctrl+C, taking decap-server along.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        proxy.terminate()
        proxy.wait(timeout=10)
        shutil.rmtree(site, ignore_errors=True)
    return 0


def add_commands(subparsers) -> None:
    cms = subparsers.add_parser("cms", help="浏览器编辑后台(Decap CMS):配置、生成、本机使用")
    sub = cms.add_subparsers(dest="cms_command", metavar="子命令", help="以下子命令之一")
    cms.set_defaults(func=lambda args: (cms.print_help(), 2)[1])

    config = sub.add_parser("config", help="根据 schemas/ 和设置生成编辑后台的配置 ci/cms/config.yml")
    config.add_argument("--write", action="store_true", help="写入 ci/cms/config.yml(否则输出到屏幕)")
    config.set_defaults(func=cmd_config)

    build = sub.add_parser("build", help="生成编辑后台网站(放在内部主机上,不属于对外发布的网站)")
    build.add_argument("--output", required=True, help="写入的目录")
    build.add_argument("--backend", choices=["forge", "gitlab", "github", "local"], default="forge",
                       help="连接的平台:forge 为 settings.yaml 中 cms.backend 所写(默认),local 为本机 decap-server")
    build.add_argument("--proxy-url", help="local 时 decap-server 的接口地址(默认 http://127.0.0.1:8081/api/v1)")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="在本机(127.0.0.1)用浏览器编辑本仓库:修改保存为 cms/ 分支")
    serve.add_argument("--port", type=int, default=8080, help="编辑后台的端口(默认 8080)")
    serve.add_argument("--api-port", type=int, default=8081, help="decap-server 的端口(默认 8081)")
    serve.set_defaults(func=cmd_serve)
