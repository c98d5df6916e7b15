"""Post (or update) one report as a merge-request / pull-request comment. CI glue, stdlib only.

    python ci/post_comment.py --forge gitlab --marker approvals-plan --file approvals-plan.md
    python ci/post_comment.py --forge github --marker preview --file preview-report.md --pr 12

The comment carries an invisible marker (`<!-- gongkai:approvals-plan -->`); a later pipeline edits
the same comment instead of adding a new one.

GitLab: token in GONGKAI_BOT_TOKEN (a project access token with `api`), project and merge request from
CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID. GitHub: GITHUB_TOKEN (pull-requests: write),
GITHUB_API_URL, GITHUB_REPOSITORY, and --pr (or the pull_request event's number).

Without a token the comment is skipped with a notice and exit 0: the report is still an artifact.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def request(method: str, url: str, headers: dict, body: dict | None = None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={**headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read().decode("utf-8") or "null")


def gitlab(marker: str, text: str) -> None:
    token = os.environ.get("GONGKAI_BOT_TOKEN")
    api, project, iid = (os.environ.get(k) for k in ("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID"))
    if not token or not (api and project and iid):
        print("未设置 GONGKAI_BOT_TOKEN 或不在合并请求流水线中:不发评论,报告见作业制品。")
        return
    headers = {"PRIVATE-TOKEN": token}
    base = f"{api}/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{iid}/notes"
    notes = request("GET", base + "?per_page=100&sort=desc", headers) or []
    mine = next((n for n in notes if marker in str(n.get("body", ""))), None)
    if mine:
        request("PUT", f"{base}/{mine['id']}", headers, {"body": text})
    else:
        request("POST", base, headers, {"body": text})


def github(marker: str, text: str, number: str | None) -> None:
    token = os.environ.get("GITHUB_TOKEN")
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    repo = os.environ.get("GITHUB_REPOSITORY")
    if not number and os.environ.get("GITHUB_EVENT_PATH"):
        with open(os.environ["GITHUB_EVENT_PATH"], encoding="utf-8") as handle:
            number = str((json.load(handle).get("pull_request") or {}).get("number") or "")
    if not token or not repo or not number:
        print("未设置 GITHUB_TOKEN 或没有拉取请求编号:不发评论,报告见作业摘要。")
        return
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"}
    comments = request("GET", f"{api}/repos/{repo}/issues/{number}/comments?per_page=100", headers) or []
    mine = next((c for c in comments if marker in str(c.get("body", ""))), None)
    if mine:
        request("PATCH", f"{api}/repos/{repo}/issues/comments/{mine['id']}", headers, {"body": text})
    else:
        request("POST", f"{api}/repos/{repo}/issues/{number}/comments", headers, {"body": text})


def main() -> int:
    parser = argparse.ArgumentParser(description="把报告贴到合并请求 / 拉取请求(同一标记只保留一条评论)")
    parser.add_argument("--forge", choices=["gitlab", "github"], required=True)
    parser.add_argument("--marker", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--pr", help="GitHub 拉取请求编号")
    args = parser.parse_args()
    marker = f"<!-- gongkai:{args.marker} -->"
    with open(args.file, encoding="utf-8") as handle:
        text = marker + "\n" + handle.read()
    try:
        if args.forge == "gitlab":
            gitlab(marker, text)
        else:
            github(marker, text, args.pr)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # A comment is a convenience: never fail the pipeline over it.
        print(f"评论发送失败(报告仍在制品中):{exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
