"""The GitLab pipelines of .gitlab-ci.yml, run by a real GitLab CI interpreter.

gitlab-ci-local (npm, pinned in package-lock.json) reads .gitlab-ci.yml as GitLab does — workflow
and job rules, needs, artifacts, caches, YAML anchors — and runs every selected job in a shell of its
own folder (`--force-shell-executor --shell-isolation`: there is no Docker here, so the `image:` is
not pulled; the jobs get this machine's Python and Node). Each job installs what it needs as on
GitLab: a virtual environment from requirements.lock, Pagefind with `npm ci`.

The repository is a clone of this project with a bare `origin`; a 公积金中心 editor's branch adds
a news item. Merge-request pipeline: check (Code Quality report), approval plan, preview. Main
pipeline on the merge commit: verify-approvals, build, register, publish (PUBLISH_HOST=local: a
runner on the web server writes into PUBLISH_ROOT). Without the two approvals nothing is published;
with them the site is.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.ci.pipeline_repo import (EDITOR_LOGIN, LEADER, NEWS_ID, NEWS_PATH, OTHER_EDITOR_LOGIN, ROOT, SECTION,
                                   make_pipeline_repo)

GITLAB_CI_LOCAL = ROOT / "node_modules/.bin/gitlab-ci-local"
COMMON = ["--force-shell-executor", "--shell-isolation", "--no-color", "--no-artifacts-to-source"]
MERGE_REQUEST = ["--variable", "CI_PIPELINE_SOURCE=merge_request_event", "--unset-variable", "CI_COMMIT_BRANCH",
                 "--variable", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main",
                 "--variable", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=mr-1", "--variable", "CI_MERGE_REQUEST_IID=1",
                 "--variable", f"GITLAB_USER_LOGIN={EDITOR_LOGIN['gitlab']}"]


def run_pipeline(repo, *args: str) -> tuple[int, str]:
    assert GITLAB_CI_LOCAL.is_file(), "gitlab-ci-local is missing: `make install` runs npm ci"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "GITLAB_"))}
    env.pop("VIRTUAL_ENV", None)
    env.pop("GONGKAI_CACHE_DIR", None)  # the test run's own; jobs keep theirs in .cache/gongkai as on GitLab
    done = subprocess.run([str(GITLAB_CI_LOCAL), *COMMON, *args], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=900)
    return done.returncode, done.stdout + done.stderr


def job_results(log: str) -> dict[str, set[str]]:
    """The jobs in gitlab-ci-local's closing report (src/commander.js, printReport), by result: one line
    a started job, " PASS  check" (the name padded to the longest), " FAIL  build" for a failed one,
    " WARN  name  pre_script" for one allowed to fail, " WARN  name  after_script" (after PASS) when its
    after_script failed. A job that was not run (rules, needs) is not listed. Only the names of jobs that
    started count (" WARN  Avoid overriding predefined variables" has the same shape)."""
    started = set(re.findall(r"^(\S+) +starting ", log, re.MULTILINE))
    results: dict[str, set[str]] = {}
    for status, job in re.findall(r"^ (PASS|WARN|FAIL) +(\S+)", log, re.MULTILINE):
        if job in started:
            results.setdefault(job, set()).add(status)
    return results


def assert_jobs_passed(log: str, *jobs: str) -> None:
    """Each of the jobs ran and succeeded (a job skipped or failed fails this), and no job failed."""
    results = job_results(log)
    for job in jobs:
        assert results.get(job) == {"PASS"}, f"{job}: {results.get(job, 'not run')}\n{log[-4000:]}"
        # the job's own last line, "check          finished in 12 s" (a failed job's ends " FAIL 1 ")
        finished = re.findall(rf"^{re.escape(job)} +finished in (.*)$", log, re.MULTILINE)
        assert finished and not any(re.search(r"FAIL|WARN", f) for f in finished), log[-4000:]
    assert all(r == {"PASS"} for r in results.values()), results


def artifact(repo, job: str, rel: str) -> Path:
    return repo.root / ".gitlab-ci-local/artifacts" / job / rel


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = make_pipeline_repo(tmp_path_factory.mktemp("gitlab"))
    # gitlab-ci-local takes the project's URL from this remote (a path as `origin` has none).
    repo.git("remote", "add", "gcl-origin", "https://gitlab.example.gov.cn/yunjiang/gongkai.git")
    repo.editor_branch("mr-1")
    return repo


def test_merge_request_pipeline_reports_on_the_changed_page(repo):
    repo.git("checkout", "-q", "mr-1")
    base = repo.git("merge-base", "main", "mr-1").strip()
    code, log = run_pipeline(repo, *MERGE_REQUEST, "--variable", f"CI_MERGE_REQUEST_DIFF_BASE_SHA={base}")
    assert code == 0, log[-4000:]
    assert "只检查这些文件" in log  # the check job checked the change's scope (--changed-since the base)
    assert_jobs_passed(log, "check", "approval-plan", "preview")
    quality = json.loads(artifact(repo, "check", "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert isinstance(quality, list) and all(d["severity"] != "blocker" for d in quality)
    plan = artifact(repo, "approval-plan", "approvals-plan.md").read_text(encoding="utf-8")
    assert NEWS_PATH in plan and "梁志明" in plan and "蒙海燕" in plan
    assert "市人民政府办公室" not in plan  # a routine department item stays with the department
    assert json.loads(artifact(repo, "approval-plan", "approvals-plan.json").read_text(encoding="utf-8"))["approvals"]
    report = artifact(repo, "preview", "preview-report.md").read_text(encoding="utf-8")
    assert f"/news/{NEWS_ID}/index.html" in report
    page = artifact(repo, "preview", f"preview/news/{NEWS_ID}/index.html").read_text(encoding="utf-8")
    assert "线上提取“秒批”服务" in page
    assert any(artifact(repo, "preview", "preview/pagefind").glob("*/pagefind.js"))  # Pagefind ran in the job


def test_merge_request_by_another_units_editor_fails_the_plan_job(repo):
    """The browser editor's GitLab account can push anywhere; the pipeline holds each unit to its folders."""
    repo.git("checkout", "-q", "mr-1")
    base = repo.git("merge-base", "main", "mr-1").strip()
    code, log = run_pipeline(repo, *MERGE_REQUEST, "--variable", f"CI_MERGE_REQUEST_DIFF_BASE_SHA={base}",
                             "--variable", f"GITLAB_USER_LOGIN={OTHER_EDITOR_LOGIN['gitlab']}", "approval-plan")
    assert code != 0 and job_results(log).get("approval-plan") == {"FAIL"}, log[-4000:]
    assert f"{NEWS_PATH}:1: 错误 GK-AUTHOR-001" in log and "市住房公积金管理中心" in log
    plan = artifact(repo, "approval-plan", "approvals-plan.md").read_text(encoding="utf-8")
    assert "⛔ GK-AUTHOR-001" in plan  # the merge request's comment says why, not only the job log


