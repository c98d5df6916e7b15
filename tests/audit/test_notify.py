"""`gongkai notify`: one issue on the forge, created, updated day after day, closed when clean —
through python-gitlab and PyGithub against the local recorder (tests/forge_recorder.py)."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from tests.forge_recorder import ForgeRecorder
from tests.repo_factory import make_repo


@pytest.fixture
def forge():
    recorder = ForgeRecorder()
    yield recorder
    recorder.close()


def reports(tmp_path, day: int, issues: int) -> list[str]:
    markdown, summary = tmp_path / f"audit-{day}.md", tmp_path / f"audit-{day}.json"
    markdown.write_text(f"# 每日读网报告\n\n第 {day} 天:待处理 {issues} 项。\n", encoding="utf-8")
    summary.write_text(json.dumps({"counts": {"veto": 0, "warning": 0, "issue": issues}}), encoding="utf-8")
    return ["--report", str(markdown), "--json", str(summary)]


FORGES = {
    "gitlab": lambda f: ["--forge", "gitlab", "--api-url", f.base + "/api/v4", "--project", ForgeRecorder.GITLAB_PROJECT],
    "github": lambda f: ["--forge", "github", "--api-url", f.base, "--project", ForgeRecorder.GITHUB_REPO],
}


@pytest.mark.parametrize("name", sorted(FORGES))
def test_one_issue_created_updated_and_closed(name, forge, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GONGKAI_BOT_TOKEN", "bot-token")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    root = make_repo(tmp_path)
    where = ["--root", str(root), "notify", *FORGES[name](forge)]

    assert main([*where, *reports(tmp_path, 1, 3)]) == 0
    assert "已新建议题 #1" in capsys.readouterr().out
    assert main([*where, *reports(tmp_path, 1, 3)]) == 0  # the same report again: nothing to write
    assert "内容没有变化" in capsys.readouterr().out
    assert main([*where, *reports(tmp_path, 2, 2)]) == 0
    assert "已更新议题 #1" in capsys.readouterr().out
    [issue] = forge.issues
    assert issue["body"].startswith("# 每日读网报告") and "第 2 天" in issue["body"]
    assert issue["labels"] == ["gongkai-audit"] and issue["state"] == "open"

    assert main([*where, *reports(tmp_path, 3, 0)]) == 0
    assert "已关闭议题 #1" in capsys.readouterr().out
    assert issue["state"] == "closed" and "没有发现问题" in issue["comments"][0]
    assert main([*where, *reports(tmp_path, 4, 1)]) == 0  # a new problem later: a new issue
    assert len(forge.issues) == 2 and forge.issues[1]["state"] == "open"
    creates = [w for w in forge.writes if w[0] == "POST" and w[1].rstrip("/").endswith("/issues")]
    assert len(creates) == 2


def test_without_a_token_nothing_is_sent(forge, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GONGKAI_BOT_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    root = make_repo(tmp_path)
    assert main(["--root", str(root), "notify", *FORGES["gitlab"](forge), *reports(tmp_path, 1, 3)]) == 0
    assert "未设置 GONGKAI_BOT_TOKEN" in capsys.readouterr().out and forge.requests == []


def test_an_unreachable_forge_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GONGKAI_BOT_TOKEN", "bot-token")
    root = make_repo(tmp_path)
    code = main(["--root", str(root), "notify", "--forge", "gitlab", "--api-url", "http://127.0.0.1:9/api/v4",
                 "--project", "7", *reports(tmp_path, 1, 3)])
    assert code == 2 and "无法在代码平台上更新读网议题" in capsys.readouterr().err
