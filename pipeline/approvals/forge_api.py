"""Approvals with their times, from the forge's REST API (urllib only; the base URL is configurable).

GitLab has been seen to leave `%{approved_by}` out of merge commits (approval given after the page was
loaded, or after auto-merge was set), so `gongkai approvals verify --forge-api` can ask the forge:

- GitLab: `GET /projects/:id/merge_requests/:iid` (author), `GET .../approvals` (`approved_by[].user`,
  with `approved_at` on recent versions); when a time is missing, the system notes
  `GET .../notes` ("approved this merge request" / "unapproved this merge request") give it.
  `GET /projects/:id/repository/commits/:sha/merge_requests` finds the merge request of a commit.
- GitHub: `GET /repos/:owner/:repo/pulls/:n` (author, head sha), `GET .../reviews` (state and
  `submitted_at` per review; a later CHANGES_REQUESTED or DISMISSED cancels a user's approval);
  `GET /repos/:owner/:repo/commits/:sha/pulls` finds the pull request of a commit.

The token comes from GONGKAI_FORGE_TOKEN, else GITLAB_TOKEN / GITHUB_TOKEN; it is never printed.
"""
from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.timeutil import parse_instant
from pipeline.approvals.roster import Actor

TIMEOUT = 30
MAX_PAGES = 20


class ForgeError(Exception):
    """The forge could not be asked (network, HTTP error, unexpected answer): exit 2."""


@dataclass(frozen=True)
class ApiApproval:
    actor: Actor
    at: datetime | None
    stale: bool = False  # given on an older head commit than the one merged (GitHub commit_id)


@dataclass
class ApiRecord:
    forge: str
    reference: str  # "!12" or "#12"
    author: Actor | None
    approvals: list[ApiApproval] = field(default_factory=list)
    head_sha: str = ""


def token_from_env(forge: str) -> str | None:
    return os.environ.get("GONGKAI_FORGE_TOKEN") or os.environ.get(
        "GITLAB_TOKEN" if forge == "gitlab" else "GITHUB_TOKEN")


def parse_time(value) -> datetime | None:
    """A forge API time stamp (ISO 8601) in Asia/Shanghai: the one parser every time input uses."""
    return parse_instant(value)