def test_main_pipeline_publishes_only_an_approved_merge(repo, tmp_path):
    site = tmp_path / "site"
    publish = ["--variable", "PUBLISH_HOST=local", "--variable", f"PUBLISH_ROOT={site}",
               "--variable", f"PUBLISH_RELOAD=touch {tmp_path}/reloaded"]  # stands in for reloading nginx

    repo.forge_merge("mr-1", [f"Approved-by: {SECTION}"])  # the leader has not approved
    code, log = run_pipeline(repo, *publish)
    assert code != 0
    assert "审批不全" in log and not (site / "current").exists(), log[-3000:]
    results = job_results(log)
    assert results["verify-approvals"] == {"FAIL"} and "publish" not in results, results

    repo.undo_merge()
    merge = repo.forge_merge("mr-1", [f"Approved-by: {SECTION}", f"Approved-by: {LEADER}"])
    code, log = run_pipeline(repo, *publish)
    assert code == 0, log[-4000:]
    assert_jobs_passed(log, "check", "verify-approvals", "build", "register", "publish")
    current = site / "current"
    assert current.is_symlink() and os.readlink(current) == f"releases/{merge}"
    assert "线上提取“秒批”服务" in (current / f"news/{NEWS_ID}/index.html").read_text(encoding="utf-8")
    assert (current / "_server/nginx-redirects.conf").is_file() and (tmp_path / "reloaded").is_file()
    register = json.loads(artifact(repo, "register", "register/register.json").read_text(encoding="utf-8"))
    [row] = [r for r in register if r["id"] == NEWS_ID]
    assert row["approved"] is True and row["approved_by"] == [LEADER] and row["reviewed_by"] == [SECTION]


def test_daily_read_opens_then_updates_one_issue(repo):
    """The scheduled pipeline on two days: build, link check, audit, and one issue on the forge
    (the local recorder of tests/forge_recorder.py stands in for GitLab's REST API)."""
    from tests.forge_recorder import ForgeRecorder

    forge = ForgeRecorder()
    try:
        repo.git("checkout", "-q", "main")
        daily = ["--variable", "CI_PIPELINE_SOURCE=schedule", "--variable", f"CI_API_V4_URL={forge.base}/api/v4",
                 "--variable", f"CI_PROJECT_ID={ForgeRecorder.GITLAB_PROJECT}", "--variable", "GONGKAI_BOT_TOKEN=bot"]
        code, log = run_pipeline(repo, *daily, "--variable", "CI_PIPELINE_CREATED_AT=2026-11-26T01:00:00Z")
        assert code == 0, log[-4000:]
        assert "daily-read" in log and "verify-approvals" not in log  # only the daily job is scheduled
        assert_jobs_passed(log, "daily-read")
        assert set(job_results(log)) == {"daily-read"}, log[-4000:]
        report = artifact(repo, "daily-read", "audit.md").read_text(encoding="utf-8")
        assert "截至 2026-11-26 09:00" in report
        assert json.loads(artifact(repo, "daily-read", "linkcheck.json").read_text(encoding="utf-8"))["findings"]
        [issue] = forge.issues
        assert issue["body"] == report and issue["labels"] == ["gongkai-audit"]

        code, log = run_pipeline(repo, *daily, "--variable", "CI_PIPELINE_CREATED_AT=2026-11-27T01:00:00Z")
        assert code == 0, log[-4000:]
        [issue] = forge.issues  # updated, not duplicated
        assert "截至 2026-11-27 09:00" in issue["body"]
        assert [w[0] for w in forge.writes] == ["POST", "PUT"]
        dashboard = artifact(repo, "daily-read", "audit.html").read_text(encoding="utf-8")
        assert "最近的读网结果" in dashboard  # the first day's report came back from the job's cache
    finally:
        forge.close()
