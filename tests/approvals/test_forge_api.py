"""`verify --forge-api`: approvals (with their times) from GitLab and GitHub, replayed locally.

A `http.server` on 127.0.0.1 replays JSON shaped after the forges' documented responses:
GitLab's merge request API (`GET /projects/:id/merge_requests/:iid`, its `author`), the merge request
approvals API (`GET /projects/:id/merge_requests/:iid/approvals`, `approved_by[].user` and, on recent
versions, `approved_at`), the notes API (system notes "approved this merge request") and
`GET /projects/:id/repository/commits/:sha/merge_requests`; GitHub's pulls API
(`GET /repos/:owner/:repo/pulls/:n`, `user.login`, `head.sha`), pull request reviews
(`GET /repos/:owner/:repo/pulls/:n/reviews`, `state`, `submitted_at`, `commit_id`, paginated with
`Link: <...>; rel="next"`) and `GET /repos/:owner/:repo/commits/:sha/pulls`. Only the fields the
client reads are kept, plus enough of the rest to look like the real thing.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.approvals.changes import open_repo
from pipeline.approvals.forge_api import GitHubClient, GitLabClient
from pipeline.approvals.tiers import load_policy
from pipeline.approvals.verify import verify_commit
from pipeline.cli import main
from tests.approvals.gitrepo import CHEN, ContentRepo, news


class Replay:
    """Serves canned JSON by path (query strings included when a route names one)."""

    def __init__(self):
        self.routes: dict[str, tuple[object, dict]] = {}
        self.requests: list[tuple[str, dict]] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                replay.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = replay.routes.get(self.path) or replay.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    body, status, headers = {"message": "404 Not found"}, 404, {}
                else:
                    (body, headers), status = route, 200
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value.replace("{base}", replay.base))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body, headers: dict | None = None):
        self.routes[path] = (body, headers or {})

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def replay():
    with Replay() as server:
        yield server


@pytest.fixture
def merged(tmp_path):
    """A jyj news item merged without any trailers (GitLab left %{approved_by} empty)."""
    content = ContentRepo(tmp_path)
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN)
    return content


def gl_user(uid, username, name):
    return {"id": uid, "username": username, "name": name, "state": "active",
            "avatar_url": f"https://gitlab.example/uploads/{uid}.png", "web_url": f"https://gitlab.example/{username}"}


ZHOU_GL = gl_user(21, "zhoujing", "周静")
LIANG_GL = gl_user(22, "liangxiuhua", "梁秀华")
CHEN_GL = gl_user(30, "chenxb", "陈小编")


def gitlab_mr(replay, head_sha, approved_by, author=CHEN_GL, notes=None, project="7", iid=3):
    base = f"/api/v4/projects/{project}/merge_requests/{iid}"
    replay.add(base, {"id": 93, "iid": iid, "project_id": 7, "title": "教育局新闻", "state": "merged",
                      "author": author, "sha": head_sha, "merged_at": "2026-03-02T03:00:00.000Z"})
    replay.add(base + "/approvals", {"id": 93, "iid": iid, "project_id": 7, "title": "教育局新闻",
                                     "state": "merged", "approvals_required": 2, "approvals_left": 0,
                                     "approved_by": approved_by})
    if notes is not None:
        replay.add(base + "/notes", notes)


def gitlab_verify(content, replay, **kwargs):
    repo = open_repo(content.root)
    record = GitLabClient(replay.base + "/api/v4", "7", "secret-token").approvals(3)
    return verify_commit(repo, repo.head.commit, load_policy(), content.root, record)


def test_gitlab_final_approval_before_the_review_fails(merged, replay):
    head = merged.repo.head.commit.parents[1].hexsha
    gitlab_mr(replay, head, [
        {"user": LIANG_GL, "approved_at": "2026-03-02T01:00:00.000Z"},  # leader first...
        {"user": ZHOU_GL, "approved_at": "2026-03-02T02:00:00.000Z"},  # ...section afterwards
    ])
    verdict = gitlab_verify(merged, replay)
    assert not verdict.ok and verdict.ordered
    [problem] = verdict.groups[0].problems
    assert "审批顺序不对" in problem and "梁秀华 2026-03-02 09:00" in problem


def test_gitlab_review_then_approval_passes_with_times(merged, replay):
    head = merged.repo.head.commit.parents[1].hexsha
    gitlab_mr(replay, head, [
        {"user": ZHOU_GL, "approved_at": "2026-03-02T01:00:00.000Z"},
        {"user": LIANG_GL, "approved_at": "2026-03-02T02:00:00.000Z"},
    ])
    verdict = gitlab_verify(merged, replay)
    assert verdict.ok, verdict.groups[0].problems
    assert [f"{s.at:%H:%M}" for s in verdict.groups[0].steps] == ["09:00", "10:00"]
    # The token goes in GitLab's header, to every request.
    assert all(headers.get("private-token") == "secret-token" for _, headers in replay.requests)


def test_gitlab_times_from_system_notes_when_approved_at_is_missing(merged, replay):
    head = merged.repo.head.commit.parents[1].hexsha
    notes = [
        {"id": 1, "body": "approved this merge request", "author": ZHOU_GL, "system": True,
         "created_at": "2026-03-02T01:00:00.000Z", "noteable_type": "MergeRequest"},
        {"id": 2, "body": "approved this merge request", "author": LIANG_GL, "system": True,
         "created_at": "2026-03-02T00:30:00.000Z", "noteable_type": "MergeRequest"},
        {"id": 3, "body": "看过了,同意。", "author": LIANG_GL, "system": False,
         "created_at": "2026-03-02T00:31:00.000Z", "noteable_type": "MergeRequest"},
    ]
    gitlab_mr(replay, head, [{"user": ZHOU_GL}, {"user": LIANG_GL}], notes=notes)
    verdict = gitlab_verify(merged, replay)
    assert not verdict.ok
    assert "审批顺序不对" in verdict.groups[0].problems[0]


def test_gitlab_merge_request_author_cannot_approve(merged, replay):
    head = merged.repo.head.commit.parents[1].hexsha
    gitlab_mr(replay, head, [
        {"user": ZHOU_GL, "approved_at": "2026-03-02T01:00:00.000Z"},
        {"user": LIANG_GL, "approved_at": "2026-03-02T02:00:00.000Z"},
    ], author=LIANG_GL)  # the leader opened the merge request for her editor's commit
    verdict = gitlab_verify(merged, replay)
    assert not verdict.ok
    assert "梁秀华 是本次变更的提交人" in verdict.groups[0].problems[-1]


def test_cli_finds_the_merge_request_of_the_commit(merged, replay, capsys, monkeypatch):
    head = merged.repo.head.commit
    gitlab_mr(replay, head.parents[1].hexsha, [
        {"user": ZHOU_GL, "approved_at": "2026-03-02T01:00:00.000Z"},
        {"user": LIANG_GL, "approved_at": "2026-03-02T02:00:00.000Z"},
    ])
    replay.add(f"/api/v4/projects/7/repository/commits/{head.hexsha}/merge_requests",
               [{"id": 93, "iid": 3, "project_id": 7, "state": "merged", "title": "教育局新闻"}])
    monkeypatch.setenv("GONGKAI_FORGE_TOKEN", "do-not-print-me")
    code = main(["--root", str(merged.root), "approvals", "verify", "HEAD", "--forge-api", "gitlab",
                 "--api-url", replay.base + "/api/v4", "--project", "7"])
    out = capsys.readouterr()
    assert code == 0, out.out
    assert "GitLab !3 的审批记录" in out.out
    assert "do-not-print-me" not in out.out + out.err
    # Trailers alone would have failed: nothing was recorded in the merge commit.
    assert main(["--root", str(merged.root), "approvals", "verify", "HEAD"]) == 1


def test_unreachable_or_missing_merge_request_is_a_usage_error(merged, replay, capsys):
    code = main(["--root", str(merged.root), "approvals", "verify", "HEAD", "--forge-api", "gitlab",
                 "--api-url", replay.base + "/api/v4", "--project", "7", "--mr", "99"])
    err = capsys.readouterr().err
    assert code == 2 and "HTTP 404" in err and "Traceback" not in err


# --- GitHub ----------------------------------------------------------------------------------

def gh_user(login, uid):
    return {"login": login, "id": uid, "type": "User", "site_admin": False,
            "html_url": f"https://github.com/{login}"}


def github_pr(replay, head_sha, reviews, author="gh-chenxb", pages=1):
    base = "/repos/yunjiang/portal/pulls/5"
    replay.add(base, {"number": 5, "state": "closed", "title": "教育局新闻", "user": gh_user(author, 30),
                      "head": {"ref": "mr-1", "sha": head_sha}, "merged_at": "2026-03-02T03:00:00Z"})
    if pages == 1:
        replay.add(base + "/reviews?per_page=100", reviews)
    else:
        half = len(reviews) // 2
        replay.add(base + "/reviews?per_page=100", reviews[:half],
                   {"Link": '<{base}' + base + '/reviews?per_page=100&page=2>; rel="next", '
                            '<{base}' + base + '/reviews?per_page=100&page=2>; rel="last"'})
        replay.add(base + "/reviews?per_page=100&page=2", reviews[half:])


def review(rid, login, state, at, commit_id):
    return {"id": rid, "node_id": f"PRR_{rid}", "user": gh_user(login, rid), "body": "", "state": state,
            "html_url": f"https://github.com/yunjiang/portal/pull/5#pullrequestreview-{rid}",
            "submitted_at": at, "commit_id": commit_id, "author_association": "MEMBER"}


@pytest.fixture
def github_roster(merged):
    """The test roster's GitHub usernames are gh-<id>."""
    return merged