class _Client:
    forge = ""

    def __init__(self, base_url: str, project: str, token: str | None = None):
        if not re.match(r"^https?://", base_url or ""):
            raise ForgeError(f"API 地址「{base_url}」应以 http:// 或 https:// 开头。")
        self.base_url = base_url.rstrip("/")
        self.project = project
        self.token = token

    def _headers(self) -> dict:
        return {"Accept": "application/json", "User-Agent": "gongkai-approvals"}

    def _get(self, path: str, params: dict | None = None):
        """GET one resource; lists are followed through Link: rel="next" (or X-Next-Page) pages."""
        url = self.base_url + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        pages = 0
        collected = None
        while url:
            pages += 1
            data, headers = self._fetch(url)
            if not isinstance(data, list):
                return data
            collected = (collected or []) + data
            url = _next_page(url, headers) if pages < MAX_PAGES else None
        return collected if collected is not None else []

    def _fetch(self, url: str):
        request = urllib.request.Request(url, headers=self._headers())
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body = response.read()
                headers = dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            hint = {401: "(令牌无效或缺失:请设置 GONGKAI_FORGE_TOKEN)", 403: "(令牌权限不足)",
                    404: "(项目或合并请求不存在,或令牌无权访问)"}.get(exc.code, "")
            raise ForgeError(f"{self.forge} API 返回 HTTP {exc.code}:{_safe(url)}{hint}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ForgeError(f"无法连接 {self.forge} API {_safe(url)}:{reason}") from None
        try:
            return json.loads(body.decode("utf-8")), headers
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ForgeError(f"{self.forge} API 的返回不是 JSON:{_safe(url)}") from None


def _safe(url: str) -> str:
    """The URL without its query string (never echo anything that could carry a secret)."""
    return url.split("?", 1)[0]


def _next_page(url: str, headers: dict) -> str | None:
    lower = {k.lower(): v for k, v in headers.items()}
    link = lower.get("link", "")
    for part in link.split(","):
        match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', part)
        if match:
            return match.group(1)
    next_page = lower.get("x-next-page", "").strip()
    if next_page:
        parsed = urllib.parse.urlsplit(url)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        query["page"] = next_page
        return urllib.parse.urlunsplit(parsed._replace(query=urllib.parse.urlencode(query)))
    return None


class GitLabClient(_Client):
    forge = "gitlab"

    def _headers(self) -> dict:
        headers = super()._headers()
        if self.token:
            headers["PRIVATE-TOKEN"] = self.token
        return headers

    @property
    def _project(self) -> str:
        return "/projects/" + urllib.parse.quote(str(self.project), safe="")

    def merge_request_for_commit(self, sha: str) -> int:
        found = self._get(f"{self._project}/repository/commits/{sha}/merge_requests")
        merged = [mr for mr in found or [] if isinstance(mr, dict) and mr.get("state") == "merged"] or found or []
        if not merged or not isinstance(merged[0], dict) or "iid" not in merged[0]:
            raise ForgeError(f"GitLab 上找不到包含提交 {sha[:10]} 的合并请求:请用 --mr 指定。")
        return int(merged[0]["iid"])

    def approvals(self, iid: int) -> ApiRecord:
        base = f"{self._project}/merge_requests/{iid}"
        mr = self._get(base)
        author = _gitlab_user(mr.get("author")) if isinstance(mr, dict) else None
        data = self._get(f"{base}/approvals")
        if not isinstance(data, dict):
            raise ForgeError("GitLab 审批接口的返回格式不对(应为对象,含 approved_by)。")
        entries = [e for e in data.get("approved_by") or [] if isinstance(e, dict)]
        times = {}
        if any(not e.get("approved_at") for e in entries):
            times = self._approval_times_from_notes(base)
        out = []
        for entry in entries:
            actor = _gitlab_user(entry.get("user"))
            if actor is None:
                continue
            at = parse_time(entry.get("approved_at")) or times.get(actor.username.lower())
            out.append(ApiApproval(actor, at))
        return ApiRecord("gitlab", f"!{iid}", author, out, str(mr.get("sha") or "") if isinstance(mr, dict) else "")

    def _approval_times_from_notes(self, base: str) -> dict[str, datetime]:
        notes = self._get(f"{base}/notes", {"sort": "asc", "order_by": "created_at", "per_page": 100})
        times: dict[str, datetime] = {}
        for note in sorted((n for n in notes or [] if isinstance(n, dict) and n.get("system")),
                           key=lambda n: str(n.get("created_at") or "")):
            user = _gitlab_user(note.get("author"))
            body = str(note.get("body") or "").strip().lower()
            if user is None:
                continue
            if body.startswith("approved this merge request"):
                at = parse_time(note.get("created_at"))
                if at is not None:
                    times[user.username.lower()] = at
            elif body.startswith("unapproved this merge request"):
                times.pop(user.username.lower(), None)
        return times


def _gitlab_user(user) -> Actor | None:
    if not isinstance(user, dict) or not user.get("username"):
        return None
    return Actor(name=str(user.get("name") or ""), email=str(user.get("public_email") or user.get("email") or ""),
                 username=str(user["username"]), forge="gitlab")


class GitHubClient(_Client):
    forge = "github"

    def _headers(self) -> dict:
        headers = super()._headers()
        headers["Accept"] = "application/vnd.github+json"
        headers["X-GitHub-Api-Version"] = "2022-11-28"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    @property
    def _repo(self) -> str:
        if not re.match(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", str(self.project)):
            raise ForgeError(f"GitHub 项目应写成 owner/repo,而不是「{self.project}」。")
        return f"/repos/{self.project}"

    def merge_request_for_commit(self, sha: str) -> int:
        found = self._get(f"{self._repo}/commits/{sha}/pulls")
        merged = [pr for pr in found or [] if isinstance(pr, dict) and pr.get("merged_at")] or found or []
        if not merged or not isinstance(merged[0], dict) or "number" not in merged[0]:
            raise ForgeError(f"GitHub 上找不到包含提交 {sha[:10]} 的拉取请求:请用 --mr 指定。")
        return int(merged[0]["number"])

    def approvals(self, number: int) -> ApiRecord:
        pr = self._get(f"{self._repo}/pulls/{number}")
        if not isinstance(pr, dict):
            raise ForgeError("GitHub 拉取请求接口的返回格式不对。")
        author = _github_user(pr.get("user"))
        head = str((pr.get("head") or {}).get("sha") or "")
        reviews = self._get(f"{self._repo}/pulls/{number}/reviews", {"per_page": 100})
        standing: dict[str, list[tuple[Actor, datetime | None, str]]] = {}
        for review in sorted((r for r in reviews or [] if isinstance(r, dict)),
                             key=lambda r: (str(r.get("submitted_at") or ""), r.get("id") or 0)):
            user = _github_user(review.get("user"))
            if user is None:
                continue
            state = str(review.get("state") or "").upper()
            key = user.username.lower()
            if state == "APPROVED":
                standing.setdefault(key, []).append((user, parse_time(review.get("submitted_at")),
                                                     str(review.get("commit_id") or "")))
            elif state in ("CHANGES_REQUESTED", "DISMISSED"):
                standing.pop(key, None)
        out = []
        for entries in standing.values():
            for user, at, commit_id in entries:
                out.append(ApiApproval(user, at, stale=bool(head and commit_id and commit_id != head)))
        return ApiRecord("github", f"#{number}", author, out, head)


def _github_user(user) -> Actor | None:
    if not isinstance(user, dict) or not user.get("login"):
        return None
    return Actor(name=str(user.get("name") or ""), email=str(user.get("email") or ""),
                 username=str(user["login"]), forge="github")


def client(forge: str, base_url: str, project: str, token: str | None = None):
    if forge == "gitlab":
        return GitLabClient(base_url, project, token)
    if forge == "github":
        return GitHubClient(base_url, project, token)
    raise ForgeError(f"不支持的代码平台「{forge}」:应为 gitlab 或 github。")
