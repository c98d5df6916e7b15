"""Put the current approvers at the end of a pull request's description (GitHub). CI glue, stdlib only.

    python ci/pr_body_trailers.py --pr 12 --file trailers.txt

`trailers.txt` is what `gongkai approvals trailers --forge-api github` wrote (`Approved-by:` lines).
Earlier `Approved-by:` / `Reviewed-by:` lines are replaced, so the description always carries the
approvals as they stand; with "Default commit message: Pull request title and description" the merge
commit then records them for the register. Publication never trusts these lines (authors can edit
the description): publish.yml verifies through the reviews API.

Needs GITHUB_TOKEN (pull-requests: write), GITHUB_API_URL and GITHUB_REPOSITORY, as Actions sets them.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request

TRAILER = re.compile(r"^(Approved-by|Reviewed-by):")


def with_trailers(body: str, trailers: str) -> str:
    kept = "\n".join(line for line in (body or "").splitlines() if not TRAILER.match(line)).rstrip()
    trailers = trailers.strip()
    return (kept + ("\n\n" + trailers if trailers else "")).lstrip("\n") + "\n"


def call(method: str, url: str, token: str, body: dict | None = None):
    request = urllib.request.Request(
        url, method=method, data=json.dumps(body).encode("utf-8") if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8") or "null")


def main() -> int:
    parser = argparse.ArgumentParser(description="把当前批准人写到拉取请求说明的末尾(供合并提交和造册登记)")
    parser.add_argument("--pr", required=True, help="拉取请求编号")
    parser.add_argument("--file", required=True, help="gongkai approvals trailers 写出的文件")
    args = parser.parse_args()
    token, repo = os.environ.get("GITHUB_TOKEN"), os.environ.get("GITHUB_REPOSITORY")
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    if not token or not repo:
        print("未设置 GITHUB_TOKEN 或 GITHUB_REPOSITORY:不修改拉取请求说明。", file=sys.stderr)
        return 1
    with open(args.file, encoding="utf-8") as handle:
        trailers = handle.read()
    url = f"{api}/repos/{repo}/pulls/{args.pr}"
    try:
        pr = call("GET", url, token) or {}
        body = with_trailers(str(pr.get("body") or ""), trailers)
        if body != (pr.get("body") or ""):
            call("PATCH", url, token, {"body": body})
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"无法更新拉取请求说明:{exc}", file=sys.stderr)
        return 1
    print(f"拉取请求 #{args.pr} 的说明末尾现在列出 {len([l for l in trailers.splitlines() if l.strip()])} 位批准人。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
