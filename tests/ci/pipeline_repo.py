"""A web office's content repository as CI sees it: a clone of this project, a bare `origin`, a
merge-request branch by a department's editor, and merges written as the forge writes them.

Shared by the GitLab pipeline test (gitlab-ci-local) and the GitHub workflow test (step runner).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EDITOR = ("苏晓晴", "suxiaoqing@gjj.yunjiang.gov.cn")  # 公积金中心 信息员 (roster units.gjj.editors)
EDITOR_LOGIN = {"gitlab": "suxiaoqing", "github": "yj-suxiaoqing"}
OTHER_EDITOR_LOGIN = {"gitlab": "lujiayi", "github": "yj-lujiayi"}  # 教育局 信息员: not 公积金中心's
FORGE = ("GitLab", "gitlab@yunjiang.gov.cn")  # the identity the forge merges with: not an author
SECTION = "梁志明 <liangzhiming@gjj.yunjiang.gov.cn>"  # 公积金中心 科室审核 (content/governance/roster.yaml)
LEADER = "蒙海燕 <menghaiyan@gjj.yunjiang.gov.cn>"  # 公积金中心 负责领导

NEWS_ID = "xw-2026-1130"
NEWS_PATH = f"content/news/gjj/{NEWS_ID}.md"
NEWS = f"""---
id: {NEWS_ID}
title: 市住房公积金管理中心开通线上提取“秒批”服务
unit: gjj
column: bmdt
date: 2026-11-30 10:00
disclosure_category: licensing
summary: 职工提取住房公积金支付房租,在线申请、系统自动审核,资金当日到账。
---
11月30日起,职工提取住房公积金支付房租可在“云江公积金”小程序在线申请,系统自动比对缴存和租房信息,
符合条件的即时审批,资金当日到账。

市住房公积金管理中心提醒,提取前请确认缴存账户状态正常,如有疑问可拨打服务热线咨询。
"""


@dataclass
class PipelineRepo:
    root: Path
    origin: Path

    def git(self, *args: str, env: dict | None = None) -> str:
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}).stdout.strip()

    def who(self, name: str, email: str, *, committer: tuple[str, str] | None = None) -> dict:
        committer = committer or (name, email)
        return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1]}

    def editor_branch(self, name: str = "mr-1") -> str:
        """A department editor's merge-request branch adding one news item of 公积金中心."""
        self.git("checkout", "-q", "-b", name, "main")
        path = self.root / NEWS_PATH
        path.write_text(NEWS, encoding="utf-8")
        self.git("add", NEWS_PATH)
        self.git("commit", "-q", "-m", "公积金中心:线上提取秒批服务上线", env=self.who(*EDITOR))
        self.git("push", "-q", "origin", name)
        return name

    def forge_merge(self, branch: str, trailers: list[str]) -> str:
        """A merge commit as GitLab writes it with the template of ci/APPROVALS.md."""
        self.git("checkout", "-q", "main")
        message = (f"Merge branch '{branch}' into 'main'\n\n公积金中心:线上提取秒批服务上线\n\n"
                   f"See merge request yunjiang/gongkai!1\n\nMerged-by: {FORGE[0]} <{FORGE[1]}>\n"
                   + "".join(f"{line}\n" for line in trailers))
        self.git("merge", "--no-ff", "-q", branch, "-m", message, env=self.who(*FORGE))
        self.git("push", "-q", "origin", "main")
        return self.git("rev-parse", "HEAD")

    def undo_merge(self) -> None:
        self.git("reset", "-q", "--hard", "HEAD^1")
        self.git("push", "-q", "-f", "origin", "main")


def make_pipeline_repo(tmp: Path) -> PipelineRepo:
    """This project's files as they stand (committed or not), committed once on `main`."""
    root, origin = tmp / "portal", tmp / "origin.git"
    listed = subprocess.run(["git", "ls-files", "-z", "-c", "-o", "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode("utf-8").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    repo = PipelineRepo(root, origin)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "commit.gpgsign", "false")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "门户网站内容仓库", env=repo.who("门户网站管理员", "admin@yunjiang.gov.cn"))
    repo.git("remote", "add", "origin", str(origin))
    repo.git("push", "-q", "origin", "main")
    repo.git("remote", "set-head", "origin", "main")
    return repo
