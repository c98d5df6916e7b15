"""A local stand-in for the issue APIs of GitLab (REST v4) and GitHub (REST v3), on 127.0.0.1.

This is the only stand-in for the forges in the tests: it records every request and answers with
issues shaped as each forge documents them (the fields python-gitlab and PyGithub read), keeping
them in memory, so a client that creates an issue finds it again the next day.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class ForgeRecorder:
    GITLAB_PROJECT = "7"
    GITHUB_REPO = "yunjiang/portal"

    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []  # (method, path with query, body)
        self.issues: list[dict] = []  # {number, title, body, labels, state, comments}
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _body(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if not raw:
                    return {}
                if "json" in (self.headers.get("Content-Type") or ""):
                    return json.loads(raw)
                return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw).items()}

            def _handle(self):
                body = self._body()
                recorder.requests.append((self.command, self.path, body))
                status, payload = recorder.route(self.command, urlsplit(self.path), body)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = _handle  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def writes(self) -> list[tuple[str, str, dict]]:
        return [r for r in self.requests if r[0] != "GET"]

    # --- routing ---------------------------------------------------------------------

    def route(self, method: str, url, body: dict):
        path, query = url.path, {k: v[0] for k, v in parse_qs(url.query).items()}
        gitlab = f"/api/v4/projects/{self.GITLAB_PROJECT}/issues"
        github = f"/repos/{self.GITHUB_REPO}"
        if path.startswith(gitlab):
            return self._gitlab(method, path[len(gitlab):].strip("/"), query, body)
        if path == github and method == "GET":
            return 200, {"id": 1, "name": "portal", "full_name": self.GITHUB_REPO, "url": self.base + github,
                         "owner": {"login": "yunjiang", "id": 2, "type": "Organization"}}
        if path.startswith(github + "/issues"):
            return self._github(method, path[len(github + "/issues"):].strip("/"), query, body)
        return 404, {"message": "404 Not Found"}

    def _find(self, number: str) -> dict | None:
        return next((i for i in self.issues if str(i["number"]) == number), None)

    def _new(self, title, body, labels) -> dict:
        issue = {"number": len(self.issues) + 1, "title": title, "body": body or "", "labels": list(labels),
                 "state": "open", "comments": []}
        self.issues.append(issue)
        return issue

    def _gitlab(self, method, rest, query, body):
        def shape(issue):
            return {"id": 100 + issue["number"], "iid": issue["number"], "project_id": int(self.GITLAB_PROJECT),
                    "title": issue["title"], "description": issue["body"], "labels": issue["labels"],
                    "state": "opened" if issue["state"] == "open" else "closed",
                    "web_url": f"https://gitlab.example.gov.cn/yunjiang/gongkai/-/issues/{issue['number']}"}
        if not rest and method == "GET":
            wanted = set(filter(None, query.get("labels", "").split(",")))
            state = {"opened": "open", "closed": "closed"}.get(query.get("state", ""), None)
            return 200, [shape(i) for i in self.issues if wanted <= set(i["labels"])
                         and (state is None or i["state"] == state)]
        if not rest and method == "POST":
            labels = body.get("labels") or []
            labels = labels.split(",") if isinstance(labels, str) else labels
            return 201, shape(self._new(body.get("title"), body.get("description"), labels))
        number, _, sub = rest.partition("/")
        issue = self._find(number)
        if issue is None:
            return 404, {"message": "404 Issue Not Found"}
        if sub == "notes" and method == "POST":
            issue["comments"].append(body.get("body"))
            return 201, {"id": 500 + len(issue["comments"]), "body": body.get("body"), "noteable_iid": issue["number"]}
        if method == "PUT":
            if "description" in body:
                issue["body"] = body["description"]
            if body.get("state_event") == "close":
                issue["state"] = "closed"
            if body.get("state_event") == "reopen":
                issue["state"] = "open"
            return 200, shape(issue)
        return 200, shape(issue)

    def _github(self, method, rest, query, body):
        def shape(issue):
            url = f"{self.base}/repos/{self.GITHUB_REPO}/issues/{issue['number']}"
            return {"id": 900 + issue["number"], "number": issue["number"], "url": url,
                    "html_url": f"https://github.com/{self.GITHUB_REPO}/issues/{issue['number']}",
                    "comments_url": url + "/comments", "title": issue["title"], "body": issue["body"],
                    "state": issue["state"], "labels": [{"name": n} for n in issue["labels"]],
                    "user": {"login": "gongkai-bot", "id": 3, "type": "Bot"}}
        if not rest and method == "GET":
            wanted = set(filter(None, query.get("labels", "").split(",")))
            state = query.get("state", "open")
            return 200, [shape(i) for i in self.issues if wanted <= set(i["labels"])
                         and (state == "all" or i["state"] == state)]
        if not rest and method == "POST":
            return 201, shape(self._new(body.get("title"), body.get("body"), body.get("labels") or []))
        number, _, sub = rest.partition("/")
        issue = self._find(number)
        if issue is None:
            return 404, {"message": "Not Found"}
        if sub == "comments" and method == "POST":
            issue["comments"].append(body.get("body"))
            return 201, {"id": 700 + len(issue["comments"]), "body": body.get("body"), "url": "x"}
        if method == "PATCH":
            if "body" in body:
                issue["body"] = body["body"]
            if "state" in body:
                issue["state"] = body["state"]
            return 200, shape(issue)
        return 200, shape(issue)
