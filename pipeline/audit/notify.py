"""The bot's voice on the forge: one issue that carries the daily read, updated day after day.

    gongkai notify --forge gitlab --api-url "$CI_API_V4_URL" --project "$CI_PROJECT_ID" --report audit.md --json audit.json

The issue is found by its label (`gongkai-audit` by default), never by title, so renaming it does not
make a second one. With findings: the open issue's description becomes today's report (a new issue
if none is open). Without findings: the open issue is closed with a note. Only single-veto risks,
warnings and issues count; nothing is posted when the description would not change.

python-gitlab and PyGithub do the talking (pagination, retries, rate limits); the token comes from
GONGKAI_BOT_TOKEN (GitLab: a project access token with `api`; GitHub: GITHUB_TOKEN with
`issues: write`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

LABEL = "gongkai-audit"
TITLE = "门户网站每日读网:待处理事项"
CLOSING_NOTE = "今天的读网没有发现问题,关闭本议题。再发现问题时,机器人会重新打开或新建议题。"


class NotifyError(Exception):
    """The forge could not be reached or refused the request (exit 2)."""


@dataclass
class Outcome:
    action: str  # created, updated, unchanged, closed, nothing
    number: int | None = None

    @property
    def message(self) -> str:
        return {"created": f"已新建议题 #{self.number}", "updated": f"已更新议题 #{self.number}",
                "unchanged": f"议题 #{self.number} 内容没有变化", "closed": f"已关闭议题 #{self.number}",
                "nothing": "没有问题,也没有打开的议题"}[self.action]


def has_findings(data: dict) -> bool:
    counts = data.get("counts") or {}
    return any(int(counts.get(level) or 0) for level in ("veto", "warning", "issue"))


def publish(forge: str, api_url: str, project: str, token: str, report: str, findings: bool,
            label: str = LABEL) -> Outcome:
    tracker = GitLabTracker(api_url, project, token) if forge == "gitlab" else GitHubTracker(api_url, project, token)
    try:
        current = tracker.open_issue(label)
        if not findings:
            if current is None:
                return Outcome("nothing")
            tracker.close(current, CLOSING_NOTE)
            return Outcome("closed", tracker.number(current))
        if current is None:
            return Outcome("created", tracker.number(tracker.create(TITLE, report, label)))
        if tracker.body(current).strip() == report.strip():
            return Outcome("unchanged", tracker.number(current))
        tracker.update(current, report)
        return Outcome("updated", tracker.number(current))
    except NotifyError:
        raise
    except Exception as exc:  # the clients raise their own families (GitlabError, GithubException, requests)
        raise NotifyError(f"无法在代码平台上更新读网议题:{type(exc).__name__}: {str(exc)[:300]}") from None


class GitLabTracker:
    def __init__(self, api_url: str, project: str, token: str):
        import gitlab

        base = api_url.rstrip("/")
        base = base[: -len("/api/v4")] if base.endswith("/api/v4") else base
        # Rate limits (429) are waited out by python-gitlab itself; transient errors are not retried here
        # (ten retries with back-off would hold the daily job for minutes): the next day tries again.
        self.client = gitlab.Gitlab(base, private_token=token, timeout=30)
        self.project = self.client.projects.get(project, lazy=True)

    def open_issue(self, label: str):
        found = self.project.issues.list(labels=[label], state="opened", order_by="created_at", sort="asc",
                                         get_all=True)
        return found[0] if found else None

    def create(self, title: str, body: str, label: str):
        return self.project.issues.create({"title": title, "description": body, "labels": [label]})

    def update(self, issue, body: str) -> None:
        issue.description = body
        issue.save()

    def close(self, issue, note: str) -> None:
        issue.notes.create({"body": note})
        issue.state_event = "close"
        issue.save()

    @staticmethod
    def body(issue) -> str:
        return issue.description or ""

    @staticmethod
    def number(issue) -> int:
        return int(issue.iid)


class GitHubTracker:
    def __init__(self, api_url: str, project: str, token: str):
        from github import Auth, Github

        self.client = Github(auth=Auth.Token(token), base_url=api_url.rstrip("/"), timeout=30, retry=3)
        self.repo = self.client.get_repo(project)

    def open_issue(self, label: str):
        for issue in self.repo.get_issues(state="open", labels=[label], sort="created", direction="asc"):
            if issue.pull_request is None:
                return issue
        return None

    def create(self, title: str, body: str, label: str):
        return self.repo.create_issue(title=title, body=body, labels=[label])

    def update(self, issue, body: str) -> None:
        issue.edit(body=body)

    def close(self, issue, note: str) -> None:
        issue.create_comment(note)
        issue.edit(state="closed")

    @staticmethod
    def body(issue) -> str:
        return issue.body or ""

    @staticmethod
    def number(issue) -> int:
        return int(issue.number)


def load_report(markdown: Path, summary: Path) -> tuple[str, bool]:
    text = markdown.read_text(encoding="utf-8")
    data = json.loads(summary.read_text(encoding="utf-8"))
    return text, has_findings(data)


def token_from_env() -> str | None:
    return os.environ.get("GONGKAI_BOT_TOKEN") or os.environ.get("GITHUB_TOKEN")