def github_verify(content, replay):
    repo = open_repo(content.root)
    record = GitHubClient(replay.base, "yunjiang/portal", "secret").approvals(5)
    return verify_commit(repo, repo.head.commit, load_policy(), content.root, record)


def test_github_final_approval_before_the_review_fails(github_roster, replay):
    head = github_roster.repo.head.commit.parents[1].hexsha
    github_pr(replay, head, [
        review(1, "gh-liangxiuhua", "APPROVED", "2026-03-02T01:00:00Z", head),
        review(2, "gh-zhoujing", "APPROVED", "2026-03-02T02:00:00Z", head),
    ])
    verdict = github_verify(github_roster, replay)
    assert not verdict.ok
    assert "审批顺序不对" in verdict.groups[0].problems[0]


def test_github_reviews_in_order_pass_across_pages(github_roster, replay):
    head = github_roster.repo.head.commit.parents[1].hexsha
    github_pr(replay, head, [
        review(1, "gh-zhoujing", "COMMENTED", "2026-03-02T00:30:00Z", head),
        review(2, "gh-zhoujing", "APPROVED", "2026-03-02T01:00:00Z", head),
        review(3, "gh-liangxiuhua", "APPROVED", "2026-03-02T02:00:00Z", head),
        review(4, "gh-suminghui", "APPROVED", "2026-03-02T02:30:00Z", head),
    ], pages=2)
    verdict = github_verify(github_roster, replay)
    assert verdict.ok, verdict.groups[0].problems
    assert any("page=2" in path for path, _ in replay.requests)
    assert all(h.get("authorization") == "Bearer secret" for _, h in replay.requests)


def test_github_changes_requested_cancels_and_stale_approvals_do_not_count(github_roster, replay):
    head = github_roster.repo.head.commit.parents[1].hexsha
    github_pr(replay, head, [
        review(1, "gh-zhoujing", "APPROVED", "2026-03-02T01:00:00Z", "0" * 40),  # an older version
        review(2, "gh-liangxiuhua", "APPROVED", "2026-03-02T02:00:00Z", head),
        review(3, "gh-liangxiuhua", "CHANGES_REQUESTED", "2026-03-02T02:10:00Z", head),
    ])
    verdict = github_verify(github_roster, replay)
    problems = "\n".join(verdict.groups[0].problems)
    assert not verdict.ok
    assert "较早的版本" in problems
    assert "缺少「本单位负责领导审批」" in problems
