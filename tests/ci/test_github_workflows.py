"""The GitHub workflows: valid against GitHub's workflow schema, and every job's steps run in order.

There is no Docker here for `act`; tests/ci/github_runner.py runs each job's `run:` steps as the
Actions runner would (bash, GITHUB_* variables, env, expressions, if:), with stand-ins for checkout,
setup-python, setup-node and upload-artifact. GitHub's REST API is a local server answering what the
steps ask (pull requests, reviews, comments); the repository is a clone of this project with a
bare `origin`, merged as GitHub merges (no trailers: GitHub writes none, publish.yml verifies through
the reviews API).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ci.github_runner import run_job
from tests.ci.pipeline_repo import EDITOR_LOGIN, NEWS_ID, NEWS_PATH, ROOT, make_pipeline_repo

WORKFLOWS = ROOT / ".github/workflows"
PROJECT = "yunjiang/portal"


class FakeGitHub:
    """GET answers from `routes` (path with or without its query); POST and PATCH are recorded."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.writes: list[tuple[str, str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802 (http.server's naming)
                found = fake.routes.get(self.path, fake.routes.get(self.path.split("?", 1)[0]))
                self._reply(404, {"message": "Not Found"}) if found is None else self._reply(200, found)

            def _write(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
                fake.writes.append((self.command, self.path, body))
                if self.command == "PATCH" and isinstance(fake.routes.get(self.path), dict):
                    fake.routes[self.path] = {**fake.routes[self.path], **body}
                self._reply(200 if self.command == "PATCH" else 201, {"id": len(fake.writes), **body})

            do_POST = do_PATCH = _write  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pull_request(self, number: int, head: str, merge: str | None, reviewers: list[str]) -> None:
        base = f"/repos/{PROJECT}/pulls/{number}"
        user = {"login": EDITOR_LOGIN["github"], "id": 90, "type": "User"}
        self.routes[base] = {"number": number, "state": "closed" if merge else "open", "user": user,
                             "head": {"ref": "mr-1", "sha": head}, "body": "新闻稿已校对。",
                             "merged_at": "2026-11-30T03:00:00Z" if merge else None}
        self.routes[base + "/reviews"] = [
            {"id": i + 1, "user": {"login": login, "id": i + 1}, "state": "APPROVED", "commit_id": head,
             "submitted_at": f"2026-11-30T02:{10 * (i + 1):02d}:00Z"} for i, login in enumerate(reviewers)]
        self.routes[f"/repos/{PROJECT}/issues/{number}/comments"] = []
        if merge:
            self.routes[f"/repos/{PROJECT}/commits/{merge}/pulls"] = [self.routes[base]]


@pytest.fixture
def github(tmp_path):
    fake = FakeGitHub()
    yield fake
    fake.server.shutdown()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = make_pipeline_repo(tmp_path_factory.mktemp("github"))
    repo.editor_branch("mr-1")
    return repo


def contexts(repo, github, event_name: str, sha: str, **extra) -> dict:
    return {"event_name": event_name, "sha": sha, "repository": PROJECT, "api_url": github.url,
            "server_url": "https://github.com", "ref": extra.pop("ref", "refs/heads/main"), **extra}


@pytest.mark.parametrize("workflow", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflows_validate_against_githubs_schema(workflow):
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(workflow)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_validates_against_gitlabs_schema():
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.gitlab-ci",
                           str(ROOT / ".gitlab-ci.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pull_request_jobs_check_plan_and_preview(repo, github, tmp_path):
    repo.git("checkout", "-q", "mr-1")
    head = repo.git("rev-parse", "HEAD")
    github.pull_request(1, head, None, [])
    event = {"pull_request": {"number": 1, "head": {"sha": head}, "updated_at": "2026-11-30T02:00:00Z",
                              "user": {"login": EDITOR_LOGIN["github"]}}}
    context = contexts(repo, github, "pull_request", head, base_ref="main", head_ref="mr-1", ref="refs/pull/1/merge")
    secrets = {"GITHUB_TOKEN": "test-token"}
    workflow = WORKFLOWS / "merge-request.yml"

    check = run_job(workflow, "check", repo.root, event=event, github=context, secrets=secrets,
                    artifacts=tmp_path / "artifacts")
    assert check.ok, check.log[-4000:]
    assert "只检查这些文件" in check.log  # --changed-since the merge base
    summary = (repo.root.parent / ".runner-check/summary.md").read_text(encoding="utf-8")
    assert NEWS_PATH in summary and "梁志明 @yj-liangzhiming" in summary and "市人民政府办公室" not in summary
    [(method, path, body)] = github.writes
    assert (method, path) == ("POST", f"/repos/{PROJECT}/issues/1/comments")
    assert body["body"].startswith("<!-- gongkai:approvals-plan -->")

    preview = run_job(workflow, "preview", repo.root, event=event, github=context, secrets=secrets,
                      artifacts=tmp_path / "artifacts")
    assert preview.ok, preview.log[-4000:]
    assert preview.outcome("上传到预览站点") == "skipped"  # no PREVIEW_BASE_URL: the artifact is the preview
    page = tmp_path / f"artifacts/preview-pr-1/news/{NEWS_ID}/index.html"
    assert "线上提取“秒批”服务" in page.read_text(encoding="utf-8")
    assert any((tmp_path / "artifacts/preview-pr-1/pagefind").glob("*/pagefind.js"))  # each search part a bundle
    comment = github.writes[-1][2]["body"]
    assert comment.startswith("<!-- gongkai:preview -->") and f"preview/news/{NEWS_ID}/index.html" in comment


def test_publish_job_needs_both_reviews(repo, github, tmp_path):
    head = repo.git("rev-parse", "mr-1")
    merge = repo.forge_merge("mr-1", [])
    try:
        event = {"head_commit": {"id": merge, "timestamp": "2026-11-30T11:05:00+08:00"}}
        site = tmp_path / "site"
        secrets = {"GITHUB_TOKEN": "test-token", "PUBLISH_HOST": "local", "PUBLISH_ROOT": str(site),
                   "PUBLISH_RELOAD": f"touch {tmp_path}/reloaded"}
        context = contexts(repo, github, "push", merge)

        github.pull_request(1, head, merge, ["yj-liangzhiming"])  # the leader has not approved
        refused = run_job(WORKFLOWS / "publish.yml", "publish", repo.root, event=event, github=context,
                          secrets=secrets, artifacts=tmp_path / "a1")
        assert refused.outcome("核验审批(审批不全则不发布)") == "failure"
        assert refused.outcome("发布") == "skipped" and not site.exists()

        github.pull_request(1, head, merge, ["yj-liangzhiming", "yj-menghaiyan"])
        published = run_job(WORKFLOWS / "publish.yml", "publish", repo.root, event=event, github=context,
                            secrets=secrets, artifacts=tmp_path / "a2")
        assert published.ok, published.log[-4000:]
        current = site / "current"
        assert os.readlink(current) == f"releases/{merge}" and (tmp_path / "reloaded").is_file()
        assert "线上提取“秒批”服务" in (current / f"news/{NEWS_ID}/index.html").read_text(encoding="utf-8")
        register = json.loads((tmp_path / f"a2/register-{merge}/register.json").read_text(encoding="utf-8"))
        [row] = [r for r in register if r["id"] == NEWS_ID]
        assert row["status"] == "已发布"
    finally:
        repo.undo_merge()


def test_review_job_writes_the_approvers_into_the_description(repo, github, tmp_path):
    repo.git("checkout", "-q", "mr-1")
    head = repo.git("rev-parse", "HEAD")
    github.pull_request(1, head, None, ["yj-liangzhiming", "yj-menghaiyan"])
    event = {"pull_request": {"number": 1, "head": {"sha": head}}, "review": {"state": "approved"}}
    result = run_job(WORKFLOWS / "approval-trailers.yml", "trailers", repo.root, event=event,
                     github=contexts(repo, github, "pull_request_review", head), secrets={"GITHUB_TOKEN": "t"},
                     artifacts=tmp_path / "artifacts")
    assert result.ok, result.log[-4000:]
    [(method, path, body)] = [w for w in github.writes if w[0] == "PATCH"]
    assert path == f"/repos/{PROJECT}/pulls/1"
    assert body["body"] == ("新闻稿已校对。\n\nApproved-by: 梁志明 <liangzhiming@gjj.yunjiang.gov.cn>\n"
                            "Approved-by: 蒙海燕 <menghaiyan@gjj.yunjiang.gov.cn>\n")


def test_daily_read_job_writes_one_issue(repo, tmp_path):
    """The scheduled workflow's steps, with tests/forge_recorder.py standing in for GitHub's API."""
    from tests.forge_recorder import ForgeRecorder

    forge = ForgeRecorder()
    try:
        repo.git("checkout", "-q", "main")
        head = repo.git("rev-parse", "HEAD")
        context = {"event_name": "schedule", "sha": head, "repository": ForgeRecorder.GITHUB_REPO,
                   "api_url": forge.base, "ref": "refs/heads/main", "run_id": "42"}
        result = run_job(WORKFLOWS / "daily-read.yml", "read", repo.root, event={"schedule": "30 0 * * *"},
                         github=context, secrets={"GITHUB_TOKEN": "bot"}, artifacts=tmp_path / "artifacts")
        assert result.outcome("构建、链接检查、读网") == "success", result.log[-4000:]
        assert result.outcome("更新读网议题") == "success", result.log[-4000:]
        [issue] = forge.issues
        report = (tmp_path / "artifacts/daily-read-42/audit.md").read_text(encoding="utf-8")
        assert issue["body"] == report and report.startswith("# 云江市人民政府门户网站每日读网报告")
        assert (tmp_path / "artifacts/daily-read-42/audit.html").is_file()
    finally:
        forge.close()
